// SPDX-License-Identifier: GPL-2.0-only
/*
 * An interrupt listed in another vCPU's list registers, while that vCPU
 * runs or after it turned off: accesses to it wait for that vCPU's sync
 * and are not undone by it, a route to another vCPU kicks it, and nothing
 * is dropped or lost on the way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "fake_log.h"
#include "vgic_fixture.h"

/* Forwarded SPI 48 (edge or level) fired for vCPU 1, listed pending there; vCPU 1 runs. */
static void listed_pending_on_vcpu1(bool edge, struct vgic_lr *lrs1)
{
	uint64_t route = 1;

	enable(48, 0x80);
	make_hw(48);
	if (edge)
		make_edge(48);
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, true, &route) >= 0);
	assert_int_equal(vgic_spi_fired(&v, 48), 1);
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	assert_int_equal(lrs1[0].intid, 48);
	assert_int_equal(lrs1[0].state, VGIC_LR_PENDING);
}

/*
 * Edge SPI 48 is pending in running vCPU 1's LR (its latch went with it):
 * vCPU 0's writes to the words of every other bank that cover it (enable
 * SPI 33, disable nothing, priorities, groups, and GICD_ICFGR3 with 48's
 * field as it is) leave it there, pending: not handed back (which would
 * deactivate the physical interrupt behind vCPU 1's LR) and not lost.
 * Before, each of them found it neither pending nor active in the model,
 * took it out of vCPU 1's LR bookkeeping and dropped it: the edge was gone.
 */
static void
test_a_write_to_other_fields_does_not_drop_an_spi_pending_in_a_running_vcpu(void **state)
{
	struct vgic_lr lrs1[VGIC_MAX_LRS] = { 0 };
	const uint32_t words[] = { BIT_REG(GICD_ISENABLER, 33), BIT_REG(GICD_ICENABLER, 48),
				   GICD_IPRIORITYR + 48, BIT_REG(GICD_IGROUPR, 48),
				   GICD_ICFGR + (48 / 16) * 4 };
	const uint64_t values[] = { BIT_OF(33), 0, 0, 0, 0 };
	(void)state;

	listed_pending_on_vcpu1(true, lrs1);
	for (unsigned int k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
		uint32_t old = vt_drd(&v, 0, words[k]);
		uint64_t val = k < 2 ? values[k] : old; /* the others as they are */

		assert_true(vt_dist(&v, 0, words[k], 4, true, &val) >= 0);
		assert_int_equal(take_dropped(), 0);
		assert_int_equal(vgic_lr_of(&v, 1, 48), 0);
	}
	vgic_lr_sync(&v, 1, lrs1, NR_LRS); /* its guest had IRQs masked */
	assert_true(vgic_irq_pending(&v, vgic_irq(&v, 0, 48)));
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	assert_int_equal(lrs1[0].intid, 48);
	assert_int_equal(lrs1[0].state, VGIC_LR_PENDING);
}

/*
 * Level SPI 48 is pending by its line in running vCPU 1's LR: vCPU 0 makes
 * it edge. Whether it is still pending only vCPU 1's sync can tell, so the
 * write waits for it (-EBUSY); vCPU 1's guest had not taken it, so it is
 * then dropped: handed back, and out of vCPU 1's LRs. Before, the write went
 * through at once and took it out of the LRs of vCPU 1 while it ran.
 */
static void test_making_an_spi_listed_in_a_running_vcpu_edge_waits_for_its_sync(void **state)
{
	struct vgic_lr lrs1[VGIC_MAX_LRS] = { 0 };
	uint64_t cfg;
	(void)state;

	listed_pending_on_vcpu1(false, lrs1);
	cfg = vt_drd(&v, 0, GICD_ICFGR + (48 / 16) * 4) | 2u << ((48 % 16) * 2);
	assert_int_equal(vt_dist(&v, 0, GICD_ICFGR + (48 / 16) * 4, 4, true, &cfg), -EBUSY);
	assert_int_equal(vgic_lr_of(&v, 1, 48), 0);
	vgic_lr_sync(&v, 1, lrs1, NR_LRS);
	assert_true(vt_dist(&v, 0, GICD_ICFGR + (48 / 16) * 4, 4, true, &cfg) >= 0);
	assert_int_equal(take_dropped(), spi_bit(48));
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	assert_int_equal(lrs1[0].state, VGIC_LR_INVALID);
}

