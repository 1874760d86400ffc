// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest device tree (partitions/guest_dt*.c): the cells of the example
 * layouts in configs/qemu-virt, parsed against QEMU virt's own GICv3 and
 * GICv2 DTBs, get the QEMU-virt-like tree docs/guest-platform.md promises,
 * read back with libfdt; dtc reads every generated tree without a warning;
 * a buffer too small is -ENOSPC and never overrun. The generated trees are
 * left in $(BUILD)/unit/guest-dt (GUEST_DT_OUT_DIR) as .dtb and .dts.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <libfdt.h>

#include "fake_log.h"
#include "guest_dt.h"
#include "layout.h"
#include "platform.h"
#include "unit_dtb.h"

/*
 * spin_lock()'s wait (guest_dt_install()): one thread builds here, so a
 * wait that goes on is a lock nobody will let go.
 */
static unsigned long spins;

void arch_cpu_relax(void)
{
	if (++spins > 100000000ul)
		fail_msg("guest_dt_install() waits for a lock nobody holds any longer");
}

/* The CPU that builds (guest_dt_install(), guest_dt_cpu_lost()). */
static unsigned int self;

unsigned int arch_cpu_index(void)
{
	return self;
}

#ifndef GUEST_DT_OUT_DIR
#define GUEST_DT_OUT_DIR "build/unit/guest-dt"
#endif

#define GUEST_DT_BUF   (64 * 1024)
#define TWO_CELLS      "configs/qemu-virt/two-cells.dtb"
#define DEMO	       "configs/qemu-virt/demo.dtb"
#define BOARD_V3       "virt-gicv3.dtb"
#define BOARD_V2       "virt-gicv2.dtb"
#define BOARD_DMA      "board-dma-ranges.dtb"
#define BOARD_GIC4     "board-gic-4-cells.dtb"
#define LAYOUT_DMA     "layout-dma-ranges.dtb"
#define GIC_PATH       "/intc@8000000"
#define UART_PATH      "/pl011@9000000"
#define PL031_PATH     "/pl031@9010000"
#define PHANDLE_BOARD0 0x8000 /* QEMU's first phandle (apb-pclk) */

struct board {
	void *fdt;
	struct platform plat;
};

static struct board v3, v2, dma, gic4;
static struct layout layout;
static uint8_t out[GUEST_DT_BUF];

static void load_board(struct board *b, const char *name, int version)
{
	b->fdt = unit_dtb_load(name);
	fake_log_reset();
	assert_int_equal(platform_discover(b->fdt, &b->plat), 0);
	assert_int_equal(b->plat.gic.version, version);
}

static int setup(void **state)
{
	(void)state;
	load_board(&v3, BOARD_V3, 3);
	load_board(&v2, BOARD_V2, 2);
	load_board(&dma, BOARD_DMA, 3);
	load_board(&gic4, BOARD_GIC4, 3);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(v3.fdt);
	free(v2.fdt);
	free(dma.fdt);
	free(gic4.fdt);
	return 0;
}

/* Parse the layout @fdt (@rel names it) against @b and return its cell labelled @label. */
static const struct layout_cell *cell_of_blob(void *fdt, const char *rel, const struct board *b,
					      const char *label)
{
	fake_log_reset();
	if (layout_parse(fdt, b->fdt, &b->plat, &layout) < 0)
		fail_msg("%s does not parse:\n%s", rel, fake_log_text());
	free(fdt);
	for (int i = 0; i < layout.nr_cells; i++)
		if (strcmp(layout.cells[i].label, label) == 0)
			return &layout.cells[i];
	fail_msg("%s has no cell \"%s\"", rel, label);
	return NULL;
}

/* Parse @rel against @b and return its cell labelled @label. */
static const struct layout_cell *cell_of(const char *rel, const struct board *b, const char *label)
{
	return cell_of_blob(load_layout(rel, 0), rel, b, label);
}

/*
 * two-cells.dts's beta with the RTC and QEMU's last virtio-mmio transport, a
 * DMA master without iommus: so unprotected-dma and identity-mapped (no
 * shipped layout gives one to a cell).
 */
static const struct layout_cell *virtio_cell(void)
{
	static const char devs[] = "/pl031@9010000\0/virtio_mmio@a003e00";
	const fdt64_t mem[] = { cpu_to_fdt64(0x4c000000), cpu_to_fdt64(0x4c000000),
				cpu_to_fdt64(0x04000000) };
	void *small = load_layout(TWO_CELLS, 0);
	int size = (int)fdt_totalsize(small) + 512, beta;
	void *fdt = malloc((size_t)size);

	assert_int_equal(fdt_open_into(small, fdt, size), 0);
	free(small);
	beta = fdt_path_offset(fdt, "/bulkhead/cell@1");
	assert_int_equal(fdt_setprop(fdt, beta, "devices", devs, sizeof(devs)), 0);
	assert_int_equal(fdt_setprop(fdt, beta, "memory", mem, sizeof(mem)), 0);
	assert_int_equal(fdt_setprop(fdt, beta, "unprotected-dma", NULL, 0), 0);
	return cell_of_blob(fdt, "two-cells.dtb with virtio", &v3, "beta");
}

/* The cell @label of layout-dma-ranges.dts on board-dma-ranges.dts. */
static const struct layout_cell *dma_cell(const char *label)
{
	return cell_of_blob(unit_dtb_load(LAYOUT_DMA), LAYOUT_DMA, &dma, label);
}

/* Build into `out` and check the blob is whole. */
static void build(const struct layout_cell *cell, const struct board *b, const void *board_fdt,
		  const struct guest_dt_initrd *initrd)
{
	int ret;

	memset(out, 0xa5, sizeof(out));
	fake_log_reset();
	ret = guest_dt_build(cell, &b->plat, board_fdt, initrd, out, sizeof(out));
	if (ret != 0)
		fail_msg("guest_dt_build(%s) = %d\n%s", cell->label, ret, fake_log_text());
	assert_int_equal(fdt_check_full(out, sizeof(out)), 0);
}

static int node(const char *path)
{
	int off = fdt_path_offset(out, path);

	if (off < 0)
		fail_msg("no node %s in the guest tree", path);
	return off;
}

static const void *prop(const char *path, const char *name, int *len)
{
	const void *p = fdt_getprop(out, node(path), name, len);

	if (!p)
		fail_msg("%s has no property %s", path, name);
	return p;
}

static bool has_prop(const char *path, const char *name)
{
	return fdt_getprop(out, node(path), name, NULL) != NULL;
}

/* Cell @i of property @name, which must hold exactly @n cells. */
static uint32_t cell_at(const char *path, const char *name, int n, int i)
{
	int len;
	const fdt32_t *p = prop(path, name, &len);

	if (len != 4 * n)
		fail_msg("%s %s: %d bytes, expected %d cells", path, name, len, n);
	return fdt32_ld(&p[i]);
}

static void assert_cells(const char *path, const char *name, const uint32_t *want, int n)
{
	for (int i = 0; i < n; i++)
		if (cell_at(path, name, n, i) != want[i])
			fail_msg("%s %s: cell %d is 0x%x, expected 0x%x", path, name, i,
				 cell_at(path, name, n, i), want[i]);
}

static void assert_string_prop(const char *path, const char *name, const char *want)
{
	int len;
	const char *s = prop(path, name, &len);

	if (len != (int)strlen(want) + 1 || memcmp(s, want, (size_t)len) != 0)
		fail_msg("%s %s: \"%.*s\", expected \"%s\"", path, name, len, s, want);
}

static uint32_t gic_phandle(void)
{
	return fdt_get_phandle(out, node(GIC_PATH));
}

static uint32_t clk_phandle(void)
{
	return fdt_get_phandle(out, node("/apb-pclk"));
}

/* A writable copy of @b's tree with room to edit. */
static void *board_copy(const struct board *b)
{
	size_t size = fdt_totalsize(b->fdt) + 4096;
	void *fdt = malloc(size);

	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(b->fdt, fdt, (int)size), 0);
	return fdt;
}

static void test_root_is_dummy_virt_with_gic_as_interrupt_parent(void **state)
{
	(void)state;
	build(cell_of(TWO_CELLS, &v3, "alpha"), &v3, v3.fdt, NULL);
	assert_string_prop("/", "compatible", "linux,dummy-virt");
	assert_string_prop("/", "model", "Bulkhead cell alpha");
	assert_int_equal(cell_at("/", "#address-cells", 1, 0), 2);
	assert_int_equal(cell_at("/", "#size-cells", 1, 0), 2);
	assert_int_equal(cell_at("/", "interrupt-parent", 1, 0), gic_phandle());
	assert_true(gic_phandle() != 0);
}

static void test_memory_node_per_region_in_layout_order(void **state)
{
	struct layout_cell c = *cell_of(TWO_CELLS, &v3, "alpha");
	const uint32_t first[] = { 0, 0x40000000, 0, 0x04000000 };
	const uint32_t second[] = { 0x1, 0x00200000, 0, 0x00100000 };
	int a, b;

	(void)state;
	c.mem[1] = (struct layout_region){ 0x100200000ULL, 0x50000000, 0x100000 };
	c.nr_mem = 2;
	build(&c, &v3, v3.fdt, NULL);
	assert_string_prop("/memory@40000000", "device_type", "memory");
	assert_cells("/memory@40000000", "reg", first, 4);
	assert_string_prop("/memory@100200000", "device_type", "memory");
	assert_cells("/memory@100200000", "reg", second, 4);
	a = node("/memory@40000000");
	b = node("/memory@100200000");
	assert_true(a < b);
}

static void test_cpus_are_vcpu_indexes_started_by_psci(void **state)
{
	char path[32];

	(void)state;
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, v3.fdt, NULL);
	assert_int_equal(cell_at("/cpus", "#address-cells", 1, 0), 1);
	assert_int_equal(cell_at("/cpus", "#size-cells", 1, 0), 0);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/cpus/cpu@%d", i);
		assert_int_equal(cell_at(path, "reg", 1, 0), (uint32_t)i);
		assert_string_prop(path, "device_type", "cpu");
		assert_string_prop(path, "enable-method", "psci");
	}
	assert_true(fdt_path_offset(out, "/cpus/cpu@3") < 0);
}

static void test_psci_is_hvc_with_1_0_compatible(void **state)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	int len;
	const char *p;

	(void)state;
	build(cell_of(TWO_CELLS, &v3, "alpha"), &v3, v3.fdt, NULL);
	assert_string_prop("/psci", "method", "hvc");
	p = prop("/psci", "compatible", &len);
	assert_int_equal(len, sizeof(compat));
	assert_memory_equal(p, compat, sizeof(compat));
	assert_int_equal(cell_at("/psci", "cpu_on", 1, 0), 0xc4000003);
	assert_int_equal(cell_at("/psci", "cpu_off", 1, 0), 0x84000002);
	assert_int_equal(cell_at("/psci", "cpu_suspend", 1, 0), 0xc4000001);
	assert_int_equal(cell_at("/psci", "migrate", 1, 0), 0xc4000005);
}

static void test_gicv3_has_distributor_and_a_redistributor_per_vcpu(void **state)
{
	const uint32_t reg[] = { 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 3 * 0x20000 };

	(void)state;
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, v3.fdt, NULL);
	assert_string_prop(GIC_PATH, "compatible", "arm,gic-v3");
	assert_cells(GIC_PATH, "reg", reg, 8);
	assert_int_equal(cell_at(GIC_PATH, "#interrupt-cells", 1, 0), 3);
	assert_int_equal(cell_at(GIC_PATH, "#redistributor-regions", 1, 0), 1);
	assert_true(has_prop(GIC_PATH, "interrupt-controller"));
	/* No virtualization in the cell: no maintenance interrupt, no ITS. */
	assert_false(has_prop(GIC_PATH, "interrupts"));
	assert_int_equal(fdt_first_subnode(out, node(GIC_PATH)), -FDT_ERR_NOTFOUND);
}

