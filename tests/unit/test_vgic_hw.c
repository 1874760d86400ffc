// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the vGIC's hardware side (gic/vgic_hw.c, vgic_hw_cell.c and
 * the list-register back ends vgic_hw_v3.c, vgic_hw_v2.c) over the real
 * model, on a model of one CPU's virtual interface: GICv3's ICH_*_EL2 system
 * registers (host_read_sysreg(), host_write_sysreg()) or GICv2's GICH frame
 * (an array), their empty-LR and EOI status registers computed from the list
 * registers as IHI 0069 §12.4 and IHI 0048 §5.3 define them. The test plays
 * the guest on the list registers and what happens around it: an exit
 * (vgic_hw_sync()), physical interrupts taken at EL2 (vgic_hw_irq()), the
 * entry (vgic_hw_flush()).
 *
 * What the hardware side keeps of the interface's state (which list
 * registers hold something, the last ICH_HCR_EL2 / GICH_HCR written) must
 * match the registers at every step: a stale copy leaves the guest's virtual
 * CPU interface off, or an EOI maintenance interrupt signalled for ever.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "cell.h"
#include "fake_log.h"
#include "gic.h"
#include "vgic_hw.h"
#include "vgic_test.h"
#include "../../gic/vgic_hw_priv.h"

#define NR_LRS	 4
#define CPU	 1  /* the physical CPU that runs the vCPU: not 0, so that a mix-up shows */
#define MAINT	 25 /* the board's maintenance interrupt, PPI 9 */
#define SPI_DEV	 40 /* a device's SPI: hardware-linked */
#define SPI_CONS 33 /* the virtual console's: level, purely virtual */

/* List-register fields, spelled out again from IHI 0069 §12.4.6 and IHI 0048 §5.3.11. */
#define V3_STATE(v) ((unsigned int)((v) >> 62))
#define V3_HW	    (1ULL << 61)
#define V3_EOI	    (1ULL << 41)
#define V2_STATE(v) ((unsigned int)((v) >> 28) & 3)
#define V2_HW	    (1u << 31)
#define V2_EOI	    (1u << 19)
#define ST_PENDING  1u
#define ST_ACTIVE   2u
/* ICH_HCR_EL2 and GICH_HCR: En [0], UIE [1]. */
#define HCR_En	1u
#define HCR_UIE 2u
/* The GICH frame (IHI 0048 §5.3). */
#define GICH_HCR    0x000
#define GICH_VTR    0x004
#define GICH_EISR0  0x020
#define GICH_ELRSR0 0x030
#define GICH_LR0    0x100
#define WORD(off)   ((off) / 4)

/* --- the virtual interface ---------------------------------------------------- */

static int version;
static uint64_t ich_lr[16];
static uint64_t ich_hcr;
static uint32_t gich[WORD(GICH_LR0) + 64];
static unsigned int lr_reads, hcr_writes;
static uint64_t cntv_ctl;
/* ICH_VTR_EL2.PREbits: the CPU's preemption bits less one (QEMU's 5 unless a test says). */
static unsigned int vtr_prebits = 4;
/* ICH_AP0R<n>_EL2 and ICH_AP1R<n>_EL2. */
static uint64_t ich_apr[2][4];
static bool phys_active[32]; /* the CPU's PPIs active at the physical GIC */

static unsigned int lr_state(unsigned int n)
{
	return version == 3 ? V3_STATE(ich_lr[n]) : V2_STATE(gich[WORD(GICH_LR0) + n]);
}

static void lr_set_state(unsigned int n, unsigned int state)
{
	if (version == 3)
		ich_lr[n] = (ich_lr[n] & ~(3ULL << 62)) | (uint64_t)state << 62;
	else
		gich[WORD(GICH_LR0) + n] = (gich[WORD(GICH_LR0) + n] & ~(3u << 28)) | state << 28;
}

static bool lr_hw(unsigned int n)
{
	return version == 3 ? ich_lr[n] & V3_HW : gich[WORD(GICH_LR0) + n] & V2_HW;
}

static uint32_t lr_intid(unsigned int n)
{
	return version == 3 ? (uint32_t)ich_lr[n] : gich[WORD(GICH_LR0) + n] & 0x3ff;
}

/* Empty: no valid interrupt, and no EOI maintenance interrupt owed (State 0, HW or !EOI). */
static bool lr_empty(unsigned int n)
{
	bool eoi = version == 3 ? ich_lr[n] & V3_EOI : gich[WORD(GICH_LR0) + n] & V2_EOI;

	return !lr_state(n) && (lr_hw(n) || !eoi);
}

/* An EOI maintenance interrupt owed: State 0, HW 0, EOI 1. */
static bool lr_eoi_owed(unsigned int n)
{
	return !lr_state(n) && !lr_empty(n);
}

static uint64_t elrsr(void)
{
	uint64_t mask = 0;

	for (unsigned int n = 0; n < NR_LRS; n++)
		if (lr_empty(n))
			mask |= 1ULL << n;
	return mask;
}

static uint64_t eisr(void)
{
	uint64_t mask = 0;

	for (unsigned int n = 0; n < NR_LRS; n++)
		if (lr_eoi_owed(n))
			mask |= 1ULL << n;
	return mask;
}

