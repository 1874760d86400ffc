// SPDX-License-Identifier: GPL-2.0-only
/*
 * Property readers shared by boot/platform*.c: strings, cells, reg (with
 * #address-cells/#size-cells and ranges), interrupts. All through libfdt;
 * each reports what it finds wrong through platform_err().
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "platform_priv.h"

static void platform_verr(struct platform_ctx *ctx, const char *path, const char *prop,
			  const char *fmt, va_list ap)
{
	char why[512];

	ctx->errors++;
	if (ctx->quiet)
		return;
	vsnprintf(why, sizeof(why), fmt, ap);
	log_err("platform: %s: %s: %s", path, prop, why);
}

void platform_err_at(struct platform_ctx *ctx, const char *path, const char *prop, const char *fmt,
		     ...)
{
	va_list ap;

	va_start(ap, fmt);
	platform_verr(ctx, path, prop, fmt, ap);
	va_end(ap);
}

void platform_err(struct platform_ctx *ctx, int node, const char *prop, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	platform_verr(ctx, platform_path(ctx, node), prop, fmt, ap);
	va_end(ap);
}

int platform_path_offset(const struct platform_ctx *ctx, const char *path)
{
	return platform_index_path_offset(ctx->idx, ctx->fdt, path, (int)strlen(path));
}

const char *platform_path(struct platform_ctx *ctx, int node)
{
	const char *name;

	if (platform_index_get_path(ctx->idx, ctx->fdt, node, ctx->path, sizeof(ctx->path)) == 0)
		return ctx->path;
	/* Too deep for the buffer: the node's own name still says where. */
	name = fdt_get_name(ctx->fdt, node, NULL);
	return name ? name : "(unknown node)";
}

int platform_store_path(struct platform_ctx *ctx, int node, char *buf, int len)
{
	if (platform_index_get_path(ctx->idx, ctx->fdt, node, buf, len) == 0)
		return 0;
	platform_err(ctx, node, "path", "longer than %d bytes (PLATFORM_PATH_MAX)", len - 1);
	return -EINVAL;
}

/* DT spec 2.3.4: no status, "okay" (or the older "ok") means enabled. */
bool platform_node_enabled(const void *fdt, int node)
{
	int len;
	const char *status = fdt_stringlist_get(fdt, node, "status", 0, &len);

	if (!status)
		return len == -FDT_ERR_NOTFOUND;
	return strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0;
}

int platform_find_compatible(const struct platform_ctx *ctx, int from, const char *compat)
{
	int node = platform_index_by_compatible(ctx->idx, ctx->fdt, from, compat);

	/* Each search goes forward through the blob, so this ends. */
	while (node >= 0 && !platform_node_enabled(ctx->fdt, node))
		node = platform_index_by_compatible(ctx->idx, ctx->fdt, node, compat);
	return node;
}

int platform_get_string(struct platform_ctx *ctx, int node, const char *prop, const char **val)
{
	int n = fdt_stringlist_count(ctx->fdt, node, prop);

	if (n == -FDT_ERR_NOTFOUND)
		return -ENOENT;
	if (n != 1) {
		platform_err(ctx, node, prop, "malformed (need one NUL-terminated string)");
		return -EINVAL;
	}
	*val = fdt_stringlist_get(ctx->fdt, node, prop, 0, NULL);
	return 0;
}

int platform_get_u32(struct platform_ctx *ctx, int node, const char *prop, uint32_t *val)
{
	int len;
	const fdt32_t *cell = fdt_getprop(ctx->fdt, node, prop, &len);

	if (!cell)
		return -ENOENT;
	if (len != (int)sizeof(*cell)) {
		platform_err(ctx, node, prop, "%d bytes, need one cell (4 bytes)", len);
		return -EINVAL;
	}
	*val = fdt32_ld(cell);
	return 0;
}

int platform_bus_cells(struct platform_ctx *ctx, int bus, const char *prop, int val)
{
	if (val < 0) {
		platform_err(ctx, bus, prop, "malformed (need 1 to 2)");
		return -EINVAL;
	}
	if (val < 1 || val > 2) {
		platform_err(ctx, bus, prop, "%d is not supported (need 1 to 2)", val);
		return -EINVAL;
	}
	return 0;
}

int platform_reg_open(struct platform_ctx *ctx, int node, const char *need,
		      struct platform_reg *reg)
{
	int len, entry;
	int bus = platform_index_parent(ctx->idx, ctx->fdt, node);

