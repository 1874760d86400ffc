// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cells built from the validated layout, once, at boot: each one's stage 2
 * (memory, shared memory, devices, the GICv2 CPU interface), PCI functions,
 * vCPUs bound to their physical CPUs, vGIC, and first load. It runs once, so
 * it is built for size; the life cycle that follows is partitions/cell.c.
 */
#include <errno.h>
#include "arch/cpu.h"
#include "arch/el2_map.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "log.h"
#include "pci.h"
#include "smmu.h"
#include "vgic_hw.h"

static uint64_t page_down(uint64_t a)
{
	return a & ~(LAYOUT_PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t a)
{
	return page_down(a + LAYOUT_PAGE_SIZE - 1);
}

/* Does a register range before @dev's @reg in @cfg touch page @pa? */
static bool device_page_mapped(const struct layout_cell *cfg, int dev, int reg, uint64_t pa)
{
	for (int i = 0; i <= dev; i++) {
		const struct layout_device *d = &cfg->devices[i];

		for (int j = 0; j < (i == dev ? reg : d->nr_regs); j++)
			if (pa >= page_down(d->regs[j].base) &&
			    pa < page_up(d->regs[j].base + d->regs[j].size))
				return true;
	}
	return false;
}

/*
 * Stage 2 maps whole pages; the layout gave the cell every page its
 * registers touch. Two devices of the cell (or two ranges of one) may share
 * a page: it is mapped once, by the first (IPA = PA, so it is the same page).
 */
static int map_device_pages(struct cell *cell, int dev, int reg)
{
	const struct mem_range *r = &cell->cfg->devices[dev].regs[reg];
	uint64_t pa = page_down(r->base), end = page_up(r->base + r->size), run;
	int ret = 0;

	while (pa < end && !ret) {
		if (device_page_mapped(cell->cfg, dev, reg, pa)) {
			pa += LAYOUT_PAGE_SIZE;
			continue;
		}
		for (run = pa; pa < end && !device_page_mapped(cell->cfg, dev, reg, pa);)
			pa += LAYOUT_PAGE_SIZE;
		ret = arch_stage2_map_device(cell, run, run, pa - run);
	}
	return ret;
}

/*
 * Name a mapping stage 2 refused. The layout check passed it, so what is
 * left is this CPU (an IPA beyond its PARange), the table pool, or a clash.
 */
static int map_report(const struct cell *cell, const char *prop, uint64_t ipa, uint64_t size,
		      int ret)
{
	if (ret)
		log_err("%s: %s: IPA 0x%lx+0x%lx not mapped in stage 2: %s", cell->cfg->path, prop,
			(unsigned long)ipa, (unsigned long)size,
			ret == -ENOMEM ? "the stage-2 table pool is exhausted"
			: ret == -EEXIST
				? "the cell already has something there"
				: "beyond the IPA size of this CPU (ID_AA64MMFR0_EL1.PARange)");
	return ret;
}

/*
 * Does @cfg give the cell a DMA master the SMMU confines? On GICv2 its
 * stage 2 holds GICV, whose frame is banked by the CPU that accesses it: a
 * device must not reach it, so the SMMU walks tables of its own, without it.
 */
static bool smmu_tables_of_its_own(const struct layout_cell *cfg)
{
	return cells_plat->gic.version == 2 && layout_cell_has_streams(cfg);
}

static int map_cell(struct cell *cell)
{
	const struct layout_cell *cfg = cell->cfg;
	int i, j, ret = arch_stage2_init(cell, smmu_tables_of_its_own(cfg));

	if (ret)
		log_err("%s: stage 2: no table left for its root (%d)", cfg->path, ret);
	for (i = 0; i < cfg->nr_mem && !ret; i++) {
		const struct layout_region *r = &cfg->mem[i];

		ret = map_report(cell, "memory", r->ipa, r->size,
				 arch_stage2_map_ram(cell, r->ipa, r->pa, r->size));
	}
	/* Shared memory (docs/shm.md): never scrubbed by cell_load(), it outlives a restart. */
	for (i = 0; i < cfg->nr_shm && !ret; i++)
		ret = map_report(cell, "shared memory", cfg->shm[i].ipa, cfg->shm[i].size,
				 arch_stage2_map_shared(cell, cfg->shm[i].ipa, cfg->shm[i].pa,
							cfg->shm[i].size, cfg->shm[i].writable));
	for (i = 0; i < cfg->nr_devices && !ret; i++) {
		const struct layout_device *d = &cfg->devices[i];

		for (j = 0; j < d->nr_regs && !ret; j++)
			ret = map_report(cell, "devices", d->regs[j].base, d->regs[j].size,
					 map_device_pages(cell, i, j));
	}
	/* GICv2: the guest's CPU interface is the CPU's virtual one, GICV, where GICC would be. */
	if (!ret && cells_plat->gic.version == 2)
		ret = map_report(
			cell, "the vGIC CPU interface", LAYOUT_VGICC_BASE, LAYOUT_VGICC_SIZE,
			arch_stage2_map_cpu_only(cell, LAYOUT_VGICC_BASE, cells_plat->gic.vcpu.base,
						 cells_plat->gic.vcpu.size < LAYOUT_VGICC_SIZE
							 ? cells_plat->gic.vcpu.size
							 : LAYOUT_VGICC_SIZE));
	return ret;
}

/*
 * A cell runs on its CPUs only if every one of them is online (smp.c): one
 * that failed at bring-up would never take the cell's start. Checked before
 * anything is built, as its PCI functions are (pci_cell_check(): an endpoint
 * there, not a bridge), so a refused cell leaves nothing behind (stage 2,
 * PCI functions, SMMU streams, CPUs bound) and the other cells are built as
 * if it were not in the layout; only the PCIe tree is quiesced for it
 * (pci_cell_refused()). Every CPU it names is reported.
 */
static bool cpus_online(const struct layout_cell *cfg)
{
	bool online = true;
	uint64_t mpidr;
	int i;

	for (i = 0; i < cfg->nr_cpus; i++) {
		mpidr = cfg->cpus[i].mpidr;
		if (arch_cpu_index_of_mpidr(mpidr) >= 0)
			continue;
		log_err("cell %s: CPU 0x%lx is not online (%s): the cell is refused, the other "
			"cells are built without it",
			cfg->label, (unsigned long)mpidr, arch_cpu_offline_why(mpidr));
		online = false;
	}
	return online;
}

static void bind_vcpus(struct cell *cell)
{
	const struct layout_cell *cfg = cell->cfg;
	int i;

	for (i = 0; i < cfg->nr_cpus; i++) {
		struct vcpu *v = &cell->vcpus[i];
		/* Online: cpus_online() checked, and nothing takes a CPU offline at boot. */
		unsigned int pcpu = (unsigned int)arch_cpu_index_of_mpidr(cfg->cpus[i].mpidr);

		v->cell = cell;
		v->index = (unsigned int)i;
		v->pcpu = pcpu;
		v->power = VCPU_OFF;
		cells_pcpu_vcpu[pcpu] = v;
	}
	cell->nr_vcpus = (unsigned int)cfg->nr_cpus;
}

static int cell_create(struct cell *cell, const struct layout_cell *cfg, unsigned int id)
{
	bool online;
	int ret;

	cell->cfg = cfg;
	cell->id = id;
	cell->vuart.lost = &cell->lost; /* the console's side gives up on a lost CPU */
	vuart_reset(&cell->vuart, cfg->label);
	online = cpus_online(cfg);
	ret = pci_cell_check(cell, cells_plat, cells_board_fdt);
	if (ret && ret != -EPERM)
		return ret;
	if (!online || ret) {
		cell->refused = true;
		cell->state = CELL_STOPPED;
		/* Its PCI functions would otherwise decode and master as firmware left them. */
		return pci_cell_refused(cell, cells_plat, cells_board_fdt);
	}
	cell->state = CELL_LOADING; /* until its first start (cell_first_start()) */
	cell->owner = arch_cpu_index();
	ret = map_cell(cell);
	if (!ret) /* PCI functions' BARs and SMMU streams (issue 5) */
		ret = pci_cell_create(cell, cells_plat, cells_board_fdt);
	if (!ret) {
		bind_vcpus(cell);
		ret = cell_load_prepare(cell);
	}
	return ret ? ret : vgic_hw_cell_init(cell);
}

/* @cell's first load, once every cell is built; it starts in cell_start(). */
static int cell_first_load(struct cell *cell)
{
	const struct layout_cell *cfg = cell->cfg;
	int ret = cell_load(cell, cells_plat, cells_board_fdt);

	if (ret)
		return ret;
	/*
	 * Its streams abort from smmu_assign() on: no DMA while its memory is
	 * loaded. They translate from its start (cell_start()), once its
	 * functions' first resets are over, as at every later start.
	 */
	log_info("cell %s: %u vCPU(s), VMID %u, %u stage-2 tables, entry 0x%lx, DTB 0x%lx%s",
		 cfg->label, cell->nr_vcpus, cell->s2.vmid, arch_stage2_tables(cell),
		 (unsigned long)cell->entry_ipa, (unsigned long)cell->dtb_ipa,
		 cell->initrd_size ? ", initrd" : "");
	return 0;
}

/* Where every trap saves a guest's registers. A hypervisor bug if not: no cell starts then. */
static int check_stacks(void)
{
	unsigned int cpus;
	int pages = arch_cpu_stacks_check(&cpus);

	if (pages < 0)
		return pages;
	log_info(
		"memory: each CPU's stack, where a trap saves its guest's registers, and its "
		"fault stack are in that CPU's EL2 map only (%u CPUs, %d pages checked by the MMU)",
		cpus, pages);
	return 0;
}

/* A hypervisor bug if not: no cell starts then. */
static int check_hidden(void)
{
	unsigned int i, checked = 0;
	int n;

	for (i = 0; i < cells_nr; i++) {
		if (cells[i].refused) /* never loaded: its memory was not taken from the map */
			continue;
		n = cell_load_check_hidden(&cells[i]);
		if (n < 0)
			return log_err_ret(n,
					   "cell %s: its memory is still in the hypervisor's map",
					   cells[i].cfg->label);
		checked += (unsigned int)n;
	}
	log_info("memory: no EL2 map holds a cell's memory or software (%u addresses checked "
		 "by the MMU); a CPU maps a cell's only while it loads it",
		 checked);
	return 0;
}

int cells_create(const struct layout *layout, const struct platform *plat, const void *board_fdt)
{
	int i, ret = 0;

	cells_plat = plat;
	cells_board_fdt = board_fdt;
	ret = vgic_hw_init(plat);
	if (!ret)
		ret = cells_zero_shared(layout);
	for (i = 0; i < layout->nr_cells && !ret; i++)
		ret = cell_create(&cells[i], &layout->cells[i], (unsigned int)i);
	if (ret)
		return ret;
	/*
	 * Each cell's PCI functions reset before its first instruction: started
	 * once all are built, since building a cell reads other cells' functions
	 * (bridges on its path, ACS peers), which a function in reset may not
	 * answer; and before the loads, which touch no function, so that they
	 * take the reset's time: each cell waits for what is left of its own as
	 * it starts (cell_start()). Their Bus Master has been off since the tree
	 * was quiesced.
	 */
	pci_reset_first_boot_begin();
	for (i = 0; i < layout->nr_cells && !ret; i++)
		if (!cells[i].refused)
			ret = cell_first_load(&cells[i]);
	if (ret)
		return ret;
	pci_reset_first_boot_continue(); /* the loads took the first steps' time */
	cells_nr = (unsigned int)layout->nr_cells;
	ret = check_hidden();
	return ret ? ret : check_stacks();
}
