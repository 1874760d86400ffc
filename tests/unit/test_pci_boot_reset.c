// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI resets before each cell's first boot (partitions/pci_reset.c): what
 * firmware left programmed in a function is gone before its guest runs; the
 * resets begin once every cell is built, and each cell's start waits only
 * for what its load did not.
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

/* --- the first boot resets its cell's functions -------------------------------------- */

#define FW_RING 0x48002000u /* what firmware's driver (U-Boot's) left programmed, not stopped */

/* Every cell built: the first boot's resets begin, continue, and each cell's start ends its own. */
static void first_boot(void)
{
	relax_waits = true;
	pci_reset_first_boot_begin();
	pci_reset_first_boot_continue();
	for (unsigned int c = 0; c < NR_CELLS; c++)
		pci_reset_end(&cells[c]);
	relax_waits = false;
}

/* The cells are loaded: the resets' second steps, each waiting for its first to be over. */
static void first_boot_loaded(void)
{
	relax_waits = true;
	pci_reset_first_boot_continue();
	relax_waits = false;
}

/* The start of cell @c: what is left of its first boot's resets, waited for as long as it takes. */
static void first_start(unsigned int c)
{
	relax_waits = true;
	pci_reset_end(&cells[c]);
	relax_waits = false;
}

static void assert_reset_for_the_first_boot(uint16_t bdf)
{
	if (fn_at(bdf)->nr_resets != 1 || dev_read(bdf, DEV_STATE, 4))
		fail_msg("%02x:%02x.%u reset %u time(s), not once, before the first boot: the "
			 "device holds 0x%x (firmware's ring: 0x%x) for the guest's Bus Master",
			 LAYOUT_BDF_BUS(bdf), LAYOUT_BDF_DEV(bdf), LAYOUT_BDF_FN(bdf),
			 fn_at(bdf)->nr_resets, dev_read(bdf, DEV_STATE, 4), FW_RING);
}

/*
 * Until 2026-11-25 only a stop reset a function: the first boot got it as
 * firmware left it, a ring programmed and not stopped met its Bus Master.
 * Now it is reset as a stop does, and given back what the hypervisor owns.
 */
static void test_the_first_boot_resets_what_firmware_left_in_its_function(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	first_boot();
	assert_reset_for_the_first_boot(EDU);
	assert_logged("I: alpha: pci: 00:03.0 reset (FLR) before the cell's first boot: what "
		      "firmware left programmed in it is gone");
	assert_true(now_us >= FLR_US && now_us < FLR_US + 2000);
	assert_given_back("the first boot's FLR");
}

/*
 * A function of each cell, one device split between them (ACS on both):
 * building beta reads alpha's function (a function in reset may not
 * answer: the model fails such a request), so no reset starts before every
 * cell is built; then all start at once and are waited for once, and ACS is
 * on again in both.
 */
static void test_the_first_boot_resets_every_cells_functions_in_one_wait(void **state)
{
	(void)state;
	split_device(true, ACS_ALL);
	for (uint16_t bdf = EDU; bdf <= EDU_FN1; bdf++) {
		offers_flr(bdf);
		dev_write(bdf, DEV_STATE, 4, FW_RING);
	}
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	first_boot();
	assert_reset_for_the_first_boot(EDU);
	assert_reset_for_the_first_boot(EDU_FN1);
	assert_true(now_us >= FLR_US && now_us < FLR_US + 2000);
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	assert_int_equal(acs_ctrl(EDU_FN1), ACS_NEEDED);
	assert_logged("I: alpha: pci: 00:03.0 reset (FLR) before the cell's first boot");
	assert_logged("I: beta: pci: 00:03.1 reset (FLR) before the cell's first boot");
}

/* Cell @c's function, without FLR, through its first boot: reset through D3hot, placed. */
static void first_boot_of_a_d3hot_reset_function_in(unsigned int c)
{
	pm_endpoint_in(c, false, false);
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	first_boot();
	assert_reset_for_the_first_boot(EDU);
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
}

