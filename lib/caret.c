// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's line made harmless to the operator's terminal: its control
 * characters shown in caret notation instead of acted on. Without it a cell
 * could move the cursor over its own "[label] " prefix and print a line that
 * looks like the hypervisor's or another cell's, or set the window title and
 * ask the terminal to type it back, as keyboard input, into whatever has the
 * keyboard (the hypervisor shell). TAB and well-formed UTF-8 pass through.
 * The cell with the keyboard has only what would take the console's escape
 * from the operator shown so (caret_escape_live()).
 */
#include <string.h>
#include "console.h"

static bool is_c1(unsigned char c)
{
	return c >= 0x80 && c <= 0x9f;
}

/* @c's caret form at @out (room for 3): ^X for C0, ^? for DEL, ^[X for C1. */
static size_t caret_of(unsigned char c, char *out)
{
	size_t n = 0;

	out[n++] = '^';
	if (is_c1(c))
		out[n++] = '['; /* ECMA-48: C1 code X is ESC X-0x40 in 7 bits */
	out[n++] = c == 0x7f ? '?' : (char)(is_c1(c) ? c - 0x40 : c + 0x40);
	return n;
}

/*
 * The length of the well-formed UTF-8 character at @s (2 to 4 bytes), or 0
 * (Unicode 15, Table 3-7): no overlong form, no surrogate, nothing past
 * U+10FFFF, none cut short. Reads at most @avail bytes, and stops at the
 * first byte that does not fit, so never reads past a NUL. *@cut: the
 * @avail bytes begin such a character and end before it does.
 */
static size_t utf8_len(const unsigned char *s, size_t avail, bool *cut)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	*cut = false;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* overlong below U+0800 */
	else if (s[0] == 0xed)
		hi = 0x9f; /* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90; /* overlong below U+10000 */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* past U+10FFFF */
	for (i = 1; i < n; i++, lo = 0x80, hi = 0xbf) {
		if (i == avail) {
			*cut = true;
			return 0;
		}
		if (s[i] < lo || s[i] > hi)
			return 0;
	}
	return n;
}

/*
 * A byte 0x80-0x9f passes only inside a well-formed UTF-8 character, where
 * a UTF-8 terminal reads it as part of that character. Anywhere else (a
 * stray continuation byte, an overlong or cut-short sequence such as
 * 0xe0 0x80 0x9b) it shows in caret form: a terminal could take it for a C1
 * control (0x9b is CSI). The lead byte of such a sequence is no control, and
 * passes. In a terminal that is not UTF-8 a well-formed character's 0x9b is
 * CSI still: the console needs a UTF-8 terminal (docs/console.md).
 */
size_t caret_escape(char *out, size_t size, const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len = 0, n, k;
	char form[3];
	bool cut;

	for (; *s && size; s += n) {
		const char *piece = (const char *)s;
		unsigned char c = s[0];

		n = utf8_len(s, (size_t)-1, &cut);
		if (n == 2 && c == 0xc2 && is_c1(s[1]))
			c = s[1]; /* U+0080..U+009F, a C1 control in UTF-8 */
		/* Else a well-formed character's lead byte is no control: it passes whole. */
		k = n = n ? n : 1;
		if ((c < 0x20 && c != '\t') || c == 0x7f || is_c1(c)) {
			k = caret_of(c, form);
			piece = form;
		}
		if (len + k >= size)
			break;
		while (k--)
			out[len++] = *piece++;
	}
	if (size)
		out[len] = '\0';
	return len;
}

