// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of how the vGIC model finds a cell's SPIs (gic/vgic.c: by
 * halves in the sorted spis[], gic/vgic_bank.c: a register word's SPIs in
 * one walk), against a look at every entry, over random layouts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "fake_log.h"
#include "../../gic/vgic_model.h" /* vgic_spi(), vgic_spi_search(), vgic_spi_from() */
#include "vgic_test.h"

/* Never reached: every lock in these single-threaded tests is free. */
void arch_cpu_relax(void)
{
}

static struct vgic_cell v;

/* xorshift32: the same SPI sets (and written values) every run. */
static uint32_t next_rand(void)
{
	static uint32_t x = 1;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

/*
 * @n distinct SPI INTIDs, unsorted, in @out: spread over 32-1019, or packed
 * near a random base (several per register word) when @dense.
 */
static void random_spis(uint32_t *out, unsigned int n, bool dense)
{
	uint32_t base = dense ? 32 + next_rand() % 800 : 32;
	uint32_t span = dense ? 2 * n + 1 : VGIC_MAX_INTID + 1 - 32, intid;
	unsigned int got = 0, i;

	while (got < n) {
		intid = base + next_rand() % span;
		for (i = 0; i < got && out[i] != intid; i++)
			;
		if (i == got)
			out[got++] = intid;
	}
}

/* A random layout's SPIs, @round picking how many, how packed, and the GIC. */
static void random_cell(unsigned int round)
{
	uint32_t spis[VGIC_MAX_SPIS];
	unsigned int n = round % (VGIC_MAX_SPIS + 1);

	random_spis(spis, n, round & 1);
	assert_int_equal(vgic_init(&v, round & 2 ? 2 : 3, 3, spis, n, "linux"), 0);
}

/* The reference: the owned SPI @intid by a search of every entry, or NULL. */
static const struct vgic_irq *linear_spi(uint32_t intid)
{
	for (unsigned int i = 0; i < v.nr_spis; i++)
		if (v.spis[i].intid == intid)
			return &v.spis[i];
	return NULL;
}

static unsigned int linear_spi_from(uint32_t intid)
{
	unsigned int i = 0;

	while (i < v.nr_spis && v.spis[i].intid < intid)
		i++;
	return i;
}

/* vgic_spi() searches spis[] by halves: it must find what a look at every entry finds. */
static void test_spi_lookup_agrees_with_a_linear_search(void **state)
{
	unsigned int round, i;
	uint32_t intid;
	(void)state;

	for (round = 0; round < 4 * (VGIC_MAX_SPIS + 1); round++) {
		random_cell(round);
		for (i = 1; i < v.nr_spis; i++)
			assert_true(v.spis[i - 1].intid < v.spis[i].intid);
		for (intid = 0; intid <= VGIC_MAX_INTID + 8; intid++) {
			assert_ptr_equal(vgic_spi(&v, intid), linear_spi(intid));
			assert_ptr_equal(vgic_spi_search(&v, intid), linear_spi(intid));
			assert_int_equal(vgic_spi_from(&v, intid), linear_spi_from(intid));
		}
		assert_null(vgic_spi(&v, UINT32_MAX));
		assert_null(vgic_spi_search(&v, UINT32_MAX));
	}
}

/* The bits the SPIs the cell owns have in 1-bit bank word @word. */
static uint32_t owned_bits(unsigned int word)
{
	uint32_t mask = 0;

	for (unsigned int i = 0; i < v.nr_spis; i++)
		if (v.spis[i].intid / 32 == word)
			mask |= BIT_OF(v.spis[i].intid);
	return mask;
}

/* @val's fields of @bits each, for INTIDs @intid0 on, kept for the owned SPIs only. */
static uint32_t owned_fields(uint32_t intid0, unsigned int bits, uint32_t val)
{
	uint32_t field = (1u << bits) - 1, out = 0;

	for (unsigned int i = 0; i < 32 / bits; i++)
		if (linear_spi(intid0 + i))
			out |= val & field << (i * bits);
	return out;
}

/*
 * A register word names up to 32 INTIDs, walked upwards from one search:
 * every owned SPI of every bank word is reached, and nothing else.
 */
static void test_every_bank_word_reaches_each_owned_spi(void **state)
{
	unsigned int round, w;
	uint32_t intid;
	(void)state;

	for (round = 0; round < 2 * (VGIC_MAX_SPIS + 1); round++) {
		random_cell(round);
		for (w = 1; w < 32; w++) {
			DWR(&v, GICD_ISENABLER + 4 * w, ~0u);
			assert_int_equal(vt_drd(&v, 0, GICD_ISENABLER + 4 * w), owned_bits(w));
			DWR(&v, GICD_ISPENDR + 4 * w, ~0u);
			assert_int_equal(vt_drd(&v, 0, GICD_ICPENDR + 4 * w), owned_bits(w));
			DWR(&v, GICD_ICENABLER + 4 * w, ~0u);
			assert_int_equal(vt_drd(&v, 0, GICD_ISENABLER + 4 * w), 0);
		}
		for (intid = 32; intid <= VGIC_MAX_INTID; intid += 4) {
			DWR(&v, GICD_IPRIORITYR + intid, 0xf8f0e8e0);
			assert_int_equal(vt_drd(&v, 0, GICD_IPRIORITYR + intid),
					 owned_fields(intid, 8, 0xf8f0e8e0));
		}
		for (intid = 32; intid <= VGIC_MAX_INTID; intid += 16) {
			DWR(&v, GICD_ICFGR + intid / 4, 0xaaaaaaaa);
			assert_int_equal(vt_drd(&v, 0, GICD_ICFGR + intid / 4),
					 owned_fields(intid, 2, 0xaaaaaaaa));
		}
	}
}

/*
 * What a write names that the cell does not own is counted, INTID by INTID,
 * by one rule (gic/vgic_dist.c's header): a configuration field (group,
 * priority, trigger, v2 targets) always, a set or clear bit only when set.
 * The walk visits the owned ones only: the foreign ones are what is left.
 */
static uint64_t foreign_named(uint32_t intid0, unsigned int bits, uint32_t val, bool config)
{
	uint32_t field = (1u << bits) - 1;
	uint64_t n = 0;

	for (unsigned int i = 0; i < 32 / bits; i++) {
		uint32_t intid = intid0 + i;

		if (intid < 32 || intid > VGIC_MAX_INTID || linear_spi(intid))
			continue;
		if (config || (val >> (i * bits) & field))
			n++;
	}
	return n;
}

static void check_counted(uint32_t off, uint32_t intid0, unsigned int bits, bool config)
{
	uint32_t val = next_rand();
	uint64_t before = v.foreign.accesses;

	DWR(&v, off, val);
	if (v.foreign.accesses - before != foreign_named(intid0, bits, val, config))
		fail_msg("GICv%d, %u SPIs: write 0x%08x at 0x%x counted %lu foreign INTIDs, the "
			 "rule %lu",
			 v.version, v.nr_spis, val, off,
			 (unsigned long)(v.foreign.accesses - before),
			 (unsigned long)foreign_named(intid0, bits, val, config));
}

static void test_every_foreign_intid_a_write_names_is_counted(void **state)
{
	static const uint32_t bit_banks[] = { GICD_IGROUPR,  GICD_ISENABLER, GICD_ICENABLER,
					      GICD_ISPENDR,  GICD_ICPENDR,   GICD_ISACTIVER,
					      GICD_ICACTIVER };
	unsigned int round, b, w;
	uint32_t intid;
	(void)state;

	for (round = 0; round < 2 * (VGIC_MAX_SPIS + 1); round++) {
		random_cell(round);
		for (b = 0; b < sizeof(bit_banks) / sizeof(bit_banks[0]); b++)
			for (w = 0; w < 32; w++)
				check_counted(bit_banks[b] + 4 * w, 32 * w, 1, b == 0);
		for (intid = 0; intid <= VGIC_MAX_INTID; intid += 4) {
			check_counted(GICD_IPRIORITYR + intid, intid, 8, true);
			if (v.version == 2)
				check_counted(GICD_ITARGETSR + intid, intid, 8, true);
		}
		for (intid = 0; intid <= VGIC_MAX_INTID; intid += 16)
			check_counted(GICD_ICFGR + intid / 4, intid, 2, true);
	}
}

/* GICv2's distributor banks the private INTIDs too: each of the writer's is reached. */
static void test_v2_bank_words_reach_the_private_intids(void **state)
{
	uint32_t intid;
	(void)state;

	random_cell(2); /* GICv2, 2 SPIs packed */
	for (intid = 0; intid < 32; intid += 4) {
		DWR(&v, GICD_IPRIORITYR + intid, 0xf8f0e8e0);
		assert_int_equal(vt_drd(&v, 0, GICD_IPRIORITYR + intid), 0xf8f0e8e0);
		assert_int_equal(vt_drd(&v, 1, GICD_IPRIORITYR + intid), 0);
	}
	DWR(&v, GICD_ISENABLER, ~0u);
	assert_int_equal(vt_drd(&v, 0, GICD_ISENABLER), ~0u);
	assert_int_equal(vt_drd(&v, 1, GICD_ISENABLER), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spi_lookup_agrees_with_a_linear_search),
		cmocka_unit_test(test_every_bank_word_reaches_each_owned_spi),
		cmocka_unit_test(test_every_foreign_intid_a_write_names_is_counted),
		cmocka_unit_test(test_v2_bank_words_reach_the_private_intids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
