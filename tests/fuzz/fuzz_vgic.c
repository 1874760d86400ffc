// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the vGIC model (gic/vgic*.c) as guests drive it. The
 * input is a program, run on one cell of 4 vCPUs (GICv3 or GICv2 by its first
 * byte), whose steps are what a guest can do (distributor, redistributor,
 * ICC_SGI1R_EL1 and ICC_SGI0R_EL1 accesses of any offset, size and value;
 * progress of its list registers: acknowledge, deactivate, with or without
 * an exit; PSCI CPU_OFF and CPU_ON) and what arrives from outside (device
 * lines and edges, to owned and foreign INTIDs). The hardware side's
 * contract is kept: each vCPU's fill and sync alternate (a vCPU that exited
 * enters again before its guest does anything), an access is handled
 * between its vCPU's sync and fill, the vCPUs a step says to kick exit
 * (sync, fill) at the next "kicks arrive" step, and a vCPU that turned
 * itself off (sync, vgic_lr_vcpu_off()) is neither synced nor filled nor
 * kicked until it turns on (its CPU interface reset, as
 * vgic_hw_vcpu_reset(), then a fill).
 *
 * The two forwarded SPIs (hw) go through a model of the physical GIC, as
 * gic/vgic_hw.c drives it: a device line or edge makes one pending; it
 * fires (vgic_spi_fired(), then vgic_spi_fired_again() on VGIC_LINE_AGAIN)
 * only while it is not active, on the CPU of the vCPU the guest last routed
 * it to (vgic_hw_route_spi()), which exits first; firing leaves it active
 * until a guest deactivates the HW=1 list register holding it or the model
 * reports it dropped (vgic_take_dropped()).
 *
 * Besides any sanitizer report, the model fails when it disagrees with itself:
 *   - the LR bookkeeping (lr_used, lr_intid, each interrupt's lr) and the
 *     images the fill wrote name different interrupts;
 *   - a vCPU reported quiet gets a valid LR from its next fill; with no
 *     list register live its fill is skipped, as vgic_hw_flush() skips it,
 *     and a fill on a copy of the model must list nothing (since
 *     2026-11-24: the real fill had put right, unseen, what a change that
 *     touched no vCPU left);
 *   - a keep (the fill skipped, vgic_lr_keep()) leaves list registers other
 *     than those a fill would have written (it is tried before every fill);
 *   - a fill that did not overflow left a deliverable interrupt of its vCPU
 *     out of every list register;
 *   - after a sync, a vCPU with an unlisted deliverable interrupt is not
 *     reported pending (a WFI would sleep through it);
 *   - once the kicks arrived, a vCPU with a free list register has an
 *     unlisted deliverable interrupt (a change nobody was kicked for);
 *   - a vCPU that turned off keeps in its list registers anything but what
 *     was active there; and in all of the above, an interrupt only an off
 *     vCPU's list registers hold counts as unlisted: an SPI pending there
 *     and routed to a vCPU that is on must reach that vCPU, not wait for
 *     the off one to come back;
 *   - a forwarded SPI stays active at the physical GIC while no list
 *     register holds it and the model has it neither pending nor active
 *     (the device could never interrupt the cell again);
 *   - a forwarded SPI fires and the model still answers VGIC_LINE_AGAIN:
 *     no guest deactivated it behind another's back here, so the firing,
 *     an edge, would be lost;
 *   - a guest deactivates, through a list register with HW = 1, a forwarded
 *     SPI that is not active at the physical GIC (one it pended or
 *     activated itself must be listed with HW = 0).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_vgic"
#include "fuzz_program.h"
#include "../../gic/vgic_model.h"
#include "vgic.h"

#define NR_VCPUS 4
#define NR_LRS	 4 /* few, so that fills overflow */

/* Owned SPIs: the console's, devices' (two forwarded from hardware), a doorbell. */
static const uint32_t spis[] = { 33, 34, 40, 63, 64, 100, 1000 };
#define NR_HW_SPIS 2
static const uint32_t hw_spis[NR_HW_SPIS] = { 34, 40 };

static struct vgic_cell cell;
static bool trace; /* FUZZ_VGIC_TRACE=1: each step on stderr, to read a finding */

#define TRACE(...)                                    \
	do {                                          \
		if (trace)                            \
			fprintf(stderr, __VA_ARGS__); \
	} while (0)
static struct vgic_lr lrs[NR_VCPUS][NR_LRS];
static bool overflowed[NR_VCPUS];
static uint32_t kicks;
static bool exited[NR_VCPUS];	   /* synced, not filled since: out of its guest */
static bool powered_off[NR_VCPUS]; /* turned itself off (PSCI CPU_OFF), until a CPU_ON */

/* A forwarded SPI as the physical GIC has it. */
struct phys_spi {
	bool line;	  /* the device asserts it (level) */
	bool edge;	  /* an edge latched, not taken yet */
	bool active;	  /* taken at EL2 (priority dropped only), not deactivated */
	unsigned int cpu; /* the vCPU whose CPU takes it (vgic_hw_route_spi()) */
};
static struct phys_spi phys[NR_HW_SPIS];

/* The physical state of forwarded SPI @intid, or NULL. */
static struct phys_spi *phys_of(uint32_t intid)
{
	for (unsigned int i = 0; i < NR_HW_SPIS; i++)
		if (hw_spis[i] == intid)
			return &phys[i];
	return NULL;
}

/*
 * Is @irq (@owner's, if private) in the list registers of a vCPU that is on,
 * by the model's own bookkeeping? An off vCPU's guest takes nothing from
 * them until it is back.
 */
static bool listed(const struct vgic_irq *irq, unsigned int owner)
{
	int u = vgic_lr_holder(&cell, owner, irq);

	return u >= 0 && !powered_off[u];
}

static bool targets(const struct vgic_irq *irq, unsigned int owner, unsigned int vcpu)
{
	return vgic_irq_target_mask(&cell, owner, irq) & (1u << vcpu);
}

/* An interrupt deliverable to @vcpu that no list register holds, or NULL. */
static const struct vgic_irq *unlisted(unsigned int vcpu)
{
	for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++) {
		const struct vgic_irq *irq = &cell.vcpus[vcpu].private_irqs[i];

		if (vgic_irq_deliverable(&cell, irq) && !listed(irq, vcpu))
			return irq;
	}
	for (unsigned int i = 0; i < cell.nr_spis; i++) {
		const struct vgic_irq *irq = &cell.spis[i];

		if (targets(irq, vcpu, vcpu) && vgic_irq_deliverable(&cell, irq) &&
		    !listed(irq, vcpu))
			return irq;
	}
	return NULL;
}