static unsigned int hcr(void)
{
	return version == 3 ? (unsigned int)ich_hcr : gich[WORD(GICH_HCR)];
}

/* The GICH frame is memory: its status registers follow the list registers here. */
static void gich_settle(void)
{
	gich[WORD(GICH_ELRSR0)] = (uint32_t)elrsr();
	gich[WORD(GICH_EISR0)] = (uint32_t)eisr();
}

static unsigned int lr_index(const char *name)
{
	unsigned int n;

	assert_int_equal(sscanf(name, "ich_lr%u_el2", &n), 1);
	assert_true(n < 16);
	return n;
}

uint64_t host_read_sysreg(const char *name)
{
	if (!strncmp(name, "ich_lr", 6)) {
		lr_reads++;
		return ich_lr[lr_index(name)];
	}
	if (!strcmp(name, "ich_vtr_el2")) /* 5 priority bits (QEMU's), the preemption bits */
		return 4ULL << 29 | (uint64_t)vtr_prebits << 26 | (NR_LRS - 1);
	if (!strcmp(name, "ich_hcr_el2"))
		return ich_hcr;
	if (!strcmp(name, "ich_elrsr_el2"))
		return elrsr();
	if (!strcmp(name, "ich_eisr_el2"))
		return eisr();
	if (!strcmp(name, "cntv_ctl_el0"))
		return cntv_ctl;
	if (!strcmp(name, "cntp_ctl_el0"))
		return 0;
	fail_msg("read of %s", name);
	return 0;
}

/*
 * Active priority register @name, "ich_ap<g>r<n>_el2": NULL if not one. One
 * the CPU does not implement (IHI 0069 §12.4: APxR1 with 6 preemption bits
 * or more, APxR2-3 with 7) fails the test: writing it is UNDEFINED.
 */
static uint64_t *ap_reg(const char *name)
{
	unsigned int g, n, bits = vtr_prebits + 1;

	if (sscanf(name, "ich_ap%ur%u_el2", &g, &n) != 2)
		return NULL;
	assert_true(g < 2 && n < 4);
	if (n >= (bits == 7 ? 4u : bits == 6 ? 2u : 1u))
		fail_msg("write of %s, which a CPU with %u preemption bits does not have", name,
			 bits);
	return &ich_apr[g][n];
}

void host_write_sysreg(const char *name, uint64_t val)
{
	uint64_t *ap = ap_reg(name);

	if (ap) {
		*ap = val;
	} else if (!strncmp(name, "ich_lr", 6)) {
		ich_lr[lr_index(name)] = val;
	} else if (!strcmp(name, "ich_hcr_el2")) {
		ich_hcr = val;
		hcr_writes++;
	} else if (!strcmp(name, "cntv_ctl_el0")) {
		cntv_ctl = val;
	} else if (strcmp(name, "ich_vmcr_el2") && strcmp(name, "cntp_ctl_el0")) {
		fail_msg("write of %s", name);
	}
}

/* --- what the hardware side calls ---------------------------------------------- */

struct vcpu *cells_pcpu_vcpu[PLATFORM_MAX_CPUS];

unsigned int arch_cpu_index(void)
{
	return CPU;
}

uint64_t arch_cpu_mpidr_of(unsigned int index)
{
	return index;
}

void arch_cpu_relax(void)
{
}

void gic_eoi(uint32_t iar)
{
	if (iar < 32)
		phys_active[iar] = false;
}

void gic_priority_drop(uint32_t iar)
{
	(void)iar;
}

void gic_irq_deactivate(uint32_t intid)
{
	if (intid < 32)
		phys_active[intid] = false;
}

void gic_irq_clear_pending(uint32_t intid)
{
	(void)intid;
}

/* The physical routes written: how many, the last. */
static unsigned int nr_routes;
static uint32_t route_intid;
static uint64_t route_mpidr;

void gic_irq_route(uint32_t intid, uint64_t mpidr)
{
	nr_routes++;
	route_intid = intid;
	route_mpidr = mpidr;
}

void gic_irq_enable(uint32_t intid)
{
	(void)intid;
}

/* The INTIDs disabled at the distributor, the last of them. */
static unsigned int irq_disables;
static uint32_t irq_disabled;

void gic_irq_disable(uint32_t intid)
{
	irq_disables++;
	irq_disabled = intid;
}

/* One vCPU: a kick names no other, and nothing is held for another's list registers. */
static unsigned int kicks;

void vgic_hw_kick(struct cell *cell, unsigned int index)
{
	(void)cell;
	assert_int_equal(index, 0);
	kicks++;
}

void vgic_hw_kick_mask(struct cell *cell, uint32_t mask)
{
	(void)cell;
	assert_true(mask <= 1);
}

/* The UART's copy of its line, reset with the model (tests/unit/test_vuart.c tests it). */
void vuart_irq_forget(struct vuart *u)
{
	(void)u;
}

void vgic_hw_wait_holds(struct cell *cell)
{
	(void)cell;
	fail_msg("a hold with one vCPU");
}

