// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMUv3 driver: DMA containment for the devices cells own.
 *
 * One stream table (linear, or two-level for streams beyond 1024:
 * smmu/smmu_strtab.c), one command queue and one event queue, all static;
 * the events, and the global errors, are read and reported by
 * smmu/smmu_events.c. An STE is either invalid (V = 0: the SMMU aborts the stream and
 * records C_BAD_STE) or, for a stream a cell owns, stage-2 only (Config =
 * 0b110) with the cell's VMID and the very tables its CPUs use (S2TTB =
 * VTTBR's BADDR, S2T0SZ..S2PS = VTCR_EL2[18:0]), so a device reaches exactly
 * the cell's IPA space; V = 1, Config = abort while the cell is loading or
 * stopped. A cell whose IPA space is larger than the SMMU's
 * input (IAS) gets no STE: the copy would be illegal, a smaller one would
 * walk its tables wrongly; nor does one whose stage-2 tables or memory lie
 * above the SMMU's output (OAS), which it could not walk or reach. Global
 * bypass is set to abort before the SMMU is on, and stays abort: a
 * transaction is never let through untranslated.
 *
 * The SMMU must be coherent with the CPU (IDR0.COHACC): the stage-2 tables
 * are written through the CPU's caches without cleaning them to the point of
 * coherency. Table walks and queue accesses are made Write-Back inner
 * shareable (CR1, STE S2IR0/S2OR0/S2SH0 from VTCR_EL2).
 *
 * An SMMU with ATS is run in safe mode (CR0.ATSCHK): in fast mode, the reset
 * value, a PCIe endpoint's ATS-translated transactions skip the stream table
 * and reach any physical address. Safe mode checks them against STE.EATS,
 * which is 0 in every STE: they abort, and translation requests fail.
 */
#include <errno.h>
#include <stddef.h>
#include "arch/vcpu.h"
#include "cell.h"
#include "log.h"
#include "pgtable.h"
#include "smmu.h"
#include "smmu_priv.h"
#include "sysreg.h"
#include "test_fault.h"

uint8_t smmu_owner[1u << STRTAB_LOG2_MAX];
/*
 * The cells streams were given to, by id: their labels for a refusal
 * (cell_get() is not up yet), and whose streams a halt aborts.
 */
static const struct cell *owner_cells[LAYOUT_MAX_CELLS];

struct smmu_state smmu = { .cmd_lock = OWNED_LOCK_INIT, .evt_lock = OWNED_LOCK_INIT };

bool smmu_enabled(void)
{
	return smmu.on;
}

/* --- streams --------------------------------------------------------------- */

/* The PS encoding (VTCR_EL2.PS, STE.S2PS, IDR5.OAS share it) in @vtcr, clamped to the SMMU's OAS.
 */
static uint64_t s2_vtcr_fields(uint64_t vtcr)
{
	uint64_t ps = (vtcr >> 16) & 7;

	if (ps > smmu.oas)
		vtcr = (vtcr & ~(7ULL << 16)) | ((uint64_t)smmu.oas << 16);
	return vtcr & STE2_VTCR_MASK;
}

/* Words 1-7 of STE @slot: stage 2 through @cell's tables, its VMID. Word 0 is the caller's. */
static void ste_fill(struct cell *cell, unsigned int slot, uint64_t vtcr)
{
	uint64_t *ste = smmu_ste(slot);

	ste[1] = 0;
	ste[2] = ((uint64_t)cell->s2.vmid << STE2_S2VMID_SHIFT) |
		 (s2_vtcr_fields(vtcr) << STE2_VTCR_SHIFT) | STE2_S2AA64 | STE2_S2R;
	ste[3] = arch_stage2_dma_ttbr(cell) & STE3_S2TTB_MASK;
	ste[4] = ste[5] = ste[6] = ste[7] = 0;
}

/* @cell's streams; smmu_assign() gives them to cells with an id below LAYOUT_MAX_CELLS only. */
static const struct cell_streams *streams_of(const struct cell *cell)
{
	static const struct cell_streams none;

	return cell->id < LAYOUT_MAX_CELLS ? &smmu.cell_streams[cell->id] : &none;
}

/* Word 0 (V, Config) of every STE @cell owns set to @w0. */
static void stes_set(const struct cell *cell, uint64_t w0)
{
	const struct cell_streams *cs = streams_of(cell);

	for (unsigned int i = 0; i < cs->n; i++)
		smmu_ste(cs->slot[i])[0] = w0;
}

