// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell that lost a CPU. A CPU that takes an unexpected exception at EL2 (a
 * hypervisor bug, in a trap of its guest, a stop or a reload of its cell)
 * reports it and parks for good (arch/arm64/exception.c). Its cell cannot
 * run without it: one vCPU per CPU, and the boot vCPU's CPU carries every
 * reload. Left as it was, the cell stayed RUNNING on its other vCPUs, or
 * LOADING for ever, and a stop or start waited for the parked CPU. So that
 * CPU, before it parks, takes itself out of every wait, marks the cell
 * failed (no start, restart or stop is taken for it again) and stops it, or
 * leaves the stop to the CPU that carries the cell's transition. Under
 * on-fault "halt-system" it halts the system instead: the layout says the
 * system must not run on without the cell, whatever stopped it (as a stage-2
 * fault not the guest's, fault.c).
 *
 * A global lock it held when it faulted would stop every CPU that wants it
 * next. The device tree build's (a panic in libfdt's stack check) is let
 * go: the next build starts afresh (guest_dt_cpu_lost()). The console's is
 * taken over by the report (console_panic_enter()). The others a reload or
 * a stop takes (the EL2 map's, the SMMU's command queue's, GICD_ICFGR's)
 * guard tables, a queue or a register that a fault inside their few lines
 * may leave half-written: they stay held (docs/architecture.md). Their word
 * names their holder (include/owned_lock.h), and the fault's report marked
 * those this CPU holds lost: neither this CPU's own stop nor another CPU
 * waits for them, and each does without what it wanted, and says so.
 */
#include <stdio.h>
#include "arch/cpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "fault.h"
#include "guest_dt.h"
#include "log.h"
#include "manage.h"
#include "smmu.h"
#include "compiler.h"

/*
 * Under the cell's lock: another CPU carries the cell's stop, restart or
 * reload (struct cell's owner), and ends it STOPPED once it sees the CPU
 * lost (cell.c, stop_instead()). Stopped here too, the cell would be
 * stopped twice, and that CPU's reload refused as a hypervisor bug ("load
 * refused: the cell is stopped, not loading"). Not a request no CPU took
 * yet (its owner-to-be may be this one), nor a start waiting for a vCPU to
 * leave the guest (cell_reload.c, start_deferred()): nobody comes for those.
 */
static bool owned_elsewhere(const struct cell *cell, unsigned int self)
{
	return (cell->state == CELL_STOPPING || cell->state == CELL_LOADING) &&
	       cell->owner != self && cell->request == CELL_REQ_NONE && !cell->start_deferred;
}

/*
 * On the lost CPU, which does not leave for its loop. Unless another CPU
 * owns the cell's transition, this one takes it, in one critical section
 * with that look: a running cell's stop claimed, a request still waiting
 * for the cell's boot CPU taken off it and dropped, a deferred start called
 * off. Then the other vCPUs are pulled out and the cell stopped here.
 */
static void stop_lost(struct cell *cell)
{
	unsigned int self = arch_cpu_index();
	enum cell_request dropped = CELL_REQ_NONE;
	const char *who = NULL;
	bool elsewhere;

	spin_lock(&cell->lock);
	elsewhere = owned_elsewhere(cell, self);
	if (!elsewhere) {
		(void)cell_claim_stop_locked(cell, cell_lost_why);
		dropped = manage_take_request(cell, &who);
		cell->start_deferred = false;
		cell->owner = self;
	}
	spin_unlock(&cell->lock);
	if (dropped != CELL_REQ_NONE)
		manage_drop_request(cell, dropped, who);
	if (elsewhere)
		return;
	(void)cell_kick_vcpus(cell);
	if (__atomic_load_n(&cell->state, __ATOMIC_ACQUIRE) == CELL_STOPPED)
		return;
	cell_wait_vcpus_out(cell);
	cell_quiesce_and_stop(cell, cell_lost_why);
}

static bool held_by(const struct spinlock *l, uintptr_t holder)
{
	return __atomic_load_n(&l->holder, __ATOMIC_RELAXED) == holder;
}

