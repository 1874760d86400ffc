// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console's output (lib/console.c, lib/console_tx.c) on a UART that is
 * slow, as a real one at 115 200 baud is: a 16-byte FIFO that empties only
 * when the test says bytes went down the wire. Before console_tx_async() a
 * writer waits for its bytes to leave; after it nobody waits: a cell that
 * prints without pause is refused once its share is queued, while another
 * cell's line and the hypervisor's are queued at once, and everything queued
 * reaches the wire whole and in order. A cell's virtual UART (partitions/vuart*.c)
 * writes into it as in the hypervisor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"
#include "fake_log.h"
#include "uart.h"
#include "vuart.h"

#define FIFO 16

/* --- a slow UART ---------------------------------------------------------- */

static char wire[1 << 16]; /* every byte written to the UART, in order */
static size_t wire_len;
static unsigned int fifo_level;
static bool drain_when_polled;	/* time passes while a writer waits (polled mode) */
static unsigned int full_polls; /* uart_tx_room() answered 0 */
static bool tx_irq_on;
static unsigned int rooms; /* calls of the console's room hook */
/* The transmitter takes nothing, FIFO empty or not (CTS low, transmit disabled, no clock). */
static bool never_sends;

/* The counter, at 1 MHz: it moves by clock_step ticks at every read (0: it stands still). */
#define COUNTER_HZ 1000000u
static uint64_t counter, clock_step;

uint64_t arch_counter_read(void)
{
	counter += clock_step;
	return counter;
}

uint64_t arch_counter_freq(void)
{
	return COUNTER_HZ;
}

void uart_init(const struct platform_uart *uart)
{
	(void)uart;
}

unsigned int uart_tx_room(void)
{
	if (never_sends) {
		full_polls++;
		return 0;
	}
	if (fifo_level == FIFO) {
		full_polls++;
		if (drain_when_polled)
			fifo_level--; /* one byte went down the wire meanwhile */
		return 0;
	}
	return FIFO - fifo_level;
}

/* Called once from the next uart_tx_byte(), after the byte: a fault in the UART access. */
static void (*fault_in_uart)(void);

void uart_tx_byte(char c)
{
	void (*fault)(void) = fault_in_uart;

	assert_true(fifo_level < FIFO); /* never written while full */
	assert_true(wire_len < sizeof(wire));
	wire[wire_len++] = c;
	fifo_level++;
	fault_in_uart = NULL;
	if (fault)
		fault();
}

void uart_tx_irq(bool enable)
{
	tx_irq_on = enable;
}

bool arch_mmu_enabled(void)
{
	return true;
}

static unsigned int this_cpu; /* the CPU the test runs as; 0 takes the UART's interrupt */

unsigned int arch_cpu_index(void)
{
	return this_cpu;
}

void arch_cpu_relax(void)
{
}

static void room(void)
{
	rooms++;
}

/* The wire took @n bytes: the FIFO has room, and its interrupt is taken if on. */
static void wire_sends(unsigned int n)
{
	fifo_level -= n < fifo_level ? n : fifo_level;
	if (tx_irq_on)
		console_tx_irq();
}

static void wire_sends_all(void)
{
	while (fifo_level || tx_irq_on)
		wire_sends(FIFO);
}

static bool wire_has(const char *text)
{
	wire[wire_len] = '\0';
	return strstr(wire, text) != NULL;
}

/* --- set-up --------------------------------------------------------------- */

static struct platform_uart uart = { .type = UART_PL011 };

/*
 * One console for the whole run (its state is static, as in the hypervisor):
 * the first test leaves it queued (async), and each leaves it drained.
 */
static int console_up(void **state)
{
	(void)state;
	console_init(&uart);
	return 0;
}

/* After a test of a UART that never sends, pass or fail: the wire moves again. */
static int calm(void **state)
{
	(void)state;
	never_sends = false;
	clock_step = 0;
	return 0;
}

