// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGIC model of a cell: the architectural state of every interrupt the
 * cell sees and how devices, timers and SGIs make them pending. Register emulation is
 * in vgic_bank.c, vgic_dist.c and vgic_redist.c; the hardware side (list registers,
 * maintenance interrupts) only calls the functions of include/vgic.h.
 *
 * Life cycle (IHI 0069 §4.1): pending = latch || (level && line); an
 * interrupt is deliverable to its vCPU when enabled, pending, not active and
 * its group enabled in GICD_CTLR. Lower priority value wins, ties go to the
 * lower INTID.
 *
 * Which interrupts sit in the list registers (LRs) of each vCPU: vgic_lr.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "nospec.h"
#include "vgic.h"
#include "vgic_model.h"
#include "compiler.h"

#define VGIC_V2_MAX_VCPUS 8 /* GICv2: 8 CPU interfaces */

/* The fields of a guest's GICD_SGIR (IHI 0048 §4.3.15) value @v; ICC_SGI1R_EL1's: gic_regs.h. */
#define SGIR_TargetListFilter(v) (((v) >> 24) & 0x3)
#define SGIR_CPUTargetList(v)	 (((v) >> 16) & 0xff)
#define SGIR_SGIINTID(v)	 ((v)&0xf)

static void vgic_irq_reset(struct vgic_irq *irq, uint32_t intid, int version)
{
	memset(irq, 0, sizeof(*irq));
	irq->intid = intid;
	/* SGIs are edge-triggered; PPIs here are level (timers); SPIs reset to level. */
	irq->trigger = intid < VGIC_NR_SGIS ? VGIC_EDGE : VGIC_LEVEL;
	/* A GICv3 guest runs everything in Group 1; a GICv2 guest starts in Group 0. */
	irq->group1 = version == 3;
	irq->itargetsr = 0x01; /* v2: vCPU 0; v3: IROUTER 0 = Aff0 0 = vCPU 0 */
	irq->target_vcpu = 0;
	irq->lr = -1;
}

static int vgic_add_spi(struct vgic_cell *v, uint32_t intid)
{
	unsigned int i = v->nr_spis;

	if (intid < VGIC_NR_PRIVATE || intid > VGIC_MAX_INTID)
		return -EINVAL;
	/* Keep spis[] sorted by INTID: lookups and the tie-break rely on it. */
	while (i > 0 && v->spis[i - 1].intid >= intid) {
		if (v->spis[i - 1].intid == intid)
			return -EINVAL;
		v->spis[i] = v->spis[i - 1];
		i--;
	}
	vgic_irq_reset(&v->spis[i], intid, v->version);
	v->nr_spis++;
	return 0;
}

__cold int vgic_init(struct vgic_cell *v, int version, unsigned int nr_vcpus, const uint32_t *spis,
		     unsigned int nr_spis, const char *label)
{
	struct vgic_foreign_log foreign;
	unsigned int c, i;

	if ((version != 2 && version != 3) || nr_vcpus == 0 || nr_vcpus > LAYOUT_MAX_CPUS ||
	    (version == 2 && nr_vcpus > VGIC_V2_MAX_VCPUS) || nr_spis > VGIC_MAX_SPIS ||
	    (nr_spis && !spis))
		return -EINVAL;
	foreign = v->foreign; /* the cell's whole life, not one boot */
	memset(v, 0, sizeof(*v));
	v->foreign = foreign;
	v->lock = (struct spinlock)SPINLOCK_INIT;
	v->version = version;
	v->nr_vcpus = nr_vcpus;
	v->label = label ? label : "?";
	for (c = 0; c < nr_vcpus; c++) {
		for (i = 0; i < VGIC_NR_PRIVATE; i++)
			vgic_irq_reset(&v->vcpus[c].private_irqs[i], i, version);
		v->vcpus[c].gicr_sleep = true; /* GICR_WAKER resets with ProcessorSleep set */
	}
	for (i = 0; i < nr_spis; i++) {
		if (vgic_add_spi(v, spis[i]))
			return -EINVAL;
	}
	return 0;
}

/* By halves, down to the last few entries. */
unsigned int vgic_spi_from(const struct vgic_cell *v, uint32_t intid)
{
	unsigned int lo = 0, hi = vgic_spi_count(v), mid;

	while (hi - lo > VGIC_SPI_SCAN) {
		mid = (lo + hi) / 2;
		if (v->spis[mid].intid < intid)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < hi && v->spis[lo].intid < intid)
		lo++;
	return lo;
}

__attribute__((noinline)) struct vgic_irq *vgic_spi_search(struct vgic_cell *v, uint32_t intid)
{
	unsigned int i = vgic_spi_from(v, intid);

	if (i >= vgic_spi_count(v) || v->spis[i].intid != intid)
		return NULL;
	return &v->spis[array_index_nospec(i, VGIC_MAX_SPIS)];
}

