// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which CPUs are online, and why the others are not. At bring-up
 * (arch/arm64/smp.c) the boot CPU waits a bounded time for each secondary to
 * report in; both move the CPU out of CPU_OFF by compare-and-swap, so that a
 * CPU coming up just as the boot CPU gives up is either counted online or
 * parks, never both. Cells are bound to CPU_ONLINE CPUs only
 * (partitions/cell_create.c); a cell naming another is refused with the
 * reason kept here. No system register: the host unit tests run it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch/cpu.h"
#include "cpu_local.h"

static enum cpu_state state_of(struct cpu_local *c)
{
	return __atomic_load_n(&c->state, __ATOMIC_ACQUIRE);
}

static enum cpu_down down_of(struct cpu_local *c)
{
	return __atomic_load_n(&c->down, __ATOMIC_ACQUIRE);
}

static bool cpu_state_move(struct cpu_local *c, enum cpu_state from, enum cpu_state to)
{
	return __atomic_compare_exchange_n(&c->state, &from, to, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

bool cpu_state_report_online(struct cpu_local *c)
{
	return cpu_state_move(c, CPU_OFF, CPU_ONLINE);
}

/*
 * A secondary whose GIC could not be set up records why and parks without
 * leaving CPU_OFF: the boot CPU may give up on it in between, and its
 * "did not report in" must not hide the reason the CPU gave. Whichever
 * writes second, the CPU's own reason stays.
 */
bool cpu_state_abandon(struct cpu_local *c, enum cpu_down why)
{
	enum cpu_down none = CPU_DOWN_NONE;

	if (!cpu_state_move(c, CPU_OFF, CPU_ABANDONED))
		return false;
	__atomic_compare_exchange_n(&c->down, &none, why, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_ACQUIRE);
	return true;
}

bool cpu_state_withdraw(struct cpu_local *c, enum cpu_down why)
{
	if (!cpu_state_move(c, CPU_ONLINE, CPU_ABANDONED))
		return false;
	cpu_state_set_down(c, why);
	return true;
}

void cpu_state_set_down(struct cpu_local *c, enum cpu_down why)
{
	__atomic_store_n(&c->down, why, __ATOMIC_RELEASE);
}

int arch_cpu_index_of_mpidr(uint64_t mpidr)
{
	unsigned int i;

	for (i = 0; i < MAX_CPUS; i++)
		if (state_of(cpu_local_of(i)) == CPU_ONLINE && cpu_local_of(i)->mpidr == mpidr)
			return (int)i;
	return -1;
}

unsigned int cpu_state_online(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < MAX_CPUS; i++)
		n += state_of(cpu_local_of(i)) == CPU_ONLINE;
	return n;
}

/* The slot bring-up gave the CPU with @mpidr (it started it, or tried), or NULL. */
static struct cpu_local *slot_of(uint64_t mpidr)
{
	unsigned int i;
	struct cpu_local *c;

	for (i = 0; i < MAX_CPUS; i++) {
		c = cpu_local_of(i);
		if ((state_of(c) != CPU_OFF || down_of(c) != CPU_DOWN_NONE) && c->mpidr == mpidr)
			return c;
	}
	return NULL;
}

const char *cpu_state_down_text(enum cpu_down why)
{
	switch (why) {
	case CPU_DOWN_NO_STACK:
		return "its EL2 stack could not be mapped, so it was not started";
	case CPU_DOWN_CPU_ON:
		return "the firmware's PSCI CPU_ON failed";
	case CPU_DOWN_ALREADY_ON:
		return "the firmware says it was already on: code Bulkhead did not start runs on "
		       "it";
	case CPU_DOWN_NO_REPORT:
		return "it was started but did not report in in time";
	case CPU_DOWN_GIC:
		return "its GIC redistributor or CPU interface could not be set up";
	case CPU_DOWN_SELFTEST:
		return "it did not take the boot CPU's IPI self-test interrupt";
	case CPU_DOWN_PA_RANGE:
		return "its physical address range is smaller than the boot CPU's, for which every "
		       "cell's stage 2 is built";
	default:
		return NULL;
	}
}

const char *arch_cpu_offline_why(uint64_t mpidr)
{
	struct cpu_local *c = slot_of(mpidr);
	const char *text;

	if (!c)
		return "Bulkhead did not start it";
	text = cpu_state_down_text(down_of(c));
	if (text)
		return text;
	switch (state_of(c)) {
	case CPU_ONLINE:
		return "it is online";
	case CPU_PARKED:
		return "it stopped after an error (see the boot log)";
	default:
		return "it has not reported in";
	}
}
