// SPDX-License-Identifier: GPL-2.0-only
/*
 * A stop asked for while a cell restarts or starts (partitions/manage.c,
 * partitions/cell.c). A cell restarting itself in a loop is RUNNING for
 * moments only, between reloads that take most of each cycle: a stop refused
 * as busy while it is STOPPING or LOADING could, in effect, never be taken.
 * It is queued instead, and the transition under way ends STOPPED.
 *
 * One host thread plays every CPU: arch_cpu_index() says which one runs.
 * beta's vCPU 0 runs on CPU 1; the shell, on CPU 0, is called from the
 * fakes at the step of the restart that a real shell would reach meanwhile
 * (the reload: cell_load(); the stop half: vuart_flush()). Leaving the guest
 * (arch_vcpu_exit_to_loop()) jumps back to the test. Also the line a boot
 * prints as it enters the guest (cell_cpu_loop(): log_guest_entry()). And a
 * cell that loses a CPU to a fault at EL2 (partitions/cell_lost.c): stopped
 * for good, whatever it was doing, and nothing waits for that CPU. And a
 * system halt (partitions/halt.c, played by halt_if_halting() here) that a
 * reload outlasts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "fake_log.h"
#include "fault.h"
#include "gic.h"
#include "guest_dt.h"
#include "halt.h"
#include "hypercall.h"
#include "manage.h"
#include "memstat.h"
#include "pci.h"
#include "smmu.h"
#include "vgic.h"
#include "vgic_hw.h"
#include "vuart.h"

#define SHELL_CPU 0
#define BETA_CPU  1

static struct layout_cell alpha_cfg = { .label = "alpha", .nr_cpus = 1, .management = true };
static struct layout_cell beta_cfg = { .label = "beta",
				       .nr_cpus = 1,
				       .on_fault = LAYOUT_ON_FAULT_RESTART };
/* beta under on-fault "halt-system": the system must not run on without it. */
static const struct layout_cell beta_halting_cfg = { .label = "beta",
						     .nr_cpus = 1,
						     .on_fault = LAYOUT_ON_FAULT_HALT_SYSTEM };
static struct cell *const alpha = &cells[0];
static struct cell *const beta = &cells[1];

static unsigned int self;
static uint64_t now;
static jmp_buf *loop;  /* where arch_vcpu_exit_to_loop() lands: the CPU's cell_cpu_loop() */
static jmp_buf *guest; /* where arch_vcpu_enter() lands, if a test lets a vCPU enter */
static uint64_t counter_hz;
static unsigned int loads, quiesces;
static int quiesce_result; /* what pci_cell_quiesce() says: 0, or its DMA could not be stopped */

/* What the shell does, at which step of beta's transition, and what it was told. */
enum step {
	AT_NONE,
	AT_STOP_HALF,
	AT_QUIESCE,
	AT_SCRUB,
	AT_COPY,
	AT_RELOAD,
	AT_RESUME,
	AT_FIRST_BOOT_END
};
/* Where a CPU takes a fault at EL2 and parks (cell_cpu_lost(), then the test's jump). */
static enum step lose_at;
static unsigned int lose_cpu;
static jmp_buf *parked; /* also where a CPU that finds the system halting parks */
static enum step shell_at;
static int (*shell_does)(struct cell *cell, const char *why);
static unsigned int shell_times;
static int told[2];

static void shell_acts(enum step step)
{
	unsigned int cpu = self;

	if (step != shell_at)
		return;
	self = SHELL_CPU;
	for (unsigned int i = 0; i < shell_times; i++)
		told[i] = shell_does(beta, "shell");
	self = cpu;
	shell_at = AT_NONE;
}

/*
 * CPU lose_cpu faults at EL2 here: what exception.c does after its report.
 * If it is the CPU running this step, it parks: the step never goes on.
 */
static void lose_cpu_at(enum step step)
{
	unsigned int cpu = self;

	if (step != lose_at)
		return;
	lose_at = AT_NONE;
	self = lose_cpu;
	cell_cpu_lost();
	self = cpu;
	if (cpu == lose_cpu)
		longjmp(*parked, 1);
}

/* --- the CPU ----------------------------------------------------------------- */

unsigned int arch_cpu_index(void)
{
	return self;
}

uint64_t arch_cpu_mpidr_of(unsigned int index)
{
	return index;
}

uint64_t arch_counter_read(void)
{
	return now += 1000;
}

uint64_t arch_counter_freq(void)
{
	return counter_hz;
}

/* Armed by a test: a wait that never ends fails it instead. */
static unsigned int relax_limit, relaxes;

/*
 * A holder seen as it lets go of @lets_go_as_it_parks, which CPU
 * next_holder takes at once, and parks (arch_cpu_parked()); next_holder
 * lets go at the waiter's next pause.
 */
static struct spinlock *lets_go_as_it_parks;
static unsigned int next_holder;
static struct spinlock *next_holder_lets_go;

void arch_cpu_relax(void)
{
	unsigned int was = self;

	if (relax_limit && ++relaxes > relax_limit)
		fail_msg("waited %u times for a lock whose holder will never let it go", relaxes);
	if (next_holder_lets_go) {
		self = next_holder;
		spin_unlock(next_holder_lets_go);
		self = was;
		next_holder_lets_go = NULL;
	}
}

/* CPUs that parked for good (arch_cpu_park()). */
static uint32_t parked_cpus;

bool arch_cpu_parked(unsigned int index)
{
	unsigned int was = self;
	struct spinlock *l = lets_go_as_it_parks;

	if (l && l->holder == (uintptr_t)index + 1 /* spin_self() there */) {
		lets_go_as_it_parks = NULL;
		self = index;
		spin_unlock(l);
		self = next_holder;
		spin_lock(l);
		self = was;
		next_holder_lets_go = l;
		parked_cpus |= 1u << index;
	}
	return index < 32 && (parked_cpus & (1u << index));
}

/* Where a CPU with nothing to run waits, if a test lets it (cell_cpu_loop()). */
static jmp_buf *idle;

void arch_cpu_wait_irq(void)
{
	if (idle)
		longjmp(*idle, 1);
	fail_msg("arch_cpu_wait_irq()");
}

/* Where a CPU that parks for good lands, if a test expects one to (spin_wait_lost()). */
static jmp_buf *park_to;
static unsigned int parks;

void arch_cpu_park(void)
{
	parks++;
	parked_cpus |= 1u << self;
	if (park_to)
		longjmp(*park_to, 1);
	fail_msg("arch_cpu_park()");
	abort();
}

/* exception.c's handling of spin_lock()'s BRK (include/spinlock.h), on a cell's CPU. */
void spin_wait_lost(const struct spinlock *l)
{
	(void)l;
	if (cell_cpu_waits_lost())
		cell_cpu_lost();
	arch_cpu_park();
}

void console_flush(void)
{
}

/*
 * on-fault "halt-system" with a firmware that left the board on (partitions/halt.c):
 * the halt comes at step halt_at, on another CPU; a CPU that looks then parks (the
 * test's jump to parked).
 */
static enum step halt_at;
static bool halted;

bool halt_claimed(void)
{
	return halted;
}

void halt_if_halting(void)
{
	if (halted)
		longjmp(*parked, 1);
}

void arch_vcpu_enter(struct vcpu *vcpu)
{
	(void)vcpu;
	if (guest)
		longjmp(*guest, 1);
	fail_msg("arch_vcpu_enter()");
	abort();
}

/*
 * Back in cell_cpu_loop(), which first says its vCPU is out of the guest,
 * then takes a reload left to it (cell_take_reload_left()): the test's jump
 * comes after that, as a real CPU's wait does.
 */
void arch_vcpu_exit_to_loop(void)
{
	struct vcpu *v = vcpu_of_pcpu(self);

	if (v) {
		v->in_guest = false;
		cell_take_reload_left(v);
	}
	longjmp(*loop, 1);
}

/* What a reload gives back before it starts the cell: its memory, its DMA. */
static unsigned int stage2_given_back, dma_resumed, stage2_revoked;

void arch_stage2_revoke(struct cell *cell, bool revoke)
{
	(void)cell;
	stage2_given_back += !revoke;
	stage2_revoked += revoke;
}

unsigned int arch_stage2_tables(const struct cell *cell)
{
	(void)cell;
	return 0;
}

/* A direct cell's vCPU in WFI with its kick held off (docs/vgic.md): it never leaves. */
static unsigned int holds_kick = ~0u;

/* A kicked CPU whose vCPU was turned off leaves the guest (cell_kick_handler()). */
void gic_kick(unsigned int cpu)
{
	struct vcpu *v = vcpu_of_pcpu(cpu);

	if (v && v->power == VCPU_OFF && v->pcpu != holds_kick)
		v->in_guest = false;
}

void memstat_read(struct memstat *m)
{
	memset(m, 0, sizeof(*m));
}

/* --- the cell's devices and image --------------------------------------------- */

/*
 * A load's steps (cell_load_step()): scrub_steps of the scrub, then
 * copy_steps of the kernel's and initrd's copies, each counted with the
 * interrupt windows and the state it saw; the shell acts, a CPU is lost or
 * the system halts at the scrub's step numbered scrub_step_acts (AT_SCRUB)
 * or the copy's numbered copy_step_acts (AT_COPY). The last step, the
 * device tree's, counts a load (AT_RELOAD).
 */
static unsigned int scrub_steps, steps_scrubbed, scrub_step_acts, windows_at_step[8];
static unsigned int copy_steps, steps_copied, copy_step_acts;
static unsigned int irq_windows; /* arch_irq_window()s opened */
static enum cell_state state_at_step[8];
static enum vcpu_power power_at_step[8];

/* A load begins: from the first byte of the scrub. */
void cell_load_begin(struct cell *cell)
{
	assert_ptr_equal(cell, beta);
	steps_scrubbed = steps_copied = 0;
}

static void step_acts(enum step step)
{
	shell_acts(step);
	lose_cpu_at(step);
	if (halt_at == step)
		halted = true; /* the halt revoked every stage 2; it aborts every cell's DMA */
}

/* One of the scrub's or copies' steps: what it saw, and acts if it is the one. */
static int step_taken(struct cell *cell)
{
	unsigned int n = steps_scrubbed + steps_copied;
	bool scrub = steps_scrubbed < scrub_steps;

	if (n < 8) {
		windows_at_step[n] = irq_windows;
		state_at_step[n] = cell->state;
		power_at_step[n] = cell->vcpus[0].power;
	}
	if (scrub && ++steps_scrubbed == scrub_step_acts)
		step_acts(AT_SCRUB);
	else if (!scrub && ++steps_copied == copy_step_acts)
		step_acts(AT_COPY);
	return 1;
}

/* As partitions/cell_load.c refuses a cell this CPU is not loading (a hypervisor bug). */
int cell_load_step(struct cell *cell, const struct platform *plat, const void *board_fdt)
{
	(void)plat;
	(void)board_fdt;
	assert_ptr_equal(cell, beta);
	if (cell->state != CELL_LOADING) {
		log_err("cell %s: load refused: the cell is %s, not loading", cell->cfg->label,
			cell_state_name(cell->state));
		return -EBUSY;
	}
	if (steps_scrubbed < scrub_steps || steps_copied < copy_steps)
		return step_taken(cell);
	loads++;
	step_acts(AT_RELOAD);
	return 0;
}

int pci_cell_quiesce(struct cell *cell)
{
	(void)cell;
	quiesces++;
	lose_cpu_at(AT_QUIESCE);
	return quiesce_result;
}

/*
 * arch_serror_take_for(): the windows opened, the last one's cell and CPU
 * and how many quiesces had run by then; arch_serror_pending() says
 * serror_pending_before.
 */
static unsigned int serror_windows, window_cpu, quiesces_at_window;
static struct cell *window_cell;
static bool serror_pending_before;

bool arch_serror_pending(void)
{
	return serror_pending_before;
}

void arch_serror_take_for(struct cell *cell)
{
	serror_windows++;
	window_cell = cell;
	window_cpu = self;
	quiesces_at_window = quiesces;
}

/* Whether beta has a function a reload resets (an FLR it waits up to 100 ms for). */
static bool beta_reload_resets;
/* pci_reset_left(): whether beta has a function whose reset is not over. */
static bool beta_reset_left;

int pci_cell_quiesce_for_reload(struct cell *cell)
{
	int ret = pci_cell_quiesce(cell);

	if (cell == beta && beta_reload_resets)
		beta_reset_left = true;
	return ret;
}

/* pci_reset_step(): how many calls find a reset still under way, and the windows between. */
static unsigned int reset_steps_left, windows_at_start;

bool pci_reset_step(const struct cell *cell)
{
	if (cell != beta || !beta_reset_left || !reset_steps_left)
		return false;
	reset_steps_left--;
	return true;
}

void arch_irq_window(void)
{
	irq_windows++;
}

/* pci_reset_end(): called, and beta's boot vCPU and state then. */
static unsigned int first_boot_ends;

static enum vcpu_power power_at_first_boot_end;
static enum cell_state state_at_first_boot_end;

/* The CPU that ended the first boot's PCI resets. */
static unsigned int first_boot_end_cpu;

bool pci_reset_left(const struct cell *cell)
{
	return cell == beta && beta_reset_left;
}

void pci_reset_end(const struct cell *cell)
{
	if (cell == beta)
		beta_reset_left = false;
	windows_at_start = irq_windows;
	first_boot_ends++;
	first_boot_end_cpu = self;
	power_at_first_boot_end = cell->vcpus[0].power;
	state_at_first_boot_end = cell->state;
	lose_cpu_at(AT_FIRST_BOOT_END);
}

/*
 * Its DMA back, after its queue's own drain (smmu_events.c), whose records
 * of the boot that ended halt the system under on-fault halt-system (or
 * another CPU's drain did, just before).
 */
void smmu_cell_resume(struct cell *cell)
{
	(void)cell;
	dma_resumed++;
	if (halt_at == AT_RESUME)
		halted = true;
}

/*
 * A failed cell's streams aborted by one of its CPUs (cell_lost.c), not by
 * a stop's quiesce (pci_cell_quiesce() above): how often, by which CPU.
 */
static unsigned int streams_aborted, streams_aborted_by;

