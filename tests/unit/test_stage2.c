// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's stage 2 as arch/arm64/stage2.c builds it (the real table code, pgtable.c): the
 * attributes each kind of mapping gets (docs/shm.md, docs/architecture.md), which trees it
 * goes into, and what revoking and activating a cell's tables do to the CPU, whose system
 * registers, SEV and TLBI this test plays.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arch/vcpu.h"
#include "cell.h"
#include "fake_tlb.h"
#include "pgtable.h"
#include "pgtable_bits.h"
#include "sysreg.h"

#define IPA 0x50000000ULL
#define PA  0x58000000ULL
#define SZ  0x200000ULL

#define PARANGE_48_BITS 5 /* ID_AA64MMFR0_EL1.PARange 0b0101 */

#define S2AP_MASK  (PTE_S2AP_R | PTE_S2AP_W)
#define MEMATTR(d) (((d) >> PTE_S2_MEMATTR_SHIFT) & 0xf)

static struct {
	uint64_t vtcr, vttbr;
	unsigned int sevs, tlbis;
	char last_tlbi[32];
} cpu;

static struct cell cell;

uint64_t host_read_sysreg(const char *name)
{
	if (!strcmp(name, "id_aa64mmfr0_el1"))
		return PARANGE_48_BITS;
	fail_msg("read of %s", name);
	return 0;
}

void host_write_sysreg(const char *name, uint64_t val)
{
	if (!strcmp(name, "vtcr_el2"))
		cpu.vtcr = val;
	else if (!strcmp(name, "vttbr_el2"))
		cpu.vttbr = val;
	else
		fail_msg("write of %s", name);
}

void host_sev(void)
{
	cpu.sevs++;
}

void host_tlbi(const char *op)
{
	cpu.tlbis++;
	snprintf(cpu.last_tlbi, sizeof(cpu.last_tlbi), "%s", op);
}

/* A cell with its own stage 2 (and the SMMU's own tree if @dma_tables). */
static void cell_with_stage2(bool dma_tables)
{
	memset(&cpu, 0, sizeof(cpu));
	memset(&cell, 0, sizeof(cell));
	cell.id = 2; /* VMID 3; its trees are made anew, from the pool, each time */
	fake_tlb_reset();
	assert_int_equal(arch_stage2_init(&cell, dma_tables), 0);
}

/* The descriptor that maps @ipa in @pt, which must map it to @pa. */
static pte_t desc_at(const void *pt, uint64_t ipa, uint64_t pa)
{
	uint64_t got = 0;
	pte_t d = 0;

	assert_int_equal(pt_lookup(pt, ipa, &got, NULL, &d), 0);
	assert_int_equal(got, pa);
	return d;
}

static void test_read_only_shared_memory_is_s2ap_read_only_and_never_executable(void **state)
{
	pte_t d;

	(void)state;
	cell_with_stage2(false);
	assert_int_equal(arch_stage2_map_shared(&cell, IPA, PA, SZ, false), 0);
	d = desc_at(cell.s2.pt, IPA + 0x1000, PA + 0x1000);
	assert_int_equal(d & S2AP_MASK, PTE_S2AP_R); /* S2AP = 01 */
	assert_int_equal(d & PTE_S2_XN_MASK, PTE_S2_XN_NONE_EXECUTABLE);
	assert_int_equal(MEMATTR(d), S2_MEMATTR_NORMAL_WB);
}

static void test_writable_shared_memory_is_s2ap_read_write_and_never_executable(void **state)
{
	pte_t d;

	(void)state;
	cell_with_stage2(false);
	assert_int_equal(arch_stage2_map_shared(&cell, IPA, PA, SZ, true), 0);
	d = desc_at(cell.s2.pt, IPA, PA);
	assert_int_equal(d & S2AP_MASK, PTE_S2AP_R | PTE_S2AP_W); /* S2AP = 11 */
	assert_int_equal(d & PTE_S2_XN_MASK, PTE_S2_XN_NONE_EXECUTABLE);
	assert_int_equal(MEMATTR(d), S2_MEMATTR_NORMAL_WB);
}

/* docs/architecture.md: "memory Normal WB"; the guest runs its kernel from it. */
static void test_cell_ram_is_normal_write_back_read_write_executable(void **state)
{
	pte_t d;

	(void)state;
	cell_with_stage2(false);
	assert_int_equal(arch_stage2_map_ram(&cell, IPA, PA, SZ), 0);
	d = desc_at(cell.s2.pt, IPA, PA);
	assert_int_equal(d & S2AP_MASK, PTE_S2AP_R | PTE_S2AP_W);
	assert_int_equal(d & PTE_S2_XN_MASK, 0);
	assert_int_equal(MEMATTR(d), S2_MEMATTR_NORMAL_WB);
	assert_int_equal(d & (3ULL << PTE_SH_SHIFT), PTE_SH_INNER);
	assert_true(d & PTE_AF);
}

