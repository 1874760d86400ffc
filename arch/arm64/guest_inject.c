// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exceptions the hypervisor takes to a guest's EL1 on its behalf: an external
 * abort for an access nothing answers, an undefined instruction for what the
 * platform does not have. Built as the hardware would take them (Arm ARM D1.3),
 * so an unmodified kernel's own handlers see nothing unusual.
 */
#include <stdbool.h>
#include "esr.h"
#include "sysreg.h"
#include "sysreg_trap.h"
#include "trap_frame.h"

#define VBAR_OFFSET_CUR_SP0   0x000
#define VBAR_OFFSET_CUR_SPX   0x200
#define VBAR_OFFSET_LOWER_A64 0x400
#define VBAR_OFFSET_LOWER_A32 0x600

/* The PSTATE bits guest_el1_entry_pstate() sets that this CPU has (the ID fields). */
static uint64_t entry_pstate_implemented(void)
{
	uint64_t pfr1 = read_sysreg(id_aa64pfr1_el1);
	uint64_t bits = 0;

	if (id_field(read_sysreg(id_aa64mmfr1_el1), ID_AA64MMFR1_PAN_SHIFT))
		bits |= SPSR_PAN;
	if (id_field(pfr1, ID_AA64PFR1_SSBS_SHIFT))
		bits |= SPSR_SSBS;
	if (id_field(pfr1, ID_AA64PFR1_MTE_SHIFT))
		bits |= SPSR_TCO;
	if (id_field(pfr1, ID_AA64PFR1_NMI_SHIFT))
		bits |= SPSR_ALLINT;
	return bits;
}

static bool from_el0(const struct trap_frame *f)
{
	return (f->spsr & SPSR_M_AARCH32) || (f->spsr & SPSR_M_MASK) == SPSR_M_EL0T;
}

/*
 * Take a synchronous exception to the guest's EL1 with syndrome @esr, as the
 * hardware would (Arm ARM D1.3: exception entry): ELR_EL1/SPSR_EL1 get the
 * trapped instruction and state, execution continues at the EL1 vector for
 * where the guest was (current EL with SP0 or SPx, lower EL AArch64/AArch32)
 * with the PSTATE a real exception would give (guest_el1_entry_pstate()):
 * a kernel that relies on PAN, SSBS or TCO being set on entry gets them.
 */
static void enter_guest_el1(struct trap_frame *f, uint64_t esr)
{
	uint64_t offset;

	if (f->spsr & SPSR_M_AARCH32)
		offset = VBAR_OFFSET_LOWER_A32;
	else if (from_el0(f))
		offset = VBAR_OFFSET_LOWER_A64;
	else if ((f->spsr & SPSR_M_MASK) == SPSR_M_EL1T)
		offset = VBAR_OFFSET_CUR_SP0;
	else
		offset = VBAR_OFFSET_CUR_SPX;

	write_sysreg(f->elr, elr_el1);
	write_sysreg(f->spsr, spsr_el1);
	write_sysreg(esr, esr_el1);
	f->elr = read_sysreg(vbar_el1) + offset;
	f->spsr =
		guest_el1_entry_pstate(f->spsr, read_sysreg(sctlr_el1), entry_pstate_implemented());
}

/*
 * Deliver a synchronous external abort to the guest's EL1, as the bus would
 * for an address with nothing behind it, or the Alignment fault stage 2 gave
 * (guest_abort_syndrome()). FAR_EL1 is
 * FAR_EL2, and so is its validity (FnV, same bit in both ISS). The FSC is 0x10 even when the abort
 * hit a stage-1 table walk (S1PTW), where hardware reports 0x14 + the
 * stage-1 level: that level is known only from a walk of the guest's tables
 * (HPFAR_EL2 gives the descriptor's page, not its offset), which the
 * hypervisor does not do (docs/traps.md).
 */
void guest_inject_abort(struct trap_frame *f, bool data)
{
	write_sysreg(f->far, far_el1);
	enter_guest_el1(f, guest_abort_syndrome(f->esr, data, from_el0(f)));
}

/*
 * The trapped instruction is UNDEFINED for the guest: an exception with EC
 * 0x00 (unknown reason) at its EL1, ELR_EL1 = the instruction, as a CPU
 * without the register or operation would raise (Arm ARM D1.3). From
 * AArch32 EL0 it is taken to the Lower EL using AArch32 vector with the
 * AArch32 CPSR in SPSR_EL1. ESR_EL1.IL is RES1 with EC 0x00.
 */
void guest_inject_undef(struct trap_frame *f)
{
	enter_guest_el1(f, ((uint64_t)ESR_EC_UNKNOWN << ESR_ELx_EC_SHIFT) | ESR_ELx_IL);
}
