// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layout against the GIC the boot found: every SPI a cell takes must
 * exist (layout_check_gic_lines()), and spare SPIs for direct interrupt
 * mode (docs/vgic.md). Every interrupt of a
 * direct cell is a physical one, including those of devices the hypervisor
 * emulates (the virtual console, doorbells), which have no line: each gets a
 * physical SPI that no node of the board names, taken from the top of the
 * GIC's range down, far from where boards wire their devices.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "layout_internal.h"

#define SPI_WORDS	(1024 / 32)
#define INTID_LIMIT	1020 /* 1020-1023 are special */
#define MAX_BOARD_NODES 4096
#define MAX_DEPTH	32
#define GIC_SPI_TYPE	0

static void mark_spi(uint32_t *used, const fdt32_t *spec)
{
	uint32_t intid = 32 + fdt32_ld(&spec[1]);

	if (fdt32_ld(&spec[0]) == GIC_SPI_TYPE && intid < INTID_LIMIT)
		used[intid / 32] |= 1u << (intid % 32);
}

/* A board node's interrupt properties, as one pass over its properties finds them. */
struct node_irqs {
	const fdt32_t *parent, *interrupts, *extended, *map;
	int parent_len, interrupts_len, extended_len, map_len;
};

/*
 * fdt_getprop() walks a node's properties once per name: four names on
 * every node of the board cost four walks. The first property of a name
 * counts, as with fdt_getprop().
 */
static void node_irqs(const void *fdt, int node, struct node_irqs *n)
{
	const struct {
		const char *name;
		const fdt32_t **val;
		int *len;
	} want[] = {
		{ "interrupt-parent", &n->parent, &n->parent_len },
		{ "interrupts", &n->interrupts, &n->interrupts_len },
		{ "interrupts-extended", &n->extended, &n->extended_len },
		{ "interrupt-map", &n->map, &n->map_len },
	};
	const char *name;
	const void *val;
	unsigned int i;
	int prop, len;

	*n = (struct node_irqs){ 0 };
	fdt_for_each_property_offset(prop, fdt, node)
	{
		val = fdt_getprop_by_offset(fdt, prop, &name, &len);
		if (!val || !name || name[0] != 'i')
			continue;
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			if (!*want[i].val && strcmp(name, want[i].name) == 0) {
				*want[i].val = val;
				*want[i].len = len;
			}
	}
}

/* interrupts-extended = <&parent spec...>: the entries whose parent is the GIC (@gic). */
static void mark_extended(struct layout_ctx *ctx, const struct node_irqs *n, int gic,
			  uint32_t *used)
{
	int i = 0, parent, cells;
	const fdt32_t *p = n->extended;
	int len = p && n->extended_len > 0 ? n->extended_len / 4 : 0;

	while (i < len) {
		parent = platform_index_by_phandle(layout_board_index(ctx), ctx->board,
						   fdt32_ld(&p[i]));
		cells = parent < 0 ? -1
				   : layout_board_cells(ctx->board, parent, "#interrupt-cells");
		if (cells < 1 || len - i < 1 + cells)
			return;
		if (cells == 3 && parent == gic)
			mark_spi(used, &p[i + 1]);
		i += 1 + cells;
	}
}

static void mark_map(struct layout_ctx *ctx, int node, const struct node_irqs *n, int gic,
		     uint32_t *used)
{
	int len = n->map_len, pos = 0, naddr, nint;
	const fdt32_t *map = n->map;
	struct layout_intmap_entry e = { 0 };

	/* Most nodes have no interrupt-map: no cell counts to look up for them. */
	if (!map || len <= 0 || len % 4)
		return;
	naddr = layout_board_cells(ctx->board, node, "#address-cells");
	nint = layout_board_cells(ctx->board, node, "#interrupt-cells");
	if (naddr < 0 || nint < 1)
		return;
	while (layout_board_intmap_next(ctx->board, map, len / 4, naddr + nint, &pos, &e) > 0)
		if (e.nspec == 3 && e.parent == gic)
			mark_spi(used, e.spec);
}

/* The board's GIC node (layout_board_is_gic() costs a "reg" translation: once). */
static int board_gic(struct layout_ctx *ctx)
{
	int node = -1;

	while ((node = fdt_node_offset_by_prop_value(ctx->board, node, "interrupt-controller", NULL,
						     0)) >= 0)
		if (layout_board_is_gic(ctx, node))
			return node;
	return node;
}

/*
 * Every SPI a board node names through interrupts, interrupts-extended or
 * interrupt-map. One pass: each node's interrupt parent (its own, or its
 * parent's, inherited) is tracked by depth instead of walking up the tree.
 */
