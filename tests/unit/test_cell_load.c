// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading a cell (partitions/cell_load.c): its kernel goes where its arm64
 * Image header says, inside the cell's boot RAM and nowhere else, however
 * large the header's text_offset and whatever the window holds past the
 * image_size it gives; an initrd that no longer fits beside it is refused
 * with the window that would fit the Image; a cell not LOADING is neither
 * scrubbed nor loaded; a load's steps scrub 2 MiB or copy 128 KiB at most,
 * so that a reload takes its CPU's interrupts between two (partitions/cell.c).
 * Physical memory is a host array: the cell's RAM, then another cell's
 * (which must come out of every load as it went in), then the boot loader's
 * kernel, device tree and initrd windows, and a larger kernel window.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "arch/el2_map.h"
#include "cell.h"
#include "fake_log.h"
#include "guest_dt.h"
#include "layout.h"

struct layout_ctx; /* layout_internal.h's, opaque here */

#define MiB	     0x100000ULL
#define PA_BASE	     0x40000000ULL
#define RAM_SIZE     (8 * MiB)		  /* the cell's boot RAM, at PA_BASE */
#define NEIGHBOUR    (PA_BASE + RAM_SIZE) /* another cell's RAM, 2 MiB */
#define KERNEL_WIN   (PA_BASE + 12 * MiB) /* 1 MiB */
#define DTB_WIN	     (PA_BASE + 14 * MiB) /* 4 KiB */
#define INITRD_WIN   (PA_BASE + 15 * MiB) /* 1 MiB */
#define BIG_WIN	     (PA_BASE + 16 * MiB) /* 5 MiB: a kernel a load copies in steps */
#define SPACE	     (24 * MiB)
#define IMAGE_BASE   (2 * MiB) /* an Image above a DTB slot at offset 0 (layout_kernel_offset()) */
#define CANARY	     0x5a
#define WINDOW_BYTE  0xee
#define BEFORE_SCRUB 0x11

static unsigned char phys[SPACE];

/* --- what cell_load.c calls ------------------------------------------------ */

void *arch_ram_window_ptr(uint64_t pa)
{
	if (pa < PA_BASE || pa >= PA_BASE + SPACE)
		fail_msg("0x%llx is outside the test's memory", (unsigned long long)pa);
	return &phys[pa - PA_BASE];
}

int arch_ram_window_open(uint64_t pa, uint64_t size, bool writable)
{
	(void)pa;
	(void)size;
	(void)writable;
	return 0;
}

void arch_ram_window_close(uint64_t pa, uint64_t size)
{
	(void)pa;
	(void)size;
}

/* What the step under way wrote: zeroed, or copied and cleaned to the point of coherency. */
static uint64_t step_zeroed, step_cleaned;
/* In how many pieces, all steps together. */
static unsigned int zeroings, cleanings;

void arch_memzero(void *va, uint64_t size)
{
	memset(va, 0, size);
	step_zeroed += size;
	zeroings++;
}

void arch_dcache_clean_inval_range(const void *va, uint64_t size)
{
	(void)va;
	step_cleaned += size;
	cleanings++;
}

void arch_fpsimd_claim(void)
{
}

unsigned int arch_cpu_index(void)
{
	return 0;
}

const char *cell_state_name(enum cell_state state)
{
	return state == CELL_LOADING ? "loading" : "not loading";
}

/* The layout gives the cell a device tree window: no tree is built. */
int guest_dt_install(const struct layout_cell *cell, const struct platform *plat,
		     const void *board_fdt, const struct guest_dt_initrd *initrd, void *dst,
		     size_t size, bool tell)
{
	(void)cell;
	(void)plat;
	(void)board_fdt;
	(void)initrd;
	(void)dst;
	(void)size;
	(void)tell;
	fail_msg("a tree was built for a cell whose layout gives one");
	return -EIO;
}

/* layout_boot_ram.c's layout check: the layout is made by hand here. */
void layout_error(struct layout_ctx *ctx, const char *node, const char *prop, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
	fail_msg("layout_error(%s, %s) called by a load", node, prop);
}

/* --- helpers --------------------------------------------------------------- */

static struct layout_cell cfg;
static struct cell cell;

/* The kernel window: an arm64 Image header saying @text_offset and @image_size, then its bytes. */
static void put_image_at(uint64_t win, uint64_t size, uint64_t text_offset, uint64_t image_size)
{
	unsigned char *w = arch_ram_window_ptr(win);

	for (uint64_t i = 0; i < size; i++)
		w[i] = (unsigned char)(WINDOW_BYTE ^ (i >> 12));
	memcpy(w + 8, &text_offset, 8);
	memcpy(w + 16, &image_size, 8);
	memcpy(w + 56, "ARM\x64", 4);
}

