// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_sysreg (battery h): set/way cache maintenance and trapped system
 * registers, each expected to end as docs/traps.md says:
 *   - DC CISW over every set and way of every cache level (a full flush, as
 *     firmware does it), then DC ISW/CSW/CISW loops with any operand: the
 *     cell keeps running;
 *   - ACTLR_EL1 and the PMU registers: read as zero, writes ignored;
 *   - OS double lock, DBGPRCR_EL1, MDRAR_EL1: RAZ/WI; the OS lock works;
 *   - a watchpoint over the hypervisor's RAM and breakpoints on its likely
 *     entry points, enabled for EL2 (HMC = 1) with MDSCR_EL1.KDE/MDE set,
 *     while hypercalls make the hypervisor run: debug exceptions target EL1
 *     and are never taken at EL2, so nothing happens;
 *   - the LORegion registers (LORSA/LOREA/LORN/LORC/LORID_EL1): UNDEF, and
 *     ID_AA64MMFR1_EL1.LO reads 0 ("lor_undef": trapped by HCR_EL2.TLOR on a
 *     CPU with FEAT_LOR, QEMU's max; the Cortex-A53 has none and UNDEFs
 *     them itself);
 *   - SPE's sampling and buffer controls: UNDEF ("spe_undef": trapped by
 *     MDCR_EL2.TPMS and E2PB on a CPU that has SPE, UNDEFINED by the CPU
 *     itself on every QEMU model, which has none);
 *   - MPAM0_EL1 and MPAM1_EL1: UNDEF ("mpam_undef": trapped by
 *     MPAM2_EL2.TRAPMPAM0EL1/TRAPMPAM1EL1 on a CPU with MPAM, UNDEFINED by
 *     the CPU itself on every QEMU model, which has none);
 *   - IMPLEMENTATION DEFINED registers (Cortex-A53's L2CTLR_EL1, CPUECTLR_EL1,
 *     CPUACTLR_EL1 and unallocated ones): UNDEF;
 *   - software step (MDSCR_EL1.SS) over an emulated MMIO load and an emulated
 *     register read: the step exception comes right after each, as after any
 *     instruction ("single_step").
 */
#include "hostile.h"

#define SETWAY_LOOPS 2000
#define HYP_RAM	     0x40000000UL

static unsigned int failures;

#define RAZ_WI(reg, name)                                                         \
	do {                                                                      \
		uint64_t v;                                                       \
		write_sysreg(~0UL, reg);                                          \
		__asm__ volatile("isb" ::: "memory");                             \
		v = read_sysreg(reg);                                             \
		if (v != 0) {                                                     \
			failures++;                                               \
			TEST_FAIL(name, "reads 0x%lx after writing all ones", v); \
		}                                                                 \
	} while (0)

#define EXPECT_UNDEF(insn, name)                                                \
	do {                                                                    \
		uint64_t v = 0;                                                 \
		expect_undef();                                                 \
		__asm__ volatile(insn : "+r"(v) : : "memory");                  \
		if (!undef_taken()) {                                           \
			failures++;                                             \
			TEST_FAIL(name, "'%s' did not UNDEF (0x%lx)", insn, v); \
		}                                                               \
	} while (0)

static void dc_sw(unsigned int op, uint64_t v)
{
	switch (op % 3) {
	case 0:
		__asm__ volatile("dc cisw, %0" : : "r"(v) : "memory");
		break;
	case 1:
		__asm__ volatile("dc isw, %0" : : "r"(v) : "memory");
		break;
	default:
		__asm__ volatile("dc csw, %0" : : "r"(v) : "memory");
		break;
	}
}

static unsigned int log2_ceil(uint64_t n)
{
	unsigned int l = 0;

	while ((1UL << l) < n)
		l++;
	return l;
}

/* DC CISW over every set and way of every data/unified level; returns the operations done. */
static unsigned int full_flush(void)
{
	uint64_t clidr = read_sysreg(clidr_el1), ccsidr, ways, sets, set, way;
	unsigned int level, ctype, line, wshift, ops = 0;

	for (level = 0; level < 7; level++) {
		ctype = (clidr >> (level * 3)) & 7;
		if (ctype < 2)
			continue;
		write_sysreg(level << 1, csselr_el1);
		__asm__ volatile("isb" ::: "memory");
		ccsidr = read_sysreg(ccsidr_el1);
		line = (unsigned int)(ccsidr & 7) + 4;
		ways = ((ccsidr >> 3) & 0x3ff) + 1;
		sets = ((ccsidr >> 13) & 0x7fff) + 1;
		wshift = 32 - log2_ceil(ways);
		printf("L%u: %lu sets, %lu ways, %u-byte lines\n", level + 1, sets, ways,
		       1u << line);
		for (way = 0; way < ways; way++)
			for (set = 0; set < sets; set++) {
				dc_sw(0, (ways > 1 ? way << wshift : 0) | (set << line) |
						 (level << 1));
				ops++;
			}
	}
	__asm__ volatile("dsb sy" ::: "memory");
	return ops;
}

