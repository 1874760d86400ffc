// SPDX-License-Identifier: GPL-2.0-only
/* Decoding of ESR_ELx for fault reports (pure: unit-tested on the host). */
#include <stdbool.h>
#include <stdio.h>
#include "esr.h"

/*
 * Names inline, not pointers: a pointer table would cost 8 bytes and a
 * 24-byte boot-time relocation per entry in this position-independent image.
 */
static const struct {
	unsigned char ec;
	char name[ESR_EC_NAME_MAX];
} ec_names[] = {
	{ ESR_EC_UNKNOWN, "unknown reason" },
	{ ESR_EC_WFX, "WFI/WFE" },
	{ ESR_EC_CP15_32, "MCR/MRC (cp15)" },
	{ ESR_EC_CP15_64, "MCRR/MRRC (cp15)" },
	{ ESR_EC_CP14_MR, "MCR/MRC (cp14)" },
	{ ESR_EC_CP14_LS, "LDC/STC (cp14)" },
	{ ESR_EC_SIMD_FP, "SVE/SIMD/FP access" },
	{ 0x08, "VMRS (AArch32, ID group)" },
	{ 0x09, "pointer authentication use" },
	{ ESR_EC_OTHER, "LD64B/ST64B*, PSB/TSB CSYNC" },
	{ ESR_EC_CP14_64, "MRRC (cp14)" },
	{ 0x0d, "branch target exception" },
	{ ESR_EC_ILLEGAL, "illegal execution state" },
	{ 0x11, "SVC (AArch32)" },
	{ 0x12, "HVC (AArch32)" },
	{ 0x13, "SMC (AArch32)" },
	{ ESR_EC_SYS128, "MRRS/MSRR (128-bit)" },
	{ ESR_EC_SVC64, "SVC" },
	{ ESR_EC_HVC64, "HVC" },
	{ ESR_EC_SMC64, "SMC" },
	{ ESR_EC_SYS64, "MSR/MRS/system instruction" },
	{ 0x19, "SVE access" },
	{ 0x1a, "ERET/ERETAA/ERETAB" },
	{ 0x1b, "TSTART access" },
	{ 0x1d, "SME access" },
	{ 0x1e, "granule protection check" },
	{ 0x1c, "pointer authentication failure" },
	{ ESR_EC_IABT_LOW, "instruction abort, lower EL" },
	{ ESR_EC_IABT_CUR, "instruction abort, same EL" },
	{ ESR_EC_PC_ALIGN, "PC alignment fault" },
	{ ESR_EC_DABT_LOW, "data abort, lower EL" },
	{ ESR_EC_DABT_CUR, "data abort, same EL" },
	{ ESR_EC_SP_ALIGN, "SP alignment fault" },
	{ 0x27, "memory copy/set (MOPS)" },
	{ 0x28, "FP exception (AArch32)" },
	{ 0x2c, "FP exception" },
	{ 0x2d, "guarded control stack" },
	{ ESR_EC_SERROR, "SError" },
	{ 0x30, "breakpoint, lower EL" },
	{ 0x31, "breakpoint, same EL" },
	{ 0x32, "software step, lower EL" },
	{ 0x33, "software step, same EL" },
	{ ESR_EC_WATCHPT_LOW, "watchpoint, lower EL" },
	{ ESR_EC_WATCHPT_CUR, "watchpoint, same EL" },
	{ 0x38, "BKPT (AArch32)" },
	{ 0x3a, "vector catch (AArch32)" },
	{ ESR_EC_BRK64, "BRK" },
	{ ESR_EC_PMU, "PMU exception" },
};

const char *esr_ec_name(unsigned int ec)
{
	for (unsigned int i = 0; i < sizeof(ec_names) / sizeof(ec_names[0]); i++)
		if (ec_names[i].ec == ec)
			return ec_names[i].name;
	return "unknown EC";
}

