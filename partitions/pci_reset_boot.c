// SPDX-License-Identifier: GPL-2.0-only
/*
 * The first boot's waits for its PCI functions' resets (docs/pci.md): the
 * resets pci_reset.c began before the loads (pci_reset_first_boot_begin()),
 * waited for by the cell's start, in its CPU's loop with interrupts taken
 * (pci_reset_boot_step()) or what is left of them at the start
 * (pci_reset_boot_restore()), each function's wait timed from the end of
 * the loads and told at the start, and each function placed again.
 */
#include <string.h>
#include "arch/cpu.h"
#include "cell.h"
#include "log.h"
#include "pci.h"
#include "pci_priv.h"

/*
 * Per function, how long its second step waited for its first to be over,
 * and its start's loop for the rest (pci_reset_boot_step()), told at the start;
 * first_boot_over: its wait is over, counted. When that loop began to wait.
 */
static uint64_t first_boot_waited[LAYOUT_MAX_CELLS][LAYOUT_MAX_PCI];
static bool first_boot_over[LAYOUT_MAX_CELLS][LAYOUT_MAX_PCI];
static uint64_t first_boot_wait_from[LAYOUT_MAX_CELLS];

void pci_reset_boot_init(const struct cell *cell)
{
	memset(first_boot_waited[cell->id], 0, sizeof(first_boot_waited[cell->id]));
	memset(first_boot_over[cell->id], 0, sizeof(first_boot_over[cell->id]));
	first_boot_wait_from[cell->id] = 0;
}

/*
 * The first boot's resets, waited for in the start's loop (cell_loop.c),
 * not in pci_reset_end() with the CPU's interrupts masked: up to 100 ms on
 * the cell's CPU, at each boot of the system. Each function's wait counts
 * from the loop's first look to the look that finds it over, and is told
 * at the start as before (first_boot_wait_told()). True while one is under
 * way.
 */
bool pci_reset_boot_step(const struct cell *cell)
{
	unsigned int c = cell->id;
	uint64_t now = arch_counter_read();
	bool busy = false;

	if (!first_boot_wait_from[c])
		first_boot_wait_from[c] = now;
	for (int i = 0; i < cell->cfg->nr_pci; i++) {
		if (pci_fns[c][i].reset == PCI_RESET_NONE || first_boot_over[c][i])
			continue;
		if (pci_config_resetting(&pci_fns[c][i])) {
			busy = true;
			continue;
		}
		first_boot_waited[c][i] += now - first_boot_wait_from[c];
		first_boot_over[c][i] = true;
	}
	return busy;
}

/*
 * pci_config_wait_ready(), timed: the counter ticks it spun, 0 if @f was
 * ready (two reads of the counter apart are not a wait).
 */
static uint64_t wait_timed(const struct pci_fn *f)
{
	uint64_t start = arch_counter_read();

	if (!pci_config_resetting(f))
		return 0;
	pci_config_wait_ready(f);
	return arch_counter_read() - start;
}

void pci_reset_boot_second_step(unsigned int c, int i)
{
	first_boot_waited[c][i] = wait_timed(&pci_fns[c][i]);
	pci_reset_fn_continue(&pci_fns[c][i]);
}

/* How long the start of @cell waited for @f's reset, after its load: said either way. */
static void first_boot_wait_told(const struct cell *cell, const struct pci_fn *f, uint64_t ticks)
{
	uint64_t us = arch_ticks_to_us(ticks);
	const char *name = PCI_BDF(f->bdf);

	if (ticks)
		log_info("%s: pci: waited %lu.%03lu ms for %s's reset (%s) after loading",
			 cell->cfg->label, (unsigned long)(us / 1000), (unsigned long)(us % 1000),
			 name, pci_reset_method_names[f->reset]);
	else
		log_info("%s: pci: %s's reset (%s) was over by the end of loading: no wait",
			 cell->cfg->label, name, pci_reset_method_names[f->reset]);
}

/*
 * @cell's functions out of their first boot's reset, each once what is left
 * of its own wait is over (nothing, after the start's loop waited it out:
 * pci_reset_boot_step()), each back as placed, and said. The second steps
 * were taken after the loads, before any cell starts
 * (pci_reset_first_boot_continue()): none is left here.
 */
void pci_reset_boot_restore(const struct cell *cell)
{
	const uint64_t *waited = first_boot_waited[cell->id];
	struct pci_fn *fns = pci_fns[cell->id];

	for (int i = 0; i < cell->cfg->nr_pci; i++) {
		if (fns[i].reset == PCI_RESET_NONE)
			continue;
		first_boot_wait_told(cell, &fns[i], waited[i] + wait_timed(&fns[i]));
		if (pci_reset_fn_restore(cell, &fns[i]))
			log_info("%s: pci: %s reset (%s) before the cell's first boot: what "
				 "firmware left programmed in it is gone",
				 cell->cfg->label, PCI_BDF(fns[i].bdf),
				 pci_reset_method_names[fns[i].reset]);
	}
}
