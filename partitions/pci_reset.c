// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's PCI functions reset, at each stop and before its first boot
 * (docs/pci.md). Bus Master off stops
 * a function's DMA, but not what its last boot programmed: queues,
 * descriptors, MSI set-up stay in the device, and the next boot turns Bus
 * Master on before it resets the device (U-Boot's `pci enum` does for every
 * function, Linux's virtio-pci calls pci_set_master() first): the old rings
 * then DMA into the freshly loaded image. So a stop resets every function
 * that offers a reset, as Linux's pci_reset_function() picks one: an FLR
 * (PCIe Base 6.6.2), else an FLR through the Advanced Features capability,
 * else D3hot and back to D0 when PMCSR's No_Soft_Reset is clear (PCI PM 1.2:
 * an internal reset then). All start at once and are waited for once, with the config-space
 * closing a guest's own reset gets (pci_config.c: ready_at), and no lock a
 * vCPU could spin on is held meanwhile: the cell's vCPUs are out of the guest
 * (cell_wait_vcpus_out(); one that outlasted its stop is turned off and
 * leaves at its next trap). Not f->lock either: a CPU the cell lost stops
 * the cell itself (cell_lost.c) and may have faulted holding it.
 *
 * The first boot's functions are reset the same way: firmware's driver
 * (U-Boot's) may have left a ring programmed and not stopped it, for the
 * first boot's Bus Master. Every cell's resets start at once, once all are
 * built (pci_reset_first_boot_begin()), so that building no cell meets a
 * function in reset; the resets in two steps (a function firmware left
 * outside D0: woken, then its FLR; D3hot then D0) take their second, every
 * cell's in one pass, once the cells are loaded
 * (pci_reset_first_boot_continue()); each cell waits out what is left of its
 * own, and restores them, as it starts (pci_reset_end()). So the
 * loads take place of the first wait, and the second steps begin as soon as
 * the loads end, not at each start. A cell with a function to wait for is
 * started after the boot by its own boot vCPU's CPU (cell_first_start()),
 * so that its wait holds up no other cell's start; that CPU waits in its
 * loop with interrupts taken (pci_reset_step(), as for a reload), each
 * function's wait timed there, not in pci_reset_end() with them masked
 * (those waits, timed and told: pci_reset_boot.c).
 *
 * A restart's reload (a start's finds them reset by the stop) resets the
 * same way: its resets begin as its DMA stops (pci_reset_reload_begin()), the
 * load takes part of their time, and its start ends them (pci_reset_end()).
 * The cell's CPU that carried the reload waits for what is left in its
 * loop, with interrupts taken (pci_reset_step(), cell_loop.c), not in the
 * reload, where they are masked: a cell on the boot CPU that restarts itself
 * in a loop held the console's and the SMMU's interrupts, every cell's,
 * 100 ms more per restart than its load (docs/pci.md). A function the
 * reload found in a reset its guest started (f->quiesce_left) is quiesced
 * there too, once that is over, and its own reset begun then.
 */
#include <string.h>
#include "cell.h"
#include "log.h"
#include "pci.h"
#include "pci_priv.h"

const char *const pci_reset_method_names[] = {
	[PCI_RESET_NONE] = "none",
	[PCI_RESET_FLR] = "FLR",
	[PCI_RESET_AF_FLR] = "Advanced Features FLR",
	[PCI_RESET_PM] = "D3hot to D0",
};

/*
 * 1 + the cell's boot count when its functions were last reset, 0 if they
 * were not since it was created: a stop and the start after it (or a reload
 * and the stop queued instead of its boot) reset them once, since no guest
 * ran in between.
 */
static uint64_t reset_for_boot[LAYOUT_MAX_CELLS];
/* The cells whose functions pci_reset_first_boot_begin() resets: created, not yet. */
static const struct cell *first_boot_due[LAYOUT_MAX_CELLS];
/*
 * The cells whose resets began, at the first boot or a reload, and were not
 * yet waited for and restored (pci_reset_end()); per function, a second
 * step is due. A reload's are told as a stop's (pending_reload).
 */
static bool pending[LAYOUT_MAX_CELLS];
static bool pending_reload[LAYOUT_MAX_CELLS];
static bool again_due[LAYOUT_MAX_CELLS][LAYOUT_MAX_PCI];

void pci_reset_cell_init(const struct cell *cell)
{
	reset_for_boot[cell->id] = 0;
	first_boot_due[cell->id] = cell;
	pending[cell->id] = false;
	pending_reload[cell->id] = false;
	memset(again_due[cell->id], 0, sizeof(again_due[cell->id]));
	pci_reset_boot_init(cell);
}