static int fresh(void **state)
{
	(void)state;
	wire_sends_all();
	wire_len = 0;
	full_polls = 0;
	rooms = 0;
	return 0;
}

/* --- tests ---------------------------------------------------------------- */

static void guest_writes(struct vuart *u, const char *bytes, size_t n);
static bool guest_putc_polled(struct vuart *u, char c);

#define STUCK_NOTE                                                                                \
	"\r\n[bulkhead] WARN: console: UART accepted nothing for 50 ms: output dropped until it " \
	"sent again\r\n"

/*
 * At boot (writers wait for the wire) a UART that never takes a byte: the
 * first line gives up after 50 ms of counter time, and from then on each
 * write looks at the UART once and drops its bytes, counted. When the UART
 * takes bytes again, output resumes with a line that says what was lost.
 * Before, console_init() spun for ever on it.
 */
static void test_a_uart_that_never_sends_does_not_hang_the_boot(void **state)
{
	struct console_share cell = { 0 };
	char note[256];
	size_t dropped;

	(void)state;
	never_sends = true;
	clock_step = 1000; /* 1 ms a read */
	console_write_line(NULL, "[bulkhead] ", "first line: nobody sees it");
	assert_true(full_polls >= 40 && full_polls <= 60); /* about 50 ms, one look a millisecond */
	full_polls = 0;
	console_write_line(NULL, "[bulkhead] ", "second line: one look");
	assert_true(console_write_line(&cell, "[cell] ", "a cell's line: taken, dropped"));
	assert_int_equal(full_polls, 2);
	assert_int_equal(cell.queued, 0);
	assert_int_equal(wire_len, 0);
	dropped = strlen("[bulkhead] first line: nobody sees it\r\n") +
		  strlen("[bulkhead] second line: one look\r\n") +
		  strlen("[cell] a cell's line: taken, dropped\r\n");
	never_sends = false;
	drain_when_polled = true;
	console_write_line(NULL, "[bulkhead] ", "third line: sent");
	snprintf(note, sizeof(note),
		 STUCK_NOTE "[bulkhead] console: UART sending again, %zu bytes were dropped\r\n"
			    "[bulkhead] third line: sent\r\n",
		 dropped);
	if (!wire_has(note))
		fail_msg("expected on the wire\n%s\ngot\n%s", note, wire);
	drain_when_polled = false;
	clock_step = 0;
}

/*
 * Before the interrupt is there (boot) the writer waits, as a polled console
 * does: all of its line is sent through a FIFO that empties only while it
 * waits. Then the console goes queued, for the tests after this one.
 */
static void test_polled_console_waits_for_the_wire(void **state)
{
	struct console_share cell = { 0 };

	(void)state;
	drain_when_polled = true;
	assert_true(console_write_line(&cell, "[bulkhead] ", "polled: waits for the wire"));
	assert_true(wire_has("[bulkhead] polled: waits for the wire\r\n"));
	assert_int_equal(full_polls, strlen("[bulkhead] polled: waits for the wire\r\n") - FIFO);
	assert_int_equal(cell.queued, 0);
	assert_false(tx_irq_on);
	drain_when_polled = false;
	fifo_level = 0;
	console_tx_async(room);
}

/* Queued: the writer puts what the FIFO takes and leaves; the interrupt sends the rest. */
static void test_a_line_is_queued_and_sent_by_the_interrupt(void **state)
{
	struct console_share cell = { 0 };

	(void)state;
	assert_true(console_write_line(&cell, "[a] ", "a line longer than the FIFO is deep"));
	assert_int_equal(wire_len, FIFO);
	assert_int_equal(full_polls, 1); /* asked once, found full, left */
	assert_true(tx_irq_on);
	assert_int_equal(cell.queued, strlen("[a] a line longer than the FIFO is deep\r\n") - FIFO);
	wire_sends_all();
	assert_true(wire_has("[a] a line longer than the FIFO is deep\r\n"));
	assert_int_equal(cell.queued, 0);
	assert_false(tx_irq_on); /* off once nothing waits */
	assert_true(rooms > 0);
}

