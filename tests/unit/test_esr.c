// SPDX-License-Identifier: GPL-2.0-only
/* ESR_ELx decoding used by every fault report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "esr.h"

static void test_data_abort_translation_fault_names_level_and_direction(void **state)
{
	char buf[160];

	(void)state;
	/* EC 0x25, IL, ISS: WnR=1, DFSC=0x07 (translation fault, level 3) */
	esr_describe_iss(0x96000047ULL, buf, sizeof(buf));
	assert_string_equal(buf, "DFSC 0x07 (translation fault, level 3), WnR 1");
}

static void test_data_abort_with_valid_syndrome_reports_size_and_register(void **state)
{
	char buf[160];

	(void)state;
	/* EC 0x24 lower EL, ISV=1, SAS=2 (4 bytes), SRT=3, DFSC=0x06 */
	esr_describe_iss((0x24ULL << 26) | (1ULL << 25) | (1ULL << 24) | (2ULL << 22) |
				 (3ULL << 16) | 0x06,
			 buf, sizeof(buf));
	assert_string_equal(buf, "DFSC 0x06 (translation fault, level 2), WnR 0, access size 4, "
				 "register x3");
}

static void test_instruction_abort_has_no_direction(void **state)
{
	char buf[160];

	(void)state;
	esr_describe_iss((0x20ULL << 26) | (1ULL << 25) | 0x0f, buf, sizeof(buf));
	assert_string_equal(buf, "IFSC 0x0f (permission fault, level 3)");
}

static void test_external_abort_has_no_level(void **state)
{
	char buf[160];

	(void)state;
	esr_describe_iss((0x24ULL << 26) | 0x10, buf, sizeof(buf));
	assert_string_equal(buf, "DFSC 0x10 (synchronous external abort), WnR 0");
}

static void test_hvc_reports_its_immediate(void **state)
{
	char buf[64];

	(void)state;
	esr_describe_iss((0x16ULL << 26) | (1ULL << 25) | 0x1234, buf, sizeof(buf));
	assert_string_equal(buf, "immediate #0x1234");
}

static void test_aarch32_coprocessor_traps_read_as_the_instruction(void **state)
{
	char buf[64];

	(void)state;
	/* mrc p14, 0, r0, c1, c0, 0 (DBGDRAR) from AArch32 EL0: CV 1, COND 0xe */
	esr_describe_iss(0x17e00401ULL, buf, sizeof(buf));
	assert_string_equal(buf, "mrc p14, 0, r0, c1, c0, 0");
	/* mcr p15, 1, r3, c9, c0, 2 (Cortex-A53 L2CTLR) */
	esr_describe_iss((0x03ULL << 26) | (1ULL << 25) | (2ULL << 17) | (1ULL << 14) |
				 (9ULL << 10) | (3ULL << 5),
			 buf, sizeof(buf));
	assert_string_equal(buf, "mcr p15, 1, r3, c9, c0, 2");
	/* mrrc p14, 0, r0, r1, c1 (DBGDRAR, 64-bit) */
	esr_describe_iss((0x0cULL << 26) | (1ULL << 25) | (1ULL << 10) | (1ULL << 1) | 1, buf,
			 sizeof(buf));
	assert_string_equal(buf, "mrrc p14, 0, r0, r1, c1");
	/* mcrr p15, 2, r4, r5, c15 */
	esr_describe_iss((0x04ULL << 26) | (1ULL << 25) | (2ULL << 16) | (5ULL << 10) |
				 (4ULL << 5) | (15ULL << 1),
			 buf, sizeof(buf));
	assert_string_equal(buf, "mcrr p15, 2, r4, r5, c15");
	/* ldc p14, c5, [r2] */
	esr_describe_iss((0x06ULL << 26) | (1ULL << 25) | (2ULL << 5) | 1, buf, sizeof(buf));
	assert_string_equal(buf, "ldc p14, c5, [r2] (imm8 0x00)");
}

