// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmio_misuse: accesses to the cell's emulated devices that the hypervisor
 * cannot or will not emulate, each of which must come back as a data abort
 * while the cell keeps running:
 *   - no instruction syndrome (ESR ISV 0): a load pair and a post-indexed
 *     load on the vGIC distributor, a load pair on the virtual UART;
 *   - a width the register does not take: a halfword and a doubleword read
 *     of GICD_CTLR (32-bit only).
 * A plain 32-bit read of GICD_TYPER is the control: it must complete. The
 * scenario (test_cells.py) checks the hypervisor's report of each refusal.
 * Only meaningful in a cell: bare, QEMU's own GIC and PL011 answer them.
 */
#include "platform.h"
#include "test.h"

#define BEAT_US	   100000
#define GICD_CTLR  0x0
#define GICD_TYPER 0x4

static unsigned int failures;

static void expect_refused(const char *name, int aborted)
{
	if (aborted) {
		TEST_PASS(name);
		return;
	}
	failures++;
	TEST_FAIL(name, "the access completed, expected an abort");
}

/* Each probe is one instruction: the abort hook resumes right after it. */
static int load_pair(uint64_t addr)
{
	uint32_t a = 0, b = 0;

	expect_abort();
	__asm__ volatile("ldp %w0, %w1, [%2]" : "+r"(a), "+r"(b) : "r"(addr) : "memory");
	return abort_taken(NULL);
}

static int load_post_index(uint64_t addr)
{
	uint32_t v = 0;

	expect_abort();
	__asm__ volatile("ldr %w0, [%1], #4" : "+r"(v), "+r"(addr) : : "memory");
	return abort_taken(NULL);
}

static int load_half(uint64_t addr)
{
	uint32_t v = 0;

	expect_abort();
	__asm__ volatile("ldrh %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	return abort_taken(NULL);
}

static void control_read(void)
{
	uint32_t typer = 0;

	if (probe_read32(PLATFORM_GICD_BASE + GICD_TYPER, &typer) || !typer) {
		failures++;
		TEST_FAIL("gicd_typer_read", "GICD_TYPER read 0x%x or aborted", typer);
		return;
	}
	TEST_PASS("gicd_typer_read");
}

int main(void *dtb)
{
	uint64_t dword = 0;

	printf("mmio_misuse: running at %p, DTB at %p\n", (void *)main, dtb);
	control_read();
	expect_refused("gicd_load_pair", load_pair(PLATFORM_GICD_BASE + GICD_CTLR));
	expect_refused("gicd_post_index", load_post_index(PLATFORM_GICD_BASE + GICD_CTLR));
	expect_refused("gicd_halfword", load_half(PLATFORM_GICD_BASE + GICD_CTLR));
	expect_refused("gicd_doubleword", probe_read(PLATFORM_GICD_BASE + GICD_CTLR, &dword) != 0);
	expect_refused("vuart_load_pair", load_pair(PLATFORM_UART_BASE));
	control_read();
	if (failures)
		TEST_FAIL("mmio_misuse", "%u access(es) not refused as expected", failures);
	else
		TEST_PASS("mmio_misuse");
	sleep_init();
	heartbeat_forever(1, BEAT_US, sleep_us);
}
