// SPDX-License-Identifier: GPL-2.0-only
/*
 * A stop asked for while a cell restarts or starts (partitions/manage.c,
 * partitions/cell.c). A cell restarting itself in a loop is RUNNING for
 * moments only, between reloads that take most of each cycle: a stop refused
 * as busy while it is STOPPING or LOADING could, in effect, never be taken.
 * It is queued instead, and the transition under way ends STOPPED. Also a
 * stop carried out on another cell's CPU (its SErrors the stopped cell's), a
 * restart whose DMA cannot be stopped, a refused cell, and a DMA fault's
 * request that comes during its boot's own restart.
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

static void test_restart_with_no_stop_runs_the_next_boot(void **state)
{
	(void)state;
	beta_resets_itself();
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->boots, 6);
	assert_int_equal(beta->vcpus[0].power, VCPU_ON_PENDING);
}

static void test_stop_during_a_restarts_reload_ends_it_stopped(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_int_equal(told[0], -EINPROGRESS);
	assert_beta_stopped();
	assert_logged("I: cell beta: stopped (stop requested: shell, instead of boot #6); the "
		      "other cells run on");
	/* Ended at the reload's end: until 2026-11-24 its stage 2 and DMA were given back first. */
	assert_int_equal(stage2_given_back + dma_resumed, 0);
}

static void test_stop_during_a_restarts_stop_half_skips_its_reload(void **state)
{
	(void)state;
	shell_at = AT_STOP_HALF;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_int_equal(told[0], -EINPROGRESS);
	assert_beta_stopped();
	assert_int_equal(loads, 0);
	assert_int_equal(quiesces, 1); /* its devices quiesced as any stop's */
	assert_logged("cell beta: stopped (stop requested: shell, instead of boot #6)");
	assert_not_logged("cell beta: restarting");
}

/*
 * A stop of the cell's own (another vCPU's SYSTEM_OFF, a fault whose policy
 * is to stop) while a restart is under way: until 2026-11-24 it was dropped
 * and the cell booted again, so racing a SYSTEM_RESET escaped the stop.
 */
static void test_own_stop_during_a_restart_ends_it_stopped(void **state)
{
	(void)state;
	shell_at = AT_STOP_HALF;
	shell_does = vcpu_powers_off;
	beta_resets_itself();
	assert_beta_stopped();
	assert_logged("cell beta: stopped (stop requested: PSCI SYSTEM_OFF, instead of boot #6)");
	setup(NULL);
	shell_at = AT_RELOAD;
	shell_does = vcpu_faults_stop;
	beta_resets_itself();
	assert_beta_stopped();
	assert_logged("cell beta: stopped (stop requested: fault, instead of boot #6)");
}

/*
 * A stop queued for the longest reason is told whole, with the boot it
 * cancels: until 2026-11-25 the reason went through an 80-byte buffer, and
 * the line ended "the hardware or the); the other cells run on".
 */
static void test_a_stop_queued_for_the_longest_reason_is_told_whole(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = vcpu_faults_not_its_own;
	beta_resets_itself();
	assert_beta_stopped();
	assert_logged("I: cell beta: stopped (stop requested: a stage-2 fault of the hypervisor's "
		      "tables, the hardware or the firmware, instead of boot #6); the other cells "
		      "run on\n");
}

static void test_second_stop_while_one_is_queued_is_already_done(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = shell_stop;
	shell_times = 2;
	beta_resets_itself();
	assert_int_equal(told[0], -EINPROGRESS);
	assert_int_equal(told[1], -EEXIST);
	assert_beta_stopped();
}

static int shell_restart(struct cell *cell, const char *why)
{
	return manage_restart(cell, why);
}

static void test_restart_during_a_reload_is_still_busy(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = shell_restart;
	beta_resets_itself();
	assert_int_equal(told[0], -EBUSY);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->boots, 6);
}

