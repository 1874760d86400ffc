// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_sgi (battery c): sends every SGI with every target-list form.
 * GICv3: ICC_SGI1R_EL1 with TargetList 0xffff under every Aff1/Aff2/Aff3
 * combination of 0, 1 and 0xff, with IRM = 1 (all but self), and the same
 * values through ICC_SGI0R_EL1 and ICC_ASGI1R_EL1. GICv2: GICD_SGIR with
 * TargetListFilter 0 (list, all 8 CPU bits), 1 (all but self), 2 (self) and
 * the reserved 3. Interrupts stay masked: the SGIs to itself stay pending.
 * Only this cell's vCPUs may receive them; the victim counts anything.
 */
#include "gic.h"
#include "hostile.h"

#define ROUNDS	  20
#define SGI1R_IRM (1UL << 40)

static uint64_t sgi1r(unsigned int intid, uint64_t aff1, uint64_t aff2, uint64_t aff3)
{
	return 0xffffUL | (aff1 << 16) | ((uint64_t)intid << 24) | (aff2 << 32) | (aff3 << 48);
}

static void send_v3(uint64_t v)
{
	write_sysreg(v, s3_0_c12_c11_5); /* ICC_SGI1R_EL1 */
	write_sysreg(v, s3_0_c12_c11_7); /* ICC_SGI0R_EL1 */
	write_sysreg(v, s3_0_c12_c11_6); /* ICC_ASGI1R_EL1 */
	__asm__ volatile("isb" ::: "memory");
}

int main(void *dtb)
{
	static const uint64_t affs[] = { 0, 1, 2, 0xff };
	unsigned int round, intid, a1, a2, a3, filter, sent = 0;

	(void)dtb;
	gic_init();
	gic_cpu_init();
	printf("hostile_sgi: GICv%d\n", gic_version());
	for (round = 0; round < ROUNDS; round++) {
		for (intid = 0; intid < 16; intid++) {
			if (gic_version() == 3) {
				for (a1 = 0; a1 < 4; a1++)
					for (a2 = 0; a2 < 4; a2++)
						for (a3 = 0; a3 < 4; a3++) {
							send_v3(sgi1r(intid, affs[a1], affs[a2],
								      affs[a3]));
							sent += 3;
						}
				send_v3(sgi1r(intid, 0, 0, 0) | SGI1R_IRM);
				send_v3(~0UL);
				sent += 6;
			} else {
				for (filter = 0; filter < 4; filter++) {
					gic_dist_write32(GICD_SGIR,
							 (filter << 24) | (0xffu << 16) | intid);
					sent++;
				}
				gic_dist_write32(GICD_SGIR, 0xffffffff);
				sent++;
			}
		}
	}
	printf("hostile_sgi: %u SGI writes\n", sent);
	TEST_PASS("hostile_sgi");
	hostile_done("sgi");
}
