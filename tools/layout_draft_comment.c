// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead-check --draft's header comment: the board as the boot discovers
 * it, the RAM plan in address order with every address, and what to do
 * next (docs/layout.md, "Starting from a draft").
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "layout_draft_priv.h"
#include "load_plan.h"

static void print_range(uint64_t base, uint64_t size, const char *what)
{
	printf(" *   0x%09llx-0x%09llx  %s (%llu MiB)\n", (unsigned long long)base,
	       (unsigned long long)(base + size - 1), what, MiB(size));
}

/* The root's string property @name (its first string), or "(none)". */
static const char *board_prop(const void *board, const char *name)
{
	int len;
	const char *s = fdt_getprop(board, 0, name, &len);

	return s && len > 0 && memchr(s, '\0', (size_t)len) ? s : "(none)";
}

/*
 * The core of the CPU with @mpidr, its /cpus node's first compatible
 * ("arm,cortex-a53"), or "" if no node with that reg says one.
 */
static const char *cpu_core(const void *board, uint64_t mpidr)
{
	int cpus = fdt_path_offset(board, "/cpus"), node, len;
	int cells = cpus >= 0 ? fdt_address_cells(board, cpus) : -1;

	if (cells != 1 && cells != 2)
		return "";
	fdt_for_each_subnode(node, board, cpus)
	{
		const fdt32_t *reg = fdt_getprop(board, node, "reg", &len);
		const char *compat = fdt_getprop(board, node, "compatible", NULL);
		uint64_t id;

		if (!reg || len < 4 * cells || !compat)
			continue;
		id = cells == 2 ? (uint64_t)fdt32_ld(reg) << 32 | fdt32_ld(reg + 1) : fdt32_ld(reg);
		if (id == mpidr)
			return compat;
	}
	return "";
}

/* The CPUs by MPIDR, each run of one core followed by its name: "0x0 0x1 arm,cortex-a53". */
static void print_cpus(const void *board, const struct platform *p)
{
	for (int i = 0; i < p->nr_cpus; i++) {
		const char *core = cpu_core(board, p->cpus[i].mpidr);

		printf(" 0x%llx", (unsigned long long)p->cpus[i].mpidr);
		if (*core && (i + 1 == p->nr_cpus ||
			      strcmp(core, cpu_core(board, p->cpus[i + 1].mpidr)) != 0))
			printf(" %s%s", core, i + 1 < p->nr_cpus ? "," : "");
	}
}

static void print_board(const struct draft *d, const char *board_path)
{
	const struct platform *p = d->plat;

	printf("/*\n * A starting layout for %s (compatible \"%s\"),\n",
	       board_prop(d->board, "model"), board_prop(d->board, "compatible"));
	printf(" * written from the board's device tree by\n *   bulkhead-check --draft --cells %d "
	       "%s\n",
	       d->nr_cells, board_path);
	printf(" * (docs/layout.md, \"Starting from a draft\"). It assigns no device.\n *\n");
	printf(" * Board, as the boot discovers it: %d CPUs (MPIDR", p->nr_cpus);
	print_cpus(d->board, p);
	printf("),\n * GICv%d, Bulkhead's console %s (%s),\n", p->gic.version, p->uart.path,
	       platform_uart_name(p->uart.type));
	printf(" * SMMUv3 %s, ", p->smmu.present ? p->smmu.path : "none (no DMA is contained)");
	printf("PCIe host %s.\n", p->pcie.present ? p->pcie.path : "none");
	for (int i = 0; i < p->nr_mem; i++)
		printf(" * RAM bank 0x%llx-0x%llx (%llu MiB)\n", (unsigned long long)p->mem[i].base,
		       (unsigned long long)(p->mem[i].base + p->mem[i].size - 1),
		       MiB(p->mem[i].size));
	for (int i = 0; i < p->nr_reserved; i++) {
		char path[PLATFORM_PATH_MAX];

		platform_reserved_path(p, d->board, i, path, sizeof(path));
		printf(" * reserved by the board (the layout keeps clear): 0x%llx+0x%llx %s%s\n",
		       (unsigned long long)p->reserved[i].range.base,
		       (unsigned long long)p->reserved[i].range.size, path,
		       p->reserved[i].no_map ? " (no-map)" : "");
	}
}

