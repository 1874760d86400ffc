// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shell's `irqs CELL`: what a cell's virtual GIC holds, for a guest that
 * waits for an interrupt that never comes. Each interrupt is copied under the
 * vGIC lock and printed after it is dropped, so a vCPU is never held up by
 * the console; the lines are therefore a sequence of snapshots, not one.
 *
 * Each copy is also taken under the cell's lock, with the cell running or
 * stopped: a (re)start resets the model, its lock included, on the cell's
 * own CPU, and a lock zeroed while this CPU holds it is never free again.
 */
#include "cell.h"
#include "log.h"
#include "vgic.h"

/*
 * Lock @c's vGIC for a copy, unless a (re)start may be resetting it, or the
 * cell lost a CPU that may hold either lock for good: then false (vgic_dump()
 * says which).
 */
static bool snapshot_begin(struct cell *c)
{
	if (!spin_lock_unless_lost(&c->lock))
		return false;
	if ((c->state == CELL_RUNNING || c->state == CELL_STOPPED) &&
	    spin_lock_unless_lost(&c->vgic.lock))
		return true;
	spin_unlock(&c->lock);
	return false;
}

static void snapshot_end(struct cell *c)
{
	spin_unlock(&c->vgic.lock);
	spin_unlock(&c->lock);
}

/* Printed when it is anything but idle: enabled, pending, active or listed. */
static bool irq_worth_printing(const struct vgic_irq *irq)
{
	return irq->enabled || irq->pending_latch || irq->line_level || irq->active || irq->lr >= 0;
}

static void print_irq(const char *label, unsigned int vcpu, const struct vgic_irq *irq)
{
	log_info("irqs: %s vcpu%u INTID %u: %s%s%s%s%s%s prio 0x%02x lr %d%s", label, vcpu,
		 irq->intid, irq->enabled ? "enabled" : "disabled",
		 irq->pending_latch ? " pending" : "", irq->line_level ? " line-high" : "",
		 irq->active ? " active" : "", irq->trigger == VGIC_EDGE ? " edge" : " level",
		 irq->hw ? " hw" : "", irq->priority, irq->lr, irq->lr_latch ? " (latch)" : "");
}

static bool dump_one(struct cell *c, unsigned int vcpu, uint32_t intid)
{
	struct vgic_irq copy, *irq;

	if (!snapshot_begin(c))
		return false;
	irq = vgic_irq(&c->vgic, vcpu, intid);
	if (irq)
		copy = *irq;
	snapshot_end(c);
	if (irq && irq_worth_printing(&copy))
		print_irq(c->vgic.label, vcpu, &copy);
	return true;
}

static bool dump_vcpu(struct cell *c, unsigned int vcpu)
{
	struct vgic_vcpu s;

	if (!snapshot_begin(c))
		return false;
	s.lr_used = c->vgic.vcpus[vcpu].lr_used;
	s.settled = c->vgic.vcpus[vcpu].settled;
	s.gen = c->vgic.vcpus[vcpu].gen;
	s.quiet_gen = c->vgic.vcpus[vcpu].quiet_gen;
	snapshot_end(c);
	log_info("irqs: %s vcpu%u: list registers in use 0x%lx, %s (gen %u, filled at %u)",
		 c->vgic.label, vcpu, (unsigned long)s.lr_used,
		 s.settled ? "settled" : "not settled", s.gen, s.quiet_gen);
	for (uint32_t intid = 0; intid < VGIC_NR_PRIVATE; intid++)
		if (!dump_one(c, vcpu, intid))
			return false;
	return true;
}

static bool dump_all(struct cell *c)
{
	struct vgic_cell *v = &c->vgic;
	unsigned int nr_vcpus, nr_spis;
	uint32_t ctlr;

	if (!snapshot_begin(c))
		return false;
	ctlr = v->gicd_ctlr;
	nr_vcpus = v->nr_vcpus;
	nr_spis = v->nr_spis < VGIC_MAX_SPIS ? v->nr_spis : VGIC_MAX_SPIS;
	snapshot_end(c);
	log_info("irqs: %s: GICv%d, GICD_CTLR 0x%x, %u vCPUs, %u SPIs", v->label, v->version, ctlr,
		 nr_vcpus, nr_spis);
	for (unsigned int vcpu = 0; vcpu < nr_vcpus; vcpu++)
		if (!dump_vcpu(c, vcpu))
			return false;
	for (unsigned int i = 0; i < nr_spis; i++)
		if (!dump_one(c, 0, v->spis[i].intid))
			return false;
	return true;
}

/*
 * Asked for by the user: why nothing (more) is shown, said each time. A
 * failed cell's give-up is not cell_lock_lost_say()'s: that says the first
 * of a cell only, and is left to the paths nobody asked for.
 */
void vgic_dump(struct cell *c)
{
	if (dump_all(c))
		return;
	if (__atomic_load_n(&c->lost, __ATOMIC_ACQUIRE))
		log_info("irqs: %s: %s: not shown (more): the cell lost a CPU at EL2, which may "
			 "hold its or its vGIC's lock",
			 c->cfg->label, cell_state_name(c->state));
	else
		log_info("irqs: %s: %s: its virtual GIC is being reset, nothing (more) to show",
			 c->cfg->label, cell_state_name(c->state));
}
