/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_ESR_H
#define BULKHEAD_ARM64_ESR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ESR_ELx (Arm ARM D17.2.37) */
#define ESR_ELx_EC_SHIFT 26
#define ESR_ELx_EC_MASK	 0x3fUL
#define ESR_ELx_IL	 (1UL << 25)
#define ESR_ELx_ISS_MASK 0x1ffffffUL

#define ESR_EC_UNKNOWN	   0x00
#define ESR_EC_WFX	   0x01
#define ESR_EC_CP15_32	   0x03 /* AArch32 MCR/MRC, coprocessor 15 */
#define ESR_EC_CP15_64	   0x04 /* AArch32 MCRR/MRRC, coprocessor 15 */
#define ESR_EC_CP14_MR	   0x05 /* AArch32 MCR/MRC, coprocessor 14 */
#define ESR_EC_CP14_LS	   0x06 /* AArch32 LDC/STC, coprocessor 14 */
#define ESR_EC_SIMD_FP	   0x07
#define ESR_EC_CP10_ID	   0x08 /* AArch32 VMRS of MVFR0-2 or FPSID (HCR_EL2.TID0/TID3) */
#define ESR_EC_OTHER	   0x0a /* LD64B/ST64B* (HCRX_EL2.EnALS/EnAS0/EnASR clear), PSB/TSB CSYNC */
#define ESR_EC_CP14_64	   0x0c /* AArch32 MRRC, coprocessor 14 */
#define ESR_EC_ILLEGAL	   0x0e
#define ESR_EC_SYS128	   0x14 /* MRRS/MSRR (FEAT_SYSREG128) trapped by the fine-grained traps */
#define ESR_EC_SVC64	   0x15
#define ESR_EC_HVC64	   0x16
#define ESR_EC_SMC64	   0x17
#define ESR_EC_SYS64	   0x18
#define ESR_EC_IABT_LOW	   0x20
#define ESR_EC_IABT_CUR	   0x21
#define ESR_EC_PC_ALIGN	   0x22
#define ESR_EC_DABT_LOW	   0x24
#define ESR_EC_DABT_CUR	   0x25
#define ESR_EC_SP_ALIGN	   0x26
#define ESR_EC_SERROR	   0x2f
#define ESR_EC_WATCHPT_LOW 0x34
#define ESR_EC_WATCHPT_CUR 0x35
#define ESR_EC_BRK64	   0x3c
#define ESR_EC_PMU	   0x3d /* PMU exception (FEAT_EBEP) */

/*
 * The trapped instruction's condition, in the ISS of EC 0x01 and 0x03-0x08,
 * 0x0c (WFx, the AArch32 coprocessor and FP/SIMD traps): CV [24], COND
 * [23:20]. From AArch64, CV 1 and COND 0b1110.
 */
#define ESR_ISS_CV	   (1U << 24)
#define ESR_ISS_COND_SHIFT 20
#define ESR_ISS_COND_MASK  0xfU
#define ESR_COND_AL	   0xeU

/* WFI, WFE, WFIT, WFET trapped, EC 0x01 (Arm ARM D17.2.37): TI [1:0], RV [2], RN [9:5] */
#define ESR_ISS_WFX_TI_MASK 0x3U
#define ESR_ISS_WFX_TI_WFIT 0x2U      /* FEAT_WFxT */
#define ESR_ISS_WFX_RV	    (1U << 2) /* RN holds the timeout register */
#define ESR_ISS_WFX_RN(iss) (((iss) >> 5) & 0x1fU)

