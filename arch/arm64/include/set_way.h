/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Set/way cache maintenance by the guest (DC ISW/CSW/CISW, HCR_EL2.TSW),
 * done by VA on the cell's own memory (arch/arm64/set_way.c; the trap and
 * the cache geometry are sysreg_trap.c's; docs/traps.md).
 */
#ifndef BULKHEAD_ARM64_SET_WAY_H
#define BULKHEAD_ARM64_SET_WAY_H

#include <stdbool.h>
#include <stdint.h>
#include "layout.h"

struct vcpu;

/* One data or unified cache level, as CCSIDR_EL1 describes it. */
struct cache_geometry {
	unsigned int line_shift; /* log2(line bytes) */
	uint64_t sets;
	uint64_t ways;
};

/*
 * At most this many lines cleaned per trap. A set's lines in a large cell
 * are many (RAM / way size: 65 536 for 512 MiB behind a 32 KiB 4-way L1),
 * and the trap runs with interrupts masked at EL2: past the bound the guest
 * is sent back to the same instruction, which traps again and goes on where
 * this one stopped, and the CPU takes what is pending (kicks, the watchdog,
 * a stop) in between. DC CIVAC of a line written back to DRAM is of the
 * order of 100 ns (an estimate, not measured on hardware here): some
 * 0.2 ms per trap, plus opening and closing the window over the blocks
 * those lines lie in (sysreg_trap.c), not over the cell's RAM.
 */
#define SET_WAY_LINES_PER_TRAP 2048

/*
 * And no more lines per trap than fit, a way size apart, in this much of
 * the cell's RAM: what a trap opens in its CPU's window, under the EL2 map's
 * lock every CPU's window changes share (sysreg_trap.c), is then at most
 * 17 blocks of 2 MiB per region, whatever the cache. 2 048 lines of a
 * 32 KiB 4-way L1 span 16 MiB, but of a 2 MiB 16-way L2 (128 KiB ways)
 * 256 MiB, and of a large last-level cache GiBs: bounded by the lines
 * alone, the time under the lock would grow with the way size up to the
 * cell's RAM. At least one line per trap.
 */
#define SET_WAY_SPAN_PER_TRAP (32ULL << 20)

/*
 * How far the operation this CPU's guest is executing has got: it is the
 * same one again only at the same PC with the same operand. One per
 * physical CPU (its cpu_local), cleared at every (re)start of its vCPU.
 */
struct set_way_progress {
	bool active;
	uint64_t elr;
	uint64_t operand;
	int region;    /* index in the cell's memory regions */
	uint64_t next; /* the next line's physical address in it */
};

static inline void set_way_reset(struct set_way_progress *p)
{
	p->active = false;
}

/*
 * Which lines DC ISW/CSW/CISW @operand names in cache @g: those whose
 * physical address is *@offset modulo *@way_size. False if there is nothing
 * to do: a set or way the cache does not have, or a way other than 0 (every
 * way of a set holds lines of the same addresses: way 0's operation does
 * the work for all of them).
 */
bool set_way_decode(uint64_t operand, const struct cache_geometry *g, uint64_t *offset,
		    uint64_t *way_size);

/*
 * One trap's share of DC ISW/CSW/CISW @operand at @elr on cache @g, over
 * the cell's @nr_mem regions @mem: at most SET_WAY_LINES_PER_TRAP lines,
 * and SET_WAY_SPAN_PER_TRAP of RAM's worth, continuing @p if it is that
 * operation. True when it is complete (the
 * guest goes past it), false if the guest must execute it again.
 */
bool set_way_run(struct vcpu *vcpu, struct set_way_progress *p, const struct layout_region *mem,
		 int nr_mem, const struct cache_geometry *g, uint64_t elr, uint64_t operand);

/*
 * Clean and invalidate to the point of coherency @n lines of the cell's
 * memory region @r, the first at @pa, @stride bytes apart (sysreg_trap.c; a
 * counting fake in tests/unit/test_set_way.c).
 */
void set_way_arch_clean(struct vcpu *vcpu, const struct layout_region *r, uint64_t pa,
			uint64_t stride, uint64_t n);

#endif
