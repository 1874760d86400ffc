// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where a function's memory BARs go (docs/pci.md, "BARs: placed by the
 * hypervisor").
 *
 * Each BAR is placed aligned to its size and to at least a page, first fit,
 * in the host bridge's 32-bit memory window, below 4 GiB. A function behind
 * PCI Express ports is reached only through the memory window firmware
 * opened in each of them (Memory Base/Limit): its BARs go inside all of
 * those, or the function would decode addresses no request ever reaches it
 * at, and the ones it answers would be routed to whatever sits there. A BAR
 * never lands on another placed BAR, nor on the window of a bridge on its
 * own bus: that range is forwarded below the bridge, to other functions;
 * nor on a bridge's own BAR (a root port's MSI-X table), which firmware
 * placed and which decodes whenever the bridge forwards memory.
 */
#include <errno.h>
#include "log.h"
#include "pci_priv.h"

/* A range of PCI memory addresses, [start, end); empty if end <= start. */
struct pci_range {
	uint64_t start, end;
};

/* The host bridge's 32-bit memory window: PCI address, CPU address, size. */
static uint64_t win_pci, win_cpu, win_size;
/* Every BAR placed so far, and the bridges' own BARs (pci_bar_keep_bridge()). */
#define MAX_BRIDGE_BARS 64
#define MAX_PLACED	(LAYOUT_MAX_CELLS * LAYOUT_MAX_PCI * PCI_NR_BARS + MAX_BRIDGE_BARS)
static struct pci_range placed[MAX_PLACED];
static unsigned int nr_placed;

int pci_bar_window_init(const struct platform_index *idx, const void *fdt)
{
	uint64_t win[3];
	int ret = platform_pcie_mem32_window(idx, fdt, pci_host, win);

	if (ret)
		return ret;
	win_pci = win[0];
	win_cpu = win[1];
	win_size = win[2];
	nr_placed = 0;
	log_info("pci: BARs placed from the 32-bit window 0x%lx+0x%lx", (unsigned long)win_cpu,
		 (unsigned long)win_size);
	return 0;
}

uint64_t pci_bar_cpu_addr(uint64_t pci_addr)
{
	return win_cpu + (pci_addr - win_pci);
}

/*
 * What a live BAR at @reg of @bdf decodes, into *@r (empty if it is not an
 * implemented memory BAR): sized with Memory Space off for the moment, as
 * Linux's __pci_read_base() does, then everything as it was. Whether it is
 * 64-bit (BAR @reg + 4 its upper half).
 */
static bool bar_in_use(uint16_t bdf, uint32_t reg, bool may_be_64, struct pci_range *r)
{
	uint32_t cmd = pci_cfg_read(bdf, PCI_COMMAND, 2), orig = pci_cfg_read(bdf, reg, 4);
	bool is64 = may_be_64 && (orig & PCI_BAR_MEM_64) && !(orig & PCI_BAR_IO);
	uint32_t hi = 0, lo_mask, hi_mask = 0xffffffff; /* a 32-bit BAR: none above 4 GiB */
	uint64_t mask;

	*r = (struct pci_range){ 0, 0 };
	if (orig & PCI_BAR_IO)
		return false;
	pci_cfg_write(bdf, PCI_COMMAND, 2, cmd & ~PCI_CMD_MEMORY);
	pci_cfg_write(bdf, reg, 4, 0xffffffff);
	lo_mask = pci_cfg_read(bdf, reg, 4) & ~PCI_BAR_FLAGS;
	pci_cfg_write(bdf, reg, 4, orig);
	if (is64) {
		hi = pci_cfg_read(bdf, reg + 4, 4);
		pci_cfg_write(bdf, reg + 4, 4, 0xffffffff);
		hi_mask = pci_cfg_read(bdf, reg + 4, 4);
		pci_cfg_write(bdf, reg + 4, 4, hi);
	}
	pci_cfg_write(bdf, PCI_COMMAND, 2, cmd);
	mask = (uint64_t)hi_mask << 32 | lo_mask;
	if (lo_mask || (is64 && hi_mask)) {
		r->start = (uint64_t)hi << 32 | (orig & ~PCI_BAR_FLAGS);
		r->end = r->start + (mask & (~mask + 1)); /* its lowest writable bit: its size */
	}
	return is64;
}

/*
 * A bridge's memory BARs (BAR0 and BAR1 of header type 1: a root port's
 * MSI-X table, a switch port's registers) stay where firmware put them and
 * decode whenever the bridge has Memory Space on: firmware left it on, and
 * pci_bars_place() turns it on for a port on an assigned function's path.
 * So they are taken, as placed BARs are. At boot, before any cell runs.
 * 0, or -ENOSPC if there are more than the table holds.
 */
