// SPDX-License-Identifier: GPL-2.0-only
/*
 * The partition layout parser and validator (partitions/layout*.c) against
 * QEMU virt's own DTB: the example layouts in configs/qemu-virt parse to the
 * expected struct, every .dts in tests/layouts/bad is rejected with the message
 * its first line promises, and arbitrary corruption never crashes the parser.
 * Layout DTBs come from tools/tools.mk (build/layouts, or $BULKHEAD_LAYOUT_DIR).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "fake_log.h"
#include "layout.h"
#include "platform.h"
#include "unit_dtb.h"

#ifndef LAYOUT_DTB_DIR
#define LAYOUT_DTB_DIR "build/layouts"
#endif
#define BAD_DTS_DIR "tests/layouts/bad"
#define BOARD_DTB   "virt-gicv3-smmuv3.dtb"

static struct platform plat;
static struct layout layout;
static void *board;

static const char *layout_dir(void)
{
	const char *env = getenv("BULKHEAD_LAYOUT_DIR");

	return env && env[0] ? env : LAYOUT_DTB_DIR;
}

/* Read @rel under the layout DTB directory into a buffer with @extra spare bytes. */
static void *load_layout(const char *rel, size_t extra)
{
	char path[512];
	FILE *f;
	long n;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s", layout_dir(), rel);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (make -f tools/tools.mk layout-dtbs)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + extra);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (extra)
		assert_int_equal(fdt_open_into(buf, buf, (int)((size_t)n + extra)), 0);
	return buf;
}

/* A copy of board DTB @src with @extra spare bytes, for a test to change. */
static void *board_copy_of(const void *src, size_t extra)
{
	size_t size = fdt_totalsize(src) + extra;
	void *b = malloc(size);

	assert_non_null(b);
	assert_int_equal(fdt_open_into(src, b, (int)size), 0);
	return b;
}

/* The same of QEMU virt's DTB. */
static void *board_copy(size_t extra)
{
	return board_copy_of(board, extra);
}

/* @b's UART, the hypervisor's console, moved from SPI 1 (INTID 33) to SPI 50. */
static void move_uart_to_spi50(void *b)
{
	fdt32_t spi50[3] = { cpu_to_fdt32(0), cpu_to_fdt32(50), cpu_to_fdt32(4) };

	assert_int_equal(fdt_setprop(b, fdt_path_offset(b, "/pl011@9000000"), "interrupts", spi50,
				     sizeof(spi50)),
			 0);
}

static int setup_board(void **state)
{
	(void)state;
	board = unit_dtb_load(BOARD_DTB);
	fake_log_reset();
	assert_int_equal(platform_discover(board, &plat), 0);
	fake_log_reset();
	return 0;
}

static int teardown_board(void **state)
{
	(void)state;
	free(board);
	board = NULL;
	return 0;
}

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

/* The first line of a bad layout: "/ * expect: <text> * /". */
static int read_expect(const char *dts, char *out, size_t size)
{
	char path[512], line[512];
	FILE *f;
	char *start, *end;

	snprintf(path, sizeof(path), "%s/%s", BAD_DTS_DIR, dts);
	f = fopen(path, "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		return -1;
	}
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
	int ret;

	if (read_expect(dts, expect, sizeof(expect)) < 0) {
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

/* two-cells with the board's PL031 (beta's) wired to @irq: layout_parse()'s result. */
static int parse_with_pl031_wired_to(const fdt32_t irq[3])
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 0);
	void *b = board_copy(1024);
	int ret;

	assert_int_equal(fdt_setprop(b, fdt_path_offset(b, "/pl031@9010000"), "interrupts", irq,
				     3 * sizeof(fdt32_t)),
			 0);
	fake_log_reset();
	ret = layout_parse(fdt, b, &plat, &layout);
	free(b);
	free(fdt);
	return ret;
}

/* ... refused, with one error, @expect. */
static void check_pl031_wired_to(const fdt32_t irq[3], const char *expect)
{
	assert_true(parse_with_pl031_wired_to(irq) < 0);
	assert_logged(expect);
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/* ... to SPI @spi, taken. */
static void check_pl031_on_spi_is_accepted(uint32_t spi)
{
	fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(spi), cpu_to_fdt32(4) };

	if (parse_with_pl031_wired_to(irq))
		fail_msg("a device on SPI %u (INTID %u) refused:\n%s", spi, spi + 32,
			 fake_log_text());
}

static void test_device_with_ppi_is_rejected(void **state)
{
	fdt32_t ppi[3] = { cpu_to_fdt32(1), cpu_to_fdt32(5), cpu_to_fdt32(4) };

	(void)state;
	check_pl031_wired_to(ppi, "layout: /bulkhead/cell@1: devices: /pl031@9010000 uses PPI 5");
}

/*
 * SPIs are INTIDs 32-1019 (GICv3 IHI 0069, 2.2): SPI 988 would be INTID 1020,
 * a special INTID, which no cell's vGIC can own. QEMU virt's GIC has 288
 * lines, so only a board edited here carries one.
 */
static void test_a_device_spi_past_intid_1019_is_rejected(void **state)
{
	fdt32_t spi[3] = { cpu_to_fdt32(0), cpu_to_fdt32(988), cpu_to_fdt32(4) };

	(void)state;
	check_pl031_wired_to(spi, "layout: /bulkhead/cell@1: devices: /pl031@9010000: interrupt "
				  "<0 988> is not a GIC SPI");
	check_pl031_on_spi_is_accepted(987);
}

/*
 * INTIDs 1000-1007 are the shared-memory doorbells in every cell's vGIC: a
 * device wired there would share its cell's INTID with a doorbell. QEMU
 * virt's GIC has 288 lines, so only a board edited here reaches the check.
 */
static void test_a_device_spi_on_a_doorbell_intid_is_rejected(void **state)
{
	fdt32_t spi[3] = { cpu_to_fdt32(0), cpu_to_fdt32(LAYOUT_SHM_DOORBELL_INTID - 32),
			   cpu_to_fdt32(4) };

	(void)state;
	check_pl031_wired_to(spi, "layout: /bulkhead/cell@1: devices: /pl031@9010000: interrupt "
				  "INTID 1000 is reserved for shared-memory doorbells (INTIDs "
				  "1000-1007)");
}

/* The last doorbell INTID is one too; the INTID after it is a device's like any other. */
static void test_the_doorbell_intids_end_at_the_last_doorbell(void **state)
{
	uint32_t last = LAYOUT_SHM_DOORBELL_INTID + LAYOUT_MAX_SHM - 1;
	fdt32_t spi[3] = { cpu_to_fdt32(0), cpu_to_fdt32(last - 32), cpu_to_fdt32(4) };

	(void)state;
	check_pl031_wired_to(spi, "layout: /bulkhead/cell@1: devices: /pl031@9010000: interrupt "
				  "INTID 1007 is reserved for shared-memory doorbells (INTIDs "
				  "1000-1007)");
	check_pl031_on_spi_is_accepted(last + 1 - 32);
}

/*
 * The same of a PCI function's INTx line (the host's interrupt-map puts slot
 * 1's INTA# on SPI 968 here): said under pci-devices, of the function. Before,
 * it was said under devices, of no device.
 */
static void test_a_pci_intx_line_on_a_doorbell_intid_is_rejected_as_the_functions(void **state)
{
	static struct platform moved;
	void *src = unit_dtb_load("board-virt-sids.dtb");
	void *b = board_copy_of(src, 256);
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	int pcie = fdt_path_offset(b, "/pcie@10000000");
	int gic = fdt_path_offset(b, "/intc@8000000");
	const fdt32_t map[10] = { cpu_to_fdt32(0x800),
				  0,
				  0,
				  cpu_to_fdt32(1),
				  cpu_to_fdt32(fdt_get_phandle(b, gic)),
				  0,
				  0,
				  0,
				  cpu_to_fdt32(LAYOUT_SHM_DOORBELL_INTID - 32),
				  cpu_to_fdt32(4) };

	(void)state;
	free(src);
	assert_int_equal(fdt_setprop(b, pcie, "interrupt-map", map, sizeof(map)), 0);
	assert_int_equal(platform_discover(b, &moved), 0);
	for (int i = 0; i < 2; i++)
		fdt_delprop(fdt, fdt_path_offset(fdt, i ? "/bulkhead/cell@1" : "/bulkhead/cell@0"),
			    "devices");
	assert_int_equal(fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"),
					 "pci-devices", 0x0008),
			 0);
	fake_log_reset();
	assert_true(layout_parse(fdt, b, &moved, &layout) < 0);
	assert_logged("layout: /bulkhead/cell@0: pci-devices: BDF 0x0008: its INTx line (INTID "
		      "1000) is reserved for shared-memory doorbells (INTIDs 1000-1007)");
	assert_not_logged(": devices: ");
	free(fdt);
	free(b);
}

