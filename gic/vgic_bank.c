// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-INTID register banks (IGROUPR .. ICFGR) the GICv3 distributor
 * (SPIs) and each redistributor's SGI_base frame (SGIs and PPIs) share, and
 * GICv2's distributor holds whole: field reads and writes on the model, the
 * foreign-interrupt policy of gic/vgic_dist.c's header, a hardware-linked
 * SPI a write drops, and the refusal of an access to state another running
 * vCPU's list registers hold (docs/vgic.md).
 */
#include <errno.h>

#include "nospec.h"
#include "vgic.h"
#include "vgic_model.h"

#define VGIC_PRIORITY_MASK 0xf8 /* 5 priority bits */

/* The per-INTID register banks: where each starts and its bits per INTID. */
enum vgic_bank {
	VGIC_IGROUPR,
	VGIC_ISENABLER,
	VGIC_ICENABLER,
	VGIC_ISPENDR,
	VGIC_ICPENDR,
	VGIC_ISACTIVER,
	VGIC_ICACTIVER,
	VGIC_IPRIORITYR,
	VGIC_ITARGETSR,
	VGIC_ICFGR,
	VGIC_NR_BANKS,
};

/*
 * The bank at @off (within 0x080-0xd7c), or VGIC_NR_BANKS for IGRPMODR and
 * reserved space: the 1-bit banks are 0x80 bytes each from IGROUPR up, in
 * enum order. Compared, not looked up: @off is the guest's.
 */
static enum vgic_bank vgic_bank_of(uint32_t off)
{
	if (off < GICD_BANKS || off >= GICD_ICFGR + 0x100)
		return VGIC_NR_BANKS;
	if (off < 0x400)
		return (enum vgic_bank)(VGIC_IGROUPR + (off / 0x80 - 1));
	if (off < GICD_ITARGETSR)
		return VGIC_IPRIORITYR;
	return off < GICD_ICFGR ? VGIC_ITARGETSR : VGIC_ICFGR;
}

/* Bits per INTID in bank @b (not VGIC_NR_BANKS). */
static unsigned int vgic_bank_bits(enum vgic_bank b)
{
	if (b == VGIC_IPRIORITYR || b == VGIC_ITARGETSR)
		return 8;
	return b == VGIC_ICFGR ? 2 : 1;
}

/* The first INTID the bank word at @off names: its offset in the bank, in fields. */
static uint32_t vgic_bank_intid0(enum vgic_bank b, uint32_t off)
{
	if (b == VGIC_IPRIORITYR || b == VGIC_ITARGETSR)
		return off % 0x400;
	return b == VGIC_ICFGR ? (off % 0x100) * 4 : (off % 0x80) * 8;
}

bool vgic_bank_size_ok(uint32_t off, unsigned int size)
{
	enum vgic_bank b = vgic_bank_of(off);

	if (b == VGIC_IPRIORITYR || b == VGIC_ITARGETSR)
		return size == 1 || size == 4;
	return size == 4;
}

static uint32_t vgic_field_read(const struct vgic_cell *v, unsigned int owner, enum vgic_bank b,
				const struct vgic_irq *irq)
{
	switch (b) {
	case VGIC_IGROUPR:
		return irq->group1;
	case VGIC_ISENABLER:
	case VGIC_ICENABLER:
		return irq->enabled;
	case VGIC_ISPENDR:
	case VGIC_ICPENDR:
		return vgic_irq_pending(v, irq);
	case VGIC_ISACTIVER:
	case VGIC_ICACTIVER:
		return irq->active;
	case VGIC_IPRIORITYR:
		return irq->priority;
	case VGIC_ITARGETSR: /* SGIs and PPIs: the reading CPU's own bit */
		return irq->intid < VGIC_NR_PRIVATE ? 1u << owner : irq->itargetsr;
	case VGIC_ICFGR: /* Int_config[1]: 1 = edge */
		return irq->intid < 16 || irq->trigger == VGIC_EDGE ? 2 : 0;
	default:
		return 0;
	}
}

static void vgic_set_targets_v2(struct vgic_cell *v, struct vgic_irq *irq, uint32_t field)
{
	uint32_t cpus = field & (uint32_t)((1u << v->nr_vcpus) - 1);

	irq->itargetsr = (uint8_t)cpus;
	irq->target_vcpu = cpus ? (uint8_t)__builtin_ctz(cpus) : VGIC_NO_TARGET;
}

/* The trigger a GICD_ICFGR field says (Int_config[1]: 1 = edge). */
static enum vgic_trigger vgic_cfg_trigger(uint32_t field)
{
	return field & 2 ? VGIC_EDGE : VGIC_LEVEL;
}

/*
 * Apply one INTID's field of a write; returns true if the state changed.
 * Each bank changes one member: only that one is compared (a register
 * written back with the value it holds is the common case).
 */
