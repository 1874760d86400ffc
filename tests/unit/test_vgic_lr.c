// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGIC model's list registers (gic/vgic_lr*.c), on vCPU 0's played by
 * the test (vgic_fixture.h): an interrupt's life cycle through them, edge
 * and level, which interrupts get them when there are too few, in what
 * order, and when a vCPU's registers may be left as they are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "fake_log.h"
#include "vgic_fixture.h"

/* SGIs 1-4 (priority 0xa0) pending through GICR_ISPENDR0 when @mask says so. */
static void pend_sgis(uint64_t mask)
{
	assert_true(vt_redist(&v, 0, GICR_SGI + GICD_ISPENDR, 4, true, &mask) >= 0);
}

/*
 * Four low-priority SGIs fill vCPU 0's list registers and stay pending (its
 * guest masks them, ICC_PMR_EL1); SGI 5 at 0x20, a pseudo-NMI, comes: the
 * fill lists it at once, the lowest of the four (by INTID among equals)
 * waits in the model, pending, and is listed again when SGI 5 is done.
 * Before, SGI 5 waited until one of the four was taken.
 */
static void test_a_higher_priority_interrupt_displaces_a_listed_pending_one(void **state)
{
	unsigned int i;
	int lr;

	(void)state;
	for (i = 1; i <= 5; i++)
		enable(i, i == 5 ? 0x20 : 0xa0);
	pend_sgis(0x1e);
	assert_false(vgic_lr_fill(&v, 0, lrs, NR_LRS) & VGIC_FILL_OVERFLOW);
	for (i = 1; i <= 4; i++)
		assert_true(lr_of(i) >= 0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	pend_sgis(0x20);
	assert_true(vgic_lr_fill(&v, 0, lrs, NR_LRS) & VGIC_FILL_OVERFLOW);
	lr = lr_of(5);
	assert_true(lr >= 0);
	assert_int_equal(lrs[lr].state, VGIC_LR_PENDING);
	for (i = 1; i <= 3; i++)
		assert_true(lr_of(i) >= 0);
	assert_int_equal(lr_of(4), -1);
	assert_true(vgic_irq(&v, 0, 4)->pending_latch);
	assert_int_equal(vgic_irq(&v, 0, 4)->lr, -1);
	guest_ack((unsigned int)lr);
	guest_done((unsigned int)lr);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(vgic_lr_fill(&v, 0, lrs, NR_LRS) & VGIC_FILL_OVERFLOW);
	assert_int_equal(lr_of(5), -1);
	for (i = 1; i <= 4; i++)
		assert_int_equal(lrs[lr_of(i)].state, VGIC_LR_PENDING);
}

/* An active listed interrupt is never displaced: only pending ones go back. */
static void test_active_listed_interrupts_keep_their_list_registers(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 1; i <= 5; i++)
		enable(i, i == 5 ? 0x20 : 0xa0);
	pend_sgis(0x1e);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	for (i = 1; i <= 4; i++)
		guest_ack((unsigned int)lr_of(i));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	pend_sgis(0x20);
	assert_true(vgic_lr_fill(&v, 0, lrs, NR_LRS) & VGIC_FILL_OVERFLOW);
	assert_int_equal(lr_of(5), -1);
	for (i = 1; i <= 4; i++)
		assert_int_equal(lrs[lr_of(i)].state, VGIC_LR_ACTIVE);
}

static void test_edge_goes_pending_active_inactive(void **state)
{
	struct vgic_irq *irq = vgic_irq(&v, 0, 48);
	(void)state;

	enable(48, 0xa0);
	make_edge(48);
	assert_int_equal(vgic_set_edge(&v, 0, 48), 0);
	assert_false(vgic_lr_fill(&v, 0, lrs, NR_LRS));
	assert_int_equal(lrs[0].intid, 48);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING);
	assert_int_equal(lrs[0].priority, 0xa0);
	assert_false(lrs[0].eoi_maintenance);
	guest_ack(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_true(irq->active);
	assert_false(vgic_irq_pending(&v, irq));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].state, VGIC_LR_ACTIVE);
	guest_done(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(irq->active);
	assert_false(vgic_irq_pending(&v, irq));
	assert_int_equal(irq->lr, -1);
	assert_false(vgic_has_pending(&v, 0));
}

