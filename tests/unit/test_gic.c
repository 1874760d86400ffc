// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the physical GIC driver's parts that need no system
 * register: here the distributor, the redistributor regions and the GICv2 GICH frame are arrays,
 * and gic_poll_clear() (the RWP wait) a fake that looks at the array when the driver waits; and
 * register field decoding.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers, clock_gettime() */

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fake_log.h"
#include "../../gic/gic_priv.h"
#include "../../gic/gic_regs.h"
#include "../../gic/vgic_hw_priv.h"

#define WORD(off) ((off) / 4)

static uint32_t dist_regs[0x10000 / 4];
static uintptr_t dist = (uintptr_t)dist_regs;

/* What the driver waits for, and what the distributor looked like then. */
static struct {
	unsigned int calls;
	uintptr_t off;
	uint32_t mask;
	uint32_t icenabler, icfgr; /* words of the INTID under test at the wait */
	uint32_t intid;
	bool stuck; /* RWP never clears */
	bool meet;  /* wait for another thread to wait too (up to MEET_NS) */
	bool fault; /* the CPU faults in the wait, and parks: it never comes back */
} rwp;

/* The CPU a thread plays, and the CPUs parked for good (bit N: CPU N). */
static __thread unsigned int this_cpu;
static uint32_t parked_cpus;
static jmp_buf rwp_fault;
/* Waits for the lock, to tell one that never ends from a holder that runs. */
static unsigned int relaxes;
#define RELAX_LIMIT 100000u

#define MEET_NS 200000
static unsigned int waiting; /* threads in gic_poll_clear() */

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/*
 * Between its read of GICD_ICFGR and its write, the driver waits for RWP:
 * another CPU that could reach the same point meanwhile does so now.
 */
static void meet_another_cpu(void)
{
	uint64_t end = now_ns() + MEET_NS;

	__atomic_add_fetch(&waiting, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&waiting, __ATOMIC_SEQ_CST) < 2 && now_ns() < end)
		sched_yield();
	__atomic_sub_fetch(&waiting, 1, __ATOMIC_SEQ_CST);
}

void arch_cpu_relax(void)
{
	if (__atomic_add_fetch(&relaxes, 1, __ATOMIC_RELAXED) > RELAX_LIMIT && parked_cpus)
		fail_msg("waited %u times for GICD_ICFGR's lock, which a parked CPU holds",
			 RELAX_LIMIT);
	sched_yield();
}

unsigned int arch_cpu_index(void)
{
	return this_cpu;
}

bool arch_cpu_parked(unsigned int index)
{
	return index < 32 && (parked_cpus & (1u << index));
}

bool gic_poll_clear(uintptr_t base, uintptr_t off, uint32_t mask)
{
	assert_int_equal(base, dist);
	if (rwp.fault) {
		rwp.fault = false;
		parked_cpus |= 1u << this_cpu;
		longjmp(rwp_fault, 1);
	}
	if (rwp.meet) {
		meet_another_cpu();
		return true;
	}
	rwp.calls++;
	rwp.off = off;
	rwp.mask = mask;
	rwp.icenabler = dist_regs[WORD(GICD_ICENABLER) + rwp.intid / 32];
	rwp.icfgr = dist_regs[WORD(GICD_ICFGR) + rwp.intid / 16];
	return !rwp.stuck;
}

static int setup(void **state)
{
	(void)state;
	memset(dist_regs, 0, sizeof(dist_regs));
	memset(&rwp, 0, sizeof(rwp));
	this_cpu = 0;
	parked_cpus = 0;
	relaxes = 0;
	fake_log_reset();
	return 0;
}

/* INTID 40 shares GICD_ICFGR2 with 15 others, each with its own trigger. */
static void test_trigger_change_disables_waits_for_rwp_then_writes(void **state)
{
	const uint32_t others = 0xaaaaaaaau & ~GICD_ICFGR_EDGE(40);
	(void)state;

	dist_regs[WORD(GICD_ICFGR) + 2] = others;
	rwp.intid = 40;
	gicv3_icfgr_set_edge(dist, 40, true);

	assert_int_equal(rwp.calls, 1);
	assert_int_equal(rwp.off, GICD_CTLR);
	assert_int_equal(rwp.mask, GICD_CTLR_RWP);
	/* At the wait: disabled, trigger not yet changed. */
	assert_int_equal(rwp.icenabler, 1u << (40 % 32));
	assert_int_equal(rwp.icfgr, others);
	/* After: only INTID 40's field changed. */
	assert_int_equal(dist_regs[WORD(GICD_ICFGR) + 2], others | GICD_ICFGR_EDGE(40));

	gicv3_icfgr_set_edge(dist, 40, false);
	assert_int_equal(dist_regs[WORD(GICD_ICFGR) + 2], others);
}

