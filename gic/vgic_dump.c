// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shell's `irqs CELL`: what a cell's virtual GIC holds, for a guest that
 * waits for an interrupt that never comes. Each interrupt is copied under the
 * vGIC lock and printed after it is dropped, so a vCPU is never held up by
 * the console; the lines are therefore a sequence of snapshots, not one.
 */
#include "log.h"
#include "vgic.h"

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

static void dump_one(struct vgic_cell *v, unsigned int vcpu, uint32_t intid)
{
	struct vgic_irq copy, *irq;

	spin_lock(&v->lock);
	irq = vgic_irq(v, vcpu, intid);
	if (irq)
		copy = *irq;
	spin_unlock(&v->lock);
	if (irq && irq_worth_printing(&copy))
		print_irq(v->label, vcpu, &copy);
}

static void dump_vcpu(struct vgic_cell *v, unsigned int vcpu)
{
	struct vgic_vcpu s;

	spin_lock(&v->lock);
	s.lr_used = v->vcpus[vcpu].lr_used;
	s.settled = v->vcpus[vcpu].settled;
	s.gen = v->vcpus[vcpu].gen;
	s.quiet_gen = v->vcpus[vcpu].quiet_gen;
	spin_unlock(&v->lock);
	log_info("irqs: %s vcpu%u: list registers in use 0x%lx, %s (gen %u, filled at %u)",
		 v->label, vcpu, (unsigned long)s.lr_used, s.settled ? "settled" : "not settled",
		 s.gen, s.quiet_gen);
	for (uint32_t intid = 0; intid < VGIC_NR_PRIVATE; intid++)
		dump_one(v, vcpu, intid);
}

void vgic_dump(struct vgic_cell *v)
{
	log_info("irqs: %s: GICv%d, GICD_CTLR 0x%x, %u vCPUs, %u SPIs", v->label, v->version,
		 v->gicd_ctlr, v->nr_vcpus, v->nr_spis);
	for (unsigned int vcpu = 0; vcpu < v->nr_vcpus; vcpu++)
		dump_vcpu(v, vcpu);
	for (unsigned int i = 0; i < v->nr_spis && i < VGIC_MAX_SPIS; i++)
		dump_one(v, 0, v->spis[i].intid);
}