static bool vgic_field_write(struct vgic_cell *v, enum vgic_bank b, struct vgic_irq *irq,
			     uint32_t field)
{
	bool set = field != 0, on;
	uint8_t target;

	switch (b) {
	case VGIC_IGROUPR:
		if (irq->group1 == set)
			return false;
		irq->group1 = set;
		return true;
	case VGIC_ISENABLER:
	case VGIC_ICENABLER:
		on = b == VGIC_ISENABLER;
		if (!set || irq->enabled == on)
			return false;
		vgic_irq_set_enabled(v, irq, on);
		return true;
	case VGIC_ISPENDR:
	case VGIC_ICPENDR: /* v2 SGIs: through SPENDSGIR/CPENDSGIR only */
		on = b == VGIC_ISPENDR;
		if (!set || vgic_is_v2_sgi(v, irq) || irq->pending_latch == on)
			return false;
		irq->pending_latch = on;
		return true;
	case VGIC_ISACTIVER:
	case VGIC_ICACTIVER:
		on = b == VGIC_ISACTIVER;
		if (!set || irq->active == on)
			return false;
		irq->active = on;
		return true;
	case VGIC_IPRIORITYR:
		if (irq->priority == (uint8_t)(field & VGIC_PRIORITY_MASK))
			return false;
		irq->priority = (uint8_t)(field & VGIC_PRIORITY_MASK);
		return true;
	case VGIC_ITARGETSR:
		if (irq->intid < VGIC_NR_PRIVATE)
			return false;
		target = irq->target_vcpu;
		vgic_set_targets_v2(v, irq, field);
		return irq->target_vcpu != target;
	case VGIC_ICFGR:
		if (irq->intid < VGIC_NR_PRIVATE || irq->trigger == vgic_cfg_trigger(field))
			return false;
		irq->trigger = vgic_cfg_trigger(field);
		return true;
	default:
		return false;
	}
}

/*
 * A write by @vcpu left hardware-linked SPI @irq with its line high, its
 * physical interrupt active for the guest to deactivate through a list
 * register, yet neither pending nor active: no list register will take it
 * again, and nothing else would ever deactivate it. Marked for
 * vgic_take_dropped(). A list register that holds an SPI the write left
 * inactive (of the writer, in this trap, of a vCPU the write waited for:
 * synced, not back in its guest, or of one that is off) would only be
 * emptied by that vCPU's next fill: it is let go now (vgic_lr_let_go()), so
 * that no list register of a vCPU that may run names it, and one of a vCPU
 * that is off does not keep it from its new target.
 *
 * Not if another vCPU's list registers hold it while that vCPU runs: its
 * pending and active state are theirs, not the model's (an edge SPI listed
 * pending took its latch with it), and only a write that waited for their
 * sync (vgic_bank_elsewhere()) may change it. A write that did not wait
 * (another INTID's field of the same GICD_ICFGR word) changed nothing here.
 */
static void vgic_hw_dropped(struct vgic_cell *v, unsigned int vcpu, struct vgic_irq *irq)
{
	if (irq->intid < VGIC_NR_PRIVATE || irq->active || vgic_lr_elsewhere(v, vcpu, 0, irq))
		return;
	vgic_lr_let_go(v, irq);
	if (irq->hw && irq->line_level && !vgic_irq_pending(v, irq))
		v->dropped |= 1ULL << (irq - v->spis);
}

/*
 * A register word's interrupts, INTID by INTID upwards: one search for its
 * first SPI, not one per INTID (32 in a 1-bit bank). @next is the first of
 * spis[] not passed yet; the index is found by comparing a guest's INTIDs,
 * so it is clamped before use.
 */
struct vgic_bank_walk {
	unsigned int next, nr;
};

static inline void vgic_bank_walk_start(struct vgic_bank_walk *w, const struct vgic_cell *v,
					uint32_t intid0)
{
	w->next = intid0 >= VGIC_NR_PRIVATE ? vgic_spi_from(v, intid0) : 0;
	w->nr = vgic_spi_count(v);
}

/* @owner's private @intid, or the cell's SPI @intid (above every one asked before), or NULL. */
static inline struct vgic_irq *vgic_bank_irq(struct vgic_cell *v, struct vgic_bank_walk *w,
					     unsigned int owner, uint32_t intid)
{
	unsigned int i = w->next;

	if (intid < VGIC_NR_PRIVATE)
		return vgic_irq(v, owner, intid);
	while (i < w->nr && v->spis[i].intid < intid)
		i++;
	w->next = i;
	if (i >= w->nr || v->spis[i].intid != intid)
		return NULL;
	w->next = i + 1;
	return &v->spis[array_index_nospec(i, VGIC_MAX_SPIS)];
}

/* Does writing @field to a foreign INTID try to change it? Set/clear 0s do not. */
static bool vgic_field_touches(enum vgic_bank b, uint32_t field)
{
	return b == VGIC_IGROUPR || b >= VGIC_IPRIORITYR || field != 0;
}

