// SPDX-License-Identifier: GPL-2.0-only
/*
 * Devices the hypervisor itself drives or filters: the console UART (from
 * /chosen/stdout-path), the SMMUv3 and the generic ECAM PCIe host.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "platform_priv.h"

#define PLATFORM_ECAM_BUS_SIZE (1ULL << 20) /* 32 devices x 8 functions x 4 KiB */

/* UARTs the console drivers (lib/uart*.c) handle, by compatible (inline: no relocation). */
static const struct {
	char compatible[22];
	unsigned char type; /* enum uart_type */
	/* A 16550's register stride (log2) and width where its node does not give them. */
	unsigned char shift, width;
} uart_kinds[] = {
	{ "arm,pl011", UART_PL011, 0, 0 },
	{ "cdns,uart-r1p12", UART_CDNS, 0, 0 },
	{ "xlnx,zynqmp-uart", UART_CDNS, 0, 0 },
	{ "cdns,uart-r1p8", UART_CDNS, 0, 0 },
	{ "fsl,imx21-uart", UART_IMX, 0, 0 },
	{ "fsl,imx6q-uart", UART_IMX, 0, 0 },
	{ "fsl,imx8mp-uart", UART_IMX, 0, 0 },
	{ "fsl,imx8mm-uart", UART_IMX, 0, 0 },
	{ "snps,dw-apb-uart", UART_16550, 0, 1 },
	{ "ns16550a", UART_16550, 0, 1 },
	{ "ns16550", UART_16550, 0, 1 },
	/* As Linux's 8250_omap, which fixes them: TI K3 nodes say neither. */
	{ "ti,am654-uart", UART_16550, 2, 4 },
	{ "nvidia,tegra20-uart", UART_16550, 2, 1 },
	{ "amlogic,meson-ao-uart", UART_MESON, 0, 0 },
	{ "amlogic,meson-gx-uart", UART_MESON, 0, 0 },
};

/* The uart_kinds[] entry @node is compatible with, or -1. */
static int platform_uart_kind(const void *fdt, int node)
{
	int i;

	for (i = 0; i < (int)(sizeof(uart_kinds) / sizeof(uart_kinds[0])); i++)
		if (fdt_node_check_compatible(fdt, node, uart_kinds[i].compatible) == 0)
			return i;
	return -1;
}

/* uart_kinds[]'s compatibles, ", "-separated, in @buf: the list said is the list matched. */
static const char *platform_uart_kinds_list(char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(uart_kinds) / sizeof(uart_kinds[0]); i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
				 uart_kinds[i].compatible);

		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

/* A 16550's reg-shift and reg-io-width (Linux's 8250 bindings), else its kind's defaults. */
static int platform_uart_16550(struct platform_ctx *ctx, int node, int kind,
			       struct platform_uart *uart)
{
	uint32_t shift = uart_kinds[kind].shift, width = uart_kinds[kind].width;

	if (platform_get_u32(ctx, node, "reg-shift", &shift) == -EINVAL ||
	    platform_get_u32(ctx, node, "reg-io-width", &width) == -EINVAL)
		return -EINVAL;
	if (shift > 3) {
		platform_err(ctx, node, "reg-shift",
			     "%u: registers more than 8 bytes apart are not supported", shift);
		return -EINVAL;
	}
	if (width != 1 && width != 4) {
		platform_err(ctx, node, "reg-io-width", "%u is not supported (need 1 or 4)", width);
		return -EINVAL;
	}
	uart->reg_shift = (uint8_t)shift;
	uart->reg_width = (uint8_t)width;
	return 0;
}

const char *platform_uart_name(enum uart_type t)
{
	/* By enum uart_type; inline names need no relocation. */
	static const char names[][19] = { "no UART",   "PL011", "Cadence UART",
					  "i.MX UART", "16550", "Amlogic meson UART" };

	return (unsigned int)t < sizeof(names) / sizeof(names[0]) ? names[t] : names[UART_NONE];
}

/* @node as the console: an enabled UART of a supported kind, with registers. */
static int platform_uart_node(struct platform_ctx *ctx, int node, const char *why,
			      struct platform_uart *uart)
{
	struct platform_reg reg;
	int kind = platform_uart_kind(ctx->fdt, node);
	const char *compat;
	/* Each compatible and its ", ": the whole list always fits. */
	static char kinds[sizeof(uart_kinds) / sizeof(uart_kinds[0]) *
			  (sizeof(uart_kinds[0].compatible) + 2)];