static void test_the_first_boot_resets_a_function_without_flr_through_d3hot(void **state)
{
	(void)state;
	first_boot_of_a_d3hot_reset_function_in(0);
	assert_logged("I: alpha: pci: 00:03.0 reset (D3hot to D0) before the cell's first boot");
	assert_true(now_us >= 2 * D3HOT_US && now_us < 2 * D3HOT_US + 2000);
}

/*
 * The layout's last cell (id LAYOUT_MAX_CELLS - 1) has its function reset
 * too, both steps of it (D3hot, then D0 once the loads are over): a pass
 * over the cells that stopped one short of the last left that cell's
 * function as firmware left it, its ring programmed, or in D3hot.
 */
static void test_the_first_boot_resets_the_function_of_the_last_cell_id(void **state)
{
	(void)state;
	assert_int_equal(cells[GAMMA].id, LAYOUT_MAX_CELLS - 1);
	first_boot_of_a_d3hot_reset_function_in(GAMMA);
	assert_logged("I: gamma: pci: 00:03.0 reset (D3hot to D0) before the cell's first boot");
}

/* No reset to use: firmware's state stays, said once at assignment, no reset line. */
static void test_a_function_without_a_reset_keeps_firmwares_state_at_the_first_boot(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(true, false);
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	first_boot();
	assert_int_equal(fn_at(EDU)->nr_resets, 0);
	assert_int_equal(dev_read(EDU, DEV_STATE, 4), FW_RING);
	assert_int_equal(now_us, 0);
	assert_logged("W: alpha: pci: 00:03.0: no function reset");
	assert_not_logged("before the cell's first boot");
}

/* The start after the first boot's reset resets nothing again; a stop after a boot does. */
static void test_the_first_boots_reset_is_not_repeated_before_a_guest_ran(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	first_boot();
	stop_cell(0); /* a stop queued before the first boot ran */
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	cells[0].boots++;
	guest_programs(0, EDU);
	stop_cell(0);
	assert_int_equal(fn_at(EDU)->nr_resets, 2);
	assert_int_equal(dev_read(EDU, DEV_STATE, 4), 0);
}

/* Not back after its 100 ms: said as a stop says it, and nothing written to it. */
static void test_a_function_not_back_from_the_first_boots_reset_is_told(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	fn_at(EDU)->flr_us = 3 * FLR_US;
	fn_at(EDU)->ur_in_reset = true;
	first_boot();
	assert_logged("E: alpha: pci: 00:03.0: no answer after its FLR (Vendor ID 0xffff): its "
		      "BARs, ACS and AER are written again when its guest turns it on");
	assert_not_logged("reset (FLR) before the cell's first boot");
	assert_true(now_us < FLR_US + 2000);
}

/* A layout without PCI functions: the first boot's resets cost no wait and say nothing. */
static void test_the_first_boot_of_a_layout_without_pci_waits_for_nothing(void **state)
{
	(void)state;
	assert_int_equal(create(0), 0);
	first_boot();
	assert_int_equal(now_us, 0);
	assert_int_equal(fake_log_count(LOG_INFO) + fake_log_count(LOG_WARN), 0);
}

/* --- the first boot's resets: begun before the loads, each cell's ended at its start ----- */

/*
 * The cells boot_cells() leaves to their own CPU to start after the boot
 * (cell_first_start()): those with a function whose first reset is to be
 * waited for, until their start ends it; not one without a function, nor
 * one whose function offers no reset.
 */
static void test_only_a_cell_with_a_first_reset_to_end_has_its_start_left(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	assert_int_equal(create(1), 0); /* beta: no function */
	pci_reset_first_boot_begin();
	assert_true(pci_reset_left(&cells[0]));
	assert_false(pci_reset_left(&cells[1]));
	first_start(0);
	assert_false(pci_reset_left(&cells[0]));
}

static void test_a_cell_whose_function_offers_no_reset_has_no_start_left(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(true, false);
	pci_reset_first_boot_begin();
	assert_false(pci_reset_left(&cells[0]));
}

/*
 * The resets begin once every cell is built, the loads run meanwhile, and
 * the start waits only for what is left. Until 2026-11-26 the wait came
 * whole before the loads: the first instruction 100 ms + the loads after
 * the resets began, not 100 ms.
 */
