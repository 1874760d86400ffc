// SPDX-License-Identifier: GPL-2.0-only
/*
 * What is checked once the boot knows the GIC's number of interrupt lines
 * (layout_check_gic_lines(), layout_assign_direct_spis()): a cell's SPIs beyond
 * them, and the spare SPI from the top a direct-mode cell takes for its virtual
 * console, never one the board wires (through interrupts, interrupts-extended,
 * interrupt-map, 4-cell specifiers, a stacked controller), or none when the
 * board's wiring cannot be read whole.
 *
 * Against QEMU virt's DTB and the boards of tests/unit/dts, with what the
 * layout tests share (layout_fixture.h).
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

#include "fake_log.h"
#include "layout_fixture.h"
#include "unit_dtb.h"

/*
 * layout_assign_direct_spis() on board @b twice: through an index of @b, as
 * at boot, and through libfdt alone, as the host checker and a board too big
 * for the index read it. Both must return the same and give every cell the
 * same SPIs; what they returned.
 */
static int assign_spis(const void *b, const struct platform *p, unsigned int nr_lines)
{
	static struct platform indexed;
	static struct layout first;
	int ret;

	memcpy(&indexed, p, sizeof(indexed));
	(void)platform_index_build(&indexed.index, b, PLATFORM_INDEX_MAX);
	ret = layout_assign_direct_spis(&layout, b, &indexed, nr_lines);
	memcpy(&first, &layout, sizeof(first));
	indexed.index.fdt = NULL;
	assert_int_equal(layout_assign_direct_spis(&layout, b, &indexed, nr_lines), ret);
	if (memcmp(&first, &layout, sizeof(first)) != 0)
		fail_msg("the scan through the index gave the virtual console INTID %u, libfdt's "
			 "%u",
			 layout_vuart_intid(&first.cells[1]), layout_vuart_intid(&layout.cells[1]));
	return ret;
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
	assert_int_equal(assign_spis(board, &plat, 288), 0);
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
	assert_int_equal(assign_spis(b, &plat, 288), 0);
	assert_int_equal(layout_vuart_intid(&layout.cells[1]), 285);
	/* Below the PCIe host's INTx lines (interrupt-map: INTIDs 35-38), the RTC and UART. */
	assert_int_equal(assign_spis(b, &plat, 39), 0);
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
	assert_int_equal(assign_spis(board, &plat, 32), -ENOSPC);
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
	ret = assign_spis(b, &plat, 288);
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
	if (layout_parse(fdt, b, &p, &layout) != 0 || assign_spis(b, &p, nr_lines) != 0)
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
	if (assign_spis(b, &nexus, 78) != 0)
		fail_msg("%s", fake_log_text());
	assert_int_equal(layout_vuart_intid(&layout.cells[1]), 76);
	free(fdt);
	free(b);
}

/*
 * Layout @fdt parsed on QEMU virt, its direct cell's spare SPIs taken on board
 * @b (288 lines): its virtual console is on INTID @want. Frees both.
 */
static void assert_direct_vuart_on(void *fdt, void *b, uint32_t want)
{
	fake_log_reset();
	assert_int_equal(layout_parse(fdt, board, &plat, &layout), 0);
	if (assign_spis(b, &plat, 288) != 0)
		fail_msg("%s", fake_log_text());
	assert_int_equal(layout_vuart_intid(&layout.cells[1]), want);
	free(fdt);
	free(b);
}

/*
 * QEMU virt's board with its GIC's phandle set to @phandle (0: none) and the
 * PCIe host's interrupt-map, which names the old one, gone; a device @name
 * below @parent_of_dev (-1: the GIC) on INTID 287, the top SPI.
 */
static void *board_with_gic_phandle(uint32_t phandle, int parent_of_dev, const char *name)
{
	void *b = board_copy(256);
	fdt32_t top[3] = { cpu_to_fdt32(0), cpu_to_fdt32(255), cpu_to_fdt32(4) };
	int gic = fdt_node_offset_by_prop_value(b, -1, "interrupt-controller", NULL, 0);
	int pcie = fdt_node_offset_by_compatible(b, -1, "pci-host-ecam-generic"), dev;

	assert_true(gic >= 0 && pcie >= 0);
	assert_int_equal(phandle ? fdt_setprop_u32(b, gic, "phandle", phandle)
				 : fdt_delprop(b, gic, "phandle"),
			 0);
	assert_int_equal(fdt_delprop(b, pcie, "interrupt-map"), 0);
	/* Offsets past the PCIe host moved. */
	gic = fdt_node_offset_by_prop_value(b, -1, "interrupt-controller", NULL, 0);
	dev = fdt_add_subnode(b, parent_of_dev < 0 ? gic : parent_of_dev, name);
	assert_true(dev >= 0);
	assert_int_equal(fdt_setprop(b, dev, "interrupts", top, sizeof(top)), 0);
	return b;
}

