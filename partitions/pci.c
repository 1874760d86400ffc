// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI pass-through on a generic ECAM host (docs/pci.md).
 *
 * - Config space: the ECAM window is not mapped into any cell. A cell that
 *   owns functions traps on it; its own functions' registers are forwarded
 *   to the real ECAM, except the BARs and the expansion ROM, which are
 *   emulated, and COMMAND, whose IO-space bit is dropped; writes into the
 *   extended capabilities that would make the function decode addresses
 *   the hypervisor did not place (SR-IOV, Resizable BAR) are dropped and
 *   logged. Every other function reads as absent (all ones) and config
 *   writes to it are dropped and logged.
 * - BARs: placed by the hypervisor at boot, whatever firmware did, from the
 *   host bridge's 32-bit memory window, each aligned to its size and to at
 *   least 4 KiB so that no two functions share a page; mapped 1:1 (IPA = CPU
 *   address) into the owning cell. A guest sizes a BAR the usual way (write
 *   all ones, read the mask back); any other value it writes is ignored, so a
 *   BAR never leaves the window the hypervisor granted; the placement is
 *   written to the device again on every BAR write and whenever memory
 *   decode is turned on, because a function reset (FLR, D3hot) clears it.
 *   I/O BARs and expansion ROMs are not offered (read as 0).
 * - DMA: each function's requester ID is mapped to its SMMU stream through
 *   the host's iommu-map and given to the cell (smmu/).
 * - Every function on the root bus starts quiesced (decode and bus mastering
 *   off); only a cell turns its own back on.
 */
#include <errno.h>
#include <libfdt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "arch/vcpu.h"
#include "cell.h"
#include "log.h"
#include "mmio.h"
#include "mmu.h"
#include "pci.h"
#include "smmu.h"

#define PCI_VENDOR_ID	  0x00
#define PCI_COMMAND	  0x04
#define PCI_HEADER_TYPE	  0x0e
#define PCI_BAR0	  0x10
#define PCI_NR_BARS	  6
#define PCI_ROM_ADDRESS	  0x30
#define PCI_INTERRUPT_PIN 0x3d
#define PCI_EXT_CAP	  0x100
#define PCI_EXT_SRIOV	  0x0010 /* SR-IOV: VF Enable and the VF BARs */
#define PCI_EXT_REBAR	  0x0015 /* Resizable BAR */
#define PCI_EXT_VF_REBAR  0x0024 /* VF Resizable BAR */
#define PCI_CMD_IO	  (1u << 0)
#define PCI_CMD_MEMORY	  (1u << 1)
#define PCI_CMD_MASTER	  (1u << 2)
#define PCI_CMD_PARITY	  (1u << 6)
#define PCI_CMD_SERR	  (1u << 8)
#define PCI_CMD_INTX_DIS  (1u << 10)
#define PCI_CMD_ALLOWED \
	(PCI_CMD_MEMORY | PCI_CMD_MASTER | PCI_CMD_PARITY | PCI_CMD_SERR | PCI_CMD_INTX_DIS)
#define PCI_BAR_IO	  0x1u
#define PCI_BAR_MEM_64	  0x4u
#define PCI_BAR_FLAGS	  0xfu
#define ECAM_BUS_SIZE	  (1ULL << 20)
#define ECAM_FN_SIZE	  (1ULL << 12)
#define FOREIGN_LOG_LIMIT 8
#define PAGE		  0x1000ULL

enum bar_kind {
	BAR_NONE,
	BAR_MEM32,
	BAR_MEM64_LO,
	BAR_MEM64_HI,
};

struct pci_fn {
	uint16_t bdf;
	enum bar_kind kind[PCI_NR_BARS];
	uint32_t shadow[PCI_NR_BARS]; /* what the guest reads: address | flags */
	uint64_t size[PCI_NR_BARS];   /* of the whole BAR (both halves of a 64-bit one) */
	bool sizing[PCI_NR_BARS];     /* the guest wrote all ones: it reads the mask */
};

