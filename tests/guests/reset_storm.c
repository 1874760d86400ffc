// SPDX-License-Identifier: GPL-2.0-only
/*
 * reset_storm: a cell that restarts itself for ever, as fast as it can:
 * SYSTEM_RESET at once on every boot. It prints "boot N" on its first boot
 * and every 100th, so the scenario can follow it without the cell's own
 * lines filling the console; what the hypervisor prints about it must stay
 * bounded too (partitions/cell_storm.c).
 */
#include "test.h"

int main(void *dtb)
{
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;

	(void)dtb;
	if (boot == 1 || boot % 100 == 0)
		printf("boot %lu\n", (unsigned long)boot);
	psci_system_reset();
}
