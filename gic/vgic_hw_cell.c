// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGIC hardware side's set-up (docs/vgic.md): the virtual interface at
 * boot, a cell's interrupts when it starts or stops, a vCPU's CPU interface
 * when it is reset. It runs once per boot, start or CPU_ON, so it is built
 * for size; what runs on every exit and interrupt is in gic/vgic_hw.c, with
 * the state both share.
 */
#include <errno.h>
#include <stddef.h>
#include "arch/cpu.h"
#include "cell.h"
#include "gic.h"
#include "log.h"
#include "vgic.h"
#include "vgic_hw.h"
#include "gic_priv.h"
#include "vgic_hw_priv.h"

int vgic_hw_init(const struct platform *plat)
{
	vgic_hw_version = plat->gic.version;
	vgic_hw_maint_irq = plat->gic.maint_irq;
	if (vgic_hw_version == 3)
		vgic_hw_nr_lrs = vgic_hw_v3_nr_lrs();
	else if (vgic_hw_version != 2)
		return -ENODEV;
	else if (vgic_hw_v2_init(&plat->gic))
		return log_err_ret(
			-ENODEV, "vgic: the GICv2 has no GICH frame: cells cannot get interrupts");
	else
		vgic_hw_nr_lrs = vgic_hw_v2_nr_lrs();
	/* The fill uses at most these; a vCPU reset still clears all (vgic_hw_v2_reset()). */
	if (vgic_hw_nr_lrs > VGIC_MAX_LRS)
		vgic_hw_nr_lrs = VGIC_MAX_LRS;
	if (!vgic_hw_maint_irq)
		log_warn("vgic: the board names no maintenance interrupt: a level interrupt "
			 "EOIed by a guest is sampled again only at its next exit, and pending "
			 "interrupts beyond the list registers wait for one too");
	log_info("vgic: GICv%d virtual interface, %u list registers, maintenance INTID %u",
		 vgic_hw_version, vgic_hw_nr_lrs, vgic_hw_maint_irq);
	return 0;
}

/*
 * Disabled until cell_start(), idle, and nothing pending: an edge the device
 * sent while the cell was stopping or loading belongs to no boot of it (a
 * level still asserted is pending again at once).
 */
static void cell_spis_off(struct cell *cell)
{
	int i;

	for (i = 0; i < cell->cfg->nr_irqs; i++) {
		gic_irq_disable(cell->cfg->irqs[i]);
		gic_irq_clear_pending(cell->cfg->irqs[i]);
		gic_irq_deactivate(cell->cfg->irqs[i]);
	}
}

int vgic_hw_cell_init(struct cell *cell)
{
	const struct layout_cell *cfg = cell->cfg;
	struct vgic_cell *v = &cell->vgic;
	uint32_t spis[VGIC_MAX_SPIS];
	unsigned int n = 0, c;
	struct vgic_irq *irq;
	int i, ret;

	cell_spis_off(cell);
	for (i = 0; i < cfg->nr_irqs && n < VGIC_MAX_SPIS; i++)
		spis[n++] = cfg->irqs[i];
	if (cfg->console == LAYOUT_CONSOLE_VIRTUAL && n < VGIC_MAX_SPIS)
		spis[n++] = layout_vuart_intid(cfg);
	for (i = 0; i < cfg->nr_shm && n < VGIC_MAX_SPIS; i++)
		if (cfg->shm[i].doorbell)
			spis[n++] = layout_doorbell_intid(&cfg->shm[i]);
	ret = vgic_init(v, vgic_hw_version, cell->nr_vcpus, spis, n, cfg->label);
	if (ret)
		return log_err_ret(ret,
				   "%s: vGIC: cannot model %u vCPU(s) with %u SPIs on GICv%d (%d)",
				   cfg->label, cell->nr_vcpus, n, vgic_hw_version, ret);
	/* The model's line is low again: what the UART told it is no longer there. */
	vuart_irq_forget(&cell->vuart);
	if (vgic_direct(cell))
		return vgic_direct_cell_init(cell);
	for (c = 0; c < cell->nr_vcpus; c++) {
		irq = vgic_irq(v, c, VGIC_INTID_VTIMER);
		irq->hw = true;
		irq->hw_intid = VGIC_INTID_VTIMER;
		irq = vgic_irq(v, c, VGIC_INTID_PTIMER);
		irq->hw = true;
		irq->hw_intid = VGIC_INTID_PTIMER;
	}
	/* Doorbells: purely virtual (hw = false), edge, fed by vgic_hw_doorbell(). */
	for (i = 0; i < cfg->nr_shm; i++) {
		irq = cfg->shm[i].doorbell ? vgic_irq(v, 0, layout_doorbell_intid(&cfg->shm[i]))
					   : NULL;
		if (irq)
			irq->trigger = VGIC_EDGE;
	}
	for (i = 0; i < cfg->nr_irqs; i++) {
		irq = vgic_irq(v, 0, cfg->irqs[i]);
		if (!irq || irq->intid > VGIC_MAX_INTID)
			continue;
		irq->hw = true;
		irq->hw_intid = irq->intid;
		vgic_hw_spi_owner[irq->intid] = cell;
		vgic_hw_spi_route[irq->intid] = 0;
		vgic_hw_route_spi(cell, irq);
	}
	return 0;
}

