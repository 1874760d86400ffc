// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead-check LAYOUT.dtb [BOARD.dtb]: validate a partition layout on the
 * host with the hypervisor's own parser (partitions/layout*.c) and board
 * discovery (boot/platform*.c), then print each cell and a resource map
 * (tools/resource_map.c). This file reads the command line and the files;
 * the check and its report are tools/check.c.
 * Exit status: 0 layout valid, 1 layout invalid, 2 usage or unusable input.
 *
 * --print-load-plan LAYOUT.dtb BOARD.dtb: instead, print where a boot loader
 * puts each file (scripts/mkimage reads it; one parser decides everything):
 *   hypervisor-memory ADDR SIZE
 *   hypervisor ADDR ROOM          load bulkhead.bin here; ROOM bytes to the end
 *   layout ADDR SIZE              a free RAM slot for the layout DTB
 *   cell LABEL memory PA SIZE     (each region; the layout slot avoids them)
 *   cell LABEL kernel|initrd|device-tree ADDR SIZE
 *
 * With a board, each cell's device tree is built as the hypervisor builds it
 * at load (partitions/guest_dt*.c): what it refuses is a layout error here.
 * --guest-dt DIR writes them, DIR/LABEL.dtb (without linux,initrd-*: where
 * the initrd goes depends on the kernel the boot loads).
 *
 * --draft [--cells N] BOARD.dtb: instead, print a starting layout for the
 * board, N cells (default 2), that this check accepts (tools/layout_draft.c).
 *
 * --suggest NAME KNOWN: print the word of KNOWN ("a, b, c") that NAME is a
 * typo of, by the layout messages' own rule (partitions/layout_suggest.c),
 * and exit 0; exit 1 when none is near. scripts/mkimage asks it of a window
 * name.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "../partitions/layout_internal.h"
#include "check.h"
#include "layout.h"
#include "layout_draft.h"
#include "log.h"
#include "platform.h"

#define MAX_DTB_SIZE (16u << 20)

static int verbose;
bool log_muted; /* layout_draft.h */
char log_muted_error[LOG_MUTED_ERROR_MAX];

/* spin_lock()'s wait in partitions/guest_dt.c: one thread here. */
void arch_cpu_relax(void)
{
}

void log_vprintf(enum log_level level, const char *fmt, va_list ap)
{
	static const char *const tag[] = { "ERROR: ", "WARN: ", "", "debug: " };
	FILE *f = level <= LOG_WARN ? stderr : stdout;

	if (log_muted && level == LOG_ERR && !log_muted_error[0])
		vsnprintf(log_muted_error, sizeof(log_muted_error), fmt, ap);
	if ((level == LOG_DEBUG && !verbose) || log_muted)
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

/* The usage on @f; @status, which --help makes 0 and a wrong command line 2. */
static int usage_to(FILE *f, int status)
{
	fprintf(f, "usage: bulkhead-check [-v] [--guest-dt DIR] [--gic-lines N] LAYOUT.dtb "
		   "[BOARD.dtb]\n"
		   "       bulkhead-check --print-load-plan LAYOUT.dtb BOARD.dtb\n"
		   "       bulkhead-check --draft [--cells N] BOARD.dtb > my.dts\n"
		   "       bulkhead-check --suggest NAME \"KNOWN, NAMES\"\n"
		   "  Validate a Bulkhead partition layout (docs/layout.md) against the\n"
		   "  board's device tree. Without BOARD.dtb only board-independent rules run.\n"
		   "  --guest-dt DIR: write each cell's device tree to DIR/LABEL.dtb.\n"
		   "  --gic-lines N: the board GIC's interrupt lines (the boot log says them;\n"
		   "  QEMU virt's are known), for the SPIs direct cells get at boot.\n"
		   "  --print-load-plan: print where the boot loader puts each file.\n"
		   "  --draft: print a starting layout for the board, N cells (default 2);\n"
		   "  its options in any order, none of the others with it.\n"
		   "  --suggest: print the known name NAME is a typo of; exit 1 if none.\n"
		   "  Exit status: 0 valid, 1 invalid layout, 2 usage or unusable input\n"
		   "  (a board Bulkhead cannot boot on exits 2 even when the layout is valid).\n"
		   "  A new board: docs/porting.md (its BOARD file, the tree U-Boot passes, a\n"
		   "  draft, then this check against that tree).\n");
	return status;
}

static int usage(void)
{
	return usage_to(stderr, 2);
}

/* GICD_TYPER.ITLinesNumber's count, 32 * (N + 1) (1024 is 1020); 0, after saying why, if not. */
static unsigned int parse_gic_lines(const char *arg)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 0);

	if (*arg && !*end && n >= 32 && n <= 1024 && (n % 32 == 0 || n == GIC_MAX_LINES))
		return n > GIC_MAX_LINES ? GIC_MAX_LINES : (unsigned int)n;
	fprintf(stderr,
		"bulkhead-check: --gic-lines %s: want the GIC's interrupt lines, a "
		"multiple of 32 from 32 to 1024 (the boot log's \"gic: GICvN, N interrupt "
		"lines\")\n",
		arg);
	return 0;
}

