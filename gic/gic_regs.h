/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * GIC register offsets and fields, named as the specifications name them:
 * GICv3/v4 (Arm IHI 0069, chapter 12) and GICv2 (Arm IHI 0048, chapter 4).
 * Private to gic/.
 */
#ifndef BULKHEAD_GIC_REGS_H
#define BULKHEAD_GIC_REGS_H

/* INTID ranges (IHI 0069 §2.2) */
#define GIC_NR_PRIVATE	32 /* SGIs 0-15, PPIs 16-31 */
#define GIC_NR_SGIS	16
#define GIC_INTID_LIMIT 1020 /* 1020-1023 are special INTIDs */

/*
 * Priority of every interrupt the hypervisor configures: mid-range 0xa0, below
 * PMR 0xff; one 32-bit IPRIORITYR write covers 4 INTIDs.
 */
#define GIC_PRIO_X4 0xa0a0a0a0u
/* The hypervisor's Group 0 interrupts on direct-mode CPUs: above any guest's (0x80-0xff). */
#define GIC_PRIO_HYP 0x00

/* Distributor (GICD), common to v2 and v3 unless marked */
#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IIDR	0x0008
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR	0x0800 /* v2 */
#define GICD_ICFGR	0x0c00
#define GICD_IGRPMODR	0x0d00 /* v3 */
#define GICD_SGIR	0x0f00 /* v2 */
#define GICD_CPENDSGIR	0x0f10 /* v2 */
#define GICD_IROUTER	0x6000 /* v3, 64-bit, one per INTID (SPIs only) */
#define GICD_PIDR2	0xffe8 /* v3 */

/* GICD_ICFGR<n>: Int_config[1] of INTID @intid's 2-bit field, 1 = edge-triggered */
#define GICD_ICFGR_EDGE(intid) (2u << (((intid) % 16) * 2))

/* GICD_CTLR, v3 with GICD_CTLR.DS == 1 (one Security state, IHI 0069 §12.9.4) */
#define GICD_CTLR_EnableGrp0 (1u << 0)
#define GICD_CTLR_EnableGrp1 (1u << 1)
#define GICD_CTLR_ARE	     (1u << 4)
#define GICD_CTLR_DS	     (1u << 6)
#define GICD_CTLR_RWP	     (1u << 31)
/* GICD_CTLR, v3 Non-secure view with DS == 0 */
#define GICD_CTLR_NS_EnableGrp1	 (1u << 0)
#define GICD_CTLR_NS_EnableGrp1A (1u << 1)
#define GICD_CTLR_NS_ARE_NS	 (1u << 4)
/*
 * GICD_CTLR, v2: bit 0 is EnableGrp0 without the Security Extensions, and
 * Enable (Group 1) in the Non-secure view with them (IHI 0048 §4.3.1).
 */
#define GICD_CTLR_V2_Enable (1u << 0)

/* GICD_TYPER */
#define GICD_TYPER_ITLinesNumber(t) ((t)&0x1f)
#define GICD_TYPER_CPUNumber(t)	    (((t) >> 5) & 0x7) /* v2 */
#define GICD_TYPER_SecurityExtn	    (1u << 10)	       /* v2 */
#define GICD_TYPER_RSS		    (1u << 26)	       /* v3 */

/* GICD_PIDR2 (v3) */
#define GICD_PIDR2_ArchRev(p) (((p) >> 4) & 0xf)

/* GICD_SGIR (v2) */
#define GICD_SGIR_TargetListFilter_LIST (0u << 24)
#define GICD_SGIR_TargetListFilter_SELF (2u << 24)
#define GICD_SGIR_CPUTargetList(m)	((uint32_t)(m) << 16)
#define GICD_SGIR_SGIINTID(n)		((uint32_t)(n)&0xf)

/*
 * Redistributor (GICR, v3): an RD_base frame then an SGI_base frame, 64 KiB
 * each; GICv4 adds two more (VLPI_base, reserved) when GICR_TYPER.VLPIS == 1.
 */
#define GICR_FRAME_SIZE 0x10000
#define GICR_SGI_BASE	0x10000
#define GICR_CTLR	0x0000
#define GICR_IIDR	0x0004
#define GICR_TYPER	0x0008 /* 64-bit */
#define GICR_WAKER	0x0014
/* In the SGI_base frame */
#define GICR_IGROUPR0	 0x0080
#define GICR_ISENABLER0	 0x0100
#define GICR_ICENABLER0	 0x0180
#define GICR_ISPENDR0	 0x0200
#define GICR_ICPENDR0	 0x0280
#define GICR_ICACTIVER0	 0x0380
#define GICR_IPRIORITYR0 0x0400
#define GICR_IGRPMODR0	 0x0d00

