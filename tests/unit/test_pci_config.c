// SPDX-License-Identifier: GPL-2.0-only
/*
 * The config-space filter between a guest and its PCI functions
 * (partitions/pci_config.c): what of Device Control, AER, the BARs and the
 * ROM, VPD and PMCSR a guest's write may change, which of its ECAM accesses
 * reach a function at all, and what the log tells of the writes it drops.
 *
 * Against the model of the functions behind the ECAM window (pci_model.h),
 * with what the PCI tests share (pci_fixture.h).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_log.h"
#include "pci_fixture.h"

/* --- Phantom Functions ------------------------------------------------------------ */

#define DEVCTL_RLXD 0x0010 /* Enable Relaxed Ordering: an ordinary bit, passed on */

static void assert_no_phantom_functions(uint16_t bdf, const char *after)
{
	uint32_t devctl = dev_read(bdf, DEVCTL, 2);

	if (devctl & PCI_EXP_DEVCTL_PHANTOM)
		fail_msg("after %s the device's Device Control is 0x%04x: Phantom Functions "
			 "Enable set",
			 after, devctl);
}

static void test_phantom_functions_left_on_by_firmware_are_turned_off_at_boot(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, DEVCTL, 2, PCI_EXP_DEVCTL_PHANTOM | DEVCTL_RLXD);
	assert_int_equal(create(0), 0);
	assert_no_phantom_functions(EDU, "cell creation");
	assert_int_equal(dev_read(EDU, DEVCTL, 2), DEVCTL_RLXD);
}

static void test_guest_cannot_enable_phantom_functions_with_any_access_size(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_PHANTOM | DEVCTL_RLXD);
	assert_no_phantom_functions(EDU, "a 2-byte write of 0x0210");
	assert_int_equal(dev_read(EDU, DEVCTL, 2), DEVCTL_RLXD);
	guest_write(0, EDU, DEVCTL + 1, 1, PCI_EXP_DEVCTL_PHANTOM >> 8);
	assert_no_phantom_functions(EDU, "a 1-byte write of 0x02 at Device Control + 1");
	guest_write(0, EDU, DEVCTL, 4, 0xffffffff); /* an FLR too: read after it ends */
	now_us += FLR_US;
	assert_no_phantom_functions(EDU, "a 4-byte write of all ones");
	assert_int_equal(dev_read(EDU, DEVCTL, 2), 0xffff & ~PCI_EXP_DEVCTL_KEPT);
	assert_int_equal(guest_read(0, EDU, DEVCTL, 2) & PCI_EXP_DEVCTL_PHANTOM, 0);
}

static void test_guest_keeps_firmwares_payload_size_and_error_reporting(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, DEVCTL, 2, MPS_256 | PCI_EXP_DEVCTL_ERR_EN); /* as firmware set it */
	assert_int_equal(create(0), 0);
	/* 4096 bytes and no error reporting asked for; Relaxed Ordering passes. */
	guest_write(0, EDU, DEVCTL, 2, (5u << 5) | DEVCTL_RLXD);
	assert_int_equal(dev_read(EDU, DEVCTL, 2), MPS_256 | PCI_EXP_DEVCTL_ERR_EN | DEVCTL_RLXD);
	guest_write(0, EDU, DEVCTL, 1, 0);
	assert_int_equal(dev_read(EDU, DEVCTL, 2), MPS_256 | PCI_EXP_DEVCTL_ERR_EN);
	/* Max_Read_Request_Size (14:12) is the function's own business. */
	guest_write(0, EDU, DEVCTL + 1, 1, 0x50);
	assert_int_equal(dev_read(EDU, DEVCTL, 2), 0x5000 | MPS_256 | PCI_EXP_DEVCTL_ERR_EN);
	/* A function reset clears them; the guest's restore writes firmware's back. */
	dev_write(EDU, DEVCTL, 2, 0x2000);
	guest_write(0, EDU, DEVCTL, 2, 0x2000);
	assert_int_equal(dev_read(EDU, DEVCTL, 2), 0x2000 | MPS_256 | PCI_EXP_DEVCTL_ERR_EN);
}