static void put_image(uint64_t text_offset, uint64_t image_size)
{
	put_image_at(KERNEL_WIN, MiB, text_offset, image_size);
}

static int setup(void **state)
{
	(void)state;
	memset(phys, BEFORE_SCRUB, sizeof(phys));
	memset(arch_ram_window_ptr(NEIGHBOUR), CANARY, 2 * MiB);
	cfg = (struct layout_cell){
		.label = "alpha",
		.path = "/bulkhead/cell@0",
		.nr_mem = 1,
		.mem = { { .pa = PA_BASE, .ipa = PA_BASE, .size = RAM_SIZE } },
		.kernel = { .win = { KERNEL_WIN, MiB }, .format = LAYOUT_KERNEL_IMAGE },
		.device_tree = { DTB_WIN, 4096 },
		.dtb_offset = 0,
	};
	cell = (struct cell){ .cfg = &cfg, .state = CELL_LOADING };
	fake_log_reset();
	return 0;
}

static void assert_neighbour_untouched(void)
{
	const unsigned char *n = arch_ram_window_ptr(NEIGHBOUR);

	for (uint64_t i = 0; i < 2 * MiB; i++)
		if (n[i] != CANARY)
			fail_msg("the neighbour's RAM at +0x%llx was written by the load",
				 (unsigned long long)i);
}

/* [off, off + size) of the cell's RAM all @byte? */
static void assert_ram(uint64_t off, uint64_t size, unsigned char byte, const char *what)
{
	const unsigned char *r = arch_ram_window_ptr(PA_BASE + off);

	for (uint64_t i = 0; i < size; i++)
		if (r[i] != byte)
			fail_msg("%s: RAM +0x%llx is 0x%02x, not 0x%02x", what,
				 (unsigned long long)(off + i), r[i], byte);
}

/* --- tests ----------------------------------------------------------------- */

/* A text_offset that puts the window's last bytes past the boot RAM: refused, nothing spilt. */
static void test_an_image_ending_past_the_boot_ram_is_refused(void **state)
{
	(void)state;
	put_image(RAM_SIZE - IMAGE_BASE - MiB / 2, 0);
	assert_int_equal(cell_load(&cell, NULL, NULL), -E2BIG);
	assert_logged("alpha: kernel: 1024 KiB at offset 0x780000 do not fit in boot RAM");
	assert_neighbour_untouched();
}

/*
 * image_size smaller than the window: only that much is the kernel's, and
 * only that much is copied, so an Image at the end of the boot RAM fits and
 * the window's bytes past it go nowhere.
 */
static void test_only_the_images_own_size_is_copied(void **state)
{
	const uint64_t image = 64 * 1024, off = RAM_SIZE - image;

	(void)state;
	put_image(off - IMAGE_BASE, image);
	assert_int_equal(cell_load(&cell, NULL, NULL), 0);
	assert_int_equal(cell.entry_ipa, PA_BASE + off);
	assert_memory_equal(arch_ram_window_ptr(PA_BASE + off), arch_ram_window_ptr(KERNEL_WIN),
			    image);
	assert_ram(4096, off - 4096, 0, "scrubbed");
	assert_neighbour_untouched();
}

/*
 * An Image whose image_size outgrows its window: the layout check placed the
 * initrd for the window (after it, at 3 MiB), the Image now ends at the end of
 * the boot RAM, and the initrd fits nowhere. The refusal says how large to
 * make the window for the check to see it: text_offset + image_size.
 */
static void test_an_initrd_pushed_out_by_image_size_says_what_window_to_give(void **state)
{
	(void)state;
	cfg.initrd = (struct layout_window){ INITRD_WIN, MiB };
	put_image(0, RAM_SIZE - IMAGE_BASE);
	assert_int_equal(cell_load(&cell, NULL, NULL), -E2BIG);
	assert_logged("alpha: initrd: 1024 KiB fit neither after the kernel (6144 KiB at offset "
		      "0x200000, with the BSS its Image header asks for) nor after the DTB slot: "
		      "give the kernel window at least 6144 KiB (the Image's text_offset + "
		      "image_size) or the cell more boot RAM");
	assert_neighbour_untouched();
}

/* ... text_offset included: the window is counted from where the layout puts the Image. */
static void test_the_window_asked_for_includes_the_text_offset(void **state)
{
	(void)state;
	cfg.initrd = (struct layout_window){ INITRD_WIN, MiB };
	put_image(MiB / 2, RAM_SIZE - IMAGE_BASE - MiB / 2);
	assert_int_equal(cell_load(&cell, NULL, NULL), -E2BIG);
	assert_logged("(5632 KiB at offset 0x280000, with the BSS its Image header asks for) nor "
		      "after the DTB slot: give the kernel window at least 6144 KiB");
}