/* The best (lowest) priority of what is deliverable to @vcpu and unlisted; 0x100 if none. */
static unsigned int best_unlisted_priority(unsigned int vcpu)
{
	unsigned int best = 0x100;

	for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++) {
		const struct vgic_irq *irq = &cell.vcpus[vcpu].private_irqs[i];

		if (vgic_irq_deliverable(&cell, irq) && !listed(irq, vcpu) && irq->priority < best)
			best = irq->priority;
	}
	for (unsigned int i = 0; i < cell.nr_spis; i++) {
		const struct vgic_irq *irq = &cell.spis[i];

		if (targets(irq, vcpu, vcpu) && vgic_irq_deliverable(&cell, irq) &&
		    !listed(irq, vcpu) && irq->priority < best)
			best = irq->priority;
	}
	return best;
}

/* After an overflow, nothing the guest has not taken is listed ahead of a better one. */
static void check_priority_order(unsigned int vcpu)
{
	unsigned int best = best_unlisted_priority(vcpu);

	for (unsigned int n = 0; n < NR_LRS; n++)
		CHECK(lrs[vcpu][n].state != VGIC_LR_PENDING || lrs[vcpu][n].priority <= best,
		      "vcpu%u: LR%u lists INTID %u (priority 0x%x) pending while priority 0x%x "
		      "waits unlisted",
		      vcpu, n, lrs[vcpu][n].intid, lrs[vcpu][n].priority, best);
}

static void check_bookkeeping(unsigned int vcpu)
{
	const struct vgic_vcpu *vc = &cell.vcpus[vcpu];

	CHECK(!(vc->lr_used >> NR_LRS), "vcpu%u: lr_used 0x%lx beyond %d LRs", vcpu,
	      (unsigned long)vc->lr_used, NR_LRS);
	for (unsigned int n = 0; n < NR_LRS; n++) {
		bool used = vc->lr_used & (1ULL << n);
		const struct vgic_irq *irq = used ? vgic_irq(&cell, vcpu, vc->lr_intid[n]) : NULL;

		CHECK(!used || (irq && irq->lr == (int8_t)n), "vcpu%u: LR%u names INTID %u", vcpu,
		      n, vc->lr_intid[n]);
		CHECK(used || lrs[vcpu][n].state == VGIC_LR_INVALID,
		      "vcpu%u: LR%u valid (INTID %u) but not in lr_used", vcpu, n,
		      lrs[vcpu][n].intid);
		CHECK(!used || lrs[vcpu][n].intid == vc->lr_intid[n],
		      "vcpu%u: LR%u holds INTID %u, the model says %u", vcpu, n, lrs[vcpu][n].intid,
		      vc->lr_intid[n]);
	}
}

static void kick(int mask)
{
	if (mask > 0)
		kicks |= (uint32_t)mask & ((1u << NR_VCPUS) - 1);
}

/* The model hands @vcpu's interrupts to others (never to @vcpu), and says so. */
static void take_kicks(unsigned int vcpu, bool said)
{
	uint32_t mask = vgic_lr_take_kicks(&cell, vcpu);

	CHECK(!(mask & (1u << vcpu)) && mask < (1u << NR_VCPUS), "vcpu%u: kicks 0x%x", vcpu, mask);
	CHECK(said == (mask != 0), "vcpu%u: kicks 0x%x, announced %d", vcpu, mask, said);
	kick((int)mask);
}

