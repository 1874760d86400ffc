// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 16550 console driver (lib/uart_16550.c) on a register file in memory:
 * each register where reg-shift puts it, accessed as wide as reg-io-width
 * says, and nothing else touched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../lib/uart_priv.h"

#define LSR_DR	 0x01
#define LSR_THRE 0x20

/* Eight registers, 4 bytes apart (DesignWare, TI K3), read and written as words. */
static void test_words_4_bytes_apart(void **state)
{
	uint32_t regs[8] = { 0 };
	struct uart_16550 u = { (uintptr_t)regs, 2, 4 };

	(void)state;
	regs[5] = LSR_THRE;
	uart_16550_putc(&u, 'A');
	assert_int_equal(regs[0], 'A');
	assert_int_equal(uart_16550_getc(&u), -1);
	regs[5] = LSR_DR;
	regs[0] = 0xffffff42; /* bits above the byte are not data */
	assert_int_equal(uart_16550_getc(&u), 'B');
	/* Only the receive interrupt, whatever was enabled before. */
	regs[1] = 0x0f;
	uart_16550_rx_irq(&u, true);
	assert_int_equal(regs[1], 0x01);
	uart_16550_rx_irq(&u, false);
	assert_int_equal(regs[1], 0x01);
	for (int i = 2; i < 8; i++)
		if (i != 5)
			assert_int_equal(regs[i], 0);
}

/* ns16550a's defaults: bytes side by side; a byte write leaves its neighbours alone. */
static void test_bytes_side_by_side(void **state)
{
	uint8_t regs[8];
	struct uart_16550 u = { (uintptr_t)regs, 0, 1 };

	(void)state;
	memset(regs, 0xee, sizeof(regs));
	regs[5] = LSR_THRE | 0x40;
	uart_16550_putc(&u, 'x');
	assert_int_equal(regs[0], 'x');
	assert_int_equal(regs[1], 0xee);
	regs[5] = LSR_DR;
	regs[0] = 'y';
	assert_int_equal(uart_16550_getc(&u), 'y');
	uart_16550_rx_irq(&u, true);
	assert_int_equal(regs[1], 0x01);
	assert_int_equal(regs[2], 0xee);
	assert_int_equal(regs[4], 0xee);
}

/* Tegra: 4 bytes apart, byte accesses: only the low byte of each word is touched. */
static void test_bytes_4_bytes_apart(void **state)
{
	uint8_t regs[32];
	struct uart_16550 u = { (uintptr_t)regs, 2, 1 };

	(void)state;
	memset(regs, 0xee, sizeof(regs));
	regs[20] = LSR_THRE;
	uart_16550_putc(&u, 'z');
	assert_int_equal(regs[0], 'z');
	assert_int_equal(regs[1], 0xee);
	uart_16550_rx_irq(&u, true);
	assert_int_equal(regs[4], 0x01);
	assert_int_equal(regs[5], 0xee);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_4_bytes_apart),
		cmocka_unit_test(test_bytes_side_by_side),
		cmocka_unit_test(test_bytes_4_bytes_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
