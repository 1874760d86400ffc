// SPDX-License-Identifier: GPL-2.0-only
/*
 * The two-level stream table (smmu/smmu_strtab.c, smmu_strtab_fit()),
 * against the SMMU model (smmu_model.h): chosen for streams beyond the
 * linear table, a level-2 table given to each range a cell uses, and the
 * SMMU told of each new L1STD.
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

#define SIDSIZE_16   16u
#define L1STD_L2_256 9u /* Span: 2^(9-1) = 256 STEs, SPLIT + 1 */

/* An SMMU with two-level tables (IDR0.ST_LEVEL 0b01), on, and the layout's streams up to @top. */
static void smmu_up_two_level(unsigned int sid_bits, uint32_t top)
{
	REG(SMMU_IDR0) |= IDR0_ST_LEVEL_2LVL << IDR0_ST_LEVEL_SHIFT;
	REG(SMMU_IDR1) = (REG(SMMU_IDR1) & ~IDR1_SIDSIZE_MASK) | sid_bits;
	smmu_up();
	assert_int_equal(smmu_strtab_fit(top), 0);
	nr_cmds = 0;
	fake_log_reset();
}

/*
 * A PCI function on bus 4 (RID = stream 0x418) is beyond the linear table.
 * The layout's streams go there: the stream table becomes two-level, its
 * range gets a level-2 table, the SMMU is told of the new L1STD with the STE
 * (CMD_CFGI_STE, Leaf 0), and of the next stream of the range with Leaf 1.
 * Until 2026-11-25 the stream was refused ("beyond the stream table (1024
 * streams)") and the cell not created.
 */
static void test_a_stream_above_1023_gets_a_level_2_table_and_its_l1std_invalidated(void **state)
{
	uint32_t cfg;

	(void)state;
	smmu_up_two_level(SIDSIZE_16, 0x419);
	cfg = REG(SMMU_STRTAB_BASE_CFG);
	if ((cfg & STRTAB_CFG_FMT_MASK) != STRTAB_BASE_CFG_FMT_2LVL || STRTAB_CFG_SPLIT(cfg) != 8 ||
	    STRTAB_CFG_LOG2SIZE(cfg) != SIDSIZE_16)
		fail_msg("STRTAB_BASE_CFG 0x%x: wanted FMT 2-level, SPLIT 8, LOG2SIZE 16", cfg);
	assert_true(REG(SMMU_CR0ACK) & CR0_SMMUEN);
	assert_true(gbpa_applied & GBPA_ABORT); /* what decided while SMMUEN was 0 */
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), 0);
	assert_cmd(0, CMD_CFGI_STE, 0x418);
	if (cmds[0].w1 & CMD1_LEAF)
		fail_msg("the new L1STD's CMD_CFGI_STE had Leaf 1: the SMMU may keep the invalid "
			 "L1STD it read");
	assert_int_equal(cmds[0].l1std & L1STD_SPAN_MASK, L1STD_L2_256);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	assert_cmd(1, CMD_SYNC, 0);
	assert_cmd(2, CMD_TLBI_S12_VMALL, 1);
	nr_cmds = 0;
	assert_int_equal(smmu_assign(&cells[0], 0x419, EDU_DEV), 0);
	assert_cmd(0, CMD_CFGI_STE, 0x419);
	assert_true(cmds[0].w1 & CMD1_LEAF);
	nr_cmds = 0;
	smmu_cell_resume(&cells[0]);
	assert_cmd(0, CMD_CFGI_STE, 0x418);
	assert_int_equal(cmds[0].ste0, STE0_S2_TRANS);
	assert_cmd(1, CMD_CFGI_STE, 0x419);
	assert_int_equal(cmds[1].ste0, STE0_S2_TRANS);
	assert_int_equal(ste_at(0x418)[3], arch_stage2_dma_ttbr(&cells[0]));
	assert_int_equal(ste_at(0x418)[2] & 0xffff, 1); /* S2VMID */
	assert_logged("I: alpha: SMMU: stream 0x418 translates through the cell's stage 2");
}

