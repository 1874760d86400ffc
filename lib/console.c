// SPDX-License-Identifier: GPL-2.0-only
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "arch/cpu.h"
#include "compiler.h"
#include "console.h"
#include "console_tx.h"
#include "spinlock.h"
#include "uart.h"

/* Lines logged before the UART is known (discovery needs libfdt, which needs the MMU). */
static char early_buf[4096];
static size_t early_len;
static bool early_overflow;

static struct spinlock console_lock = SPINLOCK_INIT;
/* Who holds console_lock (NO_CPU: nobody): a CPU reporting a fault must know if it is itself. */
#define NO_CPU UINT_MAX
static unsigned int lock_cpu = NO_CPU;
static bool ready;
static void (*room_hook)(void);
static void (*nudge_hook)(void); /* makes irq_cpu take the console's interrupt */
static unsigned int irq_cpu;	 /* the CPU that takes the UART's interrupt */

static void early_append(const char *s)
{
	size_t n = strlen(s);

	if (early_len + n > sizeof(early_buf)) {
		early_overflow = true;
		return;
	}
	memcpy(early_buf + early_len, s, n);
	early_len += n;
}

/*
 * The open line (console_write_partial): whose it is (NULL: the cursor is at
 * the start of a line) and what the UART shows of it. Under console_lock.
 */
static const char *open_prefix;
static char open_text[CONSOLE_OPEN_MAX];
static size_t open_len;

/*
 * The shell's line (console_write_raw text not yet ended by a newline: its
 * prompt and what was typed): a line from elsewhere starts below it, and it
 * is shown again after that line. Under console_lock.
 */
static char raw_text[CONSOLE_OPEN_MAX];
static size_t raw_len;

static void raw_track(const char *text)
{
	for (; *text; text++) {
		if (*text == '\r' || *text == '\n')
			raw_len = 0;
		else if (*text == '\b')
			raw_len -= raw_len ? 1 : 0;
		else if (raw_len < sizeof(raw_text))
			raw_text[raw_len++] = *text;
	}
}

static void put_str(const char *s)
{
	tx_put(s, strlen(s));
}

/*
 * The open line shown again (after someone else's line): without its
 * terminal control sequences (ESC [ ... final byte), which a terminal would
 * otherwise act on, or answer, a second time (busybox's prompt asks for the
 * cursor position with ESC [ 6 n).
 */
static void put_plain(const char *text, size_t len)
{
	size_t i = 0, run;

	while (i < len) {
		for (run = 0; i + run < len && text[i + run] != 0x1b; run++)
			;
		tx_put(text + i, run);
		i += run;
		if (i == len)
			break;
		i++;
		if (i < len && text[i] == '[') {
			for (i++; i < len && (text[i] < 0x40 || text[i] > 0x7e); i++)
				;
		}
		i++; /* the final byte (or the one character after a lone ESC) */
	}
}

/* End the open line where the cursor is; it is no longer shown. */
static void open_close(void)
{
	if (open_prefix)
		put_str("\r\n");
	open_prefix = NULL;
	open_len = 0;
}

/* The most emit() can queue for @prefix and @n bytes of text. */
static size_t emit_max(const char *prefix, size_t n)
{
	size_t again = open_prefix ? strlen(open_prefix) + open_len : 0;

	return 2 + strlen(prefix) + n + 2 + raw_len + again;
}

static void emit(const char *prefix, const char *text, size_t n)
{
	const char *again = NULL;

	if (open_prefix == prefix && n >= open_len && !memcmp(open_text, text, open_len)) {
		/* It finishes the open line: only the rest. */
		tx_put(text + open_len, n - open_len);
		open_close();
		return;
	}
	if (open_prefix && open_prefix != prefix)
		again = open_prefix; /* someone else's line: show the open one again below */
	put_str(open_prefix || raw_len ? "\r\n" : "");
	put_str(prefix);
	tx_put(text, n);
	put_str("\r\n");
	tx_put(raw_text, raw_len); /* the shell's prompt and input, again below */
	open_prefix = again;
	if (again) {
		put_str(again);
		put_plain(open_text, open_len);
	} else {
		open_len = 0;
	}
}

void console_init(const struct platform_uart *uart)
{
	size_t i;

	uart_init(uart);
	ready = true;
	tx_claim(NULL, 2 * early_len + 64);
	for (i = 0; i < early_len; i++) {
		if (early_buf[i] == '\n')
			put_str("\r");
		tx_put(&early_buf[i], 1);
	}
	if (early_overflow)
		put_str("[bulkhead] WARN: early log overflowed; lines were lost\r\n");
	tx_send();
	early_len = 0;
}

bool console_ready(void)
{
	return ready;
}