/*
 * A lookup level below 0 has encodings of its own (FEAT_LPA2: -1, FEAT_D128:
 * -2), each given here with the code of the same fault at level 0.
 */
static const struct {
	unsigned char fsc, level0;
	signed char level;
} fsc_below_level0[] = {
	{ 0x29, 0x00, -1 }, { 0x2c, 0x00, -2 }, /* address size fault */
	{ 0x2b, 0x04, -1 }, { 0x2a, 0x04, -2 }, /* translation fault */
	{ 0x13, 0x14, -1 }, { 0x12, 0x14, -2 }, /* external abort on a table walk */
	{ 0x1b, 0x1c, -1 },			/* parity or ECC error on a table walk */
	{ 0x23, 0x24, -1 }, { 0x22, 0x24, -2 }, /* granule protection fault on a walk */
};

/*
 * The DFSC/IFSC encodings of the Arm ARM (ESR_EL2, ISS encoding for an
 * exception from a Data Abort). The parity and ECC codes (0x18, 0x1b-0x1f)
 * are those of a CPU without FEAT_RAS; the granule protection faults are
 * FEAT_RME's; 0x11 is a data abort's (FEAT_MTE2), reserved for an IFSC.
 */
/* @fsc, or for a level below 0 the code of the same fault at level 0, its level in *level. */
static unsigned int fsc_at_level0(unsigned int fsc, int *level)
{
	unsigned int i;

	*level = (int)(fsc & 3);
	for (i = 0; i < sizeof(fsc_below_level0) / sizeof(fsc_below_level0[0]); i++)
		if (fsc_below_level0[i].fsc == fsc) {
			*level = fsc_below_level0[i].level;
			return fsc_below_level0[i].level0;
		}
	return fsc;
}

const char *esr_fsc_name(unsigned int fsc, int *level)
{
	fsc = fsc_at_level0(fsc, level);
	switch (fsc & 0x3c) {
	case 0x00:
		return "address size fault";
	case 0x04:
		return "translation fault";
	case 0x08:
		return "access flag fault";
	case 0x0c:
		return "permission fault";
	case 0x14:
		return "synchronous external abort on table walk";
	case 0x1c:
		return "synchronous parity or ECC error on table walk";
	case 0x24:
		return "granule protection fault on table walk";
	}
	*level = ESR_FSC_NO_LEVEL;
	switch (fsc) {
	case 0x10:
		return "synchronous external abort";
	case 0x11:
		return "synchronous tag check fault";
	case 0x18:
		return "synchronous parity or ECC error";
	case 0x21:
		return "alignment fault";
	case 0x28:
		return "granule protection fault";
	case 0x30:
		return "TLB conflict abort";
	case 0x31:
		return "unsupported atomic hardware update fault";
	case 0x34:
		return "IMPLEMENTATION DEFINED fault (lockdown)";
	case 0x35:
		return "IMPLEMENTATION DEFINED fault (unsupported exclusive or atomic access)";
	default:
		return "unknown fault status";
	}
}

/*
 * Stage 2 maps every device Device-nGnRE (arch/arm64/stage2.c), and the
 * combined memory type is then Device whatever the guest's stage 1 says: an
 * unaligned access, or a DC ZVA, to a device page the guest maps Normal
 * (Linux's ioremap_wc()) is an Alignment fault of stage 2, taken to EL2
 * (Arm ARM, shared pseudocode: stage 2's check of unaligned accesses to
 * Device memory). HPFAR_EL2 is UNKNOWN for it (esr_abort_ipa_valid()).
 */
/*
 * Every page stage 2 maps is readable (arch/arm64/stage2.c), so a stage-2
 * Permission fault on a stage-1 table walk (ISS.S1PTW) is the walk's write:
 * the hardware's update of a descriptor's access flag or dirty state
 * (TCR_EL1.HA/HD, FEAT_HAFDBS) in a page the cell may only read, its
 * read-only shared memory. The IPA (HPFAR_EL2, valid for it) is the cell's.
 */
