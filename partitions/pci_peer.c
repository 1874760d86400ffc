// SPDX-License-Identifier: GPL-2.0-only
/*
 * Peer-to-peer between functions of different cells (docs/pci.md): a
 * request from one function to another's BARs that turns back before the
 * root complex's SMMU is a path between cells nothing checks. Inside a
 * multi-function device, at a switch both sit below, or in the root complex
 * between root ports, only ACS sends it upstream instead. At cell creation
 * each function is checked against those of the cells created before.
 */
#include <errno.h>
#include "cell.h"
#include "log.h"
#include "pci_priv.h"

/* The cells created so far, whose functions the next cell's are checked against. */
static const struct layout_cell *cell_cfgs[LAYOUT_MAX_CELLS];

void pci_peers_add_cell(const struct cell *cell)
{
	cell_cfgs[cell->id] = cell->cfg;
}

/* The function @bdf of a cell created before @cell (cells_create() goes in order), or NULL. */
static struct pci_fn *other_fn(const struct cell *cell, uint16_t bdf,
			       const struct layout_cell **owner)
{
	for (unsigned int c = 0; c < cell->id && c < LAYOUT_MAX_CELLS; c++)
		for (int i = 0; cell_cfgs[c] && i < cell_cfgs[c]->nr_pci; i++)
			if (cell_cfgs[c]->pci[i] == bdf) {
				*owner = cell_cfgs[c];
				return &pci_fns[c][i];
			}
	return NULL;
}

#define ACS_REDIRECT (PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

/*
 * ACS on @bdf: @bits of it on, each if the ACS Capability register offers
 * it (one it lacks is a path the function does not have, PCIe Base
 * 6.12.1.2; Linux's pci_acs_flags_enabled() reads it the same way). False
 * without an ACS capability, or if Control does not take them. Guests
 * cannot write it (pci_config.c).
 */
static bool acs_on(uint16_t bdf, uint32_t bits)
{
	uint32_t at = pci_config_ext_capability(bdf, PCI_EXT_ACS), want, ctrl;

	if (!at)
		return false;
	want = pci_cfg_read(bdf, at + PCI_ACS_CAP, 2) & bits;
	ctrl = pci_cfg_read(bdf, at + PCI_ACS_CTRL, 2);
	if ((ctrl & want) != want)
		pci_cfg_write(bdf, at + PCI_ACS_CTRL, 2, ctrl | want);
	ctrl = pci_cfg_read(bdf, at + PCI_ACS_CTRL, 2);
	/* All ones: no answer, as from a function still in reset, is no redirection. */
	return ctrl != 0xffff && (ctrl & want) == want;
}

bool pci_acs_restore(const struct pci_fn *f)
{
	return !f->acs_kept || acs_on(f->bdf, ACS_REDIRECT);
}

/* A PCI Express root port or switch downstream port: one device below it. */
static bool is_port(uint16_t bdf)
{
	uint8_t exp = pci_config_capability(bdf, PCI_CAP_EXP);
	uint32_t type = exp ? PCI_EXP_TYPE(pci_cfg_read(bdf, exp + PCI_EXP_FLAGS, 2)) : 0;

	return type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_DOWNSTREAM;
}

/*
 * The first root or downstream port of @br[0..@n) without ACS: P2P Request
 * Redirect, Completion Redirect and Upstream Forwarding send peer-to-peer
 * traffic upstream, towards the SMMU; Source Validation drops requests whose
 * requester ID is not below the port (a device claiming another cell's
 * function's, hence its stream). 0xffff if none.
 */
static unsigned int port_without_acs(const uint16_t *br, int n)
{
	for (int i = 0; i < n; i++)
		if (is_port(br[i]) && !acs_on(br[i], ACS_REDIRECT | PCI_ACS_SV))
			return br[i];
	return 0xffff;
}

/*
 * The device numbers' bits of a function on the bus below @br[0..@n): below
 * a port there is one device, whose function numbers take all 8 bits with
 * ARI; elsewhere the device is bits 7:3.
 */
static unsigned int fn_bits(const uint16_t *br, int n)
{
	return n > 0 && is_port(br[n - 1]) ? 0xff : 0x7;
}

