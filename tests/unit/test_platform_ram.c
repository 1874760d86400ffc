// SPDX-License-Identifier: GPL-2.0-only
/*
 * platform_ram_mappable() and platform_nomap_overlap() (boot/platform_ram.c):
 * the RAM EL2 maps is each /memory range in whole pages less the no-map
 * reserved ranges grown to whole pages; /memreserve/ entries and reserved
 * ranges without no-map stay mapped, as Linux keeps them in its linear map.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "platform.h"

#define PAGE 0x1000ULL

static struct platform plat;
static struct mem_range out[PLATFORM_MAX_RAM_MAP];

static void board(void)
{
	memset(&plat, 0, sizeof(plat));
	memset(out, 0xa5, sizeof(out));
}

static void ram(uint64_t base, uint64_t size)
{
	plat.mem[plat.nr_mem++] = (struct mem_range){ base, size };
}

static void reserved(uint64_t base, uint64_t size, bool no_map)
{
	plat.reserved[plat.nr_reserved++] =
		(struct platform_reserved){ { base, size }, no_map ? 1 : -1, no_map };
}

static void hole(uint64_t base, uint64_t size)
{
	reserved(base, size, true);
}

/*
 * platform_ram_mappable() gives exactly @want (@n ranges as base, size
 * pairs); the failure lists what it gave.
 */
static void assert_mapped(const uint64_t *want, int n)
{
	int got = platform_ram_mappable(&plat, PAGE, out, PLATFORM_MAX_RAM_MAP);
	bool same = got == n;
	char text[1024] = "";
	size_t len = 0;

	for (int i = 0; same && i < n; i++)
		same = out[i].base == want[2 * i] && out[i].size == want[2 * i + 1];
	if (same)
		return;
	for (int i = 0; i < got && len < sizeof(text); i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, " 0x%llx+0x%llx",
					(unsigned long long)out[i].base,
					(unsigned long long)out[i].size);
	fail_msg("mapped %d range(s):%s; want %d starting 0x%llx+0x%llx", got, text, n,
		 (unsigned long long)want[0], (unsigned long long)want[1]);
}

#define ASSERT_MAPPED(...)                                                         \
	do {                                                                       \
		static const uint64_t want_[] = { __VA_ARGS__ };                   \
		assert_mapped(want_, (int)(sizeof(want_) / sizeof(want_[0]) / 2)); \
	} while (0)

static void test_ram_without_no_map_memory_is_mapped_whole(void **state)
{
	(void)state;
	board();
	ram(0x40000000, 0x80000000);
	ram(0x100000000, 0x40000000);
	ASSERT_MAPPED(0x40000000, 0x80000000, 0x100000000, 0x40000000);
}

static void test_memreserve_and_reserved_memory_without_no_map_stay_mapped(void **state)
{
	(void)state;
	board();
	ram(0x40000000, 0x80000000);
	plat.reserved[plat.nr_reserved++] =
		(struct platform_reserved){ { 0x48000000, 0x1000 }, -1, false }; /* /memreserve/ */
	reserved(0x50000000, 0x100000, false); /* a framebuffer, ramoops */
	ASSERT_MAPPED(0x40000000, 0x80000000);
}

static void test_a_no_map_range_inside_ram_splits_it(void **state)
{
	(void)state;
	board();
	ram(0x40000000, 0x80000000);
	hole(0x70000000, 0x200000);
	ASSERT_MAPPED(0x40000000, 0x30000000, 0x70200000, 0x4fe00000);
}

static void test_no_map_ranges_at_either_edge_of_a_bank_trim_it(void **state)
{
	(void)state;
	board();
	ram(0x40000000, 0x80000000);
	hole(0x40000000, 0x80000);  /* TF-A's BL31 at the bottom */
	hole(0xbfe00000, 0x200000); /* OP-TEE at the top */
	hole(0x3ff00000, 0x101000); /* from below the bank into its first pages */
	ASSERT_MAPPED(0x40080000, 0x7fd80000);
}

/* Amlogic's secmon@5000000 + secmon@5300000, J721E's r5f-dma + r5f memory: one gap. */
static void test_adjacent_and_overlapping_no_map_ranges_leave_one_gap(void **state)
{
	(void)state;
	board();
	ram(0x0, 0x80000000);
	hole(0x5300000, 0x2000000);
	hole(0x5000000, 0x300000);
	hole(0x6000000, 0x400000); /* inside the second */
	hole(0x7200000, 0x200000); /* overlaps its end */
	ASSERT_MAPPED(0x0, 0x5000000, 0x7400000, 0x78c00000);
}

static void test_no_map_ranges_in_any_order_give_ascending_ranges(void **state)
{
	(void)state;
	board();
	ram(0x40000000, 0x10000000);
	hole(0x4c000000, 0x1000);
	hole(0x44000000, 0x1000);
	hole(0x48000000, 0x1000);
	ASSERT_MAPPED(0x40000000, 0x4000000, 0x44001000, 0x3fff000, 0x48001000, 0x3fff000,
		      0x4c001000, 0x3fff000);
}

/* The CPU maps whole pages: a page that holds a byte of no-map memory is left out whole. */
static void test_a_no_map_range_off_page_boundaries_takes_its_whole_pages(void **state)
{
	(void)state;
	board();
	ram(0x40000000, 0x100000);
	hole(0x40010800, 0x1000); /* 0x40010800-0x400117ff: two pages */
	hole(0x40020fff, 1);	  /* one byte */
	ASSERT_MAPPED(0x40000000, 0x10000, 0x40012000, 0xe000, 0x40021000, 0xdf000);
}

