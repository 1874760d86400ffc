// SPDX-License-Identifier: GPL-2.0-only
/*
 * What one cell has, no other has: no CPU, memory page (but through a
 * shared-memory node), device MMIO page, SPI, INTx line, SMMU stream or PCI
 * function in two cells. Checked pair by pair, from layout_validate().
 */
#include <stdio.h>
#include <string.h>

#include "layout_internal.h"

static bool is_intx(const struct layout_cell *c, uint32_t irq)
{
	for (int i = 0; i < c->nr_pci; i++)
		if (c->pci_intx[i] == irq)
			return true;
	return false;
}

/*
 * INTx lines are shared between slots (the host's interrupt-map swizzles four
 * lines over all of them): a line may serve one cell only.
 */
static void check_intx_between(struct layout_ctx *ctx, const struct layout_cell *a,
			       const struct layout_cell *b)
{
	for (int i = 0; i < b->nr_pci; i++) {
		uint32_t irq = b->pci_intx[i];

		if (!irq)
			continue;
		/* The same function in both is told once, below, as the function itself. */
		for (int j = 0; j < a->nr_pci; j++)
			if (a->pci_intx[j] == irq && a->pci[j] != b->pci[i])
				layout_error(
					ctx, b->path, "pci-devices",
					"BDF 0x%04x: its INTx line (INTID %u) is shared with "
					"BDF 0x%04x of cell \"%s\"; an INTx line cannot be "
					"split between cells (assign both functions to one cell, "
					"or use slots whose INTA# lines differ)",
					b->pci[i], irq, a->pci[j], layout_cell_name(a));
		for (int d = 0; d < a->nr_devices; d++)
			for (int k = 0; k < a->devices[d].nr_irqs; k++)
				if (a->devices[d].irqs[k] == irq)
					layout_error(ctx, b->path, "pci-devices",
						     "BDF 0x%04x: its INTx line (INTID %u) belongs "
						     "to device %s of cell \"%s\"",
						     b->pci[i], irq, a->devices[d].path,
						     layout_cell_name(a));
	}
	for (int i = 0; i < a->nr_pci; i++)
		for (int d = 0; d < b->nr_devices && a->pci_intx[i]; d++)
			for (int k = 0; k < b->devices[d].nr_irqs; k++)
				if (b->devices[d].irqs[k] == a->pci_intx[i])
					layout_error(ctx, b->path, "devices",
						     "%s: INTID %u is the INTx line of BDF 0x%04x "
						     "of cell \"%s\"",
						     b->devices[d].path, a->pci_intx[i], a->pci[i],
						     layout_cell_name(a));
}

static void check_cpus_between(struct layout_ctx *ctx, const struct layout_cell *a,
			       const struct layout_cell *b)
{
	for (int i = 0; i < b->nr_cpus; i++)
		for (int j = 0; j < a->nr_cpus; j++)
			if (b->cpus[i].mpidr == a->cpus[j].mpidr)
				layout_error(ctx, b->path, "cpus",
					     "CPU 0x%lx already belongs to cell \"%s\"",
					     b->cpus[i].mpidr, layout_cell_name(a));
}

static void check_mem_between(struct layout_ctx *ctx, const struct layout_cell *a,
			      const struct layout_cell *b)
{
	for (int i = 0; i < b->nr_mem; i++)
		for (int j = 0; j < a->nr_mem; j++)
			if (ranges_overlap(b->mem[i].pa, b->mem[i].size, a->mem[j].pa,
					   a->mem[j].size))
				layout_error(ctx, b->path, "memory",
					     "region %d, PA 0x%lx+0x%lx, overlaps cell \"%s\"'s "
					     "memory at PA 0x%lx+0x%lx: a cell's memory is its "
					     "own; move one, or share a range through a "
					     "shared-memory node",
					     i, b->mem[i].pa, b->mem[i].size, layout_cell_name(a),
					     a->mem[j].pa, a->mem[j].size);
}

static bool devices_collide(const struct layout_device *x, const struct layout_device *y)
{
	if (strcmp(x->path, y->path) == 0)
		return true;
	for (int i = 0; i < x->nr_regs; i++)
		for (int j = 0; j < y->nr_regs; j++)
			if (layout_page_overlap(x->regs[i].base, x->regs[i].size, y->regs[j].base,
						y->regs[j].size))
				return true;
	return false;
}

/*
 * Who in @c has SMMU stream @sid: a device's path, or "BDF 0x...." written to
 * @buf; NULL: nobody. The device @path or function @bdf itself does not count:
 * given to two cells, it is reported once, as a device or a BDF in two cells.
 */
static const char *sid_owner(const struct layout_cell *c, uint32_t sid, const char *path,
			     uint32_t bdf, char *buf, size_t size)
{
	for (int d = 0; d < c->nr_devices; d++)
		for (int k = 0; k < c->devices[d].nr_sids; k++)
			if (c->devices[d].sids[k] == sid && strcmp(c->devices[d].path, path) != 0)
				return c->devices[d].path;
	for (int i = 0; i < c->nr_pci && sid != LAYOUT_NO_SID; i++)
		if (c->pci_sid[i] == sid && c->pci[i] != bdf) {
			snprintf(buf, size, "BDF 0x%04x", c->pci[i]);
			return buf;
		}
	return NULL;
}

