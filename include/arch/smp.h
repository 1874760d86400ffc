/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARCH_SMP_H
#define BULKHEAD_ARCH_SMP_H

#include <stdbool.h>
#include "platform.h"

/*
 * Start every CPU of @plat other than the calling one through the firmware's
 * PSCI CPU_ON, one at a time, each reporting in before the next starts.
 * Returns the number of CPUs online, the caller included.
 */
unsigned int arch_smp_start_secondaries(const struct platform *plat);
bool arch_cpu_parked(unsigned int index);

/* Called on each secondary once it runs with its MMU on (boot/main.c). */
void boot_secondary(unsigned int index) __attribute__((noreturn));

#endif
