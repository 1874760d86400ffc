/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_PCI_FIXTURE_H
#define BULKHEAD_TESTS_PCI_FIXTURE_H

/*
 * What the PCI pass-through tests (test_pci_*.c, a topic each) share: the
 * rest of the hypervisor as partitions/pci*.c sees it (the counter and the
 * CPU's waits, the host bridge's window, two cells and their stage 2, the
 * SMMU's streams), each test's fresh start, the guest's ECAM accesses, and
 * the functions and checks several topics start from. The functions behind
 * the ECAM window are pci_model.h's.
 */
#include <stdbool.h>
#include <stdint.h>

#include "cell.h"
#include "pci.h"
#include "pci_model.h"

#define ECAM	 0x4010000000ULL
#define WIN_BASE 0x10000000ULL
#define WIN_SIZE 0x2eff0000ULL
#define NR_CELLS 3
#define GAMMA	 2 /* the third cell, whose id is the layout's last: LAYOUT_MAX_CELLS - 1 */
#define MAX_SIDS 16

extern bool relax_waits; /* arch_cpu_relax() is a wait for time to pass, not a lock's spin */
/* Interrupts that arrive while a vCPU waits out its guest's reset: at these times (us). */
extern uint64_t irqs_at[4];
extern unsigned int nr_irqs_at, irqs_taken;

extern struct platform plat;
extern struct layout_cell cfgs[NR_CELLS];
extern struct cell cells[NR_CELLS];
extern uint32_t sids[MAX_SIDS]; /* the streams smmu_assign() took, in order */
extern int nr_sids;
extern int sid_result; /* what smmu_assign() answers: 0, or its refusal */
extern const char board_fdt[];
/* The host's window in PCI addresses (its CPU addresses are WIN_BASE): a test may move it. */
extern uint64_t win_pci_base;
extern int win_result; /* what platform_pcie_mem32_window() answers */
/* cell_storm.c's: the cell's next boot is one of a restart storm's, told about as one. */
extern bool storm_boot;

/*
 * Each cell's stage 2, as ranges: like the real one (arch/arm64/stage2.c, a
 * tree with no_replace), it refuses with -EEXIST, nothing written, a range
 * of which any page is already mapped.
 */
struct s2_range {
	uint64_t ipa, size;
	bool device;
};
/* The range of cell @c's stage 2 that overlaps [@ipa, @ipa + @size), or NULL. */
const struct s2_range *s2_overlap(unsigned int c, uint64_t ipa, uint64_t size);
int s2_map(unsigned int c, uint64_t ipa, uint64_t size, bool device);

/*
 * Each test's start: no function, three cells given none, nothing logged:
 * alpha and beta (ids 0 and 1), gamma (GAMMA: id LAYOUT_MAX_CELLS - 1, so
 * that what runs over every cell id reaches the last). cells[c] is cell @c
 * to the helpers below, whatever its id.
 */
int setup(void **state);
/* Cell @c is given the function at @bdf. */
void give(unsigned int c, uint16_t bdf);
/* Cell @c built: pci_cell_create() on the board's host bridge. */
int create(unsigned int c);
/* The guest of cell @c accesses @bdf's config space through the ECAM window. */
int guest_access(unsigned int c, uint16_t bdf, uint32_t reg, unsigned int size, bool write,
		 uint32_t *value);
/* ... a write, or a read, that the hypervisor must answer (0, not an abort). */
void guest_write(unsigned int c, uint16_t bdf, uint32_t reg, unsigned int size, uint32_t v);
uint32_t guest_read(unsigned int c, uint16_t bdf, uint32_t reg, unsigned int size);

/* --- what several topics start from ------------------------------------------------------ */

#define EDU	    0x0018	/* 00:03.0 */
#define EDU_FN1	    0x0019	/* 00:03.1 */
#define PLACED_BAR0 0x10000000u /* the window's first page: where alpha's BAR0 goes */
#define MPS_256	    (1u << 5)

/* alpha owns @bdf, a PCI Express endpoint with a 1 MiB BAR0 (not created yet). */
void pcie_endpoint_in_alpha(uint16_t bdf);
/* alpha starts an FLR of 00:03.0 (Device Control bit 15, passed on); the device resets. */
void guest_flr_of_edu(void);
/* @bdf's COMMAND is @want after @after, or the test fails saying what it is. */
void assert_command(uint16_t bdf, uint32_t want, const char *after);