static void test_unchanged_trigger_touches_nothing(void **state)
{
	(void)state;
	dist_regs[WORD(GICD_ICFGR) + 2] = GICD_ICFGR_EDGE(40);
	gicv3_icfgr_set_edge(dist, 40, true);
	gicv3_icfgr_set_edge(dist, 41, false);
	assert_int_equal(rwp.calls, 0);
	assert_int_equal(dist_regs[WORD(GICD_ICENABLER) + 1], 0);
}

static void test_rwp_stuck_is_reported_and_the_trigger_still_set(void **state)
{
	(void)state;
	rwp.stuck = true;
	gicv3_icfgr_set_edge(dist, 40, true);
	assert_logged("gic: GICD_CTLR.RWP stuck at 1: INTID 40 disabled late");
	assert_int_equal(dist_regs[WORD(GICD_ICFGR) + 2], GICD_ICFGR_EDGE(40));
}

#define ROUNDS 200
static pthread_barrier_t round_start, round_end;

static bool field_is_edge(uint32_t intid)
{
	return (dist_regs[WORD(GICD_ICFGR) + intid / 16] & GICD_ICFGR_EDGE(intid)) != 0;
}

/*
 * One cell's CPU writing its SPI's trigger through, in rounds with the
 * other's: both flip, then each looks whether its own change held.
 */
static void *flip(void *arg)
{
	uint32_t intid = (uint32_t)(uintptr_t)arg;
	uintptr_t undone = 0;
	bool edge = false;

	this_cpu = intid - 31; /* INTID 32: CPU 1, 33: CPU 2 */
	for (int i = 0; i < ROUNDS; i++) {
		pthread_barrier_wait(&round_start);
		edge = !edge;
		if (!gicv3_icfgr_set_edge(dist, intid, edge))
			undone++;
		pthread_barrier_wait(&round_end);
		if (field_is_edge(intid) != edge)
			undone++;
	}
	return (void *)undone;
}

/*
 * Two cells own INTIDs 32 and 33, whose fields share GICD_ICFGR2, and
 * change their triggers at once from two CPUs: neither undoes the other's.
 */
static void test_two_cells_changing_triggers_in_one_word_keep_each_others(void **state)
{
	pthread_t a, b;
	void *lost_a, *lost_b;
	(void)state;

	rwp.meet = true;
	assert_int_equal(pthread_barrier_init(&round_start, NULL, 2), 0);
	assert_int_equal(pthread_barrier_init(&round_end, NULL, 2), 0);
	assert_int_equal(pthread_create(&a, NULL, flip, (void *)(uintptr_t)32), 0);
	assert_int_equal(pthread_create(&b, NULL, flip, (void *)(uintptr_t)33), 0);
	assert_int_equal(pthread_join(a, &lost_a), 0);
	assert_int_equal(pthread_join(b, &lost_b), 0);
	pthread_barrier_destroy(&round_start);
	pthread_barrier_destroy(&round_end);
	if (lost_a || lost_b)
		fail_msg(
			"in %d rounds, a trigger change was undone by the other cell's: INTID 32's "
			"%lu times, INTID 33's %lu times",
			ROUNDS, (unsigned long)(uintptr_t)lost_a, (unsigned long)(uintptr_t)lost_b);
}

/* CPU @cpu faults as it waits for RWP inside a trigger change of INTID 50, and parks. */
static void cpu_lost_inside_a_trigger_change(unsigned int cpu)
{
	this_cpu = cpu;
	rwp.fault = true;
	if (!setjmp(rwp_fault))
		gicv3_icfgr_set_edge(dist, 50, true);
	this_cpu = 0;
	assert_true(parked_cpus & (1u << cpu));
}

/*
 * CPU 2 was lost inside a change (a fault there: it parks holding the lock
 * for ever): another cell's change, on CPU 0, is refused at once, nothing
 * written, the lost CPU named. Until 2026-11-25 it spun for ever, its
 * interrupts masked. A write that changes nothing takes no lock and still
 * succeeds. Leaves the lock held: run last.
 */
static void test_a_change_after_a_cpu_lost_inside_one_is_refused_at_once(void **state)
{
	(void)state;
	cpu_lost_inside_a_trigger_change(2);
	dist_regs[WORD(GICD_ICENABLER) + 1] = 0;
	assert_false(gicv3_icfgr_set_edge(dist, 41, true));
	assert_int_equal(gicv3_icfgr_holder(), 2);
	assert_false(dist_regs[WORD(GICD_ICFGR) + 2] & GICD_ICFGR_EDGE(41));
	assert_int_equal(dist_regs[WORD(GICD_ICENABLER) + 1], 0);
	assert_true(relaxes < 10);
	assert_true(gicv3_icfgr_set_edge(dist, 41, false));
	/* The lost CPU's own cell stopped on it next: it does not wait for itself either. */
	parked_cpus = 0;
	this_cpu = 2;
	assert_false(gicv3_icfgr_set_edge(dist, 42, true));
	assert_true(relaxes < 10);
}

