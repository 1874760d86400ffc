// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SMMUv3 driver's event queue (smmu/smmu_events.c), against the SMMU
 * model (smmu_model.h): whose fault each record is, what is told and what
 * only counted, streams no cell owns silenced, and a queue that fills as
 * fast as it is drained.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_cpus.h"
#include "fake_log.h"
#include "smmu.h"
#include "smmu_fixture.h"

static uint32_t two_unowned_streams(unsigned int i)
{
	return 0x19 + (i & 1);
}

static uint32_t stream_0x18(unsigned int i)
{
	(void)i;
	return 0x18;
}

static uint32_t stream_0x1b(unsigned int i)
{
	(void)i;
	return 0x1b;
}

static uint32_t stream_0x28(unsigned int i)
{
	(void)i;
	return 0x28;
}

/* --- events ------------------------------------------------------------------ */

static void test_a_queue_of_unowned_stream_events_logs_a_few_lines_then_counts(void **state)
{
	unsigned int told = 0;
	const char *p;

	(void)state;
	smmu_up();
	/* One interrupt, 127 records of two streams no cell owns, alternating: 127 reports. */
	events(127, EVT_C_BAD_STE, two_unowned_streams);
	if (fake_log_count(LOG_WARN) > 12)
		fail_msg("127 events of unowned streams logged %d lines:\n%s",
			 fake_log_count(LOG_WARN), fake_log_text());
	assert_logged("W: SMMU: C_BAD_STE for stream 0x19 (stream owned by no cell: aborted)");
	/* The first 8 told, each its own line, and not one more or fewer. */
	for (p = fake_log_text(); (p = strstr(p, "W: SMMU: C_BAD_STE for stream")); p++)
		told++;
	assert_int_equal(told, 8);
	assert_logged("W: SMMU: 64 events of streams no cell owns so far (reports after the "
		      "first 8 are only counted)");

	/* Stream 0x19's 64th record: its master keeps going (unowned_stream_counted()). */
	assert_logged("W: SMMU: stream 0x19, owned by no cell, had 64 transactions aborted");

	/* The next interrupt's 127 more: the count, once it reaches 128, and 0x1a's turn. */
	fake_log_reset();
	events(127, EVT_C_BAD_STE, two_unowned_streams);
	assert_int_equal(fake_log_count(LOG_WARN), 2);
	assert_logged("W: SMMU: 128 events of streams no cell owns so far");
	assert_logged("W: SMMU: stream 0x1a, owned by no cell, had 64 transactions aborted");
}

/*
 * A master nobody assigned that keeps going (firmware left it running):
 * after 64 records its STE becomes V = 1, Config = abort, which aborts
 * without records, and the SMMU is told (CFGI_STE, SYNC). Before, every
 * transaction was a record and the boot CPU drained them for ever. A few
 * records, as a master that tried once, leave the STE invalid (reported).
 */
static void test_an_unowned_stream_that_keeps_faulting_is_silenced(void **state)
{
	(void)state;
	smmu_up();
	events(63, EVT_C_BAD_STE, stream_0x1b);
	assert_int_equal(ste_at(0x1b)[0], 0);
	assert_int_equal(nr_cmds, 0);
	events(1, EVT_C_BAD_STE, stream_0x1b);
	assert_int_equal(ste_at(0x1b)[0], STE0_ABORTS);
	assert_int_equal(nr_cmds, 2);
	assert_int_equal(cmds[0].w0, CMD_CFGI_STE | (0x1bULL << CMD0_SID_SHIFT));
	assert_int_equal(cmds[1].w0 & 0xff, CMD_SYNC);
	assert_logged(
		"W: SMMU: stream 0x1b, owned by no cell, had 64 transactions aborted: a "
		"master nobody assigned is still running; its DMA now aborts without records");
	/* Another stream's STEs are untouched, and an owned stream is never silenced. */
	assert_int_equal(ste_at(0x1c)[0], 0);
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	assert_int_equal(smmu_stream_silence(0x18), -EINVAL);
}

/* Records the SMMU writes while the driver drains, from the log hook (under the drain). */
static unsigned int late_records;

static void smmu_writes_late_records(const char *line)
{
	uint32_t prod = REG(SMMU_EVENTQ_PROD);

	(void)line;
	for (; late_records; late_records--) {
		uint64_t *e = &smmu_evtq[q_idx(prod, smmu.evtq_log2) * EVT_DWORDS];

		memset(e, 0, EVT_DWORDS * 8);
		e[0] = EVT_C_BAD_STE | (uint64_t)(0x1b + (late_records & 1)) << EVT0_SID_SHIFT;
		prod = q_inc(prod, smmu.evtq_log2);
	}
	model_write(SMMU_EVENTQ_PROD, prod);
}

