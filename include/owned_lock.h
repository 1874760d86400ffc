/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A lock whose word is its holder: 0 while free, else the holding CPU's
 * index + 1, written by the one compare-and-swap that takes it. A CPU that
 * faults at EL2 parks (arch_cpu_park()) and never lets go of a lock it holds;
 * a spinlock with its holder stored beside it left one instruction after the
 * take in which such a fault made the lock held by nobody known, and every
 * later taker spun for ever with its interrupts masked. Here a taker always
 * knows the holder, and gives up once that holder is this CPU (a fault
 * inside, its cell's stop run next on the same CPU) or one parked since;
 * the caller then says what it did not do. A holder that runs is waited for.
 * Compiler atomics, inline LDAXR/STXR on Armv8.0 (-mno-outline-atomics):
 * Normal cacheable memory only, as struct spinlock.
 */
#ifndef BULKHEAD_OWNED_LOCK_H
#define BULKHEAD_OWNED_LOCK_H

#include <stdbool.h>
#include "arch/cpu.h"

struct owned_lock {
	unsigned int holder; /* 0: free, else the holding CPU's index + 1; __atomic */
};

#define OWNED_LOCK_INIT \
	{               \
		0       \
	}

/* Taken if free now, else false at once: for a fault's path, which must not wait. */
static inline bool owned_lock_take_now(struct owned_lock *l)
{
	unsigned int free = 0;

	return __atomic_compare_exchange_n(&l->holder, &free, arch_cpu_index() + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* lib/owned_lock.c: owned_lock_take()'s wait, once the lock was not free. */
bool owned_lock_wait(struct owned_lock *l);

/*
 * Taken, waiting as long as its holder runs; false, not taken, if the
 * holder is this CPU or parked: it is held for ever.
 */
static inline bool owned_lock_take(struct owned_lock *l)
{
	return owned_lock_take_now(l) || owned_lock_wait(l);
}

static inline void owned_lock_release(struct owned_lock *l)
{
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELEASE);
}

/* The holding CPU's index, or -1 while free: after owned_lock_take() failed, the lost one. */
static inline int owned_lock_holder(const struct owned_lock *l)
{
	return (int)__atomic_load_n(&l->holder, __ATOMIC_RELAXED) - 1;
}

#endif
