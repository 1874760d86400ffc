// SPDX-License-Identifier: GPL-2.0-only
/*
 * reset_loop: proves each restart starts from scrubbed memory, then asks for
 * the next one. A page of its RAM above the image must read as zero on every
 * boot; it is filled with a pattern before SYSTEM_RESET. So must the debug
 * claim tags (DBGCLAIMCLR_EL1, which the hypervisor does not trap): set to
 * 0xa5 before each reset. So must the EL1 and debug registers the restart
 * resets (docs/traps.md), each left holding a mark of its own before the
 * reset: a leak is "TEST reset_regs FAIL boot N: REG reads V, not R".
 * TPIDR_EL1 and VBAR_EL1 are left out: start.S writes them before main.
 * Stops resetting at RESET_LOOP_BOOTS boots and prints a heartbeat.
 */
#include "test.h"

#define RESET_LOOP_BOOTS 101 /* the first boot and 100 restarts */
#define MARK_PAGE	 0x40100000UL
#define MARK_WORDS	 512

#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

#define ID_AA64DFR0_BRPS_SHIFT 12
#define ID_AA64DFR0_WRPS_SHIFT 20
#define CNT_CTL_ISTATUS	       (1UL << 2) /* read-only: the timer's condition */
#define CNT_CTL_ENABLE_IMASK   3UL
#define MDSCR_EL1_TDCC	       (1UL << 12)
#define MDCCINT_EL1_RX	       (1UL << 30)
#define OSLSR_EL1_OSLK	       (1UL << 1)
#define DBGBCR_EL1_MARK	       ((0xfUL << 5) | (1UL << 1) | 1) /* on, EL1, 4 bytes */
#define DBGWCR_EL1_MARK	       ((0xffUL << 5) | (3UL << 3) | (1UL << 1) | 1)
#define DBG_ADDR_MARK	       0xdead0000UL /* no code or data there */

/* The registers the restart zeroes, one by one; a switch each, as the image holds no pointers. */
enum reset_reg {
	REG_TPIDR_EL0,
	REG_TPIDRRO_EL0,
	REG_CONTEXTIDR_EL1,
	REG_CNTV_CVAL_EL0,
	REG_CNTV_CTL_EL0,
	REG_CNTP_CVAL_EL0,
	REG_CNTP_CTL_EL0,
	REG_MDCCINT_EL1,
	REG_MDSCR_EL1,
	REG_NR
};

static const char *reg_name(enum reset_reg r)
{
	switch (r) {
	case REG_TPIDR_EL0:
		return "TPIDR_EL0";
	case REG_TPIDRRO_EL0:
		return "TPIDRRO_EL0";
	case REG_CONTEXTIDR_EL1:
		return "CONTEXTIDR_EL1";
	case REG_CNTV_CVAL_EL0:
		return "CNTV_CVAL_EL0";
	case REG_CNTV_CTL_EL0:
		return "CNTV_CTL_EL0";
	case REG_CNTP_CVAL_EL0:
		return "CNTP_CVAL_EL0";
	case REG_CNTP_CTL_EL0:
		return "CNTP_CTL_EL0";
	case REG_MDCCINT_EL1:
		return "MDCCINT_EL1";
	default:
		return "MDSCR_EL1";
	}
}

static uint64_t reg_read(enum reset_reg r)
{
	switch (r) {
	case REG_TPIDR_EL0:
		return read_sysreg(tpidr_el0);
	case REG_TPIDRRO_EL0:
		return read_sysreg(tpidrro_el0);
	case REG_CONTEXTIDR_EL1:
		return read_sysreg(contextidr_el1);
	case REG_CNTV_CVAL_EL0:
		return read_sysreg(cntv_cval_el0);
	case REG_CNTV_CTL_EL0:
		return read_sysreg(cntv_ctl_el0) & ~CNT_CTL_ISTATUS;
	case REG_CNTP_CVAL_EL0:
		return read_sysreg(cntp_cval_el0);
	case REG_CNTP_CTL_EL0:
		return read_sysreg(cntp_ctl_el0) & ~CNT_CTL_ISTATUS;
	case REG_MDCCINT_EL1:
		return read_sysreg(mdccint_el1);
	default:
		return read_sysreg(mdscr_el1);
	}
}

/*
 * A value no reset leaves, and harmless: the timers enabled with their
 * interrupt masked, at a deadline centuries away; DCC at EL0 trapped and
 * its receive interrupt enabled.
 */
