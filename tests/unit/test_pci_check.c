// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which PCI functions a cell may own (partitions/pci.c): endpoints only,
 * each with a requester ID of its own (no PCIe-to-PCI or conventional PCI
 * bridge above it), functions 1-7 only beside a multi-function function 0;
 * and the functions quiesced at boot, a refused cell's and no cell's.
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

/* --- bridges: requester IDs -------------------------------------------------------- */

#define PCIE_TO_PCI	 0x7
#define CONVENTIONAL_BR	 (-1)
#define EXPECT_NO_STREAM "not its own, so it cannot have a stream of its own"

static void test_function_below_pcie_to_pci_bridge_is_refused(void **state)
{
	(void)state;
	add_bridge(0x0028, PCIE_TO_PCI, 1, 1); /* 00:05.0, as QEMU's pcie-pci-bridge */
	add_fn(0x0108, 0);		       /* 01:01.0, an edu behind it */
	give(0, 0x0108);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 01:01.0: below 00:05.0, a PCIe-to-PCI/PCI-X bridge: "
		      "its DMA reaches the SMMU with the bridge's requester ID "
		      "01:00.0, " EXPECT_NO_STREAM);
	assert_int_equal(nr_sids, 0);
}

static void test_function_below_conventional_pci_bridge_is_refused(void **state)
{
	(void)state;
	add_bridge(0x0030, CONVENTIONAL_BR, 2, 2); /* 00:06.0 */
	add_fn(0x0200, 0);
	give(0, 0x0200);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 02:00.0: below 00:06.0, a PCI bridge without a PCI "
		      "Express capability (conventional PCI): its DMA reaches the SMMU with the "
		      "bridge's requester ID 00:06.0, " EXPECT_NO_STREAM);
}

static void test_pcie_to_pci_bridge_below_a_root_port_is_found(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 2);   /* 00:01.0 */
	add_bridge(0x0100, PCIE_TO_PCI, 2, 2); /* 01:00.0 */
	add_fn(0x0218, 0);		       /* 02:03.0 */
	give(0, 0x0218);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 02:03.0: below 01:00.0, a PCIe-to-PCI/PCI-X bridge: "
		      "its DMA reaches the SMMU with the bridge's requester ID 02:00.0");
}

static void test_endpoint_below_pcie_ports_keeps_its_own_stream(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 2);	      /* 00:01.0 */
	add_bridge(0x0100, 0x5 /* upstream */, 2, 2); /* 01:00.0, a switch */
	add_bridge(0x0200, DOWNSTREAM_PORT, 3, 3);    /* 02:00.0 */
	add_bridge(0x0010, PCIE_TO_PCI, 4, 4);	      /* 00:02.0, on another branch */
	add_fn(0x0300, 0);
	add_pcie(0x0300, 0x0);
	give(0, 0x0300);
	/* 02:00.0 leads to bus 3 only if the switch's bus 2 is reached first: numbered by firmware.
	 */
	fn_at(0x0100)->cs[PCI_SUBORDINATE_BUS] = 3;
	fn_at(0x0008)->cs[PCI_SUBORDINATE_BUS] = 3;
	assert_int_equal(create(0), 0);
	assert_int_equal(nr_sids, 1);
	assert_int_equal(sids[0], 0x0300);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/* --- endpoints only; the functions quiesced at boot --------------------------------------- */

static void test_functions_no_cell_owns_behind_ports_are_quiesced(void **state)
{
	(void)state;
	two_root_ports();
	dev_write(0x0100, PCI_COMMAND, 2,
		  PCI_CMD_MEMORY | PCI_CMD_MASTER); /* as firmware left it */
	dev_write(0x0020, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	give(0, 0x0200);
	assert_int_equal(create(0), 0);
	/* INTx too: swizzled onto a host line, which may be a cell's. */
	assert_int_equal(dev_read(0x0100, PCI_COMMAND, 2), PCI_CMD_INTX_DIS);
	/* A bridge keeps its routing: it forwards nothing for a function that decodes nothing. */
	assert_int_equal(dev_read(0x0020, PCI_COMMAND, 2), PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_logged("I: pci: 2 function(s) below the host bridge quiesced");
}

/*
 * A cell refused at boot (a CPU of it not online) is not built, but the
 * function it names must not go on mastering DMA as firmware left it.
 */
static void test_functions_of_a_refused_cell_are_quiesced(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER); /* as U-Boot left it */
	assert_int_equal(pci_cell_refused(&cells[0], &plat, board_fdt), 0);
	if (dev_read(EDU, PCI_COMMAND, 2) & (PCI_CMD_MEMORY | PCI_CMD_MASTER))
		fail_msg("the refused cell's function still has COMMAND 0x%04x: it decodes or "
			 "masters DMA as firmware left it",
			 dev_read(EDU, PCI_COMMAND, 2));
	assert_int_equal(nr_sids, 0); /* nothing of the cell is built: no stream given */
}

#define REFUSED_ALONE ": the cell is refused, the other cells are built without it"

/*
 * QEMU virt's 00:00.0 (1b36:0008) is the host bridge: class 06h/00h with a
 * type 0 header and no BARs, so it passed the bridge check and was assigned,
 * its stream given to the cell. Now it is refused before anything is built.
 */
static void test_the_host_bridge_is_refused_before_anything_is_built(void **state)
{
	(void)state;
	add_fn(0x0000, 0);
	dev_write(0x0000, PCI_CLASS_DEVICE, 2, PCI_CLASS_HOST_BR);
	pcie_endpoint_in_alpha(EDU);
	give(0, 0x0000);
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), -EPERM);
	assert_logged("E: alpha: pci-devices: 00:00.0: the host bridge (class 0x0600): the root "
		      "complex's own function, its config space the host's; endpoints "
		      "only" REFUSED_ALONE);
	assert_not_logged("00:03.0: ");
	assert_int_equal(nr_sids, 0);
}

