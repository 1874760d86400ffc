// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PSTATE the hypervisor gives the guest's EL1 when it injects an
 * exception (guest_el1_entry_pstate(): the rules of AArch64.TakeException()),
 * checked field by field where QEMU cannot show it (DIT, AArch32 sources,
 * CPUs without a feature); when a trapped WFIT ends (guest_wfx_deadline()),
 * which QEMU cannot show because it reports a WFIT as a WFI; and the PSTATE
 * an emulated instruction leaves (guest_skip_instruction()), for the T32 IT
 * blocks no test guest runs; and the syndrome of an injected external abort
 * (guest_abort_syndrome()), whose WnR and CM no test guest reads; and which
 * trapped AArch32 instructions failed their condition code check
 * (guest_condition_failed()), which QEMU never traps.
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

/* A trapped WFx: ESR_EL2 with EC 0x01, IL and the given ISS. */
static struct trap_frame wfx_frame(uint32_t iss)
{
	struct trap_frame f = { .esr = ((uint64_t)ESR_EC_WFX << ESR_ELx_EC_SHIFT) | ESR_ELx_IL |
				       iss };

	return f;
}

#define WFIT_X(n) (ESR_ISS_WFX_TI_WFIT | ESR_ISS_WFX_RV | ((n) << 5))
#define NOW	  1000000UL
#define MAX_WAIT  625000UL /* 10 ms at 62.5 MHz */

static void test_wfit_ends_at_its_deadline_if_sooner_than_the_bound(void **state)
{
	struct trap_frame f = wfx_frame(WFIT_X(3));

	(void)state;
	f.x[3] = NOW + 1000;
	assert_int_equal(guest_wfx_deadline(&f, NOW, MAX_WAIT), NOW + 1000);
	f.x[3] = NOW + 10 * MAX_WAIT;
	assert_int_equal(guest_wfx_deadline(&f, NOW, MAX_WAIT), NOW + MAX_WAIT);
}

static void test_wfit_with_a_deadline_passed_or_xzr_ends_at_once(void **state)
{
	struct trap_frame f = wfx_frame(WFIT_X(0));

	(void)state;
	f.x[0] = NOW - 1;
	assert_true(guest_wfx_deadline(&f, NOW, MAX_WAIT) <= NOW);
	f = wfx_frame(WFIT_X(31));
	assert_int_equal(guest_wfx_deadline(&f, NOW, MAX_WAIT), 0);
}

static void test_wfi_and_wfit_without_register_end_at_the_bound(void **state)
{
	struct trap_frame wfi = wfx_frame(0);
	struct trap_frame no_rv = wfx_frame(ESR_ISS_WFX_TI_WFIT | (3 << 5));

	(void)state;
	no_rv.x[3] = NOW + 1;
	assert_int_equal(guest_wfx_deadline(&wfi, NOW, MAX_WAIT), NOW + MAX_WAIT);
	assert_int_equal(guest_wfx_deadline(&no_rv, NOW, MAX_WAIT), NOW + MAX_WAIT);
}

/* A trapped instruction of @len bytes at 0x1000, taken with @spsr. */
static struct trap_frame trapped(unsigned int len, uint64_t spsr)
{
	struct trap_frame f = { .elr = 0x1000, .spsr = spsr, .esr = len == 4 ? ESR_ELx_IL : 0 };

	return f;
}

/* ITSTATE IT[7:0] in an AArch32 SPSR, and back. */
static uint64_t spsr_with_it(uint64_t spsr, unsigned int it)
{
	return spsr | (uint64_t)(it >> 2) << SPSR_IT_HI_SHIFT |
	       (uint64_t)(it & 3) << SPSR_IT_LO_SHIFT;
}

static unsigned int it_of(uint64_t spsr)
{
	return (unsigned int)(((spsr & SPSR_IT_HI) >> SPSR_IT_HI_SHIFT) << 2 |
			      (spsr & SPSR_IT_LO) >> SPSR_IT_LO_SHIFT);
}

static void test_skip_clears_btype_and_ss_in_aarch64(void **state)
{
	struct trap_frame f = trapped(4, SPSR_M_EL1H | SPSR_BTYPE | SPSR_SS | SPSR_PAN | SPSR_NZCV);

	(void)state;
	guest_skip_instruction(&f);
	assert_int_equal(f.elr, 0x1004);
	assert_int_equal(f.spsr, SPSR_M_EL1H | SPSR_PAN | SPSR_NZCV);
}

