// SPDX-License-Identifier: GPL-2.0-only
/*
 * The board DTB index (boot/platform_index.c) answers exactly as libfdt
 * does: for every node of QEMU virt's DTBs and of hand-written corner cases
 * (tests/unit/dts/index-edges.dts), each lookup is made through the index
 * and through libfdt and the two answers compared. The same comparisons run
 * on an index too small for the board, which must hand every lookup to
 * libfdt, and on a blob the index was not built for.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "platform.h"
#include "unit_dtb.h"

/* Strings a compatible or device_type search is tried with, besides each node's own. */
static const char *const absent[] = { "", "test", "arm,pl011x", "memor", "memory\n" };

static struct platform_index idx;

/* Every node in walk order, as libfdt's own searches visit them. */
#define for_each_node(node, fdt) for (node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL))

#define assert_same(what, got, want)                                                         \
	do {                                                                                 \
		if ((got) != (want))                                                         \
			fail_msg("%s: %s: index says %d, libfdt %d", name, what, (int)(got), \
				 (int)(want));                                               \
	} while (0)

static void check_path(const char *name, const void *fdt, const char *path, int len)
{
	int got = platform_index_path_offset(&idx, fdt, path, len);
	int want = fdt_path_offset_namelen(fdt, path, len);

	if (got != want)
		fail_msg("%s: path \"%.*s\": index says %d, libfdt %d", name, len, path, got, want);
}

/* The node's path, spelled the ways a layout or stdout-path may spell it. */
static void check_paths_of(const char *name, const void *fdt, int node)
{
	char path[256], variant[272];
	const char *at;
	int len;

	assert_int_equal(fdt_get_path(fdt, node, path, sizeof(path)), 0);
	len = (int)strlen(path);
	check_path(name, fdt, path, len);
	snprintf(variant, sizeof(variant), "%s/", path);
	check_path(name, fdt, variant, (int)strlen(variant));
	snprintf(variant, sizeof(variant), "/%s", path);
	check_path(name, fdt, variant, (int)strlen(variant));
	snprintf(variant, sizeof(variant), "%s/nope", path);
	check_path(name, fdt, variant, (int)strlen(variant));
	at = strrchr(path, '@');
	if (at && !strchr(at, '/'))
		check_path(name, fdt, path, (int)(at - path)); /* unit address left out */
	if (len > 1)
		check_path(name, fdt, path, len - 1); /* a name cut short */
}

static void check_get_path(const char *name, const void *fdt, int node)
{
	char got[256], want[256];
	int full = fdt_get_path(fdt, node, want, sizeof(want));

	assert_int_equal(full, 0);
	assert_int_equal(platform_index_get_path(&idx, fdt, node, got, sizeof(got)), 0);
	if (strcmp(got, want) != 0)
		fail_msg("%s: node %d: index path \"%s\", libfdt \"%s\"", name, node, got, want);
	/* Every buffer size around the path's length gives the same verdict. */
	for (int len = 0; len <= (int)strlen(want) + 2; len++)
		assert_same("get_path verdict", platform_index_get_path(&idx, fdt, node, got, len),
			    fdt_get_path(fdt, node, want, len));
}

static void check_searches(const char *name, const void *fdt, int from, const char *s)
{
	assert_same("by_compatible", platform_index_by_compatible(&idx, fdt, from, s),
		    fdt_node_offset_by_compatible(fdt, from, s));
	assert_same("by_device_type", platform_index_by_device_type(&idx, fdt, from, s),
		    fdt_node_offset_by_prop_value(fdt, from, "device_type", s, (int)strlen(s) + 1));
}

