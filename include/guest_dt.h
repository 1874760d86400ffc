/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_GUEST_DT_H
#define BULKHEAD_GUEST_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "layout.h"
#include "platform.h"

/* The largest tree the hypervisor builds for a cell (guest_dt_install()). */
#define GUEST_DT_BUILD_SIZE (64 * 1024)

/* Where the loaded initrd sits in the guest, if any (size 0 = none). */
struct guest_dt_initrd {
	uint64_t ipa;
	uint64_t size;
};

/*
 * Write the device tree a cell boots with into @buf (partitions/guest_dt.c):
 * a small QEMU-virt-like machine made of the cell's memory, its vCPUs
 * (reg = vCPU index, enable-method psci), psci (hvc), the virtual GIC of
 * the board's version, the arch timer, the virtual PL011 with its clock,
 * the cell's devices copied from @board_fdt, and /chosen. Returns 0 or a
 * negative errno after log_err() naming the cell and what did not fit.
 * @cell comes from a successful layout_parse() with @board_fdt and @plat,
 * which platform_discover() filled: the GIC version, the cell's counts, a
 * board for its devices and an initrd inside its RAM are not checked again.
 * Uses libfdt: see include/fdt_glue.h for where it may be called.
 */
int guest_dt_build(const struct layout_cell *cell, const struct platform *plat,
		   const void *board_fdt, const struct guest_dt_initrd *initrd, void *buf,
		   size_t size);

/*
 * The same tree, built in the hypervisor's own buffer (64 KiB; one at a
 * time, under a lock) and copied to @dst, @size bytes, when it is whole:
 * @dst (a cell's DTB slot) is never read, nor written before. Returns the
 * tree's size, or a negative errno as guest_dt_build(). @tell: say what the
 * tree leaves out (log_warn()); a reload builds the same tree again, and a
 * cell restarting in a loop would say it at every boot.
 */
int guest_dt_install(const struct layout_cell *cell, const struct platform *plat,
		     const void *board_fdt, const struct guest_dt_initrd *initrd, void *dst,
		     size_t size, bool tell);

/*
 * This CPU took a fault at EL2 (a panic in libfdt's stack check) and parks
 * for good (cell_cpu_lost()): if it was building a tree, the build's lock
 * is let go, or every later reload of any cell would wait for it for ever,
 * its interrupts masked. Nothing otherwise.
 */
void guest_dt_cpu_lost(void);

#endif
