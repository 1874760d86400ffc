// SPDX-License-Identifier: GPL-2.0-only
/*
 * pci_reset: a cell's own PCI function through reset and SR-IOV, with QEMU's
 * igb (8086:10c9, SR-IOV capable, FLR) at 00:04.0 in cell "alpha" of
 * tests/scenarios/layouts/pci-reset.dts.
 *
 *  - flr_config_closed: right after the FLR the IDs read all ones and a
 *    COMMAND write is dropped (the hypervisor closes config space for the
 *    100 ms the function gets); after them the IDs read again.
 *  - flr_bar_restored: read a register through BAR0, Function Level Reset
 *    the device (PCIe Device Control bit 15: BARs and COMMAND go to 0), then
 *    restore the BARs and COMMAND as Linux's pci_restore_state() does and
 *    read the register again: the device must decode at its placement again.
 *  - sriov_blocked: enable a VF with its BAR0 aimed at 0x10000000 (SR-IOV
 *    Control VF Enable + VF Memory Space Enable): the hypervisor must drop
 *    the write, VF Enable must read back 0.
 *  - byte_write_exact: a 1-byte store to COMMAND from a register whose bits
 *    15:8 would flip INTx Disable (bit 10): only the byte stored may change.
 *  - first_boot_reset_device: boot 1 finds the device as an FLR leaves it,
 *    whatever firmware programmed before the hypervisor started (through
 *    U-Boot, test_smmu.py has boot.scr aim TDBAL0 at 0x4f000000): TDBAL0 0,
 *    and the device decoding at its placement.
 *  - stop_reset_device: what a boot programmed is gone at the next one. Each
 *    boot aims the device's transmit ring (TDBAL0) at its RAM, Bus Master
 *    on, as a driver does; the first then restarts the cell (SYSTEM_RESET).
 *    The hypervisor resets the function at every stop and restart (FLR):
 *    the next boot must find TDBAL0 at 0 (without it the old ring waits
 *    for that boot's Bus Master to DMA into its fresh image), and the
 *    device decoding at its placement.
 */
#include "pci_cfg.h"
#include "test.h"

#define ECAM_FN(d, f) (ECAM + ((uint64_t)(d) << 15) + ((uint64_t)(f) << 12))
#define IGB_ID	      0x10c98086u
#define IGB_STATUS    0x0008 /* device status: link, speed; never all ones or 0 on QEMU */
#define EXT_SRIOV     0x0010
#define SRIOV_CTRL    0x08
#define SRIOV_NUM_VFS 0x10
#define SRIOV_VF_BAR0 0x24
#define SRIOV_VFE     (1u << 0)
#define SRIOV_MSE     (1u << 3)

static unsigned int find_ext_cap(uint64_t fn, unsigned int id)
{
	unsigned int at = 0x100;

	for (int n = 0; n < 64 && at >= 0x100 && at < 0x1000; n++) {
		uint32_t hdr = rd32(fn, at);

		if ((hdr & 0xffff) == id)
			return at;
		at = hdr >> 20;
	}
	return 0;
}

/*
 * Right after the FLR the hypervisor keeps the function's config space
 * closed (a request then may abort on a real host bridge): reads are all
 * ones, writes dropped. After the 100 ms a function gets, it answers again
 * (polled, as Linux's pci_dev_wait() does: the hypervisor's 100 ms began a
 * little after this CPU's).
 */
static void flr_config_closed(uint64_t fn)
{
	uint32_t early = rd32(fn, 0), ids = 0xffffffffu;
	int polls = 0;

	wr32(fn, PCI_COMMAND, PCI_CMD_MEMORY); /* dropped, and told */
	udelay(100000);
	for (; polls < 100 && (ids = rd32(fn, 0)) == 0xffffffffu; polls++)
		udelay(100);
	printf("IDs 0x%x right after FLR, 0x%x after 100 ms and %d polls\n", early, ids, polls);
	if (early != 0xffffffffu || ids == 0xffffffffu)
		TEST_FAIL("flr_config_closed", "IDs 0x%x right after FLR, 0x%x 100 ms later", early,
			  ids);
	else
		TEST_PASS("flr_config_closed");
}

static void flr_bar_restored(uint64_t fn)
{
	uint32_t bars[6], before, after;
	uint64_t bar0;
	unsigned int exp = find_cap(fn, PCI_CAP_EXP);

	if (!exp || !(rd32(fn, exp + PCI_EXP_DEVCAP) & DEVCAP_FLR)) {
		TEST_FAIL("flr_bar_restored", "no PCIe capability with FLR (cap at 0x%x)", exp);
		return;
	}
	for (int i = 0; i < 6; i++)
		bars[i] = rd32(fn, 0x10 + 4 * i);
	bar0 = bars[0] & ~0xfUL;
	if (bars[0] & 4)
		bar0 |= (uint64_t)bars[1] << 32;
	wr32(fn, PCI_COMMAND, PCI_CMD_MEMORY);
	before = *(volatile uint32_t *)(bar0 + IGB_STATUS);
	printf("igb BAR0 0x%lx, STATUS 0x%x before FLR\n", bar0, before);
	wr32(fn, exp + PCI_EXP_DEVCTL, rd32(fn, exp + PCI_EXP_DEVCTL) | DEVCTL_FLR);
	flr_config_closed(fn);
	for (int i = 0; i < 6; i++)
		wr32(fn, 0x10 + 4 * i, bars[i]);
	wr32(fn, PCI_COMMAND, PCI_CMD_MEMORY);
	after = *(volatile uint32_t *)(bar0 + IGB_STATUS);
	printf("igb STATUS 0x%x after FLR and restore\n", after);
	if (before == 0 || before == 0xffffffffu || after != before)
		TEST_FAIL("flr_bar_restored", "STATUS 0x%x before FLR, 0x%x after", before, after);
	else
		TEST_PASS("flr_bar_restored");
}