int smmu_cell_abort(struct cell *cell)
{
	assert_ptr_equal(cell, beta);
	streams_aborted++;
	streams_aborted_by = self;
	return 0;
}

bool smmu_enabled(void)
{
	return true;
}

int vgic_hw_cell_init(struct cell *cell)
{
	(void)cell;
	return 0;
}

void vgic_hw_cell_start(struct cell *cell)
{
	(void)cell;
}

/* No cell rings another here: a kick finds no doorbell to raise. */
void shm_doorbells_raise(struct vcpu *v)
{
	fail_msg("cell %s: a doorbell raised, none rung", v->cell->cfg->label);
}

void vgic_hw_cell_stop(struct cell *cell)
{
	(void)cell;
}

/* What vgic_hw_cpu_init() says: 0, or a direct cell's CPU cannot take Group 0 (-ENODEV). */
static int cpu_init_result;

int vgic_hw_cpu_init(struct vcpu *vcpu)
{
	(void)vcpu;
	return cpu_init_result;
}

void vgic_hw_vuart_input(struct cell *cell)
{
	(void)cell;
}

/* gic/vgic_dump.c's copy of an interrupt: these tests' `irqs` never get that far. */
struct vgic_irq *vgic_irq(struct vgic_cell *v, unsigned int vcpu, uint32_t intid)
{
	(void)v;
	fail_msg("vgic_irq(vcpu%u, INTID %u): the dump went past a lock a lost CPU holds", vcpu,
		 intid);
	return NULL;
}

void vuart_reset(struct vuart *vu, const char *label)
{
	(void)vu;
	(void)label;
}

/* Each stop and restart flushes the console once its vCPUs are out: the stop half. */
void vuart_flush(struct vuart *vu, bool quiet)
{
	(void)vu;
	(void)quiet;
	shell_acts(AT_STOP_HALF);
	if (halt_at == AT_STOP_HALF)
		halted = true;
}

void watchdog_kick(struct cell *cell)
{
	(void)cell;
}

void watchdog_cpu_init(struct vcpu *vcpu)
{
	(void)vcpu;
}

/* Management calls refused (fault_denied()): a failure unless the test expects them. */
static bool denials_expected;
static unsigned int denials;

void fault_denied(struct vcpu *vcpu, uint32_t fid)
{
	if (!denials_expected)
		fail_msg("%s's management call 0x%x refused", vcpu->cell->cfg->label, fid);
	assert_ptr_equal(vcpu->cell, beta); /* the one not marked management */
	denials++;
}

/* A lost CPU's cell under on-fault halt-system: halt_system(), which never returns there. */
static unsigned int policies;
static struct cell *policy_cell;
static const char *policy_why;

void fault_apply_policy(struct cell *cell, const char *why)
{
	policies++;
	policy_cell = cell;
	policy_why = why;
}

/* The device tree build's lock, let go by the lost CPU if it held it (guest_dt.c). */
static unsigned int dt_builds_let_go;
static unsigned int dt_build_let_go_by;

void guest_dt_cpu_lost(void)
{
	dt_builds_let_go++;
	dt_build_let_go_by = self;
}

/* --- helpers ----------------------------------------------------------------- */

static void make_cell(struct cell *c, const struct layout_cell *cfg, unsigned int id)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->id = id;
	c->nr_vcpus = 1;
	c->vcpus[0] = (struct vcpu){ .cell = c, .index = 0, .pcpu = id, .power = VCPU_ON };
	c->state = CELL_RUNNING;
	c->boots = 5;
	cells_pcpu_vcpu[id] = &c->vcpus[0];
}

static int setup(void **state)
{
	(void)state;
	make_cell(alpha, &alpha_cfg, 0);
	make_cell(beta, &beta_cfg, 1);
	cells_pcpu_vcpu[2] = cells_pcpu_vcpu[3] = NULL;
	cells_nr = 2;
	counter_hz = 1000000;
	lose_at = AT_NONE;
	guest = NULL;
	loads = quiesces = 0;
	quiesce_result = 0;
	first_boot_ends = 0;
	first_boot_end_cpu = ~0u;
	beta_reset_left = false;
	beta_reload_resets = false;
	serror_windows = quiesces_at_window = 0;
	window_cpu = ~0u;
	window_cell = NULL;
	serror_pending_before = false;
	reset_steps_left = irq_windows = windows_at_start = 0;
	scrub_steps = steps_scrubbed = scrub_step_acts = 0;
	copy_steps = steps_copied = copy_step_acts = 0;
	idle = NULL;
	shell_at = AT_NONE;
	holds_kick = ~0u;
	beta_cfg.irq_mode = LAYOUT_IRQ_EMULATED;
	policies = 0;
	policy_cell = NULL;
	policy_why = NULL;
	halt_at = AT_NONE;
	halted = false;
	stage2_given_back = dma_resumed = stage2_revoked = 0;
	streams_aborted = 0;
	streams_aborted_by = ~0u;
	beta_cfg.nr_pci = 0;
	dt_builds_let_go = 0;
	dt_build_let_go_by = ~0u;
	shell_times = 1;
	told[0] = told[1] = 0;
	relax_limit = relaxes = 0;
	park_to = NULL;
	parks = 0;
	parked_cpus = 0;
	lets_go_as_it_parks = next_holder_lets_go = NULL;
	cpu_init_result = 0;
	denials_expected = false;
	denials = 0;
	fake_log_reset();
	return 0;
}

/* beta's vCPU 0 calls PSCI SYSTEM_RESET, as tests/guests/reset_storm.c does at every boot. */
static void beta_resets_itself(void)
{
	jmp_buf back;

	self = BETA_CPU;
	loop = &back;
	if (!setjmp(back))
		cell_restart(beta, "PSCI SYSTEM_RESET");
}

/* beta resets itself, and the system halts at step @at, on another CPU: CPU 1 parks when it looks.
 */
static void beta_resets_itself_as_the_system_halts(enum step at)
{
	jmp_buf halted_here;

	halt_at = at;
	parked = &halted_here;
	if (!setjmp(halted_here))
		beta_resets_itself();
	parked = NULL;
}

static void assert_beta_stopped(void)
{
	if (beta->state != CELL_STOPPED)
		fail_msg("beta is %s, not stopped; log:\n%s", cell_state_name(beta->state),
			 fake_log_text());
	assert_int_equal(beta->boots, 5);
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF); /* its boot vCPU was not turned on */
	assert_null(beta->stop_why);			  /* a later start is not stopped */
}

static int shell_stop(struct cell *cell, const char *why)
{
	return manage_stop(cell, why);
}

/* Another vCPU of beta powers the cell off (PSCI SYSTEM_OFF), or faults under on-fault "stop". */
static int vcpu_powers_off(struct cell *cell, const char *why)
{
	(void)why;
	cell_stop(cell, "PSCI SYSTEM_OFF");
	return 0;
}

static int vcpu_faults_stop(struct cell *cell, const char *why)
{
	(void)why;
	cell_stop(cell, "fault");
	return 0;
}

/*
 * A DMA fault of boot #5 whose policy comes from the SMMU interrupt on
 * another CPU (fault_policy_async() -> manage.c), naming the boot.
 */
static int dma_fault_restarts_boot_5(struct cell *cell, const char *why)
{
	(void)why;
	return manage_restart_async(cell, "DMA fault", 5);
}

static int dma_fault_stops_boot_5(struct cell *cell, const char *why)
{
	(void)why;
	return manage_stop_async(cell, "DMA fault", 5);
}

/* fault.c's longest reason to stop a cell: a stage-2 fault not the guest's
 * (fault_stage2_not_guests()). */
static const char longest_stop_why[] =
	"a stage-2 fault of the hypervisor's tables, the hardware or the firmware";

static int vcpu_faults_not_its_own(struct cell *cell, const char *why)
{
	(void)why;
	cell_stop(cell, longest_stop_why);
	return 0;
}

/* --- tests ------------------------------------------------------------------- */

static void test_restart_with_no_stop_runs_the_next_boot(void **state)
{
	(void)state;
	beta_resets_itself();
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->boots, 6);
	assert_int_equal(beta->vcpus[0].power, VCPU_ON_PENDING);
}

static void test_stop_during_a_restarts_reload_ends_it_stopped(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_int_equal(told[0], -EINPROGRESS);
	assert_beta_stopped();
	assert_logged("I: cell beta: stopped (stop requested: shell, instead of boot #6); the "
		      "other cells run on");
	/* Ended at the reload's end: until 2026-11-24 its stage 2 and DMA were given back first. */
	assert_int_equal(stage2_given_back + dma_resumed, 0);
}

static void test_stop_during_a_restarts_stop_half_skips_its_reload(void **state)
{
	(void)state;
	shell_at = AT_STOP_HALF;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_int_equal(told[0], -EINPROGRESS);
	assert_beta_stopped();
	assert_int_equal(loads, 0);
	assert_int_equal(quiesces, 1); /* its devices quiesced as any stop's */
	assert_logged("cell beta: stopped (stop requested: shell, instead of boot #6)");
	assert_not_logged("cell beta: restarting");
}

/*
 * A stop of the cell's own (another vCPU's SYSTEM_OFF, a fault whose policy
 * is to stop) while a restart is under way: until 2026-11-24 it was dropped
 * and the cell booted again, so racing a SYSTEM_RESET escaped the stop.
 */
static void test_own_stop_during_a_restart_ends_it_stopped(void **state)
{
	(void)state;
	shell_at = AT_STOP_HALF;
	shell_does = vcpu_powers_off;
	beta_resets_itself();
	assert_beta_stopped();
	assert_logged("cell beta: stopped (stop requested: PSCI SYSTEM_OFF, instead of boot #6)");
	setup(NULL);
	shell_at = AT_RELOAD;
	shell_does = vcpu_faults_stop;
	beta_resets_itself();
	assert_beta_stopped();
	assert_logged("cell beta: stopped (stop requested: fault, instead of boot #6)");
}

/*
 * A stop queued for the longest reason is told whole, with the boot it
 * cancels: until 2026-11-25 the reason went through an 80-byte buffer, and
 * the line ended "the hardware or the); the other cells run on".
 */
static void test_a_stop_queued_for_the_longest_reason_is_told_whole(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = vcpu_faults_not_its_own;
	beta_resets_itself();
	assert_beta_stopped();
	assert_logged("I: cell beta: stopped (stop requested: a stage-2 fault of the hypervisor's "
		      "tables, the hardware or the firmware, instead of boot #6); the other cells "
		      "run on\n");
}

static void test_second_stop_while_one_is_queued_is_already_done(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = shell_stop;
	shell_times = 2;
	beta_resets_itself();
	assert_int_equal(told[0], -EINPROGRESS);
	assert_int_equal(told[1], -EEXIST);
	assert_beta_stopped();
}

static int shell_restart(struct cell *cell, const char *why)
{
	return manage_restart(cell, why);
}

static void test_restart_during_a_reload_is_still_busy(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = shell_restart;
	beta_resets_itself();
	assert_int_equal(told[0], -EBUSY);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->boots, 6);
}

static void test_stop_during_a_stop_is_already_done(void **state)
{
	jmp_buf back;

	(void)state;
	shell_at = AT_STOP_HALF;
	shell_does = shell_stop;
	self = BETA_CPU;
	loop = &back;
	if (!setjmp(back))
		cell_stop(beta, "PSCI SYSTEM_OFF");
	assert_int_equal(told[0], -EEXIST);
	assert_beta_stopped();
	assert_logged("cell beta: stopped (PSCI SYSTEM_OFF)");
}

/* A management cell's CELL_STOP: x0 = 1, queued (docs/console.md). */
static int management_stop(struct cell *cell, const char *why)
{
	struct smccc_regs regs = { .a = { BULKHEAD_HC_CELL_STOP, cell->id } };

	(void)why;
	manage_hypercall(&alpha->vcpus[0], &regs);
	return (int)regs.a[0];
}

static void test_management_stop_during_a_reload_answers_queued(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = management_stop;
	beta_resets_itself();
	assert_int_equal(told[0], 1);
	assert_beta_stopped();
	assert_logged("cell beta: stopped (stop requested: management call, instead of boot #6)");
}

static void beta_on_two_cpus(void);
static void assert_beta_failed(void);
static void beta_takes_its_request(void);

/*
 * A restart's scrub is beta's CPU's, in its loop after the trap that
 * restarted beta, its interrupts taken between two steps (a kick, the
 * console's, the SMMU's on CPU 0): beta LOADING and its boot vCPU off at
 * every step, the image loaded and the vCPU turned on only after the last.
 * Until 2026-11-25 the whole scrub ran in the trap, interrupts masked (27
 * ms of a 512 MiB cell under -icount, docs/performance.md).
 */
/* Each of beta's first @n load steps after as many windows, beta loading, then running. */
static void assert_each_step_after_a_window(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (windows_at_step[i] != i)
			fail_msg("step %u of beta's load (%s) came after %u interrupt window(s), "
				 "want %u",
				 i, i < scrub_steps ? "scrub" : "copy", windows_at_step[i], i);
		assert_int_equal(state_at_step[i], CELL_LOADING);
		assert_int_equal(power_at_step[i], VCPU_OFF);
	}
	assert_int_equal(loads, 1);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->vcpus[0].power, VCPU_ON_PENDING);
	assert_false(beta->reload_left);
}

/* A stop was queued at step @at of the load: @taken steps were, and no load; stopped. */
static void assert_stopped_at_the_next_step(unsigned int taken, unsigned int at)
{
	assert_int_equal(told[0], -EINPROGRESS); /* queued */
	if (taken != at || loads)
		fail_msg("beta's load went on for %u step(s) and %u load(s) after the stop",
			 taken - at, loads);
	assert_beta_stopped();
	assert_false(beta->reload_left);
	assert_logged("cell beta: stopped (stop requested: shell, instead of boot #6)");
	/* The next start loads all of it again, from the first byte of its scrub. */
	assert_int_equal(manage_start(beta, "shell"), 0);
	beta_takes_its_request();
	assert_int_equal(steps_scrubbed + steps_copied, scrub_steps + copy_steps);
	assert_int_equal(loads, 1);
	assert_int_equal(beta->state, CELL_RUNNING);
}

