/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_FAKE_TLB_H
#define BULKHEAD_TESTS_FAKE_TLB_H

#include <stdint.h>

#include "pgtable.h"

/*
 * Host fake of pt_arch_sync_tables / pt_arch_tlb_flush. Each flush records
 * the range and what a walk of the table saw at that moment, so a test can
 * prove break-before-make: the old entry was already invalid when the TLB
 * was flushed.
 */
#define FAKE_TLB_MAX_FLUSHES 32

struct fake_tlb_flush {
	uint64_t va;
	uint64_t size;
	int lookup_rc; /* pt_lookup(va) during the flush: -ENOENT if invalid */
	pte_t desc;    /* descriptor the walk ended on */
};

struct fake_tlb {
	unsigned int syncs;
	unsigned int flushes;
	struct fake_tlb_flush flush[FAKE_TLB_MAX_FLUSHES];
};

extern struct fake_tlb fake_tlb;

void fake_tlb_reset(void);

#endif
