/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What partitions/pci.c (BAR placement, streams, at cell creation) and
 * partitions/pci_config.c (config-space emulation, at run time) share: the
 * PCI register names, each cell's functions and the ECAM accessors.
 */
#ifndef BULKHEAD_PCI_PRIV_H
#define BULKHEAD_PCI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "layout.h"
#include "platform.h"
#include "spinlock.h"

struct cell;

#define PCI_VENDOR_ID	     0x00
#define PCI_COMMAND	     0x04
#define PCI_STATUS	     0x06
#define PCI_STATUS_CAP_LIST  (1u << 4)
#define PCI_STATUS_IMM_READY (1u << 0) /* Immediate Readiness: no wait after a reset */
#define PCI_HEADER_TYPE	     0x0e
#define PCI_HEADER_MULTI_FN  0x80u   /* function 0: the device has others */
#define PCI_CLASS_DEVICE     0x0a    /* Class Code's sub-class, then its base class */
#define PCI_CLASS_HOST_BR    0x0600u /* base class 06h (bridge), sub-class 00h (host) */
#define PCI_BAR0	     0x10
#define PCI_NR_BARS	     6
#define PCI_ROM_ADDRESS	     0x30
#define PCI_CAP_PTR	     0x34
#define PCI_CAP_FIRST	     0x40 /* capabilities live in 0x40-0xff */
#define PCI_CAP_EA	     0x14 /* Enhanced Allocation: ranges enabled by a bit, some writable */
#define PCI_CAP_PM	     0x01 /* Power Management: PMCSR's PowerState */
#define PCI_CAP_VPD	     0x03 /* Vital Product Data: VPD Address (+2), VPD Data (+4) */
#define PCI_VPD_CAP_SIZE     8
#define PCI_PM_CTRL	     0x04u
#define PCI_PM_STATE_MASK    0x3u
#define PCI_PM_STATE_D0	     0x0u
#define PCI_PM_STATE_D3HOT   0x3u
#define PCI_PM_NO_SOFT_RESET (1u << 3)	/* D3hot to D0 keeps the function's state */
#define PCI_PM_PME_EN	     (1u << 8)	/* PME messages (PCIe) or PME# (conventional) */
#define PCI_PM_PME_STATUS    (1u << 15) /* RW1C */
#define PCI_EA_ENABLE	     (1u << 31) /* an EA entry's first dword: its range decodes */
#define PCI_INTERRUPT_PIN    0x3d
#define PCI_EXT_CAP	     0x100
#define PCI_EXT_SRIOV	     0x0010 /* SR-IOV: VF Enable and the VF BARs */
#define PCI_EXT_MCAST	     0x0012 /* Multicast: MC_Base_Address and the overlay BAR */
#define PCI_EXT_REBAR	     0x0015 /* Resizable BAR */
#define PCI_EXT_VF_REBAR     0x0024 /* VF Resizable BAR */
#define PCI_EXT_ACS	     0x000d /* Access Control Services */
#define PCI_EXT_AER	     0x0001 /* Advanced Error Reporting */
#define PCI_EXT_ARI	     0x000e /* Alternative Routing-ID Interpretation */
#define PCI_CMD_IO	     (1u << 0)
#define PCI_CMD_MEMORY	     (1u << 1)
#define PCI_CMD_MASTER	     (1u << 2)
#define PCI_CMD_PARITY	     (1u << 6)
#define PCI_CMD_SERR	     (1u << 8)
#define PCI_CMD_INTX_DIS     (1u << 10)
/* SERR# Enable stays clear: error reporting is Device Control's, kept as firmware set it. */
#define PCI_CMD_ALLOWED (PCI_CMD_MEMORY | PCI_CMD_MASTER | PCI_CMD_PARITY | PCI_CMD_INTX_DIS)
#define PCI_BAR_IO	0x1u
#define PCI_BAR_MEM_64	0x4u
#define PCI_BAR_FLAGS	0xfu
#define ECAM_BUS_SIZE	(1ULL << 20)
#define ECAM_FN_SIZE	(1ULL << 12)
#define PAGE		0x1000ULL

