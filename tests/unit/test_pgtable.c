// SPDX-License-Identifier: GPL-2.0-only
/* Host tests of arch/arm64/pgtable.c and pgtable_vtcr.c: the real table code on static tables. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fake_tlb.h"
#include "pgtable.h"
#include "pgtable_bits.h"

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#define POOL_TABLES 16

/* 64 KiB aligned so that a concatenated root never has to skip a table. */
static pte_t pool_tables[POOL_TABLES][PT_ENTRIES] __attribute__((aligned(65536)));
static struct pt_pool pool;
static struct pt pt;

static void pool_reset(unsigned int nr)
{
	pool.tables = pool_tables;
	pool.nr = nr;
	pool.used = 0;
	fake_tlb_reset();
}

static int setup_s1(void **state)
{
	(void)state;
	pool_reset(POOL_TABLES);
	return pt_init(&pt, PT_STAGE1_EL2, 48, &pool);
}

static int setup_s2(void **state)
{
	(void)state;
	pool_reset(POOL_TABLES);
	return pt_init(&pt, PT_STAGE2, 40, &pool);
}

/* va translates to pa through a leaf of leaf_size bytes. */
static void expect_leaf(uint64_t va, uint64_t pa, uint64_t leaf_size)
{
	uint64_t got_pa = 0, got_size = 0;

	assert_int_equal(pt_lookup(&pt, va, &got_pa, &got_size, NULL), 0);
	assert_int_equal(got_pa, pa);
	assert_int_equal(got_size, leaf_size);
}

static pte_t desc_at(uint64_t va)
{
	pte_t d = 0;

	assert_int_equal(pt_lookup(&pt, va, NULL, NULL, &d), 0);
	return d;
}

static void test_map_1g_aligned_is_one_level1_block(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, GiB(1), GiB(3), GiB(1), PT_MEM_NORMAL, PT_PERM_R), 0);
	expect_leaf(GiB(1), GiB(3), GiB(1));
	expect_leaf(GiB(2) - KiB(4), GiB(4) - KiB(4), GiB(1));
	assert_int_equal(desc_at(GiB(1)) & PTE_TYPE_MASK, PTE_TYPE_BLOCK);
	assert_int_equal(pool.used, 2); /* root + one level-1 table */
}

static void test_map_2m_aligned_is_one_level2_block(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, MiB(2), MiB(6), MiB(2), PT_MEM_NORMAL, PT_PERM_R), 0);
	expect_leaf(MiB(2) + KiB(8), MiB(6) + KiB(8), MiB(2));
	assert_int_equal(desc_at(MiB(2)) & PTE_TYPE_MASK, PTE_TYPE_BLOCK);
	assert_int_equal(pool.used, 3);
}

