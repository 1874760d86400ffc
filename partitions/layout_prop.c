// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layout's property values (partitions/layout.c and the other layout
 * files read them through these): each length checked before a cell is
 * read, each error reported with its node and property (layout_error()).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "layout_internal.h"

/* One function, not a macro: the "layout: %s: %s: " prefix is in the image once. */
void layout_error(struct layout_ctx *ctx, const char *node, const char *prop, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	ctx->errors++;
	va_start(ap, fmt);
	log_cut(why, sizeof(why), vsnprintf(why, sizeof(why), fmt, ap));
	va_end(ap);
	log_err("layout: %s: %s: %s", node, prop, why);
}

uint64_t layout_be64(const uint8_t *val, int cell)
{
	return platform_read_cells(val + 4 * cell, 2);
}

uint32_t layout_be32(const uint8_t *val, int cell)
{
	return fdt32_ld((const fdt32_t *)(val + 4 * cell));
}

bool layout_prop_is_strings(const struct layout_prop *p)
{
	const unsigned char *s = p->val;

	if (p->len <= 0 || s[p->len - 1] != '\0')
		return false;
	for (int i = 0; i < p->len; i++)
		if (s[i] && (s[i] < 0x20 || s[i] >= 0x7f))
			return false;
	return true;
}

/*
 * One string filling the property where cells go ("0x0" for <0x0>): its
 * first character makes the first cell 0x20000000 or more.
 */
bool layout_prop_is_one_string(const struct layout_prop *p)
{
	return p->len > 1 && layout_prop_is_strings(p) &&
	       layout_strnlen((const char *)p->val, (size_t)p->len) == (size_t)p->len - 1;
}

/* What an entry of @cells cells is, for messages (the three shapes the layout has). */
static const char *entry_shape(int cells)
{
	switch (cells) {
	case 1:
		return "32-bit cells, one per entry";
	case 4:
		return "<addr-hi addr-lo size-hi size-lo>";
	default:
		return "<ipa-hi ipa-lo pa-hi pa-lo size-hi size-lo> per region";
	}
}

/* The property holds 1..@max entries of @cells 32-bit cells each; returns the count or 0. */
int layout_prop_entries(struct layout_ctx *ctx, const struct layout_prop *p, int cells, int max)
{
	int n = p->len / (4 * cells);

	if (p->len <= 0) {
		layout_error(ctx, p->node, p->name, "has no value: expected %s",
			     entry_shape(cells));
		return 0;
	}
	/* No MPIDR, BDF or address below 2^48 is 0x20000000 or more in its first cell. */
	if (layout_prop_is_one_string(p)) {
		layout_error(ctx, p->node, p->name, "\"%s\" is a string: expected %s",
			     (const char *)p->val, entry_shape(cells));
		return 0;
	}
	if (p->len % 4) {
		layout_error(
			ctx, p->node, p->name,
			"%d bytes, not a whole number of 32-bit cells (a string?): expected %s",
			p->len, entry_shape(cells));
		return 0;
	}
	/* Entries of several cells are 64-bit addresses and sizes (windows, memory). */
	if (p->len % (4 * cells)) {
		layout_error(ctx, p->node, p->name,
			     "expected a multiple of %d cells, got %d: addresses and sizes are "
			     "always 64-bit <hi lo> pairs, whatever #address-cells and "
			     "#size-cells say",
			     cells, p->len / 4);
		return 0;
	}
	if (n > max && max == 1) {
		layout_error(ctx, p->node, p->name, "expected one %s, got %d", entry_shape(cells),
			     n);
		return 0;
	}
	if (n > max) {
		layout_error(ctx, p->node, p->name, "%d entries, at most %d are supported", n, max);
		return 0;
	}
	return n;
}

/* A single NUL-terminated string filling the property exactly. */
const char *layout_prop_string(struct layout_ctx *ctx, const struct layout_prop *p)
{
	if (p->len <= 1 ||
	    layout_strnlen((const char *)p->val, (size_t)p->len) != (size_t)p->len - 1) {
		layout_error(ctx, p->node, p->name, "expected one non-empty string");
		return NULL;
	}
	return (const char *)p->val;
}

int layout_word_index(const char *s, const char *valid)
{
	size_t len = strlen(s);

	for (int i = 0; *valid; i++) {
		const char *comma = strchr(valid, ',');
		size_t n = comma ? (size_t)(comma - valid) : strlen(valid);

		if (n == len && strncmp(valid, s, n) == 0)
			return i;
		valid += comma ? n + 2 : n;
	}
	return -1;
}

int layout_prop_word(struct layout_ctx *ctx, const struct layout_prop *p, int entry, const char *s,
		     const char *valid)
{
	char near[LAYOUT_PROP_NAME_MAX], at[sizeof("entry -2147483648: ")] = "";
	int i = layout_word_index(s, valid);

	if (i >= 0)
		return i;
	if (entry >= 0)
		snprintf(at, sizeof(at), "entry %d: ", entry);
	if (layout_suggest(s, valid, near, sizeof(near)))
		layout_error(ctx, p->node, p->name,
			     "%sunknown value \"%s\"; did you mean \"%s\"? (valid: %s)", at, s,
			     near, valid);
	else
		layout_error(ctx, p->node, p->name, "%sunknown value \"%s\" (valid: %s)", at, s,
			     valid);
	return -1;
}

int layout_prop_enum(struct layout_ctx *ctx, const struct layout_prop *p, const char *valid)
{
	const char *s = layout_prop_string(ctx, p);

	return s ? layout_prop_word(ctx, p, -1, s, valid) : -1;
}

