// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's start (partitions/cell.c, cell_reload.c, cell_loop.c): the first
 * boot's start left to the cell's own CPU while its PCI functions' resets
 * end, a restart's resets ended in its CPU's loop with interrupts taken;
 * restart storms told from their sixth quick restart (partitions/cell_storm.c),
 * and the boot line's times (log_guest_entry()).
 *
 * The CPUs, devices and image are the test's (lifecycle_fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fake_log.h"
#include "lifecycle_fixture.h"

/*
 * The first boot's PCI resets end (waited for, functions placed again) as
 * the cell starts, before its boot vCPU is turned on and while the cell is
 * still LOADING, a stop queued meanwhile taken after. Until 2026-11-26
 * they ended before any cell was loaded, and the loads waited behind them.
 */
static void test_a_start_ends_the_first_boots_pci_resets_before_the_boot_vcpu_is_on(void **state)
{
	(void)state;
	beta->state = CELL_LOADING;
	beta->vcpus[0].power = VCPU_OFF;
	self = 0;
	cell_start(beta);
	if (first_boot_ends != 1 || power_at_first_boot_end != VCPU_OFF ||
	    state_at_first_boot_end != CELL_LOADING)
		fail_msg("the first boot's PCI resets ended %u time(s), the boot vCPU %d and the "
			 "cell %s then; wanted once, the vCPU off and the cell loading",
			 first_boot_ends, power_at_first_boot_end,
			 cell_state_name(state_at_first_boot_end));
	assert_int_equal(beta->vcpus[0].power, VCPU_ON_PENDING);
}

/*
 * beta's igb is still in the first boot's reset (up to 100 ms): the boot
 * CPU leaves beta's start to beta's own CPU, which waits for it after the
 * boot, beside the other cells. Until 2026-11-25 the boot CPU waited for
 * it, and every other cell's first instruction came after that wait.
 */
static void test_a_cell_with_a_reset_left_is_started_by_its_own_cpu_after_the_boot(void **state)
{
	(void)state;
	beta_first_start_at_boot(true);
	if (first_boot_ends || beta->state != CELL_LOADING || beta->vcpus[0].power != VCPU_OFF)
		fail_msg("the boot CPU started beta itself (%u reset end(s), beta %s); log:\n%s",
			 first_boot_ends, cell_state_name(beta->state), fake_log_text());
	assert_int_equal(beta->owner, BETA_CPU); /* a CPU lost meanwhile leaves the start to it */
	assert_logged("I: cell beta: starts after the boot, on CPU 1, once its PCI functions are "
		      "out of their reset");
	beta_cpu_after_the_boot();
	assert_int_equal(first_boot_ends, 1);
	assert_int_equal(first_boot_end_cpu, BETA_CPU);
	assert_int_equal(state_at_first_boot_end, CELL_LOADING);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_logged("I: cell beta: starting (boot #6)");
	assert_logged("I: cell beta: boot #6 enters the guest");
}

/*
 * The first start left to beta's CPU is its boot vCPU's CPU's: another of
 * beta's CPUs out of the boot first does not take it (cell_first_start()
 * made vCPU 0's CPU the start's owner, which a CPU lost in it is charged to).
 */
static void test_a_first_start_left_to_a_cells_cpu_is_not_taken_by_its_other_cpu(void **state)
{
	jmp_buf waits;

	(void)state;
	beta->nr_vcpus = 2;
	beta->vcpus[1] = (struct vcpu){ .cell = beta, .index = 1, .pcpu = 2, .power = VCPU_OFF };
	cells_pcpu_vcpu[2] = &beta->vcpus[1];
	beta_first_start_at_boot(true);
	self = 2;
	idle = &waits;
	if (!setjmp(waits))
		cell_cpu_loop(2);
	idle = NULL;
	if (first_boot_ends || beta->state != CELL_LOADING)
		fail_msg(
			"vCPU 1's CPU took beta's first start (%u reset end(s) on CPU %u, beta %s)",
			first_boot_ends, first_boot_end_cpu, cell_state_name(beta->state));
	beta_cpu_after_the_boot();
	assert_int_equal(first_boot_end_cpu, BETA_CPU);
	assert_int_equal(beta->state, CELL_RUNNING);
}

