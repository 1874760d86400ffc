// SPDX-License-Identifier: GPL-2.0-only
/* The CPUs the life-cycle tests play, one host thread for all (lifecycle_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

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
#include "lifecycle_fixture.h"
#include "manage.h"
#include "memstat.h"
#include "pci.h"
#include "smmu.h"
#include "vgic.h"
#include "vgic_hw.h"
#include "vuart.h"

unsigned int self;
uint64_t now;
jmp_buf *loop;
jmp_buf *guest;
uint64_t counter_hz;
unsigned int loads, quiesces;
int quiesce_result;

enum step lose_at;
unsigned int lose_cpu;
jmp_buf *parked;
enum step shell_at;
int (*shell_does)(struct cell *cell, const char *why);
unsigned int shell_times;
int told[2];

void shell_acts(enum step step)
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

void lose_cpu_at(enum step step)
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

unsigned int relax_limit, relaxes;

struct spinlock *lets_go_as_it_parks;
unsigned int next_holder;
struct spinlock *next_holder_lets_go;

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

uint32_t parked_cpus;

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

jmp_buf *idle;

void arch_cpu_wait_irq(void)
{
	if (idle)
		longjmp(*idle, 1);
	fail_msg("arch_cpu_wait_irq()");
}

jmp_buf *park_to;
unsigned int parks;

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

enum step halt_at;
bool halted;

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

unsigned int stage2_given_back, dma_resumed, stage2_revoked;

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

unsigned int holds_kick = ~0u;

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

void beta_first_start_at_boot(bool reset_left)
{
	beta->state = CELL_LOADING;
	beta->owner = 0;
	beta->vcpus[0].power = VCPU_OFF;
	beta_reset_left = reset_left;
	self = 0;
	cell_first_start(beta);
}

void cpu_loop_once(unsigned int cpu)
{
	jmp_buf entered, waits;

	self = cpu;
	guest = &entered;
	idle = &waits;
	if (!setjmp(entered) && !setjmp(waits))
		cell_cpu_loop(cpu);
	guest = idle = NULL;
}

void beta_cpu_after_the_boot(void)
{
	cpu_loop_once(BETA_CPU);
}

void vcpu1_restarts_beta_with_a_reset_left(void)
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

void beta_on_two_cpus(void)
{
	beta->nr_vcpus = 2;
	beta->vcpus[1] = (struct vcpu){ .cell = beta, .index = 1, .pcpu = 2, .power = VCPU_ON };
	beta->vcpus[0].in_guest = beta->vcpus[1].in_guest = true;
	cells_pcpu_vcpu[2] = &beta->vcpus[1];
}

void lose_cpu_inside(unsigned int cpu, struct spinlock *lock)
{
	self = cpu;
	spin_lock(lock);
	cell_locks_lost();
}

void cpu_loop_or_park(unsigned int cpu)
{
	jmp_buf park;

	park_to = &park;
	if (!setjmp(park))
		cpu_loop_once(cpu);
	park_to = NULL;
	guest = idle = NULL; /* cpu_loop_once()'s, left by the jump */
}

void beta_takes_its_request(void)
{
	jmp_buf back;

	self = BETA_CPU;
	loop = &back;
	if (!setjmp(back))
		manage_run_request(beta);
	assert_int_equal(beta->request, CELL_REQ_NONE);
}
