// SPDX-License-Identifier: GPL-2.0-only
/*
 * Secondary CPUs: started one at a time with the firmware's PSCI CPU_ON, each
 * reporting in before the next starts. Only a CPU that reported in, its GIC
 * set up, is online and may run a cell; cpu_state.c keeps why another is not.
 */
#include <stdint.h>
#include "arch/cpu.h"
#include "arch/smp.h"
#include "arch/vcpu.h"
#include "cpu_local.h"
#include "cpu_stack.h"
#include "gic.h"
#include "log.h"
#include "mmu.h"
#include "psci.h"
#include "compiler.h"

#define CPU_REPORT_TIMEOUT_MS 2000

extern char secondary_entry[];

/*
 * The boot CPU's physical address size, as stage 2 uses it: every cell's
 * tables are shaped for it there (arch/arm64/stage2.c), and a CPU with a
 * smaller one would program a VTCR_EL2 its walker cannot use (T0SZ and SL0
 * beyond its PARange): the cell's first fetch would fault, blamed on it.
 */
static unsigned int boot_pa_bits;
void secondary_main(unsigned int index);

static enum cpu_state cpu_state_of(unsigned int index)
{
	return __atomic_load_n(&cpu_local_of(index)->state, __ATOMIC_ACQUIRE);
}

bool arch_cpu_parked(unsigned int index)
{
	return index < MAX_CPUS && cpu_state_of(index) == CPU_PARKED;
}

/* Anything but a CPU's struct cpu_local is nobody's: not read through. */
bool arch_cpu_local_parked(uintptr_t self)
{
	uintptr_t first = (uintptr_t)&cpu_locals[0];
	uintptr_t off = self - first;

	if (self < first || off % sizeof(cpu_locals[0]) || off / sizeof(cpu_locals[0]) >= MAX_CPUS)
		return false;
	return arch_cpu_parked((unsigned int)(off / sizeof(cpu_locals[0])));
}

uint64_t arch_cpu_mpidr_of(unsigned int index)
{
	return index < MAX_CPUS ? cpu_local_of(index)->mpidr : ~0ULL;
}

/*
 * Until @index leaves CPU_OFF. Past the timeout the boot CPU gives up on it,
 * unless it reports in at that very moment: a CPU that comes up later finds
 * itself abandoned and parks (secondary_main()).
 */
static bool wait_for_report(unsigned int index)
{
	uint64_t start = arch_counter_read();
	uint64_t limit = arch_ms_to_ticks(CPU_REPORT_TIMEOUT_MS);

	while (cpu_state_of(index) == CPU_OFF) {
		if (arch_counter_read() - start > limit &&
		    cpu_state_abandon(cpu_local_of(index), CPU_DOWN_NO_REPORT)) {
			log_err("smp: cpu%u (MPIDR 0x%lx): started but did not report in within %u "
				"ms: not online, no cell can use it; if it comes up later, it "
				"parks",
				index, (unsigned long)arch_cpu_mpidr_of(index),
				CPU_REPORT_TIMEOUT_MS);
			return false;
		}
		arch_cpu_relax();
	}
	/* Not online: it parked, and said why (secondary_main(), or its exception report). */
	return cpu_state_of(index) == CPU_ONLINE;
}

/*
 * ALREADY_ON (or ON_PENDING): something other than Bulkhead started the CPU
 * and runs on it, outside every cell's stage 2 and the hypervisor's control.
 */
static void cpu_on_failed(struct cpu_local *c, int ret)
{
	bool foreign = ret == PSCI_RET_ALREADY_ON || ret == PSCI_RET_ON_PENDING;

	cpu_state_set_down(c, foreign ? CPU_DOWN_ALREADY_ON : CPU_DOWN_CPU_ON);
	if (foreign)
		log_err("smp: cpu%u (MPIDR 0x%lx): PSCI CPU_ON: %s: code Bulkhead did not start "
			"(firmware, another OS or agent) runs on this CPU, and nothing confines "
			"what it reads or writes; not online, no cell can use it",
			c->index, (unsigned long)c->mpidr, psci_ret_name(ret));
	else
		log_err("smp: cpu%u (MPIDR 0x%lx): PSCI CPU_ON failed: %s (%d): not online, no "
			"cell can use it",
			c->index, (unsigned long)c->mpidr, psci_ret_name(ret), ret);
}

