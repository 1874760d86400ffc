// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parsed layout as log lines, one block per cell: the hypervisor's boot
 * log and tools/bulkhead-check print the same text. Lists are built in a
 * small bounded line buffer.
 */
#include <stdarg.h>
#include <stdio.h>

#include "layout_internal.h"

#define LINE_MAX 160

struct line {
	char buf[LINE_MAX];
	size_t n;
};

/* Append to the line; what does not fit is cut, and the line ends in LOG_CUT_MARK. */
static void __attribute__((format(printf, 2, 3))) line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->n, LINE_MAX - l->n, fmt, ap);
	va_end(ap);
	if (n > 0 && l->n + (size_t)n >= LINE_MAX)
		log_cut(l->buf, LINE_MAX, LINE_MAX);
	if (n > 0)
		l->n = l->n + (size_t)n < LINE_MAX ? l->n + (size_t)n : LINE_MAX - 1;
}

/* "64 MiB", "512 KiB" or "0x1234 bytes". */
static void line_size(struct line *l, uint64_t size)
{
	if (size && size % (1024 * 1024) == 0)
		line_add(l, "%lu MiB", size >> 20);
	else if (size && size % 1024 == 0)
		line_add(l, "%lu KiB", size >> 10);
	else
		line_add(l, "0x%lx bytes", size);
}

const char *layout_on_fault_name(enum layout_on_fault f)
{
	return f == LAYOUT_ON_FAULT_RESTART	  ? "restart"
	       : f == LAYOUT_ON_FAULT_HALT_SYSTEM ? "halt-system"
						  : "stop";
}

static void print_cpus_pci(const struct layout_cell *c)
{
	struct line l = { .n = 0 };

	line_add(&l, "  CPUs:");
	for (int i = 0; i < c->nr_cpus; i++)
		line_add(&l, " 0x%lx", c->cpus[i].mpidr);
	if (c->nr_pci)
		line_add(&l, "  PCI:");
	for (int i = 0; i < c->nr_pci; i++) {
		line_add(&l, "%s0x%x:0x%x.%u", i ? ", " : " ", LAYOUT_BDF_BUS(c->pci[i]),
			 LAYOUT_BDF_DEV(c->pci[i]), LAYOUT_BDF_FN(c->pci[i]));
		if (c->pci_sid[i] != LAYOUT_NO_SID)
			line_add(&l, " (stream 0x%x)", c->pci_sid[i]);
	}
	log_info("%s", l.buf);
}

static void print_device(const struct layout_device *d)
{
	struct line l = { .n = 0 };

	line_add(&l, "  device %s:", d->path);
	for (int i = 0; i < d->nr_regs; i++)
		line_add(&l, " MMIO 0x%lx+0x%lx", d->regs[i].base, d->regs[i].size);
	for (int i = 0; i < d->nr_irqs; i++)
		line_add(&l, "%s%u", i ? "," : " INTID ", d->irqs[i]);
	for (int i = 0; i < d->nr_sids; i++)
		line_add(&l, "%s0x%x", i ? "," : " stream ", d->sids[i]);
	if (d->nr_regs == 0)
		line_add(&l, " (not resolved: no board)");
	log_info("%s", l.buf);
}

static void print_boot(const struct layout_cell *c)
{
	log_info("  kernel: %s at 0x%lx+0x%lx, loaded at boot RAM +0x%lx; DTB at +0x%lx%s",
		 c->kernel.format == LAYOUT_KERNEL_RAW ? "raw" : "image", c->kernel.win.addr,
		 c->kernel.win.size, layout_kernel_offset(c), c->dtb_offset,
		 c->device_tree.size ? " (given)" : " (generated)");
	if (c->initrd.size)
		log_info("  initrd: 0x%lx+0x%lx", c->initrd.addr, c->initrd.size);
	if (c->device_tree.size)
		log_info("  device-tree: 0x%lx+0x%lx", c->device_tree.addr, c->device_tree.size);
	if (c->bootargs[0])
		log_info("  bootargs: \"%s\"", c->bootargs);
}

static void print_cell(const struct layout_cell *c)
{
	log_info("cell \"%s\" (%s)", c->label, c->path);
	print_cpus_pci(c);
	for (int i = 0; i < c->nr_mem; i++) {
		struct line l = { .n = 0 };

		line_add(&l, "  memory: IPA 0x%lx -> PA 0x%lx, ", c->mem[i].ipa, c->mem[i].pa);
		line_size(&l, c->mem[i].size);
		if (i == 0)
			line_add(&l, " (boot RAM)");
		log_info("%s", l.buf);
	}
	for (int i = 0; i < c->nr_devices; i++)
		print_device(&c->devices[i]);
	print_boot(c);
	log_info("  console %s, on-fault %s, interrupts %s%s, watchdog %u ms (0 = none)%s",
		 c->console == LAYOUT_CONSOLE_VIRTUAL ? "virtual" : "none",
		 layout_on_fault_name(c->on_fault),
		 c->irq_mode == LAYOUT_IRQ_DIRECT ? "direct" : "emulated",
		 c->irq_mode == LAYOUT_IRQ_DIRECT
			 ? " (trusted with the physical CPU interface: its EOIs can deactivate "
			   "other cells' interrupts early)"
			 : "",
		 c->watchdog_ms, c->management ? ", management" : "");
}

static void print_shm(const struct layout_shm *r, int index)
{
	struct line l = { .n = 0 };

	line_add(&l, "shared memory %d (%s): PA 0x%lx -> IPA 0x%lx, ", index, r->path, r->pa,
		 r->ipa);
	line_size(&l, r->size);
	if (r->doorbell)
		line_add(&l, ", doorbell INTID %u",
			 (unsigned int)(LAYOUT_SHM_DOORBELL_INTID + index));
	line_add(&l, ";");
	for (int i = 0; i < r->nr_cells && i < LAYOUT_MAX_CELLS; i++)
		line_add(&l, "%s%s %s", i ? ", " : " ", r->labels[i], r->writable[i] ? "rw" : "ro");
	log_info("%s", l.buf);
}

void layout_print(const struct layout *layout)
{
	log_info("layout: hypervisor-memory 0x%lx+0x%lx, %d cell%s", layout->hyp_mem.base,
		 layout->hyp_mem.size, layout->nr_cells, layout->nr_cells == 1 ? "" : "s");
	for (int i = 0; i < layout->nr_cells && i < LAYOUT_MAX_CELLS; i++)
		print_cell(&layout->cells[i]);
	for (int i = 0; i < layout->nr_shm && i < LAYOUT_MAX_SHM; i++)
		print_shm(&layout->shm[i], i);
}
