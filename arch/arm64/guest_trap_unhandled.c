// SPDX-License-Identifier: GPL-2.0-only
/*
 * An exception from a cell that nothing emulates, an SError among them
 * (exception.c, guest_trap.c): its syndrome decoded, then the cell's
 * on-fault policy; an uncontainable SError halts the system instead. A file
 * of its own, free of system-register accesses, so that
 * tests/unit/test_exception.c builds it on the host with exception.c.
 */
#include <stdio.h>
#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "console.h"
#include "esr.h"
#include "fault.h"
#include "halt.h"
#include "log.h"
#include "trap_frame.h"
#include "compiler.h"

/*
 * describe()'s longest, and its NUL: the longest class name, a 64-bit
 * ESR_EL2 (ISS2 is bits [55:32]), the longest ISS detail and a 64-bit FAR.
 * Before, 192 bytes, and 128 for the detail, could cut an abort's.
 */
#define UNHANDLED_TEXT                                                          \
	(sizeof("EC 0x00 (") - 1 + ESR_EC_NAME_MAX - 1 +                        \
	 sizeof("), ESR_EL2 0x0123456789abcdef: ") - 1 + ESR_DESCRIBE_MAX - 1 + \
	 sizeof(", FAR 0x0123456789abcdef"))

/*
 * FAR_EL2 only where the exception wrote it (esr_far_state()): an SError,
 * an EC 0x00 or a guarded control stack exception has no address, and an
 * abort with ISS.FnV set says it has none.
 */
static void describe(const struct trap_frame *f, char *what, size_t size)
{
	char detail[ESR_DESCRIBE_MAX];
	unsigned int ec = esr_ec(f->esr);
	enum esr_far far = esr_far_state(f->esr);
	int n;

	esr_describe_iss(f->esr, detail, sizeof(detail));
	n = snprintf(what, size, "EC 0x%02x (%s), ESR_EL2 0x%08lx%s%s", ec, esr_ec_name(ec),
		     (unsigned long)f->esr, detail[0] ? ": " : "", detail);
	if ((size_t)n >= size)
		return;
	if (far == ESR_FAR_VALID)
		snprintf(what + n, size - (size_t)n, ", FAR 0x%lx", (unsigned long)f->far);
	else if (far == ESR_FAR_FNV)
		snprintf(what + n, size - (size_t)n, ", FAR not valid (FnV)");
}

__cold void guest_trap_unhandled(struct vcpu *vcpu, const struct trap_frame *f)
{
	char what[UNHANDLED_TEXT];

	describe(f, what, sizeof(what));
	fault_unhandled(vcpu, what, f->elr);
}

__cold void guest_serror_recovered(struct vcpu *vcpu, const struct trap_frame *f)
{
	char what[UNHANDLED_TEXT];

	describe(f, what, sizeof(what));
	fault_ras_recovered(vcpu, what, f->elr);
}

__cold void guest_serror_stopping(struct vcpu *vcpu, const struct trap_frame *f)
{
	char what[UNHANDLED_TEXT];

	describe(f, what, sizeof(what));
	fault_serror_stopping(vcpu, what, f->elr);
}

/*
 * Not the cell's fault, and not counted as one: stopping the cell would not
 * contain an error that may be in memory or caches other cells use. Told as
 * the hardware's, then the system halts, as Linux panics on one (a KVM
 * guest's too). No other cell runs or prints after the report (halt_begin()).
 * @who: "<label>: vcpuN" or the label; @where: where it was taken.
 */
static __cold __attribute__((noreturn)) void halt_uncontainable(const char *who, const char *what,
								const char *where)
{
	halt_begin();
	log_err("%s: %s%s: an uncontainable error (RAS), which may have reached memory or caches "
		"other cells use: the hardware's, not charged to the cell; halting the system",
		who, what, where);
	console_flush();
	halt_system();
}

__cold void guest_serror_uncontainable(struct vcpu *vcpu, const struct trap_frame *f)
{
	char what[UNHANDLED_TEXT], who[LAYOUT_LABEL_MAX + 16], where[32];

	describe(f, what, sizeof(what));
	snprintf(who, sizeof(who), "%s: vcpu%u", vcpu->cell->cfg->label, vcpu->index);
	snprintf(where, sizeof(where), " at PC 0x%lx", (unsigned long)f->elr);
	halt_uncontainable(who, what, where);
}

__cold void cell_serror_quiesced(struct cell *cell, const struct trap_frame *f, bool uncontainable)
{
	char what[UNHANDLED_TEXT];

	describe(f, what, sizeof(what));
	if (uncontainable)
		halt_uncontainable(cell->cfg->label, what,
				   ", taken at EL2 right after its devices were quiesced");
	fault_serror_quiesced(cell, what, arch_cpu_index());
}
