// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_ras (battery, on QEMU's "max" CPU, which has FEAT_RAS): the RAS
 * error records are not the cell's (a record may cover a cache other cells
 * share, and holds their addresses): HCR_EL2.TERR traps them and the cell
 * sees none (docs/traps.md). ERRIDR_EL1 reads 0, RAS_READS times, each a trap
 * (the scenario counts them in the shell's stats); ERRSELR_EL1 and the ERX*
 * record registers are RAZ/WI, or UNDEFINED by the CPU itself before any
 * trap when it has no records (QEMU): either way the cell runs on.
 */
#include "hostile.h"

#define RAS_READS 1000

#define read_s(name)                                           \
	({                                                     \
		uint64_t __v;                                  \
		__asm__ volatile("mrs %0, " name : "=r"(__v)); \
		__v;                                           \
	})

static unsigned int failures;

/* A record register: RAZ/WI through the trap, or UNDEFINED by the CPU. */
#define RECORD_RAZ_WI(reg, name)                                                  \
	do {                                                                      \
		uint64_t v = 0;                                                   \
		expect_undef();                                                   \
		__asm__ volatile("msr " reg ", %0" : : "r"(~0UL) : "memory");     \
		if (undef_taken()) {                                              \
			printf("%s: UNDEFINED by the CPU (no records)\n", name);  \
			break;                                                    \
		}                                                                 \
		__asm__ volatile("isb; mrs %0, " reg : "=r"(v) : : "memory");     \
		if (v != 0) {                                                     \
			failures++;                                               \
			TEST_FAIL(name, "reads 0x%lx after writing all ones", v); \
		} else {                                                          \
			printf("%s: RAZ/WI\n", name);                             \
		}                                                                 \
	} while (0)

int main(void *dtb)
{
	unsigned int ras = (unsigned int)(read_sysreg(id_aa64pfr0_el1) >> 28) & 0xf, i;
	uint64_t any = 0;

	(void)dtb;
	if (!ras) {
		TEST_FAIL("hostile_ras", "this CPU has no FEAT_RAS (ID_AA64PFR0_EL1.RAS 0)");
		hostile_done("ras");
	}
	for (i = 0; i < RAS_READS; i++)
		any |= read_s("S3_0_C5_C3_0"); /* ERRIDR_EL1 */
	printf("ras: %u reads of ERRIDR_EL1, OR of them 0x%lx\n", RAS_READS, any);
	if (any) {
		failures++;
		TEST_FAIL("erridr_zero", "ERRIDR_EL1 read 0x%lx", any);
	} else {
		TEST_PASS("erridr_zero");
	}
	RECORD_RAZ_WI("S3_0_C5_C3_1", "errselr_el1");
	RECORD_RAZ_WI("S3_0_C5_C4_1", "erxctlr_el1");
	RECORD_RAZ_WI("S3_0_C5_C4_2", "erxstatus_el1");
	RECORD_RAZ_WI("S3_0_C5_C4_3", "erxaddr_el1");
	RECORD_RAZ_WI("S3_0_C5_C5_0", "erxmisc0_el1");
	if (failures == 0)
		TEST_PASS("hostile_ras");
	hostile_done("ras");
}
