// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench: one guest that measures the same things bare on QEMU (EL1, no
 * hypervisor: QEMU answers hvc itself) and in a Bulkhead cell, with the
 * virtual counter CNTVCT_EL0. tests/bench/run_bench.py (make bench) runs it
 * both ways and compares. It prints, one per metric, exactly:
 *
 *   BENCH <metric> <unit> min=<n> median=<n> max=<n> n=<samples>
 *   BENCH <metric> skipped reason=<word-without-spaces>
 *   BENCH_INFO <key>=<value> ...
 *   BENCH_DONE
 *
 * Units: "ns" is per operation, averaged over a batch of BATCH operations
 * per sample (one counter tick is 16 ns at QEMU's 62.5 MHz, too coarse for
 * one trap); "ticks" are raw counter ticks per sample. Under
 * -icount shift=0,sleep=off one instruction is one ns of virtual time, so
 * every number is an instruction count and repeats exactly run to run.
 *
 * A new benchmark is one bench_<name>() function and one call in main().
 * The interrupt metrics use the guest GIC driver (tests/guests/lib/gic.c):
 * bare it drives QEMU's GIC (no EL2: virtualization=off), in a cell the vGIC.
 * The SGI round trip needs a second vCPU (QEMU -smp 2, a 2-CPU cell); the
 * doorbell one needs a second cell, and is measured by its own run
 * (tests/bench/run_bench.py: shm_ping and shm_pong on layouts/shm.dts).
 */
#include "gic.h"
#include "guest.h"

#define BATCH		   64  /* operations per sample of a per-op metric */
#define OP_SAMPLES	   512 /* samples of a per-op metric */
#define WORKLOAD_SAMPLES   8   /* samples of a workload */
#define MAX_SAMPLES	   OP_SAMPLES
#define COPY_BYTES	   (8UL << 20)
#define MATRIX_N	   64
#define UNKNOWN_HVC	   0xc6ff0000UL /* Bulkhead's vendor range, no such call */
#define UARTFR		   0x18		/* the (virtual, in a cell) PL011's flag register */
#define DTB_SLOT	   (2UL << 20)	/* room kept free above the DTB */
#define BUF_ALIGN	   (1UL << 20)
#define IRQ_SAMPLES	   64  /* samples of an interrupt metric */
#define TIMER_DELAY	   256 /* ticks from arming the timer to its deadline */
#define SGI_BATCH	   16  /* round trips per SGI sample */
#define SGI_PING	   1   /* vCPU 0 -> vCPU 1 */
#define SGI_PONG	   2   /* vCPU 1 -> vCPU 0 */
#define CNT_CTL_ENABLE	   1u
#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

extern char _end[] __attribute__((visibility("hidden")));

static uint64_t samples[MAX_SAMPLES];
static uint64_t boot_ticks; /* CNTVCT at the top of main() */
static uint64_t cntfrq;

static uint32_t mat_a[MATRIX_N][MATRIX_N], mat_b[MATRIX_N][MATRIX_N], mat_c[MATRIX_N][MATRIX_N];
static volatile uint64_t ram_word;
static volatile uint64_t sink;

/* 16 MiB of RAM for the copy: past the image, clear of the DTB (set by main). */
static uintptr_t copy_src, copy_dst;

/*
 * The counter, read in program order: without the ISB the read may be
 * performed early or late relative to the code being timed (Arm ARM D11.2.2,
 * "reads of CNTVCT_EL0 can occur speculatively and out of order").
 */
static inline uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static uint64_t ticks_to_ns(uint64_t ticks)
{
	return ticks * 1000000000UL / cntfrq;
}

