// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cells at run time: their life cycle (start, stop, restart; the reload
 * between a restart's stop and its start is partitions/cell_reload.c's).
 * Each physical CPU runs at most one vCPU, in cell_cpu_loop(); everything
 * that changes a vCPU's power state goes through its cell's lock and then
 * kicks the CPUs concerned. The cells are built at boot by
 * partitions/cell_create.c, into the table of partitions/cell_table.c.
 */
#include <stddef.h>
#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "gic.h"
#include "halt.h"
#include "log.h"
#include "manage.h"
#include "pci.h"
#include "smmu.h"
#include "vgic_hw.h"

/*
 * @cell's devices quiesced (for a reload, its PCI functions' resets begun),
 * then an SError those accesses raised taken at once, as @cell's
 * (arch_serror_take_for()): this CPU may be another cell's (a stop queued
 * for a deferred start, carried out by a management call, by the shell on
 * CPU 0 or by a DMA fault's interrupt), whose guest would take it at its
 * next entry as its own fault, under its own on-fault policy. One already
 * pending before them is not theirs: left as it was.
 */
int cell_quiesce_devices(struct cell *cell, bool reload)
{
	bool earlier = arch_serror_pending();
	int ret = reload ? pci_cell_quiesce_for_reload(cell) : pci_cell_quiesce(cell);

	if (!earlier)
		arch_serror_take_for(cell);
	return ret;
}

/* cell_quiesce_and_stop() but for its line; whether that is told (cell_stop_told()). */
static bool quiesce_to_stopped(struct cell *cell, const char *why)
{
	bool told;

	/*
	 * Not once the system halts (a stop queued during a reload that outlasted
	 * it): the halt stopped every cell's DMA, and this one's through the SMMU's
	 * command queue would wait for a lock a lost CPU may hold.
	 */
	halt_if_halting();
	/* Its devices stop DMA with it (a failure is logged; a stop reloads nothing). */
	(void)cell_quiesce_devices(cell, false);
	vgic_hw_cell_stop(cell);
	vuart_flush(&cell->vuart, false); /* a stop is always told */
	/* It ends a run of restarts; stops and starts in a loop go quiet (cell_storm.c). */
	told = cell_stop_told(cell, why);
	/* The owner of the transition ends it. */
	spin_lock(&cell->lock);
	cell->state = CELL_STOPPED;
	cell->stop_why = NULL;
	spin_unlock(&cell->lock);
	return told;
}

/* The end of every stop, its vCPUs out of the guest: STOPPED once its devices are quiet. */
void cell_quiesce_and_stop(struct cell *cell, const char *why)
{
	/* A CPU lost is always told: the cell failed. */
	if (quiesce_to_stopped(cell, why) || why == cell_lost_why)
		log_info("cell %s: stopped (%s); the other cells run on", cell->cfg->label, why);
}

const char cell_lost_why[] = "a CPU lost to a hypervisor fault";

/*
 * Why a restart or start under way ends STOPPED instead of running, or NULL;
 * under the lock. A stop queued (manage.c), or a CPU the cell lost meanwhile
 * (cell_cpu_lost()): without it the cell cannot run, and the start would
 * wait for it for ever.
 */
const char *cell_stop_instead(const struct cell *cell)
{
	if (cell->stop_why)
		return cell->stop_why;
	return __atomic_load_n(&cell->lost, __ATOMIC_ACQUIRE) ? cell_lost_why : NULL;
}

/*
 * The next boot does not happen (and, as after any stop, the start that
 * comes after it is told in full, unless stops and starts come in a loop:
 * cell_stop_told()). Its reason and
 * boot go into the line as they are: until 2026-11-25 they went through an
 * 80-byte buffer first, which cut the longest reasons' ", instead of boot #N".
 * The boot is read first: once STOPPED, a start may count the next.
 */
void cell_stop_queued(struct cell *cell, const char *who)
{
	unsigned long next_boot = (unsigned long)cell->boots + 1;

	if (quiesce_to_stopped(cell, who) || who == cell_lost_why)
		log_info("cell %s: stopped (%s%s, instead of boot #%lu); the other cells run on",
			 cell->cfg->label, who == cell_lost_why ? "" : "stop requested: ", who,
			 next_boot);
}

