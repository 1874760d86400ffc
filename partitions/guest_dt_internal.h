/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_GUEST_DT_INTERNAL_H
#define BULKHEAD_GUEST_DT_INTERNAL_H

/*
 * Shared by partitions/guest_dt.c (the fixed QEMU-virt-like nodes),
 * partitions/guest_dt_write.c (the libfdt writes under them all),
 * partitions/guest_dt_props.c (which board properties a device keeps),
 * partitions/guest_dt_devices.c (the cell's devices copied from the board),
 * partitions/guest_dt_dma.c (the buses that translate their DMA) and
 * partitions/guest_dt_pci.c (the PCIe host).
 * Not an interface: everything else uses include/guest_dt.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "log.h"
#include "platform.h"

/* Node names; memory@<ipa> and device names are at most a board path long. */
#define GUEST_DT_NAME_MAX PLATFORM_PATH_MAX
#define GUEST_DT_CLK_NODE "apb-pclk"

/*
 * The tree being written with libfdt's sequential-write API. Every writer
 * below does nothing once @err is set, so a builder writes a whole node and
 * checks once at the end.
 */
struct guest_dt {
	void *fdt;
	int size;	       /* bytes the tree may use now (guest_dt.c grows it once) */
	int max;	       /* bytes of the caller's buffer it may use */
	const char *label;     /* the cell's, for messages */
	const char *node;      /* the node being written, for messages */
	int err;	       /* first libfdt error (-FDT_ERR_*), 0 while all is well */
	uint32_t phandle_base; /* the first phandle of the guest's own (guest_dt.c) */
	bool tell;	       /* warn of what the tree leaves out (guest_dt_install()) */
};

/*
 * The guest tree's own phandles, all above the board's highest: a property
 * that carries a board phandle without the builder knowing it (a vendor
 * "fsl,stop-mode") then names no node of the guest's, never its GIC. A node
 * copied from below a device: base + 2 + its offset in the board's tree.
 */
static inline uint32_t guest_dt_phandle_gic(const struct guest_dt *g)
{
	return g->phandle_base;
}

static inline uint32_t guest_dt_phandle_clk(const struct guest_dt *g)
{
	return g->phandle_base + 1;
}

static inline uint32_t guest_dt_phandle_subnode(const struct guest_dt *g, int offset)
{
	return g->phandle_base + 2 + (uint32_t)offset;
}

/* "<label>: guest device tree: device <path>: " and the rest (guest_dt_devices.c). */
void guest_dt_dev_log(enum log_level level, const char *label, const char *path, const char *fmt,
		      ...) __attribute__((format(printf, 4, 5)));
#define guest_dt_dev_err(...) guest_dt_dev_log(LOG_ERR, __VA_ARGS__)

/*
 * The writer layer (guest_dt_write.c). guest_dt_create() starts a tree in
 * @g->fdt, of at most @size bytes, and opens its root node;
 * guest_dt_finish() closes the root and the tree.
 */
void guest_dt_create(struct guest_dt *g, size_t size);
void guest_dt_finish(struct guest_dt *g);
void guest_dt_begin(struct guest_dt *g, const char *name);
void guest_dt_end(struct guest_dt *g);
void guest_dt_prop(struct guest_dt *g, const char *name, const void *val, int len);
void guest_dt_prop_u32(struct guest_dt *g, const char *name, uint32_t val);
void guest_dt_prop_string(struct guest_dt *g, const char *name, const char *str);
void guest_dt_prop_u64(struct guest_dt *g, const char *name, uint64_t val);
void guest_dt_prop_empty(struct guest_dt *g, const char *name);
/* @n big-endian cells from @cells. */
void guest_dt_prop_cells(struct guest_dt *g, const char *name, const uint32_t *cells, int n);
/* "reg" in the guest's #address-cells = 2, #size-cells = 2. */
void guest_dt_prop_regs(struct guest_dt *g, const struct mem_range *regs, int n);

/*
 * Property rules (guest_dt_props.c): is @name dropped from a copied node
 * (@subnode: one below the device), or a single phandle re-pointed at the
 * copy of a node below the device? guest_dt_is_listed(): is @name one of
 * the NUL-separated strings of @list, which ends with an empty one?
 */