	reg->addr_cells = dt_address_cells(ctx->fdt, bus);
	reg->size_cells = dt_size_cells(ctx->fdt, bus);
	if (platform_bus_cells(ctx, bus, "#address-cells", reg->addr_cells) ||
	    platform_bus_cells(ctx, bus, "#size-cells", reg->size_cells))
		return -EINVAL;
	reg->node = node;
	reg->cells = fdt_getprop(ctx->fdt, node, "reg", &len);
	if (!reg->cells) {
		platform_err(ctx, node, "reg", "missing (%s)", need);
		return -EINVAL;
	}
	entry = (reg->addr_cells + reg->size_cells) * (int)sizeof(fdt32_t);
	if (len == 0 || len % entry) {
		platform_err(
			ctx, node, "reg",
			"%d bytes is not a whole number of %d-byte entries (#address-cells = %d, "
			"#size-cells = %d in the parent)",
			len, entry, reg->addr_cells, reg->size_cells);
		return -EINVAL;
	}
	reg->count = len / entry;
	return 0;
}

uint64_t platform_read_cells(const void *cells, int n)
{
	uint64_t val = 0;

	for (int i = 0; i < n; i++)
		val = (val << 32) | fdt32_ld((const fdt32_t *)cells + i);
	return val;
}

/* One bus level: @addr, a child address of @bus, as an address of @bus's parent. */
static int platform_translate_bus(struct platform_ctx *ctx, int node, int bus, uint64_t *addr,
				  uint64_t len_reg)
{
	int i, len, entry, child_ac, child_sc, parent_ac, up;
	const fdt32_t *r = fdt_getprop(ctx->fdt, bus, "ranges", &len);

	if (!r) {
		platform_err(
			ctx, bus, "ranges",
			"missing, so the CPU cannot reach its children (need ranges, or an empty "
			"ranges for 1:1)");
		return -EINVAL;
	}
	if (len == 0)
		return 0; /* empty ranges: 1:1 */
	up = platform_index_parent(ctx->idx, ctx->fdt, bus);
	child_ac = dt_address_cells(ctx->fdt, bus);
	child_sc = dt_size_cells(ctx->fdt, bus);
	parent_ac = dt_address_cells(ctx->fdt, up);
	if (platform_bus_cells(ctx, bus, "#address-cells", child_ac) ||
	    platform_bus_cells(ctx, bus, "#size-cells", child_sc) ||
	    platform_bus_cells(ctx, up, "#address-cells", parent_ac))
		return -EINVAL;
	entry = child_ac + parent_ac + child_sc;
	if (len % (entry * (int)sizeof(fdt32_t))) {
		platform_err(ctx, bus, "ranges",
			     "%d bytes is not a whole number of %d-cell entries", len, entry);
		return -EINVAL;
	}
	for (i = 0; i < len / (entry * (int)sizeof(fdt32_t)); i++, r += entry) {
		uint64_t child = platform_read_cells(r, child_ac);
		uint64_t size = platform_read_cells(r + child_ac + parent_ac, child_sc);

		uint64_t up_addr = platform_read_cells(r + child_ac, parent_ac), off, at;

		if (*addr < child || *addr - child >= size)
			continue;
		off = *addr - child;
		at = up_addr + off;
		/* Past the window's end is not behind this bus: no CPU address reaches it. */
		if (len_reg > size - off || at < up_addr || (len_reg && len_reg - 1 > ~at)) {
			platform_err(ctx, node, "reg",
				     "0x%lx+0x%lx runs past the end of its bus's ranges entry "
				     "0x%lx+0x%lx (%s), or wraps once translated",
				     *addr, len_reg, child, size,
				     fdt_get_name(ctx->fdt, bus, NULL));
			return -EINVAL;
		}
		*addr = at;
		return 0;
	}
	platform_err(ctx, node, "reg", "0x%lx is outside every entry of its bus's ranges (%s)",
		     *addr, fdt_get_name(ctx->fdt, bus, NULL));
	return -EINVAL;
}

/* DT spec 2.3.8: map a child address through each parent bus's ranges up to the root. */
static int platform_translate(struct platform_ctx *ctx, int node, uint64_t *addr, uint64_t len_reg)
{
	int depth, bus = platform_index_parent(ctx->idx, ctx->fdt, node);

	/* The root (offset 0) is the CPU's address space. */
	for (depth = 0; bus > 0 && depth < PLATFORM_MAX_DEPTH; depth++) {
		if (platform_translate_bus(ctx, node, bus, addr, len_reg))
			return -EINVAL;
		bus = platform_index_parent(ctx->idx, ctx->fdt, bus);
	}
	if (bus > 0) {
		platform_err(ctx, node, "reg",
			     "nested more than %d buses deep (PLATFORM_MAX_DEPTH)",
			     PLATFORM_MAX_DEPTH);
		return -EINVAL;
	}
	return 0;
}

