// SPDX-License-Identifier: GPL-2.0-only
/*
 * A device's DMA as the board describes it: the SMMU stream IDs its iommus
 * names, or the signs that it masters DMA without one (layout_board.c reads
 * the rest of the device); and whether a cell's DMA can be contained.
 */
#include <errno.h>
#include <string.h>

#include "layout_internal.h"

/*
 * Known bus masters (docs/layout.md): compatibles of controllers that DMA on
 * their own although their nodes do not say so, on the boards configs/ has
 * (QEMU virt, Raspberry Pi 4, i.MX 8M Plus, ZynqMP) and the ones the porting
 * walk met (Allwinner A64, Rockchip RK3399, i.MX 8MQ; their VOP, VPU, RGA
 * and ISP name their own IOMMUs in iommus instead). Short on purpose: a
 * device not on it that masters DMA must be declared with unprotected-dma.
 * An entry ending in '*' matches every compatible it starts (IP versions).
 * One string list ("a\0b\0", ended by an empty string): each entry costs its
 * length, with no padding or pointer relocation.
 */
static const char dma_master_compat[] =
	"virtio,mmio\0"			      /* QEMU: virtqueues at guest-given addresses */
	"qemu,fw-cfg-mmio\0"		      /* QEMU: its DMA interface */
	"brcm,bcm2711-emmc2\0"		      /* SDHCI with ADMA (Pi 4 SD card) */
	"fsl,imx7d-usdhc\0"		      /* uSDHC, ADMA (every i.MX 8 lists it) */
	"arasan,sdhci-8.9a\0"		      /* ZynqMP SD/eMMC */
	"arasan,sdhci-5.1\0"		      /* SDHCI with ADMA (RK3399 eMMC) */
	"rockchip,rk3288-dw-mshc\0"	      /* DW MMC, internal DMA (RK3399 SD, SDIO) */
	"allwinner,sun50i-a64-mmc\0"	      /* SD/SDIO, internal DMA (A64) */
	"allwinner,sun50i-a64-emmc\0"	      /* eMMC, internal DMA (A64) */
	"brcm,bcm2711-genet-v5\0"	      /* GENET Ethernet (Pi 4) */
	"fsl,imx6sx-fec\0"		      /* FEC Ethernet (i.MX 8M) */
	"fsl,imx6q-fec\0"		      /* FEC Ethernet (older i.MX) */
	"snps,dwmac*\0"			      /* Synopsys EQOS / stmmac Ethernet */
	"rockchip,rk3399-gmac\0"	      /* stmmac Ethernet without snps,dwmac (RK3399) */
	"allwinner,sun50i-a64-emac\0"	      /* EMAC Ethernet (A64) */
	"allwinner,sun8i-h3-emac\0"	      /* EMAC Ethernet (H3, H5) */
	"cdns,gem\0"			      /* Cadence GEM Ethernet (ZynqMP) */
	"snps,dwc3\0"			      /* DWC3 USB (xHCI) */
	"generic-xhci\0"		      /* xHCI USB */
	"generic-ehci\0"		      /* EHCI USB 2 host (A64, RK3399) */
	"generic-ohci\0"		      /* OHCI USB 1.1 host (A64, RK3399) */
	"brcm,bcm2835-usb\0"		      /* DWC2 USB OTG (Pi) */
	"brcm,2711-v3d\0"		      /* V3D GPU (Pi 4) */
	"vivante,gc\0"			      /* Vivante GPU (i.MX 8M) */
	"arm,mali-*\0"			      /* Mali GPU (A64's Mali-400, RK3399's T860) */
	"fsl,imx28-lcdif\0"		      /* LCDIF display scan-out (i.MX 8MQ) */
	"allwinner,sun50i-a64-de2-mixer-*\0"  /* display engine mixers, scan-out (A64) */
	"nxp,imx8mq-vpu-g*\0"		      /* Hantro G1/G2 video decoders (i.MX 8MQ) */
	"allwinner,sun50i-a64-video-engine\0" /* Cedrus video engine (A64) */
	"allwinner,sun8i-h3-deinterlace\0"    /* deinterlacer (A64, H3, H5) */
	"allwinner,sun50i-a64-csi\0";	      /* camera sensor interface (A64) */

/* Is the compatible string @c (@n characters) a known bus master? */
static bool dma_master_listed(const char *c, size_t n)
{
	for (const char *k = dma_master_compat; *k; k += strlen(k) + 1) {
		size_t kl = strlen(k);

		if (k[kl - 1] == '*' ? n >= kl - 1 && memcmp(c, k, kl - 1) == 0
				     : n == kl && memcmp(c, k, kl) == 0)
			return true;
	}
	return false;
}

/* The first of @node's compatibles that dma_master_compat[] lists, or NULL. */
static const char *dma_master_compatible(const void *fdt, int node)
{
	int len;
	const char *compat = fdt_getprop(fdt, node, "compatible", &len);

	for (int at = 0; compat && at < len;) {
		size_t n = layout_strnlen(compat + at, (size_t)(len - at));

		if (at + (int)n == len) /* not NUL-terminated */
			return NULL;
		if (dma_master_listed(compat + at, n))
			return compat + at;
		at += (int)n + 1;
	}
	return NULL;
}

