// SPDX-License-Identifier: GPL-2.0-only
/*
 * GICv2 physical driver (Arm IHI 0048): the distributor, with the SGI/PPI
 * registers banked per CPU, and the memory-mapped CPU interface (GICC).
 *
 * Interrupt group: on a GIC without the Security Extensions (QEMU virt,
 * secure=off) every interrupt is made Group 0 and signalled as IRQ
 * (GICC_CTLR.FIQEn = 0), because there a read of GICC_IAR returns 1022 for a
 * Group 1 interrupt unless the deprecated AckCtl is set (IHI 0048 §4.4.4).
 * With the Security Extensions the hypervisor is the Non-secure side: the
 * group registers are RAZ/WI to it and bit 0 of GICD_CTLR and GICC_CTLR
 * enables Group 1, which firmware configured.
 */
#include <errno.h>
#include <stdint.h>
#include "arch/cpu.h"
#include "gic.h"
#include "gic_priv.h"
#include "gic_regs.h"
#include "log.h"
#include "sysreg.h"
#include "compiler.h"

static uintptr_t dist;
static uintptr_t cpuif;
static unsigned int nr_cpuifs; /* GICD_TYPER.CPUNumber + 1 */
static bool security_extn;

/*
 * MPIDR -> CPU interface mask, filled by each CPU in gic_cpu_init and read by
 * any CPU sending an SGI: mask is published last (release), read first (acquire).
 */
static struct {
	uint64_t mpidr;
	uint8_t mask; /* 0: not yet known */
} cpu_targets[PLATFORM_MAX_CPUS];

/*
 * GICD_ITARGETSR0-7 are banked and read-only: each byte reads as the mask of
 * the CPU interface making the access (IHI 0048 §4.3.12). A uniprocessor GIC
 * makes them RAZ/WI; its one interface is then bit 0.
 */
static uint8_t gicv2_this_cpu_mask(void)
{
	uint8_t mask = gic_read32(dist, GICD_ITARGETSR) & 0xff;

	if (!mask && nr_cpuifs == 1)
		mask = 1;
	return mask;
}

static void gicv2_set_groups(unsigned int first, unsigned int end)
{
	unsigned int i;

	if (security_extn)
		return;
	for (i = first; i < end; i += 32)
		gic_write32(dist, GICD_IGROUPR + i / 8, 0);
}

/* Every SPI: disabled, not pending or active, default priority, to the boot CPU. */
static void gicv2_dist_reset_spis(uint8_t boot_mask)
{
	uint32_t targets = boot_mask * 0x01010101u;
	unsigned int i, n = gic_lines; /* in a register: a global, the MMIO stores could alias it */

	for (i = GIC_NR_PRIVATE; i < n; i += 32) {
		gic_write32(dist, GICD_ICENABLER + i / 8, ~0u);
		gic_write32(dist, GICD_ICPENDR + i / 8, ~0u);
		gic_write32(dist, GICD_ICACTIVER + i / 8, ~0u);
	}
	gicv2_set_groups(GIC_NR_PRIVATE, n);
	for (i = GIC_NR_PRIVATE; i < n; i += 4) {
		gic_write32(dist, GICD_IPRIORITYR + i, GIC_PRIO_X4);
		gic_write32(dist, GICD_ITARGETSR + i, targets);
	}
}

__cold int gicv2_init(const struct platform_gic *g)
{
	uint32_t typer;
	uint8_t mask;

	dist = (uintptr_t)g->dist.base;
	cpuif = (uintptr_t)g->cpuif.base;
	gic_write32(dist, GICD_CTLR, 0);
	typer = gic_read32(dist, GICD_TYPER);
	gic_lines = gic_typer_lines(typer);
	nr_cpuifs = GICD_TYPER_CPUNumber(typer) + 1;
	security_extn = (typer & GICD_TYPER_SecurityExtn) != 0;
	mask = gicv2_this_cpu_mask();
	if (!mask)
		return log_err_ret(-ENODEV,
				   "gic: GICD_ITARGETSR0 reads 0 on the boot CPU of a %u-interface "
				   "GICv2",
				   nr_cpuifs);
	gicv2_dist_reset_spis(mask);
	gic_write32(dist, GICD_CTLR, GICD_CTLR_V2_Enable);
	log_info("gic: GICv2, %u interrupt lines (SPIs 32-%u), %u CPU interfaces%s", gic_lines,
		 gic_lines - 1, nr_cpuifs, security_extn ? ", Non-secure view" : "");
	return 0;
}

