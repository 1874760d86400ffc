/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_LIFECYCLE_FIXTURE_H
#define BULKHEAD_TESTS_LIFECYCLE_FIXTURE_H

/*
 * What the cells' life-cycle tests (test_lifecycle_*.c: partitions/cell.c,
 * cell_reload.c, cell_loop.c, cell_lost.c, cell_storm.c, manage.c) share. One host thread
 * plays every CPU: arch_cpu_index() says which one runs (self). beta's
 * vCPU 0 runs on CPU 1; the shell, on CPU 0, is called from the fakes at
 * the step of a transition that a real shell would reach meanwhile
 * (shell_at: the reload, cell_load_step(); the stop half, vuart_flush()).
 * Leaving the guest (arch_vcpu_exit_to_loop()) jumps back to the test
 * (loop). A CPU lost to a fault at EL2 (lose_at) or that finds the system
 * halting (halt_at, played by halt_if_halting()) jumps to parked.
 * lifecycle_cpus.c plays the CPUs, lifecycle_fixture.c the cells' devices
 * and image and each test's start.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "cell.h"
#include "spinlock.h"

#define SHELL_CPU 0
#define BETA_CPU  1

extern struct layout_cell alpha_cfg;
extern struct layout_cell beta_cfg;
/* beta under on-fault "halt-system": the system must not run on without it. */
extern const struct layout_cell beta_halting_cfg;
extern struct cell *const alpha;
extern struct cell *const beta;

extern unsigned int self;
extern uint64_t now;
extern jmp_buf *loop;  /* where arch_vcpu_exit_to_loop() lands: the CPU's cell_cpu_loop() */
extern jmp_buf *guest; /* where arch_vcpu_enter() lands, if a test lets a vCPU enter */
extern uint64_t counter_hz;
extern unsigned int loads, quiesces;
extern int quiesce_result; /* what pci_cell_quiesce() says: 0, or its DMA could not be stopped */

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
extern enum step lose_at;
extern unsigned int lose_cpu;
extern jmp_buf *parked; /* also where a CPU that finds the system halting parks */
extern enum step shell_at;
extern int (*shell_does)(struct cell *cell, const char *why);
extern unsigned int shell_times;
extern int told[2];

/* The shell's turn, if @step is shell_at: shell_does() to beta from CPU 0, shell_times times. */
void shell_acts(enum step step);

/*
 * CPU lose_cpu faults at EL2 here: what exception.c does after its report.
 * If it is the CPU running this step, it parks: the step never goes on.
 */
void lose_cpu_at(enum step step);

/* --- the CPUs ----------------------------------------------------------------- */

/* Armed by a test: a wait that never ends fails it instead. */
extern unsigned int relax_limit, relaxes;

/*
 * A holder seen as it lets go of @lets_go_as_it_parks, which CPU
 * next_holder takes at once, and parks (arch_cpu_parked()); next_holder
 * lets go at the waiter's next pause.
 */
extern struct spinlock *lets_go_as_it_parks;
extern unsigned int next_holder;
extern struct spinlock *next_holder_lets_go;

/* CPUs that parked for good (arch_cpu_park()). */
extern uint32_t parked_cpus;

/* Where a CPU with nothing to run waits, if a test lets it (cell_cpu_loop()). */
extern jmp_buf *idle;

/* Where a CPU that parks for good lands, if a test expects one to (spin_wait_lost()). */
extern jmp_buf *park_to;
extern unsigned int parks;

/*
 * on-fault "halt-system" with a firmware that left the board on (partitions/halt.c):
 * the halt comes at step halt_at, on another CPU; a CPU that looks then parks (the
 * test's jump to parked).
 */
extern enum step halt_at;
extern bool halted;

/* What a reload gives back before it starts the cell: its memory, its DMA. */
extern unsigned int stage2_given_back, dma_resumed, stage2_revoked, resumed_at_first_step;

/* A direct cell's vCPU in WFI with its kick held off (docs/vgic.md): it never leaves. */
extern unsigned int holds_kick;

/* --- the cell's devices and image --------------------------------------------- */

/*
 * A load's steps (cell_load_step()): scrub_steps of the scrub, then
 * copy_steps of the kernel's and initrd's copies, each counted with the
 * interrupt windows and the state it saw; the shell acts, a CPU is lost or
 * the system halts at the scrub's step numbered scrub_step_acts (AT_SCRUB)
 * or the copy's numbered copy_step_acts (AT_COPY). The last step, the
 * device tree's, counts a load (AT_RELOAD).
 */
extern unsigned int scrub_steps, steps_scrubbed, scrub_step_acts, windows_at_step[8];
extern unsigned int copy_steps, steps_copied, copy_step_acts;
extern unsigned int irq_windows; /* arch_irq_window()s opened */
extern enum cell_state state_at_step[8];
extern enum vcpu_power power_at_step[8];

/*
 * arch_serror_take_for(): the windows opened, the last one's cell and CPU
 * and how many quiesces had run by then; arch_serror_pending() says
 * serror_pending_before.
 */
extern unsigned int serror_windows, window_cpu, quiesces_at_window;
extern struct cell *window_cell;
extern bool serror_pending_before;

