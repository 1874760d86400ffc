// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's stage-2 aborts that are not emulated MMIO (arch/arm64/guest_abort.c):
 * what the report says, composed from the trap frame (ESR_EL2, FAR_EL2,
 * ELR_EL2) and the IPA guest_trap.c read from HPFAR_EL2, through the real
 * fault log (partitions/fault.c, included for its report counters).
 */
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
#include "fake_log.h"
#include "fault.h"
#include "guest_abort.h"
#include "manage.h"
#include "mmio.h"
#include "trap_frame.h"

/* The fault log under test, with its report counters (reported[][]) in reach. */
#include "../../partitions/fault.c"
#include "../../partitions/fault_log.c"

static struct layout_cell cfg = { .label = "guest", .on_fault = LAYOUT_ON_FAULT_RESTART };
static struct cell cell = { .cfg = &cfg, .id = 1 };
static struct vcpu vcpu = { .cell = &cell, .index = 1 };

/* --- what guest_abort.c and fault.c call ----------------------------------- */

static uint64_t now; /* counter ticks: 1 per ms (arch_counter_freq()) */
static unsigned int flushes;
static struct tlb_conflict_streak streak; /* this CPU's */

uint64_t arch_counter_read(void)
{
	return now;
}

void arch_stage2_tlb_flush_local(void)
{
	flushes++;
}

uint64_t arch_counter_freq(void)
{
	return 1000;
}

void arch_cpu_relax(void)
{
}

/*
 * Where the cell's CPU goes: none of these returns to the guest, so each
 * ends the run with a longjmp to run_not_guests(), saying which it was.
 */
static enum ending { RETURNED, STOPPED, RESTARTED, HALTED, PARKED } ending;
static const char *ending_why;
static jmp_buf out;

static void __attribute__((noreturn)) end(enum ending e, const char *why)
{
	ending = e;
	ending_why = why;
	longjmp(out, 1);
}

void arch_cpu_park(void)
{
	end(PARKED, NULL);
}

void console_flush(void)
{
}

/* Every other CPU stopped: none here. */
void halt_begin(void)
{
}

bool halt_claim(void)
{
	return true;
}

void cell_lock_lost_say(const struct cell *c, const char *what, const char *undone)
{
	(void)c;
	(void)what;
	(void)undone;
}

void halt_system(void)
{
	end(HALTED, NULL);
}

bool cell_restart_storm(const struct cell *c)
{
	(void)c;
	return false;
}

bool cell_boot_quiet(const struct cell *c, uint64_t boot)
{
	(void)c;
	(void)boot;
	return false;
}

void cell_restart(struct cell *c, const char *why)
{
	assert_ptr_equal(c, &cell);
	end(RESTARTED, why);
}

void cell_stop(struct cell *c, const char *why)
{
	assert_ptr_equal(c, &cell);
	end(STOPPED, why);
}

int manage_restart_async(struct cell *c, const char *why, uint64_t boot)
{
	(void)c;
	(void)why;
	(void)boot;
	return 0;
}

int manage_stop_async(struct cell *c, const char *why, uint64_t boot)
{
	(void)c;
	(void)why;
	(void)boot;
	return 0;
}

const char *layout_on_fault_name(enum layout_on_fault f)
{
	static const char *const names[] = { "stop", "restart", "halt-system" };

	return names[f];
}

/* The cell's one emulated device: a virtual PL011 at 0x9000000. */
const char *mmio_device_name(const struct cell *c, uint64_t ipa)
{
	assert_ptr_equal(c, &cell);
	return ipa >> 12 == 0x9000 ? "pl011@9000000" : NULL;
}

/* --------------------------------------------------------------------------- */

/* guest_abort_not_guests() under the cell's on-fault @policy: how its CPU left. */
static enum ending run_not_guests(enum layout_on_fault policy, struct trap_frame *f, uint64_t ipa)
{
	cfg.on_fault = policy;
	ending = RETURNED;
	ending_why = NULL;
	if (!setjmp(out))
		guest_abort_not_guests(&vcpu, f, ipa, &streak);
	return ending;
}

static int fresh_log(void **state)
{
	(void)state;
	snprintf(cfg.label, sizeof(cfg.label), "guest");
	vcpu.index = 1;
	memset(reported, 0, sizeof(reported));
	cell.faults = 0;
	cfg.on_fault = LAYOUT_ON_FAULT_RESTART;
	guest_abort_streak_reset(&streak);
	flushes = 0;
	fake_log_reset();
	return 0;
}

