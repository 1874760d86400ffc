// SPDX-License-Identifier: GPL-2.0-only
#include <stdbool.h>
#include <string.h>
#include "arch/cpu.h"
#include "console.h"
#include "spinlock.h"
#include "uart.h"

/* Lines logged before the UART is known (discovery needs libfdt, which needs the MMU). */
static char early_buf[4096];
static size_t early_len;
static bool early_overflow;

static struct spinlock console_lock = SPINLOCK_INIT;
static bool ready;

static void early_append(const char *s)
{
	size_t n = strlen(s);

	if (early_len + n > sizeof(early_buf)) {
		early_overflow = true;
		return;
	}
	memcpy(early_buf + early_len, s, n);
	early_len += n;
}

/*
 * The open line (console_write_partial): whose it is (NULL: the cursor is at
 * the start of a line) and what the UART shows of it. Under console_lock.
 */
static const char *open_prefix;
static char open_text[CONSOLE_OPEN_MAX];
static size_t open_len;

/*
 * The shell's line (console_write_raw text not yet ended by a newline: its
 * prompt and what was typed): a line from elsewhere starts below it, and it
 * is shown again after that line. Under console_lock.
 */
static char raw_text[CONSOLE_OPEN_MAX];
static size_t raw_len;

static void raw_track(const char *text)
{
	for (; *text; text++) {
		if (*text == '\r' || *text == '\n')
			raw_len = 0;
		else if (*text == '\b')
			raw_len -= raw_len ? 1 : 0;
		else if (raw_len < sizeof(raw_text))
			raw_text[raw_len++] = *text;
	}
}

static void uart_write(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		uart_putc(text[i]);
}

/*
 * The open line shown again (after someone else's line): without its
 * terminal control sequences (ESC [ ... final byte), which a terminal would
 * otherwise act on, or answer, a second time (busybox's prompt asks for the
 * cursor position with ESC [ 6 n).
 */
static void uart_write_plain(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (text[i] != 0x1b) {
			uart_putc(text[i++]);
			continue;
		}
		i++;
		if (i < len && text[i] == '[') {
			for (i++; i < len && (text[i] < 0x40 || text[i] > 0x7e); i++)
				;
		}
		i++; /* the final byte (or the one character after a lone ESC) */
	}
}

/* End the open line where the cursor is; it is no longer shown. */
static void open_close(void)
{
	if (open_prefix)
		uart_puts("\r\n");
	open_prefix = NULL;
	open_len = 0;
}

static void emit(const char *prefix, const char *text)
{
	const char *again = NULL;
	size_t n = strlen(text);

	if (!ready) {
		early_append(prefix);
		early_append(text);
		early_append("\n");
		return;
	}
	if (open_prefix == prefix && n >= open_len && !memcmp(open_text, text, open_len)) {
		/* It finishes the open line: only the rest. */
		uart_puts(text + open_len);
		uart_puts("\r\n");
		open_prefix = NULL;
		open_len = 0;
		return;
	}
	if (open_prefix && open_prefix != prefix)
		again = open_prefix; /* someone else's line: show the open one again below */
	uart_puts(open_prefix || raw_len ? "\r\n" : "");
	uart_puts(prefix);
	uart_puts(text);
	uart_puts("\r\n");
	uart_write(raw_text, raw_len); /* the shell's prompt and input, again below */
	open_prefix = again;
	if (again) {
		uart_puts(again);
		uart_write_plain(open_text, open_len);
	} else {
		open_len = 0;
	}
}

void console_init(const struct platform_uart *uart)
{
	size_t i;

	uart_init(uart);
	ready = true;
	for (i = 0; i < early_len; i++) {
		if (early_buf[i] == '\n')
			uart_putc('\r');
		uart_putc(early_buf[i]);
	}
	if (early_overflow)
		uart_puts("[bulkhead] WARN: early log overflowed; lines were lost\r\n");
	early_len = 0;
}

bool console_ready(void)
{
	return ready;
}

void console_write_line(const char *prefix, const char *text)
{
	/* Before the MMU is on only the boot CPU runs, and exclusives need Normal memory. */
	bool lock = arch_mmu_enabled();

	if (lock)
		spin_lock(&console_lock);
	emit(prefix, text);
	if (lock)
		spin_unlock(&console_lock);
}

void console_write_raw(const char *text)
{
	if (!ready)
		return;
	spin_lock(&console_lock);
	open_close();
	uart_puts(text);
	raw_track(text);
	spin_unlock(&console_lock);
}

void console_write_partial(const char *prefix, const char *text, size_t len)
{
	if (!ready)
		return;
	if (len > CONSOLE_OPEN_MAX)
		len = CONSOLE_OPEN_MAX;
	spin_lock(&console_lock);
	if (open_prefix == prefix && !memcmp(open_text, text, len < open_len ? len : open_len)) {
		/* It grew (or is a stale, shorter view of it: nothing to do). */
		if (len > open_len)
			uart_write(text + open_len, len - open_len);
	} else {
		open_close();
		if (raw_len)
			uart_puts(
				"\r\n"); /* below the shell's line, which input no longer goes to */
		raw_len = 0;
		uart_puts(prefix);
		uart_write(text, len);
		open_prefix = prefix;
	}
	if (len > open_len) {
		memcpy(open_text, text, len);
		open_len = len;
	}
	spin_unlock(&console_lock);
}

void console_end_partial(const char *prefix)
{
	if (!ready)
		return;
	spin_lock(&console_lock);
	if (open_prefix == prefix)
		open_close();
	spin_unlock(&console_lock);
}
