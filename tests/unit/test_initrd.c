// SPDX-License-Identifier: GPL-2.0-only
/*
 * initrd_archive_size() (partitions/initrd.c): an initramfs archive is told
 * to the guest in whole pages, at least a page past its last non-zero byte
 * (formats end in a few zero bytes of their own: gzip's ISIZE of a small
 * archive, lz4's end mark); any other initrd as its whole window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "initrd.h"

#define PAGE   4096
#define WINDOW (16 * PAGE)

static _Alignas(PAGE) unsigned char window[WINDOW];

/* WINDOW zeroed, then HEAD at 0 and a last non-zero byte at LAST - 1. */
static void fill(const void *head, size_t len, size_t last)
{
	memset(window, 0, sizeof(window));
	memcpy(window, head, len);
	if (last)
		window[last - 1] = 0xa5;
}

/* What an archive whose last non-zero byte ends at LAST in a SIZE window may be told. */
static void assert_told(uint64_t size, uint64_t last)
{
	uint64_t told = initrd_archive_size(window, size);

	if (told == size && size < last + PAGE)
		return; /* too close to the window's end to leave a page of zeros out */
	if (told % PAGE || told < last + PAGE || told >= last + 2 * PAGE)
		fail_msg("window %lu, last non-zero byte at %lu: told %lu", (unsigned long)size,
			 (unsigned long)last - 1, (unsigned long)told);
}

static void test_archives_are_told_a_page_past_their_last_non_zero_byte(void **state)
{
	static const unsigned char magic[][4] = {
		{ '0', '7', '0', '7' },	 { 0x1f, 0x8b, 8, 0 },	     { 0x1f, 0x9e, 1, 1 },
		{ 'B', 'Z', 'h', '9' },	 { 0x5d, 0, 0, 0x80 },	     { 0xfd, '7', 'z', 'X' },
		{ 0x89, 'L', 'Z', 'O' }, { 0x02, 0x21, 0x4c, 0x18 }, { 0x28, 0xb5, 0x2f, 0xfd },
	};
	/* In a 64-byte block, on its last byte, on its first; on and beside pages (WINDOW 65536).
	 */
	static const size_t lasts[] = { 5,    100,   127,   128,   129,	  4095,	 4096,
					4097, 40000, 61439, 61440, 61441, 65535, 65536 };
	size_t m, l;

	(void)state;
	for (m = 0; m < sizeof(magic) / sizeof(magic[0]); m++)
		for (l = 0; l < sizeof(lasts) / sizeof(lasts[0]); l++) {
			fill(magic[m], sizeof(magic[m]), lasts[l]);
			assert_told(WINDOW, lasts[l]);
		}
	fill("\x1f\x8b", 2, 5);
	assert_int_equal(initrd_archive_size(window, WINDOW), 2 * PAGE);
}

static void test_zeros_inside_an_archive_are_kept(void **state)
{
	(void)state;
	fill("070701", 6, 3 * PAGE + 10);
	window[200] = 1; /* whole 64-byte blocks and pages of zeros on both sides of it */
	assert_told(WINDOW, 3 * PAGE + 10);
}

static void test_a_window_of_any_size_is_scanned_to_its_start(void **state)
{
	static const uint64_t sizes[] = { 1, 2, 63, 64, 65, PAGE + 1, 3 * PAGE + 7, WINDOW - 3 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill("\x1f\x8b", 2, 0);
		if (sizes[i] < 2) {
			/* Too short to hold the magic: not recognised, kept whole. */
			assert_int_equal(initrd_archive_size(window, sizes[i]), sizes[i]);
			continue;
		}
		assert_told(sizes[i], 2);
		window[sizes[i] - 1] = 7;
		assert_int_equal(initrd_archive_size(window, sizes[i]), sizes[i]);
	}
}

/* Linux sizes a /dev/ram0 image from its superblock; its zero blocks must stay. */
static void test_anything_else_keeps_its_whole_window(void **state)
{
	(void)state;
	fill("", 0, 1500); /* ext2: a zero boot block first */
	assert_int_equal(initrd_archive_size(window, WINDOW), WINDOW);
	fill("hsqs", 4, 1500); /* squashfs */
	assert_int_equal(initrd_archive_size(window, WINDOW), WINDOW);
	fill("0708", 4, 1500); /* not cpio */
	assert_int_equal(initrd_archive_size(window, WINDOW), WINDOW);
	fill("", 0, 0); /* nothing was loaded */
	assert_int_equal(initrd_archive_size(window, WINDOW), WINDOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_archives_are_told_a_page_past_their_last_non_zero_byte),
		cmocka_unit_test(test_zeros_inside_an_archive_are_kept),
		cmocka_unit_test(test_a_window_of_any_size_is_scanned_to_its_start),
		cmocka_unit_test(test_anything_else_keeps_its_whole_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
