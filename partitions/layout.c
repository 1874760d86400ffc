// SPDX-License-Identifier: GPL-2.0-only
/*
 * Partition layout parser: the standalone "bulkhead,layout-v1" DTB
 * (docs/layout.md) into struct layout. This file reads the layout's own
 * nodes and properties; layout_tree.c checks the tree's shape around them
 * (root, node names, label references), layout_board.c resolves board references,
 * layout_validate.c and layout_exclusive.c check the rules between cells.
 * The input may be any bytes: every length is checked before use and every
 * loop is bounded.
 */
#include <errno.h>
#include <string.h>

#include "layout_internal.h"

/* Indexed by enum cell_prop (layout_internal.h); inline names need no boot-time relocation. */
static const char cell_props[P_NR][24] = {
	[P_COMPATIBLE] = "compatible",
	[P_REG] = "reg",
	[P_PHANDLE] = "phandle",
	[P_LABEL] = "label",
	[P_CPUS] = "cpus",
	[P_MEMORY] = "memory",
	[P_DEVICES] = "devices",
	[P_PCI] = "pci-devices",
	[P_CONSOLE] = "console",
	[P_KERNEL] = "kernel",
	[P_KERNEL_FORMAT] = "kernel-format",
	[P_ENTRY_OFFSET] = "entry-offset",
	[P_INITRD] = "initrd",
	[P_BOOTARGS] = "bootargs",
	[P_DEVICE_TREE] = "device-tree",
	[P_DTB_OFFSET] = "dtb-offset",
	[P_ON_FAULT] = "on-fault",
	[P_WATCHDOG] = "watchdog-timeout-ms",
	[P_IRQ_MODE] = "interrupt-mode",
	[P_MANAGEMENT] = "management",
	[P_UNPROTECTED_DMA] = "unprotected-dma",
};

#define CELL_KNOWN                                                                                \
	"compatible, label, cpus, memory, devices, pci-devices, console, kernel, kernel-format, " \
	"entry-offset, initrd, bootargs, device-tree, dtb-offset, on-fault, "                     \
	"watchdog-timeout-ms, interrupt-mode, management, unprotected-dma, reg"

static int cell_prop_index(const char *name)
{
	for (int i = 0; i < P_NR; i++)
		if (strcmp(name, cell_props[i]) == 0)
			return i;
	return -1;
}

/*
 * Walk the cell's properties; returns a bit mask of the ones seen, and in
 * *@refused of those whose value was reported.
 */
static uint32_t walk_cell_props(struct layout_ctx *ctx, int node, struct layout_cell *c,
				uint32_t *refused)
{
	struct layout_prop p = { .node = c->path };
	uint32_t seen = 0;
	int off = -1, n = 0, which, errors;

	while (layout_prop_next(ctx, node, &off, &n, &p)) {
		which = cell_prop_index(p.name);
		if (which < 0) {
			layout_prop_unknown(ctx, c->path, p.name, CELL_KNOWN);
			continue;
		}
		seen |= 1u << which;
		errors = ctx->errors;
		if (!layout_tree_fixups(ctx, c->path, p.name))
			layout_cell_prop(ctx, &p, which, c);
		if (ctx->errors != errors)
			*refused |= 1u << which;
	}
	return seen;
}

static void check_required(struct layout_ctx *ctx, struct layout_cell *c, uint32_t seen,
			   uint32_t refused)
{
	const uint32_t placing = 1u << P_KERNEL_FORMAT | 1u << P_ENTRY_OFFSET | 1u << P_DTB_OFFSET;
	static const int required[] = { P_LABEL, P_CPUS, P_MEMORY, P_KERNEL };

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!(seen & (1u << required[i])))
			layout_error(ctx, c->path, cell_props[required[i]],
				     "missing (required: label, cpus, memory, kernel)");
	/* cell_load.c copies a given DTB unchanged: only a generated one gets /chosen filled. */
	if ((seen & (1u << P_DEVICE_TREE)) && (seen & (1u << P_BOOTARGS)))
		layout_error(
			ctx, c->path, "bootargs",
			"the cell boots its device-tree as given, so nothing would write these "
			"bootargs into it (put them in that DTB's /chosen, or leave "
			"device-tree out to have the DTB generated)");
	if ((seen & (1u << P_DEVICE_TREE)) && (seen & (1u << P_INITRD)))
		layout_error(
			ctx, c->path, "initrd",
			"the cell boots its device-tree as given, so its /chosen cannot say "
			"where the initrd is (the hypervisor places it after the kernel, by the "
			"Image header's size, known only at load; leave device-tree out to "
			"have the DTB generated with linux,initrd-start/end)");
	/* A kernel-format already refused says nothing about the format. */
	if ((seen & (1u << P_ENTRY_OFFSET)) && !(refused & (1u << P_KERNEL_FORMAT)) &&
	    c->kernel.format != LAYOUT_KERNEL_RAW)
		layout_error(ctx, c->path, "entry-offset",
			     "only valid with kernel-format = \"raw\"");
	if (!(seen & (1u << P_DTB_OFFSET)) && c->nr_mem > 0 && c->mem[0].size >= LAYOUT_DTB_SLOT)
		c->dtb_offset = (c->mem[0].size - LAYOUT_DTB_SLOT) & ~(LAYOUT_DTB_SLOT - 1);
	if (refused & placing)
		ctx->unplaced |= 1u << (c - ctx->out->cells);
}