/* --- AER: what is reported, and how, is the board's ------------------------------------ */

/*
 * Unmasking an error, or making it fatal, sends the root port messages the
 * board's RAS acts on (a fatal one may reset the link other cells' devices
 * are behind): until 2026-11-24 the guest's writes went to the device.
 */
static void test_guest_cannot_change_aer_masks_severities_or_ecrc(void **state)
{
	(void)state;
	aer_endpoint_in_alpha();
	guest_write(0, EDU, AER + PCI_ERR_UNCOR_MASK, 4, 0);
	guest_write(0, EDU, AER + PCI_ERR_UNCOR_SEVER + 2, 1, 0xff); /* all fatal */
	guest_write(0, EDU, AER + PCI_ERR_COR_MASK, 2, 0);
	guest_write(0, EDU, AER + PCI_ERR_CAP, 4, 0);
	assert_aer_as_firmware_left_it("the guest's writes");
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x108 dropped: AER masks, "
		      "severities and ECRC are the board's (error messages go to the root port): "
		      "firmware's value kept");
	/* Writing what is there is no news; the status registers (RW1C) are the guest's. */
	fake_log_reset();
	guest_write(0, EDU, AER + PCI_ERR_UNCOR_MASK, 4, AER_UNCOR_MASK);
	assert_int_equal(fake_log_count(LOG_WARN), 0);
	guest_write(0, EDU, AER + 0x04, 4, 0x00001000);
	assert_int_equal(dev_read(EDU, AER + 0x04, 4), 0x00001000);
}

/* A function reset clears AER; the guest's restore writes firmware's values back. */
static void test_guest_restore_of_aer_after_a_reset_writes_firmwares_values(void **state)
{
	(void)state;
	aer_endpoint_in_alpha();
	for (uint32_t reg = PCI_ERR_UNCOR_MASK; reg <= PCI_ERR_CAP; reg += 4)
		dev_write(EDU, AER + reg, 4, 0);
	guest_write(0, EDU, AER + PCI_ERR_UNCOR_MASK, 4, 0);
	guest_write(0, EDU, AER + PCI_ERR_UNCOR_SEVER, 4, 0);
	guest_write(0, EDU, AER + PCI_ERR_COR_MASK, 4, 0);
	guest_write(0, EDU, AER + PCI_ERR_CAP, 4, 0);
	assert_aer_as_firmware_left_it("a reset and the guest's restore");
}

/* --- the guest's BAR writes: the placement stays ------------------------------------ */

/*
 * The guest writes 0x20000000 to BAR @i of 00:03.0 (placed at @placed) while
 * Memory is on: the device goes on decoding where the hypervisor put it, and
 * the guest reads that back. A write that reached the device would move the
 * function, decoding, to an address of the host's window this cell's stage 2
 * does not map: another cell's BAR, or nobody's.
 */
static void assert_bar_write_keeps_the_placement(int i, uint32_t placed)
{
	uint32_t reg = PCI_BAR0 + 4 * (uint32_t)i;

	assert_int_equal(dev_read(EDU, reg, 4), placed);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_true(dev_read(EDU, PCI_COMMAND, 2) & PCI_CMD_MEMORY);
	guest_write(0, EDU, reg, 4, 0x20000000);
	if (dev_read(EDU, reg, 4) != placed)
		fail_msg("the guest's write of 0x20000000 to BAR%d (+0x%x), Memory on, reached the "
			 "device: it holds 0x%08x, placed at 0x%08x",
			 i, reg, dev_read(EDU, reg, 4), placed);
	assert_int_equal(guest_read(0, EDU, reg, 4), placed);
}

