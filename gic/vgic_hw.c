// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGIC's hardware side (docs/vgic.md): it moves interrupts between the
 * model (gic/vgic.c) and the CPU's virtual interface, forwards physical
 * interrupts to the cell that owns them, and kicks the physical CPUs that
 * must pick up something new. The version switch is here; the list-register
 * formats are in vgic_hw_v3.c and vgic_hw_v2.c.
 *
 * The rule for hardware-linked interrupts (arch timers, passed-through SPIs):
 * the physical GIC owns the line. When one fires at EL2 its priority is
 * dropped but it stays active, and the model's line goes high; the list
 * register that delivers it has HW = 1, so the guest's deactivation also
 * deactivates the physical interrupt. Once that happened (the LR reads back
 * invalid) the model's line goes low again (vgic_lr_sync): if the device still asserts it,
 * the physical GIC signals it anew and the line goes high again. A timer
 * line that dropped before the guest ever took it (the guest reprogrammed
 * or masked the timer) is noticed from CNTx_CTL_EL0 before each entry.
 */
#include <stddef.h>
#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "compiler.h"
#include "gic.h"
#include "log.h"
#include "nospec.h"
#include "sysreg.h"
#include "vgic.h"
#include "vgic_hw.h"
#include "vgic_hw_priv.h"

/* CNTV_CTL_EL0 / CNTP_CTL_EL0 */
#define CNT_CTL_ENABLE	(1ULL << 0)
#define CNT_CTL_IMASK	(1ULL << 1)
#define CNT_CTL_ISTATUS (1ULL << 2)

int vgic_hw_version;
unsigned int vgic_hw_nr_lrs;
uint32_t vgic_hw_maint_irq;
uint64_t vgic_hw_lr_live[PLATFORM_MAX_CPUS];
bool vgic_hw_hcr_on[PLATFORM_MAX_CPUS];
struct cell *vgic_hw_spi_owner[VGIC_MAX_INTID + 1];
uint8_t vgic_hw_spi_route[VGIC_MAX_INTID + 1];

/* --- list registers ------------------------------------------------------- */

static void lr_read(unsigned int n, struct vgic_lr *lr)
{
	if (vgic_hw_version == 3)
		vgic_hw_v3_read_lr(n, lr);
	else
		vgic_hw_v2_read_lr(n, lr);
}

static uint64_t lr_empty_mask(void)
{
	return vgic_hw_version == 3 ? vgic_hw_v3_empty_lrs() : vgic_hw_v2_empty_lrs();
}

static void lr_write(unsigned int n, const struct vgic_lr *lr)
{
	if (vgic_hw_version == 3)
		vgic_hw_v3_write_lr(n, lr);
	else
		vgic_hw_v2_write_lr(n, lr);
}

/* ICH_HCR_EL2 / GICH_HCR of this CPU (@cpu), and what vgic_hw_hcr_on[] says of it. */
static void set_hcr(unsigned int cpu, bool enable, bool underflow)
{
	vgic_hw_hcr_on[cpu] = enable && !underflow;
	if (vgic_hw_version == 3)
		vgic_hw_v3_set_hcr(enable, underflow);
	else
		vgic_hw_v2_set_hcr(enable, underflow);
}

/*
 * The interface on, nothing else (no underflow interrupt): what most entries
 * want, and what the last write on this CPU mostly was already. Then the
 * write, and on GICv3 its ISB, are left out: the ERET that follows is a
 * context synchronization event for whatever else this exit wrote. Left
 * alone, ICH_HCR_EL2.EOIcount counts the guest's EOIs that found no list
 * register; nothing reads it, and with LRENPIE clear it signals nothing.
 */
static inline void hcr_enable(unsigned int cpu)
{
	if (!vgic_hw_hcr_on[cpu])
		set_hcr(cpu, true, false);
}

/* Asserted as the timer drives its interrupt line (Arm ARM D11.2.4). */
static bool timer_asserted(uint64_t ctl)
{
	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS)) ==
	       (CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
}

/*
 * A timer line the model holds high but no list register carries: if the
 * timer no longer asserts it, it goes low, and the physical PPI (left active
 * when it fired) is deactivated so that the next expiry is signalled. The
 * model is looked at first: on most entries the line is low and the timer's
 * control register need not be read.
 */
