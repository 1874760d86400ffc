/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_PLATFORM_H
#define BULKHEAD_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * What the board's device tree tells the hypervisor. Filled once at boot by
 * platform_discover() (boot/platform.c), read-only afterwards. Every table is
 * sized here so discovery never allocates.
 */
#define PLATFORM_MAX_CPUS	  16
#define PLATFORM_MAX_MEM	  8
#define PLATFORM_PATH_MAX	  96
#define PLATFORM_MAX_RESERVED	  64
#define PLATFORM_MAX_GIC_FRAMES	  16
#define PLATFORM_MAX_GICR_REGIONS 8

struct mem_range {
	uint64_t base;
	uint64_t size;
};

/*
 * Whether [a, a + asize) and [b, b + bsize) share a byte, by inclusive ends
 * (a range may end at 2^64, where a + asize wraps to 0); an empty range
 * overlaps nothing. Callers have refused ranges that wrap further.
 */
static inline bool ranges_overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	if (asize == 0 || bsize == 0)
		return false;
	return a <= b + (bsize - 1) && b <= a + (asize - 1);
}

/*
 * RAM the board keeps out of the OS's hands: a /memreserve/ entry or the reg
 * of a /reserved-memory child (firmware such as TF-A or OP-TEE, a
 * coprocessor's memory). No cell, window or hypervisor-memory may touch it.
 */
struct platform_reserved {
	struct mem_range range;
	int node; /* the /reserved-memory child's offset, -1 for a /memreserve/ entry */
	/*
	 * The child has "no-map" (DT spec 3.5.4): not even the CPU may map
	 * it, as a speculative fetch there can take an SError or hang the
	 * bus (secure memory behind a TZASC). EL2 leaves its pages out.
	 */
	bool no_map;
};

enum psci_conduit {
	PSCI_CONDUIT_NONE,
	PSCI_CONDUIT_SMC, /* the only one from EL2: an HVC there traps to EL2 itself */
};

enum uart_type {
	UART_NONE,
	UART_PL011, /* arm,pl011: QEMU virt, Raspberry Pi 4 (uart0) */
	UART_CDNS,  /* cdns,uart-r1p12 / xlnx,zynqmp-uart: Xilinx Zynq UltraScale+ */
	UART_IMX,   /* fsl,imx21-uart family: NXP i.MX 6/7/8 */
	UART_16550, /* ns16550a, snps,dw-apb-uart (Rockchip, Allwinner), TI K3, NVIDIA Tegra */
	UART_MESON, /* amlogic,meson-ao-uart / amlogic,meson-gx-uart: Amlogic S905/S922 boards */
};

struct platform_cpu {
	uint64_t mpidr; /* MPIDR_EL1.Aff3..Aff0 as the FDT's reg gives it */
};

struct platform_gic {
	int version; /* 2 or 3 */
	struct mem_range dist;
	struct mem_range redist; /* v3: the first GICR region (redist_regions[0]), as reported */
	/*
	 * v3: every GICR region (#redistributor-regions, 1 if absent), each a
	 * run of redistributors ending at GICR_TYPER.Last, and the distance
	 * between two (redistributor-stride), or 0: GICR_TYPER.VLPIS says.
	 */
	struct mem_range redist_regions[PLATFORM_MAX_GICR_REGIONS];
	int nr_redist_regions;
	uint64_t redist_stride;
	struct mem_range cpuif; /* v2: GICC */
	struct mem_range hyp;	/* v2: GICH */
	struct mem_range vcpu;	/* v2: GICV */
	uint32_t maint_irq;	/* INTID of the maintenance interrupt, 0 if absent */
	/*
	 * Every reg of the GIC node and of each node below it (all GICR
	 * regions, the ITS, GICv2m frames): none of it may go to a cell.
	 */
	struct mem_range frames[PLATFORM_MAX_GIC_FRAMES];
	int nr_frames;
};

struct platform_uart {
	enum uart_type type;
	struct mem_range regs;
	uint8_t reg_shift; /* UART_16550: registers 1 << reg_shift bytes apart */
	uint8_t reg_width; /* UART_16550: accessed 1 or 4 bytes wide */
	uint32_t irq;	   /* INTID of its interrupt (console input), 0 if none */
	uint32_t baud;	   /* stdout-path's options say it ("serial0:115200n8"); 0 if not */
	char path[PLATFORM_PATH_MAX];
};

