// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_ap1r (direct interrupt mode, layouts/hostile-direct.dts): on its
 * first boot, writes a Group 1 active priority of 0x00 into ICC_AP1R0_EL1 (a
 * physical register in direct mode, which the architecture does not let EL2
 * trap), so that no interrupt can preempt its CPU, not even the hypervisor's
 * Group 0 kick, then spins with every interrupt masked. The hypervisor must
 * still restart it (docs/vgic.md); on later boots it is done.
 */
#include "hostile.h"

int main(void *dtb)
{
	uint64_t boot = hostile_boot("hostile_ap1r");

	(void)dtb;
	if (boot >= 2)
		hostile_done("ap1r");
	write_sysreg(1, s3_0_c12_c9_0); /* ICC_AP1R0_EL1: priority 0x00 active */
	__asm__ volatile("isb\n\tmsr daifset, #0xf" ::: "memory");
	printf("hostile_ap1r: running priority 0x00, interrupts masked, spinning\n");
	for (;;)
		;
	return 0;
}
