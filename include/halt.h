/* SPDX-License-Identifier: GPL-2.0-only */
/* on-fault = "halt-system": the whole system stops (partitions/halt.c). */
#ifndef BULKHEAD_HALT_H
#define BULKHEAD_HALT_H

/*
 * The board powered off through the firmware; if the firmware refuses,
 * every CPU stopped instead and no cell left running or doing DMA, and the
 * board stays on. Any CPU, after the fault's report and the halt line
 * have been flushed to the console. A second caller meanwhile just parks.
 */
void halt_system(void) __attribute__((noreturn));
/* Park this CPU for good if the system is halting: wherever it comes back to EL2's control. */
void halt_if_halting(void);

#endif
