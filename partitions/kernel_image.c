// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whether a kernel window holds an arm64 Image, and if not what it holds
 * instead, for the boot log's advice. "Say kernel-format = raw" is right for
 * a flat binary only: the usual mistakes are a gzip'd vmlinuz (Debian's
 * /boot/vmlinuz-*), an EFI zboot vmlinuz.efi (CONFIG_EFI_ZBOOT, Fedora and
 * Ubuntu), and a window nothing was loaded into.
 */
#include <stdbool.h>
#include <string.h>
#include "kernel_image.h"

static const unsigned char image_magic[4] = { 'A', 'R', 'M', 0x64 };

static bool all_zero(const unsigned char *p, uint64_t size)
{
	uint64_t i;

	for (i = 0; i < size; i++)
		if (p[i])
			return false;
	return true;
}

/* NULL when the window starts with an arm64 Image header; otherwise what to do instead. */
const char *kernel_image_problem(const void *window, uint64_t size)
{
	const unsigned char *p = window;
	uint64_t head = size < KERNEL_IMAGE_HEADER_SIZE ? size : KERNEL_IMAGE_HEADER_SIZE;

	if (head == KERNEL_IMAGE_HEADER_SIZE &&
	    !memcmp(p + KERNEL_IMAGE_MAGIC_OFFSET, image_magic, sizeof(image_magic)))
		return NULL;
	if (head >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return "it is gzip-compressed (a vmlinuz?): decompress it (zcat vmlinuz > Image) "
		       "and load the Image";
	/* zboot-header.S: "MZ" for the PE loader, then "zimg" at offset 4. */
	if (head >= 8 && !memcmp(p, "MZ", 2) && !memcmp(p + 4, "zimg", 4))
		return "it is an EFI zboot image (vmlinuz.efi), an EFI application and a cell has "
		       "no EFI firmware: load the Image compressed inside it (scripts/mkimage "
		       "says how to extract it)";
	if (head && all_zero(p, head))
		return "the window's first bytes are zero: nothing was loaded there?";
	return "for a flat binary say kernel-format = \"raw\"";
}