/* Every string of @node's compatible and device_type, searched from every node. */
static void check_strings_of(const char *name, const void *fdt, int node)
{
	static const char *const props[] = { "compatible", "device_type" };

	for (size_t p = 0; p < sizeof(props) / sizeof(props[0]); p++) {
		int n = fdt_stringlist_count(fdt, node, props[p]);

		for (int i = 0; i < n; i++) {
			const char *s = fdt_stringlist_get(fdt, node, props[p], i, NULL);
			int from;

			check_searches(name, fdt, -1, s);
			for_each_node(from, fdt) check_searches(name, fdt, from, s);
		}
	}
}

/* The interrupt-property bits: exact for a node the index holds, -1 (ask libfdt) otherwise. */
static void check_irq_props(const char *name, const void *fdt, int node)
{
	static const struct {
		const char *prop;
		unsigned int bit;
	} props[] = {
		{ "interrupts", PLATFORM_PROP_INTERRUPTS },
		{ "interrupts-extended", PLATFORM_PROP_INTERRUPTS_EXTENDED },
		{ "interrupt-parent", PLATFORM_PROP_INTERRUPT_PARENT },
		{ "interrupt-map", PLATFORM_PROP_INTERRUPT_MAP },
		{ "#interrupt-cells", PLATFORM_PROP_INTERRUPT_CELLS },
		{ "interrupt-controller", PLATFORM_PROP_INTERRUPT_CONTROLLER },
	};
	int bits = platform_index_irq_props(&idx, fdt, node);

	if (idx.fdt != fdt) {
		assert_same("irq_props of a blob not indexed", bits, -1);
		return;
	}
	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		if (!(bits & (int)props[i].bit) != !fdt_getprop(fdt, node, props[i].prop, NULL))
			fail_msg("%s: node %d: index bits 0x%x, libfdt %s %s", name, node, bits,
				 fdt_getprop(fdt, node, props[i].prop, NULL) ? "finds" : "lacks",
				 props[i].prop);
}

/* The interrupt walks answer the same through the index as through libfdt alone. */
static void check_irq_walks(const char *name, const void *fdt, int node)
{
	int at, want_at;

	assert_same("intc search", platform_index_intc(&idx, fdt, node),
		    fdt_node_offset_by_prop_value(fdt, node, "interrupt-controller", NULL, 0));
	assert_same("irq_parent", platform_index_irq_parent(&idx, fdt, node, &at),
		    platform_index_irq_parent(NULL, fdt, node, &want_at));
	assert_same("irq_parent's stop", at, want_at);
	assert_same("irq_stacked_on", platform_index_irq_stacked_on(&idx, fdt, node),
		    platform_index_irq_stacked_on(NULL, fdt, node));
}

static void check_node(const char *name, const void *fdt, int node)
{
	uint32_t phandle = fdt_get_phandle(fdt, node);

	check_irq_props(name, fdt, node);
	check_irq_walks(name, fdt, node);

	assert_same("parent", platform_index_parent(&idx, fdt, node), fdt_parent_offset(fdt, node));
	if (phandle)
		assert_same("by_phandle", platform_index_by_phandle(&idx, fdt, phandle),
			    fdt_node_offset_by_phandle(fdt, phandle));
	check_get_path(name, fdt, node);
	check_paths_of(name, fdt, node);
	check_strings_of(name, fdt, node);
}

/* Every lookup of @fdt agrees with libfdt, whatever @idx holds. */
static void check_board(const char *name, const void *fdt)
{
	static const uint32_t phandles[] = { 0, ~0U, 0x12345, 0x77 };
	static const char *const paths[] = { "/", "//", "/nope", "/cpus/nope", "nope", "serial1" };
	uint32_t max = 0, want = 0;
	int node;

	for_each_node(node, fdt) check_node(name, fdt, node);
	assert_int_equal(fdt_find_max_phandle(fdt, &want), 0);
	assert_int_equal(platform_index_max_phandle(&idx, fdt, &max), 0);
	assert_int_equal(max, want);
	for (size_t i = 0; i < sizeof(phandles) / sizeof(phandles[0]); i++)
		assert_same("by_phandle", platform_index_by_phandle(&idx, fdt, phandles[i]),
			    fdt_node_offset_by_phandle(fdt, phandles[i]));
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		check_path(name, fdt, paths[i], (int)strlen(paths[i]));
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		check_searches(name, fdt, -1, absent[i]);
	assert_same("intc search from the root", platform_index_intc(&idx, fdt, -1),
		    fdt_node_offset_by_prop_value(fdt, -1, "interrupt-controller", NULL, 0));
	/* Offsets that are no node: the index passes them to libfdt. */
	assert_same("parent of offset 4", platform_index_parent(&idx, fdt, 4),
		    fdt_parent_offset(fdt, 4));
	assert_same("search from offset 4", platform_index_by_compatible(&idx, fdt, 4, "x"),
		    fdt_node_offset_by_compatible(fdt, 4, "x"));
}

