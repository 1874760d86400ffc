// SPDX-License-Identifier: GPL-2.0-only
/* The take of a spinlock that gives up on a lost holder (include/spinlock.h). */
#include "spinlock.h"

bool spin_lock_unless_lost(struct spinlock *l)
{
	while (!spin_trylock(l)) {
		if (spin_holder_lost(l)) /* its holder marked it (cell_locks_lost()) */
			return false;
		spin_relax();
	}
	return true;
}
