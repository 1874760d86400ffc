/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_CONSOLE_H
#define BULKHEAD_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include "platform.h"

/*
 * The hypervisor's console: one physical UART shared by the hypervisor's log
 * and every cell's virtual console, one whole line at a time. Lines written
 * before console_init() are kept and printed by it.
 *
 * Output is queued and sent as the UART takes it (lib/console_tx.c). A cell
 * writes with its share: the bytes it has queued and not yet sent. A cell
 * with CONSOLE_SHARE of them, or too many runs of them, is refused (the call
 * returns false and queues nothing) until its bytes leave; the hypervisor
 * (share NULL) never is.
 */
struct console_share {
	unsigned int queued, runs; /* bytes and runs in the queue, under the console's lock */
	/*
	 * The queue those counts belong to (lib/console_tx.c): a queue abandoned
	 * after a fault inside it begins a new one, and a share of an older one
	 * counts nothing in it. Zero-initialised like the counts.
	 */
	unsigned int queue;
};

#define CONSOLE_SHARE 512

void console_init(const struct platform_uart *uart);
bool console_ready(void);
/* Text as is, no prefix or newline (the shell's echo and prompt). */
void console_write_raw(const char *text);
/*
 * Queue "<prefix><text>\r\n" without interleaving with other CPUs. If it
 * finishes the open line of the same @prefix, only the rest is written.
 * False when @share is over its limit: nothing was queued.
 */
bool console_write_line(struct console_share *share, const char *prefix, const char *text);
/*
 * The open line: a line not yet finished (a prompt, a command being typed),
 * shown as it grows. @text (@len bytes) is all of it so far; what the
 * console already shows of it is not written again. A whole line from
 * anyone else ends it with "\r\n", prints, and shows it again below, so
 * the prompt stays last. At most CONSOLE_OPEN_MAX bytes are kept.
 */
#define CONSOLE_OPEN_MAX 160
bool console_write_partial(struct console_share *share, const char *prefix, const char *text,
			   size_t len);
/* Stop showing @prefix's open line as it grows (ends it with "\r\n" if shown). */
void console_end_partial(const char *prefix);
/*
 * From now on nobody waits for the UART: what its FIFO does not take is sent
 * by console_tx_irq(), from the UART's interrupt, which then calls @room
 * (without the console's lock) for refused writers to try again. @nudge
 * (without the lock, from any CPU) makes the UART's interrupt come soon (to
 * the CPU it is routed to, which must be the one calling this): after the
 * UART is given up, stuck or dead, refused writers are told so (their bytes
 * were dropped) though the UART never asks.
 */
void console_tx_async(void (*room)(void), void (*nudge)(void));
void console_tx_irq(void);
/* Its registers faulted (a report written straight to it): never to be touched again. */
bool console_uart_dead(void);
/* A count that moves whenever queued bytes leave: a refused writer's news of room. */
unsigned int console_sent(void);
/*
 * What the UART takes now, from the queue, unless another CPU holds the
 * console: for a writer waiting for room while the CPU that takes the
 * transmit interrupt has its interrupts masked (a reload, the shell waiting).
 */
void console_tx_poke(void);
/*
 * Every queued byte sent, waiting for the UART: for a CPU about to park. If
 * it is the one that takes the transmit interrupt, the console waits for the
 * UART from then on.
 */
void console_flush(void);
/*
 * This CPU reports a fault and parks (panic(), an unexpected exception at
 * EL2): its lines must get out though the fault may have come from inside
 * the console, with this CPU holding its lock, or another CPU may keep the
 * lock for good. From now on its lines go straight to the UART, past the
 * queue and the lock, if the lock is its own or not free within 1.5 s
 * (longer than the queue waits for a UART that holds the line);
 * console_flush() then lets go of a lock it held, whichever way its lines
 * went. Called again while it reports (a fault in the report), its lines go
 * straight to the UART; a third time, nowhere. Called while it writes
 * straight to the UART, the UART is given up: nothing touches it again.
 * Returns how many reports this CPU has begun, this one included (at most
 * 255): a caller whose reports keep faulting gives up (below).
 */
unsigned int console_panic_enter(void);
/*
 * What console_panic_enter() calls, once, if it comes before
 * console_init(): @rescue brings the console up (console_init()) on what the
 * boot knows so far, so the report and the lines before it are seen. Without
 * it they would wait in the early buffer for a console_init() that never
 * comes. Called from the fault's path: it must not wait for a lock.
 */
void console_set_rescue(void (*rescue)(void));
/*
 * For a CPU that faulted again and again while it reported: the console's
 * lock let go if it holds it, touching nothing that could fault (no share,
 * no UART); what it had queued is lost.
 */
void console_panic_give_up(void);
/*
 * @in into @out (@size bytes, NUL-terminated) with its control characters in
 * caret notation (ESC as ^[, BS as ^H, DEL as ^?, C1 as ^[ and its 7-bit
 * form, and so any byte 0x80-0x9f outside a well-formed UTF-8 character;
 * TAB kept): for the terminal to show, not act on. 3 * strlen(@in) + 1
 * bytes always suffice (a lone C1 byte is three characters); less truncates
 * at a whole character. Returns the
 * length written.
 */
size_t caret_escape(char *out, size_t size, const char *in);
/*
 * The console's input escape (partitions/console_mux.c): Ctrl-] then a key
 * switches the keyboard between the cells and the hypervisor shell.
 */
#define CONSOLE_ESCAPE 0x1d
/*
 * @len bytes of @in into @out (@size bytes, NUL-terminated), a line of the
 * cell with the keyboard, whose control characters are its terminal
 * session's: all but CONSOLE_ESCAPE (^]), C1 controls, and the escape
 * sequences that change how the terminal sends keys or make it type what a
 * cell chose (lib/caret.c lists them), whose ESC shows as ^[. A control
 * string (OSC, DCS, ...) goes out only with its end. @open: the line goes
 * on, and a sequence, control string or UTF-8 character its end cuts is left
 * out, for a longer view of it to show whole (each view's output begins with
 * the last one's); the end of a finished line shows such an ESC as ^[. 3 * @len
 * + 1 bytes always suffice (a lone C1 byte is three characters); less
 * truncates at a whole character or sequence. Returns the length written.
 */
size_t caret_escape_live(char *out, size_t size, const char *in, size_t len, bool open);

#endif
