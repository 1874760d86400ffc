/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A cell's stage-2 aborts (EC 0x20, 0x24) that guest_trap.c does not
 * emulate, and their reports (arch/arm64/guest_abort.c): a file free of
 * system-register accesses, so that tests/unit/test_guest_abort.c builds it
 * on the host. The caller reads what the CPU holds (HPFAR_EL2: the IPA).
 */
#ifndef BULKHEAD_ARM64_GUEST_ABORT_H
#define BULKHEAD_ARM64_GUEST_ABORT_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct trap_frame;

/*
 * TLB conflict aborts in a row at one PC and address, each after this CPU's
 * TLB entries of the cell were invalidated: the last that is retried. One
 * such invalidation removes every entry of a conflict (Arm ARM D8.17.3,
 * I_JCCRT: VMALLS12E1 with stage 2 in use), so another comes only if the
 * entries are refilled overlapping: from tables that overlap themselves, a
 * TLB that fails, or stage-1 tables the guest keeps changing under the
 * access without break-before-make.
 */
#define TLB_CONFLICT_RETRIES 4
/* ... each within this many ms of the one before: the retry is at once, without progress. */
#define TLB_CONFLICT_WINDOW_MS 10

/*
 * This CPU's guest's last TLB conflict abort, and how many came in a row.
 * One per physical CPU (its cpu_local), cleared at every (re)start of its
 * vCPU (guest_abort_streak_reset()).
 */
struct tlb_conflict_streak {
	uint64_t pc, va; /* the abort's ELR_EL2 and FAR_EL2 (~0: FnV) */
	uint64_t at;	 /* when, in counter ticks */
	unsigned int count;
};

static inline void guest_abort_streak_reset(struct tlb_conflict_streak *s)
{
	s->count = 0;
}

/*
 * Another TLB conflict abort at @pc and @va (~0 if FAR_EL2 does not hold
 * it) at counter tick @now: true while it is still to be retried (at most
 * TLB_CONFLICT_RETRIES in a row at the same place, each within
 * TLB_CONFLICT_WINDOW_MS of the one before).
 */
bool guest_abort_conflict_retry(struct tlb_conflict_streak *s, uint64_t pc, uint64_t va,
				uint64_t now);

/*
 * This CPU's TLB entries, stage 1 and stage 2, of the VMID in VTTBR_EL2:
 * those of the cell whose trap it is taking (arch/arm64/stage2.c).
 */
void arch_stage2_tlb_flush_local(void);

/*
 * The guest's own stage-2 abort, at @ipa (FAULT_IPA_UNKNOWN where HPFAR_EL2
 * does not give it): reported (fault_stage2()), rate-limited; the caller
 * injects the abort.
 */
void guest_abort_report(struct vcpu *vcpu, const struct trap_frame *f, uint64_t ipa);
/*
 * A stage-2 abort that is not the guest's access (esr_stage2_owner()): the
 * hypervisor's stage-2 tables, the hardware or the firmware. Reported as theirs, and the
 * cell stops, or the system halts (fault_stage2_not_guests()). But a TLB
 * conflict abort is not: it is retried, this CPU's TLB entries of the cell
 * invalidated, the report rate-limited (fault_tlb_conflict()), and the
 * function returns, the guest to take the same instruction again (ELR_EL2
 * not moved). When the streak (@s, this CPU's) says it is not resolved, it
 * is told and the cell's on-fault policy applies, as for a fault of the
 * guest's (fault_tlb_conflict_unresolved()).
 */
void guest_abort_not_guests(struct vcpu *vcpu, const struct trap_frame *f, uint64_t ipa,
			    struct tlb_conflict_streak *s);

#endif
