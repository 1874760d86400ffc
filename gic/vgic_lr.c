// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGIC model's list-register bookkeeping: which interrupts of a vCPU go
 * into its list registers (LRs) before an entry, and what the guest did with
 * them after an exit. The hardware side (gic/vgic_hw.c) writes and reads the
 * LRs; this file decides their contents.
 *
 * Between vgic_lr_sync() and vgic_lr_fill() the model holds everything.
 * While the guest runs, the pending state of an interrupt that went into an
 * LR lives in the LR: fill moves the latch (edge, software pend, v2 SGI
 * source) into the LR and remembers it in lr_latch; sync puts it back if the
 * LR still says pending, so an edge that arrives meanwhile is never lost.
 * A level interrupt's line stays in the model; a level interrupt without
 * the hw bit asks for an EOI maintenance interrupt so that the line is
 * sampled again once the guest is done with it.
 *
 * A hardware-linked interrupt goes into its LR with HW = 1 only while its
 * physical interrupt is active, waiting for this guest to end it: its line
 * is high (it fired and was left active, gic/vgic_hw.c). One the guest made
 * pending or active itself (GICD_ISPENDR, ISACTIVER) while the physical
 * interrupt is not goes in with HW = 0: with HW = 1 the guest's deactivation
 * would deactivate a physical interrupt that is not active, or end the
 * physical firing that came meanwhile with the software instance, which the
 * guest then never sees. KVM sets the physical interrupt active instead
 * (irq_set_irqchip_state()); here that would take writes to another CPU's
 * redistributor (a timer PPI) that GICv2 cannot make, and the model alone
 * knows which instance the guest is in. An instance with HW = 0 asks for an
 * EOI maintenance interrupt: a physical firing that came while the guest had
 * it is listed, linked, once it is done.
 */

#include "vgic.h"
#include "vgic_model.h"

/*
 * @irq, one of @vcpu's enabled interrupts (the scans visit no other), is
 * deliverable to it and not in a list register: vgic_irq_deliverable() and
 * the target test with what the scan already knows left out, each
 * predicate evaluated once. Cheapest tests first.
 */
static inline bool vgic_candidate(struct vgic_cell *v, unsigned int vcpu,
				  const struct vgic_irq *irq)
{
	uint32_t grp = irq->group1 ? GICD_CTLR_EnableGrp1 : GICD_CTLR_EnableGrp0;

	if (irq->active || irq->lr >= 0 || !(v->gicd_ctlr & grp) || !vgic_irq_pending(v, irq))
		return false;
	/* A private interrupt is its own vCPU's; an SPI goes where it is routed. */
	return irq->intid < VGIC_NR_PRIVATE || irq->target_vcpu == vcpu;
}

/*
 * A candidate into @out (sorted by priority, ties keep INTID order, at most
 * @max kept); *@found counts candidates, capped at @max + 1.
 */
static inline void vgic_consider(struct vgic_irq **out, unsigned int *found, unsigned int max,
				 struct vgic_irq *irq)
{
	unsigned int filled = *found < max ? *found : max, p = filled, k;

	while (p > 0 && irq->priority < out[p - 1]->priority)
		p--;
	if (p < max) {
		for (k = filled < max ? filled : max - 1; k > p; k--)
			out[k] = out[k - 1];
		out[p] = irq;
	}
	if (*found <= max)
		(*found)++;
}

/*
 * One scan for the @max (>= 1) best candidates of @vcpu, best first
 * (priority, then INTID), into @out. Returns how many there are, at most
 * @max + 1: more than @max means they do not all fit (an underflow
 * interrupt is wanted). Only enabled interrupts are visited.
 */