static void set_way(void)
{
	uint64_t s = 0x9e3779b97f4a7c15UL, t0 = timer_now();
	unsigned int i, ops = full_flush();

	printf("full set/way flush: %u operations in %lu ms\n", ops,
	       (timer_now() - t0) * 1000 / timer_freq());
	t0 = timer_now();
	for (i = 0; i < SETWAY_LOOPS; i++)
		dc_sw(i, xorshift64(&s));
	for (i = 0; i < SETWAY_LOOPS; i++)
		dc_sw(i, 0);
	printf("%u random and %u zero set/way operations in %lu ms\n", SETWAY_LOOPS, SETWAY_LOOPS,
	       (timer_now() - t0) * 1000 / timer_freq());
	TEST_PASS("set_way");
}

static void pmu(void)
{
	uint64_t c0, c1;

	RAZ_WI(pmcr_el0, "pmcr_el0");
	RAZ_WI(pmcntenset_el0, "pmcntenset_el0");
	RAZ_WI(pmintenset_el1, "pmintenset_el1");
	RAZ_WI(pmuserenr_el0, "pmuserenr_el0");
	RAZ_WI(pmselr_el0, "pmselr_el0");
	RAZ_WI(pmccfiltr_el0, "pmccfiltr_el0");
	RAZ_WI(pmevtyper0_el0, "pmevtyper0_el0");
	RAZ_WI(pmovsset_el0, "pmovsset_el0");
	c0 = read_sysreg(pmccntr_el0);
	udelay(1000);
	c1 = read_sysreg(pmccntr_el0);
	if (c0 || c1) {
		failures++;
		TEST_FAIL("pmccntr_el0", "counts: 0x%lx then 0x%lx", c0, c1);
	}
	TEST_PASS("pmu_raz_wi");
}

static void debug(void)
{
	unsigned int i;
	uint64_t oslsr;

	if (read_sysreg(mdrar_el1) != 0) {
		failures++;
		TEST_FAIL("mdrar_el1", "not zero");
	}
	RAZ_WI(osdlr_el1, "osdlr_el1");
	/* DBGPRCR_EL1: RAZ/WI, or UNDEFINED before the trap on a CPU model without it (QEMU). */
	expect_undef();
	write_sysreg(~0UL, dbgprcr_el1);
	if (undef_taken())
		printf("dbgprcr_el1: not implemented by this CPU (UNDEF)\n");
	else
		RAZ_WI(dbgprcr_el1, "dbgprcr_el1");
	write_sysreg(1, oslar_el1);
	__asm__ volatile("isb" ::: "memory");
	oslsr = read_sysreg(oslsr_el1);
	write_sysreg(0, oslar_el1);
	__asm__ volatile("isb" ::: "memory");
	if (!(oslsr & 2) || (read_sysreg(oslsr_el1) & 2)) {
		failures++;
		TEST_FAIL("os_lock", "OSLSR_EL1 0x%lx locked, 0x%lx unlocked", oslsr,
			  read_sysreg(oslsr_el1));
	}
	/* Watchpoint 0: 16 MiB at the hypervisor's RAM (MASK 24), loads and stores, every EL (HMC,
	 * SSC 01, PAC 11). */
	write_sysreg(HYP_RAM, dbgwvr0_el1);
	write_sysreg((24UL << 24) | (1UL << 14) | (1UL << 13) | (0xffUL << 5) | (3UL << 3) |
			     (3UL << 1) | 1,
		     dbgwcr0_el1);
	/* Breakpoints 0 and 1 on the first instructions of the hypervisor's image, every EL. */
	write_sysreg(HYP_RAM, dbgbvr0_el1);
	write_sysreg(HYP_RAM + 0x800, dbgbvr1_el1);
	write_sysreg((1UL << 14) | (1UL << 13) | (0xfUL << 5) | (3UL << 1) | 1, dbgbcr0_el1);
	write_sysreg((1UL << 14) | (1UL << 13) | (0xfUL << 5) | (3UL << 1) | 1, dbgbcr1_el1);
	/* MDSCR_EL1.MDE (15) and KDE (13), and PSTATE.D clear: enabled as far as EL1 can. */
	write_sysreg((1UL << 15) | (1UL << 13), mdscr_el1);
	__asm__ volatile("isb; msr daifclr, #8" ::: "memory");
	for (i = 0; i < 2000; i++)
		hvc_call(BULKHEAD_HC_VERSION, 0, 0, 0);
	printf("debug: 2000 hypercalls with an EL2 watchpoint and breakpoints armed\n");
	__asm__ volatile("msr daifset, #8" ::: "memory");
	write_sysreg(0, mdscr_el1);
	write_sysreg(0, dbgwcr0_el1);
	write_sysreg(0, dbgbcr0_el1);
	write_sysreg(0, dbgbcr1_el1);
	TEST_PASS("debug");
}