static void test_records_written_during_a_drain_are_drained_before_it_returns(void **state)
{
	(void)state;
	smmu_up();
	/*
	 * The SMMU interrupts when the queue goes from empty to non-empty: records it
	 * adds while the driver drains bring no interrupt, so the driver must find them.
	 */
	late_records = 2;
	fake_log_set_hook(smmu_writes_late_records);
	events(2, EVT_C_BAD_STE, two_unowned_streams); /* asserts CONS == PROD after */
	fake_log_set_hook(NULL);
	assert_logged("W: SMMU: C_BAD_STE for stream 0x1b (");
	assert_logged("W: SMMU: C_BAD_STE for stream 0x1c (");
}

/*
 * A device of cell 0 (stream 0x18) that faults without pause: another record,
 * on a page of its own, whenever the queue has room as the SMMU sees it (PROD
 * against the CONS the driver last wrote).
 */
static void device_faults_again(void)
{
	uint32_t prod = REG(SMMU_EVENTQ_PROD), cons = REG(SMMU_EVENTQ_CONS);
	uint32_t size = 1u << smmu.evtq_log2, mask = (2u << smmu.evtq_log2) - 1;
	static uint64_t page;
	uint64_t *e;

	if ((((prod & mask) - (cons & mask)) & mask) >= size)
		return;
	e = &smmu_evtq[q_idx(prod, smmu.evtq_log2) * EVT_DWORDS];
	memset(e, 0, EVT_DWORDS * 8);
	e[0] = EVT_F_TRANSLATION | (uint64_t)0x18 << EVT0_SID_SHIFT;
	e[2] = 0x50000000 + 0x1000 * page++;
	model_write(SMMU_EVENTQ_PROD, (prod & Q_OVFLG) | q_inc(prod & mask, smmu.evtq_log2));
}

/* Cell 0's device faults again at every report (and at each log line @hook sees): one interrupt. */
static void drain_a_device_that_never_stops(void (*hook)(const char *line))
{
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	fake_log_reset();
	while_reporting = device_faults_again;
	fake_log_set_hook(hook);
	put_records(2, EVT_F_TRANSLATION, stream_0x18);
	assert_true(smmu_irq(EVENTQ_INTID, EVENTQ_INTID)); /* it returns */
	fake_log_set_hook(NULL);
	while_reporting = NULL;
}

static void test_a_queue_that_never_drains_is_emptied_and_counted_not_chased(void **state)
{
	(void)state;
	drain_a_device_that_never_stops(NULL);
	assert_logged("W: SMMU: events arrive faster than they are drained: ");
	assert_true(smmu.dropped_events > 0);
	/*
	 * Left empty, so that the next record interrupts again, but for the one the
	 * device wrote as the last run was reported, after the drain (and it did interrupt).
	 */
	assert_int_equal(REG(SMMU_EVENTQ_PROD) - REG(SMMU_EVENTQ_CONS), 1);
	assert_int_equal(set_pending, 0);
	/* Four passes, the first of 2 records, each later one of what the one before brought. */
	if (smmu_faults[0] < 2 || smmu_faults[0] > 4 * (1 << smmu.evtq_log2))
		fail_msg("%d faults reported", smmu_faults[0]);
}

/* The device writes a record while the drop is logged, between the drop's PROD read and CONS write.
 */
static void device_faults_while_dropping(const char *line)
{
	if (strstr(line, "events arrive faster than they are drained"))
		device_faults_again();
}

/*
 * The SMMU interrupts when its event queue goes from empty to non-empty. A
 * record that arrived during the drop left it non-empty: the drain sets its
 * interrupt pending, or no DMA fault of any cell would be reported again.
 */
static void test_a_record_written_during_the_drop_interrupts_again(void **state)
{
	(void)state;
	drain_a_device_that_never_stops(device_faults_while_dropping);
	assert_true(smmu.dropped_events > 0);
	assert_int_equal(REG(SMMU_EVENTQ_PROD) - REG(SMMU_EVENTQ_CONS), 2);
	assert_int_equal(set_pending, EVENTQ_INTID);
}

/* CONS as the driver last wrote it, and how many passes it has ended so far (a write each). */
static uint32_t cons_seen, passes_ended;
static bool beta_faulted;

/*
 * alpha's device faults again at every report; beta's once, as the drain's
 * last pass (the 4th, EVTQ_PASSES) reports alpha's records: after that
 * pass read PROD, so beta's record is among those the drain drops unread.
 */
