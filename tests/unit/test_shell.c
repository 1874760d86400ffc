// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor shell (partitions/shell.c, its keyboard's bytes sorted by
 * shell_keys.c; docs/console.md "The shell"), driven with the bytes a
 * keyboard, a paste or a terminal's answer can send. Each test types keys
 * and compares, whole, what the shell echoed and prompted
 * (console_write_raw()), the lines it logged, and the calls it made into
 * the rest of the hypervisor (recorded by the stand-ins below), so that a
 * changed word, bound or branch shows. The cells are a real cell table
 * (partitions/cell_table.c: cell_get(), cell_state_name(), memstat_log()).
 * The test includes both files to start every test from their boot state
 * (the line, the stats base and where the keys are in a sequence are static).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cell_priv.h"
#include "fake_log.h"
#include "memstat.h"

#include "../../partitions/shell.c"
#include "../../partitions/shell_keys.c"

#define MIB	 (1024ULL * 1024)
#define FREQ	 1000000ULL /* counter ticks a second */
#define NR_CELLS 5

/* --- what shell.c asks of the rest, recorded ------------------------------------ */

static char raw[8192];	 /* console_write_raw(): echo and prompts */
static char calls[1024]; /* "find beta; stop beta shell; " ... in order */
static uint64_t now;	 /* arch_counter_read() */
static uint64_t events[PLATFORM_MAX_CPUS][CPU_EV_NR];

/* What the next manage_stop/start/restart() answers, and the cell's state after it. */
static int answer;
static bool answer_moves;
static enum cell_state answer_state;

static void called(const char *fmt, ...)
{
	size_t n = strlen(calls);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(calls + n, sizeof(calls) - n, fmt, ap);
	va_end(ap);
}

void console_write_raw(const char *text)
{
	size_t n = strlen(raw);

	snprintf(raw + n, sizeof(raw) - n, "%s", text);
}

uint64_t arch_counter_read(void)
{
	return now;
}

uint64_t arch_counter_freq(void)
{
	return FREQ;
}

uint64_t arch_cpu_events(unsigned int index, enum cpu_event ev)
{
	assert_true(index < PLATFORM_MAX_CPUS && (unsigned int)ev < CPU_EV_NR);
	return events[index][ev];
}

void fault_log_print(void)
{
	called("faults; ");
}

void vgic_dump(struct cell *cell)
{
	called("vgic_dump %s; ", cell->cfg->label);
}

void vuart_dump(struct vuart *u)
{
	for (unsigned int i = 0; i < cells_nr; i++)
		if (u == &cells[i].vuart)
			called("vuart_dump %s; ", cells[i].cfg->label);
}

/* As manage.c's: a label, else a decimal index below the count. */
struct cell *manage_find(const char *name)
{
	char *end;
	unsigned long id;

	called("find %s; ", name);
	for (unsigned int i = 0; i < cells_nr; i++)
		if (!strcmp(cells[i].cfg->label, name))
			return &cells[i];
	id = strtoul(name, &end, 10);
	return *name && !*end && id < cells_nr ? &cells[id] : NULL;
}

static int managed(const char *op, struct cell *cell, const char *why)
{
	called("%s %s %s; ", op, cell->cfg->label, why);
	if (answer_moves)
		cell->state = answer_state;
	return answer;
}

int manage_stop(struct cell *cell, const char *why)
{
	return managed("stop", cell, why);
}

int manage_start(struct cell *cell, const char *why)
{
	return managed("start", cell, why);
}

int manage_restart(struct cell *cell, const char *why)
{
	return managed("restart", cell, why);
}

/* cell_table.c's memstat_log(), the shell's mem. */
void memstat_read(struct memstat *m)
{
	*m = (struct memstat){ .image_bytes = 300 * 1024,
			       .el2_tables_used = 12,
			       .el2_tables_total = 64,
			       .s2_tables_used = 40,
			       .s2_tables_total = 512 };
}

unsigned int arch_stage2_tables(const struct cell *cell)
{
	return cell->id * 10;
}

/* --- the cells ------------------------------------------------------------------ */

static struct layout_cell cfgs[NR_CELLS];

static struct cell *make_cell(unsigned int id, const char *label, enum cell_state state,
			      unsigned int nr_cpus, unsigned int first_cpu)
{
	struct cell *c = &cells[id];

	snprintf(cfgs[id].label, sizeof(cfgs[id].label), "%s", label);
	cfgs[id].nr_cpus = (int)nr_cpus;
	cfgs[id].nr_mem = 1;
	cfgs[id].mem[0].size = 64 * MIB;
	c->cfg = &cfgs[id];
	c->id = id;
	c->state = state;
	c->nr_vcpus = nr_cpus;
	for (unsigned int i = 0; i < nr_cpus; i++)
		c->vcpus[i] = (struct vcpu){ .cell = c, .index = i, .pcpu = first_cpu + i };
	return c;
}

/*
 * alpha (0) and beta (1) run, up 12 s and 4 s; gamma (2) was refused at boot;
 * delta (3) failed; beta2 (4) is stopped (a label that starts with another's).
 * CPU c counted (c + 1) * 1000 + e events of kind e.
 */
static int setup(void **state)
{
	struct cell *c;

	(void)state;
	memset(cells, 0, sizeof(cells));
	memset(cfgs, 0, sizeof(cfgs));
	now = 112 * FREQ + FREQ / 2; /* uptimes are whole seconds, rounded down */
	c = make_cell(0, "alpha", CELL_RUNNING, 1, 0);
	c->boots = 1;
	c->started_at = 100 * FREQ;
	c = make_cell(1, "beta", CELL_RUNNING, 3, 1);
	c->boots = 2;
	c->faults = 3;
	c->started_at = 108 * FREQ;
	cfgs[1].nr_mem = 2; /* two regions of 32 MiB */
	cfgs[1].mem[0].size = cfgs[1].mem[1].size = 32 * MIB;
	c = make_cell(2, "gamma", CELL_STOPPED, 0, 0);
	c->refused = true;
	cfgs[2].nr_cpus = 2; /* named, none bound */
	cfgs[2].mem[0].size = 16 * MIB;
	c = make_cell(3, "delta", CELL_STOPPED, 1, 4);
	c->lost = 1;
	c->boots = 1;
	c->faults = 1;
	c->started_at = 50 * FREQ;
	cfgs[3].mem[0].size = 128 * MIB;
	c = make_cell(4, "beta2", CELL_STOPPED, 1, 5);
	cfgs[4].mem[0].size = 1 * MIB + 512 * 1024; /* shown in whole MiB, rounded down */
	cells_nr = NR_CELLS;
	for (unsigned int cpu = 0; cpu < PLATFORM_MAX_CPUS; cpu++)
		for (unsigned int ev = 0; ev < CPU_EV_NR; ev++)
			events[cpu][ev] = (cpu + 1) * 1000 + ev;
	/* shell.c's boot state */
	memset(line, 0, sizeof(line));
	len = 0;
	overflowed = false;
	after_cr = false;
	utf8_left = 0;
	seq = SEQ_NONE;
	string_key = 0;
	memset(stats_base, 0, sizeof(stats_base));
	stats_since = 0;
	/* the stand-ins' */
	raw[0] = calls[0] = '\0';
	answer = 0;
	answer_moves = false;
	fake_log_reset();
	return 0;
}