/* A read of an IPA the cell does not own (DFSC 0x07, translation fault, level 3). */
static void test_a_read_outside_the_cell_is_the_guests(void **state)
{
	struct trap_frame f = { .esr = 0x93c08007ULL, .far = 0x10000010, .elr = 0x40001000 };

	(void)state;
	guest_abort_report(&vcpu, &f, 0x80000010);
	assert_logged("W: guest: vcpu1: read of IPA 0x80000010 (VA 0x10000010) at PC 0x40001000: "
		      "not the cell's memory or device (DFSC 0x07 (translation fault, level 3), "
		      "WnR 0, access size 8, register x0); abort injected\n");
	assert_int_equal(cell.faults, 1);
}

/* A fetch from the virtual PL011's page: emulated, not executable. */
static void test_a_fetch_from_an_emulated_device_says_why(void **state)
{
	struct trap_frame f = { .esr = 0x82000007ULL, .far = 0x9000000, .elr = 0x9000000 };

	(void)state;
	guest_abort_report(&vcpu, &f, 0x9000000);
	assert_logged("W: guest: vcpu1: fetch of IPA 0x9000000 (VA 0x9000000) at PC 0x9000000: "
		      "pl011@9000000: emulated, not executable (IFSC 0x07 (translation fault, "
		      "level 3)); abort injected\n");
}

/*
 * ISS.FnV 1: FAR_EL2 does not hold the VA (ESR_EL2 0x92000410: data abort,
 * FnV, DFSC 0x10, which gives no IPA either). FAR_EL2 then holds whatever an
 * earlier fault left: the report does not print it as this access's VA.
 * Before, "read of VA 0xdead0010 (IPA not reported for this fault)".
 */
static void test_a_va_the_cpu_did_not_report_is_not_printed(void **state)
{
	struct trap_frame f = { .esr = 0x92000410ULL, .far = 0xdead0010, .elr = 0x40001000 };

	(void)state;
	assert_int_equal(esr_far_state(f.esr), ESR_FAR_FNV);
	guest_abort_report(&vcpu, &f, FAULT_IPA_UNKNOWN);
	assert_logged("W: guest: vcpu1: read (neither IPA nor VA reported for this fault: FnV) at "
		      "PC 0x40001000: refused by the cell's stage 2 (DFSC 0x10 (synchronous "
		      "external abort), WnR 0); abort injected\n");
	assert_not_logged("0xdead0010");
	/* With an IPA (HPFAR_EL2 valid) and on a stage-1 table walk alike. */
	fake_log_reset();
	guest_abort_report(&vcpu, &f, 0x80000010);
	assert_logged("read of IPA 0x80000010 (VA not reported: FnV) at PC 0x40001000");
	f.esr |= ESR_ISS_DABT_S1PTW;
	fake_log_reset();
	guest_abort_report(&vcpu, &f, 0x80000000);
	assert_logged("data access of a VA not reported (FnV) at PC 0x40001000: its stage-1 table "
		      "walk reached IPA page 0x80000000");
	assert_not_logged("0xdead0010");
}

/*
 * A stage-2 permission fault on the guest's stage-1 table walk (ESR_EL2
 * 0x920000cf: data abort, S1PTW 1, WnR 1, DFSC 0x0f). Every page stage 2
 * maps is readable, so it is the walk's hardware update of a descriptor
 * (TCR_EL1.HA/HD) in a page the cell has read-only (its read-only shared
 * memory), at an IPA that is the cell's own (HPFAR_EL2 is valid for it).
 * Still the guest's: abort injected, counted. Before 2026-11-25 the report
 * said the guest's page tables were outside the cell. Found by aud-arch.
 */
