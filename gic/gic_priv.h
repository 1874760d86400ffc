/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What gic/gic.c dispatches to: one set of functions per GIC version, chosen
 * by a switch on the version the board FDT gave. Private to gic/.
 */
#ifndef BULKHEAD_GIC_PRIV_H
#define BULKHEAD_GIC_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include "gic_regs.h"
#include "log.h"
#include "platform.h"

/* A redistributor or CPU interface that does not answer within this is broken. */
#define GIC_POLL_TIMEOUT_MS 10

/* MMIO through the EL2 map (Device-nGnRE): single-copy atomic 32/64-bit accesses. */
static inline uint32_t gic_read32(uintptr_t base, uintptr_t off)
{
	return *(volatile uint32_t *)(base + off);
}

static inline void gic_write32(uintptr_t base, uintptr_t off, uint32_t val)
{
	*(volatile uint32_t *)(base + off) = val;
}

static inline void gic_write8(uintptr_t base, uintptr_t off, uint8_t val)
{
	*(volatile uint8_t *)(base + off) = val;
}

static inline uint64_t gic_read64(uintptr_t base, uintptr_t off)
{
	return *(volatile uint64_t *)(base + off);
}

static inline void gic_write64(uintptr_t base, uintptr_t off, uint64_t val)
{
	*(volatile uint64_t *)(base + off) = val;
}

/*
 * INTIDs 0 .. gic_lines-1 exist at the distributor: GICD_TYPER @typer's
 * ITLinesNumber, the special INTIDs cut off. Set by the driver's init;
 * gic_nr_lines() says 0 until gic_init() succeeded.
 */
extern unsigned int gic_lines;
static inline unsigned int gic_typer_lines(uint32_t typer)
{
	unsigned int n = 32 * (GICD_TYPER_ITLinesNumber(typer) + 1);

	return n < GIC_INTID_LIMIT ? n : GIC_INTID_LIMIT;
}

/* Wait until (read32(base + off) & mask) == 0; false on timeout. */
bool gic_poll_clear(uintptr_t base, uintptr_t off, uint32_t mask);

/* MPIDR Aff3.Aff2.Aff1.Aff0 packed into 32 bits, as GICR_TYPER reports it. */
static inline uint32_t gic_mpidr_to_affinity(uint64_t mpidr)
{
	return (uint32_t)(((mpidr >> 8) & 0xff000000u) | (mpidr & 0xffffffu));
}

/* The board's GICR regions, as struct platform_gic gives them (gic/gicv3_redist.c). */
struct gicv3_redists {
	struct mem_range region[PLATFORM_MAX_GICR_REGIONS];
	unsigned int nr;
	uint64_t stride; /* redistributor-stride, or 0: from GICR_TYPER.VLPIS */
};

/*
 * RD_base of the redistributor whose GICR_TYPER.Affinity_Value is
 * @affinity, or 0; through @count (if not NULL), how many redistributors
 * the regions hold. Reads every region up to GICR_TYPER.Last, never past
 * its end.
 */
uintptr_t gicv3_redist_find(const struct gicv3_redists *r, uint32_t affinity, unsigned int *count);

/* The *_send_sgi() and *_irq_route() below take an MPIDR's affinity fields only (gic/gic.c). */
int gicv3_init(const struct platform_gic *g);
int gicv3_cpu_init(unsigned int cpu, uint64_t mpidr);
void gicv3_send_sgi(uint64_t mpidr, unsigned int sgi);
void gicv3_kick(unsigned int cpu);
uint32_t gicv3_ack(uint32_t *intid);
void gicv3_eoi(uint32_t iar);
void gicv3_priority_drop(uint32_t iar);
void gicv3_irq_route(uint32_t intid, uint64_t mpidr);
/* Wait for GICD_CTLR.RWP / GICR_CTLR.RWP of RD_base @rd to clear; false (logged) on timeout. */
bool gicv3_dist_wait_rwp(void);
bool gicv3_redist_wait_rwp(uintptr_t rd);
/* For gic/vgic_direct.c: what direct interrupt mode writes through to. */
bool gicv3_single_security(void);
uintptr_t gicv3_dist_base(void);
/* SGI_base frame of logical CPU @cpu's redistributor, 0 before its gic_cpu_init(). */
uintptr_t gicv3_sgi_frame(unsigned int cpu);
int gicv3_cpu_direct(unsigned int cpu, uint32_t hyp_private);
/*
 * SPI @intid edge-triggered or level-sensitive at the distributor @dist
 * (gic/gicv3_icfgr.c); any CPU. A change leaves the SPI disabled. False,
 * nothing written, if the change needs the lock of GICD_ICFGR's
 * read-modify-write and a CPU lost inside one holds it: then
 * gicv3_icfgr_holder() is that CPU.
 */
bool gicv3_icfgr_set_edge(uintptr_t dist, uint32_t intid, bool edge);
int gicv3_icfgr_holder(void);

int gicv2_init(const struct platform_gic *g);
int gicv2_cpu_init(unsigned int cpu, uint64_t mpidr);
void gicv2_send_sgi(uint64_t mpidr, unsigned int sgi);
uint32_t gicv2_ack(uint32_t *intid);
void gicv2_eoi(uint32_t iar);
void gicv2_priority_drop(uint32_t iar);
void gicv2_cpuif_resync(void);
void gicv2_irq_route(uint32_t intid, uint64_t mpidr);

#endif
