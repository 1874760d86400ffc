// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SMMUv3 driver (smmu/smmuv3.c, smmu/smmu_events.c) against a model of
 * the SMMU's programming interface: a register file in host memory that
 * arch_cpu_relax() -- which the driver calls while it waits -- brings up to
 * date the way the hardware would: CR0ACK and IRQ_CTRLACK follow CR0 and
 * IRQ_CTRL, GBPA updates complete, and the command queue is consumed up to
 * PROD, each command recorded with the STE it concerns as the SMMU would
 * have read it then. A command the SMMU would find illegal stops the queue
 * as §7.1 says: CONS left at it, CMDQ_CONS.ERR = CERROR_ILL, GERROR.CMDQ_ERR
 * toggled, nothing consumed until GERRORN acknowledges it, then the command
 * at CONS fetched again. Event records are put in the event queue as the
 * SMMU writes them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "fake_cpus.h"
#include "fake_log.h"
#include "fault.h"
#include "gic.h"
#include "mmu.h"
#include "smmu.h"
#include "smmu_priv.h"

#define EDU_DEV	     "pci-devices: 00:03.0" /* what a stream is for, as pci.c names it */
#define EVENTQ_INTID 106
#define GERROR_INTID 107
#define MAX_CMDS     64
#define NR_CELLS     2

static uint32_t regs[0x20000 / 4] __attribute__((aligned(8)));
static uint64_t now;

/* What the model consumed from the command queue, in order. */
static struct {
	uint64_t w0, w1;
	uint64_t ste0;	/* for CMD_CFGI_STE: word 0 of the STE at that moment, NO_STE if none */
	uint64_t l1std; /* ... and, two-level, the L1STD locating it */
} cmds[MAX_CMDS];
static int nr_cmds;
/* CR0ACK when SMMUEN was first acknowledged, and its ATSCHK when CMD_CFGI_ALL was consumed. */
static uint32_t cr0_at_enable, atschk_at_cfgi_all;
/* An opcode the model finds illegal besides those the architecture says (0: none). */
static unsigned int bad_opcode;
static int cmd_errors;	  /* CERROR_ILL raised */
static bool cmdq_stalled; /* the SMMU consumes no command (a slow one, late) */
static bool cr0_stuck;	  /* CR0ACK does not follow CR0 */
static bool gbpa_stuck;	  /* GBPA.UPDATE never clears */
/* GBPA as the SMMU applies it (once UPDATE is seen), and times streams bypassed it. */
static uint32_t gbpa_applied;
static int bypass_windows;

static struct layout_cell cfgs[NR_CELLS];
static struct cell cells[NR_CELLS];
static struct platform plat;
static int smmu_faults[NR_CELLS];
static int policies[NR_CELLS]; /* fault_policy_async() calls */
static char last_reason[128];  /* fault_smmu()'s, last */
static uint64_t last_addr;     /* ... its address, and whether it had one */
static bool last_has_addr;
/* Word 1 of the records put_records() writes (S2, CLASS, RnW): 0 unless a test says. */
static uint64_t record_w1;
/* Bits put_records() sets in word 2 below the page address (F_BAD_ATS_TREQ's Span, ...). */
static uint64_t record_w2_low;

#define REG(off) regs[(off) / 4]

static uint64_t reg64(uint32_t off)
{
	return REG(off) | (uint64_t)REG(off + 4) << 32;
}

#define STRTAB_CFG_FMT_MASK	 (3u << 16)
#define STRTAB_CFG_LOG2SIZE(cfg) ((cfg)&0x3fu)
#define STRTAB_CFG_SPLIT(cfg)	 (((cfg) >> STRTAB_BASE_CFG_SPLIT_SHIFT) & 0x1fu)

static uint64_t *strtab_base(void)
{
	return (uint64_t *)(uintptr_t)(reg64(SMMU_STRTAB_BASE) & STRTAB_BASE_ADDR_MASK);
}

/* The L1STD the SMMU reads for @sid (two-level tables only). */
static uint64_t l1std_of(uint32_t sid)
{
	return strtab_base()[sid >> STRTAB_CFG_SPLIT(REG(SMMU_STRTAB_BASE_CFG))];
}

/*
 * @sid's STE as the SMMU finds it (IHI 0070 §3.3), or NULL where it finds
 * none and raises C_BAD_STREAMID: beyond LOG2SIZE; two-level, an L1STD with
 * Span 0, or an index beyond the 2^(Span - 1) STEs of its level-2 table.
 */
static uint64_t *ste_at(uint32_t sid)
{
	uint32_t cfg = REG(SMMU_STRTAB_BASE_CFG);
	unsigned int split = STRTAB_CFG_SPLIT(cfg), span;
	uint64_t l1;

	if (sid >> STRTAB_CFG_LOG2SIZE(cfg))
		return NULL;
	if ((cfg & STRTAB_CFG_FMT_MASK) != STRTAB_BASE_CFG_FMT_2LVL)
		return strtab_base() + (size_t)sid * STE_DWORDS;
	l1 = l1std_of(sid);
	span = (unsigned int)(l1 & L1STD_SPAN_MASK);
	if (!span || span > split + 1 || (sid & ((1u << split) - 1)) >> (span - 1))
		return NULL;
	return (uint64_t *)(uintptr_t)(l1 & L1STD_L2PTR_MASK) +
	       (size_t)(sid & ((1u << split) - 1)) * STE_DWORDS;
}

#define NO_STE (~0ULL)

/* Word 0 of @sid's STE, NO_STE if the SMMU finds none. */
static uint64_t ste0_of(uint32_t sid)
{
	const uint64_t *ste = ste_at(sid);

	return ste ? ste[0] : NO_STE;
}

/* CERROR_ILL: an opcode of a feature the SMMU lacks (§4.4.2.7: TLBI_EL2_ALL needs HYP), or the
 * test's. */
static bool model_illegal(uint64_t w0)
{
	unsigned int op = (unsigned int)(w0 & 0xff);

	return (bad_opcode && op == bad_opcode) ||
	       (op == CMD_TLBI_EL2_ALL && !(REG(SMMU_IDR0) & IDR0_HYP));
}

/* The SMMU's side: acknowledge, apply GBPA, consume commands. */
static void model_step(void)
{
	uint64_t base = reg64(SMMU_CMDQ_BASE);
	const uint64_t *q = (const uint64_t *)(uintptr_t)(base & Q_BASE_ADDR_MASK);
	unsigned int log2 = (unsigned int)(base & 0x1f);
	uint32_t mask = (2u << log2) - 1;
	uint32_t cons = REG(SMMU_CMDQ_CONS) & mask, prod = REG(SMMU_CMDQ_PROD) & mask;

	uint32_t was_on = REG(SMMU_CR0ACK) & CR0_SMMUEN;

	/* A RES0 bit set in CR0 is never acknowledged: ATSCHK without IDR0.ATS. */
	if (!cr0_stuck)
		REG(SMMU_CR0ACK) = REG(SMMU_CR0) & ~(REG(SMMU_IDR0) & IDR0_ATS ? 0 : CR0_ATSCHK);
	if ((REG(SMMU_CR0ACK) & CR0_SMMUEN) && !(cr0_at_enable & CR0_SMMUEN))
		cr0_at_enable = REG(SMMU_CR0ACK);
	/* SMMUEN off: GBPA, as it was last applied, decides every stream (§6.3.14). */
	if (was_on && !(REG(SMMU_CR0ACK) & CR0_SMMUEN) && !(gbpa_applied & GBPA_ABORT))
		bypass_windows++;
	REG(SMMU_IRQ_CTRLACK) = REG(SMMU_IRQ_CTRL);
	if ((REG(SMMU_GBPA) & GBPA_UPDATE) && !gbpa_stuck) {
		REG(SMMU_GBPA) &= ~GBPA_UPDATE;
		gbpa_applied = REG(SMMU_GBPA);
	}
	/* Nothing is consumed while a command error is active (§7.1). */
	if (!(REG(SMMU_CR0) & CR0_CMDQEN) || cmdq_stalled ||
	    ((REG(SMMU_GERROR) ^ REG(SMMU_GERRORN)) & GERROR_CMDQ_ERR))
		return;
	while (cons != prod) {
		const uint64_t *c = &q[q_idx(cons, log2) * 2];

		if (model_illegal(c[0])) {
			REG(SMMU_CMDQ_CONS) = cons | CERROR_ILL << CMDQ_CONS_ERR_SHIFT;
			REG(SMMU_GERROR) ^= GERROR_CMDQ_ERR;
			cmd_errors++;
			return;
		}
		assert_true(nr_cmds < MAX_CMDS);
		cmds[nr_cmds].w0 = c[0];
		cmds[nr_cmds].w1 = c[1];
		if ((c[0] & 0xff) == CMD_CFGI_STE) {
			uint32_t sid = (uint32_t)(c[0] >> CMD0_SID_SHIFT);

			cmds[nr_cmds].ste0 = ste0_of(sid);
			if ((REG(SMMU_STRTAB_BASE_CFG) & STRTAB_CFG_FMT_MASK) ==
			    STRTAB_BASE_CFG_FMT_2LVL)
				cmds[nr_cmds].l1std = l1std_of(sid);
		}
		if ((c[0] & 0xff) == CMD_CFGI_ALL)
			atschk_at_cfgi_all = REG(SMMU_CR0ACK) & CR0_ATSCHK;
		nr_cmds++;
		cons = q_inc(cons, log2);
	}
	REG(SMMU_CMDQ_CONS) = cons;
}