/* Two images of one list register, as the guest's CPU interface would see them. */
static bool same_lr(const struct vgic_lr *a, const struct vgic_lr *b)
{
	if (a->state == VGIC_LR_INVALID || b->state == VGIC_LR_INVALID)
		return a->state == b->state;
	return a->intid == b->intid && a->state == b->state && a->priority == b->priority &&
	       a->group1 == b->group1 && a->hw == b->hw && (!a->hw || a->hw_intid == b->hw_intid) &&
	       a->source_vcpu == b->source_vcpu && a->eoi_maintenance == b->eoi_maintenance;
}

/*
 * vgic_lr_keep() said the list registers stay: a fill, made on a copy of the
 * model, must agree with them entry for entry, without overflow or kicks.
 */
static void check_keep(unsigned int vcpu)
{
	static struct vgic_cell copy;
	struct vgic_lr would[NR_LRS];
	unsigned int ret;

	TRACE("  keep vcpu%u\n", vcpu);
	copy = cell;
	ret = vgic_lr_fill(&copy, vcpu, would, NR_LRS);
	CHECK(!ret, "vcpu%u: kept its list registers, but a fill returns 0x%x", vcpu, ret);
	for (unsigned int n = 0; n < NR_LRS; n++)
		CHECK(same_lr(&lrs[vcpu][n], &would[n]),
		      "vcpu%u: kept LR%u (INTID %u state %d), a fill writes INTID %u state %d",
		      vcpu, n, lrs[vcpu][n].intid, lrs[vcpu][n].state, would[n].intid,
		      would[n].state);
	check_bookkeeping(vcpu);
}

/* Does a list register of @vcpu hold something (gic/vgic_hw.c: vgic_hw_lr_live)? */
static bool lrs_live(unsigned int vcpu)
{
	for (unsigned int n = 0; n < NR_LRS; n++)
		if (lrs[vcpu][n].state != VGIC_LR_INVALID)
			return true;
	return false;
}

/*
 * vgic_lr_quiet() said the fill may be skipped, and as vgic_hw_flush() it
 * is: a fill, made on a copy of the model, must list nothing, without
 * overflow or kicks. The real model is left as the skip leaves it, so that
 * what a fill would have put right (a change nobody touched the vCPU for:
 * a register access, a line, an SGI) shows here or at a later check.
 */
static void check_quiet(unsigned int vcpu)
{
	static struct vgic_cell copy;
	struct vgic_lr would[NR_LRS];
	unsigned int ret;

	TRACE("  quiet vcpu%u\n", vcpu);
	copy = cell;
	ret = vgic_lr_fill(&copy, vcpu, would, NR_LRS);
	CHECK(!ret, "vcpu%u: quiet, but a fill returns 0x%x", vcpu, ret);
	for (unsigned int n = 0; n < NR_LRS; n++)
		CHECK(would[n].state == VGIC_LR_INVALID,
		      "vcpu%u: quiet, the fill skipped, but a fill lists INTID %u in LR%u", vcpu,
		      would[n].intid, n);
	check_bookkeeping(vcpu);
}

static void fill(unsigned int vcpu)
{
	bool quiet = vgic_lr_quiet(&cell, vcpu);
	const struct vgic_irq *left;
	unsigned int ret;

	CHECK(!powered_off[vcpu], "harness: fill of vcpu%u, which is off", vcpu);
	exited[vcpu] = false;
	if (quiet && !lrs_live(vcpu)) {
		check_quiet(vcpu);
		return;
	}
	if (vgic_lr_keep(&cell, vcpu)) {
		check_keep(vcpu);
		return;
	}
	ret = vgic_lr_fill(&cell, vcpu, lrs[vcpu], NR_LRS);

	overflowed[vcpu] = ret & VGIC_FILL_OVERFLOW;
	take_kicks(vcpu, ret & VGIC_FILL_KICKS);
	for (unsigned int n = 0; n < NR_LRS; n++)
		TRACE("  fill vcpu%u LR%u: INTID %u state %d\n", vcpu, n, lrs[vcpu][n].intid,
		      lrs[vcpu][n].state);
	/* gic/vgic_hw.c writes only these: the valid images, and no other. */
	for (unsigned int n = 0; n < NR_LRS; n++)
		CHECK(!(vgic_lr_listed(&cell, vcpu) & (1ULL << n)) ==
			      (lrs[vcpu][n].state == VGIC_LR_INVALID),
		      "vcpu%u: LR%u state %d after the fill, but vgic_lr_listed() 0x%lx", vcpu, n,
		      lrs[vcpu][n].state, (unsigned long)vgic_lr_listed(&cell, vcpu));
	CHECK(!(vgic_lr_listed(&cell, vcpu) >> NR_LRS), "vcpu%u: listed 0x%lx beyond %d LRs", vcpu,
	      (unsigned long)vgic_lr_listed(&cell, vcpu), NR_LRS);
	for (unsigned int n = 0; n < NR_LRS && quiet; n++)
		CHECK(lrs[vcpu][n].state == VGIC_LR_INVALID,
		      "vcpu%u: reported quiet, then the fill listed INTID %u", vcpu,
		      lrs[vcpu][n].intid);
	left = overflowed[vcpu] ? NULL : unlisted(vcpu);
	CHECK(!left, "vcpu%u: fill without overflow left INTID %u out", vcpu,
	      left ? left->intid : 0);
	if (overflowed[vcpu])
		check_priority_order(vcpu);
	check_bookkeeping(vcpu);
}

