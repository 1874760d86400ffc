// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's strtoul() (lib/stdlib.c, renamed bh_strtoul here by
 * unit.mk) against the C library's: the same value and end for what it
 * parses (no sign, no locale), and ULONG_MAX for a number that does not
 * fit, never the number wrapped (the shell's `stop 18446744073709551617`
 * was cell 1).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

unsigned long bh_strtoul(const char *s, char **end, int base);

static void assert_like_libc(const char *s, int base)
{
	char *want_end, *got_end;
	unsigned long want = strtoul(s, &want_end, base);
	unsigned long got = bh_strtoul(s, &got_end, base);

	if (got != want || got_end != want_end)
		fail_msg("strtoul(\"%s\", %d): %lu, end +%td; the C library: %lu, end +%td", s,
			 base, got, got_end - s, want, want_end - s);
}

static void test_numbers_that_fit_parse_as_in_c(void **state)
{
	static const char *const dec[] = { "0",		 "1",	       "42",
					   "4294967295", "4294967296", "18446744073709551615",
					   "007",	 "12ab",       "",
					   "x",		 "  9",	       "\t17 " };
	static const char *const any[] = { "0x48000000", "0X5f000000", "0xffffffffffffffff",
					   "0755",	 "0",	       "99",
					   "0x1g" };

	(void)state;
	for (size_t i = 0; i < sizeof(dec) / sizeof(dec[0]); i++)
		assert_like_libc(dec[i], 10);
	for (size_t i = 0; i < sizeof(any) / sizeof(any[0]); i++)
		assert_like_libc(any[i], 0);
	assert_like_libc("ffff", 16);
}

static void test_numbers_too_large_saturate_to_ulong_max(void **state)
{
	static const char *const dec[] = { "18446744073709551616", "18446744073709551617",
					   "99999999999999999999999", "184467440737095516150" };
	static const char *const hex[] = { "0x10000000000000000", "0x1000000005f000000",
					   "0xffffffffffffffffff" };

	(void)state;
	for (size_t i = 0; i < sizeof(dec) / sizeof(dec[0]); i++) {
		assert_like_libc(dec[i], 10);
		assert_true(bh_strtoul(dec[i], NULL, 10) == ULONG_MAX);
	}
	for (size_t i = 0; i < sizeof(hex) / sizeof(hex[0]); i++) {
		assert_like_libc(hex[i], 0);
		assert_true(bh_strtoul(hex[i], NULL, 0) == ULONG_MAX);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_that_fit_parse_as_in_c),
		cmocka_unit_test(test_numbers_too_large_saturate_to_ulong_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
