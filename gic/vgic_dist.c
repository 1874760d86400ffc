// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cell's GIC distributor (GICD), GICv3 (IHI 0069 §12.9) and GICv2
 * (IHI 0048 §4.3); its per-INTID register banks, which the GICv3 SGI_base
 * frame shares, are gic/vgic_bank.c.
 *
 * Choices where the architecture leaves them to the implementation:
 *  - IPRIORITYR implements the top 5 bits (32 levels, 0x00, 0x08, ... 0xf8),
 *    as QEMU's GIC and the GICv2 list register do; the low 3 read as zero.
 *  - SGIs are edge (ICFGR RO 0b10), PPIs level (RO: the timers drive them),
 *    SPIs configurable.
 *  - v3: one Security state, GICD_CTLR.DS = 1 and ARE = 1, both RAO/WI; the
 *    INTID 0-31 registers, ITARGETSR, SGIR, IGRPMODR and NSACR are RAZ/WI.
 *    GICD_TYPER.No1N = 1: no 1 of N routing, IROUTER.IRM RAZ/WI (1 of N
 *    sent to vCPU 0 left the SPI undelivered while vCPU 0 was off). An
 *    affinity that is not a vCPU of the cell (Aff3.Aff2.Aff1 = 0.0.0, Aff0 =
 *    vCPU index) routes the SPI nowhere: it is never delivered.
 *  - v2: no Security Extensions: GICD_CTLR bit 0 EnableGrp0, bit 1
 *    EnableGrp1; ITARGETSR keeps only the cell's CPU bits, the lowest set
 *    one is the target, none = not delivered.
 *  - GICD_IIDR = VGIC_IIDR: JEP106 implementer 0 (no vendor's code: not
 *    Arm's 0x43b), ProductID 0x42 'B', Variant 0, Revision 0.
 *  - Byte-accessible registers take byte or word accesses, 64-bit ones a
 *    doubleword or either 32-bit half, the rest words; anything else, or
 *    an unaligned access, is refused (-EINVAL, the guest gets an abort).
 *
 * An interrupt the cell does not own reads as zero and ignores writes. A
 * write aimed at one is counted (vgic_cell.foreign.accesses). One that asks
 * to enable, pend or activate it, the only writes that could make it fire,
 * is also reported after the lock is dropped: one line per store for all
 * the INTIDs of the word it names, if one of them was never named before,
 * at most VGIC_FOREIGN_REPORTS lines in the cell's life (restarts
 * included: a guest in a reset loop would flood the shared console). Writes
 * that only configure (group, priority, trigger, targets, routing) or
 * disable, unpend or deactivate are not logged: a GIC driver writes them to
 * every line GICD_TYPER reports, and ITLinesNumber counts in 32s, so Linux
 * would otherwise log each foreign SPI below the cell's highest one at
 * boot. Reads are not logged: they show nothing.
 */
#include <errno.h>
#include <stddef.h>

#include "nospec.h"
#include "vgic.h"
#include "vgic_model.h"

/* The other offsets and fields are gic_regs.h's (via vgic_model.h). */
#define GICD_SPENDSGIR	 0x0f20 /* v2 */
#define GICD_SGI_END	 0x0f30
#define GICD_ID_START_V2 0x0fd0 /* v2 ICPIDR4 .. ICCIDR3 */
#define GICD_ICPIDR2_V2	 0x0fe8
#define GICD_ID_END_V2	 0x1000
#define GICD_IROUTER_END 0x8000
#define GICD_ID_START	 0xffd0 /* v3 PIDR4 .. CIDR3 */

#define GICD_TYPER_CPUNumber_SHIFT 5
#define GICD_TYPER_IDbits_SHIFT	   19
#define GICD_TYPER_IDbits_V3	   9u	      /* 10 INTID bits: no LPIs */
#define GICD_TYPER_No1N		   (1u << 25) /* no 1 of N SPI routing */

#define GICD_IROUTER_MASK 0x000000ff00ffffffULL /* Aff3, Aff2, Aff1, Aff0: IRM RAZ/WI (No1N) */

static uint32_t vgic_itlines(const struct vgic_cell *v)
{
	if (v->nr_spis == 0 || v->nr_spis > VGIC_MAX_SPIS)
		return 0;
	return v->spis[v->nr_spis - 1].intid / 32;
}

static uint32_t vgic_typer(const struct vgic_cell *v)
{
	unsigned int cpus = v->nr_vcpus < 8 ? v->nr_vcpus : 8;
	uint32_t t = vgic_itlines(v) | (cpus - 1) << GICD_TYPER_CPUNumber_SHIFT;

	/* v3: IDbits, No1N; LPIS, MBIS, SecurityExtn, A3V, RSS all 0. */
	if (v->version == 3)
		t |= GICD_TYPER_IDbits_V3 << GICD_TYPER_IDbits_SHIFT | GICD_TYPER_No1N;
	return t;
}

