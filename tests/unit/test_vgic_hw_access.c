// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the dispatcher of an emulated cell's trapped vGIC accesses
 * (gic/vgic_hw_access.c) over the real model: a routing write re-routes the
 * cell's physical SPIs, and no other write does (docs/performance.md,
 * optimisation 42); a linked SPI a write drops is deactivated under the
 * vGIC's lock; a kick reaches only a vCPU of the cell that runs in its guest
 * on another CPU. The physical side (vgic_hw_route_spi(), gic_kick(),
 * gic_irq_deactivate()) is recorded here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "cell.h"
#include "fake_cpus.h"
#include "gic.h"
#include "vgic_hw.h"
#include "../../gic/gic_regs.h"
#include "../../gic/vgic_hw_priv.h"

#define NR_VCPUS 2 /* on CPUs 1 and 2 */
#define SPI_A	 40
#define SPI_B	 41

/* --- what the code under test calls ------------------------------------------- */

/* The routes asked for, in order: the SPI and the vCPU its model names. */
#define MAX_ROUTES 16
static struct {
	uint32_t intid;
	unsigned int vcpu;
} routes[MAX_ROUTES];
static unsigned int nr_routes;

void vgic_hw_route_spi(struct cell *cell, const struct vgic_irq *irq)
{
	(void)cell;
	if (nr_routes < MAX_ROUTES) {
		routes[nr_routes].intid = irq->intid;
		routes[nr_routes].vcpu = irq->target_vcpu;
	}
	nr_routes++;
}

/* The CPUs kicked: a bit each. */
static uint32_t kicked;

void gic_kick(unsigned int cpu)
{
	kicked |= 1u << cpu;
}

static struct cell cell;

/* The physical interrupts deactivated, a bit each, all with the vGIC's lock held. */
static uint64_t deactivated;

void gic_irq_deactivate(uint32_t intid)
{
	if (__atomic_load_n(&cell.vgic.lock.holder, __ATOMIC_RELAXED) != spin_self())
		fail_msg("INTID %u deactivated without the vGIC's lock", intid);
	deactivated |= 1ULL << (intid - 32);
}

int vgic_hw_access_held(struct vcpu *vcpu, vgic_access_fn access, uint64_t offset,
			struct mmio_access *acc)
{
	(void)vcpu;
	(void)access;
	(void)offset;
	(void)acc;
	fail_msg("a hold: no list register holds anything here");
	return -1;
}

void vgic_direct_dist_write(struct vcpu *vcpu, uint64_t offset, const struct mmio_access *acc)
{
	(void)vcpu;
	(void)offset;
	(void)acc;
	fail_msg("a direct write in an emulated cell");
}

void vgic_direct_redist_write(struct vcpu *vcpu, uint64_t offset, const struct mmio_access *acc)
{
	vgic_direct_dist_write(vcpu, offset, acc);
}

void vgic_direct_sgi1r(struct vcpu *vcpu, uint64_t value)
{
	(void)vcpu;
	(void)value;
	fail_msg("a direct SGI in an emulated cell");
}

void vgic_direct_pend(uint32_t intid)
{
	(void)intid;
	fail_msg("a direct pend in an emulated cell");
}

/* The cell has no UART line to raise in these tests. */
bool vuart_irq_begin(struct vuart *u, bool *level)
{
	(void)u;
	*level = false;
	return false;
}

int vuart_irq_begin_outside(struct vuart *u, bool *level)
{
	return vuart_irq_begin(u, level);
}

void vuart_irq_end(struct vuart *u)
{
	(void)u;
}

void cell_lock_lost_say(const struct cell *c, const char *what, const char *undone)
{
	(void)c;
	fail_msg("%s: %s", what, undone);
}

void spin_wait_lost(const struct spinlock *l)
{
	(void)l;
	fail_msg("a wait for a lock a lost CPU marked");
	abort();
}

void arch_cpu_relax(void)
{
}

/* --- the cell --------------------------------------------------------------------- */

static struct layout_cell cfg = {
	.label = "beta",
	.nr_cpus = NR_VCPUS,
	.irq_mode = LAYOUT_IRQ_EMULATED,
};
static const uint32_t cell_spis[] = { SPI_A, SPI_B };

/* Both vCPUs in their guests, vCPU @i on CPU 1 + @i; this CPU is vCPU 0's. */
static int setup(void **state)
{
	(void)state;
	fake_cpus_reset(1);
	memset(&cell, 0, sizeof(cell));
	cell.cfg = &cfg;
	cell.nr_vcpus = NR_VCPUS;
	for (unsigned int i = 0; i < LAYOUT_MAX_CPUS; i++) {
		cell.vcpus[i].cell = &cell;
		cell.vcpus[i].index = i;
		cell.vcpus[i].pcpu = 1 + i;
		/* Past nr_vcpus too: a kick that read them would find a CPU to kick. */
		cell.vcpus[i].in_guest = true;
	}
	assert_int_equal(vgic_init(&cell.vgic, 3, NR_VCPUS, cell_spis, 2, "beta"), 0);
	nr_routes = 0;
	kicked = 0;
	deactivated = 0;
	return 0;
}

/* The same cell on GICv2's model. */
static int setup_v2(void **state)
{
	setup(state);
	assert_int_equal(vgic_init(&cell.vgic, 2, NR_VCPUS, cell_spis, 2, "beta"), 0);
	return 0;
}

/* vCPU 0's guest writes @size bytes of @val at distributor offset @off. */
static void dist_write(uint32_t off, unsigned int size, uint64_t val)
{
	struct mmio_access acc = {
		.ipa = LAYOUT_VGICD_BASE + off, .size = size, .write = true, .value = val
	};

	assert_int_equal(vgic_hw_dist_access(&cell.vcpus[0], off, &acc), 0);
}

