// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exceptions taken to EL2. Until cells exist every one is unexpected: it is
 * reported with its syndrome decoded and the CPU that took it is parked; the
 * other CPUs run on. Once a cell runs on that CPU, the cell loses it: it is
 * stopped and failed (partitions/cell_lost.c) before the CPU parks. On the
 * boot CPU, or a CPU online, before the boot is done, the boot stops and no
 * cell runs. After it, an SError FEAT_RAS says is uncontainable halts the
 * system rather than park the CPU: that would not contain an error that
 * may have spread.
 */
#include <stdbool.h>
#include <stdio.h>
#include "arch/cpu.h"
#include "arch/smp.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "console.h"
#include "cpu_stack.h"
#include "gic.h"
#include "halt.h"
#include "esr.h"
#include "log.h"
#include "owned_lock.h"
#include "trap_frame.h"
#include "vgic_hw.h"
#include "compiler.h"

/* Arrays of characters, not of pointers: no relocation per name in the PIE image. */
static const char vector_source[][26] = {
	[VECTOR_SOURCE_CUR_SP0] = "from EL2 (SP_EL0)",
	[VECTOR_SOURCE_CUR_SPX] = "from EL2 (SP_EL2)",
	[VECTOR_SOURCE_LOWER_A64] = "from a lower EL (AArch64)",
	[VECTOR_SOURCE_LOWER_A32] = "from a lower EL (AArch32)",
};

static const char vector_kind[][12] = {
	[VECTOR_SYNC] = "synchronous",
	[VECTOR_IRQ] = "IRQ",
	[VECTOR_FIQ] = "FIQ",
	[VECTOR_SERROR] = "SError",
};

__cold static const char *iss_title(unsigned int ec)
{
	switch (ec) {
	case ESR_EC_DABT_LOW:
	case ESR_EC_DABT_CUR:
		return "data abort";
	case ESR_EC_IABT_LOW:
	case ESR_EC_IABT_CUR:
		return "instruction abort";
	default:
		return esr_ec_name(ec);
	}
}

__cold static void report_syndrome(uint64_t esr)
{
	char detail[ESR_DESCRIBE_MAX];
	unsigned int ec = esr_ec(esr);

	log_err("  ESR_EL2 0x%08lx: EC 0x%02x (%s) IL %u ISS 0x%x", (unsigned long)esr, ec,
		esr_ec_name(ec), (esr & ESR_ELx_IL) ? 1 : 0, esr_iss(esr));
	if (esr_describe_iss(esr, detail, sizeof(detail)) > 0)
		log_err("  %s: %s", iss_title(ec), detail);
}

__cold static void report_registers(const struct trap_frame *f, uint64_t sp)
{
	unsigned int i;

	for (i = 0; i < 28; i += 4)
		log_err("  x%-2u %016lx x%-2u %016lx x%-2u %016lx x%-2u %016lx", i,
			(unsigned long)f->x[i], i + 1, (unsigned long)f->x[i + 1], i + 2,
			(unsigned long)f->x[i + 2], i + 3, (unsigned long)f->x[i + 3]);
	log_err("  x28 %016lx x29 %016lx x30 %016lx sp  %016lx", (unsigned long)f->x[28],
		(unsigned long)f->x[29], (unsigned long)f->x[30], (unsigned long)sp);
}

/*
 * What FAR_EL2 says of exception @kind (VECTOR_SYNC...), in @buf: nothing for
 * an interrupt, an SError or a class that does not write it (its value is
 * an earlier fault's), "not valid (FnV)" where the syndrome says so.
 */
__cold static const char *far_text(const struct trap_frame *f, unsigned int kind, char *buf,
				   size_t len)
{
	enum esr_far far = kind == VECTOR_SYNC ? esr_far_state(f->esr) : ESR_FAR_UNKNOWN;

	if (far == ESR_FAR_VALID)
		snprintf(buf, len, " FAR_EL2 0x%lx", (unsigned long)f->far);
	else
		snprintf(buf, len, "%s", far == ESR_FAR_FNV ? " FAR_EL2 not valid (FnV)" : "");
	return buf;
}