/*
 * EC 0x0a (review M1): an EL0 LD64B/ST64B* with FEAT_LS64 not given to the
 * cell traps here; guest_trap.c makes it an UNDEF named by this decode, not
 * an unknown class for the on-fault policy.
 */
static void test_ls64_traps_are_named_by_instruction(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(esr_ec_name(0x0a), "LD64B/ST64B*, PSB/TSB CSYNC");
	esr_describe_iss((0x0aULL << 26) | (1ULL << 25) | 2, buf, sizeof(buf));
	assert_string_equal(buf, "ld64b or st64b");
	esr_describe_iss((0x0aULL << 26) | (1ULL << 25) | 0, buf, sizeof(buf));
	assert_string_equal(buf, "st64bv");
	esr_describe_iss((0x0aULL << 26) | (1ULL << 25) | 1, buf, sizeof(buf));
	assert_string_equal(buf, "st64bv0");
	esr_describe_iss((0x0aULL << 26) | (1ULL << 25) | 7, buf, sizeof(buf));
	assert_string_equal(buf, "ISS 0x7");
}

/*
 * EC 0x0a's ISS for the trapped synchronization barriers (Arm ARM, ESR_EL2;
 * Linux's ESR_ELx_ISS_OTHER_TSBCSYNC/PSBCSYNC): 3 is TSB CSYNC, 4 PSB CSYNC.
 * Before 2026-11-24, 3 was called psb csync and 4 was not known.
 */
static void test_psb_and_tsb_csync_are_told_apart(void **state)
{
	char buf[32];

	(void)state;
	esr_describe_iss((0x0aULL << 26) | (1ULL << 25) | 3, buf, sizeof(buf));
	assert_string_equal(buf, "tsb csync");
	esr_describe_iss((0x0aULL << 26) | (1ULL << 25) | 4, buf, sizeof(buf));
	assert_string_equal(buf, "psb csync");
}

/*
 * EC 0x18: a trapped system instruction (op0 1) is told as the SYS or SYSL
 * an assembler takes, not as an MSR/MRS of an "S1_..." register, which no
 * assembler does: DC CISW, x3 (HCR_EL2.TSW) is "sys #0, C7, C14, #2, x3".
 * Register accesses keep their generic names.
 */
#define SYS64(iss) ((0x18ULL << 26) | (1ULL << 25) | (iss))

static void test_trapped_system_instructions_read_as_sys_and_sysl(void **state)
{
	char buf[64];

	(void)state;
	esr_describe_iss(SYS64((1U << 20) | (2U << 17) | (7U << 10) | (3U << 5) | (14U << 1)), buf,
			 sizeof(buf));
	assert_string_equal(buf, "sys #0, C7, C14, #2, x3");
	esr_describe_iss(SYS64((1U << 20) | (1U << 17) | (3U << 14) | (7U << 10) | (31U << 5) |
			       (11U << 1) | 1),
			 buf, sizeof(buf));
	assert_string_equal(buf, "sysl xzr, #3, C7, C11, #1");
	/* mrs x0, S3_1_C11_C0_2 (Cortex-A53 L2CTLR_EL1) and msr S2_0_C1_C0_4 (OSLAR_EL1) */
	esr_describe_iss(SYS64((3U << 20) | (2U << 17) | (1U << 14) | (11U << 10) | 1), buf,
			 sizeof(buf));
	assert_string_equal(buf, "mrs x0, S3_1_C11_C0_2");
	esr_describe_iss(SYS64((2U << 20) | (4U << 17) | (1U << 10)), buf, sizeof(buf));
	assert_string_equal(buf, "msr S2_0_C1_C0_4, x0");
	esr_describe_iss(SYS64((3U << 20) | (2U << 17) | (1U << 14) | (11U << 10) | (31U << 5)),
			 buf, sizeof(buf));
	assert_string_equal(buf, "msr S3_1_C11_C0_2, xzr");
}

