// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI 1.1 for guests (Arm DEN 0022), over hvc. A cell sees only its own
 * vCPUs, numbered by virtual MPIDR Aff0 = vCPU index; every argument is
 * checked before use.
 */
#include <stddef.h>
#include "arch/vcpu.h"
#include "gic.h"
#include "cell.h"
#include "hypercall.h"
#include "nospec.h"
#include "test_fault.h"
#include "vgic_hw.h"

#define PSCI_FN_BASE_MASK 0xbfffffe0U /* both calling conventions, functions 0..31 */
#define PSCI_FN_BASE	  0x84000000U
#define PSCI_FN64	  0x40000000U

#define PSCI_VERSION	       0x84000000U
#define PSCI_CPU_SUSPEND       0x84000001U
#define PSCI_CPU_OFF	       0x84000002U
#define PSCI_CPU_ON	       0x84000003U
#define PSCI_AFFINITY_INFO     0x84000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF	       0x84000008U
#define PSCI_SYSTEM_RESET      0x84000009U
#define PSCI_FEATURES	       0x8400000aU

#define PSCI_VERSION_1_1	  0x10001
#define PSCI_SUCCESS		  0
#define PSCI_NOT_SUPPORTED	  ((uint64_t)-1)
#define PSCI_INVALID_PARAMETERS	  ((uint64_t)-2)
#define PSCI_ALREADY_ON		  ((uint64_t)-4)
#define PSCI_ON_PENDING		  ((uint64_t)-5)
#define PSCI_INTERNAL_FAILURE	  ((uint64_t)-6)
#define PSCI_INVALID_ADDRESS	  ((uint64_t)-9)
#define PSCI_AFFINITY_ON	  0
#define PSCI_AFFINITY_OFF	  1
#define PSCI_AFFINITY_ON_PENDING  2
#define PSCI_MIGRATE_NOT_REQUIRED 2

#define MPIDR_AFF_MASK 0xff00ffffffULL

/* The vCPU of @cell with virtual MPIDR @mpidr, or NULL. */
static struct vcpu *vcpu_by_mpidr(struct cell *cell, uint64_t mpidr)
{
	if ((mpidr & ~MPIDR_AFF_MASK) || mpidr >= cell->nr_vcpus)
		return NULL;
	return &cell->vcpus[array_index_nospec(mpidr, cell->nr_vcpus)];
}

static uint64_t psci_cpu_on(struct vcpu *vcpu, uint64_t target, uint64_t entry, uint64_t ctx)
{
	struct cell *cell = vcpu->cell;
	struct vcpu *t = vcpu_by_mpidr(cell, target);
	uint64_t ret = PSCI_SUCCESS;

	if (!t)
		return PSCI_INVALID_PARAMETERS;
	if (!cell_owns_ram(cell, entry, 4) || (entry & 3))
		return PSCI_INVALID_ADDRESS;
	/*
	 * The lock orders concurrent CPU_ONs (one wins, the others see
	 * ON_PENDING or ON) and orders them against a stop (cell_stop_vcpus() in
	 * cell.c): a CPU_ON still at EL2 when its cell is being stopped or
	 * restarted must not turn a vCPU on again after the stop turned them
	 * all off. Its caller is off too and leaves the guest at its next trap
	 * or kick, unless the stop was posted from outside the cell (manage.c)
	 * and not yet taken: then it sees INTERNAL_FAILURE, the cell going down.
	 */
	spin_lock(&cell->lock);
#ifdef BULKHEAD_TEST_FAULT
	test_fault_at(TEST_FAULT_CELL_LOCK_PSCI_CPU1, 1, "a PSCI CPU_ON, inside its cell's lock");
#endif
	if (cell->state != CELL_RUNNING) {
		spin_unlock(&cell->lock);
		return PSCI_INTERNAL_FAILURE;
	}
	switch (t->power) {
	case VCPU_ON:
		ret = PSCI_ALREADY_ON;
		break;
	case VCPU_ON_PENDING:
		ret = PSCI_ON_PENDING;
		break;
	case VCPU_OFF:
		t->entry = entry;
		t->context = ctx;
		/* PSCI (DEN 0022, CPU_ON): the new core starts with its caller's endianness. */
		t->big_endian = arch_guest_big_endian();
		__atomic_store_n(&t->power, VCPU_ON_PENDING, __ATOMIC_RELEASE);
		break;
	}
	spin_unlock(&cell->lock);
	if (ret == PSCI_SUCCESS) /* its CPU sleeps in cell_cpu_loop() until kicked */
		gic_kick(t->pcpu);
	return ret;
}

