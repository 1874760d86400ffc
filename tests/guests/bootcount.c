// SPDX-License-Identifier: GPL-2.0-only
/*
 * bootcount: does SYSTEM_RESET give the cell a fresh image and clean memory?
 * A counter in .data (not .bss, which start.S zeroes on every start) is
 * incremented at start: a freshly loaded image always counts 1. The
 * hypervisor's own count comes from BULKHEAD_HC_CELL_INFO (x3). On the first
 * boot the guest also marks a page of RAM past its image and resets the cell;
 * on the second it checks the counter and that the page was scrubbed.
 */
#include "test.h"

#define HEARTBEAT_US 100000
#define MARK_VALUE   0xb007b007b007b007UL

extern char _end[] __attribute__((visibility("hidden")));

/* Initialised data on purpose: the image, not start.S, sets it to 0. */
static volatile uint64_t boot_count __attribute__((section(".data.bootcount"))) = 0;

/* A word 64 KiB past the end of the image (BSS and stacks included): RAM only the loader's
 * scrub can clear. */
static volatile uint64_t *mark_word(void)
{
	return (volatile uint64_t *)((((uintptr_t)_end + 0xffff) & ~(uintptr_t)0xffff) + 0x10000);
}

int main(void *dtb)
{
	struct smccc_res info = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0);
	uint64_t n = ++boot_count;
	uint64_t m = info.a3;

	(void)dtb;
	printf("boot count %lu, hypervisor boots %lu\n", n, m);
	printf("cell info: x0=%ld id=%lu vcpus=%lu\n", (long)info.a0, info.a1, info.a2);
	if (info.a0 != 0) {
		TEST_FAIL("reset", "BULKHEAD_HC_CELL_INFO returned %ld", (long)info.a0);
		return 0;
	}
	if (m == 1) {
		*mark_word() = MARK_VALUE;
		dmb();
		printf("marked 0x%lx; calling SYSTEM_RESET\n",
		       (unsigned long)(uintptr_t)mark_word());
		psci_system_reset();
	}
	if (m == 2 && n == 1)
		TEST_PASS("reset");
	else
		TEST_FAIL("reset",
			  "boot count %lu on hypervisor boot %lu: the image was not "
			  "reloaded fresh",
			  n, m);
	if (*mark_word() == 0)
		TEST_PASS("scrub");
	else
		TEST_FAIL("scrub", "got=0x%lx at 0x%lx after the restart, expected 0", *mark_word(),
			  (unsigned long)(uintptr_t)mark_word());
	sleep_init();
	heartbeat_forever(1, HEARTBEAT_US, sleep_us);
}
