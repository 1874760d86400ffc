// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGIC's register frames (gic/vgic_dist.c, gic/vgic_redist.c) at the
 * edge of each of their rules, where an off-by-one would let a guest's access
 * through that the architecture refuses, or refuse one it allows: the access
 * sizes each range takes, GICD_TYPER for any number of SPIs and vCPUs,
 * IROUTER<n> at the ends of the SPIs' range and of the cell's vCPUs, GICv2's
 * SGI pending registers at SGI 15, and which INTIDs a write routes or
 * configures (what the hardware side re-routes and direct mode writes
 * through). test_vgic_regs.c has each register's behaviour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "fake_log.h"
#include "vgic_test.h"

/* Never reached: every lock in these single-threaded tests is free. */
void arch_cpu_relax(void)
{
}

static struct vgic_cell v;
static const uint32_t cell_spis[] = { 33, 48, 79 };

static int setup_v3(void **state)
{
	(void)state;
	fake_log_reset();
	memset(&v, 0, sizeof(v));
	return vgic_init(&v, 3, 3, cell_spis, 3, "linux");
}

static int setup_v2(void **state)
{
	(void)state;
	fake_log_reset();
	memset(&v, 0, sizeof(v));
	return vgic_init(&v, 2, 3, cell_spis, 3, "linux");
}

struct sized {
	uint32_t off;
	unsigned int size;
	bool ok;
};

/* Each access, a read from vCPU 0, is served (reading 0) or refused as @sized says. */
static void assert_dist_sizes(const struct sized *a, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		uint64_t val = ~0ULL;
		int ret = vt_dist(&v, 0, a[i].off, a[i].size, false, &val);

		if (ret != (a[i].ok ? 0 : -EINVAL))
			fail_msg("GICv%d: %u bytes at GICD + 0x%04x: %d, want %s", v.version,
				 a[i].size, a[i].off, ret, a[i].ok ? "served" : "-EINVAL");
		if (ret == 0)
			assert_int_equal(val, 0);
	}
}

/*
 * The distributor's rules at their edges: the registers below the banks,
 * GICD_SGIR and the ID registers are words; the banks (0x80-0xd7f) take
 * their registers' sizes; IROUTER<n> (v3) a doubleword or a word; GICv2's
 * SGI pending registers (0xf10-0xf2f) a byte or a word; GICv2's ID
 * registers (0xfd0-0xfff) words; a reserved offset between any size.
 */
static void test_gicd_access_sizes_at_the_edges_of_each_rule_v3(void **state)
{
	static const struct sized a[] = {
		{ 0x7c, 1, false },	    { 0x7f, 1, false },		{ 0x80, 1, false },
		{ 0xd7f, 1, false },	    { 0xd80, 1, true },		{ 0xf00, 1, false },
		{ 0xf10, 2, true },	    { 0xfd0, 1, true },		{ 0x5fff, 1, true },
		{ GICD_IROUTER, 1, false }, { GICD_IROUTER, 2, false }, { 0x7fff, 1, false },
		{ 0x8000, 1, true },	    { 0xffcf, 1, true },	{ 0xffd0, 1, false },
		{ 0xd80, 3, false },	    { 0x3ff, 1, false }, /* ICACTIVER's last byte */
		{ 0x400, 1, true },
	};

	(void)state;
	assert_dist_sizes(a, sizeof(a) / sizeof(a[0]));
}

static void test_gicd_access_sizes_at_the_edges_of_each_rule_v2(void **state)
{
	static const struct sized a[] = {
		{ 0xf00, 1, false }, { 0xf0e, 2, true },  { 0xf10, 2, false },
		{ 0xf10, 1, true },  { 0xf2e, 2, false }, { 0xf2f, 1, true },
		{ 0xf30, 2, true },  { 0xfcf, 1, true },  { 0xfd0, 1, false },
		{ 0xfff, 1, false }, { 0x1000, 1, true }, { GICD_IROUTER, 1, true },
	};

	(void)state;
	assert_dist_sizes(a, sizeof(a) / sizeof(a[0]));
}

/*
 * GICD_TYPER: ITLinesNumber covers the cell's highest SPI, none for a cell
 * without SPIs (0) or with as many as a cell may own; CPUNumber counts the
 * vCPUs, 8 at most (the field's limit).
 */
