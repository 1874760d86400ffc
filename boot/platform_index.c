// SPDX-License-Identifier: GPL-2.0-only
/*
 * One walk over the board DTB that remembers what discovery and layout
 * checking look up again and again: each node's offset, parent, phandle and
 * compatible list. libfdt answers those by walking the blob from the start
 * every time (a parent, a phandle or a path each cost a walk); here they are
 * table lookups. Every answer is the one libfdt would give, the same offset
 * or the same error, and anything the index cannot answer (another blob, an
 * offset it does not hold, a blob too big for it) is passed on to libfdt.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <libfdt.h>

#include "platform.h"

/* Deepest nesting the index follows; a deeper blob is left to libfdt. */
#define PLATFORM_INDEX_DEPTH 32

/* The entry of node @offset (nodes[] is in walk order, so by offset), or -1. */
static int index_find(const struct platform_index *idx, int offset)
{
	int lo = 0, hi = idx->nr_nodes - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (idx->nodes[mid].offset == offset)
			return mid;
		if (idx->nodes[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* The PLATFORM_PROP_ bit of property @name, 0 for a property no interrupt walk asks for. */
static unsigned int irq_prop_bit(const char *name)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} props[] = {
		{ "interrupts", PLATFORM_PROP_INTERRUPTS },
		{ "interrupts-extended", PLATFORM_PROP_INTERRUPTS_EXTENDED },
		{ "interrupt-parent", PLATFORM_PROP_INTERRUPT_PARENT },
		{ "interrupt-map", PLATFORM_PROP_INTERRUPT_MAP },
		{ "#interrupt-cells", PLATFORM_PROP_INTERRUPT_CELLS },
		{ "interrupt-controller", PLATFORM_PROP_INTERRUPT_CONTROLLER },
	};

	/* Most properties are none of them: one byte tells. */
	if (name[0] != 'i' && name[0] != '#')
		return 0;
	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		if (strcmp(name, props[i].name) == 0)
			return props[i].bit;
	return 0;
}

/*
 * One pass over the node's properties for the phandle, compatible list,
 * device_type and which interrupt properties it has.
 * The first property of a name counts, as with fdt_getprop(); the phandle
 * follows fdt_get_phandle(): "phandle" if it is one cell, else
 * "linux,phandle" if that is, else 0. A property libfdt cannot read fails
 * the build, as it would fail libfdt's own lookups.
 */
static int index_props(const void *fdt, struct platform_index_node *n)
{
	const void *phandle = NULL, *linux_phandle = NULL;
	int prop, phandle_len = 0, linux_len = 0;

	n->compat = NULL;
	n->compat_len = 0;
	n->type = NULL;
	n->type_len = 0;
	n->irq_props = 0;
	fdt_for_each_property_offset(prop, fdt, n->offset)
	{
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(fdt, prop, &name, &len);

		if (!val)
			return len;
		n->irq_props |= (uint8_t)irq_prop_bit(name);
		if (!phandle && strcmp(name, "phandle") == 0) {
			phandle = val;
			phandle_len = len;
		} else if (!linux_phandle && strcmp(name, "linux,phandle") == 0) {
			linux_phandle = val;
			linux_len = len;
		} else if (!n->compat && strcmp(name, "compatible") == 0) {
			n->compat = val;
			n->compat_len = len;
		} else if (!n->type && strcmp(name, "device_type") == 0) {
			n->type = val;
			n->type_len = len;
		}
	}
	if (prop != -FDT_ERR_NOTFOUND)
		return prop;
	if (!phandle || phandle_len != (int)sizeof(fdt32_t)) {
		phandle = linux_phandle;
		phandle_len = linux_len;
	}
	n->phandle = phandle && phandle_len == (int)sizeof(fdt32_t) ? fdt32_ld(phandle) : 0;
	return 0;
}

/* After the root node closes, libfdt's walks would still find any node that follows it. */
static bool index_walk_complete(const void *fdt, const struct platform_index *idx)
{
	int last = idx->nodes[idx->nr_nodes - 1].offset;

	return fdt_next_node(fdt, last, NULL) == -FDT_ERR_NOTFOUND;
}

int platform_index_build(struct platform_index *idx, const void *fdt, int max)
{
	int open[PLATFORM_INDEX_DEPTH]; /* entry of the node open at each depth */
	int node, depth = 0;

	idx->fdt = NULL;
	idx->nr_nodes = 0;
	if (max > PLATFORM_INDEX_MAX)
		max = PLATFORM_INDEX_MAX;
	for (node = 0; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
		struct platform_index_node *n = &idx->nodes[idx->nr_nodes];

		if (idx->nr_nodes == max || depth >= PLATFORM_INDEX_DEPTH)
			return -ENOSPC;
		open[depth] = idx->nr_nodes;
		n->offset = node;
		n->parent = depth ? open[depth - 1] : -1;
		n->depth = (uint8_t)depth;
		n->name = fdt_get_name(fdt, node, &n->name_len);
		if (!n->name || index_props(fdt, n))
			break;
		idx->nr_nodes++;
	}
	if (node < 0 || depth >= 0 || idx->nr_nodes == 0 || !index_walk_complete(fdt, idx)) {
		idx->nr_nodes = 0;
		return -EINVAL;
	}
	idx->fdt = fdt;
	return 0;
}

int platform_index_parent(const struct platform_index *idx, const void *fdt, int node)
{
	int i = platform_index_holds(idx, fdt) ? index_find(idx, node) : -1;

	if (i < 0)
		return fdt_parent_offset(fdt, node);
	i = idx->nodes[i].parent;
	return i < 0 ? -FDT_ERR_NOTFOUND : idx->nodes[i].offset;
}

int platform_index_by_phandle(const struct platform_index *idx, const void *fdt, uint32_t phandle)
{
	if (!platform_index_holds(idx, fdt))
		return fdt_node_offset_by_phandle(fdt, phandle);
	if (phandle == 0 || phandle == ~0U)
		return -FDT_ERR_BADPHANDLE;
	for (int i = 0; i < idx->nr_nodes; i++)
		if (idx->nodes[i].phandle == phandle)
			return idx->nodes[i].offset;
	return -FDT_ERR_NOTFOUND;
}

int platform_index_irq_props(const struct platform_index *idx, const void *fdt, int node)
{
	int i = platform_index_holds(idx, fdt) ? index_find(idx, node) : -1;

	return i < 0 ? -1 : idx->nodes[i].irq_props;
}

/*
 * Whether @node has property @name, its PLATFORM_PROP_ bit @bit: a
 * fdt_getprop() walks the node's properties, the index knows without.
 */
static bool has_irq_prop(const struct platform_index *idx, const void *fdt, int node,
			 unsigned int bit, const char *name)
{
	int props = platform_index_irq_props(idx, fdt, node);

	return props < 0 ? fdt_getprop(fdt, node, name, NULL) != NULL : (props & bit) != 0;
}

int platform_index_irq_parent(const struct platform_index *idx, const void *fdt, int node, int *at)
{
	*at = node;
	for (int depth = 0; depth < PLATFORM_MAX_DEPTH && *at >= 0; depth++) {
		int len, next;
		const fdt32_t *ph = NULL;

		if (has_irq_prop(idx, fdt, *at, PLATFORM_PROP_INTERRUPT_PARENT, "interrupt-parent"))
			ph = fdt_getprop(fdt, *at, "interrupt-parent", &len);
		if (ph && len != (int)sizeof(*ph))
			return -EINVAL;
		if (ph) {
			next = platform_index_by_phandle(idx, fdt, fdt32_ld(ph));
			if (next < 0)
				return -ENODEV;
		} else {
			next = platform_index_parent(idx, fdt, *at);
		}
		*at = next;
		if (next >= 0 &&
		    (has_irq_prop(idx, fdt, next, PLATFORM_PROP_INTERRUPT_CELLS,
				  "#interrupt-cells") ||
		     has_irq_prop(idx, fdt, next, PLATFORM_PROP_INTERRUPT_MAP, "interrupt-map")))
			return next;
	}
	return -ENOENT;
}

int platform_index_irq_stacked_on(const struct platform_index *idx, const void *fdt, int intc)
{
	const fdt32_t *cells;
	int len, at;

	if (!has_irq_prop(idx, fdt, intc, PLATFORM_PROP_INTERRUPT_CONTROLLER,
			  "interrupt-controller") ||
	    has_irq_prop(idx, fdt, intc, PLATFORM_PROP_INTERRUPT_MAP, "interrupt-map"))
		return -EINVAL;
	cells = fdt_getprop(fdt, intc, "#interrupt-cells", &len);
	if (!cells || len != (int)sizeof(*cells) || fdt32_ld(cells) != 3)
		return -EINVAL;
	return platform_index_irq_parent(idx, fdt, intc, &at);
}

int platform_index_max_phandle(const struct platform_index *idx, const void *fdt, uint32_t *max)
{
	if (!platform_index_holds(idx, fdt))
		return fdt_find_max_phandle(fdt, max);
	*max = 0;
	for (int i = 0; i < idx->nr_nodes; i++)
		if (idx->nodes[i].phandle > *max)
			*max = idx->nodes[i].phandle;
	return 0;
}

/* Where a forward search after node @from (-1: from the root) starts in nodes[], or -1. */
static int index_search_start(const struct platform_index *idx, const void *fdt, int from)
{
	int i;

	if (!platform_index_holds(idx, fdt))
		return -1;
	if (from < 0)
		return 0;
	i = index_find(idx, from);
	return i < 0 ? -1 : i + 1;
}

int platform_index_by_compatible(const struct platform_index *idx, const void *fdt, int from,
				 const char *compat)
{
	int i = index_search_start(idx, fdt, from);

	if (i < 0)
		return fdt_node_offset_by_compatible(fdt, from, compat);
	for (; i < idx->nr_nodes; i++) {
		const struct platform_index_node *n = &idx->nodes[i];

		if (n->compat && fdt_stringlist_contains(n->compat, n->compat_len, compat))
			return n->offset;
	}
	return -FDT_ERR_NOTFOUND;
}

int platform_index_by_device_type(const struct platform_index *idx, const void *fdt, int from,
				  const char *type)
{
	int i = index_search_start(idx, fdt, from), len = (int)strlen(type) + 1;

	if (i < 0)
		return fdt_node_offset_by_prop_value(fdt, from, "device_type", type, len);
	for (; i < idx->nr_nodes; i++) {
		const struct platform_index_node *n = &idx->nodes[i];

		if (n->type && n->type_len == len && memcmp(n->type, type, (size_t)len) == 0)
			return n->offset;
	}
	return -FDT_ERR_NOTFOUND;
}

int platform_index_intc(const struct platform_index *idx, const void *fdt, int from)
{
	int i = index_search_start(idx, fdt, from), len;

	if (i < 0)
		return fdt_node_offset_by_prop_value(fdt, from, "interrupt-controller", NULL, 0);
	for (; i < idx->nr_nodes; i++)
		if ((idx->nodes[i].irq_props & PLATFORM_PROP_INTERRUPT_CONTROLLER) &&
		    fdt_getprop(fdt, idx->nodes[i].offset, "interrupt-controller", &len) && !len)
			return idx->nodes[i].offset;
	return -FDT_ERR_NOTFOUND;
}

/*
 * A path component @s (@len bytes) names @n as libfdt's fdt_nodename_eq_()
 * decides: the whole name, or the name before its "@unit-address" when @s
 * has no '@' of its own.
 */
static bool index_name_eq(const struct platform_index_node *n, const char *s, int len)
{
	if (n->name_len < len || memcmp(n->name, s, (size_t)len) != 0)
		return false;
	return n->name[len] == '\0' || (n->name[len] == '@' && !memchr(s, '@', (size_t)len));
}

/* fdt_subnode_offset_namelen() on entry @parent: its first child named @s, as an entry. */
static int index_subnode(const struct platform_index *idx, int parent, const char *s, int len)
{
	/* Walk order: the subtree of @parent ends at the first entry whose parent precedes it. */
	for (int i = parent + 1; i < idx->nr_nodes && idx->nodes[i].parent >= parent; i++)
		if (idx->nodes[i].parent == parent && index_name_eq(&idx->nodes[i], s, len))
			return i;
	return -FDT_ERR_NOTFOUND;
}

int platform_index_path_offset(const struct platform_index *idx, const void *fdt, const char *path,
			       int len)
{
	const char *p = path, *end = path + len;
	int i = 0;

	/* Aliases (no leading '/') and blobs not indexed: libfdt resolves them. */
	if (!platform_index_holds(idx, fdt) || len < 1 || *path != '/')
		return fdt_path_offset_namelen(fdt, path, len);
	while (p < end) {
		const char *q;

		while (*p == '/') {
			if (++p == end)
				return idx->nodes[i].offset;
		}
		q = memchr(p, '/', (size_t)(end - p));
		if (!q)
			q = end;
		i = index_subnode(idx, i, p, (int)(q - p));
		if (i < 0)
			return i;
		p = q;
	}
	return idx->nodes[i].offset;
}

/* Append @n's name and a '/' at *@p, as fdt_get_path() does for each level. */
static int path_append(const struct platform_index_node *n, char *buf, int len, int *p)
{
	if (*p + n->name_len + 1 > len)
		return -FDT_ERR_NOSPACE;
	memcpy(buf + *p, n->name, (size_t)n->name_len);
	*p += n->name_len;
	buf[(*p)++] = '/';
	return 0;
}

int platform_index_get_path(const struct platform_index *idx, const void *fdt, int node, char *buf,
			    int len)
{
	int chain[PLATFORM_INDEX_DEPTH];
	int depth = 0, p = 0, i = platform_index_holds(idx, fdt) ? index_find(idx, node) : -1;

	if (i < 0)
		return fdt_get_path(fdt, node, buf, len);
	if (len < 2)
		return -FDT_ERR_NOSPACE;
	/* The build refused deeper blobs, so the chain fits. */
	for (; i >= 0; i = idx->nodes[i].parent)
		chain[depth++] = i;
	while (depth > 0)
		if (path_append(&idx->nodes[chain[--depth]], buf, len, &p))
			return -FDT_ERR_NOSPACE;
	if (p > 1)
		p--; /* the root alone is "/", not "" */
	buf[p] = '\0';
	return 0;
}
