/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_SMMU_REGS_H
#define BULKHEAD_SMMU_REGS_H

/*
 * SMMUv3 registers, structures and commands as Bulkhead uses them. Names
 * follow the SMMUv3 architecture specification (Arm IHI 0070): §6.3
 * registers, §5.2 the Stream Table Entry, §4 commands, §7.3 event records.
 */

/* Register page 0. */
#define SMMU_IDR0	     0x00
#define SMMU_IDR1	     0x04
#define SMMU_IDR5	     0x14
#define SMMU_CR0	     0x20
#define SMMU_CR0ACK	     0x24
#define SMMU_CR1	     0x28
#define SMMU_CR2	     0x2c
#define SMMU_GBPA	     0x44
#define SMMU_IRQ_CTRL	     0x50
#define SMMU_IRQ_CTRLACK     0x54
#define SMMU_GERROR	     0x60
#define SMMU_GERRORN	     0x64
#define SMMU_GERROR_IRQ_CFG0 0x68
#define SMMU_STRTAB_BASE     0x80
#define SMMU_STRTAB_BASE_CFG 0x88
#define SMMU_CMDQ_BASE	     0x90
#define SMMU_CMDQ_PROD	     0x98
#define SMMU_CMDQ_CONS	     0x9c
#define SMMU_EVENTQ_BASE     0xa0
#define SMMU_EVENTQ_IRQ_CFG0 0xb0
/* Register page 1 (64 KiB on): the event queue's indexes. */
#define SMMU_REGS_SIZE	 0x20000 /* page 0 and page 1 */
#define SMMU_EVENTQ_PROD 0x100a8
#define SMMU_EVENTQ_CONS 0x100ac

/* SMMU_IDR0 */
#define IDR0_S2P	    (1u << 0)
#define IDR0_TTF_SHIFT	    2
#define IDR0_TTF_MASK	    3u
#define IDR0_TTF_AARCH32    1u /* 0b01 AArch32 (LPAE) only; 0b11 both */
#define IDR0_TTF_AARCH64    2u /* 0b10 AArch64 only; 0b11 both */
#define IDR0_COHACC	    (1u << 4)
#define IDR0_HYP	    (1u << 9)
#define IDR0_ATS	    (1u << 10)
#define IDR0_ST_LEVEL_SHIFT 27
#define IDR0_ST_LEVEL_MASK  3u
#define IDR0_ST_LEVEL_2LVL  1u /* 0b01: a two-level stream table is supported */
#define IDR0_TTENDIAN_SHIFT 21
#define IDR0_TTENDIAN_MASK  3u
#define IDR0_TTENDIAN_BE    3u /* 0b11: big-endian tables only */
#define IDR0_STALL_SHIFT    24
#define IDR0_STALL_MASK	    3u
#define IDR0_STALL_FORCED   2u /* 0b10: every fault stalls; S2S = 0 is ILLEGAL (§5.5) */
/* SMMU_IDR1 */
#define IDR1_SIDSIZE_MASK  0x3fu
#define IDR1_EVENTQS_SHIFT 16
#define IDR1_CMDQS_SHIFT   21
#define IDR1_QS_MASK	   0x1fu
#define IDR1_QUEUES_PRESET (1u << 29)
#define IDR1_TABLES_PRESET (1u << 30)
/* SMMU_IDR5 */
#define IDR5_OAS_MASK 7u
#define IDR5_GRAN4K   (1u << 4)

/* SMMU_CR0 / CR0ACK */
#define CR0_SMMUEN   (1u << 0)
#define CR0_EVENTQEN (1u << 2)
#define CR0_CMDQEN   (1u << 3)
#define CR0_ATSCHK   (1u << 4) /* RES0 without IDR0.ATS */
/* SMMU_CR1: table and queue accesses Write-Back cacheable, inner shareable. */
#define CR1_QUEUE_IC_SHIFT 0
#define CR1_QUEUE_OC_SHIFT 2
#define CR1_QUEUE_SH_SHIFT 4
#define CR1_TABLE_IC_SHIFT 6
#define CR1_TABLE_OC_SHIFT 8
#define CR1_TABLE_SH_SHIFT 10
#define CR1_CACHE_WB	   1u
#define CR1_SH_ISH	   3u
/* SMMU_CR2 */
#define CR2_RECINVSID (1u << 1) /* record C_BAD_STREAMID */
#define CR2_PTM	      (1u << 2) /* ignore broadcast TLB maintenance */
/* SMMU_GBPA */
#define GBPA_ABORT  (1u << 20)
#define GBPA_UPDATE (1u << 31)
/* SMMU_IRQ_CTRL */
#define IRQ_CTRL_GERROR_IRQEN (1u << 0)
#define IRQ_CTRL_EVENTQ_IRQEN (1u << 2)
/* SMMU_GERROR */
#define GERROR_CMDQ_ERR	      (1u << 0)
#define GERROR_EVENTQ_ABT_ERR (1u << 2)
#define GERROR_SFM_ERR	      (1u << 8)

