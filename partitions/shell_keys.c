// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the keyboard's bytes are to the hypervisor shell's line (shell.c): a
 * terminal's escape sequences and control strings (ECMA-48), in their 7-bit
 * and 8-bit (C1) forms, dropped whole; UTF-8 characters, one key each; the
 * rest, keys for the line.
 */
#include <stdbool.h>
#include "shell_priv.h"

/*
 * Where the keys are in a terminal's escape sequence: ESC, then '[' (CSI) or
 * 'O' (SS3), parameter and intermediate bytes (0x20-0x3f) and one final byte
 * (0x40-0x7e). Arrow and function keys send them, and so does a terminal
 * answering a cell's cursor-position query after the keyboard came here
 * (ESC [ 24;1 R). Not typed: their printable bytes made "[A" of an arrow key.
 * Or in a control string (ECMA-48's): ESC then ']' (OSC), 'P' (DCS),
 * 'X' (SOS), '^' (PM) or '_' (APC), any bytes, and BEL, ST (ESC \), CAN or
 * SUB, as a terminal answers a cell's colour query (ESC ] 11;rgb:... ESC \).
 * Enter ends a string too, so a stray ESC ] cannot take every line after it.
 */
#define KEY_BEL 0x07
#define KEY_CAN 0x18
#define KEY_SUB 0x1a
#define KEY_ESC 0x1b
static enum { SEQ_NONE, SEQ_ESC, SEQ_CSI, SEQ_STRING, SEQ_STRING_ESC } seq;
/* The key after ESC that began the last control string, for Enter to name. */
static char string_key;
/*
 * Continuation bytes (0x80-0xbf) still to come of a UTF-8 character typed or
 * pasted: they are its, not C1 controls (0xc3 0x9d is U+00DD, not OSC).
 */
static unsigned int utf8_left;

static bool in_control_string(void)
{
	return seq == SEQ_STRING || seq == SEQ_STRING_ESC;
}

/*
 * Key @c in a control string: dropped, and BEL, CAN, SUB or ESC \ ends the
 * string. Enter is taken, and its line not run: the keys the string took
 * are missing from it (shell.c, shell_enter(); its prompt ends the string).
 */
static bool in_string(char c)
{
	if (c == '\r' || c == '\n')
		return false;
	if (c == KEY_BEL || c == KEY_CAN || c == KEY_SUB || (seq == SEQ_STRING_ESC && c == '\\'))
		seq = SEQ_NONE;
	else
		seq = c == KEY_ESC ? SEQ_STRING_ESC : SEQ_STRING;
	return true;
}

/*
 * Whether key @c is part of an escape sequence or a control string. Any
 * other key ends a sequence and is taken: Enter, a control byte, and a key
 * after ESC that starts none (Alt and the key).
 */
static bool in_sequence(char c)
{
	if (in_control_string())
		return in_string(c);
	if (seq == SEQ_ESC && (c == '[' || c == 'O')) {
		seq = SEQ_CSI;
		return true;
	}
	if (seq == SEQ_ESC && (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_')) {
		seq = SEQ_STRING;
		string_key = c;
		return true;
	}
	if (seq == SEQ_CSI && c >= ' ' && c < 0x7f) {
		if (c >= '@')
			seq = SEQ_NONE;
		return true;
	}
	seq = c == KEY_ESC ? SEQ_ESC : SEQ_NONE;
	return seq == SEQ_ESC;
}

/* How many continuation bytes a UTF-8 character that starts with @b has (0: not a lead byte). */
static unsigned int utf8_continuations(unsigned char b)
{
	if (b >= 0xc2 && b <= 0xdf)
		return 1;
	if (b >= 0xe0 && b <= 0xef)
		return 2;
	return b >= 0xf0 && b <= 0xf4 ? 3 : 0;
}

/*
 * What byte @b is, after the bytes before it. From 0x80: a continuation of
 * the UTF-8 character before it, a C1 control (0x80-0x9f, unless it is
 * the former), or another (a character's first byte, a stray one). A
 * terminal that is not UTF-8 and sends a C1 control right after a letter
 * from 0xc2 (Latin-1's Â, é) has it taken for that letter's, and the rest
 * of its sequence typed: the console needs a UTF-8 terminal.
 */
enum byte_kind { BYTE_ASCII, BYTE_C1, BYTE_UTF8_MORE, BYTE_OTHER };

static enum byte_kind byte_kind(unsigned char b)
{
	bool continues = utf8_left && b >= 0x80 && b <= 0xbf;

	utf8_left = continues ? utf8_left - 1 : utf8_continuations(b);
	if (b < 0x80)
		return BYTE_ASCII;
	if (continues)
		return BYTE_UTF8_MORE;
	return b <= 0x9f ? BYTE_C1 : BYTE_OTHER;
}

/*
 * A C1 control is ESC and a key in one byte (ECMA-48 5.3: 0x9b CSI is
 * ESC [, 0x9d OSC ESC ], 0x90 DCS ESC P, 0x9c ST ESC \, 0x8f SS3 ESC O):
 * it starts, ends or is part of a sequence or string as those two keys
 * are, and is not typed, whatever they would have typed.
 */
static void c1_input(unsigned char b)
{
	(void)in_sequence(KEY_ESC);
	(void)in_sequence((char)(b - 0x40));
}

enum shell_key shell_keys_sort(char c)
{
	enum byte_kind kind = byte_kind((unsigned char)c);

	if (kind == BYTE_C1) {
		c1_input((unsigned char)c);
		return SHELL_KEY_NONE;
	}
	if (in_sequence(c) || kind == BYTE_UTF8_MORE)
		return SHELL_KEY_NONE;
	return kind == BYTE_OTHER ? SHELL_KEY_NOT_ASCII : SHELL_KEY_ASCII;
}

char shell_keys_open_string(void)
{
	return in_control_string() ? string_key : '\0';
}

void shell_keys_reset(void)
{
	seq = SEQ_NONE;
	utf8_left = 0;
}
