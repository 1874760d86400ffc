// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where exception_dispatch() (arch/arm64/exception.c) sends an SError, and
 * what guest_trap_unhandled() (arch/arm64/guest_trap_unhandled.c) tells the
 * cell's on-fault policy of it: a cell's own SError is its fault, reported
 * with its syndrome decoded and no FAR (an SError does not write FAR_EL2);
 * one taken from EL2 parks the CPU, and the cell whose vCPU it ran loses it
 * (cell_cpu_lost()); one FEAT_RAS calls uncontainable, a guest's or EL2's,
 * halts the system. The test's stand-ins for what they call end each run
 * with a longjmp, as the real ones do not return.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "console.h"
#include "cpu_stack.h"
#include "esr.h"
#include "fake_log.h"
#include "fault.h"
#include "gic.h"
#include "trap_frame.h"
#include "vgic_hw.h"

#define ESR_SERROR_UC 0xbe000011ULL /* EC 0x2f, IL, DFSC 0x11, AET 0 (UC), EA 0, IESB 0 */
#define ESR_PC_ALIGN  0x8a000000ULL /* EC 0x22 (PC alignment fault), IL */
#define GUEST_FAR     0x12345678ULL /* stale: an SError does not write FAR_EL2 */
#define GUEST_ELR     0x40081234ULL

static const struct layout_cell cfg = { .label = "victim" };
static struct cell cell = { .cfg = &cfg };
static struct vcpu vcpu = { .cell = &cell, .power = VCPU_ON };
static jmp_buf out;
static enum ending { RETURNED, FAULT_UNHANDLED, PARKED, OTHER, HALTED } ending;
static char what[512]; /* more than any report: a cut one shows */
static uint64_t what_pc;

/* --- what exception.c and guest_trap_unhandled.c call --------------------------- */

static unsigned int self; /* the CPU the exception is taken on */
static uint32_t online;	  /* bit N: CPU N reported in at bring-up (MPIDR N) */

unsigned int arch_cpu_index(void)
{
	return self;
}

uint64_t arch_cpu_mpidr_of(unsigned int index)
{
	return index;
}

int arch_cpu_index_of_mpidr(uint64_t mpidr)
{
	return mpidr < 32 && (online & (1u << mpidr)) ? (int)mpidr : -1;
}

/* CPU 0's is vcpu; NULL: CPU 0 is no cell's. */
struct vcpu *cells_pcpu_vcpu[PLATFORM_MAX_CPUS];

/* False while the boot CPU builds and starts the cells (boot/main.c sets it after). */
static bool booted;
static unsigned int boot_stopped_for; /* boot_stopped_by_fault()'s CPU, or ~0u */

bool boot_is_done(void)
{
	return booted;
}

bool boot_stop_for_fault(void)
{
	return !booted;
}

void boot_stopped_by_fault(unsigned int cpu)
{
	boot_stopped_for = cpu;
	arch_cpu_park();
	abort();
}

/* The cell's side of a CPU lost (partitions/cell_lost.c): counted. */
static unsigned int cells_lost;

void cell_cpu_lost(void)
{
	cells_lost++;
}

/* owned_locks_lost()'s calls, and the cells lost by the last: it must come before the loss. */
static unsigned int locks_marked, lost_when_marked;

void owned_locks_lost(void)
{
	locks_marked++;
	lost_when_marked = cells_lost;
}

/* cell_locks_lost()'s calls, and the cells lost by the last: it too must come before the loss. */
static unsigned int cell_locks_marked, lost_when_cell_locks_marked;

void cell_locks_lost(void)
{
	cell_locks_marked++;
	lost_when_cell_locks_marked = cells_lost;
}

/* partitions/cell_lost.c's: a waiter for a lock whose holder was lost, lost too the first time. */
static unsigned int waits_lost;

bool cell_cpu_waits_lost(void)
{
	return ++waits_lost == 1;
}

/* vcpu_entry.S's trampoline, but for the fresh stack. */
void arch_cpu_park_lost(void)
{
	exception_cpu_lost();
}

void vgic_hw_sync(struct vcpu *v)
{
	(void)v;
}

void vgic_hw_flush(struct vcpu *v)
{
	(void)v;
}

void irq_handle(void)
{
	ending = OTHER;
}

void guest_trap_sync(struct vcpu *v, struct trap_frame *f)
{
	(void)v;
	(void)f;
	ending = OTHER;
}

void console_flush(void)
{
}

static bool serror_window;
static bool boot_quiet; /* the cell's boot is a restart storm's */

bool cell_boot_quiet(const struct cell *c, uint64_t boot)
{
	assert_ptr_equal(c, &cell);
	assert_int_equal(boot, cell.boots);
	return boot_quiet;
}

bool arch_vcpu_serror_window(void)
{
	return serror_window;
}

/* The cell whose devices this CPU just quiesced (arch_serror_take_for()), or NULL. */
static struct cell *quiesced_cell;

struct cell *arch_serror_window_cell(void)
{
	return quiesced_cell;
}

/* The CPU's stack area, as cpu_stack.c's would be: 16 KiB of stack, its fault stack above. */
#define AREA	 0x800040255000ULL
#define STACK_LO AREA
static uint64_t fault_sp, entry_sp;

uint64_t cpu_fault_sp(void)
{
	return fault_sp;
}

uint64_t cpu_fault_entry_sp(void)
{
	return entry_sp;
}

/* Reports begun on CPU 0 before this exception's (a fault in a report, and in its report). */
static unsigned int reports_before, give_ups;

unsigned int console_panic_enter(void)
{
	return ++reports_before;
}

void console_panic_give_up(void)
{
	give_ups++;
}

void arch_vcpu_exit_to_loop(void)
{
	ending = OTHER;
	longjmp(out, 1);
}

