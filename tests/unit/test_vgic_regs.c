// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the vGIC register emulation (gic/vgic_dist.c,
 * gic/vgic_redist.c) as a guest driver sees it: read-back of every register
 * family, identification values, access sizes, redistributor frames.
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
	return vgic_init(&v, 3, 3, cell_spis, 3, "linux");
}

static int setup_v2(void **state)
{
	(void)state;
	fake_log_reset();
	return vgic_init(&v, 2, 3, cell_spis, 3, "linux");
}

static uint64_t rd_rd(unsigned int frame, uint32_t off, unsigned int size)
{
	uint64_t val = 0;

	assert_int_equal(vt_redist(&v, 0, (uint64_t)frame * GICR_FRAME + off, size, false, &val),
			 0);
	return val;
}

static void test_v3_ctlr_forces_are_and_ds(void **state)
{
	(void)state;
	assert_int_equal(vt_drd(&v, 0, GICD_CTLR), GICD_CTLR_ARE | GICD_CTLR_DS);
	DWR(&v, GICD_CTLR, 0xffffffff);
	assert_int_equal(vt_drd(&v, 0, GICD_CTLR), GICD_CTLR_ARE | GICD_CTLR_DS |
							   GICD_CTLR_EnableGrp0 |
							   GICD_CTLR_EnableGrp1);
	DWR(&v, GICD_CTLR, 0);
	assert_int_equal(vt_drd(&v, 0, GICD_CTLR), GICD_CTLR_ARE | GICD_CTLR_DS);
}

static void test_v3_typer_iidr_pidr2(void **state)
{
	(void)state;
	/* ITLinesNumber 2 (INTID 79 < 96), CPUNumber 2, IDbits 9, no LPIs/SecurityExtn */
	assert_int_equal(vt_drd(&v, 0, GICD_TYPER), 2u | 2u << 5 | 9u << 19 | 1u << 25);
	assert_int_equal(vt_drd(&v, 0, GICD_IIDR), 0x42000000);
	assert_int_equal(vt_drd(&v, 0, GICD_IIDR) & 0xfff, 0); /* not Arm's 0x43b */
	assert_int_equal((vt_drd(&v, 0, GICD_PIDR2) >> 4) & 0xf, 3);
	assert_int_equal(rd_rd(1, GICR_IIDR, 4), 0x42000000);
	assert_int_equal((rd_rd(1, GICR_PIDR2, 4) >> 4) & 0xf, 3);
}

static void test_v2_typer_ctlr_pidr2(void **state)
{
	(void)state;
	assert_int_equal(vt_drd(&v, 0, GICD_TYPER), 2u | 2u << 5);
	DWR(&v, GICD_CTLR, 0xffffffff);
	assert_int_equal(vt_drd(&v, 0, GICD_CTLR), 0x3);
	assert_int_equal((vt_drd(&v, 0, GICD_ICPIDR2_V2) >> 4) & 0xf, 2);
	assert_int_equal(vt_drd(&v, 0, GICD_PIDR2), 0);
}

static void test_enable_pending_active_read_back(void **state)
{
	static const uint32_t set[] = { GICD_ISENABLER, GICD_ISPENDR, GICD_ISACTIVER };
	(void)state;

	for (int i = 0; i < 3; i++) {
		uint32_t s = set[i], c = set[i] + 0x80, bits = BIT_OF(33) | BIT_OF(48);

		DWR(&v, BIT_REG(s, 33), bits);
		assert_int_equal(vt_drd(&v, 0, BIT_REG(s, 33)), bits);
		assert_int_equal(vt_drd(&v, 0, BIT_REG(c, 33)), bits);
		DWR(&v, BIT_REG(c, 33), BIT_OF(33));
		assert_int_equal(vt_drd(&v, 0, BIT_REG(s, 33)), BIT_OF(48));
	}
}

