// SPDX-License-Identifier: GPL-2.0-only
/* PL011 console, polled, and the lock that keeps each printf's output whole. */
#include "guest.h"
#include "platform.h"

#define UART_BASE   PLATFORM_UART_BASE
#define UARTDR	    0x00
#define UARTFR	    0x18
#define UARTFR_TXFF (1u << 5)

static inline uint32_t uart_read(unsigned int reg)
{
	return *(volatile uint32_t *)(UART_BASE + reg);
}

void uart_putc(char c)
{
	if (c == '\n')
		uart_putc('\r');
	while (uart_read(UARTFR) & UARTFR_TXFF)
		;
	*(volatile uint32_t *)(UART_BASE + UARTDR) = (uint8_t)c;
}

/*
 * Lamport's bakery lock: plain loads and stores only, because with the MMU
 * off memory is Device-nGnRnE and exclusives (LDXR/STXR) need not work there.
 * Recursive per vCPU, so an exception report printed while the lock is held
 * does not deadlock.
 */
static volatile uint32_t choosing[GUEST_MAX_CPUS];
static volatile uint32_t ticket[GUEST_MAX_CPUS];
static volatile int owner = -1;
static unsigned int depth;

static bool ahead_of(unsigned int j, unsigned int me)
{
	uint32_t tj = ticket[j];

	return tj != 0 && (tj < ticket[me] || (tj == ticket[me] && j < me));
}

void console_lock(void)
{
	unsigned int me = guest_cpu_id();
	uint32_t max = 0;
	unsigned int j;

	if (owner == (int)me) {
		depth++;
		return;
	}
	choosing[me] = 1;
	dmb();
	for (j = 0; j < GUEST_MAX_CPUS; j++)
		max = ticket[j] > max ? ticket[j] : max;
	ticket[me] = max + 1;
	dmb();
	choosing[me] = 0;
	dmb();
	for (j = 0; j < GUEST_MAX_CPUS; j++) {
		while (choosing[j])
			dmb();
		while (j != me && ahead_of(j, me))
			dmb();
	}
	owner = (int)me;
	depth = 1;
	dmb();
}

void console_unlock(void)
{
	if (--depth != 0)
		return;
	owner = -1;
	dmb();
	ticket[guest_cpu_id()] = 0;
	dmb();
}
