// SPDX-License-Identifier: GPL-2.0-only
#include <stdbool.h>
#include "arch/cpu.h"
#include "cpu_local.h"
#include "platform.h"
#include "sysreg.h"

_Static_assert(MAX_CPUS == PLATFORM_MAX_CPUS, "asm_defs.h MAX_CPUS != PLATFORM_MAX_CPUS");
_Static_assert(sizeof(struct cpu_local) <= CPU_LOCAL_SIZE, "struct cpu_local too large");

union cpu_local_slot cpu_locals[MAX_CPUS] __attribute__((aligned(64)));
uint8_t cpu_stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));

static uint64_t counter_freq;

unsigned int arch_cpu_index(void)
{
	return this_cpu()->index;
}

uint64_t arch_cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFFINITY_MASK;
}

void arch_cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

void arch_cpu_park(void)
{
	__atomic_store_n(&this_cpu()->state, CPU_PARKED, __ATOMIC_RELEASE);
	__asm__ volatile("msr daifset, #0xf" : : : "memory");
	for (;;)
		wfi();
}

void arch_counter_set_freq(uint64_t hz);
void arch_counter_set_freq(uint64_t hz)
{
	counter_freq = hz;
}

uint64_t arch_counter_read(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
	return counter_freq ? counter_freq : read_sysreg(cntfrq_el0);
}

void arch_udelay(uint64_t usec)
{
	uint64_t start = arch_counter_read();
	uint64_t ticks = usec * arch_counter_freq() / 1000000;

	while (arch_counter_read() - start < ticks)
		arch_cpu_relax();
}

bool arch_mmu_enabled(void)
{
	return (read_sysreg(sctlr_el2) & SCTLR_EL2_M) != 0;
}