static uint32_t vgic_ctlr_read(const struct vgic_cell *v)
{
	uint32_t c = v->gicd_ctlr & (GICD_CTLR_EnableGrp0 | GICD_CTLR_EnableGrp1);

	return v->version == 3 ? c | GICD_CTLR_ARE | GICD_CTLR_DS : c; /* RWP reads 0 */
}

static uint32_t vgic_ctlr_write(struct vgic_cell *v, uint32_t val)
{
	uint32_t old = v->gicd_ctlr;

	v->gicd_ctlr = val & (GICD_CTLR_EnableGrp0 | GICD_CTLR_EnableGrp1);
	return old != v->gicd_ctlr ? (uint32_t)((1u << v->nr_vcpus) - 1) : 0;
}

/* v3 GICD_IROUTER<n>: 64-bit, or either 32-bit half. */
static void vgic_irouter(struct vgic_cell *v, unsigned int vcpu, uint32_t off,
			 struct mmio_access *acc, uint32_t *kick)
{
	uint32_t intid = (off - GICD_IROUTER) / 8, before;
	unsigned int shift = (off & 4) * 8;
	struct vgic_irq *irq = intid >= VGIC_NR_PRIVATE ? vgic_irq(v, vcpu, intid) : NULL;
	uint64_t r, keep = acc->size == 8 ? 0 : ~(0xffffffffULL << shift);
	unsigned int aff0;
	uint8_t target;

	if (!irq) {
		if (acc->write && intid >= VGIC_NR_PRIVATE && intid <= VGIC_MAX_INTID)
			v->foreign.accesses++; /* routing only: counted, not logged */
		acc->value = acc->write ? acc->value : 0;
		return;
	}
	if (!acc->write) {
		r = irq->irouter >> shift;
		acc->value = acc->size == 8 ? r : (uint32_t)r;
		return;
	}
	r = ((irq->irouter & keep) | (acc->value << shift)) & GICD_IROUTER_MASK;
	before = vgic_irq_target_mask(v, vcpu, irq);
	target = irq->target_vcpu;
	irq->irouter = r;
	aff0 = (unsigned int)(r & 0xff);
	if ((r & ~0xffULL) == 0 && aff0 < v->nr_vcpus)
		irq->target_vcpu = (uint8_t)aff0;
	else
		irq->target_vcpu = VGIC_NO_TARGET;
	/* Only the vCPU it goes to matters to a fill, not the affinity as written. */
	if (irq->target_vcpu != target)
		*kick |= vgic_irq_changed(v, vcpu, irq, before, vgic_irq_live(v, irq));
}

/* v2 GICD_CPENDSGIR / GICD_SPENDSGIR: a byte per SGI, a bit per source CPU. */
static void vgic_sgi_pend(struct vgic_cell *v, unsigned int vcpu, uint32_t off,
			  struct mmio_access *acc, uint32_t *kick)
{
	bool set = off >= GICD_SPENDSGIR;
	uint32_t sgi0 = off - (set ? GICD_SPENDSGIR : GICD_CPENDSGIR), cpus, src;
	uint32_t all = (1u << v->nr_vcpus) - 1;
	struct vgic_irq *irq;
	uint64_t out = 0;
	unsigned int i;

	for (i = 0; i < acc->size && sgi0 + i < 16; i++) {
		irq = &v->vcpus[vcpu].private_irqs[array_index_nospec(sgi0 + i, VGIC_NR_SGIS)];
		src = irq->sgi_sources;
		cpus = (uint32_t)(acc->value >> (8 * i)) & all;
		if (!acc->write) {
			out |= (uint64_t)(src & 0xff) << (8 * i);
			continue;
		}
		irq->sgi_sources = (uint16_t)(set ? src | cpus : src & ~cpus);
		if (irq->sgi_sources != src)
			*kick |= 1u << vcpu;
	}
	if (!acc->write)
		acc->value = out;
}

static uint32_t vgic_dist_ids(const struct vgic_cell *v, uint32_t off)
{
	if (v->version == 3 && off == GICD_PIDR2)
		return 3u << GIC_PIDR2_ArchRev_SHIFT;
	if (v->version == 2 && off == GICD_ICPIDR2_V2)
		return 2u << GIC_PIDR2_ArchRev_SHIFT;
	return 0;
}

static bool vgic_dist_size_ok(const struct vgic_cell *v, uint32_t off, unsigned int size)
{
	if (off >= GICD_BANKS && off < GICD_BANKS_END)
		return vgic_bank_size_ok(off, size);
	if (v->version == 3 && off >= GICD_IROUTER && off < GICD_IROUTER_END)
		return size == 4 || size == 8;
	if (v->version == 2 && off >= GICD_CPENDSGIR && off < GICD_SGI_END)
		return size == 1 || size == 4;
	if (off < GICD_BANKS || off == GICD_SGIR || off >= GICD_ID_START ||
	    (v->version == 2 && off >= GICD_ID_START_V2 && off < GICD_ID_END_V2))
		return size == 4;
	return true; /* reserved: RAZ/WI at any size */
}