static void test_index_answers_as_libfdt_does(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < unit_dtb_nr_boards; i++) {
		void *fdt = unit_dtb_load(unit_dtb_boards[i]);

		if (platform_index_build(&idx, fdt, PLATFORM_INDEX_MAX) != 0)
			fail_msg("%s: platform_index_build() failed", unit_dtb_boards[i]);
		check_board(unit_dtb_boards[i], fdt);
		free(fdt);
	}
}

static void test_index_too_small_hands_every_lookup_to_libfdt(void **state)
{
	void *fdt = unit_dtb_load("virt-gicv3-smmuv3.dtb");

	(void)state;
	assert_int_equal(platform_index_build(&idx, fdt, 8), -ENOSPC);
	assert_null(idx.fdt);
	check_board("virt-gicv3-smmuv3.dtb (index too small)", fdt);
	free(fdt);
}

static void test_index_of_another_blob_is_not_used(void **state)
{
	void *indexed = unit_dtb_load("index-edges.dtb");
	void *fdt = unit_dtb_load("virt-gicv2.dtb");

	(void)state;
	assert_int_equal(platform_index_build(&idx, indexed, PLATFORM_INDEX_MAX), 0);
	check_board("virt-gicv2.dtb (index of index-edges.dtb)", fdt);
	free(fdt);
	free(indexed);
}

/* Names dtc refuses ("@" twice) but a blob may hold: built with libfdt's writer. */
static void test_odd_node_names_are_matched_as_libfdt_does(void **state)
{
	static const char *const names[] = { "odd@1@2", "odd@1", "odd", "@", "" };
	char fdt[1024];

	(void)state;
	assert_int_equal(fdt_create(fdt, sizeof(fdt)), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(fdt_begin_node(fdt, names[i]), 0);
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	assert_int_equal(platform_index_build(&idx, fdt, PLATFORM_INDEX_MAX), 0);
	check_board("odd names", fdt);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[16];

		snprintf(path, sizeof(path), "/%s", names[i]);
		check_path("odd names", fdt, path, (int)strlen(path));
	}
}

/* A "phandle" of two cells is no phandle: libfdt takes linux,phandle then, and so does the index.
 */
static void test_a_phandle_of_the_wrong_length_gives_way_to_linux_phandle(void **state)
{
	const fdt32_t two_cells[] = { 0, cpu_to_fdt32(0x66) };
	void *small = unit_dtb_load("index-edges.dtb");
	int size = (int)fdt_totalsize(small) + 256;
	void *fdt = malloc((size_t)size);

	(void)state;
	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(small, fdt, size), 0);
	free(small);
	assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, "/old-style"), "phandle", two_cells,
				     sizeof(two_cells)),
			 0);
	assert_int_equal(fdt_get_phandle(fdt, fdt_path_offset(fdt, "/old-style")), 0x77);
	assert_int_equal(platform_index_build(&idx, fdt, PLATFORM_INDEX_MAX), 0);
	check_board("index-edges.dtb with a two-cell phandle", fdt);
	free(fdt);
}

/*
 * Boards wired through nexuses, stacked controllers and a 4-cell GIC: the
 * interrupt walks take the index's bits for libfdt's answers.
 */
