// SPDX-License-Identifier: GPL-2.0-only
/*
 * NXP i.MX UART (i.MX 8M Plus Reference Manual, "UART"): the console of
 * i.MX 6/7/8 boards. Configured by the boot loader; used as it is.
 */
#include <stdbool.h>
#include "uart_priv.h"

#define IMX_URXD	  0x00
#define IMX_UTXD	  0x40
#define IMX_UCR1	  0x80
#define IMX_UCR1_RTSDEN	  (1u << 5)  /* RTS delta */
#define IMX_UCR1_TXMPTYEN (1u << 6)  /* transmitter empty */
#define IMX_UCR1_RRDYEN	  (1u << 9)  /* receiver ready */
#define IMX_UCR1_IDEN	  (1u << 12) /* idle */
#define IMX_UCR1_TRDYEN	  (1u << 13) /* transmitter ready */
#define IMX_UCR1_ADEN	  (1u << 15) /* automatic baud rate detection */
#define IMX_UCR4	  0x8c
#define IMX_UCR4_OREN	  (1u << 1) /* receiver overrun */
#define IMX_UCR4_BKEN	  (1u << 2) /* break */
#define IMX_UCR4_TCEN	  (1u << 3) /* transmit complete */
#define IMX_UCR4_WKEN	  (1u << 7) /* wake */
#define IMX_UTS		  0xb4
#define IMX_UTS_TXFULL	  (1u << 4)
#define IMX_UTS_RXEMPTY	  (1u << 5)

const struct uart_fifo imx_uart_fifo = { .status = IMX_UTS,
					 .tx = IMX_UTXD,
					 .rx = IMX_URXD,
					 .tx_full = IMX_UTS_TXFULL,
					 .rx_empty = IMX_UTS_RXEMPTY };

/*
 * Reading the data clears the receive-ready interrupt: nothing to acknowledge.
 *
 * On, with the transmit interrupts off whatever the boot loader left: TRDYEN
 * waits for imx_uart_tx_irq(), and TXMPTYEN and UCR4.TCEN are never used (the
 * queue starts with its interrupt off and ignores a transmit interrupt it did
 * not ask for; each is a level that an idle transmitter holds up for good).
 * Off too the ones whose flag only a write to USR1/USR2 clears, which
 * nothing here does: idle, RTS delta, baud rate detection, overrun, break
 * and wake. The rest of UCR1 and UCR4 is the boot loader's, kept.
 */
void imx_uart_rx_irq(uintptr_t base, bool enable)
{
	uint32_t ucr1, ucr4;

	if (!enable)
		return;
	ucr4 = uart_reg_read(base, IMX_UCR4);
	ucr4 &= ~(IMX_UCR4_TCEN | IMX_UCR4_OREN | IMX_UCR4_BKEN | IMX_UCR4_WKEN);
	uart_reg_write(base, IMX_UCR4, ucr4);
	ucr1 = uart_reg_read(base, IMX_UCR1);
	ucr1 &= ~(IMX_UCR1_TRDYEN | IMX_UCR1_TXMPTYEN | IMX_UCR1_IDEN | IMX_UCR1_RTSDEN |
		  IMX_UCR1_ADEN);
	uart_reg_write(base, IMX_UCR1, ucr1 | IMX_UCR1_RRDYEN);
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