/* The system halted at a step of the load: beta's CPU parked at the next, nothing given back. */
static void assert_parked_at_the_next_step(void)
{
	assert_int_equal(steps_scrubbed + steps_copied, 1 + (copy_steps ? scrub_steps : 0));
	assert_int_equal(loads, 0);
	assert_int_equal(beta->state, CELL_LOADING);
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF);
	assert_int_equal(stage2_given_back + dma_resumed, 0);
}

/* vcpu1's CPU was lost at a step of the load vcpu0's CPU carries: beta stopped for good. */
static void assert_failed_at_the_next_step(void)
{
	assert_int_equal(steps_scrubbed + steps_copied, 1 + (copy_steps ? scrub_steps : 0));
	assert_int_equal(loads, 0);
	assert_beta_failed();
	assert_logged("cell beta: stopped (a CPU lost to a hypervisor fault, instead of boot #6)");
}

static void test_a_restarts_scrub_takes_interrupts_between_its_steps(void **state)
{
	(void)state;
	scrub_steps = 3;
	beta_resets_itself();
	assert_int_equal(steps_scrubbed, 3);
	assert_each_step_after_a_window(3);
}

/*
 * A stop asked for in the middle of the scrub ends the restart at the next
 * step: no more of the memory scrubbed, no image loaded, beta stopped; a
 * later start reloads it from its first byte.
 */
static void test_a_stop_during_a_restarts_scrub_ends_it_at_the_next_step(void **state)
{
	(void)state;
	scrub_steps = 4;
	scrub_step_acts = 2;
	shell_at = AT_SCRUB;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_stopped_at_the_next_step(steps_scrubbed, 2);
}

/* The system halts during the scrub (on another CPU): beta's CPU parks at the next step. */
static void test_a_halt_during_a_restarts_scrub_parks_its_cpu_at_the_next_step(void **state)
{
	(void)state;
	scrub_steps = 4;
	scrub_step_acts = 1;
	beta_resets_itself_as_the_system_halts(AT_SCRUB);
	assert_parked_at_the_next_step();
}

/* vcpu1's CPU is lost at EL2 during the scrub vcpu0's CPU carries: beta stops for good there. */
static void test_a_cpu_lost_during_a_restarts_scrub_stops_the_cell_at_the_next_step(void **state)
{
	(void)state;
	beta_on_two_cpus();
	scrub_steps = 4;
	scrub_step_acts = 1;
	lose_at = AT_SCRUB;
	lose_cpu = 2;
	beta_resets_itself();
	assert_failed_at_the_next_step();
}

/* A second CELL_STOP while one is queued: x0 = -5, busy, as before -EEXIST told it apart. */
static void test_management_second_stop_while_one_is_queued_answers_busy(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = management_stop;
	shell_times = 2;
	beta_resets_itself();
	assert_int_equal(told[0], 1);
	assert_int_equal(told[1], -5);
	assert_beta_stopped();
}

/*
 * A restart's kernel and initrd copies are beta's CPU's, in its loop, as
 * its scrub: its interrupts taken between two steps, beta LOADING and its
 * boot vCPU off at every step, the tree built and the vCPU turned on only
 * after the last. Until 2026-11-25 they ran in one piece with interrupts
 * masked, after the scrub's steps (26.6 ms for a Debian Linux Image under
 * -icount, docs/performance.md).
 */
static void test_a_restarts_image_copy_takes_interrupts_between_its_steps(void **state)
{
	(void)state;
	scrub_steps = 2;
	copy_steps = 3;
	beta_resets_itself();
	assert_int_equal(steps_copied, 3);
	assert_each_step_after_a_window(5);
}

/* A stop asked for in the middle of the copy ends the restart at its next step, no tree built. */
static void test_a_stop_during_a_restarts_image_copy_ends_it_at_the_next_step(void **state)
{
	(void)state;
	scrub_steps = 1;
	copy_steps = 4;
	copy_step_acts = 2;
	shell_at = AT_COPY;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_stopped_at_the_next_step(steps_copied, 2);
}

/* The system halts during the copy (on another CPU): beta's CPU parks at the next step. */
static void test_a_halt_during_a_restarts_image_copy_parks_its_cpu_at_the_next_step(void **state)
{
	(void)state;
	copy_steps = 4;
	copy_step_acts = 1;
	beta_resets_itself_as_the_system_halts(AT_COPY);
	assert_parked_at_the_next_step();
}

/* vcpu1's CPU is lost at EL2 during the copy vcpu0's CPU carries: beta stops for good there. */
static void
test_a_cpu_lost_during_a_restarts_image_copy_stops_the_cell_at_the_next_step(void **state)
{
	(void)state;
	beta_on_two_cpus();
	copy_steps = 4;
	copy_step_acts = 1;
	lose_at = AT_COPY;
	lose_cpu = 2;
	beta_resets_itself();
	assert_failed_at_the_next_step();
}

/*
 * A management cell may not CELL_STOP or CELL_RESTART itself (docs/console.md:
 * -3, use PSCI): its own vCPU would post a request for the CPU it runs on
 * and return into a cell already STOPPING. Nothing changes.
 */
static void assert_alpha_refuses_itself(uint32_t fid)
{
	struct smccc_regs regs = { .a = { fid, alpha->id } };
	jmp_buf back;

	self = SHELL_CPU; /* alpha's vCPU 0 runs there */
	loop = &back;
	if (setjmp(back))
		fail_msg("call 0x%x left alpha's guest", fid);
	manage_hypercall(&alpha->vcpus[0], &regs);
	if ((int64_t)regs.a[0] != -3)
		fail_msg("call 0x%x of alpha for itself answered %ld, want -3 (INVALID)", fid,
			 (long)regs.a[0]);
	if (alpha->state != CELL_RUNNING || alpha->request != CELL_REQ_NONE || alpha->stop_why ||
	    alpha->vcpus[0].power != VCPU_ON || alpha->boots != 5)
		fail_msg("call 0x%x changed alpha: %s, request %d", fid,
			 cell_state_name(alpha->state), alpha->request);
	assert_int_equal(loads + quiesces, 0);
}

static void test_management_cell_stopping_or_restarting_itself_is_refused(void **state)
{
	(void)state;
	assert_alpha_refuses_itself(BULKHEAD_HC_CELL_STOP);
	assert_alpha_refuses_itself(BULKHEAD_HC_CELL_RESTART);
}

/*
 * Only a cell marked `management` operates others (docs/console.md: -4,
 * denied, counted as a fault of the caller's). beta is not: its CELL_STOP,
 * CELL_START and CELL_RESTART of alpha are refused, and alpha runs on.
 */
static void test_a_cell_not_marked_management_cannot_stop_start_or_restart_another(void **state)
{
	static const uint32_t fids[] = { BULKHEAD_HC_CELL_STOP, BULKHEAD_HC_CELL_START,
					 BULKHEAD_HC_CELL_RESTART };
	jmp_buf back;

	(void)state;
	denials_expected = true;
	self = BETA_CPU;
	loop = &back;
	if (setjmp(back))
		fail_msg("beta's management call left its guest");
	for (unsigned int i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		struct smccc_regs regs = { .a = { fids[i], alpha->id } };

		manage_hypercall(&beta->vcpus[0], &regs);
		if (regs.a[0] != (uint64_t)-4)
			fail_msg("beta's call 0x%x of alpha answered %ld, want -4 (DENIED)",
				 fids[i], (long)regs.a[0]);
		if (alpha->state != CELL_RUNNING || alpha->request != CELL_REQ_NONE ||
		    alpha->stop_why || alpha->vcpus[0].power != VCPU_ON || alpha->boots != 5)
			fail_msg("beta's call 0x%x changed alpha: %s, request %d, boot %lu",
				 fids[i], cell_state_name(alpha->state), alpha->request,
				 (unsigned long)alpha->boots);
	}
	assert_int_equal(denials, 3);
	assert_int_equal(loads + quiesces, 0);
}

/* A layout's cell may be stopped before it ever starts: boot_cells() starts it on CPU 0. */
static void test_stop_before_a_cells_first_start_keeps_it_stopped(void **state)
{
	(void)state;
	beta->state = CELL_LOADING;
	beta->vcpus[0].power = VCPU_OFF;
	self = SHELL_CPU;
	assert_int_equal(manage_stop(beta, "shell"), -EINPROGRESS);
	cell_start(beta);
	assert_beta_stopped();
	assert_logged("cell beta: stopped (stop requested: shell, instead of boot #6)");
}

/*
 * The first boot's PCI resets end (waited for, functions placed again) as
 * the cell starts, before its boot vCPU is turned on and while the cell is
 * still LOADING, a stop queued meanwhile taken after. Until 2026-11-26
 * they ended before any cell was loaded, and the loads waited behind them.
 */
static void test_a_start_ends_the_first_boots_pci_resets_before_the_boot_vcpu_is_on(void **state)
{
	(void)state;
	beta->state = CELL_LOADING;
	beta->vcpus[0].power = VCPU_OFF;
	self = 0;
	cell_start(beta);
	if (first_boot_ends != 1 || power_at_first_boot_end != VCPU_OFF ||
	    state_at_first_boot_end != CELL_LOADING)
		fail_msg("the first boot's PCI resets ended %u time(s), the boot vCPU %d and the "
			 "cell %s then; wanted once, the vCPU off and the cell loading",
			 first_boot_ends, power_at_first_boot_end,
			 cell_state_name(state_at_first_boot_end));
	assert_int_equal(beta->vcpus[0].power, VCPU_ON_PENDING);
}

/* As boot_cells() finds beta: built and loaded, LOADING, its vCPU off. On CPU 0. */
static void beta_first_start_at_boot(bool reset_left)
{
	beta->state = CELL_LOADING;
	beta->owner = 0;
	beta->vcpus[0].power = VCPU_OFF;
	beta_reset_left = reset_left;
	self = 0;
	cell_first_start(beta);
}

/* @cpu's loop, until it enters its vCPU or waits idle. */
static void cpu_loop_once(unsigned int cpu)
{
	jmp_buf entered, waits;

	self = cpu;
	guest = &entered;
	idle = &waits;
	if (!setjmp(entered) && !setjmp(waits))
		cell_cpu_loop(cpu);
	guest = idle = NULL;
}

/* beta's CPU once the boot is done: its loop, until beta's guest or its idle wait. */
static void beta_cpu_after_the_boot(void)
{
	cpu_loop_once(BETA_CPU);
}

/*
 * beta's igb is still in the first boot's reset (up to 100 ms): the boot
 * CPU leaves beta's start to beta's own CPU, which waits for it after the
 * boot, beside the other cells. Until 2026-11-25 the boot CPU waited for
 * it, and every other cell's first instruction came after that wait.
 */
static void test_a_cell_with_a_reset_left_is_started_by_its_own_cpu_after_the_boot(void **state)
{
	(void)state;
	beta_first_start_at_boot(true);
	if (first_boot_ends || beta->state != CELL_LOADING || beta->vcpus[0].power != VCPU_OFF)
		fail_msg("the boot CPU started beta itself (%u reset end(s), beta %s); log:\n%s",
			 first_boot_ends, cell_state_name(beta->state), fake_log_text());
	assert_int_equal(beta->owner, BETA_CPU); /* a CPU lost meanwhile leaves the start to it */
	assert_logged("I: cell beta: starts after the boot, on CPU 1, once its PCI functions are "
		      "out of their reset");
	beta_cpu_after_the_boot();
	assert_int_equal(first_boot_ends, 1);
	assert_int_equal(first_boot_end_cpu, BETA_CPU);
	assert_int_equal(state_at_first_boot_end, CELL_LOADING);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_logged("I: cell beta: starting (boot #6)");
	assert_logged("I: cell beta: boot #6 enters the guest");
}

/*
 * The first start left to beta's CPU is its boot vCPU's CPU's: another of
 * beta's CPUs out of the boot first does not take it (cell_first_start()
 * made vCPU 0's CPU the start's owner, which a CPU lost in it is charged to).
 */
static void test_a_first_start_left_to_a_cells_cpu_is_not_taken_by_its_other_cpu(void **state)
{
	jmp_buf waits;

	(void)state;
	beta->nr_vcpus = 2;
	beta->vcpus[1] = (struct vcpu){ .cell = beta, .index = 1, .pcpu = 2, .power = VCPU_OFF };
	cells_pcpu_vcpu[2] = &beta->vcpus[1];
	beta_first_start_at_boot(true);
	self = 2;
	idle = &waits;
	if (!setjmp(waits))
		cell_cpu_loop(2);
	idle = NULL;
	if (first_boot_ends || beta->state != CELL_LOADING)
		fail_msg(
			"vCPU 1's CPU took beta's first start (%u reset end(s) on CPU %u, beta %s)",
			first_boot_ends, first_boot_end_cpu, cell_state_name(beta->state));
	beta_cpu_after_the_boot();
	assert_int_equal(first_boot_end_cpu, BETA_CPU);
	assert_int_equal(beta->state, CELL_RUNNING);
}

/* A cell with nothing left to wait for starts with the boot, on the boot CPU, as before. */
static void test_a_cell_with_no_reset_left_starts_with_the_boot(void **state)
{
	(void)state;
	beta_first_start_at_boot(false);
	assert_int_equal(first_boot_end_cpu, 0);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->vcpus[0].power, VCPU_ON_PENDING);
	assert_not_logged("starts after the boot");
	beta_cpu_after_the_boot();
	assert_int_equal(first_boot_ends, 1); /* not started a second time by its CPU */
	assert_int_equal(beta->boots, 6);
}

/*
 * beta restarts itself; its reload began its igb's reset (an FLR: 100 ms,
 * the load part of it). The restart leaves the start to beta's CPU's loop,
 * which takes its interrupts while the rest of the reset runs (the console's
 * and the SMMU's on the boot CPU, every cell's), then starts beta. Until
 * 2026-11-25 the reset was waited for whole, before the load, inside the
 * restart, interrupts masked: 100 ms more per restart.
 */
