// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cells' SMMU streams against what the hypervisor's stream table holds
 * (include/smmu.h, smmu/smmu_strtab.c): streams below 1024 in a linear
 * table; from 0x400 up a two-level table, whose level-1 table reaches
 * 16-bit stream IDs and whose SMMU_STREAM_RANGES level-2 tables of 256
 * streams go to the ranges (0xNN00-0xNNff) the cells' streams are in. What
 * the SMMU itself takes (IDR0.ST_LEVEL, IDR1.SIDSIZE) only the boot can
 * read: smmu_assign() refuses a stream beyond it.
 */
#include <stdio.h>
#include "layout_internal.h"
#include "smmu.h"

uint32_t layout_highest_sid(const struct layout *l)
{
	uint32_t top = 0;

	for (int i = 0; i < l->nr_cells; i++) {
		const struct layout_cell *c = &l->cells[i];

		for (int d = 0; d < c->nr_devices; d++)
			for (int k = 0; k < c->devices[d].nr_sids; k++)
				if (c->devices[d].sids[k] > top)
					top = c->devices[d].sids[k];
		for (int k = 0; k < c->nr_pci; k++)
			if (c->pci_sid[k] != LAYOUT_NO_SID && c->pci_sid[k] > top)
				top = c->pci_sid[k];
	}
	return top;
}

/* The level-2 tables a two-level stream table gives, each to a range of 256 streams. */
struct ranges {
	bool two_level;
	unsigned int n;
	uint32_t range[SMMU_STREAM_RANGES];
};

/* Stream @sid of @who (a device's path, "BDF 0x...."), in @c's @prop, within the table. */
static void check_sid(struct layout_ctx *ctx, const struct layout_cell *c, const char *prop,
		      const char *who, uint32_t sid, struct ranges *r)
{
	uint32_t range = sid >> SMMU_STREAM_RANGE_LOG2;
	unsigned int i;

	if (sid >> SMMU_STREAM_ID_BITS) {
		layout_error(ctx, c->path, prop,
			     "%s: stream ID 0x%x is beyond the SMMU stream table the hypervisor "
			     "has (stream IDs below 0x%x)",
			     who, sid, 1u << SMMU_STREAM_ID_BITS);
		return;
	}
	if (!r->two_level)
		return;
	for (i = 0; i < r->n && r->range[i] != range; i++)
		;
	if (i < r->n)
		return;
	if (r->n == SMMU_STREAM_RANGES) {
		layout_error(
			ctx, c->path, prop,
			"%s: stream ID 0x%x needs a level-2 stream table for streams "
			"0x%x-0x%x, and the hypervisor has %u, all given to other ranges "
			"(0x%x-, 0x%x-, ...): with streams from 0x%x up the table is two-level, "
			"%u streams per level-2 table",
			who, sid, range << SMMU_STREAM_RANGE_LOG2,
			((range + 1) << SMMU_STREAM_RANGE_LOG2) - 1, SMMU_STREAM_RANGES,
			r->range[0] << SMMU_STREAM_RANGE_LOG2,
			r->range[1] << SMMU_STREAM_RANGE_LOG2, 1u << SMMU_LINEAR_STREAMS_LOG2,
			1u << SMMU_STREAM_RANGE_LOG2);
		return;
	}
	r->range[r->n++] = range;
}

void layout_check_streams(struct layout_ctx *ctx)
{
	const struct layout *l = ctx->out;
	struct ranges r = { .two_level = layout_highest_sid(l) >> SMMU_LINEAR_STREAMS_LOG2 != 0 };
	char bdf[16];

	_Static_assert(SMMU_STREAM_RANGES >= 2, "the message names two ranges");
	for (int i = 0; i < l->nr_cells; i++) {
		const struct layout_cell *c = &l->cells[i];

		for (int d = 0; d < c->nr_devices; d++)
			for (int k = 0; k < c->devices[d].nr_sids; k++)
				check_sid(ctx, c, "devices", c->devices[d].path,
					  c->devices[d].sids[k], &r);
		for (int k = 0; k < c->nr_pci; k++) {
			if (c->pci_sid[k] == LAYOUT_NO_SID)
				continue;
			snprintf(bdf, sizeof(bdf), "BDF 0x%04x", c->pci[k]);
			check_sid(ctx, c, "pci-devices", bdf, c->pci_sid[k], &r);
		}
	}
}
