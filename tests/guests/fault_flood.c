// SPDX-License-Identifier: GPL-2.0-only
/*
 * fault_flood: a neighbour that, within its per-kind report limits (8 of
 * each), records as many faults as the shell's `faults` log held in all
 * before 2026-11-25 (16): 8 stage-2 faults and 8 refused SMCs, after
 * fault_once's one fault (tests/scenarios/test_lifecycle.py).
 */
#include "hostile.h"

int main(void *dtb)
{
	uint64_t v;
	unsigned int i;

	(void)dtb;
	udelay(500000); /* after fault_once's fault, in the other cell */
	for (i = 0; i < 8; i++)
		(void)probe_read(0x30000000 + i * 0x1000, &v);
	for (i = 0; i < 8; i++)
		(void)smc_call(0xc2000000 + i, 0, 0, 0); /* SiP: refused, reported */
	hostile_done("fault_flood");
}
