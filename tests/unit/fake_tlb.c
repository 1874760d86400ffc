// SPDX-License-Identifier: GPL-2.0-only
/* Host fake of the TLB maintenance pgtable.c asks for (see fake_tlb.h). */
#include <string.h>

#include "fake_tlb.h"

struct fake_tlb fake_tlb;

void fake_tlb_reset(void)
{
	memset(&fake_tlb, 0, sizeof(fake_tlb));
}

void pt_arch_sync_tables(void)
{
	fake_tlb.syncs++;
}

void pt_arch_tlb_flush(const struct pt *pt, uint64_t va, uint64_t size)
{
	struct fake_tlb_flush *f;

	if (fake_tlb.flushes < FAKE_TLB_MAX_FLUSHES) {
		f = &fake_tlb.flush[fake_tlb.flushes];
		f->va = va;
		f->size = size;
		f->lookup_rc = pt_lookup(pt, va, NULL, NULL, &f->desc);
	}
	fake_tlb.flushes++;
}
