// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI resets the hypervisor makes as a cell stops or reloads
 * (partitions/pci_reset.c): FLR, Advanced Features FLR or D3hot to D0, every
 * function in one wait, each given back what the hypervisor owns; a
 * reload's begun as its DMA stops and ended by its start, waited for in the
 * boot vCPU's loop.
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

/* --- a stop resets its cell's functions ------------------------------------------------ */

static void assert_reset_by_the_stop(uint16_t bdf, unsigned int resets)
{
	if (fn_at(bdf)->nr_resets != resets || dev_read(bdf, DEV_STATE, 4))
		fail_msg("%02x:%02x.%u reset %u time(s), not %u, by the stop: the device holds "
			 "0x%x, the ring its guest programmed, for the next boot's Bus Master",
			 LAYOUT_BDF_BUS(bdf), LAYOUT_BDF_DEV(bdf), LAYOUT_BDF_FN(bdf),
			 fn_at(bdf)->nr_resets, resets, dev_read(bdf, DEV_STATE, 4));
}

/*
 * Until 2026-11-24 a stop only turned Bus Master off: the next boot turns it
 * on before it resets the device, and the old ring DMAs into the new image.
 */
static void test_a_stop_resets_its_function_by_flr(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_logged("I: alpha: pci: 1 function(s) reset (FLR)");
	/* Started at once, waited for once: 100 ms. */
	assert_true(now_us >= FLR_US && now_us < FLR_US + 2000);
}

/* A reset keeps a sticky PME_En: whatever the function holds then, it is cleared again. */
static void test_a_stops_reset_leaves_pme_enable_clear(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	add_cap(EDU, PM, PCI_CAP_PM);
	offers_flr(EDU);
	assert_int_equal(create(0), 0);
	dev_write(EDU, PM_CTRL, 2, PCI_PM_PME_EN); /* the model's FLR keeps it, as aux power does */
	stop_cell(0);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_pme_enable_clear("a stop's FLR");
}

/* What the reset cleared that the hypervisor owns is back before the next boot. */
static void test_a_function_reset_by_a_stop_is_placed_again(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	stop_cell(0);
	assert_given_back("the stop's FLR");
}

static void test_a_stop_puts_acs_back_on_its_reset_function(void **state)
{
	(void)state;
	split_device(true, ACS_ALL);
	for (uint16_t bdf = EDU; bdf <= EDU_FN1; bdf++)
		offers_flr(bdf);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	guest_programs(0, EDU);
	guest_programs(1, EDU_FN1);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	/* beta's function of the same device runs on, untouched. */
	assert_int_equal(fn_at(EDU_FN1)->nr_resets, 0);
	assert_int_equal(dev_read(EDU_FN1, DEV_STATE, 4), GUEST_RING);
	assert_command(EDU_FN1, PCI_CMD_MEMORY | PCI_CMD_MASTER, "alpha's stop");
}

/* Two functions: both reset, both started before the one wait. */
static void test_a_stop_resets_all_its_functions_in_one_wait(void **state)
{
	(void)state;
	split_device(true, -1);
	cfgs[1].nr_pci = 0;
	give(0, EDU_FN1);
	for (uint16_t bdf = EDU; bdf <= EDU_FN1; bdf++)
		offers_flr(bdf);
	assert_int_equal(create(0), 0);
	guest_programs(0, EDU);
	guest_programs(0, EDU_FN1);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_reset_by_the_stop(EDU_FN1, 1);
	assert_logged("I: alpha: pci: 2 function(s) reset (FLR)");
	assert_true(now_us < FLR_US + 2000);
}

static void test_a_stop_resets_a_conventional_function_by_its_af_flr(void **state)
{
	(void)state;
	conventional_endpoint_with_af_in_alpha(AF_TP | PCI_AF_CAP_FLR);
	fn_at(EDU)->resets_itself = true;
	fn_at(EDU)->af_at = AF;
	guest_programs(0, EDU);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
	assert_logged("I: alpha: pci: 1 function(s) reset (Advanced Features FLR)");
}