static void test_interrupt_walks_answer_as_libfdt_does(void **state)
{
	static const char *const boards[] = { "board-irq-nexus.dtb", "board-gic-4-cells.dtb" };

	(void)state;
	for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++) {
		void *fdt = unit_dtb_load(boards[i]);

		assert_int_equal(platform_index_build(&idx, fdt, PLATFORM_INDEX_MAX), 0);
		check_board(boards[i], fdt);
		free(fdt);
	}
}

/* An interrupt-parent of two cells (dtc refuses to write one): -EINVAL either way. */
static void test_a_two_cell_interrupt_parent_is_refused_either_way(void **state)
{
	const fdt32_t two_cells[] = { cpu_to_fdt32(1), cpu_to_fdt32(2) };
	void *small = unit_dtb_load("index-edges.dtb");
	int size = (int)fdt_totalsize(small) + 256, node, at;
	void *fdt = malloc((size_t)size);

	(void)state;
	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(small, fdt, size), 0);
	free(small);
	node = fdt_path_offset(fdt, "/wired");
	assert_int_equal(fdt_setprop(fdt, node, "interrupt-parent", two_cells, sizeof(two_cells)),
			 0);
	assert_int_equal(platform_index_build(&idx, fdt, PLATFORM_INDEX_MAX), 0);
	assert_int_equal(platform_index_irq_parent(&idx, fdt, node, &at), -EINVAL);
	check_board("index-edges.dtb with a two-cell interrupt-parent", fdt);
	free(fdt);
}

/* Nodes nested past the index's depth: no index, every lookup libfdt's, nothing written past it. */
static void test_nesting_deeper_than_the_index_hands_every_lookup_to_libfdt(void **state)
{
	char fdt[4096];

	(void)state;
	assert_int_equal(fdt_create(fdt, sizeof(fdt)), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	for (int i = 0; i < 40; i++)
		assert_int_equal(fdt_begin_node(fdt, "n"), 0);
	assert_int_equal(fdt_property_string(fdt, "compatible", "test,deepest"), 0);
	for (int i = 0; i < 41; i++)
		assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	assert_int_equal(platform_index_build(&idx, fdt, PLATFORM_INDEX_MAX), -ENOSPC);
	assert_null(idx.fdt);
	check_board("40 levels", fdt);
}

static void test_index_holds_every_node_once(void **state)
{
	void *fdt = unit_dtb_load("index-edges.dtb");
	int node, n = 0;

	(void)state;
	assert_int_equal(platform_index_build(&idx, fdt, PLATFORM_INDEX_MAX), 0);
	for_each_node(node, fdt)
	{
		assert_true(n < idx.nr_nodes);
		assert_int_equal(idx.nodes[n].depth, fdt_node_depth(fdt, node));
		assert_int_equal(idx.nodes[n++].offset, node);
	}
	assert_int_equal(n, idx.nr_nodes);
	/* linux,phandle alone still names the node, as fdt_get_phandle() reads it. */
	assert_int_equal(platform_index_by_phandle(&idx, fdt, 0x77),
			 fdt_path_offset(fdt, "/old-style"));
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_answers_as_libfdt_does),
		cmocka_unit_test(test_index_too_small_hands_every_lookup_to_libfdt),
		cmocka_unit_test(test_index_of_another_blob_is_not_used),
		cmocka_unit_test(test_interrupt_walks_answer_as_libfdt_does),
		cmocka_unit_test(test_a_two_cell_interrupt_parent_is_refused_either_way),
		cmocka_unit_test(test_odd_node_names_are_matched_as_libfdt_does),
		cmocka_unit_test(test_index_holds_every_node_once),
		cmocka_unit_test(test_a_phandle_of_the_wrong_length_gives_way_to_linux_phandle),
		cmocka_unit_test(test_nesting_deeper_than_the_index_hands_every_lookup_to_libfdt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
