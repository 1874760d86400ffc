// SPDX-License-Identifier: GPL-2.0-only
#include <stdint.h>
#include "arch/cpu.h"
#include "arch/smp.h"
#include "cpu_local.h"
#include "cpu_stack.h"
#include "gic.h"
#include "log.h"
#include "mmu.h"
#include "psci.h"
#include "compiler.h"

#define CPU_REPORT_TIMEOUT_MS 2000

extern char secondary_entry[];
void secondary_main(unsigned int index);

static enum cpu_state cpu_state_of(unsigned int index)
{
	return __atomic_load_n(&cpu_local_of(index)->state, __ATOMIC_ACQUIRE);
}

int arch_cpu_index_of_mpidr(uint64_t mpidr)
{
	unsigned int i;

	for (i = 0; i < MAX_CPUS; i++) {
		if (cpu_state_of(i) != CPU_OFF && cpu_local_of(i)->mpidr == mpidr)
			return (int)i;
	}
	return -1;
}

uint64_t arch_cpu_mpidr_of(unsigned int index)
{
	return index < MAX_CPUS ? cpu_local_of(index)->mpidr : ~0ULL;
}

bool arch_cpu_parked(unsigned int index)
{
	return index < MAX_CPUS && cpu_state_of(index) == CPU_PARKED;
}

static bool wait_for_report(unsigned int index)
{
	uint64_t start = arch_counter_read();
	uint64_t limit = arch_counter_freq() / 1000 * CPU_REPORT_TIMEOUT_MS;

	while (cpu_state_of(index) == CPU_OFF) {
		if (arch_counter_read() - start > limit)
			return false;
		arch_cpu_relax();
	}
	return true;
}

static bool start_cpu(unsigned int index, uint64_t mpidr)
{
	struct cpu_local *c = cpu_local_of(index);
	int ret;

	c->index = index;
	c->mpidr = mpidr;
	c->state = CPU_OFF;
	ret = psci_fw_cpu_on(mpidr, (uintptr_t)secondary_entry, index);
	if (ret != PSCI_RET_SUCCESS) {
		log_err("smp: cpu%u (MPIDR 0x%lx): PSCI CPU_ON failed: %s (%d)", index,
			(unsigned long)mpidr, psci_ret_name(ret), ret);
		return false;
	}
	if (!wait_for_report(index)) {
		log_err("smp: cpu%u (MPIDR 0x%lx): started but did not report in within %u ms",
			index, (unsigned long)mpidr, CPU_REPORT_TIMEOUT_MS);
		return false;
	}
	return true;
}

__cold unsigned int arch_smp_start_secondaries(const struct platform *plat)
{
	uint64_t self = arch_cpu_mpidr();
	unsigned int online = 1, next = 1;
	/* Before any secondary's MMU reads the tables. */
	uint32_t ready = cpu_stacks_prepare((unsigned int)plat->nr_cpus);
	int i;

	mmu_publish_for_secondaries();
	for (i = 0; i < plat->nr_cpus; i++) {
		if (plat->cpus[i].mpidr == self)
			continue;
		if ((ready & (1u << next)) && start_cpu(next, plat->cpus[i].mpidr))
			online++;
		next++;
	}
	return online;
}

void secondary_main(unsigned int index)
{
	struct cpu_local *c = this_cpu();

	log_info("cpu%u: online at EL2 (MPIDR 0x%lx)", index, (unsigned long)arch_cpu_mpidr());
	spectre_cpu_init();
	/* Before reporting online: the boot CPU's IPI self-test follows at once. */
	gic_cpu_init();
	arch_cpu_wfi_setup();
	__atomic_store_n(&c->state, CPU_ONLINE, __ATOMIC_RELEASE);
	boot_secondary(index);
}
