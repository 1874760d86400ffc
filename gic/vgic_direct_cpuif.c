// SPDX-License-Identifier: GPL-2.0-only
/*
 * Direct interrupt mode's common CPU interface registers (docs/vgic.md).
 * With HCR_EL2.FMO set, ICC_PMR_EL1, ICC_RPR_EL1, ICC_CTLR_EL1 and
 * ICC_DIR_EL1 are the virtual ICV_* ones at EL1 (IHI 0069, "Virtual
 * interrupt handling"), which drive nothing a direct cell has: its
 * interrupts are physical, so a priority mask written there masked none of
 * them, and an RTOS's critical section (FreeRTOS's GICv3 port masks with
 * ICC_PMR_EL1) took interrupts it had masked. ICH_HCR_EL2.TC traps the four
 * to EL2 (whatever ICH_HCR_EL2.En, which stays 0 here); the group registers
 * (ICC_IAR1_EL1, ICC_EOIR1_EL1, ICC_HPPIR1_EL1, ICC_BPR1_EL1, ICC_AP1Rn_EL1,
 * ICC_IGRPEN1_EL1: TALL1) are not trapped, and the SGI registers trapped
 * already (FMO).
 *
 * The guest's PMR goes into the physical ICC_PMR_EL1 squeezed as its
 * priorities are (0x80 | prio >> 1, vgic_direct_pmr_phys()): never below
 * 0x80, so the hypervisor's Group 0 interrupts (0x00: the kick, the
 * watchdog's timer) are never masked, and every interrupt the guest masks
 * stays masked (one whose priority shares the mask's physical level is
 * masked too: the squeeze loses a bit). It holds the guest's value at EL2 too: the hypervisor's own
 * interrupts pass it, and a WFI the CPU waits out for the guest (vectors.S)
 * must not be woken by an interrupt the guest masked. One vCPU per CPU:
 * nothing else runs here that would want another value.
 */
#include "cell.h"
#include "gic_regs.h"
#include "nospec.h"
#include "sysreg.h"
#include "vgic_hw.h"
#include "vgic_hw_priv.h"

/* ICH_HCR_EL2.TC: EL1 accesses to the common registers trap to EL2. */
#define ICH_HCR_EL2_TC (1ULL << 10)

/* ICH_VTR_EL2 fields a guest's ICV_CTLR_EL1 shows, and where ICC_CTLR_EL1 has them. */
#define ICH_VTR_EL2_PRIbits_SHIFT  29
#define ICH_VTR_EL2_IDbits_SHIFT   23
#define ICH_VTR_EL2_SEIS	   (1ULL << 22)
#define ICH_VTR_EL2_A3V		   (1ULL << 21)
#define ICC_CTLR_EL1_CBPR	   (1ULL << 0)
#define ICC_CTLR_EL1_PRIbits_SHIFT 8
#define ICC_CTLR_EL1_IDbits_SHIFT  11
#define ICC_CTLR_EL1_SEIS	   (1ULL << 14)
#define ICC_CTLR_EL1_A3V	   (1ULL << 15)
/* ICH_VMCR_EL2: the guest's EOImode and CBPR. */
#define ICH_VMCR_EL2_VEOIM (1ULL << 9)
#define ICH_VMCR_EL2_VCBPR (1ULL << 4)
/* ICC_RPR_EL1.NMI (FEAT_GICv3_NMI; RES0 without). */
#define ICC_RPR_EL1_NMI (1ULL << 63)

/* The guest's ICC_PMR_EL1 on each CPU (its one vCPU's). */
static uint8_t guest_pmr[PLATFORM_MAX_CPUS];

/* The priority bits a guest has (ICH_VTR_EL2.PRIbits, as ICV_CTLR_EL1 says), as a mask. */
static uint8_t vgic_direct_priority_mask(uint64_t vtr)
{
	unsigned int bits = (unsigned int)((vtr >> ICH_VTR_EL2_PRIbits_SHIFT) & 7) + 1;

	return (uint8_t)(0xff00u >> bits);
}

uint8_t vgic_direct_lowest(unsigned int pribits)
{
	return (uint8_t)(0x100 - (0x200 >> pribits));
}

/*
 * Squeezed, 0xf0 became 0xf8, masked by ICC_PMR_EL1 at its lowest on a
 * 5-bit interface (0xf8 too), where the guest expected it delivered.
 */
uint8_t vgic_direct_squeeze(uint8_t prio, uint8_t lowest)
{
	uint8_t p = (uint8_t)(0x80 | (prio >> 1));

	return p > lowest ? lowest : p;
}

/*
 * An interrupt is signalled if its priority is below the mask: with the
 * mask squeezed as the priorities are, every guest priority at or above
 * the guest's mask is at or above the physical one (the order is kept),
 * and one that shares its physical level is masked too. The guest's lowest
 * mask masks nothing a real interface of its bits would deliver: its
 * lowest priority is squeezed up to lowest, which only 0xff lets through
 * (the lowest priority is then delivered, where the guest's own interface
 * would not: never relied on, since no mask of its lets it through).
 */
uint8_t vgic_direct_pmr_phys(uint8_t pmr, uint8_t mask, uint8_t lowest)
{
	return pmr == mask ? ICC_PMR_EL1_LOWEST : vgic_direct_squeeze(pmr, lowest);
}

