/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TOOLS_LOAD_PLAN_H
#define BULKHEAD_TOOLS_LOAD_PLAN_H

#include <stdint.h>

#include "layout.h"
#include "platform.h"

#define SZ_2M 0x200000ULL
/* The layout DTB's slot: 2 MiB aligned and sized (the hypervisor takes up to 64 KiB). */
#define LOAD_PLAN_LAYOUT_SLOT SZ_2M

/* @x rounded up to @a, a power of two. */
static inline uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* Print the load plan of @l on the board @plat; 0, or 1 after saying why it has none. */
int print_load_plan(const struct platform *plat, const struct layout *l);

/*
 * The layout DTB's 2 MiB slot the load plan gives @l on @plat: the first
 * free one above hypervisor-memory, then anywhere in RAM, clear of
 * hypervisor-memory, every cell's memory and window, shared memory and the
 * board's reserved memory. 0, or -1 when there is none.
 */
int load_plan_layout_slot(const struct platform *plat, const struct layout *l, uint64_t *slot);

#endif
