// SPDX-License-Identifier: GPL-2.0-only
/*
 * platform_discover() against QEMU virt's own DTBs (dumped at test time by
 * scripts/dump-dtbs), one-defect variants of them (tests/unit/make-broken-dtbs)
 * and hand-written boards (tests/unit/dts/). Expected values were read from
 * `dtc -I dtb -O dts` of the QEMU 10 dumps.
 */
#define _POSIX_C_SOURCE 200809L /* fork(), alarm() */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

#include "fake_log.h"
#include "platform.h"
#include "unit_dtb.h"

#define GIB (1ULL << 30)
#define MIB (1ULL << 20)

/* Load @name, run discovery on a fresh log, free the blob. Returns what discovery returned. */
static int discover(const char *name, struct platform *plat)
{
	void *fdt = unit_dtb_load(name);
	int r;

	fake_log_reset();
	r = platform_discover(fdt, plat);
	free(fdt);
	return r;
}

/* Discovery of a good board: succeeds and logs no error. */
static void discover_ok(const char *name, struct platform *plat)
{
	int r = discover(name, plat);

	if (r != 0 || fake_log_count(LOG_ERR) != 0)
		fail_msg("%s: platform_discover() = %d, log:\n%s", name, r, fake_log_text());
}

/* A mem_range compared as a whole, named in the failure message. */
#define assert_range(r, base, size) assert_range_is(#r, (r), (base), (size))

static void assert_range_is(const char *what, struct mem_range r, uint64_t base, uint64_t size)
{
	if (r.base != base || r.size != size)
		fail_msg("%s is 0x%llx+0x%llx, want 0x%llx+0x%llx", what,
			 (unsigned long long)r.base, (unsigned long long)r.size,
			 (unsigned long long)base, (unsigned long long)size);
}

/* What every 4-CPU, 2 GiB QEMU virt board has in common. */
static void assert_virt_common(const struct platform *plat)
{
	int i;

	assert_int_equal(plat->nr_mem, 1);
	assert_range(plat->mem[0], 0x40000000, 2 * GIB);
	assert_int_equal(plat->nr_reserved, 0); /* QEMU keeps no RAM from the OS */
	assert_int_equal(plat->nr_cpus, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(plat->cpus[i].mpidr, i);
	assert_int_equal(plat->psci, PSCI_CONDUIT_SMC);
	assert_int_equal(plat->gic.dist.base, 0x08000000);
	assert_int_equal(plat->gic.maint_irq, 25); /* PPI 9 */
	assert_int_equal(plat->uart.type, UART_PL011);
	assert_range(plat->uart.regs, 0x09000000, 0x1000);
	assert_int_equal(plat->uart.irq, 33); /* SPI 1: console input */
	assert_string_equal(plat->uart.path, "/pl011@9000000");
	assert_int_equal(plat->uart.baud, 0); /* QEMU's stdout-path gives no options */
	assert_int_equal(plat->timer_freq, 0);
	assert_true(plat->pcie.present);
	assert_range(plat->pcie.ecam, 0x4010000000, 256 * MIB); /* highmem ECAM */
	assert_int_equal(plat->pcie.bus_first, 0);
	assert_int_equal(plat->pcie.bus_last, 255);
	assert_string_equal(plat->pcie.path, "/pcie@10000000");
}

static void assert_gicv3(const struct platform *plat)
{
	assert_int_equal(plat->gic.version, 3);
	assert_range(plat->gic.dist, 0x08000000, 0x10000);
	assert_range(plat->gic.redist, 0x080a0000, 0xf60000);
	assert_int_equal(plat->gic.nr_redist_regions, 1);
	assert_range(plat->gic.redist_regions[0], 0x080a0000, 0xf60000);
	assert_int_equal(plat->gic.redist_stride, 0);
}

static void assert_gicv2(const struct platform *plat)
{
	assert_int_equal(plat->gic.version, 2);
	assert_range(plat->gic.dist, 0x08000000, 0x10000);
	assert_range(plat->gic.cpuif, 0x08010000, 0x10000);
	assert_range(plat->gic.hyp, 0x08030000, 0x10000);
	assert_range(plat->gic.vcpu, 0x08040000, 0x10000);
}

/* QEMU's SMMUv3: eventq is SPI 74, gerror SPI 77; PCIe maps every RID 1:1 to a stream. */
static void assert_virt_smmu(const struct platform *plat)
{
	uint32_t sid = 0;

	assert_true(plat->smmu.present);
	assert_range(plat->smmu.regs, 0x09050000, 0x20000);
	assert_int_equal(plat->smmu.eventq_irq, 32 + 74);
	assert_int_equal(plat->smmu.gerror_irq, 32 + 77);
	assert_int_not_equal(plat->smmu.phandle, 0);
	assert_string_equal(plat->smmu.path, "/smmuv3@9050000");
	assert_int_equal(plat->pcie.nr_iommu_map, 1);
	assert_int_equal(plat->pcie.iommu_map[0].rid_base, 0);
	assert_int_equal(plat->pcie.iommu_map[0].phandle, plat->smmu.phandle);
	assert_int_equal(plat->pcie.iommu_map[0].sid_base, 0);
	assert_int_equal(plat->pcie.iommu_map[0].len, 0x10000);
	assert_false(plat->pcie.iommu_map[0].not_smmu);
	assert_true(platform_pcie_sid(&plat->pcie, 0x0108, &sid));
	assert_int_equal(sid, 0x0108);
}

static void test_gicv3_board_is_discovered(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("virt-gicv3.dtb", &plat);
	assert_virt_common(&plat);
	assert_gicv3(&plat);
	assert_false(plat.smmu.present);
	assert_int_equal(plat.pcie.nr_iommu_map, 0);
}

static void test_gicv3_smmu_board_is_discovered(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("virt-gicv3-smmuv3.dtb", &plat);
	assert_virt_common(&plat);
	assert_gicv3(&plat);
	assert_virt_smmu(&plat);
}

/*
 * The PCIe host's first 32-bit memory window (PCI address, CPU address,
 * size), QEMU virt's and a board's own, the same through the board's index
 * (the host and its parent found in it) as through libfdt alone.
 */
static void test_pcie_mem32_window_through_the_index_is_libfdts(void **state)
{
	static const struct {
		const char *board;
		uint64_t win[3];
	} cases[] = {
		{ "virt-gicv3-smmuv3.dtb", { 0x10000000, 0x10000000, 0x2eff0000 } },
		{ "board-pci-low-window.dtb", { 0x08000000, 0x08000000, 0x01000000 } },
	};
	static struct platform plat;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *fdt = unit_dtb_load(cases[i].board);
		uint64_t got[3], want[3];

		assert_int_equal(platform_discover(fdt, &plat), 0);
		assert_ptr_equal(plat.index.fdt, fdt);
		assert_int_equal(platform_pcie_mem32_window(&plat.index, fdt, &plat.pcie, got), 0);
		assert_int_equal(platform_pcie_mem32_window(NULL, fdt, &plat.pcie, want), 0);
		for (int k = 0; k < 3; k++) {
			if (got[k] != want[k] || got[k] != cases[i].win[k])
				fail_msg("%s: window word %d: index 0x%llx, libfdt 0x%llx, want "
					 "0x%llx",
					 cases[i].board, k, (unsigned long long)got[k],
					 (unsigned long long)want[k],
					 (unsigned long long)cases[i].win[k]);
		}
		free(fdt);
	}
}

/*
 * Two SMMUv3s: Bulkhead drives the first; the PCIe host's iommu-map names the
 * second, whose stream IDs are not the first's: partitions/pci.c gets none.
 */
static void test_a_pcie_host_behind_another_smmu_has_no_stream_of_the_driven_one(void **state)
{
	struct platform plat;
	uint32_t sid = 0;

	(void)state;
	discover_ok("board-two-smmus.dtb", &plat);
	assert_string_equal(plat.smmu.path, "/smmuv3@9050000");
	if (platform_pcie_sid(&plat.pcie, 0x0008, &sid))
		fail_msg("BDF 0x0008 given stream 0x%x of %s, but the host's iommu-map names "
			 "/smmuv3@9070000",
			 sid, plat.smmu.path);
}

/* iommu-map with two entries: bus 0 to streams 0x0-0xff, bus 2 to 0x300-0x3ff. */
static void test_every_iommu_map_entry_gives_its_rids_their_streams(void **state)
{
	struct platform plat;
	uint32_t sid0 = 0, sid2 = 0;

	(void)state;
	discover_ok("board-iommu-map-two-ranges.dtb", &plat);
	if (!platform_pcie_sid(&plat.pcie, 0x0008, &sid0) ||
	    !platform_pcie_sid(&plat.pcie, 0x0208, &sid2) || sid0 != 0x8 || sid2 != 0x308)
		fail_msg("BDF 0x0008 -> stream 0x%x, BDF 0x0208 -> stream 0x%x; want 0x8 and 0x308 "
			 "(entries <0x0 &smmu 0x0 0x100>, <0x200 &smmu 0x300 0x100>)",
			 sid0, sid2);
}

