// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SMMUv3's command queue (IHI 0070 §4): commands written at PROD, a
 * CMD_SYNC waited for by polling CONS, and a command the SMMU stopped at
 * (GERROR.CMDQ_ERR) skipped or fetched again. Everything here runs under
 * smmu.cmd_lock, which no taker waits for once its holder is lost
 * (smmu_cmd_lock()).
 */
#include <errno.h>
#include <stdint.h>
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

/*
 * GERROR.CMDQ_ERR: the SMMU stopped at the command CONS points at, and
 * fetches it again once the error is acknowledged (IHI 0070 §7.1).
 * Acknowledged alone, an illegal command fails again, forever, and every
 * command behind it waits. So, as Linux's arm_smmu_cmdq_skip_err() does:
 * CERROR_ILL (and a code this driver does not know) -> the command is
 * replaced with a CMD_SYNC, which does nothing of its own, before the
 * acknowledgement; CERROR_ABT -> the fetch is tried again; CERROR_ATC_INV_SYNC
 * -> the CMD_SYNC at CONS is tried again (no STE enables ATS: no ATC
 * invalidation is ever pending). Returns whether an error was active. Caller
 * holds cmd_lock, under which alone GERRORN.CMDQ_ERR is written.
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
	slot = &smmu_cmdq[q_idx(cons, smmu.cmdq_log2) * 2];
	replace = err != CERROR_ABT && err != CERROR_ATC_INV_SYNC;
	log_err("smmu: command 0x%lx 0x%lx at CONS 0x%x not consumed: %s; %s",
		(unsigned long)slot[0], (unsigned long)slot[1], q_idx(cons, smmu.cmdq_log2),
		cerror_name(err), replace ? "replaced with CMD_SYNC" : "tried again");
	if (replace) {
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
	uint64_t *slot;

	while (cmdq_full(smmu.cmdq_prod, rd32(SMMU_CMDQ_CONS))) {
		/* A batch longer than the queue (cell_streams_set()) meets its error here. */
		if (smmu_cmdq_skip_error())
			return -EIO;
		if (arch_counter_read() - start > limit)
			return log_err_ret(-ETIMEDOUT, "smmu: command queue stuck full");
		arch_cpu_relax();
	}
	slot = &smmu_cmdq[q_idx(smmu.cmdq_prod, smmu.cmdq_log2) * 2];
	slot[0] = w0;
	slot[1] = w1;
	/* The command must be in memory before the SMMU sees the new PROD. */
	dsb(ishst);
	smmu.cmdq_prod = q_inc(smmu.cmdq_prod, smmu.cmdq_log2);
	wr32(SMMU_CMDQ_PROD, smmu.cmdq_prod);
	return 0;
}

int smmu_cmdq_sync(void)
{
	uint64_t start, limit = arch_ms_to_ticks(ACK_TIMEOUT_MS);
	uint32_t cons;
	int ret = smmu_cmdq_push(CMD_SYNC, 0);

	start = arch_counter_read();
	while (!ret) {
		cons = rd32(SMMU_CMDQ_CONS);
		/* Skipped, the queue goes on; this sync's commands did not all take effect. */
		if (smmu_cmdq_skip_error())
			return -EIO;
		if ((cons & ((2u << smmu.cmdq_log2) - 1)) == smmu.cmdq_prod)
			return 0;
		if (arch_counter_read() - start > limit)
			return log_err_ret(-ETIMEDOUT, "smmu: CMD_SYNC not completed within %u ms",
					   ACK_TIMEOUT_MS);
		arch_cpu_relax();
	}
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

int smmu_cmd_run(uint64_t w0, uint64_t w1)
{
	int ret;

	if (!smmu_cmd_lock())
		return -EBUSY;
	ret = smmu_cmdq_push(w0, w1);
	if (!ret)
		ret = smmu_cmdq_sync();
	smmu_cmd_unlock();
	return ret;
}