static void test_guest_write_of_bar0_leaves_the_device_decoding_where_placed(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000); /* 1 MiB */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_bar_write_keeps_the_placement(0, PLACED_BAR0);
}

/* BAR5, the last: an AHCI controller's registers (ABAR) are there. */
static void test_guest_write_of_bar5_leaves_the_device_decoding_where_placed(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 5, 0xffffe000); /* 8 KiB */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_bar_write_keeps_the_placement(5, PLACED_BAR0);
}

/*
 * 00:03.0 with a 64-bit BAR0 (1 MiB), BAR5 (8 KiB) and a PCI Express
 * capability, the bytes around the BARs and the ROM (BIST, CardBus CIS,
 * Subsystem ID, Capabilities Pointer) set, given to alpha.
 */
static void edu_with_bars_around(void)
{
	add_fn(EDU, 0);
	add_pcie(EDU, 0x0);
	dev_write(EDU, PCI_BAR0, 4, PCI_BAR_MEM_64);
	add_bar(EDU, 0, 0xfff00000);
	add_bar(EDU, 1, 0xffffffff);
	add_bar(EDU, 5, 0xffffe000);
	dev_write(EDU, 0x0f, 1, 0x5b);
	dev_write(EDU, 0x28, 4, 0x12345678);
	dev_write(EDU, 0x2c, 4, 0xab3412e8);
	give(0, EDU);
	assert_int_equal(create(0), 0);
}

/*
 * Every byte of BAR0-BAR5 (0x10-0x27) and the Expansion ROM BAR (0x30-0x33)
 * is emulated: a byte write of any of them reaches no device register (one
 * that did would move a BAR, or turn the ROM on at an address of the
 * guest's choosing), and reads show the placement. The bytes around them
 * are the device's.
 */
static void test_every_byte_of_the_bars_and_the_rom_is_emulated_and_none_around(void **state)
{
	uint8_t before[0x34];
	uint32_t reg;

	(void)state;
	edu_with_bars_around();
	for (reg = PCI_BAR0; reg < 0x34; reg++)
		before[reg] = (uint8_t)dev_read(EDU, reg, 1);
	for (reg = PCI_BAR0; reg < 0x34; reg++) {
		if (reg >= 0x28 && reg < PCI_ROM_ADDRESS)
			continue;
		guest_write(0, EDU, reg, 1, 0x5a);
		for (uint32_t at = PCI_BAR0; at < 0x34; at++)
			if (dev_read(EDU, at, 1) != before[at])
				fail_msg(
					"a byte write of 0x5a at +0x%x changed the device's +0x%x: "
					"0x%02x, was 0x%02x",
					reg, at, dev_read(EDU, at, 1), before[at]);
	}
	assert_int_equal(guest_read(0, EDU, 0x27, 1), dev_read(EDU, 0x24, 4) >> 24);
	assert_int_equal(guest_read(0, EDU, PCI_ROM_ADDRESS, 4), 0);
	assert_int_equal(guest_read(0, EDU, 0x0f, 1), 0x5b);
	assert_int_equal(guest_read(0, EDU, 0x28, 4), 0x12345678);
	assert_int_equal(guest_read(0, EDU, 0x2f, 1), 0xab);
	assert_int_equal(guest_read(0, EDU, PCI_CAP_PTR, 1), 0x40);
}

/*
 * Sizing as Linux does it: all ones written, the size read back, the upper
 * half of a 64-bit BAR too. All ones written to the ROM sizes no BAR.
 */
