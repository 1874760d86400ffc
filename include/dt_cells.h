/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_DT_CELLS_H
#define BULKHEAD_DT_CELLS_H

/*
 * #address-cells and #size-cells of a bus node, with the defaults of the
 * Devicetree Specification (2 and 1) when absent. Read here rather than with
 * libfdt's fdt_address_cells(): Debian's libfdt.a is linked by whole object,
 * and fdt_addresses.o brings fdt_rw.o and fdt_wip.o with it, 4.5 KiB of
 * tree writers the hypervisor never calls. Same results: the count, or a
 * negative libfdt error (-FDT_ERR_BADNCELLS for a malformed count).
 */
#include <libfdt.h>

static inline int dt_cells(const void *fdt, int node, const char *name, int absent, int min)
{
	int len;
	const fdt32_t *prop = fdt_getprop(fdt, node, name, &len);
	uint32_t n;

	if (!prop)
		return len == -FDT_ERR_NOTFOUND ? absent : len;
	if (len != (int)sizeof(*prop))
		return -FDT_ERR_BADNCELLS;
	n = fdt32_ld(prop);
	return n < (uint32_t)min || n > FDT_MAX_NCELLS ? -FDT_ERR_BADNCELLS : (int)n;
}

static inline int dt_address_cells(const void *fdt, int node)
{
	return dt_cells(fdt, node, "#address-cells", 2, 1);
}

static inline int dt_size_cells(const void *fdt, int node)
{
	return dt_cells(fdt, node, "#size-cells", 1, 0);
}

#endif
