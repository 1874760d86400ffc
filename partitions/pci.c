// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI pass-through on a generic ECAM host (docs/pci.md).
 *
 * - Config space: the ECAM window is not mapped into any cell; a cell that
 *   owns functions traps on it and partitions/pci_config.c emulates it.
 * - BARs: placed by the hypervisor at boot, whatever firmware did, from the
 *   host bridge's 32-bit memory window (inside the windows of the ports above
 *   the function: pci_bar.c), each aligned to its size and to at least 4 KiB
 *   so that no two functions share a page; mapped 1:1 (IPA = CPU
 *   address) into the owning cell. A guest sizes a BAR the usual way (write
 *   all ones, read the mask back); any other value it writes is ignored, so a
 *   BAR never leaves the window the hypervisor granted; the placement is
 *   written to the device again on every BAR write and whenever memory
 *   decode or bus mastering is turned on, because a function reset (FLR,
 *   D3hot) clears it.
 *   I/O BARs and expansion ROMs are not offered (read as 0).
 * - DMA: each function's requester ID is mapped to its SMMU stream through
 *   the host's iommu-map and given to the cell (smmu/).
 * - Every function below the host bridge starts quiesced (decode and bus
 *   mastering off, INTx disabled: pci_quiesce.c); only a cell turns its own
 *   back on, and INTx only where the layout routed it to the cell.
 * - A cell that stops or restarts has its SMMU streams aborted and its
 *   functions quiesced (pci_quiesce.c) and reset (pci_reset.c); the next
 *   start gives the streams back (cell_start(): smmu_cell_resume()) once its
 *   memory is reloaded and those resets are over.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "arch/vcpu.h"
#include "cell.h"
#include "log.h"
#include "mmu.h"
#include "pci.h"
#include "pci_priv.h"
#include "smmu.h"

struct pci_fn pci_fns[LAYOUT_MAX_CELLS][LAYOUT_MAX_PCI];
const struct platform_pcie *pci_host;
bool pci_host_ready;

static int host_init(const struct platform *plat, const void *fdt)
{
	unsigned int n;
	int ret, err = 0;

	if (pci_host_ready)
		return 0;
	pci_host = &plat->pcie;
	ret = mmu_map_device(pci_host->ecam.base,
			     (uint64_t)(pci_host->bus_last - pci_host->bus_first + 1) *
				     ECAM_BUS_SIZE);
	if (ret)
		return log_err_ret(ret, "pci: cannot map the ECAM window at 0x%lx (%d)",
				   (unsigned long)pci_host->ecam.base, ret);
	if (pci_bar_window_init(&plat->index, fdt))
		return log_err_ret(-EINVAL,
				   "pci: %s: ranges: no 32-bit memory window to place BARs in",
				   pci_host->path);
	n = pci_quiesce_tree(pci_host->bus_first, 0, &err);
	if (err)
		return err;
	pci_host_ready = true;
	log_info("pci: %u function(s) below the host bridge quiesced (decode, bus mastering and "
		 "INTx off)",
		 n);
	return 0;
}

static int map_bars(struct cell *cell, struct pci_fn *f, const char *name)
{
	for (int i = 0; i < PCI_NR_BARS; i++) {
		uint64_t cpu, len;
		int ret;

		if (f->kind[i] != BAR_MEM32 && f->kind[i] != BAR_MEM64_LO)
			continue;
		cpu = pci_bar_cpu_addr(f->shadow[i] & ~PCI_BAR_FLAGS);
		len = (f->size[i] + PAGE - 1) & ~(PAGE - 1);
		ret = arch_stage2_map_device(cell, cpu, cpu, len);
		if (ret == -EEXIST)
			log_err("%s: pci: %s: BAR%d at 0x%lx+0x%lx overlaps what the cell already "
				"has there (its RAM, shared memory or a device)",
				cell->cfg->label, name, i, (unsigned long)cpu, (unsigned long)len);
		if (ret)
			return ret;
		log_info("%s: pci: %s BAR%d: 0x%lx+0x%lx mapped", cell->cfg->label, name, i,
			 (unsigned long)cpu, (unsigned long)f->size[i]);
	}
	return 0;
}

/*
 * The bridges from the root bus down to @bus, in order, into @br: for each
 * bus, the bridge on it whose secondary..subordinate range holds @bus (as
 * firmware numbered them; a bridge whose secondary bus is not above its own
 * bus leads nowhere). Returns how many, or -1 if no path reaches @bus.
 */