static void test_priority_keeps_five_bits_byte_and_word(void **state)
{
	uint64_t val = 0xff;
	(void)state;

	assert_int_equal(vt_dist(&v, 0, GICD_IPRIORITYR + 33, 1, true, &val), 0); /* no kick */
	assert_int_equal(vt_drd(&v, 0, GICD_IPRIORITYR + 32), 0xf8u << 8);
	DWR(&v, GICD_IPRIORITYR + 48, 0x11223344);
	assert_int_equal(vt_drd(&v, 0, GICD_IPRIORITYR + 48), 0x40); /* only INTID 48 owned */
	assert_int_equal(vt_dist(&v, 0, GICD_IPRIORITYR + 48, 1, false, &val), 0);
	assert_int_equal(val, 0x40);
}

static void test_icfgr_sgi_edge_ppi_level_spi_rw(void **state)
{
	uint64_t val = 0;
	(void)state;

	assert_int_equal(rd_rd(0, GICR_SGI + GICD_ICFGR, 4), 0xaaaaaaaa);
	assert_int_equal(vt_redist(&v, 0, GICR_SGI + GICD_ICFGR, 4, true, &val), 0);
	assert_int_equal(rd_rd(0, GICR_SGI + GICD_ICFGR, 4), 0xaaaaaaaa);
	val = 0xffffffff;
	assert_int_equal(vt_redist(&v, 0, GICR_SGI + GICD_ICFGR + 4, 4, true, &val), 0);
	assert_int_equal(rd_rd(0, GICR_SGI + GICD_ICFGR + 4, 4), 0);
	DWR(&v, GICD_ICFGR + 12, 0xffffffff);		      /* INTIDs 48-63 */
	assert_int_equal(vt_drd(&v, 0, GICD_ICFGR + 12), 2u); /* 48 edge, the rest foreign */
	assert_int_equal(vgic_irq(&v, 0, 48)->trigger, VGIC_EDGE);
}

static void test_igroupr_read_back(void **state)
{
	(void)state;
	/* A GICv3 cell starts in Group 1 */
	assert_int_equal(vt_drd(&v, 0, GICD_IGROUPR + 4), BIT_OF(33) | BIT_OF(48));
	DWR(&v, GICD_IGROUPR + 4, 0);
	assert_int_equal(vt_drd(&v, 0, GICD_IGROUPR + 4), 0);
	assert_int_equal(rd_rd(2, GICR_SGI + GICD_IGROUPR, 4), 0xffffffff);
}

static void test_irouter_64_and_halves_route_spi(void **state)
{
	uint64_t val = 2;
	(void)state;

	vgic_set_level(&v, 0, 48, true); /* pending: moving it kicks old and new target */
	assert_int_equal(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, true, &val), 0x5);
	assert_int_equal(vgic_irq(&v, 0, 48)->target_vcpu, 2);
	val = 1;
	assert_int_equal(vt_dist(&v, 0, GICD_IROUTER + 8 * 48 + 4, 4, true, &val), 0x4);
	assert_int_equal(vgic_irq(&v, 0, 48)->target_vcpu, VGIC_NO_TARGET); /* Aff3 = 1 */
	assert_int_equal(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, false, &val), 0);
	assert_int_equal(val, 0x100000002ULL);
	val = 0;
	assert_int_equal(vt_dist(&v, 0, GICD_IROUTER + 8 * 48 + 4, 4, true, &val), 0x4);
	assert_int_equal(vgic_irq(&v, 0, 48)->target_vcpu, 2);
	val = 1ULL << 31 | 2; /* IRM RAZ/WI (No1N): Aff0 routes it */
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, true, &val) >= 0);
	assert_int_equal(vgic_irq(&v, 0, 48)->target_vcpu, 2);
	assert_int_equal(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, false, &val), 0);
	assert_int_equal(val, 2);
	val = 7; /* Aff0 7: no such vCPU */
	assert_true(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 8, true, &val) >= 0);
	assert_int_equal(vgic_irq(&v, 0, 48)->target_vcpu, VGIC_NO_TARGET);
}

