// SPDX-License-Identifier: GPL-2.0-only
/* Guest accesses to emulated devices: which device owns the trapped IPA. */
#include <errno.h>
#include "cell.h"
#include "mmio.h"
#include "pci.h"
#include "vgic_hw.h"

static bool in_frame(uint64_t ipa, uint64_t base, uint64_t size)
{
	return ipa >= base && ipa - base < size;
}

int mmio_emulate(struct vcpu *vcpu, struct mmio_access *acc)
{
	struct cell *cell = vcpu->cell;
	int ret;

	if (in_frame(acc->ipa, LAYOUT_VGICD_BASE, LAYOUT_VGICD_SIZE))
		return vgic_hw_dist_access(vcpu, acc->ipa - LAYOUT_VGICD_BASE, acc);
	/* GICv3 only: a GICv2 cell's CPU interface (GICV) is mapped, not emulated. */
	if (cell->vgic.version == 3 &&
	    in_frame(acc->ipa, LAYOUT_VGICR_BASE, cell->nr_vcpus * LAYOUT_VGICR_STRIDE))
		return vgic_hw_redist_access(vcpu, acc->ipa - LAYOUT_VGICR_BASE, acc);
	if (cell->cfg->console == LAYOUT_CONSOLE_VIRTUAL &&
	    in_frame(acc->ipa, LAYOUT_VUART_BASE, LAYOUT_VUART_SIZE)) {
		ret = vuart_access(&cell->vuart, acc->ipa - LAYOUT_VUART_BASE, acc);
		/* Any access may move the UART's interrupt line (UARTMIS). */
		vgic_hw_vuart_update(cell);
		return ret;
	}
	if (pci_ecam_claims(cell, acc->ipa)) /* PCI config space, filtered (pci.c) */
		return pci_ecam_access(vcpu, acc);
	return -ENOENT;
}
