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
	/* Fetched again, as the SMMU does once the error is acknowledged: no longer illegal. */
	model_step();
	assert_cmdq_drained();
	assert_int_equal(cmd_errors, 1);
	assert_logged("E: smmu: command 0x100000028 0x0 at CONS 0x");
	assert_logged("not consumed: CERROR_ILL (illegal command); replaced with CMD_SYNC");
	/* Another cell's stream, later: the queue works. */
	bad_opcode = 0;
	assert_int_equal(smmu_assign(&cells[1], 0x28, EDU_DEV), 0);
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
