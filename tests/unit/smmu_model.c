// SPDX-License-Identifier: GPL-2.0-only
/* The SMMU's side of the driver's unit tests (smmu_model.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "smmu_model.h"

uint32_t model_regs[0x20000 / 4] __attribute__((aligned(8)));
struct model_cmd cmds[MAX_CMDS];
int nr_cmds;
uint32_t cr0_at_enable, atschk_at_cfgi_all;
unsigned int bad_opcode;
uint64_t bad_cmd;
int cmd_errors;
unsigned int fetch_aborts;
bool cmdq_stalled, cr0_stuck, gbpa_stuck;
bool records_committed;
uint32_t records_committed_prod;
uint32_t gbpa_applied;
int bypass_windows;

uint64_t reg64(uint32_t off)
{
	return REG(off) | (uint64_t)REG(off + 4) << 32;
}

static uint64_t *strtab_base(void)
{
	return (uint64_t *)(uintptr_t)(reg64(SMMU_STRTAB_BASE) & STRTAB_BASE_ADDR_MASK);
}

/* The L1STD the SMMU reads for @sid (two-level tables only). */
static uint64_t l1std_of(uint32_t sid)
{
	return strtab_base()[sid >> STRTAB_CFG_SPLIT(REG(SMMU_STRTAB_BASE_CFG))];
}

/*
 * @sid's STE as the SMMU finds it (IHI 0070 §3.3), or NULL where it finds
 * none and raises C_BAD_STREAMID: beyond LOG2SIZE; two-level, an L1STD with
 * Span 0, or an index beyond the 2^(Span - 1) STEs of its level-2 table.
 */
uint64_t *ste_at(uint32_t sid)
{
	uint32_t cfg = REG(SMMU_STRTAB_BASE_CFG);
	unsigned int split = STRTAB_CFG_SPLIT(cfg), span;
	uint64_t l1;

	if (sid >> STRTAB_CFG_LOG2SIZE(cfg))
		return NULL;
	if ((cfg & STRTAB_CFG_FMT_MASK) != STRTAB_BASE_CFG_FMT_2LVL)
		return strtab_base() + (size_t)sid * STE_DWORDS;
	l1 = l1std_of(sid);
	span = (unsigned int)(l1 & L1STD_SPAN_MASK);
	if (!span || span > split + 1 || (sid & ((1u << split) - 1)) >> (span - 1))
		return NULL;
	return (uint64_t *)(uintptr_t)(l1 & L1STD_L2PTR_MASK) +
	       (size_t)(sid & ((1u << split) - 1)) * STE_DWORDS;
}

/* Word 0 of @sid's STE, NO_STE if the SMMU finds none. */
uint64_t ste0_of(uint32_t sid)
{
	const uint64_t *ste = ste_at(sid);

	return ste ? ste[0] : NO_STE;
}

/*
 * CERROR_ILL: an opcode of a feature the SMMU lacks (§4.4.2.7: TLBI_EL2_ALL
 * needs HYP), or the test's opcode or command.
 */
static bool model_illegal(uint64_t w0)
{
	unsigned int op = (unsigned int)(w0 & 0xff);

	return (bad_opcode && op == bad_opcode) || (bad_cmd && w0 == bad_cmd) ||
	       (op == CMD_TLBI_EL2_ALL && !(REG(SMMU_IDR0) & IDR0_HYP));
}

