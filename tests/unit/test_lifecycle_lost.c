// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell that loses a CPU to a fault at EL2 (partitions/cell_lost.c): stopped
 * for good, whatever it was doing (a trap, a reload, a first start, a start
 * or stop posted to it), and nothing waits for that CPU; under on-fault
 * halt-system the system halts instead.
 *
 * The CPUs, devices and image are the test's (lifecycle_fixture.h).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cell_priv.h"
#include "fake_log.h"
#include "hypercall.h"
#include "lifecycle_fixture.h"
#include "manage.h"

/*
 * beta on CPUs 1 to 3: CPU 3 is lost while CPU 1 reloads beta and vcpu1
 * (CPU 2) holds its kick off. The lost CPU stopped beta; the reload's end
 * does not defer a start for it. Until 2026-11-24 it did: once vcpu1 left,
 * beta's stage 2 and DMA were given back, and it was stopped again.
 */
static void test_a_reload_whose_start_would_wait_ends_stopped_once_a_cpu_is_lost(void **state)
{
	(void)state;
	beta_on_two_cpus();
	beta->nr_vcpus = 3;
	beta->vcpus[2] = (struct vcpu){ .cell = beta, .index = 2, .pcpu = 3, .power = VCPU_ON };
	beta->vcpus[2].in_guest = true;
	cells_pcpu_vcpu[3] = &beta->vcpus[2];
	holds_kick = 2;
	lose_at = AT_RELOAD;
	lose_cpu = 3;
	beta_resets_itself();
	assert_int_equal(loads, 1);
	assert_int_equal(beta->lost, 1u << 2);
	assert_beta_stopped();
	assert_logged("cell beta: stopped (a CPU lost to a hypervisor fault, instead of boot #6)");
	assert_not_logged("the cell starts once it leaves");
	beta->vcpus[1].in_guest = false;
	self = 2;
	cell_start_deferred(&beta->vcpus[1]);
	assert_not_logged("vcpu1 left the guest");
	assert_int_equal(stage2_given_back + dma_resumed, 0);
	assert_beta_stopped();
}

/*
 * beta on CPUs 1 to 3 restarts, and its vcpu1 (CPU 2) outlasts the stop: the
 * start waits for it. CPU 3 is lost meanwhile, its lost bit set just before
 * vcpu1 leaves and takes the start, so the lost CPU leaves the start to it.
 * The start ends the cell stopped without giving its stage 2 and DMA back;
 * until 2026-11-25 they were given back, and cell_start() stopped it (review).
 */
static void test_a_deferred_start_taken_after_a_cpu_is_lost_stops_without_giving_back(void **state)
{
	(void)state;
	beta_on_two_cpus();
	beta->nr_vcpus = 3;
	beta->vcpus[2] = (struct vcpu){ .cell = beta, .index = 2, .pcpu = 3, .power = VCPU_ON };
	cells_pcpu_vcpu[3] = &beta->vcpus[2];
	holds_kick = 2;
	beta_resets_itself();
	assert_int_equal(beta->state, CELL_LOADING);
	assert_logged("the cell starts once it leaves");
	beta->lost |= 1u << 2; /* cell_cpu_lost()'s first step, on CPU 3 */
	beta->vcpus[1].in_guest = false;
	self = 2;
	cell_start_deferred(&beta->vcpus[1]);
	assert_int_equal(stage2_given_back + dma_resumed, 0);
	assert_beta_stopped();
	assert_logged("cell beta: stopped (a CPU lost to a hypervisor fault, instead of boot #6)");
}

/* Every later request is refused at once, from the shell as from a management cell. */
static void assert_beta_takes_no_request(void)
{
	struct smccc_regs regs = { .a = { BULKHEAD_HC_CELL_RESTART, 1 } };

	self = SHELL_CPU;
	assert_int_equal(manage_start(beta, "shell"), -EIO);
	assert_int_equal(manage_restart(beta, "shell"), -EIO);
	assert_int_equal(manage_stop(beta, "shell"), -EIO);
	manage_hypercall(&alpha->vcpus[0], &regs);
	assert_int_equal((int64_t)regs.a[0], -3); /* INVALID */
	assert_int_equal(beta->request, CELL_REQ_NONE);
	assert_int_equal(beta->state, CELL_STOPPED);
}

