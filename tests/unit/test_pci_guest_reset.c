// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI resets a guest starts (FLR, Advanced Features FLR, D3hot to D0):
 * config space closed to it until they end, and what the placement puts
 * back when the guest turns the function on again (BARs, Resizable BAR
 * sizes, AER, Enhanced Allocation entries off).
 *
 * Against the model of the functions behind the ECAM window (pci_model.h),
 * with what the PCI tests share (pci_fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_log.h"
#include "pci_fixture.h"

/* --- resets the guest starts: config space closed until they end ------------------------- */

/* The device side of the guest's FLR: BARs and COMMAND cleared, requests abort for @us. */
static void device_resets_for(uint32_t us)
{
	function_reset(EDU);
	fn_at(EDU)->reset_until = now_us + us;
}

/*
 * Until 2026-11-24 the guest's next config access went to the function at
 * once: a request during the reset, which some host bridges abort, at EL2.
 */
static void test_config_space_is_closed_for_100_ms_after_the_guests_flr(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	device_resets_for(FLR_US);
	assert_closed_to_the_guest();
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x4 dropped: the function is still "
		      "resetting (an FLR or D3hot change its guest started: 100 or 10 ms)");
	now_us = FLR_US - 1;
	assert_closed_to_the_guest();
	now_us = FLR_US;
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0); /* placed again */
}

/* FLR written as the high byte of Device Control: the same. */
static void test_flr_written_as_one_byte_closes_config_space_too(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, DEVCTL + 1, 1, PCI_EXP_DEVCTL_BCR_FLR >> 8);
	device_resets_for(FLR_US);
	assert_closed_to_the_guest();
}

/*
 * A conventional function's FLR is AF Control's Initiate FLR (Linux:
 * pci_af_flr()): until 2026-11-24 only Device Control's was seen, and the
 * guest's next access reached the function in reset.
 */
static void test_config_space_is_closed_for_100_ms_after_an_af_flr(void **state)
{
	(void)state;
	conventional_endpoint_with_af_in_alpha(AF_TP | PCI_AF_CAP_FLR);
	guest_write(0, EDU, AF_CTRL, 1, PCI_AF_CTRL_FLR);
	device_resets_for(FLR_US);
	assert_closed_to_the_guest();
	now_us = FLR_US - 1;
	assert_closed_to_the_guest();
	now_us = FLR_US;
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
	/* A 2- or 4-byte write that covers AF Control: the same. */
	guest_write(0, EDU, AF_CTRL, 2, PCI_AF_CTRL_FLR);
	device_resets_for(FLR_US);
	assert_closed_to_the_guest();
	now_us = 2 * FLR_US;
	guest_write(0, EDU, AF_CTRL, 4, PCI_AF_CTRL_FLR);
	device_resets_for(FLR_US);
	assert_closed_to_the_guest();
}

/* Initiate FLR clear, a write of AF Status, or an AF capability without FLR: no reset. */
static void test_af_writes_that_start_no_flr_leave_config_space_open(void **state)
{
	(void)state;
	conventional_endpoint_with_af_in_alpha(AF_TP | PCI_AF_CAP_FLR);
	guest_write(0, EDU, AF_CTRL, 1, 0);
	guest_write(0, EDU, AF_CTRL + 1, 1, 0x01); /* AF Status: TP (RW1C) */
	/* The header dword as it is: its capability ID, 0x13, has bit 0 set. */
	guest_write(0, EDU, AF, 4, guest_read(0, EDU, AF, 4));
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
	setup(NULL);
	conventional_endpoint_with_af_in_alpha(AF_TP);
	guest_write(0, EDU, AF_CTRL, 1, PCI_AF_CTRL_FLR);
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
}

static void test_config_space_is_closed_for_10_ms_around_d3hot(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, PM_CTRL, 2, PCI_PM_STATE_D3HOT);
	device_resets_for(D3HOT_US);
	assert_closed_to_the_guest();
	now_us = D3HOT_US;
	assert_int_equal(guest_read(0, EDU, PM_CTRL, 2), PCI_PM_STATE_D3HOT);
	guest_write(0, EDU, PM_CTRL, 1, 0); /* back to D0: a reset from D3hot */
	device_resets_for(D3HOT_US);
	assert_closed_to_the_guest();
	now_us = 2 * D3HOT_US;
	assert_int_equal(guest_read(0, EDU, PM_CTRL, 2), 0);
	/* D0 to D0, and a write of PMCSR's upper byte, reset nothing. */
	guest_write(0, EDU, PM_CTRL, 2, 0);
	guest_write(0, EDU, PM_CTRL + 1, 1, 0x01);
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
}

