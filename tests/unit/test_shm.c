// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shared-memory doorbell hypercall (partitions/shm.c), everything a
 * guest chooses: the region (x1) and the target (x2). Only a member rings,
 * only a region with a doorbell, only another member; a stopped member is
 * skipped; past the rate limit the ring is refused with BUSY. Each refusal
 * of a region is logged once per cell. The vGIC is a fake that records who
 * was rung with which INTID; a kick (the fake GIC) is taken at once by the
 * kicked cell's CPU, which raises what was rung, unless that CPU is lost.
 * Cell i runs on CPU i.
 *
 * Three cells: alpha (0), beta (1), gamma (2). Region 0 (doorbell): alpha
 * and beta. Region 1 (no doorbell): alpha and gamma. Region 2 (doorbell):
 * all three. The rate limit's buckets (one per sending cell) live as long
 * as the binary: the rate tests first let the counter run a second, which
 * fills every bucket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "fake_log.h"
#include "hypercall.h"
#include "memstat.h"
#include "shm.h"
#include "vgic_hw.h"

#define RET_INVALID ((uint64_t)-3)
#define RET_BUSY    ((uint64_t)-5)

static struct layout_cell cfgs[3] = {
	{ .label = "alpha", .nr_cpus = 1 },
	{ .label = "beta", .nr_cpus = 1 },
	{ .label = "gamma", .nr_cpus = 1 },
};
static uint64_t now;

/* Who was rung, in order: cell index and INTID. */
static struct {
	unsigned int cell;
	uint32_t intid;
	bool locked; /* the cell's lock was held as it was raised */
} rung[16];
static unsigned int nr_rung;

uint64_t arch_counter_read(void)
{
	return now;
}

/* A wait for a lock: one that never ends fails the test instead. */
#define RELAX_LIMIT 1000000
static unsigned int relaxes;

void arch_cpu_relax(void)
{
	if (++relaxes > RELAX_LIMIT)
		fail_msg("waited %u times for a lock whose holder will never let it go", relaxes);
}

/* The CPU running now (the test's), and the CPUs lost at EL2: bit = CPU, they take nothing. */
static unsigned int running_cpu;
static uint32_t lost_cpus;
/* The running CPU faults at its next kick or vGIC change, and is lost: back to the test. */
static bool fault_next;
static jmp_buf lost_here;

static void fault_if_asked(void)
{
	if (!fault_next)
		return;
	fault_next = false;
	lost_cpus |= 1u << running_cpu;
	longjmp(lost_here, 1);
}

static unsigned int kicks[3];

void gic_kick(unsigned int cpu)
{
	unsigned int was = running_cpu;

	fault_if_asked();
	assert_true(cpu < 3);
	kicks[cpu]++;
	if (lost_cpus & (1u << cpu))
		return;
	running_cpu = cpu;
	shm_doorbells_take(&cells[cpu].vcpus[0]);
	running_cpu = was;
}

/* 1 MHz: a token every 100 ticks at 10 rings per ms. */
static uint64_t counter_freq = 1000000;

uint64_t arch_counter_freq(void)
{
	return counter_freq;
}

/* The vCPU the fake vGIC says each doorbell went to (-1: none). */
static int doorbell_target;

int vgic_hw_doorbell(struct cell *cell, uint32_t intid)
{
	fault_if_asked();
	assert_true(nr_rung < 16);
	rung[nr_rung].cell = cell->id;
	rung[nr_rung].intid = intid;
	rung[nr_rung].locked = !spin_trylock(&cell->lock);
	if (!rung[nr_rung].locked)
		spin_unlock(&cell->lock);
	nr_rung++;
	return doorbell_target;
}

/* cell_table.c's memstat_log(), which no test here calls. */
void memstat_read(struct memstat *m)
{
	memset(m, 0, sizeof(*m));
}

unsigned int arch_stage2_tables(const struct cell *cell)
{
	(void)cell;
	return 0;
}