/* --- helpers -------------------------------------------------------------------- */

static void type_bytes(const char *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		shell_input(keys[i]);
}

static void type(const char *keys)
{
	type_bytes(keys, strlen(keys));
}

/* Type @head, @spaces spaces, then @tail: a line as long as the test needs. */
static void type_spaced(const char *head, unsigned int spaces, const char *tail)
{
	type(head);
	while (spaces--)
		type(" ");
	type(tail);
}

/* The cell's next manage_*() answers @err, and leaves the cell @state. */
static void manage_answers(int err, enum cell_state state)
{
	answer = err;
	answer_moves = true;
	answer_state = state;
}

#define assert_text(what, got, expected)                                                      \
	do {                                                                                  \
		if (strcmp((got), (expected)))                                                \
			fail_msg("%s: expected\n----\n%s\n----\ngot\n----\n%s\n----", (what), \
				 (expected), (got));                                          \
	} while (0)

#define assert_log(expected)   assert_text("log", fake_log_text(), (expected))
#define assert_raw(expected)   assert_text("echo and prompts", raw, (expected))
#define assert_calls(expected) assert_text("calls", calls, (expected))

/* Type @keys: the shell logged @log, exactly, and asked nothing of the rest. */
static void assert_answer(const char *keys, const char *log)
{
	type(keys);
	assert_log(log);
	assert_calls("");
}

/* --- keys ----------------------------------------------------------------------- */

