// SPDX-License-Identifier: GPL-2.0-only
/*
 * Direct interrupt mode (GICv3, docs/vgic.md). A direct cell's interrupts
 * are physical Group 1 interrupts that reach its EL1 without a trap
 * (HCR_EL2.IMO = 0): the guest acknowledges and EOIs at the physical CPU
 * interface. The hypervisor keeps its own interrupts on those CPUs (kick and
 * self-test SGIs, the EL2 timer) as Group 0 at priority GIC_PRIO_HYP, taken
 * at EL2 as FIQs (HCR_EL2.FMO = 1), so that stop, restart and the watchdog
 * still preempt the guest.
 *
 * The distributor and redistributors stay emulated: the model decodes and
 * validates every access as in emulated mode, and what it then holds for the
 * cell's own interrupts (enable, priority, trigger, routing) is written
 * through to the physical GIC; pending and active writes are forwarded as
 * the events they are. Guest priorities are squeezed into 0x80-0xff, below
 * the hypervisor's. Guest SGIs still trap (ICC_SGI1R_EL1 with FMO = 1): the
 * targets are the cell's own vCPUs, sent as physical SGIs 0-13.
 *
 * Interrupts with no physical line (the virtual console, doorbells) use
 * physical SPIs no board device has (layout_assign_direct_spis()); the
 * hypervisor makes them pending, as edges.
 */
#include <errno.h>
#include "arch/cpu.h"
#include "cell.h"
#include "gic.h"
#include "gic_priv.h"
#include "gic_regs.h"
#include "log.h"
#include "nospec.h"
#include "sysreg.h"
#include "vgic.h"
#include "vgic_hw_priv.h"
#include "vuart.h"
#include "compiler.h"

/* The private INTIDs a direct cell has physically: SGIs 0-13 and the EL1 timers. */
#define DIRECT_PRIVATE \
	(((1u << GIC_SGI_GUEST_LIMIT) - 1) | (1u << VGIC_INTID_VTIMER) | (1u << VGIC_INTID_PTIMER))
/* The hypervisor's own on such a CPU, as Group 0. */
#define HYP_PRIVATE (GIC_SGI_HYP_MASK | (1u << ARCH_HYP_TIMER_INTID))

/* Bank offsets (GICD and the SGI_base frame alike) whose writes are events. */
#define BANK_EVENTS_FIRST GICD_ISPENDR /* ISPENDR, ICPENDR, ISACTIVER, ICACTIVER */
#define BANK_EVENTS_END	  0x0400

/* Hypervisor SGIs a cell tried to send: each cell's first one is reported. */
static uint32_t refused_sgis[LAYOUT_MAX_CELLS];
/* Held priorities dropped before a wait (vgic_direct_release_hold()): the first reported. */
static uint32_t released_holds[LAYOUT_MAX_CELLS];
/* Trigger changes refused for a lost CPU's GICD_ICFGR lock (icfgr_refused()): the first reported.
 */
static uint32_t icfgr_refusals[LAYOUT_MAX_CELLS];

/*
 * The lowest priority the CPU interface still signals with ICC_PMR_EL1 at
 * its lowest (vgic_direct_lowest()): 0xf0 with QEMU's 5 bits. Set by
 * vgic_direct_cell_init().
 */
static uint8_t lowest_signalled = 0xf0;

/* The guest's 0x00-0xff into 0x80 and below, behind the hypervisor's Group 0 (0x00). */
static uint8_t guest_priority(uint8_t prio)
{
	return vgic_direct_squeeze(prio, lowest_signalled);
}

static uint32_t bit_of(uint32_t intid)
{
	return 1u << (intid % 32);
}

/* Physical SPIs the cell has no device behind: they are edges the hypervisor raises. */
static bool is_spare(const struct cell *cell, uint32_t intid)
{
	int i;

	if (cell->cfg->console == LAYOUT_CONSOLE_VIRTUAL && intid == layout_vuart_intid(cell->cfg))
		return true;
	for (i = 0; i < cell->cfg->nr_shm; i++)
		if (cell->cfg->shm[i].doorbell &&
		    intid == layout_doorbell_intid(&cell->cfg->shm[i]))
			return true;
	return false;
}

/* The physical CPU that runs the vCPU an SPI targets; vCPU 0's if none. */
static unsigned int spi_pcpu(const struct cell *cell, const struct vgic_irq *irq)
{
	return cell->vcpus[array_index_nospec(irq->target_vcpu, cell->nr_vcpus)].pcpu;
}

