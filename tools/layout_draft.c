// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead-check --draft [--cells N] BOARD.dtb: a starting layout, written
 * from what the boot's own discovery (boot/platform*.c) finds in the board's
 * device tree, that bulkhead-check accepts as it is (docs/layout.md,
 * "Starting from a draft"). It assigns no device: the board nodes the
 * layout parser's device rules (partitions/layout_board*.c) accept
 * and whose cell's device tree builds (guest_dt_build()) are listed in a
 * comment, for the user to copy into a cell (tools/layout_draft_devices.c).
 *
 * The RAM plan uses the lowest RAM bank, the one U-Boot runs in, from its
 * first free 2 MiB boundary up: hypervisor-memory, the kernel windows, a
 * free 2 MiB for the layout DTB, then the cells' memory in equal shares;
 * the top of the bank stays free for U-Boot, which relocates itself and the
 * board's device tree there (configs/qemu-virt/demo.dts).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "../partitions/layout_internal.h"
#include "layout_draft.h"
#include "layout_draft_priv.h"
#include "load_plan.h"

static uint64_t align_down(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}

/*
 * Where [@a, @a + @size) first meets what it must not: the end of that, or
 * 0 when it is clear. Every reserved range keeps its RAM from the layout;
 * a cell's memory (@identity: mapped IPA = PA) also keeps out of the guest's
 * GIC and console area, which no memory IPA may take.
 */
static uint64_t draft_clash(const struct draft *d, uint64_t a, uint64_t size, bool identity)
{
	for (int i = 0; i < d->plat->nr_reserved; i++) {
		const struct mem_range *r = &d->plat->reserved[i].range;

		if (layout_page_overlap(a, size, r->base, r->size))
			return align_up(r->base + r->size, LAYOUT_PAGE_SIZE);
	}
	if (identity && ranges_overlap(a, size, LAYOUT_GUEST_MMIO_BASE,
				       LAYOUT_GUEST_MMIO_END - LAYOUT_GUEST_MMIO_BASE))
		return LAYOUT_GUEST_MMIO_END;
	return 0;
}

/* The first 2 MiB aligned @size bytes from the cursor up to @d->limit that nothing takes. */
static int draft_place(struct draft *d, uint64_t size, bool identity, uint64_t *at)
{
	uint64_t a = align_up(d->cursor, SZ_2M), skip;

	while (a >= d->cursor && a + size > a && a + size <= d->limit) {
		skip = draft_clash(d, a, size, identity);
		if (!skip) {
			*at = a;
			d->cursor = a + size;
			return 0;
		}
		a = align_up(skip, SZ_2M);
	}
	return -ENOSPC;
}

/* Every cell's memory, @size each, in order; false (cursor restored) if they do not fit. */
static bool draft_place_cells(struct draft *d, uint64_t size)
{
	uint64_t start = d->cursor;

	for (int i = 0; i < d->nr_cells; i++)
		if (draft_place(d, size, true, &d->mem[i]) < 0) {
			d->cursor = start;
			return false;
		}
	d->mem_size = size;
	return true;
}

/*
 * Equal shares of what is left below U-Boot's room, capped; smaller ones
 * when reserved memory or the guest MMIO area cut the bank. The least is
 * what a cell's boot RAM must hold: its kernel window and the DTB slot.
 */
static int draft_cells(struct draft *d)
{
	uint64_t least = d->kernel_size + LAYOUT_DTB_SLOT;
	uint64_t share = align_down((d->limit - d->cursor) / (uint64_t)d->nr_cells, SZ_2M);

	if (share > DRAFT_CELL_MAX)
		share = DRAFT_CELL_MAX;
	if (least < 4 * SZ_1M)
		least = 4 * SZ_1M;
	while (share >= least && !draft_place_cells(d, share))
		share = align_down(share - (share / 8 > SZ_2M ? share / 8 : SZ_2M), SZ_2M);
	return share >= least ? 0 : -ENOSPC;
}

/* The lowest RAM bank: U-Boot runs there, and on most boards the hypervisor is put there. */
static const struct mem_range *draft_bank(const struct platform *plat)
{
	const struct mem_range *low = &plat->mem[0];

	for (int i = 1; i < plat->nr_mem; i++)
		if (plat->mem[i].base < low->base)
			low = &plat->mem[i];
	return low;
}

/*
 * Where bulkhead-check --print-load-plan puts the layout DTB once the cells
 * are placed, by its own rule (load_plan_layout_slot()): the first free
 * 2 MiB above hypervisor-memory, which may be a gap below the one kept.
 */
