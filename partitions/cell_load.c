// SPDX-License-Identifier: GPL-2.0-only
/*
 * Putting a cell's software into its memory: scrub, kernel (arm64 Image or
 * raw binary), initrd, device tree. The boot loader's windows stay untouched
 * and unmapped from every cell: they are the pristine copies a restart
 * reloads from. Neither is in the hypervisor's map (include/arch/el2_map.h):
 * a load opens them in the loading CPU's window, and closes them after.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "arch/cpu.h"
#include "arch/el2_map.h"
#include "cell.h"
#include "guest_dt.h"
#include "initrd.h"
#include "kernel_image.h"
#include "log.h"

/* arm64 Image header, Documentation/arch/arm64/booting.rst */
struct image_header {
	uint32_t code0, code1;
	uint64_t text_offset, image_size, flags;
	uint64_t res2, res3, res4;
	uint32_t magic, res5;
};
_Static_assert(sizeof(struct image_header) == KERNEL_IMAGE_HEADER_SIZE &&
		       offsetof(struct image_header, magic) == KERNEL_IMAGE_MAGIC_OFFSET,
	       "kernel_image_problem() reads the header kernel_extent() uses");

/* What a load touches: the cell's RAM, written; the boot loader's copies of its software, read. */
struct load_range {
	uint64_t pa, size;
	bool writable;
};

/*
 * A scrub's step (cell_load_step()): one level-2 block too, 0.1 ms under
 * -icount (DC ZVA). A copy's: 128 KiB, as long (memcpy() without FP/SIMD
 * registers, then a clean to the point of coherency: 1.4 ms a 2 MiB step).
 */
#define SCRUB_STEP 0x200000ULL
#define COPY_STEP  0x20000ULL

/* Into the cell's memory, and on to the point of coherency: the guest starts with its caches off.
 */
static void copy_to_cell(uint64_t dst, uint64_t src, uint64_t size)
{
	memcpy(arch_ram_window_ptr(dst), arch_ram_window_ptr(src), size);
	arch_dcache_clean_inval_range(arch_ram_window_ptr(dst), size);
}

/*
 * Shared memory is not scrubbed when a member restarts (docs/shm.md): once
 * here, then, before any member has it. Its first reader would otherwise see
 * whatever that RAM held before the hypervisor: a boot loader's staging of
 * another cell's images (a FIT's loadables), its heap, the last boot's data.
 */
int cells_zero_shared(const struct layout *layout)
{
	const struct layout_shm *s;
	int i, ret;

	for (i = 0; i < layout->nr_shm; i++) {
		s = &layout->shm[i];
		ret = arch_ram_window_open(s->pa, s->size, true);
		if (ret)
			return log_err_ret(
				ret,
				"%s: cannot open 0x%lx+0x%lx in CPU %u's window to zero it (%d)",
				s->path, (unsigned long)s->pa, (unsigned long)s->size,
				arch_cpu_index(), ret);
		arch_memzero(arch_ram_window_ptr(s->pa), s->size);
		arch_ram_window_close(s->pa, s->size);
	}
	return 0;
}

/* [off, off + size) inside boot RAM and clear of the DTB slot? */
static bool fits_boot_ram(const struct layout_cell *cfg, uint64_t off, uint64_t size)
{
	uint64_t ram = cfg->mem[0].size;

	if (off > ram || size > ram - off)
		return false;
	return off + size <= cfg->dtb_offset || off >= cfg->dtb_offset + LAYOUT_DTB_SLOT;
}

/* Load offset in boot RAM and bytes to copy / to reserve, from the header or the layout. */
static int kernel_extent(const struct layout_cell *cfg, uint64_t *off, uint64_t *copy,
			 uint64_t *reserve)
{
	const struct layout_window *win = &cfg->kernel.win;
	const struct image_header *h = arch_ram_window_ptr(win->addr);
	const char *problem;

	*off = layout_kernel_offset(cfg);
	*copy = win->size;
	*reserve = win->size;
	if (cfg->kernel.format == LAYOUT_KERNEL_RAW)
		return 0;
	problem = kernel_image_problem(h, win->size);
	if (problem)
		return log_err_ret(
			-ENOEXEC,
			"%s: kernel at 0x%lx: no arm64 Image header (magic \"ARM\\x64\" at offset "
			"56): %s",
			cfg->label, (unsigned long)win->addr, problem);
	/* image_size 0: a pre-3.17 kernel; its effective size is unknown, reserve the window. */
	*off += h->text_offset;
	if (h->image_size) {
		*reserve = h->image_size;
		if (*copy > h->image_size)
			*copy = h->image_size;
	}
	return 0;
}

