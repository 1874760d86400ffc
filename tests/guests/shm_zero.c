// SPDX-License-Identifier: GPL-2.0-only
/*
 * shm_zero: on its first boot, every byte of both shared-memory regions of
 * tests/scenarios/layouts/shm.dts (region 0, 1 MiB, and region 1, 64 KiB)
 * reads as zero, whatever the RAM held before Bulkhead started (the scenario
 * loads a pattern there, as a boot loader's staging would leave one).
 *   TEST shm_zero PASS
 *   TEST shm_zero FAIL region N offset 0x... holds 0x...
 * then "heartbeat N" forever.
 */
#include "shm_common.h"

#define SHM0_SIZE 0x100000UL
#define SHM1_SIZE 0x10000UL

/* The first non-zero 64-bit word of [base, base + size), or size if none. */
static uint64_t first_nonzero(uintptr_t base, uint64_t size, uint64_t *value)
{
	const volatile uint64_t *p = (const volatile uint64_t *)base;
	uint64_t i;

	for (i = 0; i < size / 8; i++)
		if ((*value = p[i]) != 0)
			return i * 8;
	return size;
}

int main(void *dtb)
{
	static const uintptr_t base[] = { SHM0_IPA, SHM1_IPA };
	static const uint64_t size[] = { SHM0_SIZE, SHM1_SIZE };
	uint64_t off, value = 0;
	unsigned int r;

	(void)dtb;
	for (r = 0; r < 2; r++) {
		off = first_nonzero(base[r], size[r], &value);
		if (off != size[r]) {
			TEST_FAIL("shm_zero", "region %u offset 0x%lx holds 0x%lx", r,
				  (unsigned long)off, (unsigned long)value);
			break;
		}
	}
	if (r == 2)
		TEST_PASS("shm_zero");
	heartbeat_forever(0, 200000, udelay);
}
