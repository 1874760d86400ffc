/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_FAKE_LOG_H
#define BULKHEAD_TESTS_FAKE_LOG_H

/*
 * log_printf()/log_vprintf() for host unit tests: each line goes into one
 * buffer, "E: text\n" (E, W, I, D by level), that the test inspects. Set
 * FAKE_LOG_ECHO=1 in the environment to also see the lines on stderr.
 */
#include <stdbool.h>

#include "log.h"

void fake_log_reset(void);
/* True if some logged text contains @substr. */
bool fake_log_contains(const char *substr);
/* Everything logged since the last reset. */
const char *fake_log_text(void);
/* Lines logged at @level since the last reset. */
int fake_log_count(enum log_level level);

/*
 * Called with each line once it is logged (NULL: none). A test's stand-in
 * for what a slow console lets happen while a line is written.
 */
void fake_log_set_hook(void (*hook)(const char *line));

/* cmocka assertion that shows the whole log when the expected text is missing. */
#define assert_logged(substr)                                                                      \
	do {                                                                                       \
		if (!fake_log_contains(substr))                                                    \
			fail_msg("expected a log line containing\n    %s\nlog was:\n%s", (substr), \
				 fake_log_text());                                                 \
	} while (0)

#define assert_not_logged(substr)                                                         \
	do {                                                                              \
		if (fake_log_contains(substr))                                            \
			fail_msg("expected no log line containing\n    %s\nlog was:\n%s", \
				 (substr), fake_log_text());                              \
	} while (0)

#endif
