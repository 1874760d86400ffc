/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_SMMU_PRIV_H
#define BULKHEAD_SMMU_PRIV_H

/*
 * State shared by the SMMUv3 driver (smmu/smmuv3.c, smmu/smmu_init.c) and its
 * fault reporting (smmu/smmu_events.c, smmu/smmu_gerror.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include "layout.h"
#include "log.h"
#include "owned_lock.h"
#include "smmu.h"
#include "smmu_regs.h"

struct cell;

/*
 * Static table sizes. smmu_strtab[] holds 1024 STEs: the linear table, or
 * the level-2 tables of the two-level one, 256 STEs each (SPLIT 8: a PCI
 * bus). Its level-1 table reaches 16-bit stream IDs. A stream with no STE
 * (beyond the table, or in a range without a level-2 table) gets
 * C_BAD_STREAMID: aborted, not recorded (CR2.RECINVSID 0).
 */
#define STRTAB_LOG2_MAX	   SMMU_LINEAR_STREAMS_LOG2
#define STRTAB_SPLIT	   SMMU_STREAM_RANGE_LOG2
#define STRTAB_L2_STES	   (1u << STRTAB_SPLIT)
#define STRTAB_L2_TABLES   SMMU_STREAM_RANGES
#define STRTAB_L1_LOG2_MAX (SMMU_STREAM_ID_BITS - STRTAB_SPLIT)
#define CMDQ_LOG2_MAX	   8 /* 256 x 16 bytes = 4 KiB */
#define EVTQ_LOG2_MAX	   7 /* 128 x 32 bytes = 4 KiB */
#define NO_OWNER	   0xff

/*
 * A cell's streams and their STEs, in the order given (at boot only): a stop
 * or a resume goes through its own, not the whole table.
 */
#define CELL_STREAMS_MAX (LAYOUT_MAX_PCI + LAYOUT_MAX_DEVICES * LAYOUT_MAX_DEV_SIDS)
struct cell_streams {
	unsigned int n;
	uint32_t sid[CELL_STREAMS_MAX];
	uint16_t slot[CELL_STREAMS_MAX]; /* smmu_ste_slot() */
};

struct smmu_state {
	uintptr_t base;
	bool on;
	/* STRTAB_BASE_CFG.LOG2SIZE: the stream table's reach, linear or two-level. */
	unsigned int strtab_log2, cmdq_log2, evtq_log2;
	unsigned int sid_bits; /* IDR1.SIDSIZE */
	bool has_2lvl;	       /* IDR0.ST_LEVEL: a two-level stream table is supported */
	bool two_level;	       /* ... and smmu_strtab_fit() chose it */
	/* Two-level: the level-2 tables given, each to streams range << STRTAB_SPLIT and up. */
	unsigned int nr_l2;
	uint32_t l2_range[STRTAB_L2_TABLES];
	uint32_t cmdq_prod; /* with its wrap bit */
	/*
	 * Under cmd_lock (smmu_cmdq.c): whose commands the holder queues (NULL:
	 * the hypervisor's own), whose each entry holds, to name the cell of a
	 * command the SMMU refuses; the batch the next CMD_SYNC ends, its
	 * commands and how many of them the SMMU refused; a fetch tried again,
	 * told once (smmu_cmdq_skip_error()).
	 */
	const struct cell *cmdq_issuer;
	const struct cell *cmdq_whose[1u << CMDQ_LOG2_MAX];
	uint32_t cmdq_batch_len, cmdq_batch_refused;
	bool cmdq_retry_told;
	uint32_t cmdq_retry_cons;
	uint32_t oas;	  /* IDR5.OAS encoding */
	unsigned int ias; /* input address size in bits: the largest IPA an STE can describe */
	uint32_t eventq_irq, gerror_irq;
	struct owned_lock cmd_lock; /* names its holder: a lost one is not waited for */
	/* The event queue's, names its holder too (smmu_events_drain()). */
	struct owned_lock evt_lock;
	bool evt_lock_lost_told;
	unsigned int overflows;
	/* Left in the queue when it would not drain (smmu_events_drain()). */
	uint64_t dropped_events;
	/* Records, and reports (coalesced runs), of streams no cell owns. */
	uint64_t unowned_events;
	unsigned int unowned_reports;
	/* Records, and reports, of hints: E_PAGE_REQUEST, IMPLEMENTATION DEFINED events. */
	uint64_t hint_events;
	unsigned int hint_reports;
	/*
	 * Indexed by STE (smmu_ste_slot()), not stream: records per unowned
	 * stream, up to UNOWNED_SILENCE, and per stream of a cell the
	 * hypervisor's or hardware's errors told, a bit per kind (smmu_events.c).
	 */
	uint8_t unowned_count[1u << STRTAB_LOG2_MAX];
	uint16_t hyp_error_told[1u << STRTAB_LOG2_MAX];
	struct cell_streams cell_streams[LAYOUT_MAX_CELLS]; /* by cell id */
};

