// SPDX-License-Identifier: GPL-2.0-only
/*
 * NXP i.MX UART (i.MX 8M Plus Reference Manual, "UART"): the console of
 * i.MX 6/7/8 boards. Configured by the boot loader; used as it is.
 */
#include <stdbool.h>
#include "uart_priv.h"

#define IMX_URXD	0x00
#define IMX_UTXD	0x40
#define IMX_UCR1	0x80
#define IMX_UCR1_RRDYEN (1u << 9)
#define IMX_UCR1_TRDYEN (1u << 13)
#define IMX_UTS		0xb4
#define IMX_UTS_TXFULL	(1u << 4)
#define IMX_UTS_RXEMPTY (1u << 5)

unsigned int imx_uart_tx_room(uintptr_t base)
{
	return uart_reg_read(base, IMX_UTS) & IMX_UTS_TXFULL ? 0 : 1;
}

void imx_uart_tx_byte(uintptr_t base, char c)
{
	uart_reg_write(base, IMX_UTXD, (uint8_t)c);
}

int imx_uart_getc(uintptr_t base)
{
	if (uart_reg_read(base, IMX_UTS) & IMX_UTS_RXEMPTY)
		return -1;
	return (int)(uart_reg_read(base, IMX_URXD) & 0xff);
}

/* Reading the data clears the receive-ready interrupt: nothing to acknowledge. */
void imx_uart_rx_irq(uintptr_t base, bool enable)
{
	if (enable)
		uart_reg_write(base, IMX_UCR1, uart_reg_read(base, IMX_UCR1) | IMX_UCR1_RRDYEN);
}

/*
 * Transmitter ready: asserted while the FIFO holds fewer bytes than UFCR.TXTL
 * (the boot loader's setting, 2 from reset), so it is a level that filling
 * the FIFO clears: nothing to acknowledge.
 */
void imx_uart_tx_irq(uintptr_t base, bool enable)
{
	uint32_t ucr1 = uart_reg_read(base, IMX_UCR1) & ~IMX_UCR1_TRDYEN;

	uart_reg_write(base, IMX_UCR1, ucr1 | (enable ? IMX_UCR1_TRDYEN : 0));
}
