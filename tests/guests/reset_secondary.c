// SPDX-License-Identifier: GPL-2.0-only
/*
 * reset_secondary: vCPU1, not the boot vCPU, calls PSCI SYSTEM_RESET
 * RESET_AFTER_US after it starts, as Linux's `reboot` does on any CPU but 0.
 * Meanwhile, from boot 2 on, vCPU0 writes hostile values into the header of
 * its own device tree (x0 at entry) until the reset takes it out: a
 * hypervisor that builds a tree in the cell's memory while the cell runs
 * would follow them (totalsize near 4 GiB, the structure block 258 MiB on).
 * Each boot runs over a second, so the restarts are all told in full (no
 * restart storm, docs/console.md). Boot RESET_SECONDARY_BOOTS prints
 * "TEST reset_secondary PASS" and beats.
 */
#include "test.h"

#define RESET_SECONDARY_BOOTS 12
#define RESET_AFTER_US	      1100000
#define PSCI_SYSTEM_RESET     0x84000009u

static void put_be32(volatile uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void secondary_main(unsigned int cpu)
{
	(void)cpu;
	udelay(RESET_AFTER_US);
	hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	TEST_FAIL("reset_secondary", "SYSTEM_RESET from vcpu1 returned");
	for (;;)
		udelay(100000);
}

int main(void *dtb)
{
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;
	volatile uint8_t *header = dtb;

	printf("boot %lu\n", (unsigned long)boot);
	if (boot < RESET_SECONDARY_BOOTS) {
		psci_cpu_on(1, 1);
		while (boot >= 2) {
			put_be32(header + 4, 0xfff00000u); /* totalsize */
			put_be32(header + 8, 0x10200000u); /* off_dt_struct */
		}
		for (;;)
			udelay(100000);
	}
	TEST_PASS("reset_secondary");
	heartbeat_forever(0, 200000, udelay);
}
