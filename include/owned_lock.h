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
	/* 0: free, else the holding CPU's index + 1, | OWNED_LOCK_LOST; __atomic */
	unsigned int holder;
};

#define OWNED_LOCK_INIT \
	{               \
		0       \
	}

/* In the word beside the holder: it faulted holding the lock (owned_locks_lost()). */
#define OWNED_LOCK_LOST (1u << 31)

/* Taken if free now, else false at once: for a fault's path, which must not wait. */
bool owned_lock_take_now(struct owned_lock *l);

/*
 * Taken, waiting as long as its holder runs; false, not taken, if the
 * holder is this CPU, faulted holding it or parked: it is held for ever.
 */
bool owned_lock_take(struct owned_lock *l);

static inline void owned_lock_release(struct owned_lock *l)
{
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELEASE);
}

/* The holding CPU's index, or -1 while free: after owned_lock_take() failed, the lost one. */
static inline int owned_lock_holder(const struct owned_lock *l)
{
	return (int)(__atomic_load_n(&l->holder, __ATOMIC_RELAXED) & ~OWNED_LOCK_LOST) - 1;
}

/*
 * At the start of this CPU's fault report: every owned lock it holds is
 * marked lost, so that nobody waits for it while the CPU, not parked yet,
 * stops its cell (which may itself wait for ever for a spinlock it held).
 */
void owned_locks_lost(void);

#endif