static void test_stop_during_a_stop_is_already_done(void **state)
{
	jmp_buf back;

	(void)state;
	shell_at = AT_STOP_HALF;
	shell_does = shell_stop;
	self = BETA_CPU;
	loop = &back;
	if (!setjmp(back))
		cell_stop(beta, "PSCI SYSTEM_OFF");
	assert_int_equal(told[0], -EEXIST);
	assert_beta_stopped();
	assert_logged("cell beta: stopped (PSCI SYSTEM_OFF)");
}

/* A layout's cell may be stopped before it ever starts: boot_cells() starts it on CPU 0. */
static void test_stop_before_a_cells_first_start_keeps_it_stopped(void **state)
{
	(void)state;
	beta->state = CELL_LOADING;
	beta->vcpus[0].power = VCPU_OFF;
	self = SHELL_CPU;
	assert_int_equal(manage_stop(beta, "shell"), -EINPROGRESS);
	cell_start(beta);
	assert_beta_stopped();
	assert_logged("cell beta: stopped (stop requested: shell, instead of boot #6)");
}

/* The shell stops beta while its start waits for its CPU: the start ends it STOPPED. */
static void test_a_stop_before_a_first_start_left_to_its_cpu_ends_it_stopped(void **state)
{
	(void)state;
	beta_first_start_at_boot(true);
	self = SHELL_CPU;
	assert_int_equal(manage_stop(beta, "shell"), -EINPROGRESS);
	beta_cpu_after_the_boot();
	assert_int_equal(first_boot_ends, 1); /* its functions placed again, then stopped */
	assert_beta_stopped();
	assert_logged("cell beta: stopped (stop requested: shell, instead of boot #6)");
}

/*
 * A reload that fails (here its devices' DMA could not be stopped) ends the
 * resets it began before the cell is STOPPED, as a stop ends them: a
 * stopped cell's functions are reset and placed again. Until 2026-11-25
 * they were left to the next start, a function its guest had left in a
 * reset of its own with its guest's Bus Master and INTx meanwhile.
 */
static void test_a_failed_reload_ends_its_pci_resets_before_the_cell_is_stopped(void **state)
{
	(void)state;
	beta_reload_resets = true;
	quiesce_result = -ETIMEDOUT;
	beta_resets_itself();
	if (first_boot_ends != 1)
		fail_msg("beta's PCI resets ended %u time(s) by its failed reload: wanted once",
			 first_boot_ends);
	assert_int_equal(state_at_first_boot_end, CELL_LOADING);
	assert_beta_stopped();
}

/*
 * Its devices' DMA could not be stopped (the SMMU did not take the abort):
 * scrubbing and reloading the memory they may still write to would hand
 * the next boot a corrupted image. The cell stays stopped instead.
 */
static void test_restart_whose_dma_cannot_be_stopped_is_not_reloaded(void **state)
{
	(void)state;
	quiesce_result = -ETIMEDOUT;
	beta_resets_itself();
	if (loads)
		fail_msg("beta reloaded (%u time(s)) though its DMA could not be stopped; it is %s",
			 loads, cell_state_name(beta->state));
	assert_beta_stopped();
	assert_logged("E: cell beta: stopping its devices' DMA before the reload failed; the cell "
		      "stays stopped");
}

/*
 * A cell refused at boot (a CPU it names is not online, cell_create.c) was
 * never built: no stage 2, no vCPU bound. A start would kick CPU 0 for a
 * reload that cannot run there; every request is refused, by the shell's
 * and a management cell's hand alike.
 */
static void test_refused_cell_takes_no_start_restart_or_stop(void **state)
{
	struct smccc_regs regs = { .a = { BULKHEAD_HC_CELL_START, 1 } };

	(void)state;
	memset(beta, 0, sizeof(*beta));
	beta->cfg = &beta_cfg;
	beta->id = 1;
	beta->refused = true;
	cells_pcpu_vcpu[BETA_CPU] = NULL;
	self = SHELL_CPU;
	assert_int_equal(manage_start(beta, "shell"), -ENODEV);
	assert_int_equal(manage_restart(beta, "shell"), -ENODEV);
	assert_int_equal(manage_stop(beta, "shell"), -ENODEV);
	manage_hypercall(&alpha->vcpus[0], &regs);
	assert_int_equal((int64_t)regs.a[0], -3); /* INVALID (docs/console.md) */
	if (beta->state != CELL_STOPPED || beta->request != CELL_REQ_NONE)
		fail_msg("refused beta is %s with request %d", cell_state_name(beta->state),
			 beta->request);
	assert_int_equal(loads, 0);
}

