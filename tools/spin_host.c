// SPDX-License-Identifier: GPL-2.0-only
/*
 * What include/spinlock.h calls, for the host builds (the tools, the unit
 * tests, the fuzz targets), weak: a test that plays the CPUs or a lost
 * holder defines its own. Otherwise one CPU runs, and no lock's holder is
 * ever marked lost: a waiter that found one would be a bug of the test.
 */
#include <stdio.h>
#include <stdlib.h>
#include "arch/cpu.h"
#include "spinlock.h"

__attribute__((weak)) unsigned int arch_cpu_index(void)
{
	return 0;
}

__attribute__((weak)) bool arch_cpu_parked(unsigned int index)
{
	(void)index;
	return false;
}

__attribute__((weak)) void spin_wait_lost(const struct spinlock *l)
{
	(void)l;
	abort();
}

__attribute__((weak)) void spin_not_held(const struct spinlock *l)
{
	fprintf(stderr, "spinlock %p not held by CPU %u where it must be\n", (const void *)l,
		arch_cpu_index());
	abort();
}