static inline __attribute__((always_inline)) unsigned int
vgic_best_n(struct vgic_cell *v, unsigned int vcpu, struct vgic_irq **out, unsigned int max)
{
	uint32_t priv = v->vcpus[vcpu].enabled_private;
	uint64_t spis = v->enabled_spis;
	unsigned int found = 0;
	struct vgic_irq *irq;

	/* Its private interrupts, then the SPIs (sorted by INTID): INTID order. */
	for (; priv; priv &= priv - 1) {
		irq = &v->vcpus[vcpu].private_irqs[__builtin_ctz(priv)];
		if (vgic_candidate(v, vcpu, irq))
			vgic_consider(out, &found, max, irq);
	}
	for (; spis; spis &= spis - 1) {
		irq = &v->spis[__builtin_ctzll(spis)];
		if (vgic_candidate(v, vcpu, irq))
			vgic_consider(out, &found, max, irq);
	}
	return found;
}

/* Any candidate at all (WFI: is there something to wake for). */
static bool vgic_any_candidate(struct vgic_cell *v, unsigned int vcpu)
{
	uint32_t priv = v->vcpus[vcpu].enabled_private;
	uint64_t spis = v->enabled_spis;

	for (; priv; priv &= priv - 1)
		if (vgic_candidate(v, vcpu, &v->vcpus[vcpu].private_irqs[__builtin_ctz(priv)]))
			return true;
	for (; spis; spis &= spis - 1)
		if (vgic_candidate(v, vcpu, &v->spis[__builtin_ctzll(spis)]))
			return true;
	return false;
}

/*
 * The LR image of @irq for @vcpu, moving any pending latch into it.
 * Returns false when the interrupt has no business in a list register.
 */
static bool vgic_lr_image(struct vgic_cell *v, unsigned int vcpu, struct vgic_irq *irq,
			  struct vgic_lr *lr)
{
	bool pend =
		vgic_irq_signalable(v, irq) && (vgic_irq_target_mask(v, vcpu, irq) & (1u << vcpu));
	unsigned int src = irq->lr_source;

	/* No pending+active for hw interrupts (the physical GIC holds pending) or for
	 * level ones (the EOI maintenance interrupt samples the line again). */
	if (irq->active && (irq->hw || irq->trigger == VGIC_LEVEL))
		pend = false;
	if (pend && vgic_is_v2_sgi(v, irq)) {
		if (!irq->active)
			src = (unsigned int)__builtin_ctz(irq->sgi_sources);
		/* an active SGI keeps the source it was taken from (EOI matches it) */
		pend = (irq->sgi_sources >> src) & 1;
	}
	if (!pend && !irq->active)
		return false;
	irq->lr_latch = false;
	if (pend && vgic_is_v2_sgi(v, irq)) {
		irq->sgi_sources &= (uint16_t) ~(1u << src);
		irq->lr_latch = true;
	} else if (pend && irq->pending_latch) {
		irq->pending_latch = false;
		irq->lr_latch = true;
	}
	irq->lr_source = (uint8_t)src;
	/* An active one stays the instance it was listed as (the file's header). */
	if (!irq->active)
		irq->lr_hw = irq->hw && irq->line_level;
	*lr = (struct vgic_lr){
		.intid = irq->intid,
		.priority = irq->priority,
		.group1 = irq->group1,
		.state = pend ? (irq->active ? VGIC_LR_PENDING_ACTIVE : VGIC_LR_PENDING)
			      : VGIC_LR_ACTIVE,
		.hw = irq->lr_hw,
		.hw_intid = irq->hw_intid,
		.source_vcpu = (uint8_t)src,
		.eoi_maintenance = !irq->lr_hw && (irq->trigger == VGIC_LEVEL || irq->hw),
	};
	return true;
}

/*
 * An SPI that was routed elsewhere while it sat in @vcpu's list registers
 * (active, or pending in an LR) and has just left them may be deliverable to
 * its new target, which learnt of the move while the SPI was still listed
 * here and found nothing: that vCPU is touched and owed a kick
 * (vgic_lr_take_kicks()). Rare: out of line.
 */
