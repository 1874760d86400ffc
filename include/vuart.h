/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_VUART_H
#define BULKHEAD_VUART_H

#include <stdbool.h>
#include <stdint.h>
#include "console.h"
#include "mmio.h"
#include "spinlock.h"

#define VUART_LINE_MAX	 160
#define VUART_PREFIX_MAX 24
#define VUART_RX_MAX	 64
#define VUART_TX_FIFO	 32
#define VUART_PUSH_TRIES 4 /* offers of a held line per vuart_push() */

/*
 * A cell's virtual console: an emulated PL011 (Arm DDI 0183) in a 4 KiB frame
 * (partitions/vuart.c). Output is assembled per line and printed whole on the
 * hypervisor console as "[label] text", so cells never interleave mid-line.
 *
 * What the guest sees: a PL011 r1 (UARTPeriphID 0x00141011, as QEMU's) whose
 * transmitter is as fast as the console takes its lines: while the console
 * has room for the cell (its share, lib/console_tx.c) every byte has left
 * when written (FR.TXFE=1, TXFF=0, BUSY=0; TXRIS raised). A finished line the
 * console refuses is held: then the FIFO is busy (BUSY=1, TXRIS low), takes
 * VUART_TX_FIFO more bytes and is full (TXFF=1; later bytes are dropped and
 * counted), until vuart_push() gets the line out. A receive FIFO of
 * VUART_RX_MAX bytes is fed by vuart_receive(); no modem lines. 8/16/32-bit accesses at a
 * register's offset are accepted (Linux's amba-pl011 uses 16-bit ones, its earlycon 8-bit writes to
 * UARTDR); 64-bit or misaligned ones are refused.
 *
 * Every function may be called from any CPU: the vCPUs of the cell trap into
 * vuart_access() while the console mux calls vuart_receive(). No vuart lock is
 * held while console_write_line() runs, so the console may call back in.
 */
struct vuart {
	struct spinlock lock; /* zero is unlocked: storage must start zeroed */
	/*
	 * Its cell's lost CPUs (struct cell's lost), or NULL: the console's side
	 * (vuart_receive(), vuart_push(), vuart_set_live(), on the console's
	 * CPU) and a stop's vuart_flush() give up on the lock its lost holder
	 * marked (spin_lock_unless_lost()), and the flush on a push's claim one
	 * CPU keeps through a bound once the cell lost one, said once
	 * (lost_told). vuart_dump() says so each time it is asked.
	 */
	const uint32_t *lost;
	bool lost_told;
	char prefix[VUART_PREFIX_MAX]; /* "[label] " */
	char line[VUART_LINE_MAX];
	unsigned int line_len;
	bool live; /* it has the console's input: show the unfinished line too */
	/* A finished line the console refused, and what the guest wrote behind it. */
	struct console_share share;
	bool held, pushing, refused;
	unsigned int refused_at; /* console_sent() when the console last refused it */
	unsigned int held_seq;	 /* bumped by each held line */
	char held_line[VUART_LINE_MAX];
	uint8_t txq[VUART_TX_FIFO];
	unsigned int txq_len, tx_dropped;
	bool drop_told;
	unsigned int flush_dropped; /* lines vuart_flush() could not print; kept by vuart_reset() */
	unsigned int live_changes;  /* bumped by each vuart_set_live() that changes live */
	/* PL011 registers a driver programs and reads back */
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr;
	/* The interrupt line's level the vGIC was last given (vuart_irq_begin()). */
	bool line_told;
	/* Keyboard input routed to this cell (console mux), oldest first. */
	uint8_t rx[VUART_RX_MAX];
	unsigned int rx_head, rx_count;
};

/* Power-on state (cell create and restart): registers, empty FIFO and line. */
void vuart_reset(struct vuart *u, const char *label);
/*
 * @offset from the frame base (0x09000000 in the guest): 0, VUART_LINE_MOVED
 * when the interrupt line may no longer be at the level the vGIC has (the
 * caller passes it on: vgic_hw_vuart_update()), or -EINVAL (guest gets an
 * abort). Most accesses leave the line where it was (a UARTFR poll, a byte
 * out while the FIFO has room): those cost the vGIC nothing.
 */
#define VUART_LINE_MOVED 1
int vuart_access(struct vuart *u, uint64_t offset, struct mmio_access *acc);
/*
 * The cell is stopping: print what waits, a held line and a partial one,
 * charged to the cell's share like its other lines. A line the share has no
 * room for is dropped and counted, never waited for; the drops are told
 * unless @quiet (a restart storm's boot, cell_boot_quiet()).
 */
void vuart_flush(struct vuart *u, bool quiet);
/*
 * Offer the held line to the console again, and what the guest wrote behind
 * it, until the console refuses or nothing waits. True when a held line went
 * out: the FIFO has room again and the UART's interrupt may have risen.
 */
bool vuart_push(struct vuart *u);
/*
 * The console mux gave this cell the keyboard (@live) or took it away. A live
 * console also shows its unfinished line as it grows (console_write_partial):
 * the prompt, and the echo of what the user types, before the newline.
 */
void vuart_set_live(struct vuart *u, bool live);
/* Queue one input byte; false when the FIFO is full (byte dropped). */
bool vuart_receive(struct vuart *u, uint8_t c);
/*
 * The UART's interrupt line (UARTMIS != 0) for the vGIC, with the UART
 * locked until vuart_irq_end(): true, the level in *@level, when it is not
 * at the level last given from here, and the caller then passes it on (the
 * vGIC's line) before anyone samples it again, so levels reach the line in
 * the order the UART had them; false when the vGIC has it already. It can
 * change on every vuart_access(), vuart_receive() and vuart_push(): sample
 * it after them.
 */
bool vuart_irq_begin(struct vuart *u, bool *level);
/*
 * vuart_irq_begin() on a CPU outside the cell (the console's input,
 * vgic_hw_vuart_input()), which must not be lost with it: -1, the UART not
 * locked, if a CPU lost at EL2 holds its lock (spin_lock_unless_lost(), said
 * once); else 1 or 0 for vuart_irq_begin()'s true or false, locked until
 * vuart_irq_end().
 */
int vuart_irq_begin_outside(struct vuart *u, bool *level);
void vuart_irq_end(struct vuart *u);
/* The vGIC's line was reset, low, with the cell's model (vgic_hw_cell_init()). */
void vuart_irq_forget(struct vuart *u);
/* Log the interrupt-related registers and the receive FIFO's fill (shell `irqs`). */
void vuart_dump(struct vuart *u);

#endif
