// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMUv3 driver: DMA containment for the devices cells own.
 *
 * One linear stream table, one command queue and one event queue, all
 * static. An STE is either invalid (V = 0: the SMMU aborts the stream and
 * records C_BAD_STE) or, for a stream a cell owns, stage-2 only (Config =
 * 0b110) with the cell's VMID and the very tables its CPUs use (S2TTB =
 * VTTBR's BADDR, S2T0SZ..S2PS = VTCR_EL2[18:0]), so a device reaches exactly
 * the cell's IPA space. Global bypass is set to abort before the SMMU is on,
 * and stays abort: a transaction is never let through untranslated.
 *
 * The SMMU must be coherent with the CPU (IDR0.COHACC): the stage-2 tables
 * are written through the CPU's caches without cleaning them to the point of
 * coherency. Table walks and queue accesses are made Write-Back inner
 * shareable (CR1, STE S2IR0/S2OR0/S2SH0 from VTCR_EL2).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "fault.h"
#include "gic.h"
#include "log.h"
#include "mmu.h"
#include "smmu.h"
#include "smmu_regs.h"
#include "spinlock.h"
#include "sysreg.h"

/*
 * Static table sizes. Streams beyond the table get C_BAD_STREAMID (abort):
 * 1024 streams are PCI buses 0-3 with the usual RID = SID map.
 */
#define STRTAB_LOG2_MAX 10
#define CMDQ_LOG2_MAX	8 /* 256 x 16 bytes = 4 KiB */
#define EVTQ_LOG2_MAX	7 /* 128 x 32 bytes = 4 KiB */
#define ACK_TIMEOUT_MS	100
#define NO_OWNER	0xff

static uint64_t strtab[(1u << STRTAB_LOG2_MAX) * STE_DWORDS]
	__attribute__((aligned((1u << STRTAB_LOG2_MAX) * STE_DWORDS * 8)));
static uint64_t cmdq[(1u << CMDQ_LOG2_MAX) * 2] __attribute__((aligned(4096)));
static uint64_t evtq[(1u << EVTQ_LOG2_MAX) * EVT_DWORDS] __attribute__((aligned(4096)));
static uint8_t owner[1u << STRTAB_LOG2_MAX]; /* cell id per stream, NO_OWNER if none */

static struct {
	uintptr_t base;
	bool on;
	unsigned int strtab_log2, cmdq_log2, evtq_log2;
	uint32_t cmdq_prod; /* with its wrap bit */
	uint32_t oas;	    /* IDR5.OAS encoding */
	uint32_t eventq_irq, gerror_irq;
	struct spinlock cmd_lock;
	struct spinlock evt_lock;
	unsigned int overflows;
} smmu = { .cmd_lock = SPINLOCK_INIT, .evt_lock = SPINLOCK_INIT };

static uint32_t rd32(uint32_t off)
{
	return *(volatile uint32_t *)(smmu.base + off);
}

static void wr32(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(smmu.base + off) = v;
}

static void wr64(uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(smmu.base + off) = v;
}

bool smmu_enabled(void)
{
	return smmu.on;
}

static bool wait_reg(uint32_t off, uint32_t mask, uint32_t want)
{
	uint64_t start = arch_counter_read();
	uint64_t limit = arch_counter_freq() / 1000 * ACK_TIMEOUT_MS;

	while ((rd32(off) & mask) != want) {
		if (arch_counter_read() - start > limit)
			return false;
		arch_cpu_relax();
	}
	return true;
}

/* Write a control register and wait for its ACK twin to agree (§6.3.10). */
static int write_acked(uint32_t reg, uint32_t ack, uint32_t v)
{
	wr32(reg, v);
	if (wait_reg(ack, ~0u, v))
		return 0;
	log_err("smmu: register 0x%x: 0x%x not acknowledged within %u ms", reg, v, ACK_TIMEOUT_MS);
	return -ETIMEDOUT;
}

/* --- command queue ------------------------------------------------------ */

static uint32_t q_idx(uint32_t v, unsigned int log2)
{
	return v & ((1u << log2) - 1);
}

static uint32_t q_wrap(uint32_t v, unsigned int log2)
{
	return v & (1u << log2);
}

static bool cmdq_full(uint32_t prod, uint32_t cons)
{
	return q_idx(prod, smmu.cmdq_log2) == q_idx(cons, smmu.cmdq_log2) &&
	       q_wrap(prod, smmu.cmdq_log2) != q_wrap(cons, smmu.cmdq_log2);
}

