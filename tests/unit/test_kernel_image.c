// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel_image_problem() (partitions/kernel_image.c): what the boot says of a
 * kernel window that holds no arm64 Image. "Say kernel-format = raw" is only
 * right for a flat binary; a gzip'd vmlinuz, an EFI zboot image and a window
 * nothing was loaded into each get their own advice. Windows are allocated
 * at their exact size: reading past one is an ASan error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel_image.h"

/* A SIZE-byte window holding HEAD (LEN bytes) then 0x5a bytes, checked against WANT. */
static void assert_problem(const void *head, size_t len, size_t size, const char *want)
{
	unsigned char *window = malloc(size ? size : 1);
	const char *got;

	assert_non_null(window);
	memset(window, 0x5a, size);
	memcpy(window, head, len < size ? len : size);
	got = kernel_image_problem(window, size);
	free(window);
	if (!want && got)
		fail_msg("window of %zu bytes: an Image, but told \"%s\"", size, got);
	if (want && (!got || !strstr(got, want)))
		fail_msg("window of %zu bytes: want \"%s\", told \"%s\"", size, want,
			 got ? got : "(an Image)");
}

static void image_header(unsigned char *h)
{
	memset(h, 0, KERNEL_IMAGE_HEADER_SIZE);
	h[0] = 0x4d; /* code0, as a real Image: "MZ" for EFI, not zboot's "zimg" after */
	h[1] = 0x5a;
	memcpy(h + KERNEL_IMAGE_MAGIC_OFFSET, "ARM\x64", 4);
}

static void test_an_image_header_is_no_problem(void **state)
{
	unsigned char h[KERNEL_IMAGE_HEADER_SIZE];

	(void)state;
	image_header(h);
	assert_problem(h, sizeof(h), 4096, NULL);
	assert_problem(h, sizeof(h), KERNEL_IMAGE_HEADER_SIZE, NULL);
	/* Its magic cut off by the window's end. */
	assert_problem(h, sizeof(h), KERNEL_IMAGE_HEADER_SIZE - 1, "kernel-format = \"raw\"");
}

static void test_a_gzip_kernel_is_told_to_decompress_it(void **state)
{
	static const unsigned char gz[] = { 0x1f, 0x8b, 0x08, 0x00 };

	(void)state;
	assert_problem(gz, sizeof(gz), 4096, "gzip-compressed (a vmlinuz?): decompress it");
	assert_problem(gz, 2, 2, "gzip-compressed");
}

static void test_an_efi_zboot_kernel_is_told_to_load_the_image_inside(void **state)
{
	static const unsigned char zboot[] = { 'M', 'Z', 0, 0, 'z', 'i', 'm', 'g', 0, 0, 1, 0 };

	(void)state;
	assert_problem(zboot, sizeof(zboot), 4096, "EFI zboot image (vmlinuz.efi)");
	assert_problem(zboot, 8, 8, "EFI zboot image");
	/* "zimg" cut off: not told it is zboot. */
	assert_problem(zboot, 7, 7, "kernel-format = \"raw\"");
}

static void test_a_window_starting_with_zeros_was_not_loaded(void **state)
{
	static const unsigned char zeros[KERNEL_IMAGE_HEADER_SIZE];

	(void)state;
	assert_problem(zeros, sizeof(zeros), 4096, "first bytes are zero: nothing was loaded");
	assert_problem(zeros, 16, 16, "first bytes are zero");
	/* A non-zero byte in the header: something was loaded. */
	assert_problem(zeros, 63, 4096, "kernel-format = \"raw\"");
}

static void test_anything_else_is_told_about_raw(void **state)
{
	static const unsigned char flat[] = { 0x00, 0x00, 0x00, 0x14 }; /* b . */

	(void)state;
	assert_problem(flat, sizeof(flat), 4096, "for a flat binary say kernel-format = \"raw\"");
	assert_problem(flat, 0, 0, "kernel-format = \"raw\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_image_header_is_no_problem),
		cmocka_unit_test(test_a_gzip_kernel_is_told_to_decompress_it),
		cmocka_unit_test(test_an_efi_zboot_kernel_is_told_to_load_the_image_inside),
		cmocka_unit_test(test_a_window_starting_with_zeros_was_not_loaded),
		cmocka_unit_test(test_anything_else_is_told_about_raw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