static void test_classes_are_named_and_reserved_ones_are_unknown(void **state)
{
	(void)state;
	assert_string_equal(esr_ec_name(0x25), "data abort, same EL");
	assert_string_equal(esr_ec_name(0x17), "SMC");
	assert_string_equal(esr_ec_name(0x14), "MRRS/MSRR (128-bit)");
	assert_string_equal(esr_ec_name(0x27), "memory copy/set (MOPS)");
	assert_string_equal(esr_ec_name(0x1e), "granule protection check");
	assert_string_equal(esr_ec_name(0x3d), "PMU exception"); /* FEAT_EBEP */
	assert_string_equal(esr_ec_name(0x3f), "unknown EC");
	assert_string_equal(esr_ec_name(64), "unknown EC");
}

static void test_short_buffer_is_truncated_not_overrun(void **state)
{
	char buf[8];

	(void)state;
	esr_describe_iss(0x96000047ULL, buf, sizeof(buf));
	assert_int_equal(buf[7], '\0');
	assert_string_equal(buf, "DFSC 0x");
}

/*
 * A class whose ISS is not decoded (WFI, EC 0x01) gives an empty string, as
 * snprintf() would: nothing at all written into a buffer of length 0.
 */
static void test_an_undecoded_class_writes_nothing_into_an_empty_buffer(void **state)
{
	char buf[2] = { 'x', 'y' };

	(void)state;
	assert_int_equal(esr_describe_iss(0x06000001ULL, buf, 0), 0);
	assert_memory_equal(buf, "xy", 2);
	assert_int_equal(esr_describe_iss(0x06000001ULL, buf, 1), 0);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'y');
}

/*
 * HPFAR_EL2 gives the IPA of a stage-2 Translation, Access flag or Address
 * size fault, and of any of those or a Permission fault on a stage-1 table
 * walk; for a Permission fault of the access itself it is UNKNOWN (Arm ARM,
 * IPAValid()), on real CPUs often the page of an earlier fault: the IPA of a
 * write to read-only shared memory would be that of the last vGIC or UART
 * access, and the write emulated there.
 */
#define DABT_LOWER(iss) ((0x24ULL << 26) | (1ULL << 25) | (iss))
#define IABT_LOWER(iss) ((0x20ULL << 26) | (1ULL << 25) | (iss))
#define ISV_STR_W1	((1ULL << 24) | (2ULL << 22) | (1ULL << 16) | (1ULL << 6))
#define SYS128(iss)	((0x14ULL << 26) | (1ULL << 25) | (iss))
#define SERROR(iss)	((0x2fULL << 26) | (1ULL << 25) | (iss))

/*
 * Every DFSC/IFSC the Arm ARM defines (ESR_EL2, ISS encoding for an exception
 * from a Data Abort) by its name, with the lookup level where it has one: a
 * level below 0 comes with FEAT_LPA2 (-1) and FEAT_D128 (-2), in encodings of
 * their own.
 */
