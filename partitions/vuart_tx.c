// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's virtual PL011, its transmitter: bytes the guest writes to UARTDR
 * are gathered into lines, each printed whole, "[label] text", on the
 * hypervisor console. A line the console refuses (the cell's share of it is
 * full: lib/console_tx.c) is held, and the FIFO fills behind it, until
 * vuart_push() gets it out (include/vuart.h says what the guest sees).
 */
#include <string.h>
#include "console.h"
#include "log.h"
#include "vuart.h"
#include "vuart_priv.h"
#include "compiler.h"

/* --- transmit: bytes into lines ------------------------------------------- */

/*
 * A whole line to the console. The cell with the keyboard (@live) is the
 * operator's terminal session: its bytes go as they are, as its unfinished
 * line already went (escapes for line editing, a prompt asking where the
 * cursor is, answered to it alone), but for Ctrl-], shown as ^], and the
 * sequences that would change how the terminal sends it (lib/caret.c says
 * which and why). Any other line shows all its control characters instead: a
 * cell the operator is not typing to cannot move the cursor over its prefix
 * or make the terminal type for it. False when the console refused it
 * (@share full).
 */
static bool line_print(struct vuart *u, const char *line, bool live, struct console_share *share)
{
	char shown[3 * VUART_LINE_MAX]; /* a lone C1 byte shows as three */

	if (live)
		caret_escape_live(shown, sizeof(shown), line, strlen(line), false);
	else
		caret_escape(shown, sizeof(shown), line);
	return console_write_line(share, u->prefix, shown);
}

/*
 * The live cell's unfinished line, @len bytes of @part, shown as line_print()
 * shows it, but for a sequence its end cuts: held back until the bytes that
 * finish it say whether it may reach the terminal (ESC [ > 1 u may not).
 */
static bool partial_print(struct vuart *u, const char *part, unsigned int len)
{
	char shown[3 * VUART_LINE_MAX]; /* a lone C1 byte shows as three */
	size_t n = caret_escape_live(shown, sizeof(shown), part, len, true);

	return console_write_partial(&u->share, u->prefix, shown, n);
}

void vuart_set_live(struct vuart *u, bool live)
{
	char part[VUART_LINE_MAX];
	unsigned int len;

	if (!vuart_lock_console_side(u, "its line not shown live"))
		return;
	if (u->live == live) {
		spin_unlock(&u->lock);
		return;
	}
	u->live = live;
	__atomic_add_fetch(&u->live_changes, 1, __ATOMIC_RELEASE);
	len = u->line_len;
	memcpy(part, u->line, len);
	spin_unlock(&u->lock);
	if (!live)
		console_end_partial(u->prefix);
	else if (len)
		partial_print(u, part, len);
}

/* Move the pending line to @out (VUART_LINE_MAX bytes) as a string. */
static void line_take(struct vuart *u, char *out)
{
	memcpy(out, u->line, u->line_len);
	out[u->line_len] = '\0';
	u->line_len = 0;
}

/*
 * Add @c to the line; true when a whole line went to @out for printing.
 * '\r' is dropped (the console adds "\r\n"), and so is NUL, which would end
 * the string early; terminal escapes are line_print()'s to judge.
 */
static bool line_put(struct vuart *u, uint8_t c, char *out)
{
	bool done = false;

	if (c == '\r' || c == '\0')
		return false;
	if (c == '\n') {
		line_take(u, out);
		return true;
	}
	/* Full: print it as is and start the next with @c (one line, not two, at '\n'). */
	if (u->line_len == VUART_LINE_MAX - 1) {
		line_take(u, out);
		done = true;
	}
	u->line[u->line_len++] = (char)c;
	return done;
}

/* Under the lock: @c into the line, or behind the held one; true when a line is held. */
static bool tx_take(struct vuart *u, uint8_t c)
{
	if (u->held) {
		if (u->txq_len < VUART_TX_FIFO)
			u->txq[u->txq_len++] = c;
		else
			u->tx_dropped++; /* written with FR.TXFF set */
		return true;
	}
	if (line_put(u, c, u->held_line)) {
		u->held = true;
		u->held_seq++;
	}
	return u->held;
}

/* Under the lock: the bytes behind the line that went out, up to the next line. */
static void txq_replay(struct vuart *u)
{
	unsigned int i = 0;

	while (i < u->txq_len && !u->held)
		tx_take(u, u->txq[i++]);
	memmove(u->txq, u->txq + i, u->txq_len - i);
	u->txq_len -= i;
}

