// SPDX-License-Identifier: GPL-2.0-only
#include "arch/cpu.h"
#include "cell.h"
#include "fault.h"
#include "log.h"

/* Past this many reports of a kind a cell's faults are only counted. */
#define FAULT_LOG_LIMIT 8

static bool fault_should_log(struct cell *cell)
{
	uint64_t n = __atomic_add_fetch(&cell->faults, 1, __ATOMIC_RELAXED);

	if (n == FAULT_LOG_LIMIT + 1)
		log_warn("%s: more than %u faults; counting without logging", cell->cfg->label,
			 FAULT_LOG_LIMIT);
	return n <= FAULT_LOG_LIMIT;
}

void fault_stage2(struct vcpu *vcpu, const char *access, uint64_t ipa, uint64_t va, uint64_t pc,
		  const char *syndrome)
{
	struct cell *cell = vcpu->cell;

	if (!fault_should_log(cell))
		return;
	log_warn("%s: vcpu%u: %s of IPA 0x%lx (VA 0x%lx) at PC 0x%lx: not the cell's memory or "
		 "device (%s); abort injected",
		 cell->cfg->label, vcpu->index, access, (unsigned long)ipa, (unsigned long)va,
		 (unsigned long)pc, syndrome);
}

void fault_smc(struct vcpu *vcpu, uint64_t fid, uint64_t pc)
{
	struct cell *cell = vcpu->cell;

	if (!fault_should_log(cell))
		return;
	log_warn("%s: vcpu%u: SMC 0x%lx at PC 0x%lx refused (firmware calls go through hvc)",
		 cell->cfg->label, vcpu->index, (unsigned long)fid, (unsigned long)pc);
}

void fault_unhandled(struct vcpu *vcpu, const char *what, uint64_t pc)
{
	struct cell *cell = vcpu->cell;

	__atomic_add_fetch(&cell->faults, 1, __ATOMIC_RELAXED);
	log_err("%s: vcpu%u: cannot emulate %s at PC 0x%lx; on-fault %s", cell->cfg->label,
		vcpu->index, what, (unsigned long)pc, layout_on_fault_name(cell->cfg->on_fault));
	switch (cell->cfg->on_fault) {
	case LAYOUT_ON_FAULT_RESTART:
		cell_restart(cell, "fault");
		break;
	case LAYOUT_ON_FAULT_HALT_SYSTEM:
		log_err("%s: halting the system, as its layout asks", cell->cfg->label);
		arch_system_halt();
		break;
	case LAYOUT_ON_FAULT_STOP:
	default:
		cell_stop(cell, "fault");
		break;
	}
	/* cell_stop/cell_restart do not return to a vCPU of the cell they act on. */
	arch_cpu_park();
}
