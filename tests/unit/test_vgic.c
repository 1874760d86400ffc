// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the vGIC model (gic/vgic*.c): interrupt life cycle, list
 * registers, priorities, SGIs and isolation from interrupts the cell does
 * not own. The "hardware" here is a list-register array the test plays the
 * guest's CPU interface on: acknowledge = PENDING -> ACTIVE, EOI and
 * deactivate = ACTIVE -> INVALID.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "fake_log.h"
#include "../../gic/vgic_model.h" /* the model's predicates */
#include "vgic_test.h"

#define NR_LRS 4

/* Never reached: every lock in these single-threaded tests is free. */
void arch_cpu_relax(void)
{
}

static struct vgic_cell v;
static struct vgic_lr lrs[VGIC_MAX_LRS];
static const uint32_t cell_spis[] = { 79, 33, 48 }; /* unsorted on purpose */

static int setup_v3(void **state)
{
	(void)state;
	fake_log_reset();
	memset(lrs, 0, sizeof(lrs));
	memset(&v, 0, sizeof(v)); /* a cell at boot: vgic_init() keeps v.foreign */
	assert_int_equal(vgic_init(&v, 3, 4, cell_spis, 3, "linux"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp1);
	return 0;
}

/* Enable SPI/PPI @intid (owned) through the guest's registers. */
static void enable(uint32_t intid, uint8_t prio)
{
	uint64_t p = prio;

	if (intid < 32) {
		uint64_t b = BIT_OF(intid);

		assert_true(vt_redist(&v, 0, GICR_SGI + GICD_ISENABLER, 4, true, &b) >= 0);
		assert_true(vt_redist(&v, 0, GICR_SGI + GICD_IPRIORITYR + intid, 1, true, &p) >= 0);
		return;
	}
	DWR(&v, BIT_REG(GICD_ISENABLER, intid), BIT_OF(intid));
	assert_true(vt_dist(&v, 0, GICD_IPRIORITYR + intid, 1, true, &p) >= 0);
}

static void make_edge(uint32_t intid)
{
	uint32_t cfg = vt_drd(&v, 0, GICD_ICFGR + (intid / 16) * 4);

	DWR(&v, GICD_ICFGR + (intid / 16) * 4, cfg | 2u << ((intid % 16) * 2));
}

/* The guest acknowledges (PENDING -> ACTIVE) or deactivates (ACTIVE -> INVALID) LR @i. */
static void guest_ack(unsigned int i)
{
	assert_int_equal(lrs[i].state, VGIC_LR_PENDING);
	lrs[i].state = VGIC_LR_ACTIVE;
}

static void guest_done(unsigned int i)
{
	lrs[i].state = VGIC_LR_INVALID;
}

static int lr_of(uint32_t intid)
{
	for (int i = 0; i < NR_LRS; i++) {
		if (lrs[i].state != VGIC_LR_INVALID && lrs[i].intid == intid)
			return i;
	}
	return -1;
}

/* The list register of @l holding @intid, or -1. */
static int lr_of_in(const struct vgic_lr *l, uint32_t intid)
{
	for (int i = 0; i < NR_LRS; i++) {
		if (l[i].state != VGIC_LR_INVALID && l[i].intid == intid)
			return i;
	}
	return -1;
}

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
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lrs[0].intid, 33);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING);
}

/* A passed-through SPI: hardware-linked to the same physical INTID (vgic_hw_cell_init()). */
static void make_hw(uint32_t intid)
{
	struct vgic_irq *irq = vgic_irq(&v, 0, intid);

	irq->hw = true;
	irq->hw_intid = intid;
}

/*
 * SPI 48 fires, is listed and taken on vCPU 0; the guest has not deactivated
 * it when it fires again (someone else deactivated it physically): the
 * model says so, and where it is listed. Once the guest deactivated it
 * (the sync saw its LR empty), firing again is the normal case.
 */
