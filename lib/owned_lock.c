// SPDX-License-Identifier: GPL-2.0-only
/* The lock whose word is its holder (include/owned_lock.h). */

#include "owned_lock.h"
#include "platform.h"

/*
 * The most owned locks a CPU holds at once: the SMMU's event queue lock, its
 * command queue's inside (a stream silenced as the queue drains), and a
 * UART's as either prints (uart_meson.c).
 */
#define OWNED_LOCK_NEST 3

/*
 * The owned locks each CPU took, noted before its compare-and-swap so that
 * a fault between the two still finds the lock: owned_locks_lost() marks
 * only one whose word names the CPU. A slot whose lock no longer names its
 * CPU is free again, so a release need not clear it.
 */
static struct owned_lock *noted[PLATFORM_MAX_CPUS][OWNED_LOCK_NEST];

static unsigned int named(const struct owned_lock *l)
{
	return __atomic_load_n(&l->holder, __ATOMIC_RELAXED) & ~OWNED_LOCK_LOST;
}

static void note(unsigned int self, struct owned_lock *l)
{
	unsigned int i;

	if (self >= PLATFORM_MAX_CPUS)
		return;
	for (i = 0; i < OWNED_LOCK_NEST; i++) {
		if (!noted[self][i] || named(noted[self][i]) != self + 1) {
			noted[self][i] = l;
			return;
		}
	}
}

bool owned_lock_take_now(struct owned_lock *l)
{
	unsigned int self = arch_cpu_index(), free = 0;

	note(self, l);
	return __atomic_compare_exchange_n(&l->holder, &free, self + 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

void owned_locks_lost(void)
{
	unsigned int self = arch_cpu_index(), i, mine;

	if (self >= PLATFORM_MAX_CPUS)
		return;
	for (i = 0; i < OWNED_LOCK_NEST; i++) {
		mine = self + 1;
		if (noted[self][i])
			__atomic_compare_exchange_n(&noted[self][i]->holder, &mine,
						    mine | OWNED_LOCK_LOST, false, __ATOMIC_RELAXED,
						    __ATOMIC_RELAXED);
	}
}

/*
 * The holder is this CPU, one that faulted holding it, or one parked
 * since: held for ever. Parked is read after the holder, and the holder
 * again after that: a CPU lets the lock go (a release) before it can park
 * (its state stored with release, read with acquire, arch/arm64/smp.c), so
 * one seen parked while still named holds it for good. Read once, a holder
 * that let go, then faulted elsewhere and parked, looked lost holding a
 * free lock. A holder that faulted holding it marked it lost itself; until
 * it parks it may still stop its cell, and wait there for ever.
 */
static bool holder_lost(const struct owned_lock *l)
{
	unsigned int holder = __atomic_load_n(&l->holder, __ATOMIC_ACQUIRE);

	if (holder & OWNED_LOCK_LOST)
		return true;
	if (!holder || (holder - 1 != arch_cpu_index() && !arch_cpu_parked(holder - 1)))
		return false;
	return __atomic_load_n(&l->holder, __ATOMIC_ACQUIRE) == holder;
}

bool owned_lock_take(struct owned_lock *l)
{
	if (owned_lock_take_now(l))
		return true;
	for (;;) {
		if (holder_lost(l))
			return false;
		arch_cpu_relax();
		/* Read first: waiters do not take the line from the holder. */
		if (!named(l) && owned_lock_take_now(l))
			return true;
	}
}
