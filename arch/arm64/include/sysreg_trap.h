/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_SYSREG_TRAP_H
#define BULKHEAD_ARM64_SYSREG_TRAP_H

#include <stdbool.h>
#include <stdint.h>
#include "esr.h"
#include "nospec.h"
#include "sysreg.h"
#include "trap_frame.h"

struct vcpu;

/*
 * Trapped system register accesses and system instructions (EC 0x18) other
 * than the GICv3 SGI registers: emulated as docs/traps.md says, or UNDEFINED
 * for the guest (logged, counted). Always returns to the guest.
 */
void sysreg_trap(struct vcpu *vcpu, struct trap_frame *f);

/*
 * What a cell is not given, lowered to 0 ("not implemented") in the ID
 * registers it reads (HCR_EL2.TID3; docs/traps.md, "Given or hidden"): the
 * coarse and fine-grained traps make their registers UNDEFINED, so an
 * unmodified guest must not be told they are there.
 */
#define ID_FIELD(shift) (0xfUL << (shift))
/* ID_PFR0_EL1: AMU (the activity monitors: CPTR_EL2.TAM). */
#define ID_PFR0_HIDDEN ID_FIELD(20)
/*
 * ID_DFR0_EL1: CopTrc, TraceFilt (the trace unit's System registers and
 * TRFCR: CPTR_EL2.TTA, MDCR_EL2.TTRF), PerfMon (the PMU reads as zero,
 * MDCR_EL2.TPM). MMapTrc stays, as MMapDbg does: the memory-mapped
 * interfaces are the external debugger's, reached through no trap, and a
 * cell reaches them only if its layout gives it their MMIO.
 */
#define ID_DFR0_HIDDEN (ID_FIELD(12) | ID_FIELD(24) | ID_FIELD(28))
/* ID_AA64PFR0_EL1: AMU (CPTR_EL2.TAM), MPAM (MPAM2_EL2 is not set up for cells). */
#define ID_AA64PFR0_HIDDEN (ID_FIELD(40) | ID_FIELD(44))
/*
 * ID_AA64PFR1_EL1: MTE, MTE_frac, MTEX (HCR_EL2.ATA clear: the tags would
 * need scrubbing at restart), MPAM_frac, GCS, THE, DF2, PFAR (HCRX_EL2,
 * TCR2_EL1 and SCTLR2_EL1 not given; fine-grained traps set).
 */
#define ID_AA64PFR1_HIDDEN                                                                        \
	(ID_FIELD(8) | ID_FIELD(16) | ID_FIELD(40) | ID_FIELD(44) | ID_FIELD(48) | ID_FIELD(52) | \
	 ID_FIELD(56) | ID_FIELD(60))
/*
 * ID_AA64DFR0_EL1: TraceVer, TraceFilt (the trace unit's System registers and
 * TRFCR_EL1: CPTR_EL2.TTA, MDCR_EL2.TTRF), PMUVer, PMSS, SEBEP, MTPMU, HPMN0
 * (the PMU reads as zero), PMSVer, TraceBuffer, ExtTrcBuff, BRBE (SPE, TRBE
 * and BRBE stay the hypervisor's: MDCR_EL2.TPMS, E2PB, E2TB and the
 * fine-grained traps).
 */
#define ID_AA64DFR0_HIDDEN                                                                       \
	(ID_FIELD(4) | ID_FIELD(8) | ID_FIELD(16) | ID_FIELD(24) | ID_FIELD(32) | ID_FIELD(40) | \
	 ID_FIELD(44) | ID_FIELD(48) | ID_FIELD(52) | ID_FIELD(56) | ID_FIELD(60))
/* ID_AA64MMFR1_EL1: LO (the LORegion registers: HCR_EL2.TLOR). */
#define ID_AA64MMFR1_HIDDEN ID_FIELD(16)
/* ID_AA64ISAR1_EL1: LS64 (HCRX_EL2.EnALS/EnAS0/EnASR clear). */
#define ID_AA64ISAR1_HIDDEN ID_FIELD(60)
/* ID_AA64ISAR2_EL1: SYSREG_128, SYSINSTR_128 (128-bit system registers: D128 not given). */
#define ID_AA64ISAR2_HIDDEN (ID_FIELD(32) | ID_FIELD(36))
/* ID_AA64ISAR3_EL1: CPA (enabled through SCTLR2_EL1, not given). */
#define ID_AA64ISAR3_HIDDEN ID_FIELD(0)

