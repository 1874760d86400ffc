// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead-check --print-load-plan: where a boot loader puts each file
 * (scripts/mkimage reads it; the format is in tools/bulkhead-check.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../partitions/layout_internal.h"
#include "layout.h"
#include "load_plan.h"
#include "platform.h"

/* hypervisor-memory, each cell's memory and 3 windows, shared memory, the board's reservations */
#define MAX_BUSY \
	(1 + LAYOUT_MAX_CELLS * (LAYOUT_MAX_MEM + 3) + LAYOUT_MAX_SHM + PLATFORM_MAX_RESERVED)

/* Busy physical ranges the layout DTB must avoid (load plan). */
static struct mem_range busy[MAX_BUSY];
static int nr_busy;

static void busy_add(uint64_t base, uint64_t size)
{
	/* MAX_BUSY counts every range print_load_plan() adds: none is ever dropped. */
	if (size && nr_busy < MAX_BUSY)
		busy[nr_busy++] = (struct mem_range){ base, size };
}

/* The board's reserved memory (platform_discover() read it): firmware's, not the layout's. */
static void busy_add_board_reserved(const struct platform *plat)
{
	for (int i = 0; i < plat->nr_reserved; i++)
		busy_add(plat->reserved[i].range.base, plat->reserved[i].range.size);
}

/*
 * Whether @size bytes from @a lie in bank @m. Measured from the bank's base,
 * not against its end: a bank may end at 2^64, where base + size wraps to 0.
 */
static bool fits_in_bank(const struct mem_range *m, uint64_t a, uint64_t size)
{
	return a >= m->base && a - m->base < m->size && size <= m->size - (a - m->base);
}

/* First 2 MiB aligned slot of @size (> 0) in board RAM at or above @from that is busy-free. */
static int find_free(const struct platform *plat, uint64_t from, uint64_t size, uint64_t *out)
{
	for (int b = 0; b < plat->nr_mem; b++) {
		const struct mem_range *m = &plat->mem[b];
		uint64_t a = align_up(m->base > from ? m->base : from, SZ_2M);

		while (fits_in_bank(m, a, size)) {
			uint64_t next;
			int i;

			for (i = 0; i < nr_busy; i++)
				if (ranges_overlap(a, size, busy[i].base, busy[i].size))
					break;
			if (i == nr_busy) {
				*out = a;
				return 0;
			}
			/* Nothing is above a busy range ending at (or rounded up to) 2^64. */
			next = align_up(busy[i].base + busy[i].size, SZ_2M);
			if (next <= a)
				break;
			a = next;
		}
	}
	return -1;
}

int load_plan_layout_slot(const struct platform *plat, const struct layout *l, uint64_t *slot)
{
	nr_busy = 0;
	busy_add(l->hyp_mem.base, l->hyp_mem.size);
	for (int c = 0; c < l->nr_cells; c++) {
		const struct layout_cell *cell = &l->cells[c];

		for (int i = 0; i < cell->nr_mem; i++)
			busy_add(cell->mem[i].pa, cell->mem[i].size);
		busy_add(cell->kernel.win.addr, cell->kernel.win.size);
		busy_add(cell->initrd.addr, cell->initrd.size);
		busy_add(cell->device_tree.addr, cell->device_tree.size);
	}
	for (int i = 0; i < l->nr_shm; i++)
		busy_add(l->shm[i].pa, l->shm[i].size);
	busy_add_board_reserved(plat);
	if (find_free(plat, l->hyp_mem.base + l->hyp_mem.size, LOAD_PLAN_LAYOUT_SLOT, slot) &&
	    find_free(plat, 0, LOAD_PLAN_LAYOUT_SLOT, slot))
		return -1;
	return 0;
}

static void plan_window(const char *label, const char *what, const struct layout_window *w)
{
	if (w->size)
		printf("cell %s %s 0x%llx 0x%llx\n", label, what, (unsigned long long)w->addr,
		       (unsigned long long)w->size);
}

/*
 * Where the boot loader puts each file. bulkhead.bin goes to the second 2 MiB
 * boundary in hypervisor-memory (booti runs an Image with flags bit 3 set
 * where it is loaded if that is 2 MiB aligned), or to its first where less
 * than LAYOUT_HYP_IMAGE_MAX would be left above the second; the layout DTB goes to the first free
 * 2 MiB slot above hypervisor-memory (then anywhere in RAM) that is clear of
 * it, of every cell's memory and window, of shared memory and of the board's
 * reserved memory.
 */
int print_load_plan(const struct platform *plat, const struct layout *l)
{
	uint64_t hyp = align_up(l->hyp_mem.base, SZ_2M) + SZ_2M;
	uint64_t hyp_end = l->hyp_mem.base + l->hyp_mem.size, slot;

	/* layout_parse() made sure the image's most fits from the first aligned address. */
	if (hyp >= hyp_end || hyp_end - hyp < LAYOUT_HYP_IMAGE_MAX)
		hyp = align_up(l->hyp_mem.base, SZ_2M);
	if (hyp >= hyp_end) {
		fprintf(stderr,
			"bulkhead-check: /bulkhead: hypervisor-memory: 0x%llx+0x%llx holds "
			"no 2 MiB aligned address to load the hypervisor at\n",
			(unsigned long long)l->hyp_mem.base, (unsigned long long)l->hyp_mem.size);
		return 1;
	}
	if (load_plan_layout_slot(plat, l, &slot) < 0) {
		fprintf(stderr, "bulkhead-check: no free 2 MiB of RAM left for the layout DTB "
				"outside hypervisor-memory, the cells and their windows\n");
		return 1;
	}
	printf("hypervisor-memory 0x%llx 0x%llx\n", (unsigned long long)l->hyp_mem.base,
	       (unsigned long long)l->hyp_mem.size);
	printf("hypervisor 0x%llx 0x%llx\n", (unsigned long long)hyp,
	       (unsigned long long)(hyp_end - hyp));
	printf("layout 0x%llx 0x%llx\n", (unsigned long long)slot,
	       (unsigned long long)LOAD_PLAN_LAYOUT_SLOT);
	for (int c = 0; c < l->nr_cells; c++) {
		const struct layout_cell *cell = &l->cells[c];

		for (int i = 0; i < cell->nr_mem; i++)
			printf("cell %s memory 0x%llx 0x%llx\n", cell->label,
			       (unsigned long long)cell->mem[i].pa,
			       (unsigned long long)cell->mem[i].size);
		plan_window(cell->label, "kernel", &cell->kernel.win);
		plan_window(cell->label, "initrd", &cell->initrd);
		plan_window(cell->label, "device-tree", &cell->device_tree);
	}
	for (int i = 0; i < l->nr_shm; i++)
		printf("shared-memory 0x%llx 0x%llx\n", (unsigned long long)l->shm[i].pa,
		       (unsigned long long)l->shm[i].size);
	return 0;
}
