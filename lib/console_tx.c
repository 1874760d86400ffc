// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console's transmit queue: every byte for the UART goes through one ring,
 * and leaves as fast as the UART's FIFO takes it, never faster.
 *
 * Until tx_async() (boot, or a UART without an interrupt) the writer waits
 * for its bytes to leave, as a polled console does. After it nobody waits for
 * the UART: the writer puts what fits into the FIFO, and the UART's transmit
 * interrupt (the boot CPU's) sends the rest. A cell's bytes are counted in its
 * share until they leave, and a cell over CONSOLE_SHARE, or one whose line
 * would cut into the room kept for the hypervisor, is refused: its virtual
 * UART holds the line and tells the guest its FIFO is full (partitions/vuart.c).
 * So a cell that prints without pause fills its share and waits in its own
 * time, and every other cell's line is queued at once. The hypervisor's own
 * lines are never refused: if the ring is full they wait for room, as before.
 */
#include <stdint.h>
#include "console_tx.h"
#include "uart.h"

#define TX_RING 16384u /* a power of two: indexes run free and wrap */
#define TX_SEGS 256u   /* runs of bytes from one writer, oldest first */
/* Kept for the hypervisor's lines: a cell's line may not cut into it. */
#define TX_HYP_RESERVE 2048u

static char ring[TX_RING];
static uint32_t head, tail;

/* Whose bytes are in the ring, in order: a run per writer, merged while it writes on. */
static struct tx_seg {
	struct console_share *share;
	uint32_t len;
} segs[TX_SEGS];
static uint32_t seg_head, seg_tail;

static struct console_share *writer; /* tx_claim()'s, for tx_put() */
static bool async, irq_on;

static bool fits(size_t len)
{
	return TX_RING - (tail - head) >= len && seg_tail - seg_head < TX_SEGS;
}

/* @sent bytes left the ring: off the oldest runs and their writers' shares. */
static void segs_consume(uint32_t sent)
{
	while (sent) {
		struct tx_seg *s = &segs[seg_head % TX_SEGS];
		uint32_t n = sent < s->len ? sent : s->len;

		s->len -= n;
		if (s->share)
			s->share->queued -= n;
		sent -= n;
		if (!s->len)
			seg_head++;
	}
}

/* What the UART takes now, without waiting; the number of bytes sent. */
static uint32_t send_some(void)
{
	uint32_t sent = 0;
	unsigned int room;

	while (head != tail && (room = uart_tx_room()) != 0) {
		for (; room && head != tail; room--, sent++)
			uart_tx_byte(ring[head++ % TX_RING]);
	}
	segs_consume(sent);
	return sent;
}

bool tx_claim(struct console_share *share, size_t max)
{
	writer = share;
	if (share && async)
		return share->queued < CONSOLE_SHARE && fits(max + TX_HYP_RESERVE);
	while (!fits(max))
		send_some();
	return true;
}

void tx_put(const char *bytes, size_t len)
{
	struct tx_seg *last = &segs[(seg_tail - 1) % TX_SEGS];
	size_t i;

	if (!len)
		return;
	for (i = 0; i < len; i++)
		ring[tail++ % TX_RING] = bytes[i];
	if (seg_tail != seg_head && last->share == writer)
		last->len += (uint32_t)len;
	else
		segs[seg_tail++ % TX_SEGS] = (struct tx_seg){ writer, (uint32_t)len };
	if (writer)
		writer->queued += (uint32_t)len;
}

static void send_all(void)
{
	while (head != tail)
		send_some();
}

void tx_send(void)
{
	if (!async) {
		send_all();
		return;
	}
	send_some();
	if (head != tail && !irq_on) {
		uart_tx_irq(true);
		irq_on = true;
	}
}

bool tx_irq(void)
{
	bool sent;

	if (!irq_on)
		return false; /* the receive side's interrupt: the line is shared */
	sent = send_some() != 0;

	/* Re-armed (acknowledged) while bytes wait, off when none do. */
	irq_on = head != tail;
	uart_tx_irq(irq_on);
	return sent;
}

void tx_async(void)
{
	async = true;
}

void tx_polled(void)
{
	async = false;
	send_all();
}