/*
 * A report that faults each time it is made would go on for ever: vectors.S
 * starts the fault stack over at each fault, so it never runs out, and the
 * CPU never parks. The third fault while this CPU reports is not reported:
 * the console's lock is let go if the CPU holds it and the CPU parks, its
 * cell failed; a fault in that too parks it at once.
 */
#define FAULT_REPORTS_MAX 2

static void __cold __attribute__((noreturn)) park_unreported(unsigned int reports)
{
	console_panic_give_up();
	if (reports == FAULT_REPORTS_MAX + 1)
		arch_cpu_park_after_fault();
	arch_cpu_park();
}

/* A fault just below the stack this CPU ran on (at @sp): it used its stack up. */
__cold static void report_overflow(const struct trap_frame *f, uint64_t sp)
{
	uint64_t lo;

	/* Only an address the fault wrote: a stale one would tell of an overflow that was not. */
	if (esr_far_state(f->esr) == ESR_FAR_VALID &&
	    cpu_stack_overflowed(cpu_fault_sp(), f->far, &lo))
		log_err("  EL2 stack overflow: CPU %u used up its %u KiB stack at 0x%lx-0x%lx "
			"(SP 0x%lx)",
			arch_cpu_index(), STACK_SIZE / 1024, (unsigned long)lo,
			(unsigned long)(lo + STACK_SIZE), (unsigned long)sp);
}

/*
 * Until the boot is done (boot/boot_state.c) the boot CPU builds the cells,
 * binding each cell's vCPUs to their CPUs before it loads the cell
 * (cells_create()), and starts them, and only then lets the other CPUs go
 * to run them. A fault there, on the boot CPU or on a CPU online (one a
 * cell may be bound to, waiting for the boot's end), is the boot's, not a
 * cell's: no guest instruction has run, and none will. The boot stops; no
 * cell is failed, none runs on. A CPU that faults before it is online is
 * not online (arch_smp_start_secondaries()): no cell is bound to it. Until
 * 2026-11-24 only the boot CPU's fault stopped the boot, and only from the
 * first cell built on: a secondary's took the lost-CPU path as the boot CPU
 * built the cells, maybe before its own cell was bound to it, and the cell
 * was started on a parked CPU.
 */
static bool __cold fault_stops_boot(void)
{
	unsigned int self = arch_cpu_index();

	if (self != 0 && arch_cpu_index_of_mpidr(arch_cpu_mpidr_of(self)) != (int)self)
		return false;
	return boot_stop_for_fault();
}

static void __cold __attribute__((noreturn)) boot_stopped_here(void)
{
	unsigned int self = arch_cpu_index();

	if (self == 0)
		boot_stopped_by_fault(0);
	log_err("CPU %u parked before the boot was done: the boot stops, no cell runs", self);
	console_flush();
	arch_cpu_park();
}

/*
 * An SError whose error FEAT_RAS says is uncontainable (AET UC) may have
 * reached memory or caches any cell uses: a guest's is not the cell's to
 * answer for (guest_serror_uncontainable()), and one taken at EL2 is not
 * contained by parking the CPU either (report_unexpected()); both halt the
 * system. Only with RAS and an architected syndrome: without RAS, or with
 * an IMPLEMENTATION DEFINED or uncategorized syndrome, nothing says where
 * the error went, and the SError stays the cell's, or the CPU's.
 */
static bool serror_uncontainable(uint64_t esr)
{
	return esr_serror_uncontainable(esr) && arch_cpu_has_ras();
}

/* The end of report_unexpected() for an uncontainable SError: every cell stops with the CPU. */
static void __cold __attribute__((noreturn)) halt_uncontainable(void)
{
	log_err("CPU %u: an uncontainable error (RAS), which may have reached memory or caches "
		"the cells use: halting the system",
		arch_cpu_index());
	console_flush();
	halt_system();
}