int pci_path_to_bus(unsigned int bus, uint16_t *br)
{
	unsigned int at = pci_host->bus_first;
	int n = 0;

	while (at != bus) {
		unsigned int devfn, sec = 0;

		for (devfn = 0; devfn < 256; devfn++) {
			uint16_t bdf = (uint16_t)(at << 8 | devfn);

			if (pci_cfg_read(bdf, PCI_VENDOR_ID, 2) == 0xffff ||
			    (pci_cfg_read(bdf, PCI_HEADER_TYPE, 1) & 0x7f) != 1)
				continue;
			sec = pci_cfg_read(bdf, PCI_SECONDARY_BUS, 1);
			if (sec > at && sec <= bus &&
			    bus <= pci_cfg_read(bdf, PCI_SUBORDINATE_BUS, 1))
				break;
		}
		if (devfn == 256 || n == PCI_PATH_MAX_BRIDGES)
			return -1;
		br[n++] = (uint16_t)(at << 8 | devfn);
		at = sec;
	}
	return n;
}

/*
 * Requests that cross a PCIe-to-PCI/PCI-X bridge (PCI Express capability of
 * type 0x7), or a bridge with no PCI Express capability at all (conventional
 * PCI), reach the SMMU with a requester ID the bridge makes up: its
 * secondary bus with devfn 0, or its own. Every function below it shares
 * that one stream, and none of them has the stream of its own RID: such a
 * function cannot be given to a cell. @br[0..@n): the bridges above it.
 */
static int check_requester_id(struct cell *cell, const char *name, const uint16_t *br, int n)
{
	for (int i = 0; i < n; i++) {
		uint8_t exp = pci_config_capability(br[i], PCI_CAP_EXP);
		uint16_t rid = br[i]; /* a conventional bridge: its own */
		const char *kind =
			"a PCI bridge without a PCI Express capability (conventional PCI)";

		if (exp && PCI_EXP_TYPE(pci_cfg_read(br[i], exp + PCI_EXP_FLAGS, 2)) !=
				   PCI_EXP_TYPE_PCI_BRIDGE)
			continue;
		if (exp) {
			rid = (uint16_t)(pci_cfg_read(br[i], PCI_SECONDARY_BUS, 1) << 8);
			kind = "a PCIe-to-PCI/PCI-X bridge";
		}
		log_err("%s: pci-devices: %s: below %s, %s: its DMA reaches the SMMU with the "
			"bridge's requester ID %s, not its own, so it cannot have a stream of its "
			"own; functions below such a bridge cannot be assigned",
			cell->cfg->label, name, PCI_BDF(br[i]), kind, PCI_BDF(rid));
		return -EINVAL;
	}
	return 0;
}

/*
 * Function 1-7 of a device whose function 0 does not say there are others
 * (Header Type bit 7 clear, and no ARI capability, the other way to say so):
 * software must not probe there (PCIe r6.0 §7.5.1.1.9), and a device that
 * decodes no function number answers there as function 0, which may be no
 * cell's or another cell's.
 */
static bool beside_single_function(uint16_t bdf)
{
	uint16_t fn0 = (uint16_t)(bdf & ~7u);

	return (bdf & 7) && !(pci_cfg_read(fn0, PCI_HEADER_TYPE, 1) & PCI_HEADER_MULTI_FN) &&
	       !pci_config_ext_capability(fn0, PCI_EXT_ARI);
}

/*
 * Function 0 of @f's device not the cell's reads as absent to its guest,
 * and Linux scans a device only from function 0 (pci_scan_slot()), and
 * below a port device 0 alone (only_one_child(); with ARI, every function
 * of the bus is its): it never finds @f. Not refused, since a guest that
 * knows where to look can use it; said.
 */
static void warn_without_function_0(const struct cell *cell, const struct pci_fn *f,
				    const char *name, int n)
{
	uint16_t fn0 = (uint16_t)(f->bdf & (n > 0 ? 0xff00u : ~7u));
	const char *fn0_name;

	if (f->bdf == fn0)
		return;
	for (int i = 0; i < cell->cfg->nr_pci; i++)
		if (cell->cfg->pci[i] == fn0)
			return;
	fn0_name = PCI_BDF(fn0);
	log_warn("%s: pci: %s: %s, function 0 of its device, is not the cell's and reads as "
		 "absent to it: Linux, which scans a device from function 0, will not find %s "
		 "(give the cell %s too)",
		 cell->cfg->label, name, fn0_name, name, fn0_name);
}

