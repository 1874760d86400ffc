// SPDX-License-Identifier: GPL-2.0-only
/*
 * The partition layout parser (partitions/layout*.c) on the layout DTB itself:
 * the example layouts in configs/qemu-virt parse to the expected struct, every
 * .dts in tests/layouts/bad is rejected with the message its first line
 * promises, an error is said once and where it is written, a layout DTB is one
 * /bulkhead of cells named once and properties given once, no larger than the
 * hypervisor takes; the checker without a board runs the board-independent
 * rules, and arbitrary corruption never crashes the parser. Layout DTBs come
 * from tools/tools.mk (build/layouts, or $BULKHEAD_LAYOUT_DIR).
 *
 * Against QEMU virt's DTB and the boards of tests/unit/dts, with what the
 * layout tests share (layout_fixture.h).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "fake_log.h"
#include "layout_fixture.h"
#include "unit_dtb.h"

#define BAD_DTS_DIR "tests/layouts/bad"

static int parse_file(const char *rel)
{
	void *fdt = load_layout(rel, 0);
	int ret;

	fake_log_reset();
	ret = layout_parse(fdt, board, &plat, &layout);
	free(fdt);
	return ret;
}

static void test_two_cells_parses_to_expected_struct(void **state)
{
	const struct layout_cell *a = &layout.cells[0], *b = &layout.cells[1];

	(void)state;
	assert_int_equal(parse_file("configs/qemu-virt/two-cells.dtb"), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
	assert_true(layout.board_checked);
	assert_int_equal(layout.hyp_mem.base, 0x40000000);
	assert_int_equal(layout.hyp_mem.size, 0x01000000);
	assert_int_equal(layout.nr_cells, 2);
	assert_string_equal(a->label, "alpha");
	assert_string_equal(a->path, "/bulkhead/cell@0");
	assert_int_equal(a->nr_cpus, 1);
	assert_int_equal(a->cpus[0].mpidr, 0x0);
	assert_int_equal(a->cpus[0].index, 0);
	assert_int_equal(a->nr_mem, 1);
	assert_int_equal(a->mem[0].ipa, 0x40000000);
	assert_int_equal(a->mem[0].pa, 0x48000000);
	assert_int_equal(a->mem[0].size, 0x04000000);
	assert_int_equal(a->console, LAYOUT_CONSOLE_VIRTUAL);
	assert_int_equal(a->kernel.win.addr, 0x60000000);
	assert_int_equal(a->kernel.format, LAYOUT_KERNEL_IMAGE);
	assert_int_equal(a->dtb_offset, 0x04000000 - 0x200000);
	assert_int_equal(a->on_fault, LAYOUT_ON_FAULT_STOP);
	assert_string_equal(b->label, "beta");
	assert_int_equal(b->nr_cpus, 3);
	assert_int_equal(b->cpus[2].mpidr, 0x3);
	assert_int_equal(b->cpus[2].index, 3);
	assert_int_equal(b->on_fault, LAYOUT_ON_FAULT_RESTART);
	assert_int_equal(b->nr_devices, 1);
	assert_string_equal(b->devices[0].path, "/pl031@9010000");
	assert_int_equal(b->devices[0].nr_regs, 1);
	assert_int_equal(b->devices[0].regs[0].base, 0x09010000);
	assert_int_equal(b->devices[0].regs[0].size, 0x1000);
	assert_int_equal(b->devices[0].nr_irqs, 1);
	assert_int_equal(b->devices[0].irqs[0], 32 + 2);
	assert_int_equal(b->nr_irqs, 1);
	assert_int_equal(b->irqs[0], 34);
}

static void test_demo_parses_to_expected_struct(void **state)
{
	const struct layout_cell *l = &layout.cells[0], *r = &layout.cells[1];

	(void)state;
	assert_int_equal(parse_file("configs/qemu-virt/demo.dtb"), 0);
	assert_string_equal(l->label, "linux");
	assert_true(l->management);
	assert_int_equal(l->initrd.addr, 0x63000000);
	assert_int_equal(l->initrd.size, 0x01000000);
	assert_string_equal(l->bootargs, "console=ttyAMA0 earlycon rdinit=/init");
	assert_int_equal(l->nr_devices, 1); /* the RTC; no DMA master (docs/layout.md) */
	assert_string_equal(l->devices[0].path, "/pl031@9010000");
	assert_null(l->devices[0].dma_sign);
	assert_int_equal(l->nr_irqs, 1);
	assert_int_equal(l->irq_mode, LAYOUT_IRQ_EMULATED);
	assert_string_equal(r->label, "rtos");
	assert_false(r->management);
	assert_int_equal(r->kernel.format, LAYOUT_KERNEL_RAW);
	assert_int_equal(r->watchdog_ms, 2000);
	assert_int_equal(r->on_fault, LAYOUT_ON_FAULT_RESTART);
	assert_int_equal(layout_kernel_offset(r), 0);
}

