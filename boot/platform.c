// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform discovery: what the board's FDT says about RAM, CPUs, PSCI and the
 * timer; the GIC and devices are in platform_gic.c and platform_dev.c, the
 * property readers in platform_fdt.c. Every read goes through libfdt. Problems are reported one
 * line each, all of them, before platform_discover() fails.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "platform_priv.h"

/* MPIDR_EL1.Aff3 (bits 39:32), Aff2, Aff1, Aff0 (bits 23:0). */
#define PLATFORM_MPIDR_AFF_MASK 0xff00ffffffULL

static const char platform_psci_compat[][16] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };

/* Report once: errors found in [before, now). */
static int platform_result(const struct platform_ctx *ctx, int before)
{
	return ctx->errors == before ? 0 : -EINVAL;
}

/*
 * Two entries of one node's reg that overlap are usually one entry read with
 * the wrong cell counts (a fixup written for 1 and 1 on a root that says 2
 * and 2): the message says which counts read it.
 */
static void platform_mem_overlap_err(struct platform_ctx *ctx, const struct platform_reg *reg,
				     int index, struct mem_range r, struct mem_range other,
				     bool same_node)
{
	char bus[PLATFORM_PATH_MAX] = "its parent";
	int parent = platform_index_parent(ctx->idx, ctx->fdt, reg->node);

	if (same_node && parent >= 0)
		platform_store_path(ctx, parent, bus, sizeof(bus));
	if (!same_node)
		platform_err(ctx, reg->node, "reg",
			     "entry %d: 0x%lx+0x%lx overlaps RAM range 0x%lx+0x%lx", index, r.base,
			     r.size, other.base, other.size);
	else
		platform_err(ctx, reg->node, "reg",
			     "entry %d: 0x%lx+0x%lx overlaps RAM range 0x%lx+0x%lx, an entry of "
			     "the same reg (read with %s's #address-cells = <%d>, #size-cells = "
			     "<%d>: written with others, one entry reads as several)",
			     index, r.base, r.size, other.base, other.size, bus, reg->addr_cells,
			     reg->size_cells);
}

/* Entry @index of @reg, a memory node's; this node's ranges start at plat->mem[@first]. */
static void platform_add_mem(struct platform_ctx *ctx, const struct platform_reg *reg, int index,
			     int first, struct mem_range r, struct platform *plat)
{
	int i;

	if (r.base + (r.size - 1) < r.base) {
		platform_err(ctx, reg->node, "reg",
			     "entry %d: 0x%lx + 0x%lx wraps past the end of the address space",
			     index, r.base, r.size);
		return;
	}
	for (i = 0; i < plat->nr_mem; i++) {
		if (ranges_overlap(r.base, r.size, plat->mem[i].base, plat->mem[i].size)) {
			platform_mem_overlap_err(ctx, reg, index, r, plat->mem[i], i >= first);
			return;
		}
	}
	if (plat->nr_mem == PLATFORM_MAX_MEM) {
		platform_err(ctx, reg->node, "reg",
			     "entry %d: more than %d RAM ranges in all (PLATFORM_MAX_MEM)", index,
			     PLATFORM_MAX_MEM);
		return;
	}
	plat->mem[plat->nr_mem++] = r;
}

static void platform_memory_node(struct platform_ctx *ctx, int node, struct platform *plat)
{
	struct platform_reg reg;
	int i, first = plat->nr_mem;

	if (platform_reg_open(ctx, node, "need at least one RAM range", &reg))
		return;
	for (i = 0; i < reg.count; i++) {
		struct mem_range r;

		/* Size 0 is a placeholder a boot loader did not fill in: no RAM. */
		if (platform_reg_get(ctx, &reg, i, &r) == 0 && r.size)
			platform_add_mem(ctx, &reg, i, first, r, plat);
	}
}