/* Beta's PL031 given property @prop (@len bytes of @val): the layout is refused with @msg. */
static void check_pl031_with(const char *prop, const void *val, int len, const char *msg)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 0);
	void *b = board_copy(1024);

	assert_int_equal(fdt_setprop(b, fdt_path_offset(b, "/pl031@9010000"), prop, val, len), 0);
	fake_log_reset();
	assert_true(layout_parse(fdt, b, &plat, &layout) < 0);
	assert_logged(msg);
	free(b);
	free(fdt);
}

/*
 * An IOMMU Bulkhead does not drive (a second SMMUv3, an SMMU-500) writes its
 * queues and MSIs where the cell says and translates other devices' DMA.
 */
static void test_an_iommu_is_not_a_cell_device(void **state)
{
	const fdt32_t one = cpu_to_fdt32(1);

	(void)state;
	check_pl031_with("#iommu-cells", &one, sizeof(one),
			 "layout: /bulkhead/cell@1: devices: /pl031@9010000 is an IOMMU "
			 "(#iommu-cells): it writes and walks memory at physical addresses and "
			 "translates other devices' DMA");
}

/* An MSI controller outside the GIC (a PCIe host's own) serves every cell's devices. */
static void test_msi_controller_is_not_a_cell_device(void **state)
{
	(void)state;
	check_pl031_with("msi-controller", NULL, 0,
			 "layout: /bulkhead/cell@1: devices: /pl031@9010000 is an MSI controller");
}

/*
 * PCI functions on a board without an SMMU DMA at the IPAs the guest programs:
 * unprotected-dma accepts that only in an identity-mapped cell.
 */
static void test_unprotected_pci_in_a_cell_whose_ipa_is_not_its_pa_is_rejected(void **state)
{
	static struct platform nosmmu;
	void *b = unit_dtb_load("virt-gicv3.dtb");
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	int beta = fdt_path_offset(fdt, "/bulkhead/cell@1");

	(void)state;
	assert_int_equal(platform_discover(b, &nosmmu), 0);
	assert_int_equal(fdt_setprop_u32(fdt, beta, "pci-devices", 0x0018), 0);
	assert_int_equal(fdt_setprop(fdt, beta, "unprotected-dma", NULL, 0), 0);
	fake_log_reset();
	assert_true(layout_parse(fdt, b, &nosmmu, &layout) < 0);
	assert_logged("layout: /bulkhead/cell@1: memory: IPA 0x40000000 -> PA 0x4c000000 is not "
		      "identity-mapped, but the cell's DMA is not contained (unprotected-dma)");
	free(fdt);
	free(b);
}

static void test_spi_shared_by_devices_of_two_cells_is_rejected(void **state)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	void *b = board_copy(1024);
	fdt32_t spi[3] = { cpu_to_fdt32(0), cpu_to_fdt32(2), cpu_to_fdt32(4) };

	(void)state;
	assert_int_equal(fdt_setprop(b, fdt_path_offset(b, "/virtio_mmio@a000000"), "interrupts",
				     spi, sizeof(spi)),
			 0);
	assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"),
					    "devices", "/virtio_mmio@a000000"),
			 0);
	fake_log_reset();
	assert_true(layout_parse(fdt, b, &plat, &layout) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl031@9010000: interrupt INTID 34 "
		      "already belongs to /virtio_mmio@a000000 of cell \"alpha\" (an SPI is routed "
		      "to one cell)");
	free(b);
	free(fdt);
}

/* In two-cells @fdt: alpha's devices @alpha_dev and PCI function @alpha_pci, beta's the same. */
static void give_cells(void *fdt, const char *alpha_dev, uint32_t alpha_pci, const char *beta_dev,
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

/*
 * two-cells with alpha given @alpha_dev and PCI function @alpha_pci, beta
 * @beta_dev and @beta_pci (0: none), and the board's nodes @wired (NULL-ended)
 * moved to INTID @intid: layout_parse()'s result. On QEMU virt's board slot
 * 1's INTA# (BDF 0x0008) is INTID 36.
 */
static int parse_with_wired(const char *alpha_dev, uint32_t alpha_pci, const char *beta_dev,
			    uint32_t beta_pci, const char *const *wired, uint32_t intid)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	void *b = board_copy(1024);
	fdt32_t spi[3] = { cpu_to_fdt32(0), cpu_to_fdt32(intid - 32), cpu_to_fdt32(4) };
	int ret;

	for (; *wired; wired++)
		assert_int_equal(
			fdt_setprop(b, fdt_path_offset(b, *wired), "interrupts", spi, sizeof(spi)),
			0);
	give_cells(fdt, alpha_dev, alpha_pci, beta_dev, beta_pci);
	fake_log_reset();
	ret = layout_parse(fdt, b, &plat, &layout);
	free(b);
	free(fdt);
	return ret;
}

static const char *const pl031_only[] = { "/pl031@9010000", NULL };
static const char *const pl031_and_virtio[] = { "/pl031@9010000", "/virtio_mmio@a000000", NULL };

/* A device on the INTx line of another cell's PCI function, either way round: one error. */
static void test_a_device_on_another_cells_intx_line_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_with_wired(NULL, 0x0008, "/pl031@9010000", 0, pl031_only, 36) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl031@9010000: INTID 36 is the INTx "
		      "line of BDF 0x0008 of cell \"alpha\"");
	assert_int_equal(fake_log_count(LOG_ERR), 1);

	assert_true(parse_with_wired("/pl031@9010000", 0, NULL, 0x0008, pl031_only, 36) < 0);
	assert_logged("layout: /bulkhead/cell@1: pci-devices: BDF 0x0008: its INTx line (INTID "
		      "36) belongs to device /pl031@9010000 of cell \"alpha\"");
	assert_int_equal(fake_log_count(LOG_ERR), 1);

	/* On another line than the function's, both are taken. */
	assert_int_equal(parse_with_wired(NULL, 0x0008, "/pl031@9010000", 0, pl031_only, 37), 0);
	assert_int_equal(parse_with_wired("/pl031@9010000", 0, NULL, 0x0008, pl031_only, 37), 0);
}

/*
 * A cell's SPIs (the lines its vGIC takes from the board's GIC) are its
 * devices' then its PCI functions' INTx lines, each once: beta's PL031 on
 * INTID 34, BDF 0x0008 on 36 and 0x0010 on 37; then the PL031 moved onto 36.
 */
static void test_a_cells_spis_are_its_devices_and_intx_lines_each_once(void **state)
{
	const struct layout_cell *beta = &layout.cells[1];
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	const fdt32_t bdfs[2] = { cpu_to_fdt32(0x0008), cpu_to_fdt32(0x0010) };
	int ret;

	(void)state;
	assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@1"), "pci-devices",
				     bdfs, sizeof(bdfs)),
			 0);
	fake_log_reset();
	ret = layout_parse(fdt, board, &plat, &layout);
	free(fdt);
	if (ret)
		fail_msg("refused:\n%s", fake_log_text());
	assert_int_equal(beta->nr_irqs, 3);
	assert_int_equal(beta->irqs[0], 34);
	assert_int_equal(beta->irqs[1], 36);
	assert_int_equal(beta->irqs[2], 37);
	if (parse_with_wired(NULL, 0, "/pl031@9010000", 0x0008, pl031_only, 36))
		fail_msg("refused:\n%s", fake_log_text());
	assert_int_equal(beta->nr_irqs, 1);
	assert_int_equal(beta->irqs[0], 36);
}

/*
 * Alpha given @n of QEMU virt's virtio-mmio devices, each moved to 8 SPIs
 * of its own (INTIDs 132 on, clear of the SMMU's) and made no DMA master
 * (no dma-coherent, not "virtio,mmio"): layout_parse()'s result.
 */
static int parse_with_virtios_of_8_spis(int n)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 512);
	void *b = board_copy(4096);
	char devs[8 * 24];
	int len = 0, ret;

	for (int d = 0; d < n; d++) {
		fdt32_t spis[8 * 3];
		char *path = devs + len;
		int node;

		len += snprintf(path, sizeof(devs) - (size_t)len, "/virtio_mmio@a%06x", d * 0x200) +
		       1;
		node = fdt_path_offset(b, path);
		fdt_delprop(b, node, "dma-coherent");
		assert_int_equal(fdt_setprop_string(b, node, "compatible", "test,mmio"), 0);
		for (int k = 0; k < 8; k++) {
			spis[3 * k] = cpu_to_fdt32(0);
			spis[3 * k + 1] = cpu_to_fdt32((uint32_t)(100 + 8 * d + k));
			spis[3 * k + 2] = cpu_to_fdt32(4);
		}
		assert_int_equal(fdt_setprop(b, node, "interrupts", spis, sizeof(spis)), 0);
	}
	assert_int_equal(
		fdt_setprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"), "devices", devs, len),
		0);
	fake_log_reset();
	ret = layout_parse(fdt, b, &plat, &layout);
	free(b);
	free(fdt);
	return ret;
}