static int draft_dtb_slot(struct draft *d)
{
	static struct layout l;

	memset(&l, 0, sizeof(l));
	l.hyp_mem = (struct mem_range){ d->hyp, DRAFT_HYP_SIZE };
	l.nr_cells = d->nr_cells;
	for (int i = 0; i < d->nr_cells; i++) {
		l.cells[i].mem[0] = (struct layout_region){ d->mem[i], d->mem[i], d->mem_size };
		l.cells[i].nr_mem = 1;
		l.cells[i].kernel.win = (struct layout_window){ d->kernel[i], d->kernel_size };
	}
	return load_plan_layout_slot(d->plat, &l, &d->dtb_slot) < 0 ? -ENOSPC : 0;
}

/* What of the plan did not fit in the bank, in the order it is placed. */
enum draft_short {
	DRAFT_FITS,
	DRAFT_ABOVE_IPA_LIMIT,
	DRAFT_NO_HYP,
	DRAFT_NO_UBOOT_ROOM,
	DRAFT_NO_KERNEL,
	DRAFT_NO_DTB_SLOT,
	DRAFT_NO_CELLS,
};

/*
 * The end of what the plan may use of the bank, exclusive: a cell's memory
 * is mapped at IPA = PA, and a stage 2 maps IPAs below LAYOUT_IPA_LIMIT;
 * so is a bank that ends at 2^64 (base + size wraps to 0) cut.
 */
uint64_t draft_bank_end(const struct mem_range *bank)
{
	uint64_t end = bank->base + bank->size;

	return end <= bank->base || end > LAYOUT_IPA_LIMIT ? LAYOUT_IPA_LIMIT : end;
}

static enum draft_short draft_plan(struct draft *d)
{
	uint64_t room, avail;

	d->bank = *draft_bank(d->plat);
	d->cursor = d->bank.base;
	d->limit = draft_bank_end(&d->bank);
	if (d->bank.base >= LAYOUT_IPA_LIMIT)
		return DRAFT_ABOVE_IPA_LIMIT;
	if (draft_place(d, DRAFT_HYP_SIZE, false, &d->hyp) < 0)
		return DRAFT_NO_HYP;
	room = d->bank.size / 4 < DRAFT_UBOOT_ROOM_MAX ? d->bank.size / 4 : DRAFT_UBOOT_ROOM_MAX;
	d->limit = align_down(d->limit - room, SZ_2M);
	if (d->limit <= d->cursor)
		return DRAFT_NO_UBOOT_ROOM;
	/* A window smaller than an Image on a small board: a quarter of it for the windows. */
	avail = d->limit - d->cursor;
	d->kernel_size = align_down(avail / 4 / (uint64_t)d->nr_cells, SZ_2M);
	if (d->kernel_size > DRAFT_KERNEL_WINDOW)
		d->kernel_size = DRAFT_KERNEL_WINDOW;
	if (!d->kernel_size)
		return DRAFT_NO_KERNEL;
	for (int i = 0; i < d->nr_cells; i++)
		if (draft_place(d, d->kernel_size, false, &d->kernel[i]) < 0)
			return DRAFT_NO_KERNEL;
	/* A free 2 MiB kept for the layout DTB, so that the load plan finds one. */
	if (draft_place(d, LOAD_PLAN_LAYOUT_SLOT, false, &d->dtb_slot) < 0)
		return DRAFT_NO_DTB_SLOT;
	if (draft_cells(d) < 0)
		return DRAFT_NO_CELLS;
	return draft_dtb_slot(d) < 0 ? DRAFT_NO_DTB_SLOT : DRAFT_FITS;
}

/* The most cells below @d's that the bank holds (their own plan), 0 if none. */
static int draft_fewer_cells(const struct draft *d)
{
	static struct draft fewer;

	for (int n = d->nr_cells - 1; n >= 1; n--) {
		fewer = *d;
		fewer.nr_cells = n;
		if (draft_plan(&fewer) == DRAFT_FITS)
			return n;
	}
	return 0;
}

static const char *plural(int n)
{
	return n == 1 ? "" : "s";
}

