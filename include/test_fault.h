/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test build's deliberate faults (-DBULKHEAD_TEST_FAULT, build/hyp-testfault;
 * boot/test_fault.c), one per boot, chosen on the kernel command line:
 * "bulkhead.test-fault=NAME" in /chosen/bootargs (U-Boot's bootargs, QEMU's -append).
 */
#ifndef BULKHEAD_TEST_FAULT_H
#define BULKHEAD_TEST_FAULT_H

#include <stdbool.h>
#include "platform.h"

enum test_fault {
	/* The default: after boot one CPU reads where it must not (boot/main.c); no cell starts. */
	TEST_FAULT_EL2_ABORT,
	/* "gic-cpu1": CPU 1's gic_cpu_init() fails; the cells are built and started as usual. */
	TEST_FAULT_GIC_CPU1,
	/* "el2-stack": after boot CPU 1 recurses until its EL2 stack is used up; no cell starts. */
	TEST_FAULT_EL2_STACK,
	/*
	 * "pmuserenr": every CPU sets PMUSERENR_EL0 to 0xf before its cell starts, as
	 * firmware may leave it (UNKNOWN at reset); the cells run as usual.
	 */
	TEST_FAULT_PMUSERENR,
	/* "parange-cpu1": CPU 1 reports 32 PA bits, fewer than the boot CPU's; cells start as
	   usual. */
	TEST_FAULT_PARANGE_CPU1,
	/* "smmu-cmdq-error": a command-queue error left unacknowledged before smmu_init(). */
	TEST_FAULT_SMMU_CMDQ_ERROR,
	/*
	 * "guest-trap-cpu2": CPU 2 takes an EL2 data abort in the first
	 * synchronous trap of the vCPU it runs (partitions/cell_lost.c).
	 */
	TEST_FAULT_GUEST_TRAP_CPU2,
	/* "reload-cpu1": CPU 1 takes an EL2 data abort as it reloads its cell (a restart). */
	TEST_FAULT_RELOAD_CPU1,
	/*
	 * "system-off-refused": the firmware's PSCI SYSTEM_OFF answers
	 * NOT_SUPPORTED, as TF-A without a system_off hook does (no SMC made).
	 */
	TEST_FAULT_SYSTEM_OFF_REFUSED,
	/*
	 * "panic-reload-cpu1": CPU 1 calls __stack_chk_fail(), libfdt's stack
	 * check, building its cell's device tree in a reload (a restart).
	 */
	TEST_FAULT_PANIC_RELOAD_CPU1,
	/*
	 * "s2-af-clear": as the layout's second cell (cell 1) first enters its
	 * guest, the stage-2 descriptor of the page TEST_FAULT_S2_AF_OFFSET into
	 * its boot RAM loses its access flag, the block over it split into pages
	 * (arch/arm64/stage2.c): the guest's first access there takes a stage-2
	 * access flag fault, one of the hypervisor's tables. Once per system
	 * boot; the tables keep it.
	 */
	TEST_FAULT_S2_AF_CLEAR,
	/*
	 * "smmu-lock-reload-cpu1": CPU 1 takes an EL2 data abort holding the
	 * SMMU command queue's lock, as it reloads its cell (a restart), and
	 * PSCI SYSTEM_OFF answers NOT_SUPPORTED as under system-off-refused:
	 * the halt that follows under on-fault halt-system stops the system
	 * itself, its DMA abort included. Only if CPU 1's cell owns an SMMU
	 * stream (tests/scenarios/layouts/smmu-lost.dts): a cell without one
	 * takes no lock of the queue's.
	 */
	TEST_FAULT_SMMU_LOCK_RELOAD_CPU1,
	/*
	 * "boot-cells-cpu0": CPU 0 takes an EL2 data abort once it has built
	 * and started the layout's cells, before the boot is done (boot/main.c).
	 */
	TEST_FAULT_BOOT_CELLS_CPU0,
	/*
	 * "early-abort": CPU 0 takes an EL2 data abort after the MMU is on but
	 * before the console is (boot/main.c, before platform_discover()).
	 */
	TEST_FAULT_EARLY_ABORT,
	/*
	 * "boot-wait-cpu2": CPU 2, online and waiting for the boot's end, takes
	 * an EL2 data abort once CPU 0 has built the cells (their vCPUs bound),
	 * before it starts them; CPU 0 goes on once CPU 2 has parked.
	 */
	TEST_FAULT_BOOT_WAIT_CPU2,
	/*
	 * "map-lock-reload-cpu1": CPU 1 takes an EL2 data abort holding the EL2
	 * map's lock, as it opens its window to reload its cell (a restart).
	 */
	TEST_FAULT_MAP_LOCK_RELOAD_CPU1,
	/*
	 * "cell-lock-psci-cpu1": CPU 1 takes an EL2 data abort inside its
	 * cell's lock, at its guest's first PSCI CPU_ON (partitions/vpsci.c),
	 * and parks with it (tests/guests/shm_lost_peer.c).
	 */
	TEST_FAULT_CELL_LOCK_PSCI_CPU1,
	/*
	 * "first-start-cpu1": CPU 1 takes an EL2 data abort as it takes its
	 * cell's first start, which the boot left to it because the cell's PCI
	 * functions were still in their reset (partitions/cell_loop.c), after the
	 * boot is done (tests/scenarios/layouts/pci-reset-cpu1.dts).
	 */
	TEST_FAULT_FIRST_START_CPU1,
	/*
	 * "manage-lock-cpu1": CPU 1 takes an EL2 data abort inside another
	 * cell's lock, in its management cell's first CELL_STATUS call of it
	 * (partitions/manage.c; tests/scenarios/layouts/manage-lost.dts).
	 */
	TEST_FAULT_MANAGE_LOCK_CPU1,
};

/* 1 MiB: past a test guest's image, below its DTB (tests/guests/page_touch.c). */
#define TEST_FAULT_S2_AF_OFFSET 0x100000ULL

/* Where the test build's EL2 aborts read: under the last root entry, which no CPU maps. */
#define TEST_FAULT_VA 0xff8000000000ULL

#ifdef BULKHEAD_TEST_FAULT
/* Boot CPU, before discovery: read the choice from @board_fdt (@plat's index not built yet). */
void test_fault_select(const void *board_fdt, const struct platform *plat);
enum test_fault test_fault_chosen(void);
/*
 * If @fault is the one chosen and this is CPU @cpu: say so ("test-fault:
 * cpuN reading an unmapped VA at 0x... in @where") and read TEST_FAULT_VA,
 * an EL2 data abort. Once.
 */
void test_fault_at(enum test_fault fault, unsigned int cpu, const char *where);
/* The same, but a panic: "test-fault: cpuN calling __stack_chk_fail in @where", and the call. */
void test_fault_panic_at(enum test_fault fault, unsigned int cpu, const char *where);
/* @fault is the one chosen and not taken yet: true, once, on whichever CPU asks first. */
bool test_fault_once(enum test_fault fault);
#endif

#endif