static void test_gicd_typer_for_any_number_of_spis_and_vcpus(void **state)
{
	static const struct {
		unsigned int nr_vcpus, nr_spis;
		uint32_t itlines, cpunumber;
	} cells[] = {
		{ 1, 0, 0, 0 },
		{ 7, 1, 1, 6 },
		{ 8, 2, 1, 7 },
		{ 9, 3, 1, 7 },
		{ 16, VGIC_MAX_SPIS, 2, 7 },
	};
	uint32_t spis[VGIC_MAX_SPIS];

	(void)state;
	for (unsigned int i = 0; i < VGIC_MAX_SPIS; i++)
		spis[i] = 32 + i; /* the last, 79, in ITLinesNumber 2 */
	for (unsigned int i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		uint32_t typer;

		memset(&v, 0, sizeof(v));
		assert_int_equal(vgic_init(&v, 3, cells[i].nr_vcpus, spis, cells[i].nr_spis, "c"),
				 0);
		typer = vt_drd(&v, 0, GICD_TYPER);
		if ((typer & 0x1f) != cells[i].itlines || (typer >> 5 & 7) != cells[i].cpunumber)
			fail_msg("%u vCPUs, %u SPIs: GICD_TYPER 0x%08x", cells[i].nr_vcpus,
				 cells[i].nr_spis, typer);
	}
}

/*
 * IROUTER<n> routes SPI n of the cell's, from SPI 32 on: IROUTER31 is
 * reserved (RAZ/WI, no PPI's route), a write of one not the cell's, n from
 * 32 to 1019, is counted as a foreign access, and Aff0 past the cell's last
 * vCPU routes it to none; the route it has already kicks no vCPU.
 */
static void test_irouter_at_the_ends_of_the_spis_and_of_the_vcpus(void **state)
{
	static const struct {
		uint32_t intid;
		bool counted;
	} foreign[] = {
		{ 31, false }, { 32, true }, { 1019, true }, { 1020, false }, { 1023, false }
	};
	static const uint32_t spi32[] = { 32, 48 };
	uint64_t val;

	(void)state;
	for (unsigned int i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		uint64_t before = v.foreign.accesses;

		val = 1;
		assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * foreign[i].intid, 8, true, &val) >=
			    0);
		if ((v.foreign.accesses != before) != foreign[i].counted)
			fail_msg("a write of IROUTER%u %s", foreign[i].intid,
				 foreign[i].counted ? "not counted" : "counted");
		assert_int_equal(
			vt_dist(&v, 0, GICD_IROUTER + 8 * foreign[i].intid, 8, false, &val), 0);
		assert_int_equal(val, 0);
	}
	assert_int_equal(vgic_irq(&v, 0, 31)->irouter, 0);

	/* GICv3 has no ITARGETSR: its range, to its last byte, is no INTID's (none foreign). */
	val = 0xff;
	assert_int_equal(vt_dist(&v, 0, GICD_ICFGR - 1, 1, true, &val), 0);
	assert_int_equal(vt_dist(&v, 0, GICD_ICFGR - 4, 4, true, &val), 0);
	assert_int_equal(v.foreign.accesses, 2); /* IROUTER32 and IROUTER1019 above */

	val = 3; /* Aff0 3: the cell has vCPUs 0-2 */
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, true, &val) >= 0);
	assert_int_equal(vgic_irq(&v, 0, 48)->target_vcpu, VGIC_NO_TARGET);
	val = 2;
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, true, &val) >= 0);
	assert_int_equal(vgic_irq(&v, 0, 48)->target_vcpu, 2);
	vgic_set_level(&v, 0, 48, true); /* pending: a move would kick both targets */
	val = 2;			 /* ... but the same route moves nothing */
	assert_int_equal(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, true, &val), 0);

	memset(&v, 0, sizeof(v));
	assert_int_equal(vgic_init(&v, 3, 3, spi32, 2, "linux"), 0);
	val = 1;
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 32, 8, true, &val) >= 0);
	assert_int_equal(vgic_irq(&v, 0, 32)->target_vcpu, 1);
	assert_int_equal(v.foreign.accesses, 0);
}

/*
 * INTID 31, the last PPI, and INTID 32, the first SPI, either side of the
 * private range: GICv2's ITARGETSR byte of the PPI reads the reader's own bit
 * and ignores writes; the SPI's reads and takes its targets, and GICD_ICFGR
 * makes it edge-triggered (on either GIC version); GICv3's redistributor
 * serves the PPI's priority byte.
 */
