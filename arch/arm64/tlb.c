// SPDX-License-Identifier: GPL-2.0-only
/* TLB and table-visibility maintenance for pgtable.c. */
#include "pgtable.h"
#include "sysreg.h"

void pt_arch_sync_tables(void)
{
	/* Table stores must reach the walker before any access that uses them. */
	dsb(ishst);
	isb();
}

void pt_arch_tlb_flush(const struct pt *pt, uint64_t va, uint64_t size)
{
	uint64_t saved;

	(void)va;
	(void)size;
	dsb(ishst);
	if (pt->stage == PT_STAGE1_EL2) {
		__asm__ volatile("tlbi alle2is" : : : "memory");
	} else {
		/* TLBI by VMID acts on the VMID in VTTBR_EL2: switch to the cell's briefly. */
		saved = read_sysreg(vttbr_el2);
		write_sysreg((uint64_t)pt->vmid << 48, vttbr_el2);
		isb();
		__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
		dsb(ish);
		write_sysreg(saved, vttbr_el2);
	}
	dsb(ish);
	isb();
}
