// SPDX-License-Identifier: GPL-2.0-only
/*
 * Synchronous exceptions from a cell, decoded by ESR_EL2.EC. Everything the
 * guest controls (registers, addresses, syndromes it provokes) is checked
 * before use; what cannot be emulated ends in an injected abort or the
 * cell's fault policy, never in a hypervisor crash.
 */
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include "arch/cpu.h"
#include "cell.h"
#include "cpu_local.h"
#include "esr.h"
#include "fault.h"
#include "gic.h"
#include "guest_abort.h"
#include "hypercall.h"
#include "mmio.h"
#include "sysreg.h"
#include "sysreg_trap.h"
#include "test_fault.h"
#include "trap_frame.h"
#include "vgic.h"
#include "vgic_hw.h"
#include "compiler.h"

#define WFI_MAX_WAIT_MS 10 /* guest_wfx_deadline() */

/* GICv3 SGI generation registers: no virtual twin, trapped while HCR_EL2.IMO/FMO is set. */
#define SYSREG_ICC_SGI1R_EL1  ESR_SYSREG(3, 0, 12, 11, 5)
#define SYSREG_ICC_ASGI1R_EL1 ESR_SYSREG(3, 0, 12, 11, 6)
#define SYSREG_ICC_SGI0R_EL1  ESR_SYSREG(3, 0, 12, 11, 7)

/*
 * The faulting IPA (esr_abort_ipa(): a stage-1 table walk's to the page), or
 * FAULT_IPA_UNKNOWN where HPFAR_EL2 does not hold it (esr_abort_ipa_valid()):
 * after a stage-2 permission fault, such as a write to read-only shared
 * memory, a real CPU may still hold an earlier fault's page.
 */
static uint64_t fault_ipa(const struct trap_frame *f)
{
	if (!esr_abort_ipa_valid(f->esr))
		return FAULT_IPA_UNKNOWN;
	return esr_abort_ipa(f->esr, read_sysreg(hpfar_el2), f->far);
}

/* The loaded value as the instruction wants it: sign-extended if SSE, 32-bit if !SF. */
static uint64_t load_result(uint32_t iss, unsigned int size, uint64_t val)
{
	unsigned int bits = size * 8;

	if (bits < 64) {
		val &= (1ULL << bits) - 1;
		if ((iss & ESR_ISS_DABT_SSE) && (val & (1ULL << (bits - 1))))
			val |= ~0ULL << bits;
	}
	if (!(iss & ESR_ISS_DABT_SF))
		val &= 0xffffffffULL;
	return val;
}

/*
 * Was the access big-endian? AArch32: PSTATE.E; AArch64: SCTLR_EL1.EE at
 * EL1, E0E at EL0 (the guest's EL1 registers are live on its CPU).
 */
static bool access_big_endian(const struct trap_frame *f)
{
	uint64_t sctlr = read_sysreg(sctlr_el1);

	if (f->spsr & SPSR_M_AARCH32)
		return f->spsr & SPSR_A32_E;
	/* Most guests are little-endian at both ELs: one test on the emulated access's path. */
	if (__builtin_expect(!(sctlr & (SCTLR_EL1_EE | SCTLR_EL1_E0E)), 1))
		return false;
	return sctlr & ((f->spsr & SPSR_M_MASK) == SPSR_M_EL0T ? SCTLR_EL1_E0E : SCTLR_EL1_EE);
}

/*
 * A DC by VA (CM 1, no syndrome) on an emulated device's page: cache
 * maintenance of a location that cannot be cached completes, as on a
 * device, and touches nothing; an abort would take down a guest that cleans
 * a buffer range that happens to cover it.
 */
__cold static int cache_op_on_device(struct vcpu *vcpu, struct trap_frame *f, uint64_t ipa)
{
	if (!mmio_device_name(vcpu->cell, ipa))
		return -ENOSYS;
	guest_skip_instruction(f);
	return 0;
}

/* The devices' registers are little-endian: a big-endian access sees their bytes reversed. */
static uint64_t swap_bytes(uint64_t v, unsigned int size)
{
	if (size == 2)
		return __builtin_bswap16((uint16_t)v);
	if (size == 4)
		return __builtin_bswap32((uint32_t)v);
	return size == 8 ? __builtin_bswap64(v) : v;
}

