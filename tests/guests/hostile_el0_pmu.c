// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_el0_pmu (battery): an AArch64 EL0 task reads PMCCNTR_EL0 and
 * PMCR_EL0. The cell's kernel (this program) reads PMUSERENR_EL0 as 0 (the
 * hypervisor traps the PMU, MDCR_EL2.TPM): EL0 has no PMU access, so each
 * read must trap to EL1 with EC 0x18 (MSR/MRS), ELR_EL1 at the instruction,
 * before any trap to EL2 (Arm ARM: the EL1 check comes first). With the
 * physical PMUSERENR_EL0 left enabled by firmware (the test build's
 * bulkhead.test-fault=pmuserenr) the reads went past EL1 to EL2, which read
 * them as zero: the kernel's own setting was not in force. The task then
 * calls SVC to come back to EL1.
 */
#include "hostile.h"

#define VECTOR_LOWER_A64_SYNC 8
#define ESR_EC(esr)	      (((esr) >> 26) & 0x3f)
#define EC_SYS64	      0x18
#define EC_SVC64	      0x15
#define SPSR_EL0T_MASKED      0x3c0
#define SPSR_EL1H_MASKED      0x3c5
/* ISS of a trapped MRS (EC 0x18): Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5],
 * CRm [4:1], Direction [0] = 1 (read). */
#define ISS_MRS(op1, crn, crm, op2, rt)                                              \
	((3UL << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((rt) << 5) | \
	 ((crm) << 1) | 1UL)

/* A64, run at EL0: two PMU reads with x0 set to a marker first, then back to EL1. */
static const uint32_t el0_task[] __attribute__((aligned(16))) = {
	0xd53b9d00, /* mrs x0, pmccntr_el0 */
	0xd53b9c01, /* mrs x1, pmcr_el0 */
	0xd4000001, /* svc #0 */
};
#define EL0_ACCESSES 2

static const char names[EL0_ACCESSES][16] = { "el0_pmccntr", "el0_pmcr" };
static const uint64_t want_iss[EL0_ACCESSES] = {
	ISS_MRS(3UL, 9UL, 13UL, 0UL, 0UL),
	ISS_MRS(3UL, 9UL, 12UL, 0UL, 1UL),
};

struct trap_seen {
	uint64_t esr, elr;
};

static struct trap_seen seen[EL0_ACCESSES];
static volatile unsigned int traps;
static volatile uint64_t svc_elr;

static void el0_back(void) __attribute__((noreturn));

bool guest_sync(struct exception_frame *f, unsigned int vector, uint64_t esr)
{
	if (vector != VECTOR_LOWER_A64_SYNC)
		return false;
	if (ESR_EC(esr) == EC_SYS64 && traps < EL0_ACCESSES) {
		seen[traps++] = (struct trap_seen){ esr, f->elr };
		f->elr += 4;
		return true;
	}
	if (ESR_EC(esr) == EC_SVC64) {
		svc_elr = f->elr;
		f->elr = (uintptr_t)el0_back;
		f->spsr = SPSR_EL1H_MASKED;
		return true;
	}
	return false;
}

/* Entered by the eret from the SVC handler, on EL1's stack: main() never returns. */
static void el0_back(void)
{
	unsigned int i, failures = 0;

	for (i = 0; i < EL0_ACCESSES; i++) {
		uint64_t want_elr = (uintptr_t)&el0_task[i];
		const struct trap_seen *s = &seen[i];

		if (i >= traps) {
			failures++;
			TEST_FAIL(names[i],
				  "no trap to EL1 (%u taken): the read went past the guest's "
				  "PMUSERENR_EL0",
				  traps);
		} else if (ESR_EC(s->esr) != EC_SYS64 || (s->esr & 0x1ffffffUL) != want_iss[i] ||
			   s->elr != want_elr) {
			failures++;
			TEST_FAIL(names[i], "ESR 0x%lx (want ISS 0x%lx) ELR 0x%lx (want 0x%lx)",
				  s->esr, want_iss[i], s->elr, want_elr);
		} else {
			TEST_PASS(names[i]);
		}
	}
	if (failures == 0)
		TEST_PASS("hostile_el0_pmu");
	hostile_done("el0_pmu");
}

int main(void *dtb)
{
	(void)dtb;
	printf("hostile_el0_pmu: entering AArch64 EL0 at %p\n", (const void *)el0_task);
	write_sysreg((uintptr_t)el0_task, elr_el1);
	write_sysreg(SPSR_EL0T_MASKED, spsr_el1); /* EL0t, DAIF masked */
	__asm__ volatile("isb; eret" ::: "memory");
	__builtin_unreachable();
}
