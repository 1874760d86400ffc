// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA address translation of the cell's devices. A board bus can offset how
 * its masters see RAM ("dma-ranges": the Raspberry Pi 4's /emmc2bus reaches
 * PA 0 at bus address 0xc0000000); a device copied to the guest's root
 * would lose that, and its driver would program CPU addresses the device
 * does not decode. Such a device goes in a node named like its bus, directly
 * under /, carrying the board's dma-ranges composed up to the root. Which
 * bus, and how its addresses go up, follow Linux (drivers/of/address.c:
 * of_dma_get_range(), of_translate_one()), so the guest sees what a kernel
 * on the bare board would. Also whether a node's DMA is coherent, as Linux
 * reads it (of_dma_is_coherent()). Each step up is Linux's DMA parent
 * (__of_get_dma_parent()): the node's parent, or the interconnect its
 * "dma-mem" path names, as Allwinner's video engine and display mixers name
 * the MBUS, which reaches RAM at bus address 0.
 */
#include <errno.h>
#include <string.h>

#include <libfdt.h>

#include "dt_cells.h"

#include "guest_dt_internal.h"

/*
 * Devices Linux moves the DMA addresses of by the start of RAM by their
 * compatible, not their node: the Allwinner MBUS reaches RAM at bus address
 * 0, and drivers/soc/sunxi/sunxi_mbus.c sets that offset for these on a
 * board whose root is compatible with one of mbus_quirk_boards, unless the
 * node names an interconnect (then of_dma_configure() reads it from the
 * MBUS's dma-ranges). The arm64 SoCs' entries of its lists.
 */
static const char mbus_quirk_devices[] = "allwinner,sun50i-a64-csi\0"
					 "allwinner,sun50i-a64-video-engine\0"
					 "allwinner,sun50i-h5-video-engine\0"
					 "allwinner,sun8i-h3-csi\0"
					 "allwinner,sun8i-h3-video-engine\0";
static const char mbus_quirk_boards[] = "allwinner,sun50i-a64\0allwinner,sun50i-h5\0";

/* Entries of one bus's dma-ranges a guest gets; the boards we know have one. */
#define GUEST_DT_MAX_DMA_RANGES 4

struct dma_ctx {
	const char *label, *dev; /* cell and device, for messages */
	const struct platform_index *idx;
	const void *fdt;
	bool tell; /* say what the guest's window leaves out */
};

/* One bus's dma-ranges: entries of <child address, parent address, size>. */
struct dma_ranges {
	const fdt32_t *cells;
	int n;
	int ca, pa, cs; /* cells of each field */
};

/*
 * Steps up from a node to the root through DMA parents: the tree's depth
 * bounds a walk through parents alone, but interconnects can lead round in
 * a circle, which only a broken board tree does.
 */
#define GUEST_DT_MAX_DMA_HOPS 64

/*
 * The node the @index-th entry of @node's "interconnects" names (each entry
 * is a phandle and its provider's #interconnect-cells), or -1.
 */
static int interconnect_at(const struct platform_index *idx, const void *fdt, int node, int index)
{
	int len, cclen;
	const fdt32_t *ic = fdt_getprop(fdt, node, "interconnects", &len);
	int n = ic && len > 0 ? len / 4 : 0;

	for (int i = 0; i < n;) {
		int provider = platform_index_by_phandle(idx, fdt, fdt32_ld(&ic[i]));
		const fdt32_t *cc =
			provider < 0 ? NULL
				     : fdt_getprop(fdt, provider, "#interconnect-cells", &cclen);

		if (!cc || cclen != 4 || fdt32_ld(cc) >= (uint32_t)(n - i))
			return -1;
		if (index-- == 0)
			return provider;
		i += 1 + (int)fdt32_ld(cc);
	}
	return -1;
}

/*
 * Where @node's DMA goes up, as Linux's __of_get_dma_parent(): the
 * interconnect its "dma-mem" path names, else its parent (-1 above the root).
 */
static int dma_parent(const struct platform_index *idx, const void *fdt, int node)
{
	int path = fdt_stringlist_search(fdt, node, "interconnect-names", "dma-mem");
	int ic = path < 0 ? -1 : interconnect_at(idx, fdt, node, path);

	return ic >= 0 ? ic : platform_index_parent(idx, fdt, node);
}