static struct pci_fn fns[LAYOUT_MAX_CELLS][LAYOUT_MAX_PCI];
static uint32_t foreign_writes[LAYOUT_MAX_CELLS];
static const struct platform_pcie *host;
/* The host bridge's 32-bit memory window: PCI address, CPU address, size. */
static uint64_t win_pci, win_cpu, win_size, win_next;
static bool host_ready;

static volatile void *cfg_addr(uint16_t bdf, uint32_t reg)
{
	return (volatile void *)(uintptr_t)(host->ecam.base +
					    (uint64_t)(LAYOUT_BDF_BUS(bdf) - host->bus_first) *
						    ECAM_BUS_SIZE +
					    (uint64_t)(bdf & 0xff) * ECAM_FN_SIZE + reg);
}

static uint32_t cfg_read(uint16_t bdf, uint32_t reg, unsigned int size)
{
	volatile void *a = cfg_addr(bdf, reg);

	if (size == 1)
		return *(volatile uint8_t *)a;
	if (size == 2)
		return *(volatile uint16_t *)a;
	return *(volatile uint32_t *)a;
}

static void cfg_write(uint16_t bdf, uint32_t reg, unsigned int size, uint32_t v)
{
	volatile void *a = cfg_addr(bdf, reg);

	if (size == 1)
		*(volatile uint8_t *)a = (uint8_t)v;
	else if (size == 2)
		*(volatile uint16_t *)a = (uint16_t)v;
	else
		*(volatile uint32_t *)a = v;
}

static void bdf_str(uint16_t bdf, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x.%u", (unsigned int)LAYOUT_BDF_BUS(bdf),
		 (unsigned int)LAYOUT_BDF_DEV(bdf), (unsigned int)LAYOUT_BDF_FN(bdf));
}

/* The first 32-bit memory window in the host's ranges: BARs are placed there. */
static int find_window(const void *fdt)
{
	uint64_t win[3];
	int ret = platform_pcie_mem32_window(fdt, host, win);

	if (ret)
		return ret;
	win_pci = win[0];
	win_cpu = win[1];
	win_size = win[2];
	win_next = win_pci;
	return 0;
}

/* Every function of the root bus (and of @bus): decode and bus mastering off. */
static void quiesce_bus(unsigned int bus)
{
	for (unsigned int devfn = 0; devfn < 256; devfn++) {
		uint16_t bdf = (uint16_t)(bus << 8 | devfn);

		if (cfg_read(bdf, PCI_VENDOR_ID, 2) == 0xffff) {
			if ((devfn & 7) == 0)
				devfn += 7; /* no function 0: no device */
			continue;
		}
		/* Type 0 (endpoints) only: a bridge's routing is left as firmware set it. */
		if ((cfg_read(bdf, PCI_HEADER_TYPE, 1) & 0x7f) == 0)
			cfg_write(bdf, PCI_COMMAND, 2,
				  cfg_read(bdf, PCI_COMMAND, 2) &
					  ~(PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER));
	}
}

static int host_init(const struct platform *plat, const void *fdt)
{
	int ret;

	if (host_ready)
		return 0;
	host = &plat->pcie;
	ret = mmu_map_device(host->ecam.base,
			     (uint64_t)(host->bus_last - host->bus_first + 1) * ECAM_BUS_SIZE);
	if (ret) {
		log_err("pci: cannot map the ECAM window at 0x%lx (%d)",
			(unsigned long)host->ecam.base, ret);
		return ret;
	}
	if (find_window(fdt)) {
		log_err("pci: %s: ranges: no 32-bit memory window to place BARs in", host->path);
		return -EINVAL;
	}
	quiesce_bus(host->bus_first);
	host_ready = true;
	log_info("pci: BARs placed from the 32-bit window 0x%lx+0x%lx; every root-bus function "
		 "quiesced",
		 (unsigned long)win_cpu, (unsigned long)win_size);
	return 0;
}