/* iommu-map-mask 0xfff8: every function of device 00:01 is looked up as 00:01.0. */
static void test_the_iommu_map_mask_gives_a_devices_functions_one_stream(void **state)
{
	struct platform plat;
	uint32_t sid = 0;

	(void)state;
	discover_ok("board-iommu-map-mask.dtb", &plat);
	assert_true(platform_pcie_sid(&plat.pcie, 0x000f, &sid));
	if (sid != 0x8)
		fail_msg("BDF 0x000f: stream 0x%x, want 0x8 (RID & iommu-map-mask 0xfff8)", sid);
}

/* Every GIC frame, the ITS below the GIC node too: none of it may go to a cell. */
static void test_gicv3_frames_include_the_its(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("virt-gicv3-smmuv3.dtb", &plat);
	assert_int_equal(plat.gic.nr_frames, 3);
	assert_range(plat.gic.frames[0], 0x08000000, 0x10000);
	assert_range(plat.gic.frames[1], 0x080a0000, 0xf60000);
	assert_range(plat.gic.frames[2], 0x08080000, 0x20000);
}

/* Every GICR region is kept (the driver looks for a CPU's redistributor in each), and the stride.
 */
static void test_gicv3_every_redistributor_region_and_the_stride_are_kept(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("gicv3-two-redist-regions.dtb", &plat);
	assert_int_equal(plat.gic.nr_redist_regions, 2);
	assert_range(plat.gic.redist_regions[0], 0x080a0000, 0x80000);
	assert_range(plat.gic.redist_regions[1], 0x08200000, 0x80000);
	assert_range(plat.gic.redist, 0x080a0000, 0x80000);
	assert_int_equal(plat.gic.redist_stride, 0x40000);
}

static void test_gicv2_board_is_discovered(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("virt-gicv2.dtb", &plat);
	assert_virt_common(&plat);
	assert_gicv2(&plat);
	assert_false(plat.smmu.present);
}

static void test_gicv2_smmu_board_is_discovered(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("virt-gicv2-smmuv3.dtb", &plat);
	assert_virt_common(&plat);
	assert_gicv2(&plat);
	assert_virt_smmu(&plat);
}

static void test_eight_cpu_board_lists_every_mpidr(void **state)
{
	struct platform plat;
	int i;

	(void)state;
	discover_ok("virt-gicv3-smp8.dtb", &plat);
	assert_int_equal(plat.nr_cpus, 8);
	for (i = 0; i < 8; i++)
		assert_int_equal(plat.cpus[i].mpidr, i);
}

/* 8 CPUs, as many as a GICv2 targets (fdtput added cpu@4..7 before the others). */
static void test_gicv2_with_eight_cpus_is_discovered(void **state)
{
	struct platform plat;
	unsigned int seen = 0;

	(void)state;
	discover_ok("gicv2-smp8.dtb", &plat);
	assert_gicv2(&plat);
	assert_int_equal(plat.nr_cpus, 8);
	for (int i = 0; i < 8; i++)
		seen |= 1u << (plat.cpus[i].mpidr & 31);
	assert_int_equal(seen, 0xff);
}

static void test_single_boot_cpu_needs_no_enable_method(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("virt-gicv3-smp1.dtb", &plat);
	assert_int_equal(plat.nr_cpus, 1);
	assert_int_equal(plat.cpus[0].mpidr, 0);
}

static void test_stdout_alias_with_options_is_resolved(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("stdout-alias-options.dtb", &plat);
	assert_string_equal(plat.uart.path, "/pl011@9000000");
	assert_range(plat.uart.regs, 0x09000000, 0x1000);
	assert_int_equal(plat.uart.baud,
			 115200); /* "serial0:115200n8": the console's input times by it */
}

/*
 * The rate stdout-path's options give, or 0 (the console then holds a lone
 * ESC 2 ms): none, or absurd. Until 2026-11-25 only rates past 10^8 were
 * refused, and "serial0:1" held every Escape key 40 s.
 */
static void test_stdout_paths_rate_is_taken_only_when_a_uart_could_run_at_it(void **state)
{
	static const struct {
		const char *path;
		uint32_t baud;
	} cases[] = {
		{ "serial0:115200n8", 115200 },
		{ "serial0:50", 50 },
		{ "serial0:49", 0 },
		{ "serial0:9", 0 },
		{ "serial0:1", 0 },
		{ "serial0:0", 0 },
		{ "serial0:n8", 0 },
		{ "serial0:100000000", 100000000 },
		{ "serial0:100000001", 0 },
	};
	void *src = unit_dtb_load("stdout-alias-options.dtb"), *fdt = malloc(64 * 1024);
	struct platform plat;

	(void)state;
	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(src, fdt, 64 * 1024), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/chosen"),
						    "stdout-path", cases[i].path),
				 0);
		assert_int_equal(platform_discover(fdt, &plat), 0);
		if (plat.uart.baud != cases[i].baud)
			fail_msg("\"%s\" gives %u baud, want %u", cases[i].path, plat.uart.baud,
				 cases[i].baud);
	}
	free(src);
	free(fdt);
}

/* tests/unit/dts/board-minimal.dts: everything QEMU virt does not exercise. */
static void test_minimal_board_memory_spans_nodes_and_skips_disabled(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("board-minimal.dtb", &plat);
	assert_int_equal(plat.nr_mem, 3);
	assert_range(plat.mem[0], 0x80000000, 1 * GIB);
	assert_range(plat.mem[1], 0x880000000, 4 * GIB);
	assert_range(plat.mem[2], 0xc0000000, 512 * MIB);
}

/* tests/unit/dts/board-virt-extras.dts: firmware's RAM, and what keeps none. */
static void test_reserved_memory_is_recorded_but_not_pools_or_disabled_nodes(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("board-virt-extras.dtb", &plat);
	assert_int_equal(plat.nr_reserved, 5);
	assert_range(plat.reserved[0].range, 0x4c100000, 0x1000);
	assert_int_equal(plat.reserved[0].node, -1);
	assert_range(plat.reserved[1].range, 0x48200000, 0x100000);
	assert_range(plat.reserved[2].range, 0x40800000, 0x1000);
	assert_range(plat.reserved[3].range, 0x60004000, 0x1000);
	assert_range(plat.reserved[4].range, 0x70000000, 0x100000);
}

/* Only no-map children are kept out of EL2's map; a /memreserve/ entry is not one. */
static void test_no_map_is_recorded_for_each_reserved_range(void **state)
{
	static const bool no_map[] = { false, true, false, false, true };
	static const char *const path[] = { "/memreserve/", "/reserved-memory/firmware@48200000",
					    "/reserved-memory/optee@40800000",
					    "/reserved-memory/ramoops@60004000",
					    "/reserved-memory/both@70000000" };
	void *fdt = unit_dtb_load("board-virt-extras.dtb");
	struct platform plat;
	char buf[PLATFORM_PATH_MAX];

	(void)state;
	fake_log_reset();
	assert_int_equal(platform_discover(fdt, &plat), 0);
	assert_int_equal(plat.nr_reserved, 5);
	for (int i = 0; i < plat.nr_reserved; i++) {
		platform_reserved_path(&plat, fdt, i, buf, sizeof(buf));
		assert_string_equal(buf, path[i]);
		if (plat.reserved[i].no_map != no_map[i])
			fail_msg("%s: no_map %d, want %d", buf, plat.reserved[i].no_map, no_map[i]);
	}
	free(fdt);
}

/* QEMU virt with @n no-map children of a new /reserved-memory, 4 KiB each from 0x50000000. */
static void *virt_with_reserved(int n)
{
	void *src = unit_dtb_load("virt-gicv3.dtb"), *fdt = malloc(1 << 20);
	int parent;

	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(src, fdt, 1 << 20), 0);
	free(src);
	parent = fdt_add_subnode(fdt, 0, "reserved-memory");
	assert_true(parent >= 0);
	assert_int_equal(fdt_setprop_u32(fdt, parent, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(fdt, parent, "#size-cells", 2), 0);
	assert_int_equal(fdt_setprop_empty(fdt, parent, "ranges"), 0);
	for (int i = n - 1; i >= 0; i--) { /* fdt_add_subnode() puts each first */
		uint64_t base = 0x50000000ull + (uint64_t)i * 0x1000;
		fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(0x1000) };
		char name[32];
		int node;

		snprintf(name, sizeof(name), "fw@%llx", (unsigned long long)base);
		node = fdt_add_subnode(fdt, parent, name);
		assert_true(node >= 0);
		assert_int_equal(fdt_setprop(fdt, node, "reg", reg, sizeof(reg)), 0);
		assert_int_equal(fdt_setprop_empty(fdt, node, "no-map"), 0);
	}
	return fdt;
}

