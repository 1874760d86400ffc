// SPDX-License-Identifier: GPL-2.0-only
/*
 * The two-cell model fuzz_trap.c runs the real trap path on: cells 0 and 1,
 * up to four vCPUs each on physical CPUs of their own, their RAM and two
 * shared-memory regions between them, and the trapping CPU itself: its
 * system registers (host_read_sysreg(): what the trap path reads; a write to
 * any but the guest's EL1 registers an injection sets fails the input), its
 * counter, waits and cache maintenance, and its EL2 window, which set/way may
 * open on the cell's own RAM regions only, whole and read-only. What lies
 * beyond the CPU is trap_stubs.c's.
 *
 * partitions/shm.c, partitions/fault.c and fault_log.c are included, not linked: their
 * statics (the doorbells' rate limit, the reports so far per cell, the
 * fault log) start over with every input, so that a finding replays alone.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME	   "fuzz_trap"
#define FUZZ_OWN_CPU_RELAX /* below */
#include "fuzz_program.h"
#include "fuzz_trap.h"

#include "arch/el2_map.h"
#include "arch/vcpu.h"
#include "cell_priv.h"
#include "cpu_local.h"
#include "memstat.h"
#include "set_way.h"

#include "../../partitions/fault.c"
#include "../../partitions/fault_log.c"
#include "../../partitions/shm.c"

#define WINDOW_VA   (1ULL << 47)	  /* this CPU's window: PA x at 2^47 + x (docs/traps.md) */
#define CANARY_MASK 0xffff00000000ffffULL /* cell in [47:40], k in [39:16] */
#define CANARY_BASE 0xc0de00000000beefULL

struct model model;
union cpu_local_slot cpu_locals[MAX_CPUS];

/* This CPU's window onto a cell's RAM (arch_ram_window_open()). */
static struct {
	bool open;
	uint64_t pa, size;
} window;

uint64_t model_canary(unsigned int cell, unsigned int k)
{
	return CANARY_BASE | (uint64_t)cell << 40 | (uint64_t)k << 16;
}

bool model_canary_of(uint64_t v, unsigned int *cell, unsigned int *k)
{
	*cell = (unsigned int)(v >> 40) & 0xff;
	*k = (unsigned int)(v >> 16) & 0xffffff;
	return (v & CANARY_MASK) == CANARY_BASE && *cell < MODEL_CELLS && *k < MODEL_CANARIES;
}

struct cell *model_peer(void)
{
	return cell_get(model.trapper->cell->id ^ 1);
}

/* --- the cells ------------------------------------------------------------ */

/*
 * @cell's view of region @region, whose members are @first then the other
 * cell: a doorbell in @direct mode is a spare physical SPI (200 + region).
 */
static void join(struct layout_cell *cfg, unsigned int cell, int region, unsigned int first,
		 bool doorbell, bool direct)
{
	struct layout_cell_shm *v = &cfg->shm[cfg->nr_shm++];

	v->region = region;
	v->nr_members = 2;
	v->member_cells[0] = (int)first;
	v->member_cells[1] = (int)(first ^ 1);
	v->member = cell == first ? 0 : 1;
	v->doorbell = doorbell;
	v->doorbell_intid = direct && doorbell ? 200 + (uint32_t)region : 0;
	v->ipa = 0x50000000ULL + ((uint64_t)region << 20);
	v->pa = 0x58000000ULL + ((uint64_t)region << 20);
	v->size = 0x100000;
}

/* Cell @i's layout: its RAM, console, interrupts, regions, policy, as @c chooses. */
static void model_cfg(const struct model_config *c, unsigned int i)
{
	struct layout_cell *cfg = &model.cfg[i];
	bool direct = c->flags & (0x20u << i);

	snprintf(cfg->label, sizeof(cfg->label), "%s", i ? "beta" : "alpha");
	cfg->nr_cpus = (int)((c->vcpus >> (4 * i)) & 3) + 1;
	/*
	 * Disjoint RAM; cell 0 has a second region, high, that starts and ends
	 * inside a 2 MiB block: a set/way trap's window is clipped to it there
	 * (window_span_ok()).
	 */
	cfg->mem[0] = (struct layout_region){ 0x40000000, i ? 0x50000000 : 0x48000000, 0x4000000 };
	cfg->mem[1] = (struct layout_region){ 0x100001000ULL, 0x60001000, 0x3fe000 };
	cfg->nr_mem = i ? 1 : 2;
	cfg->management = c->flags & (2u << i);
	cfg->console = c->flags & (8u << i) ? LAYOUT_CONSOLE_VIRTUAL : LAYOUT_CONSOLE_NONE;
	cfg->irq_mode = direct ? LAYOUT_IRQ_DIRECT : LAYOUT_IRQ_EMULATED;
	cfg->on_fault = (enum layout_on_fault)(((c->policies >> (2 * i)) & 3) % 3);
	cfg->nr_pci = c->policies & (0x40u << i) ? 1 : 0;
	/* Region 0: cells 0 and 1; region 1: cells 1 and 0; listed in another order in cell 0. */
	if (i == 0) {
		join(cfg, i, 1, 1, c->policies & 0x20, direct);
		join(cfg, i, 0, 0, c->policies & 0x10, direct);
	} else {
		join(cfg, i, 0, 0, c->policies & 0x10, direct);
		join(cfg, i, 1, 1, c->policies & 0x20, direct);
	}
}

