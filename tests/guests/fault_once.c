// SPDX-License-Identifier: GPL-2.0-only
/*
 * fault_once: one stage-2 fault of its own (a read of an IPA no cell has),
 * which the hypervisor reports and keeps in the shell's `faults` log, then a
 * heartbeat. Beside fault_flood, whose faults must not push it out
 * (tests/scenarios/test_lifecycle.py).
 */
#include "test.h"

int main(void *dtb)
{
	uint64_t v;

	(void)dtb;
	printf("fault_once: probe %d\n", probe_read(0x30000000, &v));
	heartbeat_forever(1, 200000, udelay);
}
