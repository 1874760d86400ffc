/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_GUEST_GIC_H
#define BULKHEAD_GUEST_GIC_H

/*
 * A minimal GIC driver for test guests, GICv2 or GICv3 (whichever the CPU
 * reports: ID_AA64PFR0_EL1.GIC), at the addresses of platform.h (GICv3: one
 * GICR per vCPU, 128 KiB apart). GICv3 interrupts are Group 1 (ICC_* system
 * registers), GICv2 ones Group 0 signalled as IRQ. EOImode 0: the EOI
 * also deactivates. Runs bare on QEMU virt too.
 */
#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

#pragma GCC visibility push(hidden)

/*
 * The distributor and its per-INTID banks (one bit, byte or 64-bit word per
 * INTID from these offsets; IROUTER from INTID 0), for the guests that poke
 * it directly. The same layout serves GICR_SGI_BASE for INTIDs 0-31.
 */
#define GICD_BASE	PLATFORM_GICD_BASE
#define GICR_SGI_BASE	(PLATFORM_GICR_BASE + 0x10000UL) /* vCPU 0's SGI_base frame */
#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR	0x0800 /* v2 */
#define GICD_ICFGR	0x0c00
#define GICD_SGIR	0x0f00 /* v2 */
#define GICD_IROUTER	0x6000 /* v3 */

#define GIC_INTID_SPURIOUS 1023
#define GIC_INTID_VTIMER   27
#define GIC_INTID_PTIMER   30

/* 2 or 3. */
int gic_version(void);
/* Boot vCPU, once: the distributor on, every SPI Group 1 (v3) / Group 0 (v2). */
void gic_init(void);
/* Every vCPU that takes interrupts: its redistributor (v3) and CPU interface. */
void gic_cpu_init(void);

/* SGIs/PPIs are the calling vCPU's own; SPIs the distributor's. */
void gic_irq_enable(uint32_t intid);
void gic_irq_disable(uint32_t intid);
void gic_irq_set_pending(uint32_t intid);
void gic_irq_set_priority(uint32_t intid, uint8_t priority);
/* SPIs: deliver to vCPU @cpu (GICD_IROUTER Aff0 / GICD_ITARGETSR). */
void gic_irq_set_target(uint32_t intid, unsigned int cpu);
/* Raw register reads for isolation probes: GICD at @offset. */
uint32_t gic_dist_read32(uint32_t offset);
void gic_dist_write32(uint32_t offset, uint32_t value);
void gic_dist_write64(uint32_t offset, uint64_t value);
uint64_t gic_dist_read64(uint32_t offset);
/* v3: vCPU @cpu's redistributor SGI frame at @offset (GICR_ISPENDR0 = GICD_ISPENDR). */
uint32_t gic_redist_sgi_read32(unsigned int cpu, uint32_t offset);
void gic_redist_sgi_write32(unsigned int cpu, uint32_t offset, uint32_t value);

/* Acknowledge: the raw IAR value (give it back to gic_eoi), INTID in gic_iar_intid(). */
uint32_t gic_ack(void);
uint32_t gic_iar_intid(uint32_t iar);
void gic_eoi(uint32_t iar);

/* SGI @sgi to the vCPUs in @mask (bit n = vCPU n, Aff0 n), or to every other vCPU. */
void gic_send_sgi(unsigned int sgi, uint32_t mask);
void gic_send_sgi_others(unsigned int sgi);

static inline void irq_unmask(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline void irq_mask(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

#pragma GCC visibility pop

#endif