/*
 * A CPU reporting a fault before it parks (console_panic_enter()), by
 * logical index: how its lines get out. REPORT: through the queue if the
 * lock is free within CONSOLE_PANIC_WAIT_MS, else DIRECT from then on:
 * straight to the UART, past the queue and the lock. A fault while it
 * reports one goes DIRECT, and a third SILENT: its lines are dropped.
 */
enum panic_state { PANIC_NONE, PANIC_REPORT, PANIC_DIRECT, PANIC_SILENT };
static uint8_t panicking[PLATFORM_MAX_CPUS];
/* Reports each CPU began (console_panic_enter()), up to UINT8_MAX. */
static uint8_t reports[PLATFORM_MAX_CPUS];
/* The CPU is writing straight to the UART (direct_line()): a fault now is the UART's. */
static bool direct_writing[PLATFORM_MAX_CPUS];

/*
 * Longer than anyone holds the lock for a line while the UART sends: the
 * queue waits up to TX_STUCK_MS for a UART that holds the line (a terminal's
 * flow control, QEMU's character device) before it gives it up, and a line's
 * own bytes leave within the half second more. A polled drain of a full
 * ring (1.4 s at 115 200 baud, then a stuck wait) may be interleaved with
 * instead. The looks bound it if the counter does not run: trylocks are
 * fast, 64 Mi of them.
 */
#define CONSOLE_PANIC_WAIT_MS	 (TX_STUCK_MS + 500u)
#define CONSOLE_PANIC_WAIT_LOOKS (1u << 26)

/* How a write gets out: under the lock (taken), straight to the UART, or not at all. */
enum way { WAY_LOCKED, WAY_DIRECT, WAY_NONE };

/* Before the MMU is on only the boot CPU runs, and exclusives need Normal memory. */
static void take(void)
{
	if (arch_mmu_enabled())
		spin_lock(&console_lock);
	__atomic_store_n(&lock_cpu, arch_cpu_index(), __ATOMIC_RELAXED);
}

static void release(void)
{
	__atomic_store_n(&lock_cpu, NO_CPU, __ATOMIC_RELAXED);
	if (arch_mmu_enabled())
		spin_unlock(&console_lock);
}

static void give(void)
{
	bool nudge = tx_take_nudge();

	release();
	if (nudge && nudge_hook)
		nudge_hook();
}

/* The lock within CONSOLE_PANIC_WAIT_MS, or false: spin_lock() may never return. */
static bool __cold take_bounded(void)
{
	struct tx_wait w;

	if (arch_mmu_enabled()) {
		tx_wait_start(&w, CONSOLE_PANIC_WAIT_MS, CONSOLE_PANIC_WAIT_LOOKS);
		while (!spin_trylock(&console_lock)) {
			if (tx_wait_over(&w))
				return false;
			arch_cpu_relax();
		}
	}
	__atomic_store_n(&lock_cpu, arch_cpu_index(), __ATOMIC_RELAXED);
	return true;
}

/*
 * A reporting CPU's way out. The lock held by this very CPU means the fault
 * came from inside the console (a UART access, the queue): its own
 * critical section never ends, and spin_lock() would wait for ever.
 */
static enum way __cold take_panicking(uint8_t *state)
{
	if (*state == PANIC_REPORT) {
		if (__atomic_load_n(&lock_cpu, __ATOMIC_RELAXED) != arch_cpu_index() &&
		    take_bounded())
			return WAY_LOCKED;
		*state = PANIC_DIRECT;
	}
	return *state == PANIC_DIRECT ? WAY_DIRECT : WAY_NONE;
}

/* The lock, as every writer takes it; a CPU reporting a fault may be sent another way. */
static enum way take_way(void)
{
	unsigned int me = arch_cpu_index();

	if (me < PLATFORM_MAX_CPUS && panicking[me])
		return take_panicking(&panicking[me]);
	take();
	return WAY_LOCKED;
}

/*
 * Before console_init() a report would stay in early_buf for ever (it runs
 * only from the boot's path): the boot's rescue brings the console up
 * first. Once: a fault inside it is reported into early_buf, and parks.
 */
static void (*rescue_hook)(void);
static bool rescue_tried;

void console_set_rescue(void (*rescue)(void))
{
	rescue_hook = rescue;
}

static void __cold rescue(void)
{
	if (ready || !rescue_hook || rescue_tried)
		return;
	rescue_tried = true;
	rescue_hook();
}

/*
 * A fault while this CPU writes straight to the UART came from the UART's
 * registers (a bus that answers with an external abort): nobody touches them
 * again, or every CPU that printed next would fault and park in turn.
 */
unsigned int console_panic_enter(void)
{
	unsigned int me = arch_cpu_index();

	if (me >= PLATFORM_MAX_CPUS)
		return 1;
	if (direct_writing[me])
		tx_uart_dead();
	if (panicking[me] != PANIC_SILENT)
		panicking[me]++;
	if (reports[me] != UINT8_MAX)
		reports[me]++;
	rescue();
	return reports[me];
}

