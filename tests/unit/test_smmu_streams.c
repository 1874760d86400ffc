// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's SMMU streams (smmu/smmuv3.c), against the SMMU model
 * (smmu_model.h): given at boot, aborting while the cell stops or is
 * loaded, translating through its stage 2 again after, and refused when
 * the SMMU could not translate them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_log.h"
#include "smmu.h"
#include "smmu_fixture.h"

static void test_a_stopped_cells_streams_abort_with_entries_and_tlb_invalidated(void **state)
{
	(void)state;
	two_cells_with_streams();
	smmu_cell_abort(&cells[0]);
	/* The SMMU saw each STE already aborting when told to fetch it again, then VMID 1 and a
	 * sync. */
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_true(cmds[0].w1 & CMD1_LEAF);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	assert_cmd(1, CMD_CFGI_STE, 0x20);
	assert_int_equal(cmds[1].ste0, STE0_ABORTS);
	assert_cmd(2, CMD_TLBI_S12_VMALL, 1);
	assert_cmd(3, CMD_SYNC, 0);
	assert_int_equal(nr_cmds, 4);
	assert_int_equal(REG(SMMU_CMDQ_CONS), REG(SMMU_CMDQ_PROD));
	/* beta's stream is left alone, nobody's stream 0 too; alpha keeps its streams. */
	assert_int_equal(ste_at(0x28)[0], STE0_S2_TRANS);
	assert_int_equal(ste0_of(0), 0);
	assert_int_equal(smmu_owner[0x18], 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

static void test_a_restarted_cells_streams_translate_through_its_stage_2_again(void **state)
{
	uint64_t *ste;

	(void)state;
	two_cells_with_streams();
	ste = ste_at(0x20);
	smmu_cell_abort(&cells[0]);
	nr_cmds = 0;
	smmu_cell_resume(&cells[0]);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_int_equal(cmds[0].ste0, STE0_S2_TRANS);
	assert_cmd(1, CMD_CFGI_STE, 0x20);
	assert_int_equal(cmds[1].ste0, STE0_S2_TRANS);
	assert_cmd(2, CMD_TLBI_S12_VMALL, 1);
	assert_cmd(3, CMD_SYNC, 0);
	assert_int_equal(ste[2] & 0xffff, 1); /* S2VMID */
	assert_int_equal(ste[3], arch_stage2_dma_ttbr(&cells[0]));
	assert_int_equal(ste_at(0x28)[0], STE0_S2_TRANS);
}

/*
 * A stream given at boot aborts until its cell's first load is over, as it
 * does during every reload: a device firmware left running (platform
 * devices have no Bus Master bit to clear) writes nothing into memory being
 * scrubbed and loaded. The SMMU is told to fetch the aborting STE; the end
 * of the load (smmu_cell_resume()) lets it translate.
 */
static void test_a_stream_given_at_boot_aborts_until_its_cell_is_loaded(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, "devices: /dma@a000000"), 0);
	if (ste_at(0x18)[0] != STE0_ABORTS)
		fail_msg("alpha's stream 0x18, given and not loaded yet: STE word 0 0x%lx, wanted "
			 "0x%lx (V = 1, Config = abort)",
			 (unsigned long)ste_at(0x18)[0], (unsigned long)STE0_ABORTS);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	/* Words 1-7 are ready: the resume changes word 0 only. */
	assert_int_equal(ste_at(0x18)[3], arch_stage2_dma_ttbr(&cells[0]));
	nr_cmds = 0;
	smmu_cell_resume(&cells[0]);
	assert_cmd(0, CMD_CFGI_STE, 0x18);
	assert_int_equal(cmds[0].ste0, STE0_S2_TRANS);
	assert_cmd(1, CMD_TLBI_S12_VMALL, 1);
	assert_cmd(2, CMD_SYNC, 0);
}

static void test_a_cell_without_streams_stops_without_smmu_commands(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	smmu_cell_resume(&cells[0]);
	nr_cmds = 0;
	smmu_cell_abort(&cells[1]);
	smmu_cell_resume(&cells[1]);
	assert_int_equal(nr_cmds, 0);
	assert_int_equal(ste_at(0x18)[0], STE0_S2_TRANS);
}

