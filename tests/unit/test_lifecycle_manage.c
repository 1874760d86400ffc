// SPDX-License-Identifier: GPL-2.0-only
/*
 * Management calls and the shell's requests (partitions/manage.c): only a
 * cell marked management operates others, never itself; what each call
 * answers (queued, busy, unknown cell or call); how long a caller waits for
 * the target's CPU; and how the shell names a cell.
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
#include "hypercall.h"
#include "lifecycle_fixture.h"
#include "manage.h"

static void test_management_stop_during_a_reload_answers_queued(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = management_stop;
	beta_resets_itself();
	assert_int_equal(told[0], 1);
	assert_beta_stopped();
	assert_logged("cell beta: stopped (stop requested: management call, instead of boot #6)");
}

/* A second CELL_STOP while one is queued: x0 = -5, busy, as before -EEXIST told it apart. */
static void test_management_second_stop_while_one_is_queued_answers_busy(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = management_stop;
	shell_times = 2;
	beta_resets_itself();
	assert_int_equal(told[0], 1);
	assert_int_equal(told[1], -5);
	assert_beta_stopped();
}

/*
 * A management cell may not CELL_STOP or CELL_RESTART itself (docs/console.md:
 * -3, use PSCI): its own vCPU would post a request for the CPU it runs on
 * and return into a cell already STOPPING. Nothing changes.
 */
static void assert_alpha_refuses_itself(uint32_t fid)
{
	struct smccc_regs regs = { .a = { fid, alpha->id } };
	jmp_buf back;

	self = SHELL_CPU; /* alpha's vCPU 0 runs there */
	loop = &back;
	if (setjmp(back))
		fail_msg("call 0x%x left alpha's guest", fid);
	manage_hypercall(&alpha->vcpus[0], &regs);
	if ((int64_t)regs.a[0] != -3)
		fail_msg("call 0x%x of alpha for itself answered %ld, want -3 (INVALID)", fid,
			 (long)regs.a[0]);
	if (alpha->state != CELL_RUNNING || alpha->request != CELL_REQ_NONE || alpha->stop_why ||
	    alpha->vcpus[0].power != VCPU_ON || alpha->boots != 5)
		fail_msg("call 0x%x changed alpha: %s, request %d", fid,
			 cell_state_name(alpha->state), alpha->request);
	assert_int_equal(loads + quiesces, 0);
}

static void test_management_cell_stopping_or_restarting_itself_is_refused(void **state)
{
	(void)state;
	assert_alpha_refuses_itself(BULKHEAD_HC_CELL_STOP);
	assert_alpha_refuses_itself(BULKHEAD_HC_CELL_RESTART);
}

/*
 * Only a cell marked `management` operates others (docs/console.md: -4,
 * denied, counted as a fault of the caller's). beta is not: its CELL_STOP,
 * CELL_START and CELL_RESTART of alpha are refused, and alpha runs on.
 */
static void test_a_cell_not_marked_management_cannot_stop_start_or_restart_another(void **state)
{
	static const uint32_t fids[] = { BULKHEAD_HC_CELL_STOP, BULKHEAD_HC_CELL_START,
					 BULKHEAD_HC_CELL_RESTART };
	jmp_buf back;

	(void)state;
	denials_expected = true;
	self = BETA_CPU;
	loop = &back;
	if (setjmp(back))
		fail_msg("beta's management call left its guest");
	for (unsigned int i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		struct smccc_regs regs = { .a = { fids[i], alpha->id } };

		manage_hypercall(&beta->vcpus[0], &regs);
		if (regs.a[0] != (uint64_t)-4)
			fail_msg("beta's call 0x%x of alpha answered %ld, want -4 (DENIED)",
				 fids[i], (long)regs.a[0]);
		if (alpha->state != CELL_RUNNING || alpha->request != CELL_REQ_NONE ||
		    alpha->stop_why || alpha->vcpus[0].power != VCPU_ON || alpha->boots != 5)
			fail_msg("beta's call 0x%x changed alpha: %s, request %d, boot %lu",
				 fids[i], cell_state_name(alpha->state), alpha->request,
				 (unsigned long)alpha->boots);
	}
	assert_int_equal(denials, 3);
	assert_int_equal(loads + quiesces, 0);
}

