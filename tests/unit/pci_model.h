/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_PCI_MODEL_H
#define BULKHEAD_TESTS_PCI_MODEL_H

/*
 * The functions behind the ECAM window, as the PCI pass-through tests
 * (test_pci_*.c) model them: pci_priv.h's config accessors are
 * pci_model.c's (partitions/ built with BULKHEAD_PCI_CFG_FAKE), so a BAR
 * answers a write of all ones with its sizing mask, a conventional function
 * ignores 0x100-0xfff and reads it as all ones (as QEMU's host bridge does),
 * and a function may alias 0x100-0xfff onto 0x000-0x0ff, as some devices do.
 * A function that resets itself does so at the write that starts the reset,
 * and a config request before the reset is over fails the test.
 */
#include <stdbool.h>
#include <stdint.h>

#include "pci_priv.h"

#define NR_BUSES  5
#define FLR_US	  100000 /* what a guest waits after an FLR before its next config request */
#define D3HOT_US  10000	 /* ... and after a change to or from D3hot */
#define DEVCTL	  (0x40 + PCI_EXP_DEVCTL)
#define DEVCAP	  (0x40 + PCI_EXP_DEVCAP)
#define DEV_STATE 0xa0 /* a vendor-specific register: what the guest programmed */

/* The counter, in us (pci_fixture.c's): a reset under way ends at a time of it. */
extern uint64_t now_us;

struct model_fn {
	bool present;
	bool conventional; /* 256 bytes of config space */
	uint32_t alias;	   /* not 0: offsets decode modulo it (0x100: 0x100-0xfff as 0x000-0x0ff) */
	uint32_t ro_at;	   /* and the two bytes there ignore writes, if not 0 */
	uint64_t reset_until; /* a reset under way: a config request before then aborts */
	uint32_t rebar_at;    /* a Resizable BAR capability for BAR0 here, if not 0 */
	uint32_t rebar_reset; /* the BAR Size (log2 MiB) a function reset puts back */
	uint32_t bar_mask[PCI_NR_BARS];
	/*
	 * The hypervisor's own resets (a stop's): if set, a write that starts
	 * one resets the function as hardware does (hw_reset()): Device
	 * Control's Initiate FLR with DEVCAP's FLR bit at the PCI Express
	 * capability (0x40), AF Control's at af_at, D3hot to D0 at pm_at with
	 * No_Soft_Reset clear; a change to or from D3hot takes 10 ms.
	 */
	bool resets_itself;
	uint32_t af_at, pm_at, aer_at;
	uint32_t flr_us;	/* how long its FLR takes, if not FLR_US */
	bool ur_in_reset;	/* a request in a reset reads all ones, instead of an abort */
	unsigned int nr_resets; /* hw_reset()s */
	uint8_t cs[ECAM_FN_SIZE];
};

/*
 * A reset of this function lands just before the next COMMAND write that
 * turns Memory or Bus Master on: an FLR completing between the hypervisor's
 * placement and its enable. 0xffff: none.
 */
extern uint16_t reset_before_enable;
/* Config requests made so far (reads and writes), and each one's size and alignment checked. */
extern unsigned int nr_cfg_requests;
/*
 * Reads of one register a test watches (UINT32_MAX: none): a capability list
 * that loops is read there again and again. Past a million, a walk that does
 * not end fails the test instead of hanging it.
 */
extern uint32_t watched_reg;
extern unsigned int nr_watched_reads;

/* Each test's start: no function anywhere, no request made, none watched, no reset due. */
void model_reset(void);
struct model_fn *fn_at(uint16_t bdf);
/* The device's own bytes at @reg of @bdf, as no config request reads or writes them. */
uint32_t dev_read(uint16_t bdf, uint32_t reg, unsigned int size);
void dev_write(uint16_t bdf, uint32_t reg, unsigned int size, uint32_t v);
/* An endpoint (or, with @header_type 1, a bridge) with no BARs and no capabilities. */
struct model_fn *add_fn(uint16_t bdf, uint8_t header_type);
/* BAR @i: its address bits @mask take a write; the rest (flags included) stay. */
void add_bar(uint16_t bdf, int i, uint32_t mask);
/* Capability @id at @at, linked at the head of the standard list. */
void add_cap(uint16_t bdf, uint8_t at, uint8_t id);
/* A PCI Express capability at 0x40 of device/port type @type. */
void add_pcie(uint16_t bdf, uint8_t type);
/* A bridge at @bdf to buses @sec..@sub: PCI Express of port type @type, or conventional (-1). */
void add_bridge(uint16_t bdf, int type, uint8_t sec, uint8_t sub);
/* An ACS capability at 0x100, the only extended one, offering @cap (Control 0). */
void add_acs(uint16_t bdf, uint16_t cap);
/* A function reset (FLR, D3hot to D0) puts ACS Control back to 0, as PCIe Base 6.6.2 says. */
void function_reset(uint16_t bdf);
/* @bdf's PowerState (PMCSR at its pm_at). */
uint32_t pm_state_of(uint16_t bdf);

#endif
