// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arm PL011 (DDI 0183). The hypervisor does not reprogram the baud rate: the
 * boot loader left the UART configured, and QEMU ignores the divisors.
 */
#include <stdbool.h>
#include "uart_priv.h"

#define UARTDR	      0x000
#define UARTFR	      0x018
#define UARTFR_TXFF   (1u << 5)
#define UARTFR_RXFE   (1u << 4)
#define UARTCR	      0x030
#define UARTCR_UARTEN (1u << 0)
#define UARTCR_TXE    (1u << 8)
#define UARTCR_RXE    (1u << 9)
#define UARTIMSC      0x038
#define UARTIMSC_RXIM (1u << 4)
#define UARTIMSC_TXIM (1u << 5)
#define UARTIMSC_RTIM (1u << 6)

void pl011_init(uintptr_t base)
{
	uart_reg_write(base, UARTCR,
		       uart_reg_read(base, UARTCR) | UARTCR_UARTEN | UARTCR_TXE | UARTCR_RXE);
}

const struct uart_fifo pl011_fifo = { .status = UARTFR,
				      .tx = UARTDR,
				      .rx = UARTDR,
				      .tx_full = UARTFR_TXFF,
				      .rx_empty = UARTFR_RXFE };

/*
 * Receive and receive-timeout interrupts on (@enable); acknowledging needs no
 * write. Reading the FIFO empty clears both (DDI 0183, UARTRIS), so the line
 * stays high exactly while bytes wait. UARTICR would clear it with bytes still
 * waiting: QEMU's PL011 raises RXRIS only when the FIFO goes from empty to one
 * byte, so those bytes, and all that follow, would never interrupt again.
 *
 * Only those two, whatever the boot loader left: TXIM waits for
 * pl011_tx_irq() (the queue starts with it off, and ignores a transmit
 * interrupt it did not ask for, so TXRIS, high while the FIFO is drained,
 * would hold the line up for good), and the error and modem interrupts are
 * cleared by UARTICR alone, which nothing here writes.
 */
void pl011_rx_irq(uintptr_t base, bool enable)
{
	if (enable)
		uart_reg_write(base, UARTIMSC, UARTIMSC_RXIM | UARTIMSC_RTIM);
}

/*
 * The transmit interrupt: TXRIS while the FIFO is at or below its trigger
 * level, cleared by filling it above. Turned on only with the FIFO full, so
 * the level is crossed on the way down (some PL011 revisions raise it only
 * on that crossing), and off once nothing waits.
 */
void pl011_tx_irq(uintptr_t base, bool enable)
{
	uint32_t imsc = uart_reg_read(base, UARTIMSC) & ~UARTIMSC_TXIM;

	uart_reg_write(base, UARTIMSC, imsc | (enable ? UARTIMSC_TXIM : 0));
}
