// SPDX-License-Identifier: GPL-2.0-only
/* A slow UART for the console's tests (console_wire.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "console_wire.h"
#include "mmio.h"
#include "uart.h"

char wire[1 << 16]; /* every byte written to the UART, in order */
size_t wire_len;
unsigned int fifo_level;
bool drain_when_polled;	 /* time passes while a writer waits (polled mode) */
unsigned int full_polls; /* uart_tx_room() answered 0 */
bool tx_irq_on;
unsigned int rooms; /* calls of the console's room hook */
bool never_sends;
uint64_t counter, clock_step;
uint64_t counter_hz = COUNTER_HZ;
unsigned int uart_accesses;
static unsigned int relaxes; /* since the test started */

uint64_t arch_counter_read(void)
{
	counter += clock_step;
	return counter;
}

uint64_t arch_counter_freq(void)
{
	return counter_hz;
}

void uart_init(const struct platform_uart *uart)
{
	(void)uart;
}

unsigned int uart_tx_room(void)
{
	uart_accesses++;
	if (never_sends) {
		full_polls++;
		return 0;
	}
	if (fifo_level == FIFO) {
		full_polls++;
		if (drain_when_polled)
			fifo_level--; /* one byte went down the wire meanwhile */
		return 0;
	}
	return FIFO - fifo_level;
}

void (*fault_in_uart)(void);

void uart_tx_byte(char c)
{
	void (*fault)(void) = fault_in_uart;

	uart_accesses++;
	assert_true(fifo_level < FIFO); /* never written while full */
	assert_true(wire_len < sizeof(wire));
	wire[wire_len++] = c;
	fifo_level++;
	fault_in_uart = NULL;
	if (fault)
		fault();
}

void uart_tx_irq(bool enable)
{
	uart_accesses++;
	tx_irq_on = enable;
}

bool arch_mmu_enabled(void)
{
	return true;
}

unsigned int this_cpu; /* the CPU the test runs as; 0 takes the UART's interrupt */

unsigned int arch_cpu_index(void)
{
	return this_cpu;
}

/*
 * Far more spins than any bounded wait makes (2^26 looks at most): the test
 * fails instead of spinning for ever on a lock nobody will let go.
 */
void arch_cpu_relax(void)
{
	if (++relaxes > (1u << 28))
		fail_msg("CPU %u spins for ever: a lock nobody lets go", this_cpu);
}

unsigned int nudges;

void wire_room(void)
{
	rooms++;
}

void wire_nudge(void)
{
	nudges++;
}

/* The wire took @n bytes: the FIFO has room, and its interrupt is taken if on. */
void wire_sends(unsigned int n)
{
	fifo_level -= n < fifo_level ? n : fifo_level;
	if (tx_irq_on)
		console_tx_irq();
}

void wire_sends_all(void)
{
	while (fifo_level || tx_irq_on)
		wire_sends(FIFO);
}

bool wire_has(const char *text)
{
	wire[wire_len] = '\0';
	return strstr(wire, text) != NULL;
}

/* --- set-up --------------------------------------------------------------- */

static struct platform_uart uart = { .type = UART_PL011 };

/*
 * One console for the whole run (its state is static, as in the hypervisor):
 * the first test of a run leaves it queued (async), and each leaves it drained.
 */
int wire_console_up(void **state)
{
	(void)state;
	console_init(&uart);
	return 0;
}

int wire_calm(void **state)
{
	(void)state;
	never_sends = false;
	clock_step = 0;
	return 0;
}

int wire_fresh(void **state)
{
	(void)state;
	wire_sends_all();
	wire_len = 0;
	full_polls = 0;
	rooms = 0;
	relaxes = 0;
	return 0;
}

/* --- a cell's virtual UART ------------------------------------------------ */

#define UARTDR 0x000

void guest_writes(struct vuart *u, const char *bytes, size_t n)
{
	struct mmio_access acc = { .ipa = 0x09000000 + UARTDR, .size = 1, .write = true };
	size_t i;

	for (i = 0; i < n; i++) {
		acc.value = (uint8_t)bytes[i];
		assert_in_range(vuart_access(u, UARTDR, &acc), 0, VUART_LINE_MOVED);
	}
}

#define UARTFR	    0x018
#define UARTFR_TXFF (1u << 5)

bool guest_putc_polled(struct vuart *u, char c)
{
	struct mmio_access fr = { .ipa = 0x09000000 + UARTFR, .size = 4 };
	unsigned int polls;

	for (polls = 0; polls < 1000; polls++) {
		assert_in_range(vuart_access(u, UARTFR, &fr), 0, VUART_LINE_MOVED);
		if (!(fr.value & UARTFR_TXFF)) {
			guest_writes(u, &c, 1);
			return true;
		}
	}
	return false;
}
