// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_psci (battery d): PSCI CPU_ON and AFFINITY_INFO (32- and 64-bit
 * IDs, every level) on every MPIDR 0..15, on MPIDRs with Aff1/Aff2/Aff3 set
 * and with RES0 bits set, with an entry point in its own RAM and one in the
 * victim's physical RAM; then CPU_ON of its own second vCPU, which turns
 * itself off with CPU_OFF. Only its own two vCPUs (MPIDR 0, 1) may answer:
 * everything else must be INVALID_PARAMETERS, and nothing may start in the
 * victim. SMC64 IDs of functions PSCI defines only as SMC32 (CPU_OFF,
 * SYSTEM_OFF, ...) must be NOT_SUPPORTED and do nothing. Last, vCPU 0 turns
 * itself off and vCPU 1 turns it on again, CYCLES times: the hypervisor must
 * not log each as a boot (test_hostile.py counts its lines).
 */
#include "hostile.h"

#define PSCI_CPU_ON32	     0x84000003u
#define PSCI_CPU_ON64	     0xc4000003u
#define PSCI_AFFINITY_INFO32 0x84000004u
#define PSCI_AFFINITY_INFO64 0xc4000004u
#define VICTIM_RAM_PA	     0x4c000000UL
#define CYCLES		     200

static unsigned int failures;
static volatile unsigned int secondary_ran;
static volatile unsigned int cycling, cycles;

static void finish(void) __attribute__((noreturn));

/* vCPU 1: turn vCPU 0 on each time it is off, CYCLES times, the last for good. */
static void cycle_cpu0(void)
{
	unsigned int i, wait;

	for (i = 0; i < CYCLES; i++) {
		for (wait = 0; psci_affinity_info(0) != 1 && wait < 100000; wait++)
			;
		if (psci_cpu_on(0, 0) != PSCI_SUCCESS) {
			TEST_FAIL("cpu0_cycle", "CPU_ON of vCPU 0 refused in round %u", i);
			return;
		}
	}
}

void secondary_main(unsigned int cpu)
{
	if (cpu == 0) { /* vCPU 0 turned on again by cycle_cpu0() */
		if (++cycles < CYCLES)
			psci_cpu_off();
		finish();
	}
	if (cycling) {
		cycle_cpu0();
		return;
	}
	secondary_ran = cpu;
	dmb();
	psci_cpu_off();
	TEST_FAIL("cpu_off", "CPU_OFF returned");
	for (;;)
		;
}

static void expect(const char *what, uint64_t mpidr, int64_t got, int64_t want)
{
	if (got == want)
		return;
	failures++;
	TEST_FAIL(what, "MPIDR 0x%lx: got %ld, want %ld", mpidr, got, want);
}

static int64_t call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return (int64_t)(int32_t)hvc_call(fid, a1, a2, a3);
}

/* CPU_ON of @mpidr from this cell: vCPU 0 is running, vCPU 1 off (until the end), nothing else. */
static int64_t cpu_on_want(uint64_t mpidr)
{
	return mpidr == 0 ? PSCI_ALREADY_ON : PSCI_INVALID_PARAMETERS;
}

static int64_t affinity_want(uint64_t mpidr, unsigned int level)
{
	return mpidr <= 1 && level == 0 ? (mpidr == 0 ? 0 : 1) : PSCI_INVALID_PARAMETERS;
}

/* SMC32 IDs take 32-bit arguments: the upper halves are ignored (SMCCC). */
static void attack(uint64_t mpidr)
{
	uint64_t entry = (uintptr_t)secondary_entry;
	uint64_t m32 = (uint32_t)mpidr;
	unsigned int level;

	if (mpidr == 1 || m32 == 1)
		return; /* its own second vCPU: started properly at the end */
	expect("cpu_on_victim_entry", mpidr, call(PSCI_CPU_ON64, mpidr, VICTIM_RAM_PA, 1),
	       mpidr == 0 ? PSCI_INVALID_ADDRESS : PSCI_INVALID_PARAMETERS);
	expect("cpu_on64", mpidr, call(PSCI_CPU_ON64, mpidr, entry, 1), cpu_on_want(mpidr));
	expect("cpu_on32", mpidr, call(PSCI_CPU_ON32, mpidr, entry, 1), cpu_on_want(m32));
	for (level = 0; level < 4; level++) {
		expect("affinity_info64", mpidr, call(PSCI_AFFINITY_INFO64, mpidr, level, 0),
		       affinity_want(mpidr, level));
		expect("affinity_info32", mpidr, call(PSCI_AFFINITY_INFO32, mpidr, level, 0),
		       affinity_want(m32, level));
	}
}

int main(void *dtb)
{
	static const uint64_t odd[] = { 0x100,	      0x101,	     0x10000,
					0x10002,      0x100000000UL, 0xff00ffffffUL,
					0x80000000UL, 0x1000000UL,   ~0UL };
	/* CPU_OFF, SYSTEM_OFF, SYSTEM_RESET, PSCI_VERSION, MIGRATE_INFO_TYPE, PSCI_FEATURES */
	static const uint64_t smc32_only[] = { 0x84000002u, 0x84000008u, 0x84000009u,
					       0x84000000u, 0x84000006u, 0x8400000au };
	uint64_t mpidr;
	unsigned int i;
	int rc;

	(void)dtb;
	for (mpidr = 0; mpidr < 16; mpidr++)
		attack(mpidr);
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		attack(odd[i]);
	/* Its own second vCPU: on, runs, turns itself off. */
	rc = psci_cpu_on(1, 1);
	expect("cpu_on_own", 1, rc, PSCI_SUCCESS);
	for (i = 0; i < 1000 && (secondary_ran != 1 || psci_affinity_info(1) != 1); i++)
		udelay(1000);
	expect("cpu_off_own", 1, psci_affinity_info(1), 1);
	expect("cpu_off_ran", 1, secondary_ran, 1);
	for (i = 0; i < sizeof(smc32_only) / sizeof(smc32_only[0]); i++)
		expect("smc64_of_smc32_only", smc32_only[i],
		       call((uint32_t)smc32_only[i] | 0x40000000u, 0, 0, 0), PSCI_NOT_SUPPORTED);
	/* vCPU 0 off and on again, CYCLES times: finish() runs on its last start. */
	cycling = 1;
	dmb();
	expect("cpu_on_cycler", 1, psci_cpu_on(1, 1), PSCI_SUCCESS);
	psci_cpu_off();
	TEST_FAIL("cpu_off", "CPU_OFF of vCPU 0 returned");
	hostile_done("psci");
}

static void finish(void)
{
	expect("cpu0_cycles", 0, cycles, CYCLES);
	printf("hostile_psci: vCPU 0 started %u times\n", cycles);
	if (failures == 0)
		TEST_PASS("hostile_psci");
	hostile_done("psci");
}