/*
 * alpha (a management cell, vCPU 0 on CPU 0) stops beta while a request for
 * alpha itself is pending (another management cell, or the shell, posted it
 * and may be waiting for CPU 0): alpha's CPU must not wait for beta's CPU
 * meanwhile. beta's CPU never takes its kick here (gic_kick() does
 * nothing): without the early return the wait ran out and beta was pulled
 * out of its guest.
 */
static void test_a_caller_with_a_request_of_its_own_does_not_wait(void **state)
{
	(void)state;
	self = SHELL_CPU;
	alpha->request = CELL_REQ_RESTART;
	assert_int_equal(manage_stop(beta, "management call"), 0);
	assert_not_logged("did not take its kick");
	assert_int_equal(beta->vcpus[0].power, VCPU_ON); /* not pulled out */
	assert_int_equal(beta->request, CELL_REQ_STOP);	 /* for beta's CPU to take */
}

/* The same with nothing pending for alpha: the wait runs out, beta is pulled out. */
static void test_a_kick_never_taken_is_waited_for_then_forced(void **state)
{
	uint64_t before;

	(void)state;
	before = now;
	self = SHELL_CPU;
	assert_int_equal(manage_stop(beta, "management call"), 0);
	assert_true(now - before >= arch_ms_to_ticks(500)); /* waited out, not forced at once */
	assert_logged("beta: CPU 1 did not take its kick within 500 ms: vCPUs turned off, stage 2 "
		      "revoked");
}

/* The shell names a cell by its label or by its index, below the count; nothing else. */
static void test_a_cell_is_found_by_its_label_or_its_index_only(void **state)
{
	static const char *const none[] = { "gamma", "2", "", "1x", "4294967297", "-1" };

	(void)state;
	assert_ptr_equal(manage_find("alpha"), alpha);
	assert_ptr_equal(manage_find("beta"), beta);
	assert_ptr_equal(manage_find("0"), alpha);
	assert_ptr_equal(manage_find("1"), beta);
	for (unsigned int i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (manage_find(none[i]))
			fail_msg("\"%s\" found cell %s", none[i], manage_find(none[i])->cfg->label);
}

/* Alpha's (a management cell's) call @fid about cell index @target. */
static struct smccc_regs management_call(uint32_t fid, uint64_t target)
{
	struct smccc_regs regs = { .a = { fid, target } };

	self = SHELL_CPU; /* alpha's vCPU 0 runs there */
	manage_hypercall(&alpha->vcpus[0], &regs);
	return regs;
}

/*
 * CELL_COUNT says how many; a call naming no cell, or an unknown call,
 * changes nothing; CELL_RESTART of a running cell restarts it.
 */
static void test_management_count_unknown_cell_unknown_call_and_restart(void **state)
{
	struct smccc_regs regs;

	(void)state;
	regs = management_call(BULKHEAD_HC_CELL_COUNT, 7);
	assert_int_equal(regs.a[0], 0);
	assert_int_equal(regs.a[1], 2);
	regs = management_call(BULKHEAD_HC_CELL_STOP, 2);
	assert_int_equal(regs.a[0], (uint64_t)-3); /* INVALID */
	regs = management_call(BULKHEAD_HC_CELL_RESTART + 1, 1);
	assert_int_equal(regs.a[0], SMCCC_RET_NOT_SUPPORTED);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->request, CELL_REQ_NONE);
	/* A running cell's restart is posted as one: a stop, then a start, by its own CPU. */
	regs = management_call(BULKHEAD_HC_CELL_RESTART, 1);
	assert_int_equal(regs.a[0], 0);
	assert_int_equal(beta->request, CELL_REQ_RESTART);
	assert_int_equal(beta->state, CELL_STOPPING);
}

