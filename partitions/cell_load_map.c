// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a cell's load touches (its RAM, the boot loader's windows) and its
 * shared memory, out of the map every CPU shares (include/arch/el2_map.h):
 * taken out before the first load, with each reloading CPU's window tables
 * built then, and checked out by the MMU after it. A load opens them in the
 * loading CPU's window only (partitions/cell_load.c).
 */
#include <errno.h>
#include "arch/cpu.h"
#include "arch/el2_map.h"
#include "cell.h"
#include "log.h"

/* What a load touches: the cell's RAM, then the boot loader's copies of its software. */
#define LOAD_RANGES_MAX (LAYOUT_MAX_MEM + 3)
/* What leaves the hypervisor's map: those, then the shared memory no load touches. */
#define HIDDEN_RANGES_MAX (LOAD_RANGES_MAX + LAYOUT_MAX_SHM)
/* The boot check's stride: one level-2 block, the coarsest leaf a cell's RAM gets. */
#define HIDDEN_CHECK_STEP 0x200000ULL

static unsigned int load_ranges(const struct layout_cell *cfg, struct mem_range *r)
{
	const struct layout_window *win[] = { &cfg->kernel.win, &cfg->initrd, &cfg->device_tree };
	unsigned int n = 0, i;

	for (i = 0; i < (unsigned int)cfg->nr_mem; i++)
		r[n++] = (struct mem_range){ cfg->mem[i].pa, cfg->mem[i].size };
	for (i = 0; i < sizeof(win) / sizeof(win[0]); i++)
		if (win[i]->size)
			r[n++] = (struct mem_range){ win[i]->addr, win[i]->size };
	return n;
}

/* The load ranges first (*nr_load of them), then the shared memory. */
static unsigned int hidden_ranges(const struct layout_cell *cfg, struct mem_range *r,
				  unsigned int *nr_load)
{
	unsigned int n = load_ranges(cfg, r), i;

	*nr_load = n;
	for (i = 0; i < (unsigned int)cfg->nr_shm; i++)
		r[n++] = (struct mem_range){ cfg->shm[i].pa, cfg->shm[i].size };
	return n;
}

/*
 * Before the first load, once the cell's CPUs are known: out of the map
 * every CPU shares, with window tables ready on each CPU that may reload
 * it, so a reload takes no table. The boot CPU builds its own as it loads.
 */
int cell_load_prepare(const struct cell *cell)
{
	const struct layout_cell *cfg = cell->cfg;
	struct mem_range r[HIDDEN_RANGES_MAX];
	unsigned int nr_load, n = hidden_ranges(cfg, r, &nr_load), i, v;
	int ret;

	for (i = 0; i < n; i++) {
		ret = arch_el2_unmap_ram(r[i].base, r[i].size);
		if (ret)
			return log_err_ret(
				ret,
				"%s: 0x%lx+0x%lx: cannot take it out of the hypervisor's map: %s",
				cfg->path, (unsigned long)r[i].base, (unsigned long)r[i].size,
				arch_el2_map_error(ret));
	}
	for (v = 0; v < cell->nr_vcpus; v++)
		for (i = 0; i < nr_load && cell->vcpus[v].pcpu != arch_cpu_index(); i++) {
			ret = arch_ram_window_prepare(cell->vcpus[v].pcpu, r[i].base, r[i].size);
			if (ret)
				return log_err_ret(
					ret,
					"%s: 0x%lx+0x%lx: cannot build CPU %u's window onto it for "
					"its reloads: %s",
					cfg->path, (unsigned long)r[i].base,
					(unsigned long)r[i].size, cell->vcpus[v].pcpu,
					arch_el2_map_error(ret));
		}
	return 0;
}

/* [pa, pa + size) every 2 MiB and at either end: in no EL2 map? Adds to *checked. */
static bool range_hidden(uint64_t pa, uint64_t size, unsigned int *checked)
{
	uint64_t off;

	for (off = 0;; off += HIDDEN_CHECK_STEP) {
		uint64_t at = off < size ? pa + off : pa + size - 1;

		(*checked)++;
		if (arch_el2_mappers(at))
			return log_err_ret(false, "memory: 0x%lx is still in the hypervisor's map",
					   (unsigned long)at);
		if (off >= size)
			return true;
	}
}

/*
 * After the first load, by the MMU rather than by intent: nothing
 * cell_load_prepare() took out is reachable from EL2 on any CPU. How many
 * addresses it checked, or -EFAULT.
 */
int cell_load_check_hidden(const struct cell *cell)
{
	struct mem_range r[HIDDEN_RANGES_MAX];
	unsigned int nr_load, n = hidden_ranges(cell->cfg, r, &nr_load), i, checked = 0;
	bool hidden = true;

	for (i = 0; i < n && hidden; i++)
		hidden = range_hidden(r[i].base, r[i].size, &checked);
	return hidden ? (int)checked : -EFAULT;
}