/* D3hot, 10 ms, D0, 10 ms (the model fails any request inside either). */
static void test_a_stop_resets_a_function_without_flr_through_d3hot(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(false, false);
	guest_programs(0, EDU);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the stop's D3hot to D0");
	assert_logged("I: alpha: pci: 1 function(s) reset (D3hot to D0)");
	assert_true(now_us >= 2 * D3HOT_US && now_us < 2 * D3HOT_US + 2000);
}

/* No reset to use: said once, when it is assigned, and its state left to the next boot. */
static void test_a_function_without_a_reset_is_told_once_at_boot(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(true, false);
	assert_logged("W: alpha: pci: 00:03.0: no function reset (no FLR in Device Capabilities "
		      "or an Advanced Features capability, PMCSR No_Soft_Reset set): what its "
		      "guest programs (queues, descriptors, MSI) survives a stop or restart");
	guest_programs(0, EDU);
	fake_log_reset();
	stop_cell(0);
	cells[0].boots++;
	stop_cell(0);
	assert_int_equal(fn_at(EDU)->nr_resets, 0);
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0); /* not even to D3hot */
	assert_int_equal(dev_read(EDU, DEV_STATE, 4), GUEST_RING);
	assert_int_equal(fake_log_count(LOG_WARN) + fake_log_count(LOG_INFO), 0);
}

/* Its guest left it in D3hot (runtime PM): woken first, then its FLR. */
static void test_a_function_left_in_d3hot_is_woken_before_its_flr(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(true, true);
	guest_programs(0, EDU);
	guest_write(0, EDU, PM_CTRL, 2, PCI_PM_NO_SOFT_RESET | PCI_PM_STATE_D3HOT);
	now_us += D3HOT_US;
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	assert_true(now_us >= 2 * D3HOT_US + FLR_US);
}

/* A stop and the start after it: no guest ran in between, one reset. After a boot, again. */
static void test_a_stop_and_the_start_after_it_reset_once(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	stop_cell(0);
	stop_cell(0); /* the start's reload */
	assert_reset_by_the_stop(EDU, 1);
	cells[0].boots++;
	guest_programs(0, EDU);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 2);
}

/*
 * A restart's reload right after a stop reset its functions (no guest ran in
 * between): nothing reset again, nothing left for the start to wait for or
 * place again, nothing said.
 */
static void test_a_reload_after_a_stops_reset_leaves_nothing_to_the_start(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	stop_cell(0);
	fake_log_reset();
	assert_int_equal(pci_cell_quiesce_for_reload(&cells[0]), 0);
	assert_false(pci_reset_left(&cells[0]));
	pci_reset_end(&cells[0]);
	assert_reset_by_the_stop(EDU, 1);
	assert_not_logged("reset");
}

/* Of two functions, one with an FLR and one without a reset: the one reset, the other said. */
static void test_a_stop_says_which_of_its_functions_offer_no_reset(void **state)
{
	(void)state;
	split_device(true, -1);
	cfgs[1].nr_pci = 0;
	give(0, EDU_FN1);
	offers_flr(EDU);
	assert_int_equal(create(0), 0);
	guest_programs(0, EDU);
	fake_log_reset();
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_logged("I: alpha: pci: 1 of 2 function(s) reset (FLR; the other(s) offer none)\n");
}

/* Not back after its 100 ms: said, and nothing written to it (a request may abort). */
static void test_a_function_not_back_from_the_stops_reset_is_told(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	fn_at(EDU)->flr_us = 3 * FLR_US;
	fn_at(EDU)->ur_in_reset = true;
	guest_programs(0, EDU);
	stop_cell(0);
	assert_logged("E: alpha: pci: 00:03.0: no answer after its FLR (Vendor ID 0xffff): its "
		      "BARs, ACS and AER are written again when its guest turns it on");
	assert_true(now_us < FLR_US + 2000);
	assert_not_logged("reset (FLR)");
}