/*
 * The first line of a bad layout: "/ * expect: <text> * /"; and how many
 * errors it makes, 1 unless its second line says "/ * errors: <n>: <why> * /".
 */
static int read_expect(const char *dts, char *out, size_t size, int *errors)
{
	char path[512], line[512], second[512];
	FILE *f;
	char *start, *end;

	snprintf(path, sizeof(path), "%s/%s", BAD_DTS_DIR, dts);
	f = fopen(path, "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		return -1;
	}
	*errors = 1;
	if (fgets(second, sizeof(second), f) && strncmp(second, "/* errors: ", 11) == 0)
		*errors = atoi(second + 11);
	fclose(f);
	start = strstr(line, "/* expect: ");
	end = strstr(line, " */");
	if (!start || !end || end < start)
		return -1;
	start += strlen("/* expect: ");
	snprintf(out, size, "%.*s", (int)(end - start), start);
	return 0;
}

static int check_bad(const char *dts)
{
	char expect[512], rel[512];
	int ret, errors;

	if (read_expect(dts, expect, sizeof(expect), &errors) < 0) {
		print_error("%s: first line is not /* expect: ... */\n", dts);
		return 1;
	}
	/* The whole line: an error that names the wrong node or property must not pass. */
	if (strncmp(expect, "layout: /", strlen("layout: /")) != 0) {
		print_error("%s: expect: \"%s\" does not start with \"layout: /<node>: \"\n", dts,
			    expect);
		return 1;
	}
	snprintf(rel, sizeof(rel), "bad/%.*s.dtb", (int)(strlen(dts) - 4), dts);
	ret = parse_file(rel);
	if (ret >= 0 || !fake_log_contains(expect)) {
		print_error("%s: returned %d; expected an error containing\n    %s\nlog:\n%s\n",
			    dts, ret, expect, fake_log_text());
		return 1;
	}
	/* One defect, one error: a follow-on error, or an error left out, is seen. */
	if (fake_log_count(LOG_ERR) != errors) {
		print_error("%s: %d errors, expected %d:\n%s\n", dts, fake_log_count(LOG_ERR),
			    errors, fake_log_text());
		return 1;
	}
	return 0;
}

static void test_every_bad_layout_reports_its_expected_error(void **state)
{
	DIR *dir = opendir(BAD_DTS_DIR);
	struct dirent *e;
	int checked = 0, failed = 0;

	(void)state;
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		size_t n = strlen(e->d_name);

		if (n < 5 || strcmp(e->d_name + n - 4, ".dts") != 0)
			continue;
		failed += check_bad(e->d_name);
		checked++;
	}
	closedir(dir);
	assert_true(checked >= 12);
	if (failed)
		fail_msg("%d of %d bad layouts did not report their expected error", failed,
			 checked);
}

/*
 * A value refused once is not blamed again: the boot RAM plan is not built
 * on an entry-offset, dtb-offset or kernel-format that could not be read,
 * nor on the second memory region when the first was refused (it read "kernel:
 * ... does not fit the boot RAM", "entry-offset: only valid with raw", "boot
 * RAM ... smaller than 4 MiB", about what the layout never said); a device
 * in two cells is not also said to share its SPI with itself; a cell label
 * refused for its case ("Alpha") is not followed by "no cell is labelled
 * \"alpha\"" from each shared region naming it.
 */
