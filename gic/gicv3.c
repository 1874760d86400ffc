// SPDX-License-Identifier: GPL-2.0-only
/*
 * GICv3/v4 physical driver (Arm IHI 0069): the distributor with affinity
 * routing, one redistributor per CPU, and the CPU interface through the ICC_*
 * system registers. The hypervisor takes Group 1 interrupts at EL2; with
 * GICD_CTLR.DS == 1 (QEMU virt, secure=off) that is the only Group 1 there is.
 * On a CPU of a direct-mode cell (gic/vgic_direct.c) Group 1 is the guest's
 * and the hypervisor takes its own interrupts as Group 0 instead.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include "arch/cpu.h"
#include "cpu_local.h"
#include "gic.h"
#include "gic_priv.h"
#include "gic_regs.h"
#include "log.h"
#include "sysreg.h"
#include "compiler.h"

static uintptr_t dist;
static struct gicv3_redists redists;
static bool single_security; /* GICD_CTLR.DS == 1 */
static bool range_selector;  /* GICD_TYPER.RSS: SGIs reach Aff0 16-255 */
/* RD_base of each CPU's redistributor, by logical CPU index; 0 until gic_cpu_init. */
static uintptr_t rd_base[PLATFORM_MAX_CPUS];
/* The ICC_SGI1R_EL1 value of the kick to each CPU (gicv3_kick()), made by its gicv3_cpu_init(). */
static uint64_t kick_sgir[PLATFORM_MAX_CPUS];
/*
 * Some CPU's hypervisor interrupts are Group 0 (FIQ), its cpu_local's
 * gic_group0 set by gicv3_cpu_direct(): without one, no SGI looks up its target.
 */
static bool any_group0;

bool gicv3_dist_wait_rwp(void)
{
	if (gic_poll_clear(dist, GICD_CTLR, GICD_CTLR_RWP))
		return true;
	log_err("gic: GICD_CTLR.RWP stuck at 1: distributor did not complete a write");
	return false;
}

bool gicv3_redist_wait_rwp(uintptr_t rd)
{
	if (gic_poll_clear(rd, GICR_CTLR, GICR_CTLR_RWP))
		return true;
	log_err("gic: GICR_CTLR.RWP stuck at 1 (redistributor 0x%lx)", (unsigned long)rd);
	return false;
}

/*
 * Every SPI: disabled, not pending or active, Group 1, default priority, to
 * @mpidr. GICD_IROUTER holds the affinity fields at their MPIDR positions,
 * IRM [31] = 0 (one target): an MPIDR with only those is its value.
 */
static void gicv3_dist_reset_spis(uint64_t mpidr)
{
	unsigned int i, n = gic_lines; /* in a register: a global, the MMIO stores could alias it */

	for (i = GIC_NR_PRIVATE; i < n; i += 32) {
		gic_write32(dist, GICD_ICENABLER + i / 8, ~0u);
		gic_write32(dist, GICD_ICPENDR + i / 8, ~0u);
		gic_write32(dist, GICD_ICACTIVER + i / 8, ~0u);
		gic_write32(dist, GICD_IGROUPR + i / 8, ~0u);
		/* Group modifier 0 = Non-secure Group 1; only writable with one Security state. */
		if (single_security)
			gic_write32(dist, GICD_IGRPMODR + i / 8, 0);
	}
	for (i = GIC_NR_PRIVATE; i < n; i += 4)
		gic_write32(dist, GICD_IPRIORITYR + i, GIC_PRIO_X4);
	for (i = GIC_NR_PRIVATE; i < n; i++)
		gic_write64(dist, GICD_IROUTER + 8 * i, mpidr);
}

static bool gicv3_check_arch(void)
{
	uint32_t rev = GICD_PIDR2_ArchRev(gic_read32(dist, GICD_PIDR2));

	if (rev == 3 || rev == 4)
		return true;
	log_err("gic: the FDT says GICv3 but GICD_PIDR2.ArchRev at 0x%lx is %u (expected 3 or 4)",
		(unsigned long)dist, rev);
	return false;
}

/* GICD_CTLR written, and the write complete (RWP): false (logged) on timeout. */
static bool gicv3_dist_ctlr(uint32_t ctlr)
{
	gic_write32(dist, GICD_CTLR, ctlr);
	return gicv3_dist_wait_rwp();
}

static uint32_t gicv3_ctlr_enable_bits(void)
{
	/*
	 * With DS == 1 the register has one view: ARE and EnableGrp1. With DS == 0
	 * we are the Non-secure side: ARE_NS, and EnableGrp1 / its alias
	 * EnableGrp1A, both at the NS positions (IHI 0069 §12.9.4).
	 */
	if (single_security) /* Group 0: the hypervisor's interrupts on direct-mode CPUs */
		return GICD_CTLR_ARE | GICD_CTLR_EnableGrp0 | GICD_CTLR_EnableGrp1;
	return GICD_CTLR_NS_ARE_NS | GICD_CTLR_NS_EnableGrp1A | GICD_CTLR_NS_EnableGrp1;
}