static uint32_t q_inc(uint32_t v, unsigned int log2)
{
	return (v + 1) & ((2u << log2) - 1);
}

/* Caller holds cmd_lock. */
static int cmdq_push(uint64_t w0, uint64_t w1)
{
	uint64_t start = arch_counter_read();
	uint64_t limit = arch_counter_freq() / 1000 * ACK_TIMEOUT_MS;
	uint64_t *slot;

	while (cmdq_full(smmu.cmdq_prod, rd32(SMMU_CMDQ_CONS))) {
		if (arch_counter_read() - start > limit) {
			log_err("smmu: command queue stuck full");
			return -ETIMEDOUT;
		}
		arch_cpu_relax();
	}
	slot = &cmdq[q_idx(smmu.cmdq_prod, smmu.cmdq_log2) * 2];
	slot[0] = w0;
	slot[1] = w1;
	/* The command must be in memory before the SMMU sees the new PROD. */
	dsb(ishst);
	smmu.cmdq_prod = q_inc(smmu.cmdq_prod, smmu.cmdq_log2);
	wr32(SMMU_CMDQ_PROD, smmu.cmdq_prod);
	return 0;
}

/*
 * CMD_SYNC with no completion signal (CS = 0b00): it has completed, with
 * every command before it, once CONS has moved past it (§4.7.3).
 */
static int cmdq_sync(void)
{
	uint64_t start, limit = arch_counter_freq() / 1000 * ACK_TIMEOUT_MS;
	uint32_t cons;
	int ret = cmdq_push(CMD_SYNC, 0);

	start = arch_counter_read();
	while (!ret) {
		cons = rd32(SMMU_CMDQ_CONS);
		if ((rd32(SMMU_GERROR) ^ rd32(SMMU_GERRORN)) & GERROR_CMDQ_ERR) {
			log_err("smmu: command error %u at CONS 0x%x",
				(cons >> CMDQ_CONS_ERR_SHIFT) & CMDQ_CONS_ERR_MASK, cons);
			return -EIO;
		}
		if ((cons & ((2u << smmu.cmdq_log2) - 1)) == smmu.cmdq_prod)
			return 0;
		if (arch_counter_read() - start > limit) {
			log_err("smmu: CMD_SYNC not completed within %u ms", ACK_TIMEOUT_MS);
			return -ETIMEDOUT;
		}
		arch_cpu_relax();
	}
	return ret;
}

static int cmd_run(uint64_t w0, uint64_t w1)
{
	int ret;

	spin_lock(&smmu.cmd_lock);
	ret = cmdq_push(w0, w1);
	if (!ret)
		ret = cmdq_sync();
	spin_unlock(&smmu.cmd_lock);
	return ret;
}

/* --- streams --------------------------------------------------------------- */

static uint64_t *ste_of(uint32_t sid)
{
	return &strtab[(size_t)sid * STE_DWORDS];
}

/* The PS encoding (VTCR_EL2.PS, STE.S2PS, IDR5.OAS share it) in @vtcr, clamped to the SMMU's OAS.
 */
static uint64_t s2_vtcr_fields(uint64_t vtcr)
{
	uint64_t ps = (vtcr >> 16) & 7;

	if (ps > smmu.oas)
		vtcr = (vtcr & ~(7ULL << 16)) | ((uint64_t)smmu.oas << 16);
	return vtcr & STE2_VTCR_MASK;
}

