// SPDX-License-Identifier: GPL-2.0-only
/*
 * What guests do wrong: reported once each (rate-limited per cell, always
 * counted), kept in the shell's fault log (fault_log.c), and handled by the
 * cell's on-fault policy when the hypervisor cannot emulate it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include "arch/cpu.h"
#include "cell.h"
#include "console.h"
#include "fault.h"
#include "fault_log.h"
#include "halt.h"
#include "log.h"
#include "manage.h"

/* Past this many reports a cell's faults are only counted. */
#define FAULT_LOG_LIMIT 8

/* Into the shell's fault log as @cell's, and on the console unless @quiet. */
static void fault_record(const struct cell *cell, enum log_level level, bool quiet, const char *fmt,
			 ...) __attribute__((format(printf, 4, 5)));
static void fault_record(const struct cell *cell, enum log_level level, bool quiet, const char *fmt,
			 ...)
{
	char text[FAULT_TEXT];
	va_list ap;

	va_start(ap, fmt);
	log_cut(text, sizeof(text), vsnprintf(text, sizeof(text), fmt, ap));
	va_end(ap);
	fault_log_keep(cell, text);
	if (!quiet)
		log_printf(level, "%s", text);
}

enum fault_kind {
	FAULT_KIND_STAGE2,
	FAULT_KIND_SMC,
	FAULT_KIND_SMMU,
	FAULT_KIND_UNDEF,
	FAULT_KIND_DENIED,
	FAULT_KIND_RAS,
	FAULT_KIND_SERROR_STOPPING,
	FAULT_KIND_TLB_CONFLICT,
	FAULT_KIND_DMA_NO_POLICY,
	FAULT_KINDS,
};

static const char kind_names[FAULT_KINDS][32] = { "stage-2 faults",
						  "SMC refusals",
						  "SMMU faults",
						  "undefined instructions",
						  "refused management calls",
						  "recoverable RAS errors",
						  "SErrors while stopping",
						  "TLB conflict aborts retried",
						  "DMA faults left without policy" };
/*
 * Reports so far per cell and kind: one kind cannot silence another. Not a
 * count of faults (cell->faults is): it stops just past the limit, give or
 * take the CPUs racing past the check, so it never wraps round to 0 and a
 * storm is never told anew (before 2026-11-24 it did after 2^32 faults).
 */
static uint32_t reported[LAYOUT_MAX_CELLS][FAULT_KINDS];

/* The rate limit alone: true while @cell's reports of @kind are still told. */
static bool report_should_log(struct cell *cell, enum fault_kind kind, const char *after)
{
	uint32_t n;

	if (__atomic_load_n(&reported[cell->id][kind], __ATOMIC_RELAXED) > FAULT_LOG_LIMIT)
		return false;
	n = __atomic_add_fetch(&reported[cell->id][kind], 1, __ATOMIC_RELAXED);
	if (n == FAULT_LOG_LIMIT + 1)
		log_warn("%s: more than %u %s; %s", cell->cfg->label, FAULT_LOG_LIMIT,
			 kind_names[kind], after);
	return n <= FAULT_LOG_LIMIT;
}

static bool fault_should_log(struct cell *cell, enum fault_kind kind)
{
	__atomic_add_fetch(&cell->faults, 1, __ATOMIC_RELAXED);
	return report_should_log(cell, kind, "counting without logging");
}

/*
 * "VA 0x..", the guest's address of a stage-2 fault, unless ISS.FnV said
 * FAR_EL2 does not hold it: then its value is an earlier fault's.
 */
static const char *stage2_va(const struct stage2_fault *s2, char *buf, size_t len)
{
	if (s2->va_unknown)
		return "a VA not reported (FnV)";
	snprintf(buf, len, "VA 0x%lx", (unsigned long)s2->va);
	return buf;
}

/*
 * "of IPA 0x.. (VA 0x..) at PC 0x..": as much of the access's address as the
 * CPU reported. A fault on the guest's stage-1 table walk for it (its page
 * tables, not the access) is "of VA 0x.. at PC 0x..: its stage-1 table walk",
 * then @reached and the IPA page the walk reached, or @no_ipa if none was
 * reported.
 */
