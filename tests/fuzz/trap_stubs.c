// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the trap path calls beyond the trapping CPU, for fuzz_trap.c: the GIC
 * and the vGIC, the emulated devices and the cells' life cycle. Each checks
 * that it is reached for the trapping vCPU's own cell only, but where docs/
 * let a call reach another (a doorbell rings the other members of a region
 * both share, a management cell's request kicks and forces out the cell it
 * names), and records what it did in model.rec; those that do not return to
 * the guest end the trap (model_end()).
 */
#include <errno.h>

#define FUZZ_NAME	   "fuzz_trap"
#define FUZZ_OWN_CPU_RELAX /* trap_model.c's */
#include "fuzz_program.h"
#include "fuzz_trap.h"

#include "gic.h"
#include "halt.h"
#include "manage.h"
#include "mmio.h"
#include "pci.h"
#include "shm.h"
#include "vgic_hw.h"
#include "vuart.h"

#define ECAM_BASE 0x3f000000ULL
#define ECAM_SIZE 0x1000000ULL

/* --- the GIC and the vGIC ------------------------------------------------- */

/*
 * The rung regions' bits in @to's doorbell word, each one's doorbell shared
 * with the ringing cell (partitions/shm.c, ring_member()).
 */
bool model_doorbells_shared(const struct cell *to, uint64_t word)
{
	const struct layout_cell *from = model_own()->cfg;
	uint32_t rung = (uint32_t)(word & SHM_DOORBELLS_RUNG);
	bool member;

	for (int i = 0; i < LAYOUT_MAX_SHM; i++) {
		if (!(rung & (1u << i)))
			continue;
		if (i >= to->cfg->nr_shm || !to->cfg->shm[i].doorbell)
			return false;
		member = false;
		for (int j = 0; j < from->nr_shm; j++)
			member |= from->shm[j].region == to->cfg->shm[i].region &&
				  from->shm[j].doorbell;
		if (!member)
			return false;
	}
	return true;
}

/*
 * A kick: a CPU_ON of a vCPU of the cell, a management request to the cell
 * it names, or a doorbell rung in the other cell (its word says which).
 */
void gic_kick(unsigned int cpu)
{
	const struct vcpu *v = vcpu_of_pcpu(cpu);
	uint64_t word;

	CHECK(v, "a kick to CPU %u, which runs no vCPU", cpu);
	word = __atomic_load_n(&v->cell->doorbells, __ATOMIC_RELAXED);
	if (v->cell != model_own() && (word & SHM_DOORBELLS_RUNG)) {
		CHECK(model_doorbells_shared(v->cell, word),
		      "%s rings doorbells 0x%x in %s: no region of both with that doorbell",
		      model_own()->cfg->label, (unsigned int)word, v->cell->cfg->label);
		model.rec.doorbells++;
		return;
	}
	CHECK(v->cell == model_own() || model_own()->cfg->management,
	      "%s kicks a CPU of %s, and it is no management cell", model_own()->cfg->label,
	      v->cell->cfg->label);
	model.rec.kicks++;
}

void gic_cpuif_resync(void)
{
}

void irq_handle(void)
{
}

bool vgic_has_pending(struct vgic_cell *v, unsigned int vcpu)
{
	CHECK(v == &model_own()->vgic && vcpu == model.trapper->index, "asks another vGIC or vCPU");
	return model.answer.pending;
}

void vgic_hw_direct_release_hold(struct vcpu *vcpu)
{
	CHECK(vcpu == model.trapper, "releases another vCPU's hold");
}

/* As an emulated cell's: a common register never traps for it, UNDEFINED if it did. */
bool vgic_hw_direct_common(struct vcpu *vcpu, enum vgic_common_reg reg, bool read, uint64_t *val)
{
	CHECK(vcpu == model.trapper, "emulates another vCPU's CPU interface");
	(void)reg;
	(void)read;
	(void)val;
	return false;
}

void vgic_hw_vcpu_off(struct vcpu *vcpu)
{
	CHECK(vcpu == model.trapper, "turns another vCPU's interface off");
}

static void sgi(struct vcpu *vcpu, uint64_t value)
{
	CHECK(vcpu == model.trapper, "sends SGIs as another vCPU");
	model.rec.sgis++;
	model.rec.sgi_value = value;
}

void vgic_hw_sgi1r(struct vcpu *vcpu, uint64_t value)
{
	sgi(vcpu, value);
}

void vgic_hw_sgi0r(struct vcpu *vcpu, uint64_t value)
{
	sgi(vcpu, value);
}

/* Raised by the rung cell's own CPU as it takes the kick, never in a trap. */
int vgic_hw_doorbell(struct cell *cell, uint32_t intid)
{
	CHECK(0, "INTID %u raised in %s in a trap", intid, cell->cfg->label);
	return -1;
}

void vgic_hw_vuart_update(struct cell *cell)
{
	CHECK(cell == model_own(), "updates another cell's console line");
}