int smmu_assign(struct cell *cell, uint32_t sid)
{
	uint64_t vtcr = arch_stage2_vtcr(cell);
	uint64_t *ste;
	int ret;

	if (!smmu.on)
		return -ENODEV;
	if (sid >= (1u << smmu.strtab_log2)) {
		log_err("%s: SMMU: stream 0x%x is beyond the stream table (%u streams)",
			cell->cfg->label, sid, 1u << smmu.strtab_log2);
		return -ERANGE;
	}
	if (owner[sid] != NO_OWNER && owner[sid] != cell->id) {
		log_err("%s: SMMU: stream 0x%x already belongs to cell %u", cell->cfg->label, sid,
			owner[sid]);
		return -EBUSY;
	}
	if (!vtcr) {
		log_err("%s: SMMU: the cell's stage 2 has no valid VTCR", cell->cfg->label);
		return -EINVAL;
	}
	ste = ste_of(sid);
	/* Every other word first, word 0 (V) last: the SMMU never sees half an STE (§3.21.3). */
	ste[1] = 0;
	ste[2] = ((uint64_t)cell->s2.vmid << STE2_S2VMID_SHIFT) |
		 (s2_vtcr_fields(vtcr) << STE2_VTCR_SHIFT) | STE2_S2AA64 | STE2_S2R;
	ste[3] = arch_stage2_ttbr(cell) & STE3_S2TTB_MASK;
	ste[4] = ste[5] = ste[6] = ste[7] = 0;
	dsb(ishst);
	ste[0] = STE0_V | (STE0_CONFIG_S2_TRANS << STE0_CONFIG_SHIFT);
	dsb(ishst);
	owner[sid] = (uint8_t)cell->id;
	ret = cmd_run(CMD_CFGI_STE | ((uint64_t)sid << CMD0_SID_SHIFT), CMD1_LEAF);
	if (!ret)
		ret = cmd_run(CMD_TLBI_S12_VMALL | ((uint64_t)cell->s2.vmid << CMD0_VMID_SHIFT), 0);
	if (!ret)
		log_info("%s: SMMU: stream 0x%x translates through the cell's stage 2 (VMID %u)",
			 cell->cfg->label, sid, cell->s2.vmid);
	return ret;
}

void smmu_cell_flush(struct cell *cell)
{
	if (smmu.on &&
	    cmd_run(CMD_TLBI_S12_VMALL | ((uint64_t)cell->s2.vmid << CMD0_VMID_SHIFT), 0))
		log_err("%s: SMMU: TLB invalidation of VMID %u failed", cell->cfg->label,
			cell->s2.vmid);
}

/* --- events -------------------------------------------------------------- */

static const char *event_name(uint32_t type)
{
	switch (type) {
	case EVT_F_UUT:
		return "F_UUT";
	case EVT_C_BAD_STREAMID:
		return "C_BAD_STREAMID";
	case EVT_F_STE_FETCH:
		return "F_STE_FETCH";
	case EVT_C_BAD_STE:
		return "C_BAD_STE";
	case EVT_F_BAD_ATS_TREQ:
		return "F_BAD_ATS_TREQ";
	case EVT_F_STREAM_DISABLED:
		return "F_STREAM_DISABLED";
	case EVT_F_TRANSL_FORBIDDEN:
		return "F_TRANSL_FORBIDDEN";
	case EVT_C_BAD_SUBSTREAMID:
		return "C_BAD_SUBSTREAMID";
	case EVT_F_CD_FETCH:
		return "F_CD_FETCH";
	case EVT_C_BAD_CD:
		return "C_BAD_CD";
	case EVT_F_WALK_EABT:
		return "F_WALK_EABT";
	case EVT_F_TRANSLATION:
		return "F_TRANSLATION";
	case EVT_F_ADDR_SIZE:
		return "F_ADDR_SIZE";
	case EVT_F_ACCESS:
		return "F_ACCESS";
	case EVT_F_PERMISSION:
		return "F_PERMISSION";
	case EVT_F_TLB_CONFLICT:
		return "F_TLB_CONFLICT";
	case EVT_F_CFG_CONFLICT:
		return "F_CFG_CONFLICT";
	default:
		return "unknown event";
	}
}

/* Does the record carry an input address in word 2 (§7.3)? */
static bool event_has_addr(uint32_t type)
{
	return type == EVT_F_UUT || type == EVT_F_TRANSL_FORBIDDEN || type == EVT_F_WALK_EABT ||
	       (type >= EVT_F_TRANSLATION && type <= EVT_F_PERMISSION) ||
	       type == EVT_F_TLB_CONFLICT;
}

/*
 * A device's transfer that faults is often recorded access by access (QEMU:
 * one record per 4 bytes): records of one stream, type and page in a row are
 * reported as one.
 */
struct event_run {
	uint64_t first[EVT_DWORDS];
	unsigned int count;
};

static void event_reason(const uint64_t *e, uint32_t type, unsigned int count, char *buf,
			 size_t len)
{
	bool write = !(e[1] & EVT1_RNW);

	switch (type) {
	case EVT_F_TRANSLATION:
	case EVT_F_ADDR_SIZE:
	case EVT_F_ACCESS:
	case EVT_F_PERMISSION:
		snprintf(buf, len, "DMA %s outside the cell's stage 2%s, blocked; %u record(s)",
			 write ? "write" : "read", type == EVT_F_PERMISSION ? " permissions" : "",
			 count);
		break;
	case EVT_C_BAD_STE:
	case EVT_C_BAD_STREAMID:
		snprintf(buf, len, "stream owned by no cell: aborted");
		break;
	default:
		snprintf(buf, len, "record 0x%lx 0x%lx", (unsigned long)e[0], (unsigned long)e[1]);
		break;
	}
}