static inline void timer_resample(struct vcpu *vcpu, const struct vgic_irq *timers, uint32_t intid)
{
	/* Private to this vCPU: its line and LR change only on this CPU. */
	const struct vgic_irq *irq = &timers[intid];
	uint64_t ctl;

	if (!irq->line_level || irq->lr >= 0)
		return;
	ctl = intid == VGIC_INTID_VTIMER ? read_sysreg(cntv_ctl_el0) : read_sysreg(cntp_ctl_el0);
	if (timer_asserted(ctl))
		return;
	vgic_set_own_level(&vcpu->cell->vgic, vcpu->index, intid, false);
	gic_irq_deactivate(intid);
}

/*
 * The fill's images into the list registers: those it listed (@listed) and
 * those that held something before (@was), each once, and no other, so that
 * the loop visits only the registers in use, not every one implemented.
 * They hold @listed after.
 */
static __attribute__((noinline)) void lr_store_all(const struct vgic_lr *lrs, uint64_t listed,
						   uint64_t was)
{
	static const struct vgic_lr empty = { .state = VGIC_LR_INVALID };
	uint64_t left;
	unsigned int n;

	for (left = listed | was; left; left &= left - 1) {
		n = (unsigned int)__builtin_ctzll(left);
		lr_write(n, (listed & (1ULL << n)) ? &lrs[n] : &empty);
	}
}

/*
 * Whatever is or was listed, or may be now, or a timer line to look at: out
 * of line, with the images on its stack, so that the quiet path saves no
 * register and makes no call. Not asked again whether the vCPU is quiet: a
 * timer line this lowers changes the model (not quiet), and one that stays
 * high for a timer the guest disabled is rare; the fill is right either way.
 */
static __attribute__((noinline)) void flush_listed(struct vcpu *vcpu)
{
	struct vgic_cell *v = &vcpu->cell->vgic;
	struct vgic_lr lrs[VGIC_MAX_LRS];
	unsigned int cpu = vcpu->pcpu, fill;
	uint64_t listed;

	timer_resample(vcpu, v->vcpus[vcpu->index].private_irqs, VGIC_INTID_VTIMER);
	timer_resample(vcpu, v->vcpus[vcpu->index].private_irqs, VGIC_INTID_PTIMER);
	if (__atomic_load_n(&v->holds, __ATOMIC_ACQUIRE))
		vgic_hw_wait_holds(vcpu->cell);
	/* A trap from inside the guest's handlers: the LRs already say what a fill would. */
	if (vgic_hw_lr_live[cpu] && vgic_lr_keep(v, vcpu->index)) {
		hcr_enable(cpu);
		return;
	}
	fill = vgic_lr_fill(v, vcpu->index, lrs, vgic_hw_nr_lrs);
	listed = vgic_lr_listed(v, vcpu->index);
	lr_store_all(lrs, listed, vgic_hw_lr_live[cpu]);
	vgic_hw_lr_live[cpu] = listed;
	set_hcr(cpu, true, fill & VGIC_FILL_OVERFLOW);
	if (fill & VGIC_FILL_KICKS)
		vgic_hw_kick_mask(vcpu->cell, vgic_lr_take_kicks(v, vcpu->index));
}

/*
 * On the vCPU's own CPU (exception_dispatch(), arch_vcpu_enter()):
 * @vcpu->pcpu is this CPU. Most traps: nothing listed before, nothing to
 * list now, both timer lines low (timer_resample() would do nothing).
 */
void vgic_hw_flush(struct vcpu *vcpu)
{
	struct vgic_vcpu *vc;

	if (vgic_direct(vcpu->cell))
		return; /* no list registers: its interrupts are physical */
	vc = &vcpu->cell->vgic.vcpus[vcpu->index];
	if (vc->private_irqs[VGIC_INTID_VTIMER].line_level ||
	    vc->private_irqs[VGIC_INTID_PTIMER].line_level || vgic_hw_lr_live[vcpu->pcpu] ||
	    !vgic_vcpu_quiet(vc))
		flush_listed(vcpu);
	else
		hcr_enable(vcpu->pcpu);
}

