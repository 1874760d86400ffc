// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmio_endian: big-endian accesses (SCTLR_EL1.EE = 1 for one instruction)
 * to the cell's emulated devices, whose registers are little-endian: a
 * big-endian load sees their bytes reversed and a big-endian store writes
 * them reversed, as on hardware. Little-endian accesses of the same
 * registers are the control. And the width of what an emulated load leaves
 * in its register (arch/arm64/guest_trap.c, load_result()): LDRSB/LDRSH
 * sign-extend to the register's width (ESR ISS.SSE), a W destination has its
 * upper half zeroed (ISS.SF 0), LDRB/LDRH zero-extend; the register holds all
 * ones before each, so bits the emulation leaves alone show. Only
 * meaningful in a cell.
 */
#include "platform.h"
#include "test.h"

#define BEAT_US	      100000
#define SCTLR_EE      (1UL << 25)
#define GICD_TYPER    0x4
#define UARTIBRD      0x024
#define UARTIMSC      0x038
#define UARTPERIPHID0 0xfe0
#define UARTPCELLID1  0xff4 /* 0xf0: its byte's top bit set */
#define UARTIMSC_RTIM (1u << 6)
/* UARTIBRD's 16 bits, the top one set */
#define IBRD_NEGATIVE 0x80f0u

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

/* One narrow load @insn into a register that held all ones: the whole X register after. */
#define NARROW_LOAD(fn, insn)                                         \
	static uint64_t fn(uint64_t addr)                             \
	{                                                             \
		uint64_t v;                                           \
                                                                      \
		__asm__ volatile("mov %x[v], #-1\n\t" insn ", [%[a]]" \
				 : [v] "=&r"(v)                       \
				 : [a] "r"(addr)                      \
				 : "memory");                         \
		return v;                                             \
	}
NARROW_LOAD(ldrsb_x, "ldrsb %x[v]")
NARROW_LOAD(ldrsb_w, "ldrsb %w[v]")
NARROW_LOAD(ldrsh_x, "ldrsh %x[v]")
NARROW_LOAD(ldrsh_w, "ldrsh %w[v]")
NARROW_LOAD(ldrb_w, "ldrb %w[v]")
NARROW_LOAD(ldrh_w, "ldrh %w[v]")

static void check64(const char *name, uint64_t got, uint64_t want)
{
	if (got == want) {
		TEST_PASS(name);
		return;
	}
	failures++;
	TEST_FAIL(name, "register 0x%016lx, expected 0x%016lx", got, want);
}

static void check_load_widths(void)
{
	uint64_t cellid1 = PLATFORM_UART_BASE + UARTPCELLID1, ibrd = PLATFORM_UART_BASE + UARTIBRD;
	uint32_t ibrd_was = le_read32(ibrd);

	check64("ldrsb_x_sign_extends", ldrsb_x(cellid1), 0xfffffffffffffff0UL);
	check64("ldrsb_w_zeroes_upper_half", ldrsb_w(cellid1), 0x00000000fffffff0UL);
	check64("ldrb_w_zero_extends", ldrb_w(cellid1), 0xf0UL);
	*(volatile uint32_t *)ibrd = IBRD_NEGATIVE;
	check64("ldrsh_x_sign_extends", ldrsh_x(ibrd), 0xffffffffffff80f0UL);
	check64("ldrsh_w_zeroes_upper_half", ldrsh_w(ibrd), 0x00000000ffff80f0UL);
	check64("ldrh_w_zero_extends", ldrh_w(ibrd), 0x80f0UL);
	*(volatile uint32_t *)ibrd = ibrd_was;
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
	check_load_widths();
	if (failures)
		TEST_FAIL("mmio_endian", "%u check(s) failed", failures);
	else
		TEST_PASS("mmio_endian");
	heartbeat_forever(1, BEAT_US, udelay);
}