/* Data/instruction abort ISS */
#define ESR_ISS_ABT_FSC_MASK   0x3fUL
#define ESR_ISS_DABT_WNR       (1UL << 6)
#define ESR_ISS_DABT_S1PTW     (1UL << 7)
#define ESR_ISS_DABT_CM	       (1UL << 8)
#define ESR_ISS_DABT_FNV       (1UL << 10)
#define ESR_FSC_SYNC_EXTERNAL  0x10 /* DFSC/IFSC: synchronous external abort, not on a walk */
#define ESR_FSC_ALIGNMENT      0x21 /* DFSC: alignment fault */
#define ESR_FSC_GPF	       0x28 /* DFSC/IFSC: granule protection fault, not on a walk */
#define ESR_FSC_TLB_CONFLICT   0x30 /* DFSC/IFSC: TLB conflict abort */
#define ESR_ISS_DABT_SRT_SHIFT 16
#define ESR_ISS_DABT_SRT_MASK  0x1fUL
#define ESR_ISS_DABT_SF	       (1UL << 15) /* the load's register is 64-bit (X, not W) */
#define ESR_ISS_DABT_SSE       (1UL << 21)
#define ESR_ISS_DABT_SAS_SHIFT 22
#define ESR_ISS_DABT_SAS_MASK  0x3UL
#define ESR_ISS_DABT_ISV       (1UL << 24)

/*
 * SError, EC 0x2f (Arm ARM: ISS encoding for an SError exception). With IDS
 * set ISS[23:0] is IMPLEMENTATION DEFINED; otherwise DFSC [5:0] and EA, and
 * for an asynchronous SError interrupt the error type AET (FEAT_RAS) and
 * IESB (FEAT_IESB: taken at an implicit error synchronization event).
 */
#define ESR_ISS_SERROR_IDS	  (1UL << 24)
#define ESR_ISS_SERROR_IMPDEF	  0xffffffUL
#define ESR_ISS_SERROR_IESB	  (1UL << 13)
#define ESR_ISS_SERROR_AET(iss)	  (((iss) >> 10) & 0x7U)
#define ESR_AET_UC		  0 /* uncontainable: may have spread beyond the PE's context */
#define ESR_AET_UEO		  2 /* restartable: the error not yet consumed */
#define ESR_AET_CE		  6 /* corrected */
#define ESR_ISS_SERROR_EA	  (1UL << 9)
#define ESR_ISS_SERROR_DFSC_UNCAT 0x00 /* uncategorized error */
#define ESR_ISS_SERROR_DFSC_ASYNC 0x11 /* asynchronous SError interrupt */

/*
 * Trapped AArch32 coprocessor accesses (Arm ARM D17.2.37: ISS for EC 0x03-0x06,
 * 0x0c). Bit 0 is the direction, 1 = read (MRC, MRRC, LDC) for all of them.
 */
#define ESR_ISS_CP_DIR_READ	(1UL << 0)
#define ESR_ISS_CP_CRm(iss)	(((iss) >> 1) & 0xfU)
#define ESR_ISS_CP_Rt(iss)	(((iss) >> 5) & 0x1fU)
#define ESR_ISS_CP_CRn(iss)	(((iss) >> 10) & 0xfU)	/* MCR/MRC */
#define ESR_ISS_CP_Rt2(iss)	(((iss) >> 10) & 0x1fU) /* MCRR/MRRC */
#define ESR_ISS_CP_Opc1(iss)	(((iss) >> 14) & 0x7U)	/* MCR/MRC */
#define ESR_ISS_CP_Opc1_64(iss) (((iss) >> 16) & 0xfU)	/* MCRR/MRRC */
#define ESR_ISS_CP_Opc2(iss)	(((iss) >> 17) & 0x7U)	/* MCR/MRC */
#define ESR_ISS_CP_Imm8(iss)	(((iss) >> 12) & 0xffU) /* LDC/STC */
#define ESR_ISS_CP_Rn(iss)	(((iss) >> 5) & 0x1fU)	/* LDC/STC */

/*
 * ISS for EC 0x0a (Arm ARM, ESR_EL2: exception from LD64B or ST64B*, or a
 * trapped TSB CSYNC (HFGITR2_EL2.TSBCSYNC) or PSB CSYNC (HFGITR_EL2.PSBCSYNC));
 * Linux's arch/arm64/include/asm/esr.h has the same values.
 */
#define ESR_ISS_OTHER_ST64BV   0
#define ESR_ISS_OTHER_ST64BV0  1
#define ESR_ISS_OTHER_LDST64B  2
#define ESR_ISS_OTHER_TSBCSYNC 3
#define ESR_ISS_OTHER_PSBCSYNC 4

