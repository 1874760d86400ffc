/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_LOG_H
#define BULKHEAD_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

enum log_level {
	LOG_ERR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

/*
 * One line per call; the implementation adds the prefix and the newline.
 * The hypervisor implements it in lib/log.c; host tools and unit tests
 * supply their own (stderr, or a buffer the test inspects).
 */
void log_printf(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vprintf(enum log_level level, const char *fmt, va_list ap);

/*
 * What ends a line cut to fit its buffer: a reader sees there was more.
 * log_cut() puts it at the end of @buf (@size bytes, holding what snprintf()
 * wrote) when @wanted, what snprintf() returned, says the text did not fit.
 */
#define LOG_CUT_MARK "...[cut]"

static inline void log_cut(char *buf, size_t size, int wanted)
{
	size_t mark = sizeof(LOG_CUT_MARK) - 1;

	if (wanted < 0 || (size_t)wanted < size || size <= mark)
		return;
	memcpy(buf + size - 1 - mark, LOG_CUT_MARK, mark);
	buf[size - 1] = '\0';
}

#define log_err(...)   log_printf(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

/* A refusal said and answered in one statement: return log_err_ret(-EINVAL, "...", ...); */
#define log_err_ret(err, ...) (log_err(__VA_ARGS__), (err))

#endif
