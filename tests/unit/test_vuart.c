// SPDX-License-Identifier: GPL-2.0-only
/* Host tests of partitions/vuart.c: the emulated PL011 as drivers see it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_console.h"
#include "fake_log.h"
#include "vuart.h"

/* Register offsets and bits, spelled out again from DDI 0183 to check the emulator. */
#define UARTDR	      0x000
#define UARTRSR	      0x004
#define UARTFR	      0x018
#define UARTILPR      0x020
#define UARTIBRD      0x024
#define UARTFBRD      0x028
#define UARTLCR_H     0x02C
#define UARTCR	      0x030
#define UARTIFLS      0x034
#define UARTIMSC      0x038
#define UARTRIS	      0x03C
#define UARTMIS	      0x040
#define UARTICR	      0x044
#define UARTDMACR     0x048
#define UARTPERIPHID0 0xFE0

#define UARTFR_BUSY (1u << 3)
#define UARTFR_RXFE (1u << 4)
#define UARTFR_TXFF (1u << 5)
#define UARTFR_RXFF (1u << 6)
#define UARTFR_TXFE (1u << 7)
#define UARTCR_LBE  (1u << 7)
#define RXIS	    (1u << 4)
#define TXIS	    (1u << 5)
#define RTIS	    (1u << 6)
#define OEIS	    (1u << 10)

/* Every lock in these single-threaded tests is free, but for one a lost CPU holds. */
#define RELAX_LIMIT 100000
static unsigned int relaxes;
/* A lock another, live CPU holds for a moment: let go at the wait numbered let_go_at. */
static struct spinlock *let_go;
static unsigned int let_go_at;
/* The cell's lost CPUs, for uart.lost: set by a test, or by its hooks as a CPU is lost. */
static uint32_t uart_lost;
/* A push's claim another, live CPU holds for a moment: given back at the wait let_go_at. */
static bool *let_go_claim;

void arch_cpu_relax(void)
{
	if (let_go && relaxes + 1 == let_go_at) {
		spin_unlock(let_go);
		let_go = NULL;
	}
	if (let_go_claim && relaxes + 1 == let_go_at) {
		__atomic_store_n(let_go_claim, false, __ATOMIC_RELEASE);
		let_go_claim = NULL;
	}
	if (++relaxes > RELAX_LIMIT)
		fail_msg("waited %u times for a lock whose holder was lost", relaxes);
}

static struct vuart uart, other;
/* Each UART's line as the vGIC has it: what vgic_hw_vuart_update() passed on. */
static bool vgic_line_uart, vgic_line_other;

static bool *vgic_line(struct vuart *u)
{
	return u == &uart ? &vgic_line_uart : &vgic_line_other;
}

/* vgic_hw_vuart_update(): a level the vGIC does not have yet, passed on. */
static void vgic_update(struct vuart *u)
{
	bool level;

	if (vuart_irq_begin(u, &level))
		*vgic_line(u) = level;
	vuart_irq_end(u);
}

static int setup(void **state)
{
	(void)state;
	memset(&uart, 0, sizeof(uart));
	memset(&other, 0, sizeof(other));
	vuart_reset(&uart, "linux");
	vuart_reset(&other, "rtos");
	vgic_line_uart = vgic_line_other = false;
	relaxes = 0;
	let_go = NULL;
	let_go_claim = NULL;
	uart_lost = 0;
	fake_console_reset();
	fake_log_reset();
	return 0;
}

/* An access as partitions/mmio.c makes it: the vGIC told when the UART says the line moved. */
static int access(struct vuart *u, uint64_t off, unsigned int size, bool write, uint64_t *val)
{
	struct mmio_access acc = {
		.ipa = 0x09000000 + off, .size = size, .write = write, .value = *val
	};
	int ret = vuart_access(u, off, &acc);

	*val = acc.value;
	if (ret == VUART_LINE_MOVED) {
		vgic_update(u);
		ret = 0;
	}
	return ret;
}

static void wr(struct vuart *u, uint64_t off, uint32_t val)
{
	uint64_t v = val;

	assert_int_equal(access(u, off, 4, true, &v), 0);
}

static uint32_t rd(struct vuart *u, uint64_t off)
{
	uint64_t v = 0xDEADBEEFDEADBEEFull;

	assert_int_equal(access(u, off, 4, false, &v), 0);
	return (uint32_t)v;
}

static void put_bytes(struct vuart *u, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		wr(u, UARTDR, (uint8_t)s[i]);
}

static void put_str(struct vuart *u, const char *s)
{
	put_bytes(u, s, strlen(s));
}

/* --- lines ------------------------------------------------------------------ */

static void test_line_is_emitted_whole_with_label_only_at_newline(void **state)
{
	(void)state;
	put_str(&uart, "hello");
	assert_console_lines(0);
	put_str(&uart, "\n");
	assert_console_lines(1);
	assert_console_line(0, "[linux] hello");
}

static void test_carriage_return_is_dropped(void **state)
{
	(void)state;
	put_str(&uart, "a\rb\r\n");
	assert_console_lines(1);
	assert_console_line(0, "[linux] ab");
}

static void test_empty_line_is_emitted_as_prefix_only(void **state)
{
	(void)state;
	put_str(&uart, "\r\n");
	assert_console_lines(1);
	assert_console_line(0, "[linux] ");
}

static void test_nul_byte_is_dropped_and_does_not_cut_the_line(void **state)
{
	(void)state;
	put_bytes(&uart, "ab\0cd\n", 6);
	assert_console_lines(1);
	assert_console_line(0, "[linux] abcd");
}

static void test_a_cell_without_the_keyboard_shows_its_escapes_instead_of_sending_them(void **state)
{
	(void)state;
	put_str(&uart, "\x1b[1;34mdir\x1b[0m\tfile\n");
	assert_console_line(0, "[linux] ^[[1;34mdir^[[0m\tfile");
}

static void test_a_cell_cannot_backspace_over_its_prefix_to_forge_the_hypervisors(void **state)
{
	(void)state;
	put_str(&uart, "\b\b\b\b\b\b\b\b[bulkhead] shell: 0 alpha stopped\n");
	put_str(&uart, "\x1b[2K\x1b[1G[rtos] forged\x7f\n");
	assert_console_line(0, "[linux] ^H^H^H^H^H^H^H^H[bulkhead] shell: 0 alpha stopped");
	assert_console_line(1, "[linux] ^[[2K^[[1G[rtos] forged^?");
}

static void test_a_title_report_request_reaches_the_terminal_as_text(void **state)
{
	(void)state;
	/* OSC 2 sets the title "stop rtos", CSI 21 t would type it back as input. */
	put_str(&uart, "\x1b]2;stop rtos\x07\x1b[21t\n");
	/* C1 CSI (U+009B) in UTF-8, then a UTF-8 text with a C1-range continuation byte. */
	put_str(&uart, "\xc2\x9b"
		       "2J caf\xc3\xa9 \xe2\x82\xac\n");
	assert_console_line(0, "[linux] ^[]2;stop rtos^G^[[21t");
	assert_console_line(1, "[linux] ^[[2J caf\xc3\xa9 \xe2\x82\xac");
}

static void test_the_cell_with_the_keyboard_sends_its_escapes_as_they_are(void **state)
{
	(void)state;
	vuart_set_live(&uart, true);
	put_str(&uart, "\x1b[1;34mdir\x1b[0m\tfile\n");
	vuart_set_live(&uart, false);
	assert_console_line(0, "[linux] \x1b[1;34mdir\x1b[0m\tfile");
}

/*
 * But never the console's escape, Ctrl-]: a title holding Ctrl-] h and a
 * command, which a terminal reporting its title types back, would switch
 * the keyboard to the hypervisor shell and run the command there.
 */
