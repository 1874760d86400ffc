// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead-check --draft's list of devices (tools/layout_draft.c): the board
 * nodes with reg that the checker would give a cell, alone, by its own
 * rules, with their MMIO, interrupts and DMA, for the user to copy into a
 * cell's devices (docs/layout.md, "Starting from a draft").
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "../partitions/layout_internal.h"
#include "guest_dt.h"
#include "layout_draft.h"
#include "soc_providers.h"

/* The board, and the draft's cell0 without devices: the cell each device is tried in. */
struct draft_devices {
	const void *board;
	const struct platform *plat;
	const struct layout_cell *cell;
};

/*
 * Whether a device's MMIO lies on a cell's virtual GIC or console frames
 * (docs/layout.md), the check's own rule, for a cell of every board CPU:
 * the device may go to any cell.
 */
static bool on_guest_frames(const struct platform *plat, const struct layout_device *dev)
{
	for (int r = 0; r < dev->nr_regs; r++)
		if (layout_guest_window_hit(plat, plat->nr_cpus, LAYOUT_CONSOLE_VIRTUAL,
					    &dev->regs[r]))
			return true;
	return false;
}

/*
 * Whether the device tree of a cell with @dev alone builds as the check
 * builds it (guest_dt_build()): it bounds what it copies of a device, such
 * as the nodes below it, which the layout's device rules do not look at.
 */
static bool device_in_guest_dt(const struct draft_devices *d, const struct layout_device *dev)
{
	static struct layout_cell cell;
	static uint8_t buf[GUEST_DT_BUILD_SIZE];

	cell = *d->cell;
	cell.devices[0] = *dev;
	cell.nr_devices = 1;
	cell.unprotected_dma = true;
	return guest_dt_build(&cell, d->plat, d->board, NULL, buf, sizeof(buf)) == 0;
}

/*
 * The checker's own rules for a cell with this device alone: the layout
 * parser's (layout_board_device()) and the guest device tree's, quiet: a
 * refusal is no error.
 */
/* Why the rules refused nodes: each reason once, with how many and the first node. */
#define DRAFT_MAX_REASONS 24
struct refusal_reason {
	char key[LOG_MUTED_ERROR_MAX]; /* why, its node paths and numbers left out */
	char why[LOG_MUTED_ERROR_MAX];
	char first[LAYOUT_PATH_MAX];
	int count;
};

struct refusals {
	int total;
	int nr;
	struct refusal_reason reasons[DRAFT_MAX_REASONS];
};

/*
 * The reason in a refusal @msg about @path ("layout: /bulkhead/cell@0:
 * devices: PATH: why"): what follows the path, so that one reason given for
 * many nodes reads the same for each.
 */
static const char *reason_of(const char *msg, const char *path)
{
	const char *at = strstr(msg, path);

	if (!at)
		return msg;
	at += strlen(path);
	while (*at == ':' || *at == ' ')
		at++;
	return at;
}

/*
 * @why with each node path and number written '#': one reason for nodes
 * under different buses or at different addresses ("the bus above it,
 * /mipi@ff960000, has status = \"disabled\"") counts once.
 */
static void reason_key(const char *why, char *key, size_t size)
{
	size_t n = 0;

	while (*why && n + 1 < size) {
		bool path = *why == '/' && (why[1] == '_' || (why[1] >= 'a' && why[1] <= 'z'));
		bool number = why[0] == '0' && why[1] == 'x';

		if (!path && !number) {
			key[n++] = *why++;
			continue;
		}
		key[n++] = '#';
		while (*why && *why != ' ' && *why != ',' && *why != ')' &&
		       (path || (*why != ':' && *why != '+')))
			why++;
	}
	key[n] = '\0';
}

static void refusal_add(struct refusals *r, const char *path, const char *why)
{
	static char key[LOG_MUTED_ERROR_MAX];
	int i;

	r->total++;
	reason_key(why, key, sizeof(key));
	for (i = 0; i < r->nr && strcmp(r->reasons[i].key, key) != 0; i++)
		;
	if (i == r->nr) {
		if (r->nr == DRAFT_MAX_REASONS)
			return;
		r->nr++;
		memcpy(r->reasons[i].key, key, sizeof(key));
		snprintf(r->reasons[i].why, sizeof(r->reasons[i].why), "%s", why);
		snprintf(r->reasons[i].first, sizeof(r->reasons[i].first), "%s", path);
	}
	r->reasons[i].count++;
}

/*
 * The checker's own rules for a cell with this device alone: the layout
 * parser's (layout_board_device()) and the guest device tree's, quiet: a
 * refusal is no error, but its reason is kept in @r.
 */
/* @node has reg (the caller counts those without apart). */
static bool device_accepted(const struct draft_devices *d, int node, struct layout_device *dev,
			    struct refusals *r)
{
	static struct layout scratch;
	struct layout_ctx ctx = {
		.fdt = d->board, .board = d->board, .plat = d->plat, .out = &scratch, .fixups = -1
	};
	const char *why = NULL;

	memset(dev, 0, sizeof(*dev));
	if (platform_index_get_path(&d->plat->index, d->board, node, dev->path, sizeof(dev->path)) <
	    0) {
		refusal_add(r, "?", "its path is longer than a layout's devices can hold");
		return false;
	}
	log_muted = true;
	log_muted_error[0] = '\0';
	if (layout_board_device(&ctx, "/bulkhead/cell@0", dev->path, dev) != 0 || ctx.errors)
		why = log_muted_error[0] ? reason_of(log_muted_error, dev->path) : "refused";
	else if (on_guest_frames(d->plat, dev))
		why = "its MMIO lies on a cell's virtual GIC or console frames (docs/layout.md)";
	else if (!device_in_guest_dt(d, dev))
		why = log_muted_error[0] ? reason_of(log_muted_error, dev->path)
					 : "its cell's device tree cannot be built";
	log_muted = false;
	if (why)
		refusal_add(r, dev->path, why);
	return !why;
}

