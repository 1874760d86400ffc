// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for a guest's synchronous traps, from guest_trap_sync()
 * down: the stage-2 abort's decode and MMIO dispatch (guest_trap.c,
 * guest_abort.c, partitions/mmio.c), trapped system registers and set/way
 * (sysreg_trap.c, set_way.c), PSCI (vpsci.c), the SMCCC and Bulkhead calls
 * (hypercall.c, shm.c, manage.c), the injected exceptions (guest_inject.c)
 * and the fault log and policy (fault.c), all real, on the two-cell model of
 * tests/fuzz/trap_model.c. The input configures the cells (interrupt mode,
 * GIC version, console, PCI, management, on-fault, shared-memory doorbells,
 * vCPUs on, the other cell's state, the cache geometry), then is a program
 * of traps: which vCPU, ESR_EL2 (an exception class from a list, or any),
 * PSTATE, ELR, FAR, HPFAR, x0-x3, the operand register the syndrome names,
 * what an emulated device answers, how much time passed. After every trap,
 * besides sanitizer reports, it fails when:
 *   - the other cell changed (its struct cell, vCPUs, frames, CPUs, doorbell
 *     rate limit, report counts), but for what a management cell's
 *     stop/start/restart posts; a frame other than the trapping vCPU's
 *     changed; a lock is left taken; a stand-in was reached for another
 *     cell (trap_model.c: a doorbell only in a region both share, a window
 *     only on the cell's own RAM);
 *   - a register of the trapping vCPU holds a value only the other cell has
 *     (its vCPUs' entry points and registers, its boots and faults but
 *     through a management cell's CELL_STATUS);
 *   - the trap returned to the next instruction (ELR + 4, + 2 for a 16-bit
 *     one) with a register written that the instruction does not write: a
 *     load writes its Rt only (none for XZR) with the device's bytes in the
 *     access's size, swapped if big-endian, sign-extended if SSE, to 32 bits
 *     if not SF; a store writes none and the device gets Rt's low bytes; an
 *     MRS its Rt; an SMC x0-x3; anything else none; or PSTATE changed but
 *     for BTYPE, SS and ITSTATE;
 *   - an exception was injected (ESR_EL1 written) but the frame is not at the
 *     right EL1 vector in EL1h with DAIF masked, with ELR_EL1 and SPSR_EL1
 *     the trapped ones, x0-x30 kept, an EC for the trap (abort or UNDEF) and
 *     the fault counted;
 *   - the trap returned to the same instruction but for an HVC (its return
 *     address is the next one already), a TLB conflict retried after a TLB
 *     flush, or a set/way operation that used up its lines for this trap:
 *     a trap silently ignored;
 *   - ELR went anywhere else;
 *   - the vCPU left the guest but by PSCI CPU_OFF (turned off), SYSTEM_OFF
 *     (cell stopped), SYSTEM_RESET (restarted), a direct cell's WFI, or the
 *     cell's on-fault policy after a report, for a trap the docs give to
 *     it: never an UNDEF, a refused SMC or a stage-2 abort that is the guest's.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME	   "fuzz_trap"
#define FUZZ_OWN_CPU_RELAX /* trap_model.c's */
#include "fuzz_program.h"
#include "fuzz_trap.h"

#include "esr.h"
#include "hypercall.h"
#include "sysreg.h"
#include "vuart.h"

#define MAX_TRAPS 48

/*
 * Which canaries of each cell the input holds itself, in either byte order: a
 * register may then hold one. Told by their pattern (model_canary_of()), not
 * compared one by one: libFuzzer would learn each value compared and feed it in.
 */
static bool given[MODEL_CELLS][MODEL_CANARIES];

static void find_given(const uint8_t *data, size_t size)
{
	unsigned int cell, k;

	memset(given, 0, sizeof(given));
	for (size_t i = 0; i + 8 <= size; i++) {
		uint64_t be = 0, le = 0;

		for (unsigned int j = 0; j < 8; j++) {
			be = be << 8 | data[i + j];
			le |= (uint64_t)data[i + j] << (8 * j);
		}
		if (model_canary_of(be, &cell, &k))
			given[cell][k] = true;
		if (model_canary_of(le, &cell, &k))
			given[cell][k] = true;
	}
}

/* --- the state before a trap --------------------------------------------- */

static void save(struct before *b, const struct trap_frame *f)
{
	struct cell *peer = model_peer();

	b->f = *f;
	memcpy(b->frames, model.frames, sizeof(b->frames));
	memcpy(b->cfg, model.cfg, sizeof(b->cfg));
	b->peer = *peer;
	memcpy(b->cpus, cpu_locals, sizeof(b->cpus));
	model_cell_statics(peer->id, b->peer_statics);
	b->faults = model.trapper->cell->faults;
	b->csselr = model.sr.csselr_el1;
	b->reports = model_reports();
}

/* A management cell's stop, start or restart of a cell: the request it posts there. */
static bool management_request(const struct before *b)
{
	uint32_t fid = (uint32_t)b->f.x[0];

	return model.trapper->cell->cfg->management && esr_ec(b->f.esr) == ESR_EC_HVC64 &&
	       !(esr_iss(b->f.esr) & 0xffff) &&
	       (fid == BULKHEAD_HC_CELL_STOP || fid == BULKHEAD_HC_CELL_START ||
		fid == BULKHEAD_HC_CELL_RESTART);
}

/* The other cell and what shm.c and fault.c keep of it; other vCPUs' frames, other CPUs. */
static void check_other_cell(const struct before *b)
{
	struct cell *peer = model_peer();
	struct cell want = b->peer;
	uint8_t statics[MODEL_STATICS_SIZE];
	unsigned int c = model.trapper->cell->id, v = model.trapper->index;

	want.lock = peer->lock; /* taken and released: checked free below */
	/* Rung: a bit set, and a boot tag its own CPU checks as it raises them (shm.c). */
	if (peer->doorbells != want.doorbells) {
		CHECK(model_doorbells_shared(peer, peer->doorbells),
		      "%s's doorbells 0x%lx: one not shared with the ringer", peer->cfg->label,
		      (unsigned long)peer->doorbells);
		want.doorbells = peer->doorbells;
	}
	if (management_request(b)) {
		want.state = peer->state;
		want.owner = peer->owner;
		want.request = peer->request;
		want.request_why = peer->request_why;
		want.stop_why = peer->stop_why;
		want.start_deferred = peer->start_deferred;
	}
	CHECK(!memcmp(&want, peer, sizeof(want)), "%s's struct cell changed", peer->cfg->label);
	CHECK(!memcmp(b->cfg, model.cfg, sizeof(b->cfg)), "a cell's layout changed");
	for (unsigned int i = 0; i < MAX_CPUS; i++)
		CHECK(i == model.trapper->pcpu ||
			      !memcmp(&b->cpus[i], &cpu_locals[i], sizeof(b->cpus[i])),
		      "CPU %u's cpu_local changed in a trap on CPU %u", i, model.trapper->pcpu);
	model_cell_statics(peer->id, statics);
	CHECK(!memcmp(statics, b->peer_statics, sizeof(statics)),
	      "%s's doorbell rate limit or report counts changed", peer->cfg->label);
	for (unsigned int i = 0; i < MODEL_CELLS; i++)
		for (unsigned int j = 0; j < MODEL_VCPUS; j++)
			CHECK((i == c && j == v) || !memcmp(&b->frames[i][j], &model.frames[i][j],
							    sizeof(model.frames[i][j])),
			      "the frame of cell %u vCPU %u changed in a trap of cell %u vCPU %u",
			      i, j, c, v);
	CHECK(model_locks_free(), "a lock is left taken, or the EL2 window open");
}

/* No register of the trapping vCPU holds what only the other cell has. */
static void check_no_leak(const struct before *b, const struct trap_frame *f)
{
	unsigned int peer = model_peer()->id, cell, k;
	bool status = model.trapper->cell->cfg->management; /* CELL_STATUS: boots, faults */

	for (unsigned int r = 0; r < 31; r++) {
		if (!model_canary_of(f->x[r], &cell, &k) || cell != peer || given[cell][k] ||
		    f->x[r] == b->f.x[r] || (status && k < 2))
			continue;
		CHECK(0, "x%u = 0x%lx, %s's (canary %u)", r, (unsigned long)f->x[r],
		      model_peer()->cfg->label, k);
	}
}

/* --- the input ------------------------------------------------------------- */

/*
 * The input, big-endian fields (fuzz_program.h's take()): the model first,
 *   flags     bit 0 GICv3 (else GICv2); bits 1, 2 cell 0, 1 management; 3, 4 a
 *             virtual console; 5, 6 direct interrupt mode
 *   policies  bits 1:0, 3:2 on-fault of cell 0, 1; bits 4, 5 doorbell on
 *             region 0, 1; bits 6, 7 cell 0, 1 has PCI (an ECAM window)
 *   vcpus     bits 1:0, 5:4 vCPUs of cell 0, 1, less one
 *   powers    bits 2v+1:2v vCPU v (1-3) of each cell off, pending or on
 *   misc      bits 1:0 cell 1's state; bit 4 CCSIDR_EL1 in its 64-bit form
 *             (CCIDX); bit 5 FEAT_WFxT (a WFI waits 10 ms at most)
 *   CLIDR_EL1 (4 bytes), CCSIDR_EL1 of even and odd cache levels (8, 8)
 * then traps, until it is used up (read_trap()).
 */
static void read_config(struct program *pr, struct model_config *c)
{
	c->flags = (uint8_t)take(pr, 1);
	c->policies = (uint8_t)take(pr, 1);
	c->vcpus = (uint8_t)take(pr, 1);
	c->powers = (uint8_t)take(pr, 1);
	c->misc = (uint8_t)take(pr, 1);
	c->clidr = take(pr, 4);
	c->ccsidr[0] = take(pr, 8);
	c->ccsidr[1] = take(pr, 8);
	c->ccidx = c->misc & 0x10;
	c->wfxt = c->misc & 0x20;
}

/* The vCPU the next trap is taken on: of a running cell, and on (a pending one entered). */
static struct vcpu *pick_vcpu(uint8_t b)
{
	unsigned int c = b >> 7;

	if (cell_get(c)->state != CELL_RUNNING)
		c ^= 1;
	if (cell_get(c)->state != CELL_RUNNING)
		return NULL;
	for (unsigned int i = 0; i < cell_get(c)->nr_vcpus; i++) {
		struct vcpu *v = &cell_get(c)->vcpus[((b & 0x7f) + i) % cell_get(c)->nr_vcpus];

		if (v->power == VCPU_ON_PENDING)
			v->power = VCPU_ON;
		if (v->power == VCPU_ON)
			return v;
	}
	return NULL;
}

/* ESR_EL2: an exception class a trap can bring from a list (or any), ISS and IL, ISS2. */
static uint64_t read_esr(struct program *pr)
{
	static const uint8_t classes[] = {
		ESR_EC_WFX,	 ESR_EC_HVC64,	  ESR_EC_SMC64,	   ESR_EC_DABT_LOW,
		ESR_EC_DABT_LOW, ESR_EC_DABT_LOW, ESR_EC_IABT_LOW, ESR_EC_SYS64,
		ESR_EC_SYS64,	 ESR_EC_CP15_32,  ESR_EC_CP15_64,  ESR_EC_CP14_MR,
		ESR_EC_CP14_LS,	 ESR_EC_CP14_64,  ESR_EC_OTHER,	   ESR_EC_SYS128,
	};
	unsigned int pick = (unsigned int)take(pr, 1);
	uint64_t ec = pick < 0xe0 ? classes[pick % sizeof(classes)] : pick & ESR_ELx_EC_MASK;
	uint64_t iss_il = take(pr, 4) & (ESR_ELx_ISS_MASK | ESR_ELx_IL);

	return ec << ESR_ELx_EC_SHIFT | iss_il | take(pr, 2) << 32;
}

/* PSTATE of a guest: EL0t, EL1t, EL1h or AArch32 User, the other bits as given. */
static uint64_t read_spsr(struct program *pr)
{
	static const uint64_t modes[] = { SPSR_M_EL0T, SPSR_M_EL1T, SPSR_M_EL1H, SPSR_M_AARCH32 };
	uint64_t v = take(pr, 4);

	return (v & ~0x1fULL) | modes[v & 3];
}

/*
 * One trap, false once no vCPU can trap (the input then ends):
 *   the vCPU (bit 7 the cell, the rest its index, pick_vcpu()), ESR_EL2
 *   (read_esr(): 7 bytes), PSTATE (read_spsr(): 4), ELR, FAR, HPFAR_EL2,
 *   x0-x3 (8 each), the operand register the syndrome names (8, unless it
 *   names none or XZR), SCTLR_EL1.EE, E0E, SPAN (bits 0-2 of a byte whose
 *   bits 6, 7 make the EL2 window refuse to open or to translate), what an
 *   emulated read returns (8), the stand-ins' answers (1: bits 1:0 the
 *   emulator's return, 2 an interrupt pending, 3 CPU_ON's caller big-endian,
 *   7:4 the Spectre workaround's answer), the time since the last trap (2,
 *   in units of 64 us).
 * FUZZ_TRACE=1 in the environment prints each trap and how it ended.
 */
static bool read_trap(struct program *pr, struct trap_frame **frame)
{
	struct vcpu *v = pick_vcpu((uint8_t)take(pr, 1));
	struct trap_frame *f;
	uint8_t a;
	unsigned int rt;

	if (!v)
		return false;
	model.trapper = v;
	f = &model.frames[v->cell->id][v->index];
	f->esr = read_esr(pr);
	f->spsr = read_spsr(pr);
	f->elr = take(pr, 8);
	f->far = take(pr, 8);
	model.sr.hpfar_el2 = take(pr, 8);
	for (unsigned int r = 0; r < 4; r++)
		f->x[r] = take(pr, 8);
	rt = trap_operand_reg(f->esr);
	if (rt < 31)
		f->x[rt] = take(pr, 8);
	a = (uint8_t)take(pr, 1);
	model.sr.sctlr_el1 = (a & 1 ? SCTLR_EL1_EE : 0) | (a & 2 ? SCTLR_EL1_E0E : 0) |
			     (a & 4 ? SCTLR_EL1_SPAN : 0);
	model.answer.window_fails = a & 0x40;
	model.answer.no_translate = a & 0x80;
	model.sr.hcr_el2 = v->cell->cfg->irq_mode == LAYOUT_IRQ_DIRECT ? 0 : HCR_EL2_IMO;
	model.answer.dev_value = take(pr, 8);
	a = (uint8_t)take(pr, 1);
	model.answer.dev_ret = (const int[]){ 0, -EINVAL, VUART_LINE_MOVED, 0 }[a & 3];
	model.answer.pending = a & 4;
	model.answer.big_endian = a & 8;
	model.answer.spectre = (int64_t)((a >> 4) % 3) - 1;
	model.now += take(pr, 2) * 64;
	*frame = f;
	return true;
}

/* FUZZ_TRACE=1: each trap and how it ended, on stderr (what a seed exercises). */
static void print_trap(unsigned int n, const struct before *b, const struct trap_frame *f)
{
	static const char *const ends[] = { "returned", "resumed",   "cpu-off",
					    "stopped",	"restarted", "halted" };

	fprintf(stderr,
		"trap %u: %s vcpu%u ESR 0x%lx x0 0x%lx: %s%s, ELR 0x%lx -> 0x%lx, device %d, "
		"doorbells %u, kicks %u, lines %u, reports %u, faults +%lu\n",
		n, model.trapper->cell->cfg->label, model.trapper->index, (unsigned long)b->f.esr,
		(unsigned long)b->f.x[0], ends[model.rec.end],
		model.rec.wrote_esr_el1 ? " (injected)" : "", (unsigned long)b->f.elr,
		(unsigned long)f->elr, model.rec.dev, model.rec.doorbells, model.rec.kicks,
		model.rec.lines, model_reports() - b->reports,
		(unsigned long)(model.trapper->cell->faults - b->faults));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct program pr = { data, size };
	struct model_config config;
	static struct before b;
	static int trace = -1;

	if (trace < 0)
		trace = getenv("FUZZ_TRACE") != NULL;

	read_config(&pr, &config);
	model_reset(&config);
	find_given(data, size);
	for (unsigned int n = 0; n < MAX_TRAPS && pr.left; n++) {
		struct trap_frame *f;

		if (!read_trap(&pr, &f))
			break;
		save(&b, f);
		memset(&model.rec, 0, sizeof(model.rec));
		model.relaxes = 0;
		if (!setjmp(model.out))
			guest_trap_sync(model.trapper, f);
		if (trace)
			print_trap(n, &b, f);
		check_other_cell(&b);
		check_no_leak(&b, f);
		trap_check_end(&b, f);
		if (model.rec.end >= END_STOPPED)
			break; /* the cell is gone */
	}
	return 0;
}