static void reg_mark(enum reset_reg r, uint64_t boot)
{
	switch (r) {
	case REG_TPIDR_EL0:
		write_sysreg(0x7e5700000000000UL | boot, tpidr_el0);
		break;
	case REG_TPIDRRO_EL0:
		write_sysreg(0x7e5800000000000UL | boot, tpidrro_el0);
		break;
	case REG_CONTEXTIDR_EL1:
		write_sysreg(0x7e590000UL | boot, contextidr_el1);
		break;
	case REG_CNTV_CVAL_EL0:
		write_sysreg(~0UL - boot, cntv_cval_el0);
		break;
	case REG_CNTV_CTL_EL0:
		write_sysreg(CNT_CTL_ENABLE_IMASK, cntv_ctl_el0);
		break;
	case REG_CNTP_CVAL_EL0:
		write_sysreg(~0UL - boot, cntp_cval_el0);
		break;
	case REG_CNTP_CTL_EL0:
		write_sysreg(CNT_CTL_ENABLE_IMASK, cntp_ctl_el0);
		break;
	case REG_MDCCINT_EL1:
		write_sysreg(MDCCINT_EL1_RX, mdccint_el1);
		break;
	default:
		write_sysreg(MDSCR_EL1_TDCC, mdscr_el1);
		break;
	}
}

/* Breakpoint (b) or watchpoint (w) n: its value (vr) or control (cr) register. */
#define DBG_CASE(kind, reg, n, op) \
	case n:                    \
		op(kind, reg, n);  \
		break
#define DBG_SWITCH(kind, reg, n, op)         \
	switch (n) {                         \
		DBG_CASE(kind, reg, 0, op);  \
		DBG_CASE(kind, reg, 1, op);  \
		DBG_CASE(kind, reg, 2, op);  \
		DBG_CASE(kind, reg, 3, op);  \
		DBG_CASE(kind, reg, 4, op);  \
		DBG_CASE(kind, reg, 5, op);  \
		DBG_CASE(kind, reg, 6, op);  \
		DBG_CASE(kind, reg, 7, op);  \
		DBG_CASE(kind, reg, 8, op);  \
		DBG_CASE(kind, reg, 9, op);  \
		DBG_CASE(kind, reg, 10, op); \
		DBG_CASE(kind, reg, 11, op); \
		DBG_CASE(kind, reg, 12, op); \
		DBG_CASE(kind, reg, 13, op); \
		DBG_CASE(kind, reg, 14, op); \
		DBG_CASE(kind, reg, 15, op); \
	default:                             \
		break;                       \
	}
#define DBG_READ(kind, reg, n)	(dbg_value = read_sysreg(dbg##kind##reg##n##_el1))
#define DBG_WRITE(kind, reg, n) write_sysreg(dbg_value, dbg##kind##reg##n##_el1)

static uint64_t dbg_value;

static uint64_t dbg_read(char kind, bool control, unsigned int n)
{
	dbg_value = 0;
	if (kind == 'B' && control)
		DBG_SWITCH(b, cr, n, DBG_READ)
	else if (kind == 'B')
		DBG_SWITCH(b, vr, n, DBG_READ)
	else if (control)
		DBG_SWITCH(w, cr, n, DBG_READ)
	else
		DBG_SWITCH(w, vr, n, DBG_READ)
	return dbg_value;
}

static void dbg_write(char kind, bool control, unsigned int n, uint64_t value)
{
	dbg_value = value;
	if (kind == 'B' && control)
		DBG_SWITCH(b, cr, n, DBG_WRITE)
	else if (kind == 'B')
		DBG_SWITCH(b, vr, n, DBG_WRITE)
	else if (control)
		DBG_SWITCH(w, cr, n, DBG_WRITE)
	else
		DBG_SWITCH(w, vr, n, DBG_WRITE)
}

/* ID_AA64DFR0_EL1's count of breakpoints (B) or watchpoints (W). */
static unsigned int dbg_count(char kind)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);

	return ((dfr0 >> (kind == 'B' ? ID_AA64DFR0_BRPS_SHIFT : ID_AA64DFR0_WRPS_SHIFT)) & 0xf) +
	       1;
}

static uint64_t dbg_mark(char kind, bool control, unsigned int n)
{
	if (control)
		return kind == 'B' ? DBGBCR_EL1_MARK : DBGWCR_EL1_MARK;
	return DBG_ADDR_MARK + n * 8;
}

static void leaked(uint64_t boot, const char *name, uint64_t value, uint64_t reset)
{
	TEST_FAIL("reset_regs", "boot %lu: %s reads 0x%lx, not 0x%lx", (unsigned long)boot, name,
		  (unsigned long)value, (unsigned long)reset);
}