/* No direct cell here. */
int vgic_direct_cell_init(struct cell *cell)
{
	(void)cell;
	fail_msg("direct mode");
	return -1;
}

void vgic_direct_cell_stop(struct cell *cell)
{
	(void)cell;
}

int vgic_direct_cpu_init(void)
{
	return 0;
}

void vgic_direct_vcpu_reset(struct vcpu *vcpu)
{
	(void)vcpu;
}

/* --- the cell -------------------------------------------------------------------- */

static struct layout_cell cfg = {
	.label = "alpha",
	.nr_cpus = 1,
	.irqs = { SPI_DEV },
	.nr_irqs = 1,
	.console = LAYOUT_CONSOLE_VIRTUAL,
	.irq_mode = LAYOUT_IRQ_EMULATED,
};
static struct cell cell;
static struct vcpu *const vcpu = &cell.vcpus[0];
static struct platform plat;

/* The guest enables @intid at priority 0xa0 (Group 1, as the reset leaves it in the model). */
static void guest_enable(uint32_t intid)
{
	uint64_t bit = BIT_OF(intid), prio = 0xa0;

	if (intid < 32 && version == 3) {
		assert_true(vt_redist(&cell.vgic, 0, GICR_SGI + GICD_ISENABLER, 4, true, &bit) >=
			    0);
		assert_true(vt_redist(&cell.vgic, 0, GICR_SGI + GICD_IPRIORITYR + intid, 1, true,
				      &prio) >= 0);
		return;
	}
	assert_true(vt_dist(&cell.vgic, 0, BIT_REG(GICD_ISENABLER, intid), 4, true, &bit) >= 0);
	assert_true(vt_dist(&cell.vgic, 0, GICD_IPRIORITYR + intid, 1, true, &prio) >= 0);
}

/* The guest makes its SGIs in @mask pending (v2: sends them to itself, GICD_SGIR). */
static void guest_pend_sgis(uint64_t mask)
{
	uint64_t sgir;

	if (version == 3) {
		assert_true(vt_redist(&cell.vgic, 0, GICR_SGI + GICD_ISPENDR, 4, true, &mask) >= 0);
		return;
	}
	for (unsigned int sgi = 0; sgi < 16; sgi++) {
		sgir = 2u << 24 | sgi; /* TargetListFilter 0b10: the sender only */
		if (mask & (1ULL << sgi))
			assert_true(vt_dist(&cell.vgic, 0, GICD_SGIR, 4, true, &sgir) >= 0);
	}
}

/* The vCPU's first entry, as arch_vcpu_enter(): interface reset, then a flush. */
static void first_entry(int ver)
{
	uint64_t ctlr = GICD_CTLR_EnableGrp1 | (ver == 3 ? GICD_CTLR_ARE : 0);
	uint64_t group = ~0ULL;

	version = ver;
	memset(ich_lr, 0x5a, sizeof(ich_lr)); /* what firmware left */
	ich_hcr = HCR_En | HCR_UIE;
	memset(gich, 0x5a, sizeof(gich));
	gich[WORD(GICH_VTR)] = NR_LRS - 1;
	gich[WORD(GICH_HCR)] = HCR_En | HCR_UIE;
	memset(phys_active, 0, sizeof(phys_active));
	lr_reads = hcr_writes = 0;
	cntv_ctl = 0;

	memset(&plat, 0, sizeof(plat));
	plat.gic.version = ver;
	plat.gic.maint_irq = MAINT;
	plat.gic.hyp = (struct mem_range){ (uintptr_t)gich, sizeof(gich) };
	assert_int_equal(vgic_hw_init(&plat), 0);

	memset(&cell, 0, sizeof(cell));
	cell.cfg = &cfg;
	cell.state = CELL_RUNNING;
	cell.nr_vcpus = 1;
	*vcpu = (struct vcpu){ .cell = &cell, .pcpu = CPU, .power = VCPU_ON, .in_guest = true };
	memset(cells_pcpu_vcpu, 0, sizeof(cells_pcpu_vcpu));
	cells_pcpu_vcpu[CPU] = vcpu;
	assert_int_equal(vgic_hw_cell_init(&cell), 0);
	assert_true(vt_dist(&cell.vgic, 0, GICD_CTLR, 4, true, &ctlr) >= 0);
	if (ver == 3)
		assert_true(vt_redist(&cell.vgic, 0, GICR_SGI + GICD_IGROUPR, 4, true, &group) >=
			    0);
	else
		assert_true(vt_dist(&cell.vgic, 0, GICD_IGROUPR, 4, true, &group) >= 0);
	assert_true(vt_dist(&cell.vgic, 0, BIT_REG(GICD_IGROUPR, SPI_DEV), 4, true, &group) >= 0);
	for (uint32_t intid = 1; intid <= 6; intid++)
		guest_enable(intid);
	guest_enable(VGIC_INTID_VTIMER);
	guest_enable(SPI_CONS);
	guest_enable(SPI_DEV);

	vgic_hw_vcpu_reset(vcpu);
	vgic_hw_flush(vcpu);
}

static int setup_v3(void **state)
{
	(void)state;
	fake_log_reset();
	first_entry(3);
	return 0;
}

