// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's trapped system registers (arch/arm64/sysreg_trap.c: sysreg_trap())
 * on a CPU the test plays (host_read_sysreg()): the ID registers read as
 * the CPU has them less what the cell is not given (test_id_regs.c checks
 * id_reg_hidden() itself; this, that a trapped MRS gets it), a register
 * or instruction that is not one of those handled is UNDEFINED (each RAZ/WI
 * class and the ID space checked at its edges), the OS lock is the guest's
 * own, a direct cell's ICC registers reach its emulation, and set/way
 * operations: which cache level they name, its geometry, the lines cleaned
 * through this CPU's window. The values are a Neoverse N2's (test_id_regs.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

#define N2_ID_AA64DFR0	0x000011f210305619UL
#define N2_ID_AA64PFR0	0x1201111120111112UL
#define N2_ID_DFR0	0x16011099UL
#define N2_ID_PFR0	0x10010131UL
#define N2_ID_AA64MMFR2 0x1221011110101011UL
#define N2_OSLSR	0x8UL /* OSLM 0b10: the OS lock implemented; unlocked */
#define GUEST_PC	0x40081000UL
#define RT		3
/* The cell's RAM, as set_way_arch_clean() is given it, and where this CPU's window shows it. */
#define RAM_PA	 0x88000000UL
#define RAM_SIZE 0x01000000UL
#define LINE_PA	 (RAM_PA + 0x2040)
#define WINDOW	 0x7f0000000000UL

static struct cpu_local cpu;
static struct layout_cell cfg = { .label = "guest" };
static struct cell cell = { .cfg = &cfg };
static struct vcpu vcpu = { .cell = &cell };
static unsigned int undefs_injected, undefs_told, set_way_runs;
static uint64_t csselr;
static char undef_what[128];		   /* what the last UNDEF told says */
static uint64_t clidr = 4;		   /* one unified cache, at level 1 */
static uint64_t mmfr2;			   /* ID_AA64MMFR2_EL1 as dcache_geometry() reads it */
static uint64_t ccsidr[7];		   /* each level's, as CSSELR_EL1 selects */
static uint64_t csselr_read;		   /* CSSELR_EL1 when CCSIDR_EL1 was read */
static struct cache_geometry run_geometry; /* what the last set_way_run() was given */
static bool run_done;			   /* what set_way_run() answers */
static bool direct_cell;		   /* vgic_hw_direct_common() handles the access */
static enum vgic_common_reg direct_reg;	   /* ... the last it was given */
static bool direct_read;
static uint64_t direct_val;
static int window_err; /* arch_ram_window_open()'s answer */
static bool window_opened, window_open, translates;
static uint64_t opened_pa, opened_size;	 /* what the window was last opened on */
static uint64_t first_line_pa = LINE_PA; /* the line set_way_arch_clean() checks */
static uintptr_t cleaned[16];		 /* the VAs dc_civac() was given */
static unsigned int nr_cleaned;

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
	if (!strcmp(name, "S3_0_C0_C1_0"))
		return N2_ID_PFR0;
	if (!strcmp(name, "S3_0_C0_C7_2"))
		return N2_ID_AA64MMFR2;
	if (!strcmp(name, "oslsr_el1"))
		return N2_OSLSR;
	if (!strcmp(name, "clidr_el1"))
		return clidr;
	if (!strcmp(name, "id_aa64mmfr2_el1"))
		return mmfr2;
	if (!strcmp(name, "csselr_el1"))
		return csselr;
	if (!strcmp(name, "ccsidr_el1")) {
		csselr_read = csselr;
		assert_true((csselr >> 1 & 7) < 7);
		return ccsidr[csselr >> 1 & 7];
	}
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
	assert_true(window_open);
	assert_true(nr_cleaned < 16);
	cleaned[nr_cleaned++] = va;
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
	assert_int_equal(pc, GUEST_PC);
	snprintf(undef_what, sizeof(undef_what), "%s", what);
	undefs_told++;
}

