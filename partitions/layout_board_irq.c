// SPDX-License-Identifier: GPL-2.0-only
/*
 * The board's interrupts as the layout needs them: a device's GIC SPIs
 * through its interrupt parent, and a PCI function's INTA# through the host
 * bridge's interrupt-map. Walks are bounded and every cell count checked: the
 * board DTB is as untrusted as the layout.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "layout_internal.h"

#define GIC_SPI	     0
#define GIC_PPI	     1
#define GIC_SPI_BASE 32
#define GIC_SPI_MAX  987

/* The #interrupt-cells of @intc if it is the board's GIC (its first reg the distributor), or 0. */
static uint32_t gic_cells(const struct layout_ctx *ctx, int intc)
{
	int len;
	const fdt32_t *cells;
	struct mem_range reg[1];

	if (intc < 0 || !fdt_getprop(ctx->board, intc, "interrupt-controller", NULL))
		return 0;
	cells = fdt_getprop(ctx->board, intc, "#interrupt-cells", &len);
	if (!cells || len != 4 || layout_board_read_reg(ctx, intc, reg, 1) < 1 ||
	    reg[0].base != ctx->plat->gic.dist.base)
		return 0;
	return fdt32_ld(cells);
}

uint32_t layout_board_gic_cells(const struct layout_ctx *ctx, int intc)
{
	uint32_t cells = gic_cells(ctx, intc);

	return cells == 3 || cells == 4 ? cells : 0;
}

/*
 * How many cells the specifiers of a device under interrupt parent @parent
 * have if they reach the board's GIC, else 0: the GIC's 3, or 4 for a GICv3
 * with PPI partitions (arm,gic-v3.yaml: the 4th cell a partition's phandle
 * for a PPI, 0 for anything else; Rockchip's RK3399), or the 3 of a
 * controller stacked on it. The guest's copy is re-encoded with 3
 * (guest_dt_devices.c): its virtual GIC has no PPI partitions.
 */
uint32_t layout_board_gic_spec_cells(const struct layout_ctx *ctx, int parent)
{
	uint32_t cells = layout_board_gic_cells(ctx, parent);

	if (cells)
		return cells;
	cells = layout_board_gic_cells(
		ctx, platform_index_irq_stacked_on(layout_board_index(ctx), ctx->board, parent));
	return cells ? 3 : 0;
}

/*
 * Which of the hypervisor's own interrupts @intid is, written to @buf, or
 * NULL: its console UART's (console input) and its SMMU's event queue and
 * global error lines (fault reports), which it enables for itself. A cell
 * given one would own it (vgic_hw_cell_init() hands the SPI over) and a stop
 * of the cell would disable it.
 */
const char *layout_board_hyp_irq(const struct layout_ctx *ctx, uint32_t intid, char *buf,
				 size_t size)
{
	const struct platform *plat = ctx->plat;
	const char *line = NULL;

	if (plat->uart.type != UART_NONE && plat->uart.irq && intid == plat->uart.irq) {
		snprintf(buf, size, "the interrupt of its console UART %s (console input)",
			 plat->uart.path);
		return buf;
	}
	if (!plat->smmu.present)
		return NULL;
	if (plat->smmu.eventq_irq == intid && plat->smmu.gerror_irq == intid)
		line = "combined";
	else if (plat->smmu.eventq_irq == intid)
		line = "eventq";
	else if (plat->smmu.gerror_irq == intid)
		line = "gerror";
	if (!line || !intid)
		return NULL;
	snprintf(buf, size, "the %s interrupt of its SMMU %s (DMA fault and error reports)", line,
		 plat->smmu.path);
	return buf;
}

/* The path of the PPI partition node @phandle names, or a stand-in. */
static void partition_path(const struct layout_ctx *ctx, uint32_t phandle, char *path, int size)
{
	const struct platform_index *idx = layout_board_index(ctx);
	int node = platform_index_by_phandle(idx, ctx->board, phandle);

	if (node < 0 || platform_index_get_path(idx, ctx->board, node, path, size) < 0)
		snprintf(path, (size_t)size, "(phandle 0x%x)", phandle);
}

