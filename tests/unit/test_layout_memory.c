// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where a cell's memory, shared memory, windows and devices' MMIO may lie
 * (partitions/layout*.c): in the board's RAM in whole pages, clear of its
 * reserved memory (no-map, /memreserve/), of the cell's virtual GIC
 * (distributor, redistributors, GICv2 CPU interface) and virtual console, and
 * of the hypervisor's own UART's page; and a shared region's ipa, and the view
 * of it each member is given.
 *
 * Against QEMU virt's DTB and the boards of tests/unit/dts, with what the
 * layout tests share (layout_fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <libfdt.h>

#include "fake_log.h"
#include "layout_fixture.h"
#include "unit_dtb.h"

/*
 * Alpha with a second region ending at 2^48 exactly, the last IPA a stage 2
 * maps, clear of its boot RAM in IPA and PA: taken (two regions of one cell
 * are compared for overlap, not refused for being two).
 */
static void test_a_second_region_up_to_2_48_is_accepted(void **state)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	const fdt32_t mem[12] = { 0,
				  cpu_to_fdt32(0x40000000),
				  0,
				  cpu_to_fdt32(0x48000000),
				  0,
				  cpu_to_fdt32(0x04000000),
				  cpu_to_fdt32(0xffff),
				  cpu_to_fdt32(0xff000000),
				  0,
				  cpu_to_fdt32(0x50000000),
				  0,
				  cpu_to_fdt32(0x01000000) };
	int ret;

	(void)state;
	assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"), "memory", mem,
				     sizeof(mem)),
			 0);
	fake_log_reset();
	ret = layout_parse(fdt, board, &plat, &layout);
	free(fdt);
	if (ret)
		fail_msg("refused:\n%s", fake_log_text());
	assert_int_equal(layout.cells[0].nr_mem, 2);
	assert_int_equal(layout.cells[0].mem[1].ipa + layout.cells[0].mem[1].size, 1ULL << 48);
}

/*
 * two-cells on GICv2 QEMU virt with its GIC moved to 0x0c000000, its PL011
 * (the hypervisor's UART) to 0x09100000 and beta's PL031 to @base.
 */
static int parse_gicv2_with_pl031_at(uint32_t base)
{
	void *src = unit_dtb_load("virt-gicv2.dtb");
	void *b = board_copy_of(src, 1024);
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 0);
	static struct platform v2;
	const fdt32_t gic[16] = { 0, cpu_to_fdt32(0x0c000000), 0, cpu_to_fdt32(0x10000),
				  0, cpu_to_fdt32(0x0c010000), 0, cpu_to_fdt32(0x10000),
				  0, cpu_to_fdt32(0x0c030000), 0, cpu_to_fdt32(0x10000),
				  0, cpu_to_fdt32(0x0c040000), 0, cpu_to_fdt32(0x10000) };
	const fdt32_t reg[4] = { 0, cpu_to_fdt32(base), 0, cpu_to_fdt32(0x1000) };
	const fdt32_t uart[4] = { 0, cpu_to_fdt32(0x09100000), 0, cpu_to_fdt32(0x1000) };
	int ret;

	free(src);
	assert_int_equal(
		fdt_setprop(b, fdt_path_offset(b, "/intc@8000000"), "reg", gic, sizeof(gic)), 0);
	assert_int_equal(
		fdt_setprop(b, fdt_path_offset(b, "/pl031@9010000"), "reg", reg, sizeof(reg)), 0);
	assert_int_equal(
		fdt_setprop(b, fdt_path_offset(b, "/pl011@9000000"), "reg", uart, sizeof(uart)), 0);
	assert_int_equal(platform_discover(b, &v2), 0);
	fake_log_reset();
	ret = layout_parse(fdt, b, &v2, &layout);
	free(fdt);
	free(b);
	return ret;
}

/*
 * A GICv2 cell sees its virtual CPU interface at 0x08010000 and, with
 * console = "virtual", its PL011 at 0x09000000: a device mapped 1:1 over
 * either would hide it. A device past the CPU interface's page is taken.
 */
static void test_a_device_over_the_gicv2_cpu_interface_or_virtual_console_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_gicv2_with_pl031_at(0x08010000) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl031@9010000: MMIO 0x8010000+0x1000 "
		      "overlaps the virtual GIC CPU interface");
	assert_true(parse_gicv2_with_pl031_at(0x09000000) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl031@9010000: MMIO 0x9000000+0x1000 "
		      "overlaps the virtual console (console = \"virtual\")");
	if (parse_gicv2_with_pl031_at(0x0a800000))
		fail_msg("a device clear of the cell's windows refused:\n%s", fake_log_text());
}