/* Size BAR @i (decode is off), place it, program it. */
static int place_bar(struct pci_fn *f, int i, const char *name)
{
	uint32_t reg = PCI_BAR0 + 4 * (uint32_t)i, orig = cfg_read(f->bdf, reg, 4), lo, hi = 0;
	uint64_t mask, size, align, addr;
	bool is64 = (orig & PCI_BAR_MEM_64) && !(orig & PCI_BAR_IO);

	if (is64 && i == PCI_NR_BARS - 1)
		return -EINVAL;
	cfg_write(f->bdf, reg, 4, 0xffffffff);
	lo = cfg_read(f->bdf, reg, 4);
	if (is64) {
		cfg_write(f->bdf, reg + 4, 4, 0xffffffff);
		hi = cfg_read(f->bdf, reg + 4, 4);
	}
	if (orig & PCI_BAR_IO || (lo & ~PCI_BAR_FLAGS) == 0) {
		cfg_write(f->bdf, reg, 4, 0); /* I/O or unimplemented: not offered */
		return is64 ? 1 : 0;
	}
	mask = ((uint64_t)(is64 ? hi : 0xffffffff) << 32) | (lo & ~PCI_BAR_FLAGS);
	size = ~mask + 1;
	align = size < PAGE ? PAGE : size;
	addr = (win_next + align - 1) & ~(align - 1);
	if (addr + align > win_pci + win_size || addr + align > 1ULL << 32) {
		log_err("pci: %s: BAR%d (%lu KiB) does not fit the 32-bit window", name, i,
			(unsigned long)(size >> 10));
		return -ENOSPC;
	}
	win_next = addr + align;
	cfg_write(f->bdf, reg, 4, (uint32_t)addr | (lo & PCI_BAR_FLAGS));
	f->kind[i] = is64 ? BAR_MEM64_LO : BAR_MEM32;
	f->shadow[i] = (uint32_t)addr | (lo & PCI_BAR_FLAGS);
	f->size[i] = size;
	if (is64) {
		cfg_write(f->bdf, reg + 4, 4, 0);
		f->kind[i + 1] = BAR_MEM64_HI;
		f->shadow[i + 1] = 0;
		f->size[i + 1] = size;
	}
	return is64 ? 1 : 0;
}

static int map_bars(struct cell *cell, struct pci_fn *f, const char *name)
{
	for (int i = 0; i < PCI_NR_BARS; i++) {
		uint64_t cpu, len;
		int ret;

		if (f->kind[i] != BAR_MEM32 && f->kind[i] != BAR_MEM64_LO)
			continue;
		cpu = win_cpu + ((f->shadow[i] & ~PCI_BAR_FLAGS) - win_pci);
		len = (f->size[i] + PAGE - 1) & ~(PAGE - 1);
		if (cell_owns_ram(cell, cpu, 1) || cell_owns_ram(cell, cpu + len - 1, 1)) {
			log_err("%s: pci: %s: BAR%d at 0x%lx overlaps the cell's RAM",
				cell->cfg->label, name, i, (unsigned long)cpu);
			return -EINVAL;
		}
		ret = arch_stage2_map_device(cell, cpu, cpu, len);
		if (ret)
			return ret;
		log_info("%s: pci: %s BAR%d: 0x%lx+0x%lx mapped", cell->cfg->label, name, i,
			 (unsigned long)cpu, (unsigned long)f->size[i]);
	}
	return 0;
}

/* RID -> stream ID through the host's iommu-map (first entry). */
static int rid_to_sid(uint16_t rid, uint32_t *sid)
{
	if (!host->has_iommu_map || rid < host->iommu_rid_base ||
	    rid - host->iommu_rid_base >= host->iommu_len)
		return -ENOENT;
	*sid = host->iommu_sid_base + (rid - host->iommu_rid_base);
	return 0;
}

