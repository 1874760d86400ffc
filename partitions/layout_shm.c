// SPDX-License-Identifier: GPL-2.0-only
/*
 * shared-memory@N nodes of the layout (docs/layout.md): physical RAM that no
 * cell owns, mapped into the cells its `cells` property lists, read-write or
 * read-only each, at one IPA for all of them, optionally with doorbells.
 * Parsing reads the node into struct layout_shm; the rules that need every
 * cell (labels, overlaps) run in layout_shm_validate() once all nodes are
 * read, which also gives each member cell its view (layout_cell.shm[]).
 */
#include <string.h>

#include "layout_internal.h"

#define SHM_KNOWN "compatible, memory, cells, access, ipa, doorbell, reg"

/* A string list into @out (pointers into the property); the count, or -1 after an error. */
static int string_list(struct layout_ctx *ctx, const struct layout_prop *p, const char **out,
		       int max)
{
	const char *s = (const char *)p->val;
	int n = 0, off = 0;

	if (p->len <= 0 || s[p->len - 1] != '\0') {
		layout_error(ctx, p->node, p->name, "expected a list of non-empty strings");
		return -1;
	}
	while (off < p->len) {
		size_t len = layout_strnlen(s + off, (size_t)(p->len - off));

		if (len == 0) {
			layout_error(ctx, p->node, p->name, "entry %d is an empty string", n);
			return -1;
		}
		if (n == max) {
			layout_error(ctx, p->node, p->name, "more than %d entries", max);
			return -1;
		}
		out[n++] = s + off;
		off += (int)len + 1;
	}
	return n;
}

static void shm_cells(struct layout_ctx *ctx, const struct layout_prop *p, struct layout_shm *r)
{
	const char *names[LAYOUT_MAX_CELLS];
	int n = string_list(ctx, p, names, LAYOUT_MAX_CELLS);

	if (n < 0)
		return;
	if (n < 2) {
		layout_error(ctx, p->node, p->name,
			     "one cell only: a shared region needs at least two");
		return;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]);

		/* Never cut to fit: the first 15 characters could be another cell's label. */
		if (len >= LAYOUT_LABEL_MAX) {
			layout_error(ctx, p->node, p->name,
				     "entry %d \"%s\" is longer than %d characters, so no cell is "
				     "labelled so",
				     i, names[i], LAYOUT_LABEL_MAX - 1);
			return;
		}
		memcpy(r->labels[i], names[i], len);
		r->labels[i][len] = '\0';
		r->writable[i] = true;
		r->cells[i] = -1;
	}
	r->nr_cells = n;
}

static int shm_access(struct layout_ctx *ctx, const struct layout_prop *p, bool *writable)
{
	const char *names[LAYOUT_MAX_CELLS];
	int n = string_list(ctx, p, names, LAYOUT_MAX_CELLS);

	for (int i = 0; i < n; i++) {
		/* "ro" first: a typo as near to both ("r", "r0") is told the narrower. */
		int word = layout_prop_word(ctx, p, i, names[i], "ro, rw");

		if (word < 0)
			return -1;
		writable[i] = word == 1;
	}
	return n;
}

static void shm_memory(struct layout_ctx *ctx, const struct layout_prop *p, struct layout_shm *r)
{
	uint64_t pa, size;

	if (!layout_prop_range(ctx, p, "region", &pa, &size))
		return;
	if (pa % LAYOUT_PAGE_SIZE) {
		layout_error(ctx, p->node, p->name, "region 0x%lx+0x%lx is not 4 KiB aligned", pa,
			     size);
		return;
	}
	if (size % LAYOUT_PAGE_SIZE) {
		layout_error(ctx, p->node, p->name,
			     "size 0x%lx is not 4 KiB aligned: " LAYOUT_SIZE_IN_BYTES, size);
		return;
	}
	r->pa = pa;
	r->size = size;
}

