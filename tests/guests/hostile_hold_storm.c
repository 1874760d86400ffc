// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_hold_storm (direct interrupt mode, layouts/hostile-direct.dts): on
 * each of its first STORM_BOOTS boots, vCPU 1 holds off the hypervisor's kick
 * (a Group 1 active priority of 0x00 in ICC_AP1R0_EL1, as hostile_ap1r) and
 * spins with every interrupt masked, and vCPU 0 asks for SYSTEM_RESET: every
 * restart waits for vCPU 1 and revokes its stage 2. A restart storm: once it
 * is only counted, the hypervisor's warnings about vCPU 1 must be quiet too.
 * Boot STORM_BOOTS + 1 is done.
 */
#include "hostile.h"

#define STORM_BOOTS 8

static volatile bool holding;

void secondary_main(unsigned int cpu)
{
	(void)cpu;
	write_sysreg(1, s3_0_c12_c9_0); /* ICC_AP1R0_EL1: priority 0x00 active */
	__asm__ volatile("isb\n\tmsr daifset, #0xf" ::: "memory");
	holding = true;
	for (;;)
		;
}

int main(void *dtb)
{
	uint64_t boot = hostile_boot("hostile_hold_storm");

	(void)dtb;
	if (boot > STORM_BOOTS)
		hostile_done("hold_storm");
	psci_cpu_on(1, 1);
	while (!holding)
		;
	psci_system_reset();
}