static void beta_faults_in_the_last_pass(void)
{
	if (REG(SMMU_EVENTQ_CONS) != cons_seen) {
		cons_seen = REG(SMMU_EVENTQ_CONS);
		passes_ended++;
	}
	device_faults_again();
	if (passes_ended == 3 && !beta_faulted) {
		beta_faulted = true;
		put_records(1, EVT_F_TRANSLATION, stream_0x28);
		device_faults_again();
	}
}

/*
 * alpha's device floods the event queue; beta's makes one DMA fault while
 * the drain is behind. The records left after the drain's passes are
 * dropped unread, but each is still its cell's fault: beta's is counted
 * and its on-fault policy applied, for the boot that faulted, without a
 * line. Until 2026-11-25 a record dropped was nobody's: beta's DMA was
 * blocked, its fault not counted, its policy never run (the interference
 * audit's finding 5).
 */
static void test_a_cells_dma_fault_dropped_in_anothers_flood_is_still_its_fault(void **state)
{
	(void)state;
	two_cells_with_streams();
	cells[1].boots = 7;
	cons_seen = REG(SMMU_EVENTQ_CONS);
	passes_ended = 0;
	beta_faulted = false;
	while_reporting = beta_faults_in_the_last_pass;
	put_records(2, EVT_F_TRANSLATION, stream_0x18);
	assert_true(smmu_irq(EVENTQ_INTID, EVENTQ_INTID));
	while_reporting = NULL;
	assert_true(beta_faulted);
	assert_true(smmu.dropped_events > 0);
	assert_int_equal(smmu_faults[1], 0); /* dropped, not reported */
	if (unread_faults[1] != 1 || policies[1] != 1 || policy_boots[1] != 7)
		fail_msg("beta's DMA fault, dropped in alpha's flood: counted %d time(s), its "
			 "policy applied %d time(s) (for boot #%lu)",
			 unread_faults[1], policies[1], (unsigned long)policy_boots[1]);
	/* alpha's dropped records are its own, counted; its policy applied once. */
	assert_true(unread_faults[0] > 0);
	assert_int_equal(policies[0], 1);
	assert_not_logged("beta");
}

/*
 * The SMMU toggles PROD.OVFLG when the queue was full and records were lost
 * (IHI 0070 §3.5.3): told, and acknowledged by CONS.OVACKFLG = PROD.OVFLG,
 * and the records there are drained as ever.
 */
static void test_an_event_queue_overflow_is_told_and_acknowledged(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	fake_log_reset();
	put_records(2, EVT_F_TRANSLATION, stream_0x18);
	model_write(SMMU_EVENTQ_PROD, REG(SMMU_EVENTQ_PROD) ^ Q_OVFLG);
	assert_true(smmu_irq(EVENTQ_INTID, EVENTQ_INTID));
	assert_logged("W: SMMU: event queue overflowed: events were lost");
	if ((REG(SMMU_EVENTQ_CONS) ^ REG(SMMU_EVENTQ_PROD)) & Q_OVFLG)
		fail_msg("the overflow is not acknowledged: PROD 0x%x, CONS 0x%x",
			 REG(SMMU_EVENTQ_PROD), REG(SMMU_EVENTQ_CONS));
	assert_int_equal(REG(SMMU_EVENTQ_PROD), REG(SMMU_EVENTQ_CONS));
	assert_int_equal(smmu_faults[0], 2);
}

static void test_owned_stream_events_are_the_cells_faults_not_unowned_lines(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	fake_log_reset();
	/* Each record on a page of its own: 100 reports, each the cell's fault. */
	events(100, EVT_F_TRANSLATION, stream_0x18);
	assert_int_equal(smmu_faults[0], 100);
	assert_int_equal(fake_log_count(LOG_WARN), 0);
}

/*
 * C_BAD_STE on a stream a cell owns: the SMMU finds the STE the hypervisor
 * wrote illegal. Not the guest's doing, and not a stream no cell owns: an
 * error of the hypervisor's (or the hardware's), told once, with no fault
 * policy applied to the cell at each of its device's attempts.
 */
