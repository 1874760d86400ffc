// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cell's devices in its device tree: each board node named in the
 * layout's "devices" becomes a node under / (or, if the board translates its
 * DMA, under a node for that bus: guest_dt_dma.c) with the same name and the
 * board's properties, minus what points at things the guest does not have.
 * The device is mapped 1:1 (IPA = PA) and keeps its SPIs (the vGIC uses the
 * board's INTIDs), so "reg" and "interrupts" keep their meaning (4-cell
 * specifiers, a GIC with PPI partitions, are written with 3). What hangs
 * off the device (an Ethernet MAC's MDIO bus and PHY, an I2C or SPI
 * controller's peripherals) comes with it, unless the device is a bus to the
 * CPU ("ranges"): those children are MMIO devices of their own.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "guest_dt_internal.h"

/* A board node with more properties than this is not a plain MMIO device. */
#define GUEST_DT_MAX_DEV_PROPS 128
/* More clocks than this on one MMIO device: something we do not understand. */
#define GUEST_DT_MAX_DEV_CLOCKS 16
/* Nodes and depth below one device: an MDIO bus and its PHYs, a controller's peripherals. */
#define GUEST_DT_MAX_SUBNODES 64
#define GUEST_DT_MAX_SUBDEPTH 6

/* A device's name in the guest: '@', 16 hex digits and the NUL added to the board's stem. */
#define GUEST_DT_DEVICE_NAME_MAX (GUEST_DT_NAME_MAX + 18)

/*
 * A device keeps its board node's name, but the unit address follows the
 * "reg" the guest gets, CPU physical, where the board may name it by a bus
 * address (the Raspberry Pi 4's /soc/spi@7e204000 is at 0xfe204000): dtc and
 * the DT spec hold a simple-bus child, as a device under a DMA bus node is,
 * to its first address.
 */
static const char *device_name(const struct layout_device *d, char *buf)
{
	const char *name = layout_node_name(d->path), *at = strchr(name, '@');
	size_t stem = at ? (size_t)(at - name) : 0;

	if (!at || !d->nr_regs)
		return name;
	memcpy(buf, name, stem);
	snprintf(buf + stem, GUEST_DT_DEVICE_NAME_MAX - stem, "@%lx", d->regs[0].base);
	return buf;
}

/*
 * Is @name the name of a fixed guest node, a memory or shared-memory node,
 * the PCIe host's, or that of devices[0..@upto)?
 */
static bool name_taken(const struct layout_cell *cell, const struct platform *plat, int upto,
		       const char *name)
{
	static const char fixed[] = "chosen\0aliases\0cpus\0psci\0timer\0" GUEST_DT_CLK_NODE "\0";
	char buf[GUEST_DT_DEVICE_NAME_MAX];

	if (guest_dt_is_listed(fixed, name))
		return true;
	guest_dt_name_gic(buf, sizeof(buf));
	if (strcmp(name, buf) == 0)
		return true;
	guest_dt_name_uart(buf, sizeof(buf));
	if (strcmp(name, buf) == 0)
		return true;
	for (int i = 0; i < cell->nr_mem; i++) {
		guest_dt_name_memory(buf, sizeof(buf), cell->mem[i].ipa);
		if (strcmp(name, buf) == 0)
			return true;
	}
	for (int i = 0; i < cell->nr_shm && i < LAYOUT_MAX_SHM; i++) {
		guest_dt_name_shm(buf, sizeof(buf), cell->shm[i].ipa);
		if (strcmp(name, buf) == 0)
			return true;
	}
	if (cell->nr_pci) {
		guest_dt_name_pcie(buf, sizeof(buf), plat);
		if (strcmp(name, buf) == 0)
			return true;
	}
	for (int i = 0; i < upto; i++)
		if (strcmp(name, device_name(&cell->devices[i], buf)) == 0)
			return true;
	return false;
}

/* @d's node in @board, found through @idx (the board's index; NULL: libfdt walks). */
static int device_node(const struct platform_index *idx, const void *board,
		       const struct layout_device *d)
{
	return platform_index_path_offset(idx, board, d->path, (int)strlen(d->path));
}

/* The offset just past @dev's subtree in @board: its nodes lie in (@dev, end). */
static int subtree_end(const void *board, int dev)
{
	int depth = 0, node = dev;

	do
		node = fdt_next_node(board, node, &depth);
	while (node >= 0 && depth > 0);
	return node < 0 ? INT_MAX : node;
}

void guest_dt_dev_log(enum log_level level, const char *label, const char *path, const char *fmt,
		      ...)
{
	char why[512]; /* as layout_error(): what lib/log.c prints in one line */
	va_list ap;

	va_start(ap, fmt);
	log_cut(why, sizeof(why), vsnprintf(why, sizeof(why), fmt, ap));
	va_end(ap);
	log_printf(level, "%s: guest device tree: device %s: %s", label, path, why);
}

/* Does @dev's subtree come with it? Not below a bus to the CPU: those are devices of their own. */
static bool copies_subnodes(const void *board, int dev)
{
	return !fdt_getprop(board, dev, "ranges", NULL);
}

static int check_props(const struct layout_cell *cell, const struct layout_device *d,
		       const void *board, int node)
{
	int prop, n = 0;

	fdt_for_each_property_offset(prop, board, node)
	{
		if (++n > GUEST_DT_MAX_DEV_PROPS) {
			guest_dt_dev_err(cell->label, d->path, "node %s: more than %d properties",
					 fdt_get_name(board, node, NULL), GUEST_DT_MAX_DEV_PROPS);
			return -EINVAL;
		}
		if (!fdt_getprop_by_offset(board, prop, NULL, NULL)) {
			guest_dt_dev_err(cell->label, d->path, "node %s: unreadable property",
					 fdt_get_name(board, node, NULL));
			return -EINVAL;
		}
	}
	return 0;
}

static int check_subnodes(const struct layout_cell *cell, const struct layout_device *d,
			  const void *board, int dev, bool tell)
{
	int depth = 0, node, n = 0, ret = 0;

	if (!copies_subnodes(board, dev)) {
		if (tell && fdt_first_subnode(board, dev) >= 0)
			guest_dt_dev_log(LOG_WARN, cell->label, d->path,
					 "its child nodes are not copied: it is a bus "
					 "(\"ranges\"); name each one it needs in devices");
		return 0;
	}
	for (node = fdt_next_node(board, dev, &depth); node >= 0 && depth > 0 && !ret;
	     node = fdt_next_node(board, node, &depth)) {
		if (++n > GUEST_DT_MAX_SUBNODES || depth > GUEST_DT_MAX_SUBDEPTH) {
			guest_dt_dev_err(cell->label, d->path,
					 "more than %d nodes or %d levels below it",
					 GUEST_DT_MAX_SUBNODES, GUEST_DT_MAX_SUBDEPTH);
			return -EINVAL;
		}
		ret = check_props(cell, d, board, node);
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND) {
		guest_dt_dev_err(cell->label, d->path, "below it: %s", fdt_strerror(node));
		return -EINVAL;
	}
	return ret;
}

static int check_device(const struct layout_cell *cell, int i, const struct platform *plat,
			const void *board, bool tell)
{
	const struct layout_device *d = &cell->devices[i];
	char buf[GUEST_DT_DEVICE_NAME_MAX];
	const char *name = device_name(d, buf);
	int node = device_node(&plat->index, board, d), ret;

	if (node < 0) {
		guest_dt_dev_err(cell->label, d->path, "not in the board's tree (%s)",
				 fdt_strerror(node));
		return -ENOENT;
	}
	if (!name[0] || name_taken(cell, plat, i, name)) {
		guest_dt_dev_err(
			cell->label, d->path,
			"the guest already has a node named \"%s\"; give each device a distinct "
			"node name",
			name);
		return -EINVAL;
	}
	ret = check_props(cell, d, board, node);
	return ret ? ret : check_subnodes(cell, d, board, node, tell);
}

/* Each device's DMA bus (guest_dt_dma_bus()): -1 for none, or for a device not in @board. */
static void dma_buses(const struct layout_cell *cell, const struct platform_index *idx,
		      const void *board, int *bus)
{
	for (int i = 0; i < cell->nr_devices; i++) {
		int node = device_node(idx, board, &cell->devices[i]);

		bus[i] = node < 0 ? -1 : guest_dt_dma_bus(idx, board, node);
	}
}

/* Is the node of devices[@i]'s bus named like another node under /? */
static bool bus_name_taken(const struct layout_cell *cell, const struct platform *plat, int i,
			   const void *board, const int *bus)
{
	const char *name = fdt_get_name(board, bus[i], NULL);

	if (name_taken(cell, plat, cell->nr_devices, name))
		return true;
	for (int j = 0; j < i; j++)
		if (bus[j] >= 0 && bus[j] != bus[i] &&
		    strcmp(fdt_get_name(board, bus[j], NULL), name) == 0)
			return true;
	return false;
}

/* A device whose DMA the board translates goes in a node named like its bus (guest_dt_dma.c). */
static int check_dma(const struct layout_cell *cell, int i, const struct platform *plat,
		     const void *board, const int *bus, bool tell)
{
	const struct layout_device *d = &cell->devices[i];

	if (guest_dt_dma_check_quirks(cell->label, d->path, board,
				      device_node(&plat->index, board, d)) < 0)
		return -EINVAL;
	if (bus[i] == GUEST_DT_DMA_LOOP) {
		guest_dt_dev_err(cell->label, d->path,
				 "its DMA parents (interconnects \"dma-mem\", parent nodes) lead "
				 "round in a circle: a board device tree error");
		return -EINVAL;
	}
	if (bus[i] < 0)
		return 0;
	return guest_dt_dma_check(cell->label, d, &plat->index, board, bus[i],
				  bus_name_taken(cell, plat, i, board, bus), tell);
}

int guest_dt_devices_check(const struct layout_cell *cell, const struct platform *plat,
			   const void *board_fdt, bool tell)
{
	int bus[LAYOUT_MAX_DEVICES];

	dma_buses(cell, &plat->index, board_fdt, bus);
	for (int i = 0; i < cell->nr_devices; i++) {
		int ret = check_device(cell, i, plat, board_fdt, tell);

		if (!ret)
			ret = check_dma(cell, i, plat, board_fdt, bus, tell);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * How many clock specifiers "clocks" holds, walking it with each provider's
 * #clock-cells; 0 when it cannot be walked. Each turn advances by at least
 * one cell, so at most @len / 4 turns.
 */
static int clock_count(const struct platform_index *idx, const void *board, const fdt32_t *clocks,
		       int len)
{
	int ncells = len / 4, i = 0, count = 0;

	if (len <= 0 || len % 4)
		return 0;
	while (i < ncells) {
		int provider = platform_index_by_phandle(idx, board, fdt32_ld(&clocks[i])), cclen;
		const fdt32_t *cc;

		if (provider < 0)
			return 0;
		cc = fdt_getprop(board, provider, "#clock-cells", &cclen);
		if (!cc || cclen != 4 || fdt32_ld(cc) >= (uint32_t)(ncells - i))
			return 0;
		i += 1 + (int)fdt32_ld(cc);
		count++;
	}
	return count;
}

/*
 * Each board clock becomes the guest's fixed 24 MHz clock: the guest cannot
 * program the board's clock controller anyway, and drivers such as the
 * primecell bus only need a clock to exist. Same count as the board's, so
 * "clock-names" still lines up.
 */
static void write_clocks(struct guest_dt *g, const struct layout_device *d,
			 const struct platform_index *idx, const void *board, const fdt32_t *clocks,
			 int len)
{
	uint32_t cells[GUEST_DT_MAX_DEV_CLOCKS];
	int count = clock_count(idx, board, clocks, len);

	if (count < 1 || count > (int)(sizeof(cells) / sizeof(cells[0]))) {
		if (g->tell)
			guest_dt_dev_log(LOG_WARN, g->label, d->path,
					 "clocks: cannot count the specifiers; giving it one "
					 "fixed clock");
		count = 1;
	}
	for (int i = 0; i < count; i++)
		cells[i] = guest_dt_phandle_clk(g);
	guest_dt_prop_cells(g, "clocks", cells, count);
}

/*
 * A board GIC with PPI partitions gives 4-cell specifiers (the 4th 0 for an
 * SPI; the layout parser refused anything else): the guest's virtual GIC
 * takes 3 (#interrupt-cells = <3>), so each loses its 4th cell. 3-cell ones
 * are copied as they are.
 */
static void write_interrupts(struct guest_dt *g, const struct layout_device *d, const void *val,
			     int len)
{
	uint32_t cells[3 * LAYOUT_MAX_DEV_IRQS];
	const fdt32_t *spec = val;
	int n = len / 16;

	if (d->irq_cells != 4) {
		guest_dt_prop(g, "interrupts", val, len);
		return;
	}
	if (n > LAYOUT_MAX_DEV_IRQS)
		n = LAYOUT_MAX_DEV_IRQS; /* the layout parser took no more */
	for (int i = 0; i < 3 * n; i++)
		cells[i] = fdt32_ld(&spec[4 * (i / 3) + i % 3]);
	guest_dt_prop_cells(g, "interrupts", cells, 3 * n);
}

/* @name, a phandle to a node copied with device @dev, re-pointed at the copy; else dropped. */
static void write_subtree_ref(struct guest_dt *g, const struct platform_index *idx,
			      const void *board, int dev, const char *name, const void *val,
			      int len)
{
	int target = len == 4 ? platform_index_by_phandle(idx, board, fdt32_ld(val)) : -1;

	if (target > dev && target < subtree_end(board, dev) && copies_subnodes(board, dev))
		guest_dt_prop_u32(g, name, guest_dt_phandle_subnode(g, target));
	else
		log_debug("%s: guest device tree: %s dropped (leads out of the device)", g->label,
			  name);
}

/* The properties of @node: device @d's own node (@node == @dev) or one copied with it. */
static void write_props(struct guest_dt *g, const struct layout_device *d,
			const struct platform_index *idx, const void *board, int dev, int node)
{
	bool sub = node != dev;
	int prop;

	fdt_for_each_property_offset(prop, board, node)
	{
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(board, prop, &name, &len);

		if (g->err)
			return;
		if (sub && strcmp(name, "phandle") == 0) {
			guest_dt_prop_u32(g, name, guest_dt_phandle_subnode(g, node));
		} else if (guest_dt_prop_is_subtree_ref(name)) {
			write_subtree_ref(g, idx, board, dev, name, val, len);
		} else if (!sub && strcmp(name, "reg") == 0) {
			/* Translated through every "ranges" by the layout parser. */
			if (d->nr_regs)
				guest_dt_prop_regs(g, d->regs, d->nr_regs);
		} else if (!sub && strcmp(name, "interrupts") == 0) {
			write_interrupts(g, d, val, len);
		} else if (!sub && strcmp(name, "interrupt-parent") == 0) {
			guest_dt_prop_u32(g, name, guest_dt_phandle_gic(g));
		} else if (strcmp(name, "clocks") == 0) {
			write_clocks(g, d, idx, board, val, len);
		} else if (guest_dt_prop_is_dropped(name, sub)) {
			guest_dt_dev_log(LOG_DEBUG, g->label, d->path,
					 "%s dropped (refers to board nodes or interrupts the "
					 "cell does not have)",
					 name);
		} else {
			guest_dt_prop(g, name, val, len);
		}
	}
}

/* The nodes below @dev, in board order (guest_dt_devices_check() bounded them). */
static void write_subnodes(struct guest_dt *g, const struct layout_device *d,
			   const struct platform_index *idx, const void *board, int dev)
{
	int depth = 0, open = 0, node;

	for (node = fdt_next_node(board, dev, &depth); node >= 0 && depth > 0 && !g->err;
	     node = fdt_next_node(board, node, &depth)) {
		for (; open >= depth; open--)
			guest_dt_end(g);
		guest_dt_begin(g, fdt_get_name(board, node, NULL));
		open = depth;
		write_props(g, d, idx, board, dev, node);
	}
	for (; open > 0; open--)
		guest_dt_end(g);
}

static void write_device(struct guest_dt *g, const struct layout_device *d,
			 const struct platform_index *idx, const void *board)
{
	char buf[GUEST_DT_DEVICE_NAME_MAX];
	int node = device_node(idx, board, d);

	guest_dt_begin(g, device_name(d, buf));
	write_props(g, d, idx, board, node, node);
	/*
	 * Linux takes a device's DMA coherence from its node or the nearest
	 * ancestor that says either way (of_dma_is_coherent()). Copied out of
	 * its board bus, a device under a coherent one says it itself; its own
	 * dma-coherent was copied with its other properties.
	 */
	if (!fdt_getprop(board, node, "dma-coherent", NULL) &&
	    guest_dt_dma_coherent(idx, board, node))
		guest_dt_prop_empty(g, "dma-coherent");
	if (copies_subnodes(board, node))
		write_subnodes(g, d, idx, board, node);
	guest_dt_end(g);
}

/*
 * In the layout's order, except that the devices whose DMA one bus
 * translates share its node, written where the first of them comes.
 */
void guest_dt_devices_write(struct guest_dt *g, const struct layout_cell *cell,
			    const struct platform *plat, const void *board_fdt)
{
	const struct platform_index *idx = &plat->index;
	int bus[LAYOUT_MAX_DEVICES], first;

	dma_buses(cell, idx, board_fdt, bus);
	for (int i = 0; i < cell->nr_devices && !g->err; i++) {
		if (bus[i] < 0) {
			write_device(g, &cell->devices[i], idx, board_fdt);
			continue;
		}
		for (first = 0; bus[first] != bus[i]; first++)
			;
		if (first < i)
			continue; /* written in its bus's node already */
		guest_dt_dma_begin(g, cell->devices[i].path, idx, board_fdt, bus[i]);
		for (int j = i; j < cell->nr_devices; j++)
			if (bus[j] == bus[i])
				write_device(g, &cell->devices[j], idx, board_fdt);
		guest_dt_end(g);
	}
}