/*
 * Cell @i: its vCPUs (vCPU 0 on, the others as @c chooses), physical CPUs
 * 4i.., and in every field the trap path could leak a value no other field
 * holds (model_canary()): its vCPUs' entry points and contexts, its boots,
 * faults and times, and every register of its vCPUs' frames.
 */
static void model_cell(const struct model_config *c, unsigned int i)
{
	struct cell *cell = &cells[i];
	unsigned int v, r, k = 0;

	memset(cell, 0, sizeof(*cell));
	cell->cfg = &model.cfg[i];
	cell->id = i;
	cell->state = i ? (enum cell_state)(c->misc & 3) : CELL_RUNNING;
	cell->nr_vcpus = (unsigned int)model.cfg[i].nr_cpus;
	cell->vgic.version = c->flags & 1 ? 3 : 2;
	cell->boots = model_canary(i, k++);
	cell->faults = model_canary(i, k++);
	cell->started_at = model_canary(i, k++);
	cell->entry_ipa = model_canary(i, k++);
	cell->dtb_ipa = model_canary(i, k++);
	cell->wdt_last_kick = model_canary(i, k++);
	for (v = 0; v < cell->nr_vcpus; v++) {
		struct vcpu *vcpu = &cell->vcpus[v];

		vcpu->cell = cell;
		vcpu->index = v;
		vcpu->pcpu = i * MODEL_VCPUS + v;
		vcpu->power = v ? (enum vcpu_power)(((c->powers >> (2 * v)) & 3) % 3) : VCPU_ON;
		vcpu->entry = model_canary(i, k++);
		vcpu->context = model_canary(i, k++);
		cells_pcpu_vcpu[vcpu->pcpu] = vcpu;
		cpu_locals[vcpu->pcpu].cpu.index = vcpu->pcpu;
		cpu_locals[vcpu->pcpu].cpu.wfi_max_wait = c->wfxt ? arch_ms_to_ticks(10) : 0;
		for (r = 0; r < 31; r++)
			model.frames[i][v].x[r] = model_canary(i, 64 + 32 * v + r);
	}
}

void model_reset(const struct model_config *c)
{
	unsigned int i;

	memset(&model, 0, sizeof(model));
	memset(cells, 0, sizeof(cells));
	memset(cells_pcpu_vcpu, 0, sizeof(cells_pcpu_vcpu));
	memset(cpu_locals, 0, sizeof(cpu_locals));
	memset(&window, 0, sizeof(window));
	/* shm.c's and fault.c's statics. */
	memset(buckets, 0, sizeof(buckets));
	memset(logged, 0, sizeof(logged));
	memset(reported, 0, sizeof(reported));
	slots_used = 0;
	next_seq = 0;
	log_lock = (struct owned_lock)OWNED_LOCK_INIT;
	log_lost_told = false;
	for (i = 0; i < MODEL_CELLS; i++)
		model_cfg(c, i);
	for (i = 0; i < MODEL_CELLS; i++)
		model_cell(c, i);
	cells_nr = MODEL_CELLS;
	model.now = 1000000;
	model.sr.clidr_el1 = c->clidr;
	for (i = 0; i < 8; i++)
		model.sr.ccsidr_el1[i] = c->ccsidr[i & 1];
	model.sr.id_aa64mmfr2_el1 = c->ccidx ? 1ULL << 20 : 0; /* CCIDX [23:20] */
	model.sr.oslsr_el1 = 0x8; /* OSLM: the OS lock is implemented */
	model.sr.vbar_el1 = 0x40081000;
	/* The CPU has every feature: PSTATE's on an injected exception, and the ID registers'. */
	model.sr.id_aa64pfr1_el1 = ~0ULL;
	model.sr.id_aa64mmfr1_el1 = ~0ULL;
}

