// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shell's fault log: every cell's reported faults (fault.c), shared
 * fairly between the cells, and printed by `faults` oldest first.
 */
#include <stdbool.h>
#include <stdio.h>
#include "arch/cpu.h"
#include "fault.h"
#include "fault_log.h"
#include "log.h"
#include "owned_lock.h"

/*
 * The shell's fault log: FAULT_LOG_SLOTS for every cell's faults, shared so
 * that a cell faulting alone keeps its last FAULT_LOG_SLOTS, and shared
 * fairly so that no cell pushes out another's last FAULT_KEPT_PER_CELL,
 * whatever it does (a cell restarting in a loop records a fault at every
 * boot, told or not): once full, a new fault takes the slot of the oldest
 * fault of the cell holding the most, its own cell's on a tie. So another
 * cell loses a slot only while it holds more than FAULT_KEPT_PER_CELL: were
 * that the most any cell held, the FAULT_KEPT_PER_CELL * LAYOUT_MAX_CELLS
 * slots being full, every cell would hold as many, the recording one too,
 * a tie. Before 2026-11-25 it was one ring of 16 for all: a neighbour's 16
 * reports pushed a cell's fault out of `faults`.
 */
#define FAULT_KEPT_PER_CELL 2
#define FAULT_LOG_SLOTS	    (FAULT_KEPT_PER_CELL * LAYOUT_MAX_CELLS)

struct fault_entry {
	uint64_t seq; /* the order of recording: `faults` prints by it */
	uint64_t when;
	unsigned int cell; /* its cell's id */
	char text[FAULT_TEXT];
};

static struct fault_entry slots[FAULT_LOG_SLOTS];
static unsigned int slots_used;
static uint64_t next_seq;
/*
 * Every cell's CPUs record here, and the shell's reads: a CPU lost at EL2
 * inside (a fault in the copy) must not stop every other cell at its next
 * fault. Its word names its holder (include/owned_lock.h); once lost, the
 * log may be half-written and is neither written nor printed again.
 */
static struct owned_lock log_lock = OWNED_LOCK_INIT;
static bool log_lost_told;

/* log_lock, or false (said once) once a CPU was lost holding it. */
static bool log_take(const char *undone)
{
	if (owned_lock_take(&log_lock))
		return true;
	if (!__atomic_exchange_n(&log_lost_told, true, __ATOMIC_RELAXED))
		log_err("fault log: its lock is held by CPU %d, lost inside a change of it: "
			"faults are no longer kept for the shell's `faults` (still reported); the "
			"first refused, on CPU %u: %s",
			owned_lock_holder(&log_lock), arch_cpu_index(), undone);
	return false;
}

/* The slot of @cell's next fault, under log_lock: a free one, else as above. */
static struct fault_entry *slot_for(unsigned int cell)
{
	unsigned int held[LAYOUT_MAX_CELLS] = { 0 };
	unsigned int i, most = cell;
	struct fault_entry *oldest = NULL;

	if (slots_used < FAULT_LOG_SLOTS)
		return &slots[slots_used++];
	for (i = 0; i < FAULT_LOG_SLOTS; i++)
		held[slots[i].cell]++;
	for (i = 0; i < LAYOUT_MAX_CELLS; i++)
		if (held[i] > held[most])
			most = i;
	for (i = 0; i < FAULT_LOG_SLOTS; i++)
		if (slots[i].cell == most && (!oldest || slots[i].seq < oldest->seq))
			oldest = &slots[i];
	return oldest;
}
void fault_log_keep(const struct cell *cell, const char *text)
{
	struct fault_entry *slot;

	if (!log_take("a fault not kept"))
		return;
	slot = slot_for(cell->id);
	slot->seq = next_seq++;
	slot->when = arch_counter_read();
	slot->cell = cell->id;
	snprintf(slot->text, FAULT_TEXT, "%s", text);
	owned_lock_release(&log_lock);
}

/*
 * The shell prints a copy: a line can take 10 ms on a real UART, and a cell
 * restarting in a loop records a fault at every boot, so a print that read
 * the log as it went could chase new entries for ever, in the console's
 * interrupt on CPU 0. One shell runs at a time (the console's interrupt).
 */
static struct fault_entry snapshot[FAULT_LOG_SLOTS];
static unsigned int print_order[FAULT_LOG_SLOTS];

/* print_order: the first @n of snapshot[] by when they were recorded, oldest first. */
static void snapshot_sort(unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		for (j = i; j > 0 && snapshot[print_order[j - 1]].seq > snapshot[i].seq; j--)
			print_order[j] = print_order[j - 1];
		print_order[j] = i;
	}
}

void fault_log_print(void)
{
	uint64_t hz = arch_counter_freq();
	const struct fault_entry *e;
	unsigned int i, n;

	if (!log_take("the log not printed")) {
		log_info("shell: the fault log is lost (its lock held by CPU %d): not printed",
			 owned_lock_holder(&log_lock));
		return;
	}
	n = slots_used;
	for (i = 0; i < n; i++)
		snapshot[i] = slots[i];
	owned_lock_release(&log_lock);
	if (!n)
		log_info("shell: no faults");
	snapshot_sort(n);
	for (i = 0; i < n; i++) {
		e = &snapshot[print_order[i]];
		log_info("shell: [%6lu.%03lus] %s", (unsigned long)(e->when / hz),
			 (unsigned long)(e->when % hz * 1000 / hz), e->text);
	}
}