static void test_v2_itargetsr_own_bit_and_cell_cpus(void **state)
{
	uint64_t val = 0;
	(void)state;

	assert_int_equal(vt_dist(&v, 2, GICD_ITARGETSR + 27, 1, false, &val), 0);
	assert_int_equal(val, 1u << 2);
	assert_int_equal(vt_drd(&v, 1, GICD_ITARGETSR), 0x02020202);
	val = 0xfe;			 /* CPUs 1-7: only 1 and 2 exist */
	vgic_set_level(&v, 0, 48, true); /* pending: moving it kicks old and new target */
	assert_int_equal(vt_dist(&v, 0, GICD_ITARGETSR + 48, 1, true, &val), 0x3);
	assert_int_equal(vt_drd(&v, 0, GICD_ITARGETSR + 48), 0x06);
	assert_int_equal(vgic_irq(&v, 0, 48)->target_vcpu, 1);
	DWR(&v, GICD_ITARGETSR + 48, 0);
	assert_int_equal(vgic_irq(&v, 0, 48)->target_vcpu, VGIC_NO_TARGET);
}

static void test_v2_spendsgir_cpendsgir(void **state)
{
	uint64_t val = 0xff;
	(void)state;

	assert_true(vt_dist(&v, 1, GICD_SPENDSGIR + 2, 1, true, &val) >= 0);
	assert_int_equal(vgic_irq(&v, 1, 2)->sgi_sources, 0x7);
	assert_int_equal(vt_drd(&v, 1, GICD_SPENDSGIR), 0x7u << 16);
	assert_int_equal(vt_drd(&v, 1, BIT_REG(GICD_ISPENDR, 2)) & BIT_OF(2), BIT_OF(2));
	val = 0x05;
	assert_true(vt_dist(&v, 1, GICD_CPENDSGIR + 2, 1, true, &val) >= 0);
	assert_int_equal(vt_drd(&v, 1, GICD_CPENDSGIR), 0x2u << 16);
	assert_int_equal(vt_drd(&v, 0, GICD_SPENDSGIR), 0); /* banked per vCPU */
}

static void test_illegal_sizes_are_refused(void **state)
{
	uint64_t val = 0;
	(void)state;

	assert_int_equal(vt_dist(&v, 0, GICD_CTLR, 1, false, &val), -EINVAL);
	assert_int_equal(vt_dist(&v, 0, GICD_ISENABLER + 4, 2, true, &val), -EINVAL);
	assert_int_equal(vt_dist(&v, 0, GICD_ISENABLER + 4, 8, false, &val), -EINVAL);
	assert_int_equal(vt_dist(&v, 0, GICD_IPRIORITYR + 32, 2, false, &val), -EINVAL);
	assert_int_equal(vt_dist(&v, 0, GICD_IPRIORITYR + 33, 4, false, &val), -EINVAL);
	assert_int_equal(vt_dist(&v, 0, GICD_IROUTER + 8 * 48, 2, false, &val), -EINVAL);
	assert_int_equal(vt_dist(&v, 0, GICD_IROUTER + 8 * 48 + 2, 4, false, &val), -EINVAL);
	assert_int_equal(vt_dist(&v, 0, GICD_TYPER, 3, false, &val), -EINVAL);
	assert_int_equal(vt_redist(&v, 0, GICR_TYPER, 2, false, &val), -EINVAL);
	assert_int_equal(vt_redist(&v, 0, GICR_SGI + GICD_ISENABLER, 1, false, &val), -EINVAL);
	assert_int_equal(vt_dist(&v, 0, LAYOUT_VGICD_SIZE, 4, false, &val), -ENOENT);
	assert_int_equal(vt_dist(&v, 0, GICD_CTLR, 4, false, &val), 0);
}

/*
 * A vCPU index past the cell's is no accessor of its: refused before it
 * names a bank (vCPU 3 of a 3-vCPU cell would be the slot past its last).
 */
