// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_mem (battery a): page-stride reads and writes over every physical
 * range that is not this cell's: the victim's RAM (PA 0x4c000000, 64 MiB),
 * the hypervisor's RAM (PA 0x40000000, 16 MiB), the victim's PL031, the
 * GICv3 redistributor frames past this cell's two (the other CPUs') and the
 * ITS, the GICv2 hypervisor and virtual CPU interface frames (GICH, GICV). Each access must take a
 * synchronous external abort; one that completes is a FAIL (and a write
 * would show as a changed canary in the victim).
 */
#include "hostile.h"

#define PAGE	0x1000UL
#define PATTERN 0x5afe5afe5afe5afeUL

struct range {
	char name[20]; /* inline: a pointer table would need relocations */
	uint64_t base, size;
};

static const struct range ranges[] = {
	{ "victim_ram", 0x4c000000UL, 0x04000000UL },
	{ "hyp_ram", 0x40000000UL, 0x01000000UL },
	{ "victim_pl031", 0x09010000UL, PAGE },
	{ "gicr_beyond_own", 0x080e0000UL, 0x00040000UL }, /* v3: past this cell's 2 frames */
	{ "its", 0x08080000UL, 0x00020000UL },
	{ "gich_gicv", 0x08030000UL, 0x00020000UL }, /* v2: GICH, GICV */
};

int main(void *dtb)
{
	unsigned int r, failures = 0;
	uint64_t a, val, probes, aborts, t0 = timer_now();

	(void)dtb;
	for (r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
		probes = aborts = 0;
		for (a = ranges[r].base; a < ranges[r].base + ranges[r].size; a += PAGE) {
			if (probe_read(a, &val) != 0)
				aborts++;
			if (probe_write(a, PATTERN) != 0)
				aborts++;
			probes += 2;
		}
		if (aborts == probes) {
			TEST_PASS(ranges[r].name);
		} else {
			failures++;
			TEST_FAIL(ranges[r].name, "%lu of %lu accesses completed", probes - aborts,
				  probes);
		}
	}
	printf("probes took %lu ms\n", (timer_now() - t0) * 1000 / timer_freq());
	if (failures == 0)
		TEST_PASS("hostile_mem");
	hostile_done("mem");
}
