// SPDX-License-Identifier: GPL-2.0-only
/*
 * INTIDs the cell does not own, in the vGIC model: the guest's writes to
 * them change nothing, and are counted and told in a bounded number of
 * lines, once across restarts, configuration writes not at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "fake_log.h"
#include "vgic_fixture.h"

static void test_foreign_spi_changes_nothing_and_logs_once(void **state)
{
	uint64_t val;
	(void)state;

	for (int i = 0; i < 3; i++) {
		DWR(&v, BIT_REG(GICD_ISENABLER, 40), BIT_OF(40));
		DWR(&v, BIT_REG(GICD_ISPENDR, 40), BIT_OF(40));
		val = 0x10;
		assert_int_equal(vt_dist(&v, 0, GICD_IPRIORITYR + 40, 1, true, &val), 0);
		val = 1;
		assert_int_equal(vt_dist(&v, 0, GICD_IROUTER + 8 * 40, 8, true, &val), 0);
	}
	assert_int_equal(vt_drd(&v, 0, BIT_REG(GICD_ISENABLER, 40)) & BIT_OF(40), 0);
	assert_int_equal(vt_drd(&v, 0, BIT_REG(GICD_ISPENDR, 40)) & BIT_OF(40), 0);
	assert_int_equal(vt_drd(&v, 0, GICD_IPRIORITYR + 40), 0);
	assert_int_equal(vt_drd(&v, 0, GICD_IROUTER + 8 * 40), 0);
	assert_int_equal(vt_count(fake_log_text(), "INTID 40"), 1);
	assert_logged("W: linux: vGIC: write to GICD_ISENABLER1 would enable INTID 40, not the "
		      "cell's; ignored\n");
	assert_int_equal(v.foreign.accesses, 12);
	assert_false(vgic_lr_fill(&v, 0, lrs, NR_LRS));
}

static void test_isenabler_mixed_bits_touch_only_owned(void **state)
{
	(void)state;
	DWR(&v, GICD_ISENABLER + 4, 0xffffffff); /* INTIDs 32-63: the cell owns 33 and 48 */
	assert_int_equal(vt_drd(&v, 0, GICD_ISENABLER + 4), BIT_OF(33) | BIT_OF(48));
	assert_true(vgic_irq(&v, 0, 33)->enabled && vgic_irq(&v, 0, 48)->enabled);
	assert_int_equal(v.foreign.accesses, 30);
	DWR(&v, GICD_ISENABLER + 4, 0xffffffff);
	assert_int_equal(v.foreign.accesses, 60); /* every one counted */
	DWR(&v, 0xd04, 0xffffffff); /* GICD_IGRPMODR1: RAZ/WI, no access to an INTID */
	assert_int_equal(v.foreign.accesses, 60);
}

/* One guest store names up to 32 foreign INTIDs: one line for all of them, once. */
static void test_one_store_to_foreign_intids_logs_one_line(void **state)
{
	(void)state;
	DWR(&v, GICD_ISENABLER + 4, 0xffffffff); /* INTIDs 32-63 but the cell's 33 and 48 */
	DWR(&v, GICD_ISENABLER + 4, 0xffffffff);
	DWR(&v, GICD_ISPENDR + 4, 0xffffffff);
	if (fake_log_count(LOG_WARN) != 1)
		fail_msg("want one WARN line for three stores naming the same INTIDs, log:\n%s",
			 fake_log_text());
	assert_logged("W: linux: vGIC: write to GICD_ISENABLER1 would enable INTIDs 32-63 (bits "
		      "0xfffefffd), not the cell's; ignored\n");
}

/*
 * A sweep of 0xffffffff over every ISENABLER, ISPENDR and ISACTIVER word
 * (985 foreign INTIDs in each: 1020 less 32 private, less the cell's 3):
 * VGIC_FOREIGN_REPORTS lines in all, the last saying so; every write counted.
 */