/*
 * A range with no stream of a cell has no level-2 table: its streams abort
 * with C_BAD_STREAMID, not recorded, as beyond a linear table; a stream of
 * a range with one and no owner has an invalid STE (C_BAD_STE, recorded).
 */
static void test_only_the_ranges_cells_use_have_level_2_tables(void **state)
{
	(void)state;
	smmu_up_two_level(SIDSIZE_16, 0x418);
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), 0);
	assert_int_equal(smmu_assign(&cells[1], 0x28, EDU_DEV), 0);
	assert_int_equal(REG(SMMU_CR2) & CR2_RECINVSID, 0);
	if (ste_at(0x518) || ste_at(0x118) || ste_at(0xffff))
		fail_msg("streams of ranges no cell uses have an STE: the SMMU reads it instead "
			 "of raising C_BAD_STREAMID");
	assert_int_equal(ste0_of(0x41b), 0);
	assert_int_equal(ste0_of(0x18), 0);
	assert_int_equal(ste0_of(0x28), STE0_ABORTS);
}

/* Events of streams in level-2 tables: an owned one's are its cell's, an unowned one is silenced.
 */
static uint32_t stream_0x418(unsigned int i)
{
	(void)i;
	return 0x418;
}

static uint32_t stream_0x41b(unsigned int i)
{
	(void)i;
	return 0x41b;
}

static void test_events_of_level_2_streams_find_their_cell_or_silence_them(void **state)
{
	(void)state;
	smmu_up_two_level(SIDSIZE_16, 0x418);
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), 0);
	smmu_cell_resume(&cells[0]);
	events(1, EVT_F_TRANSLATION, stream_0x418);
	assert_int_equal(smmu_faults[0], 1);
	assert_int_equal(policies[0], 1);
	events(64, EVT_C_BAD_STE, stream_0x41b);
	assert_logged("SMMU: stream 0x41b, owned by no cell, had 64 transactions aborted");
	assert_int_equal(ste0_of(0x41b), STE0_ABORTS);
	assert_int_equal(ste0_of(0x418), STE0_S2_TRANS);
}

/* The stream table has 4 level-2 tables: a fifth range's stream is refused, saying so. */
static void test_a_stream_of_a_fifth_range_is_refused(void **state)
{
	(void)state;
	smmu_up_two_level(SIDSIZE_16, 0x818);
	for (uint32_t sid = 0x418; sid <= 0x718; sid += 0x100)
		assert_int_equal(smmu_assign(&cells[sid & 0x100 ? 1 : 0], sid, EDU_DEV), 0);
	nr_cmds = 0;
	assert_int_equal(smmu_assign(&cells[0], 0x818, EDU_DEV), -ENOSPC);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x818 needs a level-2 stream "
		      "table for streams 0x800-0x8ff, and all 4 are given to other ranges");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_int_equal(nr_cmds, 0);
	assert_null(ste_at(0x818));
	/* smmu_ste_room() itself says no, not smmu_ste_take() after it. */
	assert_int_equal(smmu_ste_room("alpha", "00:03.0", 0x818), -ENOSPC);
	/* Nor is it silenced: it has no STE to abort with. */
	assert_int_equal(smmu_stream_silence(0x818), -EINVAL);
	assert_int_equal(smmu_strtab_l1[0x8], 0);
}

static void test_a_stream_beyond_the_smmus_stream_ids_is_refused(void **state)
{
	(void)state;
	smmu_up_two_level(12, 0x1018);
	assert_int_equal(STRTAB_CFG_LOG2SIZE(REG(SMMU_STRTAB_BASE_CFG)), 12);
	assert_int_equal(smmu_assign(&cells[0], 0x1018, EDU_DEV), -ERANGE);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x1018 is beyond the SMMU's "
		      "stream IDs (IDR1.SIDSIZE 12: streams below 0x1000)");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), 0);
}