/*
 * ICH_VTR_EL2 as QEMU's GICv3 builds it for a Cortex-A53 or A57 (ich_vtr_read():
 * 4 list registers, TDS, nV4, A3V, 16 ID bits, 5 preemption and 5 priority bits).
 */
#define QEMU_ICH_VTR_EL2      0x90b80003ULL
#define VTR(prebits, pribits) ((uint64_t)((pribits)-1) << 29 | (uint64_t)((prebits)-1) << 26 | 3)

/* How many ICH_AP0Rn_EL2/ICH_AP1Rn_EL2 a vCPU reset must clear: the preemption bits say. */
static void test_active_priority_registers_follow_the_preemption_bits(void **state)
{
	(void)state;
	assert_int_equal(ICH_VTR_EL2_PREbits(QEMU_ICH_VTR_EL2), 5);
	assert_int_equal(gic_nr_aprs(ICH_VTR_EL2_PREbits(QEMU_ICH_VTR_EL2)), 1);
	assert_int_equal(gic_nr_aprs(ICH_VTR_EL2_PREbits(VTR(5, 5))), 1);
	assert_int_equal(gic_nr_aprs(ICH_VTR_EL2_PREbits(VTR(6, 6))), 2);
	assert_int_equal(gic_nr_aprs(ICH_VTR_EL2_PREbits(VTR(7, 7))), 4);
	/* Not the priority bits: 8 of them with 5 of preemption is still one register. */
	assert_int_equal(gic_nr_aprs(ICH_VTR_EL2_PREbits(VTR(5, 8))), 1);
	/* The physical interface's ICC_AP1Rn_EL1 by ICC_CTLR_EL1.PRIbits [10:8]. */
	assert_int_equal(gic_nr_aprs(ICC_CTLR_EL1_PRIbits(4u << 8)), 1);
	assert_int_equal(gic_nr_aprs(ICC_CTLR_EL1_PRIbits(5u << 8)), 2);
	assert_int_equal(gic_nr_aprs(ICC_CTLR_EL1_PRIbits(6u << 8)), 4);
}

/* --- the GICv2 virtual interface control (gic/vgic_hw_v2.c) ------------------- */

#define GICH_VTR 0x004
#define GICH_APR 0x0f0
#define GICH_LR0 0x100
#define GICH_LRS 64 /* GICH_VTR.ListRegs is 6 bits: up to 64 list registers */

static uint32_t gich_regs[(GICH_LR0 + 4 * GICH_LRS) / 4];

/*
 * A GICv2 with 64 list registers, each left pending (state 01) with a
 * virtual INTID by the firmware or a previous kernel: a vCPU reset clears
 * every one, not only the 16 the fill uses. Before, LRs 16-63 kept their
 * contents, and the first entry with GICH_HCR.En set delivered them to the
 * guest, never to be synced.
 */
static void test_v2_vcpu_reset_clears_every_list_register_the_gich_has(void **state)
{
	struct platform_gic g = { .version = 2 };
	unsigned int n;

	(void)state;
	g.hyp = (struct mem_range){ (uintptr_t)gich_regs, sizeof(gich_regs) };
	memset(gich_regs, 0xff, sizeof(gich_regs));
	gich_regs[WORD(GICH_VTR)] = GICH_LRS - 1;
	for (n = 0; n < GICH_LRS; n++)
		gich_regs[WORD(GICH_LR0) + n] = 1u << 28 | (40 + n);
	assert_int_equal(vgic_hw_v2_init(&g), 0);
	assert_int_equal(vgic_hw_v2_nr_lrs(), GICH_LRS);

	vgic_hw_v2_reset();
	assert_int_equal(gich_regs[0], 0); /* GICH_HCR */
	assert_int_equal(gich_regs[WORD(GICH_APR)], 0);
	for (n = 0; n < GICH_LRS; n++)
		if (gich_regs[WORD(GICH_LR0) + n])
			fail_msg("GICH_LR%u = %#x after the reset", n,
				 gich_regs[WORD(GICH_LR0) + n]);
}

/* --- finding a CPU's redistributor (gic/gicv3_redist.c) ---------------------- */

static struct gicv3_redists rd;
static uint8_t *rd_mem[PLATFORM_MAX_GICR_REGIONS];

/* A GICR region of @frames 64 KiB frames, allocated to its size: ASan sees a read past it. */
static uint8_t *region_add(unsigned int frames)
{
	uint8_t *p = calloc(frames, GICR_FRAME_SIZE);

	assert_non_null(p);
	rd_mem[rd.nr] = p;
	rd.region[rd.nr] = (struct mem_range){ (uintptr_t)p, (uint64_t)frames * GICR_FRAME_SIZE };
	rd.nr++;
	return p;
}