/* The ID registers (op0 3, op1 0, CRn 0) with fields hidden, by ESR_SYSREG() encoding. */
#define SYSREG_ID_PFR0_EL1	ESR_SYSREG(3, 0, 0, 1, 0)
#define SYSREG_ID_DFR0_EL1	ESR_SYSREG(3, 0, 0, 1, 2)
#define SYSREG_ID_AA64PFR0_EL1	ESR_SYSREG(3, 0, 0, 4, 0)
#define SYSREG_ID_AA64PFR1_EL1	ESR_SYSREG(3, 0, 0, 4, 1)
#define SYSREG_ID_AA64DFR0_EL1	ESR_SYSREG(3, 0, 0, 5, 0)
#define SYSREG_ID_AA64ISAR1_EL1 ESR_SYSREG(3, 0, 0, 6, 1)
#define SYSREG_ID_AA64ISAR2_EL1 ESR_SYSREG(3, 0, 0, 6, 2)
#define SYSREG_ID_AA64ISAR3_EL1 ESR_SYSREG(3, 0, 0, 6, 3)
#define SYSREG_ID_AA64MMFR1_EL1 ESR_SYSREG(3, 0, 0, 7, 1)

/* The fields of ID register @reg (ESR_SYSREG() encoding) a cell reads as 0. */
static inline uint64_t id_reg_hidden(uint32_t reg)
{
	switch (reg) {
	case SYSREG_ID_PFR0_EL1:
		return ID_PFR0_HIDDEN;
	case SYSREG_ID_DFR0_EL1:
		return ID_DFR0_HIDDEN;
	case SYSREG_ID_AA64PFR0_EL1:
		return ID_AA64PFR0_HIDDEN;
	case SYSREG_ID_AA64PFR1_EL1:
		return ID_AA64PFR1_HIDDEN;
	case SYSREG_ID_AA64DFR0_EL1:
		return ID_AA64DFR0_HIDDEN;
	case SYSREG_ID_AA64ISAR1_EL1:
		return ID_AA64ISAR1_HIDDEN;
	case SYSREG_ID_AA64ISAR2_EL1:
		return ID_AA64ISAR2_HIDDEN;
	case SYSREG_ID_AA64ISAR3_EL1:
		return ID_AA64ISAR3_HIDDEN;
	case SYSREG_ID_AA64MMFR1_EL1:
		return ID_AA64MMFR1_HIDDEN;
	default:
		return 0;
	}
}

/* Exceptions injected into the guest's EL1 (arch/arm64/guest_trap.c). */
void guest_inject_abort(struct trap_frame *f, bool data);
void guest_inject_undef(struct trap_frame *f);

/*
 * PSTATE for an exception the hypervisor takes to the guest's EL1, as
 * AArch64.TakeException() sets it for a real one (Arm ARM, shared
 * pseudocode, aarch64/exceptions): EL1h, D, A, I, F masked; SS, IL, UAO and
 * BTYPE 0; PAN set if SCTLR_EL1.SPAN is 0, else kept; SSBS =
 * SCTLR_EL1.DSSBS; TCO set; ALLINT = NOT SCTLR_EL1.SPINTMASK; NZCV and DIT
 * kept (DIT is not written there). @old is the SPSR the guest was
 * interrupted with, from AArch64 or AArch32 (same bits for what is kept).
 * @implemented: which of PAN, SSBS, TCO and ALLINT the CPU has; the others
 * are RES0 and stay 0.
 */
static inline uint64_t guest_el1_entry_pstate(uint64_t old, uint64_t sctlr_el1,
					      uint64_t implemented)
{
	uint64_t pan = (sctlr_el1 & SCTLR_EL1_SPAN) ? old & SPSR_PAN : SPSR_PAN;
	uint64_t ssbs = (sctlr_el1 & SCTLR_EL1_DSSBS) ? SPSR_SSBS : 0;
	uint64_t allint = (sctlr_el1 & SCTLR_EL1_SPINTMASK) ? 0 : SPSR_ALLINT;

	return SPSR_M_EL1H | SPSR_DAIF | (old & (SPSR_NZCV | SPSR_DIT)) |
	       ((pan | ssbs | SPSR_TCO | allint) & implemented);
}

