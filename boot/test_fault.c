// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which deliberate fault the test build takes (include/test_fault.h). Empty
 * in the product build.
 */
#ifdef BULKHEAD_TEST_FAULT
#include <libfdt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "arch/cpu.h"
#include "boot.h"
#include "log.h"
#include "test_fault.h"

#define TEST_FAULT_ARG "bulkhead.test-fault="

static enum test_fault chosen;

static const char test_fault_names[][24] = {
	[TEST_FAULT_EL2_ABORT] = "el2-abort",
	[TEST_FAULT_GIC_CPU1] = "gic-cpu1",
	[TEST_FAULT_EL2_STACK] = "el2-stack",
	[TEST_FAULT_PMUSERENR] = "pmuserenr",
	[TEST_FAULT_PARANGE_CPU1] = "parange-cpu1",
	[TEST_FAULT_SMMU_CMDQ_ERROR] = "smmu-cmdq-error",
	[TEST_FAULT_GUEST_TRAP_CPU2] = "guest-trap-cpu2",
	[TEST_FAULT_RELOAD_CPU1] = "reload-cpu1",
	[TEST_FAULT_SYSTEM_OFF_REFUSED] = "system-off-refused",
	[TEST_FAULT_PANIC_RELOAD_CPU1] = "panic-reload-cpu1",
	[TEST_FAULT_S2_AF_CLEAR] = "s2-af-clear",
	[TEST_FAULT_SMMU_LOCK_RELOAD_CPU1] = "smmu-lock-reload-cpu1",
	[TEST_FAULT_BOOT_CELLS_CPU0] = "boot-cells-cpu0",
	[TEST_FAULT_EARLY_ABORT] = "early-abort",
	[TEST_FAULT_BOOT_WAIT_CPU2] = "boot-wait-cpu2",
	[TEST_FAULT_MAP_LOCK_RELOAD_CPU1] = "map-lock-reload-cpu1",
	[TEST_FAULT_CELL_LOCK_PSCI_CPU1] = "cell-lock-psci-cpu1",
	[TEST_FAULT_FIRST_START_CPU1] = "first-start-cpu1",
	[TEST_FAULT_MANAGE_LOCK_CPU1] = "manage-lock-cpu1",
};

#define TEST_FAULT_COUNT (sizeof(test_fault_names) / sizeof(test_fault_names[0]))

/* Every name, ", " between, for the message that lists them. */
static void join_names(char *buf, size_t size)
{
	size_t pos = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < TEST_FAULT_COUNT && pos < size; i++)
		pos += (size_t)snprintf(buf + pos, size - pos, "%s%s", i ? ", " : "",
					test_fault_names[i]);
}

void test_fault_select(const void *board_fdt, const struct platform *plat)
{
	const char *arg = boot_arg(board_fdt, plat, TEST_FAULT_ARG);
	const char *name = arg ? arg + strlen(TEST_FAULT_ARG) : NULL;
	const char *end = name ? strchr(name, ' ') : NULL;
	size_t len = !name ? 0 : end ? (size_t)(end - name) : strlen(name);
	bool found = !name;
	char given[32], names[TEST_FAULT_COUNT * 26];
	unsigned int i;

	for (i = 0; name && i < TEST_FAULT_COUNT; i++)
		if (strlen(test_fault_names[i]) == len &&
		    !strncmp(name, test_fault_names[i], len)) {
			chosen = (enum test_fault)i;
			found = true;
		}
	/*
	 * lib/printf.c has no '*' width or precision ("%.*s" read the length as
	 * the next argument, and the name after it as a pointer): a bounded copy.
	 */
	if (!found) {
		size_t n = len < sizeof(given) ? len : sizeof(given) - 1;

		memcpy(given, name, n);
		given[n] = '\0';
		join_names(names, sizeof(names));
		log_err("test-fault: /chosen: bootargs: " TEST_FAULT_ARG "%s: no such fault (%s); "
			"taking %s",
			given, names, test_fault_names[chosen]);
	}
	log_info("test-fault: %s", test_fault_names[chosen]);
}

enum test_fault test_fault_chosen(void)
{
	return chosen;
}

bool test_fault_once(enum test_fault fault)
{
	static bool taken;

	return chosen == fault && !__atomic_exchange_n(&taken, true, __ATOMIC_RELAXED);
}

/* @fault is the one chosen, this is CPU @cpu, and it was not taken yet: take it now. */
static bool take_now(enum test_fault fault, unsigned int cpu)
{
	return arch_cpu_index() == cpu && test_fault_once(fault);
}

void test_fault_at(enum test_fault fault, unsigned int cpu, const char *where)
{
	if (!take_now(fault, cpu))
		return;
	log_info("test-fault: cpu%u reading an unmapped VA at 0x%lx in %s", cpu,
		 (unsigned long)TEST_FAULT_VA, where);
	(void)*(volatile uint64_t *)TEST_FAULT_VA;
}

void __stack_chk_fail(void); /* lib/stack_chk.c: libfdt's stack check failed */

void test_fault_panic_at(enum test_fault fault, unsigned int cpu, const char *where)
{
	if (!take_now(fault, cpu))
		return;
	log_info("test-fault: cpu%u calling __stack_chk_fail in %s", cpu, where);
	__stack_chk_fail();
}
#endif
