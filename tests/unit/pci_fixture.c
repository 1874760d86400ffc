// SPDX-License-Identifier: GPL-2.0-only
/* What the PCI pass-through tests share (pci_fixture.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/vcpu.h"
#include "fake_log.h"
#include "mmio.h"
#include "mmu.h"
#include "pci_fixture.h"
#include "smmu.h"

/* The counter, in us (1 MHz): moved by the tests, and by a wait for a reset to end. */
uint64_t now_us;
bool relax_waits;

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

uint64_t irqs_at[4];
unsigned int nr_irqs_at, irqs_taken;

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

/* --- the rest of the hypervisor, as pci.c sees it ---------------------------------- */

struct platform plat;
struct layout_cell cfgs[NR_CELLS];
struct cell cells[NR_CELLS];
static struct vcpu vcpus[NR_CELLS];
uint32_t sids[MAX_SIDS];
int nr_sids;
int sid_result;
const char board_fdt[] = "board";

int mmu_map_device(uint64_t base, uint64_t size)
{
	(void)base;
	(void)size;
	return 0;
}

uint64_t win_pci_base;
int win_result;

int platform_pcie_mem32_window(const struct platform_index *idx, const void *fdt,
			       const struct platform_pcie *pcie, uint64_t win[3])
{
	(void)idx;
	(void)fdt;
	(void)pcie;
	win[0] = win_pci_base;
	win[1] = WIN_BASE;
	win[2] = WIN_SIZE;
	return win_result;
}

#define MAX_S2 32

static struct s2_range s2[NR_CELLS][MAX_S2];
static int nr_s2[NR_CELLS];

const struct s2_range *s2_overlap(unsigned int c, uint64_t ipa, uint64_t size)
{
	for (int i = 0; i < nr_s2[c]; i++)
		if (ipa < s2[c][i].ipa + s2[c][i].size && s2[c][i].ipa < ipa + size)
			return &s2[c][i];
	return NULL;
}

int s2_map(unsigned int c, uint64_t ipa, uint64_t size, bool device)
{
	if (s2_overlap(c, ipa, size))
		return -EEXIST;
	assert_true(nr_s2[c] < MAX_S2);
	s2[c][nr_s2[c]++] = (struct s2_range){ ipa, size, device };
	return 0;
}