/*
 * A DMA fault taken just after beta stopped (its guest's SYSTEM_OFF, the
 * shell): fault_policy_async() saw it running, but the restart it asks for
 * finds it stopped. That stop stands; before, the restart started it again.
 */
static void test_a_late_dma_fault_restart_leaves_a_stopped_cell_stopped(void **state)
{
	(void)state;
	beta->state = CELL_STOPPED;
	beta->vcpus[0].power = VCPU_OFF;
	self = SHELL_CPU;
	assert_int_equal(manage_restart_async(beta, "DMA fault", 5), -EALREADY);
	assert_beta_stopped();
	assert_int_equal(beta->request, CELL_REQ_NONE);
	assert_int_equal(loads, 0);
}

/*
 * beta restarts, and its vcpu1 outlasts the stop (in WFI, its kick held
 * off): the reloaded cell waits LOADING for it to leave. A stop then is
 * carried out at once; until 2026-11-24 it was queued for a start that
 * might never come, and the cell stayed LOADING, every request busy.
 */
static void test_stop_of_a_cell_whose_start_waits_for_a_vcpu_ends_it_stopped(void **state)
{
	(void)state;
	beta_on_two_cpus();
	holds_kick = 2;
	beta_resets_itself();
	assert_int_equal(beta->state, CELL_LOADING);
	assert_logged("cell beta: vcpu1 (CPU 2) is still in the guest: the cell starts once it "
		      "leaves");
	self = SHELL_CPU;
	assert_int_equal(manage_stop(beta, "shell"), 0);
	if (beta->state != CELL_STOPPED)
		fail_msg("beta is %s after the stop; log:\n%s", cell_state_name(beta->state),
			 fake_log_text());
	assert_logged("cell beta: stopped (stop requested: shell, instead of boot #6)");
	/* vcpu1 leaves at last: nothing starts. */
	beta->vcpus[1].in_guest = false;
	self = 2;
	cell_start_deferred(&beta->vcpus[1]);
	assert_int_equal(beta->state, CELL_STOPPED);
	assert_int_equal(beta->boots, 5);
}

/*
 * The same stop, asked for by alpha's management call: carried out on
 * alpha's CPU, beta's PCI quiesce there. An SError its config writes raise
 * is taken right after it, as beta's (arch_serror_take_for()). Until
 * 2026-11-25 it stayed pending and alpha's guest took it at the hypercall's
 * return, as alpha's fault, under alpha's on-fault policy.
 */
static void beta_stopped_by_alphas_call_while_its_start_waits(void)
{
	beta_on_two_cpus();
	holds_kick = 2;
	beta_resets_itself();
	serror_windows = 0;
	self = 0; /* alpha's CPU, in its management call */
	assert_int_equal(management_stop(beta, "management call"), 0);
	assert_int_equal(beta->state, CELL_STOPPED);
}

static void test_a_stop_carried_out_on_another_cells_cpu_takes_its_serrors_as_its_own(void **state)
{
	(void)state;
	beta_stopped_by_alphas_call_while_its_start_waits();
	if (serror_windows != 1 || window_cell != beta || window_cpu != 0)
		fail_msg("%u SError window(s) after beta's quiesce on alpha's CPU, the last for "
			 "%s on CPU %u: wanted one, for beta, on CPU 0",
			 serror_windows, window_cell ? window_cell->cfg->label : "no cell",
			 window_cpu);
	assert_int_equal(quiesces_at_window, quiesces); /* right after the quiesce */
}