/*
 * After boot (queued), a UART that never takes a byte: a cell printing as
 * Linux's console does, waiting for UARTFR.TXFF to clear before each byte, is
 * refused at its share as on a slow UART, until 50 ms have passed without a
 * byte taken; then its lines are taken and dropped, and TXFF clears. The
 * hypervisor's line and a flush return at once. Before, the cell waited for
 * ever, and so did the flush. When the UART sends again, so does the console.
 */
static void test_a_uart_that_never_sends_stops_no_cell_and_no_cpu(void **state)
{
	static struct vuart printk; /* zeroed, as vuart_reset() wants */
	char text[64];
	unsigned int i;
	size_t k;

	(void)state;
	never_sends = true;
	clock_step = 1000;
	vuart_reset(&printk, "printk");
	for (i = 0; i < 100; i++) {
		snprintf(text, sizeof(text), "line %03u of a cell printing as Linux does\n", i);
		for (k = 0; text[k]; k++)
			if (!guest_putc_polled(&printk, text[k]))
				fail_msg("line %u: UARTFR.TXFF never cleared: the cell waits for "
					 "ever",
					 i);
	}
	assert_int_equal(printk.share.queued, 0);
	full_polls = 0;
	console_write_line(NULL, "[bulkhead] ", "the hypervisor's line");
	this_cpu = 2;
	console_flush();
	this_cpu = 0;
	assert_true(full_polls <= 2);
	assert_false(tx_irq_on);
	assert_int_equal(wire_len, 0);
	never_sends = false;
	clock_step = 0;
	console_write_line(NULL, "[bulkhead] ", "sending again");
	guest_writes(&printk, "after it\n", 9);
	rooms = 0;
	wire_sends_all();
	assert_true(wire_has(STUCK_NOTE));
	assert_true(wire_has("\r\n[bulkhead] sending again\r\n[printk] after it\r\n"));
	assert_true(rooms > 0);
}

/*
 * The same, polled, on a counter that does not run (a system counter firmware
 * never enabled): the wait ends after a bounded number of looks instead.
 */
static void test_a_uart_that_never_sends_is_given_up_on_a_stopped_counter(void **state)
{
	(void)state;
	console_flush(); /* on CPU 0, the interrupt's: writers wait from now on */
	never_sends = true;
	console_write_line(NULL, "[bulkhead] ", "nobody sees it");
	assert_int_equal(full_polls, 1u << 22);
	full_polls = 0;
	console_write_line(NULL, "[bulkhead] ", "nor this");
	assert_int_equal(full_polls, 1);
	never_sends = false;
	console_tx_async(room);
	console_write_line(NULL, "[bulkhead] ", "sent");
	wire_sends_all();
	assert_true(wire_has(STUCK_NOTE));
	assert_true(wire_has("[bulkhead] sent\r\n"));
	assert_false(wire_has("nobody sees it"));
}

/*
 * A cell that prints without pause: its lines are queued until its share is
 * full, then refused without waiting; another cell's line and the
 * hypervisor's go in at once; when the wire has sent its bytes it is taken
 * again. Every queued line reaches the wire whole and in order.
 */