static void test_the_cell_with_the_keyboard_cannot_send_the_console_escape(void **state)
{
	(void)state;
	vuart_set_live(&uart, true);
	put_str(&uart, "\x1b]2;\x1dhstop rtos\r\x07\x1b[21t\n");
	vuart_set_live(&uart, false);
	assert_console_line(0, "[linux] \x1b]2;^]hstop rtos\x07\x1b[21t");
}

/*
 * The keyboard comes: the cell's unfinished line is shown at once (none: no
 * open line), and a line ended leaves nothing open; it leaves: the line is
 * ended.
 */
static void test_the_unfinished_line_is_shown_while_the_keyboard_is_there(void **state)
{
	(void)state;
	vuart_set_live(&uart, true);
	assert_false(fake_console_partial_open());
	vuart_set_live(&uart, false);
	put_str(&uart, "$ ");
	assert_false(fake_console_partial_open());
	vuart_set_live(&uart, true);
	assert_true(fake_console_partial_open());
	put_str(&uart, "ls\n"); /* the line ends: nothing of it left open */
	assert_console_line(0, "[linux] $ ls");
	assert_false(fake_console_partial_open());
	put_str(&uart, "$");
	assert_true(fake_console_partial_open());
	vuart_set_live(&uart, false);
	assert_false(fake_console_partial_open());
}

static void keyboard_leaves_uart(void)
{
	vuart_set_live(&uart, false);
}

/*
 * The keyboard leaves between a byte's copy of the open line, taken under
 * the UART's lock, and its write to the console: the line vuart_set_live()
 * ended must not stay reopened behind it.
 */
static void test_open_line_written_as_the_keyboard_leaves_is_ended(void **state)
{
	(void)state;
	vuart_set_live(&uart, true);
	put_str(&uart, "$ ");
	assert_true(fake_console_partial_open());
	fake_console_before_next_partial(keyboard_leaves_uart);
	put_str(&uart, "l");
	assert_false(fake_console_partial_open());
	put_str(&uart, "s\n");
	assert_console_lines(1);
	assert_console_line(0, "[linux] $ ls");
	assert_false(fake_console_partial_open());
}

/* A whole line of @byte, as long as the UART takes, shows whole: each byte as @caret. */
static void assert_line_of_shown_whole(char byte, const char *caret)
{
	char text[VUART_LINE_MAX], expected[3 * VUART_LINE_MAX + 16];

	memset(text, byte, VUART_LINE_MAX - 1);
	text[VUART_LINE_MAX - 1] = '\0';
	put_str(&uart, text);
	put_str(&uart, "\n");
	strcpy(expected, "[linux] ");
	for (unsigned int i = 0; i < VUART_LINE_MAX - 1; i++)
		strcat(expected, caret);
	assert_console_lines(1);
	assert_console_line(0, expected);
}

static void test_a_line_of_nothing_but_escapes_is_shown_whole(void **state)
{
	(void)state;
	assert_line_of_shown_whole('\x1b', "^[");
}

/* A lone C1 byte (CSI, 0x9b) shows as ^[[: three characters for one byte, none lost. */
static void test_a_line_of_nothing_but_c1_bytes_is_shown_whole(void **state)
{
	(void)state;
	assert_line_of_shown_whole('\x9b', "^[[");
}

static void test_caret_escape_truncates_at_a_whole_character(void **state)
{
	char out[6];

	(void)state;
	assert_int_equal(caret_escape(out, sizeof(out), "ab\x1b[c"), 5);
	assert_string_equal(out, "ab^[[");
	assert_int_equal(caret_escape(out, 4, "ab\x1b"), 2);
	assert_string_equal(out, "ab");
	/* A stray C1 byte, not continuing a UTF-8 character: an 8-bit terminal's CSI. */
	assert_int_equal(caret_escape(out, sizeof(out),
				      "\x9b"
				      "1m"),
			 5);
	assert_string_equal(out, "^[[1m");
}

/*
 * A byte 0x80-0x9f passes only inside a well-formed UTF-8 character, where a
 * UTF-8 terminal reads it as part of it. After a lead byte that it does not
 * complete (an overlong form, a sequence cut short) it is what an 8-bit
 * terminal takes for a C1 control: 0x9b is CSI, and a cell without the
 * keyboard could move the cursor over its prefix. Until 2026-11-23 any
 * lead byte let the next bytes 0x80-0x9f through.
 */
static void test_c1_bytes_outside_a_well_formed_utf8_character_show_in_caret_form(void **state)
{
	static const struct {
		const char *in, *shown;
	} cases[] = {
		/* Well-formed: U (c3 9b), U+2600, U+1B000 (f0 9b 80 80), U+10FFFF: as they are. */
		{ "\xc3\x9b \xe2\x98\x80 \xf0\x9b\x80\x80 \xf4\x8f\xbf\xbf",
		  "\xc3\x9b \xe2\x98\x80 \xf0\x9b\x80\x80 \xf4\x8f\xbf\xbf" },
		/* Overlong: ESC [ as 0xe0 0x80 0x9b would be CSI, and 0xc0 0x9b. */
		{ "\xe0\x80\x9b"
		  "2J",
		  "\xe0^[@^[[2J" },
		{ "\xc0\x9b"
		  "H",
		  "\xc0^[[H" },
		/* Cut short by ASCII, by ESC, by the end of the line. */
		{ "\xe2\x9b"
		  "1m",
		  "\xe2^[[1m" },
		{ "\xc2\x1b[2J", "\xc2^[[2J" },
		{ "x\xf0\x9b\x80", "x\xf0^[[^[@" },
		/* A surrogate, and past U+10FFFF. */
		{ "\xed\xa0\x80", "\xed\xa0^[@" },
		{ "\xf4\x90\x80\x80", "\xf4^[P^[@^[@" },
		/* Continuation bytes with no lead at all, after a whole character. */
		{ "\xc3\xa9\x9b\x9b", "\xc3\xa9^[[^[[" },
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		caret_escape(out, sizeof(out), cases[i].in);
		if (strcmp(out, cases[i].shown))
			fail_msg("case %zu: shown as \"%s\", expected \"%s\"", i, out,
				 cases[i].shown);
	}
}

/* A character that does not fit is left out whole, never cut after its lead byte. */
static void test_caret_escape_truncates_before_a_utf8_character(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(caret_escape(out, sizeof(out), "a\xe2\x98\x80"), 1);
	assert_string_equal(out, "a");
}

static void test_long_line_is_split_at_the_limit(void **state)
{
	char text[VUART_LINE_MAX], expected[VUART_LINE_MAX + 16];

	(void)state;
	memset(text, 'x', VUART_LINE_MAX - 1);
	text[VUART_LINE_MAX - 1] = '\0';
	put_str(&uart, text);
	put_str(&uart, "yz\n");
	snprintf(expected, sizeof(expected), "[linux] %s", text);
	assert_console_lines(2);
	assert_console_line(0, expected);
	assert_console_line(1, "[linux] yz");
}

static void test_line_exactly_at_the_limit_is_emitted_once(void **state)
{
	char full[VUART_LINE_MAX];

	(void)state;
	memset(full, 'x', VUART_LINE_MAX - 1);
	full[VUART_LINE_MAX - 1] = '\0';
	put_str(&uart, full);
	put_str(&uart, "\n");
	assert_console_lines(1);
	assert_int_equal(strlen(fake_console_line(0)), strlen("[linux] ") + VUART_LINE_MAX - 1);
}

static void test_two_vuarts_interleaving_bytes_emit_whole_lines_each(void **state)
{
	const char *a = "from linux\n", *b = "from rtos\n";
	size_t i, na = strlen(a), nb = strlen(b);

	(void)state;
	for (i = 0; i < na || i < nb; i++) {
		if (i < na)
			wr(&uart, UARTDR, (uint8_t)a[i]);
		if (i < nb)
			wr(&other, UARTDR, (uint8_t)b[i]);
	}
	assert_console_lines(2);
	/* "from rtos\n" is one byte shorter, so its newline comes first. */
	assert_console_line(0, "[rtos] from rtos");
	assert_console_line(1, "[linux] from linux");
}