/* Every function the cell cannot own is named, a bridge and a function not there alike. */
static void test_every_bridge_or_absent_function_of_a_cell_is_named(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 1); /* 00:01.0 */
	give(0, 0x0008);
	give(0, 0x0020); /* 00:04.0: nothing there */
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), -EPERM);
	assert_logged("E: alpha: pci-devices: 00:01.0: a bridge (Header Type 1 or 2): its windows "
		      "and bus numbers route the functions below it; endpoints only" REFUSED_ALONE);
	assert_logged("E: alpha: pci-devices: 00:04.0: no function there (its Vendor ID reads "
		      "0xffff)" REFUSED_ALONE);
}

/*
 * A Root Complex Event Collector (PCI Express type 0xa, a type 0 header,
 * class 08h/07h) collects the errors and PMEs of the root complex's
 * integrated endpoints, other cells' among them: no endpoint. Until
 * 2026-11-25 nothing looked past the header type and the host bridge's class.
 */
static void test_a_root_complex_event_collector_is_refused(void **state)
{
	(void)state;
	add_fn(0x0028, 0); /* 00:05.0 */
	add_pcie(0x0028, 0xa);
	dev_write(0x0028, PCI_CLASS_DEVICE, 2, 0x0807);
	pcie_endpoint_in_alpha(EDU);
	give(0, 0x0028);
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), -EPERM);
	assert_logged("E: alpha: pci-devices: 00:05.0: a Root Complex Event Collector (PCI "
		      "Express device/port type 0xa): it collects the errors and PMEs of the root "
		      "complex's integrated endpoints, other cells' among them; endpoints only "
		      "(types 0x0, 0x1, 0x9)" REFUSED_ALONE);
	assert_not_logged("00:03.0: ");
}

/*
 * A type 0 header whose PCI Express capability says it is a port (a root
 * port's 0x4, here) or a reserved type is refused by its type; endpoints of
 * every kind, and a conventional function (no type), pass.
 */
static void test_only_endpoint_device_port_types_are_assignable(void **state)
{
	(void)state;
	add_fn(0x0028, 0); /* 00:05.0 */
	add_pcie(0x0028, ROOT_PORT);
	add_fn(0x0030, 0); /* 00:06.0 */
	add_pcie(0x0030, 0xf);
	give(0, 0x0028);
	give(0, 0x0030);
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), -EPERM);
	assert_logged("E: alpha: pci-devices: 00:05.0: PCI Express device/port type 0x4, a port, "
		      "a bridge or reserved: it routes or collects for other functions; endpoints "
		      "only (types 0x0, 0x1, 0x9)" REFUSED_ALONE);
	assert_logged("E: alpha: pci-devices: 00:06.0: PCI Express device/port type 0xf");
	setup(NULL);
	for (unsigned int i = 0; i < 3; i++) {
		uint16_t bdf = (uint16_t)(0x0028 + 8 * i); /* 00:05.0-00:07.0 */

		add_fn(bdf, 0);
		add_pcie(bdf, (uint8_t[]){ 0x0, 0x1, 0x9 }[i]);
		give(0, bdf);
	}
	add_fn(0x0040, 0); /* 00:08.0: conventional PCI */
	give(0, 0x0040);
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), 0);
}

/* An endpoint passes, with the tree quiesced by then; a cell without functions reads nothing. */
static void test_a_cell_of_endpoints_passes_the_check(void **state)
{
	(void)state;
	assert_int_equal(pci_cell_check(&cells[1], &plat, board_fdt), 0);
	assert_int_equal(nr_cfg_requests, 0);
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, PCI_COMMAND, 2, PCI_CMD_MASTER);
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), 0);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2) & PCI_CMD_MASTER, 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/* --- functions 1-7 exist only beside a multi-function function 0 --------------------- */