/*
 * The functions of one device reach each other inside it, without a request
 * on the link: given to two cells, that is a path between them no SMMU sees,
 * unless ACS redirects it, on both functions and on the PCI Express root or
 * downstream ports above them (a redirected request coming back down through
 * the port it came up by). @f may share its device with functions of cells
 * created before; the first cell of such a pair is checked when the second
 * is created.
 */
static int check_device_split(struct cell *cell, struct pci_fn *f, const char *name,
			      const uint16_t *br, int n)
{
	unsigned int bits = fn_bits(br, n);

	for (unsigned int g = f->bdf & ~bits; g <= (f->bdf | bits); g++) {
		const struct layout_cell *other = NULL;
		struct pci_fn *gf = g == f->bdf ? NULL : other_fn(cell, (uint16_t)g, &other);
		unsigned int lacking = f->bdf;
		const char *them;
		char who[48];

		if (!gf)
			continue;
		if (acs_on(f->bdf, ACS_REDIRECT))
			lacking = acs_on((uint16_t)g, ACS_REDIRECT) ? port_without_acs(br, n) : g;
		them = PCI_BDF(g);
		if (lacking == 0xffff) {
			f->acs_kept = gf->acs_kept = true;
			log_info("%s: pci: %s shares its device with %s of cell \"%s\": ACS "
				 "sends the traffic between them to the SMMU",
				 cell->cfg->label, name, them, other->label);
			continue;
		}
		snprintf(who, sizeof(who),
			 lacking == f->bdf || lacking == g ? "%s" : "the port above them, %s,",
			 PCI_BDF(lacking));
		log_err("%s: pci-devices: %s: %s, a function of the same device, belongs to cell "
			"\"%s\", and %s has no ACS capability that redirects peer-to-peer "
			"requests and completions upstream: traffic between the two would not "
			"reach the SMMU (give all the functions of a device to one cell)",
			cell->cfg->label, name, them, other->label, who);
		return -EINVAL;
	}
	return 0;
}

/*
 * Below PCI Express ports, a request between two devices can turn back down
 * at a switch both sit below, or between root ports in the root complex,
 * unless every root and downstream port on both paths redirects it upstream
 * (ACS), the test Linux makes before giving a device an IOMMU group of its
 * own (pci_acs_path_enabled()). Two functions on the root bus (root complex
 * integrated) have no port to ask: not checked.
 */
static int check_peer_paths(struct cell *cell, const struct pci_fn *f, const char *name,
			    const uint16_t *br, int n)
{
	uint16_t gbr[PCI_PATH_MAX_BRIDGES];
	unsigned int bits = fn_bits(br, n);

	for (unsigned int c = 0; c < cell->id && c < LAYOUT_MAX_CELLS; c++) {
		for (int i = 0; cell_cfgs[c] && i < cell_cfgs[c]->nr_pci; i++) {
			uint16_t g = cell_cfgs[c]->pci[i];
			int gn = pci_path_to_bus(LAYOUT_BDF_BUS(g), gbr);
			unsigned int lacking;

			if ((g & ~bits) == (f->bdf & ~bits) || (n <= 0 && gn <= 0))
				continue; /* one device: check_device_split(); or no port */
			lacking = port_without_acs(br, n);
			if (lacking == 0xffff)
				lacking = port_without_acs(gbr, gn < 0 ? 0 : gn);
			if (lacking == 0xffff)
				continue;
			log_err("%s: pci-devices: %s: %s belongs to cell \"%s\", and the port %s "
				"on their paths to the root complex has no ACS capability that "
				"redirects peer-to-peer requests and completions upstream: traffic "
				"between the two could turn back before the SMMU (give both to one "
				"cell, or put them below ports with ACS)",
				cell->cfg->label, name, PCI_BDF(g), cell_cfgs[c]->label,
				PCI_BDF(lacking));
			return -EINVAL;
		}
	}
	return 0;
}

int pci_check_peers(struct cell *cell, struct pci_fn *f, const char *name, const uint16_t *br,
		    int n)
{
	int ret = check_device_split(cell, f, name, br, n);

	return ret ? ret : check_peer_paths(cell, f, name, br, n);
}
