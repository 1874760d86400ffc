// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_rtc_drop: a passed-through interrupt the guest throws away before
 * taking it must still come the next time its device raises it. The RTC the
 * cell owns (INTID 34) raises its alarm while the guest cannot take it; the
 * guest clears the alarm, drops the interrupt through the distributor, as a
 * driver discarding a stale one does, and arms a second alarm, which must be
 * delivered, three times:
 *   TEST drop_icpendr  disabled in the distributor, edge: GICD_ICPENDR
 *   TEST drop_icfgr    disabled, level (pending by its line): made edge in GICD_ICFGR
 *   TEST drop_listed   enabled, edge, masked at the CPU (PSTATE.I), so waiting in a
 *                      list register: GICD_ICPENDR
 * then "heartbeat N" forever. The hypervisor leaves the physical interrupt
 * active for the guest's deactivation through a list register, which a
 * dropped one never reaches: the hypervisor must end it itself. After the
 * last drop the distributor is not written again before the second alarm.
 */
#include "rtc.h"
#include "test.h"

#define WAIT_MS	   3000 /* an alarm 1 s ahead comes within 1 s */
#define BEAT_US	   100000
#define RTC_BIT	   (1u << (RTC_SPI % 32))
#define RTC_BANK   ((RTC_SPI / 32) * 4)
#define ICFGR_WORD (GICD_ICFGR + (RTC_SPI / 16) * 4)
#define ICFGR_EDGE (2u << ((RTC_SPI % 16) * 2))

static volatile uint32_t alarms, spurious;
static unsigned int failed;

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar, intid;

	(void)frame;
	while ((intid = gic_iar_intid(iar = gic_ack())) < 1020) {
		if (intid == RTC_SPI && (rtc_read(RTCMIS) & 1)) {
			rtc_write(RTCIMSC, 0);
			rtc_write(RTCICR, 1);
			alarms++;
		} else {
			spurious++;
		}
		gic_eoi(iar);
	}
	return true;
}

static bool wait_ms(volatile uint32_t *what, uint32_t want, unsigned int ms)
{
	uint64_t end = timer_now() + ms * timer_freq() / 1000;

	while (*what < want && timer_now() < end)
		;
	return *what >= want;
}

static bool pending(void)
{
	return gic_dist_read32(GICD_ISPENDR + RTC_BANK) & RTC_BIT;
}

static void set_edge(bool edge)
{
	uint32_t cfg = gic_dist_read32(ICFGR_WORD);

	gic_dist_write32(ICFGR_WORD, edge ? cfg | ICFGR_EDGE : cfg & ~ICFGR_EDGE);
}

/*
 * The alarm goes off unseen: wait for it at the RTC, then for the vGIC to
 * show INTID 34 pending (it was forwarded), then clear the alarm.
 */
static const char *alarm_unseen(void)
{
	uint64_t end;

	rtc_arm_alarm(1);
	end = timer_now() + WAIT_MS * timer_freq() / 1000;
	while (!(rtc_read(RTCMIS) & 1) && timer_now() < end)
		;
	if (!(rtc_read(RTCMIS) & 1))
		return "the first alarm never went off";
	/* A bound only, never waited out when it comes (it was 100 ms: short for a loaded host). */
	end = timer_now() + WAIT_MS * timer_freq() / 1000;
	while (!pending() && timer_now() < end)
		;
	if (!pending())
		return "the first alarm's interrupt never showed pending in GICD_ISPENDR";
	rtc_write(RTCIMSC, 0);
	rtc_write(RTCICR, 1);
	return NULL;
}

/*
 * Dropped, nothing pending: the second alarm must be delivered, once. With
 * @enable INTID 34 is enabled first; without, the distributor is not written
 * again after the drop.
 */
static void second_alarm(const char *name, const char *err, bool enable)
{
	uint32_t before = alarms;

	if (!err && pending())
		err = "still pending after it was dropped";
	if (!err) {
		if (enable)
			gic_irq_enable(RTC_SPI);
		irq_unmask();
		udelay(10000);
		if (alarms != before)
			err = "delivered after it was dropped";
	}
	if (!err) {
		rtc_arm_alarm(1);
		if (!wait_ms(&alarms, before + 1, WAIT_MS))
			err = "the second alarm was never delivered";
	}
	irq_mask();
	gic_irq_disable(RTC_SPI);
	rtc_write(RTCIMSC, 0);
	rtc_write(RTCICR, 1);
	if (err || spurious) {
		failed++;
		TEST_FAIL(name, "%s (alarms %u, spurious %u)", err ? err : "spurious", alarms,
			  spurious);
	} else {
		TEST_PASS(name);
	}
}

int main(void *dtb)
{
	const char *err;

	(void)dtb;
	gic_init();
	gic_cpu_init();
	gic_irq_set_priority(RTC_SPI, 0x80);
	gic_irq_set_target(RTC_SPI, 0);
	printf("vgic_rtc_drop: GICv%d\n", gic_version());

	/* Disabled, edge: pending by its latch, which GICD_ICPENDR clears. */
	set_edge(true);
	err = alarm_unseen();
	if (!err)
		gic_dist_write32(GICD_ICPENDR + RTC_BANK, RTC_BIT);
	second_alarm("drop_icpendr", err, true);

	/* Disabled, level: pending by its line, until GICD_ICFGR makes it edge. */
	set_edge(false);
	err = alarm_unseen();
	if (!err)
		set_edge(true);
	second_alarm("drop_icfgr", err, true);

	/* Enabled, edge, but IRQs masked: in a list register of this vCPU when dropped. */
	set_edge(true);
	gic_irq_enable(RTC_SPI);
	err = alarm_unseen();
	if (!err)
		gic_dist_write32(GICD_ICPENDR + RTC_BANK, RTC_BIT);
	second_alarm("drop_listed", err, false);

	if (failed)
		TEST_FAIL("vgic_rtc_drop", "%u of 3 failed", failed);
	else
		TEST_PASS("vgic_rtc_drop");
	heartbeat_forever(1, BEAT_US, udelay);
}
