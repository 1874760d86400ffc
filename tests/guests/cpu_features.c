// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpu_features (battery, on QEMU's "max" CPU): what a cell owns outright
 * because its vCPU is the only thing its CPU runs (docs/traps.md) works as
 * on bare hardware, with nothing trapped to the hypervisor:
 *   - pointer authentication: the APIA key set, PACIA signs, AUTIA checks;
 *   - SVE at the CPU's longest vector length (ZCR_EL1.LEN = 15; "sve: vector
 *     length N bytes");
 *   - SME: SMSTART, RDSVL at the longest streaming length, SVCR, SMSTOP;
 *   - SME's TPIDR2_EL0 and SMPRI_EL1 (the fine-grained traps' n-bits set);
 *   - SCXTNUM_EL0/EL1 (HCR_EL2.EnSCXT);
 *   - MOPS: SETP/SETM/SETE fill a buffer (HCRX_EL2.MSCEn);
 *   - exception entry: the PSTATE an exception the hypervisor injects (an
 *     abort for an unmapped IPA, an UNDEF for a trapped IMPLEMENTATION DEFINED
 *     register) gives EL1 is the one the CPU gives for its own (UDF): PAN,
 *     SSBS, TCO, UAO and ALLINT as SCTLR_EL1 says, DIT kept ("entry PSTATE");
 *   - WFIT (FEAT_WFxT), trapped with WFI: with interrupts masked and no timer
 *     armed, a 10 ms deadline ends the wait, three times ("wfit");
 * and that what it is not given is not advertised (MTE, the PMU, every field
 * of ID_AA64PFR2_EL1 and ID_AA64MMFR3_EL1: HCR_EL2.TID3), nor usable: the
 * trace unit, the trace filter controls and the activity monitors read 0 in
 * the AArch64 and AArch32 ID registers, and TRFCR_EL1, TRCPRGCTLR and
 * AMCR_EL0 are UNDEFINED ("trace_amu").
 * Then it restarts itself from Streaming SVE mode with ZA on, ZCR_EL1,
 * SMCR_EL1, SCXTNUM_ELx and a key set, and with V0, V31, FPCR, FPSR (every CPU), Z0, Z31,
 * P0, P15, FFR (SVE) and a ZA row (SME) dirtied, and checks on boot 2 that
 * the restart reset them all: nothing of one boot reaches the next. A feature
 * the CPU does not have is skipped ("... not implemented"); the FP/SIMD part
 * runs everywhere (test_hostile.py runs it on a Cortex-A57 too).
 */
#include "hostile.h"

#define SYS_ZCR_EL1	  "S3_0_C1_C2_0"
#define SYS_SMCR_EL1	  "S3_0_C1_C2_6"
#define SYS_SVCR	  "S3_3_C4_C2_2"
#define SYS_APIAKEYLO_EL1 "S3_0_C2_C1_0"
#define SYS_APIAKEYHI_EL1 "S3_0_C2_C1_1"
#define SYS_ISAR2	  "S3_0_C0_C6_2"
#define SYS_TPIDR2_EL0	  "S3_3_C13_C0_5"
#define SYS_SMPRI_EL1	  "S3_0_C1_C2_4"
#define SYS_SMIDR_EL1	  "S3_1_C0_C0_6"
#define SMIDR_SMPS	  (1UL << 15) /* SMPRI_EL1.PRIORITY implemented, else RES0 */
#define TPIDR2_PATTERN	  0x7e57da7a7e57da7aUL
#define SYS_SCXTNUM_EL0	  "S3_3_C13_C0_7"
#define SYS_SCXTNUM_EL1	  "S3_0_C13_C0_7"
#define SYS_ID_AA64PFR2	  "S3_0_C0_C4_2"
#define SYS_ID_AA64MMFR3  "S3_0_C0_C7_3"
#define SYS_ID_RESERVED	  "S3_0_C0_C3_3" /* unallocated in the ID space: RAZ */
#define SYS_ID_PFR0	  "S3_0_C0_C1_0"
#define SYS_ID_DFR0	  "S3_0_C0_C1_2"
#define SYS_TRFCR_EL1	  "S3_0_C1_C2_1"  /* FEAT_TRF */
#define SYS_TRCPRGCTLR	  "S2_1_C0_C1_0"  /* the trace unit's programming control */
#define SYS_AMCR_EL0	  "S3_3_C13_C2_0" /* FEAT_AMU */
#define SCXTNUM_PATTERN	  0x5c7a5c7a00c0ffeeUL
#define CPACR_FPEN	  (3UL << 20)
#define CPACR_ZEN	  (3UL << 16)
#define CPACR_SMEN	  (3UL << 24)
#define SCTLR_ENIA	  (1UL << 31)
#define SVCR_SM_ZA	  3UL
/* Every architectural FPCR and FPSR bit that a write can set on an AArch64 CPU. */
#define FPCR_DIRTY 0x07c00000UL /* AHP, DN, FZ, RMode */
#define FPSR_DIRTY 0x0800009fUL /* QC, IDC, IXC, UFC, OFC, DZC, IOC */
#define FP_PATTERN 0x5ec12e7ca7c0ffeeUL
#define MAX_VL	   256 /* bytes: SVE and SME go up to 2048-bit vectors */