/* The same of an SMMU of 31-bit stream IDs, the widest below 32 (whose IDs are all streams). */
static void test_a_stream_beyond_a_31_bit_smmus_stream_ids_is_refused(void **state)
{
	(void)state;
	smmu_up_two_level(31, 0x818);
	assert_int_equal(smmu_assign(&cells[0], 0x80000018, EDU_DEV), -ERANGE);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x80000018 is beyond the "
		      "SMMU's stream IDs (IDR1.SIDSIZE 31: streams below 0x80000000)");
}

/* An SMMU without two-level tables keeps the linear one: a stream beyond it is refused. */
static void test_an_smmu_without_two_level_tables_refuses_streams_above_1023(void **state)
{
	(void)state;
	smmu_up();
	assert_int_equal(smmu_strtab_fit(0x418), 0);
	assert_int_equal(REG(SMMU_STRTAB_BASE_CFG), STRTAB_BASE_CFG_FMT_LINEAR | 10);
	assert_int_equal(nr_cmds, 0);
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), -ERANGE);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x418 is beyond the stream "
		      "table (1024 streams, linear: the SMMU has no two-level table, IDR0.ST_LEVEL "
		      "0)");
	assert_int_equal(fake_log_count(LOG_ERR), 1);
}

/*
 * An SMMU of 10-bit stream IDs, two-level tables or not, has no stream the
 * linear table lacks: a layout naming 0x418 keeps the linear table, and the
 * stream is refused as beyond the SMMU's stream IDs. Until the review of
 * 2026-11-25 the table went two-level for nothing ("two-level ... below 0x400").
 */
static void test_an_smmu_of_ten_bit_streams_keeps_the_linear_table(void **state)
{
	(void)state;
	REG(SMMU_IDR0) |= IDR0_ST_LEVEL_2LVL << IDR0_ST_LEVEL_SHIFT;
	REG(SMMU_IDR1) = (REG(SMMU_IDR1) & ~IDR1_SIDSIZE_MASK) | 10;
	smmu_up();
	assert_int_equal(smmu_strtab_fit(0x418), 0);
	assert_int_equal(REG(SMMU_STRTAB_BASE_CFG), STRTAB_BASE_CFG_FMT_LINEAR | 10);
	assert_int_equal(nr_cmds, 0);
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), -ERANGE);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x418 is beyond the SMMU's "
		      "stream IDs (IDR1.SIDSIZE 10: streams below 0x400)");
}

/* Streams below 1024 keep the linear table, whatever the SMMU supports: nothing changes. */
static void test_streams_below_1024_keep_the_linear_table(void **state)
{
	(void)state;
	REG(SMMU_IDR0) |= IDR0_ST_LEVEL_2LVL << IDR0_ST_LEVEL_SHIFT;
	smmu_up();
	assert_int_equal(smmu_strtab_fit(0x3ff), 0);
	assert_int_equal(REG(SMMU_STRTAB_BASE_CFG), STRTAB_BASE_CFG_FMT_LINEAR | 10);
	assert_int_equal(nr_cmds, 0);
	assert_int_equal(smmu_assign(&cells[0], 0x3ff, EDU_DEV), 0);
	assert_int_equal(ste0_of(0x3ff), STE0_ABORTS);
}

/* A stop aborts the cell's own streams, in either table, and tells the SMMU of those only. */
static void test_a_stopped_cells_level_2_streams_abort(void **state)
{
	(void)state;
	smmu_up_two_level(SIDSIZE_16, 0x518);
	assert_int_equal(smmu_assign(&cells[0], 0x418, EDU_DEV), 0);
	assert_int_equal(smmu_assign(&cells[1], 0x518, EDU_DEV), 0);
	assert_int_equal(smmu_assign(&cells[0], 0x41c, EDU_DEV), 0);
	smmu_cell_resume(&cells[0]);
	smmu_cell_resume(&cells[1]);
	nr_cmds = 0;
	assert_int_equal(smmu_cell_abort(&cells[0]), 0);
	assert_cmd(0, CMD_CFGI_STE, 0x418);
	assert_int_equal(cmds[0].ste0, STE0_ABORTS);
	assert_cmd(1, CMD_CFGI_STE, 0x41c);
	assert_int_equal(cmds[1].ste0, STE0_ABORTS);
	assert_cmd(2, CMD_TLBI_S12_VMALL, 1);
	assert_cmd(3, CMD_SYNC, 0);
	assert_int_equal(nr_cmds, 4);
	assert_int_equal(ste0_of(0x518), STE0_S2_TRANS);
}

