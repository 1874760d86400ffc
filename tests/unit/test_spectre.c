// SPDX-License-Identifier: GPL-2.0-only
/*
 * The speculation judgement (arch/arm64/spectre_plan.c) on CPUs and firmware
 * QEMU cannot show: its built-in PSCI has no SMCCC 1.1, so the firmware
 * workarounds of a Raspberry Pi 4's Cortex-A72 under TF-A, a Cortex-A73's
 * WORKAROUND_3, a firmware that says "not required" and the firmware's
 * WORKAROUND_2 for speculative store bypass are only seen here.
 * MIDRs as the cores report them (implementer 0x41, part number [15:4]).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "spectre.h"

#define A53	 0x410fd034UL
#define A72	 0x410fd083UL
#define A73	 0x411fd090UL
#define A76	 0x414fd0b1UL
#define A720	 0x410fd810UL
#define QEMU_MAX 0x000f0510UL
#define CSV2(v)	 ((uint64_t)(v) << 56)
#define ECBHB	 (1UL << 60)
#define CLRBHB	 (1UL << 28)
#define SSBS	 (1UL << 4)
#define NO_FW	 SMCCC_WA_NOT_SUPPORTED

static struct spectre_plan plan_for(struct spectre_cpu cpu)
{
	struct spectre_plan plan;

	spectre_plan_for(&cpu, &plan);
	return plan;
}

static struct spectre_plan plan_of(uint64_t midr, uint64_t pfr0, uint64_t mmfr1, uint64_t isar2,
				   int64_t fw_wa1, int64_t fw_wa3)
{
	return plan_for((struct spectre_cpu){ .midr = midr,
					      .pfr0 = pfr0,
					      .mmfr1 = mmfr1,
					      .isar2 = isar2,
					      .fw_wa1 = fw_wa1,
					      .fw_wa2 = NO_FW,
					      .fw_wa3 = fw_wa3 });
}

/* Spectre-v4 alone: what the CPU says of SSBS, the firmware of WORKAROUND_2, SCTLR_EL2.DSSBS. */
static struct spectre_plan ssb_plan_of(uint64_t midr, uint64_t pfr1, int64_t fw_wa2, bool dssbs)
{
	return plan_for((struct spectre_cpu){ .midr = midr,
					      .pfr1 = pfr1,
					      .fw_wa1 = NO_FW,
					      .fw_wa2 = fw_wa2,
					      .fw_wa3 = NO_FW,
					      .dssbs = dssbs });
}

static void assert_no_hardening(const struct spectre_plan *p)
{
	assert_int_equal(p->harden.bhb_loop, 0);
	assert_int_equal(p->harden.clrbhb, 0);
	assert_int_equal(p->harden.fw_fid, 0);
}

/* The Spectre-v4 judgement, whether the firmware is asked at boot, and what the guest is told. */
static void assert_v4(const struct spectre_plan *p, enum spectre_state state, enum spectre_why why,
		      bool fw_wa2_on, int64_t told)
{
	assert_int_equal(p->v4, state);
	assert_int_equal(p->v4_why, why);
	assert_int_equal(p->fw_wa2_on, fw_wa2_on);
	assert_int_equal(spectre_guest_feature(p, SMCCC_ARCH_WORKAROUND_2), told);
}

static void test_an_in_order_core_needs_nothing(void **state)
{
	struct spectre_plan p = plan_of(A53, 0, 0, 0, NO_FW, NO_FW);

	(void)state;
	assert_int_equal(p.v2, SPECTRE_UNAFFECTED);
	assert_int_equal(p.v2_why, SPECTRE_WHY_CORE);
	assert_int_equal(p.bhb, SPECTRE_UNAFFECTED);
	assert_no_hardening(&p);
	assert_int_equal(spectre_guest_feature(&p, SMCCC_ARCH_WORKAROUND_1), SMCCC_WA_UNAFFECTED);
	assert_int_equal(spectre_guest_feature(&p, SMCCC_ARCH_WORKAROUND_3), SMCCC_WA_UNAFFECTED);
	assert_v4(&p, SPECTRE_UNAFFECTED, SPECTRE_WHY_CORE, false, SMCCC_WA_UNAFFECTED);
}

static void test_a72_without_firmware_is_vulnerable_and_says_so(void **state)
{
	struct spectre_plan p = plan_of(A72, 0, 0, 0, NO_FW, NO_FW);

	(void)state;
	assert_int_equal(p.v2, SPECTRE_VULNERABLE);
	assert_int_equal(p.v2_why, SPECTRE_WHY_NO_WORKAROUND);
	/* The loop alone would leave branch target injection open: not applied, not claimed. */
	assert_int_equal(p.bhb, SPECTRE_VULNERABLE);
	assert_int_equal(p.bhb_why, SPECTRE_WHY_V2_OPEN);
	assert_no_hardening(&p);
	assert_int_equal(spectre_guest_feature(&p, SMCCC_ARCH_WORKAROUND_1),
			 SMCCC_WA_NOT_SUPPORTED);
	assert_int_equal(spectre_guest_feature(&p, SMCCC_ARCH_WORKAROUND_3),
			 SMCCC_WA_NOT_SUPPORTED);
	/* No SSBS and no WORKAROUND_2: stores are bypassed, at EL2 too. */
	assert_v4(&p, SPECTRE_VULNERABLE, SPECTRE_WHY_NO_WORKAROUND, false, SMCCC_WA_NOT_SUPPORTED);
}

