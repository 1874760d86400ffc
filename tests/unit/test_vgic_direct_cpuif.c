// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of a direct cell's common CPU interface registers
 * (gic/vgic_direct_cpuif.c): the guest's ICC_PMR_EL1, trapped, reaches the
 * physical one squeezed as its priorities are, so that what it masks stays
 * masked and the hypervisor's Group 0 (priority 0x00) never is; ICC_RPR_EL1
 * and ICC_CTLR_EL1 read as the guest's. The CPU's registers are variables:
 * the physical ICC_PMR_EL1 keeps the bits a GIC of PHYS_BITS priority bits
 * implements, as QEMU's (5) does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cell.h"
#include "vgic_hw.h"
#include "../../gic/gic_regs.h"
#include "../../gic/vgic_hw_priv.h"

#define GUEST_MASK     0xf8 /* 5 virtual priority bits, as ICH_VTR_EL2 says below */
#define ICH_HCR_EL2_TC (1ULL << 10)
#define ICH_VMCR_VEOIM (1ULL << 9)
#define PRIO_HYP       0x00 /* the hypervisor's Group 0 (gic/gic_regs.h GIC_PRIO_HYP) */

static unsigned int phys_bits = 5;
static uint64_t pmr, rpr, vmcr, hcr;
static unsigned int pmr_writes;

static uint8_t phys_mask(void)
{
	return (uint8_t)(0xff00u >> phys_bits);
}

/* ICH_VTR_EL2 of QEMU's GICv3: 5 priority and preemption bits, 16-bit INTIDs, A3V. */
#define VTR_QEMU (4ULL << 29 | 4ULL << 26 | 0ULL << 23 | 1ULL << 21 | 3)
static uint64_t vtr = VTR_QEMU;

uint64_t host_read_sysreg(const char *name)
{
	if (!strcmp(name, "ich_vtr_el2"))
		return vtr;
	if (!strcmp(name, "icc_ctlr_el1"))
		return (uint64_t)(phys_bits - 1) << 8;
	if (!strcmp(name, "icc_rpr_el1"))
		return rpr;
	if (!strcmp(name, "ich_vmcr_el2"))
		return vmcr;
	fail_msg("read of %s", name);
	return 0;
}

void host_write_sysreg(const char *name, uint64_t val)
{
	if (!strcmp(name, "icc_pmr_el1")) {
		pmr = val & phys_mask();
		pmr_writes++;
	} else if (!strcmp(name, "ich_vmcr_el2")) {
		vmcr = val;
	} else if (!strcmp(name, "ich_hcr_el2")) {
		hcr = val;
	} else {
		fail_msg("write of %s", name);
	}
}

static struct layout_cell cfg = { .label = "beta", .nr_cpus = 1, .irq_mode = LAYOUT_IRQ_DIRECT };
static struct cell cell;
static struct vcpu *vcpu = &cell.vcpus[0];

static int setup(void **state)
{
	(void)state;
	phys_bits = 5;
	pmr = 0xff;
	rpr = 0xff;
	vmcr = hcr = 0;
	pmr_writes = 0;
	vtr = VTR_QEMU;
	memset(&cell, 0, sizeof(cell));
	cfg.irq_mode = LAYOUT_IRQ_DIRECT;
	cell.cfg = &cfg;
	cell.nr_vcpus = 1;
	vcpu->cell = &cell;
	vcpu->pcpu = 1;
	return 0;
}

/* Signalled by a CPU interface of phys_bits bits: the priority below the mask, as stored. */
static bool signalled(uint8_t prio, uint8_t mask)
{
	return (prio & phys_mask()) < (mask & phys_mask());
}

static uint8_t lowest(void)
{
	return vgic_direct_lowest(phys_bits);
}

/* The guest's priority as vgic_direct.c writes it to the distributor. */
static uint8_t phys_prio(uint8_t prio)
{
	return vgic_direct_squeeze(prio, lowest());
}

static uint8_t phys_pmr(uint8_t guest_pmr)
{
	return vgic_direct_pmr_phys(guest_pmr, GUEST_MASK, lowest());
}

