// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead-check's view of a SoC's shared controllers (tools/soc_providers.h):
 * which board nodes draw clocks, resets, power domains or pins from a
 * device a cell is given. The guest's copy of a device drops these links
 * (docs/guest-platform.md), so the cell that owns the controller is the only
 * one that can change them, for everyone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "soc_providers.h"

enum link_kind { LINK_CLOCKS, LINK_RESETS, LINK_POWER, LINK_PINS, NR_LINKS };

/* A specifier list and its providers' cell count, as the bindings name them. */
static const struct {
	const char *prop, *cells, *kind;
} links[NR_LINKS] = {
	[LINK_CLOCKS] = { "clocks", "#clock-cells", "clocks" },
	[LINK_RESETS] = { "resets", "#reset-cells", "resets" },
	[LINK_POWER] = { "power-domains", "#power-domain-cells", "power domains" },
	[LINK_PINS] = { NULL, NULL, "pins" },
};

/* A provider: its node and the end of its subtree, so "below it" is two compares. */
struct subtree {
	int start, end;
};

static struct subtree subtree_of(const void *fdt, int node)
{
	int depth = 0, next = node;

	do
		next = fdt_next_node(fdt, next, &depth);
	while (next >= 0 && depth > 0);
	return (struct subtree){ node, next >= 0 ? next : (int)fdt_totalsize(fdt) };
}

static bool in_subtree(struct subtree t, int node)
{
	return node >= t.start && node < t.end;
}

/*
 * Every link of the board's enabled nodes, found once: a consumer, the
 * node its specifier names, and which list. A few thousand on a large SoC.
 */
#define MAX_PHANDLES 4096
#define MAX_EDGES    16384

static struct {
	const void *fdt; /* the board they were found in */
	struct phandle_node {
		uint32_t phandle;
		int node;
	} phandles[MAX_PHANDLES];
	int nr_phandles;
	struct edge {
		int consumer, target;
		enum link_kind kind;
	} edges[MAX_EDGES];
	int nr_edges;
} board_links;

static int phandle_cmp(const void *a, const void *b)
{
	const struct phandle_node *x = a, *y = b;

	return x->phandle < y->phandle ? -1 : x->phandle > y->phandle;
}

static int node_of(uint32_t phandle)
{
	struct phandle_node key = { phandle, 0 }, *hit;

	hit = bsearch(&key, board_links.phandles, (size_t)board_links.nr_phandles, sizeof(key),
		      phandle_cmp);
	return hit ? hit->node : -1;
}

static void add_edge(int consumer, int target, enum link_kind kind)
{
	if (target >= 0 && board_links.nr_edges < MAX_EDGES)
		board_links.edges[board_links.nr_edges++] = (struct edge){ consumer, target, kind };
}

/* @consumer's @prop, a list of <phandle cells...> as far as it can be counted. */
static void add_specifiers(const void *fdt, int consumer, enum link_kind kind)
{
	int len, i = 0;
	const fdt32_t *v = fdt_getprop(fdt, consumer, links[kind].prop, &len);

	for (len = v ? len / 4 : 0; i < len;) {
		int p = node_of(fdt32_ld(&v[i]));
		const fdt32_t *n = p >= 0 ? fdt_getprop(fdt, p, links[kind].cells, NULL) : NULL;

		add_edge(consumer, p, kind);
		if (!n)
			return;
		i += 1 + (int)fdt32_ld(n);
	}
}

/* Each of @consumer's pinctrl-N states: phandles of pin groups, no arguments. */
static void add_pins(const void *fdt, int consumer)
{
	int prop;

	fdt_for_each_property_offset(prop, fdt, consumer)
	{
		const char *name;
		int len;
		const fdt32_t *v = fdt_getprop_by_offset(fdt, prop, &name, &len);

		if (strncmp(name, "pinctrl-", 8) != 0 || name[8] < '0' || name[8] > '9')
			continue;
		for (int i = 0; v && i < len / 4; i++)
			add_edge(consumer, node_of(fdt32_ld(&v[i])), LINK_PINS);
	}
}

static bool enabled(const void *fdt, int node)
{
	const char *s = fdt_getprop(fdt, node, "status", NULL);

	return !s || strcmp(s, "okay") == 0 || strcmp(s, "ok") == 0;
}

static void find_links(const void *fdt)
{
	int depth = 0, node;

	if (board_links.fdt == fdt)
		return;
	board_links.fdt = fdt;
	board_links.nr_phandles = board_links.nr_edges = 0;
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth))
		if (fdt_get_phandle(fdt, node) && board_links.nr_phandles < MAX_PHANDLES)
			board_links.phandles[board_links.nr_phandles++] =
				(struct phandle_node){ fdt_get_phandle(fdt, node), node };
	qsort(board_links.phandles, (size_t)board_links.nr_phandles,
	      sizeof(board_links.phandles[0]), phandle_cmp);
	depth = 0;
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		if (!enabled(fdt, node))
			continue;
		for (int k = 0; k < LINK_PINS; k++)
			add_specifiers(fdt, node, k);
		add_pins(fdt, node);
	}
}