__attribute__((noinline)) void vgic_lr_hand_over(struct vgic_cell *v, unsigned int vcpu,
						 const struct vgic_irq *irq)
{
	unsigned int t = irq->target_vcpu;

	if (t < v->nr_vcpus && vgic_irq_deliverable(v, irq)) {
		vgic_touch_irq(v, vcpu, irq);
		__atomic_fetch_or(&v->vcpus[vcpu].kicks, 1u << t, __ATOMIC_RELAXED);
	}
}

/*
 * Hardware-linked SPI @irq, which the guest just deactivated through its
 * list register, had fired again on another CPU before this sync
 * (vgic_spi_fired_again()): its physical interrupt is active again, for the
 * vCPU it is routed to now. The line stays high, a new edge for an edge
 * SPI; the release that follows hands it over. Rare: out of line.
 */
__attribute__((noinline)) void vgic_lr_fired_again(struct vgic_irq *irq)
{
	irq->fired_again = false;
	if (irq->trigger == VGIC_EDGE)
		irq->pending_latch = true;
}

/* The first @free of the @found best (@best) into @empty's slots, lowest first. */
static inline __attribute__((always_inline)) void
vgic_lr_list(struct vgic_cell *v, unsigned int vcpu, struct vgic_lr *lrs, struct vgic_irq **best,
	     unsigned int found, unsigned int free, uint64_t empty)
{
	struct vgic_vcpu *vc = &v->vcpus[vcpu];
	struct vgic_irq *irq;
	unsigned int i, k;

	spin_assert_held(&v->lock);
	for (k = 0; k < found && k < free; k++, empty &= empty - 1) {
		i = (unsigned int)__builtin_ctzll(empty);
		irq = best[k];
		vgic_lr_image(v, vcpu, irq, &lrs[i]);
		irq->lr = (int8_t)i;
		vc->lr_intid[i] = (uint16_t)irq->intid;
		vc->lr_used |= 1ULL << i;
	}
}

/*
 * The fill found more candidates than free list registers: what is listed
 * and the guest has not taken (pending only) goes back to the model, latch
 * and all, and the best of everything by priority is listed. Kept in their
 * slots, four low-priority interrupts the guest masks (ICC_PMR_EL1, a
 * running priority) would keep a higher one, a pseudo-NMI, out until they
 * went. Returns whether more are still waiting than fit. Rare (an
 * overflow): out of line, off the fill's path.
 */
static __attribute__((noinline)) bool
vgic_lr_relist_by_priority(struct vgic_cell *v, unsigned int vcpu, struct vgic_lr *lrs)
{
	struct vgic_vcpu *vc = &v->vcpus[vcpu];
	struct vgic_irq *irq, *best[VGIC_MAX_LRS];
	unsigned int i, free = 0, found;
	uint64_t used, empty = 0;

	for (used = vc->lr_used; used; used &= used - 1) {
		i = (unsigned int)__builtin_ctzll(used);
		irq = vgic_irq_fast(v, vcpu, vc->lr_intid[i]);
		if (!irq || lrs[i].state != VGIC_LR_PENDING)
			continue;
		if (irq->lr_latch)
			vgic_lr_latch_back(v, irq);
		irq->lr_latch = false;
		lrs[i].state = VGIC_LR_INVALID;
		vgic_lr_release(v, vc, vcpu, irq, i);
		empty |= 1ULL << i;
		free++;
	}
	if (!free)
		return true;
	found = vgic_best_n(v, vcpu, best, free);
	vgic_lr_list(v, vcpu, lrs, best, found, free, empty);
	return found > free;
}

