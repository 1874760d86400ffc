// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_hvc (battery f): 5000 hypercalls with function IDs and arguments
 * from a fixed-seed xorshift64, a quarter each: any 32-bit value, the PSCI
 * range, Bulkhead's range (0xc600xxxx, management calls included: this cell
 * is not a management cell), the SMCCC architecture range; plus hvc with
 * non-zero immediates. Skipped: the PSCI calls whose legitimate effect is on
 * this cell itself -- CPU_OFF, SYSTEM_OFF, SYSTEM_RESET(2), CPU_ON (would
 * start its second vCPU at a random address) -- tested in their own
 * scenarios. Every call must return; the hypervisor and the victim carry on.
 */
#include "hostile.h"

#define CALLS 5000
#define SEED  0x2545f4914f6cdd1dUL

/* PSCI function numbers (low 5 bits, either convention) this cell may not fuzz. */
static bool skipped(uint32_t fid)
{
	if ((fid & 0xbfffffe0u) != 0x84000000u)
		return false;
	switch (fid & 0x1f) {
	case 0x02: /* CPU_OFF */
	case 0x03: /* CPU_ON */
	case 0x08: /* SYSTEM_OFF */
	case 0x09: /* SYSTEM_RESET */
	case 0x12: /* SYSTEM_RESET2 */
		return true;
	default:
		return false;
	}
}

static uint64_t hvc_imm(unsigned int which, uint64_t fid)
{
	register uint64_t x0 __asm__("x0") = fid;

	if (which == 0)
		__asm__ volatile("hvc #1" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	else
		__asm__ volatile("hvc #0xffff" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return x0;
}

int main(void *dtb)
{
	uint64_t s = SEED, r, a1, a2, a3, ret;
	unsigned int i, done = 0, not_supported = 0, skips = 0;
	uint32_t fid;

	(void)dtb;
	for (i = 0; done < CALLS; i++) {
		r = xorshift64(&s);
		switch (r & 3) {
		case 0:
			fid = (uint32_t)(r >> 32);
			break;
		case 1:
			fid = 0x84000000u | ((uint32_t)(r >> 8) & 0x4000001fu);
			break;
		case 2:
			fid = 0xc6000000u | ((uint32_t)(r >> 8) & 0xff);
			break;
		default:
			fid = 0x80000000u | ((uint32_t)(r >> 8) & 0xffff);
			break;
		}
		if (skipped(fid)) {
			skips++;
			continue;
		}
		a1 = xorshift64(&s);
		a2 = xorshift64(&s);
		a3 = xorshift64(&s);
		/* Small arguments too: cell indices and vCPU numbers that exist. */
		if (a1 & 1)
			a1 &= 3;
		ret = hvc_call(fid, a1, a2, a3);
		if (ret == (uint64_t)-1)
			not_supported++;
		done++;
	}
	if (hvc_imm(0, 0x84000008) != (uint64_t)-1 || hvc_imm(1, 0x84000009) != (uint64_t)-1)
		TEST_FAIL("hvc_imm", "hvc #imm != 0 was not refused");
	printf("hostile_hvc: %u calls (%u NOT_SUPPORTED), %u skipped\n", done, not_supported,
	       skips);
	TEST_PASS("hostile_hvc");
	hostile_done("hvc");
}