/*
 * Most cells own a handful of SPIs: compared one by one, inline in this
 * file's callers (a mispredicted end of the loop reads one entry past the
 * last owned one at most, as it always did). More are searched by halves.
 */
struct vgic_irq *vgic_spi(struct vgic_cell *v, uint32_t intid)
{
	unsigned int i, nr = v->nr_spis;

	if (nr > VGIC_SPI_SCAN)
		return vgic_spi_search(v, intid);
	for (i = 0; i < nr; i++)
		if (v->spis[i].intid == intid)
			return &v->spis[i];
	return NULL;
}

struct vgic_irq *vgic_irq(struct vgic_cell *v, unsigned int vcpu, uint32_t intid)
{
	if (vcpu >= v->nr_vcpus)
		return NULL;
	if (intid >= VGIC_NR_PRIVATE)
		return vgic_spi(v, intid);
	/* Register accesses come here: the guest picked both (Spectre-v1, nospec.h). */
	return &v->vcpus[array_index_nospec(vcpu, v->nr_vcpus)]
			.private_irqs[array_index_nospec(intid, VGIC_NR_PRIVATE)];
}

void vgic_foreign_note(struct vgic_cell *v, struct vgic_foreign *f, const char *reg,
		       const char *verb, uint32_t word, uint32_t mask)
{
	struct vgic_foreign_log *log = &v->foreign;
	uint32_t fresh, m;

	if (word >= sizeof(log->logged) / sizeof(log->logged[0]))
		return;
	for (m = mask; m; m &= m - 1) /* no popcount without libgcc (-mgeneral-regs-only) */
		log->accesses++;
	word = (uint32_t)array_index_nospec(word, sizeof(log->logged) / sizeof(log->logged[0]));
	fresh = mask & ~log->logged[word];
	log->logged[word] |= mask;
	if (!fresh || log->reports >= VGIC_FOREIGN_REPORTS)
		return;
	log->reports++;
	*f = (struct vgic_foreign){ .reg = reg,
				    .verb = verb,
				    .word = word,
				    .mask = mask,
				    .last = log->reports == VGIC_FOREIGN_REPORTS };
}

/*
 * One line per store, however many INTIDs it names: the console is
 * synchronous and shared, and a guest may write 0xffffffff to every word.
 */
__cold void vgic_foreign_report(const struct vgic_cell *v, const struct vgic_foreign *f)
{
	uint32_t lo, hi;
	char which[48];

	if (!f->reg || !f->mask)
		return;
	lo = 32 * f->word + (uint32_t)__builtin_ctz(f->mask);
	hi = 32 * f->word + 31 - (uint32_t)__builtin_clz(f->mask);
	if (lo == hi)
		snprintf(which, sizeof(which), "INTID %u", lo);
	else
		snprintf(which, sizeof(which), "INTIDs %u-%u (bits 0x%08x)", lo, hi, f->mask);
	log_warn("%s: vGIC: write to %s%u would %s %s, not the cell's; ignored%s", v->label, f->reg,
		 f->word, f->verb, which, f->last ? " (further ones are counted, not logged)" : "");
}

_Static_assert(VGIC_MAX_SPIS <= 64, "vgic_cell.enabled_spis has a bit per SPI");

void vgic_irq_set_enabled(struct vgic_cell *v, struct vgic_irq *irq, bool enabled)
{
	uintptr_t off;
	uint64_t bit;
	uint32_t *mask32 = NULL;

	irq->enabled = enabled;
	if (irq->intid < VGIC_NR_PRIVATE) {
		/* private_irqs is the first member: the vCPU from the offset */
		off = (uintptr_t)irq - (uintptr_t)&v->vcpus[0];
		mask32 = &v->vcpus[off / sizeof(struct vgic_vcpu)].enabled_private;
		bit = 1ULL << irq->intid;
		*mask32 = enabled ? (*mask32 | (uint32_t)bit) : (*mask32 & ~(uint32_t)bit);
		return;
	}
	bit = 1ULL << (irq - v->spis);
	v->enabled_spis = enabled ? (v->enabled_spis | bit) : (v->enabled_spis & ~bit);
}

/* The vCPU to kick for @irq, or -1. */
static int vgic_target(const struct vgic_cell *v, unsigned int owner, const struct vgic_irq *irq)
{
	uint32_t mask = vgic_irq_target_mask(v, owner, irq);

	return mask ? __builtin_ctz(mask) : -1;
}

