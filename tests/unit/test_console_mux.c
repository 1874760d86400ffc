// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console's input escape (partitions/console_mux.c, docs/console.md):
 * Ctrl-] then 0-9, n, h, ? or Ctrl-] again moves the keyboard between the
 * cells' virtual consoles and the hypervisor shell. Each test types keys and
 * looks at where they went: the bytes a cell's real virtual PL011
 * (partitions/vuart.c) hands its guest at UARTDR, the bytes the shell got,
 * and the lines the console printed. The test includes console_mux.c to
 * start every test from the boot state (its focus and escape are static).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "cell.h"
#include "fake_console.h"
#include "fake_log.h"
#include "hyp_timer.h"
#include "manage.h"
#include "vuart.h"

#include "../../partitions/console_mux.c"

#define ESC	   "\x1d" /* CONSOLE_ESCAPE, in a string of keys */
#define UARTDR	   0x000
#define UARTFR	   0x018
#define FR_RXFE	   (1u << 4)
#define NOWHERE	   (-2) /* key_goes_to(): no cell and not the shell took it */
#define RECORD_MAX 256

static struct layout_cell cfgs[LAYOUT_MAX_CELLS];
static struct cell cells[LAYOUT_MAX_CELLS];
static unsigned int nr_cells;

/* What the shell, the raw console and the cells' interrupt lines were given. */
static char shell_got[RECORD_MAX], raw_out[RECORD_MAX];
static size_t shell_len, raw_len;
static unsigned int prompts, console_inputs[LAYOUT_MAX_CELLS];

/* The physical UART's receive side: bytes waiting, and when each acknowledge came. */
static const char *uart_rx;
static size_t uart_rx_len, uart_rx_pos;
static size_t acks_at[8];
static unsigned int acks;

/* The counter (QEMU's 62.5 MHz) and the console's deadline on the EL2 timer (0: none). */
#define COUNTER_HZ 62500000ULL
static uint64_t now, timer_due;

/* --- what console_mux.c and vuart.c call ------------------------------------ */

uint64_t arch_counter_read(void)
{
	return now;
}

uint64_t arch_counter_freq(void)
{
	return COUNTER_HZ;
}

void hyp_timer_arm(enum hyp_timer_user user, uint64_t ticks)
{
	assert_int_equal(user, HYP_TIMER_CONSOLE);
	timer_due = now + (ticks ? ticks : 1);
}

void hyp_timer_stop(enum hyp_timer_user user)
{
	assert_int_equal(user, HYP_TIMER_CONSOLE);
	timer_due = 0;
}

bool console_uart_dead(void)
{
	return false;
}

/* Never reached: every lock in these single-threaded tests is free. */
void arch_cpu_relax(void)
{
}

unsigned int cells_count(void)
{
	return nr_cells;
}

struct cell *cell_get(unsigned int id)
{
	return id < nr_cells ? &cells[id] : NULL;
}

void vgic_hw_vuart_input(struct cell *cell)
{
	console_inputs[cell->id]++;
}

void shell_input(char c)
{
	if (shell_len < sizeof(shell_got) - 1)
		shell_got[shell_len++] = c;
}

void shell_prompt(void)
{
	prompts++;
}

void console_write_raw(const char *text)
{
	size_t n = strlen(text);

	if (n > sizeof(raw_out) - 1 - raw_len)
		n = sizeof(raw_out) - 1 - raw_len;
	memcpy(raw_out + raw_len, text, n);
	raw_len += n;
}

void uart_ack_rx_irq(void)
{
	if (acks < sizeof(acks_at) / sizeof(acks_at[0]))
		acks_at[acks] = uart_rx_pos;
	acks++;
}

int uart_getc(void)
{
	return uart_rx_pos < uart_rx_len ? (unsigned char)uart_rx[uart_rx_pos++] : -1;
}

/* --- the cells, and what came out ------------------------------------------- */

static void cell_init(unsigned int id, const char *label, enum layout_console console)
{
	snprintf(cfgs[id].label, sizeof(cfgs[id].label), "%s", label);
	cfgs[id].console = console;
	cells[id].cfg = &cfgs[id];
	cells[id].id = id;
	cells[id].state = CELL_RUNNING;
	cells[id].boots = 1;
	vuart_reset(&cells[id].vuart, label);
}

static void forget_output(void)
{
	memset(shell_got, 0, sizeof(shell_got));
	memset(raw_out, 0, sizeof(raw_out));
	shell_len = raw_len = 0;
	prompts = 0;
	memset(console_inputs, 0, sizeof(console_inputs));
	fake_log_reset();
	fake_console_reset();
}

/*
 * Four cells: alpha (0) and delta (3) with a virtual console, beta (1) with
 * console = "none", gamma (2) refused at boot. No keys typed yet.
 */
static int setup(void **state)
{
	(void)state;
	memset(cfgs, 0, sizeof(cfgs));
	memset(cells, 0, sizeof(cells));
	nr_cells = 4;
	cell_init(0, "alpha", LAYOUT_CONSOLE_VIRTUAL);
	cell_init(1, "beta", LAYOUT_CONSOLE_NONE);
	cell_init(2, "gamma", LAYOUT_CONSOLE_VIRTUAL);
	cells[2].refused = true;
	cells[2].state = CELL_STOPPED;
	cells[2].boots = 0;
	cell_init(3, "delta", LAYOUT_CONSOLE_VIRTUAL);
	/* console_mux.c's boot state */
	focus = FOCUS_SHELL;
	escaped = false;
	keyseq_len = 0;
	lone_esc_due = 0;
	now = 1000000;
	timer_due = 0;
	memset(&drops_told, 0, sizeof(drops_told));
	uart_rx = NULL;
	uart_rx_len = uart_rx_pos = 0;
	acks = 0;
	forget_output();
	return 0;
}

