// SPDX-License-Identifier: GPL-2.0-only
/*
 * Entering a vCPU. With one vCPU per physical CPU the guest's EL1 state
 * lives in the CPU itself between traps; only a (re)start resets it, to the
 * state the Linux arm64 boot protocol promises.
 */
#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cpu_local.h"
#include "cpu_stack.h"
#include "sysreg.h"
#include "vgic_hw.h"

#define SCTLR_EL1_RES1	0x30d00800UL
#define VMPIDR_EL2_RES1 (1UL << 31)
#define SPSR_EL1H_DAIF	(SPSR_M_EL1H | SPSR_DAIF)

/*
 * Trapped on every cell (docs/traps.md has the table and the reasons): SMC
 * (firmware is not the guest's), WFI, set/way cache maintenance (emulated on
 * the cell's own memory), ACTLR_EL1 and the IMPLEMENTATION DEFINED registers
 * (CPU-wide controls a cell must not change), the ID registers (read with
 * the features the cell is not given hidden, sysreg_trap.c); stage 2 on. Pointer
 * authentication is not trapped where the CPU has it, RAS error records and
 * the LORegion registers are (hcr_el2_guest()).
 */
#define HCR_EL2_GUEST                                                                        \
	(HCR_EL2_VM | HCR_EL2_SWIO | HCR_EL2_FMO | HCR_EL2_IMO | HCR_EL2_AMO | HCR_EL2_TSC | \
	 HCR_EL2_TWI | HCR_EL2_TIDCP | HCR_EL2_TACR | HCR_EL2_TSW | HCR_EL2_TID3 | HCR_EL2_RW)
/*
 * Direct interrupt mode (docs/vgic.md): physical IRQs, all the cell's own
 * (Group 1), go to its EL1. FIQs (the hypervisor's Group 0) still come to
 * EL2, and so do guest SGIs (FMO traps ICC_SGI1R_EL1) and WFI: a guest that
 * holds off the kick with a priority of its own must not sleep with it
 * (vgic_direct_release_hold()); the CPU waits for it at EL2 (vectors.S).
 */
#define HCR_EL2_GUEST_DIRECT (HCR_EL2_GUEST & ~HCR_EL2_IMO)

/*
 * Debug: the breakpoint, watchpoint and step registers are the cell's own (one
 * vCPU per physical CPU, debug exceptions target EL1 and are never generated
 * at EL2), so they are not trapped; the OS lock registers and DBGPRCR_EL1
 * (power-down and external-debug controls of the physical CPU) and MDRAR_EL1
 * (a physical address) are. PMU: every register trapped, read as zero. The
 * trace filter controls (TRFCR_EL1, MDCR_EL2.TTRF) and SPE's sampling
 * controls (PMSCR_EL1 & co, MDCR_EL2.TPMS) are trapped where the CPU has
 * them (mdcr_el2_guest()): the trace unit and the profiling buffer are not
 * the cell's. The buffer's own registers (PMB*_EL1) trap with E2PB 0, which
 * also makes EL2 its owner.
 */
#define MDCR_EL2_GUEST (MDCR_EL2_TDOSA | MDCR_EL2_TDRA | MDCR_EL2_TPM | MDCR_EL2_TPMCR)

void arch_enter_guest(uint64_t entry, uint64_t spsr, uint64_t x0, uint64_t stack_top)
	__attribute__((noreturn));
void fpsimd_reset(bool sve);