/* CPU 2 (beta's vcpu1) faults at EL2 in a trap of its guest: beta stops, vcpu0 pulled out. */
static void test_a_cpu_lost_in_a_trap_stops_its_cell_for_good(void **state)
{
	(void)state;
	beta_on_two_cpus();
	lose_at = AT_NONE;
	lose_cpu = 2;
	self = 2;
	cell_cpu_lost();
	assert_beta_failed();
	assert_int_equal(beta->lost, 1u << 1);
	assert_logged("E: cell beta: vcpu1 lost with CPU 2: the cell is stopped and failed");
	assert_logged("I: cell beta: stopped (a CPU lost to a hypervisor fault); the other cells");
	assert_int_equal(quiesces, 1);
	assert_not_logged("not carried out"); /* no request was waiting */
	assert_beta_takes_no_request();
	assert_int_equal(loads, 0);
	/* A second fault on the way (or after) changes nothing. */
	fake_log_reset();
	self = 2;
	cell_cpu_lost();
	assert_not_logged("cell beta");
}

/*
 * Under on-fault halt-system the system halts instead: the layout says it
 * must not run on without beta. No stop first: it could wait for ever on a
 * lock the lost CPU held. Until 2026-11-24 beta was stopped and failed, and
 * the system ran on.
 */
static void test_a_cpu_lost_under_halt_system_halts_the_system(void **state)
{
	(void)state;
	beta->cfg = &beta_halting_cfg;
	beta_on_two_cpus();
	self = 2;
	cell_cpu_lost();
	assert_int_equal(policies, 1);
	assert_ptr_equal(policy_cell, beta);
	assert_string_equal(policy_why, "a CPU lost to a hypervisor fault");
	assert_logged("E: cell beta: vcpu1 lost with CPU 2: the cell cannot run without it; "
		      "on-fault halt-system");
	assert_not_logged("stopped and failed");
	assert_int_equal(quiesces, 0);
	assert_int_equal(beta->lost, 1u << 1);
	assert_int_equal(beta->vcpus[1].power, VCPU_OFF);
	assert_false(beta->vcpus[1].in_guest);
}

/* A CPU that runs no vCPU (CPU 3 here) loses no cell. */
static void test_a_cpu_with_no_vcpu_loses_no_cell(void **state)
{
	(void)state;
	self = 3;
	cell_cpu_lost();
	assert_int_equal(alpha->lost | beta->lost, 0);
	assert_int_equal(beta->state, CELL_RUNNING);
}

/*
 * beta's CPU faults at EL2 as it waits for beta's reset after the boot: the
 * fault is beta's (a lost CPU: stopped for good), not the boot's, which is
 * done and which the other cells run on from.
 */
static void test_a_cpu_lost_in_its_cells_first_start_after_the_boot_fails_that_cell(void **state)
{
	jmp_buf stopped_here;

	(void)state;
	beta_first_start_at_boot(true);
	lose_at = AT_FIRST_BOOT_END;
	lose_cpu = BETA_CPU;
	parked = &stopped_here;
	if (!setjmp(stopped_here))
		beta_cpu_after_the_boot();
	guest = idle = NULL; /* beta_cpu_after_the_boot()'s, left by the jump */
	assert_beta_failed();
	assert_int_equal(beta->boots, 5);
	assert_logged("I: cell beta: stopped (a CPU lost to a hypervisor fault)");
	assert_int_equal(alpha->state, CELL_RUNNING);
}