/*
 * --- the cell with the keyboard ---------------------------------------------
 *
 * A live cell's bytes are its terminal session's, but for what would take
 * the console's escape away from the operator or have the terminal type it:
 *   - Ctrl-] itself: a terminal that reports its window title types the
 *     title back as keyboard input, and a title holding Ctrl-] h then a
 *     command would switch the keyboard to the hypervisor shell and run it
 *     there;
 *   - the sequences that change how the terminal sends keys (kitty's
 *     keyboard protocol, xterm's modifyOtherKeys, Windows Terminal's
 *     win32-input-mode): Ctrl-] then reaches the console as ESC [ 93 ; 5 u
 *     or ESC [ 27 ; 5 ; 93 ~, not 0x1d; KAM, which locks the keyboard, and
 *     xterm's hilite mouse tracking, which stops it reading keys; and
 *     those that let the terminal build the byte from what a cell sent
 *     (xterm's titles set in hex, VT220 user-defined keys);
 *   - C1 controls: 0x9b is CSI to a terminal that honours them, and the
 *     parser below reads only the 7-bit forms.
 * These show in caret form, the ESC as ^[ and the rest as text. No guest
 * needs to send any of them to the operator's terminal. And a control string
 * (OSC, DCS, SOS, PM, APC) goes out only whole, with its terminator: one left
 * open would have the terminal swallow every byte after it, other cells' and
 * the hypervisor's lines too, until a reset (live_string_len()).
 */
#define ESC 0x1b

enum live_shown { LIVE_PASS, LIVE_CARET, LIVE_WAIT };

/* ESC [ (CSI) or ESC P (DCS) as a terminal parses it (ECMA-48 5.4, DEC's VT500 parser). */
struct ctl_seq {
	unsigned char intro;	     /* '[' or 'P' */
	unsigned char marker;	     /* a private marker (< = > ?) first, or 0 */
	const unsigned char *params; /* after the marker */
	size_t params_len;
	unsigned char final;
};

/*
 * The control sequence at @s, ESC and its introducer first, into @q: its
 * length through the final byte; 0 if the @avail bytes end before it does;
 * -1 if it is malformed: a byte no sequence holds (a control, which a
 * terminal acts on while it goes on with the sequence, so ESC [ > TAB 1 u is
 * still CSI > 1 u), a private marker after the first byte, a parameter byte
 * after an intermediate. A terminal ignores such a sequence, or reads it
 * its own way: shown.
 */
static long ctl_seq_parse(const unsigned char *s, size_t avail, struct ctl_seq *q)
{
	size_t i = 2;
	bool inter = false;

	q->intro = s[1];
	q->marker = 0;
	if (i < avail && s[i] >= 0x3c && s[i] <= 0x3f)
		q->marker = s[i++];
	q->params = s + i;
	q->params_len = 0;
	for (; i < avail; i++) {
		if (s[i] >= 0x40 && s[i] <= 0x7e) {
			q->final = s[i];
			return (long)i + 1;
		}
		if (s[i] < 0x20 || s[i] > 0x7e || (s[i] >= 0x3c && s[i] <= 0x3f) ||
		    (inter && s[i] >= 0x30))
			return -1;
		inter = inter || s[i] < 0x30;
		if (!inter)
			q->params_len = (size_t)(s + i + 1 - q->params);
	}
	return 0;
}

/* Whether @q's parameters (numbers between ; and :) hold @value. */
static bool has_param(const struct ctl_seq *q, unsigned int value)
{
	unsigned int v = 0;
	bool digits = false;
	size_t i;

	for (i = 0; i <= q->params_len; i++) {
		if (i < q->params_len && q->params[i] >= '0' && q->params[i] <= '9') {
			if (v < 100000) /* more stays more: no wrap to a small value */
				v = v * 10 + (unsigned int)(q->params[i] - '0');
			digits = true;
			continue;
		}
		if (digits && v == value)
			return true;
		v = 0;
		digits = false;
	}
	return false;
}

/*
 * Whether @q changes how the terminal sends keys, or makes it send bytes a
 * cell chose (xterm's ctlseqs; kitty's keyboard protocol; Windows Terminal's
 * spec #4999). Cursor-key and keypad modes (CSI ? 1 h, CSI ? 66 h, ESC =)
 * pass: they leave Ctrl-] alone.
 */
