// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shell's fault log (partitions/fault_log.c, fed by partitions/fault.c):
 * `faults` prints the faults kept as they were when it was typed, however
 * fast a cell records new ones meanwhile (a restart loop records one per
 * boot, and a console line takes 10 ms on a real UART), oldest first, and
 * no cell's faults push out another's last. And the rate limit of the
 * reports, whose counters (and the log's slots) the test reaches because
 * it includes fault.c and fault_log.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cell.h"
#include "esr.h"
#include "fake_cpus.h"
#include "fake_log.h"
#include "fault.h"
#include "manage.h"

/* The code under test, with its report counters (reported[][]) and log in reach. */
#include "../../partitions/fault.c"
#include "../../partitions/fault_log.c"

#define STORM_LIMIT 500 /* faults the hook records at most: the old loop ends too */

static struct layout_cell cfg = { .label = "storm",
				  .on_fault = LAYOUT_ON_FAULT_RESTART,
				  .watchdog_ms = 1 };
static struct cell storm = { .cfg = &cfg };
static uint64_t now;
static unsigned int printed, recorded;

/* --- what fault.c calls ---------------------------------------------------- */

/* The CPU that records next faults as it reads the time, inside the log's lock. */
static bool fault_at_the_time;

uint64_t arch_counter_read(void)
{
	if (fault_at_the_time) {
		fault_at_the_time = false;
		fake_cpu_fault();
	}
	return now;
}

uint64_t arch_counter_freq(void)
{
	return 1000;
}

/* A wait for the log's lock: one that never ends fails the test instead. */
#define RELAX_LIMIT 1000000
static unsigned int relaxes;

/*
 * A cell whose lock CPU 2 holds as it counts the cell's next boot
 * (cell.c's go_running(), a restart's end): it lets go at the waiter's
 * first pause. NULL: none.
 */
static struct cell *counting_next_boot;
#define COUNTING_CPU 2

static void lock_held_counting_next_boot(struct cell *cell)
{
	cell->lock = (struct spinlock){ .next = 1, .owner = 0, .holder = COUNTING_CPU + 1 };
	counting_next_boot = cell;
}

/* The same, but CPU 2 ends the cell's stop under the lock: the cell is STOPPED as it lets go. */
static bool stops_instead;

static void lock_held_ending_its_stop(struct cell *cell)
{
	lock_held_counting_next_boot(cell);
	stops_instead = true;
}

void arch_cpu_relax(void)
{
	struct cell *c = counting_next_boot;

	if (c) {
		counting_next_boot = NULL;
		if (stops_instead)
			c->state = CELL_STOPPED;
		else
			c->boots++;
		stops_instead = false;
		__atomic_store_n(&c->lock.holder, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&c->lock.owner, c->lock.owner + 1, __ATOMIC_RELEASE);
		return;
	}
	if (++relaxes > RELAX_LIMIT)
		fail_msg("waited %u times for a lock whose holder will never let it go", relaxes);
}

void arch_cpu_park(void)
{
	fail_msg("arch_cpu_park()");
	for (;;)
		;
}

/* A halt-system cell's: the console must have sent everything first. */
static bool halt_expected, flushed;
static jmp_buf halted;

void console_flush(void)
{
	flushed = true;
}

/*
 * Every other CPU stopped: before the halt line, or a cell on another CPU
 * prints (and runs) after it while the report goes out at the UART's pace.
 */
static bool others_stopped;

/* The cell whose DMA fault the halt is for, and the CPU that claimed it under its lock. */
static struct cell *halting_for;
static int claimed_under_lock = -1;

bool halt_claim(void)
{
	if (halting_for && halting_for->lock.holder == spin_self())
		claimed_under_lock = (int)arch_cpu_index();
	return true;
}

void halt_begin(void)
{
	if (counting_next_boot)
		fail_msg("the system halts for boot #%lu's DMA while CPU %u, holding the cell's "
			 "lock, counts its next boot",
			 (unsigned long)counting_next_boot->boots, COUNTING_CPU);
	if (!halt_expected)
		fail_msg("halt_begin()");
	if (fake_log_contains("halting the system"))
		fail_msg("the other CPUs were stopped after the halt line was told");
	others_stopped = true;
}

void halt_system(void)
{
	if (!halt_expected)
		fail_msg("halt_system()");
	if (!flushed)
		fail_msg("the system halted with the console not flushed: the fault's report "
			 "and the halt line would never reach the UART");
	if (!others_stopped)
		fail_msg("the system halted with the other CPUs never stopped first");
	longjmp(halted, 1);
}

/* True: the cell restarts in a loop, as cell_storm.c would say. */
static bool storming;

bool cell_restart_storm(const struct cell *cell)
{
	(void)cell;
	return storming;
}

/*
 * @cell's lines about DMA faults left without a policy, none told yet: the
 * tests share cell ids, and the limit counts a cell's lines for good.
 */
static void no_policy_lines_fresh(const struct cell *cell)
{
	reported[cell->id][FAULT_KIND_DMA_NO_POLICY] = 0;
}

/* The boot whose life-cycle lines are left out (cell_storm.c), or 0. */
static uint64_t quiet_boot;

bool cell_boot_quiet(const struct cell *cell, uint64_t boot)
{
	(void)cell;
	return quiet_boot && boot == quiet_boot;
}

/* The restart itself is not what is tested: the fault it follows is recorded. */
void cell_restart(struct cell *cell, const char *why)
{
	(void)cell;
	(void)why;
}

void cell_stop(struct cell *cell, const char *why)
{
	(void)cell;
	(void)why;
}

/*
 * The requests fault_policy_async() posts to a cell's CPU, and the boot the
 * last one named. With post_answer set (-ESTALE), the cell counts its next
 * boot between fault_policy_async()'s check and manage.c's, which refuses.
 */
static unsigned int restarts_posted, stops_posted;
static uint64_t posted_boot;
static int post_answer;

int manage_restart_async(struct cell *cell, const char *why, uint64_t boot)
{
	(void)why;
	if (post_answer) {
		cell->boots++;
		return post_answer;
	}
	restarts_posted++;
	posted_boot = boot;
	return 0;
}

int manage_stop_async(struct cell *cell, const char *why, uint64_t boot)
{
	(void)why;
	if (post_answer) {
		cell->boots++;
		return post_answer;
	}
	stops_posted++;
	posted_boot = boot;
	return 0;
}

void cell_lock_lost_say(const struct cell *cell, const char *what, const char *undone)
{
	log_err("%s: %s lost: %s", cell->cfg->label, what, undone);
}

const char *layout_on_fault_name(enum layout_on_fault f)
{
	return f == LAYOUT_ON_FAULT_RESTART ? "restart" : "stop";
}

/* --- a console slow enough for a cell to fault once per line --------------- */

static void fault_per_line(const char *line)
{
	if (strncmp(line, "I: shell: [", 11) != 0)
		return;
	printed++;
	if (recorded < STORM_LIMIT) {
		recorded++;
		now++;
		fault_watchdog(&storm, 1000 + recorded);
	}
}

static void record(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		now++;
		fault_watchdog(&storm, i);
	}
}

