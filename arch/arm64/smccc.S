/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SMC Calling Convention, SMC conduit: x0 = function ID, x1..x3 arguments,
 * result in x0. No HVC conduit: from EL2 an HVC is taken to EL2 itself.
 */
	.section .text.asm, "ax"
	.global smccc_smc
smccc_smc:
	smc	#0
	ret
