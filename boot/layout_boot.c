// SPDX-License-Identifier: GPL-2.0-only
/*
 * From the boot loader's hand-off to running cells: find the layout DTB,
 * take a private copy, validate it against the board, build and start the
 * cells. A layout with any error starts no cell.
 *
 * The layout's address comes in the kernel command line,
 * "bulkhead.layout=<addr>": U-Boot's booti writes ${bootargs} into
 * /chosen/bootargs, and QEMU's -append does the same for a bare -kernel boot.
 */
#include <errno.h>
#include <libfdt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "arch/el2_map.h"
#include "arch/smp.h"
#include "boot.h"
#include "cell.h"
#include "fdt_glue.h"
#include "gic.h"
#include "layout.h"
#include "log.h"
#include "memstat.h"
#include "mmu.h"
#include "smmu.h"
#include "test_fault.h"

#define LAYOUT_ARG "bulkhead.layout="

static uint8_t layout_blob[LAYOUT_BLOB_MAX] __attribute__((aligned(8)));
static struct layout layout;

const char *boot_arg(const void *board_fdt, const struct platform *plat, const char *key)
{
	int node = platform_index_path_offset(&plat->index, board_fdt, "/chosen",
					      sizeof("/chosen") - 1);
	const char *args = node < 0 ? NULL : fdt_getprop(board_fdt, node, "bootargs", NULL);

	for (const char *arg = args ? strstr(args, key) : NULL; arg; arg = strstr(arg + 1, key))
		if (arg == args || arg[-1] == ' ')
			return arg;
	return NULL;
}

static int layout_address(const void *board_fdt, const struct platform *plat, uint64_t *addr)
{
	const char *arg = boot_arg(board_fdt, plat, LAYOUT_ARG);
	char *end;

	if (!arg)
		return -ENOENT;
	*addr = strtoul(arg + strlen(LAYOUT_ARG), &end, 0);
	if (end == arg + strlen(LAYOUT_ARG) || (*end && *end != ' '))
		return log_err_ret(-EINVAL, "layout: /chosen: bootargs: \"%s\" is not an address",
				   arg);
	/* strtoul() saturates: a number past 64 bits (or all ones) is no layout's address. */
	if (*addr == ULONG_MAX) {
		log_err("layout: /chosen: bootargs: \"%s\": the address does not fit in 64 bits; "
			"give the layout DTB's address in RAM",
			arg);
		return -EINVAL;
	}
	return 0;
}

/*
 * No-map reserved memory is not in EL2's map (boot/el2_ram.c): reading the
 * layout there would fault, and on a board it is firmware's, not the layout.
 */
static int layout_in_nomap(const struct platform *plat, const void *board_fdt, uint64_t addr,
			   uint64_t size)
{
	int i = platform_nomap_overlap(plat, EL2_MAP_PAGE_SIZE, addr, size, 0);
	const struct mem_range *r;
	char path[PLATFORM_PATH_MAX];

	if (i < 0)
		return 0;
	r = &plat->reserved[i].range;
	platform_reserved_path(plat, board_fdt, i, path, sizeof(path));
	log_err("layout: DTB at 0x%lx: 0x%lx+0x%lx overlaps the board's no-map reserved memory %s "
		"(0x%lx+0x%lx), firmware's, which the hypervisor does not map; not read (load the "
		"layout elsewhere and give that address in " LAYOUT_ARG ")",
		addr, addr, size, path, r->base, r->size);
	return -EINVAL;
}

static int copy_layout(const struct platform *plat, const void *board_fdt, uint64_t addr)
{
	const void *src = (const void *)(uintptr_t)addr;
	int ret;

	if (!platform_in_ram(plat, addr, sizeof(struct fdt_header)) || (addr & 7))
		return log_err_ret(-EINVAL, "layout: DTB at 0x%lx: not an aligned address in RAM",
				   addr);
	if (layout_in_nomap(plat, board_fdt, addr, sizeof(struct fdt_header)))
		return -EINVAL;
	ret = fdt_check_header(src);
	if (!ret && (fdt_totalsize(src) > sizeof(layout_blob) ||
		     !platform_in_ram(plat, addr, fdt_totalsize(src))))
		ret = -FDT_ERR_TRUNCATED;
	if (!ret && layout_in_nomap(plat, board_fdt, addr, fdt_totalsize(src)))
		return -EINVAL;
	if (ret)
		return log_err_ret(-EINVAL, "layout: DTB at 0x%lx: %s (at most %u KiB, in RAM)",
				   addr, fdt_strerror(ret), LAYOUT_BLOB_MAX / 1024);
	memcpy(layout_blob, src, fdt_totalsize(src));
	log_info("layout: DTB at 0x%lx, %u bytes", addr, fdt_totalsize(src));
	return 0;
}

static int check_hypervisor_inside(void)
{
	uint64_t start = mmu_image_start(), end = mmu_image_end();
	const struct mem_range *h = &layout.hyp_mem;

	if (start >= h->base && end - h->base <= h->size)
		return 0;
	log_err("layout: /bulkhead: hypervisor-memory: 0x%lx-0x%lx does not hold the hypervisor "
		"image at 0x%lx-0x%lx (load it inside, or move the window)",
		h->base, h->base + h->size - 1, start, end - 1);
	return -EINVAL;
}

static int prepare_cells(const void *board_fdt, const struct platform *plat)
{
	uint64_t addr;
	int ret = layout_address(board_fdt, plat, &addr);

	if (ret == -ENOENT) {
		log_info("layout: none given (bootargs has no " LAYOUT_ARG "<addr>): no cell to "
			 "start");
		return ret;
	}
	if (!ret)
		ret = copy_layout(plat, board_fdt, addr);
	if (!ret)
		ret = layout_parse(layout_blob, board_fdt, plat, &layout);
	if (!ret)
		ret = check_hypervisor_inside();
	if (!ret)
		ret = layout_check_gic_lines(&layout, gic_nr_lines());
	if (!ret)
		ret = layout_assign_direct_spis(&layout, board_fdt, plat, gic_nr_lines());
	if (ret)
		return log_err_ret(ret, "layout rejected: no cell started");
	layout_print(&layout);
	smmu_strtab_fit(layout_highest_sid(&layout)); /* a failure leaves it off: said */
	ret = cells_create(&layout, plat, board_fdt);
	if (ret)
		log_err("cells could not be built: no cell started");
	else
		memstat_log("memory: all static, nothing is allocated from here on");
	return ret;
}

void boot_cells(const void *board_fdt, const struct platform *plat)
{
	unsigned int i;

	fdt_glue_check();
	if (prepare_cells(board_fdt, plat))
		return;
#ifdef BULKHEAD_TEST_FAULT
	test_fault_boot_wait();
#endif
	boot_check_stopped(); /* no cell is said to start if none will */
	/*
	 * One after another on this CPU; one that waits for its PCI functions'
	 * reset is left to its own CPU, after the boot (cell_first_start()).
	 */
	for (i = 0; i < cells_count(); i++)
		if (!cell_get(i)->refused) /* said at its creation */
			cell_first_start(cell_get(i));
#ifdef BULKHEAD_TEST_FAULT
	test_fault_at(TEST_FAULT_BOOT_CELLS_CPU0, 0, "the boot, its cells started");
#endif
}
