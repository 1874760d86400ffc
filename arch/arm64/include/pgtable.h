/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_PGTABLE_H
#define BULKHEAD_ARM64_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * One translation-table builder for both regimes the hypervisor programs:
 * its own EL2 stage 1 (identity map) and each cell's stage 2. VMSAv8-64,
 * 4 KiB granule, blocks at level 1 (1 GiB) and level 2 (2 MiB) where the
 * range is aligned, pages at level 3. Tables come from a caller-owned pool
 * sized at build time: nothing is allocated.
 *
 * Addresses of tables are taken as physical = virtual (the hypervisor runs
 * identity mapped; host unit tests run on pointers).
 *
 * Start level (4 KiB granule): an input size of 40..48 bits starts at level 0,
 * 31..39 at level 1, 25..30 at level 2. Stage 2 differs for 40..43 bits: it
 * starts at level 1 with 2..16 concatenated root tables, because a level-0
 * start is invalid on CPUs with fewer than 44 PA bits (Arm ARM
 * AArch64.S2InvalidSL; e.g. Cortex-A53 has 40), and 40 bits is the usual IPA
 * size there. A concatenated root is allocated from the pool, aligned to its
 * size.
 *
 * Existing tables are never replaced by a block (a block mapped over a range
 * that already has a table is written as smaller leaves into that table), so
 * no table is ever lost from the pool.
 */
#define PT_ENTRIES   512
#define PT_PAGE_SIZE 4096ULL

typedef uint64_t pte_t;

struct pt_pool {
	pte_t (*tables)[PT_ENTRIES]; /* 4 KiB-aligned array of tables */
	unsigned int nr;
	unsigned int used;
};

enum pt_stage {
	PT_STAGE1_EL2,
	PT_STAGE2,
};

enum pt_mem {
	PT_MEM_NORMAL, /* stage 1: MAIR index 0 (WB); stage 2: MemAttr Normal WB */
	PT_MEM_DEVICE, /* Device-nGnRE */
};

#define PT_PERM_R 0x1u
#define PT_PERM_W 0x2u
#define PT_PERM_X 0x4u

struct pt {
	pte_t *root;
	int start_level;      /* 0, 1 or 2 */
	unsigned int va_bits; /* input address size (VA for stage 1, IPA for stage 2) */
	enum pt_stage stage;
	uint16_t vmid; /* stage 2 only: for TLB invalidation */
	struct pt_pool *pool;
	unsigned int nr_tables; /* taken from the pool for this tree, root included */
	bool no_replace;	/* pt_map() may not change a valid leaf: -EEXIST */
	bool local_tlb; /* stage 1: only the CPU changing it walks it, flush its TLB alone */
	bool revoked;	/* pt_revoke()d: pt_map() and pt_unmap() refuse (-EBUSY) */
	/* The first level pt_map() puts a block at: pt_init()'s 1 or the start; a window's 2
	 * (mmu.c). */
	int first_block_level;
};

/* va_bits 25..48; the root comes from the pool (-ENOMEM if it does not fit). */
int pt_init(struct pt *pt, enum pt_stage stage, unsigned int va_bits, struct pt_pool *pool);

/*
 * Map [va, va + size) to [pa, pa + size). All three page aligned and inside
 * the input / 48-bit output range, else -EINVAL. perm: stage 1 needs
 * PT_PERM_R and refuses W together with X (W^X for the hypervisor's own
 * code); stage 2 takes any non-empty combination (guest RAM is RWX).
 * Device memory is never executable (-EINVAL with PT_PERM_X).
 * On -ENOMEM the part already written is unmapped again: the range is then
 * partly unmapped (never mapped with the new attributes while claiming
 * failure), and tables taken from the pool stay taken.
 * A tree with no_replace set refuses, with -EEXIST and nothing written, a
 * range of which any page is already mapped.
 */
int pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, enum pt_mem mem,
	   unsigned int perm);

/* Unmap a page-aligned range; splits blocks it cuts (-ENOMEM if no table). */
int pt_unmap(struct pt *pt, uint64_t va, uint64_t size);

/*
 * Take every translation away at once (@revoke) or give it back: each valid
 * root entry trades its valid bit for PTE_SW_REVOKED and back, then the TLBs
 * are flushed. Nothing is freed, so the tables come back exactly as they were.
 * Meanwhile the tree takes no change: a revoked root entry reads as invalid,
 * so a map would put a new table over it (reachable while revoked, the old
 * subtree lost at give-back) and an unmap would miss what comes back.
 */
void pt_revoke(struct pt *pt, bool revoke);

/*
 * Give @pt the root entries of @from below @split (a multiple of what one root
 * entry maps): the tables under them are then shared, so what @from maps
 * later under an existing root entry shows in @pt too; a root entry @from
 * gains later needs another call. Two trees of the same regime and size
 * only; -EEXIST, nothing written, if @pt maps something else there itself.
 * The EL2 map: each CPU's own root shares the hypervisor's identity map
 * below and keeps a window of its own above (mmu.c).
 */
int pt_share_root(struct pt *pt, const struct pt *from, uint64_t split);

#ifdef BULKHEAD_TEST_FAULT
/*
 * The test build's "s2-af-clear" (include/test_fault.h): the block that maps
 * @va split down to its page, whose descriptor loses its access flag
 * (break-before-make). 0; -ENOENT if @va is not mapped, -ENOMEM with no table
 * for the split, -EBUSY while revoked.
 */
int pt_test_clear_af(struct pt *pt, uint64_t va);
#endif

/* Translate va: 0 with output address, leaf size and descriptor, or -ENOENT. */
int pt_lookup(const struct pt *pt, uint64_t va, uint64_t *pa, uint64_t *leaf_size, pte_t *desc);

/*
 * VTTBR_EL2 for a stage-2 table: its root (identity mapped, VA = PA) in BADDR
 * and its VMID in [63:48]. Always both: a VMID loaded with any other base lets
 * the walker fill that VMID's TLB entries from the wrong tables (tlb.c).
 */
static inline uint64_t pt_stage2_vttbr(const struct pt *pt)
{
	return (uintptr_t)pt->root | ((uint64_t)pt->vmid << 48);
}

/* pgtable_vtcr.c: VTCR_EL2 for a stage-2 table and the PS field for pa_bits; 0 if invalid. */
uint64_t pt_stage2_vtcr(const struct pt *pt, unsigned int pa_bits);

/*
 * An address size encoded as ID_AA64MMFR0_EL1.PARange, VTCR_EL2.PS and the
 * SMMU's IDR5.OAS and STE.S2PS encode it, in bits; 0 if reserved.
 */
static inline unsigned int pt_pa_range_bits(unsigned int enc)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return enc < sizeof(bits) ? bits[enc] : 0;
}

/* ID_AA64MMFR0_EL1.PARange -> PA (and usable IPA) bits, capped at 48. */
unsigned int pt_ipa_bits_from_parange(unsigned int parange);

/*
 * Provided by the architecture (arch/arm64/tlb.c) or by a host-test fake.
 * pt_arch_sync_tables: make descriptor writes visible to the table walker
 * (DSB ISHST). pt_arch_tlb_flush: invalidate every TLB entry of this regime
 * for [va, va + size) and wait for completion (DSB ISH); for stage 2 that
 * includes combined stage 1+2 entries of the VMID. Break-before-make calls
 * sync, then flush, with the old descriptor already invalid.
 */
void pt_arch_sync_tables(void);
void pt_arch_tlb_flush(const struct pt *pt, uint64_t va, uint64_t size);

#endif
