/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_UART_PRIV_H
#define BULKHEAD_UART_PRIV_H

#include <stdbool.h>
#include <stdint.h>

/* One console UART driver per kind; lib/uart.c switches between them. */
#ifdef UART_REG_MODEL
/* Host unit tests model the device: each 32-bit access goes to them. */
uint32_t uart_reg_read(uintptr_t base, unsigned int off);
void uart_reg_write(uintptr_t base, unsigned int off, uint32_t val);
#else
static inline uint32_t uart_reg_read(uintptr_t base, unsigned int off)
{
	return *(volatile uint32_t *)(base + off);
}

static inline void uart_reg_write(uintptr_t base, unsigned int off, uint32_t val)
{
	*(volatile uint32_t *)(base + off) = val;
}
#endif

/*
 * Every kind but the 16550 sends and receives alike (lib/uart.c): room for a
 * byte while a bit of its status register says the transmit FIFO is not
 * full, a byte waiting while another says the receive FIFO is not empty,
 * each written to or read from a data register (the low 8 bits).
 */
struct uart_fifo {
	uint8_t status, tx, rx; /* register offsets */
	uint32_t tx_full, rx_empty;
};
extern const struct uart_fifo pl011_fifo, cdns_uart_fifo, imx_uart_fifo, meson_uart_fifo;

/*
 * Each driver: tx_irq() turns on or off the interrupt that says room came
 * back, always with the console's lock held; rx_irq(true) turns the receive
 * interrupt on and the transmit one off (lib/uart.c). The 16550's tx_room()
 * is how many bytes tx_byte() may write now without waiting (0 when the
 * FIFO is full). getc() and rx_irq(false) run on the CPU taking the UART's interrupt,
 * without that lock: a register they write is not one tx_irq() reads and
 * writes back whole, or a lock of the driver's covers both (meson CONTROL).
 */
void pl011_init(uintptr_t base);
void pl011_tx_irq(uintptr_t base, bool enable);
void pl011_rx_irq(uintptr_t base, bool enable);

void cdns_uart_tx_irq(uintptr_t base, bool enable);
void cdns_uart_rx_irq(uintptr_t base, bool enable);

/* A 16550: where, how far apart its registers are and how wide they are read. */
struct uart_16550 {
	uintptr_t base;
	unsigned int shift; /* reg-shift */
	unsigned int width; /* reg-io-width: 1 or 4 */
};

#define UART_16550_FIFO 16
unsigned int uart_16550_tx_room(const struct uart_16550 *u);
void uart_16550_tx_byte(const struct uart_16550 *u, char c);
void uart_16550_tx_irq(const struct uart_16550 *u, bool enable);
int uart_16550_getc(const struct uart_16550 *u);
void uart_16550_rx_irq(const struct uart_16550 *u, bool enable);

void imx_uart_tx_irq(uintptr_t base, bool enable);
void imx_uart_rx_irq(uintptr_t base, bool enable);

void meson_uart_tx_irq(uintptr_t base, bool enable);
int meson_uart_getc(uintptr_t base);
void meson_uart_rx_irq(uintptr_t base, bool enable);

#endif
