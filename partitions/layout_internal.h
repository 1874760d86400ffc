/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_LAYOUT_INTERNAL_H
#define BULKHEAD_LAYOUT_INTERNAL_H

/*
 * Shared between partitions/layout*.c only: the parse context, the error
 * reporter and small range helpers.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

#include "layout.h"
#include "dt_cells.h"
#include "log.h"
#include "platform.h"

/* Upper bound on nodes and properties walked anywhere: loops stay finite on any input. */
#define LAYOUT_MAX_WALK	 256
#define LAYOUT_MAX_DEPTH 8
/* A layout property's name, NUL included: the longest known is 20 bytes. */
#define LAYOUT_PROP_NAME_MAX 32

/* After "size 0x... is not 4 KiB aligned": most often a count of KiB or MiB written for bytes. */
#define LAYOUT_SIZE_IN_BYTES "sizes are in bytes (64 MiB is <0x0 0x04000000>)"

struct layout_ctx {
	const void *fdt;	     /* the layout DTB */
	const void *board;	     /* the board DTB, NULL when checked without one */
	const struct platform *plat; /* NULL when checked without a board */
	struct layout *out;
	int errors;
	int fixups; /* the layout's /__fixups__ (unresolved label references), <= 0: none */
	/*
	 * Cells (bit = index) whose first memory region, kernel-format,
	 * entry-offset or dtb-offset was refused: their boot RAM plan is not
	 * checked, since it would rest on a default or region the layout does
	 * not say.
	 */
	uint32_t unplaced;
};

/* Each node inside @node (a @what, which has none), by its name: nobody would read it. */
void layout_report_subnodes(struct layout_ctx *ctx, int node, const char *path, const char *what);

/* layout_tree.c: the layout DTB's shape. Nothing but /bulkhead and dtc's own nodes at /. */
void layout_tree_check_root(struct layout_ctx *ctx);
/* No /bulkhead: a root node a typo away from it is reported; false if there is none. */
bool layout_tree_misspelt_bulkhead(const void *fdt);
/*
 * dtc's unresolved label references (/__fixups__): with @node NULL, each is
 * reported where it is written; else whether @node's property @name is one.
 */
bool layout_tree_fixups(struct layout_ctx *ctx, const char *node, const char *name);
/* /bulkhead's child @name (@node) is @base@N, N in hex, and its reg, if any, is <N>. */
void layout_tree_unit_address(struct layout_ctx *ctx, int node, const char *name, const char *base);
/* Does a sibling before @node, below @parent, have @node's @name? */
bool layout_tree_name_taken(struct layout_ctx *ctx, int parent, int node, const char *name);

/* "layout: <node>: <property>: <why>", counted (layout.c). */
void layout_error(struct layout_ctx *ctx, const char *node, const char *prop, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline uint64_t layout_end(uint64_t base, uint64_t size)
{
	/* Inclusive end; callers have rejected size 0 and wrap-around. */
	return base + size - 1;
}

/* Whether the 4 KiB pages the two ranges touch overlap; an empty range touches none. */
bool layout_page_overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize);

/*
 * What of a cell's emulated frames @reg meets (the vGIC's, for @nr_cpus
 * vCPUs on @plat's GIC version, and with @console virtual the PL011's), as
 * the layout says it, or NULL (layout_validate.c).
 */
const char *layout_guest_window_hit(const struct platform *plat, int nr_cpus,
				    enum layout_console console, const struct mem_range *reg);

/* The cell's label, or its node path when it has none. */
static inline const char *layout_cell_name(const struct layout_cell *c)
{
	return c->label[0] ? c->label : c->path;
}

static inline bool layout_wraps(uint64_t base, uint64_t size)
{
	return size != 0 && base + size - 1 < base;
}

