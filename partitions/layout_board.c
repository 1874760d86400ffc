// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layout references into the board: CPUs by MPIDR, RAM banks, device nodes
 * by path (their MMIO "reg", which layout_board_reg.c reads and translates
 * to CPU addresses); their interrupts are layout_board_irq.c's, their DMA
 * layout_board_dma.c's, PCI functions layout_board_pci.c's. The board DTB is
 * as untrusted as the layout: lengths and cell counts are checked, walks up the tree are bounded by
 * depth.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "layout_internal.h"

int layout_board_cpu(const struct layout_ctx *ctx, uint64_t mpidr)
{
	for (int i = 0; i < ctx->plat->nr_cpus && i < PLATFORM_MAX_CPUS; i++)
		if (ctx->plat->cpus[i].mpidr == mpidr)
			return i;
	return -1;
}

static bool board_overlaps_ram(const struct layout_ctx *ctx, uint64_t base, uint64_t size)
{
	for (int i = 0; i < ctx->plat->nr_mem && i < PLATFORM_MAX_MEM; i++)
		if (ranges_overlap(base, size, ctx->plat->mem[i].base, ctx->plat->mem[i].size))
			return true;
	return false;
}

static void board_ram_error(struct layout_ctx *ctx, const char *node, const char *prop,
			    const char *what, uint64_t base, uint64_t size)
{
	/* Every range fits: ", 0x<16 digits>-0x<16 digits>" is 39 bytes. */
	char ram[PLATFORM_MAX_MEM * 40] = "none found";
	size_t at = 0;

	for (int i = 0; i < ctx->plat->nr_mem && i < PLATFORM_MAX_MEM && at < sizeof(ram); i++)
		at += (size_t)snprintf(ram + at, sizeof(ram) - at, "%s0x%lx-0x%lx", i ? ", " : "",
				       ctx->plat->mem[i].base,
				       layout_end(ctx->plat->mem[i].base, ctx->plat->mem[i].size));
	layout_error(ctx, node, prop, "%s 0x%lx+0x%lx is outside the board's RAM (%s)", what, base,
		     size, ram);
}

bool layout_page_overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	uint64_t m = LAYOUT_PAGE_SIZE - 1;

	if (!asize || !bsize)
		return false;
	return ranges_overlap(a & ~m, ((a & m) + asize + m) & ~m, b & ~m,
			      ((b & m) + bsize + m) & ~m);
}

/*
 * Does [@base, @base + @size) meet plat->reserved[@i]? A no-map range is
 * left out of the hypervisor's map grown to whole pages, and a window or
 * region is mapped in whole pages (to load from, or in stage 2): sharing a
 * page with it, not a byte, is enough to touch it. So is it for any range
 * when [@base, @base + @size) is itself mapped in whole pages (@pages: a
 * device's MMIO in stage 2, mapped 1:1 whatever else its pages hold).
 */
static bool board_reserved_meets(const struct layout_ctx *ctx, int i, uint64_t base, uint64_t size,
				 bool pages)
{
	const struct platform_reserved *r = &ctx->plat->reserved[i];

	if (r->no_map)
		return platform_nomap_overlap(ctx->plat, LAYOUT_PAGE_SIZE, base, size, i) == i;
	if (pages)
		return layout_page_overlap(base, size, r->range.base, r->range.size);
	return ranges_overlap(base, size, r->range.base, r->range.size);
}

/*
 * Firmware (TF-A, OP-TEE) or another master keeps it: a cell would overwrite
 * it at load. A no-map range is not even in the hypervisor's map
 * (boot/platform_ram.c): it may be secure memory a CPU access hangs on.
 */
static int board_reserved_error(struct layout_ctx *ctx, const char *node, const char *prop,
				const char *what, uint64_t base, uint64_t size, bool pages)
{
	int errors = 0;

	for (int i = 0; i < ctx->plat->nr_reserved && i < PLATFORM_MAX_RESERVED; i++) {
		const struct platform_reserved *r = &ctx->plat->reserved[i];
		char path[LAYOUT_PATH_MAX];

		if (!board_reserved_meets(ctx, i, base, size, pages))
			continue;
		errors++;
		platform_reserved_path(ctx->plat, ctx->board, i, path, sizeof(path));
		/* Sharing a page is enough (board_reserved_meets()): say which it is. */
		layout_error(ctx, node, prop,
			     "%s 0x%lx+0x%lx %s the board's reserved memory %s (0x%lx+0x%lx, "
			     "%skept by firmware or another master)",
			     what, base, size,
			     ranges_overlap(base, size, r->range.base, r->range.size)
				     ? "overlaps"
				     : "shares a 4 KiB page with",
			     path, r->range.base, r->range.size,
			     r->no_map ? "no-map: not even mapped by the hypervisor, " : "");
	}
	return errors;
}