/*
 * An edge that comes again while the first is listed is not lost: pending
 * and active in the LR; and while the guest stays in the first's handler
 * (the LR still so at the next exit), the second, in the LR only, goes back
 * to the model and is listed again. Lost, it would never be taken.
 */
static void test_edge_arriving_while_in_lr_is_not_lost(void **state)
{
	(void)state;
	enable(48, 0xa0);
	make_edge(48);
	vgic_set_edge(&v, 0, 48);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(0);
	vgic_set_edge(&v, 0, 48); /* the device fires again while the guest runs */
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING_ACTIVE);
	vgic_lr_sync(&v, 0, lrs, NR_LRS); /* the guest took nothing */
	if (!vgic_irq_pending(&v, vgic_irq(&v, 0, 48)))
		fail_msg("the edge pending in an active LR is not pending in the model after the "
			 "exit");
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING_ACTIVE);
}

static void test_level_follows_line_and_asks_for_eoi(void **state)
{
	struct vgic_irq *irq = vgic_irq(&v, 0, 33);
	(void)state;

	enable(33, 0x80);
	assert_int_equal(vgic_set_level(&v, 0, 33, true), 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING);
	assert_true(lrs[0].eoi_maintenance);
	guest_ack(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	/* line still high while the guest handles it: active only, no pending+active */
	assert_int_equal(lrs[0].state, VGIC_LR_ACTIVE);
	assert_int_equal(vgic_set_level(&v, 0, 33, false), -1); /* active: nothing to deliver */
	guest_done(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(vgic_irq_pending(&v, irq));
	assert_false(irq->active);
	assert_false(vgic_lr_fill(&v, 0, lrs, NR_LRS));
	assert_int_equal(lrs[0].state, VGIC_LR_INVALID);
}

/*
 * A timer's line set on its own vCPU's CPU (gic/vgic_hw.c) changes the model
 * exactly as vgic_set_level() does, the vCPU's change count included, for a
 * level- and an edge-configured PPI, rising, staying and falling: only the
 * kick is not worked out.
 */
static void test_own_level_changes_the_model_as_set_level_does(void **state)
{
	static struct vgic_cell a, b;
	static const bool levels[] = { true, true, false, true, false, false, true };
	(void)state;

	enable(VGIC_INTID_VTIMER, 0x80);
	for (int edge = 0; edge < 2; edge++) {
		/* A guest cannot make a PPI edge-triggered here (GICR_ICFGR1 is RO): the model can.
		 */
		if (edge)
			v.vcpus[0].private_irqs[VGIC_INTID_VTIMER].trigger = VGIC_EDGE;
		vgic_lr_fill(&v, 0, lrs, NR_LRS);
		assert_true(vgic_lr_quiet(&v, 0));
		a = v;
		b = v;
		for (unsigned int i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
			vgic_set_level(&a, 0, VGIC_INTID_VTIMER, levels[i]);
			vgic_set_own_level(&b, 0, VGIC_INTID_VTIMER, levels[i]);
			assert_memory_equal(&a, &b, sizeof(a));
			if (i == 0)
				assert_false(
					vgic_lr_quiet(&b, 0)); /* the rise is the fill's to see */
		}
		assert_int_equal(b.vcpus[0].private_irqs[VGIC_INTID_VTIMER].pending_latch, edge);
	}
}

static void test_level_still_high_at_eoi_is_delivered_again(void **state)
{
	(void)state;
	enable(33, 0x80);
	vgic_set_level(&v, 0, 33, true);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(0);
	guest_done(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(vgic_lr_quiet(&v, 0)); /* nothing changed, but it is pending: a fill */
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].intid, 33);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING);
}

static void test_level_dropped_before_taken_leaves_lr(void **state)
{
	(void)state;
	enable(33, 0x80);
	vgic_set_level(&v, 0, 33, true);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(vgic_set_level(&v, 0, 33, false), 0); /* kick: its LR is stale */
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].state, VGIC_LR_INVALID);
}

