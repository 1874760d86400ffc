// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_smc (battery e): SMCs at the firmware, which belongs to the
 * hypervisor (HCR_EL2.TSC). PSCI and the SMCCC architecture calls over smc
 * must answer for this cell only, exactly as over hvc: CPU_ON and
 * AFFINITY_INFO of the victim's physical CPUs (MPIDR 2 and 3) with an entry
 * in this cell's RAM, and the rest of the battery, get hvc's answer, and the
 * value docs/guest-platform.md gives (INVALID_PARAMETERS for those). So do
 * the standard services no cell is given (TRNG, SDEI, paravirtualised time):
 * NOT_SUPPORTED (-1), not reported (test_hostile.py). The SiP, OEM and
 * Trusted-OS ranges, Bulkhead's own calls, malformed IDs and SMC with a
 * non-zero immediate come back NOT_SUPPORTED (-1), reported. Last, SYSTEM_RESET over
 * smc restarts this cell, and nothing else: its second boot is done.
 */
#include "hostile.h"

#define PSCI_SYSTEM_RESET	0x84000009u
#define SMC64			0x40000000u
#define SMCCC_ARCH_FEATURES	0x80000001u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define ANY			INT64_MIN

static uint64_t smc_imm1(uint64_t fid)
{
	register uint64_t x0 __asm__("x0") = fid;

	__asm__ volatile("smc #1" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return x0;
}

static unsigned int failures;

static void check(const char *name, uint64_t got, uint64_t want)
{
	if (got == want)
		return;
	failures++;
	TEST_FAIL(name, "got 0x%lx, want 0x%lx", (unsigned long)got, (unsigned long)want);
}

/* SMCCC: the results of an SMC32 call are its W registers. */
static int64_t result_of(uint64_t fid, uint64_t x0)
{
	return (fid & SMC64) ? (int64_t)x0 : (int32_t)x0;
}

static void check_value(const char *name, int64_t got, int64_t want)
{
	if (got == want)
		return;
	failures++;
	TEST_FAIL(name, "answered %ld, want %ld", (long)got, (long)want);
}

/*
 * The Spectre-v2 workaround's answers depend on the CPU (docs/guest-platform.md):
 * SMCCC_ARCH_FEATURES says 1 (not affected), 0 (mitigated) or -1 (vulnerable),
 * and the call itself then returns 0, or -1 where it is not there.
 */
static void check_workaround_1(void)
{
	int64_t feature = (int32_t)smc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0);
	int64_t call = (int32_t)smc_call(SMCCC_ARCH_WORKAROUND_1, 0, 0, 0);

	if (feature < -1 || feature > 1) {
		failures++;
		TEST_FAIL("smccc_arch_features_wa1_value", "answered %ld, want 1, 0 or -1",
			  (long)feature);
	}
	check_value("smccc_arch_workaround_1_value", call, feature < 0 ? -1 : 0);
}

/*
 * As over hvc, and without effect (none of these may stop or reset anything),
 * and what docs/guest-platform.md says: hvc and smc share the dispatch, so
 * the same wrong answer both ways would pass the comparison alone.
 */
static void smc_as_hvc(void)
{
	static const struct {
		char name[28]; /* inline: a pointer table would need relocations */
		uint64_t fid, a1, a2;
		int64_t want; /* ANY: the CPU's (check_workaround_1()) */
	} calls[] = {
		{ "psci_version", 0x84000000, 0, 0, 0x10001 },
		{ "psci_features_cpu_on", 0x8400000a, 0xc4000003, 0, PSCI_SUCCESS },
		/* The victim's CPUs are no MPIDR of this cell's. */
		{ "cpu_on_victim_cpu2", 0xc4000003, 2, 0x48000000, PSCI_INVALID_PARAMETERS },
		{ "cpu_on_victim_cpu3", 0xc4000003, 3, 0x48000000, PSCI_INVALID_PARAMETERS },
		{ "cpu_on32_victim", 0x84000003, 2, 0x48000000, PSCI_INVALID_PARAMETERS },
		{ "cpu_suspend", 0xc4000001, 0, 0x48000000, PSCI_SUCCESS },
		{ "affinity_info_victim", 0xc4000004, 2, 0, PSCI_INVALID_PARAMETERS },
		{ "migrate_info_type", 0x84000006, 0, 0, 2 }, /* migration not required */
		{ "system_reset2", 0xc4000012, 0, 0, PSCI_NOT_SUPPORTED },
		{ "smccc_version", 0x80000000, 0, 0, 0x10001 },
		{ "smccc_arch_features_wa1", 0x80000001, 0x80008000, 0, ANY },
		{ "smccc_arch_workaround_1", 0x80008000, 0, 0, ANY },
		{ "trng_version", 0x84000050, 0, 0, PSCI_NOT_SUPPORTED },
		{ "sdei_version", 0xc4000020, 0, 0, PSCI_NOT_SUPPORTED },
		{ "pv_time_features", 0xc5000020, 0xc5000021, 0, PSCI_NOT_SUPPORTED },
	};
	unsigned int i;

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		uint64_t smc = smc_call(calls[i].fid, calls[i].a1, calls[i].a2, 0);

		check(calls[i].name, smc, hvc_call(calls[i].fid, calls[i].a1, calls[i].a2, 0));
		if (calls[i].want != ANY)
			check_value(calls[i].name, result_of(calls[i].fid, smc), calls[i].want);
	}
	check_workaround_1();
}

static void smc_refused(void)
{
	static const struct {
		char name[28];
		uint64_t fid;
	} calls[] = {
		{ "sip", 0xc2000000 },	      { "oem", 0xc3000000 },
		{ "trusted_os", 0xf2000000 }, { "bulkhead_cell_info", 0xc6000001 },
		{ "all_ones", 0xffffffff },   { "trng_bits_23_16", 0x84010050 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		check(calls[i].name, smc_call(calls[i].fid, ~0UL, ~0UL, 0), (uint64_t)-1);
	/* Before the flood: reported (the 7th of 8), for its immediate. */
	check("smc_imm1", smc_imm1(0x84000000), (uint64_t)-1);
	for (i = 0; i < 1000; i++)
		(void)smc_call(0xc2000000, 0, 0, 0);
}

int main(void *dtb)
{
	uint64_t boot = hostile_boot("hostile_smc");

	(void)dtb;
	if (boot >= 2)
		hostile_done("smc");
	smc_as_hvc();
	smc_refused();
	if (failures == 0)
		TEST_PASS("hostile_smc");
	printf("hostile_smc: SYSTEM_RESET over smc\n");
	smc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	TEST_FAIL("smc_system_reset", "returned");
	for (;;)
		;
	return 0;
}
