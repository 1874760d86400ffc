/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TOOLS_LAYOUT_DRAFT_H
#define BULKHEAD_TOOLS_LAYOUT_DRAFT_H

#include <stdbool.h>

#include "layout.h"
#include "platform.h"

/*
 * tools/bulkhead-check.c drops log lines while this is set: the draft asks
 * the layout parser's own device rules about every board node, and a node
 * they refuse is no error of the user's.
 */
extern bool log_muted;

/* The first error logged while log_muted was set ("" if none): why the rules refused a node. */
#define LOG_MUTED_ERROR_MAX 512
extern char log_muted_error[LOG_MUTED_ERROR_MAX];

/*
 * Print to stdout a layout of @nr_cells cells for the board @board (its
 * device tree, named @board_path in the header comment; @plat what
 * platform_discover() found in it) that bulkhead-check accepts as it is.
 * 0, or 2 after saying on stderr why this board has no such layout.
 */
int layout_draft(const void *board, const char *board_path, const struct platform *plat,
		 int nr_cells);

/*
 * The boot CPU, the one the boot loader runs Bulkhead on: the board DTB
 * header's boot_cpuid_phys, as boot/platform.c takes it. Its index in
 * @plat->cpus, or -1 if it names none of them. The draft gives it to cell0;
 * the checker warns of a direct cell on it.
 */
int layout_draft_boot_cpu(const void *board, const struct platform *plat);

/*
 * Print, as a comment, the board nodes with reg that the checker accepts
 * in @cell (cell0 of the draft, without devices) alone: the layout
 * parser's device rules and the guest device tree's build
 * (tools/layout_draft_devices.c).
 */
void layout_draft_print_devices(const void *board, const struct platform *plat,
				const struct layout_cell *cell);

/*
 * bulkhead-check's arguments when one is --draft, in any order: -v (sets
 * *@verbose), --cells N once (1 to LAYOUT_MAX_CELLS, digits only; default
 * 2) and one BOARD.dtb. -1 when there is no --draft; -2 for an unknown
 * option (the caller prints the usage); 2 after saying what is wrong; 0.
 * None of the checker's own options combines with it.
 */
int layout_draft_args(int argc, char **argv, const char **board_path, int *nr_cells, int *verbose);

#endif