/*
 * A device below a GIC that no phandle names reaches it through the tree (DT
 * spec 2.4: a node without interrupt-parent takes its parent's, which has
 * #interrupt-cells), as platform_index_irq_parent() gives it to a cell: its
 * SPI is not spare. Before, the scan took a GIC without a phandle for no
 * node's interrupt parent and gave the direct cell that device's INTID 287.
 */
static void test_direct_spare_spis_skip_a_device_below_a_gic_without_a_phandle(void **state)
{
	void *b = board_with_gic_phandle(0, -1, "dev");

	(void)state;
	assert_int_equal(fdt_delprop(b, 0, "interrupt-parent"), 0);
	assert_direct_vuart_on(direct_layout(), b, 286);
}

/*
 * A GIC of phandle 0xfffffffe (a valid one: DT spec 2.3.3 excludes only 0
 * and 0xffffffff) named by the root's interrupt-parent: the device below the
 * root on INTID 287 is read on it, so 287 is not spare. From a730356 to
 * 2026-11-25 the scan marked "a controller no phandle names" by that very
 * value and read the device on no node: it gave the direct cell INTID 287.
 */
static void test_direct_spare_spis_read_a_gic_of_phandle_0xfffffffe(void **state)
{
	void *b = board_with_gic_phandle(0xfffffffeu, 0, "dev");

	(void)state;
	assert_int_equal(fdt_setprop_u32(b, 0, "interrupt-parent", 0xfffffffeu), 0);
	assert_direct_vuart_on(direct_layout(), b, 286);
}

/*
 * @b with /plain (phandle 0x777: no controller, no nexus) and @dev_name, a
 * device on INTID 287 whose interrupt-parent names /plain; its offset.
 */
static int add_device_through_a_plain_node(void *b, const char *dev_name)
{
	fdt32_t top[3] = { cpu_to_fdt32(0), cpu_to_fdt32(255), cpu_to_fdt32(4) };
	fdt32_t reg[4] = { 0, cpu_to_fdt32(0x0a100000), 0, cpu_to_fdt32(0x1000) };
	int plain = fdt_add_subnode(b, 0, "plain"), dev;

	assert_true(plain >= 0);
	assert_int_equal(fdt_setprop_u32(b, plain, "phandle", 0x777), 0);
	dev = fdt_add_subnode(b, 0, dev_name);
	assert_true(dev >= 0);
	assert_int_equal(fdt_setprop_string(b, dev, "compatible", "acme,thing"), 0);
	assert_int_equal(fdt_setprop(b, dev, "reg", reg, sizeof(reg)), 0);
	assert_int_equal(fdt_setprop_u32(b, dev, "interrupt-parent", 0x777), 0);
	assert_int_equal(fdt_setprop(b, dev, "interrupts", top, sizeof(top)), 0);
	return fdt_path_offset(b, "/dev@a100000");
}

/*
 * An interrupt-parent naming a node that is no controller (/plain): Linux
 * (of_irq_find_parent()) and platform_index_irq_parent() go on from it to
 * its tree parent's, the root's GIC, and so does the scan: the device's
 * INTID 287 is not spare. Before, the scan read the device on no GIC and
 * gave the direct cell INTID 287.
 */
static void test_direct_spare_spis_read_an_interrupt_parent_through_a_plain_node(void **state)
{
	void *fdt = direct_layout();
	void *b = board_copy(256);
	int dev = add_device_through_a_plain_node(b, "dev@a100000"), at = -1;

	(void)state;
	/* What a cell given the device reads: the GIC. */
	assert_true(platform_index_irq_parent(NULL, b, dev, &at) >= 0);
	assert_int_equal(at, fdt_node_offset_by_prop_value(b, -1, "interrupt-controller", NULL, 0));
	assert_direct_vuart_on(fdt, b, 286);
}

/*
 * As above, the device given to alpha: alpha owns INTID 287, and the direct
 * cell beta's virtual console is not put on it. Before, both cells owned
 * physical SPI 287 (vgic_hw_spi_owner[] keeps one): beta would have taken
 * alpha's device's interrupts and could disable them.
 */
static void test_direct_spare_spis_skip_another_cells_device_through_a_plain_node(void **state)
{
	void *fdt = direct_layout();
	void *b = board_copy(256);
	const struct layout_device *d;

	(void)state;
	add_device_through_a_plain_node(b, "dev@a100000");
	give_cells(fdt, "/dev@a100000", 0, NULL, 0);
	fake_log_reset();
	if (layout_parse(fdt, b, &plat, &layout) != 0)
		fail_msg("parse: %s", fake_log_text());
	d = &layout.cells[0].devices[0];
	assert_int_equal(d->nr_irqs, 1);
	assert_int_equal(d->irqs[0], 287);
	if (assign_spis(b, &plat, 288) != 0)
		fail_msg("%s", fake_log_text());
	assert_int_equal(layout_vuart_intid(&layout.cells[1]), 286);
	free(fdt);
	free(b);
}