/* @cell's view of @region: its position @member among @members (cell indices). */
static void join(unsigned int cell, int region, bool doorbell, const int *members, int n)
{
	struct layout_cell *c = &cfgs[cell];
	struct layout_cell_shm *v = &c->shm[c->nr_shm++];

	v->region = region;
	v->doorbell = doorbell;
	v->nr_members = n;
	for (int m = 0; m < n; m++) {
		v->member_cells[m] = members[m];
		if ((unsigned int)members[m] == cell)
			v->member = m;
	}
}

static int setup(void **state)
{
	static const int r0[] = { 0, 1 }, r1[] = { 0, 2 }, r2[] = { 0, 1, 2 };

	(void)state;
	for (unsigned int i = 0; i < 3; i++) {
		cfgs[i].nr_shm = 0;
		memset(&cells[i], 0, sizeof(cells[i]));
		cells[i].cfg = &cfgs[i];
		cells[i].id = i;
		cells[i].state = CELL_RUNNING;
		cells[i].vcpus[0] = (struct vcpu){ .cell = &cells[i], .pcpu = i };
		cells[i].nr_vcpus = 1;
		kicks[i] = 0;
	}
	running_cpu = 0;
	lost_cpus = 0;
	fault_next = false;
	relaxes = 0;
	cells_nr = 3;
	counter_freq = 1000000;
	doorbell_target = 0;
	join(0, 0, true, r0, 2);
	join(1, 0, true, r0, 2);
	join(0, 1, false, r1, 2);
	join(2, 1, false, r1, 2);
	join(0, 2, true, r2, 3);
	join(1, 2, true, r2, 3);
	join(2, 2, true, r2, 3);
	nr_rung = 0;
	fake_log_reset();
	return 0;
}

/* @cell's vCPU 0 calls BULKHEAD_HC_DOORBELL(@region, @target); returns x0, x1 in @rung_out. */
static uint64_t ring(unsigned int cell, uint64_t region, uint64_t target, uint64_t *rung_out)
{
	struct smccc_regs regs = { .a = { 0, region, target, 0 } };

	running_cpu = cell;
	shm_doorbell_hypercall(&cells[cell].vcpus[0], &regs);
	if (rung_out)
		*rung_out = regs.a[1];
	return regs.a[0];
}

