// SPDX-License-Identifier: GPL-2.0-only
/*
 * A restart's load, in steps on the cell's own CPU (partitions/cell_loop.c):
 * the scrub and the image copies, its interrupts taken between two steps; a
 * stop, a system halt or a lost CPU at a step ends it at the next; a reload
 * that outlasts a system halt gives nothing back.
 *
 * The CPUs, devices and image are the test's (lifecycle_fixture.h).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fake_log.h"
#include "lifecycle_fixture.h"
#include "manage.h"

/*
 * A restart's scrub is beta's CPU's, in its loop after the trap that
 * restarted beta, its interrupts taken between two steps (a kick, the
 * console's, the SMMU's on CPU 0): beta LOADING and its boot vCPU off at
 * every step, the image loaded and the vCPU turned on only after the last.
 * Until 2026-11-25 the whole scrub ran in the trap, interrupts masked (27
 * ms of a 512 MiB cell under -icount, docs/performance.md).
 */
/* Each of beta's first @n load steps after as many windows, beta loading, then running. */
static void assert_each_step_after_a_window(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (windows_at_step[i] != i)
			fail_msg("step %u of beta's load (%s) came after %u interrupt window(s), "
				 "want %u",
				 i, i < scrub_steps ? "scrub" : "copy", windows_at_step[i], i);
		assert_int_equal(state_at_step[i], CELL_LOADING);
		assert_int_equal(power_at_step[i], VCPU_OFF);
	}
	assert_int_equal(loads, 1);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->vcpus[0].power, VCPU_ON_PENDING);
	assert_false(beta->reload_left);
}

/* A stop was queued at step @at of the load: @taken steps were, and no load; stopped. */
static void assert_stopped_at_the_next_step(unsigned int taken, unsigned int at)
{
	assert_int_equal(told[0], -EINPROGRESS); /* queued */
	if (taken != at || loads)
		fail_msg("beta's load went on for %u step(s) and %u load(s) after the stop",
			 taken - at, loads);
	assert_beta_stopped();
	assert_false(beta->reload_left);
	assert_logged("cell beta: stopped (stop requested: shell, instead of boot #6)");
	/* The next start loads all of it again, from the first byte of its scrub. */
	assert_int_equal(manage_start(beta, "shell"), 0);
	beta_takes_its_request();
	assert_int_equal(steps_scrubbed + steps_copied, scrub_steps + copy_steps);
	assert_int_equal(loads, 1);
	assert_int_equal(beta->state, CELL_RUNNING);
}

/* The system halted at a step of the load: beta's CPU parked at the next, nothing given back. */
static void assert_parked_at_the_next_step(void)
{
	assert_int_equal(steps_scrubbed + steps_copied, 1 + (copy_steps ? scrub_steps : 0));
	assert_int_equal(loads, 0);
	assert_int_equal(beta->state, CELL_LOADING);
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF);
	assert_int_equal(stage2_given_back + dma_resumed, 0);
}

/* vcpu1's CPU was lost at a step of the load vcpu0's CPU carries: beta stopped for good. */
static void assert_failed_at_the_next_step(void)
{
	assert_int_equal(steps_scrubbed + steps_copied, 1 + (copy_steps ? scrub_steps : 0));
	assert_int_equal(loads, 0);
	assert_beta_failed();
	assert_logged("cell beta: stopped (a CPU lost to a hypervisor fault, instead of boot #6)");
}

static void test_a_restarts_scrub_takes_interrupts_between_its_steps(void **state)
{
	(void)state;
	scrub_steps = 3;
	beta_resets_itself();
	assert_int_equal(steps_scrubbed, 3);
	assert_each_step_after_a_window(3);
}

/*
 * A stop asked for in the middle of the scrub ends the restart at the next
 * step: no more of the memory scrubbed, no image loaded, beta stopped; a
 * later start reloads it from its first byte.
 */
static void test_a_stop_during_a_restarts_scrub_ends_it_at_the_next_step(void **state)
{
	(void)state;
	scrub_steps = 4;
	scrub_step_acts = 2;
	shell_at = AT_SCRUB;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_stopped_at_the_next_step(steps_scrubbed, 2);
}

/* The system halts during the scrub (on another CPU): beta's CPU parks at the next step. */
static void test_a_halt_during_a_restarts_scrub_parks_its_cpu_at_the_next_step(void **state)
{
	(void)state;
	scrub_steps = 4;
	scrub_step_acts = 1;
	beta_resets_itself_as_the_system_halts(AT_SCRUB);
	assert_parked_at_the_next_step();
}

/* vcpu1's CPU is lost at EL2 during the scrub vcpu0's CPU carries: beta stops for good there. */
static void test_a_cpu_lost_during_a_restarts_scrub_stops_the_cell_at_the_next_step(void **state)
{
	(void)state;
	beta_on_two_cpus();
	scrub_steps = 4;
	scrub_step_acts = 1;
	lose_at = AT_SCRUB;
	lose_cpu = 2;
	beta_resets_itself();
	assert_failed_at_the_next_step();
}

/*
 * A restart's kernel and initrd copies are beta's CPU's, in its loop, as
 * its scrub: its interrupts taken between two steps, beta LOADING and its
 * boot vCPU off at every step, the tree built and the vCPU turned on only
 * after the last. Until 2026-11-25 they ran in one piece with interrupts
 * masked, after the scrub's steps (26.6 ms for a Debian Linux Image under
 * -icount, docs/performance.md).
 */