/* Parse @rel against @board_name, another board than QEMU virt's (tests/unit/dts). */
static int parse_file_on(const char *board_name, const char *rel)
{
	return parse_and_free(load_layout(rel, 0), unit_dtb_load(board_name));
}

/*
 * board-virt-extras.dts keeps firmware's RAM inside two-cells.dts's regions and
 * windows: the layout is refused with @why among its errors.
 */
static void assert_two_cells_on_extras_rejected(const char *why)
{
	assert_true(parse_file_on("board-virt-extras.dtb", "configs/qemu-virt/two-cells.dtb") < 0);
	assert_logged(why);
}

static void test_cell_memory_over_no_map_reserved_memory_is_rejected(void **state)
{
	(void)state;
	assert_two_cells_on_extras_rejected(
		"layout: /bulkhead/cell@0: memory: region 0x48000000+0x4000000 overlaps the "
		"board's reserved memory /reserved-memory/firmware@48200000 (0x48200000+0x100000, "
		"no-map: not even mapped by the hypervisor, kept by firmware or another master)");
}

/* two-cells.dts with a shared-memory region at 0x@pa, on board-virt-extras.dts. */
static int parse_two_cells_with_shm_on_extras(uint32_t pa)
{
	static const char cells[] = "alpha\0beta";
	const fdt32_t mem[4] = { 0, cpu_to_fdt32(pa), 0, cpu_to_fdt32(0x10000) };
	void *b = unit_dtb_load("board-virt-extras.dtb");
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 1024);
	int shm = fdt_add_subnode(fdt, fdt_path_offset(fdt, "/bulkhead"), "shared-memory@0");

	assert_true(shm >= 0);
	assert_int_equal(fdt_setprop_string(fdt, shm, "compatible", "bulkhead,shm"), 0);
	assert_int_equal(fdt_setprop(fdt, shm, "memory", mem, sizeof(mem)), 0);
	assert_int_equal(fdt_setprop(fdt, shm, "cells", cells, sizeof(cells)), 0);
	return parse_and_free(fdt, b);
}

/*
 * access = @access (@len bytes, "rw" or "ro" per member): each member's view
 * of the region (what stage 2 maps it with, and its guest DT says) is
 * writable as its entry says, and the parse's region as well.
 */
static void assert_shm_access_gives_views(const char *access, size_t len, bool alpha_rw,
					  bool beta_rw)
{
	int shm;
	void *fdt = two_cells_with_shm(&shm);

	assert_int_equal(fdt_setprop(fdt, shm, "access", access, (int)len), 0);
	if (parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) != 0)
		fail_msg("%s", fake_log_text());
	assert_int_equal(layout.nr_shm, 1);
	assert_int_equal(layout.cells[0].nr_shm, 1);
	assert_int_equal(layout.cells[1].nr_shm, 1);
	if (layout.shm[0].writable[0] != alpha_rw || layout.shm[0].writable[1] != beta_rw ||
	    layout.cells[0].shm[0].writable != alpha_rw ||
	    layout.cells[1].shm[0].writable != beta_rw)
		fail_msg("access \"%s\", \"%s\": the region says alpha %s, beta %s; alpha's view "
			 "%s, beta's %s",
			 access, access + 3, layout.shm[0].writable[0] ? "rw" : "ro",
			 layout.shm[0].writable[1] ? "rw" : "ro",
			 layout.cells[0].shm[0].writable ? "rw" : "ro",
			 layout.cells[1].shm[0].writable ? "rw" : "ro");
}

static void test_shared_memory_ro_member_gets_a_read_only_view(void **state)
{
	static const char rw_ro[] = "rw\0ro", ro_rw[] = "ro\0rw";

	(void)state;
	assert_shm_access_gives_views(rw_ro, sizeof(rw_ro), true, false);
	assert_shm_access_gives_views(ro_rw, sizeof(ro_rw), false, true);
}

/*
 * A shared region's ipa in one cell whose bytes are printable (0x51424000 is
 * "QB@" and a NUL) is a number, not a string: only a number written as a
 * string ("0x0") is taken for one in a single cell.
 */
static void test_a_one_cell_ipa_with_printable_bytes_is_a_number(void **state)
{
	int shm;
	void *fdt = two_cells_with_shm(&shm);

	(void)state;
	assert_int_equal(fdt_setprop_u32(fdt, shm, "ipa", 0x51424000), 0);
	if (parse_and_free(fdt, unit_dtb_load(BOARD_DTB)) != 0)
		fail_msg("%s", fake_log_text());
	assert_int_equal(layout.shm[0].ipa, 0x51424000);
}