/* ... SPI 32, the first SPI, too: its trigger is no private interrupt's (fixed). */
static void test_making_spi_32_listed_in_a_running_vcpu_edge_waits_for_its_sync(void **state)
{
	static const uint32_t spi32[] = { 32, 48 };
	struct vgic_lr lrs1[VGIC_MAX_LRS] = { 0 };
	uint64_t route = 1, cfg = 2; /* INTID 32's field of GICD_ICFGR2: edge */
	(void)state;

	memset(&v, 0, sizeof(v));
	assert_int_equal(vgic_init(&v, 3, 4, spi32, 2, "linux"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp1);
	enable(32, 0x80);
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 32, 8, true, &route) >= 0);
	assert_int_equal(vgic_spi_fired(&v, 32), 1);
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	assert_int_equal(lrs1[0].intid, 32);
	assert_int_equal(vt_dist(&v, 0, GICD_ICFGR + 8, 4, true, &cfg), -EBUSY);
	vgic_lr_sync(&v, 1, lrs1, NR_LRS);
	assert_true(vt_dist(&v, 0, GICD_ICFGR + 8, 4, true, &cfg) >= 0);
	assert_int_equal(vgic_irq(&v, 0, 32)->trigger, VGIC_EDGE);
}

/*
 * vCPU 1 turns itself off (PSCI CPU_OFF) with SPI 48 still pending in its
 * LR (its IRQs masked), and vCPU 0 routes 48 to vCPU 2: vCPU 2 is kicked
 * and lists it. An SPI active there stays listed (only the guest ends it).
 * Before, vCPU 1's LR bookkeeping kept 48 until vCPU 1 came back, and no
 * other vCPU could list it.
 */
static void test_an_spi_pending_in_a_vcpu_that_turns_off_goes_where_it_is_routed(void **state)
{
	struct vgic_lr lrs1[VGIC_MAX_LRS] = { 0 }, lrs2[VGIC_MAX_LRS] = { 0 };
	uint64_t route = 1;
	(void)state;

	listed_pending_on_vcpu1(true, lrs1);
	enable(79, 0x80);
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 79, 8, true, &route) >= 0);
	vgic_set_edge(&v, 0, 79);
	vgic_lr_sync(&v, 1, lrs1, NR_LRS);
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	lrs1[lr_of_in(lrs1, 79)].state = VGIC_LR_ACTIVE; /* vCPU 1 takes 79 */
	vgic_lr_sync(&v, 1, lrs1, NR_LRS);		 /* its CPU_OFF call */
	assert_int_equal(vgic_lr_vcpu_off(&v, 1), 0);
	assert_int_equal(vgic_lr_of(&v, 1, 48), -1);
	assert_true(vgic_lr_of(&v, 1, 79) >= 0);

	route = 2;
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, true, &route) & 1 << 2);
	vgic_lr_fill(&v, 2, lrs2, NR_LRS);
	assert_int_equal(lrs2[0].intid, 48);
	assert_int_equal(lrs2[0].state, VGIC_LR_PENDING);
}

/*
 * SPI 79 is active in vCPU 1's LR when vCPU 1 turns off (it stays listed);
 * vCPU 0 routes it to vCPU 2 and clears its active state (GICD_ICACTIVER),
 * and it fires again: vCPU 2 lists it. Before, vCPU 1's LR bookkeeping kept
 * it until vCPU 1 came back (found by fuzz_vgic).
 */
