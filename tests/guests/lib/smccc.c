// SPDX-License-Identifier: GPL-2.0-only
/* SMCCC calls that return more than x0 (Bulkhead's hypercalls return up to x0..x3). */
#include "guest.h"

struct smccc_res hvc_call_res(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	/* SMCCC 1.1 preserves x4-x17, but a hypervisor under test is not trusted to. */
	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return (struct smccc_res){ .a0 = x0, .a1 = x1, .a2 = x2, .a3 = x3 };
}
