// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include "arch/cpu.h"
#include "arch/el2_map.h"
#include "asm_defs.h"
#include "cpu_stack.h"
#include "log.h"
#include "memstat.h"
#include "mmu.h"
#include "owned_lock.h"
#include "pgtable.h"
#include "sysreg.h"
#include "test_fault.h"

#define EL2_VA_BITS   48
#define EL2_PT_TABLES 96
/* The identity map every CPU shares below, each CPU's own window above (asm_defs.h). */
#define EL2_WINDOW_BASE (1ULL << EL2_WINDOW_SHIFT)

struct mmu_boot_config {
	uint64_t mair;
	uint64_t tcr;
	uint64_t ttbr;
	uint64_t sctlr;
	uint64_t cpu_ttbr[MAX_CPUS]; /* a secondary's own root (mmu_enable_secondary) */
};

_Static_assert(offsetof(struct mmu_boot_config, cpu_ttbr) == MMU_BOOT_CONFIG_CPU_TTBR,
	       "asm_defs.h MMU_BOOT_CONFIG_CPU_TTBR");
_Static_assert(EL2_MAP_PAGE_SIZE == PT_PAGE_SIZE, "arch/el2_map.h EL2_MAP_PAGE_SIZE");

/* Read by mmu_enable.S, with the MMU off on secondaries. */
struct mmu_boot_config mmu_boot_config __attribute__((aligned(64)));

static pte_t el2_tables[EL2_PT_TABLES][PT_ENTRIES] __attribute__((aligned(4096)));
static struct pt_pool el2_pool = { .tables = el2_tables, .nr = EL2_PT_TABLES };
static struct pt el2_pt;
/* Each CPU's root: el2_pt's entries below EL2_WINDOW_BASE, its window above. */
static struct pt cpu_pt[MAX_CPUS];
/*
 * Every change of el2_pt and the CPUs' roots, and el2_pool's tables. A CPU
 * that faults inside one parks holding it, the tables perhaps half-written:
 * nobody waits for it then (map_lock()).
 */
static struct owned_lock el2_map_lock = OWNED_LOCK_INIT;
static bool el2_map_lock_lost_told;

extern char _head[], _etext[], _erodata[], _end[];
void mmu_enable_this_cpu(void);
void arch_stage2_pool_usage(unsigned int *used, unsigned int *total);

uint64_t mmu_image_start(void)
{
	return (uint64_t)(uintptr_t)_head;
}

uint64_t mmu_image_end(void)
{
	return (uint64_t)(uintptr_t)_end;
}

/*
 * Data and BSS but the private stacks, which only their own CPU's root maps,
 * and the guard page below the boot stack, which no map holds.
 */
static int map_image(void)
{
	uint64_t text = (uintptr_t)_head, rodata = (uintptr_t)_etext;
	uint64_t data = (uintptr_t)_erodata, end = (uintptr_t)_end;
	uint64_t guard = cpu_stacks_guard(), guard_end = guard + STACK_GUARD_SIZE;
	uint64_t hole = cpu_stacks_private_start(), hole_end = cpu_stacks_private_end();
	int ret;

	ret = pt_map(&el2_pt, text, text, rodata - text, PT_MEM_NORMAL, PT_PERM_R | PT_PERM_X);
	if (!ret)
		ret = pt_map(&el2_pt, rodata, rodata, data - rodata, PT_MEM_NORMAL, PT_PERM_R);
	if (!ret)
		ret = pt_map(&el2_pt, data, data, guard - data, PT_MEM_NORMAL,
			     PT_PERM_R | PT_PERM_W);
	if (!ret)
		ret = pt_map(&el2_pt, guard_end, guard_end, hole - guard_end, PT_MEM_NORMAL,
			     PT_PERM_R | PT_PERM_W);
	if (!ret && end > hole_end)
		ret = pt_map(&el2_pt, hole_end, hole_end, end - hole_end, PT_MEM_NORMAL,
			     PT_PERM_R | PT_PERM_W);
	return ret;
}