static int setup_v2(void **state)
{
	(void)state;
	fake_log_reset();
	first_entry(2);
	return 0;
}

/* The list register holding @intid, or -1. */
static int lr_holding(uint32_t intid)
{
	for (unsigned int n = 0; n < NR_LRS; n++)
		if (lr_state(n) && lr_intid(n) == intid)
			return (int)n;
	return -1;
}

/*
 * After every entry: the guest's interface is on, no list register still
 * owes an EOI maintenance interrupt (one would signal again and again),
 * and the hardware side's mask of live list registers covers every one
 * that holds something.
 */
static void check_entry(void)
{
	assert_true(hcr() & HCR_En);
	assert_int_equal(eisr(), 0);
	for (unsigned int n = 0; n < NR_LRS; n++)
		if (lr_state(n))
			assert_true(vgic_hw_lr_live[CPU] & (1ULL << n));
}

/* The vCPU exits: the GICH frame's status registers as the list registers say, then the sync. */
static void exit_sync(void)
{
	if (version == 2)
		gich_settle();
	vgic_hw_sync(vcpu);
}

/* The guest traps (an hvc): exit, nothing for the vGIC to do, entry. */
static void trap(void)
{
	exit_sync();
	vgic_hw_flush(vcpu);
	check_entry();
}

/* The guest acknowledges, then ends (EOImode 0: drop and deactivate), LR @n's interrupt. */
static void guest_ack(unsigned int n)
{
	assert_int_equal(lr_state(n) & ST_PENDING, ST_PENDING);
	lr_set_state(n, (lr_state(n) & ~ST_PENDING) | ST_ACTIVE);
}

static void guest_eoi(unsigned int n)
{
	assert_true(lr_state(n) & ST_ACTIVE);
	lr_set_state(n, lr_state(n) & ~ST_ACTIVE);
	if (lr_hw(n)) /* HW = 1: the physical interrupt is deactivated with it */
		phys_active[VGIC_INTID_VTIMER] = false;
}

/* The maintenance interrupt, taken at EL2 after the exit it caused. */
static void maintenance_exit(void)
{
	exit_sync();
	assert_true(vgic_hw_irq(MAINT, MAINT));
}

/* --- tests ------------------------------------------------------------------------- */

/*
 * Entries with nothing to list keep the guest's interface on, and on GICv3
 * do not write ICH_HCR_EL2 again (nor synchronize it) once it is En alone.
 */
static void test_quiet_entries_keep_the_interface_on(void **state)
{
	unsigned int writes;

	(void)state;
	check_entry();
	trap();
	writes = hcr_writes;
	for (int i = 0; i < 4; i++)
		trap();
	assert_int_equal(hcr(), HCR_En);
	assert_int_equal(vgic_hw_lr_live[CPU], 0);
	if (version == 3)
		assert_int_equal(hcr_writes, writes);
}

/*
 * A maintenance interrupt turns the interface off until the next entry, and
 * that entry turns it on again even with nothing to list: one that came late
 * (the exit before it already cleared what caused it) finds a quiet vCPU.
 */
static void test_an_entry_after_a_maintenance_interrupt_turns_the_interface_on(void **state)
{
	(void)state;
	trap();
	assert_true(vgic_hw_irq(MAINT, MAINT));
	assert_int_equal(hcr(), 0);
	vgic_hw_flush(vcpu);
	check_entry();
	trap();
	check_entry();
}

/*
 * ... and so does the entry after a vCPU reset (a CPU_ON, a restart), which
 * turns it off. (That entry fills, the model touched the vCPU: it writes the
 * register whatever the hardware side remembered.)
 */
static void test_an_entry_after_a_vcpu_reset_turns_the_interface_on(void **state)
{
	(void)state;
	trap();
	vgic_hw_vcpu_reset(vcpu);
	assert_int_equal(hcr(), 0);
	vgic_hw_flush(vcpu);
	check_entry();
}

/*
 * A level interrupt with HW = 0 asks for an EOI maintenance interrupt. The
 * guest's EOI empties its list register but the register still owes that
 * interrupt (ICH_EISR_EL2): it is rewritten empty at the next entry, after
 * which the line is sampled again and listed anew while high.
 */
static void test_a_level_interrupts_eoi_is_cleared_and_its_line_sampled_again(void **state)
{
	int n;

	(void)state;
	vgic_set_level(&cell.vgic, 0, SPI_CONS, true);
	trap();
	n = lr_holding(SPI_CONS);
	assert_true(n >= 0);
	guest_ack((unsigned int)n);
	guest_eoi((unsigned int)n);
	assert_int_equal(eisr(), 1ULL << n);
	maintenance_exit();
	assert_true(vgic_hw_lr_live[CPU] & (1ULL << n));
	vgic_hw_flush(vcpu);
	check_entry();
	/* Still high: listed again. */
	assert_true(lr_holding(SPI_CONS) >= 0);
	n = lr_holding(SPI_CONS);
	guest_ack((unsigned int)n);
	guest_eoi((unsigned int)n);
	vgic_set_level(&cell.vgic, 0, SPI_CONS, false);
	maintenance_exit();
	vgic_hw_flush(vcpu);
	check_entry();
	assert_int_equal(lr_holding(SPI_CONS), -1);
	assert_int_equal(vgic_hw_lr_live[CPU], 0);
	trap();
	assert_int_equal(hcr(), HCR_En);
}

