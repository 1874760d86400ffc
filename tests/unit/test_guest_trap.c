// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's synchronous traps as arch/arm64/guest_trap.c decodes them from
 * ESR_EL2, on a CPU the test plays (host_read_sysreg()) against stand-ins
 * that record what reached them (the emulated devices, the SMCCC handlers,
 * the vGIC, the fault reports and the injected exceptions):
 *   - a trapped data abort on an emulated device's page: the access replayed
 *     at its size, a load's register written as the instruction would
 *     (zero- or sign-extended, 32 or 64 bits), a big-endian one's bytes
 *     swapped; not without a valid syndrome or an IPA, nor on a stage-1
 *     walk, nor for a fault that is not the guest's: those are reported and
 *     the guest gets its abort, but for a DC by VA on a device (a no-op);
 *   - HVC #0 is a call, any other immediate NOT_SUPPORTED; an SMC is skipped,
 *     answered as over hvc, or refused (reported) with NOT_SUPPORTED;
 *   - MSR ICC_SGI1R_EL1 and co. to the vGIC (Rt's value), MRS of them reads 0;
 *   - WFI: not waited when the vGIC has something for the vCPU, waited to a
 *     deadline on a CPU with FEAT_WFxT, a direct cell's resumed at once;
 *   - an AArch32 instruction that failed its condition code check: a NOP.
 * tests/fuzz/fuzz_trap.c runs the same path on random syndromes; this says
 * what each decision does.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "cell.h"
#include "cpu_local.h"
#include "esr.h"
#include "fault.h"
#include "gic.h"
#include "guest_abort.h"
#include "hypercall.h"
#include "mmio.h"
#include "sysreg.h"
#include "sysreg_trap.h"
#include "trap_frame.h"
#include "vgic.h"
#include "vgic_hw.h"

#define GUEST_PC   0x40081000UL
#define DEVICE_IPA 0x09000000UL /* an emulated device's: mmio_device_name() names it */
#define RAM_IPA	   0x40200000UL
#define FREQ	   62500000UL /* CNTFRQ_EL0: 62.5 MHz, as QEMU's */

static struct cpu_local cpu;
static struct layout_cell cfg = { .label = "guest" };
static struct cell cell = { .cfg = &cfg };
static struct vcpu vcpu = { .cell = &cell, .index = 1 };

/* The CPU's registers the trap path reads. */
static uint64_t hpfar, sctlr, hcr = HCR_EL2_IMO, isar2, cntvct;

/* What reached the stand-ins. */
static struct {
	unsigned int mmio, reports, aborts, undefs, not_guests, smc_faults, sgi1r, sgi0r;
	unsigned int dispatches, smcs, sysregs, waits, irqs, releases, resumes, unhandled;
	struct mmio_access acc; /* the last mmio_emulate()'s */
	uint64_t sgi_value, wait_deadline, report_ipa;
	struct smccc_regs regs; /* what the last SMCCC handler was given */
} seen;

/* What the stand-ins answer. */
static uint64_t device_value; /* a device read's value */
static int device_ret;	      /* mmio_emulate()'s answer */
static bool smc_answered = true, vgic_pending;
static bool device_silent; /* a device read that leaves the value as it found it */
static jmp_buf resumed;	   /* guest_wfi_resume() and guest_trap_unhandled() do not return */

uint64_t host_read_sysreg(const char *name)
{
	if (!strcmp(name, "tpidr_el2"))
		return (uintptr_t)&cpu;
	if (!strcmp(name, "hpfar_el2"))
		return hpfar;
	if (!strcmp(name, "sctlr_el1"))
		return sctlr;
	if (!strcmp(name, "hcr_el2"))
		return hcr;
	if (!strcmp(name, SYS_ID_AA64ISAR2_EL1))
		return isar2;
	if (!strcmp(name, "cntvct_el0"))
		return cntvct;
	fail_msg("read of %s", name);
	return 0;
}

uint64_t arch_counter_freq(void)
{
	return FREQ;
}

int mmio_emulate(struct vcpu *v, struct mmio_access *acc)
{
	assert_ptr_equal(v, &vcpu);
	seen.mmio++;
	seen.acc = *acc;
	if (!acc->write && !device_silent)
		acc->value = device_value;
	return device_ret;
}

const char *mmio_device_name(const struct cell *c, uint64_t ipa)
{
	assert_ptr_equal(c, &cell);
	return ipa >> 12 == DEVICE_IPA >> 12 ? "the virtual UART" : NULL;
}

void guest_abort_report(struct vcpu *v, const struct trap_frame *f, uint64_t ipa)
{
	(void)v;
	(void)f;
	seen.reports++;
	seen.report_ipa = ipa;
}

void guest_abort_not_guests(struct vcpu *v, const struct trap_frame *f, uint64_t ipa,
			    struct tlb_conflict_streak *s)
{
	(void)v;
	(void)f;
	(void)ipa;
	assert_ptr_equal(s, &cpu.tlb_conflict);
	seen.not_guests++;
}

void guest_inject_abort(struct trap_frame *f, bool data)
{
	(void)f;
	(void)data;
	seen.aborts++;
}

void guest_inject_undef(struct trap_frame *f)
{
	(void)f;
	seen.undefs++;
}

void fault_undef(struct vcpu *v, const char *what, uint64_t pc)
{
	(void)v;
	(void)what;
	(void)pc;
}

void fault_smc(struct vcpu *v, uint64_t fid, unsigned int imm, uint64_t pc)
{
	(void)v;
	(void)fid;
	(void)imm;
	assert_int_equal(pc, GUEST_PC);
	seen.smc_faults++;
}

void hypercall_dispatch(struct vcpu *v, struct smccc_regs *regs)
{
	(void)v;
	seen.dispatches++;
	seen.regs = *regs;
	regs->a[0] = 0x600d;
	regs->a[3] = 0x3333;
}

bool hypercall_smc(struct vcpu *v, struct smccc_regs *regs)
{
	(void)v;
	seen.smcs++;
	seen.regs = *regs;
	regs->a[0] = smc_answered ? 0x600d : SMCCC_RET_NOT_SUPPORTED;
	return smc_answered;
}

void sysreg_trap(struct vcpu *v, struct trap_frame *f)
{
	(void)v;
	(void)f;
	seen.sysregs++;
}

void vgic_hw_sgi1r(struct vcpu *v, uint64_t value)
{
	(void)v;
	seen.sgi1r++;
	seen.sgi_value = value;
}

void vgic_hw_sgi0r(struct vcpu *v, uint64_t value)
{
	(void)v;
	seen.sgi0r++;
	seen.sgi_value = value;
}

bool vgic_has_pending(struct vgic_cell *v, unsigned int index)
{
	assert_ptr_equal(v, &cell.vgic);
	assert_int_equal(index, vcpu.index);
	assert_true(hcr & HCR_EL2_IMO); /* an emulated cell's: a direct cell's has no model */
	return vgic_pending;
}

void gic_cpuif_resync(void)
{
}

void host_wfit(uint64_t deadline)
{
	seen.waits++;
	seen.wait_deadline = deadline;
}

void irq_handle(void)
{
	seen.irqs++;
}

void vgic_hw_direct_release_hold(struct vcpu *v)
{
	assert_ptr_equal(v, &vcpu);
	seen.releases++;
}

void guest_wfi_resume(struct trap_frame *f, uint64_t deadline)
{
	(void)f;
	seen.resumes++;
	seen.wait_deadline = deadline;
	longjmp(resumed, 1);
}

void guest_trap_unhandled(struct vcpu *v, const struct trap_frame *f)
{
	(void)v;
	(void)f;
	seen.unhandled++;
	longjmp(resumed, 1);
}

/* --- the guest's side ------------------------------------------------------------ */

static int fresh(void **state)
{
	(void)state;
	memset(&cpu, 0, sizeof(cpu));
	memset(&seen, 0, sizeof(seen));
	hpfar = sctlr = isar2 = cntvct = 0;
	hcr = HCR_EL2_IMO;
	device_value = 0;
	device_ret = 0;
	device_silent = false;
	smc_answered = true;
	vgic_pending = false;
	return 0;
}

/*
 * A trap of ESR_EL2 @ec:@iss (IL 1) at GUEST_PC with PSTATE @spsr; x@rt holds
 * @val (rt 31: none), every other xN 0xa5a5a5a5_0000000N.
 */
static struct trap_frame trap_with(unsigned int ec, uint64_t iss, uint64_t spsr, unsigned int rt,
				   uint64_t val)
{
	struct trap_frame f = { .elr = GUEST_PC, .spsr = spsr, .far = 0 };

	f.esr = (uint64_t)ec << ESR_ELx_EC_SHIFT | ESR_ELx_IL | iss;
	for (unsigned int i = 0; i < 31; i++)
		f.x[i] = i == rt ? val : 0xa5a5a5a500000000UL | i;
	guest_trap_sync(&vcpu, &f);
	return f;
}

static struct trap_frame trap_at(unsigned int ec, uint64_t iss, uint64_t spsr, uint64_t far)
{
	struct trap_frame f = { .elr = GUEST_PC, .spsr = spsr, .far = far };

	f.esr = (uint64_t)ec << ESR_ELx_EC_SHIFT | ESR_ELx_IL | iss;
	for (unsigned int i = 0; i < 31; i++)
		f.x[i] = 0xa5a5a5a500000000UL | i;
	guest_trap_sync(&vcpu, &f);
	return f;
}

/* ISS of a data abort with a valid syndrome: SAS @size, register x@rt, translation fault. */
static uint64_t dabt_iss(unsigned int size, unsigned int rt, bool write)
{
	unsigned int sas = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;

	return ESR_ISS_DABT_ISV | (uint64_t)sas << ESR_ISS_DABT_SAS_SHIFT |
	       (uint64_t)rt << ESR_ISS_DABT_SRT_SHIFT | (write ? ESR_ISS_DABT_WNR : 0) | 0x07;
}

/* A data abort at DEVICE_IPA + @off, HPFAR_EL2 giving its page. */
static struct trap_frame device_abort(uint64_t iss, uint64_t spsr, uint64_t off)
{
	hpfar = (DEVICE_IPA >> 12) << 4;
	return trap_at(ESR_EC_DABT_LOW, iss, spsr, 0xffff000012345000UL | off);
}

/* The trap completed: past the instruction, nothing reported or injected. */
static void assert_completed(const struct trap_frame *f)
{
	assert_int_equal(f->elr, GUEST_PC + 4);
	assert_int_equal(seen.reports, 0);
	assert_int_equal(seen.aborts, 0);
	assert_int_equal(seen.undefs, 0);
}

/* The guest gets its abort, reported, the instruction not completed. */
static void assert_aborted(const struct trap_frame *f)
{
	assert_int_equal(f->elr, GUEST_PC);
	assert_int_equal(seen.reports, 1);
	assert_int_equal(seen.aborts, 1);
}

/* --- MMIO ------------------------------------------------------------------------- */

/*
 * A load writes its register only, with the device's bytes in the access's
 * size: zero-extended, sign-extended with SSE, to 32 bits for a W register
 * (SF 0); XZR is not written at all.
 */
static void test_a_device_load_is_sized_and_extended_as_the_instruction_says(void **state)
{
	static const struct {
		unsigned int size;
		uint64_t iss, device, want;
	} loads[] = {
		{ 1, ESR_ISS_DABT_SF, 0xfedcba9876543280UL, 0x80 },
		{ 1, ESR_ISS_DABT_SF | ESR_ISS_DABT_SSE, 0x80, 0xffffffffffffff80UL },
		{ 1, ESR_ISS_DABT_SF | ESR_ISS_DABT_SSE, 0x7f, 0x7f },
		{ 1, ESR_ISS_DABT_SSE, 0x80, 0xffffff80UL },
		{ 2, ESR_ISS_DABT_SF | ESR_ISS_DABT_SSE, 0x8001, 0xffffffffffff8001UL },
		{ 4, ESR_ISS_DABT_SF, 0x1234567887654321UL, 0x87654321UL },
		{ 4, ESR_ISS_DABT_SF | ESR_ISS_DABT_SSE, 0x80000000UL, 0xffffffff80000000UL },
		{ 8, ESR_ISS_DABT_SF, 0x8000000000000001UL, 0x8000000000000001UL },
		{ 8, ESR_ISS_DABT_SF | ESR_ISS_DABT_SSE, 0x8000000000000001UL,
		  0x8000000000000001UL },
	};
	struct trap_frame f;

	(void)state;
	for (unsigned int i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
		fresh(NULL);
		device_value = loads[i].device;
		f = device_abort(dabt_iss(loads[i].size, 7, false) | loads[i].iss, SPSR_M_EL1H,
				 0x18);
		assert_int_equal(seen.acc.ipa, DEVICE_IPA + 0x18);
		assert_int_equal(seen.acc.size, loads[i].size);
		assert_false(seen.acc.write);
		if (f.x[7] != loads[i].want)
			fail_msg("load %u: a %u-byte load of 0x%lx wrote 0x%lx, want 0x%lx", i,
				 loads[i].size, (unsigned long)loads[i].device,
				 (unsigned long)f.x[7], (unsigned long)loads[i].want);
		for (unsigned int r = 0; r < 31; r++)
			if (r != 7)
				assert_int_equal(f.x[r], 0xa5a5a5a500000000UL | r);
		assert_completed(&f);
	}
	/* A device that says nothing on a read: 0, not what the register or the stack held. */
	fresh(NULL);
	device_silent = true;
	f = device_abort(dabt_iss(8, 7, false) | ESR_ISS_DABT_SF, SPSR_M_EL1H, 0);
	assert_int_equal(f.x[7], 0);
	fresh(NULL);
	device_value = 0x42;
	f = device_abort(dabt_iss(4, 31, false) | ESR_ISS_DABT_SF, SPSR_M_EL1H, 0);
	for (unsigned int r = 0; r < 31; r++)
		assert_int_equal(f.x[r], 0xa5a5a5a500000000UL | r);
	assert_completed(&f);
}

/* A store gives the device its register's low bytes, in the access's size, and nothing more. */
static void test_a_device_store_gives_the_registers_bytes_in_its_size(void **state)
{
	static const struct {
		unsigned int size;
		uint64_t want;
	} stores[] = { { 1, 0x03 }, { 2, 0x0003 }, { 4, 0x00000003 }, { 8, 0xa5a5a5a500000003UL } };
	struct trap_frame f;

	(void)state;
	for (unsigned int i = 0; i < sizeof(stores) / sizeof(stores[0]); i++) {
		fresh(NULL);
		f = device_abort(dabt_iss(stores[i].size, 3, true), SPSR_M_EL1H, 0);
		assert_true(seen.acc.write);
		assert_int_equal(seen.acc.size, stores[i].size);
		assert_int_equal(seen.acc.value, stores[i].want);
		assert_int_equal(f.x[3], 0xa5a5a5a500000003UL);
		assert_completed(&f);
	}
	fresh(NULL);
	f = device_abort(dabt_iss(4, 31, true), SPSR_M_EL1H, 0); /* WZR */
	assert_int_equal(seen.acc.value, 0);
}

/*
 * A big-endian access (SCTLR_EL1.EE at EL1, E0E at EL0, PSTATE.E in AArch32)
 * sees the little-endian device's bytes reversed, both ways; a byte is a byte.
 */
static void test_a_big_endian_access_sees_the_devices_bytes_reversed(void **state)
{
	static const struct {
		uint64_t sctlr, spsr;
		unsigned int size;
		bool swapped;
	} cases[] = {
		{ SCTLR_EL1_EE, SPSR_M_EL1H, 4, true },
		{ SCTLR_EL1_EE, SPSR_M_EL1H, 2, true },
		{ SCTLR_EL1_EE, SPSR_M_EL1H, 8, true },
		{ SCTLR_EL1_EE, SPSR_M_EL1H, 1, false },
		{ SCTLR_EL1_EE, SPSR_M_EL0T, 4, false },
		{ SCTLR_EL1_E0E, SPSR_M_EL0T, 4, true },
		{ SCTLR_EL1_E0E, SPSR_M_EL1H, 4, false },
		{ 0, SPSR_M_AARCH32 | SPSR_A32_E, 4, true },
		{ SCTLR_EL1_EE, SPSR_M_AARCH32, 4, false },
	};
	static const uint64_t le[] = {
		[1] = 0x11, [2] = 0x1122, [4] = 0x11223344, [8] = 0x1122334455667788UL
	};
	static const uint64_t be[] = {
		[1] = 0x11, [2] = 0x2211, [4] = 0x44332211, [8] = 0x8877665544332211UL
	};
	struct trap_frame f;

	(void)state;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int size = cases[i].size;
		uint64_t want = cases[i].swapped ? be[size] : le[size];

		fresh(NULL);
		sctlr = cases[i].sctlr;
		device_value = le[size];
		f = device_abort(dabt_iss(size, 5, false) | ESR_ISS_DABT_SF, cases[i].spsr, 0);
		if (f.x[5] != want)
			fail_msg("case %u: a %u-byte load read 0x%lx, want 0x%lx", i, size,
				 (unsigned long)f.x[5], (unsigned long)want);
		fresh(NULL);
		sctlr = cases[i].sctlr;
		hpfar = (DEVICE_IPA >> 12) << 4;
		{
			struct trap_frame s = { .elr = GUEST_PC, .spsr = cases[i].spsr };

			s.esr = (uint64_t)ESR_EC_DABT_LOW << ESR_ELx_EC_SHIFT | ESR_ELx_IL |
				dabt_iss(size, 5, true);
			s.x[5] = le[size];
			guest_trap_sync(&vcpu, &s);
		}
		if (seen.acc.value != want)
			fail_msg("case %u: a %u-byte store gave the device 0x%lx, want 0x%lx", i,
				 size, (unsigned long)seen.acc.value, (unsigned long)want);
	}
}