static void test_flush_emits_a_partial_line(void **state)
{
	(void)state;
	put_str(&uart, "/ # ");
	vuart_flush(&uart, false);
	assert_console_lines(1);
	assert_console_line(0, "[linux] / # ");
}

static void test_flush_with_nothing_pending_emits_nothing(void **state)
{
	(void)state;
	put_str(&uart, "done\n");
	vuart_flush(&uart, false);
	assert_console_lines(1);
}

static void test_long_label_is_cut_to_fit_the_prefix(void **state)
{
	(void)state;
	vuart_reset(&uart, "a-label-far-longer-than-any-layout-allows");
	put_str(&uart, "x\n");
	assert_true(strlen(fake_console_line(0)) < VUART_PREFIX_MAX + 1);
	assert_console_line(0, "[a-label-far-longer-t] x");
}

/* --- a console without room for the cell --------------------------------------- */

/*
 * The console refuses the cell's line (its share is full): the line is held,
 * the transmitter busy and TXRIS low; VUART_TX_FIFO bytes more fit behind it,
 * then TXFF, and a byte written anyway is dropped. Once the console has room,
 * vuart_push() sends the held line and the lines behind it, and TXRIS rises.
 */
static void test_a_refused_line_is_held_and_the_fifo_fills_behind_it(void **state)
{
	char behind[VUART_TX_FIFO + 1];

	(void)state;
	wr(&uart, UARTICR, TXIS);
	fake_console_set_full(true);
	put_str(&uart, "first\n");
	assert_console_lines(0);
	assert_int_equal(rd(&uart, UARTFR), UARTFR_BUSY | UARTFR_RXFE);
	assert_int_equal(rd(&uart, UARTRIS) & TXIS, 0);
	memset(behind, 'x', sizeof(behind));
	memcpy(behind, "second\n", 7);
	put_bytes(&uart, behind, VUART_TX_FIFO - 1);
	assert_false(rd(&uart, UARTFR) & UARTFR_TXFF);
	put_bytes(&uart, behind + VUART_TX_FIFO - 1, 1);
	assert_int_equal(rd(&uart, UARTFR), UARTFR_BUSY | UARTFR_TXFF | UARTFR_RXFE);
	put_str(&uart, "Z");		 /* written with TXFF set: dropped */
	assert_false(vuart_push(&uart)); /* still no room */
	assert_console_lines(0);

	fake_console_set_full(false);
	assert_true(vuart_push(&uart));
	assert_console_lines(2);
	assert_console_line(0, "[linux] first");
	assert_console_line(1, "[linux] second");
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
	assert_int_equal(rd(&uart, UARTRIS) & TXIS, TXIS);
	assert_logged("W: [linux] console: the guest wrote 1 byte(s) while its UART said "
		      "UARTFR.TXFF");
	put_str(&uart, "\n");
	assert_console_lines(3);
	assert_console_line(2, "[linux] xxxxxxxxxxxxxxxxxxxxxxxxx"); /* the 25 behind, no Z */
	assert_false(vuart_push(&uart));			     /* nothing held */
}

/* A byte written with TXFF set, into a console with no room, then the room. */
static void drop_one_byte(void)
{
	char behind[VUART_TX_FIFO];

	fake_console_set_full(true);
	put_str(&uart, "held\n");
	memset(behind, 'x', sizeof(behind));
	put_bytes(&uart, behind, sizeof(behind));
	assert_true(rd(&uart, UARTFR) & UARTFR_TXFF);
	put_str(&uart, "Z");
	fake_console_set_full(false);
	assert_true(vuart_push(&uart));
}

/*
 * The drop is told the first time in the cell's life, not once a boot: a
 * cell that dropped a byte and restarted itself on every boot added a WARN
 * line to the shared console each time, outside its share and past the
 * quiet of a restart storm.
 */
static void test_a_drop_is_told_once_across_restarts(void **state)
{
	(void)state;
	drop_one_byte();
	assert_logged("UARTFR.TXFF");
	vuart_reset(&uart, "linux");
	fake_log_reset();
	drop_one_byte();
	assert_not_logged("UARTFR.TXFF");
}

/* The console's room comes, and is told, while the cell's own CPU is being refused. */
static void room_told_meanwhile(void)
{
	fake_console_set_full(false);
	assert_false(vuart_push(&uart)); /* the cell's CPU is at it: asks it to try again */
}

static void test_room_told_during_a_refusal_is_not_lost(void **state)
{
	(void)state;
	fake_console_on_next_refusal(room_told_meanwhile);
	fake_console_set_full(true);
	put_str(&uart, "told late\n");
	assert_console_lines(1);
	assert_console_line(0, "[linux] told late");
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
}

/* Another vCPU polling UARTFR while the line is refused (Linux waits for BUSY to clear). */
static void poll_fr_meanwhile(void)
{
	for (int i = 0; i < 3; i++)
		rd(&uart, UARTFR);
}

/*
 * Polling is no news of room: the pusher gives up after one refusal (it once
 * retried for ever, holding the boot CPU), and later polls offer nothing
 * until the console says bytes left.
 */
static void test_polling_during_a_refusal_is_no_news_of_room(void **state)
{
	(void)state;
	fake_console_on_next_refusal(poll_fr_meanwhile);
	fake_console_set_full(true);
	put_str(&uart, "refused once\n");
	assert_int_equal(fake_console_refused(), 1);
	assert_int_equal(rd(&uart, UARTFR), UARTFR_BUSY | UARTFR_RXFE);
	assert_int_equal(fake_console_refused(), 1);
	assert_false(vuart_push(&uart));
	assert_int_equal(fake_console_refused(), 1);
	fake_console_set_full(false);
	assert_true(vuart_push(&uart));
	assert_console_line(0, "[linux] refused once");
}

/* Bytes leave the console at every refusal, and it stays full: the one news the pusher has. */
static void room_comes_and_goes(void)
{
	fake_console_set_full(false);
	fake_console_set_full(true);
	fake_console_on_next_refusal(room_comes_and_goes);
}

/*
 * Bytes leaving at each refusal are news, but a pusher offers the held line
 * VUART_PUSH_TRIES times at most, then leaves it held: the CPU pushing (the
 * boot CPU's console interrupt, or a guest's UARTFR poll) never spins while
 * others keep the console busy.
 */
static void test_a_push_offers_the_line_a_bounded_number_of_times(void **state)
{
	unsigned int refused;

	(void)state;
	fake_console_set_full(true);
	put_str(&uart, "busy\n");
	refused = fake_console_refused();
	fake_console_set_full(false);
	fake_console_set_full(true);
	fake_console_on_next_refusal(room_comes_and_goes);
	assert_false(vuart_push(&uart));
	assert_int_equal(fake_console_refused() - refused, VUART_PUSH_TRIES);
	assert_true(uart.held);
	assert_console_lines(0);
}

/* A driver that polls UARTFR for room gets the held line out by polling. */
static void test_polling_uartfr_offers_the_held_line_again(void **state)
{
	(void)state;
	fake_console_set_full(true);
	put_str(&uart, "polled\n");
	assert_int_equal(rd(&uart, UARTFR), UARTFR_BUSY | UARTFR_RXFE);
	fake_console_set_full(false);
	rd(&uart, UARTFR);
	assert_console_lines(1);
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
}

/*
 * The CPU that takes the console's transmit interrupt may have its own
 * masked for a long while (its cell reloading): a guest polling UARTFR for
 * room moves the console's queue itself, and its line goes out.
 */
