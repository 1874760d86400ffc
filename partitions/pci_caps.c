// SPDX-License-Identifier: GPL-2.0-only
/*
 * A function's capabilities, as the config filter (pci_config.c) needs them:
 * the lists walked (read-only hardware, bounded, as Linux walks them), the
 * capabilities whose writes are dropped because they move or add decoding
 * (or write the device's own storage: VPD), and the AER registers kept at
 * firmware's values. Probed when the function
 * is assigned (pci_config_probe()).
 */
#include "pci.h"
#include "pci_priv.h"

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
	uint16_t id, size;
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

/*
 * One step of the extended list, as Linux walks it: the header at *@at into
 * *@hdr, false at the end. The next pointer's two low bits are reserved and
 * masked (PCIe r6.0 §7.6.3, "software must mask them"); a pointer below
 * 0x100, a header of 0 or all ones ends the list; at most EXT_CAP_TTL
 * headers (*@n counts them), what 0x100-0xfff holds 8 bytes apart, so a
 * list that loops ends. Until 2026-11-24 an unaligned pointer ended the
 * walk and only 64 headers were read: a capability after either was not
 * protected.
 */
#define EXT_CAP_TTL ((uint32_t)(ECAM_FN_SIZE - PCI_EXT_CAP) / 8)

static bool ext_cap_next(uint16_t bdf, uint32_t *at, uint32_t *hdr, uint32_t *n)
{
	if (*n) /* past the first: follow the previous header's pointer */
		*at = (*hdr >> 20) & 0xffcu;
	if (*n >= EXT_CAP_TTL || *at < PCI_EXT_CAP)
		return false;
	(*n)++;
	*hdr = pci_cfg_read(bdf, *at, 4);
	return *hdr && *hdr != 0xffffffffu;
}

