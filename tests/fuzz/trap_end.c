// SPDX-License-Identifier: GPL-2.0-only
/*
 * How a trap ended, for fuzz_trap.c, against the architecture (Arm ARM: what
 * an instruction writes, how an exception is taken) and docs/traps.md (what
 * is emulated, retried, injected, or left to the cell's policy), worked out
 * here from the syndrome and the model. Two answers are the code's own, each
 * with unit tests of its own: whose a stage-2 abort is (esr_stage2_owner(),
 * test_esr.c) and which ID register fields a cell is not shown
 * (id_reg_hidden(), test_id_regs.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_NAME	   "fuzz_trap"
#define FUZZ_OWN_CPU_RELAX /* trap_model.c's */
#include "fuzz_program.h"
#include "fuzz_trap.h"

#include "esr.h"
#include "hypercall.h"
#include "set_way.h"
#include "sysreg.h"
#include "sysreg_trap.h"

#define PSCI_CPU_OFF	  0x84000002U
#define PSCI_SYSTEM_OFF	  0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U

/* DC ISW, CSW, CISW: op0 1, op1 0, CRn 7, CRm 6/10/14, op2 2. */
#define SYS_DC_SW(crm) ESR_SYSREG(1, 0, 7, crm, 2)

/* --- the architecture, as the checks read it -------------------------------- */

static unsigned int ec_of(const struct trap_frame *f)
{
	return esr_ec(f->esr);
}

static uint32_t iss_of(const struct trap_frame *f)
{
	return esr_iss(f->esr);
}

static uint64_t reg(const struct trap_frame *f, unsigned int r)
{
	return r == 31 ? 0 : f->x[r];
}

static bool aarch32(uint64_t spsr)
{
	return spsr & SPSR_M_AARCH32;
}

static bool from_el0(uint64_t spsr)
{
	return aarch32(spsr) || (spsr & SPSR_M_MASK) == SPSR_M_EL0T;
}

/* The access's endianness: PSTATE.E in AArch32, SCTLR_EL1.E0E at EL0, EE at EL1. */
static bool big_endian(uint64_t spsr)
{
	if (aarch32(spsr))
		return spsr & SPSR_A32_E;
	return model.sr.sctlr_el1 & (from_el0(spsr) ? SCTLR_EL1_E0E : SCTLR_EL1_EE);
}

static uint64_t bytes_swapped(uint64_t v, unsigned int size)
{
	uint64_t r = 0;

	for (unsigned int i = 0; i < size; i++)
		r |= ((v >> (8 * i)) & 0xff) << (8 * (size - 1 - i));
	return r;
}