extern struct smmu_state smmu;
/* How long the SMMU may take to acknowledge a register write or a CMD_SYNC. */
#define ACK_TIMEOUT_MS 100

/* smmu_cmdq.c, under cmd_lock: the queue's memory, one command in it, a CMD_SYNC awaited. */
extern uint64_t smmu_cmdq[(1u << CMDQ_LOG2_MAX) * 2];
int smmu_cmdq_push(uint64_t w0, uint64_t w1);
/*
 * CMD_SYNC with no completion signal (CS = 0b00): it has completed, with
 * every command before it, once CONS has moved past it (§4.7.3). Commands
 * the SMMU refuses on the way are skipped; -EIO once it completed if one of
 * the batch was (the commands queued since the last sync), else 0.
 */
int smmu_cmdq_sync(void);
/* Skip the command a GERROR.CMDQ_ERR stopped the queue at, told; whether one was active. */
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
 * smmu_events.c: the event queue drained under its lock, each record
 * reported against its stream's owner, then the on-fault policy of each
 * running owner applied. From the event interrupt, and as a cell reloads
 * (smmu_cell_resume()).
 */
void smmu_events_drain(void);
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
void smmu_lock_lost_told(const struct cell *cell, const char *outcome);

/*
 * One command of @cell's (NULL: the hypervisor's) and its CMD_SYNC, taking
 * cmd_lock; -EBUSY if a lost CPU holds it.
 */
int smmu_cmd_run(const struct cell *cell, uint64_t w0, uint64_t w1);
extern uint8_t smmu_owner[1u << STRTAB_LOG2_MAX]; /* cell id per STE, NO_OWNER if none */
/* Unowned stream @sid's STE to V = 1, Config = abort: aborted without a record. */
int smmu_stream_silence(uint32_t sid);
/*
 * smmu_strtab.c: the STEs (the linear table, or the level-2 tables) and the
 * level-1 table; smmuv3.c fills them, smmu_init.c gives them to the SMMU.
 */
extern uint64_t smmu_strtab[(1u << STRTAB_LOG2_MAX) * STE_DWORDS];
extern uint64_t smmu_strtab_l1[1u << STRTAB_L1_LOG2_MAX];
/* The STEs' and the per-STE state's starting state: every STE invalid, no owner. */
void smmu_strtab_clear(void);
/* Where @sid's STE is in smmu_strtab[] (an index of STEs), or -1: it has none. */
int smmu_ste_slot(uint32_t sid);
/*
 * Where @sid's STE is, given a level-2 table if its range has none yet
 * (*@l1_new: the SMMU must be told of the L1STD too, CFGI_STE with Leaf 0);
 * -ERANGE beyond the table, -ENOSPC with every level-2 table given.
 */
int smmu_ste_take(uint32_t sid, bool *l1_new);
/* @sid has no STE: 0 if smmu_ste_take() can give it one, else why not, logged for @label's @dev. */
int smmu_ste_room(const char *label, const char *dev, uint32_t sid);

static inline uint64_t *smmu_ste(unsigned int slot)
{
	return &smmu_strtab[(size_t)slot * STE_DWORDS];
}
extern uint64_t smmu_evtq[(1u << EVTQ_LOG2_MAX) * EVT_DWORDS];

/*
 * A device's transfer that faults is often recorded access by access (QEMU:
 * one record per 4 bytes): records of one stream, type and page in a row are
 * reported as one (smmu/smmu_event_report.c).
 */
struct event_run {
	uint64_t first[EVT_DWORDS];
	unsigned int count;
};
/* Is record @e one more of @run (its stream, type and page)? */
bool smmu_event_same_run(const struct event_run *run, const uint64_t *e);
/* @run reported against the owner of its stream: the cell whose policy applies, or NULL. */
struct cell *smmu_event_report(const struct event_run *run);
/* The cell whose DMA fault record @e is, its policy to apply, as for a report, without one. */
struct cell *smmu_event_fault_owner(const uint64_t *e);

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