static void test_skip_advances_a_t32_it_block_to_its_end(void **state)
{
	/* ITT EQ: firstcond 0000, mask 0100 -> IT 0x04; then 0x08 (last), then none. */
	struct trap_frame f = trapped(2, spsr_with_it(SPSR_M_USR32 | SPSR_T | SPSR_SS, 0x04));

	(void)state;
	guest_skip_instruction(&f);
	assert_int_equal(f.elr, 0x1002);
	assert_int_equal(it_of(f.spsr), 0x08);
	assert_false(f.spsr & SPSR_SS);
	f.esr = ESR_ELx_IL;
	guest_skip_instruction(&f);
	assert_int_equal(f.elr, 0x1006);
	assert_int_equal(f.spsr, SPSR_M_USR32 | SPSR_T);
}

static void test_skip_keeps_the_base_condition_of_an_it_block(void **state)
{
	/* ITAdvance(): IT<7:5> (the base condition) stays, IT<4:0> shifts left. */
	struct trap_frame f = trapped(2, spsr_with_it(SPSR_M_USR32 | SPSR_T, 0x13));

	(void)state;
	guest_skip_instruction(&f);
	assert_int_equal(it_of(f.spsr), 0x06); /* 000:10011 -> 000:00110 */
	f = trapped(2, spsr_with_it(SPSR_M_USR32 | SPSR_T, 0x35));
	guest_skip_instruction(&f);
	assert_int_equal(it_of(f.spsr), 0x2a); /* 001:10101 -> 001:01010 */
}

static void test_skip_leaves_a32_and_outside_it_blocks_alone(void **state)
{
	/* A32 (T 0): bits 11:10 are not BTYPE in an AArch32 SPSR, and there is no IT. */
	struct trap_frame a32 = trapped(4, SPSR_M_USR32 | (3UL << 10) | SPSR_SS);
	struct trap_frame t32 = trapped(2, SPSR_M_USR32 | SPSR_T);

	(void)state;
	guest_skip_instruction(&a32);
	guest_skip_instruction(&t32);
	assert_int_equal(a32.spsr, SPSR_M_USR32 | (3UL << 10));
	assert_int_equal(t32.spsr, SPSR_M_USR32 | SPSR_T);
}

/*
 * A trapped AArch32 instruction that fails its condition code check
 * (guest_condition_failed()). QEMU takes such traps only when the condition
 * passes, so no test guest can show the other case.
 */
#define EC(ec)	      ((uint64_t)(ec) << ESR_ELx_EC_SHIFT)
#define CV_COND(cond) (ESR_ISS_CV | (uint64_t)(cond) << ESR_ISS_COND_SHIFT)
#define NZCV(flags)   ((uint64_t)(flags) << 28)

/*
 * For each condition, the NZCV values (bit NZCV of the word) it holds for:
 * the table arch/arm/kernel/opcodes.c and KVM use, but for 0b1111, which
 * ConditionHolds() says always holds.
 */
static const uint16_t holds_for[16] = {
	0xf0f0, 0x0f0f, 0xcccc, 0x3333, 0xff00, 0x00ff, 0xaaaa, 0x5555,
	0x0c0c, 0xf3f3, 0xaa55, 0x55aa, 0x0a05, 0xf5fa, 0xffff, 0xffff,
};

static struct trap_frame a32_trap(unsigned int ec, uint64_t iss, uint64_t spsr)
{
	struct trap_frame f = { .elr = 0x1000,
				.spsr = SPSR_M_USR32 | spsr,
				.esr = EC(ec) | ESR_ELx_IL | iss };

	return f;
}

static void test_every_condition_against_every_nzcv(void **state)
{
	unsigned int cond, flags;

	(void)state;
	for (cond = 0; cond < 16; cond++)
		for (flags = 0; flags < 16; flags++) {
			struct trap_frame f = a32_trap(ESR_EC_WFX, CV_COND(cond), NZCV(flags));
			bool want = !((holds_for[cond] >> flags) & 1);

			if (guest_condition_failed(&f) != want)
				fail_msg("COND 0x%x with NZCV 0x%x: %s, want %s", cond, flags,
					 want ? "passed" : "failed", want ? "failed" : "passed");
		}
}