/* The properties a cell node may have, in the order of layout.c's name table. */
enum cell_prop {
	P_COMPATIBLE,
	P_REG,
	P_PHANDLE,
	P_LABEL,
	P_CPUS,
	P_MEMORY,
	P_DEVICES,
	P_PCI,
	P_CONSOLE,
	P_KERNEL,
	P_KERNEL_FORMAT,
	P_ENTRY_OFFSET,
	P_INITRD,
	P_BOOTARGS,
	P_DEVICE_TREE,
	P_DTB_OFFSET,
	P_ON_FAULT,
	P_WATCHDOG,
	P_IRQ_MODE,
	P_MANAGEMENT,
	P_UNPROTECTED_DMA,
	P_NR,
};

/* One property of the node being parsed. */
struct layout_prop {
	const char *node;
	const char *name;
	const uint8_t *val;
	int len;
};

uint64_t layout_be64(const uint8_t *val, int cell);
uint32_t layout_be32(const uint8_t *val, int cell);
int layout_prop_entries(struct layout_ctx *ctx, const struct layout_prop *p, int cells, int max);
const char *layout_prop_string(struct layout_ctx *ctx, const struct layout_prop *p);
/*
 * The index of a one-string property's value in @valid, the values as the
 * error message lists them ("none, virtual"), or -1 (reported). A string
 * rather than an array of names: no relocation per name in the hypervisor.
 */
int layout_prop_enum(struct layout_ctx *ctx, const struct layout_prop *p, const char *valid);
/*
 * The same for @s, a string of @p (its entry @entry of a list, named so in
 * the message, when @entry >= 0): the nearest of @valid is suggested, the
 * first listed of equally near ones, so list the safer word first.
 */
int layout_prop_word(struct layout_ctx *ctx, const struct layout_prop *p, int entry, const char *s,
		     const char *valid);
/* @s's index among the words of @valid ("a, b, c"), or -1: no message. */
int layout_word_index(const char *s, const char *valid);
bool layout_prop_number(struct layout_ctx *ctx, const struct layout_prop *p, uint64_t *v);
/* A property that may only be the one cell <@want>: otherwise reported, @why saying why. */
void layout_prop_fixed_u32(struct layout_ctx *ctx, const struct layout_prop *p, uint32_t want,
			   const char *why);
/* NUL-terminated strings of printable characters: not cells (<0x1> is "", "", "", "\x01"). */
bool layout_prop_is_strings(const struct layout_prop *p);
/* ... and one string that fills the property: written where cells go, a string, not a number. */
bool layout_prop_is_one_string(const struct layout_prop *p);
/* A compatible: NUL-terminated strings, one of them @want; otherwise reported. */
void layout_prop_compatible(struct layout_ctx *ctx, const struct layout_prop *p, const char *want);
/*
 * The next property of @node into @p (@p->node names the node in messages),
 * *@off its offset (-1 before the first), *@n how many were walked (0 before
 * the first). One that is unreadable, or repeated (reported), is skipped;
 * past LAYOUT_MAX_WALK the walk is reported and ends. False at the end.
 */
bool layout_prop_next(struct layout_ctx *ctx, int node, int *off, int *n, struct layout_prop *p);
/*
 * One <addr-hi addr-lo size-hi size-lo> pair in @p, not empty and not
 * wrapping; else a layout error naming it @what ("window", "region").
 */
bool layout_prop_range(struct layout_ctx *ctx, const struct layout_prop *p, const char *what,
		       uint64_t *addr, uint64_t *size);
void layout_prop_window(struct layout_ctx *ctx, const struct layout_prop *p,
			struct layout_window *w);

/*
 * An unknown property @name of @node: reported with the names in @known
 * ("a, b, c", as the message lists them), and the nearest of them if a typo
 * away (layout_prop.c).
 */
void layout_prop_unknown(struct layout_ctx *ctx, const char *node, const char *name,
			 const char *known);
/* How many edits (OSA distance) layout_suggest() reaches. */
#define LAYOUT_SUGGEST_EDITS 2
/*
 * layout_suggest.c: the name in @known ("a, b, c") nearest @name, if within
 * LAYOUT_SUGGEST_EDITS edits (a character inserted, deleted, replaced, or
 * two neighbours swapped; a letter's case is no edit), into @out; the
 * first listed of equally near ones. False, @out untouched: none, or it
 * does not fit @size.
 */
