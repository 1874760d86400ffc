// SPDX-License-Identifier: GPL-2.0-only
/* bulkhead-check --draft's arguments (tools/layout_draft.h, layout_draft_args()). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "layout.h"
#include "layout_draft.h"

/* --cells N: 1 to LAYOUT_MAX_CELLS (the board's CPUs are checked once read); 0 after saying why. */
static int parse_cells(const char *arg)
{
	long n = 0;
	size_t i;

	/* No sign, no space: strtol() would take "+2" and " 2". n stops growing past the most. */
	for (i = 0; isdigit((unsigned char)arg[i]); i++)
		if (n <= LAYOUT_MAX_CELLS)
			n = n * 10 + (arg[i] - '0');
	if (i && !arg[i] && n >= 1 && n <= LAYOUT_MAX_CELLS)
		return (int)n;
	fprintf(stderr,
		"bulkhead-check: --cells %s: want a number of cells from 1 to %d, in digits, "
		"each with a CPU of its own\n",
		arg, LAYOUT_MAX_CELLS);
	return 0;
}

static bool has_draft(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--draft") == 0)
			return true;
	return false;
}

/* The checker's options that --draft has no use for: it writes a layout, it checks none. */
static bool check_option(const char *arg)
{
	return strcmp(arg, "--print-load-plan") == 0 || strcmp(arg, "--guest-dt") == 0 ||
	       strcmp(arg, "--gic-lines") == 0;
}

int layout_draft_args(int argc, char **argv, const char **board_path, int *nr_cells, int *verbose)
{
	const char *cells = NULL;

	if (!has_draft(argc, argv))
		return -1;
	*board_path = NULL;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "--draft") == 0 || strcmp(arg, "-v") == 0) {
			*verbose |= arg[1] == 'v';
		} else if (check_option(arg)) {
			fprintf(stderr,
				"bulkhead-check: --draft does not combine with %s: --draft writes "
				"a layout for a board; compile it, then run bulkhead-check %s on "
				"it\n",
				arg, arg);
			return 2;
		} else if (strcmp(arg, "--cells") == 0) {
			if (cells || i + 1 == argc) {
				fprintf(stderr, "bulkhead-check: --cells %s\n",
					cells ? "given twice: give it once" : "needs a number");
				return 2;
			}
			cells = argv[++i];
		} else if (arg[0] == '-') {
			return -2;
		} else if (*board_path) {
			fprintf(stderr,
				"bulkhead-check: --draft reads one BOARD.dtb: %s, then %s\n",
				*board_path, arg);
			return 2;
		} else {
			*board_path = arg;
		}
	}
	if (!*board_path) {
		fprintf(stderr, "bulkhead-check: --draft reads the board's device tree: "
				"bulkhead-check --draft [--cells N] BOARD.dtb\n");
		return 2;
	}
	*nr_cells = cells ? parse_cells(cells) : 2;
	return *nr_cells ? 0 : 2;
}
