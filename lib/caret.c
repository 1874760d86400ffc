// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's line made harmless to the operator's terminal: its control
 * characters shown in caret notation instead of acted on. Without it a cell
 * could move the cursor over its own "[label] " prefix and print a line that
 * looks like the hypervisor's or another cell's, or set the window title and
 * ask the terminal to type it back, as keyboard input, into whatever has the
 * keyboard (the hypervisor shell). TAB and well-formed UTF-8 pass through.
 * The cell with the keyboard has only the console's escape shown so
 * (caret_escape_live()).
 */
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
 * U+10FFFF, none cut short. Stops at the first byte that does not fit, so
 * never reads past a NUL.
 */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

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
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
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

	for (; *s && size; s += n) {
		const char *piece = (const char *)s;
		unsigned char c = s[0];

		n = utf8_len(s);
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
 * A live cell's bytes are its terminal session's, but never Ctrl-]: a
 * terminal that reports its window title types the title back as keyboard
 * input, and a title holding Ctrl-] h then a command would switch the
 * keyboard to the hypervisor shell and run it there. No guest needs to send
 * Ctrl-] to the terminal.
 */
size_t caret_escape_live(char *out, size_t size, const char *in, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len && n + 1 < size; i++) {
		if (in[i] != CONSOLE_ESCAPE) {
			out[n++] = in[i];
			continue;
		}
		if (n + 2 >= size)
			break;
		out[n++] = '^';
		out[n++] = ']';
	}
	if (size)
		out[n] = '\0';
	return n;
}