static void test_the_first_boots_wait_is_what_the_load_left_of_it(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	pci_reset_first_boot_begin();
	now_us += LOAD_US;
	first_start(0);
	if (now_us != FLR_US)
		fail_msg("alpha started %llu us after its FLR began, its load %u us of it: wanted "
			 "%u us, the load inside the wait",
			 (unsigned long long)now_us, LOAD_US, FLR_US);
	assert_reset_for_the_first_boot(EDU);
	assert_given_back("the first boot's FLR, waited for after the load");
	assert_logged("I: alpha: pci: waited 70.000 ms for 00:03.0's reset (FLR) after loading");
	assert_logged("I: alpha: pci: 00:03.0 reset (FLR) before the cell's first boot");
}

/* A load that outlasts the reset: no wait at all, and said. */
static void test_a_load_longer_than_the_first_boots_reset_waits_for_nothing(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	pci_reset_first_boot_begin();
	now_us += FLR_US + LOAD_US;
	first_start(0);
	assert_int_equal(now_us, FLR_US + LOAD_US);
	assert_given_back("the first boot's FLR, over before the load was");
	assert_logged("I: alpha: pci: 00:03.0's reset (FLR) was over by the end of loading: no "
		      "wait");
	assert_not_logged("waited");
}

/*
 * alpha's function takes an FLR (100 ms), beta's D3hot to D0 (10 ms, then
 * 10 ms more from its D0 write, which comes after the loads): beta starts
 * 10 ms after the loads, never touching alpha's function (the model fails
 * a request to a function in reset), and alpha waits out the rest of its
 * own. Until 2026-11-26 both waited for the slowest, before the loads.
 */
static void test_a_cell_waits_only_for_what_is_left_of_its_own_functions_resets(void **state)
{
	(void)state;
	split_device(true, ACS_ALL);
	offers_flr(EDU);
	add_cap(EDU_FN1, PM, PCI_CAP_PM);
	fn_at(EDU_FN1)->resets_itself = true;
	fn_at(EDU_FN1)->pm_at = PM;
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	pci_reset_first_boot_begin();
	now_us += LOAD_US;
	first_boot_loaded();
	first_start(1);
	if (now_us != LOAD_US + D3HOT_US)
		fail_msg("beta started %llu us after the resets began: wanted %u (the loads, then "
			 "its own D0's %u us), not alpha's FLR's %u",
			 (unsigned long long)now_us, LOAD_US + D3HOT_US, D3HOT_US, FLR_US);
	assert_int_equal(pm_state_of(EDU_FN1), PCI_PM_STATE_D0);
	assert_logged("I: beta: pci: waited 10.000 ms for 00:03.1's reset (D3hot to D0) after "
		      "loading");
	first_start(0);
	assert_int_equal(now_us, FLR_US);
	assert_logged("I: alpha: pci: waited 60.000 ms for 00:03.0's reset (FLR) after loading");
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	assert_int_equal(acs_ctrl(EDU_FN1), ACS_NEEDED);
}

/*
 * Firmware left alpha's and beta's functions in D3hot, each with FLR: both
 * are woken to D0 as the resets begin, both FLRs start in one pass once the
 * loads (longer than the wake's 10 ms) are over, and each start waits only
 * for what is left of its own: every first instruction one FLR after the
 * loads. Until 2026-11-26 each FLR began at its own cell's start, and the
 * boot CPU starts them one after another: beta 100 ms after alpha, 100 ms
 * more per such cell.
 */