/*
 * Nothing is replayed without a valid syndrome (ISV 0: the guest's abort),
 * on a stage-1 table walk, or without an IPA (a permission fault of the
 * access itself: HPFAR_EL2 UNKNOWN, the report says so); nor for a fault
 * that is not the guest's (an access flag fault: the hypervisor's tables).
 */
static void test_an_abort_without_syndrome_ipa_or_guest_fault_is_not_replayed(void **state)
{
	struct trap_frame f;

	(void)state;
	f = device_abort(dabt_iss(4, 1, false) & ~ESR_ISS_DABT_ISV, SPSR_M_EL1H, 0);
	assert_int_equal(seen.mmio, 0);
	assert_aborted(&f);

	fresh(NULL);
	f = device_abort(dabt_iss(4, 1, false) | ESR_ISS_DABT_S1PTW, SPSR_M_EL1H, 0);
	assert_int_equal(seen.mmio, 0);
	assert_aborted(&f);

	fresh(NULL);
	f = device_abort((dabt_iss(4, 1, true) & ~0x3fUL) | 0x0f, SPSR_M_EL1H, 0); /* permission */
	assert_int_equal(seen.mmio, 0);
	assert_aborted(&f);
	assert_int_equal(seen.report_ipa, FAULT_IPA_UNKNOWN);

	fresh(NULL);
	f = device_abort((dabt_iss(4, 1, false) & ~0x3fUL) | 0x0b, SPSR_M_EL1H,
			 0); /* access flag */
	assert_int_equal(seen.mmio, 0);
	assert_int_equal(seen.not_guests, 1);
	assert_int_equal(seen.aborts, 0);
	assert_int_equal(f.elr, GUEST_PC);

	fresh(NULL);
	f = device_abort(dabt_iss(4, 1, false), SPSR_M_EL1H, 0x24);
	assert_int_equal(seen.mmio, 1);
	assert_int_equal(seen.acc.ipa, DEVICE_IPA + 0x24);
	assert_int_equal(seen.not_guests, 0);
	assert_completed(&f);
}

