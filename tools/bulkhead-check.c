// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead-check LAYOUT.dtb [BOARD.dtb]: validate a partition layout on the
 * host with the hypervisor's own parser (partitions/layout*.c) and board
 * discovery (boot/platform*.c), then print each cell and a resource map.
 * Exit status: 0 layout valid, 1 layout invalid, 2 usage or unusable input.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "layout.h"
#include "log.h"
#include "platform.h"

#define MAX_DTB_SIZE (16u << 20)
#define MAX_ENTRIES  (1 + LAYOUT_MAX_CELLS * (LAYOUT_MAX_MEM + 3 + LAYOUT_MAX_DEVICES * 4))

static int verbose;

void log_vprintf(enum log_level level, const char *fmt, va_list ap)
{
	static const char *const tag[] = { "ERROR: ", "WARN: ", "", "debug: " };
	FILE *f = level <= LOG_WARN ? stderr : stdout;

	if (level == LOG_DEBUG && !verbose)
		return;
	if (level > LOG_DEBUG)
		level = LOG_DEBUG;
	fputs(tag[level], f);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}

/* Read a whole DTB; NULL (after saying why) if unreadable or not a DTB at all. */
static void *read_dtb(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(MAX_DTB_SIZE);
	size_t n = 0;

	if (!f || !buf) {
		fprintf(stderr, "bulkhead-check: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	n = fread(buf, 1, MAX_DTB_SIZE, f);
	if (ferror(f) || n < sizeof(struct fdt_header)) {
		fprintf(stderr, "bulkhead-check: %s: cannot read a device tree blob\n", path);
		goto fail;
	}
	if (fdt_magic(buf) != FDT_MAGIC || fdt_totalsize(buf) > n) {
		fprintf(stderr, "bulkhead-check: %s: not a device tree blob (or truncated)\n",
			path);
		goto fail;
	}
	fclose(f);
	return buf;
fail:
	if (f)
		fclose(f);
	free(buf);
	return NULL;
}

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

static void print_map(const struct layout *l, const struct platform *plat)
{
	map_add(l->hyp_mem.base, l->hyp_mem.size, "bulkhead", "hypervisor-memory", "");
	if (plat && plat->uart.type != UART_NONE)
		map_add(plat->uart.regs.base, plat->uart.regs.size, "bulkhead", "UART",
			plat->uart.path);
	for (int c = 0; c < l->nr_cells; c++)
		map_cell(&l->cells[c]);
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

static int usage(void)
{
	fprintf(stderr,
		"usage: bulkhead-check [-v] LAYOUT.dtb [BOARD.dtb]\n"
		"  Validate a Bulkhead partition layout (docs/layout.md) against the\n"
		"  board's device tree. Without BOARD.dtb only board-independent rules run.\n"
		"  Exit status: 0 valid, 1 invalid layout, 2 usage or unusable input.\n");
	return 2;
}

static int check(const void *layout_dtb, const void *board_dtb)
{
	static struct platform plat;
	static struct layout layout;
	int err;

	if (board_dtb && platform_discover(board_dtb, &plat) < 0) {
		fprintf(stderr, "bulkhead-check: the board device tree is unusable\n");
		return 2;
	}
	err = layout_parse(layout_dtb, board_dtb, board_dtb ? &plat : NULL, &layout);
	if (!board_dtb)
		printf("note: no BOARD.dtb given: CPUs, RAM, devices and PCI were not checked "
		       "against a board\n");
	if (err < 0) {
		fprintf(stderr, "bulkhead-check: the layout is invalid\n");
		return 1;
	}
	layout_print(&layout);
	print_map(&layout, board_dtb ? &plat : NULL);
	printf("\nOK: %d cell%s\n", layout.nr_cells, layout.nr_cells == 1 ? "" : "s");
	return 0;
}

int main(int argc, char **argv)
{
	void *layout_dtb, *board_dtb = NULL;
	int arg = 1, ret;

	if (arg < argc && strcmp(argv[arg], "-v") == 0) {
		verbose = 1;
		arg++;
	}
	if (argc - arg < 1 || argc - arg > 2 || argv[arg][0] == '-')
		return usage();
	layout_dtb = read_dtb(argv[arg]);
	if (!layout_dtb)
		return 2;
	if (argc - arg == 2) {
		board_dtb = read_dtb(argv[arg + 1]);
		if (!board_dtb) {
			free(layout_dtb);
			return 2;
		}
	}
	ret = check(layout_dtb, board_dtb);
	free(layout_dtb);
	free(board_dtb);
	return ret;
}
