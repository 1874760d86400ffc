// SPDX-License-Identifier: GPL-2.0-only
/* Guest accesses to emulated devices: which device owns the trapped IPA. */
#include <errno.h>
#include <stddef.h>
#include "cell.h"
#include "mmio.h"
#include "pci.h"
#include "vgic_hw.h"

static bool in_frame(uint64_t ipa, uint64_t base, uint64_t size)
{
	return ipa >= base && ipa - base < size;
}

enum mmio_device { MMIO_NONE, MMIO_VGICD, MMIO_VGICR, MMIO_VUART, MMIO_ECAM };

static enum mmio_device device_at(const struct cell *cell, uint64_t ipa)
{
	if (in_frame(ipa, LAYOUT_VGICD_BASE, LAYOUT_VGICD_SIZE))
		return MMIO_VGICD;
	/* GICv3 only: a GICv2 cell's CPU interface (GICV) is mapped, not emulated. */
	if (cell->vgic.version == 3 &&
	    in_frame(ipa, LAYOUT_VGICR_BASE, cell->nr_vcpus * LAYOUT_VGICR_STRIDE))
		return MMIO_VGICR;
	if (cell->cfg->console == LAYOUT_CONSOLE_VIRTUAL &&
	    in_frame(ipa, LAYOUT_VUART_BASE, LAYOUT_VUART_SIZE))
		return MMIO_VUART;
	if (pci_ecam_claims(cell, ipa)) /* PCI config space, filtered (pci.c) */
		return MMIO_ECAM;
	return MMIO_NONE;
}

int mmio_emulate(struct vcpu *vcpu, struct mmio_access *acc)
{
	struct cell *cell = vcpu->cell;
	int ret;

	switch (device_at(cell, acc->ipa)) {
	case MMIO_VGICD:
		return vgic_hw_dist_access(vcpu, acc->ipa - LAYOUT_VGICD_BASE, acc);
	case MMIO_VGICR:
		return vgic_hw_redist_access(vcpu, acc->ipa - LAYOUT_VGICR_BASE, acc);
	case MMIO_VUART:
		ret = vuart_access(&cell->vuart, acc->ipa - LAYOUT_VUART_BASE, acc);
		if (ret != VUART_LINE_MOVED)
			return ret;
		vgic_hw_vuart_update(cell); /* UARTMIS moved: its line into the vGIC */
		return 0;
	case MMIO_ECAM:
		return pci_ecam_access(vcpu, acc);
	default:
		return -ENOENT;
	}
}

const char *mmio_device_name(const struct cell *cell, uint64_t ipa)
{
	static const char names[][28] = {
		[MMIO_VGICD] = "the vGIC distributor",
		[MMIO_VGICR] = "the vGIC redistributors",
		[MMIO_VUART] = "the virtual UART",
		[MMIO_ECAM] = "PCI configuration space",
	};
	enum mmio_device d = device_at(cell, ipa);

	return d == MMIO_NONE ? NULL : names[d];
}
