// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console's transmit queue: every byte for the UART goes through one ring,
 * and leaves as fast as the UART's FIFO takes it, never faster.
 *
 * Until tx_async() (boot, or a UART without an interrupt) the writer waits
 * for its bytes to leave, as a polled console does. After it nobody waits for
 * the UART: the writer puts what fits into the FIFO, and the UART's transmit
 * interrupt (the boot CPU's) sends the rest. A cell's bytes and runs are
 * counted in its share until they leave, and a cell at CONSOLE_SHARE bytes or
 * TX_SHARE_SEGS runs is refused: its virtual UART holds the line and tells
 * the guest its FIFO is full (partitions/vuart_tx.c).
 * So a cell that prints without pause fills its share and waits in its own
 * time, and every other cell's line is queued at once. The hypervisor's own
 * lines are never refused: if the ring is full they wait for room, as before.
 *
 * Nobody waits for a UART that takes nothing (go_stuck()): after TX_STUCK_MS
 * without a byte taken, what is queued is dropped, and so is everything
 * written after, each write looking once whether the UART takes bytes again.
 */
#include <stdint.h>
#include <stdio.h>
#include "arch/cpu.h"
#include "compiler.h"
#include "console_tx.h"
#include "layout.h"
#include "uart.h"

#define TX_RING 16384u /* a power of two: indexes run free and wrap */
#define TX_SEGS 512u   /* runs of bytes from one writer, oldest first */
/* Kept for the hypervisor's lines: a cell's line may not cut into them. */
#define TX_HYP_RESERVE	    2048u
#define TX_HYP_RESERVE_SEGS 64u
/* The most runs one cell may have queued (a cell printing empty lines makes one per line). */
#define TX_SHARE_SEGS 48u
/*
 * The most one cell's line can queue: its prefix, 159 bytes at 3 each in
 * caret form, and the shell's and another cell's open lines shown again.
 */
#define TX_CELL_LINE_MAX 1024u

/*
 * A cell under its share always fits, whatever the others do: every cell at
 * its limit, plus its last line, plus the hypervisor's room. Only if every
 * line of a cell is charged to its share: a stopping cell's held and
 * unfinished lines too (vuart_flush()).
 */
_Static_assert((CONSOLE_SHARE + TX_CELL_LINE_MAX) * LAYOUT_MAX_CELLS + TX_HYP_RESERVE <= TX_RING,
	       "the console ring cannot hold every cell's share");
_Static_assert((TX_SHARE_SEGS * LAYOUT_MAX_CELLS) + TX_HYP_RESERVE_SEGS <= TX_SEGS,
	       "the console's runs cannot hold every cell's share");

static char ring[TX_RING];
static uint32_t head, tail;

/* Whose bytes are in the ring, in order: a run per writer, merged while it writes on. */
static struct tx_seg {
	struct console_share *share;
	uint32_t len;
} segs[TX_SEGS];
static uint32_t seg_head, seg_tail;

static struct console_share *writer; /* tx_claim()'s, for tx_put() */
/*
 * This queue's number: tx_abandon() begins a new one. A share whose counts
 * are an older queue's (struct console_share's queue) holds none of its
 * bytes: tx_claim() empties it before it looks at it.
 */
static unsigned int queue_nr;
static bool async, irq_on;
/* Bumped whenever bytes leave the ring; told_sent: as the room hook last heard it. */
static uint32_t sent_gen, told_sent;

/*
 * A UART that takes no byte for TX_STUCK_MS (console_tx.h: console.c's
 * panic path waits longer than it) is stuck: CTS flow control with
 * nothing driving CTS, its transmitter disabled (PL011 UARTCR.TXE, i.MX
 * UCR2.TXEN, Cadence TX_DIS, meson TX_EN) or unclocked. Waited for, it hung
 * the boot in console_init(), and later the CPU that logged spun holding the
 * console's lock with every other CPU that printed, every cell's virtual
 * UART too, spinning behind it. A second: a working UART without flow
 * control never keeps us waiting that long (a 16550's whole 16-byte FIFO,
 * which its driver refills only when empty, takes 1 s at 160 baud), and a
 * terminal or QEMU's character device holding the line with flow control
 * for a moment must not lose output; the writer pays it once per episode.
 * The counter may not run (a system counter firmware never enabled):
 * TX_STUCK_LOOKS looks at a full FIFO end the wait too, at least 80 ms at
 * 20 ns a device read.
 */
#define TX_STUCK_LOOKS (1u << 22)

static struct tx_wait idle; /* since the UART last took a byte, or bytes came into an empty ring */
static uint32_t idle_looks; /* looks at a full UART since then */

/*
 * The time alone is no sign of a stuck UART: under QEMU's -icount sleep=off
 * the counter leaps ahead while every CPU idles, and the host's character
 * device drains the UART in host time, so bytes queued just before a leap
 * seemed to have waited for seconds (a shell's output dropped as if the UART
 * were stuck, in CI). Someone must also have looked this often meanwhile:
 * no time at all on hardware for a writer spinning on it.
 */
#define TX_STUCK_MIN_LOOKS 512u

static void idle_restart(void)
{
	tx_wait_start(&idle, TX_STUCK_MS, TX_STUCK_LOOKS);
	idle_looks = 0;
}
static bool stuck;
/*
 * A cell refused before the UART was given up (stuck, or dead) may wait for
 * its virtual UART's transmit interrupt, which only the room hook raises,
 * run from the console interrupt's CPU; the UART's own interrupt does not
 * come now. So that CPU is made to take it (nudge_due: console.c's nudge
 * hook), and tx_irq() then tells (tell_cells).
 */
static bool tell_cells, nudge_due;
/*
 * Its registers fault (tx_uart_dead()): never touched again, not even to look
 * whether it works, or every CPU that printed next would fault and park too.
 */
static bool dead;

static bool uart_dead(void)
{
	return __atomic_load_n(&dead, __ATOMIC_RELAXED);
}

/*
 * A byte written straight to the UART (tx_direct()) waited TX_STUCK_MS in
 * vain: later ones are dropped at once, until the queue sees the UART take a
 * byte again. Else a report's every write waited its second, the console's
 * lock held meanwhile if the fault was inside it.
 */
static bool direct_vain;
static unsigned long dropped; /* bytes dropped since it got stuck */
static bool stuck_by_looks;   /* the looks ended the wait, not the counter (it did not run) */

/*
 * @ms in counter ticks, rounded up. Early in boot the frequency is
 * CNTFRQ_EL0's word (the board's clock-frequency comes later), and firmware
 * may have left it 0: then, or past it, 1 GHz, the fastest counter there is
 * (Armv8.6 fixes it there): a slower one only makes a wait longer, never
 * shorter. Not hz / 1000 * ms: 32 ticks a ms at 32 768 Hz, 2 % short.
 */
static uint64_t ms_to_ticks(unsigned int ms)
{
	uint64_t hz = arch_counter_freq();

	return ((hz && hz < 1000000000u ? hz : 1000000000u) * ms + 999) / 1000;
}

void tx_wait_start(struct tx_wait *w, unsigned int ms, uint32_t looks)
{
	w->start = arch_counter_read();
	w->ticks = ms_to_ticks(ms);
	w->looks = looks;
}

bool tx_wait_over(struct tx_wait *w)
{
	if (!w->looks || !--w->looks)
		return true;
	return arch_counter_read() - w->start >= w->ticks;
}

static bool fits(size_t len, uint32_t segs_kept)
{
	return TX_RING - (tail - head) >= len && seg_tail - seg_head < TX_SEGS - segs_kept;
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
		if (!s->len) {
			if (s->share)
				s->share->runs--;
			seg_head++;
		}
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
	if (sent) {
		__atomic_store_n(&direct_vain, false, __ATOMIC_RELAXED);
		__atomic_store_n(&sent_gen, sent_gen + 1, __ATOMIC_RELEASE);
		idle_restart();
	}
	return sent;
}

/* Everything queued dropped, counted; its writers' shares empty (room, as if sent). */
static bool drop_queued(void)
{
	uint32_t n = tail - head;

	if (!n)
		return false;
	dropped += n;
	head = tail;
	segs_consume(n);
	__atomic_store_n(&sent_gen, sent_gen + 1, __ATOMIC_RELEASE);
	return true;
}

/* The UART's transmit interrupt on or off, and irq_on saying which. */
static void irq_set(bool on)
{
	uart_tx_irq(on);
	irq_on = on;
}

/* Bytes were dropped without the UART's interrupt to come: see tell_cells. */
static void tell_later(void)
{
	if (async) {
		tell_cells = true;
		nudge_due = true;
	}
}

/* The UART took nothing for TX_STUCK_MS: a sink from now on (tx_claim() looks for it again). */
static void __cold go_stuck(void)
{
	__atomic_store_n(&stuck, true, __ATOMIC_RELAXED);
	stuck_by_looks = !idle.looks;
	drop_queued();
	if (irq_on)
		irq_set(false);
	tell_later();
}

/* While queued bytes wait: false, or true once the UART has taken none for too long. */
static bool gave_up(void)
{
	bool over = tx_wait_over(&idle);

	if (idle_looks < TX_STUCK_MIN_LOOKS) {
		idle_looks++;
		over = over && !idle.looks; /* only the look bound ends it this early */
	}
	if (!over)
		return false;
	go_stuck();
	return true;
}

/*
 * Stuck: one look (a write's, cheap) whether the UART takes a byte again; if
 * it does, what was lost is told first. The ring is empty (tx_send() drops).
 */
static bool __cold unstuck(void)
{
	char note[256], bound[64];
	int n;

	if (!uart_tx_room())
		return false;
	if (stuck_by_looks)
		snprintf(bound, sizeof(bound),
			 "%u looks at its full FIFO (the counter stood still)", TX_STUCK_LOOKS);
	else
		snprintf(bound, sizeof(bound), "%u ms", TX_STUCK_MS);
	n = snprintf(
		note, sizeof(note),
		"\r\n[bulkhead] WARN: console: UART accepted nothing for %s: output dropped "
		"until it sent again\r\n[bulkhead] console: UART sending again, %lu bytes were "
		"dropped\r\n",
		bound, dropped);
	__atomic_store_n(&stuck, false, __ATOMIC_RELAXED);
	dropped = 0;
	writer = NULL;
	tx_put(note, n > 0 && (size_t)n < sizeof(note) ? (size_t)n : 0);
	/*
	 * Cells refused before it got stuck may wait for their UART's transmit
	 * interrupt, not poll: the first room tells them (their bytes were
	 * dropped, and sent_gen moved).
	 */
	if (async && !irq_on)
		irq_set(true);
	return true;
}

unsigned int console_sent(void)
{
	return __atomic_load_n(&sent_gen, __ATOMIC_ACQUIRE);
}

/* @share's counts as this queue's: none, if they were an abandoned queue's. */
static void share_adopt(struct console_share *share)
{
	if (share->queue != queue_nr)
		*share = (struct console_share){ .queue = queue_nr };
}

bool tx_claim(struct console_share *share, size_t max)
{
	if (share)
		share_adopt(share); /* before tx_put() counts into it, whatever is granted */
	if (uart_dead() || (stuck && !unstuck())) {
		writer = share;
		return true; /* taken, and dropped by tx_send(): nobody waits for it */
	}
	writer = share;
	if (share && async)
		return share->queued < CONSOLE_SHARE && share->runs < TX_SHARE_SEGS &&
		       fits(max + TX_HYP_RESERVE, TX_HYP_RESERVE_SEGS);
	while (!fits(max, 0) && (send_some() || !gave_up()))
		;
	return true;
}

void tx_put(const char *bytes, size_t len)
{
	struct tx_seg *last = &segs[(seg_tail - 1) % TX_SEGS];
	size_t i;

	if (!len)
		return;
	if (head == tail)
		idle_restart();
	for (i = 0; i < len; i++)
		ring[tail++ % TX_RING] = bytes[i];
	if (seg_tail != seg_head && last->share == writer) {
		last->len += (uint32_t)len;
	} else {
		segs[seg_tail++ % TX_SEGS] = (struct tx_seg){ writer, (uint32_t)len };
		if (writer)
			writer->runs++;
	}
	if (writer)
		writer->queued += (uint32_t)len;
}

void tx_drain(void)
{
	static bool dead_told; /* writers are refused no more once it is dead: once is enough */

	if ((stuck || uart_dead()) && drop_queued() && uart_dead() && !dead_told) {
		dead_told = true;
		tell_later();
	}
	if (uart_dead())
		return;
	while (head != tail && (send_some() || !gave_up()))
		;
}

void tx_send(void)
{
	if (stuck || uart_dead() || !async) {
		tx_drain();
		return;
	}
	if (!send_some() && head != tail && gave_up())
		return;
	if (head != tail && !irq_on)
		irq_set(true);
}

/*
 * True when bytes left since the room hook last ran, by this interrupt or by
 * any writer meanwhile: a cell refused with bytes queued is told, even if
 * others' writes sent them all and this interrupt finds nothing to send.
 */
bool tx_irq(void)
{
	bool news = tell_cells;

	tell_cells = false;
	if (irq_on && !uart_dead()) {
		send_some();
		/* Re-armed (acknowledged) while bytes wait, off when none do. */
		irq_set(head != tail);
	} else if (!news) {
		return false; /* the receive side's interrupt: the line is shared */
	}
	news = news || sent_gen != told_sent;
	told_sent = sent_gen;
	return news;
}

bool tx_take_nudge(void)
{
	bool due = nudge_due;

	nudge_due = false;
	return due;
}

void tx_async(void)
{
	async = true;
}

void tx_polled(void)
{
	async = false;
	tx_drain();
}

/*
 * Without the console's lock: whatever another CPU does with the queue meanwhile, only the
 * UART's registers are touched, a byte at a time, and only while it takes them.
 */
void tx_direct(const char *bytes, size_t len)
{
	struct tx_wait w;
	size_t i;

	if (__atomic_load_n(&stuck, __ATOMIC_RELAXED) || uart_dead() ||
	    __atomic_load_n(&direct_vain, __ATOMIC_RELAXED))
		return;
	for (i = 0; i < len; i++) {
		tx_wait_start(&w, TX_STUCK_MS, TX_STUCK_LOOKS);
		while (!uart_tx_room()) {
			if (tx_wait_over(&w)) {
				__atomic_store_n(&direct_vain, true, __ATOMIC_RELAXED);
				return;
			}
		}
		uart_tx_byte(bytes[i]);
	}
}

/*
 * The queue as a CPU left it when it faulted inside it: bytes may have left
 * the ring with their run still counted, or a run may lack its bytes. So
 * every queued byte goes, and a new queue begins: every share is as empty
 * as it is once all is sent, the writer's too (share_adopt()), without a
 * write through any of them: the bad pointer that made the CPU fault may be
 * one. Until 2026-11-24 each was emptied here, in the ring's order; at a bad
 * one the CPU faulted again, and the shares after it kept their counts for
 * good, their cells refused once those were at the limit. The transmit
 * interrupt, if on, finds nothing and turns itself off.
 */
void __cold tx_abandon(void)
{
	writer = NULL;
	head = tail;
	seg_head = seg_tail;
	queue_nr++;
	__atomic_store_n(&sent_gen, sent_gen + 1, __ATOMIC_RELEASE);
}

bool console_uart_dead(void)
{
	return uart_dead();
}

void __cold tx_uart_dead(void)
{
	__atomic_store_n(&dead, true, __ATOMIC_RELAXED);
}
