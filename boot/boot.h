/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_BOOT_H
#define BULKHEAD_BOOT_H

#include "platform.h"

/* Find, validate and start the layout's cells (boot/layout_boot.c). Boot CPU only. */
void boot_cells(const void *board_fdt, const struct platform *plat);

#endif
