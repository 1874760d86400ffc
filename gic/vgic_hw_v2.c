// SPDX-License-Identifier: GPL-2.0-only
/*
 * GICv2 virtual interface control (IHI 0048 §5.3, the GICH frame, banked per
 * CPU): list registers and GICH_HCR. The guest's CPU interface is the GICV
 * frame, mapped into its stage 2 where it expects GICC (partitions/cell.c).
 */
#include <stdint.h>
#include "gic_priv.h"
#include "vgic_hw_priv.h"

#define GICH_HCR    0x000
#define GICH_VTR    0x004
#define GICH_VMCR   0x008
#define GICH_ELRSR0 0x030
#define GICH_APR    0x0f0
#define GICH_LR0    0x100

#define GICH_HCR_En  (1u << 0)
#define GICH_HCR_UIE (1u << 1)

/* GICH_VTR.ListRegs [5:0]: number of list registers minus one. */
#define GICH_VTR_ListRegs(v) (((v)&0x3f) + 1)

/* GICH_LRn (IHI 0048 §5.3.11) */
#define GICH_LR_VirtualID_MASK	 0x3ffu
#define GICH_LR_PhysicalID_SHIFT 10
#define GICH_LR_PhysicalID_MASK	 0x3ffu
#define GICH_LR_CPUID_SHIFT	 10 /* HW == 0: source CPU of an SGI */
#define GICH_LR_CPUID_MASK	 0x7u
#define GICH_LR_EOI		 (1u << 19) /* HW == 0: maintenance interrupt on EOI */
#define GICH_LR_Priority_SHIFT	 23	    /* [27:23]: the top 5 bits of the priority */
#define GICH_LR_State_SHIFT	 28
#define GICH_LR_Grp1		 (1u << 30)
#define GICH_LR_HW		 (1u << 31)

static uintptr_t gich;

int vgic_hw_v2_init(const struct platform_gic *g)
{
	gich = (uintptr_t)g->hyp.base;
	return gich ? 0 : -1;
}

unsigned int vgic_hw_v2_nr_lrs(void)
{
	return GICH_VTR_ListRegs(gic_read32(gich, GICH_VTR));
}

/*
 * Every list register the interface has, not only the VGIC_MAX_LRS the fill
 * uses (GICH_VTR allows 64): one above them left pending or active by
 * firmware, a previous kernel or a cell would reach the guest at its entry,
 * and no sync would ever read it back.
 */
void vgic_hw_v2_reset(void)
{
	unsigned int n, nr = GICH_VTR_ListRegs(gic_read32(gich, GICH_VTR));

	gic_write32(gich, GICH_HCR, 0);
	for (n = 0; n < nr; n++)
		gic_write32(gich, GICH_LR0 + 4 * n, 0);
	gic_write32(gich, GICH_APR, 0);
	gic_write32(gich, GICH_VMCR, 0);
}

void vgic_hw_v2_read_lr(unsigned int n, struct vgic_lr *lr)
{
	uint32_t val = gic_read32(gich, GICH_LR0 + 4 * n);

	lr->intid = val & GICH_LR_VirtualID_MASK;
	lr->priority = (uint8_t)(((val >> GICH_LR_Priority_SHIFT) & 0x1f) << 3);
	lr->group1 = (val & GICH_LR_Grp1) != 0;
	lr->state = (enum vgic_lr_state)((val >> GICH_LR_State_SHIFT) & 3);
	lr->hw = (val & GICH_LR_HW) != 0;
	lr->hw_intid = lr->hw ? (val >> GICH_LR_PhysicalID_SHIFT) & GICH_LR_PhysicalID_MASK : 0;
	lr->source_vcpu = lr->hw ? 0 : (uint8_t)((val >> GICH_LR_CPUID_SHIFT) & GICH_LR_CPUID_MASK);
	lr->eoi_maintenance = !lr->hw && (val & GICH_LR_EOI);
}

void vgic_hw_v2_write_lr(unsigned int n, const struct vgic_lr *lr)
{
	uint32_t val = 0;

	if (lr->state != VGIC_LR_INVALID) {
		val = (lr->intid & GICH_LR_VirtualID_MASK) |
		      ((uint32_t)(lr->priority >> 3) << GICH_LR_Priority_SHIFT) |
		      ((uint32_t)(lr->state & 3) << GICH_LR_State_SHIFT);
		if (lr->group1)
			val |= GICH_LR_Grp1;
		if (lr->hw) {
			val |= GICH_LR_HW | ((lr->hw_intid & GICH_LR_PhysicalID_MASK)
					     << GICH_LR_PhysicalID_SHIFT);
		} else {
			val |= (uint32_t)(lr->source_vcpu & GICH_LR_CPUID_MASK)
			       << GICH_LR_CPUID_SHIFT;
			if (lr->eoi_maintenance)
				val |= GICH_LR_EOI;
		}
	}
	gic_write32(gich, GICH_LR0 + 4 * n, val);
}

/* GICH_ELRSR0, as ICH_ELRSR_EL2: list registers 0-31, of which the fill uses at most 16. */
uint64_t vgic_hw_v2_empty_lrs(void)
{
	return gic_read32(gich, GICH_ELRSR0);
}

void vgic_hw_v2_set_hcr(bool enable, bool underflow)
{
	gic_write32(gich, GICH_HCR, (enable ? GICH_HCR_En : 0) | (underflow ? GICH_HCR_UIE : 0));
}
