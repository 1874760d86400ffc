// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console UART drivers (lib/uart_16550.c, uart_meson.c, uart_pl011.c,
 * uart_cdns.c, uart_imx.c) on register files in memory: each register where
 * the binding puts it, accessed as wide as it says, and nothing else touched;
 * the transmit side never waits, says how much the FIFO takes, and turns its
 * interrupt on and off without touching the receive one; whatever interrupts
 * the boot loader left on, the transmit one is off once the receive one is
 * on; and the meson's CONTROL, written by two CPUs, loses neither's change.
 */
#define _POSIX_C_SOURCE 200809L /* threads, sched_yield() */

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../lib/uart_priv.h"
#include "uart.h"

#define LSR_DR	  0x01
#define LSR_THRE  0x20
#define IIR_FIFO  0xc0
#define IER_ERBFI 0x01
#define IER_ETBEI 0x02

/* Eight registers, 4 bytes apart (DesignWare, TI K3), read and written as words. */
static void test_words_4_bytes_apart(void **state)
{
	uint32_t regs[8] = { 0 };
	struct uart_16550 u = { (uintptr_t)regs, 2, 4 };

	(void)state;
	regs[5] = LSR_THRE;
	assert_int_equal(uart_16550_tx_room(&u), 1); /* FIFOs off (IIR[7:6] = 0): one byte */
	uart_16550_tx_byte(&u, 'A');
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
	uart_16550_tx_byte(&u, 'x');
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
	uart_16550_tx_byte(&u, 'z');
	assert_int_equal(regs[0], 'z');
	assert_int_equal(regs[1], 0xee);
	uart_16550_rx_irq(&u, true);
	assert_int_equal(regs[4], 0x01);
	assert_int_equal(regs[5], 0xee);
}

/*
 * THRE means the whole FIFO is empty: with FIFOs on, 16 bytes fit, none
 * without THRE. The transmit interrupt comes and goes beside the receive one.
 */
static void test_16550_transmit_room_and_interrupt(void **state)
{
	uint32_t regs[8] = { 0 };
	struct uart_16550 u = { (uintptr_t)regs, 2, 4 };

	(void)state;
	regs[2] = IIR_FIFO | 0x01; /* FIFOs enabled, no interrupt pending */
	assert_int_equal(uart_16550_tx_room(&u), 0);
	regs[5] = LSR_THRE;
	assert_int_equal(uart_16550_tx_room(&u), UART_16550_FIFO);
	uart_16550_rx_irq(&u, true);
	uart_16550_tx_irq(&u, true);
	assert_int_equal(regs[1], IER_ERBFI | IER_ETBEI);
	uart_16550_tx_irq(&u, false);
	assert_int_equal(regs[1], IER_ERBFI);
}

/*
 * Amlogic meson: six words behind uart_reg_read()/uart_reg_write(), modelled
 * as far as the driver relies on: CLEAR_ERR clears STATUS's error bits.
 */
#define AML_WFIFO     0
#define AML_RFIFO     1
#define AML_CONTROL   2
#define AML_STATUS    3
#define AML_MISC      4
#define AML_REG5      5
#define AML_CLEAR_ERR (1u << 24)
#define AML_ERRORS    ((1u << 16) | (1u << 17) | (1u << 24)) /* parity, frame, overflow */
#define AML_RX_EMPTY  (1u << 20)
#define AML_TX_FULL   (1u << 21)

static uint32_t aml[6];
static unsigned int aml_writes;
/* The next read of CONTROL faults: its CPU is lost there, parked, and back at aml_lost. */
static bool aml_fault_armed;
static jmp_buf aml_lost;
static uint32_t parked_cpus;
/* The CPU a thread plays: the test's own CPU 0, other_cpu() CPU 1. */
static _Thread_local unsigned int this_cpu;
/* The next read of CONTROL is the receive path's: another CPU comes in then (race_other()). */
static bool aml_race_armed;
static void race_other(void);

/*
 * The PL011, Cadence and i.MX UARTs: a plain register file at 0x2000 (0xc0
 * bytes). With cdns_imr, Cadence's IER and IDR set and clear the mask (IMR).
 */
#define REGS_BASE 0x2000
#define CDNS_IER  0x08
#define CDNS_IDR  0x0c
#define CDNS_IMR  0x10
static uint32_t regs_file[48];
static bool cdns_imr;

/* The console's UART (lib/uart.c) of @type at @base, as platform discovery finds it. */
static void use_uart(enum uart_type type, uintptr_t base)
{
	uart_init(&(struct platform_uart){ .type = type, .regs = { .base = base } });
}

