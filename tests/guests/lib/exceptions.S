/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL1 vector table (VBAR_EL1, 2 KiB aligned, 16 entries of 128 bytes). Each
 * entry saves x0/x1, puts its index in x1 and joins the common path, which
 * saves struct exception_frame (guest.h) and calls exception_handle(frame,
 * index). exception_handle may change frame->elr (skip an instruction).
 */
#define FRAME_SIZE	272	/* x0-x30, ELR, SPSR, pad: 34 * 8 */

	.macro	ventry index
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\index
	b	exception_common
	.endm

	.text
	.balign	2048
	.global	guest_vectors
guest_vectors:
	/* Current EL with SP_EL0, current EL with SP_ELx, lower EL A64, lower EL A32. */
	ventry	0
	ventry	1
	ventry	2
	ventry	3
	ventry	4
	ventry	5
	ventry	6
	ventry	7
	ventry	8
	ventry	9
	ventry	10
	ventry	11
	ventry	12
	ventry	13
	ventry	14
	ventry	15

exception_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x9, elr_el1
	mrs	x10, spsr_el1
	stp	x30, x9, [sp, #240]
	str	x10, [sp, #256]
	mov	x0, sp
	bl	exception_handle
	ldp	x30, x9, [sp, #240]
	ldr	x10, [sp, #256]
	msr	elr_el1, x9
	msr	spsr_el1, x10
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #FRAME_SIZE
	eret