/*
 * The exit reads back what the guest did with each listed interrupt: taken
 * and ended, taken only, ended through a hardware link, untouched.
 */
static void test_the_exit_takes_back_each_list_registers_state(void **state)
{
	int sgi1, sgi2, sgi3, timer;

	(void)state;
	cntv_ctl = 5; /* ENABLE | ISTATUS: the timer asserts its line */
	phys_active[VGIC_INTID_VTIMER] = true;
	assert_true(vgic_hw_irq(VGIC_INTID_VTIMER, VGIC_INTID_VTIMER));
	guest_pend_sgis(0xe);
	trap();
	sgi1 = lr_holding(1);
	sgi2 = lr_holding(2);
	sgi3 = lr_holding(3);
	timer = lr_holding(VGIC_INTID_VTIMER);
	assert_true(sgi1 >= 0 && sgi2 >= 0 && sgi3 >= 0 && timer >= 0);
	assert_true(lr_hw((unsigned int)timer));

	guest_ack((unsigned int)sgi1);
	guest_eoi((unsigned int)sgi1);
	guest_ack((unsigned int)sgi2);
	guest_ack((unsigned int)timer);
	cntv_ctl = 3; /* the guest masks its timer, then ends its interrupt */
	guest_eoi((unsigned int)timer);
	lr_reads = 0;
	exit_sync();
	/* Of the four, only the two not empty are read (ICH_ELRSR_EL2 says which). */
	if (version == 3)
		assert_int_equal(lr_reads, 2);
	assert_int_equal(vgic_hw_lr_live[CPU], 1ULL << sgi2 | 1ULL << sgi3);
	assert_false(vgic_irq(&cell.vgic, 0, 1)->active);
	assert_int_equal(vgic_irq(&cell.vgic, 0, 1)->lr, -1);
	assert_true(vgic_irq(&cell.vgic, 0, 2)->active);
	assert_false(vgic_irq(&cell.vgic, 0, 3)->active);
	assert_int_equal(vgic_irq(&cell.vgic, 0, 3)->lr, sgi3);
	assert_false(vgic_irq(&cell.vgic, 0, VGIC_INTID_VTIMER)->line_level);
	assert_false(phys_active[VGIC_INTID_VTIMER]);
	vgic_hw_flush(vcpu);
	check_entry();
	assert_int_equal(lr_state((unsigned int)sgi2), ST_ACTIVE);
	assert_int_equal(lr_state((unsigned int)sgi3), ST_PENDING);
}

/* A small deterministic generator: the same run every time. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned int pick(unsigned int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(rng >> 33) % n;
}

/* The guest works on its list registers: takes, ends, or leaves each. */
static void guest_runs(void)
{
	for (unsigned int n = 0; n < NR_LRS; n++) {
		unsigned int s = lr_state(n);

		switch (pick(4)) {
		case 1:
			if (s == ST_PENDING)
				guest_ack(n);
			break;
		case 2:
			if (s & ST_ACTIVE)
				guest_eoi(n);
			break;
		case 3:
			if (s == ST_PENDING) {
				guest_ack(n);
				guest_eoi(n);
			}
			break;
		default:
			break;
		}
	}
}

/* What the world does while the vCPU is out: lines, edges, the timer. */
static void world_moves(void)
{
	switch (pick(6)) {
	case 0:
		vgic_set_level(&cell.vgic, 0, SPI_CONS, pick(2));
		break;
	case 1:
		guest_pend_sgis(1ULL << (1 + pick(6)));
		break;
	case 2:
		cntv_ctl = pick(2) ? 5 : 1;
		if (cntv_ctl == 5 && !phys_active[VGIC_INTID_VTIMER]) {
			phys_active[VGIC_INTID_VTIMER] = true;
			assert_true(vgic_hw_irq(VGIC_INTID_VTIMER, VGIC_INTID_VTIMER));
		}
		break;
	default:
		break;
	}
}

/*
 * The timer's line as the GIC sees it: asserted and not active, it fires,
 * and is taken at EL2 (timer_irq()) right after the exit's sync, as an
 * exception from the guest is (exception_dispatch()).
 */
static void timer_fires_if_asserted(void)
{
	if (cntv_ctl != 5 || phys_active[VGIC_INTID_VTIMER])
		return;
	phys_active[VGIC_INTID_VTIMER] = true;
	assert_true(vgic_hw_irq(VGIC_INTID_VTIMER, VGIC_INTID_VTIMER));
}

/*
 * After an entry: the timer's interrupt, active at the physical GIC, is the
 * guest's to end, through a list register with HW = 1; or, the list
 * registers full of better ones, its line is high in the model and an
 * underflow interrupt asks for the next fill. Anything else leaves it active
 * for good: the vCPU's timer never interrupts again.
 */