__cold int gicv3_init(const struct platform_gic *g)
{
	uint32_t typer, ctlr;
	unsigned int nr_redist;
	int i;

	dist = (uintptr_t)g->dist.base;
	for (i = 0; i < g->nr_redist_regions && i < PLATFORM_MAX_GICR_REGIONS; i++)
		redists.region[i] = g->redist_regions[i];
	redists.nr = (unsigned int)i;
	redists.stride = g->redist_stride;
	if (!gicv3_check_arch())
		return -ENODEV;
	typer = gic_read32(dist, GICD_TYPER);
	gic_lines = gic_typer_lines(typer);
	range_selector = (typer & GICD_TYPER_RSS) != 0;
	ctlr = gic_read32(dist, GICD_CTLR);
	single_security = (ctlr & GICD_CTLR_DS) != 0;

	/* Group enables off before ARE may change (IHI 0069 §12.9.4), then ARE on. */
	if (!gicv3_dist_ctlr(ctlr & (GICD_CTLR_ARE | GICD_CTLR_DS)) ||
	    !gicv3_dist_ctlr(GICD_CTLR_ARE))
		return -ETIMEDOUT;
	gicv3_dist_reset_spis(arch_cpu_mpidr() & MPIDR_AFFINITY_MASK);
	if (!gicv3_dist_wait_rwp() || !gicv3_dist_ctlr(gicv3_ctlr_enable_bits()))
		return -ETIMEDOUT;

	gicv3_redist_find(&redists, 0xffffffffu, &nr_redist);
	if (redists.nr > 1)
		log_info("gic: GICv3, %u interrupt lines (SPIs 32-%u), %u redistributors in %u "
			 "regions%s",
			 gic_lines, gic_lines - 1, nr_redist, redists.nr,
			 single_security ? "" : ", Non-secure view");
	else
		log_info("gic: GICv3, %u interrupt lines (SPIs 32-%u), %u redistributors%s",
			 gic_lines, gic_lines - 1, nr_redist,
			 single_security ? "" : ", Non-secure view");
	return 0;
}

/* Power the redistributor up: ProcessorSleep = 0, then ChildrenAsleep reads 0 (§11.1). */
static int gicv3_redist_wake(uintptr_t rd, unsigned int cpu)
{
	uint32_t waker = gic_read32(rd, GICR_WAKER);

	gic_write32(rd, GICR_WAKER, waker & ~GICR_WAKER_ProcessorSleep);
	if (gic_poll_clear(rd, GICR_WAKER, GICR_WAKER_ChildrenAsleep))
		return 0;
	return log_err_ret(
		-ETIMEDOUT,
		"gic: cpu%u: redistributor 0x%lx still asleep after %u ms (GICR_WAKER 0x%x)", cpu,
		(unsigned long)rd, GIC_POLL_TIMEOUT_MS, gic_read32(rd, GICR_WAKER));
}

/* SGIs and PPIs: all off and idle, Group 1, default priority; then the hypervisor's SGIs on. */
__cold static int gicv3_redist_init_private(uintptr_t rd)
{
	uintptr_t sgi = rd + GICR_SGI_BASE;
	unsigned int i;

	gic_write32(sgi, GICR_ICENABLER0, ~0u);
	if (!gicv3_redist_wait_rwp(rd))
		return -ETIMEDOUT;
	gic_write32(sgi, GICR_ICPENDR0, ~0u);
	gic_write32(sgi, GICR_ICACTIVER0, ~0u);
	gic_write32(sgi, GICR_IGROUPR0, ~0u);
	if (single_security)
		gic_write32(sgi, GICR_IGRPMODR0, 0);
	for (i = 0; i < GIC_NR_PRIVATE; i += 4)
		gic_write32(sgi, GICR_IPRIORITYR0 + i, GIC_PRIO_X4);
	/* The hypervisor's SGIs (include/gic.h) on; the others stay off. */
	gic_write32(sgi, GICR_ISENABLER0, GIC_SGI_HYP_MASK);
	return 0;
}

/*
 * The CPU interface through system registers. ICC_SRE_EL2.Enable stays 1 so
 * that EL1 may use ICC_SRE_EL1 (virtualised as ICV_* once guests run).
 */