static const char *decode_ext_capability(const struct pci_fn *f, uint32_t reg)
{
	uint32_t hdr = 0;

	for (uint32_t at = PCI_EXT_CAP, n = 0; ext_cap_next(f->bdf, &at, &hdr, &n);) {
		const char *name = NULL;
		uint32_t size = decode_ext_span(f, hdr & 0xffff, &name);

		if (size && reg >= at && reg < at + size)
			return name;
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
 * The next capability in @bdf's standard list, whatever its ID (into *@id),
 * from the pointer at config offset @ptr; *@ttl entries may still be
 * visited, so that a list that loops ends (48 in all: what fits in
 * 0x40-0xff). 0 at its end.
 */
static uint8_t std_cap_after(uint16_t bdf, uint32_t ptr, int *ttl, uint8_t *id)
{
	uint32_t at = pci_cfg_read(bdf, ptr, 1) & 0xfc;

	if (*ttl <= 0 || at < PCI_CAP_FIRST || at >= PCI_EXT_CAP)
		return 0;
	(*ttl)--;
	*id = (uint8_t)pci_cfg_read(bdf, at, 1);
	return (uint8_t)at;
}

/* The next capability @id in @bdf's standard list, from the pointer at @ptr on, or 0. */
static uint8_t std_cap_next(uint16_t bdf, uint32_t ptr, uint8_t id, int *ttl)
{
	uint8_t at, found;

	while ((at = std_cap_after(bdf, ptr, ttl, &found)) && found != id)
		ptr = at + 1u;
	return at;
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

/*
 * Vital Product Data (PCI 3.0 §6.4 and Appendix I; ID 0x03, 8 bytes: VPD
 * Address with its F flag, VPD Data): a write of the address starts a read
 * or write of the device's own storage (a serial EEPROM, flash), whose
 * read-write fields (VPD-W) persist across resets and power cycles, for the
 * next cell and the host's firmware to find; some devices hang on an access
 * past the data they hold (Linux's VPD quirks). Not passed through: its
 * writes are dropped, as the SR-IOV capability's, its reads pass. A guest's
 * VPD read then waits for an F that does not change: Linux's
 * pci_vpd_wait() gives up after its timeout and the device has no VPD.
 */
#define VPD_WHY                                                                             \
	"VPD capability (it writes the device's own storage, which outlives the cell: not " \
	"passed through)"

/* Enhanced Allocation and VPD, in one walk of the list: at most 48 entries per write. */
static const char *decode_std_capability(const struct pci_fn *f, uint32_t reg)
{
	int ttl = 48;
	uint8_t id;

	if (!(pci_cfg_read(f->bdf, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return NULL;
	for (uint32_t at = std_cap_after(f->bdf, PCI_CAP_PTR, &ttl, &id); at;
	     at = std_cap_after(f->bdf, at + 1, &ttl, &id)) {
		if (id == PCI_CAP_EA && reg >= at && reg < at + ea_walk(f, at, NULL))
			return "Enhanced Allocation capability" DECODE_WHY;
		if (id == PCI_CAP_VPD && reg >= at && reg < at + PCI_VPD_CAP_SIZE)
			return VPD_WHY;
	}
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

/* Extended capability @id of @bdf, whose extended config space is known to be its own, or 0. */
static uint32_t ext_cap_find(uint16_t bdf, uint16_t id)
{
	uint32_t hdr = 0;

	for (uint32_t at = PCI_EXT_CAP, n = 0; ext_cap_next(bdf, &at, &hdr, &n);)
		if ((hdr & 0xffff) == id)
			return at;
	return 0;
}

uint32_t pci_config_ext_capability(uint16_t bdf, uint16_t id)
{
	if (!pci_config_capability(bdf, PCI_CAP_EXP) || !ext_cfg_own(bdf))
		return 0;
	return ext_cap_find(bdf, id);
}

/*
 * AER registers that say which of the function's errors are reported and
 * how (masked or not, fatal or not, ECRC generated and checked): its error
 * messages go to the root port, and a fatal one to the board's RAS, which
 * may reset the link or the machine, not the cell's. A guest's write to one
 * writes firmware's value instead, so also when it restores them after a
 * function reset (which clears them). Status (RW1C) and the logs are its own.
 */
static const uint8_t aer_kept_regs[PCI_AER_NR_KEPT] = {
	PCI_ERR_UNCOR_MASK,
	PCI_ERR_UNCOR_SEVER,
	PCI_ERR_COR_MASK,
	PCI_ERR_CAP,
};

static void aer_probe(struct pci_fn *f)
{
	f->aer_cap = f->ext_cfg ? (uint16_t)ext_cap_find(f->bdf, PCI_EXT_AER) : 0;
	for (unsigned int k = 0; f->aer_cap && k < PCI_AER_NR_KEPT; k++)
		f->aer_kept[k] = pci_cfg_read(f->bdf, f->aer_cap + aer_kept_regs[k], 4);
}

void pci_config_aer_restore(const struct pci_fn *f)
{
	for (unsigned int k = 0; f->aer_cap && k < PCI_AER_NR_KEPT; k++) {
		uint32_t at = f->aer_cap + (uint32_t)aer_kept_regs[k];

		if (pci_cfg_read(f->bdf, at, 4) != f->aer_kept[k])
			pci_cfg_write(f->bdf, at, 4, f->aer_kept[k]);
	}
}

bool pci_config_aer_kept(const struct pci_fn *f, uint32_t reg, uint32_t *dword)
{
	for (unsigned int k = 0; f->aer_cap && k < PCI_AER_NR_KEPT; k++) {
		if ((reg & ~3u) == f->aer_cap + (uint32_t)aer_kept_regs[k]) {
			*dword = f->aer_kept[k];
			return true;
		}
	}
	return false;
}

static void rebar_probe(struct pci_fn *f)
{
	uint32_t at = f->ext_cfg ? ext_cap_find(f->bdf, PCI_EXT_REBAR) : 0, n;

	f->rebar_cap = (uint16_t)at;
	f->nr_rebar = 0;
	if (!at)
		return;
	n = (pci_cfg_read(f->bdf, at + PCI_REBAR_CTRL, 4) & PCI_REBAR_CTRL_NBAR) >> 5;
	f->nr_rebar = (uint8_t)(n < PCI_NR_BARS ? n : PCI_NR_BARS);
	for (unsigned int i = 0; i < f->nr_rebar; i++)
		f->rebar_ctrl[i] = pci_cfg_read(f->bdf, at + PCI_REBAR_CTRL + 8 * i, 4);
}

void pci_config_rebar_restore(const struct pci_fn *f)
{
	for (unsigned int i = 0; i < f->nr_rebar; i++) {
		uint32_t now = pci_cfg_read(f->bdf, f->rebar_cap + PCI_REBAR_CTRL + 8 * i, 4);

		if ((now ^ f->rebar_ctrl[i]) & PCI_REBAR_CTRL_SIZE)
			pci_cfg_write(f->bdf, f->rebar_cap + PCI_REBAR_CTRL + 8 * i, 4,
				      (now & ~PCI_REBAR_CTRL_SIZE) |
					      (f->rebar_ctrl[i] & PCI_REBAR_CTRL_SIZE));
	}
}

const char *pci_config_decode_capability(const struct pci_fn *f, uint32_t reg)
{
	if (reg >= PCI_EXT_CAP)
		return decode_ext_capability(f, reg);
	if (reg >= PCI_CAP_FIRST)
		return decode_std_capability(f, reg);
	return NULL;
}

/* The Advanced Features capability of @bdf if it offers FLR (a conventional function's), or 0. */
static uint8_t af_flr_probe(uint16_t bdf)
{
	uint8_t at = pci_config_capability(bdf, PCI_CAP_AF);

	return at && (pci_cfg_read(bdf, at + PCI_AF_CAP, 1) & PCI_AF_CAP_FLR) ? at : 0;
}

/*
 * PME_En lets the function signal a wake-up: a PME message to its root port
 * (PCIe) or PME# (conventional), which the root port or the board turns into
 * an interrupt of the host's, a line no cell owns or another cell's, held
 * until someone clears the port's PME Status, which no cell can. Its guest's
 * writes cannot set it (pci_config.c); firmware's is cleared at assignment,
 * and after each reset, which keeps it where the function can wake from
 * D3cold (the bit is sticky then). PME_Status is set whatever PME_En says,
 * so a guest that polls it (Linux does) still sees its wake-ups.
 */
void pci_config_pme_off(const struct pci_fn *f)
{
	uint32_t at = f->pm_cap + PCI_PM_CTRL, pmcsr;

	if (!f->pm_cap)
		return;
	pmcsr = pci_cfg_read(f->bdf, at, 2);
	if (pmcsr & PCI_PM_PME_EN)
		pci_cfg_write(f->bdf, at, 2, pmcsr & ~(PCI_PM_PME_EN | PCI_PM_PME_STATUS));
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

	f->pm_cap = pci_config_capability(f->bdf, PCI_CAP_PM);
	pci_config_pme_off(f);
	f->af_cap = af_flr_probe(f->bdf);
	f->imm_ready = pci_cfg_read(f->bdf, PCI_STATUS, 2) & PCI_STATUS_IMM_READY;
	f->pcie_cap = pci_config_capability(f->bdf, PCI_CAP_EXP);
	f->ext_cfg = false;
	if (!f->pcie_cap)
		return;
	f->ext_cfg = ext_cfg_own(f->bdf);
	aer_probe(f);
	rebar_probe(f);
	devctl = pci_cfg_read(f->bdf, f->pcie_cap + PCI_EXP_DEVCTL, 2);
	f->devctl_kept = (uint16_t)(devctl & PCI_EXP_DEVCTL_KEPT & ~PCI_EXP_DEVCTL_PHANTOM);
	if (devctl & PCI_EXP_DEVCTL_PHANTOM)
		pci_cfg_write(f->bdf, f->pcie_cap + PCI_EXP_DEVCTL, 2,
			      devctl & ~PCI_EXP_DEVCTL_PHANTOM);
}
