// SPDX-License-Identifier: GPL-2.0-only
/*
 * manage_cycle: a management cell stops and starts cell 1 as fast as the
 * hypervisor lets it, for RUN_MS of its counter, then prints the cycles
 * done. From the interference audit of 2026-11-25 (aud_mgmt_cycle): each
 * cycle then cost the shared console four hypervisor lines, 18.3 KB/s,
 * more than the UART sends; now a run of them is told, then counted
 * (docs/console.md, "A cell restarting itself in a loop").
 */
#include "guest.h"

#define HC_CELL_STATUS 0xc6000011u
#define HC_CELL_STOP   0xc6000012u
#define HC_CELL_START  0xc6000013u
#define STATE_STOPPED  0
#define STATE_RUNNING  1
#define TARGET	       1
#define RUN_MS	       2000

static uint64_t state(void)
{
	return hvc_call_res(HC_CELL_STATUS, TARGET, 0, 0).a1;
}

int main(void *dtb)
{
	uint64_t t0, end, cycles = 0;

	(void)dtb;
	while (state() != STATE_RUNNING)
		;
	t0 = timer_now();
	end = t0 + timer_freq() / 1000 * RUN_MS;
	printf("cycle: begins\n");
	while (timer_now() < end) {
		while ((int64_t)hvc_call_res(HC_CELL_STOP, TARGET, 0, 0).a0 < 0)
			;
		while (state() != STATE_STOPPED)
			;
		while ((int64_t)hvc_call_res(HC_CELL_START, TARGET, 0, 0).a0 < 0)
			;
		while (state() != STATE_RUNNING)
			;
		cycles++;
	}
	printf("cycle: %lu stop/start cycles in %lu ms\n", (unsigned long)cycles,
	       (unsigned long)((timer_now() - t0) * 1000 / timer_freq()));
	for (;;)
		__asm__ volatile("wfi");
}
