/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The list-register back ends gic/vgic_hw.c switches between: GICv3's ICH_*
 * system registers (gic/vgic_hw_v3.c) and GICv2's GICH frame
 * (gic/vgic_hw_v2.c). Each converts struct vgic_lr to and from its own
 * list-register format. Private to gic/.
 */
#ifndef BULKHEAD_VGIC_HW_PRIV_H
#define BULKHEAD_VGIC_HW_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include "platform.h"
#include "cell.h"
#include "vgic.h"

/*
 * Shared by gic/vgic_hw.c (every exit and interrupt), gic/vgic_hw_access.c
 * (guest accesses) and gic/vgic_hw_cell.c (set-up): written at boot and when a cell starts, read on
 * the hot path.
 */
extern int vgic_hw_version; /* of the GIC: 2 or 3 */
extern unsigned int vgic_hw_nr_lrs;
extern uint32_t vgic_hw_maint_irq; /* 0: the board names none */
/* List registers each CPU holds non-empty (written by the last flush). */
extern uint64_t vgic_hw_lr_live[PLATFORM_MAX_CPUS];
/*
 * The last ICH_HCR_EL2 / GICH_HCR each CPU wrote was En alone, as an entry
 * with nothing to list wants it: then that entry does not write it again.
 * Whatever writes the register sets this with it (gic/vgic_hw.c's
 * set_hcr(), vgic_hw_vcpu_reset()): a stale true leaves the guest's virtual
 * CPU interface off.
 */
extern bool vgic_hw_hcr_on[PLATFORM_MAX_CPUS];
/* Device SPIs: the owning cell, and the physical CPU the SPI is routed to (+1, 0 = unset). */
extern struct cell *vgic_hw_spi_owner[VGIC_MAX_INTID + 1];
extern uint8_t vgic_hw_spi_route[VGIC_MAX_INTID + 1];
/* A passed-through SPI to the physical CPU of the vCPU the guest routed it to. */
void vgic_hw_route_spi(struct cell *cell, const struct vgic_irq *irq);
/* Make the vCPUs in @mask exit and refill (not this CPU's: it refills on entry). */
void vgic_hw_kick_mask(struct cell *cell, uint32_t mask);
void vgic_hw_kick(struct cell *cell, unsigned int index);

/*
 * gic/vgic_hold.c: a guest access the model refused with -EBUSY (another
 * vCPU's list registers hold the state it names), made once those vCPUs
 * have synced, none refilling meanwhile; and the wait of a fill for that.
 */
typedef int (*vgic_access_fn)(struct vgic_cell *v, unsigned int vcpu, uint64_t offset,
			      struct mmio_access *acc);
int vgic_hw_access_held(struct vcpu *vcpu, vgic_access_fn access, uint64_t offset,
			struct mmio_access *acc);
void vgic_hw_wait_holds(struct cell *cell);

/* Number of list registers this CPU's virtual interface implements (1..16). */
unsigned int vgic_hw_v3_nr_lrs(void);
/*
 * Every list register the interface implements (ICH_VTR_EL2, GICH_VTR: not
 * only the ones used), the active priorities and VMCR cleared; interface off.
 */
void vgic_hw_v3_reset(void);
void vgic_hw_v3_read_lr(unsigned int n, struct vgic_lr *lr);
void vgic_hw_v3_write_lr(unsigned int n, const struct vgic_lr *lr);
/* Bit n: list register n is empty (ICH_ELRSR_EL2, GICH_ELRSR0): State 0, no EOI maintenance owed.
 */
uint64_t vgic_hw_v3_empty_lrs(void);
/* ICH_HCR_EL2: En, and UIE (underflow maintenance) when more is pending than fits. */
void vgic_hw_v3_set_hcr(bool enable, bool underflow);

int vgic_hw_v2_init(const struct platform_gic *g);
unsigned int vgic_hw_v2_nr_lrs(void);
void vgic_hw_v2_reset(void);
void vgic_hw_v2_read_lr(unsigned int n, struct vgic_lr *lr);
void vgic_hw_v2_write_lr(unsigned int n, const struct vgic_lr *lr);
uint64_t vgic_hw_v2_empty_lrs(void);
void vgic_hw_v2_set_hcr(bool enable, bool underflow);

/* gic/vgic_direct.c: direct interrupt mode (GICv3), called by gic/vgic_hw.c. */
struct vcpu;
struct mmio_access;
static inline bool vgic_direct(const struct cell *cell)
{
	return cell->cfg->irq_mode == LAYOUT_IRQ_DIRECT;
}

int vgic_direct_cell_init(struct cell *cell);
void vgic_direct_cell_stop(struct cell *cell);
/* On the CPU, once: the hypervisor's interrupts to Group 0, Group 1 to the guest's EL1. */
int vgic_direct_cpu_init(void);
/* Before each entry of a vCPU: what it left active (CPU_OFF inside a handler) ended. */
void vgic_direct_vcpu_reset(struct vcpu *vcpu);
/* After the model took a guest write: the cell's own interrupts written through. */
void vgic_direct_dist_write(struct vcpu *vcpu, uint64_t offset, const struct mmio_access *acc);
void vgic_direct_redist_write(struct vcpu *vcpu, uint64_t offset, const struct mmio_access *acc);
void vgic_direct_sgi1r(struct vcpu *vcpu, uint64_t value);
/* A spare SPI (a doorbell's, the virtual console's) made pending: an edge. */
void vgic_direct_pend(uint32_t intid);

/*
 * gic/vgic_direct_cpuif.c: the common CPU interface registers of a direct
 * cell (ICC_PMR_EL1 and co, trapped). On the vCPU's CPU, at each entry of
 * a fresh vCPU: its PMR reset, the registers trapped.
 */
void vgic_direct_cpuif_reset(struct vcpu *vcpu);
/*
 * The lowest priority a CPU interface with @pribits priority bits signals
 * with ICC_PMR_EL1 at its lowest: 0x100 less two steps (0xf0 with 5 bits).
 */
uint8_t vgic_direct_lowest(unsigned int pribits);
/*
 * A guest's priority @prio as the physical GIC gets it: 0x80 | prio >> 1
 * (order kept, behind the hypervisor's 0x00), no lower than @lowest.
 */
uint8_t vgic_direct_squeeze(uint8_t prio, uint8_t lowest);
/*
 * The physical ICC_PMR_EL1 for the guest's @pmr (its priority bits in
 * @mask): its priorities' squeeze, so that what it masks stays masked, or
 * 0xff for the guest's lowest mask (all its bits: nothing of its masked).
 */
uint8_t vgic_direct_pmr_phys(uint8_t pmr, uint8_t mask, uint8_t lowest);

#endif
