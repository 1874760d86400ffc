/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL2 exception vectors (VBAR_EL2, 2 KiB aligned, 16 entries of 0x80 bytes).
 * Every entry saves the interrupted context as a struct trap_frame on the
 * EL2 stack and calls C with (frame, vector index). With one vCPU per
 * physical CPU a guest's EL1 system registers stay in the CPU: only the
 * general registers and ELR/SPSR go through the frame.
 */
#include "asm_defs.h"

/*
 * Each entry is 0x80 bytes: one that grew past it would move every later one.
 * @common: vector_common, or vector_common_irq for an interrupt from the guest.
 */
.macro vector_entry index, common=vector_common
	.balign	0x80
9990:	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #FRAME_X0]
	mov	x0, #\index
	b	\common
	.org	9990b + 0x80
.endm

/*
 * A synchronous exception at EL2 is a fault, always reported, and its CPU
 * parks (exception.c). The stack it ran on may be what faulted (used up:
 * nothing is mapped below it), so the frame goes on the CPU's fault stack
 * (struct cpu_local's fault_sp), which a fault in the report starts over.
 * Without one yet (fault_sp 0, early boot) it goes where SP was; without
 * even a struct cpu_local (TPIDR_EL2 0, before cpu_set_local_and_stack())
 * nothing can report (the CPU's index is in it): the CPU parks at once,
 * rather than fault again in the report, for ever. The interrupted x0 and
 * SP wait in TPIDR_EL0 and TPIDRRO_EL0: this CPU's guest, whose they are,
 * never runs again; report_unexpected() takes SP from there.
 */
.macro fault_entry index
	.balign	0x80
