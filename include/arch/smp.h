/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARCH_SMP_H
#define BULKHEAD_ARCH_SMP_H

#include <stdbool.h>
#include <stdint.h>
#include "platform.h"

/*
 * Start every CPU of @plat other than the calling one through the firmware's
 * PSCI CPU_ON, one at a time, each reporting in before the next starts.
 * Returns the number of CPUs online, the caller included. One that cannot
 * be started, does not report in, or cannot set up its GIC is not online:
 * it parks, and no cell can use it (arch_cpu_offline_why() says why).
 */
unsigned int arch_smp_start_secondaries(const struct platform *plat);
/*
 * The CPUs in @cpus (bit N: logical CPU N) did not take the boot CPU's IPI
 * self-test (gic_selftest_ping()): they are no longer online. Returns the
 * CPUs online now.
 */
unsigned int arch_smp_withdraw(uint32_t cpus);

/*
 * The boot is done (boot/boot_state.c): the boot CPU built and started every cell
 * and let the secondaries go to run them. Until then no guest instruction
 * runs, and a fault on the boot CPU, or on a CPU online waiting for the
 * boot's end, is the boot's (arch/arm64/exception.c).
 */
bool boot_is_done(void);
/*
 * This CPU faulted: true if the boot was not done, which now it never is
 * (the boot CPU stops it at its next look, boot_check_stopped(), or at its
 * end); false if it was done first.
 */
bool boot_stop_for_fault(void);
/* "boot stopped: a hypervisor fault on CPU @cpu before the boot was done ...", and park. */
void boot_stopped_by_fault(unsigned int cpu) __attribute__((noreturn));
/* The boot CPU, before a step of the boot: if a fault stopped the boot, it stops here. */
void boot_check_stopped(void);
/*
 * The boot CPU, its cells built and started: the boot is done (boot_is_done()),
 * unless a fault on another CPU stopped it first, and then it stops here.
 */
void boot_mark_done(void);
/* Called on each secondary once it runs with its MMU on (boot/main.c). */
void boot_secondary(unsigned int index) __attribute__((noreturn));

#endif
