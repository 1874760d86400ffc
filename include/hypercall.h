/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_HYPERCALL_H
#define BULKHEAD_HYPERCALL_H

#include <stdint.h>

struct vcpu;

/* SMCCC: x0 = function ID, x1..x3 arguments; results in x0..x3. */
struct smccc_regs {
	uint64_t a[4];
};

#define SMCCC_RET_NOT_SUPPORTED ((uint64_t)-1)

#define SMCCC_VERSION	    0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U

/* Bulkhead's own calls: SMCCC fast, 64-bit, vendor-specific hypervisor service. */
#define BULKHEAD_HC_BASE      0xc6000000U
#define BULKHEAD_HC_VERSION   (BULKHEAD_HC_BASE + 0x0)
#define BULKHEAD_HC_CELL_INFO (BULKHEAD_HC_BASE + 0x1)

/* An HVC from a guest (partitions/hypercall.c). Never fails: unknown IDs get -1. */
void hypercall_dispatch(struct vcpu *vcpu, struct smccc_regs *regs);
/* Guest PSCI (partitions/vpsci.c); returns 0 if @fid is not a PSCI call. */
int vpsci_call(struct vcpu *vcpu, struct smccc_regs *regs);

#endif