static void __cold __attribute__((noreturn, noinline))
report_unexpected(const struct trap_frame *f, unsigned int vector)
{
	unsigned int kind = vector & 3;
	/* vectors.S: fault_entry put the frame on the fault stack, not where SP was. */
	uint64_t sp = vector == VECTOR_FAULT_STACK ? cpu_fault_entry_sp() : f->sp;
	const struct vcpu *vcpu = vcpu_of_pcpu(arch_cpu_index());
	unsigned int reports;
	bool halt;
	char far[48];

	/* Before anything that may wait: nobody waits for a lock this CPU holds now. */
	owned_locks_lost();
	cell_locks_lost();
	/* It may have come from inside the console, with this CPU holding its lock. */
	reports = console_panic_enter();
	if (reports > FAULT_REPORTS_MAX)
		park_unreported(reports);
	/*
	 * Before the boot is done no cell runs, and none will: the boot stops.
	 * After, no other cell runs or prints once the report begins.
	 */
	halt = kind == VECTOR_SERROR && serror_uncontainable(f->esr) && !fault_stops_boot();
	if (halt)
		halt_begin();
	log_err("unexpected exception on CPU %u: %s, %s", arch_cpu_index(), vector_kind[kind],
		vector_source[vector >> 2]);
	if (kind == VECTOR_SYNC || kind == VECTOR_SERROR)
		report_syndrome(f->esr);
	if (vector == VECTOR_FAULT_STACK)
		report_overflow(f, sp);
	log_err("  ELR_EL2 0x%lx%s SPSR_EL2 0x%lx", (unsigned long)f->elr,
		far_text(f, kind, far, sizeof(far)), (unsigned long)f->spsr);
	report_registers(f, sp);
	if (fault_stops_boot())
		boot_stopped_here();
	if (halt)
		halt_uncontainable();
	if (!vcpu) {
		cell_cpu_lost(); /* the cells whose locks it held, if any */
		log_err("CPU %u parked; the other CPUs run on", arch_cpu_index());
		console_flush();
		arch_cpu_park();
	}
	log_err("CPU %u parked; it ran vcpu%u of cell %s", arch_cpu_index(), vcpu->index,
		vcpu->cell->cfg->label);
	console_flush();
	arch_cpu_park_lost();
}

void __cold exception_cpu_lost(void)
{
	cell_cpu_lost();
	console_flush();
	arch_cpu_park();
}

/*
 * Without a vCPU (early boot, CPU 0 of no cell) there is no cell to fail,
 * and maybe no private stack for arch_cpu_park_lost() to move to.
 */
void __cold arch_cpu_park_after_fault(void)
{
	const struct vcpu *vcpu = vcpu_of_pcpu(arch_cpu_index());

	owned_locks_lost();
	cell_locks_lost();
	if (fault_stops_boot())
		boot_stopped_here();
	if (vcpu)
		arch_cpu_park_lost();
	cell_cpu_lost(); /* the cells whose locks it held, if any */
	arch_cpu_park();
}

/*
 * An SError that was pending at EL2, taken in arch_vcpu_enter()'s window
 * before @vcpu's boot is entered: not that boot's, whose first instruction
 * has not run. Told, and the entry goes on; what caused it is gone with the
 * boot before, or was the hypervisor's own access. Once per vCPU and boot at
 * most (vcpu_enters_new_boot()), and not in a restart storm's boots, whose
 * other lines are left out too (cell_boot_quiet()).
 */
static void __cold report_stale_serror(const struct trap_frame *f, const struct vcpu *vcpu)
{
	char detail[ESR_DESCRIBE_MAX];

	if (cell_boot_quiet(vcpu->cell, vcpu->cell->boots))
		return;

	if (esr_describe_iss(f->esr, detail, sizeof(detail)) <= 0)
		detail[0] = '\0';
	log_warn("CPU %u: an SError pending from before boot #%lu of cell %s (ESR_EL2 0x%08lx%s%s) "
		 "was taken at EL2 before that boot's first instruction: not charged to it",
		 arch_cpu_index(), (unsigned long)vcpu->cell->boots, vcpu->cell->cfg->label,
		 (unsigned long)f->esr, detail[0] ? ": " : "", detail);
}

static bool from_guest(unsigned int vector)
{
	unsigned int source = vector >> 2;

	return source == VECTOR_SOURCE_LOWER_A64 || source == VECTOR_SOURCE_LOWER_A32;
}

/*
 * Every exit from a guest starts with vgic_hw_sync() (what the guest did with
 * its list registers, into the vGIC model) and every return to it ends with
 * vgic_hw_flush() (what is pending now, into the list registers): whatever
 * the trap or interrupt changed reaches the guest on this very entry.
 */