/* Under the lock, ending the LOADING its reload (or cell_create()) set. */
static void go_running(struct cell *cell)
{
	struct vcpu *boot = &cell->vcpus[0];

	cell->boots++;
	cell->started_at = arch_counter_read();
	/* A start counts as a kick, before RUNNING: the watchdog reads them the other way round. */
	watchdog_kick(cell);
	__atomic_store_n(&cell->state, CELL_RUNNING, __ATOMIC_RELEASE);
	vgic_hw_cell_start(cell);
	boot->entry = cell->entry_ipa;
	boot->context = cell->dtb_ipa;
	boot->big_endian = false;
	__atomic_store_n(&boot->power, VCPU_ON_PENDING, __ATOMIC_RELEASE);
}

/*
 * Its DMA translates again (aborted since smmu_assign() for the first boot,
 * since its devices' quiesce for a later one) here and nowhere else, on
 * every path to a start: after pci_reset_end(), since a function its
 * guest left in a reset that reset nothing (an Initiate FLR it does not
 * implement, a D3hot with No_Soft_Reset) keeps Bus Master and the old
 * boot's descriptors until that quiesces it. Until 2026-11-25 each caller
 * gave it back before the start, and one that did not leave the start to
 * its loop (cell_reload.c) let such a function write into the new boot's
 * kernel and device tree for up to 100 ms.
 *
 * Never for a failed cell (a CPU lost, cell_lost.c): its start ends STOPPED
 * (cell_stop_instead()), but a stop's abort may never come, its CPU parked
 * at a lock a lost CPU holds, and its CPUs abort its streams only once
 * (cell_failed_dma_stop()). Until 2026-11-25 a start that came after that
 * abort gave the DMA back for good. Looked at again after the resume, for a
 * loss meanwhile: that abort reads the mark before its commands, this CPU
 * after its own, and both take the SMMU's command queue's lock. An abort
 * before this resume there made the mark visible here (the lock's release
 * and acquire); one after it leaves the streams aborting anyway. Its
 * holder lost, neither tells the SMMU, which may keep either entry
 * (smmu_cell_abort() says so).
 */
static void give_dma_back(struct cell *cell)
{
	if (__atomic_load_n(&cell->lost, __ATOMIC_ACQUIRE))
		return;
	smmu_cell_resume(cell);
	if (__atomic_load_n(&cell->lost, __ATOMIC_ACQUIRE))
		(void)smmu_cell_abort(cell); /* a failure is logged */
}

/*
 * Whether to run is decided under the lock a stop is queued under: a stop
 * that comes after it finds the cell RUNNING and is taken as any other. And
 * a halt for the DMA fault of the boot that ended, claimed under the same
 * lock (fault.c, halt_for_boot()) by another CPU after this one's last look
 * (give_back_and_start()): no next boot is counted, this CPU parks.
 */
void cell_start(struct cell *cell)
{
	const char *stop_why;
	bool halting;

	/*
	 * Not one of its PCI functions answers its guest before the first
	 * boot's reset is over and it is placed again. Outside the lock, by the
	 * CPU that owns the start: the first boot's or a later one if that was
	 * stopped or its load failed. What is left to wait for (up to 100 ms)
	 * its loop waited out already (take_start_left()), its interrupts taken.
	 */
	pci_reset_end(cell);
	/*
	 * Not once the system halts (halt.c): the halt aborts every cell's DMA
	 * for good, and pci_reset_end() may have waited for long.
	 */
	halt_if_halting();
	give_dma_back(cell);
	spin_lock(&cell->lock);
	halting = halt_claimed();
	stop_why = cell_stop_instead(cell);
	if (!stop_why && !halting)
		go_running(cell);
	spin_unlock(&cell->lock);
	halt_if_halting(); /* parks if claimed, above or since */
	if (stop_why) {
		cell_stop_queued(cell, stop_why);
		return;
	}
	if (!cell_boot_quiet(cell, cell->boots))
		log_info("cell %s: starting (boot #%lu)", cell->cfg->label,
			 (unsigned long)cell->boots);
	/* Its boot vCPU's CPU waits in WFI (cell_cpu_loop()), or looks before it does. */
	gic_kick(cell->vcpus[0].pcpu);
}

