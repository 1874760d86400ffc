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
#include "console_wire.h"
#include "fake_log.h"
#include "uart.h"
#include "vuart.h"

/* --- tests ---------------------------------------------------------------- */

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
	console_tx_async(wire_room, wire_nudge);
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
	console_tx_async(wire_room, wire_nudge); /* for the tests after this one */
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

/* --- a cell's virtual UART on it ------------------------------------------ */

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

/*
 * A live cell's request to change how the terminal sends keys (kitty's
 * CSI > 1 u, xterm's modifyOtherKeys, KAM) split across its writes, with
 * another cell's line between them (the open line is shown again below
 * it): none reaches the wire as a sequence, only as text; its colours do.
 */
static void test_a_live_cells_keyboard_modes_reach_the_wire_as_text(void **state)
{
	static struct vuart live;
	static struct console_share other;

	(void)state;
	vuart_reset(&live, "live");
	vuart_set_live(&live, true);
	guest_writes(&live, "ok \x1b[1mbold\x1b[0m \x1b[>", 19);
	assert_true(console_write_line(&other, "[other] ", "a line between"));
	guest_writes(&live, "1u\x1b[>4;", 7);
	wire_sends_all();
	guest_writes(&live, "2m\x1b[2h end\n", 11);
	wire_sends_all();
	/* Shown again below the other line without its escapes, and the rest after it. */
	assert_true(wire_has("[live] ok \x1b[1mbold\x1b[0m \r\n[other] a line between\r\n"
			     "[live] ok bold ^[[>1u^[[>4;2m^[[2h end\r\n"));
	assert_false(wire_has("\x1b[>"));
	assert_false(wire_has("\x1b[2h"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_polled_console_waits_for_the_wire, wire_fresh),
		cmocka_unit_test_setup(test_a_line_is_queued_and_sent_by_the_interrupt, wire_fresh),
		cmocka_unit_test_setup(test_a_flooding_cell_is_refused_and_others_are_not,
				       wire_fresh),
		cmocka_unit_test_setup(test_every_cell_flooding_leaves_room_for_the_hypervisor,
				       wire_fresh),
		cmocka_unit_test_setup(
			test_a_cell_of_empty_lines_is_refused_by_its_runs_and_others_are_not,
			wire_fresh),
		cmocka_unit_test_setup(test_room_made_by_other_writers_is_told, wire_fresh),
		cmocka_unit_test_setup(test_a_cells_partial_line_is_refused_when_its_share_is_full,
				       wire_fresh),
		cmocka_unit_test_setup(test_flush_on_another_cpu_sends_everything_and_stays_queued,
				       wire_fresh),
		cmocka_unit_test_setup(test_refused_writers_and_pokes_move_the_queue, wire_fresh),
		cmocka_unit_test_setup(test_a_cell_restarting_in_a_loop_leaves_room_for_the_others,
				       wire_fresh),
		cmocka_unit_test_setup(
			test_a_live_cells_ctrl_bracket_reaches_the_wire_in_caret_form, wire_fresh),
		cmocka_unit_test_setup(test_a_live_cells_keyboard_modes_reach_the_wire_as_text,
				       wire_fresh),
		cmocka_unit_test_setup(test_flush_sends_everything_and_stays_polled, wire_fresh),
	};

	return cmocka_run_group_tests(tests, wire_console_up, NULL);
}
