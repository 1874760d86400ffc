// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which speculation mitigations a CPU needs on entry from a guest, from its
 * MIDR, its ID registers and its firmware's SMCCC_ARCH_FEATURES answers. The
 * core lists and loop counts are Arm's (the Spectre-BHB white paper, as Linux
 * and TF-A apply them); the order of preference is the architecture's first,
 * then the CPU's own instruction, then the loop, then the firmware.
 * Spectre-v4 needs nothing on entry: with FEAT_SSBS, SCTLR_EL2.DSSBS clear
 * enters EL2 with the bypass off; without, the firmware turns it off for good.
 */
#include <stdbool.h>
#include <stddef.h>
#include "spectre.h"
#include "sysreg.h"

#define MIDR_IMPLEMENTER(midr) (((midr) >> 24) & 0xff)
#define MIDR_PARTNUM(midr)     (((midr) >> 4) & 0xfff)
#define MIDR_IMPL_ARM	       0x41

struct part_loop {
	uint16_t part;
	uint8_t loop;
};

/*
 * Arm parts whose branch history is cleared by a loop of this many taken
 * branches: Linux's spectre_bhb_loop_affected() (from Arm's list), and for
 * Cortex-X4 and Neoverse V3, which Linux does not list, TF-A's
 * CORTEX_X4_BHB_LOOP_COUNT and NEOVERSE_V3_BHB_LOOP_COUNT. A longer loop than
 * a core needs costs time, not safety. Cortex-X925 and A725 have a count in
 * neither: CLRBHB, or the firmware.
 */
static const struct part_loop bhb_loops[] = {
	{ 0xd07, 8 },	/* Cortex-A57 */
	{ 0xd08, 8 },	/* Cortex-A72 */
	{ 0xd0b, 24 },	/* Cortex-A76 */
	{ 0xd0c, 24 },	/* Neoverse N1 */
	{ 0xd0d, 24 },	/* Cortex-A77 */
	{ 0xd0e, 24 },	/* Cortex-A76AE */
	{ 0xd40, 32 },	/* Neoverse V1 */
	{ 0xd41, 32 },	/* Cortex-A78 */
	{ 0xd42, 32 },	/* Cortex-A78AE */
	{ 0xd44, 32 },	/* Cortex-X1 */
	{ 0xd47, 32 },	/* Cortex-A710 */
	{ 0xd48, 32 },	/* Cortex-X2 */
	{ 0xd49, 32 },	/* Neoverse N2 */
	{ 0xd4b, 32 },	/* Cortex-A78C */
	{ 0xd4c, 32 },	/* Cortex-X1C */
	{ 0xd4d, 38 },	/* Cortex-A715 */
	{ 0xd81, 38 },	/* Cortex-A720 */
	{ 0xd89, 38 },	/* Cortex-A720AE */
	{ 0xd4e, 132 }, /* Cortex-X3 */
	{ 0xd4f, 132 }, /* Neoverse V2 */
	{ 0xd82, 132 }, /* Cortex-X4 */
	{ 0xd84, 132 }, /* Neoverse V3 */
};

/* In-order Arm parts: neither branch target nor branch history injection reaches them. */
static const uint16_t unaffected_parts[] = {
	0xd03, /* Cortex-A53 */
	0xd04, /* Cortex-A35 */
	0xd05, /* Cortex-A55 */
	0xd46, /* Cortex-A510 */
	0xd80, /* Cortex-A520 */
};

/* Arm parts that do not bypass stores speculatively. */
static const uint16_t ssb_unaffected_parts[] = {
	0xd03, /* Cortex-A53 */
	0xd04, /* Cortex-A35 */
	0xd05, /* Cortex-A55 */
};

static bool arm_part(uint64_t midr)
{
	return MIDR_IMPLEMENTER(midr) == MIDR_IMPL_ARM;
}