/* The PCI Express capability: its device/port type, Device Control's Phantom Functions Enable. */
#define PCI_CAP_EXP		0x10
#define PCI_EXP_FLAGS		0x02u
#define PCI_EXP_TYPE(flags)	(((flags) >> 4) & 0xf)
#define PCI_EXP_TYPE_ENDPOINT	0x0
#define PCI_EXP_TYPE_LEG_END	0x1 /* Legacy PCI Express Endpoint */
#define PCI_EXP_TYPE_ROOT_PORT	0x4
#define PCI_EXP_TYPE_DOWNSTREAM 0x6 /* a switch's downstream port */
#define PCI_EXP_TYPE_PCI_BRIDGE 0x7 /* PCI Express to PCI/PCI-X bridge */
#define PCI_EXP_TYPE_RC_END	0x9 /* Root Complex Integrated Endpoint */
#define PCI_EXP_TYPE_RC_EC	0xa /* Root Complex Event Collector */
#define PCI_EXP_DEVCAP		0x04u
#define PCI_EXP_DEVCAP_FLR	(1u << 28) /* Function Level Reset Capability */
#define PCI_EXP_DEVCTL		0x08u
#define PCI_EXP_DEVCTL_PHANTOM	(1u << 9)
#define PCI_EXP_DEVCTL_BCR_FLR	(1u << 15) /* Initiate Function Level Reset */
#define PCI_EXP_DEVCTL_MPS	(7u << 5)  /* Max_Payload_Size */
#define PCI_EXP_DEVCTL_ERR_EN	0xfu	   /* correctable, non-fatal, fatal, unsupported request */
/* What a guest's Device Control write cannot change (pci_config.c). */
#define PCI_EXP_DEVCTL_KEPT (PCI_EXP_DEVCTL_PHANTOM | PCI_EXP_DEVCTL_MPS | PCI_EXP_DEVCTL_ERR_EN)

/* Advanced Features (conventional PCI): an FLR through AF Control, if AF Capabilities offers it. */
#define PCI_CAP_AF	0x13
#define PCI_AF_CAP	0x03u
#define PCI_AF_CAP_FLR	(1u << 1)
#define PCI_AF_CTRL	0x04u
#define PCI_AF_CTRL_FLR (1u << 0) /* Initiate FLR */

/* SR-IOV Control: VF Enable brings the VFs up, VF MSE lets their BARs decode. */
#define PCI_SRIOV_CTRL	   0x08u
#define PCI_SRIOV_CTRL_VFE (1u << 0)
#define PCI_SRIOV_CTRL_MSE (1u << 3)

/* ACS: Capability and Control registers, and the bits that send peer-to-peer traffic upstream. */
#define PCI_ACS_CAP  0x04u
#define PCI_ACS_CTRL 0x06u
#define PCI_ACS_SV   (1u << 0) /* Source Validation (ports): requester IDs below it only */
#define PCI_ACS_RR   (1u << 2) /* P2P Request Redirect */
#define PCI_ACS_CR   (1u << 3) /* P2P Completion Redirect */
#define PCI_ACS_UF   (1u << 4) /* Upstream Forwarding */

/* Resizable BAR: entry n's Control at +8 + 8n; entry 0's says how many there are. */
#define PCI_REBAR_CTRL	    0x08u
#define PCI_REBAR_CTRL_NBAR (7u << 5)
#define PCI_REBAR_CTRL_SIZE (0x3fu << 8)

/* AER: the registers a guest's write leaves at firmware's values (pci_caps.c). */
#define PCI_ERR_UNCOR_MASK  0x08u /* Uncorrectable Error Mask */
#define PCI_ERR_UNCOR_SEVER 0x0cu /* Uncorrectable Error Severity */
#define PCI_ERR_COR_MASK    0x14u /* Correctable Error Mask */
#define PCI_ERR_CAP	    0x18u /* Advanced Error Capabilities and Control (ECRC) */
#define PCI_AER_NR_KEPT	    4

/* A bridge's (header type 1) bus numbers. */
#define PCI_SECONDARY_BUS   0x19
#define PCI_SUBORDINATE_BUS 0x1a
/* Its memory windows: base and limit in 1 MiB granules (address bits 31:20). */
#define PCI_MEMORY_BASE	       0x20
#define PCI_PREF_MEMORY_BASE   0x24
#define PCI_PREF_RANGE_64      0x1u /* the prefetchable window's upper halves below */
#define PCI_PREF_BASE_UPPER32  0x28
#define PCI_PREF_LIMIT_UPPER32 0x2c
#define PCI_WINDOW_GRANULE     0x100000ULL

