// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_a32 (battery): coprocessor accesses from an AArch32 EL0 task that
 * the hypervisor's traps bring to EL2: DBGDRAR and DBGDSAR by MRC, trapped by
 * MDCR_EL2.TDRA (EC 0x05). Each must be UNDEFINED for the guest
 * (docs/traps.md): an exception at EL1's "lower EL, AArch32" vector with
 * ESR_EL1.EC 0 and IL 1, ELR_EL1 at the instruction, SPSR_EL1 in User mode;
 * the cell keeps running. The task then calls SVC to come back to EL1.
 * (QEMU gives EL0 the 64-bit MRRC forms untrapped, and UNDEFs the
 * IMPLEMENTATION DEFINED cp15 registers at EL1 itself: neither reaches EL2.)
 */
#include "hostile.h"

#define VECTOR_LOWER_A32_SYNC 12
#define ESR_EC(esr)	      (((esr) >> 26) & 0x3f)
#define ESR_IL		      (1UL << 25)
#define EC_SVC32	      0x11
#define SPSR_M_USR32	      0x10
#define SPSR_EL1H_MASKED      0x3c5

/* A32, run at EL0: two trapped accesses, then back to EL1. */
static const uint32_t a32_task[] __attribute__((aligned(16))) = {
	0xee110e10, /* mrc p14, 0, r0, c1, c0, 0   DBGDRAR */
	0xee120e10, /* mrc p14, 0, r0, c2, c0, 0   DBGDSAR */
	0xef000000, /* svc #0 */
};
#define A32_ACCESSES 2

/* An array of characters: a table of pointers would need relocating. */
static const char names[A32_ACCESSES][20] = { "a32_mrc_dbgdrar", "a32_mrc_dbgdsar" };

struct undef_seen {
	uint64_t esr, elr, spsr;
};

static struct undef_seen seen[A32_ACCESSES];
static volatile unsigned int undefs;

static void a32_back(void) __attribute__((noreturn));

bool guest_sync(struct exception_frame *f, unsigned int vector, uint64_t esr)
{
	if (vector != VECTOR_LOWER_A32_SYNC)
		return false;
	if (ESR_EC(esr) == 0 && undefs < A32_ACCESSES) {
		seen[undefs++] = (struct undef_seen){ esr, f->elr, f->spsr };
		f->elr += 4;
		return true;
	}
	if (ESR_EC(esr) == EC_SVC32) {
		f->elr = (uintptr_t)a32_back;
		f->spsr = SPSR_EL1H_MASKED;
		return true;
	}
	return false;
}

/* Entered by the eret from the SVC handler, on EL1's stack: main() never returns. */
static void a32_back(void)
{
	unsigned int i, failures = 0;

	for (i = 0; i < A32_ACCESSES; i++) {
		uint64_t want_elr = (uintptr_t)&a32_task[i];
		const struct undef_seen *s = &seen[i];

		if (i >= undefs) {
			failures++;
			TEST_FAIL(names[i], "no UNDEF (%u taken)", undefs);
		} else if (ESR_EC(s->esr) != 0 || !(s->esr & ESR_IL) || s->elr != want_elr ||
			   (s->spsr & 0x1f) != SPSR_M_USR32) {
			failures++;
			TEST_FAIL(names[i], "ESR 0x%lx ELR 0x%lx (want 0x%lx) SPSR 0x%lx", s->esr,
				  s->elr, want_elr, s->spsr);
		} else {
			TEST_PASS(names[i]);
		}
	}
	if (failures == 0)
		TEST_PASS("hostile_a32");
	hostile_done("a32");
}

int main(void *dtb)
{
	uint64_t el0 = read_sysreg(id_aa64pfr0_el1) & 0xf;

	(void)dtb;
	if (el0 != 2) {
		TEST_FAIL("hostile_a32", "this CPU has no AArch32 at EL0 (ID_AA64PFR0_EL1.EL0 %lu)",
			  el0);
		hostile_done("a32");
	}
	printf("hostile_a32: entering AArch32 EL0 at %p\n", (const void *)a32_task);
	write_sysreg((uintptr_t)a32_task, elr_el1);
	write_sysreg(SPSR_M_USR32 | (0xfUL << 6), spsr_el1); /* User, A32, DAIF masked */
	__asm__ volatile("isb; eret" ::: "memory");
	__builtin_unreachable();
}
