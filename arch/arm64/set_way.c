// SPDX-License-Identifier: GPL-2.0-only
/*
 * DC ISW/CSW/CISW by the guest, as arch/arm64/sysreg_trap.c hands them
 * over: which of the cell's lines an operation names, and how much of them
 * one trap cleans (docs/traps.md). No register is touched here, so the
 * host unit tests run it as it is (tests/unit/test_set_way.c).
 */
#include "set_way.h"

static unsigned int log2_ceil(uint64_t n)
{
	unsigned int l = 0;

	while ((1ULL << l) < n)
		l++;
	return l;
}

/*
 * The operand (Arm ARM, "DC CISW"): Level [3:1], the set in [B-1:L] and the
 * way in [31:32-A], with L = log2(line bytes), B = L + log2(sets) and
 * A = log2(ways), both rounded up.
 */
bool set_way_decode(uint64_t operand, const struct cache_geometry *g, uint64_t *offset,
		    uint64_t *way_size)
{
	uint64_t set = (operand >> g->line_shift) & ((1ULL << log2_ceil(g->sets)) - 1);
	uint64_t way = g->ways > 1 ? (operand & 0xffffffffULL) >> (32 - log2_ceil(g->ways)) : 0;

	/* A way the cache lacks is not 0 either. */
	if (set >= g->sets || way != 0)
		return false;
	*offset = set << g->line_shift;
	*way_size = g->sets << g->line_shift;
	return true;
}

/*
 * The first line of @r at @offset modulo @way_size. The number of sets need
 * not be a power of 2 (CCSIDR_EL1.NumSets), nor then the way size: a
 * division, not a mask.
 */
static uint64_t first_line(const struct layout_region *r, uint64_t offset, uint64_t way_size)
{
	uint64_t pa = r->pa - r->pa % way_size + offset;

	return pa < r->pa ? pa + way_size : pa;
}

/* How many lines, @way_size apart, one trap cleans (set_way.h). */
static uint64_t lines_per_trap(uint64_t way_size)
{
	uint64_t n = SET_WAY_SPAN_PER_TRAP / way_size;

	return n > SET_WAY_LINES_PER_TRAP ? SET_WAY_LINES_PER_TRAP : n ? n : 1;
}

bool set_way_run(struct vcpu *vcpu, struct set_way_progress *p, const struct layout_region *mem,
		 int nr_mem, const struct cache_geometry *g, uint64_t elr, uint64_t operand)
{
	uint64_t offset, way_size, budget, end, n;

	if (!set_way_decode(operand, g, &offset, &way_size) || nr_mem <= 0)
		return true;
	budget = lines_per_trap(way_size);
	if (!p->active || p->elr != elr || p->operand != operand) {
		p->active = true;
		p->elr = elr;
		p->operand = operand;
		p->region = 0;
		p->next = first_line(&mem[0], offset, way_size);
	}
	while (p->region < nr_mem) {
		end = mem[p->region].pa + mem[p->region].size;
		if (p->next >= end) {
			if (++p->region < nr_mem)
				p->next = first_line(&mem[p->region], offset, way_size);
			continue;
		}
		if (!budget)
			return false;
		n = (end - p->next + way_size - 1) / way_size;
		if (n > budget)
			n = budget;
		set_way_arch_clean(vcpu, &mem[p->region], p->next, way_size, n);
		p->next += n * way_size;
		budget -= n;
	}
	p->active = false;
	return true;
}
