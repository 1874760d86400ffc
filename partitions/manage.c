// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stop, start and restart of cells on an operator's or a management cell's
 * behalf. Stop works from any CPU. Start and restart reload the image and
 * regenerate the device tree with libfdt, so they are handed to the target
 * cell's boot CPU with a kick and carried out there.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "arch/cpu.h"
#include "cell.h"
#include "fault.h"
#include "gic.h"
#include "hypercall.h"
#include "test_fault.h"
#include "log.h"
#include "manage.h"

#define KICK_WAIT_MS 500

struct cell *manage_find(const char *name)
{
	unsigned int i;
	char *end;
	unsigned long id;

	for (i = 0; i < cells_count(); i++)
		if (!strcmp(cell_get(i)->cfg->label, name))
			return cell_get(i);
	/* Compared as it is: a cast would make 4294967296 cell 0. */
	id = strtoul(name, &end, 10);
	return (*name && !*end && id < cells_count()) ? cell_get((unsigned int)id) : NULL;
}

/* A request is pending for the cell whose vCPU 0 runs on this CPU: its kick waits here. */
static bool own_request_pending(void)
{
	const struct vcpu *v = vcpu_of_pcpu(arch_cpu_index());

	return v && v->index == 0 &&
	       __atomic_load_n(&v->cell->request, __ATOMIC_ACQUIRE) != CELL_REQ_NONE;
}

/*
 * True once the cell's CPU took the request, false after KICK_WAIT_MS. True
 * at once if this CPU's own cell has a request pending: its kick waits
 * behind this loop (interrupts masked), and whoever posted it may be waiting
 * for this CPU in turn (two management cells asking for each other, the
 * shell and a management call about the cell on the shell's CPU). Each
 * would wait out the other and pull its cell out of the guest; this CPU
 * takes its kick on the way back instead, and the other CPU its own.
 */
static bool request_taken(struct cell *cell)
{
	uint64_t start = arch_counter_read();
	uint64_t limit = arch_ms_to_ticks(KICK_WAIT_MS);

	while (__atomic_load_n(&cell->request, __ATOMIC_ACQUIRE) != CELL_REQ_NONE) {
		if (own_request_pending())
			return true;
		if (arch_counter_read() - start > limit)
			return false;
		arch_cpu_relax();
	}
	return true;
}

/* Why @cell cannot take a request that needs it in state @want, or 0. */
static int refusal(const struct cell *cell, enum cell_state want)
{
	if (cell->refused) /* never built: a CPU or PCI function it names (cell_create.c) */
		return -ENODEV;
	if (__atomic_load_n(&cell->lost, __ATOMIC_ACQUIRE))
		return -EIO; /* failed: a CPU of it parked after a hypervisor fault (cell_lost.c) */
	if (cell->request != CELL_REQ_NONE)
		return -EBUSY;
	if (cell->state == CELL_STOPPING || cell->state == CELL_LOADING)
		return -EBUSY; /* ask again once it is stopped or running */
	return cell->state == want ? 0 : -EALREADY;
}

/*
 * A stop for a cell busy with a restart (its own or asked for) or a start is
 * queued, not refused: the CPU that owns the transition ends it STOPPED
 * instead of running the cell (cell.c, cell_start() and restart_owned()). A
 * cell restarting itself in a loop is RUNNING for moments only, and a stop
 * taken only then was, in effect, never taken. Under the cell's lock, the
 * cell STOPPING or LOADING. -EEXIST: a stop is under way or queued, told
 * apart from refusal()'s -EALREADY (stopped) by its code, not by the state
 * a caller reads after: by then the cell may have moved on.
 */
static int queue_stop(struct cell *cell, const char *why)
{
	if (cell->stop_why)
		return -EEXIST;
	cell->stop_why = why;
	return -EINPROGRESS;
}

/*
 * Post @req for a cell in state @from, and move it to @to in the same
 * critical section: the request's CPU then owns the transition, and no
 * other stop, restart or start (a PSCI call of the cell's own vCPUs, the
 * shell, a management cell) can begin one beside it (cell_claim rules,
 * include/cell.h). With @wait the caller spends up to KICK_WAIT_MS here for
 * an emulated cell's CPU to take its kick: the shell and management cells.
 * Without it (a DMA fault's policy, from the interrupt of whichever CPU took
 * it, another cell's too) nothing is waited for.
 *
 * A DMA fault's request names the boot that faulted (@boot; 0 for the
 * others): -ESTALE if the cell has counted another since. Checked in the
 * same critical section that takes the cell out of RUNNING: from then until
 * its CPU carries the request out no boot is counted (go_running() counts
 * one, from LOADING, which that CPU owns), so the request acts on @boot.
 */
