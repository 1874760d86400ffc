// SPDX-License-Identifier: GPL-2.0-only
/*
 * storm_stopper: a management cell stops cell 1, which restarts itself in a
 * loop (reset_storm), with one CELL_STOP. Such a cell is stopping or loading
 * for most of each cycle: the stop is queued then (x0 = 1) or, if it finds
 * the cell running, taken at once (x0 = 0). Either way the cell must be
 * stopped within STOP_WAIT_S and boot no more. Until 2026-11-23 the call
 * answered BUSY (-5) nearly every time, and nothing was remembered.
 */
#include "test.h"

#define HC_CELL_STATUS 0xc6000011u
#define HC_CELL_STOP   0xc6000012u
#define RET_QUEUED     1
#define STATE_STOPPED  0
#define TARGET	       1
#define STORM_BOOTS    10 /* past the first restarts, which are told in full */
#define STOP_WAIT_S    5

static struct smccc_res status(void)
{
	return hvc_call_res(HC_CELL_STATUS, TARGET, 0, 0);
}

static bool stopped_within(uint64_t seconds)
{
	uint64_t t0 = timer_now();

	while (timer_now() - t0 < seconds * timer_freq()) {
		if (status().a1 == STATE_STOPPED)
			return true;
		udelay(10000);
	}
	return false;
}

static void stop_the_storm(void)
{
	uint64_t ret, boots;

	while (status().a2 < STORM_BOOTS)
		udelay(10000);
	ret = hvc_call(HC_CELL_STOP, TARGET, 0, 0);
	printf("CELL_STOP answered 0x%lx\n", (unsigned long)ret);
	if (ret != 0 && ret != RET_QUEUED) {
		TEST_FAIL("storm_stop", "CELL_STOP answered 0x%lx", (unsigned long)ret);
		return;
	}
	if (!stopped_within(STOP_WAIT_S)) {
		TEST_FAIL("storm_stop", "state %lu after %u s", (unsigned long)status().a1,
			  STOP_WAIT_S);
		return;
	}
	boots = status().a2;
	udelay(1000000);
	if (status().a1 != STATE_STOPPED || status().a2 != boots)
		TEST_FAIL("storm_stop", "state %lu, boots %lu a second after %lu",
			  (unsigned long)status().a1, (unsigned long)status().a2,
			  (unsigned long)boots);
	else
		TEST_PASS("storm_stop");
}

int main(void *dtb)
{
	(void)dtb;
	stop_the_storm();
	printf("storm stopper done\n");
	heartbeat_forever(0, 200000, udelay);
}
