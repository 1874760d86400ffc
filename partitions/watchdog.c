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
#include "hyp_timer.h"
#include "manage.h"

#define WDT_CHECKS_PER_TIMEOUT 50

/*
 * A check every fiftieth of the timeout, at least every tick. The timeout in
 * whole ticks, rounded up (arch_ms_to_ticks()): at 32 768 Hz freq / 1000 * ms
 * fired 2.3 % early.
 */
static uint64_t check_period(const struct cell *cell)
{
	uint64_t period = arch_ms_to_ticks(cell->cfg->watchdog_ms) / WDT_CHECKS_PER_TIMEOUT;

	return period ? period : 1;
}

void watchdog_kick(struct cell *cell)
{
	if (cell->cfg->watchdog_ms)
		__atomic_store_n(&cell->wdt_last_kick, arch_counter_read(), __ATOMIC_RELEASE);
}

/*
 * On the cell's boot CPU, when it first enters its run loop: the periodic
 * check, which then re-arms itself. Once: the loop is entered again each
 * time vCPU 0 is turned off, and a guest cycling it through CPU_OFF and
 * CPU_ON would otherwise push the check back for ever.
 */
void watchdog_cpu_init(struct vcpu *vcpu)
{
	struct cell *cell = vcpu->cell;

	if (vcpu->index != 0 || !cell->cfg->watchdog_ms || cell->wdt_armed)
		return;
	cell->wdt_armed = true;
	hyp_timer_arm(HYP_TIMER_WATCHDOG, check_period(cell));
}

/*
 * How long past the last kick the running cell is, if past its timeout; else
 * 0. The state first: cell_start() kicks before it says RUNNING, so a new
 * boot is never judged by the kicks of the boot before it.
 */
static uint64_t overdue(struct cell *cell)
{
	uint64_t last, since;

	if (__atomic_load_n(&cell->state, __ATOMIC_ACQUIRE) != CELL_RUNNING)
		return 0;
	last = __atomic_load_n(&cell->wdt_last_kick, __ATOMIC_ACQUIRE);
	since = arch_counter_read() - last;
	/* Signed: a kick another CPU stamped a tick after this CPU's read is not overdue. */
	if (!last || (int64_t)since <= (int64_t)arch_ms_to_ticks(cell->cfg->watchdog_ms))
		return 0;
	return since;
}

void watchdog_timer_irq(void)
{
	struct vcpu *vcpu = vcpu_of_pcpu(arch_cpu_index());
	struct cell *cell = vcpu ? vcpu->cell : NULL;
	uint64_t late;

	if (!cell || vcpu->index != 0 || !cell->cfg->watchdog_ms) {
		hyp_timer_stop(HYP_TIMER_WATCHDOG);
		return;
	}
	hyp_timer_arm(HYP_TIMER_WATCHDOG, check_period(cell));
	/* The kick this saw: one landing after it must not make the report "0 ms". */
	late = overdue(cell);
	if (!late)
		return;
	__atomic_store_n(&cell->wdt_last_kick, 0, __ATOMIC_RELEASE);
	fault_watchdog(cell, arch_ticks_to_ms(late));
}