static void test_a_refused_value_is_reported_once(void **state)
{
	static const char *const bad[] = {
		"bad/entry-offset-not-a-number.dtb",
		"bad/kernel-format-unknown-with-entry-offset.dtb",
		"bad/memory-first-region-refused.dtb",
		"bad/device-in-two-cells.dtb",
		"bad/shm-cell-label-refused.dtb",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(parse_file(bad[i]) < 0);
		if (fake_log_count(LOG_ERR) != 1)
			fail_msg("%s: %d errors, expected 1:\n%s", bad[i], fake_log_count(LOG_ERR),
				 fake_log_text());
	}
}

/*
 * A shared region naming a cell whose label was refused is not blamed for
 * it (shm-cell-label-refused, above); one naming another label still is,
 * once, and is told of the refused label, which may be the one it meant.
 */
static void test_a_shared_region_naming_no_cell_is_told_of_a_refused_label(void **state)
{
	(void)state;
	assert_true(parse_file("bad/shm-cell-label-refused-other.dtb") < 0);
	if (fake_log_count(LOG_ERR) != 2)
		fail_msg("%d errors, expected the label's and gamma's:\n%s",
			 fake_log_count(LOG_ERR), fake_log_text());
	assert_logged("cells: no cell is labelled \"gamma\" (cell@0's label \"Alpha\" was "
		      "refused above)");
	assert_not_logged("no cell is labelled \"alpha\"");
}

/*
 * dtc refuses two nodes of one name; a DTB built by hand (libfdt, a script)
 * can have them, and /bulkhead finds the first only (here the empty one
 * libfdt put first, hence its own errors too): the second is refused.
 */
static void test_a_second_bulkhead_node_is_refused(void **state)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 1024);
	int second = fdt_add_subnode(fdt, 0, "bulkhead-second");

	(void)state;
	assert_true(second >= 0);
	assert_int_equal(fdt_set_name(fdt, second, "bulkhead"), 0);
	assert_true(parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) < 0);
	assert_logged("layout: /: bulkhead: a second node of that name, which nothing would read: "
		      "the layout is one /bulkhead node (merge them)");
}

/*
 * Likewise two cell@0 nodes: the parser walked both, but scripts/layout_dtb.py
 * finds a cell by its path, so mkbootcmd would load the first's kernel twice
 * and the second's never. Two-cells with beta renamed (and its reg with it):
 * the name is all that is wrong, and it passed before.
 */
static void test_a_second_cell_of_one_name_is_refused(void **state)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 1024);
	int beta = fdt_path_offset(fdt, "/bulkhead/cell@1");

	(void)state;
	assert_true(beta >= 0);
	assert_int_equal(fdt_setprop_u32(fdt, beta, "reg", 0), 0);
	assert_int_equal(fdt_set_name(fdt, beta, "cell@0"), 0);
	assert_true(parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) < 0);
	assert_logged("layout: /bulkhead: cell@0: a second node of that name: tools find a node by "
		      "its path (scripts/layout_dtb.py, mkbootcmd), so they would read the first "
		      "twice; give each its own unit address");
}

/*
 * Each property of a shared-memory node with one defect, in two-cells.dts's
 * region of alpha and beta (which parses): refused with its own error, and
 * that one only. A list that is no list of strings is not then "one cell
 * only" too, nor a second bad entry told after the first; "access" is not
 * counted against a "cells" that was refused; a label of 15 characters is a
 * label, one of 16 is not, and one that differs from a cell's only in case
 * names no cell; an ipa refused is not then said to be missing ("no ipa
 * given"), the region placed at its PA instead.
 */