static int emulate_mmio(struct vcpu *vcpu, struct trap_frame *f, uint64_t ipa)
{
	uint32_t iss = esr_iss(f->esr);
	unsigned int srt = (iss >> ESR_ISS_DABT_SRT_SHIFT) & ESR_ISS_DABT_SRT_MASK;
	struct mmio_access acc;
	bool swap;
	int ret;

	/*
	 * Field by field: an initializer also zeroes the padding, which GCC
	 * does a byte at a time (11 stores on this path). value is set: a read
	 * no emulator answers must not hand the guest this stack's old bytes.
	 */
	acc.ipa = ipa;
	acc.size = 1u << ((iss >> ESR_ISS_DABT_SAS_SHIFT) & ESR_ISS_DABT_SAS_MASK);
	acc.write = (iss & ESR_ISS_DABT_WNR) != 0;
	acc.value = 0;

	/* Without a valid syndrome (ISV) the access cannot be replayed safely. */
	if (iss & ESR_ISS_DABT_S1PTW)
		return -EFAULT;
	if (!(iss & ESR_ISS_DABT_ISV))
		return (iss & ESR_ISS_DABT_CM) ? cache_op_on_device(vcpu, f, ipa) : -ENOSYS;
	swap = access_big_endian(f) && acc.size > 1;
	/* A narrow store's bits above its size are the register's, not the access's. */
	if (acc.write)
		acc.value = guest_reg_read(f, srt) & mmio_size_mask(acc.size);
	if (acc.write && swap)
		acc.value = swap_bytes(acc.value, acc.size);
	ret = mmio_emulate(vcpu, &acc);
	if (ret)
		return ret;
	if (!acc.write && swap)
		acc.value = swap_bytes(acc.value, acc.size);
	if (!acc.write)
		guest_reg_write(f, srt, load_result(iss, acc.size, acc.value));
	guest_skip_instruction(f);
	return 0;
}

/*
 * An emulated device is never mapped: an access to it is a translation fault,
 * whose IPA HPFAR_EL2 gives. Without that IPA nothing is emulated, or a
 * stale one would replay the access on whatever device it names; the fault
 * code may still say why (esr_abort_cause(): an Alignment fault on a
 * passed-through device, which the guest gets as one). Nor is anything
 * emulated for a fault that is not the guest's access (an access flag or
 * address size fault, an error on the stage-2 walk, a granule protection
 * fault: esr_stage2_owner()), whatever IPA it gives.
 */
static void handle_abort(struct vcpu *vcpu, struct trap_frame *f, bool data)
{
	uint64_t ipa = fault_ipa(f);

	if (__builtin_expect(esr_stage2_owner(f->esr) != ESR_S2_GUEST, 0)) {
		guest_abort_not_guests(vcpu, f, ipa, &this_cpu()->tlb_conflict);
		return; /* a TLB conflict, retried */
	}
	if (data && ipa != FAULT_IPA_UNKNOWN && emulate_mmio(vcpu, f, ipa) == 0)
		return;
	guest_abort_report(vcpu, f, ipa);
	guest_inject_abort(f, data);
}

static void smccc_results(struct trap_frame *f, const struct smccc_regs *regs)
{
	f->x[0] = regs->a[0];
	f->x[1] = regs->a[1];
	f->x[2] = regs->a[2];
	f->x[3] = regs->a[3];
}

static void handle_hvc(struct vcpu *vcpu, struct trap_frame *f)
{
	struct smccc_regs regs = { { f->x[0], f->x[1], f->x[2], f->x[3] } };

	/* SMCCC: only hvc #0 is a call; other immediates are not ours to define. */
	if (esr_iss(f->esr) & 0xffff)
		regs.a[0] = SMCCC_RET_NOT_SUPPORTED;
	else
		hypercall_dispatch(vcpu, &regs);
	smccc_results(f, &regs);
}

/*
 * HCR_EL2.TSC: the firmware belongs to the hypervisor (hypercall_smc()). The
 * return address is the SMC itself: skipped first, as a PSCI call may leave
 * for the cell's loop (CPU_OFF, SYSTEM_RESET) and not come back here.
 */
static void handle_smc(struct vcpu *vcpu, struct trap_frame *f)
{
	struct smccc_regs regs = { { f->x[0], f->x[1], f->x[2], f->x[3] } };
	unsigned int imm = esr_iss(f->esr) & 0xffff;
	uint64_t pc = f->elr;

	guest_skip_instruction(f);
	if (imm || !hypercall_smc(vcpu, &regs)) {
		fault_smc(vcpu, f->x[0], imm, pc);
		regs.a[0] = SMCCC_RET_NOT_SUPPORTED;
	}
	smccc_results(f, &regs);
}

