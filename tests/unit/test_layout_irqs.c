// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's interrupts (partitions/layout*.c): the SPIs its devices and its PCI
 * functions' INTx lines give it, each once and to one cell, at most
 * LAYOUT_MAX_IRQS; what no cell may have (a PPI, an INTID past 1019 or a
 * shared-memory doorbell's, the hypervisor's console UART and SMMU lines, the
 * virtual console's INTID); and how a device's interrupts reach the GIC (4-cell
 * specifiers and PPI partitions, another controller, an interrupt nexus).
 *
 * Against QEMU virt's DTB and the boards of tests/unit/dts, with what the
 * layout tests share (layout_fixture.h).
 */
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

/* @b's UART, the hypervisor's console, moved from SPI 1 (INTID 33) to SPI 50. */
static void move_uart_to_spi50(void *b)
{
	fdt32_t spi50[3] = { cpu_to_fdt32(0), cpu_to_fdt32(50), cpu_to_fdt32(4) };

	assert_int_equal(fdt_setprop(b, fdt_path_offset(b, "/pl011@9000000"), "interrupts", spi50,
				     sizeof(spi50)),
			 0);
}

/*
 * Layout @fdt parsed on @b, a changed copy of QEMU virt's board, with the
 * platform setup_board() discovered on the board itself; both freed.
 */
static int parse_copy_and_free(void *fdt, void *b)
{
	int ret;

	fake_log_reset();
	ret = layout_parse(fdt, b, &plat, &layout);
	free(b);
	free(fdt);
	return ret;
}

/*
 * two-cells on board copy @b, the board's PL031 (beta's) wired to the @n
 * 3-cell specifiers @irq: layout_parse()'s result. @b is freed.
 */
static int parse_with_pl031_on(void *b, const fdt32_t *irq, int n)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 0);

	assert_int_equal(fdt_setprop(b, fdt_path_offset(b, "/pl031@9010000"), "interrupts", irq,
				     n * 3 * (int)sizeof(fdt32_t)),
			 0);
	return parse_copy_and_free(fdt, b);
}