unsigned int vgic_lr_fill(struct vgic_cell *v, unsigned int vcpu, struct vgic_lr *lrs,
			  unsigned int nr_lrs)
{
	struct vgic_vcpu *vc;
	struct vgic_irq *irq, *best[VGIC_MAX_LRS];
	unsigned int i, free = 0, found, n = nr_lrs < VGIC_MAX_LRS ? nr_lrs : VGIC_MAX_LRS;
	uint64_t used, empty;
	bool overflow;

	if (vcpu >= v->nr_vcpus || !lrs)
		return 0;
	vc = &v->vcpus[vcpu];
	spin_lock(&v->lock);
	/* An entry left invalid is all the caller reads of it. */
	for (i = 0; i < n; i++)
		lrs[i].state = VGIC_LR_INVALID;
	for (used = vc->lr_used; used; used &= used - 1) {
		i = (unsigned int)__builtin_ctzll(used);
		irq = vgic_irq_fast(v, vcpu, vc->lr_intid[i]);
		if (i >= n || !irq || !vgic_lr_image(v, vcpu, irq, &lrs[i])) {
			/* Not deactivated from this LR: its line is still high, no new one. */
			if (irq)
				irq->fired_again = false;
			vgic_lr_release(v, vc, vcpu, irq, i);
		}
	}
	empty = ~vc->lr_used & ((1ULL << n) - 1);
	if (!vc->lr_used)
		free = n;
	else
		for (used = empty; used; used &= used - 1)
			free++;
	/* One scan for every free list register, and whether more are waiting. */
	found = free ? vgic_best_n(v, vcpu, best, free) : (unsigned int)vgic_any_candidate(v, vcpu);
	vgic_lr_list(v, vcpu, lrs, best, found, free, empty);
	overflow = found > free;
	if (__builtin_expect(overflow, 0))
		overflow = vgic_lr_relist_by_priority(v, vcpu, lrs);
	vc->settled = !overflow;
	vc->lrs_kept = false;
	vc->quiet_gen = vc->gen;
	__atomic_store_n(&vc->lrs_out, vc->lr_used != 0, __ATOMIC_RELAXED);
	spin_unlock(&v->lock);
	return (overflow ? VGIC_FILL_OVERFLOW : 0) |
	       (__atomic_load_n(&vc->kicks, __ATOMIC_RELAXED) ? VGIC_FILL_KICKS : 0);
}

bool vgic_lr_sync(struct vgic_cell *v, unsigned int vcpu, const struct vgic_lr *lrs,
		  unsigned int nr_lrs)
{
	struct vgic_vcpu *vc;
	struct vgic_irq *irq;
	unsigned int i, n = nr_lrs < VGIC_MAX_LRS ? nr_lrs : VGIC_MAX_LRS;
	enum vgic_lr_state s;
	uint64_t used;
	bool done = true, kept = true;

	if (vcpu >= v->nr_vcpus || !lrs)
		return false;
	vc = &v->vcpus[vcpu];
	spin_lock(&v->lock);
	for (used = vc->lr_used & ((1ULL << n) - 1); used; used &= used - 1) {
		i = (unsigned int)__builtin_ctzll(used);
		irq = vgic_irq_fast(v, vcpu, vc->lr_intid[i]);
		s = lrs[i].state;
		if (irq) {
			irq->active = s == VGIC_LR_ACTIVE || s == VGIC_LR_PENDING_ACTIVE;
			/* Still pending in the LR: the guest has not taken it, the latch is back.
			 */
			if ((s == VGIC_LR_PENDING || s == VGIC_LR_PENDING_ACTIVE) && irq->lr_latch)
				vgic_lr_latch_back(v, irq);
			irq->lr_latch = false;
			/*
			 * A hardware-linked interrupt the guest deactivated through an LR
			 * with HW = 1: the physical GIC has its line again and signals it
			 * anew if it is still high (unless it already did, on another
			 * CPU). With HW = 0 the physical interrupt was not the guest's to
			 * end: a line high now fired meanwhile, and is listed next.
			 */
			if (s == VGIC_LR_INVALID && irq->lr_hw) {
				if (__builtin_expect(irq->fired_again, 0))
					vgic_lr_fired_again(irq);
				else
					irq->line_level = false;
			}
		}
		if (s != VGIC_LR_INVALID || (irq && vgic_irq_pending(v, irq)))
			done = false;
		if (s != VGIC_LR_ACTIVE || !irq)
			kept = false;
		if (s == VGIC_LR_INVALID || !irq)
			vgic_lr_release(v, vc, vcpu, irq, i);
	}
	/*
	 * The guest finished everything the last fill listed (all released) and
	 * none of it is pending again: if that fill found nothing more and
	 * nothing changed since, the vCPU is quiet and the next fill may be
	 * skipped. Otherwise the LRs' news (an interrupt now inactive, a latch
	 * back) may matter to it. Unless all it listed is still there, active,
	 * and nothing else moved: then the fill may be skipped (vgic_lr_keep()).
	 */
	vc->lrs_kept = kept && vc->lr_used;
	if (!done && !vc->lrs_kept)
		vc->gen++;
	__atomic_store_n(&vc->lrs_out, false, __ATOMIC_RELAXED);
	spin_unlock(&v->lock);
	return __atomic_load_n(&vc->kicks, __ATOMIC_RELAXED) != 0;
}

