// SPDX-License-Identifier: GPL-2.0-only
/*
 * The physical GIC the hypervisor owns: GICv2 or GICv3, as the board FDT
 * says. Each entry point switches on the version to gic/gicv2.c or
 * gic/gicv3.c; what the two share (timeouts, routing IRQs to EL2, the
 * write-one-to-set/clear registers) is here.
 */
#include <errno.h>
#include <stdint.h>
#include "arch/cpu.h"
#include "gic.h"
#include "gic_priv.h"
#include "gic_regs.h"
#include "sysreg.h"
#include "test_fault.h"
#include "compiler.h"

unsigned int gic_lines;
static int version;	    /* 0 until gic_init() succeeds */
static uintptr_t dist_base; /* for what v2 and v3 share: GICD_ICFGR, I[SC]ENABLER... */

bool gic_poll_clear(uintptr_t base, uintptr_t off, uint32_t mask)
{
	uint64_t start = arch_counter_read();
	uint64_t limit = arch_ms_to_ticks(GIC_POLL_TIMEOUT_MS);

	while (gic_read32(base, off) & mask) {
		if (arch_counter_read() - start > limit)
			return (gic_read32(base, off) & mask) == 0;
		arch_cpu_relax();
	}
	return true;
}

__cold int gic_init(const struct platform *plat)
{
	int ret;

	if (plat->gic.version == 3)
		ret = gicv3_init(&plat->gic);
	else if (plat->gic.version == 2)
		ret = gicv2_init(&plat->gic);
	else
		return log_err_ret(-ENODEV, "gic: GIC version %d is not supported (2 or 3)",
				   plat->gic.version);
	if (!ret)
		version = plat->gic.version;
	dist_base = (uintptr_t)plat->gic.dist.base;
	return ret;
}

/*
 * An SPI the hypervisor itself takes as edge-triggered (the SMMU pulses its
 * event line): GICD_ICFGR Int_config[1] = 1, same offset on v2 and v3; changed
 * only while the interrupt is disabled (IHI 0069 §12.9.9).
 */
void gic_irq_set_edge(uint32_t intid)
{
	uintptr_t off = GICD_ICFGR + (intid / 16) * 4;

	if (!version || intid < 32 || intid >= GIC_INTID_SPECIAL_FIRST)
		return;
	gic_irq_disable(intid);
	gic_write32(dist_base, off, gic_read32(dist_base, off) | (2u << ((intid % 16) * 2)));
}

/*
 * Physical IRQs go to EL2: with HCR_EL2.IMO == 0 they target EL1 and, being
 * below the current Exception level, are never taken while the hypervisor runs
 * (Arm ARM D1.3.6, "Asynchronous exception routing"). Guests keep IMO set too.
 */
static void gic_route_irq_to_el2(void)
{
	write_sysreg(read_sysreg(hcr_el2) | HCR_EL2_IMO, hcr_el2);
	isb();
}

__cold int gic_cpu_init(void)
{
	unsigned int cpu = arch_cpu_index();
	uint64_t mpidr = arch_cpu_mpidr();
	int ret;

	if (cpu >= PLATFORM_MAX_CPUS)
		return -EINVAL;
#ifdef BULKHEAD_TEST_FAULT
	if (cpu == 1 && test_fault_chosen() == TEST_FAULT_GIC_CPU1)
		return log_err_ret(-EIO, "gic: cpu1: test-fault: its GIC set-up fails on purpose");
#endif
	if (version == 3)
		ret = gicv3_cpu_init(cpu, mpidr);
	else if (version == 2)
		ret = gicv2_cpu_init(cpu, mpidr);
	else
		return log_err_ret(
			-ENODEV, "gic: cpu%u: gic_cpu_init() before a successful gic_init()", cpu);
	if (!ret)
		gic_route_irq_to_el2();
	return ret;
}