/* --- what the driver links against ----------------------------------------- */

/*
 * Waits the driver makes, each a model step: far more than any bounded wait
 * needs (100 ms at 1 MHz) means it spins for ever, as on a lock a CPU lost.
 */
#define RELAX_LIMIT 10000000u
static unsigned int relaxes;

/* A live holder of the command queue's lock lets it go after this many waits (0: never). */
static unsigned int holder_lets_go_after;

void arch_cpu_relax(void)
{
	if (holder_lets_go_after && relaxes == holder_lets_go_after)
		owned_lock_release(&smmu.cmd_lock);
	if (++relaxes > RELAX_LIMIT)
		fail_msg("the driver waited %u times without end: spinning on the command queue's "
			 "lock?",
			 RELAX_LIMIT);
	model_step();
}

uint64_t arch_counter_read(void)
{
	return ++now;
}

uint64_t arch_counter_freq(void)
{
	return 1000000;
}

/* Where the image ends (_end): within setup()'s 40-bit OAS unless a test moves it. */
static uint64_t image_end;

uint64_t mmu_image_end(void)
{
	return image_end;
}

int mmu_map_device(uint64_t base, uint64_t size)
{
	(void)base;
	(void)size;
	return 0;
}

void gic_eoi(uint32_t iar)
{
	(void)iar;
}

void gic_irq_set_edge(uint32_t intid)
{
	(void)intid;
}

void gic_irq_enable(uint32_t intid)
{
	(void)intid;
}

static uint32_t set_pending; /* the last INTID gic_irq_set_pending() was given */

void gic_irq_set_pending(uint32_t intid)
{
	set_pending = intid;
}

#define VTCR_40BIT 0x80023558 /* T0SZ 24, SL0 1, WB inner shareable, 4 KiB, PS 40 bits */
#define VTCR_48BIT 0x80053590 /* T0SZ 16, SL0 2, WB inner shareable, 4 KiB, PS 48 bits */
static uint64_t vtcr = VTCR_40BIT;

uint64_t arch_stage2_vtcr(struct cell *cell)
{
	(void)cell;
	return vtcr;
}

/* Where the cells' stage-2 tables are: cell N's at dma_ttbr_base + N * 64 KiB. */
static uint64_t dma_ttbr_base = 0x48000000;

uint64_t arch_stage2_dma_ttbr(struct cell *cell)
{
	return dma_ttbr_base + 0x10000 * (uint64_t)cell->id;
}

struct cell *cell_get(unsigned int id)
{
	return id < NR_CELLS ? &cells[id] : NULL;
}

/* What the SMMU does while the driver reports a cell's fault (a test's device that goes on). */
static void (*while_reporting)(void);

void fault_smmu(struct cell *cell, const char *event, uint32_t sid, uint64_t addr, bool has_addr,
		const char *reason)
{
	(void)event;
	(void)sid;
	last_addr = addr;
	last_has_addr = has_addr;
	snprintf(last_reason, sizeof(last_reason), "%s", reason);
	smmu_faults[cell->id]++;
	if (while_reporting)
		while_reporting();
}

void fault_policy_async(struct cell *cell, const char *why)
{
	(void)why;
	policies[cell->id]++;
}

/* --- helpers ---------------------------------------------------------------- */

/* CPU 1 took the command queue's lock, faulted inside a command and parked (cell_lost.c). */
static void lock_held_by_a_lost_cpu(void)
{
	fake_cpu_takes(1, &smmu.cmd_lock);
	fake_parked_cpus = 1u << 1;
}

static int setup(void **state)
{
	(void)state;
	memset(regs, 0, sizeof(regs));
	memset(&smmu, 0, sizeof(smmu));
	memset(cmds, 0, sizeof(cmds));
	relaxes = 0;
	fake_cpus_reset(0);
	holder_lets_go_after = 0;
	memset(smmu_faults, 0, sizeof(smmu_faults));
	memset(policies, 0, sizeof(policies));
	last_reason[0] = 0;
	last_addr = 0;
	last_has_addr = false;
	record_w2_low = 0;
	nr_cmds = cmd_errors = 0;
	bad_opcode = 0;
	cmdq_stalled = cr0_stuck = gbpa_stuck = false;
	gbpa_applied = 0; /* bypass, as firmware may leave it */
	bypass_windows = 0;
	vtcr = VTCR_40BIT;
	dma_ttbr_base = 0x48000000;
	image_end = 0x40400000;
	cr0_at_enable = atschk_at_cfgi_all = 0;
	REG(SMMU_IDR0) = IDR0_S2P | (IDR0_TTF_AARCH64 << IDR0_TTF_SHIFT) | IDR0_COHACC;
	REG(SMMU_IDR1) = 16 | (8u << IDR1_CMDQS_SHIFT) | (7u << IDR1_EVENTQS_SHIFT);
	REG(SMMU_IDR5) = IDR5_GRAN4K | 2; /* OAS 40 bits */
	memset(&plat, 0, sizeof(plat));
	plat.smmu.present = true;
	plat.smmu.regs.base = (uintptr_t)regs;
	plat.smmu.regs.size = sizeof(regs);
	plat.smmu.eventq_irq = EVENTQ_INTID;
	strcpy(plat.smmu.path, "/smmuv3@9050000");
	for (unsigned int i = 0; i < NR_CELLS; i++) {
		memset(&cells[i], 0, sizeof(cells[i]));
		memset(&cfgs[i], 0, sizeof(cfgs[i]));
		strcpy(cfgs[i].label, i ? "beta" : "alpha");
		cells[i].cfg = &cfgs[i];
		cells[i].id = i;
		cells[i].s2.vmid = (uint16_t)(i + 1);
		/* 256 MiB of RAM each, as a layout gives it: within any OAS. */
		cfgs[i].mem[0].ipa = 0x40000000;
		cfgs[i].mem[0].pa = 0x50000000 + 0x10000000 * (uint64_t)i;
		cfgs[i].mem[0].size = 0x10000000;
		cfgs[i].nr_mem = 1;
	}
	fake_log_reset();
	while_reporting = NULL;
	set_pending = 0;
	record_w1 = 0;
	return 0;
}

static void smmu_up(void)
{
	assert_int_equal(smmu_init(&plat), 0);
	nr_cmds = 0;
	fake_log_reset();
}

/* The SMMU writes @n records of type @type for the streams @sid_of(i) gives, then interrupts. */
static void put_records(unsigned int n, uint32_t type, uint32_t (*sid_of)(unsigned int))
{
	uint32_t prod = REG(SMMU_EVENTQ_PROD);

	for (unsigned int i = 0; i < n; i++) {
		uint64_t *e = &smmu_evtq[q_idx(prod, smmu.evtq_log2) * EVT_DWORDS];

		memset(e, 0, EVT_DWORDS * 8);
		e[0] = type | (uint64_t)sid_of(i) << EVT0_SID_SHIFT;
		e[1] = record_w1;
		e[2] = 0x4c100000 + 0x1000 * (uint64_t)i + record_w2_low;
		prod = q_inc(prod, smmu.evtq_log2);
	}
	REG(SMMU_EVENTQ_PROD) = prod;
}