static void check_timer_deliverable(void)
{
	int n = lr_holding(VGIC_INTID_VTIMER);

	if (!phys_active[VGIC_INTID_VTIMER])
		return;
	if (n >= 0) {
		assert_true(lr_hw((unsigned int)n));
		return;
	}
	assert_true(vgic_irq(&cell.vgic, 0, VGIC_INTID_VTIMER)->line_level);
	assert_true(hcr() & HCR_UIE);
}

/*
 * Many exits and entries, each exit an hvc or a maintenance interrupt
 * (whether or not one is owed: it may come late), each checked against the
 * registers: after the exit, the live mask is the list registers that are
 * not empty, only those were read (GICv3: the others' state is in
 * ICH_ELRSR_EL2), and each interrupt the model listed is active there
 * exactly when its list register says so; after each entry, check_entry()
 * and check_timer_deliverable(). The timer fires whenever it asserts its
 * line and is not active, as the GIC would, at the exit after.
 */
static void test_exits_and_entries_agree_with_the_registers(void **state)
{
	(void)state;
	for (int round = 0; round < 3000; round++) {
		uint64_t was = vgic_hw_lr_live[CPU], listed = cell.vgic.vcpus[0].lr_used;
		unsigned int truth[NR_LRS];
		uint16_t intid[NR_LRS];

		guest_runs();
		for (unsigned int n = 0; n < NR_LRS; n++) {
			truth[n] = lr_state(n);
			intid[n] = cell.vgic.vcpus[0].lr_intid[n];
		}
		lr_reads = 0;
		if (pick(3))
			exit_sync();
		else
			maintenance_exit();
		timer_fires_if_asserted();
		assert_int_equal(vgic_hw_lr_live[CPU], was & ~elrsr());
		if (version == 3)
			assert_int_equal(lr_reads, __builtin_popcountll(was & ~elrsr()));
		for (unsigned int n = 0; n < NR_LRS; n++) {
			const struct vgic_irq *irq;

			if (!(listed & (1ULL << n)))
				continue;
			irq = vgic_irq(&cell.vgic, 0, intid[n]);
			assert_int_equal(irq->active, (truth[n] & ST_ACTIVE) != 0);
			assert_int_equal(irq->lr, truth[n] ? (int)n : -1);
		}
		world_moves();
		vgic_hw_flush(vcpu);
		check_entry();
		check_timer_deliverable();
	}
}

/*
 * A device's SPI fires while its cell is stopped, stopping or reloading:
 * nobody is there to take it. It is disabled at the distributor until the
 * cell starts again, and nothing is left in the model for the guest (its
 * next boot's would take an interrupt from before it).
 */
static void test_an_spi_of_a_cell_not_running_is_disabled_not_queued(void **state)
{
	static const enum cell_state states[] = { CELL_STOPPED, CELL_STOPPING, CELL_LOADING };
	const struct vgic_irq *irq = vgic_irq(&cell.vgic, 0, SPI_DEV);
	(void)state;

	for (unsigned int i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		cell.state = states[i];
		irq_disables = 0;
		assert_true(vgic_hw_irq(SPI_DEV, SPI_DEV));
		assert_int_equal(irq_disables, 1);
		assert_int_equal(irq_disabled, SPI_DEV);
		assert_false(irq->line_level || irq->pending_latch);
		cell.state = CELL_RUNNING;
		trap();
		assert_int_equal(lr_holding(SPI_DEV), -1);
	}
}

/*
 * A fresh virtual CPU interface has no active priority: a guest stopped or
 * restarted in a handler leaves its priority's bit set, in APxR1 (6
 * preemption bits) or APxR1-3 (7) when the priority is below 0x80, and the
 * next boot would never take an interrupt of that priority or a lower one.
 */
static void test_a_reset_clears_every_active_priority_register_the_cpu_has(void **state)
{
	static const unsigned int aprs[] = { [5] = 1, [6] = 2, [7] = 4 };
	unsigned int bits, g, n;

	(void)state;
	for (bits = 5; bits <= 7; bits++) {
		vtr_prebits = bits - 1;
		memset(ich_apr, 0xff, sizeof(ich_apr));
		vgic_hw_v3_reset();
		for (g = 0; g < 2; g++)
			for (n = 0; n < aprs[bits]; n++)
				if (ich_apr[g][n])
					fail_msg("ICH_AP%uR%u_EL2 is 0x%lx after a reset, with %u "
						 "preemption bits",
						 g, n, (unsigned long)ich_apr[g][n], bits);
	}
	vtr_prebits = 4;
}

/*
 * A hardware list register (HW = 1) has no EOI bit: bit 41 is part of its
 * pINTID (IHI 0069 §12.4.6), set for a physical INTID of 512 or more.
 */
static void test_a_hardware_lrs_pintid_is_not_read_as_eoi_maintenance(void **state)
{
	struct vgic_lr lr;

	(void)state;
	ich_lr[0] = (uint64_t)ST_PENDING << 62 | V3_HW | 600ULL << 32 | 600;
	vgic_hw_v3_read_lr(0, &lr);
	assert_true(lr.hw);
	assert_int_equal(lr.hw_intid, 600);
	if (lr.eoi_maintenance)
		fail_msg("pINTID 600's bit 9 (the LR's bit 41) was read as EOI maintenance");
	ich_lr[0] = 0;
}

