/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The list-register back ends gic/vgic_hw.c switches between: GICv3's ICH_*
 * system registers (gic/vgic_hw_v3.c) and GICv2's GICH frame
 * (gic/vgic_hw_v2.c). Each converts struct vgic_lr to and from its own
 * list-register format. Private to gic/.
 */
#ifndef BULKHEAD_VGIC_HW_PRIV_H
#define BULKHEAD_VGIC_HW_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include "platform.h"
#include "vgic.h"

/* Number of list registers this CPU's virtual interface implements (1..16). */
unsigned int vgic_hw_v3_nr_lrs(void);
/* Every list register, the active priorities and VMCR cleared; interface off. */
void vgic_hw_v3_reset(unsigned int nr_lrs);
void vgic_hw_v3_read_lr(unsigned int n, struct vgic_lr *lr);
void vgic_hw_v3_write_lr(unsigned int n, const struct vgic_lr *lr);
/* ICH_HCR_EL2: En, and UIE (underflow maintenance) when more is pending than fits. */
void vgic_hw_v3_set_hcr(bool enable, bool underflow);

int vgic_hw_v2_init(const struct platform_gic *g);
unsigned int vgic_hw_v2_nr_lrs(void);
void vgic_hw_v2_reset(unsigned int nr_lrs);
void vgic_hw_v2_read_lr(unsigned int n, struct vgic_lr *lr);
void vgic_hw_v2_write_lr(unsigned int n, const struct vgic_lr *lr);
void vgic_hw_v2_set_hcr(bool enable, bool underflow);

#endif
