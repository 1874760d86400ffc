// SPDX-License-Identifier: GPL-2.0-only
/* The take of a spinlock that gives up on a lost holder (include/spinlock.h). */
#include "spinlock.h"

/* The CPU a lock names as its holder (spin_self() there) has parked for good. */
static bool holder_parked(uintptr_t holder)
{
#ifdef BULKHEAD_HOST
	return arch_cpu_parked((unsigned int)holder - 1);
#else
	return arch_cpu_local_parked(holder);
#endif
}

/*
 * Marked by its holder (cell_locks_lost()), or held by a CPU parked since.
 * Parked is read after the holder, and the holder again after that: a CPU
 * lets go of the lock (clears the holder) before it can park (its state
 * stored with release, read with acquire, arch/arm64/smp.c), so one seen
 * parked while still named holds it for good. Read once, a holder that let
 * go, then parked, looked lost holding a lock taken by another since (as
 * lib/owned_lock.c's holder_lost()).
 */
static bool holder_gone(const struct spinlock *l)
{
	uintptr_t holder = __atomic_load_n(&l->holder, __ATOMIC_ACQUIRE);

	if (holder & SPIN_HOLDER_LOST)
		return true;
	if (!holder || !holder_parked(holder))
		return false;
	return __atomic_load_n(&l->holder, __ATOMIC_ACQUIRE) == holder;
}

bool spin_lock_unless_lost(struct spinlock *l)
{
	while (!spin_trylock(l)) {
		if (holder_gone(l))
			return false;
		spin_relax();
	}
	return true;
}
