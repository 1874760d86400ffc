/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A cell's stage-2 aborts (EC 0x20, 0x24) that guest_trap.c does not
 * emulate, and their reports (arch/arm64/guest_abort.c): a file free of
 * system-register accesses, so that tests/unit/test_guest_abort.c builds it
 * on the host. The caller reads what the CPU holds (HPFAR_EL2: the IPA).
 */
#ifndef BULKHEAD_ARM64_GUEST_ABORT_H
#define BULKHEAD_ARM64_GUEST_ABORT_H

#include <stdint.h>

struct vcpu;
struct trap_frame;

/*
 * The guest's own stage-2 abort, at @ipa (FAULT_IPA_UNKNOWN where HPFAR_EL2
 * does not give it): reported (fault_stage2()), rate-limited; the caller
 * injects the abort.
 */
void guest_abort_report(struct vcpu *vcpu, const struct trap_frame *f, uint64_t ipa);
/*
 * A stage-2 abort that is not the guest's access (esr_stage2_owner()): the
 * hypervisor's stage-2 tables or the hardware. Reported as theirs, and the
 * cell stops, or the system halts (fault_stage2_not_guests()).
 */
void guest_abort_not_guests(struct vcpu *vcpu, const struct trap_frame *f, uint64_t ipa)
	__attribute__((noreturn));

#endif