/* Banked SGI/PPI state of the calling CPU: all off and idle, then the hypervisor's SGIs on. */
__cold static void gicv2_dist_init_private(void)
{
	unsigned int i;

	gic_write32(dist, GICD_ICENABLER, ~0u);
	gic_write32(dist, GICD_ICPENDR, ~0u);
	/* SGI pending state is per source CPU and cleared here, not in ICPENDR0 (§4.3.13). */
	for (i = 0; i < GIC_NR_SGIS; i += 4)
		gic_write32(dist, GICD_CPENDSGIR + i, ~0u);
	gic_write32(dist, GICD_ICACTIVER, ~0u);
	gicv2_set_groups(0, GIC_NR_PRIVATE);
	for (i = 0; i < GIC_NR_PRIVATE; i += 4)
		gic_write32(dist, GICD_IPRIORITYR + i, GIC_PRIO_X4);
	gic_write32(dist, GICD_ISENABLER, GIC_SGI_HYP_MASK);
}

__cold int gicv2_cpu_init(unsigned int cpu, uint64_t mpidr)
{
	uint8_t mask = gicv2_this_cpu_mask();

	if (!mask)
		return log_err_ret(-ENODEV,
				   "gic: cpu%u (MPIDR 0x%lx): GICD_ITARGETSR0 reads 0: no CPU "
				   "interface",
				   cpu, (unsigned long)mpidr);
	gicv2_dist_init_private();
	gic_write32(cpuif, GICC_PMR, ICC_PMR_EL1_LOWEST);
	gic_write32(cpuif, GICC_BPR, 0);
	/*
	 * Enable, FIQEn = 0 (Group 0 as IRQ), EOImode 1: GICC_EOIR only drops
	 * priority, GICC_DIR deactivates (include/gic.h: forwarded interrupts).
	 */
	gic_write32(cpuif, GICC_CTLR, GICC_CTLR_Enable | GICC_CTLR_EOImode);
	cpu_targets[cpu].mpidr = mpidr;
	__atomic_store_n(&cpu_targets[cpu].mask, mask, __ATOMIC_RELEASE);
	return 0;
}

static uint8_t gicv2_mask_of(uint64_t mpidr)
{
	unsigned int i;
	uint8_t mask;

	for (i = 0; i < PLATFORM_MAX_CPUS; i++) {
		mask = __atomic_load_n(&cpu_targets[i].mask, __ATOMIC_ACQUIRE);
		if (mask && cpu_targets[i].mpidr == mpidr)
			return mask;
	}
	return 0;
}

void gicv2_send_sgi(uint64_t mpidr, unsigned int sgi)
{
	uint32_t sgir;
	uint8_t mask;

	if (mpidr == arch_cpu_mpidr()) {
		sgir = GICD_SGIR_TargetListFilter_SELF | GICD_SGIR_SGIINTID(sgi);
	} else {
		mask = gicv2_mask_of(mpidr);
		if (!mask) {
			log_err("gic: SGI %u to MPIDR 0x%lx: that CPU has no initialised interface",
				sgi, (unsigned long)mpidr);
			return;
		}
		sgir = GICD_SGIR_TargetListFilter_LIST | GICD_SGIR_CPUTargetList(mask) |
		       GICD_SGIR_SGIINTID(sgi);
	}
	/* Memory written before the kick must be visible to the target first. */
	dsb(ishst);
	gic_write32(dist, GICD_SGIR, sgir);
}

/* The raw GICC_IAR: for an SGI, CPUID names the sender and GICC_EOIR needs it back. */
uint32_t gicv2_ack(uint32_t *intid)
{
	uint32_t iar = gic_read32(cpuif, GICC_IAR);

	*intid = GICC_IAR_InterruptID(iar);
	return iar;
}

void gicv2_priority_drop(uint32_t iar)
{
	gic_write32(cpuif, GICC_EOIR, iar);
}

/* GICC_DIR takes the whole GICC_IAR value too: an SGI's CPUID names which one. */
void gicv2_eoi(uint32_t iar)
{
	gic_write32(cpuif, GICC_EOIR, iar);
	gic_write32(cpuif, GICC_DIR, iar);
}

/* GICD_ITARGETSR is byte-accessible (IHI 0048 §4.3.12): no read-modify-write race. */
void gicv2_irq_route(uint32_t intid, uint64_t mpidr)
{
	uint8_t mask = gicv2_mask_of(mpidr);

	if (intid >= GIC_NR_PRIVATE && intid < gic_lines && mask)
		gic_write8(dist, GICD_ITARGETSR + intid, mask);
}

/*
 * Rewrite GICC_PMR with its own value. The architecture gives this no
 * effect; QEMU's GICv2 model re-evaluates this CPU's physical IRQ line on
 * any CPU-interface write, which a guest's deactivation of a
 * hardware-linked interrupt through GICV does not do (docs/vgic.md).
 */
void gicv2_cpuif_resync(void)
{
	gic_write32(cpuif, GICC_PMR, gic_read32(cpuif, GICC_PMR));
}