/*
 * The backstop behind the scan: the direct layout parsed on QEMU virt, beta
 * given its RTC and alpha function @alpha_pci; QEMU's platform copied to
 * @p. A test then makes up the scan's miss: INTID 287, which no board node
 * names, set on a device, a function or the hypervisor's console.
 */
static void parse_direct_for_a_miss(uint32_t alpha_pci, struct platform *p)
{
	void *fdt = direct_layout();

	give_cells(fdt, NULL, alpha_pci, "/pl031@9010000", 0);
	fake_log_reset();
	if (layout_parse(fdt, board, &plat, &layout) != 0)
		fail_msg("parse: %s", fake_log_text());
	memcpy(p, &plat, sizeof(*p));
	free(fdt);
}

/* The spare SPI 287 is refused on @p, saying that @user holds it: nothing is taken twice. */
static void assert_spare_spi_refused_as_used(const struct platform *p, const char *user)
{
	char want[320];
	int ret = assign_spis(board, p, 288);

	if (ret != -EEXIST)
		fail_msg("returned %d, virtual console on INTID %u", ret,
			 layout_vuart_intid(&layout.cells[1]));
	snprintf(
		want, sizeof(want),
		"layout: /bulkhead/cell@1: interrupt-mode: \"direct\": INTID 287, taken as a spare "
		"SPI for its virtual console, is %s: the board scan missed it",
		user);
	assert_logged(want);
}

static void test_direct_spare_spi_a_cells_device_uses_is_refused(void **state)
{
	static struct platform p;

	(void)state;
	parse_direct_for_a_miss(0, &p);
	assert_int_equal(layout.cells[1].devices[0].nr_irqs, 1);
	layout.cells[1].devices[0].irqs[0] = 287;
	assert_spare_spi_refused_as_used(&p,
					 "an interrupt of /pl031@9010000, a device of cell beta");
}

static void test_direct_spare_spi_a_cells_pci_intx_uses_is_refused(void **state)
{
	static struct platform p;

	(void)state;
	parse_direct_for_a_miss(0x0008, &p);
	assert_int_equal(layout.cells[0].nr_pci, 1);
	layout.cells[0].pci_intx[0] = 287;
	assert_spare_spi_refused_as_used(&p,
					 "the INTx line of BDF 0x0008, a function of cell alpha");
}

static void test_direct_spare_spi_the_hypervisor_uses_is_refused(void **state)
{
	static struct platform p;

	(void)state;
	parse_direct_for_a_miss(0, &p);
	p.uart.irq = 287;
	assert_spare_spi_refused_as_used(&p, "the hypervisor's own: the interrupt of its console "
					     "UART /pl011@9000000 (console input)");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spis_beyond_the_gics_lines_are_refused),
		cmocka_unit_test(test_direct_cell_gets_spare_spis_from_the_top),
		cmocka_unit_test(test_direct_spare_spis_skip_what_the_board_wires),
		cmocka_unit_test(test_direct_mode_without_spare_spi_is_an_error),
		cmocka_unit_test(test_direct_mode_refused_when_the_scan_finds_no_gic),
		cmocka_unit_test(test_direct_spare_spis_read_a_4_cell_gic),
		cmocka_unit_test(test_direct_spare_spis_skip_what_a_stacked_controller_wires),
		cmocka_unit_test(test_direct_mode_refused_on_a_malformed_interrupts_property),
		cmocka_unit_test(test_direct_spare_spis_read_a_nexus_by_its_map),
		cmocka_unit_test(
			test_direct_spare_spis_skip_a_device_below_a_gic_without_a_phandle),
		cmocka_unit_test(test_direct_spare_spis_read_a_gic_of_phandle_0xfffffffe),
		cmocka_unit_test(
			test_direct_spare_spis_read_an_interrupt_parent_through_a_plain_node),
		cmocka_unit_test(
			test_direct_spare_spis_skip_another_cells_device_through_a_plain_node),
		cmocka_unit_test(test_direct_spare_spi_a_cells_device_uses_is_refused),
		cmocka_unit_test(test_direct_spare_spi_a_cells_pci_intx_uses_is_refused),
		cmocka_unit_test(test_direct_spare_spi_the_hypervisor_uses_is_refused),
		cmocka_unit_test(test_direct_mode_refused_past_the_scans_node_bound),
		cmocka_unit_test(test_direct_mode_needs_gicv3),
	};

	return cmocka_run_group_tests(tests, setup_board, teardown_board);
}
