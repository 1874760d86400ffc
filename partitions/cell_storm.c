// SPDX-License-Identifier: GPL-2.0-only
/*
 * Restart storms: how a cell that restarts itself in a loop is kept from
 * filling the console (cell.c tells and counts its restarts through these).
 */
#include "arch/cpu.h"
#include "cell.h"
#include "log.h"

/*
 * A cell that restarts itself in a loop (SYSTEM_RESET at once, a fault or a
 * watchdog at every boot) would fill the shared, synchronous console with
 * four or five lines per restart. The first RESTART_STORM restarts in a row
 * that each come within RESTART_STORM_MS of the start before are told in
 * full; after them each restart is only counted (boots and faults in the
 * shell's `list`, the fault itself in `faults`), with one line every
 * RESTART_STORM_EVERY restarts. A boot that runs RESTART_STORM_MS ends it.
 */
#define RESTART_STORM	    5
#define RESTART_STORM_MS    1000
#define RESTART_STORM_EVERY 100

static bool ran_briefly(const struct cell *cell)
{
	return arch_counter_read() - cell->started_at < arch_ms_to_ticks(RESTART_STORM_MS);
}

bool cell_restart_storm(const struct cell *cell)
{
	return cell->quick_restarts >= RESTART_STORM && ran_briefly(cell);
}

bool cell_boot_quiet(const struct cell *cell, uint64_t boot)
{
	return cell->quiet_boot == boot;
}

bool cell_restart_told(struct cell *cell, const char *why)
{
	const char *label = cell->cfg->label;

	if (!ran_briefly(cell)) {
		if (cell->quick_restarts > RESTART_STORM)
			log_info(
				"cell %s: boot #%lu ran %u ms or more; after %u restarts in a row, "
				"they are told again",
				label, (unsigned long)cell->boots, RESTART_STORM_MS,
				cell->quick_restarts);
		/* Not a quick one itself: the run starts with the next. */
		cell->quick_restarts = 0;
		cell->quiet_boot = 0;
		return true;
	}
	cell->quick_restarts++;
	if (cell->quick_restarts == RESTART_STORM + 1)
		log_warn("cell %s: restarting again (%s), %u times in a row within %u ms of each "
			 "start: from now on only counted, one line every %u restarts (`list` has "
			 "the boots)",
			 label, why, RESTART_STORM + 1, RESTART_STORM_MS, RESTART_STORM_EVERY);
	else if (cell->quick_restarts > RESTART_STORM &&
		 cell->quick_restarts % RESTART_STORM_EVERY == 0)
		log_warn("cell %s: %u restarts in a row, boot #%lu next (%s)", label,
			 cell->quick_restarts, (unsigned long)cell->boots + 1, why);
	cell->quiet_boot = cell->quick_restarts > RESTART_STORM ? cell->boots + 1 : 0;
	return !cell->quiet_boot;
}