static void test_intid_31_is_private_and_32_the_first_spi(void **state)
{
	static const uint32_t spi32[] = { 32, 48 };
	uint64_t val;

	(void)state;
	for (int version = 2; version <= 3; version++) {
		memset(&v, 0, sizeof(v));
		assert_int_equal(vgic_init(&v, version, 3, spi32, 2, "linux"), 0);
		DWR(&v, GICD_ICFGR + 8, 2u); /* INTID 32's field: edge */
		assert_int_equal(vgic_irq(&v, 0, 32)->trigger, VGIC_EDGE);
		assert_int_equal(vt_drd(&v, 0, GICD_ICFGR + 8), 2u);
	}
	/* PPI 31's priority byte, in its redistributor (the walk's private part ends there). */
	val = 0x80;
	assert_int_equal(vt_redist(&v, 0, GICR_SGI + GICD_IPRIORITYR + 31, 1, true, &val), 0);
	assert_int_equal(vgic_irq(&v, 0, 31)->priority, 0x80);
	assert_int_equal(vt_redist(&v, 0, GICR_SGI + GICD_IPRIORITYR + 28, 4, false, &val), 0);
	assert_int_equal(val, 0x80000000u);
	/* ITARGETSR: GICv2 only. */
	memset(&v, 0, sizeof(v));
	assert_int_equal(vgic_init(&v, 2, 3, spi32, 2, "linux"), 0);
	assert_int_equal(vt_drd(&v, 2, GICD_ITARGETSR + 28), 0x04040404);
	val = 0x2;
	assert_int_equal(vt_dist(&v, 0, GICD_ITARGETSR + 31, 1, true, &val), 0);
	assert_int_equal(vt_drd(&v, 2, GICD_ITARGETSR + 28), 0x04040404);
	val = 0x4;
	assert_true(vt_dist(&v, 0, GICD_ITARGETSR + 32, 1, true, &val) >= 0);
	assert_int_equal(vgic_irq(&v, 0, 32)->target_vcpu, 2);
	assert_int_equal(vt_drd(&v, 0, GICD_ITARGETSR + 32), 0x04);
	assert_int_equal(vt_drd(&v, 1, GICD_ITARGETSR + 32), 0x04);
}

/*
 * GICv2's GICD_SPENDSGIR and GICD_CPENDSGIR reach SGI 15 (their last byte)
 * and no further, a byte access touches that SGI's byte alone, and a write
 * kicks the vCPU only when it changed a source.
 */
static void test_v2_sgi_pending_registers_end_at_sgi_15(void **state)
{
	uint64_t val;

	(void)state;
	val = 0x3;
	assert_int_equal(vt_dist(&v, 1, GICD_SPENDSGIR + 15, 1, true, &val), 0x2);
	assert_int_equal(vgic_irq(&v, 1, 15)->sgi_sources, 0x3);
	assert_int_equal(vt_dist(&v, 1, GICD_SPENDSGIR + 15, 1, true, &val), 0);
	val = 0x1;
	assert_int_equal(vt_dist(&v, 1, GICD_SPENDSGIR + 1, 1, true, &val), 0x2);
	assert_int_equal(vt_dist(&v, 1, GICD_SPENDSGIR, 1, false, &val), 0);
	assert_int_equal(val, 0); /* SGI 0's byte alone, not SGI 1's */
	val = 0x3;
	assert_int_equal(vt_dist(&v, 1, GICD_SPENDSGIR, 1, true, &val), 0x2);
	val = 0x1;
	assert_int_equal(vt_dist(&v, 1, GICD_CPENDSGIR + 15, 1, true, &val), 0x2);
	assert_int_equal(vgic_irq(&v, 1, 15)->sgi_sources, 0x2);
	assert_int_equal(vgic_irq(&v, 1, 0)->sgi_sources, 0x3);
	assert_int_equal(vt_drd(&v, 1, GICD_SPENDSGIR + 12), 0x02000000);
}

/* Which distributor writes route an SPI: IROUTER<n> (v3), ITARGETSR<n> (v2), nothing else. */
static void test_gicd_writes_that_route(void **state)
{
	static const struct {
		int version;
		uint64_t off;
		bool routes;
	} w[] = {
		{ 3, GICD_IROUTER - 4, false },
		{ 3, GICD_IROUTER, true },
		{ 3, 0x7ff8, true },
		{ 3, 0x8000, false },
		{ 3, GICD_ITARGETSR, false },
		{ 2, GICD_ITARGETSR - 4, false },
		{ 2, GICD_ITARGETSR, true },
		{ 2, GICD_ICFGR - 4, true },
		{ 2, GICD_ICFGR, false },
		{ 2, GICD_IROUTER, false },
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		v.version = w[i].version;
		if (vgic_dist_routes(&v, w[i].off) != w[i].routes)
			fail_msg("GICv%d: a write at 0x%04llx %s", w[i].version,
				 (unsigned long long)w[i].off,
				 w[i].routes ? "does not route" : "routes");
	}
	v.version = 3;
}