int platform_reg_get(struct platform_ctx *ctx, const struct platform_reg *reg, int index,
		     struct mem_range *range)
{
	const fdt32_t *entry = reg->cells + index * (reg->addr_cells + reg->size_cells);

	range->base = platform_read_cells(entry, reg->addr_cells);
	range->size = platform_read_cells(entry + reg->addr_cells, reg->size_cells);
	return platform_translate(ctx, reg->node, &range->base, range->size);
}

/* The node that decodes @node's interrupts (platform_index_irq_parent()), or why none does. */
static int platform_irq_parent(struct platform_ctx *ctx, int node)
{
	int at, len, parent = platform_index_irq_parent(ctx->idx, ctx->fdt, node, &at);
	const fdt32_t *ph;

	if (parent >= 0)
		return parent;
	if (parent == -ENOENT) {
		platform_err(ctx, node, "interrupt-parent",
			     "missing here and in every parent (need the GIC's phandle)");
		return -EINVAL;
	}
	ph = fdt_getprop(ctx->fdt, at, "interrupt-parent", &len);
	if (parent == -EINVAL)
		platform_err(ctx, at, "interrupt-parent", "%d bytes, need one cell (4 bytes)", len);
	else
		platform_err(ctx, at, "interrupt-parent", "<0x%x> names no node", fdt32_ld(ph));
	return -EINVAL;
}

/* GIC binding: <type number flags>, type 0 = SPI (INTID 32 + n), 1 = PPI (INTID 16 + n). */
static int platform_irq_decode(struct platform_ctx *ctx, int node, int index, const fdt32_t *entry,
			       uint32_t *intid)
{
	uint32_t type = fdt32_ld(&entry[0]), num = fdt32_ld(&entry[1]);

	if (type == 0 && num < 988) {
		*intid = 32 + num;
		return 0;
	}
	if (type == 1 && num < 16) {
		*intid = 16 + num;
		return 0;
	}
	platform_err(ctx, node, "interrupts",
		     "entry %d: <%u %u> is not an SPI <0 0..987> or a PPI <1 0..15>", index, type,
		     num);
	return -EINVAL;
}

/*
 * A nexus renumbers, another controller (a GPIO block, a combiner) has its
 * own numbers: either way the node's specifiers read as the GIC's would
 * name some other interrupt.
 */
static bool platform_irq_parent_is_gic(struct platform_ctx *ctx, int node, int parent)
{
	bool nexus = fdt_getprop(ctx->fdt, parent, "interrupt-map", NULL) != NULL;
	char other[PLATFORM_PATH_MAX];

	if (!nexus && (ctx->gic <= 0 || parent == ctx->gic ||
		       platform_index_irq_stacked_on(ctx->idx, ctx->fdt, parent) == ctx->gic))
		return true;
	snprintf(other, sizeof(other), "%s", platform_path(ctx, parent));
	platform_err(
		ctx, node, "interrupts",
		nexus ? "through the interrupt nexus %s (interrupt-map), which Bulkhead does "
			"not translate: the GIC interrupt they arrive as is unknown"
		      : "go to %s, not to the GIC: Bulkhead takes interrupts from the GIC only",
		other);
	return false;
}

int platform_get_irq(struct platform_ctx *ctx, int node, int index, uint32_t *intid)
{
	uint32_t cells;
	int len, parent;
	const fdt32_t *prop = fdt_getprop(ctx->fdt, node, "interrupts", &len);

	if (!prop)
		return -ENOENT;
	parent = platform_irq_parent(ctx, node);
	if (parent < 0)
		return -EINVAL;
	if (!platform_irq_parent_is_gic(ctx, node, parent))
		return -EINVAL;
	if (platform_get_u32(ctx, parent, "#interrupt-cells", &cells) || cells < 2 || cells > 4) {
		platform_err(ctx, parent, "#interrupt-cells",
			     "missing or unsupported (need 2 to 4 for a GIC)");
		return -EINVAL;
	}
	if (len % (int)(cells * sizeof(fdt32_t))) {
		platform_err(ctx, node, "interrupts",
			     "%d bytes is not a whole number of %u-cell entries", len, cells);
		return -EINVAL;
	}
	if (index >= len / (int)(cells * sizeof(fdt32_t)))
		return -ENOENT;
	return platform_irq_decode(ctx, node, index, prop + index * cells, intid);
}