/* CELL_STATUS reads under the cell's lock and lets it go; nothing is said. */
static void test_management_status_lets_go_of_the_cells_lock(void **state)
{
	struct smccc_regs regs;

	(void)state;
	regs = management_call(BULKHEAD_HC_CELL_STATUS, 1);
	assert_int_equal(regs.a[0], 0);
	assert_int_equal(regs.a[1], CELL_RUNNING);
	assert_true(spin_trylock(&beta->lock));
	spin_unlock(&beta->lock);
	assert_int_equal(fake_log_count(LOG_WARN), 0);
}

/*
 * A stopped cell: CELL_STOP answers BUSY (-5), CELL_START starts it, and a
 * restart starts it too, neither waiting for its CPU (idle in its loop).
 */
static void test_a_stopped_cell_is_started_by_a_start_or_a_restart_unwaited(void **state)
{
	struct smccc_regs regs;
	uint64_t before;

	(void)state;
	beta->state = CELL_STOPPED;
	regs = management_call(BULKHEAD_HC_CELL_STOP, 1);
	assert_int_equal(regs.a[0], (uint64_t)-5);
	assert_int_equal(beta->request, CELL_REQ_NONE);
	before = now;
	regs = management_call(BULKHEAD_HC_CELL_START, 1);
	assert_int_equal(regs.a[0], 0);
	assert_int_equal(beta->request, CELL_REQ_START);
	assert_int_equal(beta->state, CELL_LOADING);
	beta->state = CELL_STOPPED;
	beta->request = CELL_REQ_NONE;
	assert_int_equal(manage_restart(beta, "shell"), 0);
	assert_int_equal(beta->request, CELL_REQ_START);
	assert_true(now - before < arch_ms_to_ticks(500));
	assert_not_logged("did not take its kick");
}

/* A direct cell's guest may hold its kick off: it is forced out at once, not waited for. */
static void test_a_direct_cells_stop_forces_it_out_without_waiting(void **state)
{
	uint64_t before;

	(void)state;
	beta_cfg.irq_mode = LAYOUT_IRQ_DIRECT;
	self = SHELL_CPU;
	before = now;
	assert_int_equal(manage_stop(beta, "shell"), 0);
	assert_true(now - before < arch_ms_to_ticks(500));
	assert_not_logged("did not take its kick");
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF);
}

/* Lines logged since the last fake_log_reset(), at every level. */
static int lines_logged(void)
{
	return fake_log_count(LOG_ERR) + fake_log_count(LOG_WARN) + fake_log_count(LOG_INFO) +
	       fake_log_count(LOG_DEBUG);
}

/*
 * Alpha stops beta (CELL_STOP), beta's CPU taking it. beta is a direct
 * cell: pulled out of its guest at once, not waited for (the test's CPU 1
 * takes no kick while alpha's CPU waits).
 */
static void alpha_stops_beta(void)
{
	beta_cfg.irq_mode = LAYOUT_IRQ_DIRECT;
	assert_int_equal(management_call(BULKHEAD_HC_CELL_STOP, 1).a[0], 0);
	beta_takes_its_request();
}

/* Alpha starts beta (CELL_START), beta's CPU taking it, then the reload left to its loop. */
static void alpha_starts_beta(void)
{
	assert_int_equal(management_call(BULKHEAD_HC_CELL_START, 1).a[0], 0);
	beta_takes_its_request();
	cpu_loop_once(BETA_CPU); /* the reload left to its loop, then the guest (if it loaded) */
}

static void alpha_cycles_beta(void)
{
	alpha_stops_beta();
	assert_int_equal(beta->state, CELL_STOPPED);
	alpha_starts_beta();
	assert_int_equal(beta->state, CELL_RUNNING);
}

/*
 * A management cell that stops and starts another in a loop: four lines a
 * cycle until 2026-11-25 (stopped, reloading, starting, enters the guest),
 * 488 in the audit's 122 cycles a second, more than the UART sends, so the
 * console's ring filled and every CPU that printed waited behind them. As a
 * restart storm: the first 5 cycles told, then a line, then one every 100.
 */