bool set_way_run(struct vcpu *v, struct set_way_progress *p, const struct layout_region *mem,
		 int nr_mem, const struct cache_geometry *g, uint64_t elr, uint64_t operand)
{
	(void)v;
	(void)p;
	(void)mem;
	(void)nr_mem;
	(void)elr;
	(void)operand;
	run_geometry = *g;
	set_way_runs++;
	return run_done;
}

bool vgic_hw_direct_common(struct vcpu *v, enum vgic_common_reg reg, bool read, uint64_t *val)
{
	(void)v;
	if (!direct_cell)
		return false; /* an emulated cell's: these are not trapped for it */
	direct_reg = reg;
	direct_read = read;
	direct_val = *val;
	if (read)
		*val = 0x5eed;
	return true;
}

int arch_ram_window_open(uint64_t pa, uint64_t size, bool writable)
{
	assert_false(writable);
	window_opened = true;
	window_open = !window_err;
	opened_pa = pa;
	opened_size = size;
	return window_err;
}

void arch_ram_window_close(uint64_t pa, uint64_t size)
{
	assert_true(window_open);
	assert_int_equal(pa, opened_pa);
	assert_int_equal(size, opened_size);
	window_open = false;
}

void *arch_ram_window_ptr(uint64_t pa)
{
	return (void *)(uintptr_t)(WINDOW + pa - RAM_PA);
}

bool arch_el2_translates(uint64_t va)
{
	assert_true(window_open);
	assert_int_equal(va, WINDOW + first_line_pa - RAM_PA);
	return translates;
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
	undef_what[0] = 0;
	/* One cache, unified, at level 1: 128 sets of 4 ways of 64-byte lines. */
	clidr = 4;
	mmfr2 = 0;
	memset(ccsidr, 0, sizeof(ccsidr));
	ccsidr[0] = 127 << 13 | 3 << 3 | 2;
	csselr = csselr_read = 0;
	memset(&run_geometry, 0, sizeof(run_geometry));
	run_done = true;
	direct_cell = false;
	window_err = 0;
	window_opened = window_open = translates = false;
	opened_pa = opened_size = 0;
	first_line_pa = LINE_PA;
	nr_cleaned = 0;
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
	trap(ESR_SYSREG(2, 0, 1, 0, 4), true, 1); /* an MRS of write-only OSLAR_EL1 locks nothing */
	f = trap(ESR_SYSREG(2, 0, 1, 1, 4), true, 0);
	assert_int_equal(f.x[RT], N2_OSLSR);
	assert_int_equal(undefs_injected, 0);
}

/* --- which encodings are which ---------------------------------------------------- */

enum handled { RAZ_WI, UNDEFINED };

/*
 * Each class at its edges: the PMU's (op0 3, CRn 9 CRm 12-14; CRn 14 op1 3
 * CRm 8-15), RAS's (op0 3 op1 0 CRn 5, CRm 3-5) and the fixed RAZ/WI ones
 * read as zero and ignore writes; the encodings just outside each range are
 * UNDEFINED, Xt kept and the instruction not skipped. Among them TFSR_EL1
 * (CRm 6 beside RAS's) and the timers' CRn 14 (CRm 0-7 below the PMU's).
 */
