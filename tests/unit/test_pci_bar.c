// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI BAR placement at cell creation (partitions/pci_bar.c): sizes and
 * alignment, inside the host's 32-bit window and below 4 GiB, inside the
 * windows firmware opened through ports and clear of the ports' own BARs
 * and windows, never over what the cell's stage 2 already maps.
 *
 * Against the model of the functions behind the ECAM window (pci_model.h),
 * with what the PCI tests share (pci_fixture.h).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_log.h"
#include "pci_fixture.h"

/* --- BAR sizes ------------------------------------------------------------------ */

static void test_bar_whose_writable_bits_are_not_contiguous_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff0f000); /* 4 KiB, 64 KiB or 1 MiB? No BAR decodes that. */
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: pci: 00:03.0: BAR0: all ones written, 0xfff0f000 read back: not a "
		      "power-of-two size, the BAR cannot be placed");
}

static void test_64_bit_bar_without_writable_upper_half_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	dev_write(EDU, PCI_BAR0, 4, PCI_BAR_MEM_64);
	add_bar(EDU, 0, 0xfff00000);
	add_bar(EDU, 1, 0); /* bits 63:32 read 0: a size of 2^64 - 4 GiB + 1 MiB */
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("BAR0: all ones written, 0x00000000 fff00004 read back: not a power-of-two");
}

static void test_64_bit_bar_of_4_gib_or_more_is_refused_not_placed_at_0(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	dev_write(EDU, PCI_BAR0, 4, PCI_BAR_MEM_64 | 0x8); /* prefetchable */
	add_bar(EDU, 0, 0);				   /* bits 31:4 hard-wired 0 */
	add_bar(EDU, 1, 0xfffffffe);			   /* 8 GiB */
	give(0, EDU);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged("E: pci: 00:03.0: BAR0 (8388608 KiB) does not fit the 32-bit window");
}

/* 2^63 bytes: the search for a free range must not wrap to PCI address 0. */
static void test_64_bit_bar_of_2_to_the_63_is_refused_not_wrapped(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	dev_write(EDU, PCI_BAR0, 4, PCI_BAR_MEM_64 | 0x8);
	add_bar(EDU, 0, 0);
	add_bar(EDU, 1, 0x80000000);
	give(0, EDU);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged(
		"E: pci: 00:03.0: BAR0 (9007199254740992 KiB) does not fit the 32-bit window");
}

static void test_power_of_two_bars_are_placed_aligned_to_their_size(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfffff000); /* 4 KiB */
	add_bar(EDU, 1, 0xfff00000); /* 1 MiB */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), WIN_BASE);
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 4, 4), WIN_BASE + 0x100000);
	assert_int_equal(guest_read(0, EDU, PCI_BAR0 + 4, 4), WIN_BASE + 0x100000);
	guest_write(0, EDU, PCI_BAR0 + 4, 4, 0xffffffff);
	assert_int_equal(guest_read(0, EDU, PCI_BAR0 + 4, 4), 0xfff00000);
}

static void test_no_bar_is_placed_at_pci_address_0(void **state)
{
	(void)state;
	win_pci_base = 0; /* a host whose window starts at PCI address 0 */
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	/* 0 reads as "not assigned" to Linux and firmware: the next aligned address instead. */
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), 0x100000);
}

/*
 * A VGA-compatible function decodes PCI addresses 0xa0000-0xbffff with no
 * BAR: with the window at PCI address 0, five 128 KiB BARs first fit at
 * 0x20000-0x9ffff, and the fifth goes past the VGA range, not into it.
 * Until 2026-11-25 it was placed at 0xa0000.
 */