static uint32_t pm_ctrl(const struct pci_fn *f)
{
	return pci_cfg_read(f->bdf, f->pm_cap + PCI_PM_CTRL, 2);
}

void pci_reset_probe(const struct cell *cell, struct pci_fn *f, const char *name)
{
	bool soft = f->pm_cap && !(pm_ctrl(f) & PCI_PM_NO_SOFT_RESET);
	bool flr = f->pcie_cap &&
		   (pci_cfg_read(f->bdf, f->pcie_cap + PCI_EXP_DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);

	/* pci_caps.c keeps an Advanced Features capability only if it offers FLR. */
	f->reset = flr	       ? PCI_RESET_FLR
		   : f->af_cap ? PCI_RESET_AF_FLR
		   : soft      ? PCI_RESET_PM
			       : PCI_RESET_NONE;
	if (f->reset != PCI_RESET_NONE)
		return;
	log_warn("%s: pci: %s: no function reset (no FLR in Device Capabilities or an Advanced "
		 "Features capability, %s): what its guest programs (queues, descriptors, MSI) "
		 "survives a stop or restart, and resumes once the next boot turns Bus Master "
		 "on, into the cell's memory",
		 cell->cfg->label, name,
		 f->pm_cap ? "PMCSR No_Soft_Reset set" : "no Power Management capability");
}

/* PMCSR's PowerState to @state, the rest written back as read (as Linux does). */
static void pm_set(struct pci_fn *f, uint32_t state)
{
	pci_config_reset_write(f, f->pm_cap + PCI_PM_CTRL, 2,
			       (pm_ctrl(f) & ~PCI_PM_STATE_MASK) | state);
}

static void flr_start(struct pci_fn *f)
{
	uint32_t at = f->pcie_cap + PCI_EXP_DEVCTL;

	if (f->reset == PCI_RESET_AF_FLR)
		pci_config_reset_write(f, f->af_cap + PCI_AF_CTRL, 1, PCI_AF_CTRL_FLR);
	else
		pci_config_reset_write(f, at, 2,
				       pci_cfg_read(f->bdf, at, 2) | PCI_EXP_DEVCTL_BCR_FLR);
}

/*
 * The first step of @f's reset; true if a second is due once @f is ready:
 * D0 after D3hot, or the FLR of a function its guest left in a low-power
 * state, woken first (Linux's pci_reset_function() brings it to D0 too).
 */
static bool reset_begin(struct pci_fn *f)
{
	if (f->reset == PCI_RESET_PM) {
		pm_set(f, PCI_PM_STATE_D3HOT);
		return true;
	}
	if (f->pm_cap && (pm_ctrl(f) & PCI_PM_STATE_MASK) != PCI_PM_STATE_D0) {
		pm_set(f, PCI_PM_STATE_D0);
		return true;
	}
	flr_start(f);
	return false;
}

void pci_reset_fn_continue(struct pci_fn *f)
{
	pci_config_wait_ready(f);
	if (f->reset == PCI_RESET_PM)
		pm_set(f, PCI_PM_STATE_D0);
	else
		flr_start(f);
}

/* Device Control's fields the guest cannot change (pci_config.c), as assigned. */
static void devctl_restore(const struct pci_fn *f)
{
	uint32_t at = f->pcie_cap + PCI_EXP_DEVCTL, devctl;

	if (!f->pcie_cap)
		return;
	devctl = pci_cfg_read(f->bdf, at, 2);
	if ((devctl & PCI_EXP_DEVCTL_KEPT) != f->devctl_kept)
		pci_cfg_write(f->bdf, at, 2, (devctl & ~PCI_EXP_DEVCTL_KEPT) | f->devctl_kept);
}

/*
 * @f out of its reset: what the hypervisor owns, back. ACS that does not
 * take now keeps the function off at its guest's enable (pci_config.c:
 * command_without_acs()). False if it does not answer.
 */
bool pci_reset_fn_restore(const struct cell *cell, struct pci_fn *f)
{
	pci_config_wait_ready(f);
	if (pci_cfg_read(f->bdf, PCI_VENDOR_ID, 2) == 0xffff)
		return log_err_ret(
			false,
			"%s: pci: %s: no answer after its %s (Vendor ID 0xffff): its BARs, ACS "
			"and AER are written again when its guest turns it on",
			cell->cfg->label, PCI_BDF(f->bdf), pci_reset_method_names[f->reset]);
	pci_cfg_write(f->bdf, PCI_COMMAND, 2, PCI_CMD_INTX_DIS);
	pci_config_bars_program(f); /* Resizable BAR sizes, BARs, ROM, AER */
	devctl_restore(f);
	pci_config_pme_off(f); /* as at assignment: a reset keeps a sticky PME_En */
	(void)pci_acs_restore(f);
	return true;
}

/* "FLR", "FLR, D3hot to D0"...: the methods in @used (bit per method) into @buf. */
static void methods_str(unsigned int used, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned int m = PCI_RESET_FLR; m <= PCI_RESET_PM && at < len; m++)
		if (used & (1u << m))
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? ", " : "",
					       pci_reset_method_names[m]);
}

