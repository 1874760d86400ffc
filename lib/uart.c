// SPDX-License-Identifier: GPL-2.0-only
/* The console UART, whatever its kind (platform discovery chose it). */
#include <stdbool.h>
#include "uart.h"
#include "uart_priv.h"

static uintptr_t base;
static enum uart_type type;
static struct uart_16550 ns16550;
static const struct uart_fifo *fifo; /* every kind's but the 16550's; NULL: no UART */

void uart_init(const struct platform_uart *uart)
{
	base = (uintptr_t)uart->regs.base;
	type = uart->type;
	ns16550 = (struct uart_16550){ base, uart->reg_shift, uart->reg_width };
	switch (type) {
	case UART_PL011:
		pl011_init(base);
		fifo = &pl011_fifo;
		break;
	case UART_CDNS:
		fifo = &cdns_uart_fifo;
		break;
	case UART_IMX:
		fifo = &imx_uart_fifo;
		break;
	case UART_MESON:
		fifo = &meson_uart_fifo;
		break;
	default:
		fifo = NULL;
		break;
	}
}

unsigned int uart_tx_room(void)
{
	if (type == UART_16550)
		return uart_16550_tx_room(&ns16550);
	if (!fifo)
		return 1; /* no UART: bytes go nowhere, at once */
	return uart_reg_read(base, fifo->status) & fifo->tx_full ? 0 : 1;
}

void uart_tx_byte(char c)
{
	if (type == UART_16550)
		uart_16550_tx_byte(&ns16550, c);
	else if (fifo)
		uart_reg_write(base, fifo->tx, (uint8_t)c);
}

void uart_tx_irq(bool enable)
{
	switch (type) {
	case UART_PL011:
		pl011_tx_irq(base, enable);
		break;
	case UART_CDNS:
		cdns_uart_tx_irq(base, enable);
		break;
	case UART_IMX:
		imx_uart_tx_irq(base, enable);
		break;
	case UART_16550:
		uart_16550_tx_irq(&ns16550, enable);
		break;
	case UART_MESON:
		meson_uart_tx_irq(base, enable);
		break;
	default:
		break;
	}
}

int uart_getc(void)
{
	if (type == UART_16550)
		return uart_16550_getc(&ns16550);
	if (type == UART_MESON)
		return meson_uart_getc(base);
	if (!fifo || (uart_reg_read(base, fifo->status) & fifo->rx_empty))
		return -1;
	return (int)(uart_reg_read(base, fifo->rx) & 0xff);
}

static void rx_irq(bool enable)
{
	switch (type) {
	case UART_PL011:
		pl011_rx_irq(base, enable);
		break;
	case UART_CDNS:
		cdns_uart_rx_irq(base, enable);
		break;
	case UART_IMX:
		imx_uart_rx_irq(base, enable);
		break;
	case UART_16550:
		uart_16550_rx_irq(&ns16550, enable);
		break;
	case UART_MESON:
		meson_uart_rx_irq(base, enable);
		break;
	default:
		break;
	}
}

/*
 * Once, before the UART's interrupt line is enabled and console_tx_async():
 * every driver turns its receive interrupt on and its transmit one off,
 * whatever the boot loader left on. The queue starts with it off and takes
 * an interrupt it did not ask for as the receive side's, so a transmit
 * interrupt left on would fire for ever while the FIFO is drained.
 */
void uart_enable_rx_irq(void)
{
	rx_irq(true);
}

void uart_ack_rx_irq(void)
{
	rx_irq(false);
}
