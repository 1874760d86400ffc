/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TOOLS_RESOURCE_MAP_H
#define BULKHEAD_TOOLS_RESOURCE_MAP_H

#include "layout.h"
#include "platform.h"

/* Print the resource map of @l; with the board @plat (or NULL), its UART and CPUs too. */
void print_resource_map(const struct layout *l, const struct platform *plat);
/* "PATH (KIND)", and a 16550's register stride and width: what the console driver will use. */
const char *describe_uart(const struct platform_uart *u);

#endif
