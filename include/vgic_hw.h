/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_VGIC_HW_H
#define BULKHEAD_VGIC_HW_H

#include <stdbool.h>
#include <stdint.h>
#include "cell.h"
#include "mmio.h"
#include "platform.h"

/*
 * The hardware half of the vGIC (docs/vgic.md): list registers (GICv3
 * ICH_*_EL2 system registers, GICv2 GICH frame), the maintenance interrupt,
 * physical interrupts forwarded to cells (arch timers, passed-through SPIs),
 * guest SGIs and the kicks that deliver them to other physical CPUs. The
 * model (include/vgic.h) decides what is pending; this file puts it into the
 * CPU's virtual interface and takes back what the guest did with it.
 *
 * Every function runs on the physical CPU named in its comment; the model's
 * lock is taken by the model's own functions, never here across a call.
 */

/* Boot CPU, after gic_init(): list registers counted, maintenance interrupt noted. */
int vgic_hw_init(const struct platform *plat);

/*
 * Cell creation and restart (boot CPU / the restarting CPU, the cell's vCPUs
 * out of the guest): the model reset with the cell's SPIs (its devices' and,
 * with a virtual console, VGIC_INTID_VUART), the timers and devices marked
 * hardware-linked, and every device SPI routed to vCPU 0's CPU, idle and
 * disabled at the physical distributor until vgic_hw_cell_start().
 */
int vgic_hw_cell_init(struct cell *cell);
/* cell_start(), under the cell's lock, the cell RUNNING: its device SPIs enabled. */
void vgic_hw_cell_start(struct cell *cell);
/* The cell stopped: its device SPIs disabled, not pending and deactivated physically. */
void vgic_hw_cell_stop(struct cell *cell);

/*
 * Each time a physical CPU (re)starts its loop, before it enters @vcpu: a CPU
 * of a direct-mode cell hands Group 1 to the guest and drops what the guest
 * left in its CPU interface (docs/vgic.md). 0 or a negative errno, said: the
 * CPU is then lost to its cell (cell_cpu_loop()).
 */
int vgic_hw_cpu_init(struct vcpu *vcpu);
/* Entering @vcpu on its CPU: virtual interface reset, timer and maintenance PPIs enabled. */
void vgic_hw_vcpu_reset(struct vcpu *vcpu);
/* @vcpu turned itself off (PSCI CPU_OFF), after its sync: vgic_lr_vcpu_off(). */
void vgic_hw_vcpu_off(struct vcpu *vcpu);
/* Before every return to @vcpu's guest: the model's choice into the list registers. */
void vgic_hw_flush(struct vcpu *vcpu);
/* After every exit from @vcpu's guest: what the list registers say, into the model. */
void vgic_hw_sync(struct vcpu *vcpu);

/*
 * gic/irq.c: physical interrupt @intid (raw acknowledge @iar) if it is the
 * maintenance interrupt, an arch timer of this CPU's vCPU or a cell's SPI.
 * Returns true when consumed (priority dropped or EOIed here).
 */
bool vgic_hw_irq(uint32_t iar, uint32_t intid);

/* Guest accesses, on the accessing vCPU's CPU: 0, or -EINVAL (abort injected). */
int vgic_hw_dist_access(struct vcpu *vcpu, uint64_t offset, struct mmio_access *acc);
/* v3 redistributors: @offset from LAYOUT_VGICR_BASE (a frame per vCPU). */
int vgic_hw_redist_access(struct vcpu *vcpu, uint64_t offset, struct mmio_access *acc);
/*
 * A direct cell's @vcpu waits (trapped WFI or WFIT, on its CPU): a Group 1
 * active priority its guest cannot own, which would hold off the
 * hypervisor's kick while the CPU waits, dropped (gic/vgic_direct.c).
 */
void vgic_hw_direct_release_hold(struct vcpu *vcpu);
/*
 * The common CPU interface registers, which a direct cell's accesses trap
 * (ICH_HCR_EL2.TC): its @vcpu read (*@val set) or wrote *@val to @reg.
 * False if the access is UNDEFINED (not a direct cell's, RPR written, DIR
 * read). gic/vgic_direct_cpuif.c.
 */
enum vgic_common_reg { VGIC_ICC_PMR, VGIC_ICC_RPR, VGIC_ICC_CTLR, VGIC_ICC_DIR };
bool vgic_hw_direct_common(struct vcpu *vcpu, enum vgic_common_reg reg, bool read, uint64_t *val);
/* The guest wrote @value to ICC_SGI1R_EL1 (trapped, HCR_EL2.IMO). */
void vgic_hw_sgi1r(struct vcpu *vcpu, uint64_t value);
/* ... to ICC_SGI0R_EL1 or ICC_ASGI1R_EL1: Group 0 SGIs (vgic_sgi0r()). */
void vgic_hw_sgi0r(struct vcpu *vcpu, uint64_t value);

/*
 * The virtual console's interrupt line may have changed after the guest's
 * access to it (on the accessing vCPU's CPU): its level into the model, and
 * the target vCPU kicked if needed.
 */
void vgic_hw_vuart_update(struct cell *cell);
/*
 * The same after input from outside the cell (console, any CPU): nothing
 * unless the cell runs, checked under its lock (it may be restarting).
 */
void vgic_hw_vuart_input(struct cell *cell);

/*
 * A shared-memory doorbell (partitions/shm.c): an edge on @cell's doorbell SPI
 * @intid, layout_doorbell_intid() of its view of the region (a purely virtual
 * one, owned since vgic_hw_cell_init(), its target vCPU kicked if it became
 * deliverable; in direct mode a spare physical SPI made pending). On a CPU of
 * @cell (shm_doorbells_raise()), which keeps it from being reset. Returns the
 * vCPU it went to, or -1 if unknown (nothing became deliverable, direct mode).
 */
int vgic_hw_doorbell(struct cell *cell, uint32_t intid);

#endif
