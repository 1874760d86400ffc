// SPDX-License-Identifier: GPL-2.0-only
/*
 * 16550-compatible UARTs: the Synopsys DesignWare APB UART (Rockchip,
 * Allwinner), TI K3's and NVIDIA Tegra's. Registers 1 << reg-shift bytes
 * apart, accessed reg-io-width bytes wide (platform discovery reads both).
 * Configured by the boot loader; used as it is: no divisor or line-control
 * write, which on the DesignWare UART could also raise its busy-detect
 * interrupt.
 */
#include <stdbool.h>
#include "uart_priv.h"

#define UART_RBR       0 /* read */
#define UART_THR       0 /* write */
#define UART_IER       1
#define UART_IER_ERBFI (1u << 0) /* received data available */
#define UART_IER_ETBEI (1u << 1) /* transmit holding register empty */
#define UART_IIR       2	 /* read */
#define UART_IIR_FIFO  (3u << 6) /* FIFOs enabled */
#define UART_LSR       5
#define UART_LSR_DR    (1u << 0)
#define UART_LSR_THRE  (1u << 5)

static uint32_t rd(const struct uart_16550 *u, unsigned int reg)
{
	uintptr_t addr = u->base + ((uintptr_t)reg << u->shift);

	if (u->width == 4)
		return *(volatile uint32_t *)addr;
	return *(volatile uint8_t *)addr;
}

static void wr(const struct uart_16550 *u, unsigned int reg, uint32_t val)
{
	uintptr_t addr = u->base + ((uintptr_t)reg << u->shift);

	if (u->width == 4)
		*(volatile uint32_t *)addr = val;
	else
		*(volatile uint8_t *)addr = (uint8_t)val;
}

/*
 * THRE says the whole transmit FIFO is empty, not that one byte fits: after
 * it, a FIFO's worth may be written (16 bytes, the 16550A's depth and the
 * least a DesignWare UART is built with), or one byte if FIFOs are off.
 */
unsigned int uart_16550_tx_room(const struct uart_16550 *u)
{
	if (!(rd(u, UART_LSR) & UART_LSR_THRE))
		return 0;
	return (rd(u, UART_IIR) & UART_IIR_FIFO) == UART_IIR_FIFO ? UART_16550_FIFO : 1;
}

void uart_16550_tx_byte(const struct uart_16550 *u, char c)
{
	wr(u, UART_THR, (uint8_t)c);
}

int uart_16550_getc(const struct uart_16550 *u)
{
	if (!(rd(u, UART_LSR) & UART_LSR_DR))
		return -1;
	return (int)(rd(u, UART_RBR) & 0xff);
}

/*
 * Only the receive interrupt, whatever the boot loader left: the transmit one
 * waits for uart_16550_tx_irq(). Reading RBR clears it (and the character
 * timeout), so there is nothing to acknowledge.
 */
void uart_16550_rx_irq(const struct uart_16550 *u, bool enable)
{
	if (enable)
		wr(u, UART_IER, UART_IER_ERBFI);
}

/*
 * Transmit holding register empty: raised when the FIFO runs dry (and at
 * once if it is dry when enabled), cleared by writing THR or reading IIR.
 */
void uart_16550_tx_irq(const struct uart_16550 *u, bool enable)
{
	uint32_t ier = rd(u, UART_IER) & ~UART_IER_ETBEI;

	wr(u, UART_IER, ier | (enable ? UART_IER_ETBEI : 0));
}