/*
 * Only the list registers the last flush filled are looked at: the model
 * looks at no other entry (its lr_used is what that flush listed), and of
 * each only at the state. One the guest emptied needs no clearing write
 * unless it still asks for an EOI maintenance interrupt (ICH_EISR_EL2
 * counts it until it is rewritten). The empty status register says both at
 * once for every list register: State 0 and no EOI maintenance owed. Those
 * it names are invalid to the model, not live, and not read. The others are
 * read: still listed, or owing that interrupt (invalid, and live until the
 * next fill clears them); one that reads empty after all is let go too.
 */
static __attribute__((noinline)) void sync_listed(struct vcpu *vcpu, uint64_t live)
{
	struct vgic_lr lrs[VGIC_MAX_LRS];
	unsigned int cpu = vcpu->pcpu, n;
	uint64_t left, empty;

	if (vgic_direct(vcpu->cell))
		return;
	empty = lr_empty_mask() & live;
	for (left = empty; left; left &= left - 1)
		lrs[__builtin_ctzll(left)].state = VGIC_LR_INVALID;
	vgic_hw_lr_live[cpu] = live & ~empty;
	for (left = live & ~empty; left; left &= left - 1) {
		n = (unsigned int)__builtin_ctzll(left);
		lr_read(n, &lrs[n]);
		if (lrs[n].state == VGIC_LR_INVALID && !lrs[n].eoi_maintenance)
			vgic_hw_lr_live[cpu] &= ~(1ULL << n);
	}
	if (vgic_lr_sync(&vcpu->cell->vgic, vcpu->index, lrs, vgic_hw_nr_lrs))
		vgic_hw_kick_mask(vcpu->cell, vgic_lr_take_kicks(&vcpu->cell->vgic, vcpu->index));
}

/*
 * Most exits find nothing listed (and a direct cell's never do): that is
 * tested before anything else, so that such an exit saves no register and
 * makes no call. The vCPU's own CPU runs it (exception_dispatch()).
 */
void vgic_hw_sync(struct vcpu *vcpu)
{
	uint64_t live = vgic_hw_lr_live[vcpu->pcpu];

	if (live)
		sync_listed(vcpu, live);
}

/* --- routing ----------------------------------------------------------------- */

/*
 * A device SPI fires on the physical CPU that runs the vCPU the guest routed
 * it to, so that the guest's deactivation (through that CPU's list register)
 * and the next assertion happen on one CPU.
 */
void vgic_hw_route_spi(struct cell *cell, const struct vgic_irq *irq)
{
	unsigned int t = irq->target_vcpu, pcpu;

	if (!irq->hw || t >= cell->nr_vcpus)
		return; /* routed to no vCPU of the cell: it stays where it was */
	pcpu = cell->vcpus[array_index_nospec(t, cell->nr_vcpus)].pcpu;
	if (vgic_hw_spi_route[irq->intid] == pcpu + 1)
		return;
	gic_irq_route(irq->intid, arch_cpu_mpidr_of(pcpu));
	vgic_hw_spi_route[irq->intid] = (uint8_t)(pcpu + 1);
}

/* --- physical interrupts -------------------------------------------------- */

/* The vCPU this CPU runs, if it is in its guest and on. Inline: the timer's path. */
static inline __attribute__((always_inline)) struct vcpu *running_vcpu(void)
{
	struct vcpu *v = vcpu_of_pcpu(arch_cpu_index());

	if (!v || !__atomic_load_n(&v->in_guest, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) != VCPU_ON)
		return NULL;
	return v;
}

/*
 * Maintenance (EOI of a list register with HW = 0 that asked for it: a
 * level interrupt, or a hardware-linked one the guest pended itself; or
 * underflow): the exit that took us here already synced the list registers
 * and the way back refills them. Until then the virtual interface is off,
 * so that the maintenance condition, which the stale list registers still
 * show, does not signal again the moment it is EOIed.
 */
static void maintenance(uint32_t iar)
{
	set_hcr(arch_cpu_index(), false, false);
	gic_eoi(iar);
}

static void timer_irq(uint32_t iar, uint32_t intid)
{
	struct vcpu *v = running_vcpu();

	if (!v) {
		/* The vCPU is gone; its timer would fire again at once: stop it. */
		if (intid == VGIC_INTID_VTIMER)
			write_sysreg(0, cntv_ctl_el0);
		else
			write_sysreg(0, cntp_ctl_el0);
		isb();
		gic_eoi(iar);
		return;
	}
	gic_priority_drop(iar);
	vgic_set_own_level(&v->cell->vgic, v->index, intid, true);
}

