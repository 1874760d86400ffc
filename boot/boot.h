/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_BOOT_H
#define BULKHEAD_BOOT_H

#include "platform.h"

/*
 * boot/el2_ram.c, boot CPU: map the board's RAM at EL2 less its no-map
 * reserved memory, and check through the MMU that none of that is mapped.
 * 0, or a negative errno after reporting why (the hypervisor image in no-map
 * memory, the EL2 table pool too small).
 */
int el2_ram_map(const struct platform *plat, const void *fdt);
/* One boot log line per no-map range left out of a RAM bank (none if there is none). */
void el2_ram_report(const struct platform *plat, const void *fdt);

/*
 * Where @key (such as "bulkhead.layout=") is in /chosen/bootargs, starting
 * the string or after a space; NULL if nowhere (boot/layout_boot.c).
 */
const char *boot_arg(const void *board_fdt, const struct platform *plat, const char *key);

/* Find, validate and start the layout's cells (boot/layout_boot.c). Boot CPU only. */
void boot_cells(const void *board_fdt, const struct platform *plat);

#ifdef BULKHEAD_TEST_FAULT
/*
 * boot-wait-cpu2 (boot/main.c), on the boot CPU once the cells are built:
 * CPU 2, waiting for the boot's end, faults, and is waited for until it parks.
 */
void test_fault_boot_wait(void);
#endif

#endif
