// SPDX-License-Identifier: GPL-2.0-only
/* PSCI over the hvc conduit (SMCCC), as QEMU virt at EL1 and Bulkhead cells offer it. */
#include "guest.h"

#define PSCI_0_2_FN_VERSION	    0x84000000u
#define PSCI_0_2_FN_CPU_OFF	    0x84000002u
#define PSCI_0_2_FN64_CPU_ON	    0xc4000003u
#define PSCI_0_2_FN64_AFFINITY_INFO 0xc4000004u
#define PSCI_0_2_FN_SYSTEM_OFF	    0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET    0x84000009u
#define PSCI_1_0_FN_PSCI_FEATURES   0x8400000au

/* PSCI return values are 32-bit signed in w0. */
static int psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return (int)(int32_t)hvc_call(fid, a1, a2, a3);
}

uint32_t psci_version(void)
{
	return (uint32_t)hvc_call(PSCI_0_2_FN_VERSION, 0, 0, 0);
}

int psci_features(uint32_t fid)
{
	return psci_call(PSCI_1_0_FN_PSCI_FEATURES, fid, 0, 0);
}

int psci_cpu_on(uint64_t mpidr, unsigned int cpu)
{
	/* MMU off: the entry's runtime address is its physical (IPA) address. */
	return psci_call(PSCI_0_2_FN64_CPU_ON, mpidr, (uintptr_t)secondary_entry, cpu);
}

int psci_cpu_off(void)
{
	return psci_call(PSCI_0_2_FN_CPU_OFF, 0, 0, 0);
}

int psci_affinity_info(uint64_t mpidr)
{
	return psci_call(PSCI_0_2_FN64_AFFINITY_INFO, mpidr, 0, 0);
}

void psci_system_off(void)
{
	hvc_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	guest_park();
}

void psci_system_reset(void)
{
	hvc_call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
	guest_park();
}
