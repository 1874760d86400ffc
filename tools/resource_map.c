// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead-check's resource map: every physical range the layout gives out
 * (hypervisor, console UART, each cell's memory, windows and devices, shared
 * memory), sorted by address with its owner, then which cell has each CPU.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "layout.h"
#include "platform.h"
#include "resource_map.h"

#define MAX_ENTRIES (1 + LAYOUT_MAX_CELLS * (LAYOUT_MAX_MEM + 3 + LAYOUT_MAX_DEVICES * 4))

struct entry {
	uint64_t base, size;
	const char *owner;
	const char *what;
	const char *detail;
};

static struct entry map[MAX_ENTRIES];
static int nr_map;

static void map_add(uint64_t base, uint64_t size, const char *owner, const char *what,
		    const char *detail)
{
	if (size && nr_map < MAX_ENTRIES)
		map[nr_map++] = (struct entry){ base, size, owner, what, detail };
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

static void map_cell(const struct layout_cell *c)
{
	for (int i = 0; i < c->nr_mem; i++)
		map_add(c->mem[i].pa, c->mem[i].size, c->label, i ? "memory" : "boot RAM", "");
	map_add(c->kernel.win.addr, c->kernel.win.size, c->label, "kernel window", "");
	map_add(c->initrd.addr, c->initrd.size, c->label, "initrd window", "");
	map_add(c->device_tree.addr, c->device_tree.size, c->label, "device-tree window", "");
	for (int d = 0; d < c->nr_devices; d++)
		for (int i = 0; i < c->devices[d].nr_regs; i++)
			map_add(c->devices[d].regs[i].base, c->devices[d].regs[i].size, c->label,
				"device", c->devices[d].path);
}

static void print_size(uint64_t size)
{
	if (size % (1u << 20) == 0)
		printf("%6llu MiB", (unsigned long long)(size >> 20));
	else if (size % 1024 == 0)
		printf("%6llu KiB", (unsigned long long)(size >> 10));
	else
		printf("%6llu B  ", (unsigned long long)size);
}

/* "PATH (KIND)", and a 16550's register stride and width: what the console driver will use. */
const char *describe_uart(const struct platform_uart *u)
{
	static char buf[PLATFORM_PATH_MAX + 64];

	if (u->type == UART_16550)
		snprintf(buf, sizeof(buf), "%s (16550, reg-shift %u, reg-io-width %u)", u->path,
			 u->reg_shift, u->reg_width);
	else
		snprintf(buf, sizeof(buf), "%s (%s)", u->path, platform_uart_name(u->type));
	return buf;
}

void print_resource_map(const struct layout *l, const struct platform *plat)
{
	map_add(l->hyp_mem.base, l->hyp_mem.size, "bulkhead", "hypervisor-memory", "");
	if (plat && plat->uart.type != UART_NONE)
		map_add(plat->uart.regs.base, plat->uart.regs.size, "bulkhead", "UART",
			describe_uart(&plat->uart));
	for (int c = 0; c < l->nr_cells; c++)
		map_cell(&l->cells[c]);
	for (int r = 0; r < l->nr_shm; r++)
		map_add(l->shm[r].pa, l->shm[r].size, "(shared)", "shared-memory", l->shm[r].path);
	qsort(map, (size_t)nr_map, sizeof(map[0]), entry_cmp);
	printf("\nresource map (physical addresses):\n");
	for (int i = 0; i < nr_map; i++) {
		printf("  0x%010llx-0x%010llx ", (unsigned long long)map[i].base,
		       (unsigned long long)(map[i].base + map[i].size - 1));
		print_size(map[i].size);
		printf("  %-10s %s%s%s\n", map[i].owner, map[i].what, map[i].detail[0] ? " " : "",
		       map[i].detail);
	}
	if (plat) {
		printf("\nCPUs:");
		for (int i = 0; i < plat->nr_cpus; i++) {
			const char *owner = "(idle)";

			for (int c = 0; c < l->nr_cells; c++)
				for (int k = 0; k < l->cells[c].nr_cpus; k++)
					if (l->cells[c].cpus[k].index == i)
						owner = l->cells[c].label;
			printf(" 0x%llx=%s", (unsigned long long)plat->cpus[i].mpidr, owner);
		}
		printf("\n");
	}
}
