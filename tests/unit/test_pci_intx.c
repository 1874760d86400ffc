// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI INTx (partitions/pci_intx.c): a function asserts only a line routed
 * to its cell, INTx Disable kept set otherwise and set again as soon as a
 * reset its guest started is over; where a function behind ports arrives.
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

/* --- INTx behind ports: not routed, told where it arrives -------------------------------- */

static void test_intx_behind_a_root_port_is_not_routed_and_says_where_it_arrives(void **state)
{
	(void)state;
	two_root_ports();
	fn_at(0x0200)->cs[PCI_INTERRUPT_PIN] = 1;
	give(0, 0x0200);
	assert_int_equal(create(0), 0);
	assert_logged("W: alpha: pci: 02:00.0: its INTA# reaches the host as INTA# of the root "
		      "port 00:05.0, swizzled by the ports on the way; INTx is routed to a cell "
		      "only for functions on the root bus: not routed, INTx Disable kept set (the "
		      "guest polls)");
}

static void test_intx_behind_a_switch_is_swizzled_by_each_port(void **state)
{
	(void)state;
	one_switch();
	fn_at(0x0400)->cs[PCI_INTERRUPT_PIN] = 3; /* INTC# (not refused: not routed) */
	give(0, 0x0400);
	assert_int_equal(create(0), 0);
	/* INTC# at 02:01.0, INTD# (+1, its device number) at 01:00.0, INTD# at 00:01.0. */
	assert_logged("W: alpha: pci: 04:00.0: its INTC# reaches the host as INTD# of the root "
		      "port 00:01.0");
}

/* --- INTx: a function asserts only a line routed to its cell ------------------------------ */

#define INTID_EDU 35 /* 00:03.0's INTA# through QEMU virt's interrupt-map */

/*
 * alpha owns 02:00.0 behind the root port 00:05.0, whose INTA# is not routed
 * (it reaches the host as a line of the port, which may be another cell's
 * INTx line), and 00:03.0 on the root bus, whose INTA# is.
 */
static void alpha_with_intx_routed_and_not(void)
{
	two_root_ports();
	fn_at(0x0200)->cs[PCI_INTERRUPT_PIN] = 1;
	give(0, 0x0200);
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfffff000);
	fn_at(EDU)->cs[PCI_INTERRUPT_PIN] = 1;
	give(0, EDU);
	cfgs[0].pci_intx[1] = INTID_EDU;
	assert_int_equal(create(0), 0);
}

/*
 * Until 2026-11-24 the assignment wrote COMMAND = 0 and the guest could
 * clear INTx Disable of a function whose INTx is not routed to its cell: its
 * device, raising INTx and never acknowledged, held another cell's level
 * interrupt asserted.
 */
