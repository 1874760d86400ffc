// SPDX-License-Identifier: GPL-2.0-only
/*
 * The values of a cell node's properties (docs/layout.md): label, CPUs,
 * memory regions, device paths, PCI functions and the policy strings. Board
 * references are resolved through layout_board.c.
 */
#include <string.h>

#include "layout_internal.h"

static void parse_label(struct layout_ctx *ctx, const struct layout_prop *p, struct layout_cell *c)
{
	const char *s = layout_prop_string(ctx, p);
	size_t n;

	if (!s)
		return;
	n = strlen(s);
	if (n >= LAYOUT_LABEL_MAX) {
		layout_error(ctx, p->node, p->name, "\"%s\" is longer than %d characters", s,
			     LAYOUT_LABEL_MAX - 1);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
		      ch == '-')) {
			layout_error(ctx, p->node, p->name,
				     "\"%s\": character '%c' not allowed (use a-z 0-9 _ -)", s, ch);
			return;
		}
	}
	if (strcmp(s, "bulkhead") == 0) {
		layout_error(ctx, p->node, p->name,
			     "\"bulkhead\" is the hypervisor's own console prefix: a cell so named "
			     "could pass its lines off as the hypervisor's");
		return;
	}
	for (int i = 0; i < ctx->out->nr_cells - 1; i++)
		if (strcmp(ctx->out->cells[i].label, s) == 0) {
			layout_error(ctx, p->node, p->name, "\"%s\" is already used by %s", s,
				     ctx->out->cells[i].path);
			return;
		}
	memcpy(c->label, s, n + 1);
}

static void parse_cpus(struct layout_ctx *ctx, const struct layout_prop *p, struct layout_cell *c)
{
	int n;

	if (p->len == 0) {
		layout_error(ctx, p->node, p->name, "the cell has no CPU");
		return;
	}
	n = layout_prop_entries(ctx, p, 1, LAYOUT_MAX_CPUS);
	for (int i = 0; i < n; i++) {
		uint32_t mpidr = layout_be32(p->val, i);
		int idx = -1;

		/* What dtc writes for <&label> in a /plugin/ file; with __fixups__ said there. */
		if (mpidr == 0xffffffffu) {
			layout_error(ctx, p->node, p->name,
				     "0xffffffff is not an MPIDR but what dtc writes for an "
				     "unresolved label reference (<&label>): a layout cannot "
				     "reference the board's labels; give the CPU's MPIDR (its "
				     "/cpus/cpu@N reg)");
			continue;
		}
		if (mpidr & 0xff000000u) {
			layout_error(ctx, p->node, p->name,
				     "0x%x is not an MPIDR affinity value (Aff2.Aff1.Aff0)", mpidr);
			continue;
		}
		for (int j = 0; j < c->nr_cpus; j++)
			if (c->cpus[j].mpidr == mpidr)
				idx = -2;
		if (idx == -2) {
			layout_error(ctx, p->node, p->name, "CPU 0x%x listed twice", mpidr);
			continue;
		}
		if (ctx->plat) {
			idx = layout_board_cpu(ctx, mpidr);
			if (idx < 0) {
				layout_error(ctx, p->node, p->name,
					     "CPU 0x%x is not in the board (it has %d CPUs)", mpidr,
					     ctx->plat->nr_cpus);
				continue;
			}
		}
		c->cpus[c->nr_cpus].mpidr = mpidr;
		c->cpus[c->nr_cpus++].index = idx;
	}
}

/*
 * Stage 2 could map none of such a region with 2 MiB blocks: a table per
 * 2 MiB of it, from a pool all cells share (256 tables: 512 MiB would use
 * it up), and a TLB entry per 4 KiB.
 */
static void block_mismatch(struct layout_ctx *ctx, const struct layout_prop *p, int i,
			   const struct layout_region *r)
{
	uint64_t fit = (r->ipa & ~(LAYOUT_BLOCK_SIZE - 1)) | (r->pa & (LAYOUT_BLOCK_SIZE - 1));

	layout_error(ctx, p->node, p->name,
		     "region %d: IPA 0x%lx and PA 0x%lx differ modulo 2 MiB, so stage 2 cannot map "
		     "its 0x%lx bytes with 2 MiB blocks, only page by page (a table per 2 MiB, "
		     "from a pool all cells share); give it an IPA such as 0x%lx",
		     i, r->ipa, r->pa, r->size, fit);
}

/* Names the unaligned field: a size is most often a count of KiB or MiB written for bytes. */
static void misaligned(struct layout_ctx *ctx, const struct layout_prop *p, int i,
		       const struct layout_region *r)
{
	if (r->ipa % LAYOUT_PAGE_SIZE)
		layout_error(ctx, p->node, p->name, "region %d: IPA 0x%lx is not 4 KiB aligned", i,
			     r->ipa);
	else if (r->pa % LAYOUT_PAGE_SIZE)
		layout_error(ctx, p->node, p->name, "region %d: PA 0x%lx is not 4 KiB aligned", i,
			     r->pa);
	else
		layout_error(ctx, p->node, p->name,
			     "region %d: size 0x%lx is not 4 KiB aligned: " LAYOUT_SIZE_IN_BYTES, i,
			     r->size);
}

