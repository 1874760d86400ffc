// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whether the boot is done. BOOT_RUNNING until the boot CPU has built and
 * started every cell (BOOT_DONE), or a hypervisor fault before that stopped
 * the boot (BOOT_STOPPED + the faulting CPU's index): whichever comes first,
 * by compare-and-swap (boot_mark_done(), boot_stop_for_fault()). Until then
 * no guest instruction runs, and a fault is the boot's (arch/arm64/exception.c).
 */
#include <stdbool.h>
#include "arch/cpu.h"
#include "arch/smp.h"
#include "console.h"
#include "log.h"

#define BOOT_RUNNING 0u
#define BOOT_DONE    1u
#define BOOT_STOPPED 2u
static unsigned int boot_state;

bool boot_is_done(void)
{
	return __atomic_load_n(&boot_state, __ATOMIC_ACQUIRE) == BOOT_DONE;
}

bool boot_stop_for_fault(void)
{
	unsigned int state = BOOT_RUNNING;

	if (__atomic_compare_exchange_n(&boot_state, &state, BOOT_STOPPED + arch_cpu_index(), false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return true;
	return state != BOOT_DONE; /* stopped already, by another CPU's fault */
}

void boot_stopped_by_fault(unsigned int cpu)
{
	log_err("boot stopped: a hypervisor fault on CPU %u before the boot was done (above): no "
		"cell runs",
		cpu);
	console_flush();
	arch_cpu_park();
}

void boot_check_stopped(void)
{
	unsigned int state = __atomic_load_n(&boot_state, __ATOMIC_ACQUIRE);

	if (state >= BOOT_STOPPED)
		boot_stopped_by_fault(state - BOOT_STOPPED);
}

void boot_mark_done(void)
{
	unsigned int state = BOOT_RUNNING;

	if (!__atomic_compare_exchange_n(&boot_state, &state, BOOT_DONE, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		boot_stopped_by_fault(state - BOOT_STOPPED);
}