static void test_a_restarts_pci_resets_end_in_the_loop_with_interrupts_taken(void **state)
{
	(void)state;
	beta_reload_resets = true;
	reset_steps_left = 3;
	beta_resets_itself();
	if (first_boot_ends || beta->state != CELL_LOADING || !beta->start_left)
		fail_msg(
			"beta's restart ended its PCI resets itself (%u end(s), beta %s, its start "
			"%s), interrupts masked; log:\n%s",
			first_boot_ends, cell_state_name(beta->state),
			beta->start_left ? "left to its loop" : "not left", fake_log_text());
	assert_int_equal(beta->owner, BETA_CPU);
	beta_cpu_after_the_boot();
	if (windows_at_start != 3)
		fail_msg("beta's CPU opened %u interrupt window(s) before its start, for a reset "
			 "seen under way 3 times: wanted 3",
			 windows_at_start);
	assert_int_equal(first_boot_ends, 1);
	assert_int_equal(first_boot_end_cpu, BETA_CPU);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->boots, 6);
	assert_false(beta->start_left);
}

static void beta_on_two_cpus(void);

/* beta on CPUs 1 and 2, its reload beginning an FLR: vcpu1 (CPU 2) resets the cell. */
static void vcpu1_restarts_beta_with_a_reset_left(void)
{
	jmp_buf back;

	beta_on_two_cpus();
	beta_reload_resets = true;
	reset_steps_left = 3;
	self = 2;
	loop = &back;
	if (!setjmp(back))
		cell_restart(beta, "PSCI SYSTEM_RESET");
}

/*
 * beta's vcpu1, on CPU 2, resets the cell (PSCI SYSTEM_RESET from vcpu1, or
 * its fault under on-fault restart): CPU 2 carries the restart, and the
 * start is left to CPU 2's loop (beta's owner), which waits for the rest of
 * the reset with its interrupts taken; vCPU 0's CPU does not take it. Until
 * 2026-11-25 only vCPU 0's CPU had a start left: CPU 2 ended the reset
 * itself, in cell_start(), its interrupts masked for up to 100 ms at every
 * restart (on a board, CPU 2 may be the one that takes the console's and
 * the SMMU's interrupts).
 */
static void test_a_restart_from_vcpu1_ends_its_pci_resets_in_vcpu1s_loop(void **state)
{
	(void)state;
	vcpu1_restarts_beta_with_a_reset_left();
	if (first_boot_ends || !beta->start_left)
		fail_msg("vcpu1's restart ended beta's PCI resets itself on CPU %u (%u end(s), "
			 "%u interrupt window(s), start %s): masked, not in its loop",
			 first_boot_end_cpu, first_boot_ends, irq_windows,
			 beta->start_left ? "left" : "not left");
	assert_int_equal(beta->owner, 2);
	cpu_loop_once(BETA_CPU);
	if (first_boot_ends || beta->state != CELL_LOADING)
		fail_msg("vCPU 0's CPU took the start CPU 2 left to its own loop (beta %s)",
			 cell_state_name(beta->state));
	cpu_loop_once(2);
	assert_int_equal(windows_at_start, 3);
	assert_int_equal(first_boot_end_cpu, 2);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->boots, 6);
	assert_false(beta->start_left);
}

/*
 * The halt for the DMA fault of boot #5 is claimed, under beta's lock, once
 * CPU 1's reload has looked for it for the last time (the reload's own
 * drain found the record, or another CPU's drain, as beta was LOADING):
 * the start counts no boot #6, and CPU 1 parks. Until 2026-11-25 boot #6
 * was counted and said "starting", its CPU parking only in its loop.
 */
static void test_a_halt_claimed_after_a_reloads_last_look_starts_no_boot(void **state)
{
	(void)state;
	beta_resets_itself_as_the_system_halts(AT_RESUME);
	assert_int_equal(dma_resumed, 1);
	if (beta->boots != 5 || beta->state != CELL_LOADING)
		fail_msg("beta %s at boot #%lu after the halt; log:\n%s",
			 cell_state_name(beta->state), (unsigned long)beta->boots, fake_log_text());
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF);
	assert_not_logged("cell beta: starting");
}

/* A restart with no reset under way (no function, or none that offers one) starts at once. */
static void test_a_restart_with_no_pci_reset_under_way_starts_in_the_restart(void **state)
{
	(void)state;
	beta_resets_itself();
	assert_false(beta->start_left);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(irq_windows, 0);
}

/* The shell stops beta while its start waits for its CPU: the start ends it STOPPED. */
static void test_a_stop_before_a_first_start_left_to_its_cpu_ends_it_stopped(void **state)
{
	(void)state;
	beta_first_start_at_boot(true);
	self = SHELL_CPU;
	assert_int_equal(manage_stop(beta, "shell"), -EINPROGRESS);
	beta_cpu_after_the_boot();
	assert_int_equal(first_boot_ends, 1); /* its functions placed again, then stopped */
	assert_beta_stopped();
	assert_logged("cell beta: stopped (stop requested: shell, instead of boot #6)");
}

/*
 * In a restart storm each restart's boot is quiet (cell_storm.c). The one a
 * queued stop cancels must not make the shell's next start quiet too.
 */
static void test_start_after_a_stop_in_a_restart_storm_is_told(void **state)
{
	(void)state;
	beta->quick_restarts = 50;
	beta->started_at = now;
	shell_at = AT_RELOAD;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_beta_stopped();
	fake_log_reset();
	beta->state = CELL_LOADING; /* as the shell's start leaves it for its reload */
	self = BETA_CPU;
	cell_start(beta);
	assert_logged("I: cell beta: starting (boot #6)");
	/* The run of quick restarts ended with the stop: the next one is told too. */
	fake_log_reset();
	beta->state = CELL_RUNNING;
	beta->vcpus[0].power = VCPU_ON;
	beta_resets_itself();
	assert_logged("I: cell beta: restarting (PSCI SYSTEM_RESET)");
	assert_not_logged("restarting again");
}

/*
 * Its devices' DMA could not be stopped (the SMMU did not take the abort):
 * scrubbing and reloading the memory they may still write to would hand
 * the next boot a corrupted image. The cell stays stopped instead.
 */
static void test_restart_whose_dma_cannot_be_stopped_is_not_reloaded(void **state)
{
	(void)state;
	quiesce_result = -ETIMEDOUT;
	beta_resets_itself();
	if (loads)
		fail_msg("beta reloaded (%u time(s)) though its DMA could not be stopped; it is %s",
			 loads, cell_state_name(beta->state));
	assert_beta_stopped();
	assert_logged("E: cell beta: stopping its devices' DMA before the reload failed; the cell "
		      "stays stopped");
}

/*
 * A cell refused at boot (a CPU it names is not online, cell_create.c) was
 * never built: no stage 2, no vCPU bound. A start would kick CPU 0 for a
 * reload that cannot run there; every request is refused, by the shell's
 * and a management cell's hand alike.
 */
static void test_refused_cell_takes_no_start_restart_or_stop(void **state)
{
	struct smccc_regs regs = { .a = { BULKHEAD_HC_CELL_START, 1 } };

	(void)state;
	memset(beta, 0, sizeof(*beta));
	beta->cfg = &beta_cfg;
	beta->id = 1;
	beta->refused = true;
	cells_pcpu_vcpu[BETA_CPU] = NULL;
	self = SHELL_CPU;
	assert_int_equal(manage_start(beta, "shell"), -ENODEV);
	assert_int_equal(manage_restart(beta, "shell"), -ENODEV);
	assert_int_equal(manage_stop(beta, "shell"), -ENODEV);
	manage_hypercall(&alpha->vcpus[0], &regs);
	assert_int_equal((int64_t)regs.a[0], -3); /* INVALID (docs/console.md) */
	if (beta->state != CELL_STOPPED || beta->request != CELL_REQ_NONE)
		fail_msg("refused beta is %s with request %d", cell_state_name(beta->state),
			 beta->request);
	assert_int_equal(loads, 0);
}

/*
 * A DMA fault taken just after beta stopped (its guest's SYSTEM_OFF, the
 * shell): fault_policy_async() saw it running, but the restart it asks for
 * finds it stopped. That stop stands; before, the restart started it again.
 */
static void test_a_late_dma_fault_restart_leaves_a_stopped_cell_stopped(void **state)
{
	(void)state;
	beta->state = CELL_STOPPED;
	beta->vcpus[0].power = VCPU_OFF;
	self = SHELL_CPU;
	assert_int_equal(manage_restart_async(beta, "DMA fault", 5), -EALREADY);
	assert_beta_stopped();
	assert_int_equal(beta->request, CELL_REQ_NONE);
	assert_int_equal(loads, 0);
}

/*
 * alpha (a management cell, vCPU 0 on CPU 0) stops beta while a request for
 * alpha itself is pending (another management cell, or the shell, posted it
 * and may be waiting for CPU 0): alpha's CPU must not wait for beta's CPU
 * meanwhile. beta's CPU never takes its kick here (gic_kick() does
 * nothing): without the early return the wait ran out and beta was pulled
 * out of its guest.
 */
static void test_a_caller_with_a_request_of_its_own_does_not_wait(void **state)
{
	(void)state;
	self = SHELL_CPU;
	alpha->request = CELL_REQ_RESTART;
	assert_int_equal(manage_stop(beta, "management call"), 0);
	assert_not_logged("did not take its kick");
	assert_int_equal(beta->vcpus[0].power, VCPU_ON); /* not pulled out */
	assert_int_equal(beta->request, CELL_REQ_STOP);	 /* for beta's CPU to take */
}

/* The same with nothing pending for alpha: the wait runs out, beta is pulled out. */
static void test_a_kick_never_taken_is_waited_for_then_forced(void **state)
{
	uint64_t before;

	(void)state;
	before = now;
	self = SHELL_CPU;
	assert_int_equal(manage_stop(beta, "management call"), 0);
	assert_true(now - before >= arch_ms_to_ticks(500)); /* waited out, not forced at once */
	assert_logged("beta: CPU 1 did not take its kick within 500 ms: vCPUs turned off, stage 2 "
		      "revoked");
}

/*
 * A restart that ends a boot of a second or more is not a quick one: the
 * run of quick restarts starts after it. Five quick restarts are told in
 * full, the sixth says the rest will only be counted (docs/console.md).
 */
static void test_a_storm_is_told_from_its_sixth_quick_restart(void **state)
{
	unsigned int i;

	(void)state;
	beta->quick_restarts = 0;
	beta->started_at = now - 2000 * 1000; /* two seconds at 1 MHz */
	assert_true(cell_restart_told(beta, "PSCI SYSTEM_RESET"));
	for (i = 0; i < 5; i++) {
		beta->started_at = now;
		assert_true(cell_restart_told(beta, "PSCI SYSTEM_RESET"));
	}
	assert_not_logged("restarting again");
	beta->started_at = now;
	assert_false(cell_restart_told(beta, "PSCI SYSTEM_RESET"));
	assert_logged("W: cell beta: restarting again (PSCI SYSTEM_RESET), 6 times in a row");
}

/*
 * The boot line's times at QEMU virt's 62.5 MHz, a frequency in no whole
 * MHz: counted in whole ticks per us (62) they ran 0.8 % fast, so the time
 * since reset grew 31 us more than it should at each 3.8 ms restart of the
 * bench cell, and `make bench`'s restart cost with it (docs/performance.md).
 */
static void test_boot_entry_times_are_exact_at_a_fractional_mhz(void **state)
{
	jmp_buf entered;

	(void)state;
	beta_resets_itself();
	assert_int_equal(beta->vcpus[0].power, VCPU_ON_PENDING);
	counter_hz = 62500000;
	now = 625000000 - 1000;				/* the next read: 10 s after reset */
	beta->reload_began = 625000000 - 62500 * 4 - 6; /* 4 ms and 6 ticks before */
	guest = &entered;
	if (!setjmp(entered))
		cell_cpu_loop(BETA_CPU);
	assert_logged("cell beta: boot #6 enters the guest 10000.000 ms after reset, 4.000 ms "
		      "after its reload began");
}

/* beta on CPUs 1 and 2, both vCPUs in the guest. */
static void beta_on_two_cpus(void)
{
	beta->nr_vcpus = 2;
	beta->vcpus[1] = (struct vcpu){ .cell = beta, .index = 1, .pcpu = 2, .power = VCPU_ON };
	beta->vcpus[0].in_guest = beta->vcpus[1].in_guest = true;
	cells_pcpu_vcpu[2] = &beta->vcpus[1];
}

static void assert_beta_failed(void)
{
	if (beta->state != CELL_STOPPED)
		fail_msg("beta is %s, not stopped; log:\n%s", cell_state_name(beta->state),
			 fake_log_text());
	if (!beta->lost)
		fail_msg("beta is not marked failed");
	for (unsigned int i = 0; i < beta->nr_vcpus; i++)
		if (beta->vcpus[i].power != VCPU_OFF || beta->vcpus[i].in_guest)
			fail_msg("beta's vcpu%u is %s", i,
				 beta->vcpus[i].in_guest ? "in the guest" : "not off");
	assert_not_logged("ignored the stop"); /* nothing waited for the parked CPU */
	assert_not_logged("did not leave the guest");
}

/*
 * beta restarts, and its vcpu1 outlasts the stop (in WFI, its kick held
 * off): the reloaded cell waits LOADING for it to leave. A stop then is
 * carried out at once; until 2026-11-24 it was queued for a start that
 * might never come, and the cell stayed LOADING, every request busy.
 */
static void test_stop_of_a_cell_whose_start_waits_for_a_vcpu_ends_it_stopped(void **state)
{
	(void)state;
	beta_on_two_cpus();
	holds_kick = 2;
	beta_resets_itself();
	assert_int_equal(beta->state, CELL_LOADING);
	assert_logged("cell beta: vcpu1 (CPU 2) is still in the guest: the cell starts once it "
		      "leaves");
	self = SHELL_CPU;
	assert_int_equal(manage_stop(beta, "shell"), 0);
	if (beta->state != CELL_STOPPED)
		fail_msg("beta is %s after the stop; log:\n%s", cell_state_name(beta->state),
			 fake_log_text());
	assert_logged("cell beta: stopped (stop requested: shell, instead of boot #6)");
	/* vcpu1 leaves at last: nothing starts. */
	beta->vcpus[1].in_guest = false;
	self = 2;
	cell_start_deferred(&beta->vcpus[1]);
	assert_int_equal(beta->state, CELL_STOPPED);
	assert_int_equal(beta->boots, 5);
}