static void stage2_where(const struct stage2_fault *s2, char *buf, size_t len, const char *reached,
			 const char *no_ipa)
{
	unsigned long ipa = (unsigned long)s2->ipa, va = (unsigned long)s2->va;
	unsigned long pc = (unsigned long)s2->pc;
	bool has_ipa = s2->ipa != FAULT_IPA_UNKNOWN;
	char va_str[48];

	if (s2->walk && has_ipa)
		snprintf(buf, len, "of %s at PC 0x%lx: its stage-1 table walk%s IPA page 0x%lx",
			 stage2_va(s2, va_str, sizeof(va_str)), pc, reached, ipa);
	else if (s2->walk)
		snprintf(buf, len, "of %s at PC 0x%lx: its stage-1 table walk%s",
			 stage2_va(s2, va_str, sizeof(va_str)), pc, no_ipa);
	else if (has_ipa && s2->va_unknown)
		snprintf(buf, len, "of IPA 0x%lx (VA not reported: FnV) at PC 0x%lx", ipa, pc);
	else if (has_ipa)
		snprintf(buf, len, "of IPA 0x%lx (VA 0x%lx) at PC 0x%lx", ipa, va, pc);
	else if (s2->va_unknown)
		snprintf(buf, len, "(neither IPA nor VA reported for this fault: FnV) at PC 0x%lx",
			 pc);
	else
		snprintf(buf, len, "of VA 0x%lx (IPA not reported for this fault) at PC 0x%lx", va,
			 pc);
}

void fault_stage2(struct vcpu *vcpu, const struct stage2_fault *s2)
{
	const char *why = s2->why;
	char where[160];

	if (!fault_should_log(vcpu->cell, FAULT_KIND_STAGE2))
		return;
	if (!why && s2->ipa == FAULT_IPA_UNKNOWN)
		why = "refused by the cell's stage 2";
	else if (!why)
		why = s2->walk ? "not the cell's memory or device: the guest's page tables are "
				 "outside the cell"
			       : "not the cell's memory or device";
	stage2_where(s2, where, sizeof(where), " reached",
		     " faulted (IPA not reported for this fault)");
	fault_record(vcpu->cell, LOG_WARN, false, "%s: vcpu%u: %s %s: %s (%s); abort injected",
		     vcpu->cell->cfg->label, vcpu->index, s2->access, where, why, s2->syndrome);
}

/*
 * What becomes of a cell whose stage-2 fault is not its own. Not the on-fault
 * policy as such: the fault is not the guest's, and a restart would walk
 * the same tables, built once at boot, in the same memory, into the same
 * fault, boot after boot. halt-system is kept: it says the system must not
 * run on without the cell, whatever stopped it. Static: struct cell's stop_why.
 */
static const char not_guests_why[] =
	"a stage-2 fault of the hypervisor's tables, the hardware or the firmware";

/* Always told (the cell stops: there is no storm to limit), never counted as its fault. */
void fault_stage2_not_guests(struct vcpu *vcpu, const struct stage2_fault *s2)
{
	struct cell *cell = vcpu->cell;
	enum layout_on_fault policy = cell->cfg->on_fault;
	char where[160];

	stage2_where(s2, where, sizeof(where), ", at", "");
	fault_record(
		cell, LOG_ERR, false,
		"%s: vcpu%u: %s %s: not the guest's doing: %s (%s); the cell cannot run on: %s",
		cell->cfg->label, vcpu->index, s2->access, where, s2->why, s2->syndrome,
		policy == LAYOUT_ON_FAULT_HALT_SYSTEM ? "on-fault halt-system"
		: policy == LAYOUT_ON_FAULT_RESTART ? "stopped, not restarted (on-fault restart): "
						      "a new boot walks the same tables"
						    : "stopped (on-fault stop)");
	if (policy == LAYOUT_ON_FAULT_HALT_SYSTEM)
		fault_apply_policy(cell, not_guests_why);
	else
		cell_stop(cell, not_guests_why);
	/* cell_stop() does not return to a vCPU of the cell it acts on. */
	arch_cpu_park();
}

/*
 * One more fault of @cell, counted. True if it restarts itself in a loop
 * (cell_restart_storm()): the fault that restarts it again is recorded, not
 * printed.
 */
static bool count_storm_quiet(struct cell *cell)
{
	__atomic_add_fetch(&cell->faults, 1, __ATOMIC_RELAXED);
	return cell->cfg->on_fault == LAYOUT_ON_FAULT_RESTART && cell_restart_storm(cell);
}