static void board_spis(struct layout_ctx *ctx, uint32_t *used)
{
	uint32_t parent_at[MAX_DEPTH] = { 0 }, gic_phandle, own;
	int node, depth = 0, n = 0, gic = board_gic(ctx);
	struct node_irqs irqs;

	if (gic < 0 || !(gic_phandle = fdt_get_phandle(ctx->board, gic)))
		return;
	for (node = fdt_next_node(ctx->board, -1, &depth); node >= 0 && n < MAX_BOARD_NODES;
	     node = fdt_next_node(ctx->board, node, &depth), n++) {
		if (depth < 0 || depth >= MAX_DEPTH)
			continue;
		node_irqs(ctx->board, node, &irqs);
		own = irqs.parent && irqs.parent_len == 4 ? fdt32_ld(irqs.parent) : 0;
		parent_at[depth] = own ? own : (depth ? parent_at[depth - 1] : 0);
		if (irqs.interrupts && irqs.interrupts_len > 0 && irqs.interrupts_len % 12 == 0 &&
		    parent_at[depth] == gic_phandle)
			for (int i = 0; i < irqs.interrupts_len / 12; i++)
				mark_spi(used, &irqs.interrupts[3 * i]);
		mark_extended(ctx, &irqs, gic, used);
		mark_map(ctx, node, &irqs, gic, used);
	}
}

/* The highest free SPI below *@next (then the next search starts below it), or 0. */
static uint32_t take_spi(const uint32_t *used, uint32_t *next)
{
	while (*next > 32) {
		uint32_t intid = --*next;

		if (!(used[intid / 32] & (1u << (intid % 32))))
			return intid;
	}
	return 0;
}

static int assign_cell(struct layout_ctx *ctx, struct layout_cell *c, const uint32_t *used,
		       uint32_t *next, unsigned int nr_lines)
{
	int i;

	if (c->console == LAYOUT_CONSOLE_VIRTUAL) {
		c->vuart_intid = take_spi(used, next);
		if (!c->vuart_intid)
			goto full;
		log_info("layout: %s: direct interrupts: virtual console on INTID %u", c->label,
			 c->vuart_intid);
	}
	for (i = 0; i < c->nr_shm; i++) {
		if (!c->shm[i].doorbell)
			continue;
		c->shm[i].doorbell_intid = take_spi(used, next);
		if (!c->shm[i].doorbell_intid)
			goto full;
		log_info("layout: %s: direct interrupts: doorbell of shared-memory region %d on "
			 "INTID %u",
			 c->label, c->shm[i].region, c->shm[i].doorbell_intid);
	}
	return 0;
full:
	layout_error(ctx, c->path, "interrupt-mode",
		     "\"direct\": the GIC's %u lines hold no more SPIs that no board device uses, "
		     "for the virtual console and doorbells",
		     nr_lines);
	return -ENOSPC;
}

static int spi_beyond(struct layout_ctx *ctx, const struct layout_cell *c, const char *prop,
		      const char *what, uint32_t intid, unsigned int nr_lines)
{
	layout_error(ctx, c->path, prop,
		     "%s: INTID %u is beyond the GIC's %u interrupt lines (INTIDs up to %u): it "
		     "would never fire",
		     what, intid, nr_lines, nr_lines - 1);
	return -ERANGE;
}

int layout_check_gic_lines(const struct layout *layout, unsigned int nr_lines)
{
	struct layout_ctx ctx = { .board = NULL };
	char bdf[16];
	int ret = 0;

	for (int i = 0; i < layout->nr_cells; i++) {
		const struct layout_cell *c = &layout->cells[i];

		for (int d = 0; d < c->nr_devices; d++)
			for (int k = 0; k < c->devices[d].nr_irqs; k++)
				if (c->devices[d].irqs[k] >= nr_lines)
					ret = spi_beyond(&ctx, c, "devices", c->devices[d].path,
							 c->devices[d].irqs[k], nr_lines);
		for (int k = 0; k < c->nr_pci; k++) {
			if (c->pci_intx[k] < nr_lines)
				continue;
			snprintf(bdf, sizeof(bdf), "BDF 0x%04x", c->pci[k]);
			ret = spi_beyond(&ctx, c, "pci-devices", bdf, c->pci_intx[k], nr_lines);
		}
	}
	return ret;
}

int layout_assign_direct_spis(struct layout *layout, const void *board_fdt,
			      const struct platform *plat, unsigned int nr_lines)
{
	struct layout_ctx ctx = { .board = board_fdt, .plat = plat, .out = layout };
	uint32_t used[SPI_WORDS] = { 0 };
	uint32_t next = nr_lines < INTID_LIMIT ? nr_lines : INTID_LIMIT;
	int i, scanned = 0;

	for (i = 0; i < layout->nr_cells; i++) {
		struct layout_cell *c = &layout->cells[i];

		if (c->irq_mode != LAYOUT_IRQ_DIRECT)
			continue;
		if (!scanned++)
			board_spis(&ctx, used);
		if (assign_cell(&ctx, c, used, &next, nr_lines))
			return -ENOSPC;
	}
	return 0;
}