/*
 * A fetch from a device's page is never replayed; an access the device
 * refuses (or no device's) is the guest's abort, reported with its IPA.
 */
static void test_a_fetch_or_a_refused_access_is_the_guests_abort(void **state)
{
	struct trap_frame f;

	(void)state;
	hpfar = (DEVICE_IPA >> 12) << 4;
	f = trap_at(ESR_EC_IABT_LOW, 0x07, SPSR_M_EL1H, 0x100);
	assert_int_equal(seen.mmio, 0);
	assert_aborted(&f);

	fresh(NULL);
	device_ret = -EINVAL;
	f = device_abort(dabt_iss(4, 1, false), SPSR_M_EL1H, 0x8);
	assert_int_equal(seen.mmio, 1);
	assert_aborted(&f);
	assert_int_equal(seen.report_ipa, DEVICE_IPA + 0x8);
	assert_int_equal(f.x[1], 0xa5a5a5a500000001UL);
}

/*
 * A DC by VA (CM 1, ISV 0) of a device's page completes as a no-op; of any
 * other page (RAM the cell does not have) it is the guest's abort.
 */
static void test_cache_maintenance_of_a_device_page_is_a_nop(void **state)
{
	struct trap_frame f;

	(void)state;
	f = device_abort(ESR_ISS_DABT_CM | ESR_ISS_DABT_WNR | 0x07, SPSR_M_EL1H, 0x40);
	assert_int_equal(seen.mmio, 0);
	assert_completed(&f);

	fresh(NULL);
	hpfar = (RAM_IPA >> 12) << 4;
	f = trap_at(ESR_EC_DABT_LOW, ESR_ISS_DABT_CM | ESR_ISS_DABT_WNR | 0x07, SPSR_M_EL1H, 0);
	assert_aborted(&f);
}

