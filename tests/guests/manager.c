// SPDX-License-Identifier: GPL-2.0-only
/*
 * manager: exercises Bulkhead's management hypercalls on cell 1. In a cell
 * marked `management` each call must work; in any other cell each must be
 * refused (-4, DENIED) and change nothing, and FLOOD more calls after them
 * must be refused as well (the hypervisor logs only the first few).
 */
#include "test.h"

#define HC_CELL_COUNT	0xc6000010u
#define HC_CELL_STATUS	0xc6000011u
#define HC_CELL_STOP	0xc6000012u
#define HC_CELL_START	0xc6000013u
#define HC_CELL_RESTART 0xc6000014u
#define RET_DENIED	((uint64_t)-4)
#define TARGET		1
#define FLOOD		300

static struct smccc_res status(void)
{
	return hvc_call_res(HC_CELL_STATUS, TARGET, 0, 0);
}

/* Wait up to 2 s for cell TARGET to reach @state with at least @boots boots. */
static bool wait_for(uint64_t state, uint64_t boots)
{
	unsigned int i;

	for (i = 0; i < 200; i++) {
		struct smccc_res r = status();

		if (r.a0 == 0 && r.a1 == state && r.a2 >= boots)
			return true;
		udelay(10000);
	}
	return false;
}

static void refused_everywhere(void)
{
	uint64_t fids[] = { HC_CELL_COUNT, HC_CELL_STATUS, HC_CELL_STOP, HC_CELL_START,
			    HC_CELL_RESTART };
	unsigned int i;

	for (i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		uint64_t r = hvc_call(fids[i], TARGET, 0, 0);

		if (r == RET_DENIED)
			TEST_PASS("manage_refused");
		else
			TEST_FAIL("manage_refused", "fid 0x%lx returned 0x%lx",
				  (unsigned long)fids[i], (unsigned long)r);
	}
	for (i = 0; i < FLOOD; i++)
		if (hvc_call(HC_CELL_STATUS, TARGET, 0, 0) != RET_DENIED)
			break;
	if (i == FLOOD)
		TEST_PASS("manage_flood_refused");
	else
		TEST_FAIL("manage_flood_refused", "call %u of %u was not refused", i + 1, FLOOD);
}

static void manage(void)
{
	struct smccc_res r = hvc_call_res(HC_CELL_COUNT, 0, 0, 0);
	uint64_t boots = status().a2;

	printf("cells: %lu\n", (unsigned long)r.a1);
	r = status();
	printf("cell %u: state %lu boots %lu faults %lu\n", TARGET, (unsigned long)r.a1,
	       (unsigned long)r.a2, (unsigned long)r.a3);
	if (hvc_call(HC_CELL_RESTART, TARGET, 0, 0) == 0 && wait_for(1, boots + 1))
		TEST_PASS("manage_restart");
	else
		TEST_FAIL("manage_restart", "boots %lu", (unsigned long)status().a2);
	if (hvc_call(HC_CELL_STOP, TARGET, 0, 0) == 0 && wait_for(0, 0))
		TEST_PASS("manage_stop");
	else
		TEST_FAIL("manage_stop", "state %lu", (unsigned long)status().a1);
	if (hvc_call(HC_CELL_START, TARGET, 0, 0) == 0 && wait_for(1, boots + 2))
		TEST_PASS("manage_start");
	else
		TEST_FAIL("manage_start", "state %lu boots %lu", (unsigned long)status().a1,
			  (unsigned long)status().a2);
	if (hvc_call(HC_CELL_STATUS, 99, 0, 0) != 0)
		TEST_PASS("manage_bad_cell_refused");
	else
		TEST_FAIL("manage_bad_cell_refused", "status of cell 99 succeeded");
}

int main(void *dtb)
{
	(void)dtb;
	if (hvc_call(HC_CELL_COUNT, 0, 0, 0) == RET_DENIED)
		refused_everywhere();
	else
		manage();
	printf("manager done\n");
	heartbeat_forever(0, 200000, udelay);
}
