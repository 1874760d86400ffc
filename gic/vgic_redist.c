// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cell's GICv3 redistributors (IHI 0069 §12.10, §12.11): one 128 KiB
 * frame per vCPU from LAYOUT_VGICR_BASE, an RD_base frame (control,
 * identification, power) then an SGI_base frame at +64 KiB with the SGI
 * and PPI registers of that vCPU. Any vCPU may access any frame.
 *
 *  - GICR_TYPER: Processor_Number = vCPU index, Affinity_Value = the vCPU's
 *    MPIDR (0.0.0.index), Last on the last vCPU's frame; no LPIs (PLPIS,
 *    VLPIS, DirectLPI = 0). 64-bit, or either 32-bit half.
 *  - GICR_CTLR: no LPIs, writes complete at once (RWP 0): RAZ/WI.
 *  - GICR_WAKER: ProcessorSleep is kept as written (reset 1) and
 *    ChildrenAsleep follows it at once. It does not gate delivery: the
 *    virtual CPU interface, not this frame, signals the vCPU.
 *  - GICR_IGRPMODR0 and GICR_NSACR: RAZ/WI (GICD_CTLR.DS = 1).
 *  - SGI_base shares the distributor's per-INTID banks (gic/vgic_bank.c)
 *    but for GICD_ITARGETSR's range, 0x800-0xbfc: reserved there, RAZ/WI
 *    at any size as every other reserved offset (the INTIDs past 31 of the
 *    other banks read 0 already). The bank code would read an SGI's or
 *    PPI's ITARGETSR byte as the frame's own CPU bit, as GICv2 defines it.
 *  - The LPI registers (GICR_SETLPIR, CLRLPIR, PROPBASER, PENDBASER, INVLPIR,
 *    INVALLR: 64-bit, or either 32-bit half; GICR_SYNCR: 32-bit): without
 *    LPIs IHI 0069 leaves them RAZ/WI or IMPLEMENTATION DEFINED. RAZ/WI, as
 *    Xen makes them without an ITS (KVM keeps PROPBASER and PENDBASER as
 *    written, which nothing here would read): a doubleword access to one is
 *    served, not aborted.
 */
#include <errno.h>
#include <stddef.h>

#include "nospec.h"
#include "vgic.h"
#include "vgic_model.h"

/* RD_base, beyond gic_regs.h's GICR_CTLR, GICR_IIDR, GICR_TYPER and GICR_WAKER */
#define GICR_SETLPIR   0x0040 /* 64-bit, as the LPI registers down to INVALLR */
#define GICR_CLRLPIR   0x0048
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_INVLPIR   0x00a0
#define GICR_INVALLR   0x00b0
#define GICR_SYNCR     0x00c0
#define GICR_ID_START  0xffd0 /* GICR_PIDR4 .. GICR_CIDR3 */
#define GICR_PIDR2     0xffe8

#define GICR_TYPER_Processor_Number(n) ((uint64_t)(n) << 8)
#define GICR_TYPER_Affinity(aff0)      ((uint64_t)(aff0) << 32)

/* SGI_base: the distributor's per-INTID banks (GICD_BANKS ...), for INTIDs 0-31. */
#define GICR_NSACR 0x0e00

static uint64_t vgic_gicr_typer(const struct vgic_cell *v, unsigned int frame)
{
	uint64_t t = GICR_TYPER_Processor_Number(frame) | GICR_TYPER_Affinity(frame);

	if (frame == v->nr_vcpus - 1)
		t |= GICR_TYPER_Last;
	return t;
}

/* RD_base: the sizes IHI 0069 §12.10 gives each register (@off aligned to @size). */
static bool vgic_rd_size_ok(uint32_t off, unsigned int size)
{
	switch (off & ~7u) {
	case GICR_TYPER:
	case GICR_SETLPIR:
	case GICR_CLRLPIR:
	case GICR_PROPBASER:
	case GICR_PENDBASER:
	case GICR_INVLPIR:
	case GICR_INVALLR:
		return size == 8 || size == 4; /* 64-bit: a doubleword, or either half */
	default:
		break;
	}
	if (off < 0x80 || off == GICR_SYNCR || off >= GICR_ID_START)
		return size == 4;
	return true; /* reserved: RAZ/WI at any size */
}

