// SPDX-License-Identifier: GPL-2.0-only
/*
 * "did you mean ...?" for an unknown layout property, or an unknown value of
 * a one-word property (layout_prop_enum()): the known word a typo is
 * nearest to, within two edits. Names are short, so the distance is
 * computed in three rows on the stack; no allocation, no floating point
 * (it runs at EL2 as well as in bulkhead-check).
 */
#include "layout_internal.h"

/* Longest name compared: the longest known is 20 characters, and a typo adds at most two. */
#define SUGGEST_NAME_MAX 32

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* Letters compare without their case: "RW" is "rw" typed with caps lock, no edit. */
static bool same_char(char a, char b)
{
	if (a >= 'A' && a <= 'Z')
		a = (char)(a - 'A' + 'a');
	if (b >= 'A' && b <= 'Z')
		b = (char)(b - 'A' + 'a');
	return a == b;
}

/*
 * Optimal string alignment distance: inserting, deleting or replacing a
 * character, or swapping two neighbours (`on-falut`), is one edit each.
 * @m and @n are at most SUGGEST_NAME_MAX.
 */
static size_t distance(const char *a, size_t m, const char *b, size_t n)
{
	uint8_t rows[3][SUGGEST_NAME_MAX + 1];
	uint8_t *before = rows[0], *prev = rows[1], *cur = rows[2], *spare;

	for (size_t j = 0; j <= n; j++)
		prev[j] = (uint8_t)j;
	for (size_t i = 1; i <= m; i++) {
		cur[0] = (uint8_t)i;
		for (size_t j = 1; j <= n; j++) {
			size_t d = min3(prev[j] + 1u, cur[j - 1] + 1u,
					prev[j - 1] + (same_char(a[i - 1], b[j - 1]) ? 0u : 1u));

			if (i > 1 && j > 1 && same_char(a[i - 1], b[j - 2]) &&
			    same_char(a[i - 2], b[j - 1]) && before[j - 2] + 1u < d)
				d = before[j - 2] + 1u;
			cur[j] = (uint8_t)d;
		}
		spare = before;
		before = prev;
		prev = cur;
		cur = spare;
	}
	return prev[n];
}

static size_t name_len(const char *s)
{
	size_t n = 0;

	while (n <= SUGGEST_NAME_MAX && s[n])
		n++;
	return n;
}

bool layout_suggest(const char *name, const char *known, char *out, size_t size)
{
	size_t len = name_len(name), best = LAYOUT_SUGGEST_EDITS + 1, klen, d;
	const char *k = known, *pick = NULL;
	size_t pick_len = 0;

	if (len > SUGGEST_NAME_MAX)
		return false;
	while (*k) {
		if (*k == ',' || *k == ' ') {
			k++;
			continue;
		}
		for (klen = 0; k[klen] && k[klen] != ',' && k[klen] != ' '; klen++)
			;
		/* A length apart by more than the edits allowed is never within them. */
		if (klen <= SUGGEST_NAME_MAX && klen + LAYOUT_SUGGEST_EDITS >= len &&
		    len + LAYOUT_SUGGEST_EDITS >= klen) {
			d = distance(name, len, k, klen);
			if (d < best) {
				best = d;
				pick = k;
				pick_len = klen;
			}
		}
		k += klen;
	}
	if (!pick || pick_len >= size)
		return false;
	for (size_t i = 0; i < pick_len; i++)
		out[i] = pick[i];
	out[pick_len] = '\0';
	return true;
}
