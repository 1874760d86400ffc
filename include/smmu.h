/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_SMMU_H
#define BULKHEAD_SMMU_H

#include <stdbool.h>
#include <stdint.h>
#include "platform.h"

/*
 * The SMMUv3 (smmu/smmuv3.c): DMA containment. Every stream aborts unless a
 * cell owns it; an owned stream translates through its cell's own stage-2
 * tables and VMID, so a device sees exactly what its cell's CPUs see.
 * Translation faults are reported against the owning cell.
 */
struct cell;

/*
 * What the stream table holds (smmu/smmu_strtab.c), and the layout check
 * (partitions/layout_streams.c) holds a layout's streams to: streams below
 * 1024 in a linear table (PCI buses 0-3 with RID = SID); beyond that, on an
 * SMMU with two-level tables (IDR0.ST_LEVEL), stream IDs below 2^16 in at
 * most 4 ranges of 256 (0xNN00-0xNNff, a PCI bus each), a level-2 table each.
 * Both take the same 64 KiB of STEs.
 */
#define SMMU_LINEAR_STREAMS_LOG2 10
#define SMMU_STREAM_RANGE_LOG2	 8
#define SMMU_STREAM_RANGES	 (1u << (SMMU_LINEAR_STREAMS_LOG2 - SMMU_STREAM_RANGE_LOG2))
#define SMMU_STREAM_ID_BITS	 16

/*
 * Boot CPU, after gic_init(): map the SMMU described by @plat (nothing to do
 * without one), stream table, command and event queues, global bypass off
 * (abort), SMMU on, event and global-error interrupts taken by the
 * hypervisor. Logs one line; returns 0 or a negative errno.
 */
int smmu_init(const struct platform *plat);
/* The SMMU is on: streams can be given to cells. */
bool smmu_enabled(void);
/*
 * Boot, once the layout is read and before any smmu_assign(): the stream
 * table that holds streams up to @top_sid (the layout's highest). The linear
 * one if they fit, else the two-level one if the SMMU has it (the SMMU off
 * meanwhile, GBPA aborting every stream). Else left linear: smmu_assign()
 * refuses each stream beyond it, saying why. 0, or the error (logged; the
 * SMMU is then off and every stream aborts).
 */
int smmu_strtab_fit(uint32_t top_sid);
/*
 * Give stream @sid to @cell (boot): its STE points at the cell's stage 2,
 * and aborts until smmu_cell_resume() as the cell first starts (cell_start()).
 * @dev names what the stream is for in a refusal ("pci-devices: 00:03.0",
 * "devices: /dma@a000000").
 */
int smmu_assign(struct cell *cell, uint32_t sid, const char *dev);
/*
 * @cell stops (or restarts): its streams abort, the SMMU's cached entries
 * and walks of its VMID are dropped, and once this returns 0 no DMA of its
 * devices reaches memory. An error (logged): the SMMU did not confirm it,
 * and their DMA may still reach the cell's memory. Any CPU.
 */
int smmu_cell_abort(struct cell *cell);
/*
 * The system halts (partitions/halt.c): every transaction aborts for good,
 * by the SMMU's registers (GBPA.ABORT, SMMUEN 0), with no command nor the
 * command queue's lock, which a CPU lost inside a command holds for ever; if
 * the SMMU does not take that, every cell's streams abort as at a stop, the
 * lock not waited for if a lost CPU holds it. 0 once the SMMU confirmed
 * either, else the error, logged. Any CPU; bounded by the SMMU's waits and,
 * for the lock, by its holder's (smmu_cmd_lock()).
 */
int smmu_halt_dma(void);
/*
 * @cell starts, loaded and its functions' resets over (cell.c,
 * give_dma_back(), its only caller, never for a failed cell): its streams
 * translate through its stage 2.
 */
void smmu_cell_resume(struct cell *cell);
/* The SMMU's interrupts (gic/irq.c): true if @intid was one and has been handled. */
bool smmu_irq(uint32_t iar, uint32_t intid);

#endif