static void model_advance(void)
{
	uint64_t base = reg64(SMMU_CMDQ_BASE);
	const uint64_t *q = (const uint64_t *)(uintptr_t)(base & Q_BASE_ADDR_MASK);
	unsigned int log2 = (unsigned int)(base & 0x1f);
	uint32_t mask = (2u << log2) - 1;
	uint32_t cons = REG(SMMU_CMDQ_CONS) & mask, prod = REG(SMMU_CMDQ_PROD) & mask;

	uint32_t was_on = REG(SMMU_CR0ACK) & CR0_SMMUEN;

	/* A RES0 bit set in CR0 is never acknowledged: ATSCHK without IDR0.ATS. */
	if (!cr0_stuck)
		REG(SMMU_CR0ACK) = REG(SMMU_CR0) & ~(REG(SMMU_IDR0) & IDR0_ATS ? 0 : CR0_ATSCHK);
	if ((REG(SMMU_CR0ACK) & CR0_SMMUEN) && !(cr0_at_enable & CR0_SMMUEN))
		cr0_at_enable = REG(SMMU_CR0ACK);
	/* SMMUEN off: GBPA, as it was last applied, decides every stream (§6.3.14). */
	if (was_on && !(REG(SMMU_CR0ACK) & CR0_SMMUEN) && !(gbpa_applied & GBPA_ABORT))
		bypass_windows++;
	REG(SMMU_IRQ_CTRLACK) = REG(SMMU_IRQ_CTRL);
	if ((REG(SMMU_GBPA) & GBPA_UPDATE) && !gbpa_stuck) {
		REG(SMMU_GBPA) &= ~GBPA_UPDATE;
		gbpa_applied = REG(SMMU_GBPA);
	}
	/* Nothing is consumed while a command error is active (§7.1). */
	if (!(REG(SMMU_CR0) & CR0_CMDQEN) || cmdq_stalled ||
	    ((REG(SMMU_GERROR) ^ REG(SMMU_GERRORN)) & GERROR_CMDQ_ERR))
		return;
	while (cons != prod) {
		const uint64_t *c = &q[q_idx(cons, log2) * 2];

		if (fetch_aborts) {
			fetch_aborts--;
			REG(SMMU_CMDQ_CONS) = cons | CERROR_ABT << CMDQ_CONS_ERR_SHIFT;
			REG(SMMU_GERROR) ^= GERROR_CMDQ_ERR;
			return;
		}
		if (model_illegal(c[0])) {
			REG(SMMU_CMDQ_CONS) = cons | CERROR_ILL << CMDQ_CONS_ERR_SHIFT;
			REG(SMMU_GERROR) ^= GERROR_CMDQ_ERR;
			cmd_errors++;
			return;
		}
		assert_true(nr_cmds < MAX_CMDS);
		cmds[nr_cmds].w0 = c[0];
		cmds[nr_cmds].w1 = c[1];
		if ((c[0] & 0xff) == CMD_CFGI_STE) {
			uint32_t sid = (uint32_t)(c[0] >> CMD0_SID_SHIFT);

			cmds[nr_cmds].ste0 = ste0_of(sid);
			if ((REG(SMMU_STRTAB_BASE_CFG) & STRTAB_CFG_FMT_MASK) ==
			    STRTAB_BASE_CFG_FMT_2LVL)
				cmds[nr_cmds].l1std = l1std_of(sid);
		}
		if ((c[0] & 0xff) == CMD_CFGI_ALL)
			atschk_at_cfgi_all = REG(SMMU_CR0ACK) & CR0_ATSCHK;
		if ((c[0] & 0xff) == CMD_SYNC && records_committed) {
			REG(SMMU_EVENTQ_PROD) = records_committed_prod;
			records_committed = false;
		}
		nr_cmds++;
		cons = q_inc(cons, log2);
	}
	REG(SMMU_CMDQ_CONS) = cons;
}

/*
 * Registers the driver may write only while what guards them is off (IHI
 * 0070 §6.3): RW while the enable in CR0 (IRQ_CTRL) and its twin in CR0ACK
 * (IRQ_CTRLACK) are both 0, RO otherwise. A write then is CONSTRAINED
 * UNPREDICTABLE up to SMMUv3.1 (the register may take any value, the SMMU
 * then fetch from anywhere) and ignored from SMMUv3.2: either way not what the
 * driver meant. 64-bit registers are two words here.
 */
struct guarded_reg {
	uint32_t off;
	uint32_t fields; /* the bits guarded */
	uint32_t ack;	 /* SMMU_CR0ACK or SMMU_IRQ_CTRLACK */
	uint32_t guard;	 /* any of these enables set there makes the fields RO */
	const char *name;
};

#define CR1_TABLE_FIELDS (0x3fu << CR1_TABLE_IC_SHIFT)
#define CR1_QUEUE_FIELDS (0x3fu << CR1_QUEUE_IC_SHIFT)
#define CR0_QUEUES	 (CR0_CMDQEN | CR0_EVENTQEN)

