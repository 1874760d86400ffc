// SPDX-License-Identifier: GPL-2.0-only
/* What the SMMUv3 driver's unit tests share (smmu_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "fake_cpus.h"
#include "fake_log.h"
#include "fault.h"
#include "gic.h"
#include "mmu.h"
#include "smmu.h"
#include "smmu_fixture.h"

static uint64_t now;

struct layout_cell cfgs[NR_CELLS];
struct cell cells[NR_CELLS];
struct platform plat;
int smmu_faults[NR_CELLS];
int last_boot_faults[NR_CELLS];
int unread_faults[NR_CELLS];
int policies[NR_CELLS];
char last_reason[128];
uint64_t last_addr;
bool last_has_addr;
uint64_t record_w1;
uint64_t record_w2_low;

/* --- what the driver links against ----------------------------------------- */

/*
 * Waits the driver makes, each a model step: far more than any bounded wait
 * needs (100 ms at 1 MHz) means it spins for ever, as on a lock a CPU lost.
 */
#define RELAX_LIMIT 10000000u
unsigned int relaxes;

unsigned int holder_lets_go_after;

void arch_cpu_relax(void)
{
	if (holder_lets_go_after && relaxes == holder_lets_go_after)
		owned_lock_release(&smmu.cmd_lock);
	if (++relaxes > RELAX_LIMIT)
		fail_msg("the driver waited %u times without end: spinning on the command queue's "
			 "lock?",
			 RELAX_LIMIT);
	model_step();
}

uint64_t arch_counter_read(void)
{
	return ++now;
}

uint64_t arch_counter_freq(void)
{
	return 1000000;
}

uint64_t image_end;

uint64_t mmu_image_end(void)
{
	return image_end;
}

int mmu_map_device(uint64_t base, uint64_t size)
{
	(void)base;
	(void)size;
	return 0;
}

void gic_eoi(uint32_t iar)
{
	(void)iar;
}

void gic_irq_set_edge(uint32_t intid)
{
	(void)intid;
}

void gic_irq_enable(uint32_t intid)
{
	(void)intid;
}

uint32_t set_pending;

void gic_irq_set_pending(uint32_t intid)
{
	set_pending = intid;
}

uint64_t vtcr = VTCR_40BIT;

uint64_t arch_stage2_vtcr(struct cell *cell)
{
	(void)cell;
	return vtcr;
}

uint64_t dma_ttbr_base = 0x48000000;

uint64_t arch_stage2_dma_ttbr(struct cell *cell)
{
	return dma_ttbr_base + 0x10000 * (uint64_t)cell->id;
}

struct cell *cell_get(unsigned int id)
{
	return id < NR_CELLS ? &cells[id] : NULL;
}

void (*while_reporting)(void);

/* What both reports of a cell's DMA fault leave for the test to look at. */
static void report_noted(uint64_t addr, bool has_addr, const char *reason)
{
	last_addr = addr;
	last_has_addr = has_addr;
	snprintf(last_reason, sizeof(last_reason), "%s", reason);
}

void fault_smmu(struct cell *cell, const char *event, uint32_t sid, uint64_t addr, bool has_addr,
		const char *reason)
{
	(void)event;
	(void)sid;
	report_noted(addr, has_addr, reason);
	smmu_faults[cell->id]++;
	if (while_reporting)
		while_reporting();
}

void fault_smmu_of_last_boot(struct cell *cell, const char *event, uint32_t sid, uint64_t addr,
			     bool has_addr, const char *reason)
{
	(void)event;
	(void)sid;
	report_noted(addr, has_addr, reason);
	last_boot_faults[cell->id]++;
}

void fault_smmu_unread(struct cell *cell)
{
	unread_faults[cell->id]++;
}

void (*before_policy)(const struct cell *cell);
uint64_t policy_boots[NR_CELLS];

void fault_policy_async(struct cell *cell, const char *why, uint64_t boot)
{
	(void)why;
	if (before_policy)
		before_policy(cell);
	/*
	 * As partitions/fault.c for on-fault restart: a cell not running
	 * (stopped, loading) is left alone. Its on-fault halt-system reaches a
	 * stop or restart under way (its on-fault stop too, to be queued:
	 * test_fault.c).
	 */
	if (cell->state != CELL_RUNNING &&
	    (cell->state == CELL_STOPPED || cell->cfg->on_fault != LAYOUT_ON_FAULT_HALT_SYSTEM))
		return;
	policies[cell->id]++;
	policy_boots[cell->id] = boot;
}

/* --- each test's start, and what several tests do ------------------------------ */