static void test_no_bar_is_placed_in_the_legacy_vga_range(void **state)
{
	uint32_t bar4;

	(void)state;
	win_pci_base = 0;
	add_fn(EDU, 0);
	for (int i = 0; i < 5; i++)
		add_bar(EDU, i, 0xfffe0000);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 4 * 3, 4), 0x80000);
	bar4 = dev_read(EDU, PCI_BAR0 + 4 * 4, 4);
	if (bar4 < 0xc0000 && bar4 + 0x20000 > 0xa0000)
		fail_msg("BAR4 placed at 0x%x, in the legacy VGA range 0xa0000-0xbffff", bar4);
	assert_int_equal(bar4, 0xc0000);
}

/*
 * What cell_create() maps before pci_cell_create() (cell_create.c: map_cell()):
 * cell @c's memory and shared memory, as its layout gives them.
 */
static void map_cell_memory(unsigned int c)
{
	for (int i = 0; i < cfgs[c].nr_mem; i++)
		assert_int_equal(s2_map(c, cfgs[c].mem[i].ipa, cfgs[c].mem[i].size, false), 0);
	for (int i = 0; i < cfgs[c].nr_shm; i++)
		assert_int_equal(s2_map(c, cfgs[c].shm[i].ipa, cfgs[c].shm[i].size, false), 0);
}

/*
 * The layout check refuses memory over the host's BAR window (layout_board_pci.c);
 * past it, stage 2 is what keeps a BAR from being mapped over what the cell has.
 * Here a 1 MiB BAR0 lands at the window's first page, PLACED_BAR0.
 */
static void assert_bar0_refused_and_not_mapped(void)
{
	const struct s2_range *r;
	int ret = create(0);

	if (ret != -EEXIST)
		fail_msg("alpha's creation returned %d, not -EEXIST (%d); log was:\n%s", ret,
			 -EEXIST, fake_log_text());
	assert_logged("E: alpha: pci: 00:03.0: BAR0 at 0x10000000+0x100000 overlaps what the cell "
		      "already has there (its RAM, shared memory or a device)");
	assert_not_logged("BAR0: 0x10000000+0x100000 mapped");
	assert_not_logged("assigned");
	r = s2_overlap(0, PLACED_BAR0, 0x100000);
	if (!r || r->device)
		fail_msg("alpha's stage 2 at BAR0 (0x%x+0x100000): %s, not only its memory",
			 PLACED_BAR0, r ? "a device mapping" : "nothing");
	assert_int_equal(nr_sids, 0);
}

/*
 * Its RAM inside the BAR, neither end of the BAR in it: the layout of
 * tests/scenarios/layouts/smmu-bar-over-ram.dts, which the layout check now refuses first.
 */
static void test_bar_over_the_cells_ram_is_refused_not_mapped_over_it(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000); /* 1 MiB */
	give(0, EDU);
	cfgs[0].mem[0] = (struct layout_region){ 0x48000000, 0x48000000, 0x04000000 };
	cfgs[0].mem[1] = (struct layout_region){ PLACED_BAR0 + 0x40000, 0x44000000, 0x40000 };
	cfgs[0].nr_mem = 2;
	map_cell_memory(0);
	assert_bar0_refused_and_not_mapped();
}

/* Shared memory straddling the BAR's end. */
static void test_bar_over_the_cells_shared_memory_is_refused_not_mapped_over_it(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	give(0, EDU);
	cfgs[0].mem[0] = (struct layout_region){ 0x48000000, 0x48000000, 0x04000000 };
	cfgs[0].nr_mem = 1;
	cfgs[0].shm[0].ipa = PLACED_BAR0 + 0xff000;
	cfgs[0].shm[0].pa = 0x4f000000;
	cfgs[0].shm[0].size = 0x2000;
	cfgs[0].nr_shm = 1;
	map_cell_memory(0);
	assert_bar0_refused_and_not_mapped();
}

/* A function whose stream the SMMU refuses is not said to be assigned. */
static void test_function_whose_stream_is_refused_is_not_logged_assigned(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	give(0, EDU);
	sid_result = -ERANGE;
	assert_int_equal(create(0), -ERANGE);
	assert_not_logged("assigned");
	sid_result = 0;
	fake_log_reset();
	assert_int_equal(create(0), 0);
	assert_logged("I: alpha: pci: 00:03.0 (1234:11e8) assigned");
}