static void test_overflow_keeps_highest_priorities_in_lrs(void **state)
{
	static const uint32_t ids[] = { 16, 17, 18, 19, 20, 21, 33, 48 };
	static const uint8_t prios[] = { 0x70, 0x10, 0x60, 0x20, 0x50, 0x30, 0x40, 0x00 };
	(void)state;

	for (unsigned int i = 0; i < 8; i++) {
		enable(ids[i], prios[i]);
		vgic_set_level(&v, 0, ids[i], true);
	}
	assert_true(vgic_lr_fill(&v, 0, lrs, NR_LRS));
	/* the best four: 48 (0x00), 17 (0x10), 19 (0x20), 21 (0x30) */
	assert_true(lr_of(48) >= 0 && lr_of(17) >= 0 && lr_of(19) >= 0 && lr_of(21) >= 0);
	guest_ack((unsigned int)lr_of(17));
	guest_done((unsigned int)lr_of(17));
	vgic_set_level(&v, 0, 17, false);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_true(vgic_lr_fill(&v, 0, lrs, NR_LRS));
	assert_true(lr_of(33) >= 0); /* next best, 0x40, took the freed slot */
	assert_int_equal(lr_of(17), -1);
}

/*
 * As many list registers as the model handles (16) and more candidates: the
 * 16 best are listed, the first of them found last (PPI 17 at 0x20 after
 * sixteen SGIs at 0xa0), the worst kept out by INTID among equals, and the
 * overflow said. The candidates' sort is bounded by the registers there are.
 */
static void test_sixteen_lrs_take_the_best_sixteen(void **state)
{
	uint64_t pend = 0x3ffff, listed = 0;
	unsigned int i;
	(void)state;

	for (i = 0; i < 18; i++)
		enable(i, i == 17 ? 0x20 : 0xa0);
	assert_true(vt_redist(&v, 0, GICR_SGI + GICD_ISPENDR, 4, true, &pend) >= 0);
	assert_true(vgic_lr_fill(&v, 0, lrs, VGIC_MAX_LRS) & VGIC_FILL_OVERFLOW);
	for (i = 0; i < VGIC_MAX_LRS; i++)
		if (lrs[i].state != VGIC_LR_INVALID)
			listed |= 1ULL << lrs[i].intid;
	assert_int_equal(listed, 1ULL << 17 | 0x7fff);
	assert_int_equal(lrs[0].intid, 17);
	lrs[VGIC_MAX_LRS - 1].state = VGIC_LR_ACTIVE; /* the guest takes the last one */
	vgic_lr_sync(&v, 0, lrs, VGIC_MAX_LRS);
	assert_true(vgic_irq(&v, 0, lrs[VGIC_MAX_LRS - 1].intid)->active);
}

/* SGI 15, the last, is an edge as every SGI: no EOI maintenance interrupt for its end. */
static void test_sgi_15_is_an_edge(void **state)
{
	(void)state;
	enable(15, 0xa0);
	pend_sgis(1u << 15);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].intid, 15);
	assert_false(lrs[0].eoi_maintenance);
}

/* Fifteen list registers (a CPU may have any number up to 16): the slot past them is not used. */
static void test_fifteen_lrs_leave_the_sixteenth_alone(void **state)
{
	uint64_t pend = 0xffff;
	unsigned int i;
	(void)state;

	for (i = 0; i < 16; i++)
		enable(i, 0xa0);
	assert_true(vt_redist(&v, 0, GICR_SGI + GICD_ISPENDR, 4, true, &pend) >= 0);
	lrs[15] = (struct vgic_lr){ .intid = 1023, .state = VGIC_LR_ACTIVE };
	assert_true(vgic_lr_fill(&v, 0, lrs, 15) & VGIC_FILL_OVERFLOW);
	assert_int_equal(lrs[15].intid, 1023);
	assert_int_equal(lrs[15].state, VGIC_LR_ACTIVE);
	assert_int_equal(lrs[14].state, VGIC_LR_PENDING);
}

/*
 * Four level PPIs pending by their lines fill the list registers; PPI 20 at
 * a higher priority displaces the lowest (PPI 19) back to the model, as a
 * level interrupt still: once its device lowers the line it is pending no
 * more (no latch was made for it).
 */