static void type(const char *keys)
{
	while (*keys)
		console_mux_input(*keys++);
}

static uint32_t uart_read(struct vuart *u, uint64_t off)
{
	struct mmio_access acc = { .ipa = 0x09000000 + off, .size = 4, .write = false };

	assert_in_range(vuart_access(u, off, &acc), 0, VUART_LINE_MOVED);
	return (uint32_t)acc.value;
}

/* What cell @id's guest reads from its UART now, until its receive FIFO is empty. */
static const char *guest_reads(unsigned int id)
{
	static char got[VUART_RX_MAX + 1];
	size_t n = 0;

	while (!(uart_read(&cells[id].vuart, UARTFR) & FR_RXFE) && n < VUART_RX_MAX)
		got[n++] = (char)uart_read(&cells[id].vuart, UARTDR);
	got[n] = '\0';
	return got;
}

/*
 * Where the keyboard is, seen the only way that matters: a plain key typed
 * now reaches cell N's guest (N), the shell (FOCUS_SHELL) or nobody (NOWHERE,
 * a stopped cell's). The key is read back and the output forgotten.
 */
static int key_goes_to(void)
{
	int where = NOWHERE;
	unsigned int i;

	forget_output();
	type("k");
	for (i = 0; i < nr_cells; i++) {
		if (!strcmp(guest_reads(i), "k")) {
			assert_int_equal(where, NOWHERE);
			where = (int)i;
		}
	}
	if (!strcmp(shell_got, "k")) {
		assert_int_equal(where, NOWHERE);
		where = FOCUS_SHELL;
	}
	forget_output();
	return where;
}

/* cmocka assertion: the log is exactly @expected; shows it when not. */
#define assert_log_is(expected)                                                               \
	do {                                                                                  \
		if (strcmp(fake_log_text(), (expected)) != 0)                                 \
			fail_msg("expected the log\n%sgot\n%s", (expected), fake_log_text()); \
	} while (0)

#define TO_SHELL       "I: console: input goes to the hypervisor shell (Ctrl-] ? for help)\n"
#define TO_CELL(label) "I: console: input goes to cell " label " (Ctrl-] ? for help)\n"
#define HELP                                                                            \
	"I: console: Ctrl-] then: 0-9 cell by index, n next cell, h hypervisor shell, " \
	"? help, Ctrl-] a literal Ctrl-]\n"
#define STAYS(digit, why) "I: console: cell " digit ": " why "; input stays where it was\n"
#define NO_CONSOLE	  "console = \"none\" in the layout"
#define REFUSED		  "refused at boot (a CPU or PCI function it names; the boot log says why)"

/* --- boot ------------------------------------------------------------------- */

static void test_boot_gives_the_keyboard_to_the_first_cell_with_a_virtual_console(void **state)
{
	(void)state;
	cfgs[0].console = LAYOUT_CONSOLE_NONE; /* beta (1) has none, gamma (2) is refused */
	console_mux_init(0);
	assert_log_is(TO_CELL("delta"));
	assert_int_equal(prompts, 0);
	assert_int_equal(key_goes_to(), 3);
}

static void test_boot_leaves_every_console_printing_whole_lines_until_a_key(void **state)
{
	(void)state;
	console_mux_init(0);
	assert_false(cells[0].vuart.live);
	type("x");
	assert_true(cells[0].vuart.live);
	assert_false(cells[3].vuart.live);
	assert_string_equal(guest_reads(0), "x");
}

static void test_boot_with_no_cell_to_take_it_gives_the_keyboard_to_the_shell(void **state)
{
	(void)state;
	cfgs[0].console = LAYOUT_CONSOLE_NONE;
	cells[3].refused = true;
	console_mux_init(0);
	assert_log_is(TO_SHELL);
	assert_int_equal(prompts, 1);
	assert_int_equal(key_goes_to(), FOCUS_SHELL);
}

/* --- keys to the target ----------------------------------------------------- */

static void test_keys_reach_the_focused_cells_guest_in_order_and_no_other(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type("ls -l\r");
	assert_string_equal(guest_reads(0), "ls -l\r");
	assert_int_equal(console_inputs[0], 6); /* its interrupt looked at after every byte */
	assert_string_equal(guest_reads(3), "");
	assert_int_equal(console_inputs[3], 0);
	assert_int_equal(shell_len, 0);
	assert_log_is("");
}

static void test_keys_past_a_full_receive_fifo_are_dropped_as_by_a_uart(void **state)
{
	char keys[VUART_RX_MAX + 2];

	(void)state;
	memset(keys, 'a', sizeof(keys) - 1);
	keys[sizeof(keys) - 1] = '\0';
	keys[VUART_RX_MAX] = 'z'; /* the 65th */
	console_mux_init(0);
	forget_output();
	type(keys);
	assert_int_equal(console_inputs[0], VUART_RX_MAX);
	assert_int_equal(strlen(guest_reads(0)), VUART_RX_MAX);
	assert_null(strchr(guest_reads(0), 'z'));
	type("b"); /* room again */
	assert_string_equal(guest_reads(0), "b");
}