/* --- bridges: BARs inside the windows firmware opened -------------------------------- */

static void test_bar_behind_a_root_port_is_placed_inside_its_window(void **state)
{
	(void)state;
	two_root_ports();
	give(0, 0x0200); /* behind 00:05.0, whose window starts 1 MiB into the host's */
	give(0, EDU);	 /* on the root bus, placed after it */
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfffff000);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0200, PCI_BAR0, 4), WIN_BASE + 0x100000);
	/* Not in either port's window: those are forwarded to the functions below them. */
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), WIN_BASE + 0x300000);
	/* The port forwards the BAR's accesses down and its DMA up. */
	assert_int_equal(dev_read(0x0028, PCI_COMMAND, 2) & (PCI_CMD_MEMORY | PCI_CMD_MASTER),
			 PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_int_equal(dev_read(0x0020, PCI_COMMAND, 2), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

static void test_two_functions_behind_one_port_share_its_window(void **state)
{
	(void)state;
	two_root_ports();
	fn_at(0x0200)->cs[PCI_HEADER_TYPE] = 0x80; /* multi-function */
	add_fn(0x0201, 0);
	add_bar(0x0201, 0, 0xfff00000);
	give(0, 0x0200);
	give(0, 0x0201);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0200, PCI_BAR0, 4), WIN_BASE + 0x100000);
	assert_int_equal(dev_read(0x0201, PCI_BAR0, 4), WIN_BASE + 0x200000);
}

static void test_bar_that_does_not_fit_the_port_window_is_refused(void **state)
{
	(void)state;
	two_root_ports();
	add_bar(0x0100, 0, 0xffe00000); /* 2 MiB behind 00:04.0's 1 MiB window */
	give(0, 0x0100);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged("E: pci: 01:00.0: BAR0 (2048 KiB) does not fit in what is left of the "
		      "memory window 0x10000000-0x100fffff that firmware opened through 00:04.0 "
		      "and the ports above it");
}

static void test_function_behind_a_closed_window_is_refused(void **state)
{
	(void)state;
	two_root_ports();
	dev_write(0x0020, PCI_MEMORY_BASE, 4, 0x0000fff0); /* base above limit: closed */
	give(0, 0x0100);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged("E: pci: 01:00.0: BAR0: the memory window of 00:04.0 above it is closed or "
		      "outside the host's 32-bit window (Memory Base/Limit 0x0000fff0): no request "
		      "can reach the function");
}

static void test_bar_behind_a_switch_is_inside_every_port_window(void **state)
{
	(void)state;
	one_switch();
	open_window(0x0008, WIN_BASE + 0x400000, WIN_BASE + 0x800000);
	open_window(0x0100, WIN_BASE + 0x400000, WIN_BASE + 0x800000);
	open_window(0x0208, WIN_BASE + 0x400000, WIN_BASE + 0x600000); /* the sibling's */
	open_window(0x0200, WIN_BASE + 0x600000, WIN_BASE + 0x800000);
	add_bar(0x0300, 0, 0xfff00000);
	add_bar(0x0300, 1, 0xfff00000);
	give(0, 0x0300);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0300, PCI_BAR0, 4), WIN_BASE + 0x600000);
	assert_int_equal(dev_read(0x0300, PCI_BAR0 + 4, 4), WIN_BASE + 0x700000);
	for (unsigned int i = 0; i < 3; i++) /* the path 00:01.0, 01:00.0, 02:00.0 forwards */
		assert_int_equal(
			dev_read((const uint16_t[]){ 0x0008, 0x0100, 0x0200 }[i], PCI_COMMAND, 2) &
				PCI_CMD_MEMORY,
			PCI_CMD_MEMORY);
	assert_int_equal(dev_read(0x0208, PCI_COMMAND, 2), 0);
}