static void events(unsigned int n, uint32_t type, uint32_t (*sid_of)(unsigned int))
{
	put_records(n, type, sid_of);
	assert_true(smmu_irq(EVENTQ_INTID, EVENTQ_INTID));
	/* Drained: and of whatever the SMMU wrote meanwhile too. */
	assert_int_equal(REG(SMMU_EVENTQ_CONS), REG(SMMU_EVENTQ_PROD));
}

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

/* --- events ------------------------------------------------------------------ */

static void test_a_queue_of_unowned_stream_events_logs_a_few_lines_then_counts(void **state)
{
	(void)state;
	smmu_up();
	/* One interrupt, 127 records of two streams no cell owns, alternating: 127 reports. */
	events(127, EVT_C_BAD_STE, two_unowned_streams);
	if (fake_log_count(LOG_WARN) > 12)
		fail_msg("127 events of unowned streams logged %d lines:\n%s",
			 fake_log_count(LOG_WARN), fake_log_text());
	assert_logged("W: SMMU: C_BAD_STE for stream 0x19 (stream owned by no cell: aborted)");
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
	REG(SMMU_EVENTQ_PROD) = prod;
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
	REG(SMMU_EVENTQ_PROD) = (prod & Q_OVFLG) | q_inc(prod & mask, smmu.evtq_log2);
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

/* --- streams of a cell that stops and starts again ---------------------------------- */

/* Command @i is @opcode with @arg (stream or VMID) in word 0's upper half. */
static void assert_cmd(int i, unsigned int opcode, uint32_t arg)
{
	if (i >= nr_cmds || (cmds[i].w0 & 0xff) != opcode || (uint32_t)(cmds[i].w0 >> 32) != arg)
		fail_msg("command %d: wanted opcode 0x%x with 0x%x, the SMMU got %s0x%lx (%d "
			 "commands)",
			 i, opcode, arg, i < nr_cmds ? "" : "nothing; last ",
			 (unsigned long)cmds[i < nr_cmds ? i : nr_cmds - 1].w0, nr_cmds);
}

/* As at boot: streams given, then each cell loaded and its streams let translate. */
static void two_cells_with_streams(void)
{
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	assert_int_equal(smmu_assign(&cells[0], 0x20, EDU_DEV), 0);
	assert_int_equal(smmu_assign(&cells[1], 0x28, EDU_DEV), 0);
	smmu_cell_resume(&cells[0]);
	smmu_cell_resume(&cells[1]);
	nr_cmds = 0;
	fake_log_reset();
}

static void test_a_stopped_cells_streams_abort_with_entries_and_tlb_invalidated(void **state)
{
	(void)state;
	two_cells_with_streams();
	smmu_cell_abort(&cells[0]);
	/* The SMMU saw each STE already aborting when told to fetch it again, then VMID 1 and a
	 * sync. */
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_true(cmds[0].w1 & CMD1_LEAF);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	assert_cmd(1, CMD_CFGI_STE, 0x20);
	assert_int_equal(cmds[1].ste0, STE0_ABORTS);
	assert_cmd(2, CMD_TLBI_S12_VMALL, 1);
	assert_cmd(3, CMD_SYNC, 0);
	assert_int_equal(nr_cmds, 4);
	assert_int_equal(REG(SMMU_CMDQ_CONS), REG(SMMU_CMDQ_PROD));
	/* beta's stream is left alone; alpha keeps its streams for the restart. */
	assert_int_equal(ste_at(0x28)[0], STE0_S2_TRANS);
	assert_int_equal(smmu_owner[0x18], 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

static void test_a_restarted_cells_streams_translate_through_its_stage_2_again(void **state)
{
	uint64_t *ste;

	(void)state;
	two_cells_with_streams();
	ste = ste_at(0x20);
	smmu_cell_abort(&cells[0]);
	nr_cmds = 0;
	smmu_cell_resume(&cells[0]);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_int_equal(cmds[0].ste0, STE0_S2_TRANS);
	assert_cmd(1, CMD_CFGI_STE, 0x20);
	assert_int_equal(cmds[1].ste0, STE0_S2_TRANS);
	assert_cmd(2, CMD_TLBI_S12_VMALL, 1);
	assert_cmd(3, CMD_SYNC, 0);
	assert_int_equal(ste[2] & 0xffff, 1); /* S2VMID */
	assert_int_equal(ste[3], arch_stage2_dma_ttbr(&cells[0]));
	assert_int_equal(ste_at(0x28)[0], STE0_S2_TRANS);
}

/*
 * A stream given at boot aborts until its cell's first load is over, as it
 * does during every reload: a device firmware left running (platform
 * devices have no Bus Master bit to clear) writes nothing into memory being
 * scrubbed and loaded. The SMMU is told to fetch the aborting STE; the end
 * of the load (smmu_cell_resume()) lets it translate.
 */
static void test_a_stream_given_at_boot_aborts_until_its_cell_is_loaded(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, "devices: /dma@a000000"), 0);
	if (ste_at(0x18)[0] != STE0_ABORTS)
		fail_msg("alpha's stream 0x18, given and not loaded yet: STE word 0 0x%lx, wanted "
			 "0x%lx (V = 1, Config = abort)",
			 (unsigned long)ste_at(0x18)[0], (unsigned long)STE0_ABORTS);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	/* Words 1-7 are ready: the resume changes word 0 only. */
	assert_int_equal(ste_at(0x18)[3], arch_stage2_dma_ttbr(&cells[0]));
	nr_cmds = 0;
	smmu_cell_resume(&cells[0]);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_int_equal(cmds[0].ste0, STE0_S2_TRANS);
	assert_cmd(1, CMD_TLBI_S12_VMALL, 1);
	assert_cmd(2, CMD_SYNC, 0);
}

static void test_a_cell_without_streams_stops_without_smmu_commands(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	smmu_cell_resume(&cells[0]);
	nr_cmds = 0;
	smmu_cell_abort(&cells[1]);
	smmu_cell_resume(&cells[1]);
	assert_int_equal(nr_cmds, 0);
	assert_int_equal(ste_at(0x18)[0], STE0_S2_TRANS);
}

/* --- bring-up ----------------------------------------------------------------- */

static void test_an_smmu_without_stage_2_is_left_off_with_every_stream_aborting(void **state)
{
	(void)state;
	/* Firmware left it on in bypass; it cannot translate stage 2. */
	REG(SMMU_IDR0) &= ~IDR0_S2P;
	REG(SMMU_CR0) = REG(SMMU_CR0ACK) = CR0_SMMUEN;
	assert_int_equal(smmu_init(&plat), -ENODEV);
	assert_false(smmu_enabled());
	assert_logged("E: smmu: IDR0.S2P = 0");
	if (REG(SMMU_CR0) != 0 || !(REG(SMMU_GBPA) & GBPA_ABORT))
		fail_msg("the SMMU was left with CR0 0x%x, GBPA 0x%x: not off with GBPA.ABORT",
			 REG(SMMU_CR0), REG(SMMU_GBPA));
	assert_logged("smmu: /smmuv3@9050000 not enabled (-19); every stream aborts (GBPA)");
}

/*
 * Firmware left the SMMU on with GBPA at bypass: turned off first, every
 * stream would bypass it until GBPA said abort. GBPA first, as Linux's
 * arm_smmu_device_reset() does.
 */
static void test_an_smmu_firmware_left_on_is_never_off_with_gbpa_at_bypass(void **state)
{
	(void)state;
	REG(SMMU_CR0) = REG(SMMU_CR0ACK) = CR0_SMMUEN | CR0_CMDQEN;
	assert_int_equal(smmu_init(&plat), 0);
	if (bypass_windows)
		fail_msg("SMMUEN acknowledged off while GBPA was still at bypass: every stream "
			 "bypassed the SMMU for a while");
	assert_true(gbpa_applied & GBPA_ABORT);
}

/* And an SMMU that never acknowledges CR0 = 0 still gets GBPA at abort. */
static void test_an_smmu_that_does_not_turn_off_still_gets_gbpa_abort(void **state)
{
	(void)state;
	REG(SMMU_CR0) = REG(SMMU_CR0ACK) = CR0_SMMUEN;
	cr0_stuck = true;
	assert_int_equal(smmu_init(&plat), -ETIMEDOUT);
	if (!(gbpa_applied & GBPA_ABORT))
		fail_msg("CR0 = 0 not acknowledged, and GBPA left at 0x%x: not abort",
			 REG(SMMU_GBPA));
	assert_logged("E: smmu: register 0x20: 0x0 not acknowledged within 100 ms");
	assert_logged("smmu: /smmuv3@9050000 not enabled (-110); GBPA aborts, but CR0 = 0 was not "
		      "acknowledged: the SMMU may still translate through firmware's tables");
}

/* Left off, every stream aborting, with @why logged: what an unusable SMMU gets. */
static void assert_left_off(int ret, const char *why)
{
	assert_int_equal(smmu_init(&plat), ret);
	assert_false(smmu_enabled());
	assert_logged(why);
	assert_true(gbpa_applied & GBPA_ABORT);
	assert_logged("every stream aborts (GBPA)");
}

/* IHI 0070 §5.5: with STALL_MODEL 0b10 an STE with S2S = 0, as Bulkhead's, is ILLEGAL. */
static void test_an_smmu_that_forces_stalls_is_left_off(void **state)
{
	(void)state;
	REG(SMMU_IDR0) |= IDR0_STALL_FORCED << IDR0_STALL_SHIFT;
	assert_left_off(-ENODEV, "E: smmu: IDR0.STALL_MODEL = 0b10: stalls are forced");
}

static void test_an_smmu_with_big_endian_tables_only_is_left_off(void **state)
{
	(void)state;
	REG(SMMU_IDR0) |= IDR0_TTENDIAN_BE << IDR0_TTENDIAN_SHIFT;
	assert_left_off(-ENODEV,
			"E: smmu: IDR0.TTENDIAN = 0b11: big-endian translation tables only");
}

/* The stream table and queues are in the image: beyond OAS the SMMU may truncate their address. */
static void test_an_smmu_that_cannot_reach_the_image_is_left_off(void **state)
{
	(void)state;
	image_end = 0x10000001000; /* setup()'s OAS: 40 bits */
	assert_left_off(-ENODEV,
			"E: smmu: the hypervisor ends at 0x10000001000, beyond the SMMU's 40-bit "
			"output addresses (IDR5.OAS 2): its stream table and queues would be out "
			"of reach; load Bulkhead lower");
	setup(NULL);
	image_end = 0x10000000000; /* its last byte still within 40 bits */
	assert_int_equal(smmu_init(&plat), 0);
}

/* The event queue's PROD and CONS are in register page 1, the second 64 KiB. */
static void test_an_smmu_whose_reg_is_one_page_is_left_off(void **state)
{
	(void)state;
	plat.smmu.regs.size = 0x10000;
	assert_left_off(-EINVAL, "E: smmu: /smmuv3@9050000: reg size 0x10000: an SMMUv3's "
				 "registers take 0x20000 bytes (two 64 KiB pages)");
}

/* STE.EATS, bits [93:92]: 0 = no ATS for the stream. */
#define STE1_EATS_MASK (3ULL << 28)

/*
 * A stream beyond the table has no STE to silence it after a few records:
 * with CR2.RECINVSID a master firmware left running there would interrupt
 * CPU 0 for good (CR2 cannot change while the SMMU is on). Not recorded.
 */
static void test_a_stream_beyond_the_table_aborts_without_event_records(void **state)
{
	(void)state;
	assert_int_equal(smmu_init(&plat), 0);
	assert_int_equal(REG(SMMU_CR2), CR2_PTM);
	assert_logged("smmu: /smmuv3@9050000 on: 1024-stream linear table, every stream aborts "
		      "until a cell owns it (streams 0x400 and up without event records); events "
		      "on INTID 106");
}

static void test_an_smmu_with_ats_is_on_in_safe_mode_so_translated_dma_aborts(void **state)
{
	(void)state;
	REG(SMMU_IDR0) |= IDR0_ATS;
	assert_int_equal(smmu_init(&plat), 0);
	assert_logged("I: smmu: ATS checked (CR0.ATSCHK)");
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	if (!(cr0_at_enable & CR0_ATSCHK))
		fail_msg(
			"SMMUEN acknowledged with CR0 0x%x: ATSCHK clear, ATS-translated DMA would "
			"skip the stream table",
			cr0_at_enable);
	/* Configuration cached before the bit took effect is invalidated after it. */
	assert_true(atschk_at_cfgi_all);
	assert_int_equal(ste_at(0x18)[1] & STE1_EATS_MASK, 0);
}

/* The STE, its word 0, owner and commands left as they were: stream 0x18 was refused. */
static void assert_no_ste_for_0x18(void)
{
	if (ste_at(0x18)[0] != 0 || smmu_owner[0x18] != NO_OWNER || nr_cmds)
		fail_msg("refused stream 0x18: STE word 0 0x%lx, owner %u, %d command(s)",
			 (unsigned long)ste_at(0x18)[0], smmu_owner[0x18], nr_cmds);
}

static void test_a_stream_of_another_cell_is_refused_naming_device_and_cell(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[1], 0x18, "devices: /dma@a000000"), 0);
	fake_log_reset();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -EBUSY);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x18 already belongs to cell "
		      "\"beta\" (an SMMU stream serves one cell)");
	assert_int_equal(smmu_owner[0x18], 1);
}

