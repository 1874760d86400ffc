// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for a cell's virtual console (partitions/vuart.c), the
 * device every guest writes to. The input is a program of guest accesses
 * (any offset in and past the 4 KiB frame, any size, any value), keyboard
 * bytes from the console mux, focus changes and flushes. Besides sanitizer
 * reports it fails when:
 *   - the receive FIFO gives back a byte other than the oldest one it took
 *     (keyboard bytes it accepted, and transmitted ones in loopback), or
 *     takes a byte while full, or refuses one with room;
 *   - the interrupt line as the vGIC has it differs from UARTRIS & UARTIMSC
 *     as the guest reads them, each told only when vuart_access() said the
 *     line moved, as partitions/mmio.c does (and after keys, pushes and
 *     restarts, as the cell's code does), a receive interrupt is raised
 *     with nothing to read, or UARTFR.RXFE differs from an empty FIFO;
 *   - UARTFR.TXFF is set with no line held or room behind it, TXRIS is set
 *     while a line is held, or a line stays held after vuart_push() with
 *     room on the console;
 *   - a line reaches the console with a carriage return, a NUL or the
 *     console's escape (Ctrl-]) in it, longer than its caret form can be
 *     (3 * VUART_LINE_MAX - 1 bytes), or, without the keyboard, with a
 *     control character the terminal would act on (lib/caret.c: a byte
 *     0x80-0x9f outside a well-formed UTF-8 character counts as C1);
 *   - a line or unfinished line of the cell with the keyboard holds a C1
 *     control, ends inside an escape sequence or control string (the
 *     terminal would swallow what follows), has CAN or SUB inside a string
 *     (not its end to every terminal), leaves UTF-8 (ESC % but ESC % G: a
 *     character's 0x9b would be CSI), or holds one that changes
 *     how the terminal sends keys (kitty's flags, xterm's key modifiers,
 *     KAM, win32-input-mode, titles in hex, DECUDK, hilite mouse tracking,
 *     which stops xterm reading keys): the operator's Ctrl-]
 *     would no longer reach the console as 0x1d; or a view of the
 *     unfinished line does not begin with the one the console showed
 *     before it (the console sends only what is new).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_vuart"
#include "fuzz_program.h"
#include "console.h"
#include "vuart.h"

#define FRAME	      0x1000
#define UARTDR	      0x000
#define UARTFR	      0x018
#define UARTIMSC      0x038
#define UARTRIS	      0x03C
#define UARTFR_RXFE   (1u << 4)
#define UARTFR_TXFF   (1u << 5)
#define UARTRIS_RXRIS (1u << 4)
#define UARTRIS_TXRIS (1u << 5)
#define UARTRIS_RTRIS (1u << 6)

static bool live; /* as last given to vuart_set_live() */
static bool full; /* the console refuses the cell's lines */

static unsigned int sent; /* console_sent(): moves when the console gets room */

static bool console_room(const struct console_share *share)
{
	return !share || !full;
}

unsigned int console_sent(void)
{
	return sent;
}

void console_tx_poke(void)
{
}

static void check_text(const char *text, size_t len, size_t max)
{
	CHECK(len < max, "a console line of %zu bytes", len);
	for (size_t i = 0; i < len; i++)
		CHECK(text[i] != '\r' && text[i] != '\0' && text[i] != CONSOLE_ESCAPE,
		      "byte %zu of a line is 0x%02x", i, (unsigned char)text[i]);
}

/*
 * The length of the UTF-8 character at @s, or 0 if it is not well-formed:
 * decoded, then refused if overlong, a surrogate or past U+10FFFF (the
 * other way round from lib/caret.c's table, so one checks the other).
 */
static size_t utf8_char(const unsigned char *s)
{
	static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n = s[0] >= 0xf8 ? 0 : s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
	uint32_t cp;

	if (!n)
		return 0;
	cp = s[0] & (0x7fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * No C1 (U+0080-U+009F, or a byte 0x80-0x9f outside a character) and, for
 * @all (a cell without the keyboard), no C0 but TAB, and no DEL.
 */
static void check_inert(const char *text, bool all)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n;

	for (; *s; s += n ? n : 1) {
		n = utf8_char(s);
		if (n)
			CHECK(!(n == 2 && s[0] == 0xc2 && s[1] <= 0x9f),
			      "a line sends U+00%02X to the terminal (%s keyboard)", s[1],
			      all ? "without the" : "with the");
		else
			CHECK((!all || ((*s >= 0x20 || *s == '\t') && *s != 0x7f)) &&
				      !(*s >= 0x80 && *s <= 0x9f),
			      "a line sends 0x%02x to the terminal (%s keyboard)", *s,
			      all ? "without the" : "with the");
	}
}

/* Whether one of a control sequence's parameters, @p to @end, is the number @value. */
static bool param_is(const char *p, const char *end, unsigned long value)
{
	char *next;

	for (; p < end; p = next + 1) {
		next = (char *)p;
		if (*p >= '0' && *p <= '9' && strtoul(p, &next, 10) == value)
			return true;
		while (next < end && *next != ';' && *next != ':')
			next++;
	}
	return false;
}

/*
 * The control sequence @seq (its introducer '[' or 'P' to its final byte
 * @end[-1]) left the terminal's keyboard alone. lib/caret.c's list again,
 * as a table of introducer, first parameter byte and final byte.
 */
static void check_sequence(const char *seq, const char *end)
{
	static const char *const taken[] = { "[<u", "[=u", "[>u", "[>m", "[>n", "[>f", "[>t" };
	char key[4] = { seq[0], end - seq > 2 ? seq[1] : 0, end[-1], 0 };
	bool marked = strchr("<=>?", seq[1]) && end - seq > 2;

	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		CHECK(strcmp(key, taken[i]), "a live line sends ESC %.*s", (int)(end - seq), seq);
	CHECK(seq[0] != 'P' || end[-1] != '|', "a live line sends DECUDK ESC %.*s",
	      (int)(end - seq), seq);
	if (seq[0] == '[' && (end[-1] == 'h' || end[-1] == 'l'))
		CHECK(marked ? seq[1] != '?' || !param_is(seq + 2, end - 1, 9001)
			     : !param_is(seq + 1, end - 1, 2),
		      "a live line sends ESC %.*s", (int)(end - seq), seq);
	if (seq[0] == '[' && end[-1] == 'h' && marked && seq[1] == '?')
		CHECK(!param_is(seq + 2, end - 1, 1001),
		      "a live line sends hilite tracking ESC %.*s", (int)(end - seq), seq);
}

/*
 * Past the end of the control string (ESC @intro) whose data begins at @i: a
 * live line leaves none open (the terminal would swallow every byte after
 * it, other cells' and the hypervisor's), and holds no ESC inside one but
 * its ST (a terminal may end the string at any ESC, and read what follows),
 * nor CAN or SUB (some terminals end it there, kitty does not).
 */
static size_t check_string_closed(const char *text, size_t len, size_t i, char intro)
{
	for (; i < len; i++) {
		CHECK(text[i] != 0x18 && text[i] != 0x1a,
		      "a live line's ESC %c string holds 0x%02x", intro, (unsigned char)text[i]);
		if (text[i] == 0x07 && intro == ']')
			return i + 1;
		if (text[i] == 0x1b) {
			CHECK(i + 1 < len && text[i + 1] == '\\',
			      "a live line's ESC %c string holds an ESC before its end", intro);
			return i + 2;
		}
	}
	CHECK(false, "a live line leaves ESC %c open", intro);
	return len;
}

/*
 * A live cell's text as a terminal parses it: no C1, every ESC followed by
 * a printable byte, every CSI and DCS finished within it (a control inside
 * one is acted on and the sequence goes on: none) and none in check_sequence(),
 * every control string (OSC, DCS, SOS, PM, APC) closed.
 */
static void check_keyboard_kept(const char *text, size_t len)
{
	size_t i, end;

	check_inert(text, false);
	for (i = 0; i < len; i++) {
		if (text[i] != 0x1b)
			continue;
		CHECK(i + 1 < len && text[i + 1] >= 0x20 && text[i + 1] <= 0x7e,
		      "a live line has ESC at %zu of %zu, then 0x%02x", i, len,
		      i + 1 < len ? (unsigned char)text[i + 1] : 0);
		CHECK(text[i + 1] != '%' || (i + 2 < len && text[i + 2] == 'G'),
		      "a live line leaves UTF-8: ESC %%%.1s", text + i + 2);
		end = i + 1;
		if (text[i + 1] == '[' || text[i + 1] == 'P') {
			for (end = i + 2; end < len && (text[end] < 0x40 || text[end] > 0x7e);
			     end++)
				CHECK(text[end] >= 0x20, "a live line's ESC %c holds 0x%02x",
				      text[i + 1], (unsigned char)text[end]);
			CHECK(end < len, "a live line ends inside ESC %c", text[i + 1]);
			check_sequence(text + i + 1, text + end + 1);
		}
		if (strchr("]PX^_", text[i + 1]))
			end = check_string_closed(text, len, end + 1, text[i + 1]) - 1;
		i = end;
	}
}

/* What the console shows of the live cell's unfinished line: later views add to it. */
static char open_view[3 * VUART_LINE_MAX];
static size_t open_len;

bool console_write_line(struct console_share *share, const char *prefix, const char *text)
{
	(void)prefix;
	check_text(text, strlen(text), 3 * VUART_LINE_MAX); /* a lone C1 byte shows as three */
	if (live)
		check_keyboard_kept(text, strlen(text));
	else
		check_inert(text, true);
	/*
	 * Printed, or refused: dropped by a flush, or held, and the next view
	 * comes after it went. Either way the view that follows may be of
	 * another line, which lib/console.c shows afresh.
	 */
	open_len = 0;
	return console_room(share);
}

bool console_write_partial(struct console_share *share, const char *prefix, const char *text,
			   size_t len)
{
	(void)prefix;
	check_text(text, len, 3 * VUART_LINE_MAX);
	check_keyboard_kept(text, len);
	if (!console_room(share))
		return false;
	CHECK(len >= open_len && !memcmp(text, open_view, open_len),
	      "a view of the open line (%zu bytes) takes back what the one before sent (%zu)", len,
	      open_len);
	memcpy(open_view, text, len);
	open_len = len;
	return true;
}

void console_end_partial(const char *prefix)
{
	(void)prefix;
	open_len = 0;
}

/* What the FIFO should hold: every byte it took, oldest first. */
static uint8_t shadow[VUART_RX_MAX];
static unsigned int shadow_head, shadow_count;

static void shadow_push(uint8_t c)
{
	CHECK(shadow_count < VUART_RX_MAX, "the FIFO took a byte while full");
	shadow[(shadow_head + shadow_count++) % VUART_RX_MAX] = c;
}

static uint8_t shadow_pop(void)
{
	uint8_t c = shadow[shadow_head];

	shadow_head = (shadow_head + 1) % VUART_RX_MAX;
	shadow_count--;
	return c;
}

static struct vuart uart;
static bool vgic_line; /* the UART's line as the vGIC has it */

/* vgic_hw_vuart_update(): a level the vGIC does not have yet, passed on. */
static void vgic_update(void)
{
	bool level;

	if (vuart_irq_begin(&uart, &level))
		vgic_line = level;
	vuart_irq_end(&uart);
}

/* partitions/mmio.c: the vGIC told when the access says the line moved. */
static int access(uint64_t off, struct mmio_access *acc)
{
	int ret = vuart_access(&uart, off, acc);

	CHECK(ret == 0 || ret == VUART_LINE_MOVED || ret == -EINVAL, "access returned %d", ret);
	if (ret == VUART_LINE_MOVED) {
		vgic_update();
		ret = 0;
	}
	return ret;
}

static uint32_t guest_read(uint64_t off)
{
	struct mmio_access acc = { .size = 4, .write = false };

	CHECK(access(off, &acc) == 0, "a word read of 0x%lx refused", (unsigned long)off);
	return (uint32_t)acc.value;
}

static void check_state(void)
{
	/* Before any read of ours, which may tell the vGIC: as the last op left them. */
	bool line = vgic_line, told = uart.line_told;
	uint32_t ris = guest_read(UARTRIS), imsc = guest_read(UARTIMSC);

	CHECK(uart.rx_count == shadow_count, "the FIFO holds %u bytes, it took %u", uart.rx_count,
	      shadow_count);
	CHECK(line == ((ris & imsc) != 0),
	      "the vGIC has the line %d with UARTRIS 0x%x UARTIMSC 0x%x", line, ris, imsc);
	/* What the UART thinks it told, or the first move from there goes untold. */
	CHECK(told == line, "the UART thinks it told the vGIC %d, the vGIC has %d", told, line);
	CHECK(!(ris & (UARTRIS_RXRIS | UARTRIS_RTRIS)) || shadow_count,
	      "a receive interrupt (UARTRIS 0x%x) with nothing to read", ris);
	CHECK(!(guest_read(UARTFR) & UARTFR_RXFE) == (shadow_count != 0),
	      "UARTFR 0x%x with %u bytes waiting", guest_read(UARTFR), shadow_count);
	CHECK(!(guest_read(UARTFR) & UARTFR_TXFF) || (uart.held && uart.txq_len == VUART_TX_FIFO),
	      "UARTFR.TXFF with %s held and %u bytes behind", uart.held ? "a line" : "none",
	      uart.txq_len);
	CHECK(!uart.held || !(ris & UARTRIS_TXRIS), "TXRIS raised while a line is held");
}

static void guest_access(struct program *pr)
{
	static const unsigned int sizes[] = { 4, 1, 2, 4, 8, 3, 4, 0 };
	uint64_t off = take(pr, 2);
	struct mmio_access acc = { 0 };
	unsigned int before = uart.rx_count;
	int ret;

	acc.size = sizes[take(pr, 1) & 7];
	acc.write = off & 1;
	acc.value = take(pr, 4);
	off = (off >> 1) % (FRAME + 0x40);
	ret = access(off, &acc);
	if (ret || off != UARTDR)
		return;
	if (acc.write && uart.rx_count > before) /* loopback */
		shadow_push((uint8_t)acc.value);
	else if (!acc.write && uart.rx_count < before)
		CHECK((uint8_t)acc.value == shadow_pop(), "UARTDR read 0x%02x out of order",
		      (unsigned int)(uint8_t)acc.value);
}

/* A cell's restart: the UART reset, then the vGIC's model with its line (vgic_hw_cell_init()). */
static void restart(void)
{
	vuart_reset(&uart, "fuzz");
	shadow_head = shadow_count = 0;
	vgic_line = false;
	vuart_irq_forget(&uart);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct program pr = { data, size };

	memset(&uart, 0, sizeof(uart));
	vuart_reset(&uart, "fuzz");
	vgic_line = false;
	live = false;
	full = false;
	open_len = 0;
	shadow_head = shadow_count = 0;
	while (pr.left) {
		unsigned int op = (unsigned int)take(&pr, 1);
		uint8_t c;

		switch (op & 3) {
		case 0:
		case 1:
			guest_access(&pr);
			break;
		case 2: /* a key from the console mux */
			c = (uint8_t)take(&pr, 1);
			if (vuart_receive(&uart, c)) {
				shadow_push(c);
				vgic_update(); /* vgic_hw_vuart_input() */
			} else
				CHECK(shadow_count == VUART_RX_MAX, "a key refused with %u waiting",
				      shadow_count);
			break;
		default:
			if (op & 4) {
				vuart_flush(&uart, op & 8); /* quiet or told */
				if (op & 16)
					restart();
				else
					vgic_update(); /* as the restart that follows a flush would
							*/
			} else if (op & 16) { /* the console fills up, or has room and says so */
				sent += full && !(op & 32);
				full = op & 32;
				if (vuart_push(&uart))
					vgic_update(); /* console_mux_tx_room() */
				CHECK(full || !uart.held, "a line held after a push with room");
			} else {
				vuart_set_live(&uart, live = op & 8);
			}
			break;
		}
		check_state();
	}
	return 0;
}