/* Does it try to enable, pend or activate it (the writes that are logged)? */
static bool vgic_field_asserts(enum vgic_bank b, uint32_t field)
{
	return field != 0 && (b == VGIC_ISENABLER || b == VGIC_ISPENDR || b == VGIC_ISACTIVER);
}

/* The foreign INTIDs in @mask of a write to bank @b word @word: counted, maybe reported. */
static void vgic_bank_foreign(struct vgic_cell *v, enum vgic_bank b, uint32_t word, uint32_t mask,
			      struct vgic_foreign *f)
{
	if (b == VGIC_ISENABLER)
		vgic_foreign_note(v, f, "GICD_ISENABLER", "enable", word, mask);
	else if (b == VGIC_ISPENDR)
		vgic_foreign_note(v, f, "GICD_ISPENDR", "pend", word, mask);
	else
		vgic_foreign_note(v, f, "GICD_ISACTIVER", "activate", word, mask);
}

/*
 * Pending and active state lives in a running vCPU's list registers, not in
 * the model: does the access (@n INTIDs from @intid0) name such an interrupt?
 * Its trigger says what that state is, so a GICD_ICFGR write that changes an
 * SPI's waits too: made edge, an SPI listed pending by its level line is
 * pending no more unless that vCPU's guest took it, which only its sync tells
 * (a hardware-linked one then is dropped, vgic_hw_dropped()).
 */
static bool vgic_bank_elsewhere(struct vgic_cell *v, unsigned int vcpu, unsigned int owner,
				enum vgic_bank b, const struct mmio_access *acc, uint32_t intid0,
				unsigned int n, uint32_t first, uint32_t end)
{
	bool cfg = b == VGIC_ICFGR && acc->write;
	struct vgic_bank_walk w;
	const struct vgic_irq *irq;
	unsigned int i;

	if (!cfg && (b < VGIC_ISPENDR || b > VGIC_ICACTIVER))
		return false;
	vgic_bank_walk_start(&w, v, intid0);
	for (i = 0; i < n; i++) {
		if (intid0 + i < first || intid0 + i >= end)
			continue;
		irq = vgic_bank_irq(v, &w, owner, intid0 + i);
		if (!irq ||
		    (cfg && (irq->intid < VGIC_NR_PRIVATE ||
			     vgic_cfg_trigger((uint32_t)(acc->value >> (2 * i))) == irq->trigger)))
			continue;
		if (vgic_lr_elsewhere(v, vcpu, owner, irq))
			return true;
	}
	return false;
}

int vgic_bank_access(struct vgic_cell *v, unsigned int vcpu, unsigned int owner, uint32_t off,
		     struct mmio_access *acc, uint32_t first, uint32_t end, struct vgic_foreign *f,
		     uint32_t *kick)
{
	enum vgic_bank b = vgic_bank_of(off);
	unsigned int bits, i, n;
	uint32_t intid0, field, mask, before, foreign = 0;
	struct vgic_bank_walk w;
	uint64_t out = 0;
	struct vgic_irq *irq;
	bool live, drops;

	if (b == VGIC_NR_BANKS) {
		acc->value = acc->write ? acc->value : 0;
		return 0;
	}
	bits = vgic_bank_bits(b);
	n = acc->size * 8 / bits;
	mask = (1u << bits) - 1;
	intid0 = vgic_bank_intid0(b, off);
	if (vgic_bank_elsewhere(v, vcpu, owner, b, acc, intid0, n < 32 ? n : 32, first, end))
		return -EBUSY;
	/* Only clearing the pending or active state, or making it edge, can drop an SPI. */
	drops = b == VGIC_ICPENDR || b == VGIC_ICACTIVER || b == VGIC_ICFGR;
	vgic_bank_walk_start(&w, v, intid0);
	for (i = 0; i < n && i < 32; i++) {
		uint32_t intid = intid0 + i;

		field = (uint32_t)(acc->value >> (i * bits)) & mask;
		if (intid < first || intid >= end)
			continue; /* not in this frame: RAZ/WI */
		irq = vgic_bank_irq(v, &w, owner, intid);
		if (!irq) {
			if (acc->write && vgic_field_asserts(b, field))
				foreign |= 1u << i; /* a 1-bit bank: bit i of the word */
			else if (acc->write && vgic_field_touches(b, field))
				v->foreign.accesses++; /* configuration only: not logged */
		} else if (acc->write) {
			live = vgic_irq_live(v, irq);
			before = vgic_irq_target_mask(v, owner, irq);
			if (vgic_field_write(v, b, irq, field))
				*kick |= vgic_irq_changed(v, owner, irq, before, live);
			if (drops)
				vgic_hw_dropped(v, vcpu, irq);
		} else {
			out |= (uint64_t)vgic_field_read(v, owner, b, irq) << (i * bits);
		}
	}
	if (foreign)
		vgic_bank_foreign(v, b, intid0 / 32, foreign, f);
	if (!acc->write)
		acc->value = out;
	return 0;
}