/* An SGI_base offset the per-INTID banks serve (IGRPMODR0 too: RAZ/WI there). */
static bool vgic_sgi_banked(uint32_t off)
{
	return off >= GICD_BANKS && off < GICD_BANKS_END &&
	       (off < GICD_ITARGETSR || off >= GICD_ICFGR);
}

static bool vgic_sgi_size_ok(uint32_t off, unsigned int size)
{
	if (vgic_sgi_banked(off))
		return vgic_bank_size_ok(off, size); /* IGRPMODR0 too: a word */
	if (off == GICR_NSACR)
		return size == 4;
	return true; /* reserved: RAZ/WI at any size */
}

/* RD_base of vCPU @frame, with v->lock held. */
static void vgic_rd_reg(struct vgic_cell *v, unsigned int frame, uint32_t off,
			struct mmio_access *acc)
{
	struct vgic_vcpu *vc = &v->vcpus[frame];
	uint64_t r = 0;

	switch (off) {
	case GICR_IIDR:
		r = VGIC_IIDR;
		break;
	case GICR_TYPER:
	case GICR_TYPER + 4:
		r = vgic_gicr_typer(v, frame) >> ((off & 4) * 8);
		break;
	case GICR_WAKER:
		if (acc->write)
			vc->gicr_sleep = (acc->value & GICR_WAKER_ProcessorSleep) != 0;
		r = vc->gicr_sleep ? GICR_WAKER_ProcessorSleep | GICR_WAKER_ChildrenAsleep : 0;
		break;
	case GICR_PIDR2:
		r = 3u << GIC_PIDR2_ArchRev_SHIFT;
		break;
	default: /* GICR_CTLR, the LPI registers and everything else: RAZ/WI */
		break;
	}
	if (!acc->write)
		acc->value = r & mmio_size_mask(acc->size);
}

unsigned int vgic_redist_configures(uint64_t offset, unsigned int size, uint32_t *first)
{
	uint32_t off = (uint32_t)(offset % LAYOUT_VGICR_STRIDE);
	unsigned int n;

	*first = 0;
	if (off < GICR_SGI_BASE || !vgic_sgi_banked(off - GICR_SGI_BASE))
		return 0;
	n = vgic_bank_configures(off - GICR_SGI_BASE, size, first);
	if (*first >= VGIC_NR_PRIVATE)
		return 0; /* past INTID 31: reserved */
	return n < VGIC_NR_PRIVATE - *first ? n : VGIC_NR_PRIVATE - *first;
}

int vgic_redist_access(struct vgic_cell *v, unsigned int vcpu, uint64_t offset,
		       struct mmio_access *acc)
{
	struct vgic_foreign f = { .reg = NULL };
	uint32_t kick = 0, off;
	unsigned int frame, size;
	int busy = 0;
	bool sgi;

	if (!v || !acc || vcpu >= v->nr_vcpus)
		return -EINVAL;
	if (v->version != 3 || offset >= (uint64_t)v->nr_vcpus * LAYOUT_VGICR_STRIDE)
		return -ENOENT;
	frame = (unsigned int)array_index_nospec(offset / LAYOUT_VGICR_STRIDE, v->nr_vcpus);
	off = (uint32_t)(offset % LAYOUT_VGICR_STRIDE);
	sgi = off >= GICR_SGI_BASE;
	off %= GICR_SGI_BASE;
	size = acc->size;
	if ((size != 1 && size != 2 && size != 4 && size != 8) || off % size ||
	    !(sgi ? vgic_sgi_size_ok(off, size) : vgic_rd_size_ok(off, size)))
		return -EINVAL;
	acc->value &= mmio_size_mask(size);
	spin_lock(&v->lock);
	if (!sgi)
		vgic_rd_reg(v, frame, off, acc);
	else if (vgic_sgi_banked(off))
		busy = vgic_bank_access(v, vcpu, frame, off, acc, 0, VGIC_NR_PRIVATE, &f, &kick);
	else if (!acc->write)
		acc->value = 0; /* NSACR, reserved: RAZ/WI */
	/* As vgic_dist_access(): only the vCPUs whose fill may change look again. */
	if (!busy)
		vgic_touch(v, kick);
	spin_unlock(&v->lock);
	if (busy)
		return busy;
	if (f.reg)
		vgic_foreign_report(v, &f);
	return (int)kick;
}
