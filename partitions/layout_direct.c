// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layout against the GIC the boot found: every SPI a cell takes must
 * exist (layout_check_gic_lines()), and spare SPIs for direct interrupt
 * mode (docs/vgic.md). Every interrupt of a
 * direct cell is a physical one, including those of devices the hypervisor
 * emulates (the virtual console, doorbells), which have no line: each gets a
 * physical SPI that no node of the board names, taken from the top of the
 * GIC's range down, far from where boards wire their devices
 * (layout_direct_scan.c reads which). A board whose wiring the scan cannot
 * read whole gives no spare SPI: the direct cell is refused rather than
 * handed an SPI a device may drive, or the hypervisor's own console or SMMU
 * line.
 */
#include <errno.h>
#include <stdio.h>

#include "layout_internal.h"

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
			const struct layout_wired_spis *scan)
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
	struct layout_wired_spis scan;
	uint32_t next = nr_lines < LAYOUT_INTID_LIMIT ? nr_lines : LAYOUT_INTID_LIMIT;
	int i, ret, scanned = 0;

	for (i = 0; i < layout->nr_cells; i++) {
		struct layout_cell *c = &layout->cells[i];

		if (c->irq_mode != LAYOUT_IRQ_DIRECT)
			continue;
		if (!scanned++)
			layout_board_wired_spis(&ctx, &scan);
		if (scan.unread)
			return board_unread(&ctx, c, &scan);
		ret = assign_cell(&ctx, c, scan.used, &next, nr_lines);
		if (ret)
			return ret;
	}
	return 0;
}
