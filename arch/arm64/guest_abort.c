// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's stage-2 aborts that are not emulated MMIO (guest_trap.c's
 * handle_abort()): whose they are (esr_stage2_owner()) and what the report
 * says of them. Free of system-register
 * accesses (tests/unit/test_guest_abort.c builds it on the host).
 */
#include <stdbool.h>
#include <stdio.h>
#include "cell.h"
#include "esr.h"
#include "fault.h"
#include "guest_abort.h"
#include "mmio.h"
#include "trap_frame.h"
#include "compiler.h"

/*
 * Why an access to an emulated device was refused (esr_device_refusal()), in
 * @buf; NULL if @ipa is no emulated device, the plain stage-2 fault.
 */
__cold static const char *refusal(const struct vcpu *vcpu, uint64_t esr, uint64_t ipa, char *buf,
				  size_t len)
{
	const char *dev = mmio_device_name(vcpu->cell, ipa);

	if (!dev)
		return NULL;
	snprintf(buf, len, "%s: %s", dev, esr_device_refusal(esr));
	return buf;
}

/* What the trap frame says of a stage-2 abort at @ipa; its syndrome decoded into @syndrome. */
static struct stage2_fault compose(const struct trap_frame *f, uint64_t ipa, char *syndrome,
				   size_t len)
{
	esr_describe_iss(f->esr, syndrome, len);
	return (struct stage2_fault){
		.access = esr_abort_access(f->esr),
		.walk = (esr_iss(f->esr) & ESR_ISS_DABT_S1PTW) != 0,
		.va_unknown = esr_far_state(f->esr) == ESR_FAR_FNV,
		.ipa = ipa,
		.va = f->far,
		.pc = f->elr,
		.syndrome = syndrome,
	};
}

__cold void guest_abort_report(struct vcpu *vcpu, const struct trap_frame *f, uint64_t ipa)
{
	char syndrome[128], why[128];
	struct stage2_fault s2 = compose(f, ipa, syndrome, sizeof(syndrome));

	s2.why = ipa != FAULT_IPA_UNKNOWN ? refusal(vcpu, f->esr, ipa, why, sizeof(why))
					  : esr_abort_cause(f->esr);
	fault_stage2(vcpu, &s2);
}

__cold void guest_abort_not_guests(struct vcpu *vcpu, const struct trap_frame *f, uint64_t ipa)
{
	char syndrome[128];
	struct stage2_fault s2 = compose(f, ipa, syndrome, sizeof(syndrome));

	s2.why = esr_stage2_not_guests(f->esr);
	fault_stage2_not_guests(vcpu, &s2);
}
