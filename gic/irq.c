// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IRQ exception at EL2: the hypervisor's own SGIs here, the maintenance
 * interrupt and physical interrupts forwarded to cells in gic/vgic_hw.c.
 * Anything else is reported once and disabled, so that a stray
 * level-sensitive interrupt cannot keep a CPU in this handler for ever.
 */
#include <stdbool.h>
#include <stdint.h>
#include "arch/cpu.h"
#include "cell.h"
#include "console.h"
#include "cpu_local.h"
#include "gic.h"
#include "hyp_timer.h"
#include "log.h"
#include "manage.h"
#include "platform.h"
#include "smmu.h"
#include "vgic_hw.h"
#include "compiler.h"

#define SELFTEST_TIMEOUT_MS  500
#define UNOWNED_REPORTS_MAX  16 /* across all INTIDs: a storm of new ones stays readable */
#define UNOWNED_BITMAP_WORDS ((GIC_INTID_SPECIAL_FIRST + 31) / 32)

static uint32_t ping_count[PLATFORM_MAX_CPUS];
static uint32_t unowned_seen[UNOWNED_BITMAP_WORDS];
static uint32_t unowned_reports;

static void irq_unowned(uint32_t intid)
{
	uint32_t bit = 1u << (intid % 32);
	bool first = true;

	gic_irq_disable(intid);
	if (intid < GIC_INTID_SPECIAL_FIRST)
		first = !(__atomic_fetch_or(&unowned_seen[intid / 32], bit, __ATOMIC_RELAXED) &
			  bit);
	if (first &&
	    __atomic_fetch_add(&unowned_reports, 1, __ATOMIC_RELAXED) < UNOWNED_REPORTS_MAX)
		log_warn("gic: cpu%u: interrupt %u fired but nothing owns it; disabled",
			 arch_cpu_index(), intid);
}

static void irq_ping(void)
{
	unsigned int cpu = arch_cpu_index();

	if (cpu < PLATFORM_MAX_CPUS)
		__atomic_fetch_add(&ping_count[cpu], 1, __ATOMIC_RELEASE);
}

/*
 * The hypervisor's SGIs are EOIed before they are handled: a kick may leave
 * for the CPU's idle loop and never return here, and an SGI sent meanwhile is
 * edge-triggered, so it stays pending and is taken after.
 */
/* The hypervisor's own devices: the EL2 timer (watchdog, console) and the console's UART. */
static bool irq_hypervisor_device(uint32_t iar, uint32_t intid)
{
	if (intid == ARCH_HYP_TIMER_INTID) {
		gic_eoi(iar); /* the watchdog may restart this CPU's cell and not return */
		hyp_timer_irq();
		return true;
	}
	if (intid && intid == console_irq()) {
		/*
		 * EOIed first, as the timer's: nothing here leaves today (a shell
		 * command on a cell posts its request, manage.c, and returns), and
		 * a path that did would leave the UART's line active for good.
		 */
		gic_eoi(iar);
		console_tx_irq();
		if (console_uart_dead()) /* its registers fault: no input, and its line off */
			gic_irq_disable(intid);
		else
			console_mux_rx();
		return true;
	}
	if (smmu_irq(iar, intid)) /* DMA fault events: EOIed there, may restart a cell */
		return true;
	return false;
}

/*
 * Every INTID has one owner, so the order of the tests is free: the ones
 * that come on every guest interrupt (kicks, the guests' timers and SPIs)
 * go first.
 */
static void irq_dispatch(uint32_t iar, uint32_t intid)
{
	arch_cpu_count(intid == GIC_SGI_KICK ? CPU_EV_KICK : CPU_EV_IRQ);
	switch (intid) {
	case GIC_SGI_KICK:
		gic_eoi(iar);
		cell_kick_handler();
		return;
	case GIC_SGI_PING:
		gic_eoi(iar);
		irq_ping();
		return;
	default:
		/* Maintenance, timers and cells' SPIs: EOIed or priority-dropped there. */
		if (vgic_hw_irq(iar, intid) || irq_hypervisor_device(iar, intid))
			return;
		irq_unowned(intid);
		gic_eoi(iar);
		return;
	}
}

/*
 * One interrupt per exception: a second one pending is taken as soon as the
 * CPU returns (to its guest or out of its IRQ window), which is rare; a
 * second acknowledge on every exception to find out is not.
 */
void irq_handle(void)
{
	uint32_t intid, iar = gic_ack(&intid);

	if (intid < GIC_INTID_SPECIAL_FIRST || intid > GIC_INTID_SPURIOUS)
		irq_dispatch(iar, intid);
}

/* Logical CPU @i is online: the arch layer knows it by its MPIDR. */
__cold static bool selftest_cpu_online(unsigned int i)
{
	return arch_cpu_index_of_mpidr(arch_cpu_mpidr_of(i)) == (int)i;
}

__cold static unsigned int selftest_send(uint32_t *before, bool *tested)
{
	unsigned int i, n = 0;

	for (i = 0; i < PLATFORM_MAX_CPUS; i++) {
		tested[i] = selftest_cpu_online(i);
		if (!tested[i])
			continue;
		before[i] = __atomic_load_n(&ping_count[i], __ATOMIC_ACQUIRE);
		gic_send_sgi(arch_cpu_mpidr_of(i), GIC_SGI_PING);
		n++;
	}
	return n;
}

/* The CPUs tested that have not counted their ping yet, a bit each. */
__cold static uint32_t selftest_silent(const uint32_t *before, const bool *tested)
{
	uint32_t silent = 0;
	unsigned int i;

	for (i = 0; i < PLATFORM_MAX_CPUS; i++)
		if (tested[i] && __atomic_load_n(&ping_count[i], __ATOMIC_ACQUIRE) == before[i])
			silent |= 1u << i;
	return silent;
}

__cold static void selftest_report(uint32_t silent, unsigned int sent)
{
	unsigned int i, answered = sent;

	if (!silent) {
		log_info("gic: IPI self-test: %u of %u CPUs answered", answered, sent);
		return;
	}
	for (i = 0; i < PLATFORM_MAX_CPUS; i++)
		if (silent & (1u << i)) {
			answered--;
			log_err("gic: IPI self-test: cpu%u (MPIDR 0x%lx) did not take SGI %u "
				"within %u ms",
				i, (unsigned long)arch_cpu_mpidr_of(i), GIC_SGI_PING,
				SELFTEST_TIMEOUT_MS);
		}
	log_err("gic: IPI self-test: %u of %u CPUs answered", answered, sent);
}

__cold uint32_t gic_selftest_ping(void)
{
	uint32_t before[PLATFORM_MAX_CPUS] = { 0 }, silent;
	bool tested[PLATFORM_MAX_CPUS];
	uint64_t start, limit = arch_ms_to_ticks(SELFTEST_TIMEOUT_MS);
	unsigned int sent = selftest_send(before, tested);

	start = arch_counter_read();
	while ((silent = selftest_silent(before, tested)) && arch_counter_read() - start < limit) {
		/* This CPU's own ping is taken here: IRQs are masked everywhere else at EL2. */
		arch_irq_window();
		arch_cpu_relax();
	}
	silent = selftest_silent(before, tested);
	selftest_report(silent, sent);
	return silent;
}