static uint64_t page_down(uint64_t a)
{
	return a & ~(PT_PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t a)
{
	return (a + PT_PAGE_SIZE - 1) & ~(PT_PAGE_SIZE - 1);
}

static unsigned int pa_range_ps(void)
{
	unsigned int parange = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

	/* 52-bit output needs LPA/LPA2, which a 4 KiB granule without FEAT_LPA2 lacks. */
	return parange > 5 ? 5 : parange;
}

int mmu_init_boot(const void *fdt, size_t fdt_size)
{
	uint64_t f = (uintptr_t)fdt;
	int ret;

	ret = pt_init(&el2_pt, PT_STAGE1_EL2, EL2_VA_BITS, &el2_pool);
	if (!ret)
		ret = map_image();
	if (!ret)
		ret = pt_map(&el2_pt, page_down(f), page_down(f),
			     page_up(f + fdt_size) - page_down(f), PT_MEM_NORMAL, PT_PERM_R);
	if (ret)
		return ret;

	mmu_boot_config.mair = MAIR_EL2_VALUE;
	mmu_boot_config.tcr = TCR_EL2_RES1 | TCR_EL2_T0SZ(EL2_VA_BITS) | TCR_EL2_IRGN0_WBWA |
			      TCR_EL2_ORGN0_WBWA | TCR_EL2_SH0_INNER | TCR_EL2_TG0_4K |
			      ((uint64_t)pa_range_ps() << TCR_EL2_PS_SHIFT);
	mmu_boot_config.ttbr = (uintptr_t)el2_pt.root;
	mmu_boot_config.sctlr = SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_SA |
				SCTLR_EL2_I | SCTLR_EL2_WXN;
	/* No stale line shadows the tables: boot/head.S invalidated what it writes MMU off. */
	mmu_enable_this_cpu();
	return 0;
}

void mmu_publish_for_secondaries(void)
{
	/* Secondaries read the config and walk the tables before their caches are on. */
	arch_dcache_clean_inval_range(&mmu_boot_config, sizeof(mmu_boot_config));
	arch_dcache_clean_inval_range(el2_tables, sizeof(el2_tables));
}

/* A root entry el2_pt gained since: every CPU's own root takes it too. */
static void share_with_cpu_roots(void)
{
	unsigned int i;

	for (i = 0; i < MAX_CPUS; i++)
		if (cpu_pt[i].root)
			pt_share_root(&cpu_pt[i], &el2_pt, EL2_WINDOW_BASE);
}

/* Does [base, base + size) end at or below EL2_WINDOW_BASE (no wrap)? */
static bool below_windows(uint64_t base, uint64_t size)
{
	return base + size >= base && base + size <= EL2_WINDOW_BASE;
}

static int identity_range_ok(uint64_t base, uint64_t size)
{
	if (!below_windows(base, size))
		return log_err_ret(
			-ERANGE,
			"mmu: 0x%lx+0x%lx: the hypervisor maps only below 0x%lx (above are "
			"the CPUs' windows)",
			(unsigned long)base, (unsigned long)size, (unsigned long)EL2_WINDOW_BASE);
	return 0;
}

/*
 * el2_map_lock taken, or false if the CPU holding it was lost inside a
 * change of the map (this one, or one parked since): the tables stay as it
 * left them, perhaps half-written, and no change is made from now on. Said
 * once, with the first change refused, [pa, pa + size) @undone: a guest's
 * set/way operations ask again at every trap (sysreg_trap.c). Each refusal
 * is -EBUSY to its caller, which says what it did without.
 */
static bool map_lock(uint64_t pa, uint64_t size, const char *undone)
{
	if (owned_lock_take(&el2_map_lock))
		return true;
	if (!__atomic_exchange_n(&el2_map_lock_lost_told, true, __ATOMIC_RELAXED))
		log_err("mmu: the EL2 map's lock is held by CPU %d, lost inside a change of the "
			"map: no change is made from now on; the first refused, on CPU %u: "
			"0x%lx+0x%lx %s",
			owned_lock_holder(&el2_map_lock), arch_cpu_index(), (unsigned long)pa,
			(unsigned long)size, undone);
	return false;
}

int mmu_map_ram(uint64_t base, uint64_t size)
{
	uint64_t img_start = mmu_image_start(), img_end = mmu_image_end();
	uint64_t end = base + size;
	int ret = identity_range_ok(base, size);

	if (ret)
		return ret;
	if (!map_lock(base, size, "not mapped"))
		return -EBUSY;

	/* Never remap the live image: splitting a block under running code would fault. */
	if (base < img_start)
		ret = pt_map(&el2_pt, base, base, (end < img_start ? end : img_start) - base,
			     PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W);
	if (!ret && end > img_end) {
		uint64_t from = base > img_end ? base : img_end;

		ret = pt_map(&el2_pt, from, from, end - from, PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W);
	}
	share_with_cpu_roots();
	owned_lock_release(&el2_map_lock);
	return ret;
}

/* @wait: for el2_map_lock as every change does, else -EBUSY at once if it is held. */
static int map_device(uint64_t base, uint64_t size, bool wait)
{
	uint64_t start = page_down(base);
	int ret = identity_range_ok(base, size);

	if (ret)
		return ret;
	if (wait ? !map_lock(base, size, "not mapped as a device")
		 : !owned_lock_take_now(&el2_map_lock))
		return -EBUSY;
	ret = pt_map(&el2_pt, start, start, page_up(base + size) - start, PT_MEM_DEVICE,
		     PT_PERM_R | PT_PERM_W);
	share_with_cpu_roots();
	owned_lock_release(&el2_map_lock);
	return ret;
}

int mmu_map_device(uint64_t base, uint64_t size)
{
	return map_device(base, size, true);
}

int mmu_map_device_nowait(uint64_t base, uint64_t size)
{
	return map_device(base, size, false);
}

int mmu_unmap(uint64_t base, uint64_t size)
{
	int ret;

	if (!map_lock(base, size, "not unmapped"))
		return -EBUSY;
	ret = pt_unmap(&el2_pt, page_down(base), page_up(base + size) - page_down(base));
	owned_lock_release(&el2_map_lock);
	return ret;
}

const char *arch_el2_map_error(int err)
{
	if (err == -ENOMEM)
		return "the EL2 table pool is too small";
	if (err == -ERANGE)
		return "the hypervisor maps only below 2^47";
	if (err == -EBUSY)
		return "the EL2 map's lock is held by a CPU lost inside a change of the map";
	return "it overlaps the hypervisor's image";
}

int arch_el2_unmap_ram(uint64_t pa, uint64_t size)
{
	uint64_t start = page_down(pa), end = page_up(pa + size);

	/* Checked by the layout (hypervisor-memory); a hole here would fault under running code. */
	if (start < mmu_image_end() && end > mmu_image_start())
		return -EINVAL;
	if (identity_range_ok(pa, size))
		return -ERANGE;
	return mmu_unmap(pa, size);
}

/* @cpu's own root, made on first use (under el2_map_lock). */
/*
 * A CPU's own root: the shared map below EL2_WINDOW_BASE, its window above.
 * The window maps no 1 GiB block: a reload opens a cell's memory 2 MiB at a
 * time (cell_load.c), and a level-2 table under a 1 GiB block the boot's
 * preparation left would come from the pool at a restart, one per GiB and
 * CPU, not counted at boot (until 2026-11-25: a large layout could run the
 * pool dry at run time). So the preparation (arch_ram_window_prepare())
 * builds them all at boot.
 */
static struct pt *cpu_window(unsigned int cpu)
{
	struct pt *pt = &cpu_pt[cpu];

	if (!pt->root && !pt_init(pt, PT_STAGE1_EL2, EL2_VA_BITS, &el2_pool)) {
		pt_share_root(pt, &el2_pt, EL2_WINDOW_BASE);
		pt->first_block_level = 2;
	}
	return pt->root ? pt : NULL;
}

static int window_map(unsigned int cpu, uint64_t pa, uint64_t size, bool writable)
{
	uint64_t start = page_down(pa), len = page_up(pa + size) - start;
	struct pt *pt;
	int ret = -ENOMEM;

	if (cpu >= MAX_CPUS || !below_windows(pa, size))
		return -ERANGE;
	if (!map_lock(pa, size, "not opened in a window"))
		return -EBUSY;
#ifdef BULKHEAD_TEST_FAULT
	test_fault_at(TEST_FAULT_MAP_LOCK_RELOAD_CPU1, 1, "a change of the EL2 map");
#endif
	pt = cpu_window(cpu);
	if (pt) {
		pt->local_tlb = cpu == arch_cpu_index();
		ret = pt_map(pt, EL2_WINDOW_BASE + start, start, len, PT_MEM_NORMAL,
			     PT_PERM_R | (writable ? PT_PERM_W : 0));
	}
	owned_lock_release(&el2_map_lock);
	return ret;
}

/*
 * Closed, unless a CPU lost inside a change of the map holds its lock: then
 * the window stays open, each time said. A CPU's window only ever holds its
 * own cell's memory (a reload or a set/way operation runs on one of the
 * cell's CPUs) but at boot, so no other cell's data is in its map.
 */
static void window_unmap(unsigned int cpu, uint64_t pa, uint64_t size)
{
	uint64_t start = page_down(pa), len = page_up(pa + size) - start;

	if (!owned_lock_take(&el2_map_lock)) {
		log_err("mmu: the EL2 map's lock is held by CPU %d, lost inside a change of the "
			"map: 0x%lx+0x%lx stays open in CPU %u's window",
			owned_lock_holder(&el2_map_lock), (unsigned long)pa, (unsigned long)size,
			cpu);
		return;
	}
	if (cpu_pt[cpu].root) {
		cpu_pt[cpu].local_tlb = cpu == arch_cpu_index();
		pt_unmap(&cpu_pt[cpu], EL2_WINDOW_BASE + start, len);
	}
	owned_lock_release(&el2_map_lock);
}

int mmu_cpu_root_prepare(unsigned int cpu, uint64_t pa, uint64_t size)
{
	int ret = window_map(cpu, pa, size, true);

	if (!ret)
		mmu_boot_config.cpu_ttbr[cpu] = (uintptr_t)cpu_pt[cpu].root;
	return ret;
}

int arch_ram_window_prepare(unsigned int cpu, uint64_t pa, uint64_t size)
{
	int ret = window_map(cpu, pa, size, false);

	if (!ret)
		window_unmap(cpu, pa, size);
	return ret;
}

/*
 * Both roots translate everything below EL2_WINDOW_BASE alike, so the
 * switch needs no TLB maintenance: no entry either could hold differs.
 */
void mmu_use_own_root(unsigned int cpu)
{
	uint64_t root = (uintptr_t)cpu_pt[cpu].root;

	if (root && read_sysreg(ttbr0_el2) != root) {
		write_sysreg(root, ttbr0_el2);
		isb();
	}
}

int arch_ram_window_open(uint64_t pa, uint64_t size, bool writable)
{
	unsigned int cpu = arch_cpu_index();
	int ret = window_map(cpu, pa, size, writable);

	if (!ret)
		mmu_use_own_root(cpu);
	return ret;
}

void arch_ram_window_close(uint64_t pa, uint64_t size)
{
	window_unmap(arch_cpu_index(), pa, size);
}

void *arch_ram_window_ptr(uint64_t pa)
{
	return (void *)(uintptr_t)(EL2_WINDOW_BASE + pa);
}

/* Through this CPU's MMU, as a load from EL2 would: AT S1E2R, then PAR_EL1.F. */
bool arch_el2_translates(uint64_t va)
{
	uint64_t par = read_sysreg(par_el1);
	bool ok;

	at_s1e2r(va);
	isb();
	ok = (read_sysreg(par_el1) & 1) == 0;
	write_sysreg(par, par_el1);
	return ok;
}

uint32_t arch_el2_mappers(uint64_t pa)
{
	uint32_t cpus = arch_el2_translates(pa) ? ~0u : 0; /* the identity map is everyone's */
	unsigned int i;

	if (arch_el2_translates(EL2_WINDOW_BASE + pa))
		cpus |= 1u << arch_cpu_index();
	for (i = 0; i < MAX_CPUS; i++)
		if (cpu_pt[i].root &&
		    !pt_lookup(&cpu_pt[i], EL2_WINDOW_BASE + pa, NULL, NULL, NULL))
			cpus |= 1u << i;
	return cpus;
}

void memstat_read(struct memstat *m)
{
	m->image_bytes = mmu_image_end() - mmu_image_start();
	m->el2_tables_used = el2_pool.used;
	m->el2_tables_total = el2_pool.nr;
	arch_stage2_pool_usage(&m->s2_tables_used, &m->s2_tables_total);
}
