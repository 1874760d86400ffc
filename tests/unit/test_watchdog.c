// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cell watchdogs (partitions/watchdog.c) with long timeouts: the check period
 * is a fiftieth of the timeout, in counter ticks, and reaches the EL2 timer
 * whole, however long. A 2-minute watchdog at 1 GHz (Armv8.6 mandates that
 * frequency) checks every 2.4e9 ticks, past INT32_MAX: the EL2 timer (hyp_timer.c)
 * must take any 64-bit count (it writes CNTHP_CVAL_EL2; CNTHP_TVAL_EL2, a
 * signed 32-bit count, took that as a deadline in the past and flooded the
 * CPU with interrupts). What a register does with the value no host test can
 * see: tests/scenarios/test_lifecycle.py boots such watchdogs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "cell.h"
#include "fault.h"
#include "hyp_timer.h"
#include "manage.h"

#define GHZ	1000000000ULL
#define QEMU_HZ 62500000ULL /* QEMU's cortex-a53 */

static struct layout_cell cfg = { .label = "wdt", .on_fault = LAYOUT_ON_FAULT_RESTART };
static struct cell cell = { .cfg = &cfg };
static uint64_t now, freq, armed, fired_late_ms;
static unsigned int arms, stops, fired;

/* --- what watchdog.c calls ------------------------------------------------- */

uint64_t arch_counter_read(void)
{
	return now;
}

uint64_t arch_counter_freq(void)
{
	return freq;
}

unsigned int arch_cpu_index(void)
{
	return 1;
}

struct vcpu *cells_pcpu_vcpu[PLATFORM_MAX_CPUS];

void hyp_timer_arm(enum hyp_timer_user user, uint64_t ticks)
{
	assert_int_equal(user, HYP_TIMER_WATCHDOG);
	armed = ticks;
	arms++;
}

void hyp_timer_stop(enum hyp_timer_user user)
{
	assert_int_equal(user, HYP_TIMER_WATCHDOG);
	stops++;
}

void fault_watchdog(struct cell *c, uint64_t late_ms)
{
	assert_ptr_equal(c, &cell);
	fired++;
	fired_late_ms = late_ms;
}

/* --- helpers --------------------------------------------------------------- */

/* @cell, RUNNING on its boot vCPU's CPU 1, with a watchdog of @ms at @hz, just started. */
static void run_cell(uint64_t hz, uint32_t ms)
{
	freq = hz;
	cfg.watchdog_ms = ms;
	cell.vcpus[0] = (struct vcpu){ .cell = &cell, .index = 0, .pcpu = 1 };
	cells_pcpu_vcpu[1] = &cell.vcpus[0];
	cell.wdt_armed = false;
	cell.state = CELL_RUNNING;
	now = 1000;
	armed = arms = stops = fired = 0;
	watchdog_kick(&cell); /* as a start does */
	watchdog_cpu_init(&cell.vcpus[0]);
}

static void assert_period(uint64_t want)
{
	if (armed != want)
		fail_msg("the check was armed for %llu ticks; want %llu (a fiftieth of the "
			 "timeout, whole)",
			 (unsigned long long)armed, (unsigned long long)want);
}

/* --- tests ----------------------------------------------------------------- */

static void test_two_minute_watchdog_at_1ghz_is_checked_every_2_4_s(void **state)
{
	(void)state;
	run_cell(GHZ, 120000);
	assert_period(2400000000ULL);
	now += armed;
	watchdog_timer_irq();
	assert_int_equal(arms, 2);
	assert_period(2400000000ULL); /* re-armed with the same period, not a negative one */
	assert_int_equal(fired, 0);
}

static void test_longest_watchdog_is_checked_every_fiftieth_of_it(void **state)
{
	(void)state;
	run_cell(GHZ, UINT32_MAX);
	assert_period(GHZ / 1000 * UINT32_MAX / 50);
}

