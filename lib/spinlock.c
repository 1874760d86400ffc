// SPDX-License-Identifier: GPL-2.0-only
/* The take of a spinlock that gives up on a lost holder (include/spinlock.h). */
#include "spinlock.h"

bool spin_lock_unless_lost(struct spinlock *l, const uint32_t *lost)
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
