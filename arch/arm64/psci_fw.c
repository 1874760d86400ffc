// SPDX-License-Identifier: GPL-2.0-only
/* The hypervisor as a PSCI client of the firmware below it. */
#include <stdbool.h>
#include "arch/cpu.h"
#include "hypercall.h"
#include "log.h"
#include "psci.h"
#include "test_fault.h"

static enum psci_conduit fw_conduit;
static bool fw_smccc_1_1;

static int64_t fw_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	if (fw_conduit != PSCI_CONDUIT_SMC)
		return PSCI_RET_NOT_SUPPORTED;
	return smccc_smc(fid, a1, a2, a3);
}

/*
 * SMCCC 1.1 or later behind the conduit, asked the way SMCCC 1.1 (Arm DEN
 * 0028, "Discovery") prescribes: PSCI 1.0 or later, whose PSCI_FEATURES
 * knows SMCCC_VERSION. A firmware without it may not know a function ID
 * outside PSCI's at all: QEMU's built-in PSCI makes such an SMC UNDEFINED.
 * Some firmware (U-Boot's) answers PSCI_VERSION with an error code.
 */
static bool smccc_1_1_present(void)
{
	int32_t v = (int32_t)fw_call(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);

	if (v < 0 || (v >> 16) < 1)
		return false;
	if ((int32_t)fw_call(PSCI_1_0_FN_PSCI_FEATURES, SMCCC_VERSION, 0, 0) != 0)
		return false;
	return (int32_t)fw_call(SMCCC_VERSION, 0, 0, 0) >= 0x10001;
}

void psci_fw_init(enum psci_conduit conduit)
{
	fw_conduit = conduit;
	fw_smccc_1_1 = conduit == PSCI_CONDUIT_SMC && smccc_1_1_present();
}

int64_t psci_fw_arch_features(uint32_t fid)
{
	if (!fw_smccc_1_1)
		return PSCI_RET_NOT_SUPPORTED;
	return (int32_t)fw_call(SMCCC_ARCH_FEATURES, fid, 0, 0);
}

/* SMCCC_ARCH_WORKAROUND_2(1): this CPU stops bypassing stores speculatively, at every EL. */
void psci_fw_ssb_off(void)
{
	if (fw_smccc_1_1)
		(void)fw_call(SMCCC_ARCH_WORKAROUND_2, 1, 0, 0);
}

uint32_t psci_fw_version(void)
{
	return (uint32_t)fw_call(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
}

int psci_fw_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context_id)
{
	return (int)fw_call(PSCI_0_2_FN64_CPU_ON, mpidr, entry, context_id);
}

int64_t psci_fw_system_off(void)
{
#ifdef BULKHEAD_TEST_FAULT
	if (test_fault_chosen() == TEST_FAULT_SYSTEM_OFF_REFUSED ||
	    test_fault_chosen() == TEST_FAULT_SMMU_LOCK_RELOAD_CPU1) {
		log_info("test-fault: PSCI SYSTEM_OFF answers NOT_SUPPORTED, the SMC not made");
		return PSCI_RET_NOT_SUPPORTED;
	}
#endif
	return fw_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
}

/* PSCI's return codes, SUCCESS (0) down to INVALID_ADDRESS (-9), in order (Arm DEN 0022). */
static const char psci_ret_names[][19] = {
	"SUCCESS",    "NOT_SUPPORTED",	  "INVALID_PARAMETERS", "DENIED",   "ALREADY_ON",
	"ON_PENDING", "INTERNAL_FAILURE", "NOT_PRESENT",	"DISABLED", "INVALID_ADDRESS",
};

const char *psci_ret_name(int64_t ret)
{
	if (ret > PSCI_RET_SUCCESS || ret < PSCI_RET_INVALID_ADDRESS)
		return "unknown PSCI error";
	return psci_ret_names[-ret];
}

const char *arch_system_off(void)
{
	return psci_ret_name(psci_fw_system_off());
}