static void test_a_condition_failed_a32_wfi_or_coprocessor_access_is_a_nop(void **state)
{
	/* WFIEQ, MRCEQ p15, LDCNE p14, MRRCEQ p14 with Z clear, then set. */
	static const unsigned int ecs[] = { ESR_EC_WFX,	    ESR_EC_CP15_32, ESR_EC_CP15_64,
					    ESR_EC_CP14_MR, ESR_EC_CP14_LS, ESR_EC_CP14_64 };

	(void)state;
	for (unsigned int i = 0; i < sizeof(ecs) / sizeof(ecs[0]); i++) {
		struct trap_frame eq_z0 = a32_trap(ecs[i], CV_COND(0x0), 0);
		struct trap_frame eq_z1 = a32_trap(ecs[i], CV_COND(0x0), NZCV(0x4));
		struct trap_frame al = a32_trap(ecs[i], CV_COND(ESR_COND_AL), 0);

		if (!guest_condition_failed(&eq_z0))
			fail_msg("EC 0x%02x, EQ with Z clear: not skipped", ecs[i]);
		assert_false(guest_condition_failed(&eq_z1));
		assert_false(guest_condition_failed(&al));
	}
}

static void test_t32_without_cv_takes_the_it_blocks_condition(void **state)
{
	/* ITE NE: firstcond 0001, mask 1000 -> IT 0x18; the instruction is the NE one. */
	uint64_t in_it_ne = spsr_with_it(SPSR_T, 0x18);
	struct trap_frame z_set = a32_trap(ESR_EC_WFX, 0, in_it_ne | NZCV(0x4));
	struct trap_frame z_clear = a32_trap(ESR_EC_WFX, 0, in_it_ne);
	/* CV 0 outside an IT block: unconditional, whatever COND holds (UNKNOWN). */
	struct trap_frame outside = a32_trap(ESR_EC_CP15_32, 0x0 << ESR_ISS_COND_SHIFT, SPSR_T);

	(void)state;
	assert_true(guest_condition_failed(&z_set));
	assert_false(guest_condition_failed(&z_clear));
	assert_false(guest_condition_failed(&outside));
}

static void test_aarch64_and_other_classes_are_never_skipped(void **state)
{
	/* From AArch64 CV is 1 and COND 0b1110; a made-up EQ with Z clear is still not ours. */
	struct trap_frame a64 = { .spsr = SPSR_M_EL1H, .esr = EC(ESR_EC_WFX) | CV_COND(0x0) };
	/* A data abort's bit 24 is ISV, its 23:20 SAS, SSE, SRT[4]: not a condition. */
	struct trap_frame dabt = a32_trap(ESR_EC_DABT_LOW, CV_COND(0x0), 0);

	(void)state;
	assert_false(guest_condition_failed(&a64));
	assert_false(guest_condition_failed(&dabt));
}

/* A trapped data abort: EC 0x24 (from a lower EL), ISV 0, FSC 0x04 (a stage-2 translation fault).
 */
#define DABT_LOW_EL2 (((uint64_t)ESR_EC_DABT_LOW << ESR_ELx_EC_SHIFT) | ESR_ELx_IL | 0x04)

static void test_injected_abort_of_a_store_says_write(void **state)
{
	uint64_t esr = guest_abort_syndrome(DABT_LOW_EL2 | ESR_ISS_DABT_WNR, true, false);

	(void)state;
	assert_int_equal(esr, ((uint64_t)ESR_EC_DABT_CUR << ESR_ELx_EC_SHIFT) | ESR_ELx_IL |
				      ESR_ISS_DABT_WNR | ESR_FSC_SYNC_EXTERNAL);
	/* A load: WnR 0. */
	assert_int_equal(guest_abort_syndrome(DABT_LOW_EL2, true, true),
			 ((uint64_t)ESR_EC_DABT_LOW << ESR_ELx_EC_SHIFT) | ESR_ELx_IL |
				 ESR_FSC_SYNC_EXTERNAL);
}

