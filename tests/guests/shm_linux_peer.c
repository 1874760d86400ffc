// SPDX-License-Identifier: GPL-2.0-only
/*
 * shm_linux_peer (cell bare, member 1 of the region of
 * tests/scenarios/layouts/shm-linux.dts; member 0 is a Linux cell): sends
 * ROUNDS numbered messages to Linux, which answers each from its shell with
 * busybox devmem (tests/scenarios/test_shm_linux.py). Each round:
 *   - write value, then seq, then SHM_LINUX_MAGIC into the message words and
 *     ring Linux's doorbell (INTID 1000 in its vGIC);
 *   - print "shm_linux: message seq=N value=0x..., rang linux (ret R)";
 *   - poll the answer words until answer_seq == N (Linux writes answer_value
 *     first, answer_seq last); answer_value must be ~value.
 * Then TEST shm_linux PASS answer=0x... (the last answer), or FAIL on a wrong
 * answer or none within the timeout (the first one waits for Linux to boot).
 */
#include "shm_common.h"

#define SHM_LINUX_IPA	0x70000000UL
#define SHM_LINUX_MAGIC 0x4d534842u /* "BHSM" */
#define ROUNDS		3
#define FIRST_MS	120000 /* Linux boots under TCG first */
#define ROUND_MS	30000

/* The region's first words; the offsets are the scenario's devmem addresses. */
struct message {
	volatile uint32_t magic;	/* 0x00 SHM_LINUX_MAGIC once a message is there */
	volatile uint32_t seq;		/* 0x04 this message's number, 1.. */
	volatile uint32_t value;	/* 0x08 what Linux must answer (complemented) */
	volatile uint32_t pad;		/* 0x0c */
	volatile uint32_t answer_seq;	/* 0x10 Linux: the seq it answers, written last */
	volatile uint32_t answer_value; /* 0x14 Linux: ~value */
};

int main(void *dtb)
{
	struct message *m = (struct message *)SHM_LINUX_IPA;
	uint64_t freq = timer_freq(), t0, ret;
	uint32_t value = 0;

	(void)dtb;
	m->magic = 0;
	m->answer_seq = 0;
	m->answer_value = 0;
	for (uint32_t seq = 1; seq <= ROUNDS; seq++) {
		uint64_t limit = (seq == 1 ? FIRST_MS : ROUND_MS) * freq / 1000;

		value = (uint32_t)(timer_now() * 2654435761u) ^ (seq << 28);
		m->value = value;
		m->seq = seq;
		dsb();
		m->magic = SHM_LINUX_MAGIC;
		dsb();
		while ((ret = ring(0, 0)) == HC_RET_BUSY)
			udelay(1000);
		printf("shm_linux: message seq=%u value=0x%08x, rang linux (ret %ld)\n", seq, value,
		       (long)ret);
		if (ret != 0) {
			TEST_FAIL("shm_linux", "seq %u: doorbell returned %ld", seq, (long)ret);
			guest_park();
		}
		t0 = timer_now();
		while (m->answer_seq != seq)
			if (timer_now() - t0 > limit) {
				TEST_FAIL("shm_linux",
					  "seq %u: no answer within %lu ms (answer_seq=%u)", seq,
					  (unsigned long)(limit * 1000 / freq), m->answer_seq);
				guest_park();
			}
		dsb();
		if (m->answer_value != (uint32_t)~value) {
			TEST_FAIL("shm_linux", "seq %u: answer 0x%08x, expected 0x%08x", seq,
				  m->answer_value, (uint32_t)~value);
			guest_park();
		}
		printf("shm_linux: seq=%u answered 0x%08x after %lu ms\n", seq, m->answer_value,
		       (unsigned long)((timer_now() - t0) * 1000 / freq));
	}
	printf("TEST shm_linux PASS answer=0x%08x rounds=%u\n", (uint32_t)~value, ROUNDS);
	guest_park();
}
