// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the cell with the keyboard may send to the operator's terminal
 * (lib/caret.c, caret_escape_live(); docs/console.md): its escapes pass, but
 * not Ctrl-], nor a sequence that changes how the terminal sends keys or has
 * it type what a cell chose, whose ESC shows as ^[. Its unfinished line is
 * shown as it grows: a sequence its end cuts waits for the bytes that finish
 * it, and what went out is never taken back.
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

#define SHOWN_MAX 256

struct shown_case {
	const char *in, *shown;
};

/* A finished line of the live cell as the terminal gets it. */
static const char *live_line(const char *in)
{
	static char out[SHOWN_MAX];

	caret_escape_live(out, sizeof(out), in, strlen(in), false);
	return out;
}

static void assert_cases(const struct shown_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(live_line(cases[i].in), cases[i].shown))
			fail_msg("case %zu: \"%s\" shown as \"%s\", expected \"%s\"", i,
				 cases[i].in, live_line(cases[i].in), cases[i].shown);
}

/*
 * kitty's keyboard protocol (kitty, foot, WezTerm, Ghostty, iTerm2,
 * Alacritty): once pushed, Ctrl-] comes as ESC [ 93 ; 5 u, never 0x1d.
 */
static void test_kitty_keyboard_flags_are_shown_not_sent(void **state)
{
	static const struct shown_case cases[] = {
		{ "a\x1b[>1u b", "a^[[>1u b" }, /* push */
		{ "\x1b[>u", "^[[>u" },		/* push 0 */
		{ "\x1b[<u", "^[[<u" },		/* pop */
		{ "\x1b[<3u", "^[[<3u" },	/* pop three */
		{ "\x1b[=31;1u", "^[[=31;1u" }, /* set */
		{ "\x1b[?u", "\x1b[?u" },	/* a query changes nothing: it passes */
		{ "\x1b[u", "\x1b[u" },		/* restore cursor (SCORC) */
		{ "\x1b[>1;2u", "^[[>1;2u" },
	};

	(void)state;
	assert_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* xterm's modifyOtherKeys 2: Ctrl-] comes as ESC [ 27 ; 5 ; 93 ~ (or CSI u after XTFMTKEYS). */
static void test_xterm_key_modifier_options_are_shown_not_sent(void **state)
{
	static const struct shown_case cases[] = {
		{ "\x1b[>4;2m", "^[[>4;2m" },				    /* XTMODKEYS */
		{ "\x1b[>4m", "^[[>4m" },     { "\x1b[>4;1f", "^[[>4;1f" }, /* XTFMTKEYS */
		{ "\x1b[>4n", "^[[>4n" },   /* older xterm: the option off */
		{ "\x1b[?4m", "\x1b[?4m" }, /* XTQMODKEYS, a query: passes */
		{ "\x1b[4m", "\x1b[4m" },   /* SGR underline */
	};

	(void)state;
	assert_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * KAM locks the keyboard: the terminal sends nothing at all. Any of an SM's
 * parameters may be 2, in any spelling; 12 or 20 is another mode.
 */
static void test_the_keyboard_action_mode_is_shown_not_sent(void **state)
{
	static const struct shown_case cases[] = {
		{ "\x1b[2h", "^[[2h" },		{ "\x1b[2l", "^[[2l" },
		{ "\x1b[4;2h", "^[[4;2h" },	{ "\x1b[002h", "^[[002h" },
		{ "\x1b[4;20h", "\x1b[4;20h" }, { "\x1b[12h", "\x1b[12h" },
		{ "\x1b[?2h", "\x1b[?2h" }, /* DECANM, not KAM */
	};

	(void)state;
	assert_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * Windows Terminal's win32-input-mode (keys as CSI Vk;Sc;Uc;Kd;Cs;Rc _),
 * xterm's titles set in hex (CSI > 0 t: a title holding Ctrl-] without the
 * byte), VT220 user-defined keys (DCS ... |: a key that types the cell's
 * text): shown.
 */
static void test_other_ways_to_take_or_type_the_escape_are_shown_not_sent(void **state)
{
	static const struct shown_case cases[] = {
		{ "\x1b[?9001h", "^[[?9001h" },
		{ "\x1b[?1;9001h", "^[[?1;9001h" },
		{ "\x1b[>0t", "^[[>0t" },
		/* xterm's hilite mouse tracking: at a click xterm reads no key until answered */
		{ "\x1b[?1001h", "^[[?1001h" },
		{ "\x1b[?1000;1001h", "^[[?1000;1001h" },
		{ "\x1bP0;1|17/1d68\x1b\\", "^[P0;1|17/1d68\x1b\\" },
		{ "\x1bPq#0~\x1b\\", "\x1bPq#0~\x1b\\" }, /* sixel: passes */
	};

	(void)state;
	assert_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* What a shell, an editor or a pager sends passes as it is. */
static void test_the_escapes_of_a_terminal_session_pass(void **state)
{
	static const char *const pass[] = {
		"\x1b[1mbold\x1b[0m",
		"\x1b[38;2;255;0;0mred\x1b[m",
		"\x1b[?1h\x1b=",		     /* application cursor keys and keypad */
		"\x1b[?66h\x1b[?2004h",		     /* DECNKM, bracketed paste */
		"\x1b[?1000h\x1b[?1006h\x1b[?1001l", /* mouse reports; hilite tracking off */
		"\x1b[6n\x1b[H\x1b[2J\x1b[K",
		"\x1b[?1049h\x1b[1;24r\x1b[?25l",
		"\x1b]0;title\x07",
		"\x1b(B\x1b)0\x1b"
		"7\x1b"
		"8",
		"\x1b[>c",	 /* DA2 */
		"\x1b[h\x1b[?h", /* SM and DECSET with no parameter */
		"caf\xc3\xa9 \xe2\x98\x80",
		"tab\there",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(pass) / sizeof(pass[0]); i++)
		if (strcmp(live_line(pass[i]), pass[i]))
			fail_msg("\"%s\" shown as \"%s\"", pass[i], live_line(pass[i]));
}

/*
 * A terminal acts on a control inside a sequence and goes on with it
 * (ESC TAB [ > 1 u is CSI > 1 u to it); C1 controls may be CSI itself
 * (0x9b, or U+009B in UTF-8). None of it gets past as a sequence.
 */
static void test_sequences_a_terminal_could_read_another_way_are_shown(void **state)
{
	static const struct shown_case cases[] = {
		{ "\x1b\t[>1u", "^[\t[>1u" },
		{ "\x1b[>\t1u", "^[[>\t1u" },
		{ "\x1b\x7f[>1u", "^[\x7f[>1u" },
		{ "\x1b[1>u", "^[[1>u" },     /* a private marker after the first byte */
		{ "\x1b[>1$2u", "^[[>1$2u" }, /* a parameter after an intermediate */
		{ "\x1b\xc3\xa9", "^[\xc3\xa9" },
		{ "\xc2\x9b>1u", "^[[>1u" }, /* U+009B */
		{ "\x9b>1u", "^[[>1u" },     /* a lone 0x9b */
		{ "\xc2\x90"
		  "0|\x1b\\",
		  "^[P0|\x1b\\" }, /* U+0090 DCS */
		{ "\x1b\x1b[>1u", "^[^[[>1u" },
		{ "\x1d", "^]" },
	};

	(void)state;
	assert_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * The unfinished line is shown again at every byte (partitions/vuart_tx.c),
 * and the console sends only what is new: each view must begin with what
 * the one before it sent. A sequence the view's end cuts is left out until
 * it is whole; ESC [ > 1 is never sent before its u is known.
 */
static void test_an_open_lines_views_only_grow_and_never_send_half_a_sequence(void **state)
{
	static const char line[] = "$ \x1b[1mls\x1b[0m \x1b[>1u\x1b[2h\xc2\x9b"
				   "2h \xe2\x98\x80"
				   "\x1b]2;t\x07\x1b";
	char before[SHOWN_MAX] = "", now[SHOWN_MAX];

	(void)state;
	for (size_t len = 0; len <= sizeof(line) - 1; len++) {
		caret_escape_live(now, sizeof(now), line, len, true);
		if (strncmp(now, before, strlen(before)))
			fail_msg("the view of %zu bytes \"%s\" takes back \"%s\"", len, now,
				 before);
		if (strstr(now, "\x1b[>") || strstr(now, "\x1b[2h") || strstr(now, "\xc2\x9b"))
			fail_msg("the view of %zu bytes sends \"%s\"", len, now);
		memcpy(before, now, sizeof(now));
	}
	assert_string_equal(before, "$ \x1b[1mls\x1b[0m ^[[>1u^[[2h^[[2h \xe2\x98\x80"
				    "\x1b]2;t\x07"); /* the last ESC waits */
	assert_string_equal(live_line(line), "$ \x1b[1mls\x1b[0m ^[[>1u^[[2h^[[2h \xe2\x98\x80"
					     "\x1b]2;t\x07^[");
}

/* A finished line that ends inside a sequence or character: nothing later can finish it. */
static void test_a_line_ending_inside_a_sequence_shows_its_esc(void **state)
{
	char caret[SHOWN_MAX];

	(void)state;
	assert_string_equal(live_line("ab\x1b[>1"), "ab^[[>1");
	assert_string_equal(live_line("ab\x1bP0;1"), "ab^[P0;1");
	assert_string_equal(live_line("ab\x1b"), "ab^[");
	/* A character cut short: as a cell without the keyboard shows it. */
	caret_escape(caret, sizeof(caret), "a\xe2\x98");
	assert_string_equal(live_line("a\xe2\x98"), caret);
}

/*
 * A control string (OSC, DCS, SOS, PM, APC) reaches the terminal only with
 * its terminator: ST, or BEL for an OSC. One left open, a title
 * begun and never ended, had the terminal swallow every byte after it,
 * other cells' lines and the hypervisor's, until a reset (until 2026-11-25).
 * A finished line that leaves one open shows its ESC as ^[; inside one, an
 * ESC but its ST shows as ^[, so no terminal ends the string elsewhere, nor
 * reads a sequence in it that would be shown.
 */
static void test_a_control_string_reaches_the_terminal_only_whole(void **state)
{
	static const struct shown_case cases[] = {
		{ "\x1b]0;title", "^[]0;title" },
		{ "\x1b]0;title\x1b\\$ ", "\x1b]0;title\x1b\\$ " },
		{ "\x1b]8;;http://x\x07link\x1b]8;;\x07", "\x1b]8;;http://x\x07link\x1b]8;;\x07" },
		{ "\x1bPq#0~", "^[Pq#0~" },
		{ "\x1bPq#0~\x07", "^[Pq#0~\x07" }, /* BEL ends an OSC only */
		{ "\x1b_Gi=1;AAAA", "^[_Gi=1;AAAA" },
		{ "\x1b^pm\x1b\\", "\x1b^pm\x1b\\" },
		{ "\x1bXsos\x18"
		  "after",
		  "^[Xsos^X"
		  "after" }, /* CAN ends it for some terminals only */
		{ "\x1b]0;a\x1a\x07", "\x1b]0;a^Z\x07" },
		{ "\x1b]0;a\x1b[>1u\x07", "\x1b]0;a^[[>1u\x07" },
		{ "\x1b]0;a\x1bx\x1b\\", "\x1b]0;a^[x\x1b\\" },
		{ "\x1b]0;\x1dh\x9b\x07", "\x1b]0;^]h^[[\x07" },
		{ "\x1b]0;a\x1b", "^[]0;a^[" },
	};

	(void)state;
	assert_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * CAN and SUB end no string: ECMA-48 and xterm cancel one there, but kitty
 * takes them into it and, a title "ended" by CAN sent, swallowed what
 * followed, other cells' lines and the hypervisor's (until 2026-11-25).
 * Inside a string they show as ^X and ^Z, so every terminal ends it at the
 * same byte; outside one they pass.
 */
static void test_can_and_sub_end_no_string(void **state)
{
	char out[SHOWN_MAX];

	(void)state;
	caret_escape_live(out, sizeof(out), "\x1b]0;x\x18tail", 9, true);
	assert_string_equal(out, "");
	assert_string_equal(live_line("\x1b]0;x\x1atail"), "^[]0;x^Ztail");
	assert_string_equal(live_line("\x1b]0;x\x18t\x07\x18"), "\x1b]0;x^Xt\x07\x18");
	assert_string_equal(live_line("\x1bPq\x1a\x1b\\"), "\x1bPq^Z\x1b\\");
}

/* The views of an open line hold no open string: a title goes out once its BEL came. */
static void test_an_open_lines_views_never_leave_a_string_open(void **state)
{
	static const char line[] = "$ \x1b]0;user@host: ~\x07$ \x1b]2;t";
	size_t bel = (size_t)(strchr(line, '\a') - line);
	char now[SHOWN_MAX];

	(void)state;
	for (size_t len = 0; len <= sizeof(line) - 1; len++) {
		caret_escape_live(now, sizeof(now), line, len, true);
		if (len >= 2 && len <= bel && strcmp(now, "$ "))
			fail_msg("the view of %zu bytes sends \"%s\" before the title's BEL", len,
				 now);
	}
	assert_string_equal(now, "$ \x1b]0;user@host: ~\x07$ ");
	assert_string_equal(live_line(line), "$ \x1b]0;user@host: ~\x07$ ^[]2;t");
}

/* @in's finished line into @size bytes is @shown; not a byte written past its NUL. */
static void assert_shown_in(size_t size, const char *in, const char *shown)
{
	char out[8];

	memset(out, '#', sizeof(out));
	assert_int_equal(caret_escape_live(out, size, in, strlen(in), false), strlen(shown));
	assert_string_equal(out, shown);
	for (size_t i = strlen(shown) + 1; i < sizeof(out); i++)
		if (out[i] != '#')
			fail_msg("\"%s\" into %zu bytes wrote byte %zu", in, size, i);
}

/*
 * A live cell's bytes stop where the buffer does, its terminating NUL inside
 * it, and what does not fit whole is left out: a Ctrl-] whose "^]" does not
 * fit, a sequence (never cut after its ESC). Moved from test_vuart.c on
 * 2026-11-25.
 */
static void test_caret_escape_live_stays_inside_its_buffer(void **state)
{
	(void)state;
	assert_shown_in(4, "abcdef", "abc");
	assert_shown_in(4, "ab\x1d", "ab");
	assert_shown_in(5, "ab\x1d", "ab^]");
	assert_shown_in(6, "ab\x1b[1m", "ab");
	assert_shown_in(7, "ab\x1b[1m", "ab\x1b[1m");
	assert_shown_in(8, "ab\x1b]0;t\x07", "ab"); /* a string is never begun and cut */
	/* A lone C1 byte is three characters: 3 * len + 1 bytes hold a line of them. */
	assert_shown_in(7, "\x9b\x9b", "^[[^[[");
}

/*
 * S8C1T (ESC SP G), an ANSI conformance level (ESC SP L) and DECSCL with
 * 8-bit controls make xterm send its keys, an encoded Ctrl-] among them,
 * with 8-bit CSI, which the console does not take for the escape: shown as
 * text (every DECSCL). S7C1T (ESC SP F) passes.
 */
static void test_eight_bit_control_modes_are_shown_not_sent(void **state)
{
	static const struct shown_case cases[] = {
		{ "\x1b G", "^[ G" },
		{ "\x1b L", "^[ L" },
		{ "\x1b[62;0\"p", "^[[62;0\"p" },
		{ "\x1b[62;2\"p", "^[[62;2\"p" },
		{ "\x1b F", "\x1b F" },
	};

	(void)state;
	assert_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * ESC % @ has xterm leave UTF-8 (ISO 2022's DOCS), and a well-formed
 * character with a 0x9b byte, U+209B (E2 82 9B), which passes, is then CSI
 * to it: shown, as are the other coding systems. ESC % G (UTF-8) passes.
 */
static void test_leaving_utf8_is_shown_not_sent(void **state)
{
	static const struct shown_case cases[] = {
		{ "\x1b%@\xe2\x82\x9b"
		  "2h",
		  "^[%@\xe2\x82\x9b"
		  "2h" },
		{ "\x1b%/F", "^[%/F" },
		{ "\x1b%G\xe2\x82\x9b", "\x1b%G\xe2\x82\x9b" },
	};

	(void)state;
	assert_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kitty_keyboard_flags_are_shown_not_sent),
		cmocka_unit_test(test_eight_bit_control_modes_are_shown_not_sent),
		cmocka_unit_test(test_leaving_utf8_is_shown_not_sent),
		cmocka_unit_test(test_xterm_key_modifier_options_are_shown_not_sent),
		cmocka_unit_test(test_the_keyboard_action_mode_is_shown_not_sent),
		cmocka_unit_test(test_other_ways_to_take_or_type_the_escape_are_shown_not_sent),
		cmocka_unit_test(test_the_escapes_of_a_terminal_session_pass),
		cmocka_unit_test(test_sequences_a_terminal_could_read_another_way_are_shown),
		cmocka_unit_test(test_an_open_lines_views_only_grow_and_never_send_half_a_sequence),
		cmocka_unit_test(test_a_line_ending_inside_a_sequence_shows_its_esc),
		cmocka_unit_test(test_a_control_string_reaches_the_terminal_only_whole),
		cmocka_unit_test(test_can_and_sub_end_no_string),
		cmocka_unit_test(test_an_open_lines_views_never_leave_a_string_open),
		cmocka_unit_test(test_caret_escape_live_stays_inside_its_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
