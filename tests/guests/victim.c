// SPDX-License-Identifier: GPL-2.0-only
/*
 * victim: the bystander of the hostile-guest battery (tests/scenarios/
 * test_hostile.py). Every vCPU of its cell takes its own EL1 virtual timer at
 * TICK_HZ and counts every other interrupt as unexpected: it enables all 16
 * SGIs and the PL031's SPI (INTID 34, which its layout gives it and which it
 * never arms), and sends nothing. The boot vCPU fills a canary page of its
 * RAM and, every BEAT_US, checks it and prints
 *     heartbeat N unexpected U ticks T0/T1 canary ok
 * (T = each vCPU's timer count: a victim whose timer or GIC a neighbour broke
 * stops ticking). A changed canary prints "canary CHANGED ..." and a FAIL.
 * The canary page is IPA 0x40100000, PA 0x4c100000 in layouts/hostile.dts.
 */
#include "gic.h"
#include "test.h"

#define CANARY_IPA   0x40100000UL
#define CANARY_WORDS (4096 / 8)
#define BEAT_US	     100000
#define TICK_HZ	     100
#define PL031_INTID  34
#define VCPUS	     2

#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

extern char _end[] __attribute__((visibility("hidden")));

static volatile uint32_t ticks[GUEST_MAX_CPUS];
static volatile uint32_t unexpected;
static volatile uint32_t last_unexpected_intid;
static uint64_t period;

static uint64_t pattern(unsigned int i)
{
	return 0xbad0c0de00000000UL | ((uint64_t)i * 0x9e3779b1u);
}

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar, intid;

	(void)frame;
	while ((intid = gic_iar_intid(iar = gic_ack())) < 1020) {
		if (intid == GIC_INTID_VTIMER) {
			ticks[guest_cpu_id()]++;
			write_sysreg(read_sysreg(cntv_cval_el0) + period, cntv_cval_el0);
			__asm__ volatile("isb" ::: "memory");
		} else {
			unexpected++;
			last_unexpected_intid = intid;
		}
		gic_eoi(iar);
	}
	return true;
}

static void cpu_setup(void)
{
	unsigned int i;

	gic_cpu_init();
	for (i = 0; i < 16; i++)
		gic_irq_enable(i);
	gic_irq_enable(GIC_INTID_VTIMER);
	write_sysreg(read_sysreg(cntvct_el0) + period, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0); /* ENABLE, not masked */
	irq_unmask();
}

void secondary_main(unsigned int cpu)
{
	(void)cpu;
	cpu_setup();
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
}

/* The first changed word, or -1. */
static int canary_check(uint64_t *got)
{
	volatile uint64_t *page = (volatile uint64_t *)CANARY_IPA;
	unsigned int i;

	for (i = 0; i < CANARY_WORDS; i++) {
		*got = page[i];
		if (*got != pattern(i))
			return (int)i;
	}
	return -1;
}

int main(void *dtb)
{
	volatile uint64_t *page = (volatile uint64_t *)CANARY_IPA;
	unsigned int i, beat;
	uint64_t got;
	int bad, rc;

	(void)dtb;
	if ((uintptr_t)_end > CANARY_IPA) {
		TEST_FAIL("victim", "image ends at %p, over the canary page", (void *)_end);
		return 0;
	}
	for (i = 0; i < CANARY_WORDS; i++)
		page[i] = pattern(i);
	dmb();
	period = timer_freq() / TICK_HZ;
	gic_init();
	gic_irq_set_target(PL031_INTID, 0);
	gic_irq_enable(PL031_INTID);
	cpu_setup();
	for (i = 1; i < VCPUS; i++) {
		rc = psci_cpu_on(i, i);
		if (rc != PSCI_SUCCESS)
			TEST_FAIL("victim", "CPU_ON %u: %d", i, rc);
	}
	printf("victim: GICv%d, %u vCPUs, canary at IPA 0x%lx\n", gic_version(), VCPUS, CANARY_IPA);
	for (beat = 1;; beat++) {
		bad = canary_check(&got);
		if (bad >= 0) {
			printf("canary CHANGED: word %d is 0x%lx, expected 0x%lx\n", bad, got,
			       pattern((unsigned int)bad));
			TEST_FAIL("victim_canary", "page 0x%lx changed under the cell", CANARY_IPA);
			for (;;)
				udelay(BEAT_US);
		}
		if (unexpected)
			printf("unexpected interrupt: INTID %u\n", last_unexpected_intid);
		printf("heartbeat %u unexpected %u ticks %u/%u canary ok\n", beat, unexpected,
		       ticks[0], ticks[1]);
		udelay(BEAT_US);
	}
	return 0;
}