static void test_a_shared_region_property_with_one_defect_is_one_error(void **state)
{
	static const struct {
		const char *prop, *val;
		int len;
		const char *prop2, *val2;
		int len2;
		const char *told;
	} cases[] = {
		{ "cells", "", 0, NULL, NULL, 0, "cells: expected a list of non-empty strings" },
		{ "cells", "\0\0\0\1", 4, NULL, NULL, 0,
		  "cells: expected a list of non-empty strings" },
		{ "cells", "", 1, NULL, NULL, 0, "cells: entry 0 is an empty string" },
		{ "cells", "alpha\0\0beta", 12, NULL, NULL, 0,
		  "cells: entry 1 is an empty string" },
		{ "cells", "a\0b\0c\0d\0e\0f\0g\0h\0i", 18, NULL, NULL, 0,
		  "cells: more than 8 entries" },
		{ "cells", "abcdefghijklmnop\0beta", 22, NULL, NULL, 0,
		  "cells: entry 0 \"abcdefghijklmnop\" is longer than 15 characters, so no cell "
		  "is labelled so" },
		{ "cells", "abcdefghijklmno\0beta", 21, NULL, NULL, 0,
		  "cells: no cell is labelled \"abcdefghijklmno\"" },
		{ "cells", "Alpha\0beta", 11, NULL, NULL, 0,
		  "cells: no cell is labelled \"Alpha\"" },
		{ "cells", "alpha", 6, "access", "rw", 3,
		  "cells: one cell only: a shared region needs at least two" },
		{ "access", "xx\0yy", 6, NULL, NULL, 0,
		  "access: entry 0: unknown value \"xx\"; did you mean \"ro\"? (valid: ro, rw)" },
		{ "memory", "\0\0\0\0\x41\0\0\0\0\0\0\0", 12, NULL, NULL, 0,
		  "memory: expected a multiple of 4 cells, got 3: addresses and sizes are always "
		  "64-bit <hi lo> pairs, whatever #address-cells and #size-cells say" },
		{ "memory", "\0\0\0\0\x41\0\x08\0\0\0\0\0\0\x20\0\0", 16, NULL, NULL, 0,
		  "memory: region 0x41000800+0x200000 is not 4 KiB aligned" },
		{ "memory", "\0\0\0\0\x41\0\0\0\0\0\0\0\0\0\x18\0", 16, NULL, NULL, 0,
		  "memory: size 0x1800 is not 4 KiB aligned: sizes are in bytes (64 MiB is <0x0 "
		  "0x04000000>)" },
		{ "ipa", "\0\0\0\0\x50\0\x08\0", 8, NULL, NULL, 0,
		  "ipa: 0x50000800 is not 4 KiB aligned" },
		{ "ipa", "\0\0\0\0\x50\0\0\0\0\0\0\0", 12, NULL, NULL, 0,
		  "ipa: expected one number of 1 or 2 cells, got 12 bytes" },
		{ "ipa", "\xff\xff\xff\xff\xff\xf0\0\0", 8, NULL, NULL, 0,
		  "ipa: 0xfffffffffff00000+0x200000 wraps" },
		{ "doorbell", "\0\0\0\1", 4, NULL, NULL, 0,
		  "doorbell: a boolean: write `doorbell;` without a value" },
	};
	char want[200];

	(void)state;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int shm;
		void *fdt = two_cells_with_shm(&shm);

		assert_int_equal(fdt_setprop(fdt, shm, cases[i].prop, cases[i].val, cases[i].len),
				 0);
		if (cases[i].prop2)
			assert_int_equal(
				fdt_setprop(fdt, shm, cases[i].prop2, cases[i].val2, cases[i].len2),
				0);
		snprintf(want, sizeof(want), "E: layout: /bulkhead/shared-memory@0: %s\n",
			 cases[i].told);
		if (parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) >= 0 ||
		    fake_log_count(LOG_ERR) != 1 || !fake_log_contains(want))
			fail_msg("case %u: wanted the one error\n  %s\ngot:\n%s", i, want,
				 fake_log_text());
	}
}

/*
 * alpha's label refused, and the region names no cell: the refused label is
 * named only if it is a string (a label of <1> is not quoted back as text),
 * and one that is the region's entry but for case ('Z' too) is the one
 * error to fix, not told again for the region.
 */