/* @spec, one @ncells-cell GIC specifier of @d: its SPI, added to @d. */
static int add_spi(struct layout_ctx *ctx, const char *cell, struct layout_device *d,
		   const fdt32_t *spec, uint32_t ncells)
{
	uint32_t type = fdt32_ld(&spec[0]), num = fdt32_ld(&spec[1]);
	uint32_t partition = ncells == 4 ? fdt32_ld(&spec[3]) : 0;
	char why[PLATFORM_PATH_MAX + 80];

	if (type == GIC_PPI && partition) {
		partition_path(ctx, partition, why, sizeof(why));
		layout_error(ctx, cell, "devices",
			     "%s uses PPI %u of the PPI partition %s (its 4th cell), a per-CPU "
			     "interrupt of that partition's CPUs that cannot be given to a cell",
			     d->path, num, why);
		return -EINVAL;
	}
	if (type == GIC_PPI) {
		layout_error(ctx, cell, "devices",
			     "%s uses PPI %u, a per-CPU interrupt that cannot be given to a cell",
			     d->path, num);
		return -EINVAL;
	}
	if (type != GIC_SPI || num > GIC_SPI_MAX) {
		layout_error(ctx, cell, "devices", "%s: interrupt <%u %u> is not a GIC SPI",
			     d->path, type, num);
		return -EINVAL;
	}
	if (partition) {
		layout_error(ctx, cell, "devices",
			     "%s: interrupt <0 %u ...>: its 4th cell is 0x%x, where an SPI's must "
			     "be 0 (it names a PPI partition, arm,gic-v3 binding): a board device "
			     "tree error",
			     d->path, num, partition);
		return -EINVAL;
	}
	if (d->nr_irqs == LAYOUT_MAX_DEV_IRQS) {
		layout_error(ctx, cell, "devices", "%s has more than %d interrupts", d->path,
			     LAYOUT_MAX_DEV_IRQS);
		return -EINVAL;
	}
	if (layout_board_hyp_irq(ctx, GIC_SPI_BASE + num, why, sizeof(why))) {
		layout_error(
			ctx, cell, "devices",
			"%s: INTID %u is the hypervisor's own: %s; a cell owning it would take "
			"the line from the hypervisor (leave the device out)",
			d->path, GIC_SPI_BASE + num, why);
		return -EINVAL;
	}
	d->irqs[d->nr_irqs++] = GIC_SPI_BASE + num;
	return 0;
}

static const char *irq_parent_why(int err)
{
	if (err == -EINVAL)
		return "an interrupt-parent on its way up is not one phandle";
	if (err == -ENODEV)
		return "an interrupt-parent on its way up names no node of the board";
	return "it has interrupts but no interrupt controller above it";
}

/*
 * A nexus renumbers what passes it (a motherboard bus's lines onto GIC
 * SPIs): the device's own specifiers are not the SPIs the GIC sees. A GPIO
 * or a combiner's line reaches the GIC, if at all, as that controller's
 * interrupt, which the device does not own.
 */
static void not_gic_error(struct layout_ctx *ctx, const char *cell, const struct layout_device *d,
			  int parent)
{
	char path[LAYOUT_PATH_MAX];
	/* A GIC whose #interrupt-cells is neither 3 nor 4 is named as the GIC. */
	int gic = gic_cells(ctx, parent) ? parent
					 : platform_index_irq_stacked_on(layout_board_index(ctx),
									 ctx->board, parent);
	uint32_t cells = gic_cells(ctx, gic);

	if (cells)
		parent = gic;
	if (platform_index_get_path(layout_board_index(ctx), ctx->board, parent, path,
				    sizeof(path)) < 0)
		memcpy(path, "(a node above it)", sizeof("(a node above it)"));
	if (cells)
		layout_error(ctx, cell, "devices",
			     "%s: the board's GIC %s uses #interrupt-cells = <%u>: only 3- and "
			     "4-cell GIC specifiers are supported",
			     d->path, path, cells);
	else if (fdt_getprop(ctx->board, parent, "interrupt-map", NULL))
		layout_error(
			ctx, cell, "devices",
			"%s: its interrupts go through the interrupt nexus %s (interrupt-map), "
			"which Bulkhead does not translate: which GIC SPIs they arrive as is "
			"unknown, and the cell would be given the wrong ones",
			d->path, path);
	else
		layout_error(ctx, cell, "devices",
			     "%s: its interrupts go to %s, not to the board's GIC: a cell is given "
			     "GIC SPIs only",
			     d->path, path);
}

int layout_board_device_irqs(struct layout_ctx *ctx, const char *cell, int node,
			     struct layout_device *d)
{
	int len, parent, stop;
	uint32_t ncells;
	const fdt32_t *irqs = fdt_getprop(ctx->board, node, "interrupts", &len);

	if (fdt_getprop(ctx->board, node, "interrupts-extended", NULL)) {
		layout_error(ctx, cell, "devices", "%s: interrupts-extended is not supported",
			     d->path);
		return -EINVAL;
	}
	if (!irqs)
		return 0;
	parent = platform_index_irq_parent(layout_board_index(ctx), ctx->board, node, &stop);
	if (parent < 0) {
		layout_error(ctx, cell, "devices", "%s: %s", d->path, irq_parent_why(parent));
		return -EINVAL;
	}
	ncells = layout_board_gic_spec_cells(ctx, parent);
	if (!ncells) {
		not_gic_error(ctx, cell, d, parent);
		return -EINVAL;
	}
	if (len <= 0 || len % (int)(4 * ncells)) {
		layout_error(ctx, cell, "devices",
			     "%s: interrupts are not %u-cell specifiers of the board's GIC",
			     d->path, ncells);
		return -EINVAL;
	}
	for (int i = 0; i < len / (int)(4 * ncells); i++)
		if (add_spi(ctx, cell, d, &irqs[ncells * i], ncells) < 0)
			return -EINVAL;
	d->irq_cells = (uint8_t)ncells;
	return 0;
}