/*
 * Until 2026-11-24 00:03.1 was assigned though 00:03.0 is single-function:
 * a device that decodes no function number answers there as 00:03.0.
 */
static void test_function_1_of_a_single_function_device_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_fn(EDU_FN1, 0);
	add_bar(EDU_FN1, 0, 0xfff00000);
	give(0, EDU_FN1);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 00:03.1: function 0 of its device is not "
		      "multi-function (Header Type bit 7 clear, no ARI capability): what answers "
		      "at 00:03.1 may be function 0 again; it cannot be assigned");
}

static void test_function_1_beside_an_ari_function_0_is_assigned(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, 0x100, 4, PCI_EXT_ARI | 1u << 16);
	cfgs[0].nr_pci = 0;
	add_fn(EDU_FN1, 0);
	add_bar(EDU_FN1, 0, 0xfff00000);
	give(0, EDU_FN1);
	assert_int_equal(create(0), 0);
}

/*
 * A function whose function 0 the cell does not own: its guest reads 00:03.0
 * as absent, and Linux's pci_scan_slot() stops there, never reaching 00:03.1.
 */
static void test_function_without_its_function_0_is_assigned_with_a_warning(void **state)
{
	(void)state;
	add_fn(EDU, PCI_HEADER_MULTI_FN);
	add_fn(EDU_FN1, 0);
	add_bar(EDU_FN1, 0, 0xfff00000);
	give(0, EDU_FN1);
	assert_int_equal(create(0), 0);
	assert_logged("W: alpha: pci: 00:03.1: 00:03.0, function 0 of its device, is not the "
		      "cell's and reads as absent to it: Linux, which scans a device from function "
		      "0, will not find 00:03.1 (give the cell 00:03.0 too)");
}

static void test_function_beside_its_own_function_0_gets_no_warning(void **state)
{
	(void)state;
	add_fn(EDU, PCI_HEADER_MULTI_FN);
	add_fn(EDU_FN1, 0);
	give(0, EDU_FN1); /* function 0 listed after it */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_not_logged("function 0 of its device");
}

/*
 * Below a port Linux scans device 0 only, whose functions are all of the
 * bus's with ARI: 01:01.0 (function 8) is found through 01:00.0 or not at all.
 */
static void test_ari_function_below_a_port_without_function_0_gets_a_warning(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 1); /* 00:01.0 */
	open_window(0x0008, WIN_BASE, WIN_BASE + 0x100000);
	add_fn(0x0100, PCI_HEADER_MULTI_FN);
	add_pcie(0x0100, 0x0);
	add_fn(0x0108, 0);
	add_pcie(0x0108, 0x0);
	give(0, 0x0108);
	assert_int_equal(create(0), 0);
	assert_logged("W: alpha: pci: 01:01.0: 01:00.0, function 0 of its device, is not the "
		      "cell's");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_function_below_pcie_to_pci_bridge_is_refused, setup),
		cmocka_unit_test_setup(test_function_below_conventional_pci_bridge_is_refused,
				       setup),
		cmocka_unit_test_setup(test_pcie_to_pci_bridge_below_a_root_port_is_found, setup),
		cmocka_unit_test_setup(test_endpoint_below_pcie_ports_keeps_its_own_stream, setup),
		cmocka_unit_test_setup(test_functions_no_cell_owns_behind_ports_are_quiesced,
				       setup),
		cmocka_unit_test_setup(test_functions_of_a_refused_cell_are_quiesced, setup),
		cmocka_unit_test_setup(test_a_root_complex_event_collector_is_refused, setup),
		cmocka_unit_test_setup(test_only_endpoint_device_port_types_are_assignable, setup),
		cmocka_unit_test_setup(test_the_host_bridge_is_refused_before_anything_is_built,
				       setup),
		cmocka_unit_test_setup(test_every_bridge_or_absent_function_of_a_cell_is_named,
				       setup),
		cmocka_unit_test_setup(test_a_cell_of_endpoints_passes_the_check, setup),
		cmocka_unit_test_setup(test_function_1_of_a_single_function_device_is_refused,
				       setup),
		cmocka_unit_test_setup(test_function_1_beside_an_ari_function_0_is_assigned, setup),
		cmocka_unit_test_setup(
			test_function_without_its_function_0_is_assigned_with_a_warning, setup),
		cmocka_unit_test_setup(test_function_beside_its_own_function_0_gets_no_warning,
				       setup),
		cmocka_unit_test_setup(
			test_ari_function_below_a_port_without_function_0_gets_a_warning, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