/* The STE, its word 0, owner and commands left as they were: stream 0x18 was refused. */
static void assert_no_ste_for_0x18(void)
{
	if (ste_at(0x18)[0] != 0 || smmu_owner[0x18] != NO_OWNER || nr_cmds)
		fail_msg("refused stream 0x18: STE word 0 0x%lx, owner %u, %d command(s)",
			 (unsigned long)ste_at(0x18)[0], smmu_owner[0x18], nr_cmds);
}

static void test_a_stream_of_another_cell_is_refused_naming_device_and_cell(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[1], 0x18, "devices: /dma@a000000"), 0);
	fake_log_reset();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -EBUSY);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x18 already belongs to cell "
		      "\"beta\" (an SMMU stream serves one cell)");
	assert_int_equal(smmu_owner[0x18], 1);
}

static void test_a_cell_with_more_ipa_bits_than_the_smmu_takes_gets_no_ste(void **state)
{
	(void)state;
	/* A 48-bit-PA CPU's stage 2, a 44-bit SMMU without AArch32 tables: IAS 44. */
	vtcr = VTCR_48BIT;
	REG(SMMU_IDR5) = IDR5_GRAN4K | 4;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -ERANGE);
	assert_no_ste_for_0x18();
	assert_logged(
		"E: alpha: pci-devices: 00:03.0: SMMU stream 0x18 refused: the cell's stage 2 "
		"takes 48-bit IPAs "
		"(VTCR_EL2.T0SZ 16, from the CPU's PA size), the SMMU 44 at most (IAS 44 "
		"bits, from IDR5.OAS and IDR0.TTF): its STE would be illegal");
}

static void test_a_cell_whose_stage_2_table_is_above_the_smmus_output_gets_no_ste(void **state)
{
	(void)state;
	/* setup()'s SMMU: OAS 40 bits (IDR5.OAS 2); the tables at 1 TiB, bit 40 set. */
	dma_ttbr_base = 0x10000000000;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -ERANGE);
	assert_no_ste_for_0x18();
	assert_logged(
		"E: alpha: pci-devices: 00:03.0: SMMU stream 0x18 refused: the cell's stage-2 "
		"table is at PA "
		"0x10000000000, a 41-bit address, the SMMU outputs 40-bit PAs at most (OAS, "
		"IDR5.OAS 2): its STE would be illegal");
}

static void test_a_cell_whose_memory_is_above_the_smmus_output_gets_no_ste(void **state)
{
	(void)state;
	/* A second RAM region across 1 TiB: its last half lies beyond a 40-bit OAS. */
	cfgs[0].mem[1].ipa = 0x80000000;
	cfgs[0].mem[1].pa = 0xfff0000000;
	cfgs[0].mem[1].size = 0x20000000;
	cfgs[0].nr_mem = 2;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -ERANGE);
	assert_no_ste_for_0x18();
	assert_logged(
		"E: alpha: pci-devices: 00:03.0: SMMU stream 0x18 refused: the cell's memory at PA "
		"0xfff0000000+0x20000000 ends at 0x1000fffffff, a 41-bit address, the SMMU "
		"outputs 40-bit PAs at most (OAS, IDR5.OAS 2): its devices could not reach it");
}

/* The last page below 2^40 is within a 40-bit OAS: tables and memory that end there fit. */
static void test_tables_and_memory_up_to_the_smmus_last_output_address_get_an_ste(void **state)
{
	(void)state;
	dma_ttbr_base = 0x10000000000 - 0x10000;
	cfgs[0].mem[1].ipa = 0x80000000;
	cfgs[0].mem[1].pa = 0xfff0000000;
	cfgs[0].mem[1].size = 0x10000000;
	cfgs[0].nr_mem = 2;
	smmu_up();
	if (smmu_assign(&cells[0], 0x18, EDU_DEV))
		fail_msg("refused:\n%s", fake_log_text());
	assert_int_equal(ste_at(0x18)[3], dma_ttbr_base);
}