int layout_board_cells(const void *fdt, int intc, const char *name)
{
	int n = dt_cells(fdt, intc, name, 0, 0);

	return n < 0 ? -1 : n;
}

int layout_board_intmap_next(const struct layout_ctx *ctx, const fdt32_t *map, int len, int nchild,
			     int *pos, struct layout_intmap_entry *e)
{
	const void *fdt = ctx->board;
	int i = *pos;
	uint32_t phandle;

	if (i >= len)
		return 0;
	if (len - i < nchild + 1)
		return -1;
	e->child = &map[i];
	phandle = fdt32_ld(&map[i + nchild]);
	/*
	 * Entries name the same parent again and again: looked up once, in the
	 * board's index. libfdt's fdt_node_offset_by_phandle() walks the whole
	 * tree: 430 us under -icount on QEMU virt's, two thirds of a direct
	 * cell's spare-SPI scan until 2026-11-25.
	 */
	if (!phandle || phandle != e->phandle) {
		e->parent = platform_index_by_phandle(layout_board_index(ctx), fdt, phandle);
		if (e->parent < 0)
			return -1;
		e->phandle = phandle;
		e->naddr = layout_board_cells(fdt, e->parent, "#address-cells");
		e->nspec = layout_board_cells(fdt, e->parent, "#interrupt-cells");
	}
	if (e->naddr < 0 || e->nspec < 1 || len - i < nchild + 1 + e->naddr + e->nspec)
		return -1;
	e->spec = &map[i + nchild + 1 + e->naddr];
	*pos = i + nchild + 1 + e->naddr + e->nspec;
	return 1;
}

/*
 * The INTID of @bdf's INTA# through the host's interrupt-map (the PCI binding:
 * <phys.hi phys.mid phys.lo pin> masked by interrupt-map-mask, then the
 * parent's phandle, unit address and specifier). 0 when the host has no
 * interrupt-map or no entry matches; -EINVAL after a layout error.
 */
int64_t layout_board_pci_inta(struct layout_ctx *ctx, const char *cell_path, uint32_t bdf)
{
	const void *fdt = ctx->board;
	const char *path = ctx->plat->pcie.path;
	int node =
		platform_index_path_offset(layout_board_index(ctx), fdt, path, (int)strlen(path));
	int len, mlen, i = 0, ret;
	const fdt32_t *map, *mask;
	struct layout_intmap_entry e = { 0 };
	uint32_t key[4] = { bdf << 8, 0, 0, 1 }, m[4];

	if (node < 0)
		return 0;
	map = fdt_getprop(fdt, node, "interrupt-map", &len);
	mask = fdt_getprop(fdt, node, "interrupt-map-mask", &mlen);
	if (!map)
		return 0;
	if (layout_board_cells(fdt, node, "#address-cells") != 3 ||
	    layout_board_cells(fdt, node, "#interrupt-cells") != 1 || (mask && mlen != 16) ||
	    len % 4)
		goto bad;
	for (int k = 0; k < 4; k++)
		m[k] = mask ? fdt32_ld(&mask[k]) : 0xffffffffu;
	while ((ret = layout_board_intmap_next(ctx, map, len / 4, 4, &i, &e)) > 0) {
		bool hit = true;

		for (int k = 0; k < 4; k++)
			hit &= (fdt32_ld(&e.child[k]) & m[k]) == (key[k] & m[k]);
		if (hit) {
			const fdt32_t *spec = e.spec;
			uint32_t cells = gic_cells(ctx, e.parent);

			if (cells && cells != 3 && cells != 4) {
				layout_error(
					ctx, cell_path, "pci-devices",
					"BDF 0x%04x: its INTx line goes to the board's GIC, "
					"which uses #interrupt-cells = <%u>: only 3- and 4-cell "
					"GIC specifiers are supported",
					bdf, cells);
				return -EINVAL;
			}
			/* A 4-cell SPI's 4th cell is 0: only a PPI names a partition. */
			if (!cells || fdt32_ld(&spec[0]) != GIC_SPI ||
			    fdt32_ld(&spec[1]) > GIC_SPI_MAX ||
			    (cells == 4 && fdt32_ld(&spec[3]))) {
				layout_error(
					ctx, cell_path, "pci-devices",
					"BDF 0x%04x: its INTx line is not a GIC SPI of the board's "
					"GIC (%s interrupt-map)",
					bdf, ctx->plat->pcie.path);
				return -EINVAL;
			}
			return GIC_SPI_BASE + fdt32_ld(&spec[1]);
		}
	}
	if (ret == 0)
		return 0;
bad:
	layout_error(ctx, cell_path, "pci-devices", "BDF 0x%04x: %s: interrupt-map cannot be read",
		     bdf, ctx->plat->pcie.path);
	return -EINVAL;
}
