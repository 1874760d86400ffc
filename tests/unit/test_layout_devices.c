// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which board nodes a cell may be given (partitions/layout*.c): not an IOMMU,
 * an MSI controller, a CPU, a node on a bus without ranges or one the board
 * does not enable; below a bus only if the bus is enabled and one of its
 * windows holds the whole region; each node name once in the cell; and PCI
 * functions on the host's buses that are not bridges.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msi_controller_is_not_a_cell_device),
		cmocka_unit_test(test_an_iommu_is_not_a_cell_device),
		cmocka_unit_test(test_a_device_the_board_does_not_enable_is_rejected),
		cmocka_unit_test(test_a_device_below_a_disabled_bus_is_rejected),
		cmocka_unit_test(test_a_device_reaching_past_its_bus_window_is_rejected),
		cmocka_unit_test(test_a_device_whose_translation_wraps_is_rejected),
		cmocka_unit_test(test_a_pci_function_outside_the_hosts_bus_range_is_rejected),
		cmocka_unit_test(test_a_pci_function_the_board_describes_as_a_bridge_is_rejected),
		cmocka_unit_test(test_a_cpu_or_a_bus_address_in_devices_is_told_it_is_no_mmio),
		cmocka_unit_test(test_two_devices_with_one_node_name_in_a_cell_are_rejected),
	};

	return cmocka_run_group_tests(tests, setup_board, teardown_board);
}
