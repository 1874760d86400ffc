/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_SMMU_PRIV_H
#define BULKHEAD_SMMU_PRIV_H

/*
 * State shared by the SMMUv3 driver (smmu/smmuv3.c, smmu/smmu_init.c) and its
 * fault reporting (smmu/smmu_events.c, smmu/smmu_gerror.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include "owned_lock.h"
#include "smmu_regs.h"
#include "spinlock.h"

/*
 * Static table sizes. Streams beyond the table get C_BAD_STREAMID (abort):
 * 1024 streams are PCI buses 0-3 with the usual RID = SID map.
 */
#define STRTAB_LOG2_MAX 10
#define CMDQ_LOG2_MAX	8 /* 256 x 16 bytes = 4 KiB */
#define EVTQ_LOG2_MAX	7 /* 128 x 32 bytes = 4 KiB */
#define NO_OWNER	0xff

struct smmu_state {
	uintptr_t base;
	bool on;
	unsigned int strtab_log2, cmdq_log2, evtq_log2;
	uint32_t cmdq_prod; /* with its wrap bit */
	uint32_t oas;	    /* IDR5.OAS encoding */
	unsigned int ias;   /* input address size in bits: the largest IPA an STE can describe */
	uint32_t eventq_irq, gerror_irq;
	struct owned_lock cmd_lock; /* names its holder: a lost one is not waited for */
	struct spinlock evt_lock;
	unsigned int overflows;
	uint64_t dropped_events; /* left in the queue when it would not drain (evtq_drain()) */
	/* Records, and reports (coalesced runs), of streams no cell owns. */
	uint64_t unowned_events;
	unsigned int unowned_reports;
	/* Records, and reports, of hints: E_PAGE_REQUEST, IMPLEMENTATION DEFINED events. */
	uint64_t hint_events;
	unsigned int hint_reports;
	/* Records per unowned stream, up to UNOWNED_SILENCE (smmu_events.c). */
	uint8_t unowned_count[1u << STRTAB_LOG2_MAX];
	/*
	 * Per stream of a cell, the hypervisor's or hardware's errors told
	 * (smmu_events.c): a bit per kind of event.
	 */
	uint16_t hyp_error_told[1u << STRTAB_LOG2_MAX];
};

extern struct smmu_state smmu;
/* How long the SMMU may take to acknowledge a register write or a CMD_SYNC. */
#define ACK_TIMEOUT_MS 100

/* smmu_cmdq.c, under cmd_lock: the queue's memory, one command in it, a CMD_SYNC awaited. */
extern uint64_t smmu_cmdq[(1u << CMDQ_LOG2_MAX) * 2];
int smmu_cmdq_push(uint64_t w0, uint64_t w1);
/*
 * CMD_SYNC with no completion signal (CS = 0b00): it has completed, with
 * every command before it, once CONS has moved past it (§4.7.3).
 */
int smmu_cmdq_sync(void);
/* Skip the command a GERROR.CMDQ_ERR stopped the queue at; whether one was active. */
bool smmu_cmdq_skip_error(void);
/*
 * smmu_gerror.c: GERROR bits @active in words, " (...)" each, into @buf
 * (SMMU_GERROR_TEXT bytes hold all); the errors active in GERROR told and
 * acknowledged (the gerror interrupt, from smmu_irq()).
 */
#define SMMU_GERROR_TEXT 112
const char *smmu_gerror_text(uint32_t active, char *buf, size_t len);
void smmu_gerror_handle(void);
/*
 * smmu_init.c: GBPA.ABORT, then SMMUEN 0: every transaction aborts, with no
 * command nor lock. 0 once the SMMU acknowledged both, else the error, logged.
 */
int smmu_global_abort(void);
/*
 * cmd_lock taken, or false if the CPU holding it never lets it go: a CPU
 * lost inside a command (partitions/cell_lost.c), this one or one parked
 * since. Whoever wanted it next would spin for ever with its interrupts
 * masked. A holder that runs is waited for: every wait under the lock is
 * bounded (ACK_TIMEOUT_MS), and a time limit on the lock itself would give
 * up on a live holder that a loaded host or a slow SMMU keeps a while.
 */
bool smmu_cmd_lock(void);
void smmu_cmd_unlock(void);
/*
 * The line of a taker that did not get it: "<label>: SMMU: the command
 * queue's lock is held by CPU N, lost inside a command: @outcome" (no label
 * and colon without @cell).
 */
struct cell;
void smmu_lock_lost_told(const struct cell *cell, const char *outcome);

/* One command and its CMD_SYNC, taking cmd_lock; -EBUSY if a lost CPU holds it. */
int smmu_cmd_run(uint64_t w0, uint64_t w1);
extern uint8_t smmu_owner[1u << STRTAB_LOG2_MAX]; /* cell id per stream, NO_OWNER if none */
/* Unowned stream @sid's STE to V = 1, Config = abort: aborted without a record. */
int smmu_stream_silence(uint32_t sid);
/* The linear stream table (smmuv3.c fills it, smmu_init.c gives it to the SMMU). */
extern uint64_t smmu_strtab[(1u << STRTAB_LOG2_MAX) * STE_DWORDS];
extern uint64_t smmu_evtq[(1u << EVTQ_LOG2_MAX) * EVT_DWORDS];

static inline uint32_t rd32(uint32_t off)
{
	return *(volatile uint32_t *)(smmu.base + off);
}

static inline void wr32(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(smmu.base + off) = v;
}

static inline void wr64(uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(smmu.base + off) = v;
}

/* Queue pointers: an index of log2 bits and the wrap bit above it (§3.5). */
static inline uint32_t q_idx(uint32_t v, unsigned int log2)
{
	return v & ((1u << log2) - 1);
}

static inline uint32_t q_wrap(uint32_t v, unsigned int log2)
{
	return v & (1u << log2);
}

static inline uint32_t q_inc(uint32_t v, unsigned int log2)
{
	return (v + 1) & ((2u << log2) - 1);
}

#endif