	if (!platform_node_enabled(ctx->fdt, node)) {
		platform_err(ctx, node, "status", "disabled, but %s names it", why);
		return -EINVAL;
	}
	if (kind < 0) {
		compat = fdt_stringlist_get(ctx->fdt, node, "compatible", 0, NULL);
		platform_err(ctx, node, "compatible",
			     "\"%.64s\" is not a supported UART (need one of: %s)",
			     compat ? compat : "", platform_uart_kinds_list(kinds, sizeof(kinds)));
		return -EINVAL;
	}
	if (uart_kinds[kind].type == UART_16550 && platform_uart_16550(ctx, node, kind, uart))
		return -EINVAL;
	if (platform_reg_open(ctx, node, "need the UART's registers", &reg) ||
	    platform_reg_get(ctx, &reg, 0, &uart->regs) ||
	    platform_store_path(ctx, node, uart->path, sizeof(uart->path)))
		return -EINVAL;
	uart->type = (enum uart_type)uart_kinds[kind].type;
	return 0;
}

int platform_discover_uart_irq(struct platform_ctx *ctx, struct platform_uart *uart)
{
	int node = platform_path_offset(ctx, uart->path);

	if (uart->type == UART_NONE || node < 0)
		return 0;
	return platform_get_irq(ctx, node, 0, &uart->irq) == -EINVAL ? -EINVAL : 0;
}

/*
 * The rate at the start of stdout-path's options, "115200n8" (Linux's
 * console= form, which the DT spec's example follows): the console's input
 * times a lone ESC by it (partitions/console_mux.c). 0 if none or absurd:
 * above 100 Mbaud, or below 50, the slowest rate in termios' table ("serial0:1"
 * would hold every Escape key 40 s); the hypervisor sets no rate, so it is
 * only what the boot loader was told.
 */
#define STDOUT_BAUD_MIN 50
#define STDOUT_BAUD_MAX 100000000

static uint32_t stdout_baud(const char *opt)
{
	uint32_t baud = 0;

	for (; *opt >= '0' && *opt <= '9'; opt++) {
		baud = baud * 10 + (uint32_t)(*opt - '0');
		if (baud > STDOUT_BAUD_MAX)
			return 0;
	}
	return baud < STDOUT_BAUD_MIN ? 0 : baud;
}

/* DT spec 3.6: stdout-path is a path or an alias, optionally followed by ":options". */
int platform_discover_uart(struct platform_ctx *ctx, struct platform_uart *uart)
{
	const char *val;
	int len, node, r, chosen = platform_path_offset(ctx, "/chosen");

	if (chosen < 0) {
		platform_err_at(ctx, "/chosen", "stdout-path",
				"missing: no /chosen node (need the console UART's path or alias)");
		return -EINVAL;
	}
	r = platform_get_string(ctx, chosen, "stdout-path", &val);
	if (r == -ENOENT)
		platform_err_at(ctx, "/chosen", "stdout-path",
				"missing (need the console UART's path or alias)");
	if (r)
		return -EINVAL;
	for (len = 0; val[len] != '\0' && val[len] != ':'; len++)
		;
	/* An alias (no leading '/') is resolved by libfdt, an absolute path by the index. */
	node = platform_index_path_offset(ctx->idx, ctx->fdt, val, len);
	if (node < 0) {
		platform_err_at(ctx, "/chosen", "stdout-path", "\"%s\" does not name a node", val);
		return -EINVAL;
	}
	if (platform_uart_node(ctx, node, "/chosen/stdout-path", uart))
		return -EINVAL;
	uart->baud = val[len] == ':' ? stdout_baud(val + len + 1) : 0;
	return 0;
}

