/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_PSCI_H
#define BULKHEAD_ARM64_PSCI_H

#include <stdint.h>
#include "platform.h"

/* PSCI function IDs (Arm DEN 0022) */
#define PSCI_0_2_FN_PSCI_VERSION    0x84000000U
#define PSCI_0_2_FN_CPU_OFF	    0x84000002U
#define PSCI_0_2_FN_SYSTEM_OFF	    0x84000008U
#define PSCI_0_2_FN_SYSTEM_RESET    0x84000009U
#define PSCI_1_0_FN_PSCI_FEATURES   0x8400000aU
#define PSCI_0_2_FN64_CPU_ON	    0xc4000003U
#define PSCI_0_2_FN64_AFFINITY_INFO 0xc4000004U

/* PSCI return codes */
#define PSCI_RET_SUCCESS	  0
#define PSCI_RET_NOT_SUPPORTED	  -1
#define PSCI_RET_INVALID_PARAMS	  -2
#define PSCI_RET_DENIED		  -3
#define PSCI_RET_ALREADY_ON	  -4
#define PSCI_RET_ON_PENDING	  -5
#define PSCI_RET_INTERNAL_FAILURE -6
#define PSCI_RET_NOT_PRESENT	  -7
#define PSCI_RET_DISABLED	  -8
#define PSCI_RET_INVALID_ADDRESS  -9

int64_t smccc_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* Calls to the firmware's PSCI through the board's conduit (arch/arm64/psci_fw.c). */
void psci_fw_init(enum psci_conduit conduit);
uint32_t psci_fw_version(void);
int psci_fw_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context_id);
/*
 * SYSTEM_OFF: returns only if the firmware refused (TF-A without a platform
 * system_off hook answers NOT_SUPPORTED), with its answer.
 */
int64_t psci_fw_system_off(void);
/* The firmware's SMCCC_ARCH_FEATURES(@fid) on this CPU; NOT_SUPPORTED below SMCCC 1.1. */
int64_t psci_fw_arch_features(uint32_t fid);
void psci_fw_ssb_off(void);
const char *psci_ret_name(int64_t ret);

#endif