static int platform_discover_memory(struct platform_ctx *ctx, struct platform *plat)
{
	int node, found = 0, before = ctx->errors;

	node = platform_index_by_device_type(ctx->idx, ctx->fdt, -1, "memory");
	for (; node >= 0;
	     node = platform_index_by_device_type(ctx->idx, ctx->fdt, node, "memory")) {
		if (!platform_node_enabled(ctx->fdt, node))
			continue;
		found++;
		platform_memory_node(ctx, node, plat);
	}
	if (!found)
		platform_err_at(ctx, "/", "memory",
				"no node with device_type = \"memory\" (a kernel's tree often has "
				"none: the boot loader adds /memory to the tree it passes, as "
				"U-Boot's booti does; give a tree that has it, docs/porting.md)");
	else if (plat->nr_mem == 0 && ctx->errors == before)
		platform_err_at(ctx, "/", "memory", "every RAM range has size 0");
	return platform_result(ctx, before);
}

static void platform_add_reserved(struct platform_ctx *ctx, const char *where, int node,
				  bool no_map, struct mem_range r, struct platform *plat)
{
	if (r.size == 0)
		return; /* a placeholder nobody filled in (the Pi's nvram@0): nothing kept */
	if (r.base + (r.size - 1) < r.base) {
		platform_err_at(ctx, where, "reg",
				"reserved 0x%lx + 0x%lx wraps past the end of the address space",
				r.base, r.size);
		return;
	}
	if (plat->nr_reserved == PLATFORM_MAX_RESERVED) {
		/* Fail closed: an unrecorded reservation could be given to a cell. */
		platform_err_at(
			ctx, where, "reg",
			"more than %d reserved memory ranges in all (PLATFORM_MAX_RESERVED)",
			PLATFORM_MAX_RESERVED);
		return;
	}
	plat->reserved[plat->nr_reserved++] = (struct platform_reserved){ r, node, no_map };
}

/*
 * DT spec 3.5.4: a child with only "size" is a pool the OS would place, and a
 * "reusable" one (CMA) is the OS's own RAM; neither holds anything a cell
 * could overwrite. Every other reg (no-map firmware, a coprocessor's
 * memory, a framebuffer) belongs to someone else. "no-map" wins over
 * "reusable": the spec forbids both, Linux's CMA refuses such a pool, and
 * memory that may be firmware's is safer kept than handed out.
 */
static void platform_reserved_node(struct platform_ctx *ctx, int node, struct platform *plat)
{
	bool no_map = fdt_getprop(ctx->fdt, node, "no-map", NULL) != NULL;
	struct platform_reg reg;

	if (!platform_node_enabled(ctx->fdt, node) ||
	    (fdt_getprop(ctx->fdt, node, "reusable", NULL) && !no_map) ||
	    !fdt_getprop(ctx->fdt, node, "reg", NULL))
		return;
	if (platform_reg_open(ctx, node, "the reserved range", &reg))
		return;
	for (int i = 0; i < reg.count; i++) {
		struct mem_range r;

		if (platform_reg_get(ctx, &reg, i, &r) == 0)
			platform_add_reserved(ctx, platform_path(ctx, node), node, no_map, r, plat);
	}
}

/*
 * The /memreserve/ block and /reserved-memory: RAM firmware or other masters
 * keep. A block without its terminating entry (fdt_num_mem_rsv() < 0) never
 * gets here: platform_fdt_check() refused the blob.
 */
static int platform_discover_reserved(struct platform_ctx *ctx, struct platform *plat)
{
	int node, n = fdt_num_mem_rsv(ctx->fdt), before = ctx->errors;
	int parent = platform_path_offset(ctx, "/reserved-memory");

	for (int i = 0; i < n; i++) {
		struct mem_range r;

		if (fdt_get_mem_rsv(ctx->fdt, i, &r.base, &r.size) == 0)
			platform_add_reserved(ctx, "/memreserve/", -1, false, r, plat);
	}
	if (parent < 0)
		return platform_result(ctx, before);
	fdt_for_each_subnode(node, ctx->fdt, parent)
	{
		platform_reserved_node(ctx, node, plat);
	}
	return platform_result(ctx, before);
}

/*
 * DT spec 3.8: a CPU with status "disabled" is present but waiting to be
 * started through its enable-method, so it counts; "fail..." does not.
 */
