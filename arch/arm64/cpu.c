// SPDX-License-Identifier: GPL-2.0-only
#include <stdbool.h>
#include "arch/cpu.h"
#include "cpu_local.h"
#include "platform.h"
#include "sysreg.h"

_Static_assert(MAX_CPUS == PLATFORM_MAX_CPUS, "asm_defs.h MAX_CPUS != PLATFORM_MAX_CPUS");
_Static_assert(sizeof(struct cpu_local) <= CPU_LOCAL_SIZE, "struct cpu_local too large");

union cpu_local_slot cpu_locals[MAX_CPUS] __attribute__((aligned(64)));

static uint64_t counter_freq;

unsigned int arch_cpu_index(void)
{
	return this_cpu()->index;
}

uint64_t arch_cpu_events(unsigned int index, enum cpu_event ev)
{
	if (index >= MAX_CPUS || ev >= CPU_EV_NR)
		return 0;
	return __atomic_load_n(&cpu_local_of(index)->events[ev], __ATOMIC_RELAXED);
}

uint64_t arch_cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFFINITY_MASK;
}

void arch_cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

/*
 * gic/: take pending IRQs and FIQs (the hypervisor's interrupts on a direct
 * cell's CPU) now. The ISB makes the unmasking take effect inside the window.
 */
void arch_irq_window(void)
{
	__asm__ volatile("msr daifclr, #3\n\tisb\n\tmsr daifset, #3" : : : "memory");
}

#define ISR_EL1_F (1UL << 6)
#define ISR_EL1_I (1UL << 7)

bool arch_cpu_irq_pending(void)
{
	return (read_sysreg(isr_el1) & (ISR_EL1_I | ISR_EL1_F)) != 0;
}

/*
 * Wait for an interrupt and take it: a CPU with nothing to run sleeps in WFI
 * (halted; QEMU runs WFE as a spin that -icount would count as time) and is
 * woken by an SGI. WFI with interrupts masked still wakes on a pending one,
 * so a kick sent after the caller's last check is never lost; the window then
 * takes it (IRQ, or FIQ on a direct cell's CPU). Masked again on return.
 */
void arch_cpu_wait_irq(void)
{
	__asm__ volatile("wfi\n\tmsr daifclr, #3\n\tisb\n\tmsr daifset, #3" : : : "memory");
}

void arch_cpu_park(void)
{
	__atomic_store_n(&this_cpu()->state, CPU_PARKED, __ATOMIC_RELEASE);
	__asm__ volatile("msr daifset, #0xf" : : : "memory");
	for (;;)
		wfi();
}

void arch_counter_set_freq(uint64_t hz)
{
	counter_freq = hz;
}

uint64_t arch_counter_read(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
	return counter_freq ? counter_freq : read_sysreg(cntfrq_el0);
}

bool arch_mmu_enabled(void)
{
	return (read_sysreg(sctlr_el2) & SCTLR_EL2_M) != 0;
}

bool arch_cpu_has_ras(void)
{
	return cpu_has_ras();
}

#define DCZID_EL0_DZP	  (1UL << 4)
#define DCZID_EL0_BS_MASK 0xfUL