static void test_a_walks_update_of_read_only_memory_says_so_not_outside_the_cell(void **state)
{
	struct trap_frame f = { .esr = 0x920000cfULL, .far = 0x1000, .elr = 0x40000800 };

	(void)state;
	assert_int_equal(esr_stage2_owner(f.esr), ESR_S2_GUEST);
	assert_true(esr_abort_ipa_valid(f.esr));
	guest_abort_report(&vcpu, &f, 0x50000000);
	assert_logged("W: guest: vcpu1: data access of VA 0x1000 at PC 0x40000800: its stage-1 "
		      "table walk reached IPA page 0x50000000: the walk's hardware update of a "
		      "descriptor (TCR_EL1.HA/HD) in memory the cell has read-only (DFSC 0x0f "
		      "(permission fault, level 3), WnR 1, on a stage-1 table walk); abort "
		      "injected\n");
	assert_not_logged("outside the cell");
	assert_int_equal(cell.faults, 1);
	/* The walk for an instruction fetch (IFSC 0x0d, level 1) alike. */
	fake_log_reset();
	f.esr = 0x8200008dULL;
	guest_abort_report(&vcpu, &f, 0x50000000);
	assert_logged("in memory the cell has read-only (IFSC 0x0d (permission fault, level 1)");
	assert_not_logged("outside the cell");
}

/*
 * A translation fault on the walk (ESR_EL2 0x92000087: DFSC 0x07, S1PTW) at
 * an IPA the cell does not own: its page tables are outside the cell, as
 * the report has said all along.
 */
static void test_a_walk_outside_the_cell_still_says_so(void **state)
{
	struct trap_frame f = { .esr = 0x92000087ULL, .far = 0x1000, .elr = 0x40000800 };

	(void)state;
	guest_abort_report(&vcpu, &f, 0x80000000);
	assert_logged("its stage-1 table walk reached IPA page 0x80000000: not the cell's memory "
		      "or device: the guest's page tables are outside the cell (DFSC 0x07");
	assert_not_logged("read-only");
}

/*
 * An access flag fault (ESR_EL2 0x9200000b: data abort, DFSC 0x0b, level 3)
 * and an address size fault (0x92000001, level 1) at an IPA the cell owns:
 * the hypervisor sets the access flag in every stage-2 entry and maps
 * nothing beyond its PA size, so neither is the guest's access. Before, it
 * read "not the cell's memory or device", and an IPA of an emulated device
 * was emulated.
 */
static void test_a_fault_of_the_hypervisors_stage2_tables_is_not_the_guests(void **state)
{
	struct trap_frame f = { .esr = 0x9200000bULL, .far = 0x1234, .elr = 0x40000800 };

	(void)state;
	assert_int_equal(esr_stage2_owner(f.esr), ESR_S2_TABLES);
	assert_int_equal(run_not_guests(LAYOUT_ON_FAULT_STOP, &f, 0x40001234), STOPPED);
	assert_logged("E: guest: vcpu1: read of IPA 0x40001234 (VA 0x1234) at PC 0x40000800: not "
		      "the guest's doing: the hypervisor's stage-2 tables (it sets the access flag "
		      "in every entry) (DFSC 0x0b (access flag fault, level 3), WnR 0)");
	fake_log_reset();
	f.esr = 0x92000041ULL;
	assert_int_equal(esr_stage2_owner(f.esr), ESR_S2_TABLES);
	assert_int_equal(run_not_guests(LAYOUT_ON_FAULT_STOP, &f, 0x9000000), STOPPED);
	assert_logged(
		"E: guest: vcpu1: write of IPA 0x9000000 (VA 0x1234) at PC 0x40000800: not "
		"the guest's doing: the hypervisor's stage-2 tables (it maps no output "
		"address above VTCR_EL2.PS) (DFSC 0x01 (address size fault, level 1), WnR 1)");
	assert_not_logged("not the cell's memory or device");
	assert_not_logged("pl011");
}

/*
 * An external abort on the stage-2 walk for the guest's stage-1 walk
 * (ESR_EL2 0x82000095: instruction abort, S1PTW, IFSC 0x15): the memory
 * holding the hypervisor's tables answered with an error, which gives no
 * IPA. The hardware's, not the guest's page tables'.
 */
static void test_an_error_walking_stage2_is_the_hardwares(void **state)
{
	struct trap_frame f = { .esr = 0x82000095ULL, .far = 0x400000, .elr = 0x400000 };

	(void)state;
	assert_int_equal(esr_stage2_owner(f.esr), ESR_S2_HARDWARE);
	assert_int_equal(run_not_guests(LAYOUT_ON_FAULT_STOP, &f, FAULT_IPA_UNKNOWN), STOPPED);
	assert_logged("E: guest: vcpu1: fetch of VA 0x400000 at PC 0x400000: its stage-1 table "
		      "walk: not the guest's doing: the hardware: an external abort reading the "
		      "hypervisor's stage-2 tables (IFSC 0x15 (synchronous external abort on "
		      "table walk, level 1), on a stage-1 table walk)");
	assert_not_logged("outside the cell");
}

