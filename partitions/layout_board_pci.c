// SPDX-License-Identifier: GPL-2.0-only
/*
 * A PCI function a layout names (pci-devices): on the board's host and its
 * bus range, its INTA# (layout_board_irq.c), its SMMU stream through the
 * host's iommu-map. The board DTB is as untrusted as the layout; its
 * iommu-map was checked entry by entry when it was read (boot/platform_dev.c).
 */
#include <stdio.h>
#include <string.h>

#include "layout_internal.h"

/*
 * The node below the PCIe host that describes @bdf, or -1: a reg whose first
 * cell (phys.hi) holds bus, device and function in bits 23:8 (the PCI bus
 * binding to Open Firmware). Boards describe their root ports so, and what
 * is below them (the Raspberry Pi 4's pcie@7d500000/pci@0,0/usb@0,0).
 */
static int pci_node(const struct layout_ctx *ctx, uint32_t bdf)
{
	const struct platform_pcie *pcie = &ctx->plat->pcie;
	int host = platform_index_path_offset(layout_board_index(ctx), ctx->board, pcie->path,
					      (int)layout_strnlen(pcie->path, sizeof(pcie->path)));
	int node, depth = 0, n = 0, len;

	if (host < 0)
		return -1;
	for (node = fdt_next_node(ctx->board, host, &depth);
	     node >= 0 && depth > 0 && ++n <= LAYOUT_MAX_WALK;
	     node = fdt_next_node(ctx->board, node, &depth)) {
		const fdt32_t *reg = fdt_getprop(ctx->board, node, "reg", &len);

		if (reg && len >= 4 && (fdt32_ld(reg) >> 8 & 0xffff) == bdf)
			return node;
	}
	return -1;
}

/*
 * A bridge (device_type "pci" below the host) is not a device: the boot
 * refuses it (partitions/pci.c, pci_cell_check()), but only the board's tree
 * can tell the host tool. The host bridge of a generic ECAM host has no node.
 */
static bool pci_is_bridge(struct layout_ctx *ctx, const char *cell_path, uint32_t bdf)
{
	char path[PLATFORM_PATH_MAX];
	int node = pci_node(ctx, bdf);
	const char *type = node < 0 ? NULL : fdt_getprop(ctx->board, node, "device_type", NULL);

	if (!type || strcmp(type, "pci") != 0)
		return false;
	if (platform_index_get_path(layout_board_index(ctx), ctx->board, node, path,
				    sizeof(path)) != 0)
		snprintf(path, sizeof(path), "?");
	layout_error(ctx, cell_path, "pci-devices",
		     "BDF 0x%04x: the board's tree has a bridge there (%s, device_type \"pci\"), "
		     "which routes the buses below it: endpoints only (name the function below "
		     "it)",
		     bdf, path);
	return true;
}

uint32_t layout_board_pci(struct layout_ctx *ctx, const char *cell_path, uint32_t bdf)
{
	const struct platform_pcie *pcie = &ctx->plat->pcie;
	char why[PLATFORM_PATH_MAX + 80];
	int64_t intid;

	if (!pcie->present) {
		layout_error(ctx, cell_path, "pci-devices",
			     "BDF 0x%04x: the board has no PCIe host", bdf);
		return 0;
	}
	if (LAYOUT_BDF_BUS(bdf) < pcie->bus_first || LAYOUT_BDF_BUS(bdf) > pcie->bus_last) {
		layout_error(ctx, cell_path, "pci-devices",
			     "BDF 0x%04x: bus %u is outside the host's bus range %u-%u", bdf,
			     LAYOUT_BDF_BUS(bdf), pcie->bus_first, pcie->bus_last);
		return 0;
	}
	if (pci_is_bridge(ctx, cell_path, bdf))
		return 0;
	/*
	 * Behind a bridge INTA# is swizzled on its way up, which only the boot can
	 * see (pci.c): not routed, so never checked against other cells' lines; the
	 * boot keeps its INTx disabled instead.
	 */
	if (LAYOUT_BDF_BUS(bdf) != pcie->bus_first)
		return 0;
	intid = layout_board_pci_inta(ctx, cell_path, bdf);
	if (intid > 0 && layout_board_hyp_irq(ctx, (uint32_t)intid, why, sizeof(why))) {
		layout_error(
			ctx, cell_path, "pci-devices",
			"BDF 0x%04x: its INTx line INTID %u is the hypervisor's own: %s; a cell "
			"owning it would take the line from the hypervisor (leave the function "
			"out)",
			bdf, (uint32_t)intid, why);
		return 0;
	}
	return intid > 0 ? (uint32_t)intid : 0;
}

/* A function no entry of the host's iommu-map covers: each entry's RIDs, to see the gap. */
static void pci_sid_outside(struct layout_ctx *ctx, const char *cell_path, uint32_t bdf)
{
	const struct platform_pcie *pcie = &ctx->plat->pcie;
	const char *masked = pcie->has_iommu_map_mask ? " & iommu-map-mask" : "";
	char ranges[PLATFORM_MAX_IOMMU_MAP * 24] = "";
	size_t at = 0;

	if (pcie->nr_iommu_map == 1) {
		layout_error(ctx, cell_path, "pci-devices",
			     "BDF 0x%04x: its RID%s is outside the host's iommu-map (RIDs "
			     "0x%x-0x%x, its first entry): it has no stream of %s",
			     bdf, masked, pcie->iommu_map[0].rid_base,
			     pcie->iommu_map[0].rid_base + pcie->iommu_map[0].len - 1,
			     ctx->plat->smmu.path);
		return;
	}
	for (int i = 0; i < pcie->nr_iommu_map && at < sizeof(ranges); i++)
		at += (size_t)snprintf(ranges + at, sizeof(ranges) - at, "%s0x%x-0x%x",
				       i ? ", " : "", pcie->iommu_map[i].rid_base,
				       pcie->iommu_map[i].rid_base + pcie->iommu_map[i].len - 1);
	layout_error(ctx, cell_path, "pci-devices",
		     "BDF 0x%04x: its RID%s is outside every entry of the host's iommu-map (RIDs "
		     "%s): it has no stream of %s",
		     bdf, masked, ranges, ctx->plat->smmu.path);
}

