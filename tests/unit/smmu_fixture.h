/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_SMMU_FIXTURE_H
#define BULKHEAD_TESTS_SMMU_FIXTURE_H

/*
 * What the SMMUv3 driver's unit tests (test_smmu_*.c) share: the rest of
 * the hypervisor as the driver sees it (two cells, the platform, their
 * stage-2 tables, fault reports), each test's fresh start, and the steps
 * and checks several of them take. The SMMU itself is smmu_model.h's.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/vcpu.h"
#include "cell.h"
#include "platform.h"
#include "smmu_model.h"

#define EDU_DEV	     "pci-devices: 00:03.0" /* what a stream is for, as pci.c names it */
#define EVENTQ_INTID 106
#define GERROR_INTID 107
#define NR_CELLS     2

extern struct layout_cell cfgs[NR_CELLS];
extern struct cell cells[NR_CELLS];
extern struct platform plat;
extern int smmu_faults[NR_CELLS];	/* fault_smmu() calls */
extern int last_boot_faults[NR_CELLS];	/* fault_smmu_of_last_boot() calls */
extern int unread_faults[NR_CELLS];	/* fault_smmu_unread() calls */
extern int policies[NR_CELLS];		/* fault_policy_async() calls */
extern uint64_t policy_boots[NR_CELLS]; /* ... the boot the last one named */
/* Called as each fault_policy_async() begins, after the queue's lock was let go (NULL: none). */
extern void (*before_policy)(const struct cell *cell);
extern char last_reason[128]; /* fault_smmu()'s, last */
extern uint64_t last_addr;    /* ... its address, and whether it had one */
extern bool last_has_addr;
/* Word 1 of the records put_records() writes (S2, CLASS, RnW): 0 unless a test says. */
extern uint64_t record_w1;
/* Bits put_records() sets in word 2 below the page address (F_BAD_ATS_TREQ's Span, ...). */
extern uint64_t record_w2_low;
/* The driver's waits so far (arch_cpu_relax() calls), each a model step. */
extern unsigned int relaxes;
/* A live holder of the command queue's lock lets it go after this many waits (0: never). */
extern unsigned int holder_lets_go_after;
/* Where the image ends (_end): within the setup's 40-bit OAS unless a test moves it. */
extern uint64_t image_end;
extern uint32_t set_pending; /* the last INTID gic_irq_set_pending() was given */

#define VTCR_40BIT 0x80023558 /* T0SZ 24, SL0 1, WB inner shareable, 4 KiB, PS 40 bits */
#define VTCR_48BIT 0x80053590 /* T0SZ 16, SL0 2, WB inner shareable, 4 KiB, PS 48 bits */
extern uint64_t vtcr;
/* Where the cells' stage-2 tables are: cell N's at dma_ttbr_base + N * 64 KiB. */
extern uint64_t dma_ttbr_base;
/* What the SMMU does while the driver reports a cell's fault (a test's device that goes on). */
extern void (*while_reporting)(void);

/* Each test's start: an SMMU with stage 2, off; two cells of 256 MiB, no stream given. */
int smmu_test_setup(void **state);
/* Each test's end: no register written since the last model step while it was RO. */
int smmu_test_teardown(void **state);
#define SMMU_TEST(f) cmocka_unit_test_setup_teardown(f, smmu_test_setup, smmu_test_teardown)

/* The SMMU on, as at boot, with nothing consumed or logged yet. */
void smmu_up(void);
/* The SMMU writes @n records of type @type for the streams @sid_of(i) gives... */
void put_records(unsigned int n, uint32_t type, uint32_t (*sid_of)(unsigned int));
/*
 * The same committed, not yet visible: published as the SMMU consumes the
 * next CMD_SYNC (records_committed, smmu_model.h).
 */
void commit_records(unsigned int n, uint32_t type, uint32_t (*sid_of)(unsigned int));
/* ... then interrupts, and the driver drains them. */
void events(unsigned int n, uint32_t type, uint32_t (*sid_of)(unsigned int));
/* Command @i is @opcode with @arg (stream or VMID) in word 0's upper half. */
void assert_cmd(int i, unsigned int opcode, uint32_t arg);
/* As at boot: alpha given streams 0x18 and 0x20, beta 0x28, both loaded. */
void two_cells_with_streams(void);
/* How many of the commands the SMMU consumed have @opcode. */
int cmds_with(unsigned int opcode);
/* The SMMU consumed every command and has no command error active. */
void assert_cmdq_drained(void);

#endif