/*
 * A granule protection fault on the stage-2 walk (ESR_EL2 0x92000025: data
 * abort, DFSC 0x25, level 1; FEAT_RME): the firmware's granule protection
 * table denies the Non-secure world the memory of the hypervisor's tables.
 * Not the guest's: told as the firmware's, the cell stopped, not restarted
 * (a new boot walks the same tables), nothing injected, nothing counted.
 * Before, it was the guest's access: an abort injected and counted.
 */
static void test_a_granule_protection_fault_is_the_firmwares(void **state)
{
	struct trap_frame f = { .esr = 0x92000025ULL, .far = 0x1234, .elr = 0x40000800 };

	(void)state;
	assert_int_equal(esr_stage2_owner(f.esr), ESR_S2_FIRMWARE);
	assert_int_equal(run_not_guests(LAYOUT_ON_FAULT_RESTART, &f, FAULT_IPA_UNKNOWN), STOPPED);
	assert_logged("E: guest: vcpu1: read of VA 0x1234 (IPA not reported for this fault) at PC "
		      "0x40000800: not the guest's doing: the firmware: its granule protection "
		      "table (FEAT_RME) bars the hypervisor's stage-2 tables (DFSC 0x25 (granule "
		      "protection fault on table walk, level 1), WnR "
		      "0); the cell cannot run on: stopped, not restarted (on-fault restart): a "
		      "new boot walks the same tables\n");
	assert_string_equal(ending_why, "a stage-2 fault of the hypervisor's tables, the hardware "
					"or the firmware");
	assert_not_logged("abort injected");
	assert_int_equal(cell.faults, 0);
}

/*
 * The cell cannot run on a stage-2 fault that is not its own: it stops,
 * also under on-fault restart (a new boot would walk the same tables into
 * the same fault, for ever), and the system halts under halt-system. It is
 * not counted as the cell's fault. Before, the guest got an abort and ran
 * on, the fault charged to it.
 */
static void test_a_fault_not_the_guests_stops_the_cell_or_halts_the_system(void **state)
{
	struct trap_frame f = { .esr = 0x9200000bULL, .far = 0x1234, .elr = 0x40000800 };
	static const char prefix[] =
		"E: guest: vcpu1: read of IPA 0x40001234 (VA 0x1234) at PC "
		"0x40000800: not the guest's doing: the hypervisor's stage-2 "
		"tables (it sets the access flag in every entry) (DFSC 0x0b "
		"(access flag fault, level 3), WnR 0); the cell cannot run on: ";
	char want[sizeof(prefix) + 128];

	(void)state;
	assert_int_equal(run_not_guests(LAYOUT_ON_FAULT_RESTART, &f, 0x40001234), STOPPED);
	snprintf(want, sizeof(want),
		 "%sstopped, not restarted (on-fault restart): a new boot walks "
		 "the same tables\n",
		 prefix);
	assert_logged(want);
	assert_string_equal(ending_why,
			    "a stage-2 fault of the hypervisor's tables, the hardware or the "
			    "firmware");
	assert_not_logged("abort injected");

	fake_log_reset();
	assert_int_equal(run_not_guests(LAYOUT_ON_FAULT_STOP, &f, 0x40001234), STOPPED);
	snprintf(want, sizeof(want), "%sstopped (on-fault stop)\n", prefix);
	assert_logged(want);

	fake_log_reset();
	assert_int_equal(run_not_guests(LAYOUT_ON_FAULT_HALT_SYSTEM, &f, 0x40001234), HALTED);
	snprintf(want, sizeof(want), "%son-fault halt-system\n", prefix);
	assert_logged(want);
	assert_logged("E: guest: halting the system, as its layout asks");
	assert_int_equal(cell.faults, 0);
}

/*
 * A TLB conflict abort (ESR_EL2 0x92000030: data abort, DFSC 0x30; no IPA)
 * is overlapping TLB entries: this CPU's entries of the cell are
 * invalidated and the guest takes the same instruction again, told at
 * warning level, not counted as its fault. The fifth in a row at the same
 * PC and address, each at once after the last, is not resolved by TLB
 * maintenance: told, counted, and the cell's on-fault policy applies.
 */
