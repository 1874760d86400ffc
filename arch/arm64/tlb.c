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

/*
 * TLBI by VMID acts on the VMID in VTTBR_EL2: load the cell's for the TLBI,
 * with its real root. While it is loaded this CPU has stage 2 on
 * (HCR_EL2.VM) and that VTTBR live. At EL2 the EL1&0 regime is out of
 * context and no new speculative walk may use it (Arm ARM DDI 0487I.a
 * D8.1.5, "Out-of-context translation regimes"), but a walk the interrupted
 * guest started may go on after the exception to EL2 (R_LFHQG), and the
 * speculative-AT errata (Cortex-A55 1530923, A57 1319537, A72 1319367, A76
 * 1165522) start new ones. With BADDR 0, such a walk would fill entries
 * tagged the cell's VMID from whatever is at PA 0, after the TLBI meant to
 * remove them; with the real root they are the cell's own translations. The
 * DSB before the switch (ISH, not ISHST) also waits for walks in flight, so
 * none sees the VTTBR change under it. The VMID may be another cell's (a
 * stop from this CPU, cell_force_out()): on those errata parts a speculative
 * walk could then pair this CPU's guest stage 1 (its TCR_EL1, TTBRn_EL1)
 * with the other cell's stage 2 and read that cell's memory into the
 * caches. TCR_EL1.EPD0 and EPD1 stop stage-1 walks for the while, as
 * Linux's __tlb_switch_to_guest() does for these errata.
 */
#define TCR_EL1_EPD0 (1UL << 7)
#define TCR_EL1_EPD1 (1UL << 23)

static void tlb_flush_vmid(const struct pt *pt)
{
	uint64_t saved = read_sysreg(vttbr_el2), tcr = read_sysreg(tcr_el1);

	write_sysreg(tcr | TCR_EL1_EPD0 | TCR_EL1_EPD1, tcr_el1);
	isb();
	dsb(ish);
	write_sysreg(pt_stage2_vttbr(pt), vttbr_el2);
	isb();
	__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	write_sysreg(saved, vttbr_el2);
	isb();
	write_sysreg(tcr, tcr_el1);
}

void pt_arch_tlb_flush(const struct pt *pt, uint64_t va, uint64_t size)
{
	(void)va;
	(void)size;
	if (pt->stage == PT_STAGE1_EL2) {
		dsb(ishst);
		if (pt->local_tlb)
			__asm__ volatile("tlbi alle2" : : : "memory");
		else
			__asm__ volatile("tlbi alle2is" : : : "memory");
	} else {
		tlb_flush_vmid(pt);
	}
	dsb(ish);
	isb();
}
