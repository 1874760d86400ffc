// SPDX-License-Identifier: GPL-2.0-only
/*
 * canary: the victim of an isolation test. Fills one page of its own RAM,
 * CANARY_IPA, with a pattern, then checks it about every 100 ms and prints
 * "canary ok N"; if any word changed it prints "canary CHANGED ..." and
 * "TEST canary FAIL". isolation_probe (in another cell) aims its writes at
 * this page's physical address: the scenario layout puts this cell's RAM
 * (IPA 0x40000000) at PA 0x4c000000, so the page is PA 0x4c100000.
 */
#include "test.h"

#define CANARY_IPA   0x40100000UL /* 1 MiB into the boot RAM: past the image, below the DTB */
#define CANARY_WORDS (4096 / 8)
#define CHECK_US     100000

extern char _end[] __attribute__((visibility("hidden")));

static uint64_t pattern(unsigned int i)
{
	return 0xca11ab1e00000000UL | ((uint64_t)i * 0x9e3779b1u);
}

/* The first changed word, or -1. */
static int canary_check(uint64_t *got)
{
	volatile uint64_t *page = (volatile uint64_t *)CANARY_IPA;
	unsigned int i;

	for (i = 0; i < CANARY_WORDS; i++) {
		*got = page[i];
		if (*got != pattern(i))
			return (int)i;
	}
	return -1;
}

int main(void *dtb)
{
	volatile uint64_t *page = (volatile uint64_t *)CANARY_IPA;
	unsigned int i;
	uint32_t n;
	uint64_t got;
	int bad;

	(void)dtb;
	if ((uintptr_t)_end > CANARY_IPA) {
		TEST_FAIL("canary", "image ends at %p, over the canary page 0x%lx", (void *)_end,
			  CANARY_IPA);
		return 0;
	}
	for (i = 0; i < CANARY_WORDS; i++)
		page[i] = pattern(i);
	dmb();
	printf("canary filled at IPA 0x%lx\n", CANARY_IPA);
	sleep_init();
	for (n = 1;; n++) {
		bad = canary_check(&got);
		if (bad >= 0) {
			printf("canary CHANGED: word %d is 0x%lx, expected 0x%lx\n", bad, got,
			       pattern((unsigned int)bad));
			TEST_FAIL("canary", "page 0x%lx changed under the cell", CANARY_IPA);
			return 0;
		}
		printf("canary ok %u\n", n);
		sleep_us(CHECK_US);
	}
	return 0;
}