bool vgic_dist_routes(const struct vgic_cell *v, uint64_t offset)
{
	if (v->version == 3)
		return offset >= GICD_IROUTER && offset < GICD_IROUTER_END;
	return offset >= GICD_ITARGETSR && offset < GICD_ICFGR;
}

unsigned int vgic_dist_configures(const struct vgic_cell *v, uint64_t offset, unsigned int size,
				  uint32_t *first)
{
	uint32_t off = (uint32_t)offset;
	bool v3 = v->version == 3;
	unsigned int n;

	*first = 0;
	if (offset == GICD_CTLR)
		return VGIC_MAX_INTID + 1; /* the group enables gate every interrupt */
	if (v3 && offset >= GICD_IROUTER && offset < GICD_IROUTER_END) {
		*first = (off - GICD_IROUTER) / 8;
		return *first < VGIC_NR_PRIVATE ? 0 : 1; /* IROUTER<n>, n < 32: reserved */
	}
	if (offset < GICD_BANKS || offset >= GICD_BANKS_END ||
	    (v3 && offset >= GICD_ITARGETSR && offset < GICD_ICFGR))
		return 0;
	n = vgic_bank_configures(off, size, first);
	/* v3 (ARE = 1): a word naming INTIDs 0-31 (no word names both kinds) is RAZ/WI here. */
	return v3 && *first < VGIC_NR_PRIVATE ? 0 : n;
}

/* One access, with v->lock held: 0, or -EBUSY as vgic_dist_access(). */
static int vgic_dist_reg(struct vgic_cell *v, unsigned int vcpu, uint32_t off,
			 struct mmio_access *acc, struct vgic_foreign *f, uint32_t *kick)
{
	bool v3 = v->version == 3;
	uint32_t val = (uint32_t)acc->value, r = 0;

	if (v3 && off >= GICD_ITARGETSR && off < GICD_ICFGR) {
		acc->value = acc->write ? acc->value : 0; /* v3: no ITARGETSR, RAZ/WI */
		return 0;
	}
	if (off >= GICD_BANKS && off < GICD_BANKS_END)
		/* v3 (ARE = 1): INTIDs 0-31 live in the redistributors, RAZ/WI here. */
		return vgic_bank_access(v, vcpu, vcpu, off, acc, v3 ? VGIC_NR_PRIVATE : 0,
					VGIC_MAX_INTID + 1, f, kick);
	if (v3 && off >= GICD_IROUTER && off < GICD_IROUTER_END) {
		vgic_irouter(v, vcpu, off, acc, kick);
		return 0;
	}
	if (!v3 && off >= GICD_CPENDSGIR && off < GICD_SGI_END) {
		vgic_sgi_pend(v, vcpu, off, acc, kick);
		return 0;
	}
	if (off == GICD_CTLR && acc->write)
		*kick |= vgic_ctlr_write(v, val);
	else if (off == GICD_SGIR && !v3 && acc->write)
		*kick |= vgic_sgir_write(v, vcpu, val);
	else if (off == GICD_CTLR)
		r = vgic_ctlr_read(v);
	else if (off == GICD_TYPER)
		r = vgic_typer(v);
	else if (off == GICD_IIDR)
		r = VGIC_IIDR;
	else
		r = vgic_dist_ids(v, off);
	if (!acc->write)
		acc->value = r;
	return 0;
}

int vgic_dist_access(struct vgic_cell *v, unsigned int vcpu, uint64_t offset,
		     struct mmio_access *acc)
{
	struct vgic_foreign f = { .reg = NULL };
	uint32_t kick = 0, off = (uint32_t)offset;
	unsigned int size;
	int busy;

	if (!v || !acc || vcpu >= v->nr_vcpus)
		return -EINVAL;
	if (offset >= LAYOUT_VGICD_SIZE)
		return -ENOENT;
	size = acc->size;
	if ((size != 1 && size != 2 && size != 4 && size != 8) || off % size ||
	    !vgic_dist_size_ok(v, off, size))
		return -EINVAL;
	acc->value &= mmio_size_mask(size);
	spin_lock(&v->lock);
	busy = vgic_dist_reg(v, vcpu, off, acc, &f, &kick);
	/*
	 * The vCPUs whose next fill the write may change, and only those, look
	 * again: no register here has a read side effect, and a write that
	 * changes nothing a fill looks at (a value written back) touches none.
	 */
	if (!busy)
		vgic_touch(v, kick);
	spin_unlock(&v->lock);
	if (busy)
		return busy;
	if (!acc->write)
		acc->value &= mmio_size_mask(size);
	if (f.reg)
		vgic_foreign_report(v, &f);
	return (int)kick;
}
