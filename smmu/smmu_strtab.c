// SPDX-License-Identifier: GPL-2.0-only
/*
 * The stream table's memory, and where a stream's STE is in it.
 *
 * Linear (the boot's, and any layout's whose streams are below 1024):
 * smmu_strtab[] is the table, STE N for stream N. Two-level (IHI 0070
 * §3.3, smmu_strtab_fit() chooses it for streams beyond): smmu_strtab_l1[]
 * has a Level 1 Stream Table Descriptor per range of 256 streams (SPLIT 8),
 * and smmu_strtab[] is STRTAB_L2_TABLES level-2 tables of 256 STEs, each
 * given at boot to a range as a cell is given its first stream there. Every other
 * L1STD stays invalid (Span 0): the SMMU aborts those streams
 * (C_BAD_STREAMID, not recorded), as it does beyond a linear table. Nothing
 * is allocated: the two forms share the same 64 KiB of STEs.
 */
#include <errno.h>
#include <string.h>
#include "smmu_priv.h"
#include "sysreg.h"

/* Each table aligned to its size: a base's low bits are ignored (§6.3.23, §5.1). */
uint64_t smmu_strtab[(1u << STRTAB_LOG2_MAX) * STE_DWORDS]
	__attribute__((aligned((1u << STRTAB_LOG2_MAX) * STE_DWORDS * 8)));
uint64_t smmu_strtab_l1[1u << STRTAB_L1_LOG2_MAX]
	__attribute__((aligned((1u << STRTAB_L1_LOG2_MAX) * 8)));

_Static_assert((STRTAB_L2_TABLES * STRTAB_L2_STES) == 1u << STRTAB_LOG2_MAX,
	       "the level-2 tables are the linear table's STEs");

void smmu_strtab_clear(void)
{
	memset(smmu_strtab, 0, sizeof(smmu_strtab));	   /* V = 0: abort with C_BAD_STE */
	memset(smmu_strtab_l1, 0, sizeof(smmu_strtab_l1)); /* Span 0: C_BAD_STREAMID */
	memset(smmu_owner, NO_OWNER, sizeof(smmu_owner));
	memset(smmu.unowned_count, 0, sizeof(smmu.unowned_count));
	memset(smmu.hyp_error_told, 0, sizeof(smmu.hyp_error_told));
	memset(smmu.cell_streams, 0, sizeof(smmu.cell_streams));
	smmu.nr_l2 = 0;
}

static int l2_table_of(uint32_t range)
{
	for (unsigned int i = 0; i < smmu.nr_l2; i++)
		if (smmu.l2_range[i] == range)
			return (int)i;
	return -1;
}

int smmu_ste_slot(uint32_t sid)
{
	int l2;

	if (sid >> smmu.strtab_log2)
		return -1;
	if (!smmu.two_level)
		return (int)sid;
	l2 = l2_table_of(sid >> STRTAB_SPLIT);
	return l2 < 0 ? -1
		      : (int)((unsigned int)l2 * STRTAB_L2_STES + (sid & (STRTAB_L2_STES - 1)));
}

/*
 * The next level-2 table to @sid's range: its STEs are invalid (cleared
 * when the two-level table was set up, never used since), then the L1STD
 * points at it, Span 9 (2^(9-1) = 256 STEs, SPLIT + 1 at most), in one
 * 64-bit store after a barrier, so the SMMU never follows it to a table
 * not yet written.
 */
static int l2_table_give(uint32_t range)
{
	unsigned int i = smmu.nr_l2;
	uintptr_t l2 = (uintptr_t)smmu_ste(i * STRTAB_L2_STES);

	if (i == STRTAB_L2_TABLES)
		return -ENOSPC;
	smmu.l2_range[i] = range;
	smmu.nr_l2 = i + 1;
	dsb(ishst);
	smmu_strtab_l1[range] = (l2 & L1STD_L2PTR_MASK) | (STRTAB_SPLIT + 1);
	dsb(ishst);
	return (int)i;
}

int smmu_ste_take(uint32_t sid, bool *l1_new)
{
	int slot = smmu_ste_slot(sid), l2;

	*l1_new = false;
	if (slot >= 0)
		return slot;
	if (!smmu.two_level || sid >> smmu.strtab_log2)
		return -ERANGE;
	l2 = l2_table_give(sid >> STRTAB_SPLIT);
	if (l2 < 0)
		return l2;
	*l1_new = true;
	return smmu_ste_slot(sid);
}

/*
 * Stream @sid has no STE: whether one can be made for it, and if not, why
 * (logged, for cell @label's @dev): beyond the SMMU's stream IDs, beyond a
 * linear table (the SMMU has no two-level one, or its stream IDs end at the
 * linear table's size), beyond the level-1 table, or every level-2 table
 * given to other ranges. 0, -ERANGE or -ENOSPC.
 */
int smmu_ste_room(const char *label, const char *dev, uint32_t sid)
{
	uint32_t range = sid >> STRTAB_SPLIT;

	if (smmu.sid_bits < 32 && sid >> smmu.sid_bits)
		return log_err_ret(-ERANGE,
				   "%s: %s: SMMU stream 0x%x is beyond the SMMU's stream IDs "
				   "(IDR1.SIDSIZE %u: streams below 0x%x)",
				   label, dev, sid, smmu.sid_bits, 1u << smmu.sid_bits);
	if (!smmu.two_level)
		return log_err_ret(
			-ERANGE,
			"%s: %s: SMMU stream 0x%x is beyond the stream table (%u streams, "
			"linear%s)",
			label, dev, sid, 1u << smmu.strtab_log2,
			smmu.has_2lvl ? "" : ": the SMMU has no two-level table, IDR0.ST_LEVEL 0");
	if (sid >> smmu.strtab_log2)
		return log_err_ret(-ERANGE,
				   "%s: %s: SMMU stream 0x%x is beyond the two-level stream table "
				   "(stream IDs below 0x%x)",
				   label, dev, sid, 1u << smmu.strtab_log2);
	if (smmu.nr_l2 == STRTAB_L2_TABLES)
		return log_err_ret(-ENOSPC,
				   "%s: %s: SMMU stream 0x%x needs a level-2 stream table for "
				   "streams 0x%x-0x%x, and all %u are given to other ranges",
				   label, dev, sid, range << STRTAB_SPLIT,
				   ((range + 1) << STRTAB_SPLIT) - 1, STRTAB_L2_TABLES);
	return 0;
}