/* DBGBVRn_EL1 (B, value), DBGWCRn_EL1 (W, control), ... as zero, a line if not. */
static void check_dbg_reg(uint64_t boot, char kind, bool control, unsigned int n)
{
	uint64_t v = dbg_read(kind, control, n);
	char name[16];

	if (!v)
		return;
	snprintf(name, sizeof(name), "DBG%c%cR%u_EL1", kind, control ? 'C' : 'V', n);
	leaked(boot, name, v, 0);
}

/* Each register as a reset leaves it, the OS lock locked; a line per one that is not. */
static void check_reset_regs(uint64_t boot)
{
	unsigned int r, k, n;
	uint64_t v;

	for (r = 0; r < REG_NR; r++)
		if ((v = reg_read((enum reset_reg)r)) != 0)
			leaked(boot, reg_name((enum reset_reg)r), v, 0);
	for (k = 0; k < 2; k++)
		for (n = 0; n < dbg_count("BW"[k]); n++) {
			check_dbg_reg(boot, "BW"[k], false, n);
			check_dbg_reg(boot, "BW"[k], true, n);
		}
	if (!(read_sysreg(oslsr_el1) & OSLSR_EL1_OSLK))
		leaked(boot, "OSLSR_EL1.OSLK", 0, 1);
}

/* Breakpoint (B) or watchpoint (W) n marked: false if it does not keep the mark. */
static bool mark_dbg(char kind, unsigned int n)
{
	dbg_write(kind, false, n, dbg_mark(kind, false, n));
	dbg_write(kind, true, n, dbg_mark(kind, true, n));
	return dbg_read(kind, false, n) == dbg_mark(kind, false, n) &&
	       dbg_read(kind, true, n) == dbg_mark(kind, true, n);
}

/*
 * Every register of check_reset_regs() left marked, the OS lock unlocked.
 * On the first boot, the ones that do not keep their mark (a CPU model's
 * write-ignored register) are named: their check proves nothing.
 */
static void mark_reset_regs(uint64_t boot)
{
	unsigned int r, k, n, unmarked = 0;
	bool tell = boot == 1;

	write_sysreg(0, oslar_el1);
	__asm__ volatile("isb");
	if (read_sysreg(oslsr_el1) & OSLSR_EL1_OSLK) {
		unmarked++;
		if (tell)
			printf("reset_loop: the OS lock stays locked\n");
	}
	for (r = 0; r < REG_NR; r++) {
		reg_mark((enum reset_reg)r, boot);
		if (reg_read((enum reset_reg)r) == 0) {
			unmarked++;
			if (tell)
				printf("reset_loop: %s keeps no mark\n",
				       reg_name((enum reset_reg)r));
		}
	}
	for (k = 0; k < 2; k++)
		for (n = 0; n < dbg_count("BW"[k]); n++) {
			if (mark_dbg("BW"[k], n))
				continue;
			unmarked++;
			if (tell)
				printf("reset_loop: %cRP %u keeps no mark\n", "BW"[k], n);
		}
	if (tell)
		printf("reset_loop: %u registers, %u breakpoints and %u watchpoints marked, "
		       "%u kept no mark\n",
		       REG_NR + 1, dbg_count('B'), dbg_count('W'), unmarked);
}

static bool page_is_clean(volatile uint64_t *page)
{
	unsigned int i;

	for (i = 0; i < MARK_WORDS; i++)
		if (page[i])
			return false;
	return true;
}

int main(void *dtb)
{
	volatile uint64_t *page = (volatile uint64_t *)MARK_PAGE;
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;
	unsigned int i;

	uint64_t claim;

	(void)dtb;
	check_reset_regs(boot);
	__asm__ volatile("mrs %0, dbgclaimclr_el1" : "=r"(claim));
	if (claim)
		TEST_FAIL("reset_claim", "boot %lu sees the previous run's claim tags 0x%lx",
			  (unsigned long)boot, (unsigned long)claim);
	if (!page_is_clean(page))
		TEST_FAIL("reset_scrubbed", "boot %lu sees the previous run's pattern",
			  (unsigned long)boot);
	else
		printf("boot %lu clean\n", (unsigned long)boot);
	for (i = 0; i < MARK_WORDS; i++)
		page[i] = 0x5ca1ab1e00000000ULL | boot;
	__asm__ volatile("msr dbgclaimset_el1, %0" : : "r"(0xa5UL));
	mark_reset_regs(boot);
	if (boot < RESET_LOOP_BOOTS)
		psci_system_reset();
	TEST_PASS("reset_loop");
	heartbeat_forever(0, 200000, udelay);
}