static void test_polling_uartfr_moves_the_console_queue_itself(void **state)
{
	(void)state;
	fake_console_set_full(true);
	put_str(&uart, "waiting\n");
	assert_int_equal(rd(&uart, UARTFR), UARTFR_BUSY | UARTFR_RXFE);
	fake_console_room_on_poke(true);
	rd(&uart, UARTFR);
	fake_console_room_on_poke(false);
	assert_console_line(0, "[linux] waiting");
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
}

/* A stopping cell's held and unfinished lines go out while its share has room. */
static void test_flush_prints_held_and_partial_lines_with_room(void **state)
{
	(void)state;
	fake_console_set_full(true);
	put_str(&uart, "held\nbehind\n/ # ");
	assert_console_lines(0);
	fake_console_set_full(false);
	vuart_flush(&uart, false);
	assert_console_lines(3);
	assert_console_line(0, "[linux] held");
	assert_console_line(1, "[linux] behind");
	assert_console_line(2, "[linux] / # ");
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
	assert_int_equal(uart.flush_dropped, 0);
	assert_not_logged("not shown");
}

/*
 * Without room in its share they are dropped, not forced out past it (a cell
 * restarting in a loop filled the console's ring that way): counted, kept
 * across the restart, and told unless the boot is a restart storm's.
 */
static void test_flush_without_room_drops_counts_and_tells(void **state)
{
	(void)state;
	fake_console_set_full(true);
	put_str(&uart, "held\nbehind\n/ # ");
	vuart_flush(&uart, false);
	assert_console_lines(0);
	assert_int_equal(uart.flush_dropped, 3);
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
	assert_logged("W: [linux] console: 3 line(s) it left at a stop or restart not shown");
	vuart_reset(&uart, "linux");
	fake_log_reset();
	put_str(&uart, "storm boot");
	vuart_flush(&uart, true);
	assert_int_equal(uart.flush_dropped, 4);
	assert_not_logged("not shown");
}

/* A restart empties the transmit side too: nothing held survives it. */
static void test_reset_drops_a_held_line(void **state)
{
	(void)state;
	fake_console_set_full(true);
	put_str(&uart, "before the restart\n");
	vuart_reset(&uart, "linux");
	fake_console_set_full(false);
	assert_false(vuart_push(&uart));
	assert_console_lines(0);
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
	assert_int_equal(rd(&uart, UARTRIS) & TXIS, TXIS);
}

/* --- flags and receive ------------------------------------------------------- */

static void test_fr_idle_reports_tx_empty_and_rx_empty(void **state)
{
	(void)state;
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
}

static void test_fr_never_reports_tx_full_or_busy_while_writing(void **state)
{
	(void)state;
	put_str(&uart, "0123456789abcdefghijklmnopqrstuvwxyz");
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
}

static void test_fr_clears_rxfe_when_input_is_queued(void **state)
{
	(void)state;
	assert_true(vuart_receive(&uart, 'a'));
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE);
}

static void test_fr_sets_rxff_when_the_rx_fifo_is_full(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < VUART_RX_MAX; i++)
		assert_true(vuart_receive(&uart, (uint8_t)i));
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFF);
}

static void test_receive_drops_a_byte_when_the_fifo_is_full(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < VUART_RX_MAX; i++)
		vuart_receive(&uart, 'a');
	assert_false(vuart_receive(&uart, 'b'));
	for (i = 0; i < VUART_RX_MAX; i++)
		assert_int_equal(rd(&uart, UARTDR), 'a');
	assert_true(rd(&uart, UARTFR) & UARTFR_RXFE);
}

static void test_dr_read_pops_input_in_order(void **state)
{
	(void)state;
	vuart_receive(&uart, 'l');
	vuart_receive(&uart, 's');
	vuart_receive(&uart, '\r');
	assert_int_equal(rd(&uart, UARTDR), 'l');
	assert_int_equal(rd(&uart, UARTDR), 's');
	assert_int_equal(rd(&uart, UARTDR), '\r');
	assert_true(rd(&uart, UARTFR) & UARTFR_RXFE);
}

/* ... and takes nothing: the FIFO stays empty, the next byte received is the next read. */
static void test_dr_read_with_no_input_returns_zero(void **state)
{
	(void)state;
	assert_int_equal(rd(&uart, UARTDR), 0);
	assert_int_equal(rd(&uart, UARTDR), 0);
	assert_true(rd(&uart, UARTFR) & UARTFR_RXFE);
	assert_true(vuart_receive(&uart, 'k'));
	assert_int_equal(rd(&uart, UARTDR), 'k');
	assert_true(rd(&uart, UARTFR) & UARTFR_RXFE);
}

static void test_rx_fifo_wraps_around(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < 3 * VUART_RX_MAX; i++) {
		vuart_receive(&uart, (uint8_t)i);
		vuart_receive(&uart, (uint8_t)(i + 1));
		assert_int_equal(rd(&uart, UARTDR), (uint8_t)i);
		assert_int_equal(rd(&uart, UARTDR), (uint8_t)(i + 1));
	}
	assert_true(rd(&uart, UARTFR) & UARTFR_RXFE);
}

/* --- interrupts ---------------------------------------------------------------- */

static void test_input_raises_rx_and_rt_until_the_fifo_is_drained(void **state)
{
	(void)state;
	vuart_receive(&uart, 'a');
	vuart_receive(&uart, 'b');
	assert_int_equal(rd(&uart, UARTRIS) & (RXIS | RTIS), RXIS | RTIS);
	rd(&uart, UARTDR);
	assert_int_equal(rd(&uart, UARTRIS) & (RXIS | RTIS), RXIS | RTIS);
	rd(&uart, UARTDR);
	assert_int_equal(rd(&uart, UARTRIS) & (RXIS | RTIS), 0);
}

static void test_icr_clears_only_the_ris_bits_written_as_one(void **state)
{
	(void)state;
	vuart_receive(&uart, 'a');
	wr(&uart, UARTICR, RXIS);
	assert_int_equal(rd(&uart, UARTRIS), TXIS | RTIS);
	wr(&uart, UARTICR, 0);
	assert_int_equal(rd(&uart, UARTRIS), TXIS | RTIS);
}

static void test_ris_mis_and_icr_writes_do_not_set_bits(void **state)
{
	(void)state;
	wr(&uart, UARTRIS, OEIS);
	wr(&uart, UARTMIS, OEIS);
	wr(&uart, UARTICR, 0x7FF);
	assert_int_equal(rd(&uart, UARTRIS), 0);
	assert_int_equal(rd(&uart, UARTICR), 0);
}

static void test_mis_is_ris_masked_by_imsc(void **state)
{
	(void)state;
	vuart_receive(&uart, 'a');
	wr(&uart, UARTIMSC, RXIS);
	assert_int_equal(rd(&uart, UARTMIS), RXIS);
	wr(&uart, UARTIMSC, RTIS | TXIS);
	assert_int_equal(rd(&uart, UARTMIS), RTIS | TXIS);
}

/* The UART's interrupt line as the vGIC has it after console input (vgic_hw_vuart_input()). */
static bool vuart_irq_pending(struct vuart *u)
{
	vgic_update(u);
	return *vgic_line(u);
}

/* The line itself, UARTMIS != 0, read without an access. */
static bool mis_level(const struct vuart *u)
{
	return (u->ris & u->imsc) != 0;
}

static void assert_vgic_has_the_line(struct vuart *u, const char *after)
{
	if (*vgic_line(u) != mis_level(u))
		fail_msg("after %s the vGIC has the line %s, UARTMIS is 0x%x", after,
			 *vgic_line(u) ? "high" : "low", u->ris & u->imsc);
}

/*
 * Only the accesses that move the line ask the vGIC (the rest cost it
 * nothing), and after every access the vGIC has the line's level: none that
 * moves it goes untold (partitions/mmio.c tells it from the return value).
 */