/*
 * The same stop, asked for by alpha's management call: carried out on
 * alpha's CPU, beta's PCI quiesce there. An SError its config writes raise
 * is taken right after it, as beta's (arch_serror_take_for()). Until
 * 2026-11-25 it stayed pending and alpha's guest took it at the hypercall's
 * return, as alpha's fault, under alpha's on-fault policy.
 */
static void beta_stopped_by_alphas_call_while_its_start_waits(void)
{
	beta_on_two_cpus();
	holds_kick = 2;
	beta_resets_itself();
	serror_windows = 0;
	self = 0; /* alpha's CPU, in its management call */
	assert_int_equal(management_stop(beta, "management call"), 0);
	assert_int_equal(beta->state, CELL_STOPPED);
}

static void test_a_stop_carried_out_on_another_cells_cpu_takes_its_serrors_as_its_own(void **state)
{
	(void)state;
	beta_stopped_by_alphas_call_while_its_start_waits();
	if (serror_windows != 1 || window_cell != beta || window_cpu != 0)
		fail_msg("%u SError window(s) after beta's quiesce on alpha's CPU, the last for "
			 "%s on CPU %u: wanted one, for beta, on CPU 0",
			 serror_windows, window_cell ? window_cell->cfg->label : "no cell",
			 window_cpu);
	assert_int_equal(quiesces_at_window, quiesces); /* right after the quiesce */
}

/* One pending before the quiesce is not the stopped cell's: no window, left for its CPU. */
static void test_an_serror_pending_before_a_quiesce_is_not_charged_to_its_cell(void **state)
{
	(void)state;
	serror_pending_before = true;
	beta_stopped_by_alphas_call_while_its_start_waits();
	assert_int_equal(serror_windows, 0);
}

/*
 * The same stop, queued while the reload is under way, before the start is
 * deferred: the reload's end carries it out. Until 2026-11-24 the start was
 * deferred all the same, and the cell stayed LOADING (a second stop found
 * one queued, -EALREADY), or started, stage 2 and DMA given back, once
 * vcpu1 left, and was stopped only then.
 */
static void test_stop_during_a_reload_whose_start_would_wait_ends_it_stopped(void **state)
{
	(void)state;
	beta_on_two_cpus();
	holds_kick = 2;
	shell_at = AT_RELOAD;
	shell_does = shell_stop;
	beta_resets_itself();
	assert_int_equal(told[0], -EINPROGRESS);
	assert_beta_stopped();
	assert_logged("I: cell beta: stopped (stop requested: shell, instead of boot #6); the "
		      "other cells run on");
	assert_not_logged("the cell starts once it leaves");
	/* vcpu1 leaves at last: nothing is given back, nothing starts. */
	beta->vcpus[1].in_guest = false;
	self = 2;
	cell_start_deferred(&beta->vcpus[1]);
	assert_beta_stopped();
	assert_int_equal(stage2_given_back + dma_resumed, 0);
	/* Not busy any more: a start is taken. */
	self = SHELL_CPU;
	assert_int_equal(manage_start(beta, "shell"), 0);
}

/*
 * beta on CPUs 1 to 3: CPU 3 is lost while CPU 1 reloads beta and vcpu1
 * (CPU 2) holds its kick off. The lost CPU stopped beta; the reload's end
 * does not defer a start for it. Until 2026-11-24 it did: once vcpu1 left,
 * beta's stage 2 and DMA were given back, and it was stopped again.
 */
static void test_a_reload_whose_start_would_wait_ends_stopped_once_a_cpu_is_lost(void **state)
{
	(void)state;
	beta_on_two_cpus();
	beta->nr_vcpus = 3;
	beta->vcpus[2] = (struct vcpu){ .cell = beta, .index = 2, .pcpu = 3, .power = VCPU_ON };
	beta->vcpus[2].in_guest = true;
	cells_pcpu_vcpu[3] = &beta->vcpus[2];
	holds_kick = 2;
	lose_at = AT_RELOAD;
	lose_cpu = 3;
	beta_resets_itself();
	assert_int_equal(loads, 1);
	assert_int_equal(beta->lost, 1u << 2);
	assert_beta_stopped();
	assert_logged("cell beta: stopped (a CPU lost to a hypervisor fault, instead of boot #6)");
	assert_not_logged("the cell starts once it leaves");
	beta->vcpus[1].in_guest = false;
	self = 2;
	cell_start_deferred(&beta->vcpus[1]);
	assert_not_logged("vcpu1 left the guest");
	assert_int_equal(stage2_given_back + dma_resumed, 0);
	assert_beta_stopped();
}

/*
 * beta on CPUs 1 to 3 restarts, and its vcpu1 (CPU 2) outlasts the stop: the
 * start waits for it. CPU 3 is lost meanwhile, its lost bit set just before
 * vcpu1 leaves and takes the start, so the lost CPU leaves the start to it.
 * The start ends the cell stopped without giving its stage 2 and DMA back;
 * until 2026-11-25 they were given back, and cell_start() stopped it (review).
 */
static void test_a_deferred_start_taken_after_a_cpu_is_lost_stops_without_giving_back(void **state)
{
	(void)state;
	beta_on_two_cpus();
	beta->nr_vcpus = 3;
	beta->vcpus[2] = (struct vcpu){ .cell = beta, .index = 2, .pcpu = 3, .power = VCPU_ON };
	cells_pcpu_vcpu[3] = &beta->vcpus[2];
	holds_kick = 2;
	beta_resets_itself();
	assert_int_equal(beta->state, CELL_LOADING);
	assert_logged("the cell starts once it leaves");
	beta->lost |= 1u << 2; /* cell_cpu_lost()'s first step, on CPU 3 */
	beta->vcpus[1].in_guest = false;
	self = 2;
	cell_start_deferred(&beta->vcpus[1]);
	assert_int_equal(stage2_given_back + dma_resumed, 0);
	assert_beta_stopped();
	assert_logged("cell beta: stopped (a CPU lost to a hypervisor fault, instead of boot #6)");
}

/* Every later request is refused at once, from the shell as from a management cell. */
static void assert_beta_takes_no_request(void)
{
	struct smccc_regs regs = { .a = { BULKHEAD_HC_CELL_RESTART, 1 } };

	self = SHELL_CPU;
	assert_int_equal(manage_start(beta, "shell"), -EIO);
	assert_int_equal(manage_restart(beta, "shell"), -EIO);
	assert_int_equal(manage_stop(beta, "shell"), -EIO);
	manage_hypercall(&alpha->vcpus[0], &regs);
	assert_int_equal((int64_t)regs.a[0], -3); /* INVALID */
	assert_int_equal(beta->request, CELL_REQ_NONE);
	assert_int_equal(beta->state, CELL_STOPPED);
}

/* CPU 2 (beta's vcpu1) faults at EL2 in a trap of its guest: beta stops, vcpu0 pulled out. */
static void test_a_cpu_lost_in_a_trap_stops_its_cell_for_good(void **state)
{
	(void)state;
	beta_on_two_cpus();
	lose_at = AT_NONE;
	lose_cpu = 2;
	self = 2;
	cell_cpu_lost();
	assert_beta_failed();
	assert_int_equal(beta->lost, 1u << 1);
	assert_logged("E: cell beta: vcpu1 lost with CPU 2: the cell is stopped and failed");
	assert_logged("I: cell beta: stopped (a CPU lost to a hypervisor fault); the other cells");
	assert_int_equal(quiesces, 1);
	assert_beta_takes_no_request();
	assert_int_equal(loads, 0);
	/* A second fault on the way (or after) changes nothing. */
	fake_log_reset();
	self = 2;
	cell_cpu_lost();
	assert_not_logged("cell beta");
}

/*
 * Under on-fault halt-system the system halts instead: the layout says it
 * must not run on without beta. No stop first: it could wait for ever on a
 * lock the lost CPU held. Until 2026-11-24 beta was stopped and failed, and
 * the system ran on.
 */
static void test_a_cpu_lost_under_halt_system_halts_the_system(void **state)
{
	(void)state;
	beta->cfg = &beta_halting_cfg;
	beta_on_two_cpus();
	self = 2;
	cell_cpu_lost();
	assert_int_equal(policies, 1);
	assert_ptr_equal(policy_cell, beta);
	assert_string_equal(policy_why, "a CPU lost to a hypervisor fault");
	assert_logged("E: cell beta: vcpu1 lost with CPU 2: the cell cannot run without it; "
		      "on-fault halt-system");
	assert_not_logged("stopped and failed");
	assert_int_equal(quiesces, 0);
	assert_int_equal(beta->lost, 1u << 1);
	assert_int_equal(beta->vcpus[1].power, VCPU_OFF);
	assert_false(beta->vcpus[1].in_guest);
}

/* A CPU that runs no vCPU (CPU 3 here) loses no cell. */
static void test_a_cpu_with_no_vcpu_loses_no_cell(void **state)
{
	(void)state;
	self = 3;
	cell_cpu_lost();
	assert_int_equal(alpha->lost | beta->lost, 0);
	assert_int_equal(beta->state, CELL_RUNNING);
}

/*
 * beta's CPU faults at EL2 as it waits for beta's reset after the boot: the
 * fault is beta's (a lost CPU: stopped for good), not the boot's, which is
 * done and which the other cells run on from.
 */
static void test_a_cpu_lost_in_its_cells_first_start_after_the_boot_fails_that_cell(void **state)
{
	jmp_buf stopped_here;

	(void)state;
	beta_first_start_at_boot(true);
	lose_at = AT_FIRST_BOOT_END;
	lose_cpu = BETA_CPU;
	parked = &stopped_here;
	if (!setjmp(stopped_here))
		beta_cpu_after_the_boot();
	guest = idle = NULL; /* beta_cpu_after_the_boot()'s, left by the jump */
	assert_beta_failed();
	assert_int_equal(beta->boots, 5);
	assert_logged("I: cell beta: stopped (a CPU lost to a hypervisor fault)");
	assert_int_equal(alpha->state, CELL_RUNNING);
}

/* beta's CPU, after the boot, cannot take direct interrupts (vgic_hw_cpu_init()): it parks. */
static void beta_cpu_cannot_run(void)
{
	jmp_buf parked_here;

	cpu_init_result = -ENODEV;
	park_to = &parked_here;
	if (!setjmp(parked_here))
		beta_cpu_after_the_boot();
	guest = idle = NULL; /* beta_cpu_after_the_boot()'s, left by the jump */
	park_to = NULL;
	assert_int_equal(parks, 1);
}

/*
 * The CPU the boot left beta's first start to cannot take its kick, so it
 * parks without starting beta: it is lost to beta, which is stopped and
 * failed, every request refused as for a failed cell. Until 2026-11-25
 * beta stayed LOADING for ever, owned by the parked CPU: a stop answered
 * queued and never carried out, a start or restart busy.
 */
static void test_a_first_start_left_to_a_cpu_that_cannot_run_it_fails_the_cell(void **state)
{
	(void)state;
	beta_first_start_at_boot(true);
	beta_cpu_cannot_run();
	assert_beta_failed();
	assert_false(beta->start_left);
	assert_int_equal(beta->boots, 5);
	assert_logged("E: cell beta: vcpu0 lost with CPU 1: the cell is stopped and failed");
	assert_logged("I: cell beta: stopped (a CPU lost to a hypervisor fault)");
	assert_beta_takes_no_request();
	assert_int_equal(alpha->state, CELL_RUNNING);
}

/*
 * The same CPU when the boot CPU started beta itself: beta was RUNNING with
 * a boot vCPU that never entered, and a stop was left for ever to that CPU
 * (STOPPING, every later request busy) until 2026-11-25. Now it is failed.
 */
static void test_a_started_cell_whose_boot_cpu_cannot_run_it_is_failed(void **state)
{
	(void)state;
	beta_first_start_at_boot(false);
	beta_cpu_cannot_run();
	assert_beta_failed();
	assert_int_equal(beta->boots, 6);
	assert_beta_takes_no_request();
}

/* Under on-fault halt-system the layout says the system must not run on without beta. */
static void test_a_cpu_that_cannot_run_its_cell_under_halt_system_halts(void **state)
{
	(void)state;
	beta->cfg = &beta_halting_cfg;
	beta_first_start_at_boot(true);
	beta_cpu_cannot_run();
	assert_int_equal(policies, 1);
	assert_ptr_equal(policy_cell, beta);
}

/*
 * CPU 1 faults in its own cell's reload (a PSCI SYSTEM_RESET): the reload
 * never finishes. Before, beta was left LOADING for ever and every request
 * busy; now it is stopped and failed.
 */
static void test_a_cpu_lost_in_its_cells_reload_leaves_it_stopped(void **state)
{
	jmp_buf stopped_here;

	(void)state;
	lose_at = AT_RELOAD;
	lose_cpu = BETA_CPU;
	parked = &stopped_here;
	if (!setjmp(stopped_here))
		beta_resets_itself();
	assert_int_equal(loads, 1);
	assert_beta_failed();
	assert_int_equal(beta->boots, 5);
	assert_logged("I: cell beta: stopped (a CPU lost to a hypervisor fault)");
	assert_beta_takes_no_request();
	/* Had it panicked building beta's tree, the next reload of any cell would wait for it. */
	assert_int_equal(dt_builds_let_go, 1);
	assert_int_equal(dt_build_let_go_by, BETA_CPU);
}

/* beta's stop told once: "cell beta: stopped (...)", as @why says. */
static void assert_beta_stopped_once(const char *why)
{
	const char *first = strstr(fake_log_text(), "cell beta: stopped (");

	if (!first || !strstr(first, why) || strstr(first + 1, "cell beta: stopped ("))
		fail_msg("beta's stop not told once, as %s; log:\n%s", why, fake_log_text());
}

/*
 * CPU 2 is lost while CPU 1 reloads beta: CPU 1's restart ends STOPPED, not
 * RUNNING, its boot vCPU not turned on; a boot could never bring vcpu1 up.
 * CPU 2 leaves the stop to CPU 1, which owns the restart: until 2026-11-24
 * it stopped beta itself too, not knowing whose the reload was, and the
 * stop was told twice.
 */
static void test_a_reload_on_another_cpu_ends_stopped_once_a_cpu_is_lost(void **state)
{
	(void)state;
	beta_on_two_cpus();
	beta->vcpus[1].in_guest = false; /* CPU 2 is in its loop, taking an interrupt */
	lose_at = AT_RELOAD;
	lose_cpu = 2;
	beta_resets_itself();
	assert_int_equal(loads, 1);
	assert_beta_failed();
	assert_int_equal(beta->boots, 5);
	assert_beta_stopped_once("(a CPU lost to a hypervisor fault, instead of boot #6)");
}

