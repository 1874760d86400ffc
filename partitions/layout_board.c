// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layout references into the board: CPUs by MPIDR, RAM banks, device nodes
 * by path (their MMIO "reg" translated to CPU addresses, their GIC SPIs) and
 * PCI functions. The board DTB is as untrusted as the layout: lengths and
 * cell counts are checked, walks up the tree are bounded by depth.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "layout_internal.h"

#define GIC_SPI	     0
#define GIC_PPI	     1
#define GIC_SPI_BASE 32
#define GIC_SPI_MAX  987

int layout_board_cpu(const struct layout_ctx *ctx, uint64_t mpidr)
{
	for (int i = 0; i < ctx->plat->nr_cpus && i < PLATFORM_MAX_CPUS; i++)
		if (ctx->plat->cpus[i].mpidr == mpidr)
			return i;
	return -1;
}

bool layout_board_in_ram(const struct layout_ctx *ctx, uint64_t base, uint64_t size)
{
	for (int i = 0; i < ctx->plat->nr_mem && i < PLATFORM_MAX_MEM; i++)
		if (layout_inside(base, size, ctx->plat->mem[i].base, ctx->plat->mem[i].size))
			return true;
	return false;
}

static bool board_overlaps_ram(const struct layout_ctx *ctx, uint64_t base, uint64_t size)
{
	for (int i = 0; i < ctx->plat->nr_mem && i < PLATFORM_MAX_MEM; i++)
		if (layout_overlaps(base, size, ctx->plat->mem[i].base, ctx->plat->mem[i].size))
			return true;
	return false;
}

/* Append "0x<hex>" to the buffer at *p, never past @end (which stays writable for the NUL). */
static void put_hex(char **p, const char *end, uint64_t v)
{
	char digits[16];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v && n < 16);
	if (*p + 2 + n > end)
		return;
	*(*p)++ = '0';
	*(*p)++ = 'x';
	while (n > 0)
		*(*p)++ = digits[--n];
}

static void put_str(char **p, const char *end, const char *s)
{
	while (*s && *p < end)
		*(*p)++ = *s++;
}

void layout_board_ram_error(struct layout_ctx *ctx, const char *node, const char *prop,
			    const char *what, uint64_t base, uint64_t size)
{
	char ram[128];
	char *p = ram;
	const char *end = ram + sizeof(ram) - 1;

	for (int i = 0; i < ctx->plat->nr_mem && i < PLATFORM_MAX_MEM; i++) {
		if (i)
			put_str(&p, end, ", ");
		put_hex(&p, end, ctx->plat->mem[i].base);
		put_str(&p, end, "-");
		put_hex(&p, end, layout_end(ctx->plat->mem[i].base, ctx->plat->mem[i].size));
	}
	*p = '\0';
	layout_error(ctx, node, prop, "%s 0x%lx+0x%lx is outside the board's RAM (%s)", what, base,
		     size, p == ram ? "none found" : ram);
}

/* The board DTB's index (boot/platform_index.c): parents, phandles and paths without a walk. */
static const struct platform_index *board_index(const struct layout_ctx *ctx)
{
	return ctx->plat ? &ctx->plat->index : NULL;
}

static uint64_t read_cells(const fdt32_t *v, int n)
{
	uint64_t x = 0;

	for (int i = 0; i < n; i++)
		x = (x << 32) | fdt32_ld(&v[i]);
	return x;
}

