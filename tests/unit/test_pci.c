// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI pass-through (partitions/pci.c at cell creation, partitions/pci_config.c
 * for the guest's config accesses) against a model of the functions behind
 * the ECAM window: pci_priv.h's accessors are this file's (built with
 * BULKHEAD_PCI_CFG_FAKE), so a BAR answers a write of all ones with its
 * sizing mask, a conventional function ignores 0x100-0xfff and reads it as
 * all ones (as QEMU's host bridge does), and a function may alias
 * 0x100-0xfff onto 0x000-0x0ff, as some devices do.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/vcpu.h"
#include "cell.h"
#include "fake_log.h"
#include "mmio.h"
#include "mmu.h"
#include "pci.h"
#include "pci_priv.h"
#include "smmu.h"

#define NR_BUSES 5
#define ECAM	 0x4010000000ULL
#define WIN_BASE 0x10000000ULL
#define WIN_SIZE 0x2eff0000ULL
#define NR_CELLS 2
#define MAX_SIDS 16

/* The counter, in us (1 MHz): moved by the tests, and by a wait for a reset to end. */
static uint64_t now_us;
static bool relax_waits; /* arch_cpu_relax() is a wait for time to pass, not a lock's spin */
#define FLR_US 100000	 /* what a guest waits after an FLR before its next config request */

uint64_t arch_counter_read(void)
{
	return now_us;
}

uint64_t arch_counter_freq(void)
{
	return 1000000;
}

/* Single-threaded: a function's config lock is always free; a wait lets 1 ms pass. */
void arch_cpu_relax(void)
{
	if (!relax_waits)
		fail_msg("spun on a lock nobody holds");
	now_us += 1000;
}

/* Interrupts that arrive while a vCPU waits out its guest's reset: at these times (us). */
static uint64_t irqs_at[4];
static unsigned int nr_irqs_at, irqs_taken;

bool arch_cpu_irq_pending(void)
{
	return irqs_taken < nr_irqs_at && now_us >= irqs_at[irqs_taken];
}

void irq_handle(void)
{
	if (!arch_cpu_irq_pending())
		fail_msg("irq_handle() with nothing pending");
	irqs_taken++;
	now_us += 10;
}

/* --- the device model -------------------------------------------------------- */

static void function_reset(uint16_t bdf);
struct model_fn;
static bool write_resets(uint16_t bdf, struct model_fn *m, uint32_t at, unsigned int size,
			 uint32_t v);
/*
 * A reset of this function lands just before the next COMMAND write that
 * turns Memory or Bus Master on: an FLR completing between the hypervisor's
 * placement and its enable. 0xffff: none.
 */
static uint16_t reset_before_enable = 0xffff;

static struct model_fn {
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
} model[NR_BUSES][256];

static struct model_fn *fn_at(uint16_t bdf)
{
	assert_true(LAYOUT_BDF_BUS(bdf) < NR_BUSES);
	return &model[LAYOUT_BDF_BUS(bdf)][bdf & 0xff];
}

/* Where an access lands in @m's bytes, or -1 where nothing answers. */
static int decode(const struct model_fn *m, uint32_t reg)
{
	if (!m->present || (reg >= PCI_EXT_CAP && m->conventional))
		return -1;
	return (int)(m->alias ? reg % m->alias : reg);
}

/*
 * A config request to a function still resetting: some host bridges abort,
 * at EL2. Unless the model answers as others do (ur_in_reset): true then.
 */
static bool assert_not_resetting(const struct model_fn *m, uint16_t bdf, uint32_t reg)
{
	if (now_us < m->reset_until && m->ur_in_reset)
		return true;
	if (now_us < m->reset_until)
		fail_msg("config request to %02x:%02x.%u +0x%x %llu us into a reset that takes "
			 "until %llu us: on hardware an abort at EL2",
			 LAYOUT_BDF_BUS(bdf), LAYOUT_BDF_DEV(bdf), LAYOUT_BDF_FN(bdf), reg,
			 (unsigned long long)now_us, (unsigned long long)m->reset_until);
	return false;
}

/* Config requests made so far (reads and writes), and each one's size and alignment checked. */
static unsigned int nr_cfg_requests;

/*
 * Reads of one register a test watches (UINT32_MAX: none): a capability list
 * that loops is read there again and again. Past a million, a walk that does
 * not end fails the test instead of hanging it.
 */
static uint32_t watched_reg;
static unsigned int nr_watched_reads;

static void count_request(uint16_t bdf, uint32_t reg, unsigned int size)
{
	nr_cfg_requests++;
	if ((size != 1 && size != 2 && size != 4) || reg % size || reg + size > ECAM_FN_SIZE)
		fail_msg(
			"config request of %u bytes at %02x:%02x.%u +0x%x: not a naturally aligned "
			"access of 1, 2 or 4 bytes inside the function's space",
			size, LAYOUT_BDF_BUS(bdf), LAYOUT_BDF_DEV(bdf), LAYOUT_BDF_FN(bdf), reg);
}

uint32_t pci_cfg_read(uint16_t bdf, uint32_t reg, unsigned int size)
{
	const struct model_fn *m = fn_at(bdf);
	int at = decode(m, reg);
	uint32_t v = 0;
	bool ur = assert_not_resetting(m, bdf, reg);

	count_request(bdf, reg, size);
	if (reg == watched_reg && ++nr_watched_reads > 1000000)
		fail_msg("+0x%x read a million times: a capability walk that does not end", reg);
	if (at < 0 || ur)
		return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	memcpy(&v, &m->cs[at], size);
	return v;
}

/* BAR0 now decodes 1 MiB << @size: the address bits below that no longer take writes. */
static void rebar_resize(struct model_fn *m, uint32_t size)
{
	m->bar_mask[0] = ~((0x100000u << size) - 1);
}

void pci_cfg_write(uint16_t bdf, uint32_t reg, unsigned int size, uint32_t v)
{
	struct model_fn *m = fn_at(bdf);
	int at = decode(m, reg);

	count_request(bdf, reg, size);
	if (assert_not_resetting(m, bdf, reg))
		return;
	if (m->resets_itself && at >= 0 && write_resets(bdf, m, (uint32_t)at, size, v))
		return;
	if (bdf == reset_before_enable && reg == PCI_COMMAND &&
	    (v & (PCI_CMD_MEMORY | PCI_CMD_MASTER))) {
		reset_before_enable = 0xffff;
		function_reset(bdf);
	}
	if (at < 0 || at < PCI_COMMAND || (m->ro_at && (uint32_t)at == m->ro_at))
		return; /* IDs are read-only */
	if (m->rebar_at && (uint32_t)at == m->rebar_at + PCI_REBAR_CTRL)
		rebar_resize(m, (v & PCI_REBAR_CTRL_SIZE) >> 8);
	if (at >= PCI_BAR0 && at < PCI_BAR0 + 4 * PCI_NR_BARS) {
		int i = (at - PCI_BAR0) / 4;
		uint32_t old;

		assert_int_equal(size, 4); /* the hypervisor programs whole BARs */
		memcpy(&old, &m->cs[at], 4);
		/* The address bits the BAR implements take the value; the rest stay. */
		v = (v & m->bar_mask[i]) | (old & ~m->bar_mask[i]);
	}
	memcpy(&m->cs[at], &v, size);
}

static uint32_t dev_read(uint16_t bdf, uint32_t reg, unsigned int size)
{
	uint32_t v = 0;

	memcpy(&v, &fn_at(bdf)->cs[reg], size);
	return v;
}

static void dev_write(uint16_t bdf, uint32_t reg, unsigned int size, uint32_t v)
{
	memcpy(&fn_at(bdf)->cs[reg], &v, size);
}

/* An endpoint (or, with @header_type 1, a bridge) with no BARs and no capabilities. */
static struct model_fn *add_fn(uint16_t bdf, uint8_t header_type)
{
	struct model_fn *m = fn_at(bdf);

	memset(m, 0, sizeof(*m));
	m->present = true;
	dev_write(bdf, PCI_VENDOR_ID, 4, 0x11e81234);
	m->cs[PCI_HEADER_TYPE] = header_type;
	return m;
}

/* BAR @i: its address bits @mask take a write; the rest (flags included) stay. */
static void add_bar(uint16_t bdf, int i, uint32_t mask)
{
	fn_at(bdf)->bar_mask[i] = mask;
}

/* Capability @id at @at, linked at the head of the standard list. */
static void add_cap(uint16_t bdf, uint8_t at, uint8_t id)
{
	struct model_fn *m = fn_at(bdf);

	m->cs[at] = id;
	m->cs[at + 1] = (m->cs[PCI_STATUS] & PCI_STATUS_CAP_LIST) ? m->cs[PCI_CAP_PTR] : 0;
	m->cs[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	m->cs[PCI_CAP_PTR] = at;
}

/* A PCI Express capability at 0x40 of device/port type @type. */
static void add_pcie(uint16_t bdf, uint8_t type)
{
	add_cap(bdf, 0x40, PCI_CAP_EXP);
	dev_write(bdf, 0x42, 2, (uint16_t)(2 | type << 4));
}

/* A bridge at @bdf to buses @sec..@sub: PCI Express of port type @type, or conventional (-1). */
static void add_bridge(uint16_t bdf, int type, uint8_t sec, uint8_t sub)
{
	struct model_fn *m = add_fn(bdf, 1);

	if (type >= 0)
		add_pcie(bdf, (uint8_t)type);
	else
		m->conventional = true;
	m->cs[PCI_SECONDARY_BUS] = sec;
	m->cs[PCI_SUBORDINATE_BUS] = sub;
}

/* An ACS capability at 0x100, the only extended one, offering @cap (Control 0). */
static void add_acs(uint16_t bdf, uint16_t cap)
{
	dev_write(bdf, 0x100, 4, PCI_EXT_ACS | 1u << 16);
	dev_write(bdf, 0x100 + PCI_ACS_CAP, 2, cap);
	dev_write(bdf, 0x100 + PCI_ACS_CTRL, 2, 0);
}

/* --- the rest of the hypervisor, as pci.c sees it ---------------------------------- */

static struct platform plat;
static struct layout_cell cfgs[NR_CELLS];
static struct cell cells[NR_CELLS];
static struct vcpu vcpus[NR_CELLS];
static uint32_t sids[MAX_SIDS];
static int nr_sids;
static int sid_result; /* what smmu_assign() answers: 0, or its refusal */
static const char board_fdt[] = "board";

int mmu_map_device(uint64_t base, uint64_t size)
{
	(void)base;
	(void)size;
	return 0;
}

/* The host's window in PCI addresses (its CPU addresses are WIN_BASE): a test may move it. */
static uint64_t win_pci_base;
static int win_result; /* what platform_pcie_mem32_window() answers */

int platform_pcie_mem32_window(const void *fdt, const struct platform_pcie *pcie, uint64_t win[3])
{
	(void)fdt;
	(void)pcie;
	win[0] = win_pci_base;
	win[1] = WIN_BASE;
	win[2] = WIN_SIZE;
	return win_result;
}

/*
 * Each cell's stage 2, as ranges: like the real one (arch/arm64/stage2.c, a
 * tree with no_replace), it refuses with -EEXIST, nothing written, a range
 * of which any page is already mapped.
 */
#define MAX_S2 32

static struct s2_range {
	uint64_t ipa, size;
	bool device;
} s2[NR_CELLS][MAX_S2];
static int nr_s2[NR_CELLS];

/* The range of cell @c's stage 2 that overlaps [@ipa, @ipa + @size), or NULL. */
static const struct s2_range *s2_overlap(unsigned int c, uint64_t ipa, uint64_t size)
{
	for (int i = 0; i < nr_s2[c]; i++)
		if (ipa < s2[c][i].ipa + s2[c][i].size && s2[c][i].ipa < ipa + size)
			return &s2[c][i];
	return NULL;
}

static int s2_map(unsigned int c, uint64_t ipa, uint64_t size, bool device)
{
	if (s2_overlap(c, ipa, size))
		return -EEXIST;
	assert_true(nr_s2[c] < MAX_S2);
	s2[c][nr_s2[c]++] = (struct s2_range){ ipa, size, device };
	return 0;
}

int arch_stage2_map_device(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size)
{
	assert_true(cell->id < NR_CELLS);
	assert_int_equal(ipa, pa); /* BARs are mapped IPA = PA */
	return s2_map(cell->id, ipa, size, true);
}

bool smmu_enabled(void)
{
	return true;
}

int smmu_assign(struct cell *cell, uint32_t sid, const char *dev)
{
	(void)cell;
	assert_true(nr_sids < MAX_SIDS);
	assert_non_null(strstr(dev, "pci-devices: "));
	if (sid_result)
		return sid_result;
	sids[nr_sids++] = sid;
	return 0;
}

int smmu_cell_abort(struct cell *cell)
{
	(void)cell;
	return 0;
}

/* cell_storm.c's: the cell's next boot is one of a restart storm's, told about as one. */
static bool storm_boot;

bool cell_boot_quiet(const struct cell *cell, uint64_t boot)
{
	(void)cell;
	(void)boot;
	return storm_boot;
}

static int setup(void **state)
{
	(void)state;
	memset(model, 0, sizeof(model));
	memset(&plat, 0, sizeof(plat));
	memset(pci_fns, 0, sizeof(pci_fns));
	reset_before_enable = 0xffff;
	storm_boot = false;
	now_us = 0;
	relax_waits = false;
	plat.pcie.present = true;
	plat.pcie.ecam.base = ECAM;
	plat.pcie.ecam.size = NR_BUSES * ECAM_BUS_SIZE;
	plat.pcie.bus_first = 0;
	plat.pcie.bus_last = NR_BUSES - 1;
	plat.pcie.nr_iommu_map = 1; /* RID = stream, as QEMU virt's */
	plat.pcie.iommu_map[0].len = 0x10000;
	strcpy(plat.pcie.path, "/pcie@10000000");
	pci_host_ready = false;
	nr_cfg_requests = 0;
	watched_reg = UINT32_MAX;
	nr_watched_reads = 0;
	win_pci_base = WIN_BASE;
	win_result = 0;
	nr_sids = 0;
	sid_result = 0;
	memset(nr_s2, 0, sizeof(nr_s2));
	for (unsigned int i = 0; i < NR_CELLS; i++) {
		memset(&cfgs[i], 0, sizeof(cfgs[i]));
		memset(&cells[i], 0, sizeof(cells[i]));
		strcpy(cfgs[i].label, i ? "beta" : "alpha");
		cells[i].cfg = &cfgs[i];
		cells[i].id = i;
		vcpus[i].cell = &cells[i];
	}
	fake_log_reset();
	return 0;
}

/* Cell @c is given the function at @bdf. */
static void give(unsigned int c, uint16_t bdf)
{
	cfgs[c].pci[cfgs[c].nr_pci++] = bdf;
}

static int create(unsigned int c)
{
	return pci_cell_create(&cells[c], &plat, board_fdt);
}

/* The guest of cell @c accesses @bdf's config space through the ECAM window. */
static int guest_access(unsigned int c, uint16_t bdf, uint32_t reg, unsigned int size, bool write,
			uint32_t *value)
{
	struct mmio_access acc = {
		.ipa = ECAM + (uint64_t)LAYOUT_BDF_BUS(bdf) * ECAM_BUS_SIZE +
		       (uint64_t)(bdf & 0xff) * ECAM_FN_SIZE + reg,
		.size = size,
		.write = write,
		.value = write ? *value : 0,
	};
	int ret;

	assert_true(pci_ecam_claims(&cells[c], acc.ipa));
	ret = pci_ecam_access(&vcpus[c], &acc);
	if (!write)
		*value = (uint32_t)acc.value;
	return ret;
}

static void guest_write(unsigned int c, uint16_t bdf, uint32_t reg, unsigned int size, uint32_t v)
{
	assert_int_equal(guest_access(c, bdf, reg, size, true, &v), 0);
}

static uint32_t guest_read(unsigned int c, uint16_t bdf, uint32_t reg, unsigned int size)
{
	uint32_t v;

	assert_int_equal(guest_access(c, bdf, reg, size, false, &v), 0);
	return v;
}

/* --- Phantom Functions ------------------------------------------------------------ */

#define EDU	    0x0018 /* 00:03.0 */
#define DEVCTL	    (0x40 + PCI_EXP_DEVCTL)
#define DEVCTL_RLXD 0x0010 /* Enable Relaxed Ordering: an ordinary bit, passed on */

static void pcie_endpoint_in_alpha(uint16_t bdf)
{
	add_fn(bdf, 0);
	add_pcie(bdf, 0x0); /* PCI Express Endpoint */
	add_bar(bdf, 0, 0xfff00000);
	give(0, bdf);
}

static void assert_no_phantom_functions(uint16_t bdf, const char *after)
{
	uint32_t devctl = dev_read(bdf, DEVCTL, 2);

	if (devctl & PCI_EXP_DEVCTL_PHANTOM)
		fail_msg("after %s the device's Device Control is 0x%04x: Phantom Functions "
			 "Enable set",
			 after, devctl);
}

static void test_phantom_functions_left_on_by_firmware_are_turned_off_at_boot(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, DEVCTL, 2, PCI_EXP_DEVCTL_PHANTOM | DEVCTL_RLXD);
	assert_int_equal(create(0), 0);
	assert_no_phantom_functions(EDU, "cell creation");
	assert_int_equal(dev_read(EDU, DEVCTL, 2), DEVCTL_RLXD);
}

static void test_guest_cannot_enable_phantom_functions_with_any_access_size(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_PHANTOM | DEVCTL_RLXD);
	assert_no_phantom_functions(EDU, "a 2-byte write of 0x0210");
	assert_int_equal(dev_read(EDU, DEVCTL, 2), DEVCTL_RLXD);
	guest_write(0, EDU, DEVCTL + 1, 1, PCI_EXP_DEVCTL_PHANTOM >> 8);
	assert_no_phantom_functions(EDU, "a 1-byte write of 0x02 at Device Control + 1");
	guest_write(0, EDU, DEVCTL, 4, 0xffffffff); /* an FLR too: read after it ends */
	now_us += FLR_US;
	assert_no_phantom_functions(EDU, "a 4-byte write of all ones");
	assert_int_equal(dev_read(EDU, DEVCTL, 2), 0xffff & ~PCI_EXP_DEVCTL_KEPT);
	assert_int_equal(guest_read(0, EDU, DEVCTL, 2) & PCI_EXP_DEVCTL_PHANTOM, 0);
}

#define MPS_256 (1u << 5)

static void test_guest_keeps_firmwares_payload_size_and_error_reporting(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, DEVCTL, 2, MPS_256 | PCI_EXP_DEVCTL_ERR_EN); /* as firmware set it */
	assert_int_equal(create(0), 0);
	/* 4096 bytes and no error reporting asked for; Relaxed Ordering passes. */
	guest_write(0, EDU, DEVCTL, 2, (5u << 5) | DEVCTL_RLXD);
	assert_int_equal(dev_read(EDU, DEVCTL, 2), MPS_256 | PCI_EXP_DEVCTL_ERR_EN | DEVCTL_RLXD);
	guest_write(0, EDU, DEVCTL, 1, 0);
	assert_int_equal(dev_read(EDU, DEVCTL, 2), MPS_256 | PCI_EXP_DEVCTL_ERR_EN);
	/* Max_Read_Request_Size (14:12) is the function's own business. */
	guest_write(0, EDU, DEVCTL + 1, 1, 0x50);
	assert_int_equal(dev_read(EDU, DEVCTL, 2), 0x5000 | MPS_256 | PCI_EXP_DEVCTL_ERR_EN);
	/* A function reset clears them; the guest's restore writes firmware's back. */
	dev_write(EDU, DEVCTL, 2, 0x2000);
	guest_write(0, EDU, DEVCTL, 2, 0x2000);
	assert_int_equal(dev_read(EDU, DEVCTL, 2), 0x2000 | MPS_256 | PCI_EXP_DEVCTL_ERR_EN);
}

/* --- extended config space (0x100-0xfff) -------------------------------------------- */

#define PLACED_BAR0 0x10000000u /* the window's first page: where alpha's BAR0 goes */

/* A function that decodes 8 bits of the offset: 0x110 is BAR0, 0x104 is COMMAND. */
static void aliasing_function_in_alpha(bool pcie)
{
	struct model_fn *m = add_fn(EDU, 0);

	if (pcie)
		add_pcie(EDU, 0x0);
	add_bar(EDU, 0, 0xfff00000);
	m->alias = 0x100;
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
}

/*
 * The guest's writes to BAR0 and COMMAND at @alias + their offsets reach
 * neither: COMMAND stays as the assignment left it, INTx Disable only.
 */
static void assert_alias_writes_dropped(unsigned int alias)
{
	guest_write(0, EDU, alias + PCI_BAR0, 4, 0x20000000);
	guest_write(0, EDU, alias + PCI_COMMAND, 2, PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER);
	if (dev_read(EDU, PCI_BAR0, 4) != PLACED_BAR0 ||
	    dev_read(EDU, PCI_COMMAND, 2) != PCI_CMD_INTX_DIS)
		fail_msg("writes at 0x%x and 0x%x reached BAR0 (now 0x%x, placed 0x%x) and "
			 "COMMAND (now 0x%x) through the alias",
			 alias + PCI_BAR0, alias + PCI_COMMAND, dev_read(EDU, PCI_BAR0, 4),
			 PLACED_BAR0, dev_read(EDU, PCI_COMMAND, 2));
}

static void assert_aliases_unreachable(void)
{
	assert_alias_writes_dropped(0x100);
	assert_int_equal(guest_read(0, EDU, 0x100, 4), 0xffffffff);
	assert_int_equal(guest_read(0, EDU, 0x100 + PCI_BAR0, 2), 0xffff);
	assert_int_equal(guest_read(0, EDU, 0xfff, 1), 0xff);
}

static void test_conventional_function_takes_no_writes_beyond_256_bytes(void **state)
{
	(void)state;
	aliasing_function_in_alpha(false);
	assert_aliases_unreachable();
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x110 dropped: beyond its 256-byte "
		      "config space (conventional PCI: no PCI Express capability)");
}

static void test_pcie_function_whose_0x100_aliases_0x000_takes_no_writes_there(void **state)
{
	(void)state;
	aliasing_function_in_alpha(true);
	assert_aliases_unreachable();
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x104 dropped: beyond its 256-byte "
		      "config space (its extended space repeats 0x000: an alias)");
}

/*
 * A function that decodes 9 bits of the offset: 0x100-0x1ff are its own (an
 * extended capability there), 0x200 repeats 0x000, so 0x204 is COMMAND and
 * 0x210 BAR0. Before, only 0x100 was compared with the IDs, and the guest's
 * writes there moved BAR0 and turned on I/O decode past the header's filters.
 */
static void test_pcie_function_whose_0x200_aliases_0x000_takes_no_writes_there(void **state)
{
	struct model_fn *m = add_fn(EDU, 0);

	(void)state;
	add_pcie(EDU, 0x0);
	add_acs(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	m->alias = 0x200;
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_alias_writes_dropped(0x200);
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x210 dropped: beyond its 256-byte "
		      "config space (its extended space repeats 0x000: an alias)");
}