/* A restart storm's quick boots are told about as one (cell_storm.c): reset, not said. */
static void test_a_restart_storms_resets_are_not_told(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	storm_boot = true;
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_not_logged("reset (FLR)");
}

/* --- a reload's resets: begun as its DMA stops, ended by its start ---------------------- */

/*
 * The reload's quiesce, then its load: how many times the boot vCPU's CPU
 * found the resets under way (cell_loop.c opens an interrupt window after
 * each), each 1 ms apart; none of it waits with interrupts masked.
 */
static unsigned int reload_and_step(unsigned int c)
{
	unsigned int steps = 0;

	assert_int_equal(pci_cell_quiesce_for_reload(&cells[c]), 0);
	now_us += LOAD_US;
	while (pci_reset_step(&cells[c])) {
		now_us += 1000;
		steps++;
	}
	return steps;
}

/*
 * A restart's reload begins the FLR and waits for none of it: the load
 * takes part of its time, the boot vCPU's CPU the rest in its loop with
 * interrupts taken, and the start places the function again, told as a
 * stop's reset. Until 2026-11-25 the reload waited the 100 ms out first,
 * interrupts masked, before its load.
 */
static void test_a_reloads_reset_is_begun_and_left_to_the_start(void **state)
{
	unsigned int steps;

	(void)state;
	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	steps = reload_and_step(0);
	if (steps != (FLR_US - LOAD_US) / 1000)
		fail_msg("the reset was seen under way %u time(s) after a %u us load: wanted %u "
			 "(the reload waited for it itself?)",
			 steps, LOAD_US, (FLR_US - LOAD_US) / 1000);
	assert_true(pci_reset_left(&cells[0]));
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), 0); /* not placed before the start */
	pci_reset_end(&cells[0]);
	assert_int_equal(now_us, FLR_US); /* nothing left to wait for */
	assert_reset_by_the_stop(EDU, 1);
	assert_given_back("a reload's FLR, ended at the start");
	assert_logged("I: alpha: pci: 1 function(s) reset (FLR)");
	assert_false(pci_reset_left(&cells[0]));
}

/* D3hot, then D0 once its 10 ms are over: the second step is the loop's too, not waited for. */
static void test_a_reloads_d3hot_reset_takes_its_d0_step_in_the_loop(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(false, false);
	guest_programs(0, EDU);
	assert_int_equal(reload_and_step(0), D3HOT_US / 1000); /* from the D0 write on */
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	pci_reset_end(&cells[0]);
	assert_int_equal(now_us, LOAD_US + D3HOT_US);
	assert_reset_by_the_stop(EDU, 1);
	assert_logged("I: alpha: pci: 1 function(s) reset (D3hot to D0)");
}

/*
 * A stop queued for a restart, after its reload: it resets nothing again
 * (no guest ran) but ends the reload's reset as the start would have, the
 * function placed again, as a stop of a running cell leaves it; the start
 * that comes later has nothing left to wait for. Until 2026-11-25 the stop
 * left the reset to that start.
 */
static void test_a_stop_after_a_reload_ends_its_reset(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	assert_int_equal(pci_cell_quiesce_for_reload(&cells[0]), 0);
	stop_cell(0); /* a stop queued for the restart */
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_false(pci_reset_left(&cells[0]));
	assert_given_back("a reload's FLR, ended by the stop queued instead of its start");
	assert_logged("I: alpha: pci: 1 function(s) reset (FLR)");
	assert_int_equal(pci_cell_quiesce_for_reload(&cells[0]), 0); /* the later start's */
	assert_false(pci_reset_left(&cells[0]));
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
}

