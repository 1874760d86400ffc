// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_rtc_hold: takes the alarm of the RTC it owns (INTID 34, level) and
 * keeps it active, as a handler still running would: no EOI, the alarm not
 * cleared, so the RTC keeps asserting it. Then "heartbeat N got M" (M: times
 * INTID 34 was taken, which stays 1: an active interrupt is not signalled
 * again) forever. The target of tests/scenarios/test_direct.py's
 * neighbour that deactivates it behind this cell's back.
 */
#include "rtc.h"
#include "test.h"

#define BEAT_US 200000

static volatile uint32_t got;

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar = gic_ack();

	(void)frame;
	if (gic_iar_intid(iar) == RTC_SPI)
		got++; /* no EOI: it stays active, the RTC keeps asserting it */
	else if (gic_iar_intid(iar) < 1020)
		gic_eoi(iar);
	return true;
}

int main(void *dtb)
{
	unsigned int beat;

	(void)dtb;
	gic_init();
	gic_cpu_init();
	rtc_alarm_start(1);
	while (!got)
		__asm__ volatile("wfi" ::: "memory");
	printf("vgic_rtc_hold: INTID %u taken and held active\n", RTC_SPI);
	for (beat = 1;; beat++) {
		printf("heartbeat %u got %u\n", beat, got);
		udelay(BEAT_US);
	}
	return 0;
}