/* Which of @cell's locks (CELL_LOCK_*) name @holder (a spin_self(), maybe marked). */
static unsigned int held_as(const struct cell *cell, uintptr_t holder)
{
	if (!(holder & ~SPIN_HOLDER_LOST)) /* before TPIDR_EL2 is set: nobody */
		return 0;
	return (held_by(&cell->lock, holder) ? CELL_LOCK_CELL : 0) |
	       (held_by(&cell->vgic.lock, holder) ? CELL_LOCK_VGIC : 0) |
	       (held_by(&cell->vuart.lock, holder) ? CELL_LOCK_VUART : 0);
}

static void mark_held(struct cell *cell)
{
	/* What was set for the cell before, seen by whoever finds a mark (cell_lock_lost_say()). */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	(void)spin_mark_lost(&cell->lock);
	(void)spin_mark_lost(&cell->vgic.lock);
	(void)spin_mark_lost(&cell->vuart.lock);
}

/*
 * The cell is told failed before its locks are marked: whoever gives up on
 * a marked one finds the lost CPU named (cell_lock_lost_say()). Its own cell
 * first of all, before its report, which takes long: from outside (the
 * console's input, vgic_hw_vuart_input()) a cell that looks running is
 * worked on with locks a lost CPU may hold. Its stop comes after the report
 * (lose_vcpu()).
 */