static void test_a_cell_with_more_ipa_bits_than_the_smmu_takes_gets_no_ste(void **state)
{
	(void)state;
	/* A 48-bit-PA CPU's stage 2, a 44-bit SMMU without AArch32 tables: IAS 44. */
	vtcr = VTCR_48BIT;
	REG(SMMU_IDR5) = IDR5_GRAN4K | 4;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -ERANGE);
	assert_no_ste_for_0x18();
	assert_logged(
		"E: alpha: pci-devices: 00:03.0: SMMU stream 0x18 refused: the cell's stage 2 "
		"takes 48-bit IPAs "
		"(VTCR_EL2.T0SZ 16, from the CPU's PA size), the SMMU 44 at most (IAS 44 "
		"bits, from IDR5.OAS and IDR0.TTF): its STE would be illegal");
}

static void test_a_cell_whose_stage_2_table_is_above_the_smmus_output_gets_no_ste(void **state)
{
	(void)state;
	/* setup()'s SMMU: OAS 40 bits (IDR5.OAS 2); the tables at 1 TiB, bit 40 set. */
	dma_ttbr_base = 0x10000000000;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -ERANGE);
	assert_no_ste_for_0x18();
	assert_logged(
		"E: alpha: pci-devices: 00:03.0: SMMU stream 0x18 refused: the cell's stage-2 "
		"table is at PA "
		"0x10000000000, a 41-bit address, the SMMU outputs 40-bit PAs at most (OAS, "
		"IDR5.OAS 2): its STE would be illegal");
}

static void test_a_cell_whose_memory_is_above_the_smmus_output_gets_no_ste(void **state)
{
	(void)state;
	/* A second RAM region across 1 TiB: its last half lies beyond a 40-bit OAS. */
	cfgs[0].mem[1].ipa = 0x80000000;
	cfgs[0].mem[1].pa = 0xfff0000000;
	cfgs[0].mem[1].size = 0x20000000;
	cfgs[0].nr_mem = 2;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -ERANGE);
	assert_no_ste_for_0x18();
	assert_logged(
		"E: alpha: pci-devices: 00:03.0: SMMU stream 0x18 refused: the cell's memory at PA "
		"0xfff0000000+0x20000000 ends at 0x1000fffffff, a 41-bit address, the SMMU "
		"outputs 40-bit PAs at most (OAS, IDR5.OAS 2): its devices could not reach it");
}

static void test_an_aarch32_capable_smmu_takes_40_bit_ipas_whatever_its_oas(void **state)
{
	(void)state;
	/* IHI 0070 §3.4: with AArch32 tables IAS = MAX(40, OAS): 40 bits on a 36-bit SMMU. */
	REG(SMMU_IDR0) |= IDR0_TTF_AARCH32 << IDR0_TTF_SHIFT;
	REG(SMMU_IDR5) = IDR5_GRAN4K | 1;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	assert_int_equal((ste_at(0x18)[2] >> STE2_VTCR_SHIFT) & STE_S2T0SZ_MASK, 24);
}

/* How many of the commands the SMMU consumed have @opcode. */
static int cmds_with(unsigned int opcode)
{
	int n = 0;

	for (int i = 0; i < nr_cmds; i++)
		n += (cmds[i].w0 & 0xff) == opcode;
	return n;
}

