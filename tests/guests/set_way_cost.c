// SPDX-License-Identifier: GPL-2.0-only
/*
 * set_way_cost: DC CISW of L1 set 0, way 0, OPS times, timed (a flush loop's
 * inner step, as firmware runs it over every set and way). Each is trapped
 * and done over the cell's RAM in traps of at most 2 048 lines
 * (arch/arm64/set_way.c), so the time per operation grows with the cell but
 * the time per trap should not (tests/scenarios/test_set_way.py).
 */
#include "guest.h"

#define OPS 64

static inline void dc_cisw_set0_way0(void)
{
	__asm__ volatile("dc cisw, %0" : : "r"(0UL) : "memory");
}

int main(void *dtb)
{
	uint64_t t0, t1;
	unsigned int i;

	(void)dtb;
	t0 = timer_now();
	for (i = 0; i < OPS; i++)
		dc_cisw_set0_way0();
	t1 = timer_now();
	printf("set_way_cost: %u ops %lu ticks\n", OPS, (unsigned long)(t1 - t0));
	return 0;
}
