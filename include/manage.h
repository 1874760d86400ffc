/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_MANAGE_H
#define BULKHEAD_MANAGE_H

#include <stdint.h>

struct cell;
struct vcpu;
struct smccc_regs;

/*
 * Operating cells from outside them: the console shell and the hypercalls of
 * a cell marked `management` (partitions/manage.c). Every request runs on
 * the target cell's own CPU (its boot vCPU's): there no other guest's FP/SIMD
 * state is live, which libfdt requires (include/fdt_glue.h), and the caller
 * (a shell on some other cell's CPU) always gets control back.
 */
enum cell_request {
	CELL_REQ_NONE,
	CELL_REQ_START,
	CELL_REQ_RESTART,
	CELL_REQ_STOP,
};

/*
 * 0: posted. -EALREADY: the cell is in the state asked for already (stopped;
 * for start and restart, running); -EBUSY: it is busy, try again. A stop for
 * a cell busy restarting or starting returns -EINPROGRESS: queued, the cell
 * then stops instead of running again; -EEXIST if a stop is under way or
 * queued already. The code says which state refused, whatever the cell is
 * by the time the caller looks.
 */
int manage_stop(struct cell *cell, const char *why);
int manage_start(struct cell *cell, const char *why);
int manage_restart(struct cell *cell, const char *why);
/*
 * The same for a DMA fault's on-fault policy (fault_policy_async()), from the
 * interrupt of whichever CPU took it, another cell's included: that CPU does
 * not wait for the cell's to take its kick. A cell in direct interrupt mode,
 * which can hold the kick off (docs/vgic.md), is pulled out at once
 * (cell_force_out()) instead of after the others' 500 ms. The restart is of a
 * running cell only (-EALREADY if it stopped meanwhile: that stop stands).
 * Both act on the cell's boot #@boot only, the one whose DMA faulted:
 * -ESTALE, nothing posted, if it has started again since (0: on any boot).
 */
int manage_stop_async(struct cell *cell, const char *why, uint64_t boot);
int manage_restart_async(struct cell *cell, const char *why, uint64_t boot);
/* On the cell's own CPU, from its kick: carry out a pending request. */
void manage_run_request(struct cell *cell);
/*
 * Under the cell's lock: the request waiting for the cell's boot CPU taken
 * off (CELL_REQ_NONE if none), and who asked for it (a string literal).
 */
enum cell_request manage_take_request(struct cell *cell, const char **who);
/* A request taken off a cell that lost a CPU (cell_lost.c): told, not carried out. */
void manage_drop_request(const struct cell *cell, enum cell_request req, const char *who);
/* A cell by label or decimal index, or NULL. */
struct cell *manage_find(const char *name);

/* Management hypercalls (BULKHEAD_HC_CELL_*); non-management cells are refused. */
void manage_hypercall(struct vcpu *vcpu, struct smccc_regs *regs);

/* Console input from the physical UART (partitions/console_mux.c), @baud 0 if unknown. */
void console_mux_init(uint32_t baud);
void console_mux_rx(void);
/* A lone ESC's time is up: the Escape key, unless the rest of a sequence came (hyp_timer.c). */
void console_mux_timer(void);
/* The console has room again: cells' held lines go out (console_tx_async()'s hook). */
void console_mux_tx_room(void);
/* INTID of the console UART's interrupt, 0 if none (boot/main.c). */
unsigned int console_irq(void);
/* The hypervisor shell (partitions/shell.c). */
void shell_input(char c);
void shell_prompt(void);

/* Watchdog (partitions/watchdog.c): kicks, and the EL2 timer that checks deadlines. */
void watchdog_kick(struct cell *cell);
void watchdog_timer_irq(void);
void watchdog_cpu_init(struct vcpu *vcpu);

#endif