static void test_map_odd_size_uses_blocks_inside_pages_at_edges(void **state)
{
	uint64_t va = GiB(1) - MiB(2) - KiB(4);
	uint64_t size = KiB(4) + MiB(2) + GiB(1) + MiB(2) + KiB(8);

	(void)state;
	assert_int_equal(pt_map(&pt, va, va, size, PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W), 0);
	expect_leaf(va, va, KiB(4));
	expect_leaf(GiB(1) - MiB(2), GiB(1) - MiB(2), MiB(2));
	expect_leaf(GiB(1) + 12345 * 8, GiB(1) + 12345 * 8, GiB(1));
	expect_leaf(GiB(2), GiB(2), MiB(2));
	expect_leaf(GiB(2) + MiB(2) + KiB(4), GiB(2) + MiB(2) + KiB(4), KiB(4));
	assert_int_equal(desc_at(GiB(2) + MiB(2)) & PTE_TYPE_MASK, PTE_TYPE_PAGE);
	assert_int_equal(pt_lookup(&pt, va - KiB(4), NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_lookup(&pt, va + size, NULL, NULL, NULL), -ENOENT);
}

static void test_lookup_of_unmapped_address_is_enoent(void **state)
{
	uint64_t pa = 1;

	(void)state;
	assert_int_equal(pt_lookup(&pt, GiB(7), &pa, NULL, NULL), -ENOENT);
	assert_int_equal(pa, 1); /* untouched */
	assert_int_equal(pt_lookup(&pt, 1ULL << 48, NULL, NULL, NULL), -EINVAL);
}

static void test_stage1_normal_rw_is_wb_inner_shareable_ap_rw_xn(void **state)
{
	pte_t d;

	(void)state;
	assert_int_equal(pt_map(&pt, MiB(2), MiB(2), MiB(2), PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W),
			 0);
	d = desc_at(MiB(2));
	assert_int_equal(d & (7ULL << 2), PTE_ATTRINDX(0));
	assert_int_equal(d & (3ULL << 8), PTE_SH_INNER);
	assert_true(d & PTE_AF);
	assert_int_equal(d & (3ULL << 6), PTE_AP1); /* AP[2:1] = 01: RW, AP[1] RES1 */
	assert_true(d & PTE_XN);
}

static void test_stage1_device_is_attrindx1_xn(void **state)
{
	pte_t d;

	(void)state;
	assert_int_equal(
		pt_map(&pt, 0x09000000, 0x09000000, KiB(4), PT_MEM_DEVICE, PT_PERM_R | PT_PERM_W),
		0);
	d = desc_at(0x09000000);
	assert_int_equal(d & (7ULL << 2), PTE_ATTRINDX(1));
	assert_true(d & PTE_XN);
	/* The slots agree with MAIR_EL2_VALUE = 0x04ff in sysreg.h. */
	assert_int_equal((MAIR_ATTR_NORMAL_WB << (8 * MAIR_IDX_NORMAL_WB)) |
				 (MAIR_ATTR_DEVICE_nGnRE << (8 * MAIR_IDX_DEVICE_nGnRE)),
			 0x04ff);
}

static void test_stage1_ro_and_x_bits(void **state)
{
	pte_t d;

	(void)state;
	assert_int_equal(pt_map(&pt, 0, 0, KiB(4), PT_MEM_NORMAL, PT_PERM_R | PT_PERM_X), 0);
	d = desc_at(0);
	assert_int_equal(d & (3ULL << 6), PTE_AP2_RO | PTE_AP1); /* AP[2:1] = 11: RO */
	assert_false(d & PTE_XN);
	assert_int_equal(pt_map(&pt, KiB(4), 0, KiB(4), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_true(desc_at(KiB(4)) & PTE_XN);
}

static void test_stage1_writable_executable_is_refused(void **state)
{
	(void)state;
	assert_int_equal(
		pt_map(&pt, 0, 0, KiB(4), PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W | PT_PERM_X),
		-EINVAL);
	assert_int_equal(pt_map(&pt, 0, 0, KiB(4), PT_MEM_NORMAL, PT_PERM_W), -EINVAL);
	assert_int_equal(pt_map(&pt, 0, 0, KiB(4), PT_MEM_DEVICE, PT_PERM_R | PT_PERM_X), -EINVAL);
	assert_int_equal(pt_lookup(&pt, 0, NULL, NULL, NULL), -ENOENT);
}

static void test_stage2_normal_rwx_is_memattr_f_s2ap_rw_executable(void **state)
{
	pte_t d;

	(void)state;
	assert_int_equal(pt_map(&pt, GiB(1), GiB(2), MiB(2), PT_MEM_NORMAL,
				PT_PERM_R | PT_PERM_W | PT_PERM_X),
			 0);
	d = desc_at(GiB(1));
	assert_int_equal(d & (0xfULL << 2), PTE_S2_MEMATTR(0xf));
	assert_int_equal(d & (3ULL << 6), PTE_S2AP_R | PTE_S2AP_W); /* S2AP = 11 */
	assert_int_equal(d & (3ULL << 8), PTE_SH_INNER);
	assert_true(d & PTE_AF);
	assert_int_equal(d & PTE_S2_XN_MASK, 0);
}

static void test_stage2_device_ro_is_memattr_1_s2ap_ro_xn(void **state)
{
	pte_t d;

	(void)state;
	assert_int_equal(pt_map(&pt, 0x08000000, 0x08000000, KiB(64), PT_MEM_DEVICE, PT_PERM_R), 0);
	d = desc_at(0x08000000 + KiB(60));
	assert_int_equal(d & (0xfULL << 2), PTE_S2_MEMATTR(0x1));
	assert_int_equal(d & (3ULL << 6), PTE_S2AP_R);	  /* S2AP = 01 */
	assert_int_equal(d & PTE_S2_XN_MASK, 2ULL << 53); /* XN[1:0] = 10 */
}

/* Stage 2 gives read only when asked: write-only is S2AP 10, execute-only S2AP 00 and XN 0. */
static void test_stage2_read_is_given_only_when_asked(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, GiB(1), GiB(2), MiB(2), PT_MEM_NORMAL, PT_PERM_W), 0);
	assert_int_equal(desc_at(GiB(1)) & (3ULL << 6), PTE_S2AP_W);
	assert_int_equal(pt_map(&pt, GiB(1) + MiB(2), GiB(2), MiB(2), PT_MEM_NORMAL, PT_PERM_X), 0);
	assert_int_equal(desc_at(GiB(1) + MiB(2)) & (3ULL << 6), 0);
	assert_int_equal(desc_at(GiB(1) + MiB(2)) & PTE_S2_XN_MASK, 0);
}

/* A stage 2 entry with no access at all is no mapping: refused, not written as S2AP 00. */
static void test_stage2_no_permission_is_refused(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, GiB(1), GiB(2), MiB(2), PT_MEM_NORMAL, 0), -EINVAL);
	assert_int_equal(pt_map(&pt, GiB(1), GiB(2), MiB(2), PT_MEM_DEVICE, 0), -EINVAL);
	assert_int_equal(pt_lookup(&pt, GiB(1), NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pool.used, 2); /* nothing was allocated */
}

/* A memory type or permission bit pgtable.c does not know is refused, not guessed at. */
static void test_unknown_memory_type_or_permission_is_refused(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, GiB(1), GiB(2), MiB(2), (enum pt_mem)2, PT_PERM_R), -EINVAL);
	assert_int_equal(pt_map(&pt, GiB(1), GiB(2), MiB(2), PT_MEM_NORMAL, PT_PERM_R | 0x8),
			 -EINVAL);
	assert_int_equal(pt_map(&pt, GiB(1), GiB(2), MiB(2), PT_MEM_DEVICE, PT_PERM_R | 0x8),
			 -EINVAL);
	assert_int_equal(pt_lookup(&pt, GiB(1), NULL, NULL, NULL), -ENOENT);
}

