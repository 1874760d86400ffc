// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trigger (edge or level) of a GICv3 SPI at the physical distributor,
 * for direct interrupt mode (gic/vgic_direct.c), which writes what a cell's
 * guest programs into GICD_ICFGR through. One GICD_ICFGR word holds the
 * Int_config fields of 16 INTIDs, and those may belong to different cells
 * whose CPUs write through at the same time, each under its own cell's vGIC
 * lock only: the read-modify-write of the word is serialised by one global
 * lock, or one cell's write could undo another's. A CPU lost inside one (a
 * fault there: it parks) holds that lock for ever; nobody waits for it then,
 * and no trigger changes from then on. Apart from gicv3.c (system
 * registers) so that the host unit tests run it on a fake distributor.
 */
#include <stdbool.h>
#include <stdint.h>
#include "gic_priv.h"
#include "gic_regs.h"
#include "log.h"
#include "owned_lock.h"

static struct owned_lock icfgr_lock = OWNED_LOCK_INIT;

static bool icfgr_is_edge(uint32_t cfg, uint32_t intid)
{
	return (cfg & GICD_ICFGR_EDGE(intid)) != 0;
}

bool gicv3_icfgr_set_edge(uintptr_t dist, uint32_t intid, bool edge)
{
	uint32_t off = GICD_ICFGR + (intid / 16) * 4, cfg;

	/* The field is this INTID's owner's alone: a write through that keeps it takes no lock. */
	if (icfgr_is_edge(gic_read32(dist, off), intid) == edge)
		return true;
	if (!owned_lock_take(&icfgr_lock))
		return false;
	cfg = gic_read32(dist, off);
	/*
	 * Int_config may change only while the interrupt is disabled (IHI 0069
	 * §12.9.9), and a write to GICD_ICENABLER has taken effect only once
	 * GICD_CTLR.RWP reads 0 (§12.9.4). The caller enables it again if it should be.
	 */
	gic_write32(dist, GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
	if (!gic_poll_clear(dist, GICD_CTLR, GICD_CTLR_RWP))
		log_err("gic: GICD_CTLR.RWP stuck at 1: INTID %u disabled late, trigger changed "
			"all the same",
			intid);
	gic_write32(dist, off, edge ? cfg | GICD_ICFGR_EDGE(intid) : cfg & ~GICD_ICFGR_EDGE(intid));
	owned_lock_release(&icfgr_lock);
	return true;
}

int gicv3_icfgr_holder(void)
{
	return owned_lock_holder(&icfgr_lock);
}
