// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ID registers as a cell reads them (HCR_EL2.TID3: the CPU's value with
 * id_reg_hidden() taken out), on the values of CPUs that have what QEMU
 * cannot show: no QEMU CPU model implements the trace unit's System
 * registers, FEAT_TRF or the activity monitors, and QEMU lowers their ID
 * fields to 0 on every one (target/arm/cpu.c, arm_cpu_realizefn()), so a
 * guest there reads 0 with or without the hypervisor. A Neoverse N2 has all
 * three; its values are those of its TRM, as QEMU's cpu64.c records them
 * before it lowers the fields (aarch64_neoverse_n2_initfn()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "sysreg_trap.h"

#define N2_ID_AA64DFR0	0x000011f210305619UL
#define N2_ID_AA64MMFR1 0x0000000010212122UL
#define N2_ID_AA64PFR0	0x1201111120111112UL
#define N2_ID_DFR0	0x16011099UL
#define N2_ID_PFR0	0x21110131UL

static uint64_t cell_view(uint32_t reg, uint64_t cpu)
{
	return cpu & ~id_reg_hidden(reg);
}

static unsigned int field(uint64_t reg, unsigned int shift)
{
	return (unsigned int)(reg >> shift) & 0xf;
}

/* TraceVer [7:4] and TraceFilt [43:40]: the trace unit (CPTR_EL2.TTA) and TRFCR_EL1
 * (MDCR_EL2.TTRF). */
static void test_trace_unit_and_trace_filter_read_0_in_id_aa64dfr0(void **state)
{
	uint64_t view = cell_view(SYSREG_ID_AA64DFR0_EL1, N2_ID_AA64DFR0);

	(void)state;
	assert_int_equal(field(view, 4) | field(view, 40), 0);
}

/*
 * What debug the cell is given stays: DebugVer 9, BRPs 5, WRPs 3, CTX_CMPs 1,
 * DoubleLock 0xf; the rest is the PMU, SPE, TRBE and the trace unit's.
 */
static void test_id_aa64dfr0_keeps_only_the_debug_fields(void **state)
{
	(void)state;
	assert_int_equal(cell_view(SYSREG_ID_AA64DFR0_EL1, N2_ID_AA64DFR0), 0x000000f010305009UL);
}

/* AMU [47:44]: the activity monitors (CPTR_EL2.TAM). */
static void test_activity_monitors_read_0_in_id_aa64pfr0(void **state)
{
	uint64_t view = cell_view(SYSREG_ID_AA64PFR0_EL1, N2_ID_AA64PFR0);

	(void)state;
	assert_int_equal(field(view, 44), 0);
}

/* The others stay: CSV3, CSV2, DIT, SEL2, SVE, RAS, AdvSIMD, FP, EL0-EL2 (MPAM and AMU 0). */
static void test_id_aa64pfr0_keeps_the_rest(void **state)
{
	(void)state;
	assert_int_equal(cell_view(SYSREG_ID_AA64PFR0_EL1, N2_ID_AA64PFR0), 0x1201001120111112UL);
}

/*
 * AArch32: CopTrc [15:12] and TraceFilt [31:28] (and PerfMon [27:24]) read 0;
 * CopDbg, CopSDbg and MMapTrc (the external debugger's interface) stay.
 */
static void test_aarch32_trace_unit_and_trace_filter_read_0_in_id_dfr0(void **state)
{
	(void)state;
	assert_int_equal(cell_view(SYSREG_ID_DFR0_EL1, N2_ID_DFR0), 0x00010099UL);
}

/* AArch32: AMU [23:20] reads 0; RAS, DIT, CSV2, State0-3 stay. */
static void test_aarch32_activity_monitors_read_0_in_id_pfr0(void **state)
{
	(void)state;
	assert_int_equal(cell_view(SYSREG_ID_PFR0_EL1, N2_ID_PFR0), 0x21010131UL);
}

/*
 * LO [19:16]: the LORegion registers (HCR_EL2.TLOR). The rest stays: XNX,
 * PAN, HPDS, VH, VMIDBits, HAFDBS.
 */
static void test_lor_reads_0_in_id_aa64mmfr1(void **state)
{
	(void)state;
	assert_int_equal(cell_view(SYSREG_ID_AA64MMFR1_EL1, N2_ID_AA64MMFR1), 0x0000000010202122UL);
}

/* A register with nothing hidden (ID_AA64ISAR0_EL1) reads as the CPU has it. */
static void test_a_register_with_nothing_hidden_reads_as_the_cpu_has_it(void **state)
{
	(void)state;
	assert_int_equal(id_reg_hidden(ESR_SYSREG(3, 0, 0, 6, 0)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_unit_and_trace_filter_read_0_in_id_aa64dfr0),
		cmocka_unit_test(test_id_aa64dfr0_keeps_only_the_debug_fields),
		cmocka_unit_test(test_activity_monitors_read_0_in_id_aa64pfr0),
		cmocka_unit_test(test_id_aa64pfr0_keeps_the_rest),
		cmocka_unit_test(test_aarch32_trace_unit_and_trace_filter_read_0_in_id_dfr0),
		cmocka_unit_test(test_aarch32_activity_monitors_read_0_in_id_pfr0),
		cmocka_unit_test(test_lor_reads_0_in_id_aa64mmfr1),
		cmocka_unit_test(test_a_register_with_nothing_hidden_reads_as_the_cpu_has_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