static void test_a_shared_region_is_told_of_a_refused_label_only_if_it_is_one(void **state)
{
	static const struct {
		const char *label;
		int len;
		const char *cells;
		int cells_len;
		int errors;
		const char *told;
	} cases[] = {
		{ "\0\0\0\1", 4, "gamma\0beta", 11, 2,
		  "E: layout: /bulkhead/shared-memory@0: cells: no cell is labelled \"gamma\"\n" },
		{ "alphaZ", 7, "alphaz\0beta", 12, 1,
		  "E: layout: /bulkhead/cell@0: label: \"alphaZ\": character 'Z' not allowed (use "
		  "a-z 0-9 _ -)\n" },
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int shm;
		void *fdt = two_cells_with_shm(&shm);
		int alpha = fdt_path_offset(fdt, "/bulkhead/cell@0");

		assert_int_equal(fdt_setprop(fdt, alpha, "label", cases[i].label, cases[i].len), 0);
		assert_int_equal(fdt_setprop(fdt, shm, "cells", cases[i].cells, cases[i].cells_len),
				 0);
		if (parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) >= 0 ||
		    fake_log_count(LOG_ERR) != cases[i].errors || !fake_log_contains(cases[i].told))
			fail_msg("case %u: wanted %d errors, with\n  %sgot:\n%s", i,
				 cases[i].errors, cases[i].told, fake_log_text());
	}
}

/*
 * A region's IPA over a device of a member (its MMIO mapped 1:1 there), here
 * beta's flash@0, is refused: stage 2 cannot map both there.
 */
static void test_a_shared_region_over_a_members_device_is_refused(void **state)
{
	static const char flash[] = "/flash@0";
	int shm;
	void *fdt = two_cells_with_shm(&shm);
	int beta = fdt_path_offset(fdt, "/bulkhead/cell@1");

	(void)state;
	assert_int_equal(fdt_setprop(fdt, beta, "devices", flash, sizeof(flash)), 0);
	assert_int_equal(fdt_setprop_u64(fdt, shm, "ipa", 0x00100000), 0);
	assert_true(parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) < 0);
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_logged("E: layout: /bulkhead/shared-memory@0: ipa: 0x100000+0x200000 overlaps "
		      "device /flash@0 of cell \"beta\" (mapped 1:1 at 0x0)\n");
}

/*
 * linux-shm-pair.dts, its regions of alpha and beta, the second given to
 * linux and alpha at an IPA inside the first's: only alpha sees both, and
 * only alpha is told of the overlap, not linux, which is no member of the
 * first.
 */
static void test_shared_regions_ipa_overlap_is_told_for_a_cell_that_sees_both(void **state)
{
	static const char members[] = "linux\0alpha";
	void *fdt = load_layout("configs/qemu-virt/linux-shm-pair.dtb", 1024);
	int shm1 = fdt_path_offset(fdt, "/bulkhead/shared-memory@1");

	(void)state;
	assert_true(shm1 >= 0);
	assert_int_equal(fdt_setprop(fdt, shm1, "cells", members, sizeof(members)), 0);
	assert_int_equal(fdt_setprop_u64(fdt, shm1, "ipa", 0x50080000), 0);
	assert_true(parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) < 0);
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_logged("E: layout: /bulkhead/shared-memory@1: ipa: 0x50080000+0x10000 overlaps "
		      "/bulkhead/shared-memory@0, which cell \"alpha\" also sees at "
		      "0x50000000+0x100000\n");
}

/* `doorbell;` is a shared region's boolean: each member's view has one. */
static void test_a_shared_region_with_a_doorbell_gives_each_member_one(void **state)
{
	int shm;
	void *fdt = two_cells_with_shm(&shm);

	(void)state;
	assert_int_equal(fdt_setprop(fdt, shm, "doorbell", NULL, 0), 0);
	if (parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) != 0)
		fail_msg("%s", fake_log_text());
	assert_true(layout.cells[0].shm[0].doorbell && layout.cells[1].shm[0].doorbell);
}

