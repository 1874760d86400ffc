// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lock whose word is its holder (include/owned_lock.h, lib/owned_lock.c),
 * with CPUs played by the test: which one runs the code and which are parked
 * (fake_cpus.c), and what a live holder does while a taker waits
 * (arch_cpu_relax()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fake_cpus.h"

/* Far more waits than any test's holder takes: a taker that spins for ever. */
#define RELAX_LIMIT 1000000u

static struct owned_lock lock;
static unsigned int relaxes;
/* The live holder lets go after this many waits (0: never). */
static unsigned int holder_lets_go_after;

void arch_cpu_relax(void)
{
	if (++relaxes == holder_lets_go_after)
		owned_lock_release(&lock);
	if (relaxes > RELAX_LIMIT)
		fail_msg("the taker waited %u times without end", RELAX_LIMIT);
}

static int setup(void **state)
{
	(void)state;
	lock = (struct owned_lock)OWNED_LOCK_INIT;
	fake_cpus_reset(0);
	relaxes = 0;
	holder_lets_go_after = 0;
	return 0;
}

static void test_a_free_lock_is_taken_at_once_and_names_its_taker(void **state)
{
	(void)state;
	assert_int_equal(owned_lock_holder(&lock), -1);
	fake_cpu = 3;
	assert_true(owned_lock_take(&lock));
	assert_int_equal(owned_lock_holder(&lock), 3);
	assert_int_equal(relaxes, 0);
	owned_lock_release(&lock);
	assert_int_equal(owned_lock_holder(&lock), -1);
}

/*
 * CPU 1 faults as it takes the lock, at the instant it asks which CPU it is,
 * and parks: the lock is free, never held by nobody known, and CPU 0 takes
 * it. A holder stored after the take (the SMMU's lock until 2026-11-25) left
 * a fault there holding the lock unnamed, and every taker spun for ever.
 */
static void test_a_cpu_lost_as_it_takes_the_lock_leaves_it_free(void **state)
{
	(void)state;
	fake_cpu1_faults_asking_its_index = true;
	fake_cpu = 1;
	if (!setjmp(fake_cpu_fault_point))
		owned_lock_take(&lock);
	fake_cpu = 0;
	assert_true(fake_parked_cpus & (1u << 1));
	assert_int_equal(owned_lock_holder(&lock), -1);
	assert_true(owned_lock_take(&lock));
	assert_int_equal(owned_lock_holder(&lock), 0);
}

/* Its holder parked inside (a fault: it never lets go): the taker gives up at once. */
static void test_a_taker_gives_up_on_a_parked_holder(void **state)
{
	(void)state;
	fake_cpu_takes(1, &lock);
	fake_parked_cpus = 1u << 1;
	assert_false(owned_lock_take(&lock));
	assert_int_equal(owned_lock_holder(&lock), 1);
	assert_int_equal(relaxes, 0);
}

/* Held by the taker itself (a fault inside, its cell's stop next on the same CPU): no wait. */
static void test_a_taker_gives_up_on_itself(void **state)
{
	(void)state;
	fake_cpu_takes(2, &lock);
	fake_cpu = 2;
	assert_false(owned_lock_take(&lock));
	assert_int_equal(owned_lock_holder(&lock), 2);
	assert_int_equal(relaxes, 0);
}

/* A holder that runs is waited for, however long: then the taker holds it. */
static void test_a_live_holder_is_waited_for(void **state)
{
	(void)state;
	fake_cpu_takes(1, &lock);
	holder_lets_go_after = 300000;
	assert_true(owned_lock_take(&lock));
	assert_int_equal(relaxes, 300000);
	assert_int_equal(owned_lock_holder(&lock), 0);
}

/*
 * The holder the taker read lets go, faults elsewhere and parks before the
 * taker looks whether it parked: the lock is free, not lost, and taken.
 */
static void test_a_holder_that_lets_go_then_parks_is_not_taken_as_lost(void **state)
{
	(void)state;
	fake_cpu_takes(1, &lock);
	fake_holder_parks_after_letting_go = &lock;
	assert_true(owned_lock_take(&lock));
	assert_int_equal(owned_lock_holder(&lock), 0);
	assert_true(fake_parked_cpus & (1u << 1));
}

/* The no-wait take: a held lock, even by a CPU that runs, is refused at once. */
static void test_take_now_refuses_a_held_lock_at_once(void **state)
{
	(void)state;
	fake_cpu_takes(1, &lock);
	assert_false(owned_lock_take_now(&lock));
	assert_int_equal(owned_lock_holder(&lock), 1);
	assert_int_equal(relaxes, 0);
	owned_lock_release(&lock);
	assert_true(owned_lock_take_now(&lock));
	assert_int_equal(owned_lock_holder(&lock), 0);
}

/*
 * CPU 1 faults holding the lock and reports it: until it parks it stops its
 * cell, which may wait for ever on a spinlock it held. The lock is marked
 * lost at the report's start: the taker gives up at once, not when CPU 1
 * parks, which may be never.
 */
static void test_a_holder_that_faulted_inside_is_given_up_on_before_it_parks(void **state)
{
	(void)state;
	fake_cpu_takes(1, &lock);
	fake_cpu = 1;
	owned_locks_lost();
	fake_cpu = 0;
	assert_false(owned_lock_take(&lock));
	assert_int_equal(owned_lock_holder(&lock), 1);
	assert_int_equal(relaxes, 0);
}

/* A lock CPU 1 takes after its fault (its cell's stop) is not lost: it is waited for. */
static void test_a_lock_taken_after_the_fault_is_waited_for(void **state)
{
	static struct owned_lock held_at_fault = OWNED_LOCK_INIT;

	(void)state;
	fake_cpu_takes(1, &held_at_fault);
	fake_cpu = 1;
	owned_locks_lost();
	fake_cpu_takes(1, &lock);
	fake_cpu = 0;
	holder_lets_go_after = 1000;
	assert_true(owned_lock_take(&lock));
	assert_int_equal(relaxes, 1000);
	assert_int_equal(owned_lock_holder(&lock), 0);
	assert_false(owned_lock_take(&held_at_fault));
}

/* A lock CPU 1 let go, now another's, is not marked by CPU 1's fault. */
static void test_a_fault_marks_only_the_locks_its_cpu_holds(void **state)
{
	(void)state;
	fake_cpu_takes(1, &lock);
	owned_lock_release(&lock);
	fake_cpu_takes(2, &lock);
	fake_cpu = 1;
	owned_locks_lost();
	assert_int_equal(__atomic_load_n(&lock.holder, __ATOMIC_RELAXED), 2 + 1);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_a_free_lock_is_taken_at_once_and_names_its_taker),
		T(test_a_cpu_lost_as_it_takes_the_lock_leaves_it_free),
		T(test_a_taker_gives_up_on_a_parked_holder),
		T(test_a_taker_gives_up_on_itself),
		T(test_a_live_holder_is_waited_for),
		T(test_a_holder_that_lets_go_then_parks_is_not_taken_as_lost),
		T(test_take_now_refuses_a_held_lock_at_once),
		T(test_a_holder_that_faulted_inside_is_given_up_on_before_it_parks),
		T(test_a_lock_taken_after_the_fault_is_waited_for),
		T(test_a_fault_marks_only_the_locks_its_cpu_holds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
