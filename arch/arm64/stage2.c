// SPDX-License-Identifier: GPL-2.0-only
/*
 * Each cell's stage-2 translation: one table tree and one VMID per cell,
 * built once at boot from a pool sized here. Memory is Normal WB RWX,
 * shared memory Normal WB RW or RO and XN, devices Device-nGnRE RW XN; nothing else is mapped, so
 * any other IPA faults to EL2.
 */
#include <stddef.h>
#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "guest_abort.h"
#include "log.h"
#include "pgtable.h"
#include "sysreg.h"
#include "test_fault.h"

#define S2_POOL_TABLES 256

static pte_t s2_tables[S2_POOL_TABLES][PT_ENTRIES] __attribute__((aligned(4096)));
static struct pt_pool s2_pool = { .tables = s2_tables, .nr = S2_POOL_TABLES };
static struct pt s2_pts[LAYOUT_MAX_CELLS];
static struct pt s2_dma_pts[LAYOUT_MAX_CELLS];

unsigned int arch_stage2_pa_bits(void)
{
	unsigned int parange = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

#ifdef BULKHEAD_TEST_FAULT
	if (arch_cpu_index() == 1 && test_fault_chosen() == TEST_FAULT_PARANGE_CPU1)
		parange = 0; /* 32 bits */
#endif
	return pt_ipa_bits_from_parange(parange);
}

static int stage2_tree_init(struct pt *pt, uint16_t vmid)
{
	int ret = pt_init(pt, PT_STAGE2, arch_stage2_pa_bits(), &s2_pool);

	pt->vmid = vmid;
	/* Built once from a layout with no overlaps: a second mapping of an IPA is a bug. */
	pt->no_replace = true;
	return ret;
}

int arch_stage2_init(struct cell *cell, bool dma_tables)
{
	/* VMID 0 stays unused: nothing runs with it */
	uint16_t vmid = (uint16_t)(cell->id + 1);
	int ret = stage2_tree_init(&s2_pts[cell->id], vmid);

	if (!ret && dma_tables)
		ret = stage2_tree_init(&s2_dma_pts[cell->id], vmid);
	if (ret)
		return ret;
	cell->s2.pt = &s2_pts[cell->id];
	cell->s2.dma_pt = dma_tables ? &s2_dma_pts[cell->id] : NULL;
	cell->s2.vmid = vmid;
	return 0;
}

/* Into the CPUs' tables, and the SMMU's if it has its own. */
static int stage2_map(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size, enum pt_mem type,
		      unsigned int perm)
{
	int ret = pt_map(cell->s2.pt, ipa, pa, size, type, perm);

	if (!ret && cell->s2.dma_pt)
		ret = pt_map(cell->s2.dma_pt, ipa, pa, size, type, perm);
	return ret;
}

int arch_stage2_map_ram(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size)
{
	return stage2_map(cell, ipa, pa, size, PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W | PT_PERM_X);
}

/* Shared memory: Normal WB like RAM, never executable (code does not travel between cells). */
int arch_stage2_map_shared(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size,
			   bool writable)
{
	return stage2_map(cell, ipa, pa, size, PT_MEM_NORMAL,
			  PT_PERM_R | (writable ? PT_PERM_W : 0));
}

int arch_stage2_map_device(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size)
{
	return stage2_map(cell, ipa, pa, size, PT_MEM_DEVICE, PT_PERM_R | PT_PERM_W);
}

int arch_stage2_map_cpu_only(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size)
{
	return pt_map(cell->s2.pt, ipa, pa, size, PT_MEM_DEVICE, PT_PERM_R | PT_PERM_W);
}

void arch_stage2_revoke(struct cell *cell, bool revoke)
{
	pt_revoke(cell->s2.pt, revoke);
	if (cell->s2.dma_pt)
		pt_revoke(cell->s2.dma_pt, revoke);
	/*
	 * The TLBs flushed, an event: a vCPU sleeping in WFE or WFET (not trapped)
	 * with its kick held off wakes, and its next fetch traps.
	 */
	if (revoke)
		sev();
}

unsigned int arch_stage2_tables(const struct cell *cell)
{
	const struct pt *pt = cell->s2.pt, *dma = cell->s2.dma_pt;

	return (pt ? pt->nr_tables : 0) + (dma ? dma->nr_tables : 0);
}

uint64_t arch_stage2_dma_ttbr(struct cell *cell)
{
	const struct pt *pt = cell->s2.dma_pt ? cell->s2.dma_pt : cell->s2.pt;

	return (uintptr_t)pt->root; /* identity mapped: VA = PA */
}

uint64_t arch_stage2_vtcr(struct cell *cell)
{
	return pt_stage2_vtcr(cell->s2.pt, arch_stage2_pa_bits());
}

#ifdef BULKHEAD_TEST_FAULT
/*
 * "s2-af-clear" (include/test_fault.h): at the first entry of a vCPU of cell
 * 1, its tables built long before. Only the CPUs' tables: the SMMU's own
 * (GICv2 with DMA) keep the flag.
 */
static void test_fault_clear_af(struct cell *cell)
{
	uint64_t ipa = cell->cfg->mem[0].ipa + TEST_FAULT_S2_AF_OFFSET;
	int ret;

	if (cell->id != 1 || !test_fault_once(TEST_FAULT_S2_AF_CLEAR))
		return;
	ret = pt_test_clear_af(cell->s2.pt, ipa);
	if (ret)
		log_err("test-fault: cell %s: the access flag of IPA page 0x%lx not cleared (%d)",
			cell->cfg->label, (unsigned long)ipa, ret);
	else
		log_info("test-fault: cell %s: access flag cleared in the stage-2 descriptor of "
			 "IPA page 0x%lx",
			 cell->cfg->label, (unsigned long)ipa);
}
#endif

void arch_stage2_activate(struct cell *cell)
{
	struct pt *pt = cell->s2.pt;

#ifdef BULKHEAD_TEST_FAULT
	test_fault_clear_af(cell);
#endif

	write_sysreg(pt_stage2_vtcr(pt, arch_stage2_pa_bits()), vtcr_el2);
	write_sysreg(pt_stage2_vttbr(pt), vttbr_el2);
	isb();
	/* A restarted cell reuses its VMID: drop what this CPU cached for it. */
	arch_stage2_tlb_flush_local();
}

/*
 * Also what a TLB conflict abort needs (guest_abort.c): the VMALLS12E1 form
 * removes every entry of a conflict (Arm ARM D8.17.3, I_JCCRT), stage 1's
 * and stage 2's, where removing by IPA is IMPLEMENTATION DEFINED (R_GRVDR),
 * and HPFAR_EL2 gives no IPA for one anyway. This CPU's TLBs only (no IS):
 * they hold the conflict, and the cell's other CPUs take their own aborts.
 */
void arch_stage2_tlb_flush_local(void)
{
	tlbi(vmalls12e1);
	dsb(nsh);
	isb();
}

void arch_stage2_pool_usage(unsigned int *used, unsigned int *total)
{
	*used = s2_pool.used;
	*total = s2_pool.nr;
}