static void test_a_member_rings_the_other_member_once(void **state)
{
	uint64_t n = 0;

	(void)state;
	assert_int_equal(ring(0, 0, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(nr_rung, 1);
	assert_int_equal(rung[0].cell, 1);
	assert_int_equal(rung[0].intid, LAYOUT_SHM_DOORBELL_INTID + 0);
}

static void test_ring_others_skips_the_caller_and_a_stopped_member(void **state)
{
	uint64_t n = 0;

	(void)state;
	cells[1].state = CELL_STOPPED;
	assert_int_equal(ring(2, 2, SHM_RING_OTHERS, &n), 0);
	assert_int_equal(n, 1); /* alpha; beta stopped, gamma the caller */
	assert_int_equal(nr_rung, 1);
	assert_int_equal(rung[0].cell, 0);
	assert_int_equal(rung[0].intid, LAYOUT_SHM_DOORBELL_INTID + 2);
}

static void test_a_cell_outside_the_region_or_beyond_every_region_is_refused(void **state)
{
	(void)state;
	assert_int_equal(ring(2, 0, 0, NULL), RET_INVALID); /* gamma is not in region 0 */
	assert_int_equal(ring(2, 0, 0, NULL), RET_INVALID);
	assert_int_equal(ring(1, ~0ULL, 0, NULL), RET_INVALID); /* no such region */
	assert_int_equal(ring(1, LAYOUT_MAX_SHM, 0, NULL), RET_INVALID);
	assert_int_equal(nr_rung, 0);
	/* Once per cell and region; every bad index shares one. */
	assert_logged("gamma: vcpu0: doorbell of shared-memory region 0 refused: the cell is not "
		      "a member of it (or no such region) (further refusals not logged)");
	assert_int_equal(fake_log_count(LOG_WARN), 2);
}

static void test_a_region_without_a_doorbell_is_refused(void **state)
{
	(void)state;
	assert_int_equal(ring(0, 1, 1, NULL), RET_INVALID);
	assert_int_equal(nr_rung, 0);
	assert_logged("alpha: vcpu0: doorbell of shared-memory region 1 refused: the region has no "
		      "doorbell");
}

static void test_the_caller_itself_or_a_target_beyond_the_members_is_refused(void **state)
{
	(void)state;
	assert_int_equal(ring(0, 0, 0, NULL), RET_INVALID); /* alpha is member 0 */
	assert_int_equal(ring(0, 0, 2, NULL), RET_INVALID);
	assert_int_equal(ring(0, 0, 1ULL << 32, NULL), RET_INVALID);
	assert_int_equal(nr_rung, 0);
	assert_int_equal(fake_log_count(LOG_WARN), 0); /* the caller's bug: not logged */
}

static void test_past_the_burst_rings_are_busy_until_tokens_come_back(void **state)
{
	unsigned int i;

	(void)state;
	now += 1000000;
	for (i = 0; i < SHM_RING_BURST; i++)
		assert_int_equal(ring(1, 2, 2, NULL), 0);
	assert_int_equal(ring(1, 2, 2, NULL), RET_BUSY);
	assert_int_equal(ring(1, 2, 2, NULL), RET_BUSY);
	assert_int_equal(nr_rung, 16);
	assert_logged("beta: doorbells rung faster than 10 per ms (burst 16), a ring counted once "
		      "per cell rung, in every region: excess rings refused with BUSY (told once)");
	assert_int_equal(fake_log_count(LOG_WARN), 1);
	/* Another sender's bucket is its own. */
	nr_rung = 0;
	assert_int_equal(ring(0, 2, 2, NULL), 0);
	/* A tenth of a millisecond later: one token back. */
	now += 100;
	assert_int_equal(ring(1, 2, 2, NULL), 0);
	assert_int_equal(ring(1, 2, 2, NULL), RET_BUSY);
}

/*
 * Two regions between the same cells are one budget: beta rings alpha
 * through region 0 and region 2 in turn, and still gets the burst only.
 */
static void test_rings_through_several_regions_share_one_budget(void **state)
{
	unsigned int i, ok = 0;

	(void)state;
	now += 1000000;
	for (i = 0; i < 2 * SHM_RING_BURST; i++)
		ok += ring(1, i % 2 ? 2 : 0, 0, NULL) == 0;
	assert_int_equal(ok, SHM_RING_BURST);
}

/* A ring of every other member costs a token each: region 2's two others, two tokens. */
static void test_ringing_every_other_member_takes_a_token_per_member(void **state)
{
	unsigned int i;
	uint64_t n;

	(void)state;
	now += 1000000;
	for (i = 0; i < SHM_RING_BURST / 2; i++) {
		assert_int_equal(ring(2, 2, SHM_RING_OTHERS, &n), 0);
		assert_int_equal(n, 2);
	}
	assert_int_equal(ring(2, 2, 0, NULL), RET_BUSY);
	nr_rung = 0;
	/* Two tokens back, enough for one more ring of both. */
	now += 200;
	assert_int_equal(ring(2, 2, SHM_RING_OTHERS, &n), 0);
	assert_int_equal(ring(2, 2, 1, NULL), RET_BUSY);
}

/*
 * Beta's CPU was lost at EL2 holding beta's lock (a ticket lock, held for
 * good): alpha's ring returns at once, beta counted as rung (it runs), the
 * ring left for beta's CPUs, which no longer come for it. Before 2026-11-25
 * alpha's CPU took beta's lock to ring it, and waited for ever.
 */
static void test_a_ring_of_a_cell_whose_lock_a_lost_cpu_holds_returns(void **state)
{
	uint64_t n = 0;

	(void)state;
	spin_lock(&cells[1].lock);
	lost_cpus = 1u << 1;
	assert_int_equal(ring(0, 0, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(nr_rung, 0);
	assert_int_equal(kicks[1], 1);
	assert_true(__atomic_load_n(&cells[1].doorbells, __ATOMIC_RELAXED) & 1);
	/* Again: the ring is still waiting, and is not kicked for a second time. */
	assert_int_equal(ring(0, 0, 1, &n), 0);
	assert_int_equal(kicks[1], 1);
}

/*
 * Alpha's CPU is lost at EL2 as it rings beta: beta's lock is not left held
 * (beta's own CPUs, its stop, the shell and other rings take it), and beta's
 * CPU still raises the ring. Before 2026-11-25 the ringer was inside beta's
 * lock there, and beta's CPUs waited for it for ever.
 */
static void test_a_cpu_lost_as_it_rings_leaves_no_lock_of_the_peer_held(void **state)
{
	(void)state;
	fault_next = true;
	if (!setjmp(lost_here))
		(void)ring(0, 0, 1, NULL);
	assert_true(lost_cpus & 1u);
	running_cpu = 1;
	assert_true(spin_trylock(&cells[1].lock));
	spin_unlock(&cells[1].lock);
	shm_doorbells_take(&cells[1].vcpus[0]);
	assert_int_equal(nr_rung, 1);
	assert_int_equal(rung[0].cell, 1);
	assert_int_equal(rung[0].intid, LAYOUT_SHM_DOORBELL_INTID + 0);
}

/*
 * A ring posted for a boot that has ended is not raised in the next one: a
 * reset interrupt controller has no pending edge.
 */
static void test_a_ring_for_an_ended_boot_is_not_raised_in_the_next(void **state)
{
	(void)state;
	cells[1].boots = 4;
	lost_cpus = 1u << 1; /* beta's CPU takes no kick until the test says */
	assert_int_equal(ring(0, 0, 1, NULL), 0);
	cells[1].boots = 5; /* restarted */
	lost_cpus = 0;
	running_cpu = 1;
	shm_doorbells_take(&cells[1].vcpus[0]);
	assert_int_equal(nr_rung, 0);
	assert_int_equal(
		__atomic_load_n(&cells[1].doorbells, __ATOMIC_RELAXED) & SHM_DOORBELLS_RUNG, 0);
	/* The new boot's own rings are raised. */
	assert_int_equal(ring(0, 0, 1, NULL), 0);
	assert_int_equal(nr_rung, 1);
}

/*
 * Alpha read beta's boot 4 running, then was delayed before posting its
 * ring; meanwhile beta restarted (boot 5) and gamma rang it in region 2 (bit
 * 1 of beta's word). Alpha's late ring of boot 4 leaves boot 5's ring
 * standing, and beta raises it. Before 2026-11-25 the late post replaced the
 * word with boot 4's tag, and beta dropped it whole: boot 5's ring was lost.
 */
static void test_a_late_ring_of_an_ended_boot_keeps_the_next_boots_rings(void **state)
{
	uint64_t n = 0;

	(void)state;
	cells[1].boots = 4;
	cells[1].doorbells = (uint64_t)5 << 32 | 1u << 1; /* boot 5, region 2 rung */
	lost_cpus = 1u << 1; /* beta's CPU takes no kick until the test says */
	assert_int_equal(ring(0, 0, 1, &n), 0);
	assert_int_equal(n, 1);
	cells[1].boots = 5;
	lost_cpus = 0;
	running_cpu = 1;
	shm_doorbells_take(&cells[1].vcpus[0]);
	assert_int_equal(nr_rung, 1);
	assert_int_equal(rung[0].cell, 1);
	assert_int_equal(rung[0].intid, LAYOUT_SHM_DOORBELL_INTID + 2);
}

/*
 * A ring posted for beta's current boot, taken (by a kick) while beta is not
 * in its guest and is stopping: its vGIC is being reset, or about to be, and
 * the stop turned its vCPUs off. The ring is dropped, as the reset drops
 * pending edges: nothing raised in that vGIC.
 */
static void test_a_ring_taken_while_the_cell_stops_is_not_raised(void **state)
{
	(void)state;
	cells[1].boots = 4;
	cells[1].doorbells = (uint64_t)4 << 32 | 1u << 0; /* boot 4, region 0 rung */
	cells[1].state = CELL_STOPPING;
	cells[1].vcpus[0].in_guest = false;
	running_cpu = 1;
	shm_doorbells_take(&cells[1].vcpus[0]);
	if (nr_rung)
		fail_msg("beta, stopping, raised INTID %u in its vGIC", rung[0].intid);
	assert_int_equal(
		__atomic_load_n(&cells[1].doorbells, __ATOMIC_RELAXED) & SHM_DOORBELLS_RUNG, 0);
}

/*
 * Gamma sends as a cell @id whose bucket no ring has touched: it fills at
 * its first ring, stamped then, whatever the tests before left in the others.
 */
static void fresh_sender(unsigned int id)
{
	assert_true(id >= 3 && id < LAYOUT_MAX_CELLS);
	cells[2].id = id;
}

/* Gamma rings alpha (region 2) until refused: the rings its bucket allows now. */
static unsigned int rings_until_busy(void)
{
	unsigned int n = 0;

	while (n < 2 * SHM_RING_BURST) {
		nr_rung = 0;
		if (ring(2, 2, 0, NULL) != 0)
			break;
		n++;
	}
	return n;
}

/* Tokens come back one a period, up to the burst: 15 periods after a drain, 15 rings. */
static void test_a_drained_bucket_refills_a_token_a_period(void **state)
{
	(void)state;
	fresh_sender(3);
	assert_int_equal(rings_until_busy(), SHM_RING_BURST);
	now += (SHM_RING_BURST - 1) * 100;
	assert_int_equal(rings_until_busy(), SHM_RING_BURST - 1);
	now += 1000000;
}

/* A bucket one token short is topped up to the full burst, not left one short. */
static void test_a_bucket_one_short_refills_to_the_full_burst(void **state)
{
	(void)state;
	fresh_sender(4);
	assert_int_equal(ring(2, 2, 0, NULL), 0);
	now += 100;
	assert_int_equal(rings_until_busy(), SHM_RING_BURST);
	now += 1000000;
}

/* A counter slower than the ring rate (period below a tick) still refills, a token a tick. */
static void test_a_counter_slower_than_the_ring_rate_refills_a_token_a_tick(void **state)
{
	(void)state;
	counter_freq = 5000;
	fresh_sender(5);
	assert_int_equal(rings_until_busy(), SHM_RING_BURST);
	now += 2;
	assert_int_equal(rings_until_busy(), 2);
	now += 1000000;
}

/*
 * Beta's CPU takes no kick; gamma rings it in region 2, then alpha in
 * region 0: both wait in beta's word, and beta raises both. The second ring
 * adds its bit to the first's, it does not replace the word.
 */
static void test_rings_of_two_regions_both_wait_for_the_cell(void **state)
{
	(void)state;
	lost_cpus = 1u << 1;
	assert_int_equal(ring(2, 2, 1, NULL), 0);
	assert_int_equal(ring(0, 0, 1, NULL), 0);
	lost_cpus = 0;
	running_cpu = 1;
	shm_doorbells_take(&cells[1].vcpus[0]);
	assert_int_equal(nr_rung, 2);
	assert_int_equal(rung[0].intid, LAYOUT_SHM_DOORBELL_INTID + 0);
	assert_int_equal(rung[1].intid, LAYOUT_SHM_DOORBELL_INTID + 2);
}

/*
 * Taken in the guest (its stop waits for it to leave), a ring is raised
 * without the cell's lock; taken outside, under it. Either way the lock is
 * free afterwards.
 */
static void test_a_ring_is_raised_under_the_cells_lock_only_outside_the_guest(void **state)
{
	(void)state;
	lost_cpus = 1u << 1;
	running_cpu = 1;
	cells[1].vcpus[0].in_guest = true;
	assert_int_equal(ring(0, 0, 1, NULL), 0);
	shm_doorbells_take(&cells[1].vcpus[0]);
	cells[1].vcpus[0].in_guest = false;
	assert_int_equal(ring(0, 0, 1, NULL), 0);
	shm_doorbells_take(&cells[1].vcpus[0]);
	assert_int_equal(nr_rung, 2);
	assert_false(rung[0].locked);
	assert_true(rung[1].locked);
	assert_true(spin_trylock(&cells[1].lock));
	spin_unlock(&cells[1].lock);
}

/*
 * A ring kicks the vCPU the cell's last doorbell went to; one the vGIC sent
 * nowhere (-1) leaves that choice. Beta has two vCPUs, on CPUs 1 and 2; CPU
 * 2 takes no kick, so the test sees where each went.
 */
static void test_a_ring_kicks_the_vcpu_the_last_doorbell_went_to(void **state)
{
	(void)state;
	cells[1].vcpus[1] = (struct vcpu){ .cell = &cells[1], .index = 1, .pcpu = 2 };
	cells[1].nr_vcpus = 2;
	lost_cpus = 1u << 2;
	doorbell_target = 1;
	assert_int_equal(ring(0, 0, 1, NULL), 0); /* kicks vCPU 0, raised for vCPU 1 */
	doorbell_target = -1;
	assert_int_equal(ring(0, 0, 1, NULL), 0); /* kicks vCPU 1 (CPU 2), waits */
	assert_int_equal(kicks[1], 1);
	assert_int_equal(kicks[2], 1);
	running_cpu = 1;
	shm_doorbells_take(&cells[1].vcpus[0]); /* raised for no vCPU: still vCPU 1 */
	doorbell_target = 0;
	assert_int_equal(ring(0, 0, 1, NULL), 0); /* kicks vCPU 1 again */
	assert_int_equal(kicks[2], 2);
	shm_doorbells_take(&cells[1].vcpus[0]); /* raised for vCPU 0 */
	assert_int_equal(ring(0, 0, 1, NULL), 0);
	assert_int_equal(kicks[1], 2);
	assert_int_equal(kicks[2], 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_a_member_rings_the_other_member_once, setup),
		cmocka_unit_test_setup(test_ring_others_skips_the_caller_and_a_stopped_member,
				       setup),
		cmocka_unit_test_setup(
			test_a_cell_outside_the_region_or_beyond_every_region_is_refused, setup),
		cmocka_unit_test_setup(test_a_region_without_a_doorbell_is_refused, setup),
		cmocka_unit_test_setup(
			test_the_caller_itself_or_a_target_beyond_the_members_is_refused, setup),
		cmocka_unit_test_setup(test_past_the_burst_rings_are_busy_until_tokens_come_back,
				       setup),
		cmocka_unit_test_setup(test_rings_through_several_regions_share_one_budget, setup),
		cmocka_unit_test_setup(test_ringing_every_other_member_takes_a_token_per_member,
				       setup),
		cmocka_unit_test_setup(test_a_ring_of_a_cell_whose_lock_a_lost_cpu_holds_returns,
				       setup),
		cmocka_unit_test_setup(test_a_cpu_lost_as_it_rings_leaves_no_lock_of_the_peer_held,
				       setup),
		cmocka_unit_test_setup(test_a_ring_for_an_ended_boot_is_not_raised_in_the_next,
				       setup),
		cmocka_unit_test_setup(test_a_late_ring_of_an_ended_boot_keeps_the_next_boots_rings,
				       setup),
		cmocka_unit_test_setup(test_a_ring_taken_while_the_cell_stops_is_not_raised, setup),
		cmocka_unit_test_setup(test_a_drained_bucket_refills_a_token_a_period, setup),
		cmocka_unit_test_setup(test_a_bucket_one_short_refills_to_the_full_burst, setup),
		cmocka_unit_test_setup(
			test_a_counter_slower_than_the_ring_rate_refills_a_token_a_tick, setup),
		cmocka_unit_test_setup(test_rings_of_two_regions_both_wait_for_the_cell, setup),
		cmocka_unit_test_setup(
			test_a_ring_is_raised_under_the_cells_lock_only_outside_the_guest, setup),
		cmocka_unit_test_setup(test_a_ring_kicks_the_vcpu_the_last_doorbell_went_to, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
