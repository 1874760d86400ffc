// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layout rules between things the parser read: memory inside the board's RAM
 * and clear of the hypervisor and the guest's own MMIO windows; the boot
 * loader's pristine image windows clear of everything a cell or the
 * hypervisor may write (the boot RAM's own rules: partitions/layout_boot_ram.c;
 * nothing in two cells: partitions/layout_exclusive.c).
 */
#include <string.h>

#include "layout_internal.h"

void layout_check_ipa_limit(struct layout_ctx *ctx, const char *node, const char *prop,
			    uint64_t ipa, uint64_t size, const char *note)
{
	if (ipa >= LAYOUT_IPA_LIMIT || size > LAYOUT_IPA_LIMIT - ipa)
		layout_error(ctx, node, prop,
			     "IPA 0x%lx+0x%lx reaches beyond 0x%llx (2^48), the most a stage 2 "
			     "maps (the CPU's PARange may allow less; the boot checks it)%s",
			     ipa, size, LAYOUT_IPA_LIMIT - 1, note);
}

static void check_region_ram(struct layout_ctx *ctx, struct layout_cell *c,
			     const struct layout_region *r)
{
	const struct mem_range *hyp = &ctx->out->hyp_mem;

	layout_board_ram(ctx, c->path, "memory", "region", r->pa, r->size);
	if (ranges_overlap(r->pa, r->size, hyp->base, hyp->size))
		layout_error(ctx, c->path, "memory",
			     "region %d, PA 0x%lx+0x%lx, overlaps hypervisor-memory at PA "
			     "0x%lx+0x%lx: the hypervisor's RAM is its own; give the cell RAM "
			     "outside it, or move hypervisor-memory",
			     (int)(r - c->mem), r->pa, r->size, hyp->base, hyp->size);
	layout_check_ipa_limit(ctx, c->path, "memory", r->ipa, r->size, "");
	layout_board_pci_ipa(ctx, c, c->path, "memory", r->ipa, r->size, "");
	if (ranges_overlap(r->ipa, r->size, LAYOUT_GUEST_MMIO_BASE,
			   LAYOUT_GUEST_MMIO_END - LAYOUT_GUEST_MMIO_BASE))
		layout_error(ctx, c->path, "memory",
			     "IPA 0x%lx+0x%lx overlaps the guest's GIC and console area "
			     "(0x%llx-0x%llx)",
			     r->ipa, r->size, LAYOUT_GUEST_MMIO_BASE, LAYOUT_GUEST_MMIO_END - 1);
}

static void check_region_pair(struct layout_ctx *ctx, struct layout_cell *c,
			      const struct layout_region *a, const struct layout_region *b)
{
	int ia = (int)(a - c->mem), ib = (int)(b - c->mem);

	if (ranges_overlap(a->ipa, a->size, b->ipa, b->size))
		layout_error(ctx, c->path, "memory",
			     "region %d, IPA 0x%lx+0x%lx, overlaps region %d at IPA 0x%lx+0x%lx: "
			     "one guest address cannot be two RAMs; move one region's IPA",
			     ib, b->ipa, b->size, ia, a->ipa, a->size);
	if (ranges_overlap(a->pa, a->size, b->pa, b->size))
		layout_error(ctx, c->path, "memory",
			     "region %d, PA 0x%lx+0x%lx, overlaps region %d of the same cell at "
			     "PA 0x%lx+0x%lx: the RAM would be mapped twice; merge the regions "
			     "or move one",
			     ib, b->pa, b->size, ia, a->pa, a->size);
}

const char *layout_guest_window_hit(const struct platform *plat, int nr_cpus,
				    enum layout_console console, const struct mem_range *reg)
{
	bool v2 = plat && plat->gic.version == 2;
	uint64_t ncpu = nr_cpus ? (uint64_t)nr_cpus : 1;