/*
 * A load's phases (struct cell_load_progress), each in steps of SCRUB_STEP
 * or COPY_STEP bytes at most (cell_load_step(); cell_load()'s whole): the scrub of every memory
 * region, the placement (Image header, initrd), the kernel's copy, the
 * initrd's, the device tree.
 */
enum load_phase { LOAD_SCRUB, LOAD_PLACE, LOAD_KERNEL, LOAD_INITRD, LOAD_DT, LOAD_DONE };

static void next_phase(struct cell *cell, enum load_phase phase)
{
	cell->load.phase = phase;
	cell->load.done = 0;
}

static struct load_range ram_range(const struct layout_cell *cfg, int i)
{
	return (struct load_range){ cfg->mem[i].pa, cfg->mem[i].size, true };
}

static struct load_range window_range(const struct layout_window *win)
{
	return (struct load_range){ win->addr, win->size, false };
}

/*
 * [pa, pa + size) of @r opened in this CPU's window, widened to the 2 MiB
 * blocks around it but not past @r: the leaves cell_load_prepare() built
 * tables for, so a step's opening takes no table from the pool. What was
 * opened goes into @opened, for arch_ram_window_close().
 */
static int open_in(const struct cell *cell, struct load_range r, uint64_t pa, uint64_t size,
		   struct load_range *opened)
{
	int ret;

	arch_ram_window_blocks(r.pa, r.size, &pa, &size);
	*opened = (struct load_range){ pa, size, r.writable };
	ret = arch_ram_window_open(pa, size, r.writable);
	if (ret)
		log_err("cell %s: cannot open 0x%lx+0x%lx in CPU %u's window (%d)",
			cell->cfg->label, (unsigned long)pa, (unsigned long)size, arch_cpu_index(),
			ret);
	return ret;
}

/* The next SCRUB_STEP of the cell's memory zeroed, from cell->load.done on. */
static int scrub_step(struct cell *cell)
{
	const struct layout_cell *cfg = cell->cfg;
	uint64_t at = cell->load.done, pa, size;
	struct load_range opened;
	int i, ret;

	for (i = 0; i < cfg->nr_mem && at >= cfg->mem[i].size; i++)
		at -= cfg->mem[i].size;
	pa = cfg->mem[i].pa + at;
	size = cfg->mem[i].size - at;
	if (!cell->load.whole && size > SCRUB_STEP)
		size = SCRUB_STEP;
	ret = open_in(cell, ram_range(cfg, i), pa, size, &opened);
	if (ret)
		return ret;
	arch_memzero(arch_ram_window_ptr(pa), size);
	arch_ram_window_close(opened.pa, opened.size);
	cell->load.done += size;
	if (i == cfg->nr_mem - 1 && at + size == cfg->mem[i].size)
		next_phase(cell, LOAD_PLACE);
	return 0;
}

/*
 * Where the kernel goes, from its Image header: cell->entry_ipa, and how
 * much of the window is copied; [*end) in boot RAM is the kernel's.
 */
static int place_kernel(struct cell *cell, uint64_t *end)
{
	const struct layout_cell *cfg = cell->cfg;
	const struct layout_window *win = &cfg->kernel.win;
	uint64_t off, copy, reserve;
	struct load_range opened;
	int ret = open_in(cell, window_range(win), win->addr, KERNEL_IMAGE_HEADER_SIZE, &opened);

	if (ret)
		return ret;
	ret = kernel_extent(cfg, &off, &copy, &reserve);
	arch_ram_window_close(opened.pa, opened.size);
	if (ret)
		return ret;
	if (!fits_boot_ram(cfg, off, reserve))
		return log_err_ret(
			-E2BIG,
			"%s: kernel: %lu KiB at offset 0x%lx do not fit in boot RAM (%lu KiB) "
			"beside the DTB slot at 0x%lx",
			cfg->label, (unsigned long)(reserve >> 10), (unsigned long)off,
			(unsigned long)(cfg->mem[0].size >> 10), (unsigned long)cfg->dtb_offset);
	cell->load.kernel_off = off;
	cell->load.kernel_copy = copy;
	cell->entry_ipa = cfg->mem[0].ipa + off;
	*end = off + reserve;
	return 0;
}