__cold static int gicv3_cpuif_init(unsigned int cpu)
{
	uint64_t sre = read_sysreg(icc_sre_el2);

	write_sysreg(sre | ICC_SRE_EL2_SRE | ICC_SRE_EL2_Enable, icc_sre_el2);
	isb();
	if (!(read_sysreg(icc_sre_el2) & ICC_SRE_EL2_SRE))
		return log_err_ret(-ENODEV,
				   "gic: cpu%u: ICC_SRE_EL2.SRE reads 0: EL3 keeps the system "
				   "register interface disabled (ICC_SRE_EL3.Enable)",
				   cpu);
	write_sysreg(ICC_PMR_EL1_LOWEST, icc_pmr_el1);
	write_sysreg(0, icc_bpr1_el1);
	/*
	 * EOImode 1: ICC_EOIR1_EL1 only drops priority, ICC_DIR_EL1 deactivates,
	 * so that an interrupt forwarded to a guest stays active until the guest
	 * deactivates it through a hardware-linked list register (include/gic.h).
	 */
	write_sysreg(read_sysreg(icc_ctlr_el1) | ICC_CTLR_EL1_EOImode, icc_ctlr_el1);
	write_sysreg(ICC_IGRPEN1_EL1_Enable, icc_igrpen1_el1);
	isb();
	return 0;
}

/*
 * The ICC_SGI1R_EL1 value that raises @sgi on the CPU whose affinity is
 * @mpidr (Aff0 below 16, or GICD_TYPER.RSS): RS selects a block of 16 Aff0
 * values, TargetList a bit in it (IHI 0069 §12.11.19). Never 0: TargetList
 * names the CPU.
 */
static inline uint64_t sgi1r_value(uint64_t mpidr, unsigned int sgi)
{
	unsigned int aff0 = mpidr & 0xff;

	return ICC_SGI1R_Aff3(mpidr >> 32) | ICC_SGI1R_RS(aff0 >> 4) | ICC_SGI1R_Aff2(mpidr >> 16) |
	       ICC_SGI1R_INTID(sgi) | ICC_SGI1R_Aff1(mpidr >> 8) | ICC_SGI1R_TargetList(aff0);
}

__cold int gicv3_cpu_init(unsigned int cpu, uint64_t mpidr)
{
	uintptr_t rd = gicv3_redist_find(&redists, gic_mpidr_to_affinity(mpidr), NULL);
	int ret;

	if (!rd)
		return log_err_ret(
			-ENODEV,
			"gic: cpu%u (MPIDR 0x%lx): no redistributor with this affinity in "
			"the %u GICR region(s) of the FDT (the first 0x%lx-0x%lx)",
			cpu, (unsigned long)mpidr, redists.nr,
			(unsigned long)redists.region[0].base,
			(unsigned long)(redists.region[0].base + redists.region[0].size - 1));
	ret = gicv3_redist_wake(rd, cpu);
	if (!ret)
		ret = gicv3_redist_init_private(rd);
	if (!ret)
		ret = gicv3_cpuif_init(cpu);
	if (!ret) {
		rd_base[cpu] = rd;
		mpidr &= MPIDR_AFFINITY_MASK;
		if ((mpidr & 0xff) < 16 || range_selector)
			kick_sgir[cpu] = sgi1r_value(mpidr, GIC_SGI_KICK);
		else
			log_err("gic: cpu%u (MPIDR 0x%lx): Aff0 >= 16 needs GICD_TYPER.RSS: no "
				"SGI reaches it",
				cpu, (unsigned long)mpidr);
	}
	return ret;
}

static bool target_group0(uint64_t mpidr)
{
	int cpu;

	if (!__atomic_load_n(&any_group0, __ATOMIC_ACQUIRE))
		return false;
	cpu = arch_cpu_index_of_mpidr(mpidr);
	return cpu >= 0 && cpu < PLATFORM_MAX_CPUS &&
	       __atomic_load_n(&cpu_local_of((unsigned int)cpu)->gic_group0, __ATOMIC_ACQUIRE);
}

/*
 * The SGI of ICC_SGI1R_EL1 value @val raised; through ICC_SGI0R_EL1 if the
 * target takes the hypervisor's SGIs as Group 0 (@group0).
 */
static inline void sgi_raise(uint64_t val, bool group0)
{
	/* The target must see every store made before the SGI: ICC_SGI1R_EL1 is not memory. */
	dsb(ishst);
	/* A hypervisor SGI to a direct-mode CPU is Group 0 there: only ICC_SGI0R_EL1 reaches it. */
	if (group0)
		write_sysreg(val, icc_sgi0r_el1);
	else
		write_sysreg(val, icc_sgi1r_el1);
	isb();
}