/* A cell's vGIC takes 32 SPIs (LAYOUT_MAX_IRQS): 4 devices of 8 fit, a fifth is refused. */
static void test_a_cell_of_more_than_32_spis_is_rejected(void **state)
{
	(void)state;
	if (parse_with_virtios_of_8_spis(4))
		fail_msg("32 SPIs refused:\n%s", fake_log_text());
	assert_int_equal(layout.cells[0].nr_irqs, LAYOUT_MAX_IRQS);
	assert_true(parse_with_virtios_of_8_spis(5) < 0);
	assert_logged("layout: /bulkhead/cell@0: devices: more than 32 interrupts");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/*
 * Devices of both cells on one INTx line: the line is check_intx_between()'s
 * to report, not also as an SPI; devices sharing a line that is no INTx line
 * are an SPI in two cells however many PCI functions either cell has (the
 * virtio device's DMA without an SMMU is refused too).
 */
static void test_devices_sharing_an_spi_are_told_apart_from_intx_lines(void **state)
{
	(void)state;
	assert_true(parse_with_wired("/virtio_mmio@a000000", 0x0008, "/pl031@9010000", 0,
				     pl031_and_virtio, 36) < 0);
	assert_logged("INTID 36 is the INTx line of BDF 0x0008 of cell \"alpha\"");
	assert_not_logged("an SPI is routed to one cell");

	assert_true(parse_with_wired("/virtio_mmio@a000000", 0x0008, "/pl031@9010000", 0x0010,
				     pl031_and_virtio, 34) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl031@9010000: interrupt INTID 34 "
		      "already belongs to /virtio_mmio@a000000 of cell \"alpha\" (an SPI is routed "
		      "to one cell)");
}

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
/* Layout @fdt parsed on board @b, which discovery accepts quietly; both freed. */
static int parse_and_free(void *fdt, void *b)
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
 * two-cells.dts with a shared-memory region of alpha and beta (2 MiB at PA
 * 0x41000000, IPA 0x50000000); its node's offset in @shm.
 */
static void *two_cells_with_shm(int *shm)
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

/* Under @b's root, node @bus (2 address and 2 size cells, ranges empty) with child @child at @reg.
 */
static int add_bus_child(void *b, const char *bus, const char *child, const fdt32_t reg[4])
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
 * The identity map unprotected-dma demands reads the layout alone: the
 * checker without a board must not pass a cell the boot's DMA would escape.
 */
static void test_without_board_unprotected_dma_still_needs_the_identity_map(void **state)
{
	void *fdt = load_layout("bad/unprotected-dma-declared-not-identity.dtb", 0);

	(void)state;
	fake_log_reset();
	assert_true(layout_parse(fdt, NULL, NULL, &layout) < 0);
	assert_logged("layout: /bulkhead/cell@0: memory: IPA 0x40000000 -> PA 0x48000000 is not "
		      "identity-mapped, but the cell's DMA is not contained (unprotected-dma)");
	free(fdt);
}

/*
 * two-cells.dts on board-virt-sids.dts (tests/unit/dts): alpha and beta get
 * @alpha_dev / @beta_dev (NULL: none) and the PCI function @alpha_pci /
 * @beta_pci (0: none). Streams: dma@a000000 and dma@a001000 0x8, dma@a002000
 * 0x9, a function its RID (iommu-map 1:1). Returns layout_parse()'s result.
 */
static int parse_on_board(const char *board_dtb, const char *alpha_dev, uint32_t alpha_pci,
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

static int parse_on_sid_board(const char *alpha_dev, uint32_t alpha_pci, const char *beta_dev,
			      uint32_t beta_pci)
{
	return parse_on_board("board-virt-sids.dtb", alpha_dev, alpha_pci, beta_dev, beta_pci);
}

/*
 * A device the board's tree does not enable: its firmware left it off (its
 * clocks, pins or power may not be set up) or found it broken, and the
 * cell's kernel would not probe a node so copied. Refused, naming the node
 * and its status, not passed on silently.
 */
static void test_a_device_the_board_does_not_enable_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-disabled-device.dtb", NULL, 0, "/dma@a001000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /dma@a001000: status = \"disabled\" "
		      "in the board's device tree: the board does not enable it (usually its "
		      "firmware did not set up its clocks, pins or power) and the cell's kernel "
		      "would not probe it; enable it in the board's tree (status = \"okay\") or "
		      "leave it out of devices");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_true(parse_on_board("board-disabled-device.dtb", NULL, 0, "/dma@a002000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /dma@a002000: status = \"fail\" in the "
		      "board's device tree");
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
 * Below an interrupt nexus (interrupt-map) a device's specifiers are the
 * nexus's: the root's interrupt-parent, the GIC, is not theirs. Bulkhead
 * does not translate them: refused, naming the nexus. Before, the 1-cell
 * one was "not 3-cell specifiers of the board's GIC", and the 3-cell one
 * was given SPI 5 (INTID 37), which the nexus maps to SPI 45.
 */
static void test_a_device_below_an_interrupt_nexus_is_rejected_naming_it(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-irq-nexus.dtb", NULL, 0, "/motherboard@c000000/rtc@1000",
				   0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /motherboard@c000000/rtc@1000: its "
		      "interrupts go through the interrupt nexus /motherboard@c000000 "
		      "(interrupt-map), which Bulkhead does not translate: which GIC SPIs they "
		      "arrive as is unknown, and the cell would be given the wrong ones");
	assert_not_logged("3-cell");
	if (parse_on_board("board-irq-nexus.dtb", NULL, 0, "/bus@c100000/dma@1000", 0) == 0)
		fail_msg("/bus@c100000/dma@1000 accepted with INTID %u",
			 layout.cells[1].devices[0].irqs[0]);
	assert_logged("layout: /bulkhead/cell@1: devices: /bus@c100000/dma@1000: its interrupts "
		      "go through the interrupt nexus /bus@c100000 (interrupt-map)");
	/* A device of the same board on the GIC itself is not affected. */
	assert_int_equal(parse_on_board("board-irq-nexus.dtb", NULL, 0, "/dma@a002000", 0), 0);
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

/*
 * A GICv3 with #interrupt-cells = <4> (PPI partitions; Debian's RK3399
 * trees): a device's SPI <0 18 4 0> and a PCI function's INTx line are
 * the cell's, as with 3 cells. Before, every device with an interrupt and
 * every INTx line was refused: "only 3-cell GIC specifiers are supported".
 */
static void test_a_4_cell_gic_spec_gives_the_cell_its_spi(void **state)
{
	(void)state;
	assert_int_equal(parse_on_board("board-gic-4-cells.dtb", NULL, 0x0008, "/dma@a002000", 0),
			 0);
	assert_int_equal(layout.cells[1].devices[0].nr_irqs, 1);
	assert_int_equal(layout.cells[1].devices[0].irqs[0], 32 + 18);
	assert_int_equal(layout.cells[1].devices[0].irq_cells, 4);
	assert_int_equal(layout.cells[0].pci_intx[0], 32 + 4);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/*
 * A PPI of a PPI partition (the 4th cell names it) is per-CPU: refused,
 * naming the partition. An SPI whose 4th cell is not 0 breaks the binding:
 * refused as a tree error, not read as an SPI.
 */
static void test_a_4_cell_gic_ppi_or_spi_with_a_partition_is_refused(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-gic-4-cells.dtb", NULL, 0, "/ppi@a003000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /ppi@a003000 uses PPI 7 of the PPI "
		      "partition /intc@8000000/ppi-partitions/interrupt-partition-0 (its 4th "
		      "cell), a per-CPU interrupt of that partition's CPUs that cannot be given "
		      "to a cell");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_true(parse_on_board("board-gic-4-cells.dtb", NULL, 0, "/bad-spi@a004000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /bad-spi@a004000: interrupt <0 19 ...>: "
		      "its 4th cell is 0x");
	assert_logged("where an SPI's must be 0 (it names a PPI partition, arm,gic-v3 binding): a "
		      "board device tree error");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
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
 * A device whose interrupts go to another controller (a GPIO block) or to
 * no node at all is refused for that reason. Before, both were "not 3-cell
 * specifiers of the board's GIC", which sent the user to the specifiers.
 */
static void test_a_device_whose_interrupts_miss_the_gic_is_rejected_saying_why(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-irq-nexus.dtb", NULL, 0, "/button@c201000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /button@c201000: its interrupts go to "
		      "/gpio@c200000, not to the board's GIC: a cell is given GIC SPIs only");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_true(parse_on_board("board-irq-nexus.dtb", NULL, 0, "/orphan@c202000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /orphan@c202000: an interrupt-parent "
		      "on its way up names no node of the board");
	assert_not_logged("3-cell");
	/* Behind a 3-cell controller stacked on the GIC, the specifier is the GIC's. */
	assert_int_equal(parse_on_board("board-irq-nexus.dtb", NULL, 0, "/timer@c205000", 0), 0);
	assert_int_equal(layout.cells[1].devices[0].nr_irqs, 1);
	assert_int_equal(layout.cells[1].devices[0].irqs[0], 32 + 48);
}

/*
 * two-cells.dts with beta given /bus@c000000/rtc@@off instead of the PL031,
 * on QEMU virt's board plus that bus: 1 address and 1 size cell, ranges
 * <child parent-hi parent-lo size> @ranges, status @status (NULL: none); the
 * RTC's reg <@off @size>. Returns layout_parse()'s result.
 */
static int parse_bus_device(const char *status, const uint32_t ranges[4], uint32_t off,
			    uint32_t size)
{
	const fdt32_t reg[2] = { cpu_to_fdt32(off), cpu_to_fdt32(size) };
	fdt32_t r[4];
	char name[32], path[64];
	void *b = board_copy(1024);
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	int bus = fdt_add_subnode(b, 0, "bus@c000000"), node;

	for (int i = 0; i < 4; i++)
		r[i] = cpu_to_fdt32(ranges[i]);
	assert_true(bus >= 0);
	assert_int_equal(fdt_setprop_string(b, bus, "compatible", "simple-bus"), 0);
	assert_int_equal(fdt_setprop_u32(b, bus, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(b, bus, "#size-cells", 1), 0);
	assert_int_equal(fdt_setprop(b, bus, "ranges", r, sizeof(r)), 0);
	if (status)
		assert_int_equal(fdt_setprop_string(b, bus, "status", status), 0);
	snprintf(name, sizeof(name), "rtc@%x", off);
	node = fdt_add_subnode(b, bus, name);
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop(b, node, "reg", reg, sizeof(reg)), 0);
	snprintf(path, sizeof(path), "/bus@c000000/%s", name);
	assert_int_equal(
		fdt_setprop_string(fdt, fdt_path_offset(fdt, "/bulkhead/cell@1"), "devices", path),
		0);
	return parse_and_free(fdt, b);
}

/* QEMU virt's platform bus window: bus 0x0 is CPU 0xc000000, 32 MiB. */
static const uint32_t platform_bus[4] = { 0x0, 0x0, 0x0c000000, 0x02000000 };

/*
 * Linux populates no device below a bus the board does not enable: the
 * cell would own MMIO and interrupts its kernel never probes, as with a
 * disabled node of its own. Refused, naming the bus.
 */
static void test_a_device_below_a_disabled_bus_is_rejected(void **state)
{
	(void)state;
	if (parse_bus_device(NULL, platform_bus, 0x1000, 0x1000))
		fail_msg("the RTC on an enabled bus was refused:\n%s", fake_log_text());
	assert_true(parse_bus_device("disabled", platform_bus, 0x1000, 0x1000) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /bus@c000000/rtc@1000: the bus above "
		      "it, /bus@c000000, has status = \"disabled\" in the board's device tree");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/*
 * A bus window says where its children's addresses reach the CPU; MMIO past
 * its end is not behind that bus at all, and giving it to the cell would
 * hand over whatever lies there. The whole region must fit one window.
 */
static void test_a_device_reaching_past_its_bus_window_is_rejected(void **state)
{
	static const uint32_t window_8k[4] = { 0x0, 0x0, 0x0c000000, 0x2000 };

	(void)state;
	if (parse_bus_device(NULL, window_8k, 0x1000, 0x1000))
		fail_msg("the RTC inside its bus window was refused:\n%s", fake_log_text());
	assert_true(parse_bus_device(NULL, window_8k, 0x1000, 0x2000) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /bus@c000000/rtc@1000: reg does not fit "
		      "one window of its bus's ranges, or wraps once translated");
}

/* A window near the top of the address space: the translated region must not wrap to 0. */
static void test_a_device_whose_translation_wraps_is_rejected(void **state)
{
	static const uint32_t top[4] = { 0x0, 0xffffffff, 0xfffff000, 0x2000000 };

	(void)state;
	assert_true(parse_bus_device(NULL, top, 0x1000, 0x1000) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /bus@c000000/rtc@1000: reg does not fit "
		      "one window of its bus's ranges, or wraps once translated");
}

/*
 * Bulkhead drives the first SMMUv3; the PCIe host is behind the second: the
 * function's STE would go into the wrong SMMU and its DMA be left uncontained.
 */
static void test_a_pci_function_behind_an_smmu_bulkhead_does_not_drive_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-two-smmus.dtb", NULL, 0x0008, NULL, 0) < 0);
	assert_logged("layout: /bulkhead/cell@0: pci-devices: BDF 0x0008: the PCIe host's "
		      "iommu-map sends its DMA through /smmuv3@9070000, not /smmuv3@9050000, the "
		      "SMMUv3 Bulkhead drives");
}

/*
 * A function on a bus the host does not decode (bus-range 1-2): its config
 * space is not behind the host's ECAM window as the layout names it, and no
 * function there is the one the layout means. Bus 1, the first, is taken.
 */
static void test_a_pci_function_outside_the_hosts_bus_range_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-pci-narrow-bus-range.dtb", NULL, 0x0008, NULL, 0x0308) <
		    0);
	assert_logged("layout: /bulkhead/cell@0: pci-devices: BDF 0x0008: bus 0 is outside the "
		      "host's bus range 1-2");
	assert_logged("layout: /bulkhead/cell@1: pci-devices: BDF 0x0308: bus 3 is outside the "
		      "host's bus range 1-2");
	if (fake_log_count(LOG_ERR) != 2)
		fail_msg("want the two bus range errors alone; log:\n%s", fake_log_text());
	assert_int_equal(parse_on_board("board-pci-narrow-bus-range.dtb", NULL, 0x0108, NULL, 0),
			 0);
}

/*
 * A root port the board's tree describes (00:01.0, device_type "pci") is a
 * bridge, which the boot refuses: the host tool, which reads no config
 * space, says so from the tree. The endpoint below it (01:00.0) is taken.
 */
static void test_a_pci_function_the_board_describes_as_a_bridge_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-pci-root-port.dtb", NULL, 0x0008, NULL, 0) < 0);
	assert_logged("layout: /bulkhead/cell@0: pci-devices: BDF 0x0008: the board's tree has a "
		      "bridge there (/pcie@10000000/pci@1,0, device_type \"pci\"), which routes "
		      "the buses below it: endpoints only (name the function below it)");
	if (fake_log_count(LOG_ERR) != 1)
		fail_msg("want the bridge error alone; log:\n%s", fake_log_text());
	if (parse_on_board("board-pci-root-port.dtb", NULL, 0x0100, NULL, 0) != 0)
		fail_msg("01:00.0, the endpoint below the port, refused; log:\n%s",
			 fake_log_text());
}

/*
 * two-cells.dts on board-two-smmus.dts, alpha given the DMA master @dev; with
 * @unprotected, alpha identity-mapped and declaring unprotected-dma. Returns
 * layout_parse()'s result, alpha's device in *@d when it parsed; a refusal
 * must be for one error alone.
 */
static int parse_other_iommu_master(const char *dev, bool unprotected, struct layout_device *d)
{
	static struct platform two;
	const fdt64_t identity[] = { cpu_to_fdt64(0x48000000), cpu_to_fdt64(0x48000000),
				     cpu_to_fdt64(0x04000000) };
	void *b = unit_dtb_load("board-two-smmus.dtb");
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	int alpha = fdt_path_offset(fdt, "/bulkhead/cell@0"), ret;

	assert_int_equal(platform_discover(b, &two), 0);
	fdt_delprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@1"), "devices"); /* no PL031 here */
	assert_int_equal(fdt_setprop_string(fdt, alpha, "devices", dev), 0);
	if (unprotected) {
		assert_int_equal(fdt_setprop(fdt, alpha, "memory", identity, sizeof(identity)), 0);
		assert_int_equal(fdt_setprop(fdt, alpha, "unprotected-dma", NULL, 0), 0);
	}
	fake_log_reset();
	ret = layout_parse(fdt, b, &two, &layout);
	if (ret == 0)
		*d = layout.cells[0].devices[0];
	else if (fake_log_count(LOG_ERR) != 1)
		fail_msg("want one error (the DMA master's); log:\n%s", fake_log_text());
	free(fdt);
	free(b);
	return ret;
}

/*
 * A device whose iommus names an IOMMU Bulkhead does not drive (here a
 * second SMMUv3) masters DMA no STE of Bulkhead's contains: it needs
 * unprotected-dma (docs/layout.md), and is not taken as protected.
 */
static void test_a_device_behind_another_iommu_needs_unprotected_dma(void **state)
{
	struct layout_device d;

	(void)state;
	assert_true(parse_other_iommu_master("/dma@a003000", false, &d) < 0);
	assert_logged("layout: /bulkhead/cell@0: devices: /dma@a003000 masters DMA through an "
		      "IOMMU that is not the board's SMMUv3: it cannot be contained (add "
		      "unprotected-dma;");
	assert_int_equal(parse_other_iommu_master("/dma@a003000", true, &d), 0);
	assert_int_equal(d.nr_sids, 0);
}

/*
 * One of its streams is the driven SMMUv3's, the other is not: the STE
 * Bulkhead writes would contain part of its DMA only, so it counts as
 * uncontained, and the cell is not given that one stream either.
 */
static void test_a_device_with_a_stream_of_each_iommu_needs_unprotected_dma(void **state)
{
	struct layout_device d;

	(void)state;
	assert_true(parse_other_iommu_master("/dma@a004000", false, &d) < 0);
	assert_logged("layout: /bulkhead/cell@0: devices: /dma@a004000 masters DMA through an "
		      "IOMMU that is not the board's SMMUv3: it cannot be contained (add "
		      "unprotected-dma;");
	assert_int_equal(parse_other_iommu_master("/dma@a004000", true, &d), 0);
	assert_int_equal(d.nr_sids, 0);
}

/* Each RID is looked up in the iommu-map entry that covers it: bus 2 is the second's. */
static void test_a_function_in_the_second_iommu_map_entry_gets_its_stream(void **state)
{
	(void)state;
	assert_int_equal(parse_on_board("board-iommu-map-two-ranges.dtb", NULL, 0x0208, NULL, 0),
			 0);
	assert_logged("PCI: 0x2:0x1.0 (stream 0x308)");
}

/* Bus 1 lies between the entries (RIDs 0x0-0xff, 0x200-0x2ff): no stream, refused. */
static void test_a_function_between_the_iommu_map_entries_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-iommu-map-two-ranges.dtb", NULL, 0x0108, NULL, 0) < 0);
	assert_logged(
		"layout: /bulkhead/cell@0: pci-devices: BDF 0x0108: its RID is outside every "
		"entry of the host's iommu-map (RIDs 0x0-0xff, 0x200-0x2ff): it has no stream "
		"of /smmuv3@9050000");
}