/*
 * The timer fired while the guest has its interrupt disabled at the GIC: its
 * line stays high in the model, listed nowhere. At each entry the timer is
 * sampled: still asserting, the line and the physical PPI (active since it
 * fired) are left; the guest turned the timer off, the line goes low and
 * the PPI is deactivated, so that the next expiry is signalled. A timer
 * line a list register carries is that register's to end, not sampled.
 */
static void test_a_timer_line_no_lr_carries_follows_the_timer(void **state)
{
	struct vgic_irq *timer = vgic_irq(&cell.vgic, 0, VGIC_INTID_VTIMER);
	uint64_t bit = BIT_OF(VGIC_INTID_VTIMER);

	(void)state;
	if (version == 3)
		assert_true(vt_redist(&cell.vgic, 0, GICR_SGI + GICD_ICENABLER, 4, true, &bit) >=
			    0);
	else
		assert_true(vt_dist(&cell.vgic, 0, GICD_ICENABLER, 4, true, &bit) >= 0);
	cntv_ctl = 5; /* ENABLE | ISTATUS */
	phys_active[VGIC_INTID_VTIMER] = true;
	vgic_hw_irq(VGIC_INTID_VTIMER, VGIC_INTID_VTIMER);
	trap();
	assert_true(timer->line_level);
	assert_true(phys_active[VGIC_INTID_VTIMER]);
	cntv_ctl = 1; /* the guest reprograms it: no longer asserted */
	trap();
	assert_false(timer->line_level);
	assert_false(phys_active[VGIC_INTID_VTIMER]);

	guest_enable(VGIC_INTID_VTIMER);
	cntv_ctl = 5;
	phys_active[VGIC_INTID_VTIMER] = true;
	vgic_hw_irq(VGIC_INTID_VTIMER, VGIC_INTID_VTIMER);
	trap();
	assert_int_equal(lr_holding(VGIC_INTID_VTIMER), 0);
	cntv_ctl = 3; /* masked, not taken yet: the LR still holds it */
	trap();
	assert_true(timer->line_level);
	assert_true(phys_active[VGIC_INTID_VTIMER]);
}

/*
 * A device's SPI is routed physically to the CPU that runs the vCPU the
 * guest routed it to (arch_cpu_mpidr_of() here is the CPU's number), once;
 * routed to no vCPU of the cell (none, or the cell's count), and a virtual
 * SPI (the console's), it is left where it is.
 */
static void test_a_device_spi_follows_its_vcpu_to_its_cpu(void **state)
{
	struct vgic_irq *dev = vgic_irq(&cell.vgic, 0, SPI_DEV);

	(void)state;
	assert_true(dev->hw);
	vgic_hw_spi_route[SPI_DEV] = 0;
	nr_routes = 0;
	vgic_hw_route_spi(&cell, dev);
	assert_int_equal(nr_routes, 1);
	assert_int_equal(route_intid, SPI_DEV);
	assert_int_equal(route_mpidr, CPU);
	vgic_hw_route_spi(&cell, dev);
	assert_int_equal(nr_routes, 1);
	vgic_hw_spi_route[SPI_DEV] = 0;
	dev->target_vcpu = VGIC_NO_TARGET;
	vgic_hw_route_spi(&cell, dev);
	dev->target_vcpu = 1; /* the cell has one vCPU */
	vgic_hw_route_spi(&cell, dev);
	dev->target_vcpu = 0;
	vgic_hw_route_spi(&cell, vgic_irq(&cell.vgic, 0, SPI_CONS));
	assert_int_equal(nr_routes, 1);
}

/*
 * A timer's PPI taken while this CPU's vCPU is not in its guest (off, or
 * gone): the timer would fire again at once, so it is stopped and the PPI
 * ended; the model's line is not raised. The virtual timer's and the
 * physical timer's control registers each for its own.
 */
static void test_a_timer_firing_with_no_vcpu_in_its_guest_is_stopped(void **state)
{
	(void)state;
	vcpu->in_guest = false;
	cntv_ctl = 5;
	phys_active[VGIC_INTID_PTIMER] = true;
	assert_true(vgic_hw_irq(VGIC_INTID_PTIMER, VGIC_INTID_PTIMER));
	assert_int_equal(cntv_ctl, 5);
	assert_false(phys_active[VGIC_INTID_PTIMER]);
	phys_active[VGIC_INTID_VTIMER] = true;
	assert_true(vgic_hw_irq(VGIC_INTID_VTIMER, VGIC_INTID_VTIMER));
	assert_int_equal(cntv_ctl, 0);
	assert_false(phys_active[VGIC_INTID_VTIMER]);
	assert_false(vgic_irq(&cell.vgic, 0, VGIC_INTID_VTIMER)->line_level);
	vcpu->in_guest = true;
}

/*
 * The device's SPI fires on the running cell: raised in the model, its
 * vCPU kicked, not disabled. Listed (HW = 1) in the running vCPU's list
 * register, it fires again: someone else deactivated it behind the guest
 * (another cell's EOI in direct mode); said once, nobody kicked.
 */