static void start_cpu(unsigned int index, uint64_t mpidr, bool stack_ready)
{
	struct cpu_local *c = cpu_local_of(index);
	int ret;

	c->index = index;
	c->mpidr = mpidr;
	c->state = CPU_OFF;
	c->down = CPU_DOWN_NONE;
	if (!stack_ready) { /* cpu_stacks_prepare() said why */
		cpu_state_set_down(c, CPU_DOWN_NO_STACK);
		return;
	}
	ret = psci_fw_cpu_on(mpidr, (uintptr_t)secondary_entry, index);
	if (ret != PSCI_RET_SUCCESS)
		cpu_on_failed(c, ret);
	else
		wait_for_report(index);
}

__cold unsigned int arch_smp_start_secondaries(const struct platform *plat)
{
	uint64_t self = arch_cpu_mpidr();
	unsigned int next = 1;
	/* Before any secondary's MMU reads the tables. */
	uint32_t ready = cpu_stacks_prepare((unsigned int)plat->nr_cpus);
	int i;

	boot_pa_bits = arch_stage2_pa_bits();
	mmu_publish_for_secondaries();
	for (i = 0; i < plat->nr_cpus && next < MAX_CPUS; i++) {
		if (plat->cpus[i].mpidr == self)
			continue;
		start_cpu(next, plat->cpus[i].mpidr, ready & (1u << next));
		next++;
	}
	return cpu_state_online();
}

__cold unsigned int arch_smp_withdraw(uint32_t cpus)
{
	unsigned int i;

	for (i = 0; i < MAX_CPUS; i++)
		if ((cpus & (1u << i)) && cpu_state_withdraw(cpu_local_of(i), CPU_DOWN_SELFTEST))
			log_err("smp: cpu%u (MPIDR 0x%lx): %s: not online, no cell can use it", i,
				(unsigned long)arch_cpu_mpidr_of(i),
				cpu_state_down_text(CPU_DOWN_SELFTEST));
	return cpu_state_online();
}

/*
 * A secondary, its MMU on. It reports in only once it can take the
 * hypervisor's interrupts: the boot CPU's IPI self-test follows at once, and
 * a CPU without them would never take its cell's start (a kick).
 */
void secondary_main(unsigned int index)
{
	struct cpu_local *c = this_cpu();
	unsigned long mpidr = (unsigned long)arch_cpu_mpidr();
	unsigned int pa_bits = arch_stage2_pa_bits();
	int ret;

	if (pa_bits < boot_pa_bits) {
		cpu_state_set_down(c, CPU_DOWN_PA_RANGE);
		log_err("cpu%u (MPIDR 0x%lx): %s (%u bits, the boot CPU's %u): parked, not online; "
			"no cell can use it",
			index, mpidr, cpu_state_down_text(CPU_DOWN_PA_RANGE), pa_bits,
			boot_pa_bits);
		arch_cpu_park();
	}
	spectre_cpu_init();
	ret = gic_cpu_init();
	if (ret) {
		cpu_state_set_down(c, CPU_DOWN_GIC);
		log_err("cpu%u (MPIDR 0x%lx): %s (%d): parked, not online; no cell can use it",
			index, mpidr, cpu_state_down_text(CPU_DOWN_GIC), ret);
		arch_cpu_park();
	}
	arch_cpu_wfi_setup();
	if (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) == CPU_OFF)
		log_info("cpu%u: online at EL2 (MPIDR 0x%lx)", index, mpidr);
	if (!cpu_state_report_online(c)) {
		log_err("cpu%u (MPIDR 0x%lx): came up after the boot CPU stopped waiting for it "
			"(%u ms): parked, not online; no cell can use it",
			index, mpidr, CPU_REPORT_TIMEOUT_MS);
		arch_cpu_park();
	}
	boot_secondary(index);
}
