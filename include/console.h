/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_CONSOLE_H
#define BULKHEAD_CONSOLE_H

#include <stddef.h>
#include "platform.h"

/*
 * The hypervisor's console: one physical UART shared by the hypervisor's log
 * and every cell's virtual console, one whole line at a time. Lines written
 * before console_init() are kept and printed by it.
 */
void console_init(const struct platform_uart *uart);
bool console_ready(void);
/* Text as is, no prefix or newline (the shell's echo and prompt). */
void console_write_raw(const char *text);
/* Write "<prefix><text>\r\n" without interleaving with other CPUs. */
void console_write_line(const char *prefix, const char *text);

#endif