static void test_the_vgic_is_told_of_every_move_and_only_of_moves(void **state)
{
	static const struct {
		uint32_t off, val;
		bool write, moves;
	} steps[] = {
		{ UARTFR, 0, false, false },	{ UARTIMSC, TXIS, true, true },
		{ UARTFR, 0, false, false },	{ UARTDR, 'a', true, false },
		{ UARTMIS, 0, false, false },	{ UARTICR, TXIS, true, true },
		{ UARTDR, '\n', true, true },	{ UARTIMSC, RXIS | RTIS, true, true },
		{ UARTCR, 0x381, true, false }, { UARTDR, 'l', true, true },
		{ UARTDR, 0, false, true },	{ UARTIMSC, 0, true, false },
	};
	struct mmio_access acc;
	unsigned int i;
	int ret;

	(void)state;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		acc = (struct mmio_access){ .size = 4,
					    .write = steps[i].write,
					    .value = steps[i].val };
		ret = vuart_access(&uart, steps[i].off, &acc);
		if (ret != (steps[i].moves ? VUART_LINE_MOVED : 0))
			fail_msg("step %u (%s 0x%x): vuart_access() returned %d", i,
				 steps[i].write ? "write" : "read", steps[i].off, ret);
		if (ret == VUART_LINE_MOVED)
			vgic_update(&uart);
		assert_vgic_has_the_line(&uart, "an access");
	}
}

/*
 * A restart resets the vGIC's model, line low, while the old boot may have
 * left the UART's line high: the UART forgets what it told the model
 * (vgic_hw_cell_init() calls vuart_irq_forget()), or the new boot's first
 * rise, as high as the old one, would never be told.
 */
static void test_the_first_rise_after_a_restart_is_told(void **state)
{
	(void)state;
	wr(&uart, UARTIMSC, TXIS);
	assert_true(*vgic_line(&uart));
	vuart_reset(&uart, "linux"); /* the reload (cell_reload_and_start()) */
	vgic_line_uart = false;	     /* vgic_init() */
	vuart_irq_forget(&uart);
	wr(&uart, UARTIMSC, TXIS); /* the new boot's first access */
	assert_vgic_has_the_line(&uart, "the new boot's first access");
}

/*
 * The vGIC is asked only when the line moved since it was last told, from
 * the guest's side or the console's (vuart_irq_begin_outside(), the lock free).
 */
static void test_the_line_is_told_once_per_move(void **state)
{
	bool level;

	(void)state;
	wr(&uart, UARTIMSC, TXIS);
	assert_true(*vgic_line(&uart));
	assert_false(vuart_irq_begin(&uart, &level));
	vuart_irq_end(&uart);
	assert_int_equal(vuart_irq_begin_outside(&uart, &level), 0);
	vuart_irq_end(&uart);
	wr(&uart, UARTICR, TXIS); /* told: low */
	assert_false(*vgic_line(&uart));
	vuart_receive(&uart, 'a');
	wr(&uart, UARTIMSC, TXIS | RXIS); /* told: high */
	assert_int_equal(vuart_irq_begin_outside(&uart, &level), 0);
	vuart_irq_end(&uart);
	rd(&uart, UARTDR); /* told: low */
	assert_true(vuart_receive(&uart, 'b'));
	assert_int_equal(vuart_irq_begin_outside(&uart, &level), 1);
	assert_true(level);
	vuart_irq_end(&uart);
	assert_int_equal(vuart_irq_begin_outside(&uart, &level), 0);
	vuart_irq_end(&uart);
}

/*
 * The held line going out on a poll raises TXRIS: with TXIM unmasked the
 * vGIC is told of the rise by the poll itself, the driver waiting for it.
 */
static void test_a_line_sent_by_polling_uartfr_raises_the_tx_interrupt(void **state)
{
	(void)state;
	fake_console_set_full(true);
	put_str(&uart, "polled\n");
	wr(&uart, UARTICR, TXIS);
	wr(&uart, UARTIMSC, TXIS);
	assert_false(*vgic_line(&uart));
	fake_console_set_full(false);
	rd(&uart, UARTFR);
	assert_console_lines(1);
	assert_true(mis_level(&uart));
	assert_vgic_has_the_line(&uart, "the poll that sent the held line");
}

static void test_irq_line_follows_mis(void **state)
{
	(void)state;
	/* Linux's startup: clear RX/RT, unmask them; nothing typed yet. */
	wr(&uart, UARTICR, RXIS | RTIS);
	wr(&uart, UARTIMSC, RXIS | RTIS);
	assert_false(vuart_irq_pending(&uart));
	vuart_receive(&uart, 'a');
	assert_true(vuart_irq_pending(&uart));
	rd(&uart, UARTDR);
	assert_false(vuart_irq_pending(&uart));
}

static void test_tx_interrupt_raised_at_reset_because_the_tx_fifo_is_empty(void **state)
{
	(void)state;
	assert_int_equal(rd(&uart, UARTRIS), TXIS);
	assert_false(vuart_irq_pending(&uart));
	wr(&uart, UARTIMSC, TXIS);
	assert_true(vuart_irq_pending(&uart));
}

static void test_tx_interrupt_cleared_by_icr_returns_on_the_next_write(void **state)
{
	(void)state;
	wr(&uart, UARTIMSC, TXIS);
	wr(&uart, UARTICR, TXIS);
	assert_false(vuart_irq_pending(&uart));
	wr(&uart, UARTDR, 'a');
	assert_true(vuart_irq_pending(&uart));
}

static void test_tx_interrupt_stays_raised_while_the_handler_refills(void **state)
{
	int round, i;

	(void)state;
	/* Linux's pl011_int: TXIM on, half a FIFO (8 bytes) per pass, no ICR of TXIS. */
	wr(&uart, UARTIMSC, TXIS | RXIS | RTIS);
	for (round = 0; round < 4; round++) {
		assert_true(rd(&uart, UARTMIS) & TXIS);
		for (i = 0; i < 8; i++)
			wr(&uart, UARTDR, 'a' + round);
	}
	wr(&uart, UARTDR, '\n');
	assert_true(vuart_irq_pending(&uart));
	assert_console_line(0, "[linux] aaaaaaaabbbbbbbbccccccccdddddddd");
	/* Done: the driver masks TXIM (pl011_stop_tx) and the line drops. */
	wr(&uart, UARTIMSC, RXIS | RTIS);
	assert_false(vuart_irq_pending(&uart));
}

/* --- registers -------------------------------------------------------------------- */

static void test_reset_values_match_the_trm(void **state)
{
	(void)state;
	assert_int_equal(rd(&uart, UARTCR), 0x300);
	assert_int_equal(rd(&uart, UARTIFLS), 0x12);
	assert_int_equal(rd(&uart, UARTLCR_H), 0);
	assert_int_equal(rd(&uart, UARTIBRD), 0);
	assert_int_equal(rd(&uart, UARTFBRD), 0);
	assert_int_equal(rd(&uart, UARTIMSC), 0);
	assert_int_equal(rd(&uart, UARTMIS), 0);
	assert_int_equal(rd(&uart, UARTDMACR), 0);
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
}

static void test_reset_drops_pending_input_and_registers(void **state)
{
	(void)state;
	vuart_receive(&uart, 'a');
	wr(&uart, UARTCR, 0x301);
	vuart_reset(&uart, "linux");
	assert_int_equal(rd(&uart, UARTCR), 0x300);
	assert_true(rd(&uart, UARTFR) & UARTFR_RXFE);
	assert_int_equal(rd(&uart, UARTRIS), TXIS);
}

