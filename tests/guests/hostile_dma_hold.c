// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_dma_hold (direct interrupt mode, layouts/hostile-direct-dma.dts):
 * on its first boot, aims QEMU's edu device (00:03.0, its own) at the
 * victim's RAM, then holds off the hypervisor's kick as hostile_ap1r does
 * (a Group 1 active priority of 0x00 in ICC_AP1R0_EL1, every interrupt
 * masked) and spins. The SMMU blocks the DMA and reports it on the boot CPU,
 * which the victim's vCPU 0 runs; the cell's on-fault policy applies from
 * there. Later boots are done.
 */
#include "edu.h"
#include "hostile.h"

#define EDU_CFG	      0x4010018000UL /* ECAM 0x4010000000, 00:03.0 */
#define VICTIM_RAM_PA 0x4c100000UL

int main(void *dtb)
{
	uint64_t boot = hostile_boot("hostile_dma_hold");
	uint64_t bar;

	(void)dtb;
	if (boot >= 2)
		hostile_done("dma_hold");
	bar = *(volatile uint32_t *)(EDU_CFG + 0x10) & ~0xfUL;
	*(volatile uint16_t *)(EDU_CFG + 0x04) = 0x6; /* memory decode and bus mastering */
	edu_dma_start(bar, EDU_BUF, VICTIM_RAM_PA, EDU_BUF_SIZE, EDU_CMD_TO_RAM);
	write_sysreg(1, s3_0_c12_c9_0); /* ICC_AP1R0_EL1: priority 0x00 active */
	__asm__ volatile("isb\n\tmsr daifset, #0xf" ::: "memory");
	printf("hostile_dma_hold: DMA at the victim issued, kick held off, spinning\n");
	for (;;)
		;
	return 0;
}
