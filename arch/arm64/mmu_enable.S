/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Turn on the EL2 MMU of the calling CPU from mmu_boot_config (written by
 * the boot CPU and cleaned to the point of coherency, because secondaries
 * read it with their caches off). Uses no stack: secondaries call it before
 * they have one they may touch. Identity map, so execution just continues.
 */
#include "asm_defs.h"

	.section .text.asm, "ax"
	.global mmu_enable_this_cpu
mmu_enable_this_cpu:
	adr_l	x1, mmu_boot_config
	ldr	x4, [x1, #16]		/* TTBR0_EL2: the map every CPU shares */
	b	1f

/*
 * x0 = the secondary's index: its own root instead (cpu_ttbr[x0]), the
 * shared map below 2^47 and, above, its window with its stack.
 */
	.global mmu_enable_secondary
mmu_enable_secondary:
	adr_l	x1, mmu_boot_config
	add	x2, x1, #MMU_BOOT_CONFIG_CPU_TTBR
	ldr	x4, [x2, x0, lsl #3]
1:	ldp	x2, x3, [x1]		/* MAIR_EL2, TCR_EL2 */
	ldr	x5, [x1, #24]		/* SCTLR_EL2 */
	msr	mair_el2, x2
	msr	tcr_el2, x3
	msr	ttbr0_el2, x4
	isb
	/* Nothing cached from before may be used with the new tables. */
	tlbi	alle2
	ic	iallu
	dsb	nsh
	isb
	msr	sctlr_el2, x5
	isb
	ret