/* The links (1 << enum link_kind) by which @consumer draws on @t. */
static unsigned int links_to(const void *fdt, int consumer, struct subtree t)
{
	unsigned int mask = 0;

	find_links(fdt);
	for (int e = 0; e < board_links.nr_edges; e++)
		if (board_links.edges[e].consumer == consumer &&
		    in_subtree(t, board_links.edges[e].target))
			mask |= 1u << board_links.edges[e].kind;
	return mask;
}

/* "clocks", "clocks and resets", "clocks, resets and pins" for @mask. */
static void kinds_text(unsigned int mask, char *buf, size_t size)
{
	int n = __builtin_popcount(mask), said = 0;

	buf[0] = '\0';
	for (int k = 0; k < NR_LINKS; k++) {
		if (!(mask & (1u << k)))
			continue;
		said++;
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
			 said == 1   ? ""
			 : said == n ? " and "
				     : ", ",
			 links[k].kind);
	}
}

bool soc_provider_scan(const void *board, const struct platform *plat, int node,
		       struct soc_provider *out)
{
	struct subtree t = subtree_of(board, node);
	int console = plat->uart.path[0] ? fdt_path_offset(board, plat->uart.path) : -1;
	int last = -1;
	unsigned int all = 0;

	memset(out, 0, sizeof(*out));
	find_links(board);
	/* The edges are in walk order: one consumer's are together. */
	for (int e = 0; e < board_links.nr_edges; e++) {
		const struct edge *edge = &board_links.edges[e];

		if (in_subtree(t, edge->consumer) || !in_subtree(t, edge->target))
			continue;
		all |= 1u << edge->kind;
		if (edge->consumer != last)
			out->consumers++;
		last = edge->consumer;
		out->console |= edge->consumer == console;
	}
	kinds_text(all, out->kinds, sizeof(out->kinds));
	return out->consumers > 0;
}

/* Append @what to the warning's list of dependants, the first three by name. */
static void add_dependant(char *buf, size_t size, int *count, const char *what)
{
	if (++*count <= 3)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", *count > 1 ? ", " : "",
			 what);
}

/* Who outside cell @owner draws on @dev: the console and other cells' devices. */
static void warn_one(const void *board, const struct platform *plat, const struct layout *l,
		     int owner, const char *dev)
{
	char who[768] = "", kinds[48], one[LAYOUT_PATH_MAX + LAYOUT_LABEL_MAX + 32];
	int node = fdt_path_offset(board, dev), count = 0;
	struct subtree t;
	unsigned int all = 0, mask;

	if (node < 0)
		return;
	t = subtree_of(board, node);
	if (plat->uart.path[0] &&
	    (mask = links_to(board, fdt_path_offset(board, plat->uart.path), t)) != 0) {
		all |= mask;
		snprintf(one, sizeof(one), "Bulkhead's console %s", plat->uart.path);
		add_dependant(who, sizeof(who), &count, one);
	}
	for (int i = 0; i < l->nr_cells; i++) {
		for (int d = 0; i != owner && d < l->cells[i].nr_devices; d++) {
			const char *path = l->cells[i].devices[d].path;
			int n = fdt_path_offset(board, path);

			if (n < 0 || !(mask = links_to(board, n, t)))
				continue;
			all |= mask;
			snprintf(one, sizeof(one), "%s of cell %s", path, l->cells[i].label);
			add_dependant(who, sizeof(who), &count, one);
		}
	}
	if (!count)
		return;
	kinds_text(all, kinds, sizeof(kinds));
	if (count > 3)
		snprintf(who + strlen(who), sizeof(who) - strlen(who), " and %d more", count - 3);
	printf("warning: layout: %s: devices: %s provides the %s of %s: cell %s can stop, "
	       "reset or re-mux them (a SoC's clock, reset, power and pin controllers serve "
	       "every cell: leave them to no cell, set up by the boot loader; docs/porting.md, "
	       "\"Clocks, resets, power and pins\")\n",
	       l->cells[owner].path, dev, kinds, who, l->cells[owner].label);
}

void soc_providers_warn(const void *board, const struct platform *plat, const struct layout *l)
{
	for (int i = 0; i < l->nr_cells; i++)
		for (int d = 0; d < l->cells[i].nr_devices; d++)
			warn_one(board, plat, l, i, l->cells[i].devices[d].path);
}
