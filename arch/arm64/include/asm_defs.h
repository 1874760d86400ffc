/* SPDX-License-Identifier: GPL-2.0-only */
/* Constants shared by assembly and C. */
#ifndef BULKHEAD_ARM64_ASM_DEFS_H
#define BULKHEAD_ARM64_ASM_DEFS_H

#define MAX_CPUS    16 /* == PLATFORM_MAX_CPUS, checked in arch/arm64/cpu.c */
#define STACK_SHIFT 14 /* 16 KiB per CPU */
#define STACK_SIZE  (1 << STACK_SHIFT)
/*
 * Above each stack, in the same map: where its CPU reports a fault taken at
 * EL2 (vectors.S), its stack maybe used up. Stack and fault stack: an area.
 */
#define FAULT_STACK_SIZE 4096
#define STACK_AREA	 (STACK_SIZE + FAULT_STACK_SIZE)
/* Below the boot CPU's boot stack, the first area: a page no map holds. */
#define STACK_GUARD_SIZE 4096
/* cpu_stacks[]: one area per CPU, and the boot CPU's second (arch/arm64/cpu_stack.c). */
#define CPU_STACKS (MAX_CPUS + 1)

/*
 * VA bit 47 splits the EL2 map: the identity map every CPU shares below,
 * each CPU's own window above, where PA x shows at x + 2^47 (arch/arm64/mmu.c).
 */
#define EL2_WINDOW_SHIFT 47
/* struct mmu_boot_config: where cpu_ttbr[] starts (checked in arch/arm64/mmu.c). */
#define MMU_BOOT_CONFIG_CPU_TTBR 32

/* struct cpu_local (arch/arm64/include/cpu_local.h) is padded to this size. */
#define CPU_LOCAL_SHIFT 10
#define CPU_LOCAL_SIZE	(1 << CPU_LOCAL_SHIFT)
/* Its struct spectre_harden, read by el2_vectors_hardened (checked in arch/arm64/spectre.c). */
#define CPU_LOCAL_HARDEN_BHB_LOOP 4
#define CPU_LOCAL_HARDEN_CLRBHB	  8
#define CPU_LOCAL_HARDEN_FW_FID	  12
/* Its fault_sp, read by the EL2 synchronous vector (checked in arch/arm64/cpu_stack.c). */
#define CPU_LOCAL_FAULT_SP 160

/* HCR_EL2.IMO, for vectors.S (sysreg.h has HCR_EL2_IMO for C). */
#define HCR_EL2_IMO_BIT (1 << 4)

/* struct trap_frame layout (arch/arm64/include/trap_frame.h). */
#define FRAME_X0   0
#define FRAME_ELR  (31 * 8)
#define FRAME_SPSR (32 * 8)
#define FRAME_ESR  (33 * 8)
#define FRAME_FAR  (34 * 8)
#define FRAME_SP   (35 * 8)
#define FRAME_SIZE (36 * 8)

#ifdef __ASSEMBLY__
/* \reg = the address of \sym, wherever the image runs (PC-relative, +-4 GiB). */
/* clang-format off */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm
/* clang-format on */
#endif

#endif