/*
 * Under the cell's lock, the cell just RUNNING: one that fired before would
 * have found it loading, with nobody to take it, and been turned off again
 * (spi_irq(), under the same lock).
 */
void vgic_hw_cell_start(struct cell *cell)
{
	int i;

	if (vgic_direct(cell))
		return;
	for (i = 0; i < cell->cfg->nr_irqs; i++)
		if (cell->cfg->irqs[i] <= VGIC_MAX_INTID &&
		    vgic_hw_spi_owner[cell->cfg->irqs[i]] == cell)
			gic_irq_enable(cell->cfg->irqs[i]);
}

void vgic_hw_cell_stop(struct cell *cell)
{
	if (vgic_direct(cell))
		vgic_direct_cell_stop(cell);
	else
		cell_spis_off(cell);
}

int vgic_hw_cpu_init(struct vcpu *vcpu)
{
	int ret = vgic_direct(vcpu->cell) ? vgic_direct_cpu_init() : 0;

	if (ret)
		log_err("%s: vcpu%u: CPU %u cannot take direct interrupts (%d), its kick among "
			"them: the CPU is lost to the cell",
			vcpu->cell->cfg->label, vcpu->index, arch_cpu_index(), ret);
	return ret;
}

void vgic_hw_vcpu_reset(struct vcpu *vcpu)
{
	struct vgic_cell *v = &vcpu->cell->vgic;
	uint32_t hw[VGIC_MAX_LRS], kicks;
	unsigned int n;

	/* On its own CPU (arch_vcpu_enter()): @vcpu->pcpu is this CPU. */
	vgic_hw_lr_live[vcpu->pcpu] = 0;
	vgic_hw_hcr_on[vcpu->pcpu] = false; /* the resets write it 0 */
	if (vgic_hw_version == 3)
		vgic_hw_v3_reset();
	else
		vgic_hw_v2_reset();
	/*
	 * A direct cell's CPU interface was cleared when its CPU came back to
	 * cell_cpu_loop() (vgic_hw_cpu_init()); its SGIs and timers stay as its
	 * guest last configured them, only what it left active ends.
	 */
	if (vgic_direct(vcpu->cell)) {
		vgic_direct_vcpu_reset(vcpu);
		return;
	}
	/* Active before a CPU_OFF: its new guest cannot end it (a timer never came again). */
	n = vgic_lr_vcpu_reset(v, vcpu->index, hw, &kicks);
	while (n)
		gic_irq_deactivate(hw[--n]);
	vgic_hw_kick_mask(vcpu->cell, kicks);
	/* The EL1 timers were just reset (disabled): their lines are low, nothing is in service. */
	vgic_set_level(v, vcpu->index, VGIC_INTID_VTIMER, false);
	vgic_set_level(v, vcpu->index, VGIC_INTID_PTIMER, false);
	gic_irq_deactivate(VGIC_INTID_VTIMER);
	gic_irq_deactivate(VGIC_INTID_PTIMER);
	gic_irq_enable(VGIC_INTID_VTIMER);
	gic_irq_enable(VGIC_INTID_PTIMER);
	if (vgic_hw_maint_irq)
		gic_irq_enable(vgic_hw_maint_irq);
}

/*
 * Its list registers stay as they are until arch_vcpu_enter() resets them;
 * the model no longer counts on them for what they held pending.
 */
void vgic_hw_vcpu_off(struct vcpu *vcpu)
{
	if (vgic_direct(vcpu->cell))
		return;
	vgic_hw_kick_mask(vcpu->cell, vgic_lr_vcpu_off(&vcpu->cell->vgic, vcpu->index));
}
