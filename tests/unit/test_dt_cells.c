// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt_address_cells() and dt_size_cells() (include/dt_cells.h) answer as
 * libfdt's fdt_address_cells() and fdt_size_cells() do, which they replace
 * in the hypervisor: on every node of QEMU virt's DTBs and hand-written
 * boards, and on a tree of malformed and limit values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <libfdt.h>

#include "dt_cells.h"
#include "unit_dtb.h"

static void check_node(const char *board, const void *fdt, int node)
{
	int ours = dt_address_cells(fdt, node), theirs = fdt_address_cells(fdt, node);

	if (ours != theirs)
		fail_msg("%s: %s: #address-cells %d, libfdt %d", board,
			 fdt_get_name(fdt, node, NULL), ours, theirs);
	ours = dt_size_cells(fdt, node);
	theirs = fdt_size_cells(fdt, node);
	if (ours != theirs)
		fail_msg("%s: %s: #size-cells %d, libfdt %d", board, fdt_get_name(fdt, node, NULL),
			 ours, theirs);
}

static void check_tree(const char *board, const void *fdt)
{
	for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL))
		check_node(board, fdt, node);
}

static void test_boards_read_as_libfdt_reads_them(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < unit_dtb_nr_boards; i++) {
		void *fdt = unit_dtb_load(unit_dtb_boards[i]);

		check_tree(unit_dtb_boards[i], fdt);
		free(fdt);
	}
}

/* One node per value, both properties set to it; "short" and "long" are malformed. */
static void test_limits_and_malformed_counts_as_libfdt(void **state)
{
	static const uint32_t values[] = { 0, 1, 2, 3, 4, 5, 0x80000000u, 0xffffffffu };
	static const uint8_t short_cell[2] = { 0, 2 };
	static const fdt32_t long_cell[2] = { 0, 0 };
	char fdt[4096], name[16];

	(void)state;
	assert_int_equal(fdt_create(fdt, sizeof(fdt)), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		snprintf(name, sizeof(name), "v%zu", i);
		assert_int_equal(fdt_begin_node(fdt, name), 0);
		assert_int_equal(fdt_property_u32(fdt, "#address-cells", values[i]), 0);
		assert_int_equal(fdt_property_u32(fdt, "#size-cells", values[i]), 0);
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_begin_node(fdt, "short"), 0);
	assert_int_equal(fdt_property(fdt, "#address-cells", short_cell, sizeof(short_cell)), 0);
	assert_int_equal(fdt_property(fdt, "#size-cells", short_cell, sizeof(short_cell)), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, "long"), 0);
	assert_int_equal(fdt_property(fdt, "#address-cells", long_cell, sizeof(long_cell)), 0);
	assert_int_equal(fdt_property(fdt, "#size-cells", long_cell, sizeof(long_cell)), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, "empty"), 0);
	assert_int_equal(fdt_property(fdt, "#address-cells", NULL, 0), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	check_tree("limits", fdt);
	/* Spot checks, so the test also fails if libfdt itself changed under both. */
	assert_int_equal(dt_address_cells(fdt, fdt_path_offset(fdt, "/v0")), -FDT_ERR_BADNCELLS);
	assert_int_equal(dt_size_cells(fdt, fdt_path_offset(fdt, "/v0")), 0);
	assert_int_equal(dt_address_cells(fdt, fdt_path_offset(fdt, "/v4")), 4);
	assert_int_equal(dt_size_cells(fdt, fdt_path_offset(fdt, "/v5")), -FDT_ERR_BADNCELLS);
	assert_int_equal(dt_address_cells(fdt, fdt_path_offset(fdt, "/empty")), -FDT_ERR_BADNCELLS);
	assert_int_equal(dt_address_cells(fdt, 0), 2);
	assert_int_equal(dt_size_cells(fdt, 0), 1);
	/* A bad offset is libfdt's error, not a default. */
	assert_int_equal(dt_address_cells(fdt, 3), fdt_address_cells(fdt, 3));
	assert_true(dt_address_cells(fdt, 3) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boards_read_as_libfdt_reads_them),
		cmocka_unit_test(test_limits_and_malformed_counts_as_libfdt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
