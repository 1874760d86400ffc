/* SPDX-License-Identifier: GPL-2.0-only */
#include "asm_defs.h"

/*
 * arch_enter_guest(entry, spsr, x0, stack_top): drop everything on this
 * CPU's EL2 stack and ERET into the guest with clean general registers, so
 * no hypervisor value leaks into the cell. Traps then start from stack_top.
 */
	.section .text.asm, "ax"
	.global arch_enter_guest
arch_enter_guest:
	mov	sp, x3
	msr	elr_el2, x0
	msr	spsr_el2, x1
	mov	x0, x2
	.irp	n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
		16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	mov	x\n, xzr
	.endr
	eret

/*
 * arch_cpu_park_lost(): after an EL2 fault's report, exception_cpu_lost() on
 * a fresh private stack (cpu_stack.h); it parks the CPU.
 */
	.global arch_cpu_park_lost
arch_cpu_park_lost:
	bl	cpu_stack_enter_private
	mov	sp, x0
	bl	exception_cpu_lost
1:	b	1b

/*
 * arch_vcpu_exit_to_loop(): abandon the current trap; cell_cpu_loop(index)
 * on a fresh private stack (cpu_stack.h).
 */
	.global arch_vcpu_exit_to_loop
arch_vcpu_exit_to_loop:
	bl	cpu_stack_enter_private
	mov	sp, x0
	mrs	x1, tpidr_el2
	ldr	w0, [x1]		/* struct cpu_local.index */
	bl	cell_cpu_loop
1:	b	1b