/* The vCPU the last route asked for @intid named; -1 if none was. */
static int routed_vcpu(uint32_t intid)
{
	int vcpu = -1;

	assert_true(nr_routes <= MAX_ROUTES);
	for (unsigned int i = 0; i < nr_routes; i++)
		if (routes[i].intid == intid)
			vcpu = (int)routes[i].vcpu;
	return vcpu;
}

/* --- tests ---------------------------------------------------------------------- */

/* GICD_IROUTER<SPI_A> = Aff0 1: the SPI's physical route follows it to vCPU 1. */
static void test_a_route_write_reroutes_the_spi_to_the_vcpu_it_names(void **state)
{
	(void)state;

	dist_write(GICD_IROUTER + 8 * SPI_A, 8, 1);
	assert_int_equal(routed_vcpu(SPI_A), 1);
}

/* And GICv2's GICD_ITARGETSR<SPI_A> = CPU interface 1 (a byte per SPI). */
static void test_a_v2_targets_write_reroutes_the_spi_to_the_vcpu_it_names(void **state)
{
	(void)state;

	dist_write(GICD_ITARGETSR + SPI_A, 1, 1u << 1);
	assert_int_equal(routed_vcpu(SPI_A), 1);
}

/* Optimisation 42: a write that routes nothing re-routes nothing. */
static void test_a_write_of_another_register_reroutes_nothing(void **state)
{
	(void)state;

	dist_write(GICD_IPRIORITYR + SPI_A, 1, 0xa0);
	dist_write(GICD_ISENABLER + 4 * (SPI_A / 32), 4, 1u << (SPI_A % 32));
	dist_write(GICD_CTLR, 4, GICD_CTLR_EnableGrp1);
	assert_int_equal(nr_routes, 0);
}

/*
 * A passed-through level SPI fired while disabled: its physical interrupt is
 * active, for a list register to deactivate. The guest makes it edge
 * (GICD_ICFGR) before taking it, so no list register ever will: the
 * dispatcher deactivates it, under the vGIC's lock (vgic_take_dropped()
 * asserts it, the recording gic_irq_deactivate() checks it), and once.
 */
static void test_a_write_that_drops_a_linked_spi_deactivates_it_under_the_lock(void **state)
{
	struct vgic_irq *irq = &cell.vgic.spis[0];
	uint32_t icfgr = GICD_ICFGR + (SPI_A / 16) * 4;

	(void)state;
	assert_int_equal(irq->intid, SPI_A);
	irq->hw = true;
	irq->hw_intid = SPI_A;
	assert_int_equal(vgic_spi_fired(&cell.vgic, SPI_A), -1); /* disabled: nobody to kick */
	dist_write(icfgr, 4, 2u << ((SPI_A % 16) * 2));
	assert_int_equal(deactivated, 1ULL << (SPI_A - 32));
	deactivated = 0;
	dist_write(icfgr, 4, 2u << ((SPI_A % 16) * 2));
	assert_int_equal(deactivated, 0);
}

/* A vCPU index at or past the cell's names no vCPU: nothing is kicked. */
static void test_a_kick_past_the_cells_vcpus_kicks_nothing(void **state)
{
	(void)state;

	vgic_hw_kick(&cell, NR_VCPUS);
	vgic_hw_kick(&cell, NR_VCPUS + 1);
	assert_int_equal(kicked, 0);
	/* Bits the model never sets, up to the vCPUs a cell could have (vcpus[]'s size). */
	vgic_hw_kick_mask(&cell, ((1u << LAYOUT_MAX_CPUS) - 1) & ~((1u << NR_VCPUS) - 1));
	assert_int_equal(kicked, 0);
}

/*
 * Far past it too, beyond vcpus[] itself: the index is checked before the
 * vCPU's address is formed (UBSan, which these tests run under, stops the
 * test at an index past the array's end).
 */
static void test_a_kick_past_the_vcpus_array_kicks_nothing(void **state)
{
	(void)state;

	vgic_hw_kick(&cell, LAYOUT_MAX_CPUS);
	vgic_hw_kick(&cell, LAYOUT_MAX_CPUS + 1);
	vgic_hw_kick(&cell, ~0u);
	assert_int_equal(kicked, 0);
}

/* The vCPU on this CPU refills on its entry: only the other one is sent the SGI. */
static void test_a_kick_skips_the_vcpu_on_this_cpu(void **state)
{
	(void)state;

	vgic_hw_kick(&cell, 0);
	assert_int_equal(kicked, 0);
	vgic_hw_kick_mask(&cell, 3);
	assert_int_equal(kicked, 1u << cell.vcpus[1].pcpu);
}

/* A vCPU out of its guest refills on its next entry: not kicked. */
static void test_a_kick_skips_a_vcpu_out_of_its_guest(void **state)
{
	(void)state;

	cell.vcpus[1].in_guest = false;
	vgic_hw_kick(&cell, 1);
	assert_int_equal(kicked, 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_a_route_write_reroutes_the_spi_to_the_vcpu_it_names),
		T(test_a_write_of_another_register_reroutes_nothing),
		cmocka_unit_test_setup(
			test_a_v2_targets_write_reroutes_the_spi_to_the_vcpu_it_names, setup_v2),
		cmocka_unit_test_setup(test_a_write_of_another_register_reroutes_nothing, setup_v2),
		T(test_a_write_that_drops_a_linked_spi_deactivates_it_under_the_lock),
		T(test_a_kick_past_the_cells_vcpus_kicks_nothing),
		T(test_a_kick_past_the_vcpus_array_kicks_nothing),
		T(test_a_kick_skips_the_vcpu_on_this_cpu),
		T(test_a_kick_skips_a_vcpu_out_of_its_guest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
