// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMUv3 faults: the event queue, its records decoded and reported against
 * the cell that owns the stream (its fault policy applies), and the SMMU's
 * interrupts that bring them (global errors: smmu/smmu_gerror.c). The
 * queues and tables are set up by smmu/smmuv3.c.
 */
#include <stdio.h>
#include <string.h>
#include "cell.h"
#include "fault.h"
#include "gic.h"
#include "log.h"
#include "smmu.h"
#include "smmu_priv.h"
#include "sysreg.h"

/*
 * Events of streams no cell owns (a device nobody was given, or firmware's)
 * have no cell whose fault counter and rate limit they could share. One
 * event interrupt can bring a full queue of them, each a line on the shared
 * console: the first few reports are logged, then only the count, each time
 * it reaches a power of two.
 */
#define UNOWNED_LOG_LIMIT 8
/* Hints (E_PAGE_REQUEST, IMPLEMENTATION DEFINED events) logged before they are only counted. */
#define HINT_LOG_LIMIT 8
/* Records of one unowned stream after which its STE aborts without a record. */
#define UNOWNED_SILENCE 64

uint64_t smmu_evtq[(1u << EVTQ_LOG2_MAX) * EVT_DWORDS] __attribute__((aligned(4096)));

/* The name IHI 0070 §7.3 gives event type EVT_<name>: EVT_F_UUT is "F_UUT". */
#define EVT_NAME(name)   \
	case EVT_##name: \
		return #name

static const char *event_name(uint32_t type)
{
	switch (type) {
		EVT_NAME(F_UUT);
		EVT_NAME(C_BAD_STREAMID);
		EVT_NAME(F_STE_FETCH);
		EVT_NAME(C_BAD_STE);
		EVT_NAME(F_BAD_ATS_TREQ);
		EVT_NAME(F_STREAM_DISABLED);
		EVT_NAME(F_TRANSL_FORBIDDEN);
		EVT_NAME(C_BAD_SUBSTREAMID);
		EVT_NAME(F_CD_FETCH);
		EVT_NAME(C_BAD_CD);
		EVT_NAME(F_WALK_EABT);
		EVT_NAME(F_TRANSLATION);
		EVT_NAME(F_ADDR_SIZE);
		EVT_NAME(F_ACCESS);
		EVT_NAME(F_PERMISSION);
		EVT_NAME(F_TLB_CONFLICT);
		EVT_NAME(F_CFG_CONFLICT);
		EVT_NAME(F_VMS_FETCH);
		EVT_NAME(E_PAGE_REQUEST);
	default:
		return "unknown event";
	}
}

/*
 * Does the record carry an input address in word 2 (§7.3)? F_BAD_ATS_TREQ
 * and E_PAGE_REQUEST give its page, InputAddr[63:12] (event_addr()).
 */
static bool event_has_addr(uint32_t type)
{
	return type == EVT_F_UUT || type == EVT_F_TRANSL_FORBIDDEN || type == EVT_F_WALK_EABT ||
	       (type >= EVT_F_TRANSLATION && type <= EVT_F_PERMISSION) ||
	       type == EVT_F_TLB_CONFLICT || type == EVT_F_BAD_ATS_TREQ ||
	       type == EVT_E_PAGE_REQUEST;
}

/* The input address of a record that has one (event_has_addr()), else 0. */
static uint64_t event_addr(const uint64_t *e, uint32_t type)
{
	if (!event_has_addr(type))
		return 0;
	if (type == EVT_F_BAD_ATS_TREQ || type == EVT_E_PAGE_REQUEST)
		return e[2] & EVT2_PAGE_MASK;
	return e[2];
}

/*
 * E_PAGE_REQUEST (a device's speculative hint of a page it will ask for) and
 * the IMPLEMENTATION DEFINED events 0xe0-0xef are no faults (§7.3): no DMA
 * was aborted for them.
 */
static bool event_is_hint(uint32_t type)
{
	return type == EVT_E_PAGE_REQUEST || (type >= EVT_IMPDEF_FIRST && type <= EVT_IMPDEF_LAST);
}

/*
 * A device's transfer that faults is often recorded access by access (QEMU:
 * one record per 4 bytes): records of one stream, type and page in a row are
 * reported as one.
 */
struct event_run {
	uint64_t first[EVT_DWORDS];
	unsigned int count;
};