static void test_a_flooding_cell_is_refused_and_others_are_not(void **state)
{
	struct console_share flood = { 0 }, quiet = { 0 };
	char text[96], expect[96];
	unsigned int queued = 0, i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "flood line %03u of a cell printing without pause", i);
		if (!console_write_line(&flood, "[flood] ", text))
			break;
		queued++;
	}
	assert_true(queued > 0 && queued < 1000);
	assert_true(flood.queued >= CONSOLE_SHARE && flood.queued < CONSOLE_SHARE + 128);
	/* At most one look at a full FIFO per line, the refused one's too: no waiting. */
	assert_true(full_polls <= queued + 1);
	assert_false(console_write_line(&flood, "[flood] ", "still refused"));
	assert_true(console_write_line(&quiet, "[quiet] ", "a real-time cell's line"));
	console_write_line(NULL, "[bulkhead] ", "the hypervisor's line");
	wire_sends_all();
	for (i = 0; i < queued; i++) {
		snprintf(expect, sizeof(expect),
			 "[flood] flood line %03u of a cell printing without pause\r\n", i);
		assert_true(wire_has(expect));
	}
	assert_false(wire_has("still refused"));
	assert_true(wire_has("\r\n[quiet] a real-time cell's line\r\n[bulkhead] the hypervisor's "
			     "line\r\n"));
	assert_int_equal(flood.queued, 0);
	assert_int_equal(quiet.queued, 0);
	assert_true(console_write_line(&flood, "[flood] ", "taken again"));
	wire_sends_all();
	assert_true(wire_has("[flood] taken again\r\n"));
}

/* Eight cells all flooding leave room for the hypervisor: its lines never wait for theirs. */
static void test_every_cell_flooding_leaves_room_for_the_hypervisor(void **state)
{
	struct console_share cells[8] = { 0 };
	char line[200];
	unsigned int c, refused = 0;

	(void)state;
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	while (refused < 8) {
		refused = 0;
		for (c = 0; c < 8; c++)
			refused += !console_write_line(&cells[c], "[cell] ", line);
	}
	full_polls = 0;
	console_write_line(NULL, "[bulkhead] ", "ERROR: a fault, told at once");
	assert_int_equal(full_polls, 1); /* queued behind theirs, without waiting */
	wire_sends_all();
	assert_true(wire_has("[bulkhead] ERROR: a fault, told at once\r\n"));
}

/*
 * A cell printing empty lines makes a run per line: it is refused after its
 * runs (48) long before its bytes, and another cell is still taken at once.
 */
static void test_a_cell_of_empty_lines_is_refused_by_its_runs_and_others_are_not(void **state)
{
	struct console_share empty = { 0 }, other = { 0 };
	unsigned int queued = 0;

	(void)state;
	while (console_write_line(&empty, "[e] ", "")) {
		console_write_line(NULL, "[bulkhead] ", ""); /* no two runs of one writer merge */
		queued++;
	}
	assert_int_equal(empty.runs, 48); /* refused at its runs (a first one left at once) */
	assert_true(queued >= 48 && queued <= 50);
	assert_true(empty.queued < CONSOLE_SHARE);
	assert_true(console_write_line(&other, "[o] ", "taken at once"));
	wire_sends_all();
	assert_true(wire_has("[o] taken at once\r\n"));
	assert_int_equal(empty.runs, 0);
	assert_int_equal(other.runs, 0);
}

/*
 * A cell refused while other writers send the ring empty is still told of
 * room by the next transmit interrupt, though that one finds nothing to send.
 */
static void test_room_made_by_other_writers_is_told(void **state)
{
	struct console_share cell = { 0 };

	(void)state;
	while (console_write_line(&cell, "[c] ", "filling its share"))
		;
	/* The interrupt is late, and another CPU sends the whole ring meanwhile. */
	console_write_line(NULL, "[bulkhead] ", "another CPU's line");
	drain_when_polled = true;
	this_cpu = 1;
	console_flush();
	this_cpu = 0;
	drain_when_polled = false;
	assert_int_equal(cell.queued, 0);
	fifo_level = 0;
	rooms = 0;
	console_tx_irq(); /* nothing left to send, yet room came */
	assert_int_equal(rooms, 1);
	assert_false(tx_irq_on);
}

