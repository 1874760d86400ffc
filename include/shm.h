/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_SHM_H
#define BULKHEAD_SHM_H

#include <stdint.h>

#include "cell.h"

struct vcpu;
struct smccc_regs;

/*
 * Doorbells of shared-memory regions (partitions/shm.c, docs/shm.md).
 * BULKHEAD_HC_DOORBELL: x1 = region index (the layout's order, the guest
 * DT's bulkhead,region), x2 = the target's position in the region's `cells`
 * or SHM_RING_OTHERS. Only members ring, only members are rung.
 *
 * Rate limit, per sending cell: a token bucket of SHM_RING_BURST rings,
 * refilled at SHM_RINGS_PER_MS, a ring taking a token per cell it names (all
 * the others for SHM_RING_OTHERS) in whichever region; a ring without its
 * tokens returns BUSY (the first one per sender logged). A ring while the
 * target's doorbell is still pending coalesces with it (an edge latch): the
 * peer takes one interrupt, and costs nothing.
 */
#define SHM_RING_OTHERS	 ((uint64_t)-1)
#define SHM_RING_BURST	 16
#define SHM_RINGS_PER_MS 10

void shm_doorbell_hypercall(struct vcpu *vcpu, struct smccc_regs *regs);

/* struct cell's doorbells: the rung regions' bits, below the boot they were rung for. */
#define SHM_DOORBELLS_RUNG 0xffffffffULL

void shm_doorbells_raise(struct vcpu *v);

/*
 * On @v's CPU, at each kick: the doorbells other cells rang raised in its
 * cell's vGIC. Inline: a kick that brings none reads one word.
 */
static inline void shm_doorbells_take(struct vcpu *v)
{
	if (__atomic_load_n(&v->cell->doorbells, __ATOMIC_RELAXED) & SHM_DOORBELLS_RUNG)
		shm_doorbells_raise(v);
}

#endif