/* A cell never gets firmware's memory, shared or not. */
static void test_shared_memory_over_no_map_reserved_memory_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_two_cells_with_shm_on_extras(0x700f0000) < 0);
	assert_logged("layout: /bulkhead/shared-memory@0: memory: region 0x700f0000+0x10000 "
		      "overlaps the board's reserved memory /reserved-memory/both@70000000 "
		      "(0x70000000+0x100000, no-map: not even mapped by the hypervisor, kept by "
		      "firmware or another master)");
	/* The same region a page past it is none of firmware's: only two-cells' own errors. */
	assert_true(parse_two_cells_with_shm_on_extras(0x70100000) < 0);
	assert_int_equal(fake_log_count(LOG_ERR), 4);
}

static void test_cell_memory_over_a_memreserve_entry_is_rejected(void **state)
{
	(void)state;
	assert_two_cells_on_extras_rejected(
		"layout: /bulkhead/cell@1: memory: region 0x4c000000+0x4000000 overlaps the "
		"board's reserved memory /memreserve/ (0x4c100000+0x1000, kept by firmware or "
		"another master)");
}

static void test_hypervisor_memory_over_reserved_memory_is_rejected(void **state)
{
	(void)state;
	assert_two_cells_on_extras_rejected(
		"layout: /bulkhead: hypervisor-memory: window 0x40000000+0x1000000 overlaps the "
		"board's reserved memory /reserved-memory/optee@40800000");
}

static void test_kernel_window_over_reserved_memory_is_rejected(void **state)
{
	(void)state;
	assert_two_cells_on_extras_rejected(
		"layout: /bulkhead/cell@0: kernel: window 0x60000000+0x1000000 overlaps the "
		"board's reserved memory /reserved-memory/ramoops@60004000");
}

/*
 * QEMU virt's board with a no-map reserved range at 0x@nomap+0x800, and
 * two-cells.dts with alpha's kernel window 0x60000000+@kernel_size: parsed.
 */
static int parse_kernel_window_by_nomap(uint32_t nomap, uint32_t kernel_size)
{
	const fdt32_t reg[4] = { 0, cpu_to_fdt32(nomap), 0, cpu_to_fdt32(0x800) };
	const fdt32_t win[4] = { 0, cpu_to_fdt32(0x60000000), 0, cpu_to_fdt32(kernel_size) };
	void *b = board_copy(1024);
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	int child = add_bus_child(b, "reserved-memory", "secure@0", reg);

	assert_int_equal(fdt_setprop(b, child, "no-map", NULL, 0), 0);
	assert_int_equal(fdt_setprop_inplace(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"),
					     "kernel", win, sizeof(win)),
			 0);
	return parse_and_free(fdt, b);
}

/*
 * Windows are mapped in whole pages (to load from, window_map()) and a
 * no-map range is left out of the hypervisor's map grown to whole pages: a
 * window sharing a page with it, not a byte, would have the loading CPU
 * touch memory a CPU access may hang on.
 */
static void test_window_sharing_a_page_with_no_map_memory_is_rejected(void **state)
{
	(void)state;
	if (parse_kernel_window_by_nomap(0x60001800, 0x1800) == 0)
		fail_msg("a kernel window 0x60000000+0x1800 sharing its last page with no-map "
			 "0x60001800+0x800 was accepted");
	assert_logged("layout: /bulkhead/cell@0: kernel: window 0x60000000+0x1800 shares a 4 KiB "
		      "page with the board's reserved memory /reserved-memory/secure@0 "
		      "(0x60001800+0x800, no-map: not even mapped by the hypervisor, kept by "
		      "firmware or another master)");
	/* The page after it is none of the window's. */
	assert_int_equal(parse_kernel_window_by_nomap(0x60002000, 0x1800), 0);
}

/* Reusable pools, size-only pools, disabled and empty children keep nothing: 4 errors only. */
static void test_reserved_memory_errors_name_only_what_is_kept(void **state)
{
	(void)state;
	assert_true(parse_file_on("board-virt-extras.dtb", "configs/qemu-virt/two-cells.dtb") < 0);
	assert_int_equal(fake_log_count(LOG_ERR), 4);
}

/*
 * A board with its RAM in eight ranges, none under the cells: the error
 * lists every one. The list had 128 bytes and lost the fourth range on,
 * without a word.
 */