/*
 * Word 0 (V, Config) of every STE @cell owns set to @w0, all of them first,
 * so that the table says @w0 whatever becomes of the commands (an SMMU that
 * fetches an entry afresh gets it); then the SMMU told: CMD_CFGI_STE for
 * each (it may hold the old entry), CMD_TLBI_S12_VMALL for the VMID,
 * CMD_SYNC. Once the sync has completed, no transaction of those streams
 * uses the old configuration or its translations (§3.21, §4.7.3). If any of
 * that fails, CMD_CFGI_ALL does the job of the CMD_CFGI_STEs, as at boot:
 * behind the first sync, which skipped each command the SMMU refused, so
 * none of them is left to fail it too.
 * The STE writes are ordered before the commands by smmu_cmdq_push()'s DSB.
 * 0 once the sync completed, else the error: the SMMU may still use the old
 * entries. @cell owns a stream: cell_streams_set() and owner_cells[] see to it.
 */
static int streams_set_locked(const struct cell *cell, uint64_t w0)
{
	uint64_t tlbi = CMD_TLBI_S12_VMALL | ((uint64_t)cell->s2.vmid << CMD0_VMID_SHIFT);
	const struct cell_streams *cs = streams_of(cell);
	int ret = 0;

#ifdef BULKHEAD_TEST_FAULT
	test_fault_at(TEST_FAULT_SMMU_LOCK_RELOAD_CPU1, 1, "the SMMU's command queue");
#endif
	stes_set(cell, w0);
	smmu.cmdq_issuer = cell;
	for (unsigned int i = 0; i < cs->n && !ret; i++)
		ret = smmu_cmdq_push(CMD_CFGI_STE | ((uint64_t)cs->sid[i] << CMD0_SID_SHIFT),
				     CMD1_LEAF);
	if (!ret)
		ret = smmu_cmdq_push(tlbi, 0);
	if (!ret)
		ret = smmu_cmdq_sync();
	if (ret) {
		log_warn("%s: SMMU: invalidating the cell's STEs failed (%d): CMD_CFGI_ALL instead",
			 cell->cfg->label, ret);
		ret = smmu_cmdq_push(CMD_CFGI_ALL, CMD1_CFGI_ALL_RANGE);
		if (!ret)
			ret = smmu_cmdq_push(tlbi, 0);
		if (!ret)
			ret = smmu_cmdq_sync();
	}
	smmu.cmdq_issuer = NULL;
	return ret;
}

/*
 * The command queue's lock is not waited for once its holder is lost: a CPU
 * lost inside a command holds it for ever, and until 2026-11-24 every later
 * stop or reload of a cell with streams, on any CPU, spun on it with its
 * interrupts masked. -EBUSY then, told, the stream table changed all the
 * same: an SMMU that fetches an entry afresh gets @w0, but it may hold the
 * old one.
 */
static int cell_streams_set(struct cell *cell, uint64_t w0, const char *untold)
{
	int ret;

	/* No stream, nothing to tell the SMMU, no lock: streams are given at boot only. */
	if (!streams_of(cell)->n)
		return 0;
	if (!smmu_cmd_lock()) {
		stes_set(cell, w0);
		dsb(ishst);
		smmu_lock_lost_told(cell, untold);
		return -EBUSY;
	}
	ret = streams_set_locked(cell, w0);
	smmu_cmd_unlock();
	return ret;
}

/*
 * A stream no cell owns has V = 0: each transaction aborts with C_BAD_STE,
 * and a record, so a master nobody assigned shows in the log. One that
 * keeps going (firmware left it running) gets V = 1, Config = abort: its
 * transactions still abort, without records (§5.2, STE.Config 0b000). Words
 * 1-7 stay zero; the SMMU is told as smmu_assign() tells it.
 */
int smmu_stream_silence(uint32_t sid)
{
	int slot = smmu_ste_slot(sid);

	if (slot < 0 || smmu_owner[slot] != NO_OWNER)
		return -EINVAL;
	smmu_ste((unsigned int)slot)[0] = STE0_ABORTS;
	dsb(ishst);
	return smmu_cmd_run(NULL, CMD_CFGI_STE | ((uint64_t)sid << CMD0_SID_SHIFT), CMD1_LEAF);
}

/*
 * IPA bits the SMMU takes at stage 2: S2T0SZ may be no less than 64 - IAS,
 * nor, with the 4 KiB granule, than 16 (IHI 0070 §5.2, STE.S2T0SZ; SMMUv3.0
 * has only the first bound). An STE asking for more is ILLEGAL (C_BAD_STE).
 */
