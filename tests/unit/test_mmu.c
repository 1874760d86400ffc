// SPDX-License-Identifier: GPL-2.0-only
/*
 * The EL2 map's lock (arch/arm64/mmu.c) when a CPU is lost inside a change
 * of the map: the real map code and page tables on the host, the CPUs
 * played by the test (fake_cpus.c), and a fault taken where
 * the table code asks for TLB maintenance, under the lock. The test
 * includes mmu.c, to start each test from an empty map and a free lock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_cpus.h"
#include "fake_log.h"

#include "../../arch/arm64/mmu.c"

/* Each CPU's cell's RAM, in its own window (a reload, a set/way operation). */
#define RAM_CPU0 0x80000000ULL
#define RAM_CPU1 0x90000000ULL
#define RAM_SIZE 0x200000ULL
#define DEV_BASE 0x09000000ULL
/* Far more waits than any live holder takes here: a taker that spins for ever. */
#define RELAX_LIMIT 100000u

static unsigned int relaxes;
/* The running CPU faults at its next TLB flush (inside a change of the map). */
static bool fault_at_tlb_flush;

/* --- what mmu.c and pgtable.c call ----------------------------------------- */

char _head[1], _etext[1], _erodata[1], _end[1];

void arch_cpu_relax(void)
{
	if (++relaxes > RELAX_LIMIT)
		fail_msg("waited %u times for the EL2 map's lock, which a parked CPU holds",
			 RELAX_LIMIT);
}

void pt_arch_sync_tables(void)
{
}

void pt_arch_tlb_flush(const struct pt *pt, uint64_t va, uint64_t size)
{
	(void)pt;
	(void)va;
	(void)size;
	if (fault_at_tlb_flush) {
		fault_at_tlb_flush = false;
		fake_cpu_fault();
	}
}

/* AT S1E2R: PAR_EL1.F set, nothing translates through the running CPU's own MMU here. */
static uint64_t par_el1;

void host_at_s1e2r(uint64_t va)
{
	(void)va;
	par_el1 = 1;
}

uint64_t host_read_sysreg(const char *name)
{
	if (!strcmp(name, "par_el1"))
		return par_el1;
	if (!strcmp(name, "ttbr0_el2"))
		return 0;
	fail_msg("read of %s", name);
	return 0;
}

void host_write_sysreg(const char *name, uint64_t val)
{
	if (!strcmp(name, "par_el1"))
		par_el1 = val;
	else if (strcmp(name, "ttbr0_el2"))
		fail_msg("write of %s", name);
}

void mmu_enable_this_cpu(void)
{
}

void arch_dcache_clean_inval_range(const void *va, uint64_t size)
{
	(void)va;
	(void)size;
}

void arch_stage2_pool_usage(unsigned int *used, unsigned int *total)
{
	*used = 0;
	*total = 0;
}

uint64_t cpu_stacks_guard(void)
{
	return 0;
}

uint64_t cpu_stacks_private_start(void)
{
	return 0;
}

uint64_t cpu_stacks_private_end(void)
{
	return 0;
}

/* --- helpers ----------------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	fake_log_reset();
	memset(el2_tables, 0, sizeof(el2_tables));
	el2_pool.used = 0;
	memset(&el2_pt, 0, sizeof(el2_pt));
	memset(cpu_pt, 0, sizeof(cpu_pt));
	el2_map_lock = (struct owned_lock)OWNED_LOCK_INIT;
	el2_map_lock_lost_told = false;
	fake_cpus_reset(0);
	relaxes = 0;
	fault_at_tlb_flush = false;
	assert_int_equal(pt_init(&el2_pt, PT_STAGE1_EL2, EL2_VA_BITS, &el2_pool), 0);
	/* The boot: each CPU's window tables for its cell's RAM. */
	assert_int_equal(arch_ram_window_prepare(0, RAM_CPU0, RAM_SIZE), 0);
	assert_int_equal(arch_ram_window_prepare(1, RAM_CPU1, RAM_SIZE), 0);
	return 0;
}

/* Which CPUs' windows map @pa (arch_el2_mappers(), the running CPU's MMU saying none). */
static uint32_t windows_mapping(uint64_t pa)
{
	return arch_el2_mappers(pa);
}

/* CPU 1 opens its window, and faults closing it: it parks holding the map's lock. */
static void cpu1_lost_inside_a_change_of_the_map(void)
{
	fake_cpu = 1;
	assert_int_equal(arch_ram_window_open(RAM_CPU1, RAM_SIZE, true), 0);
	fault_at_tlb_flush = true;
	if (!setjmp(fake_cpu_fault_point))
		arch_ram_window_close(RAM_CPU1, RAM_SIZE);
	fake_cpu = 0;
	assert_true(fake_parked_cpus & (1u << 1));
}

