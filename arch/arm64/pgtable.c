// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMSAv8-64 translation tables, 4 KiB granule, for the EL2 stage 1 and for
 * stage 2 (see pgtable.h for the rules this file follows).
 *
 * Every change of a valid descriptor follows break-before-make (Arm ARM
 * D8.16.1, "Using break-before-make when updating translation table
 * entries"): write the entry invalid, make that visible, invalidate the TLB
 * for the range it mapped, and only then write the new entry. Filling an
 * invalid entry needs no TLB maintenance: descriptors that fault are never
 * held in a TLB.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pgtable.h"
#include "pgtable_bits.h"

#define PT_MIN_VA_BITS 25 /* T0SZ <= 39 */
#define PT_MAX_VA_BITS 48
#define PT_LAST_LEVEL  3

/* Input-address bit where each level's index starts: 39, 30, 21, 12. */
static unsigned int level_shift(int level)
{
	return 12 + 9 * (unsigned int)(PT_LAST_LEVEL - level);
}

static uint64_t level_size(int level)
{
	return 1ULL << level_shift(level);
}

/* Entries in the (possibly concatenated) root table. */
static uint64_t root_entries(const struct pt *pt)
{
	return 1ULL << (pt->va_bits - level_shift(pt->start_level));
}

static unsigned int pt_index(const struct pt *pt, uint64_t va, int level)
{
	uint64_t n = level == pt->start_level ? root_entries(pt) : PT_ENTRIES;

	return (unsigned int)((va >> level_shift(level)) & (n - 1));
}

static bool pte_is_table(pte_t d, int level)
{
	return level < PT_LAST_LEVEL && (d & PTE_TYPE_MASK) == PTE_TYPE_TABLE;
}

static pte_t *pte_table(pte_t d)
{
	return (pte_t *)(uintptr_t)(d & PTE_ADDR_MASK);
}

static pte_t pte_leaf_type(int level)
{
	return level == PT_LAST_LEVEL ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK;
}

/* n consecutive zeroed tables aligned to n * 4 KiB (n is a power of two), counted for pt. */
static pte_t *pt_alloc(struct pt *pt, unsigned int n)
{
	struct pt_pool *pool = pt->pool;
	unsigned int i = pool->used;

	while (i < pool->nr && ((uintptr_t)pool->tables[i] & (n * PT_PAGE_SIZE - 1)) != 0)
		i++;
	if (i >= pool->nr || pool->nr - i < n)
		return NULL;
	pool->used = i + n;
	pt->nr_tables += n;
	memset(pool->tables[i], 0, n * PT_PAGE_SIZE);
	return pool->tables[i];
}

static int start_level_for(enum pt_stage stage, unsigned int va_bits)
{
	if (va_bits > 43 || (va_bits > 39 && stage == PT_STAGE1_EL2))
		return 0;
	if (va_bits > 30)
		return 1;
	return 2;
}

int pt_init(struct pt *pt, enum pt_stage stage, unsigned int va_bits, struct pt_pool *pool)
{
	uint64_t n;

	if (va_bits < PT_MIN_VA_BITS || va_bits > PT_MAX_VA_BITS || pool == NULL ||
	    (stage != PT_STAGE1_EL2 && stage != PT_STAGE2) ||
	    ((uintptr_t)pool->tables & (PT_PAGE_SIZE - 1)) != 0)
		return -EINVAL;
	memset(pt, 0, sizeof(*pt));
	pt->stage = stage;
	pt->va_bits = va_bits;
	pt->start_level = start_level_for(stage, va_bits);
	pt->first_block_level = pt->start_level > 1 ? pt->start_level : 1;
	pt->pool = pool;
	n = root_entries(pt);
	pt->root = pt_alloc(pt, n > PT_ENTRIES ? (unsigned int)(n / PT_ENTRIES) : 1);
	return pt->root == NULL ? -ENOMEM : 0;
}

/* Invalidate a live descriptor and flush what it mapped (the "break"). */
static void pt_break(const struct pt *pt, pte_t *ptep, uint64_t va, int level)
{
	uint64_t size = level_size(level);

	*(volatile pte_t *)ptep = 0;
	pt_arch_sync_tables();
	pt_arch_tlb_flush(pt, va & ~(size - 1), size);
}

static void pt_write(pte_t *ptep, pte_t d)
{
	*(volatile pte_t *)ptep = d;
	pt_arch_sync_tables();
}

/*
 * Give the entry at ptep (level < 3) a next-level table. A block there is
 * split: the new table repeats its mapping in 512 smaller leaves, so
 * translation only changes for the break-before-make window.
 */
static int pt_make_table(struct pt *pt, pte_t *ptep, uint64_t va, int level)
{
	pte_t old = *ptep;
	pte_t *table = pt_alloc(pt, 1);
	uint64_t sub = level_size(level + 1);
	unsigned int i;

	if (table == NULL)
		return -ENOMEM;
	if ((old & PTE_VALID) == 0) {
		pt_write(ptep, (uintptr_t)table | PTE_TYPE_TABLE);
		return 0;
	}
	for (i = 0; i < PT_ENTRIES; i++)
		table[i] = (old & ~(PTE_ADDR_MASK | PTE_TYPE_MASK)) |
			   ((old & PTE_ADDR_MASK) + i * sub) | pte_leaf_type(level + 1);
	pt_break(pt, ptep, va, level);
	pt_write(ptep, (uintptr_t)table | PTE_TYPE_TABLE);
	return 0;
}

/*
 * Walk to the entry that maps va at level `want` or deeper, creating and
 * splitting tables on the way. Stops deeper than `want` only where a table
 * already exists.
 */
static int pt_walk_alloc(struct pt *pt, uint64_t va, int want, pte_t **ptep, int *level)
{
	pte_t *table = pt->root;
	int l = pt->start_level;
	int rc;

	for (;;) {
		pte_t *p = &table[pt_index(pt, va, l)];

		if (l == PT_LAST_LEVEL || (l >= want && !pte_is_table(*p, l))) {
			*ptep = p;
			*level = l;
			return 0;
		}
		if (!pte_is_table(*p, l)) {
			rc = pt_make_table(pt, p, va, l);
			if (rc != 0)
				return rc;
		}
		table = pte_table(*p);
		l++;
	}
}

/* Walk without changing anything: the valid leaf, or the invalid entry, for va. */
static void pt_walk(const struct pt *pt, uint64_t va, pte_t **ptep, int *level)
{
	pte_t *table = pt->root;
	int l = pt->start_level;

	for (;;) {
		pte_t *p = &table[pt_index(pt, va, l)];

		if (!pte_is_table(*p, l) || l == PT_LAST_LEVEL) {
			*ptep = p;
			*level = l;
			return;
		}
		table = pte_table(*p);
		l++;
	}
}

static int pt_attrs_stage1(enum pt_mem mem, unsigned int perm, pte_t *attrs)
{
	pte_t a = PTE_AF | PTE_AP1;

	if ((perm & PT_PERM_R) == 0 || (perm & (PT_PERM_W | PT_PERM_X)) == (PT_PERM_W | PT_PERM_X))
		return -EINVAL;
	if (mem == PT_MEM_NORMAL)
		a |= PTE_ATTRINDX(MAIR_IDX_NORMAL_WB) | PTE_SH_INNER;
	else
		a |= PTE_ATTRINDX(MAIR_IDX_DEVICE_nGnRE) | PTE_SH_OUTER;
	if ((perm & PT_PERM_W) == 0)
		a |= PTE_AP2_RO;
	if ((perm & PT_PERM_X) == 0)
		a |= PTE_XN;
	*attrs = a;
	return 0;
}

static int pt_attrs_stage2(enum pt_mem mem, unsigned int perm, pte_t *attrs)
{
	pte_t a = PTE_AF;

	if ((perm & (PT_PERM_R | PT_PERM_W | PT_PERM_X)) == 0)
		return -EINVAL;
	if (mem == PT_MEM_NORMAL)
		a |= PTE_S2_MEMATTR(S2_MEMATTR_NORMAL_WB) | PTE_SH_INNER;
	else
		a |= PTE_S2_MEMATTR(S2_MEMATTR_DEVICE_nGnRE) | PTE_SH_OUTER;
	if (perm & PT_PERM_R)
		a |= PTE_S2AP_R;
	if (perm & PT_PERM_W)
		a |= PTE_S2AP_W;
	if ((perm & PT_PERM_X) == 0)
		a |= PTE_S2_XN_NONE_EXECUTABLE;
	*attrs = a;
	return 0;
}

static int pt_attrs(const struct pt *pt, enum pt_mem mem, unsigned int perm, pte_t *attrs)
{
	if ((mem != PT_MEM_NORMAL && mem != PT_MEM_DEVICE) || (perm & ~0x7u) != 0)
		return -EINVAL;
	/* Device memory is always execute-never: no speculative fetch from MMIO. */
	if (mem == PT_MEM_DEVICE && (perm & PT_PERM_X))
		return -EINVAL;
	if (pt->stage == PT_STAGE1_EL2)
		return pt_attrs_stage1(mem, perm, attrs);
	return pt_attrs_stage2(mem, perm, attrs);
}

static bool pt_range_ok(const struct pt *pt, uint64_t va, uint64_t size)
{
	uint64_t end = va + size;

	return ((va | size) & (PT_PAGE_SIZE - 1)) == 0 && size != 0 && end > va &&
	       end <= 1ULL << pt->va_bits;
}

/* Coarsest level whose block fits the alignment of va and pa and the size. */
static int pt_pick_level(const struct pt *pt, uint64_t va, uint64_t pa, uint64_t size)
{
	int l = pt->first_block_level;

	for (; l < PT_LAST_LEVEL; l++) {
		uint64_t bs = level_size(l);

		if (((va | pa) & (bs - 1)) == 0 && size >= bs)
			return l;
	}
	return PT_LAST_LEVEL;
}

static void pt_set_leaf(const struct pt *pt, pte_t *ptep, uint64_t va, int level, pte_t d)
{
	if (*ptep == d)
		return;
	if (*ptep & PTE_VALID)
		pt_break(pt, ptep, va, level);
	pt_write(ptep, d);
}

/* Is nothing in [va, va + size) mapped yet? */
static bool pt_range_unmapped(const struct pt *pt, uint64_t va, uint64_t size)
{
	uint64_t end = va + size;

	while (va < end) {
		pte_t *ptep;
		int level;

		pt_walk(pt, va, &ptep, &level);
		if (*ptep & PTE_VALID)
			return false;
		va = (va & ~(level_size(level) - 1)) + level_size(level);
	}
	return true;
}

int pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, enum pt_mem mem,
	   unsigned int perm)
{
	uint64_t done = 0;
	pte_t attrs;
	int rc = pt_attrs(pt, mem, perm, &attrs);

	if (rc != 0)
		return rc;
	if (pt->revoked)
		return -EBUSY;
	if (!pt_range_ok(pt, va, size) || (pa & (PT_PAGE_SIZE - 1)) != 0 || pa + size < pa ||
	    pa + size > 1ULL << PT_MAX_OA_BITS)
		return -EINVAL;
	if (pt->no_replace && !pt_range_unmapped(pt, va, size))
		return -EEXIST;
	while (done < size) {
		pte_t *ptep;
		int level;
		int want = pt_pick_level(pt, va + done, pa + done, size - done);

		rc = pt_walk_alloc(pt, va + done, want, &ptep, &level);
		if (rc != 0)
			break;
		pt_set_leaf(pt, ptep, va + done, level, (pa + done) | attrs | pte_leaf_type(level));
		done += level_size(level);
	}
	/* Every leaf written lies inside [va, va + done): unmapping needs no table. */
	if (rc != 0 && done != 0)
		pt_unmap(pt, va, done);
	return rc;
}

