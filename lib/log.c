// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include "arch/cpu.h"
#include "console.h"
#include "log.h"
#include "panic.h"

#define LOG_PREFIX "[bulkhead] "

static const char level_tag[][8] = {
	[LOG_ERR] = "ERROR: ",
	[LOG_WARN] = "WARN: ",
	[LOG_INFO] = "",
	[LOG_DEBUG] = "debug: ",
};

#ifdef BULKHEAD_DEBUG
static const enum log_level log_threshold = LOG_DEBUG;
#else
static const enum log_level log_threshold = LOG_INFO;
#endif

/*
 * As long as what platform_err() and layout_error() build (512 bytes); a
 * longer line is cut and says so (LOG_CUT_MARK).
 */
#define LOG_LINE_MAX 512

void log_vprintf(enum log_level level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n;

	if (level > log_threshold)
		return;
	n = snprintf(line, sizeof(line), "%s", level_tag[level]);
	log_cut(line, sizeof(line), n + vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap));
	console_write_line(NULL, LOG_PREFIX, line);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	console_panic_enter(); /* the report gets out even if the console's lock never comes */
	va_start(ap, fmt);
	log_vprintf(LOG_ERR, fmt, ap);
	va_end(ap);
	log_err("panic: CPU %u parked", arch_cpu_index());
	console_flush(); /* nobody may be left to take the transmit interrupt */
	/*
	 * A cell whose vCPU this CPU ran is failed, not left LOADING or
	 * RUNNING for ever (a libfdt stack check in its reload).
	 */
	arch_cpu_park_after_fault();
}