static void test_ram_off_page_boundaries_is_mapped_in_its_whole_pages_only(void **state)
{
	(void)state;
	board();
	ram(0x40000800, 0x3000);     /* 0x40000800-0x400037ff: pages 0x40001000, 0x40002000 */
	ram(0x50000100, 0xe00);	     /* no whole page */
	ram(0x60000000, 0x1000 - 1); /* no whole page */
	ASSERT_MAPPED(0x40001000, 0x2000);
}

static void test_a_no_map_range_covering_a_whole_bank_removes_it(void **state)
{
	(void)state;
	board();
	ram(0x40000000, 0x1000000);
	ram(0x80000000, 0x1000000);
	ram(0xc0000000, 0x1000000);
	hole(0x7ff00000, 0x1200000); /* the second bank and more either side */
	hole(0xc0000000, 0x1000000); /* exactly the third */
	ASSERT_MAPPED(0x40000000, 0x1000000);
}

static void test_no_map_ranges_outside_ram_change_nothing(void **state)
{
	(void)state;
	board();
	ram(0x40000000, 0x1000000);
	hole(0x0, 0x40000000);	    /* ends where RAM starts */
	hole(0x41000000, 0x1000);   /* starts where RAM ends */
	hole(0xfff00000, 0x100000); /* SRAM, far away */
	ASSERT_MAPPED(0x40000000, 0x1000000);
}

/* A bank ending at 2^64 - 1 and a range at the very top: no end wraps to 0. */
static void test_ranges_at_the_top_of_the_address_space_do_not_wrap(void **state)
{
	(void)state;
	board();
	ram(0xffffffffff000000, 0x1000000);
	hole(0xfffffffffffff000, 0x1000);
	hole(0xffffffffff800800, 0x800);
	ASSERT_MAPPED(0xffffffffff000000, 0x800000, 0xffffffffff801000, 0x7fe000);
	board();
	ram(0xfffffffffffff800, 0x800); /* no whole page */
	assert_int_equal(platform_ram_mappable(&plat, PAGE, out, PLATFORM_MAX_RAM_MAP), 0);
}

static void test_every_board_fits_platform_max_ram_map_and_less_is_enospc(void **state)
{
	(void)state;
	board();
	for (int b = 0; b < PLATFORM_MAX_MEM; b++)
		ram(0x40000000ULL * (uint64_t)(b + 1), 0x10000000);
	for (int i = 0; i < PLATFORM_MAX_RESERVED; i++) /* 8 holes inside each bank */
		hole(0x40000000ULL * (uint64_t)(i / 8 + 1) + 0x100000ULL * (uint64_t)(i % 8 + 1),
		     PAGE);
	assert_int_equal(platform_ram_mappable(&plat, PAGE, out, PLATFORM_MAX_RAM_MAP),
			 PLATFORM_MAX_RAM_MAP);
	assert_int_equal(out[PLATFORM_MAX_RAM_MAP - 1].base, 0x200000000ULL + 0x801000);
	assert_int_equal(platform_ram_mappable(&plat, PAGE, out, PLATFORM_MAX_RAM_MAP - 1),
			 -ENOSPC);
}

static void test_overlap_names_each_no_map_range_whose_pages_meet_the_range(void **state)
{
	(void)state;
	board();
	ram(0x40000000, 0x80000000);
	reserved(0x48000000, 0x1000, false);
	hole(0x48000800, 0x800);  /* 1: shares the page 0x48000000 with the reserved range */
	hole(0x5f000000, 0x1000); /* 2 */
	assert_int_equal(platform_nomap_overlap(&plat, PAGE, 0x48000000, 0x10, 0), 1);
	assert_int_equal(platform_nomap_overlap(&plat, PAGE, 0x47fff000, 0x1000, 0), -1);
	assert_int_equal(platform_nomap_overlap(&plat, PAGE, 0x48001000, 0x1000, 0), -1);
	assert_int_equal(platform_nomap_overlap(&plat, PAGE, 0x40000000, 0x40000000, 0), 1);
	assert_int_equal(platform_nomap_overlap(&plat, PAGE, 0x40000000, 0x40000000, 2), 2);
	assert_int_equal(platform_nomap_overlap(&plat, PAGE, 0x5effffff, 2, 0), 2);
	assert_int_equal(platform_nomap_overlap(&plat, PAGE, 0x5f000000, 0, 0), -1);
	assert_int_equal(platform_nomap_overlap(&plat, PAGE, 0xfffffffffffff000, 0x2000, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ram_without_no_map_memory_is_mapped_whole),
		cmocka_unit_test(test_memreserve_and_reserved_memory_without_no_map_stay_mapped),
		cmocka_unit_test(test_a_no_map_range_inside_ram_splits_it),
		cmocka_unit_test(test_no_map_ranges_at_either_edge_of_a_bank_trim_it),
		cmocka_unit_test(test_adjacent_and_overlapping_no_map_ranges_leave_one_gap),
		cmocka_unit_test(test_no_map_ranges_in_any_order_give_ascending_ranges),
		cmocka_unit_test(test_a_no_map_range_off_page_boundaries_takes_its_whole_pages),
		cmocka_unit_test(test_ram_off_page_boundaries_is_mapped_in_its_whole_pages_only),
		cmocka_unit_test(test_a_no_map_range_covering_a_whole_bank_removes_it),
		cmocka_unit_test(test_no_map_ranges_outside_ram_change_nothing),
		cmocka_unit_test(test_ranges_at_the_top_of_the_address_space_do_not_wrap),
		cmocka_unit_test(test_every_board_fits_platform_max_ram_map_and_less_is_enospc),
		cmocka_unit_test(test_overlap_names_each_no_map_range_whose_pages_meet_the_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