/* A stop that has to take a cell's memory away, then its restart giving it back. */
static void test_stage2_revoke_unmaps_everything_and_restores_it_exactly(void **state)
{
	pte_t before_ram, before_dev;

	(void)state;
	assert_int_equal(pt_map(&pt, GiB(1), GiB(2), MiB(64), PT_MEM_NORMAL,
				PT_PERM_R | PT_PERM_W | PT_PERM_X),
			 0);
	assert_int_equal(
		pt_map(&pt, 0x09000000, 0x09000000, KiB(4), PT_MEM_DEVICE, PT_PERM_R | PT_PERM_W),
		0);
	before_ram = desc_at(GiB(1) + MiB(3));
	before_dev = desc_at(0x09000000);
	fake_tlb_reset();
	pt_revoke(&pt, true);
	assert_int_equal(pt_lookup(&pt, GiB(1), NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_lookup(&pt, 0x09000000, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_lookup(&pt, GiB(600), NULL, NULL, NULL), -ENOENT);
	assert_true(fake_tlb.flushes >= 1);
	pt_revoke(&pt, true); /* twice: still revoked, nothing lost */
	pt_revoke(&pt, false);
	assert_int_equal(desc_at(GiB(1) + MiB(3)), before_ram);
	assert_int_equal(desc_at(0x09000000), before_dev);
	expect_leaf(GiB(1) + MiB(63), GiB(2) + MiB(63), MiB(2));
	/* A root entry that was empty comes back empty, not as a descriptor of PA 0. */
	assert_int_equal(pt_lookup(&pt, GiB(600), NULL, NULL, NULL), -ENOENT);
	pt_revoke(&pt, false); /* given back twice: still mapped */
	assert_int_equal(desc_at(GiB(1) + MiB(3)), before_ram);
}

/* Revoking a tree touches its own root only: the next tree in the pool keeps its mappings. */
static void test_revoke_leaves_the_next_tree_in_the_pool_alone(void **state)
{
	struct pt other;

	(void)state;
	pool_reset(POOL_TABLES);
	assert_int_equal(pt_init(&pt, PT_STAGE2, 39, &pool), 0); /* one 512-entry root */
	assert_int_equal(pt_init(&other, PT_STAGE2, 39, &pool), 0);
	assert_ptr_equal(other.root, pt.root + PT_ENTRIES);
	assert_int_equal(pt_map(&other, 0, GiB(1), KiB(4), PT_MEM_NORMAL, PT_PERM_R), 0);
	pt_revoke(&pt, true);
	assert_int_equal(pt_lookup(&other, 0, NULL, NULL, NULL), 0);
	pt_revoke(&pt, false);
	assert_int_equal(pt_lookup(&other, 0, NULL, NULL, NULL), 0);
}

/*
 * A revoked tree takes no change: until 2026-11-24 a map put a new table
 * over the revoked root entry (mapped while revoked, the old subtree lost
 * at give-back) and an unmap did nothing and said 0.
 */
static void test_stage2_revoked_takes_no_map_or_unmap(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, GiB(1), GiB(2), MiB(2), PT_MEM_NORMAL, PT_PERM_R), 0);
	pt_revoke(&pt, true);
	assert_int_equal(
		pt_map(&pt, GiB(1) + MiB(2), GiB(2) + MiB(2), MiB(2), PT_MEM_NORMAL, PT_PERM_R),
		-EBUSY);
	assert_int_equal(pt_lookup(&pt, GiB(1) + MiB(2), NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_unmap(&pt, GiB(1), MiB(2)), -EBUSY);
	pt_revoke(&pt, false);
	expect_leaf(GiB(1), GiB(2), MiB(2));
	assert_int_equal(pt_lookup(&pt, GiB(1) + MiB(2), NULL, NULL, NULL), -ENOENT);
}

static void test_stage2_40bit_ipa_uses_two_concatenated_level1_tables(void **state)
{
	(void)state;
	assert_int_equal(pt.start_level, 1);
	assert_int_equal(pool.used, 2);
	assert_int_equal(((uintptr_t)pt.root) & (KiB(8) - 1), 0);
	assert_int_equal(pt_map(&pt, GiB(600), GiB(1), GiB(1), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(pt.root[600] & PTE_ADDR_MASK, GiB(1)); /* entry 600 is in table 2 */
	expect_leaf(GiB(600), GiB(1), GiB(1));
}

static void test_unaligned_or_out_of_range_is_refused(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, 0x800, 0, KiB(4), PT_MEM_NORMAL, PT_PERM_R), -EINVAL);
	assert_int_equal(pt_map(&pt, 0, 0x800, KiB(4), PT_MEM_NORMAL, PT_PERM_R), -EINVAL);
	assert_int_equal(pt_map(&pt, 0, 0, 100, PT_MEM_NORMAL, PT_PERM_R), -EINVAL);
	assert_int_equal(pt_map(&pt, 0, 0, 0, PT_MEM_NORMAL, PT_PERM_R), -EINVAL);
	assert_int_equal(pt_map(&pt, (1ULL << 40) - KiB(4), 0, KiB(8), PT_MEM_NORMAL, PT_PERM_R),
			 -EINVAL);
	assert_int_equal(pt_map(&pt, 0, (1ULL << 48) - KiB(4), KiB(8), PT_MEM_NORMAL, PT_PERM_R),
			 -EINVAL);
	assert_int_equal(pt_unmap(&pt, 0x800, KiB(4)), -EINVAL);
	assert_int_equal(pool.used, 2); /* nothing was allocated */
}

/* The last page below 2^40 (the IPA range) and below 2^48 (the output range) are mappable. */
static void test_last_page_of_either_range_is_mapped(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, (1ULL << 40) - KiB(4), (1ULL << 48) - KiB(4), KiB(4),
				PT_MEM_DEVICE, PT_PERM_R),
			 0);
	expect_leaf((1ULL << 40) - KiB(4), (1ULL << 48) - KiB(4), KiB(4));
	assert_int_equal(pt_unmap(&pt, (1ULL << 40) - KiB(4), KiB(4)), 0);
	assert_int_equal(pt_lookup(&pt, (1ULL << 40) - KiB(4), NULL, NULL, NULL), -ENOENT);
}