static void test_gicv2_has_distributor_and_cpu_interface_only(void **state)
{
	const uint32_t reg[] = { 0, 0x08000000, 0, 0x10000, 0, 0x08010000, 0, 0x10000 };

	(void)state;
	build(cell_of(TWO_CELLS, &v2, "beta"), &v2, v2.fdt, NULL);
	assert_string_prop(GIC_PATH, "compatible", "arm,cortex-a15-gic");
	assert_cells(GIC_PATH, "reg", reg, 8);
	assert_false(has_prop(GIC_PATH, "#redistributor-regions"));
	assert_false(has_prop(GIC_PATH, "interrupts"));
	assert_int_equal(fdt_first_subnode(out, node(GIC_PATH)), -FDT_ERR_NOTFOUND);
}

/* QEMU's own encoding: level-high, plus on GICv2 the vCPU mask in bits [15:8]. */
static void test_timer_ppis_use_qemu_flags_per_gic_version(void **state)
{
	const uint32_t v3_irqs[] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };
	const uint32_t v2_irqs[] = { 1, 13, 0x704, 1, 14, 0x704, 1, 11, 0x704, 1, 10, 0x704 };

	(void)state;
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, v3.fdt, NULL);
	assert_cells("/timer", "interrupts", v3_irqs, 12);
	assert_true(has_prop("/timer", "always-on"));
	assert_false(has_prop("/timer", "clock-frequency"));
	build(cell_of(TWO_CELLS, &v2, "beta"), &v2, v2.fdt, NULL);
	assert_cells("/timer", "interrupts", v2_irqs, 12);
}

static void test_virtual_console_is_stdout_and_serial0_with_clock(void **state)
{
	const uint32_t reg[] = { 0, 0x09000000, 0, 0x1000 };
	const uint32_t irq[] = { 0, 1, 4 };

	(void)state;
	build(cell_of(TWO_CELLS, &v3, "alpha"), &v3, v3.fdt, NULL);
	assert_string_prop("/chosen", "stdout-path", UART_PATH);
	assert_string_prop("/aliases", "serial0", UART_PATH);
	assert_cells(UART_PATH, "reg", reg, 4);
	assert_cells(UART_PATH, "interrupts", irq, 3);
	assert_int_equal(cell_at(UART_PATH, "clocks", 2, 0), clk_phandle());
	assert_int_equal(cell_at(UART_PATH, "clocks", 2, 1), clk_phandle());
	assert_string_prop("/apb-pclk", "compatible", "fixed-clock");
	assert_int_equal(cell_at("/apb-pclk", "clock-frequency", 1, 0), 24000000);
	assert_int_equal(cell_at("/apb-pclk", "#clock-cells", 1, 0), 0);
	assert_string_prop("/apb-pclk", "clock-output-names", "clk24mhz");
}

static void test_cell_without_console_has_no_uart_or_stdout(void **state)
{
	struct layout_cell c = *cell_of(TWO_CELLS, &v3, "alpha");

	(void)state;
	c.console = LAYOUT_CONSOLE_NONE;
	build(&c, &v3, v3.fdt, NULL);
	assert_true(fdt_path_offset(out, UART_PATH) < 0);
	assert_true(fdt_path_offset(out, "/aliases") < 0);
	assert_false(has_prop("/chosen", "stdout-path"));
}

static void test_bootargs_only_when_the_layout_gives_them(void **state)
{
	(void)state;
	build(cell_of(DEMO, &v3, "linux"), &v3, v3.fdt, NULL);
	assert_string_prop("/chosen", "bootargs", "console=ttyAMA0 earlycon rdinit=/init");
	build(cell_of(TWO_CELLS, &v3, "alpha"), &v3, v3.fdt, NULL);
	assert_false(has_prop("/chosen", "bootargs"));
}

static void test_initrd_range_only_when_an_initrd_is_given(void **state)
{
	const struct layout_cell *c = cell_of(DEMO, &v3, "linux");
	const struct guest_dt_initrd initrd = { 0x5e000000, 0x01000000 };
	const struct guest_dt_initrd none = { 0x5e000000, 0 };

	(void)state;
	build(c, &v3, v3.fdt, &initrd);
	assert_int_equal(cell_at("/chosen", "linux,initrd-start", 2, 1), 0x5e000000);
	assert_int_equal(cell_at("/chosen", "linux,initrd-end", 2, 1), 0x5f000000);
	assert_int_equal(cell_at("/chosen", "linux,initrd-end", 2, 0), 0);
	build(c, &v3, v3.fdt, &none);
	assert_false(has_prop("/chosen", "linux,initrd-start"));
	assert_false(has_prop("/chosen", "linux,initrd-end"));
	build(c, &v3, v3.fdt, NULL);
	assert_false(has_prop("/chosen", "linux,initrd-start"));
}

static void test_assigned_pl031_is_copied_onto_guest_gic_and_clock(void **state)
{
	const uint32_t reg[] = { 0, 0x09010000, 0, 0x1000 };
	const uint32_t irq[] = { 0, 2, 4 };

	(void)state;
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, v3.fdt, NULL);
	assert_string_prop(PL031_PATH, "clock-names", "apb_pclk");
	assert_cells(PL031_PATH, "reg", reg, 4);
	assert_cells(PL031_PATH, "interrupts", irq, 3);
	assert_int_equal(cell_at(PL031_PATH, "clocks", 1, 0), clk_phandle());
	assert_false(has_prop(PL031_PATH, "phandle"));
	/* QEMU's pl031 inherits the root's interrupt-parent: the guest's is the guest GIC. */
	assert_int_equal(fdt_get_phandle(out, fdt_parent_offset(out, node(PL031_PATH))), 0);
	assert_int_equal(cell_at("/", "interrupt-parent", 1, 0), gic_phandle());
}

/*
 * A bus device's children are not copied, which the first build says; a
 * reload's build (guest_dt_install() told not to) does not say it again.
 */
static void test_a_bus_devices_children_are_told_at_the_first_build_only(void **state)
{
	void *b = board_copy(&v3);
	int dev = fdt_path_offset(b, PL031_PATH);
	const struct layout_cell *c = cell_of(TWO_CELLS, &v3, "beta");
	static const char line[] = "beta: guest device tree: device " PL031_PATH ": its child "
				   "nodes are not copied: it is a bus";
	static uint8_t dst[GUEST_DT_BUILD_SIZE];

	(void)state;
	assert_int_equal(fdt_setprop(b, dev, "ranges", NULL, 0), 0);
	assert_true(fdt_add_subnode(b, dev, "child@0") >= 0);
	fake_log_reset();
	assert_true(guest_dt_install(c, &v3.plat, b, NULL, dst, sizeof(dst), true) > 0);
	assert_logged(line);
	fake_log_reset();
	assert_true(guest_dt_install(c, &v3.plat, b, NULL, dst, sizeof(dst), false) > 0);
	assert_not_logged(line);
	free(b);
}

static void test_device_interrupt_parent_becomes_guest_gic(void **state)
{
	void *b = board_copy(&v3);
	int dev = fdt_path_offset(b, PL031_PATH);

	(void)state;
	assert_int_equal(fdt_setprop_u32(b, dev, "interrupt-parent", 0x8005), 0);
	assert_int_equal(fdt_setprop_u32(b, dev, "phandle", 0x8123), 0);
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, b, NULL);
	assert_int_equal(cell_at(PL031_PATH, "interrupt-parent", 1, 0), gic_phandle());
	assert_false(has_prop(PL031_PATH, "phandle"));
	free(b);
}

static void test_every_phandle_in_the_tree_is_the_guests_own(void **state)
{
	int n, len;

	(void)state;
	build(cell_of(DEMO, &v3, "linux"), &v3, v3.fdt, NULL);
	fdt_for_each_subnode(n, out, 0)
	{
		const fdt32_t *p = fdt_getprop(out, n, "phandle", &len);
		const fdt32_t *clocks = fdt_getprop(out, n, "clocks", &len);

		if (p)
			assert_true(fdt32_ld(p) == gic_phandle() || fdt32_ld(p) == clk_phandle());
		for (int i = 0; clocks && i < len / 4; i++)
			assert_int_equal(fdt32_ld(&clocks[i]), clk_phandle());
		assert_null(fdt_getprop(out, n, "linux,phandle", NULL));
	}
}

/* Every phandle the guest tree defines, checked to lie above @board's highest. */
static void assert_guest_phandles_above(const void *board)
{
	uint32_t max;
	int n = -1, depth = 0, count = 0;

	assert_int_equal(fdt_find_max_phandle(board, &max), 0);
	while ((n = fdt_next_node(out, n, &depth)) >= 0) {
		uint32_t ph = fdt_get_phandle(out, n);

		if (ph && ph <= max)
			fail_msg("guest node %s has phandle 0x%x, not above the board's 0x%x",
				 fdt_get_name(out, n, NULL), ph, max);
		count += ph != 0;
	}
	assert_true(count >= 2);
}

/*
 * A property the builder does not know carries a board phandle through
 * unchanged (a vendor "fsl,stop-mode" naming a syscon): it must name no guest
 * node. With board phandles from 1 up, as dtc numbers them, a guest GIC of
 * phandle 1 would be what it named.
 */
static void test_a_board_phandle_copied_unknowingly_names_no_guest_node(void **state)
{
	void *b = board_copy(&v3);
	int gpr = fdt_add_subnode(b, 0, "syscon@9f00000"), n;
	const fdt32_t stop[] = { cpu_to_fdt32(1), cpu_to_fdt32(0x10), cpu_to_fdt32(4) };

	(void)state;
	assert_true(gpr >= 0);
	assert_int_equal(fdt_setprop_u32(b, gpr, "phandle", 1), 0);
	assert_int_equal(
		fdt_setprop(b, fdt_path_offset(b, PL031_PATH), "fsl,stop-mode", stop, sizeof(stop)),
		0);
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, b, NULL);
	assert_int_equal(cell_at(PL031_PATH, "fsl,stop-mode", 3, 0), 1);
	n = fdt_node_offset_by_phandle(out, 1);
	if (n >= 0)
		fail_msg("the board's phandle 1 names the guest's %s", fdt_get_name(out, n, NULL));
	assert_guest_phandles_above(b);
	free(b);
}

static void *board_with_phy(void);

static void test_guest_phandles_lie_above_the_boards(void **state)
{
	void *b = board_with_phy();

	(void)state;
	build(cell_of(DEMO, &v3, "linux"), &v3, v3.fdt, NULL);
	assert_guest_phandles_above(v3.fdt);
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, b, NULL);
	assert_guest_phandles_above(b);
	build(dma_cell("dma"), &dma, dma.fdt, NULL);
	assert_guest_phandles_above(dma.fdt);
	free(b);
}

static void test_board_phandles_without_room_after_them_are_refused(void **state)
{
	void *b = board_copy(&v3);

	(void)state;
	assert_int_equal(fdt_setprop_u32(b, fdt_path_offset(b, PL031_PATH), "phandle", 0xfffffff0),
			 0);
	fake_log_reset();
	assert_int_equal(guest_dt_build(cell_of(TWO_CELLS, &v3, "beta"), &v3.plat, b, NULL, out,
					sizeof(out)),
			 -EINVAL);
	assert_logged("beta: guest device tree: the board's phandles reach 0xfffffff0: no room "
		      "for the guest's own after them");
	free(b);
}