/* A run of records: report it against the owner of its stream. Returns the owning cell or NULL. */
static struct cell *event_handle(const struct event_run *run)
{
	const uint64_t *e = run->first;
	uint32_t type = (uint32_t)(e[0] & EVT0_TYPE_MASK);
	uint32_t sid = (uint32_t)(e[0] >> EVT0_SID_SHIFT);
	uint64_t addr = event_has_addr(type) ? e[2] : 0;
	struct cell *cell = NULL;
	char reason[96];

	event_reason(e, type, run->count, reason, sizeof(reason));
	if (sid < (1u << smmu.strtab_log2) && owner[sid] != NO_OWNER)
		cell = cell_get(owner[sid]);
	if (cell)
		fault_smmu(cell, event_name(type), sid, addr, reason);
	else
		log_warn("SMMU: %s for stream 0x%x at 0x%lx (%s)", event_name(type), sid,
			 (unsigned long)addr, reason);
	return cell;
}

/*
 * Drain the event queue, then apply each faulting cell's policy once: a
 * policy may restart a cell of this CPU and not return, so it comes last.
 */
static bool same_run(const struct event_run *run, const uint64_t *e)
{
	uint32_t type = (uint32_t)(e[0] & EVT0_TYPE_MASK);

	return run->count && run->first[0] == e[0] &&
	       (!event_has_addr(type) || (run->first[2] >> 12) == (e[2] >> 12));
}

static void run_flush(struct event_run *run, bool *faulted)
{
	struct cell *cell;

	if (!run->count)
		return;
	cell = event_handle(run);
	if (cell && cell->id < LAYOUT_MAX_CELLS)
		faulted[cell->id] = true;
	run->count = 0;
}

/* Not inlined: smmu_irq() runs on every physical IRQ and must stay a few instructions. */
static __attribute__((noinline)) void evtq_drain(void)
{
	bool faulted[LAYOUT_MAX_CELLS] = { false };
	uint32_t prod, cons, mask = (2u << smmu.evtq_log2) - 1;
	struct event_run run = { .count = 0 };
	unsigned int i;

	spin_lock(&smmu.evt_lock);
	prod = rd32(SMMU_EVENTQ_PROD);
	cons = rd32(SMMU_EVENTQ_CONS);
	if ((prod ^ cons) & Q_OVFLG) {
		if (smmu.overflows++ < 4)
			log_warn("SMMU: event queue overflowed: events were lost");
		cons = (cons & ~Q_OVFLG) | (prod & Q_OVFLG);
	}
	/* Read the records only after PROD says they are there. */
	dsb(ld);
	while ((cons & mask) != (prod & mask)) {
		const uint64_t *e = &evtq[q_idx(cons, smmu.evtq_log2) * EVT_DWORDS];

		if (!same_run(&run, e)) {
			run_flush(&run, faulted);
			memcpy(run.first, e, sizeof(run.first));
		}
		run.count++;
		cons = (cons & Q_OVFLG) | q_inc(cons & mask, smmu.evtq_log2);
	}
	/* Records consumed before the slot is given back to the SMMU. */
	dsb(ish);
	wr32(SMMU_EVENTQ_CONS, cons);
	spin_unlock(&smmu.evt_lock);
	run_flush(&run, faulted);
	for (i = 0; i < LAYOUT_MAX_CELLS; i++)
		if (faulted[i] && cell_get(i))
			fault_policy_async(cell_get(i), "DMA fault");
}

static __attribute__((noinline)) void gerror_handle(void)
{
	uint32_t g = rd32(SMMU_GERROR), active = g ^ rd32(SMMU_GERRORN);

	if (!active)
		return;
	/* QEMU reports a full event queue as EVENTQ_ABT_ERR: events lost, nothing broken. */
	if (active == GERROR_EVENTQ_ABT_ERR) {
		if (smmu.overflows++ < 4)
			log_warn("SMMU: event queue write aborted (queue full?): events were lost");
	} else {
		log_err("SMMU: global error 0x%x%s%s%s", active,
			active & GERROR_CMDQ_ERR ? " (command queue error)" : "",
			active & GERROR_EVENTQ_ABT_ERR ? " (event queue write aborted)" : "",
			active & GERROR_SFM_ERR ? " (service failure mode: the SMMU stopped)" : "");
	}
	/* Acknowledge by making GERRORN equal to GERROR (§6.3.17). */
	wr32(SMMU_GERRORN, g);
}