static bool is_walk_update_refused(unsigned int ec, uint32_t iss)
{
	return (ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW) && (iss & ESR_ISS_DABT_S1PTW) &&
	       (iss & ESR_ISS_ABT_FSC_MASK & 0x3c) == 0x0c;
}

const char *esr_abort_cause(uint64_t esr)
{
	unsigned int ec = esr_ec(esr);
	uint32_t iss = esr_iss(esr);

	if (is_walk_update_refused(ec, iss))
		return "the walk's hardware update of a descriptor (TCR_EL1.HA/HD) in memory the "
		       "cell has read-only";
	if ((ec != ESR_EC_DABT_LOW && ec != ESR_EC_DABT_CUR) ||
	    (iss & ESR_ISS_ABT_FSC_MASK) != ESR_FSC_ALIGNMENT)
		return NULL;
	return "alignment fault: an unaligned access, or DC ZVA, to a page that is Device memory "
	       "at stage 2 (a passed-through device)";
}

enum esr_s2_owner esr_stage2_owner_of_fsc(unsigned int fsc)
{
	int level;

	if (fsc == ESR_FSC_TLB_CONFLICT)
		return ESR_S2_TLB_CONFLICT;
	switch (fsc_at_level0(fsc, &level) & 0x3c) {
	case 0x00: /* address size fault */
	case 0x08: /* access flag fault */
		return ESR_S2_TABLES;
	case 0x14: /* synchronous external abort on a table walk */
	case 0x1c: /* parity or ECC error on one */
		return ESR_S2_HARDWARE;
	case 0x24: /* granule protection fault on a table walk */
		return ESR_S2_FIRMWARE;
	default:
		return fsc == ESR_FSC_GPF ? ESR_S2_FIRMWARE : ESR_S2_GUEST;
	}
}

const char *esr_stage2_not_guests(uint64_t esr)
{
	unsigned int fsc = esr_iss(esr) & ESR_ISS_ABT_FSC_MASK;
	int level;

	switch (esr_stage2_owner_of_fsc(fsc)) {
	case ESR_S2_TABLES:
		if ((fsc_at_level0(fsc, &level) & 0x3c) == 0x08)
			return "the hypervisor's stage-2 tables (it sets the access flag in every "
			       "entry)";
		return "the hypervisor's stage-2 tables (it maps no output address above "
		       "VTCR_EL2.PS)";
	case ESR_S2_HARDWARE:
		if ((fsc_at_level0(fsc, &level) & 0x3c) == 0x14)
			return "the hardware: an external abort reading the hypervisor's stage-2 "
			       "tables";
		return "the hardware: a parity or ECC error reading the hypervisor's stage-2 "
		       "tables";
	case ESR_S2_FIRMWARE:
		if (fsc == ESR_FSC_GPF)
			return "the firmware: its granule protection table (FEAT_RME) bars the "
			       "memory stage 2 maps for the cell";
		return "the firmware: its granule protection table (FEAT_RME) bars the "
		       "hypervisor's stage-2 tables";
	case ESR_S2_TLB_CONFLICT:
		return "overlapping TLB entries (the guest's stage-1 tables changed without "
		       "break-before-make, or the hardware)";
	default:
		return NULL;
	}
}

const char *esr_abort_access(uint64_t esr)
{
	uint32_t iss = esr_iss(esr);
	unsigned int ec = esr_ec(esr);

	if (ec == ESR_EC_IABT_LOW || ec == ESR_EC_IABT_CUR)
		return "fetch";
	if (iss & ESR_ISS_DABT_S1PTW)
		return "data access";
	return (iss & ESR_ISS_DABT_WNR) ? "write" : "read";
}

