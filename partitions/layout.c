// SPDX-License-Identifier: GPL-2.0-only
/*
 * Partition layout parser: the standalone "bulkhead,layout-v1" DTB
 * (docs/layout.md) into struct layout. This file reads the layout's own
 * nodes and properties; layout_board.c resolves board references,
 * layout_validate.c and layout_exclusive.c check the rules between cells.
 * The input may be any bytes: every length is checked before use and every
 * loop is bounded.
 */
#include <errno.h>
#include <stdio.h>
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
 * dtc's /plugin/ mode compiles a reference to a label the file does not
 * define (<&cpu0>) to 0xffffffff and records where in /__fixups__: each
 * property is a label, each of its strings "path:property:offset", for an
 * overlay applied onto a tree that has the label. A layout is applied to
 * nothing. Entry @i of @label into @path and @prop; false past the last.
 */
static bool fixup_get(const struct layout_ctx *ctx, const char *label, int i,
		      char path[LAYOUT_PATH_MAX], char prop[LAYOUT_PROP_NAME_MAX])
{
	int len;
	const char *s = fdt_stringlist_get(ctx->fdt, ctx->fixups, label, i, &len);
	const char *c1 = s ? memchr(s, ':', (size_t)len) : NULL;
	const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(len - (c1 + 1 - s))) : NULL;

	if (!s)
		return false;
	path[0] = prop[0] = '\0';
	if (c2 && c1 - s < LAYOUT_PATH_MAX && c2 - c1 - 1 < LAYOUT_PROP_NAME_MAX) {
		memcpy(path, s, (size_t)(c1 - s));
		path[c1 - s] = '\0';
		memcpy(prop, c1 + 1, (size_t)(c2 - c1 - 1));
		prop[c2 - c1 - 1] = '\0';
	}
	return true;
}

/*
 * Each unresolved label reference: with @node NULL, said where it is
 * written; else whether @node's property @name is one (its value is dtc's
 * placeholder, not worth reading).
 */
static bool walk_fixups(struct layout_ctx *ctx, const char *node, const char *name)
{
	char path[LAYOUT_PATH_MAX], prop[LAYOUT_PROP_NAME_MAX];
	const char *label;
	int off, n = 0;

	if (ctx->fixups <= 0)
		return false;
	fdt_for_each_property_offset(off, ctx->fdt, ctx->fixups)
	{
		if (!fdt_getprop_by_offset(ctx->fdt, off, &label, NULL))
			break;
		for (int i = 0; n < LAYOUT_MAX_WALK && fixup_get(ctx, label, i, path, prop);
		     i++, n++)
			if (!node)
				layout_error(
					ctx, path[0] ? path : "/__fixups__", path[0] ? prop : label,
					"<&%s> is an unresolved label reference (a /plugin/ "
					"layout): a layout cannot reference the board's labels, "
					"it is applied to no tree; give CPUs by MPIDR and devices "
					"by node path",
					label);
			else if (strcmp(path, node) == 0 && strcmp(prop, name) == 0)
				return true;
	}
	return false;
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
			layout_error(ctx, c->path, p.name, "unknown property (known: %s)",
				     CELL_KNOWN);
			continue;
		}
		seen |= 1u << which;
		errors = ctx->errors;
		if (!walk_fixups(ctx, c->path, p.name))
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
				layout_error(ctx, p.node, p.name, "size 0x%lx is not 4 KiB aligned",
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
			layout_error(ctx, p.node, p.name,
				     "unknown property (known: compatible, hypervisor-memory, "
				     "#address-cells, #size-cells)");
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

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * @name is @base@N, N 1 to 8 hex digits (a DT unit address), and a reg, if
 * any, is <N>: tools find cells by that name (scripts/layout_dtb.py, which
 * scripts/mkbootcmd uses, lists /bulkhead/cell@*), so `cell` or `cell@zz`,
 * which the parser would read, would be a cell the boot script never loads.
 */
static void check_unit_address(struct layout_ctx *ctx, int node, const char *name, const char *base)
{
	const char *at = name + strlen(base);
	char path[LAYOUT_PATH_MAX];
	uint32_t n = 0;
	int digits = 0, len;
	const fdt32_t *reg;

	if (*at == '@')
		for (at++; digits <= 8 && hex_digit(*at) >= 0; at++, digits++)
			n = n << 4 | (uint32_t)hex_digit(*at);
	if (digits == 0 || digits > 8 || *at != '\0') {
		layout_error(ctx, "/bulkhead", name,
			     "a %s node is named %s@N, N its number in hex (scripts/layout_dtb.py "
			     "and mkbootcmd find them by that name)",
			     base, base);
		return;
	}
	reg = fdt_getprop(ctx->fdt, node, "reg", &len);
	if (!reg || (len == 4 && fdt32_ld(reg) == n))
		return;
	snprintf(path, sizeof(path), "/bulkhead/%s", name);
	if (len != 4)
		layout_error(ctx, path, "reg", "expected one cell, the unit address <0x%x>", n);
	else
		layout_error(ctx, path, "reg",
			     "<0x%x> is not the unit address %x (%s@N has reg = <N>, or no reg)",
			     fdt32_ld(reg), n, base);
}

/* Does a sibling before @node, below @parent, have @node's @name? */
static bool name_taken(struct layout_ctx *ctx, int parent, int node, const char *name)
{
	int sib, n = 0;

	fdt_for_each_subnode(sib, ctx->fdt, parent)
	{
		const char *other = fdt_get_name(ctx->fdt, sib, NULL);

		if (sib == node || !other || ++n > LAYOUT_MAX_WALK)
			break;
		if (strcmp(other, name) == 0)
			return true;
	}
	return false;
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
		if (name_taken(ctx, bulkhead, node, name)) {
			layout_error(ctx, "/bulkhead", name,
				     "a second node of that name: tools find a node by its path "
				     "(scripts/layout_dtb.py, mkbootcmd), so they would read the "
				     "first twice; give each its own unit address");
			continue;
		}
		if (name_is(name, "cell")) {
			check_unit_address(ctx, node, name, "cell");
			if (ctx->out->nr_cells < LAYOUT_MAX_CELLS)
				parse_cell(ctx, node);
			else
				layout_error(ctx, "/bulkhead", name, "more than %d cells",
					     LAYOUT_MAX_CELLS);
		} else if (name_is(name, "shared-memory")) {
			check_unit_address(ctx, node, name, "shared-memory");
			layout_shm_parse(ctx, node, name);
		} else {
			layout_error(ctx, "/bulkhead", name,
				     "unknown node (known: cell@N, shared-memory@N)");
		}
	}
	if (ctx->out->nr_cells == 0)
		layout_error(ctx, "/bulkhead", "cell@N", "the layout has no cells");
}

