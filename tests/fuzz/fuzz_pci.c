// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for a cell's trapped ECAM accesses (partitions/pci_config.c):
 * the path by which a guest reaches PCI devices other cells may own. The ECAM
 * window is a host buffer, one bus of 256 functions, each a config space whose
 * capability headers are read-only, as in hardware. The input chooses the
 * root bus number, the cell's functions (their header type, BARs, standard
 * and extended capabilities, chains broken or cyclic included, Enhanced
 * Allocation entries of any size), their INTx routed to the cell or not
 * (pci_intx.c), then a program of guest accesses (any function, offset,
 * size, value) and function resets (BARs, ROM and COMMAND cleared: the
 * device's own, which the hypervisor does not see). The device model
 * (pci_priv.h's accessors, BULKHEAD_PCI_CFG_FAKE) resets a function too,
 * inside the access, when a write sets Initiate Function Level Reset in its
 * Device Control, as hardware does. Besides sanitizer reports it fails when:
 *   - a write changes a function the cell does not own, or a read of one
 *     returns anything but all ones;
 *   - a write lands in an SR-IOV, Multicast, Resizable BAR, VF Resizable BAR
 *     or Enhanced Allocation capability (the extended list walked with the
 *     next pointer's reserved bits masked), or changes AER's masks,
 *     severity or control from what they were when the function was probed;
 *   - a function decodes memory (COMMAND.Memory) with BARs other than the
 *     hypervisor's placement, or I/O decode gets turned on;
 *   - a guest read of a BAR gives anything but the sizing mask after a whole
 *     write of all ones and the placement otherwise, a read of the ROM BAR
 *     anything but 0, a read of another register anything but the device's;
 *   - an access is refused though 1, 2 or 4 bytes and aligned, or taken though not;
 *   - the placement itself changes;
 *   - Phantom Functions Enable (Device Control bit 9 in the PCI Express
 *     capability) is ever set: the hypervisor clears it when it probes the
 *     function (the buffer's fill has it set) and no guest write may set it;
 *   - PMCSR's PME_En (bit 8) is ever set in a function with a Power
 *     Management capability: cleared at the probe, masked from guest writes;
 *   - a function without extended config space (no PCI Express capability,
 *     or one that mirrors 0x000-0x0ff across 0x100-0xfff: the device model
 *     then carries a write there onto the register it aliases) takes a
 *     write at 0x100 or above, or reads anything but all ones there; or the
 *     probe disagrees about which functions have it;
 *   - for a function whose INTx is not routed to the cell (intx_off), a
 *     write that reaches COMMAND leaves INTx Disable clear in the device, or
 *     an access returns with it clear: after an FLR its guest started (the
 *     hypervisor sets it again before the vCPU returns) or at any time but
 *     after a reset of the device's own, before the next COMMAND write.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_pci"
#include "fuzz_program.h"
#include "cell.h"
#include "mmio.h"
#include "pci.h"
#include "pci_priv.h"

#define NR_FNS	     256 /* one bus */
#define MAX_CAPS     6
#define MAX_STD_CAPS 3		/* at 0x40, 0x80, 0xc0 */
#define MAX_RANGES   (480 + 48) /* every header a walk may visit, cycles included */

/* What pci_config.c links against from pci.c. */
struct pci_fn pci_fns[LAYOUT_MAX_CELLS][LAYOUT_MAX_PCI];
const struct platform_pcie *pci_host;
bool pci_host_ready;

/*
 * The counter: a second passes at each read, so a reset a guest's write
 * starts (FLR, D3hot) is over by its next access and the device's state is
 * what every access checks. The closed window is the unit tests'
 * (test_pci_guest_reset.c).
 */
static uint64_t now_ticks;

uint64_t arch_counter_read(void)
{
	return now_ticks += 1000;
}

uint64_t arch_counter_freq(void)
{
	return 1000;
}

/* The wait for an unrouted function's reset (intx_off_after_reset()): no interrupt comes. */
bool arch_cpu_irq_pending(void)
{
	return false;
}

void irq_handle(void)
{
	abort();
}

/* pci_peer.c's: no function here shares its device with another cell's. */
bool pci_acs_restore(const struct pci_fn *f)
{
	if (f->acs_kept)
		abort();
	return true;
}

static uint8_t ecam[NR_FNS][ECAM_FN_SIZE] __attribute__((aligned(4096)));
static uint8_t before[ECAM_FN_SIZE];
static struct platform_pcie host;
static struct layout_cell cfg;
static struct cell cell;
static struct vcpu vcpu;
static struct pci_fn placed[LAYOUT_MAX_PCI];
/* A function whose INTx is not routed (intx_off) after a reset of the device's own. */
static bool intx_may_be_on[LAYOUT_MAX_PCI];
/* What each BAR answers a write of all ones with: the device's side of sizing. */
static uint32_t sizing[LAYOUT_MAX_PCI][PCI_NR_BARS];
/* The guest's last whole write to each BAR was all ones: it reads the mask. */
static bool sizing_on[LAYOUT_MAX_PCI][PCI_NR_BARS];

/*
 * Each owned function's read-only bytes: extended capability headers at
 * 0x100, 0x200, ..., standard ones at 0x40, 0x80, 0xc0 (with their Enhanced
 * Allocation entry headers), the header type, STATUS and the capability
 * pointer.
 */
static struct {
	uint32_t hdr[MAX_CAPS];
	int n;
	uint8_t std[MAX_STD_CAPS][0x40];
	uint8_t std_len[MAX_STD_CAPS];
	int n_std;
	uint8_t header_type, cap_ptr;
	uint16_t status;
	uint32_t ids;	 /* Vendor and Device ID: not the fill, which 0x100, 0x200, ... also read */
	bool mirror;	 /* 0x100-0xfff decode as 0x000-0x0ff: no extended capabilities */
	uint32_t aer_at; /* the first AER capability a walk finds, if the space is its own */
	uint32_t aer[4]; /* its masks, severity and control as set up: no write changes them */
	uint8_t intx;	 /* bit 0: Interrupt Pin INTA#, else none; bit 1: routed (setup_intx()) */
} caps[LAYOUT_MAX_PCI];

/* What a write must not reach: [start, end) of each capability that moves decoding. */
struct range {
	uint32_t start, end;
};

static uint8_t *cfg_space(uint16_t bdf)
{
	return ecam[bdf & 0xff];
}

static uint32_t dev_read32(uint16_t bdf, uint32_t reg)
{
	uint32_t v;

	memcpy(&v, cfg_space(bdf) + reg, 4);
	return v;
}

static void dev_write32(uint16_t bdf, uint32_t reg, uint32_t v)
{
	memcpy(cfg_space(bdf) + reg, &v, 4);
}

static int owned(uint16_t bdf)
{
	for (int i = 0; i < cfg.nr_pci; i++)
		if (placed[i].bdf == bdf)
			return i;
	return -1;
}

static void mirror(int k);

/* A function reset (FLR, D3hot to D0): BARs, ROM and COMMAND back to 0. */
static void reset_device(int k)
{
	uint16_t bdf = placed[k].bdf;

	for (uint32_t reg = PCI_BAR0; reg < PCI_BAR0 + 4 * PCI_NR_BARS; reg += 4)
		dev_write32(bdf, reg, 0);
	dev_write32(bdf, PCI_ROM_ADDRESS, 0);
	dev_write32(bdf, PCI_COMMAND, dev_read32(bdf, PCI_COMMAND) & 0xffff0000u);
	mirror(k);
}

/* The device: what the hypervisor reads and writes (pci_priv.h, BULKHEAD_PCI_CFG_FAKE). */
uint32_t pci_cfg_read(uint16_t bdf, uint32_t reg, unsigned int size)
{
	uint32_t v = 0;

	memcpy(&v, cfg_space(bdf) + reg, size);
	return v;
}

/*
 * A write that sets Initiate Function Level Reset (which reads 0) resets the
 * function at once. One that reaches COMMAND of a function whose INTx is
 * not routed must leave INTx Disable set: that is what the host line sees.
 */
void pci_cfg_write(uint16_t bdf, uint32_t reg, unsigned int size, uint32_t v)
{
	int k = owned(bdf);
	uint32_t shift = (reg & 3) * 8, lanes = (size == 4 ? ~0u : (1u << size * 8) - 1) << shift;
	uint32_t devctl;

	memcpy(cfg_space(bdf) + reg, &v, size);
	if (k < 0)
		return;
	/*
	 * A function without extended config space that repeats 0x000-0x0ff
	 * above 0x100 shows the write there at once: left to mirror_writes(),
	 * a reset's copy into the alias looked like the guest's own write
	 * there, and put the reset COMMAND back over INTx Disable set since.
	 */
	if (reg < PCI_EXT_CAP)
		mirror(k);
	devctl = placed[k].pcie_cap + PCI_EXP_DEVCTL;
	if (placed[k].pcie_cap && (reg & ~3u) == devctl &&
	    (v << shift & lanes & PCI_EXP_DEVCTL_BCR_FLR)) {
		dev_write32(bdf, devctl, dev_read32(bdf, devctl) & ~PCI_EXP_DEVCTL_BCR_FLR);
		reset_device(k);
	}
	if (placed[k].intx_off && reg <= PCI_COMMAND + 1 && reg + size > PCI_COMMAND)
		CHECK(dev_read32(bdf, PCI_COMMAND) & PCI_CMD_INTX_DIS,
		      "a write of %u bytes at +0x%x (0x%x) left COMMAND 0x%x: INTx Disable clear, "
		      "and the function's INTx is not routed to the cell",
		      size, reg, v, dev_read32(bdf, PCI_COMMAND) & 0xffff);
}

static uint32_t cap_size(uint32_t id, int bridge)
{
	switch (id) {
	case PCI_EXT_SRIOV:
		return 0x40;
	case PCI_EXT_MCAST:
		return bridge ? 0x30 : 0x28; /* a port's has the overlay BAR */
	case PCI_EXT_REBAR:
	case PCI_EXT_VF_REBAR:
		return 0x34;
	default:
		return 0;
	}
}

static int is_bridge(int k)
{
	return (cfg_space(placed[k].bdf)[PCI_HEADER_TYPE] & 0x7f) == 1;
}

/* An Enhanced Allocation capability at @at: its header, the bridge's dword, its entries. */
static uint32_t ea_size(int k, uint32_t at)
{
	const uint8_t *cs = cfg_space(placed[k].bdf);
	uint32_t size = is_bridge(k) ? 8 : 4;

	for (int e = 0; e < (cs[at + 2] & 0x3f) && at + size < PCI_EXT_CAP; e++)
		size += 4 * (1u + (cs[at + size] & 7));
	return size;
}

/*
 * One step of function @k's extended list, walked as the hypervisor must
 * (the next pointer's two reserved bits masked, at most 480 headers, a
 * header of 0 or all ones the end): the header at *@at into *@hdr, false
 * at the end; *@i counts the headers read.
 */
static bool ext_next(int k, uint32_t *at, uint32_t *hdr, int *i)
{
	if (*i)
		*at = (*hdr >> 20) & 0xffc;
	if (*i >= 480 || *at < PCI_EXT_CAP)
		return false;
	(*i)++;
	*hdr = dev_read32(placed[k].bdf, *at);
	return *hdr && *hdr != 0xffffffffu;
}

/*
 * The capabilities a walk reaches (what software can find), the harness's
 * own walks: a capability that moves decoding is protected if found.
 */
static int protected_ranges(int k, struct range *r)
{
	const uint8_t *cs = cfg_space(placed[k].bdf);
	uint32_t at = PCI_EXT_CAP, hdr = 0;
	int n = 0;

	/* A mirror has none. */
	for (int i = 0; !caps[k].mirror && ext_next(k, &at, &hdr, &i);) {
		uint32_t size = cap_size(hdr & 0xffff, is_bridge(k));

		if (size)
			r[n++] = (struct range){ at, at + size };
	}
	if (!(cs[PCI_STATUS] & PCI_STATUS_CAP_LIST))
		return n;
	at = cs[PCI_CAP_PTR] & 0xfc;
	for (int i = 0; i < 48 && at >= PCI_CAP_FIRST && at < PCI_EXT_CAP; i++) {
		if (cs[at] == PCI_CAP_EA)
			r[n++] = (struct range){ at, at + ea_size(k, at) };
		at = cs[at + 1] & 0xfc;
	}
	return n;
}

/* The first PCI Express capability a walk finds, as the probe must, or 0. */
static uint32_t pcie_cap_of(int k)
{
	const uint8_t *cs = cfg_space(placed[k].bdf);
	uint32_t at = cs[PCI_CAP_PTR] & 0xfc;

	if (!(cs[PCI_STATUS] & PCI_STATUS_CAP_LIST))
		return 0;
	for (int i = 0; i < 48 && at >= PCI_CAP_FIRST && at < PCI_EXT_CAP; i++) {
		if (cs[at] == PCI_CAP_EXP)
			return at;
		at = cs[at + 1] & 0xfc;
	}
	return 0;
}

/* Offsets 0x100-0xfff are the function's own: what the probe must find. */
static bool has_ext_cfg(int k)
{
	const uint8_t *cs = cfg_space(placed[k].bdf);

	if (!pcie_cap_of(k) || caps[k].mirror)
		return false;
	/* A 256-byte step that reads the IDs is taken for an alias (pci_config.c, ext_cfg_own()).
	 */
	for (uint32_t at = PCI_EXT_CAP; at < ECAM_FN_SIZE; at += PCI_EXT_CAP)
		if (!memcmp(cs + at, cs + PCI_VENDOR_ID, 4))
			return false;
	return true;
}

static const uint32_t aer_kept_regs[4] = { PCI_ERR_UNCOR_MASK, PCI_ERR_UNCOR_SEVER,
					   PCI_ERR_COR_MASK, PCI_ERR_CAP };

/* The first AER capability of function @k's extended space, and its kept registers. */
static void aer_record(int k)
{
	uint32_t at = PCI_EXT_CAP, hdr = 0;

	caps[k].aer_at = 0;
	for (int i = 0; has_ext_cfg(k) && ext_next(k, &at, &hdr, &i);) {
		if ((hdr & 0xffff) != PCI_EXT_AER)
			continue;
		caps[k].aer_at = at;
		for (int r = 0; r < 4; r++)
			caps[k].aer[r] = dev_read32(placed[k].bdf, at + aer_kept_regs[r]);
		return;
	}
}

/* A mirroring function: 0x100-0xfff show 0x000-0x0ff. */
static void mirror(int k)
{
	uint8_t *cs = cfg_space(placed[k].bdf);

	for (uint32_t r = PCI_EXT_CAP; caps[k].mirror && r < ECAM_FN_SIZE; r++)
		cs[r] = cs[r & 0xff];
}

/* What a mirroring function did with bytes written at 0x100 or above: its own registers. */
static void mirror_writes(int k)
{
	uint8_t *cs = cfg_space(placed[k].bdf);

	for (uint32_t r = PCI_EXT_CAP; caps[k].mirror && r < ECAM_FN_SIZE; r++)
		if (cs[r] != before[r])
			cs[r & 0xff] = cs[r];
}

static void restore_headers(int k)
{
	uint8_t *cs = cfg_space(placed[k].bdf);

	for (int c = 0; c < caps[k].n; c++)
		dev_write32(placed[k].bdf, PCI_EXT_CAP + 0x100 * (uint32_t)c, caps[k].hdr[c]);
	for (int c = 0; c < caps[k].n_std; c++) /* the header dword; EA entries are checked */
		memcpy(cs + PCI_CAP_FIRST * (1 + c), caps[k].std[c], 4);
	memcpy(cs + PCI_VENDOR_ID, &caps[k].ids, 4);
	cs[PCI_HEADER_TYPE] = caps[k].header_type;
	cs[PCI_CAP_PTR] = caps[k].cap_ptr;
	memcpy(cs + PCI_STATUS, &caps[k].status, 2);
	mirror(k);
}

/* A memory BAR of 4 KiB to 512 MiB, 64-bit or not, placed at its own aligned address. */
static int setup_bar(struct program *pr, int k, int i, uint64_t *next)
{
	struct pci_fn *f = &placed[k];
	uint64_t size = 1ULL << (12 + take(pr, 1) % 18);
	unsigned int kind = (unsigned int)take(pr, 1) % 3;

	if (kind == 0 || (kind == 2 && i == PCI_NR_BARS - 1))
		return 0;
	*next = (*next + size - 1) & ~(size - 1);
	f->kind[i] = kind == 2 ? BAR_MEM64_LO : BAR_MEM32;
	f->shadow[i] = (uint32_t)*next | (kind == 2 ? PCI_BAR_MEM_64 : 0) | (take(pr, 1) & 8);
	f->size[i] = size;
	sizing[k][i] = ((uint32_t)(0 - size) & ~PCI_BAR_FLAGS) | (f->shadow[i] & PCI_BAR_FLAGS);
	*next += size;
	if (kind != 2)
		return 0;
	f->kind[i + 1] = BAR_MEM64_HI;
	f->size[i + 1] = size;
	sizing[k][i + 1] = (uint32_t)((0 - size) >> 32);
	return 1;
}

/* Capabilities at 0x100, 0x200, ...: IDs and next pointers from the input, broken or not. */
static void setup_caps(struct program *pr, int k)
{
	static const uint16_t ids[] = {
		PCI_EXT_SRIOV,	  PCI_EXT_MCAST,     PCI_EXT_REBAR, PCI_EXT_VF_REBAR,
		0x0001 /* AER */, 0x000b /* VSEC */, 0x0000
	};
	int n = 1 + (int)(take(pr, 1) % MAX_CAPS);

	caps[k].n = n;
	for (int c = 0; c < n; c++) {
		uint32_t at = PCI_EXT_CAP + 0x100 * (uint32_t)c, next = c + 1 < n ? at + 0x100 : 0;
		uint32_t pick = (uint32_t)take(pr, 1), id = ids[pick % 7];

		/*
		 * A broken chain: a pointer below 0x100, or a cycle; with
		 * the two reserved low bits set or not (masked, they name a header).
		 * Never into plain registers: the walk would read writable
		 * bytes as a header, which no hardware has.
		 */
		if (pick & 0x80)
			next = (uint32_t)take(pr, 2) & 0xfff;
		if (pick & 0x80 && next >= PCI_EXT_CAP) /* reserved bits 1:0 set or not */
			next = (PCI_EXT_CAP + 0x100 * (next % (uint32_t)n)) | (next & 3);
		caps[k].hdr[c] = id | (1u << 16) | (next << 20);
	}
}

/*
 * Standard capabilities at 0x40, 0x80, 0xc0: Enhanced Allocation with up to
 * 3 entries of 1-8 dwords each (within its 64 bytes), or another ID; the
 * list on or off in STATUS, chains broken or cyclic, never into registers.
 */
static void setup_std_caps(struct program *pr, int k)
{
	static const uint8_t ids[] = { PCI_CAP_EA, 0x01 /* PM */, 0x05 /* MSI */, 0x10 /* PCIe */ };
	uint32_t pick = (uint32_t)take(pr, 1);
	int n = (int)(pick % (MAX_STD_CAPS + 1));

	caps[k].header_type = (pick & 4) ? 1 : 0;
	caps[k].status = (pick & 8) ? 0 : PCI_STATUS_CAP_LIST;
	caps[k].mirror = pick & 16;
	caps[k].intx = (uint8_t)(pick >> 5); /* the byte's free bits: the regress inputs keep */
	if (caps[k].mirror)
		caps[k].n = 0; /* its 0x100 is its 0x000 */
	caps[k].cap_ptr = n ? PCI_CAP_FIRST : 0;
	caps[k].n_std = n;
	for (int c = 0; c < n; c++) {
		uint8_t *h = caps[k].std[c];
		uint32_t p = (uint32_t)take(pr, 1), len = 4,
			 at = PCI_CAP_FIRST * (1u + (uint32_t)c);

		h[0] = ids[p % 4];
		h[1] = c + 1 < n ? (uint8_t)(at + PCI_CAP_FIRST) : 0;
		if (p &
		    0x80) /* broken: ends, loops back, or an unaligned pointer masked by the walk */
			h[1] = (uint8_t)(((p >> 2) % 4) * PCI_CAP_FIRST + (p & 0x40 ? 2 : 0));
		h[2] = h[3] = 0;
		if (h[0] == PCI_CAP_EA) {
			len = caps[k].header_type == 1 ? 8 : 4;
			h[2] = (uint8_t)take(pr, 1) % 4;
			for (int e = 0; e < h[2]; e++) {
				uint32_t es = (uint32_t)take(pr, 1) % 8;

				if (len + 4 * (1 + es) > sizeof(caps[k].std[c]))
					es = sizeof(caps[k].std[c]) / 4 - len / 4 - 1;
				memset(h + len, 0, 4);
				h[len] = (uint8_t)es;
				len += 4 * (1 + es);
				if (len == sizeof(caps[k].std[c]))
					h[2] = (uint8_t)(e + 1);
			}
		}
		caps[k].std_len[c] = (uint8_t)len;
	}
}

/*
 * Interrupt Pin INTA# or none, routed to the cell or not (caps[k].intx), as
 * pci.c does at cell creation: on the root bus, one not routed has intx_off.
 */
static void setup_intx(int k)
{
	uint32_t pick = caps[k].intx, pin = pick & 1;

	cfg_space(placed[k].bdf)[PCI_INTERRUPT_PIN] = (uint8_t)pin;
	CHECK(pci_intx_setup(&cell, &placed[k], "fuzz", pin, pick & 2 ? 42 : 0, NULL, 0) == 0,
	      "pci_intx_setup() refused INTA# or no pin");
	CHECK(placed[k].intx_off == (pin && !(pick & 2)), "intx_off %d for pin %u, %s",
	      placed[k].intx_off, pin, pick & 2 ? "routed" : "not routed");
}

static void setup(struct program *pr)
{
	uint64_t next = 0x10000000;

	memset(ecam, 0x5a, sizeof(ecam));
	memset(pci_fns, 0, sizeof(pci_fns));
	memset(placed, 0, sizeof(placed));
	memset(caps, 0, sizeof(caps));
	memset(sizing, 0, sizeof(sizing));
	memset(sizing_on, 0, sizeof(sizing_on));
	memset(intx_may_be_on, 0, sizeof(intx_may_be_on));
	memset(&cfg, 0, sizeof(cfg));
	host.ecam.base = (uintptr_t)ecam;
	host.ecam.size = sizeof(ecam);
	host.bus_first = host.bus_last = (uint32_t)take(pr, 1);
	pci_host = &host;
	pci_host_ready = true;
	strcpy(cfg.label, "fuzz");
	cell.cfg = &cfg; /* pci_intx_setup() names it */
	cell.id = 0;
	vcpu.cell = &cell;
	cfg.nr_pci = 1 + (int)(take(pr, 1) % 3);
	for (int k = 0; k < cfg.nr_pci; k++) {
		struct pci_fn *f = &placed[k];
		uint32_t fn = (uint32_t)take(pr, 1);

		f->bdf = (uint16_t)(host.bus_first << 8 | fn);
		while (owned(f->bdf) != k) /* taken by an earlier one: the next free */
			f->bdf = (uint16_t)(host.bus_first << 8 | (++fn % NR_FNS));
		for (int i = 0; i < PCI_NR_BARS; i++)
			i += setup_bar(pr, k, i, &next);
		for (int i = 0; i < PCI_NR_BARS; i++)
			dev_write32(f->bdf, PCI_BAR0 + 4 * (uint32_t)i, f->shadow[i]);
		dev_write32(f->bdf, PCI_COMMAND, 0);
		dev_write32(f->bdf, PCI_ROM_ADDRESS, 0);
		/*
		 * IDs of their own: left at the 0x5a fill, they matched every
		 * 256-byte step past the last capability, and the probe took
		 * nearly every function's extended space for an alias of 0x000.
		 */
		caps[k].ids = 0x10c98086u + (uint32_t)k;
		setup_caps(pr, k);
		setup_std_caps(pr, k);
		for (int c = 0; c < caps[k].n_std; c++)
			memcpy(cfg_space(f->bdf) + PCI_CAP_FIRST * (1 + c), caps[k].std[c],
			       caps[k].std_len[c]);
		setup_intx(k);
		restore_headers(k);
		aer_record(k);
		pci_config_probe(f); /* as pci.c does at cell creation */
		CHECK(f->pcie_cap == pcie_cap_of(k),
		      "PCI Express capability found at 0x%x, not 0x%x", f->pcie_cap,
		      pcie_cap_of(k));
		CHECK(f->ext_cfg == has_ext_cfg(k), "extended config space %s (PCIe cap 0x%x, %s)",
		      f->ext_cfg ? "found" : "not found", pcie_cap_of(k),
		      caps[k].mirror ? "0x100 mirrors 0x000" : "no mirror");
		cfg.pci[k] = f->bdf;
	}
	memcpy(pci_fns[0], placed, sizeof(placed));
}

static uint64_t bytes_of(uint32_t dword, uint32_t reg, unsigned int size)
{
	return size == 4 ? dword : (dword >> ((reg & 3) * 8)) & ((1u << (size * 8)) - 1);
}

static void check_read(int k, uint32_t reg, unsigned int size, uint64_t value)
{
	const struct pci_fn *f = &placed[k];
	uint32_t dword;

	if (reg >= PCI_BAR0 && reg < PCI_BAR0 + 4 * PCI_NR_BARS) {
		int i = (int)(reg - PCI_BAR0) / 4;
		uint32_t want = sizing_on[k][i] ? sizing[k][i] : f->shadow[i];

		CHECK(value == bytes_of(want, reg, size), "BAR%d read 0x%lx, not the %s 0x%x", i,
		      (unsigned long)value, sizing_on[k][i] ? "sizing mask" : "placement", want);
		return;
	}
	if (reg >= PCI_ROM_ADDRESS && reg < PCI_ROM_ADDRESS + 4) {
		CHECK(value == 0, "the ROM BAR read 0x%lx", (unsigned long)value);
		return;
	}
	if (reg >= PCI_EXT_CAP && !f->ext_cfg) { /* as probed at setup (checked there) */
		CHECK(value == bytes_of(0xffffffffu, reg, size),
		      "+0x%x read 0x%lx: no extended config space, all ones expected", reg,
		      (unsigned long)value);
		return;
	}
	dword = dev_read32(f->bdf, reg & ~3u);
	CHECK(value == bytes_of(dword, reg, size), "+0x%x read 0x%lx, the device holds 0x%x", reg,
	      (unsigned long)value, dword);
}

static int bar_or_rom(uint32_t reg)
{
	return (reg >= PCI_BAR0 && reg < PCI_BAR0 + 4 * PCI_NR_BARS) ||
	       (reg >= PCI_ROM_ADDRESS && reg < PCI_ROM_ADDRESS + 4);
}

/* The device's side of an owned function after any access: decoding only where placed. */
static void check_function(int k, int wrote, uint32_t reg, const struct range *ranges, int n)
{
	const struct pci_fn *f = &placed[k];
	uint32_t command = dev_read32(f->bdf, PCI_COMMAND);

	CHECK(!(command & PCI_CMD_IO), "I/O decode on (COMMAND 0x%x)", command);
	if (command & PCI_CMD_INTX_DIS)
		intx_may_be_on[k] = false;
	CHECK(!f->intx_off || (command & PCI_CMD_INTX_DIS) || intx_may_be_on[k],
	      "INTx Disable clear (COMMAND 0x%x) after a %s of +0x%x, and the function's INTx is "
	      "not routed to the cell",
	      command & 0xffff, wrote ? "write" : "read", reg);
	CHECK(!(command & PCI_CMD_SERR), "SERR# Enable on (COMMAND 0x%x)", command);
	if (f->pcie_cap)
		CHECK(!(dev_read32(f->bdf, f->pcie_cap + PCI_EXP_DEVCTL) & PCI_EXP_DEVCTL_PHANTOM),
		      "Phantom Functions Enable set (Device Control 0x%x) after a %s of +0x%x",
		      dev_read32(f->bdf, f->pcie_cap + PCI_EXP_DEVCTL) & 0xffff,
		      wrote ? "write" : "read", reg);
	if (f->pm_cap)
		CHECK(!(dev_read32(f->bdf, f->pm_cap + PCI_PM_CTRL) & PCI_PM_PME_EN),
		      "PME_En set (PMCSR 0x%x) after a %s of +0x%x",
		      dev_read32(f->bdf, f->pm_cap + PCI_PM_CTRL) & 0xffff,
		      wrote ? "write" : "read", reg);
	for (int j = 0; j < cfg.nr_pci; j++)
		CHECK(pci_fns[0][j].bdf == placed[j].bdf &&
			      !memcmp(pci_fns[0][j].kind, placed[j].kind, sizeof(placed[j].kind)) &&
			      !memcmp(pci_fns[0][j].shadow, placed[j].shadow,
				      sizeof(placed[j].shadow)) &&
			      !memcmp(pci_fns[0][j].size, placed[j].size, sizeof(placed[j].size)),
		      "the placement of function %d changed", j);
	if (command & PCI_CMD_MEMORY || (wrote && bar_or_rom(reg))) {
		for (int i = 0; i < PCI_NR_BARS; i++)
			CHECK(dev_read32(f->bdf, PCI_BAR0 + 4 * (uint32_t)i) == f->shadow[i],
			      "BAR%d holds 0x%x, placed 0x%x (COMMAND 0x%x)", i,
			      dev_read32(f->bdf, PCI_BAR0 + 4 * (uint32_t)i), f->shadow[i],
			      command);
		CHECK(dev_read32(f->bdf, PCI_ROM_ADDRESS) == 0, "the ROM BAR holds 0x%x",
		      dev_read32(f->bdf, PCI_ROM_ADDRESS));
	}
	for (int r = 0; caps[k].aer_at && r < 4; r++)
		CHECK(dev_read32(f->bdf, caps[k].aer_at + aer_kept_regs[r]) == caps[k].aer[r],
		      "AER +0x%x holds 0x%x, firmware's 0x%x, after a %s of +0x%x",
		      aer_kept_regs[r], dev_read32(f->bdf, caps[k].aer_at + aer_kept_regs[r]),
		      caps[k].aer[r], wrote ? "write" : "read", reg);
	for (int i = 0; wrote && i < n; i++)
		for (uint32_t r = ranges[i].start; r < ranges[i].end && r < ECAM_FN_SIZE; r++)
			CHECK(cfg_space(f->bdf)[r] == before[r],
			      "a write of +0x%x reached +0x%x, inside a capability that moves "
			      "decoding (+0x%x-0x%x)",
			      reg, r, ranges[i].start, ranges[i].end);
}

static void guest_access(struct program *pr)
{
	static const unsigned int sizes[] = { 4, 1, 2, 8 };
	unsigned int pick = (unsigned int)take(pr, 1), size = sizes[pick & 3];
	uint32_t fn = (uint32_t)take(pr, 1), reg = (uint32_t)take(pr, 2) & 0xfff;
	struct mmio_access acc = { .size = size, .write = pick & 4, .value = take(pr, 4) };
	struct range ranges[MAX_RANGES];
	uint16_t bdf;
	int k, ret, n = 0;

	if (pick & 8) /* mostly the cell's own functions */
		fn = placed[fn % (uint32_t)cfg.nr_pci].bdf & 0xff;
	if (!(pick & 16))
		reg &= ~(size - 1);
	bdf = (uint16_t)(host.bus_first << 8 | fn);
	acc.ipa = host.ecam.base + fn * ECAM_FN_SIZE + reg;
	CHECK(pci_ecam_claims(&cell, acc.ipa), "an access inside the window not claimed");
	k = owned(bdf);
	memcpy(before, cfg_space(bdf), ECAM_FN_SIZE);
	if (k >= 0) /* found before the access, as the hypervisor finds them */
		n = protected_ranges(k, ranges);
	ret = pci_ecam_access(&vcpu, &acc);
	CHECK(ret == ((size > 4 || reg % size) ? -EINVAL : 0), "%u bytes at +0x%x: %d", size, reg,
	      ret);
	if (ret)
		CHECK(memcmp(before, cfg_space(bdf), ECAM_FN_SIZE) == 0, "a refused access wrote");
	else if (k < 0 && acc.write)
		CHECK(memcmp(before, cfg_space(bdf), ECAM_FN_SIZE) == 0,
		      "a write of +0x%x reached %02x.%u, not the cell's", reg, fn >> 3, fn & 7);
	else if (k < 0)
		CHECK(acc.value == (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1),
		      "a read of %02x.%u, not the cell's, gave 0x%lx", fn >> 3, fn & 7,
		      (unsigned long)acc.value);
	else if (!acc.write)
		check_read(k, reg, size, acc.value);
	else if (size == 4 && reg >= PCI_BAR0 && reg < PCI_BAR0 + 4 * PCI_NR_BARS)
		sizing_on[k][(reg - PCI_BAR0) / 4] = (uint32_t)acc.value == 0xffffffffu;
	else if (reg >= PCI_EXT_CAP && !placed[k].ext_cfg)
		CHECK(memcmp(before + PCI_EXT_CAP, cfg_space(bdf) + PCI_EXT_CAP,
			     ECAM_FN_SIZE - PCI_EXT_CAP) == 0,
		      "a write of +0x%x reached a function without extended config space (%s)", reg,
		      caps[k].mirror ? "it mirrors 0x000-0x0ff there"
				     : "no PCI Express capability");
	if (k >= 0) {
		mirror_writes(k);
		restore_headers(k); /* read-only in hardware */
		check_function(k, !ret && acc.write, reg, ranges, n);
	}
}

/* A reset of the device's own, which the hypervisor does not see: INTx Disable may be clear. */
static void function_reset(struct program *pr)
{
	int k = (int)(take(pr, 1) % (uint64_t)cfg.nr_pci);

	reset_device(k);
	intx_may_be_on[k] = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t untouched[ECAM_FN_SIZE];
	struct program pr = { data, size };

	setup(&pr);
	memset(untouched, 0x5a, sizeof(untouched));
	CHECK(!pci_ecam_claims(&cell, host.ecam.base + sizeof(ecam)) &&
		      !pci_ecam_claims(&cell, host.ecam.base - 1),
	      "an address outside the window claimed");
	while (pr.left) {
		if (take(&pr, 1) % 8 == 7)
			function_reset(&pr);
		else
			guest_access(&pr);
	}
	for (unsigned int fn = 0; fn < NR_FNS; fn++)
		CHECK(owned((uint16_t)(host.bus_first << 8 | fn)) >= 0 ||
			      memcmp(ecam[fn], untouched, ECAM_FN_SIZE) == 0,
		      "function %02x.%u, not the cell's, changed", fn >> 3, fn & 7);
	return 0;
}