/* --- Ctrl-] digit ----------------------------------------------------------- */

static void test_escape_digit_moves_the_keyboard_to_that_cell(void **state)
{
	(void)state;
	console_mux_init(0);
	type("x");
	forget_output();
	type(ESC "3");
	assert_log_is(TO_CELL("delta"));
	assert_false(cells[0].vuart.live);
	assert_true(cells[3].vuart.live);
	/* Neither the escape nor the digit reached anyone. */
	assert_string_equal(guest_reads(0), "x");
	assert_string_equal(guest_reads(3), "");
	assert_int_equal(key_goes_to(), 3);
	type(ESC "0");
	assert_int_equal(key_goes_to(), 0);
	assert_false(cells[3].vuart.live);
}

static void test_escape_digit_of_the_focused_cell_keeps_it_and_says_so(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type(ESC "0");
	assert_log_is(TO_CELL("alpha"));
	assert_true(cells[0].vuart.live);
	assert_int_equal(key_goes_to(), 0);
}

static void test_escape_digit_of_a_cell_without_a_console_leaves_the_keyboard(void **state)
{
	(void)state;
	console_mux_init(0);
	type(ESC "3");
	forget_output();
	type(ESC "1");
	assert_log_is(STAYS("1", NO_CONSOLE));
	assert_true(cells[3].vuart.live);
	assert_false(cells[1].vuart.live);
	assert_int_equal(key_goes_to(), 3);
	assert_string_equal(guest_reads(1), "");
}

static void test_escape_digit_of_a_refused_cell_leaves_the_keyboard(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type(ESC "2");
	assert_log_is(STAYS("2", REFUSED));
	assert_int_equal(key_goes_to(), 0);
	assert_string_equal(guest_reads(2), "");
}

static void test_escape_digit_past_the_last_cell_leaves_the_keyboard(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type(ESC "4" ESC "9");
	assert_log_is(STAYS("4", "no such cell") STAYS("9", "no such cell"));
	assert_int_equal(key_goes_to(), 0);
}

static void test_escape_digit_leaves_the_shell_on_a_line_of_its_own(void **state)
{
	(void)state;
	console_mux_init(0);
	type(ESC "h");
	forget_output();
	type(ESC "3");
	/* The prompt and what was typed after it end there, before the announcement. */
	assert_string_equal(raw_out, "\r\n");
	assert_log_is(TO_CELL("delta"));
	assert_int_equal(key_goes_to(), 3);
	/* From cell to cell nothing is written raw. */
	type(ESC "0");
	assert_string_equal(raw_out, "");
}

/* --- Ctrl-] n --------------------------------------------------------------- */

static void test_escape_n_skips_cells_that_cannot_take_the_keyboard(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type(ESC "n"); /* past beta (console none) and gamma (refused) */
	assert_log_is(TO_CELL("delta"));
	assert_int_equal(key_goes_to(), 3);
	assert_true(cells[3].vuart.live);
	assert_false(cells[0].vuart.live);
}

static void test_escape_n_wraps_around_to_the_first_cell(void **state)
{
	(void)state;
	console_mux_init(0);
	type(ESC "3");
	forget_output();
	type(ESC "n");
	assert_log_is(TO_CELL("alpha"));
	assert_int_equal(key_goes_to(), 0);
}

static void test_escape_n_from_the_shell_goes_to_the_first_cell_that_can_take_it(void **state)
{
	(void)state;
	cfgs[0].console = LAYOUT_CONSOLE_NONE;
	console_mux_init(0);
	type(ESC "h");
	forget_output();
	type(ESC "n");
	assert_string_equal(raw_out, "\r\n");
	assert_log_is(TO_CELL("delta"));
	assert_int_equal(key_goes_to(), 3);
}

static void test_escape_n_with_one_cell_that_can_take_it_stays_there(void **state)
{
	(void)state;
	cells[3].refused = true;
	console_mux_init(0);
	forget_output();
	type(ESC "n" ESC "n");
	assert_log_is(TO_CELL("alpha") TO_CELL("alpha"));
	assert_int_equal(key_goes_to(), 0);
	assert_true(cells[0].vuart.live);
}

static void test_escape_n_goes_to_a_stopped_cell_and_says_it_is_stopped(void **state)
{
	(void)state;
	cells[3].state = CELL_STOPPED;
	console_mux_init(0);
	forget_output();
	type(ESC "n");
	assert_log_is(
		"I: console: input goes to cell delta, which is stopped (Ctrl-] ? for help)\n");
	assert_true(cells[3].vuart.live);
	assert_int_equal(key_goes_to(), NOWHERE);
}

/* --- Ctrl-] h and Ctrl-] ? -------------------------------------------------- */

static void test_escape_h_gives_the_keyboard_to_the_shell_with_its_prompt(void **state)
{
	(void)state;
	console_mux_init(0);
	type("x");
	forget_output();
	type(ESC "h");
	assert_log_is(TO_SHELL);
	assert_int_equal(prompts, 1);
	assert_string_equal(raw_out, "");
	assert_false(cells[0].vuart.live);
	assert_string_equal(guest_reads(0), "x");
	assert_int_equal(key_goes_to(), FOCUS_SHELL);
	type(ESC "h"); /* again: the prompt again, the keyboard where it was */
	assert_int_equal(prompts, 1);
	assert_int_equal(key_goes_to(), FOCUS_SHELL);
}

