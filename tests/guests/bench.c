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
 * A new benchmark is one bench_<name>() function and one call in main();
 * the hooks for the virtual GIC (timer latency, SGI round trip, doorbell)
 * are there, printing "skipped" until it exists.
 */
#include "guest.h"

#define BATCH		 64  /* operations per sample of a per-op metric */
#define OP_SAMPLES	 512 /* samples of a per-op metric */
#define WORKLOAD_SAMPLES 8   /* samples of a workload */
#define MAX_SAMPLES	 OP_SAMPLES
#define COPY_BYTES	 (8UL << 20)
#define MATRIX_N	 64
#define UNKNOWN_HVC	 0xc6ff0000UL /* Bulkhead's vendor range, no such call */
#define VUART_UARTFR	 0x09000018UL /* the (virtual, in a cell) PL011's flag register */
#define DTB_SLOT	 (2UL << 20)  /* room kept free above the DTB */
#define BUF_ALIGN	 (1UL << 20)

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
	bench_read32("mmio_trap_read", VUART_UARTFR);
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

/* --- hooks for the virtual GIC (issue 7): one function each when it lands --- */

/* Timer latency: arm CNTV_TVAL for now+T, take the PPI 27, time (entry - deadline). */
static void bench_timer_latency(void)
{
	bench_skipped("timer_latency", "needs_virtual_gic");
}

/* SGI round trip: vCPU 0 sends an SGI to vCPU 1, which answers with one back. */
static void bench_sgi_roundtrip(void)
{
	bench_skipped("sgi_roundtrip", "needs_virtual_gic");
}

/* Doorbell: ring another cell's doorbell in shared memory, time until its reply. */
static void bench_doorbell(void)
{
	bench_skipped("doorbell_roundtrip", "needs_virtual_gic_and_shared_memory");
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
	bench_timer_latency();
	bench_sgi_roundtrip();
	bench_doorbell();
	printf("BENCH_DONE\n");
	return 0;
}