void gic_kick(unsigned int cpu)
{
	if (version == 3)
		gicv3_kick(cpu);
	else
		gic_send_sgi(arch_cpu_mpidr_of(cpu), GIC_SGI_KICK);
}

void gic_send_sgi(uint64_t mpidr, unsigned int sgi)
{
	if (version == 3)
		gicv3_send_sgi(mpidr & MPIDR_AFFINITY_MASK, sgi);
	else if (version == 2)
		gicv2_send_sgi(mpidr & MPIDR_AFFINITY_MASK, sgi);
}

/*
 * Every physical interrupt comes through these: tail calls, GICv3 tested
 * first (the GIC of any new board), where a switch tested 2 first.
 */
uint32_t gic_ack(uint32_t *intid)
{
	if (version == 3)
		return gicv3_ack(intid);
	if (version == 2)
		return gicv2_ack(intid);
	*intid = GIC_INTID_SPURIOUS;
	return GIC_INTID_SPURIOUS;
}

void gic_eoi(uint32_t iar)
{
	if (version == 3)
		gicv3_eoi(iar);
	else if (version == 2)
		gicv2_eoi(iar);
}

void gic_priority_drop(uint32_t iar)
{
	if (version == 3)
		gicv3_priority_drop(iar);
	else if (version == 2)
		gicv2_priority_drop(iar);
}

/*
 * @intid's bit written to the write-one register at GICD offset @reg
 * (I[SC]ENABLER, I[SC]PENDR, ICACTIVER). A private INTID's is this CPU's: in
 * the GICD's banked word 0 on v2, at the same offset in this CPU's SGI_base
 * frame on v3 (GICR_ISENABLER0 etc). On v3 a disable waits for RWP: the
 * interrupt is off when this returns. One copy, which the five callers
 * below branch to, rather than one inlined into each.
 */
static __attribute__((noinline)) void gic_irq_write_bit(uint32_t intid, uint32_t reg)
{
	uintptr_t base = dist_base;

	if (intid >= gic_nr_lines())
		return;
	if (version == 3 && intid < GIC_NR_PRIVATE) {
		base = gicv3_sgi_frame(arch_cpu_index());
		if (!base)
			return;
	}
	gic_write32(base, reg + (intid / 32) * 4, 1u << (intid % 32));
	if (version != 3 || reg != GICD_ICENABLER)
		return;
	if (intid < GIC_NR_PRIVATE)
		gicv3_redist_wait_rwp(base - GICR_SGI_BASE);
	else
		gicv3_dist_wait_rwp();
}

void gic_irq_deactivate(uint32_t intid)
{
	gic_irq_write_bit(intid, GICD_ICACTIVER);
}

/* On v2 not an SGI's: its pending state is per source CPU (CPENDSGIR, IHI 0048 §4.3.13). */
void gic_irq_clear_pending(uint32_t intid)
{
	gic_irq_write_bit(intid, GICD_ICPENDR);
}

/* Not an SGI's: those are sent (gic_send_sgi()). */
void gic_irq_set_pending(uint32_t intid)
{
	gic_irq_write_bit(intid, GICD_ISPENDR);
}

void gic_irq_enable(uint32_t intid)
{
	gic_irq_write_bit(intid, GICD_ISENABLER);
}

void gic_irq_disable(uint32_t intid)
{
	gic_irq_write_bit(intid, GICD_ICENABLER);
}

void gic_irq_route(uint32_t intid, uint64_t mpidr)
{
	if (version == 3)
		gicv3_irq_route(intid, mpidr & MPIDR_AFFINITY_MASK);
	else if (version == 2)
		gicv2_irq_route(intid, mpidr & MPIDR_AFFINITY_MASK);
}

int gic_version(void)
{
	return version;
}

unsigned int gic_nr_lines(void)
{
	return version ? gic_lines : 0;
}

void gic_cpuif_resync(void)
{
	if (version == 2)
		gicv2_cpuif_resync();
}