/*
 * A root port's own BAR (QEMU's pcie-root-port: 4 KiB of MSI-X table, which
 * U-Boot assigns) decodes in the host's window beside the functions' BARs:
 * firmware left its Memory Space on, and a port on a function's path gets it
 * anyway. A BAR placed over it would have half its accesses taken by the port.
 */
static void test_no_bar_is_placed_over_a_root_ports_own_bar(void **state)
{
	(void)state;
	add_fn(0x0010, 0); /* 00:02.0, 1 MiB */
	add_bar(0x0010, 0, 0xfff00000);
	add_bridge(0x0018, ROOT_PORT, 1, 1); /* 00:03.0, window closed */
	add_bar(0x0018, 0, 0xfffff000);
	dev_write(0x0018, PCI_BAR0, 4, (uint32_t)WIN_BASE + 0x100000);
	dev_write(0x0018, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	dev_write(0x0018, PCI_MEMORY_BASE, 4, 0x0000fff0);
	dev_write(0x0018, PCI_PREF_MEMORY_BASE, 4, 0x0000fff0);
	add_fn(0x0020, 0); /* 00:04.0, 1 MiB */
	add_bar(0x0020, 0, 0xfff00000);
	give(0, 0x0010);
	give(0, 0x0020);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0010, PCI_BAR0, 4), WIN_BASE);
	if (dev_read(0x0020, PCI_BAR0, 4) == WIN_BASE + 0x100000)
		fail_msg("00:04.0's BAR0 placed at 0x%x, over the root port's BAR0 at 0x%x+0x1000",
			 dev_read(0x0020, PCI_BAR0, 4), dev_read(0x0018, PCI_BAR0, 4));
	assert_int_equal(dev_read(0x0020, PCI_BAR0, 4), WIN_BASE + 0x200000);
	/* The port's BAR is where firmware put it, decoding as before. */
	assert_int_equal(dev_read(0x0018, PCI_BAR0, 4), WIN_BASE + 0x100000);
	assert_int_equal(dev_read(0x0018, PCI_COMMAND, 2), PCI_CMD_MEMORY);
	assert_logged("I: pci: 00:03.0 (a bridge) BAR0 at 0x10100000+0x1000: kept clear");
}

/* --- the ports' own BARs and windows, the host's window, the last BARs ------------------- */

/*
 * A root port with two 32-bit BARs, BAR0 and BAR1 (4 KiB each, 1 and 2 MiB
 * into the window): both are kept clear, and a function's 1 MiB BAR goes
 * after them. BAR1 is a BAR of its own, not BAR0's upper half.
 */
static void test_both_32_bit_bars_of_a_root_port_are_kept_clear(void **state)
{
	(void)state;
	add_bridge(0x0018, ROOT_PORT, 1, 1); /* 00:03.0, windows closed */
	for (int i = 0; i < 2; i++) {
		add_bar(0x0018, i, 0xfffff000);
		dev_write(0x0018, PCI_BAR0 + 4 * (uint32_t)i, 4,
			  (uint32_t)WIN_BASE + 0x100000 * (uint32_t)(i + 1));
	}
	dev_write(0x0018, PCI_MEMORY_BASE, 4, 0x0000fff0);
	dev_write(0x0018, PCI_PREF_MEMORY_BASE, 4, 0x0000fff0);
	add_fn(0x0010, 0); /* 00:02.0, 1 MiB, placed first */
	add_bar(0x0010, 0, 0xfff00000);
	give(0, 0x0010);
	add_fn(0x0020, 0); /* 00:04.0, 1 MiB */
	add_bar(0x0020, 0, 0xfff00000);
	give(0, 0x0020);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0010, PCI_BAR0, 4), WIN_BASE);
	assert_int_equal(dev_read(0x0020, PCI_BAR0, 4), WIN_BASE + 0x300000);
	assert_logged("I: pci: 00:03.0 (a bridge) BAR1 at 0x10200000+0x1000: kept clear");
}

