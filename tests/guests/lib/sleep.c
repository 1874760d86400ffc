// SPDX-License-Identifier: GPL-2.0-only
/*
 * Waiting idle. udelay() spins, which costs a host core per waiting vCPU
 * and, under -icount, a host instruction per nanosecond waited. sleep_us()
 * waits in WFI instead, woken by the EL1 virtual timer with interrupts masked
 * in PSTATE, so no handler runs: QEMU then sleeps the vCPU, or under
 * -icount sleep=off skips the idle time. For guests that take no interrupts
 * of their own: whatever the CPU interface holds on waking is acknowledged.
 */
#include "gic.h"
#include "guest.h"

#define CNT_CTL_ENABLE		(1u << 0)
#define GIC_INTID_FIRST_SPECIAL 1020 /* 1020-1023: nothing was acknowledged */

void sleep_init(void)
{
	gic_init();
	sleep_cpu_init();
}

void sleep_cpu_init(void)
{
	gic_cpu_init();
	gic_irq_enable(GIC_INTID_VTIMER);
}

/*
 * The timer's interrupt can be pending, or already listed by a hypervisor,
 * after the timer is off: taken here, it cannot end the next WFI at once.
 */
static void ack_pending(void)
{
	uint32_t iar;

	while (gic_iar_intid(iar = gic_ack()) < GIC_INTID_FIRST_SPECIAL)
		gic_eoi(iar);
}

void sleep_us(uint64_t us)
{
	uint64_t end = timer_now() + us * timer_freq() / 1000000;

	irq_mask();
	__asm__ volatile("msr cntv_cval_el0, %0" : : "r"(end));
	__asm__ volatile("msr cntv_ctl_el0, %0\n\tisb"
			 :
			 : "r"((uint64_t)CNT_CTL_ENABLE)
			 : "memory");
	while (timer_now() < end)
		__asm__ volatile("wfi" ::: "memory");
	__asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb" ::: "memory");
	ack_pending();
}