/*
 * Each of @cell's functions that offers a reset, but one still in its
 * guest's reset (a reload's: pci_reset_step() begins it): its first step;
 * @again[i], a second is due.
 */
static void cell_resets_begin(const struct cell *cell, bool *again)
{
	struct pci_fn *fns = pci_fns[cell->id];

	for (int i = 0; i < cell->cfg->nr_pci; i++)
		if (fns[i].reset != PCI_RESET_NONE && !fns[i].quiesce_left)
			again[i] = reset_begin(&fns[i]);
}

/* True once per boot: the first stop or reload after it resets @cell's functions, no other. */
static bool reset_due(const struct cell *cell)
{
	if (reset_for_boot[cell->id] == cell->boots + 1)
		return false;
	reset_for_boot[cell->id] = cell->boots + 1;
	return true;
}

/* @cell's functions out of a stop's or reload's reset, each placed again, and said once. */
static void cell_resets_restore(const struct cell *cell)
{
	struct pci_fn *fns = pci_fns[cell->id];
	unsigned int used = 0, n = 0, kept = 0;
	char methods[64];

	for (int i = 0; i < cell->cfg->nr_pci; i++) {
		if (fns[i].reset == PCI_RESET_NONE)
			kept++;
		else if (pci_reset_fn_restore(cell, &fns[i])) {
			n++;
			used |= 1u << fns[i].reset;
		}
	}
	if (!n || cell_boot_quiet(cell, cell->boots + 1))
		return;
	methods_str(used, methods, sizeof(methods));
	if (kept)
		log_info("%s: pci: %u of %u function(s) reset (%s; the other(s) offer none)",
			 cell->cfg->label, n, n + kept, methods);
	else
		log_info("%s: pci: %u function(s) reset (%s)", cell->cfg->label, n, methods);
}

void pci_reset_cell_functions(struct cell *cell)
{
	struct pci_fn *fns = pci_fns[cell->id];
	bool again[LAYOUT_MAX_PCI] = { false };

	/*
	 * Resets a reload (or the first boot) began and no start ended, the
	 * stop queued instead of that start: ended here, as a stop of a running
	 * cell ends its own, so that a stopped cell's functions are all reset
	 * and placed again, whichever stop it was. Until 2026-11-25 they were
	 * left to the next start: a function still in its guest's own reset
	 * when the reload began (an Initiate FLR it does not implement, a D3hot
	 * with No_Soft_Reset) kept what that guest had programmed, and a D3hot
	 * reset's function stayed in D3hot, for as long as the cell was stopped.
	 */
	pci_reset_end(cell);
	if (!reset_due(cell))
		return;
	cell_resets_begin(cell, again);
	for (int i = 0; i < cell->cfg->nr_pci; i++)
		if (again[i])
			pci_reset_fn_continue(&fns[i]);
	cell_resets_restore(cell);
}

/* Something of @f's to wait for or do before its cell starts, once a reset began. */
static bool reset_awaited(const struct pci_fn *f)
{
	return f->reset != PCI_RESET_NONE || f->quiesce_left;
}

/*
 * @f, found by the reload in the reset its guest started (pci_quiesce.c: quiesce()),
 * now out of it: quiesced as the others were, and its own reset begun (a
 * guest's FLR need not be one: Initiate FLR without FLR in Device
 * Capabilities resets nothing). True if a second step is due.
 */
static bool begin_after_guests_reset(struct pci_fn *f)
{
	f->quiesce_left = false;
	pci_cfg_write(f->bdf, PCI_COMMAND, 2, PCI_CMD_INTX_DIS);
	return f->reset != PCI_RESET_NONE && reset_begin(f);
}

