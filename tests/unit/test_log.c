// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's log (lib/log.c), its symbols renamed bh_* (tests/unit/unit.mk)
 * beside the fake log the other sources here use: a line longer than its
 * buffer is cut and says so, "...[cut]", instead of ending mid-word as if
 * complete.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"
#include "log.h"

void bh_log_printf(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* --- what lib/log.c calls --------------------------------------------------- */

static char shown[2048]; /* the last line, prefix and text */

bool console_write_line(struct console_share *share, const char *prefix, const char *text)
{
	assert_null(share);
	snprintf(shown, sizeof(shown), "%s%s", prefix, text);
	return true;
}

void console_flush(void)
{
}

unsigned int console_panic_enter(void)
{
	return 1;
}

unsigned int arch_cpu_index(void)
{
	return 0;
}

void arch_cpu_park(void)
{
	fail_msg("arch_cpu_park(): a panic on a cell's CPU must fail the cell, not just park");
	for (;;)
		;
}

static jmp_buf parked;

void arch_cpu_park_after_fault(void)
{
	longjmp(parked, 1);
}

/* --- tests ------------------------------------------------------------------ */

static bool ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n >= m && !strcmp(s + n - m, end);
}

/* A platform_err() as long as it builds (512 bytes of why) is cut, and says so. */
static void test_a_line_longer_than_the_log_ends_in_the_cut_mark(void **state)
{
	char why[512];

	(void)state;
	memset(why, 'w', sizeof(why) - 1);
	why[sizeof(why) - 1] = '\0';
	bh_log_printf(LOG_ERR, "platform: /soc/serial@9000000: reg: %s", why);
	if (!ends_with(shown, "www" LOG_CUT_MARK))
		fail_msg("a cut line does not say so: \"...%s\"", shown + strlen(shown) - 24);
	assert_int_equal(strlen(shown), strlen("[bulkhead] ") + 511);
	assert_true(
		!strncmp(shown, "[bulkhead] ERROR: platform: /soc/serial@9000000: reg: www", 57));
}

/* A line that fits is not touched, up to its last byte. */
static void test_a_line_that_fits_is_whole(void **state)
{
	char text[512];

	(void)state;
	memset(text, 't', sizeof(text) - 1);
	text[sizeof(text) - 1 - strlen("WARN: ")] = '\0';
	bh_log_printf(LOG_WARN, "%s", text);
	assert_int_equal(strlen(shown), strlen("[bulkhead] WARN: ") + strlen(text));
	assert_false(ends_with(shown, LOG_CUT_MARK));
	bh_log_printf(LOG_INFO, "short");
	assert_string_equal(shown, "[bulkhead] short");
}

/* snprintf() into @size bytes, then log_cut(), as the log's callers do. */
static __attribute__((noinline)) void put(char *buf, size_t size, const char *text)
{
	log_cut(buf, size, snprintf(buf, size, "%s", text));
}

/* log_cut() itself: at the end of what the buffer holds, only when cut. */
static void test_log_cut_marks_only_a_cut_buffer(void **state)
{
	char buf[16];

	(void)state;
	put(buf, sizeof(buf), "exactly fifteen");
	assert_string_equal(buf, "exactly fifteen");
	put(buf, sizeof(buf), "exactly sixteen!");
	assert_string_equal(buf, "exactly" LOG_CUT_MARK);
	put(buf, 4, "tiny"); /* too small to say it: left as cut */
	assert_string_equal(buf, "tin");
}

void bh_panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/*
 * A panic ends where a cell whose vCPU the CPU ran is failed
 * (arch_cpu_park_after_fault()), after its report: before 2026-11-24 it
 * only parked the CPU, and the cell stayed LOADING or RUNNING for ever.
 */
static void test_panic_reports_then_ends_through_the_lost_cpu_path(void **state)
{
	(void)state;
	shown[0] = '\0';
	if (!setjmp(parked))
		bh_panic("stack protector tripped inside libfdt");
	assert_string_equal(shown, "[bulkhead] ERROR: panic: CPU 0 parked");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_line_longer_than_the_log_ends_in_the_cut_mark),
		cmocka_unit_test(test_a_line_that_fits_is_whole),
		cmocka_unit_test(test_log_cut_marks_only_a_cut_buffer),
		cmocka_unit_test(test_panic_reports_then_ends_through_the_lost_cpu_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