/* Firmware's prefetchable window of 00:04.0 at @start..@end, 64-bit with @upper above. */
static void open_pref_window(uint16_t bdf, uint64_t start, uint64_t end, bool is64, uint32_t upper)
{
	dev_write(bdf, PCI_PREF_MEMORY_BASE, 4,
		  (uint32_t)(start >> 16 & 0xfff0) | (is64 ? PCI_PREF_RANGE_64 : 0) |
			  ((uint32_t)((end - 1) >> 16 & 0xfff0) | (is64 ? PCI_PREF_RANGE_64 : 0))
				  << 16);
	dev_write(bdf, PCI_PREF_BASE_UPPER32, 4, upper);
	dev_write(bdf, PCI_PREF_LIMIT_UPPER32, 4, upper);
}

/*
 * Another port's prefetchable window is forwarded to the functions below
 * it, as its memory window is: no BAR of the root bus is placed in it. One
 * above 4 GiB (its upper halves) takes nothing below.
 */
static void test_a_bar_is_placed_outside_another_ports_prefetchable_window(void **state)
{
	(void)state;
	two_root_ports();
	open_pref_window(0x0020, WIN_BASE + 0x300000, WIN_BASE + 0x400000, false, 0);
	give(0, 0x0200);
	give(0, EDU);
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfffff000);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), WIN_BASE + 0x400000);
}

static void test_a_64_bit_prefetchable_window_above_4_gib_takes_nothing_below(void **state)
{
	(void)state;
	two_root_ports();
	open_pref_window(0x0020, WIN_BASE + 0x300000, WIN_BASE + 0x400000, true, 1);
	give(0, 0x0200);
	give(0, EDU);
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfffff000);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), WIN_BASE + 0x300000);
}

/*
 * A BAR goes inside the host's 32-bit window and below 4 GiB: a 1 GiB BAR
 * does not fit this window (its aligned place would be past its end), and
 * with the window crossing 4 GiB a 2 MiB one does not fit the 1 MiB left
 * below (a 32-bit BAR above would decode at its low 32 bits).
 */
static void test_a_bar_past_the_host_window_or_4_gib_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xc0000000); /* 1 GiB */
	give(0, EDU);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged("BAR0 (1048576 KiB) does not fit the 32-bit window");
}

static void test_a_bar_above_4_gib_of_a_window_crossing_it_is_refused(void **state)
{
	(void)state;
	win_pci_base = 0xfff00000;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xffe00000); /* 2 MiB */
	give(0, EDU);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged("BAR0 (2048 KiB) does not fit the 32-bit window");
}

/* A 64-bit BAR5 has no BAR6 for its upper half: refused, nothing placed past the BARs. */
static void test_a_64_bit_bar5_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	dev_write(EDU, PCI_BAR0 + 20, 4, PCI_BAR_MEM_64);
	add_bar(EDU, 5, 0xfff00000);
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
}

/* BAR4 and BAR5, the last pair, as one 64-bit BAR: placed, the upper half 0. */
static void test_a_64_bit_bar4_the_last_pair_is_placed(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	dev_write(EDU, PCI_BAR0 + 16, 4, PCI_BAR_MEM_64);
	add_bar(EDU, 4, 0xfff00000);
	add_bar(EDU, 5, 0xffffffff);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 16, 4), PLACED_BAR0 | PCI_BAR_MEM_64);
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 20, 4), 0);
}

/* No 32-bit window to place BARs in (the host's ranges): no function is given, none placed. */
static void test_no_host_window_places_nothing(void **state)
{
	(void)state;
	win_result = -ENOENT;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	give(0, EDU);
	assert_int_not_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), 0);
	assert_logged("ranges: no 32-bit memory window to place BARs in");
}

/* Root port 00:04.0, its memory window @start..@end, and alpha's 1 MiB-BAR function below it. */
static void port_window_with_a_function(uint64_t start, uint64_t end)
{
	add_bridge(0x0020, ROOT_PORT, 1, 1);
	open_window(0x0020, start, end);
	add_fn(0x0100, 0);
	add_pcie(0x0100, 0x0);
	add_bar(0x0100, 0, 0xfff00000);
	give(0, 0x0100);
}