static void test_functions_left_in_d3hot_all_take_their_flr_after_the_loads(void **state)
{
	(void)state;
	split_device(true, ACS_ALL);
	for (uint16_t bdf = EDU; bdf <= EDU_FN1; bdf++) {
		offers_flr(bdf);
		add_cap(bdf, PM, PCI_CAP_PM);
		fn_at(bdf)->pm_at = PM;
		dev_write(bdf, PM_CTRL, 2, PCI_PM_NO_SOFT_RESET | PCI_PM_STATE_D3HOT);
		dev_write(bdf, DEV_STATE, 4, FW_RING);
	}
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	pci_reset_first_boot_begin();
	now_us += LOAD_US;
	first_boot_loaded();
	first_start(0);
	first_start(1);
	if (now_us != LOAD_US + FLR_US)
		fail_msg("both cells started %llu us after the resets began: wanted %u (the "
			 "loads, then one FLR's %u us for both)",
			 (unsigned long long)now_us, LOAD_US + FLR_US, FLR_US);
	assert_reset_for_the_first_boot(EDU);
	assert_reset_for_the_first_boot(EDU_FN1);
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	assert_int_equal(pm_state_of(EDU_FN1), PCI_PM_STATE_D0);
}

/*
 * A load that fails starts no cell: its function stays as the reset left
 * it, decoding nothing and mastering nothing, its BARs not placed again,
 * and nothing says it was made ready for a boot.
 */
static void test_a_cell_whose_load_failed_keeps_its_functions_reset_and_off(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	dev_write(EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER); /* as firmware left it */
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	pci_reset_first_boot_begin();
	now_us += 2 * FLR_US; /* the load fails: no start comes */
	assert_reset_for_the_first_boot(EDU);
	assert_command(EDU, 0, "the first boot's FLR and a failed load");
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), 0);
	assert_not_logged("before the cell's first boot");
}

/*
 * A stop's quiesce before the cell's first cell_start() (at boot none
 * comes first: this is the pci side's contract should one ever do): it
 * waits for the reset the boot began, resets nothing again and places the
 * function, as the start would have (since 2026-11-25: before, it left
 * that to the start); the start that comes later has nothing left to do.
 */
static void test_a_stop_before_the_first_start_ends_the_reset_the_boot_began(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	pci_reset_first_boot_begin();
	stop_cell(0);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_given_back("a stop before the first start");
	assert_logged("I: alpha: pci: 00:03.0 reset (FLR) before the cell's first boot");
	fake_log_reset();
	stop_cell(0); /* the later start's reload */
	first_start(0);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_int_equal(fake_log_count(LOG_INFO), 0);
}

/*
 * After the first start, which waited its reset out itself, the cell's
 * loop has no reset of the hypervisor's to wait for: its guest's own FLR
 * under way holds up nothing (the guest waits for it as it likes).
 */
static void test_after_the_first_start_a_guests_own_flr_holds_up_no_loop(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	pci_reset_first_boot_begin();
	first_start(0);
	guest_programs(0, EDU);
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	assert_false(pci_reset_step(&cells[0]));
}

/*
 * The first boot's resets are waited for in the start's loop too, with its
 * CPU's interrupts taken (pci_reset_step()), and each function's wait is
 * still told at the start, timed from the loop's first look. Until
 * 2026-11-25 the start waited in pci_reset_end(), interrupts masked: up to
 * 100 ms on the cell's CPU, the console's and the SMMU's on CPU 0.
 */
static void test_the_first_boots_resets_are_waited_for_in_steps(void **state)
{
	unsigned int steps = 0;

	(void)state;
	flr_endpoint_in_alpha();
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	pci_reset_first_boot_begin();
	assert_true(pci_reset_left(&cells[0]));
	now_us += LOAD_US;
	while (pci_reset_step(&cells[0])) {
		now_us += 1000;
		steps++;
	}
	if (steps != (FLR_US - LOAD_US) / 1000)
		fail_msg("the first boot's FLR was seen under way %u time(s) after a %u us load: "
			 "wanted %u (the start waits for it itself?)",
			 steps, LOAD_US, (FLR_US - LOAD_US) / 1000);
	first_start(0);
	assert_int_equal(now_us, FLR_US); /* nothing left to wait for */
	assert_reset_for_the_first_boot(EDU);
	assert_logged("I: alpha: pci: waited 70.000 ms for 00:03.0's reset (FLR) after loading");
	assert_logged("I: alpha: pci: 00:03.0 reset (FLR) before the cell's first boot");
}