int platform_find_fallback_uart(const void *fdt, struct platform_uart *uart)
{
	struct platform_ctx ctx = { .fdt = fdt, .quiet = true };
	int node;

	memset(uart, 0, sizeof(*uart));
	/*
	 * Called after discovery refused the blob, perhaps for a property
	 * length that wraps: the header alone is not enough, the node walk
	 * would then go on forever and the boot would hang unheard. A
	 * /memreserve/ block without its end leaves the nodes walkable.
	 */
	if (platform_fdt_check_walkable(fdt) != 0)
		return -ENOENT;
	/* The console the board names, as discovery resolved it before another item failed. */
	if (platform_discover_uart(&ctx, uart) == 0)
		return 0;
	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		memset(uart, 0, sizeof(*uart));
		if (platform_uart_kind(fdt, node) >= 0 &&
		    platform_uart_node(&ctx, node, "the fallback search", uart) == 0)
			return 0;
	}
	memset(uart, 0, sizeof(*uart));
	return -ENOENT;
}

/* The SPI named @name in interrupt-names: 0, -ENOENT if not named, -EINVAL if malformed. */
static int platform_named_spi(struct platform_ctx *ctx, int node, const char *name, uint32_t *intid)
{
	int r, index = fdt_stringlist_search(ctx->fdt, node, "interrupt-names", name);

	if (index == -FDT_ERR_NOTFOUND)
		return -ENOENT;
	if (index < 0) {
		platform_err(ctx, node, "interrupt-names",
			     "malformed (need NUL-terminated strings)");
		return -EINVAL;
	}
	r = platform_get_irq(ctx, node, index, intid);
	if (r == -ENOENT)
		platform_err(ctx, node, "interrupts", "no entry %d for interrupt-names \"%s\"",
			     index, name);
	else if (r == 0 && *intid < 32)
		platform_err(ctx, node, "interrupts",
			     "\"%s\" is INTID %u, a PPI (need an SPI <0 n>)", name, *intid);
	return r == 0 && *intid < 32 ? -EINVAL : r;
}

/* arm,smmu-v3.yaml: "eventq" and "gerror" by name, or one "combined" line for all. */
static void platform_smmu_irqs(struct platform_ctx *ctx, int node, struct platform_smmu *smmu)
{
	uint32_t intid;

	if (platform_named_spi(ctx, node, "combined", &intid) == 0) {
		smmu->eventq_irq = intid;
		smmu->gerror_irq = intid;
		return;
	}
	if (platform_named_spi(ctx, node, "eventq", &intid) == 0)
		smmu->eventq_irq = intid;
	if (platform_named_spi(ctx, node, "gerror", &intid) == 0)
		smmu->gerror_irq = intid;
}

/* Optional: the first enabled arm,smmu-v3. Absent is fine; malformed is not. */
int platform_discover_smmu(struct platform_ctx *ctx, struct platform_smmu *smmu)
{
	struct platform_reg reg;
	int before = ctx->errors;
	int node = platform_find_compatible(ctx, -1, "arm,smmu-v3");

	if (node < 0)
		return 0;
	if (platform_reg_open(ctx, node, "need the SMMU's register frame", &reg) == 0)
		platform_reg_get(ctx, &reg, 0, &smmu->regs);
	platform_smmu_irqs(ctx, node, smmu);
	smmu->phandle = fdt_get_phandle(ctx->fdt, node);
	platform_store_path(ctx, node, smmu->path, sizeof(smmu->path));
	smmu->present = ctx->errors == before;
	return smmu->present ? 0 : -EINVAL;
}

/* bus-range, or every bus the ECAM window covers (at most 0..255) when absent. */
static void platform_pcie_buses(struct platform_ctx *ctx, int node, struct platform_pcie *pcie)
{
	int len;
	uint64_t buses;
	const fdt32_t *range = fdt_getprop(ctx->fdt, node, "bus-range", &len);

	if (!range) {
		buses = pcie->ecam.size / PLATFORM_ECAM_BUS_SIZE;
		pcie->bus_first = 0;
		pcie->bus_last = buses > 256 ? 255 : (uint32_t)buses - 1;
	} else if (len != 2 * (int)sizeof(fdt32_t)) {
		platform_err(ctx, node, "bus-range", "%d bytes, need 2 cells (first and last bus)",
			     len);
		return;
	} else {
		pcie->bus_first = fdt32_ld(&range[0]);
		pcie->bus_last = fdt32_ld(&range[1]);
	}
	if (pcie->bus_first > pcie->bus_last || pcie->bus_last > 255) {
		platform_err(ctx, node, "bus-range", "buses %u..%u are not a range within 0..255",
			     pcie->bus_first, pcie->bus_last);
	} else if (pcie->ecam.size <
		   (uint64_t)(pcie->bus_last - pcie->bus_first + 1) * PLATFORM_ECAM_BUS_SIZE) {
		platform_err(
			ctx, node, "reg",
			"ECAM window of 0x%lx bytes is too small for buses %u..%u (1 MiB each)",
			pcie->ecam.size, pcie->bus_first, pcie->bus_last);
	}
}