/*
 * A running cell becomes STOPPING, and true tells the caller it now owns
 * the stop (one ending STOPPED if @stop_why, else a restart's first half).
 * Every vCPU of a stopping cell is turned off, whoever owns it, under the
 * same lock: a CPU_ON (vpsci.c) cannot slip in between, and a
 * cell another CPU is loading is left alone (its vCPUs are off already, and
 * cell_start() may be about to turn its boot vCPU on).
 */
bool cell_claim_stop_locked(struct cell *cell, const char *stop_why)
{
	bool claimed = cell->state == CELL_RUNNING;

	if (claimed) {
		cell->state = CELL_STOPPING;
		cell->stop_why = stop_why;
		cell->owner = arch_cpu_index();
	} else if (stop_why && !cell->stop_why &&
		   (cell->state == CELL_STOPPING || cell->state == CELL_LOADING)) {
		/*
		 * A restart another CPU owns: this stop (a vCPU's SYSTEM_OFF, a
		 * fault under on-fault "stop") ends it STOPPED instead of its next
		 * boot, as a queued stop of the shell's does (manage.c).
		 */
		cell->stop_why = stop_why;
	}
	for (unsigned int i = 0; i < cell->nr_vcpus && cell->state == CELL_STOPPING; i++)
		__atomic_store_n(&cell->vcpus[i].power, VCPU_OFF, __ATOMIC_RELEASE);
	return claimed;
}

bool cell_stop_vcpus(struct cell *cell, const char *stop_why, bool *claimed)
{
	spin_lock(&cell->lock);
	*claimed = cell_claim_stop_locked(cell, stop_why);
	spin_unlock(&cell->lock);
	return cell_kick_vcpus(cell);
}

void cell_leave_if_mine(bool mine)
{
	if (mine)
		arch_vcpu_exit_to_loop();
}

/* The rest of a stop this CPU owns. */
static void stop_owned(struct cell *cell, const char *why, bool mine)
{
	cell_wait_vcpus_out(cell);
	cell_quiesce_and_stop(cell, why);
	cell_leave_if_mine(mine);
}

/*
 * cell_stop_vcpus(), for a stop or restart this CPU has not claimed yet: true if
 * it now owns it. If another CPU owns the cell's stop, restart or reload,
 * that one carries on alone, and this one leaves the guest if it was in it.
 */
static bool claim_stop(struct cell *cell, const char *stop_why, bool *mine)
{
	bool claimed;

	*mine = cell_stop_vcpus(cell, stop_why, &claimed);
	if (!claimed)
		cell_leave_if_mine(*mine);
	return claimed;
}

void cell_stop(struct cell *cell, const char *why)
{
	bool mine;

	if (claim_stop(cell, why, &mine))
		stop_owned(cell, why, mine);
}

void cell_stop_claimed(struct cell *cell, const char *why)
{
	bool claimed;

	stop_owned(cell, why, cell_stop_vcpus(cell, NULL, &claimed));
}

/*
 * A stop queued meanwhile ends the restart here, before its reload (and
 * at the reload's end, start_deferred(), if it comes during the reload).
 */
static void restart_owned(struct cell *cell, const char *why, bool mine)
{
	const char *stop_why;

	cell_wait_vcpus_out(cell);
	vuart_flush(&cell->vuart, cell_boot_quiet(cell, cell->boots));
	spin_lock(&cell->lock);
	stop_why = cell_stop_instead(cell);
	if (!stop_why)
		cell->state = CELL_LOADING;
	spin_unlock(&cell->lock);
	if (stop_why) {
		cell_stop_queued(cell, stop_why);
		cell_leave_if_mine(mine);
		return;
	}
	if (cell_restart_told(cell, why))
		log_info("cell %s: restarting (%s)", cell->cfg->label, why);
	cell_reload_and_start(cell, why);
}

void cell_restart(struct cell *cell, const char *why)
{
	bool mine;

	if (claim_stop(cell, NULL, &mine))
		restart_owned(cell, why, mine);
}

void cell_restart_claimed(struct cell *cell, const char *why)
{
	bool claimed;

	restart_owned(cell, why, cell_stop_vcpus(cell, NULL, &claimed));
}
