// SPDX-License-Identifier: GPL-2.0-only
/*
 * edu_dma: DMA containment with QEMU's "edu" PCI device (1234:11e8), run in
 * cell "alpha" of tests/scenarios/layouts/smmu.dts (RAM IPA = PA 0x48000000,
 * 64 MiB, on-fault "restart"). The edu device copies between RAM and its own
 * 4 KiB buffer (at 0x40000 in its DMA space) through registers in BAR0:
 * 0x80 source, 0x88 destination, 0x90 count, 0x98 command (bit 0 run,
 * bit 1 direction: 1 = buffer to RAM).
 *
 * Every boot first enumerates buses 0-4 through the (filtered) ECAM window and
 * prints each function it sees, and writes to 00:00.0 (not the cell's).
 * Then, by the hypervisor's boot count:
 *  1: a round trip RAM -> edu -> RAM inside the cell, compared byte by byte;
 *     then a DMA aimed at the other cell's canary page (PA 0x4c100000);
 *  2: a DMA aimed at the hypervisor's memory (PA 0x40200000);
 *  3 and later: the round trip again, "dma_contained" if it works (after
 *     two faults, or a stop that aborted the stream, the stream must
 *     translate again), then beat.
 * Each stray DMA is a fault of this cell: the hypervisor restarts it.
 */
#include "edu.h"
#include "test.h"

#define ECAM 0x4010000000UL
#define ECAM_FN(b, d, f) \
	(ECAM + ((uint64_t)(b) << 20) + ((uint64_t)(d) << 15) + ((uint64_t)(f) << 12))
#define NR_BUSES      5 /* the root bus and the buses of the ports in test_smmu.py */
#define EDU_ID	      0x11e81234u
#define SRC_IPA	      0x48400000UL
#define DST_IPA	      0x48500000UL
#define OTHER_CELL_PA 0x4c100000UL /* beta's canary page (tests/guests/canary.c) */
#define HYP_PA	      0x40200000UL /* inside hypervisor-memory 0x40000000-0x40ffffff */
#define HEARTBEAT_US  100000

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

/* Print every function buses 0-4 show this cell; returns the edu's config base or 0. */
static uint64_t enumerate(void)
{
	uint64_t edu = 0;
	unsigned int n = 0;

	for (unsigned int b = 0; b < NR_BUSES; b++) {
		for (unsigned int d = 0; d < 32; d++) {
			for (unsigned int f = 0; f < 8; f++) {
				uint32_t id = cfg_read32(ECAM_FN(b, d, f), 0);

				if ((id & 0xffff) == 0xffff)
					continue;
				printf("pci: %02x:%02x.%u %04x:%04x\n", b, d, f, id & 0xffff,
				       id >> 16);
				n++;
				if (id == EDU_ID)
					edu = ECAM_FN(b, d, f);
			}
		}
	}
	printf("pci: %u function(s) visible\n", n);
	/* The host bridge is not the cell's: this write must be dropped (and logged). */
	cfg_write16(ECAM_FN(0, 0, 0), 0x04, 0);
	return edu;
}

static bool bar_sizing(uint64_t fn, uint64_t *bar)
{
	uint32_t orig = cfg_read32(fn, 0x10), mask;

	cfg_write32(fn, 0x10, 0xffffffff);
	mask = cfg_read32(fn, 0x10) & ~0xfu;
	cfg_write32(fn, 0x10, orig);
	/* A foreign value must not move the BAR: the hypervisor keeps its own. */
	cfg_write32(fn, 0x10, 0x20000000);
	*bar = cfg_read32(fn, 0x10) & ~0xfu;
	printf("edu BAR0 0x%lx, size 0x%x\n", *bar, ~mask + 1);
	return ~mask + 1 == 0x100000 && *bar == (orig & ~0xfu) && *bar != 0;
}

/* One transfer; true once the device says it is done (it runs 100 ms after the command). */
static bool edu_dma(uint64_t bar, uint64_t src, uint64_t dst, uint64_t cnt, uint64_t cmd)
{
	uint64_t start = timer_now();

	edu_dma_start(bar, src, dst, cnt, cmd);
	while (edu_r64(bar, EDU_DMA_CMD) & EDU_CMD_RUN)
		if (timer_now() - start > timer_freq() * 2)
			return false;
	return true;
}

static bool dma_own(uint64_t bar)
{
	volatile uint8_t *src = (volatile uint8_t *)SRC_IPA, *dst = (volatile uint8_t *)DST_IPA;
	unsigned int i, bad = 0;

	for (i = 0; i < EDU_BUF_SIZE; i++) {
		src[i] = (uint8_t)(i * 7 + 3);
		dst[i] = 0;
	}
	dmb();
	if (!edu_dma(bar, SRC_IPA, EDU_BUF, EDU_BUF_SIZE, 0) ||
	    !edu_dma(bar, EDU_BUF, DST_IPA, EDU_BUF_SIZE, EDU_CMD_TO_RAM)) {
		TEST_FAIL("dma_own", "the edu device did not complete the transfer");
		return false;
	}
	for (i = 0; i < EDU_BUF_SIZE; i++)
		if (dst[i] != (uint8_t)(i * 7 + 3) && bad++ == 0)
			printf("byte %u: got 0x%x, expected 0x%x\n", i, dst[i],
			       (uint8_t)(i * 7 + 3));
	if (bad)
		TEST_FAIL("dma_own", "%u of %u bytes differ after RAM -> edu -> RAM", bad,
			  EDU_BUF_SIZE);
	else
		TEST_PASS("dma_own");
	return !bad;
}

static void dma_stray(uint64_t bar, uint64_t target, const char *what)
{
	printf("aiming DMA at %s, PA 0x%lx\n", what, target);
	edu_dma(bar, EDU_BUF, target, EDU_BUF_SIZE, EDU_CMD_TO_RAM);
	printf("DMA at 0x%lx issued; waiting for the hypervisor's verdict\n", target);
	for (;;)
		udelay(HEARTBEAT_US);
}

int main(void *dtb)
{
	struct smccc_res info = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0);
	uint64_t edu, bar;

	(void)dtb;
	printf("hypervisor boot %lu\n", info.a3);
	edu = enumerate();
	if (!edu) {
		TEST_FAIL("edu_found", "no 1234:11e8 on buses 0-4");
		return 0;
	}
	TEST_PASS("edu_found");
	if (!bar_sizing(edu, &bar)) {
		TEST_FAIL("edu_bar", "BAR0 sizing or placement is wrong");
		return 0;
	}
	TEST_PASS("edu_bar");
	cfg_write16(edu, 0x04, 0x6);		       /* memory decode and bus mastering */
	if (*(volatile uint32_t *)bar != 0x010000ed) { /* identification, 32-bit only */
		TEST_FAIL("edu_bar", "BAR0 register 0 reads 0x%x", *(volatile uint32_t *)bar);
		return 0;
	}
	if (info.a3 == 1) {
		dma_own(bar);
		dma_stray(bar, OTHER_CELL_PA, "the other cell's canary");
	}
	if (info.a3 == 2)
		dma_stray(bar, HYP_PA, "the hypervisor's memory");
	/* Boots 1 and 2 end in their stray DMA's fault: the stream must still serve this one. */
	if (dma_own(bar))
		TEST_PASS("dma_contained");
	else
		TEST_FAIL("dma_contained", "after its stray DMA was blocked, the device no longer "
					   "reaches the cell's own memory");
	heartbeat_forever(1, HEARTBEAT_US, udelay);
}