static void test_control_registers_read_back_their_implemented_bits(void **state)
{
	(void)state;
	wr(&uart, UARTIBRD, 0xFFFFFFFF);
	wr(&uart, UARTFBRD, 0xFFFFFFFF);
	wr(&uart, UARTLCR_H, 0xFFFFFFFF);
	wr(&uart, UARTCR, 0xFFFFFFFF);
	wr(&uart, UARTIFLS, 0xFFFFFFFF);
	wr(&uart, UARTIMSC, 0xFFFFFFFF);
	wr(&uart, UARTDMACR, 0xFFFFFFFF);
	assert_int_equal(rd(&uart, UARTIBRD), 0xFFFF);
	assert_int_equal(rd(&uart, UARTFBRD), 0x3F);
	assert_int_equal(rd(&uart, UARTLCR_H), 0xFF);
	assert_int_equal(rd(&uart, UARTCR), 0xFF87);
	assert_int_equal(rd(&uart, UARTIFLS), 0x3F);
	assert_int_equal(rd(&uart, UARTIMSC), 0x7FF);
	assert_int_equal(rd(&uart, UARTDMACR), 0x7);
}

static void test_rsr_ilpr_and_unknown_offsets_read_as_zero_and_ignore_writes(void **state)
{
	static const uint64_t offs[] = { UARTRSR, UARTILPR, 0x008, 0x01C, 0x04C, 0x800, 0xFDC };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		wr(&uart, offs[i], 0xFFFFFFFF);
		if (rd(&uart, offs[i]) != 0)
			fail_msg("offset 0x%03lx read back non-zero", (unsigned long)offs[i]);
	}
	assert_console_lines(0);
}