/*
 * The two files the wrong way round: discovery would read the layout as a
 * board and list everything a board lacks, none of it the mistake.
 */
static bool arguments_swapped(const char *layout_path, const void *layout_dtb,
			      const char *board_path, const void *board_dtb)
{
	if (!check_is_layout(board_dtb))
		return false;
	if (check_is_layout(layout_dtb))
		fprintf(stderr,
			"bulkhead-check: %s has a /bulkhead node: it is a layout, like %s; the "
			"arguments are LAYOUT BOARD, the second the board's device tree\n",
			board_path, layout_path);
	else
		fprintf(stderr,
			"bulkhead-check: %s has a /bulkhead node and %s has none: the arguments "
			"are LAYOUT BOARD (swapped?)\n",
			board_path, layout_path);
	return true;
}

/* --draft: a starting layout for the board at @path (tools/layout_draft.c); 0 or 2. */
static int draft(const char *path, int nr_cells)
{
	static struct platform plat;
	void *board = read_dtb(path);
	int ret = 2;

	if (!board)
		return 2;
	if (check_is_layout(board))
		fprintf(stderr,
			"bulkhead-check: %s has a /bulkhead node: it is a layout; --draft reads "
			"the board's device tree (the one its boot loader hands over)\n",
			path);
	else if (!check_board_fits(board) || platform_discover(board, &plat) < 0)
		fprintf(stderr,
			"bulkhead-check: %s: the board device tree is unusable: Bulkhead cannot "
			"boot on this board as described (see above), so no layout is drafted\n",
			path);
	else
		ret = layout_draft(board, path, &plat, nr_cells);
	free(board);
	return ret;
}

/* --suggest: the near name, as a layout message would give it; 0, or 1 when there is none. */
static int suggest(const char *name, const char *known)
{
	char near[LAYOUT_PROP_NAME_MAX + LAYOUT_LABEL_MAX];

	if (!layout_suggest(name, known, near, sizeof(near)))
		return 1;
	printf("%s\n", near);
	return 0;
}

/*
 * The check's options into @opt and the files after them checked for
 * count: the index of the first file, -1 after saying why (exit 2), or -2
 * for the usage.
 */
static int parse_options(int argc, char **argv, struct check_options *opt)
{
	int arg = 1;

	for (; arg < argc && argv[arg][0] == '-'; arg++) {
		if (strcmp(argv[arg], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[arg], "--print-load-plan") == 0)
			opt->plan = true;
		else if (strcmp(argv[arg], "--guest-dt") == 0 && arg + 1 < argc)
			opt->guest_dt_dir = argv[++arg];
		else if (strcmp(argv[arg], "--gic-lines") == 0 && arg + 1 < argc) {
			opt->gic_lines = parse_gic_lines(argv[++arg]);
			if (!opt->gic_lines)
				return -1;
		} else
			return -2;
	}
	opt->verbose = verbose;
	if (argc - arg < 1 || argc - arg > 2 || (opt->plan && argc - arg != 2) ||
	    (opt->guest_dt_dir && (opt->plan || argc - arg != 2)))
		return -2;
	return arg;
}

int main(int argc, char **argv)
{
	struct check_options opt = { .verbose = false };
	void *layout_dtb, *board_dtb = NULL;
	int arg, ret, nr_cells;
	const char *board_path;

	/* stderr is unbuffered: in one pipe with it, -v's lines and notes keep their place. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return usage_to(stdout, 0);
	if (argc > 1 && strcmp(argv[1], "--suggest") == 0)
		return argc == 4 ? suggest(argv[2], argv[3]) : usage();
	ret = layout_draft_args(argc, argv, &board_path, &nr_cells, &verbose);
	if (ret >= 0)
		return ret ? ret : draft(board_path, nr_cells);
	arg = ret == -2 ? -2 : parse_options(argc, argv, &opt);
	if (arg < 0)
		return arg == -1 ? 2 : usage();
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
	if (board_dtb && arguments_swapped(argv[arg], layout_dtb, argv[arg + 1], board_dtb))
		ret = 2;
	else
		ret = check_layout(argv[arg], layout_dtb, board_dtb, &opt);
	free(layout_dtb);
	free(board_dtb);
	return ret;
}