static int fn_setup(struct cell *cell, struct pci_fn *f, uint32_t intx)
{
	char name[16];
	uint32_t sid, pin;
	int ret = 0;

	bdf_str(f->bdf, name, sizeof(name));
	if (cfg_read(f->bdf, PCI_VENDOR_ID, 2) == 0xffff) {
		log_err("%s: pci-devices: %s: no function there", cell->cfg->label, name);
		return -ENODEV;
	}
	if ((cfg_read(f->bdf, PCI_HEADER_TYPE, 1) & 0x7f) != 0) {
		log_err("%s: pci-devices: %s: a bridge cannot be assigned (endpoints only)",
			cell->cfg->label, name);
		return -EINVAL;
	}
	pin = cfg_read(f->bdf, PCI_INTERRUPT_PIN, 1);
	if (pin > 1 && pin <= 4) {
		/* The layout routed (and the guest DT maps) INTA# only. */
		log_err("%s: pci-devices: %s: uses INT%c#; only INTA# is routed to a cell",
			cell->cfg->label, name, (char)('A' + pin - 1));
		return -EINVAL;
	}
	cfg_write(f->bdf, PCI_COMMAND, 2, 0);
	for (int i = 0; i < PCI_NR_BARS && ret >= 0; i++) {
		ret = place_bar(f, i, name);
		if (ret > 0)
			i++;
	}
	cfg_write(f->bdf, PCI_ROM_ADDRESS, 4, 0);
	if (ret >= 0)
		ret = map_bars(cell, f, name);
	if (ret)
		return ret;
	log_info("%s: pci: %s (%04x:%04x) assigned", cell->cfg->label, name, cfg_read(f->bdf, 0, 2),
		 cfg_read(f->bdf, 2, 2));
	if (pin == 1 && intx)
		log_info("%s: pci: %s INTA# -> INTID %u", cell->cfg->label, name, intx);
	if (!smmu_enabled())
		return 0;
	if (rid_to_sid(f->bdf, &sid)) {
		log_err("%s: pci-devices: %s: the host's iommu-map gives it no SMMU stream",
			cell->cfg->label, name);
		return -EINVAL;
	}
	return smmu_assign(cell, sid);
}

/* DMA the SMMU cannot contain is only allowed where the layout says so. */
static int check_containment(struct cell *cell)
{
	const struct layout_cell *cfg = cell->cfg;
	bool uncontained = cfg->nr_pci && !smmu_enabled();

	for (int i = 0; i < cfg->nr_devices; i++)
		uncontained |=
			cfg->devices[i].dma && (!smmu_enabled() || cfg->devices[i].nr_sids == 0);
	if (!uncontained)
		return 0;
	if (cfg->unprotected_dma) {
		log_warn("%s: unprotected-dma: no SMMU contains its DMA: its devices can write "
			 "anywhere in memory, the hypervisor's and other cells' included",
			 cfg->label);
		return 0;
	}
	log_err("%s: DMA-capable devices need an SMMU to contain them and it is not available; "
		"refusing the cell (unprotected-dma; in the layout accepts this)",
		cfg->label);
	return -ENODEV;
}

static int device_streams(struct cell *cell)
{
	const struct layout_cell *cfg = cell->cfg;
	int ret = 0;

	for (int i = 0; i < cfg->nr_devices && !ret; i++)
		for (int j = 0; j < cfg->devices[i].nr_sids && !ret; j++)
			ret = smmu_assign(cell, cfg->devices[i].sids[j]);
	return ret;
}