/* beta's boot CPU takes the kick that carries its pending request (cell_kick_handler()). */
static void beta_takes_its_request(void)
{
	jmp_buf back;

	self = BETA_CPU;
	loop = &back;
	if (!setjmp(back))
		manage_run_request(beta);
	assert_int_equal(beta->request, CELL_REQ_NONE);
}

/*
 * beta's device faults in boot #5; before the fault's policy is posted (from
 * the SMMU interrupt, on another CPU) beta's guest resets itself: boot #6
 * runs, and made no DMA. The restart or stop is refused under beta's lock,
 * as it would take beta out of RUNNING. Until 2026-11-25 boot #6 was
 * restarted or stopped for boot #5's DMA.
 */
static void test_a_dma_faults_request_for_a_boot_that_ended_is_not_posted(void **state)
{
	(void)state;
	beta_resets_itself();
	assert_int_equal(beta->boots, 6);
	self = SHELL_CPU;
	assert_int_equal(manage_restart_async(beta, "DMA fault", 5), -ESTALE);
	assert_int_equal(manage_stop_async(beta, "DMA fault", 5), -ESTALE);
	if (beta->state != CELL_RUNNING || beta->request != CELL_REQ_NONE)
		fail_msg("boot #6 of beta is %s with request %d for boot #5's DMA fault",
			 cell_state_name(beta->state), beta->request);
	assert_int_equal(loads, 1); /* the reset's */
}

/* The steps of beta's restart (its stop half, its reload) where boot #6 is not yet counted. */
static const enum step own_restart_steps[] = { AT_STOP_HALF, AT_RELOAD };
#define NR_OWN_RESTART_STEPS (sizeof(own_restart_steps) / sizeof(own_restart_steps[0]))

/* beta's guest resets itself; at step @i of it a DMA fault's request (@does) comes. Its answer. */
static int dma_fault_during_own_restart(unsigned int i, int (*does)(struct cell *, const char *))
{
	setup(NULL);
	shell_at = own_restart_steps[i];
	shell_does = does;
	beta_resets_itself();
	return told[0];
}

/*
 * beta's device faults in boot #5 as its guest resets itself: the fault's
 * on-fault restart comes while that restart is under way, boot #6 not yet
 * counted. It is refused as busy, not queued: the restart under way is the
 * one the fault asks for, and boot #6 runs, restarted once, with no request
 * left to restart it again.
 */
static void test_a_dma_faults_restart_during_the_boots_own_restart_restarts_once(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < NR_OWN_RESTART_STEPS; i++) {
		assert_int_equal(dma_fault_during_own_restart(i, dma_fault_restarts_boot_5),
				 -EBUSY);
		if (beta->state != CELL_RUNNING || beta->boots != 6 || loads != 1 ||
		    beta->request != CELL_REQ_NONE)
			fail_msg("at step %d beta is %s at boot #%lu after %u load(s), request %d",
				 own_restart_steps[i], cell_state_name(beta->state),
				 (unsigned long)beta->boots, loads, beta->request);
	}
}

/*
 * The same under on-fault stop: the stop is still boot #5's, queued, and
 * the restart under way ends stopped instead of starting boot #6
 * (docs/pci.md, "A policy acts on the boot that faulted").
 */
static void test_a_dma_faults_stop_during_the_boots_own_restart_ends_it_stopped(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < NR_OWN_RESTART_STEPS; i++) {
		assert_int_equal(dma_fault_during_own_restart(i, dma_fault_stops_boot_5),
				 -EINPROGRESS);
		assert_beta_stopped();
		assert_logged("I: cell beta: stopped (stop requested: DMA fault, instead of boot "
			      "#6); the other cells run on");
	}
}

/* The boot that faulted still runs: its restart is posted and carried out as before. */
static void test_a_dma_faults_restart_of_the_boot_that_faulted_is_carried_out(void **state)
{
	(void)state;
	self = SHELL_CPU;
	assert_int_equal(manage_restart_async(beta, "DMA fault", 5), 0);
	assert_int_equal(beta->request, CELL_REQ_RESTART);
	beta_takes_its_request();
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->boots, 6);
	assert_int_equal(loads, 1);
}

/*
 * A request is carried out by the cell's boot CPU (vCPU 0's: manage.c posts
 * it there and waits for that CPU): a kick that reaches another CPU of the
 * cell (a CPU_ON's, a doorbell's) leaves the request to it.
 */
static void test_a_kick_on_a_cells_other_cpu_leaves_its_request_to_the_boot_cpu(void **state)
{
	jmp_buf back;

	(void)state;
	beta_on_two_cpus();
	beta->request = CELL_REQ_STOP;
	self = 2;
	loop = &back;
	if (!setjmp(back))
		cell_kick_handler();
	loop = NULL;
	if (beta->request != CELL_REQ_STOP || beta->state != CELL_RUNNING)
		fail_msg("vCPU 1's CPU took beta's stop request (request %d, beta %s)",
			 (int)beta->request, cell_state_name(beta->state));
	beta_takes_its_request();
	assert_int_equal(beta->state, CELL_STOPPED);
}

/* beta, on CPUs 1 and 2, stopped; the shell posts a start, which CPU 1 has not taken yet. */
static void beta_stopped_with_a_start_posted(void)
{
	beta_on_two_cpus();
	beta->state = CELL_STOPPED;
	beta->vcpus[0].power = beta->vcpus[1].power = VCPU_OFF;
	beta->vcpus[0].in_guest = beta->vcpus[1].in_guest = false;
	self = SHELL_CPU;
	assert_int_equal(manage_start(beta, "shell"), 0);
	assert_int_equal(beta->request, CELL_REQ_START);
}

/*
 * A start (or stop) posted for beta, not yet taken by its CPU 1 when CPU 2
 * is lost: the lost CPU takes it off, says so, and stops beta for good;
 * CPU 1 then finds no request. Until 2026-11-24 CPU 1 carried it out all
 * the same: a start logged "reloading", quiesced the devices again, and
 * failed the load ("load refused: the cell is stopped, not loading",
 * "reload failed"); a stop said "stopped" a second time.
 */
static void test_a_start_pending_when_a_cpu_is_lost_is_not_carried_out(void **state)
{
	(void)state;
	beta_stopped_with_a_start_posted();
	self = 2;
	cell_cpu_lost();
	beta_takes_its_request();
	if (loads)
		fail_msg("beta's failed start was carried out (%u load(s)); log:\n%s", loads,
			 fake_log_text());
	assert_beta_failed();
	assert_not_logged("reloading");
	assert_int_equal(quiesces, 1); /* the lost CPU's stop only */
	assert_logged("I: cell beta: start requested: shell, not carried out: the cell failed");
	assert_beta_takes_no_request();
}

/*
 * CPU 1 has taken beta's start (no CPU lost yet) and is stopping its
 * devices' DMA for the reload when CPU 2 is lost. CPU 2 leaves the start to
 * CPU 1, whose reload ends it STOPPED. Until 2026-11-24 CPU 2 stopped beta
 * itself meanwhile, and CPU 1, finding it stopped, failed the load as a
 * hypervisor bug: "load refused: the cell is stopped, not loading", "reload
 * failed; the cell stays stopped".
 */
static void test_a_cpu_lost_as_a_taken_start_reloads_leaves_the_start_to_its_cpu(void **state)
{
	(void)state;
	beta_stopped_with_a_start_posted();
	lose_at = AT_QUIESCE;
	lose_cpu = 2;
	beta_takes_its_request();
	assert_beta_failed();
	assert_not_logged("load refused");
	assert_not_logged("failed; the cell stays stopped");
	assert_beta_stopped_once("(a CPU lost to a hypervisor fault, instead of boot #6)");
	assert_beta_takes_no_request();
}

/*
 * vCPU 0's CPU is lost while the start vcpu1's restart left to CPU 2 waits
 * for beta's PCI resets there: the start is CPU 2's (beta's owner), which
 * ends it stopped; the lost CPU does not stop beta too, and CPU 2 does not
 * wait for it.
 */
static void test_a_cpu_lost_while_a_start_is_left_to_another_cpu_leaves_it_there(void **state)
{
	(void)state;
	vcpu1_restarts_beta_with_a_reset_left();
	self = BETA_CPU;
	cell_cpu_lost();
	if (beta->state != CELL_LOADING)
		fail_msg("the lost CPU took beta's start, which CPU 2 owns (beta %s); log:\n%s",
			 cell_state_name(beta->state), fake_log_text());
	cpu_loop_once(2);
	assert_beta_failed();
	assert_beta_stopped_once("(a CPU lost to a hypervisor fault, instead of boot #6)");
	assert_int_equal(first_boot_end_cpu, 2); /* its functions placed again, then stopped */
}

static void test_a_stop_pending_when_a_cpu_is_lost_is_not_said_twice(void **state)
{
	(void)state;
	beta_on_two_cpus();
	self = SHELL_CPU;
	assert_int_equal(manage_stop_async(beta, "shell", 0), 0);
	self = 2;
	cell_cpu_lost();
	beta_takes_its_request();
	assert_beta_failed();
	assert_not_logged("stopped (stop requested: shell)");
	assert_int_equal(quiesces, 1);
	assert_logged("I: cell beta: stop requested: shell, not carried out: the cell failed");
}

/*
 * The system halts (on-fault halt-system, the firmware left the board on)
 * while CPU 1 reloads beta with its interrupts masked, longer than the halt
 * waits for it (2 s): the halt revoked every stage 2 and aborts every cell's
 * DMA. CPU 1 parks before it gives beta anything back. Until 2026-11-24 it
 * gave back its stage 2 and DMA and started boot #6 ("starting (boot #6)",
 * after the halt said every cell's DMA was aborted), and parked only then.
 */
static void test_a_reload_that_outlasts_a_halt_gives_nothing_back(void **state)
{
	(void)state;
	beta_resets_itself_as_the_system_halts(AT_RELOAD);
	assert_int_equal(loads, 1);
	if (stage2_given_back || dma_resumed || beta->boots != 5)
		fail_msg("beta got its stage 2 back %u time(s), its DMA %u time(s), boot #%lu; "
			 "log:\n%s",
			 stage2_given_back, dma_resumed, (unsigned long)beta->boots,
			 fake_log_text());
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF);
	assert_not_logged("cell beta: starting");
}

/*
 * The same, with a stop queued during the reload: the reload's end does not
 * carry it out once the system halts (its DMA stop would take the SMMU's
 * command queue, whose lock a lost CPU may hold, and its line say "the other
 * cells run on" after the halt's). Until 2026-11-24 it did.
 */
static void test_a_stop_queued_in_a_reload_that_outlasts_a_halt_is_not_carried_out(void **state)
{
	(void)state;
	shell_at = AT_RELOAD;
	shell_does = shell_stop;
	beta_resets_itself_as_the_system_halts(AT_RELOAD);
	assert_int_equal(told[0], -EINPROGRESS);
	assert_int_equal(quiesces, 1); /* the reload's own, before the halt */
	assert_not_logged("cell beta: stopped");
	assert_int_equal(stage2_given_back + dma_resumed, 0);
}

/*
 * The system halts while CPU 1 carries the stop half of beta's restart: the
 * reload that follows does not begin. CPU 1 parks before it stops beta's DMA
 * (through the SMMU's command queue, whose lock a lost CPU may hold: it
 * would spin there, and the halt say it did not stop) or loads its memory.
 * Until 2026-11-24 the whole reload ran, and CPU 1 parked only before it
 * gave the cell back.
 */
static void test_a_reload_that_begins_after_a_halt_parks_before_anything(void **state)
{
	(void)state;
	beta_resets_itself_as_the_system_halts(AT_STOP_HALF);
	if (quiesces || loads)
		fail_msg("beta's DMA was stopped %u time(s) and it was loaded %u time(s) after the "
			 "halt; log:\n%s",
			 quiesces, loads, fake_log_text());
	assert_int_equal(stage2_given_back + dma_resumed, 0);
	assert_not_logged("cell beta: reloading");
}

/*
 * @cpu takes @lock, @cell's, and is lost at EL2 inside it: the start of its
 * report fails the cell and marks the lock (cell_locks_lost()); the rest of
 * the report, and the cell's stop, still to come.
 */
static void lose_cpu_inside(unsigned int cpu, struct spinlock *lock)
{
	self = cpu;
	spin_lock(lock);
	cell_locks_lost();
}

/*
 * Beta's CPU was lost at EL2 inside beta's lock (a PSCI call, a transition):
 * it parks with it. The management cell's status and stop of beta, and the
 * shell's, answer at once (beta is failed), the first give-up said with the
 * lost CPU. Before 2026-11-25 each spun for ever on beta's lock, its
 * interrupts masked: a fault in one cell stopped another cell's CPU.
 */
static void test_a_cell_whose_lost_cpu_holds_its_lock_is_refused_from_outside(void **state)
{
	struct smccc_regs regs = { .a = { BULKHEAD_HC_CELL_STATUS, 1 } };

	(void)state;
	lose_cpu_inside(BETA_CPU, &beta->lock);
	relax_limit = 1000000;
	self = 0; /* alpha's CPU */
	manage_hypercall(&alpha->vcpus[0], &regs);
	assert_int_equal(regs.a[0], 0);
	assert_int_equal(regs.a[1], CELL_RUNNING); /* its last state */
	assert_int_equal(regs.a[2], 5);
	assert_logged("W: cell beta: its lock is held, and the cell lost CPU 1 (vcpu0) at EL2, "
		      "which may hold it for good: not waited for, on CPU 0; its status read "
		      "without it (further give-ups not logged)");
	assert_int_equal(management_stop(beta, NULL), (int)(uint64_t)-3); /* INVALID: failed */
	assert_int_equal(manage_stop(beta, "shell"), -EIO);
	/*
	 * Three give-ups, none waiting: the lock's mark says its holder is lost.
	 * Before 2026-11-25 each waited 10 000 times (a bound on one holder), every time.
	 */
	assert_int_equal(relaxes, 0);
	assert_int_equal(fake_log_count(LOG_WARN), 1);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->request, CELL_REQ_NONE);
	assert_false(spin_trylock(&beta->lock)); /* still the lost CPU's: nobody let it go */
}