static bool root_name_known(const char *name, const char *known)
{
	for (const char *k = known; *k; k += strlen(k) + 1)
		if (strcmp(k, name) == 0)
			return true;
	return false;
}

/*
 * Everything lives in /bulkhead: a node or property beside it is a mistake,
 * not ignored. So is a /memreserve/ entry: the layout reserves nothing (the
 * board's tree does, and the rules read that), and one written there, even
 * over a cell, would be read by nobody.
 */
static void check_root(struct layout_ctx *ctx)
{
	int off, n = 0, bulkheads = 0, rsv = fdt_num_mem_rsv(ctx->fdt);
	uint64_t addr = 0, size = 0;

	if (rsv > 0) {
		fdt_get_mem_rsv(ctx->fdt, 0, &addr, &size);
		layout_error(ctx, "/", "/memreserve/",
			     "the layout DTB has %d entr%s (0x%lx+0x%lx%s); the layout reserves "
			     "nothing: memory firmware keeps is reserved in the board's tree "
			     "(/memreserve/, /reserved-memory), which the rules read",
			     rsv, rsv == 1 ? "y" : "ies", addr, size, rsv > 1 ? ", ..." : "");
	}

	fdt_for_each_property_offset(off, ctx->fdt, 0)
	{
		const char *name = NULL;

		if (++n > LAYOUT_MAX_WALK || !fdt_getprop_by_offset(ctx->fdt, off, &name, NULL))
			break;
		if (!root_name_known(name, "#address-cells\0#size-cells\0compatible\0model\0"))
			layout_error(
				ctx, "/", name,
				"unknown property (the layout lives in /bulkhead; known at the "
				"root: #address-cells, #size-cells, compatible, model)");
	}
	fdt_for_each_subnode(off, ctx->fdt, 0)
	{
		const char *name = fdt_get_name(ctx->fdt, off, NULL);

		if (!name || ++n > 2 * LAYOUT_MAX_WALK)
			break;
		if (!root_name_known(name, "bulkhead\0__symbols__\0__fixups__\0__local_fixups__\0"))
			layout_error(ctx, "/", name,
				     "unknown node (the layout lives in /bulkhead)");
		/* dtc refuses two, a DTB built by hand need not: only the first would be read. */
		else if (strcmp(name, "bulkhead") == 0 && ++bulkheads == 2)
			layout_error(ctx, "/", name,
				     "a second node of that name, which nothing would read: the "
				     "layout is one /bulkhead node (merge them)");
	}
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
	check_root(&ctx);
	walk_fixups(&ctx, NULL, NULL);
	parse_bulkhead_props(&ctx, bulkhead);
	parse_children(&ctx, bulkhead);
	layout_validate(&ctx);
	layout_check_streams(&ctx);
	layout_shm_validate(&ctx);
	return ctx.errors ? -EINVAL : 0;
}
