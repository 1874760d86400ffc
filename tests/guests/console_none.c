// SPDX-License-Identifier: GPL-2.0-only
/*
 * console_none (tests/scenarios/layouts/console-none.dts): cell beta has no
 * console, so nothing is at IPA 0x09000000 for it (docs/guest-platform.md):
 * its read of UARTFR and its write of UARTDR there must each take a
 * synchronous data abort. beta cannot print (its printf would write there
 * too): it puts what each access met into shared-memory region 0, and alpha,
 * which has the console, reports it:
 *   TEST console_none_read PASS | FAIL <what beta's read met>
 *   TEST console_none_write PASS | FAIL <what beta's write met>
 *   TEST console_none PASS | FAIL
 * then "heartbeat N" forever (alpha); beta parks.
 */
#include "test.h"

#define REPORT_IPA	0x50000000UL /* region 0 */
#define REPORT_MAGIC	0xc0ed0e00u
#define UART_IPA	0x09000000UL
#define UARTDR		0x00
#define UARTFR		0x18
#define ESR_EC_SHIFT	26
#define ESR_EC_DABT_CUR 0x25u
#define ESR_DFSC_MASK	0x3fu
#define ESR_DFSC_SEA	0x10u /* synchronous external abort */
#define WAIT_MS		5000

/* One access of beta's, as it met it. */
struct access_report {
	uint32_t aborted; /* 1: a data abort was taken; 0: the access completed */
	uint32_t value;	  /* what a completed read returned; 0 for a write */
	uint64_t esr, far;
};

struct report {
	struct access_report read, write;
	uint32_t magic; /* written last: the rest is complete */
};

static void record(volatile struct access_report *out, bool aborted, uint32_t value,
		   const struct abort_record *rec)
{
	out->aborted = aborted;
	out->value = value;
	out->esr = aborted ? rec->esr : 0;
	out->far = aborted ? rec->far : 0;
}

/* beta: touch the absent UART, tell alpha; never print. */
static void probe_absent_uart(void)
{
	volatile struct report *rep = (volatile struct report *)REPORT_IPA;
	struct abort_record rec = { 0 };
	uint32_t value = 0;
	bool aborted;

	expect_abort();
	__asm__ volatile("ldr %w0, [%1]" : "+r"(value) : "r"(UART_IPA + UARTFR) : "memory");
	aborted = abort_taken(&rec);
	record(&rep->read, aborted, value, &rec);
	expect_abort();
	__asm__ volatile("str %w0, [%1]" : : "r"((uint32_t)'x'), "r"(UART_IPA + UARTDR) : "memory");
	aborted = abort_taken(&rec);
	record(&rep->write, aborted, 0, &rec);
	dmb();
	rep->magic = REPORT_MAGIC;
	dmb();
	guest_park();
}

/* alpha: a data abort at the address, as the hypervisor injects one for nothing mapped. */
static bool judge(const char *name, const volatile struct access_report *a, uint64_t addr)
{
	uint64_t esr = a->esr;
	unsigned int ec = (unsigned int)(esr >> ESR_EC_SHIFT) & 0x3f;

	if (!a->aborted) {
		TEST_FAIL(
			name,
			"beta's access to 0x%lx completed (a read returned 0x%x): a UART is there",
			(unsigned long)addr, a->value);
		return false;
	}
	if (ec != ESR_EC_DABT_CUR || (esr & ESR_DFSC_MASK) != ESR_DFSC_SEA || a->far != addr) {
		TEST_FAIL(name, "ESR 0x%lx FAR 0x%lx: not an external abort at 0x%lx",
			  (unsigned long)esr, (unsigned long)a->far, (unsigned long)addr);
		return false;
	}
	printf("TEST %s PASS data abort, ESR 0x%lx FAR 0x%lx\n", name, (unsigned long)esr,
	       (unsigned long)a->far);
	return true;
}

static void report_beta(void)
{
	volatile struct report *rep = (volatile struct report *)REPORT_IPA;
	uint64_t t0 = timer_now(), wait = WAIT_MS * timer_freq() / 1000;
	bool ok;

	while (rep->magic != REPORT_MAGIC)
		if (timer_now() - t0 > wait) {
			TEST_FAIL("console_none", "no report from beta in %u ms", WAIT_MS);
			return;
		}
	dmb();
	ok = judge("console_none_read", &rep->read, UART_IPA + UARTFR);
	ok = judge("console_none_write", &rep->write, UART_IPA + UARTDR) && ok;
	if (ok)
		TEST_PASS("console_none");
	else
		TEST_FAIL("console_none", "beta reached a UART it does not have");
}

int main(void *dtb)
{
	uint64_t cell = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a1;

	(void)dtb;
	if (cell == 1)
		probe_absent_uart();
	report_beta();
	sleep_init();
	heartbeat_forever(0, 1000000, sleep_us);
}
