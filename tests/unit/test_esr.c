// SPDX-License-Identifier: GPL-2.0-only
/* ESR_ELx decoding used by every fault report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

static void test_classes_are_named_and_reserved_ones_are_unknown(void **state)
{
	(void)state;
	assert_string_equal(esr_ec_name(0x25), "data abort, same EL");
	assert_string_equal(esr_ec_name(0x17), "SMC");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_abort_translation_fault_names_level_and_direction),
		cmocka_unit_test(test_data_abort_with_valid_syndrome_reports_size_and_register),
		cmocka_unit_test(test_instruction_abort_has_no_direction),
		cmocka_unit_test(test_external_abort_has_no_level),
		cmocka_unit_test(test_hvc_reports_its_immediate),
		cmocka_unit_test(test_classes_are_named_and_reserved_ones_are_unknown),
		cmocka_unit_test(test_short_buffer_is_truncated_not_overrun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