/* No STE while the SMMU is off, nor for a cell id past the layout's cells (no slot to track it). */
static void test_a_stream_needs_the_smmu_on_and_a_cell_id_the_layout_can_give(void **state)
{
	static struct cell last, past;

	(void)state;
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -ENODEV);
	smmu_up();
	assert_int_equal(ste0_of(0x18), 0);
	last = past = cells[1];
	last.id = LAYOUT_MAX_CELLS - 1;
	past.id = LAYOUT_MAX_CELLS;
	assert_int_equal(smmu_assign(&past, 0x30, EDU_DEV), -EINVAL);
	assert_int_equal(ste0_of(0x30), 0);
	assert_int_equal(smmu_assign(&last, 0x28, EDU_DEV), 0);
	smmu_cell_resume(&last);
	assert_int_equal(ste_at(0x28)[0], STE0_S2_TRANS);
	nr_cmds = 0;
	assert_int_equal(smmu_cell_abort(&past), 0); /* owns nothing: nothing to tell */
	assert_int_equal(nr_cmds, 0);
	assert_int_equal(smmu_cell_abort(&last), 0);
	assert_int_equal(ste_at(0x28)[0], STE0_ABORTS);
	assert_int_equal(ste0_of(0), 0); /* nobody's stream 0 untouched */
}

/* A stage 2 without a VTCR (not built) gives its streams no STE. */
static void test_a_cell_without_a_vtcr_gets_no_ste(void **state)
{
	(void)state;
	vtcr = 0;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -EINVAL);
	assert_no_ste_for_0x18();
	assert_logged("E: alpha: SMMU: the cell's stage 2 has no valid VTCR");
}

/*
 * The SMMU refuses the CMD_CFGI_STE of a new stream (here: finds it
 * illegal) or the TLB invalidation after it: the stream is refused, not
 * reported translating after a later command that went through.
 */
static void test_a_stream_whose_ste_invalidation_fails_is_refused(void **state)
{
	(void)state;
	smmu_up();
	bad_opcode = CMD_CFGI_STE;
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), -EIO);
	assert_int_equal(cmds_with(CMD_TLBI_S12_VMALL), 0);
	assert_not_logged("translates through the cell's stage 2");
	/* Nor when the TLB invalidation fails after it. */
	model_step();
	bad_opcode = CMD_TLBI_S12_VMALL;
	assert_int_equal(smmu_assign(&cells[1], 0x28, EDU_DEV), -EIO);
	assert_not_logged("translates through the cell's stage 2");
}

/*
 * A cell's list of streams holds CELL_STREAMS_MAX, all a layout gives one: a
 * stream past it is refused (a hypervisor bug: the layout never asks), one
 * the cell has already, stream 0 here, is given again without a second entry.
 */
static void test_a_cell_takes_streams_up_to_its_lists_size(void **state)
{
	(void)state;
	smmu_up();
	for (uint32_t sid = 0; sid < CELL_STREAMS_MAX; sid++) {
		nr_cmds = 0;
		assert_int_equal(smmu_assign(&cells[0], sid, EDU_DEV), 0);
	}
	assert_int_equal(smmu_assign(&cells[0], CELL_STREAMS_MAX, EDU_DEV), -ENOSPC);
	assert_logged("SMMU stream 0x48 refused: the cell has 72 streams, the most a layout gives "
		      "one");
	assert_int_equal(smmu_assign(&cells[0], 0, EDU_DEV), 0);
	assert_int_equal(smmu.cell_streams[0].n, CELL_STREAMS_MAX);
}

static void test_an_aarch32_capable_smmu_takes_40_bit_ipas_whatever_its_oas(void **state)
{
	(void)state;
	/* IHI 0070 §3.4: with AArch32 tables IAS = MAX(40, OAS): 40 bits on a 36-bit SMMU. */
	REG(SMMU_IDR0) |= IDR0_TTF_AARCH32 << IDR0_TTF_SHIFT;
	REG(SMMU_IDR5) = IDR5_GRAN4K | 1;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	assert_int_equal((ste_at(0x18)[2] >> STE2_VTCR_SHIFT) & STE_S2T0SZ_MASK, 24);
}