static void test_faults_prints_the_log_once_while_new_faults_come(void **state)
{
	(void)state;
	record(FAULT_LOG_SLOTS + 4);
	fake_log_reset();
	fake_log_set_hook(fault_per_line);
	fault_log_print();
	fake_log_set_hook(NULL);
	if (printed != FAULT_LOG_SLOTS)
		fail_msg("%u lines printed for a log of %u (the print chased the faults each of "
			 "its lines let in)",
			 printed, FAULT_LOG_SLOTS);
	/* The 16 that were there, oldest first: faults 4 to 19 of the first 20. */
	assert_logged("] storm: watchdog: no kick for 4 ms");
	assert_logged("] storm: watchdog: no kick for 19 ms");
	assert_not_logged("] storm: watchdog: no kick for 3 ms");
	assert_not_logged("] storm: watchdog: no kick for 1001 ms");
	assert_int_equal(recorded, FAULT_LOG_SLOTS);
}

/* Cells beside storm (id 0), each with its own id, as the fault log keeps them apart. */
static struct layout_cell alpha_cfg = { .label = "alpha",
					.on_fault = LAYOUT_ON_FAULT_RESTART,
					.watchdog_ms = 1 };
static struct layout_cell beta_cfg = { .label = "beta",
				       .on_fault = LAYOUT_ON_FAULT_RESTART,
				       .watchdog_ms = 1 };
static struct layout_cell gamma_cfg = { .label = "gamma",
					.on_fault = LAYOUT_ON_FAULT_RESTART,
					.watchdog_ms = 1 };
static struct cell alpha = { .cfg = &alpha_cfg, .id = 1 };
static struct cell beta = { .cfg = &beta_cfg, .id = 2 };
static struct cell gamma_cell = { .cfg = &gamma_cfg, .id = 3 };

/* The fault log as at boot: the tests before this one filled it. */
static void fault_log_empty(void)
{
	slots_used = 0;
}

/* @cell's fault number @n, at time @n: "<label>: watchdog: no kick for <n> ms". */
static void record_as(struct cell *cell, unsigned int n)
{
	now = n;
	fault_watchdog(cell, n);
}

#define PRINTED_MAX (FAULT_LOG_SLOTS + 1)

/*
 * What `faults` printed, line by line: "<label>:<n>" for each fault
 * record_as() made, into @out; returns how many lines.
 */
static unsigned int printed_faults(char out[][32])
{
	const char *p = fake_log_text();
	unsigned int n = 0, ms;
	char label[16];

	while ((p = strstr(p, "I: shell: [")) != NULL) {
		p = strchr(p, ']');
		if (sscanf(p, "] %15[^:]: watchdog: no kick for %u ms", label, &ms) != 2)
			fail_msg("a line `faults` printed is not a fault recorded: %.60s", p);
		if (n == PRINTED_MAX)
			fail_msg("more than %u lines printed", PRINTED_MAX);
		snprintf(out[n++], sizeof(out[0]), "%s:%u", label, ms);
	}
	return n;
}

/*
 * Cell alpha's one fault stays in `faults` however many a neighbour records
 * after it: until 2026-11-25 one ring of 16 kept every cell's, and beta's 16
 * reports pushed alpha's out (a cell restarting in a loop records one per
 * boot, for ever). The neighbour keeps the rest, its last ones.
 */
static void test_a_neighbours_faults_never_push_out_a_cells_last(void **state)
{
	char got[PRINTED_MAX][32], want[32];
	unsigned int n, i, last = 1 + 4 * FAULT_LOG_SLOTS;

	(void)state;
	fault_log_empty();
	record_as(&alpha, 1);
	for (i = 2; i <= last; i++)
		record_as(&beta, i);
	fake_log_reset();
	fault_log_print();
	n = printed_faults(got);
	assert_int_equal(n, FAULT_LOG_SLOTS);
	if (strcmp(got[0], "alpha:1") != 0)
		fail_msg("alpha's one fault is not kept: the oldest printed is %s, after %u of "
			 "beta's",
			 got[0], last - 1);
	for (i = 1; i < n; i++) {
		snprintf(want, sizeof(want), "beta:%u", last - (n - 1) + i);
		assert_string_equal(got[i], want);
	}
}

/*
 * Printed oldest first across cells, though a fault takes the slot of an
 * older one of its cell wherever that was: alpha's 1, gamma's 10 (recorded
 * among beta's) and beta's last 14, beta's in slots before and after
 * gamma's.
 */
static void test_faults_prints_every_cells_faults_oldest_first(void **state)
{
	char got[PRINTED_MAX][32], want[32];
	unsigned int n, i;

	(void)state;
	fault_log_empty();
	record_as(&alpha, 1);
	for (i = 2; i <= 9; i++)
		record_as(&beta, i);
	record_as(&gamma_cell, 10);
	for (i = 11; i <= 30; i++)
		record_as(&beta, i);
	fake_log_reset();
	fault_log_print();
	n = printed_faults(got);
	assert_int_equal(n, FAULT_LOG_SLOTS);
	assert_string_equal(got[0], "alpha:1");
	assert_string_equal(got[1], "gamma:10");
	for (i = 2; i < n; i++) {
		snprintf(want, sizeof(want), "beta:%u", 30 - (n - 1) + i);
		if (strcmp(got[i], want) != 0)
			fail_msg("line %u of `faults` is %s, not %s: not in the order recorded", i,
				 got[i], want);
	}
}

static void test_faults_with_none_says_so(void **state)
{
	(void)state;
	fake_log_reset();
	fault_log_print();
	assert_logged("I: shell: no faults");
}

/*
 * A stage-2 permission fault (a write to read-only shared memory) does not
 * give its IPA (HPFAR_EL2 is UNKNOWN then): the report names the VA only,
 * not whatever page an earlier fault left behind.
 */
static void test_stage2_fault_without_an_ipa_is_reported_by_its_va(void **state)
{
	struct vcpu v = { .cell = &storm, .index = 1 };

	(void)state;
	fake_log_reset();
	fault_stage2(&v,
		     &(struct stage2_fault){ .access = "write",
					     .ipa = FAULT_IPA_UNKNOWN,
					     .va = 0x50000004,
					     .pc = 0x40001000,
					     .syndrome = "DFSC 0x0f (permission fault, level 3), "
							 "WnR 1" });
	assert_logged("W: storm: vcpu1: write of VA 0x50000004 (IPA not reported for this fault) "
		      "at PC 0x40001000: refused by the cell's stage 2 (DFSC 0x0f (permission "
		      "fault, level 3), WnR 1); abort injected");
	assert_not_logged("IPA 0xffffffffffffffff");
}

