/* SPDX-License-Identifier: GPL-2.0-only */
/* What partitions/ needs from the CPU to run a guest (arch/arm64/vcpu.c, stage2.c). */
#ifndef BULKHEAD_ARCH_VCPU_H
#define BULKHEAD_ARCH_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include "cell.h"

/*
 * Stage 2 for @cell: tables from the boot-time pool, VMID = id + 1. With
 * @dma_tables the SMMU walks a second tree, which every mapping but
 * arch_stage2_map_cpu_only()'s also goes into; without, it walks the CPUs'.
 */
int arch_stage2_init(struct cell *cell, bool dma_tables);
int arch_stage2_map_ram(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size);
/* A shared-memory region: Normal memory, read-write or read-only, never executable. */
int arch_stage2_map_shared(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size,
			   bool writable);
int arch_stage2_map_device(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size);
/* A device only the cell's CPUs may reach, not its DMA (GICv2's GICV: banked per CPU). */
int arch_stage2_map_cpu_only(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size);
/*
 * Every stage-2 mapping of @cell taken away (the SMMU's tables too) or given
 * back, TLBs flushed on every CPU: a vCPU that ignores a stop traps at its
 * next instruction fetch.
 */
void arch_stage2_revoke(struct cell *cell, bool revoke);
/*
 * @cell's stage 2 on this CPU (VTCR_EL2, VTTBR_EL2), its stale TLB entries
 * of the VMID dropped: on the vCPU's own CPU, before entering it (vcpu.c).
 */
void arch_stage2_activate(struct cell *cell);
/* 4 KiB tables @cell's stage 2 took from the pool: all it costs besides struct cell. */
unsigned int arch_stage2_tables(const struct cell *cell);
/*
 * @cell's stage 2 as its devices' walker must see it (smmu/): the root
 * table's physical address (the CPUs' tree or the SMMU's own), and the
 * VTCR_EL2 value the CPU uses, whose bits [18:0] (T0SZ, SL0, IRGN0, ORGN0,
 * SH0, TG0, PS) describe the walk of either.
 */
uint64_t arch_stage2_dma_ttbr(struct cell *cell);
uint64_t arch_stage2_vtcr(struct cell *cell);
/*
 * This CPU's physical address size as stage 2 uses it (PARange, at most 48
 * bits). Every cell's tables are shaped for the boot CPU's: a CPU with less
 * cannot walk them and is not brought online (arch/arm64/smp.c).
 */
unsigned int arch_stage2_pa_bits(void);

/* Are the running guest's EL1 data accesses big-endian (SCTLR_EL1.EE)? */
bool arch_guest_big_endian(void);

/*
 * Enter @vcpu at its entry point with x0 = its context, EL1h, DAIF masked,
 * MMU off, EL1 system registers reset: the Linux arm64 boot protocol state,
 * little-endian but where a CPU_ON asked otherwise (vcpu->big_endian).
 */
void arch_vcpu_enter(struct vcpu *vcpu) __attribute__((noreturn));
/* Whether arch_vcpu_enter() is taking an SError left pending at EL2 (exception.c asks). */
bool arch_vcpu_serror_window(void);
/*
 * Whether an SError is pending at EL2 on this CPU (ISR_EL1.A): EL2 runs with
 * PSTATE.A set, so one that an access of this CPU raised waits there.
 */
bool arch_serror_pending(void);
/*
 * This CPU just made accesses for @cell's devices (its PCI functions
 * quiesced, maybe from another cell's CPU): an SError they raised is taken
 * now, in a window opened for it (PSTATE.A clear, after DSB SY and an ESB),
 * and exception.c charges it to @cell (arch_serror_window_cell()). Left
 * pending, it would be taken at this CPU's next entry of its own guest, as
 * that guest's fault.
 */
void arch_serror_take_for(struct cell *cell);
/* The cell whose SError arch_serror_take_for() is taking on this CPU, or NULL. */
struct cell *arch_serror_window_cell(void);

/*
 * Whether this entry of @vcpu is its first in its cell's current boot, which
 * it records: only then can an SError pending at EL2 be from before that
 * boot, and arch_vcpu_enter() take it as not the boot's. A vCPU the guest
 * turned off and on again (PSCI CPU_OFF, CPU_ON) is in the same boot, and an
 * SError its CPU holds is that boot's own. On @vcpu's CPU, after the
 * power-on its cell's lock ordered after the boot's start.
 */
static inline bool vcpu_enters_new_boot(struct vcpu *vcpu)
{
	uint64_t boot = vcpu->cell->boots;

	if (vcpu->entered_boot == boot)
		return false;
	vcpu->entered_boot = boot;
	return true;
}
/* Abandon the current trap and the stack: back into cell_cpu_loop(). */
void arch_vcpu_exit_to_loop(void) __attribute__((noreturn));

#endif