static void test_a_tlb_conflict_is_retried_after_invalidating_the_cells_tlb(void **state)
{
	struct trap_frame f = { .esr = 0x92000030ULL, .far = 0x5000, .elr = 0x40000100 };
	unsigned int i;

	(void)state;
	assert_int_equal(esr_stage2_owner(f.esr), ESR_S2_TLB_CONFLICT);
	for (i = 1; i <= TLB_CONFLICT_RETRIES; i++) {
		now += 1;
		assert_int_equal(run_not_guests(LAYOUT_ON_FAULT_RESTART, &f, FAULT_IPA_UNKNOWN),
				 RETURNED);
		assert_int_equal(flushes, i);
		assert_int_equal(f.elr, 0x40000100); /* the same instruction again */
	}
	assert_logged(
		"W: guest: vcpu1: read of VA 0x5000 (IPA not reported for this fault) at PC "
		"0x40000100: TLB conflict abort (DFSC 0x30 (TLB conflict abort), WnR 0); this "
		"CPU's TLB entries of the cell invalidated (TLBI VMALLS12E1), the access "
		"retried\n");
	assert_int_equal(cell.faults, 0);
	fake_log_reset();
	now += 1;
	assert_int_equal(run_not_guests(LAYOUT_ON_FAULT_STOP, &f, FAULT_IPA_UNKNOWN), STOPPED);
	assert_int_equal(flushes, TLB_CONFLICT_RETRIES);
	assert_logged("E: guest: vcpu1: read of VA 0x5000 (IPA not reported for this fault) at PC "
		      "0x40000100: TLB conflict aborts 5 times in a row, each after this CPU's TLB "
		      "entries of the cell were invalidated: overlapping TLB entries (the guest's "
		      "stage-1 tables changed without break-before-make, or the hardware) (DFSC "
		      "0x30 (TLB conflict abort), WnR 0); on-fault stop\n");
	assert_string_equal(ending_why, "TLB conflict aborts not resolved by TLB maintenance");
	assert_int_equal(cell.faults, 1);
}

/*
 * The guest's stage-1 tables changed without break-before-make can make the
 * conflict, which a new boot, with new tables, does not: under on-fault
 * restart the cell restarts, and the system halts under halt-system. Before,
 * it was told as "not the guest's doing" and the cell stopped, "a new boot
 * walks the same tables".
 */
static void test_an_unresolved_tlb_conflict_takes_the_cells_on_fault_policy(void **state)
{
	static const struct {
		enum layout_on_fault policy;
		enum ending ending;
		const char *outcome;
	} cases[] = {
		{ LAYOUT_ON_FAULT_RESTART, RESTARTED, "; on-fault restart\n" },
		{ LAYOUT_ON_FAULT_HALT_SYSTEM, HALTED, "; on-fault halt-system\n" },
	};
	struct trap_frame f = { .esr = 0x82000030ULL, .far = 0x400000, .elr = 0x400000 };
	unsigned int c, i;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		guest_abort_streak_reset(&streak);
		fake_log_reset();
		for (i = 0; i < TLB_CONFLICT_RETRIES; i++)
			assert_int_equal(run_not_guests(cases[c].policy, &f, FAULT_IPA_UNKNOWN),
					 RETURNED);
		assert_int_equal(run_not_guests(cases[c].policy, &f, FAULT_IPA_UNKNOWN),
				 cases[c].ending);
		if (cases[c].ending == RESTARTED)
			assert_string_equal(ending_why,
					    "TLB conflict aborts not resolved by TLB maintenance");
		assert_logged("E: guest: vcpu1: fetch of VA 0x400000 (IPA not reported for this "
			      "fault) at PC 0x400000: TLB conflict aborts 5 times in a row");
		assert_logged(cases[c].outcome);
		assert_not_logged("not the guest's doing");
		assert_not_logged("walks the same tables");
		assert_int_equal(cell.faults, c + 1);
	}
	assert_logged("E: guest: halting the system, as its layout asks");
}

/*
 * Only conflicts in a row at one PC and address, each within
 * TLB_CONFLICT_WINDOW_MS of the last, make a streak: one elsewhere, or
 * after the guest ran on for a while, starts a new one, as does a (re)start
 * of the vCPU (guest_abort_streak_reset() in vcpu.c).
 */