/*
 * An SMMU stream has one owner, the cell whose stage 2 its STE points at:
 * devices name theirs by iommus, PCI functions through the host's iommu-map,
 * after its iommu-map-mask, which may give functions of one device (mask
 * 0xfff8: .0 to .7) one stream: they then belong in one cell.
 */
static void check_sids_between(struct layout_ctx *ctx, const struct layout_cell *a,
			       const struct layout_cell *b)
{
	char buf[16], how[32] = "";
	const char *owner;

	if (ctx->plat && ctx->plat->pcie.has_iommu_map_mask)
		snprintf(how, sizeof(how), " & iommu-map-mask 0x%x",
			 ctx->plat->pcie.iommu_map_mask);

	for (int d = 0; d < b->nr_devices; d++)
		for (int k = 0; k < b->devices[d].nr_sids; k++) {
			owner = sid_owner(a, b->devices[d].sids[k], b->devices[d].path,
					  LAYOUT_NO_SID, buf, sizeof(buf));
			if (owner)
				layout_error(ctx, b->path, "devices",
					     "%s: stream ID 0x%x already belongs to %s of cell "
					     "\"%s\" (an SMMU stream serves one cell)",
					     b->devices[d].path, b->devices[d].sids[k], owner,
					     layout_cell_name(a));
		}
	for (int i = 0; i < b->nr_pci; i++) {
		owner = sid_owner(a, b->pci_sid[i], "", b->pci[i], buf, sizeof(buf));
		if (owner)
			layout_error(ctx, b->path, "pci-devices",
				     "BDF 0x%04x: stream ID 0x%x (its RID%s through the host's "
				     "iommu-map) already belongs to %s of cell \"%s\" (an SMMU "
				     "stream serves one cell)",
				     b->pci[i], b->pci_sid[i], how, owner, layout_cell_name(a));
	}
}

/* @c's device wired to @irq, or NULL. */
static const char *irq_device(const struct layout_cell *c, uint32_t irq)
{
	for (int d = 0; d < c->nr_devices; d++)
		for (int k = 0; k < c->devices[d].nr_irqs; k++)
			if (c->devices[d].irqs[k] == irq)
				return c->devices[d].path;
	return NULL;
}

/*
 * An SPI is routed to one cell: devices of two cells on one line (a shared
 * level interrupt) cannot be split. An INTx line among them is
 * check_intx_between()'s to report.
 */
static void check_spis_between(struct layout_ctx *ctx, const struct layout_cell *a,
			       const struct layout_cell *b)
{
	for (int d = 0; d < b->nr_devices; d++)
		for (int k = 0; k < b->devices[d].nr_irqs; k++) {
			uint32_t irq = b->devices[d].irqs[k];
			const char *owner = irq_device(a, irq);

			/* The device itself in two cells is check_devices_between()'s. */
			if (owner && strcmp(owner, b->devices[d].path) != 0 && !is_intx(a, irq) &&
			    !is_intx(b, irq))
				layout_error(ctx, b->path, "devices",
					     "%s: interrupt INTID %u already belongs to %s of cell "
					     "\"%s\" (an SPI is routed to one cell)",
					     b->devices[d].path, irq, owner, layout_cell_name(a));
		}
}

static void check_devices_between(struct layout_ctx *ctx, const struct layout_cell *a,
				  const struct layout_cell *b)
{
	for (int i = 0; i < b->nr_devices; i++)
		for (int j = 0; j < a->nr_devices; j++)
			if (strcmp(b->devices[i].path, a->devices[j].path) == 0)
				layout_error(ctx, b->path, "devices",
					     "%s already belongs to cell \"%s\" (a device is given "
					     "to one cell)",
					     b->devices[i].path, layout_cell_name(a));
			else if (devices_collide(&b->devices[i], &a->devices[j]))
				layout_error(ctx, b->path, "devices",
					     "%s shares its MMIO pages with %s of cell \"%s\": "
					     "stage 2 maps whole 4 KiB pages; give both devices "
					     "to one cell",
					     b->devices[i].path, a->devices[j].path,
					     layout_cell_name(a));
	check_intx_between(ctx, a, b);
	check_sids_between(ctx, a, b);
	check_spis_between(ctx, a, b);
	for (int i = 0; i < b->nr_pci; i++)
		for (int j = 0; j < a->nr_pci; j++)
			if (b->pci[i] == a->pci[j])
				layout_error(ctx, b->path, "pci-devices",
					     "BDF 0x%04x already belongs to cell \"%s\"", b->pci[i],
					     layout_cell_name(a));
}

void layout_check_exclusive(struct layout_ctx *ctx, const struct layout_cell *a,
			    const struct layout_cell *b)
{
	check_cpus_between(ctx, a, b);
	check_mem_between(ctx, a, b);
	check_devices_between(ctx, a, b);
}