/* A cell with nothing left to wait for starts with the boot, on the boot CPU, as before. */
static void test_a_cell_with_no_reset_left_starts_with_the_boot(void **state)
{
	(void)state;
	beta_first_start_at_boot(false);
	assert_int_equal(first_boot_end_cpu, 0);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->vcpus[0].power, VCPU_ON_PENDING);
	assert_not_logged("starts after the boot");
	beta_cpu_after_the_boot();
	assert_int_equal(first_boot_ends, 1); /* not started a second time by its CPU */
	assert_int_equal(beta->boots, 6);
}

/*
 * beta restarts itself; its reload began its igb's reset (an FLR: 100 ms,
 * the load part of it). The restart leaves the start to beta's CPU's loop,
 * which takes its interrupts while the rest of the reset runs (the console's
 * and the SMMU's on the boot CPU, every cell's), then starts beta. Until
 * 2026-11-25 the reset was waited for whole, before the load, inside the
 * restart, interrupts masked: 100 ms more per restart.
 */
static void test_a_restarts_pci_resets_end_in_the_loop_with_interrupts_taken(void **state)
{
	(void)state;
	beta_reload_resets = true;
	reset_steps_left = 3;
	beta_resets_itself();
	if (first_boot_ends || beta->state != CELL_LOADING || !beta->start_left)
		fail_msg(
			"beta's restart ended its PCI resets itself (%u end(s), beta %s, its start "
			"%s), interrupts masked; log:\n%s",
			first_boot_ends, cell_state_name(beta->state),
			beta->start_left ? "left to its loop" : "not left", fake_log_text());
	assert_int_equal(beta->owner, BETA_CPU);
	beta_cpu_after_the_boot();
	if (windows_at_start != 3)
		fail_msg("beta's CPU opened %u interrupt window(s) before its start, for a reset "
			 "seen under way 3 times: wanted 3",
			 windows_at_start);
	assert_int_equal(first_boot_ends, 1);
	assert_int_equal(first_boot_end_cpu, BETA_CPU);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->boots, 6);
	assert_false(beta->start_left);
}

/*
 * beta's vcpu1, on CPU 2, resets the cell (PSCI SYSTEM_RESET from vcpu1, or
 * its fault under on-fault restart): CPU 2 carries the restart, and the
 * start is left to CPU 2's loop (beta's owner), which waits for the rest of
 * the reset with its interrupts taken; vCPU 0's CPU does not take it. Until
 * 2026-11-25 only vCPU 0's CPU had a start left: CPU 2 ended the reset
 * itself, in cell_start(), its interrupts masked for up to 100 ms at every
 * restart (on a board, CPU 2 may be the one that takes the console's and
 * the SMMU's interrupts).
 */
static void test_a_restart_from_vcpu1_ends_its_pci_resets_in_vcpu1s_loop(void **state)
{
	(void)state;
	vcpu1_restarts_beta_with_a_reset_left();
	if (first_boot_ends || !beta->start_left)
		fail_msg("vcpu1's restart ended beta's PCI resets itself on CPU %u (%u end(s), "
			 "%u interrupt window(s), start %s): masked, not in its loop",
			 first_boot_end_cpu, first_boot_ends, irq_windows,
			 beta->start_left ? "left" : "not left");
	assert_int_equal(beta->owner, 2);
	cpu_loop_once(BETA_CPU);
	if (first_boot_ends || beta->state != CELL_LOADING)
		fail_msg("vCPU 0's CPU took the start CPU 2 left to its own loop (beta %s)",
			 cell_state_name(beta->state));
	cpu_loop_once(2);
	assert_int_equal(windows_at_start, 3);
	assert_int_equal(first_boot_end_cpu, 2);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->boots, 6);
	assert_false(beta->start_left);
}

/*
 * The halt for the DMA fault of boot #5 is claimed, under beta's lock, once
 * CPU 1's reload has looked for it for the last time (the reload's own
 * drain found the record, or another CPU's drain, as beta was LOADING):
 * the start counts no boot #6, and CPU 1 parks. Until 2026-11-25 boot #6
 * was counted and said "starting", its CPU parking only in its loop.
 */