static void test_a_tlb_conflict_streak_is_at_one_place_and_at_once(void **state)
{
	struct tlb_conflict_streak s;
	unsigned int i;

	(void)state;
	guest_abort_streak_reset(&s);
	for (i = 0; i < TLB_CONFLICT_RETRIES; i++)
		assert_true(guest_abort_conflict_retry(&s, 0x1000, 0x5000, 100 + i));
	assert_false(guest_abort_conflict_retry(&s, 0x1000, 0x5000, 100 + i));
	/* Another PC, another address, later than the window, a restart: a new streak. */
	assert_true(guest_abort_conflict_retry(&s, 0x1004, 0x5000, 200));
	for (i = 1; i < TLB_CONFLICT_RETRIES; i++)
		assert_true(guest_abort_conflict_retry(&s, 0x1004, 0x5000, 200));
	assert_true(guest_abort_conflict_retry(&s, 0x1004, 0x6000, 200));
	for (i = 1; i < TLB_CONFLICT_RETRIES; i++)
		assert_true(guest_abort_conflict_retry(&s, 0x1004, 0x6000, 200 + i));
	assert_true(guest_abort_conflict_retry(
		&s, 0x1004, 0x6000, 200 + i + arch_ms_to_ticks(TLB_CONFLICT_WINDOW_MS) + 1));
	guest_abort_streak_reset(&s);
	for (i = 0; i < TLB_CONFLICT_RETRIES; i++)
		assert_true(guest_abort_conflict_retry(&s, 0x1004, 0x6000, 300));
	assert_false(guest_abort_conflict_retry(&s, 0x1004, 0x6000, 300));
}

/*
 * Each of the above at once, and the window's edge: conflicts at two PCs
 * (two instructions on one page) at the same moment are two streaks, neither
 * a reason for the policy; one exactly TLB_CONFLICT_WINDOW_MS after the last
 * is still in its streak. The test above changes the time with the PC, so it
 * does not see the PC alone.
 */
static void test_a_tlb_conflict_streak_needs_the_same_pc_and_ends_past_its_window(void **state)
{
	uint64_t window = arch_ms_to_ticks(TLB_CONFLICT_WINDOW_MS);
	struct tlb_conflict_streak s;
	unsigned int i;

	(void)state;
	guest_abort_streak_reset(&s);
	for (i = 0; i < TLB_CONFLICT_RETRIES; i++)
		assert_true(guest_abort_conflict_retry(&s, 0x1000, 0x5000, 100));
	if (!guest_abort_conflict_retry(&s, 0x1008, 0x5000, 100))
		fail_msg("a conflict at another PC, at the same time and address, was counted in "
			 "the streak of %u at PC 0x1000",
			 TLB_CONFLICT_RETRIES);
	guest_abort_streak_reset(&s);
	for (i = 0; i < TLB_CONFLICT_RETRIES; i++)
		assert_true(guest_abort_conflict_retry(&s, 0x1000, 0x5000, 100 + i * window));
	if (guest_abort_conflict_retry(&s, 0x1000, 0x5000, 100 + i * window))
		fail_msg("conflicts %lu ticks apart (the window: %u ms) did not make a streak",
			 (unsigned long)window, TLB_CONFLICT_WINDOW_MS);
}

/*
 * With ISS.FnV, FAR_EL2 holds no address (UNKNOWN: an earlier fault's, or
 * anything): conflicts at one PC are one streak whatever FAR says, or an
 * unresolved one would be retried for ever and its on-fault never apply.
 */
static void test_tlb_conflicts_without_a_va_make_a_streak_whatever_far_says(void **state)
{
	struct trap_frame f = { .esr = 0x82000030ULL | ESR_ISS_DABT_FNV, .elr = 0x400000 };
	unsigned int i;

	(void)state;
	guest_abort_streak_reset(&streak);
	for (i = 0; i < TLB_CONFLICT_RETRIES; i++) {
		f.far = 0x1000 * (i + 1); /* stale, and another each time */
		assert_int_equal(run_not_guests(LAYOUT_ON_FAULT_RESTART, &f, FAULT_IPA_UNKNOWN),
				 RETURNED);
	}
	f.far = 0x9000;
	if (run_not_guests(LAYOUT_ON_FAULT_RESTART, &f, FAULT_IPA_UNKNOWN) != RESTARTED)
		fail_msg("%u TLB conflicts in a row at PC 0x400000 with FnV were retried again: "
			 "their stale FARs broke the streak",
			 TLB_CONFLICT_RETRIES + 1);
}