static bool platform_is_cpu(const void *fdt, int node)
{
	const char *type = fdt_stringlist_get(fdt, node, "device_type", 0, NULL);
	const char *status = fdt_stringlist_get(fdt, node, "status", 0, NULL);

	if (!type || strcmp(type, "cpu") != 0)
		return false;
	return !status || strncmp(status, "fail", 4) != 0;
}

static void platform_check_enable_method(struct platform_ctx *ctx, int node)
{
	const char *method;
	int r = platform_get_string(ctx, node, "enable-method", &method);

	if (r == -ENOENT)
		platform_err(ctx, node, "enable-method", "missing (need \"psci\")");
	else if (r == 0 && strcmp(method, "psci") != 0)
		platform_err(ctx, node, "enable-method", "\"%s\" is not supported (need \"psci\")",
			     method);
}

static void platform_cpu_node(struct platform_ctx *ctx, int node, int addr_cells,
			      struct platform *plat)
{
	int i, len;
	uint64_t mpidr;
	const fdt32_t *reg = fdt_getprop(ctx->fdt, node, "reg", &len);

	if (!reg || len != addr_cells * (int)sizeof(fdt32_t)) {
		platform_err(
			ctx, node, "reg",
			"%s (need the MPIDR affinity in %d cell(s), the #address-cells of /cpus)",
			reg ? "wrong length" : "missing", addr_cells);
		return;
	}
	mpidr = platform_read_cells(reg, addr_cells);
	/* The boot CPU is never started, so it needs no enable-method (QEMU -smp 1 has none). */
	if (mpidr != fdt_boot_cpuid_phys(ctx->fdt))
		platform_check_enable_method(ctx, node);
	if (mpidr & ~PLATFORM_MPIDR_AFF_MASK) {
		platform_err(ctx, node, "reg",
			     "0x%lx has bits outside MPIDR_EL1.Aff3..Aff0 (mask 0xff00ffffff)",
			     mpidr);
		return;
	}
	for (i = 0; i < plat->nr_cpus; i++) {
		if (plat->cpus[i].mpidr == mpidr) {
			platform_err(ctx, node, "reg", "MPIDR 0x%lx is also CPU %d's", mpidr, i);
			return;
		}
	}
	plat->cpus[plat->nr_cpus++].mpidr = mpidr;
}

static int platform_discover_cpus(struct platform_ctx *ctx, struct platform *plat)
{
	int node, cells, total = 0, before = ctx->errors;
	int cpus = platform_path_offset(ctx, "/cpus");

	if (cpus < 0) {
		platform_err_at(ctx, "/", "cpus", "no /cpus node (need one cpu node per CPU)");
		return -EINVAL;
	}
	cells = dt_address_cells(ctx->fdt, cpus);
	if (platform_bus_cells(ctx, cpus, "#address-cells", cells))
		return -EINVAL;
	fdt_for_each_subnode(node, ctx->fdt, cpus)
	{
		if (!platform_is_cpu(ctx->fdt, node))
			continue;
		if (++total <= PLATFORM_MAX_CPUS)
			platform_cpu_node(ctx, node, cells, plat);
	}
	if (total == 0)
		platform_err_at(ctx, "/cpus", "cpu", "no node with device_type = \"cpu\"");
	if (total > PLATFORM_MAX_CPUS)
		platform_err_at(ctx, "/cpus", "cpu",
				"%d CPUs, at most %d supported (PLATFORM_MAX_CPUS)", total,
				PLATFORM_MAX_CPUS);
	return platform_result(ctx, before);
}

static int platform_find_psci(const struct platform_ctx *ctx)
{
	size_t i;
	int node = platform_path_offset(ctx, "/psci");

	if (node >= 0 && platform_node_enabled(ctx->fdt, node))
		return node;
	for (i = 0; i < sizeof(platform_psci_compat) / sizeof(platform_psci_compat[0]); i++) {
		node = platform_find_compatible(ctx, -1, platform_psci_compat[i]);
		if (node >= 0)
			return node;
	}
	return -FDT_ERR_NOTFOUND;
}

