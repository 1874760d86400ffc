// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor shell on the console (Ctrl-] h). One line at a time; each
 * command is short and bounded, because it runs in the console's interrupt
 * handler on whichever CPU takes it. What each byte from the keyboard is (a
 * key, part of a terminal's sequence, a character not ASCII): shell_keys.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "arch/cpu.h"
#include "cell.h"
#include "console.h"
#include "fault.h"
#include "log.h"
#include "manage.h"
#include "memstat.h"
#include "platform.h"
#include "shell_priv.h"
#include "vgic.h"
#include "vuart.h"

#define SHELL_LINE_MAX 64
#define SHELL_ARGS_MAX 2 /* a command and its argument */

static char line[SHELL_LINE_MAX];
static unsigned int len;
/*
 * A key was dropped from this line, the line full: cut, it could name
 * another cell. Until the line is erased whole.
 */
static bool overflowed;
/*
 * The key before was CR: a LF now ends the same line (CR LF, as a terminal
 * set to send it or a script's text sends Enter), not an empty one after it.
 */
static bool after_cr;
/*
 * What `stats reset` saw: later rows print the difference. The counters
 * belong to their CPUs and are never written from here.
 */
static uint64_t stats_base[PLATFORM_MAX_CPUS][CPU_EV_NR];
static uint64_t stats_since; /* counter value at the reset; 0: since boot */

/* Refused at boot, failed since (a CPU it runs on lost: cell_lost.c), or its state. */
static const char *list_state(const struct cell *c, enum cell_state state)
{
	if (c->refused)
		return "refused";
	if (__atomic_load_n(&c->lost, __ATOMIC_ACQUIRE))
		return "failed";
	return cell_state_name(state);
}

static void cmd_list(void)
{
	uint64_t hz = arch_counter_freq();
	unsigned int i, j;

	log_info("shell: id label            state    cpus   memory  boots faults uptime");
	for (i = 0; i < cells_count(); i++) {
		const struct cell *c = cell_get(i);
		uint64_t mem = 0;
		enum cell_state state = __atomic_load_n(&c->state, __ATOMIC_ACQUIRE);
		uint64_t now = arch_counter_read(), up = 0;

		for (j = 0; j < (unsigned int)c->cfg->nr_mem; j++)
			mem += c->cfg->mem[j].size;
		/* Read after the state: a start since cannot make it run backwards. */
		if (state == CELL_RUNNING && now > c->started_at)
			up = (now - c->started_at) / hz;
		/* A refused cell has no vCPU (none bound): the CPUs the layout gives it. */
		log_info("shell: %-2u %-16s %-8s %-6u %4lu MiB %5lu %6lu %5lus", i, c->cfg->label,
			 list_state(c, state),
			 c->refused ? (unsigned int)c->cfg->nr_cpus : c->nr_vcpus,
			 (unsigned long)(mem >> 20), (unsigned long)c->boots,
			 (unsigned long)c->faults, (unsigned long)up);
	}
}

static void stats_row(const struct cell *c, unsigned int vcpu)
{
	unsigned int cpu = c->vcpus[vcpu].pcpu;
	unsigned long n[CPU_EV_NR];

	for (unsigned int ev = 0; ev < CPU_EV_NR; ev++)
		n[ev] = (unsigned long)(arch_cpu_events(cpu, (enum cpu_event)ev) -
					stats_base[cpu][ev]);
	log_info("shell: %-3u %-16s %4u %8lu %8lu %8lu %8lu %8lu %8lu %8lu %8lu %8lu", cpu,
		 c->cfg->label, vcpu, n[CPU_EV_HVC], n[CPU_EV_SMC], n[CPU_EV_MMIO],
		 n[CPU_EV_SYSREG], n[CPU_EV_SGI], n[CPU_EV_WFI], n[CPU_EV_OTHER], n[CPU_EV_IRQ],
		 n[CPU_EV_KICK]);
}

static void stats_reset(void)
{
	for (unsigned int cpu = 0; cpu < PLATFORM_MAX_CPUS; cpu++)
		for (unsigned int ev = 0; ev < CPU_EV_NR; ev++)
			stats_base[cpu][ev] = arch_cpu_events(cpu, (enum cpu_event)ev);
	stats_since = arch_counter_read();
	log_info("shell: stats counts from here on");
}

static void stats_print_window(void)
{
	uint64_t ms = arch_ticks_to_ms(arch_counter_read() - stats_since);

	if (stats_since)
		log_info("shell: since stats reset %lu.%03lu s ago", (unsigned long)(ms / 1000),
			 (unsigned long)(ms % 1000));
	else
		log_info("shell: since boot");
}

/* Per CPU that runs a vCPU: why it came to EL2 (arch_cpu_count()). */
static void cmd_stats(const char *arg)
{
	unsigned int i, j;

	if (arg && !strcmp(arg, "reset")) {
		stats_reset();
		return;
	}
	if (arg) {
		log_info("shell: stats: unknown argument \"%s\" (stats, or stats reset)", arg);
		return;
	}
	stats_print_window();
	log_info("shell: cpu cell             vcpu      hvc      smc     mmio   sysreg "
		 "     sgi      wfi    other      irq     kick");
	for (i = 0; i < cells_count(); i++) {
		const struct cell *c = cell_get(i);

		for (j = 0; j < c->nr_vcpus; j++)
			stats_row(c, j);
	}
}

/*
 * What refused the request is worded from @err, the call's own answer: the
 * state read after it may be another by then (a stop refused as stopped,
 * the cell started since). Busy: a stop, restart or reload under way when
 * the call looked; it ends by itself. Its state now is named if it still
 * moves, as more to go on.
 */
static void report(const char *what, const struct cell *c, int err)
{
	enum cell_state state = __atomic_load_n(&c->state, __ATOMIC_ACQUIRE);
	bool moving = state == CELL_STOPPING || state == CELL_LOADING;
	char said[64];
	const char *how = said;

	if (!err)
		return;
	if (err == -ENODEV)
		how = "not done (refused at boot: a CPU or PCI function it names; the boot log "
		      "says why)";
	else if (err == -EIO)
		how = "not done (failed: a CPU it runs on parked after a hypervisor fault, which "
		      "the log reports; it is stopped until the system restarts)";
	else if (err == -EINPROGRESS)
		how = "queued (a restart or start is under way: the cell stops instead of running "
		      "again)";
	else if (err == -EEXIST)
		how = "not done (already on its way to stopped)";
	else if (err == -EALREADY)
		snprintf(said, sizeof(said), "not done (already %s)",
			 cell_state_name(strcmp(what, "stop") ? CELL_RUNNING : CELL_STOPPED));
	else
		snprintf(said, sizeof(said), "not done (busy: %s; try again)",
			 moving ? cell_state_name(state) : "it was stopping or loading");
	log_info("shell: %s %s: %s", what, c->cfg->label, how);
}

static void cmd_on_cell(const char *cmd, const char *name)
{
	struct cell *c = manage_find(name);

	if (!c) {
		log_info("shell: %s: no cell \"%s\" (see list)", cmd, name);
		return;
	}
	if (!strcmp(cmd, "irqs") && c->refused)
		report(cmd, c, -ENODEV); /* its vGIC was never set up */
	else if (!strcmp(cmd, "irqs")) {
		vgic_dump(c);
		vuart_dump(&c->vuart); /* both give up on a lock a lost CPU of the cell holds */
	} else if (!strcmp(cmd, "stop"))
		report(cmd, c, manage_stop(c, "shell"));
	else if (!strcmp(cmd, "start"))
		report(cmd, c, manage_start(c, "shell"));
	else
		report(cmd, c, manage_restart(c, "shell"));
}

enum shell_cmd_id { SH_HELP, SH_LIST, SH_STATS, SH_MEM, SH_FAULTS, SH_CELL };

/* Names in arrays, not pointers: no relocations in the image. */
static const struct shell_cmd {
	char name[8];
	char usage[16];
	uint8_t id, min_args, max_args;
} commands[] = {
	{ "help", "help", SH_HELP, 0, 0 },
	{ "?", "?", SH_HELP, 0, 0 },
	{ "list", "list", SH_LIST, 0, 0 },
	{ "stats", "stats [reset]", SH_STATS, 0, 1 },
	{ "mem", "mem", SH_MEM, 0, 0 },
	{ "faults", "faults", SH_FAULTS, 0, 0 },
	{ "stop", "stop CELL", SH_CELL, 1, 1 },
	{ "start", "start CELL", SH_CELL, 1, 1 },
	{ "restart", "restart CELL", SH_CELL, 1, 1 },
	{ "irqs", "irqs CELL", SH_CELL, 1, 1 },
};

/* Words into argv (at most SHELL_ARGS_MAX kept); returns how many there were. */
static unsigned int split(char *s, char **argv)
{
	unsigned int n = 0;

	for (;;) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			return n;
		if (n < SHELL_ARGS_MAX)
			argv[n] = s;
		n++;
		while (*s && *s != ' ')
			s++;
	}
}