static void sync(unsigned int vcpu)
{
	const struct vgic_irq *left;

	CHECK(!powered_off[vcpu] && !exited[vcpu], "harness: sync of vcpu%u, off %d, out %d", vcpu,
	      powered_off[vcpu], exited[vcpu]);
	exited[vcpu] = true;
	take_kicks(vcpu, vgic_lr_sync(&cell, vcpu, lrs[vcpu], NR_LRS));
	left = unlisted(vcpu);
	CHECK(!left || vgic_has_pending(&cell, vcpu),
	      "vcpu%u: INTID %u deliverable and unlisted, but nothing pending", vcpu,
	      left ? left->intid : 0);
}

/*
 * The guest's deactivation of a virtual interrupt in an HW=1 list register
 * deactivates the physical one (IHI 0069 §4.4.1, IHI 0048 §5.2.1).
 */
static void phys_deactivate(uint32_t intid)
{
	struct phys_spi *p = phys_of(intid);

	if (p)
		p->active = false;
}

/* ... which must be active then: the model links only a firing left for this guest. */
static void guest_deactivates_linked(unsigned int vcpu, unsigned int n)
{
	const struct phys_spi *p = phys_of(lrs[vcpu][n].hw_intid);

	CHECK(!p || p->active,
	      "vcpu%u: LR%u (HW=1) deactivates INTID %u, which is not active at the physical GIC",
	      vcpu, n, lrs[vcpu][n].hw_intid);
	phys_deactivate(lrs[vcpu][n].hw_intid);
}

/* @vcpu's guest runs (entered again first, if it had exited): no exit yet. */
static void enter(unsigned int vcpu)
{
	if (exited[vcpu])
		fill(vcpu);
}

/* @vcpu's guest traps (or an interrupt takes its CPU to EL2): it exits. */
static void trap(unsigned int vcpu)
{
	enter(vcpu);
	sync(vcpu);
}

/* The guest on @vcpu works on its list registers, two bits of @how each. */
static void guest_progress(unsigned int vcpu, uint64_t how)
{
	enter(vcpu);
	for (unsigned int n = 0; n < NR_LRS; n++, how >>= 2) {
		enum vgic_lr_state *s = &lrs[vcpu][n].state, was = *s;

		switch (how & 3) {
		case 1: /* acknowledge (ICC_IAR1_EL1) */
			if (*s == VGIC_LR_PENDING)
				*s = VGIC_LR_ACTIVE;
			break;
		case 2: /* deactivate (ICC_EOIR1_EL1 with EOImode 0, or ICC_DIR_EL1) */
			if (*s == VGIC_LR_ACTIVE)
				*s = VGIC_LR_INVALID;
			else if (*s == VGIC_LR_PENDING_ACTIVE)
				*s = VGIC_LR_PENDING;
			break;
		case 3: /* both */
			if (*s == VGIC_LR_PENDING || *s == VGIC_LR_ACTIVE)
				*s = VGIC_LR_INVALID;
			break;
		default:
			break;
		}
		/* Cases 2 and 3 change a state only by deactivating it. */
		if ((how & 3) >= 2 && *s != was && lrs[vcpu][n].hw)
			guest_deactivates_linked(vcpu, n);
	}
}

/* The kicked vCPUs exit and re-enter; then nobody may miss a change. */
static void kicks_arrive(void)
{
	const struct vgic_irq *left;
	unsigned int rounds = 0;

	TRACE("kicks 0x%x arrive\n", kicks);
	/* A vCPU's exit may owe others a kick in turn: until none is left. */
	while (kicks) {
		uint32_t now = kicks;

		CHECK(++rounds <= 2 * NR_VCPUS, "vCPUs keep kicking each other (0x%x)", now);
		kicks = 0;
		/* A kick finds no off vCPU: it is not in its guest. */
		for (unsigned int vcpu = 0; vcpu < NR_VCPUS; vcpu++)
			if ((now & (1u << vcpu)) && !powered_off[vcpu]) {
				if (!exited[vcpu])
					sync(vcpu);
				fill(vcpu);
			}
	}
	/* By the model's count: a guest that worked on its LRs has not exited yet. */
	for (unsigned int vcpu = 0; vcpu < NR_VCPUS; vcpu++) {
		bool free_lr = (~cell.vcpus[vcpu].lr_used) & ((1u << NR_LRS) - 1);

		left = free_lr && !powered_off[vcpu] ? unlisted(vcpu) : NULL;
		CHECK(!left, "vcpu%u: INTID %u became deliverable and nobody kicked it", vcpu,
		      left ? left->intid : 0);
	}
}