/* An access to an emulated device: the trapping vCPU's, inside the device, a size it has. */
static int device(enum model_device dev, uint64_t offset, uint64_t size, struct mmio_access *acc)
{
	CHECK(offset < size &&
		      (acc->size == 1 || acc->size == 2 || acc->size == 4 || acc->size == 8),
	      "device %d: offset 0x%lx of 0x%lx, size %u", dev, (unsigned long)offset,
	      (unsigned long)size, acc->size);
	CHECK(!acc->write || !(acc->value & ~mmio_size_mask(acc->size)),
	      "a write of %u bytes carries 0x%lx", acc->size, (unsigned long)acc->value);
	model.rec.dev = dev;
	model.rec.dev_accesses++;
	model.rec.dev_size = acc->size;
	model.rec.dev_write = acc->write;
	model.rec.dev_value = acc->value;
	/* All 64 bits: the trap path keeps the access's size of them. */
	if (!acc->write && model.answer.dev_ret != -EINVAL)
		acc->value = model.answer.dev_value;
	if (dev == DEV_VUART || model.answer.dev_ret != VUART_LINE_MOVED)
		return model.answer.dev_ret;
	return 0;
}

int vgic_hw_dist_access(struct vcpu *vcpu, uint64_t offset, struct mmio_access *acc)
{
	CHECK(vcpu == model.trapper, "another vCPU's distributor access");
	return device(DEV_VGICD, offset, LAYOUT_VGICD_SIZE, acc);
}

int vgic_hw_redist_access(struct vcpu *vcpu, uint64_t offset, struct mmio_access *acc)
{
	CHECK(vcpu == model.trapper && model_own()->vgic.version == 3,
	      "another vCPU's redistributor access, or a GICv2 cell's");
	return device(DEV_VGICR, offset, model_own()->nr_vcpus * LAYOUT_VGICR_STRIDE, acc);
}

int vuart_access(struct vuart *u, uint64_t offset, struct mmio_access *acc)
{
	CHECK(u == &model_own()->vuart && model_own()->cfg->console == LAYOUT_CONSOLE_VIRTUAL,
	      "another cell's virtual UART, or a cell without one");
	return device(DEV_VUART, offset, LAYOUT_VUART_SIZE, acc);
}

bool pci_ecam_claims(const struct cell *cell, uint64_t ipa)
{
	CHECK(cell == model_own(), "asks for another cell's config space");
	return cell->cfg->nr_pci && ipa - ECAM_BASE < ECAM_SIZE;
}

int pci_ecam_access(struct vcpu *vcpu, struct mmio_access *acc)
{
	CHECK(vcpu == model.trapper && model_own()->cfg->nr_pci,
	      "another vCPU's config-space access");
	return device(DEV_ECAM, acc->ipa - ECAM_BASE, ECAM_SIZE, acc);
}

/* --- the cells' life cycle ------------------------------------------------- */

/* No CPU of the model is lost, and its locks are free between traps: never a give-up. */
void cell_lock_lost_say(const struct cell *cell, const char *what, const char *undone)
{
	CHECK(0, "%s: %s given up (%s), though no CPU is lost", cell->cfg->label, what, undone);
}

void cell_stop(struct cell *cell, const char *why)
{
	CHECK(cell == model_own(), "%s stops %s", model_own()->cfg->label, cell->cfg->label);
	model_end(END_STOPPED, why);
}

void cell_restart(struct cell *cell, const char *why)
{
	CHECK(cell == model_own(), "%s restarts %s", model_own()->cfg->label, cell->cfg->label);
	model_end(END_RESTARTED, why);
}

void halt_begin(void)
{
}

bool halt_claim(void)
{
	return true;
}

void halt_system(void)
{
	model_end(END_HALTED, NULL);
}

void console_flush(void)
{
}

bool cell_restart_storm(const struct cell *cell)
{
	(void)cell;
	return false;
}

bool cell_boot_quiet(const struct cell *cell, uint64_t boot)
{
	(void)cell;
	(void)boot;
	return false;
}

/* A management cell's request to a direct cell, or one whose CPU took no kick. */
bool cell_force_out(struct cell *cell)
{
	CHECK(cell != model_own() && model_own()->cfg->management, "%s forces %s out",
	      model_own()->cfg->label, cell->cfg->label);
	return true;
}

void cell_stop_deferred_start(struct cell *cell)
{
	CHECK(cell != model_own() && model_own()->cfg->management, "%s stops %s's start",
	      model_own()->cfg->label, cell->cfg->label);
}

/* Carried out on the cell's own CPU once it takes its kick: never in another cell's trap. */
void cell_reload_and_start(struct cell *cell, const char *why)
{
	CHECK(0, "reloads %s in a trap (%s)", cell->cfg->label, why);
}

void cell_restart_claimed(struct cell *cell, const char *why)
{
	CHECK(0, "restarts %s in a trap (%s)", cell->cfg->label, why);
}

void cell_stop_claimed(struct cell *cell, const char *why)
{
	CHECK(0, "stops %s in a trap (%s)", cell->cfg->label, why);
}

void watchdog_kick(struct cell *cell)
{
	CHECK(cell == model_own(), "kicks another cell's watchdog");
}