/* STE.S2PS (bits 50:48, VTCR_EL2.PS's place in the copied field) of stream @sid. */
static unsigned int ste_s2ps(uint32_t sid)
{
	return (unsigned int)(ste_at(sid)[2] >> (STE2_VTCR_SHIFT + 16)) & 7;
}

/*
 * A CPU with 44-bit PAs has VTCR_EL2.PS 44 bits (4), 40-bit IPAs (T0SZ 24);
 * the setup's SMMU outputs 40 bits (IDR5.OAS 2). An S2PS beyond OAS behaves
 * as OAS, but software must not rely on it (IHI 0070, STE.S2PS): the STE says
 * the SMMU's own size, and the cell's RAM is below it.
 */
static void test_a_stes_output_size_is_clamped_to_the_smmus_oas(void **state)
{
	(void)state;
	vtcr = (VTCR_40BIT & ~(7ULL << 16)) | 4ULL << 16;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	if (ste_s2ps(0x18) != 2)
		fail_msg("alpha's STE has S2PS %u, the SMMU's OAS is 2 (40 bits); VTCR_EL2.PS 4",
			 ste_s2ps(0x18));
	/* Stage 2 otherwise as the CPUs walk it: T0SZ, SL0, TG0 and the rest copied. */
	assert_int_equal((ste_at(0x18)[2] >> STE2_VTCR_SHIFT) & 0xffff, VTCR_40BIT & 0xffff);
}

/* On an SMMU of 48-bit output (IDR5.OAS 5) the STE keeps the CPU's 40-bit PS: no wider. */
static void test_a_stes_output_size_below_the_smmus_oas_is_the_cpus(void **state)
{
	(void)state;
	REG(SMMU_IDR5) = IDR5_GRAN4K | 5;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	if (ste_s2ps(0x18) != 2)
		fail_msg("alpha's STE has S2PS %u, VTCR_EL2.PS 2 (40 bits); the SMMU's OAS is 5",
			 ste_s2ps(0x18));
}

/* S2R: a stream's translation faults are recorded as events, told and counted as the cell's. */
static void test_a_cells_ste_records_its_faults(void **state)
{
	(void)state;
	two_cells_with_streams();
	for (uint32_t sid = 0x18; sid <= 0x28; sid += 8)
		if (!(ste_at(sid)[2] & STE2_S2R))
			fail_msg("the STE of stream 0x%x has S2R clear: its stage-2 faults would "
				 "terminate unrecorded, nobody told",
				 sid);
}

/*
 * An SMMU that consumes no command (its queue full of them): the cell's
 * streams must still all say abort in the table, and the caller must know the
 * SMMU may not have seen it, to keep the cell's memory as it is rather than
 * reload it under DMA that may still reach it.
 */
static void test_a_cell_whose_streams_cannot_be_aborted_is_told_so(void **state)
{
	int ret;

	(void)state;
	two_cells_with_streams();
	cmdq_stalled = true;
	model_write(SMMU_CMDQ_CONS, smmu.cmdq_prod ^ (1u << smmu.cmdq_log2)); /* full */
	ret = smmu_cell_abort(&cells[0]);
	if (ste_at(0x18)[0] != STE0_ABORTS || ste_at(0x20)[0] != STE0_ABORTS)
		fail_msg("alpha's STE word 0s are 0x%lx (0x18) and 0x%lx (0x20): not all abort",
			 (unsigned long)ste_at(0x18)[0], (unsigned long)ste_at(0x20)[0]);
	assert_int_equal(ret, -ETIMEDOUT);
	assert_int_equal(ste_at(0x28)[0], STE0_S2_TRANS); /* beta's */
	assert_logged("E: alpha: SMMU: aborting the cell's streams failed (-110)");
}

/*
 * A resume rewrites words 1-7 of its own STEs only: alpha's stream 0 keeps
 * alpha's VMID and tables when beta, one stream, is resumed.
 */
static void test_a_resume_rewrites_only_the_cells_own_stes(void **state)
{
	(void)state;
	two_cells_with_streams();
	assert_int_equal(smmu_assign(&cells[0], 0, EDU_DEV), 0);
	smmu_cell_resume(&cells[0]);
	smmu_cell_resume(&cells[1]);
	assert_int_equal(ste_at(0)[3], arch_stage2_dma_ttbr(&cells[0]));
	assert_int_equal(ste_at(0)[2] & 0xffff, cells[0].s2.vmid); /* S2VMID */
}