/*
 * [@base, @base + @size) grown to whole pages, as it is mapped (to load
 * from, or in stage 2): a window may end inside a page whose rest is no
 * RAM (a bank that ends mid-page), mapped Normal cacheable all the same,
 * where a speculative read may reach a device.
 */
static bool board_pages_in_ram(const struct layout_ctx *ctx, uint64_t base, uint64_t size)
{
	uint64_t first = base & ~(LAYOUT_PAGE_SIZE - 1);
	uint64_t last = (base + size - 1) | (LAYOUT_PAGE_SIZE - 1);

	return platform_in_ram(ctx->plat, first, last - first + 1);
}

void layout_board_ram(struct layout_ctx *ctx, const char *node, const char *prop, const char *what,
		      uint64_t base, uint64_t size)
{
	if (!ctx->plat)
		return;
	if (!platform_in_ram(ctx->plat, base, size))
		board_ram_error(ctx, node, prop, what, base, size);
	else if (!board_pages_in_ram(ctx, base, size))
		layout_error(
			ctx, node, prop,
			"%s 0x%lx+0x%lx ends inside a page the board's RAM does not fill: it is "
			"mapped in whole pages, and the rest of that page is not RAM",
			what, base, size);
	else
		board_reserved_error(ctx, node, prop, what, base, size, false);
}

/* The first 4 KiB page two ranges that share pages (layout_page_overlap()) both touch. */
static uint64_t shared_page(const struct mem_range *a, const struct mem_range *b)
{
	uint64_t pa = a->base & ~(LAYOUT_PAGE_SIZE - 1), pb = b->base & ~(LAYOUT_PAGE_SIZE - 1);

	return pa > pb ? pa : pb;
}

/* One of the hypervisor's own ranges a device's pages touch. */
struct hyp_range {
	const char *what; /* "the GIC" */
	const char *path; /* its node, or "" */
	const char *note; /* said after it: " (stdout-path)", or "" */
	const char *hint; /* what to do if the device overlaps it, or "" */
	struct mem_range r;
};

static bool hyp_range_meets(const struct mem_range *reg, const struct hyp_range *h)
{
	return layout_page_overlap(reg->base, reg->size, h->r.base, h->r.size);
}

/* What the hypervisor keeps for itself; a device page may not touch it. */
static bool reserved_by_hyp(const struct platform *plat, const struct mem_range *reg,
			    struct hyp_range *h)
{
	const struct platform_gic *g = &plat->gic;

	*h = (struct hyp_range){ "the hypervisor's own UART", plat->uart.path, " (stdout-path)", "",
				 plat->uart.regs };
	if (plat->uart.type != UART_NONE && hyp_range_meets(reg, h))
		return true;
	/* GICD, every GICR region, GICC/GICH/GICV, the ITS, GICv2m frames. */
	for (int i = 0; i < g->nr_frames && i < PLATFORM_MAX_GIC_FRAMES; i++) {
		*h = (struct hyp_range){ "the GIC", "", "", "", g->frames[i] };
		if (hyp_range_meets(reg, h))
			return true;
	}
	*h = (struct hyp_range){ "the SMMU", plat->smmu.path, "", "", plat->smmu.regs };
	if (plat->smmu.present && hyp_range_meets(reg, h))
		return true;
	*h = (struct hyp_range){ "the PCIe configuration space", "", "", " (use pci-devices)",
				 plat->pcie.ecam };
	return plat->pcie.present && hyp_range_meets(reg, h);
}

/*
 * Stage 2 maps a device in whole pages: one that only shares a page with
 * the hypervisor's own registers would still give the cell those, so it is
 * told that, not that they overlap.
 */