/* Bus 1's entry names the second SMMUv3: its functions are refused, bus 0's are not. */
static void test_a_function_whose_iommu_map_entry_names_another_smmu_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-iommu-map-other-smmu.dtb", NULL, 0x0108, NULL, 0x0008) <
		    0);
	assert_logged(
		"layout: /bulkhead/cell@0: pci-devices: BDF 0x0108: the PCIe host's "
		"iommu-map (entry 1, RIDs 0x100-0x1ff) sends its DMA through /smmuv3@9070000, "
		"not /smmuv3@9050000, the SMMUv3 Bulkhead drives");
	if (fake_log_count(LOG_ERR) != 1)
		fail_msg("want one error (BDF 0x0108's), BDF 0x0008 is behind /smmuv3@9050000; "
			 "log:\n%s",
			 fake_log_text());
}

/* iommu-map-mask 0xfff8: 00:01.2 is looked up as 00:01.0, stream 0x8 (pci-iommu.txt). */
static void test_the_iommu_map_mask_applies_to_the_rid_before_the_map(void **state)
{
	(void)state;
	assert_int_equal(parse_on_board("board-iommu-map-mask.dtb", NULL, 0x000a, NULL, 0), 0);
	assert_logged("PCI: 0x0:0x1.2 (stream 0x8)");
}

