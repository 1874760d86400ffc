/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_CPU_LOCAL_H
#define BULKHEAD_ARM64_CPU_LOCAL_H

#include <stdint.h>
#include "asm_defs.h"
#include "sysreg.h"

enum cpu_state {
	CPU_OFF,
	CPU_ONLINE,
	CPU_PARKED,
};

/* One per physical CPU; TPIDR_EL2 points at the running CPU's. */
struct cpu_local {
	unsigned int index;
	uint64_t mpidr;
	enum cpu_state state; /* written by its CPU, read by others: use __atomic */
};

union cpu_local_slot {
	struct cpu_local cpu;
	uint8_t pad[CPU_LOCAL_SIZE];
};

extern union cpu_local_slot cpu_locals[MAX_CPUS];

static inline struct cpu_local *this_cpu(void)
{
	return (struct cpu_local *)read_sysreg(tpidr_el2);
}

static inline struct cpu_local *cpu_local_of(unsigned int index)
{
	return &cpu_locals[index].cpu;
}

#endif