static void test_pcie_function_with_extended_capabilities_keeps_them(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, 0x100, 4, 0x000b | 1u << 16); /* a vendor-specific one, last in the list */
	assert_int_equal(create(0), 0);
	fake_log_reset(); /* its creation warns it has no function reset */
	guest_write(0, EDU, 0x108, 4, 0x00112233);
	assert_int_equal(dev_read(EDU, 0x108, 4), 0x00112233);
	assert_int_equal(guest_read(0, EDU, 0x100, 4), 0x000b | 1u << 16);
	assert_int_equal(fake_log_count(LOG_WARN), 0);
}

/* --- AER: what is reported, and how, is the board's ------------------------------------ */

#define AER		0x100
#define AER_UNCOR_MASK	0x00400000u /* as firmware set them */
#define AER_UNCOR_SEVER 0x00462030u
#define AER_COR_MASK	0x00002000u
#define AER_CAP_ECRC	0x000001a0u /* ECRC generation and check enabled, and capable */

static void aer_endpoint_in_alpha(void)
{
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, AER, 4, PCI_EXT_AER | 1u << 16);
	dev_write(EDU, AER + PCI_ERR_UNCOR_MASK, 4, AER_UNCOR_MASK);
	dev_write(EDU, AER + PCI_ERR_UNCOR_SEVER, 4, AER_UNCOR_SEVER);
	dev_write(EDU, AER + PCI_ERR_COR_MASK, 4, AER_COR_MASK);
	dev_write(EDU, AER + PCI_ERR_CAP, 4, AER_CAP_ECRC);
	assert_int_equal(create(0), 0);
}

static void assert_aer_as_firmware_left_it(const char *after)
{
	if (dev_read(EDU, AER + PCI_ERR_UNCOR_MASK, 4) != AER_UNCOR_MASK ||
	    dev_read(EDU, AER + PCI_ERR_UNCOR_SEVER, 4) != AER_UNCOR_SEVER ||
	    dev_read(EDU, AER + PCI_ERR_COR_MASK, 4) != AER_COR_MASK ||
	    dev_read(EDU, AER + PCI_ERR_CAP, 4) != AER_CAP_ECRC)
		fail_msg("after %s AER holds masks 0x%08x/0x%08x, severity 0x%08x, control 0x%08x: "
			 "firmware's were 0x%08x/0x%08x, 0x%08x, 0x%08x",
			 after, dev_read(EDU, AER + PCI_ERR_UNCOR_MASK, 4),
			 dev_read(EDU, AER + PCI_ERR_COR_MASK, 4),
			 dev_read(EDU, AER + PCI_ERR_UNCOR_SEVER, 4),
			 dev_read(EDU, AER + PCI_ERR_CAP, 4), AER_UNCOR_MASK, AER_COR_MASK,
			 AER_UNCOR_SEVER, AER_CAP_ECRC);
}

/*
 * Unmasking an error, or making it fatal, sends the root port messages the
 * board's RAS acts on (a fatal one may reset the link other cells' devices
 * are behind): until 2026-11-24 the guest's writes went to the device.
 */
static void test_guest_cannot_change_aer_masks_severities_or_ecrc(void **state)
{
	(void)state;
	aer_endpoint_in_alpha();
	guest_write(0, EDU, AER + PCI_ERR_UNCOR_MASK, 4, 0);
	guest_write(0, EDU, AER + PCI_ERR_UNCOR_SEVER + 2, 1, 0xff); /* all fatal */
	guest_write(0, EDU, AER + PCI_ERR_COR_MASK, 2, 0);
	guest_write(0, EDU, AER + PCI_ERR_CAP, 4, 0);
	assert_aer_as_firmware_left_it("the guest's writes");
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x108 dropped: AER masks, "
		      "severities and ECRC are the board's (error messages go to the root port): "
		      "firmware's value kept");
	/* Writing what is there is no news; the status registers (RW1C) are the guest's. */
	fake_log_reset();
	guest_write(0, EDU, AER + PCI_ERR_UNCOR_MASK, 4, AER_UNCOR_MASK);
	assert_int_equal(fake_log_count(LOG_WARN), 0);
	guest_write(0, EDU, AER + 0x04, 4, 0x00001000);
	assert_int_equal(dev_read(EDU, AER + 0x04, 4), 0x00001000);
}

/* A function reset clears AER; the guest's restore writes firmware's values back. */
static void test_guest_restore_of_aer_after_a_reset_writes_firmwares_values(void **state)
{
	(void)state;
	aer_endpoint_in_alpha();
	for (uint32_t reg = PCI_ERR_UNCOR_MASK; reg <= PCI_ERR_CAP; reg += 4)
		dev_write(EDU, AER + reg, 4, 0);
	guest_write(0, EDU, AER + PCI_ERR_UNCOR_MASK, 4, 0);
	guest_write(0, EDU, AER + PCI_ERR_UNCOR_SEVER, 4, 0);
	guest_write(0, EDU, AER + PCI_ERR_COR_MASK, 4, 0);
	guest_write(0, EDU, AER + PCI_ERR_CAP, 4, 0);
	assert_aer_as_firmware_left_it("a reset and the guest's restore");
}

/* --- the extended capability list, walked as Linux does ------------------------------ */

/* SR-IOV at @at, VF Enable off: a write of its Control must not reach it. */
static void assert_sriov_control_protected(uint32_t at)
{
	guest_write(0, EDU, at + PCI_SRIOV_CTRL, 2, PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE);
	if (dev_read(EDU, at + PCI_SRIOV_CTRL, 2))
		fail_msg("the guest's write reached SR-IOV Control at +0x%x (now 0x%x): VFs "
			 "decode BARs nobody placed",
			 at + PCI_SRIOV_CTRL, dev_read(EDU, at + PCI_SRIOV_CTRL, 2));
}

/*
 * The next pointer's two low bits are reserved, and software masks them
 * (PCIe r6.0 §7.6.3): until 2026-11-24 a set one ended the walk, and the
 * SR-IOV capability after it was not protected.
 */
static void test_capability_after_a_next_pointer_with_reserved_bits_is_found(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, 0x100, 4, 0x000b | 1u << 16 | (0x200u | 0x3) << 20);
	dev_write(EDU, 0x200, 4, PCI_EXT_SRIOV | 1u << 16);
	assert_int_equal(create(0), 0);
	assert_sriov_control_protected(0x200);
}

/* 0x100-0xfff holds 480 headers 8 bytes apart: until 2026-11-24 the walk stopped at 64. */
static void test_capability_after_64_others_is_found(void **state)
{
	uint32_t at = 0x100;

	(void)state;
	pcie_endpoint_in_alpha(EDU);
	for (int n = 0; n < 100; n++, at += 8)
		dev_write(EDU, at, 4, 0x000b | 1u << 16 | (at + 8) << 20);
	dev_write(EDU, at, 4, PCI_EXT_SRIOV | 1u << 16);
	assert_int_equal(create(0), 0);
	assert_sriov_control_protected(at);
}

/* --- BAR sizes ------------------------------------------------------------------ */

static void test_bar_whose_writable_bits_are_not_contiguous_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff0f000); /* 4 KiB, 64 KiB or 1 MiB? No BAR decodes that. */
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: pci: 00:03.0: BAR0: all ones written, 0xfff0f000 read back: not a "
		      "power-of-two size, the BAR cannot be placed");
}

static void test_64_bit_bar_without_writable_upper_half_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	dev_write(EDU, PCI_BAR0, 4, PCI_BAR_MEM_64);
	add_bar(EDU, 0, 0xfff00000);
	add_bar(EDU, 1, 0); /* bits 63:32 read 0: a size of 2^64 - 4 GiB + 1 MiB */
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("BAR0: all ones written, 0x00000000 fff00004 read back: not a power-of-two");
}

static void test_64_bit_bar_of_4_gib_or_more_is_refused_not_placed_at_0(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	dev_write(EDU, PCI_BAR0, 4, PCI_BAR_MEM_64 | 0x8); /* prefetchable */
	add_bar(EDU, 0, 0);				   /* bits 31:4 hard-wired 0 */
	add_bar(EDU, 1, 0xfffffffe);			   /* 8 GiB */
	give(0, EDU);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged("E: pci: 00:03.0: BAR0 (8388608 KiB) does not fit the 32-bit window");
}

/* 2^63 bytes: the search for a free range must not wrap to PCI address 0. */
static void test_64_bit_bar_of_2_to_the_63_is_refused_not_wrapped(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	dev_write(EDU, PCI_BAR0, 4, PCI_BAR_MEM_64 | 0x8);
	add_bar(EDU, 0, 0);
	add_bar(EDU, 1, 0x80000000);
	give(0, EDU);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged(
		"E: pci: 00:03.0: BAR0 (9007199254740992 KiB) does not fit the 32-bit window");
}

static void test_power_of_two_bars_are_placed_aligned_to_their_size(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfffff000); /* 4 KiB */
	add_bar(EDU, 1, 0xfff00000); /* 1 MiB */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), WIN_BASE);
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 4, 4), WIN_BASE + 0x100000);
	assert_int_equal(guest_read(0, EDU, PCI_BAR0 + 4, 4), WIN_BASE + 0x100000);
	guest_write(0, EDU, PCI_BAR0 + 4, 4, 0xffffffff);
	assert_int_equal(guest_read(0, EDU, PCI_BAR0 + 4, 4), 0xfff00000);
}

static void test_no_bar_is_placed_at_pci_address_0(void **state)
{
	(void)state;
	win_pci_base = 0; /* a host whose window starts at PCI address 0 */
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	/* 0 reads as "not assigned" to Linux and firmware: the next aligned address instead. */
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), 0x100000);
}

/*
 * A VGA-compatible function decodes PCI addresses 0xa0000-0xbffff with no
 * BAR: with the window at PCI address 0, five 128 KiB BARs first fit at
 * 0x20000-0x9ffff, and the fifth goes past the VGA range, not into it.
 * Until 2026-11-25 it was placed at 0xa0000.
 */
static void test_no_bar_is_placed_in_the_legacy_vga_range(void **state)
{
	uint32_t bar4;

	(void)state;
	win_pci_base = 0;
	add_fn(EDU, 0);
	for (int i = 0; i < 5; i++)
		add_bar(EDU, i, 0xfffe0000);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 4 * 3, 4), 0x80000);
	bar4 = dev_read(EDU, PCI_BAR0 + 4 * 4, 4);
	if (bar4 < 0xc0000 && bar4 + 0x20000 > 0xa0000)
		fail_msg("BAR4 placed at 0x%x, in the legacy VGA range 0xa0000-0xbffff", bar4);
	assert_int_equal(bar4, 0xc0000);
}

/*
 * What cell_create() maps before pci_cell_create() (cell_create.c: map_cell()):
 * cell @c's memory and shared memory, as its layout gives them.
 */
static void map_cell_memory(unsigned int c)
{
	for (int i = 0; i < cfgs[c].nr_mem; i++)
		assert_int_equal(s2_map(c, cfgs[c].mem[i].ipa, cfgs[c].mem[i].size, false), 0);
	for (int i = 0; i < cfgs[c].nr_shm; i++)
		assert_int_equal(s2_map(c, cfgs[c].shm[i].ipa, cfgs[c].shm[i].size, false), 0);
}

/*
 * The layout check refuses memory over the host's BAR window (layout_board_pci.c);
 * past it, stage 2 is what keeps a BAR from being mapped over what the cell has.
 * Here a 1 MiB BAR0 lands at the window's first page, PLACED_BAR0.
 */
static void assert_bar0_refused_and_not_mapped(void)
{
	const struct s2_range *r;
	int ret = create(0);

	if (ret != -EEXIST)
		fail_msg("alpha's creation returned %d, not -EEXIST (%d); log was:\n%s", ret,
			 -EEXIST, fake_log_text());
	assert_logged("E: alpha: pci: 00:03.0: BAR0 at 0x10000000+0x100000 overlaps what the cell "
		      "already has there (its RAM, shared memory or a device)");
	assert_not_logged("BAR0: 0x10000000+0x100000 mapped");
	assert_not_logged("assigned");
	r = s2_overlap(0, PLACED_BAR0, 0x100000);
	if (!r || r->device)
		fail_msg("alpha's stage 2 at BAR0 (0x%x+0x100000): %s, not only its memory",
			 PLACED_BAR0, r ? "a device mapping" : "nothing");
	assert_int_equal(nr_sids, 0);
}

/*
 * Its RAM inside the BAR, neither end of the BAR in it: the layout of
 * tests/scenarios/layouts/smmu-bar-over-ram.dts, which the layout check now refuses first.
 */
static void test_bar_over_the_cells_ram_is_refused_not_mapped_over_it(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000); /* 1 MiB */
	give(0, EDU);
	cfgs[0].mem[0] = (struct layout_region){ 0x48000000, 0x48000000, 0x04000000 };
	cfgs[0].mem[1] = (struct layout_region){ PLACED_BAR0 + 0x40000, 0x44000000, 0x40000 };
	cfgs[0].nr_mem = 2;
	map_cell_memory(0);
	assert_bar0_refused_and_not_mapped();
}

/* Shared memory straddling the BAR's end. */
static void test_bar_over_the_cells_shared_memory_is_refused_not_mapped_over_it(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	give(0, EDU);
	cfgs[0].mem[0] = (struct layout_region){ 0x48000000, 0x48000000, 0x04000000 };
	cfgs[0].nr_mem = 1;
	cfgs[0].shm[0].ipa = PLACED_BAR0 + 0xff000;
	cfgs[0].shm[0].pa = 0x4f000000;
	cfgs[0].shm[0].size = 0x2000;
	cfgs[0].nr_shm = 1;
	map_cell_memory(0);
	assert_bar0_refused_and_not_mapped();
}

/* A function whose stream the SMMU refuses is not said to be assigned. */
static void test_function_whose_stream_is_refused_is_not_logged_assigned(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	give(0, EDU);
	sid_result = -ERANGE;
	assert_int_equal(create(0), -ERANGE);
	assert_not_logged("assigned");
	sid_result = 0;
	fake_log_reset();
	assert_int_equal(create(0), 0);
	assert_logged("I: alpha: pci: 00:03.0 (1234:11e8) assigned");
}

/* --- the guest's BAR writes: the placement stays ------------------------------------ */

/*
 * The guest writes 0x20000000 to BAR @i of 00:03.0 (placed at @placed) while
 * Memory is on: the device goes on decoding where the hypervisor put it, and
 * the guest reads that back. A write that reached the device would move the
 * function, decoding, to an address of the host's window this cell's stage 2
 * does not map: another cell's BAR, or nobody's.
 */
static void assert_bar_write_keeps_the_placement(int i, uint32_t placed)
{
	uint32_t reg = PCI_BAR0 + 4 * (uint32_t)i;

	assert_int_equal(dev_read(EDU, reg, 4), placed);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_true(dev_read(EDU, PCI_COMMAND, 2) & PCI_CMD_MEMORY);
	guest_write(0, EDU, reg, 4, 0x20000000);
	if (dev_read(EDU, reg, 4) != placed)
		fail_msg("the guest's write of 0x20000000 to BAR%d (+0x%x), Memory on, reached the "
			 "device: it holds 0x%08x, placed at 0x%08x",
			 i, reg, dev_read(EDU, reg, 4), placed);
	assert_int_equal(guest_read(0, EDU, reg, 4), placed);
}

static void test_guest_write_of_bar0_leaves_the_device_decoding_where_placed(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000); /* 1 MiB */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_bar_write_keeps_the_placement(0, PLACED_BAR0);
}

/* BAR5, the last: an AHCI controller's registers (ABAR) are there. */
static void test_guest_write_of_bar5_leaves_the_device_decoding_where_placed(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 5, 0xffffe000); /* 8 KiB */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_bar_write_keeps_the_placement(5, PLACED_BAR0);
}

/*
 * 00:03.0 with a 64-bit BAR0 (1 MiB), BAR5 (8 KiB) and a PCI Express
 * capability, the bytes around the BARs and the ROM (BIST, CardBus CIS,
 * Subsystem ID, Capabilities Pointer) set, given to alpha.
 */
static void edu_with_bars_around(void)
{
	add_fn(EDU, 0);
	add_pcie(EDU, 0x0);
	dev_write(EDU, PCI_BAR0, 4, PCI_BAR_MEM_64);
	add_bar(EDU, 0, 0xfff00000);
	add_bar(EDU, 1, 0xffffffff);
	add_bar(EDU, 5, 0xffffe000);
	dev_write(EDU, 0x0f, 1, 0x5b);
	dev_write(EDU, 0x28, 4, 0x12345678);
	dev_write(EDU, 0x2c, 4, 0xab3412e8);
	give(0, EDU);
	assert_int_equal(create(0), 0);
}

/*
 * Every byte of BAR0-BAR5 (0x10-0x27) and the Expansion ROM BAR (0x30-0x33)
 * is emulated: a byte write of any of them reaches no device register (one
 * that did would move a BAR, or turn the ROM on at an address of the
 * guest's choosing), and reads show the placement. The bytes around them
 * are the device's.
 */
static void test_every_byte_of_the_bars_and_the_rom_is_emulated_and_none_around(void **state)
{
	uint8_t before[0x34];
	uint32_t reg;

	(void)state;
	edu_with_bars_around();
	for (reg = PCI_BAR0; reg < 0x34; reg++)
		before[reg] = (uint8_t)dev_read(EDU, reg, 1);
	for (reg = PCI_BAR0; reg < 0x34; reg++) {
		if (reg >= 0x28 && reg < PCI_ROM_ADDRESS)
			continue;
		guest_write(0, EDU, reg, 1, 0x5a);
		for (uint32_t at = PCI_BAR0; at < 0x34; at++)
			if (dev_read(EDU, at, 1) != before[at])
				fail_msg(
					"a byte write of 0x5a at +0x%x changed the device's +0x%x: "
					"0x%02x, was 0x%02x",
					reg, at, dev_read(EDU, at, 1), before[at]);
	}
	assert_int_equal(guest_read(0, EDU, 0x27, 1), dev_read(EDU, 0x24, 4) >> 24);
	assert_int_equal(guest_read(0, EDU, PCI_ROM_ADDRESS, 4), 0);
	assert_int_equal(guest_read(0, EDU, 0x0f, 1), 0x5b);
	assert_int_equal(guest_read(0, EDU, 0x28, 4), 0x12345678);
	assert_int_equal(guest_read(0, EDU, 0x2f, 1), 0xab);
	assert_int_equal(guest_read(0, EDU, PCI_CAP_PTR, 1), 0x40);
}

/*
 * Sizing as Linux does it: all ones written, the size read back, the upper
 * half of a 64-bit BAR too. All ones written to the ROM sizes no BAR.
 */
static void test_a_64_bit_bars_halves_size_and_the_rom_sizes_no_bar(void **state)
{
	uint32_t bar0;

	(void)state;
	edu_with_bars_around();
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 4, 4), 0); /* decoding below 4 GiB */
	bar0 = guest_read(0, EDU, PCI_BAR0, 4);
	guest_write(0, EDU, PCI_ROM_ADDRESS, 4, 0xffffffff);
	assert_int_equal(guest_read(0, EDU, PCI_BAR0, 4), bar0);
	guest_write(0, EDU, PCI_BAR0 + 4, 4, 0xffffffff);
	assert_int_equal(guest_read(0, EDU, PCI_BAR0 + 4, 4), 0xffffffff); /* below 4 GiB */
	guest_write(0, EDU, PCI_BAR0, 4, 0xffffffff);
	assert_int_equal(guest_read(0, EDU, PCI_BAR0, 4), 0xfff00000 | PCI_BAR_MEM_64);
}

/*
 * The ECAM window is claimed from its first byte to its last, not beyond;
 * a function not the cell's reads as absent; and a reset's
 * cleared BARs, BAR5 too, are placed again when Memory goes on.
 */
static void test_the_ecam_window_another_cells_function_and_bar5_after_a_reset(void **state)
{
	uint32_t bar5;

	(void)state;
	edu_with_bars_around();
	assert_true(pci_ecam_claims(&cells[0], ECAM));
	assert_true(pci_ecam_claims(&cells[0], ECAM + NR_BUSES * ECAM_BUS_SIZE - 1));
	assert_false(pci_ecam_claims(&cells[0], ECAM + NR_BUSES * ECAM_BUS_SIZE));
	/* A function not the cell's reads as none: all ones. */
	assert_int_equal(guest_read(0, EDU + 8, PCI_VENDOR_ID, 4), 0xffffffff);
	bar5 = dev_read(EDU, PCI_BAR0 + 20, 4);
	assert_int_not_equal(bar5, 0);
	function_reset(EDU);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 20, 4), bar5);
}

/* --- the guest's ECAM accesses: naturally aligned, 4 bytes at most ------------------ */

/*
 * Cell alpha's @size-byte access at @reg of 00:03.0 is refused (-EINVAL: its
 * vCPU takes an abort) and makes no config request: a misaligned one would
 * reach bytes of two registers at once, past the filters of either (a dword
 * at 0x0e writes BIST and BAR0's low half), or at 0xffe the next function's
 * space, another cell's maybe.
 */
static void assert_access_refused(uint32_t reg, unsigned int size, bool write)
{
	uint32_t v = 0x20000000;
	unsigned int before = nr_cfg_requests;
	int ret = guest_access(0, EDU, reg, size, write, &v);

	if (ret != -EINVAL || nr_cfg_requests != before)
		fail_msg("the guest's %u-byte %s at +0x%x answered %d (not -EINVAL) and made %u "
			 "config request(s)",
			 size, write ? "write" : "read", reg, ret, nr_cfg_requests - before);
}

static void test_misaligned_ecam_accesses_are_refused_and_reach_no_function(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	for (int write = 0; write < 2; write++) {
		assert_access_refused(2, 4, write);
		assert_access_refused(PCI_BAR0 - 2, 4, write);
		assert_access_refused(PCI_COMMAND + 1, 2, write);
		assert_access_refused(0xffe, 4, write);
		assert_access_refused(0xfff, 2, write);
		assert_access_refused(0, 8, write);
	}
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
}

/* --- bridges: requester IDs -------------------------------------------------------- */

#define ROOT_PORT	 0x4
#define DOWNSTREAM_PORT	 0x6
#define PCIE_TO_PCI	 0x7
#define CONVENTIONAL_BR	 (-1)
#define EXPECT_NO_STREAM "not its own, so it cannot have a stream of its own"

static void test_function_below_pcie_to_pci_bridge_is_refused(void **state)
{
	(void)state;
	add_bridge(0x0028, PCIE_TO_PCI, 1, 1); /* 00:05.0, as QEMU's pcie-pci-bridge */
	add_fn(0x0108, 0);		       /* 01:01.0, an edu behind it */
	give(0, 0x0108);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 01:01.0: below 00:05.0, a PCIe-to-PCI/PCI-X bridge: "
		      "its DMA reaches the SMMU with the bridge's requester ID "
		      "01:00.0, " EXPECT_NO_STREAM);
	assert_int_equal(nr_sids, 0);
}