/* Under the lock: the held line went out; the bytes behind it move on. */
static void held_sent(struct vuart *u)
{
	u->held = false;
	u->refused = false;
	txq_replay(u);
}

/* Under the lock: as TRM says of the FIFO's level, with a held line as a busy transmitter. */
static void tx_level(struct vuart *u)
{
	if (u->held)
		u->ris &= ~UARTRIS_TXRIS;
	else
		u->ris |= UARTRIS_TXRIS;
}

static void __cold tell_drops(struct vuart *u, unsigned int dropped)
{
	log_warn("%sconsole: the guest wrote %u byte(s) while its UART said UARTFR.TXFF (the "
		 "hypervisor console is busy): dropped; later drops are only counted (shell: irqs)",
		 u->prefix, dropped);
}

/*
 * Under the lock: one CPU at a time offers the held line (the cell's vCPUs,
 * and the boot CPU when the console has room), or two would print it twice.
 */
static bool push_claim(struct vuart *u)
{
	if (__atomic_load_n(&u->pushing, __ATOMIC_RELAXED))
		return false;
	__atomic_store_n(&u->pushing, true, __ATOMIC_RELAXED);
	return true;
}

/*
 * The claim given back, with the lock or without: only its holder writes
 * false, and only under the lock is it taken again. Without, a pusher that
 * gave up on the lock left it set, and vuart_flush() waited for it for ever.
 */
static void push_release(struct vuart *u)
{
	__atomic_store_n(&u->pushing, false, __ATOMIC_RELEASE);
}

/*
 * Worth offering again: a line held and never refused, or bytes left the
 * console since its refusal. Otherwise a guest polling UARTFR would take the
 * console's lock on every read for nothing.
 */
static bool push_news(const struct vuart *u)
{
	if (!__atomic_load_n(&u->held, __ATOMIC_RELAXED))
		return false;
	return !__atomic_load_n(&u->refused, __ATOMIC_RELAXED) ||
	       console_sent() != __atomic_load_n(&u->refused_at, __ATOMIC_RELAXED);
}

/*
 * Under the lock: a refusal at @sent. Offered again at once, a few times, if
 * bytes left meanwhile: the boot CPU's news of them may have found this CPU
 * at it (push_claim()) and gone, and the next may not come. Bounded, so the
 * boot CPU never spins here while others keep the console busy.
 */
static bool push_refused(struct vuart *u, unsigned int sent, unsigned int *tries)
{
	u->refused = true;
	u->refused_at = sent;
	return console_sent() != sent && ++*tries < VUART_PUSH_TRIES;
}

bool vuart_push(struct vuart *u)
{
	char line[VUART_LINE_MAX];
	unsigned int seq, sent, tries = 0, told = 0;
	bool live, out = false;

	if (!push_news(u) || !vuart_lock_console_side(u, "its output held"))
		return false;
	if (!push_claim(u)) {
		spin_unlock(&u->lock);
		return false;
	}
	while (u->held) {
		memcpy(line, u->held_line, sizeof(line));
		seq = u->held_seq;
		live = u->live;
		sent = console_sent();
		spin_unlock(&u->lock);
		/* Printed or not, nothing more of it once the lock may be held for good. */
		if (!line_print(u, line, live, &u->share)) {
			if (!vuart_lock_console_side(u, "its output held"))
				goto given_up;
			if (push_refused(u, sent, &tries))
				continue;
			break;
		}
		out = true;
		if (!vuart_lock_console_side(u, "its output held"))
			goto given_up;
		if (u->held && u->held_seq == seq) /* not reset and refilled meanwhile */
			held_sent(u);
	}
	tx_level(u);
	if (out && u->tx_dropped && !u->drop_told) {
		u->drop_told = true;
		told = u->tx_dropped;
	}
	push_release(u);
	spin_unlock(&u->lock);
	if (told)
		tell_drops(u, told);
	return out;
given_up:
	push_release(u);
	return out;
}

/* What the live console shows of the line being written: copied under the lock. */
static void show_partial(struct vuart *u)
{
	char part[VUART_LINE_MAX];
	unsigned int part_len = 0, changes;

	spin_lock(&u->lock);
	changes = u->live_changes;
	if (u->live && !u->held) {
		part_len = u->line_len;
		memcpy(part, u->line, part_len);
	}
	spin_unlock(&u->lock);
	/*
	 * Printed outside the lock: a vCPU racing another of its cell may
	 * deliver an older view late; the console ignores one shorter than what
	 * it shows. One the console refuses is shown with the next byte.
	 */
	if (!part_len)
		return;
	partial_print(u, part, part_len);
	/*
	 * If the keyboard left meanwhile, vuart_set_live() may have ended the
	 * line before this reopened it: end it again, or the console would show
	 * it after every line while someone else has the keyboard.
	 */
	if (__atomic_load_n(&u->live_changes, __ATOMIC_ACQUIRE) != changes)
		console_end_partial(u->prefix);
}