struct platform_smmu {
	bool present;
	struct mem_range regs;
	uint32_t eventq_irq; /* INTID, 0 if not wired */
	uint32_t gerror_irq;
	uint32_t phandle;
	char path[PLATFORM_PATH_MAX];
};

/*
 * One entry of a PCIe host's iommu-map (pci-iommu.txt): the IDs rid_base ..
 * rid_base + len - 1 (RIDs after iommu-map-mask) are streams sid_base .. of
 * the IOMMU @phandle. platform_discover() refuses len 0 and ranges that
 * wrap 32 bits, so the lookups below cannot overflow.
 */
struct platform_iommu_map {
	uint32_t rid_base, phandle, sid_base, len;
	/*
	 * @phandle is not platform.smmu, the SMMUv3 Bulkhead drives (another
	 * SMMUv3, an SMMUv2): its stream IDs are not that SMMU's.
	 */
	bool not_smmu;
};

/* iommu-map entries read; a board with more is refused, never read in part. */
#define PLATFORM_MAX_IOMMU_MAP 8

struct platform_pcie {
	bool present;
	struct mem_range ecam;
	uint32_t bus_first, bus_last;
	/* iommu-map, every entry in the property's order, no two covering one ID; 0: none */
	struct platform_iommu_map iommu_map[PLATFORM_MAX_IOMMU_MAP];
	int nr_iommu_map;
	/* iommu-map-mask: applied to a RID before the lookup (functions may share a stream) */
	bool has_iommu_map_mask;
	uint32_t iommu_map_mask;
	char path[PLATFORM_PATH_MAX];
};

/* The ID @pcie's iommu-map looks up for @rid: @rid & iommu-map-mask (pci-iommu.txt). */
static inline uint32_t platform_pcie_map_id(const struct platform_pcie *pcie, uint32_t rid)
{
	return pcie->has_iommu_map_mask ? rid & pcie->iommu_map_mask : rid;
}

/* The entry of @pcie's iommu-map that covers @rid after iommu-map-mask, or -1. */
static inline int platform_pcie_map_entry(const struct platform_pcie *pcie, uint32_t rid)
{
	uint32_t id = platform_pcie_map_id(pcie, rid);

	for (int i = 0; i < pcie->nr_iommu_map; i++) {
		const struct platform_iommu_map *e = &pcie->iommu_map[i];

		if (id >= e->rid_base && id - e->rid_base < e->len)
			return i;
	}
	return -1;
}

/*
 * RID -> stream ID of the SMMU Bulkhead drives, through the entry of @pcie's
 * iommu-map that covers it after iommu-map-mask; false: no entry covers it,
 * or that entry leads to another IOMMU.
 */
static inline bool platform_pcie_sid(const struct platform_pcie *pcie, uint32_t rid, uint32_t *sid)
{
	int i = platform_pcie_map_entry(pcie, rid);

	if (i < 0 || pcie->iommu_map[i].not_smmu)
		return false;
	*sid = pcie->iommu_map[i].sid_base +
	       (platform_pcie_map_id(pcie, rid) - pcie->iommu_map[i].rid_base);
	return true;
}

/*
 * The board DTB's nodes from one walk (boot/platform_index.c): what lookups
 * by parent, phandle, compatible and path need, so they stop re-walking the
 * blob. Boards with more nodes than this are read through libfdt alone.
 */
#define PLATFORM_INDEX_MAX 512

/*
 * The interrupt properties a node has (platform_index_irq_props()): the
 * interrupt-parent walk skips the fdt_getprop() calls that would find none,
 * each a walk of the node's properties, the spare-SPI scan the nodes with
 * none, and the search for interrupt controllers reads only those with one.
 */
#define PLATFORM_PROP_INTERRUPTS	   (1u << 0)
#define PLATFORM_PROP_INTERRUPTS_EXTENDED  (1u << 1)
#define PLATFORM_PROP_INTERRUPT_PARENT	   (1u << 2)
#define PLATFORM_PROP_INTERRUPT_MAP	   (1u << 3)
#define PLATFORM_PROP_INTERRUPT_CELLS	   (1u << 4) /* #interrupt-cells */
#define PLATFORM_PROP_INTERRUPT_CONTROLLER (1u << 5)

