// SPDX-License-Identifier: GPL-2.0-only
/*
 * A linked SPI the guest's distributor write leaves neither pending nor
 * active for a list register to end (cleared, made edge, deactivated): the
 * vGIC model hands it back, for the hardware side to deactivate, and its
 * next firing is a new one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "fake_log.h"
#include "vgic_fixture.h"

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

/* ... the first SPI, INTID 32, too: it is no private interrupt. */
static void test_hw_spi_32_cleared_before_taken_is_handed_back(void **state)
{
	static const uint32_t spi32[] = { 32, 48 };

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_int_equal(vgic_init(&v, 3, 4, spi32, 2, "linux"), 0);
	make_hw(32);
	make_edge(32);
	assert_int_equal(vgic_spi_fired(&v, 32), -1);
	DWR(&v, BIT_REG(GICD_ICPENDR, 32), BIT_OF(32));
	assert_int_equal(take_dropped(), spi_bit(32));
}

/*
 * Handed back by GICD_ICPENDR, then pended again by the guest (GICD_ISPENDR)
 * and listed in LR 0 before the hardware side took the dropped SPIs: no
 * longer dropped (that list register, HW = 1, ends the physical interrupt).
 */
static void test_hw_spi_pended_and_listed_again_before_the_take_is_kept(void **state)
{
	(void)state;
	enable(48, 0x80);
	make_hw(48);
	make_edge(48);
	DWR(&v, GICD_CTLR, 0); /* fires while its group is off: listed nowhere */
	assert_int_equal(vgic_spi_fired(&v, 48), -1);
	DWR(&v, BIT_REG(GICD_ICPENDR, 48), BIT_OF(48));
	DWR(&v, BIT_REG(GICD_ISPENDR, 48), BIT_OF(48));
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp1);
	vgic_lr_fill(&v, 0, lrs, NR_LRS);
	assert_int_equal(lr_of(48), 0);
	assert_int_equal(take_dropped(), 0);
	assert_true(vgic_irq(&v, 0, 48)->line_level);
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

/* spinlock.h's report of a lock not held where it must be: recorded, back to the test. */
static jmp_buf not_held_out;
static const struct spinlock *not_held;

void spin_not_held(const struct spinlock *l)
{
	not_held = l;
	longjmp(not_held_out, 1);
}

/*
 * The caller must hold the model's lock from vgic_take_dropped() until it
 * has deactivated what it took (a firing in between must find the line
 * low): taken without it, the host build says so (spin_assert_held()).
 */
static void test_taking_the_dropped_spis_without_the_lock_is_reported(void **state)
{
	(void)state;
	make_hw(48);
	make_edge(48);
	assert_int_equal(vgic_spi_fired(&v, 48), -1);
	DWR(&v, BIT_REG(GICD_ICPENDR, 48), BIT_OF(48));
	not_held = NULL;
	if (!setjmp(not_held_out))
		vgic_take_dropped(&v);
	assert_ptr_equal(not_held, &v.lock);
	assert_int_equal(take_dropped(), spi_bit(48)); /* left as it was */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_hw_spi_cleared_before_taken_is_handed_back),
		T(test_hw_spi_32_cleared_before_taken_is_handed_back),
		T(test_hw_spi_pended_and_listed_again_before_the_take_is_kept),
		T(test_hw_spi_made_edge_while_its_line_is_high_is_handed_back),
		T(test_hw_spi_dropped_from_the_writers_own_lr_is_handed_back),
		T(test_hw_spi_made_edge_while_the_guest_handles_its_own_instance_is_handed_back),
		T(test_hw_spi_cleared_while_the_guest_handles_its_own_instance_is_handed_back),
		T(test_hw_spi_active_as_its_firing_and_made_edge_is_kept),
		T(test_hw_spi_active_in_a_running_vcpus_lr_is_handed_back_after_its_sync),
		T(test_taking_the_dropped_spis_without_the_lock_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