static void test_an_spi_made_inactive_in_an_off_vcpus_lr_reaches_its_new_target(void **state)
{
	struct vgic_lr lrs1[VGIC_MAX_LRS] = { 0 }, lrs2[VGIC_MAX_LRS] = { 0 };
	uint64_t route = 1;
	(void)state;

	enable(79, 0x80);
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 79, 8, true, &route) >= 0);
	vgic_set_edge(&v, 0, 79);
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	lrs1[lr_of_in(lrs1, 79)].state = VGIC_LR_ACTIVE;
	vgic_lr_sync(&v, 1, lrs1, NR_LRS);
	vgic_lr_vcpu_off(&v, 1);
	assert_true(vgic_lr_of(&v, 1, 79) >= 0);

	route = 2;
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 79, 8, true, &route) >= 0);
	DWR(&v, BIT_REG(GICD_ICACTIVER, 79), BIT_OF(79));
	assert_int_equal(vgic_lr_of(&v, 1, 79), -1);
	vgic_set_edge(&v, 0, 79);
	vgic_lr_fill(&v, 2, lrs2, NR_LRS);
	assert_true(lr_of_in(lrs2, 79) >= 0);
	assert_int_equal(lrs2[lr_of_in(lrs2, 79)].state, VGIC_LR_PENDING);
}

/*
 * vCPU 1 runs with SGI 1 pending in its LR (its IRQs masked): vCPU 0 reads
 * it pending in vCPU 1's GICR_ISPENDR0 and clears it once vCPU 1 has synced,
 * and vCPU 1 does not get it back. Before, the read said 0 (the latch was in
 * the LR) and vCPU 1's sync put the latch back after the clear.
 */
static void test_another_vcpus_listed_sgi_is_read_and_cleared_after_its_sync(void **state)
{
	struct vgic_lr lrs1[VGIC_MAX_LRS] = { 0 };
	uint64_t bit = BIT_OF(1), val = 0;
	uint64_t rd1 = GICR_FRAME + GICR_SGI;
	(void)state;

	assert_true(vt_redist(&v, 1, rd1 + GICD_ISENABLER, 4, true, &bit) >= 0);
	assert_int_equal(vgic_sgi1r(&v, 0, (1ULL << 24) | 0x2), 0x2);
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	assert_int_equal(lrs1[0].state, VGIC_LR_PENDING);

	assert_int_equal(vt_redist(&v, 0, rd1 + GICD_ISPENDR, 4, false, &val), -EBUSY);
	assert_int_equal(vt_redist(&v, 0, rd1 + GICD_ICPENDR, 4, true, &bit), -EBUSY);
	/* vCPU 1's own view, and another vCPU's frame nobody lists from, are not held. */
	assert_true(vt_redist(&v, 1, rd1 + GICD_ISPENDR, 4, false, &val) >= 0);
	assert_true(vt_redist(&v, 0, 2 * GICR_FRAME + GICR_SGI + GICD_ISPENDR, 4, false, &val) >=
		    0);

	vgic_lr_sync(&v, 1, lrs1, NR_LRS);
	assert_true(vt_redist(&v, 0, rd1 + GICD_ISPENDR, 4, false, &val) >= 0);
	assert_int_equal(val & bit, bit);
	assert_true(vt_redist(&v, 0, rd1 + GICD_ICPENDR, 4, true, &bit) >= 0);
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	assert_int_equal(lrs1[0].state, VGIC_LR_INVALID);
	assert_true(vt_redist(&v, 0, rd1 + GICD_ISPENDR, 4, false, &val) >= 0);
	assert_int_equal(val & bit, 0);
}

/*
 * vCPU 1 took SPI 48 without an exit (the model saw it listed pending):
 * vCPU 0's GICD_ISACTIVER waits for vCPU 1's sync and then reads it active.
 */
static void test_an_spi_taken_without_an_exit_reads_active_after_the_sync(void **state)
{
	struct vgic_lr lrs1[VGIC_MAX_LRS] = { 0 };
	uint64_t route = 1, val = 0;
	(void)state;

	enable(48, 0x80);
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, true, &route) >= 0);
	vgic_set_edge(&v, 0, 48);
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	assert_int_equal(lrs1[0].state, VGIC_LR_PENDING);
	lrs1[0].state = VGIC_LR_ACTIVE; /* vCPU 1 acknowledges it, no exit */

	assert_int_equal(vt_dist(&v, 0, BIT_REG(GICD_ISACTIVER, 48), 4, false, &val), -EBUSY);
	/* Not the pending/active banks: the model has it all. */
	assert_true(vt_dist(&v, 0, BIT_REG(GICD_ISENABLER, 48), 4, false, &val) >= 0);
	vgic_lr_sync(&v, 1, lrs1, NR_LRS);
	assert_true(vt_dist(&v, 0, BIT_REG(GICD_ISACTIVER, 48), 4, false, &val) >= 0);
	assert_int_equal(val & BIT_OF(48), BIT_OF(48));
}

