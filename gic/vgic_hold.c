// SPDX-License-Identifier: GPL-2.0-only
/*
 * One vCPU reads or changes the pending or active state of an interrupt that
 * another vCPU's list registers hold while that vCPU runs: Linux's
 * synchronize_irq() reads GICD_ISACTIVER, irq_set_irqchip_state() writes
 * GICD_ICPENDR and GICD_ICACTIVER. The model knows that state only as of the
 * other vCPU's last fill: read there, it is stale; written there, the other
 * vCPU's next sync writes its list register back over it. So the model
 * refuses such an access (-EBUSY, vgic_lr_elsewhere()) and, as KVM halts the
 * guest for it, the access is made again once those vCPUs have left their
 * guest and synced, with no fill listing anything meanwhile (v->holds).
 *
 * No deadlock: a holder waits only for vCPUs in their guest (a kick always
 * brings one out: its physical interrupts are taken at EL2), and a vCPU
 * waiting at the fill has synced. Both waits are bounded all the same.
 */
#include <errno.h>

#include "arch/cpu.h"
#include "cell.h"
#include "compiler.h"
#include "log.h"
#include "vgic.h"
#include "vgic_hw_priv.h"

/* A kicked vCPU leaves its guest within microseconds; a holder within one access. */
#define HOLD_WAIT_MS 100

/* The vCPUs of @v other than @self whose list registers hold state they may change. */
static uint32_t lrs_out_of(struct vgic_cell *v, unsigned int self)
{
	uint32_t out = 0;
	unsigned int u;

	for (u = 0; u < v->nr_vcpus; u++)
		if (u != self && __atomic_load_n(&v->vcpus[u].lrs_out, __ATOMIC_ACQUIRE))
			out |= 1u << u;
	return out;
}

/*
 * Never seen: @out did not sync within HOLD_WAIT_MS. The access is made on
 * the model as it is (what it did before holds existed), and said once per
 * cell: one flag for all let a cell's timeout hide every other cell's.
 */
_Static_assert(LAYOUT_MAX_CELLS <= 32, "give_up_on()'s said has a bit per cell id");

static __cold __attribute__((noinline)) void give_up_on(struct cell *cell, uint32_t out)
{
	static uint32_t said; /* a bit per cell id */
	uint32_t bit = 1u << cell->id;

	vgic_lr_abandon(&cell->vgic, out);
	if (!(__atomic_fetch_or(&said, bit, __ATOMIC_RELAXED) & bit))
		log_err("%s: vGIC: vCPU mask 0x%x did not leave its guest within %u ms to "
			"sync its list registers; their interrupts' state is read as of "
			"their last entry (reported once for this cell)",
			cell->cfg->label, out, HOLD_WAIT_MS);
}

int vgic_hw_access_held(struct vcpu *vcpu, vgic_access_fn access, uint64_t offset,
			struct mmio_access *acc)
{
	struct vgic_cell *v = &vcpu->cell->vgic;
	uint64_t start = arch_counter_read(), limit = arch_ms_to_ticks(HOLD_WAIT_MS);
	uint32_t out;
	int ret;

	__atomic_fetch_add(&v->holds, 1, __ATOMIC_SEQ_CST);
	while ((ret = access(v, vcpu->index, offset, acc)) == -EBUSY) {
		out = lrs_out_of(v, vcpu->index);
		vgic_hw_kick_mask(vcpu->cell, out);
		while ((lrs_out_of(v, vcpu->index) & out) && arch_counter_read() - start <= limit)
			arch_cpu_relax();
		out &= lrs_out_of(v, vcpu->index);
		if (out)
			give_up_on(vcpu->cell, out);
	}
	__atomic_fetch_sub(&v->holds, 1, __ATOMIC_SEQ_CST);
	return ret;
}

void vgic_hw_wait_holds(struct cell *cell)
{
	uint64_t start = arch_counter_read(), limit = arch_ms_to_ticks(HOLD_WAIT_MS);

	while (__atomic_load_n(&cell->vgic.holds, __ATOMIC_ACQUIRE) &&
	       arch_counter_read() - start <= limit)
		arch_cpu_relax();
}
