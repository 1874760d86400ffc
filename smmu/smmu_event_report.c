// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMUv3 event records: what each one is (its type, address and reason),
 * whose (the cell that owns its stream, no cell, the hypervisor or the
 * hardware), and its report, told or counted; smmu/smmu_events.c drains the
 * queue and applies the policies.
 */
#include <stdio.h>
#include "cell.h"
#include "fault.h"
#include "log.h"
#include "smmu.h"
#include "smmu_priv.h"

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
struct cell *smmu_event_report(const struct event_run *run)
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

bool smmu_event_same_run(const struct event_run *run, const uint64_t *e)
{
	uint32_t type = (uint32_t)(e[0] & EVT0_TYPE_MASK);

	return run->count && run->first[0] == e[0] &&
	       (!event_has_addr(type) || (run->first[2] >> 12) == (e[2] >> 12));
}

/*
 * The cell whose DMA fault record @e is, its on-fault policy to apply, or
 * NULL, as smmu_event_report() tells them apart: a stream no cell owns, a hint,
 * the hypervisor's or the hardware's error, a reloading cell's last boot's.
 */
struct cell *smmu_event_fault_owner(const uint64_t *e)
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