int pci_cell_create(struct cell *cell, const struct platform *plat, const void *board_fdt)
{
	const struct layout_cell *cfg = cell->cfg;
	int i, ret = 0;
	bool streams = false;

	for (i = 0; i < cfg->nr_devices; i++)
		streams |= cfg->devices[i].dma;
	if (!cfg->nr_pci && !streams)
		return 0;
	ret = check_containment(cell);
	if (!ret && smmu_enabled())
		ret = device_streams(cell);
	if (ret || !cfg->nr_pci)
		return ret;
	if (!plat->pcie.present)
		return -ENODEV; /* the layout parser has said so */
	ret = host_init(plat, board_fdt);
	for (i = 0; i < cfg->nr_pci && !ret; i++) {
		struct pci_fn *f = &fns[cell->id][i];

		memset(f, 0, sizeof(*f));
		f->bdf = cfg->pci[i];
		if (LAYOUT_BDF_BUS(f->bdf) != host->bus_first)
			quiesce_bus(LAYOUT_BDF_BUS(f->bdf));
		ret = fn_setup(cell, f, cfg->pci_intx[i]);
	}
	return ret;
}

void pci_cell_quiesce(struct cell *cell)
{
	if (!host_ready)
		return;
	for (int i = 0; i < cell->cfg->nr_pci; i++) {
		struct pci_fn *f = &fns[cell->id][i];

		cfg_write(f->bdf, PCI_COMMAND, 2, 0);
		memset(f->sizing, 0, sizeof(f->sizing));
	}
}

/* --- config space emulation ------------------------------------------------ */

bool pci_ecam_claims(const struct cell *cell, uint64_t ipa)
{
	return host_ready && cell->cfg->nr_pci && ipa >= host->ecam.base &&
	       ipa - host->ecam.base <
		       (uint64_t)(host->bus_last - host->bus_first + 1) * ECAM_BUS_SIZE;
}

static struct pci_fn *fn_of(const struct cell *cell, uint16_t bdf)
{
	for (int i = 0; i < cell->cfg->nr_pci; i++)
		if (fns[cell->id][i].bdf == bdf)
			return &fns[cell->id][i];
	return NULL;
}

static uint32_t bar_read(const struct pci_fn *f, int i)
{
	uint64_t mask = ~(f->size[i] - 1);

	if (!f->sizing[i])
		return f->shadow[i];
	switch (f->kind[i]) {
	case BAR_MEM32:
	case BAR_MEM64_LO:
		return ((uint32_t)mask & ~PCI_BAR_FLAGS) | (f->shadow[i] & PCI_BAR_FLAGS);
	case BAR_MEM64_HI:
		return (uint32_t)(mask >> 32);
	default:
		return 0;
	}
}

/* BARs and the ROM: emulated from the shadow (any size, any byte inside the dword). */
static bool emulated_reg(uint32_t reg)
{
	return (reg >= PCI_BAR0 && reg < PCI_BAR0 + 4 * PCI_NR_BARS) ||
	       (reg >= PCI_ROM_ADDRESS && reg < PCI_ROM_ADDRESS + 4);
}

static uint64_t own_read(const struct pci_fn *f, uint32_t reg, unsigned int size)
{
	uint32_t dword = 0, shift = (reg & 3) * 8;

	if (!emulated_reg(reg))
		return cfg_read(f->bdf, reg, size);
	if (reg < PCI_BAR0 + 4 * PCI_NR_BARS)
		dword = bar_read(f, (int)((reg - PCI_BAR0) / 4));
	return size == 4 ? dword : (dword >> shift) & ((1u << (size * 8)) - 1);
}

/*
 * The placement, written to the device again: a function reset (FLR, or
 * D3hot to D0) clears BARs, and the guest's own restore is ignored.
 */
static void bars_program(const struct pci_fn *f)
{
	for (int i = 0; i < PCI_NR_BARS; i++)
		cfg_write(f->bdf, PCI_BAR0 + 4 * (uint32_t)i, 4, f->shadow[i]);
	cfg_write(f->bdf, PCI_ROM_ADDRESS, 4, 0);
}

/*
 * The extended capability of @f that holds @reg, if it is one that moves or
 * adds address decoding (VFs with their own BARs, BARs that grow past their
 * placement); 0 otherwise. The list is read-only hardware: walked, bounded.
 */
