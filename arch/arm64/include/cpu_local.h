/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_CPU_LOCAL_H
#define BULKHEAD_ARM64_CPU_LOCAL_H

#include <stdint.h>
#include "arch/cpu.h"
#include "asm_defs.h"
#include "set_way.h"
#include "spectre.h"
#include "sysreg.h"

enum cpu_state {
	CPU_OFF,
	CPU_ONLINE,
	CPU_PARKED,
};

/* One per physical CPU; TPIDR_EL2 points at the running CPU's. */
struct cpu_local {
	unsigned int index;
	struct spectre_harden harden; /* el2_vectors_hardened reads it: CPU_LOCAL_HARDEN_* */
	int8_t guest_wa1, guest_wa2, guest_wa3; /* SMCCC_ARCH_FEATURES answers its guest gets */
	uint64_t mpidr;
	enum cpu_state state;		 /* written by its CPU, read by others: use __atomic */
	uint64_t events[CPU_EV_NR];	 /* arch_cpu_count() on its CPU; any CPU reads */
	uint64_t wfi_max_wait;		 /* ticks a trapped WFI waits at most; 0: no FEAT_WFxT */
	struct set_way_progress set_way; /* its guest's DC ISW/CSW/CISW in progress */
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

/* A plain increment, made visible whole: only the CPU itself writes its counters. */
static inline void arch_cpu_count(enum cpu_event ev)
{
	uint64_t *n = &this_cpu()->events[ev];

	__atomic_store_n(n, __atomic_load_n(n, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

#endif