static void test_immediate_readiness_waives_the_wait(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, PCI_STATUS, 2, dev_read(EDU, PCI_STATUS, 2) | PCI_STATUS_IMM_READY);
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	function_reset(EDU);
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
}

/*
 * A cell stopped right after its FLR: the hypervisor's own COMMAND write
 * waits for the end (the model fails any request before it), then the
 * stop's own reset of the function, D3hot and back (10 ms each).
 */
static void test_quiescing_a_cell_waits_for_its_functions_reset(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	device_resets_for(FLR_US);
	relax_waits = true;
	assert_int_equal(pci_cell_quiesce(&cells[0]), 0);
	assert_true(now_us >= FLR_US + 2 * D3HOT_US);
	assert_true(now_us < FLR_US + 2 * D3HOT_US + 2000);
}

/* --- what a function reset puts back that the placement did not expect ------------------- */

/*
 * BAR0 resizable from 1 MiB (firmware's size when it was placed) to 16 MiB,
 * the size a reset puts back: 16 MiB at the placement would decode over the
 * BARs after it. Until 2026-11-24 nothing wrote the size back.
 */
static void test_resizable_bar_size_is_written_back_after_a_reset(void **state)
{
	struct model_fn *m;

	(void)state;
	pcie_endpoint_in_alpha(EDU);
	m = fn_at(EDU);
	m->rebar_at = 0x100;
	m->rebar_reset = 4;
	dev_write(EDU, 0x100, 4, PCI_EXT_REBAR | 1u << 16);
	dev_write(EDU, 0x100 + PCI_REBAR_CTRL, 4, 1u << 5); /* one entry, BAR0, 1 MiB */
	assert_int_equal(create(0), 0);
	guest_flr_of_edu();
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	if ((dev_read(EDU, 0x100 + PCI_REBAR_CTRL, 4) & PCI_REBAR_CTRL_SIZE) != 0)
		fail_msg("BAR0's Resizable BAR Control is 0x%x after the reset and the enable: "
			 "it decodes %u MiB at 0x%x, placed for 1 MiB",
			 dev_read(EDU, 0x100 + PCI_REBAR_CTRL, 4),
			 1u << ((dev_read(EDU, 0x100 + PCI_REBAR_CTRL, 4) >> 8) & 0x3f),
			 dev_read(EDU, PCI_BAR0, 4));
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
	/* A reset landing between the placement and the enable leaves Memory off. */
	reset_before_enable = EDU;
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2) & PCI_CMD_MEMORY, 0);
}

/*
 * The same with BAR5 the only BAR (an AHCI controller's ABAR): BAR5 is
 * checked too, and the reset's leaves Memory off.
 */
static void test_a_reset_before_the_enable_of_a_bar5_only_function_leaves_it_off(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 5, 0xffffe000);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_int_not_equal(dev_read(EDU, PCI_BAR0 + 20, 4), 0);
	reset_before_enable = EDU;
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2) & PCI_CMD_MEMORY, 0);
}

/*
 * An Enhanced Allocation entry disabled at assignment that a reset enables
 * (its default may be on) decodes a range nobody placed: Memory stays off.
 */
static void test_ea_entry_a_reset_enabled_keeps_memory_off(void **state)
{
	(void)state;
	ea_endpoint_in_alpha();
	guest_flr_of_edu();
	dev_write(EDU, 0x64, 4, PCI_EA_ENABLE | 3u);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	if (dev_read(EDU, PCI_COMMAND, 2) & (PCI_CMD_MEMORY | PCI_CMD_MASTER))
		fail_msg("COMMAND 0x%x with EA entry 0 enabled: it decodes 0x20000000+1 MiB, "
			 "which nobody placed",
			 dev_read(EDU, PCI_COMMAND, 2));
	assert_logged("E: alpha: pci: 00:03.0: Enhanced Allocation entry 0 is enabled after a "
		      "function reset: Memory and Bus Master kept off");
}

