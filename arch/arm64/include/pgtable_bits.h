/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_ARM64_PGTABLE_BITS_H
#define BULKHEAD_ARM64_PGTABLE_BITS_H

/*
 * VMSAv8-64 descriptor fields (4 KiB granule, 48-bit OA, no FEAT_LPA2) and the
 * VTCR_EL2 / MAIR_EL2 values Bulkhead programs. Names follow the Arm ARM
 * (DDI 0487, D8.3 "Translation table descriptor formats", D8.4 permissions,
 * D8.5 memory attributes, and the VTCR_EL2 register description).
 */

/* Descriptor type, bits[1:0]: table (level 0-2) and page (level 3) share 0b11. */
#define PTE_VALID (1ULL << 0)
/* Software bit (ignored by the walker in table and block descriptors): a revoked root entry. */
#define PTE_SW_REVOKED (1ULL << 55)
#define PTE_TYPE_MASK  (3ULL << 0)
#define PTE_TYPE_BLOCK (1ULL << 0)
#define PTE_TYPE_TABLE (3ULL << 0)
#define PTE_TYPE_PAGE  (3ULL << 0)

/* Output address / next-level table address, bits[47:12]. */
#define PTE_ADDR_MASK  0x0000fffffffff000ULL
#define PT_MAX_OA_BITS 48

/* Lower and upper attributes of block and page descriptors, both stages. */
#define PTE_SH_SHIFT 8
#define PTE_SH_OUTER (2ULL << PTE_SH_SHIFT)
#define PTE_SH_INNER (3ULL << PTE_SH_SHIFT)
#define PTE_AF	     (1ULL << 10)

/* Stage 1, EL2 translation regime with HCR_EL2.E2H == 0 (one VA range). */
#define PTE_ATTRINDX_SHIFT 2
#define PTE_ATTRINDX(n)	   ((unsigned long long)(n) << PTE_ATTRINDX_SHIFT)
#define PTE_AP1		   (1ULL << 6) /* RES1: no EL0 in this regime */
#define PTE_AP2_RO	   (1ULL << 7) /* AP[2]: 1 = read-only */
#define PTE_XN		   (1ULL << 54)

/* MAIR_EL2 attribute slots that PTE_ATTRINDX selects (sysreg.h MAIR_EL2_VALUE agrees). */
#define MAIR_IDX_NORMAL_WB     0
#define MAIR_IDX_DEVICE_nGnRE  1
#define MAIR_ATTR_NORMAL_WB    0xffULL /* Normal, inner/outer WB, R+W allocate */
#define MAIR_ATTR_DEVICE_nGnRE 0x04ULL

/* Stage 2 (HCR_EL2.FWB == 0). */
#define PTE_S2_MEMATTR_SHIFT	  2
#define PTE_S2_MEMATTR(x)	  ((unsigned long long)(x) << PTE_S2_MEMATTR_SHIFT)
#define S2_MEMATTR_NORMAL_WB	  0xfULL      /* MemAttr[3:2] outer WB, [1:0] inner WB */
#define S2_MEMATTR_DEVICE_nGnRE	  0x1ULL      /* MemAttr[3:2] 00 Device, [1:0] 01 nGnRE */
#define PTE_S2AP_R		  (1ULL << 6) /* S2AP[0] */
#define PTE_S2AP_W		  (1ULL << 7) /* S2AP[1] */
#define PTE_S2_XN_SHIFT		  53
#define PTE_S2_XN_MASK		  (3ULL << PTE_S2_XN_SHIFT)
#define PTE_S2_XN_NONE_EXECUTABLE (2ULL << PTE_S2_XN_SHIFT) /* XN[1:0] = 0b10: no EL0/EL1 exec */

/* VTCR_EL2 fields. */
#define VTCR_EL2_T0SZ_SHIFT  0
#define VTCR_EL2_SL0_SHIFT   6
#define VTCR_EL2_IRGN0_SHIFT 8
#define VTCR_EL2_ORGN0_SHIFT 10
#define VTCR_EL2_SH0_SHIFT   12
#define VTCR_EL2_TG0_SHIFT   14
#define VTCR_EL2_PS_SHIFT    16
#define VTCR_EL2_RES1	     (1ULL << 31)
#define VTCR_EL2_RGN_WBWA    1ULL /* IRGN0/ORGN0: Write-Back Read/Write-Allocate */
#define VTCR_EL2_SH_INNER    3ULL
#define VTCR_EL2_TG0_4K	     0ULL

#endif