/*
 * (@prefix "AArch32 ") A coprocessor access of the cell's AArch32 EL0 that a trap brought here
 * (EC 0x03-0x06, 0x0c: HCR_EL2.TIDCP for the IMPLEMENTATION DEFINED cp15
 * registers, MDCR_EL2.TDRA for DBGDRAR/DBGDSAR, MDCR_EL2.TPM for the PMU if
 * its EL0 access were enabled, CPTR_EL2.TAM for the activity monitors' if
 * AMUSERENR_EL0 enables theirs). None is emulated: as for EC 0x18, the
 * instruction is UNDEFINED for the guest, logged (rate-limited) and counted,
 * and the on-fault policy does not apply (docs/traps.md). Only one that
 * passed its condition code check: one that failed it is a NOP
 * (guest_condition_failed()), as on the CPU without the trap.
 *
 * EC 0x0a (@prefix ""): LD64B/ST64B/ST64BV/ST64BV0 trapped because
 * HCRX_EL2.EnALS, EnAS0 and EnASR are clear (FEAT_LS64 is not given to a
 * cell; its ID field reads 0), or PSB CSYNC or TSB CSYNC (were their
 * fine-grained traps set; HFGITR_EL2 and HFGITR2_EL2 are 0). Any EL0 process
 * can issue them:
 * UNDEFINED for the guest as on a CPU without the feature, likewise. EC 0x14
 * (@prefix ""), an MRRS or MSRR, is logged as the instruction too
 * ("mrrs x0, x1, S3_0_C2_C0_0").
 */
__cold static void undef_trapped_insn(struct vcpu *vcpu, struct trap_frame *f, const char *prefix)
{
	char insn[64], what[80];

	esr_describe_iss(f->esr, insn, sizeof(insn));
	snprintf(what, sizeof(what), "%s%s", prefix, insn);
	fault_undef(vcpu, what, f->elr);
	guest_inject_undef(f);
}

/*
 * A trapped MSR/MRS of the GICv3 SGI registers (a cell sends SGIs to its own
 * vCPUs through the vGIC). With one Security state (GICD_CTLR.DS = 1, what
 * a cell sees) ICC_SGI1R_EL1 reaches a target's SGI of either group, and
 * ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 only a Group 0 one (IHI 0069,
 * "Forwarding an SGI to a target PE"; docs/vgic.md). Reads of these
 * write-only registers return 0. Other trapped registers:
 * arch/arm64/sysreg_trap.c (docs/traps.md).
 */
static bool handle_sgi_sysreg(struct vcpu *vcpu, struct trap_frame *f)
{
	uint32_t iss = esr_iss(f->esr);
	unsigned int rt = ESR_ISS_SYS_Rt(iss);
	bool read = (iss & ESR_ISS_SYS_DIR_READ) != 0;

	switch (ESR_ISS_SYSREG(iss)) {
	case SYSREG_ICC_SGI1R_EL1:
	case SYSREG_ICC_ASGI1R_EL1:
	case SYSREG_ICC_SGI0R_EL1:
		break;
	default:
		return false;
	}
	arch_cpu_count(CPU_EV_SGI);
	if (read)
		guest_reg_write(f, rt, 0);
	else if (__builtin_expect(ESR_ISS_SYSREG(iss) == SYSREG_ICC_SGI1R_EL1, 1))
		vgic_hw_sgi1r(vcpu, guest_reg_read(f, rt)); /* the IPI: kept the fall-through */
	else
		vgic_hw_sgi0r(vcpu, guest_reg_read(f, rt));
	guest_skip_instruction(f);
	return true;
}

__cold void arch_cpu_wfi_setup(void)
{
	bool wfxt = id_field(read_sysreg_s(SYS_ID_AA64ISAR2_EL1), ID_AA64ISAR2_WFXT_SHIFT) >= 2;

	this_cpu()->wfi_max_wait = wfxt ? arch_ms_to_ticks(WFI_MAX_WAIT_MS) : 0;
}

_Static_assert(HCR_EL2_IMO_BIT == HCR_EL2_IMO, "asm_defs.h and sysreg.h disagree on HCR_EL2.IMO");

/*
 * When a wait on the guest's behalf ends at the latest, in *deadline; false if
 * that has passed already. A CPU with FEAT_WFxT (the only kind whose guests
 * have WFIT) waits with a WFIT of its own on guest_wfx_deadline(): at EL2
 * (HCR_EL2.E2H 0) WFIT compares with CNTPCT_EL0 - CNTVOFF_EL2, the guest's
 * CNTVCT_EL0. Without FEAT_WFxT no guest has WFIT, and *deadline is 0: a WFI
 * waits for an interrupt.
 */
static bool wait_deadline(const struct trap_frame *f, uint64_t *deadline)
{
	uint64_t max_wait = this_cpu()->wfi_max_wait, now;

	*deadline = 0;
	if (!max_wait)
		return true;
	now = read_sysreg(cntvct_el0);
	*deadline = guest_wfx_deadline(f, now, max_wait);
	return now < *deadline;
}

/* Wait for an interrupt on the guest's behalf, and take it. */
static void wait_for_interrupt(const struct trap_frame *f)
{
	uint64_t deadline;

	if (!wait_deadline(f, &deadline))
		return;
	gic_cpuif_resync();
	if (deadline)
		wfit(deadline);
	else
		wfi();
	irq_handle();
}