static void test_an_accessor_past_the_cells_vcpus_is_refused(void **state)
{
	static struct vgic_vcpu before;
	uint64_t val = BIT_OF(1);

	(void)state;
	assert_int_equal(vt_dist(&v, v.nr_vcpus, GICD_ISENABLER, 4, true, &val), -EINVAL);
	assert_int_equal(vt_redist(&v, v.nr_vcpus, GICR_SGI + GICD_ISENABLER, 4, true, &val),
			 -EINVAL);
	assert_int_equal(vt_redist(&v, v.nr_vcpus, GICR_TYPER, 8, false, &val), -EINVAL);
	for (unsigned int f = 0; f < v.nr_vcpus; f++)
		assert_int_equal(rd_rd(f, GICR_SGI + GICD_ISENABLER, 4), 0);
	/* The model's lookup: no interrupt of a vCPU the cell does not have, not vCPU 0's. */
	assert_null(vgic_irq(&v, v.nr_vcpus, 27));
	assert_null(vgic_irq(&v, v.nr_vcpus, 48));
	assert_int_equal(vgic_set_level(&v, v.nr_vcpus, 27, true), -1);
	assert_false(vgic_irq(&v, 0, 27)->line_level);
	/* A vCPU's own timer line: its own PPIs only, of a vCPU the cell has. */
	vgic_set_own_level(&v, 1u << 20, 27, true);
	memcpy(&before, &v.vcpus[0], sizeof(before));
	vgic_set_own_level(&v, 0, 48, true);
	vgic_set_own_level(&v, 0, 32, true);
	assert_false(vgic_irq(&v, 0, 48)->line_level);
	assert_memory_equal(&before, &v.vcpus[0], sizeof(before)); /* nothing past its PPIs */
	vgic_set_own_level(&v, 1, 27, true);
	vgic_set_own_level(&v, 1, 31, true);
	assert_true(vgic_irq(&v, 1, 27)->line_level);
	assert_true(vgic_irq(&v, 1, 31)->line_level);
}

/* A line set from outside the cell's CPUs (the console's input): the lock free, it is set. */
static void test_a_level_set_from_outside_takes_effect(void **state)
{
	int kick = -2;

	(void)state;
	assert_true(vgic_set_level_outside(&v, 0, 48, true, &kick));
	assert_true(vgic_irq(&v, 0, 48)->line_level);
	assert_int_equal(kick, -1); /* disabled: nobody to kick */
}

static void test_v3_private_range_of_gicd_is_raz_wi(void **state)
{
	(void)state;
	DWR(&v, GICD_ISENABLER, 0xffffffff);
	assert_int_equal(vt_drd(&v, 0, GICD_ISENABLER), 0);
	assert_false(vgic_irq(&v, 0, 27)->enabled);
	DWR(&v, GICD_ITARGETSR + 48, 0xffffffff);
	assert_int_equal(vt_drd(&v, 0, GICD_ITARGETSR + 48), 0);
	assert_int_equal(fake_log_count(LOG_WARN), 0);
}

static void test_reserved_offsets_are_raz_wi(void **state)
{
	(void)state;
	DWR(&v, 0x0040, 0xffffffff);
	assert_int_equal(vt_drd(&v, 0, 0x0040), 0);
	assert_int_equal(vt_drd(&v, 0, 0x0d00), 0); /* IGRPMODR0 with DS = 1 */
	assert_int_equal(vt_drd(&v, 0, 0x5000), 0);
	assert_int_equal(rd_rd(1, 0x0100, 4), 0);
	assert_int_equal(rd_rd(1, GICR_SGI + 0x0d00, 4), 0);
	assert_int_equal(rd_rd(1, GICR_CTLR, 4), 0);
}

/*
 * Without LPIs (GICR_TYPER.PLPIS = 0) the LPI registers of RD_base are RAZ/WI
 * (IHI 0069 §12.10): 64-bit ones as a doubleword or either word, GICR_SYNCR
 * as a word; other sizes and unaligned accesses are refused as elsewhere.
 */
