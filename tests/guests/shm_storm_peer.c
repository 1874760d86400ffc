// SPDX-License-Identifier: GPL-2.0-only
/*
 * shm_storm_peer (cell beta, beside shm_storm): takes its EL1 virtual timer
 * at TIMER_HZ and region 0's doorbell while alpha rings it in a tight loop,
 * and counts the timer interrupts it takes in a WINDOW_MS window (after
 * WARMUP_MS; each deadline is the last plus the period). Counted: deadlines
 * inside the window taken inside it, so a timer starved at the end shows as a
 * short count, and a backlog from the warm-up (deadlines before the window,
 * caught up in it) is not counted as extra ticks. The doorbell storm must not
 * cost the timer more than TOLERANCE_PERCENT.
 *   TEST shm_storm_timer PASS count=N expected=N doorbells=N maxlat_us=N
 */
#include "shm_common.h"

#define TIMER_HZ	  1000
#define WARMUP_MS	  300
#define WINDOW_MS	  1000
#define TOLERANCE_PERCENT 5

#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static volatile uint32_t ticks, doorbells, others;
static volatile uint64_t maxlat;
static uint64_t start, end, period;

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar, intid;
	uint64_t cval, now;

	(void)frame;
	while ((intid = gic_iar_intid(iar = gic_ack())) < 1020) {
		if (intid == GIC_INTID_VTIMER) {
			cval = read_sysreg(cntv_cval_el0);
			now = read_sysreg(cntvct_el0);
			if (cval >= start && now < end) {
				ticks++;
				if (now - cval > maxlat)
					maxlat = now - cval;
			}
			write_sysreg(cval + period, cntv_cval_el0);
			__asm__ volatile("isb" ::: "memory");
		} else if (intid == SHM_DOORBELL_INTID) {
			doorbells++;
		} else {
			others++;
		}
		gic_eoi(iar);
	}
	return true;
}

int main(void *dtb)
{
	struct mailbox *mb = (struct mailbox *)SHM0_IPA;
	uint64_t freq = timer_freq(), now, expected = WINDOW_MS * TIMER_HZ / 1000;
	uint32_t n;

	(void)dtb;
	gic_init();
	gic_cpu_init();
	gic_irq_set_priority(GIC_INTID_VTIMER, 0x80);
	gic_irq_set_priority(SHM_DOORBELL_INTID, 0x80);
	gic_irq_enable(GIC_INTID_VTIMER);
	gic_irq_enable(SHM_DOORBELL_INTID);
	period = freq / TIMER_HZ;
	now = timer_now();
	start = now + WARMUP_MS * freq / 1000;
	end = start + WINDOW_MS * freq / 1000;
	write_sysreg(now + period, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	irq_unmask();
	mb->ready = SHM_READY_MAGIC;
	dsb();
	while (timer_now() < end)
		wfi();
	irq_mask();
	write_sysreg(0, cntv_ctl_el0);
	n = ticks;
	if (n * 100 >= expected * (100 - TOLERANCE_PERCENT) &&
	    n * 100 <= expected * (100 + TOLERANCE_PERCENT) && doorbells && !others)
		printf("TEST shm_storm_timer PASS count=%u expected=%lu doorbells=%u "
		       "maxlat_us=%lu\n",
		       n, expected, doorbells, maxlat * 1000000 / freq);
	else
		TEST_FAIL("shm_storm_timer", "count=%u expected=%lu doorbells=%u other=%u", n,
			  expected, doorbells, others);
	guest_park();
}