static void test_hw_spi_firing_again_while_listed_is_told_apart(void **state)
{
	(void)state;
	enable(48, 0xa0);
	make_hw(48);
	assert_int_equal(vgic_spi_fired(&v, 48), 0); /* deliverable: kick vCPU 0 */
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);

	assert_int_equal(vgic_spi_fired(&v, 48), VGIC_LINE_AGAIN);
	/* On vCPU 0's own CPU: its exit synced first, its guest did not deactivate it. */
	assert_int_equal(vgic_spi_fired_again(&v, 48, 0), VGIC_LINE_AGAIN);
	assert_int_equal(vgic_lr_of(&v, 0, 48), lr_of(48));
	assert_int_equal(vgic_lr_of(&v, 1, 48), -1); /* not vCPU 1's */

	guest_done(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_int_equal(vgic_lr_of(&v, 0, 48), -1);
	assert_false(vgic_irq(&v, 0, 48)->line_level);
	assert_int_equal(vgic_spi_fired(&v, 48), 0);
}

/*
 * SPI 48 (edge or level), active in vCPU 0's LR, is routed to vCPU 1 (the
 * physical route follows at once): vCPU 0's guest deactivates it through
 * its LR, no exit, and the device asserts it again: it fires on vCPU 1's
 * CPU while the model's line is still high. Returns with vCPU 0 running.
 */
static void fire_again_after_a_reroute(bool edge, struct vgic_lr *lrs1)
{
	uint64_t route = 1;

	enable(48, 0xa0);
	make_hw(48);
	if (edge)
		make_edge(48);
	assert_int_equal(vgic_spi_fired(&v, 48), 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, true, &route) >= 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS); /* stays in vCPU 0's LR, active */
	assert_int_equal(lrs[lr_of(48)].state, VGIC_LR_ACTIVE);
	vgic_lr_fill(&v, 1, lrs1, NR_LRS); /* vCPU 1, kicked by the write: nothing yet */
	assert_int_equal(lrs1[0].state, VGIC_LR_INVALID);
	guest_done(lr_of(48)); /* and the physical interrupt with it */
	assert_int_equal(vgic_spi_fired(&v, 48), VGIC_LINE_AGAIN);
}

/*
 * ... then vCPU 0 is kicked, and its sync keeps the line high and hands the
 * SPI to vCPU 1, whose LR (HW) deactivates the physical interrupt; after
 * that the line is low and the next firing a new one. Before, that sync
 * lowered the line: the physical SPI stayed active with the model idle,
 * and the device never interrupted the cell again.
 */
static void reroute_then_fire_again(bool edge)
{
	struct vgic_lr lrs1[VGIC_MAX_LRS] = { 0 };
	struct vgic_irq *irq = vgic_irq(&v, 0, 48);

	fire_again_after_a_reroute(edge, lrs1);
	assert_int_equal(vgic_spi_fired_again(&v, 48, 1), 0); /* kick vCPU 0 */
	assert_true(vgic_lr_sync(&v, 0, lrs, NR_LRS));
	assert_int_equal(vgic_lr_take_kicks(&v, 0), 1u << 1);
	assert_true(irq->line_level);

	vgic_lr_sync(&v, 1, lrs1, NR_LRS);
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	assert_int_equal(lrs1[0].intid, 48);
	assert_int_equal(lrs1[0].state, VGIC_LR_PENDING);
	assert_true(lrs1[0].hw);
	lrs1[0].state = VGIC_LR_INVALID; /* vCPU 1's guest takes and deactivates it */
	vgic_lr_sync(&v, 1, lrs1, NR_LRS);
	assert_false(irq->line_level);
	assert_false(vgic_irq_pending(&v, irq));
	assert_int_equal(vgic_spi_fired(&v, 48), 1);
}

static void test_hw_level_spi_firing_again_after_a_reroute_goes_to_its_new_vcpu(void **state)
{
	(void)state;
	reroute_then_fire_again(false);
}

static void test_hw_edge_spi_firing_again_after_a_reroute_goes_to_its_new_vcpu(void **state)
{
	(void)state;
	reroute_then_fire_again(true);
}

