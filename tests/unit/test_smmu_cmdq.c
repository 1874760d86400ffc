// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SMMUv3 command queue (smmu/smmu_cmdq.c, smmu/smmu_gerror.c) and its
 * lock, against the SMMU model (smmu_model.h): illegal commands skipped,
 * command errors the GERROR interrupt finds, the system halt by registers
 * alone, and stops and starts when a CPU lost inside a command holds the
 * lock.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_cpus.h"
#include "fake_log.h"
#include "smmu.h"
#include "smmu_fixture.h"

/* CPU 1 took the command queue's lock, faulted inside a command and parked (cell_lost.c). */
static void lock_held_by_a_lost_cpu(void)
{
	fake_cpu_takes(1, &smmu.cmd_lock);
	fake_parked_cpus = 1u << 1;
}

/*
 * The system halts on the CPU that faulted holding the command queue's lock
 * (partitions/halt.c): every transaction aborts all the same, by GBPA.ABORT
 * then SMMUEN 0, no command sent. Before 2026-11-24 the halt aborted each
 * cell's streams through the queue, and spun on its lock for ever.
 */
static void test_a_halt_aborts_all_dma_by_registers_with_the_queues_lock_held(void **state)
{
	(void)state;
	two_cells_with_streams();
	lock_held_by_a_lost_cpu();
	assert_int_equal(smmu_halt_dma(), 0);
	assert_true(gbpa_applied & GBPA_ABORT);
	assert_int_equal(REG(SMMU_CR0ACK) & CR0_SMMUEN, 0);
	assert_int_equal(bypass_windows, 0);
	/* The queue stays on for the CPU inside a command; nothing was queued. */
	assert_true(REG(SMMU_CR0ACK) & CR0_CMDQEN);
	assert_int_equal(nr_cmds, 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/* A GBPA update never applied: SMMUEN stays 1 (streams would bypass), the STEs abort instead. */
static void test_a_halt_whose_gbpa_abort_is_not_applied_leaves_the_smmu_on(void **state)
{
	(void)state;
	two_cells_with_streams();
	gbpa_stuck = true;
	assert_int_equal(smmu_halt_dma(), 0);
	assert_true(REG(SMMU_CR0ACK) & CR0_SMMUEN);
	assert_int_equal(bypass_windows, 0);
	assert_logged("E: smmu: GBPA.UPDATE still set after 100 ms: global abort not applied, "
		      "SMMUEN left on");
	assert_logged("E: smmu: the global abort failed: each cell's streams abort instead");
	assert_int_equal(ste_at(0x18)[0], STE0_ABORTS);
	assert_int_equal(ste_at(0x20)[0], STE0_ABORTS);
	assert_int_equal(ste_at(0x28)[0], STE0_ABORTS);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	assert_int_equal(cmds_with(CMD_TLBI_S12_VMALL), 2);
	assert_cmdq_drained();
	/* The lock was given back. */
	assert_int_equal(owned_lock_holder(&smmu.cmd_lock), -1);
}

/*
 * The same with a cell of the last id the layout gives, and with the
 * command queue stuck: every cell's streams abort in the table, and each
 * cell whose SMMU commands failed is named.
 */
static void test_a_halt_without_gbpa_aborts_the_last_cells_streams_and_names_failures(void **state)
{
	static struct cell last;

	(void)state;
	two_cells_with_streams();
	last = cells[1];
	last.id = LAYOUT_MAX_CELLS - 1;
	assert_int_equal(smmu_assign(&last, 0x30, EDU_DEV), 0);
	smmu_cell_resume(&last);
	gbpa_stuck = true;
	cmdq_stalled = true;
	assert_int_equal(smmu_halt_dma(), -ETIMEDOUT);
	assert_int_equal(ste_at(0x30)[0], STE0_ABORTS);
	assert_int_equal(ste_at(0x18)[0], STE0_ABORTS);
	assert_logged("E: alpha: SMMU: aborting the cell's streams failed (-110)");
	assert_logged("E: beta: SMMU: aborting the cell's streams failed (-110)");
}

/* Neither way: said, and the halt goes on; the lock a lost CPU holds is not waited for. */
static void test_a_halt_the_smmu_ignores_with_the_queues_lock_held_is_told(void **state)
{
	(void)state;
	two_cells_with_streams();
	cr0_stuck = true;
	lock_held_by_a_lost_cpu();
	assert_int_equal(smmu_halt_dma(), -EBUSY);
	assert_logged("E: smmu: register 0x20: 0xc not acknowledged within 100 ms");
	assert_logged("E: smmu: the global abort failed: each cell's streams abort instead");
	assert_logged("E: SMMU: the command queue's lock is held by CPU 1, lost inside a "
		      "command: no cell's streams aborted, their DMA may still reach "
		      "memory");
	assert_int_equal(ste_at(0x18)[0], STE0_S2_TRANS);
	assert_int_equal(nr_cmds, 0);
}

/*
 * alpha is stopped, or reloaded, while a CPU lost inside a command holds the
 * queue's lock (partitions/cell_lost.c): not waited for, and the stop is
 * told as failed. Its streams' STEs say abort all the same, for an SMMU that
 * fetches them afresh, and beta's are left alone. Until 2026-11-24 the stop
 * spun on the lock for ever, its interrupts masked.
 */
static void test_a_stop_with_the_queues_lock_held_by_a_lost_cpu_fails_at_once(void **state)
{
	(void)state;
	two_cells_with_streams();
	lock_held_by_a_lost_cpu();
	assert_int_equal(smmu_cell_abort(&cells[0]), -EBUSY);
	assert_logged("E: alpha: SMMU: the command queue's lock is held by CPU 1, lost inside a "
		      "command: the cell's streams abort in the stream table, but "
		      "the SMMU is not told and may still use their old entries, so its devices "
		      "may still reach its memory");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_int_equal(ste_at(0x18)[0], STE0_ABORTS);
	assert_int_equal(ste_at(0x20)[0], STE0_ABORTS);
	assert_int_equal(ste_at(0x28)[0], STE0_S2_TRANS);
	assert_int_equal(nr_cmds, 0);
	assert_true(relaxes < 1000); /* no wait */
	/* A start after it: not waited either, and told. */
	fake_log_reset();
	smmu_cell_resume(&cells[0]);
	assert_logged("E: alpha: SMMU: the command queue's lock is held by CPU 1, lost inside a "
		      "command: the cell's streams translate in the stream table, "
		      "but the SMMU is not told and may still abort its devices' DMA");
	assert_not_logged("re-enabling the cell's streams failed"); /* told once, as above */
	assert_int_equal(nr_cmds, 0);
}

/* A cell with no stream has nothing to tell the SMMU: its stop and start take no lock. */
static void test_a_cell_without_streams_stops_and_starts_with_the_queues_lock_held(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	nr_cmds = 0;
	fake_log_reset();
	fake_cpu_takes(2, &smmu.cmd_lock); /* a CPU that runs: a take would wait for it */
	assert_int_equal(smmu_cell_abort(&cells[1]), 0);
	smmu_cell_resume(&cells[1]);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
	assert_int_equal(nr_cmds, 0);
	assert_true(relaxes < 1000); /* no wait */
}

/*
 * The CPU that faulted inside a command runs its cell's stop itself
 * (cell_lost.c), before it parks: it holds the lock, and does not wait for
 * itself.
 */
static void test_a_stop_on_the_cpu_lost_holding_the_queues_lock_does_not_wait_for_it(void **state)
{
	(void)state;
	two_cells_with_streams();
	fake_cpu_takes(1, &smmu.cmd_lock);
	fake_cpu = 1; /* the holder, not parked yet */
	assert_int_equal(smmu_cell_abort(&cells[0]), -EBUSY);
	assert_logged("E: alpha: SMMU: the command queue's lock is held by CPU 1, lost inside a "
		      "command: the cell's streams abort in the stream table");
	assert_true(relaxes < 1000);
	assert_int_equal(ste_at(0x18)[0], STE0_ABORTS);
}

/*
 * A CPU that runs holds the lock a while (a loaded host, a slow SMMU: each of
 * its waits may take ACK_TIMEOUT_MS): it is waited for, however long, and
 * the stop reaches the SMMU. A 100 ms limit on the lock, as on 2026-11-24,
 * gave up on it and left the cell stopped for good, its reload refused.
 */
static void test_a_stop_waits_for_a_live_holder_of_the_queues_lock_past_100_ms(void **state)
{
	(void)state;
	two_cells_with_streams();
	fake_cpu_takes(2, &smmu.cmd_lock); /* CPU 2, running */
	holder_lets_go_after = 300000;	   /* 300 ms at the fake counter's 1 MHz, at least */
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_true(relaxes >= 300000);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	assert_int_equal(owned_lock_holder(&smmu.cmd_lock), -1); /* given back */
}

/*
 * The holder a taker read lets the lock go, faults elsewhere and parks before
 * the taker looks whether it parked: the lock is free, not lost. Read once,
 * the holder looked parked holding it, and the stop was told as not reaching
 * the SMMU (review, 2026-11-25).
 */
static void test_a_holder_that_parks_after_letting_the_lock_go_is_not_taken_as_lost(void **state)
{
	(void)state;
	two_cells_with_streams();
	fake_cpu_takes(1, &smmu.cmd_lock);
	fake_holder_parks_after_letting_go = &smmu.cmd_lock;
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
}

/*
 * CPU 1 faults as it takes the queue's lock, at the instant it asks which CPU
 * it is, and parks: the lock is free, or names CPU 1, never held by nobody
 * known. Until 2026-11-25 the holder was stored after the lock was taken: a
 * fault there left it held and unnamed, and the stop spun for ever.
 */
static void test_a_cpu_lost_as_it_takes_the_queues_lock_leaves_it_free_or_named(void **state)
{
	(void)state;
	two_cells_with_streams();
	fake_cpu1_faults_asking_its_index = true;
	fake_cpu = 1;
	if (!setjmp(fake_cpu_fault_point))
		smmu_cmd_lock();
	fake_cpu = 0;
	assert_true(fake_parked_cpus & (1u << 1));
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_true(relaxes < 1000); /* no wait */
	assert_cmd(0, CMD_CFGI_STE, 0x18);
}

static void test_an_illegal_command_is_skipped_and_the_queue_goes_on(void **state)
{
	(void)state;
	smmu_up();
	bad_opcode = CMD_TLBI_S12_VMALL;
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -EIO);
	/* Replaced before the acknowledgement, fetched again: the queue drained by the sync. */
	assert_cmdq_drained();
	assert_int_equal(cmd_errors, 1);
	assert_logged("E: alpha: SMMU: CMD_TLBI_S12_VMALL of VMID 1 (0x100000028 0x0) at CONS 0x");
	assert_logged("not consumed: CERROR_ILL (illegal command); replaced with CMD_SYNC");
	/* Another cell's stream, later: the queue works. */
	bad_opcode = 0;
	assert_int_equal(smmu_assign(&cells[1], 0x28, EDU_DEV), 0);
	assert_cmdq_drained();
}

/* How many times @text was logged since the last reset. */
static int times_logged(const char *text)
{
	int n = 0;

	for (const char *p = fake_log_text(); (p = strstr(p, text)); p += strlen(text))
		n++;
	return n;
}

/*
 * alpha, two streams, stops and the SMMU refuses both its CMD_CFGI_STEs
 * (CERROR_ILL, IHI 0070 §7.1): each is replaced with a CMD_SYNC and told
 * once, naming the cell and the stream; the rest of the batch runs, and the
 * fallback's CMD_CFGI_ALL, TLBI and sync, behind an empty queue, complete:
 * the stop is confirmed. Until 2026-11-25 the sync gave up at the first
 * refusal, the second CMD_CFGI_STE still queued: the fallback's sync met it
 * and failed too, so a cell with two streams or more was never stopped that
 * way (-EIO, its reload refused).
 */
static void test_a_two_stream_stop_whose_ste_invalidations_are_refused_falls_back(void **state)
{
	(void)state;
	two_cells_with_streams();
	bad_opcode = CMD_CFGI_STE;
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_int_equal(cmd_errors, 2);
	assert_int_equal(times_logged("E: alpha: SMMU: CMD_CFGI_STE of stream 0x18 ("), 1);
	assert_int_equal(times_logged("E: alpha: SMMU: CMD_CFGI_STE of stream 0x20 ("), 1);
	assert_int_equal(times_logged("replaced with CMD_SYNC"), 2);
	assert_logged("W: alpha: SMMU: invalidating the cell's STEs failed (-5): CMD_CFGI_ALL");
	assert_not_logged("aborting the cell's streams failed");
	/* The first batch's TLBI ran too, then the fallback. */
	assert_int_equal(cmds_with(CMD_TLBI_S12_VMALL), 2);
	assert_true(nr_cmds >= 3);
	assert_cmd(nr_cmds - 3, CMD_CFGI_ALL, 0);
	assert_cmd(nr_cmds - 2, CMD_TLBI_S12_VMALL, cells[0].s2.vmid);
	assert_cmd(nr_cmds - 1, CMD_SYNC, 0);
	assert_cmdq_drained();
	/* beta's stop after it finds nothing of alpha's left. */
	bad_opcode = 0;
	fake_log_reset();
	assert_int_equal(smmu_cell_abort(&cells[1]), 0);
	assert_int_equal(fake_log_count(LOG_ERR) + fake_log_count(LOG_WARN), 0);
}

/*
 * alpha's stop gives up waiting (a slow SMMU), its CMD_CFGI_STE of stream
 * 0x18 still queued; the SMMU refuses it as beta stops. beta's sync skips
 * it, tells it as alpha's, and completes: beta's own commands all ran, its
 * stop needs no fallback. Until 2026-11-25 beta's sync failed for alpha's
 * command, and it was told with no cell.
 */
static void test_another_cells_refused_command_does_not_fail_a_stop(void **state)
{
	(void)state;
	two_cells_with_streams();
	cmdq_stalled = true;
	assert_int_equal(smmu_cell_abort(&cells[0]), -ETIMEDOUT);
	cmdq_stalled = false;
	bad_cmd = CMD_CFGI_STE | (0x18ULL << CMD0_SID_SHIFT);
	fake_log_reset();
	assert_int_equal(smmu_cell_abort(&cells[1]), 0);
	assert_int_equal(cmd_errors, 1);
	assert_logged("E: alpha: SMMU: CMD_CFGI_STE of stream 0x18 (");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_not_logged("beta: SMMU: invalidating the cell's STEs failed");
	assert_cmd(nr_cmds - 3, CMD_CFGI_STE, 0x28);
	assert_cmd(nr_cmds - 1, CMD_SYNC, 0);
	assert_cmdq_drained();
}

/*
 * A queue of two entries (IDR1.CMDQS 1), a batch of four: the refusal is met
 * while waiting for room. The rest of the batch is queued and runs all the
 * same, and the batch fails at its sync, the fallback behind it. Until
 * 2026-11-25 the wait for room gave up the batch there, its TLBI never sent.
 */
static void test_a_refusal_met_waiting_for_room_lets_the_rest_of_the_batch_run(void **state)
{
	(void)state;
	REG(SMMU_IDR1) =
		(REG(SMMU_IDR1) & ~(IDR1_QS_MASK << IDR1_CMDQS_SHIFT)) | (1u << IDR1_CMDQS_SHIFT);
	two_cells_with_streams();
	bad_cmd = CMD_CFGI_STE | (0x18ULL << CMD0_SID_SHIFT);
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_int_equal(cmd_errors, 1);
	assert_int_equal(cmds_with(CMD_CFGI_STE), 1); /* 0x20's */
	assert_int_equal(cmds_with(CMD_TLBI_S12_VMALL), 2);
	assert_int_equal(cmds_with(CMD_CFGI_ALL), 1);
	assert_logged("W: alpha: SMMU: invalidating the cell's STEs failed (-5): CMD_CFGI_ALL");
	assert_cmdq_drained();
}

/* The SMMU wakes as the driver says the queue is stuck, and finds alpha's first command illegal. */
static void smmu_wakes_refusing_stream_0x18(const char *line)
{
	if (!strstr(line, "command queue stuck full"))
		return;
	cmdq_stalled = false;
	bad_cmd = CMD_CFGI_STE | (0x18ULL << CMD0_SID_SHIFT);
}

/*
 * A queue of two entries, and the SMMU slow: alpha's stop gives up waiting
 * for room for its TLBI, its two CMD_CFGI_STEs queued. The fallback's
 * CMD_CFGI_ALL waits for room in its turn, meets the first of them refused,
 * skips it, and completes: the refusal was the batch given up's, not the
 * fallback's, and the stop is confirmed.
 */
static void test_a_refusal_from_a_batch_given_up_does_not_fail_the_fallback(void **state)
{
	(void)state;
	REG(SMMU_IDR1) =
		(REG(SMMU_IDR1) & ~(IDR1_QS_MASK << IDR1_CMDQS_SHIFT)) | (1u << IDR1_CMDQS_SHIFT);
	two_cells_with_streams();
	cmdq_stalled = true;
	fake_log_set_hook(smmu_wakes_refusing_stream_0x18);
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	fake_log_set_hook(NULL);
	assert_int_equal(cmd_errors, 1);
	assert_logged("W: alpha: SMMU: invalidating the cell's STEs failed (-110): CMD_CFGI_ALL");
	assert_int_equal(cmds_with(CMD_CFGI_ALL), 1);
	assert_cmdq_drained();
}

/*
 * The SMMU's fetch of alpha's first command aborts three times (CERROR_ABT:
 * an external abort reading the queue), then succeeds: fetched again each
 * time, not replaced, told once, and the command takes effect: the stop
 * needs no fallback. Until 2026-11-25 the first abort failed the sync.
 */
static void test_a_command_whose_fetch_aborts_is_fetched_again_and_told_once(void **state)
{
	(void)state;
	two_cells_with_streams();
	fetch_aborts = 3;
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_int_equal(fetch_aborts, 0);
	assert_int_equal(times_logged("CERROR_ABT (the command's fetch aborted); tried again"), 1);
	assert_logged("E: alpha: SMMU: CMD_CFGI_STE of stream 0x18 (");
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_int_equal(cmds_with(CMD_CFGI_ALL), 0);
	assert_cmdq_drained();
}

/* A command error no issuer saw: left for the GERROR interrupt. */
static void command_error_for_the_gerror_interrupt(void)
{
	plat.smmu.gerror_irq = GERROR_INTID;
	smmu_up();
	/* The SMMU is slow: the driver's CMD_SYNC wait gives up first. */
	cmdq_stalled = true;
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -ETIMEDOUT);
	/* Then it reaches the CMD_CFGI_STE, finds it illegal, and raises GERROR. */
	bad_opcode = CMD_CFGI_STE;
	cmdq_stalled = false;
	model_step();
	assert_int_equal(cmd_errors, 1);
	fake_log_reset();
}