static uint64_t psci_affinity_info(struct vcpu *vcpu, uint64_t target, uint64_t level)
{
	struct vcpu *t = vcpu_by_mpidr(vcpu->cell, target);

	if (!t || level != 0)
		return PSCI_INVALID_PARAMETERS;
	switch (__atomic_load_n(&t->power, __ATOMIC_ACQUIRE)) {
	case VCPU_ON:
		return PSCI_AFFINITY_ON;
	case VCPU_ON_PENDING:
		return PSCI_AFFINITY_ON_PENDING;
	default:
		return PSCI_AFFINITY_OFF;
	}
}

static uint64_t psci_features(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND | PSCI_FN64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_CPU_ON | PSCI_FN64:
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO | PSCI_FN64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	/* PSCI 1.0 on: how a caller learns that SMCCC 1.1 (and SMCCC_ARCH_FEATURES) is there. */
	case SMCCC_VERSION:
		return PSCI_SUCCESS;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/* SMC32 calls take 32-bit arguments: the upper halves are not the caller's to set. */
static uint64_t arg(const struct smccc_regs *regs, unsigned int i, bool fn64)
{
	return fn64 ? regs->a[i] : (uint32_t)regs->a[i];
}

int vpsci_call(struct vcpu *vcpu, struct smccc_regs *regs)
{
	uint32_t fid = (uint32_t)regs->a[0];
	bool fn64 = fid & PSCI_FN64;
	uint64_t ret;

	if ((fid & PSCI_FN_BASE_MASK) != PSCI_FN_BASE)
		return 0;
	/* Calls and PSCI_FEATURES agree: CPU_OFF and the like have no SMC64 form. */
	if (psci_features(fid) != PSCI_SUCCESS) {
		regs->a[0] = PSCI_NOT_SUPPORTED;
		return 1;
	}
	switch (fid & ~PSCI_FN64) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_FEATURES:
		ret = psci_features((uint32_t)regs->a[1]);
		break;
	case PSCI_CPU_ON:
		ret = psci_cpu_on(vcpu, arg(regs, 1, fn64), arg(regs, 2, fn64), arg(regs, 3, fn64));
		break;
	case PSCI_AFFINITY_INFO:
		ret = psci_affinity_info(vcpu, arg(regs, 1, fn64), arg(regs, 2, fn64));
		break;
	case PSCI_CPU_SUSPEND:
		/* Standby with nothing to wait for: returning is a valid wake-up. */
		ret = PSCI_SUCCESS;
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = PSCI_MIGRATE_NOT_REQUIRED;
		break;
	case PSCI_CPU_OFF:
		vgic_hw_vcpu_off(vcpu); /* what its list registers held pending, back to the vGIC */
		__atomic_store_n(&vcpu->power, VCPU_OFF, __ATOMIC_RELEASE);
		arch_vcpu_exit_to_loop();
		return 1;
	case PSCI_SYSTEM_OFF:
		cell_stop(vcpu->cell, "PSCI SYSTEM_OFF");
		return 1;
	case PSCI_SYSTEM_RESET:
		cell_restart(vcpu->cell, "PSCI SYSTEM_RESET");
		return 1;
	default:
		ret = PSCI_NOT_SUPPORTED;
		break;
	}
	regs->a[0] = ret;
	return 1;
}