void arch_cpu_park(void)
{
	ending = PARKED;
	longjmp(out, 1);
}

/* FEAT_RAS on the CPU the SError is taken on. */
static bool has_ras;

bool arch_cpu_has_ras(void)
{
	return has_ras;
}

/* partitions/halt.c's: halt_begin() must come before the report, halt_system() after. */
static unsigned int halts_begun, lines_before_halt_begun;

void halt_begin(void)
{
	halts_begun++;
	lines_before_halt_begun = (unsigned int)fake_log_count(LOG_ERR);
}

void halt_system(void)
{
	ending = HALTED;
	longjmp(out, 1);
}

/* fault_serror_quiesced(): the cell it was told for, and the CPU. */
static struct cell *serror_quiesced_for;
static unsigned int serror_quiesced_cpu;

void fault_serror_quiesced(struct cell *c, const char *text, unsigned int cpu)
{
	serror_quiesced_for = c;
	serror_quiesced_cpu = cpu;
	snprintf(what, sizeof(what), "%s", text);
}

static unsigned int ras_recovered;

void fault_ras_recovered(struct vcpu *v, const char *text, uint64_t pc)
{
	assert_ptr_equal(v, &vcpu);
	snprintf(what, sizeof(what), "%s", text);
	what_pc = pc;
	ras_recovered++;
}

static unsigned int serrors_stopping;

void fault_serror_stopping(struct vcpu *v, const char *text, uint64_t pc)
{
	assert_ptr_equal(v, &vcpu);
	snprintf(what, sizeof(what), "%s", text);
	what_pc = pc;
	serrors_stopping++;
}

void fault_unhandled(struct vcpu *v, const char *text, uint64_t pc)
{
	assert_ptr_equal(v, &vcpu);
	snprintf(what, sizeof(what), "%s", text);
	what_pc = pc;
	ending = FAULT_UNHANDLED;
	longjmp(out, 1);
}

/* --- the tests ------------------------------------------------------------------ */

static const char *const endings[] = {
	[RETURNED] = "returned to the guest",
	[FAULT_UNHANDLED] = "the cell's on-fault policy (fault_unhandled())",
	[PARKED] = "the CPU parked",
	[OTHER] = "an interrupt, a synchronous trap's handler or the cell's loop",
	[HALTED] = "the system halted (halt_system())",
};

static int setup(void **state)
{
	(void)state;
	ending = RETURNED;
	fault_sp = AREA + STACK_AREA;
	entry_sp = 0;
	what[0] = '\0';
	what_pc = 0;
	memset(cells_pcpu_vcpu, 0, sizeof(cells_pcpu_vcpu));
	cells_pcpu_vcpu[0] = &vcpu;
	boot_quiet = false;
	cells_lost = 0;
	locks_marked = cell_locks_marked = 0;
	waits_lost = 0;
	lost_when_marked = ~0u;
	booted = true;
	boot_stopped_for = ~0u;
	self = 0;
	online = 0xf;
	ras_recovered = 0;
	serrors_stopping = 0;
	quiesced_cell = serror_quiesced_for = NULL;
	serror_quiesced_cpu = ~0u;
	has_ras = false;
	halts_begun = lines_before_halt_begun = 0;
	vcpu.power = VCPU_ON;
	reports_before = 0;
	give_ups = 0;
	fake_log_reset();
	return 0;
}

static struct trap_frame frame_with(uint64_t esr)
{
	return (struct trap_frame){ .esr = esr, .far = GUEST_FAR, .elr = GUEST_ELR };
}

/* exception_dispatch(@f, vector of @kind from @source), to where it ends. */
static void dispatch(struct trap_frame *f, unsigned int source, unsigned int kind)
{
	if (!setjmp(out))
		exception_dispatch(f, source << 2 | kind);
}

static void assert_ending(enum ending expected)
{
	if (ending != expected)
		fail_msg("the exception ended in %s, not %s; log was:\n%s", endings[ending],
			 endings[expected], fake_log_text());
}

static void assert_text_has(const char *substr)
{
	if (!strstr(what, substr))
		fail_msg("expected the fault text to contain \"%s\"; it was \"%s\"", substr, what);
}

static void test_guest_serror_is_its_fault_with_syndrome_decoded_and_no_far(void **state)
{
	struct trap_frame f = frame_with(ESR_SERROR_UC);

	(void)state;
	dispatch(&f, VECTOR_SOURCE_LOWER_A64, VECTOR_SERROR);
	assert_ending(FAULT_UNHANDLED);
	assert_text_has("EC 0x2f (SError)");
	assert_text_has("ESR_EL2 0xbe000011");
	assert_text_has("DFSC 0x11");
	assert_text_has("AET UC");
	assert_text_has("EA 0, IESB 0");
	if (strstr(what, "FAR"))
		fail_msg("an SError does not write FAR_EL2, yet its report has one: \"%s\"", what);
	assert_int_equal(what_pc, GUEST_ELR);
}

/*
 * FEAT_RAS: a corrected error (AET CE) or one not yet consumed (AET UEO)
 * leaves the guest able to go on: told with its syndrome, no policy, back to
 * the guest. Before, every SError stopped or restarted the cell. The others
 * (UC, UEU, UER, an IMPLEMENTATION DEFINED syndrome) still take the policy.
 */
