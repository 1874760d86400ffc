// SPDX-License-Identifier: GPL-2.0-only
/*
 * How much of an initrd window a guest is told about. Linux unpacks an
 * initramfs up to linux,initrd-end and steps over NUL padding one byte at a
 * time: a 1 MiB archive in a 4 MiB window cost a Linux cell 0.05-0.12 s of
 * boot (docs/performance.md, "Optimisations" 24). cpio and the compressed
 * formats Linux unpacks end by themselves, within a few zero bytes of their
 * own (gzip's ISIZE, lz4's end mark, cpio's name padding): from one page after
 * the last non-zero byte on, the window is padding and is left out. Anything
 * else (a filesystem image for /dev/ram0, which Linux sizes from its
 * superblock and which may end in zero blocks) keeps the whole window.
 */
#include <stdbool.h>
#include <string.h>
#include "initrd.h"
#include "layout.h"

/* The formats of Linux's decompress_method() (lib/decompress.c), and cpio "newc"/"crc". */
static const struct {
	unsigned char len;
	unsigned char magic[4];
} archive_magic[] = {
	{ 4, { '0', '7', '0', '7' } },	   /* cpio */
	{ 2, { 0x1f, 0x8b } },		   /* gzip */
	{ 2, { 0x1f, 0x9e } },		   /* old gzip */
	{ 3, { 'B', 'Z', 'h' } },	   /* bzip2 */
	{ 3, { 0x5d, 0x00, 0x00 } },	   /* lzma */
	{ 4, { 0xfd, '7', 'z', 'X' } },	   /* xz */
	{ 4, { 0x89, 'L', 'Z', 'O' } },	   /* lzo */
	{ 4, { 0x02, 0x21, 0x4c, 0x18 } }, /* lz4 (legacy frame) */
	{ 4, { 0x28, 0xb5, 0x2f, 0xfd } }, /* zstd */
};

static bool is_archive(const unsigned char *p, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < sizeof(archive_magic) / sizeof(archive_magic[0]); i++)
		if (size >= archive_magic[i].len &&
		    !memcmp(p, archive_magic[i].magic, archive_magic[i].len))
			return true;
	return false;
}

static bool any_set(const uint64_t *w)
{
	return w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6] | w[7];
}

/* The window's size, or for an archive whole pages to at least a page past its last byte. */
uint64_t initrd_archive_size(const void *window, uint64_t size)
{
	const unsigned char *p = window;
	const uint64_t *word = window; /* 8-byte aligned: windows are 4 KiB aligned */
	uint64_t end = size;

	if (!is_archive(p, size))
		return size;
	while (end % 64 && !p[end - 1])
		end--;
	/* 64 bytes an iteration: a 4 MiB window is scanned in 0.6 ms of QEMU's virtual time. */
	while (!(end % 64) && end && !any_set(word + end / 8 - 8))
		end -= 64;
	while (end && !p[end - 1])
		end--;
	end = (end + 2 * LAYOUT_PAGE_SIZE - 1) & ~(LAYOUT_PAGE_SIZE - 1);
	return end < size ? end : size;
}