/*
 * PSCI 0.1 ("arm,psci" alone) has no function IDs of its own: the node's
 * cpu_on, cpu_off... properties give the firmware's. Bulkhead calls the IDs
 * PSCI 0.2 fixed, which such firmware need not know: CPU_ON would fail with
 * NOT_SUPPORTED, unexplained.
 */
static void platform_check_psci_version(struct platform_ctx *ctx, int node)
{
	const char *compat = fdt_stringlist_get(ctx->fdt, node, "compatible", 0, NULL);

	if (fdt_node_check_compatible(ctx->fdt, node, "arm,psci-1.0") == 0 ||
	    fdt_node_check_compatible(ctx->fdt, node, "arm,psci-0.2") == 0)
		return;
	if (fdt_node_check_compatible(ctx->fdt, node, "arm,psci") == 0)
		platform_err(ctx, node, "compatible",
			     "\"arm,psci\" alone is PSCI 0.1, whose function IDs the node's "
			     "cpu_on, cpu_off... properties give; Bulkhead calls PSCI 0.2's fixed "
			     "IDs instead (need firmware with PSCI 0.2 or later, compatible "
			     "arm,psci-1.0 or arm,psci-0.2)");
	else if (!compat)
		platform_err(ctx, node, "compatible",
			     "missing (need arm,psci-1.0 or arm,psci-0.2)");
	else
		platform_err(ctx, node, "compatible",
			     "\"%s\" is not PSCI (need arm,psci-1.0 or arm,psci-0.2)", compat);
}

static int platform_discover_psci(struct platform_ctx *ctx, struct platform *plat)
{
	const char *method;
	int r, node = platform_find_psci(ctx), before = ctx->errors;

	if (node < 0) {
		platform_err_at(
			ctx, "/", "psci",
			"no enabled node (need /psci or a node compatible with arm,psci-1.0 "
			"or arm,psci-0.2)");
		return -EINVAL;
	}
	platform_check_psci_version(ctx, node);
	/*
	 * "hvc" is right for a kernel at EL1 under a hypervisor, wrong for
	 * Bulkhead: an HVC executed at EL2 is taken to EL2, so the first
	 * PSCI call would land in Bulkhead's own vectors. Only SMC reaches
	 * the firmware below (EL3).
	 */
	r = platform_get_string(ctx, node, "method", &method);
	if (r == -ENOENT)
		platform_err(ctx, node, "method", "missing (need \"smc\")");
	else if (r == 0 && strcmp(method, "smc") == 0)
		plat->psci = PSCI_CONDUIT_SMC;
	else if (r == 0 && strcmp(method, "hvc") == 0)
		platform_err(
			ctx, node, "method",
			"\"hvc\" cannot reach the firmware from EL2 (hvc #0 traps to Bulkhead "
			"itself; the firmware below EL2 is reached by smc only: need \"smc\")");
	else if (r == 0)
		platform_err(ctx, node, "method", "\"%s\" is not valid (need \"smc\")", method);
	return platform_result(ctx, before);
}

static int platform_discover_timer(struct platform_ctx *ctx, struct platform *plat)
{
	uint32_t freq;
	int r, node = platform_find_compatible(ctx, -1, "arm,armv8-timer");

	if (node < 0) {
		platform_err_at(ctx, "/", "timer",
				"no enabled node compatible with arm,armv8-timer");
		return -EINVAL;
	}
	/* Optional: firmware should have programmed CNTFRQ_EL0; this overrides it. */
	r = platform_get_u32(ctx, node, "clock-frequency", &freq);
	if (r == 0 && freq == 0) {
		platform_err(ctx, node, "clock-frequency",
			     "0 Hz (omit the property to use CNTFRQ_EL0)");
		return -EINVAL;
	}
	if (r == -EINVAL)
		return r;
	if (r == 0)
		plat->timer_freq = freq;
	/* Only an accepted node is checked against CNTFRQ_EL0: one problem, one line. */
	return platform_store_path(ctx, node, plat->timer_path, sizeof(plat->timer_path));
}

