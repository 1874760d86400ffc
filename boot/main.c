// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot CPU's path from the boot loader to a running system:
 * MMU on, board FDT copied and read, devices mapped, console up, CPUs
 * started. Any problem is reported and stops the boot safely.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "arch/cpu.h"
#include "arch/smp.h"
#include "arch/vcpu.h"
#include "boot.h"
#include "cell.h"
#include "console.h"
#include "cpu_local.h"
#include "cpu_stack.h"
#include "fdt_glue.h"
#include "gic.h"
#include "log.h"
#include "manage.h"
#include "uart.h"
#include "mmu.h"
#include "platform.h"
#include "psci.h"
#include "smmu.h"
#include "sysreg.h"
#include "test_fault.h"

#ifndef BULKHEAD_VERSION
#define BULKHEAD_VERSION "unknown"
#endif

static uint8_t board_fdt[PLATFORM_FDT_COPY_MAX] __attribute__((aligned(8)));
static struct platform plat;

void arch_counter_set_freq(uint64_t hz);
void boot_main(void *loader_fdt);

/*
 * Errors found before the console is known are kept by the console; show
 * them on stdout-path's UART if it is usable, else on the first UART of a
 * kind the drivers handle (platform_find_fallback_uart()). Only the boot
 * CPU runs yet: the EL2 map's lock is held only if it faulted holding it
 * (console_rescue()), and then the map is not touched.
 */
static void console_fallback(const void *fdt)
{
	struct platform_uart uart;

	if (console_ready() || platform_find_fallback_uart(fdt, &uart))
		return;
	if (!mmu_map_device_nowait(uart.regs.base, uart.regs.size))
		console_init(&uart);
}

/* The tree console_rescue() reads: the loader's once mapped, then the copy of it. */
static const void *rescue_fdt;

/*
 * A fault or panic after the MMU is on but before console_init() (libfdt on
 * the board's tree, mapping it): its report, and every line before it, on
 * the fallback UART, as boot_stop()'s errors are. Before, they stayed in
 * the console's early buffer, and the boot ended without a word.
 */
static void console_rescue(void)
{
	if (rescue_fdt)
		console_fallback(rescue_fdt);
}

static void __attribute__((noreturn)) boot_stop(const char *why)
{
	log_err("boot stopped: %s", why);
	console_flush();
	arch_cpu_park();
}

/* Before the MMU: only the header fields, read bytewise by libfdt's inline accessors. */
static size_t loader_fdt_size(const void *fdt)
{
	if (((uintptr_t)fdt & 7) || fdt_magic(fdt) != FDT_MAGIC)
		return 0;
	return fdt_totalsize(fdt);
}

static void __attribute__((noreturn)) board_fdt_unusable(const void *loader_fdt)
{
	console_fallback(loader_fdt);
	boot_stop("unusable device tree");
}

/*
 * The copy is read, never written, so a plain copy of the blocks in use
 * will do: fdt_open_into() would link libfdt's read-write half (4.4 KiB)
 * for nothing. Version 17 is the first whose header gives the size of the
 * structure block, which platform_fdt_check_size() needs.
 */
static void take_board_fdt(const void *loader_fdt)
{
	size_t used = 0;
	int ret;

	fdt_glue_check();
	ret = fdt_check_header(loader_fdt);
	if (!ret && fdt_version(loader_fdt) < 17)
		ret = -FDT_ERR_BADVERSION;
	if (ret) {
		log_err("platform: FDT at %p: cannot copy it (%s)", loader_fdt, fdt_strerror(ret));
		board_fdt_unusable(loader_fdt);
	}
	if (platform_fdt_check_size(loader_fdt, &used))
		board_fdt_unusable(loader_fdt);
	memcpy(board_fdt, loader_fdt, used);
	fdt_set_totalsize(board_fdt, used);
	rescue_fdt = board_fdt;
	/* The loader's copy is no longer needed; cells may own that RAM. */
	mmu_unmap((uintptr_t)loader_fdt, fdt_totalsize(loader_fdt));
}

/*
 * The console UART before RAM: RAM less its no-map holes takes level-3
 * tables at every unaligned edge and may use up the EL2 table pool, and a
 * UART mapped after that could not say so (nor could the fallback's).
 */