/*
 * The shell's CPU forces a direct cell's vCPUs out after its kick whether
 * or not the cell's CPU took the request meanwhile (manage.c). Taken, no
 * request left: that CPU may have carried out a restart already, and its
 * new boot runs; nothing is forced out of it. Only a request still there is.
 */
static void test_forcing_out_a_cell_that_took_its_request_does_nothing(void **state)
{
	(void)state;
	self = SHELL_CPU;
	assert_int_equal(beta->request, CELL_REQ_NONE);
	assert_false(cell_force_out(beta));
	if (beta->vcpus[0].power != VCPU_ON || stage2_revoked)
		fail_msg("a running cell with no request pending was forced out: vCPU 0 %s, its "
			 "stage 2 revoked %u time(s)",
			 beta->vcpus[0].power == VCPU_ON ? "on" : "off", stage2_revoked);
	beta->request = CELL_REQ_STOP;
	assert_true(cell_force_out(beta));
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF);
	assert_int_equal(stage2_revoked, 1);
}

/*
 * Alpha's direct CPU took the shell's stop and was lost inside alpha's lock
 * (its stop's state change), and parks with it. The shell's CPU, forcing
 * alpha's vCPUs out after the kick, gives up on the lock, said, and forces
 * nothing out. Before 2026-11-26 it spun for ever with interrupts masked:
 * the console and the shell gone for every cell.
 */
static void test_forcing_out_a_cell_whose_lost_cpu_holds_its_lock_gives_up(void **state)
{
	(void)state;
	lose_cpu_inside(0, &alpha->lock);
	relax_limit = 1000000;
	self = 2; /* a CPU outside alpha */
	assert_false(cell_force_out(alpha));
	assert_logged("W: cell alpha: its lock is held, and the cell lost CPU 0 (vcpu0) at EL2, "
		      "which may hold it for good: not waited for, on CPU 2; its vCPUs not forced "
		      "out: the cell failed (further give-ups not logged)");
	assert_int_equal(alpha->vcpus[0].power, VCPU_ON);
}

/*
 * The shell's CPU (alpha's) is lost at EL2 inside a request to beta, beta's
 * lock held, and parks with it; before 2026-11-25 beta's own CPU then
 * waited for that lock for ever, its interrupts masked, and beta ran on as
 * if nothing had happened. Beta is failed, its vCPU turned off, said with
 * the CPU and the lock; beta's CPU, waiting for the lock, is lost too and
 * parks; the shell's next request gives up on the lock at once.
 */
static void test_a_cpu_lost_holding_another_cells_lock_fails_it_and_its_waiter_parks(void **state)
{
	jmp_buf park;

	(void)state;
	relax_limit = 1000000;
	park_to = &park;
	self = SHELL_CPU;
	spin_lock(&beta->lock); /* post_request()'s, as CPU 0 faults inside it */
	if (!setjmp(park)) {
		cell_locks_lost(); /* exception.c: at the start of the fault's report */
		cell_cpu_lost();
		fail_msg("CPU 0 did not park at beta's lock, which it holds");
	}
	assert_logged("E: cell beta: CPU 0 was lost at EL2 holding its lock: the cell is failed, "
		      "its vCPUs turned off; it takes no start, restart or stop until the system "
		      "restarts");
	assert_true(beta->lost & CELL_LOST_OUTSIDE);
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF);
	assert_int_equal(alpha->state, CELL_STOPPED); /* its own cell first */
	self = BETA_CPU;
	if (!setjmp(park)) {
		spin_lock(&beta->lock); /* e.g. its PSCI CPU_ON (vpsci.c) */
		fail_msg("beta's CPU took a lock its lost holder keeps");
	}
	assert_int_equal(parks, 2);
	assert_logged("E: CPU 1 waits for a lock whose holder was lost at EL2: it is lost too");
	assert_true(beta->lost & 1u);
	self = SHELL_CPU + 2; /* the shell, on a CPU that runs on */
	relaxes = 0;
	assert_int_equal(manage_stop(beta, "shell"), -EIO);
	assert_int_equal(relaxes, 0);
}

/* @cpu, kicked back into its loop, which it may leave only by parking at a lock. */
static void cpu_loop_or_park(unsigned int cpu)
{
	jmp_buf park;

	park_to = &park;
	if (!setjmp(park))
		cpu_loop_once(cpu);
	park_to = NULL;
	guest = idle = NULL; /* cpu_loop_once()'s, left by the jump */
}

/*
 * CPU 3, which runs no vCPU (the shell's, say), is lost at EL2 holding
 * beta's lock: beta is failed, its vCPUs turned off and kicked, and no stop
 * of it is run (no private stack on CPU 3 to run it from). Beta's igb went
 * on writing into beta's memory, its faults reaching CPU 0 as SMMU events
 * no policy acts on. Now beta's CPUs, back in their loops, abort its
 * streams, before they come to its lock (and park there, lost with it):
 * the first that comes, once.
 */
static void test_a_cell_failed_by_a_cpu_without_a_vcpu_has_its_dma_stopped_by_its_cpu(void **state)
{
	(void)state;
	relax_limit = 1000000;
	beta_on_two_cpus();
	beta_cfg.nr_pci = 1;
	lose_cpu_inside(3, &beta->lock);
	cell_cpu_lost(); /* no vCPU: beta failed, its vCPUs out, no stop */
	assert_true(beta->lost & CELL_LOST_OUTSIDE);
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF);
	assert_int_equal(streams_aborted + quiesces, 0);
	cpu_loop_or_park(BETA_CPU);
	if (streams_aborted != 1 || streams_aborted_by != BETA_CPU)
		fail_msg("beta's streams aborted %u time(s), by CPU %u, once its CPU was back in "
			 "its "
			 "loop: wanted once, by CPU %u",
			 streams_aborted, streams_aborted_by, BETA_CPU);
	assert_logged("I: cell beta: failed: its devices' DMA stopped by CPU 1 (its SMMU streams "
		      "abort)");
	cpu_loop_or_park(2); /* vcpu1's CPU, kicked too */
	assert_int_equal(streams_aborted, 1);
	assert_int_equal(beta->state, CELL_RUNNING); /* failed: its last state */
}

/* The same with the lock of beta's virtual UART: its CPU goes on into its idle wait. */
static void test_a_failed_cells_cpu_stops_its_dma_and_waits_in_its_loop(void **state)
{
	(void)state;
	beta_cfg.nr_pci = 1;
	lose_cpu_inside(3, &beta->vuart.lock);
	cell_cpu_lost();
	beta_cpu_after_the_boot();
	beta_cpu_after_the_boot();
	assert_int_equal(streams_aborted, 1);
	assert_int_equal(parks, 0);
}

/* A cell that lost no CPU keeps its DMA through its CPUs' loops. */
static void test_a_cells_loop_stops_no_dma_of_a_cell_not_failed(void **state)
{
	(void)state;
	beta_cfg.nr_pci = 1;
	beta->vcpus[0].power = VCPU_OFF; /* as after its guest's CPU_OFF */
	beta_cpu_after_the_boot();
	assert_int_equal(streams_aborted, 0);
}

/*
 * Beta runs on CPUs 1 and 2; CPU 2 (vcpu1) is lost at EL2 inside beta's
 * lock, and its report has only begun (cell_locks_lost()). Beta is failed
 * from then on: the shell's stop refused, and the management cell's status
 * read without the lock names CPU 2. Before 2026-11-25's review beta was failed only
 * after the report (lose_vcpu()): meanwhile it looked running, the
 * console's input took its locks and CPU 0 was lost with it, and a give-up
 * named vcpu0's CPU 1.
 */
static void test_a_cpu_whose_report_has_begun_has_failed_its_cell_and_is_named(void **state)
{
	struct smccc_regs regs = { .a = { BULKHEAD_HC_CELL_STATUS, 1 } };

	(void)state;
	beta->id = 2; /* an id whose give-up this run has not said yet (said once a cell) */
	beta->nr_vcpus = 2;
	beta->vcpus[1] = (struct vcpu){ .cell = beta, .index = 1, .pcpu = 2, .power = VCPU_ON };
	cells_pcpu_vcpu[2] = &beta->vcpus[1];
	lose_cpu_inside(2, &beta->lock);
	relax_limit = 1000000;
	self = 0; /* alpha's CPU */
	assert_true(beta->lost & 2u);
	manage_hypercall(&alpha->vcpus[0], &regs);
	assert_logged("W: cell beta: its lock is held, and the cell lost CPU 2 (vcpu1) at EL2, "
		      "which may hold it for good: not waited for, on CPU 0; its status read "
		      "without it (further give-ups not logged)");
	self = 3; /* the shell's */
	assert_int_equal(manage_stop(beta, "shell"), -EIO);
	assert_int_equal(relaxes, 0);
}

/*
 * Beta's CPU, lost at EL2 inside beta's lock, took beta's virtual UART's
 * lock on its way (after its report's marks), and its stop of beta then
 * waits for beta's lock, which it holds itself: it parks there. The UART's
 * lock is marked as it parks, and the console's CPU gives up on it at once.
 * Before 2026-11-25's review a CPU lost already only parked: the UART's lock was
 * held for good unmarked, and the console's CPU waited for it for ever.
 */
static void test_a_lock_taken_on_the_lost_path_is_marked_as_its_cpu_parks(void **state)
{
	jmp_buf park;

	(void)state;
	relax_limit = 1000000;
	park_to = &park;
	lose_cpu_inside(BETA_CPU, &beta->lock);
	spin_lock(&beta->vuart.lock);
	if (!setjmp(park)) {
		cell_cpu_lost();
		fail_msg("beta's CPU did not park at beta's lock, which it holds");
	}
	assert_int_equal(parks, 1);
	assert_not_logged("CPU 1 waits for a lock"); /* lost already */
	assert_true(spin_holder_lost(&beta->vuart.lock));
	self = SHELL_CPU;
	assert_false(spin_lock_unless_lost(&beta->vuart.lock));
	assert_int_equal(relaxes, 0);
}

/*
 * CPU 2, beta's second vCPU's, parked holding beta's lock without marking
 * it (a lock taken after its last marks, on the way to its park). The
 * management cell's status of beta gives up on it, said without a vCPU to
 * name, at once, instead of waiting for ever.
 */
static void test_a_lock_whose_holder_parked_unmarked_is_given_up_on(void **state)
{
	struct smccc_regs regs = { .a = { BULKHEAD_HC_CELL_STATUS, 1 } };

	(void)state;
	beta->id = 3; /* an id whose give-up this run has not said yet (said once a cell) */
	relax_limit = 1000000;
	self = 2;
	spin_lock(&beta->lock);
	parked_cpus |= 1u << 2;
	self = 0; /* alpha's CPU */
	manage_hypercall(&alpha->vcpus[0], &regs);
	assert_int_equal(regs.a[0], 0);
	assert_logged("W: cell beta: its lock is held by a CPU parked at EL2: not waited for, on "
		      "CPU 0; its status read without it (further give-ups not logged)");
	assert_int_equal(relaxes, 0);
}

/*
 * The holder of beta's lock lets go of it, CPU 3 takes it, and the first
 * holder parks, all as the shell's CPU looks at it: seen parked, it is no
 * longer named, and the shell's stop waits for CPU 3, which runs, and takes
 * the lock. Read once, the holder looked parked holding a lock CPU 3 had.
 */
static void test_a_holder_that_let_go_before_it_parked_is_waited_out(void **state)
{
	(void)state;
	relax_limit = 1000;
	self = 2;
	spin_lock(&beta->lock);
	lets_go_as_it_parks = &beta->lock;
	next_holder = 3;
	self = SHELL_CPU;
	assert_true(spin_lock_unless_lost(&beta->lock));
	assert_true(parked_cpus & (1u << 2));
	spin_unlock(&beta->lock);
}

/*
 * CPUs 2 and 3, outside beta, are lost at EL2 holding beta's lock and its
 * vGIC's: only CPU 2 is beta's lost_holder, the first. CPU 3, its report
 * under way, then comes to beta's lock and parks there, lost already, not
 * said to be a waiter lost with the lock. Before 2026-11-25's review it was: "CPU 3
 * waits for a lock whose holder was lost at EL2: it is lost too", of a CPU
 * lost holding one of them itself, and its loss was run a second time.
 */
static void test_a_second_cpu_lost_holding_a_cells_lock_is_not_told_a_waiter(void **state)
{
	jmp_buf park;

	(void)state;
	relax_limit = 1000000;
	park_to = &park;
	lose_cpu_inside(2, &beta->lock);
	lose_cpu_inside(3, &beta->vgic.lock);
	assert_int_equal(beta->lost_holder, 3); /* CPU 2's index + 1 */
	if (!setjmp(park)) {
		spin_lock(&beta->lock);
		fail_msg("CPU 3 took a lock its lost holder keeps");
	}
	assert_int_equal(parks, 1);
	assert_not_logged("waits for a lock");
}

/*
 * `irqs beta` on a failed beta whose lost CPU holds its lock: why its vGIC
 * is not shown, each time it is asked, and not as a reset. Before
 * 2026-11-26 the first `irqs` took the once-a-cell warning and every one
 * said "its virtual GIC is being reset".
 */
static void test_irqs_says_each_time_why_a_failed_cells_vgic_is_not_shown(void **state)
{
	(void)state;
	lose_cpu_inside(BETA_CPU, &beta->lock);
	relax_limit = 1000000;
	vgic_dump(beta);
	vgic_dump(beta);
	assert_int_equal(fake_log_count(LOG_INFO), 2);
	assert_logged("I: irqs: beta: running: not shown (more): the cell lost a CPU at EL2, "
		      "which may hold its or its vGIC's lock");
	assert_not_logged("being reset");
	assert_int_equal(fake_log_count(LOG_WARN), 0);
}