int pci_bar_keep_bridge(uint16_t bdf)
{
	for (int i = 0; i < 2; i++) {
		struct pci_range r;
		bool is64 = bar_in_use(bdf, PCI_BAR0 + 4 * (uint32_t)i, i == 0, &r);

		if (r.end > r.start) {
			if (nr_placed == MAX_PLACED)
				return log_err_ret(
					-ENOSPC,
					"pci: %s (a bridge) BAR%d: more than %d bridge BARs "
					"to keep clear of",
					PCI_BDF(bdf), i, MAX_BRIDGE_BARS);
			placed[nr_placed++] = r;
			log_info("pci: %s (a bridge) BAR%d at 0x%lx+0x%lx: kept clear",
				 PCI_BDF(bdf), i, (unsigned long)r.start,
				 (unsigned long)(r.end - r.start));
		}
		if (is64)
			i++; /* BAR1 was its upper half */
	}
	return 0;
}

/* A window register pair (base at @reg, limit at @reg + 2): 1 MiB granules. */
static struct pci_range window_at(uint16_t bridge, uint32_t reg, bool upper)
{
	uint32_t v = pci_cfg_read(bridge, reg, 4);
	struct pci_range r = {
		.start = (uint64_t)(v & 0xfff0) << 16,
		.end = ((uint64_t)(v >> 16 & 0xfff0) << 16) + PCI_WINDOW_GRANULE,
	};

	/* A 64-bit prefetchable window keeps its upper halves apart. */
	if (upper && (v & 0xf) == PCI_PREF_RANGE_64) {
		r.start |= (uint64_t)pci_cfg_read(bridge, PCI_PREF_BASE_UPPER32, 4) << 32;
		r.end += (uint64_t)pci_cfg_read(bridge, PCI_PREF_LIMIT_UPPER32, 4) << 32;
	}
	return r;
}

static bool overlaps(struct pci_range a, uint64_t start, uint64_t end)
{
	return a.end > a.start && a.start < end && start < a.end;
}

/*
 * PCI memory addresses 0xa0000-0xbffff: a VGA-compatible function (class
 * 03h/00h, or 00h/01h from before class codes) decodes them with no BAR
 * whenever its Memory Space is on, and a bridge with VGA Enable forwards
 * them below it. A BAR there would share its addresses with such a
 * function, another cell's maybe: none is placed there, if the window
 * covers them (a window at PCI address 0).
 */
static const struct pci_range vga_legacy = { 0xa0000, 0xc0000 };

/*
 * The end of something already in [@start, @end): a placed BAR, the legacy
 * VGA range, or the memory or prefetchable window of a bridge on @bus. 0
 * if nothing is.
 */
static uint64_t taken_until(uint64_t start, uint64_t end, unsigned int bus)
{
	if (overlaps(vga_legacy, start, end))
		return vga_legacy.end;
	for (unsigned int i = 0; i < nr_placed; i++)
		if (overlaps(placed[i], start, end))
			return placed[i].end;
	for (unsigned int devfn = 0; devfn < 256; devfn++) {
		uint16_t bdf = (uint16_t)(bus << 8 | devfn);
		struct pci_range w;

		if (pci_cfg_read(bdf, PCI_VENDOR_ID, 2) == 0xffff ||
		    (pci_cfg_read(bdf, PCI_HEADER_TYPE, 1) & 0x7f) != 1)
			continue;
		w = window_at(bdf, PCI_MEMORY_BASE, false);
		if (overlaps(w, start, end))
			return w.end;
		w = window_at(bdf, PCI_PREF_MEMORY_BASE, true);
		if (overlaps(w, start, end))
			return w.end;
	}
	return 0;
}

/*
 * Where BARs of a function at the end of the bridge path @br[0..@n) may go:
 * the host's window below 4 GiB, inside each bridge's memory window. Names
 * the first bridge whose window is closed or outside the rest in @closed.
 */
static struct pci_range reachable(const uint16_t *br, int n, int *closed)
{
	struct pci_range r = { win_pci, win_pci + win_size };

	if (r.end > 1ULL << 32)
		r.end = 1ULL << 32;
	*closed = -1;
	for (int i = 0; i < n; i++) {
		struct pci_range w = window_at(br[i], PCI_MEMORY_BASE, false);

		if (w.start > r.start)
			r.start = w.start;
		if (w.end < r.end)
			r.end = w.end;
		if (r.end <= r.start) {
			*closed = i;
			break;
		}
	}
	return r;
}

static void log_no_room(const char *name, int i, uint64_t size, const uint16_t *br, int n,
			struct pci_range r, int closed)
{
	if (!n) {
		log_err("pci: %s: BAR%d (%lu KiB) does not fit the 32-bit window", name, i,
			(unsigned long)(size >> 10));
		return;
	}
	if (closed >= 0) {
		log_err("pci: %s: BAR%d: the memory window of %s above it is closed or outside the "
			"host's 32-bit window (Memory Base/Limit 0x%08x): no request can reach the "
			"function; firmware must open it (U-Boot's pci enum)",
			name, i, PCI_BDF(br[closed]), pci_cfg_read(br[closed], PCI_MEMORY_BASE, 4));
		return;
	}
	log_err("pci: %s: BAR%d (%lu KiB) does not fit in what is left of the memory window "
		"0x%lx-0x%lx that firmware opened through %s and the ports above it",
		name, i, (unsigned long)(size >> 10), (unsigned long)r.start,
		(unsigned long)(r.end - 1), PCI_BDF(br[n - 1]));
}