int guest_dt_dma_bus(const struct platform_index *idx, const void *fdt, int node)
{
	int bus = dma_parent(idx, fdt, node), len;

	for (int hops = 0; bus > 0; bus = dma_parent(idx, fdt, bus)) {
		if (++hops > GUEST_DT_MAX_DMA_HOPS)
			return GUEST_DT_DMA_LOOP;
		if (!fdt_getprop(fdt, bus, "dma-ranges", &len))
			return -1;
		if (len > 0)
			return bus;
	}
	return -1;
}

/* Is @node compatible with one of the strings of @list? */
static bool compatible_with_one_of(const void *fdt, int node, const char *list)
{
	for (; *list; list += strlen(list) + 1)
		if (fdt_node_check_compatible(fdt, node, list) == 0)
			return true;
	return false;
}

int guest_dt_dma_check_quirks(const char *label, const char *dev, const void *fdt, int node)
{
	if (!compatible_with_one_of(fdt, node, mbus_quirk_devices) ||
	    fdt_getprop(fdt, node, "interconnects", NULL) ||
	    !compatible_with_one_of(fdt, 0, mbus_quirk_boards))
		return 0;
	guest_dt_dev_err(label, dev,
			 "Linux on this board takes the start of RAM off its DMA addresses, by its "
			 "compatible (the Allwinner MBUS quirk, drivers/soc/sunxi/sunxi_mbus.c); a "
			 "guest on Bulkhead's platform does not, so it would DMA that far above "
			 "where it means, outside the cell. Give its board node interconnects = "
			 "<&mbus PORT>; interconnect-names = \"dma-mem\"; and the guest gets the "
			 "MBUS's dma-ranges");
	return -EINVAL;
}

bool guest_dt_dma_coherent(const struct platform_index *idx, const void *fdt, int node)
{
	int n = node;

	for (int hops = 0; n >= 0 && hops <= GUEST_DT_MAX_DMA_HOPS; hops++) {
		if (fdt_getprop(fdt, n, "dma-coherent", NULL))
			return true;
		if (fdt_getprop(fdt, n, "dma-noncoherent", NULL))
			return false;
		n = dma_parent(idx, fdt, n);
	}
	return false;
}

static const char *path_of(const struct dma_ctx *c, int node, char *buf)
{
	if (platform_index_get_path(c->idx, c->fdt, node, buf, PLATFORM_PATH_MAX) < 0)
		return "?";
	return buf;
}

/* @bus's non-empty dma-ranges, with 1 or 2 cells per field (all a mem_range holds). */
static int read_ranges(const struct dma_ctx *c, int bus, struct dma_ranges *r)
{
	char path[PLATFORM_PATH_MAX];
	int len;

	r->cells = fdt_getprop(c->fdt, bus, "dma-ranges", &len);
	r->ca = dt_address_cells(c->fdt, bus);
	r->pa = dt_address_cells(c->fdt, platform_index_parent(c->idx, c->fdt, bus));
	r->cs = dt_size_cells(c->fdt, bus);
	if (r->ca >= 1 && r->ca <= 2 && r->pa >= 1 && r->pa <= 2 && r->cs >= 1 && r->cs <= 2 &&
	    len % (4 * (r->ca + r->pa + r->cs)) == 0) {
		r->n = len / (4 * (r->ca + r->pa + r->cs));
		return 0;
	}
	guest_dt_dev_err(c->label, c->dev,
			 "%s dma-ranges: %d bytes is not a whole number "
			 "of entries of %d + %d + %d cells (1 or 2 each)",
			 path_of(c, bus, path), len, r->ca, r->pa, r->cs);
	return -EINVAL;
}

struct dma_entry {
	uint64_t child, parent, size;
};

static struct dma_entry entry_read(const struct dma_ranges *r, int i)
{
	const fdt32_t *e = r->cells + i * (r->ca + r->pa + r->cs);

	return (struct dma_entry){ platform_read_cells(e, r->ca),
				   platform_read_cells(e + r->ca, r->pa),
				   platform_read_cells(e + r->ca + r->pa, r->cs) };
}

/* The entry of @r holding child address @addr, or -1. */
static int entry_holding(const struct dma_ranges *r, uint64_t addr)
{
	for (int i = 0; i < r->n; i++) {
		struct dma_entry e = entry_read(r, i);

		if (addr >= e.child && addr - e.child < e.size)
			return i;
	}
	return -1;
}