/*
 * A PCI function's stream: its RID, after iommu-map-mask, through the entry
 * of the host's iommu-map that covers it (pci-iommu.txt). On a board with an
 * SMMUv3 the boot writes the function's STE there (partitions/pci.c), so
 * that entry must lead into that SMMU. One naming another IOMMU (a second
 * SMMUv3, an SMMUv2 Bulkhead does not drive) would have the STE written into
 * the wrong SMMU and the function's DMA left as the other IOMMU has it, while
 * the cell counted it contained; unlike a device's iommus, unprotected-dma
 * does not help: the boot needs a stream for every function while the SMMU
 * is on. No SMMU: layout_board_dma() speaks.
 */
uint32_t layout_board_pci_sid(struct layout_ctx *ctx, const char *cell_path, uint32_t bdf)
{
	const struct platform_pcie *pcie = &ctx->plat->pcie;
	const struct platform_smmu *smmu = &ctx->plat->smmu;
	const struct platform_index *idx = layout_board_index(ctx);
	const struct platform_iommu_map *e;
	char other[PLATFORM_PATH_MAX], which[48] = "";
	uint32_t sid;
	int i, node;

	if (!smmu->present || !pcie->present) /* no host: layout_board_pci() said so */
		return LAYOUT_NO_SID;
	if (!pcie->nr_iommu_map) {
		layout_error(ctx, cell_path, "pci-devices",
			     "BDF 0x%04x: the PCIe host %s has no iommu-map: which stream of %s "
			     "its DMA uses is unknown (need iommu-map = <rid-base &smmu "
			     "stream-base length>)",
			     bdf, pcie->path, smmu->path);
		return LAYOUT_NO_SID;
	}
	i = platform_pcie_map_entry(pcie, bdf);
	/* A one-entry map to another IOMMU puts the whole host behind it, whatever the RID. */
	if (i < 0 && pcie->nr_iommu_map == 1 && pcie->iommu_map[0].not_smmu)
		i = 0;
	if (i < 0) {
		pci_sid_outside(ctx, cell_path, bdf);
		return LAYOUT_NO_SID;
	}
	e = &pcie->iommu_map[i];
	if (e->not_smmu) {
		node = platform_index_by_phandle(idx, ctx->board, e->phandle);
		if (node < 0 ||
		    platform_index_get_path(idx, ctx->board, node, other, sizeof(other)) != 0)
			snprintf(other, sizeof(other), "phandle <0x%x>", e->phandle);
		if (pcie->nr_iommu_map > 1)
			snprintf(which, sizeof(which), " (entry %d, RIDs 0x%x-0x%x)", i,
				 e->rid_base, e->rid_base + e->len - 1);
		layout_error(ctx, cell_path, "pci-devices",
			     "BDF 0x%04x: the PCIe host's iommu-map%s sends its DMA through %s, "
			     "not %s, the SMMUv3 Bulkhead drives: no STE of Bulkhead's would "
			     "contain it (pass-through needs the host behind that SMMU)",
			     bdf, which, other, smmu->path);
		return LAYOUT_NO_SID;
	}
	return platform_pcie_sid(pcie, bdf, &sid) ? sid : LAYOUT_NO_SID;
}

/*
 * Where a cell with pci-devices sees its host (partitions/guest_dt_pci.c):
 * the ECAM at its physical address, trapped and emulated (pci_config.c),
 * and the 32-bit memory window 1:1, where the boot places the functions'
 * BARs (pci_bar.c). RAM or shared memory there would hide config space
 * behind RAM in the cell's stage 2, or make the boot refuse a BAR that lands
 * on it (the guest's device tree would have both at one address).
 */
void layout_board_pci_ipa(struct layout_ctx *ctx, const struct layout_cell *c, const char *node,
			  const char *prop, uint64_t ipa, uint64_t size, const char *note)
{
	const struct platform_pcie *pcie;
	uint64_t win[3];

	if (!ctx->plat || !ctx->plat->pcie.present || c->nr_pci == 0)
		return;
	pcie = &ctx->plat->pcie;
	if (ranges_overlap(ipa, size, pcie->ecam.base, pcie->ecam.size))
		layout_error(ctx, node, prop,
			     "IPA 0x%lx+0x%lx overlaps the PCIe host's ECAM 0x%lx+0x%lx, where the "
			     "config space of the pci-devices of cell \"%s\" is trapped (at IPA = "
			     "PA; put the IPA elsewhere)%s",
			     ipa, size, pcie->ecam.base, pcie->ecam.size, layout_cell_name(c),
			     note);
	if (platform_pcie_mem32_window(layout_board_index(ctx), ctx->board, pcie, win) == 0 &&
	    !layout_wraps(win[1], win[2]) && ranges_overlap(ipa, size, win[1], win[2]))
		layout_error(
			ctx, node, prop,
			"IPA 0x%lx+0x%lx overlaps the PCIe host's 32-bit memory window "
			"0x%lx+0x%lx, where the hypervisor places the BARs of the pci-devices "
			"of cell \"%s\" (mapped at IPA = CPU address; put the IPA elsewhere)%s",
			ipa, size, win[1], win[2], layout_cell_name(c), note);
}