/* ... and vCPU 0 syncs before the firing CPU looks again: a new firing, for vCPU 1. */
static void test_hw_spi_firing_again_after_its_holder_synced_is_a_new_one(void **state)
{
	struct vgic_lr lrs1[VGIC_MAX_LRS] = { 0 };
	(void)state;

	fire_again_after_a_reroute(false, lrs1);
	assert_false(vgic_lr_sync(&v, 0, lrs, NR_LRS));
	assert_false(vgic_irq(&v, 0, 48)->line_level);
	assert_int_equal(vgic_spi_fired_again(&v, 48, 1), 1);
	vgic_lr_sync(&v, 1, lrs1, NR_LRS);
	vgic_lr_fill(&v, 1, lrs1, NR_LRS);
	assert_int_equal(lrs1[0].state, VGIC_LR_PENDING);
}

/* Without the hw link (a line the hypervisor drives), a line high stays high, quietly. */
static void test_virtual_spi_raised_again_is_not_told_apart(void **state)
{
	(void)state;
	enable(48, 0xa0);
	assert_int_equal(vgic_spi_fired(&v, 48), 0);
	assert_int_equal(vgic_spi_fired(&v, 48), -1);
}

/* What the hardware side deactivates after a guest's distributor write. */
static uint64_t take_dropped(void)
{
	uint64_t dropped;

	spin_lock(&v.lock);
	dropped = vgic_take_dropped(&v);
	spin_unlock(&v.lock);
	return dropped;
}

/* Owned SPI @intid's bit in vgic_take_dropped()'s mask. */
static uint64_t spi_bit(uint32_t intid)
{
	return 1ULL << (vgic_irq(&v, 0, intid) - v.spis);
}

/*
 * A forwarded edge SPI fires while disabled (its physical interrupt stays
 * active for a list register to deactivate), and the guest clears it
 * (GICD_ICPENDR) before ever taking it: no list register will. It is handed
 * back to be deactivated, its line low: its next firing is a new one.
 */
static void test_hw_spi_cleared_before_taken_is_handed_back(void **state)
{
	(void)state;
	make_hw(48);
	make_edge(48);
	assert_int_equal(vgic_spi_fired(&v, 48), -1); /* disabled: nobody to kick */
	assert_int_equal(take_dropped(), 0);
	DWR(&v, BIT_REG(GICD_ICPENDR, 48), BIT_OF(48));
	assert_int_equal(take_dropped(), spi_bit(48));
	assert_int_equal(take_dropped(), 0); /* once */
	enable(48, 0x80);
	assert_int_equal(vgic_spi_fired(&v, 48), 0);
}

/* Level and pending by its line, made edge (GICD_ICFGR): pending no more, handed back. */
static void test_hw_spi_made_edge_while_its_line_is_high_is_handed_back(void **state)
{
	(void)state;
	make_hw(48);
	assert_int_equal(vgic_spi_fired(&v, 48), -1);
	assert_true(vt_drd(&v, 0, BIT_REG(GICD_ISPENDR, 48)) & BIT_OF(48));
	make_edge(48);
	assert_int_equal(take_dropped(), spi_bit(48));
	assert_false(vgic_irq(&v, 0, 48)->line_level);
}

/*
 * In the writer's own list register, pending (GICD_ICPENDR) or active
 * (GICD_ICACTIVER): its vCPU is in this trap, the LR is let go at once and
 * the interrupt handed back; the next fill lists nothing.
 */
static void test_hw_spi_dropped_from_the_writers_own_lr_is_handed_back(void **state)
{
	(void)state;
	enable(48, 0x80);
	make_hw(48);
	make_edge(48);
	assert_int_equal(vgic_spi_fired(&v, 48), 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(48), 0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS); /* not taken: pending in LR 0 */
	DWR(&v, BIT_REG(GICD_ICPENDR, 48), BIT_OF(48));
	assert_int_equal(take_dropped(), spi_bit(48));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(48), -1);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);

	assert_int_equal(vgic_spi_fired(&v, 48), 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	DWR(&v, BIT_REG(GICD_ICACTIVER, 48), BIT_OF(48));
	assert_int_equal(take_dropped(), spi_bit(48));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(48), -1);
}