/*
 * alpha's guest sets Initiate FLR on a function that implements none (its
 * reset is D3hot to D0), which resets nothing, and at once resets the cell:
 * the reload leaves the function to the loop (f->quiesce_left), and a stop
 * is queued instead of the start. The stop resets and places it, as it
 * would a running cell's. Until 2026-11-25 the stop turned its Bus Master
 * off and left its reset to the next start: the stopped cell's function
 * kept the ring its guest programmed.
 */
static void test_a_stop_after_a_reload_resets_a_function_its_guest_left_resetting(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(false, false);
	guest_programs(0, EDU);
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR); /* no FLR: nothing reset */
	relax_waits = true;
	assert_int_equal(pci_cell_quiesce_for_reload(&cells[0]), 0);
	relax_waits = false;
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	assert_command(EDU, PCI_CMD_INTX_DIS, "a stop after a reload");
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
	assert_false(pci_reset_left(&cells[0]));
	assert_logged("I: alpha: pci: 1 function(s) reset (D3hot to D0)");
}

/*
 * A reload's D3hot reset ended by a start the loop did not wait for (a
 * deferred start, on another CPU), which waits itself: it takes the D0
 * step too, and the function is back in D0, placed again.
 */
static void test_a_reloads_d3hot_reset_is_ended_in_d0_by_a_start_that_waits_itself(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(false, false);
	guest_programs(0, EDU);
	assert_int_equal(pci_cell_quiesce_for_reload(&cells[0]), 0);
	relax_waits = true;
	pci_reset_end(&cells[0]);
	relax_waits = false;
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	assert_reset_by_the_stop(EDU, 1);
	assert_logged("I: alpha: pci: 1 function(s) reset (D3hot to D0)");
}

/*
 * alpha's guest starts an FLR of 00:03.0 and at once resets itself (PSCI
 * SYSTEM_RESET): the reload's quiesce, then how long it spun (with the
 * CPU's interrupts masked, on hardware).
 */
static uint64_t reload_after_the_guests_flr(void)
{
	uint64_t t0;

	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	t0 = now_us;
	relax_waits = true;
	assert_int_equal(pci_cell_quiesce_for_reload(&cells[0]), 0);
	relax_waits = false;
	return now_us - t0;
}

/*
 * Until 2026-11-25 the reload's quiesce waited the guest's FLR out (100 ms)
 * before it wrote COMMAND, its interrupts masked: a guest that started an
 * FLR before each SYSTEM_RESET undid the loop's reset wait. Now the loop
 * waits for it, then quiesces the function and begins the reload's FLR: the
 * guest's reset need not be one (its write reaches the device, but the
 * hypervisor cannot tell that the device took it as an FLR).
 */
static void test_a_reload_leaves_the_guests_own_flr_to_the_loop(void **state)
{
	uint64_t spun;
	unsigned int steps = 0;

	(void)state;
	spun = reload_after_the_guests_flr();
	if (spun)
		fail_msg("the reload's quiesce waited %llu us for the guest's own FLR, its "
			 "interrupts masked",
			 (unsigned long long)spun);
	assert_true(pci_reset_left(&cells[0]));
	now_us += LOAD_US;
	while (pci_reset_step(&cells[0])) {
		now_us += 1000;
		steps++;
	}
	/* The guest's FLR's rest, then the reload's own: every wait in the loop. */
	assert_int_equal(now_us, 2 * FLR_US);
	assert_true(steps >= (2 * FLR_US - LOAD_US) / 1000);
	pci_reset_end(&cells[0]);
	assert_int_equal(now_us, 2 * FLR_US);
	assert_reset_by_the_stop(EDU, 2); /* the guest's and the reload's */
	assert_given_back("the guest's FLR and the reload's after it");
	assert_false(pci_reset_left(&cells[0]));
}

/* A start not left to the loop (a stop queued, a later start): it takes those steps itself. */
static void test_a_start_that_waits_itself_resets_after_the_guests_own_flr(void **state)
{
	(void)state;
	assert_int_equal(reload_after_the_guests_flr(), 0);
	relax_waits = true;
	pci_reset_end(&cells[0]);
	relax_waits = false;
	assert_int_equal(now_us, 2 * FLR_US);
	assert_reset_by_the_stop(EDU, 2);
	assert_given_back("the guest's FLR and the start's after it");
	assert_logged("I: alpha: pci: 1 function(s) reset (FLR)");
}

