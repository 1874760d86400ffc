// SPDX-License-Identifier: GPL-2.0-only
/* The functions behind the ECAM window (pci_model.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pci_model.h"

uint16_t reset_before_enable = 0xffff;
static struct model_fn model[NR_BUSES][256];
unsigned int nr_cfg_requests;
uint32_t watched_reg;
unsigned int nr_watched_reads;

void model_reset(void)
{
	memset(model, 0, sizeof(model));
	reset_before_enable = 0xffff;
	nr_cfg_requests = 0;
	watched_reg = UINT32_MAX;
	nr_watched_reads = 0;
}

struct model_fn *fn_at(uint16_t bdf)
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

void function_reset(uint16_t bdf)
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

uint32_t pm_state_of(uint16_t bdf)
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

uint32_t dev_read(uint16_t bdf, uint32_t reg, unsigned int size)
{
	uint32_t v = 0;

	memcpy(&v, &fn_at(bdf)->cs[reg], size);
	return v;
}

void dev_write(uint16_t bdf, uint32_t reg, unsigned int size, uint32_t v)
{
	memcpy(&fn_at(bdf)->cs[reg], &v, size);
}

struct model_fn *add_fn(uint16_t bdf, uint8_t header_type)
{
	struct model_fn *m = fn_at(bdf);

	memset(m, 0, sizeof(*m));
	m->present = true;
	dev_write(bdf, PCI_VENDOR_ID, 4, 0x11e81234);
	m->cs[PCI_HEADER_TYPE] = header_type;
	return m;
}

void add_bar(uint16_t bdf, int i, uint32_t mask)
{
	fn_at(bdf)->bar_mask[i] = mask;
}

void add_cap(uint16_t bdf, uint8_t at, uint8_t id)
{
	struct model_fn *m = fn_at(bdf);

	m->cs[at] = id;
	m->cs[at + 1] = (m->cs[PCI_STATUS] & PCI_STATUS_CAP_LIST) ? m->cs[PCI_CAP_PTR] : 0;
	m->cs[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	m->cs[PCI_CAP_PTR] = at;
}

void add_pcie(uint16_t bdf, uint8_t type)
{
	add_cap(bdf, 0x40, PCI_CAP_EXP);
	dev_write(bdf, 0x42, 2, (uint16_t)(2 | type << 4));
}

void add_bridge(uint16_t bdf, int type, uint8_t sec, uint8_t sub)
{
	struct model_fn *m = add_fn(bdf, 1);

	if (type >= 0)
		add_pcie(bdf, (uint8_t)type);
	else
		m->conventional = true;
	m->cs[PCI_SECONDARY_BUS] = sec;
	m->cs[PCI_SUBORDINATE_BUS] = sub;
}

void add_acs(uint16_t bdf, uint16_t cap)
{
	dev_write(bdf, 0x100, 4, PCI_EXT_ACS | 1u << 16);
	dev_write(bdf, 0x100 + PCI_ACS_CAP, 2, cap);
	dev_write(bdf, 0x100 + PCI_ACS_CTRL, 2, 0);
}