__cold void cell_locks_lost(void)
{
	unsigned int self = arch_cpu_index(), i, held, none;
	const struct vcpu *v = vcpu_of_pcpu(self);
	struct cell *c;

	if (v)
		__atomic_fetch_or(&v->cell->lost, 1u << v->index, __ATOMIC_RELEASE);
	for (i = 0; i < cells_count(); i++) {
		c = cell_get(i);
		held = held_as(c, spin_self());
		none = 0;
		if (!held)
			continue;
		if ((!v || v->cell != c) &&
		    __atomic_compare_exchange_n(&c->lost_holder, &none, self + 1, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			c->lost_locks = held;
			__atomic_fetch_or(&c->lost, CELL_LOST_OUTSIDE, __ATOMIC_RELEASE);
		}
		mark_held(c);
	}
}

/* "its lock and its vGIC's": the locks of @held (CELL_LOCK_*), for a message. */
static const char *held_names(unsigned int held)
{
	switch (held) {
	case CELL_LOCK_CELL:
		return "its lock";
	case CELL_LOCK_VGIC:
		return "its vGIC's lock";
	case CELL_LOCK_VUART:
		return "its virtual UART's lock";
	case CELL_LOCK_CELL | CELL_LOCK_VGIC:
		return "its and its vGIC's locks";
	case CELL_LOCK_CELL | CELL_LOCK_VUART:
		return "its and its virtual UART's locks";
	case CELL_LOCK_VGIC | CELL_LOCK_VUART:
		return "its vGIC's and virtual UART's locks";
	default:
		return "its, its vGIC's and its virtual UART's locks";
	}
}

/* A cell whose locks this CPU, outside it, holds (cell_locks_lost()), or NULL. */
static struct cell *held_cell(unsigned int self, unsigned int *from)
{
	for (; *from < cells_count(); (*from)++)
		if (__atomic_load_n(&cell_get(*from)->lost_holder, __ATOMIC_RELAXED) == self + 1)
			return cell_get((*from)++);
	return NULL;
}

/*
 * Before this CPU's own cell is stopped, where it may wait for good on a
 * lock it holds: every cell whose locks it holds from outside is told
 * failed, its vCPUs turned off and kicked out of the guest, needing no
 * lock. A cell under on-fault halt-system halts the system, as for its own
 * lost CPU.
 */
static void held_cells_out(unsigned int self)
{
	unsigned int from = 0;
	struct cell *c;

	while ((c = held_cell(self, &from))) {
		log_err("cell %s: CPU %u was lost at EL2 holding %s: the cell is failed, its vCPUs "
			"turned off; it takes no start, restart or stop until the system restarts",
			c->cfg->label, self, held_names(c->lost_locks));
		if (c->cfg->on_fault == LAYOUT_ON_FAULT_HALT_SYSTEM)
			fault_apply_policy(c, cell_lost_why); /* halts: does not return */
		for (unsigned int i = 0; i < c->nr_vcpus; i++)
			__atomic_store_n(&c->vcpus[i].power, VCPU_OFF, __ATOMIC_RELEASE);
		(void)cell_kick_vcpus(c);
	}
}

/* The vCPU @v of this CPU is lost: its cell stopped and failed. */
static void lose_vcpu(struct vcpu *v)
{
	unsigned int self = arch_cpu_index();
	struct cell *cell = v->cell;
	uint32_t bit = 1u << v->index;
	bool halt = cell->cfg->on_fault == LAYOUT_ON_FAULT_HALT_SYSTEM;

	/* A fault on the way comes back here: the second time, the CPU just parks. */
	if (__atomic_fetch_or(&cell->lost_stopping, bit, __ATOMIC_RELAXED) & bit)
		return;
	/* Set as its report began (cell_locks_lost()), unless lost with no fault (cell_loop.c). */
	__atomic_fetch_or(&cell->lost, bit, __ATOMIC_ACQ_REL);
	/* Never in the guest again: a stop does not wait for it, nor a start (start_deferred()). */
	__atomic_store_n(&v->power, VCPU_OFF, __ATOMIC_RELEASE);
	__atomic_store_n(&v->in_guest, false, __ATOMIC_RELEASE);
	log_err("cell %s: vcpu%u lost with CPU %u: %s", cell->cfg->label, v->index, self,
		halt ? "the cell cannot run without it; on-fault halt-system"
		     : "the cell is stopped and failed; it takes no start, restart or stop until "
		       "the system restarts");
	/*
	 * Before any stop: the stop may wait for a lock this CPU held when it
	 * faulted, for ever, where the halt takes no cell's lock (halt.c).
	 */
	if (halt) {
		fault_apply_policy(cell, cell_lost_why); /* halts: does not return */
		return;
	}
	/*
	 * A lock this CPU held when it faulted is held for ever: waiting for it
	 * parks the CPU (spin_lock()'s BRK, exception.c), and the cell is failed already. The
	 * reason is static (struct cell's stop_why): this CPU's stack is in no
	 * other CPU's map.
	 */
	stop_lost(cell);
}

__cold void cell_cpu_lost(void)
{
	unsigned int self = arch_cpu_index(), from = 0;
	struct vcpu *v = vcpu_of_pcpu(self);
	struct cell *c;

	/*
	 * Before anything waits: the lock of a device tree build it panicked
	 * in would stop every later reload, of any cell, on its CPU for good.
	 */
	guest_dt_cpu_lost();
	held_cells_out(self);
	/* Without a vCPU, no private stack to stop them from: failed, their vCPUs out. */
	if (!v)
		return;
	lose_vcpu(v);
	/* Then each is stopped from here, as far as the locks this CPU holds let it. */
	while ((c = held_cell(self, &from)))
		stop_lost(c);
}

/*
 * A failed cell may be left with its devices' DMA running: one failed from
 * outside by a CPU that runs no vCPU (cell_cpu_lost(): no private stack to
 * run its stop from), or by one that does, whose stop of it parks on the
 * cell's lock it held before the quiesce (stop_lost()). Its devices then wrote on into
 * its memory, and each translation fault of theirs reached CPU 0 as an SMMU
 * event, which no policy acts on for a failed cell: a storm of them held
 * CPU 0's console and every cell's DMA faults behind it. So the first of
 * its CPUs back in its loop (its vCPU turned off and kicked out of the
 * guest by the loss) aborts its SMMU streams, which ends both: the SMMU
 * terminates their transactions without recording an event. Once, claimed
 * with an atomic exchange: two of its CPUs never both do it. None of the
 * cell's locks is taken, and the SMMU command queue's is given up on if a
 * lost CPU holds it (smmu_cell_abort()). A stop of the cell under way
 * elsewhere aborts them too, and a start gives a failed cell none back,
 * nor leaves them translating if it failed as they were given back (cell.c,
 * give_dma_back()): this abort reads the mark before its SMMU commands.
 * Functions keep Bus Master on: their config space is the stop's, which may
 * be resetting them meanwhile. Until 2026-11-25 nothing was quiesced.
 */
void cell_failed_dma_stop(struct vcpu *v)
{
	struct cell *cell = v->cell;

	if (!__atomic_load_n(&cell->lost, __ATOMIC_ACQUIRE) ||
	    __atomic_exchange_n(&cell->failed_dma_stop, true, __ATOMIC_ACQ_REL))
		return;
	if (!layout_cell_has_streams(cell->cfg) || !smmu_enabled())
		return;
	if (smmu_cell_abort(cell))
		return; /* said, with what the SMMU may still let through */
	log_info("cell %s: failed: its devices' DMA stopped by CPU %u (its SMMU streams abort)",
		 cell->cfg->label, v->pcpu);
}

/* A lock of a cell this CPU holds and marked (cell_locks_lost()). */
static bool marks_held(void)
{
	uintptr_t marked = spin_self() | SPIN_HOLDER_LOST;

	for (unsigned int i = 0; i < cells_count(); i++)
		if (held_as(cell_get(i), marked))
			return true;
	return false;
}

/*
 * This CPU was lost already: its own cell's stop taken up, or a cell's lock
 * it held from outside, or one it marked: of two CPUs lost holding locks of
 * one cell, only the first is its lost_holder. Not just its cell's lost
 * bit, set as its report began: a wait there still has the cell to stop.
 */
static bool cpu_lost(unsigned int self)
{
	const struct vcpu *v = vcpu_of_pcpu(self);
	unsigned int from = 0;

	if (v && (__atomic_load_n(&v->cell->lost_stopping, __ATOMIC_RELAXED) & (1u << v->index)))
		return true;
	return held_cell(self, &from) != NULL || marks_held();
}

/*
 * Marked first, whether lost already or not: a lock taken since its last
 * marks (its cell's stop's, on its lost path) is held for good too, and the
 * log may wait for the console.
 */
__cold bool cell_cpu_waits_lost(void)
{
	unsigned int self = arch_cpu_index();
	bool lost = cpu_lost(self);

	cell_locks_lost();
	if (lost)
		return false;
	log_err("CPU %u waits for a lock whose holder was lost at EL2: it is lost too", self);
	return true;
}

/* One bit a cell: the first give-up is said, the others would say the same. */
static uint32_t lock_lost_told;

void cell_lock_lost_say(const struct cell *cell, const char *what, const char *undone)
{
	uint32_t bit = 1u << (cell->id % 32), lost;
	unsigned int vcpu;
	char who[112];

	if (__atomic_fetch_or(&lock_lost_told, bit, __ATOMIC_RELAXED) & bit)
		return;
	/* After the mark given up on: what its CPU set before it (mark_held()). */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	lost = __atomic_load_n(&cell->lost, __ATOMIC_RELAXED) & ~CELL_LOST_OUTSIDE;
	/* A CPU lost holding its locks from outside is the one to name: it holds them for good. */
	if (__atomic_load_n(&cell->lost_holder, __ATOMIC_RELAXED)) {
		snprintf(who, sizeof(who),
			 ", and CPU %u, outside the cell, was lost at EL2 holding %s",
			 cell->lost_holder - 1, held_names(cell->lost_locks));
	} else if (lost) {
		vcpu = (unsigned int)__builtin_ctz(lost);
		snprintf(who, sizeof(who),
			 ", and the cell lost CPU %u (vcpu%u) at EL2, which may hold it for good",
			 cell->vcpus[vcpu].pcpu, vcpu);
	} else { /* a holder parked unmarked (spin_lock_unless_lost()): no vCPU to name */
		snprintf(who, sizeof(who), " by a CPU parked at EL2");
	}
	log_warn("cell %s: %s is held%s: not waited for, on CPU %u; %s (further give-ups not "
		 "logged)",
		 cell->cfg->label, what, who, arch_cpu_index(), undone);
}