/*
 * The entry of @r that starts where @prev ends in both child and parent
 * addresses, or -1 (also for an entry that ends at the top of either
 * address space: nothing follows it).
 */
static int entry_continuing(const struct dma_ranges *r, const struct dma_entry *prev)
{
	if (prev->size > UINT64_MAX - prev->child || prev->size > UINT64_MAX - prev->parent)
		return -1;
	for (int i = 0; i < r->n; i++) {
		struct dma_entry e = entry_read(r, i);

		if (e.size && e.child == prev->child + prev->size &&
		    e.parent == prev->parent + prev->size)
			return i;
	}
	return -1;
}

/*
 * Map @addr, a child address of @r's bus, to its parent's, and clip *@size
 * to what the bus forwards from there in one piece: the entry holding
 * @addr, then each entry continuing it in both child and parent addresses
 * (a bus may describe one window as adjacent entries). Where the parent
 * addresses do not continue, the window is clipped: the guest's node keeps
 * one entry per window. False if no entry holds @addr.
 */
static bool ranges_map(const struct dma_ranges *r, uint64_t *addr, uint64_t *size)
{
	int i = entry_holding(r, *addr);
	struct dma_entry e;
	uint64_t kept;

	if (i < 0)
		return false;
	e = entry_read(r, i);
	kept = e.size - (*addr - e.child);
	*addr = e.parent + (*addr - e.child);
	/* Each continuation starts further on: no more of them than entries. */
	for (int hops = 1; kept < *size && hops < r->n; hops++) {
		i = entry_continuing(r, &e);
		if (i < 0)
			break;
		e = entry_read(r, i);
		kept = e.size > UINT64_MAX - kept ? UINT64_MAX : kept + e.size;
	}
	if (*size > kept)
		*size = kept;
	return true;
}

/*
 * The window @addr+@size on @bus's parent bus in CPU addresses. An ancestor
 * without dma-ranges, or with an empty one, is 1:1 on the way up, as in
 * of_translate_one(): buses often leave it out. Linux translates a
 * window's start only and keeps its size; but an ancestor forwards nothing
 * past its own entries, so the device reaches no further on the bare board.
 * The guest sees the bus alone and would take the whole window as DMA-able,
 * so the window is clipped to what every ancestor forwards in one piece
 * (said if @c->tell).
 */
static int translate_up(const struct dma_ctx *c, int bus, uint64_t *addr, uint64_t *size)
{
	char path[PLATFORM_PATH_MAX], up_path[PLATFORM_PATH_MAX];
	struct dma_ranges up;
	uint64_t from = *addr, whole = *size;
	int len, hops = 0;

	for (int a = dma_parent(c->idx, c->fdt, bus); a > 0; a = dma_parent(c->idx, c->fdt, a)) {
		if (++hops > GUEST_DT_MAX_DMA_HOPS) {
			guest_dt_dev_err(c->label, c->dev,
					 "%s dma-ranges: the DMA parents above it "
					 "(interconnects \"dma-mem\") lead round in a circle",
					 path_of(c, bus, path));
			return -EINVAL;
		}
		if (!fdt_getprop(c->fdt, a, "dma-ranges", &len) || len == 0)
			continue;
		if (read_ranges(c, a, &up) < 0)
			return -EINVAL;
		if (!ranges_map(&up, addr, size)) {
			guest_dt_dev_err(c->label, c->dev,
					 "%s dma-ranges: 0x%lx is outside every "
					 "entry of %s dma-ranges, so it has no CPU address",
					 path_of(c, bus, path), *addr, path_of(c, a, up_path));
			return -EINVAL;
		}
	}
	if (c->tell && *size != whole)
		guest_dt_dev_log(
			LOG_WARN, c->label, c->dev,
			"%s dma-ranges: the window of 0x%lx bytes at 0x%lx on its parent "
			"bus runs past what the buses above forward in one piece: the guest "
			"gets its first 0x%lx bytes, to CPU 0x%lx",
			path_of(c, bus, path), whole, from, *size, *addr + *size - 1);
	return 0;
}

