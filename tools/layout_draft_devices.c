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
/* @node has reg (the caller counts those without apart). */
static bool device_accepted(const struct draft_devices *d, int node, struct layout_device *dev)
{
	static struct layout scratch;
	struct layout_ctx ctx = {
		.fdt = d->board, .board = d->board, .plat = d->plat, .out = &scratch, .fixups = -1
	};
	bool ok;

	memset(dev, 0, sizeof(*dev));
	if (platform_index_get_path(&d->plat->index, d->board, node, dev->path, sizeof(dev->path)) <
	    0)
		return false;
	log_muted = true;
	ok = layout_board_device(&ctx, "/bulkhead/cell@0", dev->path, dev) == 0 &&
	     ctx.errors == 0 && !on_guest_frames(d->plat, dev) && device_in_guest_dt(d, dev);
	log_muted = false;
	return ok;
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

static void print_device(const struct layout_device *dev)
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
	const struct draft_devices all = { board, plat, cell }, *d = &all;
	int depth = 0, listed = 0, refused = 0;

	printf("\n/*\n * Devices a cell can be given (devices = \"PATH\", ...; the layout parser's "
	       "own\n"
	       " * rules accept each one alone; bulkhead-check decides the rest: two devices\n"
	       " * in one 4 KiB page, one SPI or one SMMU stream go to one cell):\n");
	for (int node = fdt_next_node(d->board, 0, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(d->board, node, &depth)) {
		if (!fdt_getprop(d->board, node, "reg", NULL))
			continue;
		if (device_accepted(d, node, &dev)) {
			print_device(&dev);
			listed++;
		} else {
			refused++;
		}
	}
	if (!listed)
		printf(" *   (none)\n");
	printf(" * %d more nodes with reg are refused by the rules (CPUs, RAM, the GIC, the\n"
	       " * SMMU, Bulkhead's UART, disabled nodes, PPIs, ...): name one in devices and\n"
	       " * bulkhead-check says why.\n",
	       refused);
	if (d->plat->pcie.present)
		printf(" * PCIe: functions below %s go in pci-devices = <BDF ...>,\n"
		       " * bus << 8 | device << 3 | function (docs/pci.md).\n",
		       d->plat->pcie.path);
	printf(" */\n");
}
