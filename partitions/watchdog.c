// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cell watchdogs. A cell with watchdog-timeout-ms kicks through the
 * BULKHEAD_HC_WDT_KICK hypercall; the EL2 physical timer of its boot vCPU's
 * CPU checks the deadline every WDT_CHECKS_PER_TIMEOUT-th of the timeout, so
 * an expiry is seen within timeout + 2 % (plus interrupt latency). The timer interrupt targets EL2,
 * so a guest spinning with its interrupts masked cannot hold it off.
 */
#include <stddef.h>
#include "arch/cpu.h"
#include "cell.h"
#include "fault.h"
#include "gic.h"
#include "manage.h"

#define WDT_CHECKS_PER_TIMEOUT 50

static uint64_t timeout_ticks(const struct cell *cell)
{
	return arch_counter_freq() / 1000 * cell->cfg->watchdog_ms;
}

void watchdog_kick(struct cell *cell)
{
	if (cell->cfg->watchdog_ms)
		__atomic_store_n(&cell->wdt_last_kick, arch_counter_read(), __ATOMIC_RELEASE);
}

/* Arm the deadline as if just kicked; a start counts as a kick. */
void watchdog_start(struct cell *cell)
{
	watchdog_kick(cell);
}

/* On the cell's boot CPU, when it enters its run loop: the periodic check. */
void watchdog_cpu_init(struct vcpu *vcpu)
{
	struct cell *cell = vcpu->cell;

	if (vcpu->index != 0 || !cell->cfg->watchdog_ms)
		return;
	gic_irq_enable(ARCH_HYP_TIMER_INTID);
	arch_hyp_timer_arm(timeout_ticks(cell) / WDT_CHECKS_PER_TIMEOUT);
}

/* How long past the last kick the running cell is, if past its timeout; else 0. */
static uint64_t overdue(struct cell *cell)
{
	uint64_t last = __atomic_load_n(&cell->wdt_last_kick, __ATOMIC_ACQUIRE);
	uint64_t since = arch_counter_read() - last;

	if (!last || __atomic_load_n(&cell->state, __ATOMIC_ACQUIRE) != CELL_RUNNING ||
	    since <= timeout_ticks(cell))
		return 0;
	return since;
}

void watchdog_timer_irq(void)
{
	struct vcpu *vcpu = vcpu_of_pcpu(arch_cpu_index());
	struct cell *cell = vcpu ? vcpu->cell : NULL;
	uint64_t late;

	if (!cell || vcpu->index != 0 || !cell->cfg->watchdog_ms) {
		arch_hyp_timer_stop();
		return;
	}
	arch_hyp_timer_arm(timeout_ticks(cell) / WDT_CHECKS_PER_TIMEOUT);
	/* The kick this saw: one landing after it must not make the report "0 ms". */
	late = overdue(cell);
	if (!late)
		return;
	__atomic_store_n(&cell->wdt_last_kick, 0, __ATOMIC_RELEASE);
	fault_watchdog(cell, late / (arch_counter_freq() / 1000));
}