/*
 * A function without a reset whose guest set Initiate FLR: nothing to
 * reset, but the config space stays closed for 100 ms, and its quiesce
 * (COMMAND = INTx Disable) is the loop's, which the start waits for.
 */
static void test_a_reload_quiesces_a_function_without_reset_after_its_guests_flr(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	relax_waits = true;
	assert_int_equal(pci_cell_quiesce_for_reload(&cells[0]), 0);
	relax_waits = false;
	if (now_us)
		fail_msg("the reload's quiesce waited %llu us for the guest's FLR of a function "
			 "without one, its interrupts masked",
			 (unsigned long long)now_us);
	assert_command(EDU, PCI_CMD_MEMORY | PCI_CMD_MASTER,
		       "the reload's quiesce, the guest's FLR under way");
	assert_true(pci_reset_left(&cells[0]));
	while (pci_reset_step(&cells[0]))
		now_us += 1000;
	assert_true(now_us >= FLR_US && now_us <= FLR_US + 1000);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the loop, once the guest's FLR was over");
	pci_reset_end(&cells[0]);
	assert_false(pci_reset_left(&cells[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_a_stop_resets_its_function_by_flr, setup),
		cmocka_unit_test_setup(test_a_stops_reset_leaves_pme_enable_clear, setup),
		cmocka_unit_test_setup(test_a_function_reset_by_a_stop_is_placed_again, setup),
		cmocka_unit_test_setup(test_a_stop_puts_acs_back_on_its_reset_function, setup),
		cmocka_unit_test_setup(test_a_stop_resets_all_its_functions_in_one_wait, setup),
		cmocka_unit_test_setup(test_a_stop_resets_a_conventional_function_by_its_af_flr,
				       setup),
		cmocka_unit_test_setup(test_a_stop_resets_a_function_without_flr_through_d3hot,
				       setup),
		cmocka_unit_test_setup(test_a_function_without_a_reset_is_told_once_at_boot, setup),
		cmocka_unit_test_setup(test_a_function_left_in_d3hot_is_woken_before_its_flr,
				       setup),
		cmocka_unit_test_setup(test_a_stop_and_the_start_after_it_reset_once, setup),
		cmocka_unit_test_setup(
			test_a_reload_after_a_stops_reset_leaves_nothing_to_the_start, setup),
		cmocka_unit_test_setup(test_a_stop_says_which_of_its_functions_offer_no_reset,
				       setup),
		cmocka_unit_test_setup(test_a_function_not_back_from_the_stops_reset_is_told,
				       setup),
		cmocka_unit_test_setup(test_a_restart_storms_resets_are_not_told, setup),
		cmocka_unit_test_setup(test_a_reloads_reset_is_begun_and_left_to_the_start, setup),
		cmocka_unit_test_setup(test_a_reloads_d3hot_reset_takes_its_d0_step_in_the_loop,
				       setup),
		cmocka_unit_test_setup(
			test_a_stop_after_a_reload_resets_a_function_its_guest_left_resetting,
			setup),
		cmocka_unit_test_setup(test_a_stop_after_a_reload_ends_its_reset, setup),
		cmocka_unit_test_setup(
			test_a_reloads_d3hot_reset_is_ended_in_d0_by_a_start_that_waits_itself,
			setup),
		cmocka_unit_test_setup(test_a_reload_leaves_the_guests_own_flr_to_the_loop, setup),
		cmocka_unit_test_setup(
			test_a_start_that_waits_itself_resets_after_the_guests_own_flr, setup),
		cmocka_unit_test_setup(
			test_a_reload_quiesces_a_function_without_reset_after_its_guests_flr,
			setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