static int access_once(unsigned int vcpu, bool redist, uint64_t off, struct mmio_access *acc)
{
	if (redist && cell.version == 3) {
		acc->ipa = LAYOUT_VGICR_BASE + off;
		return vgic_redist_access(&cell, vcpu, off, acc);
	}
	acc->ipa = LAYOUT_VGICD_BASE + off;
	return vgic_dist_access(&cell, vcpu, off, acc);
}

/*
 * As gic/vgic_hold.c: an access to state other vCPUs' list registers hold
 * is refused until they have synced (kicked out; they refill later), then
 * made. Refused only while some other vCPU's list registers are out.
 */
static int access_held(unsigned int vcpu, bool redist, uint64_t off, struct mmio_access *acc)
{
	struct mmio_access again = *acc;
	uint32_t out = 0;
	int ret = access_once(vcpu, redist, off, acc);

	if (ret != -EBUSY)
		return ret;
	for (unsigned int u = 0; u < NR_VCPUS; u++)
		if (u != vcpu && cell.vcpus[u].lrs_out)
			out |= 1u << u;
	CHECK(out, "vcpu%u: access 0x%lx refused, no other vCPU's LRs out", vcpu,
	      (unsigned long)off);
	TRACE("  refused: vCPUs 0x%x sync first\n", out);
	for (unsigned int u = 0; u < NR_VCPUS; u++)
		if (out & (1u << u))
			sync(u);
	kicks |= out;
	*acc = again;
	ret = access_once(vcpu, redist, off, acc);
	CHECK(ret != -EBUSY, "vcpu%u: access 0x%lx refused after every other vCPU synced", vcpu,
	      (unsigned long)off);
	return ret;
}

/* @vcpu's guest accesses the distributor (or its redistributor, @redist on v3) at @off. */
static void guest_do(unsigned int vcpu, bool redist, uint64_t off, struct mmio_access *acc)
{
	bool dist = !(redist && cell.version == 3), routes;
	int ret;

	trap(vcpu);
	if (dist)
		off &= 0xffff;
	ret = access_held(vcpu, redist, off, acc);
	TRACE("vcpu%u %s %s 0x%lx size %u value 0x%lx: ret %d\n", vcpu, dist ? "GICD" : "GICR",
	      acc->write ? "write" : "read", (unsigned long)off, acc->size,
	      (unsigned long)acc->value, ret);
	CHECK(ret < (1 << NR_VCPUS), "access 0x%lx: kick mask 0x%x", (unsigned long)off, ret);
	kick(ret & ~(1 << vcpu));
	/* As vgic_hw_dist_access(): a routing write moves the physical routes... */
	routes = ret >= 0 && acc->write && dist && vgic_dist_routes(&cell, off);
	for (unsigned int i = 0; i < NR_HW_SPIS && routes; i++) {
		const struct vgic_irq *irq = vgic_irq(&cell, 0, hw_spis[i]);

		if (irq->target_vcpu < NR_VCPUS)
			phys[i].cpu = irq->target_vcpu;
	}
	/* ... which then are where the model routes them (none: where they were). */
	for (unsigned int i = 0; i < NR_HW_SPIS; i++) {
		const struct vgic_irq *irq = vgic_irq(&cell, 0, hw_spis[i]);

		CHECK(irq->target_vcpu >= NR_VCPUS || phys[i].cpu == irq->target_vcpu,
		      "INTID %u routed to vcpu%u, physically still to vcpu%u's CPU: the write at "
		      "0x%lx was not taken for a routing one",
		      irq->intid, irq->target_vcpu, phys[i].cpu, (unsigned long)off);
	}
	/*
	 * ... and a dropped SPI is deactivated, and no LR may hold it but as
	 * the guest's own active instance (HW = 0). Under the model's lock, as
	 * gic/vgic_hw_access.c's deactivate_dropped() takes them.
	 */
	spin_lock(&cell.lock);
	for (uint64_t d = vgic_take_dropped(&cell); d; d &= d - 1) {
		const struct vgic_irq *irq = &cell.spis[__builtin_ctzll(d)];

		TRACE("  INTID %u dropped\n", irq->intid);
		CHECK(irq->hw && !irq->line_level && (irq->lr < 0 || (irq->active && !irq->lr_hw)),
		      "INTID %u dropped, lr %d, lr_hw %d", irq->intid, irq->lr, irq->lr_hw);
		phys_deactivate(irq->hw_intid);
	}
	spin_unlock(&cell.lock);
	fill(vcpu);
}