/* With v->lock held: @irq's input line at @level. */
static inline void vgic_line_set(struct vgic_irq *irq, bool level)
{
	if (level && irq->trigger == VGIC_EDGE)
		irq->pending_latch = true; /* an edge-configured input latches a rise */
	irq->line_level = level;
}

/* With v->lock held: @irq's line (not at @level yet) to @level; the vCPU to kick, or -1. */
static inline __attribute__((always_inline)) int
vgic_line_to(struct vgic_cell *v, unsigned int vcpu, struct vgic_irq *irq, bool level)
{
	bool before = vgic_irq_deliverable(v, irq);
	int kick = -1;

	vgic_line_set(irq, level);
	/* Became deliverable, or stopped being so (its LR needs a refresh). */
	if (before != vgic_irq_deliverable(v, irq))
		kick = vgic_target(v, vcpu, irq);
	vgic_touch_irq(v, vcpu, irq);
	return kick;
}

/* With v->lock held: vgic_set_level()'s change and answer. */
static inline __attribute__((always_inline)) int
set_level_locked(struct vgic_cell *v, unsigned int vcpu, uint32_t intid, bool level)
{
	struct vgic_irq *irq = vgic_irq_fast(v, vcpu, intid);

	/* A line sampled again at the same level changes nothing (a UART status read). */
	if (irq && irq->line_level != level)
		return vgic_line_to(v, vcpu, irq, level);
	return -1;
}

int vgic_set_level(struct vgic_cell *v, unsigned int vcpu, uint32_t intid, bool level)
{
	int kick;

	spin_lock(&v->lock);
	kick = set_level_locked(v, vcpu, intid, level);
	spin_unlock(&v->lock);
	return kick;
}

bool vgic_set_level_outside(struct vgic_cell *v, unsigned int vcpu, uint32_t intid, bool level,
			    int *kick)
{
	if (!spin_lock_unless_lost(&v->lock))
		return false;
	*kick = set_level_locked(v, vcpu, intid, level);
	spin_unlock(&v->lock);
	return true;
}

void vgic_set_own_level(struct vgic_cell *v, unsigned int vcpu, uint32_t intid, bool level)
{
	struct vgic_vcpu *vc;
	struct vgic_irq *irq;

	if (vcpu >= v->nr_vcpus || intid >= VGIC_NR_PRIVATE)
		return;
	vc = &v->vcpus[vcpu];
	irq = &vc->private_irqs[intid];
	spin_lock(&v->lock);
	if (irq->line_level != level) {
		vgic_line_set(irq, level);
		vc->gen++; /* vgic_touch_irq() of a private interrupt */
	}
	spin_unlock(&v->lock);
}

int vgic_spi_fired(struct vgic_cell *v, uint32_t intid)
{
	struct vgic_irq *irq;
	int kick = -1;

	spin_lock(&v->lock);
	irq = vgic_irq(v, 0, intid);
	if (irq && !irq->line_level)
		kick = vgic_line_to(v, 0, irq, true);
	else if (irq && irq->hw)
		kick = VGIC_LINE_AGAIN; /* fired while forwarded and not deactivated */
	spin_unlock(&v->lock);
	return kick;
}

/* Rare (a re-route meeting a deactivation, or a direct cell's EOI): out of line. */
__cold int vgic_spi_fired_again(struct vgic_cell *v, uint32_t intid, int here)
{
	struct vgic_irq *irq;
	int kick = VGIC_LINE_AGAIN, u;

	spin_lock(&v->lock);
	irq = vgic_spi(v, intid);
	if (!irq || !irq->hw) {
		kick = -1;
	} else if (!irq->line_level) {
		kick = vgic_line_to(v, 0, irq, true);
	} else {
		/* On @here's own CPU its exit synced before this: not its guest's doing. */
		u = vgic_lr_holder(v, 0, irq);
		if (u >= 0 && u != here) {
			irq->fired_again = true;
			kick = u;
		}
	}
	spin_unlock(&v->lock);
	return kick;
}

uint64_t vgic_take_dropped(struct vgic_cell *v)
{
	uint64_t dropped = 0, m;
	struct vgic_irq *irq;

	/* The caller deactivates each before it lets go (include/vgic.h). */
	spin_assert_held(&v->lock);
	/*
	 * Still dropped: another write since may have made it pending or active
	 * again, or pending in a list register (its latch went with it). Active,
	 * it is listed as the guest's own instance only.
	 */
	for (m = v->dropped; m; m &= m - 1) {
		irq = &v->spis[__builtin_ctzll(m)];
		if (vgic_hw_unclaimed(v, irq) && (irq->lr < 0 || irq->active)) {
			irq->line_level = false;
			dropped |= m & -m;
		}
	}
	v->dropped = 0;
	return dropped;
}