static void test_every_fault_status_code_is_named(void **state)
{
	static const struct {
		unsigned int fsc;
		const char *text;
	} codes[] = {
		{ 0x00, "address size fault, level 0" },
		{ 0x08, "access flag fault, level 0" },
		{ 0x0c, "permission fault, level 0" },
		{ 0x11, "synchronous tag check fault" },
		{ 0x12, "synchronous external abort on table walk, level -2" },
		{ 0x13, "synchronous external abort on table walk, level -1" },
		{ 0x15, "synchronous external abort on table walk, level 1" },
		{ 0x18, "synchronous parity or ECC error" },
		{ 0x1b, "synchronous parity or ECC error on table walk, level -1" },
		{ 0x1e, "synchronous parity or ECC error on table walk, level 2" },
		{ 0x21, "alignment fault" },
		{ 0x22, "granule protection fault on table walk, level -2" },
		{ 0x23, "granule protection fault on table walk, level -1" },
		{ 0x27, "granule protection fault on table walk, level 3" },
		{ 0x28, "granule protection fault" },
		{ 0x29, "address size fault, level -1" },
		{ 0x2a, "translation fault, level -2" },
		{ 0x2b, "translation fault, level -1" },
		{ 0x2c, "address size fault, level -2" },
		{ 0x30, "TLB conflict abort" },
		{ 0x31, "unsupported atomic hardware update fault" },
		{ 0x34, "IMPLEMENTATION DEFINED fault (lockdown)" },
		{ 0x35, "IMPLEMENTATION DEFINED fault (unsupported exclusive or atomic access)" },
		{ 0x19, "unknown fault status" },
		{ 0x3d, "unknown fault status" },
	};
	char buf[160], want[160];

	(void)state;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		esr_describe_iss(DABT_LOWER(codes[i].fsc), buf, sizeof(buf));
		snprintf(want, sizeof(want), "DFSC 0x%02x (%s), WnR 0", codes[i].fsc,
			 codes[i].text);
		if (strcmp(buf, want))
			fail_msg("DFSC 0x%02x: \"%s\", want \"%s\"", codes[i].fsc, buf, want);
	}
}

/*
 * EC 0x14 (FEAT_SYSREG128): a trapped MRRS or MSRR, as its assembler writes
 * it. The ISS is laid out as EC 0x18's; Rt names the even register of the
 * pair, Rt + 1 the other.
 */
static void test_mrrs_and_msrr_read_as_the_instruction(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(esr_ec_name(0x14), "MRRS/MSRR (128-bit)");
	/* mrrs x2, x3, TTBR0_EL1 (S3_0_C2_C0_0) */
	esr_describe_iss(SYS128((3U << 20) | (2U << 10) | (2U << 5) | 1), buf, sizeof(buf));
	assert_string_equal(buf, "mrrs x2, x3, S3_0_C2_C0_0");
	/* msrr PAR_EL1 (S3_0_C7_C4_0), x4, x5 */
	esr_describe_iss(SYS128((3U << 20) | (7U << 10) | (4U << 5) | (4U << 1)), buf, sizeof(buf));
	assert_string_equal(buf, "msrr S3_0_C7_C4_0, x4, x5");
}

/*
 * EC 0x2f: an SError's ISS (Arm ARM, ISS encoding for an SError exception):
 * IDS 1 makes the rest IMPLEMENTATION DEFINED; otherwise DFSC, EA, and for
 * an asynchronous SError interrupt (DFSC 0x11) the error type AET (FEAT_RAS)
 * and IESB (FEAT_IESB).
 */
static void test_serror_syndrome_is_decoded(void **state)
{
	char buf[160];

	(void)state;
	esr_describe_iss(SERROR(0x11), buf, sizeof(buf));
	assert_string_equal(buf, "DFSC 0x11 (asynchronous SError interrupt), AET UC "
				 "(uncontainable), EA 0, IESB 0");
	esr_describe_iss(SERROR((1U << 13) | (3U << 10) | (1U << 9) | 0x11), buf, sizeof(buf));
	assert_string_equal(buf, "DFSC 0x11 (asynchronous SError interrupt), AET UER "
				 "(recoverable state), EA 1, IESB 1");
	esr_describe_iss(SERROR((6U << 10) | 0x11), buf, sizeof(buf));
	assert_string_equal(buf, "DFSC 0x11 (asynchronous SError interrupt), AET CE "
				 "(corrected), EA 0, IESB 0");
	esr_describe_iss(SERROR(0), buf, sizeof(buf));
	assert_string_equal(buf, "DFSC 0x00 (uncategorized error), EA 0");
	esr_describe_iss(SERROR((1U << 24) | 0xabcdef), buf, sizeof(buf));
	assert_string_equal(buf, "IMPLEMENTATION DEFINED syndrome 0xabcdef");
}

/*
 * Every AET of an asynchronous SError interrupt by its own name (Arm ARM,
 * ISS encoding for an SError exception): 0b000 UC, 0b001 UEU, 0b010 UEO,
 * 0b011 UER, 0b110 CE; 0b100, 0b101 and 0b111 are reserved. The report of an
 * SError says from it whether the cell can run on.
 */
