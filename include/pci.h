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
 * Boot CPU, before anything of @cell is built: each function it names is
 * there and one a cell can own (an endpoint: not a bridge, not the host
 * bridge), each other one said. 0; -EPERM: the cell is refused, the other
 * cells are built without it; another error (the host cannot be used,
 * said): no cell is.
 */
int pci_cell_check(const struct cell *cell, const struct platform *plat, const void *board_fdt);
/*
 * Boot CPU, once every cell is built and before any is loaded: each function
 * of every cell that offers a reset (FLR, D3hot to D0) starts it, as a stop
 * does, so that nothing firmware left programmed in it (a ring U-Boot did not
 * stop) meets its guest's Bus Master. Nothing waits here: the loads take the
 * reset's time (pci_reset_end()). Nothing without functions.
 */
void pci_reset_first_boot_begin(void);
/*
 * Boot CPU, once the cells are loaded: the second step of every reset begun
 * by pci_reset_first_boot_begin() that has one (the FLR of a function
 * firmware left outside D0, woken first; D0 after D3hot), every cell's in
 * one pass, each waiting only for its own first step: left to each start,
 * a second step would begin only after the boot (cell_first_start()).
 */
void pci_reset_first_boot_continue(void);
/*
 * Whether @cell has a function whose reset began, at the first boot or a
 * reload, and was not yet ended (pci_reset_end()): its start may wait up to
 * 100 ms (200 after its guest's own FLR). By the layout, the functions'
 * reset methods and those the reload found in their guest's reset, not by
 * the clock.
 */
bool pci_reset_left(const struct cell *cell);
/*
 * A reload's resets, from the CPU of @cell that carried it, in its loop (interrupts
 * taken between two calls): each function's second step once its first is
 * over, and the quiesce and first step of one the reload found in its
 * guest's reset once that is. The first boot's, from the CPU its start was
 * left to (cell_first_start()): each function's wait timed, for
 * pci_reset_end() to tell. True while one is still under way.
 */
bool pci_reset_step(const struct cell *cell);
/*
 * The CPU that starts @cell, before its first instruction: what is left of
 * its functions' resets (the first boot's or a reload's) is waited for (only
 * their own deadlines), each is placed again, and said. Once: nothing at a
 * start with no reset under way, nor for a cell without functions. Until
 * then a cell whose start is delayed keeps them reset, Memory and Bus
 * Master off; a stop queued instead of the start (pci_cell_quiesce()), or
 * a reload that fails (cell_reload.c), ends them itself: a stopped cell's
 * functions are reset and placed again.
 */
void pci_reset_end(const struct cell *cell);
/*
 * Boot CPU, for a cell refused before it is built (a CPU of it not online,
 * or a function pci_cell_check() refused):
 * quiesce the PCIe tree if it names functions, as pci_cell_create() would
 * have, so they do not go on decoding and mastering DMA as firmware left them.
 */
int pci_cell_refused(const struct cell *cell, const struct platform *plat, const void *board_fdt);
/*
 * Stop and restart: @cell's SMMU streams abort (smmu_cell_abort()), its
 * functions stop mastering DMA, decoding and asserting INTx (COMMAND = INTx
 * Disable only), those that offer a reset are reset (FLR, or D3hot to D0:
 * up to 100 ms, waited here) and placed again, resets a reload began ended
 * as a start would, and its next boot is told its config writes dropped anew. 0, or the SMMU's
 * error: its devices' DMA may still reach the cell's memory.
 */
int pci_cell_quiesce(struct cell *cell);
/*
 * pci_cell_quiesce() for a reload: the resets begun, not waited for; the
 * load takes part of their time, the start the rest (pci_reset_end()). A
 * function still in a reset its guest started is neither waited for nor
 * written: quiesced and reset once that is over (pci_reset_step()).
 */
int pci_cell_quiesce_for_reload(struct cell *cell);
/* A trapped access inside the ECAM window? Then emulate it (0, or -EINVAL: abort). */
bool pci_ecam_claims(const struct cell *cell, uint64_t ipa);
int pci_ecam_access(struct vcpu *vcpu, struct mmio_access *acc);

#endif