/* SMMU_STRTAB_BASE / _CFG */
#define STRTAB_BASE_RA		    (1ULL << 62)
#define STRTAB_BASE_ADDR_MASK	    0x000fffffffffffc0ULL /* [51:6] */
#define STRTAB_BASE_CFG_FMT_LINEAR  (0u << 16)
#define STRTAB_BASE_CFG_FMT_2LVL    (1u << 16)
#define STRTAB_BASE_CFG_SPLIT_SHIFT 6
/* Level 1 Stream Table Descriptor (§5.1): 8 bytes. Span 0: no level-2 table (invalid). */
#define L1STD_SPAN_MASK	 0x1fULL
#define L1STD_L2PTR_MASK 0x000fffffffffffc0ULL /* [51:6] */
/* SMMU_CMDQ_BASE / SMMU_EVENTQ_BASE */
#define Q_BASE_RWA	 (1ULL << 62) /* RA for the command queue, WA for the event queue */
#define Q_BASE_ADDR_MASK 0x000fffffffffffe0ULL /* [51:5] */
/* Queue indexes: index in [log2size-1:0], wrap bit at [log2size]. */
#define CMDQ_CONS_ERR_SHIFT 24
#define CMDQ_CONS_ERR_MASK  0x7fu
/* CMDQ_CONS.ERR: why the command at CONS was not consumed (§7.1). */
#define CERROR_ILL	    1u
#define CERROR_ABT	    2u
#define CERROR_ATC_INV_SYNC 3u
#define Q_OVFLG		    (1u << 31) /* EVENTQ_PROD.OVFLG / EVENTQ_CONS.OVACKFLG */

/* Stream Table Entry: 64 bytes, eight 64-bit words. */
#define STE_DWORDS	  8
#define STE0_V		  (1ULL << 0)
#define STE0_CONFIG_SHIFT 1
#define STE0_CONFIG_ABORT 0ULL
/* Valid, Config = abort: every transaction of the stream terminated, no event (§5.2). */
#define STE0_ABORTS	     (STE0_V | (STE0_CONFIG_ABORT << STE0_CONFIG_SHIFT))
#define STE0_CONFIG_S2_TRANS 6ULL /* 0b110: stage 1 bypass, stage 2 translate */
/* Valid, Config = stage-2 translation: a cell's stream while it runs. */
#define STE0_S2_TRANS	  (STE0_V | (STE0_CONFIG_S2_TRANS << STE0_CONFIG_SHIFT))
#define STE2_S2VMID_SHIFT 0
/*
 * STE bits [178:160] are S2T0SZ, S2SL0, S2IR0, S2OR0, S2SH0, S2TG, S2PS in
 * the order and at the offsets of VTCR_EL2[18:0]: word 2 from bit 32.
 */
#define STE2_VTCR_SHIFT 32
#define STE2_VTCR_MASK	0x7ffffULL
#define STE_S2T0SZ_MASK 0x3fULL /* S2T0SZ, T0SZ: bits [5:0] of that field */
#define STE2_S2AA64	(1ULL << 51)
#define STE2_S2R	(1ULL << 58)	      /* record faults */
#define STE3_S2TTB_MASK 0x000ffffffffffff0ULL /* [51:4] */

/* Commands: 16 bytes, opcode in bits [7:0]. */
#define CMD_TLBI_EL2_ALL    0x20
#define CMD_TLBI_S12_VMALL  0x28
#define CMD_TLBI_NSNH_ALL   0x30
#define CMD_CFGI_STE	    0x03
#define CMD_CFGI_ALL	    0x04
#define CMD_SYNC	    0x46
#define CMD0_SID_SHIFT	    32
#define CMD0_VMID_SHIFT	    32
#define CMD1_LEAF	    (1ULL << 0) /* CFGI_STE: the STE only, not the L1STD locating it */
#define CMD1_CFGI_ALL_RANGE 31ULL

/* Event records: 32 bytes. */
#define EVT_DWORDS     4
#define EVT0_TYPE_MASK 0xffULL
#define EVT0_SID_SHIFT 32
#define EVT1_RNW       (1ULL << 35)
#define EVT1_S2	       (1ULL << 39)

#define EVT_F_UUT	       0x01
#define EVT_C_BAD_STREAMID     0x02
#define EVT_F_STE_FETCH	       0x03
#define EVT_C_BAD_STE	       0x04
#define EVT_F_BAD_ATS_TREQ     0x05
#define EVT_F_STREAM_DISABLED  0x06
#define EVT_F_TRANSL_FORBIDDEN 0x07
#define EVT_C_BAD_SUBSTREAMID  0x08
#define EVT_F_CD_FETCH	       0x09
#define EVT_C_BAD_CD	       0x0a
#define EVT_F_WALK_EABT	       0x0b
#define EVT_F_TRANSLATION      0x10
#define EVT_F_ADDR_SIZE	       0x11
#define EVT_F_ACCESS	       0x12
#define EVT_F_PERMISSION       0x13
#define EVT_F_TLB_CONFLICT     0x20
#define EVT_F_CFG_CONFLICT     0x21
#define EVT_E_PAGE_REQUEST     0x24 /* a device's hint of a page it will ask for (PRI) */
#define EVT_F_VMS_FETCH	       0x25
#define EVT_IMPDEF_FIRST       0xe0 /* 0xe0-0xef: IMPLEMENTATION DEFINED events */
#define EVT_IMPDEF_LAST	       0xef
/* F_BAD_ATS_TREQ and E_PAGE_REQUEST give InputAddr[63:12] in word 2, other fields below it. */
#define EVT2_PAGE_MASK (~0xfffULL)

#endif