bool layout_suggest(const char *name, const char *known, char *out, size_t size);

/* layout_cell.c: one cell property's value into @c. */
void layout_cell_prop(struct layout_ctx *ctx, const struct layout_prop *p, int which,
		      struct layout_cell *c);

/* strnlen() without relying on POSIX headers on the host. */
static inline size_t layout_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* layout_board.c: everything that reads the board DTB or struct platform. */
int layout_board_cpu(const struct layout_ctx *ctx, uint64_t mpidr);
/*
 * RAM a cell or the hypervisor writes (@what 0x@base+@size of @node's @prop):
 * inside one board RAM bank and clear of the board's reserved memory, else
 * reported. Nothing without a board.
 */
void layout_board_ram(struct layout_ctx *ctx, const char *node, const char *prop, const char *what,
		      uint64_t base, uint64_t size);
int layout_board_device(struct layout_ctx *ctx, const char *cell_path, const char *dev_path,
			struct layout_device *dev);
/* layout_board_pci.c: checks @bdf against the host; the INTID its INTA# reaches (0: none wired). */
uint32_t layout_board_pci(struct layout_ctx *ctx, const char *cell_path, uint32_t bdf);
/*
 * Guest-physical 0x@ipa+@size of cell @c (@node's @prop: its memory, or a
 * shared region it is a member of) clear of the PCIe host's ECAM and 32-bit
 * memory window if @c has pci-devices, else reported, @note appended.
 * Nothing without a board.
 */
void layout_board_pci_ipa(struct layout_ctx *ctx, const struct layout_cell *c, const char *node,
			  const char *prop, uint64_t ipa, uint64_t size, const char *note);
/* @bdf's stream in the SMMU Bulkhead drives, reported if it has none; LAYOUT_NO_SID: none. */
uint32_t layout_board_pci_sid(struct layout_ctx *ctx, const char *cell_path, uint32_t bdf);
/*
 * layout_board_irq.c: the INTID of @bdf's INTA# through the host's
 * interrupt-map; 0 if none, -EINVAL after a layout error.
 */
int64_t layout_board_pci_inta(struct layout_ctx *ctx, const char *cell_path, uint32_t bdf);
/*
 * layout_board_dma.c: a cell with DMA-capable devices (PCI, `iommus`) needs
 * the board's SMMU, or `unprotected-dma`.
 */
void layout_board_dma(struct layout_ctx *ctx, const struct layout_cell *c);
/* layout_board_dma.c: @node's stream IDs (iommus) or the sign it masters DMA, into @d. */
int layout_board_device_sids(struct layout_ctx *ctx, const char *cell, int node,
			     struct layout_device *d);
/* The board DTB's index (boot/platform_index.c): parents, phandles and paths without a walk. */
static inline const struct platform_index *layout_board_index(const struct layout_ctx *ctx)
{
	return ctx->plat ? &ctx->plat->index : NULL;
}
/*
 * layout_board_reg.c: fill the first @max entries of @regs from @node's "reg", translated to CPU
 * addresses; returns how many entries "reg" has (possibly more than @max),
 * or -ENOENT (no reg), -ERANGE (an entry does not fit its bus's windows or
 * wraps once translated), -EINVAL (malformed).
 */
int layout_board_read_reg(const struct layout_ctx *ctx, int node, struct mem_range *regs, int max);
/*
 * layout_board_reg.c: when @node's reg cannot be read, say why it is no
 * MMIO (a CPU, an address on a bus without ranges) and return true.
 */
bool layout_board_reg_not_mmio(struct layout_ctx *ctx, const char *cell, int node,
			       const char *dev_path);

/*
 * layout_board_irq.c: whether INTID @intid is one the hypervisor keeps (its
 * console UART's, its SMMU's): what it is, written to @buf, or NULL.
 */
