/* SPDX-License-Identifier: GPL-2.0-only */
/* Formatting only: the hypervisor has no streams (lib/printf.c). */
#ifndef BULKHEAD_LIBC_STDIO_H
#define BULKHEAD_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