static void test_an_smmu_without_hyp_is_not_sent_el2_tlb_invalidation(void **state)
{
	(void)state;
	/* setup()'s SMMU has IDR0.HYP = 0: CMD_TLBI_EL2_ALL would be CERROR_ILL. */
	assert_int_equal(smmu_init(&plat), 0);
	if (cmd_errors || cmds_with(CMD_TLBI_EL2_ALL))
		fail_msg("IDR0.HYP = 0, yet %d CMD_TLBI_EL2_ALL consumed, %d command error(s):\n%s",
			 cmds_with(CMD_TLBI_EL2_ALL), cmd_errors, fake_log_text());
	assert_true(smmu_enabled());
}

static void test_an_smmu_with_hyp_has_its_el2_tlb_entries_invalidated(void **state)
{
	(void)state;
	REG(SMMU_IDR0) |= IDR0_HYP;
	assert_int_equal(smmu_init(&plat), 0);
	assert_int_equal(cmds_with(CMD_TLBI_EL2_ALL), 1);
}

/* The SMMU consumed every command and has no command error active. */
static void assert_cmdq_drained(void)
{
	uint32_t mask = (2u << smmu.cmdq_log2) - 1;

	if ((REG(SMMU_CMDQ_CONS) & mask) != REG(SMMU_CMDQ_PROD) ||
	    ((REG(SMMU_GERROR) ^ REG(SMMU_GERRORN)) & GERROR_CMDQ_ERR))
		fail_msg("command queue stuck: CONS 0x%x, PROD 0x%x, GERROR 0x%x, GERRORN 0x%x, "
			 "%d command error(s)",
			 REG(SMMU_CMDQ_CONS), REG(SMMU_CMDQ_PROD), REG(SMMU_GERROR),
			 REG(SMMU_GERRORN), cmd_errors);
}

/*
 * An SMMU that consumes no command (its queue full of them): the cell's
 * streams must still all say abort in the table, and the caller must know the
 * SMMU may not have seen it, to keep the cell's memory as it is rather than
 * reload it under DMA that may still reach it.
 */
static void test_a_cell_whose_streams_cannot_be_aborted_is_told_so(void **state)
{
	int ret;

	(void)state;
	two_cells_with_streams();
	cmdq_stalled = true;
	REG(SMMU_CMDQ_CONS) = smmu.cmdq_prod ^ (1u << smmu.cmdq_log2); /* full */
	ret = smmu_cell_abort(&cells[0]);
	if (ste_at(0x18)[0] != STE0_ABORTS || ste_at(0x20)[0] != STE0_ABORTS)
		fail_msg("alpha's STE word 0s are 0x%lx (0x18) and 0x%lx (0x20): not all abort",
			 (unsigned long)ste_at(0x18)[0], (unsigned long)ste_at(0x20)[0]);
	assert_int_equal(ret, -ETIMEDOUT);
	assert_int_equal(ste_at(0x28)[0], STE0_S2_TRANS); /* beta's */
	assert_logged("E: alpha: SMMU: aborting the cell's streams failed (-110)");
}

/* Invalidating STE by STE fails (an illegal command): CMD_CFGI_ALL does the job instead. */
static void test_a_failed_ste_invalidation_falls_back_to_cfgi_all(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	smmu_cell_resume(&cells[0]);
	nr_cmds = 0;
	fake_log_reset();
	bad_opcode = CMD_CFGI_STE;
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_int_equal(cmds_with(CMD_CFGI_ALL), 1);
	assert_int_equal(ste_at(0x18)[0], STE0_ABORTS);
	assert_cmdq_drained();
	assert_logged("W: alpha: SMMU: invalidating the cell's STEs failed (-5): CMD_CFGI_ALL");
}

/*
 * The system halts on the CPU that faulted holding the command queue's lock
 * (partitions/halt.c): every transaction aborts all the same, by GBPA.ABORT
 * then SMMUEN 0, no command sent. Before 2026-11-24 the halt aborted each
 * cell's streams through the queue, and spun on its lock for ever.
 */