static void test_properties_naming_board_providers_are_dropped(void **state)
{
	static const char *const dropped[] = {
		"pinctrl-0",
		"pinctrl-names",
		"resets",
		"vdd-supply",
		"iommus",
		"dmas",
		"reset-gpios",
		"power-domains",
		"mboxes",
		"interconnects",
		"pwms",
		"io-channels",
		"hwlocks",
		"nvmem",
		"operating-points-v2",
		"memory-region",
		"memory-region-names",
		"msi-parent",
		"phys",
		"gpios",
		"assigned-clocks",
		"interrupt-map",
		"access-controllers",
	};
	void *b = board_copy(&v3);
	int dev = fdt_path_offset(b, PL031_PATH);

	(void)state;
	for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
		assert_int_equal(fdt_setprop_u32(b, dev, dropped[i], 0x8000), 0);
	assert_int_equal(fdt_setprop_empty(b, dev, "dma-coherent"), 0);
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, b, NULL);
	for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
		if (has_prop(PL031_PATH, dropped[i]))
			fail_msg("%s %s was copied", PL031_PATH, dropped[i]);
	assert_true(has_prop(PL031_PATH, "dma-coherent"));
	free(b);
}

static void test_clock_specifiers_with_arguments_become_fixed_clocks(void **state)
{
	void *b = board_copy(&v3);
	int ctl = fdt_add_subnode(b, 0, "clock-controller@9f00000");
	const fdt32_t clocks[] = { cpu_to_fdt32(0x9000), cpu_to_fdt32(5), cpu_to_fdt32(0x8000) };

	(void)state;
	assert_true(ctl >= 0);
	assert_int_equal(fdt_setprop_u32(b, ctl, "#clock-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(b, ctl, "phandle", 0x9000), 0);
	assert_int_equal(
		fdt_setprop(b, fdt_path_offset(b, PL031_PATH), "clocks", clocks, sizeof(clocks)),
		0);
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, b, NULL);
	assert_int_equal(cell_at(PL031_PATH, "clocks", 2, 0), clk_phandle());
	assert_int_equal(cell_at(PL031_PATH, "clocks", 2, 1), clk_phandle());
	assert_int_equal(fake_log_count(LOG_WARN), 0);
	free(b);
}

static void test_unwalkable_clocks_become_one_fixed_clock_with_warning(void **state)
{
	void *b = board_copy(&v3);
	const fdt32_t clocks[] = { cpu_to_fdt32(0xdead), cpu_to_fdt32(0x8000) };

	(void)state;
	assert_int_equal(
		fdt_setprop(b, fdt_path_offset(b, PL031_PATH), "clocks", clocks, sizeof(clocks)),
		0);
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, b, NULL);
	assert_int_equal(cell_at(PL031_PATH, "clocks", 1, 0), clk_phandle());
	assert_logged("beta: guest device tree: device /pl031@9010000: clocks: cannot count");
	free(b);
}

/* Board PL031 with an MDIO bus and a PHY below it, as a MAC has (GENET, EQOS, GEM). */
static void *board_with_phy(void)
{
	void *b = board_copy(&v3);
	int dev = fdt_path_offset(b, PL031_PATH), mdio, phy, rxq;

	mdio = fdt_add_subnode(b, dev, "mdio");
	assert_true(mdio >= 0);
	assert_int_equal(fdt_setprop_u32(b, mdio, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(b, mdio, "#size-cells", 0), 0);
	phy = fdt_add_subnode(b, mdio, "ethernet-phy@1");
	assert_true(phy >= 0);
	assert_int_equal(fdt_setprop_u32(b, phy, "reg", 1), 0);
	assert_int_equal(fdt_setprop_u32(b, phy, "phandle", 0x9001), 0);
	assert_int_equal(fdt_setprop_u32(b, phy, "interrupt-parent", 0x8005), 0);
	assert_int_equal(fdt_setprop_u32(b, phy, "interrupts", 7), 0);
	assert_int_equal(fdt_setprop_u32(b, phy, "reset-gpios", 0x8005), 0);
	/* Leads out of the device: the board's clock. */
	assert_int_equal(fdt_setprop_u32(b, phy, "pcs-handle", PHANDLE_BOARD0), 0);
	dev = fdt_path_offset(b, PL031_PATH);
	/* A Synopsys MAC's receive queue set-up, in a node of its own below it. */
	rxq = fdt_add_subnode(b, dev, "rx-queues-config");
	assert_true(rxq >= 0);
	assert_int_equal(fdt_setprop_u32(b, rxq, "snps,rx-queues-to-use", 1), 0);
	assert_int_equal(fdt_setprop_u32(b, rxq, "phandle", 0x9002), 0);
	dev = fdt_path_offset(b, PL031_PATH);
	assert_int_equal(fdt_setprop_u32(b, dev, "phy-handle", 0x9001), 0);
	assert_int_equal(fdt_setprop_u32(b, dev, "snps,mtl-rx-config", 0x9002), 0);
	return b;
}

static void test_a_devices_mdio_bus_and_phy_come_with_it(void **state)
{
	static const char phy[] = PL031_PATH "/mdio/ethernet-phy@1";
	void *b = board_with_phy();
	uint32_t ph;

	(void)state;
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, b, NULL);
	assert_int_equal(cell_at(PL031_PATH "/mdio", "#address-cells", 1, 0), 1);
	assert_int_equal(cell_at(PL031_PATH "/mdio", "#size-cells", 1, 0), 0);
	assert_int_equal(cell_at(phy, "reg", 1, 0), 1);
	/* The MAC's phy-handle points at the copy, under a phandle of the guest's own. */
	ph = cell_at(PL031_PATH, "phy-handle", 1, 0);
	assert_int_equal(fdt_node_offset_by_phandle(out, ph), node(phy));
	assert_true(ph != 0x9001 && ph != gic_phandle() && ph != clk_phandle());
	ph = cell_at(PL031_PATH, "snps,mtl-rx-config", 1, 0);
	assert_int_equal(fdt_node_offset_by_phandle(out, ph), node(PL031_PATH "/rx-queues-config"));
	/* The PHY's interrupt is not the cell's; its GPIO and the outside reference go. */
	assert_false(has_prop(phy, "interrupts"));
	assert_false(has_prop(phy, "interrupt-parent"));
	assert_false(has_prop(phy, "reset-gpios"));
	assert_false(has_prop(phy, "pcs-handle"));
	assert_int_equal(fake_log_count(LOG_WARN), 0);
	free(b);
}

static void test_a_bus_devices_children_stay_out_with_a_warning(void **state)
{
	void *b = board_with_phy();

	(void)state;
	assert_int_equal(fdt_setprop_empty(b, fdt_path_offset(b, PL031_PATH), "ranges"), 0);
	build(cell_of(TWO_CELLS, &v3, "beta"), &v3, b, NULL);
	assert_int_equal(fdt_first_subnode(out, node(PL031_PATH)), -FDT_ERR_NOTFOUND);
	/* Its PHY is not in the guest: nor is a phandle to it. */
	assert_false(has_prop(PL031_PATH, "phy-handle"));
	assert_logged("beta: guest device tree: device /pl031@9010000: its child nodes are not "
		      "copied: it is a bus (\"ranges\")");
	free(b);
}

/* two-cells.dts's beta on board @b (freed) is refused, saying @line. */
static void assert_beta_refused(void *b, const char *line)
{
	fake_log_reset();
	assert_int_equal(guest_dt_build(cell_of(TWO_CELLS, &v3, "beta"), &v3.plat, b, NULL, out,
					sizeof(out)),
			 -EINVAL);
	assert_logged(line);
	free(b);
}

static void test_too_many_nodes_below_a_device_are_refused(void **state)
{
	void *b = board_copy(&v3);
	int dev = fdt_path_offset(b, PL031_PATH);
	char name[32];

	(void)state;
	for (int i = 0; i < 65; i++) {
		snprintf(name, sizeof(name), "port@%d", i);
		assert_true(fdt_add_subnode(b, dev, name) >= 0);
	}
	assert_beta_refused(b, "beta: guest device tree: device /pl031@9010000: more than 64 nodes "
			       "or 6 levels below it");
}

static void test_nodes_nested_too_deep_below_a_device_are_refused(void **state)
{
	void *b = board_copy(&v3);
	int node = fdt_path_offset(b, PL031_PATH);

	(void)state;
	for (int i = 0; i < 7; i++) {
		node = fdt_add_subnode(b, node, "level");
		assert_true(node >= 0);
	}
	assert_beta_refused(b, "beta: guest device tree: device /pl031@9010000: more than 64 nodes "
			       "or 6 levels below it");
}

static void test_a_device_node_with_too_many_properties_is_refused(void **state)
{
	void *b = board_copy(&v3);
	char name[32];

	(void)state;
	for (int i = 0; i < 128; i++) {
		snprintf(name, sizeof(name), "vendor,p%d", i);
		assert_int_equal(fdt_setprop_u32(b, fdt_path_offset(b, PL031_PATH), name, i), 0);
	}
	assert_beta_refused(b, "beta: guest device tree: device /pl031@9010000: node "
			       "pl031@9010000: more than 128 properties");
}

/* two-cells.dts's beta given board-gic-4-cells.dts's /dma@a002000 (<0 18 4 0>). */
static const struct layout_cell *gic4_dma_cell(void)
{
	void *fdt = load_layout(TWO_CELLS, 0);
	int size = (int)fdt_totalsize(fdt) + 256, beta;
	void *big = malloc((size_t)size);

	assert_non_null(big);
	assert_int_equal(fdt_open_into(fdt, big, size), 0);
	free(fdt);
	beta = fdt_path_offset(big, "/bulkhead/cell@1");
	assert_int_equal(fdt_setprop_string(big, beta, "devices", "/dma@a002000"), 0);
	return cell_of_blob(big, "two-cells.dtb with /dma@a002000", &gic4, "beta");
}

/*
 * On a board GIC with PPI partitions (4-cell specifiers, Rockchip RK3399) a
 * device's <0 18 4 0> reaches the guest as <0 18 4>: its virtual GIC says
 * #interrupt-cells = <3>. Before, the layout refused the device; copied as
 * it was, the guest would have read <0 18 4>, <0 ...> as two interrupts.
 */
static void test_a_4_cell_board_spec_is_given_to_the_guest_with_3(void **state)
{
	const uint32_t irq[] = { 0, 18, 4 };

	(void)state;
	build(gic4_dma_cell(), &gic4, gic4.fdt, NULL);
	assert_cells("/dma@a002000", "interrupts", irq, 3);
	assert_int_equal(cell_at(GIC_PATH, "#interrupt-cells", 1, 0), 3);
}

/*
 * A node copied with the device (an MMC's card, a MAC's PHY) keeps no
 * interrupt of its own on a 4-cell GIC either: the layout routes the
 * device's own SPIs only, so a child's <0 19 4 0> or interrupts-extended
 * would be an interrupt the cell does not get, and read with the guest
 * GIC's 3 cells, <0 19 4>, <0 ...>, a second, wrong one.
 */
