/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TOOLS_CHECK_H
#define BULKHEAD_TOOLS_CHECK_H

#include <stdbool.h>

/* The GIC's INTIDs end at 1020 (1020-1023 are special): at most 1020 lines. */
#define GIC_MAX_LINES 1020

/* What the command line asks of the check (tools/bulkhead-check.c parses it). */
struct check_options {
	bool verbose;		  /* -v: say what discovery found */
	bool plan;		  /* --print-load-plan: the plan instead of the report */
	const char *guest_dt_dir; /* --guest-dt DIR, or NULL */
	unsigned int gic_lines;	  /* --gic-lines N; 0: not given */
};

/*
 * Check the layout @layout_dtb (read from @layout_path) against the board
 * @board_dtb (NULL: the board-independent rules only) and print the report,
 * or with @opt->plan the load plan. The exit status: 0 valid, 1 invalid, 2
 * a board the boot would refuse or a guest tree that cannot be written.
 */
int check_layout(const char *layout_path, const void *layout_dtb, const void *board_dtb,
		 const struct check_options *opt);

/* False if the boot would refuse @board_dtb for its size (after saying so). */
bool check_board_fits(const void *board_dtb);

/* A blob with a /bulkhead node is a layout; a malformed one is left to the checks that name why. */
bool check_is_layout(const void *dtb);

#endif