static void test_unrouted_intx_stays_disabled_whatever_the_guest_writes(void **state)
{
	(void)state;
	alpha_with_intx_routed_and_not();
	assert_command(0x0200, PCI_CMD_INTX_DIS, "the assignment");
	guest_write(0, 0x0200, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_command(0x0200, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY | PCI_CMD_MASTER,
		       "the guest's COMMAND = 0x0006");
	guest_write(0, 0x0200, PCI_COMMAND + 1, 1, 0);
	assert_command(0x0200, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY | PCI_CMD_MASTER,
		       "a byte write of 0 at 0x05");
	guest_write(0, 0x0200, PCI_COMMAND, 4, PCI_CMD_MEMORY);
	assert_command(0x0200, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY, "a dword write of 0x00000002");
	guest_write(0, 0x0200, PCI_COMMAND, 1, PCI_CMD_MASTER);
	assert_command(0x0200, PCI_CMD_INTX_DIS | PCI_CMD_MASTER, "a byte write of 0x04 at 0x04");
	/* A function reset clears COMMAND: a byte write of its low half sets bit 10 again. */
	dev_write(0x0200, PCI_COMMAND, 2, 0);
	guest_write(0, 0x0200, PCI_COMMAND, 1, PCI_CMD_MEMORY);
	assert_command(0x0200, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY,
		       "a reset and a byte write of 0x02 at 0x04");
}

static void test_routed_intx_is_off_until_the_guest_enables_it(void **state)
{
	(void)state;
	alpha_with_intx_routed_and_not();
	assert_command(EDU, PCI_CMD_INTX_DIS, "the assignment");
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_command(EDU, PCI_CMD_MEMORY | PCI_CMD_MASTER, "the guest's COMMAND = 0x0006");
}

/* A stopped cell's functions hold no line asserted, routed to it or not. */
static void test_a_stopped_cells_functions_have_intx_disabled(void **state)
{
	(void)state;
	alpha_with_intx_routed_and_not();
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	guest_write(0, 0x0200, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_int_equal(pci_cell_quiesce(&cells[0]), 0);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the cell's quiesce");
	assert_command(0x0200, PCI_CMD_INTX_DIS, "the cell's quiesce");
}

/* On the root bus, but the host's interrupt-map gives its INTA# no line: not routed either. */
static void test_intx_without_a_line_is_not_routed_and_stays_disabled(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	fn_at(EDU)->cs[PCI_INTERRUPT_PIN] = 1;
	dev_write(EDU, PCI_COMMAND, 2, PCI_CMD_INTX_DIS); /* as firmware left it */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_logged("W: alpha: pci: 00:03.0: Interrupt Pin 1, and no INTx line of the host's "
		      "interrupt-map routed to the cell: not routed, INTx Disable kept set (the "
		      "guest polls)");
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_command(EDU, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY, "the guest's COMMAND = 0x0002");
}

/*
 * On the root bus with INTB#: the layout routes (and the guest DT maps) a
 * function's INTA# only, so the cell is refused, said with the pin; the
 * function's INTx Disable stays set.
 */
static void test_a_root_bus_function_on_intb_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	fn_at(EDU)->cs[PCI_INTERRUPT_PIN] = 2;
	dev_write(EDU, PCI_COMMAND, 2, PCI_CMD_INTX_DIS); /* as the host's bus scan left it */
	give(0, EDU);
	cfgs[0].pci_intx[0] = INTID_EDU;
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 00:03.0: uses INTB#; only INTA# is routed to a cell");
	assert_command(EDU, PCI_CMD_INTX_DIS, "the refusal");
}

/* --- a reset the guest starts: INTx Disable set again as soon as it is over ------------- */

/*
 * The guest writes @v (@size bytes at @reg) to 00:03.0, a write that starts
 * a reset: how long the write took to return to it, in us.
 */
static uint64_t guest_reset_write(uint32_t reg, unsigned int size, uint32_t v)
{
	uint64_t start = now_us;

	relax_waits = true;
	guest_write(0, EDU, reg, size, v);
	relax_waits = false;
	return now_us - start;
}

/*
 * 00:03.0 in alpha, on the root bus, its INTA# given no line by the host's
 * interrupt-map (not routed) unless @intx, with FLR and a PM capability
 * (No_Soft_Reset clear), Immediate Readiness if @imm_ready; the model resets
 * it at the write that starts a reset. Its guest turned it on.
 */
static void resetting_intx_endpoint_in_alpha(uint32_t intx, bool imm_ready)
{
	pcie_endpoint_in_alpha(EDU);
	add_cap(EDU, PM, PCI_CAP_PM);
	fn_at(EDU)->cs[PCI_INTERRUPT_PIN] = 1;
	fn_at(EDU)->resets_itself = true;
	fn_at(EDU)->pm_at = PM;
	dev_write(EDU, DEVCAP, 4, PCI_EXP_DEVCAP_FLR);
	if (imm_ready)
		dev_write(EDU, PCI_STATUS, 2, dev_read(EDU, PCI_STATUS, 2) | PCI_STATUS_IMM_READY);
	cfgs[0].pci_intx[0] = intx;
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
}

/*
 * Until 2026-11-24 a reset the guest started left INTx Disable clear until
 * the guest's next COMMAND write, which it need never make: the function's
 * INTx reached a line of the host, maybe another cell's level interrupt.
 * Now the vCPU that started it waits it out and sets INTx Disable again
 * before it returns to the guest.
 */
static void test_unrouted_intx_is_disabled_again_once_the_guests_flr_ends(void **state)
{
	uint64_t took;

	(void)state;
	resetting_intx_endpoint_in_alpha(0, false);
	took = guest_reset_write(DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the guest's FLR, when its write returns");
	assert_in_range(took, FLR_US, FLR_US + 1999);
}

/*
 * The 100 ms are spent taking the CPU's interrupts as they come (the boot
 * CPU's are the console's and the SMMU's, every cell's), each when it comes,
 * not 100 ms late.
 */
static void test_interrupts_are_taken_while_a_guests_flr_is_waited_out(void **state)
{
	uint64_t start;

	(void)state;
	resetting_intx_endpoint_in_alpha(0, false);
	start = now_us;
	irqs_at[0] = start + 5000;
	irqs_at[1] = start + 50000;
	nr_irqs_at = 2;
	irqs_taken = 0;
	(void)guest_reset_write(DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	nr_irqs_at = 0;
	assert_int_equal(irqs_taken, 2);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the guest's FLR, when its write returns");
}

/* D3hot to D0 resets the function (No_Soft_Reset clear): the same; D0 to D3hot keeps COMMAND. */
static void test_unrouted_intx_is_disabled_again_once_the_guests_d3hot_to_d0_ends(void **state)
{
	uint64_t took;

	(void)state;
	resetting_intx_endpoint_in_alpha(0, false);
	dev_write(EDU, PM_CTRL, 2, PCI_PM_STATE_D3HOT); /* where its guest put it, long ago */
	took = guest_reset_write(PM_CTRL, 2, PCI_PM_STATE_D0);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the guest's D3hot to D0, when its write returns");
	assert_in_range(took, D3HOT_US, D3HOT_US + 1999);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	(void)guest_reset_write(PM_CTRL, 2, PCI_PM_STATE_D3HOT);
	assert_command(EDU, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY | PCI_CMD_MASTER,
		       "the guest's D0 to D3hot");
}

/* A conventional function's FLR, through its Advanced Features capability: the same. */
static void test_unrouted_intx_is_disabled_again_once_the_guests_af_flr_ends(void **state)
{
	uint64_t took;

	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_cap(EDU, AF, PCI_CAP_AF);
	fn_at(EDU)->cs[AF + 2] = 6; /* its Length */
	fn_at(EDU)->cs[AF + PCI_AF_CAP] = AF_TP | PCI_AF_CAP_FLR;
	fn_at(EDU)->cs[PCI_INTERRUPT_PIN] = 1;
	fn_at(EDU)->resets_itself = true;
	fn_at(EDU)->af_at = AF;
	give(0, EDU);
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	took = guest_reset_write(AF_CTRL, 1, PCI_AF_CTRL_FLR);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the guest's AF FLR, when its write returns");
	assert_in_range(took, FLR_US, FLR_US + 1999);
}

/* Immediate Readiness: nothing to wait for, INTx Disable set again at once. */
static void
test_unrouted_intx_is_disabled_again_at_once_after_an_immediately_ready_flr(void **state)
{
	uint64_t took;

	(void)state;
	resetting_intx_endpoint_in_alpha(0, true);
	took = guest_reset_write(DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the guest's FLR, when its write returns");
	assert_int_equal(took, 0);
}

/* INTx routed to the cell: its guest's to enable; the write returns at once, as before. */
static void test_routed_intx_function_s_flr_is_not_waited_for(void **state)
{
	uint64_t took;

	(void)state;
	resetting_intx_endpoint_in_alpha(INTID_EDU, false);
	took = guest_reset_write(DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_int_equal(took, 0);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_intx_behind_a_root_port_is_not_routed_and_says_where_it_arrives,
			setup),
		cmocka_unit_test_setup(test_intx_behind_a_switch_is_swizzled_by_each_port, setup),
		cmocka_unit_test_setup(test_unrouted_intx_stays_disabled_whatever_the_guest_writes,
				       setup),
		cmocka_unit_test_setup(test_routed_intx_is_off_until_the_guest_enables_it, setup),
		cmocka_unit_test_setup(test_a_stopped_cells_functions_have_intx_disabled, setup),
		cmocka_unit_test_setup(test_a_root_bus_function_on_intb_is_refused, setup),
		cmocka_unit_test_setup(test_intx_without_a_line_is_not_routed_and_stays_disabled,
				       setup),
		cmocka_unit_test_setup(
			test_unrouted_intx_is_disabled_again_once_the_guests_flr_ends, setup),
		cmocka_unit_test_setup(test_interrupts_are_taken_while_a_guests_flr_is_waited_out,
				       setup),
		cmocka_unit_test_setup(
			test_unrouted_intx_is_disabled_again_once_the_guests_d3hot_to_d0_ends,
			setup),
		cmocka_unit_test_setup(
			test_unrouted_intx_is_disabled_again_once_the_guests_af_flr_ends, setup),
		cmocka_unit_test_setup(
			test_unrouted_intx_is_disabled_again_at_once_after_an_immediately_ready_flr,
			setup),
		cmocka_unit_test_setup(test_routed_intx_function_s_flr_is_not_waited_for, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