static void test_bad_ste_on_an_owned_stream_is_the_hypervisors_error_not_the_cells(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	fake_log_reset();
	events(1, EVT_C_BAD_STE, stream_0x18);
	events(1, EVT_C_BAD_STE, stream_0x18);
	if (smmu_faults[0] || policies[0])
		fail_msg("C_BAD_STE on alpha's stream: %d fault(s) of the cell (reason \"%s\"), "
			 "its on-fault policy applied %d time(s)",
			 smmu_faults[0], last_reason, policies[0]);
	assert_not_logged("owned by no cell");
	assert_logged("E: alpha: SMMU: C_BAD_STE for stream 0x18: the SMMU finds the STE the "
		      "hypervisor wrote illegal, so the stream's DMA aborts (a hypervisor or "
		      "hardware error, not the cell's; told once)");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/*
 * The other events an owned stream gets from the hypervisor's structures or
 * the SMMU itself (IHI 0070 §7.3): its STE or a CD or VMS fetched (which
 * no STE of the hypervisor's has), its stage-2 tables walked (the
 * hypervisor's), a TLB or configuration cache conflict. None is the guest's
 * doing: each told once per stream, none the cell's fault. Before, all but
 * C_BAD_STE were, and the cell's on-fault policy restarted an innocent
 * guest at each.
 */
static void test_fetch_walk_and_cache_errors_on_an_owned_stream_are_not_the_cells(void **state)
{
	static const uint32_t types[] = {
		EVT_F_STE_FETCH,    EVT_F_STREAM_DISABLED, EVT_F_CD_FETCH,
		EVT_C_BAD_CD,	    EVT_F_WALK_EABT,	   EVT_F_ACCESS,
		EVT_F_TLB_CONFLICT, EVT_F_CFG_CONFLICT,	   EVT_F_VMS_FETCH,
	};
	unsigned int n = sizeof(types) / sizeof(types[0]);

	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	fake_log_reset();
	for (unsigned int i = 0; i < n; i++) {
		events(1, types[i], stream_0x18);
		events(1, types[i], stream_0x18);
		if (smmu_faults[0] || policies[0])
			fail_msg("event 0x%x on alpha's stream: %d fault(s) of the cell (reason "
				 "\"%s\"), its on-fault policy applied %d time(s)",
				 types[i], smmu_faults[0], last_reason, policies[0]);
	}
	assert_logged("E: alpha: SMMU: F_WALK_EABT for stream 0x18 at 0x4c100000: reading the "
		      "cell's stage-2 tables, the hypervisor's, met an external abort, so that DMA "
		      "aborts (a hypervisor or hardware error, not the cell's; told once)");
	assert_logged("E: alpha: SMMU: F_STE_FETCH for stream 0x18: fetching its STE from the "
		      "hypervisor's stream table aborted, so the stream's DMA aborts");
	assert_logged("E: alpha: SMMU: F_VMS_FETCH for stream 0x18: fetching its VMS aborted, and "
		      "the hypervisor configures none, so the stream's DMA aborts");
	/* Which DMA aborts: the stream's without an address in the record, that one's with. */
	assert_logged(
		"F_STREAM_DISABLED for stream 0x18: the SMMU takes its STE for one with stage "
		"1, which the hypervisor never writes, so the stream's DMA aborts");
	assert_logged("F_CD_FETCH for stream 0x18: fetching a context descriptor aborted, which no "
		      "STE of the hypervisor's has, so the stream's DMA aborts");
	assert_logged(
		"C_BAD_CD for stream 0x18: the SMMU finds a context descriptor illegal, which "
		"no STE of the hypervisor's has, so the stream's DMA aborts");
	assert_logged("F_CFG_CONFLICT for stream 0x18: the SMMU's configuration cache holds "
		      "conflicting entries, so the stream's DMA aborts");
	assert_logged("F_ACCESS for stream 0x18 at 0x4c100000: the cell's stage-2 tables, the "
		      "hypervisor's, have a descriptor with AF = 0, so that DMA aborts");
	assert_logged("F_TLB_CONFLICT for stream 0x18 at 0x4c100000: the SMMU's TLB holds "
		      "conflicting entries, so that DMA aborts");
	assert_not_logged("owned by no cell");
	/* Each kind told once, though it came twice. */
	assert_int_equal(fake_log_count(LOG_ERR), n);
}

/*
 * F_ADDR_SIZE at stage 2 is a descriptor of the hypervisor's tables
 * outputting beyond S2PS; at stage 1 (bypassed: S2 = 0), the device's input
 * address beyond the SMMU's range, the guest's doing like a translation
 * fault.
 */
static void test_an_address_size_fault_is_the_cells_at_stage_1_only(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	fake_log_reset();
	events(1, EVT_F_ADDR_SIZE, stream_0x18);
	assert_int_equal(smmu_faults[0], 1);
	record_w1 = EVT1_S2;
	events(1, EVT_F_ADDR_SIZE, stream_0x18);
	if (smmu_faults[0] != 1)
		fail_msg("a stage-2 F_ADDR_SIZE on alpha's stream counted as its fault (reason "
			 "\"%s\")",
			 last_reason);
	assert_logged("E: alpha: SMMU: F_ADDR_SIZE for stream 0x18 at 0x4c100000: the cell's "
		      "stage-2 tables, the hypervisor's, output an address beyond S2PS");
}

/*
 * A record without an input address (C_BAD_SUBSTREAMID) is reported without
 * one: before, "at 0x0". F_BAD_ATS_TREQ has one, InputAddr[63:12] (IHI 0070
 * §7.3.6: the bits below are other fields), which was dropped.
 */
static void test_an_event_is_reported_with_its_address_only_if_it_has_one(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	fake_log_reset();
	events(1, EVT_C_BAD_SUBSTREAMID, stream_0x18);
	assert_int_equal(smmu_faults[0], 1);
	assert_false(last_has_addr);
	record_w2_low = 0x5; /* Span */
	events(1, EVT_F_BAD_ATS_TREQ, stream_0x18);
	assert_int_equal(smmu_faults[0], 2);
	assert_true(last_has_addr);
	assert_int_equal(last_addr, 0x4c100000);
}

/*
 * E_PAGE_REQUEST (a device's hint of a page it will ask for) and the
 * IMPLEMENTATION DEFINED events 0xe0-0xef are no faults: no DMA aborted.
 * Told, the first few, then counted; never the cell's fault, no on-fault
 * policy. Before, both were an "unknown event" of the cell, and its policy
 * restarted or stopped it.
 */
static void test_page_request_and_impdef_events_are_hints_not_the_cells_faults(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	fake_log_reset();
	record_w2_low = 0x3;
	events(1, EVT_E_PAGE_REQUEST, stream_0x18);
	events(1, 0xe5, stream_0x18);
	events(1, EVT_E_PAGE_REQUEST, stream_0x1b);
	if (smmu_faults[0] || policies[0])
		fail_msg("hints on alpha's stream: %d fault(s) of the cell (reason \"%s\"), its "
			 "on-fault policy applied %d time(s)",
			 smmu_faults[0], last_reason, policies[0]);
	assert_logged("W: alpha: SMMU: E_PAGE_REQUEST for stream 0x18 at 0x4c100000: a hint, not "
		      "a fault (no DMA aborted); 1 record(s), no on-fault policy\n");
	assert_logged("W: alpha: SMMU: IMPLEMENTATION DEFINED event 0xe5 for stream 0x18: a hint, "
		      "not a fault (no DMA aborted); 1 record(s), no on-fault policy\n");
	assert_logged("W: SMMU: E_PAGE_REQUEST for stream 0x1b at 0x4c100000 (owned by no cell): "
		      "a hint, not a fault");
	assert_not_logged("unknown event");
	/* 8 runs are told; the rest counted, told when the count reaches a power of two. */
	fake_log_reset();
	for (unsigned int i = 0; i < 13; i++)
		events(1, 0xe0 + (i & 1), stream_0x18);
	assert_int_equal(fake_log_count(LOG_WARN), 5 + 1);
	assert_logged("W: SMMU: 16 hint events so far (reports after the first 8 are only "
		      "counted)");
	assert_int_equal(policies[0], 0);
}

/* Alpha's restart, on its boot CPU with its interrupts masked: streams abort, reload, resume. */
static void alpha_restarts(void)
{
	cells[0].state = CELL_LOADING;
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	smmu_cell_resume(&cells[0]);
	cells[0].state = CELL_RUNNING;
	cells[0].boots++;
}

/*
 * Records an old boot's device wrote before its stop aborted the stream,
 * drained only once the next boot runs (the event interrupt was masked on
 * the boot CPU meanwhile: a cell there reloads with interrupts masked), were
 * that boot's faults until 2026-11-25: its on-fault policy restarted a guest
 * that made no DMA at all (found by the DMA room's audit). The reload drains
 * them while the cell is LOADING: told as the boot's that ended, no policy.
 */
static void test_records_of_a_previous_boot_are_not_the_next_boots_faults(void **state)
{
	(void)state;
	two_cells_with_streams();
	cells[0].boots = 1;
	/* Boot #1's device faults; the interrupt is pending, not yet taken. */
	put_records(3, EVT_F_TRANSLATION, stream_0x18);
	alpha_restarts();
	/* Boot #2 runs, and the boot CPU takes the interrupt that waited. */
	assert_true(smmu_irq(EVENTQ_INTID, EVENTQ_INTID));
	if (policies[0] || smmu_faults[0])
		fail_msg("boot #2 of alpha got %d on-fault policy application(s), %d live fault "
			 "report(s), for DMA faults of boot #1, whose stream was aborted before "
			 "boot #2 began",
			 policies[0], smmu_faults[0]);
	assert_int_equal(last_boot_faults[0], 3);
	assert_int_equal(REG(SMMU_EVENTQ_CONS), REG(SMMU_EVENTQ_PROD));
}

/*
 * A first load has no boot before it to give records to: its resume leaves
 * the queue to the event interrupt (the streams aborted without records
 * since smmu_assign()).
 */
static void test_a_first_load_leaves_the_event_queue_to_the_interrupt(void **state)
{
	(void)state;
	two_cells_with_streams();
	cells[1].boots = 0;
	put_records(2, EVT_F_TRANSLATION, stream_0x28);
	smmu_cell_resume(&cells[1]);
	assert_int_not_equal(REG(SMMU_EVENTQ_CONS), REG(SMMU_EVENTQ_PROD));
	assert_int_equal(last_boot_faults[1], 0);
}

/*
 * The same records of boot #1 under on-fault halt-system: the boot that
 * ended faulted, and the layout says the system must not run on after its
 * fault. The reload's drain applies the policy for boot #1 (which halts
 * before boot #2 starts: test_fault.c, test_lifecycle_start.c) and says so, not
 * "no on-fault policy". Until 2026-11-25 the reload went on to boot #2.
 */
static void test_a_halt_system_cells_records_drained_as_it_reloads_halt_for_their_boot(void **state)
{
	(void)state;
	two_cells_with_streams();
	cfgs[0].on_fault = LAYOUT_ON_FAULT_HALT_SYSTEM;
	cells[0].boots = 1;
	put_records(3, EVT_F_TRANSLATION, stream_0x18);
	alpha_restarts();
	if (policies[0] != 1 || policy_boots[0] != 1 || last_boot_faults[0])
		fail_msg("alpha's reload drained boot #1's DMA faults: %d policy application(s) "
			 "(for boot #%lu), %d told as no policy's",
			 policies[0], (unsigned long)policy_boots[0], last_boot_faults[0]);
	assert_int_equal(smmu_faults[0], 3); /* told "on-fault halt-system" */
}

/*
 * The reload's drain takes the stop's CMD_SYNC for the point after which
 * the queue holds every record of the boot that ended: IHI 0070 §4.7.3
 * makes a terminated transaction's record visible by the completion of the
 * next CMD_SYNC at the latest, not as the transaction ends (§3.5.3). Boot
 * #1's device faults just before the stop, its records committed but not
 * yet in the queue: the abort's sync publishes them, the reload finds them.
 * A stop that did not wait for its sync would leave them to boot #2.
 */
static void test_records_published_by_the_stops_sync_are_the_last_boots(void **state)
{
	(void)state;
	two_cells_with_streams();
	cells[0].boots = 1;
	commit_records(2, EVT_F_TRANSLATION, stream_0x18);
	alpha_restarts();
	assert_true(smmu_irq(EVENTQ_INTID, EVENTQ_INTID)); /* boot #2 runs, and takes it */
	if (policies[0] || smmu_faults[0] || last_boot_faults[0] != 2)
		fail_msg("boot #1's 2 records, published by the stop's CMD_SYNC: %d told as boot "
			 "#1's, %d as boot #2's faults, %d policy application(s)",
			 last_boot_faults[0], smmu_faults[0], policies[0]);
}

/* beta, meanwhile restarted by its guest on its own CPU (SYSTEM_RESET): boot #2 counted. */
static void beta_restarts_on_its_cpu(const struct cell *cell)
{
	if (cell == &cells[0])
		cells[1].boots++;
}

/*
 * The policies come after the queue's lock is let go, one cell after the
 * other: each names the boot its cell was at as its record was reported,
 * not the one it is at by then, so that fault.c leaves a later boot alone.
 */
static void test_a_dma_faults_policy_names_the_boot_whose_record_was_reported(void **state)
{
	(void)state;
	two_cells_with_streams();
	cells[0].boots = 3;
	cells[1].boots = 1;
	put_records(1, EVT_F_TRANSLATION, stream_0x18);
	put_records(1, EVT_F_TRANSLATION, stream_0x28);
	before_policy = beta_restarts_on_its_cpu;
	assert_true(smmu_irq(EVENTQ_INTID, EVENTQ_INTID));
	assert_int_equal(policies[0], 1);
	assert_int_equal(policies[1], 1);
	assert_int_equal(policy_boots[0], 3);
	if (policy_boots[1] != 1)
		fail_msg("beta's DMA fault of boot #1 had its policy name boot #%lu",
			 (unsigned long)policy_boots[1]);
}

/* The reload's drain is any drain for the other cells: a running one's faults are its own. */
static void test_a_reloads_drain_applies_a_running_cells_policy(void **state)
{
	(void)state;
	two_cells_with_streams();
	cells[0].boots = 1;
	put_records(1, EVT_F_TRANSLATION, stream_0x28);
	alpha_restarts();
	assert_int_equal(smmu_faults[1], 1);
	assert_int_equal(policies[1], 1);
	assert_int_equal(policies[0], 0);
}

/*
 * The event queue's lock is taken by a reloading cell's CPU too, with its
 * interrupts masked: a CPU lost holding it (a fault at EL2 as it drained) is
 * not waited for. The reload goes on, its streams translate, and it is told.
 */
static void test_a_reload_does_not_wait_for_a_cpu_lost_draining_the_event_queue(void **state)
{
	(void)state;
	two_cells_with_streams();
	cells[0].boots = 1;
	put_records(1, EVT_F_TRANSLATION, stream_0x18);
	fake_cpu_takes(1, &smmu.evt_lock);
	fake_parked_cpus = 1u << 1;
	relaxes = 0;
	alpha_restarts();
	assert_true(relaxes < 1000); /* no wait but the commands' */
	assert_int_equal(ste_at(0x18)[0], STE0_S2_TRANS);
	assert_logged("E: SMMU: the event queue's lock is held by CPU 1, lost while draining it: "
		      "DMA faults are no longer reported\n");
	assert_int_equal(last_boot_faults[0] + smmu_faults[0], 0);
}

/* Who held the event queue's lock as a line was logged: its holder's index, -1 if free. */
static int lock_holder_as_logged;

static void note_the_queues_lock(const char *line)
{
	(void)line;
	lock_holder_as_logged = owned_lock_holder(&smmu.evt_lock);
}

/*
 * Two CPUs drain now (the event interrupt's, a reloading cell's): every
 * report, the last run's too, is made under the queue's lock, as the
 * per-stream counts it updates (unowned_count[]) are shared. Until
 * 2026-11-25 the last run was reported after the lock was let go.
 */
static void test_the_last_run_is_reported_under_the_queues_lock(void **state)
{
	(void)state;
	smmu_up();
	lock_holder_as_logged = -2;
	fake_log_set_hook(note_the_queues_lock);
	events(1, EVT_C_BAD_STE, stream_0x1b);
	fake_log_set_hook(NULL);
	assert_logged("W: SMMU: C_BAD_STE for stream 0x1b (");
	assert_int_equal(lock_holder_as_logged, 0);
}

static uint32_t stream_0(unsigned int i)
{
	(void)i;
	return 0;
}

/* A stream id one past a 16-bit stream table: it has no STE slot. */
static uint32_t stream_beyond_the_table(unsigned int i)
{
	(void)i;
	return 0x10000;
}

/* Translation and permission faults carry their exact input address (§7.3.12, §7.3.15). */
static void test_translation_and_permission_faults_are_reported_at_their_address(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	record_w2_low = 0x234;
	events(1, EVT_F_TRANSLATION, stream_0x18);
	assert_true(last_has_addr);
	assert_int_equal(last_addr, 0x4c100234);
	last_has_addr = false;
	events(1, EVT_F_PERMISSION, stream_0x18);
	assert_true(last_has_addr);
	assert_int_equal(last_addr, 0x4c100234);
	assert_int_equal(smmu_faults[0], 2);
}

/* 0xef, the last IMPLEMENTATION DEFINED event, is a hint like 0xe0: no fault, no policy. */
static void test_the_last_impdef_event_is_a_hint_too(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	events(1, EVT_IMPDEF_LAST, stream_0x18);
	assert_int_equal(smmu_faults[0], 0);
	assert_int_equal(policies[0], 0);
	assert_logged("IMPLEMENTATION DEFINED event 0xef for stream 0x18: a hint");
}

/* @n records of stream 0x18, type @type, all at one address: one transfer's accesses. */
static void records_on_one_page(unsigned int n, uint32_t type)
{
	uint32_t prod = REG(SMMU_EVENTQ_PROD);

	for (unsigned int i = 0; i < n; i++) {
		uint64_t *e = &smmu_evtq[q_idx(prod, smmu.evtq_log2) * EVT_DWORDS];

		memset(e, 0, EVT_DWORDS * 8);
		e[0] = type | (uint64_t)0x18 << EVT0_SID_SHIFT;
		e[2] = 0x4c100000 + 4 * i;
		prod = q_inc(prod, smmu.evtq_log2);
	}
	model_write(SMMU_EVENTQ_PROD, prod);
	assert_true(smmu_irq(EVENTQ_INTID, EVENTQ_INTID));
}

/* Records of one stream, type and page in a row are one report, of them all. */
static void test_records_of_one_page_in_a_row_are_one_report(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	records_on_one_page(3, EVT_F_TRANSLATION);
	assert_int_equal(smmu_faults[0], 1);
	assert_string_equal(last_reason,
			    "DMA write outside the cell's stage 2, blocked; 3 record(s)");
}

/* Stream 0 has STE slot 0: its records are its owner's, or counted as no cell's. */
static void test_stream_0_is_its_owners_or_silenced_as_nobodys(void **state)
{
	(void)state;
	smmu_up();
	events(64, EVT_C_BAD_STE, stream_0); /* UNOWNED_SILENCE */
	assert_int_equal(ste_at(0)[0], STE0_ABORTS);
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0, EDU_DEV), 0);
	events(1, EVT_F_TRANSLATION, stream_0);
	assert_int_equal(smmu_faults[0], 1);
}

