// SPDX-License-Identifier: GPL-2.0-only
/* Test guests' GIC driver (gic.h): GICv3 (IHI 0069) and GICv2 (IHI 0048). */
#include "gic.h"
#include "guest.h"

#define GICC_BASE	PLATFORM_GICC_BASE /* v2 */
#define GICR_BASE	PLATFORM_GICR_BASE /* v3 */
#define GICR_STRIDE	0x20000UL
#define GICR_SGI_OFFSET 0x10000UL

#define GICD_CTLR_EnableGrp0 (1u << 0)
#define GICD_CTLR_EnableGrp1 (1u << 1)
#define GICD_CTLR_ARE	     (1u << 4)
#define GICD_CTLR_RWP	     (1u << 31)

#define GICR_WAKER		  0x0014
#define GICR_WAKER_ProcessorSleep (1u << 1)
#define GICR_WAKER_ChildrenAsleep (1u << 2)

#define GICC_CTLR 0x0000
#define GICC_PMR  0x0004
#define GICC_BPR  0x0008
#define GICC_IAR  0x000c
#define GICC_EOIR 0x0010

#define ICC_SGI1R_IRM (1ULL << 40)

#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define isb()		   __asm__ volatile("isb" ::: "memory")

static int version;

static uint32_t rd32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static void wr32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

int gic_version(void)
{
	if (!version)
		version = ((read_sysreg(id_aa64pfr0_el1) >> 24) & 0xf) ? 3 : 2;
	return version;
}

uint32_t gic_dist_read32(uint32_t offset)
{
	return rd32(GICD_BASE + offset);
}

void gic_dist_write32(uint32_t offset, uint32_t value)
{
	wr32(GICD_BASE + offset, value);
}

uint64_t gic_dist_read64(uint32_t offset)
{
	return *(volatile uint64_t *)(GICD_BASE + offset);
}

void gic_dist_write64(uint32_t offset, uint64_t value)
{
	*(volatile uint64_t *)(GICD_BASE + offset) = value;
}

static uintptr_t sgi_base_of(unsigned int cpu)
{
	return GICR_BASE + cpu * GICR_STRIDE + GICR_SGI_OFFSET;
}

static uintptr_t sgi_base(void)
{
	return sgi_base_of(guest_cpu_id());
}

uint32_t gic_redist_sgi_read32(unsigned int cpu, uint32_t offset)
{
	return rd32(sgi_base_of(cpu) + offset);
}

void gic_redist_sgi_write32(unsigned int cpu, uint32_t offset, uint32_t value)
{
	wr32(sgi_base_of(cpu) + offset, value);
}

/* Where @intid's bit in a 1-bit-per-INTID bank lives: this vCPU's GICR (v3 private) or GICD. */
static uintptr_t bank_base(uint32_t intid)
{
	return (gic_version() == 3 && intid < 32) ? sgi_base() : GICD_BASE;
}

static void dist_wait_rwp(void)
{
	uint64_t end = timer_now() + timer_freq() / 100;

	while ((rd32(GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP) && timer_now() < end)
		;
}

void gic_init(void)
{
	/*
	 * SPI groups stay as they reset: Group 1 in a Bulkhead GICv3 cell, Group 0
	 * on GICv2. Writing IGROUPR for every line would touch INTIDs the cell
	 * does not own, which the vGIC logs; byte accesses below do the same.
	 */
	wr32(GICD_BASE + GICD_CTLR, 0);
	dist_wait_rwp();
	if (gic_version() == 3)
		wr32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_EnableGrp1);
	else
		wr32(GICD_BASE + GICD_CTLR, GICD_CTLR_EnableGrp0);
	dist_wait_rwp();
}

void gic_cpu_init(void)
{
	uintptr_t rd;
	uint64_t end;

	if (gic_version() == 2) {
		wr32(GICD_BASE + GICD_IGROUPR, 0);
		wr32(GICC_BASE + GICC_PMR, 0xff);
		wr32(GICC_BASE + GICC_BPR, 0);
		wr32(GICC_BASE + GICC_CTLR, 1); /* EnableGrp0, signalled as IRQ, EOImode 0 */
		return;
	}
	rd = GICR_BASE + guest_cpu_id() * GICR_STRIDE;
	wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~GICR_WAKER_ProcessorSleep);
	end = timer_now() + timer_freq() / 100;
	while ((rd32(rd + GICR_WAKER) & GICR_WAKER_ChildrenAsleep) && timer_now() < end)
		;
	wr32(sgi_base() + GICD_IGROUPR, ~0u);
	write_sysreg(read_sysreg(icc_sre_el1) | 1, icc_sre_el1);
	isb();
	write_sysreg(0xff, icc_pmr_el1);
	write_sysreg(0, icc_bpr1_el1);
	write_sysreg(0, icc_ctlr_el1); /* EOImode 0 */
	write_sysreg(1, icc_igrpen1_el1);
	isb();
}

void gic_irq_enable(uint32_t intid)
{
	wr32(bank_base(intid) + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_irq_disable(uint32_t intid)
{
	wr32(bank_base(intid) + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_irq_set_pending(uint32_t intid)
{
	wr32(bank_base(intid) + GICD_ISPENDR + (intid / 32) * 4, 1u << (intid % 32));
}

/* IPRIORITYR and ITARGETSR are byte-accessible: only @intid's byte is written. */
void gic_irq_set_priority(uint32_t intid, uint8_t priority)
{
	uintptr_t a = (gic_version() == 3 && intid < 32 ? sgi_base() : GICD_BASE) +
		      GICD_IPRIORITYR + intid;

	*(volatile uint8_t *)a = priority;
}

void gic_irq_set_target(uint32_t intid, unsigned int cpu)
{
	if (intid < 32)
		return;
	if (gic_version() == 3) {
		*(volatile uint64_t *)(GICD_BASE + GICD_IROUTER + 8 * intid) = cpu;
		return;
	}
	*(volatile uint8_t *)(GICD_BASE + GICD_ITARGETSR + intid) = (uint8_t)(1u << cpu);
}

uint32_t gic_ack(void)
{
	if (gic_version() == 3)
		return (uint32_t)read_sysreg(icc_iar1_el1);
	return rd32(GICC_BASE + GICC_IAR);
}

uint32_t gic_iar_intid(uint32_t iar)
{
	return gic_version() == 3 ? (iar & 0xffffff) : (iar & 0x3ff);
}

void gic_eoi(uint32_t iar)
{
	if (gic_version() == 3) {
		write_sysreg(iar, icc_eoir1_el1);
		isb();
	} else {
		wr32(GICC_BASE + GICC_EOIR, iar);
	}
}

void gic_send_sgi(unsigned int sgi, uint32_t mask)
{
	dmb();
	if (gic_version() == 3) {
		write_sysreg(((uint64_t)(sgi & 0xf) << 24) | (mask & 0xffff), icc_sgi1r_el1);
		isb();
	} else {
		wr32(GICD_BASE + GICD_SGIR, ((mask & 0xff) << 16) | (sgi & 0xf));
	}
}

void gic_send_sgi_others(unsigned int sgi)
{
	dmb();
	if (gic_version() == 3) {
		write_sysreg(ICC_SGI1R_IRM | ((uint64_t)(sgi & 0xf) << 24), icc_sgi1r_el1);
		isb();
	} else {
		wr32(GICD_BASE + GICD_SGIR, (1u << 24) | (sgi & 0xf));
	}
}