/* SVE and SME instructions by name: -mgeneral-regs-only only stops the compiler using them. */
#define SVE_SME ".arch_extension sve\n\t.arch_extension sme\n\t"

#define read_s(name)                                           \
	({                                                     \
		uint64_t __v;                                  \
		__asm__ volatile("mrs %0, " name : "=r"(__v)); \
		__v;                                           \
	})
#define write_s(v, name) __asm__ volatile("msr " name ", %0" : : "r"((uint64_t)(v)) : "memory")

/* PSTATE fields by their MSR/MRS names (Arm ARM C5.2); each reads in its SPSR bit. */
#define SYS_PAN		"S3_0_C4_C2_3"
#define SYS_UAO		"S3_0_C4_C2_4"
#define SYS_DIT		"S3_3_C4_C2_5"
#define SYS_SSBS	"S3_3_C4_C2_6"
#define SYS_TCO		"S3_3_C4_C2_7"
#define SYS_ALLINT	"S3_0_C4_C3_0"
#define SYS_MMFR2	"S3_0_C0_C7_2"
#define PSTATE_SSBS	(1UL << 12)
#define PSTATE_ALLINT	(1UL << 13)
#define PSTATE_PAN	(1UL << 22)
#define PSTATE_UAO	(1UL << 23)
#define PSTATE_DIT	(1UL << 24)
#define PSTATE_TCO	(1UL << 25)
#define SCTLR_SPAN	(1UL << 23)
#define SCTLR_DSSBS	(1UL << 44)
#define SCTLR_SPINTMASK (1UL << 62)
#define UNMAPPED_IPA	0x1000UL
#define ENTRY_NOT_TAKEN (~0UL)
#define WFIT_ROUNDS	3
#define WFIT_MAX_MS	50 /* a deadline 10 ms away must end the wait by then */
#define WFIT_MAX_WAITS	10 /* early wake-ups allowed, not a busy loop */

static unsigned int failures;

static unsigned int field(uint64_t reg, unsigned int shift)
{
	return (unsigned int)(reg >> shift) & 0xf;
}

static bool has_sve(void)
{
	return field(read_sysreg(id_aa64pfr0_el1), 32) != 0;
}

static bool has_sme(void)
{
	return field(read_sysreg(id_aa64pfr1_el1), 24) != 0;
}

static bool has_pauth(void)
{
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);

	return field(isar1, 4) || field(isar1, 8);
}

static void check(bool ok, const char *name, const char *fmt, uint64_t a, uint64_t b)
{
	if (ok) {
		TEST_PASS(name);
		return;
	}
	failures++;
	TEST_FAIL(name, fmt, a, b);
}

static void enable_fp_sve_sme(void)
{
	write_sysreg(read_sysreg(cpacr_el1) | CPACR_FPEN | CPACR_ZEN | CPACR_SMEN, cpacr_el1);
	__asm__ volatile("isb" ::: "memory");
}

static void pauth(void)
{
	register uint64_t x0 __asm__("x0") = 0x40001234UL;
	register uint64_t x1 __asm__("x1") = 0x5a5a;
	uint64_t signed_ptr;

	write_s(0x0123456789abcdefUL, SYS_APIAKEYLO_EL1);
	write_s(0xfedcba9876543210UL, SYS_APIAKEYHI_EL1);
	write_sysreg(read_sysreg(sctlr_el1) | SCTLR_ENIA, sctlr_el1);
	__asm__ volatile("isb; .inst 0xdac10020" : "+r"(x0) : "r"(x1) : "memory"); /* pacia */
	signed_ptr = x0;
	__asm__ volatile(".inst 0xdac11020" : "+r"(x0) : "r"(x1) : "memory"); /* autia */
	write_sysreg(read_sysreg(sctlr_el1) & ~SCTLR_ENIA, sctlr_el1);
	__asm__ volatile("isb" ::: "memory");
	printf("pauth: 0x40001234 signed 0x%lx, authenticated 0x%lx\n", signed_ptr, x0);
	check(signed_ptr != 0x40001234UL && x0 == 0x40001234UL, "pauth",
	      "signed 0x%lx, authenticated 0x%lx", signed_ptr, x0);
}

