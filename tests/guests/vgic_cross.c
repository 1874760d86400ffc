// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_cross: one vCPU reads and changes the pending and active state of an
 * interrupt that sits in another vCPU's list register, as Linux's
 * synchronize_irq() (ISACTIVER) and irq_set_irqchip_state() (ICPENDR,
 * ICACTIVER) do. vCPU 1 holds the interrupt without leaving the guest; what
 * vCPU 0 reads and writes must be the interrupt's true state:
 *   TEST cross_pending_sgi  (GICv3) SGI 1 waits on vCPU 1, whose IRQs are
 *                           masked: vCPU 0 sees it in vCPU 1's GICR_ISPENDR0,
 *                           clears it through GICR_ICPENDR0, and vCPU 1 never
 *                           takes it once it unmasks
 *   TEST cross_active_sgi   (GICv3) vCPU 1 took SGI 2 and stays in its handler:
 *                           vCPU 0 sees it in GICR_ISACTIVER0 and clears it
 *                           through GICR_ICACTIVER0; it stays inactive after
 *                           vCPU 1 traps to the hypervisor
 *   TEST cross_active_spi   the same for the RTC's SPI 34 routed to vCPU 1,
 *                           through GICD; then a second alarm still comes
 * then "TEST vgic_cross PASS|FAIL" and "heartbeat N" forever.
 */
#include "rtc.h"
#include "test.h"

#define SGI_PEND   1
#define SGI_ACTIVE 2
#define WAIT_MS	   3000 /* an alarm 1 s ahead comes within 1 s */
#define BEAT_US	   100000
#define SPI_BIT	   (1u << (RTC_SPI % 32))
#define SPI_BANK   ((RTC_SPI / 32) * 4)

/*
 * How long vCPU 0 waits for vCPU 1 to do its part (come up, see SGI 1 listed,
 * take an interrupt, trap, leave its handler). Nothing is timed here: the
 * bound only turns a vCPU 1 that never does it into a FAIL line, and a
 * passing run never waits it out. vCPU 1 runs on a host thread of its own,
 * which a loaded host (2 cores at load 4) left unrun for more than the 100 ms
 * this was: the FAIL came though vCPU 1 did everything right.
 */
#define VCPU1_MS 3000
#define ISR_I	 (1u << 7) /* ISR_EL1.I: an IRQ is pending at this vCPU */

static volatile bool ready, sgi_listed, unmasked_window, window_done;
static volatile bool hold_next, release, trap_req, trap_done;
static volatile uint32_t holding, got_sgi_pend, got_sgi_active, alarms, spurious;
static unsigned int failed;

/* vCPU 1, in its handler with @intid active: until vCPU 0 lets go. */
static void hold(uint32_t intid)
{
	holding = intid;
	while (!release) {
		if (trap_req) {
			/* a trapped read: the hypervisor sees this vCPU's list registers */
			(void)gic_dist_read32(GICD_CTLR);
			trap_req = false;
			trap_done = true;
		}
	}
	release = false;
	holding = 0;
}

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar, intid;
	bool genuine;

	(void)frame;
	while ((intid = gic_iar_intid(iar = gic_ack())) < 1020) {
		genuine = true;
		if (intid == SGI_PEND) {
			got_sgi_pend++;
		} else if (intid == SGI_ACTIVE) {
			got_sgi_active++;
		} else if (intid == RTC_SPI && (rtc_read(RTCMIS) & 1)) {
			rtc_write(RTCIMSC, 0);
			rtc_write(RTCICR, 1);
			alarms++;
		} else {
			spurious++;
			genuine = false;
		}
		if (genuine && hold_next) {
			hold_next = false;
			hold(intid);
		}
		gic_eoi(iar);
	}
	return true;
}

void secondary_main(unsigned int cpu)
{
	(void)cpu;
	gic_cpu_init();
	gic_irq_enable(SGI_PEND);
	gic_irq_enable(SGI_ACTIVE);
	dmb();
	ready = true;
	/* IRQs masked, no trap: SGI 1 waits in a list register, which ISR_EL1 shows. */
	while (!unmasked_window)
		if (read_sysreg(isr_el1) & ISR_I)
			sgi_listed = true;
	irq_unmask();
	udelay(20000);
	irq_mask();
	window_done = true;
	irq_unmask();
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
}

static bool wait_for(volatile uint32_t *what, uint32_t want, unsigned int ms)
{
	uint64_t end = timer_now() + ms * timer_freq() / 1000;

	while (*what != want && timer_now() < end)
		;
	return *what == want;
}

static bool wait_flag(volatile bool *flag, unsigned int ms)
{
	uint64_t end = timer_now() + ms * timer_freq() / 1000;

	while (!*flag && timer_now() < end)
		;
	return *flag;
}