static bool group_enabled(const struct cell *cell)
{
	return (cell->vgic.gicd_ctlr & GICD_CTLR_EnableGrp1) != 0;
}

/*
 * The SPI's trigger could not be changed: a CPU lost inside another change
 * holds GICD_ICFGR's lock. Enabled, its line would reach the guest with a
 * trigger it did not ask for (a level taken as an edge is not seen again
 * while it stays high): it is kept disabled at the distributor, though the
 * model says what the guest wrote. The first refusal is reported.
 */
static __cold void icfgr_refused(const struct cell *cell, uint32_t intid, bool edge)
{
	if (__atomic_fetch_add(&icfgr_refusals[cell->id], 1, __ATOMIC_RELAXED) == 0)
		log_err("%s: SPI %u: GICD_ICFGR's lock is held by CPU %d, lost inside a trigger "
			"change: not made %s; the SPI stays disabled (further refusals not logged)",
			cell->cfg->label, intid, gicv3_icfgr_holder(),
			edge ? "edge-triggered" : "level-sensitive");
}

/*
 * With the model's lock held: one SPI as the model has it, into the
 * distributor. Its GICD_ICFGR word is shared with other cells' INTIDs: see
 * gicv3_icfgr_set_edge(). Routed to an affinity none of the cell's vCPUs
 * has (VGIC_NO_TARGET), it is delivered nowhere, as in emulated mode: kept
 * disabled, its pending state kept for the vCPU it is routed to next.
 */
static void write_spi(const struct cell *cell, const struct vgic_irq *irq)
{
	uintptr_t dist = gicv3_dist_base();
	uint32_t word = (irq->intid / 32) * 4;
	bool on = irq->enabled && group_enabled(cell) && irq->target_vcpu < cell->nr_vcpus;
	bool edge = irq->trigger == VGIC_EDGE || is_spare(cell, irq->intid);

	if (!gicv3_icfgr_set_edge(dist, irq->intid, edge)) {
		icfgr_refused(cell, irq->intid, edge);
		on = false;
	}
	gic_write8(dist, GICD_IPRIORITYR + irq->intid, guest_priority(irq->priority));
	gic_write64(dist, GICD_IROUTER + 8 * irq->intid,
		    arch_cpu_mpidr_of(spi_pcpu(cell, irq)) & MPIDR_AFFINITY_MASK);
	gic_write32(dist, (on ? GICD_ISENABLER : GICD_ICENABLER) + word, bit_of(irq->intid));
}

/*
 * With the model's lock held: the priorities of vCPU @index's SGIs and timers
 * in @prio, and the enables of all of them, into its CPU's redistributor.
 */
static void write_private(const struct cell *cell, unsigned int index, uint32_t prio)
{
	const struct vgic_vcpu *vc = &cell->vgic.vcpus[index];
	uintptr_t sgi = gicv3_sgi_frame(cell->vcpus[index].pcpu);
	uint32_t on = 0, m;
	unsigned int i;

	if (!sgi)
		return;
	for (m = DIRECT_PRIVATE; m; m &= m - 1) {
		i = (unsigned int)__builtin_ctz(m);
		if (prio & (1u << i))
			gic_write8(sgi, GICR_IPRIORITYR0 + i,
				   guest_priority(vc->private_irqs[i].priority));
		if (vc->private_irqs[i].enabled && group_enabled(cell))
			on |= 1u << i;
	}
	gic_write32(sgi, GICR_ICENABLER0, DIRECT_PRIVATE & ~on);
	gic_write32(sgi, GICR_ISENABLER0, on);
}

/* With the model's lock held: the cell's SPIs among the @n INTIDs from @first. */
static void write_spis(const struct cell *cell, uint32_t first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < cell->vgic.nr_spis; i++)
		if (cell->vgic.spis[i].intid - first < n)
			write_spi(cell, &cell->vgic.spis[i]);
}

/* The private INTIDs among the @n from @first, as a mask. */
static uint32_t private_mask(uint32_t first, unsigned int n)
{
	uint32_t end = first + n < VGIC_NR_PRIVATE ? first + n : VGIC_NR_PRIVATE;

	if (first >= end)
		return 0;
	return (uint32_t)(((1ULL << end) - 1) & ~((1ULL << first) - 1));
}