static void test_memory_outside_ram_names_every_range_of_the_board(void **state)
{
	static struct platform far;
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 0);
	int i;

	(void)state;
	far = plat;
	far.nr_mem = PLATFORM_MAX_MEM;
	for (i = 0; i < PLATFORM_MAX_MEM; i++)
		far.mem[i] = (struct mem_range){ 0x1000000000000ull * (uint64_t)(i + 1),
						 0x100000000ull };
	fake_log_reset();
	assert_true(layout_parse(fdt, board, &far, &layout) < 0);
	free(fdt);
	assert_logged("is outside the board's RAM (0x1000000000000-0x10000ffffffff, ");
	assert_logged(", 0x8000000000000-0x80000ffffffff)");
	assert_not_logged(LOG_CUT_MARK);
}

/*
 * A bank that ends mid-page (0x60fff800), alpha's kernel window ending with
 * it: its last page is mapped whole, the last 2 KiB of which are no RAM. Until
 * 2026-11-24 only its bytes were checked.
 */
static void test_window_ending_in_a_page_the_ram_does_not_fill_is_refused(void **state)
{
	static struct platform split;
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 64);
	fdt32_t window[4] = { 0, cpu_to_fdt32(0x60000000), 0, cpu_to_fdt32(0xfff800) };

	(void)state;
	split = plat;
	split.nr_mem = 2;
	split.mem[0] = (struct mem_range){ 0x40000000, 0x20fff800 };
	split.mem[1] = (struct mem_range){ 0x61000000, 0x1f000000 };
	assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"), "kernel",
				     window, sizeof(window)),
			 0);
	fake_log_reset();
	assert_true(layout_parse(fdt, board, &split, &layout) < 0);
	free(fdt);
	assert_logged(
		"kernel: window 0x60000000+0xfff800 ends inside a page the "
		"board's RAM does not fill: it is mapped in whole pages, and the rest of that "
		"page is not RAM");
}

/*
 * Reserved memory outside RAM that a node also describes (a no-map secure
 * SRAM, a coprocessor's SRAM): the device's pages are mapped 1:1 into the
 * cell, so a device sharing a page with it, not only a byte, is refused,
 * naming the reserved node. Before, only RAM and the hypervisor's own
 * frames were checked, and the cell got the memory.
 */
static void test_a_device_over_reserved_memory_outside_ram_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-reserved-mmio.dtb", NULL, 0, "/sram@c000000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /sram@c000000: MMIO 0xc000000+0x1000 "
		      "overlaps the board's reserved memory /reserved-memory/secure-sram@c000000 "
		      "(0xc000000+0x1000, no-map: not even mapped by the hypervisor, kept by "
		      "firmware or another master)");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_true(parse_on_board("board-reserved-mmio.dtb", NULL, 0, "/mailbox@c010000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /mailbox@c010000: MMIO 0xc010000+0x100 "
		      "shares a 4 KiB page with the board's reserved memory "
		      "/reserved-memory/mcu-sram@c010800 (0xc010800+0x800, kept by firmware or "
		      "another master)");
	/* A device of the same board clear of both is not affected. */
	assert_int_equal(parse_on_board("board-reserved-mmio.dtb", NULL, 0, "/dma@a002000", 0), 0);
}

/*
 * A PCIe 32-bit window over 0x08000000, where every cell sees its virtual
 * GIC: a BAR placed there would be mapped over the vGIC distributor, and the
 * guest's GIC accesses would reach the function. Before, accepted.
 */
static void test_a_pci_window_over_the_cells_vgic_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-pci-low-window.dtb", NULL, 0x0008, NULL, 0) < 0);
	assert_logged("layout: /bulkhead/cell@0: pci-devices: the PCIe host's 32-bit memory "
		      "window 0x8000000+0x1000000, where the hypervisor places the BARs, "
		      "overlaps the virtual GIC distributor: on this board a cell cannot have "
		      "pci-devices");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	/* Without pci-devices the window is nobody's. */
	assert_int_equal(parse_on_board("board-pci-low-window.dtb", NULL, 0, NULL, 0), 0);
}

/*
 * The same of the ECAM, where a cell's config accesses are trapped: over the
 * vGIC distributor (on a board whose GIC is elsewhere), a guest's GIC access
 * would be taken for a config access.
 */