#define AER		0x100
#define AER_UNCOR_MASK	0x00400000u /* as firmware set them */
#define AER_UNCOR_SEVER 0x00462030u
#define AER_COR_MASK	0x00002000u
#define AER_CAP_ECRC	0x000001a0u /* ECRC generation and check enabled, and capable */

/* alpha owns 00:03.0, a PCIe endpoint with AER as firmware set it, created. */
void aer_endpoint_in_alpha(void);
/* 00:03.0's AER masks, severities and ECRC control are firmware's after @after. */
void assert_aer_as_firmware_left_it(const char *after);

/* PCI Express device/port types (Capabilities Register bits 7:4). */
#define ROOT_PORT	0x4
#define DOWNSTREAM_PORT 0x6

/* Bridge @bdf forwards [@start, @end) (1 MiB granules), as firmware's enumeration left it. */
void open_window(uint16_t bdf, uint64_t start, uint64_t end);
/* Two root ports, buses 1 and 2, each with a 1 MiB-BAR endpoint: firmware's windows. */
void two_root_ports(void);
/*
 * A switch below root port 00:01.0: upstream port 01:00.0, downstream ports
 * 02:00.0 (bus 3) and 02:01.0 (bus 4), a PCI Express endpoint on each.
 */
void one_switch(void);

#define ACS_SV	   (1u << 0)
#define ACS_ALL	   (ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)
#define ACS_NEEDED (PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

/* 00:03.0 to alpha, 00:03.1 to beta; PCIe functions with ACS offering @acs, or conventional. */
void split_device(bool pcie, int acs);
/* @bdf's ACS Control, as the device holds it. */
uint16_t acs_ctrl(uint16_t bdf);

/* An Enhanced Allocation capability at 0x60 with one entry (4 dwords), DW0 @dw0. */
void add_ea(uint16_t bdf, uint32_t dw0);
/* alpha owns the edu, a PCIe endpoint with an Enhanced Allocation entry 0, disabled. */
void ea_endpoint_in_alpha(void);

#define PM	0x50 /* the Power Management capability */
#define PM_CTRL (PM + PCI_PM_CTRL)

/* alpha owns 00:03.0, a PCIe endpoint with a Power Management capability, created. */
void resettable_endpoint_in_alpha(void);
/* alpha's guest reads 00:03.0 as absent, and its writes reach nothing: it is still resetting. */
void assert_closed_to_the_guest(void);
/* 00:03.0's PME_En is clear after @after. */
void assert_pme_enable_clear(const char *after);

#define AF	0x60 /* an Advanced Features capability */
#define AF_CTRL (AF + PCI_AF_CTRL)
#define AF_TP	0x1u /* AF Capabilities: Transactions Pending */

/* A conventional function (no PCI Express capability) whose AF Capabilities are @caps. */
void conventional_endpoint_with_af_in_alpha(uint8_t caps);

/* --- the hypervisor's own resets (a stop's, the first boot's, a reload's) ------------------- */

#define GUEST_RING 0x48001000u /* there: a ring in its memory, DMA target of the old boot */
#define DEVCTL_FW  (MPS_256 | PCI_EXP_DEVCTL_ERR_EN) /* firmware's Device Control */
#define REBAR	   0x140
#define LOAD_US	   30000 /* how long the cells' loads take, after the resets began */

/*
 * 00:03.0 in alpha: a PCIe endpoint with FLR, firmware's Device Control,
 * AER and a Resizable BAR (1 MiB; 16 MiB after a reset), its guest's BARs
 * enabled and a ring programmed.
 */
void flr_endpoint_in_alpha(void);
/* Cell @c's guest turns @bdf on and programs a ring (GUEST_RING) into it. */
void guest_programs(unsigned int c, uint16_t bdf);
/* The cell stops (or reloads): its quiesce, waiting as long as the resets take. */
void stop_cell(unsigned int c);
/* @bdf offers an FLR (Device Capabilities), and resets when one is started. */
void offers_flr(uint16_t bdf);
/* flr_endpoint_in_alpha()'s function after @after: what the hypervisor owns, as placed. */
void assert_given_back(const char *after);
/*
 * 00:03.0 in cell @c, created: a PCIe endpoint with a PM capability whose
 * PMCSR says No_Soft_Reset @nsr, with FLR if @flr.
 */
void pm_endpoint_in(unsigned int c, bool nsr, bool flr);
void pm_endpoint_in_alpha(bool nsr, bool flr);

#endif