static void test_function_below_conventional_pci_bridge_is_refused(void **state)
{
	(void)state;
	add_bridge(0x0030, CONVENTIONAL_BR, 2, 2); /* 00:06.0 */
	add_fn(0x0200, 0);
	give(0, 0x0200);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 02:00.0: below 00:06.0, a PCI bridge without a PCI "
		      "Express capability (conventional PCI): its DMA reaches the SMMU with the "
		      "bridge's requester ID 00:06.0, " EXPECT_NO_STREAM);
}

static void test_pcie_to_pci_bridge_below_a_root_port_is_found(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 2);   /* 00:01.0 */
	add_bridge(0x0100, PCIE_TO_PCI, 2, 2); /* 01:00.0 */
	add_fn(0x0218, 0);		       /* 02:03.0 */
	give(0, 0x0218);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 02:03.0: below 01:00.0, a PCIe-to-PCI/PCI-X bridge: "
		      "its DMA reaches the SMMU with the bridge's requester ID 02:00.0");
}

static void test_endpoint_below_pcie_ports_keeps_its_own_stream(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 2);	      /* 00:01.0 */
	add_bridge(0x0100, 0x5 /* upstream */, 2, 2); /* 01:00.0, a switch */
	add_bridge(0x0200, DOWNSTREAM_PORT, 3, 3);    /* 02:00.0 */
	add_bridge(0x0010, PCIE_TO_PCI, 4, 4);	      /* 00:02.0, on another branch */
	add_fn(0x0300, 0);
	add_pcie(0x0300, 0x0);
	give(0, 0x0300);
	/* 02:00.0 leads to bus 3 only if the switch's bus 2 is reached first: numbered by firmware.
	 */
	fn_at(0x0100)->cs[PCI_SUBORDINATE_BUS] = 3;
	fn_at(0x0008)->cs[PCI_SUBORDINATE_BUS] = 3;
	assert_int_equal(create(0), 0);
	assert_int_equal(nr_sids, 1);
	assert_int_equal(sids[0], 0x0300);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/* --- bridges: BARs inside the windows firmware opened -------------------------------- */

/* Bridge @bdf forwards [@start, @end) (1 MiB granules), as firmware's enumeration left it. */
static void open_window(uint16_t bdf, uint64_t start, uint64_t end)
{
	dev_write(bdf, PCI_MEMORY_BASE, 4,
		  (uint32_t)(start >> 16 & 0xfff0) | (uint32_t)((end - 1) >> 16 & 0xfff0) << 16);
}

/* Two root ports, buses 1 and 2, each with a 1 MiB-BAR endpoint: firmware's windows. */
static void two_root_ports(void)
{
	add_bridge(0x0020, ROOT_PORT, 1, 1); /* 00:04.0 */
	add_bridge(0x0028, ROOT_PORT, 2, 2); /* 00:05.0 */
	open_window(0x0020, WIN_BASE, WIN_BASE + 0x100000);
	open_window(0x0028, WIN_BASE + 0x100000, WIN_BASE + 0x300000);
	for (uint16_t bdf = 0x0100; bdf <= 0x0200; bdf += 0x100) {
		add_fn(bdf, 0);
		add_pcie(bdf, 0x0);
		add_bar(bdf, 0, 0xfff00000);
	}
}

static void test_bar_behind_a_root_port_is_placed_inside_its_window(void **state)
{
	(void)state;
	two_root_ports();
	give(0, 0x0200); /* behind 00:05.0, whose window starts 1 MiB into the host's */
	give(0, EDU);	 /* on the root bus, placed after it */
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfffff000);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0200, PCI_BAR0, 4), WIN_BASE + 0x100000);
	/* Not in either port's window: those are forwarded to the functions below them. */
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), WIN_BASE + 0x300000);
	/* The port forwards the BAR's accesses down and its DMA up. */
	assert_int_equal(dev_read(0x0028, PCI_COMMAND, 2) & (PCI_CMD_MEMORY | PCI_CMD_MASTER),
			 PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_int_equal(dev_read(0x0020, PCI_COMMAND, 2), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

static void test_functions_no_cell_owns_behind_ports_are_quiesced(void **state)
{
	(void)state;
	two_root_ports();
	dev_write(0x0100, PCI_COMMAND, 2,
		  PCI_CMD_MEMORY | PCI_CMD_MASTER); /* as firmware left it */
	dev_write(0x0020, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	give(0, 0x0200);
	assert_int_equal(create(0), 0);
	/* INTx too: swizzled onto a host line, which may be a cell's. */
	assert_int_equal(dev_read(0x0100, PCI_COMMAND, 2), PCI_CMD_INTX_DIS);
	/* A bridge keeps its routing: it forwards nothing for a function that decodes nothing. */
	assert_int_equal(dev_read(0x0020, PCI_COMMAND, 2), PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_logged("I: pci: 2 function(s) below the host bridge quiesced");
}

/*
 * A cell refused at boot (a CPU of it not online) is not built, but the
 * function it names must not go on mastering DMA as firmware left it.
 */
static void test_functions_of_a_refused_cell_are_quiesced(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER); /* as U-Boot left it */
	assert_int_equal(pci_cell_refused(&cells[0], &plat, board_fdt), 0);
	if (dev_read(EDU, PCI_COMMAND, 2) & (PCI_CMD_MEMORY | PCI_CMD_MASTER))
		fail_msg("the refused cell's function still has COMMAND 0x%04x: it decodes or "
			 "masters DMA as firmware left it",
			 dev_read(EDU, PCI_COMMAND, 2));
	assert_int_equal(nr_sids, 0); /* nothing of the cell is built: no stream given */
}

#define REFUSED_ALONE ": the cell is refused, the other cells are built without it"

/*
 * QEMU virt's 00:00.0 (1b36:0008) is the host bridge: class 06h/00h with a
 * type 0 header and no BARs, so it passed the bridge check and was assigned,
 * its stream given to the cell. Now it is refused before anything is built.
 */
static void test_the_host_bridge_is_refused_before_anything_is_built(void **state)
{
	(void)state;
	add_fn(0x0000, 0);
	dev_write(0x0000, PCI_CLASS_DEVICE, 2, PCI_CLASS_HOST_BR);
	pcie_endpoint_in_alpha(EDU);
	give(0, 0x0000);
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), -EPERM);
	assert_logged("E: alpha: pci-devices: 00:00.0: the host bridge (class 0x0600): the root "
		      "complex's own function, its config space the host's; endpoints "
		      "only" REFUSED_ALONE);
	assert_not_logged("00:03.0: ");
	assert_int_equal(nr_sids, 0);
}

/* Every function the cell cannot own is named, a bridge and a function not there alike. */
static void test_every_bridge_or_absent_function_of_a_cell_is_named(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 1); /* 00:01.0 */
	give(0, 0x0008);
	give(0, 0x0020); /* 00:04.0: nothing there */
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), -EPERM);
	assert_logged("E: alpha: pci-devices: 00:01.0: a bridge (Header Type 1 or 2): its windows "
		      "and bus numbers route the functions below it; endpoints only" REFUSED_ALONE);
	assert_logged("E: alpha: pci-devices: 00:04.0: no function there (its Vendor ID reads "
		      "0xffff)" REFUSED_ALONE);
}

/*
 * A Root Complex Event Collector (PCI Express type 0xa, a type 0 header,
 * class 08h/07h) collects the errors and PMEs of the root complex's
 * integrated endpoints, other cells' among them: no endpoint. Until
 * 2026-11-25 nothing looked past the header type and the host bridge's class.
 */
static void test_a_root_complex_event_collector_is_refused(void **state)
{
	(void)state;
	add_fn(0x0028, 0); /* 00:05.0 */
	add_pcie(0x0028, 0xa);
	dev_write(0x0028, PCI_CLASS_DEVICE, 2, 0x0807);
	pcie_endpoint_in_alpha(EDU);
	give(0, 0x0028);
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), -EPERM);
	assert_logged("E: alpha: pci-devices: 00:05.0: a Root Complex Event Collector (PCI "
		      "Express device/port type 0xa): it collects the errors and PMEs of the root "
		      "complex's integrated endpoints, other cells' among them; endpoints only "
		      "(types 0x0, 0x1, 0x9)" REFUSED_ALONE);
	assert_not_logged("00:03.0: ");
}

/*
 * A type 0 header whose PCI Express capability says it is a port (a root
 * port's 0x4, here) or a reserved type is refused by its type; endpoints of
 * every kind, and a conventional function (no type), pass.
 */
static void test_only_endpoint_device_port_types_are_assignable(void **state)
{
	(void)state;
	add_fn(0x0028, 0); /* 00:05.0 */
	add_pcie(0x0028, ROOT_PORT);
	add_fn(0x0030, 0); /* 00:06.0 */
	add_pcie(0x0030, 0xf);
	give(0, 0x0028);
	give(0, 0x0030);
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), -EPERM);
	assert_logged("E: alpha: pci-devices: 00:05.0: PCI Express device/port type 0x4, a port, "
		      "a bridge or reserved: it routes or collects for other functions; endpoints "
		      "only (types 0x0, 0x1, 0x9)" REFUSED_ALONE);
	assert_logged("E: alpha: pci-devices: 00:06.0: PCI Express device/port type 0xf");
	setup(NULL);
	for (unsigned int i = 0; i < 3; i++) {
		uint16_t bdf = (uint16_t)(0x0028 + 8 * i); /* 00:05.0-00:07.0 */

		add_fn(bdf, 0);
		add_pcie(bdf, (uint8_t[]){ 0x0, 0x1, 0x9 }[i]);
		give(0, bdf);
	}
	add_fn(0x0040, 0); /* 00:08.0: conventional PCI */
	give(0, 0x0040);
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), 0);
}

/* A VPD capability after the PCI Express one: Address at +2 (F, bit 15), Data at +4. */
#define VPD	 0x80
#define VPD_ADDR (VPD + 2)

/*
 * A VPD address write starts a read or write of the device's own storage,
 * whose writable fields outlive the cell (the next cell's, the host's
 * firmware's): dropped, at every size, and told as the SR-IOV capability's;
 * reads pass. Until 2026-11-25 the writes reached the device.
 */
static void test_vpd_writes_are_dropped_and_its_reads_pass(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	add_cap(EDU, VPD, PCI_CAP_VPD);
	dev_write(EDU, VPD + 4, 4, 0x12345678); /* what the last VPD read left in Data */
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, VPD_ADDR, 2, 0x8000 | 0x10); /* F set: write VPD offset 0x10 */
	guest_write(0, EDU, VPD + 4, 4, 0xdeadbeef);
	guest_write(0, EDU, VPD, 4, 0x0010u << 16);
	guest_write(0, EDU, VPD_ADDR + 1, 1, 0x80);
	assert_int_equal(dev_read(EDU, VPD_ADDR, 2), 0);
	assert_int_equal(dev_read(EDU, VPD + 4, 4), 0x12345678);
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x82 dropped: VPD capability (it "
		      "writes the device's own storage, which outlives the cell: not passed "
		      "through)");
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x84 dropped: VPD capability");
	assert_int_equal(guest_read(0, EDU, VPD + 4, 4), 0x12345678);
	assert_int_equal(guest_read(0, EDU, VPD, 1), PCI_CAP_VPD);
	/* What follows it is written as before. */
	guest_write(0, EDU, VPD + 8, 4, 0xa5a5a5a5);
	assert_int_equal(dev_read(EDU, VPD + 8, 4), 0xa5a5a5a5);
}

/* An endpoint passes, with the tree quiesced by then; a cell without functions reads nothing. */
static void test_a_cell_of_endpoints_passes_the_check(void **state)
{
	(void)state;
	assert_int_equal(pci_cell_check(&cells[1], &plat, board_fdt), 0);
	assert_int_equal(nr_cfg_requests, 0);
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, PCI_COMMAND, 2, PCI_CMD_MASTER);
	assert_int_equal(pci_cell_check(&cells[0], &plat, board_fdt), 0);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2) & PCI_CMD_MASTER, 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

static void test_two_functions_behind_one_port_share_its_window(void **state)
{
	(void)state;
	two_root_ports();
	fn_at(0x0200)->cs[PCI_HEADER_TYPE] = 0x80; /* multi-function */
	add_fn(0x0201, 0);
	add_bar(0x0201, 0, 0xfff00000);
	give(0, 0x0200);
	give(0, 0x0201);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0200, PCI_BAR0, 4), WIN_BASE + 0x100000);
	assert_int_equal(dev_read(0x0201, PCI_BAR0, 4), WIN_BASE + 0x200000);
}

#define SRIOV_CTRL (0x100 + 0x08)
#define SRIOV_VFE  0x1u /* VF Enable */
#define SRIOV_MSE  0x8u /* VF Memory Space Enable */

/*
 * VFs firmware enabled have BARs (in the PF's SR-IOV capability) that nobody
 * placed, decoding wherever firmware put them; their Vendor ID reads all ones,
 * so the walk over functions never finds them to quiesce them one by one.
 */
static void test_vfs_firmware_enabled_are_turned_off_at_boot(void **state)
{
	(void)state;
	add_fn(0x0020, 0); /* 00:04.0, an SR-IOV PF no cell owns */
	add_pcie(0x0020, 0x0);
	dev_write(0x0020, 0x100, 4, PCI_EXT_SRIOV | 1u << 16);
	dev_write(0x0020, SRIOV_CTRL, 2, SRIOV_VFE | SRIOV_MSE | 0x10); /* and ARI Capable */
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	if (dev_read(0x0020, SRIOV_CTRL, 2) & (SRIOV_VFE | SRIOV_MSE))
		fail_msg("00:04.0's SR-IOV Control is 0x%x after boot: its VFs still decode",
			 dev_read(0x0020, SRIOV_CTRL, 2));
	assert_int_equal(dev_read(0x0020, SRIOV_CTRL, 2), 0x10);
	assert_logged("W: pci: 00:04.0: SR-IOV VF Enable and VF Memory Space Enable left on "
		      "(Control 0x0019): turned off");
}

/* An Enhanced Allocation capability at 0x60 with one entry (4 dwords), DW0 @dw0. */
static void add_ea(uint16_t bdf, uint32_t dw0)
{
	add_cap(bdf, 0x60, PCI_CAP_EA);
	dev_write(bdf, 0x60, 2, (uint16_t)(fn_at(bdf)->cs[0x61] << 8 | PCI_CAP_EA));
	dev_write(bdf, 0x62, 2, 1); /* NumEntries */
	dev_write(bdf, 0x64, 4, dw0);
	dev_write(bdf, 0x68, 4, 0x20000000); /* Base */
	dev_write(bdf, 0x6c, 4, 0x000ffffc); /* MaxOffset: 1 MiB */
}

/*
 * A function whose Enhanced Allocation entry firmware (or hardware) left
 * enabled decodes a fixed range no BAR shows, wherever the hypervisor
 * placed its BARs: refused. One with its entries disabled is assigned (a
 * guest's write into the capability is dropped).
 */
static void test_function_with_an_enabled_ea_entry_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_ea(EDU, PCI_EA_ENABLE | 3u);
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 00:03.0: Enhanced Allocation entry 0 is enabled: "
		      "the function decodes a range no BAR shows and the hypervisor did not place, "
		      "once Memory is on; it cannot be assigned");
	setup(NULL);
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_ea(EDU, 3u);
	give(0, EDU);
	assert_int_equal(create(0), 0);
}

static void test_bar_that_does_not_fit_the_port_window_is_refused(void **state)
{
	(void)state;
	two_root_ports();
	add_bar(0x0100, 0, 0xffe00000); /* 2 MiB behind 00:04.0's 1 MiB window */
	give(0, 0x0100);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged("E: pci: 01:00.0: BAR0 (2048 KiB) does not fit in what is left of the "
		      "memory window 0x10000000-0x100fffff that firmware opened through 00:04.0 "
		      "and the ports above it");
}

static void test_function_behind_a_closed_window_is_refused(void **state)
{
	(void)state;
	two_root_ports();
	dev_write(0x0020, PCI_MEMORY_BASE, 4, 0x0000fff0); /* base above limit: closed */
	give(0, 0x0100);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged("E: pci: 01:00.0: BAR0: the memory window of 00:04.0 above it is closed or "
		      "outside the host's 32-bit window (Memory Base/Limit 0x0000fff0): no request "
		      "can reach the function");
}

/*
 * A switch below root port 00:01.0: upstream port 01:00.0, downstream ports
 * 02:00.0 (bus 3) and 02:01.0 (bus 4), a PCI Express endpoint on each.
 */
static void one_switch(void)
{
	add_bridge(0x0008, ROOT_PORT, 1, 4);	      /* 00:01.0 */
	add_bridge(0x0100, 0x5 /* upstream */, 2, 4); /* 01:00.0 */
	add_bridge(0x0200, DOWNSTREAM_PORT, 3, 3);    /* 02:00.0 */
	add_bridge(0x0208, DOWNSTREAM_PORT, 4, 4);    /* 02:01.0: device 1 on the switch's bus */
	for (uint16_t bdf = 0x0300; bdf <= 0x0400; bdf += 0x100) {
		add_fn(bdf, 0);
		add_pcie(bdf, 0x0);
	}
}

static void test_bar_behind_a_switch_is_inside_every_port_window(void **state)
{
	(void)state;
	one_switch();
	open_window(0x0008, WIN_BASE + 0x400000, WIN_BASE + 0x800000);
	open_window(0x0100, WIN_BASE + 0x400000, WIN_BASE + 0x800000);
	open_window(0x0208, WIN_BASE + 0x400000, WIN_BASE + 0x600000); /* the sibling's */
	open_window(0x0200, WIN_BASE + 0x600000, WIN_BASE + 0x800000);
	add_bar(0x0300, 0, 0xfff00000);
	add_bar(0x0300, 1, 0xfff00000);
	give(0, 0x0300);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0300, PCI_BAR0, 4), WIN_BASE + 0x600000);
	assert_int_equal(dev_read(0x0300, PCI_BAR0 + 4, 4), WIN_BASE + 0x700000);
	for (unsigned int i = 0; i < 3; i++) /* the path 00:01.0, 01:00.0, 02:00.0 forwards */
		assert_int_equal(
			dev_read((const uint16_t[]){ 0x0008, 0x0100, 0x0200 }[i], PCI_COMMAND, 2) &
				PCI_CMD_MEMORY,
			PCI_CMD_MEMORY);
	assert_int_equal(dev_read(0x0208, PCI_COMMAND, 2), 0);
}

/*
 * A root port's own BAR (QEMU's pcie-root-port: 4 KiB of MSI-X table, which
 * U-Boot assigns) decodes in the host's window beside the functions' BARs:
 * firmware left its Memory Space on, and a port on a function's path gets it
 * anyway. A BAR placed over it would have half its accesses taken by the port.
 */
static void test_no_bar_is_placed_over_a_root_ports_own_bar(void **state)
{
	(void)state;
	add_fn(0x0010, 0); /* 00:02.0, 1 MiB */
	add_bar(0x0010, 0, 0xfff00000);
	add_bridge(0x0018, ROOT_PORT, 1, 1); /* 00:03.0, window closed */
	add_bar(0x0018, 0, 0xfffff000);
	dev_write(0x0018, PCI_BAR0, 4, (uint32_t)WIN_BASE + 0x100000);
	dev_write(0x0018, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	dev_write(0x0018, PCI_MEMORY_BASE, 4, 0x0000fff0);
	dev_write(0x0018, PCI_PREF_MEMORY_BASE, 4, 0x0000fff0);
	add_fn(0x0020, 0); /* 00:04.0, 1 MiB */
	add_bar(0x0020, 0, 0xfff00000);
	give(0, 0x0010);
	give(0, 0x0020);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0010, PCI_BAR0, 4), WIN_BASE);
	if (dev_read(0x0020, PCI_BAR0, 4) == WIN_BASE + 0x100000)
		fail_msg("00:04.0's BAR0 placed at 0x%x, over the root port's BAR0 at 0x%x+0x1000",
			 dev_read(0x0020, PCI_BAR0, 4), dev_read(0x0018, PCI_BAR0, 4));
	assert_int_equal(dev_read(0x0020, PCI_BAR0, 4), WIN_BASE + 0x200000);
	/* The port's BAR is where firmware put it, decoding as before. */
	assert_int_equal(dev_read(0x0018, PCI_BAR0, 4), WIN_BASE + 0x100000);
	assert_int_equal(dev_read(0x0018, PCI_COMMAND, 2), PCI_CMD_MEMORY);
	assert_logged("I: pci: 00:03.0 (a bridge) BAR0 at 0x10100000+0x1000: kept clear");
}

/* --- multi-function devices split between cells --------------------------------------- */

#define EDU_FN1	   0x0019 /* 00:03.1 */
#define ACS_SV	   (1u << 0)
#define ACS_ALL	   (ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)
#define ACS_NEEDED (PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)
#define EXPECT_SPLIT                                                                              \
	"E: beta: pci-devices: 00:03.1: 00:03.0, a function of the same device, belongs to cell " \
	"\"alpha\", and "

/* 00:03.0 to alpha, 00:03.1 to beta; PCIe functions with ACS offering @acs, or conventional. */
static void split_device(bool pcie, int acs)
{
	for (uint16_t bdf = EDU; bdf <= EDU_FN1; bdf++) {
		add_fn(bdf, bdf == EDU ? 0x80 : 0); /* multi-function */
		add_bar(bdf, 0, 0xfff00000);
		if (pcie)
			add_pcie(bdf, 0x0);
		if (acs >= 0)
			add_acs(bdf, (uint16_t)acs);
	}
	give(0, EDU);
	give(1, EDU_FN1);
}

/* split_device() of PCIe functions with every ACS bit, 00:03.0 given to alpha, 00:03.1 to beta. */
static void split_device_assigned(void)
{
	split_device(true, ACS_ALL);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
}

static uint16_t acs_ctrl(uint16_t bdf)
{
	return (uint16_t)dev_read(bdf, 0x100 + PCI_ACS_CTRL, 2);
}

static void test_conventional_device_split_between_cells_is_refused(void **state)
{
	(void)state;
	split_device(false, -1); /* QEMU's edu, multifunction=on */
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged(EXPECT_SPLIT
		      "00:03.1 has no ACS capability that redirects peer-to-peer "
		      "requests and completions upstream: traffic between the two would "
		      "not reach the SMMU (give all the functions of a device to one "
		      "cell)");
}

