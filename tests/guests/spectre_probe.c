// SPDX-License-Identifier: GPL-2.0-only
/*
 * spectre_probe: what a guest learns of the hypervisor's speculation
 * mitigations on its CPU (SMCCC_ARCH_FEATURES of SMCCC_ARCH_WORKAROUND_1 and
 * _3, then the calls themselves), that a trap through the hardened vectors
 * gives back x4-x17 as they were, and what an hvc round trip costs: under
 * -icount the scenario compares it between CPU models, so a mitigation that
 * is reported but not run (or run where none is needed) shows.
 * Prints "smccc <name> <value>" lines, "hvc: N ticks at F Hz for M calls", and
 * "TEST spectre_probe PASS|FAIL".
 */
#include "test.h"

#define SMCCC_ARCH_FEATURES	0x80000001u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
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

static void report(const char *name, long value)
{
	printf("smccc %s %ld\n", name, value);
}

int main(void *dtb)
{
	uint64_t start, ticks;
	unsigned int i, clobbered = 0;

	(void)dtb;
	report("features_arch_features",
	       w0(hvc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0, 0)));
	report("features_wa1", w0(hvc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0)));
	report("features_wa3", w0(hvc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_3, 0, 0)));
	report("features_wa2", w0(hvc_call(SMCCC_ARCH_FEATURES, 0x80007fffu, 0, 0)));
	report("call_wa1", w0(hvc_call(SMCCC_ARCH_WORKAROUND_1, 0, 0, 0)));
	report("call_wa3", w0(hvc_call(SMCCC_ARCH_WORKAROUND_3, 0, 0, 0)));
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
	else
		TEST_PASS("spectre_probe");
	psci_system_off();
}
