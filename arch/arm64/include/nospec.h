/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Spectre-v1 (CVE-2017-5753, bounds check bypass): EL2 checks an index a guest
 * chose, then loads through it. A check the predictor gets wrong runs the
 * load with the guest's index anyway, and a load that depends on what it read
 * leaves a trace of another cell's data in the cache. Every such index is
 * passed through array_index_nospec() after its check: out of range it
 * becomes 0, without a branch to mispredict, and CSDB keeps the CPU from
 * using a predicted value of the flags the clamp was computed from (Arm,
 * "Cache Speculation Side-channels", section on CSDB). docs/traps.md,
 * "Speculation".
 */
#ifndef BULKHEAD_NOSPEC_H
#define BULKHEAD_NOSPEC_H

/* All ones if @idx < @size, else 0; also under speculation. */
static inline unsigned long array_index_mask_nospec(unsigned long idx, unsigned long size)
{
#ifdef __aarch64__
	unsigned long mask;

	/* C (no borrow) = idx >= size; SBC then gives 0 - 0 - !C. */
	__asm__ volatile("cmp	%1, %2\n\t"
			 "sbc	%0, xzr, xzr\n\t"
			 "csdb"
			 : "=r"(mask)
			 : "r"(idx), "Ir"(size)
			 : "cc");
	return mask;
#else
	/* Host builds (unit tests) run no guest: only the architectural result matters. */
	return idx < size ? ~0UL : 0;
#endif
}

/* @idx if it is below @size, else 0; @idx must already have been checked. */
static inline unsigned long array_index_nospec(unsigned long idx, unsigned long size)
{
	return idx & array_index_mask_nospec(idx, size);
}

#endif