static void test_gicr_lpi_registers_are_raz_wi_at_their_sizes(void **state)
{
	static const uint32_t regs64[] = { 0x40, 0x48, 0x70, 0x78, 0xa0, 0xb0 };
	uint64_t val;
	(void)state;

	for (unsigned int i = 0; i < sizeof(regs64) / sizeof(regs64[0]); i++) {
		uint64_t off = GICR_FRAME + regs64[i];

		val = ~0ULL;
		assert_int_equal(vt_redist(&v, 0, off, 8, true, &val), 0);
		assert_int_equal(rd_rd(1, regs64[i], 8), 0);
		val = ~0ULL;
		assert_int_equal(vt_redist(&v, 0, off + 4, 4, true, &val), 0);
		assert_int_equal(rd_rd(1, regs64[i], 4), 0);
		assert_int_equal(rd_rd(1, regs64[i] + 4, 4), 0);
		assert_int_equal(vt_redist(&v, 0, off, 2, false, &val), -EINVAL);
		assert_int_equal(vt_redist(&v, 0, off + 1, 1, true, &val), -EINVAL);
		assert_int_equal(vt_redist(&v, 0, off + 4, 8, false, &val), -EINVAL);
	}
	assert_int_equal(rd_rd(1, 0xc0, 4), 0); /* GICR_SYNCR: Busy 0 */
	assert_int_equal(vt_redist(&v, 0, GICR_FRAME + 0xc0, 8, false, &val), -EINVAL);
	assert_int_equal(vt_redist(&v, 0, GICR_FRAME + 0xc0, 1, false, &val), -EINVAL);
	assert_int_equal(rd_rd(1, GICR_TYPER, 8) & 1, 0); /* and PLPIS says so */
}

/* An SGI_base offset that holds a register of INTIDs 0-31 (IHI 0069 §12.11). */
static bool sgi_frame_register(uint32_t off)
{
	if (off >= GICD_IGROUPR && off <= GICD_ICACTIVER)
		return off % 0x80 == 0; /* IGROUPR0 .. ICACTIVER0 */
	return (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32) || off == GICD_ICFGR ||
	       off == GICD_ICFGR + 4;
}

/*
 * Every other offset of the SGI_base frame is reserved (or, IGRPMODR0 and
 * NSACR, RAZ/WI): it reads 0 and ignores writes whatever the frame's
 * interrupts hold. GICD_ITARGETSR's range there is no ITARGETSR.
 */
static void test_gicr_sgi_frame_reserved_offsets_are_raz_wi(void **state)
{
	struct vgic_irq before[VGIC_NR_PRIVATE];
	uint64_t val = 0xffffffff;
	(void)state;

	for (uint32_t reg = GICD_ISENABLER; reg <= GICD_ISACTIVER; reg += 0x100) {
		val = 0xffffffff;
		assert_true(vt_redist(&v, 0, GICR_FRAME + GICR_SGI + reg, 4, true, &val) >= 0);
	}
	for (uint32_t off = 0; off < 32; off += 4) {
		val = 0xf8f8f8f8;
		assert_true(vt_redist(&v, 0, GICR_FRAME + GICR_SGI + GICD_IPRIORITYR + off, 4, true,
				      &val) >= 0);
	}
	memcpy(before, v.vcpus[1].private_irqs, sizeof(before));
	for (uint32_t off = 0; off < GICR_SGI; off += 4) {
		if (sgi_frame_register(off))
			continue;
		if (rd_rd(1, GICR_SGI + off, 4) != 0)
			fail_msg("SGI_base + 0x%04x reads 0x%08x, not 0", off,
				 (uint32_t)rd_rd(1, GICR_SGI + off, 4));
		val = 0xffffffff;
		assert_true(vt_redist(&v, 0, GICR_FRAME + GICR_SGI + off, 4, true, &val) >= 0);
		if (memcmp(before, v.vcpus[1].private_irqs, sizeof(before)) != 0)
			fail_msg("a write to SGI_base + 0x%04x changed the frame's interrupts",
				 off);
	}
}