/* Say what of the plan did not fit, and whether fewer cells would. */
static void print_no_room(const struct draft *d, enum draft_short what, const char *board_path)
{
	/* Before the kernel windows, what is placed does not depend on the cells. */
	bool tried = d->nr_cells > 1 && what > DRAFT_NO_UBOOT_ROOM;
	int n = d->nr_cells, fewer = tried ? draft_fewer_cells(d) : 0;

	fprintf(stderr, "bulkhead-check: %s: the RAM bank at 0x%llx (%llu MiB) has no room for ",
		board_path, (unsigned long long)d->bank.base, MiB(d->bank.size));
	if (what == DRAFT_ABOVE_IPA_LIMIT)
		fprintf(stderr, "a cell's memory: it lies above 2^48, the most a stage 2 maps, and "
				"a cell's memory is mapped at IPA = PA");
	else if (what == DRAFT_NO_HYP)
		fprintf(stderr, "hypervisor-memory (%llu MiB) clear of the board's reserved memory",
			MiB(DRAFT_HYP_SIZE));
	else if (what == DRAFT_NO_UBOOT_ROOM)
		fprintf(stderr,
			"hypervisor-memory (%llu MiB) and, above it, the top quarter of the "
			"bank (at most %llu MiB) kept for U-Boot",
			MiB(DRAFT_HYP_SIZE), MiB(DRAFT_UBOOT_ROOM_MAX));
	else if (what == DRAFT_NO_KERNEL)
		fprintf(stderr, "%d kernel window%s", n, plural(n));
	else if (what == DRAFT_NO_DTB_SLOT)
		fprintf(stderr, "the layout DTB's 2 MiB after %d kernel window%s", n, plural(n));
	else
		fprintf(stderr,
			"%d cell%s memory (each at least its kernel window and the DTB slot, "
			"4 MiB at least)",
			n, n == 1 ? "'s" : "s'");
	if (what > DRAFT_NO_UBOOT_ROOM)
		fprintf(stderr, " between hypervisor-memory and the top quarter kept for U-Boot, "
				"clear of the board's reserved memory");
	if (fewer)
		fprintf(stderr, ": --cells %d fits\n", fewer);
	else
		fprintf(stderr, "%s\n", tried ? ": fewer cells do not fit either" : "");
}

int layout_draft_boot_cpu(const void *board, const struct platform *plat)
{
	for (int i = 0; i < plat->nr_cpus; i++)
		if (plat->cpus[i].mpidr == fdt_boot_cpuid_phys(board))
			return i;
	return -1;
}

/* The @k-th CPU the cells get: the boot CPU first (cell0's), then the rest in /cpus order. */
uint64_t draft_cpu(const struct draft *d, int k)
{
	if (d->boot < 0)
		return d->plat->cpus[k].mpidr;
	if (k == 0)
		return d->plat->cpus[d->boot].mpidr;
	return d->plat->cpus[k <= d->boot ? k - 1 : k].mpidr;
}

/* "@name = <hi lo ...>;": a layout's addresses and sizes are always 64-bit <hi lo> pairs. */
static void print_prop64(const char *name, const uint64_t *v, int n)
{
	printf("%s = <", name);
	for (int k = 0; k < n; k++)
		printf("%s0x%llx 0x%llx", k ? " " : "", (unsigned long long)(v[k] >> 32),
		       (unsigned long long)(v[k] & 0xffffffff));
	printf(">;\n");
}

/*
 * The draft-order index of cell @i's first CPU (@i = nr_cells: the end).
 * With as many clusters (the MPIDR above Aff0) as cells, in runs, a cell
 * each: on a big.LITTLE board every cell then has one kind of core, and its
 * own L2; else equal shares in draft order.
 */
static int cell_first_cpu(const struct draft *d, int i)
{
	int n = d->plat->nr_cpus, starts[LAYOUT_MAX_CELLS + 1], runs = 0;

	for (int k = 0; k < n && runs <= d->nr_cells; k++)
		if (k == 0 || draft_cpu(d, k) >> 8 != draft_cpu(d, k - 1) >> 8) {
			if (runs == d->nr_cells) {
				runs++;
				break;
			}
			starts[runs++] = k;
		}
	if (runs == d->nr_cells)
		return i < runs ? starts[i] : n;
	return i * n / d->nr_cells;
}