/*
 * A waiter's BRK for a lock whose holder was lost (include/spinlock.h): no
 * fault of its own, and no report; lost as after one, unless it was already.
 */
static void __cold __attribute__((noreturn)) waiter_lost(void)
{
	if (cell_cpu_waits_lost()) {
		if (vcpu_of_pcpu(arch_cpu_index()))
			arch_cpu_park_lost(); /* its cell's loss, on a fresh stack */
		cell_cpu_lost();	      /* the cells whose locks it held, if any */
	}
	console_flush();
	arch_cpu_park();
}

/* A BRK of spin_lost_trap() (include/spinlock.h): its comment in ISS[15:0]. */
static bool esr_is_spin_lost_trap(uint64_t esr)
{
	return esr_ec(esr) == ESR_EC_BRK64 && (esr_iss(esr) & 0xffff) == SPIN_WAIT_LOST_BRK;
}

/*
 * Taken in arch_serror_take_for()'s window, right after this CPU quiesced a
 * cell's devices (partitions/cell.c): that cell's, not the cell whose CPU
 * this is, which would take it at its next guest entry as its own fault and
 * answer for it with its on-fault policy (until 2026-11-25: a management
 * cell's CPU carrying another cell's deferred stop).
 */
static void __cold serror_of_quiesce(const struct trap_frame *f)
{
	cell_serror_quiesced(arch_serror_window_cell(), f, serror_uncontainable(f->esr));
}

void exception_dispatch(struct trap_frame *frame, unsigned int vector)
{
	struct vcpu *vcpu = vcpu_of_pcpu(arch_cpu_index());
	unsigned int kind = vector & 3;
	bool guest = from_guest(vector) && vcpu;

	if (guest)
		vgic_hw_sync(vcpu);
	/*
	 * A vCPU turned off whose kick did not reach it (cell_wait_vcpus_out()) leaves here.
	 * An SError it brings is the guest's, and told; its cell is being stopped or restarted.
	 */
	if (guest && __atomic_load_n(&vcpu->power, __ATOMIC_ACQUIRE) == VCPU_OFF) {
		if (kind == VECTOR_SERROR && serror_uncontainable(frame->esr))
			guest_serror_uncontainable(vcpu, frame);
		if (kind == VECTOR_SERROR)
			guest_serror_stopping(vcpu, frame);
		arch_vcpu_exit_to_loop();
	}
	/*
	 * Physical IRQs, taken at EL2 since gic_cpu_init() set HCR_EL2.IMO
	 * (gic/irq.c); FIQs: the hypervisor's own Group 0 interrupts on the
	 * CPUs of a direct-mode cell (HCR_EL2.FMO, gic/vgic_direct.c).
	 */
	if (kind == VECTOR_IRQ || kind == VECTOR_FIQ) {
		irq_handle();
	} else if (!guest && kind == VECTOR_SYNC && esr_is_spin_lost_trap(frame->esr)) {
		waiter_lost();
	} else if (guest && kind == VECTOR_SYNC) {
		guest_trap_sync(vcpu, frame);
	} else if (guest && kind == VECTOR_SERROR && esr_serror_recoverable(frame->esr)) {
		guest_serror_recovered(vcpu, frame);
	} else if (guest && kind == VECTOR_SERROR && serror_uncontainable(frame->esr)) {
		guest_serror_uncontainable(vcpu, frame);
	} else {
		/*
		 * An SError from the guest is its own asynchronous external
		 * abort (a write the bus refused, an error in its memory),
		 * which nothing below the cell can emulate or contain.
		 */
		if (guest && kind == VECTOR_SERROR)
			guest_trap_unhandled(vcpu, frame);
		if (!guest && kind == VECTOR_SERROR && arch_serror_window_cell()) {
			serror_of_quiesce(frame);
			return;
		}
		if (!guest && kind == VECTOR_SERROR && vcpu && arch_vcpu_serror_window() &&
		    !serror_uncontainable(frame->esr)) {
			report_stale_serror(frame, vcpu);
			return;
		}
		report_unexpected(frame, vector);
	}
	if (guest)
		vgic_hw_flush(vcpu);
}