static void test_a_cell_stopped_and_started_in_a_loop_is_told_then_counted(void **state)
{
	(void)state;
	fake_log_reset();
	for (unsigned int i = 0; i < 120; i++)
		alpha_cycles_beta();
	assert_int_equal(beta->boots, 5 + 120);
	if (lines_logged() > 30)
		fail_msg("120 stops and starts logged %d lines:\n%s", lines_logged(),
			 fake_log_text());
	assert_logged("cell beta: stopped again (stop requested: management call), 6 times in a "
		      "row within 1000 ms of each start: from now on only counted, one line every "
		      "100 stops and starts");
	assert_logged("cell beta: 100 stops and starts in a row, boot #106 next");
	assert_not_logged("boot #120 enters the guest");
}

/*
 * The run ends at a start that comes 1 s or more after its stop, or a boot
 * that runs 1 s: said once, and that cycle told in full again.
 */
static void test_a_late_start_or_a_long_boot_ends_a_loop_of_stops_and_starts(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < 10; i++)
		alpha_cycles_beta();
	fake_log_reset();
	alpha_stops_beta();
	assert_int_equal(fake_log_count(LOG_INFO), 0); /* still one of them */
	now += arch_ms_to_ticks(1000);
	alpha_starts_beta();
	assert_logged("cell beta: started 1000 ms or more after its stop; after 10 stops and "
		      "starts in a row, they are told again");
	assert_logged("cell beta: reloading (start requested: management call)");
	assert_logged("cell beta: boot #16 enters the guest");
	for (unsigned int i = 0; i < 10; i++)
		alpha_cycles_beta();
	fake_log_reset();
	now += arch_ms_to_ticks(1000);
	alpha_cycles_beta();
	assert_logged("cell beta: ran 1000 ms or more since its start; after 10 stops and starts "
		      "in a row, they are told again");
	assert_logged("cell beta: stopped (stop requested: management call)");
	assert_logged("cell beta: boot #27 enters the guest");
}

/*
 * A start whose reload fails leaves the cell stopped: the start after it,
 * 1 s later, is one that comes late after the stop, told in full, though
 * a start (the failed one) came between.
 */
static void test_a_late_start_after_a_failed_one_ends_a_loop_of_stops_and_starts(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < 10; i++)
		alpha_cycles_beta();
	alpha_stops_beta();
	quiesce_result = -ETIMEDOUT; /* its devices' DMA not stopped: the reload fails */
	alpha_starts_beta();
	quiesce_result = 0;
	assert_int_equal(beta->state, CELL_STOPPED);
	fake_log_reset();
	now += arch_ms_to_ticks(1000);
	alpha_starts_beta();
	assert_logged("cell beta: started 1000 ms or more after its stop");
	assert_logged("cell beta: reloading (start requested: management call)");
	assert_logged("enters the guest");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_management_stop_during_a_reload_answers_queued, setup),
		cmocka_unit_test_setup(test_management_second_stop_while_one_is_queued_answers_busy,
				       setup),
		cmocka_unit_test_setup(
			test_management_cell_stopping_or_restarting_itself_is_refused, setup),
		cmocka_unit_test_setup(
			test_a_cell_not_marked_management_cannot_stop_start_or_restart_another,
			setup),
		cmocka_unit_test_setup(test_a_caller_with_a_request_of_its_own_does_not_wait,
				       setup),
		cmocka_unit_test_setup(test_a_kick_never_taken_is_waited_for_then_forced, setup),
		cmocka_unit_test_setup(test_a_cell_is_found_by_its_label_or_its_index_only, setup),
		cmocka_unit_test_setup(test_management_count_unknown_cell_unknown_call_and_restart,
				       setup),
		cmocka_unit_test_setup(test_management_status_lets_go_of_the_cells_lock, setup),
		cmocka_unit_test_setup(
			test_a_stopped_cell_is_started_by_a_start_or_a_restart_unwaited, setup),
		cmocka_unit_test_setup(test_a_direct_cells_stop_forces_it_out_without_waiting,
				       setup),
		cmocka_unit_test_setup(
			test_a_cell_stopped_and_started_in_a_loop_is_told_then_counted, setup),
		cmocka_unit_test_setup(
			test_a_late_start_or_a_long_boot_ends_a_loop_of_stops_and_starts, setup),
		cmocka_unit_test_setup(
			test_a_late_start_after_a_failed_one_ends_a_loop_of_stops_and_starts,
			setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