/* Folded onto one stream, functions share one STE, so one stage 2: not two cells'. */
static void test_functions_the_iommu_map_mask_folds_together_are_rejected_in_two_cells(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-iommu-map-mask.dtb", NULL, 0x0008, NULL, 0x000f) < 0);
	assert_logged(
		"layout: /bulkhead/cell@1: pci-devices: BDF 0x000f: stream ID 0x8 (its RID "
		"& iommu-map-mask 0xfff8 through the host's iommu-map) already belongs to BDF "
		"0x0008 of cell \"alpha\"");
}

/* An SMMU stream serves one cell: its STE points at one stage 2. */
static void test_devices_of_two_cells_on_one_stream_are_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_sid_board("/dma@a000000", 0, "/dma@a001000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /dma@a001000: stream ID 0x8 already "
		      "belongs to /dma@a000000 of cell \"alpha\"");
}

static void test_a_device_on_the_stream_of_another_cells_pci_function_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_sid_board(NULL, 0x0008, "/dma@a000000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /dma@a000000: stream ID 0x8 already "
		      "belongs to BDF 0x0008 of cell \"alpha\"");
}

static void test_a_pci_function_on_the_stream_of_another_cells_device_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_sid_board("/dma@a000000", 0, NULL, 0x0008) < 0);
	assert_logged("layout: /bulkhead/cell@1: pci-devices: BDF 0x0008: stream ID 0x8 (its RID "
		      "through the host's iommu-map) already belongs to /dma@a000000 of cell "
		      "\"alpha\"");
}

/*
 * Streams from 0x400 up need the two-level stream table, whose level-2
 * tables (4, of 256 streams each) go to the ranges the cells' streams are
 * in: functions on five buses (RID = stream) need a fifth. Before
 * 2026-11-25 the check passed them all, and the boot refused each stream
 * from 0x400 up ("beyond the stream table (1024 streams)").
 */
static void test_streams_in_more_ranges_than_level_2_tables_are_rejected(void **state)
{
	const fdt32_t alpha[] = { cpu_to_fdt32(0x0400), cpu_to_fdt32(0x0500),
				  cpu_to_fdt32(0x0600) };
	const fdt32_t beta[] = { cpu_to_fdt32(0x0708), cpu_to_fdt32(0x0808) };
	void *fdt, *b = unit_dtb_load("board-virt-sids.dtb");
	static struct platform sids;

	(void)state;
	assert_int_equal(platform_discover(b, &sids), 0);
	for (int fifth = 0; fifth < 2; fifth++) {
		fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
		fdt_delprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"), "devices");
		fdt_delprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@1"), "devices");
		assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"),
					     "pci-devices", alpha, sizeof(alpha)),
				 0);
		assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@1"),
					     "pci-devices", beta,
					     fifth ? sizeof(beta) : sizeof(beta[0])),
				 0);
		fake_log_reset();
		if (!fifth) {
			if (layout_parse(fdt, b, &sids, &layout))
				fail_msg("four ranges of 256 streams, 0x400-0x7ff, fit; log:\n%s",
					 fake_log_text());
		} else {
			assert_true(layout_parse(fdt, b, &sids, &layout) < 0);
			assert_logged(
				"layout: /bulkhead/cell@1: pci-devices: BDF 0x0808: stream ID "
				"0x808 needs a level-2 stream table for streams 0x800-0x8ff, "
				"and the hypervisor has 4, all given to other ranges (0x400-, "
				"0x500-, ...): with streams from 0x400 up the table is "
				"two-level, 256 streams per level-2 table");
			assert_int_equal(fake_log_count(LOG_ERR), 1);
		}
		free(fdt);
	}
	free(b);
}

/* The level-1 table reaches 16-bit stream IDs: a device's iommus beyond is refused. */
static void test_a_stream_beyond_16_bits_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-sid-wide.dtb", "/dma@a002000", 0, NULL, 0) < 0);
	assert_logged("layout: /bulkhead/cell@0: devices: /dma@a002000: stream ID 0x10009 is "
		      "beyond the SMMU stream table the hypervisor has (stream IDs below 0x10000)");
	assert_int_equal(parse_on_board("board-virt-sids.dtb", "/dma@a002000", 0, NULL, 0), 0);
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

/*
 * A CPU node and a node below a bus without ranges (an I2C sensor) have a
 * reg that is no MMIO: each is told what it is. Before, both "reg cannot
 * be read or translated".
 */
static void test_a_cpu_or_a_bus_address_in_devices_is_told_it_is_no_mmio(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-hyp-pages.dtb", NULL, 0, "/cpus/cpu@1", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /cpus/cpu@1 is a CPU (device_type "
		      "\"cpu\"): a cell takes CPUs in cpus, by MPIDR");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_true(parse_on_board("board-hyp-pages.dtb", NULL, 0, "/i2c@a005000/sensor@48", 0) <
		    0);
	assert_logged("layout: /bulkhead/cell@1: devices: /i2c@a005000/sensor@48: reg is an "
		      "address on /i2c@a005000's own bus (no ranges), not MMIO");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_not_logged("cannot be read or translated");
}

/*
 * Rockchip's own IOMMUs take no cells (iommus = <&vop_mmu>): the device
 * masters DMA through an IOMMU that is not the SMMUv3, and is told that.
 * Before, "iommus is not a list of <phandle stream-id>". An iommus that
 * ends inside an entry is a tree error.
 */
static void test_iommus_entries_follow_each_iommus_cell_count(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-iommu-0-cells.dtb", NULL, 0, "/vop@a007000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /vop@a007000 masters DMA through an "
		      "IOMMU that is not the board's SMMUv3: it cannot be contained (add "
		      "unprotected-dma; to the cell to accept DMA anywhere in memory)");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_true(parse_on_board("board-iommu-0-cells.dtb", NULL, 0, "/cut@a008000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /cut@a008000: iommus cannot be read: "
		      "each entry is an IOMMU's phandle and as many cells as that IOMMU's "
		      "#iommu-cells says (a board device tree error)");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	/* A device on the SMMU of the same board keeps its stream. */
	assert_int_equal(parse_on_board("board-iommu-0-cells.dtb", NULL, 0, "/dma@a002000", 0), 0);
	assert_int_equal(layout.cells[1].devices[0].sids[0], 0x9);
}

