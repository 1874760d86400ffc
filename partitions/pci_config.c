// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's trapped accesses to the ECAM window (docs/pci.md): its own
 * functions' registers go to the device, except the BARs and the ROM
 * (emulated from the placement pci.c made), COMMAND (no I/O decode; INTx
 * Disable kept set where INTx is not routed to the cell) and the
 * capabilities that would make the function decode addresses nobody placed
 * (SR-IOV, Multicast, Resizable BAR, Enhanced Allocation), and VPD, which
 * writes the device's own storage: those writes are dropped and logged
 * (pci_caps.c walks the lists); and Phantom Functions
 * Enable, which would make it use requester IDs (streams) that are not its
 * own, cannot be set, nor PMCSR's PME_En (its PMEs are the host's), nor
 * Device Control's and AER's error reporting changed. A function
 * without extended config space (conventional PCI, or 0x100 an alias of
 * 0x000) reads all ones at 0x100-0xfff and takes no writes there. Every other
 * function reads as absent and takes no writes.
 */
#include <errno.h>
#include "arch/cpu.h"
#include "cell.h"
#include "gic.h"
#include "log.h"
#include "mmio.h"
#include "nospec.h"
#include "pci.h"
#include "pci_priv.h"

/*
 * What a cell's guest did to its functions is told, the first few of each
 * kind per boot: config writes dropped (warnings; Linux's SR-IOV probe
 * alone has more than 8), and a function's Memory and Bus Master kept off
 * after a reset (errors, which a run of dropped writes must not silence).
 */
#define TOLD_LIMIT 8

static uint32_t dropped_writes[LAYOUT_MAX_CELLS];
static uint32_t kept_off[LAYOUT_MAX_CELLS];

bool pci_ecam_claims(const struct cell *cell, uint64_t ipa)
{
	return pci_host_ready && cell->cfg->nr_pci && ipa >= pci_host->ecam.base &&
	       ipa - pci_host->ecam.base <
		       (uint64_t)(pci_host->bus_last - pci_host->bus_first + 1) * ECAM_BUS_SIZE;
}

const char *pci_bdf_str(uint16_t bdf, char *buf)
{
	snprintf(buf, PCI_BDF_LEN, "%02x:%02x.%u", (unsigned int)LAYOUT_BDF_BUS(bdf),
		 (unsigned int)LAYOUT_BDF_DEV(bdf), (unsigned int)LAYOUT_BDF_FN(bdf));
	return buf;
}

static struct pci_fn *fn_of(const struct cell *cell, uint16_t bdf)
{
	for (int i = 0; i < cell->cfg->nr_pci; i++)
		if (pci_fns[cell->id][i].bdf == bdf)
			return &pci_fns[cell->id][i];
	return NULL;
}

/* The BAR at config offset @reg, which the caller checked is one. */
static uint32_t bar_read(const struct pci_fn *f, unsigned int reg)
{
	unsigned int i = (unsigned int)array_index_nospec((reg - PCI_BAR0) / 4, PCI_NR_BARS);
	uint64_t mask = ~(f->size[i] - 1);

	if (!f->sizing[i])
		return f->shadow[i];
	if (f->kind[i] == BAR_NONE)
		return 0;
	if (f->kind[i] == BAR_MEM64_HI)
		return (uint32_t)(mask >> 32);
	return ((uint32_t)mask & ~PCI_BAR_FLAGS) | (f->shadow[i] & PCI_BAR_FLAGS);
}

/* BARs and the ROM: emulated from the shadow (any size, any byte inside the dword). */
static bool emulated_reg(uint32_t reg)
{
	return (reg >= PCI_BAR0 && reg < PCI_BAR0 + 4 * PCI_NR_BARS) ||
	       (reg >= PCI_ROM_ADDRESS && reg < PCI_ROM_ADDRESS + 4);
}