/*
 * libfdt 1.6.1 (Debian 12's, which the hypervisor links) adds a property's
 * length to an int offset: a length near 4 GiB wraps the next tag's offset
 * back onto the property itself or before it, and fdt_check_full(), like
 * every walk, then loops forever (found by the board fuzzer). One pass over
 * the tags first, each of which must move forward; any other defect is left
 * to fdt_check_full() to name.
 */
static int fdt_tags_advance(const void *fdt)
{
	int offset = 0, next;
	uint32_t tag;

	do {
		tag = fdt_next_tag(fdt, offset, &next);
		if (next >= 0 && next <= offset)
			return -FDT_ERR_BADSTRUCTURE;
		offset = next;
	} while (tag != FDT_END && next >= 0);
	return 0;
}

int platform_fdt_used_size(const void *fdt, size_t *used)
{
	int n = fdt_num_mem_rsv(fdt);
	size_t rsv, dt, str, end;

	if (n < 0)
		return n;
	rsv = fdt_off_mem_rsvmap(fdt) + (size_t)(n + 1) * sizeof(struct fdt_reserve_entry);
	dt = fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt);
	str = fdt_off_dt_strings(fdt) + fdt_size_dt_strings(fdt);
	end = rsv > dt ? rsv : dt;
	*used = end > str ? end : str;
	return 0;
}

int platform_fdt_check_size(const void *fdt, size_t *used)
{
	struct platform_ctx ctx = { .fdt = fdt };
	size_t total = fdt_totalsize(fdt);

	if (total > PLATFORM_FDT_MAP_MAX) {
		platform_err_at(&ctx, "/", "header", PLATFORM_FDT_TOTALSIZE_TOO_BIG, total,
				PLATFORM_FDT_MAP_MAX / 1024);
		return -FDT_ERR_NOSPACE;
	}
	if (platform_fdt_used_size(fdt, used)) {
		platform_err_at(&ctx, "/", "/memreserve/", PLATFORM_MEMRESERVE_UNTERMINATED);
		return -FDT_ERR_TRUNCATED;
	}
	if (*used > PLATFORM_FDT_COPY_MAX) {
		platform_err_at(&ctx, "/", "header", PLATFORM_FDT_USED_TOO_BIG, *used,
				PLATFORM_FDT_COPY_MAX / 1024);
		return -FDT_ERR_NOSPACE;
	}
	return 0;
}

int platform_fdt_check(const void *fdt)
{
	int err = fdt_check_header(fdt);

	if (!err && fdt_version(fdt) < 17)
		err = -FDT_ERR_BADVERSION;
	if (!err)
		err = fdt_tags_advance(fdt);
	if (!err)
		err = fdt_check_full(fdt, fdt_totalsize(fdt));
	return err;
}

/*
 * fdt_check_full()'s walk of the structure block (balanced nodes, a root
 * with an empty name, every property's name in the strings block), which it
 * makes only after the /memreserve/ block has its end. The tags were
 * checked to move forward (fdt_tags_advance()): the walk ends.
 */
static int fdt_struct_check(const void *fdt)
{
	int offset, next = 0, depth = 0, len;
	const char *name;
	uint32_t tag;

	for (;;) {
		offset = next;
		tag = fdt_next_tag(fdt, offset, &next);
		if (next < 0)
			return next;
		if (tag == FDT_END)
			return depth ? -FDT_ERR_BADSTRUCTURE : 0;
		if (tag == FDT_BEGIN_NODE && depth++ == 0) {
			name = fdt_get_name(fdt, offset, &len);
			if (!name || len)
				return -FDT_ERR_BADSTRUCTURE;
		}
		if (tag == FDT_END_NODE && depth-- == 0)
			return -FDT_ERR_BADSTRUCTURE;
		if (tag == FDT_PROP && !fdt_getprop_by_offset(fdt, offset, &name, &len))
			return len;
	}
}

int platform_fdt_check_walkable(const void *fdt)
{
	int err = platform_fdt_check(fdt);

	/*
	 * fdt_check_full() says no more than this, before walking anything. The
	 * header was good (fdt_check_header() can say TRUNCATED too), so the
	 * tags were checked to advance.
	 */
	if (err == -FDT_ERR_TRUNCATED && fdt_check_header(fdt) == 0 && fdt_num_mem_rsv(fdt) < 0)
		err = fdt_struct_check(fdt);
	return err;
}
