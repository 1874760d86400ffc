/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_BOOT_PLATFORM_PRIV_H
#define BULKHEAD_BOOT_PLATFORM_PRIV_H

/*
 * Shared by boot/platform*.c only: the discovery context, the error report
 * and the property readers (boot/platform_fdt.c). Everything reads the blob
 * through libfdt.
 */
#include <stdbool.h>
#include <stdint.h>
#include <libfdt.h>

#include "dt_cells.h"
#include "log.h"
#include "platform.h"

struct platform_ctx {
	const void *fdt;
	const struct platform_index *idx; /* of fdt, or NULL: lookups walk the blob */
	int errors;			  /* problems reported so far */
	bool quiet;			  /* count problems without logging them */
	int gic;			  /* the GIC's node once found, else 0 (never the root) */
	char path[PLATFORM_PATH_MAX];	  /* scratch for platform_path() */
};

/*
 * Report one problem as "platform: <node path>: <property>: <why>" and count
 * it (quietly if ctx->quiet): of @node (its platform_path()), or of @path, a
 * string (a node that is missing, "/memreserve/"). Functions, not macros:
 * the prefix is in the image once, and the path is looked up in one place.
 */
void platform_err(struct platform_ctx *ctx, int node, const char *prop, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void platform_err_at(struct platform_ctx *ctx, const char *path, const char *prop, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));

/* A node's "reg", read with its parent's #address-cells / #size-cells. */
struct platform_reg {
	int node;
	const fdt32_t *cells;
	int addr_cells, size_cells;
	int count; /* whole entries */
};

/* fdt_path_offset() through the index. */
int platform_path_offset(const struct platform_ctx *ctx, const char *path);
/* Full path of @node in ctx->path (valid until the next call). */
const char *platform_path(struct platform_ctx *ctx, int node);
/* Copy @node's full path into @buf (@len bytes): 0, or -EINVAL for one too long (reported). */
int platform_store_path(struct platform_ctx *ctx, int node, char *buf, int len);
/* First enabled node compatible with @compat after @from (-1: from the start). */
int platform_find_compatible(const struct platform_ctx *ctx, int from, const char *compat);

/*
 * The single string property @prop: 0 and *@val, -ENOENT if absent (not
 * reported), -EINVAL if malformed (reported).
 */
int platform_get_string(struct platform_ctx *ctx, int node, const char *prop, const char **val);
/* A one-cell property: 0 and *@val, -ENOENT if absent, -EINVAL if malformed (reported). */
int platform_get_u32(struct platform_ctx *ctx, int node, const char *prop, uint32_t *val);

/*
 * Open @node's reg. A missing reg is reported with @need as the reason
 * ("missing (<need>)"); so are unusable cell counts and a length that is not a
 * whole number of entries. Returns 0 or -EINVAL.
 */
int platform_reg_open(struct platform_ctx *ctx, int node, const char *need,
		      struct platform_reg *reg);
/*
 * Entry @index (< reg->count) as a CPU physical address: translated through
 * every parent bus's ranges. Returns 0, or -EINVAL (reported).
 */
int platform_reg_get(struct platform_ctx *ctx, const struct platform_reg *reg, int index,
		     struct mem_range *range);
/*
 * Check a #address-cells/#size-cells value @val of @bus (as libfdt returns it,
 * negative if malformed) is 1 or 2 (an address or size in a uint64_t). Returns 0 or
 * -EINVAL (reported).
 */
int platform_bus_cells(struct platform_ctx *ctx, int bus, const char *prop, int val);

/*
 * INTID of entry @index of @node's "interrupts", decoded with the GIC binding
 * (cell 0: 0 = SPI, 1 = PPI; cell 1: number). 0 and *@intid, -ENOENT if the
 * property or the entry is absent, -EINVAL if malformed (reported).
 */
int platform_get_irq(struct platform_ctx *ctx, int node, int index, uint32_t *intid);

/*
 * One discovery step each; they report through platform_err() and return 0 or -EINVAL.
 * The GIC's is checked against the @nr_cpus CPUs /cpus has (a GICv2 targets 8).
 */
int platform_discover_gic(struct platform_ctx *ctx, struct platform_gic *gic, int nr_cpus);
int platform_discover_uart(struct platform_ctx *ctx, struct platform_uart *uart);
int platform_discover_uart_irq(struct platform_ctx *ctx, struct platform_uart *uart);
int platform_discover_smmu(struct platform_ctx *ctx, struct platform_smmu *smmu);
int platform_discover_pcie(struct platform_ctx *ctx, struct platform_pcie *pcie);

#endif
