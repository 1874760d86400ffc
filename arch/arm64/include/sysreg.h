/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_SYSREG_H
#define BULKHEAD_ARM64_SYSREG_H

#include <stdbool.h>
#include <stdint.h>

#define read_sysreg(reg)                                         \
	({                                                       \
		uint64_t __val;                                  \
		__asm__ volatile("mrs %0, " #reg : "=r"(__val)); \
		__val;                                           \
	})

#define write_sysreg(val, reg) __asm__ volatile("msr " #reg ", %x0" : : "rZ"((uint64_t)(val)))

/* The same for a register named by a string, SYS_*: encodings the assembler may not know. */
#define read_sysreg_s(name)                                      \
	({                                                       \
		uint64_t __val;                                  \
		__asm__ volatile("mrs %0, " name : "=r"(__val)); \
		__val;                                           \
	})
#define write_sysreg_s(val, name) __asm__ volatile("msr " name ", %x0" : : "rZ"((uint64_t)(val)))
/* Each register named zeroed, in the order given: write_sysreg(0, reg) for a list. */
#define zero_sysregs(...) __asm__ volatile(".irp r, " #__VA_ARGS__ "\n\tmsr \\r, xzr\n\t.endr")

#define isb()	 __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")
#define wfi()	 __asm__ volatile("wfi" : : : "memory")
#define wfe()	 __asm__ volatile("wfe" : : : "memory")
#define sev()	 __asm__ volatile("sev" : : : "memory")
/* TLBI <op> with no register operand (vmalls12e1, alle2, ...). */
#define tlbi(op) __asm__ volatile("tlbi " #op : : : "memory")
/* WFIT Xt (FEAT_WFxT), spelt out for assemblers without it; the deadline in x0. */
#define wfit(deadline)                                                         \
	({                                                                     \
		register uint64_t __x0 __asm__("x0") = (deadline);             \
		__asm__ volatile(".inst 0xd5031020" : : "r"(__x0) : "memory"); \
	})
/* Clean and invalidate the data cache line of @va to the point of coherency. */
#define dc_civac(va) __asm__ volatile("dc civac, %0" : : "r"(va) : "memory")
/* Translate @va as an EL2 read would, the answer in PAR_EL1. */
#define at_s1e2r(va) __asm__ volatile("at s1e2r, %0" : : "r"(va) : "memory")
#ifdef BULKHEAD_HOST
/* Host unit tests drive device models from one thread: a compiler barrier stands for DSB. */
#undef dsb
#define dsb(opt) __asm__ volatile("" : : : "memory")
/*
 * ... and play the system registers the code under test names (the vGIC's
 * ICH_*_EL2, tests/unit/test_vgic_hw.c): a test that builds such code
 * defines these two. The ISB a write needs is a compiler barrier.
 */
uint64_t host_read_sysreg(const char *name);
void host_write_sysreg(const char *name, uint64_t val);
#undef read_sysreg
#undef write_sysreg
#undef read_sysreg_s
#undef write_sysreg_s
#undef isb
#define read_sysreg(reg)	  host_read_sysreg(#reg)
#define write_sysreg(val, reg)	  host_write_sysreg(#reg, (uint64_t)(val))
#define read_sysreg_s(name)	  host_read_sysreg(name)
#define write_sysreg_s(val, name) host_write_sysreg(name, (uint64_t)(val))
#define isb()			  __asm__ volatile("" : : : "memory")
/*
 * ... and the instructions the trap path waits or cleans with (tests/fuzz/fuzz_trap.c):
 * a WFI is a WFIT with no deadline (0), and code that uses them defines these two.
 */
void host_wfit(uint64_t deadline);
void host_dc_civac(uintptr_t va);
#undef wfi
#undef wfit
#undef dc_civac
#define wfi()	       host_wfit(0)
#define wfit(deadline) host_wfit(deadline)
#define dc_civac(va)   host_dc_civac(va)
/* ... and the EL2 map's translation check (tests/unit/test_mmu.c), into its PAR_EL1. */
void host_at_s1e2r(uint64_t va);
#undef at_s1e2r
#define at_s1e2r(va) host_at_s1e2r(va)
/* ... and the events and TLB maintenance a cell's stage 2 gives (tests/unit/test_stage2.c). */
void host_sev(void);
void host_tlbi(const char *op);
#undef sev
#undef tlbi
#define sev()	 host_sev()
#define tlbi(op) host_tlbi(#op)
#endif

/* CurrentEL */
#define CURRENTEL_EL_SHIFT 2

/* MPIDR_EL1: Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0] */
#define MPIDR_AFFINITY_MASK 0xff00ffffffULL

/* SCTLR_EL2 (non-VHE) */
#define SCTLR_EL2_M	(1UL << 0)
#define SCTLR_EL2_C	(1UL << 2)
#define SCTLR_EL2_SA	(1UL << 3)
#define SCTLR_EL2_I	(1UL << 12)
#define SCTLR_EL2_WXN	(1UL << 19)
#define SCTLR_EL2_DSSBS (1UL << 44) /* PSTATE.SSBS on taking an exception to EL2 */
#define SCTLR_EL2_RES1	0x30c50830UL

/* HCR_EL2 */
#define HCR_EL2_VM     (1UL << 0)
#define HCR_EL2_SWIO   (1UL << 1)
#define HCR_EL2_FMO    (1UL << 3)
#define HCR_EL2_IMO    (1UL << 4)
#define HCR_EL2_AMO    (1UL << 5)
#define HCR_EL2_TWI    (1UL << 13)
#define HCR_EL2_TID3   (1UL << 18) /* ID group 3 (ID_AA64*, ID_*, MVFR*) reads trapped */
#define HCR_EL2_TSC    (1UL << 19)
#define HCR_EL2_TIDCP  (1UL << 20)
#define HCR_EL2_TACR   (1UL << 21)
#define HCR_EL2_TSW    (1UL << 22)
#define HCR_EL2_RW     (1UL << 31)
#define HCR_EL2_TLOR   (1UL << 35) /* FEAT_LOR: LORSA/LOREA/LORN/LORC/LORID_EL1 trapped */
#define HCR_EL2_TERR   (1UL << 36) /* FEAT_RAS: error record registers trapped */
#define HCR_EL2_APK    (1UL << 40) /* FEAT_PAuth: key registers not trapped */
#define HCR_EL2_API    (1UL << 41) /* FEAT_PAuth: PAC instructions not trapped */
#define HCR_EL2_EnSCXT (1UL << 53) /* FEAT_CSV2_2, FEAT_CSV2_1p2: SCXTNUM_ELx not trapped */

/*
 * Optional features a cell owns outright (docs/traps.md), by their ID fields,
 * and their registers by encoding (S<op0>_<op1>_C<CRn>_C<CRm>_<op2>).
 */
#define ID_AA64PFR0_RAS_SHIFT	    28 /* ID_AA64PFR0_EL1.RAS [31:28] */
#define ID_AA64PFR0_SVE_SHIFT	    32 /* ID_AA64PFR0_EL1.SVE [35:32] */
#define ID_AA64PFR1_SME_SHIFT	    24 /* ID_AA64PFR1_EL1.SME [27:24] */
#define ID_AA64PFR0_AMU_SHIFT	    44 /* ID_AA64PFR0_EL1.AMU [47:44] */
#define ID_AA64PFR0_CSV2_SHIFT	    56 /* ID_AA64PFR0_EL1.CSV2 [59:56] */
#define ID_AA64PFR1_CSV2_FRAC_SHIFT 32 /* ID_AA64PFR1_EL1.CSV2_frac [35:32] */
/* ID_AA64ISAR1_EL1 APA [7:4], API [11:8], GPA [27:24], GPI [31:28] */
#define ID_AA64ISAR1_PAUTH   ((0xfUL << 4) | (0xfUL << 8) | (0xfUL << 24) | (0xfUL << 28))
#define ID_AA64ISAR2_PAUTH   ((0xfUL << 8) | (0xfUL << 12)) /* GPA3, APA3 */
#define SYS_ID_AA64ISAR2_EL1 "S3_0_C0_C6_2"
#define SYS_ZCR_EL1	     "S3_0_C1_C2_0"
#define SYS_SMPRI_EL1	     "S3_0_C1_C2_4"
#define SYS_SMCR_EL1	     "S3_0_C1_C2_6"
#define SYS_SVCR	     "S3_3_C4_C2_2"
#define SYS_TPIDR2_EL0	     "S3_3_C13_C0_5"
#define SYS_APIAKEYLO_EL1    "S3_0_C2_C1_0"
#define SYS_APIAKEYHI_EL1    "S3_0_C2_C1_1"
#define SYS_APIBKEYLO_EL1    "S3_0_C2_C1_2"
#define SYS_APIBKEYHI_EL1    "S3_0_C2_C1_3"
#define SYS_APDAKEYLO_EL1    "S3_0_C2_C2_0"
#define SYS_APDAKEYHI_EL1    "S3_0_C2_C2_1"
#define SYS_APDBKEYLO_EL1    "S3_0_C2_C2_2"
#define SYS_APDBKEYHI_EL1    "S3_0_C2_C2_3"
#define SYS_APGAKEYLO_EL1    "S3_0_C2_C3_0"
#define SYS_APGAKEYHI_EL1    "S3_0_C2_C3_1"
#define SYS_SCXTNUM_EL0	     "S3_3_C13_C0_7"
#define SYS_SCXTNUM_EL1	     "S3_0_C13_C0_7"
#define SYS_VDISR_EL2	     "S3_4_C12_C1_1" /* FEAT_RAS */
#define SYS_AMUSERENR_EL0    "S3_3_C13_C2_3" /* FEAT_AMU */

/* One 4-bit field of an ID register (unsigned: every field this code reads). */
static inline unsigned int id_field(uint64_t reg, unsigned int shift)
{
	return (unsigned int)(reg >> shift) & 0xf;
}

static inline bool cpu_has_ras(void)
{
	return id_field(read_sysreg(id_aa64pfr0_el1), ID_AA64PFR0_RAS_SHIFT) != 0;
}

/* The activity monitors (FEAT_AMU), which the cell is not given (CPTR_EL2.TAM). */
static inline bool cpu_has_amu(void)
{
	return id_field(read_sysreg(id_aa64pfr0_el1), ID_AA64PFR0_AMU_SHIFT) != 0;
}

static inline bool cpu_has_sve(void)
{
	return id_field(read_sysreg(id_aa64pfr0_el1), ID_AA64PFR0_SVE_SHIFT) != 0;
}

static inline bool cpu_has_sme(void)
{
	return id_field(read_sysreg(id_aa64pfr1_el1), ID_AA64PFR1_SME_SHIFT) != 0;
}

/* SCXTNUM_EL0/EL1 exist with FEAT_CSV2_2 (CSV2 >= 2) or FEAT_CSV2_1p2 (CSV2 1, CSV2_frac 2). */
static inline bool cpu_has_scxtnum(void)
{
	unsigned int csv2 = id_field(read_sysreg(id_aa64pfr0_el1), ID_AA64PFR0_CSV2_SHIFT);
	unsigned int frac = id_field(read_sysreg(id_aa64pfr1_el1), ID_AA64PFR1_CSV2_FRAC_SHIFT);

	return csv2 >= 2 || (csv2 == 1 && frac >= 2);
}

static inline bool cpu_has_pauth(void)
{
	return (read_sysreg(id_aa64isar1_el1) & ID_AA64ISAR1_PAUTH) ||
	       (read_sysreg_s(SYS_ID_AA64ISAR2_EL1) & ID_AA64ISAR2_PAUTH);
}

/* MDCR_EL2: debug and PMU traps for EL1/EL0 (docs/traps.md) */
#define MDCR_EL2_HPMN_MASK 0x1fUL
#define MDCR_EL2_TPMCR	   (1UL << 5)
#define MDCR_EL2_TPM	   (1UL << 6)
#define MDCR_EL2_TDOSA	   (1UL << 10)
#define MDCR_EL2_TDRA	   (1UL << 11)
#define MDCR_EL2_TPMS	   (1UL << 14) /* FEAT_SPE: the sampling controls PMS*_EL1 trapped */
#define MDCR_EL2_TTRF	   (1UL << 19) /* FEAT_TRF: TRFCR_EL1 trapped */

/* PMCR_EL0.N [15:11]: event counters implemented */
#define PMCR_EL0_N_SHIFT 11
#define PMCR_EL0_N_MASK	 0x1fUL

/*
 * ID_AA64DFR0_EL1: PMUVer [11:8], BRPs [15:12], WRPs [23:20] (number minus 1),
 * PMSVer [35:32] (FEAT_SPE), TraceFilt [43:40] (FEAT_TRF: TRFCR_EL1, TRFCR_EL2)
 */
#define ID_AA64DFR0_PMUVER_SHIFT    8
#define ID_AA64DFR0_BRPS_SHIFT	    12
#define ID_AA64DFR0_WRPS_SHIFT	    20
#define ID_AA64DFR0_PMSVER_SHIFT    32
#define ID_AA64DFR0_TRACEFILT_SHIFT 40

static inline bool cpu_has_trf(void)
{
	return id_field(read_sysreg(id_aa64dfr0_el1), ID_AA64DFR0_TRACEFILT_SHIFT) != 0;
}

static inline bool cpu_has_spe(void)
{
	return id_field(read_sysreg(id_aa64dfr0_el1), ID_AA64DFR0_PMSVER_SHIFT) != 0;
}

/* ID_AA64MMFR1_EL1.LO [19:16]: FEAT_LOR, mandatory from Armv8.1 */
#define ID_AA64MMFR1_LO_SHIFT 16

static inline bool cpu_has_lor(void)
{
	return id_field(read_sysreg(id_aa64mmfr1_el1), ID_AA64MMFR1_LO_SHIFT) != 0;
}

/* TCR_EL2 (non-VHE) */
#define TCR_EL2_RES1	   ((1UL << 31) | (1UL << 23))
#define TCR_EL2_T0SZ(bits) ((uint64_t)(64 - (bits)) << 0)
#define TCR_EL2_IRGN0_WBWA (1UL << 8)
#define TCR_EL2_ORGN0_WBWA (1UL << 10)
#define TCR_EL2_SH0_INNER  (3UL << 12)
#define TCR_EL2_TG0_4K	   (0UL << 14)
#define TCR_EL2_PS_SHIFT   16

/* MAIR: attr0 Normal WB RW-allocate, attr1 Device-nGnRE */
#define MAIR_EL2_VALUE 0x04ffUL

/* ID_AA64MMFR0_EL1 */
#define ID_AA64MMFR0_PARANGE_MASK 0xfUL

/*
 * SPSR_ELx (Arm ARM C5.2.18): the saved PSTATE. NZCV, DIT, PAN, SS and IL
 * have the same bits whether the exception came from AArch64 or AArch32.
 */
#define SPSR_M_MASK    0xfUL
#define SPSR_M_EL0T    0x0UL
#define SPSR_M_EL1T    0x4UL
#define SPSR_M_EL1H    0x5UL
#define SPSR_M_AARCH32 (1UL << 4)
#define SPSR_A32_E     (1UL << 9) /* AArch32 PSTATE.E: data accesses big-endian */
#define SPSR_F	       (1UL << 6)
#define SPSR_I	       (1UL << 7)
#define SPSR_A	       (1UL << 8)
#define SPSR_D	       (1UL << 9)
#define SPSR_DAIF      (SPSR_D | SPSR_A | SPSR_I | SPSR_F)
#define SPSR_BTYPE     (3UL << 10) /* FEAT_BTI */
#define SPSR_SSBS      (1UL << 12) /* FEAT_SSBS */
#define SPSR_ALLINT    (1UL << 13) /* FEAT_NMI */
#define SPSR_IL	       (1UL << 20)
#define SPSR_SS	       (1UL << 21)
#define SPSR_PAN       (1UL << 22) /* FEAT_PAN */
#define SPSR_UAO       (1UL << 23) /* FEAT_UAO */
#define SPSR_DIT       (1UL << 24) /* FEAT_DIT */
#define SPSR_TCO       (1UL << 25) /* FEAT_MTE */
#define SPSR_NZCV      (0xfUL << 28)
/* Taken from AArch32: T32 state, ITSTATE IT[7:2] in [15:10], IT[1:0] in [26:25] */
#define SPSR_T		 (1UL << 5)
#define SPSR_IT_HI_SHIFT 10
#define SPSR_IT_HI	 (0x3fUL << SPSR_IT_HI_SHIFT)
#define SPSR_IT_LO_SHIFT 25
#define SPSR_IT_LO	 (0x3UL << SPSR_IT_LO_SHIFT)

/* SCTLR_EL1: what an exception taken to EL1 sets PSTATE from */
#define SCTLR_EL1_SPAN	    (1UL << 23) /* 0: PSTATE.PAN set on entry */
#define SCTLR_EL1_E0E	    (1UL << 24) /* EL0 data accesses big-endian */
#define SCTLR_EL1_EE	    (1UL << 25) /* EL1 data accesses (and walks) big-endian */
#define SCTLR_EL1_DSSBS	    (1UL << 44) /* PSTATE.SSBS on entry */
#define SCTLR_EL1_SPINTMASK (1UL << 62) /* 0: PSTATE.ALLINT set on entry */

/* The ID fields of the PSTATE bits above that not every CPU has */
#define ID_AA64MMFR1_PAN_SHIFT 20 /* ID_AA64MMFR1_EL1.PAN [23:20] */
/* Spectre-BHB (spectre_plan.c): ECBHB [63:60], CLRBHB [31:28] */
#define ID_AA64MMFR1_ECBHB_SHIFT  60
#define ID_AA64ISAR2_CLRBHB_SHIFT 28
#define ID_AA64PFR1_SSBS_SHIFT	  4  /* ID_AA64PFR1_EL1.SSBS [7:4] */
#define ID_AA64PFR1_MTE_SHIFT	  8  /* ID_AA64PFR1_EL1.MTE [11:8] */
#define ID_AA64PFR1_NMI_SHIFT	  36 /* ID_AA64PFR1_EL1.NMI [39:36] */

/* ID_AA64ISAR2_EL1.WFxT [3:0]: 2 = WFIT and WFET (guest_trap.c) */
#define ID_AA64ISAR2_WFXT_SHIFT 0

#endif