/*
 * An unaligned store to a passed-through device's page the guest maps Normal
 * (ESR_EL2 0x92000061: data abort, DFSC 0x21, WnR 1): stage 2's Device type
 * made it an Alignment fault, which gives no IPA either. The report says so,
 * as guest_trap.c's handle_abort() composes it (esr_abort_cause(), the
 * syndrome), not that the cell's stage 2 refused an address.
 */
static void test_stage2_alignment_fault_is_reported_as_one(void **state)
{
	struct vcpu v = { .cell = &storm, .index = 0 };
	uint64_t esr = 0x92000061;
	char syndrome[128];

	(void)state;
	fake_log_reset();
	assert_false(esr_abort_ipa_valid(esr));
	esr_describe_iss(esr, syndrome, sizeof(syndrome));
	fault_stage2(&v, &(struct stage2_fault){ .access = esr_abort_access(esr),
						 .ipa = FAULT_IPA_UNKNOWN,
						 .va = 0x10000003,
						 .pc = 0x40001000,
						 .why = esr_abort_cause(esr),
						 .syndrome = syndrome });
	assert_logged("W: storm: vcpu0: write of VA 0x10000003 (IPA not reported for this fault) "
		      "at PC 0x40001000: alignment fault: an unaligned access, or DC ZVA, to a "
		      "page that is Device memory at stage 2 (a passed-through device) (DFSC 0x21 "
		      "(alignment fault), WnR 1); abort injected\n");
	assert_not_logged("refused by the cell's stage 2");
}

/*
 * A stage-2 fault on the guest's stage-1 table walk (ISS.S1PTW): its page
 * tables, not the access, reached an IPA outside the cell. HPFAR_EL2 gives
 * the descriptor's page; FAR is the VA being translated, so its offset is
 * not the descriptor's (esr_abort_ipa()), and WnR is the walk's own access.
 * Composed as guest_trap.c's handle_abort() does. Before, a fetch's walk
 * was reported as "fetch of IPA 0x90000123" (the VA's offset on the
 * descriptor's page), with no word of the walk.
 */
static void test_stage2_fault_on_a_stage1_walk_names_the_page_tables(void **state)
{
	struct layout_cell walk_cfg = { .label = "walker" };
	struct cell walker = { .cfg = &walk_cfg, .id = 3 };
	struct vcpu v = { .cell = &walker, .index = 0 };
	/* Instruction abort, lower EL, S1PTW, IFSC 0x07; data abort, S1PTW, WnR 1, DFSC 0x06 */
	static const uint64_t esrs[] = { 0x82000087ULL, 0x920000c6ULL };
	static const char *const want[] = {
		"W: walker: vcpu0: fetch of VA 0x400123 at PC 0x400010: its stage-1 table walk "
		"reached IPA page 0x90000000: not the cell's memory or device: the guest's page "
		"tables are outside the cell (IFSC 0x07 (translation fault, level 3), on a "
		"stage-1 table walk); abort injected\n",
		"W: walker: vcpu0: data access of VA 0x400123 at PC 0x400010: its stage-1 table "
		"walk reached IPA page 0x90000000: not the cell's memory or device: the guest's "
		"page tables are outside the cell (DFSC 0x06 (translation fault, level 2), WnR 1, "
		"on a stage-1 table walk); abort injected\n",
	};
	char syndrome[128];

	(void)state;
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t ipa = esr_abort_ipa(esrs[i], 0x90000ULL << 4, 0x400123);

		fake_log_reset();
		assert_true(esr_abort_ipa_valid(esrs[i]));
		esr_describe_iss(esrs[i], syndrome, sizeof(syndrome));
		fault_stage2(&v, &(struct stage2_fault){ .access = esr_abort_access(esrs[i]),
							 .walk = true,
							 .ipa = ipa,
							 .va = 0x400123,
							 .pc = 0x400010,
							 .syndrome = syndrome });
		assert_logged(want[i]);
		assert_not_logged("0x90000123");
	}
}

/*
 * The same when HPFAR_EL2 gave no IPA for the walk: said so, with the VA it
 * translated, or that FnV left none either; the reason the caller gave, or
 * the cell's stage 2 refusing it.
 */
static void test_stage2_fault_on_a_stage1_walk_without_an_ipa_says_so(void **state)
{
	struct layout_cell walk_cfg = { .label = "walker2" };
	struct cell walker = { .cfg = &walk_cfg, .id = 6 };
	struct vcpu v = { .cell = &walker, .index = 1 };

	(void)state;
	fake_log_reset();
	fault_stage2(&v, &(struct stage2_fault){ .access = "fetch",
						 .walk = true,
						 .ipa = FAULT_IPA_UNKNOWN,
						 .va = 0x400123,
						 .pc = 0x400010,
						 .syndrome = "IFSC 0x07" });
	assert_logged("W: walker2: vcpu1: fetch of VA 0x400123 at PC 0x400010: its stage-1 table "
		      "walk faulted (IPA not reported for this fault): refused by the cell's "
		      "stage 2 (IFSC 0x07); abort injected\n");
	fake_log_reset();
	fault_stage2(&v, &(struct stage2_fault){ .access = "data access",
						 .walk = true,
						 .va_unknown = true,
						 .ipa = FAULT_IPA_UNKNOWN,
						 .va = 0xdead,
						 .pc = 0x400010,
						 .why = "a parity error",
						 .syndrome = "DFSC 0x14" });
	assert_logged("W: walker2: vcpu1: data access of a VA not reported (FnV) at PC 0x400010: "
		      "its stage-1 table walk faulted (IPA not reported for this fault): a parity "
		      "error (DFSC 0x14); abort injected\n");
	assert_not_logged("0xdead");
}

/*
 * An SError a vCPU brings as it leaves for its cell's stop or restart: told,
 * counted, and no policy: the restart going on must not become a stop (nor
 * the system halt) for what may be the stop's own doing.
 */
static void test_serror_while_stopping_is_told_and_counted_without_policy(void **state)
{
	struct layout_cell halt_cfg = { .label = "leaving",
					.on_fault = LAYOUT_ON_FAULT_HALT_SYSTEM };
	struct cell leaving = { .cfg = &halt_cfg, .id = 4 };
	struct vcpu v = { .cell = &leaving, .index = 1 };

	(void)state;
	fake_log_reset();
	fault_serror_stopping(&v, "EC 0x2f (SError), ESR_EL2 0xbe000011", 0x40000800);
	assert_logged("W: leaving: vcpu1: EC 0x2f (SError), ESR_EL2 0xbe000011 at PC 0x40000800: "
		      "taken as the vCPU left the guest for its cell's stop or restart, which goes "
		      "on: no on-fault policy\n");
	assert_int_equal(leaving.faults, 1);
	assert_not_logged("halting the system");
}

/*
 * An SMMU record without an input address (C_BAD_SUBSTREAMID, an event the
 * driver does not know) is reported without one: before, "at 0x0".
 */
