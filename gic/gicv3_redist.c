// SPDX-License-Identifier: GPL-2.0-only
/*
 * Finding a CPU's GICv3 redistributor. A board gives one or more GICR
 * regions (#redistributor-regions in its FDT: one per socket or cluster on
 * some), each a run of redistributors that ends at the one whose GICR_TYPER
 * has Last set (IHI 0069 §12.11.41), or at the region's end. One spans
 * RD_base and SGI_base, 128 KiB; a GICv4 one adds VLPI_base and a reserved
 * frame when GICR_TYPER.VLPIS is 1 (§9.10); a board with padding pages says
 * how far apart they are in redistributor-stride, which then wins (Linux's
 * gic_iterate_rdists() walks them the same way). Only MMIO reads: the host
 * unit tests walk regions that are arrays.
 */
#include <stdint.h>
#include "gic_priv.h"
#include "gic_regs.h"
#include "compiler.h"

static uint64_t gicv3_redist_next(const struct gicv3_redists *r, uint64_t typer)
{
	if (r->stride)
		return r->stride;
	return (typer & GICR_TYPER_VLPIS) ? 4 * GICR_FRAME_SIZE : 2 * GICR_FRAME_SIZE;
}

__cold uintptr_t gicv3_redist_find(const struct gicv3_redists *r, uint32_t affinity,
				   unsigned int *count)
{
	uintptr_t found = 0, base;
	uint64_t off, size, typer;
	unsigned int i, n = 0;

	for (i = 0; i < r->nr && i < PLATFORM_MAX_GICR_REGIONS; i++) {
		base = (uintptr_t)r->region[i].base;
		size = r->region[i].size;
		for (off = 0; size >= 2 * GICR_FRAME_SIZE && off <= size - 2 * GICR_FRAME_SIZE;
		     off += gicv3_redist_next(r, typer)) {
			typer = gic_read64(base, off + GICR_TYPER);
			n++;
			if (!found && GICR_TYPER_Affinity_Value(typer) == affinity)
				found = base + off;
			if (typer & GICR_TYPER_Last)
				break;
		}
	}
	if (count)
		*count = n;
	return found;
}