/* --- tests ------------------------------------------------------------------- */

/* What the others rely on: an open window maps, a closed one does not, and only its CPU's. */
static void test_a_window_opens_and_closes_on_its_cpu_alone(void **state)
{
	(void)state;
	assert_int_equal(arch_ram_window_open(RAM_CPU0, RAM_SIZE, true), 0);
	assert_int_equal(windows_mapping(RAM_CPU0), 1u << 0);
	arch_ram_window_close(RAM_CPU0, RAM_SIZE);
	assert_int_equal(windows_mapping(RAM_CPU0), 0);
}

/*
 * CPU 1 was lost inside a change of the map. CPU 0's reload then opens its
 * window: refused at once (-EBUSY: its reload fails, the cell stays
 * stopped), the lost CPU and the change refused said. Until 2026-11-25 it
 * spun on the lock for ever, its interrupts masked.
 */
static void test_an_open_after_a_cpu_lost_inside_a_change_is_refused_at_once(void **state)
{
	(void)state;
	cpu1_lost_inside_a_change_of_the_map();
	assert_int_equal(arch_ram_window_open(RAM_CPU0, RAM_SIZE, true), -EBUSY);
	assert_true(relaxes < 10);
	assert_int_equal(windows_mapping(RAM_CPU0), 0);
	assert_logged("E: mmu: the EL2 map's lock is held by CPU 1, lost inside a change of the "
		      "map: no change is made from now on; the first refused, on CPU 0: "
		      "0x80000000+0x200000 not opened in a window");
	assert_string_equal(arch_el2_map_error(-EBUSY),
			    "the EL2 map's lock is held by a CPU lost inside a change of the map");
}

/* Said once: a guest's set/way operations open a window at every trap. */
static void test_the_lost_lock_is_said_once(void **state)
{
	(void)state;
	cpu1_lost_inside_a_change_of_the_map();
	assert_int_equal(arch_ram_window_open(RAM_CPU0, RAM_SIZE, false), -EBUSY);
	assert_int_equal(arch_ram_window_open(RAM_CPU0, RAM_SIZE, false), -EBUSY);
	assert_int_equal(mmu_map_device(DEV_BASE, 0x1000), -EBUSY);
	assert_int_equal(mmu_unmap(RAM_CPU0, RAM_SIZE), -EBUSY);
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_true(relaxes < 10);
}

/*
 * CPU 0's window was open (a reload under way) when CPU 1 was lost: its
 * close is refused, said each time, and the window, its own cell's memory,
 * stays open. No other CPU's window holds it.
 */
static void test_a_close_after_a_cpu_lost_inside_a_change_leaves_the_window_open(void **state)
{
	(void)state;
	assert_int_equal(arch_ram_window_open(RAM_CPU0, RAM_SIZE, true), 0);
	cpu1_lost_inside_a_change_of_the_map();
	arch_ram_window_close(RAM_CPU0, RAM_SIZE);
	assert_true(relaxes < 10);
	assert_logged("E: mmu: the EL2 map's lock is held by CPU 1, lost inside a change of the "
		      "map: 0x80000000+0x200000 stays open in CPU 0's window");
	assert_int_equal(windows_mapping(RAM_CPU0), 1u << 0);
}

/* The lost CPU itself (its cell's stop runs on it next) does not wait for itself either. */
static void test_the_cpu_lost_holding_the_lock_does_not_wait_for_itself(void **state)
{
	(void)state;
	cpu1_lost_inside_a_change_of_the_map();
	fake_parked_cpus = 0; /* not parked yet */
	fake_cpu = 1;
	assert_int_equal(arch_ram_window_open(RAM_CPU1, RAM_SIZE, false), -EBUSY);
	assert_true(relaxes < 10);
}

/* The fault path's map of the console's UART does not wait, even for a CPU that runs. */
static void test_the_no_wait_map_refuses_a_held_lock(void **state)
{
	(void)state;
	fake_cpu_takes(0, &el2_map_lock); /* CPU 0, running */
	fake_cpu = 1;
	assert_int_equal(mmu_map_device_nowait(DEV_BASE, 0x1000), -EBUSY);
	assert_int_equal(relaxes, 0);
	fake_cpu = 0;
	owned_lock_release(&el2_map_lock);
	assert_int_equal(mmu_map_device_nowait(DEV_BASE, 0x1000), 0);
}

/*
 * A cell's 1 GiB region at a 1 GiB boundary, its reloading CPU's window
 * prepared at boot, then a reload's 2 MiB steps (cell_load.c): no step
 * takes a table from the pool. Until 2026-11-25 the preparation mapped a
 * 1 GiB block and each CPU's first reload took a level-2 table per GiB at
 * run time, not counted at boot.
 */
