// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console (lib/console.c, lib/console_tx.c) when something goes wrong
 * under it: a UART that never takes a byte, at boot and after, and a CPU
 * that reports a fault (console_panic_enter()) with the console's lock held
 * by itself or kept by another CPU. Each case used to hang; here it must
 * return, and the output say what happened. On the slow UART of
 * console_wire.c.
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
#include "console_wire.h"
#include "mmio.h"
#include "vuart.h"

/* --- a UART that never sends ---------------------------------------------- */

#define STUCK_NOTE                                                                               \
	"\r\n[bulkhead] WARN: console: UART accepted nothing for 1000 ms: output dropped until " \
	"it "                                                                                    \
	"sent again\r\n"

/*
 * At boot (writers wait for the wire) a UART that never takes a byte: the
 * first line gives up after 1 s of counter time, and from then on each
 * write looks at the UART once and drops its bytes, counted. When the UART
 * takes bytes again, output resumes with a line that says what was lost.
 * Before, console_init() spun for ever on it. Then the console goes queued.
 */
static void test_a_uart_that_never_sends_does_not_hang_the_boot(void **state)
{
	struct console_share cell = { 0 };
	char note[256];
	size_t dropped;

	uint64_t began;

	(void)state;
	never_sends = true;
	/*
	 * A 32 768 Hz counter, 32 ticks a read: the wait is a whole second of it.
	 * Until 2026-11-24 it was 32 ticks a ms, 32 000 of them, 2 % short.
	 */
	counter_hz = 32768;
	clock_step = 32;
	began = counter;
	console_write_line(NULL, "[bulkhead] ", "first line: nobody sees it");
	if (counter - began < 32768 || counter - began > 32768 + 2 * clock_step)
		fail_msg("the stuck UART was waited on for %llu ticks of a 32768 Hz counter",
			 (unsigned long long)(counter - began));
	assert_true(full_polls >= 950 &&
		    full_polls <= 1050); /* about 1 s, one look a millisecond */
	counter_hz = COUNTER_HZ;
	clock_step = 1000; /* 1 ms a read */
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
	console_tx_async(wire_room, wire_nudge); /* queued, for the tests after this one */
}

/*
 * After boot (queued), a UART that never takes a byte: a cell printing as
 * Linux's console does, waiting for UARTFR.TXFF to clear before each byte, is
 * refused at its share as on a slow UART, until 1 s has passed without a
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
 * never enabled): the wait ends after a bounded number of looks instead, and
 * the note says so (until 2026-11-23 it said 1000 ms, which never passed).
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
	console_tx_async(wire_room, wire_nudge);
	console_write_line(NULL, "[bulkhead] ", "sent");
	wire_sends_all();
	assert_true(wire_has("UART accepted nothing for 4194304 looks at its full FIFO (the "
			     "counter stood still): output dropped"));
	assert_true(wire_has("[bulkhead] sent\r\n"));
	assert_false(wire_has("nobody sees it"));
}

/*
 * A leap of the counter while nobody waits is no sign of a stuck UART: under
 * QEMU's -icount sleep=off the counter skips the time every CPU idles, while
 * the host drains the UART in its own time. The writes after the leap find
 * it full for a moment, queue, and all goes out once it drains. Before, the
 * first write after the leap gave the UART up and dropped the rest (a shell's
 * output, in CI).
 */
static void test_a_counter_leap_while_nobody_waits_drops_nothing(void **state)
{
	(void)state;
	console_tx_async(wire_room, wire_nudge);
	fifo_level = FIFO; /* full: the host has not drained it yet */
	console_write_line(NULL, "[bulkhead] ", "before the leap");
	counter += 5 * COUNTER_HZ; /* 5 s, every CPU idle */
	console_write_line(NULL, "[bulkhead] ", "after the leap");
	console_write_line(NULL, "[bulkhead] ", "and another");
	wire_sends_all();
	assert_false(wire_has("accepted nothing"));
	assert_true(wire_has("[bulkhead] before the leap\r\n[bulkhead] after the leap\r\n"
			     "[bulkhead] and another\r\n"));
}

