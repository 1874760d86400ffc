// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's emulated PL011 (Arm DDI 0183) at guest IPA 0x09000000: enough of
 * the UART for Linux's amba-pl011 driver and earlycon, U-Boot's pl01x driver
 * and our guest test runtime: its register file and receiver. Bytes the
 * guest transmits are gathered into lines printed whole, "[label] text", on
 * the hypervisor console (partitions/vuart_tx.c).
 *
 * The transmitter is as fast as the console takes the cell's lines. Mostly
 * that is at once: a byte written to UARTDR has left before the next access,
 * so the TX FIFO is empty (FR.TXFE=1, TXFF=0, BUSY=0) and, as the TRM says of
 * a TX FIFO at or below its trigger level, TXRIS is asserted. A line the
 * console refuses (the cell's share of it is full: lib/console_tx.c) is held,
 * and the FIFO fills behind it until the console takes it (include/vuart.h).
 * The receive side holds what the console mux queued.
 * Like QEMU's PL011, the enable bits (CR.UARTEN/TXE/RXE) do not gate data:
 * our guest runtime and Linux's earlycon write UARTDR without enabling the
 * UART, trusting firmware to have done it.
 */
#include <errno.h>
#include <string.h>
#include "console.h"
#include "log.h"
#include "nospec.h"
#include "vuart.h"
#include "vuart_priv.h"
#include "compiler.h"

/* Register offsets (DDI 0183 table 3-1) */
#define UARTDR		0x000
#define UARTRSR		0x004 /* UARTECR when written */
#define UARTFR		0x018
#define UARTILPR	0x020
#define UARTIBRD	0x024
#define UARTFBRD	0x028
#define UARTLCR_H	0x02C
#define UARTCR		0x030
#define UARTIFLS	0x034
#define UARTIMSC	0x038
#define UARTRIS		0x03C
#define UARTMIS		0x040
#define UARTICR		0x044
#define UARTDMACR	0x048
#define UARTPERIPHID0	0xFE0 /* ... UARTPCellID3 at 0xFFC */
#define VUART_FRAME_END 0x1000

/* UARTFR: modem lines (CTS, DSR, DCD, RI) stay 0, as on QEMU's PL011. */
#define UARTFR_BUSY (1u << 3)
#define UARTFR_RXFE (1u << 4)
#define UARTFR_TXFF (1u << 5)
#define UARTFR_RXFF (1u << 6)
#define UARTFR_TXFE (1u << 7)

#define UART_INT_MASK 0x7FFu

/* Implemented bits of the read/write registers (the rest read as zero). */
#define UARTIBRD_MASK  0xFFFFu
#define UARTFBRD_MASK  0x3Fu
#define UARTLCR_H_MASK 0xFFu
#define UARTCR_MASK    0xFF87u /* [6:3] reserved */
#define UARTIFLS_MASK  0x3Fu
#define UARTDMACR_MASK 0x7u

/* Reset values (DDI 0183 table 3-1): TXE and RXE set, FIFO levels at 1/2. */
#define UARTCR_RESET   0x300u
#define UARTIFLS_RESET 0x12u

/* UARTPeriphID0-3 then UARTPCellID0-3: part 0x011, designer 0x41 ('A'), r1 (QEMU's). */
static const uint8_t vuart_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };

static void set_prefix(struct vuart *u, const char *label)
{
	/* Room for '[', "] " and the NUL: a longer label is cut, never overflows. */
	size_t n = 0;

	while (n < VUART_PREFIX_MAX - 4 && label[n])
		n++;

	u->prefix[0] = '[';
	memcpy(&u->prefix[1], label, n);
	memcpy(&u->prefix[1 + n], "] ", 3);
}

void vuart_reset(struct vuart *u, const char *label)
{
	spin_lock(&u->lock);
	set_prefix(u, label);
	u->line_len = 0;
	u->cr = UARTCR_RESET;
	u->lcr_h = 0;
	u->ibrd = 0;
	u->fbrd = 0;
	u->ifls = UARTIFLS_RESET;
	u->imsc = 0;
	/* The TX FIFO is empty, so at or below any trigger level. */
	u->ris = UARTRIS_TXRIS;
	u->dmacr = 0;
	u->rx_head = 0;
	u->rx_count = 0;
	u->held = false;
	u->refused = false;
	u->txq_len = 0;
	/* drop_told stays: the first drop of the cell's life is told, not one a boot. */
	/* line_told stays: it is what the vGIC has, reset with it (vuart_irq_forget()). */
	u->tx_dropped = 0;
	spin_unlock(&u->lock);
	console_end_partial(u->prefix); /* a restart's first line starts afresh */
}