struct platform_index_node {
	int offset;	    /* the node's offset in the blob */
	int parent;	    /* entry of its parent, -1 for the root */
	int name_len;	    /* strlen(name) */
	uint8_t depth;	    /* 0 for the root */
	uint8_t irq_props;  /* PLATFORM_PROP_ bits: the properties it has */
	const char *name;   /* as fdt_get_name() gives it */
	uint32_t phandle;   /* as fdt_get_phandle() reads it, 0 if none */
	int compat_len;	    /* bytes of compatible, 0 if none */
	const char *compat; /* its compatible list, NULL if none */
	int type_len;	    /* bytes of device_type, 0 if none */
	const char *type;   /* its device_type, NULL if none */
};

struct platform_index {
	const void *fdt; /* the blob indexed, NULL if none: ask libfdt */
	int nr_nodes;
	struct platform_index_node nodes[PLATFORM_INDEX_MAX]; /* in walk order */
};

struct platform {
	struct platform_index index; /* of the board DTB platform_discover() read */
	struct mem_range mem[PLATFORM_MAX_MEM];
	int nr_mem;
	struct platform_reserved reserved[PLATFORM_MAX_RESERVED];
	int nr_reserved;
	struct platform_cpu cpus[PLATFORM_MAX_CPUS];
	int nr_cpus;
	enum psci_conduit psci;
	struct platform_gic gic;
	struct platform_uart uart;
	uint32_t timer_freq; /* from the timer node's clock-frequency, 0 = use CNTFRQ_EL0 */
	char timer_path[PLATFORM_PATH_MAX]; /* that node's, once accepted; "" if none */
	struct platform_smmu smmu;
	struct platform_pcie pcie;
};

/*
 * A device tree blob safe to walk: a good header, version 17 or later, and a
 * structure block libfdt can fully parse (fdt_check_full). libfdt 1.6.1
 * crashes on some blobs that pass the header check alone (found by
 * tests/fuzz; reproducers in tests/fuzz/regress/). 0 or a libfdt error.
 */
int platform_fdt_check(const void *fdt);
/*
 * platform_fdt_check(), but a /memreserve/ block without its terminating
 * entry passes if the rest does: the structure block is still safe to walk,
 * for the console fallback to find a UART and say why the boot stops.
 */
int platform_fdt_check_walkable(const void *fdt);

/*
 * End of the last block @fdt uses, in *@used: a blob may claim more than it
 * fills (QEMU's claims 1 MiB for ~10 KiB). @fdt has a header
 * fdt_check_header() accepted, version 17 or later (whose header gives the
 * structure block's size). 0, or -FDT_ERR_TRUNCATED when the /memreserve/
 * block has no terminating entry before the end of the blob.
 */
int platform_fdt_used_size(const void *fdt, size_t *used);

/*
 * The board FDT the boot takes: the boot loader's blob is mapped whole, its
 * header's totalsize (free space included: U-Boot's fdt resize, dtc -p), to
 * be read, then the blocks it uses are copied into the hypervisor's image.
 * Boards' trees are 20-100 KiB packed; QEMU's is ~10 KiB in a 1 MiB blob.
 */
#define PLATFORM_FDT_MAP_MAX  (2 * 1024 * 1024)
#define PLATFORM_FDT_COPY_MAX (256 * 1024)

/* What the boot says of a blob past them, after "platform: /: header: ". */
#define PLATFORM_FDT_TOTALSIZE_TOO_BIG                                                 \
	"totalsize is %lu bytes, more than the %u KiB the boot maps to read the blob " \
	"(its free space counts: give it less padding)"
#define PLATFORM_FDT_USED_TOO_BIG \
	"its blocks take %lu bytes, more than the %u KiB the hypervisor keeps its copy in"

/*
 * Whether the boot takes @fdt (a header fdt_check_header() accepted, version
 * 17 or later): its totalsize within PLATFORM_FDT_MAP_MAX and the blocks it
 * uses within PLATFORM_FDT_COPY_MAX, their end in *@used. 0, or a negative
 * libfdt error after saying why through log_err() ("platform: /: ...").
 * bulkhead-check asks the same of a board DTB.
 */
