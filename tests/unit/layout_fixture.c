// SPDX-License-Identifier: GPL-2.0-only
/* What the layout parser's tests share (layout_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <libfdt.h>

#include "fake_log.h"
#include "layout_fixture.h"
#include "unit_dtb.h"

struct platform plat;
struct layout layout;
void *board;

void *board_copy_of(const void *src, size_t extra)
{
	size_t size = fdt_totalsize(src) + extra;
	void *b = malloc(size);

	assert_non_null(b);
	assert_int_equal(fdt_open_into(src, b, (int)size), 0);
	return b;
}

void *board_copy(size_t extra)
{
	return board_copy_of(board, extra);
}

int setup_board(void **state)
{
	(void)state;
	board = unit_dtb_load(BOARD_DTB);
	fake_log_reset();
	assert_int_equal(platform_discover(board, &plat), 0);
	fake_log_reset();
	return 0;
}

int teardown_board(void **state)
{
	(void)state;
	free(board);
	board = NULL;
	return 0;
}

void give_cells(void *fdt, const char *alpha_dev, uint32_t alpha_pci, const char *beta_dev,
		uint32_t beta_pci)
{
	const char *dev[2] = { alpha_dev, beta_dev };
	uint32_t pci[2] = { alpha_pci, beta_pci };

	for (int i = 0; i < 2; i++) {
		int cell = fdt_path_offset(fdt, i ? "/bulkhead/cell@1" : "/bulkhead/cell@0");

		fdt_delprop(fdt, cell, "devices");
		if (dev[i])
			assert_int_equal(fdt_setprop_string(fdt, cell, "devices", dev[i]), 0);
		if (pci[i])
			assert_int_equal(fdt_setprop_u32(fdt, cell, "pci-devices", pci[i]), 0);
	}
}

int parse_and_free(void *fdt, void *b)
{
	static struct platform other;
	int ret;

	fake_log_reset();
	assert_int_equal(platform_discover(b, &other), 0);
	fake_log_reset();
	ret = layout_parse(fdt, b, &other, &layout);
	free(fdt);
	free(b);
	return ret;
}

void *two_cells_with_shm(int *shm)
{
	static const char cells[] = "alpha\0beta";
	const fdt32_t mem[4] = { 0, cpu_to_fdt32(0x41000000), 0, cpu_to_fdt32(0x200000) };
	const fdt32_t ipa[2] = { 0, cpu_to_fdt32(0x50000000) };
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 1024);

	*shm = fdt_add_subnode(fdt, fdt_path_offset(fdt, "/bulkhead"), "shared-memory@0");
	assert_true(*shm >= 0);
	assert_int_equal(fdt_setprop(fdt, *shm, "memory", mem, sizeof(mem)), 0);
	assert_int_equal(fdt_setprop(fdt, *shm, "ipa", ipa, sizeof(ipa)), 0);
	assert_int_equal(fdt_setprop(fdt, *shm, "cells", cells, sizeof(cells)), 0);
	return fdt;
}

int add_bus_child(void *b, const char *bus, const char *child, const fdt32_t reg[4])
{
	int parent = fdt_add_subnode(b, 0, bus), node;

	assert_true(parent >= 0);
	assert_int_equal(fdt_setprop_u32(b, parent, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(b, parent, "#size-cells", 2), 0);
	assert_int_equal(fdt_setprop(b, parent, "ranges", NULL, 0), 0);
	node = fdt_add_subnode(b, parent, child);
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop(b, node, "reg", reg, 4 * sizeof(fdt32_t)), 0);
	return node;
}

int parse_on_board(const char *board_dtb, const char *alpha_dev, uint32_t alpha_pci,
		   const char *beta_dev, uint32_t beta_pci)
{
	static struct platform sids;
	void *b = unit_dtb_load(board_dtb);
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	int ret;

	assert_int_equal(platform_discover(b, &sids), 0);
	give_cells(fdt, alpha_dev, alpha_pci, beta_dev, beta_pci);
	fake_log_reset();
	ret = layout_parse(fdt, b, &sids, &layout);
	if (ret == 0)
		layout_print(&layout);
	free(fdt);
	free(b);
	return ret;
}
