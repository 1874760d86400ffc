/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_GUEST_HOSTILE_H
#define BULKHEAD_GUEST_HOSTILE_H

/*
 * Shared by the hostile-guest battery (tests/guests/hostile_*.c, one scenario
 * each; tests/scenarios/test_hostile.py): the hostile cell does its worst,
 * prints "hostile <scenario> done", then "alive N" every ALIVE_US so the
 * scenario can see it is still running.
 */
#include "test.h"

#define ALIVE_US 200000

#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void hostile_done(const char *scenario) __attribute__((noreturn));
static inline void hostile_done(const char *scenario)
{
	unsigned int n;

	printf("hostile %s done\n", scenario);
	for (n = 1;; n++) {
		printf("alive %u\n", n);
		udelay(ALIVE_US);
	}
}

/*
 * Which boot of its cell this is (BULKHEAD_HC_CELL_INFO: the memory is
 * scrubbed at each restart, nothing else remembers), said as "@guest: boot N":
 * the guests that act on their first boot and are done on the next.
 */
static inline uint64_t hostile_boot(const char *guest)
{
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;

	printf("%s: boot %lu\n", guest, (unsigned long)boot);
	return boot;
}

/* xorshift64 (Marsaglia), fixed seed: the same sequence on every run. */
static inline uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

#endif
