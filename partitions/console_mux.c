// SPDX-License-Identifier: GPL-2.0-only
/*
 * Keyboard input on the hypervisor's console goes to one place at a time:
 * a cell's virtual console or the hypervisor shell. The escape character
 * Ctrl-] (0x1d), followed by one key, switches:
 *   0-9   the cell with that index       n   the next cell
 *   h     the hypervisor shell           ?   this help
 *   Ctrl-] a literal Ctrl-] to the current target
 * (Ctrl-A is QEMU's own escape under -nographic, so it is not used here.)
 * No cell can send Ctrl-] to the terminal for it to type back, even with
 * the keyboard, nor change how the terminal sends it (caret_escape_live()).
 * A terminal that something else left in such a mode sends Ctrl-] as an
 * escape sequence: that is taken for Ctrl-] too (console_mux_input()).
 */
#include <stdbool.h>
#include "arch/cpu.h"
#include "cell.h"
#include "console.h"
#include "hyp_timer.h"
#include "log.h"
#include "manage.h"
#include "uart.h"
#include "vgic_hw.h"

#define FOCUS_SHELL	 (-1)
#define CONSOLE_RX_BURST 64 /* a PL011 FIFO is 32 deep */

static int focus = FOCUS_SHELL;
/*
 * Keys for a stopped cell are dropped, and that is said once per stop: here
 * the cell's boot count at the stop it was said for, plus one (0: never).
 * Not a flag cleared by the next key it takes: a cell started and stopped
 * again by someone else while nobody typed is a new stop, told again.
 */
static uint64_t drops_told[LAYOUT_MAX_CELLS];
static bool escaped;

static bool cell_stopped(const struct cell *cell)
{
	return __atomic_load_n(&cell->state, __ATOMIC_ACQUIRE) == CELL_STOPPED;
}

/* A CPU it runs on parked after a fault at EL2 (cell_lost.c): stopped for good, no start. */
static bool cell_failed(const struct cell *cell)
{
	return __atomic_load_n(&cell->lost, __ATOMIC_ACQUIRE) != 0;
}

static void announce(void)
{
	struct cell *cell;

	if (focus == FOCUS_SHELL) {
		log_info("console: input goes to the hypervisor shell (Ctrl-] ? for help)");
		shell_prompt();
		return;
	}
	cell = cell_get((unsigned int)focus);
	log_info("console: input goes to cell %s%s (Ctrl-] ? for help)", cell->cfg->label,
		 cell_failed(cell)    ? ", which failed"
		 : cell_stopped(cell) ? ", which is stopped"
				      : "");
}

/* Why cell @id cannot have the keyboard, or NULL if it can. */
static const char *unfocusable(unsigned int id)
{
	struct cell *c = cell_get(id);

	if (!c)
		return "no such cell";
	if (c->refused)
		return "refused at boot (a CPU or PCI function it names; the boot log says why)";
	return c->cfg->console == LAYOUT_CONSOLE_VIRTUAL ? NULL
							 : "console = \"none\" in the layout";
}

/*
 * The cell @id's console shows its unfinished line (prompt, echo) while it
 * has the keyboard, once the user typed into it or switched to it; until
 * then, at boot, its lines are printed whole like every other cell's.
 */
static void set_live(int id, bool live)
{
	if (id != FOCUS_SHELL)
		vuart_set_live(&cell_get((unsigned int)id)->vuart, live);
}

static void focus_on(int target)
{
	/*
	 * The shell's unfinished line (prompt, a command typed but not entered)
	 * is ended here, not shown again under the next lines: keys go to the
	 * cell now. shell_prompt() shows it again when the shell has them back.
	 */
	if (focus == FOCUS_SHELL && target != FOCUS_SHELL)
		console_write_raw("\r\n");
	set_live(focus, false);
	focus = target;
	announce();
	set_live(focus, true);
}

static void focus_next(void)
{
	unsigned int n = cells_count(), i;

	for (i = 1; i <= n; i++) {
		unsigned int id = (unsigned int)(focus + (int)i) % n;

		if (!unfocusable(id)) {
			focus_on((int)id);
			return;
		}
	}
	focus_on(FOCUS_SHELL);
}

static void help(void)
{
	log_info("console: Ctrl-] then: 0-9 cell by index, n next cell, h hypervisor shell, "
		 "? help, Ctrl-] a literal Ctrl-]");
}