/* Walk the node's properties; what is missing or invalid is reported. */
static void walk_shm_props(struct layout_ctx *ctx, int node, struct layout_shm *r)
{
	bool writable[LAYOUT_MAX_CELLS];
	bool have_ipa = false, have_cells = false, ipa_refused = false;
	struct layout_prop p = { .node = r->path };
	int off = -1, n = 0, nr_access = -1;
	uint64_t ipa = 0;

	while (layout_prop_next(ctx, node, &off, &n, &p)) {
		if (strcmp(p.name, "memory") == 0) {
			shm_memory(ctx, &p, r);
		} else if (strcmp(p.name, "cells") == 0) {
			have_cells = true;
			shm_cells(ctx, &p, r);
		} else if (strcmp(p.name, "access") == 0) {
			nr_access = shm_access(ctx, &p, writable);
		} else if (strcmp(p.name, "ipa") == 0) {
			have_ipa = layout_prop_number(ctx, &p, &ipa);
			if (have_ipa && ipa % LAYOUT_PAGE_SIZE) {
				layout_error(ctx, p.node, p.name, "0x%lx is not 4 KiB aligned",
					     ipa);
				have_ipa = false;
			}
			ipa_refused = !have_ipa;
		} else if (strcmp(p.name, "doorbell") == 0) {
			if (p.len != 0)
				layout_error(ctx, p.node, p.name,
					     "a boolean: write `doorbell;` without a value");
			r->doorbell = true;
		} else if (strcmp(p.name, "compatible") == 0) {
			layout_prop_compatible(ctx, &p, "bulkhead,shm");
		} else if (strcmp(p.name, "reg") && strcmp(p.name, "phandle")) {
			layout_prop_unknown(ctx, r->path, p.name, SHM_KNOWN);
		}
	}
	if (fdt_getprop(ctx->fdt, node, "memory", NULL) == NULL)
		layout_error(ctx, r->path, "memory",
			     "missing (the shared RAM: <pa-hi pa-lo size-hi size-lo>)");
	if (!have_cells)
		layout_error(ctx, r->path, "cells",
			     "missing (the labels of the member cells: \"a\", \"b\")");
	if (nr_access >= 0 && r->nr_cells > 0) {
		if (nr_access != r->nr_cells)
			layout_error(ctx, r->path, "access",
				     "%d %s for %d cells: one \"rw\" or \"ro\" per entry of "
				     "cells, in its order",
				     nr_access, nr_access == 1 ? "entry" : "entries", r->nr_cells);
		else
			memcpy(r->writable, writable, sizeof(bool) * (size_t)nr_access);
	}
	r->ipa = have_ipa ? ipa : r->pa;
	r->ipa_given = have_ipa;
	r->ipa_refused = ipa_refused;
}

void layout_shm_parse(struct layout_ctx *ctx, int node, const char *name)
{
	struct layout *out = ctx->out;
	struct layout_shm *r;

	if (out->nr_shm == LAYOUT_MAX_SHM) {
		layout_error(ctx, "/bulkhead", name, "more than %d shared-memory regions",
			     LAYOUT_MAX_SHM);
		return;
	}
	r = &out->shm[out->nr_shm++];
	memset(r, 0, sizeof(*r));
	if (fdt_get_path(ctx->fdt, node, r->path, sizeof(r->path)) < 0)
		memcpy(r->path, "/bulkhead/shared-memory@?", sizeof("/bulkhead/shared-memory@?"));
	layout_report_subnodes(ctx, node, r->path, "shared-memory node");
	walk_shm_props(ctx, node, r);
}

/* --- rules between regions and cells ---------------------------------------- */

/* The label cell @c was written with, if one was refused (it then has none), else NULL. */
static const char *refused_label(const struct layout_ctx *ctx, const struct layout_cell *c)
{
	int node, len;
	const char *s;

	if (c->label[0])
		return NULL;
	node = fdt_path_offset(ctx->fdt, c->path);
	s = node >= 0 ? fdt_getprop(ctx->fdt, node, "label", &len) : NULL;
	if (!s || len <= 0 || s[len - 1] != '\0')
		return NULL;
	return s;
}

