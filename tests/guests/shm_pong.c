// SPDX-License-Identifier: GPL-2.0-only
/*
 * shm_pong (cell beta, member 1 of region 0, read-only member of region 1):
 * first the access checks of a member (TEST lines):
 *   shm_ro_read      region 1 reads what alpha wrote (SHM_RO_MAGIC)
 *   shm_ro_write     a write to region 1 aborts (read-only mapping)
 *   shm_ring_plain   ringing region 1 (no doorbell) returns -3
 *   shm_ring_self    ringing itself returns -3
 *   shm_exec         a branch to a `ret` it wrote into region 0 takes an
 *                    instruction abort: shared memory is never executable
 * then echoes: on each doorbell (INTID 1000) the message in mailbox.ping
 * must be the previous one plus 1; it is copied to mailbox.pong and alpha is
 * rung. After ROUNDS messages: TEST shm_pong PASS messages=N doorbells=N.
 */
#include "shm_common.h"

#define ROUNDS	10000
#define IDLE_MS 3000 /* no doorbell for this long: alpha is gone */

#define ESR_EC_SHIFT	26
#define ESR_EC_IABT_CUR 0x21u /* instruction abort taken without a change of EL */
#define ESR_IFSC_MASK	0x3fu
#define EXEC_OFFSET	0x1000UL    /* in region 0, past the mailbox */
#define INSN_RET	0xd65f03c0u /* ret */

static volatile uint32_t doorbells, others;
/* The instruction abort shm_exec expects: armed by it, taken by guest_sync(). */
static volatile bool exec_armed;
static volatile uint64_t exec_esr, exec_far;

bool guest_sync(struct exception_frame *frame, unsigned int vector, uint64_t esr)
{
	(void)vector;
	if (!exec_armed || ((esr >> ESR_EC_SHIFT) & 0x3f) != ESR_EC_IABT_CUR)
		return false;
	exec_armed = false;
	exec_esr = esr;
	exec_far = read_sysreg(far_el1);
	frame->elr = frame->x[30]; /* the branch's return address: as if the ret had run */
	return true;
}

/* A branch into region 0, where a `ret` is written, must not run it. */
static void check_no_exec(void)
{
	uintptr_t code = SHM0_IPA + EXEC_OFFSET;
	void (*shared_ret)(void) = (void (*)(void))code;

	*(volatile uint32_t *)code = INSN_RET;
	/* Were it executable, the ret must be what runs: no stale instruction. */
	__asm__ volatile("dsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" : : "r"(code) : "memory");
	exec_armed = true;
	shared_ret();
	if (exec_armed) {
		exec_armed = false;
		TEST_FAIL("shm_exec", "the ret at 0x%lx in region 0 ran", (unsigned long)code);
	} else if (exec_far != code) {
		TEST_FAIL("shm_exec", "instruction abort at FAR 0x%lx, not 0x%lx (ESR 0x%lx)",
			  (unsigned long)exec_far, (unsigned long)code, (unsigned long)exec_esr);
	} else {
		printf("TEST shm_exec PASS instruction abort, ESR 0x%lx IFSC 0x%lx\n",
		       (unsigned long)exec_esr, (unsigned long)(exec_esr & ESR_IFSC_MASK));
	}
}

bool guest_irq(struct exception_frame *frame)
{
	(void)frame;
	shm_take_irqs(&doorbells, &others);
	return true;
}

static void member_checks(void)
{
	uint32_t v = 0;
	uint64_t t0 = timer_now(), ret;

	while (probe_read32(SHM1_IPA, &v) == 0 && v != SHM_RO_MAGIC &&
	       timer_now() - t0 < timer_freq())
		;
	if (v == SHM_RO_MAGIC)
		TEST_PASS("shm_ro_read");
	else
		TEST_FAIL("shm_ro_read", "read 0x%x, expected 0x%x", v, SHM_RO_MAGIC);
	/* The demo runs these too: its user reads why the WARN lines come. */
	printf("shm_pong: probing isolation: a write to read-only region 1, a ring of region 1 "
	       "(no doorbell) and a branch into region 0 must be refused; the hypervisor warns "
	       "of each\n");
	if (probe_write32(SHM1_IPA + 4, 0x1234) != 0)
		TEST_PASS("shm_ro_write");
	else
		TEST_FAIL("shm_ro_write", "write to the read-only region completed");
	ret = ring(1, 0);
	if (ret == HC_RET_INVALID)
		TEST_PASS("shm_ring_plain");
	else
		TEST_FAIL("shm_ring_plain", "got=%ld expected=-3", (long)ret);
	ret = ring(0, 1);
	if (ret == HC_RET_INVALID)
		TEST_PASS("shm_ring_self");
	else
		TEST_FAIL("shm_ring_self", "got=%ld expected=-3", (long)ret);
	check_no_exec();
}

int main(void *dtb)
{
	struct mailbox *mb = (struct mailbox *)SHM0_IPA;
	uint64_t freq = timer_freq(), last_seen = timer_now(), ret;
	uint32_t handled = 0, msg;

	(void)dtb;
	member_checks();
	gic_init();
	gic_cpu_init();
	gic_irq_set_priority(SHM_DOORBELL_INTID, 0x80);
	gic_irq_enable(SHM_DOORBELL_INTID);
	irq_unmask();
	mb->ready = SHM_READY_MAGIC;
	dsb();
	while (handled < ROUNDS) {
		irq_mask();
		if (doorbells == handled) {
			if (timer_now() - last_seen > IDLE_MS * freq / 1000) {
				irq_unmask();
				TEST_FAIL("shm_pong", "no doorbell for %u ms after %u messages",
					  IDLE_MS, handled);
				guest_park();
			}
			__asm__ volatile("wfi" ::: "memory");
			irq_unmask();
			continue;
		}
		irq_unmask();
		last_seen = timer_now();
		handled++;
		if (doorbells != handled) {
			TEST_FAIL("shm_pong", "doorbells=%u after %u messages (a ring too many)",
				  doorbells, handled);
			guest_park();
		}
		msg = mb->ping;
		if (msg != handled) {
			TEST_FAIL("shm_pong", "message %u, expected %u (lost or duplicated)", msg,
				  handled);
			guest_park();
		}
		mb->pong = msg;
		dsb();
		while ((ret = ring(0, 0)) == HC_RET_BUSY)
			;
		if (ret != 0) {
			TEST_FAIL("shm_pong", "doorbell returned %ld", (long)ret);
			guest_park();
		}
	}
	udelay(20000);
	if (doorbells != ROUNDS || others)
		TEST_FAIL("shm_pong", "doorbells=%u expected=%u other=%u", doorbells, ROUNDS,
			  others);
	else
		printf("TEST shm_pong PASS messages=%u doorbells=%u\n", handled, doorbells);
	guest_park();
}
