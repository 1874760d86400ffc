// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_unrouted (GICv3): an SPI routed to an affinity none of the cell's
 * vCPUs has is delivered nowhere (IHI 0069: "no PE"), and comes to the vCPU
 * it is routed to next, pending all along. The cell's own RTC SPI, enabled
 * and made pending by GICD_ISPENDR (a software pend: no alarm), routed to
 * Aff0 = 7 for WAIT_MS, then to vCPU 0.
 *   TEST vgic_unrouted PASS|FAIL
 */
#include "rtc.h"
#include "test.h"

#define WAIT_MS	       50
#define NOBODY	       7 /* an Aff0 past the cell's vCPUs */
#define IRQ_PRIORITY   0x80
#define IROUTER_OF(id) (GICD_IROUTER + 8 * (id))

static volatile uint32_t taken, other;

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar, intid;

	(void)frame;
	while ((intid = gic_iar_intid(iar = gic_ack())) < 1020) {
		if (intid == RTC_SPI)
			taken++;
		else
			other++;
		gic_eoi(iar);
	}
	return true;
}

/* How many RTC interrupts came within WAIT_MS. */
static uint32_t wait_taken(void)
{
	uint64_t end = timer_now() + WAIT_MS * timer_freq() / 1000;

	while (timer_now() < end)
		;
	return taken;
}

int main(void *dtb)
{
	uint32_t unrouted, routed;

	(void)dtb;
	if (gic_version() != 3) {
		TEST_FAIL("vgic_unrouted", "needs a GICv3");
		guest_park();
	}
	gic_init();
	gic_cpu_init();
	gic_dist_write64(IROUTER_OF(RTC_SPI), NOBODY);
	gic_irq_set_priority(RTC_SPI, IRQ_PRIORITY);
	gic_irq_enable(RTC_SPI);
	gic_irq_set_pending(RTC_SPI);
	irq_unmask();
	unrouted = wait_taken();
	gic_irq_set_target(RTC_SPI, 0);
	routed = wait_taken() - unrouted;
	irq_mask();
	printf("unrouted %u routed %u other %u\n", unrouted, routed, other);
	if (unrouted || routed != 1 || other)
		TEST_FAIL("vgic_unrouted",
			  "taken %u times unrouted, %u once routed to vCPU 0 "
			  "(want 0 and 1), %u other interrupts",
			  unrouted, routed, other);
	else
		TEST_PASS("vgic_unrouted");
	sleep_init();
	heartbeat_forever(1, 200000, sleep_us);
}