static char lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static bool same_but_case(const char *a, const char *b)
{
	for (; *a && lower(*a) == lower(*b); a++, b++)
		;
	return lower(*a) == lower(*b);
}

/*
 * No cell is labelled @name. Not said again when a cell's refused label is
 * @name but for case ("Alpha", refused for its 'A'): that error is the one
 * to fix, and a refused value is reported once. Else a refused label is
 * named, as @name may be meant for its cell.
 */
static void report_unknown_label(struct layout_ctx *ctx, const struct layout_shm *r,
				 const char *name)
{
	const struct layout *l = ctx->out;
	const struct layout_cell *refused = NULL;
	const char *label;

	for (int c = 0; c < l->nr_cells; c++) {
		label = refused_label(ctx, &l->cells[c]);
		if (label && same_but_case(label, name))
			return;
		if (label && !refused)
			refused = &l->cells[c];
	}
	if (!refused) {
		layout_error(ctx, r->path, "cells", "no cell is labelled \"%s\"", name);
		return;
	}
	layout_error(ctx, r->path, "cells",
		     "no cell is labelled \"%s\" (%s's label \"%s\" was refused above)", name,
		     strrchr(refused->path, '/') + 1, refused_label(ctx, refused));
}

static void resolve_cells(struct layout_ctx *ctx, struct layout_shm *r)
{
	const struct layout *l = ctx->out;

	for (int i = 0; i < r->nr_cells; i++) {
		r->cells[i] = -1;
		for (int c = 0; c < l->nr_cells; c++)
			if (strcmp(r->labels[i], l->cells[c].label) == 0)
				r->cells[i] = c;
		if (r->cells[i] < 0) {
			report_unknown_label(ctx, r, r->labels[i]);
			continue;
		}
		for (int j = 0; j < i; j++)
			if (r->cells[j] == r->cells[i])
				layout_error(ctx, r->path, "cells", "cell \"%s\" is listed twice",
					     r->labels[i]);
	}
}

static void check_window_hit(struct layout_ctx *ctx, const struct layout_shm *r,
			     const struct layout_cell *c, const char *prop,
			     const struct layout_window *w)
{
	if (ranges_overlap(r->pa, r->size, w->addr, w->size))
		layout_error(ctx, r->path, "memory",
			     "region, PA 0x%lx+0x%lx, overlaps the %s window of cell \"%s\" "
			     "(windows hold pristine copies): move one",
			     r->pa, r->size, prop, layout_cell_name(c));
}

/* The physical region: RAM nobody else has. */
static void check_pa(struct layout_ctx *ctx, const struct layout_shm *r, int index)
{
	const struct layout *l = ctx->out;

	layout_board_ram(ctx, r->path, "memory", "region", r->pa, r->size);
	if (ranges_overlap(r->pa, r->size, l->hyp_mem.base, l->hyp_mem.size))
		layout_error(ctx, r->path, "memory",
			     "region, PA 0x%lx+0x%lx, overlaps hypervisor-memory 0x%lx+0x%lx: "
			     "give the shared region RAM outside the hypervisor's",
			     r->pa, r->size, l->hyp_mem.base, l->hyp_mem.size);
	for (int c = 0; c < l->nr_cells; c++) {
		const struct layout_cell *cell = &l->cells[c];

		for (int m = 0; m < cell->nr_mem; m++)
			if (ranges_overlap(r->pa, r->size, cell->mem[m].pa, cell->mem[m].size))
				layout_error(
					ctx, r->path, "memory",
					"region, PA 0x%lx+0x%lx, overlaps cell \"%s\"'s memory "
					"at PA 0x%lx+0x%lx: a cell's memory is its own; give "
					"the shared region RAM no cell has (each member maps "
					"it at the region's ipa)",
					r->pa, r->size, layout_cell_name(cell), cell->mem[m].pa,
					cell->mem[m].size);
		check_window_hit(ctx, r, cell, "kernel", &cell->kernel.win);
		check_window_hit(ctx, r, cell, "initrd", &cell->initrd);
		check_window_hit(ctx, r, cell, "device-tree", &cell->device_tree);
	}
	for (int j = 0; j < index; j++)
		if (ranges_overlap(r->pa, r->size, l->shm[j].pa, l->shm[j].size))
			layout_error(ctx, r->path, "memory",
				     "region, PA 0x%lx+0x%lx, overlaps %s at PA 0x%lx+0x%lx: move "
				     "one (one region can list every cell that shares it)",
				     r->pa, r->size, l->shm[j].path, l->shm[j].pa, l->shm[j].size);
}

