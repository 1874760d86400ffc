// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_gic (battery b): programs the distributor's global registers and
 * every SPI, the other cell's included: GICD_CTLR off, then every
 * ICENABLER/ICPENDR/ICACTIVER/ISENABLER/ISPENDR/ISACTIVER/IGROUPR/ICFGR with
 * all ones, every priority 0, every GICD_IROUTER (v3) or GICD_ITARGETSR (v2)
 * with all ones, its own redistributor's SGI/PPI registers too, then
 * GICD_CTLR all ones. Writes go through probe_write32() so a register the
 * vGIC refuses with an abort does not stop the cell. Interrupts stay masked.
 * HOSTILE_GIC_ROUNDS=0 (built by tests/scenarios/repro_victim_ticks.py, not
 * by make) repeats the battery for ever, saying "round N" every 10th round.
 */
#include "gic.h"
#include "hostile.h"

#ifndef HOSTILE_GIC_ROUNDS
#define HOSTILE_GIC_ROUNDS 3
#endif

static unsigned int aborted, written;

static void w32(uint64_t addr, uint32_t v)
{
	written++;
	if (probe_write32(addr, v) != 0)
		aborted++;
}

static void fill(uint64_t base, uint32_t first, uint32_t bytes, uint32_t v)
{
	uint32_t off;

	for (off = 0; off < bytes; off += 4)
		w32(base + first + off, v);
}

int main(void *dtb)
{
	unsigned int lines, intid, round;
	uint64_t val;

	(void)dtb;
	printf("hostile_gic: GICv%d, %u interrupt lines; writing all 1020\n", gic_version(),
	       ((gic_dist_read32(GICD_TYPER) & 0x1f) + 1) * 32);
	/* Every register of every INTID the architecture has, not only the cell's lines. */
	lines = 1024;
	/* round + 1 <=, not round <: no "always false" for GCC to warn about when it is 0 */
	for (round = 0; HOSTILE_GIC_ROUNDS == 0 || round + 1 <= HOSTILE_GIC_ROUNDS; round++) {
		if (HOSTILE_GIC_ROUNDS == 0 && round % 10 == 0)
			printf("hostile_gic: round %u, %u writes\n", round, written);
		w32(GICD_BASE + GICD_CTLR, 0);
		fill(GICD_BASE, GICD_IGROUPR, lines / 8, 0xffffffff);
		fill(GICD_BASE, GICD_ICENABLER, lines / 8, 0xffffffff);
		fill(GICD_BASE, GICD_ICPENDR, lines / 8, 0xffffffff);
		fill(GICD_BASE, GICD_ICACTIVER, lines / 8, 0xffffffff);
		fill(GICD_BASE, GICD_IPRIORITYR, lines, 0);
		fill(GICD_BASE, GICD_ICFGR, lines / 4, 0xffffffff);
		if (gic_version() == 3) {
			for (intid = 32; intid < 1020; intid++) {
				written++;
				if (probe_write(GICD_BASE + GICD_IROUTER + 8 * intid, ~0UL))
					aborted++;
			}
			/* Its own redistributor: SGIs and PPIs off, pending, active. */
			fill(GICR_SGI_BASE, GICD_ICENABLER, 4, 0xffffffff);
			fill(GICR_SGI_BASE, GICD_ISPENDR, 4, 0xffffffff);
			fill(GICR_SGI_BASE, GICD_ISACTIVER, 4, 0xffffffff);
		} else {
			fill(GICD_BASE, GICD_ITARGETSR, lines, 0xffffffff);
		}
		fill(GICD_BASE, GICD_ISENABLER, lines / 8, 0xffffffff);
		fill(GICD_BASE, GICD_ISPENDR, lines / 8, 0xffffffff);
		fill(GICD_BASE, GICD_ISACTIVER, lines / 8, 0xffffffff);
		w32(GICD_BASE + GICD_CTLR, 0xffffffff);
		/* Read everything back too: nothing of the other cell may show. */
		for (intid = 0; intid < 0x1000; intid += 4)
			(void)probe_read(GICD_BASE + intid, &val);
	}
	printf("hostile_gic: %u writes, %u aborted\n", written, aborted);
	TEST_PASS("hostile_gic");
	hostile_done("gic");
}