/* Under /bulkhead of @fdt, @n regions of alpha and beta, each in its own 64 KiB of RAM and IPA. */
static void add_regions(void *fdt, unsigned int n)
{
	static const char cells[] = "alpha\0beta";
	int bulkhead = fdt_path_offset(fdt, "/bulkhead");
	char name[32];

	for (unsigned int i = 0; i < n; i++) {
		int shm;

		snprintf(name, sizeof(name), "shared-memory@%u", i);
		shm = fdt_add_subnode(fdt, bulkhead, name);
		assert_true(shm >= 0);
		assert_int_equal(fdt_setprop_u64(fdt, shm, "memory", 0x41000000 + i * 0x10000), 0);
		assert_int_equal(fdt_appendprop_u64(fdt, shm, "memory", 0x10000), 0);
		assert_int_equal(fdt_setprop_u64(fdt, shm, "ipa", 0x50000000 + i * 0x10000), 0);
		assert_int_equal(fdt_setprop(fdt, shm, "cells", cells, sizeof(cells)), 0);
	}
}

/* LAYOUT_MAX_SHM regions of alpha and beta parse, and each member sees every one. */
static void test_as_many_shared_regions_as_the_most_give_each_member_every_view(void **state)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 4096);

	(void)state;
	add_regions(fdt, LAYOUT_MAX_SHM);
	if (parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) != 0)
		fail_msg("%s", fake_log_text());
	assert_int_equal(layout.nr_shm, LAYOUT_MAX_SHM);
	assert_int_equal(layout.cells[0].nr_shm, LAYOUT_MAX_SHM);
	assert_int_equal(layout.cells[1].nr_shm, LAYOUT_MAX_SHM);
}

/* One more is refused, and the regions read stay LAYOUT_MAX_SHM (struct layout holds no more). */
static void test_one_shared_region_more_than_the_most_is_refused(void **state)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 4096);

	(void)state;
	add_regions(fdt, LAYOUT_MAX_SHM + 1);
	assert_true(parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) < 0);
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	/* The last read: libfdt adds each subnode first, so shared-memory@0. */
	assert_logged("layout: /bulkhead: shared-memory@0: more than 8 shared-memory regions\n");
	assert_int_equal(layout.nr_shm, LAYOUT_MAX_SHM);
}

/*
 * dtc gives a node a phandle when the .dts refers to it by label (&alpha):
 * /bulkhead, a cell and a shared-memory node take one, and nothing reads it.
 */
