/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's "edu" PCI device (1234:11e8), the DMA master of the SMMU tests: it
 * copies between RAM and its own 4 KiB buffer (at EDU_BUF in its DMA space)
 * through registers in BAR0.
 */
#ifndef BULKHEAD_GUEST_EDU_H
#define BULKHEAD_GUEST_EDU_H

#include <stdint.h>

#define EDU_BUF	       0x40000UL
#define EDU_BUF_SIZE   4096
#define EDU_DMA_SRC    0x80
#define EDU_DMA_DST    0x88
#define EDU_DMA_CNT    0x90
#define EDU_DMA_CMD    0x98
#define EDU_CMD_RUN    1u
#define EDU_CMD_TO_RAM 2u /* direction: buffer to RAM */

static inline void edu_w64(uint64_t bar, unsigned int reg, uint64_t v)
{
	*(volatile uint64_t *)(bar + reg) = v;
}

static inline uint64_t edu_r64(uint64_t bar, unsigned int reg)
{
	return *(volatile uint64_t *)(bar + reg);
}

/* Start one transfer; EDU_CMD_RUN in EDU_DMA_CMD stays set until it is done. */
static inline void edu_dma_start(uint64_t bar, uint64_t src, uint64_t dst, uint64_t cnt,
				 uint64_t cmd)
{
	edu_w64(bar, EDU_DMA_SRC, src);
	edu_w64(bar, EDU_DMA_DST, dst);
	edu_w64(bar, EDU_DMA_CNT, cnt);
	edu_w64(bar, EDU_DMA_CMD, cmd | EDU_CMD_RUN);
}

#endif