const char *esr_device_refusal(uint64_t esr)
{
	uint32_t iss = esr_iss(esr);
	unsigned int ec = esr_ec(esr);

	if (iss & ESR_ISS_DABT_S1PTW)
		return "the guest's page tables cannot be in it";
	if (ec == ESR_EC_IABT_LOW || ec == ESR_EC_IABT_CUR)
		return "emulated, not executable";
	if (!(iss & ESR_ISS_DABT_ISV))
		return "no syndrome to emulate it from (ISV 0: load/store pair, writeback, "
		       "exclusive or SIMD)";
	return "access width or alignment not emulated";
}

enum esr_far esr_far_state(uint64_t esr)
{
	switch (esr_ec(esr)) {
	case ESR_EC_PC_ALIGN:
		return ESR_FAR_VALID;
	case ESR_EC_IABT_LOW:
	case ESR_EC_IABT_CUR:
	case ESR_EC_DABT_LOW:
	case ESR_EC_DABT_CUR:
	case ESR_EC_WATCHPT_LOW:
	case ESR_EC_WATCHPT_CUR:
		return (esr_iss(esr) & ESR_ISS_DABT_FNV) ? ESR_FAR_FNV : ESR_FAR_VALID;
	default:
		return ESR_FAR_UNKNOWN;
	}
}

static int describe_abort(uint64_t esr, bool data, char *buf, size_t len)
{
	uint32_t iss = esr_iss(esr);
	unsigned int fsc = iss & ESR_ISS_ABT_FSC_MASK;
	int level;
	const char *what = esr_fsc_name(fsc, &level);
	int n;

	if (level != ESR_FSC_NO_LEVEL)
		n = snprintf(buf, len, "%s 0x%02x (%s, level %d)", data ? "DFSC" : "IFSC", fsc,
			     what, level);
	else
		n = snprintf(buf, len, "%s 0x%02x (%s)", data ? "DFSC" : "IFSC", fsc, what);
	if (data && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ", WnR %u",
			      (iss & ESR_ISS_DABT_WNR) ? 1u : 0u);
	if (data && (iss & ESR_ISS_DABT_ISV) && (size_t)n < len)
		n += snprintf(
			buf + n, len - (size_t)n, ", access size %u, register x%lu",
			1u << ((iss >> ESR_ISS_DABT_SAS_SHIFT) & ESR_ISS_DABT_SAS_MASK),
			(unsigned long)((iss >> ESR_ISS_DABT_SRT_SHIFT) & ESR_ISS_DABT_SRT_MASK));
	/* ISS[7] is S1PTW in an instruction abort's syndrome too. */
	if ((iss & ESR_ISS_DABT_S1PTW) && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ", on a stage-1 table walk");
	return n;
}

/* The trapped AArch32 coprocessor instruction, as an assembler writes it. */
static int describe_cp_access(uint64_t esr, char *buf, size_t len)
{
	uint32_t iss = esr_iss(esr);
	unsigned int ec = esr_ec(esr);
	bool read = (iss & ESR_ISS_CP_DIR_READ) != 0;
	unsigned int cp = ec == ESR_EC_CP15_32 || ec == ESR_EC_CP15_64 ? 15 : 14;

	switch (ec) {
	case ESR_EC_CP15_32:
	case ESR_EC_CP14_MR:
		return snprintf(buf, len, "%s p%u, %u, r%u, c%u, c%u, %u", read ? "mrc" : "mcr", cp,
				ESR_ISS_CP_Opc1(iss), ESR_ISS_CP_Rt(iss), ESR_ISS_CP_CRn(iss),
				ESR_ISS_CP_CRm(iss), ESR_ISS_CP_Opc2(iss));
	case ESR_EC_CP15_64:
	case ESR_EC_CP14_64:
		return snprintf(buf, len, "%s p%u, %u, r%u, r%u, c%u", read ? "mrrc" : "mcrr", cp,
				ESR_ISS_CP_Opc1_64(iss), ESR_ISS_CP_Rt(iss), ESR_ISS_CP_Rt2(iss),
				ESR_ISS_CP_CRm(iss));
	default: /* LDC/STC: only DBGDTRRXint/DBGDTRTXint, c5 */
		return snprintf(buf, len, "%s p14, c5, [r%u] (imm8 0x%02x)", read ? "ldc" : "stc",
				ESR_ISS_CP_Rn(iss), ESR_ISS_CP_Imm8(iss));
	}
}