/*
 * An active interrupt's image is its LR as the guest left it (no pending
 * part: a new one would have touched the vCPU, and one that came back to the
 * model would have made the sync say no), so the fill would only rewrite
 * it. Under the lock, as the fill: an access held for these LRs
 * (vgic_hold.c) either changed the model first, and this says no, or finds
 * them out again, as after a fill.
 */
bool vgic_lr_keep(struct vgic_cell *v, unsigned int vcpu)
{
	struct vgic_vcpu *vc;
	bool keep;

	if (vcpu >= v->nr_vcpus)
		return false;
	vc = &v->vcpus[vcpu];
	spin_lock(&v->lock);
	keep = vc->lrs_kept && vc->settled && vc->quiet_gen == vc->gen;
	vc->lrs_kept = false;
	if (keep)
		__atomic_store_n(&vc->lrs_out, true, __ATOMIC_RELAXED);
	spin_unlock(&v->lock);
	return keep;
}

/*
 * No lock, so atomic: another vCPU's write that lets go of an SPI this one's
 * list registers held (vgic_lr_let_go(), under the lock, once this vCPU has
 * synced) adds to the mask while its CPU may be taking it.
 */
uint32_t vgic_lr_take_kicks(struct vgic_cell *v, unsigned int vcpu)
{
	if (vcpu >= v->nr_vcpus)
		return 0;
	return __atomic_exchange_n(&v->vcpus[vcpu].kicks, 0, __ATOMIC_RELAXED);
}

/* vgic_has_pending() of a vCPU that is not quiet: out of line, with its frame. */
static __attribute__((noinline)) bool vgic_pending_scan(struct vgic_cell *v, unsigned int vcpu)
{
	struct vgic_vcpu *vc = &v->vcpus[vcpu];
	struct vgic_irq *irq;
	unsigned int i;
	uint64_t used;
	bool found;

	spin_lock(&v->lock);
	/* Not yet listed (the cheap-first scan of the fill), or still pending in its LR. */
	found = vgic_any_candidate(v, vcpu);
	for (used = vc->lr_used; !found && used; used &= used - 1) {
		i = (unsigned int)__builtin_ctzll(used);
		irq = vgic_irq_fast(v, vcpu, vc->lr_intid[i]);
		found = irq && (vgic_irq_target_mask(v, vcpu, irq) & (1u << vcpu)) &&
			vgic_irq_deliverable(v, irq);
	}
	spin_unlock(&v->lock);
	return found;
}

/*
 * Quiet: nothing deliverable, and nothing changed since that was found. A
 * vCPU that waits (WFI) is mostly quiet, its last interrupt finished: that
 * is tested before any register is saved.
 */
bool vgic_has_pending(struct vgic_cell *v, unsigned int vcpu)
{
	if (vcpu >= v->nr_vcpus || vgic_lr_quiet(v, vcpu))
		return false;
	return vgic_pending_scan(v, vcpu);
}