/* --- HVC and SMC ---------------------------------------------------------------- */

/* HVC #0 is an SMCCC call, x0-x3 in and out; another immediate is NOT_SUPPORTED, not a call. */
static void test_only_hvc_0_is_a_call(void **state)
{
	struct trap_frame f;

	(void)state;
	f = trap_at(ESR_EC_HVC64, 0, SPSR_M_EL1H, 0);
	assert_int_equal(seen.dispatches, 1);
	assert_int_equal(seen.regs.a[0], 0xa5a5a5a500000000UL);
	assert_int_equal(seen.regs.a[3], 0xa5a5a5a500000003UL);
	assert_int_equal(f.x[0], 0x600d);
	assert_int_equal(f.x[3], 0x3333);
	assert_int_equal(f.x[4], 0xa5a5a5a500000004UL);
	assert_int_equal(f.elr, GUEST_PC); /* an HVC's return address is the next instruction */

	fresh(NULL);
	f = trap_at(ESR_EC_HVC64, 0x1, SPSR_M_EL1H, 0);
	assert_int_equal(seen.dispatches, 0);
	assert_int_equal((int64_t)f.x[0], -1);
}

/*
 * An SMC is skipped, and answered as over hvc when hypercall_smc() takes it;
 * refused and reported, NOT_SUPPORTED in x0, when it does not or for an
 * immediate other than 0 (which no handler sees).
 */
