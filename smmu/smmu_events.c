// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMUv3 faults: the event queue drained, its records reported against the
 * cell that owns the stream (smmu/smmu_event_report.c) and its fault policy
 * applied, and the SMMU's interrupts that bring them (global errors:
 * smmu/smmu_gerror.c). The queues and tables are set up by smmu/smmuv3.c.
 */
#include <string.h>
#include "cell.h"
#include "fault.h"
#include "gic.h"
#include "log.h"
#include "smmu.h"
#include "smmu_priv.h"
#include "sysreg.h"

uint64_t smmu_evtq[(1u << EVTQ_LOG2_MAX) * EVT_DWORDS] __attribute__((aligned(4096)));

/*
 * Drain the event queue, then apply each faulting cell's policy once: a
 * policy may restart a cell of this CPU and not return, so it comes last.
 * @fault_boot[id]: the boot of cell id whose DMA faulted, read as the record
 * is reported, under evt_lock (a reload waits for it, smmu_cell_resume(),
 * so no boot begins meanwhile); 0: none (a boot that ran is #1 or later).
 */
static void run_flush(struct event_run *run, uint64_t *fault_boot)
{
	struct cell *cell;

	if (!run->count)
		return;
	cell = smmu_event_report(run);
	if (cell && cell->id < LAYOUT_MAX_CELLS)
		fault_boot[cell->id] = __atomic_load_n(&cell->boots, __ATOMIC_RELAXED);
	run->count = 0;
}

/*
 * One pass: the records PROD says are there, consumed and CONS written back.
 * False if there were none. Under evt_lock.
 */
static bool evtq_pass(struct event_run *run, uint64_t *fault_boot)
{
	uint32_t prod = rd32(SMMU_EVENTQ_PROD), cons = rd32(SMMU_EVENTQ_CONS), was = cons;
	uint32_t mask = (2u << smmu.evtq_log2) - 1;

	if ((prod ^ cons) & Q_OVFLG) {
		if (smmu.overflows++ < 4)
			log_warn("SMMU: event queue overflowed: events were lost");
		cons = (cons & ~Q_OVFLG) | (prod & Q_OVFLG);
	}
	if ((cons & mask) == (prod & mask)) {
		if (cons != was)
			wr32(SMMU_EVENTQ_CONS, cons); /* the overflow acknowledged */
		return false;
	}
	/* Read the records only after PROD says they are there. */
	dsb(ld);
	while ((cons & mask) != (prod & mask)) {
		const uint64_t *e = &smmu_evtq[q_idx(cons, smmu.evtq_log2) * EVT_DWORDS];

		if (!smmu_event_same_run(run, e)) {
			run_flush(run, fault_boot);
			memcpy(run->first, e, sizeof(run->first));
		}
		run->count++;
		cons = (cons & Q_OVFLG) | q_inc(cons & mask, smmu.evtq_log2);
	}
	/* Records consumed before the slot is given back to the SMMU. */
	dsb(ish);
	wr32(SMMU_EVENTQ_CONS, cons);
	return true;
}

/*
 * The SMMU signals the event queue when it goes from empty to non-empty
 * (Linux's driver drains until empty for the same reason): a record written
 * during a pass brings no interrupt of its own, so PROD is read again until
 * a pass finds nothing. A device that keeps faulting faster than the passes
 * drain would hold this CPU: after EVTQ_PASSES the rest is dropped (counted,
 * logged once), each dropped record still its cell's fault, its policy
 * applied (unread_faults_counted()). A record written between the read of
 * PROD and the write of CONS keeps the queue non-empty, and no interrupt
 * would ever come again (every later DMA fault unreported): then the
 * interrupt is set pending at the GIC, and the next drain starts once this
 * CPU has run its guest.
 */
#define EVTQ_PASSES 4

/*
 * The records a drop gives back unread, from @cons to @prod: each the DMA
 * fault of the cell whose stream it is, counted and its policy applied with
 * the reported ones' (@fault_boot), no line; a run of one stream, type and
 * page once, as it is reported. Until 2026-11-25 they went unattributed: a
 * cell whose device faulted during another cell's flood had its fault
 * neither counted nor its on-fault policy applied, its DMA blocked all the
 * same. At most a queue's worth (128 records on QEMU), under evt_lock.
 */