static void test_escape_question_mark_prints_help_and_moves_nothing(void **state)
{
	(void)state;
	console_mux_init(0);
	type("x");
	forget_output();
	type(ESC "?");
	assert_log_is(HELP);
	assert_true(cells[0].vuart.live);
	assert_string_equal(guest_reads(0), "x");
	assert_int_equal(key_goes_to(), 0);
}

static void test_escape_any_other_key_prints_help_and_the_key_goes_nowhere(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type(ESC "x" ESC "N" ESC "H" ESC "\r");
	assert_log_is(HELP HELP HELP HELP);
	assert_string_equal(guest_reads(0), "");
	assert_int_equal(console_inputs[0], 0);
	assert_int_equal(key_goes_to(), 0);
}

/* --- Ctrl-] Ctrl-] ---------------------------------------------------------- */

static void test_escape_escape_sends_one_escape_to_the_focused_cell(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type("a" ESC ESC "b");
	assert_string_equal(guest_reads(0), "a" ESC "b");
	assert_int_equal(console_inputs[0], 3);
	assert_log_is("");
}

static void test_escape_escape_then_a_digit_types_the_digit(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type(ESC ESC "3"); /* the escape is over: "3" is a key */
	assert_string_equal(guest_reads(0), ESC "3");
	assert_string_equal(guest_reads(3), "");
	assert_int_equal(key_goes_to(), 0);
}

static void test_escape_escape_sends_one_escape_to_the_shell(void **state)
{
	(void)state;
	console_mux_init(0);
	type(ESC "h");
	forget_output();
	type(ESC ESC);
	assert_string_equal(shell_got, ESC);
	assert_string_equal(guest_reads(0), "");
}

/* --- a stopped cell --------------------------------------------------------- */

#define DROPPED(label)                                                                    \
	"I: console: cell " label " is stopped: keys dropped until it starts (Ctrl-] h, " \
	"then start " label ")\n"

static void test_a_stopped_cell_takes_the_keyboard_and_drops_keys_saying_so_once(void **state)
{
	(void)state;
	cells[3].state = CELL_STOPPED;
	console_mux_init(0);
	forget_output();
	type(ESC "3");
	assert_log_is(
		"I: console: input goes to cell delta, which is stopped (Ctrl-] ? for help)\n");
	forget_output();
	type("ab" ESC ESC);
	assert_log_is(DROPPED("delta"));
	assert_string_equal(guest_reads(3), "");
	assert_int_equal(console_inputs[3], 0);
	/* Started: its keys reach it. */
	cells[3].boots++;
	cells[3].state = CELL_RUNNING;
	forget_output();
	type("c");
	assert_string_equal(guest_reads(3), "c");
	assert_log_is("");
}

static void test_a_stopped_cells_drops_are_told_again_after_it_ran(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	cells[0].state = CELL_STOPPED;
	type("a");
	assert_log_is(DROPPED("alpha"));
	cells[0].boots++; /* started (cell_start()): boot #2 */
	cells[0].state = CELL_RUNNING;
	type("b");
	cells[0].state = CELL_STOPPED;
	forget_output();
	type("c");
	assert_log_is(DROPPED("alpha"));
	assert_string_equal(guest_reads(0), "b");
}

/*
 * Started and stopped again by someone else (a management cell, a fault's
 * policy, the shell while the keyboard was elsewhere) with no key typed in
 * between: a new stop, told again.
 */
static void test_a_stopped_cells_drops_are_told_again_after_a_start_with_no_key(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	cells[0].state = CELL_STOPPED;
	type("a");
	assert_log_is(DROPPED("alpha"));
	cells[0].boots++; /* started (cell_start()): boot #2 */
	cells[0].state = CELL_RUNNING;
	cells[0].state = CELL_STOPPED;
	forget_output();
	type("b");
	assert_log_is(DROPPED("alpha"));
	forget_output();
	type("c"); /* the same stop: said once */
	assert_log_is("");
	assert_string_equal(guest_reads(0), "");
}

/*
 * A failed cell (a CPU it runs on parked after a fault at EL2) is stopped
 * for good and takes no start: its keys are dropped, and nothing sends the
 * operator to a `start` the shell refuses.
 */
static void test_a_failed_cells_drops_say_it_failed_not_to_start_it(void **state)
{
	(void)state;
	cells[3].lost = 1u << 0;
	cells[3].state = CELL_STOPPED;
	console_mux_init(0);
	forget_output();
	type(ESC "3");
	assert_log_is("I: console: input goes to cell delta, which failed (Ctrl-] ? for help)\n");
	forget_output();
	type("ab");
	assert_log_is("I: console: cell delta failed: keys dropped (a CPU it runs on parked after "
		      "a hypervisor fault; it is stopped until the system restarts)\n");
	assert_string_equal(guest_reads(3), "");
	assert_int_equal(console_inputs[3], 0);
}

/*
 * A restarting cell takes keys as a running one does, though the reload
 * empties its receive FIFO (vuart_reset()): docs/console.md's known limit.
 */
static void test_a_restarting_cell_takes_keys_its_reload_empties(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	cells[0].state = CELL_STOPPING;
	type("a");
	cells[0].state = CELL_LOADING;
	type("b");
	assert_log_is("");
	assert_int_equal(console_inputs[0], 2);
	vuart_reset(&cells[0].vuart, "alpha"); /* cell_reload_and_start() */
	assert_string_equal(guest_reads(0), "");
}