static void test_an_ecam_over_the_cells_vgic_is_rejected(void **state)
{
	static struct platform moved;
	void *src = unit_dtb_load("board-gic-elsewhere.dtb");
	void *b = board_copy_of(src, 256);
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	const fdt32_t ecam[4] = { 0, cpu_to_fdt32(0x08000000), 0, cpu_to_fdt32(0x100000) };
	const fdt32_t bus0[2] = { 0, 0 };
	int pcie = fdt_path_offset(b, "/pcie@10000000");

	(void)state;
	free(src);
	assert_int_equal(fdt_setprop(b, pcie, "reg", ecam, sizeof(ecam)), 0);
	assert_int_equal(fdt_setprop(b, pcie, "bus-range", bus0, sizeof(bus0)), 0);
	assert_int_equal(platform_discover(b, &moved), 0);
	assert_int_equal(fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"),
					 "pci-devices", 0x0008),
			 0);
	fake_log_reset();
	assert_true(layout_parse(fdt, b, &moved, &layout) < 0);
	assert_logged("layout: /bulkhead/cell@0: pci-devices: the PCIe host's ECAM "
		      "0x8000000+0x100000, where the cell's config space is trapped, overlaps the "
		      "virtual GIC distributor: on this board a cell cannot have pci-devices");
	free(fdt);
	free(b);
}

/*
 * A cell sees one redistributor frame per vCPU from 0x080a0000, so a device
 * there (on a board whose own GIC is elsewhere) would be mapped 1:1 over a
 * frame of a cell with enough vCPUs: beta (3 vCPUs) has frames 0-2, alpha
 * only frame 0. Before, only frame 0 was tested.
 */
static void test_a_device_over_a_later_vcpus_redistributor_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-gic-elsewhere.dtb", NULL, 0, "/mmio@80c0000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /mmio@80c0000: MMIO 0x80c0000+0x1000 "
		      "overlaps the virtual GIC redistributors");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	/* vCPU 1's frame is not alpha's, and the frame past beta's last is nobody's. */
	if (parse_on_board("board-gic-elsewhere.dtb", "/mmio@80c0000", 0, NULL, 0))
		fail_msg("a device on vCPU 1's frame refused in a 1-vCPU cell:\n%s",
			 fake_log_text());
	if (parse_on_board("board-gic-elsewhere.dtb", NULL, 0, "/mmio@8100000", 0))
		fail_msg("a device on vCPU 3's frame refused in a 3-vCPU cell:\n%s",
			 fake_log_text());
}

/*
 * A UART in the second 1 KiB of the console's 4 KiB page (Allwinner's
 * UART1): stage 2 maps whole pages, so it is refused for sharing the page,
 * which is named with the console's node. Before, "overlaps the
 * hypervisor's own UART", which it does not. The console itself still
 * overlaps.
 */
static void test_a_device_in_the_consoles_page_is_told_it_shares_the_page(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-hyp-pages.dtb", NULL, 0, "/serial@9000400", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /serial@9000400: MMIO 0x9000400+0x400 "
		      "shares the 4 KiB page 0x9000000 with the hypervisor's own UART "
		      "/pl011@9000000 (stdout-path): stage 2 maps whole pages, so no cell can "
		      "have it; pick a device in another page");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_true(parse_on_board("board-hyp-pages.dtb", NULL, 0, "/pl011@9000000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl011@9000000: MMIO 0x9000000+0x400 "
		      "overlaps the hypervisor's own UART (stdout-path)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_second_region_up_to_2_48_is_accepted),
		cmocka_unit_test(
			test_a_device_over_the_gicv2_cpu_interface_or_virtual_console_is_rejected),
		cmocka_unit_test(test_cell_memory_over_no_map_reserved_memory_is_rejected),
		cmocka_unit_test(test_a_one_cell_ipa_with_printable_bytes_is_a_number),
		cmocka_unit_test(test_shared_memory_ro_member_gets_a_read_only_view),
		cmocka_unit_test(test_shared_memory_over_no_map_reserved_memory_is_rejected),
		cmocka_unit_test(test_cell_memory_over_a_memreserve_entry_is_rejected),
		cmocka_unit_test(test_hypervisor_memory_over_reserved_memory_is_rejected),
		cmocka_unit_test(test_kernel_window_over_reserved_memory_is_rejected),
		cmocka_unit_test(test_window_sharing_a_page_with_no_map_memory_is_rejected),
		cmocka_unit_test(test_reserved_memory_errors_name_only_what_is_kept),
		cmocka_unit_test(test_memory_outside_ram_names_every_range_of_the_board),
		cmocka_unit_test(test_window_ending_in_a_page_the_ram_does_not_fill_is_refused),
		cmocka_unit_test(test_a_pci_window_over_the_cells_vgic_is_rejected),
		cmocka_unit_test(test_an_ecam_over_the_cells_vgic_is_rejected),
		cmocka_unit_test(test_a_device_over_a_later_vcpus_redistributor_is_rejected),
		cmocka_unit_test(test_a_device_over_reserved_memory_outside_ram_is_rejected),
		cmocka_unit_test(test_a_device_in_the_consoles_page_is_told_it_shares_the_page),
	};

	return cmocka_run_group_tests(tests, setup_board, teardown_board);
}
