// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hardware-linked interrupts in the vGIC model (a passed-through SPI, the
 * timer's PPI): an SPI firing again while listed told apart from a new
 * firing, also after a reroute; an instance the guest pends itself never
 * linked; a linked interrupt active when its vCPU is reset by CPU_ON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "fake_log.h"
#include "vgic_fixture.h"

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
	assert_int_equal(irq->pending_latch, edge); /* a new edge; a level is its line */

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
	/* ... nor said to fire again; an SPI not the cell's neither. */
	assert_int_equal(vgic_spi_fired_again(&v, 48, 1), -1);
	assert_int_equal(vgic_spi_fired_again(&v, 40, 1), -1);
}

/*
 * A linked SPI whose line is high, listed nowhere (it fired while disabled),
 * fires again on another CPU: the same firing, no vCPU to kick, and nothing
 * to remember for a list register's end.
 */
static void test_hw_spi_firing_again_while_listed_nowhere_is_the_same_firing(void **state)
{
	(void)state;
	make_hw(48);
	assert_int_equal(vgic_spi_fired(&v, 48), -1);
	assert_int_equal(vgic_spi_fired_again(&v, 48, 1), VGIC_LINE_AGAIN);
	assert_false(vgic_irq(&v, 0, 48)->fired_again);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_hw_spi_firing_again_while_listed_is_told_apart),
		T(test_hw_level_spi_firing_again_after_a_reroute_goes_to_its_new_vcpu),
		T(test_hw_edge_spi_firing_again_after_a_reroute_goes_to_its_new_vcpu),
		T(test_hw_spi_firing_again_after_its_holder_synced_is_a_new_one),
		T(test_virtual_spi_raised_again_is_not_told_apart),
		T(test_hw_spi_firing_again_while_listed_nowhere_is_the_same_firing),
		T(test_hw_interrupt_deactivated_lowers_its_line),
		T(test_a_software_pended_passed_through_spi_is_not_linked),
		T(test_a_software_pended_timer_is_not_linked),
		T(test_a_firing_while_a_software_pended_instance_is_handled_comes_after_it),
		T(test_a_timer_active_when_its_vcpu_turns_off_comes_again_after_cpu_on),
		T(test_a_hw_spi_active_at_cpu_on_fires_anew),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
