// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which CPUs are online after bring-up (arch/arm64/cpu_state.c), and why the
 * others are not. Only an online CPU may run a cell: one bound while parked,
 * abandoned or never reported in would never take its cell's start. The
 * test plays the boot CPU and the secondaries on the cpu_locals slots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "cpu_local.h"

union cpu_local_slot cpu_locals[MAX_CPUS];

/* As smp.c leaves a slot: the boot CPU online as CPU 0, CPU 1 (MPIDR 0x1) started. */
static int setup(void **state)
{
	(void)state;
	memset(cpu_locals, 0, sizeof(cpu_locals));
	cpu_local_of(0)->state = CPU_ONLINE;
	cpu_local_of(1)->index = 1;
	cpu_local_of(1)->mpidr = 0x1;
	return 0;
}

static void assert_offline_because(uint64_t mpidr, const char *why)
{
	const char *said = arch_cpu_offline_why(mpidr);

	if (arch_cpu_index_of_mpidr(mpidr) != -1)
		fail_msg("MPIDR 0x%lx counts as online (CPU %d)", (unsigned long)mpidr,
			 arch_cpu_index_of_mpidr(mpidr));
	if (!strstr(said, why))
		fail_msg("MPIDR 0x%lx: why \"%s\", expected it to say \"%s\"", (unsigned long)mpidr,
			 said, why);
}

static void test_cpu_that_reports_in_is_online(void **state)
{
	(void)state;
	assert_true(cpu_state_report_online(cpu_local_of(1)));
	assert_int_equal(arch_cpu_index_of_mpidr(0x1), 1);
	assert_int_equal(cpu_state_online(), 2);
}

/* A parked CPU once counted as online, and a cell could be bound to it. */
static void test_parked_cpu_is_not_online(void **state)
{
	(void)state;
	cpu_local_of(1)->state = CPU_PARKED;
	assert_offline_because(0x1, "stopped after an error");
	assert_int_equal(cpu_state_online(), 1);
}

static void test_cpu_whose_gic_failed_is_not_online_and_says_why(void **state)
{
	(void)state;
	cpu_state_set_down(cpu_local_of(1), CPU_DOWN_GIC); /* secondary_main(), then it parks */
	cpu_local_of(1)->state = CPU_PARKED;
	assert_offline_because(0x1, "GIC redistributor or CPU interface could not be set up");
}

static void test_cpu_that_reports_in_after_the_boot_cpu_gave_up_parks(void **state)
{
	(void)state;
	assert_true(cpu_state_abandon(cpu_local_of(1), CPU_DOWN_NO_REPORT));
	if (cpu_state_report_online(cpu_local_of(1)))
		fail_msg("a CPU the boot CPU gave up on came online after it");
	assert_offline_because(0x1, "did not report in in time");
}

/*
 * The secondary recorded that its GIC failed and is on its way to park when
 * the boot CPU's wait ends: the reason it gave is the one kept.
 */
static void test_cpu_whose_gic_failed_as_the_wait_ends_keeps_its_reason(void **state)
{
	(void)state;
	cpu_state_set_down(cpu_local_of(1), CPU_DOWN_GIC);
	assert_true(cpu_state_abandon(cpu_local_of(1), CPU_DOWN_NO_REPORT));
	assert_offline_because(0x1, "GIC redistributor or CPU interface could not be set up");
}

/* The race the other way: it reported in as the wait ended, and is counted online. */
static void test_cpu_that_reports_in_as_the_wait_ends_stays_online(void **state)
{
	(void)state;
	assert_true(cpu_state_report_online(cpu_local_of(1)));
	assert_false(cpu_state_abandon(cpu_local_of(1), CPU_DOWN_NO_REPORT));
	assert_int_equal(arch_cpu_index_of_mpidr(0x1), 1);
	assert_int_equal(cpu_local_of(1)->down, CPU_DOWN_NONE);
}

static void test_cpu_another_agent_runs_is_not_online_and_says_so(void **state)
{
	(void)state;
	cpu_state_set_down(cpu_local_of(1), CPU_DOWN_ALREADY_ON); /* state stays CPU_OFF */
	assert_offline_because(0x1, "code Bulkhead did not start runs on it");
}

static void test_cpu_silent_in_the_ipi_self_test_is_withdrawn(void **state)
{
	(void)state;
	assert_true(cpu_state_report_online(cpu_local_of(1)));
	assert_true(cpu_state_withdraw(cpu_local_of(1), CPU_DOWN_SELFTEST));
	assert_offline_because(0x1, "IPI self-test");
	assert_int_equal(cpu_state_online(), 1);
}

/* Slots never used hold MPIDR 0, the boot CPU's on QEMU: not taken for a CPU of that MPIDR. */
static void test_cpu_bulkhead_never_started_is_not_online(void **state)
{
	(void)state;
	assert_offline_because(0x3, "Bulkhead did not start it");
	assert_int_equal(arch_cpu_index_of_mpidr(0x0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_cpu_that_reports_in_is_online, setup),
		cmocka_unit_test_setup(test_parked_cpu_is_not_online, setup),
		cmocka_unit_test_setup(test_cpu_whose_gic_failed_is_not_online_and_says_why, setup),
		cmocka_unit_test_setup(test_cpu_that_reports_in_after_the_boot_cpu_gave_up_parks,
				       setup),
		cmocka_unit_test_setup(test_cpu_that_reports_in_as_the_wait_ends_stays_online,
				       setup),
		cmocka_unit_test_setup(test_cpu_whose_gic_failed_as_the_wait_ends_keeps_its_reason,
				       setup),
		cmocka_unit_test_setup(test_cpu_another_agent_runs_is_not_online_and_says_so,
				       setup),
		cmocka_unit_test_setup(test_cpu_silent_in_the_ipi_self_test_is_withdrawn, setup),
		cmocka_unit_test_setup(test_cpu_bulkhead_never_started_is_not_online, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
