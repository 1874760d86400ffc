/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_FAKE_CONSOLE_H
#define BULKHEAD_TESTS_FAKE_CONSOLE_H

/*
 * console_write_line() for host unit tests: each call is recorded as one
 * line, "<prefix><text>" without the "\r\n", for the test to inspect. Set
 * FAKE_CONSOLE_ECHO=1 in the environment to also see the lines on stderr.
 */
#include <stdbool.h>

#include "console.h"

#define FAKE_CONSOLE_LINES    64
#define FAKE_CONSOLE_LINE_MAX 512

void fake_console_reset(void);
/* Lines written since the last reset (at most FAKE_CONSOLE_LINES are kept). */
unsigned int fake_console_count(void);
/* Line @i (0 = oldest), or "" if there is none. */
const char *fake_console_line(unsigned int i);
/* Every kept line, one per row, for failure messages. */
const char *fake_console_text(void);
/*
 * Whether a partial (unfinished, live) line is open: written, and since then
 * neither ended nor finished by a whole line of its own cell (lib/console.c).
 */
bool fake_console_partial_open(void);
/*
 * While @full, a cell's (non-NULL share) lines and partial lines are refused
 * and counted; going from full to not moves console_sent() (bytes left).
 */
void fake_console_set_full(bool full);
unsigned int fake_console_refused(void);
/* From now on console_tx_poke() finds the UART with room: the console has room again. */
void fake_console_room_on_poke(bool room);
/* Called once inside the next refusal, before it returns, then forgotten. */
void fake_console_on_next_refusal(void (*fn)(void));
/* Called once at the start of the next console_write_partial(), then forgotten. */
void fake_console_before_next_partial(void (*fn)(void));

/* cmocka assertion: exactly @n lines were written; shows them when not. */
#define assert_console_lines(n)                                                                 \
	do {                                                                                    \
		if (fake_console_count() != (unsigned int)(n))                                  \
			fail_msg("expected %u console line(s), got %u:\n%s", (unsigned int)(n), \
				 fake_console_count(), fake_console_text());                    \
	} while (0)

/* cmocka assertion: line @i is exactly @expected; shows every line when not. */
#define assert_console_line(i, expected)                                                    \
	do {                                                                                \
		if (strcmp(fake_console_line(i), (expected)) != 0)                          \
			fail_msg("console line %u: expected\n    \"%s\"\ngot\n    \"%s\"\n" \
				 "all lines:\n%s",                                          \
				 (unsigned int)(i), (expected), fake_console_line(i),       \
				 fake_console_text());                                      \
	} while (0)

#endif