void layout_report_subnodes(struct layout_ctx *ctx, int node, const char *path, const char *what)
{
	int sub, n = 0;

	fdt_for_each_subnode(sub, ctx->fdt, node)
	{
		const char *name = fdt_get_name(ctx->fdt, sub, NULL);

		if (!name || ++n > LAYOUT_MAX_WALK)
			break;
		layout_error(ctx, path, name,
			     "unknown node: a %s has no subnodes (everything in it is a property)",
			     what);
	}
}

static void parse_cell(struct layout_ctx *ctx, int node)
{
	struct layout *out = ctx->out;
	struct layout_cell *c = &out->cells[out->nr_cells++];
	uint32_t seen, refused = 0;

	memset(c, 0, sizeof(*c));
	c->console = LAYOUT_CONSOLE_VIRTUAL;
	if (fdt_get_path(ctx->fdt, node, c->path, sizeof(c->path)) < 0)
		memcpy(c->path, "/bulkhead/cell@?", sizeof("/bulkhead/cell@?"));
	layout_report_subnodes(ctx, node, c->path, "cell");
	seen = walk_cell_props(ctx, node, c, &refused);
	check_required(ctx, c, seen, refused);
	if (ctx->plat)
		layout_board_dma(ctx, c);
}

/* @w holds LAYOUT_HYP_IMAGE_MAX bytes from a 2 MiB aligned address inside it. */
static void check_hyp_room(struct layout_ctx *ctx, const struct layout_window *w)
{
	uint64_t end = w->addr + w->size;
	uint64_t load = (w->addr + LAYOUT_HYP_IMAGE_ALIGN - 1) & ~(LAYOUT_HYP_IMAGE_ALIGN - 1);

	if (load >= w->addr && load < end && end - load >= LAYOUT_HYP_IMAGE_MAX)
		return;
	layout_error(ctx, "/bulkhead", "hypervisor-memory",
		     "0x%lx+0x%lx cannot hold the hypervisor: it needs %llu MiB (its image, BSS "
		     "included, LAYOUT_HYP_IMAGE_MAX) from a 2 MiB aligned address inside it, "
		     "where booti runs it",
		     w->addr, w->size, LAYOUT_HYP_IMAGE_MAX >> 20);
}

/*
 * #address-cells and #size-cells only let cell@N { reg = <N>; } compile
 * quietly: another value would promise a format the layout does not have.
 */
#define REG_CELLS_FIXED                                                                    \
	"; the layout's formats are fixed (addresses and sizes are always 64-bit <hi lo> " \
	"pairs, whatever this says)"

#define BULKHEAD_KNOWN "compatible, hypervisor-memory, #address-cells, #size-cells"

static void parse_bulkhead_props(struct layout_ctx *ctx, int node)
{
	struct layout_prop p = { .node = "/bulkhead" };
	int off = -1, n = 0;
	bool have_hyp = false;

	while (layout_prop_next(ctx, node, &off, &n, &p)) {
		if (strcmp(p.name, "hypervisor-memory") == 0) {
			struct layout_window w = { 0, 0 };

			layout_prop_window(ctx, &p, &w);
			/* Unlike an image window, it is RAM the hypervisor maps and keeps: pages.
			 */
			if (w.size % LAYOUT_PAGE_SIZE) {
				layout_error(
					ctx, p.node, p.name,
					"size 0x%lx is not 4 KiB aligned: " LAYOUT_SIZE_IN_BYTES,
					w.size);
				w.size = 0;
			}
			if (w.size)
				check_hyp_room(ctx, &w);
			ctx->out->hyp_mem.base = w.addr;
			ctx->out->hyp_mem.size = w.size;
			have_hyp = true;
		} else if (strcmp(p.name, "compatible") == 0) {
			layout_prop_compatible(ctx, &p, "bulkhead,layout-v1");
		} else if (strcmp(p.name, "#address-cells") == 0) {
			layout_prop_fixed_u32(
				ctx, &p, 1,
				"a cell's reg = <N> is one cell, its unit address" REG_CELLS_FIXED);
		} else if (strcmp(p.name, "#size-cells") == 0) {
			layout_prop_fixed_u32(ctx, &p, 0,
					      "a cell's reg = <N> has no size" REG_CELLS_FIXED);
		} else if (strcmp(p.name, "phandle")) {
			layout_prop_unknown(ctx, p.node, p.name, BULKHEAD_KNOWN);
		}
	}
	if (fdt_getprop(ctx->fdt, node, "compatible", NULL) == NULL)
		layout_error(ctx, "/bulkhead", "compatible", "missing (\"bulkhead,layout-v1\")");
	if (!have_hyp)
		layout_error(ctx, "/bulkhead", "hypervisor-memory",
			     "missing (the RAM Bulkhead keeps: <addr-hi addr-lo size-hi size-lo>)");
	else if (ctx->out->hyp_mem.size)
		layout_board_ram(ctx, "/bulkhead", "hypervisor-memory", "window",
				 ctx->out->hyp_mem.base, ctx->out->hyp_mem.size);
}

