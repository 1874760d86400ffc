// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layout against the GIC the boot found: every SPI a cell takes must
 * exist (layout_check_gic_lines()), and spare SPIs for direct interrupt
 * mode (docs/vgic.md). Every interrupt of a
 * direct cell is a physical one, including those of devices the hypervisor
 * emulates (the virtual console, doorbells), which have no line: each gets a
 * physical SPI that no node of the board names, taken from the top of the
 * GIC's range down, far from where boards wire their devices. The board's
 * specifiers are read as a cell's devices are (layout_board_irq.c): the
 * GIC's 3 or 4 cells (PPI partitions, RK3399), or the 3 of a controller
 * stacked on it. A board whose wiring the scan cannot read whole (no GIC
 * node it recognises, a property naming the GIC it cannot parse, a tree
 * past its bounds) gives no spare SPI: the direct cell is refused rather
 * than handed an SPI a device may drive, or the hypervisor's own console or
 * SMMU line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "layout_internal.h"

#define SPI_WORDS	(1024 / 32)
#define INTID_LIMIT	1020 /* 1020-1023 are special */
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

/* The SPIs the board wires, and the first thing that kept the scan from reading them all. */
struct board_scan {
	uint32_t used[SPI_WORDS];
	const char *unread; /* NULL: every SPI the board names is in used[] */
	int node;	    /* where (a node offset), or -1 */
	/* A few parents serve most nodes; a lookup costs a phandle search and a reg translation. */
	struct parent_cells parents[PARENTS_KEPT];
	unsigned int next_slot;
};

static void scan_unread(struct board_scan *scan, int node, const char *why)
{
	if (!scan->unread) {
		scan->unread = why;
		scan->node = node;
	}
}

