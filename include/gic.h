/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_GIC_H
#define BULKHEAD_GIC_H

#include <stdint.h>
#include "platform.h"

/*
 * The physical GIC, owned by the hypervisor (gic/). GICv3 or GICv2, chosen
 * from the board FDT. The caller maps the GIC's MMIO frames into the EL2
 * map before gic_init().
 */

/*
 * SGIs the hypervisor keeps for itself, at the top of the range: a cell in
 * direct interrupt mode (docs/vgic.md) sends and takes physical SGIs
 * 0 .. GIC_SGI_GUEST_LIMIT-1; emulated cells get virtual SGIs only.
 */
#define GIC_SGI_GUEST_LIMIT 14
#define GIC_SGI_PING	    14 /* boot-time self-test */
#define GIC_SGI_KICK	    15 /* "look at your vCPU's state": stop, restart, CPU_ON */
#define GIC_SGI_HYP_MASK    (0xffffu & ~((1u << GIC_SGI_GUEST_LIMIT) - 1))

/* INTIDs 1020-1023 are special (IHI 0069 §2.2.1): nothing to handle, nothing to EOI. */
#define GIC_INTID_SPECIAL_FIRST 1020
#define GIC_INTID_SPURIOUS	1023

/*
 * Boot CPU, MMU on, the GIC's frames mapped: distributor to a known state
 * (every SPI disabled, idle, default priority, routed to the boot CPU, Group 1
 * or the only group there is), then enabled. Logs one line. The boot CPU then
 * calls gic_cpu_init() like every other CPU.
 */
int gic_init(const struct platform *plat);
/*
 * Every CPU, once, with its MMU on: its redistributor woken / banked registers
 * reset, SGIs 0-7 enabled, CPU interface on, physical IRQs routed to EL2
 * (HCR_EL2.IMO). IRQs stay masked in PSTATE until the caller unmasks them.
 */
int gic_cpu_init(void);
/* Raise hypervisor SGI @sgi on the CPU whose MPIDR is @mpidr (itself included). */
void gic_send_sgi(uint64_t mpidr, unsigned int sgi);
/* gic_send_sgi(MPIDR of logical CPU @cpu, GIC_SGI_KICK), without looking the MPIDR up. */
void gic_kick(unsigned int cpu);
/*
 * Acknowledge the highest-priority pending interrupt: its INTID in *@intid.
 * Returns the raw acknowledge value ("IAR") to pass, whole, to gic_eoi().
 * On GICv2 it also holds the sending CPU of an SGI, which GICC_EOIR must get
 * back (IHI 0048 §4.4.5); on GICv3 it is the INTID.
 */
uint32_t gic_ack(uint32_t *intid);
/*
 * The CPU interface runs with EOImode 1 (IHI 0069 §4.1.1, IHI 0048 §4.4.5):
 * writing EOIR only drops the running priority, deactivation is a separate
 * write to DIR. The hypervisor's own interrupts get both (gic_eoi); an
 * interrupt forwarded to a guest gets the priority drop only and stays active
 * until the guest deactivates its virtual twin, which a hardware-linked list
 * register (HW = 1) passes on to the physical GIC.
 */
void gic_eoi(uint32_t iar);
void gic_priority_drop(uint32_t iar);
/* Clear @intid's active state without an acknowledge (ICACTIVER): a forward that is dropped. */
void gic_irq_deactivate(uint32_t intid);
/* Clear @intid's pending state (ICPENDR): an edge latched while nobody could take it. */
void gic_irq_clear_pending(uint32_t intid);
/* Set SPI @intid pending (ISPENDR): its CPU takes it as if the device had raised it. */
void gic_irq_set_pending(uint32_t intid);
/* Send SPI @intid to the CPU whose MPIDR is @mpidr (IROUTER / ITARGETSR). */
void gic_irq_route(uint32_t intid, uint64_t mpidr);
/* SPIs in the distributor; SGIs/PPIs in the calling CPU's redistributor / bank. */
void gic_irq_enable(uint32_t intid);
void gic_irq_disable(uint32_t intid);
/* SPI @intid (disabled, then) configured edge-triggered; enable it after. */
void gic_irq_set_edge(uint32_t intid);
int gic_version(void);
/* INTIDs 0 .. gic_nr_lines()-1 exist at the distributor (0 before gic_init). */
unsigned int gic_nr_lines(void);
/* Before waiting for a physical interrupt on a guest's behalf (guest WFI): see gicv2.c. */
void gic_cpuif_resync(void);

/* gic/irq.c: the IRQ exception at EL2, from EL2 or from a guest. */
void irq_handle(void);
/*
 * Boot CPU, after the secondaries are online: GIC_SGI_PING every online CPU,
 * itself included, and wait (500 ms, IRQs unmasked) for each to count it.
 * Logs the result; returns the CPUs that did not (bit N: logical CPU N),
 * which cannot take their cell's kicks either (arch_smp_withdraw()).
 */
uint32_t gic_selftest_ping(void);

#endif
