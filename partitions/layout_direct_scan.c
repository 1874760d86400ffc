// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which SPIs a board wires, for the spare SPIs of direct interrupt mode
 * (layout_direct.c): every SPI a node names through interrupts,
 * interrupts-extended or interrupt-map. The board's specifiers are read as a
 * cell's devices are (layout_board_irq.c): the GIC's 3 or 4 cells (PPI
 * partitions, RK3399), or the 3 of a controller stacked on it. What the scan
 * cannot read whole (no GIC node it recognises, a property naming the GIC it
 * cannot parse, a tree past its bounds) it says, so that no SPI is taken.
 */
#include <string.h>

#include "layout_internal.h"

#define MAX_BOARD_NODES 4096
#define MAX_DEPTH	32
#define GIC_SPI_TYPE	0
/* Below a nexus: its specifiers are not the GIC's (~0 is no node's phandle, DT spec 2.3.3). */
#define NOT_THE_GIC  0xffffffffu
#define PARENTS_KEPT 4

/* What layout_board_gic_spec_cells() said of an interrupt parent's phandle. */
struct parent_cells {
	uint32_t phandle; /* 0: an empty slot */
	uint32_t cells;
};

/* The scan's answer, and the interrupt parents it looked up. */
struct board_scan {
	struct layout_wired_spis *wired;
	/* A few parents serve most nodes; a lookup costs a phandle search and a reg translation. */
	struct parent_cells parents[PARENTS_KEPT];
	unsigned int next_slot;
};

static void scan_unread(struct board_scan *scan, int node, const char *why)
{
	if (!scan->wired->unread) {
		scan->wired->unread = why;
		scan->wired->node = node;
	}
}

static void mark_spi(struct board_scan *scan, const fdt32_t *spec)
{
	uint32_t intid = 32 + fdt32_ld(&spec[1]);

	if (fdt32_ld(&spec[0]) == GIC_SPI_TYPE && intid < LAYOUT_INTID_LIMIT)
		scan->wired->used[intid / 32] |= 1u << (intid % 32);
}

/* A board node's interrupt properties, as one pass over its properties finds them. */
struct node_irqs {
	const fdt32_t *parent, *interrupts, *extended, *map, *cells;
	int parent_len, interrupts_len, extended_len, map_len, cells_len;
};

#define SCAN_PROPS                                                         \
	(PLATFORM_PROP_INTERRUPT_PARENT | PLATFORM_PROP_INTERRUPTS |       \
	 PLATFORM_PROP_INTERRUPTS_EXTENDED | PLATFORM_PROP_INTERRUPT_MAP | \
	 PLATFORM_PROP_INTERRUPT_CELLS)

/*
 * fdt_getprop() walks a node's properties once per name: four names on
 * every node of the board cost four walks. The first property of a name
 * counts, as with fdt_getprop(). The board's index tells which of them the
 * node has: a node with none (a third of QEMU virt's) is not walked, and
 * the walk stops at the last it has (a virtio-mmio node's interrupts are
 * its second property of four).
 */
static void node_irqs(const struct layout_ctx *ctx, int node, struct node_irqs *n)
{
	const void *fdt = ctx->board;
	const struct {
		const char *name;
		unsigned int bit;
		const fdt32_t **val;
		int *len;
	} want[] = {
		{ "interrupt-parent", PLATFORM_PROP_INTERRUPT_PARENT, &n->parent, &n->parent_len },
		{ "interrupts", PLATFORM_PROP_INTERRUPTS, &n->interrupts, &n->interrupts_len },
		{ "interrupts-extended", PLATFORM_PROP_INTERRUPTS_EXTENDED, &n->extended,
		  &n->extended_len },
		{ "interrupt-map", PLATFORM_PROP_INTERRUPT_MAP, &n->map, &n->map_len },
		{ "#interrupt-cells", PLATFORM_PROP_INTERRUPT_CELLS, &n->cells, &n->cells_len },
	};
	int props = platform_index_irq_props(layout_board_index(ctx), fdt, node);
	unsigned int left = props < 0 ? SCAN_PROPS : (unsigned int)props & SCAN_PROPS;
	const char *name;
	const void *val;
	unsigned int i;
	int prop, len;

	*n = (struct node_irqs){ 0 };
	for (prop = left ? fdt_first_property_offset(fdt, node) : -FDT_ERR_NOTFOUND;
	     prop >= 0 && left; prop = fdt_next_property_offset(fdt, prop)) {
		val = fdt_getprop_by_offset(fdt, prop, &name, &len);
		if (!val || !name || (name[0] != 'i' && name[0] != '#'))
			continue;
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			if ((left & want[i].bit) && strcmp(name, want[i].name) == 0) {
				*want[i].val = val;
				*want[i].len = len;
				left &= ~want[i].bit;
			}
	}
}