/*
 * Every function's first step, but those still in their guest's reset:
 * theirs once it is over. Pending (so started by the loop or waited for
 * by the start) if a reset began or is left to begin.
 */
void pci_reset_reload_begin(struct cell *cell)
{
	bool left = false;

	for (int i = 0; i < cell->cfg->nr_pci; i++)
		left |= pci_fns[cell->id][i].quiesce_left;
	if (reset_due(cell))
		cell_resets_begin(cell, again_due[cell->id]);
	else if (!left)
		return;
	pending_reload[cell->id] = true;
	__atomic_store_n(&pending[cell->id], true, __ATOMIC_RELEASE);
}

bool pci_reset_step(const struct cell *cell)
{
	struct pci_fn *fns = pci_fns[cell->id];
	bool busy = false;

	if (!__atomic_load_n(&pending[cell->id], __ATOMIC_ACQUIRE))
		return false;
	if (!pending_reload[cell->id])
		return pci_reset_boot_step(cell);
	for (int i = 0; i < cell->cfg->nr_pci; i++) {
		if (!reset_awaited(&fns[i]))
			continue;
		if (pci_config_resetting(&fns[i])) {
			busy = true;
		} else if (fns[i].quiesce_left) {
			again_due[cell->id][i] = begin_after_guests_reset(&fns[i]);
			busy = true;
		} else if (again_due[cell->id][i]) {
			pci_reset_fn_continue(&fns[i]); /* its first step is over: no wait */
			again_due[cell->id][i] = false;
			busy = true;
		}
	}
	return busy;
}

/*
 * A reload's resets ended: the first steps of functions that were in their
 * guest's reset (if the loop did not take them), second steps, what is left
 * of the waits, placed again.
 */
static void reload_restore(const struct cell *cell)
{
	for (int i = 0; i < cell->cfg->nr_pci; i++)
		if (pci_fns[cell->id][i].quiesce_left) {
			pci_config_wait_ready(&pci_fns[cell->id][i]);
			again_due[cell->id][i] = begin_after_guests_reset(&pci_fns[cell->id][i]);
		}
	for (int i = 0; i < cell->cfg->nr_pci; i++)
		if (again_due[cell->id][i]) {
			pci_reset_fn_continue(&pci_fns[cell->id][i]);
			again_due[cell->id][i] = false;
		}
	cell_resets_restore(cell);
}

/* Cell @c's second steps still due, each once its first is over, the wait kept. */
static void first_boot_continue(unsigned int c)
{
	for (int i = 0; i < LAYOUT_MAX_PCI; i++)
		if (again_due[c][i]) {
			pci_reset_boot_second_step(c, i);
			again_due[c][i] = false;
		}
}

void pci_reset_first_boot_begin(void)
{
	unsigned int c;

	if (!pci_host_ready) /* no cell has a function: nothing to pay */
		return;
	for (c = 0; c < LAYOUT_MAX_CELLS; c++) {
		if (!first_boot_due[c])
			continue;
		/* No guest ran yet: its start (or a stop before it) resets nothing again. */
		reset_for_boot[c] = first_boot_due[c]->boots + 1;
		cell_resets_begin(first_boot_due[c], again_due[c]);
		/* Its again[] with it, for the CPU that starts the cell (another, later). */
		__atomic_store_n(&pending[c], true, __ATOMIC_RELEASE);
		first_boot_due[c] = NULL;
	}
}

void pci_reset_first_boot_continue(void)
{
	for (unsigned int c = 0; c < LAYOUT_MAX_CELLS; c++)
		if (__atomic_load_n(&pending[c], __ATOMIC_ACQUIRE))
			first_boot_continue(c);
}

bool pci_reset_left(const struct cell *cell)
{
	if (!__atomic_load_n(&pending[cell->id], __ATOMIC_ACQUIRE))
		return false;
	for (int i = 0; i < cell->cfg->nr_pci; i++)
		if (reset_awaited(&pci_fns[cell->id][i]))
			return true;
	return false;
}

void pci_reset_end(const struct cell *cell)
{
	/*
	 * Once, whichever start comes first. Only the cell's own functions are
	 * waited for: each such cell's start is its own CPU's (cell_first_start(),
	 * cell_reload.c's start_left()), beside the other cells'.
	 */
	if (!__atomic_exchange_n(&pending[cell->id], false, __ATOMIC_ACQUIRE))
		return;
	if (pending_reload[cell->id]) {
		pending_reload[cell->id] = false;
		reload_restore(cell);
	} else {
		pci_reset_boot_restore(cell);
	}
}