static void test_serror_every_error_type_is_named(void **state)
{
	static const char *const want[8] = {
		"UC (uncontainable)",
		"UEU (unrecoverable state)",
		"UEO (restartable state)",
		"UER (recoverable state)",
		"reserved",
		"reserved",
		"CE (corrected)",
		"reserved",
	};
	char buf[160], expect[160];

	(void)state;
	for (unsigned int aet = 0; aet < 8; aet++) {
		esr_describe_iss(SERROR((aet << 10) | 0x11), buf, sizeof(buf));
		snprintf(expect, sizeof(expect),
			 "DFSC 0x11 (asynchronous SError interrupt), AET %s, EA 0, IESB 0",
			 want[aet]);
		assert_string_equal(buf, expect);
	}
}

static void test_hpfar_names_the_ipa_of_translation_access_flag_and_size_faults(void **state)
{
	(void)state;
	for (unsigned int level = 0; level < 4; level++) {
		assert_true(esr_abort_ipa_valid(DABT_LOWER(ISV_STR_W1 | (0x04 + level))));
		assert_true(esr_abort_ipa_valid(DABT_LOWER(0x00 + level)));
		assert_true(esr_abort_ipa_valid(IABT_LOWER(0x04 + level)));
	}
	assert_true(esr_abort_ipa_valid(DABT_LOWER(0x0b)));
}

static void test_hpfar_is_unknown_for_a_permission_fault_of_the_access(void **state)
{
	(void)state;
	/* str w1 to read-only shared memory: ISV 1, DFSC 0x0f */
	assert_false(esr_abort_ipa_valid(DABT_LOWER(ISV_STR_W1 | 0x0f)));
	/* a fetch from a never-executable page */
	assert_false(esr_abort_ipa_valid(IABT_LOWER(0x0e)));
	/* the same on a stage-1 table walk: reported */
	assert_true(esr_abort_ipa_valid(DABT_LOWER(ESR_ISS_DABT_S1PTW | 0x0f)));
}

static void test_hpfar_is_unknown_for_other_fault_codes(void **state)
{
	(void)state;
	assert_false(esr_abort_ipa_valid(DABT_LOWER(ISV_STR_W1 | 0x21))); /* alignment */
	assert_false(esr_abort_ipa_valid(DABT_LOWER(0x10)));		  /* external abort */
	assert_false(esr_abort_ipa_valid(DABT_LOWER(0x30)));		  /* TLB conflict */
	assert_false(esr_abort_ipa_valid(DABT_LOWER(0x35))); /* unsupported exclusive */
}

/*
 * A stage-2 fault on a stage-1 table walk (ISS.S1PTW), of a data access or
 * a fetch: HPFAR_EL2 holds the descriptor's page, FAR the VA the walk
 * translated, whose offset is another address's: the IPA is the page alone.
 * An instruction abort's ISS has S1PTW too, and says so; an emulated device
 * a walk reached refuses it as a walk, not as a fetch it could not execute.
 */