/* docs/traps.md: Device-nGnRE whatever the guest's stage 1 says, and no instruction fetch. */
static void test_a_device_is_device_ngnre_read_write_and_never_executable(void **state)
{
	pte_t d;

	(void)state;
	cell_with_stage2(false);
	assert_int_equal(arch_stage2_map_device(&cell, 0x9010000, 0x9010000, 0x1000), 0);
	d = desc_at(cell.s2.pt, 0x9010000, 0x9010000);
	assert_int_equal(d & S2AP_MASK, PTE_S2AP_R | PTE_S2AP_W);
	assert_int_equal(d & PTE_S2_XN_MASK, PTE_S2_XN_NONE_EXECUTABLE);
	assert_int_equal(MEMATTR(d), S2_MEMATTR_DEVICE_nGnRE);
}

/*
 * The SMMU's own tree (GICv2 with DMA) takes what the CPUs' takes, read-only
 * included, so a device cannot write where its cell cannot; CPU-only frames
 * (a GICv2 CPU interface) stay out of it.
 */
static void test_the_smmus_own_tree_gets_the_same_mappings_but_cpu_only_frames(void **state)
{
	(void)state;
	cell_with_stage2(true);
	assert_non_null(cell.s2.dma_pt);
	assert_int_equal(arch_stage2_map_shared(&cell, IPA, PA, SZ, false), 0);
	assert_int_equal(arch_stage2_map_cpu_only(&cell, 0x8010000, 0x2c02f000, 0x2000), 0);
	assert_int_equal(desc_at(cell.s2.dma_pt, IPA, PA), desc_at(cell.s2.pt, IPA, PA));
	desc_at(cell.s2.pt, 0x8010000, 0x2c02f000);
	assert_int_not_equal(pt_lookup(cell.s2.dma_pt, 0x8010000, NULL, NULL, NULL), 0);
	assert_int_equal(arch_stage2_dma_ttbr(&cell),
			 (uintptr_t)((struct pt *)cell.s2.dma_pt)->root);
}

/* A revoke unmaps both trees and sends an event (a vCPU in an untrapped WFE wakes to fault). */
static void test_revoking_unmaps_both_trees_and_wakes_waiting_vcpus(void **state)
{
	(void)state;
	cell_with_stage2(true);
	assert_int_equal(arch_stage2_map_ram(&cell, IPA, PA, SZ), 0);
	arch_stage2_revoke(&cell, true);
	assert_int_not_equal(pt_lookup(cell.s2.pt, IPA, NULL, NULL, NULL), 0);
	assert_int_not_equal(pt_lookup(cell.s2.dma_pt, IPA, NULL, NULL, NULL), 0);
	assert_int_equal(cpu.sevs, 1);
	arch_stage2_revoke(&cell, false);
	desc_at(cell.s2.pt, IPA, PA);
	assert_int_equal(cpu.sevs, 1);
}

/* A restarted cell reuses its VMID: its tables are loaded with it, and this CPU's TLBs flushed. */
static void test_activating_loads_the_cells_tables_and_vmid_and_flushes_this_cpus_tlbs(void **state)
{
	const struct pt *pt;

	(void)state;
	cell_with_stage2(false);
	pt = cell.s2.pt;
	arch_stage2_activate(&cell);
	assert_int_equal(cpu.vttbr, (uintptr_t)pt->root | (uint64_t)(cell.id + 1) << 48);
	assert_int_equal(cpu.vtcr, pt_stage2_vtcr(pt, 48));
	assert_int_not_equal(cpu.vtcr, 0);
	assert_int_equal(cpu.tlbis, 1);
	assert_string_equal(cpu.last_tlbi, "vmalls12e1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_read_only_shared_memory_is_s2ap_read_only_and_never_executable),
		cmocka_unit_test(
			test_writable_shared_memory_is_s2ap_read_write_and_never_executable),
		cmocka_unit_test(test_cell_ram_is_normal_write_back_read_write_executable),
		cmocka_unit_test(test_a_device_is_device_ngnre_read_write_and_never_executable),
		cmocka_unit_test(
			test_the_smmus_own_tree_gets_the_same_mappings_but_cpu_only_frames),
		cmocka_unit_test(test_revoking_unmaps_both_trees_and_wakes_waiting_vcpus),
		cmocka_unit_test(
			test_activating_loads_the_cells_tables_and_vmid_and_flushes_this_cpus_tlbs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
