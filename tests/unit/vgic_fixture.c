// SPDX-License-Identifier: GPL-2.0-only
/* What the vGIC model's tests share (vgic_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "fake_log.h"
#include "vgic_fixture.h"

/* Never reached: every lock in these single-threaded tests is free. */
void arch_cpu_relax(void)
{
}

struct vgic_cell v;
struct vgic_lr lrs[VGIC_MAX_LRS];
const uint32_t cell_spis[3] = { 79, 33, 48 }; /* unsorted on purpose */

int setup_v3(void **state)
{
	(void)state;
	fake_log_reset();
	memset(lrs, 0, sizeof(lrs));
	memset(&v, 0, sizeof(v)); /* a cell at boot: vgic_init() keeps v.foreign */
	assert_int_equal(vgic_init(&v, 3, 4, cell_spis, 3, "linux"), 0);
	DWR(&v, GICD_CTLR, GICD_CTLR_EnableGrp1);
	return 0;
}

void enable(uint32_t intid, uint8_t prio)
{
	uint64_t p = prio;

	if (intid < 32) {
		uint64_t b = BIT_OF(intid);

		assert_true(vt_redist(&v, 0, GICR_SGI + GICD_ISENABLER, 4, true, &b) >= 0);
		assert_true(vt_redist(&v, 0, GICR_SGI + GICD_IPRIORITYR + intid, 1, true, &p) >= 0);
		return;
	}
	DWR(&v, BIT_REG(GICD_ISENABLER, intid), BIT_OF(intid));
	assert_true(vt_dist(&v, 0, GICD_IPRIORITYR + intid, 1, true, &p) >= 0);
}

void make_edge(uint32_t intid)
{
	uint32_t cfg = vt_drd(&v, 0, GICD_ICFGR + (intid / 16) * 4);

	DWR(&v, GICD_ICFGR + (intid / 16) * 4, cfg | 2u << ((intid % 16) * 2));
}

void guest_ack(unsigned int i)
{
	assert_int_equal(lrs[i].state, VGIC_LR_PENDING);
	lrs[i].state = VGIC_LR_ACTIVE;
}

void guest_done(unsigned int i)
{
	lrs[i].state = VGIC_LR_INVALID;
}

void make_hw(uint32_t intid)
{
	struct vgic_irq *irq = vgic_irq(&v, 0, intid);

	irq->hw = true;
	irq->hw_intid = intid;
}

int lr_of_in(const struct vgic_lr *l, uint32_t intid)
{
	for (int i = 0; i < NR_LRS; i++) {
		if (l[i].state != VGIC_LR_INVALID && l[i].intid == intid)
			return i;
	}
	return -1;
}

int lr_of(uint32_t intid)
{
	return lr_of_in(lrs, intid);
}

uint64_t take_dropped(void)
{
	uint64_t dropped;

	spin_lock(&v.lock);
	dropped = vgic_take_dropped(&v);
	spin_unlock(&v.lock);
	return dropped;
}

uint64_t spi_bit(uint32_t intid)
{
	return 1ULL << (vgic_irq(&v, 0, intid) - v.spis);
}