/*
 * A missing iommus does not prove a device is no DMA master: QEMU's
 * virtio-mmio transports and fw-cfg write guest-given addresses as physical
 * ones, and say so only by dma-coherent; an SD controller or an Ethernet MAC
 * on a real board usually says nothing at all (the known bus masters above).
 * A PCIe host (device_type "pci") carries its functions' DMA. Only the
 * node's own properties count (QEMU virt's root is dma-coherent, and its
 * PL031 masters nothing). A DMA engine (#dma-cells) masters; its clients
 * (dmas, an i.MX UART) do not: they only signal the engine, which a cell
 * drives only if it owns it.
 */
static const char *dma_without_iommus(const void *fdt, int node)
{
	static const char props[][16] = { "dma-coherent", "dma-noncoherent", "#dma-cells" };
	int len;
	const char *type = fdt_getprop(fdt, node, "device_type", &len);

	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		if (fdt_getprop(fdt, node, props[i], NULL))
			return props[i];
	if (type && len == sizeof("pci") && memcmp(type, "pci", sizeof("pci")) == 0)
		return "device_type \"pci\"";
	return dma_master_compatible(fdt, node);
}

/*
 * The #iommu-cells of the IOMMU @phandle names, or -1 when no node with
 * one does (an IOMMU's entries in iommus are its phandle and that many cells).
 */
static int iommu_cells(const struct layout_ctx *ctx, uint32_t phandle)
{
	int len, iommu = platform_index_by_phandle(layout_board_index(ctx), ctx->board, phandle);
	const fdt32_t *cells =
		iommu < 0 ? NULL : fdt_getprop(ctx->board, iommu, "#iommu-cells", &len);

	if (!cells || len != 4 || fdt32_ld(cells) > 8)
		return -1;
	return (int)fdt32_ld(cells);
}

/*
 * iommus = <&smmu SID ...> (arm,smmu-v3: #iommu-cells = 1): the device masters
 * DMA through the SMMU with those stream IDs; they are given to the cell too.
 * Each entry is as long as its IOMMU's #iommu-cells says: Rockchip's own
 * IOMMUs take none. An entry naming another IOMMU (one Bulkhead does not
 * drive), or none on a device that masters DMA, marks DMA that cannot be
 * contained: layout_board_dma() then wants unprotected-dma.
 */
int layout_board_device_sids(struct layout_ctx *ctx, const char *cell, int node,
			     struct layout_device *d)
{
	int len, n, cells = 0, contained = 1;
	const fdt32_t *v = fdt_getprop(ctx->board, node, "iommus", &len);

	if (!v) {
		d->dma_sign = dma_without_iommus(ctx->board, node);
		return 0;
	}
	n = len > 0 && len % 4 == 0 ? len / 4 : 0;
	for (int i = 0; i < n; i += 1 + cells) {
		uint32_t phandle = fdt32_ld(&v[i]);

		cells = iommu_cells(ctx, phandle);
		if (cells < 0 || cells > n - i - 1) {
			n = 0;
			break;
		}
		if (!ctx->plat->smmu.present || phandle != ctx->plat->smmu.phandle || cells != 1) {
			contained = 0;
			continue;
		}
		if (d->nr_sids == LAYOUT_MAX_DEV_SIDS) {
			layout_error(ctx, cell, "devices", "%s has more than %d stream IDs",
				     d->path, LAYOUT_MAX_DEV_SIDS);
			return -EINVAL;
		}
		d->sids[d->nr_sids++] = fdt32_ld(&v[i + 1]);
	}
	if (!n) {
		layout_error(ctx, cell, "devices",
			     "%s: iommus cannot be read: each entry is an IOMMU's phandle and as "
			     "many cells as that IOMMU's #iommu-cells says (a board device tree "
			     "error)",
			     d->path);
		return -EINVAL;
	}
	d->dma_sign = "iommus";
	if (!contained)
		d->nr_sids = 0; /* not all of its streams can be contained */
	return 0;
}

static void dma_error(struct layout_ctx *ctx, const struct layout_cell *c,
		      const struct layout_device *d)
{
	if (strcmp(d->dma_sign, "iommus") == 0)
		layout_error(ctx, c->path, "devices",
			     "%s masters DMA through an IOMMU that is not the board's SMMUv3: "
			     "it cannot be contained (add unprotected-dma; to the cell to "
			     "accept DMA anywhere in memory)",
			     d->path);
	else
		layout_error(
			ctx, c->path, "devices",
			"%s masters DMA (%s) and names no IOMMU (no iommus): no SMMU contains it "
			"(add unprotected-dma; to the cell to accept DMA anywhere in memory)",
			d->path, d->dma_sign);
}

void layout_board_dma(struct layout_ctx *ctx, const struct layout_cell *c)
{
	if (c->unprotected_dma)
		return; /* accepted; its identity map is layout_validate()'s, board or not */
	if (c->nr_pci && !ctx->plat->smmu.present)
		layout_error(ctx, c->path, "pci-devices",
			     "BDF 0x%04x: pass-through needs an SMMU to contain DMA; the board has "
			     "none (add unprotected-dma; to the cell to accept DMA anywhere in "
			     "memory)",
			     c->pci[0]);
	for (int i = 0; i < c->nr_devices; i++)
		if (c->devices[i].dma_sign && c->devices[i].nr_sids == 0)
			dma_error(ctx, c, &c->devices[i]);
}
