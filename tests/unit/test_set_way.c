// SPDX-License-Identifier: GPL-2.0-only
/*
 * Set/way cache maintenance as arch/arm64/set_way.c emulates it: which of
 * the cell's lines a DC CISW names, and how many one trap cleans. The
 * cleaning itself is this file's set_way_arch_clean(), which counts lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "set_way.h"

#define MiB (1ULL << 20)

/* QEMU's Cortex-A53 L1 D-cache: 32 KiB, 4 ways of 128 sets of 64-byte lines (8 KiB a way). */
static const struct cache_geometry l1 = { .line_shift = 6, .sets = 128, .ways = 4 };

static struct {
	uint64_t lines; /* every line set_way_arch_clean() was asked for */
	uint64_t calls;
	uint64_t most;	 /* the most lines of one call */
	uint64_t widest; /* the most bytes from a call's first line to its last */
	uint8_t *seen;	 /* per line of [base, base + size), if set */
	uint64_t base, size, line;
	uint64_t way_size, offset; /* if way_size: every line is offset modulo it */
} fake;

void set_way_arch_clean(struct vcpu *vcpu, const struct layout_region *r, uint64_t pa,
			uint64_t stride, uint64_t n)
{
	uint64_t i;

	(void)vcpu;
	assert_true(n > 0 && pa >= r->pa && pa + (n - 1) * stride < r->pa + r->size);
	fake.lines += n;
	fake.calls++;
	if (n > fake.most)
		fake.most = n;
	if ((n - 1) * stride > fake.widest)
		fake.widest = (n - 1) * stride;
	for (i = 0; i < n; i++) {
		uint64_t a = pa + i * stride;

		if (fake.way_size && a % fake.way_size != fake.offset)
			fail_msg("line at 0x%llx is not in the set", (unsigned long long)a);
		if (!fake.seen)
			continue;
		assert_true(a >= fake.base && a < fake.base + fake.size);
		fake.seen[(a - fake.base) / fake.line]++;
	}
}

static int fake_reset(void **state)
{
	(void)state;
	free(fake.seen);
	memset(&fake, 0, sizeof(fake));
	return 0;
}

static uint64_t operand(const struct cache_geometry *g, unsigned int level, uint64_t set,
			uint64_t way)
{
	unsigned int a = 0;

	while ((1ULL << a) < g->ways)
		a++;
	return (a ? way << (32 - a) : 0) | set << g->line_shift | (uint64_t)level << 1;
}

/* The guest's operation at @elr run to completion, as its re-executions would; traps taken. */
static unsigned int run(struct set_way_progress *p, const struct layout_region *mem, int nr,
			const struct cache_geometry *g, uint64_t elr, uint64_t op)
{
	unsigned int traps = 1;

	while (!set_way_run(NULL, p, mem, nr, g, elr, op)) {
		traps++;
		assert_true(traps < 1000000);
	}
	return traps;
}

/*
 * Every way of a set holds lines of the same addresses: DC CISW of ways 0-3
 * of one set cleans the cell's lines of that set once (RAM / way size), not
 * four times.
 */
static void test_the_ways_of_a_set_clean_its_lines_once(void **state)
{
	const struct layout_region mem[] = {
		{ .ipa = 0x40000000, .pa = 0x80000000, .size = 64 * MiB }
	};
	struct set_way_progress p = { 0 };
	uint64_t way;

	(void)state;
	fake.way_size = 8 * 1024;
	fake.offset = 5 * 64;
	for (way = 0; way < l1.ways; way++)
		run(&p, mem, 1, &l1, 0x1000 + 4 * way, operand(&l1, 0, 5, way));
	assert_int_equal(fake.lines, 64 * MiB / (8 * 1024));
}

