// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device tree a cell boots with: a small QEMU-virt-like machine
 * (DESIGN.md §5, docs/guest-platform.md). Written front to back with libfdt's
 * sequential-write API into the caller's buffer, so nothing is allocated and
 * a tree that does not fit is a clean -ENOSPC (the writes themselves are in
 * guest_dt_write.c). The cell's devices, copied from the board's tree, are
 * in guest_dt_devices.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "guest_dt.h"
#include "spinlock.h"
#include "test_fault.h"

#include "guest_dt_internal.h"

/* GIC interrupt specifier (arm,gic binding): <type number flags>. */
#define GIC_FDT_SPI	       0
#define GIC_FDT_PPI	       1
#define GIC_FDT_LEVEL_HI       4
#define GIC_FDT_EDGE_RISING    1
#define GIC_FDT_PPI_CPUS_SHIFT 8 /* GICv2 only: which CPUs a PPI reaches */
#define GIC_V2_MAX_CPUS	       8

/* Arch timer PPIs (secure phys, non-secure phys, virtual, hyp), as QEMU virt. */
#define TIMER_PPI_S_EL1	 13
#define TIMER_PPI_NS_EL1 14
#define TIMER_PPI_VIRT	 11
#define TIMER_PPI_HYP	 10

#define APB_PCLK_HZ 24000000

/* PSCI 0.1 function IDs in QEMU's node; the 0.2+ IDs Bulkhead implements. */
#define PSCI_0_1_CPU_SUSPEND 0xc4000001
#define PSCI_0_1_CPU_OFF     0x84000002
#define PSCI_0_1_CPU_ON	     0xc4000003
#define PSCI_0_1_MIGRATE     0xc4000005

/*
 * Where guest_dt_install() builds: the hypervisor's own memory, which no
 * stage 2 maps: 30 times the largest tree of configs/ and the unit tests
 * (2.2 KiB).
 */

static uint8_t build_buf[GUEST_DT_BUILD_SIZE] __attribute__((aligned(8)));
/* Cells reload on their own CPUs, two at once if they like. */
static struct spinlock build_lock = SPINLOCK_INIT;
/* The CPU that holds build_lock, or NO_BUILDER; written under it (guest_dt_cpu_lost()). */
#define NO_BUILDER (~0u)
static unsigned int builder = NO_BUILDER;

/* String lists: sizeof() includes the final NUL each entry needs. */
static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
static const char timer_compat[] = "arm,armv8-timer\0arm,armv7-timer";
static const char pl011_compat[] = "arm,pl011\0arm,primecell";
static const char pl011_clock_names[] = "uartclk\0apb_pclk";
/* The specific name first; "generic-uio" is not listed (Linux's binding frowns on it). */
static const char shm_doorbell_compat[] = "bulkhead,shm-doorbell\0bulkhead,shm";

void guest_dt_name(char *buf, size_t size, const char *stem, uint64_t addr)
{
	snprintf(buf, size, "%s@%lx", stem, addr);
}

/* --- the fixed nodes ------------------------------------------------------- */

static void write_root_props(struct guest_dt *g, const struct layout_cell *cell)
{
	char model[32 + LAYOUT_LABEL_MAX];

	snprintf(model, sizeof(model), "Bulkhead cell %s", cell->label);
	guest_dt_prop_u32(g, "#address-cells", 2);
	guest_dt_prop_u32(g, "#size-cells", 2);
	/* QEMU virt's: U-Boot's qemu_arm64 and Linux accept it as a generic board. */
	guest_dt_prop_string(g, "compatible", "linux,dummy-virt");
	guest_dt_prop_string(g, "model", model);
	guest_dt_prop_u32(g, "interrupt-parent", guest_dt_phandle_gic(g));
}

static void write_chosen(struct guest_dt *g, const struct layout_cell *cell,
			 const struct guest_dt_initrd *initrd)
{
	char uart[1 + GUEST_DT_NAME_MAX];

	guest_dt_begin(g, "chosen");
	if (cell->bootargs[0])
		guest_dt_prop_string(g, "bootargs", cell->bootargs);
	if (cell->console == LAYOUT_CONSOLE_VIRTUAL) {
		uart[0] = '/';
		guest_dt_name_uart(uart + 1, sizeof(uart) - 1);
		guest_dt_prop_string(g, "stdout-path", uart);
	}
	/* The hypervisor placed the BARs of its PCI functions: Linux keeps them. */
	if (cell->nr_pci)
		guest_dt_prop_u32(g, "linux,pci-probe-only", 1);
	if (initrd && initrd->size) {
		/* 64-bit values: Linux and U-Boot read 1 or 2 cells by length. */
		guest_dt_prop_u64(g, "linux,initrd-start", initrd->ipa);
		guest_dt_prop_u64(g, "linux,initrd-end", initrd->ipa + initrd->size);
	}
	guest_dt_end(g);

	if (cell->console == LAYOUT_CONSOLE_VIRTUAL) {
		guest_dt_begin(g, "aliases");
		guest_dt_prop_string(g, "serial0", uart);
		guest_dt_end(g);
	}
}