/* Retried conflicts are told FAULT_LOG_LIMIT times per cell, then no more: every one retried. */
static void test_retried_tlb_conflicts_are_told_rate_limited(void **state)
{
	struct trap_frame f = { .esr = 0x82000030ULL, .far = 0x400000 };
	unsigned int i;

	(void)state;
	for (i = 0; i < 3 * FAULT_LOG_LIMIT; i++) {
		f.elr = f.far = 0x400000 + 4 * i;
		assert_int_equal(run_not_guests(LAYOUT_ON_FAULT_STOP, &f, FAULT_IPA_UNKNOWN),
				 RETURNED);
	}
	assert_int_equal(flushes, 3 * FAULT_LOG_LIMIT);
	assert_int_equal(fake_log_count(LOG_WARN), FAULT_LOG_LIMIT + 1);
	assert_logged("W: guest: more than 8 TLB conflict aborts retried; no more are told\n");
	assert_int_equal(cell.faults, 0);
}

/* The longest line in the log, without its "E: " and newline. */
static size_t longest_logged(void)
{
	const char *line = fake_log_text(), *end;
	size_t longest = 0;

	for (; (end = strchr(line, '\n')) != NULL; line = end + 1)
		if ((size_t)(end - line) - 3 > longest)
			longest = (size_t)(end - line) - 3;
	return longest;
}

/* What the report of a fault not the guest's ends with (fault.c). */
static void not_guests_end(uint64_t esr, enum layout_on_fault policy, char *buf, size_t len)
{
	static const char *const restart_outcome[] = {
		[LAYOUT_ON_FAULT_STOP] = "stopped (on-fault stop)",
		[LAYOUT_ON_FAULT_RESTART] = "stopped, not restarted (on-fault restart): a new "
					    "boot walks the same tables",
		[LAYOUT_ON_FAULT_HALT_SYSTEM] = "on-fault halt-system",
	};

	if (esr_stage2_owner(esr) == ESR_S2_TLB_CONFLICT)
		snprintf(buf, len, "); on-fault %s\n", layout_on_fault_name(policy));
	else
		snprintf(buf, len, "); the cell cannot run on: %s\n", restart_outcome[policy]);
}

/*
 * The report of an abort @esr at @ipa under on-fault @p, all of it: its
 * syndrome and its outcome to the end, nothing cut. Its longest line.
 */
static size_t report_told_whole(uint64_t esr, uint64_t ipa, enum layout_on_fault p)
{
	struct trap_frame f = { .esr = esr, .far = ~3ULL, .elr = ~3ULL };
	enum ending end = RETURNED;
	char syndrome[256], want[300];
	unsigned int n;

	memset(reported, 0, sizeof(reported));
	guest_abort_streak_reset(&streak);
	fake_log_reset();
	if (esr_stage2_owner(esr) == ESR_S2_GUEST) {
		guest_abort_report(&vcpu, &f, ipa);
		snprintf(want, sizeof(want), "); abort injected\n");
	} else {
		for (n = 0; end == RETURNED && n <= TLB_CONFLICT_RETRIES; n++)
			end = run_not_guests(p, &f, ipa);
		assert_int_not_equal(end, RETURNED);
		not_guests_end(esr, p, want, sizeof(want));
	}
	assert_logged(want);
	esr_describe_iss(esr, syndrome, sizeof(syndrome));
	snprintf(want, sizeof(want), " (%s); ", syndrome);
	assert_logged(want);
	assert_not_logged(LOG_CUT_MARK);
	return longest_logged();
}

/*
 * Every report of a stage-2 abort is kept and told whole, its syndrome and
 * outcome to the end, at its longest: a 15-character label (the layout's
 * most), vCPU 15, 64-bit VA, PC and IPA, each fault code with each ISS bit
 * the syndrome decodes (ISV's access size and register, WnR, S1PTW, FnV),
 * under each on-fault policy; and it fits a console line (lib/log.c's 512
 * bytes) with the shell's prefix before it. Before, the fault log kept 384
 * characters: a parity error on the stage-2 walk for a stage-1 walk lost
 * "stopped, not restarted (on-fault restart)..." to "...[cut]", and the
 * syndrome's buffer of 128 cut an IMPLEMENTATION DEFINED fault's without a
 * word.
 */