int arch_stage2_map_device(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size)
{
	unsigned int c = 0;

	while (c < NR_CELLS && cell != &cells[c])
		c++;
	assert_true(c < NR_CELLS); /* one of the fixture's cells, by place: gamma's id is not 2 */
	assert_int_equal(ipa, pa); /* BARs are mapped IPA = PA */
	return s2_map(c, ipa, size, true);
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

bool storm_boot;

bool cell_boot_quiet(const struct cell *cell, uint64_t boot)
{
	(void)cell;
	(void)boot;
	return storm_boot;
}

int setup(void **state)
{
	(void)state;
	model_reset();
	memset(&plat, 0, sizeof(plat));
	memset(pci_fns, 0, sizeof(pci_fns));
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
	win_pci_base = WIN_BASE;
	win_result = 0;
	nr_sids = 0;
	sid_result = 0;
	memset(nr_s2, 0, sizeof(nr_s2));
	for (unsigned int i = 0; i < NR_CELLS; i++) {
		static const char *const labels[NR_CELLS] = { "alpha", "beta", "gamma" };

		memset(&cfgs[i], 0, sizeof(cfgs[i]));
		memset(&cells[i], 0, sizeof(cells[i]));
		strcpy(cfgs[i].label, labels[i]);
		cells[i].cfg = &cfgs[i];
		cells[i].id = i == GAMMA ? LAYOUT_MAX_CELLS - 1 : i;
		vcpus[i].cell = &cells[i];
	}
	fake_log_reset();
	return 0;
}

void give(unsigned int c, uint16_t bdf)
{
	cfgs[c].pci[cfgs[c].nr_pci++] = bdf;
}

int create(unsigned int c)
{
	return pci_cell_create(&cells[c], &plat, board_fdt);
}

int guest_access(unsigned int c, uint16_t bdf, uint32_t reg, unsigned int size, bool write,
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

void guest_write(unsigned int c, uint16_t bdf, uint32_t reg, unsigned int size, uint32_t v)
{
	assert_int_equal(guest_access(c, bdf, reg, size, true, &v), 0);
}

uint32_t guest_read(unsigned int c, uint16_t bdf, uint32_t reg, unsigned int size)
{
	uint32_t v;

	assert_int_equal(guest_access(c, bdf, reg, size, false, &v), 0);
	return v;
}

/* --- what several topics start from ------------------------------------------------------ */

void pcie_endpoint_in_alpha(uint16_t bdf)
{
	add_fn(bdf, 0);
	add_pcie(bdf, 0x0); /* PCI Express Endpoint */
	add_bar(bdf, 0, 0xfff00000);
	give(0, bdf);
}

void guest_flr_of_edu(void)
{
	guest_write(0, EDU, DEVCTL, 2, 0x8000);
	function_reset(EDU);
	now_us += FLR_US; /* and waits as long as it must */
}

void assert_command(uint16_t bdf, uint32_t want, const char *after)
{
	uint32_t got = dev_read(bdf, PCI_COMMAND, 2);

	if (got != want)
		fail_msg("after %s %02x:%02x.%u's COMMAND is 0x%04x, not 0x%04x (INTx Disable %s)",
			 after, LAYOUT_BDF_BUS(bdf), LAYOUT_BDF_DEV(bdf), LAYOUT_BDF_FN(bdf), got,
			 want, got & PCI_CMD_INTX_DIS ? "set" : "clear");
}

void aer_endpoint_in_alpha(void)
{
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, AER, 4, PCI_EXT_AER | 1u << 16);
	dev_write(EDU, AER + PCI_ERR_UNCOR_MASK, 4, AER_UNCOR_MASK);
	dev_write(EDU, AER + PCI_ERR_UNCOR_SEVER, 4, AER_UNCOR_SEVER);
	dev_write(EDU, AER + PCI_ERR_COR_MASK, 4, AER_COR_MASK);
	dev_write(EDU, AER + PCI_ERR_CAP, 4, AER_CAP_ECRC);
	assert_int_equal(create(0), 0);
}

void assert_aer_as_firmware_left_it(const char *after)
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

void open_window(uint16_t bdf, uint64_t start, uint64_t end)
{
	dev_write(bdf, PCI_MEMORY_BASE, 4,
		  (uint32_t)(start >> 16 & 0xfff0) | (uint32_t)((end - 1) >> 16 & 0xfff0) << 16);
}

void two_root_ports(void)
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

void one_switch(void)
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

void split_device(bool pcie, int acs)
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

uint16_t acs_ctrl(uint16_t bdf)
{
	return (uint16_t)dev_read(bdf, 0x100 + PCI_ACS_CTRL, 2);
}

void add_ea(uint16_t bdf, uint32_t dw0)
{
	add_cap(bdf, 0x60, PCI_CAP_EA);
	dev_write(bdf, 0x60, 2, (uint16_t)(fn_at(bdf)->cs[0x61] << 8 | PCI_CAP_EA));
	dev_write(bdf, 0x62, 2, 1); /* NumEntries */
	dev_write(bdf, 0x64, 4, dw0);
	dev_write(bdf, 0x68, 4, 0x20000000); /* Base */
	dev_write(bdf, 0x6c, 4, 0x000ffffc); /* MaxOffset: 1 MiB */
}

void ea_endpoint_in_alpha(void)
{
	add_fn(EDU, 0);
	add_pcie(EDU, 0x0);
	add_bar(EDU, 0, 0xfff00000);
	add_ea(EDU, 3u);
	give(0, EDU);
	assert_int_equal(create(0), 0);
}

void resettable_endpoint_in_alpha(void)
{
	pcie_endpoint_in_alpha(EDU);
	add_cap(EDU, PM, PCI_CAP_PM);
	assert_int_equal(create(0), 0);
}

void assert_closed_to_the_guest(void)
{
	assert_int_equal(guest_read(0, EDU, PCI_COMMAND, 2), 0xffff);
	assert_int_equal(guest_read(0, EDU, PCI_VENDOR_ID, 4), 0xffffffff);
	guest_write(0, EDU, PCI_COMMAND, 2, PCI_CMD_MEMORY);
	guest_write(0, EDU, PCI_BAR0, 4, 0xffffffff);
}

void assert_pme_enable_clear(const char *after)
{
	uint32_t pmcsr = dev_read(EDU, PM_CTRL, 2);

	if (pmcsr & PCI_PM_PME_EN)
		fail_msg("PME_En set in the device after %s (PMCSR 0x%04x): its PMEs go to the "
			 "root port, not to the cell",
			 after, pmcsr);
}

void conventional_endpoint_with_af_in_alpha(uint8_t caps)
{
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_cap(EDU, AF, PCI_CAP_AF);
	fn_at(EDU)->cs[AF + 2] = 6; /* its Length */
	fn_at(EDU)->cs[AF + PCI_AF_CAP] = caps;
	give(0, EDU);
	assert_int_equal(create(0), 0);
}

/* --- the hypervisor's own resets (a stop's, the first boot's, a reload's) ------------------- */

void flr_endpoint_in_alpha(void)
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

void guest_programs(unsigned int c, uint16_t bdf)
{
	guest_write(c, bdf, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	guest_write(c, bdf, DEV_STATE, 4, GUEST_RING);
}

void stop_cell(unsigned int c)
{
	relax_waits = true;
	assert_int_equal(pci_cell_quiesce(&cells[c]), 0);
	relax_waits = false;
}

void offers_flr(uint16_t bdf)
{
	fn_at(bdf)->resets_itself = true;
	dev_write(bdf, DEVCAP, 4, PCI_EXP_DEVCAP_FLR);
}

void assert_given_back(const char *after)
{
	assert_command(EDU, PCI_CMD_INTX_DIS, after);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
	assert_int_equal(dev_read(EDU, REBAR + PCI_REBAR_CTRL, 4) & PCI_REBAR_CTRL_SIZE, 0);
	assert_int_equal(dev_read(EDU, DEVCTL, 2), DEVCTL_FW);
	assert_aer_as_firmware_left_it(after);
}

void pm_endpoint_in(unsigned int c, bool nsr, bool flr)
{
	add_fn(EDU, 0);
	add_pcie(EDU, 0x0); /* PCI Express Endpoint */
	add_bar(EDU, 0, 0xfff00000);
	add_cap(EDU, PM, PCI_CAP_PM);
	fn_at(EDU)->resets_itself = true;
	fn_at(EDU)->pm_at = PM;
	dev_write(EDU, PM_CTRL, 2, nsr ? PCI_PM_NO_SOFT_RESET : 0);
	dev_write(EDU, DEVCAP, 4, flr ? PCI_EXP_DEVCAP_FLR : 0);
	give(c, EDU);
	assert_int_equal(create(c), 0);
}

void pm_endpoint_in_alpha(bool nsr, bool flr)
{
	pm_endpoint_in(0, nsr, flr);
}
