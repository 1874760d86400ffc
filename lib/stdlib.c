// SPDX-License-Identifier: GPL-2.0-only
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

#include "digit.h"

/*
 * libfdt uses it to parse unit addresses in paths, the shell cell numbers,
 * boot the layout's address; no locale, no errno, no sign. A number too
 * large for unsigned long is ULONG_MAX, as in C, never the value wrapped.
 */
unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long val = 0;
	bool any = false, over = false;
	int d;

	while (*s == ' ' || *s == '\t')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; (d = digit_value(*s)) < base; s++, any = true) {
		if (val > (ULONG_MAX - (unsigned long)d) / (unsigned long)base)
			over = true;
		else
			val = val * (unsigned long)base + (unsigned long)d;
	}
	if (end)
		*end = (char *)s;
	if (!any)
		return 0;
	return over ? ULONG_MAX : val;
}