int vgic_set_edge(struct vgic_cell *v, unsigned int vcpu, uint32_t intid)
{
	struct vgic_irq *irq;
	int kick = -1;

	spin_lock(&v->lock);
	irq = vgic_irq_fast(v, vcpu, intid);
	if (irq && vgic_is_v2_sgi(v, irq)) {
		if (!(irq->sgi_sources & (1u << vcpu))) {
			irq->sgi_sources |= (uint16_t)(1u << vcpu);
			kick = vgic_irq_signalable(v, irq) ? vgic_target(v, vcpu, irq) : -1;
		}
	} else if (irq && !irq->pending_latch) {
		irq->pending_latch = true;
		kick = vgic_irq_signalable(v, irq) ? vgic_target(v, vcpu, irq) : -1;
	}
	if (irq)
		vgic_touch_irq(v, vcpu, irq);
	spin_unlock(&v->lock);
	return kick;
}

/* Make SGI @sgi pending on every vCPU in @targets, from @source. */
static uint32_t vgic_sgi_send(struct vgic_cell *v, unsigned int source, uint32_t sgi,
			      uint32_t targets)
{
	struct vgic_irq *irq;
	uint32_t kick = 0;
	unsigned int t;

	for (t = 0; t < v->nr_vcpus; t++) {
		if (!(targets & (1u << t)))
			continue;
		irq = &v->vcpus[t].private_irqs[sgi];
		if (v->version == 2)
			irq->sgi_sources |= (uint16_t)(1u << source);
		else
			irq->pending_latch = true;
		if (vgic_irq_signalable(v, irq))
			kick |= 1u << t;
	}
	return kick;
}

uint32_t vgic_sgi1r_targets(const struct vgic_cell *v, unsigned int vcpu, uint64_t value)
{
	uint32_t all = (uint32_t)((1ULL << v->nr_vcpus) - 1);

	if (vcpu >= v->nr_vcpus || v->version != 3)
		return 0;
	if (value & ICC_SGI1R_IRM)
		return all & ~(1u << vcpu); /* IRM: every vCPU of the cell but the sender */
	if (SGI1R_Aff1(value) || SGI1R_Aff2(value) || SGI1R_Aff3(value) || SGI1R_RS(value))
		return 0; /* our vCPUs are Aff3.Aff2.Aff1 = 0.0.0, Aff0 < 16 */
	return SGI1R_TargetList(value) & all;
}

/*
 * An ICC_SGI1R_EL1 write @value, or with @group0 an ICC_SGI0R_EL1 or
 * ICC_ASGI1R_EL1 one. With one Security state (what a cell sees:
 * GICD_CTLR.DS = 1) the latter two generate Group 0 SGIs: IHI 0069,
 * "Forwarding an SGI to a target PE", forwards them only to a target whose
 * SGI is Group 0 (ASGI1R's "other Security state" Group 1 is Group 0 when
 * DS = 1; KVM reads it so too). ICC_SGI1R_EL1 reaches either group there:
 * no group test. A constant at each call (the SGI path is the bench's).
 */
static inline __attribute__((always_inline)) uint32_t
vgic_sgi_write(struct vgic_cell *v, unsigned int vcpu, uint64_t value, bool group0)
{
	uint32_t targets = vgic_sgi1r_targets(v, vcpu, value), sgi = SGI1R_INTID(value), kick;
	unsigned int t;

	if (!targets)
		return 0;
	spin_lock(&v->lock);
	for (t = 0; group0 && t < v->nr_vcpus; t++)
		if (v->vcpus[t].private_irqs[sgi].group1)
			targets &= ~(1u << t);
	kick = vgic_sgi_send(v, vcpu, sgi, targets);
	vgic_touch(v, targets);
	spin_unlock(&v->lock);
	return kick;
}

uint32_t vgic_sgi1r(struct vgic_cell *v, unsigned int vcpu, uint64_t value)
{
	return vgic_sgi_write(v, vcpu, value, false);
}

uint32_t vgic_sgi0r(struct vgic_cell *v, unsigned int vcpu, uint64_t value)
{
	return vgic_sgi_write(v, vcpu, value, true);
}

uint32_t vgic_sgir_write(struct vgic_cell *v, unsigned int vcpu, uint32_t value)
{
	uint32_t all = (uint32_t)((1ULL << v->nr_vcpus) - 1), targets;

	switch (SGIR_TargetListFilter(value)) {
	case 0:
		targets = SGIR_CPUTargetList(value) & all;
		break;
	case 1:
		targets = all & ~(1u << vcpu);
		break;
	case 2:
		targets = 1u << vcpu;
		break;
	default:
		return 0; /* reserved filter: no SGI */
	}
	return vgic_sgi_send(v, vcpu, SGIR_SGIINTID(value), targets);
}