	if (layout_page_overlap(reg->base, reg->size, LAYOUT_VGICD_BASE, LAYOUT_VGICD_SIZE))
		return "the virtual GIC distributor";
	if (v2 && layout_page_overlap(reg->base, reg->size, LAYOUT_VGICC_BASE, LAYOUT_VGICC_SIZE))
		return "the virtual GIC CPU interface";
	if (!v2 && layout_page_overlap(reg->base, reg->size, LAYOUT_VGICR_BASE,
				       LAYOUT_VGICR_STRIDE * ncpu))
		return "the virtual GIC redistributors";
	if (console == LAYOUT_CONSOLE_VIRTUAL &&
	    layout_page_overlap(reg->base, reg->size, LAYOUT_VUART_BASE, LAYOUT_VUART_SIZE))
		return "the virtual console (console = \"virtual\")";
	return NULL;
}

/* What of the cell @c's emulated frames @reg meets, or NULL. */
static const char *guest_window_hit(const struct layout_ctx *ctx, const struct layout_cell *c,
				    const struct mem_range *reg)
{
	return layout_guest_window_hit(ctx->plat, c->nr_cpus, c->console, reg);
}

static void check_device_windows(struct layout_ctx *ctx, struct layout_cell *c)
{
	for (int d = 0; d < c->nr_devices; d++) {
		const struct layout_device *dev = &c->devices[d];

		for (int i = 0; i < dev->nr_regs; i++) {
			const char *hit = guest_window_hit(ctx, c, &dev->regs[i]);

			if (hit)
				layout_error(ctx, c->path, "devices",
					     "%s: MMIO 0x%lx+0x%lx overlaps %s", dev->path,
					     dev->regs[i].base, dev->regs[i].size, hit);
			for (int m = 0; m < c->nr_mem; m++)
				if (layout_page_overlap(dev->regs[i].base, dev->regs[i].size,
							c->mem[m].ipa, c->mem[m].size))
					layout_error(ctx, c->path, "memory",
						     "IPA 0x%lx+0x%lx overlaps device %s (mapped "
						     "1:1 at 0x%lx)",
						     c->mem[m].ipa, c->mem[m].size, dev->path,
						     dev->regs[i].base);
		}
	}
}

/*
 * A cell's PCI config space is trapped at the ECAM's address and its BARs
 * are mapped 1:1 anywhere in the 32-bit window: either on the cell's own
 * vGIC or console would hide one behind the other.
 */
static void check_pci_windows(struct layout_ctx *ctx, struct layout_cell *c)
{
	const struct platform_pcie *pcie = ctx->plat ? &ctx->plat->pcie : NULL;
	struct mem_range window;
	const char *hit;
	uint64_t win[3];

	if (!pcie || !pcie->present || c->nr_pci == 0)
		return;
	hit = guest_window_hit(ctx, c, &pcie->ecam);
	if (hit)
		layout_error(ctx, c->path, "pci-devices",
			     "the PCIe host's ECAM 0x%lx+0x%lx, where the cell's config space is "
			     "trapped, overlaps %s: on this board a cell cannot have pci-devices",
			     pcie->ecam.base, pcie->ecam.size, hit);
	if (platform_pcie_mem32_window(layout_board_index(ctx), ctx->board, pcie, win) ||
	    layout_wraps(win[1], win[2]))
		return;
	window = (struct mem_range){ win[1], win[2] };
	hit = guest_window_hit(ctx, c, &window);
	if (hit)
		layout_error(ctx, c->path, "pci-devices",
			     "the PCIe host's 32-bit memory window 0x%lx+0x%lx, where the "
			     "hypervisor places the BARs, overlaps %s: on this board a cell "
			     "cannot have pci-devices",
			     win[1], win[2], hit);
}

static bool add_irq(struct layout_ctx *ctx, struct layout_cell *c, uint32_t irq, const char *prop)
{
	for (int j = 0; j < c->nr_irqs; j++)
		if (c->irqs[j] == irq)
			return true;
	if (c->nr_irqs == LAYOUT_MAX_IRQS) {
		layout_error(ctx, c->path, prop, "more than %d interrupts", LAYOUT_MAX_IRQS);
		return false;
	}
	c->irqs[c->nr_irqs++] = irq;
	return true;
}