static unsigned int s2_max_ipa_bits(void)
{
	return smmu.ias < 48 ? smmu.ias : 48;
}

/* Bits an address needs: 41 for 0x10000000000. */
static unsigned int addr_bits(uint64_t pa)
{
	return pa ? 64 - (unsigned int)__builtin_clzll(pa) : 0;
}

/*
 * @cell's RAM or shared memory [@pa, @pa + @size) within the SMMU's output
 * (OAS): a DMA the stage 2 sends above it ends in an address size fault, so
 * the cell's devices could not reach that memory at all.
 */
static int s2_memory_fits(const struct cell *cell, uint32_t sid, const char *dev, const char *what,
			  uint64_t pa, uint64_t size)
{
	unsigned int oas = pt_pa_range_bits(smmu.oas), bits = addr_bits(pa + size - 1);

	if (bits <= oas)
		return 0;
	return log_err_ret(
		-ERANGE,
		"%s: %s: SMMU stream 0x%x refused: the cell's %s at PA 0x%llx+0x%llx ends "
		"at 0x%llx, a %u-bit address, the SMMU outputs %u-bit PAs at most (OAS, "
		"IDR5.OAS %u): its devices could not reach it (address size fault)",
		cell->cfg->label, dev, sid, what, (unsigned long long)pa, (unsigned long long)size,
		(unsigned long long)(pa + size - 1), bits, oas, smmu.oas);
}

/*
 * Every PA the STE leads the SMMU to must be below 2^OAS (IDR5.OAS): the
 * stage-2 tables it walks (S2TTB) and the memory the walk outputs. S2TTB
 * above the OAS makes the STE ILLEGAL (C_BAD_STE), or the walk starts from
 * the truncated address: another page read as a table, which may map
 * anything. Nothing else checks this: the tables are wherever the
 * hypervisor was loaded, the memory wherever the layout put it, both within
 * the CPU's PA size, which may exceed the SMMU's OAS. With both below
 * 2^OAS, S2PS clamped to the OAS (s2_vtcr_fields()) cuts off nothing the
 * cell owns.
 */
static int s2_output_fits(struct cell *cell, uint32_t sid, const char *dev)
{
	const struct layout_cell *cfg = cell->cfg;
	uint64_t ttb = arch_stage2_dma_ttbr(cell);
	unsigned int oas = pt_pa_range_bits(smmu.oas);
	int ret = 0;

	if (addr_bits(ttb) > oas)
		return log_err_ret(
			-ERANGE,
			"%s: %s: SMMU stream 0x%x refused: the cell's stage-2 table is at "
			"PA 0x%llx, a %u-bit address, the SMMU outputs %u-bit PAs at most "
			"(OAS, IDR5.OAS %u): its STE would be illegal (S2TTB above the "
			"OAS) or walk a truncated address",
			cfg->label, dev, sid, (unsigned long long)ttb, addr_bits(ttb), oas,
			smmu.oas);
	for (int i = 0; i < cfg->nr_mem && !ret; i++)
		ret = s2_memory_fits(cell, sid, dev, "memory", cfg->mem[i].pa, cfg->mem[i].size);
	for (int i = 0; i < cfg->nr_shm && !ret; i++)
		ret = s2_memory_fits(cell, sid, dev, "shared memory", cfg->shm[i].pa,
				     cfg->shm[i].size);
	return ret;
}

/* Stream @sid, STE @slot, is @cell's: at boot, once per stream. */
static void cell_streams_add(const struct cell *cell, uint32_t sid, unsigned int slot)
{
	struct cell_streams *cs = &smmu.cell_streams[cell->id];

	_Static_assert((1u << STRTAB_LOG2_MAX) <= 0x10000, "an STE's index fits cs->slot[]");
	cs->sid[cs->n] = sid;
	cs->slot[cs->n++] = (uint16_t)slot;
}