static void event_reason(const uint64_t *e, uint32_t type, unsigned int count, char *buf,
			 size_t len)
{
	bool write = !(e[1] & EVT1_RNW);

	switch (type) {
	case EVT_F_TRANSLATION:
	case EVT_F_ADDR_SIZE:
	case EVT_F_ACCESS:
	case EVT_F_PERMISSION:
		snprintf(buf, len, "DMA %s outside the cell's stage 2%s, blocked; %u record(s)",
			 write ? "write" : "read", type == EVT_F_PERMISSION ? " permissions" : "",
			 count);
		break;
	case EVT_C_BAD_STE: /* an owned stream's never gets here: hyp_error_of_a_cell() */
		snprintf(buf, len, "stream owned by no cell: aborted");
		break;
	case EVT_C_BAD_STREAMID:
		snprintf(buf, len,
			 "no STE: beyond the stream table or its level-2 tables; aborted");
		break;
	default:
		snprintf(buf, len, "record 0x%lx 0x%lx", (unsigned long)e[0], (unsigned long)e[1]);
		break;
	}
}

/* Is there a power of two in (@before, @after]? */
static bool crossed_power_of_two(uint64_t before, uint64_t after)
{
	return after > before &&
	       (before == 0 || 63 - __builtin_clzll(after) > 63 - __builtin_clzll(before));
}

/*
 * Events a stream a cell owns gets from the hypervisor's own structures or
 * the SMMU itself, never from what its device asked for (IHI 0070 §7.3):
 * the device's DMA aborts, but the guest did nothing wrong and restarting it
 * changes nothing. Its STEs are stage 2 only, so no CD, VMS or stage 1 is
 * ever fetched, nor STE.CONT set; the stage-2 tables are the hypervisor's,
 * every descriptor with AF = 1, every output below the OAS (S2PS clamped to
 * it), all mapped before a stream uses them and never changed after, only
 * revoked whole (made invalid): nothing to conflict. F_ADDR_SIZE at
 * stage 2 only: with stage 1 bypassed, an input address beyond the SMMU's
 * range is reported at stage 1 (S2 = 0), and that one is the device's.
 */
static const struct hyp_event {
	uint32_t type;
	/* What went wrong; the log adds which DMA aborts (hyp_error_of_a_cell()). */
	const char *what;
} hyp_events[] = {
	{ EVT_F_STE_FETCH, "fetching its STE from the hypervisor's stream table aborted" },
	{ EVT_C_BAD_STE, "the SMMU finds the STE the hypervisor wrote illegal" },
	{ EVT_F_STREAM_DISABLED, "the SMMU takes its STE for one with stage 1, which the "
				 "hypervisor never writes" },
	{ EVT_F_CD_FETCH, "fetching a context descriptor aborted, which no STE of the "
			  "hypervisor's has" },
	{ EVT_C_BAD_CD, "the SMMU finds a context descriptor illegal, which no STE of the "
			"hypervisor's has" },
	{ EVT_F_WALK_EABT, "reading the cell's stage-2 tables, the hypervisor's, met an "
			   "external abort" },
	{ EVT_F_ADDR_SIZE, "the cell's stage-2 tables, the hypervisor's, output an address "
			   "beyond S2PS" },
	{ EVT_F_ACCESS, "the cell's stage-2 tables, the hypervisor's, have a descriptor "
			"with AF = 0" },
	{ EVT_F_TLB_CONFLICT, "the SMMU's TLB holds conflicting entries" },
	{ EVT_F_CFG_CONFLICT, "the SMMU's configuration cache holds conflicting entries" },
	{ EVT_F_VMS_FETCH, "fetching its VMS aborted, and the hypervisor configures none" },
};

_Static_assert(sizeof(hyp_events) / sizeof(hyp_events[0]) <= 16,
	       "one bit of smmu.hyp_error_told[] per kind");

/* The hypervisor's or hardware's error record @e is, by its index in hyp_events[], or -1. */
static int hyp_event_of(const uint64_t *e, uint32_t type)
{
	if (type == EVT_F_ADDR_SIZE && !(e[1] & EVT1_S2))
		return -1;
	for (unsigned int i = 0; i < sizeof(hyp_events) / sizeof(hyp_events[0]); i++)
		if (hyp_events[i].type == type)
			return (int)i;
	return -1;
}