#define GICR_CTLR_RWP (1u << 3)

#define GICR_TYPER_VLPIS	     (1ULL << 1)
#define GICR_TYPER_Last		     (1ULL << 4)
#define GICR_TYPER_Affinity_Value(t) ((uint32_t)((t) >> 32))

#define GICR_WAKER_ProcessorSleep (1u << 1)
#define GICR_WAKER_ChildrenAsleep (1u << 2)

/* CPU interface (GICC, v2 memory-mapped) */
#define GICC_CTLR 0x0000
#define GICC_PMR  0x0004
#define GICC_BPR  0x0008
#define GICC_IAR  0x000c
#define GICC_EOIR 0x0010
#define GICC_DIR  0x1000

/* GICC_CTLR bit 0: EnableGrp0 without Security Extensions, EnableGrp1 in the NS view. */
#define GICC_CTLR_Enable	(1u << 0)
#define GICC_CTLR_EOImode	(1u << 9) /* EOImodeNS in the Non-secure view: same bit */
#define GICC_IAR_InterruptID(i) ((i)&0x3ff)

/* CPU interface system registers (v3) */
#define ICC_SRE_EL2_SRE	       (1ULL << 0)
#define ICC_SRE_EL2_Enable     (1ULL << 3)
#define ICC_CTLR_EL1_EOImode   (1ULL << 1)
#define ICC_IGRPEN0_EL1_Enable (1ULL << 0)
#define ICC_IGRPEN1_EL1_Enable (1ULL << 0)
#define ICC_IAR1_EL1_INTID(i)  ((i)&0xffffff)
#define ICC_PMR_EL1_LOWEST     0xff
/* ICC_CTLR_EL1.PRIbits [10:8]: priority bits implemented, minus one */
#define ICC_CTLR_EL1_PRIbits(v) ((unsigned int)(((v) >> 8) & 7) + 1)
/* ICH_VTR_EL2.PREbits [28:26]: virtual preemption bits implemented, minus one */
#define ICH_VTR_EL2_PREbits(v) ((unsigned int)(((v) >> 26) & 7) + 1)

/*
 * Active priority registers per group (ICC_AP0Rn_EL1/ICC_AP1Rn_EL1 for
 * @bits of priority, ICH_AP0Rn_EL2/ICH_AP1Rn_EL2 for @bits of virtual
 * preemption): a bit per preemption level, 32 in a register. n = 0 always;
 * n = 1 with 6 bits or more, n = 2 and 3 with 7 (IHI 0069 §12.4.1, §12.4.2,
 * §12.11.1, §12.11.2). Fewer than 5 bits is not an architected value.
 */
static inline unsigned int gic_nr_aprs(unsigned int bits)
{
	return bits >= 7 ? 4 : bits == 6 ? 2 : 1;
}

/* ICC_SGI1R_EL1 (IHI 0069 §12.11.19) */
#define ICC_SGI1R_TargetList(b) ((uint64_t)1 << ((b)&0xf))
#define ICC_SGI1R_Aff1(a)	((uint64_t)((a)&0xff) << 16)
#define ICC_SGI1R_INTID(n)	((uint64_t)((n)&0xf) << 24)
#define ICC_SGI1R_Aff2(a)	((uint64_t)((a)&0xff) << 32)
#define ICC_SGI1R_IRM		(1ULL << 40)
#define ICC_SGI1R_RS(r)		((uint64_t)((r)&0xf) << 44)
#define ICC_SGI1R_Aff3(a)	((uint64_t)((a)&0xff) << 48)
/* The same fields read from a guest's value @v (ICC_SGI1R_IRM reads as it is). */
#define SGI1R_TargetList(v) ((uint32_t)((v)&0xffff))
#define SGI1R_Aff1(v)	    ((uint32_t)(((v) >> 16) & 0xff))
#define SGI1R_INTID(v)	    ((uint32_t)(((v) >> 24) & 0xf))
#define SGI1R_Aff2(v)	    ((uint32_t)(((v) >> 32) & 0xff))
#define SGI1R_RS(v)	    ((uint32_t)(((v) >> 44) & 0xf))
#define SGI1R_Aff3(v)	    ((uint32_t)(((v) >> 48) & 0xff))

#endif
