// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMUv3 bring-up: what the SMMU can do (IDR0-5), abort everything while it
 * is set up, then the stream table, the queues and their interrupts, and the
 * SMMU on (smmu/smmuv3.c says what the STEs hold, and why).
 */
#include <errno.h>
#include "arch/cpu.h"
#include "gic.h"
#include "log.h"
#include "mmu.h"
#include "pgtable.h"
#include "smmu.h"
#include "smmu_priv.h"
#include "sysreg.h"
#include "test_fault.h"

static bool wait_reg(uint32_t off, uint32_t mask, uint32_t want)
{
	uint64_t start = arch_counter_read();
	uint64_t limit = arch_ms_to_ticks(ACK_TIMEOUT_MS);

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
	return log_err_ret(-ETIMEDOUT, "smmu: register 0x%x: 0x%x not acknowledged within %u ms",
			   reg, v, ACK_TIMEOUT_MS);
}

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
	if (!(*idr0 & IDR0_S2P))
		return log_err_ret(
			-ENODEV, "smmu: IDR0.S2P = 0: no stage-2 translation, cannot contain DMA");
	if (!(ttf & IDR0_TTF_AARCH64))
		return log_err_ret(-ENODEV, "smmu: IDR0.TTF = %u: no AArch64 translation tables",
				   ttf);
	if (!(*idr0 & IDR0_COHACC))
		return log_err_ret(-ENODEV,
				   "smmu: IDR0.COHACC = 0: a non-coherent SMMU is not supported "
				   "(tables are not cleaned to the point of coherency)");
	if (((*idr0 >> IDR0_STALL_SHIFT) & IDR0_STALL_MASK) == IDR0_STALL_FORCED)
		return log_err_ret(-ENODEV,
				   "smmu: IDR0.STALL_MODEL = 0b10: stalls are forced, and an STE "
				   "that terminates faults (S2S = 0) is illegal; stalled "
				   "transactions are not supported");
	if (((*idr0 >> IDR0_TTENDIAN_SHIFT) & IDR0_TTENDIAN_MASK) == IDR0_TTENDIAN_BE)
		return log_err_ret(
			-ENODEV, "smmu: IDR0.TTENDIAN = 0b11: big-endian translation tables only");
	if (!(idr5 & IDR5_GRAN4K))
		return log_err_ret(-ENODEV, "smmu: IDR5.GRAN4K = 0: no 4 KiB granule");
	if (idr1 & (IDR1_TABLES_PRESET | IDR1_QUEUES_PRESET))
		return log_err_ret(-ENODEV,
				   "smmu: IDR1: preset table or queue addresses are not supported");
	smmu.oas = idr5 & IDR5_OAS_MASK;
	if (!pt_pa_range_bits(smmu.oas))
		return log_err_ret(-ENODEV, "smmu: IDR5.OAS = %u is reserved", smmu.oas);
	/*
	 * The stream table and the queues are in the image: an address beyond OAS
	 * has bits the SMMU need not keep (RES0), and a truncated one could fall
	 * in a cell's RAM, whose guest would then write the STEs.
	 */
	if ((mmu_image_end() - 1) >> pt_pa_range_bits(smmu.oas))
		return log_err_ret(-ENODEV,
				   "smmu: the hypervisor ends at 0x%llx, beyond the SMMU's %u-bit "
				   "output addresses (IDR5.OAS %u): its stream table and queues "
				   "would be out of reach; load Bulkhead lower",
				   (unsigned long long)mmu_image_end(), pt_pa_range_bits(smmu.oas),
				   smmu.oas);
	/* §3.4: IAS = OAS, or MAX(40, OAS) with AArch32 tables (which need 40-bit IPAs). */
	smmu.ias = pt_pa_range_bits(smmu.oas);
	if ((ttf & IDR0_TTF_AARCH32) && smmu.ias < 40)
		smmu.ias = 40;
	/*
	 * A linear table is always supported, and is the boot's, sized to what
	 * the static array holds; smmu_strtab_fit() may go two-level.
	 */
	smmu.sid_bits = min_u(idr1 & IDR1_SIDSIZE_MASK, 32);
	smmu.has_2lvl = ((*idr0 >> IDR0_ST_LEVEL_SHIFT) & IDR0_ST_LEVEL_MASK) == IDR0_ST_LEVEL_2LVL;
	smmu.strtab_log2 = min_u(smmu.sid_bits, STRTAB_LOG2_MAX);
	smmu.cmdq_log2 = min_u((idr1 >> IDR1_CMDQS_SHIFT) & IDR1_QS_MASK, CMDQ_LOG2_MAX);
	smmu.evtq_log2 = min_u((idr1 >> IDR1_EVENTQS_SHIFT) & IDR1_QS_MASK, EVTQ_LOG2_MAX);
	if (smmu.cmdq_log2 < 1 || smmu.evtq_log2 < 1)
		return log_err_ret(-ENODEV, "smmu: IDR1: queues too small");
	return 0;
}

