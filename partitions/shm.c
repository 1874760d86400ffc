// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared-memory doorbells (docs/shm.md). The regions themselves are plain
 * stage-2 mappings (partitions/cell.c); here a member rings the others: an
 * edge on the region's virtual SPI in each target's vGIC, and a kick. Every
 * argument is checked against the caller's own view of the layout, so a
 * cell reaches only the members of regions it belongs to.
 *
 * Rate: one token bucket per sending cell, a token per cell rung, whatever
 * the region (include/shm.h): a bucket per region let two cells sharing k
 * regions ring k times as often. Coalescing needs nothing here: the doorbell
 * is an edge latch in the target's vGIC, and a ring while it is pending adds
 * no interrupt (nor a kick while it waits in struct cell's doorbells).
 *
 * A ring takes none of the target's locks: it sets the region's bit in the
 * target's doorbells word and kicks one of its CPUs, which raises it in its
 * own vGIC, under its own cell's lock (shm_doorbells_raise()). A CPU lost at
 * EL2 holding a cell's lock or its vGIC's (include/owned_lock.h: held for
 * good) then stops no other cell's ring, and a ringing CPU lost at EL2 leaves
 * no lock of the target held. Before 2026-11-25 the ringer took the target's
 * cell and vGIC locks itself, and one such loss stopped either side's CPUs
 * for ever, their interrupts masked.
 */
#include <stdbool.h>
#include <stddef.h>

#include "arch/cpu.h"
#include "cell.h"
#include "gic.h"
#include "hypercall.h"
#include "log.h"
#include "shm.h"
#include "spinlock.h"
#include "vgic_hw.h"
#include "compiler.h"

#define SHM_RET_INVALID ((uint64_t)-3)
#define SHM_RET_BUSY	((uint64_t)-5)

struct bucket {
	struct spinlock lock;
	uint32_t tokens;
	bool primed;	/* tokens valid (the first ring fills the bucket) */
	bool warned;	/* the first refusal was logged */
	uint64_t stamp; /* counter value up to which tokens were credited */
};

static struct bucket buckets[LAYOUT_MAX_CELLS]; /* by the sender's cell id */
/* Per cell: bit r = a refused call naming region r was logged (bit LAYOUT_MAX_SHM: bad index). */
static uint32_t logged[LAYOUT_MAX_CELLS];

/* Take @n tokens, or none and false when the sender rang more than the bucket allows. */
static bool bucket_take(struct bucket *b, unsigned int n)
{
	uint64_t period = arch_counter_freq() / (SHM_RINGS_PER_MS * 1000ULL);
	uint64_t now;
	bool ok;

	if (period == 0)
		period = 1;
	spin_lock(&b->lock);
	/* Under the lock: a stamp from a later read would make `now - stamp` wrap, a full refill.
	 */
	now = arch_counter_read();
	if (!b->primed) {
		b->primed = true;
		b->tokens = SHM_RING_BURST;
		b->stamp = now;
	} else {
		/* Clamped at the burst: time the bucket spent full banks nothing. */
		uint64_t add = (now - b->stamp) / period;

		if (add) {
			b->stamp += add * period;
			b->tokens = add >= SHM_RING_BURST - b->tokens ? SHM_RING_BURST
								      : b->tokens + (uint32_t)add;
		}
	}
	ok = b->tokens >= n;
	if (ok)
		b->tokens -= n;
	spin_unlock(&b->lock);
	return ok;
}

__cold static void refuse_once(struct vcpu *vcpu, unsigned int bit, uint64_t region,
			       const char *why)
{
	uint32_t *l = &logged[vcpu->cell->id % LAYOUT_MAX_CELLS];

	if (__atomic_fetch_or(l, 1u << bit, __ATOMIC_RELAXED) & (1u << bit))
		return;
	log_warn("%s: vcpu%u: doorbell of shared-memory region %lu refused: %s (further refusals "
		 "not logged)",
		 vcpu->cell->cfg->label, vcpu->index, (unsigned long)region, why);
}

/* The caller's view of region @region, or NULL if it is not a member. */
static const struct layout_cell_shm *member_view(const struct cell *cell, uint64_t region)
{
	for (int i = 0; i < cell->cfg->nr_shm; i++)
		if ((uint64_t)cell->cfg->shm[i].region == region)
			return &cell->cfg->shm[i];
	return NULL;
}

/*
 * The boot @peer runs, in the doorbells word's top half, or false if it does
 * not run: RUNNING read between two equal reads of the boot count, which
 * counts a boot before it makes the cell RUNNING (cell.c, go_running()), is
 * that boot's. A ring posted for a boot that ended is dropped by the next.
 */
static bool running_boot(const struct cell *peer, uint64_t *tag)
{
	uint64_t boot = __atomic_load_n(&peer->boots, __ATOMIC_RELAXED);

	if (__atomic_load_n(&peer->state, __ATOMIC_ACQUIRE) != CELL_RUNNING ||
	    __atomic_load_n(&peer->boots, __ATOMIC_RELAXED) != boot)
		return false;
	*tag = (uint64_t)(uint32_t)boot << 32;
	return true;
}

/*
 * Whether doorbells word @word belongs to a later boot than @tag: the boot
 * counts' serial-number order (RFC 1982), which survives their wrap.
 */
static bool rung_for_later_boot(uint64_t word, uint64_t tag)
{
	return (int32_t)((uint32_t)(word >> 32) - (uint32_t)(tag >> 32)) > 0;
}

/* Ring member @m of @v's region; 1 if it runs (and was rung), else 0. */
static unsigned int ring_member(const struct layout_cell_shm *v, int m)
{
	struct cell *peer = cell_get((unsigned int)v->member_cells[m]);
	const struct layout_cell_shm *pv;
	uint64_t tag, old, new, bit;
	unsigned int k;

	if (!peer || !running_boot(peer, &tag))
		return 0;
	pv = member_view(peer, (uint64_t)v->region);
	if (!pv || !pv->doorbell)
		return 1;
	bit = 1u << (pv - peer->cfg->shm);
	old = __atomic_load_n(&peer->doorbells, __ATOMIC_RELAXED);
	/*
	 * A word of a later boot: the boot seen running ended since, and a cell
	 * rang the next. Posting would wipe that ring, and this one would be
	 * dropped anyway: counted, as a ring posted just before the peer stopped.
	 */
	do {
		if ((old & ~SHM_DOORBELLS_RUNG) == tag)
			new = old | bit;
		else if (rung_for_later_boot(old, tag))
			return 1;
		else
			new = tag | bit;
	} while (!__atomic_compare_exchange_n(&peer->doorbells, &old, new, true, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	/* Already waiting: the kick that posted it is on its way. */
	if (old != new) {
		k = __atomic_load_n(&peer->doorbell_vcpu, __ATOMIC_RELAXED);
		gic_kick(peer->vcpus[k < peer->nr_vcpus ? k : 0].pcpu);
	}
	return 1;
}

/*
 * On @v's CPU. A running cell cannot stop and have its vGIC reset meanwhile:
 * while @v counts as in the guest, a stop waits for it to leave first (this
 * CPU alone clears in_guest); otherwise under the cell's lock, as the
 * console's input (vgic_hw_vuart_input()). Rings of a boot that ended, or
 * for a cell not running, are dropped, as a reset interrupt controller drops
 * its pending edges.
 */
void shm_doorbells_raise(struct vcpu *v)
{
	struct cell *cell = v->cell;
	bool locked = !__atomic_load_n(&v->in_guest, __ATOMIC_ACQUIRE);
	uint64_t rung;
	int target;
	unsigned int i;

	if (locked)
		spin_lock(&cell->lock);
	rung = __atomic_fetch_and(&cell->doorbells, ~SHM_DOORBELLS_RUNG, __ATOMIC_ACQUIRE);
	if ((locked && cell->state != CELL_RUNNING) || rung >> 32 != (uint32_t)cell->boots)
		rung = 0;
	/* Only bits of its own regions are ever set (ring_member()). */
	for (rung &= (1u << LAYOUT_MAX_SHM) - 1; rung; rung &= rung - 1) {
		i = (unsigned int)__builtin_ctzll(rung);
		target = vgic_hw_doorbell(cell, layout_doorbell_intid(&cell->cfg->shm[i]));
		if (target >= 0)
			__atomic_store_n(&cell->doorbell_vcpu, (unsigned int)target,
					 __ATOMIC_RELAXED);
	}
	if (locked)
		spin_unlock(&cell->lock);
}

void shm_doorbell_hypercall(struct vcpu *vcpu, struct smccc_regs *regs)
{
	uint64_t region = regs->a[1], target = regs->a[2];
	const struct layout_cell_shm *v = member_view(vcpu->cell, region);
	unsigned int rung = 0;
	struct bucket *b;

	if (!v) {
		refuse_once(vcpu, region < LAYOUT_MAX_SHM ? (unsigned int)region : LAYOUT_MAX_SHM,
			    region, "the cell is not a member of it (or no such region)");
		regs->a[0] = SHM_RET_INVALID;
		return;
	}
	if (!v->doorbell) {
		refuse_once(vcpu, (unsigned int)region, region, "the region has no doorbell");
		regs->a[0] = SHM_RET_INVALID;
		return;
	}
	if (target != SHM_RING_OTHERS &&
	    (target >= (uint64_t)v->nr_members || target == (uint64_t)v->member)) {
		regs->a[0] = SHM_RET_INVALID; /* not another member: the caller's bug, not logged */
		return;
	}
	b = &buckets[vcpu->cell->id % LAYOUT_MAX_CELLS];
	if (!bucket_take(b, target == SHM_RING_OTHERS ? (unsigned int)v->nr_members - 1 : 1)) {
		if (!__atomic_exchange_n(&b->warned, true, __ATOMIC_RELAXED))
			log_warn("%s: doorbells rung faster than %u per ms (burst %u), a ring "
				 "counted once per cell rung, in every region: excess rings "
				 "refused with BUSY (told once)",
				 vcpu->cell->cfg->label, SHM_RINGS_PER_MS, SHM_RING_BURST);
		regs->a[0] = SHM_RET_BUSY;
		return;
	}
	for (int m = 0; m < v->nr_members && m < LAYOUT_MAX_CELLS; m++)
		if (m != v->member && (target == SHM_RING_OTHERS || target == (uint64_t)m))
			rung += ring_member(v, m);
	regs->a[0] = 0;
	regs->a[1] = rung; /* members rung; a stopped member is skipped */
}
