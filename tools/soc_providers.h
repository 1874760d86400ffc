/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TOOLS_SOC_PROVIDERS_H
#define BULKHEAD_TOOLS_SOC_PROVIDERS_H

#include <stdbool.h>

#include "layout.h"
#include "platform.h"

/*
 * A SoC's clock, reset, power-domain and pin controllers serve every
 * device: the cell that owns one can gate the clock, hold the reset, power
 * down or re-mux the pins of the hypervisor's console and of other cells'
 * devices. No rule refuses such a device (many boards give a cell a GPIO
 * bank that is also the pin controller), so the checker warns and the
 * draft says so (docs/porting.md, "Clocks, resets, power and pins").
 */

/* What the enabled board nodes outside a provider draw from it. */
struct soc_provider {
	int consumers;	/* how many nodes */
	bool console;	/* Bulkhead's console UART is one of them */
	char kinds[48]; /* "clocks", "clocks, resets and pins", ... */
};

/*
 * Which of clocks, resets, power domains and pins (pinctrl-N) the enabled
 * board nodes outside @node draw from @node or a node below it: false if
 * none does.
 */
bool soc_provider_scan(const void *board, const struct platform *plat, int node,
		       struct soc_provider *out);

/*
 * A warning on stdout for each cell device whose clocks, resets, power
 * domains or pins Bulkhead's console or another cell's device draws on.
 */
void soc_providers_warn(const void *board, const struct platform *plat, const struct layout *l);

#endif
