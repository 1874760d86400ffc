// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "arch/cpu.h"
#include "arch/el2_map.h"
#include "cpu_local.h"
#include "cpu_stack.h"
#include "log.h"
#include "mmu.h"
#include "panic.h"
#include "pgtable.h"

_Static_assert(offsetof(struct cpu_local, fault_sp) == CPU_LOCAL_FAULT_SP,
	       "asm_defs.h CPU_LOCAL_FAULT_SP");
_Static_assert(STACK_SIZE % 4096 == 0 && FAULT_STACK_SIZE % 4096 == 0,
	       "a stack and its fault stack are each whole pages");

/*
 * Page-aligned: a page that holds a private stack holds nothing else. In a
 * CPU's own window only its area is mapped: below its stack nothing is, so
 * a stack used up faults there, and the fault is reported from above. The
 * boot stack (areas[0]) is in the map every CPU shares; below it the guard,
 * which no map holds, does the same for it.
 */
struct cpu_stack_mem cpu_stack_mem __attribute__((aligned(4096)));

/* The CPUs whose private stack cpu_stacks_prepare() mapped. */
static uint32_t prepared;

static uint8_t *private_stack(unsigned int cpu)
{
	return cpu_stack_mem.areas[cpu ? cpu : MAX_CPUS];
}

uint64_t cpu_stacks_guard(void)
{
	return (uintptr_t)cpu_stack_mem.guard;
}

uint64_t cpu_stacks_private_start(void)
{
	return (uintptr_t)cpu_stack_mem.areas[1];
}

uint64_t cpu_stacks_private_end(void)
{
	return (uintptr_t)cpu_stack_mem.areas[CPU_STACKS];
}

uint32_t cpu_stacks_prepare(unsigned int nr_cpus)
{
	unsigned int cpu;
	int ret;

	for (cpu = 0; cpu < nr_cpus && cpu < MAX_CPUS; cpu++) {
		ret = mmu_cpu_root_prepare(cpu, (uintptr_t)private_stack(cpu), STACK_AREA);
		if (ret)
			log_err("smp: cpu%u: cannot map its stack in its own root: %s", cpu,
				arch_el2_map_error(ret));
		else
			prepared |= 1u << cpu;
	}
	return prepared;
}

uint64_t cpu_stack_private_top(unsigned int cpu)
{
	return (uint64_t)(uintptr_t)arch_ram_window_ptr((uintptr_t)private_stack(cpu)) + STACK_SIZE;
}

uint64_t cpu_stack_enter_private(void)
{
	unsigned int cpu = arch_cpu_index();
	uint64_t top;

	if (cpu >= MAX_CPUS || !(prepared & (1u << cpu)))
		panic("cpu%u: no private stack to run a guest from", cpu);
	mmu_use_own_root(cpu);
	top = cpu_stack_private_top(cpu);
	__atomic_store_n(&this_cpu()->fault_sp, top + FAULT_STACK_SIZE, __ATOMIC_RELAXED);
	return top;
}

uint64_t cpu_fault_sp(void)
{
	return __atomic_load_n(&this_cpu()->fault_sp, __ATOMIC_RELAXED);
}

uint64_t cpu_fault_entry_sp(void)
{
	return read_sysreg(tpidrro_el0);
}

/* Every page of @cpu's private stack in @cpu's map and no other? Adds to *checked. */
static bool stack_private(unsigned int cpu, unsigned int *checked)
{
	uint64_t pa = (uintptr_t)private_stack(cpu), off;
	uint32_t mappers;

	for (off = 0; off < STACK_AREA; off += PT_PAGE_SIZE) {
		(*checked)++;
		mappers = arch_el2_mappers(pa + off);
		if (mappers != 1u << cpu)
			return log_err_ret(
				false,
				"memory: cpu%u's stack at 0x%lx is in the EL2 map of CPUs 0x%x, "
				"not its own only",
				cpu, (unsigned long)(pa + off), mappers);
	}
	return true;
}

int arch_cpu_stacks_check(unsigned int *cpus)
{
	unsigned int cpu, checked = 0;

	*cpus = 0;
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!(prepared & (1u << cpu)))
			continue;
		if (!stack_private(cpu, &checked))
			return -EFAULT;
		(*cpus)++;
	}
	return (int)checked;
}
