// SPDX-License-Identifier: GPL-2.0-only
/*
 * Entering a vCPU. With one vCPU per physical CPU the guest's EL1 state
 * lives in the CPU itself between traps; only a (re)start resets it, to the
 * state the Linux arm64 boot protocol promises.
 */
#include "arch/vcpu.h"
#include "asm_defs.h"
#include "cpu_local.h"
#include "sysreg.h"
#include "vgic_hw.h"

#define SCTLR_EL1_RES1 0x30d00800UL
#define VMPIDR_EL2_RES1 (1UL << 31)
#define SPSR_EL1H_DAIF (SPSR_M_EL1H | SPSR_D | SPSR_A | SPSR_I | SPSR_F)

/* Trapped on every cell: SMC (firmware is not the guest's), and stage 2 on. */
#define HCR_EL2_GUEST \
	(HCR_EL2_VM | HCR_EL2_SWIO | HCR_EL2_FMO | HCR_EL2_IMO | HCR_EL2_AMO | HCR_EL2_TSC | \
	 HCR_EL2_TWI | HCR_EL2_RW)

extern uint8_t cpu_stacks[MAX_CPUS][STACK_SIZE];
void arch_stage2_activate(struct cell *cell);
void arch_enter_guest(uint64_t entry, uint64_t spsr, uint64_t x0, uint64_t stack_top)
	__attribute__((noreturn));

static void reset_el1_sysregs(unsigned int vcpu_index)
{
	write_sysreg(SCTLR_EL1_RES1, sctlr_el1);
	write_sysreg(0, cpacr_el1);
	write_sysreg(0, vbar_el1);
	write_sysreg(0, tcr_el1);
	write_sysreg(0, ttbr0_el1);
	write_sysreg(0, ttbr1_el1);
	write_sysreg(0, mair_el1);
	write_sysreg(0, amair_el1);
	write_sysreg(0, contextidr_el1);
	write_sysreg(0, tpidr_el0);
	write_sysreg(0, tpidrro_el0);
	write_sysreg(0, tpidr_el1);
	write_sysreg(0, sp_el0);
	write_sysreg(0, sp_el1);
	write_sysreg(0, elr_el1);
	write_sysreg(0, spsr_el1);
	write_sysreg(0, esr_el1);
	write_sysreg(0, far_el1);
	write_sysreg(0, afsr0_el1);
	write_sysreg(0, afsr1_el1);
	write_sysreg(0, par_el1);
	write_sysreg(0, mdscr_el1);
	write_sysreg(0, cntkctl_el1);
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	write_sysreg(0, cntv_cval_el0);
	write_sysreg(0, cntp_cval_el0);
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(VMPIDR_EL2_RES1 | vcpu_index, vmpidr_el2);
}

void arch_vcpu_enter(struct vcpu *vcpu)
{
	unsigned int cpu = this_cpu()->index;

	reset_el1_sysregs(vcpu->index);
	arch_stage2_activate(vcpu->cell);
	write_sysreg(HCR_EL2_GUEST, hcr_el2);
	isb();
	/* A fresh virtual CPU interface, then whatever the vGIC already has pending for it. */
	vgic_hw_vcpu_reset(vcpu);
	vgic_hw_flush(vcpu);
	/* Nothing the guest's new stage 2 context could hit in the I-cache from before. */
	__asm__ volatile("ic iallu" : : : "memory");
	dsb(nsh);
	isb();
	arch_enter_guest(vcpu->entry, SPSR_EL1H_DAIF, vcpu->context,
			 (uintptr_t)cpu_stacks[cpu] + STACK_SIZE);
}

void arch_cpu_kick_all(void)
{
	dsb(ish);
	sev();
}

void arch_cpu_wait_event(void)
{
	wfe();
}