static void unread_faults_counted(uint32_t cons, uint32_t prod, uint64_t *fault_boot)
{
	uint32_t mask = (2u << smmu.evtq_log2) - 1;
	struct event_run run = { .count = 0 };
	struct cell *cell;

	dsb(ld); /* the records only after PROD says they are there */
	for (cons &= mask; cons != (prod & mask); cons = q_inc(cons, smmu.evtq_log2)) {
		const uint64_t *e = &smmu_evtq[q_idx(cons, smmu.evtq_log2) * EVT_DWORDS];

		if (smmu_event_same_run(&run, e))
			continue;
		memcpy(run.first, e, sizeof(run.first));
		run.count = 1;
		cell = smmu_event_fault_owner(e);
		if (!cell)
			continue;
		fault_smmu_unread(cell);
		fault_boot[cell->id] = __atomic_load_n(&cell->boots, __ATOMIC_RELAXED);
	}
}

static void evtq_drop_rest(uint64_t *fault_boot)
{
	uint32_t prod = rd32(SMMU_EVENTQ_PROD), cons = rd32(SMMU_EVENTQ_CONS);
	uint32_t mask = (2u << smmu.evtq_log2) - 1;
	uint32_t n = ((prod & mask) - (cons & mask)) & mask;

	if (!n)
		return;
	if (smmu.dropped_events == 0)
		log_warn("SMMU: events arrive faster than they are drained: %u dropped (further "
			 "drops only counted)",
			 n);
	smmu.dropped_events += n;
	unread_faults_counted(cons, prod, fault_boot);
	dsb(ish); /* read before the slots are given back to the SMMU */
	wr32(SMMU_EVENTQ_CONS, (prod & mask) | (cons & Q_OVFLG));
	if ((rd32(SMMU_EVENTQ_PROD) & mask) != (prod & mask))
		gic_irq_set_pending(smmu.eventq_irq);
}

/*
 * The queue's lock: taken by the CPU the event interrupt is routed to and by
 * a cell's CPU as it reloads (smmu_cell_resume()). A CPU lost draining holds
 * it for ever, and is not waited for (include/owned_lock.h): told once; the
 * records stay in the queue, reported no more.
 */
static bool evt_lock_take(void)
{
	if (owned_lock_take(&smmu.evt_lock))
		return true;
	if (!__atomic_exchange_n(&smmu.evt_lock_lost_told, true, __ATOMIC_RELAXED))
		log_err("SMMU: the event queue's lock is held by CPU %d, lost while draining it: "
			"DMA faults are no longer reported",
			owned_lock_holder(&smmu.evt_lock));
	return false;
}

/* Not inlined: smmu_irq() runs on every physical IRQ and must stay a few instructions. */
__attribute__((noinline)) void smmu_events_drain(void)
{
	uint64_t fault_boot[LAYOUT_MAX_CELLS] = { 0 };
	struct event_run run = { .count = 0 };
	unsigned int i, pass = 0;

	if (!evt_lock_take())
		return;
	while (pass < EVTQ_PASSES && evtq_pass(&run, fault_boot))
		pass++;
	if (pass == EVTQ_PASSES)
		evtq_drop_rest(fault_boot);
	/*
	 * The last run under the lock too: two CPUs may drain at once, and
	 * every run's report shares the per-stream counts (unowned_count[]).
	 */
	run_flush(&run, fault_boot);
	owned_lock_release(&smmu.evt_lock);
	/* Outside the lock: the cell may have started its next boot since, which made no DMA. */
	for (i = 0; i < LAYOUT_MAX_CELLS; i++)
		if (fault_boot[i] && cell_get(i))
			fault_policy_async(cell_get(i), "DMA fault", fault_boot[i]);
}

bool smmu_irq(uint32_t iar, uint32_t intid)
{
	if (!smmu.on || !intid || (intid != smmu.eventq_irq && intid != smmu.gerror_irq))
		return false;
	/* EOI first: a fault policy may restart this CPU's cell and not return. */
	gic_eoi(iar);
	if (intid == smmu.gerror_irq)
		smmu_gerror_handle();
	if (intid == smmu.eventq_irq)
		smmu_events_drain();
	return true;
}