/*
 * Boards with many firmware carve-outs: TI's J721E SK has 20 reserved-memory
 * children, Qualcomm SM8450 boards 44 (Debian's 6.1 DTBs).
 */
static void test_up_to_the_limit_of_reserved_ranges_are_all_recorded(void **state)
{
	void *fdt = virt_with_reserved(PLATFORM_MAX_RESERVED);
	struct platform plat;

	(void)state;
	fake_log_reset();
	assert_int_equal(platform_discover(fdt, &plat), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
	assert_int_equal(plat.nr_reserved, PLATFORM_MAX_RESERVED);
	assert_int_equal(PLATFORM_MAX_RESERVED, 64);
	for (int i = 0; i < PLATFORM_MAX_RESERVED; i++)
		assert_range(plat.reserved[i].range, 0x50000000ull + (uint64_t)i * 0x1000, 0x1000);
	free(fdt);
}

/* One more must fail discovery: a reservation not recorded could be handed to a cell. */
static void test_one_reserved_range_past_the_limit_fails_discovery(void **state)
{
	void *fdt = virt_with_reserved(PLATFORM_MAX_RESERVED + 1);
	struct platform plat;

	(void)state;
	fake_log_reset();
	assert_int_not_equal(platform_discover(fdt, &plat), 0);
	assert_logged("platform: /reserved-memory/fw@50040000: reg: more than 64 reserved memory "
		      "ranges in all (PLATFORM_MAX_RESERVED)");
	free(fdt);
}

/* QEMU virt whose /memory@40000000 has its 2 GiB, then the banks @extra (base, size pairs). */
static void *virt_with_ram_banks(const uint64_t *extra, int n)
{
	void *src = unit_dtb_load("virt-gicv3.dtb"), *fdt = malloc(1 << 20);
	fdt64_t reg[2 + 2 * 2];
	int node;

	assert_true(n <= 2);
	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(src, fdt, 1 << 20), 0);
	free(src);
	reg[0] = cpu_to_fdt64(0x40000000);
	reg[1] = cpu_to_fdt64(2 * GIB);
	for (int i = 0; i < 2 * n; i++)
		reg[2 + i] = cpu_to_fdt64(extra[i]);
	node = fdt_path_offset(fdt, "/memory@40000000");
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop(fdt, node, "reg", reg, (2 + 2 * n) * sizeof(reg[0])), 0);
	return fdt;
}

/* Discovery of QEMU virt with the two banks @extra refuses them, saying @why. */
static void assert_banks_refused(const uint64_t *extra, const char *why)
{
	void *fdt = virt_with_ram_banks(extra, 2);
	struct platform plat;

	fake_log_reset();
	assert_int_not_equal(platform_discover(fdt, &plat), 0);
	assert_logged(why);
	free(fdt);
}

/*
 * A /memory reg written with other cell counts than its parent's (a fixup
 * for a root of 1 and 1 cells on one of 2 and 2) reads as entries that
 * overlap each other: the message says which counts read it. Before, only
 * "entry 1: ... overlaps RAM range ...".
 */
static void test_overlapping_entries_of_one_memory_reg_name_the_cell_counts(void **state)
{
	static const uint64_t again[] = { 0x40000000, 0x1000 };
	void *fdt = virt_with_ram_banks(again, 1);
	struct platform plat;

	(void)state;
	fake_log_reset();
	assert_int_not_equal(platform_discover(fdt, &plat), 0);
	assert_logged("platform: /memory@40000000: reg: entry 1: 0x40000000+0x1000 overlaps RAM "
		      "range 0x40000000+0x80000000, an entry of the same reg (read with /'s "
		      "#address-cells = <2>, #size-cells = <2>: written with others, one entry "
		      "reads as several)");
	free(fdt);
}

/*
 * Two RAM banks that overlap, one ending at 2^64 (its base + size wraps to
 * 0): refused, whichever comes first. Until 2026-11-25 the check compared
 * exclusive ends, 0 for that bank, and never saw the overlap.
 */
static void test_overlapping_ram_banks_one_ending_at_2_64_are_refused(void **state)
{
	static const uint64_t to_the_top[] = { 0xffffffff00000000ULL, 0x100000000ULL,
					       0xffffffff80000000ULL, 0x1000 };
	static const uint64_t top_last[] = { 0xffffffff80000000ULL, 0x1000, 0xffffffff00000000ULL,
					     0x100000000ULL };
	struct platform plat;
	void *fdt;

	(void)state;
	assert_banks_refused(to_the_top, "reg: entry 2: 0xffffffff80000000+0x1000 overlaps RAM "
					 "range 0xffffffff00000000+0x100000000");
	assert_banks_refused(top_last, "reg: entry 2: 0xffffffff00000000+0x100000000 overlaps RAM "
				       "range 0xffffffff80000000+0x1000");
	/* Alone, the bank at the top is RAM like any other. */
	fdt = virt_with_ram_banks(to_the_top, 1);
	fake_log_reset();
	if (platform_discover(fdt, &plat) != 0)
		fail_msg("a lone bank ending at 2^64 was refused:\n%s", fake_log_text());
	assert_int_equal(plat.nr_mem, 2);
	assert_range(plat.mem[1], 0xffffffff00000000ULL, 0x100000000ULL);
	free(fdt);
}

/*
 * QEMU virt whose console node claims @compat (a NUL-separated list of @len
 * bytes) with @shift and @width as reg-shift and reg-io-width (< 0: absent).
 */
static void *virt_with_console(const char *compat, int len, int shift, int width)
{
	void *src = unit_dtb_load("virt-gicv3.dtb"), *fdt = malloc(1 << 20);
	int node;

	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(src, fdt, 1 << 20), 0);
	free(src);
	node = fdt_path_offset(fdt, "/pl011@9000000");
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop(fdt, node, "compatible", compat, len), 0);
	if (shift >= 0)
		assert_int_equal(fdt_setprop_u32(fdt, node, "reg-shift", (uint32_t)shift), 0);
	if (width >= 0)
		assert_int_equal(fdt_setprop_u32(fdt, node, "reg-io-width", (uint32_t)width), 0);
	return fdt;
}

#define COMPAT(s) s, (int)sizeof(s)

static void assert_console_16550(void *fdt, unsigned int shift, unsigned int width)
{
	struct platform plat;

	fake_log_reset();
	if (platform_discover(fdt, &plat) != 0 || fake_log_count(LOG_ERR) != 0)
		fail_msg("platform_discover() failed, log:\n%s", fake_log_text());
	free(fdt);
	assert_int_equal(plat.uart.type, UART_16550);
	assert_string_equal(plat.uart.path, "/pl011@9000000");
	assert_range(plat.uart.regs, 0x09000000, 0x1000);
	assert_int_equal(plat.uart.reg_shift, shift);
	assert_int_equal(plat.uart.reg_width, width);
	assert_string_equal(platform_uart_name(plat.uart.type), "16550");
}

/* Rockchip's and Allwinner's DesignWare UART: its node gives the stride and width. */
static void test_designware_console_takes_reg_shift_and_width(void **state)
{
	(void)state;
	assert_console_16550(
		virt_with_console(COMPAT("rockchip,rk3399-uart\0snps,dw-apb-uart"), 2, 4), 2, 4);
}

/* TI K3 nodes say neither; Linux's 8250_omap uses a 4-byte stride, 32-bit accesses. */
static void test_ti_k3_console_defaults_to_a_4_byte_stride(void **state)
{
	(void)state;
	assert_console_16550(virt_with_console(COMPAT("ti,am64-uart\0ti,am654-uart"), -1, -1), 2,
			     4);
}

/* The 8250 binding's defaults: bytes, side by side. */
static void test_plain_ns16550a_console_is_byte_wide(void **state)
{
	(void)state;
	assert_console_16550(virt_with_console(COMPAT("ns16550a"), -1, -1), 0, 1);
}

/* Amlogic's UART_AO, as Debian's meson DTBs give it: no stride or width, none taken. */
static void test_amlogic_console_is_a_meson_uart(void **state)
{
	struct platform plat;
	void *fdt =
		virt_with_console(COMPAT("amlogic,meson-gx-uart\0amlogic,meson-ao-uart"), -1, -1);

	(void)state;
	fake_log_reset();
	if (platform_discover(fdt, &plat) != 0 || fake_log_count(LOG_ERR) != 0)
		fail_msg("platform_discover() failed, log:\n%s", fake_log_text());
	free(fdt);
	assert_int_equal(plat.uart.type, UART_MESON);
	assert_range(plat.uart.regs, 0x09000000, 0x1000);
	assert_string_equal(platform_uart_name(plat.uart.type), "Amlogic meson UART");
}

static void assert_console_refused(void *fdt, const char *message)
{
	struct platform plat;

	fake_log_reset();
	assert_int_not_equal(platform_discover(fdt, &plat), 0);
	free(fdt);
	assert_logged(message);
}