static void test_long_watchdog_fires_after_its_timeout_not_before(void **state)
{
	uint64_t timeout = QEMU_HZ / 1000 * 2000000;

	(void)state;
	run_cell(QEMU_HZ, 2000000);
	assert_period(timeout / 50);
	now += timeout;
	watchdog_timer_irq();
	assert_int_equal(fired, 0);
	now += 1;
	watchdog_timer_irq();
	assert_int_equal(fired, 1);
	assert_int_equal(fired_late_ms, 2000000);
	assert_int_equal(stops, 0);
}

/* Another CPU's kick stamped a tick after the check read the counter: not overdue. */
static void test_a_kick_stamped_after_the_checks_read_is_not_overdue(void **state)
{
	(void)state;
	run_cell(QEMU_HZ, 500);
	cell.wdt_last_kick = now + 1;
	watchdog_timer_irq();
	assert_int_equal(fired, 0);
}

/* Only the boot vCPU arms the check: the timer interrupt on another CPU stops it for good. */
static void test_only_the_boot_vcpu_arms_the_check(void **state)
{
	(void)state;
	freq = QEMU_HZ;
	cfg.watchdog_ms = 500;
	cell.vcpus[0] = (struct vcpu){ .cell = &cell, .index = 0, .pcpu = 1 };
	cell.vcpus[1] = (struct vcpu){ .cell = &cell, .index = 1, .pcpu = 2 };
	cell.wdt_armed = false;
	arms = 0;
	watchdog_cpu_init(&cell.vcpus[1]);
	assert_int_equal(arms, 0);
	assert_false(cell.wdt_armed);
	watchdog_cpu_init(&cell.vcpus[0]);
	assert_int_equal(arms, 1);
}

/* A cell that is not running is not overdue, however long since its last kick. */
static void test_a_cell_not_running_is_never_overdue(void **state)
{
	static const enum cell_state not_running[] = { CELL_STOPPED, CELL_LOADING, CELL_STOPPING };

	(void)state;
	for (size_t i = 0; i < sizeof(not_running) / sizeof(not_running[0]); i++) {
		run_cell(QEMU_HZ, 500);
		cell.state = not_running[i];
		now += QEMU_HZ * 10;
		watchdog_timer_irq();
		assert_int_equal(fired, 0);
	}
	cell.state = CELL_RUNNING;
	watchdog_timer_irq();
	assert_int_equal(fired, 1);
}

/* 32 768 Hz: 32.768 ticks a ms, not 32 (a kick every 992 ms of 1000 was judged late). */
static void test_a_32khz_counter_times_a_second_to_the_tick(void **state)
{
	(void)state;
	run_cell(32768, 1000);
	now += 32500; /* 992 ms */
	watchdog_timer_irq();
	assert_int_equal(fired, 0);
	now += 268; /* 1000 ms */
	watchdog_timer_irq();
	assert_int_equal(fired, 0);
	now += 1;
	watchdog_timer_irq();
	assert_int_equal(fired, 1);
	assert_int_equal(fired_late_ms, 1000);
}

/* Below 1 kHz: a timeout of whole ticks, a check every tick at least, no division by 0. */
static void test_a_counter_slower_than_1khz_still_times_the_watchdog(void **state)
{
	(void)state;
	run_cell(500, 100); /* 50 ticks */
	assert_period(1);
	now += 50;
	watchdog_timer_irq();
	assert_int_equal(fired, 0);
	now += 1;
	watchdog_timer_irq();
	assert_int_equal(fired, 1);
	assert_int_equal(fired_late_ms, 102);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_minute_watchdog_at_1ghz_is_checked_every_2_4_s),
		cmocka_unit_test(test_longest_watchdog_is_checked_every_fiftieth_of_it),
		cmocka_unit_test(test_long_watchdog_fires_after_its_timeout_not_before),
		cmocka_unit_test(test_a_kick_stamped_after_the_checks_read_is_not_overdue),
		cmocka_unit_test(test_only_the_boot_vcpu_arms_the_check),
		cmocka_unit_test(test_a_cell_not_running_is_never_overdue),
		cmocka_unit_test(test_a_32khz_counter_times_a_second_to_the_tick),
		cmocka_unit_test(test_a_counter_slower_than_1khz_still_times_the_watchdog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