const char *layout_board_hyp_irq(const struct layout_ctx *ctx, uint32_t intid, char *buf,
				 size_t size);
/* layout_board_irq.c: @node's "interrupts", GIC SPIs only, added to @d. */
int layout_board_device_irqs(struct layout_ctx *ctx, const char *cell, int node,
			     struct layout_device *d);

/* layout_validate.c: rules between regions, devices, image windows and cells. */
void layout_validate(struct layout_ctx *ctx);
/* Guest-physical 0x@ipa+@size below LAYOUT_IPA_LIMIT (2^48), else reported, @note appended. */
void layout_check_ipa_limit(struct layout_ctx *ctx, const char *node, const char *prop,
			    uint64_t ipa, uint64_t size, const char *note);
/*
 * layout_exclusive.c: @b, parsed after @a, takes no CPU, memory, device,
 * SPI, INTx line, SMMU stream or PCI function @a has.
 */
void layout_check_exclusive(struct layout_ctx *ctx, const struct layout_cell *a,
			    const struct layout_cell *b);
/*
 * layout_streams.c: every cell's SMMU streams within what the hypervisor's
 * stream table holds (16-bit stream IDs; from 0x400 up, SMMU_STREAM_RANGES
 * ranges of 256 at most), after every cell is read.
 */
void layout_check_streams(struct layout_ctx *ctx);
/* partitions/layout_boot_ram.c: the kernel, its DTB slot and the initrd fit @c's boot RAM. */
void layout_check_boot_ram(struct layout_ctx *ctx, struct layout_cell *c);

/* layout_shm.c: one shared-memory@N node; then its rules, after every node is read. */
void layout_shm_parse(struct layout_ctx *ctx, int node, const char *name);
void layout_shm_validate(struct layout_ctx *ctx);

/*
 * partitions/layout_board_irq.c, for the board walks in layout_direct.c too.
 * The #interrupt-cells of @intc if it is the board's GIC (its first reg the
 * distributor) with specifiers the layout reads, 3, or 4 with PPI partitions
 * (RK3399); else 0.
 */
uint32_t layout_board_gic_cells(const struct layout_ctx *ctx, int intc);
/*
 * The cells of the GIC specifiers of a device under interrupt parent
 * @parent: layout_board_gic_cells() of the GIC, 3 for a 3-cell controller
 * stacked on it (its specifiers are the GIC's), 0 if they reach no GIC.
 */
uint32_t layout_board_gic_spec_cells(const struct layout_ctx *ctx, int parent);

#define LAYOUT_INTID_LIMIT 1020 /* 1020-1023 are special */

/* The SPIs a board wires, and the first thing that kept the scan from reading them all. */
struct layout_wired_spis {
	uint32_t used[1024 / 32];
	const char *unread; /* NULL: every SPI the board names is in used[] */
	int node;	    /* where (a node offset), or -1 */
};
/* Read them (layout_direct_scan.c), for direct cells' spare SPIs. */
void layout_board_wired_spis(struct layout_ctx *ctx, struct layout_wired_spis *wired);

/* A #...-cells property @name of @node (0-4): 0 when absent, -1 when malformed. */
int layout_board_cells(const void *fdt, int node, const char *name);

/* One interrupt-map entry: child unit address and specifier, the parent and its specifier. */
struct layout_intmap_entry {
	const fdt32_t *child; /* @nchild cells */
	int parent;	      /* node offset */
	uint32_t phandle;     /* the parent's */
	int naddr;	      /* its #address-cells */
	const fdt32_t *spec;  /* the parent's specifier, @nspec cells */
	int nspec;
};

/*
 * The entry at cell *@pos of interrupt-map @map (@len cells, children of
 * @nchild cells), *@pos advanced past it: 1, or 0 at the end, -1 malformed.
 * Zero @e before the first call: it remembers the last parent looked up.
 */
int layout_board_intmap_next(const struct layout_ctx *ctx, const fdt32_t *map, int len, int nchild,
			     int *pos, struct layout_intmap_entry *e);

#endif