static void test_unmap_page_in_block_splits_with_break_before_make(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, GiB(1), GiB(5), MiB(2), PT_MEM_NORMAL, PT_PERM_R), 0);
	fake_tlb_reset();
	assert_int_equal(pt_unmap(&pt, GiB(1) + KiB(8), KiB(4)), 0);

	/* First flush: the whole block, seen invalid; second: the page, seen invalid. */
	assert_int_equal(fake_tlb.flushes, 2);
	assert_int_equal(fake_tlb.flush[0].va, GiB(1));
	assert_int_equal(fake_tlb.flush[0].size, MiB(2));
	assert_int_equal(fake_tlb.flush[0].lookup_rc, -ENOENT);
	assert_int_equal(fake_tlb.flush[0].desc, 0);
	assert_int_equal(fake_tlb.flush[1].va, GiB(1) + KiB(8));
	assert_int_equal(fake_tlb.flush[1].lookup_rc, -ENOENT);

	assert_int_equal(pt_lookup(&pt, GiB(1) + KiB(8), NULL, NULL, NULL), -ENOENT);
	expect_leaf(GiB(1) + KiB(4), GiB(5) + KiB(4), KiB(4));
	expect_leaf(GiB(1) + KiB(12), GiB(5) + KiB(12), KiB(4));
	expect_leaf(GiB(1) + MiB(2) - KiB(4), GiB(5) + MiB(2) - KiB(4), KiB(4));
	assert_int_equal(desc_at(GiB(1)) & ~PTE_ADDR_MASK & ~PTE_TYPE_MASK,
			 PTE_AF | PTE_S2_MEMATTR(0xf) | PTE_SH_INNER | PTE_S2AP_R |
				 PTE_S2_XN_NONE_EXECUTABLE);
}

/*
 * A range starting at a block's first page splits it; so does one that ends
 * inside the block after a whole one (the run over the level's entries stops
 * there rather than clear it).
 */
