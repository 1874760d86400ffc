/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_GUEST_RTC_H
#define BULKHEAD_GUEST_RTC_H

/*
 * QEMU virt's PL031 RTC (Arm DDI 0224) at 0x09010000, SPI 2 = INTID 34, for
 * the guests that own it (vgic_rtc, vgic_rtc_hold): its alarm is a level
 * interrupt that stays asserted until cleared (RTCICR) or masked (RTCIMSC).
 */
#include <stdint.h>
#include "gic.h"

#define RTC_BASE 0x09010000UL
#define RTCDR	 0x000
#define RTCMR	 0x004
#define RTCCR	 0x00c
#define RTCIMSC	 0x010
#define RTCMIS	 0x018
#define RTCICR	 0x01c
#define RTC_SPI	 34

static inline uint32_t rtc_read(uint32_t off)
{
	return *(volatile uint32_t *)(RTC_BASE + off);
}

static inline void rtc_write(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(RTC_BASE + off) = v;
}

/* The alarm @seconds (whole ticks of RTCDR) ahead: in @seconds - 1 to @seconds s. */
static inline void rtc_arm_alarm(uint32_t seconds)
{
	rtc_write(RTCCR, 1);
	rtc_write(RTCICR, 1);
	rtc_write(RTCMR, rtc_read(RTCDR) + seconds);
	rtc_write(RTCIMSC, 1);
}

/* After gic_init() and gic_cpu_init(): INTID 34 to vCPU 0 at priority 0x80, enabled, IRQs unmasked.
 */
static inline void rtc_irq_start(void)
{
	gic_irq_set_priority(RTC_SPI, 0x80);
	gic_irq_set_target(RTC_SPI, 0);
	gic_irq_enable(RTC_SPI);
	irq_unmask();
}

/* rtc_irq_start(), and the alarm @seconds ahead. */
static inline void rtc_alarm_start(uint32_t seconds)
{
	rtc_irq_start();
	rtc_arm_alarm(seconds);
}

#endif
