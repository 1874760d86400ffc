/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the hypervisor maps of RAM (arch/arm64/mmu.c). While guests run, no
 * EL2 map holds a cell's RAM, its shared memory or the boot loader's copies
 * of its software: a CPU that loads a cell opens those ranges in a window
 * of its own, which no other CPU's map holds, and closes them when done.
 * So no trap a guest takes runs on a CPU whose EL2 map holds another
 * cell's data, whatever EL2 is made to do, speculatively or not
 * (docs/traps.md, "What EL2 maps"). Nor another CPU's stack, where its
 * traps save its guest's registers (arch/arm64/include/cpu_stack.h).
 */
#ifndef BULKHEAD_ARCH_EL2_MAP_H
#define BULKHEAD_ARCH_EL2_MAP_H

#include <stdbool.h>
#include <stdint.h>

/* EL2's page: what its map holds or leaves out of RAM is whole pages of this. */
#define EL2_MAP_PAGE_SIZE 0x1000ULL

/*
 * Why a call below failed, in words, from its negative errno. Each fails
 * with -EBUSY, and changes nothing, once a CPU lost inside a change of the
 * map (a fault there: it parks) holds the map's lock, said once (mmu.c).
 */
const char *arch_el2_map_error(int err);
/* Boot: take [pa, pa + size) out of the identity map every CPU shares. */
int arch_el2_unmap_ram(uint64_t pa, uint64_t size);
/* Boot: build @cpu's window tables for [pa, pa + size): opening it later takes no table. */
int arch_ram_window_prepare(unsigned int cpu, uint64_t pa, uint64_t size);
/*
 * A window's coarsest leaf: mmu.c maps no 1 GiB block there, so a range
 * prepared above is 2 MiB blocks, with pages in a table at either end if
 * it does not start or end on a block.
 */
#define EL2_WINDOW_BLOCK 0x200000ULL

/*
 * [*pa, *pa + *size), inside the prepared range [rpa, rpa + rsize), widened
 * to the blocks around it but not past that range: each of its leaves is
 * then one the preparation wrote, so opening it takes no table from the
 * pool, and its cost is that of its blocks, not of the whole range
 * (partitions/cell_load.c's steps, a set/way trap's lines).
 */
static inline void arch_ram_window_blocks(uint64_t rpa, uint64_t rsize, uint64_t *pa,
					  uint64_t *size)
{
	uint64_t start = *pa & ~(EL2_WINDOW_BLOCK - 1);
	uint64_t end = (*pa + *size + EL2_WINDOW_BLOCK - 1) & ~(EL2_WINDOW_BLOCK - 1);

	start = start > rpa ? start : rpa;
	end = end < rpa + rsize ? end : rpa + rsize;
	*pa = start;
	*size = end - start;
}

/* The calling CPU's window onto [pa, pa + size), Normal memory, read-only unless @writable. */
int arch_ram_window_open(uint64_t pa, uint64_t size, bool writable);
/* Left open, and said, once a CPU lost inside a change of the map holds its lock. */
void arch_ram_window_close(uint64_t pa, uint64_t size);
/* Where an open window shows @pa. */
void *arch_ram_window_ptr(uint64_t pa);
/* Does @va translate at EL2 on this CPU now? PAR_EL1, the guest's, is left as it was. */
bool arch_el2_translates(uint64_t va);
/*
 * The CPUs whose EL2 map reaches @pa (bit n: CPU n; all bits: the map they
 * share), through arch_el2_translates() on this CPU and the other CPUs'
 * tables. Boot only: it reads those tables without their lock.
 */
uint32_t arch_el2_mappers(uint64_t pa);
/*
 * Boot: is each CPU's private stack (where a trap saves the guest's
 * registers) in its own CPU's map and no other? Pages checked, or -EFAULT;
 * *@cpus: how many CPUs.
 */
int arch_cpu_stacks_check(unsigned int *cpus);

#endif
