// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table of cells, built at boot by partitions/cell_create.c, and the
 * lookups the trap path makes in it. Their life cycle is partitions/cell.c.
 */
#include <stddef.h>
#include <stdio.h>
#include "arch/vcpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "log.h"
#include "memstat.h"
#include "nospec.h"
#include "compiler.h"

struct cell cells[LAYOUT_MAX_CELLS];
unsigned int cells_nr;
struct vcpu *cells_pcpu_vcpu[PLATFORM_MAX_CPUS];
const struct platform *cells_plat;
const void *cells_board_fdt;

const char *cell_state_name(enum cell_state state)
{
	static const char names[][9] = { [CELL_STOPPED] = "stopped",
					 [CELL_RUNNING] = "running",
					 [CELL_STOPPING] = "stopping",
					 [CELL_LOADING] = "loading" };

	return (unsigned int)state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

unsigned int cells_count(void)
{
	return cells_nr;
}

struct cell *cell_get(unsigned int id)
{
	if (id >= cells_nr)
		return NULL;
	return &cells[array_index_nospec(id, cells_nr)]; /* a guest's choice: manage.c */
}

/* The pools' fill levels and each cell's share of stage-2 tables. */
__cold void memstat_log(const char *lead)
{
	char per_cell[LAYOUT_MAX_CELLS * (LAYOUT_LABEL_MAX + 8)] = "";
	size_t n = 0;
	struct memstat m;
	unsigned int i;

	memstat_read(&m);
	for (i = 0; i < cells_nr && n < sizeof(per_cell); i++) {
		const struct cell *c = &cells[i];

		n += (size_t)snprintf(per_cell + n, sizeof(per_cell) - n, "%s%s %u", i ? ", " : "",
				      c->cfg->label, arch_stage2_tables(c));
	}
	log_info("%s: image %lu KiB; EL2 tables %u/%u; stage-2 tables %u/%u (%s)", lead,
		 (unsigned long)(m.image_bytes >> 10), m.el2_tables_used, m.el2_tables_total,
		 m.s2_tables_used, m.s2_tables_total, per_cell);
}

bool cell_owns_ram(const struct cell *cell, uint64_t ipa, uint64_t size)
{
	int i;

	for (i = 0; i < cell->cfg->nr_mem; i++) {
		const struct layout_region *r = &cell->cfg->mem[i];

		if (ipa >= r->ipa && ipa - r->ipa < r->size && size <= r->size - (ipa - r->ipa))
			return true;
	}
	return false;
}
