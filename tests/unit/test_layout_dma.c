// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's DMA (partitions/layout*.c): the SMMUv3 streams of its devices
 * (iommus) and PCI functions (the PCIe host's iommu-map and iommu-map-mask),
 * each stream one cell's and inside the stream table the hypervisor has; a
 * master through another IOMMU, or a known bus master that names none, needs
 * unprotected-dma, which needs an identity-mapped cell; and the layout print's
 * streams.
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

static int parse_on_sid_board(const char *alpha_dev, uint32_t alpha_pci, const char *beta_dev,
			      uint32_t beta_pci)
{
	return parse_on_board("board-virt-sids.dtb", alpha_dev, alpha_pci, beta_dev, beta_pci);
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
 * The A64's, RK3399's and i.MX 8MQ's Ethernet, MMC, USB host, GPU, video,
 * deinterlace and camera controllers master DMA with nothing in their nodes to say so: each is a
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
		{ "/deinterlace@a018000", "allwinner,sun8i-h3-deinterlace" },
		{ "/csi@a019000", "allwinner,sun50i-a64-csi" },
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

/* Distinct streams pass, and the layout print shows each device's and function's. */
static void test_streams_are_printed_per_device_and_function(void **state)
{
	(void)state;
	assert_int_equal(parse_on_sid_board("/dma@a002000", 0x0010, "/dma@a000000", 0), 0);
	assert_logged("PCI: 0x0:0x2.0 (stream 0x10)");
	assert_logged("device /dma@a002000: MMIO 0xa002000+0x1000 INTID 50 stream 0x9");
	assert_logged("device /dma@a000000: MMIO 0xa000000+0x1000 INTID 48 stream 0x8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_unprotected_pci_in_a_cell_whose_ipa_is_not_its_pa_is_rejected),
		cmocka_unit_test(test_without_board_unprotected_dma_still_needs_the_identity_map),
		cmocka_unit_test(
			test_a_pci_function_behind_an_smmu_bulkhead_does_not_drive_is_rejected),
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
		cmocka_unit_test(test_iommus_entries_follow_each_iommus_cell_count),
		cmocka_unit_test(test_the_porting_walks_bus_masters_are_known),
		cmocka_unit_test(test_streams_are_printed_per_device_and_function),
	};

	return cmocka_run_group_tests(tests, setup_board, teardown_board);
}