static bool part_in(uint64_t midr, const uint16_t *parts, size_t n)
{
	size_t i;

	for (i = 0; arm_part(midr) && i < n; i++)
		if (MIDR_PARTNUM(midr) == parts[i])
			return true;
	return false;
}

static bool unaffected_core(uint64_t midr)
{
	return part_in(midr, unaffected_parts,
		       sizeof(unaffected_parts) / sizeof(unaffected_parts[0]));
}

static unsigned int bhb_loop_of(uint64_t midr)
{
	size_t i;

	for (i = 0; arm_part(midr) && i < sizeof(bhb_loops) / sizeof(bhb_loops[0]); i++)
		if (MIDR_PARTNUM(midr) == bhb_loops[i].part)
			return bhb_loops[i].loop;
	return 0;
}

static void judge(enum spectre_state *state, enum spectre_why *why, enum spectre_state s,
		  enum spectre_why w)
{
	*state = s;
	*why = w;
}

static void plan_v2(const struct spectre_cpu *cpu, struct spectre_plan *plan)
{
	if (id_field(cpu->pfr0, ID_AA64PFR0_CSV2_SHIFT))
		judge(&plan->v2, &plan->v2_why, SPECTRE_UNAFFECTED, SPECTRE_WHY_CSV2);
	else if (unaffected_core(cpu->midr))
		judge(&plan->v2, &plan->v2_why, SPECTRE_UNAFFECTED, SPECTRE_WHY_CORE);
	else if (cpu->fw_wa1 == SMCCC_WA_UNAFFECTED)
		judge(&plan->v2, &plan->v2_why, SPECTRE_UNAFFECTED, SPECTRE_WHY_FW_UNAFFECTED);
	else if (cpu->fw_wa1 == SMCCC_WA_REQUIRED) {
		judge(&plan->v2, &plan->v2_why, SPECTRE_MITIGATED, SPECTRE_WHY_FW_WA1);
		plan->harden.fw_fid = SMCCC_ARCH_WORKAROUND_1;
	} else
		judge(&plan->v2, &plan->v2_why, SPECTRE_VULNERABLE, SPECTRE_WHY_NO_WORKAROUND);
}

static void plan_bhb(const struct spectre_cpu *cpu, struct spectre_plan *plan)
{
	unsigned int loop = bhb_loop_of(cpu->midr);

	if (id_field(cpu->pfr0, ID_AA64PFR0_CSV2_SHIFT) == 3)
		judge(&plan->bhb, &plan->bhb_why, SPECTRE_UNAFFECTED, SPECTRE_WHY_CSV2_3);
	else if (id_field(cpu->mmfr1, ID_AA64MMFR1_ECBHB_SHIFT))
		judge(&plan->bhb, &plan->bhb_why, SPECTRE_UNAFFECTED, SPECTRE_WHY_ECBHB);
	else if (unaffected_core(cpu->midr))
		judge(&plan->bhb, &plan->bhb_why, SPECTRE_UNAFFECTED, SPECTRE_WHY_CORE);
	else if (plan->v2 == SPECTRE_VULNERABLE)
		judge(&plan->bhb, &plan->bhb_why, SPECTRE_VULNERABLE, SPECTRE_WHY_V2_OPEN);
	else if (id_field(cpu->isar2, ID_AA64ISAR2_CLRBHB_SHIFT)) {
		judge(&plan->bhb, &plan->bhb_why, SPECTRE_MITIGATED, SPECTRE_WHY_CLRBHB);
		plan->harden.clrbhb = 1;
	} else if (loop) {
		judge(&plan->bhb, &plan->bhb_why, SPECTRE_MITIGATED, SPECTRE_WHY_LOOP);
		plan->harden.bhb_loop = loop;
	} else if (cpu->fw_wa3 == SMCCC_WA_REQUIRED) {
		/* WORKAROUND_3 covers what WORKAROUND_1 does (SMCCC 1.4): one call, not two. */
		judge(&plan->bhb, &plan->bhb_why, SPECTRE_MITIGATED, SPECTRE_WHY_FW_WA3);
		plan->harden.fw_fid = SMCCC_ARCH_WORKAROUND_3;
	} else if (cpu->fw_wa3 == SMCCC_WA_UNAFFECTED)
		judge(&plan->bhb, &plan->bhb_why, SPECTRE_UNAFFECTED, SPECTRE_WHY_FW_UNAFFECTED);
	else
		judge(&plan->bhb, &plan->bhb_why, SPECTRE_VULNERABLE, SPECTRE_WHY_NO_WORKAROUND);
}

