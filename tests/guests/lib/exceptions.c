// SPDX-License-Identifier: GPL-2.0-only
/* EL1 exception handling: the expect-an-abort probe, and loud unexpected exceptions. */
#include "guest.h"

#define ESR_EC_SHIFT	 26
#define ESR_EC_MASK	 0x3fu
#define ESR_EC_DABT_CUR	 0x25u /* data abort taken without a change of EL */
#define ESR_EC_UNKNOWN	 0x00u /* an UNDEFINED instruction */
#define VECTOR_TYPE_SYNC 0
#define VECTOR_TYPE_IRQ	 1

/* Per vCPU: armed by expect_abort(), filled by the handler. */
static volatile bool abort_armed[GUEST_MAX_CPUS];
static volatile bool abort_seen[GUEST_MAX_CPUS];
static struct abort_record abort_rec[GUEST_MAX_CPUS];
/* Per vCPU: armed by expect_undef(), counted by the handler. */
static volatile bool undef_armed[GUEST_MAX_CPUS];
static volatile bool undef_seen[GUEST_MAX_CPUS];

/* A switch, not a table of pointers: the image must hold no absolute addresses. */
static const char *vector_type_name(unsigned int type)
{
	switch (type) {
	case 0:
		return "sync";
	case 1:
		return "irq";
	case 2:
		return "fiq";
	default:
		return "serror";
	}
}

void expect_abort(void)
{
	unsigned int cpu = guest_cpu_id();

	abort_seen[cpu] = false;
	abort_armed[cpu] = true;
}

bool abort_taken(struct abort_record *rec)
{
	unsigned int cpu = guest_cpu_id();
	bool seen = abort_seen[cpu];

	abort_armed[cpu] = false;
	if (seen && rec != NULL)
		*rec = abort_rec[cpu];
	return seen;
}

void expect_undef(void)
{
	unsigned int cpu = guest_cpu_id();

	undef_seen[cpu] = false;
	undef_armed[cpu] = true;
}

bool undef_taken(void)
{
	unsigned int cpu = guest_cpu_id();

	undef_armed[cpu] = false;
	return undef_seen[cpu];
}

__attribute__((weak)) bool guest_irq(struct exception_frame *frame)
{
	(void)frame;
	return false;
}

__attribute__((weak)) bool guest_sync(struct exception_frame *frame, unsigned int vector,
				      uint64_t esr)
{
	(void)frame;
	(void)vector;
	(void)esr;
	return false;
}

void exception_handle(struct exception_frame *f, unsigned int vector);

void exception_handle(struct exception_frame *f, unsigned int vector)
{
	unsigned int cpu = guest_cpu_id();
	uint64_t esr = read_sysreg(esr_el1);
	uint64_t far = read_sysreg(far_el1);
	unsigned int ec = (unsigned int)(esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	unsigned int type = vector & 3;

	if (type == VECTOR_TYPE_SYNC && ec == ESR_EC_DABT_CUR && abort_armed[cpu]) {
		abort_rec[cpu] = (struct abort_record){ .esr = esr, .far = far, .elr = f->elr };
		abort_armed[cpu] = false;
		abort_seen[cpu] = true;
		f->elr += 4; /* skip the probing load or store */
		return;
	}
	if (type == VECTOR_TYPE_SYNC && ec == ESR_EC_UNKNOWN && undef_armed[cpu]) {
		undef_armed[cpu] = false;
		undef_seen[cpu] = true;
		f->elr += 4; /* skip the undefined instruction */
		return;
	}
	if (type == VECTOR_TYPE_IRQ && guest_irq(f))
		return;
	if (type == VECTOR_TYPE_SYNC && guest_sync(f, vector, esr))
		return;
	printf("UNEXPECTED EXCEPTION %s (vector %u) on cpu %u: EC=0x%x ESR=0x%lx FAR=0x%lx "
	       "ELR=0x%lx\n",
	       vector_type_name(type), vector, cpu, ec, esr, far, f->elr);
	psci_system_off();
}

/* Each probe is one instruction, so ELR + 4 resumes right after it. */
int probe_read(uint64_t addr, uint64_t *val)
{
	uint64_t v = 0;

	expect_abort();
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	*val = v;
	return abort_taken(NULL) ? -1 : 0;
}

int probe_read32(uint64_t addr, uint32_t *val)
{
	uint32_t v = 0;

	expect_abort();
	__asm__ volatile("ldr %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	*val = v;
	return abort_taken(NULL) ? -1 : 0;
}

int probe_write(uint64_t addr, uint64_t val)
{
	expect_abort();
	__asm__ volatile("str %0, [%1]" : : "r"(val), "r"(addr) : "memory");
	return abort_taken(NULL) ? -1 : 0;
}

int probe_write32(uint64_t addr, uint32_t val)
{
	expect_abort();
	__asm__ volatile("str %w0, [%1]" : : "r"(val), "r"(addr) : "memory");
	return abort_taken(NULL) ? -1 : 0;
}