static void test_device_split_with_acs_on_both_functions_is_accepted_with_acs_on(void **state)
{
	(void)state;
	split_device_assigned();
	/* Turned on by the hypervisor on both, Source Validation left as it was. */
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	assert_int_equal(acs_ctrl(EDU_FN1), ACS_NEEDED);
	assert_logged("I: beta: pci: 00:03.1 shares its device with 00:03.0 of cell \"alpha\": ACS "
		      "sends the traffic between them to the SMMU");
	/* And the guest cannot turn it off again. */
	guest_write(1, EDU_FN1, 0x100 + PCI_ACS_CTRL, 2, 0);
	assert_int_equal(acs_ctrl(EDU_FN1), ACS_NEEDED);
	assert_logged("W: beta: pci: config write to 00:03.1 +0x106 dropped: ACS capability "
		      "(peer-to-peer isolation is the hypervisor's)");
}

/* A function reset (FLR, D3hot to D0) puts ACS Control back to 0, as PCIe Base 6.6.2 says. */
static void function_reset(uint16_t bdf)
{
	struct model_fn *m = fn_at(bdf);

	if (m->rebar_at) {
		dev_write(bdf, m->rebar_at + PCI_REBAR_CTRL, 2,
			  (uint16_t)(1u << 5 | m->rebar_reset << 8));
		rebar_resize(m, m->rebar_reset);
	}
	dev_write(bdf, PCI_COMMAND, 2, 0);
	dev_write(bdf, 0x100 + PCI_ACS_CTRL, 2, 0);
	for (int i = 0; i < PCI_NR_BARS; i++)
		dev_write(bdf, PCI_BAR0 + 4 * (uint32_t)i, 4, 0);
}

/* alpha starts an FLR of 00:03.0 (Device Control bit 15, passed on); the device resets. */
static void guest_flr_of_edu(void)
{
	guest_write(0, EDU, DEVCTL, 2, 0x8000);
	function_reset(EDU);
	now_us += FLR_US; /* and waits as long as it must */
}

static void test_acs_is_on_again_before_a_reset_function_decodes_or_masters(void **state)
{
	(void)state;
	split_device_assigned();
	guest_flr_of_edu();
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER);
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	function_reset(EDU_FN1);
	/* SERR# Enable is not the guest's: error reporting stays as firmware set Device Control. */
	guest_write(1, EDU_FN1, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_SERR);
	assert_int_equal(acs_ctrl(EDU_FN1), ACS_NEEDED);
	assert_int_equal(dev_read(EDU_FN1, PCI_COMMAND, 2), PCI_CMD_MEMORY);
}

/*
 * After an FLR the ACS Control write may be lost (a function still in reset
 * ignores config writes): the function must not decode or master with
 * redirection off, where another cell's function of its device would reach it
 * (and it them) without the SMMU.
 */
static void test_reset_function_whose_acs_does_not_come_back_stays_off(void **state)
{
	(void)state;
	split_device_assigned();
	guest_flr_of_edu();
	fn_at(EDU)->ro_at = 0x100 + PCI_ACS_CTRL; /* the restore does not take */
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER | PCI_CMD_MEMORY | PCI_CMD_INTX_DIS);
	if (dev_read(EDU, PCI_COMMAND, 2) & (PCI_CMD_MASTER | PCI_CMD_MEMORY))
		fail_msg("ACS Control 0x%x after the reset, yet COMMAND 0x%x: the function decodes "
			 "or masters with peer-to-peer redirection off",
			 acs_ctrl(EDU), dev_read(EDU, PCI_COMMAND, 2));
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), PCI_CMD_INTX_DIS); /* the rest goes on */
	assert_logged("E: alpha: pci: 00:03.0: ACS redirection did not take after a function "
		      "reset (Control 0x0000): Bus Master and Memory kept off");
	/* The next COMMAND write tries again; once Control takes the bits, it goes through. */
	fn_at(EDU)->ro_at = 0;
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER | PCI_CMD_MEMORY);
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), PCI_CMD_MASTER | PCI_CMD_MEMORY);
}

/*
 * A reset that completes between the placement (BARs, ACS) and the COMMAND
 * write that turns decoding on: the function would decode at its reset BARs
 * (0) and master with ACS off, reaching the other cell's function of its
 * device without the SMMU. Both bits go off again at once, and the next
 * COMMAND write places it anew.
 */
static void test_a_reset_completing_before_the_enable_leaves_the_function_off(void **state)
{
	uint32_t bar0;

	(void)state;
	split_device_assigned();
	bar0 = dev_read(EDU, PCI_BAR0, 4);
	assert_int_not_equal(bar0, 0);
	reset_before_enable = EDU;
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER | PCI_CMD_MEMORY);
	if (dev_read(EDU, PCI_COMMAND, 2) & (PCI_CMD_MASTER | PCI_CMD_MEMORY))
		fail_msg("BAR0 0x%x (placed 0x%x), ACS Control 0x%x after the reset, yet COMMAND "
			 "0x%x",
			 dev_read(EDU, PCI_BAR0, 4), bar0, acs_ctrl(EDU),
			 dev_read(EDU, PCI_COMMAND, 2));
	assert_logged("E: alpha: pci: 00:03.0: reset while Memory or Bus Master was turned on "
		      "(BARs or ACS not as placed): both off again, tried again at the next "
		      "COMMAND write");
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER | PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), PCI_CMD_MASTER | PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), bar0);
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
}

/* A function answering all ones (still in reset) has no ACS redirection to rely on. */
static void test_acs_read_as_all_ones_is_not_on(void **state)
{
	(void)state;
	split_device_assigned();
	guest_flr_of_edu();
	dev_write(EDU, 0x100 + PCI_ACS_CTRL, 2, 0xffff);
	fn_at(EDU)->ro_at = 0x100 + PCI_ACS_CTRL;
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2) & PCI_CMD_MASTER, 0);
	assert_logged("E: alpha: pci: 00:03.0: ACS redirection did not take after a function "
		      "reset (Control 0xffff): Bus Master and Memory kept off");
}

static void test_functions_of_an_ari_device_below_a_port_are_one_device(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 1); /* 00:01.0, with ACS */
	add_acs(0x0008, ACS_ALL);
	/* With ARI, 01:00.0 and 01:01.0 are functions 0 and 8 of the one device below it. */
	add_fn(0x0100, 0x80);
	add_fn(0x0108, 0);
	give(0, 0x0100);
	give(1, 0x0108);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged("E: beta: pci-devices: 01:01.0: 01:00.0, a function of the same device, "
		      "belongs to cell \"alpha\", and 01:01.0 has no ACS capability");
}

static void test_acs_bits_a_function_does_not_offer_are_not_required(void **state)
{
	(void)state;
	split_device(true, PCI_ACS_RR | PCI_ACS_CR); /* no Upstream Forwarding: not a port */
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	assert_int_equal(acs_ctrl(EDU_FN1), PCI_ACS_RR | PCI_ACS_CR);
}

static void test_split_refused_when_acs_control_does_not_take_the_bits(void **state)
{
	(void)state;
	split_device(true, ACS_ALL);
	fn_at(EDU)->ro_at = 0x100 + PCI_ACS_CTRL;
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged(EXPECT_SPLIT "00:03.0 has no ACS capability that redirects");
}

static void test_split_below_a_root_port_without_acs_is_refused(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 1); /* 00:01.0, no ACS */
	for (uint16_t bdf = 0x0100; bdf <= 0x0101; bdf++) {
		add_fn(bdf, bdf == 0x0100 ? 0x80 : 0);
		add_pcie(bdf, 0x0);
		add_acs(bdf, ACS_ALL);
	}
	give(0, 0x0100);
	give(1, 0x0101);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged("E: beta: pci-devices: 01:00.1: 01:00.0, a function of the same device, "
		      "belongs to cell \"alpha\", and the port above them, 00:01.0, has no ACS");
	/* With ACS on the port too, the split is accepted. */
	add_acs(0x0008, ACS_ALL);
	fake_log_reset();
	assert_int_equal(create(1), 0);
	assert_int_equal(dev_read(0x0008, 0x100 + PCI_ACS_CTRL, 2), ACS_ALL); /* a port: SV too */
}

/* --- peer-to-peer between devices of two cells below PCI Express ports ------------------- */

#define EXPECT_PEERS                                                                            \
	"has no ACS capability that redirects peer-to-peer requests and completions upstream: " \
	"traffic between the two could turn back before the SMMU"

/* two_root_ports()' devices to alpha and beta: beta refused for @port (00:04.0 is above alpha's).
 */
static void refused_at_port(const char *port)
{
	char msg[400];

	give(0, 0x0100);
	give(1, 0x0200);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	snprintf(
		msg, sizeof(msg),
		"E: beta: pci-devices: 02:00.0: 01:00.0 belongs to cell \"alpha\", and the port %s "
		"on their paths to the root complex " EXPECT_PEERS,
		port);
	assert_logged(msg);
}

static void test_devices_of_two_cells_below_root_ports_without_acs_are_refused(void **state)
{
	(void)state;
	two_root_ports();
	add_acs(0x0028, ACS_ALL); /* 00:05.0 has it; 00:04.0, above alpha's, does not */
	refused_at_port("00:04.0");
}

static void test_devices_of_two_cells_below_root_ports_with_acs_are_accepted(void **state)
{
	(void)state;
	two_root_ports();
	add_acs(0x0020, ACS_ALL);
	add_acs(0x0028, ACS_ALL);
	give(0, 0x0100);
	give(1, 0x0200);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	/* Source Validation too: neither device can claim the other's requester ID (stream). */
	assert_int_equal(acs_ctrl(0x0020), ACS_ALL);
	assert_int_equal(acs_ctrl(0x0028), ACS_ALL);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

static void test_root_port_whose_source_validation_does_not_stick_is_refused(void **state)
{
	(void)state;
	two_root_ports();
	add_acs(0x0020, ACS_ALL);
	add_acs(0x0028, ACS_ALL);
	fn_at(0x0020)->ro_at = 0x100 + PCI_ACS_CTRL;
	dev_write(0x0020, 0x100 + PCI_ACS_CTRL, 2, ACS_NEEDED); /* firmware's, without SV */
	refused_at_port("00:04.0");
}

static void test_devices_of_two_cells_below_one_switch_need_acs_on_its_ports(void **state)
{
	(void)state;
	one_switch();
	add_acs(0x0008, ACS_ALL);
	add_acs(0x0208, ACS_ALL); /* not 02:00.0, above alpha's */
	give(0, 0x0300);
	give(1, 0x0400);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged("E: beta: pci-devices: 04:00.0: 03:00.0 belongs to cell \"alpha\", and the "
		      "port 02:00.0 on their paths to the root complex " EXPECT_PEERS);
}

static void test_intx_behind_a_root_port_is_not_routed_and_says_where_it_arrives(void **state)
{
	(void)state;
	two_root_ports();
	fn_at(0x0200)->cs[PCI_INTERRUPT_PIN] = 1;
	give(0, 0x0200);
	assert_int_equal(create(0), 0);
	assert_logged("W: alpha: pci: 02:00.0: its INTA# reaches the host as INTA# of the root "
		      "port 00:05.0, swizzled by the ports on the way; INTx is routed to a cell "
		      "only for functions on the root bus: not routed, INTx Disable kept set (the "
		      "guest polls)");
}

static void test_intx_behind_a_switch_is_swizzled_by_each_port(void **state)
{
	(void)state;
	one_switch();
	fn_at(0x0400)->cs[PCI_INTERRUPT_PIN] = 3; /* INTC# (not refused: not routed) */
	give(0, 0x0400);
	assert_int_equal(create(0), 0);
	/* INTC# at 02:01.0, INTD# (+1, its device number) at 01:00.0, INTD# at 00:01.0. */
	assert_logged("W: alpha: pci: 04:00.0: its INTC# reaches the host as INTD# of the root "
		      "port 00:01.0");
}

/* --- INTx: a function asserts only a line routed to its cell ------------------------------ */

#define INTID_EDU 35 /* 00:03.0's INTA# through QEMU virt's interrupt-map */

/*
 * alpha owns 02:00.0 behind the root port 00:05.0, whose INTA# is not routed
 * (it reaches the host as a line of the port, which may be another cell's
 * INTx line), and 00:03.0 on the root bus, whose INTA# is.
 */
static void alpha_with_intx_routed_and_not(void)
{
	two_root_ports();
	fn_at(0x0200)->cs[PCI_INTERRUPT_PIN] = 1;
	give(0, 0x0200);
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfffff000);
	fn_at(EDU)->cs[PCI_INTERRUPT_PIN] = 1;
	give(0, EDU);
	cfgs[0].pci_intx[1] = INTID_EDU;
	assert_int_equal(create(0), 0);
}

static void assert_command(uint16_t bdf, uint32_t want, const char *after)
{
	uint32_t got = dev_read(bdf, PCI_COMMAND, 2);

	if (got != want)
		fail_msg("after %s %02x:%02x.%u's COMMAND is 0x%04x, not 0x%04x (INTx Disable %s)",
			 after, LAYOUT_BDF_BUS(bdf), LAYOUT_BDF_DEV(bdf), LAYOUT_BDF_FN(bdf), got,
			 want, got & PCI_CMD_INTX_DIS ? "set" : "clear");
}

/*
 * Until 2026-11-24 the assignment wrote COMMAND = 0 and the guest could
 * clear INTx Disable of a function whose INTx is not routed to its cell: its
 * device, raising INTx and never acknowledged, held another cell's level
 * interrupt asserted.
 */
static void test_unrouted_intx_stays_disabled_whatever_the_guest_writes(void **state)
{
	(void)state;
	alpha_with_intx_routed_and_not();
	assert_command(0x0200, PCI_CMD_INTX_DIS, "the assignment");
	guest_write(0, 0x0200, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_command(0x0200, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY | PCI_CMD_MASTER,
		       "the guest's COMMAND = 0x0006");
	guest_write(0, 0x0200, PCI_COMMAND + 1, 1, 0);
	assert_command(0x0200, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY | PCI_CMD_MASTER,
		       "a byte write of 0 at 0x05");
	guest_write(0, 0x0200, PCI_COMMAND, 4, PCI_CMD_MEMORY);
	assert_command(0x0200, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY, "a dword write of 0x00000002");
	guest_write(0, 0x0200, PCI_COMMAND, 1, PCI_CMD_MASTER);
	assert_command(0x0200, PCI_CMD_INTX_DIS | PCI_CMD_MASTER, "a byte write of 0x04 at 0x04");
	/* A function reset clears COMMAND: a byte write of its low half sets bit 10 again. */
	dev_write(0x0200, PCI_COMMAND, 2, 0);
	guest_write(0, 0x0200, PCI_COMMAND, 1, PCI_CMD_MEMORY);
	assert_command(0x0200, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY,
		       "a reset and a byte write of 0x02 at 0x04");
}

static void test_routed_intx_is_off_until_the_guest_enables_it(void **state)
{
	(void)state;
	alpha_with_intx_routed_and_not();
	assert_command(EDU, PCI_CMD_INTX_DIS, "the assignment");
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_command(EDU, PCI_CMD_MEMORY | PCI_CMD_MASTER, "the guest's COMMAND = 0x0006");
}

/* A stopped cell's functions hold no line asserted, routed to it or not. */
static void test_a_stopped_cells_functions_have_intx_disabled(void **state)
{
	(void)state;
	alpha_with_intx_routed_and_not();
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	guest_write(0, 0x0200, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_int_equal(pci_cell_quiesce(&cells[0]), 0);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the cell's quiesce");
	assert_command(0x0200, PCI_CMD_INTX_DIS, "the cell's quiesce");
}

/* On the root bus, but the host's interrupt-map gives its INTA# no line: not routed either. */
static void test_intx_without_a_line_is_not_routed_and_stays_disabled(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	fn_at(EDU)->cs[PCI_INTERRUPT_PIN] = 1;
	dev_write(EDU, PCI_COMMAND, 2, PCI_CMD_INTX_DIS); /* as firmware left it */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_logged("W: alpha: pci: 00:03.0: Interrupt Pin 1, and no INTx line of the host's "
		      "interrupt-map routed to the cell: not routed, INTx Disable kept set (the "
		      "guest polls)");
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_command(EDU, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY, "the guest's COMMAND = 0x0002");
}

/*
 * On the root bus with INTB#: the layout routes (and the guest DT maps) a
 * function's INTA# only, so the cell is refused, said with the pin; the
 * function's INTx Disable stays set.
 */
static void test_a_root_bus_function_on_intb_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	fn_at(EDU)->cs[PCI_INTERRUPT_PIN] = 2;
	dev_write(EDU, PCI_COMMAND, 2, PCI_CMD_INTX_DIS); /* as the host's bus scan left it */
	give(0, EDU);
	cfgs[0].pci_intx[0] = INTID_EDU;
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 00:03.0: uses INTB#; only INTA# is routed to a cell");
	assert_command(EDU, PCI_CMD_INTX_DIS, "the refusal");
}

static void test_devices_of_two_cells_on_the_root_bus_need_no_ports(void **state)
{
	(void)state;
	add_fn(0x0018, 0);
	add_fn(0x0020, 0);
	give(0, 0x0018);
	give(1, 0x0020);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
}

static void test_functions_of_one_device_in_one_cell_need_no_acs(void **state)
{
	(void)state;
	split_device(false, -1);
	give(0, EDU_FN1);
	cfgs[1].nr_pci = 0;
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/* --- what a function reset puts back that the placement did not expect ------------------- */

/*
 * BAR0 resizable from 1 MiB (firmware's size when it was placed) to 16 MiB,
 * the size a reset puts back: 16 MiB at the placement would decode over the
 * BARs after it. Until 2026-11-24 nothing wrote the size back.
 */
static void test_resizable_bar_size_is_written_back_after_a_reset(void **state)
{
	struct model_fn *m;

	(void)state;
	pcie_endpoint_in_alpha(EDU);
	m = fn_at(EDU);
	m->rebar_at = 0x100;
	m->rebar_reset = 4;
	dev_write(EDU, 0x100, 4, PCI_EXT_REBAR | 1u << 16);
	dev_write(EDU, 0x100 + PCI_REBAR_CTRL, 4, 1u << 5); /* one entry, BAR0, 1 MiB */
	assert_int_equal(create(0), 0);
	guest_flr_of_edu();
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	if ((dev_read(EDU, 0x100 + PCI_REBAR_CTRL, 4) & PCI_REBAR_CTRL_SIZE) != 0)
		fail_msg("BAR0's Resizable BAR Control is 0x%x after the reset and the enable: "
			 "it decodes %u MiB at 0x%x, placed for 1 MiB",
			 dev_read(EDU, 0x100 + PCI_REBAR_CTRL, 4),
			 1u << ((dev_read(EDU, 0x100 + PCI_REBAR_CTRL, 4) >> 8) & 0x3f),
			 dev_read(EDU, PCI_BAR0, 4));
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
	/* A reset landing between the placement and the enable leaves Memory off. */
	reset_before_enable = EDU;
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2) & PCI_CMD_MEMORY, 0);
}

/*
 * The same with BAR5 the only BAR (an AHCI controller's ABAR): BAR5 is
 * checked too, and the reset's leaves Memory off.
 */
static void test_a_reset_before_the_enable_of_a_bar5_only_function_leaves_it_off(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 5, 0xffffe000);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_int_not_equal(dev_read(EDU, PCI_BAR0 + 20, 4), 0);
	reset_before_enable = EDU;
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2) & PCI_CMD_MEMORY, 0);
}

/*
 * A root port with two 32-bit BARs, BAR0 and BAR1 (4 KiB each, 1 and 2 MiB
 * into the window): both are kept clear, and a function's 1 MiB BAR goes
 * after them. BAR1 is a BAR of its own, not BAR0's upper half.
 */
static void test_both_32_bit_bars_of_a_root_port_are_kept_clear(void **state)
{
	(void)state;
	add_bridge(0x0018, ROOT_PORT, 1, 1); /* 00:03.0, windows closed */
	for (int i = 0; i < 2; i++) {
		add_bar(0x0018, i, 0xfffff000);
		dev_write(0x0018, PCI_BAR0 + 4 * (uint32_t)i, 4,
			  (uint32_t)WIN_BASE + 0x100000 * (uint32_t)(i + 1));
	}
	dev_write(0x0018, PCI_MEMORY_BASE, 4, 0x0000fff0);
	dev_write(0x0018, PCI_PREF_MEMORY_BASE, 4, 0x0000fff0);
	add_fn(0x0010, 0); /* 00:02.0, 1 MiB, placed first */
	add_bar(0x0010, 0, 0xfff00000);
	give(0, 0x0010);
	add_fn(0x0020, 0); /* 00:04.0, 1 MiB */
	add_bar(0x0020, 0, 0xfff00000);
	give(0, 0x0020);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0010, PCI_BAR0, 4), WIN_BASE);
	assert_int_equal(dev_read(0x0020, PCI_BAR0, 4), WIN_BASE + 0x300000);
	assert_logged("I: pci: 00:03.0 (a bridge) BAR1 at 0x10200000+0x1000: kept clear");
}

/* Firmware's prefetchable window of 00:04.0 at @start..@end, 64-bit with @upper above. */
static void open_pref_window(uint16_t bdf, uint64_t start, uint64_t end, bool is64, uint32_t upper)
{
	dev_write(bdf, PCI_PREF_MEMORY_BASE, 4,
		  (uint32_t)(start >> 16 & 0xfff0) | (is64 ? PCI_PREF_RANGE_64 : 0) |
			  ((uint32_t)((end - 1) >> 16 & 0xfff0) | (is64 ? PCI_PREF_RANGE_64 : 0))
				  << 16);
	dev_write(bdf, PCI_PREF_BASE_UPPER32, 4, upper);
	dev_write(bdf, PCI_PREF_LIMIT_UPPER32, 4, upper);
}

/*
 * Another port's prefetchable window is forwarded to the functions below
 * it, as its memory window is: no BAR of the root bus is placed in it. One
 * above 4 GiB (its upper halves) takes nothing below.
 */
static void test_a_bar_is_placed_outside_another_ports_prefetchable_window(void **state)
{
	(void)state;
	two_root_ports();
	open_pref_window(0x0020, WIN_BASE + 0x300000, WIN_BASE + 0x400000, false, 0);
	give(0, 0x0200);
	give(0, EDU);
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfffff000);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), WIN_BASE + 0x400000);
}

static void test_a_64_bit_prefetchable_window_above_4_gib_takes_nothing_below(void **state)
{
	(void)state;
	two_root_ports();
	open_pref_window(0x0020, WIN_BASE + 0x300000, WIN_BASE + 0x400000, true, 1);
	give(0, 0x0200);
	give(0, EDU);
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfffff000);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), WIN_BASE + 0x300000);
}

/*
 * A BAR goes inside the host's 32-bit window and below 4 GiB: a 1 GiB BAR
 * does not fit this window (its aligned place would be past its end), and
 * with the window crossing 4 GiB a 2 MiB one does not fit the 1 MiB left
 * below (a 32-bit BAR above would decode at its low 32 bits).
 */
static void test_a_bar_past_the_host_window_or_4_gib_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xc0000000); /* 1 GiB */
	give(0, EDU);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged("BAR0 (1048576 KiB) does not fit the 32-bit window");
}

