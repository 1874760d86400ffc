// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which SMCs a cell makes are answered and which are refused and reported
 * (partitions/hypercall.c, hypercall_smc(); arch/arm64/guest_trap.c reports
 * a refusal). A conforming guest probes the services Arm defines for every
 * platform (Linux asks TRNG_VERSION at each boot over its PSCI conduit):
 * those get NOT_SUPPORTED as from firmware without them, and no report. A
 * call for a specific firmware (SiP, OEM, Trusted OS), Bulkhead's own over
 * smc and a malformed ID are refused and reported. Over hvc, Bulkhead's own
 * calls reach their handlers (hypercall_dispatch()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "cell.h"
#include "hypercall.h"
#include "manage.h"
#include "shm.h"

#define PSCI_FN_BASE 0x84000000U /* functions 0..31: partitions/vpsci.c */

static struct cell cell;
static struct vcpu vcpu = { .cell = &cell };

/* --- what hypercall.c calls -------------------------------------------------- */

static unsigned int psci_walks; /* vpsci_call() calls: each ID that went the long way */

/* PSCI answers its own range (functions 0..31), as vpsci.c does. */
int vpsci_call(struct vcpu *v, struct smccc_regs *regs)
{
	(void)v;
	psci_walks++;
	if (((uint32_t)regs->a[0] & 0xbfffffe0U) != PSCI_FN_BASE)
		return 0;
	regs->a[0] = 0;
	return 1;
}

/* Which of Bulkhead's own handlers the last call reached. */
static const char *handler;

void manage_hypercall(struct vcpu *v, struct smccc_regs *regs)
{
	assert_ptr_equal(v, &vcpu);
	handler = "manage";
	regs->a[0] = 0;
}

void shm_doorbell_hypercall(struct vcpu *v, struct smccc_regs *regs)
{
	assert_ptr_equal(v, &vcpu);
	handler = "doorbell";
	regs->a[0] = 0;
}

void watchdog_kick(struct cell *c)
{
	assert_ptr_equal(c, &cell);
	handler = "watchdog";
}

/* What the CPU needs (arch/arm64/spectre.c): _1 mitigated (0), _2 not needed (1), _3 absent. */
int64_t arch_spectre_guest_feature(uint32_t fid)
{
	return fid == SMCCC_ARCH_WORKAROUND_1 ? 0 : fid == SMCCC_ARCH_WORKAROUND_2 ? 1 : -1;
}

/* --- helpers ------------------------------------------------------------------ */

struct answer {
	bool answered;
	int64_t x0;
};

static struct answer smc(uint32_t fid)
{
	struct smccc_regs regs = { .a = { fid, ~0ULL, ~0ULL, ~0ULL } };
	struct answer a;

	a.answered = hypercall_smc(&vcpu, &regs);
	a.x0 = (int64_t)regs.a[0];
	return a;
}

static void assert_unsupported_not_reported(uint32_t fid)
{
	struct answer a = smc(fid);

	if (!a.answered)
		fail_msg("SMC 0x%08x, a standard service's, would be reported as refused", fid);
	assert_int_equal(a.x0, -1);
}

static void assert_refused(uint32_t fid)
{
	struct answer a = smc(fid);

	if (a.answered)
		fail_msg("SMC 0x%08x was answered, not refused", fid);
	assert_int_equal(a.x0, -1);
}

/* --- tests -------------------------------------------------------------------- */

static void test_standard_secure_services_get_not_supported_unreported(void **state)
{
	(void)state;
	assert_unsupported_not_reported(0x84000050); /* TRNG_VERSION: Linux at every boot */
	assert_unsupported_not_reported(0xc4000053); /* TRNG_RND64 */
	assert_unsupported_not_reported(0x84000020); /* SDEI_VERSION */
	assert_unsupported_not_reported(0xc4000021); /* SDEI_EVENT_REGISTER, SMC64 */
	assert_unsupported_not_reported(0x8400ffff); /* the range's last */
}

static void test_other_architecture_and_standard_hyp_calls_get_not_supported(void **state)
{
	(void)state;
	assert_unsupported_not_reported(0xc0000000); /* an SMC64 architecture call */
	assert_unsupported_not_reported(0x80000002); /* SMCCC_ARCH_SOC_ID: SMC32, answered */
	assert_unsupported_not_reported(0xc5000020); /* PV_TIME_FEATURES */
	assert_unsupported_not_reported(0x85000000);
}

static void test_calls_for_a_specific_firmware_are_refused(void **state)
{
	(void)state;
	assert_refused(0xc2000000); /* SiP */
	assert_refused(0x82000010);
	assert_refused(0xc3000000); /* OEM */
	assert_refused(0xc1000000); /* CPU service */
	assert_refused(0xf2000000); /* Trusted OS */
	assert_refused(0xb0000000); /* Trusted application */
	assert_refused(0xc6000001); /* Bulkhead's own: over hvc only */
	assert_refused(0x87000000); /* vendor EL3 monitor */
	assert_refused(0x88000000); /* reserved OEN 8 */
}

static void test_yielding_and_malformed_standard_ids_are_refused(void **state)
{
	(void)state;
	assert_refused(0x04000050); /* TRNG_VERSION as a yielding call */
	assert_refused(0x84010050); /* bits 23:16 set */
	assert_refused(0xc4ff0000);
	assert_refused(0xffffffff);
}

static void test_psci_and_smccc_version_are_answered(void **state)
{
	struct answer a = smc(0x80000000);

	(void)state;
	assert_true(a.answered);
	assert_int_equal(a.x0, 0x10001);
	a = smc(0x84000000);
	assert_true(a.answered);
	assert_int_equal(a.x0, 0);
}

/*
 * The SMCCC architecture calls: SMCCC_ARCH_FEATURES answers for itself,
 * SMCCC_VERSION and each workaround (what the CPU needs, as its own value);
 * a workaround call answers 0 where FEATURES says it is there, else
 * NOT_SUPPORTED, as any other ID of the range does.
 */
static void test_smccc_architecture_calls_answer_as_features_says(void **state)
{
	static const struct {
		uint32_t fid;
		uint64_t a1;
		int64_t x0;
	} calls[] = {
		{ SMCCC_ARCH_FEATURES, SMCCC_VERSION, 0 },
		{ SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0 },
		{ SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0 },
		{ SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_2, 1 },
		{ SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_3, -1 },
		{ SMCCC_ARCH_FEATURES, 0x80000002, -1 },
		{ SMCCC_VERSION, 0, 0x10001 },
		{ SMCCC_ARCH_WORKAROUND_1, 0, 0 },
		{ SMCCC_ARCH_WORKAROUND_2, 0, 0 },
		{ SMCCC_ARCH_WORKAROUND_3, 0, -1 },
		{ 0x80000002, 0, -1 },
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct smccc_regs regs = { .a = { calls[i].fid, calls[i].a1 } };

		assert_true(hypercall_smc(&vcpu, &regs));
		if ((int64_t)regs.a[0] != calls[i].x0)
			fail_msg("0x%08x (x1 0x%llx) answered %lld, want %lld", calls[i].fid,
				 (unsigned long long)calls[i].a1, (long long)regs.a[0],
				 (long long)calls[i].x0);
	}
}

/* Over hvc the same IDs get the same answer (no report there). */
static void test_hvc_answers_standard_services_as_smc_does(void **state)
{
	struct smccc_regs regs = { .a = { 0x84000050 } };

	(void)state;
	hypercall_dispatch(&vcpu, &regs);
	assert_int_equal((int64_t)regs.a[0], -1);
}

/*
 * hypercall_dispatch() answers an ID outside the ranges it serves before the
 * walk through them: whatever that walk (hypercall_smc(), unchanged) would
 * answer, it answers, in every register, for every ID but Bulkhead's own.
 */
static void test_hvc_answers_every_other_id_as_the_full_walk_does(void **state)
{
	static const uint32_t lows[] = { 0x0, 0x1, 0x9, 0x1f, 0x20, 0x50, 0x7fff, 0x8000, 0xffff };
	struct smccc_regs fast, walked;
	uint32_t hi, fid;
	unsigned int i, r;

	(void)state;
	for (hi = 0; hi <= 0xffff; hi++) {
		if (hi << 16 == BULKHEAD_HC_BASE)
			continue;
		for (i = 0; i < sizeof(lows) / sizeof(lows[0]); i++) {
			fid = hi << 16 | lows[i];
			fast = (struct smccc_regs){ .a = { fid, 0x1111, 0x2222, 0x3333 } };
			walked = fast;
			hypercall_dispatch(&vcpu, &fast);
			(void)hypercall_smc(&vcpu, &walked);
			for (r = 0; r < 4; r++)
				if (fast.a[r] != walked.a[r])
					fail_msg("hvc 0x%08x: x%u = 0x%llx, the full walk gives "
						 "0x%llx",
						 fid, r, (unsigned long long)fast.a[r],
						 (unsigned long long)walked.a[r]);
		}
	}
}

/* The bench's unknown ID, yielding, malformed and other owners' IDs: no PSCI walk. */
static void test_an_id_nothing_serves_is_refused_before_the_psci_walk(void **state)
{
	static const uint32_t unserved[] = {
		0xc6ff0000, /* the bench's hvc_roundtrip: OEN 6, bits 23:16 set */
		0x04000050, /* yielding */
		0x84010050, /* bits 23:16 set */
		0xc2000000, /* SiP */
		0xc5000020, /* standard hypervisor service (PV time) */
		0xf2000000, /* Trusted OS */
	};
	struct smccc_regs regs;
	unsigned int i, walks;

	(void)state;
	for (i = 0; i < sizeof(unserved) / sizeof(unserved[0]); i++) {
		regs = (struct smccc_regs){ .a = { unserved[i] } };
		walks = psci_walks;
		hypercall_dispatch(&vcpu, &regs);
		assert_int_equal((int64_t)regs.a[0], -1);
		if (psci_walks != walks)
			fail_msg("hvc 0x%08x went through the PSCI walk", unserved[i]);
	}
	regs = (struct smccc_regs){ .a = { 0x84000000 } }; /* PSCI_VERSION still does */
	walks = psci_walks;
	hypercall_dispatch(&vcpu, &regs);
	assert_int_equal(psci_walks, walks + 1);
}

/*
 * Bulkhead's own calls, over hvc, reach their handlers with the caller's vCPU
 * (or cell); an ID of the range that names none is NOT_SUPPORTED, reaching none.
 */
static void test_bulkhead_calls_over_hvc_reach_their_handlers(void **state)
{
	static const struct {
		uint32_t fid;
		const char *handler;
	} calls[] = {
		{ BULKHEAD_HC_WDT_KICK, "watchdog" },  { BULKHEAD_HC_CELL_COUNT, "manage" },
		{ BULKHEAD_HC_CELL_STATUS, "manage" }, { BULKHEAD_HC_CELL_STOP, "manage" },
		{ BULKHEAD_HC_CELL_START, "manage" },  { BULKHEAD_HC_CELL_RESTART, "manage" },
		{ BULKHEAD_HC_DOORBELL, "doorbell" },  { BULKHEAD_HC_BASE + 0x3, NULL },
		{ BULKHEAD_HC_BASE + 0xffff, NULL },
	};
	struct smccc_regs regs = { .a = { BULKHEAD_HC_CELL_INFO, ~0ULL, ~0ULL, ~0ULL } };

	(void)state;
	cell = (struct cell){ .id = 3, .nr_vcpus = 2, .boots = 5 };
	hypercall_dispatch(&vcpu, &regs);
	assert_int_equal(regs.a[0], 0);
	assert_int_equal(regs.a[1], 3);
	assert_int_equal(regs.a[2], 2);
	assert_int_equal(regs.a[3], 5);
	regs = (struct smccc_regs){ .a = { BULKHEAD_HC_VERSION } };
	hypercall_dispatch(&vcpu, &regs);
	assert_int_equal(regs.a[0], 0);
	assert_int_equal(regs.a[1], 1);
	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		regs = (struct smccc_regs){ .a = { calls[i].fid } };
		handler = NULL;
		hypercall_dispatch(&vcpu, &regs);
		if (calls[i].handler ? !handler || strcmp(handler, calls[i].handler)
				     : handler != NULL)
			fail_msg("hvc 0x%08x reached %s, not %s", calls[i].fid,
				 handler ? handler : "no handler",
				 calls[i].handler ? calls[i].handler : "none");
		assert_int_equal((int64_t)regs.a[0], calls[i].handler ? 0 : -1);
	}
	cell = (struct cell){ 0 };
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_standard_secure_services_get_not_supported_unreported),
		cmocka_unit_test(test_other_architecture_and_standard_hyp_calls_get_not_supported),
		cmocka_unit_test(test_calls_for_a_specific_firmware_are_refused),
		cmocka_unit_test(test_yielding_and_malformed_standard_ids_are_refused),
		cmocka_unit_test(test_psci_and_smccc_version_are_answered),
		cmocka_unit_test(test_smccc_architecture_calls_answer_as_features_says),
		cmocka_unit_test(test_hvc_answers_standard_services_as_smc_does),
		cmocka_unit_test(test_hvc_answers_every_other_id_as_the_full_walk_does),
		cmocka_unit_test(test_an_id_nothing_serves_is_refused_before_the_psci_walk),
		cmocka_unit_test(test_bulkhead_calls_over_hvc_reach_their_handlers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
