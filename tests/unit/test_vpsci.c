// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's PSCI calls (partitions/vpsci.c) that name a vCPU or an address:
 * CPU_ON and AFFINITY_INFO reach only the caller's own cell's vCPUs (virtual
 * MPIDR = vCPU index), CPU_ON enters only at a 4-byte aligned address inside
 * the cell's RAM, and only while the cell runs (a CPU_ON still at EL2 when a
 * stop comes must not turn a vCPU on again). Which calls are PSCI's: a
 * function ID outside its range is left to the other services, one with no
 * SMC64 form made as SMC64 is NOT_SUPPORTED. PSCI (Arm DEN 0022) codes:
 * NOT_SUPPORTED -1, INVALID_PARAMETERS -2, ALREADY_ON -4, ON_PENDING -5,
 * INTERNAL_FAILURE -6, INVALID_ADDRESS -9.
 *
 * alpha: two vCPUs (vCPU 0 on CPU 2, calling; vCPU 1 on CPU 3, off), 256 MiB
 * of RAM at IPA 0x40000000. beta: one vCPU on CPU 4, which alpha must never
 * reach.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "fake_log.h"
#include "gic.h"
#include "hypercall.h"
#include "memstat.h"
#include "vgic_hw.h"

#define PSCI_CPU_OFF_64		0xc4000002U /* no SMC64 form: CPU_OFF takes no argument */
#define PSCI_CPU_ON_64		0xc4000003U
#define PSCI_AFFINITY_INFO_64	0xc4000004U
#define PSCI_SYSTEM_OFF_64	0xc4000008U /* no SMC64 form either */
#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)
#define PSCI_INTERNAL_FAILURE	(-6)
#define PSCI_INVALID_ADDRESS	(-9)
#define AFFINITY_ON		0
#define AFFINITY_OFF		1
#define AFFINITY_ON_PENDING	2

#define RAM_IPA	 0x40000000ULL
#define RAM_SIZE 0x10000000ULL
#define ENTRY	 (RAM_IPA + 0x80000)
#define CONTEXT	 0x1234

static struct layout_cell alpha_cfg = { .label = "alpha", .nr_cpus = 2, .nr_mem = 1 };
static struct layout_cell beta_cfg = { .label = "beta", .nr_cpus = 1, .nr_mem = 1 };
static struct cell *const alpha = &cells[0];
static struct cell *const beta = &cells[1];

/* --- what vpsci.c calls ---------------------------------------------------------- */

/* The physical CPUs kicked, in order: a CPU_ON wakes its target's. */
static unsigned int kicked[8], nr_kicked;

void gic_kick(unsigned int cpu)
{
	assert_true(nr_kicked < 8);
	kicked[nr_kicked++] = cpu;
}

/* One thread: a lock is never held when taken. */
void arch_cpu_relax(void)
{
	fail_msg("spun on a lock nobody holds");
}

bool arch_guest_big_endian(void)
{
	return false;
}

/* CPU_OFF, SYSTEM_OFF and SYSTEM_RESET: no test here makes them. */
void vgic_hw_vcpu_off(struct vcpu *vcpu)
{
	fail_msg("vgic_hw_vcpu_off(%s vcpu%u)", vcpu->cell->cfg->label, vcpu->index);
}

void arch_vcpu_exit_to_loop(void)
{
	fail_msg("the caller left its guest");
	abort(); /* fail_msg() jumps back to cmocka */
}

void cell_stop(struct cell *cell, const char *why)
{
	fail_msg("cell_stop(%s, %s)", cell->cfg->label, why);
}

void cell_restart(struct cell *cell, const char *why)
{
	fail_msg("cell_restart(%s, %s)", cell->cfg->label, why);
}

/* cell_table.c's memstat_log(), which no test here calls. */
void memstat_read(struct memstat *m)
{
	memset(m, 0, sizeof(*m));
}

unsigned int arch_stage2_tables(const struct cell *cell)
{
	(void)cell;
	return 0;
}

/* --- helpers --------------------------------------------------------------------- */

static void make_cell(struct cell *c, struct layout_cell *cfg, unsigned int id,
		      unsigned int first_cpu)
{
	memset(c, 0, sizeof(*c));
	cfg->mem[0] = (struct layout_region){ RAM_IPA, 0x48000000 + id * RAM_SIZE, RAM_SIZE };
	c->cfg = cfg;
	c->id = id;
	c->state = CELL_RUNNING;
	c->nr_vcpus = cfg->nr_cpus;
	for (unsigned int i = 0; i < c->nr_vcpus; i++)
		c->vcpus[i] = (struct vcpu){ .cell = c, .index = i, .pcpu = first_cpu + i };
	c->vcpus[0].power = VCPU_ON;
}

static int setup(void **state)
{
	(void)state;
	make_cell(alpha, &alpha_cfg, 0, 2);
	make_cell(beta, &beta_cfg, 1, 4);
	cells_nr = 2;
	nr_kicked = 0;
	fake_log_reset();
	return 0;
}

