// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead-check LAYOUT.dtb [BOARD.dtb]: validate a partition layout on the
 * host with the hypervisor's own parser (partitions/layout*.c) and board
 * discovery (boot/platform*.c), then print each cell and a resource map
 * (tools/resource_map.c).
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
#include "guest_dt.h"
#include "load_plan.h"
#include "layout.h"
#include "layout_draft.h"
#include "log.h"
#include "platform.h"
#include "resource_map.h"
#include "smmu.h"
#include "soc_providers.h"

#define MAX_DTB_SIZE (16u << 20)

static int verbose;
static const char *guest_dt_dir; /* --guest-dt DIR */
static unsigned int gic_lines;	 /* --gic-lines N; 0: not given */
bool log_muted;			 /* layout_draft.h */
char log_muted_error[LOG_MUTED_ERROR_MAX];

/* QEMU's virt machine: 256 SPIs (hw/arm/virt.c, NUM_IRQS) above the 32 private lines. */
#define QEMU_VIRT_GIC_LINES 288
#define GIC_MAX_LINES	    1020 /* INTIDs 1020-1023 are special */

/* spin_lock()'s wait in partitions/guest_dt.c: one thread here. */
void arch_cpu_relax(void)
{
}

/* The builder partitions/guest_dt.c records: the one thread. */
unsigned int arch_cpu_index(void)
{
	return 0;
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

/* Discovery found enough to check a layout against: RAM, CPUs and a GIC. */
static bool board_checkable(const struct platform *plat)
{
	return plat->nr_mem > 0 && plat->nr_cpus > 0 && plat->gic.version != 0;
}

/*
 * The hypervisor refuses a direct cell on the CPU it booted on (it takes the
 * console and SMMU interrupts there; gic/vgic_direct.c). Which CPU that is
 * only the boot knows; the board DTB header's boot_cpuid_phys says which one
 * U-Boot runs on, and where it names none of /cpus, the first is the likely one.
 */
static void warn_direct_on_boot_cpu(const void *board, const struct platform *plat,
				    const struct layout *l)
{
	int boot = layout_draft_boot_cpu(board, plat);
	uint64_t mpidr = plat->cpus[boot < 0 ? 0 : boot].mpidr;

	for (int i = 0; i < l->nr_cells; i++) {
		const struct layout_cell *c = &l->cells[i];

		for (int k = 0; k < c->nr_cpus && c->irq_mode == LAYOUT_IRQ_DIRECT; k++) {
			if (c->cpus[k].mpidr != mpidr)
				continue;
			printf("warning: layout: %s: interrupt-mode: \"direct\" with CPU 0x%lx, ",
			       c->path, (unsigned long)mpidr);
			if (boot >= 0)
				printf("the boot CPU by the board DTB header (boot_cpuid_phys)");
			else
				printf("the first in /cpus, the one U-Boot usually starts Bulkhead "
				       "on (the DTB header's boot_cpuid_phys 0x%x is none of "
				       "/cpus)",
				       fdt_boot_cpuid_phys(board));
			printf("; the hypervisor refuses a direct cell on its boot CPU\n");
		}
	}
}

/* The highest INTID a cell's device or PCI function takes, 0 if none. */
static unsigned int highest_spi(const struct layout *l)
{
	unsigned int top = 0;

	for (int i = 0; i < l->nr_cells; i++) {
		const struct layout_cell *c = &l->cells[i];

		for (int d = 0; d < c->nr_devices; d++)
			for (int k = 0; k < c->devices[d].nr_irqs; k++)
				if (c->devices[d].irqs[k] > top)
					top = c->devices[d].irqs[k];
		for (int k = 0; k < c->nr_pci; k++)
			if (c->pci_intx[k] > top)
				top = c->pci_intx[k];
	}
	return top;
}

static bool has_direct_cell(const struct layout *l)
{
	for (int i = 0; i < l->nr_cells; i++)
		if (l->cells[i].irq_mode == LAYOUT_IRQ_DIRECT)
			return true;
	return false;
}

/*
 * The layout against the GIC's lines: every SPI a cell takes must exist,
 * and a direct cell's virtual console and doorbells get spare physical SPIs
 * at boot, from the top of the lines down (partitions/layout_direct.c).
 * How many lines there are is GICD_TYPER's, which no device tree says: the
 * checker knows QEMU virt's, takes --gic-lines for other boards, and
 * otherwise says what it assumed.
 */
static int fit_gic_lines(const void *board, const struct platform *plat, struct layout *l)
{
	unsigned int lines = gic_lines, top;

	if (!lines && fdt_node_check_compatible(board, 0, "linux,dummy-virt") == 0)
		lines = QEMU_VIRT_GIC_LINES;
	/* Every SPI a cell takes exists, where the lines are known (the boot checks it too). */
	if (lines && layout_check_gic_lines(l, lines))
		return -ERANGE;
	/* Else an INTID past them (a typo in the board's tree) passes here and fails the boot. */
	if (!lines && (top = highest_spi(l)) != 0)
		printf("note: GIC lines not checked: the cells' SPIs go up to INTID %u, which the "
		       "boot refuses if this board's GIC has no such line; give --gic-lines N from "
		       "the boot log's \"gic: GICvN, N interrupt lines\"\n",
		       top);
	if (!has_direct_cell(l))
		return 0;
	if (!lines) {
		lines = GIC_MAX_LINES;
		printf("note: direct interrupts: the virtual console's and doorbells' SPIs are "
		       "picked at boot from the top of the GIC's lines, which a device tree does "
		       "not give: checked as if the GIC had %u; --gic-lines N gives this board's "
		       "(the boot log says it: \"gic: GICvN, N interrupt lines\")\n",
		       lines);
	}
	return layout_assign_direct_spis(l, board, plat, lines);
}

/*
 * Streams from 0x400 up take the SMMU's two-level stream table, which the
 * layout check holds them to (partitions/layout_streams.c); whether the
 * board's SMMU has one, and stream IDs that wide, only its registers say.
 */
static void note_wide_streams(const struct layout *l)
{
	uint32_t top = layout_highest_sid(l);

	if (top >> SMMU_LINEAR_STREAMS_LOG2)
		printf("note: SMMU streams up to 0x%x: from 0x%x up the boot needs an SMMU with "
		       "two-level stream tables (IDR0.ST_LEVEL) and stream IDs that wide "
		       "(IDR1.SIDSIZE), and refuses each stream it cannot hold (QEMU virt's SMMU "
		       "has both, 16-bit)\n",
		       top, 1u << SMMU_LINEAR_STREAMS_LOG2);
}

static int write_guest_dt(const char *label, const void *fdt)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dtb", guest_dt_dir, label);
	f = fopen(path, "wb");
	if (!f || fwrite(fdt, 1, fdt_totalsize(fdt), f) != fdt_totalsize(fdt)) {
		fprintf(stderr, "bulkhead-check: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return 2;
	}
	fclose(f);
	return 0;
}

/* 0, 1 when a cell's tree cannot be built (log_err() said why), 2 when one cannot be written. */
static int build_guest_dts(const struct platform *plat, const void *board, const struct layout *l)
{
	static uint8_t buf[GUEST_DT_BUILD_SIZE];
	int ret = 0;

	for (int i = 0; i < l->nr_cells && ret < 2; i++) {
		const struct layout_cell *c = &l->cells[i];

		if (c->device_tree.size)
			continue; /* the cell brings its own, copied as it is */
		if (guest_dt_build(c, plat, board, NULL, buf, sizeof(buf)) < 0)
			ret = 1;
		else if (guest_dt_dir)
			ret = write_guest_dt(c->label, buf);
	}
	return ret;
}

/*
 * The boot takes a board blob of a bounded size (include/platform.h): one
 * it would refuse is refused here, in its words. A bad header or an
 * unterminated /memreserve/ block is left to discovery to name.
 */
static bool board_fits(const void *board_dtb)
{
	size_t used;

	if (fdt_check_header(board_dtb) || fdt_version(board_dtb) < 17 ||
	    fdt_num_mem_rsv(board_dtb) < 0)
		return true;
	return platform_fdt_check_size(board_dtb, &used) == 0;
}

/* A blob with a /bulkhead node is a layout; a malformed one is left to the checks that name why. */
static bool is_layout(const void *dtb)
{
	return platform_fdt_check(dtb) == 0 && fdt_path_offset(dtb, "/bulkhead") >= 0;
}

/*
 * The two files the wrong way round: discovery would read the layout as a
 * board and list everything a board lacks, none of it the mistake.
 */
static bool arguments_swapped(const char *layout_path, const void *layout_dtb,
			      const char *board_path, const void *board_dtb)
{
	if (!is_layout(board_dtb))
		return false;
	if (is_layout(layout_dtb))
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

static int check(const char *layout_path, const void *layout_dtb, const void *board_dtb, bool plan)
{
	static struct platform plat;
	static struct layout layout;
	bool board_ok = true;
	int err;

	if (board_dtb) {
		board_ok = board_fits(board_dtb);
		if (platform_discover(board_dtb, &plat) < 0)
			board_ok = false;
	}
	if (!board_ok) {
		fprintf(stderr, "bulkhead-check: the board device tree is unusable: Bulkhead "
				"cannot boot on this board as described (see above)\n");
		if (plan || !board_checkable(&plat))
			return 2;
		fprintf(stderr, "bulkhead-check: checking the layout against what discovery "
				"found anyway\n");
	} else if (board_dtb && verbose) {
		printf("board: %d CPUs, %d RAM range%s, GICv%d, console %s at %#llx\n",
		       plat.nr_cpus, plat.nr_mem, plat.nr_mem == 1 ? "" : "s", plat.gic.version,
		       describe_uart(&plat.uart), (unsigned long long)plat.uart.regs.base);
	}
	err = layout_parse(layout_dtb, board_dtb, board_dtb ? &plat : NULL, &layout);
	if (!board_dtb)
		printf("note: no BOARD.dtb given: CPUs, RAM, devices and PCI were not checked "
		       "against a board\n");
	if (err < 0) {
		fprintf(stderr, "bulkhead-check: %s: the layout is invalid\n", layout_path);
		return 1;
	}
	if (plan)
		return print_load_plan(&plat, &layout);
	note_wide_streams(&layout);
	if (board_dtb && fit_gic_lines(board_dtb, &plat, &layout) < 0) {
		fprintf(stderr, "bulkhead-check: %s: the layout is invalid\n", layout_path);
		return 1;
	}
	if (board_dtb && board_ok) {
		err = build_guest_dts(&plat, board_dtb, &layout);
		if (err == 1)
			fprintf(stderr,
				"bulkhead-check: %s: the layout is invalid: a cell's device "
				"tree cannot be built\n",
				layout_path);
		if (err)
			return err;
	}
	layout_print(&layout);
	print_resource_map(&layout, board_dtb ? &plat : NULL);
	if (board_dtb && plat.nr_cpus > 0) {
		warn_direct_on_boot_cpu(board_dtb, &plat, &layout);
		soc_providers_warn(board_dtb, &plat, &layout);
	}
	printf("\nOK: %d cell%s\n", layout.nr_cells, layout.nr_cells == 1 ? "" : "s");
	if (!board_ok) {
		printf("(the layout only: the board itself is unusable, see the errors above)\n");
		return 2;
	}
	return 0;
}

/* --draft: a starting layout for the board at @path (tools/layout_draft.c); 0 or 2. */
static int draft(const char *path, int nr_cells)
{
	static struct platform plat;
	void *board = read_dtb(path);
	int ret = 2;

	if (!board)
		return 2;
	if (is_layout(board))
		fprintf(stderr,
			"bulkhead-check: %s has a /bulkhead node: it is a layout; --draft reads "
			"the board's device tree (the one its boot loader hands over)\n",
			path);
	else if (!board_fits(board) || platform_discover(board, &plat) < 0)
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

int main(int argc, char **argv)
{
	void *layout_dtb, *board_dtb = NULL;
	int arg = 1, ret, nr_cells;
	bool plan = false;
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
	if (ret == -2)
		return usage();
	for (; arg < argc && argv[arg][0] == '-'; arg++) {
		if (strcmp(argv[arg], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[arg], "--print-load-plan") == 0)
			plan = true;
		else if (strcmp(argv[arg], "--guest-dt") == 0 && arg + 1 < argc)
			guest_dt_dir = argv[++arg];
		else if (strcmp(argv[arg], "--gic-lines") == 0 && arg + 1 < argc) {
			gic_lines = parse_gic_lines(argv[++arg]);
			if (!gic_lines)
				return 2;
		} else
			return usage();
	}
	if (argc - arg < 1 || argc - arg > 2 || (plan && argc - arg != 2) ||
	    (guest_dt_dir && (plan || argc - arg != 2)))
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
	if (board_dtb && arguments_swapped(argv[arg], layout_dtb, argv[arg + 1], board_dtb))
		ret = 2;
	else
		ret = check(argv[arg], layout_dtb, board_dtb, plan);
	free(layout_dtb);
	free(board_dtb);
	return ret;
}