/* --- receive ---------------------------------------------------------------- */

bool vuart_lock_console_side(struct vuart *u, const char *undone)
{
	if (spin_lock_unless_lost(&u->lock))
		return true;
	if (!__atomic_exchange_n(&u->lost_told, true, __ATOMIC_RELAXED))
		log_warn("%sconsole: its virtual UART's lock is held, and the cell lost a CPU at "
			 "EL2, which may hold it for good: not waited for by the console; %s "
			 "(further give-ups not logged)",
			 u->prefix, undone);
	return false;
}

bool vuart_receive(struct vuart *u, uint8_t c)
{
	bool queued = false;

	if (!vuart_lock_console_side(u, "input dropped"))
		return false;
	if (u->rx_count < VUART_RX_MAX) {
		vuart_rx_push(u, c);
		queued = true;
	}
	spin_unlock(&u->lock);
	return queued;
}

/* UARTDR read: the oldest byte, or 0 when empty (error bits [11:8] always 0). */
static uint32_t dr_read(struct vuart *u)
{
	uint8_t c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VUART_RX_MAX;
	u->rx_count--;
	/* Below the one-byte trigger and nothing left to time out on. */
	if (!u->rx_count)
		u->ris &= ~(UARTRIS_RXRIS | UARTRIS_RTRIS);
	return c;
}

static uint32_t fr_read(const struct vuart *u)
{
	/* Empty unless a line is held: then busy, and full once VUART_TX_FIFO bytes wait too. */
	uint32_t fr = u->held ? UARTFR_BUSY : UARTFR_TXFE;

	if (u->held && u->txq_len == VUART_TX_FIFO)
		fr |= UARTFR_TXFF;

	if (!u->rx_count)
		fr |= UARTFR_RXFE;
	if (u->rx_count == VUART_RX_MAX)
		fr |= UARTFR_RXFF;
	return fr;
}

/* Under the lock: vuart_irq_begin()'s answer. */
static bool irq_moved(struct vuart *u, bool *level)
{
	*level = (u->ris & u->imsc) != 0;
	if (*level == u->line_told)
		return false;
	u->line_told = *level;
	return true;
}

bool vuart_irq_begin(struct vuart *u, bool *level)
{
	spin_lock(&u->lock);
	return irq_moved(u, level);
}

int vuart_irq_begin_outside(struct vuart *u, bool *level)
{
	if (!vuart_lock_console_side(u, "input not raised in its vGIC"))
		return -1;
	return irq_moved(u, level);
}

void vuart_irq_end(struct vuart *u)
{
	spin_unlock(&u->lock);
}

__cold void vuart_irq_forget(struct vuart *u)
{
	spin_lock(&u->lock);
	u->line_told = false;
	spin_unlock(&u->lock);
}

__cold void vuart_dump(struct vuart *u)
{
	struct vuart s;

	/* Asked for by the user: said each time, and the once-told give-up left to the others. */
	if (!spin_lock_unless_lost(&u->lock)) {
		log_info("irqs: %sconsole: not shown: the cell lost a CPU at EL2, which may hold "
			 "its virtual UART's lock",
			 u->prefix);
		return;
	}
	s = *u; /* printed outside the lock: the console may call back in */
	spin_unlock(&u->lock);
	log_info("irqs: %sconsole: UARTCR 0x%x UARTIMSC 0x%x UARTRIS 0x%x UARTMIS 0x%x, %u of %u "
		 "received bytes unread",
		 s.prefix, s.cr, s.imsc, s.ris, s.ris & s.imsc, s.rx_count, VUART_RX_MAX);
	log_info("irqs: %sconsole: transmit %s, %u of %u FIFO bytes behind it, %u dropped (TXFF); "
		 "%u line(s) not shown at stops and restarts since boot (console busy)",
		 s.prefix, s.held ? "waits for the console" : "idle", s.txq_len, VUART_TX_FIFO,
		 s.tx_dropped, s.flush_dropped);
}