static void test_unmap_splits_a_block_at_either_end_of_the_range(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, GiB(2), GiB(6), MiB(2), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(pt_unmap(&pt, GiB(2), KiB(4)), 0);
	assert_int_equal(pt_lookup(&pt, GiB(2), NULL, NULL, NULL), -ENOENT);
	expect_leaf(GiB(2) + KiB(4), GiB(6) + KiB(4), KiB(4));

	assert_int_equal(pt_map(&pt, GiB(1), GiB(5), MiB(4), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(pt_unmap(&pt, GiB(1), MiB(2) + KiB(4)), 0);
	assert_int_equal(pt_lookup(&pt, GiB(1) + MiB(2), NULL, NULL, NULL), -ENOENT);
	expect_leaf(GiB(1) + MiB(2) + KiB(4), GiB(5) + MiB(2) + KiB(4), KiB(4));
	expect_leaf(GiB(1) + MiB(4) - KiB(4), GiB(5) + MiB(4) - KiB(4), KiB(4));
}

/* No table left for the split: -ENOMEM, and the block stays whole (no partial unmap). */
static void test_unmap_without_a_table_for_the_split_is_enomem(void **state)
{
	(void)state;
	pool_reset(3); /* 48-bit stage 1: root, L1, L2 with the block; no L3 */
	assert_int_equal(pt_init(&pt, PT_STAGE1_EL2, 48, &pool), 0);
	assert_int_equal(pt_map(&pt, MiB(2), GiB(1), MiB(2), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(pt_unmap(&pt, MiB(2) + KiB(4), KiB(4)), -ENOMEM);
	expect_leaf(MiB(2) + KiB(4), GiB(1) + KiB(4), MiB(2));
}

/*
 * Nothing replaces what pt_unmap() clears, so it flushes once, after the
 * last entry, over the whole range: here blocks, a table's pages and gaps.
 */
static void test_unmap_clears_every_entry_then_flushes_once(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, GiB(1), GiB(5), MiB(6), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(pt_map(&pt, GiB(1) + MiB(2), GiB(7), KiB(40), PT_MEM_NORMAL, PT_PERM_R),
			 0);
	assert_int_equal(pt_map(&pt, GiB(1) + MiB(8), GiB(8), KiB(8), PT_MEM_NORMAL, PT_PERM_R), 0);
	fake_tlb_reset();
	assert_int_equal(pt_unmap(&pt, GiB(1), MiB(8) + KiB(4)), 0);
	assert_int_equal(fake_tlb.flushes, 1);
	assert_int_equal(fake_tlb.flush[0].va, GiB(1));
	assert_int_equal(fake_tlb.flush[0].size, MiB(8) + KiB(4));
	assert_int_equal(fake_tlb.flush[0].lookup_rc, -ENOENT);
	for (uint64_t va = GiB(1); va < GiB(1) + MiB(8) + KiB(4); va += KiB(4))
		assert_int_equal(pt_lookup(&pt, va, NULL, NULL, NULL), -ENOENT);
	expect_leaf(GiB(1) + MiB(8) + KiB(4), GiB(8) + KiB(4), KiB(4));
	/* Unmapping nothing flushes nothing. */
	fake_tlb_reset();
	assert_int_equal(pt_unmap(&pt, GiB(1), MiB(8)), 0);
	assert_int_equal(fake_tlb.flushes, 0);
}

static void test_map_page_inside_1g_block_keeps_rest_of_block(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, GiB(1), GiB(1), GiB(1), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(pt_map(&pt, GiB(1) + MiB(4), GiB(9), KiB(4), PT_MEM_DEVICE, PT_PERM_R), 0);
	expect_leaf(GiB(1) + MiB(4), GiB(9), KiB(4));
	expect_leaf(GiB(1) + MiB(4) + KiB(4), GiB(1) + MiB(4) + KiB(4), KiB(4));
	expect_leaf(GiB(1) + MiB(2), GiB(1) + MiB(2), MiB(2));
	expect_leaf(GiB(2) - 8, GiB(2) - 8, MiB(2));
}

static void test_remap_with_new_attrs_breaks_before_make(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, MiB(2), MiB(2), MiB(2), PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W),
			 0);
	assert_int_equal(fake_tlb.flushes, 0); /* an invalid entry filled: nothing to forget */
	fake_tlb_reset();
	assert_int_equal(pt_map(&pt, MiB(2), MiB(2), MiB(2), PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W),
			 0);
	assert_int_equal(fake_tlb.flushes, 0); /* identical entry: left alone */
	assert_int_equal(pt_map(&pt, MiB(2), MiB(2), MiB(2), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(fake_tlb.flushes, 1);
	assert_int_equal(fake_tlb.flush[0].lookup_rc, -ENOENT);
	assert_int_equal(desc_at(MiB(2)) & (3ULL << 6), PTE_S2AP_R);
}

/*
 * Stage 2 is built once, so a second mapping of an IPA (a PCI BAR firmware
 * placed over the cell's RAM) must fail whole, not quietly replace the RAM.
 */
static void test_no_replace_refuses_any_mapped_page_and_writes_nothing(void **state)
{
	unsigned int used;
	pte_t ram;

	(void)state;
	pt.no_replace = true;
	assert_int_equal(pt_map(&pt, GiB(1), GiB(2), MiB(64), PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W),
			 0);
	ram = desc_at(GiB(1) + MiB(4));
	used = pool.used;
	fake_tlb_reset();
	/* Inside, straddling either end, covering it whole, and the same mapping again. */
	assert_int_equal(pt_map(&pt, GiB(1) + MiB(4), GiB(9), KiB(4), PT_MEM_DEVICE, PT_PERM_R),
			 -EEXIST);
	assert_int_equal(pt_map(&pt, GiB(1) - KiB(4), GiB(9), KiB(8), PT_MEM_DEVICE, PT_PERM_R),
			 -EEXIST);
	assert_int_equal(
		pt_map(&pt, GiB(1) + MiB(64) - KiB(4), GiB(9), KiB(8), PT_MEM_DEVICE, PT_PERM_R),
		-EEXIST);
	assert_int_equal(pt_map(&pt, GiB(1) - MiB(2), GiB(9), MiB(128), PT_MEM_DEVICE, PT_PERM_R),
			 -EEXIST);
	assert_int_equal(pt_map(&pt, GiB(1), GiB(2), MiB(64), PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W),
			 -EEXIST);
	assert_int_equal(desc_at(GiB(1) + MiB(4)), ram);
	expect_leaf(GiB(1) + MiB(4), GiB(2) + MiB(4), MiB(2));
	assert_int_equal(pt_lookup(&pt, GiB(1) - KiB(4), NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pool.used, used);
	assert_int_equal(fake_tlb.flushes, 0);
	/* Right beside it is free. */
	assert_int_equal(pt_map(&pt, GiB(1) + MiB(64), GiB(9), KiB(4), PT_MEM_DEVICE, PT_PERM_R),
			 0);
	assert_int_equal(pt_map(&pt, GiB(1) - KiB(4), GiB(9), KiB(4), PT_MEM_DEVICE, PT_PERM_R), 0);
}

/* Two trees from one pool: each counts its own tables; the pool counts the alignment gap too. */
static void test_each_tree_counts_the_tables_it_took(void **state)
{
	struct pt other;

	(void)state;
	pool_reset(POOL_TABLES);
	assert_int_equal(pt_init(&pt, PT_STAGE1_EL2, 48, &pool), 0);
	assert_int_equal(pt_map(&pt, MiB(2), MiB(2), MiB(2), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(pt.nr_tables, 3); /* root, level 1, level 2 with one block */
	/* A 40-bit stage 2 starts at level 1 with 2 concatenated tables, 8 KiB aligned. */
	assert_int_equal(pt_init(&other, PT_STAGE2, 40, &pool), 0);
	assert_int_equal(other.nr_tables, 2);
	assert_int_equal(pool.used, 6); /* table 3 skipped */
	assert_int_equal(pt_map(&other, 0, GiB(1), KiB(4), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(other.nr_tables, 4); /* + level 2 and level 3 */
	assert_int_equal(pt.nr_tables, 3);
	assert_int_equal(pool.used, 8);
}

/* A split fills its table's 512 entries and not one more: here the pool's last table. */
static void test_split_writes_only_its_new_table(void **state)
{
	const pte_t sentinel = 0x5a5a000;

	(void)state;
	pool_reset(4); /* 48-bit stage 1: root, L1, L2 with the block, L3 for the split */
	assert_int_equal(pt_init(&pt, PT_STAGE1_EL2, 48, &pool), 0);
	assert_int_equal(pt_map(&pt, MiB(2), GiB(1), MiB(2), PT_MEM_NORMAL, PT_PERM_R), 0);
	pool_tables[4][0] = sentinel;
	assert_int_equal(pt_unmap(&pt, MiB(2), KiB(4)), 0);
	assert_int_equal(pool.used, 4);
	assert_int_equal(pool_tables[4][0], sentinel);
	expect_leaf(MiB(4) - KiB(4), GiB(1) + MiB(2) - KiB(4), KiB(4));
}

static void test_pool_exhaustion_is_enomem_and_leaves_range_unmapped(void **state)
{
	(void)state;
	pool_reset(4); /* 48-bit stage 1: root, L1, L2, L3 for the first 2 MiB only */
	assert_int_equal(pt_init(&pt, PT_STAGE1_EL2, 48, &pool), 0);
	assert_int_equal(pt_map(&pt, MiB(2) - KiB(4), 0, KiB(8), PT_MEM_NORMAL, PT_PERM_R),
			 -ENOMEM);
	assert_int_equal(pt_lookup(&pt, MiB(2) - KiB(4), NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_lookup(&pt, MiB(2), NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pool.used, 4);
	/* What still fits works. */
	assert_int_equal(pt_map(&pt, 0, 0, KiB(4), PT_MEM_NORMAL, PT_PERM_R), 0);
}

/*
 * A CPU's own EL2 root (mmu.c): the identity map below 2^47 shared, a window
 * of its own above. What the shared tree maps later shows through the copy;
 * the window never shows in the shared tree.
 */
static void test_shared_root_sees_later_mappings_and_keeps_its_window(void **state)
{
	const uint64_t split = 1ULL << 47;
	struct pt cpu;
	uint64_t pa = 0;

	(void)state;
	pool_reset(POOL_TABLES);
	assert_int_equal(pt_init(&pt, PT_STAGE1_EL2, 48, &pool), 0);
	assert_int_equal(pt_map(&pt, GiB(1), GiB(1), MiB(2), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(pt_init(&cpu, PT_STAGE1_EL2, 48, &pool), 0);
	assert_int_equal(pt_share_root(&cpu, &pt, split), 0);
	assert_int_equal(
		pt_map(&cpu, split + GiB(2), GiB(2), MiB(4), PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W),
		0);
	assert_int_equal(pt_lookup(&cpu, GiB(1), &pa, NULL, NULL), 0);
	assert_int_equal(pa, GiB(1));
	assert_int_equal(pt_lookup(&pt, split + GiB(2), NULL, NULL, NULL), -ENOENT);
	/* Under a root entry both have: shared at once. Under a new one: after the next call. */
	assert_int_equal(pt_map(&pt, GiB(3), GiB(3), MiB(2), PT_MEM_DEVICE, PT_PERM_R), 0);
	assert_int_equal(pt_lookup(&cpu, GiB(3), NULL, NULL, NULL), 0);
	assert_int_equal(pt_map(&pt, GiB(600), GiB(600), MiB(2), PT_MEM_DEVICE, PT_PERM_R), 0);
	assert_int_equal(pt_lookup(&cpu, GiB(600), NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_share_root(&cpu, &pt, split), 0);
	assert_int_equal(pt_lookup(&cpu, GiB(600), NULL, NULL, NULL), 0);
	assert_int_equal(pt_lookup(&cpu, split + GiB(2), NULL, NULL, NULL), 0); /* window kept */
	/* Unmapping in the window leaves the shared tree's mappings alone, and the reverse. */
	assert_int_equal(pt_unmap(&cpu, split + GiB(2), MiB(4)), 0);
	assert_int_equal(pt_lookup(&cpu, split + GiB(2), NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_unmap(&pt, GiB(1), MiB(2)), 0);
	assert_int_equal(pt_lookup(&cpu, GiB(1), NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_lookup(&cpu, GiB(3), NULL, NULL, NULL), 0);
}

static void test_shared_root_refuses_other_trees_and_its_own_mappings(void **state)
{
	struct pt cpu, s2;

	(void)state;
	pool_reset(POOL_TABLES);
	assert_int_equal(pt_init(&pt, PT_STAGE1_EL2, 48, &pool), 0);
	assert_int_equal(pt_init(&cpu, PT_STAGE1_EL2, 48, &pool), 0);
	assert_int_equal(pt_init(&s2, PT_STAGE2, 48, &pool), 0);
	assert_int_equal(pt_share_root(&s2, &pt, 1ULL << 47), -EINVAL);
	assert_int_equal(pt_share_root(&cpu, &pt, GiB(1)), -EINVAL); /* not a root entry's edge */
	assert_int_equal(pt_share_root(&cpu, &pt, 1ULL << 49), -EINVAL);
	assert_int_equal(pt_share_root(&cpu, &pt, 1ULL << 48), 0); /* the whole range */
	assert_int_equal(pt_map(&pt, GiB(1), GiB(1), MiB(2), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(pt_map(&cpu, GiB(2), GiB(2), MiB(2), PT_MEM_NORMAL, PT_PERM_R), 0);
	assert_int_equal(pt_share_root(&cpu, &pt, 1ULL << 47), -EEXIST);
	assert_int_equal(pt_lookup(&cpu, GiB(1), NULL, NULL, NULL), -ENOENT); /* nothing written */
}

static void test_pt_init_rejects_bad_sizes(void **state)
{
	(void)state;
	pool_reset(POOL_TABLES);
	assert_int_equal(pt_init(&pt, PT_STAGE2, 24, &pool), -EINVAL);
	assert_int_equal(pt_init(&pt, PT_STAGE2, 49, &pool), -EINVAL);
	assert_int_equal(pt_init(&pt, PT_STAGE1_EL2, 39, &pool), 0);
	assert_int_equal(pt.start_level, 1);
	assert_int_equal(pt_init(&pt, PT_STAGE1_EL2, 40, &pool), 0);
	assert_int_equal(pt.start_level, 0);
	assert_int_equal(pt_init(&pt, PT_STAGE1_EL2, 30, &pool), 0);
	assert_int_equal(pt.start_level, 2);
	assert_int_equal(pt_init(&pt, PT_STAGE2, 44, &pool), 0);
	assert_int_equal(pt.start_level, 0);
}

/*
 * The edges of each start level: 25 bits (T0SZ 39) is the smallest input
 * range; a stage 2 up to 43 bits concatenates up to 16 level 1 tables (Arm
 * ARM D8.2.5) rather than add a level; stage 1 never concatenates, so 31
 * bits starts at level 1, not at two level 2 tables.
 */
static void test_pt_init_start_level_at_each_edge(void **state)
{
	(void)state;
	pool_reset(POOL_TABLES);
	assert_int_equal(pt_init(&pt, PT_STAGE2, 25, &pool), 0);
	assert_int_equal(pt.start_level, 2);
	assert_int_equal(pt.nr_tables, 1);
	pool_reset(POOL_TABLES);
	assert_int_equal(pt_init(&pt, PT_STAGE1_EL2, 31, &pool), 0);
	assert_int_equal(pt.start_level, 1);
	assert_int_equal(pt.nr_tables, 1);
	pool_reset(POOL_TABLES);
	assert_int_equal(pt_init(&pt, PT_STAGE2, 43, &pool), 0);
	assert_int_equal(pt.start_level, 1);
	assert_int_equal(pt.nr_tables, 16);
}

/* A concatenated root is taken whole or not at all: never past the pool's last table. */
static void test_pt_init_without_room_for_the_root_is_enomem(void **state)
{
	(void)state;
	pool_reset(1);
	assert_int_equal(pt_init(&pt, PT_STAGE2, 40, &pool), -ENOMEM);
	assert_int_equal(pool.used, 0);
	assert_int_equal(pt_init(&pt, PT_STAGE2, 39, &pool), 0);
	assert_int_equal(pool.used, 1);
}

static void test_vtcr_for_40bit_ipa(void **state)
{
	(void)state;
	/*
	 * 40-bit IPA on a 40-bit PA CPU, level 1 start with 2 concatenated tables:
	 *   T0SZ  [5:0]   = 64 - 40 = 24  0x00000018
	 *   SL0   [7:6]   = 01 (level 1)  0x00000040
	 *   IRGN0 [9:8]   = 01 WBWA       0x00000100
	 *   ORGN0 [11:10] = 01 WBWA       0x00000400
	 *   SH0   [13:12] = 11 inner      0x00003000
	 *   TG0   [15:14] = 00 4 KiB      0x00000000
	 *   PS    [18:16] = 010 40 bits   0x00020000
	 *   RES1  [31]                    0x80000000
	 */
	assert_int_equal(pt_stage2_vtcr(&pt, 40), 0x80023558);
	assert_int_equal(pt_stage2_vtcr(&pt, 39), 0); /* not a PS encoding */
}

static void test_vtcr_for_48bit_ipa(void **state)
{
	(void)state;
	pool_reset(POOL_TABLES);
	assert_int_equal(pt_init(&pt, PT_STAGE2, 48, &pool), 0);
	/*
	 *   T0SZ  = 64 - 48 = 16          0x00000010
	 *   SL0   = 10 (level 0)          0x00000080
	 *   IRGN0 = 01, ORGN0 = 01        0x00000500
	 *   SH0   = 11                    0x00003000
	 *   TG0   = 00                    0x00000000
	 *   PS    = 101 48 bits           0x00050000
	 *   RES1  [31]                    0x80000000
	 */
	assert_int_equal(pt_stage2_vtcr(&pt, 48), 0x80053590);
	assert_int_equal(pt_stage2_vtcr(&pt, 44), 0); /* IPA wider than PA */
}

static void test_parange_to_bits_caps_at_48(void **state)
{
	(void)state;
	assert_int_equal(pt_ipa_bits_from_parange(0), 32);
	assert_int_equal(pt_ipa_bits_from_parange(2), 40);
	assert_int_equal(pt_ipa_bits_from_parange(3), 42);
	assert_int_equal(pt_ipa_bits_from_parange(5), 48);
	assert_int_equal(pt_ipa_bits_from_parange(6), 48);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_map_1g_aligned_is_one_level1_block, setup_s1),
		cmocka_unit_test_setup(test_map_2m_aligned_is_one_level2_block, setup_s1),
		cmocka_unit_test_setup(test_map_odd_size_uses_blocks_inside_pages_at_edges,
				       setup_s1),
		cmocka_unit_test_setup(test_lookup_of_unmapped_address_is_enoent, setup_s1),
		cmocka_unit_test_setup(test_stage1_normal_rw_is_wb_inner_shareable_ap_rw_xn,
				       setup_s1),
		cmocka_unit_test_setup(test_stage1_device_is_attrindx1_xn, setup_s1),
		cmocka_unit_test_setup(test_stage1_ro_and_x_bits, setup_s1),
		cmocka_unit_test_setup(test_stage1_writable_executable_is_refused, setup_s1),
		cmocka_unit_test_setup(test_stage2_normal_rwx_is_memattr_f_s2ap_rw_executable,
				       setup_s2),
		cmocka_unit_test_setup(test_stage2_device_ro_is_memattr_1_s2ap_ro_xn, setup_s2),
		cmocka_unit_test_setup(test_stage2_read_is_given_only_when_asked, setup_s2),
		cmocka_unit_test_setup(test_stage2_no_permission_is_refused, setup_s2),
		cmocka_unit_test_setup(test_unknown_memory_type_or_permission_is_refused, setup_s2),
		cmocka_unit_test_setup(test_stage2_40bit_ipa_uses_two_concatenated_level1_tables,
				       setup_s2),
		cmocka_unit_test_setup(test_stage2_revoked_takes_no_map_or_unmap, setup_s2),
		cmocka_unit_test_setup(test_stage2_revoke_unmaps_everything_and_restores_it_exactly,
				       setup_s2),
		cmocka_unit_test(test_revoke_leaves_the_next_tree_in_the_pool_alone),
		cmocka_unit_test_setup(test_unaligned_or_out_of_range_is_refused, setup_s2),
		cmocka_unit_test_setup(test_last_page_of_either_range_is_mapped, setup_s2),
		cmocka_unit_test_setup(test_unmap_page_in_block_splits_with_break_before_make,
				       setup_s2),
		cmocka_unit_test_setup(test_unmap_clears_every_entry_then_flushes_once, setup_s2),
		cmocka_unit_test_setup(test_unmap_splits_a_block_at_either_end_of_the_range,
				       setup_s2),
		cmocka_unit_test(test_unmap_without_a_table_for_the_split_is_enomem),
		cmocka_unit_test_setup(test_map_page_inside_1g_block_keeps_rest_of_block, setup_s2),
		cmocka_unit_test_setup(test_remap_with_new_attrs_breaks_before_make, setup_s2),
		cmocka_unit_test_setup(test_no_replace_refuses_any_mapped_page_and_writes_nothing,
				       setup_s2),
		cmocka_unit_test(test_each_tree_counts_the_tables_it_took),
		cmocka_unit_test(test_split_writes_only_its_new_table),
		cmocka_unit_test(test_pool_exhaustion_is_enomem_and_leaves_range_unmapped),
		cmocka_unit_test(test_shared_root_sees_later_mappings_and_keeps_its_window),
		cmocka_unit_test(test_shared_root_refuses_other_trees_and_its_own_mappings),
		cmocka_unit_test(test_pt_init_rejects_bad_sizes),
		cmocka_unit_test(test_pt_init_start_level_at_each_edge),
		cmocka_unit_test(test_pt_init_without_room_for_the_root_is_enomem),
		cmocka_unit_test_setup(test_vtcr_for_40bit_ipa, setup_s2),
		cmocka_unit_test(test_vtcr_for_48bit_ipa),
		cmocka_unit_test(test_parange_to_bits_caps_at_48),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
