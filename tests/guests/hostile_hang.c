// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_hang (battery g): loops forever with every interrupt masked. Boot 1
 * kicks the watchdog a few times first, so its layout's watchdog
 * (layouts/hostile-wdt.dts, restart) must restart it; boot 2 hangs at once,
 * and the scenario stops it from the hypervisor shell before the watchdog
 * fires again. The victim must not notice either.
 */
#include "hostile.h"

#define HC_WDT_KICK 0xc6000002u

static void hang(void) __attribute__((noreturn));
static void hang(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		;
}

int main(void *dtb)
{
	struct smccc_res info = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0);
	unsigned int i;

	(void)dtb;
	printf("hostile_hang: boot %lu\n", (unsigned long)info.a3);
	if (info.a3 == 1) {
		for (i = 0; i < 3; i++) {
			hvc_call(HC_WDT_KICK, 0, 0, 0);
			udelay(100000);
		}
	}
	printf("hostile_hang: boot %lu hanging with interrupts masked\n", (unsigned long)info.a3);
	hang();
	return 0;
}
