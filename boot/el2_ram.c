// SPDX-License-Identifier: GPL-2.0-only
/*
 * The board's RAM in the hypervisor's EL2 map: each /memory range less the
 * no-map reserved memory (boot/platform_ram.c says which pages). A no-map
 * range is memory not even the CPU may map (DT spec 3.5.4): firmware's
 * secure RAM (OP-TEE, Amlogic's secmon, TF-A's BL31) behind a TrustZone
 * controller. Mapped Normal cacheable, the CPU may fetch it speculatively
 * at any time, and such a read takes an SError or hangs the bus. Linux
 * leaves it out of its linear map for the same reason.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "arch/el2_map.h"
#include "boot.h"
#include "log.h"
#include "mmu.h"

/* Beside the image, the map is never built finer than this (a level-2 block). */
#define EL2_RAM_CHECK_STRIDE 0x200000ULL

/* What el2_ram_map() mapped, for el2_ram_report() once the console is up. */
static struct mem_range el2_ram[PLATFORM_MAX_RAM_MAP];
static int nr_el2_ram;

static uint64_t last_of(uint64_t base, uint64_t size)
{
	return base + (size - 1);
}

/* The pages of reserved range @i that meet RAM bank @m, in [*first, *last]; false if none. */
static bool hole_in_bank(const struct platform *plat, int i, const struct mem_range *m,
			 uint64_t *first, uint64_t *last)
{
	const struct mem_range *r = &plat->reserved[i].range;
	uint64_t h_first = r->base & ~(EL2_MAP_PAGE_SIZE - 1);
	uint64_t h_last = last_of(r->base, r->size) | (EL2_MAP_PAGE_SIZE - 1);

	if (h_first > last_of(m->base, m->size) || h_last < m->base)
		return false;
	*first = h_first > m->base ? h_first : m->base;
	*last = h_last < last_of(m->base, m->size) ? h_last : last_of(m->base, m->size);
	return true;
}

/* The hypervisor runs from its image: in no-map memory, it is where firmware's data is. */
static int el2_ram_check_image(const struct platform *plat, const void *fdt)
{
	uint64_t start = mmu_image_start(), end = mmu_image_end();
	int i = platform_nomap_overlap(plat, EL2_MAP_PAGE_SIZE, start, end - start, 0);
	char path[PLATFORM_PATH_MAX];

	if (i < 0)
		return 0;
	platform_reserved_path(plat, fdt, i, path, sizeof(path));
	log_err("memory: %s: reg: no-map 0x%lx+0x%lx overlaps the hypervisor image at "
		"0x%lx-0x%lx: the boot loader put Bulkhead in firmware's memory (load it "
		"elsewhere, clear of the board's reserved memory)",
		path, (unsigned long)plat->reserved[i].range.base,
		(unsigned long)plat->reserved[i].range.size, (unsigned long)start,
		(unsigned long)end - 1);
	return -EFAULT;
}

/* Does EL2 translate a page of [first, last]? Its first and last page and one per 2 MiB. */
static bool el2_ram_hole_mapped(uint64_t first, uint64_t last, uint64_t *pa)
{
	for (*pa = first; *pa - first <= last - first; *pa += EL2_RAM_CHECK_STRIDE)
		if (arch_el2_translates(*pa))
			return true;
	*pa = last & ~(EL2_MAP_PAGE_SIZE - 1);
	return arch_el2_translates(*pa);
}

/* Through the MMU, after the map is built: no no-map page in RAM is in it. */
static int el2_ram_check_holes(const struct platform *plat, const void *fdt)
{
	char path[PLATFORM_PATH_MAX];
	uint64_t first, last, pa;

	for (int m = 0; m < plat->nr_mem; m++)
		for (int i = 0; i < plat->nr_reserved; i++) {
			if (!plat->reserved[i].no_map ||
			    !hole_in_bank(plat, i, &plat->mem[m], &first, &last) ||
			    !el2_ram_hole_mapped(first, last, &pa))
				continue;
			platform_reserved_path(plat, fdt, i, path, sizeof(path));
			log_err("memory: no-map 0x%lx-0x%lx (%s) is in EL2's map at 0x%lx: a "
				"hypervisor bug",
				(unsigned long)first, (unsigned long)last, path, (unsigned long)pa);
			return -EFAULT;
		}
	return 0;
}

int el2_ram_map(const struct platform *plat, const void *fdt)
{
	int ret = el2_ram_check_image(plat, fdt);

	if (!ret) {
		nr_el2_ram = platform_ram_mappable(plat, EL2_MAP_PAGE_SIZE, el2_ram,
						   PLATFORM_MAX_RAM_MAP);
		ret = nr_el2_ram < 0 ? nr_el2_ram : 0;
		if (ret) /* PLATFORM_MAX_RAM_MAP holds every board's (test_platform_ram.c) */
			log_err("memory: more than %d RAM ranges to map at EL2 (%d)",
				PLATFORM_MAX_RAM_MAP, ret);
	}
	for (int i = 0; !ret && i < nr_el2_ram; i++) {
		ret = mmu_map_ram(el2_ram[i].base, el2_ram[i].size);
		if (ret)
			log_err("mmu: cannot map RAM 0x%lx-0x%lx (%d): %s",
				(unsigned long)el2_ram[i].base,
				(unsigned long)last_of(el2_ram[i].base, el2_ram[i].size), ret,
				arch_el2_map_error(ret));
	}
	return ret ? ret : el2_ram_check_holes(plat, fdt);
}

/* Bytes of @m that el2_ram_map() mapped. */
static uint64_t mapped_in_bank(const struct mem_range *m)
{
	uint64_t bytes = 0;

	for (int i = 0; i < nr_el2_ram; i++)
		if (el2_ram[i].base >= m->base &&
		    last_of(el2_ram[i].base, el2_ram[i].size) <= last_of(m->base, m->size))
			bytes += el2_ram[i].size;
	return bytes;
}

static void report_hole(const struct platform *plat, const void *fdt, int i,
			const struct mem_range *m)
{
	const struct mem_range *r = &plat->reserved[i].range;
	char path[PLATFORM_PATH_MAX], grown[64] = "";
	uint64_t first, last;

	if (!hole_in_bank(plat, i, m, &first, &last))
		return;
	platform_reserved_path(plat, fdt, i, path, sizeof(path));
	if ((r->base | r->size) & (EL2_MAP_PAGE_SIZE - 1))
		snprintf(grown, sizeof(grown), ", reg 0x%lx+0x%lx in whole pages",
			 (unsigned long)r->base, (unsigned long)r->size);
	log_info("memory: EL2 maps RAM 0x%lx-0x%lx (%lu bytes); no-map 0x%lx-0x%lx (%s%s) left "
		 "out",
		 (unsigned long)m->base, (unsigned long)last_of(m->base, m->size),
		 (unsigned long)mapped_in_bank(m), (unsigned long)first, (unsigned long)last, path,
		 grown);
}

void el2_ram_report(const struct platform *plat, const void *fdt)
{
	for (int m = 0; m < plat->nr_mem; m++)
		for (int i = 0; i < plat->nr_reserved; i++)
			if (plat->reserved[i].no_map)
				report_hole(plat, fdt, i, &plat->mem[m]);
}