static void map_platform(void)
{
	int ret = mmu_map_device(plat.uart.regs.base, plat.uart.regs.size);

	if (ret) {
		log_err("mmu: cannot map the console UART %s at 0x%lx (%d): EL2 table pool too "
			"small?",
			plat.uart.path, (unsigned long)plat.uart.regs.base, ret);
		console_fallback(board_fdt);
		boot_stop("EL2 memory map incomplete");
	}
	if (el2_ram_map(&plat, board_fdt)) { /* says why */
		console_init(&plat.uart);
		boot_stop("EL2 memory map incomplete");
	}
}

/*
 * The GIC frames the hypervisor drives: v3 the distributor and every
 * redistributor, in every GICR region; v2 the distributor, its CPU interface and the virtual
 * interface control (GICH, for the vGIC). GICV is mapped into cells, not here.
 */
static void map_gic(void)
{
	const struct platform_gic *g = &plat.gic;
	int i, ret = mmu_map_device(g->dist.base, g->dist.size);

	for (i = 0; !ret && g->version == 3 && i < g->nr_redist_regions; i++)
		ret = mmu_map_device(g->redist_regions[i].base, g->redist_regions[i].size);
	if (!ret && g->version == 2)
		ret = mmu_map_device(g->cpuif.base, g->cpuif.size);
	if (!ret && g->version == 2 && g->hyp.size)
		ret = mmu_map_device(g->hyp.base, g->hyp.size);
	if (ret) {
		log_err("mmu: cannot map the GIC (%d): EL2 table pool too small?", ret);
		boot_stop("EL2 memory map incomplete");
	}
}

static void report_memory(void)
{
	char ranges[160];
	uint64_t total = 0;
	size_t n = 0;
	int i;

	ranges[0] = '\0';
	for (i = 0; i < plat.nr_mem && n < sizeof(ranges); i++) {
		total += plat.mem[i].size;
		n += (size_t)snprintf(ranges + n, sizeof(ranges) - n, "%s0x%lx-0x%lx",
				      i ? ", " : "", (unsigned long)plat.mem[i].base,
				      (unsigned long)(plat.mem[i].base + plat.mem[i].size - 1));
	}
	log_info("platform: %lu MiB RAM in %d range(s): %s", (unsigned long)(total >> 20),
		 plat.nr_mem, ranges);
	log_info("platform: hypervisor image at 0x%lx-0x%lx (%lu KiB)",
		 (unsigned long)mmu_image_start(), (unsigned long)mmu_image_end() - 1,
		 (unsigned long)((mmu_image_end() - mmu_image_start()) >> 10));
	el2_ram_report(&plat, board_fdt);
}

static void report_platform(void)
{
	const struct platform_gic *g = &plat.gic;
	char psci[64];

	platform_psci_version_str(psci_fw_version(), psci, sizeof(psci));
	report_memory();
	if (g->version == 3)
		log_info("platform: %d CPUs, PSCI %s via %s, GICv3 (dist 0x%lx, redist 0x%lx), "
			 "timer %lu Hz",
			 plat.nr_cpus, psci, platform_psci_name(plat.psci),
			 (unsigned long)g->dist.base, (unsigned long)g->redist.base,
			 (unsigned long)arch_counter_freq());
	else
		log_info("platform: %d CPUs, PSCI %s via %s, GICv2 (dist 0x%lx, cpu 0x%lx, hyp "
			 "0x%lx, vcpu 0x%lx), timer %lu Hz",
			 plat.nr_cpus, psci, platform_psci_name(plat.psci),
			 (unsigned long)g->dist.base, (unsigned long)g->cpuif.base,
			 (unsigned long)g->hyp.base, (unsigned long)g->vcpu.base,
			 (unsigned long)arch_counter_freq());
	log_info("platform: console %s (%s at 0x%lx)", plat.uart.path,
		 platform_uart_name(plat.uart.type), (unsigned long)plat.uart.regs.base);
	if (plat.smmu.present)
		log_info("platform: SMMUv3 at 0x%lx", (unsigned long)plat.smmu.regs.base);
	if (plat.pcie.present)
		log_info("platform: PCIe ECAM 0x%lx, buses %u-%u",
			 (unsigned long)plat.pcie.ecam.base, plat.pcie.bus_first,
			 plat.pcie.bus_last);
}

#ifdef BULKHEAD_TEST_FAULT
/*
 * Test build: one CPU takes an abort on purpose; the report and parking are
 * under test. With 3 CPUs or more, CPU 1 reads the top of CPU 2's stack at
 * the address CPU 2 runs on it (cpu_stack.h), as a hypervisor bug would.
 * Alone, CPU 0 reads where no CPU maps anything (the last root entry).
 */
static unsigned int test_fault_online;

