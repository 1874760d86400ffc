// SPDX-License-Identifier: GPL-2.0-only
/*
 * shm_storm (cell alpha): once beta says ready, rings beta's doorbells of
 * regions 0 and 2 in turn in a tight loop for STORM_MS, counting accepted
 * rings and BUSY refusals (the hypervisor's token bucket, include/shm.h: one
 * per sending cell, whichever region). PASS when the bucket engaged
 * (refusals) and the accepted rings of both regions together stay within its
 * budget: burst + rate x time, plus 10 % for the counter reads around the loop.
 *   TEST shm_storm PASS rings=N busy=N calls_per_ms=N accepted_per_ms=N
 */
#include "shm_common.h"

#define STORM_MS    2500
#define RATE_PER_MS 10 /* SHM_RINGS_PER_MS */
#define BURST	    16 /* SHM_RING_BURST */

int main(void *dtb)
{
	struct mailbox *mb = (struct mailbox *)SHM0_IPA;
	uint64_t freq = timer_freq(), t0, end, rings = 0, busy = 0, other = 0, ret, budget;

	(void)dtb;
	t0 = timer_now();
	while (mb->ready != SHM_READY_MAGIC)
		if (timer_now() - t0 > 5 * freq) {
			TEST_FAIL("shm_storm", "peer never ready");
			guest_park();
		}
	t0 = timer_now();
	end = t0 + STORM_MS * freq / 1000;
	while (timer_now() < end) {
		ret = ring((rings + busy + other) % 2 ? 2 : 0, 1);
		if (ret == 0)
			rings++;
		else if (ret == HC_RET_BUSY)
			busy++;
		else
			other++;
	}
	budget = BURST + (uint64_t)RATE_PER_MS * STORM_MS * 110 / 100;
	if (busy && !other && rings <= budget)
		printf("TEST shm_storm PASS rings=%lu busy=%lu calls_per_ms=%lu "
		       "accepted_per_ms=%lu\n",
		       rings, busy, (rings + busy) / STORM_MS, rings / STORM_MS);
	else
		TEST_FAIL("shm_storm", "rings=%lu (budget %lu) busy=%lu other=%lu", rings, budget,
			  busy, other);
	guest_park();
}