static void sve(void)
{
	register uint64_t x0 __asm__("x0");

	write_s(0xf, SYS_ZCR_EL1);
	__asm__ volatile("isb; .inst 0x04bf5020" : "=r"(x0) : : "memory"); /* rdvl x0, #1 */
	printf("sve: vector length %lu bytes\n", x0);
	check(x0 >= 16 && x0 % 16 == 0, "sve", "vector length %lu (ZCR_EL1 0x%lx)", x0,
	      read_s(SYS_ZCR_EL1));
}

static void sme(void)
{
	register uint64_t x0 __asm__("x0");
	uint64_t svcr;

	write_s(0xf, SYS_SMCR_EL1);
	__asm__ volatile("isb; .inst 0xd503477f" ::: "memory"); /* smstart */
	svcr = read_s(SYS_SVCR);
	__asm__ volatile(".inst 0x04bf5820" : "=r"(x0) : : "memory"); /* rdsvl x0, #1 */
	__asm__ volatile(".inst 0xd503467f" ::: "memory");	      /* smstop */
	printf("sme: streaming vector length %lu bytes, SVCR 0x%lx\n", x0, svcr);
	check(svcr == SVCR_SM_ZA && x0 >= 16 && x0 % 16 == 0 && read_s(SYS_SVCR) == 0, "sme",
	      "SVCR 0x%lx in streaming mode, streaming vector length %lu", svcr, x0);
}

/*
 * SME's TPIDR2_EL0 and SMPRI_EL1 are the cell's: written and read back with
 * no exception (fine-grained traps: HFGRTR_EL2/HFGWTR_EL2.nTPIDR2_EL0 and
 * nSMPRI_EL1 must be 1, boot/head.S).
 */
static void sme_registers(void)
{
	uint64_t want_smpri = (read_s(SYS_SMIDR_EL1) & SMIDR_SMPS) ? 0xf : 0;
	uint64_t tpidr2 = 0, smpri = 0;
	bool undef;

	expect_undef();
	write_s(TPIDR2_PATTERN, SYS_TPIDR2_EL0);
	tpidr2 = read_s(SYS_TPIDR2_EL0);
	write_s(0xf, SYS_SMPRI_EL1);
	smpri = read_s(SYS_SMPRI_EL1);
	undef = undef_taken();
	printf("sme: TPIDR2_EL0 0x%lx, SMPRI_EL1 0x%lx%s\n", tpidr2, smpri,
	       undef ? ", an access was UNDEFINED" : "");
	check(!undef && tpidr2 == TPIDR2_PATTERN, "sme_tpidr2",
	      "TPIDR2_EL0 read back 0x%lx (UNDEF taken: %lu)", tpidr2, (uint64_t)undef);
	check(!undef && smpri == want_smpri, "sme_smpri", "SMPRI_EL1 read back 0x%lx, want 0x%lx",
	      smpri, want_smpri);
}

/* FEAT_CSV2_2 (CSV2 >= 2) or FEAT_CSV2_1p2 (CSV2 1, CSV2_frac 2): SCXTNUM_EL0/EL1 exist. */
static bool has_scxtnum(void)
{
	unsigned int csv2 = field(read_sysreg(id_aa64pfr0_el1), 56);

	return csv2 >= 2 || (csv2 == 1 && field(read_sysreg(id_aa64pfr1_el1), 32) >= 2);
}

/* SCXTNUM_EL0/EL1 are the cell's (HCR_EL2.EnSCXT): written and read back, no exception. */
static void scxtnum(void)
{
	uint64_t el0, el1;
	bool undef;

	expect_undef();
	write_s(SCXTNUM_PATTERN, SYS_SCXTNUM_EL0);
	write_s(~SCXTNUM_PATTERN, SYS_SCXTNUM_EL1);
	el0 = read_s(SYS_SCXTNUM_EL0);
	el1 = read_s(SYS_SCXTNUM_EL1);
	undef = undef_taken();
	printf("scxtnum: EL0 0x%lx EL1 0x%lx%s\n", el0, el1,
	       undef ? ", an access was UNDEFINED" : "");
	check(!undef && el0 == SCXTNUM_PATTERN && el1 == ~SCXTNUM_PATTERN, "scxtnum",
	      "SCXTNUM_EL0 0x%lx SCXTNUM_EL1 0x%lx read back", el0, el1);
}

