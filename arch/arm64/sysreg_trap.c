// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trapped system registers and system instructions (ESR_EL2.EC 0x18) that
 * isolation asks the hypervisor to handle, each as docs/traps.md decides:
 *   - set/way cache maintenance (HCR_EL2.TSW): emulated on the cell's own
 *     memory by VA, never on other cells' lines;
 *   - ACTLR_EL1 (HCR_EL2.TACR): reads as zero, writes ignored;
 *   - PMU registers (MDCR_EL2.TPM/TPMCR): read as zero, writes ignored;
 *   - OS lock, OS double lock, DBGPRCR_EL1 (MDCR_EL2.TDOSA), MDRAR_EL1
 *     (MDCR_EL2.TDRA): the OS lock is the cell's, the rest RAZ/WI;
 *   - RAS error records (HCR_EL2.TERR): none, ERRIDR_EL1 reads 0 and the
 *     record registers are RAZ/WI;
 *   - ID registers (HCR_EL2.TID3): the CPU's, without the features a cell
 *     is not given;
 *   - the GICv3 CPU interface's common registers of a direct cell
 *     (ICH_HCR_EL2.TC): ICC_PMR_EL1 and the others emulated
 *     (gic/vgic_direct_cpuif.c);
 *   - IMPLEMENTATION DEFINED registers (HCR_EL2.TIDCP), the trace unit's,
 *     TRFCR_EL1 and the activity monitors' (CPTR_EL2.TTA, MDCR_EL2.TTRF,
 *     CPTR_EL2.TAM), the LORegion registers (HCR_EL2.TLOR), SPE's
 *     (MDCR_EL2.TPMS, E2PB), MPAM's (MPAM2_EL2, MPAMHCR_EL2: boot/head.S),
 *     and anything else: an UNDEF injected into the guest, logged
 *     (rate-limited) and counted.
 */
#include <stdbool.h>
#include <stdio.h>
#include "arch/el2_map.h"
#include "cell.h"
#include "cpu_local.h"
#include "esr.h"
#include "fault.h"
#include "log.h"
#include "set_way.h"
#include "sysreg.h"
#include "sysreg_trap.h"
#include "vgic_hw.h"
#include "compiler.h"

/* DC ISW / DC CSW / DC CISW (op0 1, op1 0, CRn 7, CRm 6/10/14, op2 2). */
#define SYS_DC_ISW  ESR_SYSREG(1, 0, 7, 6, 2)
#define SYS_DC_CSW  ESR_SYSREG(1, 0, 7, 10, 2)
#define SYS_DC_CISW ESR_SYSREG(1, 0, 7, 14, 2)

#define SYSREG_ACTLR_EL1   ESR_SYSREG(3, 0, 1, 0, 1)
#define SYSREG_MDRAR_EL1   ESR_SYSREG(2, 0, 1, 0, 0)
#define SYSREG_OSLAR_EL1   ESR_SYSREG(2, 0, 1, 0, 4)
#define SYSREG_OSLSR_EL1   ESR_SYSREG(2, 0, 1, 1, 4)
#define OSLSR_EL1_OSLK	   (1UL << 1)
#define SYSREG_OSDLR_EL1   ESR_SYSREG(2, 0, 1, 3, 4)
#define SYSREG_DBGPRCR_EL1 ESR_SYSREG(2, 0, 1, 4, 4)
/* The GICv3 CPU interface's registers common to both groups (ICH_HCR_EL2.TC). */
#define SYSREG_ICC_PMR_EL1  ESR_SYSREG(3, 0, 4, 6, 0)
#define SYSREG_ICC_DIR_EL1  ESR_SYSREG(3, 0, 12, 11, 1)
#define SYSREG_ICC_RPR_EL1  ESR_SYSREG(3, 0, 12, 11, 3)
#define SYSREG_ICC_CTLR_EL1 ESR_SYSREG(3, 0, 12, 12, 4)