static void test_gicr_typer_last_only_on_last_frame(void **state)
{
	(void)state;
	for (unsigned int f = 0; f < 3; f++) {
		uint64_t t = rd_rd(f, GICR_TYPER, 8);

		assert_int_equal(t >> 32, f);		/* Affinity_Value: Aff0 = vCPU index */
		assert_int_equal((t >> 8) & 0xffff, f); /* Processor_Number */
		assert_int_equal((t >> 4) & 1, f == 2); /* Last */
		assert_int_equal(t & 0x3, 0);		/* PLPIS, VLPIS */
		assert_int_equal(rd_rd(f, GICR_TYPER, 4), (uint32_t)t);
		assert_int_equal(rd_rd(f, GICR_TYPER + 4, 4), t >> 32);
	}
	uint64_t val;
	assert_int_equal(vt_redist(&v, 0, 3 * GICR_FRAME, 4, false, &val), -ENOENT);
}

static void test_gicr_waker_sleep_and_wake(void **state)
{
	uint64_t val = 0;
	(void)state;

	assert_int_equal(rd_rd(1, GICR_WAKER, 4), 0x6); /* reset: asleep */
	assert_int_equal(vt_redist(&v, 0, GICR_FRAME + GICR_WAKER, 4, true, &val), 0);
	assert_int_equal(rd_rd(1, GICR_WAKER, 4), 0);	/* awake, ChildrenAsleep clear */
	assert_int_equal(rd_rd(0, GICR_WAKER, 4), 0x6); /* other frames untouched */
	val = 0x2;
	assert_int_equal(vt_redist(&v, 0, GICR_FRAME + GICR_WAKER, 4, true, &val), 0);
	assert_int_equal(rd_rd(1, GICR_WAKER, 4), 0x6);
}

static void test_gicr_sgi_frame_is_that_vcpus(void **state)
{
	uint64_t val = BIT_OF(27);
	(void)state;

	vgic_set_level(&v, 2, 27, true); /* the timer line is up: enabling it matters */
	/* vCPU 0 enables vCPU 2's virtual timer PPI through frame 2 */
	assert_int_equal(
		vt_redist(&v, 0, 2 * GICR_FRAME + GICR_SGI + GICD_ISENABLER, 4, true, &val), 0x4);
	assert_true(vgic_irq(&v, 2, 27)->enabled);
	assert_false(vgic_irq(&v, 0, 27)->enabled);
	assert_int_equal(rd_rd(2, GICR_SGI + GICD_ISENABLER, 4), BIT_OF(27));
	val = 0xa0;
	assert_int_equal(
		vt_redist(&v, 0, 2 * GICR_FRAME + GICR_SGI + GICD_IPRIORITYR + 27, 1, true, &val),
		0x4);
	assert_int_equal(rd_rd(2, GICR_SGI + GICD_IPRIORITYR + 24, 4), 0xa0u << 24);
	/* INTIDs past 31 in the SGI frame are reserved */
	assert_int_equal(rd_rd(2, GICR_SGI + GICD_ISENABLER + 4, 4), 0);
}

static void test_v2_redist_does_not_exist(void **state)
{
	uint64_t val;
	(void)state;

	assert_int_equal(vt_redist(&v, 0, GICR_TYPER, 8, false, &val), -ENOENT);
}

static void test_init_rejects_bad_layouts(void **state)
{
	static const uint32_t dup[] = { 40, 40 }, low[] = { 31 }, high[] = { 1020 };
	(void)state;

	assert_int_equal(vgic_init(&v, 4, 1, NULL, 0, "x"), -EINVAL);
	assert_int_equal(vgic_init(&v, 3, 0, NULL, 0, "x"), -EINVAL);
	assert_int_equal(vgic_init(&v, 2, 9, NULL, 0, "x"), -EINVAL);
	assert_int_equal(vgic_init(&v, 3, 17, NULL, 0, "x"), -EINVAL);
	assert_int_equal(vgic_init(&v, 3, 1, dup, 2, "x"), -EINVAL);
	assert_int_equal(vgic_init(&v, 3, 1, low, 1, "x"), -EINVAL);
	assert_int_equal(vgic_init(&v, 3, 1, high, 1, "x"), -EINVAL);
	assert_int_equal(vgic_init(&v, 3, 1, cell_spis, VGIC_MAX_SPIS + 1, "x"), -EINVAL);
	assert_int_equal(vgic_init(&v, 3, 16, cell_spis, 3, "x"), 0);
	assert_int_equal(vgic_init(&v, 2, 8, cell_spis, 3, "x"), 0); /* GICv2's 8 interfaces */
}

