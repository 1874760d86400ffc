/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Speculation attacks on the hypervisor from a guest (docs/traps.md,
 * "Speculation"): Spectre-v2 (CVE-2017-5715, branch target injection),
 * Spectre-BHB (CVE-2022-23960, branch history injection) and Spectre-v4
 * (CVE-2018-3639, speculative store bypass). EL2 maps every cell's memory, so
 * a guest that steers EL2's speculation could read another cell's data
 * through a cache side channel. Each CPU is judged on its own (a big.LITTLE
 * board has affected and unaffected cores) and, where needed, takes every
 * exception from its guest through el2_vectors_hardened. Spectre-v1 is
 * handled in the code (nospec.h).
 */
#ifndef BULKHEAD_ARM64_SPECTRE_H
#define BULKHEAD_ARM64_SPECTRE_H

#include <stdbool.h>
#include <stdint.h>
#include "hypercall.h"

/* SMCCC_ARCH_FEATURES answers for a workaround (SMCCC 1.4, Arm DEN 0028). */
#define SMCCC_WA_NOT_SUPPORTED (-1)
#define SMCCC_WA_REQUIRED      0
#define SMCCC_WA_UNAFFECTED    1

/* What el2_vectors_hardened does on entry from a guest; read there through TPIDR_EL2. */
struct spectre_harden {
	uint32_t bhb_loop; /* branches that push the guest's history out; 0: none */
	uint32_t clrbhb;   /* 1: CLRBHB (FEAT_CLRBHB) */
	uint32_t fw_fid;   /* SMCCC_ARCH_WORKAROUND_1 or _3 into the firmware; 0: none */
};

enum spectre_state {
	SPECTRE_UNAFFECTED,
	SPECTRE_MITIGATED,
	SPECTRE_VULNERABLE,
};

enum spectre_why {
	SPECTRE_WHY_CSV2,	   /* ID_AA64PFR0_EL1.CSV2 != 0 */
	SPECTRE_WHY_CSV2_3,	   /* ID_AA64PFR0_EL1.CSV2 == 3: history is not exploitable */
	SPECTRE_WHY_ECBHB,	   /* ID_AA64MMFR1_EL1.ECBHB */
	SPECTRE_WHY_CORE,	   /* a core Arm lists as not affected */
	SPECTRE_WHY_FW_UNAFFECTED, /* the firmware answered "not required on this PE" */
	SPECTRE_WHY_FW_WA1,	   /* SMCCC_ARCH_WORKAROUND_1 on every entry */
	SPECTRE_WHY_FW_WA3,	   /* SMCCC_ARCH_WORKAROUND_3 on every entry */
	SPECTRE_WHY_LOOP,	   /* the branch loop on every entry */
	SPECTRE_WHY_CLRBHB,	   /* CLRBHB on every entry */
	SPECTRE_WHY_NO_WORKAROUND, /* affected, and nothing here can mitigate it */
	SPECTRE_WHY_V2_OPEN,	   /* BHB left alone: pointless while Spectre-v2 is open */
	SPECTRE_WHY_SSBS,	   /* v4: FEAT_SSBS, and EL2 entered with PSTATE.SSBS clear */
	SPECTRE_WHY_FW_WA2,	   /* v4: the firmware turned the bypass off for good at boot */
};

/* What a CPU says of itself and what its firmware answered (SMCCC_ARCH_FEATURES). */
struct spectre_cpu {
	uint64_t midr, pfr0, pfr1, mmfr1, isar2;
	int64_t fw_wa1, fw_wa2, fw_wa3; /* SMCCC_WA_NOT_SUPPORTED without SMCCC 1.1 firmware */
	bool dssbs;			/* SCTLR_EL2.DSSBS: PSTATE.SSBS on entry to EL2 */
};

struct spectre_plan {
	enum spectre_state v2, bhb, v4;
	enum spectre_why v2_why, bhb_why, v4_why;
	struct spectre_harden harden;
	bool fw_wa2_on; /* ask the firmware once, at boot: SMCCC_ARCH_WORKAROUND_2(1) */
};

/* The judgement, pure (arch/arm64/spectre_plan.c; host unit tests). */
void spectre_plan_for(const struct spectre_cpu *cpu, struct spectre_plan *plan);
/* SMCCC_ARCH_FEATURES(@fid) as a guest on a CPU with @plan is told. */
int64_t spectre_guest_feature(const struct spectre_plan *plan, uint32_t fid);

/* This CPU: judge it, log the judgement, install the hardened vectors if needed. */
void spectre_cpu_init(void);

#endif
