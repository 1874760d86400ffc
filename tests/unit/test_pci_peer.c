// SPDX-License-Identifier: GPL-2.0-only
/*
 * Peer-to-peer between the PCI functions of two cells (partitions/pci_peer.c):
 * a device whose functions are split between cells, and devices of two cells
 * below PCI Express ports, each need ACS redirection on the way, turned on
 * by the hypervisor and kept on across the functions' resets.
 *
 * Against the model of the functions behind the ECAM window (pci_model.h),
 * with what the PCI tests share (pci_fixture.h).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "fake_log.h"
#include "pci_fixture.h"

/* --- multi-function devices split between cells --------------------------------------- */

#define EXPECT_SPLIT                                                                              \
	"E: beta: pci-devices: 00:03.1: 00:03.0, a function of the same device, belongs to cell " \
	"\"alpha\", and "

/* split_device() of PCIe functions with every ACS bit, 00:03.0 given to alpha, 00:03.1 to beta. */
static void split_device_assigned(void)
{
	split_device(true, ACS_ALL);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
}

static void test_conventional_device_split_between_cells_is_refused(void **state)
{
	(void)state;
	split_device(false, -1); /* QEMU's edu, multifunction=on */
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged(EXPECT_SPLIT
		      "00:03.1 has no ACS capability that redirects peer-to-peer "
		      "requests and completions upstream: traffic between the two would "
		      "not reach the SMMU (give all the functions of a device to one "
		      "cell)");
}

static void test_device_split_with_acs_on_both_functions_is_accepted_with_acs_on(void **state)
{
	(void)state;
	split_device_assigned();
	/* Turned on by the hypervisor on both, Source Validation left as it was. */
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	assert_int_equal(acs_ctrl(EDU_FN1), ACS_NEEDED);
	assert_logged("I: beta: pci: 00:03.1 shares its device with 00:03.0 of cell \"alpha\": ACS "
		      "sends the traffic between them to the SMMU");
	/* And the guest cannot turn it off again. */
	guest_write(1, EDU_FN1, 0x100 + PCI_ACS_CTRL, 2, 0);
	assert_int_equal(acs_ctrl(EDU_FN1), ACS_NEEDED);
	assert_logged("W: beta: pci: config write to 00:03.1 +0x106 dropped: ACS capability "
		      "(peer-to-peer isolation is the hypervisor's)");
}

static void test_acs_is_on_again_before_a_reset_function_decodes_or_masters(void **state)
{
	(void)state;
	split_device_assigned();
	guest_flr_of_edu();
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER);
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	function_reset(EDU_FN1);
	/* SERR# Enable is not the guest's: error reporting stays as firmware set Device Control. */
	guest_write(1, EDU_FN1, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_SERR);
	assert_int_equal(acs_ctrl(EDU_FN1), ACS_NEEDED);
	assert_int_equal(dev_read(EDU_FN1, PCI_COMMAND, 2), PCI_CMD_MEMORY);
}

/*
 * After an FLR the ACS Control write may be lost (a function still in reset
 * ignores config writes): the function must not decode or master with
 * redirection off, where another cell's function of its device would reach it
 * (and it them) without the SMMU.
 */
static void test_reset_function_whose_acs_does_not_come_back_stays_off(void **state)
{
	(void)state;
	split_device_assigned();
	guest_flr_of_edu();
	fn_at(EDU)->ro_at = 0x100 + PCI_ACS_CTRL; /* the restore does not take */
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER | PCI_CMD_MEMORY | PCI_CMD_INTX_DIS);
	if (dev_read(EDU, PCI_COMMAND, 2) & (PCI_CMD_MASTER | PCI_CMD_MEMORY))
		fail_msg("ACS Control 0x%x after the reset, yet COMMAND 0x%x: the function decodes "
			 "or masters with peer-to-peer redirection off",
			 acs_ctrl(EDU), dev_read(EDU, PCI_COMMAND, 2));
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), PCI_CMD_INTX_DIS); /* the rest goes on */
	assert_logged("E: alpha: pci: 00:03.0: ACS redirection did not take after a function "
		      "reset (Control 0x0000): Bus Master and Memory kept off");
	/* The next COMMAND write tries again; once Control takes the bits, it goes through. */
	fn_at(EDU)->ro_at = 0;
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER | PCI_CMD_MEMORY);
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), PCI_CMD_MASTER | PCI_CMD_MEMORY);
}

