// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer targets for what the hypervisor reads from outside: the partition
 * layout DTB and the board DTB. Built twice by tests/fuzz/fuzz.mk (clang,
 * -fsanitize=fuzzer,address,undefined) with the real partitions/layout*.c and
 * boot/platform*.c:
 *
 *   fuzz_layout  input = the layout DTB, checked as boot/layout_boot.c does
 *                (fdt_check_header, size bound, private copy) and parsed by
 *                layout_parse() against QEMU virt's board (FUZZ_BOARD_DTB);
 *   fuzz_board   input = the board DTB, through platform_discover(); when that
 *                finds RAM, CPUs and a GIC, every shipped layout
 *                (FUZZ_LAYOUT_DTBS, colon-separated) is parsed against it, as
 *                bulkhead-check does on any board, and the direct-mode
 *                spare-SPI scan runs over the board. Trying them all is what
 *                lets a real board's seed (rpi4, imx8mp, zcu102) reach the
 *                guest-DT builder: only that board's own layout fits it.
 *
 * Both then build every cell's device tree (partitions/guest_dt*.c), as a
 * cell's load does: the devices it copies, with their child nodes, phandles
 * and DMA buses, come from the board. A tree the builder calls good that
 * libfdt cannot fully read is a finding (abort()).
 *
 * Each input sits in a heap buffer of exactly its size, so AddressSanitizer
 * sees any read past it. The log is tests/fuzz/fuzz_log.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "guest_dt.h"
#include "layout.h"
#include "platform.h"

#define LAYOUT_BLOB_MAX (64 * 1024) /* boot/layout_boot.c */
#define BOARD_MAX	(2 << 20)

#ifdef FUZZ_BOARD
#define LAYOUTS_MAX 16
static void *layouts[LAYOUTS_MAX]; /* every shipped layout */
static const char *layout_paths[LAYOUTS_MAX];
static int nr_layouts;
static int report; /* FUZZ_REPORT set: say which layouts fit (tests/fuzz/run's seed check) */
#else
static void *reference;		 /* the board */
static struct platform ref_plat; /* discovered once from it */
#endif

static void *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(BOARD_MAX);
	size_t n;

	if (!f || !buf) {
		fprintf(stderr, "fuzz: cannot read %s\n", path);
		exit(2);
	}
	n = fread(buf, 1, BOARD_MAX, f);
	fclose(f);
	if (n < sizeof(struct fdt_header) || fdt_check_header(buf) || fdt_totalsize(buf) > n) {
		fprintf(stderr, "fuzz: %s is not a device tree blob\n", path);
		exit(2);
	}
	return buf;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
#ifdef FUZZ_BOARD
	const char *env = getenv("FUZZ_LAYOUT_DTBS");
	static char paths[4096];
	char *p = paths;

	(void)argc;
	(void)argv;
	if (snprintf(paths, sizeof(paths), "%s", env ? env : FUZZ_LAYOUT_DTBS) >=
	    (int)sizeof(paths)) {
		fprintf(stderr, "fuzz: FUZZ_LAYOUT_DTBS too long\n");
		exit(2);
	}
	while (*p) {
		char *colon = strchr(p, ':');

		if (colon)
			*colon = '\0';
		if (nr_layouts == LAYOUTS_MAX) {
			fprintf(stderr, "fuzz: more than %d layouts\n", LAYOUTS_MAX);
			exit(2);
		}
		layout_paths[nr_layouts] = p;
		layouts[nr_layouts++] = read_file(p);
		p = colon ? colon + 1 : p + strlen(p);
	}
	if (!nr_layouts) {
		fprintf(stderr, "fuzz: no layout in FUZZ_LAYOUT_DTBS\n");
		exit(2);
	}
	report = getenv("FUZZ_REPORT") != NULL;
#else
	const char *path = getenv("FUZZ_BOARD_DTB");

	(void)argc;
	(void)argv;
	reference = read_file(path ? path : FUZZ_BOARD_DTB);
	if (platform_discover(reference, &ref_plat)) {
		fprintf(stderr, "fuzz: the reference board is unusable\n");
		exit(2);
	}
#endif
	return 0;
}

/* A private, exactly-sized copy of a DTB that claims to fit in @size bytes; NULL if not. */
static void *dtb_copy(const uint8_t *data, size_t size, size_t max)
{
	void *copy;

	if (size < sizeof(struct fdt_header) || size > max)
		return NULL;
	/* fdt_check_header reads only the header; the header is inside @data. */
	if (fdt_check_header(data) || fdt_totalsize(data) > size)
		return NULL;
	copy = malloc(fdt_totalsize(data));
	if (copy)
		memcpy(copy, data, fdt_totalsize(data));
	return copy;
}

/* spin_lock()'s wait in partitions/guest_dt.c: one thread here. */
void arch_cpu_relax(void)
{
}

/* Each cell's tree, as cell_load() builds it; a good one must read back whole. How many built. */
static int build_guest_dts(const struct layout *layout, const struct platform *plat,
			   const void *board)
{
	static uint8_t buf[GUEST_DT_BUILD_SIZE];
	int built = 0;

	for (int i = 0; i < layout->nr_cells; i++) {
		if (guest_dt_build(&layout->cells[i], plat, board, NULL, buf, sizeof(buf)) != 0)
			continue;
		if (fdt_check_full(buf, sizeof(buf)) != 0)
			abort();
		built++;
	}
	return built;
}

#ifdef FUZZ_BOARD
/* What a parsed layout leads to on @board: its guest DTs and the spare-SPI scan. */
static void check_board_layout(int i, struct layout *layout, const struct platform *plat,
			       const void *board)
{
	int built;

	layout_print(layout);
	built = build_guest_dts(layout, plat, board);
	if (report)
		fprintf(stderr, "fuzz_board: %s fits: %d of %d guest device trees built\n",
			layout_paths[i], built, layout->nr_cells);
	/* The direct-mode spare-SPI scan walks every node of the board. */
	layout->cells[0].irq_mode = LAYOUT_IRQ_DIRECT;
	(void)layout_assign_direct_spis(layout, board, plat, 1020);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct layout layout;
#ifdef FUZZ_BOARD
	static struct platform plat;
	void *board = dtb_copy(data, size, BOARD_MAX);

	if (!board)
		return 0;
	platform_discover(board, &plat);
	if (plat.nr_mem > 0 && plat.nr_cpus > 0 && plat.gic.version != 0)
		for (int i = 0; i < nr_layouts; i++)
			if (layout_parse(layouts[i], board, &plat, &layout) == 0)
				check_board_layout(i, &layout, &plat, board);
	free(board);
#else
	void *blob = dtb_copy(data, size, LAYOUT_BLOB_MAX);

	if (!blob)
		return 0;
	if (layout_parse(blob, reference, &ref_plat, &layout) == 0) {
		layout_print(&layout);
		build_guest_dts(&layout, &ref_plat, reference);
		for (int i = 0; i < layout.nr_cells; i++)
			(void)layout_kernel_offset(&layout.cells[i]);
	}
	/* Without a board: the board-independent rules alone. */
	if (layout_parse(blob, NULL, NULL, &layout) == 0)
		layout_print(&layout);
	free(blob);
#endif
	return 0;
}
