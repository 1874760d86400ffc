// SPDX-License-Identifier: GPL-2.0-only
/*
 * How a stage-2 tree is described to the CPU: VTCR_EL2 for its size, start
 * level and the output size, and the IPA size the CPU's PARange allows.
 * The tree itself is built by pgtable.c.
 */
#include <stdint.h>

#include "pgtable.h"
#include "pgtable_bits.h"

/* VTCR_EL2.PS: PARange's encoding of @pa_bits (52 needs FEAT_LPA2 descriptors), or -1. */
static int vtcr_ps(unsigned int pa_bits)
{
	for (unsigned int ps = 0; ps <= 5; ps++) /* 32, 36, 40, 42, 44 and 48 bits */
		if (pt_pa_range_bits(ps) == pa_bits)
			return (int)ps;
	return -1;
}

/*
 * An IPA size above the PA size is CONSTRAINED UNPREDICTABLE, and a level-0
 * start needs at least 44 PA bits: both give 0 (no valid VTCR_EL2 is 0,
 * bit 31 is RES1).
 */
uint64_t pt_stage2_vtcr(const struct pt *pt, unsigned int pa_bits)
{
	int ps = vtcr_ps(pa_bits);
	uint64_t sl0 = (uint64_t)(2 - pt->start_level); /* 4 KiB: 0 = level 2 .. 2 = level 0 */

	if (pt->stage != PT_STAGE2 || ps < 0 || pt->va_bits > pa_bits ||
	    (pt->start_level == 0 && pa_bits < 44))
		return 0;
	return VTCR_EL2_RES1 | ((uint64_t)ps << VTCR_EL2_PS_SHIFT) |
	       (VTCR_EL2_TG0_4K << VTCR_EL2_TG0_SHIFT) | (VTCR_EL2_SH_INNER << VTCR_EL2_SH0_SHIFT) |
	       (VTCR_EL2_RGN_WBWA << VTCR_EL2_ORGN0_SHIFT) |
	       (VTCR_EL2_RGN_WBWA << VTCR_EL2_IRGN0_SHIFT) | (sl0 << VTCR_EL2_SL0_SHIFT) |
	       ((uint64_t)(64 - pt->va_bits) << VTCR_EL2_T0SZ_SHIFT);
}

unsigned int pt_ipa_bits_from_parange(unsigned int parange)
{
	unsigned int bits = pt_pa_range_bits(parange);

	/* 52 bits need FEAT_LPA/LPA2 descriptors, a later encoding is unknown: use 48. */
	return bits && bits <= PT_MAX_OA_BITS ? bits : PT_MAX_OA_BITS;
}
