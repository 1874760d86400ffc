// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_storm (battery i): both vCPUs storm their own interrupts for
 * STORM_MS: first every SGI to both vCPUs in a loop from both, then the EL1
 * virtual and physical timers armed to fire at once and never re-armed into
 * the future (a level interrupt that is always due: it comes back as soon as
 * it is deactivated). The hypervisor must keep the victim's CPUs and its own
 * shell running; afterwards the storm stops and the cell carries on. (Under
 * QEMU's GICv3 the timer storm leaves the interrupted code no instruction at
 * all, so the handler itself ends it at the deadline.)
 */
#include "gic.h"
#include "hostile.h"

#define STORM_MS 2000

static volatile uint32_t timer_irqs[GUEST_MAX_CPUS], sgi_irqs[GUEST_MAX_CPUS];
static volatile uint32_t other_irqs;
static volatile bool storming = true;
static volatile bool secondary_done;
static uint64_t sgi_end, storm_end;

bool guest_irq(struct exception_frame *frame)
{
	unsigned int cpu = guest_cpu_id();
	uint32_t iar, intid;

	(void)frame;
	while ((intid = gic_iar_intid(iar = gic_ack())) < 1020) {
		if (intid == GIC_INTID_VTIMER || intid == GIC_INTID_PTIMER) {
			timer_irqs[cpu]++;
			/* Checked here: the storm may leave the interrupted loop no time at all. */
			if (!storming || timer_now() >= storm_end) {
				write_sysreg(0, cntv_ctl_el0);
				write_sysreg(0, cntp_ctl_el0);
			}
		} else if (intid < 16) {
			sgi_irqs[cpu]++;
		} else {
			other_irqs++;
		}
		gic_eoi(iar);
	}
	return true;
}

/* Self-SGIs from a loop until sgi_end, then both timers always due until storm_end. */
static void storm(void)
{
	unsigned int i;

	gic_cpu_init();
	for (i = 0; i < 16; i++)
		gic_irq_enable(i);
	gic_irq_enable(GIC_INTID_VTIMER);
	gic_irq_enable(GIC_INTID_PTIMER);
	irq_unmask();
	while (timer_now() < sgi_end)
		for (i = 0; i < 16; i++)
			gic_send_sgi(i, 3);
	write_sysreg(0, cntv_cval_el0);
	write_sysreg(0, cntp_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	write_sysreg(1, cntp_ctl_el0);
	while (timer_now() < storm_end)
		__asm__ volatile("yield" ::: "memory");
	storming = false;
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
}

void secondary_main(unsigned int cpu)
{
	(void)cpu;
	storm();
	secondary_done = true;
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
}

int main(void *dtb)
{
	unsigned int i;

	(void)dtb;
	gic_init();
	sgi_end = timer_now() + timer_freq() * STORM_MS / 2000;
	storm_end = sgi_end + timer_freq() * STORM_MS / 2000;
	printf("hostile_storm: GICv%d, storming for %u ms\n", gic_version(), STORM_MS);
	if (psci_cpu_on(1, 1) != PSCI_SUCCESS)
		TEST_FAIL("storm_cpu_on", "vCPU 1 did not start");
	storm();
	for (i = 0; i < 1000 && !secondary_done; i++)
		udelay(1000);
	printf("hostile_storm: vcpu0 %u timer %u sgi, vcpu1 %u timer %u sgi, %u other\n",
	       timer_irqs[0], sgi_irqs[0], timer_irqs[1], sgi_irqs[1], other_irqs);
	if (timer_irqs[0] == 0 || sgi_irqs[0] == 0 || !secondary_done)
		TEST_FAIL("hostile_storm", "the storm did not happen (or vCPU 1 never finished)");
	else
		TEST_PASS("hostile_storm");
	hostile_done("storm");
}