static void parse_memory(struct layout_ctx *ctx, const struct layout_prop *p, struct layout_cell *c)
{
	int n = layout_prop_entries(ctx, p, 6, LAYOUT_MAX_MEM);

	for (int i = 0; i < n; i++) {
		struct layout_region r = { layout_be64(p->val, 6 * i),
					   layout_be64(p->val, 6 * i + 2),
					   layout_be64(p->val, 6 * i + 4) };

		if (r.size == 0) {
			layout_error(ctx, p->node, p->name, "region %d (IPA 0x%lx) has size 0", i,
				     r.ipa);
		} else if (layout_wraps(r.ipa, r.size) || layout_wraps(r.pa, r.size)) {
			layout_error(ctx, p->node, p->name,
				     "region %d wraps around the address space", i);
		} else if ((r.ipa | r.pa | r.size) % LAYOUT_PAGE_SIZE) {
			misaligned(ctx, p, i, &r);
		} else if (r.size >= LAYOUT_BLOCK_SIZE && (r.ipa ^ r.pa) % LAYOUT_BLOCK_SIZE) {
			block_mismatch(ctx, p, i, &r);
		} else {
			c->mem[c->nr_mem++] = r;
			continue;
		}
		/* Another region would pass for the boot RAM. */
		if (i == 0)
			ctx->unplaced |= 1u << (c - ctx->out->cells);
	}
}

static void add_device(struct layout_ctx *ctx, const struct layout_prop *p, struct layout_cell *c,
		       const char *path)
{
	struct layout_device *d = &c->devices[c->nr_devices];

	memset(d, 0, sizeof(*d));
	if (strlen(path) >= LAYOUT_PATH_MAX) {
		layout_error(ctx, p->node, p->name, "path \"%s\" is longer than %d characters",
			     path, LAYOUT_PATH_MAX - 1);
		return;
	}
	if (path[0] != '/') {
		layout_error(ctx, p->node, p->name, "\"%s\" is not an absolute node path", path);
		return;
	}
	if (path[1] == '\0') {
		layout_error(ctx, p->node, p->name,
			     "\"/\" is the root of the board's tree, not a device: name the "
			     "device's own node (e.g. /pl031@9010000)");
		return;
	}
	/*
	 * libfdt finds "//a" and "/a/" as "/a", but the guest's device tree
	 * names a device after its last component, and two spellings of one
	 * node would pass as two devices: one spelling only.
	 */
	if (strstr(path, "//") || (path[1] && path[strlen(path) - 1] == '/')) {
		layout_error(ctx, p->node, p->name,
			     "\"%s\" is not a canonical node path (no empty component, no "
			     "trailing '/'; write it as the board's tree names the node, e.g. "
			     "/pl031@9010000)",
			     path);
		return;
	}
	for (int i = 0; i < c->nr_devices; i++)
		if (strcmp(c->devices[i].path, path) == 0) {
			layout_error(ctx, p->node, p->name, "\"%s\" listed twice", path);
			return;
		}
	memcpy(d->path, path, strlen(path) + 1);
	if (ctx->board && layout_board_device(ctx, p->node, path, d) < 0)
		return;
	c->nr_devices++;
}

static void parse_devices(struct layout_ctx *ctx, const struct layout_prop *p,
			  struct layout_cell *c)
{
	const char *s = (const char *)p->val;
	int off = 0;

	if (!layout_prop_is_strings(p)) {
		layout_error(ctx, p->node, p->name,
			     "expected a list of strings, the board's node paths (devices = "
			     "\"/soc/serial@1000\", ...;)");
		return;
	}
	for (int i = 0; off < p->len && i < LAYOUT_MAX_WALK; i++) {
		size_t n = layout_strnlen(s + off, (size_t)(p->len - off));

		if (n == 0) {
			layout_error(ctx, p->node, p->name, "empty device path");
		} else if (c->nr_devices == LAYOUT_MAX_DEVICES) {
			layout_error(ctx, p->node, p->name, "more than %d devices",
				     LAYOUT_MAX_DEVICES);
			return;
		} else {
			add_device(ctx, p, c, s + off);
		}
		off += (int)n + 1;
	}
}

