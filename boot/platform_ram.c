// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which RAM the hypervisor may map: the board's /memory ranges less its
 * no-map reserved memory, in whole pages. Pure arithmetic on struct
 * platform, so the host tests run it (tests/unit/test_platform_ram.c).
 *
 * Ranges are handled as first and last address, both inclusive: a range
 * may end at the top of the address space, where an exclusive end wraps.
 */
#include <errno.h>
#include <stdio.h>

#include "platform.h"

struct span {
	uint64_t first, last;
};

/* @r in whole pages of @granule, shrunk to them; false if no whole page is left. */
static bool span_inner(struct mem_range r, uint64_t granule, struct span *s)
{
	uint64_t mask = granule - 1, last = r.base + (r.size - 1);

	s->first = (r.base + mask) & ~mask;
	if (s->first < r.base)
		return false; /* rounding up wrapped: no page starts in @r */
	if (((last + 1) & mask) == 0) {
		s->last = last; /* ends on a page boundary (or at the top of the space) */
	} else {
		uint64_t end = (last + 1) & ~mask;

		if (end == 0)
			return false;
		s->last = end - 1;
	}
	return s->first <= s->last;
}

/* @r grown to the pages of @granule it touches. */
static struct span span_outer(struct mem_range r, uint64_t granule)
{
	uint64_t mask = granule - 1;

	return (struct span){ r.base & ~mask, (r.base + (r.size - 1)) | mask };
}

static bool is_hole(const struct platform *plat, int i)
{
	return plat->reserved[i].no_map && plat->reserved[i].range.size;
}

/* The no-map hole that starts lowest among those meeting [from, last]; -1 if none. */
static int next_hole(const struct platform *plat, uint64_t granule, uint64_t from, uint64_t last,
		     struct span *hole)
{
	int best = -1;

	for (int i = 0; i < plat->nr_reserved; i++) {
		struct span h;

		if (!is_hole(plat, i))
			continue;
		h = span_outer(plat->reserved[i].range, granule);
		if (h.last < from || h.first > last || (best >= 0 && h.first >= hole->first))
			continue;
		*hole = h;
		best = i;
	}
	return best;
}

static int emit(struct mem_range *out, int n, int max, uint64_t first, uint64_t last)
{
	if (n >= max)
		return -ENOSPC;
	out[n] = (struct mem_range){ first, last - first + 1 };
	return n + 1;
}

/* [s.first, s.last] less the holes, appended to @out from @n; the new count or -ENOSPC. */
static int subtract_holes(const struct platform *plat, uint64_t granule, struct span s,
			  struct mem_range *out, int n, int max)
{
	uint64_t from = s.first;
	struct span h;

	while (n >= 0 && next_hole(plat, granule, from, s.last, &h) >= 0) {
		if (h.first > from)
			n = emit(out, n, max, from, h.first - 1);
		if (h.last >= s.last)
			return n;
		from = h.last + 1;
	}
	return n < 0 ? n : emit(out, n, max, from, s.last);
}

int platform_ram_mappable(const struct platform *plat, uint64_t granule, struct mem_range *out,
			  int max)
{
	int n = 0;

	for (int i = 0; i < plat->nr_mem && n >= 0; i++) {
		struct span s;

		if (plat->mem[i].size && span_inner(plat->mem[i], granule, &s))
			n = subtract_holes(plat, granule, s, out, n, max);
	}
	return n;
}

bool platform_in_ram(const struct platform *plat, uint64_t base, uint64_t size)
{
	for (int i = 0; i < plat->nr_mem && i < PLATFORM_MAX_MEM; i++) {
		const struct mem_range *m = &plat->mem[i];

		if (size && base >= m->base && base - m->base < m->size &&
		    size <= m->size - (base - m->base))
			return true;
	}
	return false;
}

int platform_nomap_overlap(const struct platform *plat, uint64_t granule, uint64_t base,
			   uint64_t size, int from)
{
	struct span a;

	if (size == 0)
		return -1;
	a = (struct span){ base, base + (size - 1) < base ? UINT64_MAX : base + (size - 1) };
	for (int i = from < 0 ? 0 : from; i < plat->nr_reserved; i++) {
		struct span h;

		if (!is_hole(plat, i))
			continue;
		h = span_outer(plat->reserved[i].range, granule);
		if (h.first <= a.last && a.first <= h.last)
			return i;
	}
	return -1;
}

void platform_reserved_path(const struct platform *plat, const void *fdt, int i, char *buf, int len)
{
	int node = plat->reserved[i].node;

	if (len <= 0)
		return;
	if (node >= 0 && fdt && platform_index_get_path(&plat->index, fdt, node, buf, len) == 0)
		return;
	snprintf(buf, (size_t)len, "%s", node < 0 ? "/memreserve/" : "/reserved-memory/?");
}
