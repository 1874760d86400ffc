// SPDX-License-Identifier: GPL-2.0-only
/*
 * A physical CPU's loop (cell_cpu_loop()): it runs its one vCPU whenever the
 * vCPU is turned on, waits for a kick otherwise, and leaves the guest when a
 * kick finds its vCPU turned off (cell_kick_handler()). The transitions that
 * turn vCPUs on and off are partitions/cell.c's; a restart's scrub and load
 * its CPU left to its loop (cell_take_reload_left()), a cell's first start
 * the boot leaves to its boot vCPU's CPU (cell_first_start()), or a
 * restart's to the CPU that reloaded it, are taken here (take_start_left()).
 */
#include <stdio.h>
#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "halt.h"
#include "log.h"
#include "manage.h"
#include "pci.h"
#include "shm.h"
#include "test_fault.h"
#include "vgic_hw.h"
#include "compiler.h"

void cell_kick_handler(void)
{
	struct vcpu *v = vcpu_of_pcpu(arch_cpu_index());

	halt_if_halting(); /* on-fault "halt-system" with a firmware that left the board on */
	if (v && v->index == 0 && __atomic_load_n(&v->cell->request, __ATOMIC_ACQUIRE))
		manage_run_request(v->cell);
	if (v)
		shm_doorbells_take(v); /* other cells rang: kicked, since 2026-11-25 */

	/* Only a vCPU that was turned off leaves; a spurious kick just returns to the guest. */
	if (v && __atomic_load_n(&v->in_guest, __ATOMIC_ACQUIRE) &&
	    __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) == VCPU_OFF)
		arch_vcpu_exit_to_loop();
}

/*
 * A cell with a PCI function still in the first boot's reset waits for it
 * as it starts, up to 100 ms. On the boot CPU, which starts the cells one
 * after another and lets the other CPUs go only then, that wait held every
 * other cell's first instruction behind it. So its boot vCPU's CPU starts
 * it, once the boot is done, beside the other cells, and waits in its loop
 * with its interrupts taken (take_start_left()): a fault in that wait
 * is the cell's (a lost CPU), as in a restart's reset, not the boot's. That
 * CPU owns the start from here (cell_lost.c); the cell stays LOADING until
 * then, and a stop asked for meanwhile is queued, as for any start.
 */
void cell_first_start(struct cell *cell)
{
	unsigned int pcpu = cell->vcpus[0].pcpu;

	if (!pci_reset_left(cell)) {
		cell_start(cell);
		return;
	}
	spin_lock(&cell->lock);
	cell->owner = pcpu;
	cell->start_left = true;
	spin_unlock(&cell->lock);
	log_info("cell %s: starts after the boot, on CPU %u, once its PCI functions are out of "
		 "their reset",
		 cell->cfg->label, pcpu);
}

/* The start left to @v's CPU, in its loop: the cell's owner, which left it or was given it. */
static bool start_left_to(const struct vcpu *v)
{
	return __atomic_load_n(&v->cell->start_left, __ATOMIC_ACQUIRE) &&
	       __atomic_load_n(&v->cell->owner, __ATOMIC_RELAXED) == v->pcpu;
}

/*
 * The owner's CPU, in its loop: the start cell_first_start() left to vCPU
 * 0's, or a reload to the CPU of the cell that carried it (cell_reload.c,
 * start_left()): vCPU 0's for a request, the vCPU's that reset the cell, the
 * last one out for a deferred start. A reload's resets, or the first
 * boot's, are waited for here with this CPU's interrupts taken, as in its
 * idle wait: a kick, the console's, the SMMU's (every cell's, on the boot
 * CPU). None leaves for the loop or starts this cell from there: its vCPU
 * is out of the guest, and the cell is LOADING, this CPU its owner (a stop
 * asked for meanwhile is queued for cell_start(), a CPU the cell lost
 * leaves the start to this one). A handler that returns here finds the
 * start still left, and waits on. Until
 * 2026-11-25 only vCPU 0's CPU looked, and a reload on another CPU waited
 * for the resets where it was, its interrupts masked; and the first boot's
 * were waited for in cell_start() (pci_reset_end()), masked too.
 */
static void take_start_left(struct vcpu *v)
{
	if (!start_left_to(v))
		return;
	while (pci_reset_step(v->cell)) {
		arch_irq_window();
		arch_cpu_relax();
	}
	if (!__atomic_exchange_n(&v->cell->start_left, false, __ATOMIC_ACQ_REL))
		return;
#ifdef BULKHEAD_TEST_FAULT
	test_fault_at(TEST_FAULT_FIRST_START_CPU1, 1, "its cell's first start, after the boot");
#endif
	cell_start(v->cell);
}

/*
 * Boot time as a user counts it: from reset (the system counter starts at 0
 * then on QEMU, at power-on on boards) to the guest's first instruction,
 * less the time this line takes to print; for a later boot also from the
 * start of its reload (DMA stopped, memory scrubbed, image and DT loaded):
 * what a restart after a fault costs the cell. Once a boot: the guest may
 * turn vCPU 0 off and on again (PSCI CPU_OFF, CPU_ON) as often as it likes.
 */