/*
 * Told once per stream and kind, at error level, and not counted as @cell's
 * fault. A record with an address (@has_addr) is one transaction's: that DMA
 * aborts; one without is the stream's configuration: all its DMA does.
 */
static void hyp_error_of_a_cell(const struct cell *cell, uint32_t sid, unsigned int slot, int kind,
				uint64_t addr, bool has_addr)
{
	uint16_t bit = (uint16_t)(1u << kind);
	char at[32] = "";

	if (__atomic_fetch_or(&smmu.hyp_error_told[slot], bit, __ATOMIC_RELAXED) & bit)
		return;
	if (has_addr)
		snprintf(at, sizeof(at), " at 0x%lx", (unsigned long)addr);
	log_err("%s: SMMU: %s for stream 0x%x%s: %s, so %s DMA aborts (a hypervisor or hardware "
		"error, not the cell's; told once)",
		cell->cfg->label, event_name(hyp_events[kind].type), sid, at, hyp_events[kind].what,
		has_addr ? "that" : "the stream's");
}

/*
 * @n more records of unowned stream @sid: after UNOWNED_SILENCE its master
 * is not one that tried once, it keeps the boot CPU draining for ever;
 * silenced (smmu_stream_silence()), and told once.
 */
static void unowned_stream_counted(uint32_t sid, unsigned int slot, uint32_t type, uint64_t n)
{
	uint8_t *count = &smmu.unowned_count[slot];
	int ret;

	if (type != EVT_C_BAD_STE || *count >= UNOWNED_SILENCE)
		return;
	*count =
		(uint8_t)(n >= (uint64_t)(UNOWNED_SILENCE - *count) ? UNOWNED_SILENCE : *count + n);
	if (*count < UNOWNED_SILENCE)
		return;
	ret = smmu_stream_silence(sid);
	if (ret)
		log_warn("SMMU: stream 0x%x, owned by no cell, keeps faulting; its STE could not "
			 "be set to abort without records (%d)",
			 sid, ret);
	else
		log_warn("SMMU: stream 0x%x, owned by no cell, had %u transactions aborted: a "
			 "master "
			 "nobody assigned is still running; its DMA now aborts without records",
			 sid, UNOWNED_SILENCE);
}

/*
 * A run of hints (event_is_hint()): told, the first HINT_LOG_LIMIT runs, then
 * counted (told at each power of two); never a cell's fault, no policy.
 */
static void hint_told(const struct event_run *run, const struct cell *cell, uint32_t type,
		      uint32_t sid, const char *at)
{
	uint64_t total = __atomic_add_fetch(&smmu.hint_events, run->count, __ATOMIC_RELAXED);
	unsigned int n = __atomic_add_fetch(&smmu.hint_reports, 1, __ATOMIC_RELAXED);
	char name[40];

	if (n > HINT_LOG_LIMIT) {
		if (crossed_power_of_two(total - run->count, total))
			log_warn("SMMU: %lu hint events so far (reports after the first %u are "
				 "only counted)",
				 (unsigned long)total, HINT_LOG_LIMIT);
		return;
	}
	if (type == EVT_E_PAGE_REQUEST)
		snprintf(name, sizeof(name), "%s", event_name(type));
	else
		snprintf(name, sizeof(name), "IMPLEMENTATION DEFINED event 0x%02x", type);
	log_warn("%s%sSMMU: %s for stream 0x%x%s%s: a hint, not a fault (no DMA aborted); %u "
		 "record(s), no on-fault policy",
		 cell ? cell->cfg->label : "", cell ? ": " : "", name, sid, at,
		 cell ? "" : " (owned by no cell)", run->count);
}

/*
 * Drained as @cell reloads (smmu_cell_resume()): its streams have aborted
 * without records since its stop, so a record is of the boot that ended.
 * Told so, no policy: not the next boot's to suffer. But under on-fault
 * halt-system that boot's fault halts the system, before the next boot
 * starts (fault.c, halt_for_boot()): told and applied as a running cell's.
 * Until 2026-11-25 the reload went on to that boot.
 */
static bool of_last_boot(const struct cell *cell)
{
	return cell->cfg->on_fault != LAYOUT_ON_FAULT_HALT_SYSTEM &&
	       __atomic_load_n(&cell->state, __ATOMIC_ACQUIRE) == CELL_LOADING;
}

