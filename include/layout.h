/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_LAYOUT_H
#define BULKHEAD_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "layout_hyp.h"
#include "platform.h"

/*
 * The partition layout: a standalone DTB ("bulkhead,layout-v1", see
 * docs/layout.md) parsed and validated against the board into a fixed-size
 * struct layout. The same code runs in the hypervisor and in the host tool
 * tools/bulkhead-check. Every table is bounded; the parser never allocates.
 */
#ifndef LAYOUT_MAX_CELLS /* `make size` builds one with a cell less to weigh a cell */
#define LAYOUT_MAX_CELLS 8
#endif
#define LAYOUT_MAX_CPUS	    16 /* per cell */
#define LAYOUT_MAX_MEM	    8  /* memory regions per cell */
#define LAYOUT_MAX_DEVICES  16 /* per cell */
#define LAYOUT_MAX_DEV_REGS 4  /* MMIO regions per device */
#define LAYOUT_MAX_DEV_IRQS 8  /* SPIs per device */
#define LAYOUT_MAX_IRQS	    32 /* SPIs per cell, all devices together */
#define LAYOUT_MAX_PCI	    8  /* PCI functions per cell */
#define LAYOUT_MAX_DEV_SIDS 4  /* SMMU stream IDs per device (`iommus`) */
#define LAYOUT_LABEL_MAX    16 /* 15 characters [a-z0-9_-] + NUL */
#define LAYOUT_PATH_MAX	    PLATFORM_PATH_MAX
#define LAYOUT_BOOTARGS_MAX 512
#define LAYOUT_MAX_SHM	    8 /* shared-memory regions in a layout */

/*
 * The largest layout DTB: the hypervisor copies it into a static buffer of
 * this size (boot/layout_boot.c), and layout_parse() refuses a larger one.
 */
#define LAYOUT_BLOB_MAX (64 * 1024)
/* Stage 2 maps IPAs below 2^48 at most (4 KiB granule; the CPU's PARange may allow less). */
#define LAYOUT_IPA_LIMIT (1ULL << 48)

/* The stream of a PCI function that has none (no SMMU, or outside the iommu-map). */
#define LAYOUT_NO_SID 0xffffffffu

/*
 * Shared-memory doorbells are purely virtual SPIs: region r rings INTID
 * LAYOUT_SHM_DOORBELL_INTID + r in every member cell. The range sits at the
 * top of the GIC's INTID space, where no board wires a device (the layout
 * rejects a device SPI inside it).
 */
#define LAYOUT_SHM_DOORBELL_INTID 1000
/* The virtual console's SPI (SPI 1, docs/guest-platform.md) in emulated mode. */
#define LAYOUT_VUART_INTID 33

#define LAYOUT_PAGE_SIZE 0x1000ULL
/* Stage 2 maps a cell's memory with blocks of this size where IPA and PA agree modulo it. */
#define LAYOUT_BLOCK_SIZE 0x200000ULL
/* The guest DTB gets a 2 MiB slot in boot RAM (arm64 boot protocol maximum). */
#define LAYOUT_DTB_SLOT 0x200000ULL

/*
 * Guest-physical windows every cell sees (docs/layout.md, DESIGN.md §5).
 * Memory IPAs may not fall in [LAYOUT_GUEST_MMIO_BASE, LAYOUT_GUEST_MMIO_END);
 * passed-through devices (mapped 1:1) may, as long as they avoid the vGIC
 * and virtual console frames below.
 */
#define LAYOUT_GUEST_MMIO_BASE 0x08000000ULL
#define LAYOUT_GUEST_MMIO_END  0x0c000000ULL
#define LAYOUT_VGICD_BASE      0x08000000ULL
#define LAYOUT_VGICD_SIZE      0x10000ULL
#define LAYOUT_VGICC_BASE      0x08010000ULL /* GICv2 only */
#define LAYOUT_VGICC_SIZE      0x10000ULL
#define LAYOUT_VGICR_BASE      0x080a0000ULL /* GICv3: one frame per vCPU */
#define LAYOUT_VGICR_STRIDE    0x20000ULL
#define LAYOUT_VUART_BASE      0x09000000ULL
#define LAYOUT_VUART_SIZE      0x1000ULL

/* PCI function: bus << 8 | device << 3 | function. */
#define LAYOUT_BDF_BUS(bdf) (((bdf) >> 8) & 0xff)
#define LAYOUT_BDF_DEV(bdf) (((bdf) >> 3) & 0x1f)
#define LAYOUT_BDF_FN(bdf)  ((bdf)&0x7)

enum layout_console {
	LAYOUT_CONSOLE_NONE,
	LAYOUT_CONSOLE_VIRTUAL,
};

enum layout_kernel_format {
	LAYOUT_KERNEL_IMAGE, /* arm64 Image: header honoured */
	LAYOUT_KERNEL_RAW,   /* flat binary: loaded and entered at entry-offset */
};