/* A stream beyond the stream table has no slot: no cell's, reported, nothing read for it. */
static void test_a_record_of_a_stream_beyond_the_table_is_no_cells(void **state)
{
	(void)state;
	smmu_up();
	events(1, EVT_C_BAD_STREAMID, stream_beyond_the_table);
	assert_logged("W: SMMU: C_BAD_STREAMID for stream 0x10000 (no STE");
}

/* An overflow with the queue empty is acknowledged too: CONS.OVACKFLG = PROD.OVFLG. */
static void test_an_overflow_with_no_record_left_is_acknowledged(void **state)
{
	(void)state;
	smmu_up();
	model_write(SMMU_EVENTQ_PROD, REG(SMMU_EVENTQ_PROD) ^ Q_OVFLG);
	assert_true(smmu_irq(EVENTQ_INTID, EVENTQ_INTID));
	assert_logged("W: SMMU: event queue overflowed: events were lost");
	assert_int_equal(REG(SMMU_EVENTQ_CONS), REG(SMMU_EVENTQ_PROD));
}

/* Another device's interrupt is not the SMMU's: left to its owner, no queue drained. */
static void test_an_interrupt_not_the_smmus_is_left_to_its_owner(void **state)
{
	(void)state;
	smmu_up();
	put_records(1, EVT_C_BAD_STE, stream_0x1b);
	assert_false(smmu_irq(48, 48)); /* a PCI INTx, say */
	assert_int_not_equal(REG(SMMU_EVENTQ_CONS), REG(SMMU_EVENTQ_PROD));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SMMU_TEST(test_a_queue_of_unowned_stream_events_logs_a_few_lines_then_counts),
		SMMU_TEST(test_records_written_during_a_drain_are_drained_before_it_returns),
		SMMU_TEST(test_a_queue_that_never_drains_is_emptied_and_counted_not_chased),
		SMMU_TEST(test_a_record_written_during_the_drop_interrupts_again),
		SMMU_TEST(test_a_cells_dma_fault_dropped_in_anothers_flood_is_still_its_fault),
		SMMU_TEST(test_an_unowned_stream_that_keeps_faulting_is_silenced),
		SMMU_TEST(test_an_event_queue_overflow_is_told_and_acknowledged),
		SMMU_TEST(test_owned_stream_events_are_the_cells_faults_not_unowned_lines),
		SMMU_TEST(test_bad_ste_on_an_owned_stream_is_the_hypervisors_error_not_the_cells),
		SMMU_TEST(test_fetch_walk_and_cache_errors_on_an_owned_stream_are_not_the_cells),
		SMMU_TEST(test_an_address_size_fault_is_the_cells_at_stage_1_only),
		SMMU_TEST(test_an_event_is_reported_with_its_address_only_if_it_has_one),
		SMMU_TEST(test_page_request_and_impdef_events_are_hints_not_the_cells_faults),
		SMMU_TEST(test_records_of_a_previous_boot_are_not_the_next_boots_faults),
		SMMU_TEST(test_a_first_load_leaves_the_event_queue_to_the_interrupt),
		SMMU_TEST(
			test_a_halt_system_cells_records_drained_as_it_reloads_halt_for_their_boot),
		SMMU_TEST(test_records_published_by_the_stops_sync_are_the_last_boots),
		SMMU_TEST(test_a_dma_faults_policy_names_the_boot_whose_record_was_reported),
		SMMU_TEST(test_a_reloads_drain_applies_a_running_cells_policy),
		SMMU_TEST(test_a_reload_does_not_wait_for_a_cpu_lost_draining_the_event_queue),
		SMMU_TEST(test_the_last_run_is_reported_under_the_queues_lock),
		SMMU_TEST(test_translation_and_permission_faults_are_reported_at_their_address),
		SMMU_TEST(test_the_last_impdef_event_is_a_hint_too),
		SMMU_TEST(test_records_of_one_page_in_a_row_are_one_report),
		SMMU_TEST(test_stream_0_is_its_owners_or_silenced_as_nobodys),
		SMMU_TEST(test_a_record_of_a_stream_beyond_the_table_is_no_cells),
		SMMU_TEST(test_an_overflow_with_no_record_left_is_acknowledged),
		SMMU_TEST(test_an_interrupt_not_the_smmus_is_left_to_its_owner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