static void test_16550_with_unsupported_width_or_stride_is_refused(void **state)
{
	(void)state;
	assert_console_refused(virt_with_console(COMPAT("snps,dw-apb-uart"), 2, 2),
			       "platform: /pl011@9000000: reg-io-width: 2 is not supported (need 1 "
			       "or 4)");
	assert_console_refused(
		virt_with_console(COMPAT("ns16550a"), 4, 1),
		"platform: /pl011@9000000: reg-shift: 4: registers more than 8 bytes "
		"apart are not supported");
}

static void test_minimal_board_cpus_use_two_cell_mpidr_and_skip_failed(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("board-minimal.dtb", &plat);
	assert_int_equal(plat.nr_cpus, 3);
	assert_int_equal(plat.cpus[0].mpidr, 0x0);
	assert_int_equal(plat.cpus[1].mpidr, 0x100); /* "disabled": startable by PSCI */
	assert_int_equal(plat.cpus[2].mpidr, 0x100000000);
}

static void test_minimal_board_devices_are_discovered(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("board-minimal.dtb", &plat);
	assert_int_equal(plat.psci, PSCI_CONDUIT_SMC);
	assert_int_equal(plat.gic.version, 2);
	assert_range(plat.gic.dist, 0xff841000, 0x1000);
	assert_range(plat.gic.cpuif, 0xff842000, 0x2000);
	assert_range(plat.gic.hyp, 0xff844000, 0x2000);
	assert_range(plat.gic.vcpu, 0xff846000, 0x2000);
	assert_int_equal(plat.gic.maint_irq, 25);
	assert_string_equal(plat.uart.path, "/soc@7e000000/serial@7e201400");
	assert_range(plat.uart.regs, 0xfe201400, 0x200);
	assert_int_equal(plat.timer_freq, 62500000);
	assert_false(plat.smmu.present); /* disabled */
	assert_false(plat.pcie.present);
}

/*
 * What boot/main.c's console_fallback() does with broken board @name: discovery
 * fails, then the search for a UART to report on. Its result, @uart filled.
 */
static int fallback_after_failed_discovery(const char *name, struct platform_uart *uart)
{
	void *fdt = unit_dtb_load(name);
	struct platform plat;
	int r;

	fake_log_reset();
	if (platform_discover(fdt, &plat) == 0)
		fail_msg("%s: platform_discover() succeeded on a broken board", name);
	r = platform_find_fallback_uart(fdt, uart);
	free(fdt);
	return r;
}

/* A 16550 console after a PL011 in the tree, a bad /psci: the errors go where stdout-path says. */
static void test_fallback_uart_is_the_stdout_path_16550_of_a_board_broken_elsewhere(void **state)
{
	struct platform_uart uart;
	int r = fallback_after_failed_discovery("broken-psci-16550-console.dtb", &uart);

	(void)state;
	assert_int_equal(r, 0);
	if (strcmp(uart.path, "/soc@7e000000/serial@7e215040") != 0)
		fail_msg("errors shown on %s (%s), want stdout-path's 16550 "
			 "/soc@7e000000/serial@7e215040",
			 uart.path, platform_uart_name(uart.type));
	assert_int_equal(uart.type, UART_16550);
	assert_range(uart.regs, 0xfe215040, 0x40);
	assert_int_equal(uart.reg_shift, 2);
	assert_int_equal(uart.reg_width, 4);
}

/* Two PL011s, stdout-path on the second, a bad /psci: the second, not the first in the tree. */
static void test_fallback_uart_is_the_stdout_path_pl011_not_the_first_one(void **state)
{
	struct platform_uart uart;
	int r = fallback_after_failed_discovery("broken-psci-second-pl011-console.dtb", &uart);

	(void)state;
	assert_int_equal(r, 0);
	if (strcmp(uart.path, "/soc@7e000000/serial@7e201400") != 0)
		fail_msg("errors shown on %s, want stdout-path's (serial1) "
			 "/soc@7e000000/serial@7e201400",
			 uart.path);
	assert_range(uart.regs, 0xfe201400, 0x200);
}

/* stdout-path unusable, no PL011: the first enabled UART of any kind the drivers handle. */
static void test_fallback_uart_searches_every_kind_and_skips_disabled_ones(void **state)
{
	struct platform_uart uart;
	int r = fallback_after_failed_discovery("broken-stdout-cadence-only.dtb", &uart);

	(void)state;
	if (r != 0)
		fail_msg("no UART found (%d), want the enabled Cadence UART "
			 "/soc@7e000000/serial@7e110000",
			 r);
	assert_string_equal(uart.path, "/soc@7e000000/serial@7e110000");
	assert_int_equal(uart.type, UART_CDNS);
	assert_range(uart.regs, 0xfe110000, 0x1000);
	assert_int_equal(fake_log_count(LOG_ERR), 1); /* discovery's stdout-path line only */
}

static void test_fallback_uart_finds_virt_pl011_despite_bad_stdout_path(void **state)
{
	struct platform_uart uart;
	void *fdt = unit_dtb_load("broken-stdout-nowhere.dtb");
	int r = platform_find_fallback_uart(fdt, &uart);

	(void)state;
	free(fdt);
	assert_int_equal(r, 0);
	assert_range(uart.regs, 0x09000000, 0x1000);
}

static void test_fallback_uart_is_absent_when_the_only_pl011_is_disabled(void **state)
{
	struct platform_uart uart;
	void *fdt = unit_dtb_load("broken-stdout-disabled.dtb");
	int r;

	(void)state;
	fake_log_reset();
	r = platform_find_fallback_uart(fdt, &uart);
	free(fdt);
	assert_int_equal(r, -ENOENT);
	assert_int_equal(uart.type, UART_NONE);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/*
 * QEMU virt packed, its /memreserve/ block moved after the others and cut to
 * one entry (0x48000000+0x1000) without the terminating one: libfdt's
 * fdt_num_mem_rsv() finds no end before the end of the blob.
 */
static void *virt_with_unterminated_memreserve(void)
{
	void *src = unit_dtb_load("virt-gicv3.dtb"), *fdt = malloc(1 << 20);
	fdt64_t entry[2] = { cpu_to_fdt64(0x48000000), cpu_to_fdt64(0x1000) };
	uint32_t end;

	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(src, fdt, 1 << 20), 0);
	free(src);
	assert_int_equal(fdt_pack(fdt), 0);
	end = fdt_totalsize(fdt);
	memcpy((char *)fdt + end, entry, sizeof(entry));
	fdt_set_off_mem_rsvmap(fdt, end);
	fdt_set_totalsize(fdt, end + sizeof(entry));
	assert_int_equal(fdt_check_header(fdt), 0);
	assert_true(fdt_num_mem_rsv(fdt) < 0);
	return fdt;
}

static void test_a_memreserve_block_without_its_end_is_named(void **state)
{
	void *fdt = virt_with_unterminated_memreserve();
	struct platform plat;

	(void)state;
	fake_log_reset();
	assert_int_equal(platform_discover(fdt, &plat), -EINVAL);
	free(fdt);
	assert_logged("platform: /: /memreserve/: no terminating entry (size 0) before the end of "
		      "the blob: the RAM firmware keeps is unknown");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/*
 * boot/main.c stops the boot on such a blob and says why on the UART the
 * fallback finds: none found, nothing was printed at all.
 */
static void test_fallback_uart_is_found_despite_a_memreserve_block_without_its_end(void **state)
{
	void *fdt = virt_with_unterminated_memreserve();
	struct platform_uart uart;
	int r = platform_find_fallback_uart(fdt, &uart);

	(void)state;
	free(fdt);
	if (r)
		fail_msg("no fallback UART on QEMU virt with an unterminated /memreserve/ block "
			 "(%d): the boot stops unheard",
			 r);
	assert_int_equal(uart.type, UART_PL011);
	assert_range(uart.regs, 0x09000000, 0x1000);
}

/* The structure block is still checked: a node left open is refused as before. */
static void
test_fallback_refuses_an_unterminated_memreserve_block_with_a_bad_structure(void **state)
{
	void *fdt = virt_with_unterminated_memreserve();
	struct platform_uart uart;
	uint32_t root_end = fdt_size_dt_struct(fdt) - 8; /* FDT_END_NODE of /, then FDT_END */
	fdt32_t nop = cpu_to_fdt32(FDT_NOP);
	int r;

	(void)state;
	memcpy((char *)fdt + fdt_off_dt_struct(fdt) + root_end, &nop, sizeof(nop));
	r = platform_find_fallback_uart(fdt, &uart);
	free(fdt);
	assert_int_equal(r, -ENOENT);
}

/* boot/main.c copies this much: not a size computed from fdt_num_mem_rsv()'s error. */
static void test_used_size_of_a_memreserve_block_without_its_end_is_an_error(void **state)
{
	void *fdt = virt_with_unterminated_memreserve();
	size_t used = 0;
	int r = platform_fdt_used_size(fdt, &used);

	(void)state;
	free(fdt);
	if (r != -FDT_ERR_TRUNCATED)
		fail_msg("platform_fdt_used_size() = %d, %zu bytes; want -FDT_ERR_TRUNCATED", r,
			 used);
}

/* dtc packs its blobs: every byte up to totalsize is in a block. */
static void test_used_size_of_a_packed_blob_is_its_total_size(void **state)
{
	void *fdt = unit_dtb_load("board-virt-extras.dtb");
	size_t used = 0;

	(void)state;
	assert_int_equal(platform_fdt_used_size(fdt, &used), 0);
	assert_int_equal(used, fdt_totalsize(fdt));
	free(fdt);
}

/* QEMU virt's blob in a buffer of @total bytes, its free space after the blocks. */
static void *virt_in_blob_of(size_t total)
{
	void *src = unit_dtb_load("virt-gicv3.dtb"), *fdt = malloc(total);

	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(src, fdt, (int)total), 0);
	free(src);
	return fdt;
}