/* --- no cell can take the keyboard ------------------------------------------ */

static void no_cell_takes_the_keyboard(void)
{
	cfgs[0].console = LAYOUT_CONSOLE_NONE;
	cells[3].refused = true;
	console_mux_init(0);
	forget_output();
}

static void test_with_no_cell_to_take_it_every_key_leaves_the_keyboard_with_the_shell(void **state)
{
	(void)state;
	no_cell_takes_the_keyboard();
	type(ESC "0" ESC "1" ESC "2" ESC "3" ESC "4");
	assert_log_is(STAYS("0", NO_CONSOLE) STAYS("1", NO_CONSOLE) STAYS("2", REFUSED)
			      STAYS("3", REFUSED) STAYS("4", "no such cell"));
	assert_int_equal(prompts, 0);
	assert_int_equal(key_goes_to(), FOCUS_SHELL);

	type(ESC "n"); /* the shell again, with its prompt, and no line ended */
	assert_log_is(TO_SHELL);
	assert_int_equal(prompts, 1);
	assert_string_equal(raw_out, "");
	assert_int_equal(key_goes_to(), FOCUS_SHELL);

	type(ESC "h");
	assert_log_is(TO_SHELL);
	assert_int_equal(key_goes_to(), FOCUS_SHELL);

	type(ESC "?");
	assert_log_is(HELP);
	assert_int_equal(key_goes_to(), FOCUS_SHELL);

	type(ESC ESC);
	assert_string_equal(shell_got, ESC);
	for (unsigned int i = 0; i < nr_cells; i++) {
		assert_string_equal(guest_reads(i), "");
		assert_false(cells[i].vuart.live);
	}
}

static void test_with_no_cells_at_all_every_key_leaves_the_keyboard_with_the_shell(void **state)
{
	(void)state;
	nr_cells = 0;
	console_mux_init(0);
	assert_log_is(TO_SHELL);
	forget_output();
	type(ESC "0" ESC "n");
	assert_log_is(STAYS("0", "no such cell") TO_SHELL);
	assert_int_equal(key_goes_to(), FOCUS_SHELL);
}

/* --- the physical UART's receive interrupt ---------------------------------- */

static void uart_has(const char *bytes, size_t len)
{
	uart_rx = bytes;
	uart_rx_len = len;
	uart_rx_pos = 0;
}

static void test_rx_acknowledges_first_and_takes_at_most_a_burst(void **state)
{
	char paste[100];

	(void)state;
	memset(paste, 'p', sizeof(paste));
	console_mux_init(0);
	type(ESC "h");
	forget_output();
	uart_has(paste, sizeof(paste));
	console_mux_rx();
	assert_int_equal(acks, 1);
	assert_int_equal(acks_at[0], 0);
	assert_int_equal(shell_len, CONSOLE_RX_BURST);
	console_mux_rx(); /* the line stayed high: the rest */
	assert_int_equal(acks, 2);
	assert_int_equal(acks_at[1], CONSOLE_RX_BURST);
	assert_int_equal(shell_len, sizeof(paste));
}

static void test_rx_an_escape_split_between_two_interrupts_still_switches(void **state)
{
	char burst[CONSOLE_RX_BURST + 2];

	(void)state;
	memset(burst, 'a', sizeof(burst));
	burst[CONSOLE_RX_BURST - 1] = CONSOLE_ESCAPE; /* the last of the first burst */
	burst[CONSOLE_RX_BURST] = '3';
	burst[CONSOLE_RX_BURST + 1] = 'd';
	console_mux_init(0);
	forget_output();
	uart_has(burst, sizeof(burst));
	console_mux_rx();
	assert_int_equal(strlen(guest_reads(0)), CONSOLE_RX_BURST - 1);
	console_mux_rx();
	assert_log_is(TO_CELL("delta"));
	assert_string_equal(guest_reads(3), "d");
	assert_string_equal(guest_reads(0), "");
}

/*
 * A NUL (Ctrl-@) is a key like any other: it reaches the focused cell, and
 * the keys after it in the same burst too.
 */
static void test_rx_a_nul_byte_is_a_key_and_the_burst_goes_on(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	uart_has("a\0b", 3);
	console_mux_rx();
	assert_int_equal(uart_rx_pos, 3);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(uart_read(&cells[0].vuart, UARTDR) & 0xff, "a\0b"[i]);
	assert_true(uart_read(&cells[0].vuart, UARTFR) & FR_RXFE);
}

/* --- Ctrl-] from a terminal that encodes modified keys ------------------- */

/*
 * kitty's keyboard protocol (and xterm's formatOtherKeys 1) sends Ctrl-] as
 * ESC [ 93 ; 5 u: the escape all the same. Nothing of it reaches the cell.
 */
static void test_ctrl_bracket_as_kitty_sends_it_is_the_escape(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type("\x1b[93;5u"
	     "3");
	assert_log_is(TO_CELL("delta"));
	assert_string_equal(guest_reads(0), "");
	assert_int_equal(key_goes_to(), 3);
}

/* xterm's modifyOtherKeys 2 sends it as ESC [ 27 ; 5 ; 93 ~. */
static void test_ctrl_bracket_as_modify_other_keys_sends_it_is_the_escape(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type("\x1b[27;5;93~h");
	assert_log_is(TO_SHELL);
	assert_string_equal(guest_reads(0), "");
	assert_int_equal(key_goes_to(), FOCUS_SHELL);
}