static void test_a_halt_claimed_after_a_reloads_last_look_starts_no_boot(void **state)
{
	(void)state;
	beta_resets_itself_as_the_system_halts(AT_RESUME);
	assert_int_equal(dma_resumed, 1);
	if (beta->boots != 5 || beta->state != CELL_LOADING)
		fail_msg("beta %s at boot #%lu after the halt; log:\n%s",
			 cell_state_name(beta->state), (unsigned long)beta->boots, fake_log_text());
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF);
	assert_not_logged("cell beta: starting");
}

/* A restart with no reset under way (no function, or none that offers one) starts at once. */
static void test_a_restart_with_no_pci_reset_under_way_starts_in_the_restart(void **state)
{
	(void)state;
	beta_resets_itself();
	assert_false(beta->start_left);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(irq_windows, 0);
}

/*
 * In a restart storm each restart's boot is quiet (cell_storm.c). The one a
 * queued stop cancels must not make the shell's next start quiet too.
 */
static void test_start_after_a_stop_in_a_restart_storm_is_told(void **state)
{
	(void)state;
	beta->quick_restarts = 50;
	beta->started_at = now;
	shell_at = AT_RELOAD;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_beta_stopped();
	fake_log_reset();
	beta->state = CELL_LOADING; /* as the shell's start leaves it for its reload */
	self = BETA_CPU;
	cell_start(beta);
	assert_logged("I: cell beta: starting (boot #6)");
	/* The run of quick restarts ended with the stop: the next one is told too. */
	fake_log_reset();
	beta->state = CELL_RUNNING;
	beta->vcpus[0].power = VCPU_ON;
	beta_resets_itself();
	assert_logged("I: cell beta: restarting (PSCI SYSTEM_RESET)");
	assert_not_logged("restarting again");
}

/*
 * A restart that ends a boot of a second or more is not a quick one: the
 * run of quick restarts starts after it. Five quick restarts are told in
 * full, the sixth says the rest will only be counted (docs/console.md).
 */
static void test_a_storm_is_told_from_its_sixth_quick_restart(void **state)
{
	unsigned int i;

	(void)state;
	beta->quick_restarts = 0;
	beta->started_at = now - 2000 * 1000; /* two seconds at 1 MHz */
	assert_true(cell_restart_told(beta, "PSCI SYSTEM_RESET"));
	for (i = 0; i < 5; i++) {
		beta->started_at = now;
		assert_true(cell_restart_told(beta, "PSCI SYSTEM_RESET"));
	}
	assert_not_logged("restarting again");
	beta->started_at = now;
	assert_false(cell_restart_told(beta, "PSCI SYSTEM_RESET"));
	assert_logged("W: cell beta: restarting again (PSCI SYSTEM_RESET), 6 times in a row");
}

/*
 * The boot line's times at QEMU virt's 62.5 MHz, a frequency in no whole
 * MHz: counted in whole ticks per us (62) they ran 0.8 % fast, so the time
 * since reset grew 31 us more than it should at each 3.8 ms restart of the
 * bench cell, and `make bench`'s restart cost with it (docs/performance.md).
 */
static void test_boot_entry_times_are_exact_at_a_fractional_mhz(void **state)
{
	jmp_buf entered;

	(void)state;
	beta_resets_itself();
	assert_int_equal(beta->vcpus[0].power, VCPU_ON_PENDING);
	counter_hz = 62500000;
	now = 625000000 - 1000;				/* the next read: 10 s after reset */
	beta->reload_began = 625000000 - 62500 * 4 - 6; /* 4 ms and 6 ticks before */
	guest = &entered;
	if (!setjmp(entered))
		cell_cpu_loop(BETA_CPU);
	assert_logged("cell beta: boot #6 enters the guest 10000.000 ms after reset, 4.000 ms "
		      "after its reload began");
}

