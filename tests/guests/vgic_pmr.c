// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_pmr (GICv3): the priority mask holds off what it masks, as an RTOS's
 * critical section needs it to (FreeRTOS's GICv3 port enters one by writing
 * ICC_PMR_EL1). With PSTATE.I clear throughout, on vCPU 0:
 *   - PMR 0x90: the virtual timer at priority 0xa0 fires and must NOT be
 *     taken (it shows pending in ICC_HPPIR1_EL1); the physical timer at 0x80
 *     fires and must be taken, with ICC_RPR_EL1 0x80 in its handler;
 *   - PMR 0xff: the virtual timer must be taken at once;
 *   - PMR 0: not even the physical timer at 0x80;
 *   - each PMR reads back as written, in the priority bits ICC_CTLR_EL1 gives.
 * Prints TEST pmr_<step> PASS|FAIL, then TEST vgic_pmr. In a direct cell
 * (docs/vgic.md) ICC_PMR_EL1 was the virtual one, which masked nothing.
 */
#include "gic.h"
#include "test.h"

#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define ICC_HPPIR1_EL1	   s3_0_c12_c12_2
#define ICC_RPR_EL1	   s3_0_c12_c11_3
#define PRIO_LOW	   0xa0 /* the virtual timer's: masked by PMR 0x90 */
#define PRIO_HIGH	   0x80 /* the physical timer's: above it */
#define PMR_CRITICAL	   0x90
#define WAIT_US		   20000
#define CNT_CTL_ENABLE	   1u

static volatile uint32_t taken[2]; /* virtual, physical timer */
static volatile uint64_t rpr_in_handler;
static volatile uint32_t other;
static unsigned int failures;

/* Each timer fires once: its handler switches it off, so its level falls before the EOI. */
bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar, intid;

	(void)frame;
	while ((intid = gic_iar_intid(iar = gic_ack())) < 1020) {
		if (intid == GIC_INTID_VTIMER) {
			write_sysreg(0, cntv_ctl_el0);
			taken[0]++;
		} else if (intid == GIC_INTID_PTIMER) {
			rpr_in_handler = read_sysreg(ICC_RPR_EL1);
			write_sysreg(0, cntp_ctl_el0);
			taken[1]++;
		} else {
			other++;
		}
		__asm__ volatile("isb" ::: "memory");
		gic_eoi(iar);
	}
	return true;
}

static void check(bool ok, const char *name, const char *what, uint64_t got, uint64_t want)
{
	if (ok) {
		TEST_PASS(name);
		return;
	}
	failures++;
	TEST_FAIL(name, "%s: 0x%lx, want 0x%lx", what, (unsigned long)got, (unsigned long)want);
}

/* The mask written, read back in the bits ICC_CTLR_EL1.PRIbits says are implemented. */
static void set_pmr(uint8_t pmr, const char *name)
{
	unsigned int bits = (unsigned int)((read_sysreg(icc_ctlr_el1) >> 8) & 7) + 1;
	uint64_t want = pmr & (0xff00u >> bits), got;

	write_sysreg(pmr, icc_pmr_el1);
	__asm__ volatile("isb" ::: "memory");
	got = read_sysreg(icc_pmr_el1);
	check(got == want, name, "ICC_PMR_EL1 reads", got, want);
}

static void fire_vtimer(void)
{
	write_sysreg(timer_now(), cntv_cval_el0);
	write_sysreg(CNT_CTL_ENABLE, cntv_ctl_el0);
	__asm__ volatile("isb" ::: "memory");
}

static void fire_ptimer(void)
{
	write_sysreg(read_sysreg(cntpct_el0), cntp_cval_el0);
	write_sysreg(CNT_CTL_ENABLE, cntp_ctl_el0);
	__asm__ volatile("isb" ::: "memory");
}

/* Until @count[which] reaches @n or WAIT_US pass; what it reached. */
static uint32_t wait_taken(unsigned int which, uint32_t n)
{
	uint64_t end = timer_now() + WAIT_US * timer_freq() / 1000000;

	while (taken[which] < n && timer_now() < end)
		;
	return taken[which];
}

static void critical_section(void)
{
	uint64_t v;

	set_pmr(PMR_CRITICAL, "pmr_reads_back_critical");
	fire_vtimer();
	v = wait_taken(0, 1);
	check(v == 0, "pmr_masks_lower_priority", "virtual timer (0xa0) taken under PMR 0x90", v,
	      0);
	v = read_sysreg(ICC_HPPIR1_EL1) & 0xffffff;
	check(v == GIC_INTID_VTIMER, "pmr_masked_one_pending", "ICC_HPPIR1_EL1", v,
	      GIC_INTID_VTIMER);
	v = read_sysreg(ICC_RPR_EL1) & 0xff;
	check(v == 0xff, "pmr_rpr_idle", "ICC_RPR_EL1 with nothing active", v, 0xff);
	fire_ptimer();
	v = wait_taken(1, 1);
	check(v == 1, "pmr_passes_higher_priority", "physical timer (0x80) taken under PMR 0x90", v,
	      1);
	check((rpr_in_handler & 0xff) == PRIO_HIGH, "pmr_rpr_in_handler",
	      "ICC_RPR_EL1 in the physical timer's handler", rpr_in_handler & 0xff, PRIO_HIGH);
	check(taken[0] == 0, "pmr_still_masked", "virtual timer taken in the critical section",
	      taken[0], 0);
}

int main(void *dtb)
{
	uint64_t v;

	(void)dtb;
	gic_init();
	printf("vgic_pmr: GICv%d\n", gic_version());
	if (gic_version() != 3) {
		TEST_FAIL("vgic_pmr", "needs a GICv3 (ICC_PMR_EL1)");
		return 0;
	}
	gic_cpu_init();
	set_pmr(0xff, "pmr_reads_back_open");
	gic_irq_set_priority(GIC_INTID_VTIMER, PRIO_LOW);
	gic_irq_set_priority(GIC_INTID_PTIMER, PRIO_HIGH);
	gic_irq_enable(GIC_INTID_VTIMER);
	gic_irq_enable(GIC_INTID_PTIMER);
	irq_unmask();
	critical_section();
	set_pmr(0xff, "pmr_reads_back_unmasked");
	v = wait_taken(0, 1);
	check(v == 1, "pmr_unmask_delivers", "virtual timer taken once unmasked", v, 1);
	set_pmr(0, "pmr_reads_back_zero");
	fire_ptimer();
	v = wait_taken(1, 2);
	check(v == 1, "pmr_zero_masks_all", "physical timer (0x80) taken under PMR 0", v, 1);
	set_pmr(0xff, "pmr_reads_back_reopened");
	v = wait_taken(1, 2);
	check(v == 2, "pmr_reopened_delivers", "physical timer taken once unmasked", v, 2);
	irq_mask();
	check(other == 0, "pmr_no_stray", "other interrupts", other, 0);
	if (failures)
		TEST_FAIL("vgic_pmr", "%u checks failed", failures);
	else
		TEST_PASS("vgic_pmr");
	return 0;
}