/*
 * EC 0x14 (FEAT_SYSREG128): a trapped MRRS or MSRR, as its assembler writes
 * it. The ISS is laid out as EC 0x18's; Rt names the even register of the
 * pair, Rt + 1 the other. SYSP (op0 1, TLBIP) shares the class but is never
 * trapped here: HFGITR_EL2 is 0 (boot/head.S) and no TLB maintenance is
 * trapped (docs/traps.md).
 */
static int describe_sys128(uint64_t esr, char *buf, size_t len)
{
	uint32_t iss = esr_iss(esr);
	unsigned int rt = ESR_ISS_SYS_Rt(iss);

	if (iss & ESR_ISS_SYS_DIR_READ)
		return snprintf(buf, len, "mrrs x%u, x%u, S%u_%u_C%u_C%u_%u", rt, rt + 1,
				ESR_ISS_SYS_Op0(iss), ESR_ISS_SYS_Op1(iss), ESR_ISS_SYS_CRn(iss),
				ESR_ISS_SYS_CRm(iss), ESR_ISS_SYS_Op2(iss));
	return snprintf(buf, len, "msrr S%u_%u_C%u_C%u_%u, x%u, x%u", ESR_ISS_SYS_Op0(iss),
			ESR_ISS_SYS_Op1(iss), ESR_ISS_SYS_CRn(iss), ESR_ISS_SYS_CRm(iss),
			ESR_ISS_SYS_Op2(iss), rt, rt + 1);
}

/*
 * EC 0x18: the trapped instruction. A system instruction (op0 1: DC, IC, AT,
 * TLBI, ...) as the SYS or SYSL an assembler takes for any encoding, its
 * register XZR where Rt is 31; a register access (op0 2, 3) as the MRS or
 * MSR of its generic name.
 */
static int describe_sys64(uint64_t esr, char *buf, size_t len)
{
	uint32_t iss = esr_iss(esr);
	unsigned int rt = ESR_ISS_SYS_Rt(iss);
	bool read = (iss & ESR_ISS_SYS_DIR_READ) != 0;
	char reg[4], name[24];

	if (rt == 31)
		snprintf(reg, sizeof(reg), "xzr");
	else
		snprintf(reg, sizeof(reg), "x%u", rt);
	if (ESR_ISS_SYS_Op0(iss) != 1) {
		snprintf(name, sizeof(name), "S%u_%u_C%u_C%u_%u", ESR_ISS_SYS_Op0(iss),
			 ESR_ISS_SYS_Op1(iss), ESR_ISS_SYS_CRn(iss), ESR_ISS_SYS_CRm(iss),
			 ESR_ISS_SYS_Op2(iss));
		return read ? snprintf(buf, len, "mrs %s, %s", reg, name)
			    : snprintf(buf, len, "msr %s, %s", name, reg);
	}
	if (read)
		return snprintf(buf, len, "sysl %s, #%u, C%u, C%u, #%u", reg, ESR_ISS_SYS_Op1(iss),
				ESR_ISS_SYS_CRn(iss), ESR_ISS_SYS_CRm(iss), ESR_ISS_SYS_Op2(iss));
	return snprintf(buf, len, "sys #%u, C%u, C%u, #%u, %s", ESR_ISS_SYS_Op1(iss),
			ESR_ISS_SYS_CRn(iss), ESR_ISS_SYS_CRm(iss), ESR_ISS_SYS_Op2(iss), reg);
}

