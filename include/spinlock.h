/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_SPINLOCK_H
#define BULKHEAD_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/cpu.h"

/*
 * Ticket lock on the compiler's atomics (built with -mno-outline-atomics, so
 * they are inline LDAXR/STLXR on Armv8.0). Only valid on Normal cacheable
 * memory, i.e. once the MMU is on: exclusives on Device memory are not
 * guaranteed to work.
 */
struct spinlock {
	uint16_t next;
	uint16_t owner;
};

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}

/*
 * The wait's pause: YIELD inline at EL2, so that taking a lock calls nothing
 * and a function whose only call was this one needs no frame or saved
 * registers for it (the vGIC's fill, sync and line paths: docs/performance.md,
 * 52). The host tests (BULKHEAD_HOST) give their own arch_cpu_relax().
 */
static inline void spin_relax(void)
{
#ifdef BULKHEAD_HOST
	arch_cpu_relax();
#else
	__asm__ volatile("yield" ::: "memory");
#endif
}

static inline void spin_lock(struct spinlock *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		spin_relax();
}

/* The lock if it is free now, else false at once: owner == next, and next still ours to take. */
static inline bool spin_trylock(struct spinlock *l)
{
	uint16_t ticket = __atomic_load_n(&l->next, __ATOMIC_RELAXED);

	if (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		return false;
	return __atomic_compare_exchange_n(&l->next, &ticket, (uint16_t)(ticket + 1), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * How many waits (spin_relax()) spin_lock_unless_lost() gives one holder
 * once its CPU's cell is marked lost. A live holder's sections are short:
 * it lets go well within these, and a CPU that takes and drops the lock
 * in a loop (vuart_flush()'s claim) is a new holder each time. A lost one
 * never lets go: the caller gives up after them, not at the first look.
 */
#define SPIN_LOST_TRIES 10000u

/*
 * @l for a CPU that gives up on a holder lost at EL2: false, not taken, once
 * *@lost is non-zero and one holder kept @l through SPIN_LOST_TRIES waits (a
 * cell's lost CPUs: include/cell.h, cell_lock_from_outside()); NULL: waited
 * for as spin_lock().
 */
static inline bool spin_lock_unless_lost(struct spinlock *l, const uint32_t *lost)
{
	uint16_t holder = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	unsigned int tries = 0;

	while (!spin_trylock(l)) {
		uint16_t now = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

		if (now != holder) { /* let go meanwhile: a live holder, or another waiter's turn */
			holder = now;
			tries = 0;
		} else if (lost && __atomic_load_n(lost, __ATOMIC_ACQUIRE) &&
			   ++tries >= SPIN_LOST_TRIES) {
			return false;
		}
		spin_relax();
	}
	return true;
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

#endif
