// SPDX-License-Identifier: GPL-2.0-only
/*
 * edu_gicv: the edu PCI device of cell "alpha" (tests/scenarios/layouts/smmu.dts,
 * 00:03.0) aimed at the cell's GIC CPU interface, 0x08010000: on GICv2 the
 * hypervisor maps the CPU's virtual interface (GICV) there for the cell's
 * CPUs. GICV is banked by the CPU that accesses it; a device must not reach
 * it, and the SMMU's stage 2 does not map it (docs/pci.md, DMA). On GICv3
 * nothing is mapped there at all. Either way the read is a DMA fault of this
 * cell (on-fault "restart"); boot 2 and later report and beat.
 */
#include "edu.h"
#include "test.h"

#define EDU_CFG	     0x4010018000UL /* ECAM + 00:03.0 */
#define EDU_ID	     0x11e81234u
#define GICC_IPA     0x08010000UL
#define HEARTBEAT_US 100000

int main(void *dtb)
{
	struct smccc_res info = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0);
	volatile uint32_t *cfg = (volatile uint32_t *)EDU_CFG;
	uint64_t bar;

	(void)dtb;
	printf("hypervisor boot %lu\n", info.a3);
	if (cfg[0] != EDU_ID) {
		TEST_FAIL("edu_found", "00:03.0 reads 0x%x", cfg[0]);
		return 0;
	}
	bar = cfg[4] & ~0xfu;
	*(volatile uint16_t *)(EDU_CFG + 4) = 0x6; /* memory decode and bus mastering */
	if (info.a3 == 1) {
		printf("aiming a DMA read at the GIC CPU interface, IPA 0x%lx\n", GICC_IPA);
		edu_dma_start(bar, GICC_IPA, EDU_BUF, 256, 0);
		for (;;)
			udelay(HEARTBEAT_US);
	}
	TEST_PASS("gicv_dma_contained");
	heartbeat_forever(1, HEARTBEAT_US, udelay);
}
