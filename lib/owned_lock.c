// SPDX-License-Identifier: GPL-2.0-only
/* The wait of a taker that found an owned lock held (include/owned_lock.h). */
#include "owned_lock.h"

/*
 * The holder is this CPU or one parked since: held for ever. Parked is read
 * after the holder, and the holder again after that: a CPU lets the lock go
 * (a release) before it can park (its state stored with release, read with
 * acquire, arch/arm64/smp.c), so one seen parked while still named holds it
 * for good. Read once, a holder that let go, then faulted elsewhere and
 * parked, looked lost holding a free lock.
 */
static bool holder_lost(const struct owned_lock *l)
{
	unsigned int holder = __atomic_load_n(&l->holder, __ATOMIC_ACQUIRE);

	if (!holder || (holder - 1 != arch_cpu_index() && !arch_cpu_parked(holder - 1)))
		return false;
	return __atomic_load_n(&l->holder, __ATOMIC_ACQUIRE) == holder;
}

bool owned_lock_wait(struct owned_lock *l)
{
	for (;;) {
		if (holder_lost(l))
			return false;
		arch_cpu_relax();
		/* Read before the compare-and-swap: waiters do not take the line from the holder.
		 */
		if (!__atomic_load_n(&l->holder, __ATOMIC_RELAXED) && owned_lock_take_now(l))
			return true;
	}
}
