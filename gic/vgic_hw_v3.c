// SPDX-License-Identifier: GPL-2.0-only
/*
 * GICv3 virtual CPU interface control (IHI 0069 §12.4, ICH_*_EL2): list
 * registers written before each guest entry and read back after each exit,
 * ICH_HCR_EL2 for the enable and the underflow maintenance interrupt. The
 * guest's own CPU interface accesses (ICC_* at EL1) go to ICV_* in hardware.
 */
#include <stdint.h>
#include "gic_regs.h"
#include "sysreg.h"
#include "vgic_hw_priv.h"

/* ICH_HCR_EL2 */
#define ICH_HCR_EL2_En	(1ULL << 0)
#define ICH_HCR_EL2_UIE (1ULL << 1)

/* ICH_VTR_EL2.ListRegs [4:0]: number of list registers minus one. */
#define ICH_VTR_EL2_ListRegs(v) (((v)&0x1f) + 1)

/* ICH_LR<n>_EL2 (IHI 0069 §12.4.6) */
#define ICH_LR_vINTID_MASK    0xffffffffULL
#define ICH_LR_pINTID_SHIFT   32
#define ICH_LR_pINTID_MASK    0x1fffULL
#define ICH_LR_EOI	      (1ULL << 41) /* HW == 0: maintenance interrupt on EOI */
#define ICH_LR_Priority_SHIFT 48
#define ICH_LR_Group	      (1ULL << 60)
#define ICH_LR_HW	      (1ULL << 61)
#define ICH_LR_State_SHIFT    62

/* There is no indexed access to the list registers: one case per register, 0-15. */
#define ICH_LR_EACH(X) \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define ICH_LR_READ(n) \
	case n:        \
		return read_sysreg(ich_lr##n##_el2);
#define ICH_LR_WRITE(n)                             \
	case n:                                     \
		write_sysreg(val, ich_lr##n##_el2); \
		return;

static uint64_t ich_lr_read(unsigned int n)
{
	switch (n) {
		ICH_LR_EACH(ICH_LR_READ)
	default:
		return 0;
	}
}

static void ich_lr_write(unsigned int n, uint64_t val)
{
	switch (n) {
		ICH_LR_EACH(ICH_LR_WRITE)
	default:
		return;
	}
}

unsigned int vgic_hw_v3_nr_lrs(void)
{
	return ICH_VTR_EL2_ListRegs(read_sysreg(ich_vtr_el2));
}

/*
 * A fresh virtual CPU interface: nothing listed, no active priority (the
 * guest starts with no interrupt in service), ICH_VMCR_EL2 = 0 (the guest's
 * PMR, BPRs and group enables at their reset values). One vCPU per physical
 * CPU: nothing to save, the next vCPU here is the same one, reset.
 */
void vgic_hw_v3_reset(void)
{
	uint64_t vtr = read_sysreg(ich_vtr_el2);
	unsigned int n, nr = ICH_VTR_EL2_ListRegs(vtr),
			aprs = gic_nr_aprs(ICH_VTR_EL2_PREbits(vtr));

	write_sysreg(0, ich_hcr_el2);
	/* Every one implemented (at most 16: ICH_LR0-15_EL2), as on GICv2. */
	for (n = 0; n < nr; n++)
		ich_lr_write(n, 0);
	/*
	 * Every active priority register implemented: a guest stopped or
	 * restarted in an interrupt handler leaves its bit set, in APxR1-3 too
	 * when its priority is below 0x80 with 6 or 7 preemption bits.
	 */
	write_sysreg(0, ich_ap0r0_el2);
	write_sysreg(0, ich_ap1r0_el2);
	if (aprs >= 2) {
		write_sysreg(0, ich_ap0r1_el2);
		write_sysreg(0, ich_ap1r1_el2);
	}
	if (aprs >= 4) {
		write_sysreg(0, ich_ap0r2_el2);
		write_sysreg(0, ich_ap0r3_el2);
		write_sysreg(0, ich_ap1r2_el2);
		write_sysreg(0, ich_ap1r3_el2);
	}
	write_sysreg(0, ich_vmcr_el2);
	isb();
}

void vgic_hw_v3_read_lr(unsigned int n, struct vgic_lr *lr)
{
	uint64_t val = ich_lr_read(n);

	lr->intid = (uint32_t)(val & ICH_LR_vINTID_MASK);
	lr->priority = (uint8_t)(val >> ICH_LR_Priority_SHIFT);
	lr->group1 = (val & ICH_LR_Group) != 0;
	lr->state = (enum vgic_lr_state)(val >> ICH_LR_State_SHIFT);
	lr->hw = (val & ICH_LR_HW) != 0;
	lr->hw_intid = lr->hw ? (uint32_t)((val >> ICH_LR_pINTID_SHIFT) & ICH_LR_pINTID_MASK) : 0;
	lr->eoi_maintenance = !lr->hw && (val & ICH_LR_EOI);
	lr->source_vcpu = 0;
}

void vgic_hw_v3_write_lr(unsigned int n, const struct vgic_lr *lr)
{
	uint64_t val = 0;

	if (lr->state != VGIC_LR_INVALID) {
		val = (lr->intid & ICH_LR_vINTID_MASK) |
		      ((uint64_t)lr->priority << ICH_LR_Priority_SHIFT) |
		      ((uint64_t)(lr->state & 3) << ICH_LR_State_SHIFT);
		if (lr->group1)
			val |= ICH_LR_Group;
		if (lr->hw)
			val |= ICH_LR_HW | ((uint64_t)(lr->hw_intid & ICH_LR_pINTID_MASK)
					    << ICH_LR_pINTID_SHIFT);
		else if (lr->eoi_maintenance)
			val |= ICH_LR_EOI;
	}
	ich_lr_write(n, val);
}

/*
 * ICH_ELRSR_EL2: bit n set when list register n is empty, State 0 and no EOI
 * maintenance interrupt owed (HW = 1, or EOI = 0). One read for all.
 */
uint64_t vgic_hw_v3_empty_lrs(void)
{
	return read_sysreg(ich_elrsr_el2);
}

void vgic_hw_v3_set_hcr(bool enable, bool underflow)
{
	uint64_t hcr = (enable ? ICH_HCR_EL2_En : 0) | (underflow ? ICH_HCR_EL2_UIE : 0);

	write_sysreg(hcr, ich_hcr_el2);
	/* The list registers and the enable take effect before the ERET that follows. */
	isb();
}
