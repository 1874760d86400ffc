// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cadence UART (Xilinx Zynq UltraScale+ TRM UG1085, "UART"): the console of
 * ZCU102-class boards. Configured by the boot loader; used as it is.
 */
#include <stdbool.h>
#include "uart_priv.h"

#define CDNS_UART_IER	      0x08
#define CDNS_UART_IDR	      0x0c
#define CDNS_UART_ISR	      0x14
#define CDNS_UART_RXWM	      0x20
#define CDNS_UART_SR	      0x2c
#define CDNS_UART_SR_RXEMPTY  (1u << 1)
#define CDNS_UART_SR_TXFULL   (1u << 4)
#define CDNS_UART_FIFO	      0x30
#define CDNS_UART_IXR_RXTRIG  (1u << 0)
#define CDNS_UART_IXR_TEMPTY  (1u << 3)
#define CDNS_UART_IXR_TIMEOUT (1u << 8)
#define CDNS_UART_IXR_ALL     0x3fffu /* every source, up to RBRK (bit 13) */

const struct uart_fifo cdns_uart_fifo = { .status = CDNS_UART_SR,
					  .tx = CDNS_UART_FIFO,
					  .rx = CDNS_UART_FIFO,
					  .tx_full = CDNS_UART_SR_TXFULL,
					  .rx_empty = CDNS_UART_SR_RXEMPTY };

/*
 * On: only the receive trigger and timeout, whatever the boot loader left in
 * IMR. TEMPTY (and TTRIG, TNFUL) wait for cdns_uart_tx_irq(): the queue starts
 * with it off and ignores a transmit interrupt it did not ask for, and the
 * latch of a drained FIFO would hold the line up for good; so would every
 * other source, whose latch nothing here clears.
 */
void cdns_uart_rx_irq(uintptr_t base, bool enable)
{
	if (enable) {
		uart_reg_write(base, CDNS_UART_IDR, CDNS_UART_IXR_ALL);
		uart_reg_write(base, CDNS_UART_RXWM, 1); /* interrupt from the first byte */
		uart_reg_write(base, CDNS_UART_IER, CDNS_UART_IXR_RXTRIG | CDNS_UART_IXR_TIMEOUT);
	} else {
		/* Write-one-to-clear. */
		uart_reg_write(base, CDNS_UART_ISR, CDNS_UART_IXR_RXTRIG | CDNS_UART_IXR_TIMEOUT);
	}
}

/*
 * The transmit-FIFO-empty event: latched in ISR when the FIFO runs dry, so
 * the latch from an earlier drain is cleared (write-one-to-clear) as it is
 * enabled with bytes in the FIFO, and on every interrupt after refilling:
 * with bytes in it again, the next drain latches it anew.
 */
void cdns_uart_tx_irq(uintptr_t base, bool enable)
{
	uart_reg_write(base, CDNS_UART_ISR, CDNS_UART_IXR_TEMPTY);
	uart_reg_write(base, enable ? CDNS_UART_IER : CDNS_UART_IDR, CDNS_UART_IXR_TEMPTY);
}
