// SPDX-License-Identifier: GPL-2.0-only
/* What start.S calls in C: the boot and secondary paths, and their defaults. */
#include "guest.h"

void guest_boot(void *dtb);
void guest_secondary(unsigned int cpu, uint64_t sctlr);

/* main's return ends the guest: SYSTEM_OFF stops QEMU, or stops the cell. */
void guest_boot(void *dtb)
{
	main(dtb);
	psci_system_off();
}

uint64_t guest_entry_sctlr[GUEST_MAX_CPUS];

void guest_secondary(unsigned int cpu, uint64_t sctlr)
{
	guest_entry_sctlr[cpu] = sctlr;
	secondary_main(cpu);
	psci_cpu_off();
	printf("cpu %u: PSCI CPU_OFF returned\n", cpu);
}

void heartbeat_forever(unsigned int first, uint64_t us, void (*wait)(uint64_t us))
{
	for (unsigned int beat = first;; beat++) {
		printf("heartbeat %u\n", beat);
		wait(us);
	}
}

/* Guests that start no secondaries need not define secondary_main. */
__attribute__((weak)) void secondary_main(unsigned int cpu)
{
	printf("cpu %u: started, no secondary_main\n", cpu);
}

void udelay(uint64_t us)
{
	uint64_t end = timer_now() + us * timer_freq() / 1000000;

	while (timer_now() < end)
		;
}