/*
 * A reset that completes between the placement (BARs, ACS) and the COMMAND
 * write that turns decoding on: the function would decode at its reset BARs
 * (0) and master with ACS off, reaching the other cell's function of its
 * device without the SMMU. Both bits go off again at once, and the next
 * COMMAND write places it anew.
 */
static void test_a_reset_completing_before_the_enable_leaves_the_function_off(void **state)
{
	uint32_t bar0;

	(void)state;
	split_device_assigned();
	bar0 = dev_read(EDU, PCI_BAR0, 4);
	assert_int_not_equal(bar0, 0);
	reset_before_enable = EDU;
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER | PCI_CMD_MEMORY);
	if (dev_read(EDU, PCI_COMMAND, 2) & (PCI_CMD_MASTER | PCI_CMD_MEMORY))
		fail_msg("BAR0 0x%x (placed 0x%x), ACS Control 0x%x after the reset, yet COMMAND "
			 "0x%x",
			 dev_read(EDU, PCI_BAR0, 4), bar0, acs_ctrl(EDU),
			 dev_read(EDU, PCI_COMMAND, 2));
	assert_logged("E: alpha: pci: 00:03.0: reset while Memory or Bus Master was turned on "
		      "(BARs or ACS not as placed): both off again, tried again at the next "
		      "COMMAND write");
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER | PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), PCI_CMD_MASTER | PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), bar0);
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
}

/* A function answering all ones (still in reset) has no ACS redirection to rely on. */
static void test_acs_read_as_all_ones_is_not_on(void **state)
{
	(void)state;
	split_device_assigned();
	guest_flr_of_edu();
	dev_write(EDU, 0x100 + PCI_ACS_CTRL, 2, 0xffff);
	fn_at(EDU)->ro_at = 0x100 + PCI_ACS_CTRL;
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2) & PCI_CMD_MASTER, 0);
	assert_logged("E: alpha: pci: 00:03.0: ACS redirection did not take after a function "
		      "reset (Control 0xffff): Bus Master and Memory kept off");
}

static void test_functions_of_an_ari_device_below_a_port_are_one_device(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 1); /* 00:01.0, with ACS */
	add_acs(0x0008, ACS_ALL);
	/* With ARI, 01:00.0 and 01:01.0 are functions 0 and 8 of the one device below it. */
	add_fn(0x0100, 0x80);
	add_fn(0x0108, 0);
	give(0, 0x0100);
	give(1, 0x0108);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged("E: beta: pci-devices: 01:01.0: 01:00.0, a function of the same device, "
		      "belongs to cell \"alpha\", and 01:01.0 has no ACS capability");
}

static void test_acs_bits_a_function_does_not_offer_are_not_required(void **state)
{
	(void)state;
	split_device(true, PCI_ACS_RR | PCI_ACS_CR); /* no Upstream Forwarding: not a port */
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	assert_int_equal(acs_ctrl(EDU_FN1), PCI_ACS_RR | PCI_ACS_CR);
}

static void test_split_refused_when_acs_control_does_not_take_the_bits(void **state)
{
	(void)state;
	split_device(true, ACS_ALL);
	fn_at(EDU)->ro_at = 0x100 + PCI_ACS_CTRL;
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged(EXPECT_SPLIT "00:03.0 has no ACS capability that redirects");
}

static void test_split_below_a_root_port_without_acs_is_refused(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 1); /* 00:01.0, no ACS */
	for (uint16_t bdf = 0x0100; bdf <= 0x0101; bdf++) {
		add_fn(bdf, bdf == 0x0100 ? 0x80 : 0);
		add_pcie(bdf, 0x0);
		add_acs(bdf, ACS_ALL);
	}
	give(0, 0x0100);
	give(1, 0x0101);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged("E: beta: pci-devices: 01:00.1: 01:00.0, a function of the same device, "
		      "belongs to cell \"alpha\", and the port above them, 00:01.0, has no ACS");
	/* With ACS on the port too, the split is accepted. */
	add_acs(0x0008, ACS_ALL);
	fake_log_reset();
	assert_int_equal(create(1), 0);
	assert_int_equal(dev_read(0x0008, 0x100 + PCI_ACS_CTRL, 2), ACS_ALL); /* a port: SV too */
}