/*
 * SPI 48 (@edge: edge-triggered) is active in vCPU 0's guest as an instance
 * the guest pended itself (HW = 0), synced, when its device fires: the
 * physical interrupt stays active, its line high, for a linked list register
 * to end once the guest is done with its own instance.
 */
static struct vgic_irq *hw_spi_fired_while_a_software_instance_is_active(bool edge)
{
	struct vgic_irq *irq = vgic_irq(&v, 0, 48);

	enable(48, 0xa0);
	make_hw(48);
	if (edge)
		make_edge(48);
	DWR(&v, BIT_REG(GICD_ISPENDR, 48), BIT_OF(48));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_int_equal(vgic_spi_fired(&v, 48), -1); /* active: no kick */
	assert_true(irq->active && irq->line_level && !irq->lr_hw);
	return irq;
}

/*
 * The guest's instance ends (its EOI maintenance interrupt): the physical
 * interrupt was handed back, deactivated, so a device still asserting it
 * fires anew and is listed, linked, for the guest to end.
 */
static void hw_spi_handed_back_fires_anew_after_the_guests_instance(struct vgic_irq *irq)
{
	assert_int_equal(take_dropped(), spi_bit(48));
	assert_false(irq->line_level);
	assert_true(irq->active); /* still the guest's own instance */
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_done(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_int_equal(vgic_spi_fired(&v, 48), 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_true(lr_of(48) >= 0);
	assert_int_equal(lrs[lr_of(48)].state, VGIC_LR_PENDING);
	assert_true(lrs[lr_of(48)].hw);
}

/*
 * Made edge (GICD_ICFGR) then: the level firing is pending no more, and the
 * guest's deactivation of its own instance leaves the physical one alone.
 * Handed back at the write, as an inactive one is. Before, it was not (only
 * an inactive SPI was looked at): after that deactivation the SPI was
 * neither pending, active nor listed, its physical interrupt active for
 * good, and the device never interrupted the cell again (found by
 * tests/fuzz/fuzz_vgic.c, seeds hw-spi-made-edge-while-*).
 */
static void
test_hw_spi_made_edge_while_the_guest_handles_its_own_instance_is_handed_back(void **state)
{
	struct vgic_irq *irq = hw_spi_fired_while_a_software_instance_is_active(false);
	(void)state;

	make_edge(48);
	hw_spi_handed_back_fires_anew_after_the_guests_instance(irq);
}

/* The same with an edge SPI whose firing the guest clears (GICD_ICPENDR). */
static void
test_hw_spi_cleared_while_the_guest_handles_its_own_instance_is_handed_back(void **state)
{
	struct vgic_irq *irq = hw_spi_fired_while_a_software_instance_is_active(true);
	(void)state;

	assert_true(vgic_irq_pending(&v, irq)); /* the firing's latch */
	DWR(&v, BIT_REG(GICD_ICPENDR, 48), BIT_OF(48));
	hw_spi_handed_back_fires_anew_after_the_guests_instance(irq);
}

/*
 * Active as the firing itself (listed HW = 1) and made edge: the guest's
 * deactivation ends the physical interrupt, so nothing is handed back.
 */
static void test_hw_spi_active_as_its_firing_and_made_edge_is_kept(void **state)
{
	struct vgic_irq *irq = vgic_irq(&v, 0, 48);
	(void)state;

	enable(48, 0xa0);
	make_hw(48);
	assert_int_equal(vgic_spi_fired(&v, 48), 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	make_edge(48);
	assert_int_equal(take_dropped(), 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_true(lrs[lr_of(48)].hw);
	guest_done(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(irq->line_level);
}

/*
 * Active in another vCPU's LR while it runs: the write waits for that vCPU's
 * sync (-EBUSY until then), and is not undone by it: handed back, and the
 * LR let go. Not handed back while pending again by its level line.
 */
static void test_hw_spi_active_in_a_running_vcpus_lr_is_handed_back_after_its_sync(void **state)
{
	uint64_t bit = BIT_OF(48);
	(void)state;

	enable(48, 0x80);
	make_hw(48);
	make_edge(48);
	assert_int_equal(vgic_spi_fired(&v, 48), 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(vt_dist(&v, 1, BIT_REG(GICD_ICACTIVER, 48), 4, true, &bit), -EBUSY);
	assert_int_equal(take_dropped(), 0);
	assert_true(vgic_irq(&v, 0, 48)->active);
	vgic_lr_sync(&v, 0, lrs, NR_LRS); /* kicked out: still active in its LR */
	assert_true(vt_dist(&v, 1, BIT_REG(GICD_ICACTIVER, 48), 4, true, &bit) >= 0);
	assert_false(vgic_irq(&v, 0, 48)->active);
	assert_int_equal(take_dropped(), spi_bit(48));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(48), -1);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);

	DWR(&v, GICD_ICFGR + (48 / 16) * 4, 0); /* level */
	assert_int_equal(vgic_spi_fired(&v, 48), 0);
	DWR(&v, BIT_REG(GICD_ICPENDR, 48), BIT_OF(48));
	assert_int_equal(take_dropped(), 0);
}

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
}

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
	assert_int_equal(vgic_sgi1r(&v, 5, sgi3 | 0x3), 0); /* no such sender */
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

/* The guest deactivates a hardware-linked timer: the model's line drops with the LR. */
static void test_hw_interrupt_deactivated_lowers_its_line(void **state)
{
	struct vgic_irq *timer = vgic_irq(&v, 0, 27);
	(void)state;

	timer->hw = true;
	timer->hw_intid = 27;
	enable(27, 0x80);
	vgic_set_level(&v, 0, 27, true);
	assert_false(vgic_lr_fill(&v, 0, lrs, NR_LRS));
	assert_int_equal(lr_of(27), 0);
	assert_true(lrs[0].hw);
	guest_ack(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_true(timer->line_level); /* active: the physical GIC holds it */
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_done(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(timer->line_level);
	assert_false(timer->active);
	assert_int_equal(timer->lr, -1);
}

/*
 * The guest makes hardware-linked @intid pending itself (GICD_ISPENDR, or
 * GICR_ISPENDR0 for a PPI) while its physical interrupt is not active: the
 * list register is not linked (HW = 0, with an EOI maintenance interrupt),
 * and the guest's deactivation leaves the physical side alone. Before, it
 * went in with HW = 1: the guest's deactivation deactivated a physical
 * interrupt that was not active.
 */
static void software_pend_of_a_hw_interrupt_is_unlinked(uint32_t intid)
{
	struct vgic_irq *irq = vgic_irq(&v, 0, intid);
	uint64_t bit = BIT_OF(intid);
	int i;

	enable(intid, 0xa0);
	make_hw(intid);
	if (intid < 32)
		assert_true(vt_redist(&v, 0, GICR_SGI + GICD_ISPENDR, 4, true, &bit) >= 0);
	else
		DWR(&v, BIT_REG(GICD_ISPENDR, intid), bit);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	i = lr_of(intid);
	assert_true(i >= 0);
	assert_int_equal(lrs[i].state, VGIC_LR_PENDING);
	assert_false(lrs[i].hw);
	assert_true(lrs[i].eoi_maintenance);
	guest_ack(i);
	guest_done(i);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(irq->line_level);
	assert_false(vgic_irq_pending(&v, irq));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(intid), -1);
}

static void test_a_software_pended_passed_through_spi_is_not_linked(void **state)
{
	(void)state;
	software_pend_of_a_hw_interrupt_is_unlinked(48);
}

static void test_a_software_pended_timer_is_not_linked(void **state)
{
	(void)state;
	software_pend_of_a_hw_interrupt_is_unlinked(27);
}

/*
 * The device asserts SPI 48 while the guest handles an instance it pended
 * itself: the physical interrupt, now active, is not that instance's to
 * end. The guest finishes it (an exit, by its EOI maintenance interrupt),
 * and the firing is listed next, linked, and ended by the guest. Before,
 * the software instance was linked: the guest's deactivation ended the
 * physical firing with it, which the guest never saw (an edge lost).
 */
static void test_a_firing_while_a_software_pended_instance_is_handled_comes_after_it(void **state)
{
	struct vgic_irq *irq = vgic_irq(&v, 0, 48);
	struct vgic_lr handled;
	(void)state;

	enable(48, 0xa0);
	make_hw(48);
	DWR(&v, BIT_REG(GICD_ISPENDR, 48), BIT_OF(48));
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_spi_fired(&v, 48); /* physically active from here */
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	handled = lrs[lr_of(48)];
	guest_done(lr_of(48));
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_true(irq->line_level); /* the guest did not end the physical one */
	assert_int_equal(handled.state, VGIC_LR_ACTIVE);
	assert_false(handled.hw);
	assert_true(handled.eoi_maintenance); /* its end is an exit */

	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(48), 0);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING);
	assert_true(lrs[0].hw);
	assert_int_equal(lrs[0].hw_intid, 48);
	guest_ack(0);
	guest_done(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	assert_false(irq->line_level);
}

/*
 * vCPU 0 turns itself off (PSCI CPU_OFF) inside its timer's handler: the
 * timer stays listed, active (vgic_lr_vcpu_off()). CPU_ON starts it afresh:
 * its new guest cannot deactivate what it never took, so the reset ends it
 * and hands the physical INTID back for deactivation; the next firing is
 * delivered. Before, the fill wrote it back active into the fresh interface,
 * and the vCPU never had its timer again.
 */
static void test_a_timer_active_when_its_vcpu_turns_off_comes_again_after_cpu_on(void **state)
{
	struct vgic_irq *timer = vgic_irq(&v, 0, 27);
	uint32_t hw[VGIC_MAX_LRS], kicks;
	(void)state;

	timer->hw = true;
	timer->hw_intid = 27;
	enable(27, 0x80);
	vgic_set_level(&v, 0, 27, true);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_lr_vcpu_off(&v, 0);
	assert_int_equal(vgic_lr_of(&v, 0, 27), 0);

	memset(lrs, 0, sizeof(lrs)); /* CPU_ON: a fresh CPU interface */
	assert_int_equal(vgic_lr_vcpu_reset(&v, 0, hw, &kicks), 1);
	assert_int_equal(hw[0], 27);
	assert_int_equal(kicks, 0);
	assert_false(timer->active);
	assert_int_equal(vgic_lr_of(&v, 0, 27), -1);
	vgic_set_level(&v, 0, 27, false); /* the timer was reset */
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(27), -1);
	vgic_set_level(&v, 0, 27, true); /* it fires again */
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(27), 0);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING);
}