/* A cell's unfinished line is refused like its whole ones; the hypervisor's shell is not. */
static void test_a_cells_partial_line_is_refused_when_its_share_is_full(void **state)
{
	struct console_share cell = { 0 };

	(void)state;
	while (console_write_line(&cell, "[live] ", "filling the share of the live cell"))
		;
	assert_false(console_write_partial(&cell, "[live] ", "prompt# ", 8));
	console_write_raw("bulkhead> ");
	wire_sends_all();
	assert_false(wire_has("prompt#"));
	assert_true(wire_has("bulkhead> "));
	assert_true(console_write_partial(&cell, "[live] ", "prompt# ", 8));
	console_end_partial("[live] ");
	console_write_raw("\r\n");
	wire_sends_all();
	assert_true(wire_has("[live] prompt# \r\n"));
}

/* Another CPU parking sends everything first; the interrupt still comes and tells. */
static void test_flush_on_another_cpu_sends_everything_and_stays_queued(void **state)
{
	struct console_share cell = { 0 };

	(void)state;
	console_write_line(&cell, "[a] ", "queued before a CPU parks");
	drain_when_polled = true;
	this_cpu = 2;
	console_flush();
	this_cpu = 0;
	drain_when_polled = false;
	assert_true(wire_has("[a] queued before a CPU parks\r\n"));
	assert_true(tx_irq_on);
	rooms = 0;
	wire_sends_all();
	assert_int_equal(rooms, 1);
	full_polls = 0;
	console_write_line(&cell, "[a] ", "still queued: the writer does not wait for the wire");
	assert_int_equal(full_polls, 1);
	wire_sends_all(); /* before @cell goes: the ring counts its bytes in it */
}

/* The CPU that takes the interrupt parking: everything sent, and from then on writers wait. */
static void test_flush_sends_everything_and_stays_polled(void **state)
{
	struct console_share cell = { 0 };

	(void)state;
	console_write_line(&cell, "[a] ", "queued before the panic");
	drain_when_polled = true;
	console_flush();
	assert_true(wire_has("[a] queued before the panic\r\n"));
	assert_int_equal(cell.queued, 0);
	assert_true(console_write_line(&cell, "[a] ", "after it: the writer waits"));
	assert_true(wire_has("[a] after it: the writer waits\r\n"));
	assert_int_equal(cell.queued, 0);
	drain_when_polled = false;
	console_tx_async(room); /* for the tests after this one */
}

/*
 * The CPU that takes the transmit interrupt busy with its interrupts masked
 * (its cell reloading, the shell waiting for a stop): a refused cell's own
 * writes, and its pokes while it polls for room, move the queue.
 */
static void test_refused_writers_and_pokes_move_the_queue(void **state)
{
	struct console_share flood = { 0 };
	char text[96];
	unsigned int i, gen;
	size_t before;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "flood line %03u of a cell printing without pause", i);
		if (!console_write_line(&flood, "[flood] ", text))
			break;
	}
	fifo_level = 0; /* the wire took the FIFO; nobody takes the interrupt */
	before = wire_len;
	gen = console_sent();
	assert_false(console_write_line(&flood, "[flood] ", "retry"));
	assert_int_equal(wire_len - before, FIFO);
	assert_int_not_equal(console_sent(), gen); /* news of room: the held line is offered */
	fifo_level = 0;
	before = wire_len;
	console_tx_poke();
	assert_int_equal(wire_len - before, FIFO);
	wire_sends_all();
}

/* --- a CPU reporting a fault (console_panic_enter()) ----------------------- */

static jmp_buf parked; /* arch_cpu_park(): the faulting CPU's code never goes on */

/* report_unexpected() on CPU 3, for a fault in the UART access it was making. */
static void cpu3_faults_in_the_uart(void)
{
	console_panic_enter();
	console_write_line(NULL, "[bulkhead] ", "ERROR: unexpected exception on CPU 3: SError");
	console_flush();
	longjmp(parked, 1);
}