static uint64_t low_bytes(uint64_t v, unsigned int size)
{
	return size == 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

/* What a load of @size bytes the device answered @dev with leaves in its register. */
static uint64_t loaded(const struct trap_frame *f0, unsigned int size, uint64_t dev)
{
	uint64_t v = low_bytes(dev, size);

	if (big_endian(f0->spsr))
		v = bytes_swapped(v, size);
	if ((iss_of(f0) & ESR_ISS_DABT_SSE) && size < 8 && (v >> (8 * size - 1)) & 1)
		v |= ~0ULL << (8 * size);
	return iss_of(f0) & ESR_ISS_DABT_SF ? v : v & 0xffffffffULL;
}

/* What a store of @size bytes from register @rt gives the device. */
static uint64_t stored(const struct trap_frame *f0, unsigned int size, unsigned int rt)
{
	uint64_t v = low_bytes(reg(f0, rt), size);

	return big_endian(f0->spsr) ? bytes_swapped(v, size) : v;
}

unsigned int trap_operand_reg(uint64_t esr)
{
	uint32_t iss = esr_iss(esr);

	switch (esr_ec(esr)) {
	case ESR_EC_DABT_LOW:
		return (iss >> ESR_ISS_DABT_SRT_SHIFT) & ESR_ISS_DABT_SRT_MASK;
	case ESR_EC_SYS64:
		return ESR_ISS_SYS_Rt(iss);
	case ESR_EC_WFX:
		return ESR_ISS_WFX_RN(iss);
	default:
		return 32;
	}
}

static bool hvc_or_smc_call(const struct trap_frame *f0, uint32_t fid)
{
	unsigned int ec = ec_of(f0);

	return (ec == ESR_EC_HVC64 || ec == ESR_EC_SMC64) && !(iss_of(f0) & 0xffff) &&
	       (uint32_t)f0->x[0] == fid;
}

/* A trapped instruction the docs make UNDEFINED when not emulated: never the on-fault policy. */
static bool undef_class(unsigned int ec)
{
	switch (ec) {
	case ESR_EC_SYS64:
	case ESR_EC_CP15_32:
	case ESR_EC_CP15_64:
	case ESR_EC_CP14_MR:
	case ESR_EC_CP14_LS:
	case ESR_EC_CP14_64:
	case ESR_EC_OTHER:
	case ESR_EC_SYS128:
		return true;
	default:
		return false;
	}
}

/* --- how the trap ended ------------------------------------------------------ */

/* x0-x30 as before, but @may (a mask of registers the instruction writes). */
static void check_regs(const struct before *b, const struct trap_frame *f, uint32_t may)
{
	for (unsigned int r = 0; r < 31; r++)
		CHECK((may >> r & 1) || f->x[r] == b->f.x[r],
		      "EC 0x%02x (ESR 0x%lx) wrote x%u = 0x%lx, which it does not write",
		      ec_of(&b->f), (unsigned long)b->f.esr, r, (unsigned long)f->x[r]);
}

static uint32_t only(unsigned int r)
{
	return r < 31 ? 1u << r : 0;
}

/* An emulated access, completed: the device saw the access, the register what it answered. */
static void check_emulated_access(const struct before *b, const struct trap_frame *f)
{
	uint32_t iss = iss_of(&b->f);
	unsigned int size = 1u << ((iss >> ESR_ISS_DABT_SAS_SHIFT) & ESR_ISS_DABT_SAS_MASK);
	unsigned int rt = trap_operand_reg(b->f.esr);
	bool write = iss & ESR_ISS_DABT_WNR;

	CHECK((iss & ESR_ISS_DABT_ISV) && !(iss & ESR_ISS_DABT_S1PTW),
	      "emulated an access without a valid syndrome (ISS 0x%x)", iss);
	/* An emulated device is never mapped: its accesses are translation faults, 0x04-0x07. */
	CHECK((iss & ESR_ISS_ABT_FSC_MASK & 0x3c) == 0x04,
	      "emulated an access that faulted with DFSC 0x%02x, not a translation fault",
	      (unsigned int)(iss & ESR_ISS_ABT_FSC_MASK));
	CHECK(model.rec.dev_size == size && model.rec.dev_write == write,
	      "the device saw a %s of %u bytes, ISS 0x%x says a %s of %u",
	      model.rec.dev_write ? "write" : "read", model.rec.dev_size, iss,
	      write ? "write" : "read", size);
	if (write) {
		CHECK(model.rec.dev_value == stored(&b->f, size, rt),
		      "the device got 0x%lx for a store of %u bytes from x%u = 0x%lx",
		      (unsigned long)model.rec.dev_value, size, rt, (unsigned long)reg(&b->f, rt));
		check_regs(b, f, 0);
		return;
	}
	check_regs(b, f, only(rt));
	CHECK(rt == 31 || f->x[rt] == loaded(&b->f, size, model.answer.dev_value),
	      "a load of %u bytes (ISS 0x%x) of 0x%lx left x%u = 0x%lx", size, iss,
	      (unsigned long)model.answer.dev_value, rt, (unsigned long)f->x[rt]);
}

/* A trapped MRS/MSR or system instruction, completed: MRS writes Rt, MSR nothing. */
static void check_sysreg(const struct before *b, const struct trap_frame *f)
{
	uint32_t iss = iss_of(&b->f), enc = ESR_ISS_SYSREG(iss);
	unsigned int rt = ESR_ISS_SYS_Rt(iss);
	bool read = iss & ESR_ISS_SYS_DIR_READ;

	check_regs(b, f, read ? only(rt) : 0);
	CHECK(!read || rt == 31 || !(f->x[rt] & id_reg_hidden(enc)),
	      "an ID register read shows a hidden field: 0x%lx", (unsigned long)f->x[rt]);
	CHECK(!model.rec.sgis || (!read && model.rec.sgi_value == reg(&b->f, rt)),
	      "an SGI register access sent 0x%lx, Rt holds 0x%lx",
	      (unsigned long)model.rec.sgi_value, (unsigned long)reg(&b->f, rt));
}

/* Completed as if executed: PC past it, the registers it writes, PSTATE as it leaves it. */
static void check_completed(const struct before *b, const struct trap_frame *f)
{
	uint64_t may_change = SPSR_SS | (aarch32(b->f.spsr) ? SPSR_IT_HI | SPSR_IT_LO : SPSR_BTYPE);
	unsigned int ec = ec_of(&b->f);

	CHECK(!((f->spsr ^ b->f.spsr) & ~may_change), "PSTATE 0x%lx became 0x%lx",
	      (unsigned long)b->f.spsr, (unsigned long)f->spsr);
	if (model.rec.dev_accesses)
		check_emulated_access(b, f);
	else if (ec == ESR_EC_SYS64)
		check_sysreg(b, f);
	else if (ec == ESR_EC_SMC64)
		check_regs(b, f, 0xf);
	else if (ec == ESR_EC_DABT_LOW)
		CHECK((iss_of(&b->f) & ESR_ISS_DABT_CM) && !(iss_of(&b->f) & ESR_ISS_DABT_ISV),
		      "a data abort completed with no device access (ISS 0x%x)", iss_of(&b->f));
	else
		CHECK(ec == ESR_EC_WFX || undef_class(ec), "EC 0x%02x completed as if executed",
		      ec);
	if (!model.rec.dev_accesses && ec != ESR_EC_SYS64 && ec != ESR_EC_SMC64)
		check_regs(b, f, 0);
}

/* An abort or UNDEF taken to the guest's EL1 as the CPU would take it. */
static void check_injected(const struct before *b, const struct trap_frame *f)
{
	static const uint64_t vector[] = { 0x000, 0x200, 0x400, 0x600 }; /* SP0, SPx, A64, A32 */
	unsigned int ec = ec_of(&b->f), want;
	uint64_t spsr = b->f.spsr;
	unsigned int v = aarch32(spsr)			       ? 3
			 : from_el0(spsr)		       ? 2
			 : (spsr & SPSR_M_MASK) == SPSR_M_EL1T ? 0
							       : 1;

	if (ec == ESR_EC_DABT_LOW)
		want = from_el0(spsr) ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;
	else if (ec == ESR_EC_IABT_LOW)
		want = from_el0(spsr) ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR;
	else
		want = ESR_EC_UNKNOWN;
	CHECK(ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW || undef_class(ec),
	      "EC 0x%02x injected an exception", ec);
	CHECK(esr_ec(model.rec.esr_el1) == want, "EC 0x%02x injected ESR_EL1 0x%lx", ec,
	      (unsigned long)model.rec.esr_el1);
	CHECK(f->elr == model.sr.vbar_el1 + vector[v], "injected at 0x%lx, VBAR_EL1 0x%lx",
	      (unsigned long)f->elr, (unsigned long)model.sr.vbar_el1);
	CHECK((f->spsr & (SPSR_M_AARCH32 | SPSR_M_MASK | SPSR_DAIF)) == (SPSR_M_EL1H | SPSR_DAIF),
	      "injected with PSTATE 0x%lx", (unsigned long)f->spsr);
	CHECK(model.rec.elr_el1 == b->f.elr && model.rec.spsr_el1 == b->f.spsr,
	      "ELR_EL1 0x%lx, SPSR_EL1 0x%lx: not the trapped ones",
	      (unsigned long)model.rec.elr_el1, (unsigned long)model.rec.spsr_el1);
	CHECK(want == ESR_EC_UNKNOWN || model.rec.far_el1 == b->f.far, "FAR_EL1 is not FAR_EL2");
	CHECK(!model.rec.dev_accesses || model.answer.dev_ret == -EINVAL,
	      "an abort injected for an access the device took");
	CHECK(model.trapper->cell->faults == b->faults + 1, "an exception injected, not counted");
	check_regs(b, f, 0);
}

/* A set/way operation got further: begun (it or another), or on to a later line. */
static bool set_way_went_on(const struct set_way_progress *was, const struct set_way_progress *is)
{
	if (!is->active)
		return false;
	if (!was->active || is->elr != was->elr || is->operand != was->operand)
		return true;
	return is->region > was->region || (is->region == was->region && is->next > was->next);
}

/* Back at the same instruction: only what the docs retry (or an HVC, whose ELR is past it). */
static void check_again(const struct before *b, const struct trap_frame *f)
{
	unsigned int ec = ec_of(&b->f);
	uint32_t enc = ESR_ISS_SYSREG(iss_of(&b->f));

	CHECK(f->spsr == b->f.spsr, "PSTATE changed");
	if (ec == ESR_EC_HVC64) {
		check_regs(b, f, 0xf);
		return;
	}
	check_regs(b, f, 0);
	if (ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW) {
		CHECK(model.rec.tlb_flushes == 1,
		      "an abort (ESR 0x%lx) returned to the same instruction, no TLB conflict "
		      "retried",
		      (unsigned long)b->f.esr);
		return;
	}
	CHECK(ec == ESR_EC_SYS64 &&
		      (enc == SYS_DC_SW(6) || enc == SYS_DC_SW(10) || enc == SYS_DC_SW(14)) &&
		      set_way_went_on(&b->cpus[model.trapper->pcpu].cpu.set_way,
				      &this_cpu()->set_way),
	      "EC 0x%02x (ESR 0x%lx) returned to the guest with nothing done", ec,
	      (unsigned long)b->f.esr);
}

/* The guest left for the cell's loop or policy: only by a call that asks, or a reported fault. */
static void check_left(const struct before *b)
{
	const struct layout_cell *cfg = model.trapper->cell->cfg;
	unsigned int ec = ec_of(&b->f);
	bool reported = model_reports() > b->reports;
	bool guests_abort = (ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW) &&
			    esr_stage2_owner(b->f.esr) == ESR_S2_GUEST;
	bool policy = reported && !undef_class(ec) && ec != ESR_EC_HVC64 && ec != ESR_EC_SMC64 &&
		      ec != ESR_EC_WFX && !guests_abort;

	switch (model.rec.end) {
	case END_CPU_OFF:
		CHECK(hvc_or_smc_call(&b->f, PSCI_CPU_OFF) && model.trapper->power == VCPU_OFF,
		      "left the guest for the loop (EC 0x%02x, x0 0x%lx)", ec,
		      (unsigned long)b->f.x[0]);
		return;
	case END_STOPPED:
		CHECK(hvc_or_smc_call(&b->f, PSCI_SYSTEM_OFF) ||
			      (policy && cfg->on_fault != LAYOUT_ON_FAULT_HALT_SYSTEM),
		      "the cell stopped (%s): EC 0x%02x, ESR 0x%lx, x0 0x%lx", model.rec.why, ec,
		      (unsigned long)b->f.esr, (unsigned long)b->f.x[0]);
		return;
	case END_RESTARTED:
		CHECK(hvc_or_smc_call(&b->f, PSCI_SYSTEM_RESET) ||
			      (policy && cfg->on_fault == LAYOUT_ON_FAULT_RESTART),
		      "the cell restarted (%s): EC 0x%02x, ESR 0x%lx, x0 0x%lx", model.rec.why, ec,
		      (unsigned long)b->f.esr, (unsigned long)b->f.x[0]);
		return;
	case END_HALTED:
		CHECK(policy && cfg->on_fault == LAYOUT_ON_FAULT_HALT_SYSTEM,
		      "the system halted: EC 0x%02x, ESR 0x%lx", ec, (unsigned long)b->f.esr);
		return;
	default:
		return;
	}
}

void trap_check_end(const struct before *b, const struct trap_frame *f)
{
	uint64_t next = b->f.elr + ((b->f.esr & ESR_ELx_IL) ? 4 : 2);

	CHECK(model.sr.csselr_el1 == b->csselr, "CSSELR_EL1, the guest's, changed");
	CHECK(!model.rec.dev_accesses || ec_of(&b->f) == ESR_EC_DABT_LOW,
	      "EC 0x%02x reached an emulated device", ec_of(&b->f));
	CHECK(!model.rec.doorbells || hvc_or_smc_call(&b->f, BULKHEAD_HC_DOORBELL),
	      "a doorbell rung by EC 0x%02x", ec_of(&b->f));
	CHECK(model.rec.wait_deadline == 0 ||
		      model.rec.wait_deadline - model.now <= arch_ms_to_ticks(10),
	      "waits until 0x%lx, now 0x%lx", (unsigned long)model.rec.wait_deadline,
	      (unsigned long)model.now);
	switch (model.rec.end) {
	case END_RETURNED:
		if (model.rec.wrote_esr_el1)
			check_injected(b, f);
		else if (f->elr == next)
			check_completed(b, f);
		else if (f->elr == b->f.elr)
			check_again(b, f);
		else
			CHECK(0, "ELR 0x%lx became 0x%lx (ESR 0x%lx)", (unsigned long)b->f.elr,
			      (unsigned long)f->elr, (unsigned long)b->f.esr);
		return;
	case END_RESUMED:
		CHECK(ec_of(&b->f) == ESR_EC_WFX && f->elr == next &&
			      model.trapper->cell->cfg->irq_mode == LAYOUT_IRQ_DIRECT,
		      "resumed the guest at 0x%lx (ESR 0x%lx)", (unsigned long)f->elr,
		      (unsigned long)b->f.esr);
		check_regs(b, f, 0);
		return;
	default:
		check_left(b);
		return;
	}
}