/*
 * Whether @node is an interrupt parent itself: a controller (#interrupt-cells)
 * or a nexus (interrupt-map), as the index says. Not node_irqs(): called
 * here as well, it cost a direct boot on QEMU virt 200 icount ticks more
 * (measured, for this one call a boot).
 */
static bool is_irq_parent(const struct layout_ctx *ctx, int node)
{
	int props = platform_index_irq_props(layout_board_index(ctx), ctx->board, node);

	if (props >= 0)
		return props & (PLATFORM_PROP_INTERRUPT_CELLS | PLATFORM_PROP_INTERRUPT_MAP);
	return fdt_getprop(ctx->board, node, "#interrupt-cells", NULL) ||
	       fdt_getprop(ctx->board, node, "interrupt-map", NULL);
}

/*
 * The GIC specifier cells under node @parent, which a phandle names as an
 * interrupt parent. One that is neither a controller nor a nexus (no
 * #interrupt-cells, no interrupt-map) passes on to its own interrupt parent,
 * as Linux's of_irq_find_parent() goes on and platform_index_irq_parent()
 * with it, which gives a cell the device: until 2026-11-25 the scan stopped
 * there and took the device's SPIs as spare, another cell's.
 */
static uint32_t named_parent_spec_cells(struct layout_ctx *ctx, int parent)
{
	const struct platform_index *idx = layout_board_index(ctx);
	uint32_t cells = layout_board_gic_spec_cells(ctx, parent);
	int at;

	/* The GIC, named on most boards, first: its properties are not read again. */
	if (cells)
		return cells;
	if (is_irq_parent(ctx, parent))
		return 0;
	parent = platform_index_irq_parent(idx, ctx->board, parent, &at);
	return parent < 0 ? 0 : layout_board_gic_spec_cells(ctx, parent);
}

/*
 * The cells of the GIC specifiers under the interrupt parent @phandle, or
 * node @node if @node >= 0 (a tree parent no phandle names: rare, not kept),
 * 0 if they do not reach the GIC, as a cell's devices are read
 * (layout_board_gic_spec_cells()).
 */
static uint32_t parent_spec_cells(struct layout_ctx *ctx, struct board_scan *scan, uint32_t phandle,
				  int node)
{
	struct parent_cells *slot;
	int parent;

	if (node >= 0)
		return layout_board_gic_spec_cells(ctx, node);
	if (!phandle || phandle == NOT_THE_GIC)
		return 0;
	for (int i = 0; i < PARENTS_KEPT; i++)
		if (scan->parents[i].phandle == phandle)
			return scan->parents[i].cells;
	parent = platform_index_by_phandle(layout_board_index(ctx), ctx->board, phandle);
	slot = &scan->parents[scan->next_slot++ % PARENTS_KEPT];
	slot->phandle = phandle;
	slot->cells = parent < 0 ? 0 : named_parent_spec_cells(ctx, parent);
	return slot->cells;
}

/*
 * interrupts-extended = <&parent spec...>: the entries whose specifiers
 * reach the GIC. An entry whose length cannot be known ends the property.
 */
static void mark_extended(struct layout_ctx *ctx, int node, const struct node_irqs *n,
			  struct board_scan *scan)
{
	int i = 0, parent, cells;
	const fdt32_t *p = n->extended;
	int len = p && n->extended_len > 0 ? n->extended_len / 4 : 0;