static void test_no_guest_mask_holds_off_the_hypervisor(void **state)
{
	(void)state;
	for (phys_bits = 4; phys_bits <= 8; phys_bits++)
		for (unsigned int p = 0; p <= 0xff; p++) {
			assert_true(phys_pmr((uint8_t)(p & GUEST_MASK)) >= 0x80);
			assert_true(signalled(PRIO_HYP, phys_pmr((uint8_t)(p & GUEST_MASK))));
		}
}

/* Every guest priority at or below its mask (numerically at or above) stays masked. */
static void test_every_priority_the_guest_masks_stays_masked(void **state)
{
	(void)state;
	for (phys_bits = 4; phys_bits <= 8; phys_bits++)
		for (unsigned int p = 0; p < GUEST_MASK; p += 8)
			for (unsigned int q = p; q <= GUEST_MASK; q += 8)
				if (signalled(phys_prio((uint8_t)q), phys_pmr((uint8_t)p)))
					fail_msg("%u bits: guest priority 0x%02x signalled under "
						 "PMR 0x%02x (physical 0x%02x, 0x%02x)",
						 phys_bits, q, p, phys_prio((uint8_t)q),
						 phys_pmr((uint8_t)p));
}

/*
 * Two guest levels apart (the squeeze keeps every other one), above the
 * lowest it still signals, what the guest's mask lets through is signalled.
 */
static void test_what_the_guest_unmasks_two_levels_up_is_signalled(void **state)
{
	(void)state;
	for (phys_bits = 5; phys_bits <= 8; phys_bits++)
		for (unsigned int p = 0x10; p < GUEST_MASK; p += 8)
			for (unsigned int q = 0; q + 0x10 <= p; q += 8)
				if (phys_prio((uint8_t)p) < lowest() &&
				    !signalled(phys_prio((uint8_t)q), phys_pmr((uint8_t)p)))
					fail_msg("%u bits: guest priority 0x%02x masked under "
						 "PMR 0x%02x",
						 phys_bits, q, p);
}

/* PMR 0xff (all its bits): as before the mask trapped, every priority up to 0xf0 delivered. */
static void test_the_guests_lowest_mask_lets_its_lowest_usable_priority_through(void **state)
{
	(void)state;
	assert_int_equal(phys_pmr(GUEST_MASK), 0xff);
	assert_true(signalled(phys_prio(0xf0), phys_pmr(GUEST_MASK)));
	/* FreeRTOS's critical section (configMAX_API_CALL_INTERRUPT_PRIORITY 18 << 3). */
	assert_true(signalled(phys_prio(0x88), phys_pmr(0x90)));
	assert_false(signalled(phys_prio(0x90), phys_pmr(0x90)));
	assert_false(signalled(phys_prio(0x00), phys_pmr(0x00)));
}

static void
test_a_pmr_write_reaches_the_physical_mask_and_reads_back_in_the_guests_bits(void **state)
{
	uint64_t v = 0x93;

	(void)state;
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_PMR, false, &v));
	assert_int_equal(pmr, 0xc8);
	v = 0;
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_PMR, true, &v));
	assert_int_equal(v, 0x90);
	v = 0xffffffffffff0000ULL; /* bits above the register's: ignored */
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_PMR, false, &v));
	assert_int_equal(pmr, 0x80);
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_PMR, true, &v));
	assert_int_equal(v, 0);
}

static void test_a_fresh_vcpu_masks_everything_and_traps_the_common_registers(void **state)
{
	uint64_t v = 0xff;

	(void)state;
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_PMR, false, &v));
	vgic_direct_cpuif_reset(vcpu);
	assert_int_equal(hcr, ICH_HCR_EL2_TC);
	assert_int_equal(pmr, 0x80);
	assert_false(signalled(phys_prio(0x00), (uint8_t)pmr));
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_PMR, true, &v));
	assert_int_equal(v, 0);
}