/*
 * How much of the initrd window its guest is told of (placed for the whole
 * window, the layout check's rule; the rest is scrubbed zero): read from
 * the window at the first load only, which it does not change. A reload's
 * read took 0.6 ms of a 4 MiB window, with its CPU's interrupts masked.
 */
static int initrd_passed(struct cell *cell)
{
	const struct layout_window *win = &cell->cfg->initrd;
	struct load_range opened;
	int ret;

	if (cell->load.initrd_passed)
		return 0;
	ret = open_in(cell, window_range(win), win->addr, win->size, &opened);
	if (ret)
		return ret;
	cell->load.initrd_passed = initrd_archive_size(arch_ram_window_ptr(win->addr), win->size);
	arch_ram_window_close(opened.pa, opened.size);
	return 0;
}

/*
 * Where the layout check put the initrd, unless the Image header asks for
 * more than the window; and how much of its window is an archive's.
 */
static int place_initrd(struct cell *cell, uint64_t kernel, uint64_t kernel_end)
{
	const struct layout_cell *cfg = cell->cfg;
	int ret;

	cell->initrd_ipa = 0;
	cell->initrd_size = 0;
	if (!cfg->initrd.size)
		return 0;
	/*
	 * The layout check placed the initrd for the window's size: a window of
	 * the Image's text_offset + image_size lets it see what the boot sees.
	 */
	if (!layout_initrd_offset(cfg, kernel, kernel_end, &cell->load.initrd_off))
		return log_err_ret(
			-E2BIG,
			"%s: initrd: %lu KiB fit neither after the kernel (%lu KiB at offset "
			"0x%lx, with the BSS its Image header asks for) nor after the DTB slot: "
			"give the kernel window at least %lu KiB (the Image's text_offset + "
			"image_size) or the cell more boot RAM",
			cfg->label, (unsigned long)(cfg->initrd.size >> 10),
			(unsigned long)((kernel_end - kernel) >> 10), (unsigned long)kernel,
			(unsigned long)((kernel_end - layout_kernel_offset(cfg) + 1023) >> 10));
	ret = initrd_passed(cell);
	if (ret)
		return ret;
	cell->initrd_size = cell->load.initrd_passed;
	cell->initrd_ipa = cfg->mem[0].ipa + cell->load.initrd_off;
	if (cell->initrd_size < cfg->initrd.size && !cell->boots) /* every boot's the same */
		log_info("cell %s: initrd: %lu KiB of its %lu KiB window passed: an archive, "
			 "the zeros after it are padding",
			 cfg->label, (unsigned long)(cell->initrd_size >> 10),
			 (unsigned long)(cfg->initrd.size >> 10));
	return 0;
}

static int place(struct cell *cell)
{
	uint64_t kernel_end;
	int ret = place_kernel(cell, &kernel_end);

	if (!ret)
		ret = place_initrd(cell, cell->load.kernel_off, kernel_end);
	if (!ret)
		next_phase(cell, LOAD_KERNEL);
	return ret;
}

/*
 * The next step of a copy of @size bytes from the boot loader's window
 * @win to boot RAM at offset @off, from cell->load.done on: up to the next
 * COPY_STEP boundary of the destination, on to the point of coherency (the
 * guest starts with its caches off). Then @next.
 */
static int copy_step(struct cell *cell, uint64_t off, const struct layout_window *win,
		     uint64_t size, enum load_phase next)
{
	uint64_t done = cell->load.done, dst = cell->cfg->mem[0].pa + off + done, n;
	struct load_range to, from;
	int ret;

	n = cell->load.whole ? size - done : COPY_STEP - (dst & (COPY_STEP - 1));
	n = n < size - done ? n : size - done;
	ret = open_in(cell, ram_range(cell->cfg, 0), dst, n, &to);
	if (ret)
		return ret;
	ret = open_in(cell, window_range(win), win->addr + done, n, &from);
	if (!ret) {
		copy_to_cell(dst, win->addr + done, n);
		arch_ram_window_close(from.pa, from.size);
		cell->load.done += n;
		if (cell->load.done == size)
			next_phase(cell, next);
	}
	arch_ram_window_close(to.pa, to.size);
	return ret;
}