/* A redistributor at frame @frame of @region: its GICR_TYPER. */
static void redist_put(uint8_t *region, unsigned int frame, uint32_t affinity, uint64_t flags)
{
	uint64_t typer = (uint64_t)affinity << 32 | flags;

	memcpy(region + (size_t)frame * GICR_FRAME_SIZE + GICR_TYPER, &typer, sizeof(typer));
}

static uintptr_t frame_at(unsigned int region, unsigned int frame)
{
	return (uintptr_t)rd_mem[region] + (uintptr_t)frame * GICR_FRAME_SIZE;
}

static int redist_setup(void **state)
{
	(void)state;
	memset(&rd, 0, sizeof(rd));
	return 0;
}

static int redist_teardown(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < rd.nr; i++)
		free(rd_mem[i]);
	return 0;
}

static void assert_found(uint32_t affinity, uintptr_t want)
{
	uintptr_t got = gicv3_redist_find(&rd, affinity, NULL);

	if (got != want)
		fail_msg("affinity 0x%x: redistributor at %#lx, want %#lx", affinity,
			 (unsigned long)got, (unsigned long)want);
}

/* Two sockets, a GICR region each: the second socket's CPUs are in the second region. */
static void test_redistributor_in_a_later_region_is_found(void **state)
{
	uint8_t *r0 = region_add(4), *r1 = region_add(4);
	unsigned int count;

	(void)state;
	redist_put(r0, 0, 0x000, 0);
	redist_put(r0, 2, 0x001, GICR_TYPER_Last);
	redist_put(r1, 0, 0x100, 0);
	redist_put(r1, 2, 0x101, GICR_TYPER_Last);
	assert_found(0x001, frame_at(0, 2));
	assert_found(0x100, frame_at(1, 0));
	assert_found(0x101, frame_at(1, 2));
	assert_int_equal(gicv3_redist_find(&rd, 0xffffffffu, &count), 0);
	assert_int_equal(count, 4);
}

/* GICv4 with VLPIS: VLPI_base and a reserved frame after SGI_base, 256 KiB apart. */
static void test_gicv4_redistributors_are_four_frames_apart(void **state)
{
	uint8_t *r0 = region_add(8);

	(void)state;
	redist_put(r0, 0, 0x0, GICR_TYPER_VLPIS);
	redist_put(r0, 4, 0x1, GICR_TYPER_VLPIS | GICR_TYPER_Last);
	assert_found(0x1, frame_at(0, 4));
}

/* Padding pages: redistributor-stride says how far apart, whatever GICR_TYPER says. */
static void test_redistributor_stride_wins_over_gicr_typer(void **state)
{
	uint8_t *r0 = region_add(12);

	(void)state;
	rd.stride = 6 * GICR_FRAME_SIZE;
	redist_put(r0, 0, 0x0, 0);
	redist_put(r0, 2, 0x7, GICR_TYPER_Last); /* padding that looks like one: not read */
	redist_put(r0, 6, 0x1, GICR_TYPER_Last);
	assert_found(0x1, frame_at(0, 6));
	assert_found(0x7, 0);
}

/* A region whose last redistributor lacks Last: the walk ends at the region's end, then goes on. */
static void test_walk_ends_at_the_region_end_without_last(void **state)
{
	uint8_t *r0 = region_add(5), *r1 = region_add(2);
	unsigned int count;

	(void)state;
	redist_put(r0, 0, 0x0, 0);
	redist_put(r0, 2, 0x1, 0); /* frame 4 is half a redistributor: not read */
	redist_put(r1, 0, 0x2, GICR_TYPER_Last);
	assert_found(0x2, frame_at(1, 0));
	gicv3_redist_find(&rd, 0xffffffffu, &count);
	assert_int_equal(count, 3);
}

#define T(f) cmocka_unit_test_setup(f, setup)
#define R(f) cmocka_unit_test_setup_teardown(f, redist_setup, redist_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_trigger_change_disables_waits_for_rwp_then_writes),
		T(test_unchanged_trigger_touches_nothing),
		T(test_rwp_stuck_is_reported_and_the_trigger_still_set),
		T(test_two_cells_changing_triggers_in_one_word_keep_each_others),
		T(test_active_priority_registers_follow_the_preemption_bits),
		T(test_v2_vcpu_reset_clears_every_list_register_the_gich_has),
		R(test_redistributor_in_a_later_region_is_found),
		R(test_gicv4_redistributors_are_four_frames_apart),
		R(test_redistributor_stride_wins_over_gicr_typer),
		R(test_walk_ends_at_the_region_end_without_last),
		/* Last: GICD_ICFGR's lock stays with the CPU it lost. */
		T(test_a_change_after_a_cpu_lost_inside_one_is_refused_at_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
