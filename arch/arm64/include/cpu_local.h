/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_CPU_LOCAL_H
#define BULKHEAD_ARM64_CPU_LOCAL_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/cpu.h"
#include "asm_defs.h"
#include "guest_abort.h"
#include "set_way.h"
#include "spectre.h"
#include "sysreg.h"

struct cell;

/*
 * At bring-up (arch/arm64/cpu_state.c) the boot CPU and each secondary move
 * a CPU out of CPU_OFF with a compare-and-swap each, so that exactly one of
 * them decides: the secondary to CPU_ONLINE, or the boot CPU, having waited
 * long enough, to CPU_ABANDONED. Only CPU_ONLINE CPUs run cells.
 */
enum cpu_state {
	CPU_OFF,       /* not started, or started and not reported in yet */
	CPU_ONLINE,    /* reported in; the only state a cell's CPU may be in at binding */
	CPU_PARKED,    /* stopped for good (arch_cpu_park()) */
	CPU_ABANDONED, /* the boot CPU gave up on it: if it runs, it parks */
};

/* Why a CPU the board lists is not online; texts in cpu_state.c. */
enum cpu_down {
	CPU_DOWN_NONE,
	CPU_DOWN_NO_STACK,   /* its EL2 stack could not be mapped: not started */
	CPU_DOWN_CPU_ON,     /* PSCI CPU_ON failed */
	CPU_DOWN_ALREADY_ON, /* CPU_ON: ALREADY_ON or ON_PENDING: someone else started it */
	CPU_DOWN_NO_REPORT,  /* started, did not report in in time */
	CPU_DOWN_GIC,	     /* its redistributor / GIC CPU interface could not be set up */
	CPU_DOWN_SELFTEST,   /* online, but did not take the boot CPU's IPI self-test SGI */
	CPU_DOWN_PA_RANGE,   /* a smaller PARange than the boot CPU's, whose stage 2 shape cells use
			      */
};

/* One per physical CPU; TPIDR_EL2 points at the running CPU's. */
struct cpu_local {
	unsigned int index;
	struct spectre_harden harden; /* el2_vectors_hardened reads it: CPU_LOCAL_HARDEN_* */
	int8_t guest_wa1, guest_wa2, guest_wa3; /* SMCCC_ARCH_FEATURES answers its guest gets */
	/* The hypervisor's interrupts are Group 0 here, for good (a direct cell's CPU: gicv3.c). */
	bool gic_group0;
	uint64_t mpidr;
	enum cpu_state state;		 /* written by its CPU, read by others: use __atomic */
	enum cpu_down down;		 /* why it is not online, once known; __atomic */
	uint64_t events[CPU_EV_NR];	 /* arch_cpu_count() on its CPU; any CPU reads */
	uint64_t wfi_max_wait;		 /* ticks a trapped WFI waits at most; 0: no FEAT_WFxT */
	struct set_way_progress set_way; /* its guest's DC ISW/CSW/CISW in progress */
	/*
	 * The top of its fault stack, above the stack it runs on now (0: none
	 * yet, early boot): vectors.S puts a synchronous exception at EL2 there.
	 * Last: the fields before it are on the trap path, at offsets kept short.
	 */
	uint64_t fault_sp;
	/* arch_vcpu_enter() is taking an SError pending from before the boot it enters. */
	bool serror_window;
	/* arch_serror_take_for() is taking one this CPU's accesses for that cell raised. */
	struct cell *serror_cell;
	bool guest_os_lock; /* its guest's OS lock (OSLAR_EL1): not the CPU's (vcpu.c) */
	struct tlb_conflict_streak tlb_conflict; /* its guest's TLB conflict aborts in a row */
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

/*
 * Bring-up hand-over (cpu_state.c). A secondary reports in: false if the
 * boot CPU gave up on it first (it must park). The boot CPU gives up on a
 * CPU that has not reported in: false if it did meanwhile (it is online).
 * A CPU online that failed a later check is withdrawn: no cell can use it.
 */
bool cpu_state_report_online(struct cpu_local *c);
bool cpu_state_abandon(struct cpu_local *c, enum cpu_down why);
bool cpu_state_withdraw(struct cpu_local *c, enum cpu_down why);
void cpu_state_set_down(struct cpu_local *c, enum cpu_down why);
/* CPUs online now, the boot CPU included. */
unsigned int cpu_state_online(void);
/* A phrase for messages ("... is not online (why)"); NULL for CPU_DOWN_NONE. */
const char *cpu_state_down_text(enum cpu_down why);

/* A plain increment, made visible whole: only the CPU itself writes its counters. */
static inline void arch_cpu_count(enum cpu_event ev)
{
	uint64_t *n = &this_cpu()->events[ev];

	__atomic_store_n(n, __atomic_load_n(n, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

#endif