static void test_an_smmu_fault_without_an_address_says_none(void **state)
{
	struct layout_cell dma_cfg = { .label = "dma" };
	struct cell dma = { .cfg = &dma_cfg, .id = 5 };

	(void)state;
	fake_log_reset();
	fault_smmu(&dma, "C_BAD_SUBSTREAMID", 0x18, 0, false, "record 0x1800000008 0x0");
	assert_logged("W: dma: SMMU: C_BAD_SUBSTREAMID for stream 0x18 (record 0x1800000008 0x0); "
		      "on-fault stop\n");
	assert_not_logged("at 0x0");
	fault_smmu(&dma, "F_TRANSLATION", 0x18, 0x4c100000, true, "DMA write");
	assert_logged("W: dma: SMMU: F_TRANSLATION for stream 0x18 at 0x4c100000 (DMA write); "
		      "on-fault stop\n");
}

/*
 * A DMA fault record drained as its cell reloads is its previous boot's
 * (smmu_cell_resume()): said so, not "on-fault restart" as if the new boot
 * were to be restarted for it; still the cell's fault, counted.
 */
static void test_an_smmu_fault_of_the_previous_boot_says_so_and_no_policy(void **state)
{
	struct layout_cell dma_cfg = { .label = "dma", .on_fault = LAYOUT_ON_FAULT_RESTART };
	struct cell dma = { .cfg = &dma_cfg, .id = 5, .boots = 1 };

	(void)state;
	fake_log_reset();
	fault_smmu_of_last_boot(&dma, "F_TRANSLATION", 0x18, 0x4c100000, true, "DMA write");
	assert_logged(
		"W: dma: SMMU: F_TRANSLATION for stream 0x18 at 0x4c100000 (DMA write) of the "
		"cell's previous boot (#1), drained as it reloads: no on-fault policy\n");
	assert_not_logged("on-fault restart");
	assert_int_equal(dma.faults, 1);
}

/*
 * A report longer than the fault log keeps (a device's long refusal) is cut,
 * and says so, on the console and in `faults`: it does not end mid-word as
 * if it were whole.
 */
static void test_a_fault_report_too_long_to_keep_says_it_was_cut(void **state)
{
	struct vcpu v = { .cell = &storm, .index = 0 };
	char why[FAULT_TEXT];

	(void)state;
	memset(why, 'y', sizeof(why) - 1);
	why[sizeof(why) - 1] = '\0';
	fake_log_reset();
	fault_stage2(&v, &(struct stage2_fault){ .access = "read",
						 .ipa = 0x9000000,
						 .va = 0x9000000,
						 .pc = 0x40000000,
						 .why = why,
						 .syndrome = "DFSC 0x07" });
	assert_logged("yyy" LOG_CUT_MARK "\n");
	fake_log_reset();
	fault_log_print();
	assert_logged("yyy" LOG_CUT_MARK "\n");
}

/*
 * An SMC with an immediate other than 0 (smc #1, x0 = PSCI_VERSION) is refused
 * for the immediate, and says so: not as if PSCI were not answered over smc.
 */
static void test_smc_with_a_nonzero_immediate_is_refused_for_it(void **state)
{
	struct layout_cell imm_cfg = { .label = "imm" };
	struct cell imm = { .cfg = &imm_cfg, .id = 2 };
	struct vcpu v = { .cell = &imm, .index = 1 };

	(void)state;
	fake_log_reset();
	fault_smc(&v, 0x84000000, 0x1, 0x40000400);
	assert_logged("W: imm: vcpu1: SMC 0x84000000 at PC 0x40000400 refused: smc #0x1, and "
		      "SMCCC calls use immediate 0\n");
	assert_not_logged("only PSCI");
	fake_log_reset();
	fault_smc(&v, 0xc2000000, 0, 0x40000404);
	assert_logged("W: imm: vcpu1: SMC 0xc2000000 at PC 0x40000404 refused: only PSCI and the "
		      "SMCCC architecture calls are answered over smc, Bulkhead's own over hvc\n");
}

static void test_halt_system_sends_its_report_before_the_system_halts(void **state)
{
	struct layout_cell halt_cfg = { .label = "brake", .on_fault = LAYOUT_ON_FAULT_HALT_SYSTEM };
	struct cell brake = { .cfg = &halt_cfg };

	(void)state;
	fake_log_reset();
	halt_expected = true;
	flushed = false;
	others_stopped = false;
	if (!setjmp(halted))
		fault_apply_policy(&brake, "watchdog");
	halt_expected = false;
	assert_true(flushed);
	assert_logged("E: brake: halting the system, as its layout asks");
}

/*
 * Past FAULT_LOG_LIMIT reports a kind is only counted. Its report counter
 * stays where it stopped: it counted every fault before, and after 2^32 of
 * them it wrapped round to 0 and the storm was told anew, a line per fault.
 */
static void test_a_storm_past_the_report_limit_is_never_told_again(void **state)
{
	struct layout_cell quiet_cfg = { .label = "quiet" };
	struct cell quiet = { .cfg = &quiet_cfg, .id = 1 };
	struct vcpu v = { .cell = &quiet, .index = 0 };
	unsigned int i;

	(void)state;
	fake_log_reset();
	for (i = 0; i < FAULT_LOG_LIMIT + 1000; i++)
		fault_smc(&v, 0xc2000000, 0, 0x40000000);
	assert_int_equal(fake_log_count(LOG_WARN), FAULT_LOG_LIMIT + 1); /* + "counting without" */
	assert_int_equal(quiet.faults, FAULT_LOG_LIMIT + 1000);
	if (reported[quiet.id][FAULT_KIND_SMC] > FAULT_LOG_LIMIT + 1)
		fail_msg("the report counter went on to %u past the limit of %u: it wraps round "
			 "to 0 after 2^32 faults",
			 reported[quiet.id][FAULT_KIND_SMC], FAULT_LOG_LIMIT);
	/* Where the old counter was one fault before it wrapped. */
	reported[quiet.id][FAULT_KIND_SMC] = UINT32_MAX;
	fake_log_reset();
	for (i = 0; i < 3; i++)
		fault_smc(&v, 0xc2000000, 0, 0x40000000);
	assert_not_logged("SMC 0xc2000000");
}

/* Each function that reports a kind of fault the rate limit applies to. */
enum reporter {
	REPORT_STAGE2,
	REPORT_SMC,
	REPORT_UNDEF,
	REPORT_RAS,
	REPORT_SERROR_STOPPING,
	REPORT_SERROR_QUIESCED,
	REPORT_DENIED,
	REPORT_SMMU,
	REPORT_SMMU_OF_LAST_BOOT,
	REPORT_TLB_CONFLICT,
	REPORTERS,
};