/* Translate a child-bus address of @bus up to a CPU address through each "ranges". */
static int translate(const struct layout_ctx *ctx, int bus, uint64_t *addr)
{
	const void *fdt = ctx->board;

	for (int depth = 0; depth < LAYOUT_MAX_DEPTH; depth++) {
		int parent = platform_index_parent(board_index(ctx), fdt, bus);
		int ca = fdt_address_cells(fdt, bus), cs = fdt_size_cells(fdt, bus);
		int pa, len, entry, n;
		const fdt32_t *r;

		if (bus == 0)
			return 0;
		if (parent < 0)
			return -EINVAL;
		pa = fdt_address_cells(fdt, parent);
		r = fdt_getprop(fdt, bus, "ranges", &len);
		if (!r || ca < 1 || ca > 2 || cs < 1 || cs > 2 || pa < 1 || pa > 2)
			return -EINVAL;
		entry = 4 * (ca + pa + cs);
		for (n = 0; len > 0 && n < len / entry; n++) {
			uint64_t child = read_cells(r + n * (ca + pa + cs), ca);
			uint64_t up = read_cells(r + n * (ca + pa + cs) + ca, pa);
			uint64_t size = read_cells(r + n * (ca + pa + cs) + ca + pa, cs);

			if (*addr >= child && *addr - child < size) {
				*addr = up + (*addr - child);
				break;
			}
		}
		if (len > 0 && n == len / entry)
			return -EINVAL;
		bus = parent;
	}
	return -EINVAL;
}

/*
 * Fill the first @max entries of @regs from @node's "reg", translated to CPU
 * addresses; returns how many entries "reg" has (possibly more than @max).
 */
static int read_reg(const struct layout_ctx *ctx, int node, struct mem_range *regs, int max)
{
	const void *fdt = ctx->board;
	int parent = platform_index_parent(board_index(ctx), fdt, node);
	int ca, cs, len, n;
	const fdt32_t *reg;

	if (parent < 0)
		return -EINVAL;
	ca = fdt_address_cells(fdt, parent);
	cs = fdt_size_cells(fdt, parent);
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return -ENOENT;
	if (ca < 1 || ca > 2 || cs < 1 || cs > 2 || len <= 0 || len % (4 * (ca + cs)))
		return -EINVAL;
	n = len / (4 * (ca + cs));
	for (int i = 0; i < n && i < max; i++) {
		regs[i].base = read_cells(reg + i * (ca + cs), ca);
		regs[i].size = read_cells(reg + i * (ca + cs) + ca, cs);
		if (regs[i].size == 0 || layout_wraps(regs[i].base, regs[i].size) ||
		    translate(ctx, parent, &regs[i].base) < 0)
			return -EINVAL;
	}
	return n;
}

static bool page_overlaps(uint64_t a, uint64_t asize, const struct mem_range *r)
{
	uint64_t mask = LAYOUT_PAGE_SIZE - 1;

	if (r->size == 0)
		return false;
	return layout_overlaps(a & ~mask, ((a & mask) + asize + mask) & ~mask, r->base & ~mask,
			       ((r->base & mask) + r->size + mask) & ~mask);
}

/* What the hypervisor keeps for itself; a device page may not touch it. */
static const char *reserved_by_hyp(const struct platform *plat, const struct mem_range *reg)
{
	const struct platform_gic *g = &plat->gic;

	if (plat->uart.type != UART_NONE && page_overlaps(reg->base, reg->size, &plat->uart.regs))
		return "the hypervisor's own UART (stdout-path)";
	if (page_overlaps(reg->base, reg->size, &g->dist) ||
	    page_overlaps(reg->base, reg->size, &g->redist) ||
	    page_overlaps(reg->base, reg->size, &g->cpuif) ||
	    page_overlaps(reg->base, reg->size, &g->hyp) ||
	    page_overlaps(reg->base, reg->size, &g->vcpu))
		return "the GIC";
	if (plat->smmu.present && page_overlaps(reg->base, reg->size, &plat->smmu.regs))
		return "the SMMU";
	if (plat->pcie.present && page_overlaps(reg->base, reg->size, &plat->pcie.ecam))
		return "the PCIe configuration space (use pci-devices)";
	return NULL;
}

