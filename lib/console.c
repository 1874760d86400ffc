// SPDX-License-Identifier: GPL-2.0-only
#include <stdbool.h>
#include <string.h>
#include "arch/cpu.h"
#include "console.h"
#include "console_tx.h"
#include "spinlock.h"
#include "uart.h"

/* Lines logged before the UART is known (discovery needs libfdt, which needs the MMU). */
static char early_buf[4096];
static size_t early_len;
static bool early_overflow;

static struct spinlock console_lock = SPINLOCK_INIT;
static bool ready;
static void (*room_hook)(void);
static unsigned int irq_cpu; /* the CPU that takes the UART's interrupt */

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

static void put_str(const char *s)
{
	tx_put(s, strlen(s));
}

/*
 * The open line shown again (after someone else's line): without its
 * terminal control sequences (ESC [ ... final byte), which a terminal would
 * otherwise act on, or answer, a second time (busybox's prompt asks for the
 * cursor position with ESC [ 6 n).
 */
static void put_plain(const char *text, size_t len)
{
	size_t i = 0, run;

	while (i < len) {
		for (run = 0; i + run < len && text[i + run] != 0x1b; run++)
			;
		tx_put(text + i, run);
		i += run;
		if (i == len)
			break;
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
		put_str("\r\n");
	open_prefix = NULL;
	open_len = 0;
}

/* The most emit() can queue for @prefix and @n bytes of text. */
static size_t emit_max(const char *prefix, size_t n)
{
	size_t again = open_prefix ? strlen(open_prefix) + open_len : 0;

	return 2 + strlen(prefix) + n + 2 + raw_len + again;
}

static void emit(const char *prefix, const char *text, size_t n)
{
	const char *again = NULL;

	if (open_prefix == prefix && n >= open_len && !memcmp(open_text, text, open_len)) {
		/* It finishes the open line: only the rest. */
		tx_put(text + open_len, n - open_len);
		put_str("\r\n");
		open_prefix = NULL;
		open_len = 0;
		return;
	}
	if (open_prefix && open_prefix != prefix)
		again = open_prefix; /* someone else's line: show the open one again below */
	put_str(open_prefix || raw_len ? "\r\n" : "");
	put_str(prefix);
	tx_put(text, n);
	put_str("\r\n");
	tx_put(raw_text, raw_len); /* the shell's prompt and input, again below */
	open_prefix = again;
	if (again) {
		put_str(again);
		put_plain(open_text, open_len);
	} else {
		open_len = 0;
	}
}

void console_init(const struct platform_uart *uart)
{
	size_t i;

	uart_init(uart);
	ready = true;
	tx_claim(NULL, 2 * early_len + 64);
	for (i = 0; i < early_len; i++) {
		if (early_buf[i] == '\n')
			put_str("\r");
		tx_put(&early_buf[i], 1);
	}
	if (early_overflow)
		put_str("[bulkhead] WARN: early log overflowed; lines were lost\r\n");
	tx_send();
	early_len = 0;
}

bool console_ready(void)
{
	return ready;
}

/* Before the MMU is on only the boot CPU runs, and exclusives need Normal memory. */
static bool lock(void)
{
	bool locked = arch_mmu_enabled();

	if (locked)
		spin_lock(&console_lock);
	return locked;
}

bool console_write_line(struct console_share *share, const char *prefix, const char *text)
{
	size_t n = strlen(text);
	bool locked, queued;

	if (!ready) {
		early_append(prefix);
		early_append(text);
		early_append("\n");
		return true;
	}
	locked = lock();
	queued = tx_claim(share, emit_max(prefix, n));
	if (queued)
		emit(prefix, text, n);
	tx_send(); /* refused or not: the boot CPU may not take the UART's interrupt for a while */
	if (locked)
		spin_unlock(&console_lock);
	return queued;
}

void console_write_raw(const char *text)
{
	if (!ready)
		return;
	spin_lock(&console_lock);
	tx_claim(NULL, 2 + strlen(text));
	open_close();
	put_str(text);
	raw_track(text);
	tx_send();
	spin_unlock(&console_lock);
}

static void partial(const char *prefix, const char *text, size_t len)
{
	if (open_prefix == prefix && !memcmp(open_text, text, len < open_len ? len : open_len)) {
		/* It grew (or is a stale, shorter view of it: nothing to do). */
		if (len > open_len)
			tx_put(text + open_len, len - open_len);
	} else {
		open_close();
		if (raw_len)
			put_str("\r\n"); /* below the shell's line, which input no longer goes to */
		raw_len = 0;
		put_str(prefix);
		tx_put(text, len);
		open_prefix = prefix;
	}
	if (len > open_len) {
		memcpy(open_text, text, len);
		open_len = len;
	}
}

bool console_write_partial(struct console_share *share, const char *prefix, const char *text,
			   size_t len)
{
	bool queued;

	if (!ready)
		return true;
	if (len > CONSOLE_OPEN_MAX)
		len = CONSOLE_OPEN_MAX;
	spin_lock(&console_lock);
	queued = tx_claim(share, 4 + strlen(prefix) + len);
	if (queued)
		partial(prefix, text, len);
	tx_send();
	spin_unlock(&console_lock);
	return queued;
}

void console_end_partial(const char *prefix)
{
	if (!ready)
		return;
	spin_lock(&console_lock);
	tx_claim(NULL, 2);
	if (open_prefix == prefix)
		open_close();
	tx_send();
	spin_unlock(&console_lock);
}

void console_tx_poke(void)
{
	if (!ready || !spin_trylock(&console_lock))
		return;
	tx_send();
	spin_unlock(&console_lock);
}

void console_tx_async(void (*room)(void))
{
	spin_lock(&console_lock);
	room_hook = room;
	irq_cpu = arch_cpu_index();
	tx_async();
	spin_unlock(&console_lock);
}

void console_tx_irq(void)
{
	bool sent;

	spin_lock(&console_lock);
	sent = tx_irq();
	spin_unlock(&console_lock);
	if (sent && room_hook)
		room_hook();
}

void console_flush(void)
{
	bool locked;

	if (!ready)
		return;
	locked = lock();
	if (arch_cpu_index() == irq_cpu)
		tx_polled();
	else
		tx_drain(); /* the interrupt still comes, and tells refused cells */
	if (locked)
		spin_unlock(&console_lock);
}
