// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_cpu_off: a vCPU that turns itself off inside its timer's handler, the
 * interrupt acknowledged and never EOIed, finds at its next CPU_ON what a
 * CPU powered up afresh has: its timer delivered again, neither held off by
 * the priority it left active nor left active itself. vCPU 1 does it ROUNDS
 * times, vCPU 0 turns it on again each time. The timer's priority stays
 * 0x80: a priority left active holds it off. Prints, per round,
 *   round N: timer taken|missed
 * then TEST vgic_cpu_off PASS|FAIL.
 */
#include "gic.h"
#include "test.h"

#define ROUNDS		 4
#define TIMER_PRIORITY	 0x80
#define CNT_CTL_ENABLE	 1u
#define PSCI_AFFINITY_ON 0

/*
 * vCPU 1's wait for its timer, due at once: a bound only, for a FAIL line; a
 * passing round never waits it out. At 100 ms a loaded host (QEMU's timer
 * thread or vCPU 1's own left unrun) could end it before a timer that did
 * come.
 */
#define WAIT_MS 2000

#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

struct round {
	volatile bool taken; /* the timer's interrupt reached the handler */
	volatile bool done;  /* the vCPU is about to turn itself off */
};

static struct round rounds[ROUNDS];
static volatile unsigned int round_now;
static volatile uint32_t others;

static uint64_t ms_to_ticks(uint64_t ms)
{
	return ms * timer_freq() / 1000;
}

static void turn_off(struct round *r)
{
	r->done = true;
	dmb();
	psci_cpu_off();
	TEST_FAIL("vgic_cpu_off", "CPU_OFF returned");
	guest_park();
}

/* The timer's interrupt is acknowledged and kept active: the vCPU goes off inside it. */
bool guest_irq(struct exception_frame *frame)
{
	struct round *r = &rounds[round_now];
	uint32_t iar = gic_ack();

	(void)frame;
	if (gic_iar_intid(iar) != GIC_INTID_VTIMER) {
		if (gic_iar_intid(iar) < 1020) {
			others++;
			gic_eoi(iar);
		}
		return true;
	}
	r->taken = true;
	turn_off(r);
	return true;
}

void secondary_main(unsigned int cpu)
{
	struct round *r = &rounds[round_now];
	uint64_t limit;

	(void)cpu;
	gic_cpu_init();
	gic_irq_set_priority(GIC_INTID_VTIMER, TIMER_PRIORITY);
	gic_irq_enable(GIC_INTID_VTIMER);
	write_sysreg(timer_now(), cntv_cval_el0);
	write_sysreg(CNT_CTL_ENABLE, cntv_ctl_el0);
	irq_unmask();
	limit = timer_now() + ms_to_ticks(WAIT_MS);
	while (timer_now() < limit)
		;
	irq_mask();
	turn_off(r); /* missed: off all the same, for the next round */
}

static bool run_round(unsigned int n)
{
	struct round *r = &rounds[n];
	uint64_t limit;

	round_now = n;
	dmb();
	if (psci_cpu_on(1, 1)) {
		TEST_FAIL("vgic_cpu_off", "round %u: CPU_ON of vCPU 1 refused", n);
		return false;
	}
	limit = timer_now() + ms_to_ticks(2 * WAIT_MS);
	while ((!r->done || psci_affinity_info(1) == PSCI_AFFINITY_ON) && timer_now() < limit)
		;
	printf("round %u: timer %s\n", n, r->taken ? "taken" : "missed");
	if (!r->done) {
		TEST_FAIL("vgic_cpu_off", "round %u: vCPU 1 did not turn itself off", n);
		return false;
	}
	if (!r->taken) {
		TEST_FAIL("vgic_cpu_off", "round %u: its timer never came", n);
		return false;
	}
	return true;
}

int main(void *dtb)
{
	unsigned int n;

	(void)dtb;
	gic_init();
	for (n = 0; n < ROUNDS; n++)
		if (!run_round(n))
			break;
	if (n == ROUNDS && others)
		TEST_FAIL("vgic_cpu_off", "%u interrupts other than the timer's", others);
	else if (n == ROUNDS)
		TEST_PASS("vgic_cpu_off");
	sleep_init();
	heartbeat_forever(1, 200000, sleep_us);
}
