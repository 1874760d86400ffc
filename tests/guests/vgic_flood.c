// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_flood: every vCPU of the cell sends SGIs as fast as it can for
 * FLOOD_MS, to itself and to the next vCPU, and takes them; then prints
 * "flood vcpuN sent=S received=R" and the boot vCPU "TEST vgic_flood PASS"
 * (it survived; the other cell's timer latency is what is measured).
 * Built with FLOOD_SGIS 0 (vgic_busy.c) the vCPUs only spin for as long: the
 * baseline with the same load on the host, less the SGIs.
 */
#include "gic.h"
#include "test.h"

#ifndef FLOOD_SGIS
#define FLOOD_SGIS 1
#endif
#define FLOOD_MS 900
#define NR_VCPUS 3

static volatile uint32_t received[GUEST_MAX_CPUS];
static volatile bool done[GUEST_MAX_CPUS];

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar;

	(void)frame;
	while (gic_iar_intid(iar = gic_ack()) < 1020) {
		received[guest_cpu_id()]++;
		gic_eoi(iar);
	}
	return true;
}

static void flood(unsigned int cpu)
{
	uint64_t end = timer_now() + FLOOD_MS * timer_freq() / 1000;
	uint32_t sent = 0;

	gic_cpu_init();
	gic_irq_enable(7);
	irq_unmask();
	while (timer_now() < end) {
		if (!FLOOD_SGIS)
			continue;
		gic_send_sgi(7, 1u << cpu);
		gic_send_sgi(7, 1u << ((cpu + 1) % NR_VCPUS));
		sent += 2;
	}
	irq_mask();
	printf("flood vcpu%u sent=%u received=%u\n", cpu, sent, received[cpu]);
	dmb();
	done[cpu] = true;
}

void secondary_main(unsigned int cpu)
{
	flood(cpu);
}

int main(void *dtb)
{
	unsigned int cpu;
	uint64_t end;

	(void)dtb;
	gic_init();
	printf("vgic_flood: GICv%d\n", gic_version());
	for (cpu = 1; cpu < NR_VCPUS; cpu++)
		psci_cpu_on(cpu, cpu);
	flood(0);
	end = timer_now() + 2 * timer_freq();
	for (cpu = 1; cpu < NR_VCPUS; cpu++)
		while (!done[cpu] && timer_now() < end)
			;
	TEST_PASS("vgic_flood");
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
	return 0;
}