/* One pending before the quiesce is not the stopped cell's: no window, left for its CPU. */
static void test_an_serror_pending_before_a_quiesce_is_not_charged_to_its_cell(void **state)
{
	(void)state;
	serror_pending_before = true;
	beta_stopped_by_alphas_call_while_its_start_waits();
	assert_int_equal(serror_windows, 0);
}

/*
 * The same stop, queued while the reload is under way, before the start is
 * deferred: the reload's end carries it out. Until 2026-11-24 the start was
 * deferred all the same, and the cell stayed LOADING (a second stop found
 * one queued, -EALREADY), or started, stage 2 and DMA given back, once
 * vcpu1 left, and was stopped only then.
 */
static void test_stop_during_a_reload_whose_start_would_wait_ends_it_stopped(void **state)
{
	(void)state;
	beta_on_two_cpus();
	holds_kick = 2;
	shell_at = AT_RELOAD;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_int_equal(told[0], -EINPROGRESS);
	assert_beta_stopped();
	assert_logged("I: cell beta: stopped (stop requested: shell, instead of boot #6); the "
		      "other cells run on");
	assert_not_logged("the cell starts once it leaves");
	/* vcpu1 leaves at last: nothing is given back, nothing starts. */
	beta->vcpus[1].in_guest = false;
	self = 2;
	cell_start_deferred(&beta->vcpus[1]);
	assert_beta_stopped();
	assert_int_equal(stage2_given_back + dma_resumed, 0);
	/* Not busy any more: a start is taken. */
	self = SHELL_CPU;
	assert_int_equal(manage_start(beta, "shell"), 0);
}

/*
 * beta's device faults in boot #5; before the fault's policy is posted (from
 * the SMMU interrupt, on another CPU) beta's guest resets itself: boot #6
 * runs, and made no DMA. The restart or stop is refused under beta's lock,
 * as it would take beta out of RUNNING. Until 2026-11-25 boot #6 was
 * restarted or stopped for boot #5's DMA.
 */
static void test_a_dma_faults_request_for_a_boot_that_ended_is_not_posted(void **state)
{
	(void)state;
	beta_resets_itself();
	assert_int_equal(beta->boots, 6);
	self = SHELL_CPU;
	assert_int_equal(manage_restart_async(beta, "DMA fault", 5), -ESTALE);
	assert_int_equal(manage_stop_async(beta, "DMA fault", 5), -ESTALE);
	if (beta->state != CELL_RUNNING || beta->request != CELL_REQ_NONE)
		fail_msg("boot #6 of beta is %s with request %d for boot #5's DMA fault",
			 cell_state_name(beta->state), beta->request);
	assert_int_equal(loads, 1); /* the reset's */
}

/* The steps of beta's restart (its stop half, its reload) where boot #6 is not yet counted. */
static const enum step own_restart_steps[] = { AT_STOP_HALF, AT_RELOAD };
#define NR_OWN_RESTART_STEPS (sizeof(own_restart_steps) / sizeof(own_restart_steps[0]))

/* beta's guest resets itself; at step @i of it a DMA fault's request (@does) comes. Its answer. */
static int dma_fault_during_own_restart(unsigned int i, int (*does)(struct cell *, const char *))
{
	setup(NULL);
	shell_at = own_restart_steps[i];
	shell_does = does;
	beta_resets_itself();
	return told[0];
}

/*
 * beta's device faults in boot #5 as its guest resets itself: the fault's
 * on-fault restart comes while that restart is under way, boot #6 not yet
 * counted. It is refused as busy, not queued: the restart under way is the
 * one the fault asks for, and boot #6 runs, restarted once, with no request
 * left to restart it again.
 */
static void test_a_dma_faults_restart_during_the_boots_own_restart_restarts_once(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < NR_OWN_RESTART_STEPS; i++) {
		assert_int_equal(dma_fault_during_own_restart(i, dma_fault_restarts_boot_5),
				 -EBUSY);
		if (beta->state != CELL_RUNNING || beta->boots != 6 || loads != 1 ||
		    beta->request != CELL_REQ_NONE)
			fail_msg("at step %d beta is %s at boot #%lu after %u load(s), request %d",
				 own_restart_steps[i], cell_state_name(beta->state),
				 (unsigned long)beta->boots, loads, beta->request);
	}
}

