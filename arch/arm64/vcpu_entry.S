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
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x16, xzr
	mov	x17, xzr
	mov	x18, xzr
	mov	x19, xzr
	mov	x20, xzr
	mov	x21, xzr
	mov	x22, xzr
	mov	x23, xzr
	mov	x24, xzr
	mov	x25, xzr
	mov	x26, xzr
	mov	x27, xzr
	mov	x28, xzr
	mov	x29, xzr
	mov	x30, xzr
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
