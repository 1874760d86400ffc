// SPDX-License-Identifier: GPL-2.0-only
/*
 * The physical GIC from the board FDT (Linux bindings
 * interrupt-controller/arm,gic-v3.yaml and arm,gic.yaml).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "platform_priv.h"

#define PLATFORM_GIC_NEED \
	"need arm,gic-v3, arm,gic-400, arm,cortex-a15-gic, arm,cortex-a9-gic or arm,cortex-a7-gic"

/* GICv2 implementations with the virtualization extensions' GICH/GICV frames in reg. */
static const char platform_gic_v2_compat[][20] = {
	"arm,gic-400",
	"arm,cortex-a15-gic",
	"arm,cortex-a9-gic",
	"arm,cortex-a7-gic",
};

static int platform_gic_find(const struct platform_ctx *ctx, int *version)
{
	size_t i;
	int node = platform_find_compatible(ctx, -1, "arm,gic-v3");

	*version = 3;
	if (node >= 0)
		return node;
	*version = 2;
	for (i = 0; i < sizeof(platform_gic_v2_compat) / sizeof(platform_gic_v2_compat[0]); i++) {
		node = platform_find_compatible(ctx, -1, platform_gic_v2_compat[i]);
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
		platform_err(ctx, "/", "interrupt-controller", "no enabled GIC (%s)",
			     PLATFORM_GIC_NEED);
		return;
	}
	if (!platform_node_enabled(ctx->fdt, node)) {
		platform_err(ctx, platform_path(ctx, node), "status",
			     "the root's interrupt controller is disabled (need an enabled GIC)");
		return;
	}
	compat = fdt_stringlist_get(ctx->fdt, node, "compatible", 0, NULL);
	platform_err(ctx, platform_path(ctx, node), "compatible",
		     "\"%s\" is not a supported GIC (%s)", compat ? compat : "", PLATFORM_GIC_NEED);
}

/* GICv3 reg: GICD, then #redistributor-regions GICR regions (we keep the first). */
static void platform_gic_v3(struct platform_ctx *ctx, int node, struct platform_gic *gic)
{
	struct platform_reg reg;

	if (platform_reg_open(ctx, node, "need the GICD and GICR frames", &reg))
		return;
	if (reg.count < 2) {
		platform_err(ctx, platform_path(ctx, node), "reg",
			     "%d entry, need at least 2 (GICD, then the GICR region)", reg.count);
		return;
	}
	platform_reg_get(ctx, &reg, 0, &gic->dist);
	platform_reg_get(ctx, &reg, 1, &gic->redist);
}

/* GICv2 reg: GICD, GICC, GICH, GICV; the last two are the virtualization extensions. */
static void platform_gic_v2(struct platform_ctx *ctx, int node, struct platform_gic *gic)
{
	struct platform_reg reg;

	if (platform_reg_open(ctx, node, "need the GICD, GICC, GICH and GICV frames", &reg))
		return;
	if (reg.count < 4) {
		platform_err(ctx, platform_path(ctx, node), "reg",
			     "%d entries, need 4 (GICD, GICC, GICH, GICV: the hypervisor needs the "
			     "virtualization extensions)",
			     reg.count);
		return;
	}
	platform_reg_get(ctx, &reg, 0, &gic->dist);
	platform_reg_get(ctx, &reg, 1, &gic->cpuif);
	platform_reg_get(ctx, &reg, 2, &gic->hyp);
	platform_reg_get(ctx, &reg, 3, &gic->vcpu);
}

/* The GIC's own "interrupts" is its maintenance interrupt, a PPI. Absent: 0. */
static void platform_gic_maint(struct platform_ctx *ctx, int node, struct platform_gic *gic)
{
	uint32_t intid;

	if (platform_get_irq(ctx, node, 0, &intid))
		return;
	if (intid >= 32) {
		platform_err(ctx, platform_path(ctx, node), "interrupts",
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
			platform_err(ctx, platform_path(ctx, node), "reg",
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

int platform_discover_gic(struct platform_ctx *ctx, struct platform_gic *gic)
{
	int before = ctx->errors;
	int node = platform_gic_find(ctx, &gic->version);

	if (node < 0) {
		gic->version = 0;
		platform_gic_report_missing(ctx);
		return -EINVAL;
	}
	if (gic->version == 3)
		platform_gic_v3(ctx, node, gic);
	else
		platform_gic_v2(ctx, node, gic);
	platform_gic_maint(ctx, node, gic);
	platform_gic_frames(ctx, node, gic);
	return ctx->errors == before ? 0 : -EINVAL;
}
