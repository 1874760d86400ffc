// SPDX-License-Identifier: GPL-2.0-only
/*
 * pci_flr_restart: QEMU's igb at 00:04.0 in cell "alpha" of
 * tests/scenarios/layouts/pci-reset.dts (alpha on CPU 0, the boot CPU: the
 * console's and the SMMU's interrupts are taken there).
 *
 * Odd boots start an FLR of the igb (Device Control bit 15; its INTA# is
 * routed, so the store returns at once) and reset the cell at once (PSCI
 * SYSTEM_RESET); even boots reset it without an FLR. Boot 5 beats. The
 * reload after an odd boot finds the igb in its guest's FLR: the cell's CPU
 * waits for it in its loop, interrupts taken, then quiesces the igb and
 * resets it itself (pci.c: quiesce(), pci_reset.c: pci_reset_step()).
 */
#include "pci_cfg.h"
#include "test.h"

#define IGB_FN (ECAM + (4UL << 15)) /* 00:04.0 */
#define IGB_ID 0x10c98086u

int main(void *dtb)
{
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;
	unsigned int exp;

	(void)dtb;
	if (rd32(IGB_FN, 0) != IGB_ID) {
		TEST_FAIL("igb_found", "00:04.0 reads 0x%x", rd32(IGB_FN, 0));
		return 1;
	}
	if (boot >= 5)
		heartbeat_forever(1, 100000, udelay);
	exp = find_cap(IGB_FN, PCI_CAP_EXP);
	if (boot & 1) {
		wr32(IGB_FN, exp + PCI_EXP_DEVCTL, rd32(IGB_FN, exp + PCI_EXP_DEVCTL) | DEVCTL_FLR);
		printf("boot %lu: FLR started, resetting at once\n", (unsigned long)boot);
	} else {
		printf("boot %lu: no FLR, resetting at once\n", (unsigned long)boot);
	}
	psci_system_reset();
	return 0;
}