/* SPIs reported by spi_deactivated_behind(), per cell: once each. */
static uint32_t early_reported[LAYOUT_MAX_CELLS][(VGIC_MAX_INTID + 32) / 32];

/*
 * SPI @intid of @cell fired again while the model's line was still high
 * (VGIC_LINE_AGAIN): it had been forwarded and left active, and only the
 * guest's deactivation through its list register should have made it
 * inactive, which the sync at this exit would have seen first. If the vCPU
 * this CPU runs still holds it in a list register, its guest did not: some
 * other CPU interface did, behind it. A direct cell's ICC_EOIR1_EL1 can
 * (docs/vgic.md). It is active again from here (spi_irq() dropped only its
 * priority), and the guest sees one interrupt for both firings: an edge
 * may be lost. A vCPU elsewhere holding it is no such case: an SPI re-routed
 * while listed there, whose guest may have deactivated it, not yet synced
 * (spi_fired_again() handed it over).
 */
static __cold __attribute__((noinline)) void spi_deactivated_behind(struct cell *cell,
								    uint32_t intid)
{
	struct vcpu *v = running_vcpu();
	uint32_t bit = 1u << (intid % 32);
	int lr;

	if (!v || v->cell != cell || cell->id >= LAYOUT_MAX_CELLS)
		return;
	lr = vgic_lr_of(&cell->vgic, v->index, intid);
	if (lr < 0 ||
	    (__atomic_fetch_or(&early_reported[cell->id][intid / 32], bit, __ATOMIC_RELAXED) & bit))
		return;
	log_warn("%s: vGIC: INTID %u fired again while vcpu%u still held it in list register %d: "
		 "deactivated behind the guest (another cell's EOI, in direct interrupt mode?); "
		 "this CPU takes it again each time, and an edge meanwhile is lost (reported once)",
		 cell->cfg->label, intid, v->index, lr);
}

/*
 * VGIC_LINE_AGAIN: which vCPU's guest could have deactivated it depends on
 * the CPU it fired on (vgic_spi_fired_again()). Rare: out of line.
 */
static __cold __attribute__((noinline)) int spi_fired_again(struct cell *cell, uint32_t intid)
{
	struct vcpu *v = vcpu_of_pcpu(arch_cpu_index());

	return vgic_spi_fired_again(&cell->vgic, intid, v && v->cell == cell ? (int)v->index : -1);
}

/*
 * Under the cell's lock, as vgic_hw_vuart_input(): this CPU may take the
 * SPI outside its guest (its vCPU off, waiting in cell_cpu_loop()), where a
 * stop does not wait for it, and the reload that follows resets the model,
 * its lock included. A running cell cannot stop while the lock is held.
 */
static void spi_irq(uint32_t iar, uint32_t intid, struct cell *cell)
{
	int target;

	spin_lock(&cell->lock);
	if (cell->state != CELL_RUNNING) {
		/* Nobody to take it: off until cell_start() (vgic_hw_cell_start(), this lock). */
		gic_irq_disable(intid);
		spin_unlock(&cell->lock);
		gic_eoi(iar);
		return;
	}
	gic_priority_drop(iar);
	target = vgic_spi_fired(&cell->vgic, intid);
	if (target == VGIC_LINE_AGAIN)
		target = spi_fired_again(cell, intid);
	spin_unlock(&cell->lock);
	if (target >= 0)
		vgic_hw_kick(cell, (unsigned int)target);
	else if (target == VGIC_LINE_AGAIN)
		spi_deactivated_behind(cell, intid);
}

bool vgic_hw_irq(uint32_t iar, uint32_t intid)
{
	struct cell *owner;

	if (vgic_hw_maint_irq && intid == vgic_hw_maint_irq) {
		maintenance(iar);
		return true;
	}
	if (intid == VGIC_INTID_VTIMER || intid == VGIC_INTID_PTIMER) {
		timer_irq(iar, intid);
		return true;
	}
	owner = intid <= VGIC_MAX_INTID ? vgic_hw_spi_owner[intid] : NULL;
	if (intid >= VGIC_NR_PRIVATE && owner) {
		spi_irq(iar, intid, owner);
		return true;
	}
	return false;
}