void fault_tlb_conflict(struct vcpu *vcpu, const struct stage2_fault *s2)
{
	struct cell *cell = vcpu->cell;
	char where[160];

	if (!report_should_log(cell, FAULT_KIND_TLB_CONFLICT, "no more are told"))
		return;
	stage2_where(s2, where, sizeof(where), ", at", "");
	fault_record(cell, LOG_WARN, false,
		     "%s: vcpu%u: %s %s: TLB conflict abort (%s); this CPU's TLB entries of the "
		     "cell invalidated (TLBI VMALLS12E1), the access retried",
		     cell->cfg->label, vcpu->index, s2->access, where, s2->syndrome);
}

/*
 * Unlike a fault of the hypervisor's stage-2 tables or of the hardware
 * (fault_stage2_not_guests()), this may be the guest's doing, its stage-1
 * tables changed without break-before-make: counted as its fault, and its
 * on-fault policy applies as it is, restart included, since a new boot
 * builds new stage-1 tables. Told as fault_unhandled() tells: not while the
 * cell restarts in a loop.
 */
void fault_tlb_conflict_unresolved(struct vcpu *vcpu, const struct stage2_fault *s2,
				   unsigned int times)
{
	struct cell *cell = vcpu->cell;
	bool quiet = count_storm_quiet(cell);
	char where[160];

	stage2_where(s2, where, sizeof(where), ", at", "");
	fault_record(cell, LOG_ERR, quiet,
		     "%s: vcpu%u: %s %s: TLB conflict aborts %u times in a row, each after this "
		     "CPU's TLB entries of the cell were invalidated: %s (%s); on-fault %s",
		     cell->cfg->label, vcpu->index, s2->access, where, times, s2->why, s2->syndrome,
		     layout_on_fault_name(cell->cfg->on_fault));
	fault_apply_policy(cell, "TLB conflict aborts not resolved by TLB maintenance");
	/* cell_stop/cell_restart do not return to a vCPU of the cell they act on. */
	arch_cpu_park();
}

void fault_smc(struct vcpu *vcpu, uint64_t fid, unsigned int imm, uint64_t pc)
{
	char why[48];

	if (!fault_should_log(vcpu->cell, FAULT_KIND_SMC))
		return;
	snprintf(why, sizeof(why), "smc #0x%x, and SMCCC calls use immediate 0", imm);
	fault_record(vcpu->cell, LOG_WARN, false, "%s: vcpu%u: SMC 0x%lx at PC 0x%lx refused: %s",
		     vcpu->cell->cfg->label, vcpu->index, (unsigned long)fid, (unsigned long)pc,
		     imm ? why
			 : "only PSCI and the SMCCC architecture calls are answered over smc, "
			   "Bulkhead's own over hvc");
}

/* "<label>: vcpuN: <what> at PC 0x..: <outcome>", rate-limited as @kind. */
static void report_at_pc(struct vcpu *vcpu, enum fault_kind kind, const char *what, uint64_t pc,
			 const char *outcome)
{
	struct cell *cell = vcpu->cell;

	if (!fault_should_log(cell, kind))
		return;
	fault_record(cell, LOG_WARN, false, "%s: vcpu%u: %s at PC 0x%lx: %s", cell->cfg->label,
		     vcpu->index, what, (unsigned long)pc, outcome);
}

void fault_undef(struct vcpu *vcpu, const char *what, uint64_t pc)
{
	report_at_pc(vcpu, FAULT_KIND_UNDEF, what, pc, "not emulated; UNDEF injected");
}

void fault_ras_recovered(struct vcpu *vcpu, const char *what, uint64_t pc)
{
	report_at_pc(vcpu, FAULT_KIND_RAS, what, pc,
		     "an error corrected or not yet consumed, which the cell can run on after: "
		     "no on-fault policy");
}

void fault_serror_stopping(struct vcpu *vcpu, const char *what, uint64_t pc)
{
	report_at_pc(vcpu, FAULT_KIND_SERROR_STOPPING, what, pc,
		     "taken as the vCPU left the guest for its cell's stop or restart, which goes "
		     "on: no on-fault policy");
}

void fault_serror_quiesced(struct cell *cell, const char *what, unsigned int cpu)
{
	if (!fault_should_log(cell, FAULT_KIND_SERROR_STOPPING))
		return;
	fault_record(cell, LOG_WARN, false,
		     "%s: %s, taken at EL2 on CPU %u right after its devices were quiesced there "
		     "for its stop or restart, which goes on: the cell's, no on-fault policy",
		     cell->cfg->label, what, cpu);
}

void fault_denied(struct vcpu *vcpu, uint32_t fid)
{
	struct cell *cell = vcpu->cell;

	if (!fault_should_log(cell, FAULT_KIND_DENIED))
		return;
	fault_record(cell, LOG_WARN, false,
		     "%s: vcpu%u: management call 0x%x refused: the cell is not marked management",
		     cell->cfg->label, vcpu->index, fid);
}

