// SPDX-License-Identifier: GPL-2.0-only
/* Each CPU's speculation mitigations at EL2: judged at boot, applied by its vector table. */
#include <stddef.h>
#include <stdio.h>
#include "cpu_local.h"
#include "log.h"
#include "psci.h"
#include "spectre.h"
#include "sysreg.h"

_Static_assert(offsetof(struct cpu_local, harden.bhb_loop) == CPU_LOCAL_HARDEN_BHB_LOOP,
	       "asm_defs.h CPU_LOCAL_HARDEN_BHB_LOOP");
_Static_assert(offsetof(struct cpu_local, harden.clrbhb) == CPU_LOCAL_HARDEN_CLRBHB,
	       "asm_defs.h CPU_LOCAL_HARDEN_CLRBHB");
_Static_assert(offsetof(struct cpu_local, harden.fw_fid) == CPU_LOCAL_HARDEN_FW_FID,
	       "asm_defs.h CPU_LOCAL_HARDEN_FW_FID");

extern char el2_vectors_hardened[];
static bool advised;

static const char *why_text(enum spectre_why why)
{
	switch (why) {
	case SPECTRE_WHY_CSV2:
		return "not affected (CSV2)";
	case SPECTRE_WHY_CSV2_3:
		return "not affected (CSV2_3)";
	case SPECTRE_WHY_ECBHB:
		return "not affected (ECBHB)";
	case SPECTRE_WHY_CORE:
		return "not affected (this core)";
	case SPECTRE_WHY_FW_UNAFFECTED:
		return "not affected (the firmware says so)";
	case SPECTRE_WHY_FW_WA1:
		return "mitigated (SMCCC_ARCH_WORKAROUND_1 on every entry from the guest)";
	case SPECTRE_WHY_FW_WA3:
		return "mitigated (SMCCC_ARCH_WORKAROUND_3 on every entry from the guest)";
	case SPECTRE_WHY_CLRBHB:
		return "mitigated (CLRBHB on every entry from the guest)";
	case SPECTRE_WHY_NO_WORKAROUND:
		return "VULNERABLE (the firmware offers no SMCCC workaround for it)";
	case SPECTRE_WHY_V2_OPEN:
		return "not mitigated (pointless while Spectre-v2 is open)";
	case SPECTRE_WHY_SSBS:
		return "mitigated (SSBS: the hypervisor runs with the bypass off)";
	case SPECTRE_WHY_FW_WA2:
		return "mitigated (SMCCC_ARCH_WORKAROUND_2: the firmware turned the bypass off)";
	default:
		return "mitigated";
	}
}

static void spectre_report(unsigned int cpu, uint64_t midr, const struct spectre_plan *p)
{
	bool open = p->v2 == SPECTRE_VULNERABLE || p->bhb == SPECTRE_VULNERABLE ||
		    p->v4 == SPECTRE_VULNERABLE;
	enum log_level level = open ? LOG_WARN : LOG_INFO;
	char bhb[80];

	if (p->bhb_why == SPECTRE_WHY_LOOP)
		snprintf(bhb, sizeof(bhb),
			 "mitigated (a loop of %u taken branches on every entry from the guest)",
			 p->harden.bhb_loop);
	else
		snprintf(bhb, sizeof(bhb), "%s", why_text(p->bhb_why));
	log_printf(level, "cpu%u: MIDR 0x%08lx: Spectre-v2 %s; Spectre-BHB %s; Spectre-v4 %s", cpu,
		   (unsigned long)midr, why_text(p->v2_why), bhb, why_text(p->v4_why));
	/* The advice once, not once per CPU of an affected board. */
	if (open && !__atomic_exchange_n(&advised, true, __ATOMIC_RELAXED))
		log_warn("spectre: a guest on such a CPU may steer the hypervisor's speculation "
			 "and read other cells' memory through a cache side channel: update the "
			 "firmware (TF-A with the SMCCC 1.1 workarounds) or trust the cells on it");
}

void spectre_cpu_init(void)
{
	struct cpu_local *c = this_cpu();
	struct spectre_cpu id = {
		.midr = read_sysreg(midr_el1),
		.pfr0 = read_sysreg(id_aa64pfr0_el1),
		.pfr1 = read_sysreg(id_aa64pfr1_el1),
		.mmfr1 = read_sysreg(id_aa64mmfr1_el1),
		.isar2 = read_sysreg_s(SYS_ID_AA64ISAR2_EL1),
		.fw_wa1 = psci_fw_arch_features(SMCCC_ARCH_WORKAROUND_1),
		.fw_wa2 = psci_fw_arch_features(SMCCC_ARCH_WORKAROUND_2),
		.fw_wa3 = psci_fw_arch_features(SMCCC_ARCH_WORKAROUND_3),
		.dssbs = (read_sysreg(sctlr_el2) & SCTLR_EL2_DSSBS) != 0,
	};
	struct spectre_plan plan;

	spectre_plan_for(&id, &plan);
	c->harden = plan.harden;
	c->guest_wa1 = (int8_t)spectre_guest_feature(&plan, SMCCC_ARCH_WORKAROUND_1);
	c->guest_wa2 = (int8_t)spectre_guest_feature(&plan, SMCCC_ARCH_WORKAROUND_2);
	c->guest_wa3 = (int8_t)spectre_guest_feature(&plan, SMCCC_ARCH_WORKAROUND_3);
	if (plan.fw_wa2_on)
		psci_fw_ssb_off();
	spectre_report(c->index, id.midr, &plan);
	if (plan.harden.bhb_loop || plan.harden.clrbhb || plan.harden.fw_fid) {
		write_sysreg((uintptr_t)el2_vectors_hardened, vbar_el2);
		isb();
	}
}

int64_t arch_spectre_guest_feature(uint32_t fid)
{
	const struct cpu_local *c = this_cpu();

	switch (fid) {
	case SMCCC_ARCH_WORKAROUND_1:
		return c->guest_wa1;
	case SMCCC_ARCH_WORKAROUND_2:
		return c->guest_wa2;
	case SMCCC_ARCH_WORKAROUND_3:
		return c->guest_wa3;
	default:
		return SMCCC_WA_NOT_SUPPORTED;
	}
}