/*
 * Nothing is written in place of what it clears, so one flush after the last
 * entry is enough: break-before-make asks only that the TLBs forget an entry
 * before the caller goes on (a split below flushes on its own).
 */
int pt_unmap(struct pt *pt, uint64_t va, uint64_t size)
{
	uint64_t start = va, end = va + size;
	bool cleared = false;
	int rc = 0;

	if (pt->revoked)
		return -EBUSY;
	if (!pt_range_ok(pt, va, size))
		return -EINVAL;
	while (va < end) {
		pte_t *ptep;
		int level;
		uint64_t bs, next;

		pt_walk(pt, va, &ptep, &level);
		bs = level_size(level);
		next = (va & ~(bs - 1)) + bs;
		if ((*ptep & PTE_VALID) && ((va & (bs - 1)) != 0 || next > end)) {
			rc = pt_make_table(pt, ptep, va, level);
			if (rc != 0)
				break;
			continue; /* walk again, one level deeper */
		}
		/* Then the rest of the run in this table, without a walk from the root for each. */
		for (;;) {
			if (*ptep & PTE_VALID) {
				*(volatile pte_t *)ptep = 0;
				cleared = true;
			}
			if (next >= end || ((uintptr_t)(ptep + 1) & (PT_PAGE_SIZE - 1)) == 0 ||
			    ((ptep[1] & PTE_VALID) &&
			     (pte_is_table(ptep[1], level) || next + bs > end)))
				break;
			ptep++;
			next += bs;
		}
		va = next < end ? next : end;
	}
	if (cleared) {
		pt_arch_sync_tables();
		pt_arch_tlb_flush(pt, start, size);
	}
	return rc;
}

