// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpu_features (battery, on QEMU's "max" CPU): what a cell owns outright
 * because its vCPU is the only thing its CPU runs (docs/traps.md) works as
 * on bare hardware, with nothing trapped to the hypervisor:
 *   - pointer authentication: the APIA key set, PACIA signs, AUTIA checks;
 *   - SVE at the CPU's longest vector length (ZCR_EL1.LEN = 15; "sve: vector
 *     length N bytes");
 *   - SME: SMSTART, RDSVL at the longest streaming length, SVCR, SMSTOP;
 *   - MOPS: SETP/SETM/SETE fill a buffer (HCRX_EL2.MSCEn).
 * Then it restarts itself from Streaming SVE mode with ZA on, ZCR_EL1,
 * SMCR_EL1 and a key set, and checks on boot 2 that the restart reset them.
 * A feature the CPU does not have is skipped ("... not implemented").
 */
#include "hostile.h"

#define SYS_ZCR_EL1	  "S3_0_C1_C2_0"
#define SYS_SMCR_EL1	  "S3_0_C1_C2_6"
#define SYS_SVCR	  "S3_3_C4_C2_2"
#define SYS_APIAKEYLO_EL1 "S3_0_C2_C1_0"
#define SYS_APIAKEYHI_EL1 "S3_0_C2_C1_1"
#define SYS_ISAR2	  "S3_0_C0_C6_2"
#define CPACR_FPEN	  (3UL << 20)
#define CPACR_ZEN	  (3UL << 16)
#define CPACR_SMEN	  (3UL << 24)
#define SCTLR_ENIA	  (1UL << 31)
#define SVCR_SM_ZA	  3UL

#define read_s(name)                                           \
	({                                                     \
		uint64_t __v;                                  \
		__asm__ volatile("mrs %0, " name : "=r"(__v)); \
		__v;                                           \
	})
#define write_s(v, name) __asm__ volatile("msr " name ", %0" : : "r"((uint64_t)(v)) : "memory")

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

/* Boot 1: leave every piece of state set that a restart must reset, then restart. */
static void restart_dirty(void) __attribute__((noreturn));
static void restart_dirty(void)
{
	if (has_sve())
		write_s(0xf, SYS_ZCR_EL1);
	if (has_pauth())
		write_s(0x1234, SYS_APIAKEYLO_EL1);
	if (has_sme()) {
		write_s(0xf, SYS_SMCR_EL1);
		__asm__ volatile("isb; .inst 0xd503477f" ::: "memory"); /* smstart */
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
	check(zcr == 0 && key == 0, "restart_sve_pauth_reset", "ZCR_EL1 0x%lx APIAKeyLo 0x%lx", zcr,
	      key);
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
	if (has_sme())
		sme();
	else
		printf("sme: not implemented\n");
	if (field(read_s(SYS_ISAR2), 16))
		mops();
	else
		printf("mops: not implemented\n");
	restart_dirty();
}
