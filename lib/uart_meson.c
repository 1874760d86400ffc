// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Amlogic meson UART: the always-on UART_AO that is the console of the
 * Odroid-C2 and N2, the Khadas VIMs and the Libre Computer boards. 32-bit
 * registers, set up by the boot loader and used as they are: REG5 (the baud
 * divisor) is never written, CONTROL only bit by bit, and neither FIFO is
 * reset, which would drop what is still being sent.
 */
#include <stdbool.h>
#include "arch/cpu.h"
#include "console_tx.h"
#include "owned_lock.h"
#include "uart_priv.h"

#define AML_UART_WFIFO	       0x00
#define AML_UART_RFIFO	       0x04
#define AML_UART_CONTROL       0x08
#define AML_UART_RX_EN	       (1u << 13)
#define AML_UART_CLEAR_ERR     (1u << 24)
#define AML_UART_RX_INT_EN     (1u << 27)
#define AML_UART_TX_INT_EN     (1u << 28)
#define AML_UART_STATUS	       0x0c
#define AML_UART_PARITY_ERR    (1u << 16)
#define AML_UART_FRAME_ERR     (1u << 17)
#define AML_UART_RX_EMPTY      (1u << 20)
#define AML_UART_TX_FULL       (1u << 21)
#define AML_UART_RX_OVERFLOW   (1u << 24)
#define AML_UART_RX_ERR	       (AML_UART_PARITY_ERR | AML_UART_FRAME_ERR | AML_UART_RX_OVERFLOW)
#define AML_UART_MISC	       0x10
#define AML_UART_RECV_IRQ_MASK 0xffu /* receive interrupt once this many bytes wait */
#define AML_UART_XMIT_MASK     (0xffu << 8)
#define AML_UART_XMIT_AT_8     (8u << 8) /* transmit interrupt while fewer than 8 bytes wait */

/* Its receive side is meson_uart_getc()'s, which also clears a latched line error. */
const struct uart_fifo meson_uart_fifo = { .status = AML_UART_STATUS,
					   .tx = AML_UART_WFIFO,
					   .rx = AML_UART_RFIFO,
					   .tx_full = AML_UART_TX_FULL,
					   .rx_empty = AML_UART_RX_EMPTY };

/*
 * CONTROL holds both interrupt enables and the error clear, and each is
 * changed by reading and writing it whole: the transmit interrupt by
 * whichever CPU holds the console's lock, the error clear by the CPU taking
 * the UART's interrupt, which reads the receive FIFO without that lock. So
 * every read-modify-write of CONTROL holds this lock: one on another CPU
 * between the read and the write would be undone (TX_INT_EN lost, with the
 * queue waiting for an interrupt that never comes, or back on after the
 * queue turned it off, a level it ignores) or leave CLEAR_ERR set. Before the
 * MMU is on only the boot CPU runs, and exclusives need Normal memory.
 *
 * Every CPU that prints may take it: an owned lock (include/owned_lock.h).
 * Its sections hold only CONTROL's accesses, so a CPU lost inside one took
 * an external abort from the UART's registers. Nobody waits for it then:
 * the UART is given up as dead (tx_uart_dead()), as after a fault in a
 * write straight to it, never touched again, its interrupt off. Said
 * nowhere, the UART being the console. Before 2026-11-25 every CPU that
 * printed next, of any cell, spun for ever with the console's lock held.
 */
static struct owned_lock control_lock = OWNED_LOCK_INIT;

static bool control_take(void)
{
	if (!arch_mmu_enabled() || owned_lock_take(&control_lock))
		return true;
	tx_uart_dead();
	return false;
}

static void control_give(void)
{
	if (arch_mmu_enabled())
		owned_lock_release(&control_lock);
}

/* A line error (a break is a framing error) stays latched until cleared, as Linux does. */
static void meson_uart_clear_errors(uintptr_t base)
{
	uint32_t control;

	if (!control_take())
		return;
	control = uart_reg_read(base, AML_UART_CONTROL);
	uart_reg_write(base, AML_UART_CONTROL, control | AML_UART_CLEAR_ERR);
	uart_reg_write(base, AML_UART_CONTROL, control & ~AML_UART_CLEAR_ERR);
	control_give();
}

int meson_uart_getc(uintptr_t base)
{
	uint32_t status = uart_reg_read(base, AML_UART_STATUS);

	if (status & AML_UART_RX_ERR)
		meson_uart_clear_errors(base);
	if (status & AML_UART_RX_EMPTY)
		return -1;
	return (int)(uart_reg_read(base, AML_UART_RFIFO) & 0xff);
}

/*
 * The receive interrupt from the first byte, and the receiver on (a boot
 * stage may have enabled only the transmitter); the transmit one off until
 * meson_uart_tx_irq() wants it, with its level set. Both follow the FIFOs'
 * fill, so draining RFIFO or filling WFIFO is their acknowledgement.
 */
void meson_uart_rx_irq(uintptr_t base, bool enable)
{
	uint32_t misc, control;

	if (!enable)
		return;
	misc = uart_reg_read(base, AML_UART_MISC);
	misc &= ~(AML_UART_RECV_IRQ_MASK | AML_UART_XMIT_MASK);
	uart_reg_write(base, AML_UART_MISC, misc | 1 | AML_UART_XMIT_AT_8);
	if (!control_take())
		return;
	control = uart_reg_read(base, AML_UART_CONTROL) & ~AML_UART_TX_INT_EN;
	uart_reg_write(base, AML_UART_CONTROL, control | AML_UART_RX_EN | AML_UART_RX_INT_EN);
	control_give();
}

void meson_uart_tx_irq(uintptr_t base, bool enable)
{
	uint32_t control;

	if (!control_take())
		return;
	control = uart_reg_read(base, AML_UART_CONTROL) & ~AML_UART_TX_INT_EN;
	uart_reg_write(base, AML_UART_CONTROL, control | (enable ? AML_UART_TX_INT_EN : 0));
	control_give();
}