/*
 * The A64's, RK3399's and i.MX 8MQ's Ethernet, MMC, USB host, GPU and video
 * controllers master DMA with nothing in their nodes to say so: each is a
 * known bus master, named by the compatible that matched (the longest,
 * allwinner,sun50i-a64-video-engine, did not fit the old 24-byte entries).
 * Before, each was given to a cell as if it had no DMA.
 */
static void test_the_porting_walks_bus_masters_are_known(void **state)
{
	static const char *const dev[][2] = {
		{ "/ethernet@a010000", "allwinner,sun50i-a64-emac" },
		{ "/mmc@a011000", "rockchip,rk3288-dw-mshc" },
		{ "/mmc@a012000", "arasan,sdhci-5.1" },
		{ "/gpu@a013000", "arm,mali-400" },
		{ "/usb@a014000", "generic-ehci" },
		{ "/video-codec@a015000", "allwinner,sun50i-a64-video-engine" },
		{ "/video-codec@a016000", "nxp,imx8mq-vpu-g2" },
		{ "/ethernet@a017000", "rockchip,rk3399-gmac" },
	};
	char want[160];

	(void)state;
	for (size_t i = 0; i < sizeof(dev) / sizeof(dev[0]); i++) {
		assert_true(parse_on_board("board-known-masters.dtb", NULL, 0, dev[i][0], 0) < 0);
		snprintf(want, sizeof(want), "devices: %s masters DMA (%s) and names no IOMMU",
			 dev[i][0], dev[i][1]);
		assert_logged(want);
		assert_int_equal(fake_log_count(LOG_ERR), 1);
	}
}

/*
 * The hypervisor's own SPIs (board-hyp-irqs.dts): its console UART's input
 * and its SMMU's event and error lines. A cell owning one would take the line
 * (vgic_hw_cell_init() gives it the SPI; a stop disables it): the hypervisor
 * would lose console input or its fault reports.
 */
static void test_a_device_on_the_console_uarts_interrupt_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-hyp-irqs.dtb", NULL, 0, "/gpio@a003000", 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /gpio@a003000: INTID 33 is the "
		      "hypervisor's own: the interrupt of its console UART /pl011@9000000");
}

static void test_devices_on_the_smmus_interrupts_are_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-hyp-irqs.dtb", "/gpio@a004000", 0, "/gpio@a005000", 0) <
		    0);
	assert_logged("layout: /bulkhead/cell@0: devices: /gpio@a004000: INTID 106 is the "
		      "hypervisor's own: the eventq interrupt of its SMMU /smmuv3@9050000");
	assert_logged("layout: /bulkhead/cell@1: devices: /gpio@a005000: INTID 109 is the "
		      "hypervisor's own: the gerror interrupt of its SMMU /smmuv3@9050000");
}

static void test_a_pci_function_whose_intx_is_the_console_uarts_is_rejected(void **state)
{
	(void)state;
	assert_true(parse_on_board("board-hyp-irqs.dtb", NULL, 0x0008, NULL, 0) < 0);
	assert_logged("layout: /bulkhead/cell@0: pci-devices: BDF 0x0008: its INTx line INTID 33 "
		      "is the hypervisor's own: the interrupt of its console UART /pl011@9000000");
}

/* Distinct streams pass, and the layout print shows each device's and function's. */
static void test_streams_are_printed_per_device_and_function(void **state)
{
	(void)state;
	assert_int_equal(parse_on_sid_board("/dma@a002000", 0x0010, "/dma@a000000", 0), 0);
	assert_logged("PCI: 0x0:0x2.0 (stream 0x10)");
	assert_logged("device /dma@a002000: MMIO 0xa002000+0x1000 INTID 50 stream 0x9");
	assert_logged("device /dma@a000000: MMIO 0xa000000+0x1000 INTID 48 stream 0x8");
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

/*
 * With console "virtual" and emulated interrupts, INTID 33 is the console's.
 * QEMU's UART is on SPI 1 too, the hypervisor's own: moved to SPI 50 here.
 */
static void test_a_device_on_the_virtual_consoles_intid_is_rejected(void **state)
{
	static struct platform moved;
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 0);
	void *b = board_copy(1024);
	fdt32_t spi1[3] = { cpu_to_fdt32(0), cpu_to_fdt32(1), cpu_to_fdt32(4) };

	(void)state;
	assert_int_equal(fdt_setprop(b, fdt_path_offset(b, "/pl031@9010000"), "interrupts", spi1,
				     sizeof(spi1)),
			 0);
	move_uart_to_spi50(b);
	assert_int_equal(platform_discover(b, &moved), 0);
	fake_log_reset();
	assert_true(layout_parse(fdt, b, &moved, &layout) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl031@9010000: INTID 33 is the virtual "
		      "console's");
	free(b);
	free(fdt);
}

/*
 * The same for a PCI function's INTx line: a board whose interrupt-map sends
 * slot 1's INTA# to SPI 1 (board-hyp-irqs.dts), its UART moved to SPI 50.
 * Before, the layout passed and the boot failed to model the cell's vGIC
 * (INTID 33 given twice), and no cell started.
 */
static void test_a_pci_function_on_the_virtual_consoles_intid_is_rejected(void **state)
{
	static struct platform moved;
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	void *hyp_irqs = unit_dtb_load("board-hyp-irqs.dtb");
	void *b = board_copy_of(hyp_irqs, 1024);

	(void)state;
	move_uart_to_spi50(b);
	assert_int_equal(platform_discover(b, &moved), 0);
	assert_int_equal(fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"),
					 "pci-devices", 0x0008),
			 0);
	fake_log_reset();
	assert_true(layout_parse(fdt, b, &moved, &layout) < 0);
	assert_logged("layout: /bulkhead/cell@0: pci-devices: BDF 0x0008: its INTx line (INTID 33) "
		      "is the virtual console's");
	free(b);
	free(hyp_irqs);
	free(fdt);
}

/* The guest's device tree puts every device under / by its node name. */
static void test_two_devices_with_one_node_name_in_a_cell_are_rejected(void **state)
{
	static struct platform other;
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	void *b = board_copy(1024);
	fdt32_t reg[4] = { 0, cpu_to_fdt32(0x0a100000), 0, cpu_to_fdt32(0x1000) };

	(void)state;
	add_bus_child(b, "soc", "pl031@9010000", reg);
	assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@1"), "devices",
				     "/pl031@9010000\0/soc/pl031@9010000",
				     sizeof("/pl031@9010000\0/soc/pl031@9010000")),
			 0);
	assert_int_equal(platform_discover(b, &other), 0);
	fake_log_reset();
	assert_true(layout_parse(fdt, b, &other, &layout) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /soc/pl031@9010000: its node name "
		      "\"pl031@9010000\" is the name of /pl031@9010000 too");
	free(b);
	free(fdt);
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

/* configs/qemu-virt/two-cells with cell@1 ("beta", CPUs 1-3) in direct interrupt mode. */
static void *direct_layout(void)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);

	assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/bulkhead/cell@1"),
					    "interrupt-mode", "direct"),
			 0);
	return fdt;
}

/*
 * An SPI the GIC does not have (its lines are GICD_TYPER's, which no device
 * tree says) is refused at boot: it would never fire, and the GIC ignores
 * its enable and route. Before, it was accepted and the device was silent.
 */
static void test_spis_beyond_the_gics_lines_are_refused(void **state)
{
	char want[160];
	uint32_t intx;

	(void)state;
	if (parse_on_board("board-virt-sids.dtb", NULL, 0x0008, "/dma@a002000", 0))
		fail_msg("%s", fake_log_text());
	assert_int_equal(layout_check_gic_lines(&layout, 288), 0);
	fake_log_reset();
	assert_int_equal(layout_check_gic_lines(&layout, 40), -ERANGE);
	assert_logged("layout: /bulkhead/cell@1: devices: /dma@a002000: INTID 50 is beyond the "
		      "GIC's 40 interrupt lines (INTIDs up to 39): it would never fire");
	assert_not_logged("pci-devices");
	/* The function's INTx line, from the board's interrupt-map, is the last line and beyond. */
	intx = layout.cells[0].pci_intx[0];
	assert_int_equal(intx, 36); /* interrupt-map: slot 1's INTA# is SPI 4 */
	fake_log_reset();
	assert_int_equal(layout_check_gic_lines(&layout, intx), -ERANGE);
	snprintf(want, sizeof(want),
		 "layout: /bulkhead/cell@0: pci-devices: BDF 0x0008: INTID %u is beyond the GIC's "
		 "%u interrupt lines",
		 intx, intx);
	assert_logged(want);
}

static void test_direct_cell_gets_spare_spis_from_the_top(void **state)
{
	void *fdt = direct_layout();

	(void)state;
	fake_log_reset();
	assert_int_equal(layout_parse(fdt, board, &plat, &layout), 0);
	assert_int_equal(layout.cells[1].irq_mode, LAYOUT_IRQ_DIRECT);
	assert_int_equal(layout_assign_direct_spis(&layout, board, &plat, 288), 0);
	assert_int_equal(layout_vuart_intid(&layout.cells[1]), 287);
	assert_int_equal(layout_vuart_intid(&layout.cells[0]), LAYOUT_VUART_INTID);
	assert_logged("layout: beta: direct interrupts: virtual console on INTID 287");
	free(fdt);
}