/* beta's CPU, after the boot, cannot take direct interrupts (vgic_hw_cpu_init()): it parks. */
static void beta_cpu_cannot_run(void)
{
	jmp_buf parked_here;

	cpu_init_result = -ENODEV;
	park_to = &parked_here;
	if (!setjmp(parked_here))
		beta_cpu_after_the_boot();
	guest = idle = NULL; /* beta_cpu_after_the_boot()'s, left by the jump */
	park_to = NULL;
	assert_int_equal(parks, 1);
}

/*
 * The CPU the boot left beta's first start to cannot take its kick, so it
 * parks without starting beta: it is lost to beta, which is stopped and
 * failed, every request refused as for a failed cell. Until 2026-11-25
 * beta stayed LOADING for ever, owned by the parked CPU: a stop answered
 * queued and never carried out, a start or restart busy.
 */
static void test_a_first_start_left_to_a_cpu_that_cannot_run_it_fails_the_cell(void **state)
{
	(void)state;
	beta_first_start_at_boot(true);
	beta_cpu_cannot_run();
	assert_beta_failed();
	assert_false(beta->start_left);
	assert_int_equal(beta->boots, 5);
	assert_logged("E: cell beta: vcpu0 lost with CPU 1: the cell is stopped and failed");
	assert_logged("I: cell beta: stopped (a CPU lost to a hypervisor fault)");
	assert_beta_takes_no_request();
	assert_int_equal(alpha->state, CELL_RUNNING);
}

/*
 * The same CPU when the boot CPU started beta itself: beta was RUNNING with
 * a boot vCPU that never entered, and a stop was left for ever to that CPU
 * (STOPPING, every later request busy) until 2026-11-25. Now it is failed.
 */
static void test_a_started_cell_whose_boot_cpu_cannot_run_it_is_failed(void **state)
{
	(void)state;
	beta_first_start_at_boot(false);
	beta_cpu_cannot_run();
	assert_beta_failed();
	assert_int_equal(beta->boots, 6);
	assert_beta_takes_no_request();
}

/* Under on-fault halt-system the layout says the system must not run on without beta. */
static void test_a_cpu_that_cannot_run_its_cell_under_halt_system_halts(void **state)
{
	(void)state;
	beta->cfg = &beta_halting_cfg;
	beta_first_start_at_boot(true);
	beta_cpu_cannot_run();
	assert_int_equal(policies, 1);
	assert_ptr_equal(policy_cell, beta);
}

/*
 * CPU 1 faults in its own cell's reload (a PSCI SYSTEM_RESET): the reload
 * never finishes. Before, beta was left LOADING for ever and every request
 * busy; now it is stopped and failed.
 */
static void test_a_cpu_lost_in_its_cells_reload_leaves_it_stopped(void **state)
{
	jmp_buf stopped_here;

	(void)state;
	lose_at = AT_RELOAD;
	lose_cpu = BETA_CPU;
	parked = &stopped_here;
	if (!setjmp(stopped_here))
		beta_resets_itself();
	assert_int_equal(loads, 1);
	assert_beta_failed();
	assert_int_equal(beta->boots, 5);
	assert_logged("I: cell beta: stopped (a CPU lost to a hypervisor fault)");
	assert_beta_takes_no_request();
	/* Had it panicked building beta's tree, the next reload of any cell would wait for it. */
	assert_int_equal(dt_builds_let_go, 1);
	assert_int_equal(dt_build_let_go_by, BETA_CPU);
}

/* beta's stop told once: "cell beta: stopped (...)", as @why says. */
static void assert_beta_stopped_once(const char *why)
{
	const char *first = strstr(fake_log_text(), "cell beta: stopped (");

	if (!first || !strstr(first, why) || strstr(first + 1, "cell beta: stopped ("))
		fail_msg("beta's stop not told once, as %s; log:\n%s", why, fake_log_text());
}

/*
 * CPU 2 is lost while CPU 1 reloads beta: CPU 1's restart ends STOPPED, not
 * RUNNING, its boot vCPU not turned on; a boot could never bring vcpu1 up.
 * CPU 2 leaves the stop to CPU 1, which owns the restart: until 2026-11-24
 * it stopped beta itself too, not knowing whose the reload was, and the
 * stop was told twice.
 */
