// SPDX-License-Identifier: GPL-2.0-only
/*
 * shm_ping (cell alpha, member 0 of shared-memory region 0): sends ROUNDS
 * numbered messages to shm_pong through the region. Each round: write the
 * number to mailbox.ping, ring beta's doorbell, sleep until our own doorbell
 * (INTID 1000) fires, then mailbox.pong must hold exactly that number (a lost
 * message would leave the previous one, a duplicate would skip). The doorbell
 * count must equal ROUNDS at the end: no lost and no extra interrupts.
 * Rounds start RING_GAP_US apart at least, under the doorbell's documented
 * rate (SHM_RINGS_PER_MS per sending cell, docs/shm.md), and beta answers
 * each with one ring: neither cell is refused BUSY nor warned of, in the
 * demo (configs/qemu-virt/linux-shm-pair.dts) as in the tests. The limit
 * itself is shm_storm's to test. Until 2026-11-25 rounds ran back to back:
 * alpha was refused BUSY some 120,000 times in 10,000 rounds, both cells
 * were warned of ("doorbells rung faster than 10 per ms") at every run, and
 * the round trips timed included the waits for the bucket's tokens.
 * Also writes SHM_RO_MAGIC into region 1 for beta, which maps it read-only.
 * Prints TEST shm_pingpong PASS|FAIL and
 *   BENCH doorbell_roundtrip ns min=.. median=.. max=.. n=..
 * (one sample per SAMPLE_EVERY rounds, the tests/guests/bench.c format).
 */
#include "shm_common.h"

#define ROUNDS	     10000
#define SAMPLE_EVERY 10
#define READY_MS     5000
#define ROUND_MS     1000
/* 8 rings per ms: under the 10 of SHM_RINGS_PER_MS (include/shm.h), with room for jitter. */
#define RING_GAP_US 125

static volatile uint32_t doorbells, others;
static uint64_t samples[ROUNDS / SAMPLE_EVERY];

bool guest_irq(struct exception_frame *frame)
{
	(void)frame;
	shm_take_irqs(&doorbells, &others);
	return true;
}

static void sort(uint64_t *v, unsigned int n)
{
	for (unsigned int gap = n / 2; gap > 0; gap /= 2)
		for (unsigned int i = gap; i < n; i++) {
			uint64_t x = v[i];
			unsigned int j;

			for (j = i; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
}

/* Sleep until the doorbell count passes @seen or @deadline; IRQs masked around the check. */
static bool wait_doorbell(uint32_t seen, uint64_t deadline)
{
	for (;;) {
		irq_mask();
		if (doorbells != seen || timer_now() > deadline) {
			irq_unmask();
			return doorbells != seen;
		}
		wfi(); /* wakes on the pending interrupt even while masked */
		irq_unmask();
	}
}

/*
 * Spins until the counter reaches @when, reading it once per 512 nops: under
 * -icount each read ends QEMU's translation block, and a read per loop made
 * the bench's ping-pong run take 42 s of host time instead of 9.
 */
static void wait_until(uint64_t when)
{
	while (timer_now() < when)
		for (int k = 0; k < 512; k++)
			__asm__ volatile("nop");
}

int main(void *dtb)
{
	struct mailbox *mb = (struct mailbox *)SHM0_IPA;
	uint64_t freq = timer_freq(), gap = RING_GAP_US * freq / 1000000, t0, t1, busy = 0;
	uint64_t ret;
	uint32_t i, seen, n = 0;

	(void)dtb;
	*(volatile uint32_t *)SHM1_IPA = SHM_RO_MAGIC;
	gic_init();
	gic_cpu_init();
	gic_irq_set_priority(SHM_DOORBELL_INTID, 0x80);
	gic_irq_enable(SHM_DOORBELL_INTID);
	irq_unmask();
	t0 = timer_now();
	while (mb->ready != SHM_READY_MAGIC)
		if (timer_now() - t0 > READY_MS * freq / 1000) {
			TEST_FAIL("shm_pingpong", "pong never set ready (0x%x)", mb->ready);
			guest_park();
		}
	printf("shm_ping: pong ready, %u rounds\n", ROUNDS);
	for (i = 1; i <= ROUNDS; i++) {
		seen = doorbells;
		if (i > 1)
			wait_until(t0 + gap);
		t0 = timer_now();
		mb->ping = i;
		dsb();
		while ((ret = ring(0, 1)) == HC_RET_BUSY)
			busy++;
		if (ret != 0) {
			TEST_FAIL("shm_pingpong", "round %u: doorbell returned %ld", i, (long)ret);
			guest_park();
		}
		if (!wait_doorbell(seen, t0 + ROUND_MS * freq / 1000)) {
			TEST_FAIL("shm_pingpong", "round %u: no doorbell within %u ms (pong=%u)", i,
				  ROUND_MS, mb->pong);
			guest_park();
		}
		t1 = timer_now();
		if (mb->pong != i) {
			TEST_FAIL("shm_pingpong", "round %u: pong=%u (lost or duplicated message)",
				  i, mb->pong);
			guest_park();
		}
		if (i % SAMPLE_EVERY == 0)
			samples[n++] = (t1 - t0) * 1000000000UL / freq;
	}
	/* One doorbell per round, none more: wait a little for a stray duplicate. */
	udelay(20000);
	if (doorbells != ROUNDS || others)
		TEST_FAIL("shm_pingpong", "doorbells=%u expected=%u other=%u", doorbells, ROUNDS,
			  others);
	else
		printf("TEST shm_pingpong PASS rounds=%u doorbells=%u busy=%lu\n", ROUNDS,
		       doorbells, busy);
	sort(samples, n);
	printf("BENCH doorbell_roundtrip ns min=%lu median=%lu max=%lu n=%u\n", samples[0],
	       samples[n / 2], samples[n - 1], n);
	guest_park();
}