/*
 * Trapped MSR/MRS, EC 0x18 (Arm ARM D17.2.37: ISS for an exception from MSR, MRS or System),
 * and MRRS/MSRR/SYSP, EC 0x14, whose ISS has the same fields (Rt: the even register of the pair).
 */
#define ESR_ISS_SYS_DIR_READ (1UL << 0) /* Direction: 1 = MRS (read), 0 = MSR (write) */
#define ESR_ISS_SYS_CRm(iss) (((iss) >> 1) & 0xfU)
#define ESR_ISS_SYS_Rt(iss)  (((iss) >> 5) & 0x1fU)
#define ESR_ISS_SYS_CRn(iss) (((iss) >> 10) & 0xfU)
#define ESR_ISS_SYS_Op1(iss) (((iss) >> 14) & 0x7U)
#define ESR_ISS_SYS_Op2(iss) (((iss) >> 17) & 0x7U)
#define ESR_ISS_SYS_Op0(iss) (((iss) >> 20) & 0x3U)
/* The register a trapped MSR/MRS names, as op0:op1:CRn:CRm:op2 packed by ESR_SYSREG(). */
#define ESR_SYSREG(op0, op1, crn, crm, op2) \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
#define ESR_ISS_SYSREG(iss)                                                          \
	ESR_SYSREG(ESR_ISS_SYS_Op0(iss), ESR_ISS_SYS_Op1(iss), ESR_ISS_SYS_CRn(iss), \
		   ESR_ISS_SYS_CRm(iss), ESR_ISS_SYS_Op2(iss))

static inline unsigned int esr_ec(uint64_t esr)
{
	return (unsigned int)((esr >> ESR_ELx_EC_SHIFT) & ESR_ELx_EC_MASK);
}

static inline uint32_t esr_iss(uint64_t esr)
{
	return (uint32_t)(esr & ESR_ELx_ISS_MASK);
}

/* "data abort, same EL", or "unknown EC" for reserved values. */
const char *esr_ec_name(unsigned int ec);
/* A buffer that holds any esr_ec_name(): the longest is 30 characters. */
#define ESR_EC_NAME_MAX 32
/* Lookup levels run from -2 (FEAT_D128) to 3: this says a fault has none. */
#define ESR_FSC_NO_LEVEL 4
/* "translation fault" style name of an abort's FSC, and its level in *level. */
const char *esr_fsc_name(unsigned int fsc, int *level);
/*
 * HPFAR_EL2 is written for a stage-2 Translation, Access flag or Address size
 * fault, and for those and a Permission fault on a stage-1 table walk (Arm
 * ARM, shared pseudocode IPAValid()). For a Permission fault of the access
 * itself (a write to read-only shared memory, a fetch from a never-executable
 * page) and every other fault code it is UNKNOWN, and real CPUs may leave the
 * page of an earlier fault there (QEMU happens to write it for all of them).
 * Inline: every trapped MMIO access asks (a call cost 6 instructions a read).
 */
static inline bool esr_abort_ipa_valid(uint64_t esr)
{
	uint32_t iss = esr_iss(esr);

	switch (iss & ESR_ISS_ABT_FSC_MASK & 0x3c) {
	case 0x00: /* address size fault, levels 0-3 */
	case 0x04: /* translation fault */
	case 0x08: /* access flag fault */
		return true;
	case 0x0c: /* permission fault */
		return (iss & ESR_ISS_DABT_S1PTW) != 0;
	default:
		return false;
	}
}

/*
 * The IPA of a stage-2 abort whose HPFAR_EL2 (@hpfar) is valid
 * (esr_abort_ipa_valid()): HPFAR_EL2.FIPA [43:4] holds IPA[51:12], and the
 * offset in the page is FAR_EL2's (@far). Not for a fault on a stage-1
 * table walk (ISS.S1PTW): HPFAR_EL2 then holds the page of the descriptor
 * the walk read, and FAR the VA it was translating, whose offset belongs to
 * another address; that IPA is known to the page only, the offset 0.
 */
