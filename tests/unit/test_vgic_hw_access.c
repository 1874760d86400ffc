// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the dispatcher of an emulated cell's trapped vGIC accesses
 * (gic/vgic_hw_access.c) over the real model: a routing write re-routes the
 * cell's physical SPIs, and no other write does (docs/performance.md,
 * optimisation 42); a linked SPI a write drops is deactivated under the
 * vGIC's lock; a kick reaches only a vCPU of the cell that runs in its guest
 * on another CPU; a refused access is the trap's error, a held one goes
 * through the hold; SGIs, the virtual console's line and doorbells kick the
 * vCPU they reach. The physical side (vgic_hw_route_spi(), gic_kick(),
 * gic_irq_deactivate()) and the UART's samples are recorded here.
 */
#include <errno.h>
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

/* The accesses made through a hold (gic/vgic_hold.c's), where a test expects them. */
static bool holds_expected;
static unsigned int nr_holds;

int vgic_hw_access_held(struct vcpu *vcpu, vgic_access_fn access, uint64_t offset,
			struct mmio_access *acc)
{
	(void)vcpu;
	(void)access;
	(void)offset;
	(void)acc;
	if (!holds_expected)
		fail_msg("a hold: no list register holds anything here");
	nr_holds++;
	return 0;
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

/*
 * The virtual UART's line as partitions/vuart.c samples it: whether it moved
 * since the vGIC was last told (uart_moved: 1 or 0, or -1 where a console
 * CPU gave up on its lock) and to what level; and the samples taken and
 * ended, which pair up.
 */
static int uart_moved;
static bool uart_level;
static unsigned int uart_begun, uart_ended;

bool vuart_irq_begin(struct vuart *u, bool *level)
{
	(void)u;
	assert_true(uart_moved >= 0);
	uart_begun++;
	*level = uart_level;
	return uart_moved > 0;
}

int vuart_irq_begin_outside(struct vuart *u, bool *level)
{
	(void)u;
	uart_begun++;
	*level = uart_level;
	if (uart_moved < 0)
		uart_ended++; /* the give-up ends the sample itself */
	return uart_moved;
}

void vuart_irq_end(struct vuart *u)
{
	(void)u;
	uart_ended++;
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
	uart_moved = 0;
	uart_level = false;
	uart_begun = uart_ended = 0;
	holds_expected = false;
	nr_holds = 0;
	cfg.console = LAYOUT_CONSOLE_NONE;
	cell.state = CELL_RUNNING;
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

/* Each of the cell's SPIs is routed once after a routing write, and nothing past them. */
static void test_a_route_write_routes_each_of_the_cells_spis_once(void **state)
{
	(void)state;

	dist_write(GICD_IROUTER + 8 * SPI_B, 8, 1);
	assert_int_equal(nr_routes, 2);
	assert_int_equal(routes[0].intid, SPI_A);
	assert_int_equal(routes[1].intid, SPI_B);
}

/*
 * An access the model refuses (a size no register has, an offset past the
 * frame) is the trap's error, for the guest's abort: no vCPU is kicked for it.
 */
static void test_a_refused_access_returns_its_error_and_kicks_nobody(void **state)
{
	struct mmio_access acc = { .size = 3, .write = true, .value = ~0ULL };

	(void)state;
	assert_int_equal(vgic_hw_dist_access(&cell.vcpus[0], GICD_ISENABLER + 4, &acc), -EINVAL);
	acc.size = 4;
	assert_int_equal(vgic_hw_dist_access(&cell.vcpus[0], LAYOUT_VGICD_SIZE, &acc), -ENOENT);
	acc.size = 3;
	assert_int_equal(
		vgic_hw_redist_access(&cell.vcpus[0],
				      LAYOUT_VGICR_STRIDE + GICR_SGI_BASE + GICR_ISENABLER0, &acc),
		-EINVAL);
	assert_int_equal(kicked, 0);
	assert_int_equal(nr_routes, 0);
}

/* Both groups on in the distributor; SGI 1 enabled on vCPU 1, in Group 0 if @group0. */
static void sgi_1_enabled_on_vcpu_1(bool group0)
{
	uint64_t sgi = LAYOUT_VGICR_STRIDE + GICR_SGI_BASE;
	struct mmio_access acc = { .size = 4, .write = true, .value = 1u << 1 };

	dist_write(GICD_CTLR, 4, GICD_CTLR_EnableGrp0 | GICD_CTLR_EnableGrp1);
	assert_int_equal(vgic_hw_redist_access(&cell.vcpus[0], sgi + GICR_ISENABLER0, &acc), 0);
	acc.value = group0 ? 0 : ~0u;
	assert_int_equal(vgic_hw_redist_access(&cell.vcpus[0], sgi + GICR_IGROUPR0, &acc), 0);
	kicked = 0; /* the writes' own kicks */
}

#define SGI_1_TO_VCPU_1 (1ULL << 24 | 1u << 1)

/* ICC_SGI1R_EL1: the target vCPU, running on another CPU, is kicked to take it. */
static void test_an_sgi_kicks_the_vcpu_it_targets(void **state)
{
	(void)state;

	sgi_1_enabled_on_vcpu_1(false);
	vgic_hw_sgi1r(&cell.vcpus[0], SGI_1_TO_VCPU_1);
	assert_int_equal(kicked, 1u << cell.vcpus[1].pcpu);
}

/* ICC_SGI0R_EL1: a Group 0 SGI of an emulated cell is sent too (a direct cell's is not). */
static void test_a_group_0_sgi_kicks_the_vcpu_it_targets(void **state)
{
	(void)state;

	sgi_1_enabled_on_vcpu_1(true);
	vgic_hw_sgi0r(&cell.vcpus[0], SGI_1_TO_VCPU_1);
	assert_int_equal(kicked, 1u << cell.vcpus[1].pcpu);
}

/* The cell's console line (INTID 33) enabled, routed to vCPU 0; this CPU runs none of the cell's.
 */
static void virtual_console_line_enabled(void)
{
	static const uint32_t spis[] = { VGIC_INTID_VUART };

	cfg.console = LAYOUT_CONSOLE_VIRTUAL;
	assert_int_equal(vgic_init(&cell.vgic, 3, NR_VCPUS, spis, 1, "beta"), 0);
	dist_write(GICD_CTLR, 4, GICD_CTLR_EnableGrp1);
	dist_write(GICD_ISENABLER + 4, 4, 1u << (VGIC_INTID_VUART - 32));
	fake_cpus_reset(0);
	kicked = 0; /* the writes' own kicks */
}

static bool console_line_pending(void)
{
	struct mmio_access acc = { .size = 4 };

	assert_int_equal(vgic_dist_access(&cell.vgic, 0, GICD_ISPENDR + 4, &acc), 0);
	return acc.value & (1u << (VGIC_INTID_VUART - 32));
}

/*
 * A byte in (the console's CPU) and the guest's own UART access raise the
 * line in the cell's vGIC and kick the vCPU it is routed to; a sample that
 * moved nothing sets nothing, and each sample is ended.
 */
static void test_the_consoles_line_raised_kicks_its_vcpu(void **state)
{
	(void)state;

	virtual_console_line_enabled();
	vgic_hw_vuart_input(&cell);
	assert_false(console_line_pending());
	uart_moved = 1;
	uart_level = true;
	vgic_hw_vuart_input(&cell);
	assert_true(console_line_pending());
	assert_int_equal(kicked, 1u << cell.vcpus[0].pcpu);
	kicked = 0;
	uart_level = false;
	vgic_hw_vuart_update(&cell);
	assert_false(console_line_pending());
	uart_level = true;
	vgic_hw_vuart_update(&cell);
	assert_true(console_line_pending());
	assert_int_equal(kicked, 1u << cell.vcpus[0].pcpu);
	assert_int_equal(uart_begun, 4);
	assert_int_equal(uart_ended, 4);
}

/*
 * Nothing is sampled or raised for a cell without a virtual console, a
 * stopped cell, a failed one, nor once the console's CPU gave up on the
 * UART's lock.
 */
static void test_the_consoles_line_is_left_alone_where_it_must_be(void **state)
{
	(void)state;

	virtual_console_line_enabled();
	uart_moved = 1;
	uart_level = true;
	cfg.console = LAYOUT_CONSOLE_NONE;
	vgic_hw_vuart_input(&cell);
	vgic_hw_vuart_update(&cell);
	cfg.console = LAYOUT_CONSOLE_VIRTUAL;
	cell.state = CELL_STOPPED;
	vgic_hw_vuart_input(&cell);
	cell.state = CELL_RUNNING;
	cell.lost = 1u;
	vgic_hw_vuart_input(&cell);
	assert_int_equal(uart_begun, 0);
	cell.lost = 0;
	uart_moved = -1;
	vgic_hw_vuart_input(&cell);
	assert_false(console_line_pending());
	assert_int_equal(kicked, 0);
	assert_int_equal(uart_ended, uart_begun);
}

/*
 * A doorbell rung at an enabled SPI makes it pending and kicks the vCPU it
 * is routed to, whose index it returns; at a disabled one, neither.
 */
static void test_a_doorbell_kicks_the_vcpu_its_spi_is_routed_to(void **state)
{
	(void)state;

	fake_cpus_reset(0);
	dist_write(GICD_CTLR, 4, GICD_CTLR_EnableGrp1);
	kicked = 0; /* the write's own kicks */
	assert_int_equal(vgic_hw_doorbell(&cell, SPI_A), -1);
	assert_int_equal(kicked, 0);
	dist_write(GICD_ISENABLER + 4, 4, 1u << (SPI_B - 32));
	kicked = 0;
	assert_int_equal(vgic_hw_doorbell(&cell, SPI_B), 0);
	assert_int_equal(kicked, 1u << cell.vcpus[0].pcpu);
	kicked = 0;
	dist_write(GICD_ICPENDR + 4, 4, 1u << (SPI_B - 32));
	dist_write(GICD_IROUTER + 8 * SPI_B, 8, 1);
	kicked = 0;
	assert_int_equal(vgic_hw_doorbell(&cell, SPI_B), 1);
	assert_int_equal(kicked, 1u << cell.vcpus[1].pcpu);
}

/* @irq sits in list register 0 of vCPU 1, which runs. */
static void listed_by_vcpu_1(struct vgic_irq *irq)
{
	irq->lr = 0;
	cell.vgic.vcpus[1].lr_used = 1;
	cell.vgic.vcpus[1].lr_intid[0] = irq->intid;
	cell.vgic.vcpus[1].lrs_out = true;
}

/*
 * A read of pending state vCPU 1's list registers hold (an SPI, its SGI) is
 * made through the hold, which waits for its sync: vCPU 0's trap then
 * completes.
 */
static void test_an_access_another_vcpus_list_registers_hold_goes_through_the_hold(void **state)
{
	struct mmio_access acc = { .size = 4 };

	(void)state;
	holds_expected = true;
	listed_by_vcpu_1(&cell.vgic.spis[0]);
	assert_int_equal(vgic_hw_dist_access(&cell.vcpus[0], GICD_ISPENDR + 4, &acc), 0);
	assert_int_equal(nr_holds, 1);
	cell.vgic.spis[0].lr = -1;
	listed_by_vcpu_1(&cell.vgic.vcpus[1].private_irqs[1]);
	assert_int_equal(vgic_hw_redist_access(&cell.vcpus[0],
					       LAYOUT_VGICR_STRIDE + GICR_SGI_BASE + GICR_ISPENDR0,
					       &acc),
			 0);
	assert_int_equal(nr_holds, 2);
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
		T(test_a_route_write_routes_each_of_the_cells_spis_once),
		T(test_a_refused_access_returns_its_error_and_kicks_nobody),
		T(test_an_sgi_kicks_the_vcpu_it_targets),
		T(test_a_group_0_sgi_kicks_the_vcpu_it_targets),
		T(test_the_consoles_line_raised_kicks_its_vcpu),
		T(test_the_consoles_line_is_left_alone_where_it_must_be),
		T(test_a_doorbell_kicks_the_vcpu_its_spi_is_routed_to),
		T(test_an_access_another_vcpus_list_registers_hold_goes_through_the_hold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
