/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_MMU_H
#define BULKHEAD_ARM64_MMU_H

#include <stddef.h>
#include <stdint.h>

/*
 * The hypervisor's own EL2 stage-1 map: an identity map (VA = PA, below
 * 2^47) of its image (text RX, rodata RO, data and BSS RW+XN), the RAM no
 * cell owns (RW+XN) but the board's no-map reserved memory, which no CPU may
 * map (boot/el2_ram.c), and the devices it drives (Device-nGnRE, XN). Every CPU
 * shares it. Cells' RAM leaves it at boot; a CPU sees a cell's RAM only in a
 * window of its own above 2^47, while it loads that cell
 * (include/arch/el2_map.h); each CPU's stack is in that CPU's window only
 * (cpu_stack.h). SCTLR_EL2.WXN backs the rule that nothing
 * writable is executable. Every change fails with -EBUSY, and makes none,
 * once a CPU lost inside another (a fault there: it parks) holds the map's
 * lock: its tables may be half-written (arch_el2_map_error()).
 */

/* Boot CPU, MMU off: map the image and the boot loader's FDT, turn the MMU on. */
int mmu_init_boot(const void *fdt, size_t fdt_size);
int mmu_map_ram(uint64_t base, uint64_t size);
int mmu_map_device(uint64_t base, uint64_t size);
/*
 * The same, or -EBUSY at once if the map's lock is held, even by a CPU that
 * runs: for a fault's path, whose CPU may have faulted holding it, its
 * tables half-written.
 */
int mmu_map_device_nowait(uint64_t base, uint64_t size);
int mmu_unmap(uint64_t base, uint64_t size);
/* Make the configuration visible to CPUs that will enable their MMU with caches off. */
void mmu_publish_for_secondaries(void);
/*
 * Boot CPU: @cpu's own root, with [pa, pa + size) read-write in its window
 * for good (its private stack); a secondary's MMU starts from that root.
 */
int mmu_cpu_root_prepare(unsigned int cpu, uint64_t pa, uint64_t size);
/* The calling CPU, @cpu, onto its own root (if it has one). */
void mmu_use_own_root(unsigned int cpu);

/* The image's extent, for keeping cells out of it. */
uint64_t mmu_image_start(void);
uint64_t mmu_image_end(void);

#endif