static void write_memory(struct guest_dt *g, const struct layout_cell *cell)
{
	char name[GUEST_DT_NAME_MAX];

	for (int i = 0; i < cell->nr_mem; i++) {
		struct mem_range reg = { cell->mem[i].ipa, cell->mem[i].size };

		guest_dt_name_memory(name, sizeof(name), reg.base);
		guest_dt_begin(g, name);
		guest_dt_prop_string(g, "device_type", "memory");
		guest_dt_prop_regs(g, &reg, 1);
		guest_dt_end(g);
	}
}

/* vCPU N has VMPIDR_EL2.Aff0 = N (Aff1-3 = 0): its reg is N. */
static void write_cpus(struct guest_dt *g, const struct layout_cell *cell)
{
	char name[16];

	guest_dt_begin(g, "cpus");
	guest_dt_prop_u32(g, "#address-cells", 1);
	guest_dt_prop_u32(g, "#size-cells", 0);
	for (int i = 0; i < cell->nr_cpus; i++) {
		snprintf(name, sizeof(name), "cpu@%x", (unsigned int)i);
		guest_dt_begin(g, name);
		guest_dt_prop_string(g, "device_type", "cpu");
		guest_dt_prop_string(g, "compatible", "arm,armv8");
		guest_dt_prop_u32(g, "reg", (uint32_t)i);
		guest_dt_prop_string(g, "enable-method", "psci");
		guest_dt_end(g);
	}
	guest_dt_end(g);

	guest_dt_begin(g, "psci");
	guest_dt_prop(g, "compatible", psci_compat, sizeof(psci_compat));
	guest_dt_prop_string(g, "method", "hvc");
	guest_dt_prop_u32(g, "cpu_suspend", PSCI_0_1_CPU_SUSPEND);
	guest_dt_prop_u32(g, "cpu_off", PSCI_0_1_CPU_OFF);
	guest_dt_prop_u32(g, "cpu_on", PSCI_0_1_CPU_ON);
	guest_dt_prop_u32(g, "migrate", PSCI_0_1_MIGRATE);
	guest_dt_end(g);
}

/*
 * Flags of a level-high PPI. GICv2 names the CPUs it reaches in bits [15:8]
 * (one bit per CPU interface, 8 at most); GICv3 has no such field. This is
 * what QEMU virt's own tree says for each version.
 */
static uint32_t ppi_flags(const struct platform *plat, int nr_cpus)
{
	int n = nr_cpus < GIC_V2_MAX_CPUS ? nr_cpus : GIC_V2_MAX_CPUS;

	if (plat->gic.version != 2)
		return GIC_FDT_LEVEL_HI;
	return GIC_FDT_LEVEL_HI | (((1u << n) - 1) << GIC_FDT_PPI_CPUS_SHIFT);
}

/*
 * The virtual GIC. GICv3: the emulated distributor and one redistributor
 * frame per vCPU. GICv2: the emulated distributor and the CPU interface
 * (GICV mapped there); never GICH/GICV, and no maintenance interrupt for
 * either version: the cell runs at EL1 and has no virtualization extensions,
 * like a guest of QEMU virt with virtualization=off.
 */
static void write_gic(struct guest_dt *g, const struct layout_cell *cell,
		      const struct platform *plat)
{
	char name[GUEST_DT_NAME_MAX];
	struct mem_range reg[2] = { { LAYOUT_VGICD_BASE, LAYOUT_VGICD_SIZE } };

	guest_dt_name_gic(name, sizeof(name));
	guest_dt_begin(g, name);
	if (plat->gic.version == 3) {
		guest_dt_prop_string(g, "compatible", "arm,gic-v3");
		reg[1].base = LAYOUT_VGICR_BASE;
		reg[1].size = (uint64_t)cell->nr_cpus * LAYOUT_VGICR_STRIDE;
	} else {
		guest_dt_prop_string(g, "compatible", "arm,cortex-a15-gic");
		reg[1].base = LAYOUT_VGICC_BASE;
		reg[1].size = LAYOUT_VGICC_SIZE;
	}
	guest_dt_prop_u32(g, "#interrupt-cells", 3);
	guest_dt_prop_u32(g, "#address-cells", 2);
	guest_dt_prop_u32(g, "#size-cells", 2);
	guest_dt_prop_empty(g, "ranges");
	guest_dt_prop_empty(g, "interrupt-controller");
	guest_dt_prop_regs(g, reg, 2);
	if (plat->gic.version == 3)
		guest_dt_prop_u32(g, "#redistributor-regions", 1);
	guest_dt_prop_u32(g, "phandle", guest_dt_phandle_gic(g));
	guest_dt_end(g);
}

