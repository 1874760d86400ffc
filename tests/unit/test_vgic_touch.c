// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of which vCPUs a distributor or redistributor access makes
 * look again at their next fill (gic/vgic_dist.c, vgic_redist.c,
 * vgic_bank.c): none for a read or for a write that changes nothing a fill
 * looks at, and every vCPU whose list registers the write may change: an
 * interrupt's targets, before and after, and the vCPU whose list register
 * holds it. The "hardware" is a list-register array per vCPU, on which the
 * test plays each guest's CPU interface.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "fake_log.h"
#include "../../gic/vgic_model.h" /* the model's predicates */
#include "vgic_test.h"

#define NR_LRS	 4
#define NR_VCPUS 4
#define SPI	 48 /* one of the cell's, edge-triggered by the set-up */

/* Never reached: every lock in these single-threaded tests is free. */
void arch_cpu_relax(void)
{
}

static struct vgic_cell v;
static struct vgic_lr lrs[NR_VCPUS][VGIC_MAX_LRS];
static const uint32_t cell_spis[] = { 33, SPI, 79 };

static uint32_t all_vcpus(void)
{
	return (1u << NR_VCPUS) - 1;
}

/* A vCPU's fill as the hardware side makes it: skipped when the vCPU is quiet. */
static void fill(unsigned int vcpu)
{
	if (!vgic_lr_quiet(&v, vcpu))
		vgic_lr_fill(&v, vcpu, lrs[vcpu], NR_LRS);
}

/* The vCPUs that are quiet (their next fill would be skipped). */
static uint32_t quiet_vcpus(void)
{
	uint32_t quiet = 0;
	unsigned int c;

	for (c = 0; c < NR_VCPUS; c++)
		if (vgic_lr_quiet(&v, c))
			quiet |= 1u << c;
	return quiet;
}

/* Write @size bytes at distributor @off from vCPU 0: the vCPUs it says to kick. */
static int dist_write(uint32_t off, unsigned int size, uint64_t val)
{
	return vt_dist(&v, 0, off, size, true, &val);
}

static void route(uint32_t intid, unsigned int vcpu)
{
	assert_true(dist_write(GICD_IROUTER + 8 * intid, 8, vcpu) >= 0);
}

/*
 * Four vCPUs, Group 1 on, SPI 48 enabled at priority 0xa0, edge, routed to
 * vCPU 1; each vCPU filled once and quiet.
 */
static int setup(void **state)
{
	uint32_t cfg;
	unsigned int c;

	(void)state;
	fake_log_reset();
	memset(lrs, 0, sizeof(lrs));
	memset(&v, 0, sizeof(v));
	assert_int_equal(vgic_init(&v, 3, NR_VCPUS, cell_spis, 3, "cell"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp1);
	DWR(&v, BIT_REG(GICD_ISENABLER, SPI), BIT_OF(SPI));
	assert_true(dist_write(GICD_IPRIORITYR + SPI, 1, 0xa0) >= 0);
	cfg = vt_drd(&v, 0, GICD_ICFGR + (SPI / 16) * 4);
	DWR(&v, GICD_ICFGR + (SPI / 16) * 4, cfg | 2u << ((SPI % 16) * 2));
	route(SPI, 1);
	for (c = 0; c < NR_VCPUS; c++)
		fill(c);
	assert_int_equal(quiet_vcpus(), all_vcpus());
	return 0;
}

/*
 * A register read changes nothing a fill would list: every vCPU stays quiet
 * (each read used to cost each vCPU a full fill at its next entry).
 */
static void test_register_reads_leave_the_vcpus_quiet(void **state)
{
	uint64_t val = 0;
	(void)state;

	vt_drd(&v, 1, GICD_TYPER);
	vt_drd(&v, 1, GICD_CTLR);
	vt_drd(&v, 1, BIT_REG(GICD_ISENABLER, SPI));
	vt_drd(&v, 1, BIT_REG(GICD_ISPENDR, SPI));
	vt_drd(&v, 1, GICD_IPRIORITYR + SPI);
	assert_true(vt_dist(&v, 1, GICD_IROUTER + 8 * SPI, 8, false, &val) >= 0);
	assert_true(vt_redist(&v, 1, 2 * GICR_FRAME + GICR_WAKER, 4, false, &val) >= 0);
	assert_true(vt_redist(&v, 1, GICR_FRAME + GICR_SGI + GICD_ISENABLER, 4, false, &val) >= 0);
	assert_int_equal(quiet_vcpus(), all_vcpus());
}

/*
 * What a guest writes back unchanged (Linux's read-modify-write of a shared
 * word; the bench's gicd_write) touches no vCPU, in any register that holds
 * a field of an owned interrupt, and asks for no kick.
 */
static void test_a_value_written_back_touches_no_vcpu(void **state)
{
	static const uint32_t words[] = {
		GICD_CTLR,
		BIT_REG(GICD_IGROUPR, SPI),
		BIT_REG(GICD_ISENABLER, SPI),
		GICD_IPRIORITYR + SPI,
		GICD_ICFGR + (SPI / 16) * 4,
	};
	const uint64_t sgi_prio =
		2 * GICR_FRAME + GICR_SGI + GICD_IPRIORITYR; /* vCPU 2's SGIs 0-3 */
	uint64_t val;
	unsigned int i;
	(void)state;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		assert_int_equal(dist_write(words[i], 4, vt_drd(&v, 0, words[i])), 0);
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * SPI, 8, false, &val) >= 0);
	assert_int_equal(dist_write(GICD_IROUTER + 8 * SPI, 8, val), 0);
	assert_true(vt_redist(&v, 2, sgi_prio, 4, false, &val) >= 0);
	assert_int_equal(vt_redist(&v, 2, sgi_prio, 4, true, &val), 0);
	assert_int_equal(quiet_vcpus(), all_vcpus());
}

