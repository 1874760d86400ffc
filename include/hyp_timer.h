/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_HYP_TIMER_H
#define BULKHEAD_HYP_TIMER_H

#include <stdint.h>

/*
 * The EL2 physical timer (CNTHP, PPI 26) of a CPU, shared by what needs a
 * deadline there (partitions/hyp_timer.c): a cell's watchdog check on its
 * boot vCPU's CPU, the console's lone ESC on the CPU that takes the console's
 * input (the boot CPU). Each has its own deadline; the timer is armed for the
 * nearest, and a fire runs the ones that are due.
 */
enum hyp_timer_user {
	HYP_TIMER_CONSOLE,
	HYP_TIMER_WATCHDOG,
	HYP_TIMER_USERS,
};

/* On this CPU, interrupts masked: @user's deadline in @ticks (any count, at least 1), or none. */
void hyp_timer_arm(enum hyp_timer_user user, uint64_t ticks);
void hyp_timer_stop(enum hyp_timer_user user);
/* The timer's interrupt (gic/irq.c): the users due, each once; their next deadlines kept. */
void hyp_timer_irq(void);

#endif