static void test_a_stage1_table_walks_fault_is_told_as_the_walks(void **state)
{
	char buf[160];

	(void)state;
	assert_int_equal(esr_abort_ipa(DABT_LOWER(0x07), 0x9000ULL << 4, 0x1234), 0x9000234);
	assert_int_equal(
		esr_abort_ipa(DABT_LOWER(ESR_ISS_DABT_S1PTW | 0x07), 0x9000ULL << 4, 0x1234),
		0x9000000);
	assert_int_equal(
		esr_abort_ipa(IABT_LOWER(ESR_ISS_DABT_S1PTW | 0x07), 0x9000ULL << 4, 0x1234),
		0x9000000);
	esr_describe_iss(IABT_LOWER(ESR_ISS_DABT_S1PTW | 0x07), buf, sizeof(buf));
	assert_string_equal(buf, "IFSC 0x07 (translation fault, level 3), on a stage-1 table walk");
	assert_string_equal(esr_abort_access(IABT_LOWER(ESR_ISS_DABT_S1PTW | 0x07)), "fetch");
	assert_string_equal(esr_abort_access(DABT_LOWER(ESR_ISS_DABT_S1PTW | (1U << 6) | 0x07)),
			    "data access");
	assert_string_equal(esr_abort_access(DABT_LOWER((1U << 6) | 0x07)), "write");
	assert_string_equal(esr_abort_access(DABT_LOWER(0x07)), "read");
	assert_string_equal(esr_device_refusal(IABT_LOWER(ESR_ISS_DABT_S1PTW | 0x07)),
			    "the guest's page tables cannot be in it");
	assert_string_equal(esr_device_refusal(DABT_LOWER(ESR_ISS_DABT_S1PTW | 0x07)),
			    "the guest's page tables cannot be in it");
	assert_string_equal(esr_device_refusal(IABT_LOWER(0x07)), "emulated, not executable");
	assert_string_equal(esr_device_refusal(DABT_LOWER(0x07)),
			    "no syndrome to emulate it from (ISV 0: load/store pair, writeback, "
			    "exclusive or SIMD)");
	assert_string_equal(esr_device_refusal(DABT_LOWER(ISV_STR_W1 | 0x07)),
			    "access width or alignment not emulated");
}

/* Only a data abort's Alignment fault says why by its code alone; the rest give no cause. */
static void test_only_an_alignment_fault_has_a_cause_without_its_ipa(void **state)
{
	const char *cause = esr_abort_cause(0x92000061); /* DFSC 0x21, WnR 1 */

	(void)state;
	assert_non_null(cause);
	assert_string_equal(cause, "alignment fault: an unaligned access, or DC ZVA, to a page "
				   "that is Device memory at stage 2 (a passed-through device)");
	assert_non_null(esr_abort_cause((0x25ULL << 26) | 0x21));
	assert_null(esr_abort_cause(DABT_LOWER(0x0f))); /* permission fault */
	assert_null(esr_abort_cause(DABT_LOWER(0x10)));
	assert_null(esr_abort_cause(IABT_LOWER(0x21))); /* no IFSC 0x21 */
}

/*
 * Whose a stage-2 abort is, for every fault code (esr_stage2_owner()). The
 * hypervisor sets the access flag in every stage-2 entry and maps nothing
 * beyond its PA size: an access flag or address size fault is its tables',
 * an external abort or parity/ECC error on the (stage-2) walk the
 * hardware's, a granule protection fault (FEAT_RME: on a walk, levels -2
 * to 3, or not) the firmware's granule protection table's, a TLB conflict
 * overlapping TLB entries. A translation fault,
 * at level 0 too (an IPA above the stage-2 input size), a permission or
 * alignment fault and the rest are the guest's access. Before, every code
 * was reported as the guest's ("not the cell's memory or device").
 */