/*
 * Which INTIDs a distributor write configures (direct mode writes them
 * through): every one for GICD_CTLR, IROUTER<n>'s SPI from 32, a bank word's
 * INTIDs, for v3 not INTIDs 0-31 (the redistributors') nor ITARGETSR; none
 * outside the banks.
 */
static void test_gicd_writes_configure_the_intids_they_name(void **state)
{
	static const struct {
		int version;
		uint64_t off;
		unsigned int size, n, first;
	} w[] = {
		{ 3, 0, 4, VGIC_MAX_INTID + 1, 0 },
		{ 3, GICD_IROUTER + 8 * 31, 8, 0, 31 },
		{ 3, GICD_IROUTER + 8 * 32, 8, 1, 32 },
		{ 3, 0x7ff8, 8, 1, 1023 },
		{ 3, 0x8000, 8, 0, 0 }, /* past IROUTER1023 */
		{ 3, 0x7c, 4, 0, 0 },
		{ 3, GICD_IGROUPR, 4, 0, 0 },
		{ 3, GICD_ISENABLER + 4, 4, 32, 32 },
		{ 3, GICD_ICENABLER + 4, 4, 32, 32 },
		{ 3, GICD_ISPENDR + 4, 4, 0, 0 }, /* pending and active state: no configuration */
		{ 3, GICD_ICPENDR + 4, 4, 0, 0 },
		{ 3, GICD_ISACTIVER + 4, 4, 0, 0 },
		{ 3, GICD_ICACTIVER + 4, 4, 0, 0 },
		{ 3, 0xd04, 4, 0, 0 }, /* GICD_IGRPMODR1: RAZ/WI */
		{ 3, GICD_ITARGETSR + 32, 4, 0, 0 },
		{ 3, GICD_ICFGR - 4, 4, 0, 0 },
		{ 3, GICD_IPRIORITYR + 31, 1, 0, 0 },
		{ 3, GICD_IPRIORITYR + 32, 1, 1, 32 },
		{ 3, GICD_ICFGR + 8, 4, 16, 32 },
		{ 3, 0xd80, 4, 0, 0 },
		{ 2, GICD_IGROUPR, 4, 32, 0 },
		{ 2, GICD_ISENABLER, 4, 32, 0 },
		{ 2, GICD_ITARGETSR + 32, 4, 4, 32 },
		{ 2, GICD_ITARGETSR + 31, 1, 1, 31 },
		{ 2, GICD_IROUTER + 8 * 32, 8, 0, 0 },
	};
	uint32_t first;

	(void)state;
	for (unsigned int i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		unsigned int n;

		v.version = w[i].version;
		n = vgic_dist_configures(&v, w[i].off, w[i].size, &first);
		if (n != w[i].n || (n && first != w[i].first))
			fail_msg("GICv%d: a write of %u bytes at 0x%04llx configures %u from INTID "
				 "%u, "
				 "want %u from %u",
				 w[i].version, w[i].size, (unsigned long long)w[i].off, n, first,
				 w[i].n, w[i].first);
	}
	v.version = 3;
}

/*
 * The sizes a redistributor frame takes, at the edges of each rule: RD_base's
 * registers below 0x80, GICR_SYNCR and the ID registers from 0xffd0 are
 * words, the reserved offsets between any size; in SGI_base the per-INTID
 * banks (0x80-0xd7f) take their registers' sizes and GICR_NSACR a word, the
 * rest any size. Sizes other than 1, 2, 4 and 8 nowhere. A reserved offset
 * reads 0 at any size.
 */
