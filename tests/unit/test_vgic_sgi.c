// SPDX-License-Identifier: GPL-2.0-only
/*
 * SGIs in the vGIC model: GICv3's ICC_SGI0R/SGI1R_EL1 reach only the cell's
 * vCPUs of the right group, GICv2's GICD_SGIR its filters and sources, and
 * an SGI touches only the vCPUs it targets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "fake_log.h"
#include "vgic_fixture.h"

static void test_sgi1r_reaches_only_the_cells_vcpus(void **state)
{
	uint64_t irm = 1ULL << 40, aff1 = 1ULL << 16, sgi3 = 3ULL << 24;
	(void)state;

	assert_int_equal(vgic_init(&v, 3, 2, NULL, 0, "pair"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp1);
	for (unsigned int c = 0; c < 2; c++)
		vgic_irq_set_enabled(&v, vgic_irq(&v, c, 3), true);
	assert_int_equal(vgic_sgi1r(&v, 0, sgi3 | 0xffff), 0x3);
	assert_true(vgic_irq(&v, 0, 3)->pending_latch && vgic_irq(&v, 1, 3)->pending_latch);
	vgic_irq(&v, 0, 3)->pending_latch = vgic_irq(&v, 1, 3)->pending_latch = false;
	assert_int_equal(vgic_sgi1r(&v, 0, sgi3 | aff1 | 0x3), 0); /* Aff1 = 1: not ours */
	assert_int_equal(vgic_sgi1r(&v, 1, sgi3 | irm | 0xffff), 0x1);
	assert_true(vgic_irq(&v, 0, 3)->pending_latch);
	assert_false(vgic_irq(&v, 1, 3)->pending_latch);
	assert_int_equal(vgic_sgi1r(&v, 5, sgi3 | 0x3), 0);	    /* no such sender */
	assert_int_equal(vgic_sgi1r_targets(&v, 2, sgi3 | irm), 0); /* nor the next one */
	/* SGI 4, disabled: made pending, but no CPU is kicked for it. */
	assert_int_equal(vgic_sgi1r(&v, 0, 4ULL << 24 | 0x3), 0);
	assert_true(vgic_irq(&v, 1, 4)->pending_latch);
}

/*
 * TargetList bits past the cell's vCPUs name nobody: a direct cell's SGI goes
 * to the physical CPU of each vCPU this mask names (vgic_direct_sgi1r()),
 * and the cell's vcpus[] entries past its own name CPU 0, another cell's.
 */
static void test_sgi1r_targets_are_only_the_cells_vcpus(void **state)
{
	(void)state;

	for (unsigned int nr = 1; nr <= LAYOUT_MAX_CPUS; nr++) {
		assert_int_equal(vgic_init(&v, 3, nr, NULL, 0, "cell"), 0);
		assert_int_equal(vgic_sgi1r_targets(&v, 0, 5ULL << 24 | 0xffff), (1u << nr) - 1);
	}
}

/*
 * One Security state (GICD_CTLR.DS = 1): ICC_SGI0R_EL1 and ICC_ASGI1R_EL1
 * (vgic_sgi0r()) make an SGI pending only where it is Group 0, ICC_SGI1R_EL1
 * whatever its group (IHI 0069, "Forwarding an SGI to a target PE"). SGI 3
 * is Group 0 on vCPU 1, Group 1 on vCPU 2.
 */
static void test_sgi0r_reaches_only_group0_sgis_and_sgi1r_both(void **state)
{
	uint64_t grp = ~BIT_OF(3), sgi3 = 3ULL << 24;
	(void)state;

	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp0 | GICD_CTLR_EnableGrp1);
	assert_true(vt_redist(&v, 0, GICR_FRAME + GICR_SGI + GICD_IGROUPR, 4, true, &grp) >= 0);
	for (unsigned int c = 1; c < 3; c++)
		vgic_irq_set_enabled(&v, vgic_irq(&v, c, 3), true);

	assert_int_equal(vgic_sgi0r(&v, 0, sgi3 | 0x6), 0x2);
	assert_true(vgic_irq(&v, 1, 3)->pending_latch);
	assert_false(vgic_irq(&v, 2, 3)->pending_latch);
	assert_int_equal(vgic_sgi0r(&v, 0, sgi3 | 1ULL << 40), 0x2); /* IRM: the same */
	assert_false(vgic_irq(&v, 2, 3)->pending_latch);

	vgic_irq(&v, 1, 3)->pending_latch = false;
	assert_int_equal(vgic_sgi1r(&v, 0, sgi3 | 0x6), 0x6);
	assert_true(vgic_irq(&v, 1, 3)->pending_latch && vgic_irq(&v, 2, 3)->pending_latch);
}

