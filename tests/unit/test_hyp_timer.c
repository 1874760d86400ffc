// SPDX-License-Identifier: GPL-2.0-only
/*
 * The EL2 timer's users on one CPU (partitions/hyp_timer.c): the console's
 * lone ESC and the cell's watchdog check share the boot CPU's CNTHP. The
 * timer is armed for the nearest deadline; a fire runs only the users due,
 * and neither one's re-arm or stop moves the other's deadline. The test
 * plays the counter, the timer's compare value and both users.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "gic.h"
#include "hyp_timer.h"
#include "manage.h"

#define WDT_PERIOD 1000 /* ticks: the watchdog's check re-arms itself by this */
#define NONE	   0	/* the timer stopped */

static uint64_t now, cval;
static unsigned int enables, console_runs, watchdog_runs;

/* --- what hyp_timer.c calls ------------------------------------------------ */

unsigned int arch_cpu_index(void)
{
	return 0;
}

uint64_t arch_counter_read(void)
{
	return now;
}

void arch_hyp_timer_arm_at(uint64_t count)
{
	cval = count;
}

void arch_hyp_timer_stop(void)
{
	cval = NONE;
}

void gic_irq_enable(uint32_t intid)
{
	assert_int_equal(intid, ARCH_HYP_TIMER_INTID);
	enables++;
}

/*
 * A user's run that leaves for the CPU's loop and does not come back, as the
 * watchdog's restart of this CPU's cell does: to @left.
 */
static bool console_leaves, watchdog_leaves;
static jmp_buf left;

void console_mux_timer(void)
{
	console_runs++;
	if (console_leaves)
		longjmp(left, 1);
}

/* As watchdog.c's does: its next check armed first. */
void watchdog_timer_irq(void)
{
	watchdog_runs++;
	hyp_timer_arm(HYP_TIMER_WATCHDOG, WDT_PERIOD);
	if (watchdog_leaves)
		longjmp(left, 1);
}

/* --- helpers --------------------------------------------------------------- */

/* The counter runs to @to, the timer firing on its way whenever it reaches the compare value. */
static void run_to(uint64_t to)
{
	while (cval != NONE && cval <= to) {
		now = cval > now ? cval : now; /* one armed in the past fires at once */
		hyp_timer_irq();
	}
	now = to;
}

static int setup(void **state)
{
	(void)state;
	hyp_timer_stop(HYP_TIMER_CONSOLE);
	hyp_timer_stop(HYP_TIMER_WATCHDOG);
	now = 100000;
	console_runs = watchdog_runs = 0;
	console_leaves = watchdog_leaves = false;
	return 0;
}

/* --- tests ----------------------------------------------------------------- */

static void test_the_timer_is_armed_for_the_nearest_deadline(void **state)
{
	(void)state;
	hyp_timer_arm(HYP_TIMER_WATCHDOG, WDT_PERIOD);
	hyp_timer_arm(HYP_TIMER_CONSOLE, 30);
	assert_int_equal(cval, now + 30);
	hyp_timer_stop(HYP_TIMER_CONSOLE);
	assert_int_equal(cval, now + WDT_PERIOD);
	hyp_timer_stop(HYP_TIMER_WATCHDOG);
	assert_int_equal(cval, NONE);
	assert_int_equal(enables, 1); /* the PPI once, on first use (this CPU's) */
}

/* The console's fire is not a watchdog check, and the watchdog's checks stay on their period. */
static void test_a_console_deadline_neither_runs_nor_moves_the_watchdogs_check(void **state)
{
	uint64_t start = now;

	(void)state;
	hyp_timer_arm(HYP_TIMER_WATCHDOG, WDT_PERIOD);
	hyp_timer_arm(HYP_TIMER_CONSOLE, 30);
	run_to(start + 30);
	assert_int_equal(console_runs, 1);
	assert_int_equal(watchdog_runs, 0);
	assert_int_equal(cval, start + WDT_PERIOD);
	run_to(start + 2 * WDT_PERIOD);
	assert_int_equal(watchdog_runs, 2);
	assert_int_equal(console_runs, 1);
}

/* A watchdog check that falls inside the console's wait re-arms itself, not past the console. */
static void test_the_watchdogs_rearm_keeps_the_consoles_deadline(void **state)
{
	uint64_t start = now;

	(void)state;
	hyp_timer_arm(HYP_TIMER_WATCHDOG, 10);
	hyp_timer_arm(HYP_TIMER_CONSOLE, 30);
	run_to(start + 10);
	assert_int_equal(watchdog_runs, 1);
	assert_int_equal(cval, start + 30);
	run_to(start + 30);
	assert_int_equal(console_runs, 1);
	assert_int_equal(cval, start + 10 + WDT_PERIOD);
}

/* Both due at once (this CPU had its interrupts masked past both): each runs, once. */
static void test_both_due_run_once_each(void **state)
{
	uint64_t start = now;

	(void)state;
	hyp_timer_arm(HYP_TIMER_WATCHDOG, 10);
	hyp_timer_arm(HYP_TIMER_CONSOLE, 20);
	now = start + 50;
	hyp_timer_irq();
	assert_int_equal(console_runs, 1);
	assert_int_equal(watchdog_runs, 1);
	assert_int_equal(cval, start + 50 + WDT_PERIOD);
}

/* Both due at once, and the first to run does not come back: the other's deadline is kept. */
static void fire_both_due_and_leave(bool *leaves)
{
	uint64_t start = now;

	hyp_timer_arm(HYP_TIMER_WATCHDOG, 10);
	hyp_timer_arm(HYP_TIMER_CONSOLE, 20);
	now = start + 50;
	*leaves = true;
	if (!setjmp(left))
		hyp_timer_irq();
	*leaves = false;
	assert_true(console_runs || watchdog_runs);
	assert_int_not_equal(cval, NONE);
	run_to(start + 50 + WDT_PERIOD - 1);
	assert_int_equal(console_runs, 1);
	assert_int_equal(watchdog_runs, 1);
}

/*
 * Until 2026-11-25 a fire took both due deadlines before running either: a
 * console run that did not come back (its drain running a shell command)
 * lost the watchdog's check for good, and the cell was watched no more.
 */
static void test_a_run_that_does_not_come_back_loses_no_other_deadline(void **state)
{
	(void)state;
	fire_both_due_and_leave(&console_leaves);
	setup(state);
	fire_both_due_and_leave(&watchdog_leaves);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_the_timer_is_armed_for_the_nearest_deadline, setup),
		cmocka_unit_test_setup(
			test_a_console_deadline_neither_runs_nor_moves_the_watchdogs_check, setup),
		cmocka_unit_test_setup(test_the_watchdogs_rearm_keeps_the_consoles_deadline, setup),
		cmocka_unit_test_setup(test_both_due_run_once_each, setup),
		cmocka_unit_test_setup(test_a_run_that_does_not_come_back_loses_no_other_deadline,
				       setup),
	};

	return cmocka_run_group_tests_name("hyp_timer", tests, NULL, NULL);
}