/*
 * smmu_ste_take() on its own (smmu_assign() asks smmu_ste_room() first):
 * with the four level-2 tables given, a fifth range gets none, and its
 * L1STD stays invalid; a stream beyond the table gets no STE, none at all
 * (not STE 0, not an L1STD past the level-1 table).
 */
static void test_a_stream_with_no_room_takes_no_ste(void **state)
{
	bool l1_new;

	(void)state;
	smmu_up_two_level(SIDSIZE_16, 0x818);
	for (uint32_t sid = 0x418; sid <= 0x718; sid += 0x100)
		assert_true(smmu_ste_take(sid, &l1_new) >= 0);
	assert_int_equal(smmu_ste_take(0x818, &l1_new), -ENOSPC);
	assert_false(l1_new);
	assert_int_equal(smmu_strtab_l1[0x8], 0);
	assert_int_equal(smmu_ste_take(0x10018, &l1_new), -ERANGE);
	assert_false(l1_new);
}

static void test_a_stream_beyond_a_linear_table_takes_no_ste(void **state)
{
	bool l1_new;

	(void)state;
	smmu_up();
	assert_int_equal(smmu_strtab_fit(0x418), 0);
	assert_int_equal(smmu_ste_take(0x418, &l1_new), -ERANGE);
	assert_int_equal(smmu_ste_take(0x3ff, &l1_new), 0x3ff);
}

/*
 * An SMMU of 32-bit stream IDs (IDR1.SIDSIZE 32) with a two-level table of
 * 16-bit ones: a stream the SMMU has but the table does not is refused as
 * beyond the table.
 */
static void test_a_stream_of_a_32_bit_smmu_beyond_the_table_is_refused(void **state)
{
	(void)state;
	smmu_up_two_level(32, 0x818);
	assert_int_equal(smmu_assign(&cells[0], 0x10018, EDU_DEV), -ERANGE);
	assert_logged("E: alpha: pci-devices: 00:03.0: SMMU stream 0x10018 is beyond the "
		      "two-level stream table (stream IDs below 0x10000)");
	assert_int_equal(smmu_ste_room("alpha", "00:03.0", 0x10018), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SMMU_TEST(test_a_stream_above_1023_gets_a_level_2_table_and_its_l1std_invalidated),
		SMMU_TEST(test_only_the_ranges_cells_use_have_level_2_tables),
		SMMU_TEST(test_events_of_level_2_streams_find_their_cell_or_silence_them),
		SMMU_TEST(test_a_stream_of_a_fifth_range_is_refused),
		SMMU_TEST(test_a_stream_beyond_the_smmus_stream_ids_is_refused),
		SMMU_TEST(test_a_stream_beyond_a_31_bit_smmus_stream_ids_is_refused),
		SMMU_TEST(test_an_smmu_without_two_level_tables_refuses_streams_above_1023),
		SMMU_TEST(test_a_stream_with_no_room_takes_no_ste),
		SMMU_TEST(test_a_stream_beyond_a_linear_table_takes_no_ste),
		SMMU_TEST(test_a_stream_of_a_32_bit_smmu_beyond_the_table_is_refused),
		SMMU_TEST(test_an_smmu_of_ten_bit_streams_keeps_the_linear_table),
		SMMU_TEST(test_streams_below_1024_keep_the_linear_table),
		SMMU_TEST(test_a_stopped_cells_level_2_streams_abort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
