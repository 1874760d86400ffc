// SPDX-License-Identifier: GPL-2.0-only
/*
 * stall_watch: a bystander that measures how long its boot vCPU is kept out
 * of the guest. It reads the virtual counter in a tight loop and keeps the
 * longest step between two reads (printing excluded); every BEAT_US it prints
 *     beat N maxgap_us G
 * with G the longest since boot. Nothing but its timer's own wake-ups and
 * another cell's doing can make G large: it takes no interrupt, and its
 * prints are measured out.
 */
#include "test.h"

#define BEAT_US 100000

int main(void *dtb)
{
	uint64_t freq = timer_freq(), period = freq / 1000000 * BEAT_US;
	uint64_t last = timer_now(), next = last + period, max = 0, now;
	unsigned int n = 1;

	(void)dtb;
	printf("stall_watch: running\n");
	for (;;) {
		now = timer_now();
		if (now - last > max)
			max = now - last;
		last = now;
		if (now < next)
			continue;
		printf("beat %u maxgap_us %lu\n", n++, (unsigned long)(max * 1000000 / freq));
		next += period;
		last = timer_now();
	}
	return 0;
}
