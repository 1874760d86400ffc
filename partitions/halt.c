// SPDX-License-Identifier: GPL-2.0-only
/*
 * on-fault = "halt-system": the board is powered off (PSCI SYSTEM_OFF). A
 * firmware may refuse: TF-A built without a platform system_off hook
 * answers NOT_SUPPORTED. Then the hypervisor stops the system itself: every
 * other CPU is kicked and parks in its kick handler or, if the kick is held
 * off (a direct-mode guest, docs/vgic.md), as its next instruction fetch
 * traps on a revoked stage 2; every cell's DMA is aborted, by the SMMU's
 * registers (smmu_halt_dma()). The board stays
 * on, nothing running. Until 2026-11-24 only the CPU that applied the
 * policy parked, whatever the firmware answered, and every other cell ran on.
 * The other CPUs stop before the halt line is told (halt_begin()), also when
 * the firmware powers off: a cell printed, and ran, while the line and the
 * report were sent at the UART's pace.
 */
#include <stdbool.h>
#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "console.h"
#include "gic.h"
#include "halt.h"
#include "log.h"
#include "smmu.h"

/*
 * Twice a stop's longest wait (cell_wait_vcpus_out()), where a CPU spends the
 * longest at EL2 with its interrupts masked. One busy longer (reloading a
 * large cell) is named, and parks as soon as it looks at its kick.
 */
#define HALT_WAIT_MS 2000

/* The CPU that halts the system, or NO_HALTER: set once, by that CPU (halt_begin()). */
#define NO_HALTER (~0u)
static unsigned int halter = NO_HALTER;
/* The CPUs halt_begin() waited for in vain. Written and read by the halter only. */
static uint32_t still_running;

/*
 * Out of the guest for good, from its kick handler, a trap or its loop: a
 * stop or restart of its cell another CPU owns meanwhile does not wait its
 * full second for this vCPU, nor defer a start for it (cell.c).
 */
static void __attribute__((noreturn)) park_out_of_guest(void)
{
	struct vcpu *v = vcpu_of_pcpu(arch_cpu_index());

	if (v)
		__atomic_store_n(&v->in_guest, false, __ATOMIC_RELEASE);
	arch_cpu_park();
}

bool halt_claimed(void)
{
	return __atomic_load_n(&halter, __ATOMIC_ACQUIRE) != NO_HALTER;
}

/* The load itself, not halt_claimed(): on every guest entry, where a call costs (icount). */
void halt_if_halting(void)
{
	if (__atomic_load_n(&halter, __ATOMIC_ACQUIRE) != NO_HALTER)
		park_out_of_guest();
}

/* The online CPUs other than this one, as a mask: those not parked yet. */
static uint32_t others_running(void)
{
	unsigned int self = arch_cpu_index(), i;
	uint32_t running = 0;

	for (i = 0; i < PLATFORM_MAX_CPUS; i++)
		if (i != self && arch_cpu_index_of_mpidr(arch_cpu_mpidr_of(i)) == (int)i)
			running |= 1u << i;
	return running;
}

/*
 * No guest instruction runs again, wherever it is: a vCPU turned off leaves
 * the guest at its next trap, and with its stage 2 revoked its next fetch is
 * one (exception_dispatch()); its CPU then finds the flag in its loop. Without
 * the cells' locks: a CPU may have parked holding one, and nothing starts a
 * vCPU again once the flag is up (cell_cpu_loop()).
 */
static void cells_out(void)
{
	unsigned int i, j;

	for (i = 0; i < cells_count(); i++) {
		struct cell *cell = cell_get(i);

		if (cell->refused)
			continue;
		for (j = 0; j < cell->nr_vcpus; j++)
			__atomic_store_n(&cell->vcpus[j].power, VCPU_OFF, __ATOMIC_RELEASE);
		arch_stage2_revoke(cell, true);
	}
}

/* Every other online CPU kicked, and waited for, up to HALT_WAIT_MS: the ones still running. */
static uint32_t stop_others(void)
{
	uint32_t running = others_running();
	uint64_t start = arch_counter_read(), limit = arch_ms_to_ticks(HALT_WAIT_MS);
	unsigned int i;

	for (i = 0; i < PLATFORM_MAX_CPUS; i++)
		if (running & (1u << i))
			gic_kick(i);
	while ((running = others_running()) && arch_counter_read() - start <= limit)
		arch_cpu_relax();
	return running;
}

bool halt_claim(void)
{
	unsigned int none = NO_HALTER, self = arch_cpu_index();

	return __atomic_compare_exchange_n(&halter, &none, self, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE) ||
	       none == self;
}

void halt_begin(void)
{
	/* Another CPU halts the system already: this one just stops. */
	if (!halt_claim())
		park_out_of_guest();
	cells_out();
	still_running = stop_others();
}

void halt_system(void)
{
	unsigned int i;
	bool dma_off;

	if (__atomic_load_n(&halter, __ATOMIC_ACQUIRE) != arch_cpu_index())
		halt_begin();
	for (i = 0; i < PLATFORM_MAX_CPUS; i++)
		if (still_running & (1u << i))
			log_err("halt: CPU %u did not stop within %u ms", i, HALT_WAIT_MS);
	console_flush(); /* after SYSTEM_OFF nobody sends what is queued */
	log_err("halt: PSCI SYSTEM_OFF answered %s: the firmware left the board on; every CPU "
		"stops instead",
		arch_system_off());
	/*
	 * Bounded, without the SMMU command queue's lock: the CPU lost holding
	 * it may be this one, and a halt used to wait for it for ever, its
	 * last line never told.
	 */
	dma_off = !smmu_halt_dma();
	log_err("halt: %s, %s; the board stays on until it is reset or powered off",
		still_running ? "the CPUs above still run" : "every CPU stopped",
		dma_off ? "every cell's DMA aborted" : "not every cell's DMA aborted (above)");
	console_flush(); /* no other CPU is left to take the transmit interrupt */
	park_out_of_guest();
}