void model_cell_statics(unsigned int id, uint8_t *out)
{
	_Static_assert(sizeof(buckets[0]) + sizeof(logged[0]) + sizeof(reported[0]) <=
			       MODEL_STATICS_SIZE,
		       "MODEL_STATICS_SIZE");
	memset(out, 0, MODEL_STATICS_SIZE);
	memcpy(out, &buckets[id], sizeof(buckets[id]));
	memcpy(out + sizeof(buckets[id]), &logged[id], sizeof(logged[id]));
	memcpy(out + sizeof(buckets[id]) + sizeof(logged[id]), &reported[id], sizeof(reported[id]));
}

unsigned int model_reports(void)
{
	return (unsigned int)next_seq; /* an input records far fewer than 2^32 */
}

bool model_locks_free(void)
{
	unsigned int i;

	if (owned_lock_holder(&log_lock) >= 0 || window.open)
		return false;
	for (i = 0; i < LAYOUT_MAX_CELLS; i++)
		if (cells[i].lock.next != cells[i].lock.owner ||
		    buckets[i].lock.next != buckets[i].lock.owner)
			return false;
	return true;
}

/* --- the CPU -------------------------------------------------------------- */

/* Leave the guest, as the real function does not return: to fuzz_trap.c's setjmp(). */
void model_end(enum trap_end e, const char *why)
{
	model.rec.end = e;
	model.rec.why = why;
	longjmp(model.out, 1);
}

/* strcmp() == 0, but not one libFuzzer hooks: these names are not the input's. */
static bool named(const char *a, const char *b)
{
	for (; *a && *a == *b; a++)
		b++;
	return *a == *b;
}

static bool named_prefix(const char *a, const char *prefix)
{
	for (; *prefix && *a == *prefix; prefix++)
		a++;
	return !*prefix;
}

uint64_t host_read_sysreg(const char *name)
{
	static const struct {
		const char *name;
		size_t offset;
	} regs[] = {
#define REG(r) { #r, offsetof(struct model_sysregs, r) }
		REG(hpfar_el2),	      REG(sctlr_el1),	     REG(hcr_el2),    REG(vbar_el1),
		REG(oslsr_el1),	      REG(clidr_el1),	     REG(csselr_el1), REG(id_aa64mmfr2_el1),
		REG(id_aa64pfr1_el1), REG(id_aa64mmfr1_el1),
#undef REG
	};

	if (named(name, "tpidr_el2"))
		return (uint64_t)(uintptr_t)&cpu_locals[model.trapper->pcpu].cpu;
	if (named(name, "cntvct_el0"))
		return model.now;
	if (named(name, "ccsidr_el1"))
		return model.sr.ccsidr_el1[(model.sr.csselr_el1 >> 1) & 7];
	/* The ID registers by encoding (read_sysreg_s()): every field set. */
	if (named_prefix(name, "S3_0_C0_C"))
		return ~0ULL;
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (named(name, regs[i].name))
			return *(const uint64_t *)((const char *)&model.sr + regs[i].offset);
	CHECK(0, "the trap path reads %s, which the model does not have", name);
	return 0;
}

/* The guest's EL1 registers an injected exception sets, and CSSELR_EL1 (set/way): no other. */
void host_write_sysreg(const char *name, uint64_t val)
{
	if (named(name, "csselr_el1"))
		model.sr.csselr_el1 = val;
	else if (named(name, "elr_el1"))
		model.rec.elr_el1 = val;
	else if (named(name, "spsr_el1"))
		model.rec.spsr_el1 = val;
	else if (named(name, "far_el1"))
		model.rec.far_el1 = val;
	else if (named(name, "esr_el1"))
		model.rec.esr_el1 = val;
	else
		CHECK(0, "the trap path writes %s = 0x%lx", name, (unsigned long)val);
	model.rec.wrote_esr_el1 |= named(name, "esr_el1");
}

void host_wfit(uint64_t deadline)
{
	model.rec.waits++;
	model.rec.wait_deadline = deadline;
}

/* The window is open on blocks of one of the trapping cell's RAM regions (arch_ram_window_open()).
 */
void host_dc_civac(uintptr_t va)
{
	uint64_t pa = va - WINDOW_VA;

	CHECK(window.open && va >= WINDOW_VA && pa - window.pa < window.size,
	      "DC CIVAC of VA 0x%lx, outside the window open at PA 0x%lx+0x%lx", (unsigned long)va,
	      (unsigned long)window.pa, (unsigned long)window.size);
	model.rec.lines++;
}

uint64_t arch_counter_read(void)
{
	return model.now;
}