/* A failed cell takes no start: the shell would refuse the one suggested. */
static void tell_dropped(const struct cell *cell)
{
	if (cell_failed(cell))
		log_info("console: cell %s failed: keys dropped (a CPU it runs on parked after a "
			 "hypervisor fault; it is stopped until the system restarts)",
			 cell->cfg->label);
	else
		log_info("console: cell %s is stopped: keys dropped until it starts "
			 "(Ctrl-] h, then start %s)",
			 cell->cfg->label, cell->cfg->label);
}

static void deliver(char c)
{
	struct cell *cell;

	if (focus == FOCUS_SHELL) {
		shell_input(c);
		return;
	}
	set_live(focus, true); /* from the first key on, show what it echoes at once */
	cell = cell_get((unsigned int)focus);
	/*
	 * A stopped cell reads nothing, and its next boot starts with an empty
	 * receive FIFO (vuart_reset()): its keys would be dropped then, unsaid.
	 */
	if (cell_stopped(cell)) {
		/* Read after the state: a start counts its boot before it runs (go_running()). */
		uint64_t stop = __atomic_load_n(&cell->boots, __ATOMIC_RELAXED) + 1;

		if (drops_told[focus] != stop)
			tell_dropped(cell);
		drops_told[focus] = stop;
		return;
	}
	if (!vuart_receive(&cell->vuart, (uint8_t)c))
		return;		   /* its receive FIFO is full: dropped, as a real UART would */
	vgic_hw_vuart_input(cell); /* its interrupt raised, its target vCPU kicked */
}

static void escape_key(char c)
{
	escaped = false;
	if (c >= '0' && c <= '9' && !unfocusable((unsigned int)(c - '0')))
		focus_on(c - '0');
	else if (c >= '0' && c <= '9')
		log_info("console: cell %c: %s; input stays where it was", c,
			 unfocusable((unsigned int)(c - '0')));
	else if (c == 'n')
		focus_next();
	else if (c == 'h')
		focus_on(FOCUS_SHELL);
	else if (c == CONSOLE_ESCAPE)
		deliver(c);
	else
		help();
}

/*
 * The console sent bytes (its transmit interrupt, on this CPU): cells whose
 * line waited for room offer it again, and their UARTs' interrupt lines
 * follow (TXRIS rises when the FIFO has room).
 */
void console_mux_tx_room(void)
{
	struct cell *cell;
	unsigned int i;

	for (i = 0; i < cells_count(); i++) {
		cell = cell_get(i);
		if (cell->cfg->console == LAYOUT_CONSOLE_VIRTUAL && vuart_push(&cell->vuart))
			vgic_hw_vuart_input(cell);
	}
}

static uint32_t console_baud; /* stdout-path's rate, 0 if it does not say */

void console_mux_init(uint32_t baud)
{
	unsigned int i;

	console_baud = baud;
	for (i = 0; i < cells_count(); i++) {
		if (!unfocusable(i)) {
			focus = (int)i;
			break;
		}
	}
	announce();
}

/* One key: the escape, the key after it, or one for the focus. */
static void console_mux_key(char c)
{
	if (escaped)
		escape_key(c);
	else if (c == CONSOLE_ESCAPE)
		escaped = true;
	else
		deliver(c);
}

/*
 * Ctrl-] as a terminal sends it in a mode that encodes modified keys:
 * ESC [ 93 ; 5 u (kitty's keyboard protocol, and xterm's modifyOtherKeys
 * with formatOtherKeys 1; kitty may add the event, :1 press, :2 repeat,
 * :3 release, the lock modifiers, alternate keys and text) and
 * ESC [ 27 ; 5 ; 93 ~ (xterm's modifyOtherKeys 2). A cell cannot put the
 * terminal in such a mode (lib/caret.c), but a program run in it before
 * may have left it there, and the operator would have no way out. Its
 * bytes are held while they may still be one, then taken for Ctrl-] or
 * given on as keys, in order. A terminal's report cannot type one for a
 * cell: the text a cell has it report back (a title) cannot hold ESC, which
 * ends the string that sets it (xterm's titles in hex are refused, too).
 */