static void sriov_blocked(uint64_t fn)
{
	unsigned int sriov = find_ext_cap(fn, EXT_SRIOV);
	uint32_t ctrl;

	if (!sriov) {
		TEST_FAIL("sriov_blocked", "no SR-IOV capability");
		return;
	}
	wr32(fn, sriov + SRIOV_NUM_VFS, 1);
	wr32(fn, sriov + SRIOV_VF_BAR0, 0x10000000);
	wr32(fn, sriov + SRIOV_CTRL, SRIOV_VFE | SRIOV_MSE);
	ctrl = rd32(fn, sriov + SRIOV_CTRL) & 0xffff;
	printf("SR-IOV at 0x%x: control 0x%x after enabling a VF\n", sriov, ctrl);
	if (ctrl & (SRIOV_VFE | SRIOV_MSE))
		TEST_FAIL("sriov_blocked", "VF Enable / VF MSE took effect (control 0x%x)", ctrl);
	else
		TEST_PASS("sriov_blocked");
}

#define PCI_CMD_INTX_DISABLE (1u << 10)

static void byte_write_exact(uint64_t fn)
{
	uint32_t before = rd32(fn, PCI_COMMAND) & 0xffff, after;
	/* The byte COMMAND already has; above it, what a 16-bit write would flip. */
	uint64_t reg = (before & 0xff) | ((before ^ PCI_CMD_INTX_DISABLE) & 0xff00);

	__asm__ volatile("strb %w0, [%1]" : : "r"(reg), "r"(fn + PCI_COMMAND) : "memory");
	after = rd32(fn, PCI_COMMAND) & 0xffff;
	printf("COMMAND 0x%x, 0x%x after a byte store from 0x%lx\n", before, after,
	       (unsigned long)reg);
	if ((after ^ before) & PCI_CMD_INTX_DISABLE)
		TEST_FAIL("byte_write_exact", "INTx Disable changed: COMMAND 0x%x -> 0x%x", before,
			  after);
	else
		TEST_PASS("byte_write_exact");
}

#define PCI_CMD_MASTER 0x4u
#define IGB_TDBAL0     0xe000	   /* transmit descriptor ring 0, base address low */
#define RING	       0x48100000u /* in alpha's RAM: where a driver's ring would be */

static volatile uint32_t *igb_reg(uint64_t fn, unsigned int reg)
{
	return (volatile uint32_t *)((uint64_t)(rd32(fn, 0x10) & ~0xfu) + reg);
}

/* As a driver does: decode and Bus Master on, the ring's address programmed. */
static void program_ring(uint64_t fn)
{
	wr32(fn, PCI_COMMAND, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	*igb_reg(fn, IGB_TDBAL0) = RING;
	printf("TDBAL0 0x%x programmed\n", *igb_reg(fn, IGB_TDBAL0));
}

/*
 * At a boot's start: no ring left by what ran before (firmware, or the last
 * boot, whose ring was RING), the device decodes at its placement.
 */
static void reset_device(uint64_t fn, const char *test)
{
	uint32_t ring, status;

	wr32(fn, PCI_COMMAND, PCI_CMD_MEMORY);
	ring = *igb_reg(fn, IGB_TDBAL0);
	status = *igb_reg(fn, IGB_STATUS);
	printf("TDBAL0 0x%x, STATUS 0x%x at this boot's start\n", ring, status);
	if (ring != 0 || status == 0 || status == 0xffffffffu)
		TEST_FAIL(test,
			  "TDBAL0 0x%x (a ring left programmed; the last boot's is 0x%x), "
			  "STATUS 0x%x",
			  ring, RING, status);
	else
		TEST_PASS(test);
}

int main(void *dtb)
{
	uint64_t fn = ECAM_FN(4, 0);
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;

	(void)dtb;
	if (rd32(fn, 0) != IGB_ID) {
		TEST_FAIL("igb_found", "00:04.0 reads 0x%x, not 8086:10c9", rd32(fn, 0));
		return 1;
	}
	if (boot == 1) {
		reset_device(fn, "first_boot_reset_device");
		flr_bar_restored(fn);
		sriov_blocked(fn);
		byte_write_exact(fn);
		program_ring(fn);
		psci_system_reset();
	}
	reset_device(fn, "stop_reset_device");
	program_ring(fn);
	heartbeat_forever(1, 100000, udelay);
}