#define MDSCR_SS	(1UL << 0)
#define MDSCR_KDE	(1UL << 13)
#define EC_SOFTSTEP_CUR 0x33
#define GICD_TYPER	0x08000004UL /* emulated by the vGIC */
#define SPSR_M_EL1H	0x5UL
#define SPSR_D		(1UL << 9)
#define SPSR_SS		(1UL << 21)

static volatile unsigned int steps;
static volatile uint64_t step_elr;

/* A Software Step exception: where it came, then no more stepping. */
bool guest_sync(struct exception_frame *f, unsigned int vector, uint64_t esr)
{
	(void)vector;
	if (((esr >> 26) & 0x3f) != EC_SOFTSTEP_CUR)
		return false;
	steps++;
	step_elr = f->elr;
	write_sysreg(read_sysreg(mdscr_el1) & ~MDSCR_SS, mdscr_el1);
	f->spsr &= ~SPSR_SS;
	return true;
}

/*
 * As a debugger steps: ERET to INSN with SPSR_EL1 = @spsr (EL1h, D 0, SS 1;
 * MDSCR_EL1.SS set), so exactly INSN executes before the step exception.
 * Sets @next to the instruction after INSN, where ELR_EL1 must then point.
 */
#define STEP_OVER(insn, next, arg, spsr)        \
	__asm__ volatile("adr %0, 2f\n\t"       \
			 "adr x2, 1f\n\t"       \
			 "msr elr_el1, x2\n\t"  \
			 "msr spsr_el1, %2\n\t" \
			 "eret\n"               \
			 "1:\t" insn "\n"       \
			 "2:\tnop\n\t"          \
			 "nop"                  \
			 : "=&r"(next)          \
			 : "r"(arg), "r"(spsr)  \
			 : "x0", "x2", "memory")

/* After a STEP_OVER: PSTATE.D masked again, so stepping cannot restart at once. */
static bool stepped_once(const char *what, uint64_t next)
{
	bool ok = steps == 1 && step_elr == next;

	__asm__ volatile("msr daifset, #8" ::: "memory");
	printf("single step over %s: %u step exceptions, ELR 0x%lx, next instruction 0x%lx\n", what,
	       steps, step_elr, next);
	steps = 0;
	return ok;
}

static void single_step(void)
{
	uint64_t next, mdscr = read_sysreg(mdscr_el1);
	uint64_t spsr = (read_sysreg(daif) & ~SPSR_D) | SPSR_SS | SPSR_M_EL1H;
	bool ok;

	write_sysreg(0, oslar_el1);
	write_sysreg(mdscr | MDSCR_KDE | MDSCR_SS, mdscr_el1);
	__asm__ volatile("isb" ::: "memory");
	STEP_OVER("ldr w0, [%1]", next, GICD_TYPER, spsr);
	ok = stepped_once("an emulated MMIO load", next);
	write_sysreg(mdscr | MDSCR_KDE | MDSCR_SS, mdscr_el1);
	__asm__ volatile("isb" ::: "memory");
	STEP_OVER("mrs x0, actlr_el1", next, 0, spsr);
	ok = stepped_once("an emulated ACTLR_EL1 read", next) && ok;
	/*
	 * The OS lock this cell locks is its own view (OSLSR_EL1 says locked):
	 * the CPU's stays unlocked, or MDSCR_EL1's external debug fields would
	 * be the cell's to write. So a step still comes (QEMU holds debug
	 * exceptions off under a real lock).
	 */
	write_sysreg(1, oslar_el1);
	write_sysreg(mdscr | MDSCR_KDE | MDSCR_SS, mdscr_el1);
	__asm__ volatile("isb" ::: "memory");
	STEP_OVER("nop", next, 0, spsr);
	ok = stepped_once("a NOP with the cell's OS lock locked", next) && ok;
	if (!(read_sysreg(oslsr_el1) & 2)) {
		printf("OSLSR_EL1 0x%lx: the cell's OS lock is not locked\n",
		       read_sysreg(oslsr_el1));
		ok = false;
	}
	write_sysreg(0, oslar_el1);
	write_sysreg(mdscr, mdscr_el1);
	if (ok) {
		TEST_PASS("single_step");
		return;
	}
	failures++;
	TEST_FAIL("single_step", "not one step exception right after each (see above)");
}