/* alpha's vCPU 0 makes PSCI call @fid (x1-x3 @a1-@a3); returns x0. */
static int64_t psci(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct smccc_regs regs = { .a = { fid, a1, a2, a3 } };

	assert_int_equal(vpsci_call(&alpha->vcpus[0], &regs), 1);
	return (int64_t)regs.a[0];
}

/* CPU_ON of @target at @entry answers @want, turns no vCPU on and kicks no CPU. */
static void assert_cpu_on_refused(uint64_t target, uint64_t entry, int64_t want)
{
	int64_t got = psci(PSCI_CPU_ON_64, target, entry, CONTEXT);

	if (got != want)
		fail_msg("CPU_ON of MPIDR 0x%lx at 0x%lx answered %ld, want %ld",
			 (unsigned long)target, (unsigned long)entry, (long)got, (long)want);
	for (unsigned int i = 1; i < LAYOUT_MAX_CPUS; i++)
		if (alpha->vcpus[i].power != VCPU_OFF)
			fail_msg("CPU_ON of MPIDR 0x%lx at 0x%lx, refused, turned on alpha's "
				 "vcpu%u",
				 (unsigned long)target, (unsigned long)entry, i);
	if (nr_kicked)
		fail_msg("CPU_ON of MPIDR 0x%lx at 0x%lx, refused, kicked CPU %u",
			 (unsigned long)target, (unsigned long)entry, kicked[0]);
}

/* --- CPU_ON ---------------------------------------------------------------------- */

static void test_cpu_on_of_a_vcpu_of_the_cell_enters_it_at_the_entry_given(void **state)
{
	(void)state;
	assert_int_equal(psci(PSCI_CPU_ON_64, 1, ENTRY, CONTEXT), PSCI_SUCCESS);
	assert_int_equal(alpha->vcpus[1].power, VCPU_ON_PENDING);
	assert_int_equal(alpha->vcpus[1].entry, ENTRY);
	assert_int_equal(alpha->vcpus[1].context, CONTEXT);
	assert_int_equal(nr_kicked, 1);
	assert_int_equal(kicked[0], 3);
}

/*
 * MPIDR 2 is not alpha's (it has vCPUs 0 and 1), whatever the physical CPU
 * numbers or beta's vCPUs: as the other Aff levels, not a vCPU of the cell.
 */
static void test_cpu_on_of_an_mpidr_outside_the_cell_is_invalid_parameters(void **state)
{
	(void)state;
	assert_cpu_on_refused(2, ENTRY, PSCI_INVALID_PARAMETERS);
	assert_cpu_on_refused(3, ENTRY, PSCI_INVALID_PARAMETERS);
	assert_cpu_on_refused(0xff, ENTRY, PSCI_INVALID_PARAMETERS);
	assert_cpu_on_refused(1u << 8, ENTRY, PSCI_INVALID_PARAMETERS);	       /* Aff1 1 */
	assert_cpu_on_refused(1ULL << 32, ENTRY, PSCI_INVALID_PARAMETERS);     /* Aff3 1 */
	assert_cpu_on_refused(1ULL << 31 | 1, ENTRY, PSCI_INVALID_PARAMETERS); /* bit 31: no Aff */
}

static void test_cpu_on_at_an_entry_not_4_byte_aligned_is_invalid_address(void **state)
{
	(void)state;
	assert_cpu_on_refused(1, ENTRY + 2, PSCI_INVALID_ADDRESS);
	assert_cpu_on_refused(1, ENTRY + 1, PSCI_INVALID_ADDRESS);
	assert_cpu_on_refused(1, RAM_IPA + RAM_SIZE - 2, PSCI_INVALID_ADDRESS);
}

/* The entry's instruction, 4 bytes, lies in the cell's RAM: the last word of it is. */
static void test_cpu_on_at_an_entry_outside_the_cells_ram_is_invalid_address(void **state)
{
	(void)state;
	assert_cpu_on_refused(1, RAM_IPA - 4, PSCI_INVALID_ADDRESS);
	assert_cpu_on_refused(1, RAM_IPA + RAM_SIZE, PSCI_INVALID_ADDRESS);
	assert_cpu_on_refused(1, 0, PSCI_INVALID_ADDRESS);
	assert_cpu_on_refused(1, 0x09000000, PSCI_INVALID_ADDRESS); /* the virtual PL011 */
	assert_cpu_on_refused(1, ~3ULL, PSCI_INVALID_ADDRESS);
	assert_int_equal(psci(PSCI_CPU_ON_64, 1, RAM_IPA + RAM_SIZE - 4, 0), PSCI_SUCCESS);
}

/*
 * A stop marked the cell STOPPING while this CPU_ON was on its way: the
 * target stays off (the stop turned them all off and will not look again).
 */