static void write_timer(struct guest_dt *g, const struct layout_cell *cell,
			const struct platform *plat)
{
	uint32_t f = ppi_flags(plat, cell->nr_cpus);
	const uint32_t irqs[] = {
		GIC_FDT_PPI, TIMER_PPI_S_EL1, f, GIC_FDT_PPI, TIMER_PPI_NS_EL1, f,
		GIC_FDT_PPI, TIMER_PPI_VIRT,  f, GIC_FDT_PPI, TIMER_PPI_HYP,	f,
	};

	guest_dt_begin(g, "timer");
	guest_dt_prop(g, "compatible", timer_compat, sizeof(timer_compat));
	guest_dt_prop_cells(g, "interrupts", irqs, 12);
	guest_dt_prop_empty(g, "always-on");
	/* A board whose firmware leaves CNTFRQ_EL0 unset says so here: so do we. */
	if (plat->timer_freq)
		guest_dt_prop_u32(g, "clock-frequency", plat->timer_freq);
	guest_dt_end(g);
}

/* Linux's amba-pl011 (and other primecells) do not probe without a clock. */
static void write_clock(struct guest_dt *g)
{
	guest_dt_begin(g, GUEST_DT_CLK_NODE);
	guest_dt_prop_string(g, "compatible", "fixed-clock");
	guest_dt_prop_u32(g, "#clock-cells", 0);
	guest_dt_prop_u32(g, "clock-frequency", APB_PCLK_HZ);
	guest_dt_prop_string(g, "clock-output-names", "clk24mhz");
	guest_dt_prop_u32(g, "phandle", guest_dt_phandle_clk(g));
	guest_dt_end(g);
}

static void write_vuart(struct guest_dt *g, const struct layout_cell *cell)
{
	char name[GUEST_DT_NAME_MAX];
	const struct mem_range reg = { LAYOUT_VUART_BASE, LAYOUT_VUART_SIZE };
	const uint32_t irq[] = { GIC_FDT_SPI, layout_vuart_intid(cell) - 32, GIC_FDT_LEVEL_HI };
	const uint32_t clocks[] = { guest_dt_phandle_clk(g), guest_dt_phandle_clk(g) };

	guest_dt_name_uart(name, sizeof(name));
	guest_dt_begin(g, name);
	guest_dt_prop(g, "compatible", pl011_compat, sizeof(pl011_compat));
	guest_dt_prop_regs(g, &reg, 1);
	guest_dt_prop_cells(g, "interrupts", irq, 3);
	guest_dt_prop(g, "clock-names", pl011_clock_names, sizeof(pl011_clock_names));
	guest_dt_prop_cells(g, "clocks", clocks, 2);
	guest_dt_end(g);
}

/*
 * Shared-memory regions (docs/shm.md): one node each, usable by Linux's
 * uio_pdrv_genirq (of_id=bulkhead,shm-doorbell) or through /dev/mem.
 */
static void write_shm(struct guest_dt *g, const struct layout_cell_shm *v)
{
	char name[GUEST_DT_NAME_MAX];
	char cells[LAYOUT_MAX_CELLS * LAYOUT_LABEL_MAX];
	const struct mem_range reg = { v->ipa, v->size };
	const uint32_t spi = layout_doorbell_intid(v) - 32;
	const uint32_t irq[] = { GIC_FDT_SPI, spi, GIC_FDT_EDGE_RISING };
	int len = 0;

	for (int i = 0; i < v->nr_members && i < LAYOUT_MAX_CELLS; i++) {
		size_t n = strlen(v->members[i]) + 1;

		memcpy(cells + len, v->members[i], n);
		len += (int)n;
	}
	guest_dt_name_shm(name, sizeof(name), v->ipa);
	guest_dt_begin(g, name);
	if (v->doorbell)
		guest_dt_prop(g, "compatible", shm_doorbell_compat, sizeof(shm_doorbell_compat));
	else
		guest_dt_prop_string(g, "compatible", "bulkhead,shm");
	guest_dt_prop_regs(g, &reg, 1);
	if (v->doorbell)
		guest_dt_prop_cells(g, "interrupts", irq, 3);
	guest_dt_prop_u32(g, "bulkhead,region", (uint32_t)v->region);
	guest_dt_prop_u32(g, "bulkhead,member", (uint32_t)v->member);
	guest_dt_prop(g, "bulkhead,cells", cells, len);
	if (!v->writable)
		guest_dt_prop_empty(g, "read-only");
	guest_dt_end(g);
}

/* --- the whole tree -------------------------------------------------------- */

/*
 * The guest's first phandle: 1 without a board, else past the board's
 * highest, with room for one per board offset (guest_dt_phandle_subnode())
 * below 0xffffffff, which is no phandle.
 */