/*
 * What the cell is not given is not advertised (HCR_EL2.TID3): MTE (even on
 * "-M virt,mte=on"), the PMU, every field of ID_AA64PFR2_EL1 and
 * ID_AA64MMFR3_EL1; an unallocated ID encoding reads 0.
 */
static void hidden_features(void)
{
	uint64_t pfr1 = read_sysreg(id_aa64pfr1_el1), dfr0 = read_sysreg(id_aa64dfr0_el1);
	uint64_t pfr2 = read_s(SYS_ID_AA64PFR2), mmfr3 = read_s(SYS_ID_AA64MMFR3);
	uint64_t reserved = read_s(SYS_ID_RESERVED);

	printf("id: PFR1 0x%lx DFR0 0x%lx PFR2 0x%lx MMFR3 0x%lx S3_0_C0_C3_3 0x%lx\n", pfr1, dfr0,
	       pfr2, mmfr3, reserved);
	check(field(pfr1, 8) == 0, "id_mte_hidden", "ID_AA64PFR1_EL1 0x%lx: MTE %lu", pfr1,
	      (uint64_t)field(pfr1, 8));
	check(field(dfr0, 8) == 0, "id_pmu_hidden", "ID_AA64DFR0_EL1 0x%lx: PMUVer %lu", dfr0,
	      (uint64_t)field(dfr0, 8));
	check(pfr2 == 0 && mmfr3 == 0 && reserved == 0, "id_unoffered_registers_zero",
	      "ID_AA64PFR2_EL1 0x%lx ID_AA64MMFR3_EL1 0x%lx", pfr2, mmfr3 | reserved);
}

/* Reads @name, an UNDEF expected: 1 if it came. */
#define UNDEFINED_READ(name)                                                \
	({                                                                  \
		uint64_t __v = 0;                                           \
		expect_undef();                                             \
		__asm__ volatile("mrs %0, " name : "+r"(__v) : : "memory"); \
		(unsigned int)undef_taken();                                \
	})

/*
 * Not given, so neither advertised nor usable (docs/traps.md): the trace
 * unit's System registers (CPTR_EL2.TTA; TraceVer, CopTrc), the trace filter
 * controls (MDCR_EL2.TTRF; TraceFilt) and the activity monitors
 * (CPTR_EL2.TAM; AMU). No QEMU CPU has any of them, and QEMU lowers their
 * fields itself: there this holds by the CPU alone, which test_hostile.py
 * says and tests/unit/test_id_regs.c makes up for.
 */
static void trace_amu(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1), pfr0 = read_sysreg(id_aa64pfr0_el1);
	uint64_t dfr0_32 = read_s(SYS_ID_DFR0), pfr0_32 = read_s(SYS_ID_PFR0);
	unsigned int undefs = UNDEFINED_READ(SYS_TRFCR_EL1) + UNDEFINED_READ(SYS_TRCPRGCTLR) +
			      UNDEFINED_READ(SYS_AMCR_EL0);

	printf("trace_amu: ID_DFR0_EL1 0x%lx ID_PFR0_EL1 0x%lx; TRFCR_EL1, TRCPRGCTLR, AMCR_EL0: "
	       "%u of 3 UNDEFINED\n",
	       dfr0_32, pfr0_32, undefs);
	check(field(dfr0, 4) == 0 && field(dfr0, 40) == 0 && field(pfr0, 44) == 0,
	      "id_trace_amu_hidden", "ID_AA64DFR0_EL1 0x%lx ID_AA64PFR0_EL1 0x%lx", dfr0, pfr0);
	check(field(dfr0_32, 12) == 0 && field(dfr0_32, 28) == 0 && field(pfr0_32, 20) == 0,
	      "id_aarch32_trace_amu_hidden", "ID_DFR0_EL1 0x%lx ID_PFR0_EL1 0x%lx", dfr0_32,
	      pfr0_32);
	check(undefs == 3, "trace_amu_registers_undefined", "%lu of %lu reads UNDEFINED",
	      (uint64_t)undefs, 3);
}