/* Breakpoint or watchpoint @n off and its address cleared. */
#define DBG_RESET_CASE(kind, n)                          \
	case n:                                          \
		write_sysreg(0, dbg##kind##cr##n##_el1); \
		write_sysreg(0, dbg##kind##vr##n##_el1); \
		break
#define DBG_RESET(kind, n)                \
	switch (n) {                      \
		DBG_RESET_CASE(kind, 0);  \
		DBG_RESET_CASE(kind, 1);  \
		DBG_RESET_CASE(kind, 2);  \
		DBG_RESET_CASE(kind, 3);  \
		DBG_RESET_CASE(kind, 4);  \
		DBG_RESET_CASE(kind, 5);  \
		DBG_RESET_CASE(kind, 6);  \
		DBG_RESET_CASE(kind, 7);  \
		DBG_RESET_CASE(kind, 8);  \
		DBG_RESET_CASE(kind, 9);  \
		DBG_RESET_CASE(kind, 10); \
		DBG_RESET_CASE(kind, 11); \
		DBG_RESET_CASE(kind, 12); \
		DBG_RESET_CASE(kind, 13); \
		DBG_RESET_CASE(kind, 14); \
		DBG_RESET_CASE(kind, 15); \
	default:                          \
		break;                    \
	}

/*
 * Every breakpoint and watchpoint the CPU has (ID_AA64DFR0_EL1.BRPs/WRPs + 1,
 * at most 16) off with its address cleared, the claim tags clear and the OS
 * lock the guest sees locked as a cold reset leaves them: nothing of a
 * previous run's debugging survives a restart (the claim tags, which the
 * guest reaches untrapped, would carry 8 bits from one run to the next).
 *
 * The CPU's own OS lock is left unlocked, the guest's is emulated
 * (sysreg_trap.c): with OSLK set, MDSCR_EL1's external debug fields (HDE,
 * INTdis, TDA, TFO) and OSECCR_EL1 become writable from EL1 and reach
 * EDSCR and EDECCR; INTdis would mask the hypervisor's own interrupts on
 * this CPU where external invasive debug is enabled, HDE plus HLT halt it.
 */
static void reset_debug(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
	unsigned int brps = id_field(dfr0, ID_AA64DFR0_BRPS_SHIFT) + 1;
	unsigned int wrps = id_field(dfr0, ID_AA64DFR0_WRPS_SHIFT) + 1;
	unsigned int n;

	for (n = 0; n < brps; n++)
		DBG_RESET(b, n)
	for (n = 0; n < wrps; n++)
		DBG_RESET(w, n)
	write_sysreg(0xff, dbgclaimclr_el1);
	write_sysreg(1, oslar_el1);
	/*
	 * The debug communications channel and OSECCR_EL1 reach the guest
	 * untrapped (no MDCR_EL2.TDA), and no debugger drains them: 64 bits
	 * and more from one run to the next. Their full flags in MDSCR_EL1
	 * are writable only with the OS lock locked, as it is once the ISB
	 * makes the OSLAR_EL1 write visible to the accesses after it.
	 */
	isb();
	zero_sysregs(osdtrrx_el1, osdtrtx_el1, oseccr_el1, mdscr_el1);
	write_sysreg(0, oslar_el1);
	isb();
	this_cpu()->guest_os_lock = true;
}

bool arch_cpu_has_pmu(void)
{
	unsigned int pmuver = id_field(read_sysreg(id_aa64dfr0_el1), ID_AA64DFR0_PMUVER_SHIFT);

	return pmuver != 0 && pmuver != 0xf;
}

/*
 * What MDCR_EL2 gives a cell: the traps above, HPMN = every counter (PMCR_EL0.N
 * at EL2), TTRF with FEAT_TRF and TPMS with FEAT_SPE (RES0 without them).
 * Without TPMS a cell could enable sampling of its EL1 (PMSCR_EL1.E1SPE) into
 * a profiling buffer the firmware left enabled, written through EL2's
 * translation (boot/head.S disables it at boot).
 */
static uint64_t mdcr_el2_guest(void)
{
	uint64_t mdcr = MDCR_EL2_GUEST;
	uint64_t hpmn = 0;

	if (arch_cpu_has_pmu())
		hpmn = (read_sysreg(pmcr_el0) >> PMCR_EL0_N_SHIFT) & PMCR_EL0_N_MASK;
	if (cpu_has_trf())
		mdcr |= MDCR_EL2_TTRF;
	if (cpu_has_spe())
		mdcr |= MDCR_EL2_TPMS;
	return mdcr | (hpmn & MDCR_EL2_HPMN_MASK);
}

/*
 * What depends on the CPU's features (each bit is RES0 without its feature):
 * - the cell's pointer authentication keys and instructions are its own (one
 *   vCPU per CPU, and the hypervisor signs nothing: SCTLR_EL2.EnIA & co are
 *   clear): HCR_EL2.API and APK;
 * - the RAS error records are not (HCR_EL2.TERR): a record may belong to a
 *   cache or an interconnect other cells share, and it holds their physical
 *   addresses; sysreg_trap.c shows the cell none;
 * - SCXTNUM_EL0/EL1 (software context numbers for the branch predictors of
 *   this CPU) are the cell's: HCR_EL2.EnSCXT, reset on each (re)start;
 * - the LORegion registers (FEAT_LOR) are not (HCR_EL2.TLOR, as KVM does):
 *   on a CPU with LORegion descriptors (LORID_EL1), LORSA/LOREA/LORN/LORC_EL1
 *   would carry their bits from one run of the cell to the next, and no
 *   guest this project knows uses LORegions.
 *   UNDEFINED for the cell (sysreg_trap.c) and ID_AA64MMFR1_EL1.LO reads 0.
 *   LDLAR and STLLR are not trapped: without LORegions of its own, the cell
 *   gains nothing from them.
 */
static uint64_t hcr_el2_guest(const struct cell *cell)
{
	uint64_t hcr =
		cell->cfg->irq_mode == LAYOUT_IRQ_DIRECT ? HCR_EL2_GUEST_DIRECT : HCR_EL2_GUEST;

	if (cpu_has_pauth())
		hcr |= HCR_EL2_API | HCR_EL2_APK;
	if (cpu_has_ras())
		hcr |= HCR_EL2_TERR;
	if (cpu_has_scxtnum())
		hcr |= HCR_EL2_EnSCXT;
	if (cpu_has_lor())
		hcr |= HCR_EL2_TLOR;
	return hcr;
}

/*
 * The state of the optional features a cell owns (boot/head.S leaves them
 * untrapped) back to what a reset leaves, so that a (re)start does not begin
 * with the previous run's: outside Streaming SVE mode with ZA off (SVCR), the
 * EL1 vector length and SME controls, TPIDR2_EL0, the pointer authentication
 * keys, SCXTNUM_EL0/EL1. The register contents are the cell's CPU's own, but a new boot must
 * not inherit the last one's (its keys, its vectors): the FP/SIMD and SVE
 * registers are zeroed (fpsimd.S), after SVCR so outside streaming mode.
 */
static void reset_optional_el1_state(void)
{
	if (cpu_has_sme()) {
		write_sysreg_s(0, SYS_SVCR);
		write_sysreg_s(0, SYS_SMCR_EL1);
		write_sysreg_s(0, SYS_SMPRI_EL1);
		write_sysreg_s(0, SYS_TPIDR2_EL0);
		isb();
	}
	if (cpu_has_sve())
		write_sysreg_s(0, SYS_ZCR_EL1);
	fpsimd_reset(cpu_has_sve());
	if (cpu_has_scxtnum()) {
		write_sysreg_s(0, SYS_SCXTNUM_EL0);
		write_sysreg_s(0, SYS_SCXTNUM_EL1);
	}
	if (cpu_has_pauth()) {
		write_sysreg_s(0, SYS_APIAKEYLO_EL1);
		write_sysreg_s(0, SYS_APIAKEYHI_EL1);
		write_sysreg_s(0, SYS_APIBKEYLO_EL1);
		write_sysreg_s(0, SYS_APIBKEYHI_EL1);
		write_sysreg_s(0, SYS_APDAKEYLO_EL1);
		write_sysreg_s(0, SYS_APDAKEYHI_EL1);
		write_sysreg_s(0, SYS_APDBKEYLO_EL1);
		write_sysreg_s(0, SYS_APDBKEYHI_EL1);
		write_sysreg_s(0, SYS_APGAKEYLO_EL1);
		write_sysreg_s(0, SYS_APGAKEYHI_EL1);
	}
}

void arch_fpsimd_claim(void)
{
	/* Streaming SVE mode makes most FP/SIMD instructions illegal without FEAT_SME_FA64. */
	if (cpu_has_sme()) {
		write_sysreg_s(0, SYS_SVCR);
		isb();
	}
}

bool arch_guest_big_endian(void)
{
	return read_sysreg(sctlr_el1) & SCTLR_EL1_EE;
}

static void reset_el1_sysregs(unsigned int vcpu_index, bool big_endian)
{
	write_sysreg(SCTLR_EL1_RES1 | (big_endian ? SCTLR_EL1_EE : 0), sctlr_el1);
	zero_sysregs(cpacr_el1, vbar_el1, tcr_el1, ttbr0_el1, ttbr1_el1, mair_el1, amair_el1,
		     contextidr_el1, tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1, elr_el1,
		     spsr_el1, esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1, mdscr_el1,
		     cntkctl_el1, cntv_ctl_el0, cntp_ctl_el0, cntv_cval_el0, cntp_cval_el0,
		     csselr_el1, mdccint_el1);
	/* DISR_EL1 as the cell reads it (HCR_EL2.AMO): no deferred SError from before. */
	if (cpu_has_ras())
		write_sysreg_s(0, SYS_VDISR_EL2);
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(VMPIDR_EL2_RES1 | vcpu_index, vmpidr_el2);
	reset_debug();
	reset_optional_el1_state();
	/* A set/way operation the last run left half done is not this one's (set_way.h). */
	set_way_reset(&this_cpu()->set_way);
	/* Nor is a TLB conflict streak (guest_abort.h). */
	guest_abort_streak_reset(&this_cpu()->tlb_conflict);
}

/*
 * EL2 runs with PSTATE.A set, so an SError that became pending while this
 * CPU was at EL2 stays pending: a bus's late refusal of the last boot's
 * write, or of one of the hypervisor's own accesses (a device quiesced at a
 * stop). Left there, it is taken at the eret into the boot entered now, and
 * charged to that boot (its on-fault policy again, at its first
 * instruction). At a vCPU's first entry of a boot it is taken here instead,
 * in a window opened for it (exception_dispatch() says so and returns), and
 * told as what it is. At a later entry of the same boot (CPU_OFF, then
 * CPU_ON) it is left pending: the boot caused it, and takes it at the eret
 * as its own fault (before 2026-11-24 it was told as from before the boot,
 * and escaped the on-fault policy).
 */
#define ISR_EL1_A (1UL << 8)

static void take_pending_serror(struct vcpu *vcpu)
{
	if (!vcpu_enters_new_boot(vcpu))
		return;
	if (!(read_sysreg(isr_el1) & ISR_EL1_A))
		return;
	this_cpu()->serror_window = true;
	__asm__ volatile("msr daifclr, #4\n\tisb\n\tmsr daifset, #4\n\tisb" ::: "memory");
	this_cpu()->serror_window = false;
}

bool arch_vcpu_serror_window(void)
{
	return this_cpu()->serror_window;
}

bool arch_serror_pending(void)
{
	return read_sysreg(isr_el1) & ISR_EL1_A;
}

/*
 * DSB SY: the accesses complete, and a bus's refusal of one becomes a
 * pending SError. With PSTATE.A clear, the ISB takes one already pending,
 * and the ESB (FEAT_RAS; a NOP without it, HINT #16) one the error
 * synchronization still holds.
 */
void arch_serror_take_for(struct cell *cell)
{
	this_cpu()->serror_cell = cell;
	__asm__ volatile("dsb sy\n\tmsr daifclr, #4\n\tisb\n\thint #16\n\tmsr daifset, #4\n\tisb" ::
				 : "memory");
	this_cpu()->serror_cell = NULL;
}

struct cell *arch_serror_window_cell(void)
{
	return this_cpu()->serror_cell;
}

void arch_vcpu_enter(struct vcpu *vcpu)
{
	take_pending_serror(vcpu);
	reset_el1_sysregs(vcpu->index, vcpu->big_endian);
	arch_stage2_activate(vcpu->cell);
	write_sysreg(hcr_el2_guest(vcpu->cell), hcr_el2);
	write_sysreg(mdcr_el2_guest(), mdcr_el2);
	/*
	 * The guest reads PMUSERENR_EL0 as 0 and its writes are ignored (TPM):
	 * what firmware left there (UNKNOWN at reset) would let the cell's EL0
	 * reach the PMU past its kernel, to EL2's read-as-zero, instead of the
	 * trap to EL1 (EC 0x18) that kernel expects, and takes before TPM.
	 */
	if (arch_cpu_has_pmu())
		write_sysreg(0, pmuserenr_el0);
	/*
	 * So is AMUSERENR_EL0 (UNKNOWN at reset; the guest's accesses trap,
	 * CPTR_EL2.TAM): with EN left 1, the cell's EL0 reads of the activity
	 * monitors would pass its kernel for EL2's trap, an UNDEF counted as
	 * the cell's fault, instead of the trap to EL1 (EC 0x18) that kernel
	 * expects. EL2 may write it with CPTR_EL3.TAM 0, which Linux's
	 * booting.rst asks of the firmware on a CPU with FEAT_AMU.
	 */
	if (cpu_has_amu())
		write_sysreg_s(0, SYS_AMUSERENR_EL0);
	isb();
	/* A fresh virtual CPU interface, then whatever the vGIC already has pending for it. */
	vgic_hw_vcpu_reset(vcpu);
	vgic_hw_flush(vcpu);
	/* Nothing the guest's new stage 2 context could hit in the I-cache from before. */
	__asm__ volatile("ic iallu" : : : "memory");
	dsb(nsh);
	isb();
	arch_enter_guest(vcpu->entry, SPSR_EL1H_DAIF, vcpu->context, cpu_stack_enter_private());
}