/* How a stop, and the first boot, reset a function (pci_reset.c), in the order tried. */
enum pci_reset_method {
	PCI_RESET_NONE,
	PCI_RESET_FLR,	  /* Device Control's Initiate Function Level Reset */
	PCI_RESET_AF_FLR, /* AF Control's Initiate FLR (conventional PCI) */
	PCI_RESET_PM,	  /* D3hot and back to D0, No_Soft_Reset clear */
};

enum bar_kind {
	BAR_NONE,
	BAR_MEM32,
	BAR_MEM64_LO,
	BAR_MEM64_HI,
};

struct pci_fn {
	uint16_t bdf;
	enum bar_kind kind[PCI_NR_BARS];
	uint32_t shadow[PCI_NR_BARS]; /* what the guest reads: address | flags */
	uint64_t size[PCI_NR_BARS];   /* of the whole BAR (both halves of a 64-bit one) */
	bool sizing[PCI_NR_BARS];     /* the guest wrote all ones: it reads the mask */
	uint8_t pcie_cap;	      /* the PCI Express capability's offset, 0 if none */
	bool ext_cfg;		      /* 0x100-0xfff are its own: PCIe, 0x100 not an alias of 0 */
	uint16_t devctl_kept;	      /* Device Control's PCI_EXP_DEVCTL_KEPT bits, as assigned */
	bool acs_kept;		      /* shares its device with another cell's: ACS redirects */
	uint8_t pm_cap;		      /* the Power Management capability's offset, 0 if none */
	uint8_t af_cap;		      /* an Advanced Features capability that offers FLR, or 0 */
	bool imm_ready;		      /* Immediate Readiness: config requests complete at once */
	uint64_t ready_at;	      /* a reset the guest started: no config access before */
	uint16_t rebar_cap;	      /* the Resizable BAR capability's offset, 0 if none */
	uint8_t nr_rebar;	      /* its entries */
	uint32_t rebar_ctrl[PCI_NR_BARS];   /* their Control registers as placed (BAR Size) */
	uint16_t aer_cap;		    /* the AER capability's offset, 0 if none */
	uint32_t aer_kept[PCI_AER_NR_KEPT]; /* its registers as firmware left them */
	bool intx_off;			    /* INTx not routed to the cell: INTx Disable kept set */
	uint8_t reset; /* enum pci_reset_method: how a stop or boot resets it */
	/*
	 * A reload found it in a reset its guest started: quiesced, and its own
	 * reset begun, once that is over, by the cell's CPU (pci_reset.c).
	 */
	bool quiesce_left;
	/* The cell's vCPUs write its config space one at a time (pci_config.c: own_write()). */
	struct spinlock lock;
};

/* Each cell's functions, as pci_cell_create() placed them. */
extern struct pci_fn pci_fns[LAYOUT_MAX_CELLS][LAYOUT_MAX_PCI];
/* The board's ECAM host, once a cell with functions made pci.c bring it up. */
extern const struct platform_pcie *pci_host;
extern bool pci_host_ready;

/*
 * At cell creation (pci.c), before the function is mapped: find its PCI
 * Express capability, clear Phantom Functions Enable there and PMCSR's
 * PME_En (pci_config_pme_off()), and tell whether offsets 0x100-0xfff
 * (extended config space) are the function's own.
 */
void pci_config_probe(struct pci_fn *f);
/*
 * PMCSR's PME_En cleared in @f if set (at assignment, after each reset):
 * PowerState written back as it is, PME_Status (RW1C) left as it is.
 */
void pci_config_pme_off(const struct pci_fn *f);
/*
 * @f's own config accesses (a cell stopping, quiescing it) wait for a reset
 * its guest started to end (at most 100 ms after it).
 */
void pci_config_wait_ready(const struct pci_fn *f);
/* A reset of @f (its guest's or the hypervisor's) is under way: its config space is closed. */
bool pci_config_resetting(const struct pci_fn *f);
/*
 * @cell is created, or about to boot again: the first few (8) of its dropped
 * config writes, and apart from those of its functions kept off after a
 * reset, are told from now on.
 */
void pci_config_cell_init(const struct cell *cell);
/*
 * The name of the capability a write at @reg would land in that makes @f
 * decode what the hypervisor did not place (or ACS's controls, or VPD's,
 * which write the device's own storage), or NULL.
 */
const char *pci_config_decode_capability(const struct pci_fn *f, uint32_t reg);
/*
 * A function reset puts Resizable BAR sizes back to their defaults: BARs
 * that may then decode past their placement. Each entry's BAR Size written
 * back as it was when the BARs were placed.
 */