enum layout_on_fault {
	LAYOUT_ON_FAULT_STOP,
	LAYOUT_ON_FAULT_RESTART,
	LAYOUT_ON_FAULT_HALT_SYSTEM,
};

enum layout_irq_mode {
	LAYOUT_IRQ_EMULATED,
	LAYOUT_IRQ_DIRECT,
};

struct layout_cpu {
	uint64_t mpidr;
	int index; /* into platform.cpus[], -1 when checked without a board */
};

struct layout_region {
	uint64_t ipa;
	uint64_t pa;
	uint64_t size;
};

/* A block the boot loader put in RAM (pristine copy); size 0 = absent. */
struct layout_window {
	uint64_t addr;
	uint64_t size;
};

struct layout_device {
	char path[LAYOUT_PATH_MAX];		    /* board node path */
	struct mem_range regs[LAYOUT_MAX_DEV_REGS]; /* physical, mapped 1:1 */
	int nr_regs;
	uint32_t irqs[LAYOUT_MAX_DEV_IRQS]; /* SPI INTIDs (32 + n) */
	int nr_irqs;
	uint32_t sids[LAYOUT_MAX_DEV_SIDS]; /* SMMU stream IDs from the board's `iommus` */
	int nr_sids;
	/* Cells of each board specifier in its "interrupts": 3, or 4 (GIC PPI partitions). */
	uint8_t irq_cells;
	/*
	 * It masters DMA (contained only if nr_sids > 0) if non-NULL: the board
	 * property that says so, "iommus", "dma-coherent", ...
	 */
	const char *dma_sign;
};

struct layout_kernel {
	struct layout_window win;
	enum layout_kernel_format format;
	uint64_t entry_offset; /* raw: load and entry offset in boot RAM */
};

/* A cell's view of one shared-memory region it is a member of. */
struct layout_cell_shm {
	int region; /* index into layout.shm[]: the guest DT's and the hypercall's number */
	int member; /* this cell's position in the region's `cells` */
	bool writable;
	bool doorbell;
	uint64_t ipa; /* where this cell sees it */
	uint64_t pa;
	uint64_t size;
	char members[LAYOUT_MAX_CELLS][LAYOUT_LABEL_MAX]; /* every member's label, in order */
	int member_cells[LAYOUT_MAX_CELLS];		  /* ... and its cell index */
	int nr_members;
	/* Direct interrupt mode: the spare physical SPI of its doorbell; 0 = emulated default. */
	uint32_t doorbell_intid;
};

struct layout_cell {
	char label[LAYOUT_LABEL_MAX];
	char path[LAYOUT_PATH_MAX]; /* layout node path, e.g. /bulkhead/cell@0 */
	struct layout_cpu cpus[LAYOUT_MAX_CPUS];
	int nr_cpus;
	struct layout_region mem[LAYOUT_MAX_MEM]; /* mem[0] is the boot RAM */
	int nr_mem;
	struct layout_device devices[LAYOUT_MAX_DEVICES];
	int nr_devices;
	uint32_t irqs[LAYOUT_MAX_IRQS]; /* every device SPI, no duplicates */
	int nr_irqs;
	uint16_t pci[LAYOUT_MAX_PCI];
	/* INTID of each function's INTA# through the host's interrupt-map (0: none) */
	uint32_t pci_intx[LAYOUT_MAX_PCI];
	/* Each function's SMMU stream (RID through the host's iommu-map), or LAYOUT_NO_SID */
	uint32_t pci_sid[LAYOUT_MAX_PCI];
	int nr_pci;
	enum layout_console console;
	struct layout_kernel kernel;
	struct layout_window initrd;
	struct layout_window device_tree;
	char bootargs[LAYOUT_BOOTARGS_MAX]; /* "" when absent */
	uint64_t dtb_offset;		    /* into boot RAM; default resolved by the parser */
	enum layout_on_fault on_fault;
	uint32_t watchdog_ms; /* 0 = no watchdog */
	enum layout_irq_mode irq_mode;
	/* Direct interrupt mode: the spare physical SPI of its virtual console; 0 = default. */
	uint32_t vuart_intid;
	bool management;
	bool unprotected_dma; /* DMA-capable devices without an SMMU: accepted, warned */
	struct layout_cell_shm shm[LAYOUT_MAX_SHM]; /* regions it shares, in layout order */
	int nr_shm;
};

