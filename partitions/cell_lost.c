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
#include "arch/cpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "fault.h"
#include "guest_dt.h"
#include "log.h"
#include "manage.h"
#include "compiler.h"

/*
 * Under the cell's lock: another CPU carries the cell's stop, restart or
 * reload (struct cell's owner), and ends it STOPPED once it sees the CPU
 * lost (cell.c, stop_instead()). Stopped here too, the cell would be
 * stopped twice, and that CPU's reload refused as a hypervisor bug ("load
 * refused: the cell is stopped, not loading"). Not a request no CPU took
 * yet (its owner-to-be may be this one), nor a start waiting for a vCPU to
 * leave the guest (cell.c, start_deferred()): nobody comes for those.
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

__cold void cell_cpu_lost(void)
{
	unsigned int self = arch_cpu_index();
	struct vcpu *v = vcpu_of_pcpu(self);
	struct cell *cell;
	uint32_t bit;

	/*
	 * Before anything waits: the lock of a device tree build it panicked
	 * in would stop every later reload, of any cell, on its CPU for good.
	 */
	guest_dt_cpu_lost();
	if (!v)
		return;
	cell = v->cell;
	bit = 1u << v->index;
	/* A fault on the way comes back here: the second time, the CPU just parks. */
	if (__atomic_fetch_or(&cell->lost, bit, __ATOMIC_ACQ_REL) & bit)
		return;
	/* Never in the guest again: a stop does not wait for it, nor a start (start_deferred()). */
	__atomic_store_n(&v->power, VCPU_OFF, __ATOMIC_RELEASE);
	__atomic_store_n(&v->in_guest, false, __ATOMIC_RELEASE);
	/*
	 * Before any stop: the stop may wait for a lock this CPU held when it
	 * faulted, for ever, where the halt takes no cell's lock (halt.c).
	 */
	if (cell->cfg->on_fault == LAYOUT_ON_FAULT_HALT_SYSTEM) {
		log_err("cell %s: vcpu%u lost with CPU %u: the cell cannot run without it; "
			"on-fault halt-system",
			cell->cfg->label, v->index, self);
		fault_apply_policy(cell, cell_lost_why); /* halts: does not return */
		return;
	}
	log_err("cell %s: vcpu%u lost with CPU %u: the cell is stopped and failed; it takes no "
		"start, restart or stop until the system restarts",
		cell->cfg->label, v->index, self);
	/*
	 * A lock this CPU held when it faulted is held for ever: waiting for it
	 * here parks the CPU all the same, and the cell is failed already. The
	 * reason is static (struct cell's stop_why): this CPU's stack is in no
	 * other CPU's map.
	 */
	stop_lost(cell);
}

/* One bit a cell: the first give-up is said, the others would say the same. */
static uint32_t lock_lost_told;

void cell_lock_lost_say(const struct cell *cell, const char *what, const char *undone)
{
	uint32_t lost = __atomic_load_n(&cell->lost, __ATOMIC_ACQUIRE);
	uint32_t bit = 1u << (cell->id % 32);
	unsigned int vcpu = lost ? (unsigned int)__builtin_ctz(lost) : 0;

	if (__atomic_fetch_or(&lock_lost_told, bit, __ATOMIC_RELAXED) & bit)
		return;
	log_warn("cell %s: %s is held, and the cell lost CPU %u (vcpu%u) at EL2, which may hold it "
		 "for good: not waited for, on CPU %u; %s (further give-ups not logged)",
		 cell->cfg->label, what, cell->vcpus[vcpu].pcpu, vcpu, arch_cpu_index(), undone);
}