static void test_a_64_bit_bars_halves_size_and_the_rom_sizes_no_bar(void **state)
{
	uint32_t bar0;

	(void)state;
	edu_with_bars_around();
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 4, 4), 0); /* decoding below 4 GiB */
	bar0 = guest_read(0, EDU, PCI_BAR0, 4);
	guest_write(0, EDU, PCI_ROM_ADDRESS, 4, 0xffffffff);
	assert_int_equal(guest_read(0, EDU, PCI_BAR0, 4), bar0);
	guest_write(0, EDU, PCI_BAR0 + 4, 4, 0xffffffff);
	assert_int_equal(guest_read(0, EDU, PCI_BAR0 + 4, 4), 0xffffffff); /* below 4 GiB */
	guest_write(0, EDU, PCI_BAR0, 4, 0xffffffff);
	assert_int_equal(guest_read(0, EDU, PCI_BAR0, 4), 0xfff00000 | PCI_BAR_MEM_64);
}

/*
 * The ECAM window is claimed from its first byte to its last, not beyond;
 * a function not the cell's reads as absent; and a reset's
 * cleared BARs, BAR5 too, are placed again when Memory goes on.
 */
static void test_the_ecam_window_another_cells_function_and_bar5_after_a_reset(void **state)
{
	uint32_t bar5;

	(void)state;
	edu_with_bars_around();
	assert_true(pci_ecam_claims(&cells[0], ECAM));
	assert_true(pci_ecam_claims(&cells[0], ECAM + NR_BUSES * ECAM_BUS_SIZE - 1));
	assert_false(pci_ecam_claims(&cells[0], ECAM + NR_BUSES * ECAM_BUS_SIZE));
	/* A function not the cell's reads as none: all ones. */
	assert_int_equal(guest_read(0, EDU + 8, PCI_VENDOR_ID, 4), 0xffffffff);
	bar5 = dev_read(EDU, PCI_BAR0 + 20, 4);
	assert_int_not_equal(bar5, 0);
	function_reset(EDU);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 20, 4), bar5);
}

/* --- the guest's ECAM accesses: naturally aligned, 4 bytes at most ------------------ */

/*
 * Cell alpha's @size-byte access at @reg of 00:03.0 is refused (-EINVAL: its
 * vCPU takes an abort) and makes no config request: a misaligned one would
 * reach bytes of two registers at once, past the filters of either (a dword
 * at 0x0e writes BIST and BAR0's low half), or at 0xffe the next function's
 * space, another cell's maybe.
 */
static void assert_access_refused(uint32_t reg, unsigned int size, bool write)
{
	uint32_t v = 0x20000000;
	unsigned int before = nr_cfg_requests;
	int ret = guest_access(0, EDU, reg, size, write, &v);

	if (ret != -EINVAL || nr_cfg_requests != before)
		fail_msg("the guest's %u-byte %s at +0x%x answered %d (not -EINVAL) and made %u "
			 "config request(s)",
			 size, write ? "write" : "read", reg, ret, nr_cfg_requests - before);
}

static void test_misaligned_ecam_accesses_are_refused_and_reach_no_function(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	for (int write = 0; write < 2; write++) {
		assert_access_refused(2, 4, write);
		assert_access_refused(PCI_BAR0 - 2, 4, write);
		assert_access_refused(PCI_COMMAND + 1, 2, write);
		assert_access_refused(0xffe, 4, write);
		assert_access_refused(0xfff, 2, write);
		assert_access_refused(0, 8, write);
	}
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
}

/* --- VPD: the device's own storage ------------------------------------------------------- */

/* A VPD capability after the PCI Express one: Address at +2 (F, bit 15), Data at +4. */
#define VPD	 0x80
#define VPD_ADDR (VPD + 2)

/*
 * A VPD address write starts a read or write of the device's own storage,
 * whose writable fields outlive the cell (the next cell's, the host's
 * firmware's): dropped, at every size, and told as the SR-IOV capability's;
 * reads pass. Until 2026-11-25 the writes reached the device.
 */