void fault_apply_policy(struct cell *cell, const char *why)
{
	if (cell->cfg->on_fault == LAYOUT_ON_FAULT_RESTART) {
		cell_restart(cell, why);
	} else if (cell->cfg->on_fault == LAYOUT_ON_FAULT_HALT_SYSTEM) {
		halt_begin(); /* no other cell prints or runs after the line */
		log_err("%s: halting the system, as its layout asks", cell->cfg->label);
		console_flush(); /* the report and this line: after SYSTEM_OFF nobody sends them */
		halt_system();
	} else {
		cell_stop(cell, why); /* on-fault stop */
	}
}

/* "<label>: SMMU: <event> for stream 0x.. at 0x.. (<reason>)<outcome>", counted. */
static void smmu_fault_told(struct cell *cell, const char *event, uint32_t sid, uint64_t addr,
			    bool has_addr, const char *reason, const char *outcome)
{
	char at[32] = "";

	if (!fault_should_log(cell, FAULT_KIND_SMMU))
		return;
	if (has_addr)
		snprintf(at, sizeof(at), " at 0x%lx", (unsigned long)addr);
	fault_record(cell, LOG_WARN, false, "%s: SMMU: %s for stream 0x%x%s (%s)%s",
		     cell->cfg->label, event, sid, at, reason, outcome);
}

void fault_smmu(struct cell *cell, const char *event, uint32_t sid, uint64_t addr, bool has_addr,
		const char *reason)
{
	char outcome[32];

	snprintf(outcome, sizeof(outcome), "; on-fault %s",
		 layout_on_fault_name(cell->cfg->on_fault));
	smmu_fault_told(cell, event, sid, addr, has_addr, reason, outcome);
}

void fault_smmu_of_last_boot(struct cell *cell, const char *event, uint32_t sid, uint64_t addr,
			     bool has_addr, const char *reason)
{
	char outcome[112];

	snprintf(outcome, sizeof(outcome),
		 " of the cell's previous boot (#%lu), drained as it reloads: no on-fault policy",
		 (unsigned long)__atomic_load_n(&cell->boots, __ATOMIC_RELAXED));
	smmu_fault_told(cell, event, sid, addr, has_addr, reason, outcome);
}

void fault_smmu_unread(struct cell *cell)
{
	__atomic_add_fetch(&cell->faults, 1, __ATOMIC_RELAXED);
}

/*
 * Whether to say that boot @boot's DMA fault got no policy: not in a
 * restart storm, nor for a boot whose life-cycle lines are left out
 * (cell_storm.c), and at most FAULT_LOG_LIMIT times a cell. One line a
 * drain: a device that faults at every boot of a cell restarting itself, or
 * stopped and started by a management cell, in a loop, added one a boot for
 * ever (until 2026-11-25, the interference audit: both lines were told
 * unconditionally).
 */
static bool no_policy_told(struct cell *cell, uint64_t boot)
{
	if (cell_restart_storm(cell) || cell_boot_quiet(cell, boot))
		return false;
	return report_should_log(cell, FAULT_KIND_DMA_NO_POLICY, "no more are told");
}

/* Boot @boot, whose DMA faulted, is over: the cell started again since. */
static void fault_boot_ended(struct cell *cell, uint64_t boot)
{
	if (!no_policy_told(cell, boot))
		return;
	log_info("%s: DMA fault of boot #%lu: the cell is at boot #%lu, no policy",
		 cell->cfg->label, (unsigned long)boot,
		 (unsigned long)__atomic_load_n(&cell->boots, __ATOMIC_RELAXED));
}

/*
 * The report said "on-fault X" (fault_smmu()): what became of it is said,
 * not left to be guessed from the silence that follows.
 */
static void fault_policy_moot(struct cell *cell, uint64_t boot, enum cell_state state)
{
	if (!no_policy_told(cell, boot))
		return;
	log_info("%s: DMA fault of boot #%lu: %s", cell->cfg->label, (unsigned long)boot,
		 state == CELL_STOPPED ? "the cell is stopped, no policy"
				       : "its stop or restart is under way, no restart on top");
}