uint32_t uart_reg_read(uintptr_t base, unsigned int off)
{
	if (base == REGS_BASE) {
		assert_true(off % 4 == 0 && off / 4 < 48);
		return regs_file[off / 4];
	}
	assert_int_equal(base, 0x1000);
	assert_true(off % 4 == 0 && off / 4 < 6);
	if (off / 4 == AML_CONTROL && aml_fault_armed) {
		aml_fault_armed = false;
		parked_cpus |= 1u << this_cpu;
		longjmp(aml_lost, 1);
	}
	if (off / 4 == AML_CONTROL &&
	    __atomic_exchange_n(&aml_race_armed, false, __ATOMIC_SEQ_CST)) {
		uint32_t control = aml[AML_CONTROL];

		race_other(); /* between this read and the writes that follow */
		return control;
	}
	return aml[off / 4];
}

void uart_reg_write(uintptr_t base, unsigned int off, uint32_t val)
{
	if (base == REGS_BASE) {
		assert_true(off % 4 == 0 && off / 4 < 48);
		regs_file[off / 4] = val;
		if (cdns_imr && off == CDNS_IER)
			regs_file[CDNS_IMR / 4] |= val;
		if (cdns_imr && off == CDNS_IDR)
			regs_file[CDNS_IMR / 4] &= ~val;
		return;
	}
	assert_int_equal(base, 0x1000);
	assert_true(off % 4 == 0 && off / 4 < 6 && off / 4 != AML_STATUS && off / 4 != AML_REG5);
	aml[off / 4] = val;
	if (off / 4 == AML_CONTROL && (val & AML_CLEAR_ERR))
		aml[AML_STATUS] &= ~AML_ERRORS;
	aml_writes++;
}

static void aml_reset(void)
{
	memset(aml, 0, sizeof(aml));
	aml_writes = 0;
}

static void test_meson_transmits_and_receives_by_the_fifo_flags(void **state)
{
	(void)state;
	aml_reset();
	aml[AML_STATUS] = AML_RX_EMPTY;
	use_uart(UART_MESON, 0x1000);
	assert_int_equal(uart_tx_room(), 1);
	uart_tx_byte('M');
	assert_int_equal(aml[AML_WFIFO], 'M');
	assert_int_equal(uart_getc(), -1);
	aml[AML_STATUS] = AML_TX_FULL; /* a full transmit FIFO does not stop receiving */
	assert_int_equal(uart_tx_room(), 0);
	aml[AML_RFIFO] = 0xabcd0042; /* bits above the byte are not data */
	assert_int_equal(uart_getc(), 'B');
	assert_int_equal(aml_writes, 1);
}

/*
 * The receive interrupt from one byte, receiver on, transmit interrupt off
 * with its level at 8 bytes; the boot loader's framing, enables and baud
 * divisor (REG5) kept. The transmit interrupt then comes and goes alone.
 */
static void test_meson_receive_interrupt_keeps_the_boot_loaders_settings(void **state)
{
	const uint32_t kept =
		(1u << 12) | (1u << 15) | (1u << 19) | 0x3; /* TX_EN, 2-wire, parity */

	(void)state;
	aml_reset();
	aml[AML_CONTROL] = kept | (1u << 28); /* TX_INT_EN */
	aml[AML_MISC] = (32u << 8) | 16;      /* XMIT_IRQ 32, RECV_IRQ 16 */
	aml[AML_REG5] = 0x80001a;
	meson_uart_rx_irq(0x1000, true);
	assert_int_equal(aml[AML_CONTROL], kept | (1u << 27) | (1u << 13));
	assert_int_equal(aml[AML_MISC], (8u << 8) | 1);
	aml_writes = 0;
	meson_uart_rx_irq(0x1000, false); /* acknowledged by draining RFIFO: nothing to write */
	assert_int_equal(aml_writes, 0);
	meson_uart_tx_irq(0x1000, true);
	assert_int_equal(aml[AML_CONTROL], kept | (1u << 27) | (1u << 13) | (1u << 28));
	meson_uart_tx_irq(0x1000, false);
	assert_int_equal(aml[AML_CONTROL], kept | (1u << 27) | (1u << 13));
}

