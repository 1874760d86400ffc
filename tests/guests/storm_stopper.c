// SPDX-License-Identifier: GPL-2.0-only
/*
 * storm_stopper: a management cell stops cell 1, which restarts itself in a
 * loop (reset_storm), with one CELL_STOP made while CELL_STATUS says the
 * cell is stopping or loading (most of each cycle). That stop must be
 * queued (x0 = 1) and the cell stopped within STOP_WAIT_S, booting no more.
 * The cell may have reached RUNNING between the two calls (this vCPU's host
 * thread can be descheduled there): then the stop is taken at once (x0 = 0,
 * as before the queue existed), and the cell is started again for another
 * try, up to ATTEMPTS. Until 2026-11-23 the call answered BUSY (-5) in
 * those states, and nothing was remembered.
 */
#include "test.h"

#define HC_CELL_STATUS 0xc6000011u
#define HC_CELL_STOP   0xc6000012u
#define HC_CELL_START  0xc6000013u
#define ATTEMPTS       5
#define RET_QUEUED     1
#define STATE_STOPPED  0
#define STATE_STOPPING 2 /* enum cell_state, docs/console.md */
#define STATE_LOADING  3
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

/* One CELL_STOP while the cell is in a transition; its answer, or -1 after a failure. */
static int64_t stop_in_transition(uint64_t from_boot)
{
	struct smccc_res s;
	uint64_t ret;

	/* Back to back: a transition lasts milliseconds, the two calls microseconds. */
	do
		s = status();
	while (s.a0 != 0 || s.a2 < from_boot + STORM_BOOTS ||
	       (s.a1 != STATE_STOPPING && s.a1 != STATE_LOADING));
	ret = hvc_call(HC_CELL_STOP, TARGET, 0, 0);
	printf("CELL_STOP in state %lu answered 0x%lx\n", (unsigned long)s.a1, (unsigned long)ret);
	if (ret != 0 && ret != RET_QUEUED) {
		TEST_FAIL("storm_stop", "CELL_STOP answered 0x%lx", (unsigned long)ret);
		return -1;
	}
	if (!stopped_within(STOP_WAIT_S)) {
		TEST_FAIL("storm_stop", "state %lu after %u s", (unsigned long)status().a1,
			  STOP_WAIT_S);
		return -1;
	}
	return (int64_t)ret;
}

static void stop_the_storm(void)
{
	uint64_t boots = 0;
	int64_t ret = 0;
	unsigned int attempt;

	for (attempt = 0; attempt < ATTEMPTS && ret == 0; attempt++) {
		if (attempt && hvc_call(HC_CELL_START, TARGET, 0, 0) != 0) {
			TEST_FAIL("storm_stop", "CELL_START of the stopped cell refused");
			return;
		}
		ret = stop_in_transition(status().a2);
	}
	if (ret != RET_QUEUED) {
		if (ret == 0)
			TEST_FAIL("storm_stop", "%u stops all found the cell running", ATTEMPTS);
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
