// SPDX-License-Identifier: GPL-2.0-only
/* The CPUs a host unit test plays (see fake_cpus.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fake_cpus.h"

unsigned int fake_cpu;
uint32_t fake_parked_cpus;
jmp_buf fake_cpu_fault_point;
bool fake_cpu1_faults_asking_its_index;
struct owned_lock *fake_holder_parks_after_letting_go;

void fake_cpus_reset(unsigned int cpu)
{
	fake_cpu = cpu;
	fake_parked_cpus = 0;
	fake_cpu1_faults_asking_its_index = false;
	fake_holder_parks_after_letting_go = NULL;
}

void fake_cpu_fault(void)
{
	fake_parked_cpus |= 1u << fake_cpu;
	longjmp(fake_cpu_fault_point, 1);
}

void fake_cpu_takes(unsigned int cpu, struct owned_lock *lock)
{
	unsigned int was = fake_cpu;

	fake_cpu = cpu;
	assert_true(owned_lock_take(lock));
	fake_cpu = was;
}

unsigned int arch_cpu_index(void)
{
	if (fake_cpu1_faults_asking_its_index && fake_cpu == 1) {
		fake_cpu1_faults_asking_its_index = false;
		fake_cpu_fault();
	}
	return fake_cpu;
}

bool arch_cpu_parked(unsigned int index)
{
	struct owned_lock *l = fake_holder_parks_after_letting_go;

	if (l && owned_lock_holder(l) == (int)index) {
		fake_holder_parks_after_letting_go = NULL;
		owned_lock_release(l);
		fake_parked_cpus |= 1u << index;
	}
	return index < 32 && (fake_parked_cpus & (1u << index));
}
