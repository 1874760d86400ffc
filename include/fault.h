/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_FAULT_H
#define BULKHEAD_FAULT_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/*
 * Reporting and policy for what a guest does wrong (partitions/fault.c).
 * Reports carry the cell and vCPU; repeated reports of one kind are
 * rate-limited per cell but always counted.
 */

/*
 * An access the cell's stage 2 refused; the guest gets an abort. @why: why
 * an emulated device's access could not be emulated, else what the fault
 * code says (esr_abort_cause(): a walk's descriptor update in read-only
 * memory, an alignment fault), else NULL: an IPA the cell does not own. @ipa
 * is FAULT_IPA_UNKNOWN when the CPU does not report it (a stage-2 permission
 * or alignment fault: esr_abort_ipa_valid()).
 * @walk: what stage 2 refused was not the access at @va but the guest's
 * stage-1 table walk for it, reading its page tables at @ipa, a page
 * (esr_abort_ipa()). @va_unknown: ISS.FnV said FAR_EL2 does not hold the
 * VA (esr_far_state()): @va is whatever an earlier fault left, not printed.
 */
#define FAULT_IPA_UNKNOWN UINT64_MAX
struct stage2_fault {
	const char *access; /* "read", "write", "fetch" (esr_abort_access()) */
	bool walk, va_unknown;
	uint64_t ipa, va, pc;
	const char *why, *syndrome;
};
void fault_stage2(struct vcpu *vcpu, const struct stage2_fault *s2);
/*
 * A stage-2 abort that is not the guest's access (esr_stage2_owner()): @why
 * says whose, the hypervisor's stage-2 tables, the hardware or the firmware
 * (esr_stage2_not_guests()). Reported as theirs, at the error level, not
 * counted as the cell's fault. The cell cannot run on: it is stopped, also
 * under on-fault restart (a new boot would walk the same tables into the
 * same fault), or the system halts under on-fault halt-system.
 */
void fault_stage2_not_guests(struct vcpu *vcpu, const struct stage2_fault *s2)
	__attribute__((noreturn));
/*
 * A TLB conflict abort retried after this CPU's TLB entries of the cell were
 * invalidated: told (rate-limited per cell), not counted as the cell's fault.
 */
void fault_tlb_conflict(struct vcpu *vcpu, const struct stage2_fault *s2);
/*
 * A TLB conflict abort that came @times in a row, each retried, at one PC and
 * address: overlapping TLB entries that TLB maintenance did not remove, @why
 * (esr_stage2_not_guests()). Reported, counted as the cell's fault, and the
 * cell's on-fault policy applies (restart too: the guest's stage-1 tables
 * may be the cause, and a new boot builds new ones).
 */
void fault_tlb_conflict_unresolved(struct vcpu *vcpu, const struct stage2_fault *s2,
				   unsigned int times) __attribute__((noreturn));
/*
 * A raw SMC: refused with NOT_SUPPORTED, for its function ID @fid or, when
 * it is not 0, for its immediate @imm (ESR_EL2.ISS[15:0]).
 */
void fault_smc(struct vcpu *vcpu, uint64_t fid, unsigned int imm, uint64_t pc);
/* A trapped instruction the hypervisor does not emulate; the guest gets an UNDEF. */
void fault_undef(struct vcpu *vcpu, const char *what, uint64_t pc);
/* A management hypercall from a cell not marked `management`: refused with DENIED. */
void fault_denied(struct vcpu *vcpu, uint32_t fid);
struct cell;
/* A missed watchdog deadline: reported, counted, then the policy applies. */
void fault_watchdog(struct cell *cell, uint64_t late_ms);
/*
 * A DMA fault the SMMU reported for a stream @cell owns (smmu/): reported
 * ("<label>: SMMU: <event> for stream 0x.. at 0x.. (<reason>)") and counted.
 * A record without an address (@has_addr false: C_BAD_SUBSTREAMID, an
 * event the driver does not know) has no "at 0x..".
 */
void fault_smmu(struct cell *cell, const char *event, uint32_t sid, uint64_t addr, bool has_addr,
		const char *reason);
/*
 * The same for a record drained as @cell reloads (CELL_LOADING): of the boot
 * that ended, whose streams have aborted since. Told as "... (<reason>) of the
 * cell's previous boot (#N), drained as it reloads: no on-fault policy" and
 * counted; the caller applies no policy.
 */
void fault_smmu_of_last_boot(struct cell *cell, const char *event, uint32_t sid, uint64_t addr,
			     bool has_addr, const char *reason);
/*
 * A DMA fault of @cell's whose record was dropped unread (smmu/: records
 * that came faster than they were drained): counted, not told; the caller
 * applies the policy as for a reported one.
 */
void fault_smmu_unread(struct cell *cell);
/*
 * @cell's on-fault policy for a fault of its boot #@boot, from any CPU (an
 * interrupt handler): carried out on the cell's CPU; halt-system checked
 * under the cell's lock. Nothing, and told, if the cell is at another boot
 * by then. A stop also reaches a stop or restart under way (queued there).
 */
void fault_policy_async(struct cell *cell, const char *why, uint64_t boot);
/* The last faults, oldest first, for the shell. */
void fault_log_print(void);
/* Stop, restart or halt as @cell's on-fault says; returns only if the caller is not the cell's. */
void fault_apply_policy(struct cell *cell, const char *why);
/*
 * An SError whose error the RAS extension says was corrected or not yet
 * consumed (@what: its syndrome decoded): reported and counted, no policy.
 */
void fault_ras_recovered(struct vcpu *vcpu, const char *what, uint64_t pc);
/*
 * An SError a vCPU took as it left the guest for its cell's stop or restart
 * (its power already VCPU_OFF): reported and counted, no policy. The cell is
 * on its way out already, and the error may be the stop's own doing (a
 * device quiesced under the guest's writes): it must not turn a restart into
 * a stop, nor halt the system.
 */
void fault_serror_stopping(struct vcpu *vcpu, const char *what, uint64_t pc);
/*
 * An SError taken at EL2 on CPU @cpu right after the hypervisor's accesses
 * to @cell's devices there (arch_serror_take_for(): its PCI functions
 * quiesced for its stop or restart, maybe on another cell's CPU): @cell's,
 * reported and counted as its stop's (fault_serror_stopping()), no policy.
 */
void fault_serror_quiesced(struct cell *cell, const char *what, unsigned int cpu);
/* Something the hypervisor cannot emulate: the cell's on-fault policy applies. */
void fault_unhandled(struct vcpu *vcpu, const char *what, uint64_t pc) __attribute__((noreturn));

#endif