/*
 * halt-system for boot @boot's DMA: decided under the cell's lock, where a
 * boot is counted (go_running()) and the cell taken out of RUNNING, and the
 * halt claimed there (halt_claim(), which waits for nothing): from then on
 * no later boot starts (cell_start() looks under the same lock), whatever
 * this CPU meets on its way to halt_begin(). Until 2026-11-25 both were
 * looked at without the lock: a restart that counted the next boot between
 * the look and the halt had that boot halted for the last one's DMA.
 * RUNNING or not: STOPPING or LOADING at @boot, that boot's stop or restart
 * is under way (its guest reset itself as its device faulted, the shell
 * stops it), and the layout says the system must not run on after the
 * cell's fault, as a synchronous fault halts it in any state. Until
 * 2026-11-25 the halt was dropped then, and boot @boot + 1 ran after a line
 * that said "on-fault halt-system". -ESTALE: the cell is at another boot;
 * -EALREADY: stopped.
 */
static int halt_for_boot(struct cell *cell, const char *why, uint64_t boot)
{
	int err = 0;

	if (!spin_lock_unless_lost(&cell->lock)) {
		cell_lock_lost_say(cell, "its lock",
				   "a DMA fault's halt-system refused: the cell "
				   "failed");
		return -EIO;
	}
	if (cell->state == CELL_STOPPED)
		err = -EALREADY;
	else if (cell->boots != boot)
		err = -ESTALE;
	else
		(void)halt_claim(); /* false: another CPU halts, halt_begin() parks this one */
	spin_unlock(&cell->lock);
	if (!err)
		fault_apply_policy(cell, why);
	return err;
}

/*
 * Stop and restart go through the cell's own boot CPU (manage.c requests):
 * the caller may be another cell's CPU, and a restart runs libfdt. Only to
 * boot @boot, which faulted: the cell may have stopped and started again
 * since the report (its guest's SYSTEM_RESET, its watchdog, the shell), and
 * the next boot made no DMA. manage.c checks it again as it posts the
 * request, and halt_for_boot() under the cell's lock; the looks here only
 * spare them a cell plainly out of reach. A stopped cell is left stopped,
 * and a restart is for a running cell: one burst of faults applies the
 * policy once, and a restart under way is the restart asked for. But a stop
 * and a halt also reach a cell STOPPING or LOADING, boot @boot's stop or
 * restart under way: a restart (its guest reset itself) ends stopped
 * instead of starting the next boot (manage.c queues the stop), or the
 * system halts before that boot, as the layout asks of a fault. Until
 * 2026-11-25 both were dropped here (the stop unless the restart began just
 * after this look), and the next boot ran.
 */
void fault_policy_async(struct cell *cell, const char *why, uint64_t boot)
{
	enum layout_on_fault policy = cell->cfg->on_fault;
	enum cell_state state = __atomic_load_n(&cell->state, __ATOMIC_ACQUIRE);
	int err;

	if (state == CELL_STOPPED || (state != CELL_RUNNING && policy == LAYOUT_ON_FAULT_RESTART)) {
		fault_policy_moot(cell, boot, state);
		return;
	}
	if (__atomic_load_n(&cell->boots, __ATOMIC_RELAXED) != boot)
		err = -ESTALE;
	else if (policy == LAYOUT_ON_FAULT_HALT_SYSTEM)
		err = halt_for_boot(cell, why, boot);
	else if (policy == LAYOUT_ON_FAULT_RESTART)
		err = manage_restart_async(cell, why, boot);
	else
		err = manage_stop_async(cell, why, boot);
	if (err == -ESTALE)
		fault_boot_ended(cell, boot);
}

void fault_watchdog(struct cell *cell, uint64_t late_ms)
{
	fault_record(cell, LOG_ERR, count_storm_quiet(cell),
		     "%s: watchdog: no kick for %lu ms (timeout %u ms); on-fault %s",
		     cell->cfg->label, (unsigned long)late_ms, cell->cfg->watchdog_ms,
		     layout_on_fault_name(cell->cfg->on_fault));
	fault_apply_policy(cell, "watchdog");
}

void fault_unhandled(struct vcpu *vcpu, const char *what, uint64_t pc)
{
	struct cell *cell = vcpu->cell;

	fault_record(cell, LOG_ERR, count_storm_quiet(cell),
		     "%s: vcpu%u: cannot emulate %s at PC 0x%lx; on-fault %s", cell->cfg->label,
		     vcpu->index, what, (unsigned long)pc,
		     layout_on_fault_name(cell->cfg->on_fault));
	fault_apply_policy(cell, "fault");
	/* cell_stop/cell_restart do not return to a vCPU of the cell they act on. */
	arch_cpu_park();
}