static void test_a_halt_aborts_all_dma_by_registers_with_the_queues_lock_held(void **state)
{
	(void)state;
	two_cells_with_streams();
	lock_held_by_a_lost_cpu();
	assert_int_equal(smmu_halt_dma(), 0);
	assert_true(gbpa_applied & GBPA_ABORT);
	assert_int_equal(REG(SMMU_CR0ACK) & CR0_SMMUEN, 0);
	assert_int_equal(bypass_windows, 0);
	/* The queue stays on for the CPU inside a command; nothing was queued. */
	assert_true(REG(SMMU_CR0ACK) & CR0_CMDQEN);
	assert_int_equal(nr_cmds, 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/* A GBPA update never applied: SMMUEN stays 1 (streams would bypass), the STEs abort instead. */
static void test_a_halt_whose_gbpa_abort_is_not_applied_leaves_the_smmu_on(void **state)
{
	(void)state;
	two_cells_with_streams();
	gbpa_stuck = true;
	assert_int_equal(smmu_halt_dma(), 0);
	assert_true(REG(SMMU_CR0ACK) & CR0_SMMUEN);
	assert_int_equal(bypass_windows, 0);
	assert_logged("E: smmu: GBPA.UPDATE still set after 100 ms: global abort not applied, "
		      "SMMUEN left on");
	assert_logged("E: smmu: the global abort failed: each cell's streams abort instead");
	assert_int_equal(ste_at(0x18)[0], STE0_ABORTS);
	assert_int_equal(ste_at(0x20)[0], STE0_ABORTS);
	assert_int_equal(ste_at(0x28)[0], STE0_ABORTS);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	assert_int_equal(cmds_with(CMD_TLBI_S12_VMALL), 2);
	assert_cmdq_drained();
	/* The lock was given back. */
	assert_int_equal(owned_lock_holder(&smmu.cmd_lock), -1);
}

/* Neither way: said, and the halt goes on; the lock a lost CPU holds is not waited for. */
static void test_a_halt_the_smmu_ignores_with_the_queues_lock_held_is_told(void **state)
{
	(void)state;
	two_cells_with_streams();
	cr0_stuck = true;
	lock_held_by_a_lost_cpu();
	assert_int_equal(smmu_halt_dma(), -EBUSY);
	assert_logged("E: smmu: register 0x20: 0xc not acknowledged within 100 ms");
	assert_logged("E: smmu: the global abort failed: each cell's streams abort instead");
	assert_logged("E: SMMU: the command queue's lock is held by CPU 1, lost inside a "
		      "command: no cell's streams aborted, their DMA may still reach "
		      "memory");
	assert_int_equal(ste_at(0x18)[0], STE0_S2_TRANS);
	assert_int_equal(nr_cmds, 0);
}

/*
 * alpha is stopped, or reloaded, while a CPU lost inside a command holds the
 * queue's lock (partitions/cell_lost.c): not waited for, and the stop is
 * told as failed. Its streams' STEs say abort all the same, for an SMMU that
 * fetches them afresh, and beta's are left alone. Until 2026-11-24 the stop
 * spun on the lock for ever, its interrupts masked.
 */
static void test_a_stop_with_the_queues_lock_held_by_a_lost_cpu_fails_at_once(void **state)
{
	(void)state;
	two_cells_with_streams();
	lock_held_by_a_lost_cpu();
	assert_int_equal(smmu_cell_abort(&cells[0]), -EBUSY);
	assert_logged("E: alpha: SMMU: the command queue's lock is held by CPU 1, lost inside a "
		      "command: the cell's streams abort in the stream table, but "
		      "the SMMU is not told and may still use their old entries, so its devices "
		      "may still reach its memory");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_int_equal(ste_at(0x18)[0], STE0_ABORTS);
	assert_int_equal(ste_at(0x20)[0], STE0_ABORTS);
	assert_int_equal(ste_at(0x28)[0], STE0_S2_TRANS);
	assert_int_equal(nr_cmds, 0);
	assert_true(relaxes < 1000); /* no wait */
	/* A start after it: not waited either, and told. */
	fake_log_reset();
	smmu_cell_resume(&cells[0]);
	assert_logged("E: alpha: SMMU: the command queue's lock is held by CPU 1, lost inside a "
		      "command: the cell's streams translate in the stream table, "
		      "but the SMMU is not told and may still abort its devices' DMA");
	assert_int_equal(nr_cmds, 0);
}

/* A cell with no stream has nothing to tell the SMMU: its stop and start take no lock. */
static void test_a_cell_without_streams_stops_and_starts_with_the_queues_lock_held(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	nr_cmds = 0;
	fake_log_reset();
	fake_cpu_takes(2, &smmu.cmd_lock); /* a CPU that runs: a take would wait for it */
	assert_int_equal(smmu_cell_abort(&cells[1]), 0);
	smmu_cell_resume(&cells[1]);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
	assert_int_equal(nr_cmds, 0);
	assert_true(relaxes < 1000); /* no wait */
}

/*
 * The CPU that faulted inside a command runs its cell's stop itself
 * (cell_lost.c), before it parks: it holds the lock, and does not wait for
 * itself.
 */
static void test_a_stop_on_the_cpu_lost_holding_the_queues_lock_does_not_wait_for_it(void **state)
{
	(void)state;
	two_cells_with_streams();
	fake_cpu_takes(1, &smmu.cmd_lock);
	fake_cpu = 1; /* the holder, not parked yet */
	assert_int_equal(smmu_cell_abort(&cells[0]), -EBUSY);
	assert_logged("E: alpha: SMMU: the command queue's lock is held by CPU 1, lost inside a "
		      "command: the cell's streams abort in the stream table");
	assert_true(relaxes < 1000);
	assert_int_equal(ste_at(0x18)[0], STE0_ABORTS);
}

/*
 * A CPU that runs holds the lock a while (a loaded host, a slow SMMU: each of
 * its waits may take ACK_TIMEOUT_MS): it is waited for, however long, and
 * the stop reaches the SMMU. A 100 ms limit on the lock, as on 2026-11-24,
 * gave up on it and left the cell stopped for good, its reload refused.
 */
static void test_a_stop_waits_for_a_live_holder_of_the_queues_lock_past_100_ms(void **state)
{
	(void)state;
	two_cells_with_streams();
	fake_cpu_takes(2, &smmu.cmd_lock); /* CPU 2, running */
	holder_lets_go_after = 300000;	   /* 300 ms at the fake counter's 1 MHz, at least */
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_true(relaxes >= 300000);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	assert_int_equal(owned_lock_holder(&smmu.cmd_lock), -1); /* given back */
}

/*
 * The holder a taker read lets the lock go, faults elsewhere and parks before
 * the taker looks whether it parked: the lock is free, not lost. Read once,
 * the holder looked parked holding it, and the stop was told as not reaching
 * the SMMU (review, 2026-11-25).
 */
static void test_a_holder_that_parks_after_letting_the_lock_go_is_not_taken_as_lost(void **state)
{
	(void)state;
	two_cells_with_streams();
	fake_cpu_takes(1, &smmu.cmd_lock);
	fake_holder_parks_after_letting_go = &smmu.cmd_lock;
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
}

/*
 * CPU 1 faults as it takes the queue's lock, at the instant it asks which CPU
 * it is, and parks: the lock is free, or names CPU 1, never held by nobody
 * known. Until 2026-11-25 the holder was stored after the lock was taken: a
 * fault there left it held and unnamed, and the stop spun for ever.
 */
static void test_a_cpu_lost_as_it_takes_the_queues_lock_leaves_it_free_or_named(void **state)
{
	(void)state;
	two_cells_with_streams();
	fake_cpu1_faults_asking_its_index = true;
	fake_cpu = 1;
	if (!setjmp(fake_cpu_fault_point))
		smmu_cmd_lock();
	fake_cpu = 0;
	assert_true(fake_parked_cpus & (1u << 1));
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_true(relaxes < 1000); /* no wait */
	assert_cmd(0, CMD_CFGI_STE, 0x18);
}

static void test_an_illegal_command_is_skipped_and_the_queue_goes_on(void **state)
{
	(void)state;
	smmu_up();
	bad_opcode = CMD_TLBI_S12_VMALL;
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -EIO);
	/* Fetched again, as the SMMU does once the error is acknowledged: no longer illegal. */
	model_step();
	assert_cmdq_drained();
	assert_int_equal(cmd_errors, 1);
	assert_logged("E: smmu: command 0x100000028 0x0 at CONS 0x");
	assert_logged("not consumed: CERROR_ILL (illegal command); replaced with CMD_SYNC");
	/* Another cell's stream, later: the queue works. */
	bad_opcode = 0;
	assert_int_equal(smmu_assign(&cells[1], 0x28, EDU_DEV), 0);
	assert_cmdq_drained();
}

/* A command error no issuer saw: left for the GERROR interrupt. */
static void command_error_for_the_gerror_interrupt(void)
{
	plat.smmu.gerror_irq = GERROR_INTID;
	smmu_up();
	/* The SMMU is slow: the driver's CMD_SYNC wait gives up first. */
	cmdq_stalled = true;
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -ETIMEDOUT);
	/* Then it reaches the CMD_CFGI_STE, finds it illegal, and raises GERROR. */
	bad_opcode = CMD_CFGI_STE;
	cmdq_stalled = false;
	model_step();
	assert_int_equal(cmd_errors, 1);
	fake_log_reset();
}

static void test_a_command_error_the_gerror_interrupt_finds_is_skipped_too(void **state)
{
	(void)state;
	command_error_for_the_gerror_interrupt();
	assert_true(smmu_irq(GERROR_INTID, GERROR_INTID));
	model_step();
	/* Acknowledged only, the command would have failed again: two errors, CONS at it. */
	assert_cmdq_drained();
	assert_int_equal(cmd_errors, 1);
	assert_logged("E: SMMU: global error 0x1 (command queue error)");
	assert_logged("not consumed: CERROR_ILL (illegal command); replaced with CMD_SYNC");
}

/*
 * The same error found with the queue's lock held for ever (a CPU lost inside
 * a command): told, and the handler returns. Until 2026-11-24 it spun on the
 * lock in its interrupt handler.
 */
static void test_a_gerror_with_the_queues_lock_held_is_told_not_waited_for(void **state)
{
	(void)state;
	command_error_for_the_gerror_interrupt();
	lock_held_by_a_lost_cpu();
	assert_true(smmu_irq(GERROR_INTID, GERROR_INTID));
	assert_logged("E: SMMU: the command queue's lock is held by CPU 1, lost inside a "
		      "command: the command queue error is left unacknowledged, the "
		      "queue stopped; the others are acknowledged");
	assert_int_equal((REG(SMMU_GERROR) ^ REG(SMMU_GERRORN)) & GERROR_CMDQ_ERR, GERROR_CMDQ_ERR);
	/* Another error, later: acknowledged without the lock, or never signalled again. */
	REG(SMMU_GERROR) ^= GERROR_EVENTQ_ABT_ERR;
	fake_log_reset();
	assert_true(smmu_irq(GERROR_INTID, GERROR_INTID));
	assert_logged(
		"E: SMMU: global error 0x5 (command queue error) (event queue write aborted)");
	assert_int_equal((REG(SMMU_GERROR) ^ REG(SMMU_GERRORN)) & GERROR_EVENTQ_ABT_ERR, 0);
	assert_int_equal((REG(SMMU_GERROR) ^ REG(SMMU_GERRORN)) & GERROR_CMDQ_ERR, GERROR_CMDQ_ERR);
}

static void test_an_smmu_without_ats_is_not_given_the_res0_atschk(void **state)
{
	(void)state;
	smmu_up();
	assert_true(smmu_enabled());
	assert_int_equal(REG(SMMU_CR0) & CR0_ATSCHK, 0);
}

/* --- the two-level stream table ------------------------------------------------ */

#define SIDSIZE_16   16u
#define L1STD_L2_256 9u /* Span: 2^(9-1) = 256 STEs, SPLIT + 1 */

/* An SMMU with two-level tables (IDR0.ST_LEVEL 0b01), on, and the layout's streams up to @top. */
static void smmu_up_two_level(unsigned int sid_bits, uint32_t top)
{
	REG(SMMU_IDR0) |= IDR0_ST_LEVEL_2LVL << IDR0_ST_LEVEL_SHIFT;
	REG(SMMU_IDR1) = (REG(SMMU_IDR1) & ~IDR1_SIDSIZE_MASK) | sid_bits;
	smmu_up();
	assert_int_equal(smmu_strtab_fit(top), 0);
	nr_cmds = 0;
	fake_log_reset();
}