int smmu_test_setup(void **state)
{
	(void)state;
	model_reset();
	memset(&smmu, 0, sizeof(smmu));
	relaxes = 0;
	fake_cpus_reset(0);
	holder_lets_go_after = 0;
	memset(smmu_faults, 0, sizeof(smmu_faults));
	memset(last_boot_faults, 0, sizeof(last_boot_faults));
	memset(unread_faults, 0, sizeof(unread_faults));
	memset(policies, 0, sizeof(policies));
	memset(policy_boots, 0, sizeof(policy_boots));
	before_policy = NULL;
	last_reason[0] = 0;
	last_addr = 0;
	last_has_addr = false;
	record_w2_low = 0;
	vtcr = VTCR_40BIT;
	dma_ttbr_base = 0x48000000;
	image_end = 0x40400000;
	REG(SMMU_IDR0) = IDR0_S2P | (IDR0_TTF_AARCH64 << IDR0_TTF_SHIFT) | IDR0_COHACC;
	REG(SMMU_IDR1) = 16 | (8u << IDR1_CMDQS_SHIFT) | (7u << IDR1_EVENTQS_SHIFT);
	REG(SMMU_IDR5) = IDR5_GRAN4K | 2; /* OAS 40 bits */
	memset(&plat, 0, sizeof(plat));
	plat.smmu.present = true;
	plat.smmu.regs.base = (uintptr_t)model_regs;
	plat.smmu.regs.size = sizeof(model_regs);
	plat.smmu.eventq_irq = EVENTQ_INTID;
	strcpy(plat.smmu.path, "/smmuv3@9050000");
	for (unsigned int i = 0; i < NR_CELLS; i++) {
		memset(&cells[i], 0, sizeof(cells[i]));
		memset(&cfgs[i], 0, sizeof(cfgs[i]));
		strcpy(cfgs[i].label, i ? "beta" : "alpha");
		cells[i].cfg = &cfgs[i];
		cells[i].id = i;
		/* fault_policy_async() acts on a running cell only, which counted its boot. */
		cells[i].state = CELL_RUNNING;
		cells[i].boots = 1;
		cells[i].s2.vmid = (uint16_t)(i + 1);
		/* 256 MiB of RAM each, as a layout gives it: within any OAS. */
		cfgs[i].mem[0].ipa = 0x40000000;
		cfgs[i].mem[0].pa = 0x50000000 + 0x10000000 * (uint64_t)i;
		cfgs[i].mem[0].size = 0x10000000;
		cfgs[i].nr_mem = 1;
	}
	fake_log_reset();
	while_reporting = NULL;
	set_pending = 0;
	record_w1 = 0;
	return 0;
}

int smmu_test_teardown(void **state)
{
	(void)state;
	model_check_guarded();
	return 0;
}

void smmu_up(void)
{
	assert_int_equal(smmu_init(&plat), 0);
	nr_cmds = 0;
	fake_log_reset();
}

/* @n records written after those at @prod, not yet published: the PROD that would. */
static uint32_t write_records(uint32_t prod, unsigned int n, uint32_t type,
			      uint32_t (*sid_of)(unsigned int))
{
	for (unsigned int i = 0; i < n; i++) {
		uint64_t *e = &smmu_evtq[q_idx(prod, smmu.evtq_log2) * EVT_DWORDS];

		memset(e, 0, EVT_DWORDS * 8);
		e[0] = type | (uint64_t)sid_of(i) << EVT0_SID_SHIFT;
		e[1] = record_w1;
		e[2] = 0x4c100000 + 0x1000 * (uint64_t)i + record_w2_low;
		prod = q_inc(prod, smmu.evtq_log2);
	}
	return prod;
}

void put_records(unsigned int n, uint32_t type, uint32_t (*sid_of)(unsigned int))
{
	model_write(SMMU_EVENTQ_PROD, write_records(REG(SMMU_EVENTQ_PROD), n, type, sid_of));
}

void commit_records(unsigned int n, uint32_t type, uint32_t (*sid_of)(unsigned int))
{
	records_committed_prod = write_records(REG(SMMU_EVENTQ_PROD), n, type, sid_of);
	records_committed = true;
}

void events(unsigned int n, uint32_t type, uint32_t (*sid_of)(unsigned int))
{
	put_records(n, type, sid_of);
	assert_true(smmu_irq(EVENTQ_INTID, EVENTQ_INTID));
	/* Drained: and of whatever the SMMU wrote meanwhile too. */
	assert_int_equal(REG(SMMU_EVENTQ_CONS), REG(SMMU_EVENTQ_PROD));
}

void assert_cmd(int i, unsigned int opcode, uint32_t arg)
{
	if (i >= nr_cmds || (cmds[i].w0 & 0xff) != opcode || (uint32_t)(cmds[i].w0 >> 32) != arg)
		fail_msg("command %d: wanted opcode 0x%x with 0x%x, the SMMU got %s0x%lx (%d "
			 "commands)",
			 i, opcode, arg, i < nr_cmds ? "" : "nothing; last ",
			 (unsigned long)cmds[i < nr_cmds ? i : nr_cmds - 1].w0, nr_cmds);
}

void two_cells_with_streams(void)
{
	smmu_up();
	assert_int_equal(smmu_assign(&cells[0], 0x18, EDU_DEV), 0);
	assert_int_equal(smmu_assign(&cells[0], 0x20, EDU_DEV), 0);
	assert_int_equal(smmu_assign(&cells[1], 0x28, EDU_DEV), 0);
	smmu_cell_resume(&cells[0]);
	smmu_cell_resume(&cells[1]);
	nr_cmds = 0;
	fake_log_reset();
}

int cmds_with(unsigned int opcode)
{
	int n = 0;

	for (int i = 0; i < nr_cmds; i++)
		n += (cmds[i].w0 & 0xff) == opcode;
	return n;
}

void assert_cmdq_drained(void)
{
	uint32_t mask = (2u << smmu.cmdq_log2) - 1;

	if ((REG(SMMU_CMDQ_CONS) & mask) != REG(SMMU_CMDQ_PROD) ||
	    ((REG(SMMU_GERROR) ^ REG(SMMU_GERRORN)) & GERROR_CMDQ_ERR))
		fail_msg("command queue stuck: CONS 0x%x, PROD 0x%x, GERROR 0x%x, GERRORN 0x%x, "
			 "%d command error(s)",
			 REG(SMMU_CMDQ_CONS), REG(SMMU_CMDQ_PROD), REG(SMMU_GERROR),
			 REG(SMMU_GERRORN), cmd_errors);
}