/* --- register file ---------------------------------------------------------- */

/* Every register but UARTDR; caller holds the lock. Unknown offsets read as zero. */
static uint32_t reg_read(struct vuart *u, unsigned int off)
{
	if (off >= UARTPERIPHID0)
		return vuart_id[array_index_nospec((off - UARTPERIPHID0) / 4, sizeof(vuart_id))];
	switch (off) {
	case UARTFR:
		return fr_read(u);
	case UARTIBRD:
		return u->ibrd;
	case UARTFBRD:
		return u->fbrd;
	case UARTLCR_H:
		return u->lcr_h;
	case UARTCR:
		return u->cr;
	case UARTIFLS:
		return u->ifls;
	case UARTIMSC:
		return u->imsc;
	case UARTRIS:
		return u->ris;
	case UARTMIS:
		return u->ris & u->imsc;
	case UARTDMACR:
		return u->dmacr;
	default: /* UARTRSR (no receive errors), UARTILPR (no IrDA), UARTICR (write-only) */
		return 0;
	}
}

/* Every register but UARTDR; caller holds the lock. Read-only and unknown: ignored. */
static void reg_write(struct vuart *u, unsigned int off, uint32_t val)
{
	switch (off) {
	case UARTIBRD:
		u->ibrd = val & UARTIBRD_MASK;
		break;
	case UARTFBRD:
		u->fbrd = val & UARTFBRD_MASK;
		break;
	case UARTLCR_H:
		u->lcr_h = val & UARTLCR_H_MASK;
		break;
	case UARTCR:
		u->cr = val & UARTCR_MASK;
		break;
	case UARTIFLS:
		u->ifls = val & UARTIFLS_MASK;
		break;
	case UARTIMSC:
		u->imsc = val & UART_INT_MASK;
		break;
	case UARTICR:
		u->ris &= ~(val & UART_INT_MASK);
		break;
	case UARTDMACR:
		u->dmacr = val & UARTDMACR_MASK;
		break;
	default: /* UARTRSR/ECR: no errors to clear; UARTILPR: no IrDA; FR, RIS, MIS, IDs */
		break;
	}
}

/*
 * The PL011 is an APB slave without byte lanes: an access of 1, 2 or 4 bytes
 * at a register's offset reaches the whole register (a narrow read returns
 * its low bits, a narrow write zero-extends). 64-bit accesses and offsets
 * inside a register have no meaning on the real bus: refused, so the guest
 * gets an abort instead of a silently wrong value.
 */
static bool access_ok(uint64_t offset, unsigned int size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	return offset < VUART_FRAME_END && offset % 4 == 0;
}

/*
 * A driver polling UARTFR for room offers the held line again itself (off the
 * hot path). The line going out raises TXRIS: the caller looks at the level.
 */
static int __cold __attribute__((noinline)) fr_polled(struct vuart *u)
{
	console_tx_poke(); /* a guest waiting for TXFF to clear moves the queue itself */
	vuart_push(u);
	return VUART_LINE_MOVED;
}

int vuart_access(struct vuart *u, uint64_t offset, struct mmio_access *acc)
{
	unsigned int off = (unsigned int)offset;
	uint32_t val;
	bool held, moved;

	if (!access_ok(offset, acc->size))
		return -EINVAL;
	val = (uint32_t)(acc->value & mmio_size_mask(acc->size));
	if (acc->write && off == UARTDR)
		return vuart_tx_write(u, (uint8_t)val);
	spin_lock(&u->lock);
	if (acc->write)
		reg_write(u, off, val);
	else if (off == UARTDR)
		acc->value = dr_read(u) & mmio_size_mask(acc->size);
	else
		acc->value = reg_read(u, off) & mmio_size_mask(acc->size);
	held = u->held;
	moved = vuart_line_moved(u);
	spin_unlock(&u->lock);
	if (held && !acc->write && off == UARTFR)
		return fr_polled(u);
	return moved ? VUART_LINE_MOVED : 0;
}