static void hyp_range_error(struct layout_ctx *ctx, const char *cell, const struct layout_device *d,
			    const struct mem_range *reg, const struct hyp_range *h)
{
	if (ranges_overlap(reg->base, reg->size, h->r.base, h->r.size))
		layout_error(ctx, cell, "devices", "%s: MMIO 0x%lx+0x%lx overlaps %s%s%s", d->path,
			     reg->base, reg->size, h->what, h->note, h->hint);
	else
		layout_error(ctx, cell, "devices",
			     "%s: MMIO 0x%lx+0x%lx shares the 4 KiB page 0x%lx with %s%s%s%s: "
			     "stage 2 maps whole pages, so no cell can have it; pick a device in "
			     "another page",
			     d->path, reg->base, reg->size, shared_page(reg, &h->r), h->what,
			     h->path[0] ? " " : "", h->path, h->note);
}

/* A device with more regions than a cell takes: the hypervisor's own first (the GIC has 5). */
static void too_many_regs(struct layout_ctx *ctx, const char *cell, struct layout_device *d)
{
	struct hyp_range h;

	for (int i = 0; i < LAYOUT_MAX_DEV_REGS; i++)
		if (reserved_by_hyp(ctx->plat, &d->regs[i], &h)) {
			hyp_range_error(ctx, cell, d, &d->regs[i], &h);
			return;
		}
	layout_error(ctx, cell, "devices", "%s has more than %d MMIO regions", d->path,
		     LAYOUT_MAX_DEV_REGS);
}

static int device_regs(struct layout_ctx *ctx, const char *cell, int node, struct layout_device *d)
{
	int n = layout_board_read_reg(ctx, node, d->regs, LAYOUT_MAX_DEV_REGS);

	if (n == -ENOENT) {
		layout_error(ctx, cell, "devices", "%s has no reg (nothing to map)", d->path);
		return -EINVAL;
	}
	if (n > LAYOUT_MAX_DEV_REGS) {
		too_many_regs(ctx, cell, d);
		return -EINVAL;
	}
	if (n == -ERANGE) {
		layout_error(ctx, cell, "devices",
			     "%s: reg does not fit one window of its bus's ranges, or wraps once "
			     "translated: it has no CPU address to map (a board device tree error)",
			     d->path);
		return -EINVAL;
	}
	if (n < 0) {
		if (!layout_board_reg_not_mmio(ctx, cell, node, d->path))
			layout_error(ctx, cell, "devices", "%s: reg cannot be read or translated",
				     d->path);
		return -EINVAL;
	}
	d->nr_regs = n;
	for (int i = 0; i < n; i++) {
		struct hyp_range h;
		char what[LAYOUT_PATH_MAX + 8];

		if (reserved_by_hyp(ctx->plat, &d->regs[i], &h)) {
			hyp_range_error(ctx, cell, d, &d->regs[i], &h);
			return -EINVAL;
		}
		if (board_overlaps_ram(ctx, d->regs[i].base, d->regs[i].size)) {
			layout_error(ctx, cell, "devices",
				     "%s: MMIO 0x%lx+0x%lx overlaps RAM (give RAM through memory)",
				     d->path, d->regs[i].base, d->regs[i].size);
			return -EINVAL;
		}
		/*
		 * Reserved memory outside RAM (an SRAM or secure carve-out a
		 * node also describes): mapped 1:1 with the device's pages.
		 */
		snprintf(what, sizeof(what), "%s: MMIO", d->path);
		if (board_reserved_error(ctx, cell, "devices", what, d->regs[i].base,
					 d->regs[i].size, true))
			return -EINVAL;
	}
	return 0;
}

/* @node, or the nearest node above it that the board does not enable; -1: none. */
static int first_disabled(const struct layout_ctx *ctx, int node)
{
	/* As deep as translate() goes; the root (offset 0) is no bus a status could stop. */
	for (int depth = 0; node > 0 && depth <= LAYOUT_MAX_DEPTH; depth++) {
		if (!platform_node_enabled(ctx->board, node))
			return node;
		node = platform_index_parent(layout_board_index(ctx), ctx->board, node);
	}
	return -1;
}

/*
 * A node the board does not enable is usually one its firmware did not set
 * up (clocks, pinmux, power domain), or found broken ("fail"); copied to the
 * guest with that status, the cell would own its MMIO and interrupts while
 * its kernel never probes it, and nothing would say why. Linux populates
 * nothing below a disabled bus either, so every ancestor counts. Refused
 * instead, naming the node whose status says so.
 */
