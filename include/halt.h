/* SPDX-License-Identifier: GPL-2.0-only */
/* on-fault = "halt-system": the whole system stops (partitions/halt.c). */
#ifndef BULKHEAD_HALT_H
#define BULKHEAD_HALT_H

#include <stdbool.h>

/*
 * Every other CPU stopped and no guest instruction run again: before the
 * halt line, so that no cell's output or I/O comes after it. A second
 * caller meanwhile just parks.
 */
void halt_begin(void);
/*
 * The halt made this CPU's, before halt_begin() goes on with it: from now
 * on a reload parks before it starts its cell (halt_if_halting()). Waits
 * for nothing, so it may be taken under a cell's lock, where the decision
 * to halt is checked (fault_policy_async()). False: another CPU halts the
 * system already, and this one is to park as halt_begin() would.
 */
bool halt_claim(void);
/*
 * The board powered off through the firmware (halt_begin() first, if this
 * CPU has not begun); if the firmware refuses, the board stays on, nothing
 * running and no cell's DMA. After the fault's report and the halt line.
 */
void halt_system(void) __attribute__((noreturn));
/*
 * Whether a CPU claimed the halt (halt_claim()): looked at under a cell's
 * lock, where a halt for the cell's DMA fault is claimed (cell_start()).
 */
bool halt_claimed(void);
/* Park this CPU for good if the system is halting: wherever it comes back to EL2's control. */
void halt_if_halting(void);

#endif