int pt_lookup(const struct pt *pt, uint64_t va, uint64_t *pa, uint64_t *leaf_size, pte_t *desc)
{
	pte_t *ptep;
	int level;
	uint64_t bs;

	if (va >= 1ULL << pt->va_bits)
		return -EINVAL;
	pt_walk(pt, va, &ptep, &level);
	if (desc != NULL)
		*desc = *ptep;
	if ((*ptep & PTE_VALID) == 0)
		return -ENOENT;
	bs = level_size(level);
	if (pa != NULL)
		*pa = (*ptep & PTE_ADDR_MASK & ~(bs - 1)) | (va & (bs - 1));
	if (leaf_size != NULL)
		*leaf_size = bs;
	return 0;
}

#ifdef BULKHEAD_TEST_FAULT
int pt_test_clear_af(struct pt *pt, uint64_t va)
{
	pte_t *ptep;
	int level, rc;

	if (pt->revoked)
		return -EBUSY;
	/* Before the walk, which would build tables down to an unmapped page. */
	if (pt_lookup(pt, va, NULL, NULL, NULL) != 0)
		return -ENOENT;
	rc = pt_walk_alloc(pt, va, PT_LAST_LEVEL, &ptep, &level);
	if (rc != 0)
		return rc;
	pt_set_leaf(pt, ptep, va, level, *ptep & ~PTE_AF);
	return 0;
}
#endif