static void test_a_phandle_dtc_adds_is_accepted_everywhere(void **state)
{
	int shm;
	void *fdt = two_cells_with_shm(&shm);

	(void)state;
	assert_int_equal(fdt_setprop_u32(fdt, shm, "phandle", 1), 0);
	assert_int_equal(fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/bulkhead"), "phandle", 2), 0);
	assert_int_equal(
		fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"), "phandle", 3), 0);
	if (parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) != 0)
		fail_msg("%s", fake_log_text());
}

static void test_without_board_only_board_independent_rules_run(void **state)
{
	void *fdt = load_layout("bad/cpu-not-in-board.dtb", 0);

	(void)state;
	fake_log_reset();
	assert_int_equal(layout_parse(fdt, NULL, NULL, &layout), 0);
	assert_false(layout.board_checked);
	assert_int_equal(layout.cells[0].cpus[0].index, -1);
	free(fdt);
}

/*
 * A /plugin/ layout's <&cpu0> and <&rtc> (board labels, which no layout can
 * reference): one error each, where written, and nothing more about the
 * placeholder 0xffffffff dtc put there. Before, "0xffffffff is not an MPIDR
 * affinity value" and, for devices, "empty device path" three times.
 */
static void test_a_label_reference_is_said_once_where_it_is_written(void **state)
{
	(void)state;
	assert_true(parse_file("bad/label-reference-to-board.dtb") < 0);
	assert_logged("layout: /bulkhead/cell@0: cpus: <&cpu0> is an unresolved label reference "
		      "(a /plugin/ layout)");
	assert_logged("layout: /bulkhead/cell@1: devices: <&rtc> is an unresolved label "
		      "reference (a /plugin/ layout)");
	assert_not_logged("MPIDR affinity");
	assert_not_logged("device path");
	assert_int_equal(fake_log_count(LOG_ERR), 2);
}

/* devices = <0x1>: one error. Before, "empty device path" three times, then "not NUL-terminated".
 */
static void test_devices_given_as_cells_is_one_error(void **state)
{
	(void)state;
	assert_true(parse_file("bad/devices-not-strings.dtb") < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: expected a list of strings");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/* The hypervisor copies at most LAYOUT_BLOB_MAX bytes: the checker refuses a larger blob. */
static void test_a_layout_dtb_larger_than_the_hypervisor_takes_is_rejected(void **state)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", LAYOUT_BLOB_MAX);

	(void)state;
	fake_log_reset();
	assert_true(layout_parse(fdt, board, &plat, &layout) < 0);
	assert_logged("layout: /: -: the layout DTB is");
	assert_logged("more than the 64 KiB the hypervisor takes");
	free(fdt);
}

/* The board's DTB given for the layout (arguments swapped): told what is missing, not its size. */
static void test_a_board_dtb_given_as_the_layout_is_told_it_has_no_bulkhead(void **state)
{
	(void)state;
	assert_true(fdt_totalsize(board) > LAYOUT_BLOB_MAX);
	fake_log_reset();
	assert_true(layout_parse(board, board, &plat, &layout) < 0);
	assert_logged("layout: /: bulkhead: node missing (the layout lives in /bulkhead");
	assert_not_logged("the hypervisor takes");
}

static void test_dtb_at_ram_base_puts_image_kernel_above_it(void **state)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	int cell = fdt_path_offset(fdt, "/bulkhead/cell@0");

	(void)state;
	assert_int_equal(fdt_setprop_u32(fdt, cell, "dtb-offset", 0), 0);
	fake_log_reset();
	assert_int_equal(layout_parse(fdt, board, &plat, &layout), 0);
	assert_int_equal(layout.cells[0].dtb_offset, 0);
	assert_int_equal(layout_kernel_offset(&layout.cells[0]), 0x200000);
	free(fdt);
}

static void test_not_a_dtb_is_rejected(void **state)
{
	static const char junk[64] = "definitely not a flattened device tree";

	(void)state;
	fake_log_reset();
	assert_true(layout_parse(junk, board, &plat, &layout) < 0);
	assert_logged("layout: /: -: not a valid device tree blob");
}

/*
 * Give @node's property @name a second time, with its own value: libfdt's
 * read-write calls never repeat a name, so the copy goes in under a name of
 * the same length and is renamed in the strings block.
 */
static void repeat_prop(void *fdt, const char *path, const char *name)
{
	int node = fdt_path_offset(fdt, path), len;
	const void *val = fdt_getprop(fdt, node, name, &len);
	char placeholder[64], copy[256];
	const struct fdt_property *prop;

	assert_non_null(val);
	assert_true(len <= (int)sizeof(copy));
	memcpy(copy, val, (size_t)len); /* the blob moves under fdt_setprop() */
	snprintf(placeholder, sizeof(placeholder), "%s", name);
	placeholder[0] = '~';
	assert_int_equal(fdt_setprop(fdt, node, placeholder, copy, len), 0);
	prop = fdt_get_property(fdt, node, placeholder, NULL);
	assert_non_null(prop);
	memcpy((char *)fdt + fdt_off_dt_strings(fdt) + fdt32_to_cpu(prop->nameoff), name,
	       strlen(name));
}

static void test_a_property_given_twice_is_rejected(void **state)
{
	static const struct {
		const char *node, *prop, *expect;
	} cases[] = {
		{ "/bulkhead", "hypervisor-memory",
		  "layout: /bulkhead: hypervisor-memory: given twice in the node" },
		{ "/bulkhead/cell@1", "devices",
		  "layout: /bulkhead/cell@1: devices: given twice in the node" },
		{ "/bulkhead/shared-memory@0", "cells",
		  "layout: /bulkhead/shared-memory@0: cells: given twice in the node" },
	};
	static const char cells[] = "alpha\0beta";
	const fdt32_t shm_mem[4] = { 0, cpu_to_fdt32(0x50000000), 0, cpu_to_fdt32(0x10000) };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 1024);
		int shm =
			fdt_add_subnode(fdt, fdt_path_offset(fdt, "/bulkhead"), "shared-memory@0");

		assert_true(shm >= 0);
		assert_int_equal(fdt_setprop_string(fdt, shm, "compatible", "bulkhead,shm"), 0);
		assert_int_equal(fdt_setprop(fdt, shm, "memory", shm_mem, sizeof(shm_mem)), 0);
		assert_int_equal(fdt_setprop(fdt, shm, "cells", cells, sizeof(cells)), 0);
		fake_log_reset();
		assert_int_equal(layout_parse(fdt, board, &plat, &layout), 0);
		repeat_prop(fdt, cases[i].node, cases[i].prop);
		fake_log_reset();
		assert_true(layout_parse(fdt, board, &plat, &layout) < 0);
		assert_logged(cases[i].expect);
		free(fdt);
	}
}