static void run_command(unsigned int id, char **argv)
{
	if (id == SH_HELP) {
		log_info("shell: list | stop CELL | start CELL | restart CELL | irqs CELL | stats "
			 "[reset] | faults | mem | help");
		log_info("shell: CELL is a label or an index; Ctrl-] n returns input to a cell");
	} else if (id == SH_LIST) {
		cmd_list();
	} else if (id == SH_STATS) {
		cmd_stats(argv[1]);
	} else if (id == SH_MEM) {
		memstat_log("shell: hypervisor memory");
	} else if (id == SH_FAULTS) {
		fault_log_print();
	} else {
		cmd_on_cell(argv[0], argv[1]);
	}
}

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct shell_cmd *find_command(const char *name)
{
	for (unsigned int i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static void run(char *cmdline)
{
	char *argv[SHELL_ARGS_MAX + 1] = { NULL };
	unsigned int argc = split(cmdline, argv);
	const struct shell_cmd *cmd;

	if (!argc)
		return;
	cmd = find_command(argv[0]);
	if (!cmd)
		log_info("shell: unknown command \"%s\" (try help)", argv[0]);
	else if (argc - 1 < cmd->min_args || argc - 1 > cmd->max_args)
		log_info("shell: usage: %s", cmd->usage);
	else
		run_command(cmd->id, argv);
}

/* With what was typed so far: a line left unfinished when the keyboard went elsewhere. */
void shell_prompt(void)
{
	shell_keys_reset(); /* one the keyboard left half-way does not take the next key */
	after_cr = false;
	console_write_raw("bulkhead> ");
	line[len] = '\0';
	if (len)
		console_write_raw(line);
}

/* Enter: the line runs, unless keys were dropped from it. */
static void shell_enter(void)
{
	console_write_raw("\r\n");
	line[len] = '\0';
	len = 0;
	if (overflowed)
		log_info("shell: line longer than %u characters: not run", SHELL_LINE_MAX - 1);
	else if (shell_keys_open_string())
		log_info("shell: the keys after ESC %c went into a terminal control string, which "
			 "Enter ended, not BEL or ESC \\: not run",
			 shell_keys_open_string());
	else
		run(line);
	overflowed = false;
	shell_prompt();
}

/* A printable key: echoed and kept, or, the line full, dropped and the line not run. */
static void shell_key(char c)
{
	char echo[2] = { c, '\0' };

	if (len >= SHELL_LINE_MAX - 1) {
		overflowed = true;
		return;
	}
	line[len++] = c;
	console_write_raw(echo);
}

/* The @i-th name word @word of a line that starts with @first can be; NULL past the last. */
static const char *completion(unsigned int word, const char *first, unsigned int i)
{
	const struct shell_cmd *cmd = find_command(first);

	if (!word)
		return i < NR_COMMANDS ? commands[i].name : NULL;
	if (word > 1 || !cmd)
		return NULL;
	if (cmd->id == SH_CELL)
		return i < cells_count() ? cell_get(i)->cfg->label : NULL;
	return cmd->id == SH_STATS && !i ? "reset" : NULL;
}

/*
 * Tab: the word it ends is completed as far as the names it can start agree
 * (a command, a cell command's cell, stats' reset), then a space once it
 * is a whole name: at once if it can be one name only, else at a Tab that
 * has nothing more to add (beta, beta2). A word none starts, an empty
 * one, or a word past the names: a space, so Tab separates pasted words.
 */
static void shell_tab(void)
{
	char copy[SHELL_LINE_MAX], *argv[SHELL_ARGS_MAX + 1] = { NULL };
	unsigned int start = len, words, typed, common = 0, matches = 0, i;
	const char *name, *match = NULL;
	bool whole = false;

	while (start && line[start - 1] != ' ')
		start--;
	typed = len - start;
	memcpy(copy, line, len);
	copy[len] = '\0';
	words = split(copy, argv);
	for (i = 0; typed && (name = completion(words - 1, argv[0], i)); i++) {
		if (strncmp(name, line + start, typed))
			continue;
		if (!matches++) {
			match = name;
			common = (unsigned int)strlen(name);
		}
		while (strncmp(match, name, common))
			common--;
		whole |= !name[typed];
	}
	for (i = typed; i < common; i++)
		shell_key(match[i]);
	if (matches <= 1 || whole) /* whole: the others start with it, nothing to add */
		shell_key(' ');
}

void shell_input(char c)
{
	enum shell_key key = after_cr && c == '\n' ? SHELL_KEY_NONE : shell_keys_sort(c);

	after_cr = false;
	if (key == SHELL_KEY_NONE)
		return;
	if (key == SHELL_KEY_NOT_ASCII) {
		shell_key('?'); /* a character not ASCII, in no name: one '?' for all its bytes */
	} else if (c == '\r' || c == '\n') {
		shell_enter();
		after_cr = c == '\r'; /* after shell_enter()'s prompt, which clears it */
	} else if ((c == 0x7f || c == '\b') && len) {
		len--;
		console_write_raw("\b \b");
		if (!len)
			overflowed = false; /* nothing of the cut line is left */
	} else if (c == '\t') {
		shell_tab();
	} else if (c >= ' ' && c < 0x7f) {
		shell_key(c);
	}
}
