// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCIe host node of a cell with pci-devices (docs/pci.md): QEMU virt's
 * generic ECAM host with the cell's functions' BARs, which the hypervisor
 * placed, in its 32-bit memory window.
 */
#include <errno.h>
#include <string.h>

#include <libfdt.h>

#include "guest_dt_internal.h"

#define PCI_SPACE_MEM32	   0x02000000u
#define PCI_ECAM_BUS_SIZE  (1ULL << 20)
#define GUEST_GIC_SPI	   0
#define GUEST_GIC_LEVEL_HI 4

int guest_dt_pci_check(const struct layout_cell *cell, const struct platform *plat,
		       const void *board_fdt)
{
	uint64_t win[3];

	if (!cell->nr_pci)
		return 0;
	if (!plat->pcie.present || !board_fdt)
		return log_err_ret(
			-ENODEV, "%s: guest device tree: pci-devices but no PCIe host on the board",
			cell->label);
	if (platform_pcie_mem32_window(&plat->index, board_fdt, &plat->pcie, win) < 0)
		return log_err_ret(-EINVAL,
				   "%s: guest device tree: %s: ranges: no 32-bit memory window",
				   cell->label, plat->pcie.path);
	return 0;
}

/*
 * A pci-host-ecam-generic node like QEMU virt's, cut down to the cell: the
 * real ECAM window (trapped: the cell sees its own functions only), the buses
 * up to its last function's, the host's 32-bit memory window 1:1 (the
 * hypervisor placed the BARs there; linux,pci-probe-only in /chosen keeps
 * Linux from moving them), INTA# of each function to the INTID the layout
 * routed to the cell, and no msi-map or iommu-map: no ITS (INTx only), and
 * the SMMU belongs to the hypervisor (DMA addresses are IPAs).
 */
void guest_dt_pci_write(struct guest_dt *g, const struct layout_cell *cell,
			const struct platform *plat, const void *board_fdt)
{
	char name[GUEST_DT_NAME_MAX];
	uint32_t last = plat->pcie.bus_first, map[LAYOUT_MAX_PCI * 10], n = 0;
	const uint32_t mask[] = { 0xffff00, 0, 0, 7 };
	uint64_t win[3] = { 0, 0, 0 };
	struct mem_range reg;
	uint32_t bus_range[2], ranges[7];
	int host;

	if (!cell->nr_pci || g->err)
		return;
	host = platform_index_path_offset(&plat->index, board_fdt, plat->pcie.path,
					  (int)strlen(plat->pcie.path));
	platform_pcie_mem32_window(&plat->index, board_fdt, &plat->pcie, win);
	for (int i = 0; i < cell->nr_pci; i++) {
		if (LAYOUT_BDF_BUS(cell->pci[i]) > last)
			last = LAYOUT_BDF_BUS(cell->pci[i]);
		if (!cell->pci_intx[i])
			continue;
		/* <phys.hi 0 0 INTA> -> <&gic 0 0 SPI n level-high> */
		const uint32_t e[] = { (uint32_t)cell->pci[i] << 8,
				       0,
				       0,
				       1,
				       guest_dt_phandle_gic(g),
				       0,
				       0,
				       GUEST_GIC_SPI,
				       cell->pci_intx[i] - 32,
				       GUEST_GIC_LEVEL_HI };
		memcpy(&map[n], e, sizeof(e));
		n += 10;
	}
	reg.base = plat->pcie.ecam.base;
	reg.size = (uint64_t)(last - plat->pcie.bus_first + 1) * PCI_ECAM_BUS_SIZE;
	bus_range[0] = plat->pcie.bus_first;
	bus_range[1] = last;
	ranges[0] = PCI_SPACE_MEM32; /* then the PCI address, CPU address and size, 2 cells each */
	for (int i = 0; i < 6; i++)
		ranges[1 + i] = (uint32_t)(win[i / 2] >> (i % 2 ? 0 : 32));

	guest_dt_name_pcie(name, sizeof(name), plat);
	guest_dt_begin(g, name);
	guest_dt_prop_string(g, "compatible", "pci-host-ecam-generic");
	guest_dt_prop_string(g, "device_type", "pci");
	guest_dt_prop_u32(g, "#address-cells", 3);
	guest_dt_prop_u32(g, "#size-cells", 2);
	guest_dt_prop_u32(g, "#interrupt-cells", 1);
	guest_dt_prop_regs(g, &reg, 1);
	guest_dt_prop_cells(g, "bus-range", bus_range, 2);
	guest_dt_prop_u32(g, "linux,pci-domain", 0);
	guest_dt_prop_cells(g, "ranges", ranges, 7);
	if (n) {
		guest_dt_prop_cells(g, "interrupt-map-mask", mask, 4);
		guest_dt_prop_cells(g, "interrupt-map", map, (int)n);
	}
	/*
	 * The functions' DMA is as coherent as the board's host says (Linux
	 * takes it from the host bridge's node up): a dma-coherent one on a
	 * board whose interconnect does not snoop them would have the
	 * guest's drivers skip the cache maintenance its buffers need.
	 */
	if (guest_dt_dma_coherent(&plat->index, board_fdt, host))
		guest_dt_prop_empty(g, "dma-coherent");
	guest_dt_end(g);
}
