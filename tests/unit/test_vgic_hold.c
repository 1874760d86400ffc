// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of gic/vgic_hold.c: a guest access the model refused with
 * -EBUSY (another vCPU's list registers hold the state it names) is made
 * again once those vCPUs have left their guest and synced, each kicked; a
 * vCPU that does not sync within HOLD_WAIT_MS (100 ms) is given up on
 * (vgic_lr_abandon(), the real model's), said once per cell; and a fill
 * waits for the holds, as long. The test plays the counter (a tick a ms,
 * one per arch_cpu_relax()), the kicks and the vCPUs' syncs, and the access
 * (refused while the vCPUs it names hold their list registers).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "cell.h"
#include "fake_log.h"
#include "vgic.h"
#include "../../gic/vgic_hw_priv.h"

#define NR_VCPUS  3
#define SELF	  0   /* the vCPU whose access is held */
#define LIMIT	  100 /* HOLD_WAIT_MS, in ticks of a 1 kHz counter */
#define NEVER	  UINT64_MAX
#define START	  1000	/* the counter as the access begins */
#define OFFSET	  0x384 /* GICD_ICACTIVER1: any offset, passed through */
#define MAX_TRIES 16	/* an access made more often than this: a loop that never ends */

/* --- the CPU and the other vCPUs ---------------------------------------------- */

static uint64_t now;
static unsigned int relaxes;
static struct cell cell;
static struct layout_cell cfg = { .label = "gamma" };

/* After its kick, vCPU u leaves its guest and syncs in delay[u] ticks (NEVER: it does not). */
static uint64_t delay[LAYOUT_MAX_CPUS], sync_at[LAYOUT_MAX_CPUS];
/* vCPU u (re-)enters its guest, its list registers filled, at tick enter_at[u]. */
static uint64_t enter_at[LAYOUT_MAX_CPUS];
/* The vCPU holding off fills (vgic_hw_wait_holds()) ends its access at this tick. */
static uint64_t hold_ends_at;

uint64_t arch_counter_read(void)
{
	return now;
}

uint64_t arch_counter_freq(void)
{
	return 1000;
}

void arch_cpu_relax(void)
{
	now++;
	relaxes++;
	for (unsigned int u = 0; u < LAYOUT_MAX_CPUS; u++) {
		if (sync_at[u] <= now) {
			cell.vgic.vcpus[u].lrs_out = false;
			sync_at[u] = NEVER;
		}
		if (enter_at[u] == now)
			cell.vgic.vcpus[u].lrs_out = true;
	}
	if (hold_ends_at == now)
		cell.vgic.holds--;
}

/* The vCPUs kicked, and how many kicks. */
static uint32_t kicked;
static unsigned int kicks;

void vgic_hw_kick_mask(struct cell *c, uint32_t mask)
{
	assert_ptr_equal(c, &cell);
	kicked |= mask;
	kicks++;
	for (unsigned int u = 0; u < LAYOUT_MAX_CPUS; u++)
		if (mask & (1u << u) && delay[u] != NEVER)
			sync_at[u] = now + delay[u];
}

/* --- the access ------------------------------------------------------------------- */

/* Refused while a vCPU in holders has its list registers out; then result. */
static uint32_t holders;
static int result;
static unsigned int tries;
static struct mmio_access acc = { .size = 4, .write = true, .value = 1 };

static int access(struct vgic_cell *v, unsigned int vcpu, uint64_t offset, struct mmio_access *a)
{
	assert_ptr_equal(v, &cell.vgic);
	assert_int_equal(vcpu, SELF);
	assert_int_equal(offset, OFFSET);
	assert_ptr_equal(a, &acc);
	if (++tries > MAX_TRIES)
		fail_msg("the access was made %u times: the hold never ends", tries);
	/* Its own hold counted while it is made: no fill lists anything meanwhile. */
	if (v->holds != 1)
		fail_msg("the access was made with %u holds, not its own one", v->holds);
	for (unsigned int u = 0; u < NR_VCPUS; u++)
		if (holders & (1u << u) && v->vcpus[u].lrs_out)
			return -EBUSY;
	return result;
}

/* vgic_hw_access_held() for SELF's access; its hold is let go whatever the end. */
static int held_access(void)
{
	int ret = vgic_hw_access_held(&cell.vcpus[SELF], access, OFFSET, &acc);

	assert_int_equal(cell.vgic.holds, 0);
	return ret;
}

/* vCPU @u in its guest, its list registers filled, leaving @ticks after a kick. */
static void out_for(unsigned int u, uint64_t ticks)
{
	cell.vgic.vcpus[u].lrs_out = true;
	delay[u] = ticks;
}

/* Each test its own cell id: a give-up is said once per cell for good. */
static unsigned int next_id;

static int setup(void **state)
{
	(void)state;
	fake_log_reset();
	memset(&cell, 0, sizeof(cell));
	cell.id = next_id++;
	cell.cfg = &cfg;
	cell.nr_vcpus = NR_VCPUS;
	cell.vgic.nr_vcpus = NR_VCPUS;
	for (unsigned int i = 0; i < LAYOUT_MAX_CPUS; i++) {
		cell.vcpus[i].cell = &cell;
		cell.vcpus[i].index = i;
		delay[i] = sync_at[i] = enter_at[i] = NEVER;
	}
	hold_ends_at = NEVER;
	now = START;
	relaxes = 0;
	kicked = 0;
	kicks = 0;
	holders = 0;
	result = 0;
	tries = 0;
	return 0;
}

/* --- the held access ------------------------------------------------------------ */

/* Taken at once: made once, its result (a kick mask) returned, nobody kicked or waited for. */
static void test_an_access_the_model_takes_is_made_once_without_a_kick(void **state)
{
	(void)state;
	result = 0x6;
	out_for(1, 5); /* out, but holding nothing it names */
	assert_int_equal(held_access(), 0x6);
	assert_int_equal(tries, 1);
	assert_int_equal(kicks, 0);
	assert_int_equal(relaxes, 0);
}

/* Refused for another reason than a hold: returned as it is, not made again. */
static void test_an_access_refused_otherwise_is_not_made_again(void **state)
{
	(void)state;
	result = -EINVAL;
	assert_int_equal(held_access(), -EINVAL);
	assert_int_equal(tries, 1);
	assert_int_equal(kicks, 0);
}

/*
 * Refused: every other vCPU of the cell with its list registers out is
 * kicked, and waited for; then the access is made again, and taken. Not the
 * vCPU making it (it is in this trap: synced), nor an entry of vcpus[] past
 * the cell's.
 */
static void test_a_refused_access_is_made_once_the_other_vcpus_synced(void **state)
{
	(void)state;
	holders = 1u << 1;
	out_for(1, 5);
	out_for(2, 3);
	cell.vgic.vcpus[SELF].lrs_out = true;
	cell.vgic.vcpus[NR_VCPUS].lrs_out = true;
	assert_int_equal(held_access(), 0);
	assert_int_equal(kicked, 0x6);
	assert_int_equal(tries, 2);
	assert_int_equal(now - START, 5); /* the last of them */
	assert_true(cell.vgic.vcpus[SELF].lrs_out);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/*
 * One that enters its guest during the wait was not kicked: not waited for
 * either (it holds nothing the access names; if it did, the next try says so).
 */
static void test_a_vcpu_entering_its_guest_meanwhile_is_not_waited_for(void **state)
{
	(void)state;
	holders = 1u << 1;
	out_for(1, 5);
	enter_at[2] = START + 2;
	assert_int_equal(held_access(), 0);
	assert_int_equal(kicked, 1u << 1);
	assert_int_equal(now - START, 5);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/* The wait lasts HOLD_WAIT_MS: a vCPU that syncs by its end (the relax after it) is waited for. */
static void test_a_vcpu_syncing_by_the_end_of_the_wait_is_not_given_up_on(void **state)
{
	(void)state;
	holders = 1u << 1;
	out_for(1, LIMIT + 1);
	assert_int_equal(held_access(), 0);
	assert_int_equal(tries, 2);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/*
 * One that does not is given up on: its list registers taken as filled
 * (vgic_lr_abandon()), said with the vCPUs still out, and the access made on
 * the model as it is. A vCPU that synced is not named.
 */
static void test_a_vcpu_not_syncing_in_time_is_given_up_on(void **state)
{
	(void)state;
	holders = 1u << 1;
	out_for(1, LIMIT + 2);
	out_for(2, 3);
	assert_int_equal(held_access(), 0);
	assert_int_equal(tries, 2);
	assert_int_equal(now - START, LIMIT + 1);
	assert_false(cell.vgic.vcpus[1].lrs_out);
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_logged("E: gamma: vGIC: vCPU mask 0x2 did not leave its guest within 100 ms to "
		      "sync its list registers; their interrupts' state is read as of their last "
		      "entry (reported once for this cell)");
}

/*
 * The wait bounds the access as a whole, not each try: refused again after
 * a give-up (another vCPU entered its guest meanwhile, listing what the
 * access names), the access kicks it but gives up on it at once.
 */
static void test_an_access_refused_again_after_the_wait_gives_up_at_once(void **state)
{
	(void)state;
	holders = 1u << 1 | 1u << 2;
	out_for(1, NEVER);
	enter_at[2] = START + LIMIT / 2;
	delay[2] = NEVER;
	assert_int_equal(held_access(), 0);
	assert_int_equal(tries, 3);
	assert_int_equal(kicks, 2);
	assert_int_equal(kicked, 0x6);
	assert_int_equal(now - START, LIMIT + 1);
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/* Said once per cell: a second give-up of the same cell is not, another cell's is. */
static void test_a_give_up_is_said_once_per_cell(void **state)
{
	(void)state;
	holders = 1u << 1;
	out_for(1, NEVER);
	assert_int_equal(held_access(), 0);
	out_for(1, NEVER);
	tries = 0;
	assert_int_equal(held_access(), 0);
	assert_int_equal(tries, 2);
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	cell.id = next_id++;
	out_for(1, NEVER);
	tries = 0;
	assert_int_equal(held_access(), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 2);
}

/* --- a fill's wait for the holds --------------------------------------------------- */

/* No hold: no wait. */
static void test_a_fill_without_holds_does_not_wait(void **state)
{
	(void)state;
	vgic_hw_wait_holds(&cell);
	assert_int_equal(relaxes, 0);
}

/* A hold: waited for until it ends, HOLD_WAIT_MS at most (the relax after it). */
static void test_a_fill_waits_for_a_hold_to_end_within_the_bound(void **state)
{
	(void)state;
	cell.vgic.holds = 1;
	hold_ends_at = START + 7;
	vgic_hw_wait_holds(&cell);
	assert_int_equal(cell.vgic.holds, 0);
	assert_int_equal(now - START, 7);

	setup(NULL);
	cell.vgic.holds = 1;
	hold_ends_at = START + LIMIT + 1;
	vgic_hw_wait_holds(&cell);
	assert_int_equal(cell.vgic.holds, 0);
}

static void test_a_fill_waits_no_longer_than_the_bound(void **state)
{
	(void)state;
	cell.vgic.holds = 1;
	hold_ends_at = START + LIMIT + 2;
	vgic_hw_wait_holds(&cell);
	assert_int_equal(cell.vgic.holds, 1);
	assert_int_equal(now - START, LIMIT + 1);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_an_access_the_model_takes_is_made_once_without_a_kick),
		T(test_an_access_refused_otherwise_is_not_made_again),
		T(test_a_refused_access_is_made_once_the_other_vcpus_synced),
		T(test_a_vcpu_entering_its_guest_meanwhile_is_not_waited_for),
		T(test_a_vcpu_syncing_by_the_end_of_the_wait_is_not_given_up_on),
		T(test_a_vcpu_not_syncing_in_time_is_given_up_on),
		T(test_an_access_refused_again_after_the_wait_gives_up_at_once),
		T(test_a_give_up_is_said_once_per_cell),
		T(test_a_fill_without_holds_does_not_wait),
		T(test_a_fill_waits_for_a_hold_to_end_within_the_bound),
		T(test_a_fill_waits_no_longer_than_the_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