static bool name_is(const char *name, const char *base)
{
	size_t n = strlen(base);

	return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '@');
}

static void parse_children(struct layout_ctx *ctx, int bulkhead)
{
	int node, n = 0;

	fdt_for_each_subnode(node, ctx->fdt, bulkhead)
	{
		const char *name = fdt_get_name(ctx->fdt, node, NULL);

		if (!name || ++n > LAYOUT_MAX_WALK)
			break;
		/*
		 * dtc refuses two, a DTB built by hand need not: the host scripts
		 * find a cell by its path (scripts/layout_dtb.py), so mkbootcmd
		 * would read the first twice, and messages could not tell them apart.
		 */
		if (layout_tree_name_taken(ctx, bulkhead, node, name)) {
			layout_error(ctx, "/bulkhead", name,
				     "a second node of that name: tools find a node by its path "
				     "(scripts/layout_dtb.py, mkbootcmd), so they would read the "
				     "first twice; give each its own unit address");
			continue;
		}
		if (name_is(name, "cell")) {
			layout_tree_unit_address(ctx, node, name, "cell");
			if (ctx->out->nr_cells < LAYOUT_MAX_CELLS)
				parse_cell(ctx, node);
			else
				layout_error(ctx, "/bulkhead", name, "more than %d cells",
					     LAYOUT_MAX_CELLS);
		} else if (name_is(name, "shared-memory")) {
			layout_tree_unit_address(ctx, node, name, "shared-memory");
			layout_shm_parse(ctx, node, name);
		} else {
			layout_error(ctx, "/bulkhead", name,
				     "unknown node (known: cell@N, shared-memory@N)");
		}
	}
	if (ctx->out->nr_cells == 0)
		layout_error(ctx, "/bulkhead", "cell@N", "the layout has no cells");
}

/* A board platform_discover() checked and indexed (@plat) is not checked twice. */
static int check_blobs(const void *layout_fdt, const void *board_fdt, const struct platform *plat)
{
	int err = layout_fdt ? platform_fdt_check(layout_fdt) : -FDT_ERR_BADMAGIC;
	bool discovered = plat && board_fdt && plat->index.fdt == board_fdt;

	if (err != 0)
		return log_err_ret(-EINVAL, "layout: /: -: not a valid device tree blob (%s)",
				   fdt_strerror(err));
	if (board_fdt && !discovered && platform_fdt_check(board_fdt) != 0)
		return log_err_ret(-EINVAL, "layout: board: -: not a valid device tree blob");
	return 0;
}

int layout_parse(const void *layout_fdt, const void *board_fdt, const struct platform *plat,
		 struct layout *out)
{
	struct layout_ctx ctx = { .fdt = layout_fdt, .out = out };
	int bulkhead;

	memset(out, 0, sizeof(*out));
	if (check_blobs(layout_fdt, board_fdt, plat) < 0)
		return -EINVAL;
	if (board_fdt && plat) {
		ctx.board = board_fdt;
		ctx.plat = plat;
		out->board_checked = true;
	}
	/* Before the size: a board's DTB given for the layout is told what it lacks. */
	bulkhead = fdt_path_offset(layout_fdt, "/bulkhead");
	if (bulkhead < 0) {
		if (layout_tree_misspelt_bulkhead(layout_fdt))
			return -EINVAL;
		log_err("layout: /: bulkhead: node missing (the layout lives in /bulkhead)%s",
			fdt_path_offset(layout_fdt, "/cpus") >= 0
				? "; this looks like a board's device tree (the layout comes "
				  "first, "
				  "the board second)"
				: "");
		return -EINVAL;
	}
	if (fdt_totalsize(layout_fdt) > LAYOUT_BLOB_MAX)
		return log_err_ret(
			-EINVAL,
			"layout: /: -: the layout DTB is %u bytes, more than the %u KiB the "
			"hypervisor takes (LAYOUT_BLOB_MAX)",
			fdt_totalsize(layout_fdt), LAYOUT_BLOB_MAX / 1024);
	ctx.fixups = fdt_path_offset(layout_fdt, "/__fixups__");
	layout_tree_check_root(&ctx);
	layout_tree_fixups(&ctx, NULL, NULL);
	parse_bulkhead_props(&ctx, bulkhead);
	parse_children(&ctx, bulkhead);
	layout_validate(&ctx);
	layout_check_streams(&ctx);
	layout_shm_validate(&ctx);
	return ctx.errors ? -EINVAL : 0;
}
