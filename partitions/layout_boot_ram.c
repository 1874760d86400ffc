// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where things go in a cell's boot RAM (docs/layout.md): the kernel, its
 * DTB slot and the initrd, one definition used by the layout check and by
 * the loader (partitions/cell_load.c).
 */

#include "layout_internal.h"

#define SZ_2M 0x200000ULL

/* Does [off, off + size) lie in the boot RAM, clear of the DTB slot and of the kernel? */
static bool boot_ram_free(const struct layout_cell *c, uint64_t off, uint64_t size, uint64_t kernel,
			  uint64_t kernel_end)
{
	uint64_t ram = c->mem[0].size;

	return off <= ram && size <= ram - off &&
	       !ranges_overlap(off, size, c->dtb_offset, LAYOUT_DTB_SLOT) &&
	       !ranges_overlap(off, size, kernel, kernel_end - kernel);
}

bool layout_initrd_offset(const struct layout_cell *c, uint64_t kernel, uint64_t kernel_end,
			  uint64_t *off)
{
	uint64_t mask = LAYOUT_INITRD_ALIGN - 1;
	uint64_t after_kernel = (kernel_end + mask) & ~mask;
	uint64_t after_dtb = (c->dtb_offset + LAYOUT_DTB_SLOT + mask) & ~mask;

	if (boot_ram_free(c, after_kernel, c->initrd.size, kernel, kernel_end))
		*off = after_kernel;
	else if (boot_ram_free(c, after_dtb, c->initrd.size, kernel, kernel_end))
		*off = after_dtb;
	else
		return false;
	return true;
}

uint64_t layout_kernel_offset(const struct layout_cell *cell)
{
	if (cell->kernel.format == LAYOUT_KERNEL_RAW)
		return cell->kernel.entry_offset;
	/* arm64 Image: a 2 MiB aligned base, above the DTB slot when that sits low. */
	if (cell->dtb_offset < LAYOUT_DTB_SLOT)
		return (cell->dtb_offset + LAYOUT_DTB_SLOT + SZ_2M - 1) & ~(SZ_2M - 1);
	return 0;
}

/*
 * The kernel window's bytes at @koff: inside the boot RAM and clear of the
 * DTB slot. Which of the two failed is said apart, with where @koff came
 * from: the fix differs (a larger boot RAM, or entry-offset / dtb-offset).
 */
static bool kernel_fits(struct layout_ctx *ctx, const struct layout_cell *c, uint64_t koff)
{
	uint64_t ram = c->mem[0].size, ksize = c->kernel.win.size;
	bool raw = c->kernel.format == LAYOUT_KERNEL_RAW;
	const char *at = raw ? "its entry-offset, 0 if not given"
			     : (koff ? "an Image goes above a DTB slot below 2 MiB"
				     : "an Image goes at its start");

	if (koff >= ram || ksize > ram - koff) {
		layout_error(
			ctx, c->path, "kernel",
			"window of 0x%lx bytes, loaded at boot RAM offset 0x%lx (%s), ends past "
			"the boot RAM (the first memory region, 0x%lx bytes)",
			ksize, koff, at, ram);
		return false;
	}
	if (ranges_overlap(koff, ksize, c->dtb_offset, LAYOUT_DTB_SLOT)) {
		layout_error(
			ctx, c->path, "kernel",
			"window of 0x%lx bytes, loaded at boot RAM offset 0x%lx (%s), overlaps "
			"the 2 MiB DTB slot at 0x%lx (dtb-offset; by default the highest 2 MiB "
			"aligned place in the boot RAM): %s",
			ksize, koff, at, c->dtb_offset,
			raw ? "move entry-offset or dtb-offset"
			    : "give the cell more boot RAM, a smaller kernel window, or "
			      "dtb-offset = <0> (the Image then goes above the slot)");
		return false;
	}
	return true;
}

/* The kernel and the DTB slot share the boot RAM (mem[0]). */
void layout_check_boot_ram(struct layout_ctx *ctx, struct layout_cell *c)
{
	uint64_t ram = c->mem[0].size, koff, ioff, ksize = c->kernel.win.size;

	if (ram < 2 * LAYOUT_DTB_SLOT) {
		layout_error(ctx, c->path, "memory",
			     "boot RAM (the first region) of 0x%lx bytes is smaller than 4 MiB "
			     "(the 2 MiB DTB slot and a kernel)",
			     ram);
		return;
	}
	if (c->kernel.format == LAYOUT_KERNEL_IMAGE && c->mem[0].ipa % SZ_2M)
		layout_error(
			ctx, c->path, "memory",
			"boot RAM (the first region) at IPA 0x%lx: an arm64 Image goes at a 2 MiB "
			"aligned address (the Linux boot protocol), and the kernel's place is "
			"counted from this region's start",
			c->mem[0].ipa);
	if (c->dtb_offset % 8 || c->dtb_offset > ram - LAYOUT_DTB_SLOT) {
		layout_error(ctx, c->path, "dtb-offset",
			     "0x%lx: the 2 MiB DTB slot must be 8-byte aligned and inside the boot "
			     "RAM (0x%lx bytes)",
			     c->dtb_offset, ram);
		return;
	}
	if (c->device_tree.size > LAYOUT_DTB_SLOT)
		layout_error(ctx, c->path, "device-tree",
			     "0x%lx bytes, more than the 2 MiB DTB slot", c->device_tree.size);
	if (ksize == 0)
		return;
	koff = layout_kernel_offset(c);
	if (c->kernel.format == LAYOUT_KERNEL_RAW && c->kernel.entry_offset % 4)
		layout_error(ctx, c->path, "entry-offset", "0x%lx is not 4-byte aligned",
			     c->kernel.entry_offset);
	if (!kernel_fits(ctx, c, koff))
		return;
	if (c->initrd.size && !layout_initrd_offset(c, koff, koff + ksize, &ioff))
		layout_error(
			ctx, c->path, "initrd",
			"0x%lx bytes fit neither after the kernel (0x%lx bytes at offset 0x%lx) "
			"nor after the DTB slot (at 0x%lx) in the boot RAM (0x%lx bytes)",
			c->initrd.size, ksize, koff, c->dtb_offset, ram);
}
