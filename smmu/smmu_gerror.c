// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMUv3 global errors (IHI 0070 §7.5): GERROR's active bits (those that
 * differ from GERRORN) told and acknowledged, a command-queue error skipped
 * first. Its interrupt comes through smmu_irq() (smmu/smmu_events.c).
 */
#include <stdio.h>
#include "log.h"
#include "smmu_priv.h"

const char *smmu_gerror_text(uint32_t active, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", active & GERROR_CMDQ_ERR ? " (command queue error)" : "",
		 active & GERROR_EVENTQ_ABT_ERR ? " (event queue write aborted)" : "",
		 active & GERROR_SFM_ERR ? " (service failure mode: the SMMU stopped)" : "");
	return buf;
}

void smmu_gerror_handle(void)
{
	uint32_t g = rd32(SMMU_GERROR), active = g ^ rd32(SMMU_GERRORN);
	char text[SMMU_GERROR_TEXT];
	bool locked;

	if (!active)
		return;
	/* QEMU reports a full event queue as EVENTQ_ABT_ERR: events lost, nothing broken. */
	if (active == GERROR_EVENTQ_ABT_ERR) {
		if (smmu.overflows++ < 4)
			log_warn("SMMU: event queue write aborted (queue full?): events were lost");
	} else {
		log_err("SMMU: global error 0x%x%s", active,
			smmu_gerror_text(active, text, sizeof(text)));
	}
	/*
	 * Acknowledge by making GERRORN equal to GERROR (§6.3.17), but for
	 * CMDQ_ERR: acknowledged without its command skipped, the SMMU would
	 * fetch that command again and fail again. Under cmd_lock, as a command
	 * issuer that meets the error handles it the same way, and GERRORN is
	 * written whole. Not waited for if its holder is lost: a CPU lost
	 * inside a command holds it for ever, and this one would spin in its
	 * interrupt handler, the console's and its cell's with it.
	 * Then the other errors are acknowledged without it, CMDQ_ERR left as
	 * it is: unacknowledged, an error stays active and the SMMU signals it
	 * no more (its interrupt is an edge), nor any later one of its kind.
	 */
	locked = smmu_cmd_lock();
	if (!locked)
		smmu_lock_lost_told(NULL, active & GERROR_CMDQ_ERR
						  ? "the command queue error is left "
						    "unacknowledged, the queue stopped; the "
						    "others are acknowledged"
						  : "the errors are acknowledged without it");
	else if (active & GERROR_CMDQ_ERR)
		smmu_cmdq_skip_error();
	wr32(SMMU_GERRORN, (rd32(SMMU_GERRORN) & GERROR_CMDQ_ERR) | (g & ~GERROR_CMDQ_ERR));
	if (locked)
		smmu_cmd_unlock();
}
