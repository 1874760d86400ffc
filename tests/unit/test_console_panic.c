// SPDX-License-Identifier: GPL-2.0-only
/*
 * A CPU that faults inside the console's queue (lib/console.c,
 * lib/console_tx.c) and reports it as report_unexpected() does: what it
 * leaves behind must let every other CPU print on. The faults are real: a
 * share that points into a page nothing may touch (mmap PROT_NONE), caught
 * as SIGSEGV and taken from a fresh start, as vectors.S's fault entry takes
 * an EL2 fault (the CPU's code never goes on). On the slow UART of
 * console_wire.c.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "console.h"
#include "console_wire.h"

static sigjmp_buf faulted; /* the fault entry: every fault starts over from here */
static jmp_buf parked;	   /* arch_cpu_park(): the faulting CPU's code never goes on */
static unsigned int faults;

static void fault_entry(int sig)
{
	(void)sig;
	faults++;
	siglongjmp(faulted, 1);
}

static struct console_share *unmapped_share(void)
{
	void *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(page != MAP_FAILED);
	return page;
}

static struct sigaction cmockas; /* cmocka's own SIGSEGV handler, put back after */

static void catch_faults(void)
{
	struct sigaction sa = { .sa_handler = fault_entry };

	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGSEGV, &sa, &cmockas), 0);
	faults = 0;
}

/* report_unexpected() on this CPU: a line of report, the console let go, the CPU parked. */
static void report_and_park(void)
{
	console_panic_enter();
	console_write_line(NULL, "[bulkhead] ", "ERROR: unexpected exception");
	console_flush();
	longjmp(parked, 1);
}

/*
 * @write on this CPU faults with the console's lock held; its report, and
 * the report of each fault in a report, until one ends in a park. More than
 * @most faults: it loops (the fault stack starts over each time, so the real
 * CPU would never park, and never let the lock go).
 */
static void fault_until_parked(void (*write)(struct console_share *), struct console_share *bad,
			       unsigned int most)
{
	catch_faults();
	if (!setjmp(parked)) {
		if (!sigsetjmp(faulted, 1))
			write(bad);
		if (faults > most)
			fail_msg("CPU %u faulted %u times: its report faults each time, the "
				 "console's lock held",
				 this_cpu, faults);
		report_and_park();
	}
	sigaction(SIGSEGV, &cmockas, NULL);
}

static void cell_writes(struct console_share *share)
{
	console_write_line(share, "[cell] ", "a line of a cell");
}

/* Another CPU's line, after the faulting one parked: it reaches the wire whole. */
static void assert_cpu1_prints(void)
{
	struct console_share other = { 0 };

	this_cpu = 1;
	assert_true(console_write_line(&other, "[other] ", "CPU 1 runs on"));
	this_cpu = 0;
	wire_sends_all();
	assert_true(wire_has("[other] CPU 1 runs on\r\n"));
	assert_int_equal(other.queued, 0);
}

/*
 * A share pointer that faults (a hypervisor bug) in tx_claim(), the lock
 * held: the report goes straight to the UART, then the queue is put right
 * without a write through any share, the bad one included, and the lock
 * goes. Before 2026-11-24 each flush wrote through the pointer again:
 * fault, report, flush, fault, for ever, and every CPU that printed next
 * spun on the lock; later the second report's flush ended it.
 */
static void test_putting_the_queue_right_writes_through_no_share(void **state)
{

	(void)state;
	this_cpu = 3;
	drain_when_polled = true;
	fault_until_parked(cell_writes, unmapped_share(), 2);
	drain_when_polled = false;
	assert_int_equal(faults, 1);
	assert_true(wire_has("\r\n[bulkhead] ERROR: unexpected exception\r\n"));
	assert_cpu1_prints();
}

/* CPU 1's cell "flood" writes until its share is full: refused from then on, until bytes leave. */
static void fill_share(struct console_share *flood)
{
	unsigned int i;

	this_cpu = 1;
	for (i = 0; i < 1000 && console_write_line(flood, "[flood] ", "a line of a flood"); i++)
		;
	assert_true(i > 0 && i < 1000);
}

/* After the faulting CPU parked: flood's next line is taken, and reaches the wire. */
static void assert_flood_taken(struct console_share *flood)
{
	wire_sends_all();
	this_cpu = 1;
	if (!console_write_line(flood, "[flood] ", "taken after the abandon"))
		fail_msg("flood refused after the abandon: its share counts %u byte(s), %u run(s) "
			 "of the abandoned queue",
			 flood->queued, flood->runs);
	this_cpu = 0;
	wire_sends_all();
	assert_true(wire_has("[flood] taken after the abandon\r\n"));
}

/* A share in a page of its own, which the test can take away (mprotect()). */
static struct console_share *share_in_own_page(void)
{
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(page != MAP_FAILED);
	memset(page, 0, 4096);
	return page;
}

/*
 * Cell "flood" has filled its share, its lines in the ring behind one of
 * cell "gone", whose share then becomes a pointer that faults (the bug that
 * makes CPU 4 fault in tx_claim()). The queue is abandoned: flood's bytes
 * are dropped with the rest, and its next line is taken. Until 2026-11-24
 * the abandon emptied each share with bytes in the ring, in ring order: it
 * faulted again at gone's, and the retry reset only the indexes, so flood
 * kept a full share that nothing would ever send, and was refused for good.
 */