static void test_raz_wi_registers_are_those_named_and_their_neighbours_undefined(void **state)
{
	static const struct {
		uint32_t reg;
		enum handled how;
	} regs[] = {
		{ ESR_SYSREG(3, 0, 1, 0, 1), RAZ_WI },	   /* ACTLR_EL1 */
		{ ESR_SYSREG(2, 0, 1, 0, 0), RAZ_WI },	   /* MDRAR_EL1 */
		{ ESR_SYSREG(2, 0, 1, 3, 4), RAZ_WI },	   /* OSDLR_EL1 */
		{ ESR_SYSREG(2, 0, 1, 4, 4), RAZ_WI },	   /* DBGPRCR_EL1 */
		{ ESR_SYSREG(3, 3, 9, 12, 0), RAZ_WI },	   /* PMCR_EL0 */
		{ ESR_SYSREG(3, 3, 9, 13, 0), RAZ_WI },	   /* PMCCNTR_EL0 */
		{ ESR_SYSREG(3, 0, 9, 14, 1), RAZ_WI },	   /* PMINTENSET_EL1 */
		{ ESR_SYSREG(3, 3, 14, 8, 0), RAZ_WI },	   /* PMEVCNTR0_EL0 */
		{ ESR_SYSREG(3, 3, 14, 15, 7), RAZ_WI },   /* PMCCFILTR_EL0 */
		{ ESR_SYSREG(3, 0, 5, 3, 0), RAZ_WI },	   /* ERRIDR_EL1 */
		{ ESR_SYSREG(3, 0, 5, 4, 2), RAZ_WI },	   /* ERXSTATUS_EL1 */
		{ ESR_SYSREG(3, 0, 5, 5, 3), RAZ_WI },	   /* ERXMISC3_EL1 */
		{ ESR_SYSREG(3, 3, 9, 11, 0), UNDEFINED }, /* below the PMU's CRm */
		{ ESR_SYSREG(3, 3, 9, 15, 0), UNDEFINED }, /* above them */
		{ ESR_SYSREG(2, 3, 9, 12, 0), UNDEFINED }, /* op0 2 */
		{ ESR_SYSREG(3, 3, 14, 7, 0), UNDEFINED }, /* CRn 14 below CRm 8 */
		{ ESR_SYSREG(3, 3, 14, 0, 0), UNDEFINED }, /* CNTFRQ_EL0 */
		{ ESR_SYSREG(3, 0, 14, 8, 0), UNDEFINED }, /* op1 0 */
		{ ESR_SYSREG(3, 0, 5, 2, 0), UNDEFINED },  /* ESR_EL1's CRm, below RAS's */
		{ ESR_SYSREG(3, 0, 5, 6, 0), UNDEFINED },  /* TFSR_EL1, above */
		{ ESR_SYSREG(3, 1, 5, 3, 0), UNDEFINED },  /* op1 1 */
		{ ESR_SYSREG(3, 0, 4, 3, 0), UNDEFINED },  /* CRn 4 */
		{ ESR_SYSREG(2, 0, 5, 3, 0), UNDEFINED },  /* op0 2 */
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		for (int read = 0; read < 2; read++) {
			unsigned int undefs = undefs_injected;
			struct trap_frame f = trap(regs[i].reg, read, 0x5a5a);
			bool undefined = undefs_injected != undefs;
			bool raz_wi = !undefined && f.elr == GUEST_PC + 4 &&
				      f.x[RT] == (read ? 0 : 0x5a5a);

			if (regs[i].how == RAZ_WI
				    ? !raz_wi
				    : !undefined || f.elr != GUEST_PC || f.x[RT] != 0x5a5a)
				fail_msg("%s of op0 %u op1 %u CRn %u CRm %u op2 %u: %s, want %s",
					 read ? "MRS" : "MSR", regs[i].reg >> 14 & 3,
					 regs[i].reg >> 11 & 7, regs[i].reg >> 7 & 15,
					 regs[i].reg >> 3 & 15, regs[i].reg & 7,
					 undefined ? "UNDEFINED" : "not UNDEFINED",
					 regs[i].how == RAZ_WI ? "RAZ/WI" : "UNDEFINED");
		}
	}
}

/*
 * TID3's space is op0 3 op1 0 CRn 0 CRm 1-7: its first and last registers
 * the CPU has read as the CPU's (less the hidden), one the code does not
 * name as zero; the encodings beside it (CRm 0, CRm 8, op1 1) are UNDEFINED.
 */
