// SPDX-License-Identifier: GPL-2.0-only
/*
 * A function's INTx at assignment (docs/pci.md, "INTx behind ports"): routed
 * to the cell only where the layout resolved it (INTA# of a function on the
 * root bus, through the host's interrupt-map); anywhere else its INTx Disable
 * stays set, here and at every guest COMMAND write and reset
 * (pci_config.c), since the host line it would assert may be another
 * cell's level interrupt.
 */
#include <errno.h>
#include "cell.h"
#include "log.h"
#include "pci_priv.h"

/*
 * Behind ports a function's INTx is swizzled at each bridge (PCI-to-PCI
 * Bridge Architecture 9.1) and reaches the host as one of the root port's
 * lines; the host's interrupt-map describes only the root bus, and the layout
 * parser cannot see the topology to resolve it. So it is not routed: said
 * here, with the line it arrives on, which may be another cell's.
 */
static void warn_intx_behind_ports(const struct cell *cell, const struct pci_fn *f,
				   const char *name, uint32_t pin, const uint16_t *br, int n)
{
	unsigned int at = pin - 1, dev = LAYOUT_BDF_DEV(f->bdf);

	for (int i = n - 1; i >= 0; i--) {
		at = (at + dev) % 4;
		dev = LAYOUT_BDF_DEV(br[i]);
	}
	log_warn("%s: pci: %s: its INT%c# reaches the host as INT%c# of the root port %s, "
		 "swizzled by the ports on the way; INTx is routed to a cell only for functions "
		 "on the root bus: not routed, INTx Disable kept set (the guest polls)",
		 cell->cfg->label, name, (char)('A' + pin - 1), (char)('A' + at), PCI_BDF(br[0]));
}

/*
 * A function with an Interrupt Pin whose INTx the layout did not route to
 * the cell (behind ports, or no line in the host's interrupt-map) would
 * still assert a line of the host, which may be another cell's level
 * interrupt, held for as long as the guest leaves its device's interrupt
 * unacknowledged: its INTx Disable stays set (pci_config.c), and is set here.
 */
int pci_intx_setup(const struct cell *cell, struct pci_fn *f, const char *name, uint32_t pin,
		   uint32_t intx, const uint16_t *br, int n)
{
	if (n == 0 && pin > 1 && pin <= 4) {
		/* The layout routed (and the guest DT maps) INTA# only. */
		log_err("%s: pci-devices: %s: uses INT%c#; only INTA# is routed to a cell",
			cell->cfg->label, name, (char)('A' + pin - 1));
		return -EINVAL;
	}
	f->intx_off = pin && !(n == 0 && pin == 1 && intx);
	if (n > 0 && pin >= 1 && pin <= 4)
		warn_intx_behind_ports(cell, f, name, pin, br, n);
	else if (f->intx_off)
		log_warn("%s: pci: %s: Interrupt Pin %u, and no INTx line of the host's "
			 "interrupt-map routed to the cell: not routed, INTx Disable kept set (the "
			 "guest polls)",
			 cell->cfg->label, name, pin);
	pci_cfg_write(f->bdf, PCI_COMMAND, 2, PCI_CMD_INTX_DIS);
	return 0;
}