static void test_guest_serror_corrected_or_restartable_is_told_and_the_guest_goes_on(void **state)
{
	static const uint64_t recoverable[] = { ESR_SERROR_UC | 6u << 10,
						ESR_SERROR_UC | 2u << 10 };
	static const uint64_t fatal[] = { ESR_SERROR_UC, ESR_SERROR_UC | 1u << 10,
					  ESR_SERROR_UC | 3u << 10, 0xbf000000ULL | 6u << 10 };

	(void)state;
	for (unsigned int i = 0; i < 2; i++) {
		struct trap_frame f = frame_with(recoverable[i]);

		ending = RETURNED;
		dispatch(&f, VECTOR_SOURCE_LOWER_A64, VECTOR_SERROR);
		assert_ending(RETURNED);
		assert_int_equal(ras_recovered, i + 1);
		assert_text_has(i ? "AET UEO" : "AET CE");
		assert_int_equal(what_pc, GUEST_ELR);
	}
	for (unsigned int i = 0; i < 4; i++) {
		struct trap_frame f = frame_with(fatal[i]);

		dispatch(&f, VECTOR_SOURCE_LOWER_A64, VECTOR_SERROR);
		assert_ending(FAULT_UNHANDLED);
	}
	assert_int_equal(ras_recovered, 2);
}

/*
 * FEAT_RAS: an uncontainable error (AET UC) may have reached memory or
 * caches other cells use, so stopping the cell would not contain it: told
 * as the hardware's, not charged to the cell (no fault_unhandled(), which
 * counts it and applies its policy), and the system halts, no other cell
 * running or printing after the report. Linux panics on one, also a KVM
 * guest's. Before 2026-11-25 it was the cell's fault and the others ran on.
 */
static void test_guest_serror_uncontainable_with_ras_halts_the_system(void **state)
{
	struct trap_frame f = frame_with(ESR_SERROR_UC);

	(void)state;
	has_ras = true;
	dispatch(&f, VECTOR_SOURCE_LOWER_A64, VECTOR_SERROR);
	assert_ending(HALTED);
	assert_logged(
		"E: victim: vcpu0: EC 0x2f (SError), ESR_EL2 0xbe000011: DFSC 0x11 "
		"(asynchronous SError interrupt), AET UC (uncontainable), EA 0, IESB 0 at PC "
		"0x40081234: an uncontainable error (RAS), which may have reached memory or "
		"caches other cells use: the hardware's, not charged to the cell; halting the "
		"system");
	assert_int_equal(halts_begun, 1);
	assert_int_equal(lines_before_halt_begun, 0);
	/* Also from the guest's AArch32 EL0, and as its vCPU leaves for its cell's stop. */
	setup(NULL);
	has_ras = true;
	dispatch(&f, VECTOR_SOURCE_LOWER_A32, VECTOR_SERROR);
	assert_ending(HALTED);
	setup(NULL);
	has_ras = true;
	vcpu.power = VCPU_OFF;
	dispatch(&f, VECTOR_SOURCE_LOWER_A64, VECTOR_SERROR);
	assert_ending(HALTED);
	assert_int_equal(serrors_stopping, 0);
}

/*
 * SErrors not known to be uncontainable: without RAS an AET of 0 is RES0,
 * and an IMPLEMENTATION DEFINED (IDS 1) or uncategorized (DFSC 0) syndrome
 * says nothing of where the error went; UEU and UER errors are contained to
 * what took them (KVM injects them into the guest).
 */
static const struct serror_case {
	uint64_t esr;
	bool ras;
} not_known_uncontainable[] = {
	{ ESR_SERROR_UC, false },	    /* no RAS */
	{ ESR_SERROR_UC | 1u << 10, true }, /* UEU */
	{ ESR_SERROR_UC | 3u << 10, true }, /* UER */
	{ 0xbf000000ULL, true },	    /* IDS: IMPLEMENTATION DEFINED, ISS 0 */
	{ ESR_SERROR_UC & ~0x3fULL, true }, /* DFSC 0: uncategorized */
};
#define NR_NOT_KNOWN_UNCONTAINABLE \
	(sizeof(not_known_uncontainable) / sizeof(not_known_uncontainable[0]))

/* SError @c from @source on a fresh CPU, and whether it ended as @expected, no halt begun. */
static void assert_serror_ends(const struct serror_case *c, unsigned int source,
			       enum ending expected)
{
	struct trap_frame f = frame_with(c->esr);

	setup(NULL);
	has_ras = c->ras;
	dispatch(&f, source, VECTOR_SERROR);
	if (ending != expected || halts_begun)
		fail_msg("ESR 0x%llx, RAS %d: ended in %s, %u halts begun, not in %s; log:\n%s",
			 (unsigned long long)c->esr, c->ras, endings[ending], halts_begun,
			 endings[expected], fake_log_text());
}

/* A guest's stays the cell's fault and policy, as before. */
static void test_guest_serror_not_known_uncontainable_stays_the_cells_fault(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < NR_NOT_KNOWN_UNCONTAINABLE; i++)
		assert_serror_ends(&not_known_uncontainable[i], VECTOR_SOURCE_LOWER_A64,
				   FAULT_UNHANDLED);
}

/*
 * A vCPU turned off for its cell's stop or restart, whose kick has not reached
 * it yet, leaves for its loop at its next exception. An SError it brings is
 * the guest's own: told with its syndrome, and counted, but no on-fault
 * policy (the cell is on its way out, and the error may be the stop's doing).
 * Before 2026-11-24 it was consumed without a word. Other exceptions leave
 * silently, as before: the guest's trap is moot once its cell stops.
 */
static void test_serror_of_a_vcpu_turned_off_is_told_without_policy(void **state)
{
	struct trap_frame f = frame_with(ESR_SERROR_UC);

	(void)state;
	vcpu.power = VCPU_OFF;
	dispatch(&f, VECTOR_SOURCE_LOWER_A64, VECTOR_SERROR);
	assert_ending(OTHER);
	assert_int_equal(serrors_stopping, 1);
	assert_text_has("EC 0x2f (SError)");
	assert_text_has("AET UC");
	assert_int_equal(what_pc, GUEST_ELR);
	f = frame_with(ESR_PC_ALIGN);
	ending = RETURNED;
	dispatch(&f, VECTOR_SOURCE_LOWER_A64, VECTOR_SYNC);
	assert_ending(OTHER);
	assert_int_equal(serrors_stopping, 1);
}