/*
 * A 5 MiB Image 64 KiB past a 128 KiB boundary: copied in steps of 128 KiB
 * that end at the destination's 128 KiB boundaries (64 KiB first), after
 * the scrub's steps of 2 MiB, each 0.1 ms under -icount. Until 2026-11-25
 * the copy was one piece: 26.6 ms of a Debian Linux Image under -icount,
 * with the reloading CPU's interrupts masked.
 */
static void test_a_loads_steps_scrub_2_mib_and_copy_128_kib_at_most(void **state)
{
	const uint64_t image = 5 * MiB, text_offset = 64 * 1024;
	unsigned int steps = 0;
	int ret;

	(void)state;
	cfg.kernel.win = (struct layout_window){ BIG_WIN, image };
	put_image_at(BIG_WIN, image, text_offset, image);
	cell_load_begin(&cell);
	do {
		step_zeroed = step_cleaned = 0;
		ret = cell_load_step(&cell, NULL, NULL);
		steps++;
		if (step_zeroed > 2 * MiB || step_cleaned > 128 * 1024 ||
		    (step_zeroed && step_cleaned))
			fail_msg("step %u of the load zeroed %llu KiB and copied %llu KiB", steps,
				 (unsigned long long)(step_zeroed >> 10),
				 (unsigned long long)(step_cleaned >> 10));
	} while (ret > 0);
	assert_int_equal(ret, 0);
	/* 4 of the scrub, the placement, 64 KiB and 40 of the kernel, 1 of the tree's copy. */
	assert_int_equal(steps, 4 + 1 + 41 + 1);
	assert_memory_equal(arch_ram_window_ptr(PA_BASE + IMAGE_BASE + text_offset),
			    arch_ram_window_ptr(BIG_WIN), image);
	assert_int_equal(cell.entry_ipa, PA_BASE + IMAGE_BASE + text_offset);
	assert_neighbour_untouched();
}

/*
 * The first boot's load (cell_load()), before any cell runs, has no
 * interrupt to take between two steps: its scrub is one piece per region
 * and its copy one piece, not the reload's 2 MiB and 128 KiB (each step an
 * opening and a close of the window: 0.48 ms of a Linux cell's first boot).
 */
static void test_the_first_loads_scrub_and_copy_are_one_piece_each(void **state)
{
	const uint64_t image = 5 * MiB, text_offset = 64 * 1024;

	(void)state;
	cfg.kernel.win = (struct layout_window){ BIG_WIN, image };
	put_image_at(BIG_WIN, image, text_offset, image);
	zeroings = cleanings = 0;
	assert_int_equal(cell_load(&cell, NULL, NULL), 0);
	if (zeroings != 1 || cleanings != 2) /* the kernel, then the tree's copy */
		fail_msg("the first load zeroed in %u piece(s) and copied in %u", zeroings,
			 cleanings);
	assert_memory_equal(arch_ram_window_ptr(PA_BASE + IMAGE_BASE + text_offset),
			    arch_ram_window_ptr(BIG_WIN), image);
	assert_ram(IMAGE_BASE + text_offset + image, RAM_SIZE - IMAGE_BASE - text_offset - image, 0,
		   "the first load's scrub");
	assert_neighbour_untouched();
}

/* Any other state is a hypervisor bug: nothing is scrubbed or written under a running guest. */
static void test_a_cell_not_loading_is_not_touched(void **state)
{
	static const enum cell_state others[] = { CELL_STOPPED, CELL_RUNNING, CELL_STOPPING };

	(void)state;
	put_image(0, 0);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		cell.state = others[i];
		assert_int_equal(cell_load(&cell, NULL, NULL), -EBUSY);
		assert_ram(0, RAM_SIZE, BEFORE_SCRUB, "a cell not loading");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_an_image_ending_past_the_boot_ram_is_refused, setup),
		cmocka_unit_test_setup(test_only_the_images_own_size_is_copied, setup),
		cmocka_unit_test_setup(
			test_an_initrd_pushed_out_by_image_size_says_what_window_to_give, setup),
		cmocka_unit_test_setup(test_the_window_asked_for_includes_the_text_offset, setup),
		cmocka_unit_test_setup(test_a_cell_not_loading_is_not_touched, setup),
		cmocka_unit_test_setup(test_the_first_loads_scrub_and_copy_are_one_piece_each,
				       setup),
		cmocka_unit_test_setup(test_a_loads_steps_scrub_2_mib_and_copy_128_kib_at_most,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
