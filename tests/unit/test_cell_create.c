// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building the cells at boot (partitions/cell_create.c) when a CPU a cell
 * names is not online (arch/arm64/smp.c: its GIC could not be set up, it did
 * not report in, another agent runs on it). Bound to it, the cell would never
 * start; refused, it must be refused alone: the other cells are built and
 * start, and the refused one leaves nothing behind (no stage 2, no PCI
 * function or SMMU stream, no CPU bound). The test's arch says which CPUs are
 * online and counts what each cell was given.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "arch/el2_map.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "fake_log.h"
#include "memstat.h"
#include "pci.h"
#include "vgic_hw.h"

/* alpha on CPU 0x0; beta on 0x1-0x3, as tests/scenarios/layouts/two-cells.dts. */
static struct layout layout = {
	.nr_cells = 2,
	.cells = {
		{ .label = "alpha", .nr_cpus = 1, .cpus = { { .mpidr = 0x0 } } },
		{ .label = "beta",
		  .nr_cpus = 3,
		  .cpus = { { .mpidr = 0x1 }, { .mpidr = 0x2 }, { .mpidr = 0x3 } } },
	},
};
static struct platform plat;

static uint32_t online; /* bit N: the CPU with MPIDR N is online, as logical CPU N */
/* What each cell (by id) was given. */
static unsigned int stage2_roots[LAYOUT_MAX_CELLS], pci_creates[LAYOUT_MAX_CELLS];
static unsigned int loads[LAYOUT_MAX_CELLS], hidden_checks[LAYOUT_MAX_CELLS];
static unsigned int pci_refusals[LAYOUT_MAX_CELLS];
/* What pci_cell_check() answers for each cell: 0, -EPERM (refused) or the host's error. */
static int pci_checks[LAYOUT_MAX_CELLS];
/* The SMMU streams each cell's devices have were let translate (smmu_cell_resume()). */
static unsigned int resumes[LAYOUT_MAX_CELLS];
/* pci_reset_first_boot_begin(): how many times, and how many cells were built and loaded then. */
static unsigned int first_boot_resets, pci_creates_at_reset, loads_at_reset;
/* pci_reset_first_boot_continue(): how many times, and how many cells were loaded then. */
static unsigned int first_boot_continues, loads_at_continue;

/* --- the CPUs -------------------------------------------------------------- */

unsigned int arch_cpu_index(void)
{
	return 0; /* the boot CPU builds the cells */
}

int arch_cpu_index_of_mpidr(uint64_t mpidr)
{
	return mpidr < 32 && (online & (1u << mpidr)) ? (int)mpidr : -1;
}

const char *arch_cpu_offline_why(uint64_t mpidr)
{
	(void)mpidr;
	return "its GIC redistributor or CPU interface could not be set up";
}

int arch_cpu_stacks_check(unsigned int *cpus)
{
	*cpus = 4;
	return 4;
}

/* --- stage 2, devices, vGIC, images ------------------------------------------ */

int arch_stage2_init(struct cell *cell, bool dma_tables)
{
	(void)dma_tables;
	stage2_roots[cell->id]++;
	return 0;
}

int arch_stage2_map_ram(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size)
{
	(void)cell, (void)ipa, (void)pa, (void)size;
	return 0;
}

int arch_stage2_map_shared(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size,
			   bool writable)
{
	(void)cell, (void)ipa, (void)pa, (void)size, (void)writable;
	return 0;
}

/* Device mappings, as stage 2 (no_replace) takes them: a page mapped twice is -EEXIST. */
static struct {
	unsigned int cell;
	uint64_t pa, size;
} dev_maps[16];
static unsigned int nr_dev_maps;

int arch_stage2_map_device(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size)
{
	assert_int_equal(ipa, pa);
	for (unsigned int i = 0; i < nr_dev_maps; i++)
		if (dev_maps[i].cell == cell->id && pa < dev_maps[i].pa + dev_maps[i].size &&
		    dev_maps[i].pa < pa + size)
			return -EEXIST;
	assert_true(nr_dev_maps < 16);
	dev_maps[nr_dev_maps].cell = cell->id;
	dev_maps[nr_dev_maps].pa = pa;
	dev_maps[nr_dev_maps++].size = size;
	return 0;
}

