/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_CONSOLE_TX_H
#define BULKHEAD_CONSOLE_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "console.h"

/*
 * The console's transmit queue (lib/console_tx.c), for lib/console.c: every
 * function is called with the console's lock held (or, before the MMU is on,
 * by the one CPU running).
 *
 * tx_claim() decides whether @max bytes from @share (NULL: the hypervisor)
 * may be queued now, and if so makes tx_put() count them as @share's until
 * they leave; tx_send() then pushes what the UART takes. A UART that took
 * no byte for TX_STUCK_MS is a sink until it takes one again: every claim is
 * granted and its bytes dropped, counted, and nobody waits for it.
 */
bool tx_claim(struct console_share *share, size_t max);
/* How long the UART may take no byte before it is taken for stuck (console_tx.c says why). */
#define TX_STUCK_MS 1000u

void tx_put(const char *bytes, size_t len);
void tx_send(void);
/* The transmit interrupt's work: true when bytes left (room came back). */
bool tx_irq(void);
/*
 * True once after the UART was given up with writers possibly refused: the
 * console interrupt's CPU must run tx_irq() although the UART will not ask.
 */
bool tx_take_nudge(void);
void tx_async(void);
/* Every queued byte sent, waiting for the UART; tx_polled() from now on always so. */
void tx_drain(void);
void tx_polled(void);

/*
 * For a CPU that reports a fault and cannot have the console's lock: @len
 * bytes straight to the UART, past the queue, without the lock. Each byte
 * waits at most 1 s for room; after one that waited in vain every byte is
 * dropped at once, this call's and later ones', until the queue sees the
 * UART take a byte again; nothing is tried on a UART the queue found stuck.
 */
void tx_direct(const char *bytes, size_t len);
/*
 * Under the lock of a CPU that faulted holding it: the queue emptied and put
 * right (its state was mid-change), so the lock can be let go. Only the
 * queue's own state is written, no share: nothing in it can fault.
 */
void tx_abandon(void);
/*
 * The UART's registers fault: from now on nothing touches them, and every
 * byte written is dropped (without the lock: a CPU writing straight to it).
 */
void tx_uart_dead(void);

/*
 * A bounded wait: over once @ms of counter time have passed since
 * tx_wait_start(), or after @looks calls of tx_wait_over(), whichever comes
 * first (the counter may not run; its frequency may not be known yet).
 */
struct tx_wait {
	uint64_t start, ticks;
	uint32_t looks;
};
void tx_wait_start(struct tx_wait *w, unsigned int ms, uint32_t looks);
bool tx_wait_over(struct tx_wait *w);

#endif