/* Shell sort: small, in place, no recursion. */
static void sort(uint64_t *v, unsigned int n)
{
	unsigned int gap, i, j;

	for (gap = n / 2; gap > 0; gap /= 2)
		for (i = gap; i < n; i++) {
			uint64_t x = v[i];

			for (j = i; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
}

static void bench_report(const char *metric, const char *unit, uint64_t *v, unsigned int n)
{
	sort(v, n);
	printf("BENCH %s %s min=%lu median=%lu max=%lu n=%u\n", metric, unit, v[0], v[n / 2],
	       v[n - 1], n);
}

static void bench_skipped(const char *metric, const char *reason)
{
	printf("BENCH %s skipped reason=%s\n", metric, reason);
}

/* A per-op sample: the time of BATCH operations, in ns per operation. */
static uint64_t per_op(uint64_t t0, uint64_t t1)
{
	return ticks_to_ns(t1 - t0) / BATCH;
}

/* An SMCCC call nobody implements: a full trap to EL2 (or QEMU's PSCI code, bare) and back. */
static void bench_hvc_roundtrip(void)
{
	unsigned int i, k;
	uint64_t ret = 0;

	for (i = 0; i < OP_SAMPLES; i++) {
		uint64_t t0 = counter();

		for (k = 0; k < BATCH; k++)
			ret |= hvc_call(UNKNOWN_HVC, 0, 0, 0);
		samples[i] = per_op(t0, counter());
	}
	if (ret != (uint64_t)-1) {
		bench_skipped("hvc_roundtrip", "unknown_hvc_did_not_return_-1");
		return;
	}
	bench_report("hvc_roundtrip", "ns", samples, OP_SAMPLES);
}

static void bench_read32(const char *metric, uintptr_t addr)
{
	volatile uint32_t *reg = (volatile uint32_t *)addr;
	unsigned int i, k;
	uint32_t acc = 0;

	for (i = 0; i < OP_SAMPLES; i++) {
		uint64_t t0 = counter();

		for (k = 0; k < BATCH; k++)
			acc += *reg;
		samples[i] = per_op(t0, counter());
	}
	sink = acc;
	bench_report(metric, "ns", samples, OP_SAMPLES);
}

/* UARTFR: in a cell a stage-2 fault emulated by the hypervisor; bare, QEMU's device model. */
static void bench_mmio_trap_read(void)
{
	bench_read32("mmio_trap_read", PLATFORM_UART_BASE + UARTFR);
}

/* The same load from RAM: the baseline the MMIO read is compared with. */
static void bench_ram_read(void)
{
	bench_read32("ram_read", (uintptr_t)&ram_word);
}

/* Copy 8 MiB a 64-bit word at a time (volatile: the compiler must not call memcpy). */
static void bench_workload_copy(void)
{
	volatile uint64_t *src = (volatile uint64_t *)copy_src;
	volatile uint64_t *dst = (volatile uint64_t *)copy_dst;
	unsigned int i;
	size_t w;

	for (w = 0; w < COPY_BYTES / 8; w++)
		src[w] = w * 0x9e3779b97f4a7c15UL;
	for (i = 0; i < WORKLOAD_SAMPLES; i++) {
		uint64_t t0 = counter();

		for (w = 0; w < COPY_BYTES / 8; w += 4) {
			dst[w] = src[w];
			dst[w + 1] = src[w + 1];
			dst[w + 2] = src[w + 2];
			dst[w + 3] = src[w + 3];
		}
		samples[i] = counter() - t0;
	}
	if (dst[COPY_BYTES / 8 - 1] != src[COPY_BYTES / 8 - 1]) {
		bench_skipped("workload_copy_8mib", "copy_mismatch");
		return;
	}
	bench_report("workload_copy_8mib", "ticks", samples, WORKLOAD_SAMPLES);
}

static void bench_workload_matmul(void)
{
	unsigned int i, r, c, k;
	uint32_t check = 0;

	for (r = 0; r < MATRIX_N; r++)
		for (c = 0; c < MATRIX_N; c++) {
			mat_a[r][c] = r * 3 + c;
			mat_b[r][c] = r ^ (c * 7);
		}
	for (i = 0; i < WORKLOAD_SAMPLES; i++) {
		uint64_t t0 = counter();

		for (r = 0; r < MATRIX_N; r++)
			for (c = 0; c < MATRIX_N; c++) {
				uint32_t sum = 0;

				for (k = 0; k < MATRIX_N; k++)
					sum += mat_a[r][k] * mat_b[k][c];
				mat_c[r][c] = sum;
			}
		samples[i] = counter() - t0;
		check += mat_c[i][i];
	}
	sink = check;
	bench_report("workload_matmul_64", "ticks", samples, WORKLOAD_SAMPLES);
}

/*
 * Virtual time from QEMU's reset to the top of main(): CNTVOFF is 0 bare and
 * in a cell (boot/head.S), so in a cell this includes the hypervisor's boot
 * and the cell's load. Under icount it is an instruction count.
 */
static void bench_boot_to_main(void)
{
	samples[0] = boot_ticks;
	bench_report("boot_to_main", "ticks", samples, 1);
}

/* --- interrupts ----------------------------------------------------------- */

static volatile uint64_t irq_entry;  /* CNTVCT at the top of the IRQ handler */
static volatile uint64_t timer_cval; /* the deadline the timer interrupt was for */
static volatile uint32_t timer_fired, pongs, pings, stray_irqs;
static volatile bool pong_ready;

/*
 * Every interrupt of this guest: the counter is read first, before the
 * acknowledge, so that "entry" is the handler's entry (exceptions.S saves the
 * registers and calls here: the same instructions bare and in a cell).
 */
bool guest_irq(struct exception_frame *frame)
{
	uint64_t now = counter();
	uint32_t iar, intid;

	(void)frame;
	for (;;) {
		iar = gic_ack();
		intid = gic_iar_intid(iar);
		if (intid >= 1020)
			break;
		if (intid == GIC_INTID_VTIMER) {
			irq_entry = now;
			timer_cval = read_sysreg(cntv_cval_el0);
			write_sysreg(0, cntv_ctl_el0); /* the line drops: one interrupt per arm */
			__asm__ volatile("isb" ::: "memory");
			timer_fired++;
		} else if (intid == SGI_PING && guest_cpu_id() == 1) {
			pings++;
			gic_send_sgi(SGI_PONG, 1u << 0);
		} else if (intid == SGI_PONG && guest_cpu_id() == 0) {
			pongs++;
		} else {
			stray_irqs++;
		}
		gic_eoi(iar);
	}
	return true;
}

/*
 * Sleep until @flag differs from @old. IRQs stay masked around the test so
 * that an interrupt cannot slip in between the test and the WFI (WFI wakes on
 * a pending interrupt even while PSTATE.I masks it; it is then taken in the
 * unmasked window).
 */
static bool wait_change(volatile uint32_t *flag, uint32_t old)
{
	uint64_t end = timer_now() + timer_freq(); /* 1 s */

	while (*flag == old) {
		if (timer_now() > end)
			return false;
		__asm__ volatile("wfi" ::: "memory");
		irq_unmask();
		__asm__ volatile("isb" ::: "memory");
		irq_mask();
	}
	return true;
}

/*
 * Virtual-timer interrupt latency: CNTV_CVAL = now + TIMER_DELAY, then the
 * counter at the handler's entry minus CVAL. busy: the vCPU spins with IRQs
 * unmasked (the interrupt preempts running code); idle: it waits in WFI (in a
 * cell the WFI traps and the CPU sleeps at EL2, so the wake-up path counts).
 * One tick is 16 ns: the resolution of both numbers.
 */
static void bench_timer_latency_one(const char *metric, bool idle)
{
	unsigned int i, got = 0;

	gic_irq_set_priority(GIC_INTID_VTIMER, 0x80);
	gic_irq_enable(GIC_INTID_VTIMER);
	for (i = 0; i < IRQ_SAMPLES; i++) {
		uint32_t before = timer_fired;

		irq_mask();
		write_sysreg(counter() + TIMER_DELAY, cntv_cval_el0);
		write_sysreg(CNT_CTL_ENABLE, cntv_ctl_el0);
		if (idle) {
			if (!wait_change(&timer_fired, before))
				break;
		} else {
			uint64_t end = timer_now() + timer_freq();

			irq_unmask();
			while (timer_fired == before && timer_now() < end)
				;
			irq_mask();
			if (timer_fired == before)
				break;
		}
		samples[got++] = ticks_to_ns(irq_entry - timer_cval);
	}
	write_sysreg(0, cntv_ctl_el0);
	gic_irq_disable(GIC_INTID_VTIMER);
	if (got < IRQ_SAMPLES) {
		bench_skipped(metric, "timer_interrupt_not_taken");
		return;
	}
	bench_report(metric, "ns", samples, IRQ_SAMPLES);
}

static void bench_timer_latency(void)
{
	bench_timer_latency_one("timer_latency", false);
	bench_timer_latency_one("timer_latency_idle", true);
}

/* vCPU 1: answers every SGI_PING with an SGI_PONG to vCPU 0, forever. */
void secondary_main(unsigned int cpu)
{
	(void)cpu;
	gic_cpu_init();
	gic_irq_set_priority(SGI_PING, 0x80);
	gic_irq_enable(SGI_PING);
	dmb();
	pong_ready = true;
	irq_unmask();
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
}

/*
 * SGI round trip: vCPU 0 sends SGI_PING to vCPU 1, whose handler sends
 * SGI_PONG back; vCPU 0 waits in WFI (IRQs masked around the test). Bare:
 * hardware SGIs through QEMU's GIC. In a cell (GICv3): two trapped
 * ICC_SGI1R_EL1 writes, two kicks and two list-register injections.
 */
static void bench_sgi_roundtrip(void)
{
	uint64_t end;
	unsigned int i, k;

	if (psci_cpu_on(1, 1) != PSCI_SUCCESS) {
		bench_skipped("sgi_roundtrip", "no_second_cpu");
		return;
	}
	end = timer_now() + timer_freq();
	while (!pong_ready && timer_now() < end)
		;
	gic_irq_set_priority(SGI_PONG, 0x80);
	gic_irq_enable(SGI_PONG);
	for (i = 0; i < IRQ_SAMPLES; i++) {
		uint64_t t0 = counter();

		for (k = 0; k < SGI_BATCH; k++) {
			uint32_t before = pongs;

			irq_mask();
			gic_send_sgi(SGI_PING, 1u << 1);
			if (!wait_change(&pongs, before)) {
				bench_skipped("sgi_roundtrip", "no_answer");
				return;
			}
		}
		samples[i] = ticks_to_ns(counter() - t0) / SGI_BATCH;
	}
	bench_report("sgi_roundtrip", "ns", samples, IRQ_SAMPLES);
}

/*
 * A distributor register read (GICD_TYPER) and write (GICD_IPRIORITYR's
 * word for the console's SPI, INTID 33, written back unchanged): in a cell
 * trapped and emulated by the vGIC, the distributor on and vCPU 1 in its
 * WFI loop; bare, QEMU's GIC. Each access then costs what its emulation,
 * and what it makes the next entry do, cost.
 */
static void bench_gicd_read(void)
{
	bench_read32("gicd_read", GICD_BASE + GICD_TYPER);
}

static void bench_gicd_write(void)
{
	volatile uint32_t *reg = (volatile uint32_t *)(GICD_BASE + GICD_IPRIORITYR + 32);
	uint32_t value = *reg;
	unsigned int i, k;

	for (i = 0; i < OP_SAMPLES; i++) {
		uint64_t t0 = counter();

		for (k = 0; k < BATCH; k++)
			*reg = value;
		samples[i] = per_op(t0, counter());
	}
	bench_report("gicd_write", "ns", samples, OP_SAMPLES);
}

/*
 * ICC_PMR_EL1 written with the value it holds (0xff, gic_cpu_init()): what an
 * RTOS pays per critical section entry or exit. Bare and in an emulated cell
 * no trap (the virtual ICV_PMR_EL1); in a direct cell trapped and emulated
 * (ICH_HCR_EL2.TC, gic/vgic_direct_cpuif.c).
 */
static void bench_pmr_write(void)
{
	uint64_t value = read_sysreg(icc_pmr_el1);
	unsigned int i, k;

	for (i = 0; i < OP_SAMPLES; i++) {
		uint64_t t0 = counter();

		for (k = 0; k < BATCH; k++)
			__asm__ volatile("msr icc_pmr_el1, %0" : : "r"(value) : "memory");
		samples[i] = per_op(t0, counter());
	}
	bench_report("pmr_write", "ns", samples, OP_SAMPLES);
}

/* Doorbell: no second cell here; run_bench.py measures it with shm_ping/shm_pong. */
static void bench_doorbell(void)
{
	bench_skipped("doorbell_roundtrip", "needs_doorbells");
}

/* The copy buffers: 1 MiB-aligned past the image, or past the DTB's slot if that is in the way. */
static void place_buffers(void *dtb)
{
	uintptr_t base = ((uintptr_t)_end + BUF_ALIGN - 1) & ~(BUF_ALIGN - 1);
	uintptr_t fdt = (uintptr_t)dtb;

	if (fdt + DTB_SLOT > base && fdt < base + 2 * COPY_BYTES)
		base = (fdt + DTB_SLOT + BUF_ALIGN - 1) & ~(BUF_ALIGN - 1);
	copy_src = base;
	copy_dst = base + COPY_BYTES;
}

int main(void *dtb)
{
	/* In a cell Bulkhead answers its version call with 0; QEMU's PSCI code answers -1. */
	bool in_cell;

	boot_ticks = counter();
	cntfrq = timer_freq();
	in_cell = hvc_call(BULKHEAD_HC_VERSION, 0, 0, 0) == 0;
	place_buffers(dtb);
	printf("BENCH_INFO env=%s cntfrq_hz=%lu batch=%u image_end=0x%lx dtb=%p buffers=0x%lx\n",
	       in_cell ? "cell" : "bare", cntfrq, BATCH, (unsigned long)(uintptr_t)_end, dtb,
	       (unsigned long)copy_src);

	bench_boot_to_main();
	bench_hvc_roundtrip();
	bench_mmio_trap_read();
	bench_ram_read();
	bench_workload_copy();
	bench_workload_matmul();
	gic_init();
	gic_cpu_init();
	bench_timer_latency();
	bench_sgi_roundtrip();
	bench_gicd_read();
	bench_gicd_write();
	bench_pmr_write();
	bench_doorbell();
	if (stray_irqs)
		printf("BENCH_INFO stray_interrupts=%u\n", stray_irqs);
	printf("BENCH_DONE\n");
	return 0;
}