static void test_a_reload_on_another_cpu_ends_stopped_once_a_cpu_is_lost(void **state)
{
	(void)state;
	beta_on_two_cpus();
	beta->vcpus[1].in_guest = false; /* CPU 2 is in its loop, taking an interrupt */
	lose_at = AT_RELOAD;
	lose_cpu = 2;
	beta_resets_itself();
	assert_int_equal(loads, 1);
	assert_beta_failed();
	assert_int_equal(beta->boots, 5);
	assert_beta_stopped_once("(a CPU lost to a hypervisor fault, instead of boot #6)");
}

/*
 * A request is carried out by the cell's boot CPU (vCPU 0's: manage.c posts
 * it there and waits for that CPU): a kick that reaches another CPU of the
 * cell (a CPU_ON's, a doorbell's) leaves the request to it.
 */
static void test_a_kick_on_a_cells_other_cpu_leaves_its_request_to_the_boot_cpu(void **state)
{
	jmp_buf back;

	(void)state;
	beta_on_two_cpus();
	beta->request = CELL_REQ_STOP;
	self = 2;
	loop = &back;
	if (!setjmp(back))
		cell_kick_handler();
	loop = NULL;
	if (beta->request != CELL_REQ_STOP || beta->state != CELL_RUNNING)
		fail_msg("vCPU 1's CPU took beta's stop request (request %d, beta %s)",
			 (int)beta->request, cell_state_name(beta->state));
	beta_takes_its_request();
	assert_int_equal(beta->state, CELL_STOPPED);
}

/* beta, on CPUs 1 and 2, stopped; the shell posts a start, which CPU 1 has not taken yet. */
static void beta_stopped_with_a_start_posted(void)
{
	beta_on_two_cpus();
	beta->state = CELL_STOPPED;
	beta->vcpus[0].power = beta->vcpus[1].power = VCPU_OFF;
	beta->vcpus[0].in_guest = beta->vcpus[1].in_guest = false;
	self = SHELL_CPU;
	assert_int_equal(manage_start(beta, "shell"), 0);
	assert_int_equal(beta->request, CELL_REQ_START);
}

/*
 * A start (or stop) posted for beta, not yet taken by its CPU 1 when CPU 2
 * is lost: the lost CPU takes it off, says so, and stops beta for good;
 * CPU 1 then finds no request. Until 2026-11-24 CPU 1 carried it out all
 * the same: a start logged "reloading", quiesced the devices again, and
 * failed the load ("load refused: the cell is stopped, not loading",
 * "reload failed"); a stop said "stopped" a second time.
 */
static void test_a_start_pending_when_a_cpu_is_lost_is_not_carried_out(void **state)
{
	(void)state;
	beta_stopped_with_a_start_posted();
	self = 2;
	cell_cpu_lost();
	beta_takes_its_request();
	if (loads)
		fail_msg("beta's failed start was carried out (%u load(s)); log:\n%s", loads,
			 fake_log_text());
	assert_beta_failed();
	assert_not_logged("reloading");
	assert_int_equal(quiesces, 1); /* the lost CPU's stop only */
	assert_logged("I: cell beta: start requested: shell, not carried out: the cell failed");
	assert_beta_takes_no_request();
}

/*
 * CPU 1 has taken beta's start (no CPU lost yet) and is stopping its
 * devices' DMA for the reload when CPU 2 is lost. CPU 2 leaves the start to
 * CPU 1, whose reload ends it STOPPED. Until 2026-11-24 CPU 2 stopped beta
 * itself meanwhile, and CPU 1, finding it stopped, failed the load as a
 * hypervisor bug: "load refused: the cell is stopped, not loading", "reload
 * failed; the cell stays stopped".
 */