/*
 * A cell that waits for its UART's transmit interrupt instead of polling
 * UARTFR (an interrupt-driven driver between printks) is told when the UART
 * is given up: its held line is dropped, its FIFO empties and TXRIS rises.
 * Nothing else raises it: the UART's own interrupt never comes (it takes
 * nothing), and the guest does not look. So the console makes the boot CPU
 * take that interrupt anyway (the nudge). Before, the cell's writer waited
 * for ever.
 */
static struct vuart waiting; /* zeroed, as vuart_reset() wants */
static unsigned int waiting_told;

static void waiting_room(void)
{
	rooms++;
	if (vuart_push(&waiting))
		waiting_told++;
}

#define UARTRIS	      0x03c
#define UARTRIS_TXRIS (1u << 5)

static bool waiting_txris(void)
{
	struct mmio_access ris = { .ipa = 0x09000000 + UARTRIS, .size = 4 };

	assert_in_range(vuart_access(&waiting, UARTRIS, &ris), 0, VUART_LINE_MOVED);
	return ris.value & UARTRIS_TXRIS;
}

static void
test_a_cell_waiting_for_its_transmit_interrupt_is_told_when_the_uart_is_given_up(void **state)
{
	static const char line[] = "a line of a cell that waits for its interrupt\n";
	unsigned int i;

	(void)state;
	console_tx_async(waiting_room, wire_nudge);
	vuart_reset(&waiting, "waiting");
	never_sends = true;
	for (i = 0; i < 1000 && waiting_txris(); i++)
		guest_writes(&waiting, line, sizeof(line) - 1);
	assert_false(waiting_txris()); /* its line is held: the console refused it */
	clock_step = 1000;
	nudges = 0;
	for (i = 0; i < 100000 && !nudges; i++)
		console_write_line(NULL, "[bulkhead] ", "the hypervisor's line");
	assert_int_equal(nudges, 1);
	assert_false(waiting_txris());
	/* The boot CPU takes the interrupt the nudge set pending. */
	console_tx_irq();
	assert_int_equal(waiting_told, 1);
	assert_true(waiting_txris());
	assert_int_equal(waiting.share.queued, 0);
	assert_int_equal(wire_len, 0);
	never_sends = false;
	clock_step = 0;
	console_tx_async(wire_room, wire_nudge);
	console_write_line(NULL, "[bulkhead] ", "sending again");
	wire_sends_all();
	assert_true(wire_has(STUCK_NOTE));
	assert_int_equal(nudges, 1); /* once per time it is given up */
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
 * as the report would wait): after 1.5 s the report goes straight to the
 * UART, in the middle of the other CPU's line if need be. Not before: a
 * holder may wait 1 s for a UART that holds the line (flow control) before
 * the queue gives it up, and a report that did not wait that long cut into
 * a line that was going to finish (until 2026-11-23 it waited 100 ms). At
 * first it waited as long as the lock was kept, for ever if never let go.
 */
static void test_a_fault_while_another_cpu_keeps_the_console_is_reported_after_1500_ms(void **state)
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
	if (cpu5_waited < 1500 * COUNTER_HZ / 1000 || cpu5_waited > 1600 * COUNTER_HZ / 1000)
		fail_msg("the report waited %llu ms for the lock, not about 1500 (the queue waits "
			 "1000 for a UART that holds the line)",
			 (unsigned long long)(cpu5_waited * 1000 / COUNTER_HZ));
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

static uint64_t cpu8_reported; /* ticks CPU 8's report took */

/*
 * report_unexpected() on CPU 8 for a fault inside the console, its lock held,
 * as the UART stops sending: 13 lines, each written straight to the UART.
 */
static void cpu8_faults_as_the_uart_sticks(void)
{
	uint64_t start = counter;
	unsigned int i;

	never_sends = true;
	clock_step = 1000; /* 1 ms a read */
	console_panic_enter();
	for (i = 0; i < 13; i++)
		console_write_line(NULL, "[bulkhead] ", "ERROR: a line of the report");
	console_flush();
	cpu8_reported = counter - start;
	longjmp(parked, 1);
}

/*
 * A report written straight to a UART that takes nothing waits 1 s once, for
 * its first byte, and drops the rest at once: the console's lock (its own,
 * here) is held that long, not a second per write. Before, each of the
 * report's 52 writes waited its second: nearly a minute with every printing
 * CPU and every cell's virtual UART spinning behind the lock.
 */
