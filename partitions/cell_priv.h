/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What partitions/cell_create.c (building the cells at boot) and
 * partitions/cell.c (their life cycle, and the lookups the trap path makes)
 * share: the cell table and the board it was built for. cells_create()
 * fills them once, at boot; after that only the cells' own state changes,
 * under their locks. Private to partitions/cell*.c.
 */
#ifndef BULKHEAD_CELL_PRIV_H
#define BULKHEAD_CELL_PRIV_H

#include "cell.h"
#include "layout.h"
#include "platform.h"

extern struct cell cells[LAYOUT_MAX_CELLS];
extern unsigned int cells_nr; /* 0 until every cell of the layout is built */
/* The board the cells were built for: a reload (cell_load()) uses it again. */
extern const struct platform *cells_plat;
extern const void *cells_board_fdt;

/*
 * The steps of a stop (cell.c), for cell_lost.c's: every vCPU off, the
 * cell STOPPING and this CPU its owner if it ran (*claimed), the others
 * kicked (returns whether this CPU runs one); the wait for them to leave
 * the guest, bounded; its devices quiesced and the cell STOPPED. The first
 * step also in two: its part under the cell's lock (returns *claimed), and
 * the kicks.
 */
bool cell_stop_vcpus(struct cell *cell, const char *stop_why, bool *claimed);
bool cell_claim_stop_locked(struct cell *cell, const char *stop_why);
bool cell_kick_vcpus(const struct cell *cell);
/* The vCPUs of @cell in the guest, other than @self's, as a mask of vCPU indices. */
unsigned int cell_vcpus_in_guest(const struct cell *cell, unsigned int self);
void cell_wait_vcpus_out(struct cell *cell);
void cell_quiesce_and_stop(struct cell *cell, const char *why);
/*
 * The stop_why of a cell that lost a CPU (cell_lost.c), and of a start that
 * ends STOPPED for it: one object, since stop_queued() tells it from a
 * requested stop by its address.
 */
extern const char cell_lost_why[];
/*
 * What a reload (cell_reload.c) takes from a stop and a start (cell.c): its
 * devices quiesced, for a reload or a stop (0, or the SMMU's error); why
 * the start under way ends STOPPED instead, or NULL (under the cell's
 * lock); that end, told with the boot that does not happen; and the guest
 * left if this CPU ran one of the cell's vCPUs (@mine).
 */
int cell_quiesce_devices(struct cell *cell, bool reload);
const char *cell_stop_instead(const struct cell *cell);
void cell_stop_queued(struct cell *cell, const char *who);
void cell_leave_if_mine(bool mine);
/* @v has left the guest: if it was the last one its cell waited for, start the cell. */
void cell_start_deferred(struct vcpu *v);
/* The scrub and load a reload left to @v's CPU, in its loop (cell_reload.c). */
void cell_take_reload_left(struct vcpu *v);
/* @v's CPU, in its loop: if its cell failed, its devices' DMA stopped, once (cell_lost.c). */
void cell_failed_dma_stop(struct vcpu *v);

#endif
