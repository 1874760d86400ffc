/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_SYSREG_TRAP_H
#define BULKHEAD_ARM64_SYSREG_TRAP_H

#include <stdbool.h>
#include <stdint.h>
#include "esr.h"
#include "trap_frame.h"

struct vcpu;

/*
 * Trapped system register accesses and system instructions (EC 0x18) other
 * than the GICv3 SGI registers: emulated as docs/traps.md says, or UNDEFINED
 * for the guest (logged, counted). Always returns to the guest.
 */
void sysreg_trap(struct vcpu *vcpu, struct trap_frame *f);

/* Exceptions injected into the guest's EL1 (arch/arm64/guest_trap.c). */
void guest_inject_abort(struct trap_frame *f, bool data);
void guest_inject_undef(struct trap_frame *f);

/* The guest's general register @r as an MSR/MRS/SYS operand: x31 is XZR. */
static inline uint64_t guest_reg_read(const struct trap_frame *f, unsigned int r)
{
	return r == 31 ? 0 : f->x[r];
}

static inline void guest_reg_write(struct trap_frame *f, unsigned int r, uint64_t val)
{
	if (r != 31)
		f->x[r] = val;
}

/* Past the trapped instruction (ESR_ELx.IL: 32- or 16-bit). */
static inline void guest_skip_instruction(struct trap_frame *f)
{
	f->elr += (f->esr & ESR_ELx_IL) ? 4 : 2;
}

#endif
