// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMUv3 bring-up (smmu/smmu_init.c), against the SMMU model
 * (smmu_model.h): what firmware left is aborted before anything changes,
 * an SMMU the hypervisor cannot use is left off with every stream
 * aborting, and what the SMMU supports decides what it is given.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_log.h"
#include "smmu.h"
#include "smmu_fixture.h"

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
	smmu_test_setup(NULL);
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

static void test_an_smmu_without_ats_is_not_given_the_res0_atschk(void **state)
{
	(void)state;
	smmu_up();
	assert_true(smmu_enabled());
	assert_int_equal(REG(SMMU_CR0) & CR0_ATSCHK, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SMMU_TEST(test_an_smmu_without_stage_2_is_left_off_with_every_stream_aborting),
		SMMU_TEST(test_an_smmu_firmware_left_on_is_never_off_with_gbpa_at_bypass),
		SMMU_TEST(test_an_smmu_that_does_not_turn_off_still_gets_gbpa_abort),
		SMMU_TEST(test_an_smmu_that_forces_stalls_is_left_off),
		SMMU_TEST(test_an_smmu_with_big_endian_tables_only_is_left_off),
		SMMU_TEST(test_an_smmu_that_cannot_reach_the_image_is_left_off),
		SMMU_TEST(test_an_smmu_whose_reg_is_one_page_is_left_off),
		SMMU_TEST(test_an_smmu_with_ats_is_on_in_safe_mode_so_translated_dma_aborts),
		SMMU_TEST(test_a_stream_beyond_the_table_aborts_without_event_records),
		SMMU_TEST(test_an_smmu_without_ats_is_not_given_the_res0_atschk),
		SMMU_TEST(test_an_smmu_without_hyp_is_not_sent_el2_tlb_invalidation),
		SMMU_TEST(test_an_smmu_with_hyp_has_its_el2_tlb_entries_invalidated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