/* The cell's EL0 in AArch32 takes its SErrors at the "lower EL, AArch32" vector. */
static void test_serror_from_a_guests_aarch32_el0_is_its_fault_too(void **state)
{
	struct trap_frame f = frame_with(ESR_SERROR_UC);

	(void)state;
	dispatch(&f, VECTOR_SOURCE_LOWER_A32, VECTOR_SERROR);
	assert_ending(FAULT_UNHANDLED);
	assert_text_has("EC 0x2f (SError)");
}

/* The hypervisor's own SError is not a cell's fault: reported, and the CPU parks. */
static void test_serror_taken_from_el2_parks_the_cpu(void **state)
{
	struct trap_frame f = frame_with(ESR_SERROR_UC);

	(void)state;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SERROR);
	assert_ending(PARKED);
	assert_logged("E: unexpected exception on CPU 0: SError, from EL2 (SP_EL2)");
	assert_logged("E:   ESR_EL2 0xbe000011: EC 0x2f (SError) IL 1 ISS 0x11");
}

/*
 * One FEAT_RAS says is uncontainable (AET UC, an architected syndrome) may
 * have reached memory or caches other cells use, at EL2 as much as in a
 * guest: parking the CPU does not contain it. Reported as any EL2
 * exception, no other cell running or printing from its first line
 * (halt_begin()), then the system halts; no cell is failed for it. Also
 * from SP_EL0, and when taken in a vCPU's entry window (pending from before
 * its boot: it may have spread all the same). Before, the CPU parked and
 * the other cells ran on.
 */
static void test_el2_serror_uncontainable_with_ras_halts_the_system(void **state)
{
	static const unsigned int sources[] = { VECTOR_SOURCE_CUR_SPX, VECTOR_SOURCE_CUR_SP0 };
	struct trap_frame f = frame_with(ESR_SERROR_UC);

	(void)state;
	for (unsigned int i = 0; i < 3; i++) {
		setup(NULL);
		has_ras = true;
		serror_window = i == 2;
		dispatch(&f, sources[i % 2], VECTOR_SERROR);
		serror_window = false;
		assert_ending(HALTED);
		assert_int_equal(halts_begun, 1);
		assert_int_equal(lines_before_halt_begun, 0);
		assert_logged("E: unexpected exception on CPU 0: SError, from EL2");
		assert_logged("E:   SError: DFSC 0x11 (asynchronous SError interrupt), AET UC "
			      "(uncontainable)");
		assert_logged("E: CPU 0: an uncontainable error (RAS), which may have reached "
			      "memory or caches the cells use: halting the system");
		assert_not_logged("parked");
		assert_int_equal(cells_lost, 0);
	}
}

/*
 * Not known to be uncontainable (above), or recoverable (UEO, CE): at EL2
 * it parks the CPU, its cell losing it, as before; no halt.
 */
static void test_el2_serror_not_known_uncontainable_parks_the_cpu(void **state)
{
	static const struct serror_case recoverable[] = {
		{ ESR_SERROR_UC | 2u << 10, true }, /* UEO */
		{ ESR_SERROR_UC | 6u << 10, true }, /* CE */
	};

	(void)state;
	for (unsigned int i = 0; i < NR_NOT_KNOWN_UNCONTAINABLE + 2; i++) {
		assert_serror_ends(i < 2 ? &recoverable[i] : &not_known_uncontainable[i - 2],
				   VECTOR_SOURCE_CUR_SPX, PARKED);
		assert_logged("E: CPU 0 parked; it ran vcpu0 of cell victim");
	}
}

/*
 * Before the boot is done no cell runs, and none will: an uncontainable
 * SError at EL2 then stops the boot, as any fault there, and halts nothing.
 */
static void test_el2_serror_uncontainable_before_the_boot_is_done_stops_the_boot(void **state)
{
	struct trap_frame f = frame_with(ESR_SERROR_UC);

	(void)state;
	has_ras = true;
	booted = false;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SERROR);
	assert_ending(PARKED);
	assert_int_equal(boot_stopped_for, 0);
	assert_int_equal(halts_begun, 0);
}

/*
 * One left pending at EL2 and taken in arch_vcpu_enter()'s window, before a
 * boot's first instruction: told as not that boot's, and the entry goes on.
 */
static void test_serror_pending_before_a_boot_is_not_charged_to_it(void **state)
{
	struct trap_frame f = frame_with(ESR_SERROR_UC);

	(void)state;
	cell.boots = 3;
	serror_window = true;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SERROR);
	serror_window = false;
	assert_ending(RETURNED);
	assert_logged("W: CPU 0: an SError pending from before boot #3 of cell victim (ESR_EL2 "
		      "0xbe000011: ");
	assert_logged("was taken at EL2 before that boot's first instruction: not charged to it");
}

/*
 * The window opens at a vCPU's first entry of a boot only: entered again in
 * the same boot (PSCI CPU_OFF, then CPU_ON), an SError its CPU holds is the
 * boot's own, left pending for the eret (the guest's SError, its fault).
 */
static void test_serror_window_opens_only_at_a_vcpus_first_entry_of_a_boot(void **state)
{
	struct vcpu v = { .cell = &cell, .index = 1 };

	(void)state;
	cell.boots = 3;
	if (!vcpu_enters_new_boot(&v))
		fail_msg("vcpu1's first entry, of boot #3, did not open the window");
	if (vcpu_enters_new_boot(&v))
		fail_msg("vcpu1 turned off and on again in boot #3 opened the window: an SError "
			 "the boot caused would be told as from before it, not charged to it");
	cell.boots = 4;
	if (!vcpu_enters_new_boot(&v))
		fail_msg("vcpu1's first entry of boot #4, after a restart, did not open it");
}