int platform_fdt_check_size(const void *fdt, size_t *used);

/* The line platform_discover() logs for such a blob, after "platform: /: /memreserve/: ". */
#define PLATFORM_MEMRESERVE_UNTERMINATED                                              \
	"no terminating entry (size 0) before the end of the blob: the RAM firmware " \
	"keeps is unknown"

/*
 * The big-endian number in @n cells (a property's fdt32_t values; @n at
 * most 2) at @cells: an address or size by #address-cells or #size-cells.
 */
uint64_t platform_read_cells(const void *cells, int n);

/* DT spec 2.3.4: @node has no status, or "okay" (or the older "ok"). */
bool platform_node_enabled(const void *fdt, int node);

/*
 * Fill @plat from the flattened device tree @fdt. Each problem is reported
 * through log_err() as "platform: <node>: <property>: <why>". Returns 0, or a
 * negative errno after reporting every required item that is missing or
 * malformed.
 */
int platform_discover(const void *fdt, struct platform *plat);

/*
 * The boot CPU (MPIDR affinity @mpidr) among discovery's /cpus. Cells are
 * given CPUs by their /cpus node, and the others are started by those
 * MPIDRs: without it, one listed CPU would never start and the boot CPU
 * would serve no cell. 0, or -EINVAL after reporting it.
 */
int platform_check_boot_cpu(const struct platform *plat, uint64_t mpidr);

/*
 * The counter's frequency known once discovery succeeded: the timer node's
 * clock-frequency, else @cntfrq (CNTFRQ_EL0, which firmware programs). 0, or
 * -EINVAL after reporting "platform: <timer>: clock-frequency: missing and
 * CNTFRQ_EL0 is 0": every timeout in ticks would be 0 (and a rate divided by
 * it a division by zero).
 */
int platform_check_timer(const struct platform *plat, uint64_t cntfrq);

/*
 * Find a UART to report board errors on when discovery failed: the one
 * /chosen/stdout-path names if it is usable (discovery failed for another
 * item), else the first enabled UART in the tree of a kind the console
 * drivers handle (lib/uart_*.c). Quiet: discovery reported the problems.
 * Returns 0 and fills @uart, or -ENOENT (also for a blob
 * platform_fdt_check() refuses: the search would not end on some of them).
 */
int platform_find_fallback_uart(const void *fdt, struct platform_uart *uart);

/*
 * The PCIe host's first 32-bit memory window from its "ranges": PCI address,
 * CPU address, size in @win. 0, -ENOENT or -EINVAL. The host and its parent
 * are found through @idx (may be NULL) when it indexes @fdt.
 */
int platform_pcie_mem32_window(const struct platform_index *idx, const void *fdt,
			       const struct platform_pcie *pcie, uint64_t win[3]);

/* Whether @idx (may be NULL) indexes @fdt: its lookups then answer from the table. */
static inline bool platform_index_holds(const struct platform_index *idx, const void *fdt)
{
	return idx && idx->fdt && idx->fdt == fdt;
}

/*
 * Index @fdt (a blob platform_fdt_check() accepted) into @idx, at most @max
 * nodes (capped at PLATFORM_INDEX_MAX; tests pass less). 0, or -ENOSPC for
 * too many or too deeply nested nodes, -EINVAL for a blob libfdt's walk
 * rejects: @idx is then empty and every lookup goes to libfdt.
 */
int platform_index_build(struct platform_index *idx, const void *fdt, int max);

/*
 * fdt_parent_offset(), fdt_node_offset_by_phandle(),
 * fdt_node_offset_by_compatible(), fdt_get_path() and, for "device_type" =
 * @type, fdt_node_offset_by_prop_value() with the same results, from @idx
 * when it indexes @fdt and holds the node (@idx may be NULL).
 */
int platform_index_parent(const struct platform_index *idx, const void *fdt, int node);
int platform_index_by_phandle(const struct platform_index *idx, const void *fdt, uint32_t phandle);
/* fdt_find_max_phandle(): the highest phandle in @fdt (0 if none) in @max; 0 or an error. */
int platform_index_max_phandle(const struct platform_index *idx, const void *fdt, uint32_t *max);
int platform_index_by_compatible(const struct platform_index *idx, const void *fdt, int from,
				 const char *compat);
