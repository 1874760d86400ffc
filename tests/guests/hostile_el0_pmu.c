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
 * loads from an IPA the cell does not map: the abort the hypervisor injects
 * must reach the "lower EL, AArch64" vector (VBAR_EL1 + 0x400) with EC 0x24,
 * DFSC 0x10, FAR_EL1 the address (docs/traps.md), and the task goes on. It
 * calls SVC to come back to EL1. Before that, EL1 makes the same load with
 * SP_EL0 selected (EL1t): the abort must reach "current EL with SP0"
 * (VBAR_EL1 + 0x000) with EC 0x25, SPSR_EL1 saying EL1t.
 */
#include "hostile.h"

#define VECTOR_CUR_SP0_SYNC   0
#define VECTOR_LOWER_A64_SYNC 8
#define ESR_EC(esr)	      (((esr) >> 26) & 0x3f)
#define EC_SYS64	      0x18
#define EC_SVC64	      0x15
#define EC_DABT_LOW	      0x24
#define EC_DABT_CUR	      0x25
#define SPSR_EL0T_MASKED      0x3c0
#define SPSR_EL1H_MASKED      0x3c5
#define SPSR_M		      0xfUL
#define SPSR_M_EL0T	      0x0UL
#define SPSR_M_EL1T	      0x4UL
/* QEMU virt's platform bus: nothing there, and not in the cell's stage 2. */
#define UNMAPPED_IPA 0x0c000000UL
/* The abort injected for it: EC, IL 1, ISV 0, WnR 0, FnV 0, DFSC 0x10 (external abort). */
#define ESR_ABORT(ec) (((uint64_t)(ec) << 26) | (1UL << 25) | 0x10UL)
/* ISS of a trapped MRS (EC 0x18): Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5],
 * CRm [4:1], Direction [0] = 1 (read). */
#define ISS_MRS(op1, crn, crm, op2, rt)                                              \
	((3UL << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((rt) << 5) | \
	 ((crm) << 1) | 1UL)

/* A64, run at EL0: two PMU reads, a load from UNMAPPED_IPA, then back to EL1. */
static const uint32_t el0_task[] __attribute__((aligned(16))) = {
	0xd53b9d00, /* mrs x0, pmccntr_el0 */
	0xd53b9c01, /* mrs x1, pmcr_el0 */
	0xd2a18002, /* movz x2, #0x0c00, lsl #16: UNMAPPED_IPA */
	0xf9400043, /* ldr x3, [x2] */
	0xd4000001, /* svc #0 */
};
#define EL0_ACCESSES 2
#define EL0_LOAD     3 /* el0_task[] index of the load */

static const char names[EL0_ACCESSES][16] = { "el0_pmccntr", "el0_pmcr" };
static const uint64_t want_iss[EL0_ACCESSES] = {
	ISS_MRS(3UL, 9UL, 13UL, 0UL, 0UL),
	ISS_MRS(3UL, 9UL, 12UL, 0UL, 1UL),
};

struct trap_seen {
	uint64_t esr, elr;
};

/* An abort taken: its vector, ESR_EL1, FAR_EL1, ELR_EL1 and SPSR_EL1. */
struct abort_seen {
	unsigned int vector, count;
	uint64_t esr, far, elr, spsr;
};

static struct trap_seen seen[EL0_ACCESSES];
static volatile unsigned int traps;
static volatile uint64_t svc_elr;
static struct abort_seen el0_abort, el1t_abort;
static uint64_t el1t_pc;

static void el0_back(void) __attribute__((noreturn));

/* Record the abort, and go on past the load: each vector counts whatever it gets. */
static bool record_abort(struct abort_seen *a, struct exception_frame *f, unsigned int vector,
			 uint64_t esr)
{
	a->vector = vector;
	a->count++;
	a->esr = esr;
	a->far = read_sysreg(far_el1);
	a->elr = f->elr;
	a->spsr = f->spsr;
	f->elr += 4;
	return true;
}

bool guest_sync(struct exception_frame *f, unsigned int vector, uint64_t esr)
{
	if (ESR_EC(esr) == EC_DABT_LOW)
		return record_abort(&el0_abort, f, vector, esr);
	if (ESR_EC(esr) == EC_DABT_CUR)
		return record_abort(&el1t_abort, f, vector, esr);
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

/* The one abort @a the load at @pc took: at @vector, with EC @ec, from mode @mode. */
static unsigned int check_abort(const char *name, const struct abort_seen *a, unsigned int vector,
				unsigned int ec, uint64_t pc, uint64_t mode)
{
	if (a->count != 1) {
		TEST_FAIL(name, "%u aborts taken, want 1", a->count);
		return 1;
	}
	if (a->vector != vector || a->esr != ESR_ABORT(ec) || a->far != UNMAPPED_IPA ||
	    a->elr != pc || (a->spsr & SPSR_M) != mode) {
		TEST_FAIL(name,
			  "vector %u (want %u) ESR 0x%lx (want 0x%lx) FAR 0x%lx (want 0x%lx) "
			  "ELR 0x%lx (want 0x%lx) SPSR 0x%lx (want M 0x%lx)",
			  a->vector, vector, a->esr, ESR_ABORT(ec), a->far, UNMAPPED_IPA, a->elr,
			  pc, a->spsr, mode);
		return 1;
	}
	TEST_PASS(name);
	return 0;
}

/*
 * EL1 with SP_EL0 selected (EL1t, as a kernel may run) loads from
 * UNMAPPED_IPA; SP_EL0 is this stack, SP_EL1 takes the exception. Returns
 * the load's address.
 */
static uint64_t el1t_load(void)
{
	uint64_t pc, tmp;

	__asm__ volatile("mov %[t], sp\n\t"
			 "msr sp_el0, %[t]\n\t"
			 "adr %[pc], 1f\n\t"
			 "msr spsel, #0\n\t"
			 "1: ldr %[t], [%[a]]\n\t"
			 "msr spsel, #1"
			 : [pc] "=&r"(pc), [t] "=&r"(tmp)
			 : [a] "r"(UNMAPPED_IPA)
			 : "memory");
	return pc;
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
	failures += check_abort("el0_abort", &el0_abort, VECTOR_LOWER_A64_SYNC, EC_DABT_LOW,
				(uintptr_t)&el0_task[EL0_LOAD], SPSR_M_EL0T);
	failures += check_abort("el1t_abort", &el1t_abort, VECTOR_CUR_SP0_SYNC, EC_DABT_CUR,
				el1t_pc, SPSR_M_EL1T);
	if (failures == 0)
		TEST_PASS("hostile_el0_pmu");
	hostile_done("el0_pmu");
}

int main(void *dtb)
{
	(void)dtb;
	el1t_pc = el1t_load();
	printf("hostile_el0_pmu: entering AArch64 EL0 at %p\n", (const void *)el0_task);
	write_sysreg((uintptr_t)el0_task, elr_el1);
	write_sysreg(SPSR_EL0T_MASKED, spsr_el1); /* EL0t, DAIF masked */
	__asm__ volatile("isb; eret" ::: "memory");
	__builtin_unreachable();
}
