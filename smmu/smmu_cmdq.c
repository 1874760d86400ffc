// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SMMUv3's command queue (IHI 0070 §4): commands written at PROD, each
 * with the cell whose it is, a CMD_SYNC waited for by polling CONS, and a
 * command the SMMU stopped at (GERROR.CMDQ_ERR) skipped or fetched again.
 * Everything here runs under smmu.cmd_lock, which no taker waits for once
 * its holder is lost (smmu_cmd_lock()).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include "arch/cpu.h"
#include "cell.h"
#include "log.h"
#include "smmu_priv.h"
#include "sysreg.h"

uint64_t smmu_cmdq[(1u << CMDQ_LOG2_MAX) * 2] __attribute__((aligned(4096)));

static bool cmdq_full(uint32_t prod, uint32_t cons)
{
	return q_idx(prod, smmu.cmdq_log2) == q_idx(cons, smmu.cmdq_log2) &&
	       q_wrap(prod, smmu.cmdq_log2) != q_wrap(cons, smmu.cmdq_log2);
}

static const char *cerror_name(uint32_t err)
{
	switch (err) {
	case CERROR_ILL:
		return "CERROR_ILL (illegal command)";
	case CERROR_ABT:
		return "CERROR_ABT (the command's fetch aborted)";
	case CERROR_ATC_INV_SYNC:
		return "CERROR_ATC_INV_SYNC (an ATC invalidation timed out)";
	default:
		return "unknown CMDQ_CONS.ERR";
	}
}

/* Command @w0 in words: its opcode's name and what it names, "CMD_CFGI_STE of stream 0x18". */
static const char *cmd_text(uint64_t w0, char *buf, size_t len)
{
	uint32_t arg = (uint32_t)(w0 >> 32);

	switch (w0 & 0xff) {
	case CMD_CFGI_STE:
		snprintf(buf, len, "CMD_CFGI_STE of stream 0x%x", arg);
		break;
	case CMD_CFGI_ALL:
		return "CMD_CFGI_ALL";
	case CMD_TLBI_S12_VMALL:
		snprintf(buf, len, "CMD_TLBI_S12_VMALL of VMID %u", arg & 0xffff);
		break;
	case CMD_TLBI_NSNH_ALL:
		return "CMD_TLBI_NSNH_ALL";
	case CMD_TLBI_EL2_ALL:
		return "CMD_TLBI_EL2_ALL";
	case CMD_SYNC:
		return "CMD_SYNC";
	default:
		snprintf(buf, len, "opcode 0x%x", (unsigned int)(w0 & 0xff));
		break;
	}
	return buf;
}

/* The queue position in @cons (CMDQ_CONS or PROD): its index and wrap bit, no ERR. */
static uint32_t cmdq_pos(uint32_t cons)
{
	return cons & ((2u << smmu.cmdq_log2) - 1);
}

/*
 * The command at position @cons was queued in the batch the next CMD_SYNC
 * ends: it is one of the last cmdq_batch_len queued. One before them is a
 * batch's whose issuer gave up waiting (a slow SMMU): not this one's failure.
 */
static bool cmdq_in_batch(uint32_t cons)
{
	return cmdq_pos(smmu.cmdq_prod - cons) <= smmu.cmdq_batch_len;
}

/* A batch ends, its sync completed or given up, or a push given up: the next starts afresh. */
static void cmdq_batch_end(void)
{
	smmu.cmdq_batch_len = 0;
	smmu.cmdq_batch_refused = 0;
	smmu.cmdq_retry_told = false;
}

/*
 * The error told: the command, the cell whose it is, why and what is done.
 * A fetch tried again (not replaced) may fail again at once, and again: told
 * once for its entry, not at every try.
 */
static void cmdq_error_told(uint32_t cons, uint32_t err, bool replace)
{
	const uint64_t *slot = &smmu_cmdq[q_idx(cons, smmu.cmdq_log2) * 2];
	const struct cell *cell = smmu.cmdq_whose[q_idx(cons, smmu.cmdq_log2)];
	char text[48];

	if (!replace && smmu.cmdq_retry_told && smmu.cmdq_retry_cons == cons)
		return;
	if (!replace) {
		smmu.cmdq_retry_told = true;
		smmu.cmdq_retry_cons = cons;
	}
	log_err("%s%sSMMU: %s (0x%lx 0x%lx) at CONS 0x%x not consumed: %s; %s",
		cell ? cell->cfg->label : "", cell ? ": " : "",
		cmd_text(slot[0], text, sizeof(text)), (unsigned long)slot[0],
		(unsigned long)slot[1], q_idx(cons, smmu.cmdq_log2), cerror_name(err),
		replace ? "replaced with CMD_SYNC, the commands after it go on" : "tried again");
}

/*
 * GERROR.CMDQ_ERR: the SMMU stopped at the command CONS points at, consumes
 * nothing while the error is active, and fetches that command again once it
 * is acknowledged (IHI 0070 §7.1). Acknowledged alone, an illegal command
 * fails again, forever, and every command behind it, any cell's, waits. So,
 * as Linux's arm_smmu_cmdq_skip_err() does: CERROR_ILL (and a code this
 * driver does not know) -> the command is replaced with a CMD_SYNC, which
 * does nothing of its own, before the acknowledgement (§7.1 lets software
 * change it while the error is active); CERROR_ABT -> the fetch is tried
 * again; CERROR_ATC_INV_SYNC -> the CMD_SYNC at CONS is tried again (no STE
 * enables ATS: no ATC invalidation is ever pending). A command replaced in
 * the batch under way fails that batch (smmu_cmdq_sync()). Returns whether
 * an error was active. Caller holds cmd_lock, under which alone
 * GERRORN.CMDQ_ERR is written.
 */