#define KEY_ESC	   0x1b
#define KEYSEQ_MAX 32
#define KEY_FIELDS 3 /* of "a:b:c;d:e:f;g:h:i", as many as the longest form has */
#define MOD_CTRL   4u
/* Shift, Alt, Super, Hyper, Meta: with one, another key. Caps Lock (64), Num Lock (128): not. */
#define MOD_OTHERS (1u | 2u | 8u | 16u | 32u)

enum keyseq_is { KEYSEQ_KEYS, KEYSEQ_ESCAPE, KEYSEQ_RELEASE };

static char keyseq[KEYSEQ_MAX];
static unsigned int keyseq_len;
/* When an ESC held alone becomes the Escape key (a counter value); 0: not timed yet. */
static uint64_t lone_esc_due;

/* The numbers of @len bytes of digits, ';' and ':' into @v (-1: none); false if more fields. */
static bool keyseq_numbers(const char *p, unsigned int len, int v[KEY_FIELDS][KEY_FIELDS])
{
	unsigned int f = 0, sub = 0, i;

	for (i = 0; i < KEY_FIELDS * KEY_FIELDS; i++)
		v[i / KEY_FIELDS][i % KEY_FIELDS] = -1;
	for (i = 0; i < len; i++) {
		if (p[i] == ';' || p[i] == ':') {
			sub = p[i] == ';' ? 0 : sub + 1;
			f += p[i] == ';';
			if (f == KEY_FIELDS || sub == KEY_FIELDS)
				return false;
			continue;
		}
		if (v[f][sub] < 0)
			v[f][sub] = 0;
		if (v[f][sub] < 100000) /* more stays more: never wraps to 93 */
			v[f][sub] = v[f][sub] * 10 + (p[i] - '0');
	}
	return true;
}

/* A modifiers field (1 + the modifier bits) that says Ctrl and no other modifier. */
static bool keyseq_ctrl_only(int mods)
{
	unsigned int bits = (unsigned int)mods - 1;

	return mods >= 1 && mods <= 256 && (bits & MOD_CTRL) && !(bits & MOD_OTHERS);
}

/* The whole sequence held, ESC [ to its final byte: Ctrl-] pressed, released, or other keys. */
static enum keyseq_is keyseq_judge(void)
{
	int v[KEY_FIELDS][KEY_FIELDS];
	char final = keyseq[keyseq_len - 1];

	if (!keyseq_numbers(keyseq + 2, keyseq_len - 3, v) || !keyseq_ctrl_only(v[1][0]))
		return KEYSEQ_KEYS;
	if (final == '~') /* 27 ; mods ; 93, nothing more */
		return v[0][0] == 27 && v[0][1] < 0 && v[1][1] < 0 && v[2][0] == 93 && v[2][1] < 0
			       ? KEYSEQ_ESCAPE
			       : KEYSEQ_KEYS;
	if (v[0][0] != 93) /* 93[:shifted[:base]] ; mods[:event] [; text] */
		return KEYSEQ_KEYS;
	if (v[1][1] < 0 || v[1][1] == 1 || v[1][1] == 2)
		return KEYSEQ_ESCAPE;
	return v[1][1] == 3 ? KEYSEQ_RELEASE : KEYSEQ_KEYS;
}

/* Whether @c goes on the bytes held (none: @c would begin them). */
static bool keyseq_goes_on(char c)
{
	if (!keyseq_len)
		return c == KEY_ESC;
	if (keyseq_len == 1)
		return c == '[';
	if (keyseq_len == KEYSEQ_MAX)
		return false;
	return (c >= '0' && c <= '9') || c == ';' || c == ':' || c == 'u' || c == '~';
}

/* The bytes held were keys after all: given on, in order. */
static void keyseq_release(void)
{
	unsigned int i, n = keyseq_len;

	keyseq_len = 0;
	for (i = 0; i < n; i++)
		console_mux_key(keyseq[i]);
}

/* One byte from the keyboard: held, taken for Ctrl-], or keys. */
static void console_mux_input(char c)
{
	enum keyseq_is is;

	if (!keyseq_goes_on(c)) {
		keyseq_release();
		if (!keyseq_goes_on(c)) {
			console_mux_key(c);
			return;
		}
	}
	if (!keyseq_len)
		lone_esc_due = 0; /* a new ESC: its own time, from when the FIFO reads empty */
	keyseq[keyseq_len++] = c;
	if (c != 'u' && c != '~')
		return;
	is = keyseq_judge();
	if (is == KEYSEQ_KEYS) {
		keyseq_release();
		return;
	}
	keyseq_len = 0;
	if (is == KEYSEQ_ESCAPE)
		console_mux_key(CONSOLE_ESCAPE);
	/* A release of Ctrl-] is no key: dropped, or it would be the key after the escape. */
}

