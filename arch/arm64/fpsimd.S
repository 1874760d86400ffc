/* SPDX-License-Identifier: GPL-2.0-only */

/*
 * fpsimd_reset(sve): the FP/SIMD registers of this CPU to zero before a
 * vCPU's first entry of a boot, so that nothing of a previous incarnation
 * (its crypto round keys, its vectors) nor of the hypervisor's libfdt use
 * reaches the next one (docs/traps.md). The C code of EL2 is built with
 * -mgeneral-regs-only, hence here. CPTR_EL2 leaves FP/SIMD and SVE
 * untrapped at EL2 as well as at EL1 (boot/head.S, el2_features_reset), so
 * there is no trap to open. The caller has left Streaming SVE mode (SVCR).
 *
 * With sve (the CPU has SVE, and ZCR_EL2.LEN is at its maximum, so EL2 runs
 * at the longest vector length any EL1 can use), Z0-Z31 are zeroed over
 * their whole length and P0-P15 and FFR too; without, V0-V31. Then FPCR
 * and FPSR. The ZA and ZT0 storage needs nothing: the caller's SVCR.ZA = 0
 * turns it off, and turning it on again zeroes it.
 */
	.section .text.asm, "ax"
	.arch_extension sve
	.global fpsimd_reset
fpsimd_reset:
	cbz	w0, 1f
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	dup	z\n\().b, #0
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	pfalse	p\n\().b
	.endr
	wrffr	p0.b			/* FFR = P0: all false */
	b	2f
1:	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	movi	v\n\().16b, #0
	.endr
2:	msr	fpcr, xzr
	msr	fpsr, xzr
	ret