static int post_request(struct cell *cell, enum cell_request req, enum cell_state from,
			enum cell_state to, bool wait, const char *why, uint64_t boot)
{
	unsigned int pcpu = cell->vcpus[0].pcpu;
	bool deferred;
	int err;

	if (!spin_lock_unless_lost(&cell->lock)) {
		cell_lock_lost_say(cell, "its lock", "a request refused: the cell failed");
		return -EIO; /* as refusal() answers for a failed cell */
	}
	err = boot && cell->boots != boot ? -ESTALE : refusal(cell, from);
	if (err == -EBUSY && req == CELL_REQ_STOP)
		err = queue_stop(cell, why);
	/*
	 * Loaded, its start waiting for a vCPU that outlasted the stop to leave
	 * the guest (cell_reload.c, start_deferred()): nobody may come to take the
	 * queued stop, so it is carried out here, the start called off.
	 */
	deferred = err == -EINPROGRESS && cell->start_deferred;
	if (deferred) {
		cell->start_deferred = false;
		cell->owner = arch_cpu_index();
	}
	if (!err) {
		cell->state = to;
		cell->owner = pcpu;
		cell->request = req;
		cell->request_why = why;
		cell->stop_why = req == CELL_REQ_STOP ? why : NULL;
	}
	spin_unlock(&cell->lock);
	if (deferred) {
		cell_stop_deferred_start(cell);
		return 0;
	}
	if (err)
		return err;
	gic_kick(pcpu);
	if (req == CELL_REQ_START || pcpu == arch_cpu_index())
		return 0;
	/*
	 * A direct cell's guest can hold off its kick (docs/vgic.md): it is
	 * pulled out at once, not waited for, since the caller's CPU may be
	 * another cell's (the shell's CPU 0, a DMA fault's interrupt). An
	 * emulated cell's kick cannot be held off; its CPU is only waited for.
	 */
	if (cell->cfg->irq_mode == LAYOUT_IRQ_DIRECT)
		(void)cell_force_out(cell);
	else if (wait && !request_taken(cell) && cell_force_out(cell))
		/* Said only if it did: the kick may be taken just after the wait. */
		log_warn("%s: CPU %u did not take its kick within %u ms: vCPUs turned off, stage 2 "
			 "revoked",
			 cell->cfg->label, pcpu, KICK_WAIT_MS);
	return 0;
}

int manage_stop(struct cell *cell, const char *why)
{
	return post_request(cell, CELL_REQ_STOP, CELL_RUNNING, CELL_STOPPING, true, why, 0);
}

int manage_start(struct cell *cell, const char *why)
{
	return post_request(cell, CELL_REQ_START, CELL_STOPPED, CELL_LOADING, true, why, 0);
}

/* A stopped cell is started: a restart is a stop, if it runs, then a start. */
int manage_restart(struct cell *cell, const char *why)
{
	int err = post_request(cell, CELL_REQ_RESTART, CELL_RUNNING, CELL_STOPPING, true, why, 0);

	if (err == -EALREADY)
		err = post_request(cell, CELL_REQ_START, CELL_STOPPED, CELL_LOADING, true, why, 0);
	return err;
}

int manage_stop_async(struct cell *cell, const char *why, uint64_t boot)
{
	return post_request(cell, CELL_REQ_STOP, CELL_RUNNING, CELL_STOPPING, false, why, boot);
}

/*
 * A DMA fault's restart (fault_policy_async()) restarts a running cell only:
 * the fault may be taken just after the guest or the shell stopped it, and
 * manage_restart()'s start of a stopped cell would undo that stop.
 */
int manage_restart_async(struct cell *cell, const char *why, uint64_t boot)
{
	return post_request(cell, CELL_REQ_RESTART, CELL_RUNNING, CELL_STOPPING, false, why, boot);
}

enum cell_request manage_take_request(struct cell *cell, const char **who)
{
	enum cell_request req = (enum cell_request)cell->request;

	*who = cell->request_why ? cell->request_why : "?";
	cell->request = CELL_REQ_NONE;
	return req;
}

/* "start requested: shell": what a request's lines say of it. */
static void request_why(enum cell_request req, const char *who, char *buf, size_t len)
{
	snprintf(buf, len, "%s requested: %s",
		 req == CELL_REQ_START	   ? "start"
		 : req == CELL_REQ_RESTART ? "restart"
					   : "stop",
		 who);
}

