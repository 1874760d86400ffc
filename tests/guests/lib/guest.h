/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_GUEST_H
#define BULKHEAD_GUEST_H

/*
 * Runtime for bare-metal EL1 test guests: Linux arm64 Image entry, one stack
 * per vCPU, PL011 console, printf, PSCI over hvc, exception vectors with an
 * "expect an abort" probe. The same binary runs bare on QEMU virt and in a
 * Bulkhead cell. MMU and caches stay off: every data access is Device-nGnRnE,
 * hence -mstrict-align and no exclusives (the console lock is a bakery lock).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every symbol is local to the image: no GOT, no address to relocate. */
#pragma GCC visibility push(hidden)

#define GUEST_MAX_CPUS 8

#define read_sysreg(r)                                       \
	({                                                   \
		uint64_t __v;                                \
		__asm__ volatile("mrs %0, " #r : "=r"(__v)); \
		__v;                                         \
	})

/* The vCPU index start.S stored in TPIDR_EL1 (0..GUEST_MAX_CPUS-1). */
static inline unsigned int guest_cpu_id(void)
{
	return (unsigned int)read_sysreg(tpidr_el1);
}

static inline void dmb(void)
{
	__asm__ volatile("dmb sy" ::: "memory");
}

/* Provided by the test: main on the boot vCPU, secondary_main on vCPUs it starts. */
int main(void *dtb);
void secondary_main(unsigned int cpu);

/* start.S: the entry to give PSCI CPU_ON, with the vCPU index as context id. */
void secondary_entry(void);

/* Console (PL011 at PLATFORM_UART_BASE, polled). One printf call is never interleaved. */
void uart_putc(char c);
void console_lock(void);
void console_unlock(void);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Minimal string functions (the compiler may call memset/memcpy by itself). */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
size_t strlen(const char *s);

/* Generic timer (virtual counter), for timeouts. */
static inline uint64_t timer_now(void)
{
	return read_sysreg(cntvct_el0);
}

static inline uint64_t timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

/* Busy-waits: for guests that must stay on the CPU, or that own the virtual timer. */
void udelay(uint64_t us);
/*
 * Waits idle, woken by the EL1 virtual timer, with IRQs masked (lib/sleep.c).
 * sleep_init() once on the boot vCPU, sleep_cpu_init() on each other vCPU
 * that sleeps; not for guests that take interrupts or use that timer.
 */
void sleep_init(void);
void sleep_cpu_init(void);
void sleep_us(uint64_t us);
/*
 * The liveness line the scenarios count: "heartbeat N" from N = @first, one
 * every @us waited with @wait (udelay, or sleep_us after sleep_init), for good.
 */
void heartbeat_forever(unsigned int first, uint64_t us, void (*wait)(uint64_t us))
	__attribute__((noreturn));

/* SMCCC: raw calls, x0 = function id, returns x0. */
uint64_t hvc_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t smc_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* hvc with all four result registers (smccc.c). */
struct smccc_res {
	uint64_t a0, a1, a2, a3;
};

struct smccc_res hvc_call_res(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* Bulkhead's hypercalls (include/hypercall.h): SMCCC fast, 64-bit, vendor hypervisor range. */
#define BULKHEAD_HC_VERSION   0xc6000000u
#define BULKHEAD_HC_CELL_INFO 0xc6000001u /* x1 = cell id, x2 = vCPUs, x3 = boot count */

/* PSCI over hvc; return codes as PSCI defines them (0 success, negative errors). */
#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	-1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_DENIED		-3
#define PSCI_ALREADY_ON		-4
#define PSCI_ON_PENDING		-5
#define PSCI_INTERNAL_FAILURE	-6
#define PSCI_NOT_PRESENT	-7
#define PSCI_DISABLED		-8
#define PSCI_INVALID_ADDRESS	-9

uint32_t psci_version(void);
int psci_features(uint32_t fid);
int psci_cpu_on(uint64_t mpidr, unsigned int cpu); /* enters secondary_main(cpu) */
/* The same, called with SCTLR_EL1.EE set (start.S); returns x0 as the hvc left it. */
uint64_t psci_cpu_on_big_endian(uint64_t mpidr, void (*entry)(void), uint64_t context);
/* SCTLR_EL1 as each secondary vCPU was entered (start.S), before it made it little-endian. */
extern uint64_t guest_entry_sctlr[];
#define GUEST_SCTLR_EE (1UL << 25)
int psci_cpu_off(void);
int psci_affinity_info(uint64_t mpidr); /* 0 on, 1 off, 2 on pending, or error */
void psci_system_off(void) __attribute__((noreturn));
void psci_system_reset(void) __attribute__((noreturn));

/*
 * Probes: perform one access that may abort. 0 if it completed, -1 if it
 * took a synchronous data abort (recorded, instruction skipped).
 */
int probe_read(uint64_t addr, uint64_t *val);
int probe_read32(uint64_t addr, uint32_t *val);
int probe_write(uint64_t addr, uint64_t val);
int probe_write32(uint64_t addr, uint32_t val);

struct abort_record {
	uint64_t esr;
	uint64_t far;
	uint64_t elr;
};

/* Arm the one-shot hook by hand (probe_* do this); true if an abort was taken. */
void expect_abort(void);
bool abort_taken(struct abort_record *rec);

/*
 * Arm the one-shot hook for an UNDEFINED instruction (EC 0x00): the next one
 * is skipped instead of reported; undef_taken() says whether it came.
 */
void expect_undef(void);
bool undef_taken(void);

/* Register state the vectors save (exceptions.S lays it out). */
struct exception_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

/* Weak hook for IRQ tests: return true if handled. The default returns false. */
bool guest_irq(struct exception_frame *frame);
/*
 * Weak hook for synchronous exceptions the armed probes did not take
 * (@vector 0-15 as in VBAR_EL1, @esr = ESR_EL1): return true if handled, with
 * frame->elr and frame->spsr as the eret should find them. The default
 * returns false: the exception is reported as unexpected.
 */
bool guest_sync(struct exception_frame *frame, unsigned int vector, uint64_t esr);

void guest_park(void) __attribute__((noreturn));

#pragma GCC visibility pop

#endif