/* The devices' SPIs, then the INTx lines of its PCI functions (docs/pci.md). */
static void collect_irqs(struct layout_ctx *ctx, struct layout_cell *c)
{
	for (int d = 0; d < c->nr_devices; d++)
		for (int i = 0; i < c->devices[d].nr_irqs; i++)
			if (!add_irq(ctx, c, c->devices[d].irqs[i], "devices"))
				return;
	for (int i = 0; i < c->nr_pci; i++)
		if (c->pci_intx[i] && !add_irq(ctx, c, c->pci_intx[i], "pci-devices"))
			return;
}

/*
 * The guest's device tree (partitions/guest_dt_devices.c) puts every device
 * under / by its board node name, and its INTIDs unchanged.
 */
static void check_device_guest_view(struct layout_ctx *ctx, const struct layout_cell *c)
{
	for (int i = 0; i < c->nr_pci; i++)
		if (c->pci_intx[i] && layout_intid_is_vuart(c, c->pci_intx[i]))
			layout_error(
				ctx, c->path, "pci-devices",
				"BDF 0x%04x: its INTx line (INTID %u) is the virtual console's "
				"(console \"virtual\" with interrupt-mode \"emulated\"; use "
				"console = \"none\", interrupt-mode \"direct\" or a slot whose "
				"INTA# line differs)",
				c->pci[i], c->pci_intx[i]);
	for (int d = 0; d < c->nr_devices; d++) {
		const struct layout_device *dev = &c->devices[d];

		for (int k = 0; k < dev->nr_irqs; k++)
			if (layout_intid_is_vuart(c, dev->irqs[k]))
				layout_error(ctx, c->path, "devices",
					     "%s: INTID %u is the virtual console's (console "
					     "\"virtual\" with interrupt-mode \"emulated\"; use "
					     "console = \"none\" or interrupt-mode \"direct\")",
					     dev->path, dev->irqs[k]);
		for (int e = 0; e < d; e++)
			if (strcmp(layout_node_name(dev->path),
				   layout_node_name(c->devices[e].path)) == 0)
				layout_error(ctx, c->path, "devices",
					     "%s: its node name \"%s\" is the name of %s too; the "
					     "guest's device tree puts both under / (give the cell "
					     "devices with distinct node names)",
					     dev->path, layout_node_name(dev->path),
					     c->devices[e].path);
	}
}

/*
 * Uncontained DMA uses the addresses the guest programs, IPAs, as physical
 * ones: outside an identity-mapped cell they hit the hypervisor's or another
 * cell's RAM, which unprotected-dma never meant to accept. unprotected-dma is
 * also how a layout declares a master the board tree does not show (not on
 * the known list), so it asks for the identity map whatever was detected.
 * It needs no board, so it runs without one too; the cell's shared-memory
 * regions obey the same rule (layout_shm.c).
 */
static void check_dma_identity(struct layout_ctx *ctx, const struct layout_cell *c)
{
	for (int i = 0; i < c->nr_mem; i++)
		if (c->mem[i].ipa != c->mem[i].pa)
			layout_error(
				ctx, c->path, "memory",
				"IPA 0x%lx -> PA 0x%lx is not identity-mapped, but the cell's DMA "
				"is not contained (unprotected-dma): its devices would DMA to "
				"the IPAs the guest gives them as physical addresses, not into "
				"its memory (map it IPA = PA, or give no uncontained DMA master)",
				c->mem[i].ipa, c->mem[i].pa);
}

