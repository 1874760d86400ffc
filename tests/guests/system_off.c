// SPDX-License-Identifier: GPL-2.0-only
/*
 * system_off: starts its other vCPUs (1 and 2), which print "cpu N tick K"
 * about every 50 ms, then after 300 ms the boot vCPU prints
 * "calling SYSTEM_OFF" and calls PSCI SYSTEM_OFF. In a cell nothing of it may
 * print afterwards, from any vCPU; if the call returns it says so and fails.
 */
#include "test.h"

#define PSCI_SYSTEM_OFF 0x84000008u
#define TICK_US		50000
#define RUN_US		300000

void secondary_main(unsigned int cpu)
{
	uint32_t tick;

	for (tick = 1;; tick++) {
		printf("cpu %u tick %u\n", cpu, tick);
		udelay(TICK_US);
	}
}

int main(void *dtb)
{
	unsigned int cpu;
	uint64_t ret;

	(void)dtb;
	for (cpu = 1; cpu <= 2; cpu++)
		printf("CPU_ON(%u) = %d\n", cpu, psci_cpu_on(cpu, cpu));
	udelay(RUN_US);
	printf("calling SYSTEM_OFF\n");
	ret = hvc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	TEST_FAIL("system_off", "SYSTEM_OFF returned 0x%lx", ret);
	for (;;) {
		printf("still running after SYSTEM_OFF\n");
		udelay(TICK_US);
	}
	return 0;
}