static void parse_pci(struct layout_ctx *ctx, const struct layout_prop *p, struct layout_cell *c)
{
	int n = layout_prop_entries(ctx, p, 1, LAYOUT_MAX_PCI);

	for (int i = 0; i < n; i++) {
		uint32_t bdf = layout_be32(p->val, i);
		bool dup = false;

		if (bdf > 0xffff) {
			layout_error(ctx, p->node, p->name,
				     "0x%x is not a BDF (bus << 8 | device << 3 | function)", bdf);
			continue;
		}
		for (int j = 0; j < c->nr_pci; j++)
			dup |= c->pci[j] == bdf;
		if (dup) {
			layout_error(ctx, p->node, p->name, "BDF 0x%04x listed twice", bdf);
			continue;
		}
		c->pci_intx[c->nr_pci] = ctx->plat ? layout_board_pci(ctx, p->node, bdf) : 0;
		c->pci_sid[c->nr_pci] =
			ctx->plat ? layout_board_pci_sid(ctx, p->node, bdf) : LAYOUT_NO_SID;
		c->pci[c->nr_pci++] = (uint16_t)bdf;
	}
}

static void parse_misc(struct layout_ctx *ctx, const struct layout_prop *p, int which,
		       struct layout_cell *c)
{
	uint64_t v;
	int e;

	switch (which) {
	case P_CONSOLE:
		e = layout_prop_enum(ctx, p, "none, virtual");
		if (e >= 0)
			c->console = (enum layout_console)e;
		break;
	case P_KERNEL_FORMAT:
		e = layout_prop_enum(ctx, p, "image, raw");
		if (e >= 0)
			c->kernel.format = (enum layout_kernel_format)e;
		break;
	case P_ON_FAULT:
		e = layout_prop_enum(ctx, p, "stop, restart, halt-system");
		if (e >= 0)
			c->on_fault = (enum layout_on_fault)e;
		break;
	case P_IRQ_MODE:
		e = layout_prop_enum(ctx, p, "emulated, direct");
		if (e == LAYOUT_IRQ_DIRECT && ctx->plat && ctx->plat->gic.version != 3)
			layout_error(ctx, p->node, p->name,
				     "\"direct\" needs a GICv3; this board has a GICv%d "
				     "(docs/vgic.md)",
				     ctx->plat->gic.version);
		else if (e >= 0)
			c->irq_mode = (enum layout_irq_mode)e;
		break;
	case P_WATCHDOG:
		/* Every 32-bit value is a timeout: a string of 3 characters is read as one. */
		if (p->len != 4 && layout_prop_is_one_string(p)) {
			layout_error(ctx, p->node, p->name,
				     "\"%s\" is a string: expected one 32-bit cell (milliseconds)",
				     (const char *)p->val);
			break;
		}
		if (p->len != 4) {
			layout_error(ctx, p->node, p->name,
				     "expected one 32-bit cell (milliseconds), got %d bytes",
				     p->len);
			break;
		}
		c->watchdog_ms = layout_be32(p->val, 0);
		if (c->watchdog_ms == 0)
			layout_error(ctx, p->node, p->name, "0 ms; leave the property out instead");
		break;
	case P_ENTRY_OFFSET:
		if (layout_prop_number(ctx, p, &v))
			c->kernel.entry_offset = v;
		break;
	case P_DTB_OFFSET:
		if (layout_prop_number(ctx, p, &v))
			c->dtb_offset = v;
		break;
	default:
		break;
	}
}

void layout_cell_prop(struct layout_ctx *ctx, const struct layout_prop *p, int which,
		      struct layout_cell *c)
{
	const char *s;

	switch (which) {
	case P_COMPATIBLE:
		layout_prop_compatible(ctx, p, "bulkhead,cell");
		break;
	case P_LABEL:
		parse_label(ctx, p, c);
		break;
	case P_CPUS:
		parse_cpus(ctx, p, c);
		break;
	case P_MEMORY:
		parse_memory(ctx, p, c);
		break;
	case P_DEVICES:
		parse_devices(ctx, p, c);
		break;
	case P_PCI:
		parse_pci(ctx, p, c);
		break;
	case P_KERNEL:
		layout_prop_window(ctx, p, &c->kernel.win);
		break;
	case P_INITRD:
		layout_prop_window(ctx, p, &c->initrd);
		break;
	case P_DEVICE_TREE:
		layout_prop_window(ctx, p, &c->device_tree);
		break;
	case P_BOOTARGS:
		s = layout_prop_string(ctx, p);
		if (s && strlen(s) >= LAYOUT_BOOTARGS_MAX)
			layout_error(ctx, p->node, p->name, "longer than %d characters",
				     LAYOUT_BOOTARGS_MAX - 1);
		else if (s)
			memcpy(c->bootargs, s, strlen(s) + 1);
		break;
	case P_MANAGEMENT:
	case P_UNPROTECTED_DMA:
		if (p->len != 0)
			layout_error(ctx, p->node, p->name, "a boolean: give it no value");
		*(which == P_MANAGEMENT ? &c->management : &c->unprotected_dma) = true;
		break;
	case P_REG:
	case P_PHANDLE:
		break;
	default:
		parse_misc(ctx, p, which, c);
		break;
	}
}
