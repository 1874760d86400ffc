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
/*
 * Write "<prefix><text>\r\n" without interleaving with other CPUs. If it
 * finishes the open line of the same @prefix, only the rest is written.
 */
void console_write_line(const char *prefix, const char *text);
/*
 * The open line: a line not yet finished (a prompt, a command being typed),
 * shown as it grows. @text (@len bytes) is all of it so far; what the
 * console already shows of it is not written again. A whole line from
 * anyone else ends it with "\r\n", prints, and shows it again below, so
 * the prompt stays last. At most CONSOLE_OPEN_MAX bytes are kept.
 */
#define CONSOLE_OPEN_MAX 160
void console_write_partial(const char *prefix, const char *text, size_t len);
/* Stop showing @prefix's open line as it grows (ends it with "\r\n" if shown). */
void console_end_partial(const char *prefix);
/*
 * @in into @out (@size bytes, NUL-terminated) with its control characters in
 * caret notation (ESC as ^[, BS as ^H, DEL as ^?, C1 as ^[ and its 7-bit
 * form; TAB kept): for the terminal to show, not act on. 3 * strlen(@in) + 1
 * bytes always suffice (a lone C1 byte is three characters); less truncates
 * at a whole character. Returns the
 * length written.
 */
size_t caret_escape(char *out, size_t size, const char *in);

#endif