int vuart_tx_write(struct vuart *u, uint8_t c)
{
	bool held, live, moved;

	spin_lock(&u->lock);
	held = tx_take(u, c);
	live = u->live;
	/*
	 * Loopback (CR.LBE) also feeds the receiver, as in QEMU: older Linux
	 * kernels send a dummy byte in loopback at startup and drain it.
	 */
	if ((u->cr & UARTCR_LBE) && u->rx_count < VUART_RX_MAX)
		vuart_rx_push(u, c);
	tx_level(u);
	moved = vuart_line_moved(u);
	spin_unlock(&u->lock);
	/* Outside the lock: the console may take its own lock or call vuart_receive(). */
	if (held) {
		vuart_push(u);
		moved = true; /* the line that went out raised TXRIS */
	}
	if (live)
		show_partial(u);
	return moved ? VUART_LINE_MOVED : 0;
}

/* Under the lock, pushes claimed: the next line that waits, into @out; false if none. */
static bool flush_take(struct vuart *u, char *out)
{
	if (u->held) {
		memcpy(out, u->held_line, VUART_LINE_MAX);
		held_sent(u);
		return true;
	}
	if (!u->line_len)
		return false;
	line_take(u, out);
	return true;
}

static void __cold tell_flush_drops(struct vuart *u, unsigned int lines)
{
	log_warn("%sconsole: %u line(s) it left at a stop or restart not shown: its share of the "
		 "console is full (it printed faster than the UART sends)",
		 u->prefix, lines);
}

/*
 * How many times a flush finds the pushes claimed once the cell lost a CPU,
 * before it gives up on the claim. A live pusher's claim is short: it lets
 * go well within these. A lost one never does.
 */
#define FLUSH_CLAIM_LOST_TRIES 10000u

/*
 * The lock with the pushes claimed, for a flush: false, neither held, if a
 * lost CPU holds the lock (its mark), or once the cell lost a CPU (u->lost)
 * and the claim is kept through the bound. A pusher lost between its claim
 * and its release (inside the console) never gives the claim back: waited
 * for without a bound, the cell's stop spun here for ever, its CPU's
 * interrupts masked.
 */
static bool flush_claim(struct vuart *u)
{
	unsigned int tries = 0;

	for (;;) {
		if (!spin_lock_unless_lost(&u->lock))
			return false;
		if (push_claim(u))
			return true;
		spin_unlock(&u->lock); /* another CPU's vuart_push(): a few tries at most */
		if (u->lost && __atomic_load_n(u->lost, __ATOMIC_ACQUIRE) &&
		    ++tries >= FLUSH_CLAIM_LOST_TRIES)
			return false;
		arch_cpu_relax();
	}
}

static void __cold tell_flush_lost(struct vuart *u)
{
	if (!__atomic_exchange_n(&u->lost_told, true, __ATOMIC_RELAXED))
		log_warn("%sconsole: its virtual UART's lock or output is held, and the cell lost "
			 "a CPU at EL2, which may hold it for good: the lines it left at its stop "
			 "not shown (further give-ups not logged)",
			 u->prefix);
}

/*
 * Charged to the cell's share, as its other lines are: forced out (share
 * NULL) a cell restarting in a loop queued a line per restart, counted in
 * nobody's share, until the ring was full and every other cell refused,
 * and each flush waited for the UART with the console locked.
 */
void vuart_flush(struct vuart *u, bool quiet)
{
	char out[VUART_LINE_MAX];
	unsigned int dropped = 0;
	bool live;

	if (!flush_claim(u)) {
		tell_flush_lost(u);
		return;
	}
	while (flush_take(u, out)) {
		live = u->live;
		spin_unlock(&u->lock);
		if (!line_print(u, out, live, &u->share))
			dropped++;
		if (!spin_lock_unless_lost(&u->lock)) {
			push_release(u);
			tell_flush_lost(u);
			return;
		}
	}
	tx_level(u);
	push_release(u);
	u->flush_dropped += dropped;
	spin_unlock(&u->lock);
	if (dropped && !quiet)
		tell_flush_drops(u, dropped);
}