static void test_fault_take(void)
{
	uint64_t va = TEST_FAULT_VA;

	if (arch_cpu_index() == 1 && __atomic_load_n(&test_fault_online, __ATOMIC_RELAXED) > 2)
		va = cpu_stack_private_top(2) - 8;
	log_info("test-fault: cpu%u reading %s at 0x%lx", arch_cpu_index(),
		 va == TEST_FAULT_VA ? "an unmapped VA" : "cpu2's stack", (unsigned long)va);
	(void)*(volatile uint64_t *)va;
}

/* A runaway recursion: each call's frame stays (the array), until the stack is used up. */
static volatile unsigned int test_fault_depth_max = UINT_MAX;

static unsigned int __attribute__((noinline)) test_fault_recurse(unsigned int depth)
{
	volatile uint8_t frame[256];

	frame[0] = (uint8_t)depth;
	if (depth == test_fault_depth_max)
		return frame[0];
	return test_fault_recurse(depth + 1) + frame[0];
}

/* The chosen fault, on this CPU: CPU 1, or CPU 0 alone (on its boot stack, then). */
static void test_fault_on_this_cpu(void)
{
	if (test_fault_chosen() != TEST_FAULT_EL2_STACK) {
		test_fault_take();
		return;
	}
	log_info("test-fault: cpu%u recursing until its stack is used up", arch_cpu_index());
	test_fault_recurse(0);
}

static bool test_fault_is_cpu1s(void)
{
	enum test_fault f = test_fault_chosen();

	return f == TEST_FAULT_EL2_ABORT || f == TEST_FAULT_EL2_STACK;
}

/* Firmware's PMUSERENR_EL0, EL0 access enabled, on this CPU if it has a PMU. */
static void test_fault_firmware_pmu(void)
{
	if (test_fault_chosen() != TEST_FAULT_PMUSERENR || !arch_cpu_has_pmu())
		return;
	write_sysreg(0xfUL, pmuserenr_el0);
	log_info("test-fault: cpu%u PMUSERENR_EL0 0xf, as firmware may leave it", arch_cpu_index());
}

static void test_fault_boot_cpu(unsigned int online)
{
	if (online < 2) {
		test_fault_on_this_cpu();
		return;
	}
	while (__atomic_load_n(&cpu_local_of(1)->state, __ATOMIC_ACQUIRE) != CPU_PARKED)
		arch_cpu_relax();
	log_info("test-fault: cpu0 still running");
}
#endif

/* The console gave its UART up: the boot CPU takes its interrupt anyway, to tell the cells. */
static void console_nudge(void)
{
	gic_irq_set_pending(plat.uart.irq);
}

/*
 * Keyboard input and queued output: the console UART's interrupt, taken by
 * the boot CPU. Without it the console takes no input, and every CPU that
 * prints waits for the UART to send it.
 */
static void console_input_start(void)
{
	if (!plat.uart.irq) {
		log_warn("console: %s has no interrupt: the console takes no input, and a line "
			 "printed waits for the UART to send it",
			 plat.uart.path);
		return;
	}
	console_mux_init(plat.uart.baud);
	uart_enable_rx_irq();
	console_tx_async(console_mux_tx_room, console_nudge);
	gic_irq_enable(plat.uart.irq);
}

unsigned int console_irq(void)
{
	return plat.uart.irq;
}

/* Secondaries wait for the boot's end in WFI: an SGI wakes each. */
static void kick_secondaries(void)
{
	for (unsigned int i = 1; i < PLATFORM_MAX_CPUS; i++)
		if (arch_cpu_index_of_mpidr(arch_cpu_mpidr_of(i)) == (int)i)
			gic_send_sgi(arch_cpu_mpidr_of(i), GIC_SGI_KICK);
}

/* The boot is done, and the secondaries go, unless a fault on one of them stopped it first. */
static void boot_finish(void)
{
	boot_mark_done();
	kick_secondaries();
}

#ifdef BULKHEAD_TEST_FAULT
static bool test_fault_cells_built;

void test_fault_boot_wait(void)
{
	if (test_fault_chosen() != TEST_FAULT_BOOT_WAIT_CPU2 ||
	    arch_cpu_index_of_mpidr(arch_cpu_mpidr_of(2)) != 2)
		return;
	__atomic_store_n(&test_fault_cells_built, true, __ATOMIC_RELEASE);
	gic_send_sgi(arch_cpu_mpidr_of(2), GIC_SGI_KICK);
	while (__atomic_load_n(&cpu_local_of(2)->state, __ATOMIC_ACQUIRE) != CPU_PARKED)
		arch_cpu_relax();
}
#endif