/* --- peer-to-peer between devices of two cells below PCI Express ports ------------------- */

#define EXPECT_PEERS                                                                            \
	"has no ACS capability that redirects peer-to-peer requests and completions upstream: " \
	"traffic between the two could turn back before the SMMU"

/* two_root_ports()' devices to alpha and beta: beta refused for @port (00:04.0 is above alpha's).
 */
static void refused_at_port(const char *port)
{
	char msg[400];

	give(0, 0x0100);
	give(1, 0x0200);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	snprintf(
		msg, sizeof(msg),
		"E: beta: pci-devices: 02:00.0: 01:00.0 belongs to cell \"alpha\", and the port %s "
		"on their paths to the root complex " EXPECT_PEERS,
		port);
	assert_logged(msg);
}

static void test_devices_of_two_cells_below_root_ports_without_acs_are_refused(void **state)
{
	(void)state;
	two_root_ports();
	add_acs(0x0028, ACS_ALL); /* 00:05.0 has it; 00:04.0, above alpha's, does not */
	refused_at_port("00:04.0");
}

static void test_devices_of_two_cells_below_root_ports_with_acs_are_accepted(void **state)
{
	(void)state;
	two_root_ports();
	add_acs(0x0020, ACS_ALL);
	add_acs(0x0028, ACS_ALL);
	give(0, 0x0100);
	give(1, 0x0200);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	/* Source Validation too: neither device can claim the other's requester ID (stream). */
	assert_int_equal(acs_ctrl(0x0020), ACS_ALL);
	assert_int_equal(acs_ctrl(0x0028), ACS_ALL);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

static void test_root_port_whose_source_validation_does_not_stick_is_refused(void **state)
{
	(void)state;
	two_root_ports();
	add_acs(0x0020, ACS_ALL);
	add_acs(0x0028, ACS_ALL);
	fn_at(0x0020)->ro_at = 0x100 + PCI_ACS_CTRL;
	dev_write(0x0020, 0x100 + PCI_ACS_CTRL, 2, ACS_NEEDED); /* firmware's, without SV */
	refused_at_port("00:04.0");
}

static void test_devices_of_two_cells_below_one_switch_need_acs_on_its_ports(void **state)
{
	(void)state;
	one_switch();
	add_acs(0x0008, ACS_ALL);
	add_acs(0x0208, ACS_ALL); /* not 02:00.0, above alpha's */
	give(0, 0x0300);
	give(1, 0x0400);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged("E: beta: pci-devices: 04:00.0: 03:00.0 belongs to cell \"alpha\", and the "
		      "port 02:00.0 on their paths to the root complex " EXPECT_PEERS);
}

/* --- what needs no ACS: devices on the root bus, a device in one cell --------------------- */

static void test_devices_of_two_cells_on_the_root_bus_need_no_ports(void **state)
{
	(void)state;
	add_fn(0x0018, 0);
	add_fn(0x0020, 0);
	give(0, 0x0018);
	give(1, 0x0020);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
}

static void test_functions_of_one_device_in_one_cell_need_no_acs(void **state)
{
	(void)state;
	split_device(false, -1);
	give(0, EDU_FN1);
	cfgs[1].nr_pci = 0;
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/* --- peer-to-peer: every function of a device, each path, no function nobody listed -------- */

/* alpha's 00:03.7, the device's last function, and beta's 00:03.0: a split, refused. */
static void test_a_split_with_the_devices_last_function_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, PCI_HEADER_MULTI_FN);
	add_fn(0x001f, 0); /* 00:03.7 */
	add_bar(EDU, 0, 0xfff00000);
	add_bar(0x001f, 0, 0xfff00000);
	give(0, 0x001f);
	give(1, EDU);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged("E: beta: pci-devices: 00:03.0: 00:03.7, a function of the same device, "
		      "belongs to cell \"alpha\"");
}

/*
 * A device below a root port without ACS and one on the root bus (a root
 * complex integrated endpoint), either cell's: the port is on their path,
 * refused; with ACS on it, accepted.
 */
