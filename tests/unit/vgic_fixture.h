/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_VGIC_FIXTURE_H
#define BULKHEAD_TESTS_VGIC_FIXTURE_H

/*
 * What the vGIC model's tests (test_vgic_{lr,linked,handback,vcpus,foreign,sgi}.c)
 * share: a GICv3 cell of four vCPUs owning SPIs 33, 48 and 79, and vCPU 0's
 * list registers, an array the test plays the guest's CPU interface on:
 * acknowledge = PENDING -> ACTIVE, EOI and deactivate = ACTIVE -> INVALID.
 */
#include <stdbool.h>
#include <stdint.h>

#include "../../gic/vgic_model.h" /* the model's predicates */
#include "vgic_test.h"

#define NR_LRS 4

extern struct vgic_cell v;
extern struct vgic_lr lrs[VGIC_MAX_LRS]; /* vCPU 0's */
extern const uint32_t cell_spis[3];

/* Each test's start: the cell at boot, Group 1 enabled, vCPU 0's list registers empty. */
int setup_v3(void **state);
#define T(f) cmocka_unit_test_setup(f, setup_v3)

/* Enable SPI/PPI @intid (owned) through the guest's registers. */
void enable(uint32_t intid, uint8_t prio);
void make_edge(uint32_t intid);
/* A passed-through SPI: hardware-linked to the same physical INTID (vgic_hw_cell_init()). */
void make_hw(uint32_t intid);
/* The guest acknowledges (PENDING -> ACTIVE) or deactivates (ACTIVE -> INVALID) LR @i. */
void guest_ack(unsigned int i);
void guest_done(unsigned int i);
/* The list register of @l holding @intid, or -1; lr_of(): of vCPU 0's. */
int lr_of_in(const struct vgic_lr *l, uint32_t intid);
int lr_of(uint32_t intid);
/* What the hardware side deactivates after a guest's distributor write. */
uint64_t take_dropped(void);
/* Owned SPI @intid's bit in vgic_take_dropped()'s mask. */
uint64_t spi_bit(uint32_t intid);

#endif
