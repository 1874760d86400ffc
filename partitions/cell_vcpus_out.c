// SPDX-License-Identifier: GPL-2.0-only
/*
 * Getting a cell's vCPUs out of the guest for a stop, restart or reload:
 * kicked, waited for a bounded time, then, for one that does not leave,
 * its stage 2 revoked (partitions/cell.c's life cycle calls these).
 */
#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "gic.h"
#include "log.h"
#include "manage.h"

#define STOP_WAIT_MS 500

bool cell_kick_vcpus(const struct cell *cell)
{
	unsigned int self = arch_cpu_index(), i;
	bool mine = false;

	for (i = 0; i < cell->nr_vcpus; i++) {
		if (cell->vcpus[i].pcpu == self)
			mine = true;
		else
			gic_kick(cell->vcpus[i].pcpu);
	}
	return mine;
}

unsigned int cell_vcpus_in_guest(const struct cell *cell, unsigned int self)
{
	unsigned int i, in = 0;

	for (i = 0; i < cell->nr_vcpus; i++)
		if (cell->vcpus[i].pcpu != self &&
		    __atomic_load_n(&cell->vcpus[i].in_guest, __ATOMIC_ACQUIRE))
			in |= 1u << i;
	return in;
}

/* The vCPUs of @cell, other than this CPU's, still in the guest after up to STOP_WAIT_MS. */
static unsigned int vcpus_still_in(struct cell *cell)
{
	unsigned int self = arch_cpu_index();
	uint64_t start = arch_counter_read();
	uint64_t limit = arch_ms_to_ticks(STOP_WAIT_MS);

	while (cell_vcpus_in_guest(cell, self) && arch_counter_read() - start <= limit)
		arch_cpu_relax();
	return cell_vcpus_in_guest(cell, self);
}

/*
 * Bounded. A vCPU that does not take its kick (in direct interrupt mode a
 * guest can hold off the hypervisor's FIQs, docs/vgic.md) loses its memory:
 * the next instruction it fetches traps, and a trap of a vCPU turned off
 * leaves the guest (exception_dispatch()). Given back at the next start.
 */
void cell_wait_vcpus_out(struct cell *cell)
{
	unsigned int left = vcpus_still_in(cell), i;
	bool quiet = cell_boot_quiet(cell, cell->boots); /* a restart storm's boot */

	if (!left)
		return;
	for (i = 0; i < cell->nr_vcpus; i++)
		if ((left & (1u << i)) && !quiet)
			log_warn("%s: vcpu%u (CPU %u) ignored the stop for %u ms: its stage 2 is "
				 "revoked",
				 cell->cfg->label, i, cell->vcpus[i].pcpu, STOP_WAIT_MS);
	arch_stage2_revoke(cell, true);
	left = vcpus_still_in(cell);
	for (i = 0; i < cell->nr_vcpus; i++)
		if (left & (1u << i))
			log_err("%s: vcpu%u (CPU %u) did not leave the guest within %u ms",
				cell->cfg->label, i, cell->vcpus[i].pcpu, 2 * STOP_WAIT_MS);
}

/*
 * Only while the request is still waiting for the cell's CPU, and under the
 * lock it is taken with (manage_run_request()): once taken, that CPU owns the
 * stop or restart, and a revoke landing after its reload gave the stage 2
 * back would leave the new boot with no memory. From outside the cell (the
 * shell's CPU 0, a management call's): false, nothing done, if the cell's
 * CPU took the request and was lost inside the lock, which it may hold for
 * good; the cell stops itself there (cell_lost.c).
 */
bool cell_force_out(struct cell *cell)
{
	bool pending;

	if (!spin_lock_unless_lost(&cell->lock)) {
		cell_lock_lost_say(cell, "its lock", "its vCPUs not forced out: the cell failed");
		return false;
	}
	pending = cell->request != CELL_REQ_NONE;
	if (pending) {
		for (unsigned int i = 0; i < cell->nr_vcpus; i++)
			__atomic_store_n(&cell->vcpus[i].power, VCPU_OFF, __ATOMIC_RELEASE);
		arch_stage2_revoke(cell, true);
	}
	spin_unlock(&cell->lock);
	return pending;
}