static void report_once(enum reporter r, struct vcpu *v)
{
	static const struct stage2_fault s2 = { .access = "read",
						.ipa = 0x90000000,
						.va = 0x1000,
						.pc = 0x40000000,
						.syndrome = "DFSC 0x07" };

	switch (r) {
	case REPORT_STAGE2:
		fault_stage2(v, &s2);
		break;
	case REPORT_SMC:
		fault_smc(v, 0xc2000000, 0, 0x40000000);
		break;
	case REPORT_UNDEF:
		fault_undef(v, "mrs x0, S3_3_C15_C0_0", 0x40000000);
		break;
	case REPORT_RAS:
		fault_ras_recovered(v, "EC 0x2f (SError)", 0x40000000);
		break;
	case REPORT_SERROR_STOPPING:
		fault_serror_stopping(v, "EC 0x2f (SError)", 0x40000000);
		break;
	case REPORT_SERROR_QUIESCED:
		fault_serror_quiesced(v->cell, "EC 0x2f (SError)", 1);
		break;
	case REPORT_DENIED:
		fault_denied(v, 0xc6000010);
		break;
	case REPORT_SMMU:
		fault_smmu(v->cell, "F_TRANSLATION", 0x18, 0x4c100000, true, "DMA write");
		break;
	case REPORT_SMMU_OF_LAST_BOOT:
		fault_smmu_of_last_boot(v->cell, "F_TRANSLATION", 0x18, 0x4c100000, true,
					"DMA write");
		break;
	default:
		fault_tlb_conflict(v, &s2);
		break;
	}
}

/*
 * Every report a guest can bring on in a loop is rate-limited: FAULT_LOG_LIMIT
 * of them told, then the line that says the rest are not, then none, however
 * many more come (the console is every cell's). Each is counted as the
 * cell's fault all the same, but for a TLB conflict retried, which is not
 * the guest's fault.
 */
static void test_every_kind_of_report_stops_at_the_limit_and_is_counted(void **state)
{
	struct layout_cell loud_cfg = { .label = "loud" };
	struct cell loud = { .cfg = &loud_cfg, .id = 7 };
	struct vcpu v = { .cell = &loud, .index = 0 };

	(void)state;
	for (unsigned int r = 0; r < REPORTERS; r++) {
		memset(reported[loud.id], 0, sizeof(reported[loud.id]));
		loud.faults = 0;
		fake_log_reset();
		for (unsigned int i = 0; i < FAULT_LOG_LIMIT + 5; i++)
			report_once(r, &v);
		if (fake_log_count(LOG_WARN) != FAULT_LOG_LIMIT + 1)
			fail_msg("reporter %u: %d warnings for %u reports, where %u are told and "
				 "one line says the rest are not",
				 r, fake_log_count(LOG_WARN), FAULT_LOG_LIMIT + 5, FAULT_LOG_LIMIT);
		assert_int_equal(loud.faults, r == REPORT_TLB_CONFLICT ? 0 : FAULT_LOG_LIMIT + 5);
	}
	memset(reported[loud.id], 0, sizeof(reported[loud.id])); /* the next test's cell 7 talks */
}

/*
 * The log full and shared evenly, every cell holding FAULT_KEPT_PER_CELL:
 * a new fault is a tie for the most, and takes its own cell's oldest slot.
 * Were it another cell's, that cell would keep fewer than
 * FAULT_KEPT_PER_CELL, which no neighbour may take from it.
 */
static void test_a_new_fault_in_a_log_shared_evenly_takes_its_own_cells_slot(void **state)
{
	static struct layout_cell cfgs[LAYOUT_MAX_CELLS];
	static struct cell cells[LAYOUT_MAX_CELLS];
	char got[PRINTED_MAX][32], want[32];
	unsigned int c, i, k, n, t = 1;

	(void)state;
	fault_log_empty();
	for (c = 0; c < LAYOUT_MAX_CELLS; c++) {
		snprintf(cfgs[c].label, sizeof(cfgs[c].label), "cell%u", c);
		cells[c] = (struct cell){ .cfg = &cfgs[c], .id = c };
	}
	for (k = 0; k < FAULT_KEPT_PER_CELL; k++)
		for (c = 0; c < LAYOUT_MAX_CELLS; c++)
			record_as(&cells[c], t++);
	record_as(&cells[0], t);
	fake_log_reset();
	fault_log_print();
	n = printed_faults(got);
	assert_int_equal(n, FAULT_LOG_SLOTS);
	for (c = 1; c < LAYOUT_MAX_CELLS; c++) {
		for (k = 0; k < FAULT_KEPT_PER_CELL; k++) {
			snprintf(want, sizeof(want), "cell%u:%u", c, 1 + c + k * LAYOUT_MAX_CELLS);
			for (i = 0; i < n && strcmp(got[i], want) != 0; i++)
				;
			if (i == n)
				fail_msg(
					"cell0's new fault pushed out %s, of a cell that held only "
					"its last %u",
					want, FAULT_KEPT_PER_CELL);
		}
	}
}

/* The rate limit's line comes with the first report not told, not with the last told. */
static void test_the_report_limits_line_comes_with_the_first_fault_past_it(void **state)
{
	struct layout_cell noisy_cfg = { .label = "noisy" };
	struct cell noisy = { .cfg = &noisy_cfg, .id = 5 };
	struct vcpu v = { .cell = &noisy, .index = 0 };
	unsigned int i;

	(void)state;
	fake_log_reset();
	for (i = 0; i < FAULT_LOG_LIMIT; i++)
		fault_undef(&v, "mrs x0, S3_3_C15_C0_0", 0x40000000);
	assert_int_equal(fake_log_count(LOG_WARN), FAULT_LOG_LIMIT);
	assert_not_logged("more than");
	fault_undef(&v, "mrs x0, S3_3_C15_C0_0", 0x40000000);
	assert_int_equal(fake_log_count(LOG_WARN), FAULT_LOG_LIMIT + 1);
	assert_logged("W: noisy: more than 8 undefined instructions; counting without logging\n");
}

/*
 * A DMA fault drained after its cell stopped (smmu_events.c): no policy, a
 * stopped cell is left stopped. Nor a restart of a cell another CPU stops,
 * restarts or reloads: the restart under way is the restart asked for, and
 * a stop under way stands. A running cell's is posted (its CPU carries it
 * out). A stop or a halt of a cell STOPPING or LOADING: the next tests.
 */