struct plan_line {
	uint64_t base, size;
	char what[64];
};

static void plan_add(struct plan_line *lines, int *n, uint64_t base, uint64_t size,
		     const char *what)
{
	struct plan_line l = { base, size, "" };
	int i = *n;

	snprintf(l.what, sizeof(l.what), "%s", what);
	for (; i > 0 && lines[i - 1].base > base; i--)
		lines[i] = lines[i - 1];
	lines[i] = l;
	(*n)++;
}

/* The plan in address order: the DTB slot may lie in a gap below the kernel windows. */
static void print_plan(const struct draft *d)
{
	struct plan_line lines[2 * LAYOUT_MAX_CELLS + 3] = { { 0 } };
	uint64_t end = draft_bank_end(&d->bank);
	char what[64];
	int n = 0;

	printf(" *\n * RAM plan (PA), in the bank at 0x%llx, 2 MiB aligned:\n",
	       (unsigned long long)d->bank.base);
	plan_add(lines, &n, d->hyp, DRAFT_HYP_SIZE, "Bulkhead: hypervisor-memory");
	for (int i = 0; i < d->nr_cells; i++) {
		snprintf(what, sizeof(what), "cell%d's kernel window", i);
		plan_add(lines, &n, d->kernel[i], d->kernel_size, what);
		snprintf(what, sizeof(what), "cell%d's memory, IPA = PA", i);
		plan_add(lines, &n, d->mem[i], d->mem_size, what);
	}
	plan_add(lines, &n, d->dtb_slot, LOAD_PLAN_LAYOUT_SLOT,
		 "free: the layout DTB (--print-load-plan puts it here)");
	plan_add(lines, &n, d->limit, end - d->limit,
		 "free: U-Boot relocates itself and the board's DT up here");
	for (int i = 0; i < n; i++)
		print_range(lines[i].base, lines[i].size, lines[i].what);
	printf(" * Cells' memory is identity-mapped and clear of the guest's GIC and console\n"
	       " * area (0x8000000-0xbffffff), so a device whose DMA no SMMU contains can be\n"
	       " * added with unprotected-dma (docs/layout.md, Rules: DMA). Other banks and the\n"
	       " * gaps are unused: more memory regions for a cell, or more cells.\n *\n");
}

static void print_next_steps(const struct draft *d)
{
	if (d->boot >= 0)
		printf(" * The boot CPU, the one U-Boot runs Bulkhead on, is MPIDR 0x%llx by the\n"
		       " * DTB header (boot_cpuid_phys):",
		       (unsigned long long)draft_cpu(d, 0));
	else
		printf(" * The DTB header's boot CPU (boot_cpuid_phys 0x%x) is none of /cpus: the\n"
		       " * first there is taken for it:",
		       fdt_boot_cpuid_phys(d->board));
	printf(" it goes to cell0, and every CPU runs one\n"
	       " * vCPU. A cell with interrupt-mode = \"direct\" must not have it.\n *\n"
	       " * Next steps:\n"
	       " *   1. edit: labels, kernel windows for your kernels (kernel-format \"raw\"\n"
	       " *      with entry-offset for a flat binary), an initrd window, bootargs,\n"
	       " *      devices from the list at the end, on-fault, watchdog-timeout-ms;\n"
	       " *   2. dtc -I dts -O dtb -o my.dtb my.dts\n"
	       " *   3. bulkhead-check my.dtb BOARD.dtb (it says what an edit broke)\n"
	       " *   4. boot: put it in configs/NAME/ beside a BOARD file and run\n"
	       " *      scripts/mkimage configs/NAME/my.dts OUT LABEL=FILE..., or load each\n"
	       " *      file where bulkhead-check --print-load-plan my.dtb BOARD.dtb says\n"
	       " *      (scripts/mkbootcmd writes U-Boot's script); QEMU virt boots one\n"
	       " *      in configs/qemu-virt/ with make run DEMO_LAYOUT=configs/qemu-virt/my.dts\n"
	       " *      DEMO_GUESTS=\"LABEL=FILE LABEL:initrd=FILE ...\" (README).\n */\n");
}

void draft_print_comment(const struct draft *d, const char *board_path)
{
	print_board(d, board_path);
	print_plan(d);
	print_next_steps(d);
}
