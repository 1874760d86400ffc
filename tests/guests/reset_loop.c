// SPDX-License-Identifier: GPL-2.0-only
/*
 * reset_loop: proves each restart starts from scrubbed memory, then asks for
 * the next one. A page of its RAM above the image must read as zero on every
 * boot; it is filled with a pattern before SYSTEM_RESET. So must the debug
 * claim tags (DBGCLAIMCLR_EL1, which the hypervisor does not trap): set to
 * 0xa5 before each reset. Stops resetting at RESET_LOOP_BOOTS boots and
 * prints a heartbeat.
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

	uint64_t claim;

	(void)dtb;
	__asm__ volatile("mrs %0, dbgclaimclr_el1" : "=r"(claim));
	if (claim)
		TEST_FAIL("reset_claim", "boot %lu sees the previous run's claim tags 0x%lx",
			  (unsigned long)boot, (unsigned long)claim);
	if (!page_is_clean(page))
		TEST_FAIL("reset_scrubbed", "boot %lu sees the previous run's pattern",
			  (unsigned long)boot);
	else
		printf("boot %lu clean\n", (unsigned long)boot);
	for (i = 0; i < MARK_WORDS; i++)
		page[i] = 0x5ca1ab1e00000000ULL | boot;
	__asm__ volatile("msr dbgclaimset_el1, %0" : : "r"(0xa5UL));
	if (boot < RESET_LOOP_BOOTS)
		psci_system_reset();
	TEST_PASS("reset_loop");
	heartbeat_forever(0, 200000, udelay);
}