/*
 * ESR_EL1 for the abort injected for the trapped abort @esr_el2
 * (guest_inject_abort()): EC of a data or instruction abort from the guest's
 * EL0 or EL1; IL 1 (ISV is 0); FnV as trapped, FAR_EL1 being FAR_EL2; FSC
 * 0x10, a synchronous external abort, but for a data abort's Alignment fault
 * (DFSC 0x21: esr_abort_cause()), which stays one: the fault the guest's own
 * Device mapping of that page would give it. A data abort also keeps WnR and
 * CM: a store reports a write, a cache maintenance instruction CM 1 and WnR
 * 1 (Arm ARM, ISS encoding for a Data Abort). Not on a stage-1 table walk
 * (S1PTW): there ESR_EL2's WnR is the walk's own access, not the instruction's.
 */
static inline uint64_t guest_abort_syndrome(uint64_t esr_el2, bool data, bool from_el0)
{
	uint32_t iss = esr_iss(esr_el2);
	uint64_t ec = data ? (from_el0 ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR)
			   : (from_el0 ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR);
	uint64_t kept = ESR_ISS_DABT_FNV;
	uint64_t fsc = ESR_FSC_SYNC_EXTERNAL;

	if (data && !(iss & ESR_ISS_DABT_S1PTW))
		kept |= ESR_ISS_DABT_WNR | ESR_ISS_DABT_CM;
	if (data && (iss & ESR_ISS_ABT_FSC_MASK) == ESR_FSC_ALIGNMENT)
		fsc = ESR_FSC_ALIGNMENT;
	return (ec << ESR_ELx_EC_SHIFT) | ESR_ELx_IL | (iss & kept) | fsc;
}

/* The guest's general register @r as an MSR/MRS/SYS operand: x31 is XZR. */
static inline uint64_t guest_reg_read(const struct trap_frame *f, unsigned int r)
{
	return r == 31 ? 0 : f->x[r];
}

/*
 * @r is the syndrome's, the guest's choice: past a mispredicted check, x[31]
 * would be the frame's ELR (Spectre-v1.1, a store; docs/traps.md).
 */
static inline void guest_reg_write(struct trap_frame *f, unsigned int r, uint64_t val)
{
	if (r != 31)
		f->x[array_index_nospec(r, 31)] = val;
}

/*
 * When a trapped WFI or WFIT (@f->esr) waiting from @now should end, in
 * CNTVCT_EL0 ticks: at the WFIT's deadline in Xt (ISS.TI 0b10 with RV), and
 * after @max_wait in any case. A WFI may complete early (Arm ARM: the PE may
 * leave the low-power state at any time), and the guest then simply waits
 * again; the bound is what keeps a WFIT that QEMU (10.0) reports as a WFI
 * (TI 0, RV 0) from sleeping past its deadline until some interrupt.
 */
static inline uint64_t guest_wfx_deadline(const struct trap_frame *f, uint64_t now,
					  uint64_t max_wait)
{
	uint32_t iss = esr_iss(f->esr);
	uint64_t timeout;

	if ((iss & ESR_ISS_WFX_TI_MASK) != ESR_ISS_WFX_TI_WFIT || !(iss & ESR_ISS_WFX_RV))
		return now + max_wait;
	timeout = guest_reg_read(f, ESR_ISS_WFX_RN(iss));
	return timeout < now + max_wait ? timeout : now + max_wait;
}

/* ITSTATE, IT[7:0], of an AArch32 SPSR. */
static inline uint64_t spsr_itstate(uint64_t spsr)
{
	return ((spsr & SPSR_IT_HI) >> SPSR_IT_HI_SHIFT) << 2 |
	       (spsr & SPSR_IT_LO) >> SPSR_IT_LO_SHIFT;
}

/*
 * ITAdvance() (Arm ARM, shared pseudocode) on the ITSTATE of an AArch32
 * SPSR: the next instruction of a T32 IT block gets its condition, or the
 * block ends. Outside an IT block (IT 0, and always in A32) nothing changes.
 */