/*
 * The same for a passed-through SPI, whose line nobody resets: the reset
 * deactivates it at the physical GIC, which signals it anew if the device
 * still asserts it, so the model's line is low until then. Before, it
 * stayed high: the fill listed it once more, and the new firing looked
 * like a deactivation behind the guest (VGIC_LINE_AGAIN), a firing lost.
 */
static void test_a_hw_spi_active_at_cpu_on_fires_anew(void **state)
{
	struct vgic_irq *spi = vgic_irq(&v, 0, 48);
	uint32_t hw[VGIC_MAX_LRS], kicks;
	(void)state;

	enable(48, 0xa0);
	make_hw(48);
	assert_int_equal(vgic_spi_fired(&v, 48), 0);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	guest_ack(0);
	vgic_lr_sync(&v, 0, lrs, NR_LRS);
	vgic_lr_vcpu_off(&v, 0);

	memset(lrs, 0, sizeof(lrs)); /* CPU_ON */
	assert_int_equal(vgic_lr_vcpu_reset(&v, 0, hw, &kicks), 1);
	assert_int_equal(hw[0], 48);
	assert_false(spi->line_level);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(48), -1);
	assert_int_equal(vgic_spi_fired(&v, 48), 0); /* still asserted: a new firing */
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(48), 0);
	assert_int_equal(lrs[0].state, VGIC_LR_PENDING);
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

