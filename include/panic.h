/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_PANIC_H
#define BULKHEAD_PANIC_H

/*
 * panic() is for a broken hypervisor invariant only, never for guest input
 * or a bad layout: it reports and parks the calling CPU, whose cell, if it
 * runs a vCPU, is stopped and failed (arch_cpu_park_after_fault()).
 */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define CHECK(cond)                                                                    \
	do {                                                                           \
		if (!(cond))                                                           \
			panic("CHECK failed: %s at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