static void test_a_command_is_echoed_run_at_enter_and_followed_by_a_prompt(void **state)
{
	(void)state;
	type("faults");
	assert_raw("faults");
	assert_calls("");
	type("\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
	assert_log("");
}

static void test_line_feed_ends_a_line_as_carriage_return_does(void **state)
{
	(void)state;
	type("faults\n");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/*
 * CR LF, as a terminal set to send it or a script's text sends Enter, is one
 * line end: one prompt after each line, an empty one too.
 */
static void test_cr_lf_ends_one_line(void **state)
{
	(void)state;
	type("faults\r\nfaults\r\n\r\n");
	assert_calls("faults; faults; ");
	assert_raw("faults\r\nbulkhead> faults\r\nbulkhead> \r\nbulkhead> ");
}

/* Only a LF right after CR goes with it: LF CR, CR CR, LF LF, CR line LF are two line ends. */
static void test_a_lone_cr_or_lf_still_ends_a_line(void **state)
{
	(void)state;
	type("\n\r\rfaults\n\n\rfaults\n");
	assert_raw("\r\nbulkhead> \r\nbulkhead> \r\nbulkhead> faults\r\nbulkhead> \r\nbulkhead> "
		   "\r\nbulkhead> faults\r\nbulkhead> ");
	assert_calls("faults; faults; ");
}

/* The LF of a CR LF that ended a control string is not a second, empty line either. */
static void test_cr_lf_ending_a_control_string_is_one_line_end(void **state)
{
	(void)state;
	type("stop beta\x1b]2\r\nfaults\r\n");
	assert_raw("stop beta\r\nbulkhead> faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/* A LF typed after the keyboard went elsewhere and came back is a key of its own. */
static void test_a_cr_does_not_take_a_lf_typed_after_the_keyboard_left(void **state)
{
	(void)state;
	type("\r");
	shell_prompt();
	type("\n");
	assert_raw("\r\nbulkhead> bulkhead> \r\nbulkhead> ");
}

static void test_the_line_is_empty_again_after_enter(void **state)
{
	(void)state;
	type("faults\rfaults\r");
	assert_calls("faults; faults; ");
	assert_raw("faults\r\nbulkhead> faults\r\nbulkhead> ");
}

/* A shorter line after a longer one is itself alone, and so is what the prompt shows again. */
static void test_a_line_ends_where_it_was_typed_to(void **state)
{
	(void)state;
	type("faults\rmem\r");
	assert_logged("I: shell: hypervisor memory: ");
	raw[0] = '\0';
	type("faults\rfa");
	shell_prompt();
	assert_raw("faults\r\nbulkhead> fabulkhead> fa");
}

static void test_an_empty_or_blank_line_runs_nothing_and_prompts_again(void **state)
{
	(void)state;
	type("\r   \r");
	assert_raw("\r\nbulkhead>    \r\nbulkhead> ");
	assert_log("");
	assert_calls("");
}

static void test_nul_and_control_bytes_are_neither_echoed_nor_kept(void **state)
{
	static const char keys[] = "f\0a\x01u\x07lt\x0b\x0c\x0e\x1a\x1c\x1d\x1e\x1fs";

	(void)state;
	type_bytes(keys, sizeof(keys) - 1);
	assert_raw("faults");
	type("\r");
	assert_calls("faults; ");
}

/* C1 controls that start no sequence or string (all but SS3, DCS, SOS, CSI, OSC, PM, APC). */
static void test_c1_controls_that_start_nothing_are_neither_echoed_nor_kept(void **state)
{
	char keys[32];
	size_t n = 0;

	(void)state;
	for (unsigned int b = 0x80; b <= 0x9f; b++)
		if (!strchr("\x8f\x90\x98\x9b\x9d\x9e\x9f", (int)(char)b))
			keys[n++] = (char)b;
	type("f");
	type_bytes(keys, n);
	type("aults\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/*
 * A character that is not ASCII (é, €, an emoji; a stray byte from 0xa0, a
 * lead byte 0xc0, 0xc1 or from 0xf5) is one '?', echoed and kept: in no
 * name, so a cell named with one is refused, not taken for another cell.
 */
static void test_a_character_not_ascii_is_kept_as_one_question_mark(void **state)
{
	(void)state;
	type("stop b\xc3\xa9t\xe2\x82\xac\xf0\x9f\x98\x80"
	     "a\xa0\xc0\xff\r");
	assert_raw("stop b?t??a???\r\nbulkhead> ");
	assert_calls("find b?t??a???; ");
	assert_log("I: shell: stop: no cell \"b?t??a???\" (see list)\n");
}

/*
 * How many continuation bytes each lead byte takes: 0xc2-0xdf one, 0xe0-0xef
 * two, 0xf0-0xf4 three; 0xc1 and 0xf5 none. Each case is a character and a
 * 0x9b: in the character, x after it is typed; after it, a CSI takes x.
 */
static void test_a_utf8_character_is_as_long_as_its_lead_byte_says(void **state)
{
	static const struct {
		const char *keys, *echo;
	} cases[] = {
		{ "\xc1\x9b", "?" },	      { "\xc2\x9b", "?x" },
		{ "\xdf\x9b", "?x" },	      { "\xdf\x80\x9b", "?" },
		{ "\xe0\x80\x9b", "?x" },     { "\xe0\x80\x80\x9b", "?" },
		{ "\xef\x9b\x9b", "?x" },     { "\xef\xbf\xbf\x9b", "?" },
		{ "\xf0\x9f\x98\x9b", "?x" }, { "\xf0\x9f\x98\x80\x9b", "?" },
		{ "\xf4\x8f\xbf\x9b", "?x" }, { "\xf5\x9b", "?" },
		{ "\xe0\xc0\x9b", "??" },     /* 0xc0 is no continuation: 0x9b is CSI */
		{ "\xe0\x7f\x9b", "?\b \b" }, /* DEL ends the character and erases it */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		raw[0] = '\0';
		type(cases[i].keys);
		type("x");
		if (strcmp(raw, cases[i].echo))
			fail_msg("case %zu: echo \"%s\", expected \"%s\"", i, raw, cases[i].echo);
		type("\b\b");
	}
}

/* A character the keyboard left half-way (Ctrl-] to a cell) does not take the shell's next byte. */
static void test_a_utf8_character_does_not_outlast_the_keyboard_leaving(void **state)
{
	(void)state;
	type("\xe0");
	shell_prompt();
	raw[0] = '\0';
	type("\x9b"
	     "Ax");
	assert_raw("x");
}

/*
 * Ý, Û, Ð and Ü end in 0x9d (OSC), 0x9b (CSI), 0x90 (DCS) and 0x9c (ST) in
 * UTF-8: continuation bytes there, no C1 controls. The line is run, its
 * name refused, not swallowed by a control string.
 */
static void test_utf8_characters_are_not_taken_for_c1_controls(void **state)
{
	(void)state;
	type("stop b\xc3\x9d\xc3\x9b\xc3\x90\xc3\x9c"
	     "eta\r");
	assert_raw("stop b????eta\r\nbulkhead> ");
	assert_log("I: shell: stop: no cell \"b????eta\" (see list)\n");
}

/* The bounds of what is kept: ' ' (0x20) and '~' (0x7e) are, 0x1f and 0x7f are not. */
static void test_space_and_tilde_are_kept(void **state)
{
	(void)state;
	type("stats\x1f ~\x7f~\r");
	assert_raw("stats ~\b \b~\r\nbulkhead> ");
	assert_log("I: shell: stats: unknown argument \"~\" (stats, or stats reset)\n");
}

static void test_backspace_and_delete_erase_the_last_character(void **state)
{
	(void)state;
	type("faulx\bty\x7fs\r");
	assert_raw("faulx\b \bty\b \bs\r\nbulkhead> ");
	assert_calls("faults; ");
}

static void test_backspace_at_column_0_does_nothing(void **state)
{
	(void)state;
	type("\b\x7f");
	assert_raw("");
	type("ab\b\b\b\x7f\bfaults\r");
	assert_raw("ab\b \b\b \bfaults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/* Tab between words, typed or pasted, separates them as a space does. */
static void test_tab_between_words_is_a_space(void **state)
{
	(void)state;
	type("stop\tbeta\r");
	assert_raw("stop beta\r\nbulkhead> ");
	type("stats\t\treset\r");
	assert_calls("find beta; stop beta shell; ");
	assert_log("I: shell: stats counts from here on\n");
}

static void test_tab_completes_a_command_and_a_space_after_it(void **state)
{
	(void)state;
	type("fau\t");
	assert_raw("faults ");
	type("\rre\t");
	assert_raw("faults \r\nbulkhead> restart ");
	type("\rir\t");
	assert_raw("faults \r\nbulkhead> restart \r\nbulkhead> irqs ");
	assert_calls("faults; ");
}

/* beta and beta2: b completes to beta, which Tab then takes whole. */
static void test_tab_completes_a_cell_as_far_as_the_cells_it_can_be_agree(void **state)
{
	(void)state;
	type("stop b\t");
	assert_raw("stop beta");
	type("\t");
	assert_raw("stop beta ");
	type("\rstart bet\t2\t\r");
	assert_raw("stop beta \r\nbulkhead> start beta2 \r\nbulkhead> ");
	assert_calls("find beta; stop beta shell; find beta2; start beta2 shell; ");
}

/* st: stats, stop or start; sta: stats or start. Nothing to add, and no space. */
static void test_tab_after_the_start_of_several_names_adds_nothing(void **state)
{
	(void)state;
	type("st\ta\tr\t");
	assert_raw("start ");
}

static void test_tab_completes_the_argument_of_stats(void **state)
{
	(void)state;
	type("stats r\t\r");
	assert_raw("stats reset \r\nbulkhead> ");
	assert_log("I: shell: stats counts from here on\n");
}

/*
 * A word no name starts (an index, a word after one that takes none, a third
 * word, an unknown command's argument) or no word at all: Tab is a space.
 */
static void test_tab_after_a_word_no_name_starts_is_a_space(void **state)
{
	(void)state;
	type("\tirqs 1\t\rlist a\t\rstop beta b\t\rfoo g\t\rx\t");
	assert_raw(" irqs 1 \r\nbulkhead> list a \r\nbulkhead> stop beta b \r\nbulkhead> foo g "
		   "\r\nbulkhead> x ");
}

/* What a Tab completes counts to the line's 63 characters as what is typed. */
static void test_tab_completing_past_the_lines_end_cuts_it(void **state)
{
	(void)state;
	type_spaced("stop", 57, "b\t");
	assert_int_equal(strlen(raw), SHELL_LINE_MAX - 1);
	type("\r");
	assert_log("I: shell: line longer than 63 characters: not run\n");
	assert_calls("");
}

/* Arrow keys, as a terminal sends them in normal and in application mode, are not typed. */
static void test_arrow_keys_are_not_typed(void **state)
{
	(void)state;
	type("fa\x1b[Au\x1b[Bl\x1bOCt\x1bODs\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/* Function keys: parameters, then the final byte (F5 ESC [ 1 5 ~, F1 ESC O P). */
static void test_function_keys_are_not_typed(void **state)
{
	(void)state;
	type("fa\x1b[15~ul\x1bOPts\x1b[1;5H\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/*
 * A terminal's answer to a cell's cursor-position query that came after the
 * keyboard moved to the shell (docs/console.md) is not typed either.
 */
static void test_a_cursor_position_report_is_not_typed(void **state)
{
	(void)state;
	type("\x1b[24;1Rfaults\x1b[24;80R\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/* ESC then a key that starts no sequence (Alt and the key): the key is typed, the ESC not. */
static void test_escape_then_another_key_types_the_key(void **state)
{
	(void)state;
	type("\x1b\x1b\x1b"
	     "fau\x1b\x7f\x1bz\r");
	assert_raw("fau\b \bz\r\nbulkhead> ");
	assert_log("I: shell: unknown command \"faz\" (try help)\n");
}

/* A sequence never finished is ended by Enter, which runs the line, and by any control byte. */
static void test_enter_inside_a_sequence_runs_the_line(void **state)
{
	(void)state;
	type("faults\x1b[24;\r");
	assert_calls("faults; ");
	type("\x1b[1\x01"
	     "faults\x1bOx\x1b[\x80\r");
	assert_raw("faults\r\nbulkhead> faults\r\nbulkhead> ");
	assert_calls("faults; faults; ");
}

/* NUL and bytes from 0xa0 end a sequence too, and are taken: NUL dropped, 0xff a '?'. */
static void test_a_sequence_is_ended_by_a_byte_it_cannot_hold(void **state)
{
	static const char keys[] = "\x1b[2\0f\x1b[\xff"
				   "aults\r";

	(void)state;
	type_bytes(keys, sizeof(keys) - 1);
	assert_raw("f?aults\r\nbulkhead> ");
	assert_log("I: shell: unknown command \"f?aults\" (try help)\n");
}

/*
 * The bounds of a sequence: parameters from '0' to '?' and intermediates from
 * space (a DECRQM answer, ESC [ ? 1 ; 2 $ y), the final byte from '@' up to
 * '~'. DEL is none of them: it ends the sequence and erases.
 */
static void test_a_sequence_holds_bytes_from_space_and_ends_at_a_final_byte_from_at(void **state)
{
	(void)state;
	type("fa\x1b[?1;2$yu\x1b[1 ql\x1b[2@t\x1b[~s\x1bO@x\x1b[\x7f\r");
	assert_raw("faultsx\b \b\r\nbulkhead> ");
	assert_calls("faults; ");
}

/*
 * A terminal's focus reports (ESC [ I, ESC [ O, if a cell asked for them): 'O'
 * after ESC [ is the final byte, not the start of another sequence.
 */
static void test_focus_reports_are_not_typed(void **state)
{
	(void)state;
	type("fa\x1b[Ou\x1b[Il\x1b[Ots\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/* 8-bit CSI (0x9b) and SS3 (0x8f) are ESC [ and ESC O: arrow and function keys, a report. */
static void test_c1_csi_and_ss3_are_escape_sequences_as_their_7_bit_forms(void **state)
{
	(void)state;
	type("fa\x9b"
	     "Au\x8fPl\x9b"
	     "15~t\x9b"
	     "24;1Rs\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/* A C1 introducer inside a sequence starts the next one, as ESC does. */
static void test_c1_csi_inside_a_sequence_starts_another(void **state)
{
	(void)state;
	type("fa\x1b[1\x9b"
	     "Aults\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/* A sequence the keyboard left half-way (Ctrl-] to a cell) does not take the shell's next key. */
static void test_a_sequence_does_not_outlast_the_keyboard_leaving(void **state)
{
	(void)state;
	type("\x1b[2");
	shell_prompt();
	type("faults\r");
	assert_calls("faults; ");
}

/*
 * A terminal's answer to a cell's colour query (OSC 11, ESC ] 11 ; rgb:...
 * ESC \, which xterm, VTE and kitty send) that came after the keyboard moved
 * to the shell: not typed, so the next command runs.
 */
static void test_an_osc_answer_ended_by_st_is_not_typed(void **state)
{
	(void)state;
	type("\x1b]11;rgb:0000/0000/0000\x1b\\");
	type("faults\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_log("");
	assert_calls("faults; ");
}

/* BEL, CAN and SUB end a control string as ST does; the keys after them are typed. */
static void test_bel_can_and_sub_end_a_control_string(void **state)
{
	(void)state;
	type("f\x1b]11;rgb:ffff/ffff/ffff\x07"
	     "au\x1b]0;title\x18"
	     "lt\x1b]2;x\x1a"
	     "s\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/* DCS, SOS, PM and APC are control strings as OSC is (a DECRQSS answer: ESC P 1 $ r ...). */
static void test_dcs_sos_pm_and_apc_strings_are_not_typed(void **state)
{
	(void)state;
	type("f\x1bP1$r0m\x1b\\a\x1bXsos\x1b\\u\x1b^pm\x1b\\l\x1b_Gi=1;OK\x1b\\ts\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/*
 * 8-bit OSC, DCS, SOS, PM and APC (0x9d, 0x90, 0x98, 0x9e, 0x9f) begin
 * control strings as ESC ], P, X, ^ and _ do, and 8-bit ST (0x9c) ends one
 * as ESC \ does.
 */
static void test_c1_control_strings_are_not_typed(void **state)
{
	(void)state;
	type("f\x9d"
	     "11;rgb:0/0/0\x9c"
	     "a\x90"
	     "1$r0m\x9cu\x98sos\x9cl\x9epm\x07t\x9f"
	     "apc\x1b\\s\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/* A title of Ü (0xc3 0x9c) does not end at its 0x9c: that is no ST. */
static void test_a_utf8_character_in_a_control_string_does_not_end_it(void **state)
{
	(void)state;
	type("\x9d"
	     "2;\xc3\x9cx\x9c"
	     "faults\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/* Enter ends an 8-bit string, and says so, as it does ESC P's. */
static void test_enter_ends_a_c1_control_string_and_its_line_is_not_run(void **state)
{
	(void)state;
	type("stop beta\x90"
	     "1\r");
	assert_log("I: shell: the keys after ESC P went into a terminal control string, which "
		   "Enter ended, not BEL or ESC \\: not run\n");
	assert_calls("");
}

/*
 * Inside a string, ESC ends it only with '\': ESC then another key is the
 * string's (so is a CSI's start, DEL and Backspace).
 */
static void test_escape_inside_a_control_string_ends_it_only_as_st(void **state)
{
	(void)state;
	type("fa\x1b]x\x1b[A\x1bz\x7f\b\x1b\x1b\\ults\r");
	assert_raw("faults\r\nbulkhead> ");
	assert_calls("faults; ");
}

/*
 * A string never ended (a stray ESC ], Alt-]) took the keys typed after it:
 * Enter ends it, and the line, missing them, is not run. The next one is.
 */
static void test_enter_ends_a_control_string_and_its_line_is_not_run(void **state)
{
	(void)state;
	type("stop beta\x1b]2");
	type("\r");
	assert_raw("stop beta\r\nbulkhead> ");
	assert_log("I: shell: the keys after ESC ] went into a terminal control string, which "
		   "Enter ended, not BEL or ESC \\: not run\n");
	assert_calls("");
	fake_log_reset();
	type("faults\n");
	assert_log("");
	assert_calls("faults; ");
}

/* A string the keyboard left half-way (Ctrl-] to a cell) does not take the shell's next keys. */
static void test_a_control_string_does_not_outlast_the_keyboard_leaving(void **state)
{
	(void)state;
	type("\x1bP1$r");
	shell_prompt();
	type("faults\r");
	assert_log("");
	assert_calls("faults; ");
}

/* 63 characters, the most a line holds: "stats", 53 spaces, "reset". */
static void test_a_line_of_63_characters_is_run_whole(void **state)
{
	(void)state;
	type_spaced("stats", 53, "reset\r");
	assert_log("I: shell: stats counts from here on\n");
}

/*
 * One character more and the line is not run at all: cut to its first 63 it
 * would be another command, here a stop of beta instead of beta2.
 */
static void test_a_longer_line_is_not_run(void **state)
{
	(void)state;
	type_spaced("stop", 55, "beta2");
	assert_int_equal(strlen(raw), SHELL_LINE_MAX - 1); /* no echo past the line's end */
	type("\r");
	assert_log("I: shell: line longer than 63 characters: not run\n");
	assert_calls("");
	assert_true(cells[1].state == CELL_RUNNING);
}

/* Erasing does not make a cut line whole: what was dropped is not known. */
static void test_a_longer_line_is_not_run_after_backspaces(void **state)
{
	(void)state;
	type_spaced("faults", 60, "\b\b\b\b\b\b\b\b\b\b\r");
	assert_log("I: shell: line longer than 63 characters: not run\n");
	assert_calls("");
}

/*
 * A cut line erased whole (63 Backspaces: an empty prompt) leaves nothing of
 * it: the line typed next is run.
 */
static void test_a_line_typed_after_erasing_a_cut_one_whole_is_run(void **state)
{
	(void)state;
	type_spaced("faults", 60, "");
	for (int i = 0; i < SHELL_LINE_MAX - 1; i++)
		type("\b");
	fake_log_reset();
	type("faults\r");
	assert_log("");
	assert_calls("faults; ");
}

/* The next line is taken as usual. */
static void test_the_line_after_a_longer_one_is_run(void **state)
{
	(void)state;
	type_spaced("faults", 60, "\r");
	fake_log_reset();
	type("faults\r");
	assert_log("");
	assert_calls("faults; ");
}

static void test_the_prompt_shows_the_unfinished_line_again(void **state)
{
	(void)state;
	type("resta");
	shell_prompt();
	assert_raw("restabulkhead> resta");
	type("rt beta\r");
	assert_calls("find beta; restart beta shell; ");
}

static void test_the_prompt_of_an_empty_line_is_the_prompt_alone(void **state)
{
	(void)state;
	type("ab\b\b");
	raw[0] = '\0';
	shell_prompt();
	assert_raw("bulkhead> ");
}

/* --- words and commands --------------------------------------------------------- */

static void test_words_are_split_on_any_run_of_spaces(void **state)
{
	(void)state;
	type("   stop    beta   \r");
	assert_calls("find beta; stop beta shell; ");
	assert_log("");
}

static void test_an_unknown_command_is_named(void **state)
{
	(void)state;
	assert_answer("frobnicate beta\r", "I: shell: unknown command \"frobnicate\" (try help)\n");
}

static void test_a_command_is_known_by_its_whole_name_only(void **state)
{
	(void)state;
	assert_answer("lis\rlists\rLIST\rhelp?\r",
		      "I: shell: unknown command \"lis\" (try help)\n"
		      "I: shell: unknown command \"lists\" (try help)\n"
		      "I: shell: unknown command \"LIST\" (try help)\n"
		      "I: shell: unknown command \"help?\" (try help)\n");
}

static void test_a_cell_command_without_its_cell_answers_its_usage(void **state)
{
	(void)state;
	assert_answer("stop\rstart\rrestart\rirqs\r", "I: shell: usage: stop CELL\n"
						      "I: shell: usage: start CELL\n"
						      "I: shell: usage: restart CELL\n"
						      "I: shell: usage: irqs CELL\n");
}

static void test_a_cell_command_with_two_cells_answers_its_usage(void **state)
{
	(void)state;
	assert_answer("stop alpha beta\rstart alpha beta\rrestart alpha beta\rirqs alpha beta\r",
		      "I: shell: usage: stop CELL\n"
		      "I: shell: usage: start CELL\n"
		      "I: shell: usage: restart CELL\n"
		      "I: shell: usage: irqs CELL\n");
}

static void test_a_command_of_no_argument_given_one_answers_its_usage(void **state)
{
	(void)state;
	assert_answer("help x\r? x\rlist x\rmem x\rfaults x\r", "I: shell: usage: help\n"
								"I: shell: usage: ?\n"
								"I: shell: usage: list\n"
								"I: shell: usage: mem\n"
								"I: shell: usage: faults\n");
}

static void test_stats_with_two_arguments_answers_its_usage(void **state)
{
	(void)state;
	assert_answer("stats reset reset\r", "I: shell: usage: stats [reset]\n");
	assert_true(stats_since == 0);
}

/* More words than the shell keeps (a command and one argument): counted, never stored. */
static void test_a_line_of_many_words_answers_the_usage(void **state)
{
	(void)state;
	assert_answer("stop a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2\r",
		      "I: shell: usage: stop CELL\n");
}

/* --- the commands --------------------------------------------------------------- */

static void test_help_and_question_mark_list_the_commands(void **state)
{
	static const char help[] =
		"I: shell: list | stop CELL | start CELL | restart CELL | irqs CELL | stats "
		"[reset] | faults | mem | help\n"
		"I: shell: CELL is a label or an index; Ctrl-] n returns input to a cell\n";
	char twice[2 * sizeof(help)];

	(void)state;
	snprintf(twice, sizeof(twice), "%s%s", help, help);
	assert_answer("help\r?\r", twice);
}

static void test_list_shows_every_cell_its_state_cpus_memory_boots_faults_and_uptime(void **state)
{
	(void)state;
	assert_answer(
		"list\r",
		"I: shell: id label            state    cpus   memory  boots faults uptime\n"
		"I: shell: 0  alpha            running  1        64 MiB     1      0    12s\n"
		"I: shell: 1  beta             running  3        64 MiB     2      3     4s\n"
		"I: shell: 2  gamma            refused  2        16 MiB     0      0     0s\n"
		"I: shell: 3  delta            failed   1       128 MiB     1      1     0s\n"
		"I: shell: 4  beta2            stopped  1         1 MiB     0      0     0s\n");
}

/* Only a running cell has an uptime, and a start after the counter was read has none yet. */
static void test_list_gives_uptime_to_a_running_cell_started_before_now_only(void **state)
{
	(void)state;
	cells[0].state = CELL_LOADING;
	cells[1].started_at = now + FREQ;
	cells[4].state = CELL_STOPPING;
	cells[4].started_at = 10 * FREQ;
	cells_nr = 2;
	assert_answer(
		"list\r",
		"I: shell: id label            state    cpus   memory  boots faults uptime\n"
		"I: shell: 0  alpha            loading  1        64 MiB     1      0     0s\n"
		"I: shell: 1  beta             running  3        64 MiB     2      3     0s\n");
	cells_nr = NR_CELLS;
	fake_log_reset();
	cells[1].started_at = now;
	type("list\r");
	assert_logged(
		"I: shell: 1  beta             running  3        64 MiB     2      3     0s\n");
	assert_logged(
		"I: shell: 4  beta2            stopping 1         1 MiB     0      0     0s\n");
}

static void test_mem_logs_the_hypervisors_memory(void **state)
{
	(void)state;
	assert_answer("mem\r", "I: shell: hypervisor memory: image 300 KiB; EL2 tables 12/64; "
			       "stage-2 tables 40/512 (alpha 0, beta 10, gamma 20, delta 30, "
			       "beta2 40)\n");
}

static void test_faults_prints_the_fault_log(void **state)
{
	(void)state;
	type("faults\r");
	assert_calls("faults; ");
	assert_log("");
}

#define STATS_HEADER                                                                          \
	"I: shell: cpu cell             vcpu      hvc      smc     mmio   sysreg      sgi   " \
	"   wfi    other      irq     kick\n"

/* One row per vCPU of every cell, in cell order; the refused cell has none. */
static void test_stats_since_boot_counts_each_vcpus_cpu(void **state)
{
	(void)state;
	assert_answer("stats\r", "I: shell: since boot\n" STATS_HEADER
				 "I: shell: 0   alpha               0     1000     1001     1002 "
				 "    1003     1004     1005     1006     1007     1008\n"
				 "I: shell: 1   beta                0     2000     2001     2002 "
				 "    2003     2004     2005     2006     2007     2008\n"
				 "I: shell: 2   beta                1     3000     3001     3002 "
				 "    3003     3004     3005     3006     3007     3008\n"
				 "I: shell: 3   beta                2     4000     4001     4002 "
				 "    4003     4004     4005     4006     4007     4008\n"
				 "I: shell: 4   delta               0     5000     5001     5002 "
				 "    5003     5004     5005     5006     5007     5008\n"
				 "I: shell: 5   beta2               0     6000     6001     6002 "
				 "    6003     6004     6005     6006     6007     6008\n");
}

/* After a reset each count is what was added since; the window in whole ms. */
static void test_stats_after_a_reset_counts_from_the_reset(void **state)
{
	(void)state;
	type("stats reset\r");
	assert_log("I: shell: stats counts from here on\n");
	assert_true(stats_since == now);
	for (unsigned int cpu = 0; cpu < PLATFORM_MAX_CPUS; cpu++)
		for (unsigned int ev = 0; ev < CPU_EV_NR; ev++)
			events[cpu][ev] += cpu * 10 + ev;
	now += 3 * FREQ + 45 * FREQ / 1000 + 999; /* 3.045999 s */
	cells_nr = 2;
	fake_log_reset();
	assert_answer("stats\r", "I: shell: since stats reset 3.045 s ago\n" STATS_HEADER
				 "I: shell: 0   alpha               0        0        1        2 "
				 "       3        4        5        6        7        8\n"
				 "I: shell: 1   beta                0       10       11       12 "
				 "      13       14       15       16       17       18\n"
				 "I: shell: 2   beta                1       20       21       22 "
				 "      23       24       25       26       27       28\n"
				 "I: shell: 3   beta                2       30       31       32 "
				 "      33       34       35       36       37       38\n");
	now += 411 * FREQ / 1000;
	fake_log_reset();
	type("stats\r");
	assert_logged("I: shell: since stats reset 3.456 s ago\n");
}

/* The base is every CPU's, those of no cell too: a cell's CPU is not the shell's to choose. */
static void test_stats_reset_keeps_every_cpus_counts(void **state)
{
	(void)state;
	type("stats reset\r");
	for (unsigned int cpu = 0; cpu < PLATFORM_MAX_CPUS; cpu++)
		for (unsigned int ev = 0; ev < CPU_EV_NR; ev++)
			assert_true(stats_base[cpu][ev] == (cpu + 1) * 1000 + ev);
}

static void test_stats_with_another_argument_names_it(void **state)
{
	(void)state;
	assert_answer("stats resets\r",
		      "I: shell: stats: unknown argument \"resets\" (stats, or stats reset)\n");
	assert_true(stats_since == 0);
}

/* --- commands on a cell --------------------------------------------------------- */

static void test_stop_start_and_restart_ask_for_the_cell_named_on_the_shells_behalf(void **state)
{
	(void)state;
	type("stop alpha\rstart beta2\rrestart beta\r");
	assert_calls("find alpha; stop alpha shell; find beta2; start beta2 shell; "
		     "find beta; restart beta shell; ");
	assert_log("");
}

static void test_a_cell_is_named_by_its_index_too(void **state)
{
	(void)state;
	type("stop 0\rrestart 4\r");
	assert_calls("find 0; stop alpha shell; find 4; restart beta2 shell; ");
}

static void test_a_cell_that_does_not_exist_is_said_so_and_not_asked_for(void **state)
{
	(void)state;
	type("stop nosuch\rstart 5\rrestart -1\rirqs 99999999999999999999999\rstop bet\r");
	assert_calls("find nosuch; find 5; find -1; find 99999999999999999999999; find bet; ");
	assert_log("I: shell: stop: no cell \"nosuch\" (see list)\n"
		   "I: shell: start: no cell \"5\" (see list)\n"
		   "I: shell: restart: no cell \"-1\" (see list)\n"
		   "I: shell: irqs: no cell \"99999999999999999999999\" (see list)\n"
		   "I: shell: stop: no cell \"bet\" (see list)\n");
}

static void test_irqs_dumps_the_cells_vgic_then_its_virtual_uart(void **state)
{
	(void)state;
	type("irqs beta\rirqs delta\r");
	assert_calls("find beta; vgic_dump beta; vuart_dump beta; "
		     "find delta; vgic_dump delta; vuart_dump delta; ");
	assert_log("");
}

static void test_irqs_of_a_refused_cell_says_so_and_dumps_nothing(void **state)
{
	(void)state;
	type("irqs gamma\r");
	assert_calls("find gamma; ");
	assert_log("I: shell: irqs gamma: not done (refused at boot: a CPU or PCI function it "
		   "names; the boot log says why)\n");
}

/* What each refusal of manage.c reads as: command, cell, and why. */
static void assert_refusal(const char *keys, int err, enum cell_state state, const char *log)
{
	fake_log_reset();
	manage_answers(err, state);
	type(keys);
	assert_log(log);
}

static void test_a_refused_cell_takes_no_request(void **state)
{
	(void)state;
	assert_refusal("start gamma\r", -ENODEV, CELL_STOPPED,
		       "I: shell: start gamma: not done (refused at boot: a CPU or PCI function it "
		       "names; the boot log says why)\n");
}

static void test_a_failed_cell_takes_no_request(void **state)
{
	(void)state;
	assert_refusal("restart delta\r", -EIO, CELL_STOPPED,
		       "I: shell: restart delta: not done (failed: a CPU it runs on parked after a "
		       "hypervisor fault, which the log reports; it is stopped until the system "
		       "restarts)\n");
}

static void test_a_request_for_a_cell_in_the_state_asked_for_says_which(void **state)
{
	(void)state;
	assert_refusal("stop beta2\r", -EALREADY, CELL_STOPPED,
		       "I: shell: stop beta2: not done (already stopped)\n");
	assert_refusal("start alpha\r", -EALREADY, CELL_RUNNING,
		       "I: shell: start alpha: not done (already running)\n");
}

/*
 * The same cell asked for again and again while it restarts: a stop is queued
 * once, then on its way; a start or restart is busy, its state named.
 */
static void test_repeated_requests_while_a_cell_restarts(void **state)
{
	(void)state;
	assert_refusal("stop beta\r", -EINPROGRESS, CELL_LOADING,
		       "I: shell: stop beta: queued (a restart or start is under way: the cell "
		       "stops instead of running again)\n");
	assert_refusal("stop beta\r", -EEXIST, CELL_LOADING,
		       "I: shell: stop beta: not done (already on its way to stopped)\n");
	assert_refusal("stop beta\r", -EEXIST, CELL_STOPPING,
		       "I: shell: stop beta: not done (already on its way to stopped)\n");
	assert_refusal("restart beta\r", -EBUSY, CELL_STOPPING,
		       "I: shell: restart beta: not done (busy: stopping; try again)\n");
	assert_refusal("start beta\r", -EBUSY, CELL_LOADING,
		       "I: shell: start beta: not done (busy: loading; try again)\n");
	assert_calls("find beta; stop beta shell; find beta; stop beta shell; "
		     "find beta; stop beta shell; find beta; restart beta shell; "
		     "find beta; start beta shell; ");
}

/*
 * The call's answer says what refused it, not the state read after: a stop
 * refused as stopped, the cell started since, is "already stopped"; a start
 * or restart refused as running, the cell restarting itself since, "already
 * running"; a stop refused as one under way, done since, still "on its way
 * to stopped"; busy, the move done since, says the cell was moving.
 */
static void test_a_refusal_is_worded_from_the_calls_answer_not_the_state_after(void **state)
{
	(void)state;
	assert_refusal("stop beta2\r", -EALREADY, CELL_LOADING,
		       "I: shell: stop beta2: not done (already stopped)\n");
	assert_refusal("start alpha\r", -EALREADY, CELL_STOPPING,
		       "I: shell: start alpha: not done (already running)\n");
	assert_refusal("restart beta\r", -EALREADY, CELL_LOADING,
		       "I: shell: restart beta: not done (already running)\n");
	assert_refusal("stop beta\r", -EEXIST, CELL_STOPPED,
		       "I: shell: stop beta: not done (already on its way to stopped)\n");
	assert_refusal(
		"restart beta\r", -EBUSY, CELL_RUNNING,
		"I: shell: restart beta: not done (busy: it was stopping or loading; try again)\n");
	assert_refusal(
		"start beta\r", -EBUSY, CELL_STOPPED,
		"I: shell: start beta: not done (busy: it was stopping or loading; try again)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_a_command_is_echoed_run_at_enter_and_followed_by_a_prompt, setup),
		cmocka_unit_test_setup(test_line_feed_ends_a_line_as_carriage_return_does, setup),
		cmocka_unit_test_setup(test_cr_lf_ends_one_line, setup),
		cmocka_unit_test_setup(test_a_lone_cr_or_lf_still_ends_a_line, setup),
		cmocka_unit_test_setup(test_cr_lf_ending_a_control_string_is_one_line_end, setup),
		cmocka_unit_test_setup(test_a_cr_does_not_take_a_lf_typed_after_the_keyboard_left,
				       setup),
		cmocka_unit_test_setup(test_the_line_is_empty_again_after_enter, setup),
		cmocka_unit_test_setup(test_a_line_ends_where_it_was_typed_to, setup),
		cmocka_unit_test_setup(test_an_empty_or_blank_line_runs_nothing_and_prompts_again,
				       setup),
		cmocka_unit_test_setup(test_nul_and_control_bytes_are_neither_echoed_nor_kept,
				       setup),
		cmocka_unit_test_setup(
			test_c1_controls_that_start_nothing_are_neither_echoed_nor_kept, setup),
		cmocka_unit_test_setup(test_a_character_not_ascii_is_kept_as_one_question_mark,
				       setup),
		cmocka_unit_test_setup(test_utf8_characters_are_not_taken_for_c1_controls, setup),
		cmocka_unit_test_setup(test_a_utf8_character_is_as_long_as_its_lead_byte_says,
				       setup),
		cmocka_unit_test_setup(test_a_utf8_character_does_not_outlast_the_keyboard_leaving,
				       setup),
		cmocka_unit_test_setup(test_space_and_tilde_are_kept, setup),
		cmocka_unit_test_setup(test_backspace_and_delete_erase_the_last_character, setup),
		cmocka_unit_test_setup(test_backspace_at_column_0_does_nothing, setup),
		cmocka_unit_test_setup(test_tab_between_words_is_a_space, setup),
		cmocka_unit_test_setup(test_tab_completes_a_command_and_a_space_after_it, setup),
		cmocka_unit_test_setup(
			test_tab_completes_a_cell_as_far_as_the_cells_it_can_be_agree, setup),
		cmocka_unit_test_setup(test_tab_after_the_start_of_several_names_adds_nothing,
				       setup),
		cmocka_unit_test_setup(test_tab_completes_the_argument_of_stats, setup),
		cmocka_unit_test_setup(test_tab_after_a_word_no_name_starts_is_a_space, setup),
		cmocka_unit_test_setup(test_tab_completing_past_the_lines_end_cuts_it, setup),
		cmocka_unit_test_setup(test_arrow_keys_are_not_typed, setup),
		cmocka_unit_test_setup(test_function_keys_are_not_typed, setup),
		cmocka_unit_test_setup(test_a_cursor_position_report_is_not_typed, setup),
		cmocka_unit_test_setup(test_escape_then_another_key_types_the_key, setup),
		cmocka_unit_test_setup(test_enter_inside_a_sequence_runs_the_line, setup),
		cmocka_unit_test_setup(test_a_sequence_is_ended_by_a_byte_it_cannot_hold, setup),
		cmocka_unit_test_setup(
			test_a_sequence_holds_bytes_from_space_and_ends_at_a_final_byte_from_at,
			setup),
		cmocka_unit_test_setup(test_focus_reports_are_not_typed, setup),
		cmocka_unit_test_setup(
			test_c1_csi_and_ss3_are_escape_sequences_as_their_7_bit_forms, setup),
		cmocka_unit_test_setup(test_c1_csi_inside_a_sequence_starts_another, setup),
		cmocka_unit_test_setup(test_a_sequence_does_not_outlast_the_keyboard_leaving,
				       setup),
		cmocka_unit_test_setup(test_an_osc_answer_ended_by_st_is_not_typed, setup),
		cmocka_unit_test_setup(test_bel_can_and_sub_end_a_control_string, setup),
		cmocka_unit_test_setup(test_dcs_sos_pm_and_apc_strings_are_not_typed, setup),
		cmocka_unit_test_setup(test_c1_control_strings_are_not_typed, setup),
		cmocka_unit_test_setup(test_a_utf8_character_in_a_control_string_does_not_end_it,
				       setup),
		cmocka_unit_test_setup(test_enter_ends_a_c1_control_string_and_its_line_is_not_run,
				       setup),
		cmocka_unit_test_setup(test_escape_inside_a_control_string_ends_it_only_as_st,
				       setup),
		cmocka_unit_test_setup(test_enter_ends_a_control_string_and_its_line_is_not_run,
				       setup),
		cmocka_unit_test_setup(test_a_control_string_does_not_outlast_the_keyboard_leaving,
				       setup),
		cmocka_unit_test_setup(test_a_line_of_63_characters_is_run_whole, setup),
		cmocka_unit_test_setup(test_a_longer_line_is_not_run, setup),
		cmocka_unit_test_setup(test_a_longer_line_is_not_run_after_backspaces, setup),
		cmocka_unit_test_setup(test_a_line_typed_after_erasing_a_cut_one_whole_is_run,
				       setup),
		cmocka_unit_test_setup(test_the_line_after_a_longer_one_is_run, setup),
		cmocka_unit_test_setup(test_the_prompt_shows_the_unfinished_line_again, setup),
		cmocka_unit_test_setup(test_the_prompt_of_an_empty_line_is_the_prompt_alone, setup),
		cmocka_unit_test_setup(test_words_are_split_on_any_run_of_spaces, setup),
		cmocka_unit_test_setup(test_an_unknown_command_is_named, setup),
		cmocka_unit_test_setup(test_a_command_is_known_by_its_whole_name_only, setup),
		cmocka_unit_test_setup(test_a_cell_command_without_its_cell_answers_its_usage,
				       setup),
		cmocka_unit_test_setup(test_a_cell_command_with_two_cells_answers_its_usage, setup),
		cmocka_unit_test_setup(test_a_command_of_no_argument_given_one_answers_its_usage,
				       setup),
		cmocka_unit_test_setup(test_stats_with_two_arguments_answers_its_usage, setup),
		cmocka_unit_test_setup(test_a_line_of_many_words_answers_the_usage, setup),
		cmocka_unit_test_setup(test_help_and_question_mark_list_the_commands, setup),
		cmocka_unit_test_setup(
			test_list_shows_every_cell_its_state_cpus_memory_boots_faults_and_uptime,
			setup),
		cmocka_unit_test_setup(
			test_list_gives_uptime_to_a_running_cell_started_before_now_only, setup),
		cmocka_unit_test_setup(test_mem_logs_the_hypervisors_memory, setup),
		cmocka_unit_test_setup(test_faults_prints_the_fault_log, setup),
		cmocka_unit_test_setup(test_stats_since_boot_counts_each_vcpus_cpu, setup),
		cmocka_unit_test_setup(test_stats_after_a_reset_counts_from_the_reset, setup),
		cmocka_unit_test_setup(test_stats_reset_keeps_every_cpus_counts, setup),
		cmocka_unit_test_setup(test_stats_with_another_argument_names_it, setup),
		cmocka_unit_test_setup(
			test_stop_start_and_restart_ask_for_the_cell_named_on_the_shells_behalf,
			setup),
		cmocka_unit_test_setup(test_a_cell_is_named_by_its_index_too, setup),
		cmocka_unit_test_setup(test_a_cell_that_does_not_exist_is_said_so_and_not_asked_for,
				       setup),
		cmocka_unit_test_setup(test_irqs_dumps_the_cells_vgic_then_its_virtual_uart, setup),
		cmocka_unit_test_setup(test_irqs_of_a_refused_cell_says_so_and_dumps_nothing,
				       setup),
		cmocka_unit_test_setup(test_a_refused_cell_takes_no_request, setup),
		cmocka_unit_test_setup(test_a_failed_cell_takes_no_request, setup),
		cmocka_unit_test_setup(test_a_request_for_a_cell_in_the_state_asked_for_says_which,
				       setup),
		cmocka_unit_test_setup(test_repeated_requests_while_a_cell_restarts, setup),
		cmocka_unit_test_setup(
			test_a_refusal_is_worded_from_the_calls_answer_not_the_state_after, setup),
	};

	return cmocka_run_group_tests_name("shell", tests, NULL, NULL);
}
