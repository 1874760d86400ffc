// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's reload and the start after it: its devices' DMA stopped, its
 * memory scrubbed and its images and DT loaded (here, or in steps by its
 * CPU's loop), then its memory and interrupts given back and the cell
 * started, its DMA back and its boot vCPU on (cell_start(), cell.c), or
 * its start deferred until a vCPU that outlasted the stop leaves the guest,
 * or left to the loop while its PCI functions' resets end (cell_loop.c). The
 * stop that comes before a restart's reload, and the restart itself, are
 * partitions/cell.c's.
 */
#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "halt.h"
#include "log.h"
#include "pci.h"
#include "test_fault.h"
#include "vgic_hw.h"

/*
 * Leave a reload that failed: the cell is stopped, and says so. Only one
 * this CPU was loading: cell_load() refuses any other (a hypervisor bug),
 * and that cell's state, or its devices, are not this CPU's to change. The
 * resets its reload began end here, before STOPPED lets a start begin, as
 * a stop ends them (pci_reset_cell_functions()): a stopped cell's functions
 * are reset and placed again, INTx Disable set. Until 2026-11-25 they were
 * left to the next start, and a function its guest had left in a reset of
 * its own kept its guest's COMMAND (Bus Master, INTx) meanwhile.
 */
static void reload_failed(struct cell *cell, const char *what, bool mine)
{
	if (__atomic_load_n(&cell->state, __ATOMIC_ACQUIRE) == CELL_LOADING)
		pci_reset_end(cell);
	spin_lock(&cell->lock);
	if (cell->state == CELL_LOADING) {
		cell->state = CELL_STOPPED;
		cell->stop_why = NULL;
	}
	spin_unlock(&cell->lock);
	log_err("cell %s: %s failed; the cell stays stopped", cell->cfg->label, what);
	cell_leave_if_mine(mine);
}

/*
 * Its PCI functions still in the reset its reload began (the load took part
 * of its time): the start is left to this CPU's loop, which waits for the
 * rest with interrupts taken (cell_loop.c), as a first start the boot
 * leaves. Here they are masked: up to 100 ms of them (an FLR), at every
 * restart, on a CPU that may be the one the console's and the SMMU's
 * interrupts reach. Any CPU of the cell: the one whose vCPU reset the cell
 * (PSCI SYSTEM_RESET from vcpu1, a fault under on-fault restart), vCPU 0's
 * for a request, or the last vCPU out for a deferred start; it returns to
 * its loop after this (cell_leave_if_mine()), or is in it. The cell stays
 * LOADING, this CPU its owner (struct cell's owner, set as it took the
 * transition), which the loop's take_start_left() looks for. Until
 * 2026-11-25 only vCPU 0's CPU left it; another waited here, masked. A CPU
 * that runs no vCPU of the cell, or does not own its reload (neither
 * happens today), waits here.
 */
static bool start_left(struct cell *cell)
{
	unsigned int self = arch_cpu_index();
	const struct vcpu *v = vcpu_of_pcpu(self);

	if (!v || v->cell != cell || cell->owner != self || !pci_reset_left(cell))
		return false;
	__atomic_store_n(&cell->start_left, true, __ATOMIC_RELEASE);
	return true;
}

/*
 * The loaded cell's memory and interrupts back, and its start: its DMA and
 * boot vCPU (cell_start()), here or in the loop (start_left()).
 * Not once the system halts (halt.c): a reload with this CPU's interrupts
 * masked may outlast the halt's wait for it, which revoked every stage 2
 * and aborts every cell's DMA after it. This CPU parks instead, the cell
 * LOADING. A halt that begins just after this look finds this CPU busy a
 * moment longer, and no vCPU of the cell in the guest: it parks in its loop.
 */
static void give_back_and_start(struct cell *cell, bool mine)
{
	halt_if_halting();
	arch_stage2_revoke(cell, false); /* if a stop had to take it away (cell_wait_vcpus_out()) */
	if (vgic_hw_cell_init(cell)) {
		reload_failed(cell, "vGIC reset", mine);
		return;
	}
	/* Its DMA comes back in cell_start(), once its functions' resets are over. */
	if (!start_left(cell))
		cell_start(cell);
}

/*
 * A vCPU that outlasted its stop (cell_wait_vcpus_out(): a direct cell's vCPU in
 * WFI or WFIT with the kick held off, which a revoked stage 2 does not end)
 * would wake up in the new boot's memory and write to it with the old boot's
 * registers. The stage 2 stays revoked and the cell LOADING until the last
 * such vCPU has left: it starts the cell then (cell_start_deferred()). Both
 * look under the cell's lock, after the vCPU cleared in_guest: one of the
 * two sees the other. A stop queued during the reload, or a CPU the cell
 * lost meanwhile, ends it here, the stage 2 left revoked as post_request()
 * leaves it for a stop that comes later: deferred, the cell would stay
 * LOADING for as long as the vCPU stays in, a later stop finding this one
 * queued; started, its stage 2 and DMA would be given back only for
 * cell_start() to stop it.
 */
static bool start_deferred(struct cell *cell)
{
	const char *stop_why;
	unsigned int in, i;

	spin_lock(&cell->lock);
	in = cell_vcpus_in_guest(cell, arch_cpu_index());
	stop_why = cell_stop_instead(cell);
	cell->start_deferred = in && !stop_why;
	spin_unlock(&cell->lock);
	if (stop_why) {
		cell_stop_queued(cell, stop_why);
		return true;
	}
	for (i = 0; i < cell->nr_vcpus; i++)
		if ((in & (1u << i)) && !cell_boot_quiet(cell, cell->boots + 1))
			log_warn("cell %s: vcpu%u (CPU %u) is still in the guest: the cell starts "
				 "once it leaves",
				 cell->cfg->label, i, cell->vcpus[i].pcpu);
	return in != 0;
}

void cell_stop_deferred_start(struct cell *cell)
{
	cell_stop_queued(cell, cell->stop_why);
}

/* @v has left the guest: if it was the last one its cell waited for, start the cell. */
void cell_start_deferred(struct vcpu *v)
{
	struct cell *cell = v->cell;
	const char *stop_why = NULL;
	bool start;

	spin_lock(&cell->lock);
	start = cell->start_deferred && !cell_vcpus_in_guest(cell, v->pcpu);
	if (start) {
		cell->start_deferred = false;
		cell->owner = v->pcpu;
		/*
		 * A CPU lost since, which leaves the start to this one (cell_lost.c):
		 * not started only for cell_start() to stop it, its stage 2 and DMA
		 * given back meanwhile.
		 */
		stop_why = cell_stop_instead(cell);
	}
	spin_unlock(&cell->lock);
	if (!start)
		return;
	if (!cell_boot_quiet(cell, cell->boots + 1))
		log_info("cell %s: vcpu%u left the guest", cell->cfg->label, v->index);
	if (stop_why)
		cell_stop_queued(cell, stop_why);
	else
		give_back_and_start(cell, false);
}

/*
 * The reload's scrub and load left to this CPU's loop, which takes them with
 * its interrupts taken between their steps (cell_take_reload_left()): here
 * they are masked, and a scrub takes 27 ms of a 512 MiB cell under -icount,
 * a Debian Linux Image's copy as much, longer on a board, at every restart. The same CPUs as for
 * start_left(), which comes after it: one of the cell's that owns the
 * reload; it returns to its loop after this (cell_leave_if_mine()). Until
 * 2026-11-25 the whole reload ran here, interrupts masked: a cell on the
 * boot CPU held the console's and the SMMU's interrupts, every cell's, for
 * its scrub (docs/performance.md, "How long a restart keeps its CPU deaf").
 */
static bool reload_left(struct cell *cell)
{
	unsigned int self = arch_cpu_index();
	const struct vcpu *v = vcpu_of_pcpu(self);

	if (!v || v->cell != cell || cell->owner != self)
		return false;
	__atomic_store_n(&cell->reload_left, true, __ATOMIC_RELEASE);
	return true;
}

/*
 * Between two steps of a load its loop took: its interrupts, then a halt,
 * a stop queued or a CPU the cell lost meanwhile (cell_stop_instead()) end the
 * reload here, the memory half scrubbed or the kernel half copied: the cell
 * STOPPED, and a later start reloads it from its first byte. True if it
 * ended.
 */
static bool stopped_between_steps(struct cell *cell)
{
	const char *stop_why;

	arch_irq_window();
	halt_if_halting();
	spin_lock(&cell->lock);
	stop_why = cell_stop_instead(cell);
	spin_unlock(&cell->lock);
	if (!stop_why)
		return false;
	__atomic_store_n(&cell->reload_left, false, __ATOMIC_RELEASE);
	cell_stop_queued(cell, stop_why);
	return true;
}

/*
 * The reload once its devices' DMA stopped: memory scrubbed, images and DT
 * loaded (with @windows, this CPU's interrupts taken between two steps),
 * then the start. The guest runs on none of it before the load ends: its
 * vCPUs stay off until cell_start().
 */
static void reload_rest(struct cell *cell, bool windows, bool mine)
{
	int ret;

	while ((ret = cell_load_step(cell, cells_plat, cells_board_fdt)) > 0)
		if (windows && stopped_between_steps(cell))
			return;
	__atomic_store_n(&cell->reload_left, false, __ATOMIC_RELEASE);
	if (ret) {
		reload_failed(cell, "reload", mine);
		return;
	}
	if (!start_deferred(cell))
		give_back_and_start(cell, mine);
}

/* The reload left to @v's CPU, in its loop (reload_left()), its vCPU out of the guest. */
void cell_take_reload_left(struct vcpu *v)
{
	if (__atomic_load_n(&v->cell->reload_left, __ATOMIC_ACQUIRE) &&
	    __atomic_load_n(&v->cell->owner, __ATOMIC_RELAXED) == v->pcpu)
		reload_rest(v->cell, true, false);
}

/*
 * Reload a cell this CPU took to LOADING, and start it; runs on one of its
 * CPUs (restart, fault policy, or a kick carrying a request). Rule of
 * fdt_glue.h: the guest FP/SIMD state on this CPU belongs to the stopped
 * cell, so libfdt may run here. Not once the system halts: this CPU parks
 * before it touches the cell (its DMA, through the SMMU's command queue,
 * whose lock a lost CPU may hold; its memory, which it would scrub), the
 * cell LOADING, as in give_back_and_start().
 */
void cell_reload_and_start(struct cell *cell, const char *why)
{
	bool mine = vcpu_of_pcpu(arch_cpu_index()) && vcpu_of_pcpu(arch_cpu_index())->cell == cell;

	halt_if_halting();
	cell->reload_began = arch_counter_read();
	cell_start_after_stop(cell); /* its lines quiet or not, before the first */
	vuart_reset(&cell->vuart, cell->cfg->label);
	if (!cell_boot_quiet(cell, cell->boots + 1))
		log_info("cell %s: reloading (%s)", cell->cfg->label, why);
#ifdef BULKHEAD_TEST_FAULT
	test_fault_at(TEST_FAULT_RELOAD_CPU1, 1, "its cell's reload");
#endif
	/*
	 * No DMA into the memory being reloaded. If the SMMU did not confirm the
	 * abort, its devices may still write there: the memory is left as it is
	 * and the cell stopped, a later start tries again.
	 */
	if (cell_quiesce_devices(cell, true)) {
		reload_failed(cell, "stopping its devices' DMA before the reload", mine);
		return;
	}
	cell_load_begin(cell);
	if (!reload_left(cell))
		reload_rest(cell, false, mine);
	cell_leave_if_mine(mine);
}
