// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parsed layout as log lines, one block per cell: the hypervisor's boot
 * log and tools/bulkhead-check print the same text. No snprintf in the
 * hypervisor, so lists are built with a small bounded line buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "layout_internal.h"

#define LINE_MAX 160

struct line {
	char buf[LINE_MAX];
	size_t n;
};

static void line_str(struct line *l, const char *s)
{
	while (*s && l->n < LINE_MAX - 1)
		l->buf[l->n++] = *s++;
	l->buf[l->n] = '\0';
}

static void line_num(struct line *l, uint64_t v, unsigned int base)
{
	char digits[24];
	int n = 0;

	if (base == 16)
		line_str(l, "0x");
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v && n < 24);
	while (n > 0 && l->n < LINE_MAX - 1)
		l->buf[l->n++] = digits[--n];
	l->buf[l->n] = '\0';
}

/* "64 MiB", "512 KiB" or "0x1234 bytes". */
static void line_size(struct line *l, uint64_t size)
{
	if (size && size % (1024 * 1024) == 0) {
		line_num(l, size >> 20, 10);
		line_str(l, " MiB");
	} else if (size && size % 1024 == 0) {
		line_num(l, size >> 10, 10);
		line_str(l, " KiB");
	} else {
		line_num(l, size, 16);
		line_str(l, " bytes");
	}
}

const char *layout_console_name(enum layout_console c)
{
	return c == LAYOUT_CONSOLE_VIRTUAL ? "virtual" : "none";
}

const char *layout_kernel_format_name(enum layout_kernel_format f)
{
	return f == LAYOUT_KERNEL_RAW ? "raw" : "image";
}

const char *layout_on_fault_name(enum layout_on_fault f)
{
	switch (f) {
	case LAYOUT_ON_FAULT_RESTART:
		return "restart";
	case LAYOUT_ON_FAULT_HALT_SYSTEM:
		return "halt-system";
	default:
		return "stop";
	}
}

const char *layout_irq_mode_name(enum layout_irq_mode m)
{
	return m == LAYOUT_IRQ_DIRECT ? "direct" : "emulated";
}

static void print_cpus_pci(const struct layout_cell *c)
{
	struct line l = { .n = 0 };

	line_str(&l, "  CPUs:");
	for (int i = 0; i < c->nr_cpus; i++) {
		line_str(&l, " ");
		line_num(&l, c->cpus[i].mpidr, 16);
	}
	if (c->nr_pci) {
		line_str(&l, "  PCI:");
		for (int i = 0; i < c->nr_pci; i++) {
			line_str(&l, i ? ", " : " ");
			line_num(&l, LAYOUT_BDF_BUS(c->pci[i]), 16);
			line_str(&l, ":");
			line_num(&l, LAYOUT_BDF_DEV(c->pci[i]), 16);
			line_str(&l, ".");
			line_num(&l, LAYOUT_BDF_FN(c->pci[i]), 10);
		}
	}
	log_info("%s", l.buf);
}

static void print_device(const struct layout_device *d)
{
	struct line l = { .n = 0 };

	line_str(&l, "  device ");
	line_str(&l, d->path);
	line_str(&l, ":");
	for (int i = 0; i < d->nr_regs; i++) {
		line_str(&l, " MMIO ");
		line_num(&l, d->regs[i].base, 16);
		line_str(&l, "+");
		line_num(&l, d->regs[i].size, 16);
	}
	for (int i = 0; i < d->nr_irqs; i++) {
		line_str(&l, i ? "," : " INTID ");
		line_num(&l, d->irqs[i], 10);
	}
	if (d->nr_regs == 0)
		line_str(&l, " (not resolved: no board)");
	log_info("%s", l.buf);
}

static void print_boot(const struct layout_cell *c)
{
	log_info("  kernel: %s at 0x%lx+0x%lx, loaded at boot RAM +0x%lx; DTB at +0x%lx%s",
		 layout_kernel_format_name(c->kernel.format), c->kernel.win.addr,
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

		line_str(&l, "  memory: IPA ");
		line_num(&l, c->mem[i].ipa, 16);
		line_str(&l, " -> PA ");
		line_num(&l, c->mem[i].pa, 16);
		line_str(&l, ", ");
		line_size(&l, c->mem[i].size);
		if (i == 0)
			line_str(&l, " (boot RAM)");
		log_info("%s", l.buf);
	}
	for (int i = 0; i < c->nr_devices; i++)
		print_device(&c->devices[i]);
	print_boot(c);
	log_info("  console %s, on-fault %s, interrupts %s, watchdog %u ms (0 = none)%s",
		 layout_console_name(c->console), layout_on_fault_name(c->on_fault),
		 layout_irq_mode_name(c->irq_mode), c->watchdog_ms,
		 c->management ? ", management" : "");
}

static void print_shm(const struct layout_shm *r, int index)
{
	struct line l = { .n = 0 };

	line_str(&l, "shared memory ");
	line_num(&l, (uint64_t)index, 10);
	line_str(&l, " (");
	line_str(&l, r->path);
	line_str(&l, "): PA ");
	line_num(&l, r->pa, 16);
	line_str(&l, " -> IPA ");
	line_num(&l, r->ipa, 16);
	line_str(&l, ", ");
	line_size(&l, r->size);
	if (r->doorbell) {
		line_str(&l, ", doorbell INTID ");
		line_num(&l, LAYOUT_SHM_DOORBELL_INTID + (uint64_t)index, 10);
	}
	line_str(&l, ";");
	for (int i = 0; i < r->nr_cells && i < LAYOUT_MAX_CELLS; i++) {
		line_str(&l, i ? ", " : " ");
		line_str(&l, r->labels[i]);
		line_str(&l, r->writable[i] ? " rw" : " ro");
	}
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