static int fn_setup(struct cell *cell, struct pci_fn *f, uint32_t intx)
{
	uint16_t br[PCI_PATH_MAX_BRIDGES];
	char name[PCI_BDF_LEN], dev[32];
	uint32_t sid, pin;
	int n, ret;

	pci_bdf_str(f->bdf, name);
	if (beside_single_function(f->bdf)) {
		log_err("%s: pci-devices: %s: function 0 of its device is not multi-function "
			"(Header Type bit 7 clear, no ARI capability): what answers at %s may be "
			"function 0 again; it cannot be assigned",
			cell->cfg->label, name, name);
		return -EINVAL;
	}
	n = pci_path_to_bus(LAYOUT_BDF_BUS(f->bdf), br);
	if (check_requester_id(cell, name, br, n) || pci_check_peers(cell, f, name, br, n))
		return -EINVAL;
	if (n < 0)
		return log_err_ret(
			-EINVAL,
			"%s: pci-devices: %s: no bridge from the root bus leads to bus %02x as "
			"firmware numbered them: its BARs could not be reached",
			cell->cfg->label, name, LAYOUT_BDF_BUS(f->bdf));
	pin = pci_cfg_read(f->bdf, PCI_INTERRUPT_PIN, 1);
	if (pci_intx_setup(cell, f, name, pin, intx, br, n))
		return -EINVAL;
	pci_config_probe(f);
	ret = pci_config_ea_enabled(f);
	if (ret >= 0) {
		log_err("%s: pci-devices: %s: Enhanced Allocation entry %d is enabled: the "
			"function decodes a range no BAR shows and the hypervisor did not place, "
			"once Memory is on; it cannot be assigned",
			cell->cfg->label, name, ret);
		return -EINVAL;
	}
	ret = pci_bars_place(f, name, br, n);
	if (!ret)
		ret = map_bars(cell, f, name);
	if (ret)
		return ret;
	if (smmu_enabled()) {
		if (!platform_pcie_sid(pci_host, f->bdf, &sid)) { /* the host's iommu-map */
			log_err("%s: pci-devices: %s: the host's iommu-map gives it no SMMU stream",
				cell->cfg->label, name);
			return -EINVAL;
		}
		snprintf(dev, sizeof(dev), "pci-devices: %s", name);
		ret = smmu_assign(cell, sid, dev);
		if (ret)
			return ret;
	}
	/* Once nothing can refuse it any more. */
	log_info("%s: pci: %s (%04x:%04x) assigned", cell->cfg->label, name,
		 pci_cfg_read(f->bdf, 0, 2), pci_cfg_read(f->bdf, 2, 2));
	if (pin == 1 && intx)
		log_info("%s: pci: %s INTA# -> INTID %u", cell->cfg->label, name, intx);
	warn_without_function_0(cell, f, name, n);
	pci_reset_probe(cell, f, name);
	return 0;
}

/* Room for not_assignable()'s longest reason, with a device/port type in it. */
#define WHY_LEN 192

/*
 * Why a function of PCI Express device/port type @type (PCI Express
 * Capabilities bits 7:4) is not a cell's, into @why, or NULL: an endpoint,
 * legacy or integrated, is. A Root Complex Event Collector (type 0xa, a
 * type 0 header) takes the error and PME messages of the root complex's
 * integrated endpoints, other cells' among them, in its Root Control and
 * Status; the ports and bridges route other functions (a type 1 header,
 * refused already, unless the function's capability says otherwise); the
 * other values are reserved.
 */
static const char *pcie_type_not_assignable(uint32_t type, char *why)
{
	switch (type) {
	case PCI_EXP_TYPE_ENDPOINT:
	case PCI_EXP_TYPE_LEG_END:
	case PCI_EXP_TYPE_RC_END:
		return NULL;
	case PCI_EXP_TYPE_RC_EC:
		return "a Root Complex Event Collector (PCI Express device/port type 0xa): it "
		       "collects the errors and PMEs of the root complex's integrated endpoints, "
		       "other cells' among them; endpoints only (types 0x0, 0x1, 0x9)";
	default:
		snprintf(why, WHY_LEN,
			 "PCI Express device/port type 0x%x, a port, a bridge or reserved: it "
			 "routes or collects for other functions; endpoints only (types 0x0, "
			 "0x1, 0x9)",
			 type);
		return why;
	}
}

/*
 * Why the function at @bdf is not one a cell can own, or NULL (@why: room
 * for it, WHY_LEN). A bridge routes the buses below it with its windows and
 * bus numbers; a host bridge (QEMU virt's 00:00.0, a type 0 header) is the
 * root complex's own function, its config space the host's. Neither is a
 * device: a guest given one would program the host, and no DMA of its own
 * goes through its stream. A conventional PCI function (no PCI Express
 * capability) has no device/port type.
 */
