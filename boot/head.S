/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry from the boot loader, per the Linux arm64 boot protocol
 * (Documentation/arch/arm64/booting.rst): x0 = FDT, MMU and D-cache off, at
 * EL2. The image is linked at 0 as a static PIE and relocates itself, so
 * U-Boot's booti may place it at any 2 MiB-aligned address (flags bit 3).
 */
#include "asm_defs.h"

#define R_AARCH64_RELATIVE 1027

/*
 * The 64-byte Image header. image_size (offset 16) is emitted by
 * boot/image.lds between the two halves: a reference to a link-time size
 * from here would become a dynamic relocation in a PIE.
 */
	.section .text.head, "ax"
	.global _head
_head:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */

	.section .text.head_tail, "ax"
	.quad	0xa			/* flags: LE, 4 KiB pages, anywhere in RAM */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

	.section .text.entry, "ax"
primary_entry:
	mov	x19, x0			/* FDT */
	msr	daifset, #0xf
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	not_at_el2
	bl	el2_sysregs_reset

	/*
	 * Invalidate the data cache over what is written next with the MMU
	 * off (the GOT and .data the relocations write, BSS, the boot stack,
	 * the EL2 tables; from __inval_start, image.lds): the
	 * boot protocol asks the loader to clean only the image it loaded, so
	 * a line the loader left there, dirty or clean, could later be
	 * evicted over these writes or read in their place once the cache is
	 * on. With the MMU off no access allocates a line again. Step:
	 * CTR_EL0.DminLine, log2 of 4-byte words.
	 */
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x4, #4
	lsl	x3, x4, x3
	adr_l	x1, __inval_start
	adr_l	x2, _end
	sub	x4, x3, #1
	bic	x1, x1, x4
	lsl	x4, x3, #3		/* 8 lines per iteration while 8 fit */
5:	sub	x5, x2, x1
	cmp	x5, x4
	b.lo	6f
	.rept	8
	dc	ivac, x1
	add	x1, x1, x3
	.endr
	b	5b
6:	cmp	x1, x2
	b.hs	7f
	dc	ivac, x1
	add	x1, x1, x3
	b	6b
7:	dsb	sy

	/* Apply R_AARCH64_RELATIVE: *(base + offset) = base + addend. */
	adr	x20, _head
	adr_l	x1, __rela_start
	adr_l	x2, __rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	1b
