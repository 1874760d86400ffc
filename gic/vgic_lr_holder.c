// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which vCPU's list registers hold an interrupt of the vGIC model, for the
 * accesses that must not read or change the state another vCPU's list
 * registers own while it runs (vgic_bank.c, gic/vgic_hold.c) and for the
 * hardware side's reports (gic/vgic_hw.c). The bookkeeping itself, fill and
 * sync, is gic/vgic_lr.c's. An interrupt names its slot (irq->lr), not the
 * vCPU: the slot is looked up in each vCPU that may hold it.
 */
#include "compiler.h"
#include "vgic.h"
#include "vgic_model.h"

/* Does @u's list register @slot hold @irq? */
static bool vgic_lr_holds(const struct vgic_vcpu *u, int slot, const struct vgic_irq *irq)
{
	return slot >= 0 && ((u->lr_used >> slot) & 1) && u->lr_intid[slot] == irq->intid;
}

int vgic_lr_holder(const struct vgic_cell *v, unsigned int owner, const struct vgic_irq *irq)
{
	unsigned int u;

	if (irq->lr < 0)
		return -1;
	/* A private interrupt can only be in its own vCPU's list registers. */
	if (irq->intid < VGIC_NR_PRIVATE)
		return owner < v->nr_vcpus && vgic_lr_holds(&v->vcpus[owner], irq->lr, irq)
			       ? (int)owner
			       : -1;
	for (u = 0; u < v->nr_vcpus; u++)
		if (vgic_lr_holds(&v->vcpus[u], irq->lr, irq))
			return (int)u;
	return -1;
}

bool vgic_lr_elsewhere(const struct vgic_cell *v, unsigned int vcpu, unsigned int owner,
		       const struct vgic_irq *irq)
{
	int u = vgic_lr_holder(v, owner, irq);

	return u >= 0 && (unsigned int)u != vcpu && v->vcpus[u].lrs_out;
}

__cold void vgic_lr_abandon(struct vgic_cell *v, uint32_t mask)
{
	unsigned int u;

	spin_lock(&v->lock);
	for (u = 0; u < v->nr_vcpus; u++)
		if (mask & (1u << u))
			__atomic_store_n(&v->vcpus[u].lrs_out, false, __ATOMIC_RELAXED);
	spin_unlock(&v->lock);
}

__cold int vgic_lr_of(struct vgic_cell *v, unsigned int vcpu, uint32_t intid)
{
	struct vgic_vcpu *vc;
	struct vgic_irq *irq;
	int lr = -1;

	if (vcpu >= v->nr_vcpus)
		return -1;
	vc = &v->vcpus[vcpu];
	spin_lock(&v->lock);
	irq = vgic_irq_fast(v, vcpu, intid);
	/* irq->lr is the slot on whichever vCPU lists it: is that @vcpu? */
	if (irq && vgic_lr_holds(vc, irq->lr, irq))
		lr = irq->lr;
	spin_unlock(&v->lock);
	return lr;
}