/*
 * A fault inside the console, on the CPU holding its lock (a UART access
 * that takes an SError): the report goes straight to the UART, and the lock
 * is let go, so the other CPUs run on. Before, the report spun for ever on
 * the lock its own CPU held, and so did every CPU that printed next.
 */
static void test_a_fault_inside_the_console_is_reported_past_its_own_lock(void **state)
{
	struct console_share other = { 0 };

	(void)state;
	this_cpu = 3;
	drain_when_polled = true; /* the report waits for room, and the wire sends */
	fault_in_uart = cpu3_faults_in_the_uart;
	if (!setjmp(parked))
		console_write_line(NULL, "[bulkhead] ", "a line being sent when the UART faulted");
	drain_when_polled = false;
	this_cpu = 1;
	assert_true(wire_has("[\r\n[bulkhead] ERROR: unexpected exception on CPU 3: SError\r\n"));
	assert_true(console_write_line(&other, "[other] ", "CPU 1 runs on"));
	this_cpu = 0;
	wire_sends_all();
	assert_true(wire_has("[other] CPU 1 runs on\r\n"));
	assert_int_equal(other.queued, 0);
}

static uint64_t cpu5_waited; /* ticks CPU 5's report took */

/* panic() on CPU 5 while CPU 4 is inside the console, and stays there. */
static void cpu5_panics(void)
{
	uint64_t start = counter;

	this_cpu = 5;
	clock_step = 1000; /* 1 ms a read */
	console_panic_enter();
	console_write_line(NULL, "[bulkhead] ", "ERROR: panic: CPU 5");
	console_flush(); /* the lock is CPU 4's: nothing to send */
	cpu5_waited = counter - start;
	clock_step = 0;
	this_cpu = 4;
}

/*
 * A fault on a CPU while another keeps the console's lock (here for as long
 * as the report would wait): after 100 ms the report goes straight to the
 * UART, in the middle of the other CPU's line if need be. Before, it waited
 * as long as the lock was kept, for ever if its holder never let go.
 */
static void test_a_fault_while_another_cpu_keeps_the_console_is_reported_after_100_ms(void **state)
{
	(void)state;
	this_cpu = 4;
	drain_when_polled = true;
	fifo_level = FIFO - 1; /* room for one byte: CPU 4 looks again after it */
	fault_in_uart = cpu5_panics;
	console_write_line(NULL, "[bulkhead] ", "CPU 4's line, sent while CPU 5 panics");
	drain_when_polled = false;
	this_cpu = 0;
	wire_sends_all();
	assert_true(wire_has("[\r\n[bulkhead] ERROR: panic: CPU 5\r\nbulkhead] CPU 4's line"));
	assert_true(cpu5_waited >= 100 * COUNTER_HZ / 1000);
	assert_true(cpu5_waited < 200 * COUNTER_HZ / 1000);
}

/* With the lock free, a report is queued behind the lines before it, as any line is. */
static void test_a_fault_with_the_console_free_is_queued_in_order(void **state)
{
	struct console_share cell = { 0 };

	(void)state;
	this_cpu = 6;
	console_write_line(&cell, "[a] ", "a line queued before the panic");
	console_panic_enter();
	console_write_line(NULL, "[bulkhead] ", "ERROR: panic: CPU 6");
	drain_when_polled = true;
	console_flush();
	drain_when_polled = false;
	this_cpu = 0;
	assert_true(wire_has(
		"[a] a line queued before the panic\r\n[bulkhead] ERROR: panic: CPU 6\r\n"));
	assert_int_equal(cell.queued, 0);
	wire_sends_all();
}

/* CPU 7's report of a UART fault faults in the UART again. */
static void cpu7_faults_again(void)
{
	console_panic_enter();
	console_write_line(NULL, "[bulkhead] ", "ERROR: the second fault's report");
	console_flush();
	longjmp(parked, 1);
}

