// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGIC's hardware side for what a guest or the hypervisor changes in a
 * cell's model (docs/vgic.md): trapped distributor and redistributor
 * accesses, SGIs, the virtual console's line and shared-memory doorbells.
 * Each updates the model (gic/vgic.c), re-routes passed-through SPIs the
 * guest moved (after a routing write only) and kicks the vCPUs that must refill (kicks are here,
 * next to the SGI senders, the bench's hottest path); a direct cell's go to gic/vgic_direct.c
 * instead. Physical interrupts and the list registers are in gic/vgic_hw.c.
 */
#include <errno.h>
#include "compiler.h"
#include "arch/cpu.h"
#include "cell.h"
#include "gic.h"
#include "vgic.h"
#include "vgic_hw.h"
#include "vgic_hw_priv.h"

/*
 * Make vCPU @index of @cell exit and refill, unless it runs here (it refills
 * on entry). Not inlined: inlined into vgic_hw_kick_mask() (since its index
 * is checked first) it made every emulated distributor access 4 instructions
 * longer (icount, gicd_read 463 -> 467, gicd_write 622 -> 626).
 */
__noinline void vgic_hw_kick(struct cell *cell, unsigned int index)
{
	struct vcpu *v;

	/* Checked before &vcpus[index] is formed: past the array, that is undefined. */
	if (index >= cell->nr_vcpus)
		return;
	v = &cell->vcpus[index];
	if (v->pcpu == arch_cpu_index() || !__atomic_load_n(&v->in_guest, __ATOMIC_ACQUIRE))
		return;
	gic_kick(v->pcpu);
}

void vgic_hw_kick_mask(struct cell *cell, uint32_t mask)
{
	unsigned int i;

	for (i = 0; mask; i++, mask >>= 1)
		if (mask & 1)
			vgic_hw_kick(cell, i);
}

/*
 * Under the vGIC's lock: two vCPUs writing GICD_IROUTER for one SPI at once
 * could otherwise leave the physical route at the first write's target (read
 * before the second changed it, written after) and the cache saying so.
 */
static void route_spis(struct cell *cell)
{
	unsigned int i;

	spin_lock(&cell->vgic.lock);
	for (i = 0; i < cell->vgic.nr_spis; i++)
		vgic_hw_route_spi(cell, &cell->vgic.spis[i]);
	spin_unlock(&cell->vgic.lock);
}

/*
 * The passed-through SPIs the guest's write dropped while their physical
 * interrupts were active for it (vgic_take_dropped()): deactivated, under
 * the model's lock, so that one still asserted fires anew and finds its line
 * low. Left active, the device could never interrupt the cell again.
 */
static void deactivate_dropped(struct cell *cell)
{
	struct vgic_cell *v = &cell->vgic;
	uint64_t dropped;

	spin_lock(&v->lock);
	for (dropped = vgic_take_dropped(v); dropped; dropped &= dropped - 1)
		gic_irq_deactivate(v->spis[__builtin_ctzll(dropped)].intid);
	spin_unlock(&v->lock);
}

int vgic_hw_dist_access(struct vcpu *vcpu, uint64_t offset, struct mmio_access *acc)
{
	struct cell *cell = vcpu->cell;
	int ret = vgic_dist_access(&cell->vgic, vcpu->index, offset, acc);

	if (ret == -EBUSY)
		ret = vgic_hw_access_held(vcpu, vgic_dist_access, offset, acc);
	if (ret < 0)
		return ret;
	if (vgic_direct(cell)) {
		if (acc->write)
			vgic_direct_dist_write(vcpu, offset, acc);
		return 0;
	}
	if (acc->write && vgic_dist_routes(&cell->vgic, offset))
		route_spis(cell);
	if (acc->write && __atomic_load_n(&cell->vgic.dropped, __ATOMIC_RELAXED))
		deactivate_dropped(cell);
	vgic_hw_kick_mask(cell, (uint32_t)ret);
	return 0;
}

int vgic_hw_redist_access(struct vcpu *vcpu, uint64_t offset, struct mmio_access *acc)
{
	int ret = vgic_redist_access(&vcpu->cell->vgic, vcpu->index, offset, acc);

	if (ret == -EBUSY)
		ret = vgic_hw_access_held(vcpu, vgic_redist_access, offset, acc);
	if (ret < 0)
		return ret;
	if (vgic_direct(vcpu->cell)) {
		if (acc->write)
			vgic_direct_redist_write(vcpu, offset, acc);
		return 0;
	}
	vgic_hw_kick_mask(vcpu->cell, (uint32_t)ret);
	return 0;
}

void vgic_hw_sgi1r(struct vcpu *vcpu, uint64_t value)
{
	if (vgic_direct(vcpu->cell)) {
		vgic_direct_sgi1r(vcpu, value);
		return;
	}
	vgic_hw_kick_mask(vcpu->cell, vgic_sgi1r(&vcpu->cell->vgic, vcpu->index, value));
}

/*
 * A direct cell has no Group 0 (its interrupts are physical Group 1, Group 0
 * is the hypervisor's): there the write is ignored, as a GIC ignores an SGI
 * whose target is in the other group.
 */
void vgic_hw_sgi0r(struct vcpu *vcpu, uint64_t value)
{
	if (vgic_direct(vcpu->cell))
		return;
	vgic_hw_kick_mask(vcpu->cell, vgic_sgi0r(&vcpu->cell->vgic, vcpu->index, value));
}

/*
 * Two CPUs may update the line at once: the console's (a byte in) and the
 * guest's (a read that empties the FIFO). Sampled and set apart, the one
 * that sampled first could set last and leave the line low with a byte
 * waiting, until the next byte. The UART stays locked from the sample to the
 * set (lock order: the UART's, then the vGIC's). Only a level the vGIC does
 * not have yet is set (vuart_irq_begin()); in direct mode a rise pends the
 * physical SPI, which the guest's own GIC then tracks.
 *
 * @outside: on a CPU outside the cell (the console's input), a lock a CPU
 * lost at EL2 holds is given up on, not waited for (spin_lock_unless_lost()).
 * The cell is failed from the start of that CPU's report (cell_locks_lost()),
 * but this CPU may have seen it running just before: waiting, it would be
 * lost with it, and the console and the shell with it. The UART says its own
 * give-up (vuart_irq_begin_outside()); the vGIC's is said here, with the UART
 * let go (the log may wait for the console). A constant at each call: the
 * guest's own path keeps its plain locks.
 */
static inline __attribute__((always_inline)) void vuart_line_update(struct cell *cell, bool outside)
{
	int moved, target = -1;
	bool level, given_up = false;

	moved = outside ? vuart_irq_begin_outside(&cell->vuart, &level)
			: vuart_irq_begin(&cell->vuart, &level);
	if (moved < 0)
		return;
	if (moved && !vgic_direct(cell)) {
		if (outside)
			given_up = !vgic_set_level_outside(&cell->vgic, 0, VGIC_INTID_VUART, level,
							   &target);
		else
			target = vgic_set_level(&cell->vgic, 0, VGIC_INTID_VUART, level);
	} else if (moved && level) {
		vgic_direct_pend(layout_vuart_intid(cell->cfg));
	}
	vuart_irq_end(&cell->vuart);
	if (given_up)
		cell_lock_lost_say(cell, "its vGIC's lock", "console input not raised in its vGIC");
	if (target >= 0)
		vgic_hw_kick(cell, (unsigned int)target);
}

void vgic_hw_vuart_update(struct cell *cell)
{
	if (cell->cfg->console == LAYOUT_CONSOLE_VIRTUAL)
		vuart_line_update(cell, false);
}

/*
 * From outside the cell (console input, on CPU 0), unlike the guest's own
 * UART accesses: the cell may be restarting on its CPU, and vgic_init()
 * resets the model, its lock included, under our feet. Under the cell's
 * lock a running cell cannot stop, and only a loading one is reset, by the
 * one CPU that owns its reload (vgic_hw_cell_init(), then cell_start());
 * the doorbell does the same (partitions/shm.c, shm_doorbells_raise()). A byte that
 * arrives while the cell is stopped is not raised here: the (re)start resets
 * the UART (vuart_reset()), dropping it, as a reset UART would.
 */
void vgic_hw_vuart_input(struct cell *cell)
{
	if (cell->cfg->console != LAYOUT_CONSOLE_VIRTUAL)
		return;
	if (!spin_lock_unless_lost(&cell->lock)) {
		cell_lock_lost_say(cell, "its lock", "console input not raised in its vGIC");
		return;
	}
	/* Failed: a lost CPU may hold the UART's or the vGIC's lock for good. */
	if (cell->state == CELL_RUNNING && !__atomic_load_n(&cell->lost, __ATOMIC_ACQUIRE))
		vuart_line_update(cell, true);
	spin_unlock(&cell->lock);
}

int vgic_hw_doorbell(struct cell *cell, uint32_t intid)
{
	int target;

	if (vgic_direct(cell)) {
		vgic_direct_pend(intid);
		return -1;
	}
	target = vgic_set_edge(&cell->vgic, 0, intid);
	if (target >= 0)
		vgic_hw_kick(cell, (unsigned int)target);
	return target;
}