static void test_a_device_below_a_port_and_one_on_the_root_bus_need_acs_on_it(void **state)
{
	(void)state;
	for (int beta_below = 0; beta_below < 2; beta_below++) {
		setup(NULL);
		two_root_ports();
		add_fn(EDU, 0);
		add_bar(EDU, 0, 0xfffff000);
		give(0, beta_below ? EDU : 0x0100);
		give(1, beta_below ? 0x0200 : EDU);
		assert_int_equal(create(0), 0);
		if (create(1) != -EINVAL)
			fail_msg("beta's %s assigned though alpha's %s is %s, below a root port "
				 "without ACS",
				 beta_below ? "02:00.0" : "00:03.0",
				 beta_below ? "00:03.0" : "01:00.0",
				 beta_below ? "on the root bus, beta's" : "alpha's own");
		assert_logged(EXPECT_PEERS);
		add_acs(beta_below ? 0x0028 : 0x0020, ACS_ALL);
		assert_int_equal(create(1), 0);
	}
}

/* The port without ACS above beta's device refuses it, whatever alpha's port has. */
static void test_a_port_without_acs_above_the_second_cells_device_is_refused(void **state)
{
	(void)state;
	two_root_ports();
	add_acs(0x0020, ACS_ALL); /* 00:04.0, above alpha's, has it; 00:05.0 does not */
	refused_at_port("00:05.0");
}

/*
 * 00:00.0, function 0 of beta's 00:00.1, is nobody's: not taken for one of
 * alpha's (whose list of functions ends before), the split check passes.
 */
static void test_function_0_of_bus_0_no_cell_lists_is_no_cells(void **state)
{
	(void)state;
	add_fn(0x0000, PCI_HEADER_MULTI_FN);
	add_fn(0x0001, 0);
	add_bar(0x0001, 0, 0xfff00000);
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	give(0, EDU);
	give(1, 0x0001);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_conventional_device_split_between_cells_is_refused,
				       setup),
		cmocka_unit_test_setup(
			test_device_split_with_acs_on_both_functions_is_accepted_with_acs_on,
			setup),
		cmocka_unit_test_setup(
			test_acs_is_on_again_before_a_reset_function_decodes_or_masters, setup),
		cmocka_unit_test_setup(test_reset_function_whose_acs_does_not_come_back_stays_off,
				       setup),
		cmocka_unit_test_setup(
			test_a_reset_completing_before_the_enable_leaves_the_function_off, setup),
		cmocka_unit_test_setup(test_acs_read_as_all_ones_is_not_on, setup),
		cmocka_unit_test_setup(test_functions_of_an_ari_device_below_a_port_are_one_device,
				       setup),
		cmocka_unit_test_setup(
			test_root_port_whose_source_validation_does_not_stick_is_refused, setup),
		cmocka_unit_test_setup(test_acs_bits_a_function_does_not_offer_are_not_required,
				       setup),
		cmocka_unit_test_setup(test_split_refused_when_acs_control_does_not_take_the_bits,
				       setup),
		cmocka_unit_test_setup(test_split_below_a_root_port_without_acs_is_refused, setup),
		cmocka_unit_test_setup(
			test_devices_of_two_cells_below_root_ports_without_acs_are_refused, setup),
		cmocka_unit_test_setup(
			test_devices_of_two_cells_below_root_ports_with_acs_are_accepted, setup),
		cmocka_unit_test_setup(
			test_devices_of_two_cells_below_one_switch_need_acs_on_its_ports, setup),
		cmocka_unit_test_setup(test_devices_of_two_cells_on_the_root_bus_need_no_ports,
				       setup),
		cmocka_unit_test_setup(test_functions_of_one_device_in_one_cell_need_no_acs, setup),
		cmocka_unit_test_setup(test_a_split_with_the_devices_last_function_is_refused,
				       setup),
		cmocka_unit_test_setup(
			test_a_device_below_a_port_and_one_on_the_root_bus_need_acs_on_it, setup),
		cmocka_unit_test_setup(
			test_a_port_without_acs_above_the_second_cells_device_is_refused, setup),
		cmocka_unit_test_setup(test_function_0_of_bus_0_no_cell_lists_is_no_cells, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
