/* SPDX-License-Identifier: GPL-2.0-only */
/* A PCI function's config space as the PCI test guests reach it: QEMU virt's ECAM, mapped. */
#ifndef TEST_GUEST_PCI_CFG_H
#define TEST_GUEST_PCI_CFG_H

#include <stdint.h>

#define ECAM	       0x4010000000UL
#define PCI_COMMAND    0x04
#define PCI_CMD_MEMORY 0x2u
#define PCI_CAP_PTR    0x34
#define PCI_CAP_EXP    0x10
#define PCI_EXP_DEVCAP 0x04
#define PCI_EXP_DEVCTL 0x08
#define DEVCAP_FLR     (1u << 28)
#define DEVCTL_FLR     (1u << 15)

static inline uint32_t rd32(uint64_t fn, unsigned int reg)
{
	return *(volatile uint32_t *)(fn + reg);
}

static inline void wr32(uint64_t fn, unsigned int reg, uint32_t v)
{
	*(volatile uint32_t *)(fn + reg) = v;
}

/* The capability @id in @fn's list, or 0 (at most 48 hops: a looping list ends). */
static inline unsigned int find_cap(uint64_t fn, unsigned int id)
{
	unsigned int at = rd32(fn, PCI_CAP_PTR) & 0xfc;

	for (int n = 0; n < 48 && at >= 0x40; n++) {
		uint32_t hdr = rd32(fn, at);

		if ((hdr & 0xff) == id)
			return at;
		at = (hdr >> 8) & 0xfc;
	}
	return 0;
}

#endif