static void test_a_cpu_lost_as_a_taken_start_reloads_leaves_the_start_to_its_cpu(void **state)
{
	(void)state;
	beta_stopped_with_a_start_posted();
	lose_at = AT_QUIESCE;
	lose_cpu = 2;
	beta_takes_its_request();
	assert_beta_failed();
	assert_not_logged("load refused");
	assert_not_logged("failed; the cell stays stopped");
	assert_beta_stopped_once("(a CPU lost to a hypervisor fault, instead of boot #6)");
	assert_beta_takes_no_request();
}

/*
 * vCPU 0's CPU is lost while the start vcpu1's restart left to CPU 2 waits
 * for beta's PCI resets there: the start is CPU 2's (beta's owner), which
 * ends it stopped; the lost CPU does not stop beta too, and CPU 2 does not
 * wait for it.
 */
static void test_a_cpu_lost_while_a_start_is_left_to_another_cpu_leaves_it_there(void **state)
{
	(void)state;
	vcpu1_restarts_beta_with_a_reset_left();
	self = BETA_CPU;
	cell_cpu_lost();
	if (beta->state != CELL_LOADING)
		fail_msg("the lost CPU took beta's start, which CPU 2 owns (beta %s); log:\n%s",
			 cell_state_name(beta->state), fake_log_text());
	cpu_loop_once(2);
	assert_beta_failed();
	assert_beta_stopped_once("(a CPU lost to a hypervisor fault, instead of boot #6)");
	assert_int_equal(first_boot_end_cpu, 2); /* its functions placed again, then stopped */
}

static void test_a_stop_pending_when_a_cpu_is_lost_is_not_said_twice(void **state)
{
	(void)state;
	beta_on_two_cpus();
	self = SHELL_CPU;
	assert_int_equal(manage_stop_async(beta, "shell", 0), 0);
	self = 2;
	cell_cpu_lost();
	beta_takes_its_request();
	assert_beta_failed();
	assert_not_logged("stopped (stop requested: shell)");
	assert_int_equal(quiesces, 1);
	assert_logged("I: cell beta: stop requested: shell, not carried out: the cell failed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_a_reload_whose_start_would_wait_ends_stopped_once_a_cpu_is_lost,
			setup),
		cmocka_unit_test_setup(
			test_a_deferred_start_taken_after_a_cpu_is_lost_stops_without_giving_back,
			setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_in_its_cells_first_start_after_the_boot_fails_that_cell,
			setup),
		cmocka_unit_test_setup(test_a_cpu_lost_in_a_trap_stops_its_cell_for_good, setup),
		cmocka_unit_test_setup(test_a_cpu_lost_under_halt_system_halts_the_system, setup),
		cmocka_unit_test_setup(test_a_cpu_with_no_vcpu_loses_no_cell, setup),
		cmocka_unit_test_setup(
			test_a_first_start_left_to_a_cpu_that_cannot_run_it_fails_the_cell, setup),
		cmocka_unit_test_setup(test_a_started_cell_whose_boot_cpu_cannot_run_it_is_failed,
				       setup),
		cmocka_unit_test_setup(test_a_cpu_that_cannot_run_its_cell_under_halt_system_halts,
				       setup),
		cmocka_unit_test_setup(test_a_cpu_lost_in_its_cells_reload_leaves_it_stopped,
				       setup),
		cmocka_unit_test_setup(test_a_reload_on_another_cpu_ends_stopped_once_a_cpu_is_lost,
				       setup),
		cmocka_unit_test_setup(test_a_start_pending_when_a_cpu_is_lost_is_not_carried_out,
				       setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_as_a_taken_start_reloads_leaves_the_start_to_its_cpu,
			setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_while_a_start_is_left_to_another_cpu_leaves_it_there,
			setup),
		cmocka_unit_test_setup(test_a_stop_pending_when_a_cpu_is_lost_is_not_said_twice,
				       setup),
		cmocka_unit_test_setup(
			test_a_kick_on_a_cells_other_cpu_leaves_its_request_to_the_boot_cpu, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