static const char *not_assignable(uint16_t bdf, char *why)
{
	uint8_t exp;

	if (pci_cfg_read(bdf, PCI_VENDOR_ID, 2) == 0xffff)
		return "no function there (its Vendor ID reads 0xffff)";
	if ((pci_cfg_read(bdf, PCI_HEADER_TYPE, 1) & 0x7f) != 0)
		return "a bridge (Header Type 1 or 2): its windows and bus numbers route the "
		       "functions below it; endpoints only";
	if (pci_cfg_read(bdf, PCI_CLASS_DEVICE, 2) == PCI_CLASS_HOST_BR)
		return "the host bridge (class 0x0600): the root complex's own function, its "
		       "config space the host's; endpoints only";
	exp = pci_config_capability(bdf, PCI_CAP_EXP);
	if (!exp)
		return NULL;
	return pcie_type_not_assignable(PCI_EXP_TYPE(pci_cfg_read(bdf, exp + PCI_EXP_FLAGS, 2)),
					why);
}

int pci_cell_check(const struct cell *cell, const struct platform *plat, const void *board_fdt)
{
	const struct layout_cell *cfg = cell->cfg;
	int ret;

	if (!cfg->nr_pci || !plat->pcie.present) /* no host: the layout parser said so */
		return 0;
	ret = host_init(plat, board_fdt); /* never -EPERM */
	if (ret)
		return ret;
	for (int i = 0; i < cfg->nr_pci; i++) {
		char buf[WHY_LEN];
		const char *why = not_assignable(cfg->pci[i], buf);

		if (!why)
			continue;
		log_err("%s: pci-devices: %s: %s: the cell is refused, the other cells are built "
			"without it",
			cfg->label, PCI_BDF(cfg->pci[i]), why);
		ret = -EPERM;
	}
	return ret;
}

/* DMA the SMMU cannot contain is only allowed where the layout says so. */
static int check_containment(struct cell *cell)
{
	const struct layout_cell *cfg = cell->cfg;
	bool uncontained = cfg->nr_pci && !smmu_enabled();

	for (int i = 0; i < cfg->nr_devices; i++)
		uncontained |= cfg->devices[i].dma_sign &&
			       (!smmu_enabled() || cfg->devices[i].nr_sids == 0);
	if (!uncontained && !cfg->unprotected_dma)
		return 0;
	if (cfg->unprotected_dma) { /* detected, or declared for a master the tree does not show */
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
	char dev[LAYOUT_PATH_MAX + 16];
	int ret = 0;

	for (int i = 0; i < cfg->nr_devices && !ret; i++) {
		snprintf(dev, sizeof(dev), "devices: %s", cfg->devices[i].path);
		for (int j = 0; j < cfg->devices[i].nr_sids && !ret; j++)
			ret = smmu_assign(cell, cfg->devices[i].sids[j], dev);
	}
	return ret;
}

int pci_cell_create(struct cell *cell, const struct platform *plat, const void *board_fdt)
{
	const struct layout_cell *cfg = cell->cfg;
	int i, ret = 0;
	bool streams = false;

	pci_peers_add_cell(cell);
	for (i = 0; i < cfg->nr_devices; i++)
		streams |= cfg->devices[i].dma_sign != NULL;
	if (!cfg->nr_pci && !streams && !cfg->unprotected_dma)
		return 0;
	ret = check_containment(cell);
	if (!ret && smmu_enabled())
		ret = device_streams(cell);
	if (ret || !cfg->nr_pci)
		return ret;
	if (!plat->pcie.present)
		return -ENODEV; /* the layout parser has said so */
	ret = host_init(plat, board_fdt);
	pci_config_cell_init(cell);
	pci_reset_cell_init(cell);
	for (i = 0; i < cfg->nr_pci && !ret; i++) {
		struct pci_fn *f = &pci_fns[cell->id][i];

		memset(f, 0, sizeof(*f));
		f->bdf = cfg->pci[i];
		ret = fn_setup(cell, f, cfg->pci_intx[i]);
	}
	return ret;
}

/*
 * Nothing of the refused cell is built, but firmware (U-Boot) may have left
 * its functions decoding and mastering, SR-IOV on: with an SMMU their DMA
 * aborts at an invalid STE and floods the event queue, without one it
 * reaches memory uncontained. Quiescing the tree turns them off.
 */
int pci_cell_refused(const struct cell *cell, const struct platform *plat, const void *board_fdt)
{
	if (!cell->cfg->nr_pci || !plat->pcie.present)
		return 0;
	return host_init(plat, board_fdt);
}
