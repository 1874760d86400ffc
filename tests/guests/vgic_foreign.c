// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_foreign: after ATTACK_DELAY_MS, try to enable, pend, reprioritise,
 * route, disable, unpend and deactivate SPI 34 (QEMU virt's PL031), which
 * another cell owns, through this cell's distributor. Each register must
 * read back 0 (the INTID is not the cell's) and the owner must notice
 * nothing (tests/scenarios/test_vgic.py). Then "heartbeat N" forever.
 */
#include "gic.h"
#include "test.h"

#define FOREIGN_SPI	34
#define ATTACK_DELAY_MS 300
#define BEAT_US		100000

static bool all_ok = true;

static void expect_zero(const char *name, uint32_t value)
{
	if (value == 0) {
		printf("TEST %s PASS\n", name);
		return;
	}
	TEST_FAIL(name, "read back 0x%x, want 0", value);
	all_ok = false;
}

int main(void *dtb)
{
	uint32_t bank = (FOREIGN_SPI / 32) * 4, bit = 1u << (FOREIGN_SPI % 32);
	uint32_t word = FOREIGN_SPI & ~3u, byte = (FOREIGN_SPI % 4) * 8;

	(void)dtb;
	gic_init();
	gic_cpu_init();
	udelay(ATTACK_DELAY_MS * 1000);
	printf("vgic_foreign: GICv%d, attacking INTID %u\n", gic_version(), FOREIGN_SPI);

	gic_dist_write32(GICD_ISENABLER + bank, bit);
	expect_zero("foreign_enable", gic_dist_read32(GICD_ISENABLER + bank) & bit);
	gic_dist_write32(GICD_ISPENDR + bank, bit);
	expect_zero("foreign_pend", gic_dist_read32(GICD_ISPENDR + bank) & bit);
	gic_dist_write32(GICD_ISACTIVER + bank, bit);
	expect_zero("foreign_activate", gic_dist_read32(GICD_ISACTIVER + bank) & bit);
	gic_dist_write32(GICD_IPRIORITYR + word, 0x10101010u);
	expect_zero("foreign_priority", (gic_dist_read32(GICD_IPRIORITYR + word) >> byte) & 0xff);
	if (gic_version() == 3) {
		gic_dist_write64(GICD_IROUTER + 8 * FOREIGN_SPI, 1u << 31); /* IRM: any CPU */
		expect_zero("foreign_route",
			    (uint32_t)gic_dist_read64(GICD_IROUTER + 8 * FOREIGN_SPI));
	} else {
		gic_dist_write32(GICD_ITARGETSR + word, 0x01010101u);
		expect_zero("foreign_route",
			    (gic_dist_read32(GICD_ITARGETSR + word) >> byte) & 0xff);
	}
	/* The owner's state must survive these as well. */
	gic_dist_write32(GICD_ICENABLER + bank, bit);
	gic_dist_write32(GICD_ICPENDR + bank, bit);
	gic_dist_write32(GICD_ICACTIVER + bank, bit);
	if (all_ok)
		TEST_PASS("vgic_foreign");
	else
		TEST_FAIL("vgic_foreign", "a foreign INTID's state was visible");
	heartbeat_forever(1, BEAT_US, udelay);
}