static void test_the_id_register_space_ends_where_tid3s_does(void **state)
{
	static const uint32_t outside[] = { ESR_SYSREG(3, 0, 0, 0, 7), ESR_SYSREG(3, 0, 0, 8, 0),
					    ESR_SYSREG(3, 1, 0, 1, 0) };
	struct trap_frame f;

	(void)state;
	f = trap(ESR_SYSREG(3, 0, 0, 1, 0), true, 0x5a5a);
	assert_int_equal(f.x[RT], N2_ID_PFR0 & ~id_reg_hidden(ESR_SYSREG(3, 0, 0, 1, 0)));
	assert_true(f.x[RT] != 0);
	f = trap(ESR_SYSREG(3, 0, 0, 7, 2), true, 0x5a5a);
	assert_int_equal(f.x[RT], N2_ID_AA64MMFR2 & ~id_reg_hidden(ESR_SYSREG(3, 0, 0, 7, 2)));
	assert_true(f.x[RT] != 0);
	f = trap(ESR_SYSREG(3, 0, 0, 7, 3), true, 0x5a5a); /* ID_AA64MMFR3_EL1: not given */
	assert_int_equal(f.x[RT], 0);
	assert_int_equal(f.elr, GUEST_PC + 4);
	assert_int_equal(undefs_injected, 0);
	for (unsigned int i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		f = trap(outside[i], true, 0x5a5a);
		assert_int_equal(undefs_injected, i + 1);
		assert_int_equal(f.x[RT], 0x5a5a);
	}
}

/* The report of an UNDEFINED IMPLEMENTATION DEFINED encoding (op0 3, CRn 11 or 15) says so. */
static void test_an_implementation_defined_register_is_told_as_such(void **state)
{
	static const struct {
		uint32_t reg;
		bool impdef;
	} regs[] = {
		{ ESR_SYSREG(3, 0, 11, 0, 0), true },  { ESR_SYSREG(3, 1, 15, 2, 0), true },
		{ ESR_SYSREG(2, 0, 15, 0, 0), false }, { ESR_SYSREG(3, 0, 12, 0, 0), false },
		{ ESR_SYSREG(3, 0, 10, 0, 0), false },
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		trap(regs[i].reg, true, 0);
		assert_int_equal(undefs_injected, i + 1);
		if (regs[i].impdef != (strstr(undef_what, "IMPLEMENTATION DEFINED") != NULL))
			fail_msg("op0 %u CRn %u told as \"%s\"", regs[i].reg >> 14 & 3,
				 regs[i].reg >> 7 & 15, undef_what);
	}
}

/*
 * A direct cell's trapped ICC_PMR/DIR/RPR/CTLR_EL1 go to its CPU interface's
 * emulation, each as itself: a read returns what it answers, a write gives
 * it Xt.
 */
static void test_a_direct_cells_common_icc_registers_each_reach_the_emulation(void **state)
{
	static const struct {
		uint32_t reg;
		enum vgic_common_reg common;
	} regs[] = {
		{ ESR_SYSREG(3, 0, 4, 6, 0), VGIC_ICC_PMR },
		{ ESR_SYSREG(3, 0, 12, 11, 1), VGIC_ICC_DIR },
		{ ESR_SYSREG(3, 0, 12, 11, 3), VGIC_ICC_RPR },
		{ ESR_SYSREG(3, 0, 12, 12, 4), VGIC_ICC_CTLR },
	};
	struct trap_frame f;

	(void)state;
	direct_cell = true;
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		f = trap(regs[i].reg, true, 0x5a5a);
		assert_int_equal(direct_reg, regs[i].common);
		assert_true(direct_read);
		assert_int_equal(f.x[RT], 0x5eed);
		f = trap(regs[i].reg, false, 0xf0);
		assert_int_equal(direct_reg, regs[i].common);
		assert_false(direct_read);
		assert_int_equal(direct_val, 0xf0);
		assert_int_equal(f.elr, GUEST_PC + 4);
	}
	assert_int_equal(undefs_injected, 0);
}

/* --- set/way: which cache, its geometry, and the lines cleaned ------------------------ */

#define DC_CISW ESR_SYSREG(1, 0, 7, 14, 2)

/*
 * A DC CISW naming a level with no data or unified cache (CLIDR_EL1.Ctype
 * 0 none, 1 instruction only, 5-7 reserved), or level 8 (CLIDR_EL1 bits
 * [23:21] are LoUIS, not a Ctype), does nothing and is done.
 */