/*
 * Global errors active before Bulkhead (GERROR != GERRORN: firmware, a
 * kernel before a warm reset): turning the SMMU off does not end them, and
 * a command-queue error left active keeps the SMMU from consuming any
 * command, configure()'s first included (it failed, the SMMU stayed off).
 * Said and acknowledged, with the SMMU off.
 */
static void ack_stale_gerrors(void)
{
	uint32_t g = rd32(SMMU_GERROR), active = g ^ rd32(SMMU_GERRORN);
	char text[SMMU_GERROR_TEXT];

	if (!active)
		return;
	log_warn("smmu: global errors 0x%x (GERROR ^ GERRORN) were active before Bulkhead%s: "
		 "acknowledged",
		 active, smmu_gerror_text(active, text, sizeof(text)));
	wr32(SMMU_GERRORN, g);
}

#ifdef BULKHEAD_TEST_FAULT
/*
 * "smmu-cmdq-error": what firmware may leave, a command-queue error nobody
 * acknowledged: an opcode no SMMU has (CERROR_ILL) at slot 0, the queue on.
 */
static void leave_cmdq_error(void)
{
	wr64(SMMU_CMDQ_BASE,
	     Q_BASE_RWA | ((uintptr_t)smmu_cmdq & Q_BASE_ADDR_MASK) | smmu.cmdq_log2);
	wr32(SMMU_CMDQ_PROD, 0);
	wr32(SMMU_CMDQ_CONS, 0);
	smmu_cmdq[0] = 0xff;
	smmu_cmdq[1] = 0;
	dsb(ishst);
	if (write_acked(SMMU_CR0, SMMU_CR0ACK, CR0_CMDQEN))
		return;
	wr32(SMMU_CMDQ_PROD, 1);
	if (wait_reg(SMMU_GERROR, GERROR_CMDQ_ERR,
		     (rd32(SMMU_GERRORN) ^ GERROR_CMDQ_ERR) & GERROR_CMDQ_ERR))
		log_info("test-fault: smmu: command queue error left active");
}
#endif

/* GBPA.ABORT written once UPDATE is clear, and applied once UPDATE clears again (§6.3.14). */
static bool gbpa_abort(void)
{
	if (!wait_reg(SMMU_GBPA, GBPA_UPDATE, 0))
		return false;
	wr32(SMMU_GBPA, GBPA_ABORT | GBPA_UPDATE);
	return wait_reg(SMMU_GBPA, GBPA_UPDATE, 0);
}

/*
 * Everything off and every stream aborting: the state to configure from.
 * While SMMUEN = 0, GBPA decides for every stream: abort, never bypass
 * (§6.3.14). So GBPA first, then CR0, as Linux's arm_smmu_device_reset()
 * does: firmware may have left SMMUEN = 1 with GBPA at bypass, and streams
 * would bypass between the two writes the other way round, or for good if
 * the CR0 write is never acknowledged. *@gbpa_ok: the abort took effect.
 */
static int quiesce(bool *gbpa_ok)
{
	int ret;

	*gbpa_ok = gbpa_abort();
	if (!*gbpa_ok)
		log_err("smmu: GBPA.UPDATE still set after %u ms: global abort not applied",
			ACK_TIMEOUT_MS);
	/* Off whatever GBPA did: Linux goes on too, and the SMMU is then reported unusable. */
	ret = write_acked(SMMU_CR0, SMMU_CR0ACK, 0);
	if (!ret)
		ret = write_acked(SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, 0);
	if (!ret)
		ack_stale_gerrors();
	return ret ? ret : *gbpa_ok ? 0 : -ETIMEDOUT;
}

/*
 * Every transaction aborts from here on, by registers alone: GBPA.ABORT
 * (as since quiesce(), written again in case), then SMMUEN 0, in quiesce()'s
 * order, after which GBPA decides for every stream. No command: a CPU lost
 * inside one holds the queue's lock for ever. Linux's kdump kernel stops
 * the DMA a crashed kernel left running the same way. Without the GBPA
 * abort, SMMUEN stays 1: the streams would bypass. The queues stay enabled,
 * for a CPU still inside a command.
 */