void pci_config_rebar_restore(const struct pci_fn *f);
/*
 * A function reset clears AER, and a guest need not restore it: the
 * registers kept at firmware's values written back where they differ.
 */
void pci_config_aer_restore(const struct pci_fn *f);
/*
 * The placement written to @f again, with what else of firmware's a function
 * reset clears and the guest cannot set: Resizable BAR sizes, the BARs, the
 * ROM BAR (0), and the AER registers kept at firmware's values.
 */
void pci_config_bars_program(const struct pci_fn *f);
/*
 * @v written to @f (@size bytes at @reg) by the hypervisor: if the write
 * starts a reset (FLR, a change to or from D3hot), @f's config space is
 * closed for its time first, as for its guest's (pci_config_wait_ready()).
 */
void pci_config_reset_write(struct pci_fn *f, uint32_t reg, unsigned int size, uint32_t v);
/* True if @reg is in an AER register kept at firmware's value: that dword into *@dword. */
bool pci_config_aer_kept(const struct pci_fn *f, uint32_t reg, uint32_t *dword);
/*
 * The first Enhanced Allocation entry of @f that is enabled (firmware or
 * hardware set it: a range it decodes that no BAR shows), numbered within
 * its EA capability (a function has one), or -1.
 */
int pci_config_ea_enabled(const struct pci_fn *f);
/* The most bridges a path from the root bus down to a function may cross. */
#define PCI_PATH_MAX_BRIDGES 16
/*
 * The bridges from the root bus down to @bus, in order, into @br (at most
 * PCI_PATH_MAX_BRIDGES): how many, or -1 if no path reaches @bus.
 */
int pci_path_to_bus(unsigned int bus, uint16_t *br);

/*
 * pci_reset.c, at assignment: how the first boot and each stop will reset @f
 * (FLR, AF FLR, D3hot to D0), or said that its state survives a stop.
 */
void pci_reset_probe(const struct cell *cell, struct pci_fn *f, const char *name);
/*
 * @cell is created: its functions were not reset by any stop yet, and are
 * due their first boot's reset (pci_reset_first_boot_begin()).
 */
void pci_reset_cell_init(const struct cell *cell);
/*
 * A stop, Bus Master off: every function of @cell that can be reset is, all
 * at once, then given back what the hypervisor owns (COMMAND = INTx Disable,
 * BARs, ACS, AER, Resizable BAR sizes, Device Control's kept bits). Not
 * twice for one boot: resets a reload or the first boot began, and no start
 * ended, are ended here instead (pci_reset_end()), those of functions its
 * guest left resetting begun first. The cell's vCPUs are out of the guest.
 */
void pci_reset_cell_functions(struct cell *cell);
/*
 * A reload, Bus Master off: the same resets begun, not waited for; the load
 * takes part of their time, and the start ends them (pci_reset_end()).
 */
void pci_reset_reload_begin(struct cell *cell);

/*
 * What pci_reset_boot.c (the first boot's waits) takes from pci_reset.c:
 * each method's name; a reset's second step (D0 after D3hot, or the FLR of
 * a function woken first); a function out of its reset given back what the
 * hypervisor owns (false, said, if it does not answer).
 */
extern const char *const pci_reset_method_names[];
void pci_reset_fn_continue(struct pci_fn *f);
bool pci_reset_fn_restore(const struct cell *cell, struct pci_fn *f);
/*
 * pci_reset_boot.c: cell @cell created, no wait counted yet; the second
 * step of function @i of cell @c, once its first is over, that wait kept;
 * a look from the start's loop, true while a reset is under way; and the
 * start's end of them, each function's wait told and the function placed.
 */
void pci_reset_boot_init(const struct cell *cell);
void pci_reset_boot_second_step(unsigned int c, int i);
bool pci_reset_boot_step(const struct cell *cell);
void pci_reset_boot_restore(const struct cell *cell);

/*
 * pci_intx.c, at assignment: @f's INTx (Interrupt Pin @pin, the INTID @intx the
 * layout routed its INTA# to or 0, below the bridges @br[0..@n)) routed to
 * the cell, or kept disabled (f->intx_off) and said; INTx Disable set. -EINVAL,
 * said, for INTB#-INTD# on the root bus: the layout routes INTA# only.
 */