/* A set of a 512 MiB cell has 65 536 lines in L1: one trap cleans the bound, the rest follow. */
static void test_one_trap_cleans_at_most_the_bound(void **state)
{
	const struct layout_region mem[] = {
		{ .ipa = 0x40000000, .pa = 0x80000000, .size = 512 * MiB }
	};
	struct set_way_progress p = { 0 };
	bool done;

	(void)state;
	done = set_way_run(NULL, &p, mem, 1, &l1, 0x1000, operand(&l1, 0, 7, 0));
	assert_false(done);
	assert_int_equal(fake.lines, SET_WAY_LINES_PER_TRAP);
	assert_int_equal(run(&p, mem, 1, &l1, 0x1000, operand(&l1, 0, 7, 0)),
			 512 * MiB / (8 * 1024) / SET_WAY_LINES_PER_TRAP - 1);
	assert_int_equal(fake.lines, 512 * MiB / (8 * 1024));
	assert_int_equal(fake.most, SET_WAY_LINES_PER_TRAP);
}

/*
 * A trap's lines span at most SET_WAY_SPAN_PER_TRAP of the cell's RAM,
 * whatever the way size: what it opens in its CPU's window under the EL2
 * map's lock (sysreg_trap.c) stays small. Until 2026-11-25 only the number
 * of lines was bounded: 2 048 lines of a 2 MiB 16-way L2's 128 KiB ways
 * span 256 MiB, of a 64 MiB 16-way cache's 4 MiB ways all of a 1 GiB cell.
 */
static void test_a_traps_lines_span_at_most_the_bound_whatever_the_way_size(void **state)
{
	static const struct cache_geometry caches[] = {
		{ .line_shift = 6, .sets = 2048, .ways = 16 },	 /* 128 KiB ways */
		{ .line_shift = 6, .sets = 65536, .ways = 16 },	 /* 4 MiB ways */
		{ .line_shift = 6, .sets = 1 << 20, .ways = 2 }, /* 64 MiB ways */
	};
	const struct layout_region mem[] = {
		{ .ipa = 0x40000000, .pa = 0x80000000, .size = 1024 * MiB }
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(caches) / sizeof(caches[0]); i++) {
		struct set_way_progress p = { 0 };
		uint64_t way_size = caches[i].sets << caches[i].line_shift;

		fake_reset(NULL);
		run(&p, mem, 1, &caches[i], 0x1000, operand(&caches[i], 1, 3, 0));
		assert_int_equal(fake.lines, 1024 * MiB / way_size);
		if (fake.widest >= SET_WAY_SPAN_PER_TRAP)
			fail_msg("a trap's lines %llu KiB apart spanned %llu MiB",
				 (unsigned long long)(way_size >> 10),
				 (unsigned long long)(fake.widest >> 20));
	}
}

/*
 * A full sweep, every set and way as firmware does it, over two regions
 * neither of which starts on a way boundary, on a cache whose number of
 * sets is not a power of 2: each line of the cell's RAM cleaned exactly
 * once, nothing outside it.
 */
static void test_a_full_sweep_cleans_every_line_once(void **state)
{
	const struct cache_geometry g = { .line_shift = 6, .sets = 96, .ways = 3 };
	const struct layout_region mem[] = {
		{ .ipa = 0x40000000, .pa = 0x80001040, .size = 1 * MiB - 0x1040 },
		{ .ipa = 0x48000000, .pa = 0x80100000, .size = 2 * MiB + 0x2000 },
	};
	struct set_way_progress p = { 0 };
	uint64_t set, way, i;

	(void)state;
	fake.base = 0x80001040;
	fake.size = 3 * MiB + 0x2000 - 0x1040;
	fake.line = 64;
	fake.seen = calloc(fake.size / fake.line, 1);
	assert_non_null(fake.seen);
	for (way = 0; way < g.ways; way++)
		for (set = 0; set < g.sets; set++)
			run(&p, mem, 2, &g, 0x2000, operand(&g, 1, set, way));
	for (i = 0; i < fake.size / fake.line; i++)
		if (fake.seen[i] != 1)
			fail_msg("line at 0x%llx cleaned %u times, want once",
				 (unsigned long long)(fake.base + i * fake.line), fake.seen[i]);
}

/*
 * A set's lines are those at its offset modulo the way size, also when the
 * way size (96 sets of 64 bytes) is not a power of 2.
 */
