// SPDX-License-Identifier: GPL-2.0-only
/*
 * isolation_probe: reads and writes what this cell does not own, expecting a
 * synchronous external abort (data abort, DFSC 0x10) for each access:
 *   - another cell's RAM, by its physical addresses (the scenario layout,
 *     tests/scenarios/layouts/isolation.dts, gives the other cell PA
 *     0x4c000000-0x4fffffff, and maps this cell's own RAM IPA = PA at
 *     0x48000000 so that none of these addresses is its own RAM);
 *   - the hypervisor's RAM (PA 0x40000000-0x40ffffff);
 *   - devices it was not given: the PL031 RTC (the other cell's) and the SMMU
 *     (the hypervisor's).
 * Prints "TEST probe_<what>_<read|write> PASS" for an abort and FAIL (with
 * what the access returned) if it went through. A read of its own RAM must
 * not abort: that proves the probe can tell the difference.
 */
#include "test.h"

#define START_DELAY_US	300000 /* let the other cell fill its canary first */
#define HEARTBEAT_US	100000
#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_EC_DABT_CUR 0x25
#define ESR_DFSC(esr)	((esr)&0x3f)
#define DFSC_SEA	0x10	   /* synchronous external abort, not on a table walk */
#define ESR_FNV		(1u << 10) /* FAR not valid */
#define PROBE_PATTERN	0x5afe5afe5afe5afeUL

static unsigned int failures;

/* Did the access to @addr take the abort a cell must see for what it does not own? */
static void check_abort(const char *name, int rc, uint64_t addr, uint64_t val)
{
	struct abort_record rec;

	if (rc == 0) {
		failures++;
		TEST_FAIL(name, "access to 0x%lx completed (read 0x%lx), expected an abort", addr,
			  val);
		return;
	}
	abort_taken(&rec);
	if (ESR_EC(rec.esr) != ESR_EC_DABT_CUR || ESR_DFSC(rec.esr) != DFSC_SEA ||
	    (!(rec.esr & ESR_FNV) && rec.far != addr)) {
		failures++;
		TEST_FAIL(name,
			  "got=ESR 0x%lx FAR 0x%lx, expected a data abort with DFSC 0x10 at 0x%lx",
			  rec.esr, rec.far, addr);
		return;
	}
	TEST_PASS(name);
}

static void probe_r(const char *name, uint64_t addr)
{
	uint64_t val = 0;
	int rc = probe_read(addr, &val);

	check_abort(name, rc, addr, val);
}

static void probe_w(const char *name, uint64_t addr)
{
	int rc = probe_write(addr, PROBE_PATTERN);

	check_abort(name, rc, addr, PROBE_PATTERN);
}

static void probe_r32(const char *name, uint64_t addr)
{
	uint32_t val = 0;
	int rc = probe_read32(addr, &val);

	check_abort(name, rc, addr, val);
}

static void probe_w32(const char *name, uint64_t addr)
{
	int rc = probe_write32(addr, 0);

	check_abort(name, rc, addr, 0);
}

/* Control: the probe must not report an abort for the cell's own memory. */
static void probe_own_ram(void)
{
	static volatile uint64_t mine = 0x600d600d600d600dUL;
	uint64_t val = 0;

	if (probe_read((uintptr_t)&mine, &val) != 0 || val != mine) {
		failures++;
		TEST_FAIL("probe_own_ram", "got=0x%lx from own RAM at %p", val, (void *)&mine);
		return;
	}
	TEST_PASS("probe_own_ram");
}

int main(void *dtb)
{
	printf("isolation_probe: running at %p, DTB at %p\n", (void *)main, dtb);
	udelay(START_DELAY_US);
	probe_own_ram();
	/* The hypervisor logs the first 8 faults of a cell: the most telling go first. */
	probe_r("probe_other_cell_first_page_read", 0x4c000000UL);
	probe_w("probe_other_cell_canary_write", 0x4c100000UL);
	probe_r("probe_hypervisor_base_read", 0x40000000UL);
	probe_w("probe_hypervisor_image_write", 0x40200000UL);
	probe_r32("probe_pl031_read", 0x09010000UL);
	probe_r("probe_other_cell_last_page_read", 0x4ffff000UL);
	probe_r("probe_hypervisor_tables_read", 0x40400000UL);
	probe_r32("probe_smmu_read", 0x09050000UL);
	/* Past the log limit: only counted by the hypervisor, still aborted. */
	probe_r("probe_other_cell_canary_read", 0x4c100000UL);
	probe_w("probe_other_cell_first_page_write", 0x4c000000UL);
	probe_w("probe_other_cell_second_page_write", 0x4c001000UL);
	probe_w("probe_other_cell_last_page_write", 0x4ffff000UL);
	probe_w("probe_hypervisor_base_write", 0x40000000UL);
	probe_w("probe_hypervisor_tables_write", 0x40400000UL);
	probe_w32("probe_pl031_write", 0x09010000UL);
	probe_r("probe_hypervisor_top_read", 0x40fff000UL);
	if (failures)
		TEST_FAIL("isolation_probe", "%u probe(s) reached memory or devices not the cell's",
			  failures);
	else
		TEST_PASS("isolation_probe");
	heartbeat_forever(1, HEARTBEAT_US, udelay);
}
