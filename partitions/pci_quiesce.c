// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI functions quiesced (docs/pci.md): at boot every endpoint below the
 * host bridge, before any cell is built (pci_quiesce_tree(), from pci.c),
 * and a cell's own at each stop and reload, its SMMU streams aborted first,
 * then its functions' resets begun (pci_reset.c).
 */
#include <string.h>
#include "cell.h"
#include "log.h"
#include "pci.h"
#include "pci_priv.h"
#include "smmu.h"

/*
 * VFs firmware enabled (SR-IOV Control's VF Enable and VF MSE in the PF) have
 * BARs in the PF's SR-IOV capability that nobody placed, decoding over the
 * window, and masters of their own. Their Vendor ID reads all ones, so the
 * walk below never finds them: they are turned off through their PF. Guests
 * cannot turn them on again (pci_config.c drops writes into the capability).
 */
static void sriov_off(uint16_t bdf)
{
	uint32_t at = pci_config_ext_capability(bdf, PCI_EXT_SRIOV), ctrl;

	if (!at)
		return;
	ctrl = pci_cfg_read(bdf, at + PCI_SRIOV_CTRL, 2);
	if (!(ctrl & (PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE)))
		return;
	pci_cfg_write(bdf, at + PCI_SRIOV_CTRL, 2,
		      ctrl & ~(PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE));
	log_warn("pci: %s: SR-IOV VF Enable and VF Memory Space Enable left on (Control 0x%04x): "
		 "turned off",
		 PCI_BDF(bdf), ctrl);
}

/*
 * Every endpoint on @bus and on the buses below its bridges (as firmware
 * numbered them, at most PCI_PATH_MAX_BRIDGES deep): decode and bus
 * mastering off, its VFs too, and INTx disabled. A function no cell owns
 * keeps none of what firmware left on: its DMA would be no cell's stream,
 * but below a switch it could reach a cell's BARs peer-to-peer, without the
 * SMMU; its INTx arrives on a line of the host, which may be a cell's. The
 * bridges keep theirs, and their own BARs are kept clear of
 * (pci_bar_keep_bridge(); *@err if not). Returns how many endpoints.
 */
unsigned int pci_quiesce_tree(unsigned int bus, unsigned int depth, int *err)
{
	unsigned int n = 0;

	for (unsigned int devfn = 0; devfn < 256; devfn++) {
		uint16_t bdf = (uint16_t)(bus << 8 | devfn);
		unsigned int sec;

		if (pci_cfg_read(bdf, PCI_VENDOR_ID, 2) == 0xffff) {
			if ((devfn & 7) == 0)
				devfn += 7; /* no function 0: no device */
			continue;
		}
		/* Type 0 (endpoints) only: a bridge's routing is left as firmware set it. */
		if ((pci_cfg_read(bdf, PCI_HEADER_TYPE, 1) & 0x7f) == 0) {
			pci_cfg_write(bdf, PCI_COMMAND, 2,
				      (pci_cfg_read(bdf, PCI_COMMAND, 2) &
				       ~(PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER)) |
					      PCI_CMD_INTX_DIS);
			sriov_off(bdf);
			n++;
			continue;
		}
		if (!*err)
			*err = pci_bar_keep_bridge(bdf);
		sec = pci_cfg_read(bdf, PCI_SECONDARY_BUS, 1);
		/* A secondary bus not above this one leads nowhere (not numbered, or a loop). */
		if (sec > bus && sec <= pci_host->bus_last && depth < PCI_PATH_MAX_BRIDGES)
			n += pci_quiesce_tree(sec, depth + 1, err);
	}
	return n;
}

static int quiesce(struct cell *cell, bool reload)
{
	/* First the streams: once this returns, nothing in flight reaches memory either. */
	int ret = smmu_cell_abort(cell);

	/*
	 * The functions' Bus Master off even so: all that can still be done. And
	 * INTx off: a stopped cell's device must not hold a line (routed to it,
	 * or another cell's) asserted.
	 */
	for (int i = 0; pci_host_ready && i < cell->cfg->nr_pci; i++) {
		struct pci_fn *f = &pci_fns[cell->id][i];

		memset(f->sizing, 0, sizeof(f->sizing));
		/*
		 * A function in the reset its guest started just before (an FLR, a
		 * D3hot change) is not waited for in a reload, whose CPU has its
		 * interrupts masked: up to 100 ms at every restart the guest asks
		 * for. The aborted stream contains its DMA, and stays aborted until
		 * it is quiesced and reset once its guest's reset is over, with the
		 * other functions' resets (pci_reset_step(), pci_reset_end(); the
		 * start gives the DMA back after them, cell.c). A stop waits in place,
		 * and ends what a reload before it began (pci_reset_cell_functions()).
		 */
		if (reload && pci_config_resetting(f)) {
			f->quiesce_left = true;
			continue;
		}
		pci_config_wait_ready(f);
		pci_cfg_write(f->bdf, PCI_COMMAND, 2, PCI_CMD_INTX_DIS);
	}
	/* What the guest programmed goes too: the next boot turns Bus Master on first. */
	if (pci_host_ready && cell->cfg->nr_pci && reload)
		pci_reset_reload_begin(cell);
	else if (pci_host_ready && cell->cfg->nr_pci)
		pci_reset_cell_functions(cell);
	/*
	 * A stop, or the reload of a start or restart: the next boot's guest is
	 * told its first few dropped writes again, unless that boot is one of a
	 * restart storm's, which are told about as one (cell_storm.c).
	 */
	if (!cell_boot_quiet(cell, cell->boots + 1))
		pci_config_cell_init(cell);
	return ret;
}

int pci_cell_quiesce(struct cell *cell)
{
	return quiesce(cell, false);
}

int pci_cell_quiesce_for_reload(struct cell *cell)
{
	return quiesce(cell, true);
}