/* Smallest data cache line: CTR_EL0.DminLine, log2 of words. */
static uint64_t dcache_line(void)
{
	return 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

/*
 * Clean [va, va + size) to the point of coherency: a guest entered with its
 * MMU and caches off reads memory, not the hypervisor's cache (Linux arm64
 * boot protocol: the image and DTB must be cleaned to PoC). And invalidate:
 * no line of the hypervisor's stays in the cache, where a guest that writes
 * with its caches off, then turns them on, would read it over its own write
 * (KVM and Xen clean and invalidate too).
 */
void arch_dcache_clean_inval_range(const void *va, uint64_t size)
{
	uint64_t line = dcache_line();
	uint64_t start = (uintptr_t)va;
	uint64_t p = start & ~(line - 1);

	for (; p < start + size; p += line)
		__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb(ish);
}

/* DC ZVA a block, then clean and invalidate its lines: the zeros reach memory in the same pass. */
static void zero_block_to_poc(uint8_t *p, uint64_t block, uint64_t line)
{
	uint64_t off;

	__asm__ volatile("dc zva, %0" : : "r"(p) : "memory");
	for (off = 0; off < block; off += line)
		__asm__ volatile("dc civac, %0" : : "r"(p + off) : "memory");
}

/* Bytes one at a time where a block does not fit, then cleaned like the blocks. */
static uint8_t *zero_bytes_to_poc(uint8_t *p, uint8_t *end)
{
	uint8_t *start = p;

	for (; p < end; p++)
		*p = 0;
	arch_dcache_clean_inval_range(start, (uint64_t)(end - start));
	return p;
}

/* Blocks per iteration of the scrub loop: its compare and branch cost as much as the work. */
#define MEMZERO_UNROLL 16

/*
 * DC ZVA then DC CIVAC on each block from @p while MEMZERO_UNROLL of them fit
 * before @end; a block is one cache line, so one clean covers it. Returns
 * where it stopped.
 */
static uint8_t *zero_lines_unrolled(uint8_t *p, const uint8_t *end, uint64_t block)
{
	while ((uint64_t)(end - p) >= MEMZERO_UNROLL * block)
		__asm__ volatile(".rept %c2\n\t"
				 "dc zva, %0\n\t"
				 "dc civac, %0\n\t"
				 "add %0, %0, %1\n\t"
				 ".endr"
				 : "+r"(p)
				 : "r"(block), "i"(MEMZERO_UNROLL)
				 : "memory");
	return p;
}

/*
 * Zero [va, va + size) to the point of coherency (a cell's scrub): DC ZVA
 * where the architecture allows it, each block cleaned and invalidated as it
 * is zeroed (arch_dcache_clean_inval_range()).
 */
void arch_memzero(void *va, uint64_t size)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	uint64_t block = 4UL << (dczid & DCZID_EL0_BS_MASK);
	uint64_t line = dcache_line();
	uint8_t *p = va;
	uint8_t *end = p + size;
	uint8_t *head_end;

	if (dczid & DCZID_EL0_DZP) {
		zero_bytes_to_poc(p, end);
		return;
	}
	head_end = (uint8_t *)(((uintptr_t)p + block - 1) & ~(uintptr_t)(block - 1));
	p = zero_bytes_to_poc(p, head_end < end ? head_end : end);
	if (block == line) {
		/* The common case (Cortex-A53/A57/A72: 64 bytes): one clean per zeroed block. */
		p = zero_lines_unrolled(p, end, block);
		for (; p + block <= end; p += block)
			__asm__ volatile("dc zva, %0\n\tdc civac, %0" : : "r"(p) : "memory");
	} else {
		for (; p + block <= end; p += block)
			zero_block_to_poc(p, block, line);
	}
	zero_bytes_to_poc(p, end);
	dsb(ish);
}

#define CNTHP_CTL_EL2_ENABLE (1UL << 0)

/*
 * The deadline goes into CNTHP_CVAL_EL2, 64 bits, compared with the physical
 * count. CNTHP_TVAL_EL2 is a signed 32-bit view of it: a period of 2^31 ticks
 * or more (the fiftieth of a 2-minute watchdog at 1 GHz, which Armv8.6
 * mandates, or of a 30-minute one at QEMU's 62.5 MHz) written there was a
 * deadline in the past: the timer fired at once, for ever; 2^32 or more was
 * cut short.
 */
void arch_hyp_timer_arm_at(uint64_t count)
{
	write_sysreg(count, cnthp_cval_el2);
	write_sysreg(CNTHP_CTL_EL2_ENABLE, cnthp_ctl_el2);
	isb();
}

void arch_hyp_timer_stop(void)
{
	write_sysreg(0, cnthp_ctl_el2);
	isb();
}