static void guest_access(struct program *pr, unsigned int vcpu, bool redist)
{
	static const unsigned int sizes[] = { 4, 8, 1, 2, 4, 4, 3, 16 };
	uint64_t off = take(pr, 3);
	struct mmio_access acc = { 0 };

	acc.size = sizes[take(pr, 1) & 7];
	acc.write = off & 1;
	acc.value = take(pr, 8);
	guest_do(vcpu, redist, off >> 1, &acc);
}

/* @vcpu's guest writes @value, @size bytes, as guest_do(). */
static void guest_write(unsigned int vcpu, bool redist, uint64_t off, unsigned int size,
			uint64_t value)
{
	struct mmio_access acc = { .size = size, .write = true, .value = value };

	guest_do(vcpu, redist, off, &acc);
}

/*
 * @vcpu's guest routes the SPI @which picks to the vCPU it names (an affinity
 * change, which Linux makes whether the SPI is active or not): the moves
 * that both list-register hand-overs are about, in one step.
 */
static void guest_route(unsigned int vcpu, unsigned int which)
{
	uint32_t intid = spis[(which & 7) % (sizeof(spis) / sizeof(spis[0]))];
	unsigned int to = (which >> 4) % NR_VCPUS;

	if (cell.version == 3) /* GICD_IROUTER<n>: Aff0 */
		guest_write(vcpu, false, 0x6000 + 8 * intid, 8, to);
	else /* GICD_ITARGETSR<n>, a byte */
		guest_write(vcpu, false, 0x800 + intid, 1, 1u << to);
}

/*
 * With input bit 1, the program starts where a guest's GIC driver has
 * brought the cell: both groups on, and every interrupt enabled (each vCPU
 * its own SGIs and PPIs), so that fewer steps reach what devices and
 * routing do with them.
 */
static void guest_booted(void)
{
	static const uint32_t spi_words[] = { 1, 2, 3, 31 }; /* the words of spis[] */

	guest_write(0, false, 0x000, 4, 3); /* GICD_CTLR: EnableGrp0, EnableGrp1 */
	for (unsigned int i = 0; i < sizeof(spi_words) / sizeof(spi_words[0]); i++)
		guest_write(0, false, 0x100 + 4 * spi_words[i], 4, ~0u); /* GICD_ISENABLER<n> */
	for (unsigned int vcpu = 0; vcpu < NR_VCPUS; vcpu++)
		if (cell.version == 3) /* GICR_ISENABLER0, in its SGI_base frame */
			guest_write(vcpu, true, LAYOUT_VGICR_STRIDE * vcpu + 0x10000 + 0x100, 4,
				    ~0u);
		else /* GICD_ISENABLER0, banked */
			guest_write(vcpu, false, 0x100, 4, ~0u);
	kicks_arrive();
}

/*
 * Forwarded SPI @intid (@p) fires if it is pending and not active at the
 * physical GIC, as gic/vgic_hw.c spi_irq() takes it: on the CPU of the vCPU
 * it is routed to, whose guest exits first (an off vCPU's CPU waits outside
 * it), active from now on. No guest in this program deactivates it behind
 * another's back (direct interrupt mode), so the model must never find
 * that it did: a line still high is one a guest deactivated through its
 * list register while another CPU took the new firing.
 */
static void phys_fire(uint32_t intid, struct phys_spi *p)
{
	unsigned int here = p->cpu;
	int target;

	if (p->active || !(p->line || p->edge))
		return;
	if (!powered_off[here])
		trap(here);
	p->active = true;
	p->edge = false;
	target = vgic_spi_fired(&cell, intid);
	TRACE("INTID %u fires on vcpu%u's CPU: %d\n", intid, here, target);
	if (target == VGIC_LINE_AGAIN) {
		target = vgic_spi_fired_again(&cell, intid, (int)here);
		TRACE("  fired again: %d\n", target);
	}
	CHECK(target != VGIC_LINE_AGAIN,
	      "INTID %u fired on vcpu%u's CPU and the model still says VGIC_LINE_AGAIN: "
	      "the firing is lost",
	      intid, here);
	CHECK(target < NR_VCPUS, "INTID %u fired: kick vCPU %d of %d", intid, target, NR_VCPUS);
	if (target >= 0 && (unsigned int)target != here)
		kick(1 << target);
	if (!powered_off[here])
		fill(here);
}

/* A device's line (@level) or edge (!@level) on forwarded SPI @intid: pending, maybe fired. */
static void device(uint32_t intid, struct phys_spi *p, bool level, bool high)
{
	TRACE("device %s INTID %u\n", level ? (high ? "asserts" : "deasserts") : "edge", intid);
	if (level)
		p->line = high;
	else
		p->edge = true;
	phys_fire(intid, p);
}