void manage_drop_request(const struct cell *cell, enum cell_request req, const char *who)
{
	char why[48];

	request_why(req, who, why, sizeof(why));
	log_info("cell %s: %s, not carried out: the cell failed", cell->cfg->label, why);
}

/*
 * The state change that posted the request (post_request()) made this CPU its
 * owner. None if a CPU the cell lost took it off first (cell_lost.c): that
 * CPU stops the cell for good, and said so.
 */
void manage_run_request(struct cell *cell)
{
	enum cell_request req;
	const char *who;
	char why[48];

	spin_lock(&cell->lock);
	req = manage_take_request(cell, &who);
	spin_unlock(&cell->lock);
	if (req == CELL_REQ_NONE)
		return;
	request_why(req, who, why, sizeof(why));
	if (req == CELL_REQ_START)
		cell_reload_and_start(cell, why);
	else if (req == CELL_REQ_RESTART)
		cell_restart_claimed(cell, why);
	else if (req == CELL_REQ_STOP)
		cell_stop_claimed(cell, why);
}

/* --- hypercalls ---------------------------------------------------------- */

#define BULKHEAD_RET_QUEUED  1 /* CELL_STOP of a cell restarting or starting: it ends stopped */
#define BULKHEAD_RET_DENIED  ((uint64_t)-4)
#define BULKHEAD_RET_INVALID ((uint64_t)-3)
#define BULKHEAD_RET_BUSY    ((uint64_t)-5)

static uint64_t errno_to_ret(int err)
{
	if (err == -EINPROGRESS)
		return BULKHEAD_RET_QUEUED;
	if (err == -EALREADY || err == -EEXIST || err == -EBUSY)
		return BULKHEAD_RET_BUSY;
	return err ? BULKHEAD_RET_INVALID : 0;
}

/*
 * Under the cell's lock, as go_running() counts a boot and makes the cell
 * RUNNING: state and boot count are one snapshot. Without it, a caller
 * could see LOADING with the next boot already counted, a moment before
 * RUNNING, and take the two for a reload still under way.
 */
static void cell_status(struct smccc_regs *regs, struct cell *c)
{
	bool locked = spin_lock_unless_lost(&c->lock);

#ifdef BULKHEAD_TEST_FAULT
	if (locked && vcpu_of_pcpu(arch_cpu_index())->cell != c)
		test_fault_at(TEST_FAULT_MANAGE_LOCK_CPU1, 1,
			      "a CELL_STATUS call, inside its target's lock");
#endif
	/* Failed, its lock maybe held for good: its last state, which changes no more. */
	if (!locked)
		cell_lock_lost_say(c, "its lock", "its status read without it");
	regs->a[1] = (uint64_t)__atomic_load_n(&c->state, __ATOMIC_ACQUIRE);
	regs->a[2] = __atomic_load_n(&c->boots, __ATOMIC_RELAXED);
	if (locked)
		spin_unlock(&c->lock);
	regs->a[0] = 0;
	regs->a[3] = __atomic_load_n(&c->faults, __ATOMIC_RELAXED);
}

void manage_hypercall(struct vcpu *vcpu, struct smccc_regs *regs)
{
	uint32_t fid = (uint32_t)regs->a[0];
	struct cell *target =
		regs->a[1] < cells_count() ? cell_get((unsigned int)regs->a[1]) : NULL;

	if (!vcpu->cell->cfg->management) {
		fault_denied(vcpu, fid); /* logged the first times, always counted */
		regs->a[0] = BULKHEAD_RET_DENIED;
		return;
	}
	if (fid == BULKHEAD_HC_CELL_COUNT) {
		regs->a[0] = 0;
		regs->a[1] = cells_count();
		return;
	}
	if (!target) {
		regs->a[0] = BULKHEAD_RET_INVALID;
		return;
	}
	if (fid == BULKHEAD_HC_CELL_STATUS)
		cell_status(regs, target);
	else if (fid == BULKHEAD_HC_CELL_STOP)
		regs->a[0] = errno_to_ret(
			target == vcpu->cell ? -EINVAL : manage_stop(target, "management call"));
	else if (fid == BULKHEAD_HC_CELL_START)
		regs->a[0] = errno_to_ret(manage_start(target, "management call"));
	else if (fid == BULKHEAD_HC_CELL_RESTART)
		regs->a[0] = errno_to_ret(
			target == vcpu->cell ? -EINVAL : manage_restart(target, "management call"));
	else
		regs->a[0] = SMCCC_RET_NOT_SUPPORTED;
}
