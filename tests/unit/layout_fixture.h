/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_LAYOUT_FIXTURE_H
#define BULKHEAD_TESTS_LAYOUT_FIXTURE_H

/*
 * What the layout parser's tests (test_layout_*.c, a topic each) share: QEMU
 * virt's board and its discovery, each group's setup, the layout DTBs of
 * tools/tools.mk (load_layout(), unit_dtb.h), board copies a test may
 * change, and the parses several
 * topics make (two-cells.dts given devices, on another board).
 */
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

#include "layout.h"
#include "platform.h"
#include "unit_dtb.h" /* load_layout() */

#define BOARD_DTB "virt-gicv3-smmuv3.dtb"

/* QEMU virt's board (BOARD_DTB) as setup_board() discovered it, and the last parse. */
extern struct platform plat;
extern struct layout layout;
extern void *board;

/* Each topic's group setup: BOARD_DTB loaded and discovered, nothing logged; and its end. */
int setup_board(void **state);
int teardown_board(void **state);

/* A copy of board DTB @src with @extra spare bytes, for a test to change. */
void *board_copy_of(const void *src, size_t extra);

/* The same of QEMU virt's DTB. */
void *board_copy(size_t extra);

/* In two-cells @fdt: alpha's devices @alpha_dev and PCI function @alpha_pci, beta's the same. */
void give_cells(void *fdt, const char *alpha_dev, uint32_t alpha_pci, const char *beta_dev,
		uint32_t beta_pci);

/* Layout @fdt parsed on board @b, which discovery accepts quietly; both freed. */
int parse_and_free(void *fdt, void *b);

/*
 * two-cells.dts with a shared-memory region of alpha and beta (2 MiB at PA
 * 0x41000000, IPA 0x50000000); its node's offset in @shm.
 */
void *two_cells_with_shm(int *shm);

/*
 * Under @b's root, node @bus (2 address and 2 size cells, ranges empty) with
 * child @child at @reg.
 */
int add_bus_child(void *b, const char *bus, const char *child, const fdt32_t reg[4]);

/*
 * two-cells.dts on @board_dtb (tests/unit/dts): alpha and beta get
 * @alpha_dev / @beta_dev (NULL: none) and the PCI function @alpha_pci /
 * @beta_pci (0: none). Streams on board-virt-sids.dts: dma@a000000 and
 * dma@a001000 0x8, dma@a002000 0x9, a function its RID (iommu-map 1:1).
 * Returns layout_parse()'s result; the layout is printed when it parsed.
 */
int parse_on_board(const char *board_dtb, const char *alpha_dev, uint32_t alpha_pci,
		   const char *beta_dev, uint32_t beta_pci);

#endif