/*
 * The hardware side looks at the physical routes only after a write
 * vgic_dist_routes() names: a write anywhere else must leave every SPI's
 * target as it was. Every offset of the frame, at each size, with values
 * that name each vCPU (bit or Aff0), SPIs at each end of the INTID range,
 * each routed to vCPU 2 before each write.
 */
static void every_other_write_keeps_the_routes(int version)
{
	static const uint64_t values[] = { ~0ULL, 0, 0x0101010101010101ULL, 0x0202020202020202ULL,
					   1,	  2 };
	static const unsigned int sizes[] = { 1, 4, 8 };
	static const uint32_t spread[] = { 32, 33, 511, 512, 1019 }; /* each end of each range */
	uint64_t val;
	unsigned int s, i, k;
	uint32_t off;
	bool moved;

	assert_int_equal(vgic_init(&v, version, 3, spread, 5, "x"), 0);
	for (off = 0; off < 0x10000; off++) {
		for (s = 0; s < 3; s++) {
			if (off % sizes[s])
				continue;
			for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
				for (k = 0; k < v.nr_spis; k++)
					v.spis[k].target_vcpu = 2;
				val = values[i];
				vt_dist(&v, 0, off, sizes[s], true, &val);
				for (moved = false, k = 0; k < v.nr_spis; k++)
					moved |= v.spis[k].target_vcpu != 2;
				if (moved && !vgic_dist_routes(&v, off))
					fail_msg("GICv%d: a %u-byte write at 0x%x moved an SPI, "
						 "but is not a routing write",
						 version, sizes[s], off);
			}
		}
	}
	assert_true(vgic_dist_routes(&v, version == 3 ? 0x6000 + 8 * 48 : 0x800 + 48));
	assert_false(vgic_dist_routes(&v, 0x400 + 48)); /* GICD_IPRIORITYR: not */
}

static void test_v3_only_irouter_writes_route(void **state)
{
	(void)state;
	every_other_write_keeps_the_routes(3);
}

static void test_v2_only_itargetsr_writes_route(void **state)
{
	(void)state;
	every_other_write_keeps_the_routes(2);
}

#define T3(f) cmocka_unit_test_setup(f, setup_v3)
#define T2(f) cmocka_unit_test_setup(f, setup_v2)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T3(test_v3_ctlr_forces_are_and_ds),
		T3(test_v3_typer_iidr_pidr2),
		T2(test_v2_typer_ctlr_pidr2),
		T3(test_enable_pending_active_read_back),
		T2(test_enable_pending_active_read_back),
		T3(test_priority_keeps_five_bits_byte_and_word),
		T3(test_icfgr_sgi_edge_ppi_level_spi_rw),
		T3(test_igroupr_read_back),
		T3(test_irouter_64_and_halves_route_spi),
		T2(test_v2_itargetsr_own_bit_and_cell_cpus),
		T2(test_v2_spendsgir_cpendsgir),
		T3(test_illegal_sizes_are_refused),
		T3(test_an_accessor_past_the_cells_vcpus_is_refused),
		T3(test_a_level_set_from_outside_takes_effect),
		T3(test_v3_private_range_of_gicd_is_raz_wi),
		T3(test_reserved_offsets_are_raz_wi),
		T3(test_gicr_lpi_registers_are_raz_wi_at_their_sizes),
		T3(test_gicr_sgi_frame_reserved_offsets_are_raz_wi),
		T3(test_gicr_typer_last_only_on_last_frame),
		T3(test_gicr_waker_sleep_and_wake),
		T3(test_gicr_sgi_frame_is_that_vcpus),
		T2(test_v2_redist_does_not_exist),
		T3(test_init_rejects_bad_layouts),
		T3(test_v3_only_irouter_writes_route),
		T2(test_v2_only_itargetsr_writes_route),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