bool smmu_cmdq_skip_error(void)
{
	uint32_t cons, err;
	uint64_t *slot;
	bool replace;

	if (!((rd32(SMMU_GERROR) ^ rd32(SMMU_GERRORN)) & GERROR_CMDQ_ERR))
		return false;
	/* CONS.ERR is visible before GERROR says there is an error (§7.1). */
	cons = rd32(SMMU_CMDQ_CONS);
	err = (cons >> CMDQ_CONS_ERR_SHIFT) & CMDQ_CONS_ERR_MASK;
	cons = cmdq_pos(cons);
	slot = &smmu_cmdq[q_idx(cons, smmu.cmdq_log2) * 2];
	replace = err != CERROR_ABT && err != CERROR_ATC_INV_SYNC;
	cmdq_error_told(cons, err, replace);
	if (replace) {
		smmu.cmdq_batch_refused += cmdq_in_batch(cons);
		slot[0] = CMD_SYNC;
		slot[1] = 0;
		/* In memory before the acknowledgement makes the SMMU fetch it again. */
		dsb(ishst);
	}
	wr32(SMMU_GERRORN, rd32(SMMU_GERRORN) ^ GERROR_CMDQ_ERR);
	return true;
}

int smmu_cmdq_push(uint64_t w0, uint64_t w1)
{
	uint64_t start = arch_counter_read();
	uint64_t limit = arch_ms_to_ticks(ACK_TIMEOUT_MS);
	unsigned int idx;

	/* A command the SMMU stopped at is skipped, and the batch goes on (smmu_cmdq_sync()). */
	while (cmdq_full(smmu.cmdq_prod, rd32(SMMU_CMDQ_CONS))) {
		if (arch_counter_read() - start > limit) {
			cmdq_batch_end(); /* the caller gives it up */
			return log_err_ret(-ETIMEDOUT, "smmu: command queue stuck full");
		}
		if (!smmu_cmdq_skip_error())
			arch_cpu_relax();
	}
	idx = q_idx(smmu.cmdq_prod, smmu.cmdq_log2);
	smmu_cmdq[idx * 2] = w0;
	smmu_cmdq[idx * 2 + 1] = w1;
	smmu.cmdq_whose[idx] = smmu.cmdq_issuer;
	smmu.cmdq_batch_len++;
	/* The command must be in memory before the SMMU sees the new PROD. */
	dsb(ishst);
	smmu.cmdq_prod = q_inc(smmu.cmdq_prod, smmu.cmdq_log2);
	wr32(SMMU_CMDQ_PROD, smmu.cmdq_prod);
	return 0;
}

/*
 * Every command the SMMU stops at on the way is skipped, and the wait goes
 * on: the commands after it, this batch's or a later one's, still run, and
 * the queue is empty when this returns 0 or -EIO. Until 2026-11-25 the wait
 * gave up at the first: a batch with two refused commands left the second
 * queued, and the next sync (a stop's CMD_CFGI_ALL fallback) met it and
 * failed in its turn.
 */
int smmu_cmdq_sync(void)
{
	uint64_t start, limit = arch_ms_to_ticks(ACK_TIMEOUT_MS);
	int ret = smmu_cmdq_push(CMD_SYNC, 0);

	start = arch_counter_read();
	while (!ret && cmdq_pos(rd32(SMMU_CMDQ_CONS)) != smmu.cmdq_prod) {
		if (arch_counter_read() - start > limit)
			ret = log_err_ret(-ETIMEDOUT, "smmu: CMD_SYNC not completed within %u ms",
					  ACK_TIMEOUT_MS);
		else if (!smmu_cmdq_skip_error())
			arch_cpu_relax();
	}
	/* Completed, but a command of the batch was replaced: it did not take effect. */
	if (!ret && smmu.cmdq_batch_refused)
		ret = -EIO;
	cmdq_batch_end();
	return ret;
}

bool smmu_cmd_lock(void)
{
	return owned_lock_take(&smmu.cmd_lock);
}

void smmu_cmd_unlock(void)
{
	owned_lock_release(&smmu.cmd_lock);
}

void smmu_lock_lost_told(const struct cell *cell, const char *outcome)
{
	log_err("%s%sSMMU: the command queue's lock is held by CPU %d, lost inside a command: %s",
		cell ? cell->cfg->label : "", cell ? ": " : "", owned_lock_holder(&smmu.cmd_lock),
		outcome);
}

int smmu_cmd_run(const struct cell *cell, uint64_t w0, uint64_t w1)
{
	int ret;

	if (!smmu_cmd_lock())
		return -EBUSY;
	smmu.cmdq_issuer = cell;
	ret = smmu_cmdq_push(w0, w1);
	if (!ret)
		ret = smmu_cmdq_sync();
	smmu.cmdq_issuer = NULL;
	smmu_cmd_unlock();
	return ret;
}