static void mops(void)
{
	static uint64_t buf[8] __attribute__((aligned(64)));
	register uint64_t dst __asm__("x0") = (uintptr_t)buf;
	register uint64_t len __asm__("x1") = sizeof(buf);
	register uint64_t val __asm__("x2") = 0xa5;
	unsigned int i, bad = 0;

	__asm__ volatile(".inst 0x19c20420\n\t.inst 0x19c24420\n\t.inst 0x19c28420" /* set[pme] */
			 : "+r"(dst), "+r"(len)
			 : "r"(val)
			 : "memory");
	for (i = 0; i < 8; i++)
		bad += buf[i] != 0xa5a5a5a5a5a5a5a5UL;
	check(bad == 0 && len == 0, "mops", "%lu words wrong, %lu bytes left", bad, len);
}

/* V0 and V31 both halves, FPCR and FPSR set; with SVE also Z0/Z31 whole, P0/P15 and FFR. */
static void fpsimd_dirty(void)
{
	uint64_t v = FP_PATTERN;

	__asm__ volatile("dup v0.2d, %0\n\tdup v31.2d, %0" : : "r"(v) : "memory");
	__asm__ volatile("msr fpcr, %0\n\tmsr fpsr, %1" : : "r"(FPCR_DIRTY), "r"(FPSR_DIRTY));
	if (!has_sve())
		return;
	write_s(0xf, SYS_ZCR_EL1);
	__asm__ volatile(SVE_SME "isb\n\tdup z0.b, #0x5a\n\tdup z31.b, #0x5a\n\t"
				 "ptrue p0.b\n\tptrue p15.b\n\tsetffr" ::
					 : "memory");
}

/* The lowest ZA row (SME): the streaming vector length's bytes of 0x5a, ZA left on. */
static void za_dirty(void)
{
	static uint8_t row[MAX_VL] __attribute__((aligned(16)));
	register uint64_t x0 __asm__("x0") = (uintptr_t)row;
	unsigned int i;

	for (i = 0; i < sizeof(row); i++)
		row[i] = 0x5a;
	__asm__ volatile(SVE_SME "smstart za\n\tmov w12, #0\n\tldr za[w12, 0], [x0]"
			 : "+r"(x0)
			 :
			 : "x12", "memory");
}