void layout_prop_unknown(struct layout_ctx *ctx, const char *node, const char *name,
			 const char *known)
{
	char near[LAYOUT_PROP_NAME_MAX];

	if (layout_suggest(name, known, near, sizeof(near)))
		layout_error(ctx, node, name, "unknown property; did you mean \"%s\"? (known: %s)",
			     near, known);
	else
		layout_error(ctx, node, name, "unknown property (known: %s)", known);
}

/*
 * libfdt's fdt_stringlist_contains() compares strlen(@want) + 1 bytes even
 * where the property ends, so an unterminated "bulkhead,cell" matched on
 * the byte past it: the last string's NUL is checked first.
 */
void layout_prop_compatible(struct layout_ctx *ctx, const struct layout_prop *p, const char *want)
{
	const char *s = (const char *)p->val;

	if (p->len > 0 && s[p->len - 1] != '\0')
		layout_error(ctx, p->node, p->name,
			     "its last string is not NUL-terminated (expected \"%s\")", want);
	else if (fdt_stringlist_contains(s, p->len, want) != 1)
		layout_error(ctx, p->node, p->name, "expected \"%s\"", want);
}

void layout_prop_fixed_u32(struct layout_ctx *ctx, const struct layout_prop *p, uint32_t want,
			   const char *why)
{
	if (layout_prop_is_one_string(p))
		layout_error(ctx, p->node, p->name, "\"%s\" is a string: expected <%u>, as %s",
			     (const char *)p->val, want, why);
	else if (p->len != 4)
		layout_error(ctx, p->node, p->name, "%d bytes: expected one cell, <%u>, as %s",
			     p->len, want, why);
	else if (layout_be32(p->val, 0) != want)
		layout_error(ctx, p->node, p->name, "<%u>: expected <%u>, as %s",
			     layout_be32(p->val, 0), want, why);
}

/*
 * A number written as a string: a digit, then digits, hex letters or an x
 * ("0x0", "123"). In one cell only such a string is taken for one: a 4 KiB
 * aligned IPA such as 0x41424000 reads as "AB@" and is a number.
 */
static bool is_number_text(const struct layout_prop *p)
{
	const char *s = (const char *)p->val;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
		      (*s >= 'A' && *s <= 'F') || *s == 'x' || *s == 'X'))
			return false;
	return true;
}

/*
 * One or two cells. A string is said to be one: in two cells whatever it is
 * (no first cell below 2^48 reads as a character), in one only if it reads as
 * a number (is_number_text()); such a value can be written in two cells.
 */
bool layout_prop_number(struct layout_ctx *ctx, const struct layout_prop *p, uint64_t *v)
{
	if (layout_prop_is_one_string(p) && (p->len != 4 || is_number_text(p))) {
		layout_error(ctx, p->node, p->name,
			     "\"%s\" is a string: expected one number of 1 or 2 cells",
			     (const char *)p->val);
		return false;
	}
	if (p->len == 4 || p->len == 8) {
		*v = platform_read_cells(p->val, p->len / 4);
		return true;
	}
	layout_error(ctx, p->node, p->name, "expected one number of 1 or 2 cells, got %d bytes",
		     p->len);
	return false;
}

bool layout_prop_range(struct layout_ctx *ctx, const struct layout_prop *p, const char *what,
		       uint64_t *addr, uint64_t *size)
{
	if (layout_prop_entries(ctx, p, 4, 1) != 1)
		return false;
	*addr = layout_be64(p->val, 0);
	*size = layout_be64(p->val, 2);
	if (*size == 0 || layout_wraps(*addr, *size)) {
		layout_error(ctx, p->node, p->name, "%s 0x%lx+0x%lx is empty or wraps", what, *addr,
			     *size);
		return false;
	}
	return true;
}

/* <addr-hi addr-lo size-hi size-lo>: a block the boot loader placed in RAM. */
void layout_prop_window(struct layout_ctx *ctx, const struct layout_prop *p,
			struct layout_window *w)
{
	uint64_t addr, size;

	if (!layout_prop_range(ctx, p, "window", &addr, &size))
		return;
	if (addr % LAYOUT_PAGE_SIZE) {
		layout_error(ctx, p->node, p->name, "address 0x%lx is not 4 KiB aligned", addr);
		return;
	}
	w->addr = addr;
	w->size = size;
}

/*
 * libfdt's lookups return the first property of a name and never reject a
 * repeated one, so a node that names a property twice is an error here:
 * parsing both would double-count lists, parsing one would ignore the other.
 */
static bool prop_repeated(struct layout_ctx *ctx, int node, const struct layout_prop *p)
{
	if (fdt_getprop(ctx->fdt, node, p->name, NULL) == (const void *)p->val)
		return false;
	layout_error(ctx, p->node, p->name, "given twice in the node");
	return true;
}

bool layout_prop_next(struct layout_ctx *ctx, int node, int *off, int *n, struct layout_prop *p)
{
	for (;;) {
		*off = *off < 0 ? fdt_first_property_offset(ctx->fdt, node)
				: fdt_next_property_offset(ctx->fdt, *off);
		if (*off < 0)
			return false;
		if (++*n > LAYOUT_MAX_WALK) {
			layout_error(ctx, p->node, "-", "too many properties");
			return false;
		}
		p->val = fdt_getprop_by_offset(ctx->fdt, *off, &p->name, &p->len);
		if (p->val && p->name && !prop_repeated(ctx, node, p))
			return true;
	}
}