static void test_an_smc_is_answered_or_refused_and_reported(void **state)
{
	struct trap_frame f;

	(void)state;
	f = trap_at(ESR_EC_SMC64, 0, SPSR_M_EL1H, 0);
	assert_int_equal(seen.smcs, 1);
	assert_int_equal(seen.smc_faults, 0);
	assert_int_equal(f.x[0], 0x600d);
	assert_int_equal(f.elr, GUEST_PC + 4);

	fresh(NULL);
	smc_answered = false;
	f = trap_at(ESR_EC_SMC64, 0, SPSR_M_EL1H, 0);
	assert_int_equal(seen.smc_faults, 1);
	assert_int_equal((int64_t)f.x[0], -1);
	assert_int_equal(f.elr, GUEST_PC + 4);

	fresh(NULL);
	f = trap_at(ESR_EC_SMC64, 0x7, SPSR_M_EL1H, 0);
	assert_int_equal(seen.smcs, 0);
	assert_int_equal(seen.smc_faults, 1);
	assert_int_equal((int64_t)f.x[0], -1);
}

/* --- SGIs -------------------------------------------------------------------------- */

static uint64_t sys_iss(uint32_t reg, unsigned int rt, bool read)
{
	uint32_t op0 = reg >> 14 & 3, op1 = reg >> 11 & 7, crn = reg >> 7 & 15;
	uint32_t crm = reg >> 3 & 15, op2 = reg & 7;

	return (uint64_t)op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | rt << 5 | crm << 1 |
	       (read ? ESR_ISS_SYS_DIR_READ : 0);
}

