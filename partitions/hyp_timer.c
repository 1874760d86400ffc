// SPDX-License-Identifier: GPL-2.0-only
/*
 * One EL2 timer per CPU, and more than one user of it on the boot CPU: its
 * cell's watchdog check and the console's lone ESC (include/hyp_timer.h).
 * Each user's deadline is kept here and the timer armed for the nearest, so
 * neither delays nor stops the other's (a second periodic tick would cost
 * the boot CPU's guest an interrupt every period for nothing). Each CPU
 * touches only its own deadlines, with its interrupts masked: no lock.
 */
#include <stdbool.h>
#include "arch/cpu.h"
#include "gic.h"
#include "hyp_timer.h"
#include "manage.h"
#include "platform.h"

/* Counter values, 0 for none: the count starts at 0 and takes centuries to wrap. */
static uint64_t due[PLATFORM_MAX_CPUS][HYP_TIMER_USERS];
static bool enabled[PLATFORM_MAX_CPUS];

static void program(unsigned int cpu)
{
	uint64_t next = 0;
	unsigned int u;

	for (u = 0; u < HYP_TIMER_USERS; u++)
		if (due[cpu][u] && (!next || due[cpu][u] < next))
			next = due[cpu][u];
	if (next)
		arch_hyp_timer_arm_at(next);
	else
		arch_hyp_timer_stop();
}

void hyp_timer_arm(enum hyp_timer_user user, uint64_t ticks)
{
	unsigned int cpu = arch_cpu_index();

	if (!enabled[cpu]) {
		enabled[cpu] = true;
		gic_irq_enable(ARCH_HYP_TIMER_INTID);
	}
	due[cpu][user] = arch_counter_read() + (ticks ? ticks : 1);
	program(cpu);
}

void hyp_timer_stop(enum hyp_timer_user user)
{
	unsigned int cpu = arch_cpu_index();

	due[cpu][user] = 0;
	program(cpu);
}

/* @user's deadline on @cpu has passed: taken off, to be run once. */
static bool take_due(unsigned int cpu, enum hyp_timer_user user, uint64_t now)
{
	if (!due[cpu][user] || due[cpu][user] > now)
		return false;
	due[cpu][user] = 0;
	return true;
}

/*
 * One user at a time, its deadline taken and the timer re-armed for what is
 * left before it runs: the watchdog's policy may restart this CPU's cell and
 * not come back (it arms its next check first), and a user that does not
 * come back leaves the other's deadline armed, to fire on its own, not taken
 * and lost.
 */
void hyp_timer_irq(void)
{
	unsigned int cpu = arch_cpu_index();
	uint64_t now = arch_counter_read();

	if (take_due(cpu, HYP_TIMER_CONSOLE, now)) {
		program(cpu);
		console_mux_timer();
	}
	if (take_due(cpu, HYP_TIMER_WATCHDOG, now)) {
		program(cpu);
		watchdog_timer_irq();
	}
}