/*
 * A reload whose functions are still in a reset when its load ends leaves
 * the start to the loop; a function its guest put into a reset just before
 * (an Initiate FLR it does not implement, a D3hot with No_Soft_Reset) keeps
 * Bus Master and the old boot's descriptors until the loop quiesces it. So
 * the cell's DMA stays aborted until then: given back by the loop, after
 * the resets, once, before the start. Until 2026-11-25 give_back_and_start()
 * gave it back first, and the old boot's DMA could write into the new
 * boot's kernel and device tree for up to 100 ms.
 */
static void test_a_reloads_dma_is_given_back_only_after_its_functions_resets(void **state)
{
	(void)state;
	beta_reload_resets = true;
	reset_steps_left = 3;
	beta_resets_itself();
	beta_cpu_after_the_boot();
	if (resumed_at_first_step != 0)
		fail_msg(
			"beta's DMA was given back %u time(s) before the loop looked at its resets",
			resumed_at_first_step);
	assert_int_equal(dma_resumed, 1);
	assert_int_equal(beta->state, CELL_RUNNING);
}

/*
 * beta's reload carried by a CPU that runs none of its vCPUs (CPU 0), its
 * function still in a reset: its start is not left to a loop, and ends the
 * resets itself (pci_reset_end()). Its DMA comes back only after that, in
 * cell_start(), as on every path to a start. Until 2026-11-25 such a start
 * (give_back_and_start()) gave it back first: a function whose guest's
 * reset reset nothing could write into the new boot's memory meanwhile.
 */
static void test_a_start_not_left_to_the_loop_gives_dma_back_after_its_resets(void **state)
{
	(void)state;
	beta_reload_resets = true;
	beta->state = CELL_LOADING; /* as a restart's stop leaves it */
	beta->owner = 0;
	beta->vcpus[0].power = VCPU_OFF;
	beta->vcpus[0].in_guest = false;
	self = 0;
	cell_reload_and_start(beta, "start requested: shell");
	if (resumed_at_reset_end != 0)
		fail_msg("beta's DMA was given back %u time(s) before its PCI resets ended",
			 resumed_at_reset_end);
	assert_int_equal(dma_resumed, 1);
	assert_int_equal(beta->state, CELL_RUNNING);
}

/*
 * The first start too, left to beta's CPU by the boot: its DMA (aborted
 * since smmu_assign()) comes back as it starts, after the first boot's
 * resets, once. Until 2026-11-25 it came back at the end of its first load,
 * before them (cell_create.c).
 */
static void test_a_first_start_gives_dma_back_after_the_first_boots_resets(void **state)
{
	(void)state;
	reset_steps_left = 2;
	beta_first_start_at_boot(true);
	beta_cpu_after_the_boot();
	if (resumed_at_reset_end != 0 || dma_resumed != 1)
		fail_msg("beta's DMA given back %u time(s), %u before its first boot's resets "
			 "ended: wanted once, after",
			 dma_resumed, resumed_at_reset_end);
	assert_int_equal(beta->state, CELL_RUNNING);
}

/* beta's first boot on CPUs 1 and 2, its start left to CPU 1 by the boot (a reset to wait for). */
static void beta_first_start_left_on_two_cpus(void)
{
	beta->nr_vcpus = 2;
	beta->vcpus[1] = (struct vcpu){ .cell = beta, .index = 1, .pcpu = 2, .power = VCPU_OFF };
	cells_pcpu_vcpu[2] = &beta->vcpus[1];
	beta_cfg.nr_pci = 1; /* an SMMU stream */
	relax_limit = 1000000;
	beta_first_start_at_boot(true);
}

/*
 * CPU 3, outside beta (the shell's, a management call's, a DMA fault's), is
 * lost at EL2 holding beta's lock: beta is failed, its vCPUs kicked, and
 * its vcpu1's CPU, back in its loop, aborts its streams, once, then parks
 * at that lock.
 */
static void beta_fails_and_cpu_2_stops_its_dma(void)
{
	lose_cpu_inside(3, &beta->lock);
	cell_cpu_lost(); /* no vCPU there: beta failed, its vCPUs out, no stop */
	cpu_loop_or_park(2);
	if (streams_aborted != 1 || streams_aborted_by != 2)
		fail_msg("beta's streams aborted %u time(s), last by CPU %u: wanted once, by CPU 2",
			 streams_aborted, streams_aborted_by);
}