/*
 * MSR ICC_SGI1R_EL1 reaches the vGIC as SGI1R, ICC_SGI0R_EL1 and
 * ICC_ASGI1R_EL1 as SGI0R, with Rt's value; an MRS of one reads 0; any other
 * register goes to sysreg_trap().
 */
static void test_the_sgi_registers_reach_the_vgic(void **state)
{
	struct trap_frame f;

	(void)state;
	f = trap_at(ESR_EC_SYS64, sys_iss(ESR_SYSREG(3, 0, 12, 11, 5), 2, false), SPSR_M_EL1H, 0);
	assert_int_equal(seen.sgi1r, 1);
	assert_int_equal(seen.sgi0r, 0);
	assert_int_equal(seen.sgi_value, 0xa5a5a5a500000002UL);
	assert_int_equal(f.elr, GUEST_PC + 4);
	f = trap_at(ESR_EC_SYS64, sys_iss(ESR_SYSREG(3, 0, 12, 11, 7), 4, false), SPSR_M_EL1H, 0);
	f = trap_at(ESR_EC_SYS64, sys_iss(ESR_SYSREG(3, 0, 12, 11, 6), 4, false), SPSR_M_EL1H, 0);
	assert_int_equal(seen.sgi1r, 1);
	assert_int_equal(seen.sgi0r, 2);
	assert_int_equal(seen.sgi_value, 0xa5a5a5a500000004UL);
	f = trap_at(ESR_EC_SYS64, sys_iss(ESR_SYSREG(3, 0, 12, 11, 5), 6, true), SPSR_M_EL1H, 0);
	assert_int_equal(f.x[6], 0);
	assert_int_equal(seen.sgi1r + seen.sgi0r, 3);
	assert_int_equal(seen.sysregs, 0);
	f = trap_at(ESR_EC_SYS64, sys_iss(ESR_SYSREG(3, 0, 12, 11, 4), 6, false), SPSR_M_EL1H, 0);
	assert_int_equal(seen.sysregs, 1);
	assert_int_equal(seen.sgi1r + seen.sgi0r, 3);
}