static void test_set_way_on_a_level_with_no_data_cache_does_nothing(void **state)
{
	/* Ctype at levels 1-7: none, I, D, I+D, 5, 7, unified; LoUIS 4 in Ctype8's place. */
	static const unsigned int ctype[7] = { 0, 1, 2, 3, 5, 7, 4 };
	static const bool runs[8] = { false, false, true, true, false, false, true, false };
	struct trap_frame f;

	(void)state;
	clidr = 4ULL << 21;
	for (unsigned int l = 0; l < 7; l++) {
		clidr |= (uint64_t)ctype[l] << (l * 3);
		ccsidr[l] = 127 << 13 | 3 << 3 | 2;
	}
	for (unsigned int l = 0; l < 8; l++) {
		unsigned int before = set_way_runs;

		f = trap(DC_CISW, false, l << 1);
		if ((set_way_runs != before) != runs[l])
			fail_msg("DC CISW at level %u (Ctype %u): %s", l + 1, l < 7 ? ctype[l] : 8,
				 runs[l] ? "not done" : "done");
		assert_int_equal(f.elr, GUEST_PC + 4);
	}
	assert_int_equal(undefs_injected, 0);
}

/* The cell's first set/way operation is told, once: a guest looping on them floods no log. */
static void test_set_way_emulation_is_told_once_per_cell(void **state)
{
	(void)state;
	cell.id = 2; /* one no other test made set/way operations in */
	for (unsigned int i = 0; i < 3; i++)
		trap(DC_CISW, false, 0);
	cell.id = 0;
	assert_int_equal(set_way_runs, 3);
	assert_int_equal(fake_log_count(LOG_INFO), 1);
	assert_logged("guest: vcpu0: set/way cache maintenance: emulated by VA");
}

/*
 * The geometry is the named level's CCSIDR_EL1, in its 32-bit format or
 * (ID_AA64MMFR2_EL1.CCIDX) its 64-bit one; the guest's CSSELR_EL1 is put
 * back. A set not done within one trap is made again (the PC kept).
 */
static void test_set_way_reads_the_levels_geometry_and_keeps_the_guests_csselr(void **state)
{
	struct trap_frame f;

	(void)state;
	clidr = 4 | 4 << 3;
	ccsidr[1] = 1023ULL << 13 | 15 << 3 | 3; /* 1024 sets, 16 ways, 128-byte lines */
	csselr = 0x1;				 /* the guest's: level 1's I-cache */
	f = trap(DC_CISW, false, 1 << 1);
	assert_int_equal(csselr_read, 1 << 1);
	assert_int_equal(csselr, 0x1);
	assert_int_equal(run_geometry.line_shift, 7);
	assert_int_equal(run_geometry.sets, 1024);
	assert_int_equal(run_geometry.ways, 16);
	assert_int_equal(f.elr, GUEST_PC + 4);

	mmfr2 = 1ULL << 20;			    /* CCIDX */
	ccsidr[1] = 4095ULL << 32 | 31ULL << 3 | 2; /* 4096 sets, 32 ways, 64 bytes */
	run_done = false;
	f = trap(DC_CISW, false, 1 << 1);
	assert_int_equal(run_geometry.line_shift, 6);
	assert_int_equal(run_geometry.sets, 4096);
	assert_int_equal(run_geometry.ways, 32);
	assert_int_equal(f.elr, GUEST_PC); /* not done: made again */
	assert_int_equal(set_way_runs, 2);
}

/*
 * The lines: through this CPU's window on the cell's region, opened
 * read-only and closed after, each line by VA @stride apart, all @n of them.
 * A window that does not open or does not translate cleans nothing.
 */