/*
 * The first @align-aligned free range of @align bytes in @r, or 0 if none.
 * Never PCI address 0, which Linux and firmware take for "not assigned".
 */
static uint64_t first_fit(struct pci_range r, uint64_t align, unsigned int bus)
{
	uint64_t addr = ((r.start ? r.start : 1) + align - 1) & ~(align - 1), busy, next;

	/* r.end - addr, not addr + align: a BAR of 2^63 bytes would wrap that to 0. */
	while (addr && addr <= r.end && r.end - addr >= align) {
		busy = taken_until(addr, addr + align, bus);
		if (!busy)
			return addr;
		next = (busy + align - 1) & ~(align - 1);
		if (next <= addr)
			return 0; /* wrapped past the top */
		addr = next;
	}
	return 0;
}

/* Size BAR @i (decode is off), place it, program it. */
static int place_bar(struct pci_fn *f, int i, const char *name, const uint16_t *br, int n)
{
	uint32_t reg = PCI_BAR0 + 4 * (uint32_t)i, orig = pci_cfg_read(f->bdf, reg, 4), lo, hi = 0;
	uint64_t mask, size, align, addr;
	bool is64 = (orig & PCI_BAR_MEM_64) && !(orig & PCI_BAR_IO);
	struct pci_range r;
	int closed;

	if (is64 && i == PCI_NR_BARS - 1)
		return -EINVAL;
	pci_cfg_write(f->bdf, reg, 4, 0xffffffff);
	lo = pci_cfg_read(f->bdf, reg, 4);
	if (is64) {
		pci_cfg_write(f->bdf, reg + 4, 4, 0xffffffff);
		hi = pci_cfg_read(f->bdf, reg + 4, 4);
	}
	/* I/O or unimplemented: not offered. A 64-bit BAR of 4 GiB or more has only bits 63:32. */
	if (orig & PCI_BAR_IO || ((lo & ~PCI_BAR_FLAGS) == 0 && (!is64 || hi == 0))) {
		pci_cfg_write(f->bdf, reg, 4, 0);
		return is64 ? 1 : 0;
	}
	mask = ((uint64_t)(is64 ? hi : 0xffffffff) << 32) | (lo & ~PCI_BAR_FLAGS);
	size = ~mask + 1;
	/* A BAR decodes a naturally aligned power of two: its writable bits are contiguous. */
	if (size & (size - 1)) {
		char back[32];

		if (is64)
			snprintf(back, sizeof(back), "0x%08x %08x", hi, lo);
		else
			snprintf(back, sizeof(back), "0x%08x", lo);
		log_err("pci: %s: BAR%d: all ones written, %s read back: not a power-of-two size, "
			"the BAR cannot be placed",
			name, i, back);
		return -EINVAL;
	}
	align = size < PAGE ? PAGE : size;
	r = reachable(br, n, &closed);
	addr = closed < 0 ? first_fit(r, align, LAYOUT_BDF_BUS(f->bdf)) : 0;
	if (!addr || nr_placed == MAX_PLACED) {
		log_no_room(name, i, size, br, n, r, closed);
		return -ENOSPC;
	}
	placed[nr_placed++] = (struct pci_range){ addr, addr + align };
	pci_cfg_write(f->bdf, reg, 4, (uint32_t)addr | (lo & PCI_BAR_FLAGS));
	f->kind[i] = is64 ? BAR_MEM64_LO : BAR_MEM32;
	f->shadow[i] = (uint32_t)addr | (lo & PCI_BAR_FLAGS);
	f->size[i] = size;
	if (is64) {
		pci_cfg_write(f->bdf, reg + 4, 4, 0);
		f->kind[i + 1] = BAR_MEM64_HI;
		f->shadow[i + 1] = 0;
		f->size[i + 1] = size;
	}
	return is64 ? 1 : 0;
}

int pci_bars_place(struct pci_fn *f, const char *name, const uint16_t *br, int n)
{
	int ret = 0;

	for (int i = 0; i < PCI_NR_BARS && ret >= 0; i++) {
		ret = place_bar(f, i, name, br, n);
		if (ret > 0)
			i++;
	}
	pci_cfg_write(f->bdf, PCI_ROM_ADDRESS, 4, 0);
	/* A port forwards requests down only with Memory Space on, DMA up only with Bus Master. */
	for (int b = 0; b < n && ret >= 0; b++)
		pci_cfg_write(br[b], PCI_COMMAND, 2,
			      pci_cfg_read(br[b], PCI_COMMAND, 2) | PCI_CMD_MEMORY |
				      PCI_CMD_MASTER);
	return ret < 0 ? ret : 0;
}
