/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_GUEST_PLATFORM_H
#define BULKHEAD_GUEST_PLATFORM_H

/*
 * Where the test guests find their GIC and console. By default the QEMU virt
 * addresses that every Bulkhead cell sees too (docs/guest-platform.md), so
 * one binary runs bare and in a cell.
 *
 * GUEST_PLATFORM_XEN builds for the fixed map Xen gives a dom0less domU
 * (xen/include/public/arch-arm.h, Xen 4.17): only the benchmark guest is
 * built this way, to measure Xen on the same QEMU (tests/bench/run_bench.py).
 */
#ifdef GUEST_PLATFORM_XEN
#define PLATFORM_GICD_BASE 0x03001000UL
#define PLATFORM_GICC_BASE 0x03002000UL
#define PLATFORM_GICR_BASE 0x03020000UL
#define PLATFORM_UART_BASE 0x22000000UL
#else
#define PLATFORM_GICD_BASE 0x08000000UL
#define PLATFORM_GICC_BASE 0x08010000UL
#define PLATFORM_GICR_BASE 0x080a0000UL
#define PLATFORM_UART_BASE 0x09000000UL
#endif

#endif
