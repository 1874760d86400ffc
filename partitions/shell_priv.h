/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_SHELL_PRIV_H
#define BULKHEAD_SHELL_PRIV_H

/* Between the shell's line and commands (shell.c) and its keyboard decoding (shell_keys.c). */

/* What a byte from the keyboard is to the line. */
enum shell_key {
	SHELL_KEY_NONE,	     /* of a terminal's sequence or string, or a character's later byte */
	SHELL_KEY_ASCII,     /* a key below 0x80 for the line: Enter, Backspace, Tab, a letter */
	SHELL_KEY_NOT_ASCII, /* a character that is not ASCII (its first byte), or a stray byte */
};

enum shell_key shell_keys_sort(char c);
/* The key after ESC that began the control string the keys are in, or 0 if none. */
char shell_keys_open_string(void);
/* Nothing half-way (a sequence, a string, a character) takes the next byte. */
void shell_keys_reset(void);

#endif