/*
 * PSCI CPU_OFF, as partitions/vpsci.c: the HVC exits (sync), then
 * vgic_hw_vcpu_off(). What the vCPU's list registers still hold must be
 * active there: what they held pending went back to the model.
 */
static void vcpu_off(unsigned int vcpu)
{
	const struct vgic_vcpu *vc = &cell.vcpus[vcpu];
	uint32_t mask;

	trap(vcpu);
	mask = vgic_lr_vcpu_off(&cell, vcpu);
	TRACE("vcpu%u turns off: kick 0x%x\n", vcpu, mask);
	CHECK(!(mask & (1u << vcpu)) && mask < (1u << NR_VCPUS), "vcpu%u off: kicks 0x%x", vcpu,
	      mask);
	kick((int)mask);
	powered_off[vcpu] = true;
	for (unsigned int n = 0; n < NR_LRS; n++) {
		const struct vgic_irq *irq =
			(vc->lr_used >> n) & 1 ? vgic_irq(&cell, vcpu, vc->lr_intid[n]) : NULL;

		CHECK(!irq || irq->active, "vcpu%u turned off with INTID %u in LR%u, not active",
		      vcpu, irq ? irq->intid : 0, n);
	}
}

/*
 * PSCI CPU_ON, as arch_vcpu_enter(): vgic_hw_vcpu_reset() (list registers
 * empty, what they held active ended, the timers' lines low), then the fill.
 */
static void vcpu_on(unsigned int vcpu)
{
	uint32_t hw[VGIC_MAX_LRS], mask;
	unsigned int n;

	TRACE("vcpu%u turns on\n", vcpu);
	powered_off[vcpu] = false;
	memset(lrs[vcpu], 0, sizeof(lrs[vcpu]));
	n = vgic_lr_vcpu_reset(&cell, vcpu, hw, &mask);
	CHECK(n <= NR_LRS && !(mask & (1u << vcpu)) && mask < (1u << NR_VCPUS),
	      "vcpu%u on: %u to deactivate, kicks 0x%x", vcpu, n, mask);
	CHECK(!cell.vcpus[vcpu].lr_used, "vcpu%u on: list registers still held", vcpu);
	while (n)
		phys_deactivate(hw[--n]);
	kick((int)mask);
	vgic_set_level(&cell, vcpu, VGIC_INTID_VTIMER, false);
	vgic_set_level(&cell, vcpu, VGIC_INTID_PTIMER, false);
	fill(vcpu);
}

/* A forwarded SPI left active at the physical GIC must be the model's to end. */
static void check_phys(void)
{
	for (unsigned int i = 0; i < NR_HW_SPIS; i++) {
		const struct vgic_irq *irq = vgic_irq(&cell, 0, hw_spis[i]);

		CHECK(!phys[i].active || irq->lr >= 0 || vgic_irq_pending(&cell, irq) ||
			      irq->active,
		      "INTID %u active at the physical GIC, in no list register, neither pending "
		      "nor active in the model (line %d): the device never interrupts again",
		      irq->intid, irq->line_level);
	}
}

/* Steps of kind 6, by op bits 5-7 (0 and the rest: "kicks arrive", as kind 7). */
enum {
	STEP_KICKS,
	STEP_GUEST_WORKS, /* the guest works on its list registers, no exit yet */
	STEP_OFF,	  /* PSCI CPU_OFF */
	STEP_ON,	  /* PSCI CPU_ON, from another vCPU */
	STEP_FIRE,	  /* a forwarded SPI (op bit 3) fires if it can */
	STEP_ROUTE,	  /* the guest routes an SPI to a vCPU */
};

/* A step of kind 6 on @vcpu; false for "kicks arrive". */
static bool step_more(struct program *pr, unsigned int op, unsigned int vcpu)
{
	uint64_t arg;

	switch (op >> 5) {
	case STEP_GUEST_WORKS:
		arg = take(pr, 1);
		if (!powered_off[vcpu]) {
			TRACE("vcpu%u's guest works on its LRs\n", vcpu);
			guest_progress(vcpu, arg);
		}
		return true;
	case STEP_OFF:
		if (!powered_off[vcpu])
			vcpu_off(vcpu);
		return true;
	case STEP_ON:
		if (powered_off[vcpu])
			vcpu_on(vcpu);
		return true;
	case STEP_FIRE:
		phys_fire(hw_spis[(op >> 3) & 1], &phys[(op >> 3) & 1]);
		return true;
	case STEP_ROUTE:
		arg = take(pr, 1);
		if (!powered_off[vcpu])
			guest_route(vcpu, (unsigned int)arg);
		return true;
	default:
		return false;
	}
}