/*
 * A root port whose memory window firmware opened past the host's window
 * (below its start, or past its end): a BAR behind it goes only where both
 * forward, the part inside the host's window.
 */
static void test_a_port_window_starting_below_the_host_window_places_inside_it(void **state)
{
	(void)state;
	port_window_with_a_function(WIN_BASE - 0x100000, WIN_BASE + 0x100000);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0100, PCI_BAR0, 4), WIN_BASE);
}

static void test_a_port_window_ending_past_the_host_window_places_nothing_past_it(void **state)
{
	uint64_t top = (WIN_BASE + WIN_SIZE) & ~0xfffffULL; /* 960 KiB below the host's end */

	(void)state;
	port_window_with_a_function(top, top + 0x200000);
	assert_int_equal(create(0), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_bar_whose_writable_bits_are_not_contiguous_is_refused,
				       setup),
		cmocka_unit_test_setup(test_64_bit_bar_without_writable_upper_half_is_refused,
				       setup),
		cmocka_unit_test_setup(test_64_bit_bar_of_2_to_the_63_is_refused_not_wrapped,
				       setup),
		cmocka_unit_test_setup(test_power_of_two_bars_are_placed_aligned_to_their_size,
				       setup),
		cmocka_unit_test_setup(test_no_bar_is_placed_at_pci_address_0, setup),
		cmocka_unit_test_setup(test_no_bar_is_placed_in_the_legacy_vga_range, setup),
		cmocka_unit_test_setup(test_bar_over_the_cells_ram_is_refused_not_mapped_over_it,
				       setup),
		cmocka_unit_test_setup(
			test_bar_over_the_cells_shared_memory_is_refused_not_mapped_over_it, setup),
		cmocka_unit_test_setup(test_function_whose_stream_is_refused_is_not_logged_assigned,
				       setup),
		cmocka_unit_test_setup(
			test_a_port_window_starting_below_the_host_window_places_inside_it, setup),
		cmocka_unit_test_setup(
			test_a_port_window_ending_past_the_host_window_places_nothing_past_it,
			setup),
		cmocka_unit_test_setup(test_both_32_bit_bars_of_a_root_port_are_kept_clear, setup),
		cmocka_unit_test_setup(
			test_a_bar_is_placed_outside_another_ports_prefetchable_window, setup),
		cmocka_unit_test_setup(
			test_a_64_bit_prefetchable_window_above_4_gib_takes_nothing_below, setup),
		cmocka_unit_test_setup(test_a_bar_past_the_host_window_or_4_gib_is_refused, setup),
		cmocka_unit_test_setup(test_a_bar_above_4_gib_of_a_window_crossing_it_is_refused,
				       setup),
		cmocka_unit_test_setup(test_a_64_bit_bar5_is_refused, setup),
		cmocka_unit_test_setup(test_a_64_bit_bar4_the_last_pair_is_placed, setup),
		cmocka_unit_test_setup(test_no_host_window_places_nothing, setup),
		cmocka_unit_test_setup(test_64_bit_bar_of_4_gib_or_more_is_refused_not_placed_at_0,
				       setup),
		cmocka_unit_test_setup(test_bar_behind_a_root_port_is_placed_inside_its_window,
				       setup),
		cmocka_unit_test_setup(test_two_functions_behind_one_port_share_its_window, setup),
		cmocka_unit_test_setup(test_bar_that_does_not_fit_the_port_window_is_refused,
				       setup),
		cmocka_unit_test_setup(test_function_behind_a_closed_window_is_refused, setup),
		cmocka_unit_test_setup(test_bar_behind_a_switch_is_inside_every_port_window, setup),
		cmocka_unit_test_setup(test_no_bar_is_placed_over_a_root_ports_own_bar, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