static void test_an_spi_firing_again_while_its_vcpu_holds_it_is_reported_once(void **state)
{
	uint64_t bit = BIT_OF(SPI_DEV);

	(void)state;
	assert_false(vgic_hw_irq(50, 50)); /* no cell's: not taken here */
	/* Disabled by the guest: raised, nobody kicked; again, listed nowhere: nothing said. */
	assert_true(vt_dist(&cell.vgic, 0, BIT_REG(GICD_ICENABLER, SPI_DEV), 4, true, &bit) >= 0);
	irq_disables = kicks = 0;
	assert_true(vgic_hw_irq(SPI_DEV, SPI_DEV));
	assert_true(vgic_hw_irq(SPI_DEV, SPI_DEV));
	assert_int_equal(kicks, 0);
	assert_int_equal(fake_log_count(LOG_WARN), 0);
	assert_true(vgic_irq(&cell.vgic, 0, SPI_DEV)->line_level);
	vgic_irq(&cell.vgic, 0, SPI_DEV)->line_level = false; /* the device let it go */
	guest_enable(SPI_DEV);

	assert_true(vgic_hw_irq(SPI_DEV, SPI_DEV));
	assert_int_equal(irq_disables, 0);
	assert_int_equal(kicks, 1);
	assert_true(vgic_irq(&cell.vgic, 0, SPI_DEV)->line_level);
	trap();
	assert_true(lr_holding(SPI_DEV) >= 0);
	/* Taken on this CPU outside its guest: nobody there to have deactivated it. */
	vcpu->in_guest = false;
	assert_true(vgic_hw_irq(SPI_DEV, SPI_DEV));
	vcpu->in_guest = true;
	assert_int_equal(fake_log_count(LOG_WARN), 0);
	assert_true(vgic_hw_irq(SPI_DEV, SPI_DEV));
	assert_true(vgic_hw_irq(SPI_DEV, SPI_DEV));
	assert_int_equal(kicks, 1);
	assert_logged("vGIC: INTID 40 fired again while vcpu0 still held it in list register");
	assert_int_equal(fake_log_count(LOG_WARN), 1);
}

/*
 * A direct cell's interrupts are physical: its exits and entries read and
 * write no list register, whatever the model holds (here what an emulated
 * entry left listed before the mode changed under it).
 */
static void test_a_direct_cells_entries_and_exits_leave_the_list_registers(void **state)
{
	uint64_t lr_before[16], live;
	uint32_t gich_before[sizeof(gich) / 4];
	int n;

	(void)state;
	guest_pend_sgis(0x2);
	trap();
	n = lr_holding(1);
	assert_true(n >= 0);
	guest_ack((unsigned int)n);
	guest_eoi((unsigned int)n);
	live = vgic_hw_lr_live[CPU];
	cfg.irq_mode = LAYOUT_IRQ_DIRECT;
	guest_pend_sgis(0x4);
	memcpy(lr_before, ich_lr, sizeof(lr_before));
	memcpy(gich_before, gich, sizeof(gich));
	lr_reads = 0;
	vgic_hw_sync(vcpu);
	vgic_hw_flush(vcpu);
	cfg.irq_mode = LAYOUT_IRQ_EMULATED;
	assert_int_equal(lr_reads, 0);
	assert_int_equal(vgic_hw_lr_live[CPU], live);
	assert_int_equal(vgic_irq(&cell.vgic, 0, 1)->lr, n);
	assert_memory_equal(lr_before, ich_lr, sizeof(lr_before));
	assert_memory_equal(gich_before, gich, sizeof(gich));
}

#define BOTH(t)                                        \
	{ #t " (GICv3)", t, setup_v3, NULL, NULL },    \
	{                                              \
#t " (GICv2)", t, setup_v2, NULL, NULL \
	}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_quiet_entries_keep_the_interface_on),
		BOTH(test_an_entry_after_a_maintenance_interrupt_turns_the_interface_on),
		BOTH(test_an_entry_after_a_vcpu_reset_turns_the_interface_on),
		BOTH(test_a_level_interrupts_eoi_is_cleared_and_its_line_sampled_again),
		BOTH(test_the_exit_takes_back_each_list_registers_state),
		BOTH(test_a_timer_line_no_lr_carries_follows_the_timer),
		BOTH(test_a_device_spi_follows_its_vcpu_to_its_cpu),
		BOTH(test_a_timer_firing_with_no_vcpu_in_its_guest_is_stopped),
		BOTH(test_a_direct_cells_entries_and_exits_leave_the_list_registers),
		/* Once: the report is per cell for the hypervisor's life. */
		cmocka_unit_test_setup(
			test_an_spi_firing_again_while_its_vcpu_holds_it_is_reported_once,
			setup_v3),
		BOTH(test_exits_and_entries_agree_with_the_registers),
		BOTH(test_an_spi_of_a_cell_not_running_is_disabled_not_queued),
		cmocka_unit_test(test_a_reset_clears_every_active_priority_register_the_cpu_has),
		cmocka_unit_test(test_a_hardware_lrs_pintid_is_not_read_as_eoi_maintenance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