static void step(struct program *pr, unsigned int op)
{
	unsigned int vcpu = (op >> 3) % NR_VCPUS;
	struct phys_spi *p;
	uint32_t intid;
	int target;

	/* An off vCPU's guest does nothing: its steps take their operands, and no more. */
	if (powered_off[vcpu] && (op & 7) <= 2) {
		take(pr, (op & 7) == 2 ? (cell.version == 3 ? 8 : 0) : 3 + 1 + 8); /* as taken */
		return;
	}
	switch (op & 7) {
	case 0:
	case 1:
		guest_access(pr, vcpu, op & 1);
		break;
	case 2: /* ICC_SGI1R_EL1, or ICC_SGI0R_EL1 (op bit 7) */
		trap(vcpu);
		if (cell.version == 3) {
			uint64_t value = take(pr, 8);
			bool g0 = op & 0x80;
			uint32_t mask = g0 ? vgic_sgi0r(&cell, vcpu, value)
					   : vgic_sgi1r(&cell, vcpu, value);

			TRACE("vcpu%u ICC_SGI%uR_EL1 0x%lx: kick 0x%x\n", vcpu, g0 ? 0 : 1,
			      (unsigned long)value, mask);
			kick((int)(mask & ~(1u << vcpu)));
		}
		fill(vcpu);
		break;
	case 3: /* a level line or an edge, owned or not (a private one on @vcpu) */
	case 4:
		intid = (uint32_t)take(pr, 2) % 1024;
		p = phys_of(intid);
		if (p) {
			device(intid, p, (op & 7) == 3, op & 0x80);
			break;
		}
		if (powered_off[vcpu] && intid < VGIC_NR_PRIVATE)
			break; /* its timers are stopped (vgic_hw.c timer_irq()) */
		target = (op & 7) == 4 ? vgic_set_edge(&cell, vcpu, intid)
				       : vgic_set_level(&cell, vcpu, intid, op & 0x80);
		TRACE("%s INTID %u (vcpu%u): kick %d\n", (op & 7) == 4 ? "edge" : "level", intid,
		      vcpu, target);
		CHECK(target < NR_VCPUS, "INTID %u: kick vCPU %d of %d", intid, target, NR_VCPUS);
		kick(target >= 0 ? 1 << target : 0);
		break;
	case 5: /* the guest runs on @vcpu, then exits */
		if (powered_off[vcpu]) {
			take(pr, 1);
			break;
		}
		TRACE("vcpu%u runs\n", vcpu);
		guest_progress(vcpu, take(pr, 1));
		sync(vcpu);
		fill(vcpu);
		break;
	case 6:
		if (step_more(pr, op, vcpu))
			break;
		/* fall through */
	default:
		kicks_arrive();
		break;
	}
	check_phys();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct program pr = { data, size };
	unsigned int first = (unsigned int)take(&pr, 1);
	int version = (first & 1) ? 3 : 2;

	trace = getenv("FUZZ_VGIC_TRACE") != NULL;
	TRACE("GICv%d\n", version);

	memset(&cell, 0, sizeof(cell));
	memset(lrs, 0, sizeof(lrs));
	memset(phys, 0, sizeof(phys)); /* routed to vCPU 0 (vgic_hw_cell_init()) */
	memset(powered_off, 0, sizeof(powered_off));
	memset(exited, 1, sizeof(exited)); /* none entered yet */
	kicks = 0;
	if (vgic_init(&cell, version, NR_VCPUS, spis, sizeof(spis) / sizeof(spis[0]), "fuzz"))
		abort();
	/* As gic/vgic_hw.c: the timer and two devices forwarded, the doorbell an edge. */
	for (unsigned int vcpu = 0; vcpu < NR_VCPUS; vcpu++) {
		vgic_irq(&cell, vcpu, 27)->hw = true;
		vgic_irq(&cell, vcpu, 27)->hw_intid = 27;
	}
	for (unsigned int i = 0; i < NR_HW_SPIS; i++) {
		vgic_irq(&cell, 0, hw_spis[i])->hw = true;
		vgic_irq(&cell, 0, hw_spis[i])->hw_intid = hw_spis[i];
	}
	vgic_irq(&cell, 0, 1000)->trigger = VGIC_EDGE;
	for (unsigned int vcpu = 0; vcpu < NR_VCPUS; vcpu++)
		fill(vcpu);
	if (first & 2)
		guest_booted();
	while (pr.left)
		step(&pr, (unsigned int)take(&pr, 1));
	/*
	 * What the devices still assert fires before the last kicks arrive; then
	 * every guest exits once more (a timer tick), and what it did to its list
	 * registers since its last exit reaches the model too.
	 */
	for (unsigned int round = 0; round < 2; round++) {
		for (unsigned int vcpu = 0; vcpu < NR_VCPUS && round; vcpu++)
			if (!powered_off[vcpu]) {
				TRACE("vcpu%u exits\n", vcpu);
				trap(vcpu);
				fill(vcpu);
			}
		for (unsigned int i = 0; i < NR_HW_SPIS; i++)
			phys_fire(hw_spis[i], &phys[i]);
		kicks_arrive();
		check_phys();
	}
	return 0;
}
