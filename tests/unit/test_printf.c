// SPDX-License-Identifier: GPL-2.0-only
/* The hypervisor's vsnprintf (lib/printf.c) against the C library's, format by format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

int bh_snprintf(char *buf, size_t size, const char *fmt, ...);

#define SAME_AS_LIBC(fmt, ...)                                                                   \
	do {                                                                                     \
		char ours[128], libc[128];                                                       \
		int n_ours = bh_snprintf(ours, sizeof(ours), fmt, __VA_ARGS__);                  \
		int n_libc = snprintf(libc, sizeof(libc), fmt, __VA_ARGS__);                     \
		if (strcmp(ours, libc) != 0 || n_ours != n_libc)                                 \
			fail_msg("format \"%s\": ours \"%s\" (%d), libc \"%s\" (%d)", fmt, ours, \
				 n_ours, libc, n_libc);                                          \
	} while (0)

static void test_integers_match_libc(void **state)
{
	(void)state;
	SAME_AS_LIBC("%d %i %u", -42, 7, 4000000000u);
	SAME_AS_LIBC("%x %X %o", 0xbeefu, 0xbeefu, 8u);
	SAME_AS_LIBC("%ld %lu %lx", -1L, 18446744073709551615UL, 0x8000000000000000UL);
	SAME_AS_LIBC("%lld %llx", -9223372036854775807LL - 1, 0x123456789abcdefULL);
	SAME_AS_LIBC("%zu %hhu %hd", (size_t)12345, 300, 70000);
}

static void test_width_padding_and_flags_match_libc(void **state)
{
	(void)state;
	SAME_AS_LIBC("[%8x] [%-8x] [%08x]", 0xabu, 0xabu, 0xabu);
	SAME_AS_LIBC("[%05d] [%-5d] [%5d]", -42, -42, -42);
	SAME_AS_LIBC("[%016lx]", 0x40200000UL);
	SAME_AS_LIBC("[%-2u]", 7u);
}

static void test_strings_and_chars_match_libc(void **state)
{
	(void)state;
	SAME_AS_LIBC("[%s] [%10s] [%-10s] [%.3s]", "cell", "cell", "cell", "cellular");
	SAME_AS_LIBC("[%c%c] 100%%", 'o', 'k');
}

static void test_truncation_counts_what_would_have_been_written(void **state)
{
	char buf[5];

	(void)state;
	assert_int_equal(bh_snprintf(buf, sizeof(buf), "%s", "bulkhead"), 8);
	assert_string_equal(buf, "bulk");
	assert_int_equal(bh_snprintf(NULL, 0, "%d", 12345), 5);
}

/* A NULL string prints as glibc prints it: a log line naming a missing label must not fault at EL2.
 */
static void test_a_null_string_prints_as_null(void **state)
{
	char buf[32];
	const char *none = NULL;

	(void)state;
	assert_int_equal(bh_snprintf(buf, sizeof(buf), "[%s] [%8s]", none, none), 19);
	assert_string_equal(buf, "[(null)] [  (null)]");
}

static void test_pointer_is_hex_with_prefix(void **state)
{
	char buf[32];

	(void)state;
	bh_snprintf(buf, sizeof(buf), "%p", (void *)0x40200000UL);
	assert_string_equal(buf, "0x40200000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers_match_libc),
		cmocka_unit_test(test_width_padding_and_flags_match_libc),
		cmocka_unit_test(test_strings_and_chars_match_libc),
		cmocka_unit_test(test_truncation_counts_what_would_have_been_written),
		cmocka_unit_test(test_pointer_is_hex_with_prefix),
		cmocka_unit_test(test_a_null_string_prints_as_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
