// SPDX-License-Identifier: GPL-2.0-only
/*
 * A board node's "reg": read with its parent's cell counts and translated
 * up through each bus's "ranges" to CPU addresses, or why it is no MMIO.
 * The board DTB is as untrusted as the layout: lengths and cell counts are
 * checked, walks up the tree are bounded by depth.
 */
#include <errno.h>
#include <string.h>

#include "layout_internal.h"

/*
 * Translate region *@addr+@len_reg, a child-bus address of @bus, up to a CPU
 * address through each "ranges": -ERANGE if at some level it does not fit
 * one window whole (past a window's end is not behind that bus) or would
 * wrap once moved up, -EINVAL if the bus cannot be read.
 */
static int translate(const struct layout_ctx *ctx, int bus, uint64_t *addr, uint64_t len_reg)
{
	const void *fdt = ctx->board;

	for (int depth = 0; depth < LAYOUT_MAX_DEPTH; depth++) {
		int parent = platform_index_parent(layout_board_index(ctx), fdt, bus);
		int ca = dt_address_cells(fdt, bus), cs = dt_size_cells(fdt, bus);
		int pa, len, entry, n;
		const fdt32_t *r;

		if (bus == 0)
			return 0;
		if (parent < 0)
			return -EINVAL;
		pa = dt_address_cells(fdt, parent);
		r = fdt_getprop(fdt, bus, "ranges", &len);
		if (!r || ca < 1 || ca > 2 || cs < 1 || cs > 2 || pa < 1 || pa > 2)
			return -EINVAL;
		entry = 4 * (ca + pa + cs);
		for (n = 0; len > 0 && n < len / entry; n++) {
			uint64_t child = platform_read_cells(r + n * (ca + pa + cs), ca);
			uint64_t up = platform_read_cells(r + n * (ca + pa + cs) + ca, pa);
			uint64_t size = platform_read_cells(r + n * (ca + pa + cs) + ca + pa, cs);

			if (*addr >= child && *addr - child < size) {
				uint64_t off = *addr - child;

				if (len_reg > size - off || up + off < up ||
				    layout_wraps(up + off, len_reg))
					return -ERANGE;
				*addr = up + off;
				break;
			}
		}
		if (len > 0 && n == len / entry)
			return -ERANGE;
		bus = parent;
	}
	return -EINVAL;
}

int layout_board_read_reg(const struct layout_ctx *ctx, int node, struct mem_range *regs, int max)
{
	const void *fdt = ctx->board;
	int parent = platform_index_parent(layout_board_index(ctx), fdt, node);
	int ca, cs, len, n;
	const fdt32_t *reg;

	if (parent < 0)
		return -EINVAL;
	ca = dt_address_cells(fdt, parent);
	cs = dt_size_cells(fdt, parent);
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return -ENOENT;
	if (ca < 1 || ca > 2 || cs < 1 || cs > 2 || len <= 0 || len % (4 * (ca + cs)))
		return -EINVAL;
	n = len / (4 * (ca + cs));
	for (int i = 0; i < n && i < max; i++) {
		int ret;

		regs[i].base = platform_read_cells(reg + i * (ca + cs), ca);
		regs[i].size = platform_read_cells(reg + i * (ca + cs) + ca, cs);
		if (regs[i].size == 0 || layout_wraps(regs[i].base, regs[i].size))
			return -EINVAL;
		ret = translate(ctx, parent, &regs[i].base, regs[i].size);
		if (ret < 0)
			return ret;
	}
	return n;
}

/*
 * Why @node's reg, which layout_board_read_reg() cannot take, is no MMIO: a
 * CPU's is its MPIDR, and a node below a bus without "ranges" (a graph
 * port or endpoint, an I2C or MDIO device) has an address on that bus that
 * the CPU does not see. False if neither.
 */
bool layout_board_reg_not_mmio(struct layout_ctx *ctx, const char *cell, int node,
			       const char *dev_path)
{
	const struct platform_index *idx = layout_board_index(ctx);
	const char *type = fdt_getprop(ctx->board, node, "device_type", NULL);
	char bus_path[LAYOUT_PATH_MAX];
	int bus = platform_index_parent(idx, ctx->board, node);

	if (type && strcmp(type, "cpu") == 0) {
		layout_error(ctx, cell, "devices",
			     "%s is a CPU (device_type \"cpu\"): a cell takes CPUs in cpus, by "
			     "MPIDR",
			     dev_path);
		return true;
	}
	for (int depth = 0; bus > 0 && depth < LAYOUT_MAX_DEPTH; depth++) {
		if (!fdt_getprop(ctx->board, bus, "ranges", NULL))
			break;
		bus = platform_index_parent(idx, ctx->board, bus);
	}
	if (bus <= 0 ||
	    platform_index_get_path(idx, ctx->board, bus, bus_path, sizeof(bus_path)) < 0)
		return false;
	layout_error(ctx, cell, "devices",
		     "%s: reg is an address on %s's own bus (no ranges), "
		     "not MMIO",
		     dev_path, bus_path);
	return true;
}
