/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_UART_H
#define BULKHEAD_UART_H

#include "platform.h"

/* The physical console UART (lib/uart_pl011.c). Callers serialise. */
void uart_init(const struct platform_uart *uart);
void uart_putc(char c);
void uart_puts(const char *s);
/* Receive interrupts (data and timeout) on, and their acknowledgement before draining. */
void uart_enable_rx_irq(void);
void uart_ack_rx_irq(void);
/* A received character, or -1 when none is waiting. */
int uart_getc(void);

#endif