static void report(const char *name, const char *err, uint32_t a, uint32_t b, uint32_t c)
{
	if (err) {
		failed++;
		TEST_FAIL(name, "%s (%u,%u,%u spurious %u)", err, a, b, c, spurious);
	} else {
		printf("TEST %s PASS\n", name);
	}
}

/* vCPU 1 took @intid and holds it: vCPU 0 reads it active, clears it, reads again. */
static const char *clear_held(uint32_t (*read)(uint32_t), void (*write)(uint32_t, uint32_t),
			      uint32_t bank, uint32_t bit, uint32_t *seen)
{
	seen[0] = read(GICD_ISACTIVER + bank) & bit;
	write(GICD_ICACTIVER + bank, bit);
	seen[1] = read(GICD_ISACTIVER + bank) & bit;
	trap_req = true;
	if (!wait_flag(&trap_done, VCPU1_MS))
		return "vCPU 1 did not trap";
	seen[2] = read(GICD_ISACTIVER + bank) & bit;
	release = true;
	if (!wait_for(&holding, 0, VCPU1_MS))
		return "vCPU 1 never left its handler";
	if (!seen[0])
		return "not active while vCPU 1 handled it";
	if (seen[1] || seen[2])
		return "still active after GICD_ICACTIVER";
	return NULL;
}

static uint32_t vcpu1_read(uint32_t off)
{
	return gic_redist_sgi_read32(1, off);
}

static void vcpu1_write(uint32_t off, uint32_t v)
{
	gic_redist_sgi_write32(1, off, v);
}

static void test_sgis(void)
{
	uint32_t seen[3] = { 0 };
	const char *err = NULL;
	bool listed, unmasked;

	gic_send_sgi(SGI_PEND, 1u << 1);
	/* In vCPU 1's list register, not only in the model: the case under test. */
	listed = wait_flag(&sgi_listed, VCPU1_MS);
	seen[0] = vcpu1_read(GICD_ISPENDR) & (1u << SGI_PEND);
	vcpu1_write(GICD_ICPENDR, 1u << SGI_PEND);
	seen[1] = vcpu1_read(GICD_ISPENDR) & (1u << SGI_PEND);
	unmasked_window = true;
	unmasked = wait_flag(&window_done, VCPU1_MS);
	if (!listed)
		err = "never pending at vCPU 1 (ISR_EL1.I)";
	else if (!unmasked)
		err = "vCPU 1 never unmasked";
	else if (!seen[0])
		err = "not pending while vCPU 1 had IRQs masked";
	else if (seen[1])
		err = "still pending after GICR_ICPENDR0";
	else if (got_sgi_pend)
		err = "vCPU 1 took it after it was cleared";
	report("cross_pending_sgi", err, seen[0], seen[1], got_sgi_pend);

	hold_next = true;
	gic_send_sgi(SGI_ACTIVE, 1u << 1);
	if (!wait_for(&holding, SGI_ACTIVE, VCPU1_MS))
		err = "vCPU 1 never took it";
	else
		err = clear_held(vcpu1_read, vcpu1_write, 0, 1u << SGI_ACTIVE, seen);
	if (!err) {
		gic_send_sgi(SGI_ACTIVE, 1u << 1);
		if (!wait_for(&got_sgi_active, 2, VCPU1_MS))
			err = "not delivered again";
	}
	report("cross_active_sgi", err, seen[0], seen[1], seen[2]);
}

static void test_spi(void)
{
	uint32_t seen[3] = { 0 };
	const char *err = NULL;

	gic_irq_set_priority(RTC_SPI, 0x80);
	gic_irq_set_target(RTC_SPI, 1);
	gic_irq_enable(RTC_SPI);
	hold_next = true;
	rtc_arm_alarm(1);
	if (!wait_for(&holding, RTC_SPI, WAIT_MS))
		err = "vCPU 1 never took the alarm";
	else
		err = clear_held(gic_dist_read32, gic_dist_write32, SPI_BANK, SPI_BIT, seen);
	if (!err) {
		rtc_arm_alarm(1);
		if (!wait_for(&alarms, 2, WAIT_MS))
			err = "the second alarm was never delivered";
	}
	report("cross_active_spi", err, seen[0], seen[1], seen[2]);
}

int main(void *dtb)
{
	(void)dtb;
	gic_init();
	gic_cpu_init();
	printf("vgic_cross: GICv%d\n", gic_version());
	psci_cpu_on(1, 1);
	if (!wait_flag(&ready, VCPU1_MS)) {
		TEST_FAIL("vgic_cross", "vCPU 1 never came up");
		heartbeat_forever(1, BEAT_US, udelay);
	}
	if (gic_version() == 3)
		test_sgis();
	else
		unmasked_window = true;
	test_spi();
	if (failed)
		TEST_FAIL("vgic_cross", "%u failed", failed);
	else
		TEST_PASS("vgic_cross");
	heartbeat_forever(1, BEAT_US, udelay);
}