/*
 * A guest that does not restore AER after a reset (no AER driver) leaves the
 * reset's masks and severities: until 2026-11-24 only its own write of one
 * put firmware's value back. The placement, written again when Memory goes
 * on, puts them back too.
 */
static void test_aer_is_firmwares_again_once_a_reset_function_decodes(void **state)
{
	(void)state;
	aer_endpoint_in_alpha();
	guest_flr_of_edu();
	for (uint32_t reg = PCI_ERR_UNCOR_MASK; reg <= PCI_ERR_CAP; reg += 4)
		dev_write(EDU, AER + reg, 4, 0); /* what the reset left */
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_aer_as_firmware_left_it("a reset and the guest's COMMAND = Memory");
}

/*
 * After its own FLR, a guest turns Bus Master on alone (a device whose BARs
 * it does not use yet): until 2026-11-25 only Memory put the BARs back, and
 * the check after the write found the reset's zeros and turned Master off.
 */
static void test_bus_master_alone_after_the_guests_flr_is_kept(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	guest_flr_of_edu();
	fake_log_reset();
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER);
	assert_command(EDU, PCI_CMD_MASTER, "the guest's FLR and a COMMAND write of Bus Master");
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/*
 * Resizable BAR Control counts @nbar BARs: the sizes of the first min(@nbar,
 * 6) are kept and written back after a reset (the last of them too), the
 * dword after them is not one.
 */
static void rebar_sizes_written_back(uint32_t nbar)
{
	uint32_t kept = nbar < PCI_NR_BARS ? nbar : PCI_NR_BARS;
	uint32_t last = 0x100 + PCI_REBAR_CTRL + 8 * (kept - 1), after = last + 8;

	setup(NULL);
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, 0x100, 4, PCI_EXT_REBAR | 1u << 16);
	dev_write(EDU, 0x100 + PCI_REBAR_CTRL, 4, nbar << 5); /* BAR0, 1 MiB */
	for (uint32_t i = 1; i < kept; i++)
		dev_write(EDU, 0x100 + PCI_REBAR_CTRL + 8 * i, 4, i);
	assert_int_equal(create(0), 0);
	guest_flr_of_edu();
	dev_write(EDU, last, 4, (kept - 1) | 4u << 8); /* the reset's 16 MiB */
	dev_write(EDU, after, 4, 4u << 8);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	if (dev_read(EDU, last, 4) != kept - 1 || dev_read(EDU, after, 4) != 4u << 8)
		fail_msg("NBAR %u: after a reset and the enable Resizable BAR Control %u is 0x%x "
			 "(kept 0x%x) and the dword after it 0x%x (left 0x400)",
			 nbar, kept - 1, dev_read(EDU, last, 4), kept - 1, dev_read(EDU, after, 4));
}

/* 5 BARs; and 7, one more than a function has: 6. */
static void test_resizable_bar_sizes_written_back_are_the_ones_counted(void **state)
{
	(void)state;
	rebar_sizes_written_back(5);
	rebar_sizes_written_back(7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_a_reset_before_the_enable_of_a_bar5_only_function_leaves_it_off,
			setup),
		cmocka_unit_test_setup(test_aer_is_firmwares_again_once_a_reset_function_decodes,
				       setup),
		cmocka_unit_test_setup(test_config_space_is_closed_for_100_ms_after_the_guests_flr,
				       setup),
		cmocka_unit_test_setup(test_flr_written_as_one_byte_closes_config_space_too, setup),
		cmocka_unit_test_setup(test_config_space_is_closed_for_10_ms_around_d3hot, setup),
		cmocka_unit_test_setup(test_config_space_is_closed_for_100_ms_after_an_af_flr,
				       setup),
		cmocka_unit_test_setup(test_af_writes_that_start_no_flr_leave_config_space_open,
				       setup),
		cmocka_unit_test_setup(test_immediate_readiness_waives_the_wait, setup),
		cmocka_unit_test_setup(test_quiescing_a_cell_waits_for_its_functions_reset, setup),
		cmocka_unit_test_setup(test_bus_master_alone_after_the_guests_flr_is_kept, setup),
		cmocka_unit_test_setup(test_resizable_bar_size_is_written_back_after_a_reset,
				       setup),
		cmocka_unit_test_setup(test_ea_entry_a_reset_enabled_keeps_memory_off, setup),
		cmocka_unit_test_setup(test_resizable_bar_sizes_written_back_are_the_ones_counted,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