uint64_t arch_counter_freq(void)
{
	return MODEL_FREQ;
}

/* A wait by the clock (a management request's kick) lasts; one that never ends is a hang. */
void arch_cpu_relax(void)
{
	model.now += MODEL_FREQ / 1000;
	CHECK(++model.relaxes < 100000, "spins for ever: a lock never released, or a wait");
}

unsigned int arch_cpu_index(void)
{
	return model.trapper->pcpu;
}

/* The model's CPUs never fault: no owned lock (the fault log's) is ever lost. */
bool arch_cpu_parked(unsigned int index)
{
	(void)index;
	return false;
}

uint64_t arch_cpu_mpidr_of(unsigned int index)
{
	return 0x80000000ULL | index;
}

void arch_cpu_park(void)
{
	CHECK(0, "a CPU parked in a guest's trap");
	abort();
}

void arch_vcpu_exit_to_loop(void)
{
	model_end(END_CPU_OFF, NULL);
}

void guest_wfi_resume(struct trap_frame *f, uint64_t deadline)
{
	CHECK(f == &model.frames[model_own()->id][model.trapper->index], "resumes another frame");
	model.rec.wait_deadline = deadline;
	model_end(END_RESUMED, NULL);
}

bool arch_guest_big_endian(void)
{
	return model.answer.big_endian;
}

int64_t arch_spectre_guest_feature(uint32_t fid)
{
	(void)fid;
	return model.answer.spectre;
}

void arch_stage2_tlb_flush_local(void)
{
	model.rec.tlb_flushes++;
}

/* --- the EL2 window: set/way cleans a region of the cell's own RAM ------- */

/*
 * [pa, pa + size) lies in one of @cfg's RAM regions and starts and ends on
 * the window's 2 MiB blocks or at the region's ends (arch_ram_window_blocks()):
 * the boot prepared tables for exactly that, and no more than a trap's bound
 * (SET_WAY_SPAN_PER_TRAP, widened to whole blocks).
 */
static bool window_span_ok(const struct layout_cell *cfg, uint64_t pa, uint64_t size)
{
	const uint64_t most = SET_WAY_SPAN_PER_TRAP + 2 * EL2_WINDOW_BLOCK;

	for (int i = 0; i < cfg->nr_mem; i++) {
		uint64_t start = cfg->mem[i].pa, end = start + cfg->mem[i].size;

		if (size && size <= most && pa >= start && pa + size <= end &&
		    (pa == start || !(pa % EL2_WINDOW_BLOCK)) &&
		    (pa + size == end || !((pa + size) % EL2_WINDOW_BLOCK)))
			return true;
	}
	return false;
}

int arch_ram_window_open(uint64_t pa, uint64_t size, bool writable)
{
	const struct layout_cell *cfg = model_own()->cfg;

	CHECK(!writable && !window.open && window_span_ok(cfg, pa, size),
	      "opens PA 0x%lx+0x%lx%s: not blocks of one of %s's RAM regions within a trap's "
	      "bound, read-only, one at a time",
	      (unsigned long)pa, (unsigned long)size, writable ? " writable" : "", cfg->label);
	if (model.answer.window_fails)
		return -ENOMEM;
	window.open = true;
	window.pa = pa;
	window.size = size;
	return 0;
}

void arch_ram_window_close(uint64_t pa, uint64_t size)
{
	CHECK(window.open && window.pa == pa && window.size == size,
	      "closes PA 0x%lx+0x%lx, not the window open", (unsigned long)pa, (unsigned long)size);
	window.open = false;
}

void *arch_ram_window_ptr(uint64_t pa)
{
	CHECK(window.open && pa - window.pa < window.size, "PA 0x%lx is not in the open window",
	      (unsigned long)pa);
	return (void *)(uintptr_t)(WINDOW_VA + pa);
}

bool arch_el2_translates(uint64_t va)
{
	return !model.answer.no_translate && va - WINDOW_VA - window.pa < window.size;
}

const char *arch_el2_map_error(int err)
{
	(void)err;
	return "cannot be mapped";
}

/* --- what fault.c and cell_table.c link against -------------------------- */

const char *layout_on_fault_name(enum layout_on_fault f)
{
	static const char *const names[] = { "stop", "restart", "halt-system" };

	return (unsigned int)f < 3 ? names[f] : "?";
}

/* cell_table.c's memstat_log(), which no trap calls. */
void memstat_read(struct memstat *m)
{
	memset(m, 0, sizeof(*m));
}

unsigned int arch_stage2_tables(const struct cell *cell)
{
	(void)cell;
	return 0;
}