static void
test_a_dma_fault_of_a_stopped_cell_or_a_restart_under_way_applies_no_policy(void **state)
{
	static const enum layout_on_fault policies[] = { LAYOUT_ON_FAULT_STOP,
							 LAYOUT_ON_FAULT_RESTART,
							 LAYOUT_ON_FAULT_HALT_SYSTEM };
	static const enum cell_state under_way[] = { CELL_STOPPING, CELL_LOADING };
	struct layout_cell dma_cfg = { .label = "dma" };
	struct cell dma = { .cfg = &dma_cfg, .id = 6, .state = CELL_STOPPED, .boots = 1 };
	unsigned int s, p;

	(void)state;
	restarts_posted = stops_posted = 0;
	post_answer = 0;
	fake_log_reset();
	no_policy_lines_fresh(&dma);
	for (p = 0; p < sizeof(policies) / sizeof(policies[0]); p++) {
		dma_cfg.on_fault = policies[p];
		fault_policy_async(&dma, "DMA fault", 1); /* halt_begin() fails the test */
	}
	dma_cfg.on_fault = LAYOUT_ON_FAULT_RESTART;
	for (s = 0; s < sizeof(under_way) / sizeof(under_way[0]); s++) {
		dma.state = under_way[s];
		fault_policy_async(&dma, "DMA fault", 1);
	}
	if (restarts_posted || stops_posted)
		fail_msg("%u restart(s) and %u stop(s) posted to a cell stopped or restarting",
			 restarts_posted, stops_posted);
	/* Each report said "on-fault X": what became of it is said too. */
	assert_logged("I: dma: DMA fault of boot #1: the cell is stopped, no policy\n"
		      "I: dma: DMA fault of boot #1: the cell is stopped, no policy\n"
		      "I: dma: DMA fault of boot #1: the cell is stopped, no policy\n"
		      "I: dma: DMA fault of boot #1: its stop or restart is under way, no restart "
		      "on top\n"
		      "I: dma: DMA fault of boot #1: its stop or restart is under way, no restart "
		      "on top\n");
	fake_log_reset();
	dma.state = CELL_RUNNING;
	fault_policy_async(&dma, "DMA fault", 1);
	dma_cfg.on_fault = LAYOUT_ON_FAULT_STOP;
	fault_policy_async(&dma, "DMA fault", 1);
	assert_int_equal(restarts_posted, 1);
	assert_int_equal(stops_posted, 1);
	assert_int_equal(posted_boot, 1);
}

/*
 * on-fault stop for boot #3's DMA while boot #3's own stop or restart is
 * under way (STOPPING, LOADING; its guest reset itself as its device
 * faulted): the stop is posted, naming the boot, for manage.c to queue, so
 * the restart ends stopped (test_lifecycle_queue.c). Until 2026-11-25 it was
 * dropped here and boot #4 ran, though a stop posted a moment earlier, the
 * cell still RUNNING, was queued and stopped it.
 */
static void test_a_dma_faults_stop_reaches_the_boots_restart_under_way(void **state)
{
	static const enum cell_state under_way[] = { CELL_STOPPING, CELL_LOADING };
	struct layout_cell dma_cfg = { .label = "dma", .on_fault = LAYOUT_ON_FAULT_STOP };
	struct cell dma = { .cfg = &dma_cfg, .id = 6, .boots = 3 };

	(void)state;
	for (unsigned int s = 0; s < sizeof(under_way) / sizeof(under_way[0]); s++) {
		restarts_posted = stops_posted = 0;
		posted_boot = 0;
		post_answer = 0;
		dma.state = under_way[s];
		fault_policy_async(&dma, "DMA fault", 3);
		if (stops_posted != 1 || posted_boot != 3)
			fail_msg(
				"%s: %u stop(s) posted, for boot #%lu; boot #3's restart under way "
				"would start boot #4",
				under_way[s] == CELL_STOPPING ? "STOPPING" : "LOADING",
				stops_posted, (unsigned long)posted_boot);
	}
}

/*
 * A DMA fault of boot #1 whose policy comes after the cell stopped and
 * started again (its guest's SYSTEM_RESET, its watchdog, the shell): boot #2
 * made no DMA. Nothing is posted, the system does not halt, and it is said,
 * once per policy. Until 2026-11-25 boot #2 was restarted, stopped or halted.
 */
static void test_a_dma_fault_of_an_earlier_boot_applies_no_policy(void **state)
{
	static const enum layout_on_fault policies[] = { LAYOUT_ON_FAULT_STOP,
							 LAYOUT_ON_FAULT_RESTART,
							 LAYOUT_ON_FAULT_HALT_SYSTEM };
	struct layout_cell dma_cfg = { .label = "dma" };
	struct cell dma = { .cfg = &dma_cfg, .id = 6, .state = CELL_RUNNING, .boots = 2 };
	unsigned int p;

	(void)state;
	restarts_posted = stops_posted = 0;
	post_answer = 0;
	fake_log_reset();
	no_policy_lines_fresh(&dma);
	for (p = 0; p < sizeof(policies) / sizeof(policies[0]); p++) {
		dma_cfg.on_fault = policies[p];
		fault_policy_async(&dma, "DMA fault", 1); /* halt_begin() fails the test */
	}
	if (restarts_posted || stops_posted)
		fail_msg("%u restart(s) and %u stop(s) posted to boot #2 for boot #1's DMA fault",
			 restarts_posted, stops_posted);
	assert_logged("I: dma: DMA fault of boot #1: the cell is at boot #2, no policy\n");
	assert_int_equal(fake_log_count(LOG_INFO), 3);
}

/*
 * halt-system for boot #4's DMA while CPU 2 holds the cell's lock, counting
 * boot #5 (a restart's end, go_running()): the boot is checked under the
 * lock, once CPU 2 has let go, and boot #5 is not halted for boot #4's DMA.
 * Until 2026-11-25 it was checked without the lock, and the halt went on.
 */
static void test_a_dma_faults_halt_checks_the_boot_under_the_cells_lock(void **state)
{
	struct layout_cell dma_cfg = { .label = "dma", .on_fault = LAYOUT_ON_FAULT_HALT_SYSTEM };
	struct cell dma = { .cfg = &dma_cfg, .id = 6, .state = CELL_RUNNING, .boots = 4 };

	(void)state;
	fake_cpus_reset(0);
	fake_log_reset();
	no_policy_lines_fresh(&dma);
	lock_held_counting_next_boot(&dma);
	fault_policy_async(&dma, "DMA fault", 4); /* halt_begin() fails the test */
	counting_next_boot = NULL;
	assert_logged("I: dma: DMA fault of boot #4: the cell is at boot #5, no policy\n");
	assert_int_equal(dma.lock.holder, 0); /* let go */
}

/*
 * halt-system for a DMA fault of a cell whose lock a CPU lost at EL2 holds
 * (marked, cell_locks_lost()): the lock is not taken, so neither the boot
 * nor the state can be read under it; the halt is refused and said, and the
 * lock left as the lost CPU holds it (the cell is failed: cell_lost.c).
 */
static void test_a_dma_faults_halt_is_refused_when_a_lost_cpu_holds_the_cells_lock(void **state)
{
	struct layout_cell dma_cfg = { .label = "dma", .on_fault = LAYOUT_ON_FAULT_HALT_SYSTEM };
	struct cell dma = { .cfg = &dma_cfg, .id = 6, .state = CELL_RUNNING, .boots = 4 };
	const uintptr_t lost = (COUNTING_CPU + 1) | SPIN_HOLDER_LOST;

	(void)state;
	fake_cpus_reset(0);
	fake_log_reset();
	dma.lock = (struct spinlock){ .next = 1, .owner = 0, .holder = lost };
	fault_policy_async(&dma, "DMA fault", 4); /* halt_begin() fails the test */
	assert_logged(
		"E: dma: its lock lost: a DMA fault's halt-system refused: the cell failed\n");
	assert_int_equal(dma.lock.holder, lost);
}

