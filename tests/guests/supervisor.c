// SPDX-License-Identifier: GPL-2.0-only
/*
 * supervisor: a management cell's watch loop over cell 1, as an ordinary
 * supervisor would write it. It reads CELL_STATUS as fast as it can and,
 * whenever cell 1 is not running, asks for it back: CELL_START and
 * CELL_RESTART in turn. While cell 1 restarts itself (reset_secondary), the
 * CPU doing that owns it and both calls must answer BUSY; an accepted call
 * is printed ("start accepted", "restart accepted") so that the scenario can
 * match it with what the hypervisor did. Ends, with "supervisor done" and a
 * heartbeat, once cell 1 runs boot SUPERVISE_BOOTS.
 */
#include "test.h"

#define HC_CELL_STATUS	0xc6000011u
#define HC_CELL_START	0xc6000013u
#define HC_CELL_RESTART 0xc6000014u
#define RET_BUSY	((uint64_t)-5)
#define STATE_RUNNING	1
#define STATES		4 /* stopped, running, stopping, loading (docs/console.md) */
#define TARGET		1
#define SUPERVISE_BOOTS 12 /* reset_secondary's last boot */
#define SUPERVISE_S	60

/* Names in an array, not pointers: the guest has no relocations. */
static const char call_names[][8] = { "start", "restart" };

int main(void *dtb)
{
	unsigned int seen[STATES] = { 0 }, busy = 0, accepted = 0, turn = 0;
	uint64_t t0 = timer_now();

	(void)dtb;
	while (timer_now() - t0 < SUPERVISE_S * timer_freq()) {
		struct smccc_res r = hvc_call_res(HC_CELL_STATUS, TARGET, 0, 0);
		uint64_t ret;

		if (r.a0 || r.a1 >= STATES) {
			TEST_FAIL("supervisor", "CELL_STATUS: x0 0x%lx x1 %lu", (unsigned long)r.a0,
				  (unsigned long)r.a1);
			break;
		}
		seen[r.a1]++;
		if (r.a1 == STATE_RUNNING) {
			if (r.a2 >= SUPERVISE_BOOTS)
				break;
			continue;
		}
		ret = hvc_call(turn ? HC_CELL_RESTART : HC_CELL_START, TARGET, 0, 0);
		if (ret == RET_BUSY) {
			busy++;
		} else {
			accepted++;
			printf("%s accepted (state %lu, boots %lu): 0x%lx\n", call_names[turn],
			       (unsigned long)r.a1, (unsigned long)r.a2, (unsigned long)ret);
			udelay(50000);
		}
		turn ^= 1;
	}
	printf("supervisor done: %u accepted, %u busy; seen stopped %u, stopping %u, loading %u\n",
	       accepted, busy, seen[0], seen[2], seen[3]);
	heartbeat_forever(0, 200000, udelay);
}
