// SPDX-License-Identifier: GPL-2.0-only
/*
 * reset_loop: proves each restart starts from scrubbed memory, then asks for
 * the next one. A page of its RAM above the image must read as zero on every
 * boot; it is filled with a pattern before SYSTEM_RESET. Stops resetting at
 * RESET_LOOP_BOOTS boots and prints a heartbeat.
 */
#include "test.h"

#define RESET_LOOP_BOOTS 101 /* the first boot and 100 restarts */
#define MARK_PAGE	 0x40100000UL
#define MARK_WORDS	 512

static bool page_is_clean(volatile uint64_t *page)
{
	unsigned int i;

	for (i = 0; i < MARK_WORDS; i++)
		if (page[i])
			return false;
	return true;
}

int main(void *dtb)
{
	volatile uint64_t *page = (volatile uint64_t *)MARK_PAGE;
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;
	unsigned int i;

	(void)dtb;
	if (!page_is_clean(page))
		TEST_FAIL("reset_scrubbed", "boot %lu sees the previous run's pattern",
			  (unsigned long)boot);
	else
		printf("boot %lu clean\n", (unsigned long)boot);
	for (i = 0; i < MARK_WORDS; i++)
		page[i] = 0x5ca1ab1e00000000ULL | boot;
	if (boot < RESET_LOOP_BOOTS)
		psci_system_reset();
	TEST_PASS("reset_loop");
	heartbeat_forever(0, 200000, udelay);
}
