// SPDX-License-Identifier: GPL-2.0-only
/*
 * page_touch: writes one word of a page of its own RAM, TOUCH_IPA, saying so
 * before and after, then prints a heartbeat. The test build's
 * bulkhead.test-fault=s2-af-clear clears the access flag of that page's
 * stage-2 descriptor in the layout's second cell (include/test_fault.h: 1 MiB
 * into its boot RAM, IPA 0x40000000 in the scenario layouts): the write
 * takes a stage-2 access flag fault, the hypervisor's tables' and not the
 * guest's, so the cell is stopped with no abort injected and "wrote" never
 * comes (tests/scenarios/test_lifecycle.py).
 */
#include "test.h"

#define TOUCH_IPA 0x40100000UL /* as canary.c's page: past the image, below the DTB */
#define BEAT_US	  1000000

extern char _end[] __attribute__((visibility("hidden")));

int main(void *dtb)
{
	volatile uint64_t *word = (volatile uint64_t *)TOUCH_IPA;

	(void)dtb;
	if ((uintptr_t)_end > TOUCH_IPA) {
		TEST_FAIL("page_touch", "image ends at %p, over the page 0x%lx", (void *)_end,
			  TOUCH_IPA);
		return 0;
	}
	printf("page_touch: writing IPA 0x%lx\n", TOUCH_IPA);
	*word = 0x7011c4ed;
	dmb();
	printf("page_touch: wrote IPA 0x%lx, read back 0x%lx\n", TOUCH_IPA, *word);
	sleep_init();
	heartbeat_forever(1, BEAT_US, sleep_us);
}