/* @bus's entries as <child bus address, CPU address, size> in @out; how many, or -EINVAL. */
static int compose(const struct dma_ctx *c, int bus, uint64_t out[][3])
{
	char path[PLATFORM_PATH_MAX];
	struct dma_ranges r;

	if (read_ranges(c, bus, &r) < 0)
		return -EINVAL;
	if (r.n > GUEST_DT_MAX_DMA_RANGES) {
		guest_dt_dev_err(c->label, c->dev,
				 "%s dma-ranges: %d entries, more than the %d "
				 "a guest device tree carries",
				 path_of(c, bus, path), r.n, GUEST_DT_MAX_DMA_RANGES);
		return -EINVAL;
	}
	for (int i = 0; i < r.n; i++) {
		struct dma_entry e = entry_read(&r, i);

		out[i][0] = e.child;
		out[i][1] = e.parent;
		out[i][2] = e.size;
		if (translate_up(c, bus, &out[i][1], &out[i][2]) < 0)
			return -EINVAL;
	}
	return r.n;
}

/*
 * A device whose DMA the SMMU contains puts out addresses that enter the
 * cell's stage 2 as IPAs. Linux on the bare board, with the SMMU in use,
 * programs such a device with IOVAs that the SMMU takes as they leave it,
 * no dma-ranges offset applied (iommu-dma leaves the device's
 * dma_range_map, which only dma-direct reads, aside). The guest sees no
 * IOMMU: dma-direct would apply the bus's offset, and the device reach
 * other IPAs than its driver meant. A window that offsets is refused; one
 * that does not (a limit alone) is carried.
 */
static int check_smmu_window(const struct dma_ctx *c, int bus, const uint64_t e[][3], int n)
{
	char path[PLATFORM_PATH_MAX];

	for (int i = 0; i < n; i++) {
		if (e[i][0] == e[i][1])
			continue;
		guest_dt_dev_err(c->label, c->dev,
				 "%s dma-ranges: bus address 0x%lx is CPU 0x%lx, but the device's "
				 "DMA goes through the SMMU (iommus), whose stage 2 takes the "
				 "addresses it puts out as the cell's IPAs, unoffset; a guest, "
				 "seeing no IOMMU, would offset them: not supported",
				 path_of(c, bus, path), e[i][0], e[i][1]);
		return -EINVAL;
	}
	return 0;
}

int guest_dt_dma_check(const char *label, const struct layout_device *d,
		       const struct platform_index *idx, const void *fdt, int bus, bool name_taken,
		       bool tell)
{
	const struct dma_ctx c = { label, d->path, idx, fdt, tell };
	uint64_t e[GUEST_DT_MAX_DMA_RANGES][3];
	char path[PLATFORM_PATH_MAX];
	int n = compose(&c, bus, e);

	if (n < 0 || (d->nr_sids && check_smmu_window(&c, bus, e, n) < 0))
		return -EINVAL;
	if (name_taken) {
		guest_dt_dev_err(label, d->path,
				 "%s dma-ranges: the guest already has a node named "
				 "\"%s\" for this bus to go in",
				 path_of(&c, bus, path), fdt_get_name(fdt, bus, NULL));
		return -EINVAL;
	}
	return 0;
}

/*
 * The device keeps its CPU-address reg (devices are mapped 1:1), so the
 * node's ranges are empty; its dma-ranges say where each bus window lands
 * in the guest's (root) address space.
 */
void guest_dt_dma_begin(struct guest_dt *g, const char *dev, const struct platform_index *idx,
			const void *fdt, int bus)
{
	const struct dma_ctx c = { g->label, dev, idx, fdt, false };
	uint64_t e[GUEST_DT_MAX_DMA_RANGES][3];
	uint32_t cells[GUEST_DT_MAX_DMA_RANGES * 6];
	int n = compose(&c, bus, e);

	if (n < 0 && !g->err)
		g->err = -FDT_ERR_BADVALUE; /* guest_dt_devices_check() let it through */
	for (int i = 0; i < n * 6; i++)
		cells[i] = (uint32_t)(e[i / 6][i % 6 / 2] >> (i % 2 ? 0 : 32));
	guest_dt_begin(g, fdt_get_name(fdt, bus, NULL));
	guest_dt_prop_string(g, "compatible", "simple-bus");
	guest_dt_prop_u32(g, "#address-cells", 2);
	guest_dt_prop_u32(g, "#size-cells", 2);
	guest_dt_prop_empty(g, "ranges");
	guest_dt_prop_cells(g, "dma-ranges", cells, n * 6);
}