/* @base + @len past 2^32 (@what and @field name @base in the message, @at the entry)? */
static bool iommu_map_wraps(struct platform_ctx *ctx, const char *path, const char *at,
			    const char *what, const char *field, uint32_t base, uint32_t len)
{
	if ((uint64_t)base + len <= 1ULL << 32)
		return false;
	platform_err_at(ctx, path, "iommu-map",
			"%s%s 0x%x + length 0x%x runs past 0xffffffff "
			"(need %s + length <= 0x100000000)",
			at, what, base, len, field);
	return true;
}

/*
 * Entry @i of @n (@cells: rid-base, IOMMU phandle, stream base, length) into
 * @e, or one error naming the entry. The sums are checked in 64 bits: an
 * entry whose RIDs or streams wrap past 2^32 would make the lookup match IDs
 * below its rid-base or give streams below its base.
 */
static int platform_iommu_map_entry(struct platform_ctx *ctx, int node, int n, int i,
				    const fdt32_t *cells, const uint32_t *mask,
				    struct platform_iommu_map *e)
{
	const char *path = platform_path(ctx, node);
	char at[24] = "", whose[32] = "the iommu-map's";

	/* A one-entry map's messages stay as they were before every entry was read. */
	if (n > 1) {
		snprintf(at, sizeof(at), "entry %d: ", i);
		snprintf(whose, sizeof(whose), "iommu-map entry %d's", i);
	}
	e->rid_base = fdt32_ld(&cells[0]);
	e->phandle = fdt32_ld(&cells[1]);
	e->sid_base = fdt32_ld(&cells[2]);
	e->len = fdt32_ld(&cells[3]);
	if (platform_index_by_phandle(ctx->idx, ctx->fdt, e->phandle) < 0) {
		platform_err_at(ctx, path, "iommu-map", "%sIOMMU phandle <0x%x> names no node", at,
				e->phandle);
		return -EINVAL;
	}
	if (e->len == 0) {
		platform_err_at(ctx, path, "iommu-map",
				"%slength 0 covers no RID (need at least 1)", at);
		return -EINVAL;
	}
	if (iommu_map_wraps(ctx, path, at, "rid-base", "rid-base", e->rid_base, e->len) ||
	    iommu_map_wraps(ctx, path, at, "stream base", "iommu-base", e->sid_base, e->len))
		return -EINVAL;
	if (mask && (e->rid_base & ~*mask)) {
		platform_err_at(ctx, path, "iommu-map-mask",
				"0x%x clears bits of %s rid-base 0x%x: no masked RID reaches the "
				"entry (need rid-base & ~mask = 0)",
				*mask, whose, e->rid_base);
		return -EINVAL;
	}
	return 0;
}

/* Entries whose (masked) RIDs overlap: a RID in two gets two streams, the board means one. */
static int platform_iommu_map_overlaps(struct platform_ctx *ctx, int node,
				       const struct platform_iommu_map *map, int n)
{
	int ret = 0;

	for (int i = 1; i < n; i++)
		for (int j = 0; j < i; j++) {
			uint64_t a = map[i].rid_base, a_end = a + map[i].len - 1;
			uint64_t b = map[j].rid_base, b_end = b + map[j].len - 1;

			if (a > b_end || b > a_end)
				continue;
			platform_err(ctx, node, "iommu-map",
				     "entry %d: RIDs 0x%lx-0x%lx overlap entry %d's 0x%lx-0x%lx "
				     "(need each RID in one entry)",
				     i, a, a_end, j, b, b_end);
			ret = -EINVAL;
		}
	return ret;
}

