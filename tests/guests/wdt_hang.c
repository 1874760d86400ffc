// SPDX-License-Identifier: GPL-2.0-only
/*
 * wdt_hang: on its first boot, kicks Bulkhead's watchdog a few times, then
 * hangs with every interrupt masked. Its layout's watchdog must restart it;
 * on the next boot it prints the counter again (it is global across restarts:
 * the cell's memory is not), so the test measures last kick to restart.
 * Built with WDT_HANG_PMR (wdt_hang_pmr.c) it hangs with its priority mask
 * at 0 too, the most a guest can mask: the watchdog's timer and the
 * hypervisor's kick must still reach its CPU.
 */
#include "test.h"

#define HC_WDT_KICK 0xc6000002u

int main(void *dtb)
{
	struct smccc_res info = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0);
	unsigned int i;

	(void)dtb;
	sleep_init();
	printf("boot %lu at tick %lu (freq %lu)\n", (unsigned long)info.a3,
	       (unsigned long)timer_now(), (unsigned long)timer_freq());
	if (info.a3 >= 2) {
		TEST_PASS("wdt_restarted");
		for (i = 0;; i++) {
			hvc_call(HC_WDT_KICK, 0, 0, 0);
			printf("heartbeat %u\n", i);
			sleep_us(100000);
		}
	}
	for (i = 0; i < 5; i++) {
		hvc_call(HC_WDT_KICK, 0, 0, 0);
		sleep_us(100000);
	}
	hvc_call(HC_WDT_KICK, 0, 0, 0);
#ifdef WDT_HANG_PMR
	__asm__ volatile("msr icc_pmr_el1, xzr\n\tisb" ::: "memory");
	printf("ICC_PMR_EL1 0x%lx\n", (unsigned long)read_sysreg(icc_pmr_el1));
#endif
	printf("last kick at tick %lu; hanging with interrupts masked\n",
	       (unsigned long)timer_now());
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		;
	return 0;
}