static void test_a_command_error_the_gerror_interrupt_finds_is_skipped_too(void **state)
{
	(void)state;
	command_error_for_the_gerror_interrupt();
	assert_true(smmu_irq(GERROR_INTID, GERROR_INTID));
	model_step();
	/* Acknowledged only, the command would have failed again: two errors, CONS at it. */
	assert_cmdq_drained();
	assert_int_equal(cmd_errors, 1);
	assert_logged("E: SMMU: global error 0x1 (command queue error)");
	/* Told as the command of the cell that queued it. */
	assert_logged("E: alpha: SMMU: CMD_CFGI_STE of stream 0x18 (0x1800000003 0x1) at CONS 0x");
	assert_logged("not consumed: CERROR_ILL (illegal command); replaced with CMD_SYNC");
}

/*
 * The same error found with the queue's lock held for ever (a CPU lost inside
 * a command): told, and the handler returns. Until 2026-11-24 it spun on the
 * lock in its interrupt handler.
 */
static void test_a_gerror_with_the_queues_lock_held_is_told_not_waited_for(void **state)
{
	(void)state;
	command_error_for_the_gerror_interrupt();
	lock_held_by_a_lost_cpu();
	assert_true(smmu_irq(GERROR_INTID, GERROR_INTID));
	assert_logged("E: SMMU: the command queue's lock is held by CPU 1, lost inside a "
		      "command: the command queue error is left unacknowledged, the "
		      "queue stopped; the others are acknowledged");
	assert_int_equal((REG(SMMU_GERROR) ^ REG(SMMU_GERRORN)) & GERROR_CMDQ_ERR, GERROR_CMDQ_ERR);
	/* Another error, later: acknowledged without the lock, or never signalled again. */
	REG(SMMU_GERROR) ^= GERROR_EVENTQ_ABT_ERR;
	fake_log_reset();
	assert_true(smmu_irq(GERROR_INTID, GERROR_INTID));
	assert_logged(
		"E: SMMU: global error 0x5 (command queue error) (event queue write aborted)");
	assert_int_equal((REG(SMMU_GERROR) ^ REG(SMMU_GERRORN)) & GERROR_EVENTQ_ABT_ERR, 0);
	assert_int_equal((REG(SMMU_GERROR) ^ REG(SMMU_GERRORN)) & GERROR_CMDQ_ERR, GERROR_CMDQ_ERR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SMMU_TEST(test_a_halt_aborts_all_dma_by_registers_with_the_queues_lock_held),
		SMMU_TEST(test_a_halt_whose_gbpa_abort_is_not_applied_leaves_the_smmu_on),
		SMMU_TEST(
			test_a_halt_without_gbpa_aborts_the_last_cells_streams_and_names_failures),
		SMMU_TEST(test_a_halt_the_smmu_ignores_with_the_queues_lock_held_is_told),
		SMMU_TEST(test_an_illegal_command_is_skipped_and_the_queue_goes_on),
		SMMU_TEST(test_a_two_stream_stop_whose_ste_invalidations_are_refused_falls_back),
		SMMU_TEST(test_another_cells_refused_command_does_not_fail_a_stop),
		SMMU_TEST(test_a_refusal_met_waiting_for_room_lets_the_rest_of_the_batch_run),
		SMMU_TEST(test_a_refusal_from_a_batch_given_up_does_not_fail_the_fallback),
		SMMU_TEST(test_a_command_whose_fetch_aborts_is_fetched_again_and_told_once),
		SMMU_TEST(test_a_command_error_the_gerror_interrupt_finds_is_skipped_too),
		SMMU_TEST(test_a_gerror_with_the_queues_lock_held_is_told_not_waited_for),
		SMMU_TEST(test_a_stop_with_the_queues_lock_held_by_a_lost_cpu_fails_at_once),
		SMMU_TEST(test_a_stop_on_the_cpu_lost_holding_the_queues_lock_does_not_wait_for_it),
		SMMU_TEST(test_a_stop_waits_for_a_live_holder_of_the_queues_lock_past_100_ms),
		SMMU_TEST(test_a_holder_that_parks_after_letting_the_lock_go_is_not_taken_as_lost),
		SMMU_TEST(test_a_cpu_lost_as_it_takes_the_queues_lock_leaves_it_free_or_named),
		SMMU_TEST(test_a_cell_without_streams_stops_and_starts_with_the_queues_lock_held),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