void pt_revoke(struct pt *pt, bool revoke)
{
	uint64_t i, n = root_entries(pt);
	pte_t e;

	pt->revoked = revoke;
	for (i = 0; i < n; i++) {
		e = pt->root[i];
		if (revoke && (e & PTE_VALID))
			pt->root[i] = (e & ~PTE_VALID) | PTE_SW_REVOKED;
		else if (!revoke && (e & PTE_SW_REVOKED))
			pt->root[i] = (e & ~PTE_SW_REVOKED) | PTE_VALID;
	}
	pt_arch_sync_tables();
	pt_arch_tlb_flush(pt, 0, ~0ULL);
}

int pt_share_root(struct pt *pt, const struct pt *from, uint64_t split)
{
	uint64_t i, n;

	if (pt->stage != from->stage || pt->va_bits != from->va_bits ||
	    pt->start_level != from->start_level || (split & (level_size(pt->start_level) - 1)) ||
	    split > 1ULL << pt->va_bits)
		return -EINVAL;
	n = split >> level_shift(pt->start_level);
	for (i = 0; i < n; i++)
		if ((pt->root[i] & PTE_VALID) && pt->root[i] != from->root[i])
			return -EEXIST;
	/* Invalid to valid only: no break-before-make, no TLB maintenance. */
	for (i = 0; i < n; i++)
		if (pt->root[i] != from->root[i])
			pt_write(&pt->root[i], from->root[i]);
	return 0;
}
