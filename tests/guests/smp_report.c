// SPDX-License-Identifier: GPL-2.0-only
/*
 * smp_report: which vCPUs does this cell have, and does it keep running?
 * The boot vCPU prints its MPIDR, tries PSCI CPU_ON for MPIDR Aff0 1..7 and
 * prints each result; every vCPU it started prints "cpu N up, MPIDR 0x.."
 * and "cpu N entered little-endian" (or big-): CPU 2 is started by a caller
 * whose EL1 data accesses are big-endian, which PSCI says the new core
 * inherits. Then the boot vCPU prints "heartbeat N" about every 100 ms, forever.
 */
#include "test.h"

#define WAIT_US		      2000000
#define HEARTBEAT_US	      100000
#define BIG_ENDIAN_CALLER_CPU 2

static volatile bool arrived[GUEST_MAX_CPUS];

void secondary_main(unsigned int cpu)
{
	printf("cpu %u up, MPIDR 0x%lx\n", cpu, read_sysreg(mpidr_el1));
	printf("cpu %u entered %s-endian\n", cpu,
	       guest_entry_sctlr[cpu] & GUEST_SCTLR_EE ? "big" : "little");
	dmb();
	arrived[cpu] = true;
}

static bool wait_arrived(unsigned int cpu)
{
	uint64_t end = timer_now() + WAIT_US * timer_freq() / 1000000;

	while (!arrived[cpu])
		if (timer_now() > end)
			return false;
	return true;
}

int main(void *dtb)
{
	bool started[GUEST_MAX_CPUS] = { false };
	unsigned int cpu, nr_started = 0, silent = 0;

	(void)dtb;
	printf("boot vCPU MPIDR 0x%lx\n", read_sysreg(mpidr_el1));
	for (cpu = 1; cpu < GUEST_MAX_CPUS; cpu++) {
		int rc = cpu == BIG_ENDIAN_CALLER_CPU
				 ? (int)(int32_t)psci_cpu_on_big_endian(cpu, secondary_entry, cpu)
				 : psci_cpu_on(cpu, cpu);

		printf("CPU_ON(%u) = %d\n", cpu, rc);
		started[cpu] = rc == PSCI_SUCCESS;
	}
	for (cpu = 1; cpu < GUEST_MAX_CPUS; cpu++) {
		if (!started[cpu])
			continue;
		if (wait_arrived(cpu))
			nr_started++;
		else
			silent |= 1u << cpu;
	}
	printf("secondaries started: %u\n", nr_started);
	if (silent)
		TEST_FAIL("smp_report", "vCPUs started but silent: mask 0x%x", silent);
	sleep_init();
	heartbeat_forever(1, HEARTBEAT_US, sleep_us);
}