int smmu_global_abort(void)
{
	if (!gbpa_abort())
		return log_err_ret(-ETIMEDOUT,
				   "smmu: GBPA.UPDATE still set after %u ms: global abort not "
				   "applied, SMMUEN left on",
				   ACK_TIMEOUT_MS);
	return write_acked(SMMU_CR0, SMMU_CR0ACK, rd32(SMMU_CR0) & ~CR0_SMMUEN);
}

static int configure(uint32_t idr0)
{
	uint32_t cr0 = idr0 & IDR0_ATS ? CR0_ATSCHK : 0;
	int ret;

	smmu_strtab_clear();
	smmu.two_level = false;
	dsb(ishst);
	wr32(SMMU_CR1,
	     (CR1_CACHE_WB << CR1_QUEUE_IC_SHIFT) | (CR1_CACHE_WB << CR1_QUEUE_OC_SHIFT) |
		     (CR1_SH_ISH << CR1_QUEUE_SH_SHIFT) | (CR1_CACHE_WB << CR1_TABLE_IC_SHIFT) |
		     (CR1_CACHE_WB << CR1_TABLE_OC_SHIFT) | (CR1_SH_ISH << CR1_TABLE_SH_SHIFT));
	/*
	 * Invalidation is explicit (CMD_TLBI_S12_VMALL), not the CPU's broadcast
	 * TLBIs. RECINVSID 0: a stream beyond the table aborts unrecorded. It has
	 * no STE to silence after a few records, as an unowned one in the table
	 * gets (smmu_events.c), and CR2 cannot change while the SMMU is on: a
	 * master firmware left running there brought an interrupt per batch of
	 * records to CPU 0 for as long as the system ran.
	 */
	wr32(SMMU_CR2, CR2_PTM);
	wr64(SMMU_STRTAB_BASE, STRTAB_BASE_RA | ((uintptr_t)smmu_strtab & STRTAB_BASE_ADDR_MASK));
	wr32(SMMU_STRTAB_BASE_CFG, STRTAB_BASE_CFG_FMT_LINEAR | smmu.strtab_log2);
	wr64(SMMU_CMDQ_BASE,
	     Q_BASE_RWA | ((uintptr_t)smmu_cmdq & Q_BASE_ADDR_MASK) | smmu.cmdq_log2);
	wr32(SMMU_CMDQ_PROD, 0);
	wr32(SMMU_CMDQ_CONS, 0);
	smmu.cmdq_prod = 0;
	wr64(SMMU_EVENTQ_BASE,
	     Q_BASE_RWA | ((uintptr_t)smmu_evtq & Q_BASE_ADDR_MASK) | smmu.evtq_log2);
	wr32(SMMU_EVENTQ_PROD, 0);
	wr32(SMMU_EVENTQ_CONS, 0);
	/* Wired interrupts: no MSI address. */
	wr64(SMMU_EVENTQ_IRQ_CFG0, 0);
	wr64(SMMU_GERROR_IRQ_CFG0, 0);

	cr0 |= CR0_CMDQEN;
	ret = write_acked(SMMU_CR0, SMMU_CR0ACK, cr0);
	/* Forget anything cached from before (firmware, a previous boot), under ATSCHK's value. */
	if (!ret)
		ret = smmu_cmd_run(NULL, CMD_CFGI_ALL, CMD1_CFGI_ALL_RANGE);
	if (!ret)
		ret = smmu_cmd_run(NULL, CMD_TLBI_NSNH_ALL, 0);
	/* EL2 entries exist only with IDR0.HYP; without it the command is CERROR_ILL (§4.4.2.7). */
	if (!ret && (idr0 & IDR0_HYP))
		ret = smmu_cmd_run(NULL, CMD_TLBI_EL2_ALL, 0);
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
	uint32_t idr0 = 0;
	int ret, quiesced;
	bool gbpa_ok;
	const char *state;

	if (!p->present)
		return 0;
	ret = mmu_map_device(p->regs.base, p->regs.size);
	if (ret)
		return log_err_ret(ret, "smmu: cannot map %s at 0x%lx (%d)", p->path,
				   (unsigned long)p->regs.base, ret);
	smmu.base = (uintptr_t)p->regs.base;
	smmu.eventq_irq = p->eventq_irq;
	smmu.gerror_irq = p->gerror_irq;
	/* Register page 1 (the event queue's PROD and CONS) is the second 64 KiB. */
	if (p->regs.size < SMMU_REGS_SIZE) {
		log_err("smmu: %s: reg size 0x%llx: an SMMUv3's registers take 0x%x bytes (two "
			"64 KiB pages)",
			p->path, (unsigned long long)p->regs.size, SMMU_REGS_SIZE);
		ret = -EINVAL;
	} else {
		ret = probe(&idr0);
	}
#ifdef BULKHEAD_TEST_FAULT
	if (!ret && test_fault_chosen() == TEST_FAULT_SMMU_CMDQ_ERROR)
		leave_cmdq_error();
#endif
	/* Even an SMMU Bulkhead cannot use is turned off with GBPA at abort: nothing bypasses it.
	 */
	quiesced = quiesce(&gbpa_ok);
	if (!ret)
		ret = quiesced;
	if (!ret)
		ret = configure(idr0);
	if (ret) {
		if (!gbpa_ok)
			state = "GBPA abort not acknowledged: DMA behind it may bypass it";
		else if (quiesced)
			state = "GBPA aborts, but CR0 = 0 was not acknowledged: the SMMU may still "
				"translate through firmware's tables";
		else
			state = "every stream aborts (GBPA)";
		log_err("smmu: %s not enabled (%d); %s", p->path, ret, state);
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
	log_info("smmu: %s on: %u-stream linear table, every stream aborts until a cell owns it "
		 "(streams 0x%x and up without event records); events on INTID %u%s",
		 p->path, 1u << smmu.strtab_log2, 1u << smmu.strtab_log2, smmu.eventq_irq,
		 smmu.eventq_irq ? "" : " (none: not reported)");
	if (idr0 & IDR0_ATS)
		log_info("smmu: ATS checked (CR0.ATSCHK): ATS-translated DMA aborts, no STE "
			 "enables it");
	return 0;
}

/*
 * The two-level table instead of the linear one, before any stream is
 * given: every STE and L1STD invalid, SMMUEN 0 (GBPA aborts every stream
 * meanwhile, as since quiesce()), STRTAB_BASE and STRTAB_BASE_CFG, which
 * take writes only then (§6.3.23-24), CMD_CFGI_ALL so that nothing read from
 * the linear table is used, SMMUEN 1. SPLIT 8: a level-2 table per 256
 * streams; the level-1 table aligned to its size.
 */
static int strtab_go_two_level(void)
{
	unsigned int log2 = min_u(smmu.sid_bits, SMMU_STREAM_ID_BITS);
	uint32_t cr0 = rd32(SMMU_CR0);
	int ret;

	ret = write_acked(SMMU_CR0, SMMU_CR0ACK, cr0 & ~CR0_SMMUEN);
	if (ret)
		return ret;
	/* Two-level first: an event drained meanwhile finds no STE to silence (smmu_ste_slot()). */
	smmu.two_level = true;
	smmu.strtab_log2 = log2;
	smmu_strtab_clear();
	dsb(ishst);
	wr64(SMMU_STRTAB_BASE,
	     STRTAB_BASE_RA | ((uintptr_t)smmu_strtab_l1 & STRTAB_BASE_ADDR_MASK));
	wr32(SMMU_STRTAB_BASE_CFG,
	     STRTAB_BASE_CFG_FMT_2LVL | (STRTAB_SPLIT << STRTAB_BASE_CFG_SPLIT_SHIFT) | log2);
	ret = smmu_cmd_run(NULL, CMD_CFGI_ALL, CMD1_CFGI_ALL_RANGE);
	if (!ret)
		ret = write_acked(SMMU_CR0, SMMU_CR0ACK, cr0);
	return ret;
}

int smmu_strtab_fit(uint32_t top_sid)
{
	int ret;

	/*
	 * A linear table it fits, or a two-level one would not help (no stream
	 * ID of the SMMU's beyond the linear table's): smmu_assign() says why.
	 */
	if (!smmu.on || !(top_sid >> smmu.strtab_log2) || !smmu.has_2lvl ||
	    smmu.sid_bits <= STRTAB_LOG2_MAX)
		return 0;
	ret = strtab_go_two_level();
	if (ret) {
		smmu.on = false;
		log_err("smmu: the two-level stream table could not be set up (%d): the SMMU is "
			"off, every stream aborts (GBPA)",
			ret);
		return ret;
	}
	log_info("smmu: streams up to 0x%x: two-level stream table, stream IDs below 0x%x; %u "
		 "level-2 tables of %u streams for the ranges cells are given, other streams "
		 "abort without event records",
		 top_sid, 1u << smmu.strtab_log2, STRTAB_L2_TABLES, STRTAB_L2_STES);
	return 0;
}