/* What a read of @size bytes gives where no function answers: its byte lanes, all set. */
static uint32_t all_ones(unsigned int size)
{
	return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

static uint64_t own_read(const struct pci_fn *f, uint32_t reg, unsigned int size)
{
	uint32_t dword = 0, shift = (reg & 3) * 8;

	/* Beyond a 256-byte config space: all ones, as a PCIe-to-PCI bridge answers (UR). */
	if (reg >= PCI_EXT_CAP && !f->ext_cfg)
		return all_ones(size);
	if (!emulated_reg(reg))
		return pci_cfg_read(f->bdf, reg, size);
	if (reg < PCI_BAR0 + 4 * PCI_NR_BARS)
		dword = bar_read(f, reg);
	return (dword >> shift) & all_ones(size);
}

/*
 * The placement, written to the device again: a function reset (FLR, or
 * D3hot to D0) clears BARs, and the guest's own restore is ignored. With
 * them what else of firmware's the reset cleared that the guest cannot set:
 * the AER masks, severities and ECRC.
 */
void pci_config_bars_program(const struct pci_fn *f)
{
	pci_config_aer_restore(f);
	pci_config_rebar_restore(f); /* the sizes first: they decide which address bits take */
	for (int i = 0; i < PCI_NR_BARS; i++)
		pci_cfg_write(f->bdf, PCI_BAR0 + 4 * (uint32_t)i, 4, f->shadow[i]);
	pci_cfg_write(f->bdf, PCI_ROM_ADDRESS, 4, 0);
}

void pci_config_cell_init(const struct cell *cell)
{
	__atomic_store_n(&dropped_writes[cell->id], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&kept_off[cell->id], 0, __ATOMIC_RELAXED);
}

/*
 * A function reset the guest started: an FLR (Device Control's Initiate
 * Function Level Reset, or on a conventional function AF Control's Initiate
 * FLR in the Advanced Features capability) or a power state change to or
 * from D3hot. Until it is over the function may answer config requests with
 * Request Retry Status or not at all, which some host bridges turn into an
 * abort: taken at EL2, by the hypervisor making the request for the guest, a
 * config lock held. PCIe r6.0 §6.6.2 (and the Advanced Capabilities for
 * Conventional PCI ECN) has software wait 100 ms after an FLR, PCI PM 1.2
 * 10 ms around D3hot, as Linux does (pcie_flr(), pci_af_flr(),
 * pci_dev_d3_sleep()). Meanwhile
 * the guest's reads are all ones (what Linux polls for: not ready yet) and
 * its writes are dropped: the function is not touched. Immediate Readiness
 * (STATUS bit 0) waives the wait.
 */
#define FLR_WAIT_MS   100
#define D3HOT_WAIT_MS 10

bool pci_config_resetting(const struct pci_fn *f)
{
	uint64_t at = __atomic_load_n(&f->ready_at, __ATOMIC_RELAXED);

	return at && (int64_t)(arch_counter_read() - at) < 0;
}

void pci_config_wait_ready(const struct pci_fn *f)
{
	while (pci_config_resetting(f))
		arch_cpu_relax();
}

/*
 * How long the write of @v (@size bytes at @reg, about to go to @f) makes it
 * reset, in ms (0: it starts none), Immediate Readiness aside.
 */
static uint64_t reset_ms(const struct pci_fn *f, uint32_t reg, unsigned int size, uint32_t v)
{
	uint32_t shift = (reg & 3) * 8;
	uint32_t lanes = all_ones(size) << shift;
	uint32_t dword = (v << shift) & lanes, now;

	if (f->pcie_cap && (reg & ~3u) == f->pcie_cap + PCI_EXP_DEVCTL)
		return dword & PCI_EXP_DEVCTL_BCR_FLR ? FLR_WAIT_MS : 0;
	if (f->af_cap && (reg & ~3u) == f->af_cap + PCI_AF_CTRL)
		return dword & PCI_AF_CTRL_FLR ? FLR_WAIT_MS : 0;
	if (!f->pm_cap || (reg & ~3u) != f->pm_cap + PCI_PM_CTRL || !(lanes & PCI_PM_STATE_MASK))
		return 0;
	now = pci_cfg_read(f->bdf, f->pm_cap + PCI_PM_CTRL, 2) & PCI_PM_STATE_MASK;
	dword &= PCI_PM_STATE_MASK;
	return now != dword && (now == PCI_PM_STATE_D3HOT || dword == PCI_PM_STATE_D3HOT)
		       ? D3HOT_WAIT_MS
		       : 0;
}

/*
 * Before the write goes to @f: a reset it starts closes config space for its
 * time (unless Immediate Readiness waives it). True if it starts one.
 */
static bool reset_wait_start(struct pci_fn *f, uint32_t reg, unsigned int size, uint32_t v)
{
	uint64_t ms = reset_ms(f, reg, size, v);

	if (ms && !f->imm_ready)
		__atomic_store_n(&f->ready_at, arch_counter_read() + arch_ms_to_ticks(ms),
				 __ATOMIC_RELAXED);
	return ms != 0;
}

void pci_config_reset_write(struct pci_fn *f, uint32_t reg, unsigned int size, uint32_t v)
{
	(void)reset_wait_start(f, reg, size, v);
	pci_cfg_write(f->bdf, reg, size, v);
}

/* One more event of a kind counted in @told: is it among the first few, to be told? */
static bool report_allowed(uint32_t *told)
{
	return __atomic_add_fetch(told, 1, __ATOMIC_RELAXED) <= TOLD_LIMIT;
}

/* A config write not carried out: logged (the first few per cell and boot), never silently. */
static void report_dropped(const struct cell *cell, uint16_t bdf, uint32_t reg, const char *why,
			   const char *detail)
{
	if (report_allowed(&dropped_writes[cell->id]))
		log_warn("%s: pci: config write to %s +0x%x dropped: %s%s", cell->cfg->label,
			 PCI_BDF(bdf), reg, why, detail);
}

/*
 * Device Control (the low half of its dword) keeps some fields at what they
 * were when the function was assigned, whatever the guest writes, so also
 * when it restores them after a function reset: Phantom Functions Enable
 * (0: with it the device tags requests with other function numbers, so
 * streams not its own), Max_Payload_Size (firmware matched it to the link
 * partner, a port the guest does not see; larger TLPs are malformed there)
 * and the error reporting enables (error messages go to the root port, the
 * board's RAS, not the cell's).
 */
static uint32_t devctl_write(const struct pci_fn *f, uint32_t reg, unsigned int size, uint32_t v)
{
	unsigned int shift = (reg & 3) * 8;
	uint32_t kept = (PCI_EXP_DEVCTL_KEPT >> shift) & all_ones(size);

	return (v & ~kept) | (((uint32_t)f->devctl_kept >> shift) & kept);
}

/*
 * PMCSR's PME_En (bit 8, in the dword's second byte) is masked out of every
 * guest write, as Phantom Functions Enable is out of Device Control's: the
 * function's PMEs would reach the host, not the cell (pci_config_pme_off()).
 * PowerState and PME_Status (RW1C) go to the device as written.
 */
static uint32_t pmcsr_write(uint32_t reg, unsigned int size, uint32_t v)
{
	return v & ~((PCI_PM_PME_EN >> ((reg & 3) * 8)) & all_ones(size));
}

/*
 * A write to an AER register kept at firmware's value @kept (pci_caps.c):
 * those bytes of it go to the device, whatever the guest wrote; told if
 * that differs.
 */
static uint32_t aer_write(const struct cell *cell, const struct pci_fn *f, uint32_t reg,
			  unsigned int size, uint32_t v, uint32_t kept)
{
	uint32_t want = (kept >> ((reg & 3) * 8)) & all_ones(size);

	if ((v & all_ones(size)) != want)
		report_dropped(cell, f->bdf, reg,
			       "AER masks, severities and ECRC are the board's (error messages go "
			       "to the root port): firmware's value kept",
			       "");
	return want;
}

/*
 * Decode or Bus Master asked for after a function reset that ACS did not
 * come back from (pci_acs_restore()): with redirection off, the function
 * and another cell's function of its device reach each other without the
 * SMMU. Both bits stay off in this write; the next COMMAND write tries again.
 */
static uint32_t command_without_acs(const struct cell *cell, const struct pci_fn *f, uint32_t v)
{
	uint32_t at = pci_config_ext_capability(f->bdf, PCI_EXT_ACS);

	if (report_allowed(&kept_off[cell->id]))
		log_err("%s: pci: %s: ACS redirection did not take after a function reset "
			"(Control 0x%04x): Bus Master and Memory kept off, tried again at the "
			"next COMMAND write",
			cell->cfg->label, PCI_BDF(f->bdf),
			at ? pci_cfg_read(f->bdf, at + PCI_ACS_CTRL, 2) : 0xffffu);
	return v & ~(PCI_CMD_MEMORY | PCI_CMD_MASTER);
}

/*
 * Memory asked for while an Enhanced Allocation entry is enabled: refused at
 * assignment (pci.c), so a function reset enabled it again (its default may
 * be on): a range no BAR shows and nobody placed. Memory and Bus Master stay
 * off in this write; the guest cannot write the capability, so they stay off.
 */
static uint32_t command_without_ea(const struct cell *cell, const struct pci_fn *f, uint32_t v)
{
	int entry = pci_config_ea_enabled(f);

	if (entry < 0)
		return v;
	if (report_allowed(&kept_off[cell->id]))
		log_err("%s: pci: %s: Enhanced Allocation entry %d is enabled after a function "
			"reset: Memory and Bus Master kept off (it would decode a range nobody "
			"placed)",
			cell->cfg->label, PCI_BDF(f->bdf), entry);
	return v & ~(PCI_CMD_MEMORY | PCI_CMD_MASTER);
}

/* The BARs as placed: a function reset clears them (a vCPU's FLR, one still under way). */
static bool bars_in_place(const struct pci_fn *f)
{
	for (int i = 0; i < PCI_NR_BARS; i++) {
		uint32_t mask = f->kind[i] == BAR_MEM64_HI ? ~0u : ~0xfu;

		if (f->kind[i] != BAR_NONE && (pci_cfg_read(f->bdf, PCI_BAR0 + 4 * (uint32_t)i, 4) &
					       mask) != (f->shadow[i] & mask))
			return false;
	}
	return true;
}

/*
 * Memory or Bus Master just went on: a reset that completed between the
 * placement and the COMMAND write (an FLR the guest started just before,
 * whose config writes the function dropped meanwhile) left it decoding at
 * its reset BARs (and so Resizable BAR sizes, Enhanced Allocation entries),
 * or mastering with ACS off: a reset always clears the BARs. Then both go
 * off again at once; the next COMMAND write places it anew.
 */
static void enable_check(const struct cell *cell, struct pci_fn *f, uint32_t command)
{
	if (bars_in_place(f) && pci_acs_restore(f))
		return;
	pci_cfg_write(f->bdf, PCI_COMMAND, 2, command & ~(PCI_CMD_MEMORY | PCI_CMD_MASTER));
	if (report_allowed(&kept_off[cell->id]))
		log_err("%s: pci: %s: reset while Memory or Bus Master was turned on (BARs or ACS "
			"not as placed): both off again, tried again at the next COMMAND write",
			cell->cfg->label, PCI_BDF(f->bdf));
}

/*
 * A write of COMMAND (@v masked) to a function whose INTx is not routed to
 * its cell (pci_intx.c: pci_intx_setup()): INTx Disable set in it. A
 * function reset the guest started clears it, so a byte write of COMMAND's
 * low half alone becomes a write of both, the high one as the device has it.
 */
static uint32_t command_intx_off(const struct pci_fn *f, uint32_t reg, unsigned int *size,
				 uint32_t v)
{
	if (reg == PCI_COMMAND && *size == 1) {
		*size = 2;
		v = (v & 0xffu) |
		    (pci_cfg_read(f->bdf, PCI_COMMAND, 2) & PCI_CMD_ALLOWED & 0xff00u);
	}
	return v | PCI_CMD_INTX_DIS >> ((reg & 3) * 8);
}

/* True if the write started a function reset (an FLR, a change to or from D3hot). */
static bool own_write_locked(const struct cell *cell, struct pci_fn *f, uint32_t reg,
			     unsigned int size, uint32_t v)
{
	const char *cap;
	uint32_t kept;
	bool reset;

	if (pci_config_resetting(f)) {
		report_dropped(cell, f->bdf, reg, "the function is still resetting",
			       " (an FLR or D3hot change its guest started: 100 or 10 ms)");
		return false;
	}
	if (emulated_reg(reg)) {
		/* Only sizing is honoured: the BAR stays where the hypervisor put it. */
		if (reg < PCI_BAR0 + 4 * PCI_NR_BARS && size == 4)
			f->sizing[array_index_nospec((reg - PCI_BAR0) / 4, PCI_NR_BARS)] =
				v == 0xffffffff;
		pci_config_bars_program(f);
		return false;
	}
	if (reg >= PCI_EXT_CAP && !f->ext_cfg) {
		report_dropped(cell, f->bdf, reg, "beyond its 256-byte config space",
			       f->pcie_cap ? " (its extended space repeats 0x000: an alias)"
					   : " (conventional PCI: no PCI Express capability)");
		return false;
	}
	cap = pci_config_decode_capability(f, reg);
	if (cap) {
		report_dropped(cell, f->bdf, reg, cap, "");
		return false;
	}
	if (pci_config_aer_kept(f, reg, &kept))
		v = aer_write(cell, f, reg, size, v, kept);
	if (f->pcie_cap && (reg & ~3u) == f->pcie_cap + PCI_EXP_DEVCTL)
		v = devctl_write(f, reg, size, v);
	if (f->pm_cap && (reg & ~3u) == f->pm_cap + PCI_PM_CTRL)
		v = pmcsr_write(reg, size, v);
	if (reg <= PCI_COMMAND + 1 && reg + size > PCI_COMMAND) {
		/* The dword at 0x04 is COMMAND (15:0) and STATUS (31:16, passed on). */
		v &= (PCI_CMD_ALLOWED | 0xffff0000u) >> ((reg & 3) * 8);
		if (f->intx_off)
			v = command_intx_off(f, reg, &size, v);
		/*
		 * Bus Master alone too: enable_check() reads the BARs back for
		 * either, and would find a reset's zeros and turn Master off again.
		 */
		if (reg == PCI_COMMAND && (v & (PCI_CMD_MEMORY | PCI_CMD_MASTER)))
			pci_config_bars_program(f);
		if (reg == PCI_COMMAND && (v & (PCI_CMD_MEMORY | PCI_CMD_MASTER)) &&
		    !pci_acs_restore(f))
			v = command_without_acs(cell, f, v);
		if (reg == PCI_COMMAND && (v & PCI_CMD_MEMORY))
			v = command_without_ea(cell, f, v);
	}
	reset = reset_wait_start(f, reg, size, v);
	pci_cfg_write(f->bdf, reg, size, v);
	if (reg == PCI_COMMAND && (v & (PCI_CMD_MEMORY | PCI_CMD_MASTER)))
		enable_check(cell, f, v & 0xffff);
	return reset;
}

/*
 * A reset its guest started clears @f's COMMAND, INTx Disable with it, and
 * nothing makes the guest write COMMAND again (a COMMAND write sets it:
 * command_intx_off()): @f's INTx, not routed to the cell, would reach a line
 * of the host, maybe another cell's level interrupt, for as long as the
 * guest likes. So the vCPU that started the reset waits it out here, before
 * it returns to the guest, and sets INTx Disable again: clear no longer than
 * the reset itself (100 ms after an FLR, 10 ms after a D3hot change, none
 * with Immediate Readiness), however late the guest's next access. The wait
 * is the one the guest makes anyway (Linux's pcie_flr() sleeps 100 ms), on
 * its own CPU, outside the lock: another vCPU's access meanwhile finds the
 * function resetting, as before, and a stop's wait for the vCPU to leave the
 * guest (500 ms) outlasts it. The CPU's interrupts are taken meanwhile, as
 * in a trapped WFI: the guest's own, a kick (a stop leaves from here; it sets
 * INTx Disable itself), and on the boot CPU the console's and the SMMU's,
 * which are every cell's. Under the lock again, a reset another vCPU
 * started since is left to that vCPU. A function that does not answer reads
 * all ones: INTx Disable seen set, nothing written to it.
 */
static void intx_off_after_reset(struct pci_fn *f)
{
	uint32_t command;

	while (pci_config_resetting(f)) {
		if (arch_cpu_irq_pending())
			irq_handle();
		else
			arch_cpu_relax();
	}
	spin_lock(&f->lock);
	if (!pci_config_resetting(f)) {
		command = pci_cfg_read(f->bdf, PCI_COMMAND, 2);
		if (!(command & PCI_CMD_INTX_DIS))
			pci_cfg_write(f->bdf, PCI_COMMAND, 2,
				      (command & PCI_CMD_ALLOWED) | PCI_CMD_INTX_DIS);
	}
	spin_unlock(&f->lock);
}

/*
 * One vCPU at a time: another's FLR or BAR write must not land between
 * placing the BARs, checking ACS and turning decoding on.
 */
static void own_write(const struct cell *cell, struct pci_fn *f, uint32_t reg, unsigned int size,
		      uint32_t v)
{
	bool reset;

	spin_lock(&f->lock);
	reset = own_write_locked(cell, f, reg, size, v);
	spin_unlock(&f->lock);
	if (reset && f->intx_off)
		intx_off_after_reset(f);
}

/* Under the lock: a read must not reach the function between another vCPU's FLR and its wait. */
static uint64_t own_read_locked(struct pci_fn *f, uint32_t reg, unsigned int size)
{
	uint64_t v;

	spin_lock(&f->lock);
	v = pci_config_resetting(f) ? all_ones(size) : own_read(f, reg, size);
	spin_unlock(&f->lock);
	return v;
}

int pci_ecam_access(struct vcpu *vcpu, struct mmio_access *acc)
{
	struct cell *cell = vcpu->cell;
	uint64_t off = acc->ipa - pci_host->ecam.base;
	uint16_t bdf = (uint16_t)(((off / ECAM_BUS_SIZE + pci_host->bus_first) << 8) |
				  ((off / ECAM_FN_SIZE) & 0xff));
	uint32_t reg = (uint32_t)(off & (ECAM_FN_SIZE - 1));
	struct pci_fn *f;

	if (acc->size > 4 || (reg & (acc->size - 1)))
		return -EINVAL;
	f = fn_of(cell, bdf);
	if (f && acc->write)
		own_write(cell, f, reg, acc->size, (uint32_t)acc->value);
	else if (f)
		acc->value = own_read_locked(f, reg, acc->size);
	else if (!acc->write)
		acc->value = all_ones(acc->size);
	else
		report_dropped(cell, bdf, reg, "not the cell's function", "");
	return 0;
}