/* SPIs the board names by interrupts, interrupts-extended or interrupt-map are never spare. */
static void test_direct_spare_spis_skip_what_the_board_wires(void **state)
{
	void *fdt = direct_layout();
	void *b = board_copy(1024);
	int gic, node;
	fdt32_t spi[3] = { cpu_to_fdt32(0), cpu_to_fdt32(255), cpu_to_fdt32(4) };
	fdt32_t ext[4] = { 0, cpu_to_fdt32(0), cpu_to_fdt32(254), cpu_to_fdt32(4) };

	(void)state;
	gic = fdt_node_offset_by_prop_value(b, -1, "interrupt-controller", NULL, 0);
	assert_true(gic >= 0);
	ext[0] = cpu_to_fdt32(fdt_get_phandle(b, gic));
	node = fdt_path_offset(b, "/pl061@9030000");
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop(b, node, "interrupts", spi, sizeof(spi)), 0);
	node = fdt_path_offset(b, "/fw-cfg@9020000");
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop(b, node, "interrupts-extended", ext, sizeof(ext)), 0);
	fake_log_reset();
	assert_int_equal(layout_parse(fdt, b, &plat, &layout), 0);
	assert_int_equal(layout_assign_direct_spis(&layout, b, &plat, 288), 0);
	assert_int_equal(layout_vuart_intid(&layout.cells[1]), 285);
	/* Below the PCIe host's INTx lines (interrupt-map: INTIDs 35-38), the RTC and UART. */
	assert_int_equal(layout_assign_direct_spis(&layout, b, &plat, 39), 0);
	assert_int_equal(layout_vuart_intid(&layout.cells[1]), 32);
	free(b);
	free(fdt);
}

static void test_direct_mode_without_spare_spi_is_an_error(void **state)
{
	void *fdt = direct_layout();

	(void)state;
	fake_log_reset();
	assert_int_equal(layout_parse(fdt, board, &plat, &layout), 0);
	assert_int_equal(layout_assign_direct_spis(&layout, board, &plat, 32), -ENOSPC);
	assert_logged("layout: /bulkhead/cell@1: interrupt-mode: \"direct\": the GIC's 32 lines "
		      "hold no more SPIs that no board device uses");
	free(fdt);
}

/*
 * @b, a board whose SPI wiring the spare-SPI scan cannot read whole: the
 * direct cell is refused, saying why (@why), and gets no SPI. Before, the
 * scan stopped where it could not read and took the top SPI as spare
 * whoever drives it (INTID 287 here, which @b wires, or might).
 */
static void assert_direct_refused_on(void *b, const char *why)
{
	void *fdt = direct_layout();
	char want[256];
	int ret;

	fake_log_reset();
	assert_int_equal(layout_parse(fdt, board, &plat, &layout), 0);
	ret = layout_assign_direct_spis(&layout, b, &plat, 288);
	if (ret != -EINVAL)
		fail_msg("returned %d, virtual console on INTID %u", ret,
			 layout_vuart_intid(&layout.cells[1]));
	snprintf(want, sizeof(want),
		 "layout: /bulkhead/cell@1: interrupt-mode: \"direct\": which SPIs the board "
		 "wires cannot be told (%s), so none is taken",
		 why);
	assert_logged(want);
	assert_int_equal(layout.cells[1].vuart_intid, 0);
	free(fdt);
	free(b);
}

/* A GIC with 2-cell specifiers is not one the scan reads (3 and 4 are). */
static void test_direct_mode_refused_when_the_scan_finds_no_gic(void **state)
{
	void *b = board_copy(64);
	int gic = fdt_node_offset_by_prop_value(b, -1, "interrupt-controller", NULL, 0);

	(void)state;
	assert_true(gic >= 0);
	assert_int_equal(fdt_setprop_u32(b, gic, "#interrupt-cells", 2), 0);
	assert_direct_refused_on(b, "/: no node is the hypervisor's GIC (an interrupt-controller "
				    "with #interrupt-cells = <3> or <4> at the distributor's "
				    "address)");
}

/*
 * direct_layout() without devices on @board_dtb, its direct cell's spare
 * SPIs taken from the top of @nr_lines: the virtual console's INTID, or
 * fail with the log.
 */
static uint32_t direct_vuart_on(const char *board_dtb, unsigned int nr_lines)
{
	static struct platform p;
	void *b = unit_dtb_load(board_dtb);
	void *fdt = direct_layout();

	assert_int_equal(platform_discover(b, &p), 0);
	fdt_delprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"), "devices");
	fdt_delprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@1"), "devices");
	fake_log_reset();
	if (layout_parse(fdt, b, &p, &layout) != 0 ||
	    layout_assign_direct_spis(&layout, b, &p, nr_lines) != 0)
		fail_msg("%s", fake_log_text());
	free(fdt);
	free(b);
	return layout_vuart_intid(&layout.cells[1]);
}

/*
 * A GICv3 with PPI partitions (#interrupt-cells = <4>, RK3399): its 4-cell
 * specifiers are read as a cell's devices' are, so the SPIs the board wires
 * (DMA on INTIDs 48-50 and the 4th-cell-broken one on 51, the PCIe INTx on
 * 36) are not spare. Before, a direct cell was refused on such a board: "no
 * node is the hypervisor's GIC (... #interrupt-cells = <3> ...)".
 */
static void test_direct_spare_spis_read_a_4_cell_gic(void **state)
{
	(void)state;
	assert_int_equal(direct_vuart_on("board-gic-4-cells.dtb", 52), 47);
	assert_int_equal(direct_vuart_on("board-gic-4-cells.dtb", 37), 35);
}

/*
 * A controller stacked on the GIC (Tegra's ictlr, i.MX's GPC) passes the
 * GIC's specifiers on: the SPIs its devices use (INTIDs 80 and 81 here) are
 * not spare, as a cell is given them. Before, the scan read only the GIC's
 * own children and took INTID 81.
 */
static void test_direct_spare_spis_skip_what_a_stacked_controller_wires(void **state)
{
	(void)state;
	assert_int_equal(direct_vuart_on("board-irq-nexus.dtb", 82), 79);
}

/* A device on the GIC whose interrupts the scan cannot split into specifiers. */
static void test_direct_mode_refused_on_a_malformed_interrupts_property(void **state)
{
	void *b = board_copy(64);
	fdt32_t bad[2] = { cpu_to_fdt32(0), cpu_to_fdt32(255) };

	(void)state;
	assert_int_equal(fdt_setprop(b, fdt_path_offset(b, "/pl061@9030000"), "interrupts", bad,
				     sizeof(bad)),
			 0);
	assert_direct_refused_on(b, "/pl061@9030000: interrupts is not a list of 3-cell GIC "
				    "specifiers");
}

/*
 * A direct cell's spare SPIs on a board with nexuses: the SPIs their maps
 * name are not spare (INTID 32 + 45 = 77 is the top of 78 lines), and the
 * specifiers below them are no GIC's to read. Before, the 1-cell one below
 * /motherboard@c000000 made the scan give up and refuse the direct cell.
 */
static void test_direct_spare_spis_read_a_nexus_by_its_map(void **state)
{
	static struct platform nexus;
	void *b = unit_dtb_load("board-irq-nexus.dtb");
	void *fdt = direct_layout();

	(void)state;
	assert_int_equal(platform_discover(b, &nexus), 0);
	/* QEMU virt's devices are none of this board's. */
	fdt_delprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@0"), "devices");
	fdt_delprop(fdt, fdt_path_offset(fdt, "/bulkhead/cell@1"), "devices");
	fake_log_reset();
	if (layout_parse(fdt, b, &nexus, &layout) != 0)
		fail_msg("%s", fake_log_text());
	if (layout_assign_direct_spis(&layout, b, &nexus, 78) != 0)
		fail_msg("%s", fake_log_text());
	assert_int_equal(layout_vuart_intid(&layout.cells[1]), 76);
	free(fdt);
	free(b);
}

/* The scan reads 4096 nodes: a device past them, on the top SPI, is not missed. */
static void test_direct_mode_refused_past_the_scans_node_bound(void **state)
{
	void *b = board_copy(256 * 1024);
	fdt32_t top[3] = { cpu_to_fdt32(0), cpu_to_fdt32(255), cpu_to_fdt32(4) };
	char name[16];
	int node;

	(void)state;
	for (int i = 0; i < 4200; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		assert_true(fdt_add_subnode(b, 0, name) >= 0);
	}
	/* Each new node goes first: the walk sees /, n4199 ... n0, then QEMU's nodes. */
	node = fdt_path_offset(b, "/n0");
	assert_int_equal(fdt_setprop(b, node, "interrupts", top, sizeof(top)), 0);
	assert_direct_refused_on(b, "/n104: more nodes than the scan reads (4096)");
}

