// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_busy: vgic_flood without the SGIs: every vCPU spins for as long as a
 * flood lasts. The baseline of tests/scenarios/test_vgic.py's flood test:
 * the same vCPUs take their turns on QEMU's thread, so what differs is the
 * SGIs.
 */
#define FLOOD_SGIS 0
#include "vgic_flood.c"