static const struct guarded_reg guarded[] = {
	{ SMMU_STRTAB_BASE, ~0u, SMMU_CR0ACK, CR0_SMMUEN, "STRTAB_BASE[31:0]" },
	{ SMMU_STRTAB_BASE + 4, ~0u, SMMU_CR0ACK, CR0_SMMUEN, "STRTAB_BASE[63:32]" },
	{ SMMU_STRTAB_BASE_CFG, ~0u, SMMU_CR0ACK, CR0_SMMUEN, "STRTAB_BASE_CFG" },
	{ SMMU_CR1, CR1_TABLE_FIELDS, SMMU_CR0ACK, CR0_SMMUEN, "CR1.TABLE_*" },
	{ SMMU_CR1, CR1_QUEUE_FIELDS, SMMU_CR0ACK, CR0_QUEUES, "CR1.QUEUE_*" },
	{ SMMU_CR2, ~0u, SMMU_CR0ACK, CR0_SMMUEN, "CR2" },
	{ SMMU_CMDQ_BASE, ~0u, SMMU_CR0ACK, CR0_CMDQEN, "CMDQ_BASE[31:0]" },
	{ SMMU_CMDQ_BASE + 4, ~0u, SMMU_CR0ACK, CR0_CMDQEN, "CMDQ_BASE[63:32]" },
	{ SMMU_CMDQ_CONS, ~0u, SMMU_CR0ACK, CR0_CMDQEN, "CMDQ_CONS" },
	{ SMMU_EVENTQ_BASE, ~0u, SMMU_CR0ACK, CR0_EVENTQEN, "EVENTQ_BASE[31:0]" },
	{ SMMU_EVENTQ_BASE + 4, ~0u, SMMU_CR0ACK, CR0_EVENTQEN, "EVENTQ_BASE[63:32]" },
	{ SMMU_EVENTQ_PROD, ~0u, SMMU_CR0ACK, CR0_EVENTQEN, "EVENTQ_PROD" },
	{ SMMU_EVENTQ_IRQ_CFG0, ~0u, SMMU_IRQ_CTRLACK, IRQ_CTRL_EVENTQ_IRQEN,
	  "EVENTQ_IRQ_CFG0[31:0]" },
	{ SMMU_EVENTQ_IRQ_CFG0 + 4, ~0u, SMMU_IRQ_CTRLACK, IRQ_CTRL_EVENTQ_IRQEN,
	  "EVENTQ_IRQ_CFG0[63:32]" },
	{ SMMU_GERROR_IRQ_CFG0, ~0u, SMMU_IRQ_CTRLACK, IRQ_CTRL_GERROR_IRQEN,
	  "GERROR_IRQ_CFG0[31:0]" },
	{ SMMU_GERROR_IRQ_CFG0 + 4, ~0u, SMMU_IRQ_CTRLACK, IRQ_CTRL_GERROR_IRQEN,
	  "GERROR_IRQ_CFG0[63:32]" },
};
#define NR_GUARDED (sizeof(guarded) / sizeof(guarded[0]))

/* Each guarded register as the model last saw it (its own writes included). */
static uint32_t guarded_seen[NR_GUARDED];

static void guarded_snapshot(void)
{
	for (unsigned int i = 0; i < NR_GUARDED; i++)
		guarded_seen[i] = REG(guarded[i].off);
}

/*
 * Only the model changes an ACK register, at a step: the ACK it holds now
 * held since the last step, through every write the driver made since. A
 * write of the value already there is not seen, and is harmless.
 */
void model_check_guarded(void)
{
	for (unsigned int i = 0; i < NR_GUARDED; i++) {
		const struct guarded_reg *g = &guarded[i];
		uint32_t was = guarded_seen[i], now = REG(g->off);

		if (!((was ^ now) & g->fields) || !(REG(g->ack) & g->guard))
			continue;
		guarded_snapshot(); /* told once, here, not again at the test's end */
		fail_msg(
			"the driver wrote SMMU_%s (0x%x, was 0x%x) while SMMU_%s was 0x%x: RO then "
			"(IHI 0070), the write CONSTRAINED UNPREDICTABLE or ignored",
			g->name, now, was, g->ack == SMMU_CR0ACK ? "CR0ACK" : "IRQ_CTRLACK",
			REG(g->ack));
	}
	guarded_snapshot();
}

void model_reset(void)
{
	memset(model_regs, 0, sizeof(model_regs));
	memset(cmds, 0, sizeof(cmds));
	nr_cmds = cmd_errors = 0;
	fetch_aborts = 0;
	bad_opcode = 0;
	bad_cmd = 0;
	cmdq_stalled = cr0_stuck = gbpa_stuck = false;
	records_committed = false;
	gbpa_applied = 0; /* bypass, as firmware may leave it */
	bypass_windows = 0;
	cr0_at_enable = atschk_at_cfgi_all = 0;
	guarded_snapshot();
}

void model_write(uint32_t off, uint32_t val)
{
	REG(off) = val;
	guarded_snapshot();
}

void model_step(void)
{
	model_check_guarded();
	model_advance();
	guarded_snapshot();
}
