// SPDX-License-Identifier: GPL-2.0-only
/*
 * hello: the smallest guest. Prints its MPIDR, tries PSCI CPU_ON for MPIDR
 * Aff0 1..7 (printing each result), waits for every vCPU it started to say
 * hello, and checks that a read of an unmapped address aborts and is skipped.
 */
#include "test.h"

#define UNMAPPED_ADDR 0x0c000000UL /* QEMU virt platform bus: empty; not in a cell's map */
#define WAIT_US	      2000000

static volatile bool arrived[GUEST_MAX_CPUS];

void secondary_main(unsigned int cpu)
{
	printf("hello from MPIDR 0x%lx (cpu %u)\n", read_sysreg(mpidr_el1), cpu);
	dmb();
	arrived[cpu] = true;
}

static bool wait_arrived(unsigned int cpu)
{
	uint64_t end = timer_now() + WAIT_US * timer_freq() / 1000000;

	while (!arrived[cpu])
		if (timer_now() > end)
			return false;
	return true;
}

static void test_abort_probe(void)
{
	uint64_t val;
	struct abort_record rec;

	if (probe_read(UNMAPPED_ADDR, &val) == 0) {
		TEST_FAIL("hello_probe", "read of 0x%lx returned 0x%lx, expected an abort",
			  UNMAPPED_ADDR, val);
		return;
	}
	abort_taken(&rec);
	printf("read of 0x%lx aborted: ESR=0x%lx FAR=0x%lx ELR=0x%lx\n", UNMAPPED_ADDR, rec.esr,
	       rec.far, rec.elr);
	TEST_PASS("hello_probe");
}

int main(void *dtb)
{
	bool started[GUEST_MAX_CPUS] = { false };
	unsigned int cpu, missing = 0;
	uint32_t v = psci_version();

	printf("hello from MPIDR 0x%lx, DTB at %p, PSCI %u.%u\n", read_sysreg(mpidr_el1), dtb,
	       v >> 16, v & 0xffff);
	for (cpu = 1; cpu < GUEST_MAX_CPUS; cpu++) {
		int rc = psci_cpu_on(cpu, cpu);

		printf("CPU_ON(0x%x) = %d\n", cpu, rc);
		started[cpu] = rc == PSCI_SUCCESS;
	}
	for (cpu = 1; cpu < GUEST_MAX_CPUS; cpu++)
		if (started[cpu] && !wait_arrived(cpu))
			missing |= 1u << cpu;
	test_abort_probe();
	if (missing != 0)
		TEST_FAIL("hello", "vCPUs started but silent: mask 0x%x", missing);
	else
		TEST_PASS("hello");
	return 0;
}
