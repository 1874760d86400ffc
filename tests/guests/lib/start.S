/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of a test guest, per the Linux arm64 Image boot protocol
 * (Documentation/arch/arm64/booting.rst): EL1, MMU off, x0 = DTB.
 * The image is position independent (the link ASSERTs there is nothing to
 * relocate), so text_offset is 0 and flags bit 3 says "anywhere in RAM".
 */
#define GUEST_MAX_CPUS	8
#define STACK_SHIFT	14		/* 16 KiB per vCPU */

	.section .text.head0, "ax"
	.global	_start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	/* image.lds puts image_size (BSS included) here: a PIE can't hold link-time sizes */
	.section .text.head1, "ax"
	.quad	0xa			/* flags: LE, 4 KiB pages (bits 2:1 = 01), anywhere (bit 3) */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */
	.global	_header_end
_header_end:

	.text
/* Boot vCPU: index from MPIDR_EL1.Aff0; zero BSS, then main(dtb). */
primary_entry:
	mov	x19, x0
	mrs	x20, mpidr_el1
	and	x20, x20, #0xff
	cmp	x20, #GUEST_MAX_CPUS
	b.hs	guest_park
	bl	cpu_setup
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16	/* BSS is 16-byte aligned: Device memory needs aligned stores */
	b	1b
2:	dsb	sy
	mov	x0, x19
	bl	guest_boot
	b	guest_park

/*
 * vCPUs started by psci_cpu_on(): x0 = context id = vCPU index. SCTLR_EL1
 * as entered goes to guest_secondary() (x21): a CPU_ON from a big-endian
 * caller starts the core big-endian (PSCI). Little-endian from here on,
 * before the first data access.
 */
	.global	secondary_entry
secondary_entry:
	mrs	x21, sctlr_el1
	bic	x9, x21, #(1 << 25)	/* SCTLR_EL1.EE */
	msr	sctlr_el1, x9
	isb
	mov	x20, x0
	cmp	x20, #GUEST_MAX_CPUS
	b.hs	guest_park
	bl	cpu_setup
	mov	x0, x20
	mov	x1, x21
	bl	guest_secondary
	b	guest_park

/*
 * PSCI CPU_ON (x0 = mpidr, x1 = entry, x2 = context) called with EL1 data
 * big-endian: SCTLR_EL1.EE set around the hvc only, no data access between.
 */
	.global	psci_cpu_on_big_endian
psci_cpu_on_big_endian:
	mov	x3, x2
	mov	x2, x1
	mov	x1, x0
	movz	x0, #0x0003
	movk	x0, #0xc400, lsl #16	/* PSCI_0_2_FN64_CPU_ON */
	mrs	x9, sctlr_el1
	orr	x10, x9, #(1 << 25)
	msr	sctlr_el1, x10
	isb
	hvc	#0
	msr	sctlr_el1, x9
	isb
	ret

/* x20 = vCPU index: SP_EL1 at the top of its stack, TPIDR_EL1, VBAR_EL1. */
cpu_setup:
	msr	spsel, #1
	adrp	x9, guest_stacks
	add	x9, x9, :lo12:guest_stacks
	add	x10, x20, #1
	lsl	x10, x10, #STACK_SHIFT
	add	sp, x9, x10
	msr	tpidr_el1, x20
	adrp	x9, guest_vectors
	add	x9, x9, :lo12:guest_vectors
	msr	vbar_el1, x9
	isb
	ret

	.global	guest_park
guest_park:
	wfe
	b	guest_park

/* SMCCC conduits: x0..x3 in, x0 out; the callee may clobber x0-x17 (AAPCS agrees). */
	.global	hvc_call
hvc_call:
	hvc	#0
	ret

	.global	smc_call
smc_call:
	smc	#0
	ret

	.section .bss.stacks, "aw", %nobits
	.balign	16
guest_stacks:
	.skip	GUEST_MAX_CPUS << STACK_SHIFT