static void check_cell(struct layout_ctx *ctx, struct layout_cell *c)
{
	for (int i = 0; i < c->nr_mem; i++) {
		check_region_ram(ctx, c, &c->mem[i]);
		for (int j = 0; j < i; j++)
			check_region_pair(ctx, c, &c->mem[j], &c->mem[i]);
	}
	if (c->unprotected_dma)
		check_dma_identity(ctx, c);
	check_device_windows(ctx, c);
	check_pci_windows(ctx, c);
	check_device_guest_view(ctx, c);
	collect_irqs(ctx, c);
	if (c->nr_mem > 0 && !(ctx->unplaced & 1u << (c - ctx->out->cells)))
		layout_check_boot_ram(ctx, c);
}

/* A window the boot loader filled: a pristine copy nothing may overwrite. */
struct window_ref {
	const struct layout_cell *cell;
	const char *prop;
	const struct layout_window *w;
};

static void check_window(struct layout_ctx *ctx, const struct window_ref *r)
{
	const struct layout *l = ctx->out;
	const struct layout_window *w = r->w;

	layout_board_ram(ctx, r->cell->path, r->prop, "window", w->addr, w->size);
	if (ranges_overlap(w->addr, w->size, l->hyp_mem.base, l->hyp_mem.size))
		layout_error(ctx, r->cell->path, r->prop,
			     "window, PA 0x%lx+0x%lx, overlaps hypervisor-memory at PA "
			     "0x%lx+0x%lx: the hypervisor's RAM (its image, its tables) cannot "
			     "hold a pristine copy too; move the window, or hypervisor-memory",
			     w->addr, w->size, l->hyp_mem.base, l->hyp_mem.size);
	for (int c = 0; c < l->nr_cells; c++)
		for (int m = 0; m < l->cells[c].nr_mem; m++)
			if (ranges_overlap(w->addr, w->size, l->cells[c].mem[m].pa,
					   l->cells[c].mem[m].size))
				layout_error(
					ctx, r->cell->path, r->prop,
					"window, PA 0x%lx+0x%lx, overlaps the memory of cell "
					"\"%s\" (region %d, PA 0x%lx+0x%lx): a window holds the "
					"image's pristine copy, which a cell's RAM would "
					"overwrite; place it in RAM no cell owns",
					w->addr, w->size, layout_cell_name(&l->cells[c]), m,
					l->cells[c].mem[m].pa, l->cells[c].mem[m].size);
}

static void check_windows(struct layout_ctx *ctx)
{
	struct window_ref refs[LAYOUT_MAX_CELLS * 3];
	int n = 0;

	for (int c = 0; c < ctx->out->nr_cells; c++) {
		const struct layout_cell *cell = &ctx->out->cells[c];

		refs[n++] = (struct window_ref){ cell, "kernel", &cell->kernel.win };
		refs[n++] = (struct window_ref){ cell, "initrd", &cell->initrd };
		refs[n++] = (struct window_ref){ cell, "device-tree", &cell->device_tree };
	}
	for (int i = 0; i < n; i++) {
		if (refs[i].w->size == 0)
			continue;
		check_window(ctx, &refs[i]);
		for (int j = 0; j < i; j++)
			if (ranges_overlap(refs[i].w->addr, refs[i].w->size, refs[j].w->addr,
					   refs[j].w->size))
				layout_error(
					ctx, refs[i].cell->path, refs[i].prop,
					"window, PA 0x%lx+0x%lx, overlaps the %s window of cell "
					"\"%s\" at PA 0x%lx+0x%lx: each window holds its own "
					"image; move one",
					refs[i].w->addr, refs[i].w->size, refs[j].prop,
					layout_cell_name(refs[j].cell), refs[j].w->addr,
					refs[j].w->size);
	}
}

void layout_validate(struct layout_ctx *ctx)
{
	struct layout *l = ctx->out;

	for (int i = 0; i < l->nr_cells; i++) {
		check_cell(ctx, &l->cells[i]);
		for (int j = 0; j < i; j++)
			layout_check_exclusive(ctx, &l->cells[j], &l->cells[i]);
	}
	check_windows(ctx);
}