	while (i < len) {
		parent = platform_index_by_phandle(layout_board_index(ctx), ctx->board,
						   fdt32_ld(&p[i]));
		cells = parent < 0 ? -1
				   : layout_board_cells(ctx->board, parent, "#interrupt-cells");
		if (cells < 1 || len - i < 1 + cells) {
			scan_unread(scan, node, "interrupts-extended cannot be read");
			return;
		}
		if (parent_spec_cells(ctx, scan, fdt32_ld(&p[i]), -1))
			mark_spi(scan, &p[i + 1]);
		i += 1 + cells;
	}
}

static void mark_map(struct layout_ctx *ctx, int node, const struct node_irqs *n,
		     struct board_scan *scan)
{
	int len = n->map_len, pos = 0, naddr, nint, ret;
	const fdt32_t *map = n->map;
	struct layout_intmap_entry e = { 0 };

	/* Most nodes have no interrupt-map: no cell counts to look up for them. */
	if (!map || !len)
		return;
	naddr = layout_board_cells(ctx->board, node, "#address-cells");
	nint = layout_board_cells(ctx->board, node, "#interrupt-cells");
	if (len <= 0 || len % 4 || naddr < 0 || nint < 1) {
		scan_unread(scan, node, "interrupt-map cannot be read");
		return;
	}
	while ((ret = layout_board_intmap_next(ctx, map, len / 4, naddr + nint, &pos, &e)) > 0)
		if (parent_spec_cells(ctx, scan, e.phandle, -1))
			mark_spi(scan, e.spec);
	if (ret < 0)
		scan_unread(scan, node, "interrupt-map cannot be read");
}

/*
 * The board's GIC node (layout_board_gic_cells() costs a "reg" translation:
 * once). Through the index: libfdt's search reads every node's properties,
 * 270 000 instructions on QEMU virt's, where the GIC comes late.
 */
static int board_gic(struct layout_ctx *ctx)
{
	const struct platform_index *idx = layout_board_index(ctx);
	int node = -1;

	while ((node = platform_index_intc(idx, ctx->board, node)) >= 0)
		if (layout_board_gic_cells(ctx, node))
			return node;
	return node;
}

/*
 * One node's SPIs on the GIC, @irqs its properties, its interrupt parent
 * @parent (a phandle) or, if @parent_node >= 0, that node.
 */
static void node_spis(struct layout_ctx *ctx, int node, const struct node_irqs *irqs,
		      uint32_t parent, int parent_node, struct board_scan *scan)
{
	uint32_t cells = irqs->interrupts ? parent_spec_cells(ctx, scan, parent, parent_node) : 0;

	if (cells && irqs->interrupts_len % (int)(4 * cells))
		scan_unread(scan, node,
			    cells == 3 ? "interrupts is not a list of 3-cell GIC specifiers"
				       : "interrupts is not a list of 4-cell GIC specifiers");
	else if (cells)
		for (int i = 0; i < irqs->interrupts_len / (int)(4 * cells); i++)
			mark_spi(scan, &irqs->interrupts[cells * i]);
	mark_extended(ctx, node, irqs, scan);
	mark_map(ctx, node, irqs, scan);
}

/*
 * The interrupt parent each depth's children get, as board_spis() tracks it:
 * by phandle, or by node (by_node) for a controller no phandle names. A flag,
 * not a phandle value: any but 0 and ~0 may be a board's (DT spec 2.3.3).
 */
struct scan_parents {
	uint32_t at[MAX_DEPTH];
	int node[MAX_DEPTH];
	bool by_node[MAX_DEPTH];
};

/*
 * The interrupt parent @node at @depth gives children without their own
 * (interrupt-parent): itself when it is an interrupt controller (the GIC,
 * or one stacked on it; by phandle, or by node if it has none: children
 * reach it through the tree all the same), none of the GIC's below a nexus
 * (interrupt-map: its specifiers are not the GIC's); else what @node got,
 * @parent or, if @parent_node >= 0, that node.
 */
