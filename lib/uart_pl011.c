// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arm PL011 (DDI 0183). The hypervisor does not reprogram the baud rate: the
 * boot loader left the UART configured, and QEMU ignores the divisors.
 */
#include <stdint.h>
#include "uart.h"

#define UARTDR	      0x000
#define UARTFR	      0x018
#define UARTFR_TXFF   (1u << 5)
#define UARTFR_RXFE   (1u << 4)
#define UARTFR_BUSY   (1u << 3)
#define UARTCR	      0x030
#define UARTCR_UARTEN (1u << 0)
#define UARTCR_TXE    (1u << 8)
#define UARTCR_RXE    (1u << 9)
#define UARTIMSC      0x038
#define UARTIMSC_RXIM (1u << 4)
#define UARTIMSC_RTIM (1u << 6)
#define UARTICR	      0x044

static volatile uint32_t *regs;

static inline uint32_t reg_read(unsigned int off)
{
	return regs[off / 4];
}

static inline void reg_write(unsigned int off, uint32_t val)
{
	regs[off / 4] = val;
}

void uart_init(const struct platform_uart *uart)
{
	regs = (volatile uint32_t *)(uintptr_t)uart->regs.base;
	reg_write(UARTCR, reg_read(UARTCR) | UARTCR_UARTEN | UARTCR_TXE | UARTCR_RXE);
}

void uart_putc(char c)
{
	if (!regs)
		return;
	while (reg_read(UARTFR) & UARTFR_TXFF)
		;
	reg_write(UARTDR, (uint8_t)c);
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

void uart_enable_rx_irq(void)
{
	if (regs)
		reg_write(UARTIMSC, reg_read(UARTIMSC) | UARTIMSC_RXIM | UARTIMSC_RTIM);
}

void uart_ack_rx_irq(void)
{
	if (regs)
		reg_write(UARTICR, UARTIMSC_RXIM | UARTIMSC_RTIM);
}

int uart_getc(void)
{
	if (!regs || (reg_read(UARTFR) & UARTFR_RXFE))
		return -1;
	return (int)(reg_read(UARTDR) & 0xff);
}
