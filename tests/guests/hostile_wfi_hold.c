// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_wfi_hold (direct interrupt mode, layouts/hostile-direct.dts): on
 * its first boot, vCPU 0 holds off the hypervisor's kick (a Group 1 active
 * priority of 0x00 in ICC_AP1R0_EL1, as hostile_ap1r) and then waits in WFI
 * with nothing of its own to come. A revoked stage 2 does not end a WFI, and
 * vCPU 0's CPU is the one that carries out a stop or restart of its cell:
 * the hypervisor must trap the WFI and drop the held priority before it lets
 * the CPU wait (docs/vgic.md). On later boots it is done.
 */
#include "hostile.h"

int main(void *dtb)
{
	uint64_t boot = hostile_boot("hostile_wfi_hold");

	(void)dtb;
	if (boot >= 2)
		hostile_done("wfi_hold");
	write_sysreg(1, s3_0_c12_c9_0); /* ICC_AP1R0_EL1: priority 0x00 active */
	__asm__ volatile("isb" ::: "memory");
	printf("hostile_wfi_hold: running priority 0x00, waiting in WFI\n");
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
	return 0;
}