/*
 * A PCI function on bus 4 (RID = stream 0x418) is beyond the linear table.
 * The layout's streams go there: the stream table becomes two-level, its
 * range gets a level-2 table, the SMMU is told of the new L1STD with the STE
 * (CMD_CFGI_STE, Leaf 0), and of the next stream of the range with Leaf 1.
 * Until 2026-11-25 the stream was refused ("beyond the stream table (1024
 * streams)") and the cell not created.
 */
static void test_a_stream_above_1023_gets_a_level_2_table_and_its_l1std_invalidated(void **state)
{
	uint32_t cfg;

	(void)state;
	smmu_up_two_level(SIDSIZE_16, 0x419);
	cfg = REG(SMMU_STRTAB_BASE_CFG);
	if ((cfg & STRTAB_CFG_FMT_MASK) != STRTAB_BASE_CFG_FMT_2LVL || STRTAB_CFG_SPLIT(cfg) != 8 ||
	    STRTAB_CFG_LOG2SIZE(cfg) != SIDSIZE_16)
		fail_msg("STRTAB_BASE_CFG 0x%x: wanted FMT 2-level, SPLIT 8, LOG2SIZE 16", cfg);
	assert_true(REG(SMMU_CR0ACK) & CR0_SMMUEN);
	assert_true(gbpa_applied & GBPA_ABORT); /* what decided while SMMUEN was 0 */
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), 0);
	assert_cmd(0, CMD_CFGI_STE, 0x418);
	if (cmds[0].w1 & CMD1_LEAF)
		fail_msg("the new L1STD's CMD_CFGI_STE had Leaf 1: the SMMU may keep the invalid "
			 "L1STD it read");
	assert_int_equal(cmds[0].l1std & L1STD_SPAN_MASK, L1STD_L2_256);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	assert_cmd(1, CMD_SYNC, 0);
	assert_cmd(2, CMD_TLBI_S12_VMALL, 1);
	nr_cmds = 0;
	assert_int_equal(smmu_assign(&cells[0], 0x419, EDU_DEV), 0);
	assert_cmd(0, CMD_CFGI_STE, 0x419);
	assert_true(cmds[0].w1 & CMD1_LEAF);
	nr_cmds = 0;
	smmu_cell_resume(&cells[0]);
	assert_cmd(0, CMD_CFGI_STE, 0x418);
	assert_int_equal(cmds[0].ste0, STE0_S2_TRANS);
	assert_cmd(1, CMD_CFGI_STE, 0x419);
	assert_int_equal(cmds[1].ste0, STE0_S2_TRANS);
	assert_int_equal(ste_at(0x418)[3], arch_stage2_dma_ttbr(&cells[0]));
	assert_int_equal(ste_at(0x418)[2] & 0xffff, 1); /* S2VMID */
	assert_logged("I: alpha: SMMU: stream 0x418 translates through the cell's stage 2");
}

/*
 * A range with no stream of a cell has no level-2 table: its streams abort
 * with C_BAD_STREAMID, not recorded, as beyond a linear table; a stream of
 * a range with one and no owner has an invalid STE (C_BAD_STE, recorded).
 */
static void test_only_the_ranges_cells_use_have_level_2_tables(void **state)
{
	(void)state;
	smmu_up_two_level(SIDSIZE_16, 0x418);
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), 0);
	assert_int_equal(smmu_assign(&cells[1], 0x28, EDU_DEV), 0);
	assert_int_equal(REG(SMMU_CR2) & CR2_RECINVSID, 0);
	if (ste_at(0x518) || ste_at(0x118) || ste_at(0xffff))
		fail_msg("streams of ranges no cell uses have an STE: the SMMU reads it instead "
			 "of raising C_BAD_STREAMID");
	assert_int_equal(ste0_of(0x41b), 0);
	assert_int_equal(ste0_of(0x18), 0);
	assert_int_equal(ste0_of(0x28), STE0_ABORTS);
}

/* Events of streams in level-2 tables: an owned one's are its cell's, an unowned one is silenced.
 */
static uint32_t stream_0x418(unsigned int i)
{
	(void)i;
	return 0x418;
}

static uint32_t stream_0x41b(unsigned int i)
{
	(void)i;
	return 0x41b;
}

static void test_events_of_level_2_streams_find_their_cell_or_silence_them(void **state)
{
	(void)state;
	smmu_up_two_level(SIDSIZE_16, 0x418);
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), 0);
	smmu_cell_resume(&cells[0]);
	events(1, EVT_F_TRANSLATION, stream_0x418);
	assert_int_equal(smmu_faults[0], 1);
	assert_int_equal(policies[0], 1);
	events(64, EVT_C_BAD_STE, stream_0x41b);
	assert_logged("SMMU: stream 0x41b, owned by no cell, had 64 transactions aborted");
	assert_int_equal(ste0_of(0x41b), STE0_ABORTS);
	assert_int_equal(ste0_of(0x418), STE0_S2_TRANS);
}

/* The stream table has 4 level-2 tables: a fifth range's stream is refused, saying so. */
static void test_a_stream_of_a_fifth_range_is_refused(void **state)
{
	(void)state;
	smmu_up_two_level(SIDSIZE_16, 0x818);
	for (uint32_t sid = 0x418; sid <= 0x718; sid += 0x100)
		assert_int_equal(smmu_assign(&cells[sid & 0x100 ? 1 : 0], sid, EDU_DEV), 0);
	nr_cmds = 0;
	assert_int_equal(smmu_assign(&cells[0], 0x818, EDU_DEV), -ENOSPC);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x818 needs a level-2 stream "
		      "table for streams 0x800-0x8ff, and all 4 are given to other ranges");
	assert_int_equal(nr_cmds, 0);
	assert_null(ste_at(0x818));
}

static void test_a_stream_beyond_the_smmus_stream_ids_is_refused(void **state)
{
	(void)state;
	smmu_up_two_level(12, 0x1018);
	assert_int_equal(STRTAB_CFG_LOG2SIZE(REG(SMMU_STRTAB_BASE_CFG)), 12);
	assert_int_equal(smmu_assign(&cells[0], 0x1018, EDU_DEV), -ERANGE);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x1018 is beyond the SMMU's "
		      "stream IDs (IDR1.SIDSIZE 12: streams below 0x1000)");
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), 0);
}

/* An SMMU without two-level tables keeps the linear one: a stream beyond it is refused. */
static void test_an_smmu_without_two_level_tables_refuses_streams_above_1023(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_strtab_fit(0x418), 0);
	assert_int_equal(REG(SMMU_STRTAB_BASE_CFG), STRTAB_BASE_CFG_FMT_LINEAR | 10);
	assert_int_equal(nr_cmds, 0);
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), -ERANGE);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x418 is beyond the stream "
		      "table (1024 streams, linear: the SMMU has no two-level table, IDR0.ST_LEVEL "
		      "0)");
}

/*
 * An SMMU of 10-bit stream IDs, two-level tables or not, has no stream the
 * linear table lacks: a layout naming 0x418 keeps the linear table, and the
 * stream is refused as beyond the SMMU's stream IDs. Until the review of
 * 2026-11-25 the table went two-level for nothing ("two-level ... below 0x400").
 */
static void test_an_smmu_of_ten_bit_streams_keeps_the_linear_table(void **state)
{
	(void)state;
	REG(SMMU_IDR0) |= IDR0_ST_LEVEL_2LVL << IDR0_ST_LEVEL_SHIFT;
	REG(SMMU_IDR1) = (REG(SMMU_IDR1) & ~IDR1_SIDSIZE_MASK) | 10;
	smmu_up();
	assert_int_equal(smmu_strtab_fit(0x418), 0);
	assert_int_equal(REG(SMMU_STRTAB_BASE_CFG), STRTAB_BASE_CFG_FMT_LINEAR | 10);
	assert_int_equal(nr_cmds, 0);
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), -ERANGE);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x418 is beyond the SMMU's "
		      "stream IDs (IDR1.SIDSIZE 10: streams below 0x400)");
}