/* CLIDR_EL1.Ctype<n>: 3 bits per level; 2 data, 3 separate I+D, 4 unified. */
#define CLIDR_CTYPE(clidr, level) (((clidr) >> ((level)*3)) & 7)
#define CTYPE_DATA		  2
/* ID_AA64MMFR2_EL1.CCIDX [23:20]: 64-bit CCSIDR_EL1 format. */
#define ID_AA64MMFR2_CCIDX_SHIFT 20

/*
 * The data or unified cache at @level (0-based), or false if there is none.
 * CSSELR_EL1 is the guest's register (its EL1 state lives in this CPU): kept.
 */
static bool dcache_geometry(unsigned int level, struct cache_geometry *g)
{
	uint64_t clidr = read_sysreg(clidr_el1);
	uint64_t csselr, ccsidr;
	bool ccidx;

	if (level >= 7 || CLIDR_CTYPE(clidr, level) < CTYPE_DATA || CLIDR_CTYPE(clidr, level) > 4)
		return false;
	ccidx = id_field(read_sysreg(id_aa64mmfr2_el1), ID_AA64MMFR2_CCIDX_SHIFT) != 0;
	csselr = read_sysreg(csselr_el1);
	write_sysreg((uint64_t)level << 1, csselr_el1);
	isb();
	ccsidr = read_sysreg(ccsidr_el1);
	write_sysreg(csselr, csselr_el1);
	isb();
	g->line_shift = (unsigned int)(ccsidr & 7) + 4;
	if (ccidx) {
		g->ways = ((ccsidr >> 3) & 0x1fffff) + 1;
		g->sets = ((ccsidr >> 32) & 0xffffff) + 1;
	} else {
		g->ways = ((ccsidr >> 3) & 0x3ff) + 1;
		g->sets = ((ccsidr >> 13) & 0x7fff) + 1;
	}
	return true;
}

/* A hypervisor bug, not the guest's: said once, and the operation skipped rather than faulted. */
static __cold void set_way_unmapped(struct vcpu *vcpu, uint64_t pa, const char *why)
{
	static bool said;

	if (!__atomic_exchange_n(&said, true, __ATOMIC_RELAXED))
		log_err("%s: vcpu%u: set/way emulation: the cell's RAM at 0x%lx %s; not cleaned",
			vcpu->cell->cfg->label, vcpu->index, (unsigned long)pa, why);
}

/*
 * @n lines of region @r from @pa, @stride apart, cleaned and invalidated to
 * PoC by VA: through this CPU's window, where the blocks they lie in are
 * opened read-only and closed after, this CPU's TLB alone flushed. Those
 * blocks only, clipped to @r (arch_ram_window_blocks()): their tables were
 * built at boot with the whole region's (cell_load_prepare()), so no table
 * is taken, and the time under the EL2 map's lock, which every CPU's window
 * changes share, is that of at most SET_WAY_SPAN_PER_TRAP's blocks
 * (set_way.h), not of the cell's RAM (until 2026-11-25 the whole region: 1 GiB held the
 * lock ~15 times as long as 64 MiB at each trap, and slowed every other
 * cell's set/way and reload).
 */
void set_way_arch_clean(struct vcpu *vcpu, const struct layout_region *r, uint64_t pa,
			uint64_t stride, uint64_t n)
{
	uint64_t open_pa = pa, open_size = (n - 1) * stride + 1, i;
	uintptr_t base;
	int ret;

	arch_ram_window_blocks(r->pa, r->size, &open_pa, &open_size);
	ret = arch_ram_window_open(open_pa, open_size, false);
	if (ret) {
		set_way_unmapped(vcpu, pa, arch_el2_map_error(ret));
		return;
	}
	base = (uintptr_t)arch_ram_window_ptr(pa);
	if (!arch_el2_translates(base)) {
		set_way_unmapped(vcpu, pa, "does not translate in this CPU's window");
	} else {
		for (i = 0; i < n; i++)
			dc_civac(base + i * stride);
		dsb(ish);
	}
	arch_ram_window_close(open_pa, open_size);
}

