/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_FDT_GLUE_H
#define BULKHEAD_FDT_GLUE_H

#include "arch/cpu.h"
#include "panic.h"

/*
 * The rules for calling libfdt inside the hypervisor.
 *
 * The hypervisor links the libfdt.a of Debian's arm64 libfdt-dev: Linux user
 * space code. Two consequences:
 *  1. It uses FP/SIMD registers (v0.2s arithmetic in fdt_check_header and
 *     friends). CPTR_EL2.TFP is kept clear so it does not trap, and it may only
 *     run where no guest FP/SIMD state is live on this CPU: at boot, and when
 *     (re)building a cell on that cell's own CPUs while the cell is stopped.
 *     Never call it from a trap handler while a guest runs.
 *  2. It reaches its data through a GOT and may do unaligned loads: it must
 *     run after boot/head.S has applied the relocations and with the EL2 MMU
 *     on (Normal memory; with the MMU off every access is Device memory and
 *     unaligned accesses fault).
 * fdt_glue_check() states rule 2 at each entry point; rule 1 is kept by
 * calling libfdt only from the boot and cell-building paths.
 */
static inline void fdt_glue_check(void)
{
	CHECK(arch_mmu_enabled());
}

#endif