static void test_direct_mode_needs_gicv3(void **state)
{
	void *fdt = direct_layout();
	void *v2 = unit_dtb_load("virt-gicv2.dtb");
	struct platform plat2;

	(void)state;
	assert_int_equal(platform_discover(v2, &plat2), 0);
	fake_log_reset();
	assert_true(layout_parse(fdt, v2, &plat2, &layout) < 0);
	assert_logged("layout: /bulkhead/cell@1: interrupt-mode: \"direct\" needs a GICv3; this "
		      "board has a GICv2");
	free(v2);
	free(fdt);
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
		cmocka_unit_test(test_spis_beyond_the_gics_lines_are_refused),
		cmocka_unit_test(test_direct_cell_gets_spare_spis_from_the_top),
		cmocka_unit_test(test_direct_spare_spis_skip_what_the_board_wires),
		cmocka_unit_test(test_direct_mode_without_spare_spi_is_an_error),
		cmocka_unit_test(test_direct_mode_refused_when_the_scan_finds_no_gic),
		cmocka_unit_test(test_direct_spare_spis_read_a_4_cell_gic),
		cmocka_unit_test(test_direct_spare_spis_skip_what_a_stacked_controller_wires),
		cmocka_unit_test(test_direct_mode_refused_on_a_malformed_interrupts_property),
		cmocka_unit_test(test_direct_spare_spis_read_a_nexus_by_its_map),
		cmocka_unit_test(test_direct_mode_refused_past_the_scans_node_bound),
		cmocka_unit_test(test_direct_mode_needs_gicv3),
		cmocka_unit_test(test_every_bad_layout_reports_its_expected_error),
		cmocka_unit_test(test_a_refused_value_is_reported_once),
		cmocka_unit_test(test_a_shared_region_naming_no_cell_is_told_of_a_refused_label),
		cmocka_unit_test(test_device_with_ppi_is_rejected),
		cmocka_unit_test(test_a_device_spi_past_intid_1019_is_rejected),
		cmocka_unit_test(test_a_device_spi_on_a_doorbell_intid_is_rejected),
		cmocka_unit_test(test_the_doorbell_intids_end_at_the_last_doorbell),
		cmocka_unit_test(
			test_a_pci_intx_line_on_a_doorbell_intid_is_rejected_as_the_functions),
		cmocka_unit_test(test_msi_controller_is_not_a_cell_device),
		cmocka_unit_test(test_an_iommu_is_not_a_cell_device),
		cmocka_unit_test(
			test_unprotected_pci_in_a_cell_whose_ipa_is_not_its_pa_is_rejected),
		cmocka_unit_test(test_spi_shared_by_devices_of_two_cells_is_rejected),
		cmocka_unit_test(test_a_second_region_up_to_2_48_is_accepted),
		cmocka_unit_test(
			test_a_device_over_the_gicv2_cpu_interface_or_virtual_console_is_rejected),
		cmocka_unit_test(test_a_device_on_another_cells_intx_line_is_rejected),
		cmocka_unit_test(test_devices_sharing_an_spi_are_told_apart_from_intx_lines),
		cmocka_unit_test(test_a_cells_spis_are_its_devices_and_intx_lines_each_once),
		cmocka_unit_test(test_a_cell_of_more_than_32_spis_is_rejected),
		cmocka_unit_test(test_cell_memory_over_no_map_reserved_memory_is_rejected),
		cmocka_unit_test(test_a_second_bulkhead_node_is_refused),
		cmocka_unit_test(test_a_second_cell_of_one_name_is_refused),
		cmocka_unit_test(test_a_one_cell_ipa_with_printable_bytes_is_a_number),
		cmocka_unit_test(test_a_phandle_dtc_adds_is_accepted_everywhere),
		cmocka_unit_test(test_shared_memory_ro_member_gets_a_read_only_view),
		cmocka_unit_test(test_shared_memory_over_no_map_reserved_memory_is_rejected),
		cmocka_unit_test(test_cell_memory_over_a_memreserve_entry_is_rejected),
		cmocka_unit_test(test_hypervisor_memory_over_reserved_memory_is_rejected),
		cmocka_unit_test(test_kernel_window_over_reserved_memory_is_rejected),
		cmocka_unit_test(test_window_sharing_a_page_with_no_map_memory_is_rejected),
		cmocka_unit_test(test_reserved_memory_errors_name_only_what_is_kept),
		cmocka_unit_test(test_memory_outside_ram_names_every_range_of_the_board),
		cmocka_unit_test(test_window_ending_in_a_page_the_ram_does_not_fill_is_refused),
		cmocka_unit_test(test_without_board_only_board_independent_rules_run),
		cmocka_unit_test(test_without_board_unprotected_dma_still_needs_the_identity_map),
		cmocka_unit_test(test_a_device_the_board_does_not_enable_is_rejected),
		cmocka_unit_test(test_a_device_below_an_interrupt_nexus_is_rejected_naming_it),
		cmocka_unit_test(test_a_4_cell_gic_spec_gives_the_cell_its_spi),
		cmocka_unit_test(test_a_4_cell_gic_ppi_or_spi_with_a_partition_is_refused),
		cmocka_unit_test(test_a_label_reference_is_said_once_where_it_is_written),
		cmocka_unit_test(test_devices_given_as_cells_is_one_error),
		cmocka_unit_test(
			test_a_device_whose_interrupts_miss_the_gic_is_rejected_saying_why),
		cmocka_unit_test(test_a_pci_window_over_the_cells_vgic_is_rejected),
		cmocka_unit_test(test_an_ecam_over_the_cells_vgic_is_rejected),
		cmocka_unit_test(test_a_device_over_a_later_vcpus_redistributor_is_rejected),
		cmocka_unit_test(test_a_device_over_reserved_memory_outside_ram_is_rejected),
		cmocka_unit_test(test_a_device_below_a_disabled_bus_is_rejected),
		cmocka_unit_test(test_a_device_reaching_past_its_bus_window_is_rejected),
		cmocka_unit_test(test_a_device_whose_translation_wraps_is_rejected),
		cmocka_unit_test(
			test_a_pci_function_behind_an_smmu_bulkhead_does_not_drive_is_rejected),
		cmocka_unit_test(test_a_pci_function_outside_the_hosts_bus_range_is_rejected),
		cmocka_unit_test(test_a_pci_function_the_board_describes_as_a_bridge_is_rejected),
		cmocka_unit_test(test_a_device_behind_another_iommu_needs_unprotected_dma),
		cmocka_unit_test(test_a_device_with_a_stream_of_each_iommu_needs_unprotected_dma),
		cmocka_unit_test(test_a_function_in_the_second_iommu_map_entry_gets_its_stream),
		cmocka_unit_test(test_a_function_between_the_iommu_map_entries_is_rejected),
		cmocka_unit_test(
			test_a_function_whose_iommu_map_entry_names_another_smmu_is_rejected),
		cmocka_unit_test(test_the_iommu_map_mask_applies_to_the_rid_before_the_map),
		cmocka_unit_test(
			test_functions_the_iommu_map_mask_folds_together_are_rejected_in_two_cells),
		cmocka_unit_test(test_devices_of_two_cells_on_one_stream_are_rejected),
		cmocka_unit_test(
			test_a_device_on_the_stream_of_another_cells_pci_function_is_rejected),
		cmocka_unit_test(
			test_a_pci_function_on_the_stream_of_another_cells_device_is_rejected),
		cmocka_unit_test(test_streams_in_more_ranges_than_level_2_tables_are_rejected),
		cmocka_unit_test(test_a_stream_beyond_16_bits_is_rejected),
		cmocka_unit_test(test_a_device_in_the_consoles_page_is_told_it_shares_the_page),
		cmocka_unit_test(test_a_cpu_or_a_bus_address_in_devices_is_told_it_is_no_mmio),
		cmocka_unit_test(test_iommus_entries_follow_each_iommus_cell_count),
		cmocka_unit_test(test_the_porting_walks_bus_masters_are_known),
		cmocka_unit_test(test_a_device_on_the_console_uarts_interrupt_is_rejected),
		cmocka_unit_test(test_devices_on_the_smmus_interrupts_are_rejected),
		cmocka_unit_test(test_a_pci_function_whose_intx_is_the_console_uarts_is_rejected),
		cmocka_unit_test(test_a_pci_function_on_the_virtual_consoles_intid_is_rejected),
		cmocka_unit_test(test_streams_are_printed_per_device_and_function),
		cmocka_unit_test(test_a_layout_dtb_larger_than_the_hypervisor_takes_is_rejected),
		cmocka_unit_test(test_a_board_dtb_given_as_the_layout_is_told_it_has_no_bulkhead),
		cmocka_unit_test(test_a_device_on_the_virtual_consoles_intid_is_rejected),
		cmocka_unit_test(test_two_devices_with_one_node_name_in_a_cell_are_rejected),
		cmocka_unit_test(test_dtb_at_ram_base_puts_image_kernel_above_it),
		cmocka_unit_test(test_not_a_dtb_is_rejected),
		cmocka_unit_test(test_a_property_given_twice_is_rejected),
		cmocka_unit_test(test_corrupted_layouts_never_crash),
	};

	return cmocka_run_group_tests(tests, setup_board, teardown_board);
}