static void test_only_the_guests_access_is_charged_to_it(void **state)
{
	static const unsigned char tables[] = { 0x00, 0x01, 0x02, 0x03, 0x29,
						0x2c, 0x08, 0x09, 0x0a, 0x0b };
	static const unsigned char hardware[] = { 0x14, 0x15, 0x16, 0x17, 0x13, 0x12,
						  0x1c, 0x1d, 0x1e, 0x1f, 0x1b };
	static const unsigned char firmware[] = { 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28 };
	enum esr_s2_owner want[64];
	unsigned int i;

	(void)state;
	for (i = 0; i < 64; i++)
		want[i] = ESR_S2_GUEST;
	for (i = 0; i < sizeof(tables); i++)
		want[tables[i]] = ESR_S2_TABLES;
	for (i = 0; i < sizeof(hardware); i++)
		want[hardware[i]] = ESR_S2_HARDWARE;
	for (i = 0; i < sizeof(firmware); i++)
		want[firmware[i]] = ESR_S2_FIRMWARE;
	want[ESR_FSC_TLB_CONFLICT] = ESR_S2_TLB_CONFLICT;
	for (i = 0; i < 64; i++) {
		/* Data abort (WnR 1) and instruction abort from a lower EL. */
		uint64_t dabt = (0x24ULL << 26) | (1ULL << 25) | (1ULL << 6) | i;
		uint64_t iabt = (0x20ULL << 26) | (1ULL << 25) | i;

		if (esr_stage2_owner(dabt) != want[i] || esr_stage2_owner(iabt) != want[i])
			fail_msg("FSC 0x%02x: owner %d/%d, want %d", i, esr_stage2_owner(dabt),
				 esr_stage2_owner(iabt), want[i]);
		if ((esr_stage2_not_guests(dabt) == NULL) != (want[i] == ESR_S2_GUEST))
			fail_msg("FSC 0x%02x: why %s", i, esr_stage2_not_guests(dabt));
	}
	assert_string_equal(
		esr_stage2_not_guests(0x9200000bULL),
		"the hypervisor's stage-2 tables (it sets the access flag in every entry)");
	assert_string_equal(esr_stage2_not_guests(0x92000001ULL),
			    "the hypervisor's stage-2 tables (it maps no output address above "
			    "VTCR_EL2.PS)");
	assert_string_equal(
		esr_stage2_not_guests(0x82000095ULL),
		"the hardware: an external abort reading the hypervisor's stage-2 tables");
	assert_string_equal(esr_stage2_not_guests(0x9200001cULL),
			    "the hardware: a parity or ECC error reading the hypervisor's stage-2 "
			    "tables");
	assert_string_equal(esr_stage2_not_guests(0x92000025ULL),
			    "the firmware: its granule protection table (FEAT_RME) bars the "
			    "hypervisor's stage-2 tables");
	assert_string_equal(esr_stage2_not_guests(0x82000028ULL),
			    "the firmware: its granule protection table (FEAT_RME) bars the memory "
			    "stage 2 maps for the cell");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_abort_translation_fault_names_level_and_direction),
		cmocka_unit_test(test_data_abort_with_valid_syndrome_reports_size_and_register),
		cmocka_unit_test(test_instruction_abort_has_no_direction),
		cmocka_unit_test(test_external_abort_has_no_level),
		cmocka_unit_test(test_hvc_reports_its_immediate),
		cmocka_unit_test(test_aarch32_coprocessor_traps_read_as_the_instruction),
		cmocka_unit_test(test_ls64_traps_are_named_by_instruction),
		cmocka_unit_test(test_psb_and_tsb_csync_are_told_apart),
		cmocka_unit_test(test_trapped_system_instructions_read_as_sys_and_sysl),
		cmocka_unit_test(test_classes_are_named_and_reserved_ones_are_unknown),
		cmocka_unit_test(test_short_buffer_is_truncated_not_overrun),
		cmocka_unit_test(test_an_undecoded_class_writes_nothing_into_an_empty_buffer),
		cmocka_unit_test(
			test_hpfar_names_the_ipa_of_translation_access_flag_and_size_faults),
		cmocka_unit_test(test_hpfar_is_unknown_for_a_permission_fault_of_the_access),
		cmocka_unit_test(test_hpfar_is_unknown_for_other_fault_codes),
		cmocka_unit_test(test_only_an_alignment_fault_has_a_cause_without_its_ipa),
		cmocka_unit_test(test_a_stage1_table_walks_fault_is_told_as_the_walks),
		cmocka_unit_test(test_every_fault_status_code_is_named),
		cmocka_unit_test(test_mrrs_and_msrr_read_as_the_instruction),
		cmocka_unit_test(test_serror_syndrome_is_decoded),
		cmocka_unit_test(test_serror_every_error_type_is_named),
		cmocka_unit_test(test_only_the_guests_access_is_charged_to_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
