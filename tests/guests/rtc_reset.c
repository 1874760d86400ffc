// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtc_reset: a passed-through level interrupt still asserted when the cell
 * restarts. Bulkhead does not reset the devices a cell owns, so the PL031's
 * alarm (INTID 34) raised in one boot is raised in the next, and its
 * physical SPI fires again as soon as the reload enables it. vCPU1 asks for
 * the reset (SYSTEM_RESET), so vCPU0's CPU waits in the hypervisor meanwhile,
 * interrupts unmasked: an SPI it took before the cell was running again was
 * switched off for the whole boot, and the alarm never reached the guest.
 * Each boot enables INTID 34 at its vGIC and must take it within WAIT_MS;
 * it then disables it there (the RTC's line stays high) and vCPU1 resets.
 * Boot RTC_RESET_BOOTS prints "TEST rtc_reset PASS boots=N" and beats.
 *   TEST rtc_reset FAIL ... names the boot that waited in vain.
 */
#include "rtc.h"
#include "test.h"

#define RTC_RESET_BOOTS	  30
#define WAIT_MS		  1500
#define PSCI_SYSTEM_RESET 0x84000009u

static volatile uint32_t alarms, other;

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar, intid;

	(void)frame;
	while ((intid = gic_iar_intid(iar = gic_ack())) < 1020) {
		if (intid == RTC_SPI) {
			/* Off at the vGIC only: the alarm stays raised for the next boot. */
			gic_irq_disable(RTC_SPI);
			alarms++;
		} else {
			other++;
		}
		gic_eoi(iar);
	}
	return true;
}

void secondary_main(unsigned int cpu)
{
	(void)cpu;
	hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	TEST_FAIL("rtc_reset", "SYSTEM_RESET from vcpu1 returned");
	for (;;)
		udelay(100000);
}

int main(void *dtb)
{
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;
	uint64_t start, end;

	(void)dtb;
	gic_init();
	gic_cpu_init();
	start = timer_now();
	if (boot == 1) {
		rtc_alarm_start(1);
	} else {
		if (!(rtc_read(RTCMIS) & 1))
			TEST_FAIL("rtc_reset", "boot %lu: the RTC's alarm is not raised",
				  (unsigned long)boot);
		rtc_irq_start();
	}
	end = start + WAIT_MS * timer_freq() / 1000;
	while (!alarms && timer_now() < end) /* no WFI: nothing else would wake it */
		udelay(1000);
	if (alarms != 1 || other)
		TEST_FAIL("rtc_reset", "boot %lu: %u alarm(s), %u other interrupt(s) in %u ms",
			  (unsigned long)boot, alarms, other, WAIT_MS);
	if (boot < RTC_RESET_BOOTS) {
		psci_cpu_on(1, 1);
		for (;;)
			__asm__ volatile("wfi" ::: "memory");
	}
	printf("TEST rtc_reset PASS boots=%lu\n", (unsigned long)boot);
	heartbeat_forever(0, 200000, udelay);
}
