/* SPDX-License-Identifier: GPL-2.0-only */
/* SMC Calling Convention conduits: x0 = function ID, x1..x3 arguments, result in x0. */
	.section .text.asm, "ax"
	.global smccc_smc
smccc_smc:
	smc	#0
	ret

	.global smccc_hvc
smccc_hvc:
	hvc	#0
	ret
