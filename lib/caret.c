// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's line made harmless to the operator's terminal: its control
 * characters shown in caret notation instead of acted on. Without it a cell
 * could move the cursor over its own "[label] " prefix and print a line that
 * looks like the hypervisor's or another cell's, or set the window title and
 * ask the terminal to type it back, as keyboard input, into whatever has the
 * keyboard (the hypervisor shell). TAB and printable UTF-8 pass through.
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
	if (c == 0x7f) {
		out[0] = '^';
		out[1] = '?';
		return 2;
	}
	if (is_c1(c)) { /* ECMA-48: C1 code X is ESC X-0x40 in 7 bits */
		out[0] = '^';
		out[1] = '[';
		out[2] = (char)(c - 0x40);
		return 3;
	}
	out[0] = '^';
	out[1] = (char)(c + 0x40);
	return 2;
}

size_t caret_escape(char *out, size_t size, const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len = 0, n, cont = 0;
	char form[3];

	for (; *s && size; s += n) {
		unsigned char c = s[0];

		n = 1;
		if (c == 0xc2 && is_c1(s[1])) { /* U+0080..U+009F, UTF-8 encoded */
			c = s[1];
			n = 2;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f || (is_c1(c) && (n == 2 || !cont))) {
			size_t k = caret_of(c, form);

			if (len + k >= size)
				break;
			for (size_t i = 0; i < k; i++)
				out[len++] = form[i];
			cont = 0;
			continue;
		}
		if (len + 1 >= size)
			break;
		out[len++] = (char)c;
		/* UTF-8: how many continuation bytes (0x80..0xbf) may follow. */
		cont = c >= 0xf0	   ? 3
		       : c >= 0xe0	   ? 2
		       : c >= 0xc0	   ? 1
		       : c >= 0x80 && cont ? cont - 1
					   : 0;
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