/*
 * Two functions of one cell, one reset shorter than the other's: alpha's
 * 00:03.1 out of its D3hot to D0 (10 ms after the loads) at the 11th look,
 * 00:03.0's FLR (70 ms after them) at the 71st. Each is told its own wait,
 * the shorter one counted once, at the look that found it over, not again
 * at each look after it while the other's goes on.
 */
static void test_a_first_boot_wait_over_before_anothers_is_told_as_its_own(void **state)
{
	(void)state;
	for (uint16_t bdf = EDU; bdf <= EDU_FN1; bdf++) {
		add_fn(bdf, bdf == EDU ? 0x80 : 0); /* multi-function */
		add_pcie(bdf, 0x0);
		add_bar(bdf, 0, 0xfff00000);
		give(0, bdf);
	}
	offers_flr(EDU);
	add_cap(EDU_FN1, PM, PCI_CAP_PM);
	fn_at(EDU_FN1)->resets_itself = true;
	fn_at(EDU_FN1)->pm_at = PM;
	assert_int_equal(create(0), 0);
	pci_reset_first_boot_begin();
	now_us += LOAD_US;
	first_boot_loaded();
	while (pci_reset_step(&cells[0]))
		now_us += 1000;
	assert_int_equal(now_us, FLR_US);
	first_start(0);
	assert_int_equal(now_us, FLR_US); /* nothing left to wait for */
	assert_int_equal(pm_state_of(EDU_FN1), PCI_PM_STATE_D0);
	assert_logged("I: alpha: pci: waited 10.000 ms for 00:03.1's reset (D3hot to D0) after "
		      "loading");
	assert_logged("I: alpha: pci: waited 70.000 ms for 00:03.0's reset (FLR) after loading");
	assert_reset_for_the_first_boot(EDU);
	assert_reset_for_the_first_boot(EDU_FN1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_the_first_boot_resets_what_firmware_left_in_its_function, setup),
		cmocka_unit_test_setup(test_the_first_boot_resets_every_cells_functions_in_one_wait,
				       setup),
		cmocka_unit_test_setup(
			test_the_first_boot_resets_a_function_without_flr_through_d3hot, setup),
		cmocka_unit_test_setup(test_the_first_boot_resets_the_function_of_the_last_cell_id,
				       setup),
		cmocka_unit_test_setup(
			test_a_function_without_a_reset_keeps_firmwares_state_at_the_first_boot,
			setup),
		cmocka_unit_test_setup(
			test_the_first_boots_reset_is_not_repeated_before_a_guest_ran, setup),
		cmocka_unit_test_setup(test_a_function_not_back_from_the_first_boots_reset_is_told,
				       setup),
		cmocka_unit_test_setup(
			test_the_first_boot_of_a_layout_without_pci_waits_for_nothing, setup),
		cmocka_unit_test_setup(
			test_only_a_cell_with_a_first_reset_to_end_has_its_start_left, setup),
		cmocka_unit_test_setup(test_a_cell_whose_function_offers_no_reset_has_no_start_left,
				       setup),
		cmocka_unit_test_setup(test_the_first_boots_wait_is_what_the_load_left_of_it,
				       setup),
		cmocka_unit_test_setup(
			test_a_load_longer_than_the_first_boots_reset_waits_for_nothing, setup),
		cmocka_unit_test_setup(
			test_a_cell_waits_only_for_what_is_left_of_its_own_functions_resets, setup),
		cmocka_unit_test_setup(
			test_functions_left_in_d3hot_all_take_their_flr_after_the_loads, setup),
		cmocka_unit_test_setup(
			test_a_cell_whose_load_failed_keeps_its_functions_reset_and_off, setup),
		cmocka_unit_test_setup(
			test_a_stop_before_the_first_start_ends_the_reset_the_boot_began, setup),
		cmocka_unit_test_setup(test_after_the_first_start_a_guests_own_flr_holds_up_no_loop,
				       setup),
		cmocka_unit_test_setup(test_the_first_boots_resets_are_waited_for_in_steps, setup),
		cmocka_unit_test_setup(
			test_a_first_boot_wait_over_before_anothers_is_told_as_its_own, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
