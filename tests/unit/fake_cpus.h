/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_FAKE_CPUS_H
#define BULKHEAD_TESTS_FAKE_CPUS_H

/*
 * The CPUs a host unit test plays for code that takes an owned lock
 * (include/owned_lock.h): arch_cpu_index() is fake_cpu, arch_cpu_parked()
 * reads fake_parked_cpus, and a fault a CPU takes inside the code under test
 * parks it and jumps back to the test, as a CPU that never returns.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "owned_lock.h"

extern unsigned int fake_cpu;	     /* the CPU the code runs on */
extern uint32_t fake_parked_cpus;    /* bit N: CPU N parked for good */
extern jmp_buf fake_cpu_fault_point; /* where fake_cpu_fault() lands: setjmp() it first */
/* CPU 1 faults the next time it asks which CPU it is (inside a take). */
extern bool fake_cpu1_faults_asking_its_index;
/*
 * The holder of this lock lets it go, then faults elsewhere and parks, as a
 * taker looks whether it parked; NULL: none.
 */
extern struct owned_lock *fake_holder_parks_after_letting_go;

/* Every CPU online, none faulting; the code runs on @cpu. */
void fake_cpus_reset(unsigned int cpu);
/* The running CPU faults: parked, and back at fake_cpu_fault_point. */
void fake_cpu_fault(void) __attribute__((noreturn));
/* CPU @cpu takes @lock (which must be free or a live CPU's to wait for); the test goes on as
 * before. */
void fake_cpu_takes(unsigned int cpu, struct owned_lock *lock);

#endif
