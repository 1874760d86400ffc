// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_restart: the cost of a restart, for tests/bench/run_bench.py (make
 * bench). Each of its first RESTARTS boots prints the counter at which it
 * asks for PSCI SYSTEM_RESET and asks; the hypervisor's line for the next
 * boot says when that boot entered the guest (cell.c: log_guest_entry()),
 * on the same counter. Its memory is scrubbed at each reload, so the boot
 * number comes from BULKHEAD_HC_CELL_INFO. Prints, per boot,
 *   BENCH_INFO restart boot=<n> reset_at=<CNTVCT> cntfrq_hz=<f>
 * then BENCH_DONE on boot RESTARTS + 1. Five restarts: from the sixth quick
 * one in a row the hypervisor's boot lines are only counted (cell_storm.c).
 */
#include "guest.h"

#define RESTARTS 5

int main(void *dtb)
{
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3, now;

	(void)dtb;
	if (boot > RESTARTS) {
		printf("BENCH_DONE\n");
		for (;;)
			__asm__ volatile("wfi");
	}
	now = timer_now();
	printf("BENCH_INFO restart boot=%lu reset_at=%lu cntfrq_hz=%lu\n", (unsigned long)boot,
	       (unsigned long)now, (unsigned long)timer_freq());
	psci_system_reset();
}