static void parent_for_children(const void *fdt, int node, const struct node_irqs *irqs,
				uint32_t parent, int parent_node, struct scan_parents *given,
				int depth)
{
	given->at[depth] = parent;
	given->node[depth] = parent_node;
	given->by_node[depth] = parent_node >= 0;
	if (irqs->map) {
		given->at[depth] = NOT_THE_GIC;
		given->by_node[depth] = false;
	} else if (irqs->cells) {
		given->at[depth] = fdt_get_phandle(fdt, node);
		given->node[depth] = node;
		given->by_node[depth] = !given->at[depth];
	}
}

/* Node @node at @depth (the root's 1, as fdt_next_node() counts from -1): its SPIs. */
static void scan_node(struct layout_ctx *ctx, struct board_scan *scan, int node, int depth,
		      struct scan_parents *given)
{
	struct node_irqs irqs;
	uint32_t own, parent;
	int parent_node;

	if (depth < 0 || depth >= MAX_DEPTH) {
		scan_unread(scan, node, "nested deeper than the scan goes (32 levels)");
		return;
	}
	node_irqs(ctx, node, &irqs);
	if (irqs.parent && irqs.parent_len != 4)
		scan_unread(scan, node, "interrupt-parent is not one phandle");
	own = irqs.parent && irqs.parent_len == 4 ? fdt32_ld(irqs.parent) : 0;
	parent = own ? own : (depth ? given->at[depth - 1] : 0);
	parent_node = !own && depth && given->by_node[depth - 1] ? given->node[depth - 1] : -1;
	node_spis(ctx, node, &irqs, parent, parent_node, scan);
	parent_for_children(ctx->board, node, &irqs, parent, parent_node, given, depth);
}

/* Every node in the board's index, in walk order: no walk of the blob. */
static void scan_indexed(struct layout_ctx *ctx, struct board_scan *scan,
			 const struct platform_index *idx)
{
	struct scan_parents given = { 0 };

	for (int i = 0; i < idx->nr_nodes; i++)
		scan_node(ctx, scan, idx->nodes[i].offset, idx->nodes[i].depth + 1, &given);
}

/* Without an index (the host checker, a board too big for one): libfdt's walk, bounded. */
static void scan_walked(struct layout_ctx *ctx, struct board_scan *scan)
{
	struct scan_parents given = { 0 };
	int node, depth = 0, n = 0;

	for (node = fdt_next_node(ctx->board, -1, &depth); node >= 0 && n < MAX_BOARD_NODES;
	     node = fdt_next_node(ctx->board, node, &depth), n++)
		scan_node(ctx, scan, node, depth, &given);
	if (node >= 0)
		scan_unread(scan, node, "more nodes than the scan reads (4096)");
	else if (node != -FDT_ERR_NOTFOUND)
		scan_unread(scan, -1, "the tree cannot be walked to its end");
}

/*
 * Every SPI a board node names through interrupts, interrupts-extended or
 * interrupt-map. One pass: the interrupt parent each depth's children get
 * (DT spec 2.4, Linux's of_irq_find_parent(): their own interrupt-parent,
 * else their parent if it has #interrupt-cells or interrupt-map, else what
 * it got) is tracked by depth instead of walking up the tree. Below a nexus
 * (interrupt-map) the specifiers are the nexus's, not the GIC's: its map
 * names the SPIs.
 */
void layout_board_wired_spis(struct layout_ctx *ctx, struct layout_wired_spis *wired)
{
	const struct platform_index *idx = layout_board_index(ctx);
	struct board_scan scan = { .wired = wired };
	int gic = board_gic(ctx);

	*wired = (struct layout_wired_spis){ .node = -1 };
	if (gic < 0) {
		scan_unread(&scan, -1,
			    "no node is the hypervisor's GIC (an interrupt-controller with "
			    "#interrupt-cells = <3> or <4> at the distributor's address)");
		return;
	}
	if (platform_index_holds(idx, ctx->board))
		scan_indexed(ctx, &scan, idx);
	else
		scan_walked(ctx, &scan);
}