/*
 * boot/main.c maps the loader's blob whole (totalsize) and copies the
 * blocks in use; bulkhead-check asks the same. QEMU's claims 1 MiB and
 * fills ~10 KiB: taken, its used size given.
 */
static void test_a_blob_the_boot_can_map_and_copy_is_taken(void **state)
{
	void *fdt = virt_in_blob_of(PLATFORM_FDT_MAP_MAX);
	size_t used = 0;

	(void)state;
	fake_log_reset();
	assert_int_equal(platform_fdt_check_size(fdt, &used), 0);
	assert_true(used > 0 && used < 64 * 1024);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
	free(fdt);
}

/* Padded past what the boot maps: the size and the limit, not "x0 is no device tree". */
static void test_a_blob_larger_than_the_boot_maps_is_refused_with_its_size(void **state)
{
	void *fdt = virt_in_blob_of(PLATFORM_FDT_MAP_MAX + 8);
	size_t used = 0;

	(void)state;
	fake_log_reset();
	assert_int_equal(platform_fdt_check_size(fdt, &used), -FDT_ERR_NOSPACE);
	assert_logged("platform: /: header: totalsize is 2097160 bytes, more than the 2048 KiB the "
		      "boot maps to read the blob (its free space counts: give it less padding)");
	free(fdt);
}

static void test_a_blob_whose_blocks_outgrow_the_copy_is_refused_with_their_size(void **state)
{
	void *fdt = virt_in_blob_of(PLATFORM_FDT_MAP_MAX);
	size_t used = 0, pad = PLATFORM_FDT_COPY_MAX;
	void *big = calloc(1, pad);

	(void)state;
	assert_non_null(big);
	assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, "/chosen"), "pad", big, (int)pad),
			 0);
	free(big);
	assert_int_equal(platform_fdt_used_size(fdt, &used), 0);
	fake_log_reset();
	assert_int_equal(platform_fdt_check_size(fdt, &used), -FDT_ERR_NOSPACE);
	assert_true(used > PLATFORM_FDT_COPY_MAX);
	assert_logged("platform: /: header: its blocks take ");
	assert_logged(" bytes, more than the 256 KiB the hypervisor keeps its copy in");
	free(fdt);
}

/* platform_discover() of board-irq-nexus.dtb with stdout-path @console into @plat. */
static int discover_nexus_board_with_console(const char *console, struct platform *plat)
{
	void *src = unit_dtb_load("board-irq-nexus.dtb"), *fdt = malloc(64 * 1024);
	int r;

	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(src, fdt, 64 * 1024), 0);
	free(src);
	assert_int_equal(
		fdt_setprop_string(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", console),
		0);
	fake_log_reset();
	r = platform_discover(fdt, plat);
	free(fdt);
	return r;
}

/*
 * A console UART below an interrupt nexus (interrupt-map): its 1-cell
 * specifier is the nexus's, not the GIC's (the root's interrupt-parent).
 * Refused naming the nexus; before, it was read as a malformed GIC entry
 * ("4 bytes is not a whole number of 3-cell entries").
 */