static bool is_member(const struct layout_shm *r, int cell)
{
	for (int i = 0; i < r->nr_cells; i++)
		if (r->cells[i] == cell)
			return true;
	return false;
}

/* The IPA: free in each member's guest-physical map. */
static void check_ipa(struct layout_ctx *ctx, const struct layout_shm *r, int index)
{
	const struct layout *l = ctx->out;
	/* An error about an ipa the user never wrote would send them looking for it. */
	const char *note = r->ipa_given ? ""
					: " (no ipa given: it defaults to the PA; give the region "
					  "an ipa that is free in every member cell)";

	if (layout_wraps(r->ipa, r->size)) {
		layout_error(ctx, r->path, "ipa", "0x%lx+0x%lx wraps%s", r->ipa, r->size, note);
		return;
	}
	/* As for a cell's memory: every member maps it in its stage 2. */
	layout_check_ipa_limit(ctx, r->path, "ipa", r->ipa, r->size, note);
	if (ranges_overlap(r->ipa, r->size, LAYOUT_GUEST_MMIO_BASE,
			   LAYOUT_GUEST_MMIO_END - LAYOUT_GUEST_MMIO_BASE))
		layout_error(ctx, r->path, "ipa",
			     "0x%lx+0x%lx overlaps the guest's GIC and console area "
			     "(0x%llx-0x%llx)%s",
			     r->ipa, r->size, LAYOUT_GUEST_MMIO_BASE, LAYOUT_GUEST_MMIO_END - 1,
			     note);
	for (int i = 0; i < r->nr_cells; i++) {
		const struct layout_cell *c;

		if (r->cells[i] < 0)
			continue;
		c = &l->cells[r->cells[i]];
		/* Uncontained DMA takes IPAs for PAs, as in the cell's memory (layout_validate.c).
		 */
		if (c->unprotected_dma && r->ipa != r->pa)
			layout_error(
				ctx, r->path, "ipa",
				"IPA 0x%lx -> PA 0x%lx is not identity-mapped, but the DMA of "
				"member cell \"%s\" is not contained (unprotected-dma): its "
				"devices would DMA to the IPA the guest gives them as a physical "
				"address, not into the region (leave ipa out: it defaults to the "
				"PA)",
				r->ipa, r->pa, layout_cell_name(c));
		layout_board_pci_ipa(ctx, c, r->path, "ipa", r->ipa, r->size, note);
		for (int m = 0; m < c->nr_mem; m++)
			if (ranges_overlap(r->ipa, r->size, c->mem[m].ipa, c->mem[m].size))
				layout_error(ctx, r->path, "ipa",
					     "0x%lx+0x%lx overlaps the memory of cell \"%s\" at "
					     "IPA 0x%lx+0x%lx%s",
					     r->ipa, r->size, layout_cell_name(c), c->mem[m].ipa,
					     c->mem[m].size, note);
		for (int d = 0; d < c->nr_devices; d++)
			for (int k = 0; k < c->devices[d].nr_regs; k++)
				if (layout_page_overlap(r->ipa, r->size, c->devices[d].regs[k].base,
							c->devices[d].regs[k].size))
					layout_error(ctx, r->path, "ipa",
						     "0x%lx+0x%lx overlaps device %s of cell "
						     "\"%s\" (mapped 1:1 at 0x%lx)%s",
						     r->ipa, r->size, c->devices[d].path,
						     layout_cell_name(c),
						     c->devices[d].regs[k].base, note);
		for (int j = 0; j < index; j++)
			if (is_member(&l->shm[j], r->cells[i]) &&
			    ranges_overlap(r->ipa, r->size, l->shm[j].ipa, l->shm[j].size))
				layout_error(ctx, r->path, "ipa",
					     "0x%lx+0x%lx overlaps %s, which cell \"%s\" also "
					     "sees at 0x%lx+0x%lx%s",
					     r->ipa, r->size, l->shm[j].path, layout_cell_name(c),
					     l->shm[j].ipa, l->shm[j].size, note);
	}
}

