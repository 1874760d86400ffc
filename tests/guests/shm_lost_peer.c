// SPDX-License-Identifier: GPL-2.0-only
/*
 * shm_lost_peer (cell beta, beside shm_storm, under the test build's
 * cell-lock-psci-cpu1): says it is ready, lets alpha's storm of doorbells
 * run for LEAD_MS, then asks PSCI CPU_ON for itself. Its CPU takes an EL2
 * fault inside its cell's lock there and parks with it: nothing after the
 * call runs, and the cell's lock stays held for good.
 *   TEST shm_lost_peer CPU_ON
 */
#include "shm_common.h"

#define LEAD_MS 200

int main(void *dtb)
{
	struct mailbox *mb = (struct mailbox *)SHM0_IPA;
	uint64_t t0;

	(void)dtb;
	mb->ready = SHM_READY_MAGIC;
	dsb();
	t0 = timer_now();
	while (timer_now() - t0 < LEAD_MS * timer_freq() / 1000)
		;
	printf("TEST shm_lost_peer CPU_ON\n");
	psci_cpu_on(0, 0); /* itself: ALREADY_ON, unless its CPU is lost inside */
	TEST_FAIL("shm_lost_peer", "CPU_ON returned: no fault taken (not the test build?)");
	guest_park();
}
