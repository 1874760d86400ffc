// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layout DTB's shape around its values (docs/layout.md): what may sit
 * at its root, the names of the nodes in /bulkhead and their unit
 * addresses, a name given twice, and label references dtc could not
 * resolve (/__fixups__). layout.c reads the nodes themselves. The input
 * may be any bytes: every walk is bounded by LAYOUT_MAX_WALK.
 */
#include <stdio.h>
#include <string.h>

#include "digit.h"
#include "layout_internal.h"

/*
 * dtc's /plugin/ mode compiles a reference to a label the file does not
 * define (<&cpu0>) to 0xffffffff and records where in /__fixups__: each
 * property is a label, each of its strings "path:property:offset", for an
 * overlay applied onto a tree that has the label. A layout is applied to
 * nothing. Entry @i of @label into @path and @prop; false past the last.
 */
static bool fixup_get(const struct layout_ctx *ctx, const char *label, int i,
		      char path[LAYOUT_PATH_MAX], char prop[LAYOUT_PROP_NAME_MAX])
{
	int len;
	const char *s = fdt_stringlist_get(ctx->fdt, ctx->fixups, label, i, &len);
	const char *c1 = s ? memchr(s, ':', (size_t)len) : NULL;
	const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(len - (c1 + 1 - s))) : NULL;

	if (!s)
		return false;
	path[0] = prop[0] = '\0';
	if (c2 && c1 - s < LAYOUT_PATH_MAX && c2 - c1 - 1 < LAYOUT_PROP_NAME_MAX) {
		memcpy(path, s, (size_t)(c1 - s));
		path[c1 - s] = '\0';
		memcpy(prop, c1 + 1, (size_t)(c2 - c1 - 1));
		prop[c2 - c1 - 1] = '\0';
	}
	return true;
}

/*
 * Each unresolved label reference: with @node NULL, said where it is
 * written; else whether @node's property @name is one (its value is dtc's
 * placeholder, not worth reading).
 */
bool layout_tree_fixups(struct layout_ctx *ctx, const char *node, const char *name)
{
	char path[LAYOUT_PATH_MAX], prop[LAYOUT_PROP_NAME_MAX];
	const char *label;
	int off, n = 0;

	if (ctx->fixups <= 0)
		return false;
	fdt_for_each_property_offset(off, ctx->fdt, ctx->fixups)
	{
		if (!fdt_getprop_by_offset(ctx->fdt, off, &label, NULL))
			break;
		for (int i = 0; n < LAYOUT_MAX_WALK && fixup_get(ctx, label, i, path, prop);
		     i++, n++)
			if (!node)
				layout_error(
					ctx, path[0] ? path : "/__fixups__", path[0] ? prop : label,
					"<&%s> is an unresolved label reference (a /plugin/ "
					"layout): a layout cannot reference the board's labels, "
					"it is applied to no tree; give CPUs by MPIDR and devices "
					"by node path",
					label);
			else if (strcmp(path, node) == 0 && strcmp(prop, name) == 0)
				return true;
	}
	return false;
}

/*
 * @name is @base@N, N 1 to 8 hex digits (a DT unit address), and a reg, if
 * any, is <N>: tools find cells by that name (scripts/layout_dtb.py, which
 * scripts/mkbootcmd uses, lists /bulkhead/cell@*), so `cell` or `cell@zz`,
 * which the parser would read, would be a cell the boot script never loads.
 */
void layout_tree_unit_address(struct layout_ctx *ctx, int node, const char *name, const char *base)
{
	const char *at = name + strlen(base);
	char path[LAYOUT_PATH_MAX];
	uint32_t n = 0;
	int digits = 0, len;
	const fdt32_t *reg;

	if (*at == '@')
		for (at++; digits <= 8 && digit_value(*at) < 16; at++, digits++)
			n = n << 4 | (uint32_t)digit_value(*at);
	if (digits == 0 || digits > 8 || *at != '\0') {
		layout_error(ctx, "/bulkhead", name,
			     "a %s node is named %s@N, N its number in hex (scripts/layout_dtb.py "
			     "and mkbootcmd find them by that name)",
			     base, base);
		return;
	}
	reg = fdt_getprop(ctx->fdt, node, "reg", &len);
	if (!reg || (len == 4 && fdt32_ld(reg) == n))
		return;
	snprintf(path, sizeof(path), "/bulkhead/%s", name);
	if (len != 4)
		layout_error(ctx, path, "reg", "expected one cell, the unit address <0x%x>", n);
	else
		layout_error(ctx, path, "reg",
			     "<0x%x> is not the unit address %x (%s@N has reg = <N>, or no reg)",
			     fdt32_ld(reg), n, base);
}