/* Every interrupt of @cell, from the model to the physical GIC. */
static void write_through(struct cell *cell)
{
	unsigned int i;

	spin_lock(&cell->vgic.lock);
	write_spis(cell, 0, VGIC_MAX_INTID + 1);
	for (i = 0; i < cell->nr_vcpus; i++)
		write_private(cell, i, DIRECT_PRIVATE);
	spin_unlock(&cell->vgic.lock);
}

/* The cell's SPIs in 32-bit bank word @word (INTIDs 32*word ...). */
static uint32_t owned_spis(const struct cell *cell, uint32_t word)
{
	uint32_t mask = 0;
	unsigned int i;

	for (i = 0; i < cell->vgic.nr_spis; i++)
		if (cell->vgic.spis[i].intid / 32 == word)
			mask |= bit_of(cell->vgic.spis[i].intid);
	return mask;
}

static bool is_event(uint64_t off, const struct mmio_access *acc)
{
	return acc->write && acc->size == 4 && off >= BANK_EVENTS_FIRST && off < BANK_EVENTS_END;
}

/*
 * A set or clear of pending or active state is forwarded, for the cell's
 * own INTIDs. Otherwise only what the write may have reconfigured
 * (vgic_dist_configures()) is written through: a priority word's SPIs, not
 * every interrupt of the cell on each CPU (a GICD_CTLR write still is).
 */
void vgic_direct_dist_write(struct vcpu *vcpu, uint64_t offset, const struct mmio_access *acc)
{
	struct cell *cell = vcpu->cell;
	uint32_t word = (uint32_t)(offset % 0x80) / 4, mask, first;
	unsigned int n, i;

	if (is_event(offset, acc)) {
		mask = owned_spis(cell, word) & (uint32_t)acc->value;
		if (mask)
			gic_write32(gicv3_dist_base(), (uint32_t)offset, mask);
		return;
	}
	n = vgic_dist_configures(&cell->vgic, offset, acc->size, &first);
	if (!n)
		return;
	spin_lock(&cell->vgic.lock);
	write_spis(cell, first, n);
	for (i = 0; private_mask(first, n) && i < cell->nr_vcpus; i++)
		write_private(cell, i, private_mask(first, n));
	spin_unlock(&cell->vgic.lock);
}

void vgic_direct_redist_write(struct vcpu *vcpu, uint64_t offset, const struct mmio_access *acc)
{
	struct cell *cell = vcpu->cell;
	uint64_t frame = offset / LAYOUT_VGICR_STRIDE, off = offset % LAYOUT_VGICR_STRIDE;
	unsigned int index, n;
	uintptr_t sgi;
	uint32_t mask, first;

	if (frame >= cell->nr_vcpus)
		return;
	index = (unsigned int)array_index_nospec(frame, cell->nr_vcpus);
	sgi = gicv3_sgi_frame(cell->vcpus[index].pcpu);
	if (off >= GICR_SGI_BASE && is_event(off - GICR_SGI_BASE, acc)) {
		mask = DIRECT_PRIVATE & (uint32_t)acc->value;
		if (sgi && (off - GICR_SGI_BASE) % 0x80 == 0 && mask)
			gic_write32(sgi, (uint32_t)(off - GICR_SGI_BASE), mask);
		return;
	}
	n = vgic_redist_configures(offset, acc->size, &first);
	if (!n)
		return;
	spin_lock(&cell->vgic.lock);
	write_private(cell, index, private_mask(first, n));
	spin_unlock(&cell->vgic.lock);
}

void vgic_direct_sgi1r(struct vcpu *vcpu, uint64_t value)
{
	struct cell *cell = vcpu->cell;
	uint32_t targets = vgic_sgi1r_targets(&cell->vgic, vcpu->index, value);
	unsigned int intid = SGI1R_INTID(value), t;

	if (intid >= GIC_SGI_GUEST_LIMIT) {
		/* The hypervisor's SGIs: not the guest's to send (docs/vgic.md). */
		if (__atomic_fetch_add(&refused_sgis[cell->id], 1, __ATOMIC_RELAXED) == 0)
			log_warn("%s: vcpu%u: SGI %u is the hypervisor's; direct cells have SGIs "
				 "0-%u (ignored, further ones not logged)",
				 cell->cfg->label, vcpu->index, intid, GIC_SGI_GUEST_LIMIT - 1);
		return;
	}
	/*
	 * vgic_sgi1r_targets() names only the cell's vCPUs; bounded here too, as
	 * vcpus[] past them say CPU 0, another cell's (3 instructions a vCPU).
	 */
	for (t = 0; targets && t < cell->nr_vcpus; t++, targets >>= 1)
		if (targets & 1)
			gic_send_sgi(arch_cpu_mpidr_of(cell->vcpus[t].pcpu), intid);
}