static void test_a_bar_above_4_gib_of_a_window_crossing_it_is_refused(void **state)
{
	(void)state;
	win_pci_base = 0xfff00000;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xffe00000); /* 2 MiB */
	give(0, EDU);
	assert_int_equal(create(0), -ENOSPC);
	assert_logged("BAR0 (2048 KiB) does not fit the 32-bit window");
}

/* A 64-bit BAR5 has no BAR6 for its upper half: refused, nothing placed past the BARs. */
static void test_a_64_bit_bar5_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	dev_write(EDU, PCI_BAR0 + 20, 4, PCI_BAR_MEM_64);
	add_bar(EDU, 5, 0xfff00000);
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
}

/* BAR4 and BAR5, the last pair, as one 64-bit BAR: placed, the upper half 0. */
static void test_a_64_bit_bar4_the_last_pair_is_placed(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	dev_write(EDU, PCI_BAR0 + 16, 4, PCI_BAR_MEM_64);
	add_bar(EDU, 4, 0xfff00000);
	add_bar(EDU, 5, 0xffffffff);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 16, 4), PLACED_BAR0 | PCI_BAR_MEM_64);
	assert_int_equal(dev_read(EDU, PCI_BAR0 + 20, 4), 0);
}

/* No 32-bit window to place BARs in (the host's ranges): no function is given, none placed. */
static void test_no_host_window_places_nothing(void **state)
{
	(void)state;
	win_result = -ENOENT;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	give(0, EDU);
	assert_int_not_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), 0);
	assert_logged("ranges: no 32-bit memory window to place BARs in");
}

/* Root port 00:04.0, its memory window @start..@end, and alpha's 1 MiB-BAR function below it. */
static void port_window_with_a_function(uint64_t start, uint64_t end)
{
	add_bridge(0x0020, ROOT_PORT, 1, 1);
	open_window(0x0020, start, end);
	add_fn(0x0100, 0);
	add_pcie(0x0100, 0x0);
	add_bar(0x0100, 0, 0xfff00000);
	give(0, 0x0100);
}

/*
 * A root port whose memory window firmware opened past the host's window
 * (below its start, or past its end): a BAR behind it goes only where both
 * forward, the part inside the host's window.
 */
static void test_a_port_window_starting_below_the_host_window_places_inside_it(void **state)
{
	(void)state;
	port_window_with_a_function(WIN_BASE - 0x100000, WIN_BASE + 0x100000);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(0x0100, PCI_BAR0, 4), WIN_BASE);
}

static void test_a_port_window_ending_past_the_host_window_places_nothing_past_it(void **state)
{
	uint64_t top = (WIN_BASE + WIN_SIZE) & ~0xfffffULL; /* 960 KiB below the host's end */

	(void)state;
	port_window_with_a_function(top, top + 0x200000);
	assert_int_equal(create(0), -ENOSPC);
}

/* alpha owns the edu, a PCIe endpoint with an Enhanced Allocation entry 0, disabled. */
static void ea_endpoint_in_alpha(void)
{
	add_fn(EDU, 0);
	add_pcie(EDU, 0x0);
	add_bar(EDU, 0, 0xfff00000);
	add_ea(EDU, 3u);
	give(0, EDU);
	assert_int_equal(create(0), 0);
}

/*
 * An Enhanced Allocation entry disabled at assignment that a reset enables
 * (its default may be on) decodes a range nobody placed: Memory stays off.
 */
static void test_ea_entry_a_reset_enabled_keeps_memory_off(void **state)
{
	(void)state;
	ea_endpoint_in_alpha();
	guest_flr_of_edu();
	dev_write(EDU, 0x64, 4, PCI_EA_ENABLE | 3u);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	if (dev_read(EDU, PCI_COMMAND, 2) & (PCI_CMD_MEMORY | PCI_CMD_MASTER))
		fail_msg("COMMAND 0x%x with EA entry 0 enabled: it decodes 0x20000000+1 MiB, "
			 "which nobody placed",
			 dev_read(EDU, PCI_COMMAND, 2));
	assert_logged("E: alpha: pci: 00:03.0: Enhanced Allocation entry 0 is enabled after a "
		      "function reset: Memory and Bus Master kept off");
}

/*
 * A guest that does not restore AER after a reset (no AER driver) leaves the
 * reset's masks and severities: until 2026-11-24 only its own write of one
 * put firmware's value back. The placement, written again when Memory goes
 * on, puts them back too.
 */
static void test_aer_is_firmwares_again_once_a_reset_function_decodes(void **state)
{
	(void)state;
	aer_endpoint_in_alpha();
	guest_flr_of_edu();
	for (uint32_t reg = PCI_ERR_UNCOR_MASK; reg <= PCI_ERR_CAP; reg += 4)
		dev_write(EDU, AER + reg, 4, 0); /* what the reset left */
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_aer_as_firmware_left_it("a reset and the guest's COMMAND = Memory");
}

/* --- what the log tells of a cell's config writes --------------------------------------- */

#define FOREIGN_WRITE_TOLD \
	"W: alpha: pci: config write to 00:00.0 +0x4 dropped: not the cell's function"

/* alpha's guest writes COMMAND of 00:00.0, not its function, @n times: each dropped. */
static void foreign_writes(int n)
{
	for (int i = 0; i < n; i++)
		guest_write(0, 0x0000, PCI_COMMAND, 2, PCI_CMD_MEMORY);
}

/*
 * Until 2026-11-24 a function kept off after a reset counted against the
 * dropped writes' 8: once Linux's SR-IOV probe alone had used them up, that
 * error (and ACS not taking, and a reset during the enable) was never told.
 */
static void test_a_function_kept_off_is_told_after_many_dropped_writes(void **state)
{
	(void)state;
	ea_endpoint_in_alpha();
	fake_log_reset();
	foreign_writes(20);
	assert_int_equal(fake_log_count(LOG_WARN), 8);
	guest_flr_of_edu();
	dev_write(EDU, 0x64, 4, PCI_EA_ENABLE | 3u);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_logged("E: alpha: pci: 00:03.0: Enhanced Allocation entry 0 is enabled after a "
		      "function reset: Memory and Bus Master kept off");
}

/* Until 2026-11-24 the 8 were the cell's for good: a restarted guest's were never told. */
static void test_dropped_writes_are_told_again_at_each_boot(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	foreign_writes(9);
	fake_log_reset();
	assert_int_equal(pci_cell_quiesce(&cells[0]), 0); /* before the reload of a restart */
	foreign_writes(1);
	assert_logged(FOREIGN_WRITE_TOLD);
}

/* The quick boots of a restart storm are told about as one (cell_storm.c): one 8 for all. */
static void test_a_restart_storms_boots_share_their_8(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	foreign_writes(8);
	fake_log_reset();
	storm_boot = true;
	assert_int_equal(pci_cell_quiesce(&cells[0]), 0);
	foreign_writes(1);
	assert_not_logged(FOREIGN_WRITE_TOLD);
}

/* --- resets the guest starts: config space closed until they end ------------------------- */

#define PM	 0x50 /* the Power Management capability */
#define PM_CTRL	 (PM + PCI_PM_CTRL)
#define D3HOT_US 10000

static void resettable_endpoint_in_alpha(void)
{
	pcie_endpoint_in_alpha(EDU);
	add_cap(EDU, PM, PCI_CAP_PM);
	assert_int_equal(create(0), 0);
}

/* The device side of the guest's FLR: BARs and COMMAND cleared, requests abort for @us. */
static void device_resets_for(uint32_t us)
{
	function_reset(EDU);
	fn_at(EDU)->reset_until = now_us + us;
}

static void assert_closed_to_the_guest(void)
{
	assert_int_equal(guest_read(0, EDU, PCI_COMMAND, 2), 0xffff);
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0xffffffff);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	guest_write(0, EDU, PCI_BAR0, 4, 0xffffffff);
}

/*
 * Until 2026-11-24 the guest's next config access went to the function at
 * once: a request during the reset, which some host bridges abort, at EL2.
 */
static void test_config_space_is_closed_for_100_ms_after_the_guests_flr(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	device_resets_for(FLR_US);
	assert_closed_to_the_guest();
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x4 dropped: the function is still "
		      "resetting (an FLR or D3hot change its guest started: 100 or 10 ms)");
	now_us = FLR_US - 1;
	assert_closed_to_the_guest();
	now_us = FLR_US;
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), PCI_CMD_MEMORY);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0); /* placed again */
}

/* FLR written as the high byte of Device Control: the same. */
static void test_flr_written_as_one_byte_closes_config_space_too(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, DEVCTL + 1, 1, PCI_EXP_DEVCTL_BCR_FLR >> 8);
	device_resets_for(FLR_US);
	assert_closed_to_the_guest();
}

#define AF	0x60 /* an Advanced Features capability */
#define AF_CTRL (AF + PCI_AF_CTRL)
#define AF_TP	0x1u /* AF Capabilities: Transactions Pending */

/* A conventional function (no PCI Express capability) whose AF Capabilities are @caps. */
static void conventional_endpoint_with_af_in_alpha(uint8_t caps)
{
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_cap(EDU, AF, PCI_CAP_AF);
	fn_at(EDU)->cs[AF + 2] = 6; /* its Length */
	fn_at(EDU)->cs[AF + PCI_AF_CAP] = caps;
	give(0, EDU);
	assert_int_equal(create(0), 0);
}

/*
 * A conventional function's FLR is AF Control's Initiate FLR (Linux:
 * pci_af_flr()): until 2026-11-24 only Device Control's was seen, and the
 * guest's next access reached the function in reset.
 */
static void test_config_space_is_closed_for_100_ms_after_an_af_flr(void **state)
{
	(void)state;
	conventional_endpoint_with_af_in_alpha(AF_TP | PCI_AF_CAP_FLR);
	guest_write(0, EDU, AF_CTRL, 1, PCI_AF_CTRL_FLR);
	device_resets_for(FLR_US);
	assert_closed_to_the_guest();
	now_us = FLR_US - 1;
	assert_closed_to_the_guest();
	now_us = FLR_US;
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
	/* A 2- or 4-byte write that covers AF Control: the same. */
	guest_write(0, EDU, AF_CTRL, 2, PCI_AF_CTRL_FLR);
	device_resets_for(FLR_US);
	assert_closed_to_the_guest();
	now_us = 2 * FLR_US;
	guest_write(0, EDU, AF_CTRL, 4, PCI_AF_CTRL_FLR);
	device_resets_for(FLR_US);
	assert_closed_to_the_guest();
}

/* Initiate FLR clear, a write of AF Status, or an AF capability without FLR: no reset. */
static void test_af_writes_that_start_no_flr_leave_config_space_open(void **state)
{
	(void)state;
	conventional_endpoint_with_af_in_alpha(AF_TP | PCI_AF_CAP_FLR);
	guest_write(0, EDU, AF_CTRL, 1, 0);
	guest_write(0, EDU, AF_CTRL + 1, 1, 0x01); /* AF Status: TP (RW1C) */
	/* The header dword as it is: its capability ID, 0x13, has bit 0 set. */
	guest_write(0, EDU, AF, 4, guest_read(0, EDU, AF, 4));
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
	setup(NULL);
	conventional_endpoint_with_af_in_alpha(AF_TP);
	guest_write(0, EDU, AF_CTRL, 1, PCI_AF_CTRL_FLR);
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
}

static void test_config_space_is_closed_for_10_ms_around_d3hot(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, PM_CTRL, 2, PCI_PM_STATE_D3HOT);
	device_resets_for(D3HOT_US);
	assert_closed_to_the_guest();
	now_us = D3HOT_US;
	assert_int_equal(guest_read(0, EDU, PM_CTRL, 2), PCI_PM_STATE_D3HOT);
	guest_write(0, EDU, PM_CTRL, 1, 0); /* back to D0: a reset from D3hot */
	device_resets_for(D3HOT_US);
	assert_closed_to_the_guest();
	now_us = 2 * D3HOT_US;
	assert_int_equal(guest_read(0, EDU, PM_CTRL, 2), 0);
	/* D0 to D0, and a write of PMCSR's upper byte, reset nothing. */
	guest_write(0, EDU, PM_CTRL, 2, 0);
	guest_write(0, EDU, PM_CTRL + 1, 1, 0x01);
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
}

static void test_immediate_readiness_waives_the_wait(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, PCI_STATUS, 2, dev_read(EDU, PCI_STATUS, 2) | PCI_STATUS_IMM_READY);
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	function_reset(EDU);
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0x11e81234);
}

/*
 * A cell stopped right after its FLR: the hypervisor's own COMMAND write
 * waits for the end (the model fails any request before it), then the
 * stop's own reset of the function, D3hot and back (10 ms each).
 */
static void test_quiescing_a_cell_waits_for_its_functions_reset(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	device_resets_for(FLR_US);
	relax_waits = true;
	assert_int_equal(pci_cell_quiesce(&cells[0]), 0);
	assert_true(now_us >= FLR_US + 2 * D3HOT_US);
	assert_true(now_us < FLR_US + 2 * D3HOT_US + 2000);
}

/* --- a stop resets its cell's functions ------------------------------------------------ */

#define DEVCAP	   (0x40 + PCI_EXP_DEVCAP)
#define DEV_STATE  0xa0	       /* a vendor-specific register: what the guest programmed */
#define GUEST_RING 0x48001000u /* there: a ring in its memory, DMA target of the old boot */
#define DEVCTL_FW  (MPS_256 | PCI_EXP_DEVCTL_ERR_EN) /* firmware's Device Control */
#define REBAR	   0x140

/* What hardware's reset clears beyond function_reset(): Device Control, AER, its own state. */
static void hw_reset(uint16_t bdf, uint32_t us)
{
	struct model_fn *m = fn_at(bdf);

	function_reset(bdf);
	dev_write(bdf, DEVCTL, 2, 0);
	dev_write(bdf, DEV_STATE, 4, 0);
	for (uint32_t reg = PCI_ERR_UNCOR_MASK; m->aer_at && reg <= PCI_ERR_CAP; reg += 4)
		dev_write(bdf, m->aer_at + reg, 4, 0);
	m->nr_resets++;
	/* Immediate Readiness (STATUS bit 0): it answers at once. */
	m->reset_until = dev_read(bdf, PCI_STATUS, 2) & PCI_STATUS_IMM_READY ? 0 : now_us + us;
}

static uint32_t pm_state_of(uint16_t bdf)
{
	return dev_read(bdf, fn_at(bdf)->pm_at + PCI_PM_CTRL, 2) & PCI_PM_STATE_MASK;
}

static bool write_resets(uint16_t bdf, struct model_fn *m, uint32_t at, unsigned int size,
			 uint32_t v)
{
	uint32_t pm = m->pm_at + PCI_PM_CTRL, from, to;

	if ((at == DEVCTL && size >= 2 && (v & PCI_EXP_DEVCTL_BCR_FLR) &&
	     (dev_read(bdf, DEVCAP, 4) & PCI_EXP_DEVCAP_FLR)) ||
	    (m->af_at && at == m->af_at + PCI_AF_CTRL && (v & PCI_AF_CTRL_FLR))) {
		if (m->pm_at && pm_state_of(bdf) != PCI_PM_STATE_D0)
			fail_msg("FLR of a function in D%u: Linux wakes it to D0 first",
				 pm_state_of(bdf));
		hw_reset(bdf, m->flr_us ? m->flr_us : FLR_US);
		return true;
	}
	if (!m->pm_at || at != pm)
		return false;
	assert_int_equal(size, 2);
	from = pm_state_of(bdf);
	to = v & PCI_PM_STATE_MASK;
	if (from == to || (from != PCI_PM_STATE_D3HOT && to != PCI_PM_STATE_D3HOT))
		return false;
	if (from == PCI_PM_STATE_D3HOT && !(dev_read(bdf, pm, 2) & PCI_PM_NO_SOFT_RESET))
		hw_reset(bdf, D3HOT_US);
	dev_write(bdf, pm, 2, (dev_read(bdf, pm, 2) & ~PCI_PM_STATE_MASK) | to);
	m->reset_until = now_us + D3HOT_US;
	return true;
}

/*
 * 00:03.0 in alpha: a PCIe endpoint with FLR, firmware's Device Control,
 * AER and a Resizable BAR (1 MiB; 16 MiB after a reset), its guest's BARs
 * enabled and a ring programmed.
 */
static void flr_endpoint_in_alpha(void)
{
	struct model_fn *m;

	pcie_endpoint_in_alpha(EDU);
	m = fn_at(EDU);
	m->resets_itself = true;
	m->aer_at = AER;
	m->rebar_at = REBAR;
	m->rebar_reset = 4;
	dev_write(EDU, DEVCAP, 4, PCI_EXP_DEVCAP_FLR);
	dev_write(EDU, DEVCTL, 2, DEVCTL_FW);
	dev_write(EDU, AER, 4, PCI_EXT_AER | 1u << 16 | REBAR << 20);
	dev_write(EDU, AER + PCI_ERR_UNCOR_MASK, 4, AER_UNCOR_MASK);
	dev_write(EDU, AER + PCI_ERR_UNCOR_SEVER, 4, AER_UNCOR_SEVER);
	dev_write(EDU, AER + PCI_ERR_COR_MASK, 4, AER_COR_MASK);
	dev_write(EDU, AER + PCI_ERR_CAP, 4, AER_CAP_ECRC);
	dev_write(EDU, REBAR, 4, PCI_EXT_REBAR | 1u << 16);
	dev_write(EDU, REBAR + PCI_REBAR_CTRL, 4, 1u << 5); /* one entry, BAR0, 1 MiB */
	assert_int_equal(create(0), 0);
}

static void guest_programs(unsigned int c, uint16_t bdf)
{
	guest_write(c, bdf, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	guest_write(c, bdf, DEV_STATE, 4, GUEST_RING);
}

/* The cell stops (or reloads): its quiesce, waiting as long as the resets take. */
static void stop_cell(unsigned int c)
{
	relax_waits = true;
	assert_int_equal(pci_cell_quiesce(&cells[c]), 0);
	relax_waits = false;
}

static void assert_reset_by_the_stop(uint16_t bdf, unsigned int resets)
{
	if (fn_at(bdf)->nr_resets != resets || dev_read(bdf, DEV_STATE, 4))
		fail_msg("%02x:%02x.%u reset %u time(s), not %u, by the stop: the device holds "
			 "0x%x, the ring its guest programmed, for the next boot's Bus Master",
			 LAYOUT_BDF_BUS(bdf), LAYOUT_BDF_DEV(bdf), LAYOUT_BDF_FN(bdf),
			 fn_at(bdf)->nr_resets, resets, dev_read(bdf, DEV_STATE, 4));
}

/*
 * Until 2026-11-24 a stop only turned Bus Master off: the next boot turns it
 * on before it resets the device, and the old ring DMAs into the new image.
 */
static void test_a_stop_resets_its_function_by_flr(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_logged("I: alpha: pci: 1 function(s) reset (FLR)");
	/* Started at once, waited for once: 100 ms. */
	assert_true(now_us >= FLR_US && now_us < FLR_US + 2000);
}

/* @bdf offers an FLR (Device Capabilities), and resets when one is started. */
static void offers_flr(uint16_t bdf)
{
	fn_at(bdf)->resets_itself = true;
	dev_write(bdf, DEVCAP, 4, PCI_EXP_DEVCAP_FLR);
}

/* --- PME_En: a function's wake-up goes to the host, not to the cell -------------------- */

static void assert_pme_enable_clear(const char *after)
{
	uint32_t pmcsr = dev_read(EDU, PM_CTRL, 2);

	if (pmcsr & PCI_PM_PME_EN)
		fail_msg("PME_En set in the device after %s (PMCSR 0x%04x): its PMEs go to the "
			 "root port, not to the cell",
			 after, pmcsr);
}

/*
 * Until 2026-11-25 PME_En (PMCSR bit 8) was the guest's to set (found by the
 * DMA room's audit): a PME message goes to the root port, not to the cell,
 * and with the port's PME interrupt enabled by firmware its INTx (a line of
 * the host, which the layout's line check does not look at, so maybe another
 * cell's) stays asserted until someone clears the port's PME Status, which no
 * cell owns. Masked out of writes of every width that reaches it.
 */
static void test_guest_cannot_set_pme_enable(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, PM_CTRL, 2, PCI_PM_PME_EN);
	assert_pme_enable_clear("the guest's 2-byte write of PMCSR");
}

static void test_guest_cannot_set_pme_enable_by_its_byte(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, PM_CTRL + 1, 1, PCI_PM_PME_EN >> 8);
	assert_pme_enable_clear("the guest's 1-byte write of PMCSR's upper byte");
}

static void test_guest_cannot_set_pme_enable_by_the_dword(void **state)
{
	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, PM_CTRL, 4, PCI_PM_PME_EN);
	assert_pme_enable_clear("the guest's 4-byte write of PMCSR and its Data");
}

/* The rest of PMCSR is the guest's: PowerState (D3hot closes config space), PME_Status,
 * Data_Select. */
static void test_pmcsr_but_pme_enable_is_written_as_the_guest_wrote_it(void **state)
{
	uint32_t want = PCI_PM_PME_STATUS | 0x0200 | PCI_PM_STATE_D3HOT;

	(void)state;
	resettable_endpoint_in_alpha();
	guest_write(0, EDU, PM_CTRL, 2, want | PCI_PM_PME_EN);
	assert_int_equal(dev_read(EDU, PM_CTRL, 2), want);
	assert_closed_to_the_guest(); /* a change to D3hot: 10 ms */
}

/* PME_En may be sticky (a function that wakes from D3cold): firmware's goes at assignment. */
static void test_assignment_clears_a_pme_enable_firmware_left_set(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	add_cap(EDU, PM, PCI_CAP_PM);
	dev_write(EDU, PM_CTRL, 2, PCI_PM_PME_EN | PCI_PM_STATE_D0);
	assert_int_equal(create(0), 0);
	assert_pme_enable_clear("the function's assignment");
}

/* A reset keeps a sticky PME_En: whatever the function holds then, it is cleared again. */
static void test_a_stops_reset_leaves_pme_enable_clear(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	add_cap(EDU, PM, PCI_CAP_PM);
	offers_flr(EDU);
	assert_int_equal(create(0), 0);
	dev_write(EDU, PM_CTRL, 2, PCI_PM_PME_EN); /* the model's FLR keeps it, as aux power does */
	stop_cell(0);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_pme_enable_clear("a stop's FLR");
}

/* flr_endpoint_in_alpha()'s function after @after: what the hypervisor owns, as placed. */
static void assert_given_back(const char *after)
{
	assert_command(EDU, PCI_CMD_INTX_DIS, after);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
	assert_int_equal(dev_read(EDU, REBAR + PCI_REBAR_CTRL, 4) & PCI_REBAR_CTRL_SIZE, 0);
	assert_int_equal(dev_read(EDU, DEVCTL, 2), DEVCTL_FW);
	assert_aer_as_firmware_left_it(after);
}