static bool ctl_seq_takes_keyboard(const struct ctl_seq *q)
{
	/* DECUDK: a key the operator presses then types the cell's text. */
	if (q->intro == 'P')
		return q->final == '|';
	switch (q->final) {
	case 'u': /* kitty: push (>), pop (<) or set (=) the keyboard's flags */
		return q->marker == '<' || q->marker == '=' || q->marker == '>';
	case 'm': /* XTMODKEYS: modifyOtherKeys and the other key modifiers */
	case 'n': /* and turning them off (older xterm) */
	case 'f': /* XTFMTKEYS: the form of modifyOtherKeys' sequences */
	case 't': /* XTSMTITLE: a title set in hex, which can hold Ctrl-] */
		return q->marker == '>';
	case 'h':
	case 'l':
		if (!q->marker)
			return has_param(q, 2); /* KAM: the keyboard locked */
		if (q->marker != '?')
			return false;
		/*
		 * Hilite mouse tracking: at a click xterm reports it and then reads
		 * no X event, keys included, until the program answers CSI ... T.
		 * A cell that does not, or a click after the keyboard moved on,
		 * leaves xterm deaf to Ctrl-] for good. Its reset (l) passes.
		 */
		return has_param(q, 9001) || (q->final == 'h' && has_param(q, 1001));
	case 'p': /* DECSCL (" p): a conformance level may bring 8-bit controls (see live_esc()) */
		return !q->marker && q->params[q->params_len] == '"'; /* its first intermediate */
	default:
		return false;
	}
}

#define BEL 0x07
#define CAN 0x18
#define SUB 0x1a

/* ESC @c begins a control string: OSC, DCS (after its header), SOS, PM, APC. */
static bool is_string_intro(unsigned char c)
{
	return c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_';
}

/*
 * The length of the control string at @s (ESC, its introducer, @from bytes
 * of header in all) through its terminator, or 0 if the @avail bytes end
 * first. Only what every terminal takes ends one: ST (ESC \) any, BEL an
 * OSC (xterm's form). Not CAN or SUB, which cancel a string in ECMA-48 and
 * DEC's VT500 parser but are part of it to kitty, which would swallow what
 * follows. Not sent before it is known: a string a line leaves open, a
 * title a cell began and never ended, would have the terminal swallow
 * everything after it, whoever wrote it (the console's line ends, other
 * cells' lines, the hypervisor's), until a terminal reset. Sent whole, a
 * title still sets. The string's bytes are seen by live_in_string(): no
 * ESC but its ST, no CAN or SUB, reaches the terminal, so it ends where
 * this says in every terminal, those that end a string at any ESC too.
 */
static size_t live_string_len(const unsigned char *s, size_t avail, size_t from)
{
	size_t i;

	for (i = from; i < avail; i++) {
		if (s[i] == BEL && s[1] == ']')
			return i + 1;
		if (s[i] == ESC && i + 1 < avail && s[i + 1] == '\\')
			return i + 2;
	}
	return 0;
}

/*
 * ESC and what follows it at @s: *@n bytes passed as they are, ESC shown, or
 * wait for more. *@string: the length of the control string it begins, if
 * it passes (0: none).
 */
static enum live_shown live_esc(const unsigned char *s, size_t avail, size_t *n, size_t *string)
{
	struct ctl_seq q;
	long len;

	*n = 1;
	*string = 0;
	if (avail < 2)
		return LIVE_WAIT;
	/* A control after ESC is acted on and ESC goes on: ESC TAB [ is CSI. */
	if (s[1] < 0x20 || s[1] > 0x7e)
		return LIVE_CARET;
	/*
	 * ESC SP G (S8C1T) and the ANSI conformance levels (ESC SP L, M, N) can
	 * make the terminal send its keys with 8-bit controls, an encoded
	 * Ctrl-] among them, which the console does not take for the escape:
	 * shown. ESC SP F (S7C1T, 7-bit) passes. Likewise ESC % @ and the other
	 * coding systems (DOCS) but UTF-8's, ESC % G: xterm leaves UTF-8, and a
	 * well-formed character with a 0x9b byte (U+209B is E2 82 9B), which
	 * passes as one, is then CSI to it, past these rules.
	 */
	if (s[1] == ' ' || s[1] == '%') {
		if (avail < 3)
			return LIVE_WAIT;
		return s[2] == (s[1] == ' ' ? 'F' : 'G') ? LIVE_PASS : LIVE_CARET;
	}
	if (s[1] == '[' || s[1] == 'P') {
		len = ctl_seq_parse(s, avail, &q);
		if (!len)
			return LIVE_WAIT;
		if (len < 0 || ctl_seq_takes_keyboard(&q))
			return LIVE_CARET;
	} else {
		len = 1 + is_string_intro(s[1]); /* else ESC and one byte, which passes alone */
	}
	if (is_string_intro(s[1])) {
		*string = live_string_len(s, avail, (size_t)len);
		if (!*string)
			return LIVE_WAIT;
	}
	*n = (size_t)len;
	return LIVE_PASS;
}

