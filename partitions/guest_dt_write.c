// SPDX-License-Identifier: GPL-2.0-only
/*
 * The writer layer under the guest device tree builders (guest_dt*.c):
 * libfdt's sequential-write calls into the caller's buffer, each doing
 * nothing once an error is recorded, so a builder writes a whole node and
 * checks once at the end; a tree that outgrows its first size is moved to
 * the whole buffer once.
 */
#include <string.h>

#include <libfdt.h>

#include "guest_dt_internal.h"

/* libfdt sizes are int; the guest DTB slot is 2 MiB anyway. */
#define GUEST_DT_SIZE_MAX 0x7fffffff

/*
 * fdt_create() zeroes all the space it is given, and a buffer may be large
 * (the DTB slot is 2 MiB: 0.8 M instructions of memset) for trees of a few
 * KiB: the tree starts in this much and grows to the whole buffer only if a
 * write does not fit. Unit tests set it small to exercise the growth.
 */
#ifndef GUEST_DT_FIRST_SIZE
#define GUEST_DT_FIRST_SIZE (64 * 1024)
#endif

static void note(struct guest_dt *g, int ret)
{
	if (ret < 0 && !g->err)
		g->err = ret;
}

/*
 * A write did not fit: move the strings to the end of the whole buffer
 * (fdt_resize) and zero the space between, so the tree is what fdt_create()
 * on the whole buffer would have made. False if it already has it all.
 */
static bool grow(struct guest_dt *g)
{
	size_t head, tail;

	if (g->size >= g->max || fdt_resize(g->fdt, g->fdt, g->max) < 0)
		return false;
	g->size = g->max;
	head = fdt_off_dt_struct(g->fdt) + fdt_size_dt_struct(g->fdt);
	tail = fdt_size_dt_strings(g->fdt);
	memset((char *)g->fdt + head, 0, (size_t)g->size - head - tail);
	return true;
}

/*
 * One libfdt write, none after an error, made again after grow() if it did
 * not fit: a write that fails for lack of space leaves the tree as it was.
 */
#define GUEST_DT_WRITE(g, call)                          \
	do {                                             \
		int ret_ = (g)->err ? 0 : (call);        \
		if (ret_ == -FDT_ERR_NOSPACE && grow(g)) \
			ret_ = (call);                   \
		note((g), ret_);                         \
	} while (0)

void guest_dt_begin(struct guest_dt *g, const char *name)
{
	if (g->err)
		return;
	g->node = name[0] ? name : "/";
	GUEST_DT_WRITE(g, fdt_begin_node(g->fdt, name));
}

void guest_dt_end(struct guest_dt *g)
{
	GUEST_DT_WRITE(g, fdt_end_node(g->fdt));
}

void guest_dt_prop(struct guest_dt *g, const char *name, const void *val, int len)
{
	GUEST_DT_WRITE(g, fdt_property(g->fdt, name, val, len));
}

void guest_dt_prop_u32(struct guest_dt *g, const char *name, uint32_t val)
{
	GUEST_DT_WRITE(g, fdt_property_u32(g->fdt, name, val));
}

void guest_dt_prop_string(struct guest_dt *g, const char *name, const char *str)
{
	GUEST_DT_WRITE(g, fdt_property_string(g->fdt, name, str));
}

void guest_dt_prop_cells(struct guest_dt *g, const char *name, const uint32_t *cells, int n)
{
	void *val;

	GUEST_DT_WRITE(g, fdt_property_placeholder(g->fdt, name, n * 4, &val));
	for (int i = 0; i < n && !g->err; i++)
		fdt32_st((char *)val + 4 * i, cells[i]);
}

void guest_dt_prop_regs(struct guest_dt *g, const struct mem_range *regs, int n)
{
	void *val;

	GUEST_DT_WRITE(g, fdt_property_placeholder(g->fdt, "reg", n * 16, &val));
	/* Placeholder values are only 4-byte aligned: fdt64_st() stores byte by byte. */
	for (int i = 0; i < 2 * n && !g->err; i++)
		fdt64_st((char *)val + 8 * i, i % 2 ? regs[i / 2].size : regs[i / 2].base);
}

void guest_dt_prop_empty(struct guest_dt *g, const char *name)
{
	guest_dt_prop(g, name, NULL, 0);
}

void guest_dt_prop_u64(struct guest_dt *g, const char *name, uint64_t val)
{
	GUEST_DT_WRITE(g, fdt_property_u64(g->fdt, name, val));
}

void guest_dt_create(struct guest_dt *g, size_t size)
{
	g->max = size > GUEST_DT_SIZE_MAX ? GUEST_DT_SIZE_MAX : (int)size;
	g->size = g->max > GUEST_DT_FIRST_SIZE ? GUEST_DT_FIRST_SIZE : g->max;
	note(g, fdt_create(g->fdt, g->size));
	GUEST_DT_WRITE(g, fdt_finish_reservemap(g->fdt));
	guest_dt_begin(g, "");
}

void guest_dt_finish(struct guest_dt *g)
{
	guest_dt_end(g);
	GUEST_DT_WRITE(g, fdt_finish(g->fdt));
}