/*
 * kitty with event types: a press (:1) or repeat (:2) is the escape, the
 * release (:3) is dropped, not taken for the key after it. Caps Lock (64)
 * and Num Lock (128) in the modifiers change nothing; the shifted key and
 * a base-layout key may follow 93.
 */
static void test_ctrl_bracket_with_kitty_events_and_locks_is_the_escape(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type("\x1b[93;5:1u\x1b[93;5:3u"
	     "3");
	assert_log_is(TO_CELL("delta"));
	forget_output();
	type("\x1b[93:125;69u\x1b[93;133:3uh");
	assert_log_is(TO_SHELL);
	assert_string_equal(guest_reads(0), "");
	assert_string_equal(guest_reads(3), "");
	assert_int_equal(key_goes_to(), FOCUS_SHELL);
}

/* Twice is a literal Ctrl-] for the focused cell, as 0x1d twice is. */
static void test_encoded_ctrl_bracket_twice_sends_one_escape_to_the_cell(void **state)
{
	(void)state;
	console_mux_init(0);
	forget_output();
	type("\x1b[93;5u\x1b[27;5;93~");
	assert_string_equal(guest_reads(0), ESC);
	assert_log_is("");
}

/*
 * Every other key a terminal encodes reaches the focused cell whole and in
 * order: arrows, Ctrl-Shift-] and Alt-Ctrl-], the ] key itself, Ctrl-Tab,
 * Escape before a key, and what goes past the longest sequence held.
 */
static void test_other_encoded_keys_reach_the_cell_as_they_came(void **state)
{
	static const char *const keys[] = {
		"\x1b[A\x1b[1;5A\x1b[93;6u\x1b[93;7u\x1b[93u\x1b[27;5;9~",
		"\x1b[27;5;93;1~\x1b[93;5:4u\x1b[93;5;1;2;3u\x1bx\x1b\x1b[1m",
		"\x1b[9999999999999999999999999999999999999999u",
	};

	(void)state;
	console_mux_init(0);
	forget_output();
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		type(keys[i]);
		assert_string_equal(guest_reads(0), keys[i]);
	}
	assert_log_is("");
}

/* --- an ESC that comes alone (a UART interrupting from its first byte) ------ */

#define CHAR_TICKS     (COUNTER_HZ * 10 / 115200) /* a character at 115 200 baud, 8N1 */
#define HOLD_TICKS_115 ((COUNTER_HZ * 40 + 115200 - 1) / 115200) /* 4 characters: 347 us */
#define HOLD_TICKS_2MS (COUNTER_HZ * 2 / 1000)			 /* stdout-path gave no rate */

/* The counter runs on by @ticks, the EL2 timer firing on the way if the console's time comes. */
static void time_passes(uint64_t ticks)
{
	uint64_t to = now + ticks;

	if (timer_due && timer_due <= to) {
		now = timer_due;
		timer_due = 0;
		console_mux_timer();
	}
	now = to;
}

/* @bytes arrive and the receive interrupt reads them. */
static void uart_sends(const char *bytes)
{
	uart_has(bytes, strlen(bytes));
	console_mux_rx();
}

/*
 * A 16550 or Cadence UART interrupting from its first byte hands the ESC of
 * an encoded Ctrl-] over alone, the rest a character later at 115 200 baud:
 * the escape all the same, in both forms, nothing of it for the cell (until
 * 2026-11-25 the ESC went to the cell as the Escape key at once, and the rest
 * as keys).
 */
static void test_rx_an_encoded_escape_whose_esc_came_alone_still_switches(void **state)
{
	(void)state;
	console_mux_init(115200);
	forget_output();
	uart_sends("\x1b");
	time_passes(CHAR_TICKS);
	uart_sends("[93;5u3");
	assert_log_is(TO_CELL("delta"));
	assert_string_equal(guest_reads(0), "");
	forget_output();
	uart_sends("\x1b");
	time_passes(CHAR_TICKS);
	uart_sends("[27;5;93~h");
	assert_log_is(TO_SHELL);
	assert_string_equal(guest_reads(3), "");
	assert_int_equal(timer_due, 0); /* nothing left waiting */
}

/*
 * The Escape key alone: held 4 character times (stdout-path's rate) or 2 ms
 * (none given) for the rest of a sequence, then given to the cell without a
 * next key (an editor leaving insert mode), not before.
 */
static void test_rx_a_lone_escape_key_reaches_the_cell_once_its_time_passes(void **state)
{
	static const struct {
		uint32_t baud;
		uint64_t hold;
	} rates[] = { { 115200, HOLD_TICKS_115 }, { 0, HOLD_TICKS_2MS } };

	(void)state;
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		console_mux_init(rates[i].baud);
		uart_sends("\x1b");
		time_passes(rates[i].hold - 1);
		assert_string_equal(guest_reads(0), "");
		time_passes(1);
		assert_string_equal(guest_reads(0), "\x1b");
		assert_int_equal(timer_due, 0);
	}
}

/*
 * The rest of the sequence already in the FIFO when the time is up (the boot
 * CPU had its interrupts masked, and the timer's interrupt came first): read
 * before the ESC is judged.
 */