static void test_vpd_writes_are_dropped_and_its_reads_pass(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	add_cap(EDU, VPD, PCI_CAP_VPD);
	dev_write(EDU, VPD + 4, 4, 0x12345678); /* what the last VPD read left in Data */
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, VPD_ADDR, 2, 0x8000 | 0x10); /* F set: write VPD offset 0x10 */
	guest_write(0, EDU, VPD + 4, 4, 0xdeadbeef);
	guest_write(0, EDU, VPD, 4, 0x0010u << 16);
	guest_write(0, EDU, VPD_ADDR + 1, 1, 0x80);
	assert_int_equal(dev_read(EDU, VPD_ADDR, 2), 0);
	assert_int_equal(dev_read(EDU, VPD + 4, 4), 0x12345678);
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x82 dropped: VPD capability (it "
		      "writes the device's own storage, which outlives the cell: not passed "
		      "through)");
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x84 dropped: VPD capability");
	assert_int_equal(guest_read(0, EDU, VPD + 4, 4), 0x12345678);
	assert_int_equal(guest_read(0, EDU, VPD, 1), PCI_CAP_VPD);
	/* What follows it is written as before. */
	guest_write(0, EDU, VPD + 8, 4, 0xa5a5a5a5);
	assert_int_equal(dev_read(EDU, VPD + 8, 4), 0xa5a5a5a5);
}

/* --- what the log tells of a cell's config writes --------------------------------------- */

#define FOREIGN_WRITE_TOLD \
	"W: alpha: pci: config write to 00:00.0 +0x4 dropped: not the cell's function"

/* alpha's guest writes COMMAND of 00:00.0, not its function, @n times: each dropped. */
static void foreign_writes(int n)
{
	for (int i = 0; i < n; i++)
		guest_write(0, 0x0000, PCI_COMMAND, 2, PCI_CMD_MEMORY);
}

/*
 * Until 2026-11-24 a function kept off after a reset counted against the
 * dropped writes' 8: once Linux's SR-IOV probe alone had used them up, that
 * error (and ACS not taking, and a reset during the enable) was never told.
 */
static void test_a_function_kept_off_is_told_after_many_dropped_writes(void **state)
{
	(void)state;
	ea_endpoint_in_alpha();
	fake_log_reset();
	foreign_writes(20);
	assert_int_equal(fake_log_count(LOG_WARN), 8);
	guest_flr_of_edu();
	dev_write(EDU, 0x64, 4, PCI_EA_ENABLE | 3u);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_logged("E: alpha: pci: 00:03.0: Enhanced Allocation entry 0 is enabled after a "
		      "function reset: Memory and Bus Master kept off");
}

/* Until 2026-11-24 the 8 were the cell's for good: a restarted guest's were never told. */
static void test_dropped_writes_are_told_again_at_each_boot(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	foreign_writes(9);
	fake_log_reset();
	assert_int_equal(pci_cell_quiesce(&cells[0]), 0); /* before the reload of a restart */
	foreign_writes(1);
	assert_logged(FOREIGN_WRITE_TOLD);
}

/* The quick boots of a restart storm are told about as one (cell_storm.c): one 8 for all. */
static void test_a_restart_storms_boots_share_their_8(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	foreign_writes(8);
	fake_log_reset();
	storm_boot = true;
	assert_int_equal(pci_cell_quiesce(&cells[0]), 0);
	foreign_writes(1);
	assert_not_logged(FOREIGN_WRITE_TOLD);
}

/* --- PME_En: a function's wake-up goes to the host, not to the cell -------------------- */

/*
 * Until 2026-11-25 PME_En (PMCSR bit 8) was the guest's to set (found by the
 * DMA room's audit): a PME message goes to the root port, not to the cell,
 * and with the port's PME interrupt enabled by firmware its INTx (a line of
 * the host, which the layout's line check does not look at, so maybe another
 * cell's) stays asserted until someone clears the port's PME Status, which no
 * cell owns. Masked out of writes of every width that reaches it.
 */
static void test_guest_cannot_set_pme_enable(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, PM_CTRL, 2, PCI_PM_PME_EN);
	assert_pme_enable_clear("the guest's 2-byte write of PMCSR");
}