static int device_disabled(struct layout_ctx *ctx, const char *cell_path, int node,
			   const char *dev_path)
{
	char bus_path[LAYOUT_PATH_MAX];
	const char *status;
	int len, off = first_disabled(ctx, node);

	if (off < 0)
		return 0;
	status = fdt_getprop(ctx->board, off, "status", &len);
	if (!status || len <= 0 || status[len - 1] != '\0')
		status = "(malformed)";
	if (off == node) {
		layout_error(ctx, cell_path, "devices",
			     "%s: status = \"%s\" in the board's device tree: the board does not "
			     "enable it (usually its firmware did not set up its clocks, pins or "
			     "power) and the cell's kernel would not probe it; enable it in the "
			     "board's tree (status = \"okay\") or leave it out of devices",
			     dev_path, status);
		return -EINVAL;
	}
	if (platform_index_get_path(layout_board_index(ctx), ctx->board, off, bus_path,
				    sizeof(bus_path)) < 0)
		memcpy(bus_path, "(a bus above it)", sizeof("(a bus above it)"));
	layout_error(
		ctx, cell_path, "devices",
		"%s: the bus above it, %s, has status = \"%s\" in the board's device tree: the "
		"board does not enable that bus (usually its firmware did not set up its "
		"clocks or power) and the cell's kernel would probe nothing below it; "
		"enable it in the board's tree (status = \"okay\") or leave the device out "
		"of devices",
		dev_path, bus_path, status);
	return -EINVAL;
}

/*
 * libfdt lets a path component without '@' find "name@unit": "/pl031"
 * finds /pl031@9010000. Two spellings of one node would pass the cell's
 * duplicate check and give the guest the device twice, so only the board's
 * own spelling is taken (docs/layout.md, devices).
 */
static bool device_misnamed(struct layout_ctx *ctx, const char *cell_path, int node,
			    const char *dev_path)
{
	char board_path[LAYOUT_PATH_MAX];

	if (platform_index_get_path(layout_board_index(ctx), ctx->board, node, board_path,
				    sizeof(board_path)) < 0) {
		layout_error(ctx, cell_path, "devices",
			     "\"%s\" names a node whose full path is longer than %d characters, "
			     "which devices cannot hold",
			     dev_path, LAYOUT_PATH_MAX - 1);
		return true;
	}
	if (strcmp(board_path, dev_path) == 0)
		return false;
	layout_error(ctx, cell_path, "devices",
		     "\"%s\" does not name the node as the board does (%s); write the board's "
		     "name, unit address included",
		     dev_path, board_path);
	return true;
}

int layout_board_device(struct layout_ctx *ctx, const char *cell_path, const char *dev_path,
			struct layout_device *dev)
{
	int node = platform_index_path_offset(layout_board_index(ctx), ctx->board, dev_path,
					      (int)strlen(dev_path));

	if (node < 0) {
		layout_error(ctx, cell_path, "devices", "%s is not in the board's device tree",
			     dev_path);
		return -ENOENT;
	}
	if (device_misnamed(ctx, cell_path, node, dev_path))
		return -EINVAL;
	if (device_disabled(ctx, cell_path, node, dev_path) < 0)
		return -EINVAL;
	if (device_regs(ctx, cell_path, node, dev) < 0)
		return -EINVAL;
	if (fdt_getprop(ctx->board, node, "msi-controller", NULL) ||
	    fdt_node_check_compatible(ctx->board, node, "arm,gic-v3-its") == 0) {
		/* It turns other devices' writes into interrupts, and an ITS masters memory. */
		layout_error(ctx, cell_path, "devices",
			     "%s is an MSI controller (msi-controller, arm,gic-v3-its): it serves "
			     "every cell's devices",
			     dev_path);
		return -EINVAL;
	}
	if (fdt_getprop(ctx->board, node, "#iommu-cells", NULL)) {
		/* Queues, MSIs and table walks at physical addresses, and other devices' DMA. */
		layout_error(
			ctx, cell_path, "devices",
			"%s is an IOMMU (#iommu-cells): it writes and walks memory at physical "
			"addresses and translates other devices' DMA",
			dev_path);
		return -EINVAL;
	}
	if (layout_board_device_sids(ctx, cell_path, node, dev) < 0)
		return -EINVAL;
	return layout_board_device_irqs(ctx, cell_path, node, dev);
}