static bool is_doorbell_intid(uint32_t intid)
{
	return intid >= LAYOUT_SHM_DOORBELL_INTID &&
	       intid < LAYOUT_SHM_DOORBELL_INTID + LAYOUT_MAX_SHM;
}

/*
 * No board wires a device to the doorbell INTIDs; if one did, the cell
 * could not have both. Said of the device, or of the PCI function whose
 * INTx line it is.
 */
static void check_doorbell_intids(struct layout_ctx *ctx)
{
	const struct layout *l = ctx->out;
	const unsigned int last = LAYOUT_SHM_DOORBELL_INTID + LAYOUT_MAX_SHM - 1;

	for (int c = 0; c < l->nr_cells; c++) {
		const struct layout_cell *cell = &l->cells[c];

		for (int d = 0; d < cell->nr_devices; d++)
			for (int k = 0; k < cell->devices[d].nr_irqs; k++)
				if (is_doorbell_intid(cell->devices[d].irqs[k]))
					layout_error(ctx, cell->path, "devices",
						     "%s: interrupt INTID %u is reserved for "
						     "shared-memory doorbells (INTIDs %u-%u)",
						     cell->devices[d].path,
						     cell->devices[d].irqs[k],
						     LAYOUT_SHM_DOORBELL_INTID, last);
		for (int i = 0; i < cell->nr_pci; i++)
			if (is_doorbell_intid(cell->pci_intx[i]))
				layout_error(ctx, cell->path, "pci-devices",
					     "BDF 0x%04x: its INTx line (INTID %u) is reserved for "
					     "shared-memory doorbells (INTIDs %u-%u)",
					     cell->pci[i], cell->pci_intx[i],
					     LAYOUT_SHM_DOORBELL_INTID, last);
	}
}

/* Each member's own view of the region (what stage 2, the guest DT and the hypercall use). */
static void give_views(struct layout *l, int index)
{
	const struct layout_shm *r = &l->shm[index];

	for (int i = 0; i < r->nr_cells; i++) {
		struct layout_cell *c;
		struct layout_cell_shm *v;

		if (r->cells[i] < 0)
			continue;
		c = &l->cells[r->cells[i]];
		if (c->nr_shm >= LAYOUT_MAX_SHM)
			continue;
		v = &c->shm[c->nr_shm++];
		memset(v, 0, sizeof(*v));
		v->region = index;
		v->member = i;
		v->writable = r->writable[i];
		v->doorbell = r->doorbell;
		v->ipa = r->ipa;
		v->pa = r->pa;
		v->size = r->size;
		v->nr_members = r->nr_cells;
		memcpy(v->members, r->labels, sizeof(v->members));
		memcpy(v->member_cells, r->cells, sizeof(v->member_cells));
	}
}

void layout_shm_validate(struct layout_ctx *ctx)
{
	struct layout *l = ctx->out;

	check_doorbell_intids(ctx);
	for (int i = 0; i < l->nr_shm; i++) {
		struct layout_shm *r = &l->shm[i];

		resolve_cells(ctx, r);
		if (r->size == 0)
			continue; /* memory missing or invalid: already reported */
		check_pa(ctx, r, i);
		/*
		 * An ipa refused is told: the PA it would default to is none the
		 * user wrote, and its rules would say "no ipa given" of it.
		 */
		if (!r->ipa_refused)
			check_ipa(ctx, r, i);
		give_views(l, i);
	}
}