/*
 * ... and so does one to SPI 48 while it is live (pending in vCPU 1's list
 * register), where a change would touch its target and its holder: the
 * group, enable, priority and trigger it has, written again.
 */
static void test_a_value_written_back_to_a_live_interrupt_touches_no_vcpu(void **state)
{
	static const uint32_t words[] = {
		BIT_REG(GICD_IGROUPR, SPI),
		BIT_REG(GICD_ISENABLER, SPI),
		GICD_IPRIORITYR + SPI,
		GICD_ICFGR + (SPI / 16) * 4,
	};
	uint32_t quiet;
	(void)state;

	vgic_set_edge(&v, 0, SPI);
	fill(1);
	assert_int_equal(lrs[1][0].intid, SPI);
	quiet = quiet_vcpus();
	for (unsigned int i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (dist_write(words[i], 4, vt_drd(&v, 0, words[i])) != 0)
			fail_msg("GICD + 0x%04x written back as it was asks for a kick", words[i]);
	assert_int_equal(quiet_vcpus(), quiet);
}

/* Reprioritising, disabling, regrouping or rerouting an idle interrupt: no fill would differ. */
static void test_a_change_to_an_idle_interrupt_touches_no_vcpu(void **state)
{
	(void)state;

	assert_int_equal(dist_write(GICD_IPRIORITYR + SPI, 1, 0x40), 0);
	assert_int_equal(dist_write(BIT_REG(GICD_IGROUPR, SPI), 4, 0), 0);
	assert_int_equal(dist_write(BIT_REG(GICD_ICENABLER, SPI), 4, BIT_OF(SPI)), 0);
	route(SPI, 3);
	assert_int_equal(quiet_vcpus(), all_vcpus());
}

/*
 * SPI 48 pending while disabled lists nowhere; enabling it touches and
 * kicks its target, vCPU 1, alone, whose next fill lists it.
 */
static void test_enabling_a_pending_interrupt_touches_its_target_alone(void **state)
{
	(void)state;

	assert_int_equal(dist_write(BIT_REG(GICD_ICENABLER, SPI), 4, BIT_OF(SPI)), 0);
	assert_true(dist_write(BIT_REG(GICD_ISPENDR, SPI), 4, BIT_OF(SPI)) >= 0);
	fill(1);
	assert_int_equal(lrs[1][0].state, VGIC_LR_INVALID);
	assert_int_equal(quiet_vcpus(), all_vcpus());

	assert_int_equal(dist_write(BIT_REG(GICD_ISENABLER, SPI), 4, BIT_OF(SPI)), 0x2);
	assert_int_equal(quiet_vcpus(), all_vcpus() & ~0x2u);
	fill(1);
	assert_int_equal(lrs[1][0].intid, SPI);
	assert_int_equal(lrs[1][0].state, VGIC_LR_PENDING);
}

/*
 * The same through a redistributor: enabling vCPU 2's pending PPI 27 in its
 * frame, from vCPU 0, touches and kicks vCPU 2 alone.
 */
static void test_enabling_a_pending_ppi_touches_its_frames_vcpu_alone(void **state)
{
	uint64_t sgi = 2 * GICR_FRAME + GICR_SGI, val;

	(void)state;
	val = BIT_OF(27);
	assert_true(vt_redist(&v, 0, sgi + GICD_IGROUPR, 4, true, &val) >= 0);
	val = BIT_OF(27);
	assert_true(vt_redist(&v, 0, sgi + GICD_ISPENDR, 4, true, &val) >= 0);
	fill(2);
	assert_int_equal(lrs[2][0].state, VGIC_LR_INVALID);
	assert_int_equal(quiet_vcpus(), all_vcpus());

	val = BIT_OF(27);
	assert_int_equal(vt_redist(&v, 0, sgi + GICD_ISENABLER, 4, true, &val), 0x4);
	assert_int_equal(quiet_vcpus(), all_vcpus() & ~0x4u);
	fill(2);
	assert_int_equal(lrs[2][0].intid, 27);
	assert_int_equal(lrs[2][0].state, VGIC_LR_PENDING);
}

/* SPI 48 listed on vCPU 1 (its target), whose guest acknowledges it: active there. */
static void listed_active_on_vcpu1(void)
{
	vgic_set_edge(&v, 0, SPI);
	fill(1);
	assert_int_equal(lrs[1][0].intid, SPI);
	assert_int_equal(lrs[1][0].priority, 0xa0);
	lrs[1][0].state = VGIC_LR_ACTIVE;
}

/*
 * vCPU 0 reprioritises SPI 48 (the vCPUs in @kick to look again); vCPU 1,
 * holding it, then traps inside its handler: its list register is not kept,
 * and the fill writes the new priority.
 */
static void reprioritise_held_by_vcpu1(uint32_t kick)
{
	assert_int_equal(dist_write(GICD_IPRIORITYR + SPI, 1, 0x40), kick);
	vgic_lr_sync(&v, 1, lrs[1], NR_LRS);
	assert_false(vgic_lr_keep(&v, 1));
	fill(1);
	assert_int_equal(lrs[1][0].state, VGIC_LR_ACTIVE);
	assert_int_equal(lrs[1][0].priority, 0x40);
}

/*
 * SPI 48 listed pending on vCPU 1, which its guest takes (active there)
 * while vCPU 0 reprioritises it: the model has it neither pending (the
 * latch went into the list register) nor active, but listed. vCPU 1's
 * exit must not keep the list register at the old priority (a trap inside
 * the handler keeps what the fill wrote, vgic_lr_keep()): the write touches
 * and kicks the vCPU that holds it.
 */
static void test_a_priority_change_reaches_the_list_register_holding_it(void **state)
{
	(void)state;

	listed_active_on_vcpu1();
	reprioritise_held_by_vcpu1(0x2);
}

/*
 * The same SPI, active in vCPU 1's list register, rerouted to vCPU 3: both
 * look again (vCPU 1 holds it, vCPU 3 is its target now). Reprioritised
 * after that, it still touches and kicks vCPU 1, which is no longer its
 * target but holds it.
 */
static void test_a_change_to_an_interrupt_routed_away_reaches_its_holder(void **state)
{
	(void)state;

	listed_active_on_vcpu1();
	assert_int_equal(dist_write(GICD_IROUTER + 8 * SPI, 8, 3), 0xa);
	assert_int_equal(quiet_vcpus() & 0x5, 0x5);
	reprioritise_held_by_vcpu1(0xa);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_register_reads_leave_the_vcpus_quiet),
		T(test_a_value_written_back_touches_no_vcpu),
		T(test_a_value_written_back_to_a_live_interrupt_touches_no_vcpu),
		T(test_a_change_to_an_idle_interrupt_touches_no_vcpu),
		T(test_enabling_a_pending_interrupt_touches_its_target_alone),
		T(test_enabling_a_pending_ppi_touches_its_frames_vcpu_alone),
		T(test_a_priority_change_reaches_the_list_register_holding_it),
		T(test_a_change_to_an_interrupt_routed_away_reaches_its_holder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