/* What the reset cleared that the hypervisor owns is back before the next boot. */
static void test_a_function_reset_by_a_stop_is_placed_again(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	stop_cell(0);
	assert_given_back("the stop's FLR");
}

static void test_a_stop_puts_acs_back_on_its_reset_function(void **state)
{
	(void)state;
	split_device(true, ACS_ALL);
	for (uint16_t bdf = EDU; bdf <= EDU_FN1; bdf++)
		offers_flr(bdf);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	guest_programs(0, EDU);
	guest_programs(1, EDU_FN1);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	/* beta's function of the same device runs on, untouched. */
	assert_int_equal(fn_at(EDU_FN1)->nr_resets, 0);
	assert_int_equal(dev_read(EDU_FN1, DEV_STATE, 4), GUEST_RING);
	assert_command(EDU_FN1, PCI_CMD_MEMORY | PCI_CMD_MASTER, "alpha's stop");
}

/* Two functions: both reset, both started before the one wait. */
static void test_a_stop_resets_all_its_functions_in_one_wait(void **state)
{
	(void)state;
	split_device(true, -1);
	cfgs[1].nr_pci = 0;
	give(0, EDU_FN1);
	for (uint16_t bdf = EDU; bdf <= EDU_FN1; bdf++)
		offers_flr(bdf);
	assert_int_equal(create(0), 0);
	guest_programs(0, EDU);
	guest_programs(0, EDU_FN1);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_reset_by_the_stop(EDU_FN1, 1);
	assert_logged("I: alpha: pci: 2 function(s) reset (FLR)");
	assert_true(now_us < FLR_US + 2000);
}

static void test_a_stop_resets_a_conventional_function_by_its_af_flr(void **state)
{
	(void)state;
	conventional_endpoint_with_af_in_alpha(AF_TP | PCI_AF_CAP_FLR);
	fn_at(EDU)->resets_itself = true;
	fn_at(EDU)->af_at = AF;
	guest_programs(0, EDU);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
	assert_logged("I: alpha: pci: 1 function(s) reset (Advanced Features FLR)");
}

/* An endpoint with a PM capability whose PMCSR says No_Soft_Reset @nsr, with FLR if @flr. */
static void pm_endpoint_in_alpha(bool nsr, bool flr)
{
	pcie_endpoint_in_alpha(EDU);
	add_cap(EDU, PM, PCI_CAP_PM);
	fn_at(EDU)->resets_itself = true;
	fn_at(EDU)->pm_at = PM;
	dev_write(EDU, PM_CTRL, 2, nsr ? PCI_PM_NO_SOFT_RESET : 0);
	dev_write(EDU, DEVCAP, 4, flr ? PCI_EXP_DEVCAP_FLR : 0);
	assert_int_equal(create(0), 0);
}

/* D3hot, 10 ms, D0, 10 ms (the model fails any request inside either). */
static void test_a_stop_resets_a_function_without_flr_through_d3hot(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(false, false);
	guest_programs(0, EDU);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the stop's D3hot to D0");
	assert_logged("I: alpha: pci: 1 function(s) reset (D3hot to D0)");
	assert_true(now_us >= 2 * D3HOT_US && now_us < 2 * D3HOT_US + 2000);
}

/* No reset to use: said once, when it is assigned, and its state left to the next boot. */
static void test_a_function_without_a_reset_is_told_once_at_boot(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(true, false);
	assert_logged("W: alpha: pci: 00:03.0: no function reset (no FLR in Device Capabilities "
		      "or an Advanced Features capability, PMCSR No_Soft_Reset set): what its "
		      "guest programs (queues, descriptors, MSI) survives a stop or restart");
	guest_programs(0, EDU);
	fake_log_reset();
	stop_cell(0);
	cells[0].boots++;
	stop_cell(0);
	assert_int_equal(fn_at(EDU)->nr_resets, 0);
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0); /* not even to D3hot */
	assert_int_equal(dev_read(EDU, DEV_STATE, 4), GUEST_RING);
	assert_int_equal(fake_log_count(LOG_WARN) + fake_log_count(LOG_INFO), 0);
}

/* Its guest left it in D3hot (runtime PM): woken first, then its FLR. */
static void test_a_function_left_in_d3hot_is_woken_before_its_flr(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(true, true);
	guest_programs(0, EDU);
	guest_write(0, EDU, PM_CTRL, 2, PCI_PM_NO_SOFT_RESET | PCI_PM_STATE_D3HOT);
	now_us += D3HOT_US;
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	assert_true(now_us >= 2 * D3HOT_US + FLR_US);
}

/* A stop and the start after it: no guest ran in between, one reset. After a boot, again. */
static void test_a_stop_and_the_start_after_it_reset_once(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	stop_cell(0);
	stop_cell(0); /* the start's reload */
	assert_reset_by_the_stop(EDU, 1);
	cells[0].boots++;
	guest_programs(0, EDU);
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 2);
}

/* Not back after its 100 ms: said, and nothing written to it (a request may abort). */
static void test_a_function_not_back_from_the_stops_reset_is_told(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	fn_at(EDU)->flr_us = 3 * FLR_US;
	fn_at(EDU)->ur_in_reset = true;
	guest_programs(0, EDU);
	stop_cell(0);
	assert_logged("E: alpha: pci: 00:03.0: no answer after its FLR (Vendor ID 0xffff): its "
		      "BARs, ACS and AER are written again when its guest turns it on");
	assert_true(now_us < FLR_US + 2000);
	assert_not_logged("reset (FLR)");
}

/* A restart storm's quick boots are told about as one (cell_storm.c): reset, not said. */
static void test_a_restart_storms_resets_are_not_told(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	storm_boot = true;
	stop_cell(0);
	assert_reset_by_the_stop(EDU, 1);
	assert_not_logged("reset (FLR)");
}

/* --- the first boot resets its cell's functions -------------------------------------- */

#define FW_RING 0x48002000u /* what firmware's driver (U-Boot's) left programmed, not stopped */

/* Every cell built: the first boot's resets begin, continue, and each cell's start ends its own. */
static void first_boot(void)
{
	relax_waits = true;
	pci_reset_first_boot_begin();
	pci_reset_first_boot_continue();
	for (unsigned int c = 0; c < NR_CELLS; c++)
		pci_reset_end(&cells[c]);
	relax_waits = false;
}

/* The cells are loaded: the resets' second steps, each waiting for its first to be over. */
static void first_boot_loaded(void)
{
	relax_waits = true;
	pci_reset_first_boot_continue();
	relax_waits = false;
}

/* The start of cell @c: what is left of its first boot's resets, waited for as long as it takes. */
static void first_start(unsigned int c)
{
	relax_waits = true;
	pci_reset_end(&cells[c]);
	relax_waits = false;
}

static void assert_reset_for_the_first_boot(uint16_t bdf)
{
	if (fn_at(bdf)->nr_resets != 1 || dev_read(bdf, DEV_STATE, 4))
		fail_msg("%02x:%02x.%u reset %u time(s), not once, before the first boot: the "
			 "device holds 0x%x (firmware's ring: 0x%x) for the guest's Bus Master",
			 LAYOUT_BDF_BUS(bdf), LAYOUT_BDF_DEV(bdf), LAYOUT_BDF_FN(bdf),
			 fn_at(bdf)->nr_resets, dev_read(bdf, DEV_STATE, 4), FW_RING);
}

/*
 * Until 2026-11-25 only a stop reset a function: the first boot got it as
 * firmware left it, a ring programmed and not stopped met its Bus Master.
 * Now it is reset as a stop does, and given back what the hypervisor owns.
 */
static void test_the_first_boot_resets_what_firmware_left_in_its_function(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	first_boot();
	assert_reset_for_the_first_boot(EDU);
	assert_logged("I: alpha: pci: 00:03.0 reset (FLR) before the cell's first boot: what "
		      "firmware left programmed in it is gone");
	assert_true(now_us >= FLR_US && now_us < FLR_US + 2000);
	assert_given_back("the first boot's FLR");
}

/*
 * A function of each cell, one device split between them (ACS on both):
 * building beta reads alpha's function (a function in reset may not
 * answer: the model fails such a request), so no reset starts before every
 * cell is built; then all start at once and are waited for once, and ACS is
 * on again in both.
 */
static void test_the_first_boot_resets_every_cells_functions_in_one_wait(void **state)
{
	(void)state;
	split_device(true, ACS_ALL);
	for (uint16_t bdf = EDU; bdf <= EDU_FN1; bdf++) {
		offers_flr(bdf);
		dev_write(bdf, DEV_STATE, 4, FW_RING);
	}
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	first_boot();
	assert_reset_for_the_first_boot(EDU);
	assert_reset_for_the_first_boot(EDU_FN1);
	assert_true(now_us >= FLR_US && now_us < FLR_US + 2000);
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	assert_int_equal(acs_ctrl(EDU_FN1), ACS_NEEDED);
	assert_logged("I: alpha: pci: 00:03.0 reset (FLR) before the cell's first boot");
	assert_logged("I: beta: pci: 00:03.1 reset (FLR) before the cell's first boot");
}

static void test_the_first_boot_resets_a_function_without_flr_through_d3hot(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(false, false);
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	first_boot();
	assert_reset_for_the_first_boot(EDU);
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
	assert_logged("I: alpha: pci: 00:03.0 reset (D3hot to D0) before the cell's first boot");
	assert_true(now_us >= 2 * D3HOT_US && now_us < 2 * D3HOT_US + 2000);
}

/* No reset to use: firmware's state stays, said once at assignment, no reset line. */
static void test_a_function_without_a_reset_keeps_firmwares_state_at_the_first_boot(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(true, false);
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	first_boot();
	assert_int_equal(fn_at(EDU)->nr_resets, 0);
	assert_int_equal(dev_read(EDU, DEV_STATE, 4), FW_RING);
	assert_int_equal(now_us, 0);
	assert_logged("W: alpha: pci: 00:03.0: no function reset");
	assert_not_logged("before the cell's first boot");
}

/* The start after the first boot's reset resets nothing again; a stop after a boot does. */
static void test_the_first_boots_reset_is_not_repeated_before_a_guest_ran(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	first_boot();
	stop_cell(0); /* a stop queued before the first boot ran */
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	cells[0].boots++;
	guest_programs(0, EDU);
	stop_cell(0);
	assert_int_equal(fn_at(EDU)->nr_resets, 2);
	assert_int_equal(dev_read(EDU, DEV_STATE, 4), 0);
}

/* Not back after its 100 ms: said as a stop says it, and nothing written to it. */
static void test_a_function_not_back_from_the_first_boots_reset_is_told(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	fn_at(EDU)->flr_us = 3 * FLR_US;
	fn_at(EDU)->ur_in_reset = true;
	first_boot();
	assert_logged("E: alpha: pci: 00:03.0: no answer after its FLR (Vendor ID 0xffff): its "
		      "BARs, ACS and AER are written again when its guest turns it on");
	assert_not_logged("reset (FLR) before the cell's first boot");
	assert_true(now_us < FLR_US + 2000);
}

/* A layout without PCI functions: the first boot's resets cost no wait and say nothing. */
static void test_the_first_boot_of_a_layout_without_pci_waits_for_nothing(void **state)
{
	(void)state;
	assert_int_equal(create(0), 0);
	first_boot();
	assert_int_equal(now_us, 0);
	assert_int_equal(fake_log_count(LOG_INFO) + fake_log_count(LOG_WARN), 0);
}

/* --- the first boot's resets: begun before the loads, each cell's ended at its start ----- */

/*
 * The cells boot_cells() leaves to their own CPU to start after the boot
 * (cell_first_start()): those with a function whose first reset is to be
 * waited for, until their start ends it; not one without a function, nor
 * one whose function offers no reset.
 */
static void test_only_a_cell_with_a_first_reset_to_end_has_its_start_left(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	assert_int_equal(create(1), 0); /* beta: no function */
	pci_reset_first_boot_begin();
	assert_true(pci_reset_left(&cells[0]));
	assert_false(pci_reset_left(&cells[1]));
	first_start(0);
	assert_false(pci_reset_left(&cells[0]));
}

static void test_a_cell_whose_function_offers_no_reset_has_no_start_left(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(true, false);
	pci_reset_first_boot_begin();
	assert_false(pci_reset_left(&cells[0]));
}

#define LOAD_US 30000 /* how long the cells' loads take, after the resets began */

/*
 * The resets begin once every cell is built, the loads run meanwhile, and
 * the start waits only for what is left. Until 2026-11-26 the wait came
 * whole before the loads: the first instruction 100 ms + the loads after
 * the resets began, not 100 ms.
 */
static void test_the_first_boots_wait_is_what_the_load_left_of_it(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	pci_reset_first_boot_begin();
	now_us += LOAD_US;
	first_start(0);
	if (now_us != FLR_US)
		fail_msg("alpha started %llu us after its FLR began, its load %u us of it: wanted "
			 "%u us, the load inside the wait",
			 (unsigned long long)now_us, LOAD_US, FLR_US);
	assert_reset_for_the_first_boot(EDU);
	assert_given_back("the first boot's FLR, waited for after the load");
	assert_logged("I: alpha: pci: waited 70.000 ms for 00:03.0's reset (FLR) after loading");
	assert_logged("I: alpha: pci: 00:03.0 reset (FLR) before the cell's first boot");
}

/* A load that outlasts the reset: no wait at all, and said. */
static void test_a_load_longer_than_the_first_boots_reset_waits_for_nothing(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	pci_reset_first_boot_begin();
	now_us += FLR_US + LOAD_US;
	first_start(0);
	assert_int_equal(now_us, FLR_US + LOAD_US);
	assert_given_back("the first boot's FLR, over before the load was");
	assert_logged("I: alpha: pci: 00:03.0's reset (FLR) was over by the end of loading: no "
		      "wait");
	assert_not_logged("waited");
}

/*
 * alpha's function takes an FLR (100 ms), beta's D3hot to D0 (10 ms, then
 * 10 ms more from its D0 write, which comes after the loads): beta starts
 * 10 ms after the loads, never touching alpha's function (the model fails
 * a request to a function in reset), and alpha waits out the rest of its
 * own. Until 2026-11-26 both waited for the slowest, before the loads.
 */
static void test_a_cell_waits_only_for_what_is_left_of_its_own_functions_resets(void **state)
{
	(void)state;
	split_device(true, ACS_ALL);
	offers_flr(EDU);
	add_cap(EDU_FN1, PM, PCI_CAP_PM);
	fn_at(EDU_FN1)->resets_itself = true;
	fn_at(EDU_FN1)->pm_at = PM;
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	pci_reset_first_boot_begin();
	now_us += LOAD_US;
	first_boot_loaded();
	first_start(1);
	if (now_us != LOAD_US + D3HOT_US)
		fail_msg("beta started %llu us after the resets began: wanted %u (the loads, then "
			 "its own D0's %u us), not alpha's FLR's %u",
			 (unsigned long long)now_us, LOAD_US + D3HOT_US, D3HOT_US, FLR_US);
	assert_int_equal(pm_state_of(EDU_FN1), PCI_PM_STATE_D0);
	assert_logged("I: beta: pci: waited 10.000 ms for 00:03.1's reset (D3hot to D0) after "
		      "loading");
	first_start(0);
	assert_int_equal(now_us, FLR_US);
	assert_logged("I: alpha: pci: waited 60.000 ms for 00:03.0's reset (FLR) after loading");
	assert_int_equal(acs_ctrl(EDU), ACS_NEEDED);
	assert_int_equal(acs_ctrl(EDU_FN1), ACS_NEEDED);
}

/*
 * Firmware left alpha's and beta's functions in D3hot, each with FLR: both
 * are woken to D0 as the resets begin, both FLRs start in one pass once the
 * loads (longer than the wake's 10 ms) are over, and each start waits only
 * for what is left of its own: every first instruction one FLR after the
 * loads. Until 2026-11-26 each FLR began at its own cell's start, and the
 * boot CPU starts them one after another: beta 100 ms after alpha, 100 ms
 * more per such cell.
 */
static void test_functions_left_in_d3hot_all_take_their_flr_after_the_loads(void **state)
{
	(void)state;
	split_device(true, ACS_ALL);
	for (uint16_t bdf = EDU; bdf <= EDU_FN1; bdf++) {
		offers_flr(bdf);
		add_cap(bdf, PM, PCI_CAP_PM);
		fn_at(bdf)->pm_at = PM;
		dev_write(bdf, PM_CTRL, 2, PCI_PM_NO_SOFT_RESET | PCI_PM_STATE_D3HOT);
		dev_write(bdf, DEV_STATE, 4, FW_RING);
	}
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
	pci_reset_first_boot_begin();
	now_us += LOAD_US;
	first_boot_loaded();
	first_start(0);
	first_start(1);
	if (now_us != LOAD_US + FLR_US)
		fail_msg("both cells started %llu us after the resets began: wanted %u (the "
			 "loads, then one FLR's %u us for both)",
			 (unsigned long long)now_us, LOAD_US + FLR_US, FLR_US);
	assert_reset_for_the_first_boot(EDU);
	assert_reset_for_the_first_boot(EDU_FN1);
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	assert_int_equal(pm_state_of(EDU_FN1), PCI_PM_STATE_D0);
}

/*
 * A load that fails starts no cell: its function stays as the reset left
 * it, decoding nothing and mastering nothing, its BARs not placed again,
 * and nothing says it was made ready for a boot.
 */
static void test_a_cell_whose_load_failed_keeps_its_functions_reset_and_off(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	dev_write(EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER); /* as firmware left it */
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	pci_reset_first_boot_begin();
	now_us += 2 * FLR_US; /* the load fails: no start comes */
	assert_reset_for_the_first_boot(EDU);
	assert_command(EDU, 0, "the first boot's FLR and a failed load");
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), 0);
	assert_not_logged("before the cell's first boot");
}

/*
 * A stop's quiesce before the cell's first cell_start() (at boot none
 * comes first: this is the pci side's contract should one ever do): it
 * waits for the reset the boot began and resets nothing again, and the
 * start that comes later places the function, with no second reset and no
 * wait.
 */
static void test_a_delayed_first_start_ends_the_reset_the_boot_began(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	pci_reset_first_boot_begin();
	stop_cell(0); /* waits for the FLR before it turns Bus Master off */
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), 0);
	stop_cell(0); /* the later start's reload */
	first_start(0);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_given_back("a first start delayed past its reset");
	assert_logged("I: alpha: pci: 00:03.0's reset (FLR) was over by the end of loading: no "
		      "wait");
	assert_logged("I: alpha: pci: 00:03.0 reset (FLR) before the cell's first boot");
	fake_log_reset();
	first_start(0); /* a later boot's start: nothing more */
	assert_int_equal(fake_log_count(LOG_INFO), 0);
}

/* --- a reload's resets: begun as its DMA stops, ended by its start ---------------------- */

/*
 * The reload's quiesce, then its load: how many times the boot vCPU's CPU
 * found the resets under way (cell_loop.c opens an interrupt window after
 * each), each 1 ms apart; none of it waits with interrupts masked.
 */
static unsigned int reload_and_step(unsigned int c)
{
	unsigned int steps = 0;

	assert_int_equal(pci_cell_quiesce_for_reload(&cells[c]), 0);
	now_us += LOAD_US;
	while (pci_reset_step(&cells[c])) {
		now_us += 1000;
		steps++;
	}
	return steps;
}

/*
 * A restart's reload begins the FLR and waits for none of it: the load
 * takes part of its time, the boot vCPU's CPU the rest in its loop with
 * interrupts taken, and the start places the function again, told as a
 * stop's reset. Until 2026-11-25 the reload waited the 100 ms out first,
 * interrupts masked, before its load.
 */
static void test_a_reloads_reset_is_begun_and_left_to_the_start(void **state)
{
	unsigned int steps;

	(void)state;
	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	steps = reload_and_step(0);
	if (steps != (FLR_US - LOAD_US) / 1000)
		fail_msg("the reset was seen under way %u time(s) after a %u us load: wanted %u "
			 "(the reload waited for it itself?)",
			 steps, LOAD_US, (FLR_US - LOAD_US) / 1000);
	assert_true(pci_reset_left(&cells[0]));
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), 0); /* not placed before the start */
	pci_reset_end(&cells[0]);
	assert_int_equal(now_us, FLR_US); /* nothing left to wait for */
	assert_reset_by_the_stop(EDU, 1);
	assert_given_back("a reload's FLR, ended at the start");
	assert_logged("I: alpha: pci: 1 function(s) reset (FLR)");
	assert_false(pci_reset_left(&cells[0]));
}

/* D3hot, then D0 once its 10 ms are over: the second step is the loop's too, not waited for. */
static void test_a_reloads_d3hot_reset_takes_its_d0_step_in_the_loop(void **state)
{
	(void)state;
	pm_endpoint_in_alpha(false, false);
	guest_programs(0, EDU);
	assert_int_equal(reload_and_step(0), D3HOT_US / 1000); /* from the D0 write on */
	assert_int_equal(pm_state_of(EDU), PCI_PM_STATE_D0);
	pci_reset_end(&cells[0]);
	assert_int_equal(now_us, LOAD_US + D3HOT_US);
	assert_reset_by_the_stop(EDU, 1);
	assert_logged("I: alpha: pci: 1 function(s) reset (D3hot to D0)");
}

/*
 * A start the loop did not wait for (a deferred start, on another CPU):
 * pci_reset_end() waits out what is left itself. A stop after a reload
 * resets nothing again (no guest ran), and leaves the reset to the next
 * start, as a first start delayed does.
 */
static void test_a_reloads_reset_is_ended_by_a_start_that_waits_itself(void **state)
{
	(void)state;
	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	assert_int_equal(pci_cell_quiesce_for_reload(&cells[0]), 0);
	stop_cell(0); /* a stop queued for the restart: waits for the FLR to turn INTx off */
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_true(pci_reset_left(&cells[0]));
	relax_waits = true;
	pci_reset_end(&cells[0]);
	relax_waits = false;
	assert_given_back("a reload's FLR, ended by the next start");
	assert_logged("I: alpha: pci: 1 function(s) reset (FLR)");
}

/*
 * The first boot's resets are waited for in the start's loop too, with its
 * CPU's interrupts taken (pci_reset_step()), and each function's wait is
 * still told at the start, timed from the loop's first look. Until
 * 2026-11-25 the start waited in pci_reset_end(), interrupts masked: up to
 * 100 ms on the cell's CPU, the console's and the SMMU's on CPU 0.
 */