static void test_rx_the_fifo_is_read_before_a_lone_escape_is_given_on(void **state)
{
	(void)state;
	console_mux_init(115200);
	forget_output();
	uart_sends("\x1b");
	uart_has("[93;5uh", 7); /* arrived, its interrupt not taken yet */
	time_passes(HOLD_TICKS_115);
	assert_log_is(TO_SHELL);
	assert_string_equal(guest_reads(0), "");
}

/*
 * An ESC after a lone one has its own time: the first goes on as the second
 * arrives, the second is held its whole time from then.
 */
static void test_rx_a_second_lone_escape_is_timed_from_its_own_arrival(void **state)
{
	(void)state;
	console_mux_init(115200);
	uart_sends("\x1b");
	time_passes(HOLD_TICKS_115 - 1);
	uart_sends("\x1b");
	assert_string_equal(guest_reads(0), "\x1b");
	time_passes(HOLD_TICKS_115 - 1);
	assert_string_equal(guest_reads(0), "");
	time_passes(1);
	assert_string_equal(guest_reads(0), "\x1b");
}

/*
 * What is not a lone ESC is as before: Alt-x (ESC x together) goes at once;
 * ESC then x a character later goes with the x, the timer stopped; Alt-[ (ESC
 * [ together) waits for the next key however long, with no timer.
 */
static void test_rx_alt_keys_are_not_timed(void **state)
{
	(void)state;
	console_mux_init(115200);
	uart_sends("\x1bx");
	assert_string_equal(guest_reads(0), "\x1bx");
	uart_sends("\x1b");
	time_passes(CHAR_TICKS);
	uart_sends("x");
	assert_string_equal(guest_reads(0), "\x1bx");
	assert_int_equal(timer_due, 0);
	uart_sends("\x1b[");
	assert_int_equal(timer_due, 0);
	time_passes(COUNTER_HZ);
	assert_string_equal(guest_reads(0), "");
	uart_sends("x");
	assert_string_equal(guest_reads(0), "\x1b[x");
}

/*
 * An encoded Ctrl-] whose bytes two interrupts read: held across them, at
 * a burst's end (the FIFO still full) or after ESC [ (it read empty).
 */
static void test_rx_an_encoded_escape_split_between_interrupts_still_switches(void **state)
{
	char burst[CONSOLE_RX_BURST + 7];

	(void)state;
	memset(burst, 'a', sizeof(burst));
	memcpy(burst + CONSOLE_RX_BURST - 1, "\x1b[93;5u3", 8); /* the ESC ends the burst */
	console_mux_init(0);
	forget_output();
	uart_has(burst, sizeof(burst));
	console_mux_rx();
	console_mux_rx();
	assert_log_is(TO_CELL("delta"));
	assert_int_equal(strlen(guest_reads(0)), CONSOLE_RX_BURST - 1);
	forget_output();
	uart_has("\x1b[9", 3);
	console_mux_rx();
	uart_has("3;5uh", 5);
	console_mux_rx();
	assert_log_is(TO_SHELL);
	assert_string_equal(guest_reads(3), "");
}

/*
 * A lone ESC as the last byte of a burst that empties the FIFO (exactly a
 * burst waited): its line is low, no interrupt comes for the rest, so it is
 * timed now and reaches the cell once its time passes (until 2026-11-25 it
 * waited for the next key: a full burst was taken for a FIFO not yet empty).
 */
static void test_rx_a_lone_escape_ending_a_full_burst_is_timed(void **state)
{
	char burst[CONSOLE_RX_BURST];

	(void)state;
	memset(burst, 'a', sizeof(burst));
	burst[CONSOLE_RX_BURST - 1] = '\x1b';
	console_mux_init(115200);
	uart_has(burst, sizeof(burst));
	console_mux_rx();
	assert_int_equal(timer_due, now + HOLD_TICKS_115);
	assert_int_equal(strlen(guest_reads(0)), CONSOLE_RX_BURST - 1);
	time_passes(HOLD_TICKS_115);
	assert_string_equal(guest_reads(0), "\x1b");
	assert_int_equal(timer_due, 0);
}

static void uart_write(struct vuart *u, uint32_t v)
{
	struct mmio_access acc = {
		.ipa = 0x09000000 + UARTDR, .size = 4, .write = true, .value = v
	};

	assert_in_range(vuart_access(u, UARTDR, &acc), 0, VUART_LINE_MOVED);
}

/*
 * delta's line was refused while the console was full: once it has room
 * again (its transmit interrupt), delta's held line goes out and its UART's
 * interrupt line follows; no other cell's is raised.
 */