static inline uint64_t esr_abort_ipa(uint64_t esr, uint64_t hpfar, uint64_t far)
{
	uint64_t page = (hpfar >> 4) << 12;

	if (esr_iss(esr) & ESR_ISS_DABT_S1PTW)
		return page;
	return page | (far & 0xfff);
}

/*
 * What a trapped abort was, for its report: "fetch", "read" or "write"
 * (ISS.WnR; a cache maintenance instruction is a write). For a fault on a
 * stage-1 table walk WnR is the walk's own access (a hardware update of a
 * descriptor), not the instruction's: a data access is then "data access".
 */
const char *esr_abort_access(uint64_t esr);

/*
 * Why a trapped abort @esr of an emulated device's page (which stage 2 never
 * maps) could not be emulated, by its syndrome alone: a stage-1 table walk
 * that reached it, a fetch, a data access without a valid syndrome (ISV 0),
 * else one of a width or alignment the device does not take.
 */
const char *esr_device_refusal(uint64_t esr);

/*
 * Why a trapped abort @esr was refused, when the fault code alone tells: a
 * data abort's Alignment fault (HPFAR_EL2 gives no IPA for it), a Permission
 * fault on a stage-1 table walk (the walk's update of a descriptor in the
 * cell's read-only memory); NULL otherwise.
 */
const char *esr_abort_cause(uint64_t esr);

/*
 * Whose is a cell's stage-2 abort (EC 0x20, 0x24 taken to EL2), by its fault
 * code? The hypervisor builds each cell's stage 2 once, at boot
 * (arch/arm64/stage2.c): the access flag set in every entry (VTCR_EL2.HA is
 * 0) and every output address, of the tables as of the pages, within the PA
 * size VTCR_EL2.PS names. So:
 * - a translation fault is the guest's: an IPA the cell lacks, at level 0
 *   also for one above the stage-2 input size VTCR_EL2.T0SZ gives (Arm ARM,
 *   AArch64.S2Translate(): AArch64.IPAIsOutOfRange()); so are a permission
 *   fault (read-only shared memory, never-executable devices, on purpose),
 *   an alignment fault and the other codes;
 * - an access flag or address size fault is the hypervisor's tables' (at
 *   stage 2 an address size fault is an output address above VTCR_EL2.PS,
 *   never the IPA: that one is a translation fault);
 * - a synchronous external abort or a parity/ECC error on a table walk is
 *   the hardware's: without HCR_EL2.TEA only a stage-2 walk's, which reads
 *   the hypervisor's tables, is taken to EL2 (S1PTW 1: the stage-2 walk for
 *   an access of the guest's stage-1 walk);
 * - a granule protection fault (FEAT_RME) is the firmware's: its granule
 *   protection table denies the Non-secure world a physical address stage 2
 *   reads or maps. With HCR_EL2.GPF 0 (arch/arm64/vcpu.c) only one on the
 *   stage-2 walk, reading the hypervisor's tables, is taken to EL2 as a
 *   stage-2 abort; one on the access's own output address (0x28) goes to
 *   the guest's EL1, or EL3 under SCR_EL3.GPF, and would be the memory the
 *   layout gave the cell;
 * - a TLB conflict abort is overlapping TLB entries, stage 2's or, as it is
 *   IMPLEMENTATION DEFINED at which stage it is reported, the guest's stage
 *   1's changed without break-before-make.
 * Codes for levels below 0 (FEAT_LPA2, FEAT_D128) are their level 0's.
 */
enum esr_s2_owner {
	ESR_S2_GUEST,
	ESR_S2_TABLES,	     /* access flag, address size */
	ESR_S2_HARDWARE,     /* external abort or parity/ECC error on the stage-2 walk */
	ESR_S2_FIRMWARE,     /* granule protection fault: the firmware's GPT */
	ESR_S2_TLB_CONFLICT, /* overlapping TLB entries */
};
enum esr_s2_owner esr_stage2_owner_of_fsc(unsigned int fsc);