/* --- WFI ---------------------------------------------------------------------------- */

/* FEAT_WFxT (ID_AA64ISAR2_EL1.WFxT 2) bounds a trapped WFI's wait to 10 ms; without, none. */
static void test_a_wfi_waits_at_most_10_ms_with_wfxt(void **state)
{
	(void)state;
	isar2 = 2;
	arch_cpu_wfi_setup();
	assert_int_equal(cpu.wfi_max_wait, FREQ / 100);
	isar2 = 3;
	arch_cpu_wfi_setup();
	assert_int_equal(cpu.wfi_max_wait, FREQ / 100);
	isar2 = 1;
	arch_cpu_wfi_setup();
	assert_int_equal(cpu.wfi_max_wait, 0);
}

/*
 * An emulated cell's WFI: completed at once when the vGIC has something for
 * the vCPU; else it waits (WFI; with FEAT_WFxT a WFIT to at most 10 ms
 * ahead, or the guest's own WFIT deadline) and takes the interrupt that
 * woke it. A deadline already past is no wait at all.
 */
static void test_a_wfi_waits_unless_something_is_pending_or_the_deadline_passed(void **state)
{
	struct trap_frame f;

	(void)state;
	vgic_pending = true;
	f = trap_at(ESR_EC_WFX, 0, SPSR_M_EL1H, 0);
	assert_int_equal(seen.waits, 0);
	assert_int_equal(f.elr, GUEST_PC + 4);

	vgic_pending = false;
	f = trap_at(ESR_EC_WFX, 0, SPSR_M_EL1H, 0);
	assert_int_equal(seen.waits, 1);
	assert_int_equal(seen.wait_deadline, 0); /* no FEAT_WFxT: a WFI */
	assert_int_equal(seen.irqs, 1);

	cpu.wfi_max_wait = 1000;
	cntvct = 5000;
	f = trap_at(ESR_EC_WFX, 0, SPSR_M_EL1H, 0);
	assert_int_equal(seen.waits, 2);
	assert_int_equal(seen.wait_deadline, 6000);
	assert_int_equal(seen.irqs, 2);

	/* WFIT x9 (TI 0b10, RV 1): the guest's deadline, 5000, is now: no wait. */
	f = trap_with(ESR_EC_WFX, ESR_ISS_WFX_TI_WFIT | ESR_ISS_WFX_RV | 9u << 5, SPSR_M_EL1H, 9,
		      5000);
	assert_int_equal(seen.waits, 2);
	assert_int_equal(f.elr, GUEST_PC + 4);
}

/* A direct cell's WFI (HCR_EL2.IMO clear): its held priority let go, resumed to wait itself. */
static void test_a_direct_cells_wfi_is_resumed_to_wait_itself(void **state)
{
	(void)state;
	hcr = 0;
	cpu.wfi_max_wait = 1000;
	cntvct = 5000;
	if (!setjmp(resumed))
		trap_at(ESR_EC_WFX, 0, SPSR_M_EL1H, 0);
	assert_int_equal(seen.releases, 1);
	assert_int_equal(seen.resumes, 1);
	assert_int_equal(seen.wait_deadline, 6000);
	assert_int_equal(seen.waits, 0);

	/* Its deadline past: no wait, back to the guest. */
	trap_with(ESR_EC_WFX, ESR_ISS_WFX_TI_WFIT | ESR_ISS_WFX_RV | 9u << 5, SPSR_M_EL1H, 9, 4999);
	assert_int_equal(seen.resumes, 1);
}

