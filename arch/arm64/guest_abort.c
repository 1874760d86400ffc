// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's stage-2 aborts that are not emulated MMIO (guest_trap.c's
 * handle_abort()): whose they are (esr_stage2_owner()), what the report
 * says of them, and a TLB conflict's retry. Free of system-register
 * accesses (tests/unit/test_guest_abort.c builds it on the host).
 */
#include <stdbool.h>
#include <stdio.h>
#include "arch/cpu.h"
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
	char syndrome[ESR_DESCRIBE_MAX], why[128];
	struct stage2_fault s2 = compose(f, ipa, syndrome, sizeof(syndrome));

	s2.why = ipa != FAULT_IPA_UNKNOWN ? refusal(vcpu, f->esr, ipa, why, sizeof(why)) : NULL;
	if (!s2.why)
		s2.why = esr_abort_cause(f->esr);
	fault_stage2(vcpu, &s2);
}

bool guest_abort_conflict_retry(struct tlb_conflict_streak *s, uint64_t pc, uint64_t va,
				uint64_t now)
{
	bool again = s->count && s->pc == pc && s->va == va &&
		     now - s->at <= arch_ms_to_ticks(TLB_CONFLICT_WINDOW_MS);

	s->count = again ? s->count + 1 : 1;
	s->pc = pc;
	s->va = va;
	s->at = now;
	return s->count <= TLB_CONFLICT_RETRIES;
}

/*
 * A TLB conflict abort is retried: this CPU's TLB entries of the cell
 * invalidated, the retry told, and the guest takes the same instruction
 * again. One that comes again too often is told and the cell's on-fault
 * policy applies (fault_tlb_conflict_unresolved(), which does not return).
 */
static void conflict(struct vcpu *vcpu, const struct trap_frame *f, const struct stage2_fault *s2,
		     struct tlb_conflict_streak *s)
{
	uint64_t va = s2->va_unknown ? ~0ULL : f->far;

	if (!guest_abort_conflict_retry(s, f->elr, va, arch_counter_read()))
		fault_tlb_conflict_unresolved(vcpu, s2, s->count);
	arch_stage2_tlb_flush_local();
	fault_tlb_conflict(vcpu, s2);
}

__cold void guest_abort_not_guests(struct vcpu *vcpu, const struct trap_frame *f, uint64_t ipa,
				   struct tlb_conflict_streak *s)
{
	char syndrome[ESR_DESCRIBE_MAX];
	struct stage2_fault s2 = compose(f, ipa, syndrome, sizeof(syndrome));

	s2.why = esr_stage2_not_guests(f->esr);
	if (esr_stage2_owner(f->esr) == ESR_S2_TLB_CONFLICT) {
		conflict(vcpu, f, &s2, s);
		return;
	}
	fault_stage2_not_guests(vcpu, &s2);
}