static void test_fr_and_id_registers_ignore_writes(void **state)
{
	(void)state;
	wr(&uart, UARTFR, 0);
	wr(&uart, UARTPERIPHID0, 0);
	assert_int_equal(rd(&uart, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
	assert_int_equal(rd(&uart, UARTPERIPHID0), 0x11);
}

static void test_id_registers_identify_a_pl011_as_qemu_does(void **state)
{
	static const uint32_t id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
	uint32_t periphid = 0;
	unsigned int i;

	(void)state;
	for (i = 0; i < 8; i++)
		assert_int_equal(rd(&uart, UARTPERIPHID0 + 4 * i), id[i]);
	/* What the AMBA bus assembles and Linux's pl011 table matches (mask 0x000fffff). */
	for (i = 0; i < 4; i++)
		periphid |= rd(&uart, UARTPERIPHID0 + 4 * i) << (8 * i);
	assert_int_equal(periphid & 0x000FFFFF, 0x00041011);
}

static void test_loopback_feeds_transmitted_bytes_to_the_receiver(void **state)
{
	(void)state;
	wr(&uart, UARTCR, 0x301 | UARTCR_LBE);
	wr(&uart, UARTDR, 'q');
	assert_int_equal(rd(&uart, UARTDR), 'q');
	wr(&uart, UARTCR, 0x301);
	wr(&uart, UARTDR, 'r');
	assert_true(rd(&uart, UARTFR) & UARTFR_RXFE);
}

/*
 * Loopback into a full receive FIFO drops the byte, as keys from the console
 * do: the FIFO keeps its VUART_RX_MAX oldest and says full, and the guest
 * reads them back in order, then an empty FIFO.
 */
static void test_loopback_into_a_full_receive_fifo_drops_the_byte(void **state)
{
	unsigned int i;

	(void)state;
	wr(&uart, UARTCR, 0x301 | UARTCR_LBE);
	for (i = 0; i <= VUART_RX_MAX; i++)
		wr(&uart, UARTDR, 'a' + i % 26);
	assert_true(rd(&uart, UARTFR) & UARTFR_RXFF);
	for (i = 0; i < VUART_RX_MAX; i++)
		if (rd(&uart, UARTDR) != 'a' + i % 26)
			fail_msg("byte %u of the receive FIFO is not the %u-th looped back: the "
				 "byte "
				 "past a full FIFO overwrote one",
				 i, i);
	assert_true(rd(&uart, UARTFR) & UARTFR_RXFE);
}

/* --- access sizes ----------------------------------------------------------------- */

static void test_byte_write_to_dr_transmits_as_linux_earlycon_does(void **state)
{
	uint64_t v = 'k';

	(void)state;
	assert_int_equal(access(&uart, UARTDR, 1, true, &v), 0);
	v = '\n';
	assert_int_equal(access(&uart, UARTDR, 1, true, &v), 0);
	assert_console_line(0, "[linux] k");
}

static void test_halfword_accesses_reach_every_register_as_amba_pl011_does(void **state)
{
	uint64_t v = 0x0301;

	(void)state;
	assert_int_equal(access(&uart, UARTCR, 2, true, &v), 0);
	v = 0;
	assert_int_equal(access(&uart, UARTCR, 2, false, &v), 0);
	assert_int_equal(v, 0x0301);
	assert_int_equal(access(&uart, UARTFR, 2, false, &v), 0);
	assert_int_equal(v, UARTFR_TXFE | UARTFR_RXFE);
}

static void test_narrow_write_ignores_bits_above_its_size(void **state)
{
	uint64_t v = 0xFFFF0041;

	(void)state;
	assert_int_equal(access(&uart, UARTIMSC, 1, true, &v), 0);
	assert_int_equal(rd(&uart, UARTIMSC), 0x41);
}

static void test_64bit_access_is_refused(void **state)
{
	uint64_t v = 'x';

	(void)state;
	assert_int_equal(access(&uart, UARTDR, 8, true, &v), -EINVAL);
	assert_int_equal(access(&uart, UARTFR, 8, false, &v), -EINVAL);
	put_str(&uart, "\n");
	assert_console_line(0, "[linux] ");
}

static void test_unaligned_access_is_refused(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(access(&uart, UARTFR + 1, 1, false, &v), -EINVAL);
	assert_int_equal(access(&uart, UARTCR + 2, 2, true, &v), -EINVAL);
	assert_int_equal(access(&uart, UARTDR + 2, 4, false, &v), -EINVAL);
}

static void test_access_beyond_the_frame_is_refused(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(access(&uart, 0x1000, 4, false, &v), -EINVAL);
	assert_int_equal(access(&uart, 0xFFFFFFFF00000000ull, 4, false, &v), -EINVAL);
}

static void test_access_of_size_zero_or_three_is_refused(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(access(&uart, UARTFR, 0, false, &v), -EINVAL);
	assert_int_equal(access(&uart, UARTFR, 3, false, &v), -EINVAL);
}

/*
 * The cell's CPU was lost at EL2 inside its UART's lock (a guest's access),
 * and parks with it. The console's CPU then gives up on the lock, said once:
 * a key is dropped, the held line stays held, live echo and `irqs` leave it
 * out. Before 2026-11-25 it spun for ever in the console's interrupt, the
 * console and shell of every cell with it.
 */
static void test_the_console_side_gives_up_on_a_lock_a_lost_cpu_holds(void **state)
{
	uint32_t lost = 0;
	bool level;

	(void)state;
	uart.lost = &lost;
	fake_console_set_full(true);
	put_str(&uart, "held\n");
	fake_console_set_full(false);
	spin_lock(&uart.lock);		  /* the cell's CPU, as it faults */
	(void)spin_mark_lost(&uart.lock); /* its report (cell_locks_lost()) */
	lost = 1u;
	assert_false(vuart_receive(&uart, 'k'));
	assert_false(vuart_push(&uart));
	vuart_flush(&uart, false); /* the stop's: the line stays held, unshown */
	assert_true(uart.held);
	assert_int_equal(vuart_irq_begin_outside(&uart, &level), -1); /* no vuart_irq_end() */
	vuart_set_live(&uart, true);
	vuart_dump(&uart);
	assert_logged("W: [linux] console: its virtual UART's lock is held, and the cell lost a "
		      "CPU at EL2, which may hold it for good: not waited for by the console; "
		      "input dropped (further give-ups not logged)");
	assert_int_equal(fake_log_count(LOG_WARN), 1);
	assert_console_lines(0);
	assert_int_equal(uart.rx_count, 0);
	assert_false(uart.live);
}

/* The stopping CPU's vuart_flush() takes the lock for a moment, as the cell's CPU is lost. */
static void lose_a_cpu_with_the_lock_taken_for_a_moment(void)
{
	uart_lost = 1u;
	spin_lock(&uart.lock);
	let_go = &uart.lock;
	let_go_at = relaxes + 10;
}

/*
 * CPU 0 offers the held line again (bytes left the console since its
 * refusal), is refused, and @as_refused loses the cell's CPU meanwhile:
 * whatever came of the lock, the push's claim is given back.
 */
static void offer_the_held_line_losing_a_cpu(void (*as_refused)(void))
{
	uart.lost = &uart_lost;
	fake_console_set_full(true);
	put_str(&uart, "held\n");
	fake_console_set_full(false);
	fake_console_set_full(true);
	fake_console_on_next_refusal(as_refused);
	assert_false(vuart_push(&uart));
	assert_false(uart.pushing);
}

/*
 * Beta's CPU is lost at EL2 and its stop's flush takes beta's UART lock for
 * a moment, as CPU 0 (the console) comes back from offering beta's held line.
 * CPU 0 waits that moment out, and gives the push's claim back. Before
 * 2026-11-26 it gave up at the first look, the claim kept, and the flush
 * waited for the claim for ever, its interrupts masked.
 */
static void test_a_push_waits_out_a_live_holder_once_the_cell_lost_a_cpu(void **state)
{
	(void)state;
	offer_the_held_line_losing_a_cpu(lose_a_cpu_with_the_lock_taken_for_a_moment);
	assert_int_equal(fake_log_count(LOG_WARN), 0);
	fake_console_set_full(false);
	vuart_flush(&uart, false);
	assert_console_lines(1);
	assert_console_line(0, "[linux] held");
}

/* The lost CPU keeps the lock from the refusal on, marked by its report. */
static void lose_a_cpu_holding_the_lock(void)
{
	uart_lost = 1u;
	spin_lock(&uart.lock);
	(void)spin_mark_lost(&uart.lock);
}

/*
 * CPU 0 gives up on beta's UART lock, which beta's lost CPU holds, after
 * offering the held line: the push's claim is given back, so that a flush
 * does not wait for it for ever (the lock let go here to get that far).
 */
static void test_a_push_that_gives_up_gives_its_claim_back(void **state)
{
	(void)state;
	offer_the_held_line_losing_a_cpu(lose_a_cpu_holding_the_lock);
	assert_logged("console: its virtual UART's lock is held, and the cell lost a CPU at EL2");
	spin_unlock(&uart.lock);
	fake_console_set_full(false);
	vuart_flush(&uart, false);
	assert_console_lines(1);
}

/*
 * A CPU of the cell was lost in the console, between its push's claim and
 * the release: the stop's flush gives up on the claim, said once, instead
 * of waiting for it for ever.
 */
static void test_a_flush_gives_up_on_a_claim_a_lost_cpu_holds(void **state)
{
	(void)state;
	uart.lost = &uart_lost;
	fake_console_set_full(true);
	put_str(&uart, "held\n");
	fake_console_set_full(false);
	uart.pushing = true; /* the lost CPU's claim */
	uart_lost = 1u;
	for (int i = 0; i < 3; i++)
		vuart_flush(&uart, false);
	assert_console_lines(0);
	assert_logged("W: [linux] console: its virtual UART's lock or output is held, and the cell "
		      "lost a CPU at EL2, which may hold it for good: the lines it left at its "
		      "stop not shown (further give-ups not logged)");
	assert_int_equal(fake_log_count(LOG_WARN), 1);
}

/*
 * Without a lost CPU a push's claim is a live pusher's, let go in a moment:
 * the stop's flush waits it out and shows the held line.
 */
static void test_a_flush_waits_out_a_live_pushers_claim(void **state)
{
	(void)state;
	uart.lost = &uart_lost;
	fake_console_set_full(true);
	put_str(&uart, "held\n");
	fake_console_set_full(false);
	uart.pushing = true; /* another CPU's vuart_push() */
	let_go_claim = &uart.pushing;
	let_go_at = 50;
	vuart_flush(&uart, false);
	assert_console_lines(1);
	assert_console_line(0, "[linux] held");
	assert_int_equal(fake_log_count(LOG_WARN), 0);
}

/*
 * The cell's CPU is lost holding the UART's lock while the flush's line was
 * refused: the flush stops there, the lock left to the lost CPU, the claim
 * given back, the refused line not counted as a drop it told.
 */
static void test_a_flush_that_loses_the_lock_midway_stops_there(void **state)
{
	(void)state;
	uart.lost = &uart_lost;
	fake_console_set_full(true);
	put_str(&uart, "held\n");
	fake_console_on_next_refusal(lose_a_cpu_holding_the_lock);
	vuart_flush(&uart, false);
	assert_true(spin_holder_lost(&uart.lock));
	assert_false(uart.pushing);
	assert_int_equal(uart.flush_dropped, 0);
	assert_logged("console: its virtual UART's lock or output is held");
	spin_unlock(&uart.lock);
}

/*
 * The shell's `irqs`: the interrupt registers, the receive FIFO's fill and the
 * transmitter's state, each as the UART has them when asked.
 */
static void test_irqs_shows_the_registers_and_what_waits(void **state)
{
	uint64_t v = 0x30;

	(void)state;
	assert_int_equal(access(&uart, 0x038, 4, true, &v), 0); /* UARTIMSC: RX and TX */
	assert_true(vuart_receive(&uart, 'a'));
	assert_true(vuart_receive(&uart, 'b'));
	uart.held = true;
	uart.txq_len = 3;
	uart.tx_dropped = 2;
	uart.flush_dropped = 1;
	vuart_dump(&uart);
	assert_logged("I: irqs: [linux] console: UARTCR 0x300 UARTIMSC 0x30 UARTRIS 0x70 UARTMIS "
		      "0x30, 2 of 64 received bytes unread\n");
	assert_logged(
		"I: irqs: [linux] console: transmit waits for the console, 3 of 32 FIFO bytes "
		"behind it, 2 dropped (TXFF); 1 line(s) not shown at stops and restarts since "
		"boot (console busy)\n");
	uart.held = false;
	fake_log_reset();
	vuart_dump(&uart);
	assert_logged("I: irqs: [linux] console: transmit idle, 3 of 32 FIFO bytes behind it");
}

/*
 * `irqs` on a cell whose lost CPU holds its UART's lock: told why nothing is
 * shown each time it is asked, and the console's own first give-up is still
 * said. Before 2026-11-26 the first `irqs` took the once-a-UART warning and
 * every later one printed nothing.
 */
static void test_irqs_says_each_time_why_a_failed_cells_uart_is_not_shown(void **state)
{
	(void)state;
	uart.lost = &uart_lost;
	spin_lock(&uart.lock);		  /* the cell's CPU, as it faults */
	(void)spin_mark_lost(&uart.lock); /* its report (cell_locks_lost()) */
	uart_lost = 1u;
	vuart_dump(&uart);
	vuart_dump(&uart);
	assert_int_equal(fake_log_count(LOG_INFO), 2);
	assert_logged("I: irqs: [linux] console: not shown: the cell lost a CPU at EL2, which may "
		      "hold its virtual UART's lock");
	assert_int_equal(fake_log_count(LOG_WARN), 0);
	assert_false(vuart_receive(&uart, 'k'));
	assert_logged("W: [linux] console: its virtual UART's lock is held, and the cell lost a "
		      "CPU at EL2, which may hold it for good: not waited for by the console; "
		      "input dropped (further give-ups not logged)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_the_console_side_gives_up_on_a_lock_a_lost_cpu_holds,
				       setup),
		cmocka_unit_test_setup(test_a_push_waits_out_a_live_holder_once_the_cell_lost_a_cpu,
				       setup),
		cmocka_unit_test_setup(test_a_push_that_gives_up_gives_its_claim_back, setup),
		cmocka_unit_test_setup(test_a_flush_gives_up_on_a_claim_a_lost_cpu_holds, setup),
		cmocka_unit_test_setup(test_a_flush_waits_out_a_live_pushers_claim, setup),
		cmocka_unit_test_setup(test_a_flush_that_loses_the_lock_midway_stops_there, setup),
		cmocka_unit_test_setup(test_irqs_shows_the_registers_and_what_waits, setup),
		cmocka_unit_test_setup(
			test_irqs_says_each_time_why_a_failed_cells_uart_is_not_shown, setup),
		cmocka_unit_test_setup(test_line_is_emitted_whole_with_label_only_at_newline,
				       setup),
		cmocka_unit_test_setup(test_carriage_return_is_dropped, setup),
		cmocka_unit_test_setup(test_the_vgic_is_told_of_every_move_and_only_of_moves,
				       setup),
		cmocka_unit_test_setup(test_the_first_rise_after_a_restart_is_told, setup),
		cmocka_unit_test_setup(test_a_drop_is_told_once_across_restarts, setup),
		cmocka_unit_test_setup(test_empty_line_is_emitted_as_prefix_only, setup),
		cmocka_unit_test_setup(test_nul_byte_is_dropped_and_does_not_cut_the_line, setup),
		cmocka_unit_test_setup(
			test_a_cell_without_the_keyboard_shows_its_escapes_instead_of_sending_them,
			setup),
		cmocka_unit_test_setup(
			test_a_cell_cannot_backspace_over_its_prefix_to_forge_the_hypervisors,
			setup),
		cmocka_unit_test_setup(test_a_title_report_request_reaches_the_terminal_as_text,
				       setup),
		cmocka_unit_test_setup(
			test_the_cell_with_the_keyboard_sends_its_escapes_as_they_are, setup),
		cmocka_unit_test_setup(
			test_the_cell_with_the_keyboard_cannot_send_the_console_escape, setup),
		cmocka_unit_test_setup(test_a_line_of_nothing_but_escapes_is_shown_whole, setup),
		cmocka_unit_test_setup(
			test_the_unfinished_line_is_shown_while_the_keyboard_is_there, setup),
		cmocka_unit_test_setup(test_open_line_written_as_the_keyboard_leaves_is_ended,
				       setup),
		cmocka_unit_test_setup(test_a_line_of_nothing_but_c1_bytes_is_shown_whole, setup),
		cmocka_unit_test_setup(test_caret_escape_truncates_at_a_whole_character, setup),
		cmocka_unit_test_setup(
			test_c1_bytes_outside_a_well_formed_utf8_character_show_in_caret_form,
			setup),
		cmocka_unit_test_setup(test_caret_escape_truncates_before_a_utf8_character, setup),
		cmocka_unit_test_setup(test_long_line_is_split_at_the_limit, setup),
		cmocka_unit_test_setup(test_line_exactly_at_the_limit_is_emitted_once, setup),
		cmocka_unit_test_setup(test_two_vuarts_interleaving_bytes_emit_whole_lines_each,
				       setup),
		cmocka_unit_test_setup(test_flush_emits_a_partial_line, setup),
		cmocka_unit_test_setup(test_flush_with_nothing_pending_emits_nothing, setup),
		cmocka_unit_test_setup(test_long_label_is_cut_to_fit_the_prefix, setup),
		cmocka_unit_test_setup(test_a_refused_line_is_held_and_the_fifo_fills_behind_it,
				       setup),
		cmocka_unit_test_setup(test_room_told_during_a_refusal_is_not_lost, setup),
		cmocka_unit_test_setup(test_polling_uartfr_moves_the_console_queue_itself, setup),
		cmocka_unit_test_setup(test_a_push_offers_the_line_a_bounded_number_of_times,
				       setup),
		cmocka_unit_test_setup(test_polling_uartfr_offers_the_held_line_again, setup),
		cmocka_unit_test_setup(test_a_line_sent_by_polling_uartfr_raises_the_tx_interrupt,
				       setup),
		cmocka_unit_test_setup(test_polling_during_a_refusal_is_no_news_of_room, setup),
		cmocka_unit_test_setup(test_flush_prints_held_and_partial_lines_with_room, setup),
		cmocka_unit_test_setup(test_flush_without_room_drops_counts_and_tells, setup),
		cmocka_unit_test_setup(test_reset_drops_a_held_line, setup),
		cmocka_unit_test_setup(test_fr_idle_reports_tx_empty_and_rx_empty, setup),
		cmocka_unit_test_setup(test_fr_never_reports_tx_full_or_busy_while_writing, setup),
		cmocka_unit_test_setup(test_fr_clears_rxfe_when_input_is_queued, setup),
		cmocka_unit_test_setup(test_fr_sets_rxff_when_the_rx_fifo_is_full, setup),
		cmocka_unit_test_setup(test_receive_drops_a_byte_when_the_fifo_is_full, setup),
		cmocka_unit_test_setup(test_dr_read_pops_input_in_order, setup),
		cmocka_unit_test_setup(test_dr_read_with_no_input_returns_zero, setup),
		cmocka_unit_test_setup(test_rx_fifo_wraps_around, setup),
		cmocka_unit_test_setup(test_input_raises_rx_and_rt_until_the_fifo_is_drained,
				       setup),
		cmocka_unit_test_setup(test_icr_clears_only_the_ris_bits_written_as_one, setup),
		cmocka_unit_test_setup(test_ris_mis_and_icr_writes_do_not_set_bits, setup),
		cmocka_unit_test_setup(test_mis_is_ris_masked_by_imsc, setup),
		cmocka_unit_test_setup(test_the_line_is_told_once_per_move, setup),
		cmocka_unit_test_setup(test_irq_line_follows_mis, setup),
		cmocka_unit_test_setup(
			test_tx_interrupt_raised_at_reset_because_the_tx_fifo_is_empty, setup),
		cmocka_unit_test_setup(test_tx_interrupt_cleared_by_icr_returns_on_the_next_write,
				       setup),
		cmocka_unit_test_setup(test_tx_interrupt_stays_raised_while_the_handler_refills,
				       setup),
		cmocka_unit_test_setup(test_reset_values_match_the_trm, setup),
		cmocka_unit_test_setup(test_reset_drops_pending_input_and_registers, setup),
		cmocka_unit_test_setup(test_control_registers_read_back_their_implemented_bits,
				       setup),
		cmocka_unit_test_setup(
			test_rsr_ilpr_and_unknown_offsets_read_as_zero_and_ignore_writes, setup),
		cmocka_unit_test_setup(test_fr_and_id_registers_ignore_writes, setup),
		cmocka_unit_test_setup(test_id_registers_identify_a_pl011_as_qemu_does, setup),
		cmocka_unit_test_setup(test_loopback_into_a_full_receive_fifo_drops_the_byte,
				       setup),
		cmocka_unit_test_setup(test_loopback_feeds_transmitted_bytes_to_the_receiver,
				       setup),
		cmocka_unit_test_setup(test_byte_write_to_dr_transmits_as_linux_earlycon_does,
				       setup),
		cmocka_unit_test_setup(
			test_halfword_accesses_reach_every_register_as_amba_pl011_does, setup),
		cmocka_unit_test_setup(test_narrow_write_ignores_bits_above_its_size, setup),
		cmocka_unit_test_setup(test_64bit_access_is_refused, setup),
		cmocka_unit_test_setup(test_unaligned_access_is_refused, setup),
		cmocka_unit_test_setup(test_access_beyond_the_frame_is_refused, setup),
		cmocka_unit_test_setup(test_access_of_size_zero_or_three_is_refused, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