void vgic_direct_pend(uint32_t intid)
{
	gic_write32(gicv3_dist_base(), GICD_ISPENDR + (intid / 32) * 4, bit_of(intid));
}

/* Every SPI of the cell disabled, idle; private ones on each of its CPUs too. */
void vgic_direct_cell_stop(struct cell *cell)
{
	uintptr_t dist = gicv3_dist_base(), sgi;
	unsigned int i;
	uint32_t word, bit;

	for (i = 0; i < cell->vgic.nr_spis; i++) {
		word = (cell->vgic.spis[i].intid / 32) * 4;
		bit = bit_of(cell->vgic.spis[i].intid);
		gic_write32(dist, GICD_ICENABLER + word, bit);
		gic_write32(dist, GICD_ICPENDR + word, bit);
		gic_write32(dist, GICD_ICACTIVER + word, bit);
	}
	for (i = 0; i < cell->nr_vcpus; i++) {
		sgi = gicv3_sgi_frame(cell->vcpus[i].pcpu);
		if (!sgi)
			continue;
		gic_write32(sgi, GICR_ICENABLER0, DIRECT_PRIVATE);
		gic_write32(sgi, GICR_ICPENDR0, DIRECT_PRIVATE);
		gic_write32(sgi, GICR_ICACTIVER0, DIRECT_PRIVATE);
	}
}

__cold int vgic_direct_cell_init(struct cell *cell)
{
	unsigned int i;

	if (gic_version() != 3 || !gicv3_single_security())
		return log_err_ret(-ENODEV,
				   "%s: interrupt-mode: \"direct\" needs a GICv3 that gives the "
				   "hypervisor Group 0 (GICD_CTLR.DS = 1); this GIC %s",
				   cell->cfg->path,
				   gic_version() != 3 ? "is not a GICv3"
						      : "has two Security states");
	for (i = 0; i < cell->nr_vcpus; i++)
		if (cell->vcpus[i].pcpu == 0)
			return log_err_ret(-EINVAL,
					   "%s: interrupt-mode: \"direct\": vCPU %u is on the boot "
					   "CPU, which takes the hypervisor's console and SMMU "
					   "interrupts; give the cell other CPUs",
					   cell->cfg->path, i);
	lowest_signalled = vgic_direct_lowest(ICC_CTLR_EL1_PRIbits(read_sysreg(icc_ctlr_el1)));
	vgic_direct_cell_stop(cell);
	write_through(cell);
	return 0;
}

/*
 * What a guest left in this CPU's interface: Group 1 off, its active
 * priorities gone, its priority mask (never below 0x80, which lets the
 * hypervisor's 0x00 through: gic/vgic_direct_cpuif.c) back to the lowest.
 * Also before the CPU idles: a Group 1 active priority the guest wrote
 * into ICC_AP1Rn_EL1 would otherwise keep the hypervisor's own FIQs (the
 * kick that restarts the cell) below the running priority.
 */
static void clear_cpuif(void)
{
	unsigned int aprs = gic_nr_aprs(ICC_CTLR_EL1_PRIbits(read_sysreg(icc_ctlr_el1)));

	write_sysreg(0, icc_igrpen1_el1);
	write_sysreg(ICC_PMR_EL1_LOWEST, icc_pmr_el1);
	write_sysreg(0, icc_bpr1_el1);
	write_sysreg(0, icc_ap1r0_el1);
	if (aprs >= 2)
		write_sysreg(0, icc_ap1r1_el1);
	if (aprs >= 4) {
		write_sysreg(0, icc_ap1r2_el1);
		write_sysreg(0, icc_ap1r3_el1);
	}
	isb();
}