/*
 * How the live cell's bytes at @s (@avail of them, no ESC first: live_esc())
 * reach the terminal: *@n bytes as they are, or one control, *@c, shown in
 * caret form (*@n bytes of input: two for a C1 control in UTF-8); or wait:
 * they may begin a character that the next bytes finish.
 */
static enum live_shown live_text(const unsigned char *s, size_t avail, size_t *n, unsigned char *c)
{
	bool cut;
	size_t u;

	*c = s[0];
	*n = 1;
	if (s[0] == CONSOLE_ESCAPE)
		return LIVE_CARET;
	u = utf8_len(s, avail, &cut);
	if (cut)
		return LIVE_WAIT;
	if (u == 2 && s[0] == 0xc2 && is_c1(s[1])) {
		*c = s[1];
		*n = 2;
		return LIVE_CARET;
	}
	if (!u && is_c1(s[0]))
		return LIVE_CARET;
	*n = u ? u : 1;
	return LIVE_PASS;
}

/*
 * Inside a control string (@avail bytes to its end): an ESC but its ST shows
 * as ^[, and CAN and SUB as ^X and ^Z, so no terminal ends the string there,
 * nor reads a sequence inside it that the rules above would have shown; the
 * rest as outside one.
 */
static enum live_shown live_in_string(const unsigned char *s, size_t avail, size_t *n,
				      unsigned char *c)
{
	if (s[0] != ESC && s[0] != CAN && s[0] != SUB)
		return live_text(s, avail, n, c);
	*c = s[0];
	*n = s[0] == ESC && avail == 2 && s[1] == '\\' ? 2 : 1;
	return *n == 2 ? LIVE_PASS : LIVE_CARET;
}

/* A finished line ends inside the control string that the ESC at @s begins. */
static bool ends_in_string(const unsigned char *s, size_t avail)
{
	return s[0] == ESC && avail > 1 && is_string_intro(s[1]);
}

size_t caret_escape_live(char *out, size_t size, const char *in, size_t len, bool open)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = 0, i, step, k, string, string_end = 0;
	enum live_shown shown;
	const char *piece;
	unsigned char c;
	char form[3];

	for (i = 0; i < len && size; i += step) {
		c = s[i];
		string = 0;
		if (i < string_end)
			shown = live_in_string(s + i, string_end - i, &step, &c);
		else if (c == ESC)
			shown = live_esc(s + i, len - i, &step, &string);
		else
			shown = live_text(s + i, len - i, &step, &c);
		if (shown == LIVE_WAIT && open)
			break; /* for a longer view to show whole: what went out stays a prefix */
		if (shown == LIVE_WAIT) { /* the line ended inside it */
			if (i >= string_end && ends_in_string(s + i, len - i))
				string_end = len; /* its rest shows as the string's body */
			shown = s[i] == ESC ? LIVE_CARET : LIVE_PASS;
		}
		piece = in + i;
		k = step;
		if (shown == LIVE_CARET) {
			k = caret_of(c, form);
			piece = form;
		}
		/* Room for a string's whole caret form too, or it is not begun: never cut open. */
		if (n + k >= size || (string && n + 3 * string >= size))
			break;
		memcpy(out + n, piece, k);
		n += k;
		if (string)
			string_end = i + string;
	}
	if (size)
		out[n] = '\0';
	return n;
}