static void mark_spi(struct board_scan *scan, const fdt32_t *spec)
{
	uint32_t intid = 32 + fdt32_ld(&spec[1]);

	if (fdt32_ld(&spec[0]) == GIC_SPI_TYPE && intid < INTID_LIMIT)
		scan->used[intid / 32] |= 1u << (intid % 32);
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
 * names the SPIs. What the pass could not read is said in scan->unread.
 */
static void board_spis(struct layout_ctx *ctx, struct board_scan *scan)
{
	const struct platform_index *idx = layout_board_index(ctx);
	int gic = board_gic(ctx);

	if (gic < 0) {
		scan_unread(scan, -1,
			    "no node is the hypervisor's GIC (an interrupt-controller with "
			    "#interrupt-cells = <3> or <4> at the distributor's address)");
		return;
	}
	if (platform_index_holds(idx, ctx->board))
		scan_indexed(ctx, scan, idx);
	else
		scan_walked(ctx, scan);
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

/*
 * What of the layout uses physical SPI @intid, written to @buf, or NULL: a
 * cell's device, a cell's PCI function's INTx line, the hypervisor itself.
 */
static const char *spi_user(const struct layout_ctx *ctx, uint32_t intid, char *buf, size_t size)
{
	const struct layout *l = ctx->out;
	char hyp[PLATFORM_PATH_MAX + 80];

	for (int i = 0; i < l->nr_cells; i++) {
		const struct layout_cell *c = &l->cells[i];

		for (int d = 0; d < c->nr_devices; d++)
			for (int k = 0; k < c->devices[d].nr_irqs; k++)
				if (c->devices[d].irqs[k] == intid) {
					snprintf(buf, size,
						 "an interrupt of %s, a device of cell %s",
						 c->devices[d].path, c->label);
					return buf;
				}
		for (int k = 0; k < c->nr_pci; k++)
			if (c->pci_intx[k] == intid) {
				snprintf(buf, size,
					 "the INTx line of BDF 0x%04x, a function of cell %s",
					 c->pci[k], c->label);
				return buf;
			}
	}
	if (!layout_board_hyp_irq(ctx, intid, hyp, sizeof(hyp)))
		return NULL;
	snprintf(buf, size, "the hypervisor's own: %s", hyp);
	return buf;
}

/*
 * The spare SPI @intid just taken for @c's virtual console (@region < 0) or
 * the doorbell of its shared-memory region @region: 0 if there is one and
 * nothing of the layout uses it. The scan reads the board as the layout
 * reads a cell's devices; should the two readings ever part (a730356's
 * phandle 0xfffffffe, an interrupt-parent through a plain node, both taken
 * as spare until 2026-11-25), one SPI would have two owners, and a direct
 * cell another's interrupts: refused instead.
 */
static int spare_spi_check(struct layout_ctx *ctx, const struct layout_cell *c, uint32_t intid,
			   int region, unsigned int nr_lines)
{
	char what[48], user[PLATFORM_PATH_MAX + 160];

	if (!intid) {
		layout_error(
			ctx, c->path, "interrupt-mode",
			"\"direct\": the GIC's %u lines hold no more SPIs that no board device "
			"uses, for the virtual console and doorbells",
			nr_lines);
		return -ENOSPC;
	}
	if (!spi_user(ctx, intid, user, sizeof(user)))
		return 0;
	if (region < 0)
		snprintf(what, sizeof(what), "its virtual console");
	else
		snprintf(what, sizeof(what), "the doorbell of shared-memory region %d", region);
	layout_error(ctx, c->path, "interrupt-mode",
		     "\"direct\": INTID %u, taken as a spare SPI for %s, is %s: the board scan "
		     "missed it (a Bulkhead bug: please report it with the board's DTB); "
		     "refused rather than give the SPI two owners",
		     intid, what, user);
	return -EEXIST;
}

static int assign_cell(struct layout_ctx *ctx, struct layout_cell *c, const uint32_t *used,
		       uint32_t *next, unsigned int nr_lines)
{
	int i, ret;

	if (c->console == LAYOUT_CONSOLE_VIRTUAL) {
		c->vuart_intid = take_spi(used, next);
		ret = spare_spi_check(ctx, c, c->vuart_intid, -1, nr_lines);
		if (ret)
			return ret;
		log_info("layout: %s: direct interrupts: virtual console on INTID %u", c->label,
			 c->vuart_intid);
	}
	for (i = 0; i < c->nr_shm; i++) {
		if (!c->shm[i].doorbell)
			continue;
		c->shm[i].doorbell_intid = take_spi(used, next);
		ret = spare_spi_check(ctx, c, c->shm[i].doorbell_intid, c->shm[i].region, nr_lines);
		if (ret)
			return ret;
		log_info("layout: %s: direct interrupts: doorbell of shared-memory region %d on "
			 "INTID %u",
			 c->label, c->shm[i].region, c->shm[i].doorbell_intid);
	}
	return 0;
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

/* The scan could not read the board whole: which SPIs are free is not known. */
static int board_unread(struct layout_ctx *ctx, const struct layout_cell *c,
			const struct board_scan *scan)
{
	char path[128] = "/";

	if (scan->node >= 0 && fdt_get_path(ctx->board, scan->node, path, sizeof(path)))
		snprintf(path, sizeof(path), "node at offset %d", scan->node);
	layout_error(ctx, c->path, "interrupt-mode",
		     "\"direct\": which SPIs the board wires cannot be told (%s: %s), so none is "
		     "taken for the virtual console and doorbells",
		     path, scan->unread);
	return -EINVAL;
}

int layout_assign_direct_spis(struct layout *layout, const void *board_fdt,
			      const struct platform *plat, unsigned int nr_lines)
{
	struct layout_ctx ctx = { .board = board_fdt, .plat = plat, .out = layout };
	struct board_scan scan = { .node = -1 };
	uint32_t next = nr_lines < INTID_LIMIT ? nr_lines : INTID_LIMIT;
	int i, ret, scanned = 0;

	for (i = 0; i < layout->nr_cells; i++) {
		struct layout_cell *c = &layout->cells[i];

		if (c->irq_mode != LAYOUT_IRQ_DIRECT)
			continue;
		if (!scanned++)
			board_spis(&ctx, &scan);
		if (scan.unread)
			return board_unread(&ctx, c, &scan);
		ret = assign_cell(&ctx, c, scan.used, &next, nr_lines);
		if (ret)
			return ret;
	}
	return 0;
}
