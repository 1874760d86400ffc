// SPDX-License-Identifier: GPL-2.0-only
/*
 * The physical GIC from the board FDT (Linux bindings
 * interrupt-controller/arm,gic-v3.yaml and arm,gic.yaml).
 */
#include <errno.h>
#include <stddef.h>

#include "platform_priv.h"

#define PLATFORM_GIC_NEED \
	"need arm,gic-v3, arm,gic-400, arm,cortex-a15-gic, arm,cortex-a9-gic or arm,cortex-a7-gic"

/*
 * The GICv3, then GICv2 implementations with the virtualization extensions'
 * GICH/GICV frames in reg.
 */
static const char platform_gic_compat[][20] = {
	"arm,gic-v3", "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,cortex-a7-gic",
};

static int platform_gic_find(const struct platform_ctx *ctx, int *version)
{
	for (size_t i = 0; i < sizeof(platform_gic_compat) / sizeof(platform_gic_compat[0]); i++) {
		int node = platform_find_compatible(ctx, -1, platform_gic_compat[i]);

		*version = i ? 2 : 3;
		if (node >= 0)
			return node;
	}
	return -FDT_ERR_NOTFOUND;
}

/*
 * No usable GIC: name the interrupt controller the root's interrupt-parent
 * points at, since that is the one the board uses, and say what it lacks.
 */
static void platform_gic_report_missing(struct platform_ctx *ctx)
{
	uint32_t phandle;
	const char *compat;
	int node = -1;

	if (platform_get_u32(ctx, 0, "interrupt-parent", &phandle) == 0)
		node = platform_index_by_phandle(ctx->idx, ctx->fdt, phandle);
	if (node < 0) {
		platform_err_at(ctx, "/", "interrupt-controller", "no enabled GIC (%s)",
				PLATFORM_GIC_NEED);
		return;
	}
	if (!platform_node_enabled(ctx->fdt, node)) {
		platform_err(ctx, node, "status",
			     "the root's interrupt controller is disabled (need an enabled GIC)");
		return;
	}
	compat = fdt_stringlist_get(ctx->fdt, node, "compatible", 0, NULL);
	platform_err(ctx, node, "compatible", "\"%s\" is not a supported GIC (%s)",
		     compat ? compat : "", PLATFORM_GIC_NEED);
}

/*
 * #redistributor-regions: how many GICR regions follow GICD in reg (1 if
 * absent). A board with several (one per socket or cluster) has CPUs whose
 * redistributor is in the second or a later one.
 */
static int platform_gic_v3_regions(struct platform_ctx *ctx, int node, uint32_t *regions)
{
	int ret = platform_get_u32(ctx, node, "#redistributor-regions", regions);

	if (ret == -ENOENT) {
		*regions = 1;
		return 0;
	}
	if (!ret && (*regions == 0 || *regions > PLATFORM_MAX_GICR_REGIONS)) {
		platform_err(ctx, node, "#redistributor-regions",
			     "%u, need 1 to %d (PLATFORM_MAX_GICR_REGIONS)", *regions,
			     PLATFORM_MAX_GICR_REGIONS);
		ret = -EINVAL;
	}
	return ret;
}

/*
 * redistributor-stride: padding pages between redistributors, one 64-bit
 * number (2 cells), a multiple of 64 KiB (Linux's arm,gic-v3 binding). Less
 * than RD_base and SGI_base, 128 KiB, would put one redistributor's frames
 * inside the next's. Absent: 0, the driver goes by GICR_TYPER.VLPIS.
 */
static void platform_gic_v3_stride(struct platform_ctx *ctx, int node, struct platform_gic *gic)
{
	int len;
	const fdt32_t *cells = fdt_getprop(ctx->fdt, node, "redistributor-stride", &len);
	uint64_t stride;

	if (!cells)
		return;
	if (len != 8) {
		platform_err(ctx, node, "redistributor-stride",
			     "%d bytes, need one 64-bit number (2 cells)", len);
		return;
	}
	stride = platform_read_cells(cells, 2);
	if (stride % 0x10000 || stride < 0x20000) {
		platform_err(ctx, node, "redistributor-stride",
			     "0x%lx, need a multiple of 64 KiB, at least 128 KiB (RD_base and "
			     "SGI_base)",
			     stride);
		return;
	}
	gic->redist_stride = stride;
}

/*
 * Frame @index of the GIC's reg, at least @min bytes: the driver reaches that
 * far (EL2 maps only what the board says, so a short frame faults at EL2),
 * or the cells' CPU interface does. Linux copes with a 4 KiB GICC by not
 * using GICC_DIR; the hypervisor needs it (EOImode 1).
 */
static void platform_gic_frame(struct platform_ctx *ctx, const struct platform_reg *reg, int index,
			       struct mem_range *frame, uint64_t min, const char *why)
{
	if (platform_reg_get(ctx, reg, index, frame) == 0 && frame->size < min)
		platform_err(ctx, reg->node, "reg",
			     "entry %d is 0x%lx bytes, need at least 0x%lx (%s)", index,
			     frame->size, min, why);
}

