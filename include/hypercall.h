/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_HYPERCALL_H
#define BULKHEAD_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* SMCCC: x0 = function ID, x1..x3 arguments; results in x0..x3. */
struct smccc_regs {
	uint64_t a[4];
};

#define SMCCC_RET_NOT_SUPPORTED ((uint64_t)-1)

/* Function ID fields (SMCCC, "Function Identifier"). */
#define SMCCC_FAST_CALL	       0x80000000U
#define SMCCC_FAST_MBZ	       0x00ff0000U /* bits 23:16 of a fast call: zero */
#define SMCCC_OEN_SHIFT	       24
#define SMCCC_OEN_MASK	       0x3f000000U
#define SMCCC_OEN_ARCH	       0
#define SMCCC_OEN_STANDARD     4
#define SMCCC_OEN_STANDARD_HYP 5

#define SMCCC_VERSION	    0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
/* Speculation workarounds (arch/arm64/include/spectre.h) */
#define SMCCC_ARCH_WORKAROUND_1 0x80008000U
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffU
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffU

/* Bulkhead's own calls: SMCCC fast, 64-bit, vendor-specific hypervisor service. */
#define BULKHEAD_HC_BASE      0xc6000000U
#define BULKHEAD_HC_VERSION   (BULKHEAD_HC_BASE + 0x0)
#define BULKHEAD_HC_CELL_INFO (BULKHEAD_HC_BASE + 0x1)
#define BULKHEAD_HC_WDT_KICK  (BULKHEAD_HC_BASE + 0x2)
/*
 * Management cells only; x1 = the target cell's index where one is needed.
 * CELL_STATUS: x1 = enum cell_state (include/cell.h), x2 boots, x3 faults.
 * CELL_STOP: x0 = 1 when queued, the cell being on its way to running
 * (manage.c, docs/console.md).
 */
#define BULKHEAD_HC_CELL_COUNT	 (BULKHEAD_HC_BASE + 0x10)
#define BULKHEAD_HC_CELL_STATUS	 (BULKHEAD_HC_BASE + 0x11)
#define BULKHEAD_HC_CELL_STOP	 (BULKHEAD_HC_BASE + 0x12)
#define BULKHEAD_HC_CELL_START	 (BULKHEAD_HC_BASE + 0x13)
#define BULKHEAD_HC_CELL_RESTART (BULKHEAD_HC_BASE + 0x14)
/* Shared memory: ring the doorbell of region x1 in member x2 (include/shm.h). */
#define BULKHEAD_HC_DOORBELL (BULKHEAD_HC_BASE + 0x20)

/* An HVC from a guest (partitions/hypercall.c). Never fails: unknown IDs get -1. */
void hypercall_dispatch(struct vcpu *vcpu, struct smccc_regs *regs);
/*
 * SMC #0 from @vcpu: PSCI, the SMCCC architecture calls and the other
 * standard services (NOT_SUPPORTED); false (refused, to be reported) for the rest.
 */
bool hypercall_smc(struct vcpu *vcpu, struct smccc_regs *regs);
/* Guest PSCI (partitions/vpsci.c); returns 0 if @fid is not a PSCI call. */
int vpsci_call(struct vcpu *vcpu, struct smccc_regs *regs);

#endif