static void test_guest_cannot_set_pme_enable_by_its_byte(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, PM_CTRL + 1, 1, PCI_PM_PME_EN >> 8);
	assert_pme_enable_clear("the guest's 1-byte write of PMCSR's upper byte");
}

static void test_guest_cannot_set_pme_enable_by_the_dword(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, PM_CTRL, 4, PCI_PM_PME_EN);
	assert_pme_enable_clear("the guest's 4-byte write of PMCSR and its Data");
}

/* The rest of PMCSR is the guest's: PowerState (D3hot closes config space), PME_Status,
 * Data_Select. */
static void test_pmcsr_but_pme_enable_is_written_as_the_guest_wrote_it(void **state)
{
	uint32_t want = PCI_PM_PME_STATUS | 0x0200 | PCI_PM_STATE_D3HOT;

	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, PM_CTRL, 2, want | PCI_PM_PME_EN);
	assert_int_equal(dev_read(EDU, PM_CTRL, 2), want);
	assert_closed_to_the_guest(); /* a change to D3hot: 10 ms */
}

/* PME_En may be sticky (a function that wakes from D3cold): firmware's goes at assignment. */
static void test_assignment_clears_a_pme_enable_firmware_left_set(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	add_cap(EDU, PM, PCI_CAP_PM);
	dev_write(EDU, PM_CTRL, 2, PCI_PM_PME_EN | PCI_PM_STATE_D0);
	assert_int_equal(create(0), 0);
	assert_pme_enable_clear("the function's assignment");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_phantom_functions_left_on_by_firmware_are_turned_off_at_boot, setup),
		cmocka_unit_test_setup(
			test_guest_cannot_enable_phantom_functions_with_any_access_size, setup),
		cmocka_unit_test_setup(test_guest_keeps_firmwares_payload_size_and_error_reporting,
				       setup),
		cmocka_unit_test_setup(
			test_guest_write_of_bar0_leaves_the_device_decoding_where_placed, setup),
		cmocka_unit_test_setup(
			test_guest_write_of_bar5_leaves_the_device_decoding_where_placed, setup),
		cmocka_unit_test_setup(
			test_every_byte_of_the_bars_and_the_rom_is_emulated_and_none_around, setup),
		cmocka_unit_test_setup(test_a_64_bit_bars_halves_size_and_the_rom_sizes_no_bar,
				       setup),
		cmocka_unit_test_setup(
			test_the_ecam_window_another_cells_function_and_bar5_after_a_reset, setup),
		cmocka_unit_test_setup(
			test_misaligned_ecam_accesses_are_refused_and_reach_no_function, setup),
		cmocka_unit_test_setup(test_vpd_writes_are_dropped_and_its_reads_pass, setup),
		cmocka_unit_test_setup(test_guest_cannot_change_aer_masks_severities_or_ecrc,
				       setup),
		cmocka_unit_test_setup(
			test_guest_restore_of_aer_after_a_reset_writes_firmwares_values, setup),
		cmocka_unit_test_setup(test_a_function_kept_off_is_told_after_many_dropped_writes,
				       setup),
		cmocka_unit_test_setup(test_dropped_writes_are_told_again_at_each_boot, setup),
		cmocka_unit_test_setup(test_a_restart_storms_boots_share_their_8, setup),
		cmocka_unit_test_setup(test_guest_cannot_set_pme_enable, setup),
		cmocka_unit_test_setup(test_guest_cannot_set_pme_enable_by_its_byte, setup),
		cmocka_unit_test_setup(test_guest_cannot_set_pme_enable_by_the_dword, setup),
		cmocka_unit_test_setup(test_pmcsr_but_pme_enable_is_written_as_the_guest_wrote_it,
				       setup),
		cmocka_unit_test_setup(test_assignment_clears_a_pme_enable_firmware_left_set,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
