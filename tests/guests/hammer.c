// SPDX-License-Identifier: GPL-2.0-only
/*
 * hammer: a noisy neighbour for the interference benchmark (make bench).
 * Writes and reads back 16 MiB of its own RAM, past its image and clear of
 * its DTB, without end. Prints one line when it starts and nothing after.
 */
#include "guest.h"

#define HAMMER_BYTES (16UL << 20)
#define DTB_SLOT     (2UL << 20)
#define BUF_ALIGN    (1UL << 20)

extern char _end[] __attribute__((visibility("hidden")));

int main(void *dtb)
{
	uintptr_t base = ((uintptr_t)_end + BUF_ALIGN - 1) & ~(BUF_ALIGN - 1);
	uintptr_t fdt = (uintptr_t)dtb;
	volatile uint64_t *buf;
	uint64_t pass, sum = 0;
	size_t w;

	if (fdt + DTB_SLOT > base && fdt < base + HAMMER_BYTES)
		base = (fdt + DTB_SLOT + BUF_ALIGN - 1) & ~(BUF_ALIGN - 1);
	buf = (volatile uint64_t *)base;
	printf("hammer: writing and reading 0x%lx-0x%lx without end\n", (unsigned long)base,
	       (unsigned long)(base + HAMMER_BYTES - 1));
	for (pass = 0;; pass++) {
		for (w = 0; w < HAMMER_BYTES / 8; w++)
			buf[w] = pass + w;
		for (w = 0; w < HAMMER_BYTES / 8; w++)
			sum += buf[w];
		buf[0] = sum; /* keep the reads live */
	}
	return 0;
}