/*
 * WFI (HCR_EL2.TWI). The virtual CPU interface is meant to wake a guest's
 * WFI by itself, but QEMU recomputes a vCPU's virtual IRQ line only when the
 * hypervisor writes the list registers, not when the guest enables its
 * virtual CPU interface or lowers its priority mask: a guest could sleep with
 * an interrupt pending in a list register. So the hypervisor looks: with
 * anything deliverable the WFI completes at once (the exit path rewrites the
 * list registers); otherwise the CPU waits here, and any physical interrupt
 * (the guest's timer, a forwarded SPI, a kick) wakes it and is taken on the
 * way back. The cost is one trap per idle period, on a CPU nobody else uses.
 * The interrupt that woke the CPU is handled here and now (IRQs stay masked
 * at EL2: wfi wakes on them all the same), so the list registers written on
 * the way back already carry what it brought: taking it as an exception
 * after the eret would cost a second exit and a second refill.
 * TWI traps WFIT too, whose deadline also ends the wait (guest_wfx_deadline()).
 * WFE and WFET are not trapped (TWE clear): guests spin-wait with them.
 *
 * A direct cell's WFI (its IRQs go to its EL1: HCR_EL2.IMO clear) is trapped
 * only so that the hypervisor's kick can end it (docs/vgic.md): with a held
 * priority dropped, it waits in vectors.S, the guest's registers already
 * back (there are no list registers to flush after it), and the guest takes
 * what woke it after the eret.
 */
static void handle_wfi(struct vcpu *vcpu, struct trap_frame *f)
{
	uint64_t deadline;

	guest_skip_instruction(f);
	if (!(read_sysreg(hcr_el2) & HCR_EL2_IMO)) {
		vgic_hw_direct_release_hold(vcpu);
		if (wait_deadline(f, &deadline))
			guest_wfi_resume(f, deadline);
		return;
	}
	if (vgic_has_pending(&vcpu->cell->vgic, vcpu->index))
		return;
	wait_for_interrupt(f);
}

/* An AArch32 instruction that failed its condition code check trapped: a NOP, done. */
static bool skipped_condition_failed(struct trap_frame *f)
{
	if (__builtin_expect(!guest_condition_failed(f), 1))
		return false;
	guest_skip_instruction(f);
	return true;
}

void guest_trap_sync(struct vcpu *vcpu, struct trap_frame *f)
{
#ifdef BULKHEAD_TEST_FAULT
	test_fault_at(TEST_FAULT_GUEST_TRAP_CPU2, 2, "a trap of its guest");
#endif
	/* Counted before handling: a fault may leave for the cell's loop and not return. */
	switch (esr_ec(f->esr)) {
	case ESR_EC_WFX:
		arch_cpu_count(CPU_EV_WFI);
		if (!skipped_condition_failed(f))
			handle_wfi(vcpu, f);
		break;
	case ESR_EC_HVC64:
		arch_cpu_count(CPU_EV_HVC);
		handle_hvc(vcpu, f);
		break;
	case ESR_EC_SMC64:
		arch_cpu_count(CPU_EV_SMC);
		handle_smc(vcpu, f);
		break;
	case ESR_EC_DABT_LOW:
		arch_cpu_count(CPU_EV_MMIO);
		handle_abort(vcpu, f, true);
		break;
	case ESR_EC_IABT_LOW:
		arch_cpu_count(CPU_EV_OTHER);
		handle_abort(vcpu, f, false);
		break;
	case ESR_EC_SYS64:
		if (handle_sgi_sysreg(vcpu, f))
			break;
		arch_cpu_count(CPU_EV_SYSREG);
		sysreg_trap(vcpu, f);
		break;
	case ESR_EC_CP15_32:
	case ESR_EC_CP15_64:
	case ESR_EC_CP14_MR:
	case ESR_EC_CP14_LS:
	case ESR_EC_CP14_64:
		arch_cpu_count(CPU_EV_SYSREG);
		if (!skipped_condition_failed(f))
			undef_trapped_insn(vcpu, f, "AArch32 ");
		break;
	default:
		/*
		 * EC 0x0a and 0x14 here, not as cases: a case would lengthen the
		 * HVC's compare chain. 0x14: the 128-bit form of a register the
		 * fine-grained traps keep (boot/head.S), UNDEFINED as its MRS is.
		 */
		arch_cpu_count(CPU_EV_OTHER);
		if (esr_ec(f->esr) == ESR_EC_OTHER || esr_ec(f->esr) == ESR_EC_SYS128)
			undef_trapped_insn(vcpu, f, "");
		else
			guest_trap_unhandled(vcpu, f);
		break;
	}
}