static void test_rpr_reads_the_guests_running_priority(void **state)
{
	static const struct {
		uint64_t phys, guest;
	} cases[] = {
		{ 0xff, 0xff },		    /* idle */
		{ 0xc0, 0x80 },		    /* guest 0x80 active */
		{ 0xc8, 0x90 },		    /* guest 0x90 (or 0x98) */
		{ 0x80, 0x00 },		    /* guest 0x00 */
		{ 0x00, 0x00 },		    /* a priority the guest wrote to ICC_AP1R0_EL1 */
		{ 0x40, 0x00 },		    /* ... any below 0x80 */
		{ 0x7f, 0x00 },		    /* ... to the last (8 physical bits) */
		{ 1ULL << 63, 1ULL << 63 }, /* an NMI's (FEAT_GICv3_NMI) */
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rpr = cases[i].phys;
		v = 0x1234;
		assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_RPR, true, &v));
		if (v != cases[i].guest)
			fail_msg("physical RPR 0x%lx read as 0x%lx, want 0x%lx",
				 (unsigned long)cases[i].phys, (unsigned long)v,
				 (unsigned long)cases[i].guest);
	}
	/* A running priority squeezed back is its priority's, for every guest level. */
	for (unsigned int q = 0; q <= 0xe0; q += 0x10) {
		rpr = phys_prio((uint8_t)q) & phys_mask();
		assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_RPR, true, &v));
		assert_int_equal(v, q);
	}
}

static void test_ctlr_reads_as_the_virtual_interface_and_keeps_eoimode_there(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_CTLR, true, &v));
	/* PRIbits 4, IDbits 0, A3V: what ICV_CTLR_EL1 showed before it trapped. */
	assert_int_equal(v, 4ULL << 8 | 1ULL << 15);
	v = ICC_CTLR_EL1_EOImode;
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_CTLR, false, &v));
	assert_int_equal(vmcr, ICH_VMCR_VEOIM);
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_CTLR, true, &v));
	assert_int_equal(v, 4ULL << 8 | 1ULL << 15 | ICC_CTLR_EL1_EOImode);
	assert_int_equal(pmr_writes,
			 0); /* host_write_sysreg() fails any physical write but these */
}

/*
 * ICC_CTLR_EL1's other fields as ICV_CTLR_EL1 had them: SEIS and A3V from
 * ICH_VTR_EL2 (here a CPU with SEIS and without A3V), CBPR kept in
 * ICH_VMCR_EL2 (VCBPR, bit 4) apart from EOImode.
 */
static void test_ctlr_shows_seis_a3v_and_cbpr_as_the_virtual_interface(void **state)
{
	uint64_t v = 1ULL << 0; /* CBPR */

	(void)state;
	vtr = (VTR_QEMU & ~(1ULL << 21)) | 1ULL << 22;
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_CTLR, false, &v));
	assert_int_equal(vmcr, 1ULL << 4);
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_CTLR, true, &v));
	assert_int_equal(v, 4ULL << 8 | 1ULL << 14 | 1ULL << 0);
}

static void test_a_dir_does_nothing_and_rpr_written_or_dir_read_is_undefined(void **state)
{
	uint64_t v = 27;

	(void)state;
	assert_true(vgic_hw_direct_common(vcpu, VGIC_ICC_DIR, false, &v));
	assert_false(vgic_hw_direct_common(vcpu, VGIC_ICC_DIR, true, &v));
	assert_false(vgic_hw_direct_common(vcpu, VGIC_ICC_RPR, false, &v));
	assert_int_equal(pmr_writes, 0);
	assert_int_equal(vmcr, 0);
}

static void test_an_emulated_cells_access_is_undefined(void **state)
{
	uint64_t v = 0;

	(void)state;
	cfg.irq_mode = LAYOUT_IRQ_EMULATED;
	assert_false(vgic_hw_direct_common(vcpu, VGIC_ICC_PMR, false, &v));
	assert_false(vgic_hw_direct_common(vcpu, VGIC_ICC_PMR, true, &v));
	assert_int_equal(pmr_writes, 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_no_guest_mask_holds_off_the_hypervisor),
		T(test_every_priority_the_guest_masks_stays_masked),
		T(test_what_the_guest_unmasks_two_levels_up_is_signalled),
		T(test_the_guests_lowest_mask_lets_its_lowest_usable_priority_through),
		T(test_a_pmr_write_reaches_the_physical_mask_and_reads_back_in_the_guests_bits),
		T(test_a_fresh_vcpu_masks_everything_and_traps_the_common_registers),
		T(test_rpr_reads_the_guests_running_priority),
		T(test_ctlr_reads_as_the_virtual_interface_and_keeps_eoimode_there),
		T(test_ctlr_shows_seis_a3v_and_cbpr_as_the_virtual_interface),
		T(test_a_dir_does_nothing_and_rpr_written_or_dir_read_is_undefined),
		T(test_an_emulated_cells_access_is_undefined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