/* shared-memory@N: physical RAM mapped into several cells (docs/layout.md). */
struct layout_shm {
	char path[LAYOUT_PATH_MAX];
	uint64_t pa;
	uint64_t size;
	uint64_t ipa;	  /* the same for every member; default: the PA */
	bool ipa_given;	  /* false: ipa defaulted to the PA (the rules' messages say so) */
	bool ipa_refused; /* its ipa was refused: where it would lie is not checked */
	bool doorbell;	  /* members ring each other (BULKHEAD_HC_DOORBELL) */
	char labels[LAYOUT_MAX_CELLS][LAYOUT_LABEL_MAX]; /* `cells`, as written */
	int cells[LAYOUT_MAX_CELLS]; /* the same members as indices into layout.cells[] */
	bool writable[LAYOUT_MAX_CELLS];
	int nr_cells;
};

struct layout {
	struct mem_range hyp_mem;
	struct layout_cell cells[LAYOUT_MAX_CELLS];
	int nr_cells;
	struct layout_shm shm[LAYOUT_MAX_SHM];
	int nr_shm;
	bool board_checked; /* false: board-dependent rules were skipped */
};

/*
 * Parse the layout DTB @layout_fdt and validate it against the board
 * (@board_fdt and @plat from platform_discover()). Either board argument may
 * be NULL: then only board-independent rules run. Every problem is reported
 * through log_err() as "layout: <node>: <property>: <why>". Returns 0, or a
 * negative errno once every error has been reported; @out is then unusable.
 * @layout_fdt must be readable for fdt_totalsize() bytes.
 */
int layout_parse(const void *layout_fdt, const void *board_fdt, const struct platform *plat,
		 struct layout *out);

/* Offset into boot RAM where the kernel is loaded (raw: entry-offset). */
uint64_t layout_kernel_offset(const struct layout_cell *cell);

#define LAYOUT_INITRD_ALIGN 0x100000ULL
/*
 * Offset into boot RAM for the initrd, the kernel taking [@kernel,
 * @kernel_end): right after the kernel, else after the DTB slot, 1 MiB
 * aligned and clear of both. The layout check passes the kernel's window,
 * the boot (cell_load.c) the extent its Image header gives. False: neither.
 */
bool layout_initrd_offset(const struct layout_cell *c, uint64_t kernel, uint64_t kernel_end,
			  uint64_t *off);

/* The highest SMMU stream a cell's device or PCI function has (partitions/layout_streams.c). */
uint32_t layout_highest_sid(const struct layout *layout);

/*
 * Every SPI a cell takes (its devices', its PCI functions' INTx lines) is
 * below @nr_lines, the lines the GIC has (GICD_TYPER; no device tree says):
 * one beyond would never fire, and the GIC would ignore its enable and route.
 * On failure a layout error per SPI and -ERANGE.
 */
int layout_check_gic_lines(const struct layout *layout, unsigned int nr_lines);

/*
 * Direct interrupt mode (docs/vgic.md): give each direct cell's virtual
 * console and doorbells a physical SPI below @nr_lines that no node of
 * @board_fdt names (interrupts, interrupt-map), highest first. Logs what it
 * chose; on shortage a layout error and -ENOSPC; -EEXIST after a layout
 * error if one it took is a cell's device's, PCI function's or the
 * hypervisor's own (the board scan missed it).
 */
int layout_assign_direct_spis(struct layout *layout, const void *board_fdt,
			      const struct platform *plat, unsigned int nr_lines);

/* Does anything of @c master DMA through an SMMU stream: a device with stream IDs, a PCI function?
 */
static inline bool layout_cell_has_streams(const struct layout_cell *c)
{
	for (int i = 0; i < c->nr_devices; i++)
		if (c->devices[i].nr_sids)
			return true;
	return c->nr_pci > 0;
}

/* The INTIDs a cell sees its virtual console and a region's doorbell on. */
static inline uint32_t layout_vuart_intid(const struct layout_cell *c)
{
	return c->vuart_intid ? c->vuart_intid : LAYOUT_VUART_INTID;
}

/*
 * Whether a device's SPI @intid is taken by the cell's virtual console: the
 * emulated PL011 raises INTID 33 (SPI 1). In direct mode the console gets a
 * spare SPI no board node names, so no device can have it.
 */
static inline bool layout_intid_is_vuart(const struct layout_cell *c, uint32_t intid)
{
	return c->console == LAYOUT_CONSOLE_VIRTUAL && c->irq_mode == LAYOUT_IRQ_EMULATED &&
	       intid == LAYOUT_VUART_INTID;
}

static inline uint32_t layout_doorbell_intid(const struct layout_cell_shm *s)
{
	return s->doorbell_intid ? s->doorbell_intid
				 : LAYOUT_SHM_DOORBELL_INTID + (uint32_t)s->region;
}

/*
 * A device's node name, the last component of its board path: the guest's
 * device tree puts it under / by that name (partitions/guest_dt_devices.c).
 */
static inline const char *layout_node_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Log the parsed layout, one block per cell (boot log and host tool). */
void layout_print(const struct layout *layout);

/* "stop", "restart" or "halt-system", as the layout writes it. */
const char *layout_on_fault_name(enum layout_on_fault f);

#endif
