// SPDX-License-Identifier: GPL-2.0-only
/* HVC from a guest: PSCI, the SMCCC discovery calls, and Bulkhead's own calls. */
#include "arch/cpu.h"
#include "cell.h"
#include "hypercall.h"
#include "manage.h"
#include "shm.h"

#define SMCCC_VERSION_1_1 0x10001

/* Out of line: hypercall_dispatch() then builds no frame, only tail calls. */
static __attribute__((noinline)) void bulkhead_call(struct vcpu *vcpu, struct smccc_regs *regs)
{
	switch ((uint32_t)regs->a[0]) {
	case BULKHEAD_HC_VERSION:
		regs->a[0] = 0; /* SMCCC success */
		regs->a[1] = 1; /* interface version */
		break;
	case BULKHEAD_HC_CELL_INFO:
		regs->a[0] = 0;
		regs->a[1] = vcpu->cell->id;
		regs->a[2] = vcpu->cell->nr_vcpus;
		regs->a[3] = vcpu->cell->boots;
		break;
	case BULKHEAD_HC_WDT_KICK:
		watchdog_kick(vcpu->cell);
		regs->a[0] = 0;
		break;
	case BULKHEAD_HC_CELL_COUNT:
	case BULKHEAD_HC_CELL_STATUS:
	case BULKHEAD_HC_CELL_STOP:
	case BULKHEAD_HC_CELL_START:
	case BULKHEAD_HC_CELL_RESTART:
		manage_hypercall(vcpu, regs);
		break;
	case BULKHEAD_HC_DOORBELL:
		shm_doorbell_hypercall(vcpu, regs);
		break;
	default:
		regs->a[0] = SMCCC_RET_NOT_SUPPORTED;
		break;
	}
}

/* SMCCC 1.1: SMCCC_ARCH_FEATURES answers for the architecture calls below. */
static int64_t smccc_arch_features(uint32_t fid)
{
	switch (fid) {
	case SMCCC_VERSION:
	case SMCCC_ARCH_FEATURES:
		return 0;
	case SMCCC_ARCH_WORKAROUND_1:
	case SMCCC_ARCH_WORKAROUND_2:
	case SMCCC_ARCH_WORKAROUND_3:
		return arch_spectre_guest_feature(fid);
	default:
		return -1;
	}
}

/* Out of line: Bulkhead's own calls, the ones a cell makes often, keep their short path. */
static __attribute__((noinline)) void smccc_arch_call(struct smccc_regs *regs, uint32_t fid)
{
	switch (fid) {
	case SMCCC_VERSION:
		regs->a[0] = SMCCC_VERSION_1_1;
		break;
	case SMCCC_ARCH_FEATURES:
		regs->a[0] = (uint64_t)smccc_arch_features((uint32_t)regs->a[1]);
		break;
	case SMCCC_ARCH_WORKAROUND_1:
	case SMCCC_ARCH_WORKAROUND_2:
	case SMCCC_ARCH_WORKAROUND_3:
		/* _1 and _3 ran on the entry that brought this call here; _2 ran at boot. */
		regs->a[0] = arch_spectre_guest_feature(fid) < 0 ? SMCCC_RET_NOT_SUPPORTED : 0;
		break;
	default:
		regs->a[0] = SMCCC_RET_NOT_SUPPORTED;
		break;
	}
}

/*
 * A well-formed fast call (SMCCC: bit 31 set, bits 23:16 zero) to a service
 * Arm defines for every platform: the architecture calls (OEN 0), the
 * standard secure services (OEN 4: PSCI, SDEI, TRNG, ...) and the standard
 * hypervisor services (OEN 5: paravirtualised time). A conforming caller
 * probes these without knowing the firmware (Linux asks TRNG_VERSION at
 * every boot once SMCCC_VERSION says 1.1), and SMCCC's answer for one not
 * implemented is NOT_SUPPORTED.
 */
static bool smccc_standard_call(uint32_t fid)
{
	uint32_t oen = (fid & SMCCC_OEN_MASK) >> SMCCC_OEN_SHIFT;

	if (!(fid & SMCCC_FAST_CALL) || (fid & SMCCC_FAST_MBZ))
		return false;
	return oen == SMCCC_OEN_ARCH || oen == SMCCC_OEN_STANDARD || oen == SMCCC_OEN_STANDARD_HYP;
}

/*
 * SMC from a guest (HCR_EL2.TSC): the firmware is the hypervisor's, and no
 * call reaches it. What a cell's own firmware would answer for the cell, PSCI
 * and the SMCCC architecture calls, is answered as over hvc (the same
 * handlers, acting on the calling cell only), so that a guest or a device
 * tree written for a board whose PSCI is `method = "smc"` runs unmodified;
 * so are the other standard services (smccc_standard_call()), NOT_SUPPORTED.
 * False for the rest (Bulkhead's own calls, which SMCCC puts on hvc; SiP,
 * OEM, Trusted OS: a specific firmware's; yielding or malformed IDs),
 * NOT_SUPPORTED in a[0]: the caller reports those.
 */
bool hypercall_smc(struct vcpu *vcpu, struct smccc_regs *regs)
{
	uint32_t fid = (uint32_t)regs->a[0];

	if (vpsci_call(vcpu, regs))
		return true;
	if ((fid & 0xffff0000U) == SMCCC_VERSION) { /* Arm architecture calls: 0x8000xxxx */
		smccc_arch_call(regs, fid);
		return true;
	}
	regs->a[0] = SMCCC_RET_NOT_SUPPORTED;
	return smccc_standard_call(fid);
}

/*
 * Where an hvc other than Bulkhead's own may be answered with more than
 * NOT_SUPPORTED: a fast call (SMCCC: bit 31 set, bits 23:16 zero) to the
 * architecture calls (OEN 0) or the standard secure services (OEN 4: PSCI).
 * Any other ID, yielding, malformed or of another owner, gets
 * NOT_SUPPORTED without the walk through PSCI's and the architecture's
 * ranges (hypercall_smc() would answer it so too).
 */
static bool hvc_may_answer(uint32_t fid)
{
	uint32_t oen = (fid & SMCCC_OEN_MASK) >> SMCCC_OEN_SHIFT;

	if ((fid & (SMCCC_FAST_CALL | SMCCC_FAST_MBZ)) != SMCCC_FAST_CALL)
		return false;
	return oen == SMCCC_OEN_ARCH || oen == SMCCC_OEN_STANDARD;
}

/* Bulkhead's own calls, then what an SMC gets too (the ranges do not overlap). */
void hypercall_dispatch(struct vcpu *vcpu, struct smccc_regs *regs)
{
	uint32_t fid = (uint32_t)regs->a[0];

	if ((fid & 0xffff0000U) == BULKHEAD_HC_BASE)
		bulkhead_call(vcpu, regs);
	else if (hvc_may_answer(fid))
		(void)hypercall_smc(vcpu, regs);
	else
		regs->a[0] = SMCCC_RET_NOT_SUPPORTED;
}