static void test_room_on_the_console_sends_a_held_line_and_raises_only_its_cells_line(void **state)
{
	(void)state;
	fake_console_set_full(true);
	for (const char *p = "held\n"; *p; p++)
		uart_write(&cells[3].vuart, (uint8_t)*p);
	assert_console_lines(0);
	fake_console_set_full(false);
	console_mux_tx_room();
	assert_console_lines(1);
	assert_console_line(0, "[delta] held");
	assert_int_equal(console_inputs[3], 1);
	assert_int_equal(console_inputs[0] + console_inputs[1] + console_inputs[2], 0);
	console_mux_tx_room(); /* nothing held any more */
	assert_int_equal(console_inputs[3], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_boot_gives_the_keyboard_to_the_first_cell_with_a_virtual_console,
			setup),
		cmocka_unit_test_setup(
			test_boot_leaves_every_console_printing_whole_lines_until_a_key, setup),
		cmocka_unit_test_setup(
			test_boot_with_no_cell_to_take_it_gives_the_keyboard_to_the_shell, setup),
		cmocka_unit_test_setup(
			test_keys_reach_the_focused_cells_guest_in_order_and_no_other, setup),
		cmocka_unit_test_setup(test_keys_past_a_full_receive_fifo_are_dropped_as_by_a_uart,
				       setup),
		cmocka_unit_test_setup(test_escape_digit_moves_the_keyboard_to_that_cell, setup),
		cmocka_unit_test_setup(test_escape_digit_of_the_focused_cell_keeps_it_and_says_so,
				       setup),
		cmocka_unit_test_setup(
			test_escape_digit_of_a_cell_without_a_console_leaves_the_keyboard, setup),
		cmocka_unit_test_setup(test_escape_digit_of_a_refused_cell_leaves_the_keyboard,
				       setup),
		cmocka_unit_test_setup(test_escape_digit_past_the_last_cell_leaves_the_keyboard,
				       setup),
		cmocka_unit_test_setup(test_escape_digit_leaves_the_shell_on_a_line_of_its_own,
				       setup),
		cmocka_unit_test_setup(test_escape_n_skips_cells_that_cannot_take_the_keyboard,
				       setup),
		cmocka_unit_test_setup(test_escape_n_wraps_around_to_the_first_cell, setup),
		cmocka_unit_test_setup(
			test_escape_n_from_the_shell_goes_to_the_first_cell_that_can_take_it,
			setup),
		cmocka_unit_test_setup(test_escape_n_with_one_cell_that_can_take_it_stays_there,
				       setup),
		cmocka_unit_test_setup(test_escape_n_goes_to_a_stopped_cell_and_says_it_is_stopped,
				       setup),
		cmocka_unit_test_setup(
			test_escape_h_gives_the_keyboard_to_the_shell_with_its_prompt, setup),
		cmocka_unit_test_setup(test_escape_question_mark_prints_help_and_moves_nothing,
				       setup),
		cmocka_unit_test_setup(
			test_escape_any_other_key_prints_help_and_the_key_goes_nowhere, setup),
		cmocka_unit_test_setup(test_escape_escape_sends_one_escape_to_the_focused_cell,
				       setup),
		cmocka_unit_test_setup(test_escape_escape_then_a_digit_types_the_digit, setup),
		cmocka_unit_test_setup(test_escape_escape_sends_one_escape_to_the_shell, setup),
		cmocka_unit_test_setup(
			test_a_stopped_cell_takes_the_keyboard_and_drops_keys_saying_so_once,
			setup),
		cmocka_unit_test_setup(test_a_stopped_cells_drops_are_told_again_after_it_ran,
				       setup),
		cmocka_unit_test_setup(
			test_a_stopped_cells_drops_are_told_again_after_a_start_with_no_key, setup),
		cmocka_unit_test_setup(test_a_failed_cells_drops_say_it_failed_not_to_start_it,
				       setup),
		cmocka_unit_test_setup(test_a_restarting_cell_takes_keys_its_reload_empties, setup),
		cmocka_unit_test_setup(
			test_with_no_cell_to_take_it_every_key_leaves_the_keyboard_with_the_shell,
			setup),
		cmocka_unit_test_setup(
			test_with_no_cells_at_all_every_key_leaves_the_keyboard_with_the_shell,
			setup),
		cmocka_unit_test_setup(test_rx_acknowledges_first_and_takes_at_most_a_burst, setup),
		cmocka_unit_test_setup(
			test_rx_an_escape_split_between_two_interrupts_still_switches, setup),
		cmocka_unit_test_setup(test_ctrl_bracket_as_kitty_sends_it_is_the_escape, setup),
		cmocka_unit_test_setup(
			test_ctrl_bracket_as_modify_other_keys_sends_it_is_the_escape, setup),
		cmocka_unit_test_setup(test_ctrl_bracket_with_kitty_events_and_locks_is_the_escape,
				       setup),
		cmocka_unit_test_setup(test_encoded_ctrl_bracket_twice_sends_one_escape_to_the_cell,
				       setup),
		cmocka_unit_test_setup(test_other_encoded_keys_reach_the_cell_as_they_came, setup),
		cmocka_unit_test_setup(
			test_rx_an_encoded_escape_whose_esc_came_alone_still_switches, setup),
		cmocka_unit_test_setup(
			test_rx_a_lone_escape_key_reaches_the_cell_once_its_time_passes, setup),
		cmocka_unit_test_setup(test_rx_the_fifo_is_read_before_a_lone_escape_is_given_on,
				       setup),
		cmocka_unit_test_setup(test_rx_a_second_lone_escape_is_timed_from_its_own_arrival,
				       setup),
		cmocka_unit_test_setup(test_rx_alt_keys_are_not_timed, setup),
		cmocka_unit_test_setup(
			test_rx_an_encoded_escape_split_between_interrupts_still_switches, setup),
		cmocka_unit_test_setup(test_rx_a_lone_escape_ending_a_full_burst_is_timed, setup),
		cmocka_unit_test_setup(test_rx_a_nul_byte_is_a_key_and_the_burst_goes_on, setup),
		cmocka_unit_test_setup(
			test_room_on_the_console_sends_a_held_line_and_raises_only_its_cells_line,
			setup),
	};

	return cmocka_run_group_tests_name("console_mux", tests, NULL, NULL);
}
