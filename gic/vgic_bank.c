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

/* The per-INTID register banks (vgic_bank_of() finds one from an offset). */
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

unsigned int vgic_bank_configures(uint32_t off, unsigned int size, uint32_t *first)
{
	enum vgic_bank b = vgic_bank_of(off);

	if (b == VGIC_NR_BANKS || (b >= VGIC_ISPENDR && b <= VGIC_ICACTIVER))
		return 0;
	*first = vgic_bank_intid0(b, off);
	return size * 8 / vgic_bank_bits(b);
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
 * register with HW = 1, yet neither pending nor active as that firing
 * (vgic_hw_unclaimed()): no list register will take it again, and nothing
 * else would ever deactivate it. Marked for vgic_take_dropped(). That
 * includes an SPI active as an instance the guest made itself (HW = 0)
 * whose firing, meanwhile, the write made edge (pending by its level line
 * no more) or cleared: that instance's end leaves the physical interrupt
 * alone. A list register that holds an SPI the write left
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
	if (irq->intid < VGIC_NR_PRIVATE || vgic_lr_elsewhere(v, vcpu, 0, irq))
		return;
	vgic_lr_let_go(v, irq); /* not an active one: its guest still ends it there */
	if (vgic_hw_unclaimed(v, irq))
		v->dropped |= 1ULL << (irq - v->spis);
}

/*
 * The interrupts of the cell a register word names, in INTID order: its
 * owner's private ones, then the SPIs the cell owns among its INTIDs, found
 * in spis[] (sorted), not INTID by INTID: a 1-bit word names 32, of which a
 * cell owns a few. Only INTIDs in @reach (bit i: INTID intid0 + i) are
 * visited; the others are RAZ/WI in this frame. Indices come from comparing
 * a guest's INTIDs, so they are clamped before use.
 */
struct vgic_bank_walk {
	struct vgic_irq *priv; /* the owner's private_irqs, NULL if the word names none */
	uint32_t intid0, span, reach, priv_left;
	unsigned int next, nr; /* spis[]: the next to look at, how many */
};

/* Bits of a word of @n INTIDs from @intid0 that are in [@first, @end). */
static uint32_t vgic_bank_reach(uint32_t intid0, unsigned int n, uint32_t first, uint32_t end)
{
	uint32_t lo = intid0 < first ? first - intid0 : 0;
	uint32_t hi = intid0 + n <= end ? n : (end > intid0 ? end - intid0 : 0);

	if (lo >= hi)
		return 0;
	return (uint32_t)(((1ULL << hi) - 1) & ~((1ULL << lo) - 1));
}

static inline void vgic_bank_walk_start(struct vgic_bank_walk *w, struct vgic_cell *v,
					unsigned int owner, uint32_t intid0, unsigned int n,
					uint32_t first, uint32_t end)
{
	uint32_t reach = vgic_bank_reach(intid0, n, first, end);

	w->intid0 = intid0;
	w->span = n;
	w->reach = reach;
	w->priv = NULL;
	w->priv_left = 0;
	if (intid0 < VGIC_NR_PRIVATE && owner < v->nr_vcpus) {
		w->priv = v->vcpus[array_index_nospec(owner, v->nr_vcpus)].private_irqs;
		w->priv_left = reach & (uint32_t)((1ULL << (VGIC_NR_PRIVATE - intid0)) - 1);
	}
	w->nr = vgic_spi_count(v);
	/* A few SPIs are passed over in the walk; more are searched by halves. */
	w->next = w->nr > VGIC_SPI_SCAN ? vgic_spi_from(v, intid0) : 0;
}

/* The next interrupt of the walk and its bit in the word (*@bit), or NULL. */
static inline struct vgic_irq *vgic_bank_next(struct vgic_cell *v, struct vgic_bank_walk *w,
					      unsigned int *bit)
{
	uint32_t intid;
	unsigned int k;

	if (w->priv_left) {
		*bit = (unsigned int)__builtin_ctz(w->priv_left);
		w->priv_left &= w->priv_left - 1;
		return &w->priv[array_index_nospec(w->intid0 + *bit, VGIC_NR_PRIVATE)];
	}
	while (w->next < w->nr) {
		k = w->next++;
		intid = v->spis[k].intid;
		if (intid < w->intid0)
			continue;
		if (intid - w->intid0 >= w->span)
			break;
		*bit = intid - w->intid0;
		if (w->reach & (1u << *bit))
			return &v->spis[array_index_nospec(k, VGIC_MAX_SPIS)];
	}
	w->next = w->nr;
	return NULL;
}

/*
 * A write named the INTIDs in @foreign (bits of the word, INTIDs from
 * @intid0), which the cell does not own: a GIC driver configures every line
 * GICD_TYPER reports, so a write that configures them (group, priority,
 * trigger, targets) or disables, unpends or deactivates them is counted,
 * not logged; one that asks to enable, pend or activate them (a 1-bit bank,
 * bit set) is reported too (vgic_foreign_note()). A set or clear bit of 0
 * asks nothing.
 */