static void test_a_report_to_a_uart_that_takes_nothing_waits_once(void **state)
{
	(void)state;
	this_cpu = 8;
	fault_in_uart = cpu8_faults_as_the_uart_sticks;
	if (!setjmp(parked))
		console_write_line(NULL, "[bulkhead] ", "a line being sent when the UART stuck");
	never_sends = false;
	clock_step = 0;
	this_cpu = 0;
	if (cpu8_reported < 1000 * COUNTER_HZ / 1000 || cpu8_reported > 1100 * COUNTER_HZ / 1000)
		fail_msg("the report took %llu ms, not about 1000",
			 (unsigned long long)(cpu8_reported * 1000 / COUNTER_HZ));
	console_write_line(NULL, "[bulkhead] ", "sent again");
	wire_sends_all();
	assert_true(wire_has("[bulkhead] sent again\r\n"));
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
 * A fault in the report of a fault inside the console (a UART whose every
 * access takes an external abort): the next report is not tried (it would
 * fault again, and again), the lock is let go, and the CPU parks. Nobody
 * touches the UART again: another CPU's lines return, dropped. Before, the
 * CPU parked holding the lock, and every CPU that printed next spun for ever.
 * It leaves the UART given up for good: the last test.
 */
static void test_a_fault_in_the_report_of_a_fault_in_the_uart_ends_it(void **state)
{
	struct console_share cell = { 0 };
	unsigned int touched;

	(void)state;
	nudges = 0;
	rooms = 0;
	this_cpu = 7;
	drain_when_polled = true;
	fault_in_uart = cpu7_faults_in_the_uart;
	if (!setjmp(parked))
		console_write_line(NULL, "[bulkhead] ", "a line being sent when the UART faulted");
	drain_when_polled = false;
	assert_true(wire_has("[\r"));
	assert_false(wire_has("second fault"));
	touched = uart_accesses;
	this_cpu = 1;
	assert_true(console_write_line(&cell, "[cell] ", "CPU 1 runs on"));
	console_write_line(NULL, "[bulkhead] ", "so does the hypervisor");
	this_cpu = 0;
	console_flush();
	assert_int_equal(cell.queued, 0);
	/*
	 * What was queued went without the UART's interrupt, which will not come:
	 * the boot CPU is made to take it anyway, and tells (cells refused meanwhile).
	 */
	assert_int_equal(nudges, 1);
	console_tx_irq();
	assert_int_equal(rooms, 1);
	if (uart_accesses != touched)
		fail_msg("the faulting UART was touched %u more times", uart_accesses - touched);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: the console waits for the wire until the test makes it queued. */
		cmocka_unit_test_setup_teardown(test_a_uart_that_never_sends_does_not_hang_the_boot,
						wire_fresh, wire_calm),
		cmocka_unit_test_setup_teardown(
			test_a_uart_that_never_sends_stops_no_cell_and_no_cpu, wire_fresh,
			wire_calm),
		cmocka_unit_test_setup_teardown(
			test_a_uart_that_never_sends_is_given_up_on_a_stopped_counter, wire_fresh,
			wire_calm),
		cmocka_unit_test_setup_teardown(
			test_a_counter_leap_while_nobody_waits_drops_nothing, wire_fresh,
			wire_calm),
		cmocka_unit_test_setup_teardown(
			test_a_cell_waiting_for_its_transmit_interrupt_is_told_when_the_uart_is_given_up,
			wire_fresh, wire_calm),
		cmocka_unit_test_setup(
			test_a_fault_inside_the_console_is_reported_past_its_own_lock, wire_fresh),
		cmocka_unit_test_setup(
			test_a_fault_while_another_cpu_keeps_the_console_is_reported_after_1500_ms,
			wire_fresh),
		cmocka_unit_test_setup(test_a_fault_with_the_console_free_is_queued_in_order,
				       wire_fresh),
		cmocka_unit_test_setup_teardown(
			test_a_report_to_a_uart_that_takes_nothing_waits_once, wire_fresh,
			wire_calm),
		/* Last: it leaves the UART given up for good. */
		cmocka_unit_test_setup(test_a_fault_in_the_report_of_a_fault_in_the_uart_ends_it,
				       wire_fresh),
	};

	return cmocka_run_group_tests(tests, wire_console_up, NULL);
}
