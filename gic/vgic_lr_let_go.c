// SPDX-License-Identifier: GPL-2.0-only
/*
 * List registers let go outside the fill and sync of gic/vgic_lr.c: when
 * their vCPU turns itself off or is reset (PSCI CPU_OFF, CPU_ON, a cell's
 * restart), and when another vCPU needs an interrupt an off vCPU still
 * holds. Rare, and never on a trap's way back to the guest.
 */
#include "compiler.h"
#include "vgic.h"
#include "vgic_model.h"

/*
 * Hardware-linked @irq, active in a list register that is let go, is
 * deactivated at the physical GIC by the caller: as after the guest's own
 * deactivation (vgic_lr_sync()), the physical GIC has its line again and
 * signals it anew if it is still high. Left high here, the model would list
 * it once more and take that new signal for a firing behind its back.
 */
static uint32_t vgic_lr_end_hw(struct vgic_irq *irq)
{
	irq->line_level = false;
	return irq->hw_intid;
}

/*
 * @vcpu's list registers let go, under the lock: all of them if @end_active
 * (vgic_lr_vcpu_reset()), else all but the active ones (vgic_lr_vcpu_off()).
 * An active one ended that is hardware-linked adds its physical INTID to
 * @hw (*@n). Returns the other vCPUs to kick (an SPI routed to one of them).
 */
static __cold uint32_t vgic_lr_let_go_all(struct vgic_cell *v, unsigned int vcpu, bool end_active,
					  uint32_t *hw, unsigned int *n)
{
	struct vgic_vcpu *vc = &v->vcpus[vcpu];
	struct vgic_irq *irq;
	uint64_t used;
	uint32_t kicks;
	unsigned int i;

	spin_lock(&v->lock);
	for (used = vc->lr_used; used; used &= used - 1) {
		i = (unsigned int)__builtin_ctzll(used);
		irq = vgic_irq_fast(v, vcpu, vc->lr_intid[i]);
		if (irq && irq->active && !end_active)
			continue;
		if (irq && irq->lr_latch) /* a sync put it back already, but for safety */
			vgic_lr_latch_back(v, irq);
		if (irq && irq->active) {
			irq->active = false;
			if (irq->fired_again) /* active again already, for its new target */
				vgic_lr_fired_again(irq);
			else if (irq->lr_hw) /* HW = 0: the physical one is not this one's */
				hw[(*n)++] = vgic_lr_end_hw(irq);
		}
		if (irq)
			irq->lr_latch = false;
		vgic_lr_release(v, vc, vcpu, irq, i);
	}
	vgic_touch(v, 1u << vcpu); /* its first fill back looks */
	kicks = __atomic_exchange_n(&vc->kicks, 0, __ATOMIC_RELAXED);
	spin_unlock(&v->lock);
	return kicks;
}

/*
 * Until now they stayed in lr_used while it was off: an SPI pending there
 * and routed to another vCPU could not be listed anywhere else before this
 * one came back (vgic_candidate() skips a listed interrupt).
 */
__cold uint32_t vgic_lr_vcpu_off(struct vgic_cell *v, unsigned int vcpu)
{
	unsigned int n = 0;

	return vcpu < v->nr_vcpus ? vgic_lr_let_go_all(v, vcpu, false, NULL, &n) : 0;
}

__cold unsigned int vgic_lr_vcpu_reset(struct vgic_cell *v, unsigned int vcpu, uint32_t *hw,
				       uint32_t *kicks)
{
	unsigned int n = 0;

	*kicks = vcpu < v->nr_vcpus ? vgic_lr_let_go_all(v, vcpu, true, hw, &n) : 0;
	return n;
}

/*
 * A vCPU that is off (vgic_lr_vcpu_off() kept what was active) makes no fill
 * that would let it go, and no other vCPU may list an interrupt some list
 * register holds (vgic_candidate()): pending again, it stayed there until
 * that vCPU came back, maybe never. A firing again meanwhile is the same
 * as at a sync that finds the list register empty (vgic_lr_fired_again()).
 */
void vgic_lr_let_go(struct vgic_cell *v, struct vgic_irq *irq)
{
	int u = vgic_lr_holder(v, 0, irq);

	if (u < 0 || irq->active)
		return;
	if (irq->fired_again)
		vgic_lr_fired_again(irq);
	vgic_lr_release(v, &v->vcpus[u], (unsigned int)u, irq, (unsigned int)irq->lr);
	vgic_touch(v, 1u << u); /* its list registers changed: its next fill looks */
}