static void test_a_restarts_image_copy_takes_interrupts_between_its_steps(void **state)
{
	(void)state;
	scrub_steps = 2;
	copy_steps = 3;
	beta_resets_itself();
	assert_int_equal(steps_copied, 3);
	assert_each_step_after_a_window(5);
}

/* A stop asked for in the middle of the copy ends the restart at its next step, no tree built. */
static void test_a_stop_during_a_restarts_image_copy_ends_it_at_the_next_step(void **state)
{
	(void)state;
	scrub_steps = 1;
	copy_steps = 4;
	copy_step_acts = 2;
	shell_at = AT_COPY;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_stopped_at_the_next_step(steps_copied, 2);
}

/* The system halts during the copy (on another CPU): beta's CPU parks at the next step. */
static void test_a_halt_during_a_restarts_image_copy_parks_its_cpu_at_the_next_step(void **state)
{
	(void)state;
	copy_steps = 4;
	copy_step_acts = 1;
	beta_resets_itself_as_the_system_halts(AT_COPY);
	assert_parked_at_the_next_step();
}

/* vcpu1's CPU is lost at EL2 during the copy vcpu0's CPU carries: beta stops for good there. */
static void
test_a_cpu_lost_during_a_restarts_image_copy_stops_the_cell_at_the_next_step(void **state)
{
	(void)state;
	beta_on_two_cpus();
	copy_steps = 4;
	copy_step_acts = 1;
	lose_at = AT_COPY;
	lose_cpu = 2;
	beta_resets_itself();
	assert_failed_at_the_next_step();
}

/*
 * The system halts (on-fault halt-system, the firmware left the board on)
 * while CPU 1 reloads beta with its interrupts masked, longer than the halt
 * waits for it (2 s): the halt revoked every stage 2 and aborts every cell's
 * DMA. CPU 1 parks before it gives beta anything back. Until 2026-11-24 it
 * gave back its stage 2 and DMA and started boot #6 ("starting (boot #6)",
 * after the halt said every cell's DMA was aborted), and parked only then.
 */
static void test_a_reload_that_outlasts_a_halt_gives_nothing_back(void **state)
{
	(void)state;
	beta_resets_itself_as_the_system_halts(AT_RELOAD);
	assert_int_equal(loads, 1);
	if (stage2_given_back || dma_resumed || beta->boots != 5)
		fail_msg("beta got its stage 2 back %u time(s), its DMA %u time(s), boot #%lu; "
			 "log:\n%s",
			 stage2_given_back, dma_resumed, (unsigned long)beta->boots,
			 fake_log_text());
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF);
	assert_not_logged("cell beta: starting");
}

/*
 * The same, with a stop queued during the reload: the reload's end does not
 * carry it out once the system halts (its DMA stop would take the SMMU's
 * command queue, whose lock a lost CPU may hold, and its line say "the other
 * cells run on" after the halt's). Until 2026-11-24 it did.
 */
static void test_a_stop_queued_in_a_reload_that_outlasts_a_halt_is_not_carried_out(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = shell_stop;
	beta_resets_itself_as_the_system_halts(AT_RELOAD);
	assert_int_equal(told[0], -EINPROGRESS);
	assert_int_equal(quiesces, 1); /* the reload's own, before the halt */
	assert_not_logged("cell beta: stopped");
	assert_int_equal(stage2_given_back + dma_resumed, 0);
}

/*
 * The system halts while CPU 1 carries the stop half of beta's restart: the
 * reload that follows does not begin. CPU 1 parks before it stops beta's DMA
 * (through the SMMU's command queue, whose lock a lost CPU may hold: it
 * would spin there, and the halt say it did not stop) or loads its memory.
 * Until 2026-11-24 the whole reload ran, and CPU 1 parked only before it
 * gave the cell back.
 */
static void test_a_reload_that_begins_after_a_halt_parks_before_anything(void **state)
{
	(void)state;
	beta_resets_itself_as_the_system_halts(AT_STOP_HALF);
	if (quiesces || loads)
		fail_msg("beta's DMA was stopped %u time(s) and it was loaded %u time(s) after the "
			 "halt; log:\n%s",
			 quiesces, loads, fake_log_text());
	assert_int_equal(stage2_given_back + dma_resumed, 0);
	assert_not_logged("cell beta: reloading");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_a_restarts_scrub_takes_interrupts_between_its_steps,
				       setup),
		cmocka_unit_test_setup(test_a_stop_during_a_restarts_scrub_ends_it_at_the_next_step,
				       setup),
		cmocka_unit_test_setup(
			test_a_halt_during_a_restarts_scrub_parks_its_cpu_at_the_next_step, setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_during_a_restarts_scrub_stops_the_cell_at_the_next_step,
			setup),
		cmocka_unit_test_setup(
			test_a_restarts_image_copy_takes_interrupts_between_its_steps, setup),
		cmocka_unit_test_setup(
			test_a_stop_during_a_restarts_image_copy_ends_it_at_the_next_step, setup),
		cmocka_unit_test_setup(
			test_a_halt_during_a_restarts_image_copy_parks_its_cpu_at_the_next_step,
			setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_during_a_restarts_image_copy_stops_the_cell_at_the_next_step,
			setup),
		cmocka_unit_test_setup(test_a_reload_that_outlasts_a_halt_gives_nothing_back,
				       setup),
		cmocka_unit_test_setup(test_a_reload_that_begins_after_a_halt_parks_before_anything,
				       setup),
		cmocka_unit_test_setup(
			test_a_stop_queued_in_a_reload_that_outlasts_a_halt_is_not_carried_out,
			setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
