/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TOOLS_LOAD_PLAN_H
#define BULKHEAD_TOOLS_LOAD_PLAN_H

#include "layout.h"
#include "platform.h"

/* Print the load plan of @l on the board @plat; 0, or 1 after saying why it has none. */
int print_load_plan(const struct platform *plat, const struct layout *l);

#endif