/*
 * DC ISW/CSW/CISW by the guest. Set/way operations name cache lines, not
 * addresses: done as they are, they would clean lines of other cells (and
 * the hypervisor) in shared caches, and they reach only this CPU's caches
 * anyway. The guest means "this set of my data, to memory": so every line of
 * the cell's own RAM that can live in that set (physical addresses congruent
 * to the set index, stepping by the cache's way size) is cleaned and
 * invalidated to the point of coherency by VA (set_way.c), once per set: the
 * operation on way 0 does it, those on the other ways, which hold lines of
 * the same addresses, nothing. EL2 maps no cell's RAM while guests run: the
 * lines are reached through this CPU's own window (set_way_arch_clean()).
 * DC ISW is made a clean and invalidate, as the hardware itself does with
 * stage 2 enabled (HCR_EL2.VM): a cell never discards data. At most
 * SET_WAY_LINES_PER_TRAP lines per trap, on the cell's own CPU; if the set
 * has more, returns false and the guest executes the same operation again,
 * which goes on where this trap stopped. Operands naming a level, set or way
 * the cache does not have do nothing.
 */
static bool emulate_set_way(struct vcpu *vcpu, const struct trap_frame *f, uint64_t operand)
{
	static bool told[LAYOUT_MAX_CELLS];
	const struct layout_cell *cfg = vcpu->cell->cfg;
	struct cache_geometry g;

	if (!dcache_geometry((unsigned int)(operand >> 1) & 7, &g))
		return true;
	if (!__atomic_exchange_n(&told[vcpu->cell->id], true, __ATOMIC_RELAXED))
		log_info("%s: vcpu%u: set/way cache maintenance: emulated by VA on the cell's "
			 "memory, through this CPU's window (docs/traps.md)",
			 cfg->label, vcpu->index);
	return set_way_run(vcpu, &this_cpu()->set_way, cfg->mem, cfg->nr_mem, &g, f->elr, operand);
}

/* The PMU's registers: op0 3 and CRn 9 with CRm 12-14, or CRn 14 with op1 3, CRm 8-15. */
static bool is_pmu_reg(uint32_t iss)
{
	unsigned int crn = ESR_ISS_SYS_CRn(iss), crm = ESR_ISS_SYS_CRm(iss);

	if (ESR_ISS_SYS_Op0(iss) != 3)
		return false;
	if (crn == 9 && crm >= 12 && crm <= 14)
		return true;
	return crn == 14 && ESR_ISS_SYS_Op1(iss) == 3 && crm >= 8;
}

/*
 * The RAS error record registers HCR_EL2.TERR traps: op0 3, op1 0, CRn 5 with
 * CRm 3 (ERRIDR_EL1, ERRSELR_EL1), 4 (ERXFR, ERXCTLR, ERXSTATUS, ERXADDR,
 * ERXPFGF, ERXPFGCTL, ERXPFGCDN) or 5 (ERXMISC0-3).
 */
static bool is_ras_reg(uint32_t iss)
{
	return ESR_ISS_SYS_Op0(iss) == 3 && ESR_ISS_SYS_Op1(iss) == 0 &&
	       ESR_ISS_SYS_CRn(iss) == 5 && ESR_ISS_SYS_CRm(iss) >= 3 && ESR_ISS_SYS_CRm(iss) <= 5;
}

/* The ID register space HCR_EL2.TID3 traps: op0 3, op1 0, CRn 0, CRm 1-7. */
static bool is_id_reg(uint32_t iss)
{
	return ESR_ISS_SYS_Op0(iss) == 3 && ESR_ISS_SYS_Op1(iss) == 0 &&
	       ESR_ISS_SYS_CRn(iss) == 0 && ESR_ISS_SYS_CRm(iss) >= 1 && ESR_ISS_SYS_CRm(iss) <= 7;
}