/*
 * The guest's running priority for the physical ICC_RPR_EL1's @rpr (its bits in
 * @mask). The physical running priority is the group priority of what is active,
 * split by ICC_BPR1_EL1, the guest's own and untrapped, over the squeezed
 * priorities: one bit coarser than its binary point asks (BPR1 = 4: 0x90
 * runs at 0xc8, group 0xc0, read back 0x80). The guest's finer group is not
 * kept anywhere to read it from (docs/vgic.md, "What it trades away").
 */
static uint8_t vgic_direct_rpr_guest(uint8_t rpr, uint8_t mask)
{
	if (rpr == ICC_PMR_EL1_LOWEST)
		return rpr; /* idle: nothing active */
	if (rpr < 0x80)
		return 0; /* a priority of the guest's own making (ICC_AP1Rn_EL1), above all of its
			   */
	return (uint8_t)((rpr << 1) & mask);
}

/* ICV_CTLR_EL1 as the virtual interface shows it: from ICH_VTR_EL2 and ICH_VMCR_EL2 ... */
static __attribute__((noinline)) uint64_t vgic_direct_ctlr_read(uint64_t vtr, uint64_t vmcr)
{
	uint64_t ctlr = ((vtr >> ICH_VTR_EL2_PRIbits_SHIFT) & 7) << ICC_CTLR_EL1_PRIbits_SHIFT |
			((vtr >> ICH_VTR_EL2_IDbits_SHIFT) & 7) << ICC_CTLR_EL1_IDbits_SHIFT;

	if (vtr & ICH_VTR_EL2_SEIS)
		ctlr |= ICC_CTLR_EL1_SEIS;
	if (vtr & ICH_VTR_EL2_A3V)
		ctlr |= ICC_CTLR_EL1_A3V;
	if (vmcr & ICH_VMCR_EL2_VEOIM)
		ctlr |= ICC_CTLR_EL1_EOImode;
	if (vmcr & ICH_VMCR_EL2_VCBPR)
		ctlr |= ICC_CTLR_EL1_CBPR;
	return ctlr;
}

/* ... and the ICH_VMCR_EL2 a write of @value to it leaves. */
static uint64_t vgic_direct_ctlr_write(uint64_t vmcr, uint64_t value)
{
	vmcr &= ~(ICH_VMCR_EL2_VEOIM | ICH_VMCR_EL2_VCBPR);
	if (value & ICC_CTLR_EL1_EOImode)
		vmcr |= ICH_VMCR_EL2_VEOIM;
	if (value & ICC_CTLR_EL1_CBPR)
		vmcr |= ICH_VMCR_EL2_VCBPR;
	return vmcr;
}

/* The guest's @pmr (in its bits) on this CPU, and into the physical ICC_PMR_EL1. */
static void pmr_write(unsigned int cpu, uint8_t pmr, uint8_t mask)
{
	uint8_t lowest = vgic_direct_lowest(ICC_CTLR_EL1_PRIbits(read_sysreg(icc_ctlr_el1)));

	guest_pmr[array_index_nospec(cpu, PLATFORM_MAX_CPUS)] = pmr & mask;
	/* The ERET back to the guest is a context synchronization event. */
	write_sysreg(vgic_direct_pmr_phys(pmr & mask, mask, lowest), icc_pmr_el1);
}

/*
 * The guest's registers as a reset leaves them: its PMR 0 (every interrupt
 * masked, as ICV_PMR_EL1 is after vgic_hw_v3_reset(), emulated mode's
 * reset too), and the common registers trapped from here on.
 */
void vgic_direct_cpuif_reset(struct vcpu *vcpu)
{
	pmr_write(vcpu->pcpu, 0, vgic_direct_priority_mask(read_sysreg(ich_vtr_el2)));
	write_sysreg(ICH_HCR_EL2_TC, ich_hcr_el2);
	isb();
}

/*
 * ICC_CTLR_EL1 and ICC_DIR_EL1 as they were before they trapped (the virtual
 * interface's): EOImode and CBPR kept in ICH_VMCR_EL2 as ICV_CTLR_EL1 kept
 * them, with no effect on the physical interface (docs/vgic.md: EOImode 1 is
 * not honoured), and a DIR does nothing.
 */
bool vgic_hw_direct_common(struct vcpu *vcpu, enum vgic_common_reg reg, bool read, uint64_t *val)
{
	unsigned int cpu = (unsigned int)array_index_nospec(vcpu->pcpu, PLATFORM_MAX_CPUS);
	uint64_t vtr;

	if (!vgic_direct(vcpu->cell))
		return false;
	vtr = read_sysreg(ich_vtr_el2);
	if (reg == VGIC_ICC_PMR) {
		if (read)
			*val = guest_pmr[cpu];
		else
			pmr_write(cpu, (uint8_t)*val, vgic_direct_priority_mask(vtr));
	} else if (reg == VGIC_ICC_RPR && read) {
		*val = read_sysreg(icc_rpr_el1);
		*val = (*val & ICC_RPR_EL1_NMI) |
		       vgic_direct_rpr_guest((uint8_t)*val, vgic_direct_priority_mask(vtr));
	} else if (reg == VGIC_ICC_CTLR) {
		if (read)
			*val = vgic_direct_ctlr_read(vtr, read_sysreg(ich_vmcr_el2));
		else
			write_sysreg(vgic_direct_ctlr_write(read_sysreg(ich_vmcr_el2), *val),
				     ich_vmcr_el2);
	} else if (reg != VGIC_ICC_DIR || read) {
		return false; /* RPR written, DIR read: UNDEFINED */
	}
	return true;
}