/*
 * An AArch32 WFI or coprocessor access that failed its condition code check
 * (CV 1, COND EQ with Z 0) is a NOP: skipped, not waited, not UNDEFINED; one
 * that passed is.
 */
static void test_an_aarch32_instruction_failing_its_condition_is_a_nop(void **state)
{
	uint64_t eq = ESR_ISS_CV | 0u << ESR_ISS_COND_SHIFT, spsr = SPSR_M_AARCH32 | 0x10;
	struct trap_frame f;

	(void)state;
	f = trap_at(ESR_EC_WFX, eq, spsr, 0);
	assert_int_equal(seen.waits, 0);
	assert_int_equal(f.elr, GUEST_PC + 4);
	f = trap_at(ESR_EC_CP15_32, eq, spsr, 0);
	assert_int_equal(seen.undefs, 0);
	assert_int_equal(f.elr, GUEST_PC + 4);

	f = trap_at(ESR_EC_WFX, eq, spsr | 1UL << 30, 0); /* Z 1: EQ holds */
	assert_int_equal(seen.waits, 1);
	f = trap_at(ESR_EC_CP15_32, eq, spsr | 1UL << 30, 0);
	assert_int_equal(seen.undefs, 1);
	assert_int_equal(f.elr, GUEST_PC);
}

/*
 * EC 0x0a (LD64B and co., PSB/TSB CSYNC) and 0x14 (MRRS/MSRR) are UNDEFINED
 * for the guest; an exception class nothing handles goes to
 * guest_trap_unhandled() (the cell's fault policy), not to the guest.
 */
static void test_other_trapped_instructions_are_undefined_and_the_rest_unhandled(void **state)
{
	struct trap_frame f;

	(void)state;
	f = trap_at(ESR_EC_OTHER, 0x2, SPSR_M_EL1H, 0);
	assert_int_equal(seen.undefs, 1);
	assert_int_equal(f.elr, GUEST_PC);
	f = trap_at(ESR_EC_SYS128, sys_iss(ESR_SYSREG(3, 0, 2, 0, 0), 0, true), SPSR_M_EL1H, 0);
	assert_int_equal(seen.undefs, 2);
	assert_int_equal(seen.unhandled, 0);
	if (!setjmp(resumed))
		trap_at(0x3d, 0, SPSR_M_EL1H, 0);
	assert_int_equal(seen.unhandled, 1);
	assert_int_equal(seen.undefs, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_a_device_load_is_sized_and_extended_as_the_instruction_says, fresh),
		cmocka_unit_test_setup(test_a_device_store_gives_the_registers_bytes_in_its_size,
				       fresh),
		cmocka_unit_test_setup(test_a_big_endian_access_sees_the_devices_bytes_reversed,
				       fresh),
		cmocka_unit_test_setup(
			test_an_abort_without_syndrome_ipa_or_guest_fault_is_not_replayed, fresh),
		cmocka_unit_test_setup(test_a_fetch_or_a_refused_access_is_the_guests_abort, fresh),
		cmocka_unit_test_setup(test_cache_maintenance_of_a_device_page_is_a_nop, fresh),
		cmocka_unit_test_setup(test_only_hvc_0_is_a_call, fresh),
		cmocka_unit_test_setup(test_an_smc_is_answered_or_refused_and_reported, fresh),
		cmocka_unit_test_setup(test_the_sgi_registers_reach_the_vgic, fresh),
		cmocka_unit_test_setup(test_a_wfi_waits_at_most_10_ms_with_wfxt, fresh),
		cmocka_unit_test_setup(
			test_a_wfi_waits_unless_something_is_pending_or_the_deadline_passed, fresh),
		cmocka_unit_test_setup(test_a_direct_cells_wfi_is_resumed_to_wait_itself, fresh),
		cmocka_unit_test_setup(test_an_aarch32_instruction_failing_its_condition_is_a_nop,
				       fresh),
		cmocka_unit_test_setup(
			test_other_trapped_instructions_are_undefined_and_the_rest_unhandled,
			fresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
