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
	/*
	 * Its holder's spin_self(), stored as it takes the lock and cleared as
	 * it lets go; | SPIN_HOLDER_LOST once that CPU is lost at EL2 holding
	 * it (spin_mark_lost()): nobody waits for it then. __atomic.
	 */
	uintptr_t holder;
};

#define SPINLOCK_INIT   \
	{               \
		0, 0, 0 \
	}

#define SPIN_HOLDER_LOST ((uintptr_t)1 << (sizeof(uintptr_t) * 8 - 1))

/*
 * This CPU, as a lock names its holder: its struct cpu_local's address
 * (TPIDR_EL2), one register read, no load. 0 before it is set in boot/head.S:
 * a lock taken then names nobody. The host tests' CPU is arch_cpu_index().
 */
static inline uintptr_t spin_self(void)
{
#ifdef BULKHEAD_HOST
	return (uintptr_t)arch_cpu_index() + 1;
#else
	uintptr_t self;

	__asm__("mrs %0, tpidr_el2" : "=r"(self)); /* the same for as long as the CPU runs */
	return self;
#endif
}

/* BRK's comment for spin_lost_trap(). */
#define SPIN_WAIT_LOST_BRK 0x5b1

#ifdef BULKHEAD_HOST
/* The host builds' stand-in for the BRK and exception.c's handling of it. */
void spin_wait_lost(const struct spinlock *l) __attribute__((noreturn));
#endif

/*
 * A waiter found the lock's holder lost at EL2: the lock is held for good,
 * and this CPU is lost with it (exception_dispatch(), cell_cpu_waits_lost()).
 * An exception rather than a call (as Linux's BUG() on arm64 is a BRK):
 * taking a lock calls nothing, and a function whose only call was
 * spin_lock() needs no frame or saved registers (docs/performance.md, 52).
 */
static inline __attribute__((noreturn)) void spin_lost_trap(const struct spinlock *l)
{
#ifdef BULKHEAD_HOST
	spin_wait_lost(l);
#else
	(void)l;
	__asm__ volatile("brk %0" ::"i"(SPIN_WAIT_LOST_BRK));
	__builtin_unreachable();
#endif
}

static inline bool spin_holder_lost(const struct spinlock *l)
{
	return __atomic_load_n(&l->holder, __ATOMIC_RELAXED) & SPIN_HOLDER_LOST;
}

/* On a CPU lost at EL2: @l, if this CPU holds it, is marked so. Whether it was. */
static inline bool spin_mark_lost(struct spinlock *l)
{
	uintptr_t self = spin_self();

	return self && __atomic_compare_exchange_n(&l->holder, &self, self | SPIN_HOLDER_LOST,
						   false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
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

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
		if (__builtin_expect(spin_holder_lost(l), 0))
			spin_lost_trap(l);
		spin_relax();
	}
	__atomic_store_n(&l->holder, spin_self(), __ATOMIC_RELAXED);
}

/* The lock if it is free now, else false at once: owner == next, and next still ours to take. */
static inline bool spin_trylock(struct spinlock *l)
{
	uint16_t ticket = __atomic_load_n(&l->next, __ATOMIC_RELAXED);

	if (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket ||
	    !__atomic_compare_exchange_n(&l->next, &ticket, (uint16_t)(ticket + 1), false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	__atomic_store_n(&l->holder, spin_self(), __ATOMIC_RELAXED);
	return true;
}

/*
 * @l for a CPU that gives up on a holder lost at EL2 (lib/spinlock.c): false,
 * not taken, at once, if its holder marked it lost (spin_mark_lost(), in the
 * report of its fault, before it waits for anything) or parked holding it
 * (a lock it took on its way to park, after its marks); a live holder is
 * waited for. For a CPU outside the lock's cell (the shell's, a management
 * cell's, the console's), which must not become lost with it: the caller
 * does without, and says so (cell_lock_lost_say()). Out of line: its callers
 * are the console's, the shell's and management calls, not a trap's.
 */
bool spin_lock_unless_lost(struct spinlock *l);

#ifdef BULKHEAD_HOST
/* The host builds' report of a lock not held where it must be (tools/spin_host.c). */
void spin_not_held(const struct spinlock *l) __attribute__((noreturn));
#endif

/*
 * Data that @l guards is about to change: this CPU must hold @l. Checked in
 * the host builds only (the unit tests, the fuzz targets), where a change
 * made without its lock is otherwise invisible, one thread playing every
 * CPU; nothing at EL2.
 */
static inline void spin_assert_held(const struct spinlock *l)
{
#ifdef BULKHEAD_HOST
	if ((__atomic_load_n(&l->holder, __ATOMIC_RELAXED) & ~SPIN_HOLDER_LOST) != spin_self())
		spin_not_held(l);
#else
	(void)l;
#endif
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELAXED); /* before the release below */
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

#endif