/* Streams below 1024 keep the linear table, whatever the SMMU supports: nothing changes. */
static void test_streams_below_1024_keep_the_linear_table(void **state)
{
	(void)state;
	REG(SMMU_IDR0) |= IDR0_ST_LEVEL_2LVL << IDR0_ST_LEVEL_SHIFT;
	smmu_up();
	assert_int_equal(smmu_strtab_fit(0x3ff), 0);
	assert_int_equal(REG(SMMU_STRTAB_BASE_CFG), STRTAB_BASE_CFG_FMT_LINEAR | 10);
	assert_int_equal(nr_cmds, 0);
	assert_int_equal(smmu_assign(&cells[0], 0x3ff, EDU_DEV), 0);
	assert_int_equal(ste0_of(0x3ff), STE0_ABORTS);
}

/* A stop aborts the cell's own streams, in either table, and tells the SMMU of those only. */
static void test_a_stopped_cells_level_2_streams_abort(void **state)
{
	(void)state;
	smmu_up_two_level(SIDSIZE_16, 0x518);
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), 0);
	assert_int_equal(smmu_assign(&cells[1], 0x518, EDU_DEV), 0);
	assert_int_equal(smmu_assign(&cells[0], 0x41c, EDU_DEV), 0);
	smmu_cell_resume(&cells[0]);
	smmu_cell_resume(&cells[1]);
	nr_cmds = 0;
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_cmd(0, CMD_CFGI_STE, 0x418);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	assert_cmd(1, CMD_CFGI_STE, 0x41c);
	assert_int_equal(cmds[1].ste0, STE0_ABORTS);
	assert_cmd(2, CMD_TLBI_S12_VMALL, 1);
	assert_cmd(3, CMD_SYNC, 0);
	assert_int_equal(nr_cmds, 4);
	assert_int_equal(ste0_of(0x518), STE0_S2_TRANS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_a_queue_of_unowned_stream_events_logs_a_few_lines_then_counts, setup),
		cmocka_unit_test_setup(
			test_records_written_during_a_drain_are_drained_before_it_returns, setup),
		cmocka_unit_test_setup(
			test_a_queue_that_never_drains_is_emptied_and_counted_not_chased, setup),
		cmocka_unit_test_setup(test_a_record_written_during_the_drop_interrupts_again,
				       setup),
		cmocka_unit_test_setup(test_an_unowned_stream_that_keeps_faulting_is_silenced,
				       setup),
		cmocka_unit_test_setup(
			test_owned_stream_events_are_the_cells_faults_not_unowned_lines, setup),
		cmocka_unit_test_setup(
			test_bad_ste_on_an_owned_stream_is_the_hypervisors_error_not_the_cells,
			setup),
		cmocka_unit_test_setup(
			test_fetch_walk_and_cache_errors_on_an_owned_stream_are_not_the_cells,
			setup),
		cmocka_unit_test_setup(test_an_address_size_fault_is_the_cells_at_stage_1_only,
				       setup),
		cmocka_unit_test_setup(
			test_an_event_is_reported_with_its_address_only_if_it_has_one, setup),
		cmocka_unit_test_setup(
			test_page_request_and_impdef_events_are_hints_not_the_cells_faults, setup),
		cmocka_unit_test_setup(
			test_a_stopped_cells_streams_abort_with_entries_and_tlb_invalidated, setup),
		cmocka_unit_test_setup(
			test_a_restarted_cells_streams_translate_through_its_stage_2_again, setup),
		cmocka_unit_test_setup(test_a_stream_given_at_boot_aborts_until_its_cell_is_loaded,
				       setup),
		cmocka_unit_test_setup(test_a_cell_without_streams_stops_without_smmu_commands,
				       setup),
		cmocka_unit_test_setup(test_a_cell_whose_streams_cannot_be_aborted_is_told_so,
				       setup),
		cmocka_unit_test_setup(test_a_failed_ste_invalidation_falls_back_to_cfgi_all,
				       setup),
		cmocka_unit_test_setup(
			test_an_smmu_without_stage_2_is_left_off_with_every_stream_aborting, setup),
		cmocka_unit_test_setup(
			test_an_smmu_firmware_left_on_is_never_off_with_gbpa_at_bypass, setup),
		cmocka_unit_test_setup(test_an_smmu_that_does_not_turn_off_still_gets_gbpa_abort,
				       setup),
		cmocka_unit_test_setup(test_an_smmu_that_forces_stalls_is_left_off, setup),
		cmocka_unit_test_setup(test_an_smmu_with_big_endian_tables_only_is_left_off, setup),
		cmocka_unit_test_setup(test_an_smmu_that_cannot_reach_the_image_is_left_off, setup),
		cmocka_unit_test_setup(test_an_smmu_whose_reg_is_one_page_is_left_off, setup),
		cmocka_unit_test_setup(
			test_an_smmu_with_ats_is_on_in_safe_mode_so_translated_dma_aborts, setup),
		cmocka_unit_test_setup(test_a_stream_beyond_the_table_aborts_without_event_records,
				       setup),
		cmocka_unit_test_setup(test_an_smmu_without_ats_is_not_given_the_res0_atschk,
				       setup),
		cmocka_unit_test_setup(test_an_smmu_without_hyp_is_not_sent_el2_tlb_invalidation,
				       setup),
		cmocka_unit_test_setup(test_an_smmu_with_hyp_has_its_el2_tlb_entries_invalidated,
				       setup),
		cmocka_unit_test_setup(
			test_a_halt_aborts_all_dma_by_registers_with_the_queues_lock_held, setup),
		cmocka_unit_test_setup(
			test_a_halt_whose_gbpa_abort_is_not_applied_leaves_the_smmu_on, setup),
		cmocka_unit_test_setup(
			test_a_halt_the_smmu_ignores_with_the_queues_lock_held_is_told, setup),
		cmocka_unit_test_setup(test_an_illegal_command_is_skipped_and_the_queue_goes_on,
				       setup),
		cmocka_unit_test_setup(
			test_a_stream_of_another_cell_is_refused_naming_device_and_cell, setup),
		cmocka_unit_test_setup(
			test_a_cell_with_more_ipa_bits_than_the_smmu_takes_gets_no_ste, setup),
		cmocka_unit_test_setup(
			test_a_cell_whose_stage_2_table_is_above_the_smmus_output_gets_no_ste,
			setup),
		cmocka_unit_test_setup(
			test_a_cell_whose_memory_is_above_the_smmus_output_gets_no_ste, setup),
		cmocka_unit_test_setup(
			test_an_aarch32_capable_smmu_takes_40_bit_ipas_whatever_its_oas, setup),
		cmocka_unit_test_setup(
			test_a_command_error_the_gerror_interrupt_finds_is_skipped_too, setup),
		cmocka_unit_test_setup(
			test_a_gerror_with_the_queues_lock_held_is_told_not_waited_for, setup),
		cmocka_unit_test_setup(
			test_a_stop_with_the_queues_lock_held_by_a_lost_cpu_fails_at_once, setup),
		cmocka_unit_test_setup(
			test_a_stop_on_the_cpu_lost_holding_the_queues_lock_does_not_wait_for_it,
			setup),
		cmocka_unit_test_setup(
			test_a_stop_waits_for_a_live_holder_of_the_queues_lock_past_100_ms, setup),
		cmocka_unit_test_setup(
			test_a_holder_that_parks_after_letting_the_lock_go_is_not_taken_as_lost,
			setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_as_it_takes_the_queues_lock_leaves_it_free_or_named, setup),
		cmocka_unit_test_setup(
			test_a_cell_without_streams_stops_and_starts_with_the_queues_lock_held,
			setup),
		cmocka_unit_test_setup(
			test_a_stream_above_1023_gets_a_level_2_table_and_its_l1std_invalidated,
			setup),
		cmocka_unit_test_setup(test_only_the_ranges_cells_use_have_level_2_tables, setup),
		cmocka_unit_test_setup(
			test_events_of_level_2_streams_find_their_cell_or_silence_them, setup),
		cmocka_unit_test_setup(test_a_stream_of_a_fifth_range_is_refused, setup),
		cmocka_unit_test_setup(test_a_stream_beyond_the_smmus_stream_ids_is_refused, setup),
		cmocka_unit_test_setup(
			test_an_smmu_without_two_level_tables_refuses_streams_above_1023, setup),
		cmocka_unit_test_setup(test_an_smmu_of_ten_bit_streams_keeps_the_linear_table,
				       setup),
		cmocka_unit_test_setup(test_streams_below_1024_keep_the_linear_table, setup),
		cmocka_unit_test_setup(test_a_stopped_cells_level_2_streams_abort, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
