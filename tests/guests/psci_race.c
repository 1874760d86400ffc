// SPDX-License-Identifier: GPL-2.0-only
/*
 * psci_race: PSCI CPU_ON racing the cell's own restart. vCPU0 starts vCPU1,
 * which calls CPU_ON(2) in a loop (ALREADY_ON once vCPU2 runs), and calls
 * SYSTEM_RESET 1 to 4 ms later. Every boot checks that it starts with vCPUs
 * 1 and 2 off: a CPU_ON that slipped in after the stop turned vCPU2 off
 * would have started it again, running through the reload (it faults on
 * the scrubbed memory) and still on in this boot. Stops at PSCI_RACE_BOOTS
 * boots with "TEST psci_race PASS", then beats.
 */
#include "test.h"

#define PSCI_RACE_BOOTS	  100
#define PSCI_AFFINITY_OFF 1

/* Set by vCPU0 just before its SYSTEM_RESET. */
static volatile bool resetting;

void secondary_main(unsigned int cpu)
{
	if (cpu == 1)
		for (;;)
			psci_cpu_on(2, 2);
	/* Off again at once, so that vCPU1's CPU_ONs keep succeeding, until the reset. */
	if (!resetting)
		psci_cpu_off();
	for (;;)
		udelay(1000);
}

int main(void *dtb)
{
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;
	int a1 = psci_affinity_info(1), a2 = psci_affinity_info(2);

	(void)dtb;
	printf("boot %lu: vcpu1 %d vcpu2 %d\n", (unsigned long)boot, a1, a2);
	if (a1 != PSCI_AFFINITY_OFF || a2 != PSCI_AFFINITY_OFF)
		TEST_FAIL("psci_race", "boot %lu starts with AFFINITY_INFO %d/%d, want 1/1 (off)",
			  (unsigned long)boot, a1, a2);
	if (boot < PSCI_RACE_BOOTS) {
		psci_cpu_on(1, 1);
		/* Vary where in vCPU1's CPU_ON loop the reset lands: 1 to 4 ms. */
		udelay(1000 + (boot * 997) % 3000);
		resetting = true;
		dmb();
		psci_system_reset();
	}
	TEST_PASS("psci_race");
	/* In WFI between beats: under icount the bystander's next beat then costs no host time. */
	sleep_init();
	heartbeat_forever(1, 200000, sleep_us);
}