/*
 * A Group 1 active priority numerically below 0x80 is none of the guest's
 * interrupts' (guest_priority()): the guest wrote it into ICC_AP1Rn_EL1
 * itself, and it holds off the hypervisor's Group 0 kick (0x00) for as long
 * as it stays. A running guest cannot keep a stop out that way
 * (cell_force_out() revokes its stage 2), but a CPU waiting for the guest
 * with it would never hear the kick: it goes before the CPU waits. The
 * guest's own levels, the upper half of the active priority bits (a bit per
 * preemption level, 5 to 7 of them: IHI 0069 12.11.2), stay. So does nothing
 * of an NMI: with FEAT_GICv3_NMI, bit 63 says the active priority is an
 * NMI's, which is 0x00 with GICD_CTLR.DS set (one security state, as the
 * hypervisor runs the GIC): the same hold, dropped too (RES0 without NMIs).
 */
#define ICC_AP1R0_EL1_NMI (1ULL << 63)

void vgic_hw_direct_release_hold(struct vcpu *vcpu)
{
	unsigned int bits = ICC_CTLR_EL1_PRIbits(read_sysreg(icc_ctlr_el1));
	unsigned int levels = bits > 7 ? 7 : bits, first;
	uint64_t ap0 = read_sysreg(icc_ap1r0_el1),
		 ap1 = levels == 7 ? read_sysreg(icc_ap1r1_el1) : 0;
	uint64_t held0 = ap0 & ((levels >= 6 ? 0xffffffffu : 0xffffu) | ICC_AP1R0_EL1_NMI);

	if (!(held0 | ap1))
		return;
	write_sysreg(ap0 & ~held0, icc_ap1r0_el1);
	if (ap1)
		write_sysreg(0, icc_ap1r1_el1);
	isb();
	if (__atomic_fetch_add(&released_holds[vcpu->cell->id], 1, __ATOMIC_RELAXED))
		return;
	held0 &= ~ICC_AP1R0_EL1_NMI;
	first = held0 ? (unsigned int)__builtin_ctzll(held0)
		: ap1 ? 32 + (unsigned int)__builtin_ctzll(ap1)
		      : 0; /* an NMI's: 0x00 */
	log_warn("%s: vcpu%u: waits for an interrupt holding Group 1 active priority 0x%02x%s "
		 "(ICC_AP1R0_EL1 0x%08lx), which none of its interrupts has: dropped, so that "
		 "the hypervisor's interrupts reach its CPU (further ones not logged)",
		 vcpu->cell->cfg->label, vcpu->index, first << (8 - levels),
		 (ap0 & ICC_AP1R0_EL1_NMI) ? ", an NMI's" : "", (unsigned long)ap0);
}

__cold int vgic_direct_cpu_init(void)
{
	int ret = gicv3_cpu_direct(arch_cpu_index(), HYP_PRIVATE);

	if (ret)
		return ret;
	clear_cpuif();
	/*
	 * Group 1 is the guest's now, even while this CPU idles at EL2; Group 0,
	 * the hypervisor's kick and timer, is taken here (FMO) from now on, not
	 * only from the first guest entry: a CPU whose vCPU was never powered on
	 * would leave a stop's kick pending, and WFI does not wait on a pending
	 * interrupt (it spun).
	 */
	write_sysreg((read_sysreg(hcr_el2) & ~HCR_EL2_IMO) | HCR_EL2_FMO, hcr_el2);
	isb();
	return 0;
}

/*
 * A vCPU starting afresh (a cell's start, CPU_ON after CPU_OFF): what it
 * left active ended, as emulated mode does (vgic_lr_vcpu_reset()). A guest
 * that turned itself off inside a handler would otherwise find that
 * interrupt active for good: its timer never came again. An active SPI
 * routed to this vCPU is taken as its own: it was acknowledged here, unless
 * the guest rerouted it while it was being handled. Its priority mask
 * starts at 0, as the architecture's reset leaves it.
 */
void vgic_direct_vcpu_reset(struct vcpu *vcpu)
{
	struct cell *cell = vcpu->cell;
	uintptr_t dist = gicv3_dist_base(), sgi = gicv3_sgi_frame(vcpu->pcpu);
	const struct vgic_irq *irq;
	unsigned int i;

	vgic_direct_cpuif_reset(vcpu);
	if (sgi)
		gic_write32(sgi, GICR_ICACTIVER0, DIRECT_PRIVATE);
	spin_lock(&cell->vgic.lock);
	for (i = 0; i < cell->vgic.nr_spis; i++) {
		irq = &cell->vgic.spis[i];
		if (spi_pcpu(cell, irq) == vcpu->pcpu)
			gic_write32(dist, GICD_ICACTIVER + (irq->intid / 32) * 4,
				    bit_of(irq->intid));
	}
	spin_unlock(&cell->vgic.lock);
}