static void test_ssbs_keeps_the_bypass_off_in_the_hypervisor(void **state)
{
	struct spectre_plan p = ssb_plan_of(A76, SSBS, NO_FW, false);
	struct spectre_plan dssbs = ssb_plan_of(A76, SSBS, NO_FW, true);

	(void)state;
	/* The guest has SSBS itself (ID_AA64PFR1_EL1): told nothing, as KVM tells it. */
	assert_v4(&p, SPECTRE_MITIGATED, SPECTRE_WHY_SSBS, false, SMCCC_WA_NOT_SUPPORTED);
	/* SCTLR_EL2.DSSBS set would enter EL2 with the bypass on: SSBS is then no mitigation. */
	assert_int_equal(dssbs.v4, SPECTRE_VULNERABLE);
}

static void test_a72_with_tf_a_has_the_firmware_turn_the_bypass_off(void **state)
{
	struct spectre_plan dynamic = ssb_plan_of(A72, 0, SMCCC_WA_REQUIRED, false);
	struct spectre_plan for_good = ssb_plan_of(A72, 0, SMCCC_WA_UNAFFECTED, false);

	(void)state;
	assert_v4(&dynamic, SPECTRE_MITIGATED, SPECTRE_WHY_FW_WA2, true, SMCCC_WA_UNAFFECTED);
	/* A firmware that keeps it off itself says "not required". */
	assert_v4(&for_good, SPECTRE_UNAFFECTED, SPECTRE_WHY_FW_UNAFFECTED, false,
		  SMCCC_WA_UNAFFECTED);
}

static void test_a72_with_tf_a_calls_workaround_1_and_runs_a_loop_of_8(void **state)
{
	struct spectre_plan p = plan_of(A72, 0, 0, 0, SMCCC_WA_REQUIRED, NO_FW);

	(void)state;
	assert_int_equal(p.v2, SPECTRE_MITIGATED);
	assert_int_equal(p.bhb, SPECTRE_MITIGATED);
	assert_int_equal(p.bhb_why, SPECTRE_WHY_LOOP);
	assert_int_equal(p.harden.fw_fid, SMCCC_ARCH_WORKAROUND_1);
	assert_int_equal(p.harden.bhb_loop, 8);
	assert_int_equal(spectre_guest_feature(&p, SMCCC_ARCH_WORKAROUND_1), SMCCC_WA_REQUIRED);
	assert_int_equal(spectre_guest_feature(&p, SMCCC_ARCH_WORKAROUND_3), SMCCC_WA_REQUIRED);
}

static void test_a73_uses_workaround_3_alone_where_the_firmware_has_it(void **state)
{
	struct spectre_plan with = plan_of(A73, 0, 0, 0, SMCCC_WA_REQUIRED, SMCCC_WA_REQUIRED);
	struct spectre_plan without = plan_of(A73, 0, 0, 0, SMCCC_WA_REQUIRED, NO_FW);

	(void)state;
	assert_int_equal(with.bhb_why, SPECTRE_WHY_FW_WA3);
	assert_int_equal(with.harden.fw_fid, SMCCC_ARCH_WORKAROUND_3);
	assert_int_equal(with.harden.bhb_loop, 0);
	/* No loop is known for it: with WORKAROUND_1 only, history injection stays open. */
	assert_int_equal(without.v2, SPECTRE_MITIGATED);
	assert_int_equal(without.bhb, SPECTRE_VULNERABLE);
	assert_int_equal(without.bhb_why, SPECTRE_WHY_NO_WORKAROUND);
	assert_int_equal(without.harden.fw_fid, SMCCC_ARCH_WORKAROUND_1);
}

static void test_a76_has_csv2_and_needs_a_loop_of_24(void **state)
{
	struct spectre_plan p = plan_of(A76, CSV2(1), 0, 0, NO_FW, NO_FW);

	(void)state;
	assert_int_equal(p.v2, SPECTRE_UNAFFECTED);
	assert_int_equal(p.v2_why, SPECTRE_WHY_CSV2);
	assert_int_equal(p.bhb, SPECTRE_MITIGATED);
	assert_int_equal(p.harden.bhb_loop, 24);
	assert_int_equal(p.harden.fw_fid, 0);
}