static void test_the_first_boots_resets_are_waited_for_in_steps(void **state)
{
	unsigned int steps = 0;

	(void)state;
	flr_endpoint_in_alpha();
	dev_write(EDU, DEV_STATE, 4, FW_RING);
	pci_reset_first_boot_begin();
	assert_true(pci_reset_left(&cells[0]));
	now_us += LOAD_US;
	while (pci_reset_step(&cells[0])) {
		now_us += 1000;
		steps++;
	}
	if (steps != (FLR_US - LOAD_US) / 1000)
		fail_msg("the first boot's FLR was seen under way %u time(s) after a %u us load: "
			 "wanted %u (the start waits for it itself?)",
			 steps, LOAD_US, (FLR_US - LOAD_US) / 1000);
	first_start(0);
	assert_int_equal(now_us, FLR_US); /* nothing left to wait for */
	assert_reset_for_the_first_boot(EDU);
	assert_logged("I: alpha: pci: waited 70.000 ms for 00:03.0's reset (FLR) after loading");
	assert_logged("I: alpha: pci: 00:03.0 reset (FLR) before the cell's first boot");
}

/*
 * After its own FLR, a guest turns Bus Master on alone (a device whose BARs
 * it does not use yet): until 2026-11-25 only Memory put the BARs back, and
 * the check after the write found the reset's zeros and turned Master off.
 */
static void test_bus_master_alone_after_the_guests_flr_is_kept(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	guest_flr_of_edu();
	fake_log_reset();
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MASTER);
	assert_command(EDU, PCI_CMD_MASTER, "the guest's FLR and a COMMAND write of Bus Master");
	assert_int_equal(fake_log_count(LOG_ERR), 0);
}

/*
 * alpha's guest starts an FLR of 00:03.0 and at once resets itself (PSCI
 * SYSTEM_RESET): the reload's quiesce, then how long it spun (with the
 * CPU's interrupts masked, on hardware).
 */
static uint64_t reload_after_the_guests_flr(void)
{
	uint64_t t0;

	flr_endpoint_in_alpha();
	guest_programs(0, EDU);
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	t0 = now_us;
	relax_waits = true;
	assert_int_equal(pci_cell_quiesce_for_reload(&cells[0]), 0);
	relax_waits = false;
	return now_us - t0;
}

/*
 * Until 2026-11-25 the reload's quiesce waited the guest's FLR out (100 ms)
 * before it wrote COMMAND, its interrupts masked: a guest that started an
 * FLR before each SYSTEM_RESET undid the loop's reset wait. Now the loop
 * waits for it, then quiesces the function and begins the reload's FLR: the
 * guest's reset need not be one (its write reaches the device, but the
 * hypervisor cannot tell that the device took it as an FLR).
 */
static void test_a_reload_leaves_the_guests_own_flr_to_the_loop(void **state)
{
	uint64_t spun;
	unsigned int steps = 0;

	(void)state;
	spun = reload_after_the_guests_flr();
	if (spun)
		fail_msg("the reload's quiesce waited %llu us for the guest's own FLR, its "
			 "interrupts masked",
			 (unsigned long long)spun);
	assert_true(pci_reset_left(&cells[0]));
	now_us += LOAD_US;
	while (pci_reset_step(&cells[0])) {
		now_us += 1000;
		steps++;
	}
	/* The guest's FLR's rest, then the reload's own: every wait in the loop. */
	assert_int_equal(now_us, 2 * FLR_US);
	assert_true(steps >= (2 * FLR_US - LOAD_US) / 1000);
	pci_reset_end(&cells[0]);
	assert_int_equal(now_us, 2 * FLR_US);
	assert_reset_by_the_stop(EDU, 2); /* the guest's and the reload's */
	assert_given_back("the guest's FLR and the reload's after it");
	assert_false(pci_reset_left(&cells[0]));
}

/* A start not left to the loop (a stop queued, a later start): it takes those steps itself. */
static void test_a_start_that_waits_itself_resets_after_the_guests_own_flr(void **state)
{
	(void)state;
	assert_int_equal(reload_after_the_guests_flr(), 0);
	relax_waits = true;
	pci_reset_end(&cells[0]);
	relax_waits = false;
	assert_int_equal(now_us, 2 * FLR_US);
	assert_reset_by_the_stop(EDU, 2);
	assert_given_back("the guest's FLR and the start's after it");
	assert_logged("I: alpha: pci: 1 function(s) reset (FLR)");
}

/*
 * A function without a reset whose guest set Initiate FLR: nothing to
 * reset, but the config space stays closed for 100 ms, and its quiesce
 * (COMMAND = INTx Disable) is the loop's, which the start waits for.
 */
static void test_a_reload_quiesces_a_function_without_reset_after_its_guests_flr(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	guest_write(0, EDU, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	relax_waits = true;
	assert_int_equal(pci_cell_quiesce_for_reload(&cells[0]), 0);
	relax_waits = false;
	if (now_us)
		fail_msg("the reload's quiesce waited %llu us for the guest's FLR of a function "
			 "without one, its interrupts masked",
			 (unsigned long long)now_us);
	assert_command(EDU, PCI_CMD_MEMORY | PCI_CMD_MASTER,
		       "the reload's quiesce, the guest's FLR under way");
	assert_true(pci_reset_left(&cells[0]));
	while (pci_reset_step(&cells[0]))
		now_us += 1000;
	assert_true(now_us >= FLR_US && now_us <= FLR_US + 1000);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the loop, once the guest's FLR was over");
	pci_reset_end(&cells[0]);
	assert_false(pci_reset_left(&cells[0]));
}

/* --- a reset the guest starts: INTx Disable set again as soon as it is over ------------- */

/*
 * The guest writes @v (@size bytes at @reg) to 00:03.0, a write that starts
 * a reset: how long the write took to return to it, in us.
 */
static uint64_t guest_reset_write(uint32_t reg, unsigned int size, uint32_t v)
{
	uint64_t start = now_us;

	relax_waits = true;
	guest_write(0, EDU, reg, size, v);
	relax_waits = false;
	return now_us - start;
}

/*
 * 00:03.0 in alpha, on the root bus, its INTA# given no line by the host's
 * interrupt-map (not routed) unless @intx, with FLR and a PM capability
 * (No_Soft_Reset clear), Immediate Readiness if @imm_ready; the model resets
 * it at the write that starts a reset. Its guest turned it on.
 */
static void resetting_intx_endpoint_in_alpha(uint32_t intx, bool imm_ready)
{
	pcie_endpoint_in_alpha(EDU);
	add_cap(EDU, PM, PCI_CAP_PM);
	fn_at(EDU)->cs[PCI_INTERRUPT_PIN] = 1;
	fn_at(EDU)->resets_itself = true;
	fn_at(EDU)->pm_at = PM;
	dev_write(EDU, DEVCAP, 4, PCI_EXP_DEVCAP_FLR);
	if (imm_ready)
		dev_write(EDU, PCI_STATUS, 2, dev_read(EDU, PCI_STATUS, 2) | PCI_STATUS_IMM_READY);
	cfgs[0].pci_intx[0] = intx;
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
}

/*
 * Until 2026-11-24 a reset the guest started left INTx Disable clear until
 * the guest's next COMMAND write, which it need never make: the function's
 * INTx reached a line of the host, maybe another cell's level interrupt.
 * Now the vCPU that started it waits it out and sets INTx Disable again
 * before it returns to the guest.
 */
static void test_unrouted_intx_is_disabled_again_once_the_guests_flr_ends(void **state)
{
	uint64_t took;

	(void)state;
	resetting_intx_endpoint_in_alpha(0, false);
	took = guest_reset_write(DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the guest's FLR, when its write returns");
	assert_in_range(took, FLR_US, FLR_US + 1999);
}

/*
 * The 100 ms are spent taking the CPU's interrupts as they come (the boot
 * CPU's are the console's and the SMMU's, every cell's), each when it comes,
 * not 100 ms late.
 */
static void test_interrupts_are_taken_while_a_guests_flr_is_waited_out(void **state)
{
	uint64_t start;

	(void)state;
	resetting_intx_endpoint_in_alpha(0, false);
	start = now_us;
	irqs_at[0] = start + 5000;
	irqs_at[1] = start + 50000;
	nr_irqs_at = 2;
	irqs_taken = 0;
	(void)guest_reset_write(DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	nr_irqs_at = 0;
	assert_int_equal(irqs_taken, 2);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the guest's FLR, when its write returns");
}

/* D3hot to D0 resets the function (No_Soft_Reset clear): the same; D0 to D3hot keeps COMMAND. */
static void test_unrouted_intx_is_disabled_again_once_the_guests_d3hot_to_d0_ends(void **state)
{
	uint64_t took;

	(void)state;
	resetting_intx_endpoint_in_alpha(0, false);
	dev_write(EDU, PM_CTRL, 2, PCI_PM_STATE_D3HOT); /* where its guest put it, long ago */
	took = guest_reset_write(PM_CTRL, 2, PCI_PM_STATE_D0);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the guest's D3hot to D0, when its write returns");
	assert_in_range(took, D3HOT_US, D3HOT_US + 1999);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	(void)guest_reset_write(PM_CTRL, 2, PCI_PM_STATE_D3HOT);
	assert_command(EDU, PCI_CMD_INTX_DIS | PCI_CMD_MEMORY | PCI_CMD_MASTER,
		       "the guest's D0 to D3hot");
}

/* A conventional function's FLR, through its Advanced Features capability: the same. */
static void test_unrouted_intx_is_disabled_again_once_the_guests_af_flr_ends(void **state)
{
	uint64_t took;

	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_cap(EDU, AF, PCI_CAP_AF);
	fn_at(EDU)->cs[AF + 2] = 6; /* its Length */
	fn_at(EDU)->cs[AF + PCI_AF_CAP] = AF_TP | PCI_AF_CAP_FLR;
	fn_at(EDU)->cs[PCI_INTERRUPT_PIN] = 1;
	fn_at(EDU)->resets_itself = true;
	fn_at(EDU)->af_at = AF;
	give(0, EDU);
	assert_int_equal(create(0), 0);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	took = guest_reset_write(AF_CTRL, 1, PCI_AF_CTRL_FLR);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the guest's AF FLR, when its write returns");
	assert_in_range(took, FLR_US, FLR_US + 1999);
}

/* Immediate Readiness: nothing to wait for, INTx Disable set again at once. */
static void
test_unrouted_intx_is_disabled_again_at_once_after_an_immediately_ready_flr(void **state)
{
	uint64_t took;

	(void)state;
	resetting_intx_endpoint_in_alpha(0, true);
	took = guest_reset_write(DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_command(EDU, PCI_CMD_INTX_DIS, "the guest's FLR, when its write returns");
	assert_int_equal(took, 0);
}

/* INTx routed to the cell: its guest's to enable; the write returns at once, as before. */
static void test_routed_intx_function_s_flr_is_not_waited_for(void **state)
{
	uint64_t took;

	(void)state;
	resetting_intx_endpoint_in_alpha(INTID_EDU, false);
	took = guest_reset_write(DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	assert_int_equal(fn_at(EDU)->nr_resets, 1);
	assert_int_equal(took, 0);
	assert_int_equal(dev_read(EDU, PCI_COMMAND, 2), 0);
}

/* --- functions 1-7 exist only beside a multi-function function 0 --------------------- */

/*
 * Until 2026-11-24 00:03.1 was assigned though 00:03.0 is single-function:
 * a device that decodes no function number answers there as 00:03.0.
 */
static void test_function_1_of_a_single_function_device_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_fn(EDU_FN1, 0);
	add_bar(EDU_FN1, 0, 0xfff00000);
	give(0, EDU_FN1);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 00:03.1: function 0 of its device is not "
		      "multi-function (Header Type bit 7 clear, no ARI capability): what answers "
		      "at 00:03.1 may be function 0 again; it cannot be assigned");
}

static void test_function_1_beside_an_ari_function_0_is_assigned(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, 0x100, 4, PCI_EXT_ARI | 1u << 16);
	cfgs[0].nr_pci = 0;
	add_fn(EDU_FN1, 0);
	add_bar(EDU_FN1, 0, 0xfff00000);
	give(0, EDU_FN1);
	assert_int_equal(create(0), 0);
}

/*
 * A function whose function 0 the cell does not own: its guest reads 00:03.0
 * as absent, and Linux's pci_scan_slot() stops there, never reaching 00:03.1.
 */
static void test_function_without_its_function_0_is_assigned_with_a_warning(void **state)
{
	(void)state;
	add_fn(EDU, PCI_HEADER_MULTI_FN);
	add_fn(EDU_FN1, 0);
	add_bar(EDU_FN1, 0, 0xfff00000);
	give(0, EDU_FN1);
	assert_int_equal(create(0), 0);
	assert_logged("W: alpha: pci: 00:03.1: 00:03.0, function 0 of its device, is not the "
		      "cell's and reads as absent to it: Linux, which scans a device from function "
		      "0, will not find 00:03.1 (give the cell 00:03.0 too)");
}

static void test_function_beside_its_own_function_0_gets_no_warning(void **state)
{
	(void)state;
	add_fn(EDU, PCI_HEADER_MULTI_FN);
	add_fn(EDU_FN1, 0);
	give(0, EDU_FN1); /* function 0 listed after it */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_not_logged("function 0 of its device");
}

/*
 * Below a port Linux scans device 0 only, whose functions are all of the
 * bus's with ARI: 01:01.0 (function 8) is found through 01:00.0 or not at all.
 */
static void test_ari_function_below_a_port_without_function_0_gets_a_warning(void **state)
{
	(void)state;
	add_bridge(0x0008, ROOT_PORT, 1, 1); /* 00:01.0 */
	open_window(0x0008, WIN_BASE, WIN_BASE + 0x100000);
	add_fn(0x0100, PCI_HEADER_MULTI_FN);
	add_pcie(0x0100, 0x0);
	add_fn(0x0108, 0);
	add_pcie(0x0108, 0x0);
	give(0, 0x0108);
	assert_int_equal(create(0), 0);
	assert_logged("W: alpha: pci: 01:01.0: 01:00.0, function 0 of its device, is not the "
		      "cell's");
}

/* --- capability lists: each walk bounded, each decoding capability covered to its end ---- */

/* A byte @v written by alpha's guest at @reg of 00:03.0: whether it reached the device. */
static bool guest_byte_reaches(uint32_t reg, uint8_t v)
{
	uint8_t was = (uint8_t)dev_read(EDU, reg, 1);

	guest_write(0, EDU, reg, 1, v);
	return dev_read(EDU, reg, 1) != was;
}

/*
 * A write into any byte of an extended capability that moves decoding (or
 * ACS) is dropped, from its header to its last byte, and the byte after it
 * is the function's again.
 */
static void test_each_decoding_extended_capability_is_covered_to_its_last_byte(void **state)
{
	static const struct {
		uint16_t id;
		uint32_t size;
	} caps[] = { { PCI_EXT_SRIOV, 0x40 },
		     { PCI_EXT_MCAST, 0x28 },
		     { PCI_EXT_REBAR, 0x34 },
		     { PCI_EXT_VF_REBAR, 0x34 },
		     { PCI_EXT_ACS, 0x08 } };

	(void)state;
	for (unsigned int k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		uint32_t end = 0x100 + caps[k].size;

		setup(NULL);
		pcie_endpoint_in_alpha(EDU);
		dev_write(EDU, 0x100, 4, caps[k].id);
		assert_int_equal(create(0), 0);
		if (guest_byte_reaches(0x100, 0xa5) || guest_byte_reaches(end - 1, 0xa5) ||
		    !guest_byte_reaches(end, 0xa5))
			fail_msg("extended capability 0x%04x at 0x100 (0x%x bytes): the guest's "
				 "writes of its first and last byte reached the device (header "
				 "0x%x, "
				 "last 0x%02x) or the byte after it did not (0x%02x)",
				 caps[k].id, caps[k].size, dev_read(EDU, 0x100, 4),
				 dev_read(EDU, end - 1, 1), dev_read(EDU, end, 1));
	}
}

/*
 * Enhanced Allocation at 0x60, one entry of 4 dwords (0x60-0x73): its Base
 * and every other byte are out of the guest's reach, 0x74 is not.
 */
static void test_every_byte_of_the_ea_capability_is_out_of_the_guests_reach(void **state)
{
	(void)state;
	ea_endpoint_in_alpha();
	guest_write(0, EDU, 0x68, 4, 0x30000000);
	if (dev_read(EDU, 0x68, 4) != 0x20000000)
		fail_msg("the guest moved the EA entry's Base to 0x%x: a range nobody placed",
			 dev_read(EDU, 0x68, 4));
	assert_false(guest_byte_reaches(0x60, 0xa5));
	assert_false(guest_byte_reaches(0x73, 0xa5));
	assert_true(guest_byte_reaches(0x74, 0xa5));
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x68 dropped: Enhanced Allocation "
		      "capability (decoding the hypervisor did not place)");
}

/* Two EA capabilities, the first with entry 0 enabled: the second's disabled ones do not hide it.
 */
static void test_enabled_ea_entry_before_a_second_ea_capability_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_cap(EDU, 0x80, PCI_CAP_EA); /* second in the list: one entry, disabled */
	dev_write(EDU, 0x82, 2, 1);
	dev_write(EDU, 0x84, 4, 3u);
	add_ea(EDU, PCI_EA_ENABLE | 3u); /* 0x60, first */
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("Enhanced Allocation entry 0 is enabled");
}

/* Two enabled EA entries: the refusal names the first. */
static void test_the_first_enabled_ea_entry_is_named(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_ea(EDU, PCI_EA_ENABLE | 3u);
	dev_write(EDU, 0x62, 2, 2); /* NumEntries: a second after the first's 4 dwords */
	dev_write(EDU, 0x74, 4, PCI_EA_ENABLE | 3u);
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("Enhanced Allocation entry 0 is enabled");
}

/*
 * Status says there is no capability list: what 0x34 points at is not one
 * (an EA capability with an entry enabled there neither refuses the
 * function nor takes its guest's writes).
 */
static void test_capability_pointer_without_the_status_bit_is_not_followed(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_ea(EDU, PCI_EA_ENABLE | 3u);
	fn_at(EDU)->cs[PCI_STATUS] &= (uint8_t)~PCI_STATUS_CAP_LIST;
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_true(guest_byte_reaches(0x68, 0xa5));
}

/*
 * A standard list of 48 capabilities, what 0x40-0xff holds: the last one
 * (Advanced Features with FLR, at 0xfc) is found, and the function has a reset.
 */
static void test_48th_standard_capability_is_found(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_cap(EDU, 0xfc, PCI_CAP_AF); /* linked at the head: added last-first */
	dev_write(EDU, 0xfc + PCI_AF_CAP, 1, PCI_AF_CAP_FLR);
	for (uint8_t at = 0xf8; at >= 0x40; at -= 4)
		add_cap(EDU, at, 0x09); /* vendor-specific */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_not_logged("no function reset");
}

/* 480 extended headers 8 bytes apart: the last, ACS at 0xff8, is found and kept. */
static void test_480th_extended_capability_is_found(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	for (uint32_t at = 0x100; at < 0xff8; at += 8)
		dev_write(EDU, at, 4, 0x000b | 1u << 16 | (at + 8) << 20);
	dev_write(EDU, 0xff8, 4, PCI_EXT_ACS | 1u << 16);
	assert_int_equal(create(0), 0);
	assert_false(guest_byte_reaches(0xff8 + PCI_ACS_CTRL, 0x1f));
}

/*
 * Lists that loop (a next pointer to its own header): a guest's write walks
 * the standard one at most 48 times, the extended one at most 480 (what each
 * space holds), and then takes effect.
 */
static void test_capability_lists_that_loop_are_walked_a_bounded_number_of_times(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_pcie(EDU, 0x0);
	fn_at(EDU)->cs[0x41] = 0x40; /* the PCI Express capability, then itself again */
	add_bar(EDU, 0, 0xfff00000);
	dev_write(EDU, 0x100, 4, 0x000b | 1u << 16 | 0x100u << 20);
	give(0, EDU);
	watched_reg = 0x100;
	assert_int_equal(create(0), 0);
	nr_watched_reads = 0;
	assert_true(guest_byte_reaches(0x108, 0xa5));
	if (nr_watched_reads > 480)
		fail_msg("a write at 0x108 read the looping header at 0x100 %u times, past the "
			 "480 headers 0x100-0xfff holds",
			 nr_watched_reads);
	watched_reg = 0x40;
	nr_watched_reads = 0;
	assert_true(guest_byte_reaches(0x58, 0xa5));
	if (nr_watched_reads > 48)
		fail_msg("a write at 0x58 read the looping capability at 0x40 %u times, past the "
			 "48 capabilities 0x40-0xff holds",
			 nr_watched_reads);
}

/*
 * 0x100 reads all ones: the function has no extended config space (as Linux
 * decides), whatever its PCI Express capability says, and writes there are
 * dropped.
 */
static void test_pcie_function_whose_0x100_reads_all_ones_takes_no_writes_there(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, 0x100, 4, 0xffffffff);
	assert_int_equal(create(0), 0);
	assert_false(guest_byte_reaches(0x108, 0xa5));
	assert_logged("config write to 00:03.0 +0x108 dropped: beyond its 256-byte config space");
}

/*
 * An ARI header where function 0 has no extended space is not believed:
 * function 1 beside it stays refused. Without a PCI Express capability, and
 * with one but 0x100 repeating 0x000 (a Vendor ID that reads as ARI's ID).
 */
static void test_ari_header_outside_function_0s_extended_space_is_not_believed(void **state)
{
	(void)state;
	for (int pcie = 0; pcie < 2; pcie++) {
		setup(NULL);
		add_fn(EDU, 0);
		if (pcie) {
			add_pcie(EDU, 0x0);
			dev_write(EDU, PCI_VENDOR_ID, 4, 0x12340000u | PCI_EXT_ARI);
			fn_at(EDU)->alias = 0x100;
		} else {
			dev_write(EDU, 0x100, 4, PCI_EXT_ARI | 1u << 16);
		}
		add_fn(EDU_FN1, 0);
		add_bar(EDU_FN1, 0, 0xfff00000);
		give(0, EDU_FN1);
		if (create(0) != -EINVAL)
			fail_msg("00:03.1 assigned beside a single-function 00:03.0 %s: an ARI "
				 "header read where 00:03.0 has no extended config space",
				 pcie ? "whose 0x100 repeats 0x000"
				      : "with no PCI Express capability");
	}
}

/*
 * Resizable BAR Control counts @nbar BARs: the sizes of the first min(@nbar,
 * 6) are kept and written back after a reset (the last of them too), the
 * dword after them is not one.
 */
static void rebar_sizes_written_back(uint32_t nbar)
{
	uint32_t kept = nbar < PCI_NR_BARS ? nbar : PCI_NR_BARS;
	uint32_t last = 0x100 + PCI_REBAR_CTRL + 8 * (kept - 1), after = last + 8;

	setup(NULL);
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, 0x100, 4, PCI_EXT_REBAR | 1u << 16);
	dev_write(EDU, 0x100 + PCI_REBAR_CTRL, 4, nbar << 5); /* BAR0, 1 MiB */
	for (uint32_t i = 1; i < kept; i++)
		dev_write(EDU, 0x100 + PCI_REBAR_CTRL + 8 * i, 4, i);
	assert_int_equal(create(0), 0);
	guest_flr_of_edu();
	dev_write(EDU, last, 4, (kept - 1) | 4u << 8); /* the reset's 16 MiB */
	dev_write(EDU, after, 4, 4u << 8);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	if (dev_read(EDU, last, 4) != kept - 1 || dev_read(EDU, after, 4) != 4u << 8)
		fail_msg("NBAR %u: after a reset and the enable Resizable BAR Control %u is 0x%x "
			 "(kept 0x%x) and the dword after it 0x%x (left 0x400)",
			 nbar, kept - 1, dev_read(EDU, last, 4), kept - 1, dev_read(EDU, after, 4));
}