static bool all_zero(const uint8_t *p, unsigned int n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/*
 * Boot 2: V0, V31, FPCR, FPSR read zero. With SVE, at the longest vector
 * length: Z0 and Z31 whole, P0, P15 and FFR all zero (QEMU zeroes the bits
 * above 128 itself when the vector length shrinks on the way into EL1; the
 * low 128 bits and the predicates are what a restart must clear).
 */
static void fpsimd_clean(void)
{
	static uint8_t z[2][MAX_VL] __attribute__((aligned(16)));
	static uint8_t p[3][MAX_VL / 8] __attribute__((aligned(16)));
	uint64_t v0lo, v0hi, v31lo, v31hi, fpcr, fpsr;

	__asm__ volatile("mov %0, v0.d[0]\n\tmov %1, v0.d[1]\n\tmov %2, v31.d[0]\n\t"
			 "mov %3, v31.d[1]\n\tmrs %4, fpcr\n\tmrs %5, fpsr"
			 : "=r"(v0lo), "=r"(v0hi), "=r"(v31lo), "=r"(v31hi), "=r"(fpcr),
			   "=r"(fpsr));
	printf("after the restart: V0 0x%016lx%016lx V31 0x%016lx%016lx FPCR 0x%lx FPSR 0x%lx\n",
	       v0hi, v0lo, v31hi, v31lo, fpcr, fpsr);
	check((v0lo | v0hi | v31lo | v31hi) == 0, "restart_fpsimd_regs_zeroed",
	      "V0 0x%lx V31 0x%lx", v0lo | v0hi, v31lo | v31hi);
	check(fpcr == 0 && fpsr == 0, "restart_fpcr_fpsr_zeroed", "FPCR 0x%lx FPSR 0x%lx", fpcr,
	      fpsr);
	if (!has_sve())
		return;
	write_s(0xf, SYS_ZCR_EL1);
	{
		register uint64_t z0 __asm__("x0") = (uintptr_t)z[0];
		register uint64_t z31 __asm__("x1") = (uintptr_t)z[1];
		register uint64_t pr __asm__("x2") = (uintptr_t)p;

		__asm__ volatile(SVE_SME "isb\n\tstr z0, [x0]\n\tstr z31, [x1]\n\tstr p0, [x2]\n\t"
					 "str p15, [x2, #1, mul vl]\n\trdffr p1.b\n\t"
					 "str p1, [x2, #2, mul vl]"
				 : "+r"(z0), "+r"(z31), "+r"(pr)
				 :
				 : "memory");
	}
	check(all_zero(z[0], sizeof(z)), "restart_sve_z_zeroed", "Z0 starts 0x%lx, Z31 0x%lx",
	      *(uint64_t *)z[0], *(uint64_t *)z[1]);
	check(all_zero(p[0], sizeof(p)), "restart_sve_p_ffr_zeroed", "P0 0x%lx FFR 0x%lx",
	      (uint64_t)p[0][0] | (uint64_t)p[0][1] << 8,
	      (uint64_t)p[2][0] | (uint64_t)p[2][1] << 8);
}

/* Boot 2, SME: ZA off after the restart, and zero when turned on again. */
static void za_clean(void)
{
	static uint8_t row[MAX_VL] __attribute__((aligned(16)));
	register uint64_t x0 __asm__("x0") = (uintptr_t)row;

	write_s(0xf, SYS_SMCR_EL1);
	__asm__ volatile(SVE_SME "isb\n\tsmstart za\n\tmov w12, #0\n\tstr za[w12, 0], [x0]\n\t"
				 "smstop za"
			 : "+r"(x0)
			 :
			 : "x12", "memory");
	check(all_zero(row, sizeof(row)), "restart_sme_za_zeroed", "ZA row 0 starts 0x%lx 0x%lx",
	      *(uint64_t *)row, *(uint64_t *)(row + 8));
}

static uint64_t pstate_have;
static volatile bool entry_armed;
static volatile uint64_t entry_seen;

/*
 * Whether PSTATE.TCO is there (FEAT_MTE): the ID registers cannot say, as
 * they hide MTE from a cell (HCR_EL2.TID3), but the CPU's own exceptions
 * set TCO all the same, so an injected one must too. MRS TCO is UNDEFINED
 * without FEAT_MTE (caught by guest_sync(), with no PSTATE field read yet).
 */
static bool has_tco(void)
{
	uint64_t v = 0;
	bool undefined;

	entry_armed = true;
	__asm__ volatile("mrs %0, " SYS_TCO : "+r"(v) : : "memory");
	undefined = !entry_armed;
	entry_armed = false;
	return !undefined;
}

/* The PSTATE fields this CPU has, of those exception entry sets or keeps. */
static uint64_t pstate_fields(void)
{
	uint64_t pfr1 = read_sysreg(id_aa64pfr1_el1), bits = 0;

	if (field(read_sysreg(id_aa64mmfr1_el1), 20))
		bits |= PSTATE_PAN;
	if (field(read_s(SYS_MMFR2), 4))
		bits |= PSTATE_UAO;
	if (field(read_sysreg(id_aa64pfr0_el1), 48))
		bits |= PSTATE_DIT;
	if (field(pfr1, 4) >= 2) /* FEAT_SSBS2: the MRS/MSR form */
		bits |= PSTATE_SSBS;
	if (has_tco())
		bits |= PSTATE_TCO;
	if (field(pfr1, 36))
		bits |= PSTATE_ALLINT;
	return bits;
}

/* The fields by bit and register, for pstate_read() and pstate_write(). */
#define PSTATE_FIELDS(X)         \
	X(PSTATE_PAN, SYS_PAN)   \
	X(PSTATE_UAO, SYS_UAO)   \
	X(PSTATE_DIT, SYS_DIT)   \
	X(PSTATE_SSBS, SYS_SSBS) \
	X(PSTATE_TCO, SYS_TCO)   \
	X(PSTATE_ALLINT, SYS_ALLINT)

static uint64_t pstate_read(void)
{
	uint64_t v = 0;

#define READ_FIELD(bit, reg) v |= (pstate_have & (bit)) ? read_s(reg) : 0;
	PSTATE_FIELDS(READ_FIELD)
#undef READ_FIELD
	return v;
}

static void pstate_write(uint64_t v)
{
#define WRITE_FIELD(bit, reg)    \
	if (pstate_have & (bit)) \
		write_s(v &(bit), reg);
	PSTATE_FIELDS(WRITE_FIELD)
#undef WRITE_FIELD
}

/* The armed exception: PSTATE as its handler finds it, then past the instruction. */
bool guest_sync(struct exception_frame *f, unsigned int vector, uint64_t esr)
{
	unsigned int ec = (unsigned int)(esr >> 26) & 0x3f;

	(void)vector;
	if (!entry_armed || (ec != 0x00 && ec != 0x25))
		return false;
	entry_seen = pstate_read();
	entry_armed = false;
	f->elr += 4;
	return true;
}

enum entry_kind { NATIVE_UNDEF, INJECTED_ABORT, INJECTED_UNDEF };

/* PSTATE on entry to the handler of @kind, taken with PSTATE @before. */
static uint64_t entry_pstate(enum entry_kind kind, uint64_t before)
{
	uint64_t v = 0;

	entry_armed = true;
	pstate_write(before);
	if (kind == NATIVE_UNDEF)
		__asm__ volatile("udf #0" ::: "memory");
	else if (kind == INJECTED_ABORT)
		__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(UNMAPPED_IPA) : "memory");
	else /* TIDCP: the hypervisor UNDEFs it */
		__asm__ volatile("mrs %0, S3_1_C15_C2_0" : "+r"(v) : : "memory");
	pstate_write(0);
	return entry_armed ? ENTRY_NOT_TAKEN : entry_seen;
}