static void test_v2_sgir_filters_and_sources(void **state)
{
	(void)state;
	assert_int_equal(vgic_init(&v, 2, 3, NULL, 0, "v2"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp0);
	DWR(&v, GICD_ISENABLER, 0xffff);		/* vCPU 0's SGIs only (banked) */
	DWR(&v, GICD_SGIR, 0u << 24 | 0xffu << 16 | 5); /* list: 0xff -> vCPUs 0-2 only */
	for (unsigned int c = 0; c < 3; c++)
		assert_int_equal(vgic_irq(&v, c, 5)->sgi_sources, 1u << 0);
	uint64_t val = 1u << 24 | 6; /* all but self, from vCPU 1 */
	assert_true(vt_dist(&v, 1, GICD_SGIR, 4, true, &val) >= 0);
	assert_int_equal(vgic_irq(&v, 0, 6)->sgi_sources, 1u << 1);
	assert_int_equal(vgic_irq(&v, 1, 6)->sgi_sources, 0);
	assert_int_equal(vgic_irq(&v, 2, 6)->sgi_sources, 1u << 1);
	val = 2u << 24 | 7; /* self, from vCPU 2 */
	assert_true(vt_dist(&v, 2, GICD_SGIR, 4, true, &val) >= 0);
	assert_int_equal(vgic_irq(&v, 2, 7)->sgi_sources, 1u << 2);
	assert_int_equal(vgic_irq(&v, 0, 7)->sgi_sources, 0);
	/* vCPU 0's SGI 5 and SGI 6 through the list registers, with their sources */
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].intid, 5);
	assert_int_equal(lrs[0].source_vcpu, 0);
	assert_int_equal(lrs[1].intid, 6);
	assert_int_equal(lrs[1].source_vcpu, 1);
}

static void test_v2_sgi_from_two_sources_delivered_twice(void **state)
{
	(void)state;
	assert_int_equal(vgic_init(&v, 2, 2, NULL, 0, "v2"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp0);
	DWR(&v, GICD_ISENABLER, 0xffff);
	DWR(&v, GICD_SGIR, 2u << 24 | 1);	/* from vCPU 0 to itself */
	uint64_t val = 0u << 24 | 1u << 16 | 1; /* from vCPU 1 to vCPU 0 */
	assert_true(vt_dist(&v, 1, GICD_SGIR, 4, true, &val) >= 0);
	assert_int_equal(vt_drd(&v, 0, GICD_SPENDSGIR), 0x3u << 8);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].source_vcpu, 0);
	guest_ack(0);
	guest_done(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].intid, 1);
	assert_int_equal(lrs[0].source_vcpu, 1);
	guest_ack(0);
	guest_done(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(vgic_has_pending(&v, 0));
}

/*
 * GICv2: SGI 1 from vCPU 1 is active in vCPU 0's guest when vCPU 0 sends
 * itself SGI 1: its list register stays the active one from vCPU 1 (whose
 * EOI names that source), the new one is listed once it is done.
 */
static void test_v2_active_sgi_keeps_its_source_while_another_is_pending(void **state)
{
	uint64_t val = 0u << 24 | 1u << 16 | 1; /* from vCPU 1 to vCPU 0 */
	(void)state;

	assert_int_equal(vgic_init(&v, 2, 2, NULL, 0, "v2"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp0);
	DWR(&v, GICD_ISENABLER, 0xffff);
	assert_true(vt_dist(&v, 1, GICD_SGIR, 4, true, &val) >= 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	DWR(&v, GICD_SGIR, 2u << 24 | 1); /* from vCPU 0 to itself */
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].intid, 1);
	assert_int_equal(lrs[0].state, VGIC_LR_ACTIVE);
	assert_int_equal(lrs[0].source_vcpu, 1);
	guest_done(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING);
	assert_int_equal(lrs[0].source_vcpu, 0);
}

/*
 * An edge the hypervisor raises (vgic_set_edge()): once pending it kicks its
 * target, again it changes nothing and kicks nobody; on GICv2 an SGI's is
 * from the vCPU itself; an INTID not the cell's is nobody's.
 */
static void test_set_edge_kicks_once_and_only_for_the_cells(void **state)
{
	uint64_t sgis = 0xffff;

	(void)state;
	enable(48, 0xa0);
	make_edge(48);
	assert_int_equal(vgic_set_edge(&v, 0, 48), 0);
	assert_int_equal(vgic_set_edge(&v, 0, 48), -1);
	assert_int_equal(vgic_set_edge(&v, 0, 40), -1);

	assert_int_equal(vgic_init(&v, 2, 2, NULL, 0, "v2"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp0);
	assert_true(vt_dist(&v, 1, GICD_ISENABLER, 4, true, &sgis) >= 0); /* vCPU 1's, banked */
	assert_int_equal(vgic_set_edge(&v, 1, 3), 1);
	assert_int_equal(vgic_irq(&v, 1, 3)->sgi_sources, 1u << 1);
	assert_false(vgic_irq(&v, 1, 3)->pending_latch);
	assert_int_equal(vgic_set_edge(&v, 1, 3), -1);
}

/* An SGI to vCPU 1 leaves quiet vCPU 0 quiet: one vCPU's news is not another's exit. */
static void test_sgi_touches_only_its_targets(void **state)
{
	uint64_t sgi3 = 3ULL << 24;
	(void)state;

	assert_int_equal(vgic_init(&v, 3, 2, NULL, 0, "pair"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp1);
	vgic_irq_set_enabled(&v, vgic_irq(&v, 1, 3), true);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_true(vgic_lr_quiet(&v, 0));
	assert_int_equal(vgic_sgi1r(&v, 0, sgi3 | 0x2), 0x2);
	assert_true(vgic_lr_quiet(&v, 0));
	vgic_lr_fill(&v, 1, lrs, NR_LRS);
	assert_int_equal(lr_of(3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sgi1r_reaches_only_the_cells_vcpus),
		T(test_sgi1r_targets_are_only_the_cells_vcpus),
		T(test_sgi0r_reaches_only_group0_sgis_and_sgi1r_both),
		T(test_v2_sgir_filters_and_sources),
		T(test_v2_sgi_from_two_sources_delivered_twice),
		T(test_v2_active_sgi_keeps_its_source_while_another_is_pending),
		T(test_sgi_touches_only_its_targets),
		T(test_set_edge_kicks_once_and_only_for_the_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