void gicv3_send_sgi(uint64_t mpidr, unsigned int sgi)
{
	unsigned int aff0 = mpidr & 0xff;
	uint64_t val;

	if (aff0 >= 16 && !range_selector) {
		log_err("gic: SGI %u to MPIDR 0x%lx: Aff0 >= 16 needs GICD_TYPER.RSS", sgi,
			(unsigned long)mpidr);
		return;
	}
	val = sgi1r_value(mpidr, sgi);
	sgi_raise(val, sgi >= GIC_SGI_GUEST_LIMIT && target_group0(mpidr));
}

/*
 * gicv3_send_sgi(MPIDR of @cpu, GIC_SGI_KICK), with the value that CPU's
 * gicv3_cpu_init() made and its own Group 0 flag (no MPIDR to look up): the
 * kick is on the path of every interrupt a vCPU sends another. A CPU never
 * initialised (0) is in no cell and is never kicked.
 */
void gicv3_kick(unsigned int cpu)
{
	uint64_t val = cpu < PLATFORM_MAX_CPUS ? kick_sgir[cpu] : 0;

	if (val)
		sgi_raise(val, __atomic_load_n(&cpu_local_of(cpu)->gic_group0, __ATOMIC_ACQUIRE));
}

/* On every acknowledge and EOI: one load from this CPU's own cpu_local. */
static bool this_cpu_group0(void)
{
	return this_cpu()->gic_group0;
}

/* The INTID is the whole acknowledge value: ICC_EOIR and ICC_DIR take it back as it is. */
uint32_t gicv3_ack(uint32_t *intid)
{
	if (this_cpu_group0())
		*intid = (uint32_t)ICC_IAR1_EL1_INTID(read_sysreg(icc_iar0_el1));
	else
		*intid = (uint32_t)ICC_IAR1_EL1_INTID(read_sysreg(icc_iar1_el1));
	return *intid;
}

/* Group 0 runs with EOImode 0 (gicv3_cpu_direct): EOIR0 drops and deactivates. */
static bool gicv3_eoi_group0(uint32_t iar)
{
	if (!this_cpu_group0())
		return false;
	write_sysreg(iar, icc_eoir0_el1);
	isb();
	return true;
}

void gicv3_priority_drop(uint32_t iar)
{
	if (gicv3_eoi_group0(iar))
		return;
	write_sysreg(iar, icc_eoir1_el1);
	isb();
}

/* Priority drop, then deactivation: with EOImode 1 the two are separate writes. */
void gicv3_eoi(uint32_t iar)
{
	if (gicv3_eoi_group0(iar))
		return;
	write_sysreg(iar, icc_eoir1_el1);
	isb();
	write_sysreg(iar, icc_dir_el1);
	isb();
}

void gicv3_irq_route(uint32_t intid, uint64_t mpidr)
{
	if (intid >= GIC_NR_PRIVATE && intid < gic_lines)
		gic_write64(dist, GICD_IROUTER + 8 * intid, mpidr);
}

bool gicv3_single_security(void)
{
	return single_security;
}

uintptr_t gicv3_dist_base(void)
{
	return dist;
}

uintptr_t gicv3_sgi_frame(unsigned int cpu)
{
	return cpu < PLATFORM_MAX_CPUS && rd_base[cpu] ? rd_base[cpu] + GICR_SGI_BASE : 0;
}

/*
 * This CPU becomes a direct-mode CPU for good (it belongs to one cell for
 * the hypervisor's whole life): @hyp_private (its SGIs, the EL2 timer) go to
 * Group 0 at the highest priority, every other private INTID stays Group 1
 * for the guest; EOImode 0, since the guest's EOIR1 must deactivate too and
 * ICC_DIR_EL1 is virtual for it (HCR_EL2.FMO); Group 0 enabled.
 */
int gicv3_cpu_direct(unsigned int cpu, uint32_t hyp_private)
{
	uintptr_t sgi = gicv3_sgi_frame(cpu);
	unsigned int i;

	if (!sgi || !single_security)
		return -ENODEV;
	gic_write32(sgi, GICR_IGROUPR0, ~hyp_private);
	for (i = 0; i < GIC_NR_PRIVATE; i++)
		if (hyp_private & (1u << i))
			gic_write8(sgi, GICR_IPRIORITYR0 + i, GIC_PRIO_HYP);
	write_sysreg(read_sysreg(icc_ctlr_el1) & ~ICC_CTLR_EL1_EOImode, icc_ctlr_el1);
	write_sysreg(ICC_IGRPEN0_EL1_Enable, icc_igrpen0_el1);
	isb();
	__atomic_store_n(&cpu_local_of(cpu)->gic_group0, true, __ATOMIC_RELEASE);
	__atomic_store_n(&any_group0, true, __ATOMIC_RELEASE);
	return 0;
}
