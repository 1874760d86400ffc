/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vGIC model's interrupt predicates, shared by gic/vgic.c, vgic_lr.c,
 * vgic_bank.c and vgic_dist.c, inline because the delivery scans run them
 * on every interrupt they visit. Private to the model.
 */
#ifndef BULKHEAD_VGIC_MODEL_H
#define BULKHEAD_VGIC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "gic_regs.h" /* GICD_CTLR as the cell sees it: one Security state (DS = 1) */
#include "vgic.h"

#define VGIC_NR_SGIS 16

/* The per-INTID banks in the GICD frame (at the same offsets in GICR SGI_base). */
#define GICD_BANKS     0x0080 /* IGROUPR .. ICFGR, IGRPMODR */
#define GICD_BANKS_END 0x0d80

#define GIC_PIDR2_ArchRev_SHIFT 4 /* GICD_PIDR2, GICR_PIDR2 */

/* GICv2 SGIs are pending per source CPU (sgi_sources), not by a latch. */
static inline bool vgic_is_v2_sgi(const struct vgic_cell *v, const struct vgic_irq *irq)
{
	return v->version == 2 && irq->intid < VGIC_NR_SGIS;
}

/* Pending as the architecture defines it (latch, level line, v2 SGI sources). */
static inline bool vgic_irq_pending(const struct vgic_cell *v, const struct vgic_irq *irq)
{
	if (vgic_is_v2_sgi(v, irq))
		return irq->sgi_sources != 0;
	return irq->pending_latch || (irq->trigger == VGIC_LEVEL && irq->line_level);
}

/* Bit of the vCPU @irq goes to (@owner for SGIs/PPIs), 0 if none. */
static inline uint32_t vgic_irq_target_mask(const struct vgic_cell *v, unsigned int owner,
					    const struct vgic_irq *irq)
{
	unsigned int t = irq->intid < VGIC_NR_PRIVATE ? owner : irq->target_vcpu;

	return t < v->nr_vcpus ? 1u << t : 0;
}

/*
 * Pending, active or in a list register: a fill looks at it (a candidate,
 * or an image to write). A change to an interrupt that is none of these,
 * before or after, alters no vCPU's fill.
 */
static inline bool vgic_irq_live(const struct vgic_cell *v, const struct vgic_irq *irq)
{
	return vgic_irq_pending(v, irq) || irq->active || irq->lr >= 0;
}

/*
 * A write changed @irq, which was live (@was_live) and went to the vCPUs in
 * @before: the vCPUs whose next fill may differ, to touch and kick. Its
 * targets before and now, and the vCPU whose list register holds it (it may
 * have been routed away while listed, vgic_lr_hand_over()); none if it was
 * live neither before nor after.
 */
static inline uint32_t vgic_irq_changed(const struct vgic_cell *v, unsigned int owner,
					const struct vgic_irq *irq, uint32_t before, bool was_live)
{
	int holder;

	if (!was_live && !vgic_irq_live(v, irq))
		return 0;
	holder = irq->lr >= 0 ? vgic_lr_holder(v, owner, irq) : -1;
	return before | vgic_irq_target_mask(v, owner, irq) | (holder >= 0 ? 1u << holder : 0);
}

/* Enabled, pending and its group enabled: it would be signalled if not active. */
static inline bool vgic_irq_signalable(const struct vgic_cell *v, const struct vgic_irq *irq)
{
	uint32_t grp = irq->group1 ? GICD_CTLR_EnableGrp1 : GICD_CTLR_EnableGrp0;

	return irq->enabled && (v->gicd_ctlr & grp) && vgic_irq_pending(v, irq);
}

static inline bool vgic_irq_deliverable(const struct vgic_cell *v, const struct vgic_irq *irq)
{
	return vgic_irq_signalable(v, irq) && !irq->active;
}

/*
 * Hardware-linked @irq fired and its physical interrupt waits, active, for
 * the guest to end it through a list register with HW = 1 (its line is
 * high), yet the model will never list it so: it is neither pending nor
 * active as that firing (an active instance listed HW = 0 is one the guest
 * made itself, whose end leaves the physical interrupt alone). Left so, the
 * device could never interrupt the cell again (vgic_take_dropped()).
 */