static void test_a_share_behind_a_faulting_one_is_not_refused_after_the_abandon(void **state)
{
	struct console_share *gone = share_in_own_page();
	struct console_share flood = { 0 };

	(void)state;
	this_cpu = 1;
	assert_true(console_write_line(gone, "[gone] ", "a line longer than the UART's FIFO"));
	fill_share(&flood);
	assert_int_equal(mprotect(gone, 4096, PROT_NONE), 0);
	this_cpu = 4;
	drain_when_polled = true;
	fault_until_parked(cell_writes, gone, 2);
	drain_when_polled = false;
	assert_flood_taken(&flood);
}

/*
 * A CPU whose reports keep faulting (exception.c gives up at the third):
 * console_panic_give_up() lets go of the lock it holds and touches nothing
 * that could fault again, neither the share its fault came from nor the
 * UART, so the other CPUs print on, a cell whose share the abandoned queue
 * had filled too.
 */
static void test_a_cpu_that_gives_up_reporting_lets_the_console_go(void **state)
{
	struct console_share *bad = unmapped_share();
	struct console_share flood = { 0 };
	static unsigned int touched; /* set after setjmp(): not in a register longjmp() restores */

	(void)state;
	fill_share(&flood);
	this_cpu = 5;
	catch_faults();
	if (!setjmp(parked)) {
		if (!sigsetjmp(faulted, 1))
			cell_writes(bad);
		if (faults > 1)
			fail_msg("console_panic_give_up() faulted");
		touched = uart_accesses;
		console_panic_give_up();
		longjmp(parked, 1);
	}
	sigaction(SIGSEGV, &cmockas, NULL);
	assert_int_equal(uart_accesses, touched);
	assert_cpu1_prints();
	assert_flood_taken(&flood); /* until 2026-11-24 the give-up left its share full */
}

/*
 * The CPU that takes the UART's interrupt (CPU 6 here) faults in a UART
 * access, holding the console's lock, and parks after its report, which
 * went straight to the UART: nobody takes that interrupt from then on, so
 * the queue is left polled, and a line longer than the FIFO goes out whole,
 * its writer waiting for the UART. Before 2026-11-24 only a report that went
 * through the queue left it polled: the FIFO's worth of each later write was
 * sent, the rest waited in the ring until someone wrote again.
 */
static void
test_the_interrupts_cpu_parking_after_a_direct_report_leaves_the_queue_polled(void **state)
{
	(void)state;
	this_cpu = 6;
	console_tx_async(wire_room, wire_nudge);
	drain_when_polled = true; /* the report waits for room, and the wire sends */
	fault_in_uart = report_and_park;
	if (!setjmp(parked))
		console_write_line(NULL, "[bulkhead] ", "a line being sent when the UART faulted");
	assert_true(wire_has("\r\n[bulkhead] ERROR: unexpected exception\r\n"));
	this_cpu = 1;
	console_write_line(NULL, "[bulkhead] ", "CPU 1's line, longer than the UART's FIFO");
	drain_when_polled = false;
	assert_true(wire_has("[bulkhead] CPU 1's line, longer than the UART's FIFO\r\n"));
	assert_false(tx_irq_on);
	this_cpu = 0;
	console_tx_async(wire_room, wire_nudge);
}

static unsigned int rescues;

/*
 * boot/main.c's console_rescue(): the console up on the UART the board
 * names. A fault inside it is reported first (as if that report came back
 * here): it must not rescue again, or a rescue that faults would do so for
 * ever.
 */
static void rescue_console(void)
{
	rescues++;
	console_panic_enter();
	wire_console_up(NULL);
}

/*
 * A fault or panic before console_init() (libfdt on the board's tree): the
 * boot's rescue brings the console up, and the lines logged before the
 * fault come out, then its report. Once: a fault in the rescue does not
 * try again (its report, then this one, go straight to the UART). Before 2026-11-24 every line
 * stayed in the early buffer, which only console_init() prints, and the boot ended without a word.
 */
static void test_a_fault_before_the_console_is_up_is_reported_on_the_rescued_console(void **state)
{
	(void)state;
	console_write_line(NULL, "[bulkhead] ", "Bulkhead booting");
	console_set_rescue(rescue_console);
	this_cpu = 0;
	drain_when_polled = true;
	console_panic_enter();
	console_write_line(NULL, "[bulkhead] ", "ERROR: unexpected exception on CPU 0");
	console_flush();
	drain_when_polled = false;
	assert_int_equal(rescues, 1);
	assert_true(wire_has("[bulkhead] Bulkhead booting\r\n\r\n[bulkhead] ERROR: unexpected "
			     "exception on CPU 0\r\n"));
}

/* The console queued (async), its interrupt CPU 0's, as after boot. */
static int console_queued(void **state)
{
	if (!console_ready())
		wire_console_up(state);
	this_cpu = 0;
	console_tx_async(wire_room, wire_nudge);
	return wire_fresh(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: the console is not up until the rescue brings it up. */
		cmocka_unit_test_setup(
			test_a_fault_before_the_console_is_up_is_reported_on_the_rescued_console,
			wire_fresh),
		cmocka_unit_test_setup(test_putting_the_queue_right_writes_through_no_share,
				       console_queued),
		cmocka_unit_test_setup(
			test_a_share_behind_a_faulting_one_is_not_refused_after_the_abandon,
			console_queued),
		cmocka_unit_test_setup(test_a_cpu_that_gives_up_reporting_lets_the_console_go,
				       console_queued),
		cmocka_unit_test_setup(
			test_the_interrupts_cpu_parking_after_a_direct_report_leaves_the_queue_polled,
			console_queued),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