/* Does a sibling before @node, below @parent, have @node's @name? */
bool layout_tree_name_taken(struct layout_ctx *ctx, int parent, int node, const char *name)
{
	int sib, n = 0;

	fdt_for_each_subnode(sib, ctx->fdt, parent)
	{
		const char *other = fdt_get_name(ctx->fdt, sib, NULL);

		if (sib == node || !other || ++n > LAYOUT_MAX_WALK)
			break;
		if (strcmp(other, name) == 0)
			return true;
	}
	return false;
}

#define ROOT_PROPS "#address-cells, #size-cells, compatible, model"
#define ROOT_NODES "bulkhead, __symbols__, __fixups__, __local_fixups__"

/* An unknown @what ("property", "node") at the root, and the known one it is a typo of. */
static void root_unknown(struct layout_ctx *ctx, const char *name, const char *what,
			 const char *known, const char *why)
{
	char near[LAYOUT_PROP_NAME_MAX];

	if (layout_suggest(name, known, near, sizeof(near)))
		layout_error(ctx, "/", name, "unknown %s; did you mean \"%s\"? (%s)", what, near,
			     why);
	else
		layout_error(ctx, "/", name, "unknown %s (%s)", what, why);
}

/*
 * Only a node near "bulkhead" is named: a board's tree given for the layout
 * has dozens of others, each no typo (layout_parse() says what it is).
 */
bool layout_tree_misspelt_bulkhead(const void *fdt)
{
	char near[sizeof("bulkhead")];
	int off, n = 0;

	fdt_for_each_subnode(off, fdt, 0)
	{
		const char *name = fdt_get_name(fdt, off, NULL);

		if (!name || ++n > LAYOUT_MAX_WALK)
			break;
		if (layout_suggest(name, "bulkhead", near, sizeof(near))) {
			log_err("layout: /: %s: unknown node; did you mean \"bulkhead\"? (the "
				"layout "
				"lives in /bulkhead, which is missing)",
				name);
			return true;
		}
	}
	return false;
}

/*
 * Everything lives in /bulkhead: a node or property beside it is a mistake,
 * not ignored. So is a /memreserve/ entry: the layout reserves nothing (the
 * board's tree does, and the rules read that), and one written there, even
 * over a cell, would be read by nobody.
 */
void layout_tree_check_root(struct layout_ctx *ctx)
{
	int off, n = 0, bulkheads = 0, rsv = fdt_num_mem_rsv(ctx->fdt);
	uint64_t addr = 0, size = 0;

	if (rsv > 0) {
		fdt_get_mem_rsv(ctx->fdt, 0, &addr, &size);
		layout_error(ctx, "/", "/memreserve/",
			     "the layout DTB has %d entr%s (0x%lx+0x%lx%s); the layout reserves "
			     "nothing: memory firmware keeps is reserved in the board's tree "
			     "(/memreserve/, /reserved-memory), which the rules read",
			     rsv, rsv == 1 ? "y" : "ies", addr, size, rsv > 1 ? ", ..." : "");
	}

	fdt_for_each_property_offset(off, ctx->fdt, 0)
	{
		const char *name = NULL;

		if (++n > LAYOUT_MAX_WALK || !fdt_getprop_by_offset(ctx->fdt, off, &name, NULL))
			break;
		if (layout_word_index(name, ROOT_PROPS) < 0)
			root_unknown(
				ctx, name, "property", ROOT_PROPS,
				"the layout lives in /bulkhead; known at the root: " ROOT_PROPS);
	}
	fdt_for_each_subnode(off, ctx->fdt, 0)
	{
		const char *name = fdt_get_name(ctx->fdt, off, NULL);

		if (!name || ++n > 2 * LAYOUT_MAX_WALK)
			break;
		if (layout_word_index(name, ROOT_NODES) < 0)
			root_unknown(ctx, name, "node", ROOT_NODES,
				     "the layout lives in /bulkhead");
		/* dtc refuses two, a DTB built by hand need not: only the first would be read. */
		else if (strcmp(name, "bulkhead") == 0 && ++bulkheads == 2)
			layout_error(ctx, "/", name,
				     "a second node of that name, which nothing would read: the "
				     "layout is one /bulkhead node (merge them)");
	}
}
