/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside bulkhead-check --draft: the plan, which tools/layout_draft.c makes
 * and the layout's header comment (tools/layout_draft_comment.c) says.
 */
#ifndef BULKHEAD_TOOLS_LAYOUT_DRAFT_PRIV_H
#define BULKHEAD_TOOLS_LAYOUT_DRAFT_PRIV_H

#include <stdint.h>

#include "layout.h"
#include "platform.h"

#define SZ_1M  0x100000ULL
#define MiB(x) ((unsigned long long)((x) >> 20))

/* What the examples give: the image (LAYOUT_HYP_IMAGE_MAX), its tables, the board FDT. */
#define DRAFT_HYP_SIZE (16 * SZ_1M)
/* Room for a distribution's arm64 Image (Debian's is ~35 MiB), as demo.dts gives. */
#define DRAFT_KERNEL_WINDOW (48 * SZ_1M)
/* A cell's share of the bank, at most: the rest stays free for more cells or regions. */
#define DRAFT_CELL_MAX (1024 * SZ_1M)
/* The top of the bank left to U-Boot: a quarter of it, at most this (demo.dts). */
#define DRAFT_UBOOT_ROOM_MAX (512 * SZ_1M)

struct draft {
	const void *board;
	const struct platform *plat;
	int nr_cells;
	int boot; /* the DTB header's boot CPU, an index into plat->cpus; -1: none of them */
	struct mem_range bank;	/* the RAM bank the plan uses */
	uint64_t cursor, limit; /* next free address; where U-Boot's room starts */
	uint64_t hyp, dtb_slot; /* hypervisor-memory's and the layout DTB's addresses */
	uint64_t kernel_size;	/* each kernel window's */
	uint64_t kernel[LAYOUT_MAX_CELLS];
	uint64_t mem_size; /* each cell's memory */
	uint64_t mem[LAYOUT_MAX_CELLS];
};

/* The end of the plan's part of @bank, exclusive (tools/layout_draft.c). */
uint64_t draft_bank_end(const struct mem_range *bank);
/* The MPIDR of the @k-th CPU the cells get, in the plan's order (tools/layout_draft.c). */
uint64_t draft_cpu(const struct draft *d, int k);
/* Print the layout's header comment: the board, the RAM plan, the next steps. */
void draft_print_comment(const struct draft *d, const char *board_path);

#endif
