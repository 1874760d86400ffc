/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_CONSOLE_WIRE_H
#define BULKHEAD_TESTS_CONSOLE_WIRE_H

/*
 * A slow UART for the console's tests (tests/unit/test_console*.c): the
 * uart_tx_*() the console's queue (lib/console_tx.c) drives, a 16-byte FIFO
 * that empties only when the test says bytes went down the wire, the counter
 * and the CPU the test runs as, and a cell's virtual PL011 written as a
 * guest does.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "console.h"
#include "vuart.h"

#define FIFO	   16
#define COUNTER_HZ 1000000u /* the counter: 1 MHz */

extern char wire[1 << 16]; /* every byte written to the UART, in order */
extern size_t wire_len;
extern unsigned int fifo_level;
extern bool drain_when_polled;	/* time passes while a writer waits (polled mode) */
extern unsigned int full_polls; /* uart_tx_room() answered 0 */
extern bool tx_irq_on;
extern unsigned int rooms; /* calls of the console's room hook, wire_room() */
/* The transmitter takes nothing, FIFO empty or not (CTS low, transmit disabled, no clock). */
extern bool never_sends;
/* The counter moves by clock_step ticks at every read (0: it stands still). */
extern uint64_t counter, clock_step;
extern uint64_t counter_hz; /* what arch_counter_freq() says: COUNTER_HZ unless a test moves it */
/* Every uart_tx_room(), uart_tx_byte() and uart_tx_irq(): a touch of the UART's registers. */
extern unsigned int uart_accesses;
/* Called once from the next uart_tx_byte(), after the byte: a fault in the UART access. */
extern void (*fault_in_uart)(void);
extern unsigned int this_cpu; /* the CPU the test runs as; 0 takes the UART's interrupt */

extern unsigned int nudges; /* calls of the console's nudge hook, wire_nudge() */
/* The console's room and nudge hooks (console_tx_async()). */
void wire_room(void);
void wire_nudge(void);
/* The wire took @n bytes: the FIFO has room, and its interrupt is taken if on. */
void wire_sends(unsigned int n);
void wire_sends_all(void);
bool wire_has(const char *text);

/* cmocka set-ups: the console brought up once per run; each test starts drained. */
int wire_console_up(void **state);
int wire_fresh(void **state);
/* After a test of a UART that never sends, pass or fail: the wire moves again. */
int wire_calm(void **state);

/* A guest's bytes to its virtual PL011's UARTDR. */
void guest_writes(struct vuart *u, const char *bytes, size_t n);
/* As Linux's PL011 console writes: TXFF polled until clear, then the byte. False if never. */
bool guest_putc_polled(struct vuart *u, char c);

#endif
