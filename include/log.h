/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_LOG_H
#define BULKHEAD_LOG_H

#include <stdarg.h>

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

#define log_err(...)   log_printf(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

#endif