/* Another cell's, quiesced by this CPU (victim's) for a stop it carries out: beta's devices. */
static const struct layout_cell beta_cfg = { .label = "beta" };
static struct cell beta = { .cfg = &beta_cfg };

/*
 * An SError taken in the window opened right after beta's devices were
 * quiesced on CPU 2, victim's CPU (a deferred stop of beta carried out by
 * victim's management call): told as beta's, not victim's, and the CPU goes
 * on with the stop. Until 2026-11-25 no window was opened: the SError stayed
 * pending and victim's guest took it at its next entry, as its own fault,
 * under its own on-fault policy (what test_guest_serror_is_its_... shows).
 */
static void test_serror_after_another_cells_quiesce_is_charged_to_that_cell(void **state)
{
	struct trap_frame f = frame_with(ESR_SERROR_UC);

	(void)state;
	self = 2;
	cells_pcpu_vcpu[2] = &vcpu;
	quiesced_cell = &beta;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SERROR);
	assert_ending(RETURNED);
	if (serror_quiesced_for != &beta)
		fail_msg("the SError was told for %s, not beta; log:\n%s",
			 serror_quiesced_for ? serror_quiesced_for->cfg->label : "no cell",
			 fake_log_text());
	assert_int_equal(serror_quiesced_cpu, 2);
	assert_text_has("EC 0x2f (SError), ESR_EL2 0xbe000011: DFSC 0x11");
	assert_int_equal(cells_lost, 0);
	assert_int_equal(serrors_stopping, 0);
}

/* Uncontainable (RAS, AET UC): the hardware's, the system halts, as for a guest's SError. */
static void test_uncontainable_serror_after_a_quiesce_halts_the_system(void **state)
{
	struct trap_frame f = frame_with(ESR_SERROR_UC);

	(void)state;
	has_ras = true;
	quiesced_cell = &beta;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SERROR);
	assert_ending(HALTED);
	assert_logged("E: beta: EC 0x2f (SError), ESR_EL2 0xbe000011: DFSC 0x11 (asynchronous "
		      "SError interrupt), AET UC (uncontainable), EA 0, IESB 0, taken at EL2 right "
		      "after its devices were quiesced: an uncontainable error (RAS)");
	assert_null(serror_quiesced_for);
	assert_int_equal(halts_begun, 1);
}

/* In a restart storm's boots, whose life-cycle lines are left out, so is this one. */
static void test_serror_pending_before_a_quiet_boot_is_not_told(void **state)
{
	struct trap_frame f = frame_with(ESR_SERROR_UC);

	(void)state;
	cell.boots = 9;
	boot_quiet = true;
	serror_window = true;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SERROR);
	serror_window = false;
	assert_ending(RETURNED);
	assert_not_logged("SError");
}

/*
 * A data abort at EL2 just below the stack its CPU ran on: the CPU used its
 * stack up (vectors.S took it on the fault stack). The report says so, with
 * the SP the fault interrupted, not the fault stack's; the CPU parks.
 */
static void test_el2_abort_below_the_stack_is_reported_as_its_overflow(void **state)
{
	struct trap_frame f = { .esr = 0x96000047, .far = STACK_LO - 16, .sp = 1 };

	(void)state;
	entry_sp = STACK_LO + 0x100;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_logged("E:   x28 0000000000000000 x29 0000000000000000 x30 0000000000000000 sp  "
		      "0000800040255100");
	assert_logged("E:   EL2 stack overflow: CPU 0 used up its 16 KiB stack at "
		      "0x800040255000-0x800040259000 (SP 0x800040255100)");
}

/* The same abort anywhere else, or before the CPU has a fault stack, is no overflow. */
static void test_el2_abort_elsewhere_is_not_called_an_overflow(void **state)
{
	static const uint64_t fars[] = { STACK_LO, STACK_LO - STACK_SIZE - 8, 0x1000 };
	unsigned int i;

	(void)state;
	for (i = 0; i <= 3; i++) {
		struct trap_frame f = { .esr = 0x96000047, .far = i < 3 ? fars[i] : STACK_LO - 16 };

		setup(NULL);
		if (i == 3)
			fault_sp = 0;
		dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
		assert_ending(PARKED);
		if (strstr(fake_log_text(), "stack overflow"))
			fail_msg("FAR 0x%llx (fault stack 0x%llx) called an overflow:\n%s",
				 (unsigned long long)f.far, (unsigned long long)fault_sp,
				 fake_log_text());
	}
}

/*
 * A fault at EL2 on a CPU that runs a cell's vCPU (in a trap of its guest, a
 * stop or a reload): the report names the cell, and the cell loses the CPU
 * before it parks. Before, the cell stayed RUNNING or LOADING with a vCPU
 * that would never come back, and a stop or start waited for it.
 */
static void test_el2_fault_on_a_cells_cpu_names_the_cell_and_loses_it(void **state)
{
	struct trap_frame f = { .esr = 0x96000006, .far = 0xff8000000000ULL };

	(void)state;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_logged("E: CPU 0 parked; it ran vcpu0 of cell victim");
	assert_int_equal(cells_lost, 1);
	/* Its owned locks marked lost before its cell's stop, which may wait for ever. */
	assert_int_equal(locks_marked, 1);
	assert_int_equal(lost_when_marked, 0);
}

/*
 * A waiter's BRK for a lock a lost CPU holds (include/spinlock.h) is no
 * fault of its own: no report; its cell loses it, as after one. A second
 * (its cell's stop meeting a lock it holds itself) only parks it, and any
 * other BRK at EL2 is a fault.
 */