__cold static void log_guest_entry(struct cell *cell)
{
	uint64_t now = arch_counter_read(), us, reload_us;
	bool timed = arch_counter_freq() != 0; /* 0: firmware left CNTFRQ_EL0 unset */
	char reload[64];

	if (cell->entry_told == cell->boots)
		return;
	cell->entry_told = cell->boots;
	if (cell_boot_quiet(cell, cell->boots))
		return;
	reload[0] = '\0'; /* here, not at its definition: most calls return above */
	us = timed ? arch_ticks_to_us(now) : 0;
	if (cell->reload_began && timed) {
		reload_us = arch_ticks_to_us(now - cell->reload_began);
		snprintf(reload, sizeof(reload), ", %lu.%03lu ms after its reload began",
			 (unsigned long)(reload_us / 1000), (unsigned long)(reload_us % 1000));
	}
	log_info("cell %s: boot #%lu enters the guest %lu.%03lu ms after reset%s", cell->cfg->label,
		 (unsigned long)cell->boots, (unsigned long)(us / 1000), (unsigned long)(us % 1000),
		 reload);
}

/*
 * ON_PENDING becomes ON, and the vCPU counts as in the guest, under the
 * cell's lock: a stop (cell_stop_vcpus()) that turns it off either comes first,
 * and the vCPU stays out, or after, and then finds it in the guest, kicks it
 * and waits for it to leave. Outside the lock a stop's OFF could land
 * between the load and the store and be overwritten.
 */
static bool take_power_on(struct vcpu *v)
{
	bool on = false;

	/* Most wakes (a console IRQ, a kick for another reason) find nothing pending: no lock. */
	if (__atomic_load_n(&v->power, __ATOMIC_ACQUIRE) != VCPU_ON_PENDING)
		return false;
	spin_lock(&v->cell->lock);
	if (v->power == VCPU_ON_PENDING) {
		__atomic_store_n(&v->power, VCPU_ON, __ATOMIC_RELEASE);
		__atomic_store_n(&v->in_guest, true, __ATOMIC_RELEASE);
		on = true;
	}
	spin_unlock(&v->cell->lock);
	return on;
}

/*
 * A direct cell's CPU that cannot take the hypervisor's Group 0
 * (vgic_hw_cpu_init()) would take no kick, so it never enters its vCPU. The
 * cell cannot run without it (one vCPU per CPU; vCPU 0's carries every
 * request and a first start the boot left to it): it is lost to the cell as
 * after a fault at EL2, the cell stopped and failed from here, or the system
 * halted under on-fault "halt-system" (cell_lost.c). Until 2026-11-25 it just
 * parked: the cell stayed RUNNING with a vCPU that never entered, and a stop
 * STOPPING for ever, its request left for vCPU 0's CPU; or, its first start
 * left to that CPU, LOADING for ever, a stop queued and every start busy.
 */
static __cold __attribute__((noreturn)) void cpu_cannot_run(struct vcpu *v)
{
	if (start_left_to(v)) /* not taken: the cell is stopped here instead */
		__atomic_store_n(&v->cell->start_left, false, __ATOMIC_RELEASE);
	if (__atomic_load_n(&v->cell->owner, __ATOMIC_RELAXED) == v->pcpu) /* nor its reload */
		__atomic_store_n(&v->cell->reload_left, false, __ATOMIC_RELEASE);
	cell_cpu_lost();
	arch_cpu_park();
}

void cell_cpu_loop(unsigned int pcpu)
{
	struct vcpu *v = vcpu_of_pcpu(pcpu);

	/*
	 * A CPU no cell owns parks, but the boot CPU keeps its IRQs open: it
	 * takes the console UART's receive interrupt (console_mux_rx()). WFI,
	 * not WFE: no event concerns it, and a CPU in WFI is halted (QEMU runs
	 * WFE as a spin, which -icount would count as virtual time).
	 */
	while (!v && pcpu == 0)
		arch_cpu_wait_irq();
	if (!v)
		arch_cpu_park();
	/* A vCPU the halt turned off comes back here: no deferred start, no entry (halt.c). */
	halt_if_halting();
	__atomic_store_n(&v->in_guest, false, __ATOMIC_RELEASE);
	/* Before any lock of the cell: a lost CPU that failed it may hold them. */
	cell_failed_dma_stop(v);
	if (vgic_hw_cpu_init(v))
		cpu_cannot_run(v);
	watchdog_cpu_init(v);
	cell_start_deferred(v);
	cell_take_reload_left(v); /* may leave the start to take_start_left() */
	take_start_left(v);
	for (;;) {
		halt_if_halting();
		cell_failed_dma_stop(v); /* kicked out of its idle wait by the loss */
		if (take_power_on(v)) {
			if (v->index == 0)
				log_guest_entry(v->cell);
			arch_vcpu_enter(v);
		}
		/* A kick (SGI) wakes it: CPU_ON, a (re)start, a stop request. */
		arch_cpu_wait_irq();
	}
}
