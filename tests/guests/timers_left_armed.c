// SPDX-License-Identifier: GPL-2.0-only
/*
 * timers_left_armed: both EL1 timers (virtual, physical) armed to fire
 * ARMED_S seconds after boot, their interrupts unmasked in CNTx_CTL_EL0 but
 * never enabled in the GIC, and the boot vCPU waiting for the deadline in
 * WFI. For a scenario that stops the cell before it: the timers then fire at
 * EL2 on a CPU that runs no vCPU, where they must be switched off, not taken
 * over and over (docs/vgic.md, "Timers").
 *   timers armed, due in N s
 *   deadline passed, still running     (the cell was not stopped in time)
 */
#include "test.h"

#define ARMED_S	       3
#define CNT_CTL_ENABLE 1UL

int main(void *dtb)
{
	uint64_t delta = ARMED_S * timer_freq();
	uint64_t vdue = timer_now() + delta;

	(void)dtb;
	__asm__ volatile("msr cntv_cval_el0, %0" : : "r"(vdue));
	__asm__ volatile("msr cntp_cval_el0, %0" : : "r"(read_sysreg(cntpct_el0) + delta));
	__asm__ volatile("msr cntv_ctl_el0, %0" : : "r"(CNT_CTL_ENABLE));
	__asm__ volatile("msr cntp_ctl_el0, %0\n\tisb" : : "r"(CNT_CTL_ENABLE) : "memory");
	printf("timers armed, due in %u s\n", ARMED_S);
	/* The hypervisor ends a trapped WFI after 10 ms at most (docs/traps.md). */
	while (timer_now() < vdue)
		__asm__ volatile("wfi" ::: "memory");
	printf("deadline passed, still running\n");
	guest_park();
}
