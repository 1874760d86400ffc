// SPDX-License-Identifier: GPL-2.0-only
/*
 * vuart_irq_reset: the virtual console's interrupt (INTID 33) raised across a
 * restart. The UART remembers the level it last gave the vGIC and tells it
 * only of a change; a restart resets the vGIC's model, line low, and must
 * reset that memory too, or a new boot whose very first UART access raises
 * the line as high as the old boot left it is never told.
 *   boot 1: unmasks UARTIMSC.TXIM (the TX FIFO is empty, so TXRIS is high and
 *           the line rises at once), takes the interrupt, disables INTID 33
 *           at its vGIC (the line stays high) and asks for SYSTEM_RESET;
 *   boot 2: its first UART access unmasks TXIM again, before it prints
 *           anything, and the interrupt must come within WAIT_MS.
 * Then "TEST vuart_irq_reset PASS|FAIL ..." and heartbeats.
 */
#include "gic.h"
#include "test.h"

#define VUART_INTID   33 /* SPI 1 (docs/guest-platform.md) */
#define UARTIMSC      0x038
#define UARTIMSC_TXIM (1u << 5)
#define WAIT_MS	      500

static volatile uint32_t uart_irqs, other;

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar, intid;

	(void)frame;
	while ((intid = gic_iar_intid(iar = gic_ack())) < 1020) {
		if (intid == VUART_INTID) {
			/* Off at the vGIC only: UARTMIS, and so the line, stays high. */
			gic_irq_disable(VUART_INTID);
			uart_irqs++;
		} else {
			other++;
		}
		gic_eoi(iar);
	}
	return true;
}

static void uart_tx_irq_on(void)
{
	*(volatile uint32_t *)(PLATFORM_UART_BASE + UARTIMSC) = UARTIMSC_TXIM;
}

/* The interrupt within WAIT_MS: no WFI, nothing else would wake the vCPU if it never came. */
static bool uart_irq_taken(void)
{
	uint64_t end = timer_now() + WAIT_MS * timer_freq() / 1000;

	while (!uart_irqs && timer_now() < end)
		udelay(1000);
	return uart_irqs != 0;
}

int main(void *dtb)
{
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;
	bool taken;

	(void)dtb;
	gic_init();
	gic_cpu_init();
	gic_irq_enable(VUART_INTID);
	irq_unmask();
	uart_tx_irq_on(); /* boot 2: the first UART access of the boot */
	taken = uart_irq_taken();
	if (boot == 1 && taken) {
		printf("boot 1: UART interrupt taken; SYSTEM_RESET with its line high\n");
		psci_system_reset();
	}
	if (boot == 2 && taken && !other)
		TEST_PASS("vuart_irq_reset");
	else
		TEST_FAIL("vuart_irq_reset",
			  "boot %lu: %u UART interrupt(s), %u other(s) in %u ms after TXIM",
			  (unsigned long)boot, uart_irqs, other, WAIT_MS);
	heartbeat_forever(1, 200000, udelay);
}