static void test_every_stage2_abort_report_is_told_whole(void **state)
{
	static const uint64_t ipas[] = { FAULT_IPA_UNKNOWN, 0x9000000, 0xfffffffffffff000ULL };
	static const uint64_t iss_bits[] = {
		ESR_ISS_DABT_ISV | (3ULL << ESR_ISS_DABT_SAS_SHIFT) |
			(30ULL << ESR_ISS_DABT_SRT_SHIFT),
		ESR_ISS_DABT_WNR,
		ESR_ISS_DABT_S1PTW,
		ESR_ISS_DABT_FNV,
	};
	static const uint64_t ecs[] = { ESR_EC_IABT_LOW, ESR_EC_DABT_LOW };
	size_t longest = 0, n;
	unsigned int e, code, i, b;
	enum layout_on_fault p;

	(void)state;
	snprintf(cfg.label, sizeof(cfg.label), "abcdefghijklmno");
	assert_int_equal(strlen(cfg.label), LAYOUT_LABEL_MAX - 1);
	vcpu.index = LAYOUT_MAX_CPUS - 1;
	/* Each fault code (ISS[5:0]) with each subset of the four ISS bits (code >> 6). */
	for (e = 0; e < 2; e++)
		for (code = 0; code < 64 << 4; code++) {
			uint64_t esr = ecs[e] << 26 | ESR_ELx_IL | (code & 63);

			for (b = 0; b < 4; b++)
				if (code >> 6 & 1u << b)
					esr |= iss_bits[b];
			for (i = 0; i < 3; i++)
				for (p = LAYOUT_ON_FAULT_STOP; p <= LAYOUT_ON_FAULT_HALT_SYSTEM;
				     p++) {
					n = report_told_whole(esr, ipas[i], p);
					longest = n > longest ? n : longest;
				}
		}
	/* lib/log.c's LOG_LINE_MAX, with its NUL; the shell's prefix at 11 days' uptime. */
	assert_in_range(longest + strlen("shell: [999999.999s] "), 0, 512 - 1);
	assert_in_range(FAULT_TEXT - 1 + strlen("shell: [999999.999s] "), 0, 512 - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_a_read_outside_the_cell_is_the_guests, fresh_log),
		cmocka_unit_test_setup(test_a_fetch_from_an_emulated_device_says_why, fresh_log),
		cmocka_unit_test_setup(test_a_va_the_cpu_did_not_report_is_not_printed, fresh_log),
		cmocka_unit_test_setup(
			test_a_fault_of_the_hypervisors_stage2_tables_is_not_the_guests, fresh_log),
		cmocka_unit_test_setup(test_an_error_walking_stage2_is_the_hardwares, fresh_log),
		cmocka_unit_test_setup(
			test_a_walks_update_of_read_only_memory_says_so_not_outside_the_cell,
			fresh_log),
		cmocka_unit_test_setup(test_a_walk_outside_the_cell_still_says_so, fresh_log),
		cmocka_unit_test_setup(test_a_granule_protection_fault_is_the_firmwares, fresh_log),
		cmocka_unit_test_setup(
			test_a_fault_not_the_guests_stops_the_cell_or_halts_the_system, fresh_log),
		cmocka_unit_test_setup(
			test_a_tlb_conflict_is_retried_after_invalidating_the_cells_tlb, fresh_log),
		cmocka_unit_test_setup(
			test_an_unresolved_tlb_conflict_takes_the_cells_on_fault_policy, fresh_log),
		cmocka_unit_test_setup(test_a_tlb_conflict_streak_is_at_one_place_and_at_once,
				       fresh_log),
		cmocka_unit_test_setup(
			test_a_tlb_conflict_streak_needs_the_same_pc_and_ends_past_its_window,
			fresh_log),
		cmocka_unit_test_setup(
			test_tlb_conflicts_without_a_va_make_a_streak_whatever_far_says, fresh_log),
		cmocka_unit_test_setup(test_retried_tlb_conflicts_are_told_rate_limited, fresh_log),
		cmocka_unit_test_setup(test_every_stage2_abort_report_is_told_whole, fresh_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