/* beta's first start, left to CPU 1, with beta failed at @step of it; CPU 1 parks at the lock. */
static void beta_fails_during_its_first_start(enum step step)
{
	beta_first_start_left_on_two_cpus();
	meanwhile_at = step;
	meanwhile = beta_fails_and_cpu_2_stops_its_dma;
	cpu_loop_or_park(BETA_CPU);
	if (meanwhile_at != AT_NONE || parks != 2) /* CPUs 2 and 1, at beta's lock */
		fail_msg("beta %s failed during its start; %u CPU(s) parked, wanted 2",
			 meanwhile_at != AT_NONE ? "was not" : "was", parks);
	if (beta_dma_translates)
		fail_msg("beta, failed, has its streams translating: given back %u time(s), "
			 "aborted %u; log:\n%s",
			 dma_resumed, streams_aborted, fake_log_text());
}

/*
 * CPU 1's start, left to it by the boot, waits for beta's PCI resets while
 * beta fails and CPU 2 aborts its streams. The start then finds beta
 * failed, gives its DMA nothing back, and parks at the lost lock. Until
 * 2026-11-26 it gave the DMA back first and nothing aborted it again: a
 * failed cell's devices wrote on into its memory, their faults a storm of
 * SMMU events no policy acts on.
 */
static void test_a_cell_failed_before_its_start_gives_dma_back_gets_none(void **state)
{
	(void)state;
	beta_fails_during_its_first_start(AT_FIRST_BOOT_END);
	assert_int_equal(dma_resumed, 0);
	assert_int_equal(beta->state, CELL_LOADING); /* failed: its last state */
}

/*
 * The same, beta failed after the start's look, CPU 2's abort in the SMMU's
 * command queue before CPU 1's resume: CPU 1 looks again after it, and
 * aborts the streams again.
 */
static void test_a_cell_failed_as_its_start_gives_dma_back_has_it_aborted(void **state)
{
	(void)state;
	beta_fails_during_its_first_start(AT_RESUME);
	assert_int_equal(dma_resumed, 1);
	assert_int_equal(streams_aborted_by, BETA_CPU);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_a_start_not_left_to_the_loop_gives_dma_back_after_its_resets, setup),
		cmocka_unit_test_setup(
			test_a_first_start_gives_dma_back_after_the_first_boots_resets, setup),
		cmocka_unit_test_setup(
			test_a_reloads_dma_is_given_back_only_after_its_functions_resets, setup),
		cmocka_unit_test_setup(
			test_a_cell_with_a_reset_left_is_started_by_its_own_cpu_after_the_boot,
			setup),
		cmocka_unit_test_setup(
			test_a_first_start_left_to_a_cells_cpu_is_not_taken_by_its_other_cpu,
			setup),
		cmocka_unit_test_setup(test_a_cell_with_no_reset_left_starts_with_the_boot, setup),
		cmocka_unit_test_setup(
			test_a_restarts_pci_resets_end_in_the_loop_with_interrupts_taken, setup),
		cmocka_unit_test_setup(
			test_a_restart_with_no_pci_reset_under_way_starts_in_the_restart, setup),
		cmocka_unit_test_setup(test_a_restart_from_vcpu1_ends_its_pci_resets_in_vcpu1s_loop,
				       setup),
		cmocka_unit_test_setup(test_a_halt_claimed_after_a_reloads_last_look_starts_no_boot,
				       setup),
		cmocka_unit_test_setup(test_start_after_a_stop_in_a_restart_storm_is_told, setup),
		cmocka_unit_test_setup(
			test_a_start_ends_the_first_boots_pci_resets_before_the_boot_vcpu_is_on,
			setup),
		cmocka_unit_test_setup(test_a_storm_is_told_from_its_sixth_quick_restart, setup),
		cmocka_unit_test_setup(test_boot_entry_times_are_exact_at_a_fractional_mhz, setup),
		cmocka_unit_test_setup(test_a_cell_failed_before_its_start_gives_dma_back_gets_none,
				       setup),
		cmocka_unit_test_setup(
			test_a_cell_failed_as_its_start_gives_dma_back_has_it_aborted, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