static void test_a_level_interrupt_displaced_follows_its_line(void **state)
{
	unsigned int i;
	(void)state;

	for (i = 16; i <= 20; i++)
		enable(i, i == 20 ? 0x10 : 0xa0);
	for (i = 16; i <= 19; i++)
		vgic_set_level(&v, 0, i, true);
	assert_false(vgic_lr_fill(&v, 0, lrs, NR_LRS) & VGIC_FILL_OVERFLOW);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_set_level(&v, 0, 20, true);
	assert_true(vgic_lr_fill(&v, 0, lrs, NR_LRS) & VGIC_FILL_OVERFLOW);
	assert_true(lr_of(20) >= 0);
	assert_int_equal(lr_of(19), -1);
	vgic_set_level(&v, 0, 19, false);
	assert_false(vgic_irq_pending(&v, vgic_irq(&v, 0, 19)));
}

/*
 * A vCPU the cell does not have (the cell's count, or far past its array) or
 * no list registers: each entry point does nothing and says so.
 */
static void test_a_vcpu_past_the_cells_is_refused_everywhere(void **state)
{
	static const unsigned int bad[] = { 4, 1u << 20 };
	(void)state;

	enable(1, 0xa0);
	pend_sgis(0x2);
	lrs[0].state = VGIC_LR_ACTIVE;
	for (unsigned int i = 0; i < 2; i++) {
		assert_int_equal(vgic_lr_fill(&v, bad[i], lrs, NR_LRS), 0);
		assert_false(vgic_lr_sync(&v, bad[i], lrs, NR_LRS));
		assert_false(vgic_lr_keep(&v, bad[i]));
		assert_int_equal(vgic_lr_take_kicks(&v, bad[i]), 0);
		assert_false(vgic_has_pending(&v, bad[i]));
	}
	assert_int_equal(vgic_lr_fill(&v, 0, NULL, NR_LRS), 0);
	assert_false(vgic_lr_sync(&v, 0, NULL, NR_LRS));
	assert_int_equal(lrs[0].state, VGIC_LR_ACTIVE);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].intid, 1);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING);
}

/*
 * What a WFI wakes for: an enabled PPI wakes its vCPU once pending (the
 * timer's), not before; not another vCPU.
 */
static void test_a_pending_ppi_wakes_its_vcpu_alone(void **state)
{
	(void)state;
	enable(27, 0xa0);
	assert_false(vgic_has_pending(&v, 0));
	assert_int_equal(vgic_set_level(&v, 0, 27, true), 0);
	assert_true(vgic_has_pending(&v, 0));
	assert_false(vgic_has_pending(&v, 1));
}

/*
 * Either side of the private range: PPI 31 pending in vCPU 1's frame is
 * listed on vCPU 1; SPI 32, the first SPI, routed to vCPU 1, is listed
 * there and not on vCPU 0.
 */
static void test_ppi_31_and_spi_32_are_listed_where_they_belong(void **state)
{
	static const uint32_t spi32[] = { 32 };
	struct vgic_lr lrs1[VGIC_MAX_LRS] = { 0 };
	uint64_t val = BIT_OF(31), route = 1;
	(void)state;

	memset(&v, 0, sizeof(v));
	assert_int_equal(vgic_init(&v, 3, 2, spi32, 1, "linux"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp1);
	assert_true(vt_redist(&v, 0, GICR_FRAME + GICR_SGI + GICD_ISENABLER, 4, true, &val) >= 0);
	assert_true(vt_redist(&v, 0, GICR_FRAME + GICR_SGI + GICD_ISPENDR, 4, true, &val) >= 0);
	enable(32, 0x80);
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 32, 8, true, &route) >= 0);
	assert_int_equal(vgic_set_edge(&v, 0, 32), 1);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(32), -1);
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	assert_true(lr_of_in(lrs1, 31) >= 0);
	assert_true(lr_of_in(lrs1, 32) >= 0);
}