int arch_stage2_map_cpu_only(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size)
{
	(void)cell, (void)ipa, (void)pa, (void)size;
	return 0;
}

unsigned int arch_stage2_tables(const struct cell *cell)
{
	return stage2_roots[cell->id];
}

int pci_cell_create(struct cell *cell, const struct platform *p, const void *board_fdt)
{
	(void)p, (void)board_fdt;
	pci_creates[cell->id]++;
	return 0;
}

void pci_reset_first_boot_begin(void)
{
	first_boot_resets++;
	pci_creates_at_reset = pci_creates[0] + pci_creates[1];
	loads_at_reset = loads[0] + loads[1];
}

void pci_reset_first_boot_continue(void)
{
	first_boot_continues++;
	loads_at_continue = loads[0] + loads[1];
}

int pci_cell_check(const struct cell *cell, const struct platform *p, const void *board_fdt)
{
	(void)p, (void)board_fdt;
	return pci_checks[cell->id];
}

int pci_cell_refused(const struct cell *cell, const struct platform *p, const void *board_fdt)
{
	(void)p, (void)board_fdt;
	pci_refusals[cell->id]++;
	return 0;
}

int vgic_hw_init(const struct platform *p)
{
	(void)p;
	return 0;
}

int vgic_hw_cell_init(struct cell *cell)
{
	(void)cell;
	return 0;
}

int cells_zero_shared(const struct layout *l)
{
	(void)l;
	return 0;
}

int cell_load_prepare(const struct cell *cell)
{
	(void)cell;
	return 0;
}

int cell_load(struct cell *cell, const struct platform *p, const void *board_fdt)
{
	(void)p, (void)board_fdt;
	loads[cell->id]++;
	return 0;
}

void smmu_cell_resume(struct cell *cell)
{
	resumes[cell->id]++;
}

int cell_load_check_hidden(const struct cell *cell)
{
	hidden_checks[cell->id]++;
	return 1;
}

void vuart_reset(struct vuart *vu, const char *label)
{
	(void)vu, (void)label;
}

void memstat_read(struct memstat *m)
{
	memset(m, 0, sizeof(*m));
}

/* --- tests --------------------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	memset(cells, 0, sizeof(cells));
	memset(cells_pcpu_vcpu, 0, sizeof(cells_pcpu_vcpu));
	cells_nr = 0;
	memset(stage2_roots, 0, sizeof(stage2_roots));
	memset(pci_creates, 0, sizeof(pci_creates));
	memset(loads, 0, sizeof(loads));
	memset(hidden_checks, 0, sizeof(hidden_checks));
	memset(pci_refusals, 0, sizeof(pci_refusals));
	memset(pci_checks, 0, sizeof(pci_checks));
	memset(resumes, 0, sizeof(resumes));
	first_boot_resets = 0;
	first_boot_continues = 0;
	pci_creates_at_reset = loads_at_reset = 0;
	online = 0xf;
	nr_dev_maps = 0;
	layout.cells[0].nr_devices = 0;
	fake_log_reset();
	return 0;
}

static void test_cells_on_online_cpus_are_built_and_bound(void **state)
{
	(void)state;
	assert_int_equal(cells_create(&layout, &plat, NULL), 0);
	assert_int_equal(cells_count(), 2);
	assert_false(cell_get(1)->refused);
	assert_int_equal(cell_get(1)->nr_vcpus, 3);
	assert_ptr_equal(vcpu_of_pcpu(3), &cell_get(1)->vcpus[2]);
}

static void test_cell_naming_a_cpu_not_online_is_refused_alone(void **state)
{
	(void)state;
	online = 0xd; /* CPU 0x1's GIC could not be set up */
	if (cells_create(&layout, &plat, NULL))
		fail_msg("no cell built because beta's CPU 0x1 is not online; log:\n%s",
			 fake_log_text());
	assert_logged("E: cell beta: CPU 0x1 is not online (its GIC redistributor or CPU "
		      "interface could not be set up): the cell is refused, the other cells "
		      "are built without it");
	/* alpha built, loaded and bound as ever. */
	assert_int_equal(cells_count(), 2);
	assert_false(cell_get(0)->refused);
	assert_int_equal(loads[0], 1);
	assert_ptr_equal(vcpu_of_pcpu(0), &cell_get(0)->vcpus[0]);
	assert_logged("I: cell alpha: 1 vCPU(s)");
	/* beta: refused, stopped, nothing built, none of its CPUs bound (2 and 3 are online). */
	assert_true(cell_get(1)->refused);
	assert_int_equal(cell_get(1)->state, CELL_STOPPED);
	assert_int_equal(cell_get(1)->nr_vcpus, 0);
	assert_int_equal(stage2_roots[1] + pci_creates[1] + loads[1] + hidden_checks[1], 0);
	for (unsigned int cpu = 1; cpu < 4; cpu++)
		if (vcpu_of_pcpu(cpu))
			fail_msg("CPU %u is bound to the refused cell beta", cpu);
}