static void cpu7_faults_in_the_uart(void)
{
	console_panic_enter();
	fault_in_uart = cpu7_faults_again; /* in the report's first byte */
	console_write_line(NULL, "[bulkhead] ", "ERROR: the first fault's report");
	console_flush();
	longjmp(parked, 1);
}

/*
 * A fault in the report of a fault inside the console: the next report is
 * not tried (it would fault again, and again), and the CPU parks. It leaves
 * the console locked for good: the last test.
 */
static void test_a_fault_in_the_report_of_a_fault_in_the_uart_ends_it(void **state)
{
	(void)state;
	this_cpu = 7;
	drain_when_polled = true;
	fault_in_uart = cpu7_faults_in_the_uart;
	if (!setjmp(parked))
		console_write_line(NULL, "[bulkhead] ", "a line being sent when the UART faulted");
	drain_when_polled = false;
	this_cpu = 0;
	assert_true(wire_has("[\r"));
	assert_false(wire_has("second fault"));
}

/* --- a cell's virtual UART on it ------------------------------------------ */

#define UARTDR 0x000

static void guest_writes(struct vuart *u, const char *bytes, size_t n)
{
	struct mmio_access acc = { .ipa = 0x09000000 + UARTDR, .size = 1, .write = true };
	size_t i;

	for (i = 0; i < n; i++) {
		acc.value = (uint8_t)bytes[i];
		assert_int_equal(vuart_access(u, UARTDR, &acc), 0);
	}
}

#define UARTFR	    0x018
#define UARTFR_TXFF (1u << 5)

/* As Linux's PL011 console writes: TXFF polled until clear, then the byte. False if never. */
static bool guest_putc_polled(struct vuart *u, char c)
{
	struct mmio_access fr = { .ipa = 0x09000000 + UARTFR, .size = 4 };
	unsigned int polls;

	for (polls = 0; polls < 1000; polls++) {
		assert_int_equal(vuart_access(u, UARTFR, &fr), 0);
		if (!(fr.value & UARTFR_TXFF)) {
			guest_writes(u, &c, 1);
			return true;
		}
	}
	return false;
}

/*
 * A cell that restarts in a loop, leaving each boot an unfinished line of 158
 * C1 bytes (three characters each in caret form), on a wire that takes a byte
 * only when a writer finds the FIFO full. Each stop's flush is charged to the
 * cell's share: it never fills the ring, never waits for the wire, and another
 * cell's lines are queued at once all along. Forced out, from about the 30th
 * restart the ring was full, the other cell was refused and each flush waited
 * for some 490 bytes to leave.
 */
static void test_a_cell_restarting_in_a_loop_leaves_room_for_the_others(void **state)
{
	static struct vuart storm, quiet; /* zeroed, as vuart_reset() wants */
	const char line[] = "a real-time cell's line\n";
	char c1[158];
	unsigned int round, polls;

	(void)state;
	fake_log_reset();
	memset(c1, 0x9b, sizeof(c1));
	vuart_reset(&storm, "storm");
	vuart_reset(&quiet, "quiet");
	drain_when_polled = true;
	for (round = 1; round <= 100; round++) {
		guest_writes(&storm, c1, sizeof(c1));
		polls = full_polls;
		vuart_flush(&storm, false);
		if (full_polls - polls > 1)
			fail_msg(
				"restart %u: the flush found the FIFO full %u times: it waited for "
				"the wire",
				round, full_polls - polls);
		vuart_reset(&storm, "storm");
		if (round % 10)
			continue;
		guest_writes(&quiet, line, strlen(line));
		if (quiet.held)
			fail_msg("restart %u: the other cell's line was refused (its share %u "
				 "bytes, "
				 "the restarting cell's %u)",
				 round, quiet.share.queued, storm.share.queued);
	}
	assert_true(storm.share.queued > 0 && storm.share.queued < 2 * CONSOLE_SHARE);
	assert_true(storm.flush_dropped > 0);
	assert_logged("[storm] console: ");
	assert_logged(" line(s) it left at a stop or restart not shown");
	drain_when_polled = false;
	wire_sends_all();
	assert_true(wire_has("\r\n[quiet] a real-time cell's line\r\n"));
	assert_true(wire_has("\r\n[storm] ^[[^[[^[["));
}

