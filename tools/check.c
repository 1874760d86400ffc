// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead-check's check (tools/bulkhead-check.c reads the command line):
 * the board through discovery, the layout through the hypervisor's parser,
 * then what only the board tells (the GIC's lines, a direct cell's spare
 * SPIs, each cell's device tree as the boot builds it) and the report: the
 * cells, the resource map, and warnings of what a valid layout still puts at
 * risk on this board.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "check.h"
#include "guest_dt.h"
#include "layout.h"
#include "layout_draft.h"
#include "load_plan.h"
#include "log.h"
#include "platform.h"
#include "resource_map.h"
#include "smmu.h"
#include "soc_providers.h"

/* QEMU's virt machine: 256 SPIs (hw/arm/virt.c, NUM_IRQS) above the 32 private lines. */
#define QEMU_VIRT_GIC_LINES 288

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
static int fit_gic_lines(const void *board, const struct platform *plat, struct layout *l,
			 unsigned int gic_lines)
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

static int write_guest_dt(const char *dir, const char *label, const void *fdt)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dtb", dir, label);
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

/*
 * 0, 1 when a cell's tree cannot be built (log_err() said why), 2 when one
 * cannot be written to @dir (NULL: none is written).
 */
static int build_guest_dts(const struct platform *plat, const void *board, const struct layout *l,
			   const char *dir)
{
	static uint8_t buf[GUEST_DT_BUILD_SIZE];
	int ret = 0;

	for (int i = 0; i < l->nr_cells && ret < 2; i++) {
		const struct layout_cell *c = &l->cells[i];

		if (c->device_tree.size)
			continue; /* the cell brings its own, copied as it is */
		if (guest_dt_build(c, plat, board, NULL, buf, sizeof(buf)) < 0)
			ret = 1;
		else if (dir)
			ret = write_guest_dt(dir, c->label, buf);
	}
	return ret;
}

/*
 * The boot takes a board blob of a bounded size (include/platform.h): one
 * it would refuse is refused here, in its words. A bad header or an
 * unterminated /memreserve/ block is left to discovery to name.
 */
bool check_board_fits(const void *board_dtb)
{
	size_t used;

	if (fdt_check_header(board_dtb) || fdt_version(board_dtb) < 17 ||
	    fdt_num_mem_rsv(board_dtb) < 0)
		return true;
	return platform_fdt_check_size(board_dtb, &used) == 0;
}

bool check_is_layout(const void *dtb)
{
	return platform_fdt_check(dtb) == 0 && fdt_path_offset(dtb, "/bulkhead") >= 0;
}

int check_layout(const char *layout_path, const void *layout_dtb, const void *board_dtb,
		 const struct check_options *opt)
{
	static struct platform plat;
	static struct layout layout;
	bool board_ok = true;
	int err;

	if (board_dtb) {
		board_ok = check_board_fits(board_dtb);
		if (platform_discover(board_dtb, &plat) < 0)
			board_ok = false;
	}
	if (!board_ok) {
		fprintf(stderr, "bulkhead-check: the board device tree is unusable: Bulkhead "
				"cannot boot on this board as described (see above)\n");
		if (opt->plan || !board_checkable(&plat))
			return 2;
		fprintf(stderr, "bulkhead-check: checking the layout against what discovery "
				"found anyway\n");
	} else if (board_dtb && opt->verbose) {
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
	if (opt->plan)
		return print_load_plan(&plat, &layout);
	note_wide_streams(&layout);
	if (board_dtb && fit_gic_lines(board_dtb, &plat, &layout, opt->gic_lines) < 0) {
		fprintf(stderr, "bulkhead-check: %s: the layout is invalid\n", layout_path);
		return 1;
	}
	if (board_dtb && board_ok) {
		err = build_guest_dts(&plat, board_dtb, &layout, opt->guest_dt_dir);
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