/* The layout's tree copied, or one built with libfdt, into the DTB slot: one step. */
static int load_device_tree(struct cell *cell, const struct platform *plat, const void *board_fdt)
{
	const struct layout_cell *cfg = cell->cfg;
	struct guest_dt_initrd initrd = { cell->initrd_ipa, cell->initrd_size };
	uint64_t slot = cfg->mem[0].pa + cfg->dtb_offset;
	void *dst = arch_ram_window_ptr(slot);
	struct load_range opened;
	int ret;

	cell->dtb_ipa = cfg->mem[0].ipa + cfg->dtb_offset;
	if (cfg->device_tree.size)
		return copy_step(cell, cfg->dtb_offset, &cfg->device_tree, cfg->device_tree.size,
				 LOAD_DONE);
	ret = open_in(cell, ram_range(cfg, 0), slot, LAYOUT_DTB_SLOT, &opened);
	if (ret)
		return ret;
	/*
	 * libfdt uses FP/SIMD (fdt_glue.h): claimed here, in the step that
	 * builds the tree, which no interrupt window splits. Between steps the
	 * window's handlers touch no FP/SIMD register (-mgeneral-regs-only).
	 */
	arch_fpsimd_claim();
	/* What the tree leaves out was said at the first load: a reload builds the same. */
	ret = guest_dt_install(cfg, plat, board_fdt, &initrd, dst, LAYOUT_DTB_SLOT, !cell->boots);
	/* The rest of the slot is as the scrub left it: zero, and already cleaned. */
	if (ret >= 0)
		arch_dcache_clean_inval_range(dst, (uint64_t)ret);
	arch_ram_window_close(opened.pa, opened.size);
	if (ret < 0)
		return ret;
	next_phase(cell, LOAD_DONE);
	return 0;
}

/*
 * Only the CPU that took the cell to LOADING may load it: its vCPUs are all
 * out and stay out (include/cell.h). Any other state here is a hypervisor
 * bug, which must not become a scrub under a running guest.
 */
static int loading(const struct cell *cell)
{
	enum cell_state state = __atomic_load_n(&cell->state, __ATOMIC_ACQUIRE);

	if (state != CELL_LOADING)
		return log_err_ret(-EBUSY, "cell %s: load refused: the cell is %s, not loading",
				   cell->cfg->label, cell_state_name(state));
	return 0;
}

void cell_load_begin(struct cell *cell)
{
	next_phase(cell, LOAD_SCRUB);
	cell->load.whole = false;
}

/*
 * One step, each in its own openings of this CPU's window: between two, a
 * reload takes its CPU's interrupts (cell.c). A scrub's or a copy's step
 * is 0.1 ms under -icount; the placement, which reads the Image header and
 * the initrd window's end, and the device tree's build take about as long.
 */
int cell_load_step(struct cell *cell, const struct platform *plat, const void *board_fdt)
{
	const struct layout_cell *cfg = cell->cfg;
	int ret = loading(cell);

	if (ret)
		return ret;
	switch (cell->load.phase) {
	case LOAD_SCRUB:
		ret = scrub_step(cell);
		break;
	case LOAD_PLACE:
		ret = place(cell);
		break;
	case LOAD_KERNEL:
		ret = copy_step(cell, cell->load.kernel_off, &cfg->kernel.win,
				cell->load.kernel_copy, cell->initrd_size ? LOAD_INITRD : LOAD_DT);
		break;
	case LOAD_INITRD:
		ret = copy_step(cell, cell->load.initrd_off, &cfg->initrd, cell->initrd_size,
				LOAD_DT);
		break;
	case LOAD_DT:
		ret = load_device_tree(cell, plat, board_fdt);
		break;
	default:
		return 0;
	}
	return ret ? ret : cell->load.phase != LOAD_DONE;
}

int cell_load(struct cell *cell, const struct platform *plat, const void *board_fdt)
{
	int ret;

	/*
	 * The first boot's, before any cell runs: no interrupt to take between
	 * two steps, so each region's scrub and each copy is one step, not the
	 * 2 MiB and 128 KiB a reload's are: 0.48 ms less of a Debian Linux
	 * cell's boot under -icount (an opening and a close of the window each).
	 */
	cell_load_begin(cell);
	cell->load.whole = true;
	while ((ret = cell_load_step(cell, plat, board_fdt)) > 0)
		;
	return ret;
}