/* ... on QEMU virt's board, wired to @irq. */
static int parse_with_pl031_wired_to(const fdt32_t irq[3])
{
	return parse_with_pl031_on(board_copy(1024), irq, 1);
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

	for (; *wired; wired++)
		assert_int_equal(
			fdt_setprop(b, fdt_path_offset(b, *wired), "interrupts", spi, sizeof(spi)),
			0);
	give_cells(fdt, alpha_dev, alpha_pci, beta_dev, beta_pci);
	return parse_copy_and_free(fdt, b);
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
	int len = 0;

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
	return parse_copy_and_free(fdt, b);
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
 * A device of more SPIs than a device may have (LAYOUT_MAX_DEV_IRQS), two
 * more here, is refused, once: the SPIs past the last a device holds are
 * never stored.
 */
static void test_a_device_of_more_interrupts_than_the_most_is_refused(void **state)
{
	fdt32_t irq[(LAYOUT_MAX_DEV_IRQS + 2) * 3];

	(void)state;
	for (unsigned int i = 0; i < LAYOUT_MAX_DEV_IRQS + 2; i++) {
		irq[3 * i] = cpu_to_fdt32(0);
		irq[3 * i + 1] = cpu_to_fdt32(100 + i);
		irq[3 * i + 2] = cpu_to_fdt32(4);
	}
	assert_true(parse_with_pl031_on(board_copy(1024), irq, LAYOUT_MAX_DEV_IRQS + 2) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl031@9010000 has more than 8 "
		      "interrupts\n");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/*
 * A device whose interrupts are refused is told of its first refused one
 * only, and its others are not read: a PPI, a specifier of no GIC type, the
 * hypervisor's own console UART's SPI, each given twice.
 */
static void test_a_device_is_told_only_of_its_first_refused_interrupt(void **state)
{
	static const uint32_t refused[][3] = { { 1, 5, 4 }, { 2, 5, 4 }, { 0, 1, 4 } };

	(void)state;
	for (unsigned int i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		fdt32_t irq[6];

		for (unsigned int k = 0; k < 6; k++)
			irq[k] = cpu_to_fdt32(refused[i][k % 3]);
		assert_true(parse_with_pl031_on(board_copy(1024), irq, 2) < 0);
		if (fake_log_count(LOG_ERR) != 1)
			fail_msg("<%u %u %u> twice: %d errors:\n%s", refused[i][0], refused[i][1],
				 refused[i][2], fake_log_count(LOG_ERR), fake_log_text());
	}
}

/*
 * Why a device's interrupts reach no controller, as the board's DT is
 * wrong: an interrupt-parent that is not one phandle, or none up to the
 * root, which names none either.
 */
static void test_a_device_whose_interrupt_parent_is_wrong_is_told_why(void **state)
{
	const fdt32_t spi[3] = { 0, cpu_to_fdt32(20), cpu_to_fdt32(4) };
	void *b = board_copy(1024);

	(void)state;
	assert_int_equal(
		fdt_setprop_u64(b, fdt_path_offset(b, "/pl031@9010000"), "interrupt-parent", 1), 0);
	assert_true(parse_with_pl031_on(b, spi, 1) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl031@9010000: an interrupt-parent on "
		      "its way up is not one phandle\n");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	b = board_copy(1024);
	assert_int_equal(fdt_delprop(b, 0, "interrupt-parent"), 0);
	assert_true(parse_with_pl031_on(b, spi, 1) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl031@9010000: it has interrupts but "
		      "no interrupt controller above it\n");
}

/*
 * What the board gives of a device's interrupts that Bulkhead cannot read
 * is refused, not taken for no interrupts: interrupts-extended, an empty
 * interrupts, and a GIC whose specifiers are 2 cells.
 */
static void test_a_device_whose_interrupts_cannot_be_read_is_refused(void **state)
{
	const fdt32_t spi[3] = { 0, cpu_to_fdt32(20), cpu_to_fdt32(4) };
	void *b = board_copy(1024);
	int gic;

	(void)state;
	assert_int_equal(fdt_setprop(b, fdt_path_offset(b, "/pl031@9010000"), "interrupts-extended",
				     spi, sizeof(spi)),
			 0);
	assert_true(parse_with_pl031_on(b, spi, 1) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl031@9010000: interrupts-extended is "
		      "not supported\n");
	assert_true(parse_with_pl031_on(board_copy(1024), spi, 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /pl031@9010000: interrupts are not "
		      "3-cell specifiers of the board's GIC\n");
	b = board_copy(1024);
	gic = fdt_node_offset_by_compatible(b, -1, "arm,gic-v3");
	assert_true(gic >= 0);
	assert_int_equal(fdt_setprop_u32(b, gic, "#interrupt-cells", 2), 0);
	assert_true(parse_with_pl031_on(b, spi, 1) < 0);
	assert_logged("uses #interrupt-cells = <2>: only 3- and 4-cell GIC specifiers are "
		      "supported\n");
}

/*
 * A GIC of no address cells (#address-cells = <0>, as many boards write a
 * GIC without children): the host bridge's interrupt-map gives no parent
 * unit address, and BDF 0x0008's INTA# is read as before, INTID 36.
 */
static void test_an_interrupt_map_to_a_gic_of_no_address_cells_is_read(void **state)
{
	const struct layout_cell *beta = &layout.cells[1];
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	void *b = board_copy(4096);
	int pcie = fdt_path_offset(b, "/pcie@10000000");
	const fdt32_t *map;
	fdt32_t out[256];
	int len, n = 0, ret;

	(void)state;
	map = fdt_getprop(b, pcie, "interrupt-map", &len);
	/* <phys.hi phys.mid phys.lo pin> <gic> <address: 2 cells> <spec: 3 cells> */
	assert_true(map && len % 40 == 0 && len / 40 * 8 <= (int)(sizeof(out) / 4));
	for (int i = 0; i < len / 4; i += 10)
		for (int k = 0; k < 10; k++)
			if (k != 5 && k != 6)
				out[n++] = map[i + k];
	assert_int_equal(fdt_setprop(b, pcie, "interrupt-map", out, n * 4), 0);
	/* Found after the map shrank: node offsets past it moved. */
	assert_int_equal(fdt_setprop_u32(b, fdt_node_offset_by_compatible(b, -1, "arm,gic-v3"),
					 "#address-cells", 0),
			 0);
	give_cells(fdt, NULL, 0, NULL, 0x0008);
	ret = parse_copy_and_free(fdt, b);
	if (ret)
		fail_msg("refused:\n%s", fake_log_text());
	assert_int_equal(beta->pci_intx[0], 36);
}

/*
 * The host bridge's interrupt-map cut short inside BDF 0x0008's INTA# entry
 * (its child address, pin and parent whole, the parent's unit address and
 * specifier not): refused as unreadable, nothing read past its end.
 */
static void test_an_interrupt_map_cut_inside_an_entry_is_refused(void **state)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	void *b = board_copy(1024);
	int pcie = fdt_path_offset(b, "/pcie@10000000");
	const fdt32_t *map;
	fdt32_t cut[46];
	int len;

	(void)state;
	/* 4 entries of 10 cells (slot 0's pins), then slot 1's INTA# cut after 6 cells */
	map = fdt_getprop(b, pcie, "interrupt-map", &len);
	assert_true(map && len >= (int)sizeof(cut) + 4 * 4);
	memcpy(cut, map, sizeof(cut));
	assert_int_equal(fdt_setprop(b, pcie, "interrupt-map", cut, sizeof(cut)), 0);
	give_cells(fdt, NULL, 0, NULL, 0x0008);
	assert_true(parse_and_free(fdt, b) < 0);
	assert_logged("layout: /bulkhead/cell@1: pci-devices: BDF 0x0008: /pcie@10000000: "
		      "interrupt-map cannot be read\n");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/*
 * A host bridge without an interrupt-map routes no INTx line: its function
 * is taken, without one (MSI, or polled), not refused as an unreadable map.
 */
static void test_a_host_bridge_without_an_interrupt_map_gives_no_intx_line(void **state)
{
	const struct layout_cell *beta = &layout.cells[1];
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	void *b = board_copy(1024);

	(void)state;
	assert_int_equal(fdt_delprop(b, fdt_path_offset(b, "/pcie@10000000"), "interrupt-map"), 0);
	give_cells(fdt, NULL, 0, NULL, 0x0008);
	if (parse_and_free(fdt, b))
		fail_msg("refused:\n%s", fake_log_text());
	assert_int_equal(beta->pci_intx[0], 0);
}

/*
 * BDF 0x0008's INTA# as the host bridge's interrupt-map gives it, one cell of
 * QEMU virt's map changed: entry @entry (10 cells: child address, pin, GIC,
 * its 2 address cells, a 3-cell specifier), cell @cell set to @val, or, with
 * @swap, entry @entry swapped with entry @cell; with @host_cells, the host
 * bridge's #interrupt-cells set to it. layout_parse()'s result.
 */
static int parse_with_map_changed(int entry, int cell, uint32_t val, bool swap, uint32_t host_cells)
{
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	void *b = board_copy(1024);
	int pcie = fdt_path_offset(b, "/pcie@10000000");
	const fdt32_t *map;
	fdt32_t out[160], tmp[10];
	int len;

	map = fdt_getprop(b, pcie, "interrupt-map", &len);
	assert_true(map && len % 40 == 0 && len <= (int)sizeof(out));
	memcpy(out, map, (size_t)len);
	if (swap) {
		memcpy(tmp, &out[10 * entry], sizeof(tmp));
		memcpy(&out[10 * entry], &out[10 * cell], sizeof(tmp));
		memcpy(&out[10 * cell], tmp, sizeof(tmp));
	} else if (cell >= 0) {
		out[10 * entry + cell] = cpu_to_fdt32(val);
	}
	assert_int_equal(fdt_setprop(b, pcie, "interrupt-map", out, len), 0);
	if (host_cells)
		assert_int_equal(fdt_setprop_u32(b, pcie, "#interrupt-cells", host_cells), 0);
	give_cells(fdt, NULL, 0, NULL, 0x0008);
	return parse_and_free(fdt, b);
}

/*
 * Slot 1's INTA# (entry 4 of QEMU virt's map, SPI 4: INTID 36) read as its
 * entry says: the pin matched too (its INTD# entry moved before it changes
 * nothing), SPI 987 the last taken; a PPI, SPI 988 or a host bridge of 2
 * interrupt cells refused.
 */
static void test_a_functions_intx_line_is_read_from_its_map_entry(void **state)
{
	const struct layout_cell *beta = &layout.cells[1];

	(void)state;
	assert_int_equal(parse_with_map_changed(4, -1, 0, false, 0), 0);
	assert_int_equal(beta->pci_intx[0], 36);
	assert_int_equal(parse_with_map_changed(4, 7, 0, true, 0), 0);
	assert_int_equal(beta->pci_intx[0], 36);
	assert_int_equal(parse_with_map_changed(4, 8, 987, false, 0), 0);
	assert_int_equal(beta->pci_intx[0], 32 + 987);
	assert_true(parse_with_map_changed(4, 8, 988, false, 0) < 0);
	assert_logged("layout: /bulkhead/cell@1: pci-devices: BDF 0x0008: its INTx line is not a "
		      "GIC SPI of the board's GIC (/pcie@10000000 interrupt-map)\n");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_true(parse_with_map_changed(4, 7, 1, false, 0) < 0);
	assert_logged("BDF 0x0008: its INTx line is not a GIC SPI of the board's GIC");
	assert_true(parse_with_map_changed(4, -1, 0, false, 2) < 0);
	assert_logged("BDF 0x0008: /pcie@10000000: interrupt-map cannot be read\n");
}

/*
 * An SMMU with one "combined" line for its events and errors
 * (arm,smmu-v3.yaml): a device on that SPI is refused, the line named so.
 */
static void test_a_device_on_the_smmus_combined_interrupt_is_rejected(void **state)
{
	const fdt32_t spi74[3] = { 0, cpu_to_fdt32(74), cpu_to_fdt32(1) };
	void *src = unit_dtb_load("board-hyp-irqs.dtb");
	void *b = board_copy_of(src, 256);
	void *fdt = load_layout("configs/qemu-virt/two-cells.dtb", 256);
	int smmu = fdt_path_offset(b, "/smmuv3@9050000");

	(void)state;
	free(src);
	assert_int_equal(fdt_setprop(b, smmu, "interrupts", spi74, sizeof(spi74)), 0);
	assert_int_equal(fdt_setprop_string(b, smmu, "interrupt-names", "combined"), 0);
	give_cells(fdt, NULL, 0, "/gpio@a004000", 0);
	assert_true(parse_and_free(fdt, b) < 0);
	assert_logged("layout: /bulkhead/cell@1: devices: /gpio@a004000: INTID 106 is the "
		      "hypervisor's own: the combined interrupt of its SMMU /smmuv3@9050000");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_with_ppi_is_rejected),
		cmocka_unit_test(test_a_device_spi_past_intid_1019_is_rejected),
		cmocka_unit_test(test_a_device_spi_on_a_doorbell_intid_is_rejected),
		cmocka_unit_test(test_the_doorbell_intids_end_at_the_last_doorbell),
		cmocka_unit_test(
			test_a_pci_intx_line_on_a_doorbell_intid_is_rejected_as_the_functions),
		cmocka_unit_test(test_spi_shared_by_devices_of_two_cells_is_rejected),
		cmocka_unit_test(test_a_device_on_another_cells_intx_line_is_rejected),
		cmocka_unit_test(test_devices_sharing_an_spi_are_told_apart_from_intx_lines),
		cmocka_unit_test(test_a_cells_spis_are_its_devices_and_intx_lines_each_once),
		cmocka_unit_test(test_a_cell_of_more_than_32_spis_is_rejected),
		cmocka_unit_test(test_a_device_below_an_interrupt_nexus_is_rejected_naming_it),
		cmocka_unit_test(test_a_4_cell_gic_spec_gives_the_cell_its_spi),
		cmocka_unit_test(test_a_4_cell_gic_ppi_or_spi_with_a_partition_is_refused),
		cmocka_unit_test(
			test_a_device_whose_interrupts_miss_the_gic_is_rejected_saying_why),
		cmocka_unit_test(test_a_device_on_the_console_uarts_interrupt_is_rejected),
		cmocka_unit_test(test_devices_on_the_smmus_interrupts_are_rejected),
		cmocka_unit_test(test_a_pci_function_whose_intx_is_the_console_uarts_is_rejected),
		cmocka_unit_test(test_a_pci_function_on_the_virtual_consoles_intid_is_rejected),
		cmocka_unit_test(test_a_device_on_the_virtual_consoles_intid_is_rejected),
		cmocka_unit_test(test_a_device_of_more_interrupts_than_the_most_is_refused),
		cmocka_unit_test(test_a_device_is_told_only_of_its_first_refused_interrupt),
		cmocka_unit_test(test_a_device_whose_interrupt_parent_is_wrong_is_told_why),
		cmocka_unit_test(test_a_device_whose_interrupts_cannot_be_read_is_refused),
		cmocka_unit_test(test_an_interrupt_map_to_a_gic_of_no_address_cells_is_read),
		cmocka_unit_test(test_an_interrupt_map_cut_inside_an_entry_is_refused),
		cmocka_unit_test(test_a_host_bridge_without_an_interrupt_map_gives_no_intx_line),
		cmocka_unit_test(test_a_functions_intx_line_is_read_from_its_map_entry),
		cmocka_unit_test(test_a_device_on_the_smmus_combined_interrupt_is_rejected),
	};

	return cmocka_run_group_tests(tests, setup_board, teardown_board);
}
