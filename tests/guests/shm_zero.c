// SPDX-License-Identifier: GPL-2.0-only
/*
 * shm_zero: on its first boot, every byte of both shared-memory regions of
 * tests/scenarios/layouts/shm.dts (region 0, 1 MiB, and region 1, 64 KiB)
 * reads as zero, whatever the RAM held before Bulkhead started (the scenario
 * loads a pattern there, as a boot loader's staging would leave one).
 *   TEST shm_zero PASS
 *   TEST shm_zero FAIL region N offset 0x... holds 0x...
 * It then leaves a mark in both regions and in a page of its private RAM and
 * restarts itself (PSCI SYSTEM_RESET). On the second boot the shared marks
 * are still there, as a restart leaves shared memory alone (docs/shm.md),
 * and the private page is zero, as it scrubs the cell's own RAM:
 *   TEST shm_kept PASS | FAIL region N offset 0x... holds 0x..., not 0x...
 *   TEST shm_private_scrubbed PASS | FAIL offset 0x... holds 0x...
 * then "heartbeat N" forever.
 */
#include "shm_common.h"

#define SHM0_SIZE    0x100000UL
#define SHM1_SIZE    0x10000UL
#define MARK_OFFSET  0x8000UL	  /* in each region: past every guest's mailbox */
#define PRIVATE_PAGE 0x40100000UL /* above this image, in the cell's own RAM */
#define PAGE_WORDS   512
#define MARK(r)	     (0x5a4e3a4b00000000UL | (r))

static const uintptr_t base[] = { SHM0_IPA, SHM1_IPA };
static const uint64_t size[] = { SHM0_SIZE, SHM1_SIZE };

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

static void check_zero(void)
{
	uint64_t off, value = 0;
	unsigned int r;

	for (r = 0; r < 2; r++) {
		off = first_nonzero(base[r], size[r], &value);
		if (off != size[r]) {
			TEST_FAIL("shm_zero", "region %u offset 0x%lx holds 0x%lx", r,
				  (unsigned long)off, (unsigned long)value);
			return;
		}
	}
	TEST_PASS("shm_zero");
}

static void leave_marks(void)
{
	volatile uint64_t *page = (volatile uint64_t *)PRIVATE_PAGE;
	unsigned int r, i;

	for (r = 0; r < 2; r++)
		*(volatile uint64_t *)(base[r] + MARK_OFFSET) = MARK(r);
	for (i = 0; i < PAGE_WORDS; i++)
		page[i] = MARK(2);
	dmb();
}

static void check_marks(void)
{
	uint64_t off, value = 0;
	unsigned int r;

	for (r = 0; r < 2; r++) {
		value = *(volatile uint64_t *)(base[r] + MARK_OFFSET);
		if (value != MARK(r)) {
			TEST_FAIL("shm_kept", "region %u offset 0x%lx holds 0x%lx, not 0x%lx", r,
				  MARK_OFFSET, (unsigned long)value, MARK(r));
			break;
		}
	}
	if (r == 2)
		TEST_PASS("shm_kept");
	off = first_nonzero(PRIVATE_PAGE, PAGE_WORDS * 8, &value);
	if (off != PAGE_WORDS * 8)
		TEST_FAIL("shm_private_scrubbed", "offset 0x%lx holds 0x%lx",
			  (unsigned long)(PRIVATE_PAGE + off), (unsigned long)value);
	else
		TEST_PASS("shm_private_scrubbed");
}

int main(void *dtb)
{
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;

	(void)dtb;
	if (boot == 1) {
		check_zero();
		leave_marks();
		psci_system_reset();
	}
	check_marks();
	heartbeat_forever(0, 200000, udelay);
}