static void test_injected_abort_of_cache_maintenance_says_cm_and_write(void **state)
{
	uint64_t trapped = DABT_LOW_EL2 | ESR_ISS_DABT_CM | ESR_ISS_DABT_WNR | ESR_ISS_DABT_FNV;

	(void)state;
	assert_int_equal(guest_abort_syndrome(trapped, true, false),
			 ((uint64_t)ESR_EC_DABT_CUR << ESR_ELx_EC_SHIFT) | ESR_ELx_IL |
				 ESR_ISS_DABT_CM | ESR_ISS_DABT_WNR | ESR_ISS_DABT_FNV |
				 ESR_FSC_SYNC_EXTERNAL);
}

static void test_injected_abort_on_a_walk_or_a_fetch_keeps_only_fnv(void **state)
{
	/* Stage 2 faulted the stage-1 walk: WnR is the walk's (a descriptor update), not the
	 * load's. */
	uint64_t walk = DABT_LOW_EL2 | ESR_ISS_DABT_S1PTW | ESR_ISS_DABT_WNR;
	uint64_t fetch = ((uint64_t)ESR_EC_IABT_LOW << ESR_ELx_EC_SHIFT) | ESR_ELx_IL |
			 ESR_ISS_DABT_FNV | ESR_ISS_DABT_WNR | 0x04;

	(void)state;
	assert_int_equal(guest_abort_syndrome(walk, true, true),
			 ((uint64_t)ESR_EC_DABT_LOW << ESR_ELx_EC_SHIFT) | ESR_ELx_IL |
				 ESR_FSC_SYNC_EXTERNAL);
	assert_int_equal(guest_abort_syndrome(fetch, false, true),
			 ((uint64_t)ESR_EC_IABT_LOW << ESR_ELx_EC_SHIFT) | ESR_ELx_IL |
				 ESR_ISS_DABT_FNV | ESR_FSC_SYNC_EXTERNAL);
}

/*
 * An Alignment fault of stage 2 (ESR_EL2 0x92000061: an unaligned store to a
 * passed-through device's page the guest maps Normal) reaches the guest as
 * the Alignment fault its own Device mapping would give it, WnR kept; any
 * other fault code as an external abort.
 */
static void test_injected_abort_of_an_alignment_fault_is_one(void **state)
{
	(void)state;
	assert_int_equal(guest_abort_syndrome(0x92000061, true, false),
			 ((uint64_t)ESR_EC_DABT_CUR << ESR_ELx_EC_SHIFT) | ESR_ELx_IL |
				 ESR_ISS_DABT_WNR | ESR_FSC_ALIGNMENT);
	assert_int_equal(guest_abort_syndrome(0x92000021, true, true) & ESR_ISS_ABT_FSC_MASK,
			 ESR_FSC_ALIGNMENT);
	assert_int_equal(guest_abort_syndrome(DABT_LOW_EL2 | 0x0b, true, true) &
				 ESR_ISS_ABT_FSC_MASK,
			 ESR_FSC_SYNC_EXTERNAL);
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
		cmocka_unit_test(test_wfit_ends_at_its_deadline_if_sooner_than_the_bound),
		cmocka_unit_test(test_wfit_with_a_deadline_passed_or_xzr_ends_at_once),
		cmocka_unit_test(test_wfi_and_wfit_without_register_end_at_the_bound),
		cmocka_unit_test(test_skip_clears_btype_and_ss_in_aarch64),
		cmocka_unit_test(test_skip_advances_a_t32_it_block_to_its_end),
		cmocka_unit_test(test_skip_keeps_the_base_condition_of_an_it_block),
		cmocka_unit_test(test_skip_leaves_a32_and_outside_it_blocks_alone),
		cmocka_unit_test(test_every_condition_against_every_nzcv),
		cmocka_unit_test(test_a_condition_failed_a32_wfi_or_coprocessor_access_is_a_nop),
		cmocka_unit_test(test_t32_without_cv_takes_the_it_blocks_condition),
		cmocka_unit_test(test_aarch64_and_other_classes_are_never_skipped),
		cmocka_unit_test(test_injected_abort_of_a_store_says_write),
		cmocka_unit_test(test_injected_abort_of_cache_maintenance_says_cm_and_write),
		cmocka_unit_test(test_injected_abort_on_a_walk_or_a_fetch_keeps_only_fnv),
		cmocka_unit_test(test_injected_abort_of_an_alignment_fault_is_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
