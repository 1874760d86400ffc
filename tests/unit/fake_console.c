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
static void (*before_partial)(void);

void fake_console_reset(void)
{
	nr_lines = 0;
	partial_open = false;
	before_partial = NULL;
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

void console_write_line(const char *prefix, const char *line)
{
	if (getenv("FAKE_CONSOLE_ECHO"))
		fprintf(stderr, "%s%s\n", prefix, line);
	if (nr_lines < FAKE_CONSOLE_LINES)
		snprintf(lines[nr_lines], FAKE_CONSOLE_LINE_MAX, "%s%s", prefix, line);
	nr_lines++;
}

/* The open line's text is not recorded (these tests look at whole lines), only that it is open. */
void console_write_partial(const char *prefix, const char *text, size_t len)
{
	void (*fn)(void) = before_partial;

	(void)prefix;
	(void)text;
	(void)len;
	before_partial = NULL;
	if (fn)
		fn();
	partial_open = true;
}

void console_end_partial(const char *prefix)
{
	(void)prefix;
	partial_open = false;
}