static void __cold direct_line(const char *prefix, const char *text, size_t n)
{
	unsigned int me = arch_cpu_index(); /* < PLATFORM_MAX_CPUS: it is panicking */

	direct_writing[me] = true;
	tx_direct("\r\n", 2); /* another line may be half sent */
	tx_direct(prefix, strlen(prefix));
	tx_direct(text, n);
	tx_direct("\r\n", 2);
	direct_writing[me] = false;
}

bool console_write_line(struct console_share *share, const char *prefix, const char *text)
{
	size_t n = strlen(text);
	enum way way;
	bool queued;

	if (!ready) {
		early_append(prefix);
		early_append(text);
		early_append("\n");
		return true;
	}
	way = take_way();
	if (way != WAY_LOCKED) {
		if (way == WAY_DIRECT)
			direct_line(prefix, text, n);
		return true;
	}
	queued = tx_claim(share, emit_max(prefix, n));
	if (queued)
		emit(prefix, text, n);
	tx_send(); /* refused or not: the boot CPU may not take the UART's interrupt for a while */
	give();
	return queued;
}

void console_write_raw(const char *text)
{
	if (!ready)
		return;
	take();
	tx_claim(NULL, 2 + strlen(text));
	open_close();
	put_str(text);
	raw_track(text);
	tx_send();
	give();
}

static void partial(const char *prefix, const char *text, size_t len)
{
	if (open_prefix == prefix && !memcmp(open_text, text, len < open_len ? len : open_len)) {
		/* It grew (or is a stale, shorter view of it: nothing to do). */
		if (len > open_len)
			tx_put(text + open_len, len - open_len);
	} else {
		open_close();
		if (raw_len)
			put_str("\r\n"); /* below the shell's line, which input no longer goes to */
		raw_len = 0;
		put_str(prefix);
		tx_put(text, len);
		open_prefix = prefix;
	}
	if (len > open_len) {
		memcpy(open_text, text, len);
		open_len = len;
	}
}

bool console_write_partial(struct console_share *share, const char *prefix, const char *text,
			   size_t len)
{
	bool queued;

	if (!ready)
		return true;
	if (len > CONSOLE_OPEN_MAX)
		len = CONSOLE_OPEN_MAX;
	take();
	queued = tx_claim(share, 4 + strlen(prefix) + len);
	if (queued)
		partial(prefix, text, len);
	tx_send();
	give();
	return queued;
}

void console_end_partial(const char *prefix)
{
	if (!ready)
		return;
	take();
	tx_claim(NULL, 2);
	if (open_prefix == prefix)
		open_close();
	tx_send();
	give();
}

void console_tx_poke(void)
{
	if (!ready || !spin_trylock(&console_lock))
		return;
	__atomic_store_n(&lock_cpu, arch_cpu_index(), __ATOMIC_RELAXED);
	tx_send();
	give();
}

void console_tx_async(void (*room)(void), void (*nudge)(void))
{
	take();
	room_hook = room;
	nudge_hook = nudge;
	irq_cpu = arch_cpu_index();
	tx_async();
	give();
}

void console_tx_irq(void)
{
	bool sent;

	take();
	sent = tx_irq();
	give();
	if (sent && room_hook)
		room_hook();
}

/*
 * A CPU that faulted holding the lock parks with it: every CPU that printed
 * next would spin for ever. Its critical section left the console's state
 * half changed, so that is put right before the lock goes.
 */
static void __cold abandon(void)
{
	tx_abandon();
	open_prefix = NULL;
	open_len = 0;
	raw_len = 0;
}

/*
 * A CPU that reports a fault lets go of the lock it holds whichever way its
 * lines went: straight to the UART, or nowhere (a fault in the report). The
 * CPU that takes the UART's interrupt leaves the queue polled either way:
 * nobody takes that interrupt after it, and bytes the FIFO did not take
 * would wait in the ring for ever.
 */
void console_flush(void)
{
	unsigned int me = arch_cpu_index();

	if (!ready)
		return;
	if (take_way() != WAY_LOCKED) {
		if (__atomic_load_n(&lock_cpu, __ATOMIC_RELAXED) == me)
			abandon();
		else if (me != irq_cpu || !take_bounded())
			return;
	}
	if (me == irq_cpu)
		tx_polled();
	else
		tx_drain(); /* the interrupt still comes, and tells refused cells */
	give();
}

/*
 * No flush: it may be what faults. Only what the lock's next holder needs:
 * the queue abandoned (which writes through no share), then the lock; no
 * UART touched, no hook run (the nudge's GIC write).
 */
void console_panic_give_up(void)
{
	if (__atomic_load_n(&lock_cpu, __ATOMIC_RELAXED) != arch_cpu_index())
		return;
	abandon();
	release();
}
