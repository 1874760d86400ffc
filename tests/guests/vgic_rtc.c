// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_rtc: a passed-through device interrupt. The cell owns QEMU virt's
 * PL031 RTC (0x09010000, SPI 2 = INTID 34): route it to vCPU 0, enable it,
 * set the match register to RTCDR + 2 (1-2 s ahead: after the other cell's
 * attack of vgic_foreign), unmask the alarm and wait for the interrupt.
 *   TEST rtc_irq PASS after_ms=N     (spurious: taken with RTCMIS clear)
 * then "heartbeat N" forever.
 */
#include "rtc.h"
#include "test.h"

#define WAIT_MS 4000
#define BEAT_US 100000

static volatile uint32_t alarms, spurious, other;

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar, intid;

	(void)frame;
	while ((intid = gic_iar_intid(iar = gic_ack())) < 1020) {
		if (intid == RTC_SPI) {
			if (rtc_read(RTCMIS) & 1) {
				rtc_write(RTCIMSC, 0); /* one alarm is all we want */
				rtc_write(RTCICR, 1);
				alarms++;
			} else {
				spurious++;
			}
		} else {
			other++;
		}
		gic_eoi(iar);
	}
	return true;
}

int main(void *dtb)
{
	uint64_t start, end;

	(void)dtb;
	gic_init();
	gic_cpu_init();
	rtc_alarm_start(2);
	start = timer_now();
	printf("vgic_rtc: GICv%d, alarm armed\n", gic_version());
	end = start + WAIT_MS * timer_freq() / 1000;
	while (!alarms && timer_now() < end)
		__asm__ volatile("wfi" ::: "memory");
	if (alarms == 1 && !spurious && !other)
		printf("TEST rtc_irq PASS after_ms=%lu\n",
		       (timer_now() - start) * 1000 / timer_freq());
	else
		TEST_FAIL("rtc_irq", "alarms %u spurious %u other %u after %u ms", alarms, spurious,
			  other, WAIT_MS);
	heartbeat_forever(1, BEAT_US, udelay);
}