9990:	msr	tpidr_el0, x0
	mov	x0, sp
	msr	tpidrro_el0, x0
	mrs	x0, tpidr_el2
	cbz	x0, fault_without_cpu_local
	ldr	x0, [x0, #CPU_LOCAL_FAULT_SP]
	cbz	x0, 1f
	mov	sp, x0
1:	sub	sp, sp, #FRAME_SIZE
	mrs	x0, tpidr_el0
	stp	x0, x1, [sp, #FRAME_X0]
	mov	x0, #\index
	b	vector_common
	.org	9990b + 0x80
.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global el2_vectors
el2_vectors:
	vector_entry 0		/* current EL, SP_EL0: sync */
	vector_entry 1		/* irq */
	vector_entry 2		/* fiq */
	vector_entry 3		/* serror */
	fault_entry 4		/* current EL, SP_EL2: sync */
	vector_entry 5
	vector_entry 6
	vector_entry 7
	vector_entry 8		/* lower EL, AArch64: sync */
	vector_entry 9, vector_common_irq
	vector_entry 10, vector_common_irq
	vector_entry 11
	vector_entry 12		/* lower EL, AArch32 */
	vector_entry 13, vector_common_irq
	vector_entry 14, vector_common_irq
	vector_entry 15

/*
 * The same, for a CPU whose guest could steer EL2's speculation
 * (arch/arm64/spectre.c): an entry from the guest first runs what this CPU's
 * struct spectre_harden asks, before any indirect branch at EL2. The loop
 * pushes the guest's branch history out of the predictor (DSB and ISB: the
 * loop's effect complete before EL2 code is fetched); CLRBHB is FEAT_CLRBHB's
 * "hint #22"; the firmware call may change x0-x3 only (SMCCC 1.1).
 */
.macro hardened_entry index, common=vector_common
	.balign	0x80
9990:	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #FRAME_X0]
	mrs	x1, tpidr_el2
	ldr	w0, [x1, #CPU_LOCAL_HARDEN_BHB_LOOP]
	cbz	w0, 2f
1:	b	. + 4
	subs	w0, w0, #1
	b.ne	1b
	dsb	nsh
	isb
2:	ldr	w0, [x1, #CPU_LOCAL_HARDEN_CLRBHB]
	cbz	w0, 3f
	hint	#22
	isb
3:	ldr	w0, [x1, #CPU_LOCAL_HARDEN_FW_FID]
	cbz	w0, 4f
	stp	x2, x3, [sp, #16]
	smc	#0
	ldp	x2, x3, [sp, #16]
4:	mov	x0, #\index
	b	\common
	.org	9990b + 0x80
.endm

	.balign	0x800
	.global el2_vectors_hardened
el2_vectors_hardened:
	vector_entry 0
	vector_entry 1
	vector_entry 2
	vector_entry 3
	fault_entry 4
	vector_entry 5
	vector_entry 6
	vector_entry 7
	hardened_entry 8
	hardened_entry 9, vector_common_irq
	hardened_entry 10, vector_common_irq
	hardened_entry 11
	hardened_entry 12
	hardened_entry 13, vector_common_irq
	hardened_entry 14, vector_common_irq
	hardened_entry 15

/*
 * \op (stp or ldp) of each pair "a,b" of registers, xa and xb, at their
 * slots in the frame at sp (x[a] at 8 * a: FRAME_X0 is 0).
 */
.macro frame_pair op, a, b
	\op	x\a, x\b, [sp, #(\a * 8)]
.endm

.macro frame_pairs op, pairs:vararg
	.irp	p, \pairs
	frame_pair \op, \p
	.endr
.endm

/* The pairs of x2-x17, which every entry saves, and of x18-x29, which a full frame adds. */
#define X2_X17	"2,3", "4,5", "6,7", "8,9", "10,11", "12,13", "14,15", "16,17"
#define X18_X29 "18,19", "20,21", "22,23", "24,25", "26,27", "28,29"

/* ELR_EL2 and SPSR_EL2 back from the frame at sp (x2 and x3 are restored after). */
.macro frame_restore_elr_spsr
	ldp	x2, x3, [sp, #FRAME_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
.endm

/* The interrupted context back from the frame at sp, but for x0 and x1. */
.macro frame_restore_x2_x30
	frame_restore_elr_spsr
	frame_pairs ldp, X2_X17, X18_X29
	ldr	x30, [sp, #240]
.endm

fault_without_cpu_local:
	msr	daifset, #0xf
1:	wfi
	b	1b

vector_common:
	frame_pairs stp, X2_X17, X18_X29
	str	x30, [sp, #240]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #FRAME_ELR]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #FRAME_ESR]
	add	x2, sp, #FRAME_SIZE
	str	x2, [sp, #FRAME_SP]

	mov	x1, x0
	mov	x0, sp
	bl	exception_dispatch
	frame_restore_x2_x30
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret

/*
 * An IRQ or FIQ from the guest: exception_dispatch() reads none of the
 * guest's registers for it (irq_handle(), the vGIC's sync and flush), and
 * the C it calls keeps x19-x29 as the procedure call standard asks, so only
 * what C may change is saved and restored: x0-x18, x30, ELR and SPSR. The
 * frame's other slots, ESR, FAR and SP are not written. A kick or a
 * watchdog that takes the vCPU out (arch_vcpu_exit_to_loop()) abandons the
 * frame, and with it the guest's registers, whichever they are.
 */
vector_common_irq:
	frame_pairs stp, X2_X17
	str	x18, [sp, #144]
	str	x30, [sp, #240]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #FRAME_ELR]
	mov	x1, x0
	mov	x0, sp
	bl	exception_dispatch
	frame_restore_elr_spsr
	frame_pairs ldp, X2_X17
	ldr	x18, [sp, #144]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret

/*
 * Back to a direct-mode guest through its WFI (x0: the frame vector_common
 * gave exception_dispatch(), whose C calls are abandoned; the WFI already
 * skipped, guest_trap.c; x1: a WFIT's deadline, or 0). The CPU waits here, every register but x0 and x1
 * already the guest's, so that the interrupt that ends the wait reaches the
 * guest four instructions later: as close as a trapped WFI gets to one that
 * is not (docs/vgic.md). Physical IRQs, the guest's own, are routed here
 * (HCR_EL2.IMO) while the CPU waits, masked by PSTATE.I: an interrupt routed
 * to an Exception level below the current one need not wake a WFI. FIQs (the
 * hypervisor's Group 0) end the wait too and are taken right after the eret.
 */
	.global	guest_wfi_resume
guest_wfi_resume:
	mov	sp, x0
	str	x1, [sp, #FRAME_FAR]	/* the deadline; the fault address is done with */
	frame_restore_x2_x30
	mrs	x1, hcr_el2
	orr	x0, x1, #HCR_EL2_IMO_BIT
	msr	hcr_el2, x0
	isb
	ldr	x0, [sp, #FRAME_FAR]
	cbz	x0, 1f
	.inst	0xd5031020		/* WFIT x0 (FEAT_WFxT), for assemblers without it */
	b	2f
1:	wfi
2:	msr	hcr_el2, x1
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