/*
 * The cell with the keyboard: its unfinished line, shown as it grows, and
 * the whole line reach the wire with its escapes as they are but Ctrl-] as
 * ^] (a terminal reporting this title would type Ctrl-] h into the console).
 */
static void test_a_live_cells_ctrl_bracket_reaches_the_wire_in_caret_form(void **state)
{
	static struct vuart live; /* zeroed, as vuart_reset() wants */
	const char title[] = "\x1b]2;\x1dhstop victim\r\x07\x1b[21t";

	(void)state;
	vuart_reset(&live, "live");
	vuart_set_live(&live, true);
	guest_writes(&live, title, strlen(title));
	wire_sends_all();
	assert_true(wire_has("[live] \x1b]2;^]hstop victim\x07\x1b[21t"));
	assert_null(memchr(wire, CONSOLE_ESCAPE, wire_len));
	guest_writes(&live, "\x1d\n", 2);
	vuart_set_live(&live, false);
	wire_sends_all();
	assert_true(wire_has("[live] \x1b]2;^]hstop victim\x07\x1b[21t^]\r\n"));
	assert_null(memchr(wire, CONSOLE_ESCAPE, wire_len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_uart_that_never_sends_does_not_hang_the_boot,
						fresh, calm),
		cmocka_unit_test_setup(test_polled_console_waits_for_the_wire, fresh),
		cmocka_unit_test_setup(test_a_line_is_queued_and_sent_by_the_interrupt, fresh),
		cmocka_unit_test_setup_teardown(
			test_a_uart_that_never_sends_stops_no_cell_and_no_cpu, fresh, calm),
		cmocka_unit_test_setup_teardown(
			test_a_uart_that_never_sends_is_given_up_on_a_stopped_counter, fresh, calm),
		cmocka_unit_test_setup(test_a_flooding_cell_is_refused_and_others_are_not, fresh),
		cmocka_unit_test_setup(test_every_cell_flooding_leaves_room_for_the_hypervisor,
				       fresh),
		cmocka_unit_test_setup(
			test_a_cell_of_empty_lines_is_refused_by_its_runs_and_others_are_not,
			fresh),
		cmocka_unit_test_setup(test_room_made_by_other_writers_is_told, fresh),
		cmocka_unit_test_setup(test_a_cells_partial_line_is_refused_when_its_share_is_full,
				       fresh),
		cmocka_unit_test_setup(test_flush_on_another_cpu_sends_everything_and_stays_queued,
				       fresh),
		cmocka_unit_test_setup(test_refused_writers_and_pokes_move_the_queue, fresh),
		cmocka_unit_test_setup(test_a_cell_restarting_in_a_loop_leaves_room_for_the_others,
				       fresh),
		cmocka_unit_test_setup(
			test_a_live_cells_ctrl_bracket_reaches_the_wire_in_caret_form, fresh),
		cmocka_unit_test_setup(
			test_a_fault_inside_the_console_is_reported_past_its_own_lock, fresh),
		cmocka_unit_test_setup(
			test_a_fault_while_another_cpu_keeps_the_console_is_reported_after_100_ms,
			fresh),
		cmocka_unit_test_setup(test_a_fault_with_the_console_free_is_queued_in_order,
				       fresh),
		cmocka_unit_test_setup(test_flush_sends_everything_and_stays_polled, fresh),
		cmocka_unit_test_setup(test_a_fault_in_the_report_of_a_fault_in_the_uart_ends_it,
				       fresh),
	};

	return cmocka_run_group_tests(tests, console_up, NULL);
}
