// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PSTATE the hypervisor gives the guest's EL1 when it injects an
 * exception (guest_el1_entry_pstate(): the rules of AArch64.TakeException()),
 * checked field by field where QEMU cannot show it (DIT, AArch32 sources,
 * CPUs without a feature).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "sysreg_trap.h"

#define ALL_FEATURES (SPSR_PAN | SPSR_SSBS | SPSR_TCO | SPSR_ALLINT)
#define EL1H_MASKED  (SPSR_M_EL1H | SPSR_DAIF)
#define SPSR_M_USR32 SPSR_M_AARCH32 /* M[4:0] = 0b10000, User */
#define SPSR_T	     (1UL << 5)
#define SPSR_IT_LO   (3UL << 25)

/* SCTLR_EL1 as Linux sets it: SPAN 0 (PAN on entry), DSSBS 0, SPINTMASK 0. */
#define SCTLR_LINUX 0UL

static void test_pan_is_set_on_entry_when_span_is_clear(void **state)
{
	(void)state;
	assert_true(guest_el1_entry_pstate(SPSR_M_EL1H, SCTLR_LINUX, ALL_FEATURES) & SPSR_PAN);
}

static void test_pan_is_kept_on_entry_when_span_is_set(void **state)
{
	uint64_t span = SCTLR_EL1_SPAN;

	(void)state;
	assert_false(guest_el1_entry_pstate(SPSR_M_EL1H, span, ALL_FEATURES) & SPSR_PAN);
	assert_true(guest_el1_entry_pstate(SPSR_M_EL1H | SPSR_PAN, span, ALL_FEATURES) & SPSR_PAN);
}

static void test_ssbs_on_entry_is_sctlr_dssbs(void **state)
{
	(void)state;
	assert_true(guest_el1_entry_pstate(0, SCTLR_EL1_DSSBS, ALL_FEATURES) & SPSR_SSBS);
	assert_false(guest_el1_entry_pstate(SPSR_SSBS, 0, ALL_FEATURES) & SPSR_SSBS);
}

static void test_tco_is_set_and_allint_is_not_spintmask(void **state)
{
	(void)state;
	assert_true(guest_el1_entry_pstate(0, 0, ALL_FEATURES) & SPSR_TCO);
	assert_true(guest_el1_entry_pstate(0, 0, ALL_FEATURES) & SPSR_ALLINT);
	assert_false(guest_el1_entry_pstate(SPSR_ALLINT, SCTLR_EL1_SPINTMASK, ALL_FEATURES) &
		     SPSR_ALLINT);
}

static void test_dit_and_flags_are_kept_the_rest_cleared(void **state)
{
	uint64_t old = SPSR_NZCV | SPSR_DIT | SPSR_UAO | SPSR_SS | SPSR_IL | SPSR_BTYPE;
	uint64_t span = SCTLR_EL1_SPAN | SCTLR_EL1_SPINTMASK;

	(void)state;
	/* From EL0t, interrupts unmasked: EL1h, all masked, only NZCV, DIT (and TCO) left. */
	assert_int_equal(guest_el1_entry_pstate(old, span, ALL_FEATURES),
			 EL1H_MASKED | SPSR_NZCV | SPSR_DIT | SPSR_TCO);
}

static void test_from_aarch32_only_the_aarch64_rules_apply(void **state)
{
	/* A T32 task in an IT block, with DIT and PAN: IT, T, GE and the mode are not carried. */
	uint64_t cpsr = SPSR_M_USR32 | SPSR_T | SPSR_IT_LO | (0xfUL << 16) | SPSR_DIT | SPSR_PAN |
			(1UL << 30);
	uint64_t span = SCTLR_EL1_SPAN | SCTLR_EL1_SPINTMASK;

	(void)state;
	assert_int_equal(guest_el1_entry_pstate(cpsr, span, ALL_FEATURES),
			 EL1H_MASKED | (1UL << 30) | SPSR_DIT | SPSR_PAN | SPSR_TCO);
}

static void test_features_the_cpu_lacks_stay_zero(void **state)
{
	(void)state;
	/* Armv8.0: SPAN and DSSBS are RES1/RES0 there, SPINTMASK RES0: nothing may be set. */
	assert_int_equal(guest_el1_entry_pstate(SPSR_M_EL1H, SCTLR_EL1_SPAN | SCTLR_EL1_DSSBS, 0),
			 EL1H_MASKED);
	assert_int_equal(guest_el1_entry_pstate(SPSR_M_EL1H, 0, SPSR_PAN), EL1H_MASKED | SPSR_PAN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pan_is_set_on_entry_when_span_is_clear),
		cmocka_unit_test(test_pan_is_kept_on_entry_when_span_is_set),
		cmocka_unit_test(test_ssbs_on_entry_is_sctlr_dssbs),
		cmocka_unit_test(test_tco_is_set_and_allint_is_not_spintmask),
		cmocka_unit_test(test_dit_and_flags_are_kept_the_rest_cleared),
		cmocka_unit_test(test_from_aarch32_only_the_aarch64_rules_apply),
		cmocka_unit_test(test_features_the_cpu_lacks_stay_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