/*
 * The same under on-fault stop: the stop is still boot #5's, queued, and
 * the restart under way ends stopped instead of starting boot #6
 * (docs/pci.md, "A policy acts on the boot that faulted").
 */
static void test_a_dma_faults_stop_during_the_boots_own_restart_ends_it_stopped(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < NR_OWN_RESTART_STEPS; i++) {
		assert_int_equal(dma_fault_during_own_restart(i, dma_fault_stops_boot_5),
				 -EINPROGRESS);
		assert_beta_stopped();
		assert_logged("I: cell beta: stopped (stop requested: DMA fault, instead of boot "
			      "#6); the other cells run on");
	}
}

/* The boot that faulted still runs: its restart is posted and carried out as before. */
static void test_a_dma_faults_restart_of_the_boot_that_faulted_is_carried_out(void **state)
{
	(void)state;
	self = SHELL_CPU;
	assert_int_equal(manage_restart_async(beta, "DMA fault", 5), 0);
	assert_int_equal(beta->request, CELL_REQ_RESTART);
	beta_takes_its_request();
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->boots, 6);
	assert_int_equal(loads, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_restart_with_no_stop_runs_the_next_boot, setup),
		cmocka_unit_test_setup(test_stop_during_a_restarts_reload_ends_it_stopped, setup),
		cmocka_unit_test_setup(test_stop_during_a_restarts_stop_half_skips_its_reload,
				       setup),
		cmocka_unit_test_setup(test_own_stop_during_a_restart_ends_it_stopped, setup),
		cmocka_unit_test_setup(test_a_stop_queued_for_the_longest_reason_is_told_whole,
				       setup),
		cmocka_unit_test_setup(
			test_stop_of_a_cell_whose_start_waits_for_a_vcpu_ends_it_stopped, setup),
		cmocka_unit_test_setup(
			test_stop_during_a_reload_whose_start_would_wait_ends_it_stopped, setup),
		cmocka_unit_test_setup(test_second_stop_while_one_is_queued_is_already_done, setup),
		cmocka_unit_test_setup(test_restart_during_a_reload_is_still_busy, setup),
		cmocka_unit_test_setup(test_stop_during_a_stop_is_already_done, setup),
		cmocka_unit_test_setup(test_stop_before_a_cells_first_start_keeps_it_stopped,
				       setup),
		cmocka_unit_test_setup(
			test_a_stop_before_a_first_start_left_to_its_cpu_ends_it_stopped, setup),
		cmocka_unit_test_setup(
			test_a_stop_carried_out_on_another_cells_cpu_takes_its_serrors_as_its_own,
			setup),
		cmocka_unit_test_setup(
			test_an_serror_pending_before_a_quiesce_is_not_charged_to_its_cell, setup),
		cmocka_unit_test_setup(
			test_a_failed_reload_ends_its_pci_resets_before_the_cell_is_stopped, setup),
		cmocka_unit_test_setup(test_restart_whose_dma_cannot_be_stopped_is_not_reloaded,
				       setup),
		cmocka_unit_test_setup(test_refused_cell_takes_no_start_restart_or_stop, setup),
		cmocka_unit_test_setup(test_a_late_dma_fault_restart_leaves_a_stopped_cell_stopped,
				       setup),
		cmocka_unit_test_setup(
			test_a_dma_faults_request_for_a_boot_that_ended_is_not_posted, setup),
		cmocka_unit_test_setup(
			test_a_dma_faults_restart_of_the_boot_that_faulted_is_carried_out, setup),
		cmocka_unit_test_setup(
			test_a_dma_faults_restart_during_the_boots_own_restart_restarts_once,
			setup),
		cmocka_unit_test_setup(
			test_a_dma_faults_stop_during_the_boots_own_restart_ends_it_stopped, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