static void test_cpu_on_while_the_cell_stops_is_internal_failure_and_leaves_it_off(void **state)
{
	(void)state;
	alpha->state = CELL_STOPPING;
	assert_cpu_on_refused(1, ENTRY, PSCI_INTERNAL_FAILURE);
	alpha->state = CELL_LOADING;
	assert_cpu_on_refused(1, ENTRY, PSCI_INTERNAL_FAILURE);
}

/* A second CPU_ON of a vCPU on, or on its way, changes nothing and wakes no CPU again. */
static void test_cpu_on_of_a_vcpu_on_or_pending_is_refused_and_kicks_no_cpu(void **state)
{
	(void)state;
	assert_int_equal(psci(PSCI_CPU_ON_64, 0, ENTRY, CONTEXT), PSCI_ALREADY_ON);
	assert_int_equal(nr_kicked, 0);
	assert_int_equal(psci(PSCI_CPU_ON_64, 1, ENTRY, CONTEXT), PSCI_SUCCESS);
	assert_int_equal(psci(PSCI_CPU_ON_64, 1, ENTRY + 4, CONTEXT + 1), PSCI_ON_PENDING);
	assert_int_equal(nr_kicked, 1);
	assert_int_equal(alpha->vcpus[1].entry, ENTRY);
	assert_int_equal(alpha->vcpus[1].context, CONTEXT);
}

/* --- AFFINITY_INFO --------------------------------------------------------------- */

static void test_affinity_info_answers_for_the_cells_vcpus_only(void **state)
{
	(void)state;
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 0, 0, 0), AFFINITY_ON);
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 1, 0, 0), AFFINITY_OFF);
	assert_int_equal(psci(PSCI_CPU_ON_64, 1, ENTRY, CONTEXT), PSCI_SUCCESS);
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 1, 0, 0), AFFINITY_ON_PENDING);
	/* beta's vCPU 0 is on, but MPIDR 2 is nobody's in alpha. */
	beta->vcpus[0].power = VCPU_ON;
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 2, 0, 0), PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 1ULL << 32, 0, 0), PSCI_INVALID_PARAMETERS);
	/* Only the lowest affinity level is answered. */
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 1, 1, 0), PSCI_INVALID_PARAMETERS);
}

/* --- which calls are PSCI's ------------------------------------------------------ */

/*
 * A call with no SMC64 form made as SMC64 is NOT_SUPPORTED, as PSCI_FEATURES
 * says: it does not turn the caller off or stop its cell (the stand-ins fail).
 */
static void test_an_smc64_call_with_no_smc64_form_is_not_supported(void **state)
{
	(void)state;
	assert_int_equal(psci(PSCI_CPU_OFF_64, 0, 0, 0), PSCI_NOT_SUPPORTED);
	assert_int_equal(psci(PSCI_SYSTEM_OFF_64, 0, 0, 0), PSCI_NOT_SUPPORTED);
	assert_int_equal(alpha->vcpus[0].power, VCPU_ON);
	assert_int_equal(alpha->state, CELL_RUNNING);
}

/* A function ID outside PSCI's 32 is left to the other services, x0 untouched. */
static void test_a_call_outside_psci_is_left_to_the_other_services(void **state)
{
	static const uint32_t others[] = { 0x84000020U, 0xc4000020U, 0x80000000U, 0x86000000U,
					   0x04000003U };

	(void)state;
	for (unsigned int i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		struct smccc_regs regs = { .a = { others[i], 1, ENTRY, CONTEXT } };

		if (vpsci_call(&alpha->vcpus[0], &regs) != 0)
			fail_msg("function 0x%x taken as PSCI's", others[i]);
		assert_int_equal(regs.a[0], others[i]);
	}
	assert_int_equal(alpha->vcpus[1].power, VCPU_OFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_cpu_on_of_a_vcpu_of_the_cell_enters_it_at_the_entry_given, setup),
		cmocka_unit_test_setup(
			test_cpu_on_of_an_mpidr_outside_the_cell_is_invalid_parameters, setup),
		cmocka_unit_test_setup(
			test_cpu_on_at_an_entry_not_4_byte_aligned_is_invalid_address, setup),
		cmocka_unit_test_setup(
			test_cpu_on_at_an_entry_outside_the_cells_ram_is_invalid_address, setup),
		cmocka_unit_test_setup(
			test_cpu_on_while_the_cell_stops_is_internal_failure_and_leaves_it_off,
			setup),
		cmocka_unit_test_setup(
			test_cpu_on_of_a_vcpu_on_or_pending_is_refused_and_kicks_no_cpu, setup),
		cmocka_unit_test_setup(test_affinity_info_answers_for_the_cells_vcpus_only, setup),
		cmocka_unit_test_setup(test_an_smc64_call_with_no_smc64_form_is_not_supported,
				       setup),
		cmocka_unit_test_setup(test_a_call_outside_psci_is_left_to_the_other_services,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