/* EC 0x0a: which instruction, by ISS (the only other field is RES0). */
static int describe_other(uint64_t esr, char *buf, size_t len)
{
	switch (esr_iss(esr)) {
	case ESR_ISS_OTHER_ST64BV:
		return snprintf(buf, len, "st64bv");
	case ESR_ISS_OTHER_ST64BV0:
		return snprintf(buf, len, "st64bv0");
	case ESR_ISS_OTHER_LDST64B:
		return snprintf(buf, len, "ld64b or st64b");
	case ESR_ISS_OTHER_TSBCSYNC:
		return snprintf(buf, len, "tsb csync");
	case ESR_ISS_OTHER_PSBCSYNC:
		return snprintf(buf, len, "psb csync");
	default:
		return snprintf(buf, len, "ISS 0x%x", esr_iss(esr));
	}
}

/* AET, the state an asynchronous error left the PE in (FEAT_RAS). */
static const char *serror_aet_name(unsigned int aet)
{
	switch (aet) {
	case 0:
		return "UC (uncontainable)";
	case 1:
		return "UEU (unrecoverable state)";
	case 2:
		return "UEO (restartable state)";
	case 3:
		return "UER (recoverable state)";
	case 6:
		return "CE (corrected)";
	default:
		return "reserved";
	}
}

/* EC 0x2f: what the PE says of an SError (FAR_ELx is not written for one). */
static int describe_serror(uint64_t esr, char *buf, size_t len)
{
	uint32_t iss = esr_iss(esr);
	unsigned int dfsc = iss & ESR_ISS_ABT_FSC_MASK;
	unsigned int ea = (iss & ESR_ISS_SERROR_EA) ? 1 : 0;

	if (iss & ESR_ISS_SERROR_IDS)
		return snprintf(buf, len, "IMPLEMENTATION DEFINED syndrome 0x%06lx",
				(unsigned long)(iss & ESR_ISS_SERROR_IMPDEF));
	if (dfsc != ESR_ISS_SERROR_DFSC_ASYNC)
		return snprintf(
			buf, len, "DFSC 0x%02x (%s), EA %u", dfsc,
			dfsc == ESR_ISS_SERROR_DFSC_UNCAT ? "uncategorized error" : "reserved", ea);
	return snprintf(buf, len,
			"DFSC 0x%02x (asynchronous SError interrupt), AET %s, EA %u, IESB %u", dfsc,
			serror_aet_name(ESR_ISS_SERROR_AET(iss)), ea,
			(iss & ESR_ISS_SERROR_IESB) ? 1u : 0u);
}

int esr_describe_iss(uint64_t esr, char *buf, size_t len)
{
	unsigned int ec = esr_ec(esr);

	switch (ec) {
	case ESR_EC_DABT_LOW:
	case ESR_EC_DABT_CUR:
		return describe_abort(esr, true, buf, len);
	case ESR_EC_IABT_LOW:
	case ESR_EC_IABT_CUR:
		return describe_abort(esr, false, buf, len);
	case ESR_EC_HVC64:
	case ESR_EC_SMC64:
	case ESR_EC_BRK64:
		return snprintf(buf, len, "immediate #0x%x", esr_iss(esr) & 0xffff);
	case ESR_EC_CP15_32:
	case ESR_EC_CP15_64:
	case ESR_EC_CP14_MR:
	case ESR_EC_CP14_LS:
	case ESR_EC_CP14_64:
		return describe_cp_access(esr, buf, len);
	case ESR_EC_OTHER:
		return describe_other(esr, buf, len);
	case ESR_EC_SYS128:
		return describe_sys128(esr, buf, len);
	case ESR_EC_SYS64:
		return describe_sys64(esr, buf, len);
	case ESR_EC_SERROR:
		return describe_serror(esr, buf, len);
	default:
		if (len)
			buf[0] = '\0';
		return 0;
	}
}