/* A latched line error (a break is a framing error) is cleared; CONTROL is left as it was. */
static void test_meson_clears_a_latched_line_error(void **state)
{
	(void)state;
	aml_reset();
	aml[AML_CONTROL] = (1u << 27) | (1u << 13);
	aml[AML_STATUS] = (1u << 17) | AML_RX_EMPTY;
	assert_int_equal(meson_uart_getc(0x1000), -1);
	assert_int_equal(aml[AML_STATUS], AML_RX_EMPTY);
	assert_int_equal(aml[AML_CONTROL], (1u << 27) | (1u << 13));
	aml[AML_STATUS] = (1u << 24); /* overflow, with a byte waiting */
	aml[AML_RFIFO] = 'o';
	assert_int_equal(meson_uart_getc(0x1000), 'o');
	assert_int_equal(aml[AML_STATUS], 0);
}

/*
 * Another CPU, the console's lock held, turns the meson's transmit interrupt
 * on or off while the CPU taking the UART's interrupt clears a line error
 * (meson_uart_getc(), without that lock), just after it read CONTROL. The
 * interrupt's CPU goes on once the other is done, or spins on a lock
 * (arch_cpu_relax()): whichever comes first, so the interleaving is the
 * same every run.
 */
static bool other_enable, other_started, other_done, other_spins;
static pthread_t other;

/* A wait that never ends fails the test that arms it instead. */
static unsigned int relaxes, relax_limit;

bool arch_mmu_enabled(void)
{
	return true;
}

void arch_cpu_relax(void)
{
	__atomic_store_n(&other_spins, true, __ATOMIC_SEQ_CST);
	if (relax_limit && ++relaxes > relax_limit)
		fail_msg("waited %u times for CONTROL's lock, whose holder was lost", relaxes);
	sched_yield();
}

unsigned int arch_cpu_index(void)
{
	return this_cpu;
}

bool arch_cpu_parked(unsigned int index)
{
	return index < 32 && (__atomic_load_n(&parked_cpus, __ATOMIC_SEQ_CST) & (1u << index));
}

/* lib/console_tx.c's: the UART given up, never touched again. */
static bool uart_given_up;

void tx_uart_dead(void)
{
	uart_given_up = true;
}

