// SPDX-License-Identifier: GPL-2.0-only
/*
 * Debian's libfdt.a is built with -fstack-protector-strong. The guard is a
 * constant: there is no entropy this early, and the check is only a
 * tripwire for a libfdt bug, not a defence against an attacker.
 */
#include <stdint.h>
#include "panic.h"

uintptr_t __stack_chk_guard = 0x2f8b1d5a9c3e4b71ULL;

void __stack_chk_fail(void)
{
	panic("stack protector tripped inside libfdt");
}
