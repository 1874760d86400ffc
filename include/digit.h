/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_DIGIT_H
#define BULKHEAD_DIGIT_H

/*
 * The value of a digit in bases up to 36 (0-9, then a-z or A-Z), or 99,
 * which no base accepts: `digit_value(c) < base` is "c is a digit of base".
 * For the hypervisor's strtoul() (lib/stdlib.c) and the layout's unit
 * addresses (partitions/layout_tree.c). A header, not lib/: the layout
 * parser is also built on the host, against the host's libc, where
 * lib/stdlib.c is not linked.
 */
static inline int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

#endif