/* Deliver everything pending on vCPU 0, one guest "run" per fill; returns the count. */
static int drain(uint32_t *order, int max)
{
	int n = 0;

	for (int round = 0; round < 1000; round++) {
		bool more = vgic_lr_fill(&v, 0, lrs, NR_LRS), any = false;

		for (int i = 0; i < NR_LRS; i++) {
			if (lrs[i].state != VGIC_LR_PENDING)
				continue;
			if (n < max)
				order[n] = lrs[i].intid;
			n++;
			guest_ack((unsigned int)i);
			guest_done((unsigned int)i);
			any = true;
		}
		vgic_lr_sync(&v, 0, lrs, NR_LRS);
		if (!any && !more)
			break;
	}
	return n;
}

static void test_hundred_edges_pass_through_four_lrs(void **state)
{
	static const uint32_t many[25] = { 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44,
					   45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56 };
	uint32_t order[100];
	int seen[64] = { 0 }, total = 0;
	(void)state;

	assert_int_equal(vgic_init(&v, 3, 1, many, 25, "many"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp1);
	for (int i = 0; i < 25; i++) {
		enable(many[i], (uint8_t)(0xf8 - 8 * (i % 8)));
		make_edge(many[i]);
	}
	for (int r = 0; r < 4; r++) {
		for (int i = 0; i < 25; i++)
			vgic_set_edge(&v, 0, many[i]);
		int n = drain(order, 100);

		assert_int_equal(n, 25);
		for (int i = 0; i < n; i++)
			seen[order[i]]++;
		total += n;
	}
	assert_int_equal(total, 100);
	for (int i = 0; i < 25; i++)
		assert_int_equal(seen[many[i]], 4);
}

static void test_priority_then_lower_intid_wins(void **state)
{
	uint32_t order[4];
	(void)state;

	enable(48, 0x80);
	enable(33, 0x80);
	enable(79, 0x40);
	enable(27, 0x80);
	vgic_set_level(&v, 0, 48, true);
	vgic_set_level(&v, 0, 33, true);
	vgic_set_level(&v, 0, 79, true);
	vgic_set_level(&v, 0, 27, true);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(vgic_lr_fill(&v, 0, lrs, 1), i < 3);
		order[i] = lrs[0].intid;
		vgic_set_level(&v, 0, lrs[0].intid, false);
		guest_ack(0);
		guest_done(0);
		vgic_lr_sync(&v, 0, lrs, 1);
	}
	assert_int_equal(order[0], 79);
	assert_int_equal(order[1], 27);
	assert_int_equal(order[2], 33);
	assert_int_equal(order[3], 48);
}

static void test_disabled_while_active_is_not_lost(void **state)
{
	struct vgic_irq *irq = vgic_irq(&v, 0, 48);
	(void)state;

	enable(48, 0xa0);
	vgic_set_level(&v, 0, 48, true);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	DWR(&v, BIT_REG(GICD_ICENABLER, 48), BIT_OF(48));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].intid, 48);
	assert_int_equal(lrs[0].state, VGIC_LR_ACTIVE);
	assert_true(vt_drd(&v, 0, BIT_REG(GICD_ISACTIVER, 48)) & BIT_OF(48));
	guest_done(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(irq->active);
}

static void test_disabled_while_pending_leaves_lr_stays_pending(void **state)
{
	(void)state;
	enable(48, 0xa0);
	make_edge(48);
	vgic_set_edge(&v, 0, 48);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	vgic_lr_sync(&v, 0, lrs, NR_LRS); /* not taken yet */
	DWR(&v, BIT_REG(GICD_ICENABLER, 48), BIT_OF(48));
	assert_false(vgic_lr_fill(&v, 0, lrs, NR_LRS));
	assert_int_equal(lr_of(48), -1);
	assert_true(vt_drd(&v, 0, BIT_REG(GICD_ISPENDR, 48)) & BIT_OF(48));
	DWR(&v, BIT_REG(GICD_ISENABLER, 48), BIT_OF(48));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[lr_of(48)].state, VGIC_LR_PENDING);
}

static void test_group_disabled_in_ctlr_is_not_delivered(void **state)
{
	(void)state;
	enable(48, 0x80);
	DWR(&v, GICD_CTLR, 0);
	assert_int_equal(vgic_set_level(&v, 0, 48, true), -1);
	assert_false(vgic_lr_fill(&v, 0, lrs, NR_LRS));
	assert_int_equal(lrs[0].state, VGIC_LR_INVALID);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp1);
	assert_true(vgic_has_pending(&v, 0));
}