static uint32_t decode_capability(const struct pci_fn *f, uint32_t reg)
{
	static const uint16_t sizes[][2] = { { PCI_EXT_SRIOV, 0x40 },
					     { PCI_EXT_REBAR, 0x34 },
					     { PCI_EXT_VF_REBAR, 0x34 } };
	uint32_t at = PCI_EXT_CAP;

	for (int n = 0; n < 64 && at >= PCI_EXT_CAP && at < ECAM_FN_SIZE && !(at & 3); n++) {
		uint32_t hdr = cfg_read(f->bdf, at, 4);

		for (unsigned int k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
			if ((hdr & 0xffff) == sizes[k][0] && reg >= at && reg < at + sizes[k][1])
				return hdr & 0xffff;
		at = hdr >> 20;
	}
	return 0;
}

static void own_write(const struct cell *cell, struct pci_fn *f, uint32_t reg, unsigned int size,
		      uint32_t v)
{
	uint32_t cap;
	char name[16];

	if (emulated_reg(reg)) {
		/* Only sizing is honoured: the BAR stays where the hypervisor put it. */
		if (reg < PCI_BAR0 + 4 * PCI_NR_BARS && size == 4)
			f->sizing[(reg - PCI_BAR0) / 4] = v == 0xffffffff;
		bars_program(f);
		return;
	}
	if (reg >= PCI_EXT_CAP && (cap = decode_capability(f, reg)) != 0) {
		if (__atomic_add_fetch(&foreign_writes[cell->id], 1, __ATOMIC_RELAXED) <=
		    FOREIGN_LOG_LIMIT) {
			bdf_str(f->bdf, name, sizeof(name));
			log_warn("%s: pci: config write to %s +0x%x dropped: %s capability "
				 "(decoding the hypervisor did not place)",
				 cell->cfg->label, name, reg,
				 cap == PCI_EXT_SRIOV ? "SR-IOV" : "Resizable BAR");
		}
		return;
	}
	if (reg <= PCI_COMMAND + 1 && reg + size > PCI_COMMAND) {
		/* The dword at 0x04 is COMMAND (15:0) and STATUS (31:16, passed on). */
		v &= (PCI_CMD_ALLOWED | 0xffff0000u) >> ((reg & 3) * 8);
		if (reg == PCI_COMMAND && (v & PCI_CMD_MEMORY))
			bars_program(f);
	}
	cfg_write(f->bdf, reg, size, v);
}

int pci_ecam_access(struct vcpu *vcpu, struct mmio_access *acc)
{
	struct cell *cell = vcpu->cell;
	uint64_t off = acc->ipa - host->ecam.base;
	uint16_t bdf = (uint16_t)(((off / ECAM_BUS_SIZE + host->bus_first) << 8) |
				  ((off / ECAM_FN_SIZE) & 0xff));
	uint32_t reg = (uint32_t)(off & (ECAM_FN_SIZE - 1));
	struct pci_fn *f;
	char name[16];

	if (acc->size > 4 || (reg & (acc->size - 1)))
		return -EINVAL;
	f = fn_of(cell, bdf);
	if (f && acc->write)
		own_write(cell, f, reg, acc->size, (uint32_t)acc->value);
	else if (f)
		acc->value = own_read(f, reg, acc->size);
	else if (!acc->write)
		acc->value = acc->size == 4 ? 0xffffffffu : (1u << (acc->size * 8)) - 1;
	else if (__atomic_add_fetch(&foreign_writes[cell->id], 1, __ATOMIC_RELAXED) <=
		 FOREIGN_LOG_LIMIT) {
		bdf_str(bdf, name, sizeof(name));
		log_warn("%s: pci: config write to %s +0x%x dropped: not the cell's function",
			 cell->cfg->label, name, reg);
	}
	return 0;
}