static void *other_cpu(void *arg)
{
	(void)arg;
	this_cpu = 1;
	meson_uart_tx_irq(0x1000, other_enable);
	__atomic_store_n(&other_done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

static void race_other(void)
{
	assert_int_equal(pthread_create(&other, NULL, other_cpu, NULL), 0);
	other_started = true;
	while (!__atomic_load_n(&other_done, __ATOMIC_SEQ_CST) &&
	       !__atomic_load_n(&other_spins, __ATOMIC_SEQ_CST))
		sched_yield();
}

/* meson_uart_getc() on a latched error, the other CPU coming in; CONTROL after both. */
static uint32_t meson_error_against_tx_irq(uint32_t control, bool enable)
{
	aml_reset();
	aml[AML_CONTROL] = control;
	aml[AML_STATUS] = (1u << 17) | AML_RX_EMPTY; /* a framing error (a break), no byte */
	other_enable = enable;
	other_started = other_done = other_spins = false;
	aml_race_armed = true;
	assert_int_equal(meson_uart_getc(0x1000), -1);
	assert_true(other_started);
	assert_int_equal(pthread_join(other, NULL), 0);
	assert_int_equal(aml[AML_STATUS], AML_RX_EMPTY);
	return aml[AML_CONTROL];
}

/* The transmit interrupt turned on meanwhile stays on: else the queue waits for it for ever. */
static void test_meson_error_clear_keeps_a_transmit_interrupt_turned_on_meanwhile(void **state)
{
	const uint32_t base = (1u << 27) | (1u << 13) | (1u << 12); /* RX_INT_EN, RX_EN, TX_EN */

	(void)state;
	assert_int_equal(meson_error_against_tx_irq(base, true), base | (1u << 28));
}

/* ... and one turned off meanwhile stays off: else its level, ignored, holds the line up. */
static void test_meson_error_clear_keeps_a_transmit_interrupt_turned_off_meanwhile(void **state)
{
	const uint32_t base = (1u << 27) | (1u << 13) | (1u << 12);

	(void)state;
	assert_int_equal(meson_error_against_tx_irq(base | (1u << 28), false), base);
}

/*
 * CPU 1 is lost at EL2 reading CONTROL inside its lock (an external abort
 * from the UART's registers), and parks with it. CPU 0, the console's lock
 * held, then turns the transmit interrupt off: it does not wait, and gives
 * the UART up as dead instead, touching CONTROL no more. Before 2026-11-25 it
 * spun for ever, and every CPU that printed after it.
 */
static void test_meson_a_cpu_lost_inside_controls_lock_gives_the_uart_up(void **state)
{
	const uint32_t control = (1u << 28) | (1u << 27) | (1u << 13) | (1u << 12);

	(void)state;
	aml_reset();
	aml[AML_CONTROL] = control;
	this_cpu = 1;
	aml_fault_armed = true;
	if (!setjmp(aml_lost))
		meson_uart_tx_irq(0x1000, true);
	this_cpu = 0;
	relaxes = 0;
	relax_limit = 100000;
	meson_uart_tx_irq(0x1000, false);
	relax_limit = 0;
	assert_true(uart_given_up);
	assert_int_equal(aml[AML_CONTROL], control);
	assert_int_equal(aml_writes, 0);
}

/* PL011: room while UARTFR.TXFF is clear; UARTIMSC.TXIM comes and goes beside RXIM/RTIM. */
static void test_pl011_transmit_room_and_interrupt(void **state)
{
	(void)state;
	memset(regs_file, 0, sizeof(regs_file));
	use_uart(UART_PL011, REGS_BASE);
	assert_int_equal(regs_file[0x30 / 4],
			 (1u << 0) | (1u << 8) | (1u << 9)); /* UARTEN, TXE, RXE */
	assert_int_equal(uart_tx_room(), 1);
	regs_file[0x18 / 4] = 1u << 5; /* TXFF */
	assert_int_equal(uart_tx_room(), 0);
	uart_tx_byte('p');
	assert_int_equal(regs_file[0], 'p');
	regs_file[0x18 / 4] = 1u << 4; /* RXFE */
	assert_int_equal(uart_getc(), -1);
	regs_file[0x18 / 4] = 0;
	regs_file[0] = 0xf00 | 'r'; /* the error flags above the byte are not data */
	assert_int_equal(uart_getc(), 'r');
	pl011_rx_irq(REGS_BASE, true);
	assert_int_equal(regs_file[0x38 / 4], (1u << 4) | (1u << 6));
	pl011_tx_irq(REGS_BASE, true);
	assert_int_equal(regs_file[0x38 / 4], (1u << 4) | (1u << 5) | (1u << 6));
	pl011_tx_irq(REGS_BASE, false);
	assert_int_equal(regs_file[0x38 / 4], (1u << 4) | (1u << 6));
}

/*
 * PL011: the boot loader left TXIM on (TXRIS is high while the FIFO is
 * drained: the queue, which did not ask for it, would never clear it), and
 * the error and modem interrupts, which only UARTICR clears: with receive
 * on, only RXIM and RTIM are.
 */
static void test_pl011_receive_on_turns_the_boot_loaders_transmit_interrupt_off(void **state)
{
	(void)state;
	memset(regs_file, 0, sizeof(regs_file));
	regs_file[0x38 / 4] = 0x7ff; /* every source */
	pl011_rx_irq(REGS_BASE, true);
	assert_int_equal(regs_file[0x38 / 4], (1u << 4) | (1u << 6));
}

/* Cadence: whatever IMR held (TEMPTY, TTRIG, TNFUL, errors), only RXTRIG and TIMEOUT stay. */
static void test_cdns_receive_on_turns_the_boot_loaders_transmit_interrupt_off(void **state)
{
	(void)state;
	memset(regs_file, 0, sizeof(regs_file));
	cdns_imr = true;
	regs_file[CDNS_IMR / 4] = 0x3fff;
	cdns_uart_rx_irq(REGS_BASE, true);
	assert_int_equal(regs_file[CDNS_IMR / 4], (1u << 0) | (1u << 8));
	assert_int_equal(regs_file[0x20 / 4], 1); /* RXWM: from the first byte */
	cdns_uart_tx_irq(REGS_BASE, true);
	assert_int_equal(regs_file[CDNS_IMR / 4], (1u << 0) | (1u << 3) | (1u << 8));
	cdns_uart_tx_irq(REGS_BASE, false);
	assert_int_equal(regs_file[CDNS_IMR / 4], (1u << 0) | (1u << 8));
	cdns_imr = false;
}

/*
 * i.MX: TRDYEN, TXMPTYEN and UCR4.TCEN left on (each a level an idle
 * transmitter holds), and the enables whose flags only a USR1/USR2 write
 * clears: off with receive on; the rest of UCR1 and UCR4 kept.
 */
static void test_imx_receive_on_turns_the_boot_loaders_transmit_interrupts_off(void **state)
{
	const uint32_t ucr1_kept = (1u << 0) | (1u << 14) | (1u << 8); /* UARTEN, ADBR, RXDMAEN */
	const uint32_t ucr4_kept = (32u << 10) | (1u << 0);	       /* CTSTL 32, DREN */

	(void)state;
	memset(regs_file, 0, sizeof(regs_file));
	regs_file[0x80 / 4] = ucr1_kept | (1u << 13) | (1u << 6) | (1u << 12) | (1u << 5) |
			      (1u << 15); /* TRDYEN, TXMPTYEN, IDEN, RTSDEN, ADEN */
	regs_file[0x8c / 4] = ucr4_kept | (1u << 3) | (1u << 1) | (1u << 2) |
			      (1u << 7); /* TCEN, OREN, BKEN, WKEN */
	imx_uart_rx_irq(REGS_BASE, true);
	assert_int_equal(regs_file[0x80 / 4], ucr1_kept | (1u << 9));
	assert_int_equal(regs_file[0x8c / 4], ucr4_kept);
}

/* Cadence: room while SR.TXFULL is clear; TEMPTY's latch cleared, then enabled or disabled. */
static void test_cdns_transmit_room_and_interrupt(void **state)
{
	(void)state;
	memset(regs_file, 0, sizeof(regs_file));
	use_uart(UART_CDNS, REGS_BASE);
	assert_int_equal(uart_tx_room(), 1);
	regs_file[0x2c / 4] = 1u << 4; /* TXFULL */
	assert_int_equal(uart_tx_room(), 0);
	uart_tx_byte('c');
	assert_int_equal(regs_file[0x30 / 4], 'c');
	cdns_uart_tx_irq(REGS_BASE, true);
	assert_int_equal(regs_file[0x14 / 4], 1u << 3); /* ISR: write-one-to-clear */
	assert_int_equal(regs_file[0x08 / 4], 1u << 3); /* IER */
	assert_int_equal(regs_file[0x0c / 4], 0);
	cdns_uart_tx_irq(REGS_BASE, false);
	assert_int_equal(regs_file[0x0c / 4], 1u << 3); /* IDR */
}

/* i.MX: room while UTS.TXFULL is clear; UCR1.TRDYEN comes and goes beside RRDYEN. */
static void test_imx_transmit_room_and_interrupt(void **state)
{
	(void)state;
	memset(regs_file, 0, sizeof(regs_file));
	use_uart(UART_IMX, REGS_BASE);
	assert_int_equal(uart_tx_room(), 1);
	regs_file[0xb4 / 4] = 1u << 4; /* TXFULL */
	assert_int_equal(uart_tx_room(), 0);
	uart_tx_byte('i');
	assert_int_equal(regs_file[0x40 / 4], 'i');
	regs_file[0xb4 / 4] = 1u << 5; /* RXEMPTY */
	assert_int_equal(uart_getc(), -1);
	regs_file[0xb4 / 4] = 0;
	regs_file[0x00 / 4] = 0x8000 | 'x'; /* URXD: CHARRDY above the byte */
	assert_int_equal(uart_getc(), 'x');
	imx_uart_rx_irq(REGS_BASE, true);
	imx_uart_tx_irq(REGS_BASE, true);
	assert_int_equal(regs_file[0x80 / 4], (1u << 9) | (1u << 13));
	imx_uart_tx_irq(REGS_BASE, false);
	assert_int_equal(regs_file[0x80 / 4], 1u << 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_4_bytes_apart),
		cmocka_unit_test(test_bytes_side_by_side),
		cmocka_unit_test(test_bytes_4_bytes_apart),
		cmocka_unit_test(test_16550_transmit_room_and_interrupt),
		cmocka_unit_test(test_pl011_transmit_room_and_interrupt),
		cmocka_unit_test(test_cdns_transmit_room_and_interrupt),
		cmocka_unit_test(test_imx_transmit_room_and_interrupt),
		cmocka_unit_test(test_meson_transmits_and_receives_by_the_fifo_flags),
		cmocka_unit_test(test_meson_receive_interrupt_keeps_the_boot_loaders_settings),
		cmocka_unit_test(test_meson_clears_a_latched_line_error),
		cmocka_unit_test(
			test_meson_error_clear_keeps_a_transmit_interrupt_turned_on_meanwhile),
		cmocka_unit_test(
			test_meson_error_clear_keeps_a_transmit_interrupt_turned_off_meanwhile),
		cmocka_unit_test(
			test_pl011_receive_on_turns_the_boot_loaders_transmit_interrupt_off),
		cmocka_unit_test(
			test_cdns_receive_on_turns_the_boot_loaders_transmit_interrupt_off),
		cmocka_unit_test(
			test_imx_receive_on_turns_the_boot_loaders_transmit_interrupts_off),
		/* Last: CONTROL's lock stays with the CPU it lost. */
		cmocka_unit_test(test_meson_a_cpu_lost_inside_controls_lock_gives_the_uart_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