/* A run of records: report it against the owner of its stream. Returns the owning cell or NULL. */
static struct cell *event_handle(const struct event_run *run)
{
	const uint64_t *e = run->first;
	uint32_t type = (uint32_t)(e[0] & EVT0_TYPE_MASK);
	uint32_t sid = (uint32_t)(e[0] >> EVT0_SID_SHIFT);
	uint64_t addr = event_addr(e, type);
	int slot = smmu_ste_slot(sid);
	struct cell *cell = NULL;
	uint64_t total;
	unsigned int n;
	int kind;
	char reason[96], at[32] = "";

	event_reason(e, type, run->count, reason, sizeof(reason));
	if (event_has_addr(type))
		snprintf(at, sizeof(at), " at 0x%lx", (unsigned long)addr);
	if (slot >= 0 && smmu_owner[slot] != NO_OWNER)
		cell = cell_get(smmu_owner[slot]);
	if (event_is_hint(type)) {
		hint_told(run, cell, type, sid, at);
		return NULL;
	}
	kind = cell ? hyp_event_of(e, type) : -1;
	if (kind >= 0) {
		hyp_error_of_a_cell(cell, sid, (unsigned int)slot, kind, addr,
				    event_has_addr(type));
		return NULL; /* no fault policy: not the guest's doing */
	}
	if (cell && of_last_boot(cell)) {
		fault_smmu_of_last_boot(cell, event_name(type), sid, addr, event_has_addr(type),
					reason);
		return NULL;
	}
	if (cell) {
		fault_smmu(cell, event_name(type), sid, addr, event_has_addr(type), reason);
		return cell;
	}
	total = __atomic_add_fetch(&smmu.unowned_events, run->count, __ATOMIC_RELAXED);
	n = __atomic_add_fetch(&smmu.unowned_reports, 1, __ATOMIC_RELAXED);
	if (n <= UNOWNED_LOG_LIMIT)
		log_warn("SMMU: %s for stream 0x%x%s (%s)", event_name(type), sid, at, reason);
	else if (crossed_power_of_two(total - run->count, total))
		log_warn("SMMU: %lu events of streams no cell owns so far (reports after the "
			 "first %u are only counted)",
			 (unsigned long)total, UNOWNED_LOG_LIMIT);
	if (slot >= 0)
		unowned_stream_counted(sid, (unsigned int)slot, type, run->count);
	return NULL;
}

/*
 * Drain the event queue, then apply each faulting cell's policy once: a
 * policy may restart a cell of this CPU and not return, so it comes last.
 */
static bool same_run(const struct event_run *run, const uint64_t *e)
{
	uint32_t type = (uint32_t)(e[0] & EVT0_TYPE_MASK);

	return run->count && run->first[0] == e[0] &&
	       (!event_has_addr(type) || (run->first[2] >> 12) == (e[2] >> 12));
}

/*
 * @fault_boot[id]: the boot of cell id whose DMA faulted, read as the record
 * is reported, under evt_lock (a reload waits for it, smmu_cell_resume(),
 * so no boot begins meanwhile); 0: none (a boot that ran is #1 or later).
 */
static void run_flush(struct event_run *run, uint64_t *fault_boot)
{
	struct cell *cell;

	if (!run->count)
		return;
	cell = event_handle(run);
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

		if (!same_run(run, e)) {
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
 * The cell whose DMA fault record @e is, its on-fault policy to apply, or
 * NULL, as event_handle() tells them apart: a stream no cell owns, a hint,
 * the hypervisor's or the hardware's error, a reloading cell's last boot's.
 */
static struct cell *fault_owner(const uint64_t *e)
{
	uint32_t type = (uint32_t)(e[0] & EVT0_TYPE_MASK);
	int slot = smmu_ste_slot((uint32_t)(e[0] >> EVT0_SID_SHIFT));
	struct cell *cell;

	if (slot < 0 || smmu_owner[slot] == NO_OWNER || event_is_hint(type) ||
	    hyp_event_of(e, type) >= 0)
		return NULL;
	cell = cell_get(smmu_owner[slot]);
	return cell && cell->id < LAYOUT_MAX_CELLS && !of_last_boot(cell) ? cell : NULL;
}

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

		if (same_run(&run, e))
			continue;
		memcpy(run.first, e, sizeof(run.first));
		run.count = 1;
		cell = fault_owner(e);
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