int smmu_assign(struct cell *cell, uint32_t sid, const char *dev)
{
	uint64_t vtcr = arch_stage2_vtcr(cell);
	unsigned int ipa_bits = 64 - (unsigned int)(vtcr & STE_S2T0SZ_MASK);
	int slot = smmu_ste_slot(sid), ret;
	bool l1_new;

	if (!smmu.on)
		return -ENODEV;
	if (cell->id >= LAYOUT_MAX_CELLS)
		return -EINVAL; /* an id smmu_owner[] and cell_streams[] cannot hold */
	if (slot < 0) {
		ret = smmu_ste_room(cell->cfg->label, dev, sid);
		if (ret)
			return ret;
	} else if (smmu_owner[slot] != NO_OWNER && smmu_owner[slot] != cell->id) {
		const struct cell *owner = owner_cells[smmu_owner[slot]];

		return log_err_ret(
			-EBUSY,
			"%s: %s: SMMU stream 0x%x already belongs to cell \"%s\" (an SMMU "
			"stream serves one cell)",
			cell->cfg->label, dev, sid, owner ? owner->cfg->label : "?");
	}
	if (!vtcr)
		return log_err_ret(-EINVAL, "%s: SMMU: the cell's stage 2 has no valid VTCR",
				   cell->cfg->label);
	/*
	 * S2T0SZ is the CPU's T0SZ: the device sees the very IPA space the CPUs do.
	 * Clamped, it would see part of it (a smaller table layout, the same
	 * tables: wrong walks); copied, the STE would be illegal. Refused instead.
	 */
	if (ipa_bits > s2_max_ipa_bits())
		return log_err_ret(
			-ERANGE,
			"%s: %s: SMMU stream 0x%x refused: the cell's stage 2 takes "
			"%u-bit IPAs (VTCR_EL2.T0SZ %u, from the CPU's PA size), the SMMU "
			"%u at most (IAS %u bits, from IDR5.OAS and IDR0.TTF): its STE "
			"would be illegal (S2T0SZ below 64 - IAS)",
			cell->cfg->label, dev, sid, ipa_bits, 64 - ipa_bits, s2_max_ipa_bits(),
			smmu.ias);
	ret = s2_output_fits(cell, sid, dev);
	if (ret)
		return ret;
	/* A layout gives a cell no more streams than its list holds: a hypervisor bug else. */
	if ((slot < 0 || smmu_owner[slot] == NO_OWNER) &&
	    smmu.cell_streams[cell->id].n == CELL_STREAMS_MAX)
		return log_err_ret(-ENOSPC,
				   "%s: %s: SMMU stream 0x%x refused: the cell has %u streams, the "
				   "most a layout gives one",
				   cell->cfg->label, dev, sid, CELL_STREAMS_MAX);
	slot = smmu_ste_take(sid, &l1_new);
	if (slot < 0)
		return slot; /* smmu_ste_room() said it has room */
	/*
	 * Every other word first, word 0 (V) last: the SMMU never sees half an
	 * STE (§3.21.3). Config = abort until the cell is loaded and starts
	 * (smmu_cell_resume()), as during a restart's reload: a device
	 * firmware left running writes nothing into memory being scrubbed and
	 * loaded.
	 */
	ste_fill(cell, (unsigned int)slot, vtcr);
	dsb(ishst);
	smmu_ste((unsigned int)slot)[0] = STE0_ABORTS;
	dsb(ishst);
	if (smmu_owner[slot] == NO_OWNER)
		cell_streams_add(cell, sid, (unsigned int)slot);
	smmu_owner[slot] = (uint8_t)cell->id;
	owner_cells[cell->id] = cell;
	/*
	 * A new level-2 table's L1STD too: Leaf 0 invalidates it with the STE
	 * (IHI 0070 §4.3.1, CMD_CFGI_STE), as the SMMU may hold the invalid one it read.
	 */
	ret = smmu_cmd_run(cell, CMD_CFGI_STE | ((uint64_t)sid << CMD0_SID_SHIFT),
			   l1_new ? 0 : CMD1_LEAF);
	if (!ret)
		ret = smmu_cmd_run(
			cell, CMD_TLBI_S12_VMALL | ((uint64_t)cell->s2.vmid << CMD0_VMID_SHIFT), 0);
	if (!ret)
		log_info("%s: SMMU: stream 0x%x translates through the cell's stage 2 (VMID %u)%s",
			 cell->cfg->label, sid, cell->s2.vmid,
			 cell->s2.dma_pt ? ", its own tables: no GICV" : "");
	return ret;
}

static void abort_failed(const struct cell *cell, int ret)
{
	log_err("%s: SMMU: aborting the cell's streams failed (%d): the SMMU may still use their "
		"old entries, so its devices may still reach its memory",
		cell->cfg->label, ret);
}

/*
 * Config = abort (V = 1, Config = 0b000): the SMMU terminates every
 * transaction of the streams without recording an event (§5.2). Their
 * words 1-7 stay; the owner too, so that the cell gets them back.
 */