bool smmu_irq(uint32_t iar, uint32_t intid)
{
	if (!smmu.on || !intid || (intid != smmu.eventq_irq && intid != smmu.gerror_irq))
		return false;
	/* EOI first: a fault policy may restart this CPU's cell and not return. */
	gic_eoi(iar);
	if (intid == smmu.gerror_irq)
		gerror_handle();
	if (intid == smmu.eventq_irq)
		evtq_drain();
	return true;
}

/* --- bring-up ------------------------------------------------------------ */

static unsigned int min_u(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

static int probe(uint32_t *idr0)
{
	uint32_t idr1 = rd32(SMMU_IDR1), idr5 = rd32(SMMU_IDR5);
	uint32_t ttf;

	*idr0 = rd32(SMMU_IDR0);
	ttf = (*idr0 >> IDR0_TTF_SHIFT) & IDR0_TTF_MASK;
	if (!(*idr0 & IDR0_S2P)) {
		log_err("smmu: IDR0.S2P = 0: no stage-2 translation, cannot contain DMA");
		return -ENODEV;
	}
	if (!(ttf & IDR0_TTF_AARCH64)) {
		log_err("smmu: IDR0.TTF = %u: no AArch64 translation tables", ttf);
		return -ENODEV;
	}
	if (!(*idr0 & IDR0_COHACC)) {
		log_err("smmu: IDR0.COHACC = 0: a non-coherent SMMU is not supported (tables are "
			"not cleaned to the point of coherency)");
		return -ENODEV;
	}
	if (!(idr5 & IDR5_GRAN4K)) {
		log_err("smmu: IDR5.GRAN4K = 0: no 4 KiB granule");
		return -ENODEV;
	}
	if (idr1 & (IDR1_TABLES_PRESET | IDR1_QUEUES_PRESET)) {
		log_err("smmu: IDR1: preset table or queue addresses are not supported");
		return -ENODEV;
	}
	smmu.oas = idr5 & IDR5_OAS_MASK;
	/* A linear table is always supported; sized to what the static array holds. */
	smmu.strtab_log2 = min_u(idr1 & IDR1_SIDSIZE_MASK, STRTAB_LOG2_MAX);
	smmu.cmdq_log2 = min_u((idr1 >> IDR1_CMDQS_SHIFT) & IDR1_QS_MASK, CMDQ_LOG2_MAX);
	smmu.evtq_log2 = min_u((idr1 >> IDR1_EVENTQS_SHIFT) & IDR1_QS_MASK, EVTQ_LOG2_MAX);
	if (smmu.cmdq_log2 < 1 || smmu.evtq_log2 < 1) {
		log_err("smmu: IDR1: queues too small");
		return -ENODEV;
	}
	return 0;
}

/* Everything off and every stream aborting: the state to configure from. */
static int quiesce(void)
{
	int ret = write_acked(SMMU_CR0, SMMU_CR0ACK, 0);

	if (!ret)
		ret = write_acked(SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, 0);
	if (ret)
		return ret;
	/* While SMMUEN = 0, GBPA decides: abort, never bypass (§6.3.14). */
	if (!wait_reg(SMMU_GBPA, GBPA_UPDATE, 0))
		return -ETIMEDOUT;
	wr32(SMMU_GBPA, GBPA_ABORT | GBPA_UPDATE);
	return wait_reg(SMMU_GBPA, GBPA_UPDATE, 0) ? 0 : -ETIMEDOUT;
}

static int configure(void)
{
	uint32_t cr0 = 0;
	int ret;

	memset(strtab, 0, sizeof(strtab)); /* V = 0: abort with C_BAD_STE */
	memset(owner, NO_OWNER, sizeof(owner));
	dsb(ishst);
	wr32(SMMU_CR1,
	     (CR1_CACHE_WB << CR1_QUEUE_IC_SHIFT) | (CR1_CACHE_WB << CR1_QUEUE_OC_SHIFT) |
		     (CR1_SH_ISH << CR1_QUEUE_SH_SHIFT) | (CR1_CACHE_WB << CR1_TABLE_IC_SHIFT) |
		     (CR1_CACHE_WB << CR1_TABLE_OC_SHIFT) | (CR1_SH_ISH << CR1_TABLE_SH_SHIFT));
	/* Invalidation is explicit (CMD_TLBI_S12_VMALL), not the CPU's broadcast TLBIs. */
	wr32(SMMU_CR2, CR2_RECINVSID | CR2_PTM);
	wr64(SMMU_STRTAB_BASE, STRTAB_BASE_RA | ((uintptr_t)strtab & STRTAB_BASE_ADDR_MASK));
	wr32(SMMU_STRTAB_BASE_CFG, STRTAB_BASE_CFG_FMT_LINEAR | smmu.strtab_log2);
	wr64(SMMU_CMDQ_BASE, Q_BASE_RWA | ((uintptr_t)cmdq & Q_BASE_ADDR_MASK) | smmu.cmdq_log2);
	wr32(SMMU_CMDQ_PROD, 0);
	wr32(SMMU_CMDQ_CONS, 0);
	smmu.cmdq_prod = 0;
	wr64(SMMU_EVENTQ_BASE, Q_BASE_RWA | ((uintptr_t)evtq & Q_BASE_ADDR_MASK) | smmu.evtq_log2);
	wr32(SMMU_EVENTQ_PROD, 0);
	wr32(SMMU_EVENTQ_CONS, 0);
	/* Wired interrupts: no MSI address. */
	wr64(SMMU_EVENTQ_IRQ_CFG0, 0);
	wr64(SMMU_GERROR_IRQ_CFG0, 0);

	cr0 |= CR0_CMDQEN;
	ret = write_acked(SMMU_CR0, SMMU_CR0ACK, cr0);
	/* Forget anything cached from before (firmware, a previous boot). */
	if (!ret)
		ret = cmd_run(CMD_CFGI_ALL, CMD1_CFGI_ALL_RANGE);
	if (!ret)
		ret = cmd_run(CMD_TLBI_NSNH_ALL, 0);
	if (!ret)
		ret = cmd_run(CMD_TLBI_EL2_ALL, 0);
	cr0 |= CR0_EVENTQEN;
	if (!ret)
		ret = write_acked(SMMU_CR0, SMMU_CR0ACK, cr0);
	if (!ret)
		ret = write_acked(SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK,
				  (smmu.eventq_irq ? IRQ_CTRL_EVENTQ_IRQEN : 0) |
					  (smmu.gerror_irq ? IRQ_CTRL_GERROR_IRQEN : 0));
	cr0 |= CR0_SMMUEN;
	if (!ret)
		ret = write_acked(SMMU_CR0, SMMU_CR0ACK, cr0);
	return ret;
}

int smmu_init(const struct platform *plat)
{
	const struct platform_smmu *p = &plat->smmu;
	uint32_t idr0;
	int ret;

	if (!p->present)
		return 0;
	ret = mmu_map_device(p->regs.base, p->regs.size);
	if (ret) {
		log_err("smmu: cannot map %s at 0x%lx (%d)", p->path, (unsigned long)p->regs.base,
			ret);
		return ret;
	}
	smmu.base = (uintptr_t)p->regs.base;
	smmu.eventq_irq = p->eventq_irq;
	smmu.gerror_irq = p->gerror_irq;
	ret = probe(&idr0);
	if (!ret)
		ret = quiesce();
	if (!ret)
		ret = configure();
	if (ret) {
		log_err("smmu: %s not enabled (%d); streams stay aborted by GBPA", p->path, ret);
		return ret;
	}
	smmu.on = true;
	/* SMMUv3 wired interrupts are edge-triggered pulses (IHI 0070 §3.18). */
	if (smmu.eventq_irq) {
		gic_irq_set_edge(smmu.eventq_irq);
		gic_irq_enable(smmu.eventq_irq);
	}
	if (smmu.gerror_irq && smmu.gerror_irq != smmu.eventq_irq) {
		gic_irq_set_edge(smmu.gerror_irq);
		gic_irq_enable(smmu.gerror_irq);
	}
	log_info("smmu: %s on: %u-stream linear table, every stream aborts until a cell owns it; "
		 "events on INTID %u%s",
		 p->path, 1u << smmu.strtab_log2, smmu.eventq_irq,
		 smmu.eventq_irq ? "" : " (none: not reported)");
	return 0;
}
