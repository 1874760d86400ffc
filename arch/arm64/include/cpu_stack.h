/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_CPU_STACK_H
#define BULKHEAD_ARM64_CPU_STACK_H

#include <stdbool.h>
#include <stdint.h>
#include "asm_defs.h"

/*
 * Each CPU's EL2 stack. Every trap from a guest saves the guest's general
 * registers on the stack of the CPU it runs on, so that stack is in its
 * own CPU's map only (docs/traps.md, "What EL2 maps"): a secondary CPU runs
 * on its stack in its own window from the first instruction that uses it;
 * the boot CPU boots on areas[0], which every CPU maps, and moves to its
 * private one, areas[MAX_CPUS], when it first enters a guest. Each area is
 * STACK_SIZE of stack with FAULT_STACK_SIZE of fault stack above it.
 */
struct cpu_stack_mem {
	uint8_t guard[STACK_GUARD_SIZE];
	uint8_t areas[CPU_STACKS][STACK_AREA];
};
extern struct cpu_stack_mem cpu_stack_mem;

/* The page below the boot stack, which no map holds. */
uint64_t cpu_stacks_guard(void);
/* [start, end): the private stacks, which the map every CPU shares leaves out. */
uint64_t cpu_stacks_private_start(void);
uint64_t cpu_stacks_private_end(void);

/*
 * Boot CPU, before CPU_ON: CPUs 0 to @nr_cpus - 1 each get their own root,
 * their private stack mapped there. The mask of those that did.
 */
uint32_t cpu_stacks_prepare(unsigned int nr_cpus);

/* The top of @cpu's private stack, where @cpu runs on it (its window). */
uint64_t cpu_stack_private_top(unsigned int cpu);

/* The calling CPU onto its own root; the top of its private stack. */
uint64_t cpu_stack_enter_private(void);

/* The top of the calling CPU's fault stack (0: none yet). */
uint64_t cpu_fault_sp(void);
/* In a report of a fault taken at EL2 (vectors.S: fault_entry): SP where it was taken. */
uint64_t cpu_fault_entry_sp(void);

/*
 * A fault at @far, taken by a CPU whose fault stack tops at @fault_sp: one
 * below the stack it ran on (its bottom in *@lo), which it used up?
 */
static inline bool cpu_stack_overflowed(uint64_t fault_sp, uint64_t far, uint64_t *lo)
{
	*lo = fault_sp - STACK_AREA;
	return fault_sp && far < *lo && far >= *lo - STACK_SIZE;
}

#endif