/*
 * One SCTLR_EL1 setting and PSTATE before: the injected exceptions must enter
 * as the native one does; DIT against the rule (kept), as QEMU's own entry
 * clears it.
 */
static bool entry_pstate_matches(uint64_t sctlr, uint64_t before)
{
	uint64_t native, abort, undef, dit = before & pstate_have & PSTATE_DIT;

	write_sysreg(sctlr, sctlr_el1);
	__asm__ volatile("isb" ::: "memory");
	native = entry_pstate(NATIVE_UNDEF, before);
	abort = entry_pstate(INJECTED_ABORT, before);
	undef = entry_pstate(INJECTED_UNDEF, before);
	printf("entry PSTATE, SCTLR_EL1 0x%lx, before 0x%lx: native UNDEF 0x%lx, injected abort "
	       "0x%lx, injected UNDEF 0x%lx\n",
	       sctlr, before & pstate_have, native, abort, undef);
	return native != ENTRY_NOT_TAKEN && (abort & ~PSTATE_DIT) == (native & ~PSTATE_DIT) &&
	       (undef & ~PSTATE_DIT) == (native & ~PSTATE_DIT) && (abort & PSTATE_DIT) == dit &&
	       (undef & PSTATE_DIT) == dit;
}

static void exception_entry(void)
{
	uint64_t sctlr = read_sysreg(sctlr_el1);
	/* As Linux runs: SPAN 0 (PAN set on entry); DSSBS 1, SPINTMASK 0 (SSBS, ALLINT set). */
	uint64_t set = (sctlr & ~(SCTLR_SPAN | SCTLR_SPINTMASK)) | SCTLR_DSSBS;
	/* The other way: PAN kept, SSBS and ALLINT cleared. */
	uint64_t keep = (sctlr | SCTLR_SPAN | SCTLR_SPINTMASK) & ~SCTLR_DSSBS;
	bool ok;

	pstate_have = pstate_fields();
	ok = entry_pstate_matches(set, PSTATE_DIT | PSTATE_UAO);
	ok = entry_pstate_matches(keep, PSTATE_SSBS | PSTATE_TCO | PSTATE_UAO | PSTATE_ALLINT) &&
	     ok;
	write_sysreg(sctlr, sctlr_el1);
	__asm__ volatile("isb" ::: "memory");
	check(ok, "entry_pstate", "PSTATE fields 0x%lx, SCTLR_EL1 0x%lx (see above)", pstate_have,
	      sctlr);
}

/* WFIT x0: an assembler without FEAT_WFxT does not know it. */
static void wfit(uint64_t deadline)
{
	register uint64_t x0 __asm__("x0") = deadline;

	__asm__ volatile(".inst 0xd5031020" : : "r"(x0) : "memory");
}

/*
 * Like Linux's __delay(): WFIT until the counter passes a deadline 10 ms
 * away, with interrupts masked and no timer armed, so only the deadline can
 * end it. WFIT may complete early; it must neither hang nor spin.
 */
