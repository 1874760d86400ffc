/* SPDX-License-Identifier: GPL-2.0-only */
/* What architecture-neutral code needs from the CPU (arch/arm64/cpu.c). */
#ifndef BULKHEAD_ARCH_CPU_H
#define BULKHEAD_ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

/* Logical index of the calling CPU (0 = the CPU the hypervisor booted on). */
unsigned int arch_cpu_index(void);
uint64_t arch_cpu_mpidr(void);
void arch_cpu_relax(void);
/*
 * Sleep until an interrupt is pending, then take it (IRQs and FIQs unmasked
 * for an instant). Wakers send an SGI (GIC_SGI_KICK): never lost, even if
 * sent just before the call.
 */
void arch_cpu_wait_irq(void);
/* Unmask IRQs for an instant so that pending ones are taken (gic/ self-test). */
void arch_irq_window(void);
/* An IRQ or FIQ is pending at this CPU (masked or not): irq_handle() would find it. */
bool arch_cpu_irq_pending(void);
/*
 * Logical index of the online CPU with @mpidr, or -1: one that failed at
 * bring-up, or parked since, is not online, and no cell may be bound to it.
 */
int arch_cpu_index_of_mpidr(uint64_t mpidr);
/* Why the CPU with @mpidr is not online, for a message: "it did not report in ...". */
const char *arch_cpu_offline_why(uint64_t mpidr);
uint64_t arch_cpu_mpidr_of(unsigned int index);
/* Mask interrupts and wait forever: the CPU takes no further part. */
void arch_cpu_park(void) __attribute__((noreturn));
/* CPU @index has parked for good (arch_cpu_park()): a lock it holds is held for ever. */
bool arch_cpu_parked(unsigned int index);
/* ... the CPU whose TPIDR_EL2 is @self (a spinlock's holder, include/spinlock.h). */
bool arch_cpu_local_parked(uintptr_t self);
/*
 * arch_cpu_park() after a hypervisor fault's report (panic()): if this CPU
 * runs a vCPU, its cell loses it first, stopped and failed for good
 * (cell_cpu_lost()), as after an unexpected exception at EL2. Not on the
 * boot CPU before the boot is done: the boot stops, and no cell runs.
 */
void arch_cpu_park_after_fault(void) __attribute__((noreturn));
/* Counter ticks and their frequency (CNTPCT_EL0, CNTFRQ_EL0 or the FDT's). */
uint64_t arch_counter_read(void);
uint64_t arch_counter_freq(void);

/*
 * @ms in counter ticks, rounded up: whole at any frequency (freq / 1000 * ms
 * made 32.768 ticks a ms 32 at 32 768 Hz, and none below 1 kHz). Exact for a
 * frequency in whole kHz. The product fits: CNTFRQ_EL0 is 32-bit, and so is
 * every @ms the hypervisor or a layout gives.
 */
static inline uint64_t arch_ms_to_ticks(uint64_t ms)
{
	return (arch_counter_freq() * ms + 999) / 1000;
}

/* @ticks in ms, rounded down: no overflow for any count, no division by 0 below 1 kHz. */
static inline uint64_t arch_ticks_to_ms(uint64_t ticks)
{
	uint64_t freq = arch_counter_freq();

	return ticks / freq * 1000 + ticks % freq * 1000 / freq;
}

/*
 * @ticks in us, rounded down, the same way: exact at any frequency (ticks /
 * (freq / 1000000) counted 62 ticks a us at QEMU's 62.5 MHz, 0.8 % fast, and
 * divided by 0 below 1 MHz). The remainder's product fits: CNTFRQ_EL0 is 32-bit.
 */
static inline uint64_t arch_ticks_to_us(uint64_t ticks)
{
	uint64_t freq = arch_counter_freq();

	return ticks / freq * 1000000 + ticks % freq * 1000000 / freq;
}
/* A PMU the architecture defines (PMUVer neither 0 nor 0xf): PMCR_EL0, PMUSERENR_EL0 & co. */
bool arch_cpu_has_pmu(void);
/* Once per CPU, the counter's frequency known: how it waits on a guest's behalf. */
void arch_cpu_wfi_setup(void);
/* SMCCC_ARCH_FEATURES(@fid) for a speculation workaround, as this CPU's guest is told. */
int64_t arch_spectre_guest_feature(uint32_t fid);
/*
 * The EL2 physical timer (CNTHP, PPI 26) of this CPU: fire once the physical
 * count reaches @count, or stop. Its users share it through include/hyp_timer.h.
 */
void arch_hyp_timer_arm_at(uint64_t count);
void arch_hyp_timer_stop(void);
#define ARCH_HYP_TIMER_INTID 26
/* Zero memory to the point of coherency, fast (DC ZVA where allowed): scrubbing a cell. */
void arch_memzero(void *va, uint64_t size);
/* Clean memory the hypervisor wrote to the point of coherency (images a guest boots from). */
void arch_dcache_clean_inval_range(const void *va, uint64_t size);
/*
 * Power the whole board off through the firmware (on-fault "halt-system").
 * Returns only if the firmware refused: its answer, for a message
 * ("NOT_SUPPORTED"). The caller stops the CPUs itself then (halt.c).
 */
const char *arch_system_off(void);
/*
 * Why a CPU came to EL2, counted by that CPU alone: the guest's traps by
 * kind, then the physical interrupts it took. The shell's "stats" prints them.
 */
enum cpu_event {
	CPU_EV_HVC,
	CPU_EV_SMC,
	CPU_EV_MMIO,   /* stage-2 data aborts: emulated devices (GICv2's GICD_SGIR too) */
	CPU_EV_SYSREG, /* trapped system registers other than SGI sends */
	CPU_EV_SGI,    /* ICC_SGI1R/ASGI1R/SGI0R_EL1 writes */
	CPU_EV_WFI,
	CPU_EV_OTHER, /* instruction aborts and unknown traps */
	CPU_EV_IRQ,   /* physical interrupts other than kicks */
	CPU_EV_KICK,  /* another CPU asked this one to look at its vCPU or cell */
	CPU_EV_NR,
};
/* Counted by arch_cpu_count() (arch/arm64/include/cpu_local.h: inline, it is on every trap). */
uint64_t arch_cpu_events(unsigned int index, enum cpu_event ev);
/*
 * The hypervisor is about to use FP/SIMD on this CPU (libfdt, fdt_glue.h),
 * whose guest state is dead: a stopped cell's. Leaves Streaming SVE mode,
 * where the cell may have left the CPU and most FP/SIMD instructions are
 * illegal (without FEAT_SME_FA64).
 */
void arch_fpsimd_claim(void);
/* True once this CPU runs with its EL2 MMU and caches on. */
bool arch_mmu_enabled(void);
/*
 * The CPU has the RAS extension (FEAT_RAS): an SError's syndrome may say
 * what became of its error (arch/arm64/exception.c). A function, not
 * sysreg.h's inline, so that host tests of exception.c choose the answer.
 */
bool arch_cpu_has_ras(void);

#endif
