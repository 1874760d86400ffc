// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "did you mean" of an unknown layout property (partitions/layout_suggest.c):
 * the known name a typo is nearest to, within two edits, where an edit is a
 * character inserted, deleted or replaced, or two neighbours swapped; none
 * further away. The messages that use it are checked with the bad layouts
 * (tests/layouts/bad/unknown-property*.dts, test_layout_parse.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../partitions/layout_internal.h"

/* Lists as layout.c and layout_shm.c write them, cut down. */
#define CELL_KNOWN \
	"compatible, label, cpus, memory, devices, kernel, on-fault, watchdog-timeout-ms, reg"
#define SHM_KNOWN "memory, cells, access, ipa, doorbell"

/* layout_suggest(@name, @known) names @want. */
static void assert_suggests(const char *name, const char *known, const char *want)
{
	char out[32] = "";

	if (!layout_suggest(name, known, out, sizeof(out)))
		fail_msg("\"%s\": no suggestion, expected \"%s\"", name, want);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\": suggested \"%s\", expected \"%s\"", name, out, want);
}

static void assert_no_suggestion(const char *name, const char *known)
{
	char out[32] = "untouched";

	if (layout_suggest(name, known, out, sizeof(out)))
		fail_msg("\"%s\": suggested \"%s\", expected none", name, out);
	assert_string_equal(out, "untouched");
}

static void test_two_swapped_neighbours_are_one_edit(void **state)
{
	(void)state;
	assert_suggests("on-falut", CELL_KNOWN, "on-fault");
	/* Two swaps: two edits, still within reach. */
	assert_suggests("mmeroy", CELL_KNOWN, "memory");
}

static void test_a_character_too_many_is_one_edit(void **state)
{
	(void)state;
	assert_suggests("doorbells", SHM_KNOWN, "doorbell");
	assert_suggests("cpuss", CELL_KNOWN, "cpus");
}

static void test_a_character_missing_is_one_edit(void **state)
{
	(void)state;
	assert_suggests("memry", CELL_KNOWN, "memory");
	assert_suggests("watchdog-timeoutms", CELL_KNOWN, "watchdog-timeout-ms");
}

static void test_a_character_replaced_is_one_edit(void **state)
{
	(void)state;
	assert_suggests("kernal", CELL_KNOWN, "kernel");
	assert_suggests("Label", CELL_KNOWN, "label");
}

static void test_three_edits_away_suggests_nothing(void **state)
{
	(void)state;
	assert_no_suggestion("memorysss", CELL_KNOWN); /* three too many */
	assert_no_suggestion("mry", CELL_KNOWN);       /* memory with three missing */
	assert_no_suggestion("size", SHM_KNOWN);
	assert_no_suggestion("", SHM_KNOWN);
}

/* The nearest wins over the first within reach; of equally near ones, the first listed. */
static void test_the_nearest_name_is_suggested(void **state)
{
	(void)state;
	assert_suggests("cpa", "cpus, ipa", "ipa"); /* cpus: 2 edits, ipa: 1 */
	assert_suggests("cel", "cell, cels", "cell");
}

/* A letter's case is no edit: "RW" is "rw", not a tie with "ro" (two replacements each). */
static void test_case_is_no_edit(void **state)
{
	(void)state;
	assert_suggests("RW", "ro, rw", "rw");
	assert_suggests("RO", "rw, ro", "ro");
	assert_suggests("MEMORY", CELL_KNOWN, "memory");
}

/* A name longer than any known one by far is compared with none, whatever its length. */
static void test_a_long_name_suggests_nothing(void **state)
{
	char name[300];

	(void)state;
	memset(name, 'm', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_no_suggestion(name, CELL_KNOWN);
	assert_no_suggestion("memory-memory-memory-memory-memory",
			     "memory-memory-memory-memory-memor");
}

/* The name is copied whole or not at all. */
static void test_a_suggestion_too_long_for_the_buffer_is_not_given(void **state)
{
	char out[sizeof("devices")] = "untouch";

	(void)state;
	assert_false(layout_suggest("devicess", CELL_KNOWN, out, sizeof(out) - 1));
	assert_string_equal(out, "untouch");
	assert_true(layout_suggest("devicess", CELL_KNOWN, out, sizeof(out)));
	assert_string_equal(out, "devices");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_swapped_neighbours_are_one_edit),
		cmocka_unit_test(test_a_character_too_many_is_one_edit),
		cmocka_unit_test(test_a_character_missing_is_one_edit),
		cmocka_unit_test(test_a_character_replaced_is_one_edit),
		cmocka_unit_test(test_three_edits_away_suggests_nothing),
		cmocka_unit_test(test_the_nearest_name_is_suggested),
		cmocka_unit_test(test_case_is_no_edit),
		cmocka_unit_test(test_a_long_name_suggests_nothing),
		cmocka_unit_test(test_a_suggestion_too_long_for_the_buffer_is_not_given),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