int smmu_cell_abort(struct cell *cell)
{
	int ret;

	if (!smmu.on)
		return 0;
	ret = cell_streams_set(cell, STE0_ABORTS,
			       "the cell's streams abort in the stream table, but the SMMU is not "
			       "told and may still use their old entries, so its devices may still "
			       "reach its memory");
	if (ret && ret != -EBUSY)
		abort_failed(cell, ret);
	return ret;
}

/* Under cmd_lock: every cell's streams abort, as at a stop. 0, or the first error (logged). */
static int owned_streams_abort(void)
{
	const struct cell *cell;
	unsigned int id;
	int ret = 0, err;

	for (id = 0; id < LAYOUT_MAX_CELLS; id++) {
		cell = owner_cells[id];
		err = cell ? streams_set_locked(cell, STE0_ABORTS) : 0;
		if (err)
			abort_failed(cell, err);
		ret = ret ? ret : err;
	}
	return ret;
}

/*
 * The system halts: the SMMU's global abort first (smmu_global_abort()), with
 * no command or lock. Only if the SMMU did not take it, the streams of every
 * cell that has any abort as at a stop, the command queue's lock not waited
 * for if its holder is lost: the CPU that halts may be the one lost holding it.
 */
int smmu_halt_dma(void)
{
	int ret;

	if (!smmu.on || !smmu_global_abort())
		return 0;
	log_err("smmu: the global abort failed: each cell's streams abort instead");
	if (!smmu_cmd_lock()) {
		smmu_lock_lost_told(NULL, "no cell's streams aborted, their DMA may still reach "
					  "memory");
		return -EBUSY;
	}
	ret = owned_streams_abort();
	smmu_cmd_unlock();
	return ret;
}

/*
 * Words 1-7 rewritten while Config = abort makes the SMMU ignore them, then
 * word 0 to stage-2 translation: the stage 2 may have been rebuilt. At
 * every start, the first one included (smmu_assign() left them aborting),
 * once the cell is loaded and its functions' resets are over.
 *
 * Before that, the event queue drained. Records of the cell's streams still
 * in it are its last boot's: they have aborted without records since the
 * stop's CMD_SYNC (smmu_cell_abort()). The cell is LOADING: they are told as
 * that boot's, no policy. Left there, they would be drained once the new
 * boot runs (the event interrupt, pending, waits for a CPU that reloads with
 * its interrupts masked) and restart it for DMA it never made. Not at the
 * first start: no boot came before, and the streams aborted from
 * smmu_assign() on.
 *
 * That the queue holds them all by now is IHI 0070's to promise, not the
 * transactions': a terminated transaction's record need not be visible when
 * its abort reaches the device (§3.5.3). §4.7.3 (CMD_SYNC): "completion of
 * a CMD_SYNC ensures" that such a record of a transaction terminated before
 * it has "become visible in the relevant Event queue" or, the queue not
 * writable, "been discarded"; "No events relating to out-of-date
 * configuration or translations will later become visible". The stop's
 * CFGI_STE, TLBI and CMD_SYNC for Config = abort are such an invalidation,
 * and every reload waits for that sync before it gets here (cell_reload.c refuses
 * a reload whose pci_cell_quiesce() failed). What this drain does is
 * §4.7.2.1's last step for a stream shut down: discard "all event records
 * relating to StreamID 'i' in the current set", visible once PROD covers
 * them (§3.5.2; evtq_pass() reads PROD, then the records). No STE stalls
 * (S2S = 0), so no stall record waits for room to come later.
 */
void smmu_cell_resume(struct cell *cell)
{
	uint64_t vtcr = arch_stage2_vtcr(cell);
	const struct cell_streams *cs = streams_of(cell);
	int ret;

	if (!smmu.on)
		return;
	if (cs->n && smmu.eventq_irq && cell->boots)
		smmu_events_drain();
	for (unsigned int i = 0; i < cs->n; i++)
		ste_fill(cell, cs->slot[i], vtcr);
	dsb(ishst);
	ret = cell_streams_set(cell, STE0_S2_TRANS,
			       "the cell's streams translate in the stream table, but the SMMU is "
			       "not told and may still abort its devices' DMA");
	if (ret && ret != -EBUSY)
		log_err("%s: SMMU: re-enabling the cell's streams failed: its devices' DMA may "
			"abort",
			cell->cfg->label);
}