/*
 * halt-system for boot #4's DMA while another CPU, holding the cell's lock,
 * ends boot #4's stop: looked at under the lock, the cell is stopped, and a
 * stopped cell is left stopped (no halt, and no word of a later boot).
 */
static void test_a_dma_faults_halt_finds_the_cell_stopped_under_its_lock(void **state)
{
	struct layout_cell dma_cfg = { .label = "dma", .on_fault = LAYOUT_ON_FAULT_HALT_SYSTEM };
	struct cell dma = { .cfg = &dma_cfg, .id = 6, .state = CELL_STOPPING, .boots = 4 };

	(void)state;
	fake_cpus_reset(0);
	fake_log_reset();
	lock_held_ending_its_stop(&dma);
	fault_policy_async(&dma, "DMA fault", 4); /* halt_begin() fails the test */
	counting_next_boot = NULL;
	assert_int_equal(dma.state, CELL_STOPPED);
	assert_not_logged("DMA fault of boot #4");
	assert_int_equal(dma.lock.holder, 0); /* let go */
}

/* @cell's DMA fault of boot @boot: others_stopped and claimed_under_lock say how it halted. */
static void dma_fault_may_halt(struct cell *cell, uint64_t boot)
{
	fake_cpus_reset(0);
	fake_log_reset();
	counting_next_boot = NULL;
	halting_for = cell;
	claimed_under_lock = -1;
	halt_expected = true;
	flushed = others_stopped = false;
	if (!setjmp(halted))
		fault_policy_async(cell, "DMA fault", boot);
	halt_expected = false;
	halting_for = NULL;
}

/*
 * The boot that faulted still runs: the halt is claimed under the cell's
 * lock, as the boot is checked, so a restart that counts the next boot
 * after it parks before starting the cell (halt_if_halting()), and the
 * system halts.
 */
static void test_a_dma_faults_halt_of_the_running_boot_is_claimed_under_its_lock(void **state)
{
	struct layout_cell dma_cfg = { .label = "dma", .on_fault = LAYOUT_ON_FAULT_HALT_SYSTEM };
	struct cell dma = { .cfg = &dma_cfg, .id = 6, .state = CELL_RUNNING, .boots = 4 };

	(void)state;
	dma_fault_may_halt(&dma, 4);
	assert_true(others_stopped);
	if (claimed_under_lock != 0)
		fail_msg("the halt for boot #4's DMA was not claimed under the cell's lock");
	assert_logged("E: dma: halting the system, as its layout asks");
}

/*
 * Boot #4 of a halt-system cell makes a DMA fault, and its stop or restart
 * is under way as the record is drained, boot #5 not yet counted: its guest
 * reset itself at once (PSCI SYSTEM_RESET: STOPPING, then LOADING), or the
 * shell stops it (STOPPING, its stop's reason set). The fault is boot #4's,
 * and the layout says the system must not run on after it: the halt is
 * claimed under the cell's lock, as for a running cell. Until 2026-11-25
 * nothing happened after the line that said "on-fault halt-system", and
 * boot #5 ran.
 */
static void test_a_dma_faults_halt_reaches_the_boots_stop_or_restart_under_way(void **state)
{
	static const struct {
		enum cell_state state;
		const char *stop_why;
	} under_way[] = { { CELL_STOPPING, NULL },
			  { CELL_LOADING, NULL },
			  { CELL_STOPPING, "shell" } };
	struct layout_cell dma_cfg = { .label = "dma", .on_fault = LAYOUT_ON_FAULT_HALT_SYSTEM };
	struct cell dma = { .cfg = &dma_cfg, .id = 6, .boots = 4 };

	(void)state;
	for (unsigned int i = 0; i < sizeof(under_way) / sizeof(under_way[0]); i++) {
		dma.state = under_way[i].state;
		dma.stop_why = under_way[i].stop_why;
		dma_fault_may_halt(&dma, 4);
		if (!others_stopped || claimed_under_lock != 0)
			fail_msg(
				"boot #4's DMA fault under on-fault halt-system, the cell %s (%s): "
				"%s; boot #5 would run; log:\n%s",
				dma.state == CELL_LOADING ? "loading" : "stopping",
				dma.stop_why ? "the shell stops it" : "it restarts itself",
				others_stopped ? "halted, not claimed under the cell's lock"
					       : "no halt",
				fake_log_text());
	}
}

/*
 * The boot checked again as the request is posted (manage.c, under the
 * cell's lock): a restart counted between the two checks is told the same,
 * once.
 */
static void test_a_dma_fault_whose_boot_ends_as_it_is_posted_is_told_once(void **state)
{
	struct layout_cell dma_cfg = { .label = "dma", .on_fault = LAYOUT_ON_FAULT_RESTART };
	struct cell dma = { .cfg = &dma_cfg, .id = 6, .state = CELL_RUNNING, .boots = 3 };

	(void)state;
	fake_log_reset();
	no_policy_lines_fresh(&dma);
	post_answer = -ESTALE;
	fault_policy_async(&dma, "DMA fault", 3);
	post_answer = 0;
	assert_logged("I: dma: DMA fault of boot #3: the cell is at boot #4, no policy\n");
	assert_int_equal(fake_log_count(LOG_INFO), 1);
}

/*
 * Only a cell whose on-fault is restart goes quiet in a restart loop (its
 * next boot's fault is the same one). A cell restarted in a loop by a
 * management cell whose on-fault is stop says why it stops.
 */
static void test_only_an_on_fault_restart_cell_in_a_restart_loop_is_quiet(void **state)
{
	struct layout_cell loop_cfg = { .label = "loop", .watchdog_ms = 1 };
	struct cell loop = { .cfg = &loop_cfg, .id = 7 };
	bool told;

	(void)state;
	storming = true;
	loop_cfg.on_fault = LAYOUT_ON_FAULT_STOP;
	fake_log_reset();
	fault_watchdog(&loop, 5);
	told = fake_log_contains(
		"E: loop: watchdog: no kick for 5 ms (timeout 1 ms); on-fault stop");
	loop_cfg.on_fault = LAYOUT_ON_FAULT_RESTART;
	fake_log_reset();
	fault_watchdog(&loop, 6);
	storming = false;
	if (!told)
		fail_msg("an on-fault stop cell restarted in a loop stopped without a word");
	assert_not_logged("loop: watchdog");
}

/*
 * What became of a DMA fault's policy when none applied is a line per
 * drain: a device that faults at every boot of a cell restarting in a loop
 * found it stopping or loading each time, and added a line a boot for
 * ever. In a restart storm, or for a boot whose life-cycle lines are left
 * out, it is not told; else the first FAULT_LOG_LIMIT are, a cell. Until
 * 2026-11-25 every one was (the interference audit).
 */