/*
 * How long an ESC that came alone is held for the rest of an encoded Ctrl-]
 * before it is the Escape key: 4 character times at the console's rate (10
 * bits each, 8N1), or 2 ms if stdout-path does not give the rate. A terminal
 * writes a sequence's bytes in one go, so the byte after the ESC is on the
 * wire one character time after it; but a UART that interrupts from its
 * first byte (a 16550 at the receive trigger U-Boot leaves, the Cadence UART)
 * hands the ESC over alone. The other three are slack for a transmitter that
 * pauses between bytes. 2 ms is 4 characters down to 19 200 baud, and 2 at
 * 9600. Either is far below what a person notices or an editor itself waits
 * for the rest of a sequence after ESC (Vim's ttimeoutlen, 100 ms).
 */
#define LONE_ESC_BITS	    (4 * 10)
#define LONE_ESC_UNKNOWN_MS 2

static uint64_t lone_esc_hold(void)
{
	if (!console_baud)
		return arch_ms_to_ticks(LONE_ESC_UNKNOWN_MS);
	return (arch_counter_freq() * LONE_ESC_BITS + console_baud - 1) / console_baud;
}

/*
 * After a burst from the UART's FIFO. An ESC held alone is timed from the
 * first, on this CPU's EL2 timer (hyp_timer.c, shared with its cell's
 * watchdog: no tick of its own, and nothing on a trap's path), and given on
 * as the Escape key once its time is up with no byte after it. A longer start
 * (ESC [ 9) waits for the rest, across interrupts: a terminal's sequence is
 * on its way, and Alt-[ waits for the next key.
 */
static void lone_esc_check(void)
{
	uint64_t hold;

	if (keyseq_len != 1) {
		if (lone_esc_due)
			hyp_timer_stop(HYP_TIMER_CONSOLE);
		lone_esc_due = 0;
		return;
	}
	if (!lone_esc_due) {
		hold = lone_esc_hold();
		lone_esc_due = arch_counter_read() + hold;
		hyp_timer_arm(HYP_TIMER_CONSOLE, hold);
		return;
	}
	if (arch_counter_read() < lone_esc_due)
		return;
	lone_esc_due = 0;
	hyp_timer_stop(HYP_TIMER_CONSOLE);
	keyseq_release();
}

/* At most a burst from the UART's receive FIFO. */
static void console_mux_drain(void)
{
	unsigned int n;
	int c;

	uart_ack_rx_irq();
	for (n = 0; n < CONSOLE_RX_BURST && (c = uart_getc()) >= 0; n++)
		console_mux_input((char)c);
}

/*
 * The console UART's receive interrupt. Acknowledged before the FIFO is read,
 * never after: a byte landing between the last read and a late acknowledge
 * would have its interrupt cleared while it waits, and a UART that signals
 * only the FIFO's empty-to-one step (QEMU's PL011) would never raise it
 * again. A burst cut at CONSOLE_RX_BURST leaves the rest in the FIFO and its
 * level-triggered line high, so it comes with the next interrupt; but a FIFO
 * that held exactly a burst is empty now, its line low, so a lone ESC is
 * timed after any burst (until 2026-11-25, only after one that read empty:
 * an ESC that was a full burst's last byte waited for the next key). A full
 * burst that leaves an ESC alone ends with it, so lone_esc_check() only times
 * it, from now, and the timer's drain reads what follows first.
 */
void console_mux_rx(void)
{
	console_mux_drain();
	lone_esc_check();
}

/*
 * A lone ESC's time is up (hyp_timer.c, on the CPU that took it). The FIFO
 * first: its next byte may wait there behind this interrupt (the timer's
 * INTID is below the UART's, and wins while this CPU had its interrupts
 * masked). A dead UART is not touched (console_uart_dead()).
 */
void console_mux_timer(void)
{
	if (!console_uart_dead())
		console_mux_drain();
	lone_esc_check();
}