static void test_a_childs_4_cell_interrupts_do_not_reach_the_guest(void **state)
{
	void *b = board_copy(&gic4);
	int child = fdt_add_subnode(b, fdt_path_offset(b, "/dma@a002000"), "card@0");
	const fdt32_t spec[] = { 0, cpu_to_fdt32(19), cpu_to_fdt32(4), 0 };
	const fdt32_t ext[] = { cpu_to_fdt32(fdt_get_phandle(b, fdt_path_offset(b, GIC_PATH))), 0,
				cpu_to_fdt32(20), cpu_to_fdt32(4), 0 };
	const uint32_t irq[] = { 0, 18, 4 };

	(void)state;
	assert_true(child >= 0);
	assert_int_equal(fdt_setprop(b, child, "interrupts", spec, sizeof(spec)), 0);
	assert_int_equal(fdt_setprop(b, child, "interrupts-extended", ext, sizeof(ext)), 0);
	assert_int_equal(fdt_setprop_string(b, child, "interrupt-names", "card-detect"), 0);
	assert_int_equal(fdt_setprop_string(b, child, "compatible", "test,card"), 0);
	build(gic4_dma_cell(), &gic4, b, NULL);
	free(b);
	assert_string_prop("/dma@a002000/card@0", "compatible", "test,card");
	assert_false(has_prop("/dma@a002000/card@0", "interrupts"));
	assert_false(has_prop("/dma@a002000/card@0", "interrupts-extended"));
	assert_false(has_prop("/dma@a002000/card@0", "interrupt-names"));
	assert_false(has_prop("/dma@a002000/card@0", "interrupt-parent"));
	assert_cells("/dma@a002000", "interrupts", irq, 3);
}

static void test_virtio_mmio_keeps_translated_reg_and_spi(void **state)
{
	const uint32_t reg[] = { 0, 0x0a003e00, 0, 0x200 };
	const uint32_t irq[] = { 0, 0x2f, 1 };

	(void)state;
	build(virtio_cell(), &v3, v3.fdt, NULL);
	assert_cells("/virtio_mmio@a003e00", "reg", reg, 4);
	assert_cells("/virtio_mmio@a003e00", "interrupts", irq, 3);
	assert_string_prop("/virtio_mmio@a003e00", "compatible", "virtio,mmio");
	assert_true(has_prop("/virtio_mmio@a003e00", "dma-coherent"));
	assert_true(fdt_path_offset(out, PL031_PATH) >= 0);
}

static void test_two_devices_with_one_node_name_are_rejected(void **state)
{
	struct layout_cell c = *virtio_cell();

	(void)state;
	c.devices[1] = c.devices[0];
	fake_log_reset();
	assert_int_equal(guest_dt_build(&c, &v3.plat, v3.fdt, NULL, out, sizeof(out)), -EINVAL);
	assert_logged("beta: guest device tree: device /pl031@9010000: the guest already has a "
		      "node named \"pl031@9010000\"");
}

static void test_a_device_named_like_a_shared_memory_node_is_rejected(void **state)
{
	struct layout_cell c = *cell_of(TWO_CELLS, &v3, "beta");
	void *b = board_copy(&v3);

	(void)state;
	c.nr_shm = 1;
	c.shm[0].ipa = 0x9010000;
	/* The board's stem and the device's address make its guest name: shm@9010000. */
	assert_int_equal(fdt_set_name(b, fdt_path_offset(b, PL031_PATH), "shm@50000000"), 0);
	snprintf(c.devices[0].path, sizeof(c.devices[0].path), "/shm@50000000");
	fake_log_reset();
	assert_int_equal(guest_dt_build(&c, &v3.plat, b, NULL, out, sizeof(out)), -EINVAL);
	assert_logged("beta: guest device tree: device /shm@50000000: the guest already has a "
		      "node named \"shm@9010000\"");
	free(b);
}

static void test_device_missing_from_board_is_rejected(void **state)
{
	struct layout_cell c = *cell_of(TWO_CELLS, &v3, "beta");

	(void)state;
	snprintf(c.devices[0].path, sizeof(c.devices[0].path), "/nowhere@1234");
	fake_log_reset();
	assert_int_equal(guest_dt_build(&c, &v3.plat, v3.fdt, NULL, out, sizeof(out)), -ENOENT);
	assert_logged("beta: guest device tree: device /nowhere@1234: not in the board's tree");
}

static void test_tiny_buffer_is_enospc_naming_the_size(void **state)
{
	(void)state;
	fake_log_reset();
	assert_int_equal(
		guest_dt_build(cell_of(TWO_CELLS, &v3, "alpha"), &v3.plat, v3.fdt, NULL, out, 64),
		-ENOSPC);
	assert_logged("alpha: guest device tree: needs more than 64 bytes");
}

/* Every size below what the tree needs fails cleanly inside an exact-size heap buffer. */
static void test_every_short_buffer_is_enospc_and_never_overrun(void **state)
{
	const struct layout_cell *c = cell_of(DEMO, &v3, "linux");
	const struct guest_dt_initrd initrd = { 0x5e000000, 0x01000000 };
	size_t need;

	(void)state;
	build(c, &v3, v3.fdt, &initrd);
	need = fdt_totalsize(out);
	for (size_t size = 0; size < need; size++) {
		void *buf = malloc(size ? size : 1);

		assert_non_null(buf);
		fake_log_reset();
		if (guest_dt_build(c, &v3.plat, v3.fdt, &initrd, buf, size) != -ENOSPC)
			fail_msg("size %zu of %zu: not -ENOSPC", size, need);
		free(buf);
	}
	void *buf = malloc(need);
	assert_int_equal(guest_dt_build(c, &v3.plat, v3.fdt, &initrd, buf, need), 0);
	free(buf);
}

/*
 * The tree starts small and grows to the whole buffer (unit.mk sets the
 * first size to 256 bytes): built over stale bytes, it holds none of them.
 */
static void test_grown_tree_holds_no_stale_byte(void **state)
{
	static uint8_t zeroed[GUEST_DT_BUF];
	const struct layout_cell *c = cell_of(DEMO, &v3, "linux");

	(void)state;
	build(c, &v3, v3.fdt, NULL); /* over 0xa5 */
	assert_true(fdt_totalsize(out) > 256);
	memset(zeroed, 0, sizeof(zeroed));
	assert_int_equal(guest_dt_build(c, &v3.plat, v3.fdt, NULL, zeroed, sizeof(zeroed)), 0);
	assert_int_equal(fdt_totalsize(zeroed), fdt_totalsize(out));
	assert_memory_equal(out, zeroed, fdt_totalsize(out));
}

/*
 * A guest writing its DTB header while a reload builds its tree: a vCPU
 * left running, or a device's DMA. The values are the review's: a
 * totalsize near 4 GiB and a structure block 258 MiB after the header.
 */
static uint8_t slot[GUEST_DT_BUF];
static volatile bool scribbling;

static void *scribble(void *arg)
{
	volatile uint8_t *h = arg;
	static const uint8_t bad[8] = { 0xff, 0xf0, 0x00, 0x00, 0x10, 0x20, 0x00, 0x00 };

	while (scribbling)
		for (int i = 0; i < 8; i++)
			h[4 + i] = bad[i]; /* totalsize, off_dt_struct */
	return NULL;
}

/*
 * guest_dt_install() builds in its own buffer and only copies into the slot:
 * what is written there meanwhile never steers a libfdt write (built in
 * place, the first write after the scribble lands gigabytes away and ASan
 * stops the test). The tree that arrives is the one guest_dt_build() makes.
 */
static void test_install_ignores_a_header_written_under_it(void **state)
{
	const struct layout_cell *c = cell_of(DEMO, &v3, "linux");
	pthread_t t;
	int ret = 0;

	(void)state;
	build(c, &v3, v3.fdt, NULL);
	scribbling = true;
	assert_int_equal(pthread_create(&t, NULL, scribble, slot), 0);
	for (int i = 0; i < 200 && ret >= 0; i++)
		ret = guest_dt_install(c, &v3.plat, v3.fdt, NULL, slot, sizeof(slot), true);
	scribbling = false;
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(ret, (int)fdt_totalsize(out));
	/* Past the two words the scribbler writes, the slot holds the tree. */
	assert_memory_equal(slot + 12, out + 12, fdt_totalsize(out) - 12);
}

static jmp_buf parked;

/* The bus device's warning, told under the build's lock: the building CPU faults there. */
static void fault_at_the_bus_warning(const char *line)
{
	if (strstr(line, "it is a bus"))
		longjmp(parked, 1); /* parks for good: the build never goes on */
}

/*
 * CPU 1 panics while it builds a tree (libfdt's stack check in a reload)
 * and is lost (cell_cpu_lost()): another CPU, a lost one that was not
 * building too, lets nothing go; CPU 1 lets the lock go, and CPU 0 builds
 * a tree, whole. Before 2026-11-24 the lock stayed held, and the next
 * reload of any cell spun on it for ever, its CPU's interrupts masked.
 */
static void test_a_cpu_lost_in_a_build_lets_the_build_lock_go(void **state)
{
	void *b = board_copy(&v3);
	const struct layout_cell *c = cell_of(TWO_CELLS, &v3, "beta");
	int dev = fdt_path_offset(b, PL031_PATH);
	static uint8_t dst[GUEST_DT_BUILD_SIZE];

	(void)state;
	assert_int_equal(fdt_setprop(b, dev, "ranges", NULL, 0), 0);
	assert_true(fdt_add_subnode(b, dev, "child@0") >= 0);
	self = 1;
	fake_log_set_hook(fault_at_the_bus_warning);
	if (!setjmp(parked))
		fail_msg("guest_dt_install() returned: %d",
			 guest_dt_install(c, &v3.plat, b, NULL, dst, sizeof(dst), true));
	fake_log_set_hook(NULL);
	self = 2;
	guest_dt_cpu_lost();
	self = 1;
	guest_dt_cpu_lost();
	guest_dt_cpu_lost(); /* a fault on the way comes back (cell_cpu_lost()) */
	self = 0;
	spins = 0;
	memset(dst, 0, sizeof(dst));
	assert_true(guest_dt_install(c, &v3.plat, b, NULL, dst, sizeof(dst), false) > 0);
	assert_int_equal(fdt_check_header(dst), 0);
	assert_true(fdt_path_offset(dst, PL031_PATH) >= 0);
	/* Twice more: the lock was let go once, and is taken and let go as before. */
	assert_true(guest_dt_install(c, &v3.plat, b, NULL, dst, sizeof(dst), false) > 0);
	assert_true(guest_dt_install(c, &v3.plat, b, NULL, dst, sizeof(dst), false) > 0);
	free(b);
}