static void test_a_console_below_an_interrupt_nexus_is_refused_naming_it(void **state)
{
	struct platform plat;

	(void)state;
	assert_int_equal(
		discover_nexus_board_with_console("/motherboard@c000000/serial@2000", &plat),
		-EINVAL);
	assert_logged("platform: /motherboard@c000000/serial@2000: interrupts: through the "
		      "interrupt nexus /motherboard@c000000 (interrupt-map), which Bulkhead does "
		      "not translate: the GIC interrupt they arrive as is unknown");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/*
 * A console UART wired to a GPIO controller: its <0 4> is that controller's
 * line, which the hypervisor took for GIC SPI 4 (INTID 36), an interrupt
 * that may be a cell's device's.
 */
static void test_a_console_on_another_interrupt_controller_is_refused(void **state)
{
	struct platform plat;

	(void)state;
	assert_int_equal(discover_nexus_board_with_console("/serial@c203000", &plat), -EINVAL);
	assert_logged("platform: /serial@c203000: interrupts: go to /gpio@c200000, not to the "
		      "GIC: Bulkhead takes interrupts from the GIC only");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/* Behind a 3-cell controller stacked on the GIC (Tegra's ictlr), <0 49 4> is SPI 49. */
static void test_a_console_behind_a_controller_stacked_on_the_gic_is_taken(void **state)
{
	struct platform plat;

	(void)state;
	assert_int_equal(discover_nexus_board_with_console("/serial@c206000", &plat), 0);
	assert_int_equal(plat.uart.irq, 32 + 49);
}

static void test_garbage_is_not_a_device_tree(void **state)
{
	static const uint8_t garbage[64] = { 0xde, 0xad, 0xbe, 0xef };
	struct platform plat;

	(void)state;
	fake_log_reset();
	assert_int_equal(platform_discover(garbage, &plat), -EINVAL);
	assert_logged("platform: /: header: not a flattened device tree (FDT_ERR_BADMAGIC)");
}

/*
 * A property whose length wraps the next tag's offset back onto itself: libfdt
 * 1.6.1's fdt_check_full() would walk it forever (boot/platform_fdt.c).
 */
static void test_property_length_that_wraps_is_refused_not_looped_on(void **state)
{
	static const uint32_t lengths[] = { 0xfffffff4, 0xffffff00 }; /* onto itself; behind it */
	struct platform plat;

	(void)state;
	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		void *fdt = unit_dtb_load("virt-gicv3.dtb");
		int node = fdt_path_offset(fdt, "/chosen"), off;
		struct fdt_property *prop;

		assert_true(node >= 0);
		off = fdt_first_property_offset(fdt, node);
		assert_true(off >= 0);
		prop = (struct fdt_property *)fdt_offset_ptr(fdt, off, sizeof(*prop));
		assert_non_null(prop);
		prop->len = cpu_to_fdt32(lengths[i]);
		fake_log_reset();
		assert_int_equal(platform_discover(fdt, &plat), -EINVAL);
		assert_logged("platform: /: header: not a flattened device tree "
			      "(FDT_ERR_BADSTRUCTURE)");
		free(fdt);
	}
}

/*
 * Such a blob as boot/main.c's console_fallback() sees it after discovery
 * refused it: the search for a UART must refuse it too, not walk it forever
 * (a boot that hangs before it can print why). The wrap is in the root's
 * first property, before every UART, where libfdt's walks loop.
 * Run in a child under alarm() so a hang fails this test, not the whole run.
 */
static void test_fallback_uart_refuses_a_property_length_that_wraps(void **state)
{
	void *fdt = unit_dtb_load("virt-gicv3.dtb");
	int node = fdt_path_offset(fdt, "/"), off, status;
	struct fdt_property *prop;
	pid_t child;

	(void)state;
	assert_true(node >= 0);
	off = fdt_first_property_offset(fdt, node);
	assert_true(off >= 0);
	prop = (struct fdt_property *)fdt_offset_ptr(fdt, off, sizeof(*prop));
	assert_non_null(prop);
	prop->len = cpu_to_fdt32(0xfffffff4);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct platform_uart uart;

		alarm(5);
		_exit(platform_find_fallback_uart(fdt, &uart) == -ENOENT ? 0 : 1);
	}
	free(fdt);
	assert_int_equal(waitpid(child, &status, 0), child);
	if (WIFSIGNALED(status))
		fail_msg("platform_find_fallback_uart() did not return in 5 s (signal %d)",
			 WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("platform_find_fallback_uart() returned other than -ENOENT on a blob "
			 "whose property length wraps");
}

static void test_a_boot_cpu_listed_in_cpus_is_accepted(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("board-minimal.dtb", &plat);
	assert_int_equal(platform_check_boot_cpu(&plat, 0x100000000), 0); /* Aff3 = 1 */
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/* Booted on a CPU /cpus leaves out: a listed CPU would get no stack, the boot CPU no cell. */
static void test_a_boot_cpu_missing_from_cpus_is_reported(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("virt-gicv3.dtb", &plat); /* MPIDRs 0-3 */
	assert_int_equal(platform_check_boot_cpu(&plat, 0x100), -EINVAL);
	assert_logged("platform: /cpus: cpu: no node has the boot CPU's MPIDR 0x100 (cells are "
		      "given CPUs by their /cpus node: need a cpu node with this reg)");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/* QEMU's timer node has no clock-frequency: with CNTFRQ_EL0 0 nothing gives the rate. */
static void test_no_clock_frequency_and_cntfrq_0_is_reported(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("virt-gicv3.dtb", &plat);
	assert_int_equal(platform_check_timer(&plat, 0), -EINVAL);
	assert_logged("platform: /timer: clock-frequency: missing and CNTFRQ_EL0 is 0 (firmware "
		      "did not program it)");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

static void test_cntfrq_gives_the_rate_when_clock_frequency_is_missing(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("virt-gicv3.dtb", &plat);
	assert_int_equal(platform_check_timer(&plat, 62500000), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/* board-minimal.dts: clock-frequency = <62500000> stands in for an unprogrammed CNTFRQ_EL0. */
static void test_clock_frequency_gives_the_rate_when_cntfrq_is_0(void **state)
{
	struct platform plat;

	(void)state;
	discover_ok("board-minimal.dtb", &plat);
	assert_int_equal(platform_check_timer(&plat, 0), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/* clock-frequency = <0>: discovery's own error, not a second one about CNTFRQ_EL0. */
static void test_a_zero_clock_frequency_is_reported_once(void **state)
{
	struct platform plat;

	(void)state;
	assert_int_equal(discover("broken-timer-freq-zero.dtb", &plat), -EINVAL);
	assert_int_equal(platform_check_timer(&plat, 0), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

static void test_psci_names_its_conduit(void **state)
{
	(void)state;
	assert_string_equal(platform_psci_name(PSCI_CONDUIT_SMC), "smc");
	assert_string_equal(platform_psci_name(PSCI_CONDUIT_NONE), "none");
}

static void test_psci_version_is_major_dot_minor(void **state)
{
	char buf[64];

	(void)state;
	platform_psci_version_str(0x10001, buf, sizeof(buf));
	assert_string_equal(buf, "1.1");
}

/* U-Boot's PSCI may answer PSCI_VERSION with NOT_SUPPORTED: not "65535.65535". */
static void test_psci_version_error_is_not_printed_as_a_version(void **state)
{
	char buf[64];

	(void)state;
	platform_psci_version_str((uint32_t)-1, buf, sizeof(buf));
	assert_string_equal(buf, "version unknown (PSCI_VERSION returned -1)");
}

static void test_too_many_cpus_are_reported_without_overflow(void **state)
{
	struct platform plat;

	(void)state;
	assert_int_equal(discover("too-many-cpus.dtb", &plat), -EINVAL);
	assert_logged("platform: /cpus: cpu: 17 CPUs, at most 16 supported (PLATFORM_MAX_CPUS)");
	assert_int_equal(plat.nr_cpus, PLATFORM_MAX_CPUS);
	assert_int_equal(plat.cpus[15].mpidr, 15);
}

static void test_every_problem_is_reported_not_just_the_first(void **state)
{
	struct platform plat;

	(void)state;
	assert_int_equal(discover("broken-many.dtb", &plat), -EINVAL);
	assert_logged("platform: /: memory: no node with device_type = \"memory\" (a kernel's "
		      "tree often has none: the boot loader adds /memory to the tree it passes, "
		      "as U-Boot's booti does; give a tree that has it, docs/porting.md)");
	assert_logged("platform: /cpus/cpu@2: reg: missing");
	assert_logged("platform: /psci: method: \"foo\" is not valid");
	assert_logged("platform: /chosen: stdout-path: \"/nonexistent\" does not name a node");
	assert_int_equal(fake_log_count(LOG_ERR), 4);
}

/* One DTB with one defect, and the one line that must report it. */
struct broken_case {
	const char *dtb;
	const char *line;
};

#define GIC_NEED                                                                   \
	"(need arm,gic-v3, arm,gic-400, arm,cortex-a15-gic, arm,cortex-a9-gic or " \
	"arm,cortex-a7-gic)"

static const struct broken_case missing_memory_node = {
	"broken-no-memory.dtb", "platform: /: memory: no node with device_type = \"memory\""
};
static const struct broken_case disabled_memory_node = {
	"broken-memory-disabled.dtb", "platform: /: memory: no node with device_type = \"memory\""
};
static const struct broken_case memory_without_reg = {
	"broken-memory-no-reg.dtb",
	"platform: /memory@40000000: reg: missing (need at least one RAM range)"
};
static const struct broken_case memory_reg_wrong_length = {
	"broken-memory-reg-length.dtb",
	"platform: /memory@40000000: reg: 12 bytes is not a whole number of 16-byte entries "
	"(#address-cells = 2, #size-cells = 2 in the parent)"
};
static const struct broken_case missing_gic = {
	"broken-no-gic.dtb", "platform: /: interrupt-controller: no enabled GIC " GIC_NEED
};
static const struct broken_case unsupported_gic = {
	"broken-gic-unsupported.dtb",
	"platform: /intc@8000000: compatible: \"arm,gic-v5\" is not a supported GIC " GIC_NEED
};
static const struct broken_case gic_maintenance_spi = {
	"broken-gic-maint-spi.dtb",
	"platform: /intc@8000000: interrupts: maintenance interrupt INTID 41 is an SPI "
	"(need a PPI <1 n>)"
};
static const struct broken_case gicv2_without_virt = {
	"broken-gicv2-no-virt.dtb",
	"platform: /intc@8000000: reg: 2 entries, need 4 (GICD, GICC, GICH, GICV: the "
	"hypervisor needs the virtualization extensions)"
};
static const struct broken_case gicv2_gicc_4k = {
	"broken-gicv2-gicc-4k.dtb",
	"platform: /intc@8000000: reg: entry 1 is 0x1000 bytes, need at least 0x2000 (GICC: "
	"GICC_DIR is at 0x1000)"
};
static const struct broken_case gicv2_nine_cpus = {
	"broken-gicv2-smp9.dtb",
	"platform: /intc@8000000: compatible: a GICv2 with 9 CPUs in /cpus: it targets at most 8 "
	"CPU interfaces (GICD_ITARGETSR and GICD_SGIR's CPUTargetList have a bit for each, 8 in "
	"all)"
};
static const struct broken_case gicv2_gich_0 = {
	"broken-gicv2-gich-0.dtb",
	"platform: /intc@8000000: reg: entry 2 is 0x0 bytes, need at least 0x200 (GICH: the list "
	"registers end at 0x200)"
};
static const struct broken_case gicv3_gicd_4k = {
	"broken-gicv3-gicd-4k.dtb",
	"platform: /intc@8000000: reg: entry 0 is 0x1000 bytes, need at least 0x10000 (GICD: its "
	"ID registers end at 64 KiB)"
};
static const struct broken_case gicv3_gicr_64k = {
	"broken-gicv3-gicr-64k.dtb",
	"platform: /intc@8000000: reg: entry 1 is 0x10000 bytes, need at least 0x20000 (a GICR "
	"region: a redistributor's RD_base and SGI_base frames)"
};
static const struct broken_case irq_parent_nowhere = {
	"broken-irq-parent-nowhere.dtb",
	"platform: /pl011@9000000: interrupt-parent: <0x9999> names no node"
};
static const struct broken_case irq_parent_two_cells = {
	"broken-irq-parent-two-cells.dtb",
	"platform: /pl011@9000000: interrupt-parent: 8 bytes, need one cell (4 bytes)"
};
static const struct broken_case gicr_regions_past_reg = {
	"broken-gicr-regions-past-reg.dtb",
	"platform: /intc@8000000: reg: 2 entries, need at least 4 (GICD, then 3 GICR regions, as "
	"#redistributor-regions says)"
};
static const struct broken_case gicr_regions_zero = {
	"broken-gicr-regions-zero.dtb",
	"platform: /intc@8000000: #redistributor-regions: 0, need 1 to 8 "
	"(PLATFORM_MAX_GICR_REGIONS)"
};
static const struct broken_case gicr_stride = {
	"broken-gicr-stride.dtb",
	"platform: /intc@8000000: redistributor-stride: 0x18000, need a multiple of 64 KiB, at "
	"least 128 KiB (RD_base and SGI_base)"
};
static const struct broken_case gic_maintenance_intid_32 = {
	"broken-gic-maint-intid-32.dtb",
	"platform: /intc@8000000: interrupts: maintenance interrupt INTID 32 is an SPI "
	"(need a PPI <1 n>)"
};
static const struct broken_case gicr_regions_nine = {
	"broken-gicr-regions-nine.dtb",
	"platform: /intc@8000000: #redistributor-regions: 9, need 1 to 8 "
	"(PLATFORM_MAX_GICR_REGIONS)"
};
static const struct broken_case gicr_stride_64k = {
	"broken-gicr-stride-64k.dtb",
	"platform: /intc@8000000: redistributor-stride: 0x10000, need a multiple of 64 KiB, at "
	"least 128 KiB (RD_base and SGI_base)"
};
static const struct broken_case gic_interrupt_cells_1 = {
	"broken-gic-interrupt-cells-1.dtb",
	"platform: /intc@8000000: #interrupt-cells: missing or unsupported (need 2 to 4 for a GIC)"
};
static const struct broken_case memory_wraps = {
	"broken-memory-wraps.dtb",
	"platform: /memory@40000000: reg: entry 0: 0xfffffffffffff000 + 0x2000 wraps past the end "
	"of the address space"
};
static const struct broken_case cpu_mpidr_high_bits = {
	"broken-cpu-mpidr-high-bits.dtb",
	"platform: /cpus/cpu@3: reg: 0x1000003 has bits outside MPIDR_EL1.Aff3..Aff0 (mask "
	"0xff00ffffff)"
};
static const struct broken_case stdout_nowhere = {
	"broken-stdout-nowhere.dtb",
	"platform: /chosen: stdout-path: \"/nonexistent\" does not name a node"
};
static const struct broken_case stdout_not_pl011 = {
	"broken-stdout-not-pl011.dtb",
	"platform: /pl031@9010000: compatible: \"arm,pl031\" is not a supported UART "
	"(need one of: arm,pl011, cdns,uart-r1p12, xlnx,zynqmp-uart, cdns,uart-r1p8, "
	"fsl,imx21-uart, fsl,imx6q-uart, fsl,imx8mp-uart, fsl,imx8mm-uart, snps,dw-apb-uart, "
	"ns16550a, ns16550, ti,am654-uart, nvidia,tegra20-uart, amlogic,meson-ao-uart, "
	"amlogic,meson-gx-uart)"
};
static const struct broken_case stdout_disabled = {
	"broken-stdout-disabled.dtb",
	"platform: /pl011@9000000: status: disabled, but /chosen/stdout-path names it"
};
static const struct broken_case stdout_missing = {
	"broken-no-stdout.dtb",
	"platform: /chosen: stdout-path: missing (need the console UART's path or alias)"
};
static const struct broken_case cpu_without_reg = {
	"broken-cpu-no-reg.dtb",
	"platform: /cpus/cpu@2: reg: missing (need the MPIDR affinity in 1 cell(s), the "
	"#address-cells of /cpus)"
};
static const struct broken_case cpu_spin_table = {
	"broken-cpu-spin-table.dtb",
	"platform: /cpus/cpu@1: enable-method: \"spin-table\" is not supported (need \"psci\")"
};
static const struct broken_case cpu_duplicate_mpidr = {
	"broken-cpu-duplicate-mpidr.dtb", "platform: /cpus/cpu@3: reg: MPIDR 0x1 is also CPU 1's"
};
static const struct broken_case psci_bad_method = {
	"broken-psci-method.dtb", "platform: /psci: method: \"foo\" is not valid (need \"smc\")"
};
static const struct broken_case psci_hvc = {
	"broken-psci-hvc.dtb",
	"platform: /psci: method: \"hvc\" cannot reach the firmware from EL2 (hvc #0 traps to "
	"Bulkhead itself; the firmware below EL2 is reached by smc only: need \"smc\")"
};
static const struct broken_case psci_missing = {
	"broken-no-psci.dtb", "platform: /: psci: no enabled node (need /psci or a node compatible "
			      "with arm,psci-1.0 or arm,psci-0.2)"
};
static const struct broken_case psci_0_1_only = {
	"broken-psci-0.1.dtb",
	"platform: /firmware/psci: compatible: \"arm,psci\" alone is PSCI 0.1, whose function IDs "
	"the node's cpu_on, cpu_off... properties give; Bulkhead calls PSCI 0.2's fixed IDs "
	"instead (need firmware with PSCI 0.2 or later, compatible arm,psci-1.0 or arm,psci-0.2)"
};
static const struct broken_case timer_zero_hz = {
	"broken-timer-freq-zero.dtb",
	"platform: /timer: clock-frequency: 0 Hz (omit the property to use CNTFRQ_EL0)"
};
static const struct broken_case smmu_irq_missing = {
	"broken-smmu-irq-missing.dtb",
	"platform: /smmuv3@9050000: interrupts: no entry 3 for interrupt-names \"gerror\""
};
static const struct broken_case smmu_irq_one_short = {
	"broken-smmu-irq-one-short.dtb",
	"platform: /smmuv3@9050000: interrupts: no entry 3 for interrupt-names \"gerror\""
};
static const struct broken_case pcie_bus_range_short = {
	"broken-pcie-bus-range.dtb",
	"platform: /pcie@10000000: bus-range: 4 bytes, need 2 cells (first and last bus)"
};
static const struct broken_case iommu_map_mask_clears_rid_base = {
	"broken-iommu-map-mask.dtb",
	"platform: /pcie@10000000: iommu-map-mask: 0xff clears bits of the iommu-map's rid-base "
	"0x100: no masked RID reaches the entry (need rid-base & ~mask = 0)"
};
static const struct broken_case iommu_map_too_many = {
	"broken-iommu-map-too-many.dtb",
	"platform: /pcie@10000000: iommu-map: 9 entries, at most 8 supported "
	"(PLATFORM_MAX_IOMMU_MAP)"
};
static const struct broken_case iommu_map_length_0 = {
	"broken-iommu-map-length-0.dtb",
	"platform: /pcie@10000000: iommu-map: entry 1: length 0 covers no RID (need at least 1)"
};
static const struct broken_case iommu_map_rid_overflow = {
	"broken-iommu-map-rid-overflow.dtb",
	"platform: /pcie@10000000: iommu-map: entry 1: rid-base 0xffffff00 + length 0x200 runs "
	"past 0xffffffff (need rid-base + length <= 0x100000000)"
};
static const struct broken_case iommu_map_stream_overflow = {
	"broken-iommu-map-stream-overflow.dtb",
	"platform: /pcie@10000000: iommu-map: entry 1: stream base 0xffffff80 + length 0x100 runs "
	"past 0xffffffff (need iommu-base + length <= 0x100000000)"
};
static const struct broken_case iommu_map_overlap = {
	"broken-iommu-map-overlap.dtb",
	"platform: /pcie@10000000: iommu-map: entry 1: RIDs 0x80-0x17f overlap entry 0's "
	"0x0-0xff (need each RID in one entry)"
};
static const struct broken_case reg_outside_ranges = {
	"broken-reg-outside-ranges.dtb",
	"platform: /soc@7e000000/serial@7e201400: reg: 0x7f800000 is outside every entry of its "
	"bus's ranges (soc@7e000000)"
};
static const struct broken_case reg_past_ranges = {
	"broken-reg-past-ranges.dtb",
	"platform: /soc@7e000000/serial@7e201400: reg: 0x7f7fff00+0x200 runs past the end of its "
	"bus's ranges entry 0x7e000000+0x1800000 (soc@7e000000), or wraps once translated"
};
static const struct broken_case version_16 = {
	"broken-version-16.dtb", "platform: /: header: version 16; need 17 or later (dtc -V 17)"
};

/* The defect is reported in exactly one line, and discovery fails. */
static void test_broken_dtb(void **state)
{
	const struct broken_case *c = *state;
	struct platform plat;
	int r = discover(c->dtb, &plat);

	if (r >= 0)
		fail_msg("%s: platform_discover() = %d, want < 0", c->dtb, r);
	assert_logged(c->line);
	if (fake_log_count(LOG_ERR) != 1)
		fail_msg("%s: want exactly one error, log:\n%s", c->dtb, fake_log_text());
}

#define BROKEN(name, c)                                          \
	{                                                        \
#name, test_broken_dtb, NULL, NULL, (void *)&(c) \
	}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gicv3_board_is_discovered),
		cmocka_unit_test(test_gicv3_smmu_board_is_discovered),
		cmocka_unit_test(test_pcie_mem32_window_through_the_index_is_libfdts),
		cmocka_unit_test(
			test_a_pcie_host_behind_another_smmu_has_no_stream_of_the_driven_one),
		cmocka_unit_test(test_every_iommu_map_entry_gives_its_rids_their_streams),
		cmocka_unit_test(test_the_iommu_map_mask_gives_a_devices_functions_one_stream),
		cmocka_unit_test(test_gicv3_frames_include_the_its),
		cmocka_unit_test(test_gicv3_every_redistributor_region_and_the_stride_are_kept),
		cmocka_unit_test(test_gicv2_board_is_discovered),
		cmocka_unit_test(test_gicv2_smmu_board_is_discovered),
		cmocka_unit_test(test_eight_cpu_board_lists_every_mpidr),
		cmocka_unit_test(test_gicv2_with_eight_cpus_is_discovered),
		cmocka_unit_test(test_single_boot_cpu_needs_no_enable_method),
		cmocka_unit_test(test_stdout_alias_with_options_is_resolved),
		cmocka_unit_test(test_stdout_paths_rate_is_taken_only_when_a_uart_could_run_at_it),
		cmocka_unit_test(test_minimal_board_memory_spans_nodes_and_skips_disabled),
		cmocka_unit_test(test_reserved_memory_is_recorded_but_not_pools_or_disabled_nodes),
		cmocka_unit_test(test_no_map_is_recorded_for_each_reserved_range),
		cmocka_unit_test(test_up_to_the_limit_of_reserved_ranges_are_all_recorded),
		cmocka_unit_test(test_designware_console_takes_reg_shift_and_width),
		cmocka_unit_test(test_ti_k3_console_defaults_to_a_4_byte_stride),
		cmocka_unit_test(test_plain_ns16550a_console_is_byte_wide),
		cmocka_unit_test(test_amlogic_console_is_a_meson_uart),
		cmocka_unit_test(test_16550_with_unsupported_width_or_stride_is_refused),
		cmocka_unit_test(test_one_reserved_range_past_the_limit_fails_discovery),
		cmocka_unit_test(test_overlapping_ram_banks_one_ending_at_2_64_are_refused),
		cmocka_unit_test(test_overlapping_entries_of_one_memory_reg_name_the_cell_counts),
		cmocka_unit_test(test_minimal_board_cpus_use_two_cell_mpidr_and_skip_failed),
		cmocka_unit_test(test_minimal_board_devices_are_discovered),
		cmocka_unit_test(
			test_fallback_uart_is_the_stdout_path_16550_of_a_board_broken_elsewhere),
		cmocka_unit_test(test_fallback_uart_is_the_stdout_path_pl011_not_the_first_one),
		cmocka_unit_test(test_fallback_uart_searches_every_kind_and_skips_disabled_ones),
		cmocka_unit_test(test_fallback_uart_finds_virt_pl011_despite_bad_stdout_path),
		cmocka_unit_test(test_fallback_uart_is_absent_when_the_only_pl011_is_disabled),
		cmocka_unit_test(test_garbage_is_not_a_device_tree),
		cmocka_unit_test(test_a_memreserve_block_without_its_end_is_named),
		cmocka_unit_test(test_used_size_of_a_memreserve_block_without_its_end_is_an_error),
		cmocka_unit_test(
			test_fallback_uart_is_found_despite_a_memreserve_block_without_its_end),
		cmocka_unit_test(
			test_fallback_refuses_an_unterminated_memreserve_block_with_a_bad_structure),
		cmocka_unit_test(test_used_size_of_a_packed_blob_is_its_total_size),
		cmocka_unit_test(test_a_console_below_an_interrupt_nexus_is_refused_naming_it),
		cmocka_unit_test(test_a_console_on_another_interrupt_controller_is_refused),
		cmocka_unit_test(test_a_console_behind_a_controller_stacked_on_the_gic_is_taken),
		cmocka_unit_test(test_a_blob_the_boot_can_map_and_copy_is_taken),
		cmocka_unit_test(test_a_blob_larger_than_the_boot_maps_is_refused_with_its_size),
		cmocka_unit_test(
			test_a_blob_whose_blocks_outgrow_the_copy_is_refused_with_their_size),
		cmocka_unit_test(test_property_length_that_wraps_is_refused_not_looped_on),
		cmocka_unit_test(test_fallback_uart_refuses_a_property_length_that_wraps),
		cmocka_unit_test(test_a_boot_cpu_listed_in_cpus_is_accepted),
		cmocka_unit_test(test_a_boot_cpu_missing_from_cpus_is_reported),
		cmocka_unit_test(test_no_clock_frequency_and_cntfrq_0_is_reported),
		cmocka_unit_test(test_cntfrq_gives_the_rate_when_clock_frequency_is_missing),
		cmocka_unit_test(test_clock_frequency_gives_the_rate_when_cntfrq_is_0),
		cmocka_unit_test(test_a_zero_clock_frequency_is_reported_once),
		cmocka_unit_test(test_psci_names_its_conduit),
		cmocka_unit_test(test_psci_version_is_major_dot_minor),
		cmocka_unit_test(test_psci_version_error_is_not_printed_as_a_version),
		cmocka_unit_test(test_too_many_cpus_are_reported_without_overflow),
		cmocka_unit_test(test_every_problem_is_reported_not_just_the_first),
		BROKEN(test_missing_memory_node_is_reported, missing_memory_node),
		BROKEN(test_disabled_memory_node_is_not_ram, disabled_memory_node),
		BROKEN(test_memory_without_reg_is_reported, memory_without_reg),
		BROKEN(test_memory_reg_of_wrong_length_is_reported, memory_reg_wrong_length),
		BROKEN(test_missing_gic_is_reported, missing_gic),
		BROKEN(test_unsupported_gic_is_named, unsupported_gic),
		BROKEN(test_gic_maintenance_spi_is_reported, gic_maintenance_spi),
		BROKEN(test_gicv2_without_virtualization_frames_is_reported, gicv2_without_virt),
		BROKEN(test_an_interrupt_parent_naming_no_node_is_reported, irq_parent_nowhere),
		BROKEN(test_an_interrupt_parent_of_two_cells_is_reported, irq_parent_two_cells),
		BROKEN(test_gicv2_gicc_of_4k_is_reported, gicv2_gicc_4k),
		BROKEN(test_gicv2_gich_of_size_0_is_reported, gicv2_gich_0),
		BROKEN(test_gicv2_with_more_cpus_than_it_targets_is_reported, gicv2_nine_cpus),
		BROKEN(test_gicv3_gicd_of_4k_is_reported, gicv3_gicd_4k),
		BROKEN(test_gicv3_gicr_region_of_64k_is_reported, gicv3_gicr_64k),
		BROKEN(test_more_gicr_regions_than_reg_entries_are_reported, gicr_regions_past_reg),
		BROKEN(test_zero_gicr_regions_are_reported, gicr_regions_zero),
		BROKEN(test_redistributor_stride_not_in_64k_units_is_reported, gicr_stride),
		BROKEN(test_gic_maintenance_intid_32_is_an_spi, gic_maintenance_intid_32),
		BROKEN(test_nine_gicr_regions_are_reported, gicr_regions_nine),
		BROKEN(test_a_redistributor_stride_of_64k_is_reported, gicr_stride_64k),
		BROKEN(test_a_gic_of_one_interrupt_cell_is_reported, gic_interrupt_cells_1),
		BROKEN(test_a_ram_range_that_wraps_is_reported, memory_wraps),
		BROKEN(test_an_mpidr_with_bits_outside_affinity_is_reported, cpu_mpidr_high_bits),
		BROKEN(test_stdout_path_to_nowhere_is_reported, stdout_nowhere),
		BROKEN(test_stdout_path_to_non_pl011_names_its_compatible, stdout_not_pl011),
		BROKEN(test_stdout_path_to_disabled_uart_is_reported, stdout_disabled),
		BROKEN(test_missing_stdout_path_is_reported, stdout_missing),
		BROKEN(test_cpu_without_reg_is_reported, cpu_without_reg),
		BROKEN(test_cpu_not_started_by_psci_is_reported, cpu_spin_table),
		BROKEN(test_duplicate_mpidr_is_reported, cpu_duplicate_mpidr),
		BROKEN(test_unknown_psci_method_is_reported, psci_bad_method),
		BROKEN(test_psci_over_hvc_is_refused_at_el2, psci_hvc),
		BROKEN(test_missing_psci_is_reported, psci_missing),
		BROKEN(test_psci_0_1_only_is_refused, psci_0_1_only),
		BROKEN(test_zero_timer_frequency_is_reported, timer_zero_hz),
		BROKEN(test_smmu_interrupt_named_but_absent_is_reported, smmu_irq_missing),
		BROKEN(test_an_smmu_interrupt_named_one_past_the_last_is_reported,
		       smmu_irq_one_short),
		BROKEN(test_malformed_pcie_bus_range_is_reported, pcie_bus_range_short),
		BROKEN(test_iommu_map_mask_that_hides_the_rid_base_is_reported,
		       iommu_map_mask_clears_rid_base),
		BROKEN(test_an_iommu_map_of_more_entries_than_read_is_reported, iommu_map_too_many),
		BROKEN(test_an_iommu_map_entry_of_length_0_is_reported, iommu_map_length_0),
		BROKEN(test_an_iommu_map_entry_whose_rids_wrap_is_reported, iommu_map_rid_overflow),
		BROKEN(test_an_iommu_map_entry_whose_streams_wrap_is_reported,
		       iommu_map_stream_overflow),
		BROKEN(test_overlapping_iommu_map_entries_are_reported, iommu_map_overlap),
		BROKEN(test_reg_outside_its_bus_ranges_is_reported, reg_outside_ranges),
		BROKEN(test_reg_past_its_bus_ranges_end_is_reported, reg_past_ranges),
		BROKEN(test_device_tree_older_than_version_17_is_refused, version_16),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
