// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_wdt_cycle (battery g): never kicks its watchdog; instead vCPU 1
 * turns vCPU 0 on again each time it turns itself off, each time entering the
 * hypervisor's run loop of vCPU 0's CPU, the CPU that runs the watchdog's
 * checks. The layout's watchdog (layouts/hostile-wdt.dts, restart) must
 * restart it all the same.
 */
#include "hostile.h"

void secondary_main(unsigned int cpu)
{
	if (cpu == 0) /* vCPU 0, turned on again: straight off */
		return;
	for (;;) {
		while (psci_affinity_info(0) != 1)
			;
		psci_cpu_on(0, 0);
	}
}

int main(void *dtb)
{
	struct smccc_res info = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0);

	(void)dtb;
	printf("hostile_wdt_cycle: boot %lu: vCPU 0 off and on again, no kick\n",
	       (unsigned long)info.a3);
	if (psci_cpu_on(1, 1) != PSCI_SUCCESS)
		TEST_FAIL("cpu_on", "CPU_ON of vCPU 1 refused");
	psci_cpu_off();
	TEST_FAIL("cpu_off", "CPU_OFF returned");
	return 0;
}