/*
 * Before impdef(): the hypervisor logs a cell's first 8 UNDEFs, and on "max"
 * test_hostile.py looks for these five.
 */
static void lor(void)
{
	uint64_t lo = (read_sysreg(id_aa64mmfr1_el1) >> 16) & 0xf;

	if (lo) {
		failures++;
		TEST_FAIL("lor_hidden", "ID_AA64MMFR1_EL1.LO reads %lu", lo);
	}
	EXPECT_UNDEF("mrs %0, s3_0_c10_c4_3", "lorc_el1_read");
	EXPECT_UNDEF("msr s3_0_c10_c4_3, %0", "lorc_el1_write");
	EXPECT_UNDEF("msr s3_0_c10_c4_0, %0", "lorsa_el1_write");
	EXPECT_UNDEF("mrs %0, s3_0_c10_c4_2", "lorn_el1_read");
	EXPECT_UNDEF("mrs %0, s3_0_c10_c4_7", "lorid_el1_read");
	TEST_PASS("lor_undef");
}

/* Written with 0: harmless if they were not trapped. */
static void spe(void)
{
	EXPECT_UNDEF("msr s3_0_c9_c9_0, %0", "pmscr_el1_write");
	EXPECT_UNDEF("msr s3_0_c9_c9_3, %0", "pmsirr_el1_write");
	EXPECT_UNDEF("msr s3_0_c9_c10_0, %0", "pmblimitr_el1_write");
	TEST_PASS("spe_undef");
}

/*
 * The cell cannot tell whether its CPU has MPAM (the ID fields read 0), and
 * need not: the accesses are UNDEF either way, so probing is safe. Written
 * with 0. MPAMIDR_EL1 is left out: on a CPU with MPAM but neither
 * MPAM2_EL2.TIDR nor MPAMHCR_EL2 it reads as the CPU has it.
 */
static void mpam(void)
{
	EXPECT_UNDEF("mrs %0, s3_0_c10_c5_0", "mpam1_el1_read");
	EXPECT_UNDEF("msr s3_0_c10_c5_0, %0", "mpam1_el1_write");
	EXPECT_UNDEF("msr s3_0_c10_c5_1, %0", "mpam0_el1_write");
	TEST_PASS("mpam_undef");
}

static void impdef(void)
{
	EXPECT_UNDEF("mrs %0, s3_1_c11_c0_2", "l2ctlr_el1_read");
	EXPECT_UNDEF("msr s3_1_c11_c0_2, %0", "l2ctlr_el1_write");
	EXPECT_UNDEF("mrs %0, s3_1_c15_c2_1", "cpuectlr_el1_read");
	EXPECT_UNDEF("msr s3_1_c15_c2_1, %0", "cpuectlr_el1_write");
	EXPECT_UNDEF("msr s3_1_c15_c2_0, %0", "cpuactlr_el1_write");
	EXPECT_UNDEF("mrs %0, s3_0_c15_c0_0", "impdef_unallocated_read");
	EXPECT_UNDEF("msr s3_7_c15_c15_7, %0", "impdef_unallocated_write");
	EXPECT_UNDEF("mrs %0, s3_3_c11_c1_0", "impdef_crn11_read");
	TEST_PASS("impdef_undef");
}

int main(void *dtb)
{
	(void)dtb;
	set_way();
	RAZ_WI(actlr_el1, "actlr_el1");
	pmu();
	debug();
	single_step();
	lor();
	spe();
	mpam();
	impdef();
	if (failures == 0)
		TEST_PASS("hostile_sysreg");
	hostile_done("sysreg");
}