static void test_set_level_kicks_the_routed_vcpu(void **state)
{
	uint64_t route = 2; /* Aff0 = 2 */
	(void)state;

	enable(79, 0x80);
	assert_int_equal(vt_dist(&v, 0, GICD_IROUTER + 8 * 79, 8, true, &route), 0); /* idle */
	assert_int_equal(vgic_set_level(&v, 0, 79, true), 2);
	assert_true(vgic_has_pending(&v, 2));
	assert_false(vgic_has_pending(&v, 0));
	assert_int_equal(vgic_set_level(&v, 0, 79, true), -1); /* no change */
	assert_int_equal(vgic_set_level(&v, 0, 40, true), -1); /* not the cell's */
	assert_int_equal(vgic_set_level(&v, 3, 27, true), -1); /* PPI 27 disabled */
	vgic_irq_set_enabled(&v, vgic_irq(&v, 3, 27), true);
	assert_int_equal(vgic_set_level(&v, 3, 27, false), 3);
	assert_int_equal(vgic_set_level(&v, 3, 27, true), 3);
}

/*
 * An edge SPI, active on vCPU 0, is routed to vCPU 2 and fires again: vCPU 2
 * is kicked and finds nothing (the SPI is still in vCPU 0's LR).
 * When vCPU 0 deactivates it, the pending edge belongs to vCPU 2, which must
 * be kicked and must not stay quiet.
 */
static void test_spi_routed_away_while_active_goes_to_its_new_vcpu(void **state)
{
	struct vgic_lr other[VGIC_MAX_LRS] = { 0 };
	uint64_t route = 2; /* Aff0 = 2 */
	(void)state;

	enable(48, 0x80);
	make_edge(48);
	assert_int_equal(vgic_set_edge(&v, 0, 48), 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[lr_of(48)].state, VGIC_LR_ACTIVE);
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, true, &route) >= 0);
	assert_int_equal(vgic_set_edge(&v, 0, 48), 2); /* kicked: finds it in vCPU 0's LR */
	vgic_lr_fill(&v, 2, other, NR_LRS);
	assert_int_equal(other[0].state, VGIC_LR_INVALID);
	assert_true(vgic_lr_quiet(&v, 2));
	assert_int_equal(vgic_lr_take_kicks(&v, 0), 0);

	guest_done(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_int_equal(vgic_lr_take_kicks(&v, 0), 1u << 2);
	assert_int_equal(vgic_lr_take_kicks(&v, 0), 0); /* taken once */
	assert_false(vgic_lr_quiet(&v, 2));
	assert_true(vgic_has_pending(&v, 2));
	vgic_lr_fill(&v, 2, other, NR_LRS);
	assert_int_equal(other[0].intid, 48);
	assert_int_equal(other[0].state, VGIC_LR_PENDING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_a_write_to_other_fields_does_not_drop_an_spi_pending_in_a_running_vcpu),
		T(test_making_an_spi_listed_in_a_running_vcpu_edge_waits_for_its_sync),
		T(test_making_spi_32_listed_in_a_running_vcpu_edge_waits_for_its_sync),
		T(test_an_spi_pending_in_a_vcpu_that_turns_off_goes_where_it_is_routed),
		T(test_an_spi_made_inactive_in_an_off_vcpus_lr_reaches_its_new_target),
		T(test_another_vcpus_listed_sgi_is_read_and_cleared_after_its_sync),
		T(test_an_spi_taken_without_an_exit_reads_active_after_the_sync),
		T(test_set_level_kicks_the_routed_vcpu),
		T(test_spi_routed_away_while_active_goes_to_its_new_vcpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
