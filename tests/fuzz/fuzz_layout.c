// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer targets for what the hypervisor reads from outside: the partition
 * layout DTB and the board DTB. Built twice by tests/fuzz/fuzz.mk (clang,
 * -fsanitize=fuzzer,address,undefined) with the real partitions/layout*.c and
 * boot/platform*.c:
 *
 *   fuzz_layout  input = the layout DTB, checked as boot/layout_boot.c does
 *                (fdt_check_header, size bound, private copy; bytes that do
 *                not start with the FDT magic are wrapped into a DTB's
 *                structure and strings blocks, wrap_as_dtb()) and parsed by
 *                layout_parse() against every board of FUZZ_BOARD_DTBS
 *                (colon-separated: QEMU virt's, and tests/fuzz/run adds the
 *                real boards' so that their layouts, mutated, get past the
 *                parse), and without a board;
 *   fuzz_board   input = the board DTB, through platform_discover(); when that
 *                finds RAM, CPUs and a GIC, every shipped layout
 *                (FUZZ_LAYOUT_DTBS) is parsed against it, as bulkhead-check
 *                does on any board, and the direct-mode spare-SPI scan runs
 *                over the board. Only a board's own layout fits it: trying
 *                them all lets each real board's seed reach what follows.
 *
 * Both then build every cell's device tree (partitions/guest_dt*.c), as a
 * cell's load does: the devices it copies, with their child nodes, phandles
 * and DMA buses, come from the board. A tree the builder calls good that
 * libfdt cannot fully read is a finding (abort()). With FUZZ_REPORT set,
 * each layout that fits a board says so and how many trees were built
 * (tests/fuzz/run checks that every shipped layout reaches its board's).
 *
 * Each input sits in a heap buffer of exactly its size, so AddressSanitizer
 * sees any read past it. The log is tests/fuzz/fuzz_log.c.
 */
#include <stdbool.h>
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

/* The other DTBs: every shipped layout (fuzz_board) or every board (fuzz_layout). */
#define REFS_MAX 16
static void *refs[REFS_MAX];
static const char *ref_paths[REFS_MAX];
static int nr_refs;
#ifndef FUZZ_BOARD
static struct platform ref_plats[REFS_MAX]; /* discovered once from each board */
#endif
static int report; /* FUZZ_REPORT set */

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

/* Read each DTB of the colon-separated list in $@var (else @fallback) into refs[]. */
static void read_refs(const char *var, const char *fallback)
{
	const char *env = getenv(var);
	static char paths[4096];
	char *p = paths;

	if (snprintf(paths, sizeof(paths), "%s", env ? env : fallback) >= (int)sizeof(paths)) {
		fprintf(stderr, "fuzz: %s too long\n", var);
		exit(2);
	}
	while (*p) {
		char *colon = strchr(p, ':');

		if (colon)
			*colon = '\0';
		if (nr_refs == REFS_MAX) {
			fprintf(stderr, "fuzz: more than %d files in %s\n", REFS_MAX, var);
			exit(2);
		}
		ref_paths[nr_refs] = p;
		refs[nr_refs++] = read_file(p);
		p = colon ? colon + 1 : p + strlen(p);
	}
	if (!nr_refs) {
		fprintf(stderr, "fuzz: no file in %s\n", var);
		exit(2);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	report = getenv("FUZZ_REPORT") != NULL;
#ifdef FUZZ_BOARD
	read_refs("FUZZ_LAYOUT_DTBS", FUZZ_LAYOUT_DTBS);
#else
	read_refs("FUZZ_BOARD_DTBS", FUZZ_BOARD_DTBS);
	for (int i = 0; i < nr_refs; i++)
		if (platform_discover(refs[i], &ref_plats[i])) {
			fprintf(stderr, "fuzz: %s: the board is unusable\n", ref_paths[i]);
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

/* The build lock's owner in partitions/guest_dt.c: one CPU here. */
unsigned int arch_cpu_index(void)
{
	return 0;
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

static void report_fit(const char *layout_path, const char *board_path, int built, int cells)
{
	if (report)
		fprintf(stderr, "fuzz: layout %s on board %s: %d of %d guest device trees built\n",
			layout_path, board_path, built, cells);
}

#ifdef FUZZ_BOARD
/* What shipped layout @i leads to on @board: its guest DTs and the spare-SPI scan. */
static void check_board_layout(int i, struct layout *layout, const struct platform *plat,
			       const void *board)
{
	layout_print(layout);
	report_fit(ref_paths[i], "(input)", build_guest_dts(layout, plat, board), layout->nr_cells);
	/* The direct-mode spare-SPI scan walks every node of the board. */
	layout->cells[0].irq_mode = LAYOUT_IRQ_DIRECT;
	(void)layout_assign_direct_spis(layout, board, plat, 1020);
}
#else
/*
 * Bytes that are not a DTB become the structure and strings blocks of one
 * (the first two bytes say where the first ends), behind a header libfdt
 * accepts. libfdt is a system library, not instrumented: libFuzzer alone
 * never learns a header that passes, and layout-bytes ran 22 M inputs through
 * 4 edges before this.
 */
static void *wrap_as_dtb(const uint8_t *data, size_t size)
{
	const uint32_t hdr = sizeof(struct fdt_header) + 16; /* and an empty reservation map */
	uint32_t body, split;
	void *blob;

	if (size < 2 || size - 2 > LAYOUT_BLOB_MAX - hdr)
		return NULL;
	body = (uint32_t)(size - 2);
	split = ((uint32_t)data[0] << 8 | data[1]) % (body + 1) & ~3u;
	blob = calloc(1, hdr + body);
	if (!blob)
		return NULL;
	memcpy((char *)blob + hdr, data + 2, body);
	fdt_set_magic(blob, FDT_MAGIC);
	fdt_set_totalsize(blob, hdr + body);
	fdt_set_off_mem_rsvmap(blob, sizeof(struct fdt_header));
	fdt_set_off_dt_struct(blob, hdr);
	fdt_set_size_dt_struct(blob, split);
	fdt_set_off_dt_strings(blob, hdr + split);
	fdt_set_size_dt_strings(blob, body - split);
	fdt_set_version(blob, 17);
	fdt_set_last_comp_version(blob, 16);
	return blob;
}

/* What the input layout leads to on board @i: its guest DTs and kernel placement. */
static void check_layout_on_board(int i, const struct layout *layout)
{
	layout_print(layout);
	report_fit("(input)", ref_paths[i], build_guest_dts(layout, &ref_plats[i], refs[i]),
		   layout->nr_cells);
	for (int c = 0; c < layout->nr_cells; c++)
		(void)layout_kernel_offset(&layout->cells[c]);
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
	if (platform_discover(board, &plat) == 0 && report)
		fprintf(stderr, "fuzz: a usable board\n");
	if (plat.nr_mem > 0 && plat.nr_cpus > 0 && plat.gic.version != 0)
		for (int i = 0; i < nr_refs; i++)
			if (layout_parse(refs[i], board, &plat, &layout) == 0)
				check_board_layout(i, &layout, &plat, board);
	free(board);
#else
	bool is_dtb = size >= 4 && fdt_magic(data) == FDT_MAGIC;
	void *blob = is_dtb ? dtb_copy(data, size, LAYOUT_BLOB_MAX) : wrap_as_dtb(data, size);

	if (!blob)
		return 0;
	for (int i = 0; i < nr_refs; i++)
		if (layout_parse(blob, refs[i], &ref_plats[i], &layout) == 0)
			check_layout_on_board(i, &layout);
	/* Without a board: the board-independent rules alone. */
	if (layout_parse(blob, NULL, NULL, &layout) == 0)
		layout_print(&layout);
	free(blob);
#endif
	return 0;
}
