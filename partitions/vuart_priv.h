/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_VUART_PRIV_H
#define BULKHEAD_VUART_PRIV_H

/* Between the virtual PL011's register file (vuart.c) and its transmitter (vuart_tx.c). */
#include <stdint.h>
#include "vuart.h"

#define UARTCR_LBE (1u << 7)

/* UARTRIS/UARTMIS/UARTIMSC/UARTICR share one layout, bits [10:0]. */
#define UARTRIS_RXRIS (1u << 4)
#define UARTRIS_TXRIS (1u << 5)
#define UARTRIS_RTRIS (1u << 6)

/*
 * The lock, for the console's side: false, not taken and said once with
 * @undone, if a CPU lost at EL2 holds it (spin_lock_unless_lost()).
 */
bool vuart_lock_console_side(struct vuart *u, const char *undone);

/* A byte the guest wrote to UARTDR: 0 or VUART_LINE_MOVED, as vuart_access(). */
int vuart_tx_write(struct vuart *u, uint8_t c);

/* Under the lock: the line (UARTMIS != 0) is not at the level the vGIC was last given. */
static inline bool vuart_line_moved(const struct vuart *u)
{
	return ((u->ris & u->imsc) != 0) != u->line_told;
}

/* Under the lock: one byte into the receive FIFO, which has room. */
static inline void vuart_rx_push(struct vuart *u, uint8_t c)
{
	u->rx[(u->rx_head + u->rx_count) % VUART_RX_MAX] = c;
	u->rx_count++;
	/*
	 * The RX trigger is taken as one byte (QEMU does the same): console input
	 * trickles in, and drivers empty the FIFO on either interrupt. RTRIS too,
	 * since the line goes idle after every key and a real PL011 would time out.
	 */
	u->ris |= UARTRIS_RXRIS | UARTRIS_RTRIS;
}

#endif