/*
 * A fill that listed everything, taken and finished by the guest with
 * nothing new: the vCPU is quiet (its next fill may be skipped). Not when
 * the interrupt is pending again, or something changed since the fill.
 */
static void test_finished_lrs_leave_the_vcpu_quiet(void **state)
{
	(void)state;

	enable(48, 0xa0);
	make_edge(48);
	vgic_set_edge(&v, 0, 48);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_false(vgic_lr_quiet(&v, 0));
	guest_done(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_true(vgic_lr_quiet(&v, 0));

	vgic_set_edge(&v, 0, 48);
	assert_false(vgic_lr_quiet(&v, 0)); /* a change: look again */
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	vgic_set_edge(&v, 0, 48); /* arrives while listed */
	guest_done(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(vgic_lr_quiet(&v, 0));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(48), 0); /* delivered again, not lost */
}

/*
 * A trap from inside the guest's handler (the interrupt it took still active
 * in its LR, nothing new): the LRs stay as they are, out again, once per
 * sync. Not while an LR is still pending, after a change, or after a fill
 * that overflowed.
 */
static void test_a_trap_inside_the_handler_keeps_the_lrs(void **state)
{
	(void)state;

	enable(48, 0xa0);
	make_edge(48);
	vgic_set_edge(&v, 0, 48);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	vgic_lr_sync(&v, 0, lrs, NR_LRS); /* not taken yet: its latch is back in the model */
	assert_false(vgic_lr_keep(&v, 0));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(v.vcpus[0].lrs_out);
	assert_true(vgic_lr_keep(&v, 0));
	assert_true(v.vcpus[0].lrs_out);   /* the guest's again: another vCPU's access waits */
	assert_false(vgic_lr_keep(&v, 0)); /* one per sync */
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_true(vgic_lr_keep(&v, 0));

	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_set_edge(&v, 0, 48); /* again, while active: the LR must say so */
	assert_false(vgic_lr_keep(&v, 0));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING_ACTIVE);
}

static void test_lrs_are_not_kept_after_an_overflow(void **state)
{
	uint32_t intid;
	(void)state;

	for (intid = 16; intid < 16 + NR_LRS + 1; intid++) {
		vgic_irq_set_enabled(&v, vgic_irq(&v, 0, intid), true);
		vgic_set_edge(&v, 0, intid);
	}
	assert_true(vgic_lr_fill(&v, 0, lrs, NR_LRS) & VGIC_FILL_OVERFLOW);
	for (int i = 0; i < NR_LRS; i++)
		guest_ack((unsigned int)i);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(vgic_lr_keep(&v, 0)); /* one still waits for a list register */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_a_higher_priority_interrupt_displaces_a_listed_pending_one),
		T(test_active_listed_interrupts_keep_their_list_registers),
		T(test_edge_goes_pending_active_inactive),
		T(test_edge_arriving_while_in_lr_is_not_lost),
		T(test_level_follows_line_and_asks_for_eoi),
		T(test_level_still_high_at_eoi_is_delivered_again),
		T(test_own_level_changes_the_model_as_set_level_does),
		T(test_level_dropped_before_taken_leaves_lr),
		T(test_overflow_keeps_highest_priorities_in_lrs),
		T(test_sixteen_lrs_take_the_best_sixteen),
		T(test_fifteen_lrs_leave_the_sixteenth_alone),
		T(test_sgi_15_is_an_edge),
		T(test_a_level_interrupt_displaced_follows_its_line),
		T(test_a_vcpu_past_the_cells_is_refused_everywhere),
		T(test_a_pending_ppi_wakes_its_vcpu_alone),
		T(test_ppi_31_and_spi_32_are_listed_where_they_belong),
		T(test_hundred_edges_pass_through_four_lrs),
		T(test_priority_then_lower_intid_wins),
		T(test_disabled_while_active_is_not_lost),
		T(test_disabled_while_pending_leaves_lr_stays_pending),
		T(test_group_disabled_in_ctlr_is_not_delivered),
		T(test_finished_lrs_leave_the_vcpu_quiet),
		T(test_a_trap_inside_the_handler_keeps_the_lrs),
		T(test_lrs_are_not_kept_after_an_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