static void test_a_reloads_2_mib_steps_take_no_table_after_the_preparation(void **state)
{
	unsigned int before, after;

	(void)state;
	fake_cpu = 0;
	assert_int_equal(arch_ram_window_prepare(2, 0x40000000ULL, 0x40000000ULL), 0);
	before = el2_pool.used;
	fake_cpu = 2;
	for (uint64_t off = 0; off < 0x40000000ULL; off += 0x200000ULL) {
		assert_int_equal(arch_ram_window_open(0x40000000ULL + off, 0x200000ULL, true), 0);
		arch_ram_window_close(0x40000000ULL + off, 0x200000ULL);
	}
	after = el2_pool.used;
	fake_cpu = 0;
	if (after != before)
		fail_msg("the reload's steps took %u table(s) after the preparation's %u",
			 after - before, before);
}

/*
 * Open [pa, pa + size) of the prepared [rpa, rpa + rsize) on CPU 2 as a
 * set/way trap or a reload step does (widened by arch_ram_window_blocks()):
 * every page of it mapped in CPU 2's window while open, none after, and no
 * table taken from the pool.
 */
static void open_blocks_on_cpu2(uint64_t rpa, uint64_t rsize, uint64_t pa, uint64_t size)
{
	unsigned int before = el2_pool.used;
	uint64_t at;

	arch_ram_window_blocks(rpa, rsize, &pa, &size);
	assert_true(pa >= rpa && pa + size <= rpa + rsize);
	fake_cpu = 2;
	assert_int_equal(arch_ram_window_open(pa, size, false), 0);
	for (at = pa; at < pa + size; at += PT_PAGE_SIZE)
		if (windows_mapping(at) != 1u << 2)
			fail_msg("0x%lx of the opened 0x%lx+0x%lx is not in CPU 2's window alone",
				 (unsigned long)at, (unsigned long)pa, (unsigned long)size);
	arch_ram_window_close(pa, size);
	assert_int_equal(windows_mapping(pa), 0);
	assert_int_equal(windows_mapping(pa + size - 1), 0);
	fake_cpu = 0;
	if (el2_pool.used != before)
		fail_msg("opening 0x%lx+0x%lx took %u table(s) after the preparation",
			 (unsigned long)pa, (unsigned long)size, el2_pool.used - before);
}

/*
 * A set/way trap opens only the blocks its lines lie in, clipped to the
 * region (sysreg_trap.c): any such part of a region prepared at boot,
 * 1 GiB-aligned or starting and ending inside a block, opens with the
 * tables the preparation built. A part that started or ended inside a
 * block of the region's middle would need a level-3 table from the pool.
 */
static void test_any_blocks_of_a_prepared_region_open_without_a_table(void **state)
{
	static const struct {
		uint64_t pa, size;
	} regions[] = {
		{ 0x40000000ULL, 0x40000000ULL },	      /* 1 GiB at a 1 GiB boundary */
		{ 0xc0001000ULL, 0x40000000ULL - 0x3000ULL }, /* inside a block at either end */
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		uint64_t rpa = regions[i].pa, rsize = regions[i].size, end = rpa + rsize;

		fake_cpu = 0;
		assert_int_equal(arch_ram_window_prepare(2, rpa, rsize), 0);
		/* A trap's 2 048 lines 8 KiB apart: 16 MiB, at the start, the middle, the end. */
		open_blocks_on_cpu2(rpa, rsize, rpa, 0xffe001);
		open_blocks_on_cpu2(rpa, rsize, rpa + 0x12345040ULL, 0xffe001);
		open_blocks_on_cpu2(rpa, rsize, end - 0xffe001, 0xffe001);
		/* One line at either end, one in the middle of a block. */
		open_blocks_on_cpu2(rpa, rsize, rpa, 1);
		open_blocks_on_cpu2(rpa, rsize, end - 1, 1);
		open_blocks_on_cpu2(rpa, rsize, rpa + 0x20100040ULL, 1);
	}
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_a_window_opens_and_closes_on_its_cpu_alone),
		T(test_an_open_after_a_cpu_lost_inside_a_change_is_refused_at_once),
		T(test_the_lost_lock_is_said_once),
		T(test_a_close_after_a_cpu_lost_inside_a_change_leaves_the_window_open),
		T(test_the_cpu_lost_holding_the_lock_does_not_wait_for_itself),
		T(test_the_no_wait_map_refuses_a_held_lock),
		T(test_a_reloads_2_mib_steps_take_no_table_after_the_preparation),
		T(test_any_blocks_of_a_prepared_region_open_without_a_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