bool guest_dt_prop_is_dropped(const char *name, bool subnode);
bool guest_dt_prop_is_subtree_ref(const char *name);
bool guest_dt_is_listed(const char *list, const char *name);

/* A node's name, "<stem>@<addr>" (unit address in hex, no leading zeros), into @buf. */
void guest_dt_name(char *buf, size_t size, const char *stem, uint64_t addr);
#define guest_dt_name_gic(buf, size)	     guest_dt_name(buf, size, "intc", LAYOUT_VGICD_BASE)
#define guest_dt_name_uart(buf, size)	     guest_dt_name(buf, size, "pl011", LAYOUT_VUART_BASE)
#define guest_dt_name_memory(buf, size, ipa) guest_dt_name(buf, size, "memory", ipa)
#define guest_dt_name_shm(buf, size, ipa)    guest_dt_name(buf, size, "shm", ipa)
/* The cell's PCIe host node (cells with pci-devices only), pcie@<ECAM base>. */
#define guest_dt_name_pcie(buf, size, plat) guest_dt_name(buf, size, "pcie", (plat)->pcie.ecam.base)

/*
 * Check the cell's devices before anything is written: each board node
 * exists, has a name no other guest node has, and can be copied. Returns 0
 * or a negative errno after log_err() naming the cell, device and problem;
 * what is left out is said if @tell.
 */
int guest_dt_devices_check(const struct layout_cell *cell, const struct platform *plat,
			   const void *board_fdt, bool tell);

/* Write one node under / per device of @cell (after guest_dt_devices_check()). */
void guest_dt_devices_write(struct guest_dt *g, const struct layout_cell *cell,
			    const struct platform *plat, const void *board_fdt);

/* guest_dt_dma_bus(): @node's DMA parents lead round in a circle. */
#define GUEST_DT_DMA_LOOP (-2)
/*
 * The board bus whose dma-ranges translate @node's DMA, as Linux finds it
 * (of_dma_get_range()): the nearest DMA parent (the parent, or the
 * interconnect named by an "interconnects" path called "dma-mem") with a
 * non-empty one, going on past empty ones (1:1) and stopping at one that has
 * none, or at the root (whose own dma-ranges Linux cannot translate to a CPU
 * address, so it applies none). -1: no translation; GUEST_DT_DMA_LOOP.
 */
int guest_dt_dma_bus(const struct platform_index *idx, const void *fdt, int node);
/*
 * Check that Linux on the bare board sets no DMA offset for board node
 * @node by its compatible, which a guest would not (the Allwinner MBUS):
 * 0, or -EINVAL after log_err() naming @label, @dev and how to describe the
 * offset in the board's tree instead.
 */
int guest_dt_dma_check_quirks(const char *label, const char *dev, const void *fdt, int node);
/*
 * Check @bus's dma-ranges can be composed up to the root and carried (for
 * a device @d whose DMA the SMMU contains, without an offset), and that its
 * node's name is free (!@name_taken): 0, or -EINVAL after log_err() naming
 * @label, @d, the bus and why. @tell: warn of a window
 * clipped to what the buses above it forward.
 */
int guest_dt_dma_check(const char *label, const struct layout_device *d,
		       const struct platform_index *idx, const void *fdt, int bus, bool name_taken,
		       bool tell);
/*
 * Whether Linux on the bare board takes @node's DMA to be coherent
 * (of_dma_is_coherent()): @node's own dma-coherent or dma-noncoherent, else
 * the nearest DMA parent's that says either way; neither anywhere: not.
 */
bool guest_dt_dma_coherent(const struct platform_index *idx, const void *fdt, int node);
/* Begin @bus's node under / (checked): its devices follow, then guest_dt_end(). */
void guest_dt_dma_begin(struct guest_dt *g, const char *dev, const struct platform_index *idx,
			const void *fdt, int bus);

/* The cell's PCIe host node (guest_dt_pci.c), for cells with pci-devices only. */
int guest_dt_pci_check(const struct layout_cell *cell, const struct platform *plat,
		       const void *board_fdt);
void guest_dt_pci_write(struct guest_dt *g, const struct layout_cell *cell,
			const struct platform *plat, const void *board_fdt);

#endif