static inline bool vgic_hw_unclaimed(const struct vgic_cell *v, const struct vgic_irq *irq)
{
	return irq->hw && irq->line_level && !vgic_irq_pending(v, irq) &&
	       !(irq->active && irq->lr_hw);
}

/* How many of spis[] are the cell's (nr_spis, never past the array). */
static inline unsigned int vgic_spi_count(const struct vgic_cell *v)
{
	return v->nr_spis < VGIC_MAX_SPIS ? v->nr_spis : VGIC_MAX_SPIS;
}

#define VGIC_SPI_SCAN 4 /* SPIs a lookup compares in turn rather than by halves */

/*
 * The index in spis[] of the first SPI the cell owns at or above @intid,
 * vgic_spi_count() if none; and the SPI @intid found so, clamped (the index
 * comes from comparing a guest's INTID), or NULL. spis[] is sorted
 * (vgic_add_spi(), its only writer, at every load).
 */
unsigned int vgic_spi_from(const struct vgic_cell *v, uint32_t intid);
struct vgic_irq *vgic_spi_search(struct vgic_cell *v, uint32_t intid);

/* The cell's SPI @intid, or NULL. */
struct vgic_irq *vgic_spi(struct vgic_cell *v, uint32_t intid);

/*
 * vgic_irq() for the INTIDs the hypervisor picks (timers, lines, list
 * registers): the private interrupts inline, and nothing to clamp.
 */
static inline struct vgic_irq *vgic_irq_fast(struct vgic_cell *v, unsigned int vcpu, uint32_t intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return vcpu < v->nr_vcpus ? &v->vcpus[vcpu].private_irqs[intid] : NULL;
	return vcpu < v->nr_vcpus ? vgic_spi(v, intid) : NULL;
}

/*
 * Something that may change what is deliverable to the vCPUs in @mask
 * happened: their next fill must look (vgic_lr_quiet()).
 */
static inline void vgic_touch(struct vgic_cell *v, uint32_t mask)
{
	unsigned int i;

	spin_assert_held(&v->lock);
	for (i = 0; mask && i < v->nr_vcpus; i++, mask >>= 1)
		if (mask & 1)
			v->vcpus[i].gen++;
}

static inline void vgic_touch_all(struct vgic_cell *v)
{
	vgic_touch(v, ~0u);
}

/* A change to @irq: its vCPU's, or everyone's for an SPI routed nowhere. */
static inline void vgic_touch_irq(struct vgic_cell *v, unsigned int owner,
				  const struct vgic_irq *irq)
{
	unsigned int t = irq->intid < VGIC_NR_PRIVATE ? owner : irq->target_vcpu;

	spin_assert_held(&v->lock);
	if (t < v->nr_vcpus)
		v->vcpus[t].gen++;
	else
		vgic_touch_all(v);
}

/* gic/vgic_lr.c's list-register bookkeeping, shared with gic/vgic_lr_let_go.c. */
void vgic_lr_hand_over(struct vgic_cell *v, unsigned int vcpu, const struct vgic_irq *irq);
void vgic_lr_fired_again(struct vgic_irq *irq);

/* The pending latch @irq's list register took (lr_latch) is the model's again. */
static inline void vgic_lr_latch_back(const struct vgic_cell *v, struct vgic_irq *irq)
{
	if (vgic_is_v2_sgi(v, irq))
		irq->sgi_sources |= (uint16_t)(1u << irq->lr_source);
	else
		irq->pending_latch = true;
}

/* Slot @slot of @vcpu's (@vc's) list registers no longer holds @irq. */
static inline void vgic_lr_release(struct vgic_cell *v, struct vgic_vcpu *vc, unsigned int vcpu,
				   struct vgic_irq *irq, unsigned int slot)
{
	spin_assert_held(&v->lock);
	vc->lr_used &= ~(1ULL << slot);
	if (!irq)
		return;
	irq->lr = -1;
	irq->lr_hw = false;
	if (irq->intid >= VGIC_NR_PRIVATE && irq->target_vcpu != vcpu)
		vgic_lr_hand_over(v, vcpu, irq);
}

#endif