/* The PCIe tree is quiesced for it all the same: its functions must not master DMA. */
static void test_refused_cell_has_its_pci_functions_quiesced(void **state)
{
	(void)state;
	online = 0xd;
	assert_int_equal(cells_create(&layout, &plat, NULL), 0);
	if (pci_refusals[1] != 1)
		fail_msg("the refused cell beta's PCI functions were quiesced %u times, not once",
			 pci_refusals[1]);
	assert_int_equal(pci_refusals[0], 0);
}

/*
 * A PCI function pci_cell_check() refuses (the host bridge, a bridge, none
 * there) refuses its cell as a CPU not online does: beta is not built, its
 * functions are quiesced, alpha is built as ever. Before, the refusal came
 * from pci_cell_create() and no cell started.
 */
static void test_cell_naming_a_pci_function_it_cannot_own_is_refused_alone(void **state)
{
	(void)state;
	pci_checks[1] = -EPERM;
	if (cells_create(&layout, &plat, NULL))
		fail_msg("no cell built because beta's PCI function was refused; log:\n%s",
			 fake_log_text());
	assert_false(cell_get(0)->refused);
	assert_int_equal(loads[0], 1);
	assert_true(cell_get(1)->refused);
	assert_int_equal(cell_get(1)->state, CELL_STOPPED);
	assert_int_equal(stage2_roots[1] + pci_creates[1] + loads[1], 0);
	assert_int_equal(pci_refusals[1], 1);
}

/* A host that cannot be used (its ECAM unmapped, no window for BARs) is no one cell's fault. */
static void test_a_pcie_host_that_cannot_be_used_builds_no_cell(void **state)
{
	(void)state;
	pci_checks[1] = -EINVAL;
	assert_int_equal(cells_create(&layout, &plat, NULL), -EINVAL);
	assert_int_equal(pci_refusals[1], 0);
}

/* Every CPU of it that is not online is named: the operator fixes them all at once. */
static void test_refused_cell_names_every_cpu_not_online(void **state)
{
	(void)state;
	online = 0x5;
	assert_int_equal(cells_create(&layout, &plat, NULL), 0);
	assert_logged("cell beta: CPU 0x1 is not online");
	assert_logged("cell beta: CPU 0x3 is not online");
	assert_not_logged("CPU 0x2 is not online");
}

/*
 * A cell's SMMU streams, given by pci_cell_create() and aborting from then
 * on, still abort once the cells are built and loaded: a device firmware
 * left running must not write into memory being scrubbed and loaded, nor
 * a function into it before the first boot's resets are over. They
 * translate from the cell's start (cell.c, cell_start()), after those. Before
 * 2026-11-25 they translated from the end of the first load, and before
 * 2026-11-24 from the moment they were given.
 */
static void test_a_cells_streams_still_abort_once_it_is_loaded(void **state)
{
	(void)state;
	assert_int_equal(cells_create(&layout, &plat, NULL), 0);
	for (unsigned int i = 0; i < 2; i++)
		if (resumes[i] != 0 || loads[i] != 1)
			fail_msg("cell %s: its streams were let translate %u time(s) by its "
				 "creation and %u load(s); wanted none, after its load",
				 cell_get(i)->cfg->label, resumes[i], loads[i]);
}

/*
 * The first boot's PCI function resets (pci_reset_first_boot_begin()) start
 * once, after every cell is built: building a cell reads other cells'
 * functions, which a function in reset may not answer. And before any cell
 * is loaded: the loads take the resets' time (each cell waits for what is
 * left as it starts). Until 2026-11-26 every cell was loaded as it was
 * built, and the 100 ms of an FLR were waited for after the last load.
 */