void boot_secondary(unsigned int index)
{
	/* The boot CPU builds every cell first; it sends an event when done. */
	while (!boot_is_done()) {
		arch_cpu_wait_irq(); /* the boot CPU's IPI self-test, then its kick */
#ifdef BULKHEAD_TEST_FAULT
		if (__atomic_load_n(&test_fault_cells_built, __ATOMIC_ACQUIRE))
			test_fault_at(TEST_FAULT_BOOT_WAIT_CPU2, 2,
				      "its wait for the boot's end, the cells built");
#endif
	}
#ifdef BULKHEAD_TEST_FAULT
	if (test_fault_is_cpu1s()) {
		if (index == 1)
			test_fault_on_this_cpu();
		arch_cpu_park();
	}
	test_fault_firmware_pmu();
#endif
	cell_cpu_loop(index);
}

void boot_main(void *loader_fdt)
{
	size_t fdt_size = loader_fdt_size(loader_fdt);
	struct cpu_local *self = cpu_local_of(0);
	unsigned int online;
	uint32_t silent;
	int ret;

	self->index = 0;
	self->mpidr = arch_cpu_mpidr();
	self->state = CPU_ONLINE;

	log_info("Bulkhead %s booting at EL%lu on CPU 0 (MPIDR 0x%lx)", BULKHEAD_VERSION,
		 (unsigned long)(read_sysreg(CurrentEL) >> CURRENTEL_EL_SHIFT),
		 (unsigned long)arch_cpu_mpidr());
	if (!fdt_size)
		boot_stop("x0 does not point at a device tree (bad magic or alignment)");
	if (fdt_size > PLATFORM_FDT_MAP_MAX) {
		log_err("platform: /: header: " PLATFORM_FDT_TOTALSIZE_TOO_BIG,
			(unsigned long)fdt_size, PLATFORM_FDT_MAP_MAX / 1024);
		boot_stop("the board device tree at x0 is too large to read");
	}
	ret = mmu_init_boot(loader_fdt, fdt_size);
	if (ret)
		boot_stop("cannot build the EL2 memory map");
	rescue_fdt = loader_fdt;
	console_set_rescue(console_rescue);

	take_board_fdt(loader_fdt);
#ifdef BULKHEAD_TEST_FAULT
	test_fault_select(board_fdt, &plat); /* before discovery: early-abort */
	test_fault_at(TEST_FAULT_EARLY_ABORT, 0, "the boot, before platform_discover()");
#endif
	ret = platform_discover(board_fdt, &plat);
	/* The tree as read, against what only this CPU's registers say. */
	if (!ret) {
		ret = platform_check_boot_cpu(&plat, arch_cpu_mpidr());
		if (platform_check_timer(&plat, read_sysreg(cntfrq_el0)))
			ret = -EINVAL;
	}
	if (ret) {
		console_fallback(board_fdt);
		boot_stop("the board device tree lacks what Bulkhead needs (errors above)");
	}
	map_platform();
	console_init(&plat.uart);
	if (plat.timer_freq)
		arch_counter_set_freq(plat.timer_freq);
	arch_cpu_wfi_setup();
	psci_fw_init(plat.psci);
	report_platform();
	spectre_cpu_init();
	map_gic();
	if (gic_init(&plat) || gic_cpu_init())
		boot_stop("the GIC cannot be used (errors above)");
	if (smmu_init(&plat))
		log_err("smmu: DMA is not contained: cells with DMA-capable devices will be "
			"refused");

	online = arch_smp_start_secondaries(&plat);
	log_info("smp: %u of %d CPUs online", online, plat.nr_cpus);
	silent = gic_selftest_ping();
	if (silent) {
		online = arch_smp_withdraw(silent);
		log_err("smp: %u of %d CPUs online after the IPI self-test", online, plat.nr_cpus);
	}
	log_info("boot complete");
#ifdef BULKHEAD_TEST_FAULT
	if (test_fault_is_cpu1s()) {
		test_fault_online = online;
		console_input_start();
		boot_finish();
		test_fault_boot_cpu(online);
		arch_cpu_park();
	}
	test_fault_firmware_pmu();
#endif
	boot_check_stopped(); /* a secondary's fault in the IPI self-test */
	boot_cells(board_fdt, &plat);
	console_input_start();
	boot_finish();
	cell_cpu_loop(0);
}