#define ID_REG(crm, op2)                    \
	case ESR_SYSREG(3, 0, 0, crm, op2): \
		return read_sysreg_s("S3_0_C0_C" #crm "_" #op2)

/*
 * An ID register as the CPU has it, before id_reg_hidden() takes out what
 * the cell is not given. Only the registers named here are read from the
 * CPU; every other encoding of the space reads as zero, as an unallocated
 * one does (Arm ARM: "Reserved, RAZ"), so a register this code does not know
 * (a newer feature) says "not implemented". Not named on purpose, so 0:
 * ID_AFR0_EL1, ID_AA64AFR0/1_EL1 (IMPLEMENTATION DEFINED), ID_DFR1_EL1 (PMU
 * only), ID_AA64PFR2_EL1 (MTE's, FPMR, GCIE: none given), ID_AA64FPFR0_EL1
 * (FP8, which needs FPMR), ID_AA64DFR1/2_EL1 (more breakpoints than
 * reset_debug() clears, PMU, SPMU), ID_AA64MMFR3_EL1 (all through
 * TCR2_EL1/SCTLR2_EL1), ID_AA64MMFR4_EL1 (EL2 features, ASID2).
 */
static uint64_t id_reg_cpu(uint32_t reg)
{
	switch (reg) {
		ID_REG(1, 0); /* ID_PFR0_EL1 */
		ID_REG(1, 1); /* ID_PFR1_EL1 */
		ID_REG(1, 2); /* ID_DFR0_EL1 */
		ID_REG(1, 4); /* ID_MMFR0_EL1 */
		ID_REG(1, 5); /* ID_MMFR1_EL1 */
		ID_REG(1, 6); /* ID_MMFR2_EL1 */
		ID_REG(1, 7); /* ID_MMFR3_EL1 */
		ID_REG(2, 0); /* ID_ISAR0_EL1 */
		ID_REG(2, 1); /* ID_ISAR1_EL1 */
		ID_REG(2, 2); /* ID_ISAR2_EL1 */
		ID_REG(2, 3); /* ID_ISAR3_EL1 */
		ID_REG(2, 4); /* ID_ISAR4_EL1 */
		ID_REG(2, 5); /* ID_ISAR5_EL1 */
		ID_REG(2, 6); /* ID_MMFR4_EL1 */
		ID_REG(2, 7); /* ID_ISAR6_EL1 */
		ID_REG(3, 0); /* MVFR0_EL1 */
		ID_REG(3, 1); /* MVFR1_EL1 */
		ID_REG(3, 2); /* MVFR2_EL1 */
		ID_REG(3, 4); /* ID_PFR2_EL1 */
		ID_REG(3, 6); /* ID_MMFR5_EL1 */
		ID_REG(4, 0); /* ID_AA64PFR0_EL1 */
		ID_REG(4, 1); /* ID_AA64PFR1_EL1 */
		ID_REG(4, 4); /* ID_AA64ZFR0_EL1 */
		ID_REG(4, 5); /* ID_AA64SMFR0_EL1 */
		ID_REG(5, 0); /* ID_AA64DFR0_EL1 */
		ID_REG(6, 0); /* ID_AA64ISAR0_EL1 */
		ID_REG(6, 1); /* ID_AA64ISAR1_EL1 */
		ID_REG(6, 2); /* ID_AA64ISAR2_EL1 */
		ID_REG(6, 3); /* ID_AA64ISAR3_EL1 */
		ID_REG(7, 0); /* ID_AA64MMFR0_EL1 */
		ID_REG(7, 1); /* ID_AA64MMFR1_EL1 */
		ID_REG(7, 2); /* ID_AA64MMFR2_EL1 */
	default:
		return 0;
	}
}

/* IMPLEMENTATION DEFINED encodings (HCR_EL2.TIDCP): op0 3, CRn 11 or 15. */
static bool is_impdef_reg(uint32_t iss)
{
	return ESR_ISS_SYS_Op0(iss) == 3 &&
	       (ESR_ISS_SYS_CRn(iss) == 11 || ESR_ISS_SYS_CRn(iss) == 15);
}

/* The instruction as esr_describe_iss() writes it: "mrs S3_...", "sys #0, C7, C14, #2, x0". */
__cold static void report_undef(struct vcpu *vcpu, const struct trap_frame *f, uint32_t iss)
{
	char insn[64], what[96];

	esr_describe_iss(f->esr, insn, sizeof(insn));
	snprintf(what, sizeof(what), "%s%s", insn,
		 is_impdef_reg(iss) ? " (IMPLEMENTATION DEFINED)" : "");
	fault_undef(vcpu, what, f->elr);
}

static enum vgic_common_reg common_reg(uint32_t reg)
{
	if (reg == SYSREG_ICC_PMR_EL1)
		return VGIC_ICC_PMR;
	if (reg == SYSREG_ICC_RPR_EL1)
		return VGIC_ICC_RPR;
	return reg == SYSREG_ICC_CTLR_EL1 ? VGIC_ICC_CTLR : VGIC_ICC_DIR;
}

void sysreg_trap(struct vcpu *vcpu, struct trap_frame *f)
{
	uint32_t iss = esr_iss(f->esr);
	unsigned int rt = ESR_ISS_SYS_Rt(iss);
	bool read = (iss & ESR_ISS_SYS_DIR_READ) != 0;
	uint64_t val = 0;

	switch (ESR_ISS_SYSREG(iss)) {
	case SYS_DC_ISW:
	case SYS_DC_CSW:
	case SYS_DC_CISW:
		if (read)
			goto undef;
		/* Not done yet: the guest executes it again (set_way.h). */
		if (!emulate_set_way(vcpu, f, guest_reg_read(f, rt)))
			return;
		break;
	case SYSREG_ACTLR_EL1:
	case SYSREG_MDRAR_EL1:
	case SYSREG_OSDLR_EL1:
	case SYSREG_DBGPRCR_EL1:
		/* RAZ/WI (MDRAR_EL1 0: no ROM table address is valid). */
		break;
	case SYSREG_OSLAR_EL1:
		/* The guest's lock only: the CPU's stays unlocked (vcpu.c: reset_debug()). */
		if (!read)
			this_cpu()->guest_os_lock = guest_reg_read(f, rt) & 1;
		break;
	case SYSREG_OSLSR_EL1:
		if (read)
			val = (read_sysreg(oslsr_el1) & ~OSLSR_EL1_OSLK) |
			      (this_cpu()->guest_os_lock ? OSLSR_EL1_OSLK : 0);
		break;
	case SYSREG_ICC_PMR_EL1:
	case SYSREG_ICC_DIR_EL1:
	case SYSREG_ICC_RPR_EL1:
	case SYSREG_ICC_CTLR_EL1:
		val = read ? 0 : guest_reg_read(f, rt);
		if (!vgic_hw_direct_common(vcpu, common_reg(ESR_ISS_SYSREG(iss)), read, &val))
			goto undef;
		break;
	default:
		/*
		 * ID registers: read-only, a write is UNDEFINED. PMU: RAZ/WI, a PMU
		 * with no counters that never counts. RAS: RAZ/WI, ERRIDR_EL1.NUM =
		 * 0, no error record, so the others say nothing.
		 */
		if (is_id_reg(iss) && read)
			val = id_reg_cpu(ESR_ISS_SYSREG(iss)) & ~id_reg_hidden(ESR_ISS_SYSREG(iss));
		else if (!is_pmu_reg(iss) && !is_ras_reg(iss))
			goto undef;
		break;
	}
	if (read)
		guest_reg_write(f, rt, val);
	guest_skip_instruction(f);
	return;
undef:
	report_undef(vcpu, f, iss);
	guest_inject_undef(f);
}
