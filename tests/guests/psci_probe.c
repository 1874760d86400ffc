// SPDX-License-Identifier: GPL-2.0-only
/*
 * psci_probe: the firmware interface a 1-vCPU cell sees. PSCI over hvc
 * answers for this cell's vCPUs only, and so does PSCI over smc (a device
 * tree may say `method = "smc"`); other smc calls are refused (-1) and the
 * cell keeps running; unknown hvc IDs return -1; Bulkhead's CELL_INFO
 * hypercall describes the cell. CPU_ON refuses an entry point that is not
 * a 4-byte aligned address in the cell's RAM (INVALID_ADDRESS, checked
 * before the target's state, so this vCPU's own MPIDR will do); CPU_SUSPEND
 * returns at once, MIGRATE_INFO_TYPE says no migration is needed
 * (docs/guest-platform.md). Each check prints "TEST <name> PASS|FAIL got=...".
 * Then "heartbeat N" about every 100 ms.
 */
#include "test.h"

#define PSCI_VERSION	      0x84000000u
#define PSCI_CPU_SUSPEND      0x84000001u
#define PSCI_CPU_OFF	      0x84000002u
#define PSCI_CPU_ON64	      0xc4000003u
#define PSCI_MIGRATE_INFO     0x84000006u
#define PSCI_SYSTEM_OFF	      0x84000008u
#define PSCI_SYSTEM_RESET     0x84000009u
#define PSCI_FN64	      0x40000000u
#define PSCI_TOS_NOT_REQUIRED 2 /* MIGRATE_INFO_TYPE: no Trusted OS to migrate */
#define PSCI_VERSION_1_1      0x10001u
#define SMCCC_VERSION	      0x80000000u
#define SMCCC_VERSION_1_1     0x10001
#define HEARTBEAT_US	      100000

static unsigned int failures;

static void expect_eq(const char *name, int64_t got, int64_t want)
{
	if (got == want) {
		TEST_PASS(name);
		return;
	}
	failures++;
	TEST_FAIL(name, "got=%ld want=%ld", (long)got, (long)want);
}

/* SMCCC results are 32-bit signed for SMC32 IDs: compare w0. */
static int64_t w0(uint64_t x0)
{
	return (int32_t)x0;
}

static void test_cell_info(void)
{
	struct smccc_res r = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0);

	printf("cell info: x0=%ld id=%lu vcpus=%lu boots=%lu\n", (long)r.a0, r.a1, r.a2, r.a3);
	if (r.a0 == 0 && r.a2 == 1 && r.a3 == 1) {
		TEST_PASS("cell_info");
		return;
	}
	failures++;
	TEST_FAIL("cell_info", "got=x0 %ld vcpus %lu boots %lu, want 0, 1, 1", (long)r.a0, r.a2,
		  r.a3);
}

int main(void *dtb)
{
	uint32_t version = psci_version();

	(void)dtb;
	if (version == PSCI_VERSION_1_1)
		TEST_PASS("psci_version");
	else {
		failures++;
		TEST_FAIL("psci_version", "got=0x%x want=0x%x", version, PSCI_VERSION_1_1);
	}
	expect_eq("psci_features_cpu_on", psci_features(PSCI_CPU_ON64), PSCI_SUCCESS);
	expect_eq("psci_features_unknown", psci_features(0x12345678u), PSCI_NOT_SUPPORTED);
	/* Linux asks PSCI_FEATURES before calling SMCCC_VERSION; without it, SMCCC 1.0. */
	expect_eq("psci_features_smccc_version", psci_features(SMCCC_VERSION), PSCI_SUCCESS);
	expect_eq("smccc_version", w0(hvc_call(SMCCC_VERSION, 0, 0, 0)), SMCCC_VERSION_1_1);
	/* MPIDRs 1 and 3 are physical CPUs of the other cell; 0x100 is Aff1 = 1. */
	expect_eq("cpu_on_outside_cell_1", psci_cpu_on(1, 1), PSCI_INVALID_PARAMETERS);
	expect_eq("cpu_on_outside_cell_3", psci_cpu_on(3, 3), PSCI_INVALID_PARAMETERS);
	expect_eq("cpu_on_outside_cell_aff1", psci_cpu_on(0x100, 1), PSCI_INVALID_PARAMETERS);
	expect_eq("cpu_on_self", psci_cpu_on(0, 0), PSCI_ALREADY_ON);
	expect_eq("cpu_on_misaligned_entry",
		  (int64_t)hvc_call(PSCI_CPU_ON64, 0, (uintptr_t)secondary_entry + 2, 0),
		  PSCI_INVALID_ADDRESS);
	expect_eq("cpu_on_entry_outside_cell", (int64_t)hvc_call(PSCI_CPU_ON64, 0, 0x0c000000, 0),
		  PSCI_INVALID_ADDRESS);
	expect_eq("cpu_suspend", w0(hvc_call(PSCI_CPU_SUSPEND, 0, 0, 0)), PSCI_SUCCESS);
	expect_eq("cpu_suspend64",
		  (int64_t)hvc_call(PSCI_CPU_SUSPEND | PSCI_FN64, 0, (uintptr_t)secondary_entry, 0),
		  PSCI_SUCCESS);
	expect_eq("migrate_info_type", w0(hvc_call(PSCI_MIGRATE_INFO, 0, 0, 0)),
		  PSCI_TOS_NOT_REQUIRED);
	expect_eq("migrate_info_type64", (int64_t)hvc_call(PSCI_MIGRATE_INFO | PSCI_FN64, 0, 0, 0),
		  PSCI_NOT_SUPPORTED);
	expect_eq("affinity_info_self", psci_affinity_info(0), 0);
	expect_eq("affinity_info_outside_cell", psci_affinity_info(1), PSCI_INVALID_PARAMETERS);
	/*
	 * PSCI over smc answers for this cell as over hvc, never reaching the
	 * firmware (CPU 1 is the other cell's); Bulkhead's own calls and the
	 * SiP range are refused there.
	 */
	expect_eq("smc_psci_version", w0(smc_call(PSCI_VERSION, 0, 0, 0)), PSCI_VERSION_1_1);
	expect_eq("smc_smccc_version", w0(smc_call(SMCCC_VERSION, 0, 0, 0)), SMCCC_VERSION_1_1);
	expect_eq("smc_cpu_on_outside_cell",
		  (int64_t)smc_call(PSCI_CPU_ON64, 1, (uintptr_t)secondary_entry, 1),
		  PSCI_INVALID_PARAMETERS);
	expect_eq("smc_cpu_on_self",
		  (int64_t)smc_call(PSCI_CPU_ON64, 0, (uintptr_t)secondary_entry, 0),
		  PSCI_ALREADY_ON);
	expect_eq("smc_bulkhead_cell_info", (int64_t)smc_call(BULKHEAD_HC_CELL_INFO, 0, 0, 0), -1);
	expect_eq("smc_sip", (int64_t)smc_call(0xc2000000u, 0, 0, 0), -1);
	expect_eq("hvc_unknown_c7000000", (int64_t)hvc_call(0xc7000000u, 0, 0, 0), -1);
	expect_eq("hvc_unknown_12345678", (int64_t)hvc_call(0x12345678u, 0, 0, 0), -1);
	expect_eq("hvc_unknown_bulkhead_c600ffff", (int64_t)hvc_call(0xc600ffffu, 0, 0, 0), -1);
	test_cell_info();
	if (failures)
		TEST_FAIL("psci_probe", "%u check(s) failed", failures);
	else
		TEST_PASS("psci_probe");
	heartbeat_forever(1, HEARTBEAT_US, udelay);
}