/* "N, FIRST: why", wrapped at words to the draft comment's width. */
static void print_reason(const struct refusal_reason *reason)
{
	static char line[LOG_MUTED_ERROR_MAX + LAYOUT_PATH_MAX + 16];
	const char *p = line;
	int width = 80 - 8; /* after " *       " */

	snprintf(line, sizeof(line), "%d, %s: %s", reason->count, reason->first, reason->why);
	printf(" *   ");
	while (*p) {
		int len = (int)strlen(p), cut = len;

		if (len > width) {
			for (cut = width; cut > 0 && p[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = len; /* one word wider than the line */
		}
		printf("%.*s\n", cut, p);
		p += cut;
		while (*p == ' ')
			p++;
		if (*p)
			printf(" *       ");
	}
}

/* The reasons, the most common first, each with its count and first node. */
static void print_refusals(struct refusals *r)
{
	printf(" * %d more nodes with reg are refused by the rules; why, with how many and the\n"
	       " * first (name one in devices and bulkhead-check says it for that node):\n",
	       r->total);
	for (int shown = 0; shown < r->nr; shown++) {
		int best = shown;

		for (int i = shown + 1; i < r->nr; i++)
			if (r->reasons[i].count > r->reasons[best].count)
				best = i;
		if (best != shown) {
			static struct refusal_reason tmp;

			tmp = r->reasons[shown];
			r->reasons[shown] = r->reasons[best];
			r->reasons[best] = tmp;
		}
		print_reason(&r->reasons[shown]);
	}
}

static void print_device_dma(const struct layout_device *dev)
{
	if (dev->nr_sids) {
		printf("\n *       DMA through the SMMU, stream");
		for (int k = 0; k < dev->nr_sids; k++)
			printf(" 0x%x", dev->sids[k]);
		printf(": contained");
	} else if (dev->dma_sign) {
		printf("\n *       masters DMA (%s) that no SMMU of Bulkhead's contains:\n"
		       " *       its cell needs unprotected-dma",
		       dev->dma_sign);
	}
}

/* A clock, reset, power or pin controller others draw on: owning it reaches them (soc_providers.h).
 */
static void print_device_dependants(const struct draft_devices *d, int node)
{
	struct soc_provider p;

	if (!soc_provider_scan(d->board, d->plat, node, &p))
		return;
	printf("\n *       provides the %s of %d other node%s%s:\n"
	       " *       the cell that owns it can stop them; leave it to no cell\n"
	       " *       (docs/porting.md, \"Clocks, resets, power and pins\")",
	       p.kinds, p.consumers, p.consumers == 1 ? "" : "s",
	       p.console ? " (Bulkhead's console too)" : "");
}

static void print_device(const struct draft_devices *d, int node, const struct layout_device *dev)
{
	printf(" *   \"%s\"\n *       MMIO", dev->path);
	for (int r = 0; r < dev->nr_regs; r++)
		printf(" 0x%llx+0x%llx", (unsigned long long)dev->regs[r].base,
		       (unsigned long long)dev->regs[r].size);
	printf("; %s", dev->nr_irqs ? "INTID" : "no interrupts");
	for (int k = 0; k < dev->nr_irqs; k++)
		printf(" %u", dev->irqs[k]);
	for (int k = 0; k < dev->nr_irqs; k++)
		if (dev->irqs[k] == LAYOUT_VUART_INTID)
			printf("\n *       INTID 33 is the virtual console's in an \"emulated\" "
			       "cell: "
			       "its cell\n *       needs interrupt-mode \"direct\" or console = "
			       "\"none\"");
	print_device_dma(dev);
	print_device_dependants(d, node);
	printf("\n");
}

/*
 * The board nodes with reg that the layout parser would give a cell, with
 * their interrupts and DMA: what `devices` may name. The rules between
 * cells (one cell per page, per SPI, per SMMU stream) are the check's.
 */
void layout_draft_print_devices(const void *board, const struct platform *plat,
				const struct layout_cell *cell)
{
	static struct layout_device dev;
	static struct refusals refused;
	const struct draft_devices all = { board, plat, cell }, *d = &all;
	int depth = 0, listed = 0;

	printf("\n/*\n * Devices a cell can be given (devices = \"PATH\", ...; the layout parser's "
	       "own\n"
	       " * rules accept each one alone; bulkhead-check decides the rest: two devices\n"
	       " * in one 4 KiB page, one SPI or one SMMU stream go to one cell):\n");
	for (int node = fdt_next_node(d->board, 0, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(d->board, node, &depth)) {
		if (!fdt_getprop(d->board, node, "reg", NULL))
			continue;
		if (device_accepted(d, node, &dev, &refused)) {
			print_device(d, node, &dev);
			listed++;
		}
	}
	if (!listed)
		printf(" *   (none)\n");
	print_refusals(&refused);
	if (d->plat->pcie.present)
		printf(" * PCIe: functions below %s go in pci-devices = <BDF ...>,\n"
		       " * bus << 8 | device << 3 | function (docs/pci.md).\n",
		       d->plat->pcie.path);
	printf(" */\n");
}
