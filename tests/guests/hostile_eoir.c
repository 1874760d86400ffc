// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_eoir (direct interrupt mode): ends interrupts it never took.
 * Its ICC_EOIR1_EL1 is the physical one and cannot be trapped; with
 * EOImode 0 an EOI also deactivates the INTID it names, here 34, the RTC
 * of the emulated neighbour (vgic_rtc_hold), which holds it active. For
 * the EOI to be accepted at all a Group 1 priority must be active: each
 * write of ICC_AP1R0_EL1 makes the lowest one so. After START_DELAY_US
 * (the neighbour has taken its alarm), ATTACK_S seconds of it; then
 * "hostile eoir done" and "alive N".
 */
#include "hostile.h"

#define START_DELAY_US 3000000
#define ATTACK_S       2
#define TARGET_INTID   34

int main(void *dtb)
{
	uint64_t end, n = 0;

	(void)dtb;
	udelay(START_DELAY_US);
	printf("hostile_eoir: ending INTID %u for %u s\n", TARGET_INTID, ATTACK_S);
	end = timer_now() + ATTACK_S * timer_freq();
	while (timer_now() < end) {
		write_sysreg(1u << 31, s3_0_c12_c9_0);	    /* ICC_AP1R0_EL1 */
		write_sysreg(TARGET_INTID, s3_0_c12_c12_1); /* ICC_EOIR1_EL1 */
		__asm__ volatile("isb");
		n++;
	}
	printf("hostile_eoir: %lu EOIs\n", (unsigned long)n);
	hostile_done("eoir");
}