static int device_regs(struct layout_ctx *ctx, const char *cell, int node, struct layout_device *d)
{
	int n = read_reg(ctx, node, d->regs, LAYOUT_MAX_DEV_REGS);

	if (n > LAYOUT_MAX_DEV_REGS)
		n = -E2BIG;
	if (n == -ENOENT) {
		layout_error(ctx, cell, "devices", "%s has no reg (nothing to map)", d->path);
		return -EINVAL;
	}
	if (n == -E2BIG) {
		layout_error(ctx, cell, "devices", "%s has more than %d MMIO regions", d->path,
			     LAYOUT_MAX_DEV_REGS);
		return -EINVAL;
	}
	if (n < 0) {
		layout_error(ctx, cell, "devices", "%s: reg cannot be read or translated", d->path);
		return -EINVAL;
	}
	d->nr_regs = n;
	for (int i = 0; i < n; i++) {
		const char *why = reserved_by_hyp(ctx->plat, &d->regs[i]);

		if (!why && board_overlaps_ram(ctx, d->regs[i].base, d->regs[i].size))
			why = "RAM (give RAM through memory)";
		if (why) {
			layout_error(ctx, cell, "devices", "%s: MMIO 0x%lx+0x%lx overlaps %s",
				     d->path, d->regs[i].base, d->regs[i].size, why);
			return -EINVAL;
		}
	}
	return 0;
}

/* The node's interrupt parent: own or inherited "interrupt-parent", by phandle. */
static int irq_parent(const struct platform_index *idx, const void *fdt, int node)
{
	for (int depth = 0; depth < LAYOUT_MAX_DEPTH * 2 && node >= 0; depth++) {
		int len;
		const fdt32_t *ph = fdt_getprop(fdt, node, "interrupt-parent", &len);

		if (ph && len == 4)
			return platform_index_by_phandle(idx, fdt, fdt32_ld(ph));
		if (ph)
			return -EINVAL;
		node = platform_index_parent(idx, fdt, node);
	}
	return -EINVAL;
}

/* @intc is the board's GIC, with 3-cell specifiers. */
bool layout_board_is_gic(const struct layout_ctx *ctx, int intc)
{
	int len;
	const fdt32_t *cells;
	struct mem_range reg[1];

	if (intc < 0 || !fdt_getprop(ctx->board, intc, "interrupt-controller", NULL))
		return false;
	cells = fdt_getprop(ctx->board, intc, "#interrupt-cells", &len);
	if (!cells || len != 4 || fdt32_ld(cells) != 3)
		return false;
	if (read_reg(ctx, intc, reg, 1) < 1)
		return false;
	return reg[0].base == ctx->plat->gic.dist.base;
}

/* The interrupt parent is the board's GIC, with 3-cell specifiers. */
static bool parent_is_gic(const struct layout_ctx *ctx, int node)
{
	return layout_board_is_gic(ctx, irq_parent(board_index(ctx), ctx->board, node));
}

static int add_spi(struct layout_ctx *ctx, const char *cell, struct layout_device *d, uint32_t type,
		   uint32_t num)
{
	if (type == GIC_PPI) {
		layout_error(ctx, cell, "devices",
			     "%s uses PPI %u, a per-CPU interrupt that cannot be given to a cell",
			     d->path, num);
		return -EINVAL;
	}
	if (type != GIC_SPI || num > GIC_SPI_MAX) {
		layout_error(ctx, cell, "devices", "%s: interrupt <%u %u> is not a GIC SPI",
			     d->path, type, num);
		return -EINVAL;
	}
	if (d->nr_irqs == LAYOUT_MAX_DEV_IRQS) {
		layout_error(ctx, cell, "devices", "%s has more than %d interrupts", d->path,
			     LAYOUT_MAX_DEV_IRQS);
		return -EINVAL;
	}
	d->irqs[d->nr_irqs++] = GIC_SPI_BASE + num;
	return 0;
}

static int device_irqs(struct layout_ctx *ctx, const char *cell, int node, struct layout_device *d)
{
	int len;
	const fdt32_t *irqs = fdt_getprop(ctx->board, node, "interrupts", &len);

	if (fdt_getprop(ctx->board, node, "interrupts-extended", NULL)) {
		layout_error(ctx, cell, "devices", "%s: interrupts-extended is not supported",
			     d->path);
		return -EINVAL;
	}
	if (!irqs)
		return 0;
	if (len <= 0 || len % 12 || !parent_is_gic(ctx, node)) {
		layout_error(ctx, cell, "devices",
			     "%s: interrupts are not 3-cell specifiers of the board's GIC",
			     d->path);
		return -EINVAL;
	}
	for (int i = 0; i < len / 12; i++)
		if (add_spi(ctx, cell, d, fdt32_ld(&irqs[3 * i]), fdt32_ld(&irqs[3 * i + 1])) < 0)
			return -EINVAL;
	return 0;
}