/* Inline: a translation fault, every emulated access's, is decided without a call. */
static inline enum esr_s2_owner esr_stage2_owner(uint64_t esr)
{
	unsigned int fsc = esr_iss(esr) & ESR_ISS_ABT_FSC_MASK;

	if (__builtin_expect((fsc & 0x3c) == 0x04, 1))
		return ESR_S2_GUEST;
	return esr_stage2_owner_of_fsc(fsc);
}

/*
 * Why a stage-2 abort @esr that is not the guest's (esr_stage2_owner()) is
 * whose it is, for its report: "the hypervisor's stage-2 tables: ...",
 * "the hardware: ...", "the firmware: ...". NULL for the guest's own.
 */
const char *esr_stage2_not_guests(uint64_t esr);

/*
 * Does FAR_ELx hold the address of the exception @esr reports? The PE writes
 * it for an Instruction or Data Abort, a PC alignment fault and a Watchpoint
 * exception (EC 0x20-0x25, 0x34, 0x35), and for those only where ISS.FnV is
 * 0 (bit 10 in the abort and watchpoint syndromes); for every other class,
 * an SError among them, FAR is UNKNOWN: whatever an earlier fault left.
 */
enum esr_far {
	ESR_FAR_UNKNOWN, /* not written for this class */
	ESR_FAR_VALID,
	ESR_FAR_FNV, /* an abort or watchpoint whose ISS.FnV says it is not valid */
};
enum esr_far esr_far_state(uint64_t esr);

/*
 * The one-line detail of an ESR worth printing after its class, into @buf:
 * for aborts "DFSC 0x07 (translation fault, level 3), WnR 1, access size 4";
 * empty for classes with nothing more to say. Returns the string length.
 */
int esr_describe_iss(uint64_t esr, char *buf, size_t len);
/*
 * A buffer that holds any esr_describe_iss() whole: the longest is 142
 * characters, an abort's IMPLEMENTATION DEFINED fault code with ISV, WnR and
 * S1PTW (tests/unit/test_exception.c tries every class).
 */
#define ESR_DESCRIBE_MAX 160

/*
 * The error type (AET, FEAT_RAS) of an SError whose syndrome is architected:
 * IDS 0 and DFSC 0x11 (asynchronous SError interrupt); ESR_AET_NONE for any
 * other (an IMPLEMENTATION DEFINED syndrome, an uncategorized error, whose
 * AET is RES0), which says nothing of where the error went.
 */
#define ESR_AET_NONE (~0U)
static inline unsigned int esr_serror_aet(uint64_t esr)
{
	uint32_t iss = esr_iss(esr);

	if (esr_ec(esr) != ESR_EC_SERROR || (iss & ESR_ISS_SERROR_IDS) ||
	    (iss & ESR_ISS_ABT_FSC_MASK) != ESR_ISS_SERROR_DFSC_ASYNC)
		return ESR_AET_NONE;
	return ESR_ISS_SERROR_AET(iss);
}

/*
 * FEAT_RAS: an SError whose syndrome says its error was corrected (AET CE)
 * or not yet consumed, the PE restartable (AET UEO), leaves the interrupted
 * code able to go on, as Linux's arm64_is_fatal_ras_serror() judges too.
 * Without RAS the ISS is RES0 (DFSC 0): never one of these.
 */
static inline bool esr_serror_recoverable(uint64_t esr)
{
	unsigned int aet = esr_serror_aet(esr);

	return aet == ESR_AET_CE || aet == ESR_AET_UEO;
}

/*
 * FEAT_RAS: an SError whose syndrome says its error is uncontainable (AET
 * UC): it may have been silently propagated, to memory or caches that are
 * not the interrupted code's alone. Linux's arm64_is_fatal_ras_serror()
 * panics on one, also when a KVM guest took it (kvm_handle_guest_serror()).
 * Only where the CPU has RAS (the caller asks): without it the bits are RES0
 * and an AET of 0 would be no more than that.
 */
static inline bool esr_serror_uncontainable(uint64_t esr)
{
	return esr_serror_aet(esr) == ESR_AET_UC;
}

#endif