static void plan_v4(const struct spectre_cpu *cpu, struct spectre_plan *plan)
{
	if (part_in(cpu->midr, ssb_unaffected_parts,
		    sizeof(ssb_unaffected_parts) / sizeof(ssb_unaffected_parts[0])))
		judge(&plan->v4, &plan->v4_why, SPECTRE_UNAFFECTED, SPECTRE_WHY_CORE);
	else if (id_field(cpu->pfr1, ID_AA64PFR1_SSBS_SHIFT) && !cpu->dssbs)
		judge(&plan->v4, &plan->v4_why, SPECTRE_MITIGATED, SPECTRE_WHY_SSBS);
	else if (cpu->fw_wa2 == SMCCC_WA_UNAFFECTED)
		judge(&plan->v4, &plan->v4_why, SPECTRE_UNAFFECTED, SPECTRE_WHY_FW_UNAFFECTED);
	else if (cpu->fw_wa2 == SMCCC_WA_REQUIRED) {
		/* Asked once and never undone: a guest's own WORKAROUND_2 call is a no-op. */
		judge(&plan->v4, &plan->v4_why, SPECTRE_MITIGATED, SPECTRE_WHY_FW_WA2);
		plan->fw_wa2_on = true;
	} else
		judge(&plan->v4, &plan->v4_why, SPECTRE_VULNERABLE, SPECTRE_WHY_NO_WORKAROUND);
}

void spectre_plan_for(const struct spectre_cpu *cpu, struct spectre_plan *plan)
{
	*plan = (struct spectre_plan){ 0 };
	plan_v2(cpu, plan);
	plan_bhb(cpu, plan);
	plan_v4(cpu, plan);
}

static int64_t feature_of(enum spectre_state state)
{
	switch (state) {
	case SPECTRE_UNAFFECTED:
		return SMCCC_WA_UNAFFECTED;
	case SPECTRE_MITIGATED:
		return SMCCC_WA_REQUIRED;
	default:
		return SMCCC_WA_NOT_SUPPORTED;
	}
}

/*
 * As KVM answers: "required" where this CPU's entry from the guest already
 * runs the mitigation, so the guest's own call (handled as a no-op) costs one
 * trap and covers it; "not required" where the CPU is not affected; not
 * supported where it is and nothing mitigates it. For WORKAROUND_2, "not
 * required" also where the firmware keeps the bypass off for good, and not
 * supported where the CPU has SSBS: the guest sees it in ID_AA64PFR1_EL1 and
 * controls its own bypass with it, from a safe default.
 */
int64_t spectre_guest_feature(const struct spectre_plan *plan, uint32_t fid)
{
	switch (fid) {
	case SMCCC_ARCH_WORKAROUND_1:
		return feature_of(plan->v2);
	case SMCCC_ARCH_WORKAROUND_3:
		return feature_of(plan->bhb);
	case SMCCC_ARCH_WORKAROUND_2:
		if (plan->v4 == SPECTRE_VULNERABLE || plan->v4_why == SPECTRE_WHY_SSBS)
			return SMCCC_WA_NOT_SUPPORTED;
		return SMCCC_WA_UNAFFECTED;
	default:
		return SMCCC_WA_NOT_SUPPORTED;
	}
}