int pci_intx_setup(const struct cell *cell, struct pci_fn *f, const char *name, uint32_t pin,
		   uint32_t intx, const uint16_t *br, int n);

/* pci_peer.c: a cell is created; its functions are now others' peers. */
void pci_peers_add_cell(const struct cell *cell);
/*
 * Can @f (of @cell, below the bridges @br[0..@n), as pci_path_to_bus() found
 * them) and the functions of the cells created before reach each other unseen?
 */
int pci_check_peers(struct cell *cell, struct pci_fn *f, const char *name, const uint16_t *br,
		    int n);
/*
 * The guest turns @f's decode or Bus Master on: after a function reset (FLR,
 * D3hot to D0), which clears ACS Control, the redirection is on again first.
 * False if @f needs it and Control did not take it (a function still in
 * reset may ignore the write): @f must then neither decode nor master.
 */
bool pci_acs_restore(const struct pci_fn *f);

/*
 * pci_quiesce.c, at boot: every endpoint on @bus and below its bridges
 * (@depth of them above it) stops decoding, mastering and asserting INTx,
 * its VFs off; the bridges' own BARs kept clear of (*@err if not). Returns
 * how many endpoints.
 */
unsigned int pci_quiesce_tree(unsigned int bus, unsigned int depth, int *err);

/* pci_bar.c: the host's 32-bit memory window, from its ranges; logged. */
int pci_bar_window_init(const struct platform_index *idx, const void *fdt);
/* At boot: bridge @bdf's own BARs, live, are kept clear of (0, or -ENOSPC: too many). */
int pci_bar_keep_bridge(uint16_t bdf);
/* The CPU address of PCI memory address @pci_addr in that window. */
uint64_t pci_bar_cpu_addr(uint64_t pci_addr);
/*
 * Size and place @f's memory BARs (decode off), reachable through the bridges
 * @br[0..@n) from the root bus down to its bus, and let those bridges forward.
 */
int pci_bars_place(struct pci_fn *f, const char *name, const uint16_t *br, int n);

/* The offset of the first capability @id in @bdf's standard list (read-only hardware), or 0. */
uint8_t pci_config_capability(uint16_t bdf, uint8_t id);
/* The offset of extended capability @id of @bdf, or 0 (none, or no extended config space). */
uint32_t pci_config_ext_capability(uint16_t bdf, uint16_t id);

#ifdef BULKHEAD_PCI_CFG_FAKE
/* Host unit tests: config space is a device model (tests/unit/pci_model.c), not memory. */
uint32_t pci_cfg_read(uint16_t bdf, uint32_t reg, unsigned int size);
void pci_cfg_write(uint16_t bdf, uint32_t reg, unsigned int size, uint32_t v);
#else
static inline volatile void *pci_cfg_addr(uint16_t bdf, uint32_t reg)
{
	return (volatile void *)(uintptr_t)(pci_host->ecam.base +
					    (uint64_t)(LAYOUT_BDF_BUS(bdf) - pci_host->bus_first) *
						    ECAM_BUS_SIZE +
					    (uint64_t)(bdf & 0xff) * ECAM_FN_SIZE + reg);
}

static inline uint32_t pci_cfg_read(uint16_t bdf, uint32_t reg, unsigned int size)
{
	volatile void *a = pci_cfg_addr(bdf, reg);

	if (size == 1)
		return *(volatile uint8_t *)a;
	if (size == 2)
		return *(volatile uint16_t *)a;
	return *(volatile uint32_t *)a;
}

static inline void pci_cfg_write(uint16_t bdf, uint32_t reg, unsigned int size, uint32_t v)
{
	volatile void *a = pci_cfg_addr(bdf, reg);

	if (size == 1)
		*(volatile uint8_t *)a = (uint8_t)v;
	else if (size == 2)
		*(volatile uint16_t *)a = (uint16_t)v;
	else
		*(volatile uint32_t *)a = v;
}
#endif

/* "bb:dd.f" of @bdf into @buf (PCI_BDF_LEN bytes), returned (pci_config.c). */
#define PCI_BDF_LEN 16
const char *pci_bdf_str(uint16_t bdf, char *buf);
/* The same in a buffer that lives as long as the caller's block: log_err("%s", PCI_BDF(bdf)). */
#define PCI_BDF(bdf) pci_bdf_str((uint16_t)(bdf), (char[PCI_BDF_LEN]){ 0 })

#endif