static void
test_pci_functions_start_their_reset_after_every_cell_is_built_before_loads(void **state)
{
	(void)state;
	assert_int_equal(cells_create(&layout, &plat, NULL), 0);
	if (first_boot_resets != 1 || pci_creates_at_reset != 2 || loads_at_reset != 0)
		fail_msg("the first boot's PCI resets began %u time(s), the last after %u of 2 "
			 "cells' PCI functions were set up and %u of 2 cells loaded; wanted "
			 "once, after both were set up, before either was loaded",
			 first_boot_resets, pci_creates_at_reset, loads_at_reset);
	assert_int_equal(loads[0] + loads[1], 2);
}

/*
 * The resets' second steps (the FLR of a function firmware left in D3hot,
 * woken first) are taken once, for every cell, after every load: the loads
 * took the wake's time, and each start waits only for what is left of its
 * own FLR. Until 2026-11-26 each waited for its cell's start, and the boot
 * CPU starts the cells one after another: an FLR's time more per cell.
 */
static void test_pci_functions_second_reset_steps_follow_every_load_once(void **state)
{
	(void)state;
	assert_int_equal(cells_create(&layout, &plat, NULL), 0);
	if (first_boot_continues != 1 || loads_at_continue != 2)
		fail_msg("the first boot's PCI resets' second steps were taken %u time(s), the "
			 "last after %u of 2 cells were loaded; wanted once, after both",
			 first_boot_continues, loads_at_continue);
}

/*
 * Two virtio-mmio devices of alpha in one page, and a device whose two
 * ranges share a page and run past it: each page is mapped once. Before,
 * the second mapping of the shared page failed (stage 2 replaces nothing)
 * and no cell started, although bulkhead-check had passed the layout.
 */
static void test_devices_sharing_a_page_in_one_cell_map_it_once(void **state)
{
	struct layout_cell *alpha = &layout.cells[0];
	(void)state;

	alpha->nr_devices = 3;
	alpha->devices[0].nr_regs = 1;
	alpha->devices[0].regs[0] = (struct mem_range){ 0x0a000000, 0x200 };
	alpha->devices[1].nr_regs = 1;
	alpha->devices[1].regs[0] = (struct mem_range){ 0x0a000200, 0x200 };
	alpha->devices[2].nr_regs = 2;
	alpha->devices[2].regs[0] = (struct mem_range){ 0x0a000400, 0x100 };
	alpha->devices[2].regs[1] = (struct mem_range){ 0x0a000800, 0x2000 };
	if (cells_create(&layout, &plat, NULL) || cell_get(0)->refused)
		fail_msg("alpha not built; log:\n%s", fake_log_text());
	assert_int_equal(nr_dev_maps, 2);
	assert_int_equal(dev_maps[0].pa, 0x0a000000);
	assert_int_equal(dev_maps[0].size, 0x1000);
	assert_int_equal(dev_maps[1].pa, 0x0a001000);
	assert_int_equal(dev_maps[1].size, 0x2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_cells_on_online_cpus_are_built_and_bound, setup),
		cmocka_unit_test_setup(test_cell_naming_a_cpu_not_online_is_refused_alone, setup),
		cmocka_unit_test_setup(test_refused_cell_names_every_cpu_not_online, setup),
		cmocka_unit_test_setup(
			test_cell_naming_a_pci_function_it_cannot_own_is_refused_alone, setup),
		cmocka_unit_test_setup(test_a_pcie_host_that_cannot_be_used_builds_no_cell, setup),
		cmocka_unit_test_setup(test_refused_cell_has_its_pci_functions_quiesced, setup),
		cmocka_unit_test_setup(test_devices_sharing_a_page_in_one_cell_map_it_once, setup),
		cmocka_unit_test_setup(test_a_cells_streams_still_abort_once_it_is_loaded, setup),
		cmocka_unit_test_setup(
			test_pci_functions_start_their_reset_after_every_cell_is_built_before_loads,
			setup),
		cmocka_unit_test_setup(test_pci_functions_second_reset_steps_follow_every_load_once,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