static void print_cell(const struct draft *d, int i)
{
	int first = cell_first_cpu(d, i);
	int last = cell_first_cpu(d, i + 1);

	printf("\n\t\tcell@%x {\n\t\t\tcompatible = \"bulkhead,cell\";\n\t\t\treg = <%d>;\n", i, i);
	printf("\t\t\tlabel = \"cell%d\";\n\t\t\tcpus = <", i);
	for (int c = first; c < last; c++)
		printf("%s0x%llx", c == first ? "" : " ", (unsigned long long)draft_cpu(d, c));
	if (i == 0 && d->boot >= 0)
		printf(">; /* the boot CPU, MPIDR 0x%llx by the DTB header, first */\n",
		       (unsigned long long)draft_cpu(d, 0));
	else
		printf(">;%s\n", i == 0 ? " /* the first in /cpus, for the boot CPU */" : "");
	printf("\t\t\t/* IPA = PA 0x%llx, %llu MiB */\n", (unsigned long long)d->mem[i],
	       MiB(d->mem_size));
	print_prop64("\t\t\tmemory", (const uint64_t[]){ d->mem[i], d->mem[i], d->mem_size }, 3);
	print_prop64("\t\t\tkernel", (const uint64_t[]){ d->kernel[i], d->kernel_size }, 2);
	printf("\t\t\tkernel-format = \"image\";\n\t\t\tconsole = \"virtual\";\n"
	       "\t\t\tinterrupt-mode = \"emulated\";\n\t\t\ton-fault = \"stop\";\n"
	       "\t\t\t/* devices = \"...\"; see the list below */\n\t\t};\n");
}

/* cell0 as drafted, without devices: the cell the device list tries each device in. */
static void draft_device_cell(const struct draft *d, struct layout_cell *cell)
{
	memset(cell, 0, sizeof(*cell));
	snprintf(cell->label, sizeof(cell->label), "cell0");
	snprintf(cell->path, sizeof(cell->path), "/bulkhead/cell@0");
	cell->cpus[0] = (struct layout_cpu){ draft_cpu(d, 0), d->boot < 0 ? 0 : d->boot };
	cell->nr_cpus = 1;
	cell->mem[0] = (struct layout_region){ d->mem[0], d->mem[0], d->mem_size };
	cell->nr_mem = 1;
	cell->console = LAYOUT_CONSOLE_VIRTUAL;
	cell->irq_mode = LAYOUT_IRQ_EMULATED;
}

/*
 * A cell needs a CPU of its own, and a layout's cpus property holds one
 * 32-bit cell per CPU (docs/layout.md): a CPU with Aff3 (MPIDR bits
 * [39:32]) cannot be named in it. 0, or -1 after saying why.
 */
static int draft_check_cpus(const struct platform *plat, const char *board_path, int nr_cells)
{
	if (nr_cells > plat->nr_cpus) {
		fprintf(stderr,
			"bulkhead-check: --cells %d: %s has %d CPU%s and a cell needs one of its "
			"own: at most --cells %d\n",
			nr_cells, board_path, plat->nr_cpus, plural(plat->nr_cpus), plat->nr_cpus);
		return -1;
	}
	for (int i = 0; i < plat->nr_cpus; i++)
		if (plat->cpus[i].mpidr >> 32) {
			fprintf(stderr,
				"bulkhead-check: %s: CPU MPIDR 0x%llx has Aff3 set: a layout's "
				"cpus holds 32-bit MPIDRs (Aff2.Aff1.Aff0), so no layout for "
				"this board is drafted\n",
				board_path, (unsigned long long)plat->cpus[i].mpidr);
			return -1;
		}
	return 0;
}

int layout_draft(const void *board, const char *board_path, const struct platform *plat,
		 int nr_cells)
{
	static struct draft d;
	static struct layout_cell cell;
	enum draft_short short_of;

	if (draft_check_cpus(plat, board_path, nr_cells) < 0)
		return 2;
	memset(&d, 0, sizeof(d));
	d.board = board;
	d.plat = plat;
	d.nr_cells = nr_cells;
	d.boot = layout_draft_boot_cpu(board, plat);
	short_of = draft_plan(&d);
	if (short_of != DRAFT_FITS) {
		print_no_room(&d, short_of, board_path);
		return 2;
	}
	draft_print_comment(&d, board_path);
	printf("/dts-v1/;\n\n/ {\n\tbulkhead {\n\t\tcompatible = \"bulkhead,layout-v1\";\n"
	       "\t\t#address-cells = <1>;\n\t\t#size-cells = <0>;\n");
	print_prop64("\t\thypervisor-memory", (const uint64_t[]){ d.hyp, DRAFT_HYP_SIZE }, 2);
	for (int i = 0; i < nr_cells; i++)
		print_cell(&d, i);
	printf("\t};\n};\n");
	draft_device_cell(&d, &cell);
	layout_draft_print_devices(board, plat, &cell);
	return 0;
}
