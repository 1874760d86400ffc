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

static void emit(const char *prefix, const char *text)
{
	if (!ready) {
		early_append(prefix);
		early_append(text);
		early_append("\n");
		return;
	}
	uart_puts(prefix);
	uart_puts(text);
	uart_puts("\r\n");
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
	uart_puts(text);
	spin_unlock(&console_lock);
}
