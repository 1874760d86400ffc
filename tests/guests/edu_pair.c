// SPDX-License-Identifier: GPL-2.0-only
/*
 * edu_pair: two of QEMU's edu devices (1234:11e8) on the root bus, at 00:03.0
 * and 00:04.0, both in cell "alpha" of tests/scenarios/layouts/smmu-edu-pair.dts,
 * next to a pcie-root-port at 00:02.0 whose own 4 KiB BAR (its MSI-X table)
 * firmware placed in the first MiB of the host's window, where the first edu's
 * BAR would go (U-Boot's pci enum goes in slot order). The hypervisor places
 * the edus' BARs again: neither may land on the port's, or some of its
 * accesses reach the port instead.
 *
 *  - edu_pair: each edu's BAR0 is 1 MiB, the two do not overlap, and with
 *    memory decode on each answers its identification register (0x010000ed)
 *    and its own write to its liveness register (0x04, read back inverted),
 *    apart from the other's.
 */
#include "test.h"

#define ECAM	     0x4010000000UL
#define ECAM_FN(d)   (ECAM + ((uint64_t)(d) << 15))
#define EDU_ID	     0x11e81234u
#define EDU_IDENT    0x00
#define EDU_LIVENESS 0x04 /* reads back the inverse of what was written */
#define EDU_BAR_SIZE 0x100000u
#define HEARTBEAT_US 100000

static const unsigned int slots[2] = { 3, 4 };

static uint32_t cfg_read32(uint64_t fn, unsigned int reg)
{
	return *(volatile uint32_t *)(fn + reg);
}

static void cfg_write16(uint64_t fn, unsigned int reg, uint16_t v)
{
	*(volatile uint16_t *)(fn + reg) = v;
}

static void cfg_write32(uint64_t fn, unsigned int reg, uint32_t v)
{
	*(volatile uint32_t *)(fn + reg) = v;
}

static volatile uint32_t *reg_at(uint64_t bar, unsigned int off)
{
	return (volatile uint32_t *)(bar + off);
}

/* BAR0 of the edu in slot @d: its address, or 0 if it is not there or not 1 MiB. */
static uint64_t bar0(unsigned int d)
{
	uint64_t fn = ECAM_FN(d);
	uint32_t orig, size;

	if (cfg_read32(fn, 0) != EDU_ID) {
		printf("00:%02x.0: id 0x%x, not an edu\n", d, cfg_read32(fn, 0));
		return 0;
	}
	orig = cfg_read32(fn, 0x10);
	cfg_write32(fn, 0x10, 0xffffffff);
	size = ~(cfg_read32(fn, 0x10) & ~0xfu) + 1;
	cfg_write32(fn, 0x10, orig);
	printf("00:%02x.0: BAR0 0x%x, size 0x%x\n", d, orig & ~0xfu, size);
	return size == EDU_BAR_SIZE ? orig & ~0xfu : 0;
}

int main(void *dtb)
{
	uint64_t bar[2];
	unsigned int i;

	(void)dtb;
	for (i = 0; i < 2; i++) {
		bar[i] = bar0(slots[i]);
		if (!bar[i]) {
			TEST_FAIL("edu_pair", "00:%02x.0 is not a 1 MiB edu BAR", slots[i]);
			return 0;
		}
		cfg_write16(ECAM_FN(slots[i]), 0x04, 0x2); /* memory decode */
	}
	if (bar[0] < bar[1] + EDU_BAR_SIZE && bar[1] < bar[0] + EDU_BAR_SIZE) {
		TEST_FAIL("edu_pair", "BAR0s 0x%lx and 0x%lx overlap", bar[0], bar[1]);
		return 0;
	}
	for (i = 0; i < 2; i++) {
		uint32_t id = *reg_at(bar[i], EDU_IDENT);

		printf("00:%02x.0: identification 0x%x\n", slots[i], id);
		if (id != 0x010000ed) {
			TEST_FAIL("edu_pair",
				  "00:%02x.0's BAR0 at 0x%lx reads 0x%x, not 0x010000ed", slots[i],
				  bar[i], id);
			return 0;
		}
		*reg_at(bar[i], EDU_LIVENESS) = 0x5a5a0000u + i;
	}
	/* Each edu answers for its own write: no two BARs decode the same page. */
	for (i = 0; i < 2; i++)
		if (*reg_at(bar[i], EDU_LIVENESS) != ~(0x5a5a0000u + i)) {
			TEST_FAIL("edu_pair", "00:%02x.0's liveness register reads 0x%x", slots[i],
				  *reg_at(bar[i], EDU_LIVENESS));
			return 0;
		}
	TEST_PASS("edu_pair");
	heartbeat_forever(1, HEARTBEAT_US, udelay);
}
