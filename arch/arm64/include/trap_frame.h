/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_TRAP_FRAME_H
#define BULKHEAD_ARM64_TRAP_FRAME_H

#include <stdbool.h>
#include <stdint.h>
#include "asm_defs.h"

/* Saved by arch/arm64/vectors.S; offsets in asm_defs.h. */
struct trap_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
	uint64_t sp; /* SP at the time of the exception (EL2 only) */
};

_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "trap_frame does not match FRAME_SIZE");
_Static_assert(__builtin_offsetof(struct trap_frame, elr) == FRAME_ELR, "FRAME_ELR");
_Static_assert(__builtin_offsetof(struct trap_frame, esr) == FRAME_ESR, "FRAME_ESR");

enum vector_kind {
	VECTOR_SYNC,
	VECTOR_IRQ,
	VECTOR_FIQ,
	VECTOR_SERROR,
};

/* Vector index 0..15 from vectors.S: (source << 2) | kind. */
#define VECTOR_SOURCE_CUR_SP0	0
#define VECTOR_SOURCE_CUR_SPX	1
#define VECTOR_SOURCE_LOWER_A64 2
#define VECTOR_SOURCE_LOWER_A32 3
/* The one entry whose frame is on the CPU's fault stack (vectors.S: fault_entry). */
#define VECTOR_FAULT_STACK ((VECTOR_SOURCE_CUR_SPX << 2) | VECTOR_SYNC)

void exception_dispatch(struct trap_frame *frame, unsigned int vector);

struct cell;
struct vcpu;
void guest_trap_sync(struct vcpu *vcpu, struct trap_frame *f);
/*
 * An exception from the guest that nothing emulates, an SError among them:
 * reported with its syndrome decoded, then the cell's on-fault policy.
 */
void guest_trap_unhandled(struct vcpu *vcpu, const struct trap_frame *f) __attribute__((noreturn));
/* A corrected or restartable SError (esr_serror_recoverable()): told, and the guest goes on. */
void guest_serror_recovered(struct vcpu *vcpu, const struct trap_frame *f);
/* A guest's SError taken as its vCPU leaves for its cell's stop or restart: told, no policy. */
void guest_serror_stopping(struct vcpu *vcpu, const struct trap_frame *f);
/*
 * A guest's SError whose error FEAT_RAS says is uncontainable (AET UC,
 * esr_serror_uncontainable()): told as the hardware's, then the system halts.
 */
void guest_serror_uncontainable(struct vcpu *vcpu, const struct trap_frame *f)
	__attribute__((noreturn));
/*
 * An SError taken at EL2 in arch_serror_take_for()'s window for @cell: its
 * devices', told as @cell's (fault_serror_quiesced()), the CPU going on; if
 * @uncontainable, told as the hardware's and the system halts, as for a
 * guest's.
 */
void cell_serror_quiesced(struct cell *cell, const struct trap_frame *f, bool uncontainable);
/*
 * vectors.S: back to the guest from @f, the frame vectors.S passed to
 * exception_dispatch() (the C calls above it abandoned), once an interrupt
 * arrives or, if not 0, CNTVCT_EL0 reaches @deadline (WFIT): a direct
 * cell's WFI (handle_wfi()).
 */
void guest_wfi_resume(struct trap_frame *f, uint64_t deadline) __attribute__((noreturn));
/*
 * vectors.S's neighbour vcpu_entry.S: exception_cpu_lost() on this CPU's
 * private stack from its top, the fault stack being small and the stack the
 * fault interrupted abandoned. Only on a CPU that runs a vCPU (it has one).
 */
void arch_cpu_park_lost(void) __attribute__((noreturn));
/* After an EL2 fault's report: the cell of this CPU's vCPU loses it (cell_cpu_lost()); parks. */
void exception_cpu_lost(void) __attribute__((noreturn));

#endif