int platform_index_get_path(const struct platform_index *idx, const void *fdt, int node, char *buf,
			    int len);
int platform_index_by_device_type(const struct platform_index *idx, const void *fdt, int from,
				  const char *type);
/*
 * fdt_node_offset_by_prop_value(fdt, @from, "interrupt-controller", NULL, 0):
 * the next interrupt controller (an empty interrupt-controller property).
 */
int platform_index_intc(const struct platform_index *idx, const void *fdt, int from);
/* @node's PLATFORM_PROP_ bits, or -1 when @idx does not hold it (ask libfdt). */
int platform_index_irq_props(const struct platform_index *idx, const void *fdt, int node);
/* fdt_path_offset_namelen(): absolute paths from @idx, aliases through libfdt. */
int platform_index_path_offset(const struct platform_index *idx, const void *fdt, const char *path,
			       int len);

/* Deepest node nesting followed when looking for an inherited property. */
#define PLATFORM_MAX_DEPTH 16

/*
 * What decodes @node's interrupts (DT spec 2.4, Linux's of_irq_find_parent()):
 * its interrupt-parent, or else its parent in the tree, and so on up to the
 * first node with #interrupt-cells or interrupt-map: an interrupt controller,
 * or a nexus that maps them on to another. Inheriting interrupt-parent alone
 * passes a nexus by, and reads its children's specifiers as the GIC's. The
 * board's discovery and the layout both ask. Returns that node, or with *@at
 * the node the walk stopped at: -EINVAL, its interrupt-parent is not one
 * cell; -ENODEV, it names no node; -ENOENT, none up to the root (or further
 * than PLATFORM_MAX_DEPTH steps).
 */
int platform_index_irq_parent(const struct platform_index *idx, const void *fdt, int node, int *at);

/*
 * A 3-cell interrupt controller stacked on another (Tegra's ictlr, i.MX's
 * GPC, MediaTek's sysirq on the GIC) takes that one's own specifiers and
 * passes them on: the node @intc is stacked on, or negative if @intc is not
 * such a controller (a nexus, another number of cells, no parent).
 */
int platform_index_irq_stacked_on(const struct platform_index *idx, const void *fdt, int intc);

/*
 * boot/platform_ram.c: the RAM the hypervisor may map. @granule is its page
 * size, a power of two.
 *
 * platform_ram_mappable(): each /memory range of @plat (in plat->mem order)
 * shrunk to whole pages, less every no-map reserved range grown to whole
 * pages, ascending within a range. /memreserve/ entries and reserved ranges
 * without no-map stay in (Linux maps them too). Fills @out; the number of
 * ranges, or -ENOSPC if more than @max (PLATFORM_MAX_RAM_MAP always do).
 */
#define PLATFORM_MAX_RAM_MAP (PLATFORM_MAX_MEM + PLATFORM_MAX_RESERVED)
int platform_ram_mappable(const struct platform *plat, uint64_t granule, struct mem_range *out,
			  int max);
/* Whether [@base, @base + @size) lies inside one /memory range (never when @size is 0). */
bool platform_in_ram(const struct platform *plat, uint64_t base, uint64_t size);
/*
 * The first no-map reserved range, from plat->reserved[@from] on, whose pages
 * of @granule meet [@base, @base + @size): its index, or -1.
 */
int platform_nomap_overlap(const struct platform *plat, uint64_t granule, uint64_t base,
			   uint64_t size, int from);
/* plat->reserved[@i]'s node path in @fdt (the board DTB), or "/memreserve/", into @buf. */
void platform_reserved_path(const struct platform *plat, const void *fdt, int i, char *buf,
			    int len);

/* Human-readable one-line summaries, used by the boot log. */
const char *platform_psci_name(enum psci_conduit c);
const char *platform_uart_name(enum uart_type t);
/*
 * The firmware's answer @v to PSCI_VERSION in @buf (@len bytes): "1.1", or
 * "version unknown (PSCI_VERSION returned -1)" for an error code (some
 * firmware, U-Boot's, answers so).
 */
void platform_psci_version_str(uint32_t v, char *buf, size_t len);

#endif