static void test_foreign_sweep_is_reported_in_a_bounded_number_of_lines(void **state)
{
	static const uint32_t banks[] = { GICD_ISENABLER, GICD_ISPENDR, GICD_ISACTIVER };
	(void)state;

	for (unsigned int b = 0; b < 3; b++)
		for (uint32_t word = 1; word < 32; word++)
			DWR(&v, banks[b] + 4 * word, 0xffffffff);
	if (fake_log_count(LOG_WARN) != VGIC_FOREIGN_REPORTS)
		fail_msg("want %d WARN lines for 93 stores, log:\n%s", VGIC_FOREIGN_REPORTS,
			 fake_log_text());
	assert_logged("write to GICD_ISENABLER8 would enable INTIDs 256-287 (bits 0xffffffff), "
		      "not the cell's; ignored (further ones are counted, not logged)\n");
	assert_int_equal(v.foreign.accesses, 3 * 985);
}

/* vgic_init() again (vgic_hw_cell_init() on a restart): what was reported stays reported. */
static void test_restart_does_not_report_a_foreign_intid_again(void **state)
{
	(void)state;
	for (int boot = 0; boot < 3; boot++) {
		assert_int_equal(vgic_init(&v, 3, 4, cell_spis, 3, "linux"), 0);
		DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp1);
		DWR(&v, BIT_REG(GICD_ISPENDR, 40), BIT_OF(40));
	}
	if (fake_log_count(LOG_WARN) != 1)
		fail_msg("want one WARN line over three boots, log:\n%s", fake_log_text());
	assert_int_equal(v.foreign.accesses, 3);
	DWR(&v, BIT_REG(GICD_ISPENDR, 41), BIT_OF(41)); /* a new one still is */
	assert_logged("write to GICD_ISPENDR1 would pend INTID 41, not the cell's");
}

/*
 * Linux's gic_dist_init()/gic_dist_config() at boot, on every SPI GICD_TYPER
 * reports (here 32-95, the cell owns 33, 48, 79): group 1, level, default
 * priority, deactivate, disable, route to the boot CPU. It configures the
 * foreign ones too; that is counted but logged nowhere.
 */
static void test_foreign_configuration_writes_are_counted_not_logged(void **state)
{
	uint64_t aff0 = 0;
	(void)state;

	for (uint32_t intid = 32; intid < 96; intid += 32) {
		DWR(&v, BIT_REG(GICD_IGROUPR, intid), 0xffffffff);
		DWR(&v, BIT_REG(GICD_ICACTIVER, intid), 0xffffffff);
		DWR(&v, BIT_REG(GICD_ICENABLER, intid), 0xffffffff);
		DWR(&v, BIT_REG(GICD_ICPENDR, intid), 0xffffffff);
	}
	for (uint32_t intid = 32; intid < 96; intid += 16)
		DWR(&v, GICD_ICFGR + intid / 4, 0);
	for (uint32_t intid = 32; intid < 96; intid += 4)
		DWR(&v, GICD_IPRIORITYR + intid, 0xa0a0a0a0);
	for (uint32_t intid = 32; intid < 96; intid++)
		assert_int_equal(vt_dist(&v, 0, GICD_IROUTER + 8 * intid, 8, true, &aff0), 0);

	assert_int_equal(fake_log_count(LOG_WARN), 0);
	assert_true(v.foreign.accesses >= 6 * 61); /* 61 foreign INTIDs, 6 registers each */
	assert_int_equal(vt_drd(&v, 0, GICD_IPRIORITYR + 40), 0); /* still untouched */
	assert_int_equal(vt_drd(&v, 0, GICD_IPRIORITYR + 48), 0xa0);

	/* Asking a foreign SPI to fire is still reported, once. */
	DWR(&v, BIT_REG(GICD_ISENABLER, 40), BIT_OF(40));
	DWR(&v, BIT_REG(GICD_ISENABLER, 40), BIT_OF(40));
	assert_int_equal(fake_log_count(LOG_WARN), 1);
	assert_logged(
		"linux: vGIC: write to GICD_ISENABLER1 would enable INTID 40, not the cell's; "
		"ignored");
	DWR(&v, BIT_REG(GICD_ISACTIVER, 41), BIT_OF(41));
	assert_logged("linux: vGIC: write to GICD_ISACTIVER1 would activate INTID 41, not the "
		      "cell's; ignored");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_foreign_spi_changes_nothing_and_logs_once),
		T(test_isenabler_mixed_bits_touch_only_owned),
		T(test_foreign_configuration_writes_are_counted_not_logged),
		T(test_one_store_to_foreign_intids_logs_one_line),
		T(test_foreign_sweep_is_reported_in_a_bounded_number_of_lines),
		T(test_restart_does_not_report_a_foreign_intid_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
