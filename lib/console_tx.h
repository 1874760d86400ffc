/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_CONSOLE_TX_H
#define BULKHEAD_CONSOLE_TX_H

#include <stdbool.h>
#include <stddef.h>
#include "console.h"

/*
 * The console's transmit queue (lib/console_tx.c), for lib/console.c: every
 * function is called with the console's lock held (or, before the MMU is on,
 * by the one CPU running).
 *
 * tx_claim() decides whether @max bytes from @share (NULL: the hypervisor)
 * may be queued now, and if so makes tx_put() count them as @share's until
 * they leave; tx_send() then pushes what the UART takes. A UART that took
 * no byte for 50 ms is a sink until it takes one again: every claim is
 * granted and its bytes dropped, counted, and nobody waits for it.
 */
bool tx_claim(struct console_share *share, size_t max);
void tx_put(const char *bytes, size_t len);
void tx_send(void);
/* The transmit interrupt's work: true when bytes left (room came back). */
bool tx_irq(void);
void tx_async(void);
/* Every queued byte sent, waiting for the UART; tx_polled() from now on always so. */
void tx_drain(void);
void tx_polled(void);

#endif
