// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_smc (battery e): raw SMCs with firmware function IDs -- PSCI
 * SYSTEM_OFF, SYSTEM_RESET, SYSTEM_RESET2, CPU_OFF, CPU_ON of the victim's
 * physical CPUs (MPIDR 2 and 3) with an entry in this cell's RAM, SMCCC
 * architecture calls, SiP/OEM/Trusted-OS ranges -- and SMC with a non-zero
 * immediate. The firmware belongs to the hypervisor (HCR_EL2.TSC): each must
 * come back NOT_SUPPORTED (-1), and the board and the victim must not notice.
 */
#include "hostile.h"

static uint64_t smc_imm1(uint64_t fid)
{
	register uint64_t x0 __asm__("x0") = fid;

	__asm__ volatile("smc #1" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return x0;
}

int main(void *dtb)
{
	static const struct {
		char name[28]; /* inline: a pointer table would need relocations */
		uint64_t fid, a1, a2;
	} calls[] = {
		{ "system_off", 0x84000008, 0, 0 },
		{ "system_reset", 0x84000009, 0, 0 },
		{ "system_reset2", 0xc4000012, 0, 0 },
		{ "cpu_off", 0x84000002, 0, 0 },
		{ "cpu_on_victim_cpu2", 0xc4000003, 2, 0x48000000 },
		{ "cpu_on_victim_cpu3", 0xc4000003, 3, 0x48000000 },
		{ "cpu_on32_victim", 0x84000003, 2, 0x48000000 },
		{ "cpu_suspend", 0xc4000001, 0, 0x48000000 },
		{ "affinity_info", 0xc4000004, 2, 0 },
		{ "psci_version", 0x84000000, 0, 0 },
		{ "smccc_version", 0x80000000, 0, 0 },
		{ "smccc_arch_workaround_1", 0x80008000, 0, 0 },
		{ "sip", 0xc2000000, 0, 0 },
		{ "oem", 0xc3000000, 0, 0 },
		{ "trusted_os", 0xf2000000, 0, 0 },
		{ "all_ones", 0xffffffff, ~0UL, ~0UL },
	};
	unsigned int i, failures = 0;
	uint64_t ret;

	(void)dtb;
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		ret = smc_call(calls[i].fid, calls[i].a1, calls[i].a2, 0);
		if (ret != (uint64_t)-1) {
			failures++;
			TEST_FAIL(calls[i].name, "SMC 0x%lx returned 0x%lx, want -1", calls[i].fid,
				  ret);
		}
	}
	for (i = 0; i < 1000; i++)
		(void)smc_call(0x84000008, 0, 0, 0);
	ret = smc_imm1(0x84000008);
	if (ret != (uint64_t)-1) {
		failures++;
		TEST_FAIL("smc_imm1", "returned 0x%lx", ret);
	}
	if (failures == 0)
		TEST_PASS("hostile_smc");
	hostile_done("smc");
}
