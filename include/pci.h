/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_PCI_H
#define BULKHEAD_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include "platform.h"

/*
 * PCI functions and other DMA masters given to cells (partitions/pci.c,
 * pci_config.c, docs/pci.md). The ECAM window is never mapped into a cell: a cell that
 * owns functions has its config accesses emulated, sees only its own
 * functions and gets their BARs, placed by the hypervisor, mapped 1:1.
 */
struct cell;
struct vcpu;
struct mmio_access;

/*
 * Boot CPU, at cell creation (libfdt allowed): place and map the BARs of
 * @cell's functions, give their streams (RID through the host's iommu-map)
 * and those of its platform devices' `iommus` to the cell in the SMMU.
 */
int pci_cell_create(struct cell *cell, const struct platform *plat, const void *board_fdt);
/*
 * Boot CPU, once every cell is built and before any starts: each function of
 * every cell that offers a reset (FLR, D3hot to D0) is reset as a stop does,
 * so that nothing firmware left programmed in it (a ring U-Boot did not stop)
 * meets its guest's Bus Master; placed again and said. All at once, one wait
 * (100 ms with an FLR); nothing without functions.
 */
void pci_reset_first_boot(void);
/*
 * Boot CPU, for a cell refused before it is built (a CPU of it not online):
 * quiesce the PCIe tree if it names functions, as pci_cell_create() would
 * have, so they do not go on decoding and mastering DMA as firmware left them.
 */
int pci_cell_refused(const struct cell *cell, const struct platform *plat, const void *board_fdt);
/*
 * Stop and restart: @cell's SMMU streams abort (smmu_cell_abort()), its
 * functions stop mastering DMA, decoding and asserting INTx (COMMAND = INTx
 * Disable only), those that offer a reset are reset (FLR, or D3hot to D0:
 * up to 100 ms, waited here) and placed again, and its next boot is told
 * its config writes dropped anew. 0, or the SMMU's error: its devices' DMA
 * may still reach the cell's memory.
 */
int pci_cell_quiesce(struct cell *cell);
/* A trapped access inside the ECAM window? Then emulate it (0, or -EINVAL: abort). */
bool pci_ecam_claims(const struct cell *cell, uint64_t ipa);
int pci_ecam_access(struct vcpu *vcpu, struct mmio_access *acc);

#endif
