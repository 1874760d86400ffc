// SPDX-License-Identifier: GPL-2.0-only
/*
 * hammer: a noisy neighbour for the interference benchmark (make bench).
 * Writes and reads back 16 MiB of its own RAM, past its image and clear of
 * its DTB, without end, and hammers the GIC on the way: every 8 KiB written,
 * a distributor read and a priority write (trapped, emulated) and an SGI to
 * itself (trapped, injected, taken). Prints one line when it starts and
 * nothing after.
 */
#include "gic.h"
#include "guest.h"

#define HAMMER_BYTES (16UL << 20)
#define DTB_SLOT     (2UL << 20)
#define BUF_ALIGN    (1UL << 20)
#define GIC_EVERY    1024 /* 64-bit words between two rounds of GIC work */
#define HAMMER_SGI   5

extern char _end[] __attribute__((visibility("hidden")));

static volatile uint64_t sgis_taken;

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar;

	(void)frame;
	while (gic_iar_intid(iar = gic_ack()) < 1020) {
		sgis_taken++;
		gic_eoi(iar);
	}
	return true;
}

static void gic_work(void)
{
	(void)gic_dist_read32(GICD_TYPER);
	gic_irq_set_priority(HAMMER_SGI, 0x80);
	gic_send_sgi(HAMMER_SGI, 1u);
}

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
	gic_init();
	gic_cpu_init();
	gic_irq_enable(HAMMER_SGI);
	irq_unmask();
	printf("hammer: writing and reading 0x%lx-0x%lx and hammering the GIC without end\n",
	       (unsigned long)base, (unsigned long)(base + HAMMER_BYTES - 1));
	for (pass = 0;; pass++) {
		for (w = 0; w < HAMMER_BYTES / 8; w++) {
			buf[w] = pass + w;
			if (w % GIC_EVERY == 0)
				gic_work();
		}
		for (w = 0; w < HAMMER_BYTES / 8; w++)
			sum += buf[w];
		buf[0] = sum; /* keep the reads live */
	}
	return 0;
}
