// SPDX-License-Identifier: GPL-2.0-only
/*
 * shm_outsider (cell gamma, in no shared-memory region of
 * tests/scenarios/layouts/shm.dts): the regions of other cells are not
 * there for it, and their doorbells refuse it.
 *   shm_outsider_read/_write   region 0's IPA aborts (DFSC 0x10, external abort)
 *   shm_outsider_pa            region 0's PA (not its RAM either) aborts
 *   shm_outsider_ring          ringing region 0 (all others, or member 0), region 1,
 *                              or a region that does not exist returns -3
 * then prints three heartbeats, so that the scenario sees it alive, and
 * sleeps in WFI (not the runtime's WFE park, which spins a TCG host thread
 * the storm scenario wants for the cells it measures).
 */
#include "shm_common.h"

#define SHM0_PA	    0x58000000UL
#define ESR_DFSC(e) ((e)&0x3f)
#define DFSC_SEA    0x10

static void expect_abort_at(const char *name, int rc)
{
	struct abort_record rec;

	if (rc == 0) {
		TEST_FAIL(name, "the access completed, expected an abort");
		return;
	}
	abort_taken(&rec);
	if (ESR_DFSC(rec.esr) != DFSC_SEA)
		TEST_FAIL(name, "ESR 0x%lx, expected DFSC 0x10", rec.esr);
	else
		TEST_PASS(name);
}

int main(void *dtb)
{
	static const uint64_t calls[][2] = {
		{ 0, RING_OTHERS }, { 0, 0 }, { 0, 1 }, { 1, RING_OTHERS }, { 7, 0 }, { 1000, 0 },
	};
	uint64_t v = 0, ret;
	unsigned int bad = 0;

	(void)dtb;
	expect_abort_at("shm_outsider_read", probe_read(SHM0_IPA, &v));
	expect_abort_at("shm_outsider_write", probe_write(SHM0_IPA, 0xbad));
	expect_abort_at("shm_outsider_pa", probe_read(SHM0_PA, &v));
	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		ret = ring(calls[i][0], calls[i][1]);
		if (ret != HC_RET_INVALID) {
			printf("ring(%lu, %ld) returned %ld, expected -3\n", calls[i][0],
			       (long)calls[i][1], (long)ret);
			bad++;
		}
	}
	if (bad)
		TEST_FAIL("shm_outsider_ring", "%u of %u calls not refused", bad,
			  (unsigned int)(sizeof(calls) / sizeof(calls[0])));
	else
		TEST_PASS("shm_outsider_ring");
	sleep_init();
	for (unsigned int n = 1; n <= 3; n++) {
		sleep_us(200000);
		printf("heartbeat %u\n", n);
	}
	for (;;)
		wfi(); /* nothing enabled: sleeps for good */
}
