// SPDX-License-Identifier: GPL-2.0-only
/* The hypervisor console for host unit tests: lines are recorded (see fake_console.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_console.h"

static char lines[FAKE_CONSOLE_LINES][FAKE_CONSOLE_LINE_MAX];
static unsigned int nr_lines;
static char text[FAKE_CONSOLE_LINES * (FAKE_CONSOLE_LINE_MAX + 8)];

static bool partial_open;
static const char *open_prefix; /* whose line is open: as lib/console.c, by the pointer */
static void (*before_partial)(void);
static bool full;
static unsigned int refused;
static void (*on_refusal)(void);

void fake_console_reset(void)
{
	nr_lines = 0;
	partial_open = false;
	open_prefix = NULL;
	before_partial = NULL;
	full = false;
	refused = 0;
	on_refusal = NULL;
}

void fake_console_on_next_refusal(void (*fn)(void))
{
	on_refusal = fn;
}

/* A refusal: counted, and the one-shot hook run while the writer is still in the call. */
static bool refuse(void)
{
	void (*fn)(void) = on_refusal;

	refused++;
	on_refusal = NULL;
	if (fn)
		fn();
	return false;
}

static unsigned int sent; /* console_sent(): moves as room comes */

void fake_console_set_full(bool is_full)
{
	if (full && !is_full)
		sent++;
	full = is_full;
}

unsigned int console_sent(void)
{
	return sent;
}

static bool room_on_poke; /* the UART had room: a poke sends and makes room */

void fake_console_room_on_poke(bool room)
{
	room_on_poke = room;
}

void console_tx_poke(void)
{
	if (room_on_poke)
		fake_console_set_full(false);
}

unsigned int fake_console_refused(void)
{
	return refused;
}

bool fake_console_partial_open(void)
{
	return partial_open;
}

void fake_console_before_next_partial(void (*fn)(void))
{
	before_partial = fn;
}

unsigned int fake_console_count(void)
{
	return nr_lines;
}

const char *fake_console_line(unsigned int i)
{
	return i < nr_lines && i < FAKE_CONSOLE_LINES ? lines[i] : "";
}

const char *fake_console_text(void)
{
	size_t len = 0;
	unsigned int i;

	text[0] = '\0';
	for (i = 0; i < nr_lines && i < FAKE_CONSOLE_LINES; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "    \"%s\"\n", lines[i]);
	return text;
}

bool console_write_line(struct console_share *share, const char *prefix, const char *line)
{
	if (share && full)
		return refuse();
	if (getenv("FAKE_CONSOLE_ECHO"))
		fprintf(stderr, "%s%s\n", prefix, line);
	if (nr_lines < FAKE_CONSOLE_LINES)
		snprintf(lines[nr_lines], FAKE_CONSOLE_LINE_MAX, "%s%s", prefix, line);
	nr_lines++;
	if (open_prefix == prefix) /* it finishes the open line (lib/console.c, emit()) */
		partial_open = false;
	return true;
}

/* The open line's text is not recorded (these tests look at whole lines), only that it is open. */
bool console_write_partial(struct console_share *share, const char *prefix, const char *text,
			   size_t len)
{
	void (*fn)(void) = before_partial;

	if (share && full)
		return refuse();
	(void)text;
	(void)len;
	before_partial = NULL;
	if (fn)
		fn();
	partial_open = true;
	open_prefix = prefix;
	return true;
}

/* As lib/console.c: only the open line's own cell ends it. */
void console_end_partial(const char *prefix)
{
	if (open_prefix == prefix)
		partial_open = false;
}