/* A resume the SMMU does not take (its queue full, nothing consumed) is told. */
static void test_a_resume_the_smmu_does_not_take_is_told(void **state)
{
	(void)state;
	two_cells_with_streams();
	smmu_cell_abort(&cells[0]);
	cmdq_stalled = true;
	model_write(SMMU_CMDQ_CONS, smmu.cmdq_prod ^ (1u << smmu.cmdq_log2)); /* full */
	fake_log_reset();
	smmu_cell_resume(&cells[0]);
	assert_logged("E: alpha: SMMU: re-enabling the cell's streams failed: its devices' DMA may "
		      "abort");
}

/*
 * Invalidating STE by STE fails (an illegal command): CMD_CFGI_ALL does the
 * job instead, followed by the TLB invalidation and the sync.
 */
static void test_a_failed_ste_invalidation_falls_back_to_cfgi_all(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	smmu_cell_resume(&cells[0]);
	nr_cmds = 0;
	fake_log_reset();
	bad_opcode = CMD_CFGI_STE;
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_int_equal(cmds_with(CMD_CFGI_ALL), 1);
	/* Then the VMID's TLB entries, then a sync: as after CMD_CFGI_STEs. */
	assert_true(nr_cmds >= 3);
	assert_cmd(nr_cmds - 3, CMD_CFGI_ALL, 0);
	assert_cmd(nr_cmds - 2, CMD_TLBI_S12_VMALL, cells[0].s2.vmid);
	assert_cmd(nr_cmds - 1, CMD_SYNC, 0);
	assert_int_equal(ste_at(0x18)[0], STE0_ABORTS);
	assert_cmdq_drained();
	assert_logged("W: alpha: SMMU: invalidating the cell's STEs failed (-5): CMD_CFGI_ALL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SMMU_TEST(test_a_stopped_cells_streams_abort_with_entries_and_tlb_invalidated),
		SMMU_TEST(test_a_restarted_cells_streams_translate_through_its_stage_2_again),
		SMMU_TEST(test_a_stream_given_at_boot_aborts_until_its_cell_is_loaded),
		SMMU_TEST(test_a_cell_without_streams_stops_without_smmu_commands),
		SMMU_TEST(test_a_cell_whose_streams_cannot_be_aborted_is_told_so),
		SMMU_TEST(test_a_failed_ste_invalidation_falls_back_to_cfgi_all),
		SMMU_TEST(test_a_resume_rewrites_only_the_cells_own_stes),
		SMMU_TEST(test_a_resume_the_smmu_does_not_take_is_told),
		SMMU_TEST(test_a_stream_of_another_cell_is_refused_naming_device_and_cell),
		SMMU_TEST(test_a_cell_with_more_ipa_bits_than_the_smmu_takes_gets_no_ste),
		SMMU_TEST(test_a_cell_whose_stage_2_table_is_above_the_smmus_output_gets_no_ste),
		SMMU_TEST(test_a_cell_whose_memory_is_above_the_smmus_output_gets_no_ste),
		SMMU_TEST(test_tables_and_memory_up_to_the_smmus_last_output_address_get_an_ste),
		SMMU_TEST(test_a_stream_needs_the_smmu_on_and_a_cell_id_the_layout_can_give),
		SMMU_TEST(test_a_cell_without_a_vtcr_gets_no_ste),
		SMMU_TEST(test_a_stream_whose_ste_invalidation_fails_is_refused),
		SMMU_TEST(test_a_cell_takes_streams_up_to_its_lists_size),
		SMMU_TEST(test_an_aarch32_capable_smmu_takes_40_bit_ipas_whatever_its_oas),
		SMMU_TEST(test_a_stes_output_size_is_clamped_to_the_smmus_oas),
		SMMU_TEST(test_a_stes_output_size_below_the_smmus_oas_is_the_cpus),
		SMMU_TEST(test_a_cells_ste_records_its_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