/* GICv3 reg: GICD, then #redistributor-regions GICR regions (then GICC/GICH/GICV, unused). */
static void platform_gic_v3(struct platform_ctx *ctx, int node, struct platform_gic *gic)
{
	struct platform_reg reg;
	uint32_t regions, i;

	if (platform_gic_v3_regions(ctx, node, &regions) ||
	    platform_reg_open(ctx, node, "need the GICD and GICR frames", &reg))
		return;
	if (reg.count < 1 + (int)regions) {
		platform_err(ctx, node, "reg",
			     "%d entries, need at least %u (GICD, then %u GICR region%s)",
			     reg.count, 1 + regions, regions,
			     regions > 1 ? "s, as #redistributor-regions says" : "");
		return;
	}
	platform_gic_frame(ctx, &reg, 0, &gic->dist, 0x10000,
			   "GICD: its ID registers end at 64 KiB");
	for (i = 0; i < regions; i++)
		platform_gic_frame(ctx, &reg, 1 + (int)i, &gic->redist_regions[i], 0x20000,
				   "a GICR region: a redistributor's RD_base and SGI_base frames");
	gic->nr_redist_regions = (int)regions;
	gic->redist = gic->redist_regions[0];
	platform_gic_v3_stride(ctx, node, gic);
}

/* GICv2 reg: GICD, GICC, GICH, GICV; the last two are the virtualization extensions. */
static void platform_gic_v2(struct platform_ctx *ctx, int node, struct platform_gic *gic)
{
	struct platform_reg reg;

	if (platform_reg_open(ctx, node, "need the GICD, GICC, GICH and GICV frames", &reg))
		return;
	if (reg.count < 4) {
		platform_err(ctx, node, "reg",
			     "%d entries, need 4 (GICD, GICC, GICH, GICV: the hypervisor needs the "
			     "virtualization extensions)",
			     reg.count);
		return;
	}
	platform_gic_frame(ctx, &reg, 0, &gic->dist, 0x1000, "GICD");
	platform_gic_frame(ctx, &reg, 1, &gic->cpuif, 0x2000, "GICC: GICC_DIR is at 0x1000");
	platform_gic_frame(ctx, &reg, 2, &gic->hyp, 0x200, "GICH: the list registers end at 0x200");
	platform_gic_frame(ctx, &reg, 3, &gic->vcpu, 0x2000,
			   "GICV: the cells' GICC_DIR is at 0x1000");
}

/*
 * A GICv2 distributor has 8 CPU interfaces at most: GICD_ITARGETSR<n> and
 * GICD_SGIR.CPUTargetList give each interface one bit of a byte (IHI 0048
 * 4.3.12, 4.3.15), so a ninth CPU could take no SPI nor SGI.
 */
#define PLATFORM_GICV2_MAX_CPUS 8

static void platform_gic_v2_cpus(struct platform_ctx *ctx, int node, int nr_cpus)
{
	if (nr_cpus > PLATFORM_GICV2_MAX_CPUS)
		platform_err(ctx, node, "compatible",
			     "a GICv2 with %d CPUs in /cpus: it targets at most %d CPU interfaces "
			     "(GICD_ITARGETSR and GICD_SGIR's CPUTargetList have a bit for each, "
			     "8 in all)",
			     nr_cpus, PLATFORM_GICV2_MAX_CPUS);
}

/* The GIC's own "interrupts" is its maintenance interrupt, a PPI. Absent: 0. */
static void platform_gic_maint(struct platform_ctx *ctx, int node, struct platform_gic *gic)
{
	uint32_t intid;

	if (platform_get_irq(ctx, node, 0, &intid))
		return;
	if (intid >= 32) {
		platform_err(ctx, node, "interrupts",
			     "maintenance interrupt INTID %u is an SPI (need a PPI <1 n>)", intid);
		return;
	}
	gic->maint_irq = intid;
}

static void platform_gic_node_frames(struct platform_ctx *ctx, int node, struct platform_gic *gic)
{
	struct platform_reg reg;

	if (!fdt_getprop(ctx->fdt, node, "reg", NULL) ||
	    platform_reg_open(ctx, node, "the GIC's frames", &reg))
		return;
	for (int i = 0; i < reg.count; i++) {
		if (gic->nr_frames == PLATFORM_MAX_GIC_FRAMES) {
			/* Fail closed: a frame not recorded could be given to a cell. */
			platform_err(ctx, node, "reg",
				     "more than %d GIC frames in all (PLATFORM_MAX_GIC_FRAMES)",
				     PLATFORM_MAX_GIC_FRAMES);
			return;
		}
		if (platform_reg_get(ctx, &reg, i, &gic->frames[gic->nr_frames]) == 0)
			gic->nr_frames++;
	}
}

/*
 * The whole GIC: the ITS (and a GICv2m frame) below the GIC node masters
 * memory at physical addresses (GITS_CBASER, GITS_BASER<n>), with no stage 2
 * or SMMU in its path, so whichever cell owned it could write anywhere.
 */
static void platform_gic_frames(struct platform_ctx *ctx, int gic_node, struct platform_gic *gic)
{
	int depth = 0, node = gic_node;

	platform_gic_node_frames(ctx, gic_node, gic);
	for (int n = 0; n < PLATFORM_INDEX_MAX; n++) {
		node = fdt_next_node(ctx->fdt, node, &depth);
		if (node < 0 || depth <= 0)
			return;
		platform_gic_node_frames(ctx, node, gic);
	}
}

int platform_discover_gic(struct platform_ctx *ctx, struct platform_gic *gic, int nr_cpus)
{
	int before = ctx->errors;
	int node = platform_gic_find(ctx, &gic->version);

	if (node < 0) {
		gic->version = 0;
		platform_gic_report_missing(ctx);
		return -EINVAL;
	}
	ctx->gic = node;
	if (gic->version == 3) {
		platform_gic_v3(ctx, node, gic);
	} else {
		platform_gic_v2(ctx, node, gic);
		platform_gic_v2_cpus(ctx, node, nr_cpus);
	}
	platform_gic_maint(ctx, node, gic);
	platform_gic_frames(ctx, node, gic);
	return ctx->errors == before ? 0 : -EINVAL;
}
