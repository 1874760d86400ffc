// SPDX-License-Identifier: GPL-2.0-only
/*
 * The system halt of on-fault "halt-system" when the firmware leaves the
 * board on (partitions/halt.c): every CPU parks, and parks out of the guest.
 * A CPU that parks with its vCPU still marked in the guest holds up any stop
 * or restart of that cell another CPU owns meanwhile: it waits its full
 * second for a vCPU that never leaves (cell_wait_vcpus_out(): "ignored the
 * stop", "did not leave the guest"), or defers a start for it.
 *
 * One host thread plays every CPU: arch_cpu_index() says which one runs. A
 * kicked CPU takes its kick at once, as cell_kick_handler() does first
 * (halt_if_halting()); arch_cpu_park() jumps back to whoever made that CPU
 * run. The halt is one-way: once up, its flag stays up for every test here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "console.h"
#include "fake_log.h"
#include "gic.h"
#include "halt.h"
#include "smmu.h"

#define NR_CPUS 3 /* alpha's vcpu0 on CPU 0, beta's vcpu0 and vcpu1 on CPUs 1 and 2 */

static const struct layout_cell alpha_cfg = { .label = "alpha", .nr_cpus = 1 };
static const struct layout_cell beta_cfg = { .label = "beta", .nr_cpus = 2 };
/* Refused at boot (a CPU it names was not online): it has no stage 2 to revoke. */
static const struct layout_cell gamma_cfg = { .label = "gamma", .nr_cpus = 1 };
static struct cell cells[3];
struct vcpu *cells_pcpu_vcpu[PLATFORM_MAX_CPUS];

static unsigned int self;
static bool parked[NR_CPUS];
static jmp_buf *park_to;
static uint64_t now;

/* --- what halt.c calls ------------------------------------------------------- */

unsigned int arch_cpu_index(void)
{
	return self;
}

uint64_t arch_cpu_mpidr_of(unsigned int index)
{
	return index;
}

/* A parked CPU is no longer online (cpu.c's arch_cpu_park(): CPU_PARKED). */
int arch_cpu_index_of_mpidr(uint64_t mpidr)
{
	return mpidr < NR_CPUS && !parked[mpidr] ? (int)mpidr : -1;
}

uint64_t arch_counter_read(void)
{
	return now += 1000;
}

uint64_t arch_counter_freq(void)
{
	return 1000000;
}

void arch_cpu_relax(void)
{
}

void arch_cpu_park(void)
{
	parked[self] = true;
	longjmp(*park_to, 1);
}

const char *arch_system_off(void)
{
	return "NOT_SUPPORTED";
}

void arch_stage2_revoke(struct cell *cell, bool revoke)
{
	(void)revoke;
	if (cell->refused)
		fail_msg("%s, refused at boot, had its stage 2 revoked: it never had one",
			 cell->cfg->label);
}

int smmu_halt_dma(void)
{
	return 0;
}

void console_flush(void)
{
}

unsigned int cells_count(void)
{
	return 3;
}

struct cell *cell_get(unsigned int id)
{
	return id < 3 ? &cells[id] : NULL;
}

/*
 * @target takes its kick now, in its guest: cell_kick_handler() looks at the
 * halt first. A CPU's kick to itself stays pending: it is at EL2, its
 * interrupts masked, until it parks.
 */
void gic_kick(unsigned int target)
{
	unsigned int cpu = self;
	jmp_buf *back = park_to, here;

	if (target >= NR_CPUS || parked[target] || target == self)
		return;
	park_to = &here;
	self = target;
	if (!setjmp(here))
		halt_if_halting();
	self = cpu;
	park_to = back;
}

/* --- helpers ----------------------------------------------------------------- */

static void make_cell(struct cell *c, const struct layout_cell *cfg, unsigned int first_cpu)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->state = CELL_RUNNING;
	c->nr_vcpus = (unsigned int)cfg->nr_cpus;
	for (unsigned int i = 0; i < c->nr_vcpus; i++) {
		c->vcpus[i] = (struct vcpu){ .cell = c,
					     .index = i,
					     .pcpu = first_cpu + i,
					     .power = VCPU_ON,
					     .in_guest = true };
		cells_pcpu_vcpu[first_cpu + i] = &c->vcpus[i];
	}
}

static int setup(void **state)
{
	(void)state;
	make_cell(&cells[0], &alpha_cfg, 0);
	make_cell(&cells[1], &beta_cfg, 1);
	cells[2] = (struct cell){ .cfg = &gamma_cfg, .refused = true };
	memset(parked, 0, sizeof(parked));
	fake_log_reset();
	return 0;
}

/* Every CPU that parked, parked out of the guest. */
static void assert_parked_out_of_the_guest(void)
{
	for (unsigned int c = 0; c < 2; c++)
		for (unsigned int i = 0; i < cells[c].nr_vcpus; i++)
			if (parked[cells[c].vcpus[i].pcpu] && cells[c].vcpus[i].in_guest)
				fail_msg("%s's vcpu%u (CPU %u) parked in the guest: a stop of its "
					 "cell waits for it",
					 cells[c].cfg->label, i, cells[c].vcpus[i].pcpu);
}

/* --- tests ------------------------------------------------------------------- */

/*
 * CPU 0 halts the system from a trap of alpha's guest (its fault policy);
 * CPUs 1 and 2 park in their kick handlers, in beta's guest. Until
 * 2026-11-24 every vCPU stayed marked in the guest.
 */
static void test_every_cpu_parks_out_of_the_guest(void **state)
{
	jmp_buf halted;

	(void)state;
	self = 0;
	park_to = &halted;
	if (!setjmp(halted))
		halt_system();
	for (unsigned int i = 0; i < NR_CPUS; i++)
		if (!parked[i])
			fail_msg("CPU %u did not park; log:\n%s", i, fake_log_text());
	assert_logged("halt: every CPU stopped, every cell's DMA aborted");
	assert_parked_out_of_the_guest();
}

/*
 * The halt under way: a CPU that comes back to EL2's control later (its
 * loop, a trap, a second halt of its own) parks out of the guest too.
 */
static void test_a_cpu_that_finds_the_halt_later_parks_out_of_the_guest(void **state)
{
	jmp_buf back;

	(void)state;
	self = 2;
	park_to = &back;
	if (!setjmp(back))
		halt_if_halting();
	assert_true(parked[2]);
	self = 1;
	if (!setjmp(back))
		halt_system();
	assert_true(parked[1]);
	assert_parked_out_of_the_guest();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_cpu_parks_out_of_the_guest, setup),
		cmocka_unit_test_setup(test_a_cpu_that_finds_the_halt_later_parks_out_of_the_guest,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
