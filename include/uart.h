/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_UART_H
#define BULKHEAD_UART_H

#include <stdbool.h>
#include "platform.h"

/*
 * The physical console UART (lib/uart.c and its drivers). Transmit calls
 * hold the console's lock; the receive side (uart_ack_rx_irq(), uart_getc())
 * runs on the CPU taking the UART's interrupt without it, so a driver whose
 * receive path writes a register the transmit side also writes locks that
 * register itself (uart_meson.c's CONTROL).
 */
void uart_init(const struct platform_uart *uart);
/* Bytes uart_tx_byte() may write now without waiting; 0 while the FIFO is full. */
unsigned int uart_tx_room(void);
void uart_tx_byte(char c);
/* The interrupt that says the transmit FIFO has room again: on, or off (acknowledged). */
void uart_tx_irq(bool enable);
/* Receive interrupts (data and timeout) on, and their acknowledgement before draining. */
void uart_enable_rx_irq(void);
void uart_ack_rx_irq(void);
/* A received character, or -1 when none is waiting. */
int uart_getc(void);

#endif
