// SPDX-License-Identifier: GPL-2.0-only
/* The log for host unit tests: lines collect in a buffer (see fake_log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_log.h"

#define FAKE_LOG_SIZE	(64 * 1024)
#define FAKE_LOG_LEVELS 4

static char fake_log_buf[FAKE_LOG_SIZE];
static size_t fake_log_len;
static int fake_log_lines[FAKE_LOG_LEVELS];
static void (*fake_log_hook)(const char *line);

void fake_log_set_hook(void (*hook)(const char *line))
{
	fake_log_hook = hook;
}

void fake_log_reset(void)
{
	fake_log_buf[0] = '\0';
	fake_log_len = 0;
	memset(fake_log_lines, 0, sizeof(fake_log_lines));
}

bool fake_log_contains(const char *substr)
{
	return strstr(fake_log_buf, substr) != NULL;
}

const char *fake_log_text(void)
{
	return fake_log_buf;
}

int fake_log_count(enum log_level level)
{
	return (unsigned)level < FAKE_LOG_LEVELS ? fake_log_lines[level] : 0;
}

/* Append with vsnprintf semantics: what does not fit is dropped, the buffer stays a string. */
static void fake_log_vappend(const char *fmt, va_list ap)
{
	size_t room = FAKE_LOG_SIZE - fake_log_len;
	int n = vsnprintf(fake_log_buf + fake_log_len, room, fmt, ap);

	if (n > 0)
		fake_log_len += (size_t)n < room ? (size_t)n : room - 1;
}

static void fake_log_append(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fake_log_vappend(fmt, ap);
	va_end(ap);
}

void log_vprintf(enum log_level level, const char *fmt, va_list ap)
{
	static const char tag[FAKE_LOG_LEVELS] = { 'E', 'W', 'I', 'D' };
	size_t start = fake_log_len;
	bool known = (unsigned)level < FAKE_LOG_LEVELS;

	if (known)
		fake_log_lines[level]++;
	fake_log_append("%c: ", known ? tag[level] : '?');
	fake_log_vappend(fmt, ap);
	fake_log_append("\n");
	if (getenv("FAKE_LOG_ECHO"))
		fprintf(stderr, "%s", fake_log_buf + start);
	if (fake_log_hook)
		fake_log_hook(fake_log_buf + start);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}