/*
 * iommus = <&smmu SID ...> (arm,smmu-v3: #iommu-cells = 1): the device masters
 * DMA through the SMMU with those stream IDs; they are given to the cell too.
 * An `iommus` naming another IOMMU (an SMMUv2 Bulkhead does not drive) marks
 * DMA that cannot be contained: layout_board_dma() then wants unprotected-dma.
 */
static int device_sids(struct layout_ctx *ctx, const char *cell, int node, struct layout_device *d)
{
	int len;
	const fdt32_t *v = fdt_getprop(ctx->board, node, "iommus", &len);

	if (!v)
		return 0;
	if (len <= 0 || len % 8) {
		layout_error(ctx, cell, "devices",
			     "%s: iommus is not a list of <phandle stream-id>", d->path);
		return -EINVAL;
	}
	d->dma = true;
	for (int i = 0; i < len / 8; i++) {
		if (!ctx->plat->smmu.present || fdt32_ld(&v[2 * i]) != ctx->plat->smmu.phandle) {
			d->nr_sids = 0; /* not all of its streams can be contained */
			return 0;
		}
		if (d->nr_sids == LAYOUT_MAX_DEV_SIDS) {
			layout_error(ctx, cell, "devices", "%s has more than %d stream IDs",
				     d->path, LAYOUT_MAX_DEV_SIDS);
			return -EINVAL;
		}
		d->sids[d->nr_sids++] = fdt32_ld(&v[2 * i + 1]);
	}
	return 0;
}

int layout_board_device(struct layout_ctx *ctx, const char *cell_path, const char *dev_path,
			struct layout_device *dev)
{
	int node = platform_index_path_offset(board_index(ctx), ctx->board, dev_path,
					      (int)strlen(dev_path));

	if (node < 0) {
		layout_error(ctx, cell_path, "devices", "%s is not in the board's device tree",
			     dev_path);
		return -ENOENT;
	}
	if (device_regs(ctx, cell_path, node, dev) < 0 ||
	    device_sids(ctx, cell_path, node, dev) < 0)
		return -EINVAL;
	return device_irqs(ctx, cell_path, node, dev);
}

int layout_board_cells(const void *fdt, int intc, const char *name)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, intc, name, &len);

	if (!v)
		return 0;
	return len == 4 && fdt32_ld(v) <= 4 ? (int)fdt32_ld(v) : -1;
}

int layout_board_intmap_next(const void *fdt, const fdt32_t *map, int len, int nchild, int *pos,
			     struct layout_intmap_entry *e)
{
	int i = *pos;
	uint32_t phandle;

	if (i >= len)
		return 0;
	if (len - i < nchild + 1)
		return -1;
	e->child = &map[i];
	phandle = fdt32_ld(&map[i + nchild]);
	/* Entries name the same parent again and again: a phandle lookup walks the whole tree. */
	if (!phandle || phandle != e->phandle) {
		e->parent = fdt_node_offset_by_phandle(fdt, phandle);
		if (e->parent < 0)
			return -1;
		e->phandle = phandle;
		e->naddr = layout_board_cells(fdt, e->parent, "#address-cells");
		e->nspec = layout_board_cells(fdt, e->parent, "#interrupt-cells");
	}
	if (e->naddr < 0 || e->nspec < 1 || len - i < nchild + 1 + e->naddr + e->nspec)
		return -1;
	e->spec = &map[i + nchild + 1 + e->naddr];
	*pos = i + nchild + 1 + e->naddr + e->nspec;
	return 1;
}

/*
 * The INTID of @bdf's INTA# through the host's interrupt-map (the PCI binding:
 * <phys.hi phys.mid phys.lo pin> masked by interrupt-map-mask, then the
 * parent's phandle, unit address and specifier). 0 when the host has no
 * interrupt-map or no entry matches; -EINVAL after a layout error.
 */