static inline uint64_t spsr_it_advance(uint64_t spsr)
{
	uint64_t it = spsr_itstate(spsr);

	if (!(spsr & SPSR_T) || !it)
		return spsr;
	it = (it & 0x7) ? (it & 0xe0) | ((it << 1) & 0x1f) : 0;
	return (spsr & ~(SPSR_IT_HI | SPSR_IT_LO)) | (it >> 2) << SPSR_IT_HI_SHIFT |
	       (it & 0x3) << SPSR_IT_LO_SHIFT;
}

/* ConditionHolds() (Arm ARM, shared pseudocode): condition @cond on the NZCV flags of @spsr. */
static inline bool spsr_condition_holds(uint64_t spsr, unsigned int cond)
{
	bool n = spsr & (1UL << 31), z = spsr & (1UL << 30), c = spsr & (1UL << 29),
	     v = spsr & (1UL << 28), holds;

	switch (cond >> 1) {
	case 0: /* EQ, NE */
		holds = z;
		break;
	case 1: /* CS, CC */
		holds = c;
		break;
	case 2: /* MI, PL */
		holds = n;
		break;
	case 3: /* VS, VC */
		holds = v;
		break;
	case 4: /* HI, LS */
		holds = c && !z;
		break;
	case 5: /* GE, LT */
		holds = n == v;
		break;
	case 6: /* GT, LE */
		holds = n == v && !z;
		break;
	default: /* AL, and 0b1111 */
		holds = true;
		break;
	}
	return (cond & 1) && cond != 0xf ? !holds : holds;
}

/*
 * A trapped AArch32 instruction that fails its condition code check: it is
 * IMPLEMENTATION DEFINED whether such an instruction traps at all (Arm ARM,
 * ESR_ELx, the COND field: a CPU may take the trap before it checks), and
 * executed it would have been a NOP, so the hypervisor must not wait, emulate
 * or UNDEF for it. Only the exception classes whose ISS holds CV and COND:
 * the condition is COND when CV is 1; when CV is 0 (a T32 instruction, on
 * some CPUs) it is the IT block's, IT[7:4] of the SPSR's ITSTATE, and
 * outside one (IT[3:0] 0) the instruction is unconditional.
 */
static inline bool guest_condition_failed(const struct trap_frame *f)
{
	uint32_t iss = esr_iss(f->esr);
	unsigned int cond, ec = esr_ec(f->esr);
	uint64_t it;

	if (!(f->spsr & SPSR_M_AARCH32))
		return false;
	if (ec != ESR_EC_WFX && (ec < ESR_EC_CP15_32 || ec > ESR_EC_CP10_ID) &&
	    ec != ESR_EC_CP14_64)
		return false;
	if (iss & ESR_ISS_CV) {
		cond = (iss >> ESR_ISS_COND_SHIFT) & ESR_ISS_COND_MASK;
	} else {
		it = spsr_itstate(f->spsr);
		if (!(f->spsr & SPSR_T) || !(it & 0xf))
			return false;
		cond = (unsigned int)(it >> 4);
	}
	return !spsr_condition_holds(f->spsr, cond);
}

/*
 * Past the trapped instruction (ESR_ELx.IL: 32- or 16-bit), leaving PSTATE as
 * its execution would have: BTYPE 0 (only a branch sets it; AArch64, where
 * bits 11:10 are BTYPE, not IT[3:2]); ITSTATE advanced in a T32 IT block;
 * and SS 0. A debugger stepping over the instruction (MDSCR_EL1.SS) ERETed to
 * it with SS 1; the trap saved SS 1 because it did not complete. Now it has:
 * the software-step state machine goes active-pending, and the step exception
 * comes right after it (Arm ARM D2.12, "Software Step exceptions"), not one
 * instruction later.
 */
static inline void guest_skip_instruction(struct trap_frame *f)
{
	f->elr += (f->esr & ESR_ELx_IL) ? 4 : 2;
	if (f->spsr & SPSR_M_AARCH32)
		f->spsr = spsr_it_advance(f->spsr);
	else
		f->spsr &= ~SPSR_BTYPE;
	f->spsr &= ~SPSR_SS;
}

#endif