static void test_a_dma_fault_without_policy_in_a_restart_storm_is_not_told(void **state)
{
	struct layout_cell dma_cfg = { .label = "dmaloop", .on_fault = LAYOUT_ON_FAULT_RESTART };
	struct cell dma = { .cfg = &dma_cfg, .id = 4, .state = CELL_STOPPING, .boots = 40 };

	(void)state;
	restarts_posted = stops_posted = 0;
	post_answer = 0;
	fake_log_reset();
	no_policy_lines_fresh(&dma);
	storming = true;
	for (unsigned int i = 0; i < 100; i++)
		fault_policy_async(&dma, "DMA fault", 40);
	storming = false;
	quiet_boot = 40; /* the storm's boots: told as its life-cycle lines are */
	dma.state = CELL_STOPPED;
	for (unsigned int i = 0; i < 100; i++)
		fault_policy_async(&dma, "DMA fault", 40);
	quiet_boot = 0;
	if (fake_log_count(LOG_INFO) + fake_log_count(LOG_WARN) > 1)
		fail_msg("200 DMA faults of a cell restarting in a loop, no policy: %d lines:\n%s",
			 fake_log_count(LOG_INFO) + fake_log_count(LOG_WARN), fake_log_text());
	assert_int_equal(restarts_posted + stops_posted, 0);
}

/* Out of a storm, told the first FAULT_LOG_LIMIT times, then said to be only counted. */
static void test_dma_faults_without_policy_are_told_at_most_the_report_limit(void **state)
{
	struct layout_cell dma_cfg = { .label = "dmamany", .on_fault = LAYOUT_ON_FAULT_RESTART };
	struct cell dma = { .cfg = &dma_cfg, .id = 7, .state = CELL_RUNNING, .boots = 2 };

	(void)state;
	restarts_posted = stops_posted = 0;
	post_answer = 0;
	fake_log_reset();
	no_policy_lines_fresh(&dma);
	for (unsigned int i = 0; i < 100; i++)
		fault_policy_async(&dma, "DMA fault", 1); /* boot #1's: the cell is at boot #2 */
	assert_int_equal(fake_log_count(LOG_INFO), FAULT_LOG_LIMIT);
	assert_logged("W: dmamany: more than 8 DMA faults left without policy; no more are told\n");
	assert_int_equal(fake_log_count(LOG_WARN), 1);
}

/*
 * A CPU lost at EL2 as it records a fault keeps the log's lock for ever:
 * every other cell's next fault, and the shell's `faults`, go on without
 * the log (said once, with the lost CPU), instead of waiting for ever with
 * their interrupts masked. Last: the log stays lost.
 */
static void test_a_cpu_lost_recording_a_fault_stops_no_other_cpu(void **state)
{
	(void)state;
	fake_cpus_reset(1);
	fault_at_the_time = true;
	if (!setjmp(fake_cpu_fault_point))
		fault_watchdog(&storm, 7); /* CPU 1 faults inside, and parks */
	fake_cpu = 0;
	fake_log_reset();
	relaxes = 0;
	fault_watchdog(&storm, 8);
	assert_logged("storm: watchdog: no kick for 8 ms");
	assert_logged("E: fault log: its lock is held by CPU 1, lost inside a change of it: faults "
		      "are no longer kept for the shell's `faults` (still reported); the first "
		      "refused, on CPU 0: a fault not kept");
	fake_log_reset();
	fault_watchdog(&storm, 9);
	fault_log_print();
	assert_not_logged("fault log: its lock");
	assert_logged("I: shell: the fault log is lost (its lock held by CPU 1): not printed");
	assert_not_logged("] storm");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: the log is still empty. */
		cmocka_unit_test(test_faults_with_none_says_so),
		cmocka_unit_test(test_faults_prints_the_log_once_while_new_faults_come),
		cmocka_unit_test(test_a_neighbours_faults_never_push_out_a_cells_last),
		cmocka_unit_test(test_faults_prints_every_cells_faults_oldest_first),
		cmocka_unit_test(test_stage2_fault_without_an_ipa_is_reported_by_its_va),
		cmocka_unit_test(test_stage2_fault_on_a_stage1_walk_names_the_page_tables),
		cmocka_unit_test(test_stage2_fault_on_a_stage1_walk_without_an_ipa_says_so),
		cmocka_unit_test(test_serror_while_stopping_is_told_and_counted_without_policy),
		cmocka_unit_test(test_an_smmu_fault_without_an_address_says_none),
		cmocka_unit_test(test_an_smmu_fault_of_the_previous_boot_says_so_and_no_policy),
		cmocka_unit_test(test_stage2_alignment_fault_is_reported_as_one),
		cmocka_unit_test(test_smc_with_a_nonzero_immediate_is_refused_for_it),
		cmocka_unit_test(test_a_fault_report_too_long_to_keep_says_it_was_cut),
		cmocka_unit_test(test_halt_system_sends_its_report_before_the_system_halts),
		cmocka_unit_test(test_a_storm_past_the_report_limit_is_never_told_again),
		cmocka_unit_test(test_a_new_fault_in_a_log_shared_evenly_takes_its_own_cells_slot),
		cmocka_unit_test(test_the_report_limits_line_comes_with_the_first_fault_past_it),
		cmocka_unit_test(test_every_kind_of_report_stops_at_the_limit_and_is_counted),
		cmocka_unit_test(
			test_a_dma_fault_of_a_stopped_cell_or_a_restart_under_way_applies_no_policy),
		cmocka_unit_test(test_a_dma_faults_stop_reaches_the_boots_restart_under_way),
		cmocka_unit_test(test_a_dma_fault_of_an_earlier_boot_applies_no_policy),
		cmocka_unit_test(test_a_dma_fault_whose_boot_ends_as_it_is_posted_is_told_once),
		cmocka_unit_test(test_a_dma_faults_halt_checks_the_boot_under_the_cells_lock),
		cmocka_unit_test(test_a_dma_faults_halt_finds_the_cell_stopped_under_its_lock),
		cmocka_unit_test(
			test_a_dma_faults_halt_is_refused_when_a_lost_cpu_holds_the_cells_lock),
		cmocka_unit_test(
			test_a_dma_faults_halt_of_the_running_boot_is_claimed_under_its_lock),
		cmocka_unit_test(
			test_a_dma_faults_halt_reaches_the_boots_stop_or_restart_under_way),
		cmocka_unit_test(test_only_an_on_fault_restart_cell_in_a_restart_loop_is_quiet),
		cmocka_unit_test(test_a_dma_fault_without_policy_in_a_restart_storm_is_not_told),
		cmocka_unit_test(test_dma_faults_without_policy_are_told_at_most_the_report_limit),
		cmocka_unit_test(test_a_cpu_lost_recording_a_fault_stops_no_other_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
