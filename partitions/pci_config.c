// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's trapped accesses to the ECAM window (docs/pci.md): its own
 * functions' registers go to the device, except the BARs and the ROM
 * (emulated from the placement pci.c made), COMMAND (no I/O decode) and the
 * extended capabilities that would make the function decode addresses
 * nobody placed (SR-IOV, Resizable BAR): those writes are dropped and
 * logged. Every other function reads as absent and takes no writes.
 */
#include <errno.h>
#include "cell.h"
#include "log.h"
#include "mmio.h"
#include "pci.h"
#include "pci_priv.h"

#define DROPPED_LOG_LIMIT 8

static uint32_t dropped_writes[LAYOUT_MAX_CELLS];

bool pci_ecam_claims(const struct cell *cell, uint64_t ipa)
{
	return pci_host_ready && cell->cfg->nr_pci && ipa >= pci_host->ecam.base &&
	       ipa - pci_host->ecam.base <
		       (uint64_t)(pci_host->bus_last - pci_host->bus_first + 1) * ECAM_BUS_SIZE;
}

static struct pci_fn *fn_of(const struct cell *cell, uint16_t bdf)
{
	for (int i = 0; i < cell->cfg->nr_pci; i++)
		if (pci_fns[cell->id][i].bdf == bdf)
			return &pci_fns[cell->id][i];
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
		return pci_cfg_read(f->bdf, reg, size);
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
		pci_cfg_write(f->bdf, PCI_BAR0 + 4 * (uint32_t)i, 4, f->shadow[i]);
	pci_cfg_write(f->bdf, PCI_ROM_ADDRESS, 4, 0);
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
		uint32_t hdr = pci_cfg_read(f->bdf, at, 4);

		for (unsigned int k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
			if ((hdr & 0xffff) == sizes[k][0] && reg >= at && reg < at + sizes[k][1])
				return hdr & 0xffff;
		at = hdr >> 20;
	}
	return 0;
}

/* A config write not carried out: logged (the first few per cell), never silently. */
static void report_dropped(const struct cell *cell, uint16_t bdf, uint32_t reg, const char *why)
{
	char name[16];

	if (__atomic_add_fetch(&dropped_writes[cell->id], 1, __ATOMIC_RELAXED) > DROPPED_LOG_LIMIT)
		return;
	pci_bdf_str(bdf, name, sizeof(name));
	log_warn("%s: pci: config write to %s +0x%x dropped: %s", cell->cfg->label, name, reg, why);
}

static void own_write(const struct cell *cell, struct pci_fn *f, uint32_t reg, unsigned int size,
		      uint32_t v)
{
	uint32_t cap;

	if (emulated_reg(reg)) {
		/* Only sizing is honoured: the BAR stays where the hypervisor put it. */
		if (reg < PCI_BAR0 + 4 * PCI_NR_BARS && size == 4)
			f->sizing[(reg - PCI_BAR0) / 4] = v == 0xffffffff;
		bars_program(f);
		return;
	}
	if (reg >= PCI_EXT_CAP && (cap = decode_capability(f, reg)) != 0) {
		report_dropped(
			cell, f->bdf, reg,
			cap == PCI_EXT_SRIOV
				? "SR-IOV capability (decoding the hypervisor did not place)"
				: "Resizable BAR capability (decoding the hypervisor did not "
				  "place)");
		return;
	}
	if (reg <= PCI_COMMAND + 1 && reg + size > PCI_COMMAND) {
		/* The dword at 0x04 is COMMAND (15:0) and STATUS (31:16, passed on). */
		v &= (PCI_CMD_ALLOWED | 0xffff0000u) >> ((reg & 3) * 8);
		if (reg == PCI_COMMAND && (v & PCI_CMD_MEMORY))
			bars_program(f);
	}
	pci_cfg_write(f->bdf, reg, size, v);
}

int pci_ecam_access(struct vcpu *vcpu, struct mmio_access *acc)
{
	struct cell *cell = vcpu->cell;
	uint64_t off = acc->ipa - pci_host->ecam.base;
	uint16_t bdf = (uint16_t)(((off / ECAM_BUS_SIZE + pci_host->bus_first) << 8) |
				  ((off / ECAM_FN_SIZE) & 0xff));
	uint32_t reg = (uint32_t)(off & (ECAM_FN_SIZE - 1));
	struct pci_fn *f;

	if (acc->size > 4 || (reg & (acc->size - 1)))
		return -EINVAL;
	f = fn_of(cell, bdf);
	if (f && acc->write)
		own_write(cell, f, reg, acc->size, (uint32_t)acc->value);
	else if (f)
		acc->value = own_read(f, reg, acc->size);
	else if (!acc->write)
		acc->value = acc->size == 4 ? 0xffffffffu : (1u << (acc->size * 8)) - 1;
	else
		report_dropped(cell, bdf, reg, "not the cell's function");
	return 0;
}