int platform_check_boot_cpu(const struct platform *plat, uint64_t mpidr)
{
	struct platform_ctx ctx = { 0 };

	for (int i = 0; i < plat->nr_cpus; i++)
		if (plat->cpus[i].mpidr == mpidr)
			return 0;
	platform_err_at(&ctx, "/cpus", "cpu",
			"no node has the boot CPU's MPIDR 0x%lx (cells are given CPUs by their "
			"/cpus node: need a cpu node with this reg)",
			mpidr);
	return -EINVAL;
}

int platform_check_timer(const struct platform *plat, uint64_t cntfrq)
{
	struct platform_ctx ctx = { 0 };

	if (!plat->timer_path[0] || plat->timer_freq || cntfrq)
		return 0;
	platform_err_at(&ctx, plat->timer_path, "clock-frequency",
			"missing and CNTFRQ_EL0 is 0 (firmware did not program it)");
	return -EINVAL;
}

int platform_discover(const void *fdt, struct platform *plat)
{
	struct platform_ctx ctx = { .fdt = fdt };
	int r = platform_fdt_check(fdt);
	bool gic_ok, uart_ok;

	memset(plat, 0, sizeof(*plat));
	if (r == -FDT_ERR_BADVERSION) {
		platform_err_at(&ctx, "/", "header", "version %u; need 17 or later (dtc -V 17)",
				(unsigned int)fdt_version(fdt));
		return -EINVAL;
	}
	/* fdt_check_full() refuses it for this, saying no more than FDT_ERR_TRUNCATED. */
	if (r == -FDT_ERR_TRUNCATED && fdt_check_header(fdt) == 0 && fdt_num_mem_rsv(fdt) < 0) {
		platform_err_at(&ctx, "/", "/memreserve/", PLATFORM_MEMRESERVE_UNTERMINATED);
		return -EINVAL;
	}
	if (r) {
		platform_err_at(&ctx, "/", "header", "not a flattened device tree (%s)",
				fdt_strerror(r));
		return -EINVAL;
	}
	/* Without an index (a board too big for it) the lookups walk the blob: slower, same. */
	if (platform_index_build(&plat->index, fdt, PLATFORM_INDEX_MAX) == 0)
		ctx.idx = &plat->index;
	/* Every step runs whatever the others found, so one boot shows every problem. */
	platform_discover_memory(&ctx, plat);
	platform_discover_reserved(&ctx, plat);
	platform_discover_cpus(&ctx, plat);
	platform_discover_psci(&ctx, plat);
	gic_ok = platform_discover_gic(&ctx, &plat->gic, plat->nr_cpus) == 0;
	uart_ok = platform_discover_uart(&ctx, &plat->uart) == 0;
	if (gic_ok && uart_ok)
		platform_discover_uart_irq(&ctx, &plat->uart);
	platform_discover_timer(&ctx, plat);
	platform_discover_smmu(&ctx, &plat->smmu);
	platform_discover_pcie(&ctx, &plat->pcie);
	/* Only an entry that names the SMMU Bulkhead drives gives stream IDs of that SMMU. */
	for (int i = 0; i < plat->pcie.nr_iommu_map; i++)
		plat->pcie.iommu_map[i].not_smmu =
			!plat->smmu.present ||
			plat->pcie.iommu_map[i].phandle != plat->smmu.phandle;
	return ctx.errors ? -EINVAL : 0;
}

void platform_psci_version_str(uint32_t v, char *buf, size_t len)
{
	/* Arm DEN 0022: bit 31 is 0 in a version; an error code is negative. */
	if ((int32_t)v < 0)
		snprintf(buf, len, "version unknown (PSCI_VERSION returned %d)", (int)(int32_t)v);
	else
		snprintf(buf, len, "%u.%u", v >> 16, v & 0xffff);
}

const char *platform_psci_name(enum psci_conduit c)
{
	return c == PSCI_CONDUIT_SMC ? "smc" : "none";
}