/*
 * pci-iommu.txt: entries of <rid-base iommu-phandle iommu-base length>,
 * SMMUv3 #iommu-cells = 1; a RID is looked up, after iommu-map-mask, in the
 * entry that covers it. Several entries send RID ranges to different stream
 * ranges or IOMMUs. A mask that clears bits of an entry's rid-base leaves it
 * unreachable: refused, as Linux's of_map_id() does. The map is all read or
 * not at all: a RID looked up in half a map could find no entry, or the
 * wrong one.
 */
static void platform_pcie_iommu_map(struct platform_ctx *ctx, int node, struct platform_pcie *pcie)
{
	int len, r, n, bad = 0;
	const fdt32_t *map = fdt_getprop(ctx->fdt, node, "iommu-map", &len);
	uint32_t mask;

	if (!map)
		return;
	if (len == 0 || len % (4 * (int)sizeof(fdt32_t))) {
		platform_err(ctx, node, "iommu-map",
			     "%d bytes is not a whole number of 4-cell entries "
			     "(rid-base, iommu phandle, stream base, length)",
			     len);
		return;
	}
	n = len / (4 * (int)sizeof(fdt32_t));
	if (n > PLATFORM_MAX_IOMMU_MAP) {
		platform_err(ctx, node, "iommu-map",
			     "%d entries, at most %d supported (PLATFORM_MAX_IOMMU_MAP)", n,
			     PLATFORM_MAX_IOMMU_MAP);
		return;
	}
	r = platform_get_u32(ctx, node, "iommu-map-mask", &mask);
	if (r == -EINVAL)
		return;
	for (int i = 0; i < n; i++)
		bad |= platform_iommu_map_entry(ctx, node, n, i, map + 4 * i, r == 0 ? &mask : NULL,
						&pcie->iommu_map[i]);
	if (bad || platform_iommu_map_overlaps(ctx, node, pcie->iommu_map, n))
		return;
	pcie->has_iommu_map_mask = r == 0;
	pcie->iommu_map_mask = r == 0 ? mask : ~0u;
	pcie->nr_iommu_map = n;
}

/* Optional: the first enabled pci-host-ecam-generic. */
int platform_discover_pcie(struct platform_ctx *ctx, struct platform_pcie *pcie)
{
	struct platform_reg reg;
	int before = ctx->errors;
	int node = platform_find_compatible(ctx, -1, "pci-host-ecam-generic");

	if (node < 0)
		return 0;
	if (platform_reg_open(ctx, node, "need the ECAM window", &reg) == 0 &&
	    platform_reg_get(ctx, &reg, 0, &pcie->ecam) == 0)
		platform_pcie_buses(ctx, node, pcie);
	platform_pcie_iommu_map(ctx, node, pcie);
	platform_store_path(ctx, node, pcie->path, sizeof(pcie->path));
	pcie->present = ctx->errors == before;
	return pcie->present ? 0 : -EINVAL;
}

/*
 * libfdt finds a path, and a node's parent, by walking the blob from its
 * start: 300 000 instructions per call for QEMU virt's host, after its 32
 * virtio-mmio nodes, and a PCI cell's boot asks five times.
 */
int platform_pcie_mem32_window(const struct platform_index *idx, const void *fdt,
			       const struct platform_pcie *pcie, uint64_t win[3])
{
	int node = platform_index_path_offset(idx, fdt, pcie->path, (int)strlen(pcie->path));
	int len, pa, cs, entry;
	const fdt32_t *r;

	if (node < 0)
		return -ENOENT;
	pa = dt_address_cells(fdt, platform_index_parent(idx, fdt, node));
	cs = dt_size_cells(fdt, node);
	r = fdt_getprop(fdt, node, "ranges", &len);
	if (!r || pa < 1 || pa > 2 || cs < 1 || cs > 2)
		return -EINVAL;
	entry = 3 + pa + cs;
	for (int i = 0; i < len / (4 * entry); i++) {
		const fdt32_t *e = r + i * entry;

		/* phys.hi space code 0b10: 32-bit memory space */
		if (((fdt32_ld(&e[0]) >> 24) & 3) != 2)
			continue;
		win[0] = platform_read_cells(e + 1, 2);
		win[1] = platform_read_cells(e + 3, pa);
		win[2] = platform_read_cells(e + 3 + pa, cs);
		return 0;
	}
	return -ENOENT;
}