/* 5 BARs; and 7, one more than a function has: 6. */
static void test_resizable_bar_sizes_written_back_are_the_ones_counted(void **state)
{
	(void)state;
	rebar_sizes_written_back(5);
	rebar_sizes_written_back(7);
}

/*
 * A conventional function (no PCI Express capability) has 256 bytes, even
 * where 0x100-0xfff reads neither all ones nor its IDs: writes there are
 * dropped.
 */
static void test_conventional_function_whose_0x100_reads_0_takes_no_writes_there(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_false(guest_byte_reaches(0x108, 0xa5));
	assert_logged("config write to 00:03.0 +0x108 dropped: beyond its 256-byte config space "
		      "(conventional PCI: no PCI Express capability)");
}

/*
 * Enhanced Allocation at 0xec, its one entry (16 bytes) ending at 0x100, and
 * a Num Entries of 2: the walk stops at 0x100 (what follows, an extended
 * header with bit 31 set, is no entry whose Enable bit is set), and byte
 * 0xff is the capability's.
 */
static void test_ea_capability_ending_at_0x100_is_walked_to_there_only(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_cap(EDU, 0xec, PCI_CAP_EA);
	dev_write(EDU, 0xee, 2, 2); /* NumEntries, one more than fits */
	dev_write(EDU, 0xf0, 4, 3u);
	dev_write(EDU, 0xfc, 4, 0x000ffffc);
	dev_write(EDU, 0x100, 4, 0x000b | 1u << 16 | 0x800u << 20);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_false(guest_byte_reaches(0xff, 0xa5));
}

/* --- peer-to-peer: every function of a device, each path, no function nobody listed -------- */

/* alpha's 00:03.7, the device's last function, and beta's 00:03.0: a split, refused. */
static void test_a_split_with_the_devices_last_function_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, PCI_HEADER_MULTI_FN);
	add_fn(0x001f, 0); /* 00:03.7 */
	add_bar(EDU, 0, 0xfff00000);
	add_bar(0x001f, 0, 0xfff00000);
	give(0, 0x001f);
	give(1, EDU);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), -EINVAL);
	assert_logged("E: beta: pci-devices: 00:03.0: 00:03.7, a function of the same device, "
		      "belongs to cell \"alpha\"");
}

/*
 * A device below a root port without ACS and one on the root bus (a root
 * complex integrated endpoint), either cell's: the port is on their path,
 * refused; with ACS on it, accepted.
 */
static void test_a_device_below_a_port_and_one_on_the_root_bus_need_acs_on_it(void **state)
{
	(void)state;
	for (int beta_below = 0; beta_below < 2; beta_below++) {
		setup(NULL);
		two_root_ports();
		add_fn(EDU, 0);
		add_bar(EDU, 0, 0xfffff000);
		give(0, beta_below ? EDU : 0x0100);
		give(1, beta_below ? 0x0200 : EDU);
		assert_int_equal(create(0), 0);
		if (create(1) != -EINVAL)
			fail_msg("beta's %s assigned though alpha's %s is %s, below a root port "
				 "without ACS",
				 beta_below ? "02:00.0" : "00:03.0",
				 beta_below ? "00:03.0" : "01:00.0",
				 beta_below ? "on the root bus, beta's" : "alpha's own");
		assert_logged(EXPECT_PEERS);
		add_acs(beta_below ? 0x0028 : 0x0020, ACS_ALL);
		assert_int_equal(create(1), 0);
	}
}

/* The port without ACS above beta's device refuses it, whatever alpha's port has. */
static void test_a_port_without_acs_above_the_second_cells_device_is_refused(void **state)
{
	(void)state;
	two_root_ports();
	add_acs(0x0020, ACS_ALL); /* 00:04.0, above alpha's, has it; 00:05.0 does not */
	refused_at_port("00:05.0");
}

/*
 * 00:00.0, function 0 of beta's 00:00.1, is nobody's: not taken for one of
 * alpha's (whose list of functions ends before), the split check passes.
 */
static void test_function_0_of_bus_0_no_cell_lists_is_no_cells(void **state)
{
	(void)state;
	add_fn(0x0000, PCI_HEADER_MULTI_FN);
	add_fn(0x0001, 0);
	add_bar(0x0001, 0, 0xfff00000);
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	give(0, EDU);
	give(1, 0x0001);
	assert_int_equal(create(0), 0);
	assert_int_equal(create(1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_phantom_functions_left_on_by_firmware_are_turned_off_at_boot, setup),
		cmocka_unit_test_setup(
			test_guest_cannot_enable_phantom_functions_with_any_access_size, setup),
		cmocka_unit_test_setup(test_guest_keeps_firmwares_payload_size_and_error_reporting,
				       setup),
		cmocka_unit_test_setup(test_conventional_function_takes_no_writes_beyond_256_bytes,
				       setup),
		cmocka_unit_test_setup(
			test_pcie_function_whose_0x100_aliases_0x000_takes_no_writes_there, setup),
		cmocka_unit_test_setup(test_pcie_function_with_extended_capabilities_keeps_them,
				       setup),
		cmocka_unit_test_setup(test_bar_whose_writable_bits_are_not_contiguous_is_refused,
				       setup),
		cmocka_unit_test_setup(test_64_bit_bar_without_writable_upper_half_is_refused,
				       setup),
		cmocka_unit_test_setup(test_64_bit_bar_of_2_to_the_63_is_refused_not_wrapped,
				       setup),
		cmocka_unit_test_setup(test_power_of_two_bars_are_placed_aligned_to_their_size,
				       setup),
		cmocka_unit_test_setup(test_no_bar_is_placed_at_pci_address_0, setup),
		cmocka_unit_test_setup(test_no_bar_is_placed_in_the_legacy_vga_range, setup),
		cmocka_unit_test_setup(test_bar_over_the_cells_ram_is_refused_not_mapped_over_it,
				       setup),
		cmocka_unit_test_setup(
			test_bar_over_the_cells_shared_memory_is_refused_not_mapped_over_it, setup),
		cmocka_unit_test_setup(test_function_whose_stream_is_refused_is_not_logged_assigned,
				       setup),
		cmocka_unit_test_setup(
			test_guest_write_of_bar0_leaves_the_device_decoding_where_placed, setup),
		cmocka_unit_test_setup(
			test_guest_write_of_bar5_leaves_the_device_decoding_where_placed, setup),
		cmocka_unit_test_setup(
			test_a_port_window_starting_below_the_host_window_places_inside_it, setup),
		cmocka_unit_test_setup(
			test_a_port_window_ending_past_the_host_window_places_nothing_past_it,
			setup),
		cmocka_unit_test_setup(test_both_32_bit_bars_of_a_root_port_are_kept_clear, setup),
		cmocka_unit_test_setup(
			test_a_bar_is_placed_outside_another_ports_prefetchable_window, setup),
		cmocka_unit_test_setup(
			test_a_64_bit_prefetchable_window_above_4_gib_takes_nothing_below, setup),
		cmocka_unit_test_setup(test_a_bar_past_the_host_window_or_4_gib_is_refused, setup),
		cmocka_unit_test_setup(test_a_bar_above_4_gib_of_a_window_crossing_it_is_refused,
				       setup),
		cmocka_unit_test_setup(test_a_64_bit_bar5_is_refused, setup),
		cmocka_unit_test_setup(test_a_64_bit_bar4_the_last_pair_is_placed, setup),
		cmocka_unit_test_setup(test_no_host_window_places_nothing, setup),
		cmocka_unit_test_setup(
			test_a_reset_before_the_enable_of_a_bar5_only_function_leaves_it_off,
			setup),
		cmocka_unit_test_setup(
			test_every_byte_of_the_bars_and_the_rom_is_emulated_and_none_around, setup),
		cmocka_unit_test_setup(test_a_64_bit_bars_halves_size_and_the_rom_sizes_no_bar,
				       setup),
		cmocka_unit_test_setup(
			test_the_ecam_window_another_cells_function_and_bar5_after_a_reset, setup),
		cmocka_unit_test_setup(
			test_misaligned_ecam_accesses_are_refused_and_reach_no_function, setup),
		cmocka_unit_test_setup(test_function_below_pcie_to_pci_bridge_is_refused, setup),
		cmocka_unit_test_setup(test_function_below_conventional_pci_bridge_is_refused,
				       setup),
		cmocka_unit_test_setup(test_pcie_to_pci_bridge_below_a_root_port_is_found, setup),
		cmocka_unit_test_setup(test_endpoint_below_pcie_ports_keeps_its_own_stream, setup),
		cmocka_unit_test_setup(test_conventional_device_split_between_cells_is_refused,
				       setup),
		cmocka_unit_test_setup(
			test_device_split_with_acs_on_both_functions_is_accepted_with_acs_on,
			setup),
		cmocka_unit_test_setup(
			test_acs_is_on_again_before_a_reset_function_decodes_or_masters, setup),
		cmocka_unit_test_setup(test_reset_function_whose_acs_does_not_come_back_stays_off,
				       setup),
		cmocka_unit_test_setup(
			test_a_reset_completing_before_the_enable_leaves_the_function_off, setup),
		cmocka_unit_test_setup(test_acs_read_as_all_ones_is_not_on, setup),
		cmocka_unit_test_setup(test_functions_of_an_ari_device_below_a_port_are_one_device,
				       setup),
		cmocka_unit_test_setup(
			test_root_port_whose_source_validation_does_not_stick_is_refused, setup),
		cmocka_unit_test_setup(test_64_bit_bar_of_4_gib_or_more_is_refused_not_placed_at_0,
				       setup),
		cmocka_unit_test_setup(test_acs_bits_a_function_does_not_offer_are_not_required,
				       setup),
		cmocka_unit_test_setup(test_split_refused_when_acs_control_does_not_take_the_bits,
				       setup),
		cmocka_unit_test_setup(test_split_below_a_root_port_without_acs_is_refused, setup),
		cmocka_unit_test_setup(
			test_devices_of_two_cells_below_root_ports_without_acs_are_refused, setup),
		cmocka_unit_test_setup(
			test_devices_of_two_cells_below_root_ports_with_acs_are_accepted, setup),
		cmocka_unit_test_setup(
			test_devices_of_two_cells_below_one_switch_need_acs_on_its_ports, setup),
		cmocka_unit_test_setup(
			test_intx_behind_a_root_port_is_not_routed_and_says_where_it_arrives,
			setup),
		cmocka_unit_test_setup(test_intx_behind_a_switch_is_swizzled_by_each_port, setup),
		cmocka_unit_test_setup(test_unrouted_intx_stays_disabled_whatever_the_guest_writes,
				       setup),
		cmocka_unit_test_setup(test_routed_intx_is_off_until_the_guest_enables_it, setup),
		cmocka_unit_test_setup(test_a_stopped_cells_functions_have_intx_disabled, setup),
		cmocka_unit_test_setup(test_a_root_bus_function_on_intb_is_refused, setup),
		cmocka_unit_test_setup(test_intx_without_a_line_is_not_routed_and_stays_disabled,
				       setup),
		cmocka_unit_test_setup(test_devices_of_two_cells_on_the_root_bus_need_no_ports,
				       setup),
		cmocka_unit_test_setup(test_bar_behind_a_root_port_is_placed_inside_its_window,
				       setup),
		cmocka_unit_test_setup(test_two_functions_behind_one_port_share_its_window, setup),
		cmocka_unit_test_setup(test_functions_no_cell_owns_behind_ports_are_quiesced,
				       setup),
		cmocka_unit_test_setup(test_functions_of_a_refused_cell_are_quiesced, setup),
		cmocka_unit_test_setup(test_vpd_writes_are_dropped_and_its_reads_pass, setup),
		cmocka_unit_test_setup(test_a_root_complex_event_collector_is_refused, setup),
		cmocka_unit_test_setup(test_only_endpoint_device_port_types_are_assignable, setup),
		cmocka_unit_test_setup(test_the_host_bridge_is_refused_before_anything_is_built,
				       setup),
		cmocka_unit_test_setup(test_every_bridge_or_absent_function_of_a_cell_is_named,
				       setup),
		cmocka_unit_test_setup(test_a_cell_of_endpoints_passes_the_check, setup),
		cmocka_unit_test_setup(test_vfs_firmware_enabled_are_turned_off_at_boot, setup),
		cmocka_unit_test_setup(test_function_with_an_enabled_ea_entry_is_refused, setup),
		cmocka_unit_test_setup(test_bar_that_does_not_fit_the_port_window_is_refused,
				       setup),
		cmocka_unit_test_setup(test_function_behind_a_closed_window_is_refused, setup),
		cmocka_unit_test_setup(test_bar_behind_a_switch_is_inside_every_port_window, setup),
		cmocka_unit_test_setup(test_no_bar_is_placed_over_a_root_ports_own_bar, setup),
		cmocka_unit_test_setup(test_functions_of_one_device_in_one_cell_need_no_acs, setup),
		cmocka_unit_test_setup(
			test_pcie_function_whose_0x200_aliases_0x000_takes_no_writes_there, setup),
		cmocka_unit_test_setup(test_guest_cannot_change_aer_masks_severities_or_ecrc,
				       setup),
		cmocka_unit_test_setup(
			test_guest_restore_of_aer_after_a_reset_writes_firmwares_values, setup),
		cmocka_unit_test_setup(
			test_capability_after_a_next_pointer_with_reserved_bits_is_found, setup),
		cmocka_unit_test_setup(test_capability_after_64_others_is_found, setup),
		cmocka_unit_test_setup(test_aer_is_firmwares_again_once_a_reset_function_decodes,
				       setup),
		cmocka_unit_test_setup(test_config_space_is_closed_for_100_ms_after_the_guests_flr,
				       setup),
		cmocka_unit_test_setup(test_flr_written_as_one_byte_closes_config_space_too, setup),
		cmocka_unit_test_setup(test_a_function_kept_off_is_told_after_many_dropped_writes,
				       setup),
		cmocka_unit_test_setup(test_dropped_writes_are_told_again_at_each_boot, setup),
		cmocka_unit_test_setup(test_a_restart_storms_boots_share_their_8, setup),
		cmocka_unit_test_setup(test_config_space_is_closed_for_10_ms_around_d3hot, setup),
		cmocka_unit_test_setup(test_config_space_is_closed_for_100_ms_after_an_af_flr,
				       setup),
		cmocka_unit_test_setup(test_af_writes_that_start_no_flr_leave_config_space_open,
				       setup),
		cmocka_unit_test_setup(test_immediate_readiness_waives_the_wait, setup),
		cmocka_unit_test_setup(test_quiescing_a_cell_waits_for_its_functions_reset, setup),
		cmocka_unit_test_setup(test_a_stop_resets_its_function_by_flr, setup),
		cmocka_unit_test_setup(test_guest_cannot_set_pme_enable, setup),
		cmocka_unit_test_setup(test_guest_cannot_set_pme_enable_by_its_byte, setup),
		cmocka_unit_test_setup(test_guest_cannot_set_pme_enable_by_the_dword, setup),
		cmocka_unit_test_setup(test_pmcsr_but_pme_enable_is_written_as_the_guest_wrote_it,
				       setup),
		cmocka_unit_test_setup(test_assignment_clears_a_pme_enable_firmware_left_set,
				       setup),
		cmocka_unit_test_setup(test_a_stops_reset_leaves_pme_enable_clear, setup),
		cmocka_unit_test_setup(test_a_function_reset_by_a_stop_is_placed_again, setup),
		cmocka_unit_test_setup(test_a_stop_puts_acs_back_on_its_reset_function, setup),
		cmocka_unit_test_setup(test_a_stop_resets_all_its_functions_in_one_wait, setup),
		cmocka_unit_test_setup(test_a_stop_resets_a_conventional_function_by_its_af_flr,
				       setup),
		cmocka_unit_test_setup(test_a_stop_resets_a_function_without_flr_through_d3hot,
				       setup),
		cmocka_unit_test_setup(test_a_function_without_a_reset_is_told_once_at_boot, setup),
		cmocka_unit_test_setup(test_a_function_left_in_d3hot_is_woken_before_its_flr,
				       setup),
		cmocka_unit_test_setup(test_a_stop_and_the_start_after_it_reset_once, setup),
		cmocka_unit_test_setup(test_a_function_not_back_from_the_stops_reset_is_told,
				       setup),
		cmocka_unit_test_setup(test_a_restart_storms_resets_are_not_told, setup),
		cmocka_unit_test_setup(
			test_the_first_boot_resets_what_firmware_left_in_its_function, setup),
		cmocka_unit_test_setup(test_the_first_boot_resets_every_cells_functions_in_one_wait,
				       setup),
		cmocka_unit_test_setup(
			test_the_first_boot_resets_a_function_without_flr_through_d3hot, setup),
		cmocka_unit_test_setup(
			test_a_function_without_a_reset_keeps_firmwares_state_at_the_first_boot,
			setup),
		cmocka_unit_test_setup(
			test_the_first_boots_reset_is_not_repeated_before_a_guest_ran, setup),
		cmocka_unit_test_setup(test_a_function_not_back_from_the_first_boots_reset_is_told,
				       setup),
		cmocka_unit_test_setup(
			test_the_first_boot_of_a_layout_without_pci_waits_for_nothing, setup),
		cmocka_unit_test_setup(
			test_only_a_cell_with_a_first_reset_to_end_has_its_start_left, setup),
		cmocka_unit_test_setup(test_a_cell_whose_function_offers_no_reset_has_no_start_left,
				       setup),
		cmocka_unit_test_setup(test_the_first_boots_wait_is_what_the_load_left_of_it,
				       setup),
		cmocka_unit_test_setup(
			test_a_load_longer_than_the_first_boots_reset_waits_for_nothing, setup),
		cmocka_unit_test_setup(
			test_a_cell_waits_only_for_what_is_left_of_its_own_functions_resets, setup),
		cmocka_unit_test_setup(
			test_functions_left_in_d3hot_all_take_their_flr_after_the_loads, setup),
		cmocka_unit_test_setup(
			test_a_cell_whose_load_failed_keeps_its_functions_reset_and_off, setup),
		cmocka_unit_test_setup(test_a_delayed_first_start_ends_the_reset_the_boot_began,
				       setup),
		cmocka_unit_test_setup(test_a_reloads_reset_is_begun_and_left_to_the_start, setup),
		cmocka_unit_test_setup(test_a_reloads_d3hot_reset_takes_its_d0_step_in_the_loop,
				       setup),
		cmocka_unit_test_setup(test_a_reloads_reset_is_ended_by_a_start_that_waits_itself,
				       setup),
		cmocka_unit_test_setup(test_bus_master_alone_after_the_guests_flr_is_kept, setup),
		cmocka_unit_test_setup(test_a_reload_leaves_the_guests_own_flr_to_the_loop, setup),
		cmocka_unit_test_setup(
			test_a_start_that_waits_itself_resets_after_the_guests_own_flr, setup),
		cmocka_unit_test_setup(
			test_a_reload_quiesces_a_function_without_reset_after_its_guests_flr,
			setup),
		cmocka_unit_test_setup(test_the_first_boots_resets_are_waited_for_in_steps, setup),
		cmocka_unit_test_setup(
			test_unrouted_intx_is_disabled_again_once_the_guests_flr_ends, setup),
		cmocka_unit_test_setup(test_interrupts_are_taken_while_a_guests_flr_is_waited_out,
				       setup),
		cmocka_unit_test_setup(
			test_unrouted_intx_is_disabled_again_once_the_guests_d3hot_to_d0_ends,
			setup),
		cmocka_unit_test_setup(
			test_unrouted_intx_is_disabled_again_once_the_guests_af_flr_ends, setup),
		cmocka_unit_test_setup(
			test_unrouted_intx_is_disabled_again_at_once_after_an_immediately_ready_flr,
			setup),
		cmocka_unit_test_setup(test_routed_intx_function_s_flr_is_not_waited_for, setup),
		cmocka_unit_test_setup(test_function_1_of_a_single_function_device_is_refused,
				       setup),
		cmocka_unit_test_setup(test_function_1_beside_an_ari_function_0_is_assigned, setup),
		cmocka_unit_test_setup(
			test_function_without_its_function_0_is_assigned_with_a_warning, setup),
		cmocka_unit_test_setup(test_function_beside_its_own_function_0_gets_no_warning,
				       setup),
		cmocka_unit_test_setup(
			test_ari_function_below_a_port_without_function_0_gets_a_warning, setup),
		cmocka_unit_test_setup(test_resizable_bar_size_is_written_back_after_a_reset,
				       setup),
		cmocka_unit_test_setup(test_ea_entry_a_reset_enabled_keeps_memory_off, setup),
		cmocka_unit_test_setup(
			test_each_decoding_extended_capability_is_covered_to_its_last_byte, setup),
		cmocka_unit_test_setup(
			test_every_byte_of_the_ea_capability_is_out_of_the_guests_reach, setup),
		cmocka_unit_test_setup(
			test_enabled_ea_entry_before_a_second_ea_capability_is_refused, setup),
		cmocka_unit_test_setup(
			test_capability_pointer_without_the_status_bit_is_not_followed, setup),
		cmocka_unit_test_setup(test_48th_standard_capability_is_found, setup),
		cmocka_unit_test_setup(test_480th_extended_capability_is_found, setup),
		cmocka_unit_test_setup(
			test_capability_lists_that_loop_are_walked_a_bounded_number_of_times,
			setup),
		cmocka_unit_test_setup(
			test_pcie_function_whose_0x100_reads_all_ones_takes_no_writes_there, setup),
		cmocka_unit_test_setup(
			test_ari_header_outside_function_0s_extended_space_is_not_believed, setup),
		cmocka_unit_test_setup(test_resizable_bar_sizes_written_back_are_the_ones_counted,
				       setup),
		cmocka_unit_test_setup(
			test_conventional_function_whose_0x100_reads_0_takes_no_writes_there,
			setup),
		cmocka_unit_test_setup(test_ea_capability_ending_at_0x100_is_walked_to_there_only,
				       setup),
		cmocka_unit_test_setup(test_a_split_with_the_devices_last_function_is_refused,
				       setup),
		cmocka_unit_test_setup(
			test_a_device_below_a_port_and_one_on_the_root_bus_need_acs_on_it, setup),
		cmocka_unit_test_setup(
			test_a_port_without_acs_above_the_second_cells_device_is_refused, setup),
		cmocka_unit_test_setup(test_function_0_of_bus_0_no_cell_lists_is_no_cells, setup),
		cmocka_unit_test_setup(test_the_first_enabled_ea_entry_is_named, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
