// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_timer: every vCPU of the cell takes its EL1 virtual timer (PPI 11,
 * INTID 27) and physical timer (PPI 14, INTID 30) at TIMER_HZ each, through
 * the vGIC, and counts the interrupts whose deadline fell in a WINDOW_MS
 * window (after WARMUP_MS). Each deadline is the last one plus the period
 * (CVAL += period), so a late interrupt is still one interrupt and the
 * expected count is exact. Latency = counter at the handler - deadline.
 * Prints, per vCPU:
 *   TEST timer_vcpuN PASS|FAIL count=V,P expected=E maxlat_us=L
 * then "latency max_us=L" over the cell and TEST vgic_timer.
 */
#include "gic.h"
#include "test.h"

#define TIMER_HZ	  100
#define WARMUP_MS	  200
#define WINDOW_MS	  500
#define TOLERANCE_PERCENT 5
#define CNT_CTL_ENABLE	  1u

struct timer_state {
	volatile uint32_t count[2]; /* virtual, physical */
	volatile uint64_t maxlat;   /* counter ticks */
	volatile uint32_t other;    /* interrupts that were neither timer */
	volatile bool done;
	uint64_t start, end, period;
};

static struct timer_state st[GUEST_MAX_CPUS];

#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static void timer_tick(struct timer_state *s, unsigned int which, uint64_t cval, uint64_t now)
{
	uint64_t lat = now > cval ? now - cval : 0;

	if (cval >= s->start && cval < s->end) {
		s->count[which]++;
		if (lat > s->maxlat)
			s->maxlat = lat;
	}
}

bool guest_irq(struct exception_frame *frame)
{
	struct timer_state *s = &st[guest_cpu_id()];
	uint32_t iar, intid;
	uint64_t cval;

	(void)frame;
	for (;;) {
		iar = gic_ack();
		intid = gic_iar_intid(iar);
		if (intid >= 1020)
			break;
		if (intid == GIC_INTID_VTIMER) {
			cval = read_sysreg(cntv_cval_el0);
			timer_tick(s, 0, cval, read_sysreg(cntvct_el0));
			write_sysreg(cval + s->period, cntv_cval_el0);
		} else if (intid == GIC_INTID_PTIMER) {
			cval = read_sysreg(cntp_cval_el0);
			timer_tick(s, 1, cval, read_sysreg(cntpct_el0));
			write_sysreg(cval + s->period, cntp_cval_el0);
		} else {
			s->other++;
		}
		__asm__ volatile("isb" ::: "memory");
		gic_eoi(iar);
	}
	return true;
}

static void run_timers(unsigned int cpu)
{
	struct timer_state *s = &st[cpu];
	uint64_t freq = timer_freq(), now, expected = WINDOW_MS * TIMER_HZ / 1000;
	uint32_t v, p;
	char name[24];

	gic_cpu_init();
	/* 0xf0: the lowest level a 5-bit CPU interface (QEMU's) delivers unmasked. */
	gic_irq_set_priority(GIC_INTID_VTIMER, 0xf0);
	gic_irq_set_priority(GIC_INTID_PTIMER, 0x80);
	gic_irq_enable(GIC_INTID_VTIMER);
	gic_irq_enable(GIC_INTID_PTIMER);
	s->period = freq / TIMER_HZ;
	now = timer_now();
	s->start = now + WARMUP_MS * freq / 1000;
	s->end = s->start + WINDOW_MS * freq / 1000;
	write_sysreg(now + s->period, cntv_cval_el0);
	write_sysreg(CNT_CTL_ENABLE, cntv_ctl_el0);
	write_sysreg(read_sysreg(cntpct_el0) + s->period, cntp_cval_el0);
	write_sysreg(CNT_CTL_ENABLE, cntp_ctl_el0);
	irq_unmask();
	/*
	 * Until both timers' deadlines passed the window (each late interrupt is
	 * still counted), at most 2 s more. WFI: woken by the virtual interrupt
	 * in a list register, not trapped.
	 */
	while ((read_sysreg(cntv_cval_el0) < s->end || read_sysreg(cntp_cval_el0) < s->end) &&
	       timer_now() < s->end + 2 * freq)
		__asm__ volatile("wfi" ::: "memory");
	irq_mask();
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	v = s->count[0];
	p = s->count[1];
	if (v * 100 >= expected * (100 - TOLERANCE_PERCENT) &&
	    v * 100 <= expected * (100 + TOLERANCE_PERCENT) &&
	    p * 100 >= expected * (100 - TOLERANCE_PERCENT) &&
	    p * 100 <= expected * (100 + TOLERANCE_PERCENT) && !s->other)
		printf("TEST timer_vcpu%u PASS count=%u,%u expected=%lu maxlat_us=%lu\n", cpu, v, p,
		       expected, s->maxlat * 1000000 / freq);
	else {
		snprintf(name, sizeof(name), "timer_vcpu%u", cpu);
		TEST_FAIL(name, "count=%u,%u expected=%lu other=%u", v, p, expected, s->other);
	}
	dmb();
	s->done = true;
}

void secondary_main(unsigned int cpu)
{
	run_timers(cpu);
}

int main(void *dtb)
{
	bool started[GUEST_MAX_CPUS] = { false };
	unsigned int cpu, n = 1;
	uint64_t maxlat = 0, end;

	(void)dtb;
	gic_init();
	printf("vgic_timer: GICv%d\n", gic_version());
	for (cpu = 1; cpu < GUEST_MAX_CPUS; cpu++)
		if (psci_cpu_on(cpu, cpu) == PSCI_SUCCESS)
			started[cpu] = true;
	run_timers(0);
	end = timer_now() + 2 * timer_freq();
	for (cpu = 1; cpu < GUEST_MAX_CPUS; cpu++) {
		if (!started[cpu])
			continue;
		while (!st[cpu].done && timer_now() < end)
			;
		n++;
	}
	for (cpu = 0; cpu < GUEST_MAX_CPUS; cpu++)
		if ((cpu == 0 || started[cpu]) && st[cpu].maxlat > maxlat)
			maxlat = st[cpu].maxlat;
	printf("latency max_us=%lu vcpus=%u\n", maxlat * 1000000 / timer_freq(), n);
	TEST_PASS("vgic_timer");
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
	return 0;
}