static void wfit_deadline(void)
{
	uint64_t freq = timer_freq(), daif = read_sysreg(daif), t0, deadline, ms, worst_ms = 0;
	unsigned int round, waits, most_waits = 0;

	__asm__ volatile("msr daifset, #3" ::: "memory");
	for (round = 0; round < WFIT_ROUNDS; round++) {
		t0 = timer_now();
		deadline = t0 + freq / 100;
		for (waits = 0; timer_now() < deadline && waits < WFIT_MAX_WAITS; waits++)
			wfit(deadline);
		ms = (timer_now() - t0) * 1000 / freq;
		printf("wfit: 10 ms deadline reached after %lu ms, %u WFITs\n", ms, waits);
		worst_ms = ms > worst_ms ? ms : worst_ms;
		most_waits = waits > most_waits ? waits : most_waits;
	}
	write_sysreg(daif, daif);
	check(worst_ms >= 10 && worst_ms <= WFIT_MAX_MS && most_waits < WFIT_MAX_WAITS, "wfit",
	      "slowest round %lu ms, most WFITs in a round %lu", worst_ms, most_waits);
}

/* Boot 1: leave every piece of state set that a restart must reset, then restart. */
static void restart_dirty(void) __attribute__((noreturn));
static void restart_dirty(void)
{
	fpsimd_dirty();
	if (has_sve())
		write_s(0xf, SYS_ZCR_EL1);
	if (has_pauth())
		write_s(0x1234, SYS_APIAKEYLO_EL1);
	if (has_sme()) {
		write_s(0xf, SYS_SMCR_EL1);
		__asm__ volatile("isb; .inst 0xd503477f" ::: "memory"); /* smstart */
		za_dirty();
	}
	printf("restarting with the state set\n");
	psci_system_reset();
}

static void restart_clean(void)
{
	uint64_t svcr = has_sme() ? read_s(SYS_SVCR) : 0;
	uint64_t smcr = has_sme() ? read_s(SYS_SMCR_EL1) : 0;
	uint64_t zcr = has_sve() ? read_s(SYS_ZCR_EL1) : 0;
	uint64_t key = has_pauth() ? read_s(SYS_APIAKEYLO_EL1) : 0;

	printf("after the restart: SVCR 0x%lx SMCR_EL1 0x%lx ZCR_EL1 0x%lx APIAKeyLo 0x%lx\n", svcr,
	       smcr, zcr, key);
	check(svcr == 0 && smcr == 0, "restart_sme_reset", "SVCR 0x%lx SMCR_EL1 0x%lx", svcr, smcr);
	if (has_scxtnum()) {
		uint64_t el0 = read_s(SYS_SCXTNUM_EL0), el1 = read_s(SYS_SCXTNUM_EL1);

		check(el0 == 0 && el1 == 0, "restart_scxtnum_reset", "SCXTNUM_EL0 0x%lx EL1 0x%lx",
		      el0, el1);
	}
	if (has_sme()) {
		uint64_t tpidr2 = read_s(SYS_TPIDR2_EL0), smpri = read_s(SYS_SMPRI_EL1);

		check(tpidr2 == 0 && smpri == 0, "restart_sme_registers_reset",
		      "TPIDR2_EL0 0x%lx SMPRI_EL1 0x%lx", tpidr2, smpri);
	}
	check(zcr == 0 && key == 0, "restart_sve_pauth_reset", "ZCR_EL1 0x%lx APIAKeyLo 0x%lx", zcr,
	      key);
	fpsimd_clean();
	if (has_sme())
		za_clean();
}

int main(void *dtb)
{
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;

	(void)dtb;
	printf("cpu_features: boot %lu, ID_AA64PFR0_EL1 0x%lx PFR1 0x%lx ISAR1 0x%lx ISAR2 0x%lx\n",
	       (unsigned long)boot, read_sysreg(id_aa64pfr0_el1), read_sysreg(id_aa64pfr1_el1),
	       read_sysreg(id_aa64isar1_el1), read_s(SYS_ISAR2));
	enable_fp_sve_sme();
	if (boot > 1) {
		restart_clean();
		if (failures == 0)
			TEST_PASS("cpu_features");
		hostile_done("features");
	}
	if (has_pauth())
		pauth();
	else
		printf("pauth: not implemented\n");
	if (has_sve())
		sve();
	else
		printf("sve: not implemented\n");
	if (has_sme()) {
		sme();
		sme_registers();
	} else
		printf("sme: not implemented\n");
	hidden_features();
	trace_amu();
	if (has_scxtnum())
		scxtnum();
	else
		printf("scxtnum: not implemented\n");
	if (field(read_s(SYS_ISAR2), 16))
		mops();
	else
		printf("mops: not implemented\n");
	exception_entry();
	if (field(read_s(SYS_ISAR2), 0) >= 2)
		wfit_deadline();
	else
		printf("wfit: not implemented\n");
	restart_dirty();
}