static void test_gicr_access_sizes_at_the_edges_of_each_rule(void **state)
{
	static const struct {
		uint32_t off;
		unsigned int size;
		bool ok;
	} accesses[] = {
		{ GICR_CTLR, 1, false },
		{ 0x80, 1, true },  /* the first reserved offset past the registers */
		{ 0xc0, 2, false }, /* GICR_SYNCR */
		{ 0xffcf, 1, true },
		{ 0xffd0, 1, false }, /* GICR_PIDR4 */
		{ 0xffff, 1, false },
		{ 0x100, 3, false },
		{ 0x100, 1, true },
		{ GICR_SGI + 0, 1, true }, /* reserved */
		{ GICR_SGI + 0x7f, 1, true },
		{ GICR_SGI + GICD_IGROUPR, 1, false },
		{ GICR_SGI + GICD_IPRIORITYR + 31, 1, true },
		{ GICR_SGI + 0xd7f, 1, false }, /* IGRPMODR's range */
		{ GICR_SGI + 0xd80, 1, true },
		{ GICR_SGI + 0xe00, 1, false }, /* GICR_NSACR */
		{ GICR_SGI + 0xe00, 4, true },
		{ GICR_SGI + 0xe04, 1, true },
		{ GICR_SGI + 0x0f00, 3, false },
	};
	uint64_t val;

	(void)state;
	for (unsigned int i = 0; i < sizeof(accesses) / sizeof(accesses[0]); i++) {
		uint64_t off = GICR_FRAME + accesses[i].off;
		int ret;

		val = ~0ULL;
		ret = vt_redist(&v, 0, off, accesses[i].size, false, &val);
		if (ret != (accesses[i].ok ? 0 : -EINVAL))
			fail_msg("%u bytes at RD_base + 0x%05x: %d, want %s", accesses[i].size,
				 accesses[i].off, ret, accesses[i].ok ? "served" : "-EINVAL");
		if (ret == 0 && accesses[i].off != GICR_SGI + GICD_IPRIORITYR + 31)
			assert_int_equal(val, 0);
	}
}

/*
 * Which SGIs and PPIs a redistributor write configures (vgic_direct.c writes
 * them through): those the SGI_base bank register names, within INTIDs 0-31,
 * in any vCPU's frame; none for RD_base, the ITARGETSR range or a word past
 * INTID 31.
 */
static void test_gicr_writes_configure_the_intids_they_name_up_to_31(void **state)
{
	static const struct {
		uint64_t off;
		unsigned int size, n, first;
	} writes[] = {
		{ GICD_ISENABLER, 4, 0, 0 }, /* RD_base */
		{ GICR_SGI + GICD_ITARGETSR, 4, 0, 0 },
		{ GICR_SGI + GICD_ISENABLER, 4, 32, 0 },
		{ GICR_FRAME + GICR_SGI + GICD_ISENABLER, 4, 32, 0 },
		{ GICR_SGI + GICD_ISENABLER + 4, 4, 0, 32 },
		{ GICR_SGI + GICD_IPRIORITYR + 28, 4, 4, 28 },
		{ GICR_SGI + GICD_IPRIORITYR + 30, 1, 1, 30 },
		{ GICR_SGI + GICD_IPRIORITYR + 31, 1, 1, 31 },
		{ GICR_SGI + GICD_IPRIORITYR + 36, 4, 0, 36 },
		{ GICR_SGI + GICD_ICFGR + 4, 4, 16, 16 },
	};
	uint32_t first;

	(void)state;
	for (unsigned int i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		unsigned int n = vgic_redist_configures(writes[i].off, writes[i].size, &first);

		if (n != writes[i].n || (n && first != writes[i].first))
			fail_msg(
				"a write of %u bytes at 0x%05llx configures %u from INTID %u, want "
				"%u from %u",
				writes[i].size, (unsigned long long)writes[i].off, n, first,
				writes[i].n, writes[i].first);
	}
}

#define T3(f) cmocka_unit_test_setup(f, setup_v3)
#define T2(f) cmocka_unit_test_setup(f, setup_v2)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T3(test_gicd_access_sizes_at_the_edges_of_each_rule_v3),
		T2(test_gicd_access_sizes_at_the_edges_of_each_rule_v2),
		T3(test_gicd_typer_for_any_number_of_spis_and_vcpus),
		T3(test_irouter_at_the_ends_of_the_spis_and_of_the_vcpus),
		T3(test_intid_31_is_private_and_32_the_first_spi),
		T2(test_v2_sgi_pending_registers_end_at_sgi_15),
		T3(test_gicd_writes_that_route),
		T3(test_gicd_writes_configure_the_intids_they_name),
		T3(test_gicr_access_sizes_at_the_edges_of_each_rule),
		T3(test_gicr_writes_configure_the_intids_they_name_up_to_31),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