#define T(f) cmocka_unit_test_setup(f, setup_v3)

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
		T(test_hundred_edges_pass_through_four_lrs),
		T(test_priority_then_lower_intid_wins),
		T(test_disabled_while_active_is_not_lost),
		T(test_disabled_while_pending_leaves_lr_stays_pending),
		T(test_hw_spi_firing_again_while_listed_is_told_apart),
		T(test_hw_level_spi_firing_again_after_a_reroute_goes_to_its_new_vcpu),
		T(test_hw_edge_spi_firing_again_after_a_reroute_goes_to_its_new_vcpu),
		T(test_hw_spi_firing_again_after_its_holder_synced_is_a_new_one),
		T(test_virtual_spi_raised_again_is_not_told_apart),
		T(test_hw_spi_cleared_before_taken_is_handed_back),
		T(test_hw_spi_made_edge_while_its_line_is_high_is_handed_back),
		T(test_hw_spi_dropped_from_the_writers_own_lr_is_handed_back),
		T(test_hw_spi_made_edge_while_the_guest_handles_its_own_instance_is_handed_back),
		T(test_hw_spi_cleared_while_the_guest_handles_its_own_instance_is_handed_back),
		T(test_hw_spi_active_as_its_firing_and_made_edge_is_kept),
		T(test_hw_spi_active_in_a_running_vcpus_lr_is_handed_back_after_its_sync),
		T(test_a_write_to_other_fields_does_not_drop_an_spi_pending_in_a_running_vcpu),
		T(test_making_an_spi_listed_in_a_running_vcpu_edge_waits_for_its_sync),
		T(test_an_spi_pending_in_a_vcpu_that_turns_off_goes_where_it_is_routed),
		T(test_an_spi_made_inactive_in_an_off_vcpus_lr_reaches_its_new_target),
		T(test_another_vcpus_listed_sgi_is_read_and_cleared_after_its_sync),
		T(test_an_spi_taken_without_an_exit_reads_active_after_the_sync),
		T(test_foreign_spi_changes_nothing_and_logs_once),
		T(test_isenabler_mixed_bits_touch_only_owned),
		T(test_foreign_configuration_writes_are_counted_not_logged),
		T(test_one_store_to_foreign_intids_logs_one_line),
		T(test_foreign_sweep_is_reported_in_a_bounded_number_of_lines),
		T(test_restart_does_not_report_a_foreign_intid_again),
		T(test_sgi1r_reaches_only_the_cells_vcpus),
		T(test_sgi0r_reaches_only_group0_sgis_and_sgi1r_both),
		T(test_v2_sgir_filters_and_sources),
		T(test_v2_sgi_from_two_sources_delivered_twice),
		T(test_set_level_kicks_the_routed_vcpu),
		T(test_spi_routed_away_while_active_goes_to_its_new_vcpu),
		T(test_group_disabled_in_ctlr_is_not_delivered),
		T(test_hw_interrupt_deactivated_lowers_its_line),
		T(test_a_software_pended_passed_through_spi_is_not_linked),
		T(test_a_software_pended_timer_is_not_linked),
		T(test_a_firing_while_a_software_pended_instance_is_handled_comes_after_it),
		T(test_a_timer_active_when_its_vcpu_turns_off_comes_again_after_cpu_on),
		T(test_a_hw_spi_active_at_cpu_on_fires_anew),
		T(test_finished_lrs_leave_the_vcpu_quiet),
		T(test_sgi_touches_only_its_targets),
		T(test_a_trap_inside_the_handler_keeps_the_lrs),
		T(test_lrs_are_not_kept_after_an_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
