// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_observer: a bystander cell. Every vCPU enables all 16 SGIs and counts
 * every interrupt it takes (none is expected: it sends nothing and arms no
 * timer); the boot vCPU prints "heartbeat N unexpected M" every 100 ms.
 */
#include "gic.h"
#include "test.h"

#define BEAT_US 100000

static volatile uint32_t unexpected;

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar;

	(void)frame;
	while (gic_iar_intid(iar = gic_ack()) < 1020) {
		unexpected++;
		gic_eoi(iar);
	}
	return true;
}

int main(void *dtb)
{
	unsigned int i, beat;

	(void)dtb;
	gic_init();
	gic_cpu_init();
	for (i = 0; i < 16; i++)
		gic_irq_enable(i);
	irq_unmask();
	printf("vgic_observer: GICv%d\n", gic_version());
	for (beat = 1;; beat++) {
		printf("heartbeat %u unexpected %u\n", beat, unexpected);
		udelay(BEAT_US);
	}
	return 0;
}
