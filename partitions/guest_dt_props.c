// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which board properties a copied device keeps (docs/guest-platform.md,
 * "Assigned devices"): those that name providers the guest does not have
 * are dropped, and single phandles to nodes that may come with the device
 * are re-pointed (guest_dt_devices.c).
 */
#include <string.h>

#include "guest_dt_internal.h"

/*
 * Properties that name providers by board phandle (IOMMU, DMA engine, reset,
 * power, pin, GPIO, regulator, PHY, reserved-memory, MSI controllers,
 * mailbox, interconnect, ADC, PWM, hardware lock, NVMEM, OPP table, access
 * controller): none of those are in the guest, so the property would
 * dangle. Dropped, so a driver finds the optional ones absent (-ENOENT)
 * rather than broken; a driver that cannot live without one does not
 * belong in a cell as it is.
 *
 * Kept as string lists ("a\0b\0", ended by an empty string), not arrays of
 * pointers: each pointer costs a relocation in the position-independent image.
 */
static const char drop_exact[] = "phandle\0"
				 "linux,phandle\0"
				 "iommus\0"
				 "iommu-map\0"
				 "iommu-map-mask\0"
				 "msi-parent\0"
				 "msi-map\0"
				 "msi-map-mask\0"
				 "dmas\0"
				 "dma-names\0"
				 "resets\0"
				 "reset-names\0"
				 "power-domains\0"
				 "power-domain-names\0"
				 "phys\0"
				 "phy-names\0"
				 "memory-region\0"
				 "memory-region-names\0"
				 "assigned-clocks\0"
				 "assigned-clock-parents\0"
				 "assigned-clock-rates\0"
				 "gpios\0"
				 "gpio-ranges\0"
				 "nvmem-cells\0"
				 "nvmem-cell-names\0"
				 "interrupt-map\0"
				 "interrupt-map-mask\0"
				 "mboxes\0"
				 "mbox-names\0"
				 "interconnects\0"
				 "interconnect-names\0"
				 "io-channels\0"
				 "io-channel-names\0"
				 "pwms\0"
				 "pwm-names\0"
				 "hwlocks\0"
				 "hwlock-names\0"
				 "nvmem\0"
				 "nvmem-names\0"
				 "operating-points-v2\0"
				 "access-controllers\0"
				 "access-controller-names\0";
static const char drop_suffix[] = "-supply\0-gpios\0-gpio\0";
static const char drop_prefix[] = "pinctrl-";
/*
 * One phandle each, to a node that may come with the device (a MAC's PHY, a
 * graph endpoint, a Synopsys MAC's AXI and queue set-up): re-pointed at the
 * copy, or dropped when they lead out.
 */
static const char subtree_refs[] = "phy-handle\0pcs-handle\0remote-endpoint\0"
				   "snps,axi-config\0snps,mtl-rx-config\0snps,mtl-tx-config\0";
/* A child's interrupts are not the cell's: the layout routes the device's own only. */
static const char drop_in_subnodes[] = "interrupts\0interrupts-extended\0interrupt-parent\0"
				       "interrupt-names\0";

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Is @name in @list, or (@suffix) does it end with one of @list's strings? */
static bool is_listed_as(const char *list, const char *name, bool suffix)
{
	for (; *list; list += strlen(list) + 1)
		if (suffix ? ends_with(name, list) : strcmp(name, list) == 0)
			return true;
	return false;
}

bool guest_dt_is_listed(const char *list, const char *name)
{
	return is_listed_as(list, name, false);
}

bool guest_dt_prop_is_dropped(const char *name, bool subnode)
{
	return is_listed_as(drop_exact, name, false) || is_listed_as(drop_suffix, name, true) ||
	       strncmp(name, drop_prefix, sizeof(drop_prefix) - 1) == 0 ||
	       (subnode && is_listed_as(drop_in_subnodes, name, false));
}

bool guest_dt_prop_is_subtree_ref(const char *name)
{
	return is_listed_as(subtree_refs, name, false);
}