/* Every single-byte corruption of a valid layout: an error or success, never a crash. */
static void test_corrupted_layouts_never_crash(void **state)
{
	uint8_t *good = load_layout("configs/qemu-virt/demo.dtb", 0);
	size_t n = fdt_totalsize(good);
	uint8_t *buf = malloc(n);
	static const uint8_t values[] = { 0x00, 0xff, 0x01, 0x80 };

	(void)state;
	for (size_t off = 0; off < n; off++)
		for (size_t v = 0; v < sizeof(values); v++) {
			memcpy(buf, good, n);
			buf[off] = values[v];
			fake_log_reset();
			(void)layout_parse(buf, board, &plat, &layout);
			assert_true(layout.nr_cells >= 0 && layout.nr_cells <= LAYOUT_MAX_CELLS);
		}
	free(buf);
	free(good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_cells_parses_to_expected_struct),
		cmocka_unit_test(test_demo_parses_to_expected_struct),
		cmocka_unit_test(test_every_bad_layout_reports_its_expected_error),
		cmocka_unit_test(test_a_refused_value_is_reported_once),
		cmocka_unit_test(test_a_shared_region_naming_no_cell_is_told_of_a_refused_label),
		cmocka_unit_test(test_a_second_bulkhead_node_is_refused),
		cmocka_unit_test(test_a_second_cell_of_one_name_is_refused),
		cmocka_unit_test(test_a_phandle_dtc_adds_is_accepted_everywhere),
		cmocka_unit_test(test_a_shared_region_property_with_one_defect_is_one_error),
		cmocka_unit_test(test_a_shared_region_is_told_of_a_refused_label_only_if_it_is_one),
		cmocka_unit_test(test_a_shared_region_with_a_doorbell_gives_each_member_one),
		cmocka_unit_test(test_a_shared_region_over_a_members_device_is_refused),
		cmocka_unit_test(test_shared_regions_ipa_overlap_is_told_for_a_cell_that_sees_both),
		cmocka_unit_test(
			test_as_many_shared_regions_as_the_most_give_each_member_every_view),
		cmocka_unit_test(test_one_shared_region_more_than_the_most_is_refused),
		cmocka_unit_test(test_without_board_only_board_independent_rules_run),
		cmocka_unit_test(test_a_label_reference_is_said_once_where_it_is_written),
		cmocka_unit_test(test_devices_given_as_cells_is_one_error),
		cmocka_unit_test(test_a_layout_dtb_larger_than_the_hypervisor_takes_is_rejected),
		cmocka_unit_test(test_a_board_dtb_given_as_the_layout_is_told_it_has_no_bulkhead),
		cmocka_unit_test(test_dtb_at_ram_base_puts_image_kernel_above_it),
		cmocka_unit_test(test_not_a_dtb_is_rejected),
		cmocka_unit_test(test_a_property_given_twice_is_rejected),
		cmocka_unit_test(test_corrupted_layouts_never_crash),
	};

	return cmocka_run_group_tests(tests, setup_board, teardown_board);
}
