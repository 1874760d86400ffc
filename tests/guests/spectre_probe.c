// SPDX-License-Identifier: GPL-2.0-only
/*
 * spectre_probe: what a guest learns of the hypervisor's speculation
 * mitigations on its CPU (SMCCC_ARCH_FEATURES of SMCCC_ARCH_WORKAROUND_1 and
 * _3, then the calls themselves), that a trap through the hardened vectors
 * gives back x4-x17 as they were, and what an hvc round trip costs: under
 * -icount the scenario compares it between CPU models, so a mitigation that
 * is reported but not run (or run where none is needed) shows.
 * It also runs the hypervisor's Spectre-v1 index clamp (arch/arm64/include/
 * nospec.h), which only an arm64 CPU can run: the host unit tests build its C
 * stand-in. Prints "smccc <name> <value>" lines, "nospec: N of M clamps
 * wrong", "hvc: N ticks at F Hz for M calls", and "TEST spectre_probe PASS|FAIL".
 */
#include "test.h"
#include "../../arch/arm64/include/nospec.h"

#define SMCCC_ARCH_FEATURES	0x80000001u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffu
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffu
#define HVC_CALLS		4096

/* Results of SMC32 IDs are 32-bit signed: w0. */
static long w0(uint64_t x0)
{
	return (int32_t)x0;
}

/* x4-x17 set to a pattern across one hvc (Bulkhead's VERSION): how many came back changed. */
static unsigned int clobbered_by_hvc(void)
{
	register uint64_t x0 __asm__("x0") = BULKHEAD_HC_VERSION;
	register uint64_t x4 __asm__("x4") = 0x44, x5 __asm__("x5") = 0x55, x6 __asm__("x6") = 0x66;
	register uint64_t x7 __asm__("x7") = 0x77, x8 __asm__("x8") = 0x88, x9 __asm__("x9") = 0x99;
	register uint64_t x10 __asm__("x10") = 0x1010, x11 __asm__("x11") = 0x1111;
	register uint64_t x12 __asm__("x12") = 0x1212, x13 __asm__("x13") = 0x1313;
	register uint64_t x14 __asm__("x14") = 0x1414, x15 __asm__("x15") = 0x1515;
	register uint64_t x16 __asm__("x16") = 0x1616, x17 __asm__("x17") = 0x1717;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7), "+r"(x8), "+r"(x9),
			   "+r"(x10), "+r"(x11), "+r"(x12), "+r"(x13), "+r"(x14), "+r"(x15),
			   "+r"(x16), "+r"(x17)
			 :
			 : "x1", "x2", "x3", "memory");
	return (x4 != 0x44) + (x5 != 0x55) + (x6 != 0x66) + (x7 != 0x77) + (x8 != 0x88) +
	       (x9 != 0x99) + (x10 != 0x1010) + (x11 != 0x1111) + (x12 != 0x1212) +
	       (x13 != 0x1313) + (x14 != 0x1414) + (x15 != 0x1515) + (x16 != 0x1616) +
	       (x17 != 0x1717);
}

static const unsigned long nospec_idx[] = {
	0, 1, 5, 6, 7, 63, 64, 0x7fffffffffffffffUL, 0x8000000000000000UL, ~0UL
};
static const unsigned long nospec_size[] = { 1, 6, 64, 0x8000000000000000UL, ~0UL };

/* One clamp against what it must give: @idx below @size stays, anything else is 0. */
static unsigned int nospec_wrong(unsigned long idx, unsigned long size, unsigned long got)
{
	unsigned long want = idx < size ? idx : 0;

	if (got == want)
		return 0;
	printf("nospec: array_index_nospec(0x%lx, 0x%lx) = 0x%lx, not 0x%lx\n", idx, size, got,
	       want);
	return 1;
}

/* Sizes in a register and, as the hypervisor's constant bounds compile, as an immediate. */
static unsigned int nospec_check(unsigned int *cases)
{
	unsigned int i, j, wrong = 0;

	for (i = 0; i < sizeof(nospec_idx) / sizeof(nospec_idx[0]); i++) {
		volatile unsigned long idx = nospec_idx[i];

		for (j = 0; j < sizeof(nospec_size) / sizeof(nospec_size[0]); j++) {
			volatile unsigned long size = nospec_size[j];

			wrong += nospec_wrong(idx, size, array_index_nospec(idx, size));
		}
		wrong += nospec_wrong(idx, 1, array_index_nospec(idx, 1));
		wrong += nospec_wrong(idx, 6, array_index_nospec(idx, 6));
		wrong += nospec_wrong(idx, 64, array_index_nospec(idx, 64));
		*cases += j + 3;
	}
	return wrong;
}

static void report(const char *name, long value)
{
	printf("smccc %s %ld\n", name, value);
}

int main(void *dtb)
{
	uint64_t start, ticks;
	unsigned int i, clobbered = 0, cases = 0, wrong;

	(void)dtb;
	report("features_arch_features",
	       w0(hvc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0, 0)));
	report("features_wa1", w0(hvc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0)));
	report("features_wa3", w0(hvc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_3, 0, 0)));
	report("features_wa2", w0(hvc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_2, 0, 0)));
	report("call_wa1", w0(hvc_call(SMCCC_ARCH_WORKAROUND_1, 0, 0, 0)));
	report("call_wa3", w0(hvc_call(SMCCC_ARCH_WORKAROUND_3, 0, 0, 0)));
	report("call_wa2", w0(hvc_call(SMCCC_ARCH_WORKAROUND_2, 1, 0, 0)));
	/* Where _2 is not offered, SSBS in the guest's own view is how it turns the bypass off. */
	report("id_ssbs", (long)((read_sysreg(id_aa64pfr1_el1) >> 4) & 0xf));
	wrong = nospec_check(&cases);
	printf("nospec: %u of %u clamps wrong\n", wrong, cases);
	for (i = 0; i < 64; i++)
		clobbered += clobbered_by_hvc();
	start = timer_now();
	for (i = 0; i < HVC_CALLS; i++)
		(void)hvc_call(BULKHEAD_HC_VERSION, 0, 0, 0);
	ticks = timer_now() - start;
	printf("hvc: %lu ticks at %lu Hz for %u calls\n", (unsigned long)ticks,
	       (unsigned long)timer_freq(), HVC_CALLS);
	if (clobbered)
		TEST_FAIL("spectre_probe", "%u of x4-x17 changed across 64 hvc", clobbered);
	else if (wrong)
		TEST_FAIL("spectre_probe", "%u of %u index clamps wrong", wrong, cases);
	else
		TEST_PASS("spectre_probe");
	psci_system_off();
}
