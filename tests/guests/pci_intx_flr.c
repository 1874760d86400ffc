// SPDX-License-Identifier: GPL-2.0-only
/*
 * pci_intx_flr: QEMU's igb (8086:10c9, FLR) behind a PCIe root port, 01:00.0
 * in cell "alpha" of tests/scenarios/layouts/pci-intx-flr.dts. Behind a port
 * its INTx is not routed to the cell, so the hypervisor keeps its INTx
 * Disable set (docs/pci.md, "INTx behind ports").
 *
 *  - intx_off_after_flr: COMMAND = Memory (the hypervisor adds INTx Disable),
 *    then an FLR (Device Control bit 15), which clears COMMAND. The store
 *    returns once the reset is over (the hypervisor waits its 100 ms), and
 *    COMMAND then reads INTx Disable alone, the IDs the device's, with no
 *    COMMAND write of the guest in between. Until 2026-11-24 the store
 *    returned at once: COMMAND read all ones (config space closed), and 0,
 *    INTx Disable clear, once the 100 ms were over.
 */
#include "pci_cfg.h"
#include "test.h"

#define IGB_FN		     (ECAM + (1UL << 20)) /* 01:00.0 */
#define IGB_ID		     0x10c98086u
#define PCI_CMD_INTX_DISABLE (1u << 10)
#define FLR_MS		     100

static void intx_off_after_flr(uint64_t fn)
{
	unsigned int exp = find_cap(fn, PCI_CAP_EXP);
	uint64_t freq = read_sysreg(cntfrq_el0), start, ms;
	uint32_t before, after, ids;

	if (!exp || !(rd32(fn, exp + PCI_EXP_DEVCAP) & DEVCAP_FLR)) {
		TEST_FAIL("intx_off_after_flr", "no PCIe capability with FLR (cap at 0x%x)", exp);
		return;
	}
	wr32(fn, PCI_COMMAND, PCI_CMD_MEMORY);
	before = rd32(fn, PCI_COMMAND) & 0xffff;
	start = timer_now();
	wr32(fn, exp + PCI_EXP_DEVCTL, rd32(fn, exp + PCI_EXP_DEVCTL) | DEVCTL_FLR);
	ms = (timer_now() - start) * 1000 / freq;
	after = rd32(fn, PCI_COMMAND) & 0xffff;
	ids = rd32(fn, 0);
	printf("COMMAND 0x%x before the FLR, 0x%x right after it (IDs 0x%x); the FLR's store took "
	       "%lu ms\n",
	       before, after, ids, (unsigned long)ms);
	if (before != (PCI_CMD_INTX_DISABLE | PCI_CMD_MEMORY) || after != PCI_CMD_INTX_DISABLE ||
	    ids != IGB_ID || ms < FLR_MS)
		TEST_FAIL("intx_off_after_flr",
			  "COMMAND 0x%x before, 0x%x right after the FLR (IDs 0x%x, %lu ms)",
			  before, after, ids, (unsigned long)ms);
	else
		TEST_PASS("intx_off_after_flr");
}

int main(void *dtb)
{
	(void)dtb;
	if (rd32(IGB_FN, 0) != IGB_ID) {
		TEST_FAIL("igb_found", "01:00.0 reads 0x%x, not 8086:10c9", rd32(IGB_FN, 0));
		return 1;
	}
	intx_off_after_flr(IGB_FN);
	heartbeat_forever(1, 100000, udelay);
}
