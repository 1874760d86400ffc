// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_overstay (direct interrupt mode, layouts/hostile-direct.dts, a CPU
 * with FEAT_WFxT): on its first boot, vCPU 1 holds off the hypervisor's kick
 * (a Group 1 active priority of 0x00 in ICC_AP1R0_EL1, as hostile_ap1r) and
 * waits in WFIT, which a revoked stage 2 does not end, for OVERSTAY_MS:
 * longer than a stop waits for it. vCPU 0 meanwhile asks for SYSTEM_RESET.
 * When the WFIT ends, the very next instruction stores a marker into RAM: if
 * the next boot is already running there, the old boot's vCPU has written
 * into it. The next boot waits past that moment and reports whether its RAM
 * was written ("TEST overstay_no_old_writes").
 */
#include "hostile.h"

#define PSCI_SYSTEM_RESET 0x84000009u
#define OVERSTAY_MS	  2000
#define MARKER		  0x01d800751a7eULL

static volatile uint64_t marker;

/* WFIT x0 (0xd5031020 | Rt), spelt out for assemblers without FEAT_WFxT; then the store. */
static void wfit_then_store(uint64_t deadline, volatile uint64_t *where, uint64_t value)
{
	register uint64_t x0 __asm__("x0") = deadline;
	register volatile uint64_t *x1 __asm__("x1") = where;
	register uint64_t x2 __asm__("x2") = value;

	__asm__ volatile(".inst 0xd5031020\n\tstr x2, [x1]"
			 :
			 : "r"(x0), "r"(x1), "r"(x2)
			 : "memory");
}

void secondary_main(unsigned int cpu)
{
	uint64_t deadline = timer_now() + timer_freq() / 1000 * OVERSTAY_MS;

	(void)cpu;
	write_sysreg(1, s3_0_c12_c9_0); /* ICC_AP1R0_EL1: priority 0x00 active */
	__asm__ volatile("isb\n\tmsr daifset, #0xf" ::: "memory");
	wfit_then_store(deadline, &marker, MARKER);
	for (;;)
		;
}

int main(void *dtb)
{
	uint64_t boot = hostile_boot("hostile_overstay");

	(void)dtb;
	if (boot >= 2) {
		udelay((OVERSTAY_MS + 1000) * 1000ULL);
		if (marker == 0)
			TEST_PASS("overstay_no_old_writes");
		else
			TEST_FAIL("overstay_no_old_writes", "got=0x%lx", (unsigned long)marker);
		hostile_done("overstay");
	}
	if (psci_cpu_on(1, 1) != PSCI_SUCCESS)
		TEST_FAIL("overstay_cpu_on", "vcpu1 did not start");
	udelay(200000); /* vCPU 1 in its WFIT */
	printf("hostile_overstay: vcpu1 waits %u ms with its kick held off; SYSTEM_RESET\n",
	       OVERSTAY_MS);
	hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		;
	return 0;
}
