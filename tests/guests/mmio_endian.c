// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmio_endian: big-endian accesses (SCTLR_EL1.EE = 1 for one instruction)
 * to the cell's emulated devices, whose registers are little-endian: a
 * big-endian load sees their bytes reversed and a big-endian store writes
 * them reversed, as on hardware. Little-endian accesses of the same
 * registers are the control. Only meaningful in a cell.
 */
#include "platform.h"
#include "test.h"

#define BEAT_US	      100000
#define SCTLR_EE      (1UL << 25)
#define GICD_TYPER    0x4
#define UARTIMSC      0x038
#define UARTPERIPHID0 0xfe0
#define UARTIMSC_RTIM (1u << 6)

static unsigned int failures;

/* One load with EL1 data accesses big-endian; nothing else touches memory meanwhile. */
static uint32_t be_read32(uint64_t addr)
{
	uint64_t sctlr, be;
	uint32_t v;

	__asm__ volatile("mrs %[s], sctlr_el1\n\t"
			 "orr %[b], %[s], %[ee]\n\t"
			 "msr sctlr_el1, %[b]\n\t"
			 "isb\n\t"
			 "ldr %w[v], [%[a]]\n\t"
			 "msr sctlr_el1, %[s]\n\t"
			 "isb"
			 : [s] "=&r"(sctlr), [b] "=&r"(be), [v] "=&r"(v)
			 : [a] "r"(addr), [ee] "r"(SCTLR_EE)
			 : "memory");
	return v;
}

static void be_write32(uint64_t addr, uint32_t v)
{
	uint64_t sctlr, be;

	__asm__ volatile("mrs %[s], sctlr_el1\n\t"
			 "orr %[b], %[s], %[ee]\n\t"
			 "msr sctlr_el1, %[b]\n\t"
			 "isb\n\t"
			 "str %w[v], [%[a]]\n\t"
			 "msr sctlr_el1, %[s]\n\t"
			 "isb"
			 : [s] "=&r"(sctlr), [b] "=&r"(be)
			 : [a] "r"(addr), [v] "r"(v), [ee] "r"(SCTLR_EE)
			 : "memory");
}

static uint32_t le_read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

static void check(const char *name, uint32_t got, uint32_t want)
{
	if (got == want) {
		TEST_PASS(name);
		return;
	}
	failures++;
	TEST_FAIL(name, "read 0x%08x, expected 0x%08x", got, want);
}

int main(void *dtb)
{
	uint32_t typer = le_read32(PLATFORM_GICD_BASE + GICD_TYPER);

	(void)dtb;
	check("le_uart_periphid0", le_read32(PLATFORM_UART_BASE + UARTPERIPHID0), 0x11);
	check("be_uart_periphid0", be_read32(PLATFORM_UART_BASE + UARTPERIPHID0), 0x11000000);
	check("be_gicd_typer", be_read32(PLATFORM_GICD_BASE + GICD_TYPER),
	      __builtin_bswap32(typer));
	/* The receive-timeout mask bit, written big-endian, lands where a little-endian reader sees
	 * it. */
	be_write32(PLATFORM_UART_BASE + UARTIMSC, __builtin_bswap32(UARTIMSC_RTIM));
	check("be_uart_imsc_write", le_read32(PLATFORM_UART_BASE + UARTIMSC), UARTIMSC_RTIM);
	*(volatile uint32_t *)(PLATFORM_UART_BASE + UARTIMSC) = 0;
	if (failures)
		TEST_FAIL("mmio_endian", "%u check(s) failed", failures);
	else
		TEST_PASS("mmio_endian");
	heartbeat_forever(1, BEAT_US, udelay);
}