static void test_a_set_is_its_offset_modulo_the_way_size(void **state)
{
	const struct cache_geometry g = { .line_shift = 6, .sets = 96, .ways = 3 };
	const struct layout_region mem[] = {
		{ .ipa = 0x40000000, .pa = 0x80001040, .size = 4 * MiB }
	};
	struct set_way_progress p = { 0 };

	(void)state;
	fake.way_size = 96 * 64;
	fake.offset = 17 * 64;
	run(&p, mem, 1, &g, 0x1000, operand(&g, 0, 17, 0));
	/* From 0x80001040 (64 past a way boundary): at +1024, then every 6144 bytes below 4 MiB. */
	assert_int_equal(fake.lines, (4 * MiB - 1024 + 96 * 64 - 1) / (96 * 64));
}

/* Another operation in between (another PC or operand) starts over; the first one too. */
static void test_another_operation_does_not_continue_the_last(void **state)
{
	const struct layout_region mem[] = {
		{ .ipa = 0x40000000, .pa = 0x80000000, .size = 512 * MiB }
	};
	const uint64_t per_set = 512 * MiB / (8 * 1024);
	struct set_way_progress p = { 0 };

	(void)state;
	assert_false(set_way_run(NULL, &p, mem, 1, &l1, 0x1000, operand(&l1, 0, 7, 0)));
	run(&p, mem, 1, &l1, 0x3000, operand(&l1, 0, 7, 0));
	run(&p, mem, 1, &l1, 0x1000, operand(&l1, 0, 7, 0));
	assert_int_equal(fake.lines, SET_WAY_LINES_PER_TRAP + 2 * per_set);
}

/* A restart of the vCPU forgets the last run's operation (set_way_reset() in vcpu.c). */
static void test_a_reset_starts_the_same_operation_over(void **state)
{
	const struct layout_region mem[] = {
		{ .ipa = 0x40000000, .pa = 0x80000000, .size = 512 * MiB }
	};
	struct set_way_progress p = { 0 };

	(void)state;
	assert_false(set_way_run(NULL, &p, mem, 1, &l1, 0x1000, operand(&l1, 0, 7, 0)));
	set_way_reset(&p);
	run(&p, mem, 1, &l1, 0x1000, operand(&l1, 0, 7, 0));
	assert_int_equal(fake.lines, SET_WAY_LINES_PER_TRAP + 512 * MiB / (8 * 1024));
}

/* A set or way the cache does not have: nothing cleaned, the operation complete. */
static void test_a_set_or_way_the_cache_lacks_does_nothing(void **state)
{
	const struct cache_geometry g = { .line_shift = 6, .sets = 96, .ways = 3 };
	const struct layout_region mem[] = {
		{ .ipa = 0x40000000, .pa = 0x80000000, .size = 64 * MiB }
	};
	struct set_way_progress p = { 0 };

	(void)state;
	assert_true(set_way_run(NULL, &p, mem, 1, &g, 0x1000, operand(&g, 0, 100, 0)));
	/* The first past the last: set 96 of 0-95, which its 7-bit field can name. */
	assert_true(set_way_run(NULL, &p, mem, 1, &g, 0x1000, operand(&g, 0, 96, 0)));
	assert_true(set_way_run(NULL, &p, mem, 1, &g, 0x1000, operand(&g, 0, 3, 3)));
	assert_int_equal(fake.lines, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_the_ways_of_a_set_clean_its_lines_once, fake_reset),
		cmocka_unit_test_teardown(test_one_trap_cleans_at_most_the_bound, fake_reset),
		cmocka_unit_test_teardown(
			test_a_traps_lines_span_at_most_the_bound_whatever_the_way_size,
			fake_reset),
		cmocka_unit_test_teardown(test_a_full_sweep_cleans_every_line_once, fake_reset),
		cmocka_unit_test_teardown(test_a_set_is_its_offset_modulo_the_way_size, fake_reset),
		cmocka_unit_test_teardown(test_another_operation_does_not_continue_the_last,
					  fake_reset),
		cmocka_unit_test_teardown(test_a_reset_starts_the_same_operation_over, fake_reset),
		cmocka_unit_test_teardown(test_a_set_or_way_the_cache_lacks_does_nothing,
					  fake_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