/* Write `out` as NAME.dtb and NAME.dts under GUEST_DT_OUT_DIR; fail on any dtc message. */
static void dtc_round_trip(const char *name)
{
	char dtb[512], dts[512], err[512], cmd[2048];
	FILE *f;
	long n;

	mkdir(GUEST_DT_OUT_DIR, 0777);
	snprintf(dtb, sizeof(dtb), "%s/%s.dtb", GUEST_DT_OUT_DIR, name);
	snprintf(dts, sizeof(dts), "%s/%s.dts", GUEST_DT_OUT_DIR, name);
	snprintf(err, sizeof(err), "%s/%s.dtc-stderr", GUEST_DT_OUT_DIR, name);
	f = fopen(dtb, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(out, 1, fdt_totalsize(out), f), fdt_totalsize(out));
	fclose(f);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o '%s' '%s' 2>'%s'", dts, dtb, err);
	if (system(cmd) != 0)
		fail_msg("dtc failed on %s (see %s)", dtb, err);
	f = fopen(err, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	if (n != 0)
		fail_msg("dtc warned about %s: see %s", dtb, err);
}

static void test_dtc_reads_every_generated_tree_without_warnings(void **state)
{
	static const struct {
		const char *layout, *cell;
	} cells[] = {
		{ TWO_CELLS, "alpha" },
		{ TWO_CELLS, "beta" },
		{ DEMO, "linux" },
		{ DEMO, "rtos" },
	};
	const struct guest_dt_initrd initrd = { 0x5e000000, 0x01000000 };
	char name[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		for (int v = 2; v <= 3; v++) {
			const struct board *b = v == 3 ? &v3 : &v2;
			const struct layout_cell *c = cell_of(cells[i].layout, b, cells[i].cell);

			build(c, b, b->fdt, c->initrd.size ? &initrd : NULL);
			snprintf(name, sizeof(name), "gicv%d-%s", v, cells[i].cell);
			dtc_round_trip(name);
		}
}

/* <child bus address, CPU address, size> in 2 + 2 + 2 cells. */
static void assert_dma_window(const char *bus, uint64_t child, uint64_t cpu, uint64_t size)
{
	const uint32_t want[] = { child >> 32,	 (uint32_t)child, cpu >> 32,
				  (uint32_t)cpu, size >> 32,	  (uint32_t)size };

	assert_cells(bus, "dma-ranges", want, 6);
}

/* The Pi 4's /soc: one entry, RAM at bus 0xc0000000, the bus in 1 address cell. */
static void test_soc_dma_ranges_become_a_simple_bus_node_in_guest_cells(void **state)
{
	const uint32_t reg[] = { 0, 0x20204000, 0, 0x200 };
	int len;

	(void)state;
	build(dma_cell("dma"), &dma, dma.fdt, NULL);
	assert_int_equal(fdt_parent_offset(out, node("/soc")), 0);
	assert_string_prop("/soc", "compatible", "simple-bus");
	assert_int_equal(cell_at("/soc", "#address-cells", 1, 0), 2);
	assert_int_equal(cell_at("/soc", "#size-cells", 1, 0), 2);
	prop("/soc", "ranges", &len);
	assert_int_equal(len, 0);
	assert_dma_window("/soc", 0xc0000000, 0, 0x40000000);
	assert_cells("/soc/spi@20204000", "reg", reg, 4);
	assert_int_equal(cell_at("/soc/spi@20204000", "interrupts", 3, 1), 10);
	/* Named by its CPU address, which "reg" now is, not the board's bus address. */
	assert_true(fdt_path_offset(out, "/soc/spi@7e204000") < 0);
}

/* The Pi 4's /emmc2bus: 2 address cells, 1 size cell. */
static void test_emmc2bus_dma_ranges_are_rewritten_in_two_cells(void **state)
{
	const uint32_t reg[] = { 0, 0x21340000, 0, 0x100 };

	(void)state;
	build(dma_cell("dma"), &dma, dma.fdt, NULL);
	assert_dma_window("/emmc2bus", 0xc0000000, 0, 0x40000000);
	assert_cells("/emmc2bus/mmc@21340000", "reg", reg, 4);
}

/* /outer/inner's bus 0x10000000 is /outer's 0x80000000, which is PA 0x40000000. */
/*
 * Linux reads DMA coherence up the tree (of_dma_is_coherent()): a device
 * copied out of a coherent bus says it itself, unless it says otherwise.
 */
static void test_a_coherent_buses_devices_stay_coherent(void **state)
{
	void *b = board_copy(&dma);

	(void)state;
	assert_int_equal(fdt_setprop_empty(b, fdt_path_offset(b, "/outer"), "dma-coherent"), 0);
	build(dma_cell("dma"), &dma, b, NULL);
	assert_true(has_prop("/inner/dma@22001000", "dma-coherent"));
	assert_false(has_prop("/emmc2bus/mmc@21340000", "dma-coherent"));
	/* The nearest ancestor that says either way decides. */
	assert_int_equal(
		fdt_setprop_empty(b, fdt_path_offset(b, "/outer/inner"), "dma-noncoherent"), 0);
	build(dma_cell("dma"), &dma, b, NULL);
	assert_false(has_prop("/inner/dma@22001000", "dma-coherent"));
	free(b);
}

/* How the board's PCIe host, /pcie@10000000, is edited (QEMU's root says dma-coherent too). */
enum pcie_dma {
	PCIE_AS_IS,	       /* the host says dma-coherent */
	PCIE_NOT_COHERENT,     /* neither host nor root says so */
	PCIE_COHERENT_BY_ROOT, /* the host does not, the root does */
	PCIE_NONCOHERENT,      /* the host says dma-noncoherent, the root dma-coherent */
};

static void pcie_edit(void *fdt, enum pcie_dma edit)
{
	int pcie = fdt_path_offset(fdt, "/pcie@10000000");

	if (edit == PCIE_AS_IS)
		return;
	assert_int_equal(fdt_delprop(fdt, pcie, "dma-coherent"), 0);
	if (edit == PCIE_NOT_COHERENT)
		assert_int_equal(fdt_delprop(fdt, 0, "dma-coherent"), 0);
	if (edit == PCIE_NONCOHERENT)
		assert_int_equal(fdt_setprop_empty(fdt, pcie, "dma-noncoherent"), 0);
}

/*
 * QEMU virt with an SMMU, its PCIe host edited, discovered afresh into @b;
 * beta of two-cells.dts given the PCI function 00:03.0 on it, returned.
 */
static const struct layout_cell *pcie_cell_with(struct board *b, enum pcie_dma edit, uint32_t bdf)
{
	struct board smmu = { .fdt = unit_dtb_load("virt-gicv3-smmuv3.dtb") };
	void *small = load_layout(TWO_CELLS, 0);
	int size = (int)fdt_totalsize(small) + 256;
	void *fdt = malloc((size_t)size);

	b->fdt = board_copy(&smmu);
	free(smmu.fdt);
	pcie_edit(b->fdt, edit);
	fake_log_reset();
	if (platform_discover(b->fdt, &b->plat) != 0)
		fail_msg("the edited board does not discover:\n%s", fake_log_text());
	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(small, fdt, size), 0);
	free(small);
	assert_int_equal(
		fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/bulkhead/cell@1"), "pci-devices", bdf),
		0);
	return cell_of_blob(fdt, "two-cells.dtb with a PCI function", b, "beta");
}

static const struct layout_cell *pcie_cell(struct board *b, enum pcie_dma edit)
{
	return pcie_cell_with(b, edit, 0x18);
}

/*
 * The cell's PCIe host is as coherent as Linux on the bare board would take
 * the board's to be (of_dma_is_coherent(): the host node, else the nearest
 * ancestor that says either way), as the platform devices are.
 */
static void test_the_pcie_host_is_dma_coherent_only_as_the_boards_is(void **state)
{
	static const struct {
		enum pcie_dma edit;
		bool coherent;
		const char *what;
	} cases[] = {
		{ PCIE_AS_IS, true, "QEMU virt's host (dma-coherent)" },
		{ PCIE_NOT_COHERENT, false, "a host and root without dma-coherent" },
		{ PCIE_COHERENT_BY_ROOT, true, "a host under a dma-coherent root" },
		{ PCIE_NONCOHERENT, false, "a dma-noncoherent host under a dma-coherent root" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct board b;
		const struct layout_cell *cell = pcie_cell(&b, cases[i].edit);

		build(cell, &b, b.fdt, NULL);
		free(b.fdt);
		assert_true(node("/pcie@4010000000") >= 0);
		if (has_prop("/pcie@4010000000", "dma-coherent") != cases[i].coherent)
			fail_msg("%s: the guest's PCIe host %s dma-coherent", cases[i].what,
				 cases[i].coherent ? "lacks" : "has");
	}
}

/*
 * The guest's PCIe host maps INTA# of each function to the SPI the layout
 * routed to the cell, level-high; a function without INTx has no entry (its
 * INTID 0 would be an SPI of nobody's, 0 - 32).
 */
static void test_pcie_interrupt_map_names_only_the_functions_routed_intx(void **state)
{
	struct board b;
	struct layout_cell cell = *pcie_cell(&b, PCIE_AS_IS);
	uint32_t want[] = { 0x18 << 8, 0, 0, 1, 0, 0, 0, 0 /* SPI */, 0, 4 /* level-high */ };

	(void)state;
	assert_true(cell.nr_pci == 1 && cell.pci_intx[0] >= 32);
	build(&cell, &b, b.fdt, NULL);
	want[4] = gic_phandle();
	want[8] = cell.pci_intx[0] - 32;
	assert_cells("/pcie@4010000000", "interrupt-map", want, 10);
	cell.pci_intx[0] = 0;
	build(&cell, &b, b.fdt, NULL);
	assert_false(has_prop("/pcie@4010000000", "interrupt-map"));
	assert_false(has_prop("/pcie@4010000000", "interrupt-map-mask"));
	free(b.fdt);
}

/* A function on bus 1: the guest's host spans buses 0 and 1, in bus-range and in its ECAM reg. */
static void test_the_guests_pcie_host_reaches_the_bus_of_its_last_function(void **state)
{
	struct board b;
	const struct layout_cell *cell = pcie_cell_with(&b, PCIE_AS_IS, 0x118);
	const uint32_t bus_range[] = { 0, 1 };
	int len;
	const fdt32_t *reg;

	(void)state;
	build(cell, &b, b.fdt, NULL);
	free(b.fdt);
	assert_cells("/pcie@4010000000", "bus-range", bus_range, 2);
	reg = prop("/pcie@4010000000", "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(((uint64_t)fdt32_ld(&reg[2]) << 32) | fdt32_ld(&reg[3]), 2 << 20);
}

static void test_nested_dma_ranges_are_composed_up_to_the_root(void **state)
{
	(void)state;
	build(dma_cell("dma"), &dma, dma.fdt, NULL);
	assert_dma_window("/inner", 0x10000000, 0x40000000, 0x20000000);
	assert_int_equal(fdt_parent_offset(out, node("/inner/dma@22001000")), node("/inner"));
	assert_true(fdt_path_offset(out, "/outer") < 0);
}

/* As Linux's of_translate_one(): an ancestor without dma-ranges (/scb) is 1:1 on the way up. */
static void test_dma_window_goes_up_through_a_bus_without_dma_ranges(void **state)
{
	(void)state;
	build(dma_cell("dma"), &dma, dma.fdt, NULL);
	assert_dma_window("/bridge", 0, 0x40000000, 0x40000000);
	assert_int_equal(fdt_parent_offset(out, node("/bridge/pcie@25500100")), node("/bridge"));
}

/*
 * As Linux's of_dma_get_range(): an empty dma-ranges is 1:1 and the search
 * goes on (/soc/firmware into /soc; /identity up to the root); a bus
 * without one (/scb) ends it. The root's own dma-ranges (the board's maps
 * bus 0 to PA 0x80000000) translates nothing: Linux finds it but cannot
 * take its entries to a CPU address (the root has no parent to translate
 * into, so of_translate_dma_address() fails and the device gets no
 * offset), and the guest's root is Bulkhead's, without one.
 */
static void test_devices_without_dma_translation_stay_at_the_root(void **state)
{
	(void)state;
	build(dma_cell("dma"), &dma, dma.fdt, NULL);
	assert_int_equal(fdt_parent_offset(out, node("/serial@23001000")), 0);
	assert_int_equal(fdt_parent_offset(out, node("/ethernet@25580000")), 0);
	assert_true(fdt_path_offset(out, "/identity") < 0);
	assert_true(fdt_path_offset(out, "/scb") < 0);
	assert_false(has_prop("/", "dma-ranges"));
	assert_int_equal(fdt_parent_offset(out, node("/soc/mailbox@2000b880")), node("/soc"));
}

/*
 * Linux takes a device's DMA up through the interconnect its "dma-mem" path
 * names, not its parent (__of_get_dma_parent()): the A64's video engine
 * and display mixers reach RAM through the MBUS, whose dma-ranges put PA
 * 0x40000000 at bus address 0. The guest gets the device in a node named
 * like the MBUS, with that window. Before, it stayed at the root (its
 * parent, /sunxi, has no dma-ranges), its interconnects dropped: the guest
 * programmed physical addresses, which the MBUS took 1 GiB further on,
 * outside the cell's memory.
 */
static void test_a_dma_mem_interconnect_translates_its_devices_dma(void **state)
{
	const uint32_t reg[] = { 0, 0x01c0e000, 0, 0x1000 };

	(void)state;
	build(dma_cell("dma"), &dma, dma.fdt, NULL);
	assert_dma_window("/dram-controller@1c62000", 0, 0x40000000, 0xc0000000);
	assert_int_equal(
		fdt_parent_offset(out, node("/dram-controller@1c62000/video-codec@1c0e000")),
		node("/dram-controller@1c62000"));
	assert_cells("/dram-controller@1c62000/video-codec@1c0e000", "reg", reg, 4);
	assert_false(has_prop("/dram-controller@1c62000/video-codec@1c0e000", "interconnects"));
	assert_true(fdt_path_offset(out, "/video-codec@1c0e000") < 0);
}

/* Linux's coherence follows the same DMA parents (of_dma_is_coherent()). */
static void test_a_dma_mem_interconnect_gives_its_coherence(void **state)
{
	void *b = board_copy(&dma);

	(void)state;
	assert_int_equal(fdt_setprop_empty(b, fdt_path_offset(b, "/sunxi/dram-controller@1c62000"),
					   "dma-coherent"),
			 0);
	build(dma_cell("dma"), &dma, b, NULL);
	free(b);
	assert_true(has_prop("/dram-controller@1c62000/video-codec@1c0e000", "dma-coherent"));
}

/* Devices of one bus share its node, placed where the first of them comes in the layout. */
static void test_bus_nodes_come_where_their_first_device_does(void **state)
{
	static const char *const order[] = { "soc",
					     "emmc2bus",
					     "ethernet@25580000",
					     "inner",
					     "serial@23001000",
					     "bridge",
					     "dram-controller@1c62000" };
	static const char *const in_soc[] = { "spi@20204000", "mailbox@2000b880", "i2c@20205000" };
	int n, i = 0;

	(void)state;
	build(dma_cell("dma"), &dma, dma.fdt, NULL);
	/* The devices follow the virtual console. */
	for (n = fdt_next_subnode(out, node(UART_PATH)); n >= 0 && i < 7;
	     n = fdt_next_subnode(out, n), i++)
		assert_string_equal(fdt_get_name(out, n, NULL), order[i]);
	assert_int_equal(i, 7);
	i = 0;
	fdt_for_each_subnode(n, out, node("/soc"))
		assert_string_equal(fdt_get_name(out, n, NULL), in_soc[i++]);
	assert_int_equal(i, 3);
}

static void assert_build_refused(const struct layout_cell *c, const void *board, const char *msg)
{
	fake_log_reset();
	assert_int_equal(guest_dt_build(c, &dma.plat, board, NULL, out, sizeof(out)), -EINVAL);
	assert_logged(msg);
}

/*
 * The MBUS's own "dma-mem" path leads back to it: a broken board tree,
 * refused, not walked forever; as the bus above its device (its identity
 * window maps into itself again and again) and on the way to one (an empty
 * dma-ranges).
 */
static void test_dma_mem_interconnects_in_a_circle_are_refused(void **state)
{
	void *b = board_copy(&dma);
	int mbus = fdt_path_offset(b, "/sunxi/dram-controller@1c62000");
	const fdt32_t self[] = { cpu_to_fdt32(fdt_get_phandle(b, mbus)), 0 };
	const fdt32_t identity[] = { 0, 0, cpu_to_fdt32(0xc0000000) };

	(void)state;
	assert_int_equal(fdt_setprop(b, mbus, "interconnects", self, sizeof(self)), 0);
	mbus = fdt_path_offset(b, "/sunxi/dram-controller@1c62000");
	assert_int_equal(fdt_setprop(b, mbus, "dma-ranges", identity, sizeof(identity)), 0);
	mbus = fdt_path_offset(b, "/sunxi/dram-controller@1c62000");
	assert_int_equal(fdt_setprop_string(b, mbus, "interconnect-names", "dma-mem"), 0);
	assert_build_refused(dma_cell("dma"), b,
			     "dma: guest device tree: device /sunxi/video-codec@1c0e000: "
			     "/sunxi/dram-controller@1c62000 dma-ranges: the DMA parents above it "
			     "(interconnects \"dma-mem\") lead round in a circle");
	mbus = fdt_path_offset(b, "/sunxi/dram-controller@1c62000");
	assert_int_equal(fdt_setprop_empty(b, mbus, "dma-ranges"), 0);
	assert_build_refused(dma_cell("dma"), b,
			     "dma: guest device tree: device /sunxi/video-codec@1c0e000: its DMA "
			     "parents (interconnects \"dma-mem\", parent nodes) lead round in a "
			     "circle: a board device tree error");
	free(b);
}

/*
 * Debian's A64 tree names no interconnect on its video engine: Linux gives
 * it the MBUS's offset by compatible on an "allwinner,sun50i-a64" board
 * (drivers/soc/sunxi/sunxi_mbus.c), which a guest on Bulkhead's platform
 * does not apply. Refused, saying how to describe it; with the interconnect
 * the MBUS's dma-ranges translate it, and on another board nothing does.
 * Before, it was given to the cell at the root, to DMA 1 GiB off.
 */
static void test_a_device_linux_offsets_by_compatible_is_refused(void **state)
{
	static const char a64[] = "pine64,pine64-plus\0allwinner,sun50i-a64";
	void *b = board_copy(&dma);
	int codec = fdt_path_offset(b, "/sunxi/video-codec@1c0e000");

	(void)state;
	assert_int_equal(
		fdt_setprop_string(b, codec, "compatible", "allwinner,sun50i-a64-video-engine"), 0);
	build(dma_cell("dma"), &dma, b, NULL);
	assert_true(node("/dram-controller@1c62000/video-codec@1c0e000") >= 0);
	assert_int_equal(fdt_setprop(b, 0, "compatible", a64, sizeof(a64)), 0);
	build(dma_cell("dma"), &dma, b, NULL);
	assert_true(node("/dram-controller@1c62000/video-codec@1c0e000") >= 0);
	codec = fdt_path_offset(b, "/sunxi/video-codec@1c0e000");
	assert_int_equal(fdt_delprop(b, codec, "interconnects"), 0);
	assert_build_refused(dma_cell("dma"), b,
			     "dma: guest device tree: device /sunxi/video-codec@1c0e000: Linux on "
			     "this board takes the start of RAM off its DMA addresses, by its "
			     "compatible (the Allwinner MBUS quirk");
	assert_int_equal(fdt_setprop_string(b, 0, "compatible", "linux,dummy-virt"), 0);
	build(dma_cell("dma"), &dma, b, NULL);
	assert_int_equal(fdt_parent_offset(out, node("/video-codec@1c0e000")), 0);
	free(b);
}

/*
 * The RK3399-like board's /dma@a002000, on SMMU stream 0x9, with its DMA
 * through a "dma-mem" interconnect whose dma-ranges are <@child, @cpu,
 * 1 GiB>: its guest tree built, or -EINVAL.
 */
static int build_smmu_master_behind(uint64_t child, uint64_t cpu)
{
	const fdt64_t window[] = { cpu_to_fdt64(child), cpu_to_fdt64(cpu),
				   cpu_to_fdt64(0x40000000) };
	void *b = board_copy(&gic4);
	int ic = fdt_add_subnode(b, 0, "interconnect@1000"), ret;
	fdt32_t path[2] = { 0, cpu_to_fdt32(1) };

	assert_true(ic >= 0);
	assert_int_equal(fdt_setprop(b, ic, "dma-ranges", window, sizeof(window)), 0);
	assert_int_equal(fdt_setprop_u32(b, ic, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(b, ic, "#size-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(b, ic, "#interconnect-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(b, ic, "phandle", 0x9100), 0);
	path[0] = cpu_to_fdt32(0x9100);
	ic = fdt_path_offset(b, "/dma@a002000");
	assert_int_equal(fdt_setprop(b, ic, "interconnects", path, sizeof(path)), 0);
	ic = fdt_path_offset(b, "/dma@a002000");
	assert_int_equal(fdt_setprop_string(b, ic, "interconnect-names", "dma-mem"), 0);
	fake_log_reset();
	ret = guest_dt_build(gic4_dma_cell(), &gic4.plat, b, NULL, out, sizeof(out));
	free(b);
	return ret;
}

/*
 * A device the SMMU contains puts out IPAs, unoffset: a bus window that
 * offsets them is refused (the guest, seeing no IOMMU, would offset them);
 * one that only limits them reaches the guest. Before, the guest got the
 * offset and its device reached other IPAs than the driver meant.
 */
static void test_an_smmu_masters_offsetting_dma_window_is_refused(void **state)
{
	(void)state;
	assert_int_equal(build_smmu_master_behind(0, 0x40000000), -EINVAL);
	assert_logged(
		"beta: guest device tree: device /dma@a002000: /interconnect@1000 dma-ranges: "
		"bus address 0x0 is CPU 0x40000000, but the device's DMA goes through the "
		"SMMU (iommus)");
	assert_int_equal(build_smmu_master_behind(0x40000000, 0x40000000), 0);
	assert_dma_window("/interconnect@1000", 0x40000000, 0x40000000, 0x40000000);
}

static void test_dma_window_outside_the_parents_is_refused(void **state)
{
	(void)state;
	assert_build_refused(dma_cell("stray"), dma.fdt,
			     "stray: guest device tree: device /outer/stray/dma@2000: /outer/stray "
			     "dma-ranges: 0x20000000 is outside every entry of /outer dma-ranges, "
			     "so it has no CPU address");
}

/* A writable copy of the DMA board with @prop of @path set to @n cells of @cells. */
static void *dma_board_with(const char *path, const char *prop, const fdt32_t *cells, int n)
{
	void *b = board_copy(&dma);

	assert_int_equal(fdt_setprop(b, fdt_path_offset(b, path), prop, cells, 4 * n), 0);
	return b;
}

/*
 * /outer's first window is [0, 0x10000000): a window of /outer/stray's
 * starting at its end has no CPU address either; one ending there has.
 */
static void test_a_dma_window_at_the_end_of_the_parents_is_outside_it(void **state)
{
	const fdt32_t at_end[] = { 0, cpu_to_fdt32(0x10000000), cpu_to_fdt32(0x1000000) };
	const fdt32_t below_end[] = { 0, cpu_to_fdt32(0xf000000), cpu_to_fdt32(0x1000000) };
	void *b = dma_board_with("/outer/stray", "dma-ranges", at_end, 3);

	(void)state;
	assert_build_refused(dma_cell("stray"), b,
			     "stray: guest device tree: device /outer/stray/dma@2000: /outer/stray "
			     "dma-ranges: 0x10000000 is outside every entry of /outer dma-ranges, "
			     "so it has no CPU address");
	free(b);
	b = dma_board_with("/outer/stray", "dma-ranges", below_end, 3);
	build(dma_cell("stray"), &dma, b, NULL);
	free(b);
}

/*
 * /outer's first window is [0, 0x10000000) -> CPU 0: a window of
 * /outer/stray's from 0x8000000, 0x10000000 long, runs half past it. /outer
 * forwards the first half only (its next entry is at 0x80000000), so the
 * device reaches no further: the guest, which sees /stray alone, gets that
 * half, not the whole window.
 */
static void test_a_dma_window_running_past_its_parents_is_clipped_to_it(void **state)
{
	const fdt32_t past_end[] = { 0, cpu_to_fdt32(0x8000000), cpu_to_fdt32(0x10000000) };
	void *b = dma_board_with("/outer/stray", "dma-ranges", past_end, 3);

	(void)state;
	build(dma_cell("stray"), &dma, b, NULL);
	free(b);
	assert_dma_window("/stray", 0, 0x8000000, 0x8000000);
	assert_logged("W: stray: guest device tree: device /outer/stray/dma@2000: /outer/stray "
		      "dma-ranges: the window of 0x10000000 bytes at 0x8000000 on its parent bus "
		      "runs past what the buses above forward in one piece: the guest gets its "
		      "first 0x8000000 bytes, to CPU 0xfffffff");
}

/* One entry of /outer's dma-ranges (1 child, 2 parent, 1 size cells; all below 4 GiB). */
#define OUTER_ENTRY(child, cpu, size) cpu_to_fdt32(child), 0, cpu_to_fdt32(cpu), cpu_to_fdt32(size)

/* /outer/stray's window [0x8000000, 0x18000000) on a /outer of @n entries. */
static void build_stray_under_outer(const fdt32_t *outer, int n)
{
	const fdt32_t stray[] = { 0, cpu_to_fdt32(0x8000000), cpu_to_fdt32(0x10000000) };
	void *b = dma_board_with("/outer/stray", "dma-ranges", stray, 3);

	assert_int_equal(fdt_setprop(b, fdt_path_offset(b, "/outer"), "dma-ranges", outer, 16 * n),
			 0);
	build(dma_cell("stray"), &dma, b, NULL);
	free(b);
}

/*
 * /outer describes [0, 0x20000000) -> CPU 0 as two adjacent entries,
 * continuing in both bus and CPU addresses: /outer forwards the window of
 * /outer/stray's running from the first into the second whole, and the
 * guest gets it whole, without a warning.
 */
static void test_a_dma_window_across_adjacent_parent_entries_is_kept_whole(void **state)
{
	const fdt32_t outer[] = { OUTER_ENTRY(0, 0, 0x10000000),
				  OUTER_ENTRY(0x10000000, 0x10000000, 0x10000000) };

	(void)state;
	build_stray_under_outer(outer, 2);
	assert_dma_window("/stray", 0, 0x8000000, 0x10000000);
	assert_not_logged("runs past what the buses above forward");
}

/*
 * The same window starting in the second of three entries (listed out of
 * order) that continue one another in bus and CPU addresses: it runs on
 * through both that follow.
 */
static void test_a_dma_window_runs_on_through_every_continuing_parent_entry(void **state)
{
	const fdt32_t outer[] = { OUTER_ENTRY(0x10000000, 0x50000000, 0x8000000),
				  OUTER_ENTRY(0x4000000, 0x44000000, 0x6000000),
				  OUTER_ENTRY(0xa000000, 0x4a000000, 0x6000000) };

	(void)state;
	build_stray_under_outer(outer, 3);
	assert_dma_window("/stray", 0, 0x48000000, 0x10000000);
	assert_not_logged("runs past what the buses above forward");
}

/*
 * /outer's second entry continues its first in bus addresses but not in CPU
 * addresses (0x10000000 -> CPU 0x30000000): the guest's node has one entry
 * for the window, so it is clipped where the CPU addresses stop continuing.
 */
static void test_a_dma_window_is_clipped_where_the_cpu_addresses_stop_continuing(void **state)
{
	const fdt32_t outer[] = { OUTER_ENTRY(0, 0, 0x10000000),
				  OUTER_ENTRY(0x10000000, 0x30000000, 0x10000000) };

	(void)state;
	build_stray_under_outer(outer, 2);
	assert_dma_window("/stray", 0, 0x8000000, 0x8000000);
	assert_logged("W: stray: guest device tree: device /outer/stray/dma@2000: /outer/stray "
		      "dma-ranges: the window of 0x10000000 bytes at 0x8000000 on its parent bus "
		      "runs past what the buses above forward in one piece: the guest gets its "
		      "first 0x8000000 bytes, to CPU 0xfffffff");
}

static void test_malformed_or_long_dma_ranges_are_refused(void **state)
{
	const fdt32_t four[4] = { 0 }, five[5 * 4] = { 0 };
	void *b = dma_board_with("/emmc2bus", "dma-ranges", four, 4);

	(void)state;
	assert_build_refused(dma_cell("dma"), b,
			     "dma: guest device tree: device /emmc2bus/mmc@7e340000: /emmc2bus "
			     "dma-ranges: 16 bytes is not a whole number of entries of 2 + 2 + 1 "
			     "cells (1 or 2 each)");
	free(b);
	b = dma_board_with("/soc", "dma-ranges", five, 5 * 4);
	assert_build_refused(dma_cell("dma"), b,
			     "dma: guest device tree: device /soc/spi@7e204000: /soc dma-ranges: 5 "
			     "entries, more than the 4 a guest device tree carries");
	free(b);
}

/* /outer/inner renamed /outer/emmc2bus: two buses would need one node name. */
static void test_bus_node_named_like_another_guest_node_is_refused(void **state)
{
	struct layout_cell c = *dma_cell("dma");
	void *b = board_copy(&dma);

	(void)state;
	assert_int_equal(fdt_set_name(b, fdt_path_offset(b, "/outer/inner"), "emmc2bus"), 0);
	snprintf(c.devices[4].path, sizeof(c.devices[4].path), "/outer/emmc2bus/dma@1000");
	assert_build_refused(&c, b,
			     "dma: guest device tree: device /outer/emmc2bus/dma@1000: "
			     "/outer/emmc2bus dma-ranges: the guest already has a node named "
			     "\"emmc2bus\" for this bus to go in");
	free(b);
}

/* Region @region, seen by this cell at @ipa as member @member of "alpha", "beta". */
static struct layout_cell_shm shm_of(int region, int member, uint64_t ipa, uint64_t size,
				     bool writable, bool doorbell)
{
	struct layout_cell_shm v = { .region = region,
				     .member = member,
				     .writable = writable,
				     .doorbell = doorbell,
				     .ipa = ipa,
				     .pa = 0x58000000,
				     .size = size,
				     .nr_members = 2 };

	strcpy(v.members[0], "alpha");
	strcpy(v.members[1], "beta");
	v.member_cells[0] = 0;
	v.member_cells[1] = 1;
	return v;
}

static void assert_bytes_prop(const char *path, const char *name, const void *want, int n)
{
	int len;
	const void *p = prop(path, name, &len);

	if (len != n || memcmp(p, want, (size_t)n) != 0)
		fail_msg("%s %s: %d bytes, not the %d expected", path, name, len, n);
}

/*
 * docs/shm.md: one shm@<ipa> node per region the cell shares, under /, with
 * reg at the IPA, the doorbell as SPI (1000 + region - 32) edge rising, the
 * region and member numbers, the members' labels and read-only when so mapped.
 */
static void test_shared_memory_regions_become_shm_nodes_with_doorbell_spi(void **state)
{
	static const char doorbell_compat[] = "bulkhead,shm-doorbell\0bulkhead,shm";
	static const char members[] = "alpha\0beta";
	struct layout_cell c = *cell_of(TWO_CELLS, &v3, "alpha");
	const uint32_t reg0[] = { 0, 0x50000000, 0, 0x100000 };
	const uint32_t reg2[] = { 0x1, 0x20000000, 0, 0x10000 };
	const uint32_t irq0[] = { 0, 1000 - 32, 1 };

	(void)state;
	c.shm[0] = shm_of(0, 0, 0x50000000, 0x100000, true, true);
	c.shm[1] = shm_of(2, 1, 0x120000000, 0x10000, false, false);
	c.nr_shm = 2;
	for (int v = 2; v <= 3; v++) {
		const struct board *b = v == 3 ? &v3 : &v2;
		char name[64];

		build(&c, b, b->fdt, NULL);
		assert_int_equal(fdt_parent_offset(out, node("/shm@50000000")), 0);
		assert_bytes_prop("/shm@50000000", "compatible", doorbell_compat,
				  sizeof(doorbell_compat));
		assert_cells("/shm@50000000", "reg", reg0, 4);
		assert_cells("/shm@50000000", "interrupts", irq0, 3);
		assert_int_equal(cell_at("/shm@50000000", "bulkhead,region", 1, 0), 0);
		assert_int_equal(cell_at("/shm@50000000", "bulkhead,member", 1, 0), 0);
		assert_bytes_prop("/shm@50000000", "bulkhead,cells", members, sizeof(members));
		assert_false(has_prop("/shm@50000000", "read-only"));

		/* No doorbell: plain compatible, no interrupts; read-only member 1. */
		assert_string_prop("/shm@120000000", "compatible", "bulkhead,shm");
		assert_cells("/shm@120000000", "reg", reg2, 4);
		assert_false(has_prop("/shm@120000000", "interrupts"));
		assert_int_equal(cell_at("/shm@120000000", "bulkhead,region", 1, 0), 2);
		assert_int_equal(cell_at("/shm@120000000", "bulkhead,member", 1, 0), 1);
		assert_true(has_prop("/shm@120000000", "read-only"));

		snprintf(name, sizeof(name), "gicv%d-alpha-shm", v);
		dtc_round_trip(name);
	}
	/* A cell in no region has no shm node. */
	c.nr_shm = 0;
	build(&c, &v3, v3.fdt, NULL);
	assert_true(fdt_path_offset(out, "/shm@50000000") < 0);
}

/*
 * As Linux's of_dma_get_range(): the first bus up without dma-ranges ends
 * the search (no translation), even with one above it that has them:
 * /outer/stray without its own leaves its device at the root, not in a
 * node for /outer.
 */
static void test_a_bus_without_dma_ranges_stops_the_search_up(void **state)
{
	void *b = board_copy(&dma);

	(void)state;
	assert_int_equal(fdt_delprop(b, fdt_path_offset(b, "/outer/stray"), "dma-ranges"), 0);
	build(dma_cell("stray"), &dma, b, NULL);
	free(b);
	assert_int_equal(fdt_parent_offset(out, node("/dma@22002000")), 0);
	assert_true(fdt_path_offset(out, "/outer") < 0);
	assert_true(fdt_path_offset(out, "/stray") < 0);
}

/* /outer/inner, its device's reg and its dma-ranges with @ac address and @sc size cells. */
static void *inner_with_cells(uint32_t ac, uint32_t sc)
{
	fdt32_t reg[6] = { 0 }, ranges[8] = { 0 };
	void *b = board_copy(&dma);
	int inner = fdt_path_offset(b, "/outer/inner");

	reg[ac - 1] = cpu_to_fdt32(0x1000);
	reg[ac + sc - 1] = cpu_to_fdt32(0x100);
	ranges[ac - 1] = cpu_to_fdt32(0x10000000);
	ranges[ac] = cpu_to_fdt32(0x80000000);
	ranges[ac + sc] = cpu_to_fdt32(0x20000000);
	assert_int_equal(fdt_setprop_u32(b, inner, "#address-cells", ac), 0);
	assert_int_equal(fdt_setprop_u32(b, inner, "#size-cells", sc), 0);
	assert_int_equal(fdt_setprop(b, inner, "dma-ranges", ranges, 4 * (int)(ac + 1 + sc)), 0);
	inner = fdt_path_offset(b, "/outer/inner/dma@1000");
	assert_int_equal(fdt_setprop(b, inner, "reg", reg, 4 * (int)(ac + sc)), 0);
	return b;
}

/*
 * 1 or 2 cells for each field of an entry, what a window holds: a bus of
 * 2 size cells gets its window; one of 3 address cells, or 0 or 3 size
 * cells, is refused, said.
 */
static void test_dma_ranges_fields_of_1_or_2_cells_are_read_others_refused(void **state)
{
	static const struct {
		uint32_t ac, sc;
	} refused[] = { { 3, 1 }, { 1, 0 }, { 1, 3 } };
	void *b = inner_with_cells(1, 2);
	char msg[160];

	(void)state;
	build(dma_cell("dma"), &dma, b, NULL);
	free(b);
	assert_dma_window("/inner", 0x10000000, 0x40000000, 0x20000000);
	for (unsigned int i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		b = inner_with_cells(refused[i].ac, refused[i].sc);
		snprintf(msg, sizeof(msg),
			 "/outer/inner dma-ranges: %u bytes is not a whole number of entries of "
			 "%u + 1 + %u cells (1 or 2 each)",
			 4 * (refused[i].ac + 1 + refused[i].sc), refused[i].ac, refused[i].sc);
		assert_build_refused(dma_cell("dma"), b, msg);
		free(b);
	}
}

/* A bus above the device's whose dma-ranges are malformed refuses the device, said. */
static void test_malformed_dma_ranges_of_a_bus_above_are_refused(void **state)
{
	const fdt32_t five[5] = { 0 };
	void *b = dma_board_with("/outer", "dma-ranges", five, 5);

	(void)state;
	assert_build_refused(dma_cell("dma"), b,
			     "dma: guest device tree: device /outer/inner/dma@1000: /outer "
			     "dma-ranges: 20 bytes is not a whole number of entries of 1 + 2 + 1 "
			     "cells (1 or 2 each)");
	assert_int_equal(fake_log_count(LOG_ERR), 1); /* and nothing read from them */
	free(b);
}

/* 4 entries, as many as a guest device tree carries: each reaches the guest's /soc. */
static void test_four_dma_ranges_entries_all_reach_the_guest(void **state)
{
	fdt32_t four[4 * 4];
	void *b;

	(void)state;
	for (uint32_t i = 0; i < 4; i++) {
		four[4 * i] = cpu_to_fdt32(0xc0000000 + i * 0x1000000);
		four[4 * i + 1] = 0;
		four[4 * i + 2] = cpu_to_fdt32(i * 0x2000000);
		four[4 * i + 3] = cpu_to_fdt32(0x1000000);
	}
	b = dma_board_with("/soc", "dma-ranges", four, 4 * 4);
	build(dma_cell("dma"), &dma, b, NULL);
	free(b);
	for (uint32_t i = 0; i < 4; i++) {
		uint32_t want[] = { 0, 0xc0000000 + i * 0x1000000, 0, i * 0x2000000, 0, 0x1000000 };

		for (int k = 0; k < 6; k++)
			if (cell_at("/soc", "dma-ranges", 24, 6 * (int)i + k) != want[k])
				fail_msg("the guest's /soc dma-ranges entry %u cell %d is 0x%x, "
					 "not 0x%x",
					 i, k, cell_at("/soc", "dma-ranges", 24, 6 * (int)i + k),
					 want[k]);
	}
}

/*
 * /outer in 2 address cells, its first entry ending at the top of its bus
 * addresses (0xffffffff_f0000000 + 0x10000000 wraps to 0), its second at
 * bus 0 continuing it in CPU addresses: nothing follows the top of an
 * address space, so a window of /outer/stray's across it is clipped there,
 * not run on into bus 0.
 */
static void test_a_dma_window_at_the_top_of_a_bus_does_not_wrap_into_its_start(void **state)
{
	const fdt32_t outer_ranges[] = { 0, 0, 0, cpu_to_fdt32(0x22000000),
					 cpu_to_fdt32(0x1000000) };
	const fdt32_t outer_dma[] = { cpu_to_fdt32(0xffffffff),
				      cpu_to_fdt32(0xf0000000),
				      0,
				      cpu_to_fdt32(0x40000000),
				      cpu_to_fdt32(0x10000000),
				      0,
				      0,
				      0,
				      cpu_to_fdt32(0x50000000),
				      cpu_to_fdt32(0x10000000) };
	const fdt32_t stray_dma[] = { 0, cpu_to_fdt32(0xffffffff), cpu_to_fdt32(0xf8000000),
				      cpu_to_fdt32(0x10000000) };
	void *b = dma_board_with("/outer/stray", "dma-ranges", stray_dma, 4);
	int outer = fdt_path_offset(b, "/outer");

	(void)state;
	assert_int_equal(fdt_setprop_u32(b, outer, "#address-cells", 2), 0);
	outer = fdt_path_offset(b, "/outer");
	assert_int_equal(fdt_setprop(b, outer, "ranges", outer_ranges, sizeof(outer_ranges)), 0);
	outer = fdt_path_offset(b, "/outer");
	assert_int_equal(fdt_setprop(b, outer, "dma-ranges", outer_dma, sizeof(outer_dma)), 0);
	build(dma_cell("stray"), &dma, b, NULL);
	free(b);
	assert_dma_window("/stray", 0, 0x48000000, 0x8000000);
	assert_logged("runs past what the buses above forward in one piece: the guest gets its "
		      "first 0x8000000 bytes, to CPU 0x4fffffff");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_is_dummy_virt_with_gic_as_interrupt_parent),
		cmocka_unit_test(test_memory_node_per_region_in_layout_order),
		cmocka_unit_test(test_cpus_are_vcpu_indexes_started_by_psci),
		cmocka_unit_test(test_psci_is_hvc_with_1_0_compatible),
		cmocka_unit_test(test_gicv3_has_distributor_and_a_redistributor_per_vcpu),
		cmocka_unit_test(test_gicv2_has_distributor_and_cpu_interface_only),
		cmocka_unit_test(test_timer_ppis_use_qemu_flags_per_gic_version),
		cmocka_unit_test(test_virtual_console_is_stdout_and_serial0_with_clock),
		cmocka_unit_test(test_cell_without_console_has_no_uart_or_stdout),
		cmocka_unit_test(test_bootargs_only_when_the_layout_gives_them),
		cmocka_unit_test(test_initrd_range_only_when_an_initrd_is_given),
		cmocka_unit_test(test_assigned_pl031_is_copied_onto_guest_gic_and_clock),
		cmocka_unit_test(test_device_interrupt_parent_becomes_guest_gic),
		cmocka_unit_test(test_a_bus_devices_children_are_told_at_the_first_build_only),
		cmocka_unit_test(test_every_phandle_in_the_tree_is_the_guests_own),
		cmocka_unit_test(test_a_board_phandle_copied_unknowingly_names_no_guest_node),
		cmocka_unit_test(test_guest_phandles_lie_above_the_boards),
		cmocka_unit_test(test_board_phandles_without_room_after_them_are_refused),
		cmocka_unit_test(test_properties_naming_board_providers_are_dropped),
		cmocka_unit_test(test_clock_specifiers_with_arguments_become_fixed_clocks),
		cmocka_unit_test(test_unwalkable_clocks_become_one_fixed_clock_with_warning),
		cmocka_unit_test(test_a_devices_mdio_bus_and_phy_come_with_it),
		cmocka_unit_test(test_a_bus_devices_children_stay_out_with_a_warning),
		cmocka_unit_test(test_too_many_nodes_below_a_device_are_refused),
		cmocka_unit_test(test_nodes_nested_too_deep_below_a_device_are_refused),
		cmocka_unit_test(test_a_device_node_with_too_many_properties_is_refused),
		cmocka_unit_test(test_virtio_mmio_keeps_translated_reg_and_spi),
		cmocka_unit_test(test_a_4_cell_board_spec_is_given_to_the_guest_with_3),
		cmocka_unit_test(test_a_childs_4_cell_interrupts_do_not_reach_the_guest),
		cmocka_unit_test(test_two_devices_with_one_node_name_are_rejected),
		cmocka_unit_test(test_a_device_named_like_a_shared_memory_node_is_rejected),
		cmocka_unit_test(test_device_missing_from_board_is_rejected),
		cmocka_unit_test(test_tiny_buffer_is_enospc_naming_the_size),
		cmocka_unit_test(test_every_short_buffer_is_enospc_and_never_overrun),
		cmocka_unit_test(test_grown_tree_holds_no_stale_byte),
		cmocka_unit_test(test_install_ignores_a_header_written_under_it),
		cmocka_unit_test(test_a_cpu_lost_in_a_build_lets_the_build_lock_go),
		cmocka_unit_test(test_dtc_reads_every_generated_tree_without_warnings),
		cmocka_unit_test(test_shared_memory_regions_become_shm_nodes_with_doorbell_spi),
		cmocka_unit_test(test_soc_dma_ranges_become_a_simple_bus_node_in_guest_cells),
		cmocka_unit_test(test_emmc2bus_dma_ranges_are_rewritten_in_two_cells),
		cmocka_unit_test(test_a_coherent_buses_devices_stay_coherent),
		cmocka_unit_test(test_the_pcie_host_is_dma_coherent_only_as_the_boards_is),
		cmocka_unit_test(test_pcie_interrupt_map_names_only_the_functions_routed_intx),
		cmocka_unit_test(test_the_guests_pcie_host_reaches_the_bus_of_its_last_function),
		cmocka_unit_test(test_nested_dma_ranges_are_composed_up_to_the_root),
		cmocka_unit_test(test_dma_window_goes_up_through_a_bus_without_dma_ranges),
		cmocka_unit_test(test_devices_without_dma_translation_stay_at_the_root),
		cmocka_unit_test(test_a_dma_mem_interconnect_translates_its_devices_dma),
		cmocka_unit_test(test_a_dma_mem_interconnect_gives_its_coherence),
		cmocka_unit_test(test_dma_mem_interconnects_in_a_circle_are_refused),
		cmocka_unit_test(test_a_device_linux_offsets_by_compatible_is_refused),
		cmocka_unit_test(test_an_smmu_masters_offsetting_dma_window_is_refused),
		cmocka_unit_test(test_bus_nodes_come_where_their_first_device_does),
		cmocka_unit_test(test_dma_window_outside_the_parents_is_refused),
		cmocka_unit_test(test_a_dma_window_at_the_end_of_the_parents_is_outside_it),
		cmocka_unit_test(test_a_dma_window_running_past_its_parents_is_clipped_to_it),
		cmocka_unit_test(test_a_dma_window_across_adjacent_parent_entries_is_kept_whole),
		cmocka_unit_test(test_a_dma_window_runs_on_through_every_continuing_parent_entry),
		cmocka_unit_test(
			test_a_dma_window_is_clipped_where_the_cpu_addresses_stop_continuing),
		cmocka_unit_test(test_malformed_or_long_dma_ranges_are_refused),
		cmocka_unit_test(test_bus_node_named_like_another_guest_node_is_refused),
		cmocka_unit_test(test_a_bus_without_dma_ranges_stops_the_search_up),
		cmocka_unit_test(test_dma_ranges_fields_of_1_or_2_cells_are_read_others_refused),
		cmocka_unit_test(test_malformed_dma_ranges_of_a_bus_above_are_refused),
		cmocka_unit_test(test_four_dma_ranges_entries_all_reach_the_guest),
		cmocka_unit_test(
			test_a_dma_window_at_the_top_of_a_bus_does_not_wrap_into_its_start),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