static void vgic_bank_foreign(struct vgic_cell *v, enum vgic_bank b, uint32_t intid0,
			      uint32_t foreign, uint32_t value, struct vgic_foreign *f)
{
	uint32_t word = intid0 / 32;

	if (b != VGIC_IGROUPR && b < VGIC_IPRIORITYR)
		foreign &= value; /* set/clear banks: 1 bit per INTID */
	if (!foreign)
		return;
	if (b == VGIC_ISENABLER)
		vgic_foreign_note(v, f, "GICD_ISENABLER", "enable", word, foreign);
	else if (b == VGIC_ISPENDR)
		vgic_foreign_note(v, f, "GICD_ISPENDR", "pend", word, foreign);
	else if (b == VGIC_ISACTIVER)
		vgic_foreign_note(v, f, "GICD_ISACTIVER", "activate", word, foreign);
	else
		for (; foreign; foreign &= foreign - 1) /* no popcount (-mgeneral-regs-only) */
			v->foreign.accesses++;
}

/*
 * Pending and active state lives in a running vCPU's list registers, not in
 * the model: does the access name such an interrupt (@w: the word's)?
 * Its trigger says what that state is, so a GICD_ICFGR write that changes an
 * SPI's waits too: made edge, an SPI listed pending by its level line is
 * pending no more unless that vCPU's guest took it, which only its sync tells
 * (a hardware-linked one then is dropped, vgic_hw_dropped()).
 */
static bool vgic_bank_elsewhere(struct vgic_cell *v, unsigned int vcpu, unsigned int owner,
				enum vgic_bank b, const struct mmio_access *acc,
				struct vgic_bank_walk w)
{
	bool cfg = b == VGIC_ICFGR && acc->write;
	const struct vgic_irq *irq;
	unsigned int i;

	if (!cfg && (b < VGIC_ISPENDR || b > VGIC_ICACTIVER))
		return false;
	while ((irq = vgic_bank_next(v, &w, &i))) {
		if (cfg && (irq->intid < VGIC_NR_PRIVATE ||
			    vgic_cfg_trigger((uint32_t)(acc->value >> (2 * i))) == irq->trigger))
			continue;
		if (vgic_lr_elsewhere(v, vcpu, owner, irq))
			return true;
	}
	return false;
}

/* The write's field @field to @irq, and the vCPUs that must look again into *@kick. */
static inline void vgic_bank_write(struct vgic_cell *v, unsigned int vcpu, unsigned int owner,
				   enum vgic_bank b, struct vgic_irq *irq, uint32_t field,
				   uint32_t *kick)
{
	bool live = vgic_irq_live(v, irq);
	uint32_t before = vgic_irq_target_mask(v, owner, irq);

	if (vgic_field_write(v, b, irq, field))
		*kick |= vgic_irq_changed(v, owner, irq, before, live);
	/* Only clearing the pending or active state, or making it edge, can drop an SPI. */
	if (b == VGIC_ICPENDR || b == VGIC_ICACTIVER || b == VGIC_ICFGR)
		vgic_hw_dropped(v, vcpu, irq);
}

int vgic_bank_access(struct vgic_cell *v, unsigned int vcpu, unsigned int owner, uint32_t off,
		     struct mmio_access *acc, uint32_t first, uint32_t end, struct vgic_foreign *f,
		     uint32_t *kick)
{
	enum vgic_bank b = vgic_bank_of(off);
	unsigned int bits, i, n;
	uint32_t intid0, mask, owned = 0;
	struct vgic_bank_walk w;
	uint64_t out = 0;
	struct vgic_irq *irq;

	if (b == VGIC_NR_BANKS) {
		acc->value = acc->write ? acc->value : 0;
		return 0;
	}
	bits = vgic_bank_bits(b);
	n = acc->size * 8 / bits;
	mask = (1u << bits) - 1;
	intid0 = vgic_bank_intid0(b, off);
	/* Those of its INTIDs not in [first, end) are RAZ/WI in this frame. */
	vgic_bank_walk_start(&w, v, owner, intid0, n < 32 ? n : 32, first, end);
	if (vgic_bank_elsewhere(v, vcpu, owner, b, acc, w))
		return -EBUSY;
	while ((irq = vgic_bank_next(v, &w, &i))) {
		owned |= 1u << i;
		if (acc->write)
			vgic_bank_write(v, vcpu, owner, b, irq,
					(uint32_t)(acc->value >> (i * bits)) & mask, kick);
		else
			out |= (uint64_t)vgic_field_read(v, owner, b, irq) << (i * bits);
	}
	if (acc->write && (w.reach & ~owned))
		vgic_bank_foreign(v, b, intid0, w.reach & ~owned, (uint32_t)acc->value, f);
	if (!acc->write)
		acc->value = out;
	return 0;
}