static int phandle_base(const struct layout_cell *cell, const struct platform *plat,
			const void *board_fdt, uint32_t *base)
{
	uint32_t max = 0;
	int ret;

	*base = 1;
	if (!board_fdt)
		return 0;
	ret = platform_index_max_phandle(&plat->index, board_fdt, &max);
	if (ret < 0)
		return log_err_ret(-EINVAL, "%s: guest device tree: the board's phandles: %s",
				   cell->label, fdt_strerror(ret));
	if (max >= UINT32_MAX - 3 - fdt_totalsize(board_fdt))
		return log_err_ret(
			-EINVAL,
			"%s: guest device tree: the board's phandles reach 0x%x: no room for the "
			"guest's own after them",
			cell->label, max);
	*base = max + 1;
	return 0;
}

static int build(const struct layout_cell *cell, const struct platform *plat, const void *board_fdt,
		 const struct guest_dt_initrd *initrd, void *buf, size_t size, bool tell)
{
	struct guest_dt g = { .fdt = buf, .label = cell->label, .node = "/", .tell = tell };
	/* Only what the layout cannot know: the board's devices as the tree copies them. */
	int ret = guest_dt_devices_check(cell, plat, board_fdt, tell);

	if (!ret)
		ret = guest_dt_pci_check(cell, plat, board_fdt);
	if (!ret)
		ret = phandle_base(cell, plat, board_fdt, &g.phandle_base);
	if (ret < 0)
		return ret;
	guest_dt_create(&g, size);
	write_root_props(&g, cell);
	write_chosen(&g, cell, initrd);
	write_memory(&g, cell);
	write_cpus(&g, cell);
	write_gic(&g, cell, plat);
	write_timer(&g, cell, plat);
	write_clock(&g);
	if (cell->console == LAYOUT_CONSOLE_VIRTUAL)
		write_vuart(&g, cell);
	guest_dt_devices_write(&g, cell, plat, board_fdt);
	guest_dt_pci_write(&g, cell, plat, board_fdt);
	for (int i = 0; i < cell->nr_shm && i < LAYOUT_MAX_SHM; i++)
		write_shm(&g, &cell->shm[i]);
	guest_dt_finish(&g);

	if (g.err == -FDT_ERR_NOSPACE)
		return log_err_ret(-ENOSPC, "%s: guest device tree: needs more than %zu bytes",
				   cell->label, size);
	if (g.err)
		return log_err_ret(-EINVAL, "%s: guest device tree: %s: %s", cell->label, g.node,
				   fdt_strerror(g.err));
	return 0;
}

int guest_dt_build(const struct layout_cell *cell, const struct platform *plat,
		   const void *board_fdt, const struct guest_dt_initrd *initrd, void *buf,
		   size_t size)
{
	return build(cell, plat, board_fdt, initrd, buf, size, true);
}

/*
 * libfdt's sequential writes take every address they write from the header
 * in the buffer (totalsize, off_dt_struct, the block sizes), read again at
 * each call, and so does grow(). Built in place, a cell's DTB slot would
 * hand those to its guest, or to a device's DMA, whenever either can write
 * during a reload. Here the slot is only ever the target of one memcpy.
 */
int guest_dt_install(const struct layout_cell *cell, const struct platform *plat,
		     const void *board_fdt, const struct guest_dt_initrd *initrd, void *dst,
		     size_t size, bool tell)
{
	int ret;

	spin_lock(&build_lock);
	__atomic_store_n(&builder, arch_cpu_index(), __ATOMIC_RELAXED);
#ifdef BULKHEAD_TEST_FAULT
	test_fault_panic_at(TEST_FAULT_PANIC_RELOAD_CPU1, 1, "building its cell's device tree");
#endif
	ret = build(cell, plat, board_fdt, initrd, build_buf,
		    size < sizeof(build_buf) ? size : sizeof(build_buf), tell);
	if (!ret) {
		ret = (int)fdt_totalsize(build_buf);
		memcpy(dst, build_buf, (size_t)ret);
	}
	__atomic_store_n(&builder, NO_BUILDER, __ATOMIC_RELAXED);
	spin_unlock(&build_lock);
	return ret;
}

/*
 * Only this CPU ever writes its own index into builder, and only under the
 * lock: reading it there means this CPU holds the lock. What it was
 * building is abandoned: the next build starts build_buf afresh
 * (guest_dt_create()), and the slot it was for is its failed cell's.
 */
void guest_dt_cpu_lost(void)
{
	if (__atomic_load_n(&builder, __ATOMIC_RELAXED) != arch_cpu_index())
		return;
	__atomic_store_n(&builder, NO_BUILDER, __ATOMIC_RELAXED);
	spin_unlock(&build_lock);
}