2:
	/*
	 * Zero BSS (the loader guarantees nothing about it): 2.4 MiB, 128 bytes
	 * per iteration (image.lds aligns both ends to 128). Not DC ZVA: with
	 * the MMU off memory is Device, where DC ZVA faults.
	 */
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
3:	cmp	x1, x2
	b.hs	4f
	.irp	off, 0, 16, 32, 48, 64, 80, 96, 112
	stp	xzr, xzr, [x1, #\off]
	.endr
	add	x1, x1, #128
	b	3b
4:
	mov	x0, #0
	bl	cpu_set_local_and_stack
	mov	x0, x19
	bl	boot_main
	b	park_forever

/*
 * Secondary CPUs arrive here from PSCI CPU_ON with x0 = their logical index
 * (the context id), MMU off. They touch no stack until their MMU is on:
 * theirs exists only in their own window (arch/arm64/include/cpu_stack.h).
 */
	.global secondary_entry
secondary_entry:
	mov	x19, x0
	msr	daifset, #0xf
	bl	el2_sysregs_reset
	mov	x0, x19
	bl	mmu_enable_secondary
	mov	x0, x19
	bl	cpu_set_local_and_stack
	/* Its stack is in its own window only (cpu_stack.h): PA + 2^47. */
	mov	x1, #(1 << EL2_WINDOW_SHIFT)
	add	sp, sp, x1
	mrs	x2, tpidr_el2
	ldr	x3, [x2, #CPU_LOCAL_FAULT_SP]
	add	x3, x3, x1
	str	x3, [x2, #CPU_LOCAL_FAULT_SP]
	mov	x0, x19
	bl	secondary_main
	b	park_forever

/*
 * x0 = logical CPU index: TPIDR_EL2 = &cpu_locals[x0], SP = top of the stack
 * of its area in cpu_stacks[], its fault_sp the top of the area.
 */
cpu_set_local_and_stack:
	adr_l	x1, cpu_locals
	add	x1, x1, x0, lsl #CPU_LOCAL_SHIFT
	msr	tpidr_el2, x1
	adr_l	x2, cpu_stack_mem
	add	x2, x2, #STACK_GUARD_SIZE	/* cpu_stack_mem.areas */
	mov	x3, #STACK_AREA
	madd	x2, x0, x3, x2
	add	x2, x2, #STACK_SIZE
	mov	sp, x2
	add	x2, x2, #FAULT_STACK_SIZE
	str	x2, [x1, #CPU_LOCAL_FAULT_SP]
	ret

/* EL2 to a known state; everything the firmware may have left is overwritten. */
el2_sysregs_reset:
	mov	x18, x30		/* the one call below; no stack yet */
	ldr	x1, =0x30c50830		/* SCTLR_EL2: RES1 only, MMU and caches off */
	msr	sctlr_el2, x1
	isb
	mov	x1, #(1 << 31)		/* HCR_EL2.RW: EL1 is AArch64; nothing trapped yet */
	msr	hcr_el2, x1
	bl	el2_features_reset
	mov	x1, #3			/* CNTHCTL_EL2: EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	msr	vttbr_el2, xzr
	msr	mdcr_el2, xzr
	/*
	 * TRFCR_EL2 (FEAT_TRF, ID_AA64DFR0_EL1.TraceFilt [43:40] != 0) is UNKNOWN
	 * at reset: E2TRE 1 would let a trace unit trace EL2, the hypervisor's
	 * work for every cell on this CPU. 0: trace is prohibited at EL2 (and in
	 * a host EL0, E0HTRE, which this hypervisor never runs). The cell cannot
	 * reach the trace unit or TRFCR_EL1 (CPTR_EL2.TTA, MDCR_EL2.TTRF).
	 */
	mrs	x1, id_aa64dfr0_el1
	ubfx	x1, x1, #40, #4		/* TraceFilt */
	cbz	x1, 1f
	msr	S3_4_C1_C2_1, xzr	/* TRFCR_EL2 */
	/*
	 * SPE (ID_AA64DFR0_EL1.PMSVer [35:32] != 0): PMBLIMITR_EL1 is UNKNOWN
	 * at reset, and a profiling buffer the firmware left enabled (E) would
	 * take the samples of any EL1 that enables sampling, written through
	 * EL2's translation (MDCR_EL2.E2PB 0 makes EL2 the buffer's owner).
	 * Disabled, nothing samples: the cell cannot reach the buffer nor, since
	 * MDCR_EL2.TPMS, the sampling controls (arch/arm64/vcpu.c). Only if the
	 * buffer is the Non-secure world's to program (PMBIDR_EL1.P 0, as
	 * Linux checks): otherwise EL3 owns it (MDCR_EL3.NSPB) and an access
	 * would trap there.
	 */
1:	mrs	x1, id_aa64dfr0_el1
	ubfx	x1, x1, #32, #4		/* PMSVer */
	cbz	x1, 2f
	mrs	x1, S3_0_C9_C10_7	/* PMBIDR_EL1 */
	tbnz	x1, #4, 2f		/* P */
	msr	S3_0_C9_C10_0, xzr	/* PMBLIMITR_EL1 */
2:	msr	hstr_el2, xzr		/* no AArch32 cp15 trap left set by the firmware */
	msr	tpidr_el2, xzr		/* no struct cpu_local yet: the vectors look */
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	isb
	ret	x18

/*
 * What a cell owns outright because its vCPU is the only thing its CPU runs
 * (docs/traps.md): FP/SIMD (libfdt at EL2 uses it too, fdt_glue.h), and
 * SVE and SME where the CPU has them, at every vector length it has. TZ and
 * TSM are RES1 on a CPU without the feature. The EL2 controls of each are
 * UNKNOWN at reset: ZCR_EL2.LEN and SMCR_EL2.LEN at their maximum (the
 * CPU rounds down to what it has), SMCR_EL2.FA64 and EZT0 with FEAT_SME_FA64
 * and FEAT_SME2, and HCRX_EL2 zero but for MSCEn with FEAT_MOPS (zero would
 * make the memory copy and set instructions UNDEFINED at EL1 and EL0).
 * Linux's booting.rst asks the same of the firmware (CPTR_EL3.EZ, ESM).
 * What it is not given: the activity monitors (TAM; they count while EL2
 * runs, like the PMU) and the trace unit's System registers (TTA; it could
 * trace into a sink other CPUs share), trapped where the CPU has them (RES0
 * otherwise) and UNDEFINED for the cell, their ID fields hidden (sysreg_trap.c).
 */
el2_features_reset:
	ldr	x1, =0x22ff		/* CPTR_EL2 RES1: 13, 9, 7:0 */
	mrs	x2, id_aa64dfr0_el1
	ubfx	x2, x2, #4, #4		/* TraceVer */
	cbz	x2, 9f
	orr	x1, x1, #(1 << 20)	/* TTA */
9:	mrs	x2, id_aa64pfr0_el1
	ubfx	x3, x2, #44, #4		/* AMU */
	cbz	x3, 10f
	orr	x1, x1, #(1 << 30)	/* TAM */
10:	ubfx	x3, x2, #32, #4		/* SVE */
	cbnz	x3, 1f
	orr	x1, x1, #(1 << 8)	/* TZ */
1:	mrs	x2, id_aa64pfr1_el1
	ubfx	x4, x2, #24, #4		/* SME */
	cbnz	x4, 2f
	orr	x1, x1, #(1 << 12)	/* TSM */
2:	msr	cptr_el2, x1
	isb
	cbz	x3, 3f
	mov	x1, #0xf
	msr	S3_4_C1_C2_0, x1	/* ZCR_EL2.LEN */
3:	cbz	x4, 4f
	mov	x1, #0xf		/* SMCR_EL2.LEN */
	mrs	x2, S3_0_C0_C4_5	/* ID_AA64SMFR0_EL1 */
	tbz	x2, #63, 5f		/* FA64 */
	orr	x1, x1, #(1 << 31)
5:	cmp	x4, #2			/* SME2: ZT0 */
	b.lo	6f
	orr	x1, x1, #(1 << 30)	/* EZT0 */
6:	msr	S3_4_C1_C2_6, x1	/* SMCR_EL2 */
4:	mrs	x2, id_aa64mmfr1_el1
	ubfx	x2, x2, #40, #4		/* HCX */
	cbz	x2, 7f
	mov	x1, #0
	mrs	x2, S3_0_C0_C6_2	/* ID_AA64ISAR2_EL1 */
	ubfx	x2, x2, #16, #4		/* MOPS */
	cbz	x2, 8f
	mov	x1, #(1 << 11)		/* MSCEn */
8:	msr	S3_4_C1_C2_2, x1	/* HCRX_EL2 */
7:	b	el2_fgt_reset

/*
 * The fine-grained traps (FEAT_FGT, ID_AA64MMFR0_EL1.FGT [59:56] != 0) are
 * UNKNOWN at reset, and their n-bits (nTPIDR2_EL0, nSMPRI_EL1, nPIR_EL1,
 * nGCS_EL1, nBRBDATA, ...) trap when 0: all zeros is not "no traps". The
 * positive bits are all 0: whatever those registers guard that the cell must
 * not touch is trapped by the coarse controls already (HCR_EL2, MDCR_EL2,
 * CPTR_EL2). An n-bit is 1 for a feature the cell owns: SME's TPIDR2_EL0
 * and SMPRI_EL1 (HFGRTR_EL2/HFGWTR_EL2 bits 55 and 54). The others stay 0,
 * so their registers and instructions trap and are UNDEFINED for the cell,
 * as for the features HCRX_EL2 leaves off (S1PIE, S1POE, GCS, LS64_ACCDATA,
 * THE, AIE, BRBE, SPE's PMSNEVFR_EL1: docs/traps.md). HAFGRTR_EL2 exists with
 * FEAT_AMU only; the *2 registers (HFGRTR2_EL2, HFGWTR2_EL2, HFGITR2_EL2,
 * HDFGRTR2_EL2, HDFGWTR2_EL2) with FEAT_FGT2 (FGT = 2) only, and hold only
 * n-bits of features not given (PFAR, SRMASK, PMUv3p9, ...): 0.
 */
el2_fgt_reset:
	mrs	x2, id_aa64mmfr0_el1
	ubfx	x5, x2, #56, #4		/* FGT */
	cbz	x5, 3f
	mov	x1, #0
	mrs	x2, id_aa64pfr1_el1
	ubfx	x2, x2, #24, #4		/* SME */
	cbz	x2, 1f
	orr	x1, x1, #(3 << 54)	/* nTPIDR2_EL0, nSMPRI_EL1 */
1:	msr	S3_4_C1_C1_4, x1	/* HFGRTR_EL2 */
	msr	S3_4_C1_C1_5, x1	/* HFGWTR_EL2 */
	msr	S3_4_C1_C1_6, xzr	/* HFGITR_EL2 */
	msr	S3_4_C3_C1_4, xzr	/* HDFGRTR_EL2 */
	msr	S3_4_C3_C1_5, xzr	/* HDFGWTR_EL2 */
	mrs	x2, id_aa64pfr0_el1
	ubfx	x2, x2, #44, #4		/* AMU */
	cbz	x2, 2f
	msr	S3_4_C3_C1_6, xzr	/* HAFGRTR_EL2 */
2:	cmp	x5, #2			/* FGT2 */
	b.lo	3f
	msr	S3_4_C3_C1_2, xzr	/* HFGRTR2_EL2 */
	msr	S3_4_C3_C1_3, xzr	/* HFGWTR2_EL2 */
	msr	S3_4_C3_C1_7, xzr	/* HFGITR2_EL2 */
	msr	S3_4_C3_C1_0, xzr	/* HDFGRTR2_EL2 */
	msr	S3_4_C3_C1_1, xzr	/* HDFGWTR2_EL2 */
3:	b	el2_mpam_reset

/*
 * MPAM (ID_AA64PFR0_EL1.MPAM [43:40] != 0, or ID_AA64PFR1_EL1.MPAM_frac
 * [19:16] != 0 for MPAM v0.1) labels every memory access with a partition
 * (PARTID) and monitoring group (PMG), by which a shared cache or the
 * interconnect may partition and count. Its EL2 controls are UNKNOWN at
 * reset: a cell writing MPAM1_EL1 or MPAM0_EL1 could take another cell's or
 * the firmware's PARTID, and the firmware's values would label the cell's
 * traffic. MPAM2_EL2: PARTID and PMG 0 for EL2, TRAPMPAM1EL1 and
 * TRAPMPAM0EL1 set (the cell's accesses trap and are UNDEFINED,
 * sysreg_trap.c), EnMPAMSM 0 (MPAMSM_EL1 traps too, with SME), TIDR where
 * MPAMIDR_EL1.HAS_TIDR says it exists (MPAMIDR_EL1 traps); MPAMEN written 0
 * (read-only with EL3; without EL3, MPAM off: the default PARTID 0 for
 * all). MPAM1_EL1 and MPAM0_EL1 0: PARTID 0 for the cell's EL1 and EL0.
 * MPAMHCR_EL2, with MPAMIDR_EL1.HAS_HCR: TRAP_MPAMIDR_EL1, no virtual PARTID
 * mapping (EL0_VPMEN, EL1_VPMEN 0), GSTAPP_PLK 0. The firmware must leave
 * them to EL2 (MPAM3_EL3.TRAPLOWER 0, which Linux's booting.rst requires
 * too): this code cannot tell, and an access would trap to EL3. The
 * bandwidth controls of FEAT_MPAM_PE_BW_CTRL (MPAMIDR_EL1.HAS_BW_CTRL) are
 * not set up (docs/traps.md).
 */
el2_mpam_reset:
	mrs	x2, id_aa64pfr0_el1
	ubfx	x2, x2, #40, #4		/* MPAM */
	mrs	x3, id_aa64pfr1_el1
	ubfx	x3, x3, #16, #4		/* MPAM_frac */
	orr	x2, x2, x3
	cbz	x2, 2f
	mov	x1, #(3 << 48)		/* TRAPMPAM0EL1 (49), TRAPMPAM1EL1 (48) */
	mrs	x2, S3_0_C10_C4_4	/* MPAMIDR_EL1 */
	tbz	x2, #58, 1f		/* HAS_TIDR */
	orr	x1, x1, #(1 << 58)	/* TIDR */
1:	msr	S3_4_C10_C5_0, x1	/* MPAM2_EL2 */
	msr	S3_0_C10_C5_0, xzr	/* MPAM1_EL1 */
	msr	S3_0_C10_C5_1, xzr	/* MPAM0_EL1 */
	tbz	x2, #17, 2f		/* HAS_HCR */
	mov	x1, #(1 << 31)		/* TRAP_MPAMIDR_EL1 */
	msr	S3_4_C10_C4_0, x1	/* MPAMHCR_EL2 */
2:	isb
	ret

not_at_el2:
park_forever:
	msr	daifset, #0xf
5:	wfi
	b	5b
