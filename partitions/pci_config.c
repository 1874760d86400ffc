// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's trapped accesses to the ECAM window (docs/pci.md): its own
 * functions' registers go to the device, except the BARs and the ROM
 * (emulated from the placement pci.c made), COMMAND (no I/O decode) and the
 * capabilities that would make the function decode addresses nobody placed
 * (SR-IOV, Multicast, Resizable BAR, Enhanced Allocation): those writes are
 * dropped and logged; and Phantom Functions Enable, which would make it use
 * requester IDs (streams) that are not its own, cannot be set. A function
 * without extended config space (conventional PCI, or 0x100 an alias of
 * 0x000) reads all ones at 0x100-0xfff and takes no writes there. Every other
 * function reads as absent and takes no writes.
 */
#include <errno.h>
#include "cell.h"
#include "log.h"
#include "mmio.h"
#include "nospec.h"
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

/* The BAR at config offset @reg, which the caller checked is one. */
static uint32_t bar_read(const struct pci_fn *f, unsigned int reg)
{
	unsigned int i = (unsigned int)array_index_nospec((reg - PCI_BAR0) / 4, PCI_NR_BARS);
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

/* What a read of @size bytes gives where no function answers. */
static uint32_t all_ones(unsigned int size)
{
	return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

static uint64_t own_read(const struct pci_fn *f, uint32_t reg, unsigned int size)
{
	uint32_t dword = 0, shift = (reg & 3) * 8;

	/* Beyond a 256-byte config space: all ones, as a PCIe-to-PCI bridge answers (UR). */
	if (reg >= PCI_EXT_CAP && !f->ext_cfg)
		return all_ones(size);
	if (!emulated_reg(reg))
		return pci_cfg_read(f->bdf, reg, size);
	if (reg < PCI_BAR0 + 4 * PCI_NR_BARS)
		dword = bar_read(f, reg);
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
 * Capabilities that move or add address decoding: VFs with their own BARs,
 * BARs that grow past their placement, a multicast window or overlay BAR,
 * ranges fixed by the hardware (or written by software) switched on by a bit.
 * And ACS, whose redirection the hypervisor may have turned on to keep a
 * function's peer-to-peer traffic away from another cell's function of the
 * same device (pci.c): its Capability and Control registers. A write into
 * one is dropped. Their lists are read-only hardware: walked, bounded, on
 * each write that could fall in one.
 */
#define DECODE_WHY " (decoding the hypervisor did not place)"

static const struct {
	uint16_t id;
	uint16_t size;
	const char *name;
} decode_ext_caps[] = {
	{ PCI_EXT_SRIOV, 0x40, "SR-IOV capability" DECODE_WHY },
	{ PCI_EXT_MCAST, 0x28, "Multicast capability" DECODE_WHY }, /* a port's: overlay BAR more */
	{ PCI_EXT_REBAR, 0x34, "Resizable BAR capability" DECODE_WHY },
	{ PCI_EXT_VF_REBAR, 0x34, "VF Resizable BAR capability" DECODE_WHY },
	{ PCI_EXT_ACS, 0x08, "ACS capability (peer-to-peer isolation is the hypervisor's)" },
};

/* Header type 1: a bridge or a port, whose capabilities may be longer. */
static bool is_bridge(const struct pci_fn *f)
{
	return (pci_cfg_read(f->bdf, PCI_HEADER_TYPE, 1) & 0x7f) == 1;
}

/* How many bytes of extended capability @id a write must not reach (0: any), and its name. */
static uint32_t decode_ext_span(const struct pci_fn *f, uint32_t id, const char **name)
{
	for (unsigned int k = 0; k < sizeof(decode_ext_caps) / sizeof(decode_ext_caps[0]); k++) {
		if (id != decode_ext_caps[k].id)
			continue;
		*name = decode_ext_caps[k].name;
		return decode_ext_caps[k].size + (id == PCI_EXT_MCAST && is_bridge(f) ? 8 : 0);
	}
	return 0;
}

static const char *decode_ext_capability(const struct pci_fn *f, uint32_t reg)
{
	uint32_t at = PCI_EXT_CAP;

	for (int n = 0; n < 64 && at >= PCI_EXT_CAP && at < ECAM_FN_SIZE && !(at & 3); n++) {
		uint32_t hdr = pci_cfg_read(f->bdf, at, 4);
		const char *name = NULL;
		uint32_t size = decode_ext_span(f, hdr & 0xffff, &name);

		if (size && reg >= at && reg < at + size)
			return name;
		at = hdr >> 20;
	}
	return NULL;
}

/*
 * The Enhanced Allocation capability at @at: a header dword, one more on a
 * bridge, then entries whose first dword gives the number of dwords that
 * follow (Entry Size). Its size in bytes; *@enabled (if not NULL): its first
 * entry whose Enable bit is set, or -1.
 */
static uint32_t ea_walk(const struct pci_fn *f, uint32_t at, int *enabled)
{
	uint32_t hdr = pci_cfg_read(f->bdf, at, 4), size = is_bridge(f) ? 8 : 4, dw0;

	if (enabled)
		*enabled = -1;
	for (uint32_t e = 0; e < ((hdr >> 16) & 0x3f) && at + size < PCI_EXT_CAP; e++) {
		dw0 = pci_cfg_read(f->bdf, at + size, 4);
		if (enabled && *enabled < 0 && (dw0 & PCI_EA_ENABLE))
			*enabled = (int)e;
		size += 4 * (1 + (dw0 & 7));
	}
	return size;
}

/*
 * The next capability @id in @bdf's standard list, from the pointer at
 * config offset @ptr on; *@ttl entries may still be visited, so that a list
 * that loops ends (48 in all: what fits in 0x40-0xff). 0 if none.
 */
static uint8_t std_cap_next(uint16_t bdf, uint32_t ptr, uint8_t id, int *ttl)
{
	uint32_t at = pci_cfg_read(bdf, ptr, 1) & 0xfc;

	while (*ttl > 0 && at >= PCI_CAP_FIRST && at < PCI_EXT_CAP) {
		uint32_t hdr = pci_cfg_read(bdf, at, 2);

		(*ttl)--;
		if ((hdr & 0xff) == id)
			return (uint8_t)at;
		at = (hdr >> 8) & 0xfc;
	}
	return 0;
}

/* The first capability @id of @bdf (0: no list, or none). */
static uint8_t std_cap_first(uint16_t bdf, uint8_t id, int *ttl)
{
	if (!(pci_cfg_read(bdf, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return 0;
	return std_cap_next(bdf, PCI_CAP_PTR, id, ttl);
}

int pci_config_ea_enabled(const struct pci_fn *f)
{
	int ttl = 48, enabled = -1;

	for (uint32_t at = std_cap_first(f->bdf, PCI_CAP_EA, &ttl); at && enabled < 0;
	     at = std_cap_next(f->bdf, at + 1, PCI_CAP_EA, &ttl))
		ea_walk(f, at, &enabled);
	return enabled;
}

static const char *decode_std_capability(const struct pci_fn *f, uint32_t reg)
{
	int ttl = 48;

	for (uint32_t at = std_cap_first(f->bdf, PCI_CAP_EA, &ttl); at;
	     at = std_cap_next(f->bdf, at + 1, PCI_CAP_EA, &ttl))
		if (reg >= at && reg < at + ea_walk(f, at, NULL))
			return "Enhanced Allocation capability" DECODE_WHY;
	return NULL;
}

uint8_t pci_config_capability(uint16_t bdf, uint8_t id)
{
	int ttl = 48;

	return std_cap_first(bdf, id, &ttl);
}

/*
 * 0x100 of a PCI Express function reads neither all ones nor the same as
 * 0x000 (its IDs), and no later 256-byte step reads its IDs either: a
 * function that decodes 9 to 11 offset bits repeats 0x000 at 0x200, 0x400
 * or 0x800, where a write would reach COMMAND and the BARs past the
 * header's filters.
 */
static bool ext_cfg_own(uint16_t bdf)
{
	uint32_t ids = pci_cfg_read(bdf, PCI_VENDOR_ID, 4), ext = pci_cfg_read(bdf, PCI_EXT_CAP, 4);

	if (ext == 0xffffffffu || ext == ids)
		return false;
	for (uint32_t at = 2 * PCI_EXT_CAP; at < ECAM_FN_SIZE; at += PCI_EXT_CAP)
		if (pci_cfg_read(bdf, at, 4) == ids)
			return false;
	return true;
}

uint32_t pci_config_ext_capability(uint16_t bdf, uint16_t id)
{
	uint32_t at = PCI_EXT_CAP;

	if (!pci_config_capability(bdf, PCI_CAP_EXP) || !ext_cfg_own(bdf))
		return 0;
	for (int n = 0; n < 64 && at >= PCI_EXT_CAP && at < ECAM_FN_SIZE && !(at & 3); n++) {
		uint32_t hdr = pci_cfg_read(bdf, at, 4);

		if ((hdr & 0xffff) == id)
			return at;
		at = hdr >> 20;
	}
	return 0;
}

/*
 * Phantom Functions Enable lets the device tag requests with the unused
 * function numbers of its device: requester IDs, hence SMMU streams, that
 * no cell owns and that may be another cell's functions. Firmware's setting
 * is cleared here and the guest's writes cannot set it.
 *
 * Offsets 0x100-0xfff exist only for a PCI Express function (a conventional
 * one has 256 bytes; what the host bridge does with more is its own
 * business), and some functions decode only 8 bits of the offset, so that
 * 0x100 is 0x000 again: BARs and COMMAND behind the emulation. Like Linux
 * (pci_cfg_space_size()), a function has extended config space if it has a
 * PCI Express capability and 0x100 reads neither all ones nor its IDs.
 */
void pci_config_probe(struct pci_fn *f)
{
	uint32_t devctl;

	f->pcie_cap = pci_config_capability(f->bdf, PCI_CAP_EXP);
	f->ext_cfg = false;
	if (!f->pcie_cap)
		return;
	f->ext_cfg = ext_cfg_own(f->bdf);
	devctl = pci_cfg_read(f->bdf, f->pcie_cap + PCI_EXP_DEVCTL, 2);
	f->devctl_kept = (uint16_t)(devctl & PCI_EXP_DEVCTL_KEPT & ~PCI_EXP_DEVCTL_PHANTOM);
	if (devctl & PCI_EXP_DEVCTL_PHANTOM)
		pci_cfg_write(f->bdf, f->pcie_cap + PCI_EXP_DEVCTL, 2,
			      devctl & ~PCI_EXP_DEVCTL_PHANTOM);
}

/* A guest's config write not carried out (in whole or part): the first few per cell are told. */
static bool report_allowed(const struct cell *cell)
{
	return __atomic_add_fetch(&dropped_writes[cell->id], 1, __ATOMIC_RELAXED) <=
	       DROPPED_LOG_LIMIT;
}

/* A config write not carried out: logged (the first few per cell), never silently. */
static void report_dropped(const struct cell *cell, uint16_t bdf, uint32_t reg, const char *why,
			   const char *detail)
{
	char name[16];

	if (!report_allowed(cell))
		return;
	pci_bdf_str(bdf, name, sizeof(name));
	log_warn("%s: pci: config write to %s +0x%x dropped: %s%s", cell->cfg->label, name, reg,
		 why, detail);
}

/*
 * Device Control (the low half of its dword) keeps some fields at what they
 * were when the function was assigned, whatever the guest writes, so also
 * when it restores them after a function reset: Phantom Functions Enable
 * (0: with it the device tags requests with other function numbers, so
 * streams not its own), Max_Payload_Size (firmware matched it to the link
 * partner, a port the guest does not see; larger TLPs are malformed there)
 * and the error reporting enables (error messages go to the root port, the
 * board's RAS, not the cell's).
 */
static uint32_t devctl_write(const struct pci_fn *f, uint32_t reg, unsigned int size, uint32_t v)
{
	unsigned int shift = (reg & 3) * 8;
	uint32_t lanes = size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	uint32_t kept = (PCI_EXP_DEVCTL_KEPT >> shift) & lanes;

	return (v & ~kept) | (((uint32_t)f->devctl_kept >> shift) & kept);
}

/*
 * Decode or Bus Master asked for after a function reset that ACS did not
 * come back from (pci_acs_restore()): with redirection off, the function
 * and another cell's function of its device reach each other without the
 * SMMU. Both bits stay off in this write; the next COMMAND write tries again.
 */
static uint32_t command_without_acs(const struct cell *cell, const struct pci_fn *f, uint32_t v)
{
	uint32_t at = pci_config_ext_capability(f->bdf, PCI_EXT_ACS);
	char name[16];

	if (report_allowed(cell)) {
		pci_bdf_str(f->bdf, name, sizeof(name));
		log_err("%s: pci: %s: ACS redirection did not take after a function reset "
			"(Control 0x%04x): Bus Master and Memory kept off, tried again at the "
			"next COMMAND write",
			cell->cfg->label, name,
			at ? pci_cfg_read(f->bdf, at + PCI_ACS_CTRL, 2) : 0xffffu);
	}
	return v & ~(PCI_CMD_MEMORY | PCI_CMD_MASTER);
}

/* The BARs as placed: a function reset clears them (a vCPU's FLR, one still under way). */
static bool bars_in_place(const struct pci_fn *f)
{
	for (int i = 0; i < PCI_NR_BARS; i++) {
		uint32_t mask = f->kind[i] == BAR_MEM64_HI ? ~0u : ~0xfu;

		if (f->kind[i] != BAR_NONE && (pci_cfg_read(f->bdf, PCI_BAR0 + 4 * (uint32_t)i, 4) &
					       mask) != (f->shadow[i] & mask))
			return false;
	}
	return true;
}

/*
 * Memory or Bus Master just went on: a reset that completed between the
 * placement and the COMMAND write (an FLR the guest started just before,
 * whose config writes the function dropped meanwhile) left it decoding at
 * its reset BARs, or mastering with ACS off. Then both go off again at
 * once; the next COMMAND write places it anew.
 */
static void enable_check(const struct cell *cell, struct pci_fn *f, uint32_t command)
{
	char name[16];

	if (bars_in_place(f) && pci_acs_restore(f))
		return;
	pci_cfg_write(f->bdf, PCI_COMMAND, 2, command & ~(PCI_CMD_MEMORY | PCI_CMD_MASTER));
	if (report_allowed(cell)) {
		pci_bdf_str(f->bdf, name, sizeof(name));
		log_err("%s: pci: %s: reset while Memory or Bus Master was turned on (BARs or ACS "
			"not as placed): both off again, tried again at the next COMMAND write",
			cell->cfg->label, name);
	}
}

static void own_write_locked(const struct cell *cell, struct pci_fn *f, uint32_t reg,
			     unsigned int size, uint32_t v)
{
	const char *cap = NULL;

	if (emulated_reg(reg)) {
		/* Only sizing is honoured: the BAR stays where the hypervisor put it. */
		if (reg < PCI_BAR0 + 4 * PCI_NR_BARS && size == 4)
			f->sizing[array_index_nospec((reg - PCI_BAR0) / 4, PCI_NR_BARS)] =
				v == 0xffffffff;
		bars_program(f);
		return;
	}
	if (reg >= PCI_EXT_CAP && !f->ext_cfg) {
		report_dropped(cell, f->bdf, reg, "beyond its 256-byte config space",
			       f->pcie_cap ? " (its extended space repeats 0x000: an alias)"
					   : " (conventional PCI: no PCI Express capability)");
		return;
	}
	if (reg >= PCI_EXT_CAP)
		cap = decode_ext_capability(f, reg);
	else if (reg >= PCI_CAP_FIRST)
		cap = decode_std_capability(f, reg);
	if (cap) {
		report_dropped(cell, f->bdf, reg, cap, "");
		return;
	}
	if (f->pcie_cap && (reg & ~3u) == f->pcie_cap + PCI_EXP_DEVCTL)
		v = devctl_write(f, reg, size, v);
	if (reg <= PCI_COMMAND + 1 && reg + size > PCI_COMMAND) {
		/* The dword at 0x04 is COMMAND (15:0) and STATUS (31:16, passed on). */
		v &= (PCI_CMD_ALLOWED | 0xffff0000u) >> ((reg & 3) * 8);
		if (reg == PCI_COMMAND && (v & PCI_CMD_MEMORY))
			bars_program(f);
		if (reg == PCI_COMMAND && (v & (PCI_CMD_MEMORY | PCI_CMD_MASTER)) &&
		    !pci_acs_restore(f))
			v = command_without_acs(cell, f, v);
	}
	pci_cfg_write(f->bdf, reg, size, v);
	if (reg == PCI_COMMAND && (v & (PCI_CMD_MEMORY | PCI_CMD_MASTER)))
		enable_check(cell, f, v & 0xffff);
}

/*
 * One vCPU at a time: another's FLR or BAR write must not land between
 * placing the BARs, checking ACS and turning decoding on.
 */
static void own_write(const struct cell *cell, struct pci_fn *f, uint32_t reg, unsigned int size,
		      uint32_t v)
{
	spin_lock(&f->lock);
	own_write_locked(cell, f, reg, size, v);
	spin_unlock(&f->lock);
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
		acc->value = all_ones(acc->size);
	else
		report_dropped(cell, bdf, reg, "not the cell's function", "");
	return 0;
}