/* Whether beta has a function a reload resets (an FLR it waits up to 100 ms for). */
extern bool beta_reload_resets;
/* pci_reset_left(): whether beta has a function whose reset is not over. */
extern bool beta_reset_left;

/* pci_reset_step(): how many calls find a reset still under way, and the windows between. */
extern unsigned int reset_steps_left, windows_at_start;

/* pci_reset_end(): called, and beta's boot vCPU and state then. */
extern unsigned int first_boot_ends;
extern enum vcpu_power power_at_first_boot_end;
extern enum cell_state state_at_first_boot_end;

/* The CPU that ended the first boot's PCI resets. */
extern unsigned int first_boot_end_cpu;
/* dma_resumed when pci_reset_end() was called last, ~0u if it was not. */
extern unsigned int resumed_at_reset_end;

/*
 * A failed cell's streams aborted by one of its CPUs (cell_lost.c), not by
 * a stop's quiesce (pci_cell_quiesce()): how often, by which CPU.
 */
extern unsigned int streams_aborted, streams_aborted_by;

/* Whether beta's streams translate, as the SMMU was last told (aborting from smmu_assign() on). */
extern bool beta_dma_translates;
/*
 * What other CPUs do, once, at step meanwhile_at of beta's start: as its
 * first boot's resets end (AT_FIRST_BOOT_END), or as it gives beta's DMA
 * back, before the SMMU takes it (AT_RESUME). The CPU that starts beta
 * goes on after, as it was.
 */
extern enum step meanwhile_at;
extern void (*meanwhile)(void);

/* What vgic_hw_cpu_init() says: 0, or a direct cell's CPU cannot take Group 0 (-ENODEV). */
extern int cpu_init_result;

/* Management calls refused (fault_denied()): a failure unless the test expects them. */
extern bool denials_expected;
extern unsigned int denials;

/* A lost CPU's cell under on-fault halt-system: halt_system(), which never returns there. */
extern unsigned int policies;
extern struct cell *policy_cell;
extern const char *policy_why;

/* The device tree build's lock, let go by the lost CPU if it held it (guest_dt.c). */
extern unsigned int dt_builds_let_go;
extern unsigned int dt_build_let_go_by;

/* --- what each test starts from, and does --------------------------------------- */

/* Each test's start: alpha (management) on CPU 0 and beta on CPU 1, both running boot #5. */
int setup(void **state);

/* beta's vCPU 0 calls PSCI SYSTEM_RESET, as tests/guests/reset_storm.c does at every boot. */
void beta_resets_itself(void);

/*
 * beta resets itself, and the system halts at step @at, on another CPU: CPU 1
 * parks when it looks.
 */
void beta_resets_itself_as_the_system_halts(enum step at);

/* beta STOPPED in boot #5, its boot vCPU not turned on again, and no stop left for a later start.
 */
void assert_beta_stopped(void);

/* What the shell does (shell_does): stop the cell. */
int shell_stop(struct cell *cell, const char *why);

/* Another vCPU of beta powers the cell off (PSCI SYSTEM_OFF), or faults under on-fault "stop". */
int vcpu_powers_off(struct cell *cell, const char *why);
int vcpu_faults_stop(struct cell *cell, const char *why);

/*
 * A DMA fault of boot #5 whose policy comes from the SMMU interrupt on
 * another CPU (fault_policy_async() -> manage.c), naming the boot.
 */
int dma_fault_restarts_boot_5(struct cell *cell, const char *why);
int dma_fault_stops_boot_5(struct cell *cell, const char *why);
/* Another vCPU of beta stops it for fault.c's longest reason (a stage-2 fault not the guest's). */
int vcpu_faults_not_its_own(struct cell *cell, const char *why);

/* A management cell's CELL_STOP: x0 = 1, queued (docs/console.md). */
int management_stop(struct cell *cell, const char *why);

/* As boot_cells() finds beta: built and loaded, LOADING, its vCPU off. On CPU 0. */
void beta_first_start_at_boot(bool reset_left);

/* @cpu's loop, until it enters its vCPU or waits idle. */
void cpu_loop_once(unsigned int cpu);

/* beta's CPU once the boot is done: its loop, until beta's guest or its idle wait. */
void beta_cpu_after_the_boot(void);

/* beta on CPUs 1 and 2, its reload beginning an FLR: vcpu1 (CPU 2) resets the cell. */
void vcpu1_restarts_beta_with_a_reset_left(void);

/* beta on CPUs 1 and 2, both vCPUs in the guest. */
void beta_on_two_cpus(void);

/* beta stopped and marked failed, every vCPU off and out, nothing having waited for a lost CPU. */
void assert_beta_failed(void);

/* beta's boot CPU takes the kick that carries its pending request (cell_kick_handler()). */
void beta_takes_its_request(void);

/*
 * @cpu takes @lock, @cell's, and is lost at EL2 inside it: the start of its
 * report fails the cell and marks the lock (cell_locks_lost()); the rest of
 * the report, and the cell's stop, still to come.
 */
void lose_cpu_inside(unsigned int cpu, struct spinlock *lock);

/* @cpu, kicked back into its loop, which it may leave only by parking at a lock. */
void cpu_loop_or_park(unsigned int cpu);

#endif
