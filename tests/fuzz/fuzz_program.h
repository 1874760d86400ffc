/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the model fuzz targets (fuzz_vgic.c, fuzz_vuart.c, fuzz_pci.c and
 * fuzz_trap.c's files) share: the input read as a program of big-endian
 * fields, a check that reports and aborts, and the spin-lock hook (but with
 * FUZZ_OWN_CPU_RELAX). Define FUZZ_NAME before including it.
 */
#ifndef BULKHEAD_FUZZ_PROGRAM_H
#define BULKHEAD_FUZZ_PROGRAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "arch/cpu.h"

struct program {
	const uint8_t *p;
	size_t left;
};

/* The next @bytes bytes as one number; zeros once the input is used up. */
static inline uint64_t take(struct program *pr, unsigned int bytes)
{
	uint64_t v = 0;

	while (bytes-- && pr->left) {
		v = (v << 8) | *pr->p++;
		pr->left--;
	}
	return v;
}

#define CHECK(cond, ...)                                             \
	do {                                                         \
		if (!(cond)) {                                       \
			fprintf(stderr, FUZZ_NAME ": " __VA_ARGS__); \
			fprintf(stderr, " [%s]\n", #cond);           \
			abort();                                     \
		}                                                    \
	} while (0)

/*
 * Single-threaded: a lock found taken was never released, a deadlock on the
 * hardware. The trap model has waits that its clock ends: its own hook.
 */
#ifndef FUZZ_OWN_CPU_RELAX
void arch_cpu_relax(void)
{
	abort();
}
#endif

#endif
