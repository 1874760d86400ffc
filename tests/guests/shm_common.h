/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_GUEST_SHM_COMMON_H
#define BULKHEAD_GUEST_SHM_COMMON_H

/*
 * What the shm_* guests share: the scenario layout tests/scenarios/layouts/shm.dts
 * (region 0 at IPA 0x50000000 for alpha and beta with a doorbell, region 1 at
 * 0x50100000 read-write for alpha and read-only for beta, no doorbell; gamma
 * is in neither) and the doorbell hypercall (docs/shm.md).
 */
#include "gic.h"
#include "test.h"

#define SHM0_IPA 0x50000000UL
#define SHM1_IPA 0x50100000UL
#ifndef SHM_DOORBELL_INTID
#define SHM_DOORBELL_INTID 1000 /* region 0: LAYOUT_SHM_DOORBELL_INTID + 0 */
#endif

#define HC_DOORBELL	0xc6000020UL
#define RING_OTHERS	(~0UL)
#define HC_RET_INVALID	((uint64_t)-3)
#define HC_RET_BUSY	((uint64_t)-5)
#define SHM_READY_MAGIC 0x9eadbee1u
#define SHM_RO_MAGIC	0x0c0ffee0u

/* Region 0, as the ping-pong uses it. */
struct mailbox {
	volatile uint32_t ready; /* pong: SHM_READY_MAGIC once it takes doorbells */
	volatile uint32_t ping;	 /* ping's last message number */
	volatile uint32_t pong;	 /* pong's echo of it */
};

static inline uint64_t ring(uint64_t region, uint64_t target)
{
	return hvc_call(HC_DOORBELL, region, target, 0);
}

/* The store before the ring is complete when the peer is interrupted. */
static inline void dsb(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

/* Acknowledge and EOI everything pending, counting doorbells and anything else. */
static inline void shm_take_irqs(volatile uint32_t *doorbells, volatile uint32_t *others)
{
	uint32_t iar;

	while (gic_iar_intid(iar = gic_ack()) < 1020) {
		if (gic_iar_intid(iar) == SHM_DOORBELL_INTID)
			(*doorbells)++;
		else
			(*others)++;
		gic_eoi(iar);
	}
}

#endif