/*
 * Cores newer than the first Spectre-BHB lists, without CLRBHB or ECBHB: each
 * runs its own loop rather than calling the firmware's WORKAROUND_3 on every
 * entry, and is not left vulnerable where the firmware has no workaround.
 */
static void test_newer_cores_run_their_own_loop(void **state)
{
	static const struct {
		uint64_t midr;
		uint32_t loop;
	} cores[] = {
		{ 0x410fd4c0UL, 32 },  /* Cortex-X1C */
		{ 0x410fd890UL, 38 },  /* Cortex-A720AE */
		{ 0x410fd820UL, 132 }, /* Cortex-X4 */
		{ 0x410fd840UL, 132 }, /* Neoverse V3 */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cores) / sizeof(cores[0]); i++) {
		struct spectre_plan fw =
			plan_of(cores[i].midr, CSV2(1), 0, 0, NO_FW, SMCCC_WA_REQUIRED);
		struct spectre_plan none = plan_of(cores[i].midr, CSV2(1), 0, 0, NO_FW, NO_FW);

		if (fw.bhb_why != SPECTRE_WHY_LOOP || fw.harden.bhb_loop != cores[i].loop ||
		    fw.harden.fw_fid || none.bhb != SPECTRE_MITIGATED ||
		    none.harden.bhb_loop != cores[i].loop)
			fail_msg("MIDR 0x%08lx: a loop of %u (firmware call 0x%x; without the "
				 "firmware's: state %d, loop %u), want a loop of %u",
				 (unsigned long)cores[i].midr, fw.harden.bhb_loop, fw.harden.fw_fid,
				 none.bhb, none.harden.bhb_loop, cores[i].loop);
	}
}

static void test_the_architecture_says_first(void **state)
{
	struct spectre_plan ecbhb = plan_of(A76, CSV2(1), ECBHB, 0, NO_FW, NO_FW);
	struct spectre_plan csv2_3 = plan_of(QEMU_MAX, CSV2(3), 0, 0, NO_FW, NO_FW);
	struct spectre_plan clrbhb = plan_of(A720, CSV2(1), 0, CLRBHB, NO_FW, NO_FW);

	(void)state;
	assert_int_equal(ecbhb.bhb_why, SPECTRE_WHY_ECBHB);
	assert_no_hardening(&ecbhb);
	assert_int_equal(csv2_3.bhb_why, SPECTRE_WHY_CSV2_3);
	assert_no_hardening(&csv2_3);
	/* The core's own instruction before its loop of 38. */
	assert_int_equal(clrbhb.bhb_why, SPECTRE_WHY_CLRBHB);
	assert_int_equal(clrbhb.harden.clrbhb, 1);
	assert_int_equal(clrbhb.harden.bhb_loop, 0);
}

static void test_the_firmware_may_say_not_required(void **state)
{
	struct spectre_plan p = plan_of(A73, 0, 0, 0, SMCCC_WA_UNAFFECTED, SMCCC_WA_UNAFFECTED);

	(void)state;
	assert_int_equal(p.v2_why, SPECTRE_WHY_FW_UNAFFECTED);
	assert_int_equal(p.bhb_why, SPECTRE_WHY_FW_UNAFFECTED);
	assert_no_hardening(&p);
	assert_int_equal(spectre_guest_feature(&p, SMCCC_ARCH_WORKAROUND_1), SMCCC_WA_UNAFFECTED);
}

static void test_an_unknown_core_is_not_taken_for_an_arm_part(void **state)
{
	/* Part number 0xd08 under another implementer is not a Cortex-A72. */
	struct spectre_plan p = plan_of(0x420fd080UL, 0, 0, 0, NO_FW, NO_FW);

	(void)state;
	assert_int_equal(p.v2, SPECTRE_VULNERABLE);
	assert_no_hardening(&p);
	assert_int_equal(spectre_guest_feature(&p, 0x80007fffU), SMCCC_WA_NOT_SUPPORTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_in_order_core_needs_nothing),
		cmocka_unit_test(test_a72_without_firmware_is_vulnerable_and_says_so),
		cmocka_unit_test(test_ssbs_keeps_the_bypass_off_in_the_hypervisor),
		cmocka_unit_test(test_a72_with_tf_a_has_the_firmware_turn_the_bypass_off),
		cmocka_unit_test(test_a72_with_tf_a_calls_workaround_1_and_runs_a_loop_of_8),
		cmocka_unit_test(test_a73_uses_workaround_3_alone_where_the_firmware_has_it),
		cmocka_unit_test(test_a76_has_csv2_and_needs_a_loop_of_24),
		cmocka_unit_test(test_newer_cores_run_their_own_loop),
		cmocka_unit_test(test_the_architecture_says_first),
		cmocka_unit_test(test_the_firmware_may_say_not_required),
		cmocka_unit_test(test_an_unknown_core_is_not_taken_for_an_arm_part),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
