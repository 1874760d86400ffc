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

/*
 * A quick one more in @cell's run of them (@count: its restarts, or its
 * stops and starts, @what), for @why: told in full the first RESTART_STORM
 * times; then one line, after which they are only counted, with a line
 * every RESTART_STORM_EVERY, and the boot that comes next is quiet. True
 * if it is told.
 */
static bool quick_one_told(struct cell *cell, uint32_t *count, const char *again, const char *what,
			   const char *why)
{
	const char *label = cell->cfg->label;

	(*count)++;
	if (*count == RESTART_STORM + 1)
		log_warn("cell %s: %s again (%s), %u times in a row within %u ms of each start: "
			 "from now on only counted, one line every %u %s (`list` has the boots)",
			 label, again, why, RESTART_STORM + 1, RESTART_STORM_MS,
			 RESTART_STORM_EVERY, what);
	else if (*count > RESTART_STORM && *count % RESTART_STORM_EVERY == 0)
		log_warn("cell %s: %u %s in a row, boot #%lu next (%s)", label, *count, what,
			 (unsigned long)cell->boots + 1, why);
	cell->quiet_boot = *count > RESTART_STORM ? cell->boots + 1 : 0;
	return !cell->quiet_boot;
}

bool cell_restart_told(struct cell *cell, const char *why)
{
	if (!ran_briefly(cell)) {
		if (cell->quick_restarts > RESTART_STORM)
			log_info(
				"cell %s: boot #%lu ran %u ms or more; after %u restarts in a row, "
				"they are told again",
				cell->cfg->label, (unsigned long)cell->boots, RESTART_STORM_MS,
				cell->quick_restarts);
		/* Not a quick one itself: the run starts with the next. */
		cell->quick_restarts = 0;
		cell->quiet_boot = 0;
		return true;
	}
	return quick_one_told(cell, &cell->quick_restarts, "restarting", "restarts", why);
}

/*
 * Stops and starts in a loop: a management cell (CELL_STOP, CELL_START) or
 * the shell cycling another cell would add four lines a cycle (`stopped`,
 * `reloading`, `starting`, `enters the guest`) for ever, faster than a
 * 115 200-baud UART sends them (the audit of 2026-11-25 measured 18.3 KB/s,
 * 122 cycles a second): the console's ring filled, and every CPU that
 * printed a line, any cell's, waited behind the hypervisor's. The same
 * bounds as a restart storm's: a stop that comes within RESTART_STORM_MS of
 * its start, after a start within RESTART_STORM_MS of the stop before, is a
 * quick one; the first RESTART_STORM in a row are told in full, then each
 * cycle is only counted (`list` has the boots), with one line every
 * RESTART_STORM_EVERY. A boot that runs RESTART_STORM_MS, or a start that
 * comes that long after its stop, ends the run, and says so.
 */
static void cycles_end(struct cell *cell, bool started)
{
	if (cell->quick_cycles > RESTART_STORM)
		log_info("cell %s: %s %u ms or more %s; after %u stops and starts in a row, they "
			 "are told again",
			 cell->cfg->label, started ? "started" : "ran", RESTART_STORM_MS,
			 started ? "after its stop" : "since its start", cell->quick_cycles);
	cell->quick_cycles = 0;
	cell->quiet_boot = 0;
}

bool cell_stop_told(struct cell *cell, const char *why)
{
	cell->quick_restarts = 0; /* a stop ends a run of restarts: they are not cycles */
	cell->stopped_at = arch_counter_read();
	if (!ran_briefly(cell)) {
		cycles_end(cell, false);
		return true;
	}
	/* The next start's lines quiet too, unless it comes late (cell_start_after_stop()). */
	return quick_one_told(cell, &cell->quick_cycles, "stopped", "stops and starts", why);
}

void cell_start_after_stop(struct cell *cell)
{
	/* A restart's reload: no stop since the last start. */
	if (cell->stopped_at <= cell->started_at)
		return;
	if (arch_counter_read() - cell->stopped_at >= arch_ms_to_ticks(RESTART_STORM_MS))
		cycles_end(cell, true);
}