static int64_t pci_inta(struct layout_ctx *ctx, const char *cell_path, uint32_t bdf)
{
	const void *fdt = ctx->board;
	const char *path = ctx->plat->pcie.path;
	int node = platform_index_path_offset(board_index(ctx), fdt, path, (int)strlen(path));
	int len, mlen, i = 0, ret;
	const fdt32_t *map, *mask;
	struct layout_intmap_entry e = { 0 };
	uint32_t key[4] = { bdf << 8, 0, 0, 1 }, m[4];

	if (node < 0)
		return 0;
	map = fdt_getprop(fdt, node, "interrupt-map", &len);
	mask = fdt_getprop(fdt, node, "interrupt-map-mask", &mlen);
	if (!map)
		return 0;
	if (layout_board_cells(fdt, node, "#address-cells") != 3 ||
	    layout_board_cells(fdt, node, "#interrupt-cells") != 1 || (mask && mlen != 16) ||
	    len % 4)
		goto bad;
	for (int k = 0; k < 4; k++)
		m[k] = mask ? fdt32_ld(&mask[k]) : 0xffffffffu;
	while ((ret = layout_board_intmap_next(fdt, map, len / 4, 4, &i, &e)) > 0) {
		bool hit = true;

		for (int k = 0; k < 4; k++)
			hit &= (fdt32_ld(&e.child[k]) & m[k]) == (key[k] & m[k]);
		if (hit) {
			const fdt32_t *spec = e.spec;

			if (!layout_board_is_gic(ctx, e.parent) || fdt32_ld(&spec[0]) != GIC_SPI ||
			    fdt32_ld(&spec[1]) > GIC_SPI_MAX) {
				layout_error(
					ctx, cell_path, "pci-devices",
					"BDF 0x%04x: its INTx line is not a GIC SPI of the board's "
					"GIC (%s interrupt-map)",
					bdf, ctx->plat->pcie.path);
				return -EINVAL;
			}
			return GIC_SPI_BASE + fdt32_ld(&spec[1]);
		}
	}
	if (ret == 0)
		return 0;
bad:
	layout_error(ctx, cell_path, "pci-devices", "BDF 0x%04x: %s: interrupt-map cannot be read",
		     bdf, ctx->plat->pcie.path);
	return -EINVAL;
}

uint32_t layout_board_pci(struct layout_ctx *ctx, const char *cell_path, uint32_t bdf)
{
	const struct platform_pcie *pcie = &ctx->plat->pcie;
	int64_t intid;

	if (!pcie->present) {
		layout_error(ctx, cell_path, "pci-devices",
			     "BDF 0x%04x: the board has no PCIe host", bdf);
		return 0;
	}
	if (LAYOUT_BDF_BUS(bdf) < pcie->bus_first || LAYOUT_BDF_BUS(bdf) > pcie->bus_last) {
		layout_error(ctx, cell_path, "pci-devices",
			     "BDF 0x%04x: bus %u is outside the host's bus range %u-%u", bdf,
			     LAYOUT_BDF_BUS(bdf), pcie->bus_first, pcie->bus_last);
		return 0;
	}
	intid = pci_inta(ctx, cell_path, bdf);
	return intid > 0 ? (uint32_t)intid : 0;
}

void layout_board_dma(struct layout_ctx *ctx, const struct layout_cell *c)
{
	if (c->unprotected_dma)
		return;
	if (c->nr_pci && !ctx->plat->smmu.present)
		layout_error(ctx, c->path, "pci-devices",
			     "BDF 0x%04x: pass-through needs an SMMU to contain DMA; the board has "
			     "none (add unprotected-dma; to the cell to accept DMA anywhere in "
			     "memory)",
			     c->pci[0]);
	for (int i = 0; i < c->nr_devices; i++)
		if (c->devices[i].dma && c->devices[i].nr_sids == 0)
			layout_error(
				ctx, c->path, "devices",
				"%s masters DMA through an IOMMU that is not the board's SMMUv3: "
				"it cannot be contained (add unprotected-dma; to the cell to "
				"accept DMA anywhere in memory)",
				c->devices[i].path);
}