static void test_set_way_cleans_the_lines_through_the_window_and_closes_it(void **state)
{
	struct layout_region r = { .ipa = 0x40000000, .pa = RAM_PA, .size = RAM_SIZE };

	(void)state;
	translates = true;
	set_way_arch_clean(&vcpu, &r, LINE_PA, 0x8000, 3);
	assert_int_equal(nr_cleaned, 3);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(cleaned[i], WINDOW + LINE_PA - RAM_PA + i * 0x8000);
	assert_int_equal(opened_pa, RAM_PA);
	assert_int_equal(opened_size, 0x200000);
	assert_false(window_open);

	nr_cleaned = 0;
	translates = false;
	set_way_arch_clean(&vcpu, &r, LINE_PA, 0x8000, 3);
	assert_int_equal(nr_cleaned, 0);
	assert_false(window_open);

	window_err = -12;
	window_opened = false;
	set_way_arch_clean(&vcpu, &r, LINE_PA, 0x8000, 3);
	assert_true(window_opened);
	assert_int_equal(nr_cleaned, 0);
	/* A hypervisor bug, said once (the first of the two here), whichever the cause. */
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_logged("does not translate in this CPU's window");
}

/* One trap's bound of L1 lines, 8 KiB apart (a 32 KiB 4-way L1), from @pa in region @r. */
static void clean_a_trap_of_lines(struct layout_region *r, uint64_t pa)
{
	first_line_pa = pa;
	translates = false; /* the window, not the lines, is what is looked at */
	set_way_arch_clean(&vcpu, r, pa, 0x2000, SET_WAY_LINES_PER_TRAP);
	assert_false(window_open);
}

/*
 * What a trap opens is the 2 MiB blocks its lines lie in, clipped to the
 * region, whatever the region's size: the time it holds the EL2 map's
 * lock, which every CPU's window changes share, does not grow with the
 * cell. Until 2026-11-25 each trap opened the whole region: 1 GiB here.
 */
static void test_a_set_way_trap_opens_the_blocks_of_its_lines_not_the_region(void **state)
{
	struct layout_region r = { .ipa = 0x40000000, .pa = RAM_PA, .size = 0x40000000 };

	(void)state;
	/* 2 048 lines from 3 MiB + 64 to 19 MiB - 8 KiB + 64: the blocks from 2 to 20 MiB. */
	clean_a_trap_of_lines(&r, RAM_PA + 0x300040);
	assert_int_equal(opened_pa, RAM_PA + 0x200000);
	assert_int_equal(opened_size, 0x1200000);

	/* The same lines in a 64 MiB region: the same blocks. */
	r.size = 0x04000000;
	clean_a_trap_of_lines(&r, RAM_PA + 0x300040);
	assert_int_equal(opened_pa, RAM_PA + 0x200000);
	assert_int_equal(opened_size, 0x1200000);

	/* A region that starts and ends 4 KiB into a block, the lines in both: not past it. */
	r.pa = RAM_PA + 0x1000;
	r.size = 0x1000000;
	clean_a_trap_of_lines(&r, RAM_PA + 0x2040);
	assert_int_equal(opened_pa, r.pa);
	assert_int_equal(opened_size, r.size);
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
		cmocka_unit_test_setup(
			test_raz_wi_registers_are_those_named_and_their_neighbours_undefined,
			fresh),
		cmocka_unit_test_setup(test_the_id_register_space_ends_where_tid3s_does, fresh),
		cmocka_unit_test_setup(test_an_implementation_defined_register_is_told_as_such,
				       fresh),
		cmocka_unit_test_setup(
			test_a_direct_cells_common_icc_registers_each_reach_the_emulation, fresh),
		cmocka_unit_test_setup(test_set_way_on_a_level_with_no_data_cache_does_nothing,
				       fresh),
		cmocka_unit_test_setup(test_set_way_emulation_is_told_once_per_cell, fresh),
		cmocka_unit_test_setup(
			test_set_way_reads_the_levels_geometry_and_keeps_the_guests_csselr, fresh),
		cmocka_unit_test_setup(
			test_set_way_cleans_the_lines_through_the_window_and_closes_it, fresh),
		cmocka_unit_test_setup(
			test_a_set_way_trap_opens_the_blocks_of_its_lines_not_the_region, fresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
