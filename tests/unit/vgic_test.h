/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared helpers of the vGIC model tests (test_vgic_*.c). */
#ifndef BULKHEAD_TESTS_VGIC_TEST_H
#define BULKHEAD_TESTS_VGIC_TEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "vgic.h"

/* Register offsets, spelled out again from IHI 0069 / IHI 0048 to check the model. */
#define GICD_CTLR	     0x0000
#define GICD_TYPER	     0x0004
#define GICD_IIDR	     0x0008
#define GICD_IGROUPR	     0x0080
#define GICD_ISENABLER	     0x0100
#define GICD_ICENABLER	     0x0180
#define GICD_ISPENDR	     0x0200
#define GICD_ICPENDR	     0x0280
#define GICD_ISACTIVER	     0x0300
#define GICD_ICACTIVER	     0x0380
#define GICD_IPRIORITYR	     0x0400
#define GICD_ITARGETSR	     0x0800
#define GICD_ICFGR	     0x0c00
#define GICD_SGIR	     0x0f00
#define GICD_CPENDSGIR	     0x0f10
#define GICD_SPENDSGIR	     0x0f20
#define GICD_ICPIDR2_V2	     0x0fe8
#define GICD_IROUTER	     0x6000
#define GICD_PIDR2	     0xffe8
#define GICR_CTLR	     0x0000
#define GICR_IIDR	     0x0004
#define GICR_TYPER	     0x0008
#define GICR_WAKER	     0x0014
#define GICR_PIDR2	     0xffe8
#define GICR_SGI	     0x10000
#define GICR_FRAME	     0x20000
#define GICD_CTLR_EnableGrp0 (1u << 0)
#define GICD_CTLR_EnableGrp1 (1u << 1)
#define GICD_CTLR_ARE	     (1u << 4)
#define GICD_CTLR_DS	     (1u << 6)

/* Bit and byte addresses of INTID @n in the per-INTID banks. */
#define BIT_REG(base, n) ((base) + ((n) / 32) * 4)
#define BIT_OF(n)	 (1u << ((n) % 32))

static inline int vt_dist(struct vgic_cell *v, unsigned int vcpu, uint32_t off, unsigned int size,
			  bool write, uint64_t *val)
{
	struct mmio_access acc = { .ipa = LAYOUT_VGICD_BASE + off,
				   .size = size,
				   .write = write,
				   .value = write ? *val : 0xdeadbeefdeadbeefULL };
	int ret = vgic_dist_access(v, vcpu, off, &acc);

	*val = acc.value;
	return ret;
}

static inline int vt_redist(struct vgic_cell *v, unsigned int vcpu, uint64_t off, unsigned int size,
			    bool write, uint64_t *val)
{
	struct mmio_access acc = { .ipa = LAYOUT_VGICR_BASE + off,
				   .size = size,
				   .write = write,
				   .value = write ? *val : 0xdeadbeefdeadbeefULL };
	int ret = vgic_redist_access(v, vcpu, off, &acc);

	*val = acc.value;
	return ret;
}

/* Word write/read by vCPU 0 that must succeed. */
#define DWR(v, off, val)                                                     \
	do {                                                                 \
		uint64_t vt_val_ = (val);                                    \
		assert_true(vt_dist((v), 0, (off), 4, true, &vt_val_) >= 0); \
	} while (0)

static inline uint32_t vt_drd(struct vgic_cell *v, unsigned int vcpu, uint32_t off)
{
	uint64_t val = 0;

	if (vt_dist(v, vcpu, off, 4, false, &val) < 0)
		return 0xbad0bad0u;
	return (uint32_t)val;
}

/* Number of times @needle occurs in @hay. */
static inline int vt_count(const char *hay, const char *needle)
{
	int n = 0;
	size_t len = strlen(needle);

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += len;
	}
	return n;
}

#endif
