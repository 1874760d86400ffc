// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_wfi_hold_nmi (direct interrupt mode, on a CPU with FEAT_NMI and a
 * GIC with NMIs: QEMU's max): hostile_wfi_hold's hold, but as an NMI's
 * active priority (ICC_AP1R0_EL1 bit 63), 0x00 with GICD_CTLR.DS set. The
 * hypervisor must drop it before the CPU waits, as it drops the others.
 */
#include "hostile.h"

#define ICC_AP1R0_EL1_NMI (1UL << 63)

int main(void *dtb)
{
	uint64_t boot = hostile_boot("hostile_wfi_hold_nmi");
	uint64_t ap1r0;

	(void)dtb;
	if (boot >= 2)
		hostile_done("wfi_hold_nmi");
	write_sysreg(ICC_AP1R0_EL1_NMI, s3_0_c12_c9_0);
	__asm__ volatile("isb; mrs %0, s3_0_c12_c9_0" : "=r"(ap1r0)::"memory");
	printf("hostile_wfi_hold_nmi: ICC_AP1R0_EL1 0x%lx, waiting in WFI\n", ap1r0);
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
	return 0;
}
