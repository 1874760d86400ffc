// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's trapped system registers (arch/arm64/sysreg_trap.c: sysreg_trap())
 * on a CPU the test plays (host_read_sysreg()): the ID registers read as
 * the CPU has them less what the cell is not given (test_id_regs.c checks
 * id_reg_hidden() itself; this, that a trapped MRS gets it), a register
 * or instruction that is not one of those handled is UNDEFINED, and the
 * OS lock is the guest's own. The values are a Neoverse N2's (test_id_regs.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cell.h"
#include "cpu_local.h"
#include "esr.h"
#include "fake_log.h"
#include "fault.h"
#include "set_way.h"
#include "sysreg.h"
#include "sysreg_trap.h"
#include "trap_frame.h"
#include "vgic_hw.h"
#include "arch/el2_map.h"

#define N2_ID_AA64DFR0 0x000011f210305619UL
#define N2_ID_AA64PFR0 0x1201111120111112UL
#define N2_ID_DFR0     0x16011099UL
#define N2_OSLSR       0x8UL /* OSLM 0b10: the OS lock implemented; unlocked */
#define GUEST_PC       0x40081000UL
#define RT	       3

static struct cpu_local cpu;
static struct layout_cell cfg = { .label = "guest" };
static struct cell cell = { .cfg = &cfg };
static struct vcpu vcpu = { .cell = &cell };
static unsigned int undefs_injected, undefs_told, set_way_runs;
static uint64_t csselr;

/* --- the CPU ------------------------------------------------------------------- */

uint64_t host_read_sysreg(const char *name)
{
	if (!strcmp(name, "tpidr_el2"))
		return (uintptr_t)&cpu;
	if (!strcmp(name, "S3_0_C0_C5_0"))
		return N2_ID_AA64DFR0;
	if (!strcmp(name, "S3_0_C0_C4_0"))
		return N2_ID_AA64PFR0;
	if (!strcmp(name, "S3_0_C0_C1_2"))
		return N2_ID_DFR0;
	if (!strcmp(name, "oslsr_el1"))
		return N2_OSLSR;
	/* One cache, unified, at level 1: 128 sets of 4 ways of 64-byte lines. */
	if (!strcmp(name, "clidr_el1"))
		return 4;
	if (!strcmp(name, "id_aa64mmfr2_el1"))
		return 0;
	if (!strcmp(name, "csselr_el1"))
		return csselr;
	if (!strcmp(name, "ccsidr_el1"))
		return 127 << 13 | 3 << 3 | 2;
	fail_msg("read of %s", name);
	return 0;
}

/* The guest's CSSELR_EL1, which the geometry's look changes and puts back. */
void host_write_sysreg(const char *name, uint64_t val)
{
	if (!strcmp(name, "csselr_el1"))
		csselr = val;
	else
		fail_msg("write of %s = 0x%lx", name, (unsigned long)val);
}

void host_dc_civac(uintptr_t va)
{
	(void)va;
	fail_msg("dc civac");
}

/* --- what sysreg_trap() calls ---------------------------------------------------- */

void guest_inject_undef(struct trap_frame *f)
{
	(void)f;
	undefs_injected++;
}

void fault_undef(struct vcpu *v, const char *what, uint64_t pc)
{
	(void)v;
	(void)what;
	assert_int_equal(pc, GUEST_PC);
	undefs_told++;
}

bool set_way_run(struct vcpu *v, struct set_way_progress *p, const struct layout_region *mem,
		 int nr_mem, const struct cache_geometry *g, uint64_t elr, uint64_t operand)
{
	(void)v;
	(void)p;
	(void)mem;
	(void)nr_mem;
	(void)g;
	(void)elr;
	(void)operand;
	set_way_runs++;
	return true;
}

bool vgic_hw_direct_common(struct vcpu *v, enum vgic_common_reg reg, bool read, uint64_t *val)
{
	(void)v;
	(void)reg;
	(void)read;
	(void)val;
	return false; /* an emulated cell's: these are not trapped for it */
}

int arch_ram_window_open(uint64_t pa, uint64_t size, bool writable)
{
	(void)pa;
	(void)size;
	(void)writable;
	fail_msg("arch_ram_window_open()");
	return -1;
}

void arch_ram_window_close(uint64_t pa, uint64_t size)
{
	(void)pa;
	(void)size;
}

void *arch_ram_window_ptr(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

bool arch_el2_translates(uint64_t va)
{
	(void)va;
	return false;
}

const char *arch_el2_map_error(int err)
{
	(void)err;
	return "an error";
}

/* --- the guest's side ---------------------------------------------------------- */

/* ESR_EL2 of a trapped MRS (@read) or MSR of @reg (ESR_SYSREG()) with Rt = x@rt. */
static uint64_t esr_sys(uint32_t reg, unsigned int rt, bool read)
{
	uint32_t op0 = reg >> 14 & 3, op1 = reg >> 11 & 7, crn = reg >> 7 & 15;
	uint32_t crm = reg >> 3 & 15, op2 = reg & 7;

	return (uint64_t)ESR_EC_SYS64 << ESR_ELx_EC_SHIFT | ESR_ELx_IL | op0 << 20 | op2 << 17 |
	       op1 << 14 | crn << 10 | rt << 5 | crm << 1 | (read ? ESR_ISS_SYS_DIR_READ : 0);
}

/* The guest's instruction at GUEST_PC traps; its registers after. */
static struct trap_frame trap(uint32_t reg, bool read, uint64_t rt_value)
{
	struct trap_frame f = { .elr = GUEST_PC, .spsr = SPSR_M_EL1H };

	f.esr = esr_sys(reg, RT, read);
	f.x[RT] = rt_value;
	sysreg_trap(&vcpu, &f);
	return f;
}

static int fresh(void **state)
{
	(void)state;
	memset(&cpu, 0, sizeof(cpu));
	undefs_injected = undefs_told = set_way_runs = 0;
	fake_log_reset();
	return 0;
}

/*
 * What a cell is not given (the trace unit, TRF, SPE, the PMU's version,
 * the activity monitors...) reads as not implemented, the rest as the CPU
 * has it: without the mask a guest that sees a feature uses it, and its
 * registers are UNDEFINED for it (HCR_EL2.TID3 is the only place to hide it).
 */
static void test_an_id_register_reads_as_the_cpus_less_what_the_cell_is_not_given(void **state)
{
	static const struct {
		uint32_t reg;
		uint64_t cpu;
		const char *name;
	} regs[] = {
		{ ESR_SYSREG(3, 0, 0, 5, 0), N2_ID_AA64DFR0, "ID_AA64DFR0_EL1" },
		{ ESR_SYSREG(3, 0, 0, 4, 0), N2_ID_AA64PFR0, "ID_AA64PFR0_EL1" },
		{ ESR_SYSREG(3, 0, 0, 1, 2), N2_ID_DFR0, "ID_DFR0_EL1" },
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		uint64_t want = regs[i].cpu & ~id_reg_hidden(regs[i].reg);
		struct trap_frame f = trap(regs[i].reg, true, 0x5a5a);

		assert_true(want != regs[i].cpu); /* the N2 has something hidden in each */
		if (f.x[RT] != want)
			fail_msg("%s read 0x%016lx, not the CPU's 0x%016lx less what is hidden: "
				 "0x%016lx",
				 regs[i].name, (unsigned long)f.x[RT], (unsigned long)regs[i].cpu,
				 (unsigned long)want);
		assert_int_equal(f.elr, GUEST_PC + 4);
	}
	assert_int_equal(undefs_injected, 0);
}

/* ID registers are read-only: an MSR to one is UNDEFINED, and told. */
static void test_a_write_of_an_id_register_is_undefined(void **state)
{
	struct trap_frame f;

	(void)state;
	f = trap(ESR_SYSREG(3, 0, 0, 5, 0), false, 0);
	assert_int_equal(undefs_injected, 1);
	assert_int_equal(undefs_told, 1);
	assert_int_equal(f.elr, GUEST_PC); /* the exception's return address: the MSR */
}

/*
 * SYSL with the encoding of DC CISW (Dir 1) is not DC CISW, and no
 * instruction a cell has: UNDEFINED, no set/way emulation with Xt as its
 * operand, Xt kept.
 */
static void test_sysl_on_a_set_way_encoding_is_undefined_not_emulated(void **state)
{
	struct trap_frame f;

	(void)state;
	f = trap(ESR_SYSREG(1, 0, 7, 14, 2), true, 0x1040); /* level 1, set 65 */
	assert_int_equal(set_way_runs, 0);
	assert_int_equal(undefs_injected, 1);
	assert_int_equal(f.x[RT], 0x1040);
	f = trap(ESR_SYSREG(1, 0, 7, 14, 2), false, 0x1040); /* DC CISW itself */
	assert_int_equal(set_way_runs, 1);
	assert_int_equal(f.elr, GUEST_PC + 4);
}

/*
 * The guest's OS lock (OSLAR_EL1) is its own: OSLSR_EL1.OSLK says what it
 * wrote, the rest of OSLSR_EL1 is the CPU's, whose lock stays open (no
 * write reaches it).
 */
static void test_the_os_lock_is_the_guests_own(void **state)
{
	struct trap_frame f;

	(void)state;
	trap(ESR_SYSREG(2, 0, 1, 0, 4), false, 1);
	f = trap(ESR_SYSREG(2, 0, 1, 1, 4), true, 0);
	assert_int_equal(f.x[RT], N2_OSLSR | 2);
	trap(ESR_SYSREG(2, 0, 1, 0, 4), false, 2); /* bit 0 is OSLK: 2 unlocks */
	f = trap(ESR_SYSREG(2, 0, 1, 1, 4), true, 0);
	assert_int_equal(f.x[RT], N2_OSLSR);
	assert_int_equal(undefs_injected, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_an_id_register_reads_as_the_cpus_less_what_the_cell_is_not_given,
			fresh),
		cmocka_unit_test_setup(test_a_write_of_an_id_register_is_undefined, fresh),
		cmocka_unit_test_setup(test_sysl_on_a_set_way_encoding_is_undefined_not_emulated,
				       fresh),
		cmocka_unit_test_setup(test_the_os_lock_is_the_guests_own, fresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