static void test_a_waiters_brk_for_a_lost_lock_loses_its_cpu_unreported(void **state)
{
	struct trap_frame f = { .esr = (uint64_t)ESR_EC_BRK64 << 26 | 1u << 25 |
				       SPIN_WAIT_LOST_BRK };
	struct trap_frame other = { .esr = (uint64_t)ESR_EC_BRK64 << 26 | 1u << 25 | 0x800 };

	(void)state;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_int_equal(cells_lost, 1);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_int_equal(waits_lost, 2);
	assert_int_equal(cells_lost, 1);
	dispatch(&other, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_int_equal(waits_lost, 2);
	assert_logged("E: unexpected exception on CPU 0");
}

/*
 * A CPU that runs no cell's vCPU parks; cell_cpu_lost() fails only the
 * cells whose locks it held (cell_locks_lost() marked them first).
 */
static void test_el2_fault_on_a_cpu_of_no_cell_only_parks_it(void **state)
{
	struct trap_frame f = { .esr = 0x96000006, .far = 0xff8000000000ULL };

	(void)state;
	cells_pcpu_vcpu[0] = NULL;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_logged("E: CPU 0 parked; the other CPUs run on");
	assert_int_equal(cells_lost, 1);
	assert_int_equal(cell_locks_marked, 1);
	assert_int_equal(lost_when_cell_locks_marked, 0);
}

/*
 * The end of a panic() (lib/log.c) on a cell's CPU: the cell loses it, as
 * after an EL2 fault. Before 2026-11-24 the CPU only parked, and a cell
 * whose reload panicked in libfdt's stack check stayed LOADING for ever.
 */
static void test_park_after_a_fault_on_a_cells_cpu_loses_it(void **state)
{
	(void)state;
	if (!setjmp(out))
		arch_cpu_park_after_fault();
	assert_ending(PARKED);
	assert_int_equal(cells_lost, 1);
	assert_int_equal(locks_marked, 1);
	assert_int_equal(lost_when_marked, 0);
}

/* ... and on a CPU of no cell (early boot, too: no private stack to move to), only parks. */
static void test_park_after_a_fault_on_a_cpu_of_no_cell_only_parks_it(void **state)
{
	(void)state;
	cells_pcpu_vcpu[0] = NULL;
	if (!setjmp(out))
		arch_cpu_park_after_fault();
	assert_ending(PARKED);
	assert_int_equal(cells_lost, 1); /* the cells whose locks it held: cell_cpu_lost() */
	assert_int_equal(cell_locks_marked, 1);
	assert_int_equal(lost_when_cell_locks_marked, 0);
}

/*
 * CPU 0 faults, or panics (libfdt's stack check), before the boot is done:
 * as it builds the cells (its vCPU is bound before its cell is loaded,
 * cell_create.c) or once all are built, as it starts them. No other CPU has
 * left its wait for the boot's end, no guest instruction has run, and none
 * will: the boot stops, and says so. Before 2026-11-24, once the last cell
 * was built, the cell lost the CPU: "stopped and failed", "the other cells
 * run on", though none ever would; before the cells, "the other CPUs run on".
 */
static void test_a_fault_before_the_boot_is_done_stops_the_boot(void **state)
{
	struct trap_frame f = { .esr = 0x96000006, .far = 0xff8000000000ULL };

	(void)state;
	booted = false;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_int_equal(cells_lost, 0);
	assert_int_equal(boot_stopped_for, 0);
	assert_not_logged("vcpu0 of cell victim");
	boot_stopped_for = ~0u;
	if (!setjmp(out))
		arch_cpu_park_after_fault();
	assert_ending(PARKED);
	assert_int_equal(cells_lost, 0);
	assert_int_equal(boot_stopped_for, 0);
	/* Before the cells (no vCPU bound yet): the other CPUs do not run on either. */
	cells_pcpu_vcpu[0] = NULL;
	boot_stopped_for = ~0u;
	fake_log_reset();
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_int_equal(boot_stopped_for, 0);
	assert_not_logged("the other CPUs run on");
}

/*
 * CPU 2, online, waiting for the boot's end, faults while CPU 0 builds the
 * cells: the boot stops (CPU 0 says so at its next step), and the cell its
 * vCPU may already be bound to is not lost. Until 2026-11-24 it took the
 * lost-CPU path as CPU 0 built that cell, or, not bound yet, parked as a
 * CPU of no cell, "the other CPUs run on", and CPU 0 then started the cell
 * on the parked CPU.
 */
static void test_a_fault_on_a_cpu_online_before_the_boot_is_done_stops_the_boot(void **state)
{
	struct trap_frame f = { .esr = 0x96000006, .far = 0xff8000000000ULL };

	(void)state;
	booted = false;
	self = 2;
	cells_pcpu_vcpu[2] = &vcpu; /* its cell built already */
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_int_equal(cells_lost, 0);
	assert_logged("E: CPU 2 parked before the boot was done: the boot stops, no cell runs");
	assert_not_logged("of cell victim");
	/* Not bound yet: the same. */
	cells_pcpu_vcpu[2] = NULL;
	fake_log_reset();
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_logged("E: CPU 2 parked before the boot was done: the boot stops, no cell runs");
	assert_not_logged("the other CPUs run on");
	assert_int_equal(boot_stopped_for, ~0u); /* CPU 0 says it, not CPU 2 */
}

/* A CPU that faults before it is online (its bring-up): no cell can be bound to it. */
static void test_a_fault_on_a_cpu_not_online_leaves_the_boot_going(void **state)
{
	struct trap_frame f = { .esr = 0x96000006, .far = 0xff8000000000ULL };

	(void)state;
	booted = false;
	self = 2;
	online = 0x3;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_logged("E: CPU 2 parked; the other CPUs run on");
	assert_not_logged("before the boot was done");
}

/*
 * A fault in the report of a fault (the console's queue, a pointer the
 * report reads) is reported too; a fault in that one's report is not: the
 * report would fault again each time, on a fault stack that starts over,
 * and the CPU never park, the console's lock held for ever if it was its
 * own. The lock is let go and the CPU parks, its cell failed; a fault in
 * that, the fourth, parks it at once. Before 2026-11-24 nothing bounded it.
 */
static void test_a_cpu_that_keeps_faulting_in_its_reports_parks(void **state)
{
	struct trap_frame f = { .esr = 0x96000006, .far = 0xff8000000000ULL };

	(void)state;
	reports_before = 1;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_logged("E: unexpected exception on CPU 0: synchronous, from EL2 (SP_EL2)");
	assert_int_equal(give_ups, 0);
	setup(NULL);
	reports_before = 2;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	if (fake_log_text()[0])
		fail_msg("the third fault in a row was reported:\n%s", fake_log_text());
	assert_int_equal(give_ups, 1);
	assert_int_equal(cells_lost, 1);
	setup(NULL);
	reports_before = 3;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_ending(PARKED);
	assert_int_equal(give_ups, 1);
	assert_int_equal(cells_lost, 0);
}

/* Only an SError goes without its FAR: other unhandled exceptions name the address. */
static void test_other_unhandled_exception_reports_its_far(void **state)
{
	struct trap_frame f = frame_with(ESR_PC_ALIGN);

	(void)state;
	if (!setjmp(out))
		guest_trap_unhandled(&vcpu, &f);
	assert_ending(FAULT_UNHANDLED);
	assert_text_has("EC 0x22");
	assert_text_has(", FAR 0x12345678");
}

/*
 * FAR_EL2 is written for aborts, a PC alignment fault and watchpoints only,
 * and not for an abort whose ISS.FnV is 1: a guest's EC 0x00 (an UNDEF
 * trapped to EL2) or guarded control stack exception has no address, and
 * before 2026-11-24 its report named whatever FAR an earlier fault left.
 */
/* guest_trap_unhandled() of a frame with @esr, to the policy. */
static void unhandled(uint64_t esr)
{
	struct trap_frame f = frame_with(esr);

	if (!setjmp(out))
		guest_trap_unhandled(&vcpu, &f);
	assert_ending(FAULT_UNHANDLED);
}

static void test_unhandled_exception_names_far_only_where_it_was_written(void **state)
{
	static const uint64_t no_far[] = { 0x02000000ULL, 0xb6000000ULL }; /* EC 0x00, 0x2d */

	(void)state;
	for (unsigned int i = 0; i < 2; i++) {
		unhandled(no_far[i]);
		if (strstr(what, "FAR"))
			fail_msg(
				"ESR 0x%llx does not write FAR_EL2, yet its report has one: \"%s\"",
				(unsigned long long)no_far[i], what);
	}
	unhandled(0x92000410ULL); /* a data abort, DFSC 0x10 (synchronous external abort), FnV 1 */
	assert_text_has(", FAR not valid (FnV)");
	if (strstr(what, "0x12345678"))
		fail_msg("FnV 1, yet the report names FAR: \"%s\"", what);
	unhandled(0xd2000022ULL); /* a watchpoint, lower EL */
	assert_text_has(", FAR 0x12345678");
}

/*
 * ISS values around a fault-status code: all ones or all zeros above it,
 * with one of bits [24:6] flipped, or none (@bit 25). Each field the
 * decoders read takes its widest value so: ISV, SAS 3 and SRT 31 with WnR
 * and S1PTW but FnV 0; an SError's IDS 0 with AET 1 (UEU, the longest name).
 */
#define ISS_UPPER 0x1ffffc0u
static uint32_t iss_pattern(unsigned int bit, bool ones)
{
	return ((ones ? ISS_UPPER : 0) ^ (bit < 25 ? 1u << bit : 0)) & ISS_UPPER;
}

/* guest_trap_unhandled()'s report of @esr is whole: its ISS detail and its FAR to the end. */
static void assert_unhandled_told_whole(uint64_t esr)
{
	struct trap_frame f = { .esr = esr, .far = 0xfedcba9876543210ULL, .elr = GUEST_ELR };
	char detail[512];
	const char *far = esr_far_state(esr) == ESR_FAR_VALID ? ", FAR 0xfedcba9876543210"
			  : esr_far_state(esr) == ESR_FAR_FNV ? ", FAR not valid (FnV)"
							      : "";
	size_t n;

	if (esr_describe_iss(esr, detail, sizeof(detail)) >= ESR_DESCRIBE_MAX)
		fail_msg("ESR 0x%llx: %zu characters of detail, more than ESR_DESCRIBE_MAX: \"%s\"",
			 (unsigned long long)esr, strlen(detail), detail);
	if (!setjmp(out))
		guest_trap_unhandled(&vcpu, &f);
	n = strlen(what);
	if (!strstr(what, detail) || n < strlen(far) || strcmp(what + n - strlen(far), far))
		fail_msg("ESR 0x%llx: the report is cut: \"%s\"", (unsigned long long)esr, what);
}

/*
 * An unhandled exception's report holds its whole syndrome, for every class
 * with every fault-status code and the ISS bits around it, a 64-bit ESR_EL2
 * (ISS2 set) and FAR; no class name or ISS detail outgrows the constants
 * that size it (ESR_EC_NAME_MAX, ESR_DESCRIBE_MAX). Before, the report had
 * 192 bytes and its detail 128: an abort's IMPLEMENTATION DEFINED fault
 * code with ISV, WnR and S1PTW (142 characters) was cut without a word.
 */
static void test_unhandled_exception_report_is_never_cut(void **state)
{
	(void)state;
	for (unsigned int ec = 0; ec < 64; ec++) {
		if (strlen(esr_ec_name(ec)) >= ESR_EC_NAME_MAX)
			fail_msg("EC 0x%02x: its name \"%s\" outgrows ESR_EC_NAME_MAX", ec,
				 esr_ec_name(ec));
		for (unsigned int bit = 6; bit <= 25; bit++)
			for (unsigned int low = 0; low < 64; low++)
				for (unsigned int ones = 0; ones < 2; ones++)
					assert_unhandled_told_whole(
						0x00ffffff00000000ULL | (uint64_t)ec << 26 |
						ESR_ELx_IL | iss_pattern(bit, ones) | low);
	}
}

/*
 * Likewise in the report of an exception the hypervisor takes itself: an
 * SError, an EC 0x00 at EL2, an abort with FnV 1 leave FAR_EL2 out (a stale
 * one just below the stack is no overflow either); an abort names it.
 */
static void test_el2_report_names_far_only_where_it_was_written(void **state)
{
	struct trap_frame f = { .esr = ESR_SERROR_UC, .far = STACK_LO - 16 };

	(void)state;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SERROR);
	assert_ending(PARKED);
	assert_logged("E:   ELR_EL2 0x0 SPSR_EL2 0x0\n");
	f.esr = 0x02000000; /* EC 0x00, on the fault stack */
	setup(NULL);
	entry_sp = STACK_LO + 0x100;
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_logged("E:   ELR_EL2 0x0 SPSR_EL2 0x0\n");
	assert_not_logged("stack overflow");
	f.esr = 0x96000410; /* EC 0x25, FnV 1, DFSC 0x10 */
	setup(NULL);
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_logged("E:   ELR_EL2 0x0 FAR_EL2 not valid (FnV) SPSR_EL2 0x0\n");
	f.esr = 0x96000010; /* FnV 0 */
	setup(NULL);
	dispatch(&f, VECTOR_SOURCE_CUR_SPX, VECTOR_SYNC);
	assert_logged("E:   ELR_EL2 0x0 FAR_EL2 0x800040254ff0 SPSR_EL2 0x0\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_guest_serror_is_its_fault_with_syndrome_decoded_and_no_far, setup),
		cmocka_unit_test_setup(
			test_guest_serror_corrected_or_restartable_is_told_and_the_guest_goes_on,
			setup),
		cmocka_unit_test_setup(test_serror_from_a_guests_aarch32_el0_is_its_fault_too,
				       setup),
		cmocka_unit_test_setup(test_guest_serror_uncontainable_with_ras_halts_the_system,
				       setup),
		cmocka_unit_test_setup(
			test_guest_serror_not_known_uncontainable_stays_the_cells_fault, setup),
		cmocka_unit_test_setup(test_serror_of_a_vcpu_turned_off_is_told_without_policy,
				       setup),
		cmocka_unit_test_setup(test_serror_taken_from_el2_parks_the_cpu, setup),
		cmocka_unit_test_setup(test_el2_serror_uncontainable_with_ras_halts_the_system,
				       setup),
		cmocka_unit_test_setup(test_el2_serror_not_known_uncontainable_parks_the_cpu,
				       setup),
		cmocka_unit_test_setup(
			test_el2_serror_uncontainable_before_the_boot_is_done_stops_the_boot,
			setup),
		cmocka_unit_test_setup(test_serror_pending_before_a_boot_is_not_charged_to_it,
				       setup),
		cmocka_unit_test_setup(
			test_serror_window_opens_only_at_a_vcpus_first_entry_of_a_boot, setup),
		cmocka_unit_test_setup(test_serror_pending_before_a_quiet_boot_is_not_told, setup),
		cmocka_unit_test_setup(
			test_serror_after_another_cells_quiesce_is_charged_to_that_cell, setup),
		cmocka_unit_test_setup(test_uncontainable_serror_after_a_quiesce_halts_the_system,
				       setup),
		cmocka_unit_test_setup(test_el2_abort_below_the_stack_is_reported_as_its_overflow,
				       setup),
		cmocka_unit_test_setup(test_el2_abort_elsewhere_is_not_called_an_overflow, setup),
		cmocka_unit_test_setup(test_other_unhandled_exception_reports_its_far, setup),
		cmocka_unit_test_setup(test_unhandled_exception_names_far_only_where_it_was_written,
				       setup),
		cmocka_unit_test_setup(test_el2_report_names_far_only_where_it_was_written, setup),
		cmocka_unit_test_setup(test_unhandled_exception_report_is_never_cut, setup),
		cmocka_unit_test_setup(test_el2_fault_on_a_cells_cpu_names_the_cell_and_loses_it,
				       setup),
		cmocka_unit_test_setup(test_el2_fault_on_a_cpu_of_no_cell_only_parks_it, setup),
		cmocka_unit_test_setup(test_park_after_a_fault_on_a_cells_cpu_loses_it, setup),
		cmocka_unit_test_setup(test_a_fault_before_the_boot_is_done_stops_the_boot, setup),
		cmocka_unit_test_setup(
			test_a_fault_on_a_cpu_online_before_the_boot_is_done_stops_the_boot, setup),
		cmocka_unit_test_setup(test_a_fault_on_a_cpu_not_online_leaves_the_boot_going,
				       setup),
		cmocka_unit_test_setup(test_a_cpu_that_keeps_faulting_in_its_reports_parks, setup),
		cmocka_unit_test_setup(test_park_after_a_fault_on_a_cpu_of_no_cell_only_parks_it,
				       setup),
		cmocka_unit_test_setup(test_a_waiters_brk_for_a_lost_lock_loses_its_cpu_unreported,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