/* The shell names a cell by its label or by its index, below the count; nothing else. */
static void test_a_cell_is_found_by_its_label_or_its_index_only(void **state)
{
	static const char *const none[] = { "gamma", "2", "", "1x", "4294967297", "-1" };

	(void)state;
	assert_ptr_equal(manage_find("alpha"), alpha);
	assert_ptr_equal(manage_find("beta"), beta);
	assert_ptr_equal(manage_find("0"), alpha);
	assert_ptr_equal(manage_find("1"), beta);
	for (unsigned int i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (manage_find(none[i]))
			fail_msg("\"%s\" found cell %s", none[i], manage_find(none[i])->cfg->label);
}

/* Alpha's (a management cell's) call @fid about cell index @target. */
static struct smccc_regs management_call(uint32_t fid, uint64_t target)
{
	struct smccc_regs regs = { .a = { fid, target } };

	self = SHELL_CPU; /* alpha's vCPU 0 runs there */
	manage_hypercall(&alpha->vcpus[0], &regs);
	return regs;
}

/*
 * CELL_COUNT says how many; a call naming no cell, or an unknown call,
 * changes nothing; CELL_RESTART of a running cell restarts it.
 */
static void test_management_count_unknown_cell_unknown_call_and_restart(void **state)
{
	struct smccc_regs regs;

	(void)state;
	regs = management_call(BULKHEAD_HC_CELL_COUNT, 7);
	assert_int_equal(regs.a[0], 0);
	assert_int_equal(regs.a[1], 2);
	regs = management_call(BULKHEAD_HC_CELL_STOP, 2);
	assert_int_equal(regs.a[0], (uint64_t)-3); /* INVALID */
	regs = management_call(BULKHEAD_HC_CELL_RESTART + 1, 1);
	assert_int_equal(regs.a[0], SMCCC_RET_NOT_SUPPORTED);
	assert_int_equal(beta->state, CELL_RUNNING);
	assert_int_equal(beta->request, CELL_REQ_NONE);
	/* A running cell's restart is posted as one: a stop, then a start, by its own CPU. */
	regs = management_call(BULKHEAD_HC_CELL_RESTART, 1);
	assert_int_equal(regs.a[0], 0);
	assert_int_equal(beta->request, CELL_REQ_RESTART);
	assert_int_equal(beta->state, CELL_STOPPING);
}

/* CELL_STATUS reads under the cell's lock and lets it go; nothing is said. */
static void test_management_status_lets_go_of_the_cells_lock(void **state)
{
	struct smccc_regs regs;

	(void)state;
	regs = management_call(BULKHEAD_HC_CELL_STATUS, 1);
	assert_int_equal(regs.a[0], 0);
	assert_int_equal(regs.a[1], CELL_RUNNING);
	assert_true(spin_trylock(&beta->lock));
	spin_unlock(&beta->lock);
	assert_int_equal(fake_log_count(LOG_WARN), 0);
}

/*
 * A stopped cell: CELL_STOP answers BUSY (-5), CELL_START starts it, and a
 * restart starts it too, neither waiting for its CPU (idle in its loop).
 */
static void test_a_stopped_cell_is_started_by_a_start_or_a_restart_unwaited(void **state)
{
	struct smccc_regs regs;
	uint64_t before;

	(void)state;
	beta->state = CELL_STOPPED;
	regs = management_call(BULKHEAD_HC_CELL_STOP, 1);
	assert_int_equal(regs.a[0], (uint64_t)-5);
	assert_int_equal(beta->request, CELL_REQ_NONE);
	before = now;
	regs = management_call(BULKHEAD_HC_CELL_START, 1);
	assert_int_equal(regs.a[0], 0);
	assert_int_equal(beta->request, CELL_REQ_START);
	assert_int_equal(beta->state, CELL_LOADING);
	beta->state = CELL_STOPPED;
	beta->request = CELL_REQ_NONE;
	assert_int_equal(manage_restart(beta, "shell"), 0);
	assert_int_equal(beta->request, CELL_REQ_START);
	assert_true(now - before < arch_ms_to_ticks(500));
	assert_not_logged("did not take its kick");
}

/* A direct cell's guest may hold its kick off: it is forced out at once, not waited for. */
static void test_a_direct_cells_stop_forces_it_out_without_waiting(void **state)
{
	uint64_t before;

	(void)state;
	beta_cfg.irq_mode = LAYOUT_IRQ_DIRECT;
	self = SHELL_CPU;
	before = now;
	assert_int_equal(manage_stop(beta, "shell"), 0);
	assert_true(now - before < arch_ms_to_ticks(500));
	assert_not_logged("did not take its kick");
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_restart_with_no_stop_runs_the_next_boot, setup),
		cmocka_unit_test_setup(test_stop_during_a_restarts_reload_ends_it_stopped, setup),
		cmocka_unit_test_setup(test_stop_during_a_restarts_stop_half_skips_its_reload,
				       setup),
		cmocka_unit_test_setup(test_own_stop_during_a_restart_ends_it_stopped, setup),
		cmocka_unit_test_setup(test_a_stop_queued_for_the_longest_reason_is_told_whole,
				       setup),
		cmocka_unit_test_setup(
			test_stop_of_a_cell_whose_start_waits_for_a_vcpu_ends_it_stopped, setup),
		cmocka_unit_test_setup(
			test_stop_during_a_reload_whose_start_would_wait_ends_it_stopped, setup),
		cmocka_unit_test_setup(
			test_a_reload_whose_start_would_wait_ends_stopped_once_a_cpu_is_lost,
			setup),
		cmocka_unit_test_setup(
			test_a_deferred_start_taken_after_a_cpu_is_lost_stops_without_giving_back,
			setup),
		cmocka_unit_test_setup(test_second_stop_while_one_is_queued_is_already_done, setup),
		cmocka_unit_test_setup(test_restart_during_a_reload_is_still_busy, setup),
		cmocka_unit_test_setup(test_stop_during_a_stop_is_already_done, setup),
		cmocka_unit_test_setup(test_management_stop_during_a_reload_answers_queued, setup),
		cmocka_unit_test_setup(test_a_restarts_scrub_takes_interrupts_between_its_steps,
				       setup),
		cmocka_unit_test_setup(test_a_stop_during_a_restarts_scrub_ends_it_at_the_next_step,
				       setup),
		cmocka_unit_test_setup(
			test_a_halt_during_a_restarts_scrub_parks_its_cpu_at_the_next_step, setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_during_a_restarts_scrub_stops_the_cell_at_the_next_step,
			setup),
		cmocka_unit_test_setup(
			test_a_restarts_image_copy_takes_interrupts_between_its_steps, setup),
		cmocka_unit_test_setup(
			test_a_stop_during_a_restarts_image_copy_ends_it_at_the_next_step, setup),
		cmocka_unit_test_setup(
			test_a_halt_during_a_restarts_image_copy_parks_its_cpu_at_the_next_step,
			setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_during_a_restarts_image_copy_stops_the_cell_at_the_next_step,
			setup),
		cmocka_unit_test_setup(test_management_second_stop_while_one_is_queued_answers_busy,
				       setup),
		cmocka_unit_test_setup(
			test_management_cell_stopping_or_restarting_itself_is_refused, setup),
		cmocka_unit_test_setup(
			test_a_cell_not_marked_management_cannot_stop_start_or_restart_another,
			setup),
		cmocka_unit_test_setup(test_stop_before_a_cells_first_start_keeps_it_stopped,
				       setup),
		cmocka_unit_test_setup(
			test_a_cell_with_a_reset_left_is_started_by_its_own_cpu_after_the_boot,
			setup),
		cmocka_unit_test_setup(
			test_a_first_start_left_to_a_cells_cpu_is_not_taken_by_its_other_cpu,
			setup),
		cmocka_unit_test_setup(test_a_cell_with_no_reset_left_starts_with_the_boot, setup),
		cmocka_unit_test_setup(
			test_a_stop_before_a_first_start_left_to_its_cpu_ends_it_stopped, setup),
		cmocka_unit_test_setup(
			test_a_restarts_pci_resets_end_in_the_loop_with_interrupts_taken, setup),
		cmocka_unit_test_setup(
			test_a_stop_carried_out_on_another_cells_cpu_takes_its_serrors_as_its_own,
			setup),
		cmocka_unit_test_setup(
			test_an_serror_pending_before_a_quiesce_is_not_charged_to_its_cell, setup),
		cmocka_unit_test_setup(
			test_a_restart_with_no_pci_reset_under_way_starts_in_the_restart, setup),
		cmocka_unit_test_setup(test_a_restart_from_vcpu1_ends_its_pci_resets_in_vcpu1s_loop,
				       setup),
		cmocka_unit_test_setup(test_a_halt_claimed_after_a_reloads_last_look_starts_no_boot,
				       setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_in_its_cells_first_start_after_the_boot_fails_that_cell,
			setup),
		cmocka_unit_test_setup(test_start_after_a_stop_in_a_restart_storm_is_told, setup),
		cmocka_unit_test_setup(
			test_a_start_ends_the_first_boots_pci_resets_before_the_boot_vcpu_is_on,
			setup),
		cmocka_unit_test_setup(test_restart_whose_dma_cannot_be_stopped_is_not_reloaded,
				       setup),
		cmocka_unit_test_setup(test_refused_cell_takes_no_start_restart_or_stop, setup),
		cmocka_unit_test_setup(test_a_caller_with_a_request_of_its_own_does_not_wait,
				       setup),
		cmocka_unit_test_setup(test_a_kick_never_taken_is_waited_for_then_forced, setup),
		cmocka_unit_test_setup(test_a_storm_is_told_from_its_sixth_quick_restart, setup),
		cmocka_unit_test_setup(test_a_late_dma_fault_restart_leaves_a_stopped_cell_stopped,
				       setup),
		cmocka_unit_test_setup(
			test_a_dma_faults_request_for_a_boot_that_ended_is_not_posted, setup),
		cmocka_unit_test_setup(
			test_a_dma_faults_restart_of_the_boot_that_faulted_is_carried_out, setup),
		cmocka_unit_test_setup(
			test_a_dma_faults_restart_during_the_boots_own_restart_restarts_once,
			setup),
		cmocka_unit_test_setup(
			test_a_dma_faults_stop_during_the_boots_own_restart_ends_it_stopped, setup),
		cmocka_unit_test_setup(test_boot_entry_times_are_exact_at_a_fractional_mhz, setup),
		cmocka_unit_test_setup(test_a_cpu_lost_in_a_trap_stops_its_cell_for_good, setup),
		cmocka_unit_test_setup(test_a_cpu_lost_under_halt_system_halts_the_system, setup),
		cmocka_unit_test_setup(test_a_cpu_with_no_vcpu_loses_no_cell, setup),
		cmocka_unit_test_setup(
			test_a_first_start_left_to_a_cpu_that_cannot_run_it_fails_the_cell, setup),
		cmocka_unit_test_setup(test_a_started_cell_whose_boot_cpu_cannot_run_it_is_failed,
				       setup),
		cmocka_unit_test_setup(test_a_cpu_that_cannot_run_its_cell_under_halt_system_halts,
				       setup),
		cmocka_unit_test_setup(test_a_cpu_lost_in_its_cells_reload_leaves_it_stopped,
				       setup),
		cmocka_unit_test_setup(test_a_reload_on_another_cpu_ends_stopped_once_a_cpu_is_lost,
				       setup),
		cmocka_unit_test_setup(test_a_reload_that_outlasts_a_halt_gives_nothing_back,
				       setup),
		cmocka_unit_test_setup(test_a_reload_that_begins_after_a_halt_parks_before_anything,
				       setup),
		cmocka_unit_test_setup(
			test_a_stop_queued_in_a_reload_that_outlasts_a_halt_is_not_carried_out,
			setup),
		cmocka_unit_test_setup(test_a_start_pending_when_a_cpu_is_lost_is_not_carried_out,
				       setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_as_a_taken_start_reloads_leaves_the_start_to_its_cpu,
			setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_while_a_start_is_left_to_another_cpu_leaves_it_there,
			setup),
		cmocka_unit_test_setup(test_a_stop_pending_when_a_cpu_is_lost_is_not_said_twice,
				       setup),
		cmocka_unit_test_setup(
			test_a_cell_whose_lost_cpu_holds_its_lock_is_refused_from_outside, setup),
		cmocka_unit_test_setup(
			test_forcing_out_a_cell_whose_lost_cpu_holds_its_lock_gives_up, setup),
		cmocka_unit_test_setup(
			test_a_kick_on_a_cells_other_cpu_leaves_its_request_to_the_boot_cpu, setup),
		cmocka_unit_test_setup(test_forcing_out_a_cell_that_took_its_request_does_nothing,
				       setup),
		cmocka_unit_test_setup(
			test_irqs_says_each_time_why_a_failed_cells_vgic_is_not_shown, setup),
		cmocka_unit_test_setup(
			test_a_cpu_whose_report_has_begun_has_failed_its_cell_and_is_named, setup),
		cmocka_unit_test_setup(
			test_a_lock_taken_on_the_lost_path_is_marked_as_its_cpu_parks, setup),
		cmocka_unit_test_setup(test_a_lock_whose_holder_parked_unmarked_is_given_up_on,
				       setup),
		cmocka_unit_test_setup(test_a_holder_that_let_go_before_it_parked_is_waited_out,
				       setup),
		cmocka_unit_test_setup(
			test_a_second_cpu_lost_holding_a_cells_lock_is_not_told_a_waiter, setup),
		cmocka_unit_test_setup(
			test_a_cpu_lost_holding_another_cells_lock_fails_it_and_its_waiter_parks,
			setup),
		cmocka_unit_test_setup(
			test_a_cell_failed_by_a_cpu_without_a_vcpu_has_its_dma_stopped_by_its_cpu,
			setup),
		cmocka_unit_test_setup(test_a_failed_cells_cpu_stops_its_dma_and_waits_in_its_loop,
				       setup),
		cmocka_unit_test_setup(test_a_cells_loop_stops_no_dma_of_a_cell_not_failed, setup),
		cmocka_unit_test_setup(test_a_cell_is_found_by_its_label_or_its_index_only, setup),
		cmocka_unit_test_setup(test_management_count_unknown_cell_unknown_call_and_restart,
				       setup),
		cmocka_unit_test_setup(test_management_status_lets_go_of_the_cells_lock, setup),
		cmocka_unit_test_setup(
			test_a_stopped_cell_is_started_by_a_start_or_a_restart_unwaited, setup),
		cmocka_unit_test_setup(test_a_direct_cells_stop_forces_it_out_without_waiting,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
