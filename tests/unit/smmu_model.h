/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_SMMU_MODEL_H
#define BULKHEAD_TESTS_SMMU_MODEL_H

/*
 * A model of an SMMUv3's programming interface, for the driver's unit tests
 * (test_smmu_*.c): a register file in host memory that model_step() -- run
 * at each arch_cpu_relax(), which the driver calls while it waits -- brings
 * up to date the way the hardware would: CR0ACK and IRQ_CTRLACK follow CR0
 * and IRQ_CTRL, GBPA updates complete, and the command queue is consumed up
 * to PROD, each command recorded with the STE it concerns as the SMMU would
 * have read it then. A command the SMMU would find illegal stops the queue
 * as §7.1 says: CONS left at it, CMDQ_CONS.ERR = CERROR_ILL, GERROR.CMDQ_ERR
 * toggled, nothing consumed until GERRORN acknowledges it, then the command
 * at CONS fetched again. A fetch that aborts (fetch_aborts) stops it the
 * same way, CMDQ_CONS.ERR = CERROR_ABT.
 */
#include <stdbool.h>
#include <stdint.h>

#include "smmu_priv.h"

#define MAX_CMDS 64

extern uint32_t model_regs[0x20000 / 4];
#define REG(off) model_regs[(off) / 4]

/* A 64-bit register, as its two words hold it. */
uint64_t reg64(uint32_t off);

/* What the model consumed from the command queue, in order. */
struct model_cmd {
	uint64_t w0, w1;
	uint64_t ste0;	/* for CMD_CFGI_STE: word 0 of the STE at that moment, NO_STE if none */
	uint64_t l1std; /* ... and, two-level, the L1STD locating it */
};
extern struct model_cmd cmds[MAX_CMDS];
extern int nr_cmds;
/* CR0ACK when SMMUEN was first acknowledged, and its ATSCHK when CMD_CFGI_ALL was consumed. */
extern uint32_t cr0_at_enable, atschk_at_cfgi_all;
/* An opcode the model finds illegal besides those the architecture says (0: none). */
extern unsigned int bad_opcode;
/* ... and a whole command, by its word 0: CMD_CFGI_STE of one stream alone (0: none). */
extern uint64_t bad_cmd;
extern int cmd_errors; /* CERROR_ILL raised */
/* The next fetches of a command that abort (CERROR_ABT), the command at CONS fetched again after.
 */
extern unsigned int fetch_aborts;
extern bool cmdq_stalled; /* the SMMU consumes no command (a slow one, late) */
extern bool cr0_stuck;	  /* CR0ACK does not follow CR0 */
extern bool gbpa_stuck;	  /* GBPA.UPDATE never clears */
/*
 * Records the SMMU has committed to the event queue (§3.5.4) but not yet
 * published: EVENTQ_PROD moves to records_committed_prod when it consumes
 * the next CMD_SYNC, the latest §4.7.3 allows for a terminated
 * transaction's record. false: none.
 */
extern bool records_committed;
extern uint32_t records_committed_prod;
/* GBPA as the SMMU applies it (once UPDATE is seen), and times streams bypassed it. */
extern uint32_t gbpa_applied;
extern int bypass_windows;

#define STRTAB_CFG_FMT_MASK	 (3u << 16)
#define STRTAB_CFG_LOG2SIZE(cfg) ((cfg)&0x3fu)
#define STRTAB_CFG_SPLIT(cfg)	 (((cfg) >> STRTAB_BASE_CFG_SPLIT_SHIFT) & 0x1fu)

/*
 * @sid's STE as the SMMU finds it (IHI 0070 §3.3), or NULL where it finds
 * none and raises C_BAD_STREAMID.
 */
uint64_t *ste_at(uint32_t sid);

#define NO_STE (~0ULL)

/* Word 0 of @sid's STE, NO_STE if the SMMU finds none. */
uint64_t ste0_of(uint32_t sid);

/* An SMMU of no features with every register 0, nothing consumed, nothing stuck. */
void model_reset(void);
/*
 * The SMMU's side: acknowledge, apply GBPA, consume commands. First, the
 * test fails if the driver wrote a register while the enable guarding it
 * was acknowledged on (model_check_guarded()).
 */
void model_step(void);
/* The same check alone, as at the end of each test: the writes since the last step. */
void model_check_guarded(void);
/* The SMMU itself (the test playing it) writes one of its registers: EVENTQ_PROD, CMDQ_CONS. */
void model_write(uint32_t off, uint32_t val);

#endif
